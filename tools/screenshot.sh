#!/bin/sh
# Retakes docs/wireshark-msstun.png: the real Wireshark GUI, under Xvfb, with
# the plugin from build/, showing an MSSTUN decode and the TURN allocations
# report (Statistics > MSSTUN TURN Allocations).
# Needs: wireshark-qt xvfb imagemagick xdotool (Debian packages).
# Usage: tools/screenshot.sh [OUTPUT.png]
set -eu
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-docs/wireshark-msstun.png}")
WORK=$(mktemp -d)
chmod 755 "$WORK"
MAJOR_MINOR=$(sed -n 's/^WIRESHARK_MAJOR_MINOR=//p' build/wireshark-plugin-info.txt)
mkdir -p "$WORK/home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan" "$WORK/run"
cp build/msstun.so "$WORK/home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan/"
cp captures/msturn-udp3478.pcap "$WORK/"
chmod 700 "$WORK/run"
RUN=""
if [ "$(id -u)" -eq 0 ]; then
    chown -R nobody:nogroup "$WORK/home" "$WORK/run"
    RUN="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
fi

export DISPLAY=:97
Xvfb "$DISPLAY" -screen 0 1600x1000x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 2
$RUN env HOME="$WORK/home" XDG_RUNTIME_DIR="$WORK/run" DISPLAY="$DISPLAY" \
    wireshark -r "$WORK/msturn-udp3478.pcap" -g 4 -z msstun,allocations >/dev/null 2>&1 &
sleep 12
MAIN=$(xdotool search --name 'msturn-udp3478.pcap' | head -n 1)
REPORT=$(xdotool search --name 'MSSTUN TURN Allocations' | head -n 1)
xdotool windowmove "$MAIN" 0 0 windowsize "$MAIN" 1600 700
xdotool windowmove "$REPORT" 0 705 windowsize "$REPORT" 1600 290
sleep 2
# Expand the MSSTUN tree of frame 4 (the fifth line of the details pane).
xdotool mousemove 120 465 click 1 key shift+Right
sleep 2
mkdir -p "$(dirname "$OUT")"
import -window root "$OUT"
echo "Wrote $OUT"
