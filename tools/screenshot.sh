#!/bin/sh
# Retakes the screenshots in docs/ with the real Wireshark GUI (Qt) under Xvfb, the plugin
# from build/ in a private personal plugin folder, and checks what the GUI shows against
# tshark:
#
#   decode  docs/wireshark-msstun.png  captures/msturn-udp3478.pcap, frame 4's MSSTUN tree
#           and Telephony > MSSTUN TURN Allocations (-z msstun,allocations).
#   flow    docs/flow-graph.png  Statistics > Flow Graph, flow type "MSSTUN", on
#           captures/msturn-learning.pcap (--enable-heuristic msstun_udp). The graph is
#           exported from the dialog as ASCII and must equal `tshark -z flow,msstun,network`
#           (one and two passes); then again with a display filter in the main window and
#           "Limit to display filter".
#   media   docs/media-paths.png  Telephony > MSSTUN Media Paths (from the menu) on the same
#           capture. The rows the dialog copies must hold the text of those of `tshark -z
#           msstun,media` (spaces and cell separators aside); then again with a display
#           filter typed into the dialog.
#   rtp     docs/rtp-player.png, docs/rtp-analysis.png  captures/srtp-sip-call.pcap, whose
#           SRTP the plugin decrypts with the SDES keys of its SIP: Telephony > RTP > RTP
#           Streams, both streams, Play Streams, Play, into a PulseAudio null sink; the shot
#           is taken while it plays. The sink's monitor is recorded and must hold the
#           caller's 440 Hz tone on the left channel and the callee's 660 Hz on the right.
#           Then RTP Stream Analysis of the caller's stream. Last, the same playback with
#           -o msstun.srtp_decrypt:FALSE must hold no tone.
#   g722    (no screenshot) captures/srtp-msrtcp.pcap, a G.722 call decrypted by the plugin:
#           both streams played into the null sink; the recording must hold the caller's
#           480 Hz and the callee's 720 Hz, one on each channel, and without decryption no tone.
#
# Needs (Debian packages): wireshark-qt xvfb xdotool imagemagick xclip pulseaudio
# pulseaudio-utils python3 (not CI dependencies: tools/deps.sh does not install them).
# Run as root, Wireshark runs as nobody (as the test suite's tshark does).
# Window positions are set by the script; menus are driven by keyboard; the few clicks
# (combo boxes, a check box, the Copy and Play buttons) are relative to a window whose size
# the script sets. Written for Wireshark 4.0 (menu order and dialog layouts).
# Usage: tools/screenshot.sh [decode] [flow] [media] [rtp] [g722]   (default: all five)
# SCREENSHOT_KEEP=1 keeps the work folder (exports, recording, frames) for a look.
set -eu
cd "$(dirname "$0")/.."
SHOTS=${*:-decode flow media rtp g722}
. tools/lib/xvfb.sh
gui_prepare build/msstun.so out
XVFB="" PULSE="" WS=""
cleanup() {
    for pid in $WS $PULSE $XVFB; do kill "$pid" 2>/dev/null || true; done
    if [ -n "${SCREENSHOT_KEEP:-}" ]; then echo "Kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

xvfb_start 2400x1100

fail() {
    echo "screenshot.sh: $*" >&2
    if [ -s "$WORK/wireshark.log" ]; then sed 's/^/wireshark: /' "$WORK/wireshark.log" >&2; fi
    exit 1
}

# start_wireshark FILE ARGS...: open a capture, wait for the main window, 1600x1000 at 0,0.
start_wireshark() {
    file=$1; shift
    $AS_USER wireshark -r "$WORK/$file" "$@" >>"$WORK/wireshark.log" 2>&1 &
    WS=$!
    MAIN=$(wait_window "$file")
    place "$MAIN" 0 0 1600 1000
    xdotool windowfocus --sync "$MAIN"
}

stop_wireshark() {
    kill "$WS" 2>/dev/null || true
    wait "$WS" 2>/dev/null || true
    WS=""
}

# save IMAGE OUT: write a screenshot to docs/ as a compact PNG.
save() {
    mkdir -p docs
    convert "$1" -strip -define png:compression-level=9 "docs/$2"
    echo "Wrote docs/$2 ($(wc -c <"docs/$2") bytes)"
}

tshark_user() {
    $AS_USER tshark -n -q "$@" 2>/dev/null
}

# The rows of a MSSTUN stat table (tshark " |"-separated, or the dialog's Copy, padded with
# spaces) with every space and bar removed, so that the two can be compared.
table_rows() {
    grep '^0x' | tr -d ' |'
}

clipboard() {
    $AS_USER xclip -o -selection clipboard
}

shot_decode() {
    start_wireshark msturn-udp3478.pcap -g 4 -z msstun,allocations
    report=$(wait_window 'MSSTUN TURN Allocations')
    place "$MAIN" 0 0 1600 700
    place "$report" 0 705 1600 290
    # Expand the MSSTUN tree of frame 4 (the fifth line of the details pane).
    xdotool mousemove --window "$MAIN" 120 465 click 1 key shift+Right
    sleep 2
    import -window root -crop 1600x1000+0+0 "$WORK/decode.png"
    save "$WORK/decode.png" wireshark-msstun.png
    stop_wireshark
}

# flow_export NAME: the Flow dialog's Export as ASCII into $WORK/out/NAME.
flow_export() {
    xdotool windowfocus --sync "$FLOW" key alt+e
    dialog=$(wait_window 'Save Graph As')
    place "$dialog" 100 100 630 415
    xdotool type --delay 10 "$WORK/out/$1"
    # "Files of type": open the list, pick ASCII by typing, save.
    xdotool mousemove --window "$dialog" 300 390 click 1
    sleep 0.5
    xdotool type --delay 30 ASCII
    xdotool key Return
    sleep 0.3
    xdotool key alt+s
    for _ in $(seq 50); do [ -s "$WORK/out/$1" ] && return 0; sleep 0.2; done
    fail "Flow Graph export $1 not written"
}

shot_flow() {
    cap=msturn-learning.pcap
    filter='ip.addr==10.0.0.10'
    start_wireshark "$cap" --enable-heuristic msstun_udp
    open_flow_graph
    # Wide enough for the six nodes and the dialog's controls (the clicks below are for
    # 1600x1000).
    place "$FLOW" 0 0 2000 760
    import -window "$FLOW" "$WORK/flow.png"
    save "$WORK/flow.png" flow-graph.png
    place "$FLOW" 0 0 1600 1000
    flow_export flow-gui.txt
    for passes in "" -2; do
        tshark_user $passes -r "$WORK/$cap" --enable-heuristic msstun_udp \
            -z flow,msstun,network >"$WORK/flow-tshark.txt"
        cmp -s "$WORK/out/flow-gui.txt" "$WORK/flow-tshark.txt" ||
            fail "Flow Graph differs from tshark $passes -z flow,msstun,network"
    done
    echo "Flow Graph (MSSTUN): $(grep -c -e '-->' -e '<--' "$WORK/out/flow-gui.txt") arrows, identical to tshark -z flow,msstun,network (one and two passes)"
    # The main window's display filter, then "Limit to display filter".
    xdotool windowfocus --sync "$MAIN" key ctrl+slash
    xdotool type --delay 10 "$filter"
    xdotool key Return
    sleep 2
    xdotool windowraise "$FLOW" windowfocus --sync "$FLOW"
    xdotool mousemove --window "$FLOW" 17 945 click 1
    sleep 3
    flow_export flow-gui-filtered.txt
    for passes in "" -2; do
        tshark_user $passes -r "$WORK/$cap" --enable-heuristic msstun_udp \
            -z "flow,msstun,network,$filter" >"$WORK/flow-tshark.txt"
        cmp -s "$WORK/out/flow-gui-filtered.txt" "$WORK/flow-tshark.txt" ||
            fail "Flow Graph with $filter differs from tshark $passes -z flow,msstun,network,$filter"
    done
    echo "Flow Graph (MSSTUN) limited to $filter: $(grep -c -e '-->' -e '<--' "$WORK/out/flow-gui-filtered.txt") arrows, identical to tshark"
    stop_wireshark
}

# media_check FILTER: the dialog's rows (Copy) against tshark -z msstun,media[,FILTER].
media_check() {
    xdotool mousemove --window "$MEDIA" $((MEDIA_W - 236)) $((MEDIA_H - 24)) click 1   # Copy
    sleep 1
    { clipboard || fail "MSSTUN Media Paths: nothing copied"; } | table_rows >"$WORK/media-gui.txt"
    [ -s "$WORK/media-gui.txt" ] || fail "MSSTUN Media Paths: no rows copied"
    for passes in "" -2; do
        tshark_user $passes -r "$WORK/$cap" --enable-heuristic msstun_udp \
            -z "msstun,media${1:+,$1}" | table_rows >"$WORK/media-tshark.txt"
        cmp -s "$WORK/media-gui.txt" "$WORK/media-tshark.txt" || {
            diff "$WORK/media-gui.txt" "$WORK/media-tshark.txt" >&2
            fail "MSSTUN Media Paths ${1:-} differ from tshark $passes -z msstun,media${1:+,$1}"
        }
    done
    echo "MSSTUN Media Paths${1:+ with $1}: $(wc -l <"$WORK/media-gui.txt") rows, identical to tshark -z msstun,media (one and two passes)"
}

shot_media() {
    cap=msturn-learning.pcap
    start_wireshark "$cap" --enable-heuristic msstun_udp
    menu alt+y 17                       # Telephony > MSSTUN Media Paths
    MEDIA=$(wait_window 'MSSTUN Media Paths')
    MEDIA_W=2300 MEDIA_H=230            # wide enough for every column
    place "$MEDIA" 0 0 $MEDIA_W $MEDIA_H
    sleep 2
    import -window "$MEDIA" "$WORK/media.png"
    save "$WORK/media.png" media-paths.png
    media_check ""
    # A display filter typed into the dialog.
    xdotool mousemove --window "$MEDIA" 1000 $((MEDIA_H - 55)) click 1
    xdotool type --delay 10 'ip.addr==10.0.0.10'
    xdotool key Return
    sleep 3
    media_check 'ip.addr==10.0.0.10'
    stop_wireshark
}

# tone_report WAV: for each channel of the null sink's recording, the frequency of the
# spectrum's peak among 300..1000 Hz (Goertzel, 10 Hz steps), how far the peak stands above
# the median of that band (dB), and the RMS.
tone_report() {
    python3 - "$1" <<'EOF'
import math, struct, sys, wave
w = wave.open(sys.argv[1])
rate, n = w.getframerate(), w.getnframes()
data = struct.unpack('<%dh' % (n * 2), w.readframes(n))
for name, x in (('left', data[0::2]), ('right', data[1::2])):
    spectrum = []
    for f in range(300, 1001, 10):
        k = 2 * math.cos(2 * math.pi * f / rate)
        s1 = s2 = 0.0
        for s in x:
            s1, s2 = s + k * s1 - s2, s1
        spectrum.append((s1 * s1 + s2 * s2 - k * s1 * s2, f))
    peak = max(spectrum)
    median = sorted(spectrum)[len(spectrum) // 2][0]
    rms = math.sqrt(sum(s * s for s in x) / max(len(x), 1))
    print('%s %d %.0f %.0f' % (name, peak[1], 10 * math.log10(peak[0] / median) if median > 0 else 0, rms))
EOF
}

# button IMAGE: a hash of the RTP Player's Play/Pause button.
button() {
    convert "$1" -crop 32x32+6+796 +repage -format '%#' info:
}

# rtp_open FILE ARGS...: FILE (Wireshark given ARGS), Telephony > RTP > RTP Streams, both
# streams, Play Streams.
rtp_open() {
    start_wireshark "$@"
    # Telephony > RTP (its mnemonic R) > RTP Streams (the submenu's first item).
    xdotool windowfocus --sync "$MAIN" key alt+y
    sleep 0.5
    xdotool key r
    sleep 0.5
    xdotool key Return
    STREAMS=$(wait_window 'RTP Streams')
    place "$STREAMS" 0 0 1400 500
    xdotool mousemove --window "$STREAMS" 300 60 click 1 key ctrl+a
    sleep 0.5
    xdotool key alt+p                   # Play Streams
    PLAYER=$(wait_window 'RTP Player')
    place "$PLAYER" 0 0 1400 900
    # The player's defaults: jitter buffer 50 ms, timing "Jitter Buffer". (A jitter buffer
    # of 100 ms or more, or timing "RTP Timestamp", left this Wireshark 4.0.17 / Qt 5.15
    # player in the playing state with no sound on this capture when its packets were 40 ms
    # apart.)
}

# rtp_record WAV: Play while the null sink is recorded into WAV and the player is
# screenshot 31 times in about 2 s ($WORK/play10.miff ... play40.miff); PLAYING: the numbers
# of the screenshots whose Play button shows Pause; $WORK/tones.txt: the tone report.
rtp_record() {
    xdotool windowraise "$PLAYER"
    $AS_USER parec -d msstun_null.monitor --rate=8000 --channels=2 --format=s16le \
        --file-format=wav "$WORK/out/$1" &
    rec=$!
    # The idle Play button, under the mouse as it will be while playing.
    xdotool mousemove --window "$PLAYER" 22 812
    sleep 1.5
    import -window "$PLAYER" "$WORK/idle.miff"
    xdotool click 1
    for i in $(seq 10 40); do import -window "$PLAYER" "$WORK/play$i.miff"; done
    sleep 1
    kill "$rec"
    wait "$rec" 2>/dev/null || true
    idle=$(button "$WORK/idle.miff")
    PLAYING=""
    for i in $(seq 10 40); do
        [ "$(button "$WORK/play$i.miff")" = "$idle" ] || PLAYING="$PLAYING $i"
    done
    [ -n "$PLAYING" ] || fail "RTP Player never showed the playing state"
    tone_report "$WORK/out/$1" >"$WORK/tones.txt"
    while read -r side freq db rms; do
        echo "  recorded $side channel: peak $freq Hz, $db dB above the band's median, RMS $rms"
    done <"$WORK/tones.txt"
}

# rtp_play WAV CONDITION: records playbacks until the tone report meets CONDITION (an awk
# program that exits 0 when it does), at most 4. A playback of this player into the null
# sink sometimes comes out silent on one or both channels (always the first one after
# the player opened, in most of our runs).
rtp_play() {
    for attempt in 1 2 3 4; do
        echo "  playback $attempt:"
        rtp_record "$1"
        if awk "$2" "$WORK/tones.txt"; then return 0; fi
    done
    return 1
}

# rtp_streams_check: the RTP Streams dialog's rows (Copy as CSV) against `tshark -z
# rtp,streams`: addresses, ports, SSRC, payload, packets, lost, deltas and jitters (3 decimals).
rtp_streams_check() {
    xdotool windowraise "$STREAMS" windowfocus --sync "$STREAMS" key ctrl+a alt+y
    sleep 0.7
    xdotool key Down Return             # Copy > as CSV
    sleep 1
    clipboard >"$WORK/streams-gui.csv" || fail "RTP Streams: nothing copied"
    tshark_user -r "$WORK/srtp-sip-call.pcap" -z rtp,streams >"$WORK/streams-tshark.txt"
    python3 - "$WORK/streams-gui.csv" "$WORK/streams-tshark.txt" <<'EOF' || fail "RTP Streams differ from tshark -z rtp,streams"
import csv, sys
gui = sorted('%s %s %s %s 0x%08x %s %s %s %s' % (r[0], r[1], r[2], r[3], int(r[4]), r[7], r[8], r[9],
             ' '.join('%.3f' % float(v) for v in r[11:16]))
             for r in list(csv.reader(open(sys.argv[1])))[1:])
cli = sorted(' '.join(f[2:10] + f[12:17]) for f in (l.split() for l in open(sys.argv[2]))
             if len(f) >= 17 and f[6].startswith('0x'))
print('\n'.join('  ' + l for l in gui))
sys.exit(gui != cli or not gui)
EOF
    echo "  RTP Streams: $(($(wc -l <"$WORK/streams-gui.csv") - 1)) streams, as tshark -z rtp,streams"
}

# start_pulse: a PulseAudio server with the null sink msstun_null (once).
start_pulse() {
    [ -z "$PULSE" ] || return 0
    $AS_USER pulseaudio --daemonize=no -n --load=module-native-protocol-unix \
        --load="module-null-sink sink_name=msstun_null" --exit-idle-time=-1 \
        >"$WORK/pulse.log" 2>&1 &
    PULSE=$!
    for _ in $(seq 50); do $AS_USER pactl info >/dev/null 2>&1 && break; sleep 0.2; done
}

shot_rtp() {
    start_pulse
    echo "RTP Player, SRTP decrypted by the plugin:"
    rtp_open srtp-sip-call.pcap -g 4
    rtp_streams_check
    # Both tones: 440 Hz on the left, 660 Hz on the right, at least 15 dB above the rest.
    rtp_play played.wav '$1 == "left" && $2 == 440 && $3 >= 15 { l = 1 }
                         $1 == "right" && $2 == 660 && $3 >= 15 { r = 1 } END { exit !(l && r) }' ||
        fail "the null sink did not receive 440 Hz left and 660 Hz right"
    set -- $PLAYING
    echo "  $# of 31 screenshots taken in 2 s show it playing, kept the middle one"
    save "$WORK/play$(eval echo "\${$(( ($# + 1) / 2 ))}").miff" rtp-player.png
    # Telephony > RTP > RTP Stream Analysis of the selected packet's stream: frame 4 (-g 4),
    # the caller's, across its sequence number wrap.
    xdotool windowraise "$MAIN" windowfocus --sync "$MAIN" key alt+y
    sleep 0.5
    xdotool key r
    sleep 0.5
    xdotool key Down Return
    analysis=$(wait_window 'RTP Stream Analysis')
    place "$analysis" 0 0 1300 470
    import -window "$analysis" "$WORK/analysis.png"
    save "$WORK/analysis.png" rtp-analysis.png
    stop_wireshark
    # The control: without decryption the player gets the ciphertext, and plays no tone.
    echo "RTP Player with -o msstun.srtp_decrypt:FALSE:"
    rtp_open srtp-sip-call.pcap -o msstun.srtp_decrypt:FALSE
    # Sound on both channels (RMS over 100), no tone.
    rtp_play undecrypted.wav '$4 <= 100 { quiet = 1 } $3 >= 15 { tone = 1 } END { exit quiet || tone }' ||
        fail "no sound, or a tone, came out of the player without decryption"
    stop_wireshark
}

# The G.722 call of captures/srtp-msrtcp.pcap (no screenshot): both streams played, the
# recording must hold the caller's 480 Hz and the callee's 720 Hz tones (gen_srtp.py,
# MS_TONE_A and MS_TONE_B), one on each channel; with decryption off, no tone.
shot_g722() {
    start_pulse
    echo "RTP Player, G.722 SRTP decrypted by the plugin (srtp-msrtcp.pcap):"
    rtp_open srtp-msrtcp.pcap
    rtp_play g722.wav '$2 == 480 && $3 >= 15 { a = $1 } $2 == 720 && $3 >= 15 { b = $1 }
                       END { exit !(a != "" && b != "" && a != b) }' ||
        fail "the null sink did not receive 480 Hz and 720 Hz, one on each channel"
    stop_wireshark
    echo "RTP Player, G.722 with -o msstun.srtp_decrypt:FALSE:"
    rtp_open srtp-msrtcp.pcap -o msstun.srtp_decrypt:FALSE
    rtp_play g722-undecrypted.wav '$4 <= 100 { quiet = 1 } $3 >= 15 { tone = 1 } END { exit quiet || tone }' ||
        fail "no sound, or a tone, came out of the G.722 player without decryption"
    stop_wireshark
}

for s in $SHOTS; do
    case $s in
        decode|flow|media|rtp|g722) "shot_$s" ;;
        *) fail "unknown shot $s (decode, flow, media, rtp, g722)" ;;
    esac
done
