#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh - tshark with and without the msstun plugin on large Edge captures.
#
# Builds the plugin if needed (tools/build.sh), generates captures of 10^4, 10^5 and 10^6
# frames with bench/gen_edge.py into a cache directory (reused while the generators are
# unchanged), installs the plugin into a temporary HOME and, for each size, runs three
# configurations interleaved (A B C A B C ...) BENCH_REPS times:
#   A  baseline: tshark without the plugin, -o stun.stunversion:Auto --enable-heuristic rtp_udp
#   B  plugin:   tshark with msstun.so in the personal plugin folder
#   C  plugin -2: the same with two passes
# each as `tshark -n -r FILE -T fields -e frame.number > /dev/null` under /usr/bin/time.
# As root, tshark runs as an unprivileged user (nobody, or $MSSTUN_TEST_USER), because tshark
# run as root ignores personal plugins.  Prints medians, ratios and verdicts; never fails on
# a missed target.
#
# Environment: BENCH_REPS (3), BENCH_SIZES ("10000 100000 1000000"),
#   BENCH_CACHE (/var/tmp/msstun-bench-$UID), MSSTUN_PLUGIN (build/msstun.so),
#   MSSTUN_TEST_USER (nobody), BENCH_DECODE (1: print the decode summary of the smallest capture),
#   BENCH_SRTP (1: then bench/srtp.sh, SRTP with every stream decrypted; its own BENCH_SRTP_* variables).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${BENCH_REPS:-3}
SIZES=${BENCH_SIZES:-"10000 100000 1000000"}
CACHE=${BENCH_CACHE:-/var/tmp/msstun-bench-$(id -u)}
PLUGIN=${MSSTUN_PLUGIN:-$ROOT/build/msstun.so}
RUN_USER=${MSSTUN_TEST_USER:-nobody}
OUTOPTS=(-T fields -e frame.number)
BASEOPTS=(-o stun.stunversion:Auto --enable-heuristic rtp_udp)
LIMIT=1.10

log() { printf '%s\n' "$*" >&2; }

# --- tools
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time"
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq time >/dev/null; else sudo apt-get install -y -qq time >/dev/null; fi
fi
command -v tshark >/dev/null || { log "tshark not found (tools/setup.sh installs it)"; exit 2; }

# --- plugin
if [ -z "${MSSTUN_PLUGIN:-}" ]; then
    if [ ! -f "$PLUGIN" ] || [ -n "$(find "$ROOT" -maxdepth 1 \( -name '*.c' -o -name '*.h' -o -name CMakeLists.txt \) \
                                    -newer "$PLUGIN" -print -quit)" ]; then
        log "building the plugin (tools/build.sh)"
        "$ROOT/tools/build.sh" >&2
    fi
fi
[ -f "$PLUGIN" ] || { log "no plugin at $PLUGIN"; exit 2; }

# --- captures (cache, reused while bench/gen_edge.py and captures/lib/ are unchanged);
# the 1-frame capture measures tshark's start-up and exit (registering every dissector), a fixed cost
. "$ROOT/bench/homes.sh"
# shellcheck disable=SC2086
edge_captures 1 $SIZES

# --- temporary HOMEs: one empty (baseline), one with the plugin
make_homes /tmp/msstun-bench.XXXXXX

# --- decode summary (what the plugin makes of the capture)
if [ "${BENCH_DECODE:-1}" = 1 ]; then
    small=$(for n in $SIZES; do echo "$n"; done | sort -n | head -1)
    echo "Decode of edge-$small.pcap, frames by frame.protocols"
    echo "  with the plugin:"
    ts "$WORK/home-plugin" -n -r "$CACHE/edge-$small.pcap" -T fields -e frame.protocols | sort | uniq -c | sort -rn |
        sed 's/^/  /'
    echo "  baseline (${BASEOPTS[*]}):"
    ts "$WORK/home-base" -n -r "$CACHE/edge-$small.pcap" "${BASEOPTS[@]}" -T fields -e frame.protocols | sort |
        uniq -c | sort -rn | sed 's/^/  /'
    echo
fi

# --- measurements
RESULTS=$WORK/results.tsv
: >"$RESULTS"
run_one() {   # size cfg file
    local n=$1 cfg=$2 file=$3 home args=()
    case $cfg in
        A) home=$WORK/home-base; args=("${BASEOPTS[@]}") ;;
        B) home=$WORK/home-plugin ;;
        C) home=$WORK/home-plugin; args=(-2) ;;
    esac
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.out" \
        "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" TZ=UTC LC_ALL=C.UTF-8 \
        tshark -n -r "$file" "${args[@]}" "${OUTOPTS[@]}" >/dev/null 2>"$WORK/stderr" ||
        { log "tshark failed ($cfg, $file):"; cat "$WORK/stderr" >&2; exit 1; }
    read -r wall user sys rss <"$WORK/time.out"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$cfg" "$wall" "$user" "$sys" "$rss" >>"$RESULTS"
    log "  $n $cfg: wall ${wall}s cpu $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')s rss ${rss}KB"
}
START=$(date +%s)
for n in 1 $SIZES; do
    file=$CACHE/edge-$n.pcap
    cat "$file" >/dev/null    # page cache
    for r in $(seq 1 "$REPS"); do
        log "size $n, repetition $r/$REPS"
        for cfg in A B C; do
            run_one "$n" "$cfg" "$file"
        done
    done
