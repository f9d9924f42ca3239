#!/bin/bash
# Runs Wireshark's own dissector checkers, codespell and cppcheck on the
# plugin and fails on any finding that tools/lint-allow.txt does not list.
#
# The checkers are those of Wireshark's tools/check_dissector.py (the gamut
# Wireshark runs on a dissector) and of its CI ("Code Checks" job,
# tools/pre-commit): checkAPIs.pl (dissector groups, as plugins/epan/*/
# CMakeLists.txt call it), checkhf.pl, checkfiltername.pl,
# fix-encoding-args.pl, check_typed_item_calls.py --all-checks,
# check_tfs.py --check-value-strings, check_val_to_str.py,
# detect_bad_alloc_patterns.py, check_spelling.py and cppcheck with
# tools/cppcheck's suppressions.  They are taken from the source package of
# Wireshark 4.0.17 (Debian 12) with those of 4.2.2 (Ubuntu 24.04), which
# are newer, laid over them; both are fetched once with apt-get into
# $MSSTUN_LINT_CACHE (default /var/cache/msstun-lint) through a private
# sources list and kept there, so later runs are offline.  Left out:
# delete_includes.py and check_static.py (they rebuild Wireshark's own tree)
# and check_dissector_urls.py (it fetches every URL).
#
# check_spelling.py wants pyspellchecker, which Debian does not package:
# tools/lint/spellchecker.py answers its questions from Debian's
# wamerican-large and wbritish-large word lists.  cppcheck runs with
# Wireshark's installed headers on the include path and
# tools/lint/glib.cfg for GLib's macros; its results are cached
# incrementally in the cache directory.  codespell checks the C sources,
# tests, tools, generators, benchmarks, fuzzing files and documentation.
#
# A finding is one output line of a checker, "checker: text", with paths
# relative to the source tree.  tools/lint-allow.txt lists the false
# positives as "checker | Python regular expression | reason"; an entry
# that matches nothing is reported too (stale), and fails the run.
#
# Usage: tools/lint.sh            (as root the first time: apt-get)
# From scratch it downloads about 105 MB and analyses everything with
# cppcheck: 9 to 11 minutes of wall time on a loaded 2-core machine (under
# 3 minutes of CPU), the longer when the Ubuntu archive key must be made
# too; with the cache present, under 10 seconds.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
CACHE=${MSSTUN_LINT_CACHE:-/var/cache/msstun-lint}
MATRIX_CACHE=${MSSTUN_MATRIX_CACHE:-/var/cache/msstun-matrix}
DEBIAN_MIRROR=${MSSTUN_MATRIX_MIRROR:-http://deb.debian.org/debian}
UBUNTU_MIRROR=${MSSTUN_MATRIX_UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
WS_40=4.0.17-0+deb12u3
WS_42=4.2.2-1.1build3
TOOLS=$CACHE/wireshark/tools
start=$(date +%s)

need_packages=()
command -v codespell > /dev/null || need_packages+=(codespell)
command -v cppcheck > /dev/null || need_packages+=(cppcheck)
[ -e /usr/share/dict/american-english-large ] || need_packages+=(wamerican-large)
[ -e /usr/share/dict/british-english-large ] || need_packages+=(wbritish-large)
if [ ${#need_packages[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_packages[@]}"
fi

# Downloads the source package NAME=VERSION with a private sources list
# (LINE) into $CACHE/NAME-tag and extracts its tools/ and epan/tfs.[ch]
# (check_tfs.py compares with the latter) into $CACHE/tag.
fetch_source() {
    local line=$2 version=$3 dir=$CACHE/$1
    [ -e "$dir/tools/checkhf.pl" ] && return 0
    rm -rf "$dir" "$dir.apt"
    mkdir -p "$dir.apt/lists/partial" "$dir.apt/download"
    echo "$line" > "$dir.apt/sources.list"
    local apt=(apt-get -q -o "Dir::Etc::SourceList=$dir.apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
               -o "Dir::State::Lists=$dir.apt/lists" -o APT::Sandbox::User=root)
    "${apt[@]}" update > "$dir.apt/update.log" 2>&1 || { tail -5 "$dir.apt/update.log" >&2; return 1; }
    (cd "$dir.apt/download" && "${apt[@]}" source --download-only "wireshark=$version") > "$dir.apt/source.log" 2>&1 \
        || { tail -5 "$dir.apt/source.log" >&2; return 1; }
    mkdir -p "$dir.new"
    tar -xf "$dir.apt"/download/wireshark_*.orig.tar.* -C "$dir.new" --strip-components=1 \
        --wildcards '*/tools/*' '*/epan/tfs.c' '*/epan/tfs.h'
    rm -rf "$dir.apt"
    mv "$dir.new" "$dir"
}

mkdir -p "$CACHE"
fetch_source 4.0.17 "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR bookworm main" "$WS_40"
# The Ubuntu archive key, pinned and checked by tools/matrix.sh's
# ensure_ubuntu_keyring, which this runs with the names it uses.
ubuntu_keyring() {
    local CACHE=$MATRIX_CACHE UBUNTU_ARCHIVE_KEY
    # shellcheck disable=SC2034
    UBUNTU_ARCHIVE_KEY=$(sed -n 's/^UBUNTU_ARCHIVE_KEY=//p' tools/matrix.sh)
    # shellcheck source=/dev/null
    source <(sed -n '/^ensure_ubuntu_keyring()/,/^}/p; /^ubuntu_script()/,/^}/p' tools/matrix.sh)
    command -v debootstrap > /dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
    mkdir -p "$CACHE"
    ensure_ubuntu_keyring
}
if [ ! -e "$CACHE/4.2.2/tools/checkhf.pl" ] && [ ! -s "$MATRIX_CACHE/ubuntu-archive-key.gpg" ]; then
    echo "== the Ubuntu archive key (tools/matrix.sh's ensure_ubuntu_keyring)"
    ubuntu_keyring
fi
fetch_source 4.2.2 "deb-src [signed-by=$MATRIX_CACHE/ubuntu-archive-key.gpg] $UBUNTU_MIRROR noble universe" "$WS_42"
if [ ! -e "$TOOLS/checkhf.pl" ]; then
    rm -rf "$CACHE/wireshark"
    mkdir -p "$CACHE/wireshark.new"
    cp -r "$CACHE/4.0.17/." "$CACHE/wireshark.new/"
    cp -r "$CACHE/4.2.2/." "$CACHE/wireshark.new/"
    mv "$CACHE/wireshark.new" "$CACHE/wireshark"
fi

C_FILES=(*.c)
H_FILES=(*.h)
PY_FILE_ARGS=()
for f in "${C_FILES[@]}"; do PY_FILE_ARGS+=(--file "$SRC/$f"); done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Runs a checker (the rest of the arguments) and files its output as
# findings of NAME; its exit status is not trusted, the findings are.
# Outputs of one NAME add up.
check() {
    local name=$1
    shift
    "$@" >> "$OUT/$name.out" 2>&1 || true
}

# The Perl checkers read the files in the source tree.  Both versions run:
# 4.2.2's checkAPIs.pl no longer checks for <gcrypt.h>; findings that both
# report count once.
for tools in "$CACHE/4.0.17/tools" "$TOOLS"; do
    check checkAPIs perl "$tools/checkAPIs.pl" --group dissectors-prohibited --group dissectors-restricted \
        "${C_FILES[@]}" "${H_FILES[@]}"
    check checkhf perl "$tools/checkhf.pl" "${C_FILES[@]}"
    check checkfiltername perl "$tools/checkfiltername.pl" "${C_FILES[@]}"
    check fix-encoding-args perl "$tools/fix-encoding-args.pl" "${C_FILES[@]}"
done
# What checkhf.pl and checkfiltername.pl cannot see: ids kept in arrays of
# two dimensions (neither the definition nor the hf[] entry matches their
# patterns) and hf[]/ei[] entries written inside a macro.
check hf-visibility grep -nE '^\s*(static\s+)?g?int\s+(hf|ei)_\w+\s*\[[^]]*\]\s*\[' "${C_FILES[@]}"
check hf-visibility grep -nE '\{\s*&\s*(hf|ei)_\w+.*\\$' "${C_FILES[@]}"
# The Python checkers find epan/tfs.c and tools/wireshark_words.txt from
# their working directory.
(cd "$CACHE/wireshark"
 check check_typed_item_calls /usr/bin/python3 tools/check_typed_item_calls.py --all-checks "${PY_FILE_ARGS[@]}"
 check check_tfs /usr/bin/python3 tools/check_tfs.py --check-value-strings "${PY_FILE_ARGS[@]}"
 check check_val_to_str /usr/bin/python3 tools/check_val_to_str.py "${PY_FILE_ARGS[@]}"
 printf '%s\n' "${C_FILES[@]/#/$SRC/}" > "$OUT/c-files"
 check detect_bad_alloc_patterns /usr/bin/python3 tools/detect_bad_alloc_patterns.py < "$OUT/c-files"
 MSSTUN_LINT_WORDS=$OUT/words
 export MSSTUN_LINT_WORDS
 cat /usr/share/dict/american-english-large /usr/share/dict/british-english-large > "$MSSTUN_LINT_WORDS"
 check check_spelling env PYTHONPATH="$SRC/tools/lint" /usr/bin/python3 tools/check_spelling.py "${PY_FILE_ARGS[@]}")

SPELL_PATHS=(./*.c ./*.h ./*.md CMakeLists.txt cmake tools test docs captures bench fuzz .ci)
check codespell codespell --skip='lint-allow.txt,*.pcap,*.pcapng,*.gz,*.bin,*.der,*.pem,*.png' "${SPELL_PATHS[@]}"

mkdir -p "$CACHE/cppcheck-build"
# shellcheck disable=SC2046
check cppcheck cppcheck --force --enable=style --quiet --std=c11 --template=gcc -j "$(nproc)" \
    --cppcheck-build-dir="$CACHE/cppcheck-build" --library="$SRC/tools/lint/glib.cfg" \
    --suppressions-list="$TOOLS/cppcheck/suppressions" --suppress='*:/usr/include/*' \
    $(pkg-config --cflags-only-I wireshark | tr ' ' '\n' | grep -v glib) -I. "${C_FILES[@]}"

status=0
/usr/bin/python3 tools/lint/findings.py "$OUT" "$SRC" tools/lint-allow.txt || status=$?
echo "lint: $(( $(date +%s) - start )) s"
exit $status
