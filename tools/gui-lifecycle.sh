#!/bin/sh
# The life of the MSSTUN reports in the real Wireshark GUI (Qt) under Xvfb, with the plugin
# from build/ in a private personal plugin folder (as tools/screenshot.sh runs it).  For each
# capture and each report (Telephony > MSSTUN TURN Allocations, ICE Checks, Media Paths):
#
#   open it with `wireshark -r FILE -z msstun,REPORT`, close it (Escape), re-read the packets
#   (Ctrl+R), apply a display filter and clear it, open the report again from the Telephony
#   menu, run it again with a filter typed into the dialog, close it, re-read, open the Flow
#   Graph with flow type MSSTUN, re-read with it open, close it.
#
# After every step Wireshark must still run, and its log must hold no assertion or crash
# (the report of issue 27: stat_tap_ui.c:242 "table_index < stat_table->num_elements" or a
# segfault on the first re-read after Media Paths was closed).
#
# Needs (Debian packages): wireshark-qt xvfb xdotool (not CI dependencies of the build:
# tools/deps.sh does not install them; test/suite_gui.py skips without them).  Run as root,
# Wireshark runs as nobody.  Menu positions are those of Wireshark 4.0 (Telephony: the
# MSSTUN items 17 to 19, one lower from 4.4 on; Statistics: Flow Graph 17th), as in tools/screenshot.sh.
# Usage: tools/gui-lifecycle.sh [CAPTURE...]   (names in captures/; default: the three below)
# MSSTUN_PLUGIN=PATH runs another build of the plugin (default build/msstun.so);
# GUI_REPORTS="media ..." runs only those reports (allocations checks media).
# Prints one line per capture and report, and the time taken.
set -eu
cd "$(dirname "$0")/.."
CAPTURES=${*:-msturn-tcp443.pcap turn-edge-relay.pcap msturn-udp3478.pcap}
MAJOR_MINOR=$(sed -n 's/^WIRESHARK_MAJOR_MINOR=//p' build/wireshark-plugin-info.txt)
# Wireshark 4.4 and later have one more Telephony item above MSSTUN's.
case $MAJOR_MINOR in
4.0|4.2) TELEPHONY_SHIFT=0 ;;
*) TELEPHONY_SHIFT=1 ;;
esac
START=$(date +%s)
WORK=$(mktemp -d)
chmod 755 "$WORK"
mkdir -p "$WORK/home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan" "$WORK/home/.config" "$WORK/run"
cp "${MSSTUN_PLUGIN:-build/msstun.so}" "$WORK/home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan/"
cp captures/*.pcap "$WORK/"
chmod 700 "$WORK/run"
RUN=""
if [ "$(id -u)" -eq 0 ]; then
    chown -R nobody:nogroup "$WORK/home" "$WORK/run"
    RUN="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
fi
XVFB="" WS=""
cleanup() {
    for pid in $WS $XVFB; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

Xvfb -displayfd 3 -noreset -nolisten tcp -screen 0 1800x1100x24 3>"$WORK/display" >/dev/null 2>&1 &
XVFB=$!
for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.2; done
DISPLAY=:$(cat "$WORK/display")
export DISPLAY
AS_USER="$RUN env HOME=$WORK/home XDG_RUNTIME_DIR=$WORK/run DISPLAY=$DISPLAY"

fail() {
    echo "gui-lifecycle.sh: $*" >&2
    if [ -s "$WORK/wireshark.log" ]; then sed 's/^/wireshark: /' "$WORK/wireshark.log" | tail -n 30 >&2; fi
    exit 1
}

# alive STEP: Wireshark still runs, and has logged no assertion, crash or critical warning.
alive() {
    sleep 1
    kill -0 "$WS" 2>/dev/null || fail "$STEP_OF: Wireshark ended after: $1"
    if grep -E -i 'assert|segmentation|abort|critical|double free|corrupt' "$WORK/wireshark.log" >/dev/null; then
        fail "$STEP_OF: Wireshark logged a failure after: $1"
    fi
}

# wait_window NAME: the id of the first window whose name contains NAME, within 60 s.
wait_window() {
    for _ in $(seq 300); do
        id=$(xdotool search --name "$1" 2>/dev/null | head -n 1) || true
        if [ -n "$id" ]; then echo "$id"; return 0; fi
        kill -0 "$WS" 2>/dev/null || fail "$STEP_OF: Wireshark ended while waiting for \"$1\""
        sleep 0.2
    done
    # What there is instead: a menu position that differs in this release shows here.
    for w in $(xdotool search --name . 2>/dev/null); do xdotool getwindowname "$w"; done | sed 's/^/window: /' >&2
    fail "$STEP_OF: no window \"$1\""
}

# wait_gone ID: until the window is closed.
wait_gone() {
    for _ in $(seq 100); do
        xdotool getwindowname "$1" >/dev/null 2>&1 || return 0
        sleep 0.2
    done
    fail "$STEP_OF: window $1 did not close"
}

place() {
    xdotool windowmove "$1" "$2" "$3" windowsize "$1" "$4" "$5" windowraise "$1"
    sleep 1
}

# menu ALT_KEY DOWNS: open a main-window menu and activate its item DOWNS items below the first.
menu() {
    xdotool windowfocus --sync "$MAIN" key "$1"
    sleep 0.5
    xdotool key --delay 30 $(printf 'Down %.0s' $(seq "$2")) Return
}

reread() {
    xdotool windowfocus --sync "$MAIN" key ctrl+r
    sleep 3
    alive "$1"
}

main_filter() {
    xdotool windowfocus --sync "$MAIN" key ctrl+slash key ctrl+a BackSpace
    [ -n "$1" ] && xdotool type --delay 10 "$1"
    xdotool key Return
    sleep 3
}

close_window() {
    xdotool windowfocus --sync "$1" key Escape
    wait_gone "$1"
}

# lifecycle CAPTURE REPORT TITLE TELEPHONY_DOWNS
lifecycle() {
    STEP_OF="$1 -z msstun,$2"
    : >"$WORK/wireshark.log"
    $AS_USER wireshark -r "$WORK/$1" -z "msstun,$2" >>"$WORK/wireshark.log" 2>&1 &
    WS=$!
    report=$(wait_window "$3")
    MAIN=$(wait_window "$1")
    place "$MAIN" 0 0 1600 1000
    sleep 2
    alive "opening $3 with -z"
    close_window "$report"
    alive "closing it"
    reread "re-reading (Ctrl+R) after closing it"
    main_filter 'udp || tcp'
    alive "applying a display filter"
    main_filter ''
    alive "clearing the display filter"
    menu alt+y $(($4 + TELEPHONY_SHIFT))
    report=$(wait_window "$3")
    place "$report" 0 0 1600 500
    sleep 2
    alive "opening $3 again from the Telephony menu"
    # The dialog's own display filter field, then Apply (Return): a second run of the dialog.
    xdotool mousemove --window "$report" 800 445 click 1 key ctrl+a
    xdotool type --delay 10 'frame.number <= 20'
    xdotool key Return
    sleep 3
    alive "running $3 again with a filter of its own"
    reread "re-reading with $3 open"
    close_window "$report"
    reread "re-reading after closing it again"
    menu alt+s 16
    flow=$(wait_window 'Flow ·')
    place "$flow" 0 0 1600 1000
    # Flow type: open the list, pick MSSTUN by typing (as tools/screenshot.sh).
    xdotool mousemove --window "$flow" 835 945 click 1
    sleep 0.5
    xdotool type --delay 30 MSSTUN
    xdotool key Return
    sleep 3
    alive "opening the Flow Graph (MSSTUN)"
    reread "re-reading with the Flow Graph open"
    close_window "$flow"
    reread "re-reading after closing the Flow Graph"
    kill "$WS"
    wait "$WS" 2>/dev/null || true
    WS=""
    echo "$STEP_OF: Wireshark stayed up through open, close, Ctrl+R, filter, reopen, rerun, Flow Graph"
}

for cap in $CAPTURES; do
    [ -f "$WORK/$cap" ] || fail "no capture captures/$cap"
    for report in ${GUI_REPORTS:-allocations checks media}; do
        case $report in
        allocations) lifecycle "$cap" allocations 'MSSTUN TURN Allocations' 18 ;;
        checks) lifecycle "$cap" checks 'MSSTUN ICE Checks' 16 ;;
        media) lifecycle "$cap" media 'MSSTUN Media Paths' 17 ;;
        *) fail "no report $report" ;;
        esac
    done
done
echo "gui-lifecycle.sh: all passed in $(($(date +%s) - START)) s"
