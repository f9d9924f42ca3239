# tools/lib/xvfb.sh - sourced (". tools/lib/xvfb.sh", from the top of the source tree) by the
# scripts that drive the real Wireshark GUI under Xvfb: tools/gui-lifecycle.sh and
# tools/screenshot.sh.  Needs xvfb and xdotool; each script sets its own cleanup trap (kill
# $WS and $XVFB, remove $WORK) between gui_prepare and xvfb_start.
#
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2034
# (SC2034, assigned and not used:: the variables set here are the sourcing script's.)

# gui_prepare PLUGIN [FOLDER...]: MAJOR_MINOR (the Wireshark of build/); WORK, a new folder
# holding a private home whose personal plugin folder has PLUGIN, a private runtime folder,
# the bundled captures and the FOLDERs; RUN, the prefix that runs a command as nobody when
# run as root (Wireshark ignores personal plugins as root), empty otherwise.
gui_prepare() {
    plugin=$1
    shift
    MAJOR_MINOR=$(sed -n 's/^WIRESHARK_MAJOR_MINOR=//p' build/wireshark-plugin-info.txt)
    WORK=$(mktemp -d)
    chmod 755 "$WORK"
    mkdir -p "$WORK/home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan" "$WORK/home/.config" "$WORK/run"
    for folder in "$@"; do mkdir -p "$WORK/$folder"; done
    cp "$plugin" "$WORK/home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan/"
    cp captures/*.pcap "$WORK/"
    chmod 700 "$WORK/run"
    RUN=""
    if [ "$(id -u)" -eq 0 ]; then
        chown -R nobody:nogroup "$WORK/home" "$WORK/run"
        for folder in "$@"; do chown -R nobody:nogroup "$WORK/$folder"; done
        RUN="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
    fi
}

# xvfb_start WIDTHxHEIGHT: an Xvfb screen of that size (XVFB: its process id), DISPLAY
# exported, and AS_USER: "$AS_USER CMD..." runs CMD as the unprivileged user with the private
# HOME and runtime folder (a plain command, so that "$AS_USER CMD &" leaves CMD's id in $!).
# -noreset: the server would otherwise reset when the last client (Wireshark) quits, and
# refuse the next Wireshark for a moment.
xvfb_start() {
    Xvfb -displayfd 3 -noreset -nolisten tcp -screen 0 "$1"x24 3>"$WORK/display" >/dev/null 2>&1 &
    XVFB=$!
    for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.2; done
    DISPLAY=:$(cat "$WORK/display")
    export DISPLAY
    AS_USER="$RUN env HOME=$WORK/home XDG_RUNTIME_DIR=$WORK/run DISPLAY=$DISPLAY"
}

# wait_window NAME: the id of the first window whose name contains NAME, within 60 s; fails
# (the script's fail, prefixed with STEP_OF when set) at once if Wireshark ($WS) has ended,
# and lists the windows there are instead (a menu position that differs in this release
# shows there).
wait_window() {
    for _ in $(seq 300); do
        id=$(xdotool search --name "$1" 2>/dev/null | head -n 1) || true
        if [ -n "$id" ]; then echo "$id"; return 0; fi
        if [ -n "${WS:-}" ] && ! kill -0 "$WS" 2>/dev/null; then
            fail "${STEP_OF:+$STEP_OF: }Wireshark ended while waiting for \"$1\""
        fi
        sleep 0.2
    done
    for w in $(xdotool search --name . 2>/dev/null); do xdotool getwindowname "$w"; done | sed 's/^/window: /' >&2
    fail "${STEP_OF:+$STEP_OF: }no window \"$1\""
}

# place ID X Y W H: move and resize a window (there is no window manager), wait for Qt.
place() {
    xdotool windowmove "$1" "$2" "$3" windowsize "$1" "$4" "$5" windowraise "$1"
    sleep 1.5
}

# menu ALT_KEY DOWNS: open a main-window menu ($MAIN) and activate its item DOWNS items below
# the first.
menu() {
    xdotool windowfocus --sync "$MAIN" key "$1"
    sleep 0.5
    # shellcheck disable=SC2046 # one Down a word
    if [ "$2" -gt 0 ]; then xdotool key --delay 30 $(printf 'Down %.0s' $(seq "$2")); fi
    xdotool key Return
}

# open_flow_graph: Statistics > Flow Graph (the 17th item of Wireshark 4.0's menu) with flow
# type MSSTUN, 1600x1000 at 0,0; FLOW: the dialog's window id.
open_flow_graph() {
    menu alt+s 16
    FLOW=$(wait_window 'Flow ·')
    place "$FLOW" 0 0 1600 1000
    # Flow type: open the list, pick MSSTUN by typing.
    xdotool mousemove --window "$FLOW" 835 945 click 1
    sleep 0.5
    xdotool type --delay 30 MSSTUN
    xdotool key Return
    sleep 3
}
