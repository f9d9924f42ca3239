#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/srtp.sh - the cost of SRTP decryption with every stream decrypted.
#
# Generates (bench/gen_srtp_calls.py, libsrtp2) three captures of SRTP calls keyed in SIP,
# half of them direct between the SDP addresses, half relayed through an Edge (bound to
# their keys by the authentication tag):
#   base     BENCH_SRTP_FRAMES frames, BENCH_SRTP_STREAMS streams
#   packets  twice the frames, the same streams (so twice the packets per stream)
#   streams  the same frames, ten times the streams
# and runs on each, interleaved, BENCH_REPS times:
#   A  tshark without the plugin (-o stun.stunversion:Auto --enable-heuristic rtp_udp, as bench/run.sh)
#   B  the plugin with msstun.srtp_decrypt:FALSE (no key used)
#   C  the plugin decrypting every stream
# each as `tshark -n -r FILE -T fields -e frame.number > /dev/null` under /usr/bin/time.
# Prints medians of CPU time and peak RSS, C/A and B/A, and the memory the plugin adds
# per SRTP packet (packets vs base) and per stream (streams vs base), above what tshark
# itself adds; checks first that C decrypts every SRTP and SRTCP packet.  BENCH_CALLGRIND=1
# adds instruction counts (A and C on the base capture).  Never fails on a figure.
#
# Environment: BENCH_SRTP_FRAMES (100000), BENCH_SRTP_STREAMS (200), BENCH_REPS (3),
#   BENCH_CALLGRIND (0), BENCH_CACHE, MSSTUN_PLUGIN, MSSTUN_TEST_USER (nobody).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${BENCH_REPS:-3}
FRAMES=${BENCH_SRTP_FRAMES:-100000}
STREAMS=${BENCH_SRTP_STREAMS:-200}
CACHE=${BENCH_CACHE:-/var/tmp/msstun-bench-$(id -u)}
PLUGIN=${MSSTUN_PLUGIN:-$ROOT/build/msstun.so}
RUN_USER=${MSSTUN_TEST_USER:-nobody}
BASEOPTS=(-o stun.stunversion:Auto --enable-heuristic rtp_udp)
log() { printf '%s\n' "$*" >&2; }

[ -x /usr/bin/time ] || { log "needs GNU time (apt-get install time)"; exit 2; }
[ -f "$PLUGIN" ] || { log "no plugin at $PLUGIN (tools/build.sh)"; exit 2; }
mkdir -p "$CACHE"
chmod 755 "$CACHE"
declare -A CAP
gen() {   # name frames streams
    local f=$CACHE/srtp-calls-$2-$3.pcap
    if [ ! -f "$f" ] || [ "$ROOT/bench/gen_srtp_calls.py" -nt "$f" ] || [ -n "$(find "$ROOT/captures/lib" -name '*.py' -newer "$f")" ]; then
        log "generating $f"
        python3 "$ROOT/bench/gen_srtp_calls.py" --frames "$2" --streams "$3" --out "$f.tmp" >&2
        mv "$f.tmp" "$f"
    fi
    chmod 644 "$f"
    CAP[$1]=$f
}
gen base "$FRAMES" "$STREAMS"
gen packets $((2 * FRAMES)) "$STREAMS"
gen streams "$FRAMES" $((10 * STREAMS))

. "$ROOT/bench/homes.sh"
make_homes /tmp/msstun-bench-srtp.XXXXXX
args_for() {   # cfg -> HOME and options in CFG_HOME / CFG_ARGS
    case $1 in
        A) CFG_HOME=$WORK/home-base; CFG_ARGS=("${BASEOPTS[@]}") ;;
        B) CFG_HOME=$WORK/home-plugin; CFG_ARGS=(-o msstun.srtp_decrypt:FALSE) ;;
        C) CFG_HOME=$WORK/home-plugin; CFG_ARGS=() ;;
    esac
}

# --- what C decrypts, per capture: SRTP/SRTCP packets by authentication status, and streams
for name in base packets streams; do
    counts=$(ts "$WORK/home-plugin" -n -r "${CAP[$name]}" -T fields -e msstun.srtp.auth.status -e rtp.ssrc \
             -e rtcp.senderssrc -Y 'rtp || rtcp' |
             awk -F'\t' '{ s[$1]++; if ($2 != "") r[$2] = 1 } END { n = 0; for (k in r) n++;
                          printf "%d %d %d", s["1"], NR - s["1"], n }')
    read -r good other nstreams <<<"$counts"
    echo "$name: $(basename "${CAP[$name]}"): $good SRTP/SRTCP packets decrypted, $other not, $nstreams RTP streams" \
        >>"$WORK/decode.txt"
    printf '%s\t%s\t%s\n' "$name" "$good" "$nstreams" >>"$WORK/counts.tsv"
done

