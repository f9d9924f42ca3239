#!/bin/bash
# Builds the plugin and runs the whole test suite against each Wireshark
# release the matrix covers, each inside a root filesystem made with
# debootstrap: Debian's from the mirror apt already uses, Ubuntu's from its
# archive:
#   4.0  Debian 12 "bookworm"      (Wireshark 4.0.x)
#   4.2  Ubuntu 24.04 "noble"      (Wireshark 4.2.x)
#   4.4  Debian 13 "trixie"        (Wireshark 4.4.x)
#   4.6  Debian "sid"              (Wireshark 4.6.x)
# For each version it then builds the Debian package (tools/package.sh),
# installs it with apt, checks that tshark lists the plugin, and removes it
# again, and writes a per-frame summary of every capture so that versions
# can be compared (tools/decode-summary.py).
#
# Usage: tools/matrix.sh [4.0|4.2|4.4|4.6|all]...     (default: all)
#        tools/matrix.sh --host-ran-suite [4.0|4.2|4.4|4.6|all]...
# --host-ran-suite: the caller has run the suite on this host (tools/test.sh):
# a version whose root has the host's own Wireshark release skips it there
# (build, package and decode summary only).
#        tools/matrix.sh --fuzz SECONDS [4.0|4.2|4.4|4.6|all]...
# --fuzz does none of the above: it installs the root's default clang, its
# libFuzzer and sanitizer runtime (libclang-rt-N-dev) and llvm in each root
# and runs tools/fuzz.sh --seconds SECONDS there (the harness built against
# that Wireshark, the regression inputs replayed, the four targets fuzzed),
# in /msstun-fuzz rather than /msstun; its logs, artifacts and any new
# regression inputs go to $MSSTUN_MATRIX_CACHE/results/VERSION/fuzz*.
#        tools/matrix.sh --gui [4.0|4.2|4.4|4.6|all]...       (default: 4.4)
# --gui does none of the above either: it installs Wireshark's Qt GUI, Xvfb
# and xdotool in each root (packages wireshark xvfb xdotool) and runs
# tools/gui-lifecycle.sh there (each report opened, closed, re-read,
# filtered, reopened, and the Flow Graph, on msturn-tcp443.pcap), in
# /msstun-gui; its log goes to $MSSTUN_MATRIX_CACHE/results/VERSION/gui.log.
# About 3 minutes on 4.4, and a minute for the packages the first time.
# Root filesystems are kept in $MSSTUN_MATRIX_CACHE (default
# /var/cache/msstun-matrix) and made when missing; logs, summaries and
# packages go to $MSSTUN_MATRIX_CACHE/results/VERSION/, packages also to dist/.
# Needs root (debootstrap, chroot).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
SHARED=$(cd "$SRC/.." && pwd)/shared
CACHE=${MSSTUN_MATRIX_CACHE:-/var/cache/msstun-matrix}
MIRROR=${MSSTUN_MATRIX_MIRROR:-http://deb.debian.org/debian}
UBUNTU_MIRROR=${MSSTUN_MATRIX_UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
ALL_VERSIONS="4.0 4.2 4.4 4.6"
# The key that signs Ubuntu's archive ("Ubuntu Archive Automatic Signing Key
# (2018)"), which Debian 12 does not package (ensure_ubuntu_keyring).
UBUNTU_ARCHIVE_KEY=F6ECB3762474EDA9D21B7022871920D1991BC93C

if [ "$(id -u)" -ne 0 ]; then
    exec sudo MSSTUN_MATRIX_CACHE="$CACHE" MSSTUN_MATRIX_MIRROR="$MIRROR" \
        MSSTUN_MATRIX_UBUNTU_MIRROR="$UBUNTU_MIRROR" "$0" "$@"
fi

if ! command -v debootstrap > /dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

suite_of() {
    case "$1" in
        4.0) echo bookworm ;;
        4.2) echo noble ;;
        4.4) echo trixie ;;
        4.6) echo sid ;;
        *) echo "unknown version $1 (4.0, 4.2, 4.4, 4.6 or all)" >&2; return 1 ;;
    esac
}

