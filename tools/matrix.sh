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
in_root() {
    local root=$1
    shift
    chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
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

# Copies the working tree (not build output) and ../shared into the root.
copy_sources() {
    local root=$1
    rm -rf "$root/msstun"
    mkdir -p "$root/msstun/main"
    tar -C "$SRC" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude=./dist -cf - . |
        tar -C "$root/msstun/main" -xf -
    if [ -d "$SHARED" ]; then
        # Dereferenced: ../shared may be a symbolic link to outside the root.
        cp -rL "$SHARED/." "$root/msstun/shared"
    fi
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

run_version() {
    local version=$1 suite system root out ws build="build OK" counts package="package OK" decode
    suite=$(suite_of "$version")
    if [ "$suite" = noble ]; then system="Ubuntu $suite"; else system="Debian $suite"; fi
    root=$CACHE/$suite
    out=$CACHE/results/$version
    rm -rf "$out"
    mkdir -p "$out"

    ensure_root "$suite" || { SUMMARY+=("$version: root filesystem FAILED (see $CACHE/$suite.*.log)"); return 1; }
    copy_sources "$root"
    ws=$(in_root "$root" tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9.]*[0-9]\).*/\1/p')
    echo "== $version: Wireshark $ws on $system"

    if ! in_root "$root" /bin/sh -c 'cd /msstun/main && tools/build.sh' > "$out/build.log" 2>&1; then
        tail -30 "$out/build.log"
        SUMMARY+=("$version (Wireshark $ws, $system): build FAILED")
        return 1
    fi
    in_root "$root" /bin/sh -c 'cd /msstun/main && tools/test.sh' > "$out/test.log" 2>&1 || true
    tail -3 "$out/test.log"
    counts=$(pytest_counts "$out/test.log")

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

[ $# -eq 0 ] && set -- all
versions=""
for arg in "$@"; do
    if [ "$arg" = all ]; then versions="$versions $ALL_VERSIONS"; else suite_of "$arg" > /dev/null; versions="$versions $arg"; fi
done

SUMMARY=()
status=0
for version in $versions; do
    run_version "$version" || status=1
done
echo
echo "== matrix"
printf '%s\n' "${SUMMARY[@]}"
exit $status
