#!/bin/sh
# The life of the MSSTUN reports in the real Wireshark GUI (Qt) under Xvfb, with the plugin
# from build/ in a private personal plugin folder (as tools/screenshot.sh runs it).  For each
# capture and each report (Telephony > MSSTUN TURN Allocations, ICE Checks, Media Paths, Media Quality):
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
# MSSTUN items 16 to 19, one lower from 4.4 on; Statistics: Flow Graph 17th), as in tools/screenshot.sh.
# Usage: tools/gui-lifecycle.sh [CAPTURE...]   (names in captures/; default: the three below)
# MSSTUN_PLUGIN=PATH runs another build of the plugin (default build/msstun.so);
# GUI_REPORTS="media ..." runs only those reports (allocations checks media quality).
# Prints one line per capture and report, and the time taken.
set -eu
cd "$(dirname "$0")/.."
CAPTURES=${*:-msturn-tcp443.pcap turn-edge-relay.pcap msturn-udp3478.pcap}
. tools/lib/xvfb.sh
gui_prepare "${MSSTUN_PLUGIN:-build/msstun.so}"
# Wireshark 4.4 and later have one more Telephony item above MSSTUN's.
case $MAJOR_MINOR in
4.0|4.2) TELEPHONY_SHIFT=0 ;;
*) TELEPHONY_SHIFT=1 ;;
esac
START=$(date +%s)
XVFB="" WS=""
cleanup() {
    for pid in $WS $XVFB; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

xvfb_start 1800x1100

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

# wait_gone ID: until the window is closed.
wait_gone() {
    for _ in $(seq 100); do
        xdotool getwindowname "$1" >/dev/null 2>&1 || return 0
        sleep 0.2
    done
    fail "$STEP_OF: window $1 did not close"
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
    open_flow_graph
    alive "opening the Flow Graph (MSSTUN)"
    reread "re-reading with the Flow Graph open"
    close_window "$FLOW"
    reread "re-reading after closing the Flow Graph"
    kill "$WS"
    wait "$WS" 2>/dev/null || true
    WS=""
    echo "$STEP_OF: Wireshark stayed up through open, close, Ctrl+R, filter, reopen, rerun, Flow Graph"
}

for cap in $CAPTURES; do
    [ -f "$WORK/$cap" ] || fail "no capture captures/$cap"
    for report in ${GUI_REPORTS:-allocations checks media quality}; do
        case $report in
        allocations) lifecycle "$cap" allocations 'MSSTUN TURN Allocations' 19 ;;
        checks) lifecycle "$cap" checks 'MSSTUN ICE Checks' 16 ;;
        media) lifecycle "$cap" media 'MSSTUN Media Paths' 17 ;;
        quality) lifecycle "$cap" quality 'MSSTUN Media Quality' 18 ;;
        *) fail "no report $report" ;;
        esac
    done
done
echo "gui-lifecycle.sh: all passed in $(($(date +%s) - START)) s"