# Runs a command in a root filesystem with a clean environment.
ROOT_ENV=(PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
          HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
in_root() {
    local root=$1
    shift
    chroot "$root" /usr/bin/env -i "${ROOT_ENV[@]}" "$@"
}

# As in_root, with /proc mounted (AddressSanitizer and libFuzzer read
# /proc/self), in a mount namespace of the command's own: the mount ends
# with the command and is never left in the shared root.
in_root_with_proc() {
    local root=$1
    shift
    # shellcheck disable=SC2016
    unshare --mount --propagation private -- chroot "$root" /usr/bin/env -i "${ROOT_ENV[@]}" \
        /bin/sh -c 'mount -t proc proc /proc && exec "$@"' sh "$@"
}

# $CACHE/ubuntu-archive-key.gpg, a keyring with only UBUNTU_ARCHIVE_KEY:
# taken from the keyring of a first noble root made without signature
# checks, and kept only when that key, by its fingerprint, is there.  The
# root made with it (debootstrap --keyring) is then checked from the
# signature of the archive's Release file down to every package.
ensure_ubuntu_keyring() {
    local keyring=$CACHE/ubuntu-archive-key.gpg tmp=$CACHE/ubuntu-keyring.tmp
    [ -s "$keyring" ] && return 0
    command -v gpg > /dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gnupg
    rm -rf "$tmp"
    mkdir -p "$tmp/gnupg"
    chmod 700 "$tmp/gnupg"
    debootstrap --variant=minbase --no-check-gpg noble "$tmp/root" "$UBUNTU_MIRROR" "$(ubuntu_script noble)" \
        > "$CACHE/noble.keyring.log" 2>&1 || { tail -20 "$CACHE/noble.keyring.log" >&2; return 1; }
    gpg --homedir "$tmp/gnupg" --quiet --import "$tmp/root/usr/share/keyrings/ubuntu-archive-keyring.gpg" 2> /dev/null
    gpg --homedir "$tmp/gnupg" --export "$UBUNTU_ARCHIVE_KEY" > "$tmp/key.gpg"
    if ! gpg --show-keys --with-colons "$tmp/key.gpg" 2> /dev/null | grep -q "^fpr:*$UBUNTU_ARCHIVE_KEY:"; then
        echo "the noble root's keyring does not hold the Ubuntu archive key $UBUNTU_ARCHIVE_KEY" >&2
        return 1
    fi
    mv "$tmp/key.gpg" "$keyring"
    rm -rf "$tmp"
}

# debootstrap's script for an Ubuntu release: Debian 12's debootstrap
# predates noble, and every Ubuntu release uses the same script as gutsy.
ubuntu_script() {
    if [ -e "/usr/share/debootstrap/scripts/$1" ]; then echo "/usr/share/debootstrap/scripts/$1"
    else echo /usr/share/debootstrap/scripts/gutsy; fi
}

# Makes the root filesystem of a suite when missing, then installs what
# tools/deps.sh lists (nothing when all is there).
ensure_root() {
    local suite=$1 root=$CACHE/$1
    if [ ! -f "$root/.msstun-matrix-ready" ]; then
        echo "== making the $suite root filesystem in $root"
        rm -rf "$root.new"
        mkdir -p "$CACHE"
        # tshark and wireshark-dev are in Ubuntu's universe component.
        local args=(--variant=minbase "$suite" "$root.new" "$MIRROR")
        if [ "$suite" = noble ]; then
            ensure_ubuntu_keyring || return 1
            args=(--variant=minbase --components=main,universe --keyring="$CACHE/ubuntu-archive-key.gpg"
                  noble "$root.new" "$UBUNTU_MIRROR" "$(ubuntu_script noble)")
        fi
        debootstrap "${args[@]}" > "$CACHE/$suite.debootstrap.log" 2>&1 || {
            tail -20 "$CACHE/$suite.debootstrap.log" >&2
            return 1
        }
        # A user's Ubuntu has the updates and security pockets too.
        if [ "$suite" = noble ]; then
            printf 'deb %s %s main universe\n' "$UBUNTU_MIRROR" noble "$UBUNTU_MIRROR" noble-updates \
                "$UBUNTU_MIRROR" noble-security > "$root.new/etc/apt/sources.list"
        fi
        # The mirror may be a dated snapshot: sid's Release file then carries a
        # Valid-Until in the past, which apt refuses unless told otherwise.
        echo 'Acquire::Check-Valid-Until "false";' > "$root.new/etc/apt/apt.conf.d/99msstun-matrix"
        rm -rf "$root"
        mv "$root.new" "$root"
        touch "$root/.msstun-matrix-ready"
    fi
    install -m 0755 "$SRC/tools/deps.sh" "$root/tmp/msstun-deps.sh"
    in_root "$root" /bin/sh /tmp/msstun-deps.sh > "$CACHE/$suite.deps.log" 2>&1 || {
        tail -20 "$CACHE/$suite.deps.log" >&2
        return 1
    }
}

# Copies the working tree (not build output) and ../shared/captures into the root,
# as /msstun/main and /msstun/shared (or DIR/main and DIR/shared).
copy_sources() {
    local root=$1 dir=${2:-/msstun}
    rm -rf "${root:?}$dir"
    mkdir -p "$root$dir/main"
    tar -C "$SRC" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./dist -cf - . |
        tar -C "$root$dir/main" -xf -
    if [ -d "$SHARED/captures" ]; then
        # The captures the tests read, dereferenced: ../shared may be a
        # symbolic link to outside the root (and may hold one to itself).
        mkdir -p "$root$dir/shared"
        cp -rL "$SHARED/captures" "$root$dir/shared/"
    fi
}

# ensure_packages SUITE LOG PACKAGE...: the PACKAGEs missing from the root of SUITE,
# installed without refreshing the package lists first, so that a root whose lists still
# match its mirror gets no other package versions; with apt-get update when the install
# fails.  The output goes to $CACHE/SUITE.LOG.log, its end to stderr on failure.
ensure_packages() {
    local suite=$1 log=$CACHE/$1.$2.log
    shift 2
    # shellcheck disable=SC2016
    in_root "$CACHE/$suite" /bin/sh -c '
        set -eu
        missing=""
        for p in "$@"; do
            dpkg-query -W -f="\${Status}" "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
        done
        [ -z "$missing" ] && exit 0
        echo "Installing:$missing"
        apt-get install -y -q --no-install-recommends $missing ||
            { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; }
    ' sh "$@" > "$log" 2>&1 || {
        tail -20 "$log" >&2
        return 1
    }
}