done
END=$(date +%s)

# --- optional: instruction counts under callgrind (deterministic, unlike CPU time on a shared machine)
CGRESULTS=$WORK/callgrind.tsv
: >"$CGRESULTS"
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
    if ! command -v valgrind >/dev/null; then
        log "BENCH_CALLGRIND=1 needs valgrind (apt-get install valgrind); skipped"
    else
        mkdir -p "$WORK/cg"
        if [ "$(id -u)" = 0 ]; then chown "$RUN_USER" "$WORK/cg"; fi
        for n in 1 $SIZES; do
            [ "$n" -le "${BENCH_CALLGRIND_MAX:-100000}" ] || continue
            for cfg in A B; do
                case $cfg in A) home=$WORK/home-base; args=("${BASEOPTS[@]}") ;; B) home=$WORK/home-plugin; args=() ;; esac
                log "  callgrind $n $cfg"
                "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" TZ=UTC LC_ALL=C.UTF-8 \
                    valgrind --tool=callgrind --callgrind-out-file="$WORK/cg/$n.$cfg.out" \
                    tshark -n -r "$CACHE/edge-$n.pcap" "${args[@]}" "${OUTOPTS[@]}" >/dev/null 2>"$WORK/cg/$n.$cfg.log" ||
                    { log "callgrind run failed ($n $cfg):"; tail -20 "$WORK/cg/$n.$cfg.log" >&2; exit 1; }
                ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/cg/$n.$cfg.log")
                printf '%s\t%s\t%s\n' "$n" "$cfg" "$ir" >>"$CGRESULTS"
                last=$n
            done
        done
    fi
fi

# --- table
echo "msstun benchmark: $(tshark --version 2>/dev/null | head -1), $(nproc) CPUs, $REPS repetitions (medians), $((END - START)) s"
echo "A = baseline (no plugin, ${BASEOPTS[*]}), B = plugin, C = plugin -2; output: -n ${OUTOPTS[*]} > /dev/null"
python3 - "$RESULTS" "$LIMIT" "$CGRESULTS" <<'EOF'
import statistics
import sys

rows = [l.split('\t') for l in open(sys.argv[1]).read().splitlines()]
limit = float(sys.argv[2])
med = {}
for n, cfg in sorted({(int(r[0]), r[1]) for r in rows}):
    rs = [r for r in rows if int(r[0]) == n and r[1] == cfg]
    wall = statistics.median(float(r[2]) for r in rs)
    cpu = statistics.median(float(r[3]) + float(r[4]) for r in rs)
    rss = statistics.median(int(r[5]) for r in rs) / 1024.0
    med[n, cfg] = [wall, cpu, rss]
sizes = sorted(n for n in {n for n, _ in med} if n > 1)
names = {'A': 'A baseline', 'B': 'B plugin', 'C': 'C plugin-2'}


def net(n, cfg):
    """CPU s and frames/s without the start-up cost measured on the 1-frame capture."""
    c = med[n, cfg][1] - med.get((1, cfg), [0, 0])[1]
    return c, ((n - 1) / c if c > 0 else float('inf'))


print('%9s %-11s %7s %7s %7s %9s %9s %8s %8s %8s' % ('frames', 'config', 'wall s', 'CPU s', 'RSS MB', 'frames/s',
                                                     'net f/s', 'CPU xA', 'netCPUxA', 'RSS xA'))
for n in [1] + sizes:
    for cfg in 'ABC':
        if (n, cfg) not in med:
            continue
        wall, cpu, rss = med[n, cfg]
        a = med.get((n, 'A'))
        fps = '%9.0f' % (n / cpu) if n > 1 else '%9s' % 'start-up'
        nf = '%9.0f' % net(n, cfg)[1] if n > 1 else '%9s' % '-'
        rc = '%8.3f' % (cpu / a[1]) if a and cfg != 'A' else '%8s' % '-'
        nc = '%8.3f' % (net(n, cfg)[0] / net(n, 'A')[0]) if a and cfg != 'A' and n > 1 else '%8s' % '-'
        rr = '%8.3f' % (rss / a[2]) if a and cfg != 'A' else '%8s' % '-'
        print('%9d %-11s %7.2f %7.2f %7.1f %s %s %s %s %s' % (n, names[cfg], wall, cpu, rss, fps, nf, rc, nc, rr))
