#!/bin/bash
# Robustness proof for the msstun plugin: mutation fuzzing, random payloads,
# sanitizers, valgrind and pathological inputs, against the installed tshark.
#
#   tools/robustness.sh            full run (35 minutes on 2 cores)
#   tools/robustness.sh --quick    bounded run for CI (5 minutes on 2 cores)
#
# Options:
#   --only LIST   comma-separated sections: corpus,fuzz,randpkt,valgrind,pathological,hostile
#   --jobs N      parallel tshark runs (default: nproc)
#   --work DIR    working directory (default: a new one under $TMPDIR or /tmp)
#   --keep        keep the working directory even when everything passed
#   --strict      also fail on inputs that fail the same way without the plugin
#                 (Wireshark's own bugs; by default they are listed, not counted)
#
# Sections:
#   corpus        every capture (../shared/captures, captures/, captures/regressions/
#                 and the small pathological ones) with the normal plugin and with
#                 the AddressSanitizer/UndefinedBehaviorSanitizer build
#   fuzz          each of them corrupted by "editcap -E RATE --seed SEED" (whole
#                 packets, and payload only with -o 54), dissected with both builds
#   randpkt       randpkt UDP and TCP packets, raw with Decode As on every port, and
#                 their bytes put on UDP 3478 / TCP 443 behind valid STUN, ChannelData,
#                 0xFF10, RTP, MS-TURN and RFC 4571 headers (gen_pathological.py shape),
#                 with Decode As udp.port==3478 / tcp.port==443
#   valgrind      memcheck of tshark with the plugin; invalid accesses anywhere and
#                 leaks with a msstun.so frame on their stack fail
#   pathological  0xFFFF attribute lengths, zero-length framing, nesting 1..10 deep
#                 (small: in the corpus and fuzz sections); measured (CPU time and
#                 peak RSS): 10^4 vs 10^5 allocations, 10 MB vs 100 MB (quick) or
#                 100 MB vs 1 GB (full) TCP streams of MS-TURN frames (above a 1 MB
#                 one), one RFC 4571 frame of 8 KB vs 32 KB carried one byte per
#                 end-to-end frame; growth more than twice linear fails
#   hostile       the crafted captures and keys files of the test cases marked
#                 "hostile" (test/costs.py), at 1x (quick) or 4x (full) their test
#                 size: CPU time and peak RSS with / without the plugin at N and 4N;
#                 growth more than ~5x from N to 4N, or a large factor over tshark
#                 without the plugin, fails (not in --quick unless named: the
#                 test suite runs these cases at 1x)
#
# Every tshark run is "tshark -nVx -r FILE" or "tshark -nVx -2 -r FILE" (with
# --enable-heuristic msstun_udp, or Decode As msstun on every port), as an unprivileged
# user when started as root (tshark ignores personal plugins when run as root), with
# WIRESHARK_ABORT_ON_DISSECTOR_BUG=1, WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1, a CPU-time
# limit (ulimit -t 60), a memory limit (2 GiB: ulimit -v, or ASan's
# hard_rss_limit_mb) and a wall-clock timeout.  A run fails on a non-zero exit,
# a signal, a timeout, or any output on stderr.  Every failing input is copied to
# WORK/failures/ with the command and its stderr, and dissected again without the
# plugin; what fails the same way without it is Wireshark's own bug, reported but
# not counted (unless --strict).  Copy an input that broke the plugin to
# captures/regressions/ (with a note in captures/regressions/README.md) so that
# every later run dissects it.  Exits non-zero when anything failed.
#
# SPDX-License-Identifier: GPL-2.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."
SRC_DIR=$(pwd)

MODE=full
ONLY=""
JOBS=$(nproc)
WORK=""
KEEP=0
STRICT=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) MODE=quick ;;
        --full) MODE=full ;;
        --only) ONLY=$2; shift ;;
        --jobs) JOBS=$2; shift ;;
        --work) WORK=$2; shift ;;
        --keep) KEEP=1 ;;
        --strict) STRICT=1 ;;
        -h|--help) sed -n '2,/^# SPDX/p' "$0" | sed 's/^# \{0,1\}//' | head -n -1; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done
# --quick leaves out hostile: tools/test.sh runs those cases at 1x already.
if [ -z "$ONLY" ]; then
    ONLY="corpus,fuzz,randpkt,valgrind,pathological"
    [ "$MODE" = full ] && ONLY="$ONLY,hostile"
fi
want() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if [ "$MODE" = quick ]; then
    FUZZ_RATES="0.005 0.02 0.1"
    FUZZ_SEEDS="1"              # with -o 0; plus seed 2 with -o 54 at rate 0.02
    FUZZ_PAYLOAD_ONLY_RATES="0.02"
    ASAN_FUZZ_WMEM=strict       # cheaper than simple; canaries catch small overruns
    QUICK_PLAIN=plain:          # some runs with the normal build only
    RANDPKT_FILES=1
    RANDPKT_COUNT=1000
    STREAM_SIZES="10M 100M"
    VALGRIND_SET=quick