# The N of the clang-N package that a root's package clang depends on (empty when unknown).
clang_major() {
    in_root "$1" apt-cache depends clang 2> /dev/null | sed -n 's/^ *Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -1
}

# For --fuzz: the root's default clang (the package clang depends on
# clang-N), libclang-rt-N-dev (libFuzzer and the sanitizer runtimes) and
# llvm (llvm-symbolizer for the sanitizers' stacks, llvm-profdata and
# llvm-cov for tools/fuzz.sh --coverage), when missing.
ensure_fuzz_packages() {
    local suite=$1 root=$CACHE/$1 n
    n=$(clang_major "$root")
    if [ -z "$n" ]; then
        in_root "$root" apt-get update -q > "$CACHE/$suite.fuzz-deps.log" 2>&1 || true
        n=$(clang_major "$root")
    fi
    [ -n "$n" ] || { echo "no clang-N package behind clang" | tee -a "$CACHE/$suite.fuzz-deps.log" >&2; return 1; }
    ensure_packages "$suite" fuzz-deps clang "clang-$n" "libclang-rt-$n-dev" llvm
}

# For --gui: Wireshark's Qt GUI (the package wireshark: wireshark-qt's
# successor from Debian 13 on, and its dependent before), Xvfb and xdotool,
# when missing.
ensure_gui_packages() {
    ensure_packages "$1" gui-deps wireshark xvfb xdotool
}

# tool_root VERSION KIND DIR WHAT: for --gui (KIND gui) and --fuzz (KIND fuzz): sets the
# caller's suite, system, root, out (as version_paths) and ws (the root's Wireshark), makes
# the root when missing, installs WHAT (ensure_KIND_packages) and copies the sources to DIR
# in it; a failure is added to SUMMARY and returns 1.
tool_root() {
    local version=$1 kind=$2 dir=$3 what=$4
    version_paths "$version"
    mkdir -p "$out"
    ensure_root "$suite" || { SUMMARY+=("$version: root filesystem FAILED (see $CACHE/$suite.*.log)"); return 1; }
    case $kind in
        gui) ensure_gui_packages "$suite" ;;
        fuzz) ensure_fuzz_packages "$suite" ;;
    esac || { SUMMARY+=("$version: $what install FAILED (see $CACHE/$suite.$kind-deps.log)"); return 1; }
    copy_sources "$root" "$dir"
    ws=$(root_wireshark "$root")
}

