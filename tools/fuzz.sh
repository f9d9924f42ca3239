#!/bin/bash
# Coverage-guided fuzzing of the plugin with libFuzzer (fuzz/, README
# "Robustness"): builds the targets with clang and
# -fsanitize=fuzzer,address,undefined against the installed libwireshark,
# makes the seed corpus from every capture (fuzz/make_corpus.py), replays
# the regression inputs (captures/regressions/fuzz-TARGET/), then fuzzes
# each target for N seconds with the dictionary fuzz/msstun.dict.
#
#   tools/fuzz.sh [--seconds N | --runs N] [--jobs J] [--target NAME] [--replay-only] [--fresh-seeds]
#   tools/fuzz.sh --coverage
#
#   --seconds N     fuzzing time per target (default 60)
#   --runs N        stop each target after N executions (without --seconds,
#                   there is no time limit)
#   --jobs J        J processes of a target at once (default 1), on one
#                   corpus: --runs N is shared out between them, and the
#                   exec/s reported are those of all J
#   --target NAME   udp3478, tcp443, message, srtp or all (default all)
#   --replay-only   only replay captures/regressions/fuzz-*/ (no fuzzing)
#   --fresh-seeds   rebuild the seed corpus even if build-fuzz/seeds exists
#   --coverage      no fuzzing: build the targets for llvm-cov (build-fuzz-cov/),
#                   run the seeds, the grown corpus and the regression inputs
#                   of each target once, and print the line coverage of the
#                   plugin's files (report in build-fuzz-cov/coverage.txt,
#                   per-line listing in build-fuzz-cov/coverage-lines.txt)
#
# The corpus libFuzzer grows is kept in build-fuzz/corpus/TARGET, so that
# later runs start from it.  A crash is minimised (-minimize_crash) into
# captures/regressions/fuzz-TARGET/crash-SHA1, written as a pcap beside it
# (captures/regressions/fuzz-TARGET-SHA1.pcap, fuzz/input2pcap.py) for
# tshark and the suite, and the run fails.  Every target ends with the line
#   fuzz TARGET: N execs, E edges, C crashes
# (N from libFuzzer's stat::number_of_executed_units, E the highest "cov:"
# of its processes).
# Leak detection is off (valgrind in tools/robustness.sh judges leaks): the
# targets keep an epan session for many inputs, whose file-scope memory is
# only freed when the session ends.
#
# SPDX-License-Identifier: GPL-2.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=60
SECONDS_SET=0
RUNS=
TARGETS="udp3478 tcp443 message srtp"
REPLAY_ONLY=0
JOBS=1
FRESH_SEEDS=0
COVERAGE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_PER_TARGET=$2; SECONDS_SET=1; shift ;;
        --runs) RUNS=$2; shift ;;
        --target) [ "$2" = all ] || TARGETS=$2; shift ;;
        --jobs) JOBS=$2; shift ;;
        --replay-only) REPLAY_ONLY=1 ;;
        --fresh-seeds) FRESH_SEEDS=1 ;;
        --coverage) COVERAGE=1 ;;
        -h|--help) sed -n '2,/^# SPDX/p' "$0" | sed 's/^# \{0,1\}//' | head -n -1; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
    shift
done
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "--jobs takes a positive number" >&2; exit 2; }
for t in $TARGETS; do
    case "$t" in udp3478|tcp443|message|srtp) ;; *) echo "unknown target: $t" >&2; exit 2 ;; esac
done

BUILD=${MSSTUN_FUZZ_BUILD_DIR:-build-fuzz}
for tool in clang cmake tshark python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
done