else
    FUZZ_RATES="0.005 0.02 0.1"
    FUZZ_SEEDS="1 3 5 7 9"
    FUZZ_PAYLOAD_ONLY_RATES="0.005 0.02 0.1"
    ASAN_FUZZ_WMEM=simple
    QUICK_PLAIN=""
    RANDPKT_FILES=4
    RANDPKT_COUNT=3000
    STREAM_SIZES="100M 1G"
    VALGRIND_SET=full
fi
ALLOC_COUNTS="10000 100000"
DRIBBLE_SIZES="8192 32768"      # bytes of one RFC 4571 frame sent 1 byte per 0x03 frame
STREAM_BASE=1M                  # the stream whose fixed costs the others are measured above
CPU_LIMIT=60                    # seconds of CPU per ordinary tshark run
WALL_LIMIT=180
MEM_LIMIT_MB=2048               # per run: ulimit -v, or hard_rss_limit_mb under ASan

ASAN_LIB=$(gcc -print-file-name=libasan.so.8)
UBSAN_LIB=$(gcc -print-file-name=libubsan.so.1)

START=$(date +%s)
if [ -z "$WORK" ]; then
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/msstun-robustness.XXXXXXXX")
fi
mkdir -p "$WORK"
chmod 755 "$WORK"
RES="$WORK/results"
FAIL_DIR="$WORK/failures"
mkdir -p "$RES" "$FAIL_DIR" "$WORK/vg" "$WORK/run"

log() { printf '[%s %4ds] %s\n' "$(date +%H:%M:%S)" "$(( $(date +%s) - START ))" "$*"; }

# ---------------------------------------------------------------------------
# Builds and homes

log "mode $MODE, sections $ONLY, work dir $WORK"
for tool in tshark editcap randpkt capinfos python3 gcc cmake; do
    command -v "$tool" >/dev/null || { echo "missing $tool (tools/deps.sh; randpkt and editcap come with tshark)" >&2; exit 2; }
done
if want valgrind && ! command -v valgrind >/dev/null; then
    echo "missing valgrind (apt-get install valgrind)" >&2; exit 2
fi
for lib in "$ASAN_LIB" "$UBSAN_LIB"; do
    [ -f "$lib" ] || { echo "missing $lib (gcc 12 sanitizer runtimes: libasan8, libubsan1)" >&2; exit 2; }
done

log "building build/ and build-asan/ (MSSTUN_SANITIZE=address,undefined)"
tools/build.sh >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 2; }
MSSTUN_BUILD_DIR=build-asan MSSTUN_CMAKE_ARGS=-DMSSTUN_SANITIZE=address,undefined \
    tools/build.sh >"$WORK/build-asan.log" 2>&1 || { cat "$WORK/build-asan.log"; exit 2; }

MAJOR_MINOR=$(sed -n 's/^WIRESHARK_MAJOR_MINOR=//p' build/wireshark-plugin-info.txt)
RUN_USER=""
if [ "$(id -u)" -eq 0 ]; then
    RUN_USER=${MSSTUN_TEST_USER:-nobody}
fi
make_home() {   # name [plugin]
    local home="$WORK/home-$1"
    mkdir -p "$home"
    if [ -n "${2:-}" ]; then
        mkdir -p "$home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan"
        cp "$2" "$home/.local/lib/wireshark/plugins/$MAJOR_MINOR/epan/msstun.so"
    fi
    [ -n "$RUN_USER" ] && chown -R "$RUN_USER:" "$home"
    echo "$home"
}
HOME_PLAIN=$(make_home plain build/msstun.so)
HOME_ASAN=$(make_home asan build-asan/msstun.so)
HOME_NONE=$(make_home none)
if [ -n "$RUN_USER" ]; then chown "$RUN_USER:" "$WORK/run"; fi

# ts VARIANT [ENV=VALUE...] -- COMMAND...: the command (tshark, or valgrind
# tshark) in the hermetic environment of test/conftest.py, as RUN_USER.
#
# The sanitizer build in Debian's (uninstrumented) tshark: dlopen() of an ASan
# plugin alone stops with "ASan runtime does not come first in initial library
# list", so the gcc 12 runtimes are preloaded (LD_PRELOAD=libasan.so.8:
# libubsan.so.1, which setpriv passes on: it is not set-uid).  detect_leaks=0
# because LeakSanitizer would report all of tshark (valgrind judges leaks);
# abort_on_error=1 and halt_on_error=1 make every report a failing exit.  The
# runs also set WIRESHARK_DEBUG_WMEM_OVERRIDE (simple; strict for the quick
# fuzz runs, which is cheaper) so that wmem allocations are heap blocks of
# their own that ASan can check instead of slices of wmem's large blocks.
ts() {
    local variant=$1; shift
    local -a envs=(PATH=/usr/local/bin:/usr/bin:/bin TZ=UTC LC_ALL=C.UTF-8
                   WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 WIRESHARK_ABORT_ON_TOO_MANY_ITEMS=1)
    case "$variant" in
        plain) envs+=(HOME="$HOME_PLAIN") ;;
        none) envs+=(HOME="$HOME_NONE") ;;
        asan) envs+=(HOME="$HOME_ASAN" LD_PRELOAD="$ASAN_LIB:$UBSAN_LIB"
                     ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:hard_rss_limit_mb="$MEM_LIMIT_MB"
                     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1) ;;
        *) echo "bad variant $variant" >&2; return 2 ;;
    esac
    while [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    if [ -n "$RUN_USER" ]; then
        exec setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" --clear-groups -- env -i "${envs[@]}" "$@"
    fi
    exec env -i "${envs[@]}" "$@"
}