# --gui: tools/gui-lifecycle.sh in the root (see the top).
gui_version() {
    local version=$1 suite system root out ws start rc=0
    tool_root "$version" gui /msstun-gui 'GUI packages' || return 1
    echo "== $version: GUI lifecycle on Wireshark $ws on $system"
    start=$(date +%s)
    # Qt reads /proc: the command's own mount, as for --fuzz.
    in_root_with_proc "$root" /bin/sh -c 'cd /msstun-gui/main && tools/build.sh && tools/gui-lifecycle.sh msturn-tcp443.pcap' \
        > "$out/gui.log" 2>&1 || rc=$?
    grep -E '^(msturn|gui-lifecycle)' "$out/gui.log" || tail -30 "$out/gui.log"
    if [ "$rc" -ne 0 ]; then
        SUMMARY+=("$version (Wireshark $ws, $system): GUI lifecycle FAILED ($out/gui.log)")
        return 1
    fi
    SUMMARY+=("$version (Wireshark $ws, $system): GUI lifecycle passed, $(( $(date +%s) - start )) s")
}

# Prints "N passed, M failed" from a pytest log.
pytest_counts() {
    local summary passed failed errors
    summary=$(grep -E '^(=+ )?[0-9]+ (passed|failed)' "$1" | tail -1 || true)
    passed=$(echo "$summary" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
    failed=$(echo "$summary" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
    errors=$(echo "$summary" | grep -oE '[0-9]+ error' | grep -oE '[0-9]+' || echo 0)
    echo "$passed passed, $((failed + errors)) failed"
}

# Sets the caller's suite, system, root (the root filesystem) and out (the
# results directory) for a version.
version_paths() {
    suite=$(suite_of "$1")
    if [ "$suite" = noble ]; then system="Ubuntu $suite"; else system="Debian $suite"; fi
    root=$CACHE/$suite
    out=$CACHE/results/$1
}

# The version of the host's Wireshark (empty when it has none).
host_wireshark() {
    tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9.]*[0-9]\).*/\1/p'
}

# The version of the Wireshark installed in a root filesystem.
root_wireshark() {
    in_root "$1" tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9.]*[0-9]\).*/\1/p'
}