if [ "$COVERAGE" -eq 1 ]; then
    COV=${BUILD}-cov
    mkdir -p "$COV"
    echo "building $COV (clang, -fprofile-instr-generate -fcoverage-mapping)"
    CC=clang cmake -S fuzz -B "$COV" -DMSSTUN_FUZZ_COVERAGE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$COV/build.log" 2>&1 &&
        cmake --build "$COV" -j "$(nproc)" >>"$COV/build.log" 2>&1 || { cat "$COV/build.log"; exit 2; }
    [ -d "$BUILD/seeds" ] || python3 fuzz/make_corpus.py "$BUILD/seeds"
    rm -rf "$COV/profiles"
    mkdir -p "$COV/profiles"
    objects=()
    for t in $TARGETS; do
        dirs=("$BUILD/seeds/$t")
        [ -d "$BUILD/corpus/$t" ] && dirs+=("$BUILD/corpus/$t")
        [ -d "captures/regressions/fuzz-$t" ] && dirs+=("captures/regressions/fuzz-$t")
        LLVM_PROFILE_FILE="$COV/profiles/$t-%p.profraw" "$COV/fuzz-$t" -runs=0 -detect_leaks=0 \
            -rss_limit_mb=4096 -max_len=65536 "${dirs[@]}" >"$COV/run-$t.log" 2>&1 ||
            { tail -20 "$COV/run-$t.log"; exit 1; }
        echo "coverage $t: $(grep -oE 'INITED.*' "$COV/run-$t.log" | head -1)"
        objects+=(-object "$COV/fuzz-$t")
    done
    llvm-profdata merge -sparse "$COV"/profiles/*.profraw -o "$COV/merged.profdata"
    sources=$(sed -n '/^set(MSSTUN_SOURCES/,/)/p' CMakeLists.txt | grep -oE '[A-Za-z0-9_./-]+\.c' | sed "s|^|$(pwd)/|")
    # shellcheck disable=SC2086
    llvm-cov report "${objects[@]:1}" -instr-profile="$COV/merged.profdata" $sources | tee "$COV/coverage.txt"
    # shellcheck disable=SC2086
    llvm-cov show "${objects[@]:1}" -instr-profile="$COV/merged.profdata" -show-line-counts $sources \
        >"$COV/coverage-lines.txt"
    echo "per-line listing: $COV/coverage-lines.txt"
    exit 0
fi

mkdir -p "$BUILD"
echo "building $BUILD (clang, -fsanitize=fuzzer,address,undefined)"
CC=clang cmake -S fuzz -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD/build.log" 2>&1 || { cat "$BUILD/build.log"; exit 2; }
cmake --build "$BUILD" -j "$(nproc)" >>"$BUILD/build.log" 2>&1 || { cat "$BUILD/build.log"; exit 2; }

if [ "$REPLAY_ONLY" -eq 0 ] && { [ "$FRESH_SEEDS" -eq 1 ] || [ ! -d "$BUILD/seeds" ]; }; then
    rm -rf "$BUILD/seeds"
    python3 fuzz/make_corpus.py "$BUILD/seeds"
fi

# Input sizes: STUN messages and datagrams fit in 4 KiB (the largest in
# the captures is 1.3 KB); a TCP connection gets 16 KiB, enough for the
# pseudo-TLS handshake and a few dozen frames; an srtp input 2 KiB, for a
# SIP message with SDP or a few RTP and RTCP packets.
max_len() { case "$1" in tcp443) echo 16384 ;; srtp) echo 2048 ;; *) echo 4096 ;; esac; }
# A process's memory grows with the epan sessions it has ended (about
# 15 MB each in Wireshark 4.0, more after longer sessions: udp3478 about
# 80 MB per 100,000 inputs), hence a limit above libFuzzer's 2 GB and, for
# --runs, processes of at most 50 sessions (fuzz-msstun.c: srtp has
# sessions of 1,000 inputs, the others of 50,000).
# MSSTUN_FUZZ_CHUNK_RUNS overrides it.
chunk_runs() {
    if [ -n "${MSSTUN_FUZZ_CHUNK_RUNS:-}" ]; then echo "$MSSTUN_FUZZ_CHUNK_RUNS"; return; fi
    case "$1" in srtp) echo 50000 ;; *) echo 2500000 ;; esac
}
FUZZ_OPTS=(-detect_leaks=0 -rss_limit_mb=6144 -timeout=30 -print_final_stats=1)
# A 64 MB quarantine (default 256 MB) still holds many inputs' worth of
# freed blocks, and keeps a long run's memory lower.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1:allocator_may_return_null=0:quarantine_size_mb=64}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The pcap of an input: the srtp target writes its own (its frames are
# encrypted by the harness), the others' come from fuzz/input2pcap.py.
write_pcap() {
    if [ "$1" = srtp ]; then
        MSSTUN_FUZZ_INPUTS_PER_SESSION=1 MSSTUN_FUZZ_PCAP="$3" "$BUILD/fuzz-$1" "${FUZZ_OPTS[@]}" "$2" >/dev/null 2>&1 || true
    else
        python3 fuzz/input2pcap.py "$1" "$2" "$3"
    fi
}

# Whether tshark without the plugin fails on a pcap too (single and two-pass).
wireshark_fails() {
    local args
    for args in "-n -V" "-n -V -2"; do
        # shellcheck disable=SC2086
        if ! env WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 HOME="$BUILD" timeout 120 \
                tshark --disable-protocol msstun $args -r "$1" >/dev/null 2>&1; then
            return 0
        fi
    done
    return 1
}

# One series of processes of target $1 (logs in $2): with --runs (share $3)
# and without --seconds, processes of at most chunk_runs executions, one after
# the other on the corpus they grow (memory grows over a process, see
# chunk_runs); with --seconds, one process.  Writes "EXECS SECONDS RC" to
# $2/result.
fuzz_series() {
    local t=$1 dir=$2 remaining=${3:-0} rc=0 execs=0 seconds=0 chunk=0 limit runs start n
    mkdir -p "$dir"
    while :; do
        chunk=$((chunk + 1))
        limit=()
        if [ "$chunked" -eq 1 ]; then
            runs=$(chunk_runs "$t")
            [ "$remaining" -ge "$runs" ] || runs=$remaining
            limit+=(-runs="$runs")
        else
            [ -z "$3" ] || limit+=(-runs="$3")
            limit+=(-max_total_time="$SECONDS_PER_TARGET")
        fi
        start=$(date +%s)
        "$BUILD/fuzz-$t" "${FUZZ_OPTS[@]}" "${limit[@]}" -max_len="$(max_len "$t")" \
            -dict=fuzz/msstun.dict -artifact_prefix="$BUILD/work/$t/artifacts/" \
            "$BUILD/corpus/$t" "$BUILD/seeds/$t" >"$dir/fuzz-$chunk.log" 2>&1 || rc=$?
        seconds=$((seconds + $(date +%s) - start))
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz-$chunk.log" | tail -1)
        if [ -z "$n" ]; then
            # A crash stops libFuzzer before its final stats: the last status line.
            n=$(grep -oE '^#[0-9]+' "$dir/fuzz-$chunk.log" | tail -1 | tr -d '#')
        fi
        execs=$((execs + ${n:-0}))
        remaining=$((remaining - ${n:-0}))
        [ "$rc" -eq 0 ] && [ "$chunked" -eq 1 ] && [ "$remaining" -gt 0 ] || break
        echo "fuzz $t: ${dir##*/}: $execs execs so far ($chunk processes, $seconds s)"
    done
    echo "$execs $seconds $rc" >"$dir/result"
}