print('frames/s = frames / CPU s; net f/s and netCPUxA leave out the start-up CPU (the 1-frame rows)')
print()
ok = lambda b: 'OK  ' if b else 'MISS'
for n in sizes:
    if (n, 'A') in med and (n, 'B') in med:
        r = med[n, 'B'][1] / med[n, 'A'][1]
        print('%s CPU  plugin/baseline at %8d frames: %.3fx (net of start-up %.3fx; plugin -2 %.3fx) target <= %.2fx'
              % (ok(r <= limit), n, r, net(n, 'B')[0] / net(n, 'A')[0],
                 med[n, 'C'][1] / med[n, 'A'][1] if (n, 'C') in med else float('nan'), limit))
for n in sizes:
    if (n, 'A') in med and (n, 'B') in med:
        r = med[n, 'B'][2] / med[n, 'A'][2]
        print('%s RSS  plugin/baseline at %8d frames: %.3fx (%.1f vs %.1f MB; plugin -2 %.3fx) target <= %.2fx'
              % (ok(r <= limit), n, r, med[n, 'B'][2], med[n, 'A'][2],
                 med[n, 'C'][2] / med[n, 'A'][2] if (n, 'C') in med else float('nan'), limit))
for cfg in 'ABC':
    have = [n for n in sizes if (n, cfg) in med]
    if len(have) < 2:
        continue
    raw = [n / med[n, cfg][1] for n in have]
    nets = [net(n, cfg)[1] for n in have]
    print('%s f/s  %s, net of start-up: %s (max/min %.3f, target <= %.2f); frames/CPU s: %s (max/min %.3f)'
          % (ok(max(nets) / min(nets) <= limit), names[cfg],
             ', '.join('%d: %.0f' % (n, f) for n, f in zip(have, nets)), max(nets) / min(nets), limit,
             ', '.join('%d: %.0f' % (n, f) for n, f in zip(have, raw)), max(raw) / min(raw)))
for cfg in 'ABC':
    have = [n for n in sizes if (n, cfg) in med]
    if len(have) >= 2 and (1, cfg) in med:
        per = ['%d: %.0f B' % (n, (med[n, cfg][2] - med[1, cfg][2]) * 1048576 / (n - 1)) for n in have]
        print('     RSS above start-up per frame, %s: %s' % (names[cfg], ', '.join(per)))
cg = {}
for l in open(sys.argv[3]).read().splitlines():
    n, cfg, ir = l.split('\t')
    cg[int(n), cfg] = int(ir)
if cg:
    print()
    print('Instructions (callgrind Ir), start-up = the 1-frame capture:')
    print('%9s %16s %16s %14s %14s %8s' % ('frames', 'A Ir', 'B Ir', 'A Ir/frame', 'B Ir/frame', 'B/A'))
    for n in sorted({n for n, _ in cg}):
        if (n, 'A') not in cg or (n, 'B') not in cg:
            continue
        if n == 1:
            print('%9d %16d %16d %14s %14s %8.3f' % (n, cg[n, 'A'], cg[n, 'B'], 'start-up', 'start-up',
                                                      cg[n, 'B'] / cg[n, 'A']))
            continue
        pa = (cg[n, 'A'] - cg.get((1, 'A'), 0)) / (n - 1)
        pb = (cg[n, 'B'] - cg.get((1, 'B'), 0)) / (n - 1)
        print('%9d %16d %16d %14.0f %14.0f %8.3f' % (n, cg[n, 'A'], cg[n, 'B'], pa, pb, pb / pa))
EOF
if [ -n "${last:-}" ] && command -v callgrind_annotate >/dev/null; then
    echo
    echo "Top functions of the plugin (self instructions, B at $last frames):"
    callgrind_annotate --threshold=100 "$WORK/cg/$last.B.out" 2>/dev/null | awk -v tot="$(awk -F'\t' -v n="$last" \
        '$1 == n && $2 == "B" { print $3 }' "$CGRESULTS")" '/msstun\.so/ { v = $1; gsub(",", "", v); s += v }
        END { printf "  all plugin code: %d Ir = %.2f%% of the run\n", s, 100 * s / tot }'
    callgrind_annotate --threshold=100 "$WORK/cg/$last.B.out" 2>/dev/null | grep 'msstun\.so' | head -12 |
        sed -e 's/ \[[^]]*msstun\.so\]$//' -e 's/^/  /'
fi

# --- SRTP with every stream decrypted (bench/srtp.sh: its own captures, tshark without the plugin as baseline)
if [ "${BENCH_SRTP:-1}" = 1 ]; then
    echo
    BENCH_CACHE=$CACHE MSSTUN_PLUGIN=$PLUGIN MSSTUN_TEST_USER=$RUN_USER BENCH_REPS=$REPS "$ROOT/bench/srtp.sh"
fi