# Sanity: the sanitizer build really is instrumented and really loads.  (Not
# with "tshark -G plugins": that starts the extcap helpers, which inherit
# LD_PRELOAD and can hang under the ASan runtime.)
probe=$SRC_DIR/captures/msturn-udp3478.pcap
( ts asan -- timeout 120 tshark -n -c 1 -r "$probe" ) >"$WORK/probe-asan.txt" 2>&1 || true
( ts plain -- env HOME="$HOME_ASAN" timeout 120 tshark -n -c 1 -r "$probe" ) >"$WORK/probe-asan-no-preload.txt" 2>&1 || true
( ts plain -- timeout 120 tshark -n -c 1 -r "$probe" ) >"$WORK/probe-plain.txt" 2>&1 || true
if ! grep -q "MSSTUN" "$WORK/probe-asan.txt"; then
    echo "the ASan/UBSan plugin does not load into tshark with LD_PRELOAD=$ASAN_LIB:$UBSAN_LIB:" >&2
    cat "$WORK/probe-asan.txt" >&2; exit 2
fi
if ! grep -q "ASan runtime does not come first" "$WORK/probe-asan-no-preload.txt"; then
    echo "build-asan/msstun.so does not look instrumented:" >&2; cat "$WORK/probe-asan-no-preload.txt" >&2; exit 2
fi
if ! grep -q "MSSTUN" "$WORK/probe-plain.txt"; then
    echo "the plugin does not load into tshark:" >&2; cat "$WORK/probe-plain.txt" >&2; exit 2
fi

# ---------------------------------------------------------------------------
# One tshark run: classified, and kept when it fails.
#
# run_job "ID<TAB>VARIANT<TAB>WMEM<TAB>INPUT<TAB>ARGS": VARIANT plain or asan,
# WMEM a WIRESHARK_DEBUG_WMEM_OVERRIDE value or -, ARGS split on spaces.

run_job() {
    local id variant wmem input args
    IFS=$'\t' read -r id variant wmem input args <<<"$1"
    local err="$RES/$id.err" rc=0 t0 t1 status
    local -a extra=()
    [ "$wmem" != "-" ] && extra+=(WIRESHARK_DEBUG_WMEM_OVERRIDE="$wmem")
    t0=$(date +%s.%N)
    # ASan reserves terabytes of address space: its memory limit is
    # hard_rss_limit_mb (in ts), the others' ulimit -v.  The braces keep
    # bash's "Aborted" job messages out of the log.
    # shellcheck disable=SC2086
    { ( ulimit -t "$CPU_LIMIT"; ulimit -c 0
        if [ "$variant" != asan ]; then ulimit -v $(( MEM_LIMIT_MB * 1024 )); fi
        ts "$variant" "${extra[@]}" -- timeout -k 5 "$WALL_LIMIT" tshark $args -r "$input" ) \
        >/dev/null 2>"$err" || rc=$?; } 2>/dev/null
    t1=$(date +%s.%N)
    status=$(classify "$rc" "$err")
    if [ "$status" = ok ]; then
        rm -f "$err"
    elif keep_failure "$id" "$status" "$rc" "$variant" "$wmem" "$input" "$args"; then
        status="wireshark-only:$status"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$status" "$rc" "$variant" "$input" "$args" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')" "$id" >"$RES/$id.res"
}

classify() {    # rc stderr-file
    local rc=$1 err=$2
    if grep -qE "hard rss limit exhausted|failed to allocate|[Oo]ut of memory" "$err"; then echo memory-limit
    elif grep -q "ERROR: AddressSanitizer" "$err"; then echo asan
    elif grep -q "runtime error:" "$err"; then echo ubsan
    elif grep -qiE "dissector bug|DISSECTOR_ASSERT|ws_assert|assertion|too many items" "$err"; then echo dissector-bug
    elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo hang-timeout
    elif [ "$rc" -eq 152 ]; then echo hang-cpu-limit
    elif [ "$rc" -eq 134 ]; then echo abort
    elif [ "$rc" -gt 128 ]; then echo "crash-signal-$(( rc - 128 ))"
    elif [ "$rc" -ne 0 ]; then echo "exit-$rc"
    elif [ -s "$err" ]; then echo stderr
    else echo ok
    fi
}