# --runs without --seconds runs in chunks (fuzz_series).
chunked=0
[ -n "$RUNS" ] && [ "$SECONDS_SET" -eq 0 ] && chunked=1

failed=0
for t in $TARGETS; do
    bin="$BUILD/fuzz-$t"
    regdir="captures/regressions/fuzz-$t"
    work="$BUILD/work/$t"
    rm -rf "$work"
    mkdir -p "$work/artifacts" "$BUILD/corpus/$t"

    # The regression inputs, each in a fresh epan session, exactly as found.
    if compgen -G "$regdir/crash-*" >/dev/null; then
        if ! MSSTUN_FUZZ_INPUTS_PER_SESSION=1 "$bin" "${FUZZ_OPTS[@]}" "$regdir"/crash-* >"$work/replay.log" 2>&1; then
            tail -60 "$work/replay.log"
            echo "fuzz $t: a regression input in $regdir fails again"
            failed=1
            continue
        fi
        echo "fuzz $t: replayed $(ls "$regdir"/crash-* | wc -l) regression inputs"
    fi
    [ "$REPLAY_ONLY" -eq 1 ] && continue

    # --jobs J: J series at once, each on its share of --runs, all on the
    # corpus directory (libFuzzer reloads it, -reload, so that each series
    # takes up what the others found) and with one artifacts directory.
    for j in $(seq "$JOBS"); do
        share=
        [ -z "$RUNS" ] || share=$(( RUNS / JOBS + (j <= RUNS % JOBS ? 1 : 0) ))
        fuzz_series "$t" "$work/job$j" "$share" &
    done
    wait
    execs=0
    seconds=0
    rc=0
    for j in $(seq "$JOBS"); do
        # A series that could not write its result (killed) counts as failed.
        read -r n s r <"$work/job$j/result" || { n=0 s=0 r=1; }
        execs=$((execs + n))
        [ "$s" -le "$seconds" ] || seconds=$s
        [ "$r" -eq 0 ] || rc=$r
        cat "$work/job$j"/fuzz-*.log >>"$work/fuzz.log" 2>/dev/null || true
    done
    # The most of any process (each starts from the corpus the others grew).
    edges=$(grep -oE ' cov: [0-9]+' "$work/fuzz.log" | grep -oE '[0-9]+' | sort -n | tail -1 || true)
    rate=$((execs / (seconds > 0 ? seconds : 1)))
    crashes=0
    wireshark_only=0
    for a in "$work"/artifacts/*; do
        [ -f "$a" ] || continue
        if [[ "$(basename "$a")" == slow-unit-* ]]; then
            # libFuzzer's report of an input over 10 s, which it survived.
            mkdir -p "$BUILD/unreproduced"
            cp "$a" "$BUILD/unreproduced/$t-$(basename "$a")"
            echo "--- $t: slow input (not a failure), kept in $BUILD/unreproduced/"
            continue
        fi
        crashes=$((crashes + 1))
        echo "--- $t: $(basename "$a")"
        grep -E "ERROR:|runtime error:|Dissector bug|SUMMARY" "$work/fuzz.log" | head -5 || true
        min="$work/min-$(basename "$a")"
        "$bin" "${FUZZ_OPTS[@]}" -minimize_crash=1 -max_total_time=120 \
            -exact_artifact_path="$min" "$a" >"$work/minimize.log" 2>&1 || true
        # The minimised input must crash on its own, in a fresh session.
        if [ ! -s "$min" ] || MSSTUN_FUZZ_INPUTS_PER_SESSION=1 "$bin" "${FUZZ_OPTS[@]}" "$min" >/dev/null 2>&1; then
            cp "$a" "$min"
        fi
        # One that does not (the memory limit reached by a whole session, a
        # slow input on a loaded machine) is reported, not kept as a regression.
        if MSSTUN_FUZZ_INPUTS_PER_SESSION=1 "$bin" "${FUZZ_OPTS[@]}" "$min" >/dev/null 2>&1; then
            mkdir -p "$BUILD/unreproduced"
            cp "$a" "$BUILD/unreproduced/$t-$(basename "$a")"
            echo "does not fail on its own in a fresh session: kept in $BUILD/unreproduced/; log: $work/fuzz.log"
            continue
        fi
        sha=$(sha1sum "$min" | cut -c1-12)
        pcap="$work/fuzz-$t-$sha.pcap"
        write_pcap "$t" "$min" "$pcap"
        if wireshark_fails "$pcap"; then
            mkdir -p "$BUILD/wireshark-only"
            cp "$min" "$BUILD/wireshark-only/$t-$sha"
            echo "tshark without the plugin fails on it too: Wireshark's bug, not counted;" \
                 "input kept in $BUILD/wireshark-only/$t-$sha, pcap $pcap"
            crashes=$((crashes - 1))
            wireshark_only=$((wireshark_only + 1))
            continue
        fi
        mkdir -p "$regdir"
        cp "$min" "$regdir/crash-$sha"
        cp "$pcap" "captures/regressions/fuzz-$t-$sha.pcap"
        echo "minimised into $regdir/crash-$sha and captures/regressions/fuzz-$t-$sha.pcap" \
             "($(stat -c %s "$min") bytes); log: $work/fuzz.log"
    done
    if [ "$crashes" -eq 0 ] && [ "$rc" -ne 0 ] && grep -q 'libFuzzer: run interrupted' "$work/fuzz.log"; then
        echo "fuzz $t: interrupted (a signal), not a crash"
        rc=0
    fi
    if [ "$crashes" -eq 0 ] && [ "$wireshark_only" -eq 0 ] && [ "$rc" -ne 0 ]; then
        tail -40 "$work/fuzz.log"
        crashes=1
    fi
    [ "$crashes" -eq 0 ] || failed=1
    echo "fuzz $t: ${rate:-?} execs/s, corpus $(ls "$BUILD/corpus/$t" | wc -l) inputs, $wireshark_only Wireshark-only crashes; log $work/fuzz.log"
    echo "fuzz $t: ${execs:-0} execs, ${edges:-0} edges, $crashes crashes"
done
exit "$failed"