run_version() {
    local version=$1 suite system root out ws build="build OK" counts package="package OK" decode
    version_paths "$version"
    rm -rf "$out"
    mkdir -p "$out"

    ensure_root "$suite" || { SUMMARY+=("$version: root filesystem FAILED (see $CACHE/$suite.*.log)"); return 1; }
    copy_sources "$root"
    ws=$(root_wireshark "$root")
    echo "== $version: Wireshark $ws on $system"

    if ! in_root "$root" /bin/sh -c 'cd /msstun/main && tools/build.sh' > "$out/build.log" 2>&1; then
        tail -30 "$out/build.log"
        SUMMARY+=("$version (Wireshark $ws, $system): build FAILED")
        return 1
    fi
    # The hostile-input cost cases measure the plugin's own algorithms, the
    # same on every release, and the slow sweeps repeat over every capture
    # what the other tests check on each release: the host's tools/test.sh
    # runs both.
    if [ -n "$HOST_SUITE" ] && [ "$ws" = "$(host_wireshark)" ]; then
        counts="suite: the host's tools/test.sh (the same Wireshark $ws), 0 failed"
    else
        in_root "$root" /bin/sh -c 'cd /msstun/main && tools/test.sh test -m "not hostile and not slow"' > "$out/test.log" 2>&1 || true
        tail -3 "$out/test.log"
        counts=$(pytest_counts "$out/test.log")
    fi

    if in_root "$root" /bin/sh -c 'cd /msstun/main && tools/package.sh' > "$out/package.log" 2>&1 &&
       in_root "$root" /bin/sh -c 'cd /msstun/main &&
            apt-get install -y -q ./dist/wireshark-msstun_*_amd64.deb &&
            tshark -G plugins | grep -E "^msstun\.so" &&
            apt-get remove -y -q --purge wireshark-msstun &&
            ! tshark -G plugins | grep -q "^msstun\.so"' >> "$out/package.log" 2>&1; then
        cp "$root"/msstun/main/dist/*.deb "$out/"
        mkdir -p "$SRC/dist"
        cp "$root"/msstun/main/dist/*.deb "$SRC/dist/"
        package="package $(cd "$out" && ls ./*.deb | sed 's|^\./||') installs, lists, removes"
    else
        tail -20 "$out/package.log"
        package="package FAILED"
    fi

    in_root "$root" /bin/sh -c 'cd /msstun/main && /usr/bin/python3 tools/decode-summary.py' > "$out/decode.txt" 2> "$out/decode.err" || true
    decode="decode summary $(wc -l < "$out/decode.txt") lines"
    if [ "$version" != 4.0 ] && [ -s "$CACHE/results/4.0/decode.txt" ]; then
        if cmp -s "$CACHE/results/4.0/decode.txt" "$out/decode.txt"; then
            decode="decode identical to 4.0"
        else
            diff "$CACHE/results/4.0/decode.txt" "$out/decode.txt" > "$out/decode.diff" || true
            decode="decode DIFFERS from 4.0 ($(grep -c '^[<>]' "$out/decode.diff") lines, $out/decode.diff)"
        fi
    fi
    SUMMARY+=("$version (Wireshark $ws, $system): $build, $counts, $package, $decode")
    case "$counts" in
        *" 0 failed") ;;
        *) return 1 ;;
    esac
    case "$package" in *FAILED*) return 1 ;; esac
    case "$decode" in *DIFFERS*) return 1 ;; esac
    return 0
}

# --fuzz SECONDS: tools/fuzz.sh --seconds SECONDS in the root (see the top).
fuzz_version() {
    local version=$1 suite system root out ws cc start rc=0 results replayed
    tool_root "$version" fuzz /msstun-fuzz 'clang and libFuzzer' || return 1
    rm -rf "$out"/fuzz*
    touch "$root/msstun-fuzz/copied"
    cc=$(in_root "$root" clang --version | sed -n '1s/.*clang version \([0-9][0-9]*\)\..*/clang \1/p')
    echo "== $version: fuzzing against Wireshark $ws on $system ($cc, $FUZZ_SECONDS s per target)"
    start=$(date +%s)
    in_root_with_proc "$root" /bin/sh -c "cd /msstun-fuzz/main && tools/fuzz.sh --seconds $FUZZ_SECONDS" \
        > "$out/fuzz.log" 2>&1 || rc=$?
    grep -E '^(fuzz |--- |minimised|does not fail|tshark without)' "$out/fuzz.log" || true
    # The logs and artifacts, and the regression inputs fuzz.sh wrote.
    local build=$root/msstun-fuzz/main/build-fuzz
    cp "$build/build.log" "$out/fuzz-build.log" 2> /dev/null || true
    for d in work unreproduced wireshark-only; do
        if [ -d "$build/$d" ]; then cp -r "$build/$d" "$out/fuzz-$d"; fi
    done
    (cd "$root/msstun-fuzz/main" && find captures/regressions -newer ../copied -type f) |
        while read -r f; do mkdir -p "$out/fuzz-new/$(dirname "$f")"; cp "$root/msstun-fuzz/main/$f" "$out/fuzz-new/$f"; done

    results=$(sed -n 's/^fuzz \([a-z0-9]*: [0-9]* execs, .*\)/\1/p' "$out/fuzz.log" | paste -sd ';' | sed 's/;/; /g')
    replayed=$(sed -n 's/^fuzz [a-z0-9]*: replayed \([0-9]*\) regression inputs/\1/p' "$out/fuzz.log" |
        awk '{ n += $1 } END { print n + 0 }')
    if [ "$rc" -eq 2 ] || { [ -z "$results" ] && [ "$rc" -ne 0 ]; }; then
        tail -30 "$out/fuzz.log"
        SUMMARY+=("$version (Wireshark $ws, $system): fuzz FAILED (exit $rc, $out/fuzz.log)")
        return 1
    fi
    if grep -q 'fails again' "$out/fuzz.log"; then results="$results; a regression input FAILS again"; fi
    SUMMARY+=("$version (Wireshark $ws, $system): fuzz, $cc, $(( $(date +%s) - start )) s, $replayed regression inputs replayed: $results")
    [ "$rc" -eq 0 ]
}

FUZZ_SECONDS=
GUI=
HOST_SUITE=
if [ "${1:-}" = --host-ran-suite ]; then
    HOST_SUITE=1
    shift
fi
if [ "${1:-}" = --gui ]; then
    GUI=1
    shift
    [ $# -eq 0 ] && set -- 4.4
fi
if [ "${1:-}" = --fuzz ]; then
    [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "--fuzz takes a number of seconds per target" >&2; exit 2; }
    FUZZ_SECONDS=$2
    shift 2
fi
[ $# -eq 0 ] && set -- all
versions=""
for arg in "$@"; do
    if [ "$arg" = all ]; then versions="$versions $ALL_VERSIONS"; else suite_of "$arg" > /dev/null; versions="$versions $arg"; fi
done

SUMMARY=()
status=0
for version in $versions; do
    if [ -n "$GUI" ]; then
        gui_version "$version" || status=1
    elif [ -n "$FUZZ_SECONDS" ]; then
        fuzz_version "$version" || status=1
    else
        run_version "$version" || status=1
    fi
done
echo
echo "== matrix"
printf '%s\n' "${SUMMARY[@]}"
exit $status