# Keeps the input and how to reproduce it, and reruns it without the plugin:
# returns 0 when Wireshark alone fails the same way (same kind of failure and
# the same first line on stderr), i.e. when the plugin is not the cause.
keep_failure() {
    local id=$1 status=$2 rc=$3 variant=$4 wmem=$5 input=$6 args=$7
    local dir="$FAIL_DIR/$id" base_args base_rc=0
    mkdir -p "$dir"
    cp "$input" "$dir/"
    cp "$RES/$id.err" "$dir/stderr.txt"
    # Without the plugin: no msstun Decode As or preferences.
    base_args=$(printf '%s\n' "$args" | sed -E 's/-d [^ ]*msstun[^ ]*//g; s/-o msstun\.[^ ]*//g')
    # shellcheck disable=SC2086
    { ( ulimit -t "$CPU_LIMIT"; ulimit -c 0; ulimit -v $(( MEM_LIMIT_MB * 1024 ))
        ts none -- timeout -k 5 "$WALL_LIMIT" tshark $base_args -r "$input" ) \
        >/dev/null 2>"$dir/stderr-without-plugin.txt" || base_rc=$?; } 2>/dev/null
    {
        echo "status: $status (exit $rc)"
        echo "input: $input"
        echo "sha256: $(sha256sum "$input" | cut -d' ' -f1)"
        echo "variant: $variant$([ "$wmem" != - ] && echo " (WIRESHARK_DEBUG_WMEM_OVERRIDE=$wmem)")"
        echo "command: tshark $args -r $(basename "$input")"
        echo "without the plugin: $(classify "$base_rc" "$dir/stderr-without-plugin.txt") (exit $base_rc)"
    } >"$dir/README.txt"
    [ "$(classify "$base_rc" "$dir/stderr-without-plugin.txt")" = "$status" ] &&
        [ "$(head -n 1 "$dir/stderr.txt")" = "$(head -n 1 "$dir/stderr-without-plugin.txt")" ]
}
export -f run_job classify keep_failure ts
export RES FAIL_DIR CPU_LIMIT WALL_LIMIT MEM_LIMIT_MB HOME_PLAIN HOME_ASAN HOME_NONE RUN_USER ASAN_LIB UBSAN_LIB

run_jobs() {    # jobs-file
    [ -s "$1" ] || return 0
    xargs -a "$1" -d '\n' -P "$JOBS" -I{} bash -c 'run_job "$1"' _ {}
}

V_ARGS="-nVx"
V2_ARGS="-nVx -2 --enable-heuristic msstun_udp"
ALL_PORTS="-d udp.port==1-65535,msstun -d tcp.port==1-65535,msstun"

# add_jobs JOBFILE PREFIX INPUT ASAN_WMEM ARGS...: one run per ARGS with each
# build (the sanitizer build with WIRESHARK_DEBUG_WMEM_OVERRIDE=ASAN_WMEM, so
# that wmem allocations are separate heap blocks that ASan can check).  ARGS
# starting with "plain:" run with the normal build only.
add_jobs() {
    local jobs=$1 prefix=$2 input=$3 awmem=$4 n k=0 a
    shift 4
    n=$(wc -l <"$jobs")
    for a in "$@"; do
        k=$((k + 1))
        printf '%s\t%s\t%s\t%s\t%s\n' "$prefix-$n-p$k" plain - "$input" "${a#plain:}" >>"$jobs"
        case "$a" in
            plain:*) ;;
            *) printf '%s\t%s\t%s\t%s\t%s\n' "$prefix-$n-a$k" asan "$awmem" "$input" "$a" >>"$jobs" ;;
        esac
    done
}

# ---------------------------------------------------------------------------
# The corpus

