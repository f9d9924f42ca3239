#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/quality.sh - the cost of the media paths and call quality reports (tap-msstun-flow.c),
# in instructions (callgrind Ir, deterministic on a shared machine), on bench/gen_edge.py's
# capture of BENCH_QUALITY_SIZE frames (default 10000), each configuration once:
#   A  baseline: tshark without the plugin, -o stun.stunversion:Auto --enable-heuristic rtp_udp,
#      -q -z rtp,streams (Wireshark's own per-stream RTP statistics)
#   B  plugin, -q -z rtp,streams: the plugin's decode, none of its reports (every packet is
#      dissected: tshark -q without a tap or filter would not dissect at all)
#   M  plugin, -q -z msstun,media
#   Q  plugin, -q -z msstun,quality
#   F  plugin, -q -z flow,msstun,network (the flow graph, whose media arrows carry the verdict)
#   P  BENCH_QUALITY_BEFORE (another build of the plugin, e.g. main's), as B: equal to B
#      when a change costs nothing with the reports off
# The 1-frame capture gives each configuration's start-up, left out of the per-frame figures.
# Environment: BENCH_QUALITY_SIZE, BENCH_QUALITY_BEFORE, BENCH_CACHE, MSSTUN_PLUGIN,
# MSSTUN_TEST_USER (as bench/run.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZE=${BENCH_QUALITY_SIZE:-10000}
CACHE=${BENCH_CACHE:-/var/tmp/msstun-bench-$(id -u)}
PLUGIN=${MSSTUN_PLUGIN:-$ROOT/build/msstun.so}
RUN_USER=${MSSTUN_TEST_USER:-nobody}
BASEOPTS=(-o stun.stunversion:Auto --enable-heuristic rtp_udp)

log() { printf '%s\n' "$*" >&2; }
command -v valgrind >/dev/null || { log "bench/quality.sh needs valgrind (apt-get install valgrind)"; exit 2; }
[ -f "$PLUGIN" ] || { log "no plugin at $PLUGIN (tools/build.sh)"; exit 2; }

. "$ROOT/bench/homes.sh"
edge_captures 1 "$SIZE"
make_homes /tmp/msstun-bench-quality.XXXXXX
mkdir -p "$WORK/cg"
CONFIGS="A B M Q F"
if [ -n "${BENCH_QUALITY_BEFORE:-}" ]; then
    mkdir -p "$WORK/home-before/.local/lib/wireshark/plugins/$MAJMIN/epan"
    cp "$BENCH_QUALITY_BEFORE" "$WORK/home-before/.local/lib/wireshark/plugins/$MAJMIN/epan/msstun.so"
    CONFIGS="$CONFIGS P"
fi
if [ "$(id -u)" = 0 ]; then chown -R "$RUN_USER" "$WORK/cg" "$WORK/home-before" 2>/dev/null || true; fi

ir() {   # frames config: callgrind's instruction count of one run
    local n=$1 cfg=$2 home=$WORK/home-plugin args=(-q)
    case $cfg in
        A) home=$WORK/home-base; args=("${BASEOPTS[@]}" -q -z rtp,streams) ;;
        B) args+=(-z rtp,streams) ;;
        P) home=$WORK/home-before; args+=(-z rtp,streams) ;;
        M) args+=(-z msstun,media) ;;
        Q) args+=(-z msstun,quality) ;;
        F) args+=(-z flow,msstun,network) ;;
    esac
    "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" TZ=UTC LC_ALL=C.UTF-8 \
        valgrind --tool=callgrind --callgrind-out-file="$WORK/cg/$n.$cfg.out" \
        tshark -n -r "$CACHE/edge-$n.pcap" "${args[@]}" >/dev/null 2>"$WORK/cg/$n.$cfg.log" ||
        { log "callgrind run failed ($n $cfg):"; tail -20 "$WORK/cg/$n.$cfg.log" >&2; exit 1; }
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/cg/$n.$cfg.log"
}

echo "msstun report cost: $(tshark --version 2>/dev/null | head -1), edge-$SIZE.pcap, callgrind Ir"
printf '%-34s %14s %14s %12s %8s %8s\n' config 'start-up Ir' 'run Ir' 'Ir/frame' 'xA' 'xB'
declare -A per
for cfg in $CONFIGS; do
    log "  callgrind $cfg"
    s=$(ir 1 "$cfg")
    r=$(ir "$SIZE" "$cfg")
    per[$cfg]=$(( (r - s) / (SIZE - 1) ))
    case $cfg in
        A) name='A baseline, -z rtp,streams' ;;
        B) name='B plugin, -z rtp,streams' ;;
        P) name='P before, -z rtp,streams' ;;
        M) name='M plugin, -z msstun,media' ;;
        Q) name='Q plugin, -z msstun,quality' ;;
        F) name='F plugin, -z flow,msstun,network' ;;
    esac
    printf '%-34s %14d %14d %12d %8.3f %8s\n' "$name" "$s" "$r" "${per[$cfg]}" \
        "$(awk -v a="${per[A]}" -v c="${per[$cfg]}" 'BEGIN { printf "%.3f", c / a }')" \
        "$( [ -n "${per[B]:-}" ] && awk -v b="${per[B]}" -v c="${per[$cfg]}" 'BEGIN { printf "%.3f", c / b }' || echo -)"
done