# --- timed runs, interleaved
: >"$WORK/results.tsv"
START=$(date +%s)
for r in $(seq 1 "$REPS"); do
    for name in base packets streams; do
        for cfg in A B C; do
            args_for "$cfg"
            log "repetition $r/$REPS: $name $cfg"
            /usr/bin/time -f '%U %S %M' -o "$WORK/time.out" "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin \
                HOME="$CFG_HOME" TZ=UTC LC_ALL=C.UTF-8 tshark -n -r "${CAP[$name]}" "${CFG_ARGS[@]}" \
                -T fields -e frame.number >/dev/null 2>"$WORK/stderr" ||
                { log "tshark failed ($name $cfg)"; cat "$WORK/stderr" >&2; exit 1; }
            read -r user sys rss <"$WORK/time.out"
            printf '%s\t%s\t%s\t%s\n' "$name" "$cfg" "$(echo "$user + $sys" | bc)" "$rss" >>"$WORK/results.tsv"
        done
    done
done
END=$(date +%s)

# --- optional instruction counts
: >"$WORK/callgrind.tsv"
if [ "${BENCH_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
    mkdir -p "$WORK/cg"
    [ "$(id -u)" = 0 ] && chown "$RUN_USER" "$WORK/cg"
    for cfg in A C; do
        args_for "$cfg"
        log "callgrind base $cfg"
        "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$CFG_HOME" TZ=UTC LC_ALL=C.UTF-8 \
            valgrind --tool=callgrind --callgrind-out-file="$WORK/cg/$cfg.out" tshark -n -r "${CAP[base]}" \
            "${CFG_ARGS[@]}" -T fields -e frame.number >/dev/null 2>"$WORK/cg/$cfg.log"
        printf '%s\t%s\n' "$cfg" "$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/cg/$cfg.log")" \
            >>"$WORK/callgrind.tsv"
    done
fi

echo "SRTP decryption benchmark: $(tshark --version 2>/dev/null | head -1), $(nproc) CPUs, $REPS repetitions (medians), $((END - START)) s"
echo "A = no plugin (${BASEOPTS[*]}), B = plugin with msstun.srtp_decrypt:FALSE, C = plugin decrypting every stream"
cat "$WORK/decode.txt"
python3 - "$WORK/results.tsv" "$WORK/counts.tsv" "$WORK/callgrind.tsv" "$FRAMES" <<'EOF'
import statistics
import sys

rows = [l.split('\t') for l in open(sys.argv[1]).read().splitlines()]
counts = {l.split('\t')[0]: [int(x) for x in l.split('\t')[1:]] for l in open(sys.argv[2]).read().splitlines()}
frames = int(sys.argv[4])
med = {}
for name, cfg in {(r[0], r[1]) for r in rows}:
    rs = [r for r in rows if (r[0], r[1]) == (name, cfg)]
    med[name, cfg] = (statistics.median(float(r[2]) for r in rs), statistics.median(int(r[3]) for r in rs) / 1024)
print('%-8s %6s %8s | %7s %8s | %7s %8s %6s %6s | %7s %8s %6s %6s' % (
    'capture', 'frames', 'streams', 'A CPU s', 'A RSS MB', 'B CPU s', 'B RSS MB', 'B/A', 'RSS', 'C CPU s',
    'C RSS MB', 'C/A', 'RSS'))
nframes = {'base': frames, 'packets': 2 * frames, 'streams': frames}
for name in ('base', 'packets', 'streams'):
    a, b, c = med[name, 'A'], med[name, 'B'], med[name, 'C']
    print('%-8s %6d %8d | %7.2f %8.1f | %7.2f %8.1f %6.3f %6.3f | %7.2f %8.1f %6.3f %6.3f' % (
        name, nframes[name], counts[name][1], a[0], a[1], b[0], b[1], b[0] / a[0], b[1] / a[1], c[0], c[1],
        c[0] / a[0], c[1] / a[1]))


def added(name, cfg):
    """RSS (bytes) that the plugin configuration adds above tshark without it."""
    return (med[name, cfg][1] - med[name, 'A'][1]) * 1048576


dp = counts['packets'][0] - counts['base'][0]
ds = counts['streams'][1] - counts['base'][1]
print('memory the plugin adds (C minus A): %.0f MB at base; per extra SRTP packet %.1f B (packets vs base, '
      '%d more packets); per extra stream %.0f B (streams vs base, %d more streams, each with its key and SDP)'
      % (added('base', 'C') / 1048576, (added('packets', 'C') - added('base', 'C')) / dp, dp,
         (added('streams', 'C') - added('base', 'C')) / ds, ds))
cg = {l.split('\t')[0]: int(l.split('\t')[1]) for l in open(sys.argv[3]).read().splitlines() if l.split('\t')[1]}
if 'A' in cg and 'C' in cg:
    print('instructions (callgrind Ir, base capture): A %d, C %d, C/A %.3f; %.0f more per frame, %.0f per SRTP '
          'packet' % (cg['A'], cg['C'], cg['C'] / cg['A'], (cg['C'] - cg['A']) / frames,
                      (cg['C'] - cg['A']) / counts['base'][0]))
EOF