CORPUS="$WORK/corpus.txt"
{
    if [ -d ../shared/captures ]; then
        find ../shared/captures -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \)
    else
        echo "warning: ../shared/captures not found" >&2
    fi
    find captures -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \)
    if [ -d captures/regressions ]; then
        find captures/regressions -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \)
    fi
} | sort -u | while read -r f; do realpath "$f"; done >"$CORPUS"
PATHO="$WORK/pathological"
mkdir -p "$PATHO"
python3 captures/gen_pathological.py small "$PATHO"
SMALL_PATHO=$(ls "$PATHO"/*.pcap)
log "corpus: $(wc -l <"$CORPUS") captures ($(grep -c /captures/regressions/ "$CORPUS" || true) regression captures), plus $(echo "$SMALL_PATHO" | wc -w) small pathological ones"

section_time() { printf '%s\t%s\n' "$1" "$2" >>"$WORK/section-times.txt"; }
# A section of tshark runs starts its clock and an empty jobs file ($s0,
# $jobs), and ends by running the jobs and recording its time.
section_begin() { s0=$(date +%s); jobs="$WORK/jobs-$1.txt"; : >"$jobs"; }
section_end() { run_jobs "$jobs"; section_time "$1" $(( $(date +%s) - s0 )); }

if want corpus; then
    section_begin corpus
    for f in $(cat "$CORPUS") $SMALL_PATHO; do
        add_jobs "$jobs" corpus "$f" simple "$V_ARGS" "$V2_ARGS" "$QUICK_PLAIN$V_ARGS $ALL_PORTS"
    done
    log "corpus: $(wc -l <"$jobs") tshark runs"
    section_end corpus
fi

# ---------------------------------------------------------------------------
# Mutation fuzzing with editcap -E (seeded: --seed)

if want fuzz; then
    section_begin fuzz
    FUZZ="$WORK/fuzz"; mkdir -p "$FUZZ"
    # Regression captures are dissected as they are, not mutated.
    for f in $(grep -v /captures/regressions/ "$CORPUS") $SMALL_PATHO; do
        base=$(basename "$f"); base=${base%.gz}; base=${base%.*}
        for rate in $FUZZ_RATES; do
            variants=""
            for seed in $FUZZ_SEEDS; do variants="$variants $seed:0"; done
            case " $FUZZ_PAYLOAD_ONLY_RATES " in
                *" $rate "*) for seed in $FUZZ_SEEDS; do variants="$variants $(( seed + 1 )):54"; done ;;
            esac
            for v in $variants; do
                seed=${v%:*}; off=${v#*:}
                out="$FUZZ/$base.E$rate.s$seed.o$off.pcapng"
                editcap -E "$rate" --seed "$seed" -o "$off" "$f" "$out" >/dev/null 2>&1 || {
                    echo "editcap failed on $f" >&2; exit 2; }
                # Whole-packet corruption mostly breaks the ports: -2 with the
                # heuristic; payload-only corruption keeps them: -2 with every
                # port decoded as MSSTUN.
                if [ "$off" = 0 ]; then more="--enable-heuristic msstun_udp"; else more="$ALL_PORTS"; fi
                add_jobs "$jobs" fuzz "$out" "$ASAN_FUZZ_WMEM" "$QUICK_PLAIN$V_ARGS" "$V_ARGS -2 $more"
            done
        done
    done
    (cd "$FUZZ" && sha256sum -- *.pcapng >SHA256SUMS)
    log "fuzz: $(ls "$FUZZ"/*.pcapng | wc -l) mutated captures (editcap -E $FUZZ_RATES, seeds $FUZZ_SEEDS), $(wc -l <"$jobs") tshark runs"
    section_end fuzz
fi

# ---------------------------------------------------------------------------
# randpkt (no seed option: every file's sha256 is recorded, failing ones kept)

if want randpkt; then
    section_begin randpkt
    RP="$WORK/randpkt"; mkdir -p "$RP"
    for i in $(seq 1 "$RANDPKT_FILES"); do
        for t in udp tcp; do
            raw="$RP/randpkt-$t-$i.pcap"
            randpkt -c "$RANDPKT_COUNT" -t "$t" "$raw"
            python3 captures/gen_pathological.py shape "$raw" "$RP/shaped-$t-$i.pcap" "$t"
            if [ "$t" = udp ]; then port=3478; else port=443; fi
            add_jobs "$jobs" randpkt "$raw" simple "$V_ARGS -d $t.port==1-65535,msstun" \
                "$V_ARGS -2 -d $t.port==1-65535,msstun"
            add_jobs "$jobs" randpkt "$RP/shaped-$t-$i.pcap" simple "$V_ARGS -d $t.port==$port,msstun" \
                "$V_ARGS -2 -d $t.port==$port,msstun"
        done
    done
    (cd "$RP" && sha256sum -- *.pcap >SHA256SUMS)
    log "randpkt: $(ls "$RP"/*.pcap | wc -l) captures of $RANDPKT_COUNT packets, $(wc -l <"$jobs") tshark runs"
    section_end randpkt
fi

# ---------------------------------------------------------------------------
# valgrind memcheck

VG_REPORT="$WORK/valgrind-summary.txt"
if want valgrind; then
    s0=$(date +%s)
    if [ "$VALGRIND_SET" = quick ]; then
        vg_inputs="$SRC_DIR/captures/msturn-udp3478.pcap $SRC_DIR/captures/msturn-tcp443.pcap
                   $PATHO/nesting-udp3478.pcap $PATHO/zero-length.pcap"
    else
        # Regression captures are left to the corpus section (a capture that
        # breaks the plugin can take hours under memcheck).
        vg_inputs="$(grep -v /captures/regressions/ "$CORPUS") $SMALL_PATHO"
    fi
    jobs="$WORK/jobs-valgrind.txt"; : >"$jobs"
    n=0
    for f in $vg_inputs; do n=$((n + 1)); printf '%s\t%s\n' "$n" "$f" >>"$jobs"; done
    vg_job() {
        local n f rc=0
        IFS=$'\t' read -r n f <<<"$1"
        { ( ulimit -t 1800; ulimit -c 0
          ts plain G_SLICE=always-malloc G_DEBUG=gc-friendly WIRESHARK_DEBUG_WMEM_OVERRIDE=simple -- \
              timeout -k 5 2400 valgrind --tool=memcheck --leak-check=full --keep-debuginfo=yes \
              --show-leak-kinds=definite,indirect,possible --num-callers=50 --track-origins=no \
              --xml=yes --xml-fd=3 --log-fd=4 \
              tshark -nVx -2 --enable-heuristic msstun_udp -r "$f" ) \
            3>"$WORK/vg/$n.xml" 4>"$WORK/vg/$n.log" >/dev/null 2>"$WORK/vg/$n.err" || rc=$?; } 2>/dev/null
        printf '%s\t%s\n' "$rc" "$f" >"$WORK/vg/$n.rc"
    }
    export -f vg_job
    export WORK
    log "valgrind: $(wc -l <"$jobs") captures (tshark -nVx -2 under memcheck)"
    xargs -a "$jobs" -d '\n' -P "$JOBS" -I{} bash -c 'vg_job "$1"' _ {}
    python3 - "$WORK/vg" "$VG_REPORT" <<'PY'
import glob, os, re, sys
import xml.etree.ElementTree as ET
vgdir, report = sys.argv[1], sys.argv[2]
lines, fails = [], 0
totals = {}
for rcfile in sorted(glob.glob(os.path.join(vgdir, '*.rc')), key=lambda p: int(os.path.basename(p)[:-3])):
    n = os.path.basename(rcfile)[:-3]
    rc, capture = open(rcfile).read().strip().split('\t', 1)
    xmlfile = os.path.join(vgdir, n + '.xml')
    try:
        root = ET.parse(xmlfile).getroot()
    except ET.ParseError as e:
        lines.append('FAIL %s: valgrind XML unreadable (%s), exit %s' % (capture, e, rc)); fails += 1
        continue
    for err in root.findall('error'):
        kind = err.findtext('kind')
        frames = err.findall('./stack/frame')
        objs = [fr.findtext('obj') for fr in frames]
        leak = kind.startswith('Leak_')
        # valgrind runs with --keep-debuginfo=yes, so that frames of the
        # plugin, unloaded before the leak check, keep their object; a frame
        # without one is counted against the plugin all the same.
        if any((o or '').endswith('msstun.so') for o in objs):
            who = 'plugin'
        elif any(o is None for o in objs):
            who = 'unresolved'
        else:
            who = 'wireshark'
        plugin = who != 'wireshark'
        key = (kind, who)
        totals[key] = totals.get(key, 0) + 1
        if plugin or not leak:
            fails += 1
            what = (err.findtext('./xwhat/text') or err.findtext('what') or '').strip()
            top = []
            for fr in frames[:12]:
                top.append('    %s %s:%s (%s)' % (fr.findtext('fn') or '??', fr.findtext('file') or '',
                                                 fr.findtext('line') or '', os.path.basename(fr.findtext('obj') or '')))
            lines.append('FAIL %s: %s [%s] %s\n%s' % (capture, kind, who, what, '\n'.join(top)))
    if rc not in ('0',):
        fails += 1
        lines.append('FAIL %s: tshark under valgrind exited %s (see %s/%s.err)' % (capture, rc, vgdir, n))
summary = ', '.join('%s %s: %d' % (k[0], k[1], v) for k, v in sorted(totals.items())) or 'no errors at all'
with open(report, 'w') as f:
    f.write('valgrind error records by kind and attribution: %s\n' % summary)
    f.write('\n'.join(lines) + ('\n' if lines else ''))
    f.write('FAILURES %d\n' % fails)
PY
    log "valgrind: $(head -1 "$VG_REPORT")"
    section_time valgrind $(( $(date +%s) - s0 ))
fi

# ---------------------------------------------------------------------------
# Pathological inputs: small ones are in the corpus and fuzz sections; here
# the large ones, measured.

SCALE_REPORT="$WORK/scaling.txt"
: >"$SCALE_REPORT"
SCALE_FAIL=0
# measure LABEL FILE CPU-LIMIT TSHARK-ARGS...: appends "label wall cpu maxrss_kb rc"
# (cpu = user + system seconds: steadier than wall time on a shared machine).
measure() {
    local label=$1 file=$2 cpu=$3; shift 3
    local out="$WORK/run/measure-$label" rc=0 secs=0 rss=0 user=0 sys=0
    { ( ulimit -t "$cpu"; ulimit -c 0
        ts plain -- timeout -k 5 $(( cpu * 2 )) /usr/bin/time -f '%e %M %U %S' -o "$out.time" tshark "$@" -r "$file" ) \
        >/dev/null 2>"$out.err" || rc=$?; } 2>/dev/null
    if [ -s "$out.time" ]; then read -r secs rss user sys < <(tail -n 1 "$out.time"); fi
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$secs" "$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}')" \
        "$rss" "$rc" >>"$SCALE_REPORT"
    if [ "$rc" -ne 0 ] || [ -s "$out.err" ]; then
        echo "FAIL $label: exit $rc, stderr: $(head -c 2000 "$out.err")" >>"$WORK/scaling-failures.txt"
        SCALE_FAIL=$((SCALE_FAIL + 1))
    fi
}
# ratio_check WHAT LABEL-SMALL LABEL-LARGE FACTOR COLUMN(3=cpu,4=rss) FLOOR BASE-LABEL:
# growth above the BASE-LABEL run, large vs small; more than 2 x FACTOR is
# superlinear, unless the large run grew by less than FLOOR (too little to measure).
ratio_check() {
    awk -F'\t' -v a="$2" -v b="$3" -v f="$4" -v c="$5" -v floor="$6" -v bl="$7" -v what="$1" '
        $1 == bl { base = $c } $1 == a { x = $c } $1 == b { y = $c }
        END {
            dx = x - base; dy = y - base
            if (dy <= floor) {
                printf "%s: %s -> %s (%s %s): growth below the measurable floor (%s)\n", what, x, y, bl, base, floor
                exit 0
            }
            if (dx <= 0) dx = 1e-9
            r = dy / dx
            bad = (r > 2 * f)
            printf "%s: %s -> %s (%s %s): x%.1f for x%.1f input  %s\n", what, x, y, bl, base, r, f,
                   (bad ? "SUPERLINEAR" : "linear")
            exit bad
        }' "$SCALE_REPORT"
}

if want pathological; then
    s0=$(date +%s)
    BIG="$WORK/big"; mkdir -p "$BIG"
    # tshark's own baseline: a 26-frame capture.
    measure baseline "$SRC_DIR/captures/msturn-udp3478.pcap" 60 -n -2
    for n in $ALLOC_COUNTS; do
        python3 captures/gen_pathological.py allocations "$BIG/alloc-$n.pcap" "$n"
        measure "alloc-$n" "$BIG/alloc-$n.pcap" 600 -n -2
        rm -f "$BIG/alloc-$n.pcap"
    done
    for size in $STREAM_BASE $STREAM_SIZES; do
        python3 captures/gen_pathological.py tcpstream "$BIG/stream-$size.pcap" "$size" >/dev/null
        measure "stream-$size" "$BIG/stream-$size.pcap" 3600 -n
        rm -f "$BIG/stream-$size.pcap"
    done
    # One RFC 4571 frame carried one byte per MS-TURN end-to-end frame.
    for size in $DRIBBLE_SIZES; do
        python3 captures/gen_pathological.py dribble "$BIG/dribble-$size.pcap" "$size"
        measure "dribble-$size" "$BIG/dribble-$size.pcap" 600 -n
        rm -f "$BIG/dribble-$size.pcap"
    done
    set -- $ALLOC_COUNTS; a1=$1; a2=$2
    set -- $STREAM_SIZES; s1=$1; s2=$2
    set -- $DRIBBLE_SIZES; d1=$1; d2=$2
    # Streams are compared above a small stream, which has the same fixed costs.
    sfactor=$(python3 -c "import sys; sys.path.insert(0, 'captures'); import gen_pathological as g
b, x, y = (g.parse_size(v) for v in ('$STREAM_BASE', '$s1', '$s2')); print(round((y - b) / (x - b), 2))")
    {
        echo "wall and CPU time (s), peak RSS (KB); tshark -n -2 for allocations, tshark -n otherwise:"
        awk -F'\t' '{printf "  %-16s %7.2f s wall %7.2f s CPU %10d KB  exit %s\n", $1, $2, $3, $4, $5}' "$SCALE_REPORT"
        awk -F'\t' -v a="alloc-$a2" -v n="$a2" '$1 == "baseline" { b = $4 } $1 == a { r = $4 }
            END { printf "  per allocation (3 frames, 3 learned addresses): %.0f bytes\n", (r - b) * 1024 / n }' "$SCALE_REPORT"
    } >"$WORK/scaling-summary.txt"
    checks=(
        "RSS  alloc $a1 -> $a2|alloc-$a1|alloc-$a2|$(( a2 / a1 ))|4|32768|baseline"
        "CPU  alloc $a1 -> $a2|alloc-$a1|alloc-$a2|$(( a2 / a1 ))|3|2|baseline"
        "CPU  stream $s1 -> $s2|stream-$s1|stream-$s2|$sfactor|3|2|stream-$STREAM_BASE"
        "RSS  stream $s1 -> $s2|stream-$s1|stream-$s2|$sfactor|4|32768|stream-$STREAM_BASE"
        "RSS  dribble $d1 -> $d2|dribble-$d1|dribble-$d2|$(( d2 / d1 ))|4|32768|baseline"
        "CPU  dribble $d1 -> $d2|dribble-$d1|dribble-$d2|$(( d2 / d1 ))|3|2|baseline"
    )
    for c in "${checks[@]}"; do
        IFS='|' read -r what small large factor col floor base <<<"$c"
        ratio_check "$what" "$small" "$large" "$factor" "$col" "$floor" "$base" >>"$WORK/scaling-summary.txt" ||
            SCALE_FAIL=$((SCALE_FAIL + 1))
    done
    section_time pathological $(( $(date +%s) - s0 ))
fi

# ---------------------------------------------------------------------------
# Hostile inputs: the test cases marked "hostile" (crafted captures and keys
# files, each measured at a size N and 4N with and without the plugin by
# test/costs.py), at MSSTUN_HOSTILE_SCALE 1 (quick, as in tools/test.sh) or 4
# (full).  Each prints one "cost:" line: CPU seconds and peak RSS with and
# without the plugin at both sizes.

HOSTILE_FAIL=0
if want hostile; then
    s0=$(date +%s)
    scale=1
    [ "$MODE" = full ] && scale=4
    log "hostile: the cases marked hostile at MSSTUN_HOSTILE_SCALE=$scale"
    rc=0
    MSSTUN_HOSTILE_SCALE=$scale python3 -m pytest -c test/pytest.ini -p no:cacheprovider -s -m hostile test \
        >"$WORK/hostile.log" 2>&1 || rc=$?
    # 5: no test is marked hostile (nothing to measure).
    [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || HOSTILE_FAIL=1
    section_time hostile $(( $(date +%s) - s0 ))
fi

# ---------------------------------------------------------------------------
# Summary

echo
echo "================ msstun robustness summary ($MODE) ================"
total_fail=0
ws_only=0
if ls "$RES"/*.res >/dev/null 2>&1; then
    for sect in corpus fuzz randpkt; do
        compgen -G "$RES/$sect-*.res" >/dev/null || continue
        read -r n asan_n bad ws < <(cat "$RES/$sect"-*.res | awk -F'\t' '
            {n++} $3 == "asan" {a++} $1 != "ok" && $1 !~ /^wireshark-only:/ {b++} $1 ~ /^wireshark-only:/ {w++}
            END {print n+0, a+0, b+0, w+0}')
        printf '%-12s %5d tshark runs (%d with ASan/UBSan), %d failed, %d failed without the plugin too\n' \
            "$sect" "$n" "$asan_n" "$bad" "$ws"
        total_fail=$((total_fail + bad))
        ws_only=$((ws_only + ws))
    done
    cat "$RES"/*.res | awk -F'\t' '$1 != "ok" {printf "  FAIL %-16s %-5s %s %s (exit %s)\n", $1, $3, $5, $4, $2}' |
        sort | head -50
fi
if [ -f "$VG_REPORT" ]; then
    vg_fail=$(sed -n 's/^FAILURES //p' "$VG_REPORT")
    printf '%-12s %5d tshark runs under memcheck, %d failures\n' valgrind "$(ls "$WORK"/vg/*.rc | wc -l)" "$vg_fail"
    sed -n '1s/^/  /p' "$VG_REPORT"
    grep -A13 '^FAIL ' "$VG_REPORT" | head -60 || true
    total_fail=$((total_fail + vg_fail))
fi
if want pathological; then
    echo "pathological (scaling):"
    sed 's/^/  /' "$WORK/scaling-summary.txt"
    [ -f "$WORK/scaling-failures.txt" ] && sed 's/^/  /' "$WORK/scaling-failures.txt"
    total_fail=$((total_fail + SCALE_FAIL))
fi
if want hostile; then
    echo "hostile (CPU seconds and peak RSS, with / without the plugin, at N and 4N):"
    sed -n 's/^.*cost: /  /p' "$WORK/hostile.log"
    if [ "$HOSTILE_FAIL" -ne 0 ]; then
        grep -E '^(FAILED|ERROR)|Error' "$WORK/hostile.log" | sed 's/^/  /' | head -40
        echo "  hostile: FAIL (log: $WORK/hostile.log)"
    fi
    total_fail=$((total_fail + HOSTILE_FAIL))
fi
if [ -f "$WORK/section-times.txt" ]; then
    echo "section times: $(awk -F'\t' '{printf "%s %ds  ", $1, $2}' "$WORK/section-times.txt")"
fi
echo "total time: $(( $(date +%s) - START ))s; work dir: $WORK"
if [ "$ws_only" -gt 0 ]; then
    echo "$ws_only runs failed the same way without the plugin (Wireshark's own bugs, listed as" \
         "FAIL wireshark-only:...; details in $FAIL_DIR/*/README.txt)$([ "$STRICT" -eq 1 ] && echo "; --strict counts them")"
    [ "$STRICT" -eq 1 ] && total_fail=$((total_fail + ws_only))
fi
if [ "$total_fail" -gt 0 ]; then
    echo "RESULT: FAIL ($total_fail). Failing inputs with their commands and stderr: $FAIL_DIR/"
    echo "Keep each one that the plugin broke as captures/regressions/<name> with a note in captures/regressions/README.md."
    exit 1
fi
echo "RESULT: PASS (no crash, abort, hang, dissector bug, sanitizer report, invalid access or plugin leak)"
if [ "$KEEP" -eq 0 ]; then
    rm -rf "$WORK"
fi
