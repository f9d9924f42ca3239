#!/bin/bash
# tools/windows.sh: msstun.dll for Wireshark on Windows, cross-built and
# tested on this Debian 12 machine (issue 28).  One command, idempotent, as
# root:
#   tools/windows.sh            everything below
#   tools/windows.sh STAGE...   only these stages (in the order given)
# Stages:
#   sources   apt source packages (deb-src, a private sources list) of
#             Wireshark 4.0.17 and the MinGW builds' dependencies
#   toolchain MinGW-w64's 64-bit C compiler, Wine and the MinGW
#             libgcrypt/libgpg-error (C++, zlib, flex and bison come with
#             the stages that build Wireshark)
#   deps      glib, libffi, pcre2 cross-built for x86_64-w64-mingw32
#   ws4.0     Wireshark 4.0.17's tshark.exe + libwireshark.dll (c-ares first)
#   ws4.2     the same of Wireshark 4.2.2 (Ubuntu 24.04's source; about
#             40 minutes more on 2 cores)
#   intree4.2 the intree stage in the 4.2.2 tree (after ws4.2); not in the
#             default stages
#   plugin    msstun.dll for each release (4.0, 4.2 when built, 4.4/4.6 from
#             the matrix roots' headers), its imports checked
#   intree    the plugin built inside the 4.0.17 tree by Wireshark's CMake
#   package   dist/msstun-VERSION-wireshark-X.Y-win64.zip
#   test      the whole test suite against each Wine tshark built (4.0,
#             4.2; $MSSTUN_WINDOWS_TEST_VERSION: of that X.Y only)
# Everything lives in $MSSTUN_WINDOWS_CACHE (/var/cache/msstun-windows).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${MSSTUN_WINDOWS_CACHE:-/var/cache/msstun-windows}
MIRROR=${MSSTUN_WINDOWS_MIRROR:-http://deb.debian.org/debian}
MATRIX_CACHE=${MSSTUN_MATRIX_CACHE:-/var/cache/msstun-matrix}
UBUNTU_MIRROR=${MSSTUN_MATRIX_UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
HOST=x86_64-w64-mingw32
PREFIX=$CACHE/mingw            # the MinGW dependencies' install prefix
JOBS=$(nproc)
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/lib/wine:$PATH

if [ "$(id -u)" -ne 0 ]; then
    exec sudo MSSTUN_WINDOWS_CACHE="$CACHE" MSSTUN_WINDOWS_MIRROR="$MIRROR" "$0" "$@"
fi
mkdir -p "$CACHE"
log() { echo "windows.sh: $*" >&2; }

# ---- sources --------------------------------------------------------------
APT_SOURCES=$CACHE/apt/sources.list
apt_private() {
    apt-get -o Dir::Etc::SourceList="$APT_SOURCES" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State::Lists="$CACHE/apt/lists" -o Dir::Cache::archives="$CACHE/apt/archives" "$@"
}
# Bookworm's source packages (wireshark: 4.0.17, tshark's version on this machine).
SOURCE_PACKAGES="wireshark glib2.0 pcre2 c-ares libffi"
stage_sources() {
    mkdir -p "$CACHE/apt/lists/partial" "$CACHE/apt/archives/partial" "$CACHE/src"
    echo "deb-src $MIRROR bookworm main" > "$APT_SOURCES"
    local pkg name missing=
    for pkg in $SOURCE_PACKAGES; do
        name=$pkg
        ls "$CACHE/src/${name}_"*.dsc > /dev/null 2>&1 || missing="$missing $pkg"
    done
    if [ -n "$missing" ]; then
        apt_private update -q
        # shellcheck disable=SC2086
        (cd "$CACHE/src" && apt_private source --download-only $missing)
    fi
    # Wireshark 4.2.2: Ubuntu 24.04's, signed by the key tools/matrix.sh pins.
    local key=$MATRIX_CACHE/ubuntu-archive-key.gpg
    if ! ls "$CACHE"/src/wireshark_4.2.*.dsc > /dev/null 2>&1 && [ -s "$key" ]; then
        mkdir -p "$CACHE/apt-noble/lists/partial"
        echo "deb-src [signed-by=$key] $UBUNTU_MIRROR noble universe" > "$CACHE/apt-noble/sources.list"
        local noble=(-o Dir::Etc::SourceList="$CACHE/apt-noble/sources.list" -o Dir::Etc::SourceParts=/dev/null
                     -o Dir::State::Lists="$CACHE/apt-noble/lists")
        apt-get "${noble[@]}" update -q
        (cd "$CACHE/src" && apt-get "${noble[@]}" source --download-only wireshark)
    fi
}

# ---- toolchain ------------------------------------------------------------
# What msstun.dll needs (stages deps, plugin, package: CI's route on a
# fresh machine): the 64-bit compiler only (mingw-w64 would add the 32-bit
# one and both C++ compilers), and Wine, through which GLib's configure
# runs its test programs ...
TOOLCHAIN_PACKAGES="gcc-mingw-w64-x86-64-win32 wine64 libgcrypt-mingw-w64-dev libgpg-error-mingw-w64-dev meson
    ninja-build cmake pkg-config python3 zip"
# ... and what the Windows tshark adds (stages ws4.0, ws4.2, intree).
WIRESHARK_PACKAGES="g++-mingw-w64-x86-64-win32 libz-mingw-w64-dev flex bison"
ensure_packages() {   # ensure_packages PACKAGE...
    local installed
    installed=$(dpkg-query -W -f='${db:Status-Abbrev}\n' "$@" 2> /dev/null | grep -c '^ii' || true)
    [ "$installed" -eq $# ] && return 0
    apt-get install -o DPkg::Lock::Timeout=900 -y -q --no-install-recommends "$@"
}
stage_toolchain() {
    # shellcheck disable=SC2086
    ensure_packages $TOOLCHAIN_PACKAGES
}

# ---- deps -----------------------------------------------------------------
# Each dependency is built once: $PREFIX/.built-NAME marks it done.
export MSSTUN_MINGW_PREFIX=$PREFIX
# CMake keeps the toolchain file's path in each build folder of the cache:
# a copy in the cache, so that a build folder outlives the checkout that
# made it.
TOOLCHAIN_FILE=$CACHE/toolchain-mingw64.cmake
install -m 0644 "$SRC/tools/windows/toolchain-mingw64.cmake" "$TOOLCHAIN_FILE"
# use_toolchain_copy BUILD: a build folder configured with another path of
# the toolchain file (a checkout since gone) is pointed at the copy.
use_toolchain_copy() {
    local f
    for f in "$1/CMakeCache.txt" "$1"/CMakeFiles/*/CMakeSystem.cmake; do
        [ -e "$f" ] && sed -i "s|/[^\"]*/tools/windows/toolchain-mingw64\.cmake|$TOOLCHAIN_FILE|g" "$f"
    done
    return 0
}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# Wine: each run of this script has a Wine prefix, and so a wineserver, of
# its own.  Runs used to share one ($CACHE/wine), so the "wineserver -k" that
# ends a run killed the tshark.exe of any other run then under way (another
# checkout's test stage, CI's): it exits with status 1 and no output at all
# (issue 28: a suite_srtp test failing so, once, in CI; reproduced by
# "wineserver -k" during a tshark.exe run).  The prefix of a run is made
# from a template in the cache ($CACHE/wine, made once by wineboot, remade
# when Wine is upgraded) in a moment: its registry files copied (Wine
# rewrites them by renaming), drive_c hard-linked (700 MB of Wine's DLLs,
# which Wine does not write to in an up-to-date prefix).
WINE_TEMPLATE=$CACHE/wine
WINE_SESSION=
# How tshark.exe is started.  When a process starts, Wine maps Windows'
# shared user data at its fixed address; with the Linux address space laid
# out at random, something occasionally sits there already and wine64 exits
# with status 1 and no output before tshark.exe runs ("failed to map the
# shared user data: c0000018" with WINEDEBUG=err+all: once in 950 starts of
# the 4.2.2 tshark.exe in a loop, and one test in each of two whole-suite
# runs).  Without the randomisation (setarch -R) the layout is the same at
# every start (no failure in 1000 starts).
WINE_RUN="setarch $(uname -m) -R /usr/lib/wine/wine64"
wine_template() {   # the template, (re)made when missing or older than this Wine (under a lock)
    local stamp new
    stamp=$(stat -c %Y /usr/share/wine/wine.inf)
    # Wine writes the time of its wine.inf there, with a CRLF.
    [ "$(head -1 "$WINE_TEMPLATE/.update-timestamp" 2> /dev/null | tr -d '\r')" = "$stamp" ] && return 0
    new=$WINE_TEMPLATE.new
    rm -rf "$new"
    mkdir -p "$new"
    WINEPREFIX=$new wine64 wineboot --init > /dev/null 2>&1
    WINEPREFIX=$new wineserver -w
    rm -rf "$WINE_TEMPLATE"
    mv "$new" "$WINE_TEMPLATE"
}
wine_session() {   # WINEPREFIX: a prefix of this run's own, removed at exit
    [ -n "$WINE_SESSION" ] && return 0
    ensure_packages wine64
    WINEPREFIX=$(mktemp -d /tmp/msstun-wine.XXXXXX)
    export WINEPREFIX
    WINE_SESSION=$WINEPREFIX
    trap wine_session_end EXIT
    # Copied under the lock: another run may be remaking the template.
    (flock 9 && wine_template \
        && cp -a "$WINE_TEMPLATE"/*.reg "$WINE_TEMPLATE/.update-timestamp" "$WINE_TEMPLATE/dosdevices" "$WINEPREFIX/" \
        && cp -al "$WINE_TEMPLATE/drive_c" "$WINEPREFIX/") 9> "$CACHE/wine.lock"
}
wine_session_end() {
    # Only this run's wineserver (that of its prefix) and its processes.
    WINEPREFIX=$WINE_SESSION wineserver -k 2> /dev/null || true
    WINEPREFIX=$WINE_SESSION wineserver -w 2> /dev/null || true
    rm -rf "$WINE_SESSION"
}
unpack() {   # unpack TARBALL-GLOB DIR
    local dir=$CACHE/build/$2
    [ -d "$dir" ] || (mkdir -p "$CACHE/build" && cd "$CACHE/build" && tar xf "$CACHE"/src/$1)
    echo "$dir"
}
built() { [ -e "$PREFIX/.built-$1" ]; }
mark_built() { touch "$PREFIX/.built-$1"; }
cmake_dep() {   # cmake_dep NAME DIR CMAKE-ARGS...
    local name=$1 dir=$2
    shift 2
    cmake -S "$dir" -B "$CACHE/build/$name-mingw" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN_FILE" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" "$@"
    nice cmake --build "$CACHE/build/$name-mingw" -j "$JOBS"
    cmake --install "$CACHE/build/$name-mingw"
}
stage_deps() {
    wine_session   # GLib's configure runs its test programs through Wine
    mkdir -p "$PREFIX/lib/pkgconfig" "$PREFIX/include" "$PREFIX/bin" "$CACHE/build"
    local dir
    if ! built libintl; then
        # GLib needs libintl on Windows: a stub without translations.
        cp "$SRC/tools/windows/libintl.h" "$PREFIX/include/"
        $HOST-gcc -O2 -c "$SRC/tools/windows/libintl-stub.c" -I "$PREFIX/include" -o "$CACHE/build/libintl-stub.o"
        $HOST-ar rcs "$PREFIX/lib/libintl.a" "$CACHE/build/libintl-stub.o"
        mark_built libintl
    fi
    if ! built libffi; then
        dir=$(unpack 'libffi_*.orig.tar.gz' libffi-3.4.4)
        mkdir -p "$CACHE/build/libffi-mingw"
        (cd "$CACHE/build/libffi-mingw" && "$dir/configure" --host=$HOST --prefix="$PREFIX" \
            --disable-static --enable-shared --disable-docs > configure.log && nice make -j "$JOBS" > make.log && make install > install.log)
        mark_built libffi
    fi
    if ! built pcre2; then
        dir=$(unpack 'pcre2_*.orig.tar.gz' pcre2-10.42)
        cmake_dep pcre2 "$dir" -DBUILD_SHARED_LIBS=ON -DBUILD_STATIC_LIBS=OFF -DPCRE2_BUILD_PCRE2GREP=OFF \
            -DPCRE2_BUILD_TESTS=OFF -DPCRE2_SUPPORT_UNICODE=ON
        mark_built pcre2
    fi
    if ! built glib; then
        dir=$(unpack 'glib2.0_*.orig.tar.xz' glib-2.74.6)
        # The official Windows Wireshark ships GLib built by vcpkg (MSVC):
        # glib-2.0-0.dll, not MinGW's libglib-2.0-0.dll (FindGLIB2.cmake's
        # GLIB2_DLLS).  The DLL msstun.dll imports is given that name here
        # too, so the zip's DLL is the one tested under Wine.
        grep -q "name_prefix : host_system == 'windows'" "$dir/glib/meson.build" \
            || sed -i "/^libglib = library('glib-2.0',\$/,/^  version : library_version,\$/s/^  version : library_version,\$/&\n  name_prefix : host_system == 'windows' ? '' : [],/" "$dir/glib/meson.build"
        sed "s|@PREFIX@|$PREFIX|" "$SRC/tools/windows/meson-cross.ini" > "$CACHE/build/meson-cross.ini"
        # -Wno-error=format-nonliteral: gio/gunixconnection.c on Windows
        # (glib 2.74 builds with -Werror=format=2).
        [ -e "$CACHE/build/glib-mingw/build.ninja" ] || PKG_CONFIG_PATH= meson setup "$CACHE/build/glib-mingw" "$dir" --cross-file "$CACHE/build/meson-cross.ini" \
            --prefix "$PREFIX" --buildtype release --wrap-mode nofallback -Dtests=false -Dman=false \
            -Dgtk_doc=false -Dnls=disabled -Dinstalled_tests=false -Dc_args="-I$PREFIX/include -Wno-error=format-nonliteral" \
            -Dc_link_args="-L$PREFIX/lib" -Dcpp_args="-I$PREFIX/include" -Dcpp_link_args="-L$PREFIX/lib" > "$CACHE/build/glib-setup.log"
        # Only what tshark needs (glib, gmodule, gthread; no gio, half the
        # build), installed by hand as "meson install" would.
        local b=$CACHE/build/glib-mingw lib
        nice ninja -C "$b" -j "$JOBS" glib/glib-2.0-0.dll gmodule/libgmodule-2.0-0.dll \
            gthread/libgthread-2.0-0.dll > "$CACHE/build/glib-build.log" \
            || { tail -30 "$CACHE/build/glib-build.log" >&2; return 1; }
        for lib in glib gmodule gthread; do
            cp "$b/$lib"/*.dll "$PREFIX/bin/"
            cp "$b/$lib"/*.dll.a "$PREFIX/lib/"
        done
        for lib in glib-2.0 gmodule-2.0 gmodule-no-export-2.0 gthread-2.0; do
            cp "$b/meson-private/$lib.pc" "$PREFIX/lib/pkgconfig/"
        done
        mkdir -p "$PREFIX/include/glib-2.0/glib/deprecated" "$PREFIX/lib/glib-2.0/include"
        cp "$dir/glib/glib.h" "$dir/gmodule/gmodule.h" "$PREFIX/include/glib-2.0/"
        cp "$dir"/glib/*.h "$PREFIX/include/glib-2.0/glib/"
        cp "$dir"/glib/deprecated/*.h "$PREFIX/include/glib-2.0/glib/deprecated/"
        cp "$b"/glib/*.h "$PREFIX/include/glib-2.0/glib/" 2> /dev/null || true
        mv "$PREFIX/include/glib-2.0/glib/glibconfig.h" "$PREFIX/lib/glib-2.0/include/"
        mark_built glib
    fi
}

# ---- ws4.0 ----------------------------------------------------------------
# Wireshark's Windows build, cross-compiled: tshark.exe and its DLLs only.
# MSYSTEM=MINGW64 makes Wireshark's CMake take its MSYS2 route (system
# libraries found by pkg-config) instead of fetching its 3rd-party bundle.
# HAVE_C99_VSNPRINTF: a check that runs a program (cmake 3.25 crashes on it
# when cross-compiling); MinGW's vsnprintf is C99's with _POSIX, which
# Wireshark defines for MinGW.
# -O0 without debugging information: this tshark is a test harness, and
# that compiles much faster than RelWithDebInfo on a shared 2-core machine.
WS_CMAKE_OFF="wireshark logray rawshark dumpcap text2pcap mergecap reordercap editcap capinfos
    captype randpkt dftest dcerpcidl2wrs androiddump sshdump ciscodump dpauxmon randpktdump
    wifidump udpdump sharkd mmdbresolve fuzzshark sdjournal etwdump"
WS_ENABLE_OFF="PCAP AIRPCAP MINIZIP LZ4 BROTLI SNAPPY ZSTD NGHTTP2 LUA SMI GNUTLS KERBEROS SBC
    SPANDSP BCG729 ILBC LIBXML2 OPUS SINSP WINSPARKLE NETLINK CAP"
ws_dir() { echo "$CACHE/wireshark-$1"; }   # the Windows tshark of X.Y: bin/ holds tshark.exe and every DLL
# What Wireshark needs besides the plugin's dependencies (stage deps).
ws_deps() {
    local dir
    # shellcheck disable=SC2086
    ensure_packages $WIRESHARK_PACKAGES
    if ! built c-ares; then
        dir=$(unpack 'c-ares_*.orig.tar.gz' c-ares-1.18.1)
        cmake_dep c-ares "$dir" -DCARES_SHARED=ON -DCARES_STATIC=OFF -DCARES_BUILD_TOOLS=OFF -DCARES_BUILD_TESTS=OFF
        mark_built c-ares
    fi
}
ws_cross_build() {   # ws_cross_build X.Y SOURCE-DIR
    local mm=$1 dir=$2 build=$CACHE/build/wireshark-$1-mingw out opts= o
    [ -e "$(ws_dir "$mm")/bin/tshark.exe" ] && return 0
    ws_deps
    if [ ! -e "$dir/.msstun-patched" ]; then
        patch -d "$dir" -p1 < "$SRC/tools/windows/wireshark-$mm-mingw.patch"
        touch "$dir/.msstun-patched"
    fi
    for o in $WS_CMAKE_OFF; do opts="$opts -DBUILD_$o=OFF"; done
    for o in $WS_ENABLE_OFF; do opts="$opts -DENABLE_$o=OFF"; done
    use_toolchain_copy "$build"
    # shellcheck disable=SC2086
    MSYSTEM=MINGW64 PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig:/usr/$HOST/lib/pkgconfig" \
        cmake -S "$dir" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN_FILE" \
        -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS=-O0 -DCMAKE_INSTALL_PREFIX="$(ws_dir "$mm")" \
        -DBUILD_tshark=ON -DENABLE_ZLIB=ON -DENABLE_PLUGINS=ON -DLEMON_C_COMPILER=gcc \
        -DENABLE_WERROR=OFF -DHAVE_C99_VSNPRINTF=1 $opts > "$build.configure.log" 2>&1 \
        || { tail -40 "$build.configure.log" >&2; return 1; }
    MSYSTEM=MINGW64 nice cmake --build "$build" -j "$JOBS" --target tshark copy_data_files > "$build.build.log" 2>&1 \
        || { grep -B2 -A10 'error' "$build.build.log" | head -60 >&2; return 1; }
    ws_collect "$mm" "$build"
}
# The Windows tshark's folder: tshark.exe, Wireshark's DLLs and the
# dependencies' DLLs side by side, as the installer lays them out.
ws_collect() {
    local mm=$1 build=$2 bin
    bin=$(ws_dir "$mm")/bin
    rm -rf "$(ws_dir "$mm")"
    mkdir -p "$bin"
    # tshark.exe, Wireshark's DLLs and data files (manuf, radius/...).
    cp -r "$build"/run/. "$bin/"
    rm -f "$bin"/*.a "$bin/lemon"
    cp "$PREFIX"/bin/*.dll "$bin/"
    cp /usr/$HOST/bin/libgcrypt-20.dll /usr/$HOST/bin/libgpg-error-0.dll /usr/$HOST/lib/zlib1.dll \
        /usr/$HOST/lib/libwinpthread-1.dll "$bin/"
    # GCC's runtime: 4.2's libwireshark.dll, linked as C++, imports it.
    cp "$($HOST-gcc -print-file-name=libgcc_s_seh-1.dll)" "$($HOST-gcc -print-file-name=libstdc++-6.dll)" "$bin/"
    mkdir -p "$bin/plugins/$mm/epan"
}
ws_source() {   # ws_source X.Y: Wireshark X.Y's source tree, unpacked
    case "$1" in
        4.0) unpack 'wireshark_4.0.17.orig.tar.bz2' wireshark-v4.0.17 ;;
        4.2) unpack 'wireshark_4.2.2.orig.tar.gz' wireshark-wireshark-4.2.2 ;;
    esac
}
stage_ws4_0() {
    local dir
    dir=$(ws_source 4.0)
    ws_cross_build 4.0 "$dir"
}
stage_ws4_2() {
    local dir
    dir=$(ws_source 4.2)
    ws_cross_build 4.2 "$dir"
}

# ---- plugin ---------------------------------------------------------------
# msstun.dll for Wireshark X.Y, compiled against that release's headers
# (those of its Linux libwireshark-dev: the same headers, #ifdef _WIN32
# inside) and linked through import libraries made from that release's
# Linux libwireshark/libwsutil export lists, under the DLL names of the
# official Windows installer.  GLib: glib-2.0-0.dll (vcpkg's name, see
# FindGLIB2.cmake's GLIB2_DLLS), API limited (GLIB_VERSION_MIN_REQUIRED and
# MAX_ALLOWED) to the release's minimum: 2.50 for 4.0 and 2.54 for 4.2
# (their CMakeLists.txt: find_package(GLIB2 "2.50.0"), "2.54.0"); 2.68 for
# 4.4 and 4.6, whose own headers call g_memdup2 (GLib 2.68) inline when
# GLib has it (wsutil/glib-compat.h), so no lower limit compiles there.
PLUGIN_VERSION=$(sed -n 's/^project(msstun VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
OFFICIAL_DLLS="libwireshark.dll libwsutil.dll glib-2.0-0.dll libgcrypt-20.dll"
# The C runtime: the official Wireshark is built by MSVC and runs on the
# Universal C Runtime (ucrtbase.dll, imported through api-ms-win-crt-*.dll),
# one per process, so a plugin built for UCRT shares errno, the heap and
# stdio with libwireshark and GLib.  Debian 12's MinGW targets msvcrt.dll
# only; trixie's (gcc-mingw-w64-ucrt64, in tools/matrix.sh's trixie root)
# targets UCRT.  Both are built where they can be, and the zips take the
# UCRT one (see stage_package).
UCRT_ROOT=$MATRIX_CACHE/trixie
UCRT_HOST=x86_64-w64-mingw32ucrt
# Where this machine's / is seen from inside the trixie root (ucrt_run).
UCRT_HOST_ROOT=/run/msstun-host
system_dlls() {   # system_dlls RUNTIME: the Windows DLLs a plugin of that C runtime may import
    case "$1" in
        msvcrt) echo "KERNEL32.dll msvcrt.dll" ;;
        ucrt) echo "KERNEL32.dll api-ms-win-crt-*.dll" ;;
    esac
}
# The UCRT compiler, installed in the trixie root when missing.
ucrt_ready() {
    [ -e "$UCRT_ROOT/.msstun-matrix-ready" ] || return 1
    [ -x "$UCRT_ROOT/usr/bin/$UCRT_HOST-gcc" ] && return 0
    chroot "$UCRT_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q -o DPkg::Lock::Timeout=900 --no-install-recommends gcc-mingw-w64-ucrt64 \
        > "$CACHE/ucrt-toolchain.log" 2>&1 || { tail -20 "$CACHE/ucrt-toolchain.log" >&2; return 1; }
}
# Runs a command in the trixie root with this machine's / bound (not
# recursively: one file system here) at $UCRT_HOST_ROOT, in a mount
# namespace of its own: the mount ends with the command.
ucrt_run() {
    mkdir -p "$UCRT_ROOT$UCRT_HOST_ROOT"
    # shellcheck disable=SC2016
    unshare --mount --propagation private -- /bin/sh -c \
        'mount --bind / "$0$1" && shift && exec chroot "$0" /usr/bin/env -i PATH=/usr/bin:/bin "$@"' \
        "$UCRT_ROOT" "$UCRT_HOST_ROOT" "$@"
}
glib_floor() {
    case "$1" in 4.0) echo GLIB_VERSION_2_50 ;; 4.2) echo GLIB_VERSION_2_54 ;; *) echo GLIB_VERSION_2_68 ;; esac
}
# The root holding release X.Y's headers and Linux libraries.
release_root() {
    case "$1" in
        4.0) echo / ;;
        4.2) echo "$MATRIX_CACHE/noble" ;;
        4.4) echo "$MATRIX_CACHE/trixie" ;;
        4.6) echo "$MATRIX_CACHE/sid" ;;
    esac
}
release_ready() {
    local root
    root=$(release_root "$1")
    [ -d "$root/usr/include/wireshark" ] && { [ "$1" = 4.0 ] || [ -e "$root/.msstun-matrix-ready" ]; }
}
# A .def of the symbols a Linux shared library exports (data marked DATA).
linux_exports_def() {   # linux_exports_def LIB.so DLL-NAME
    echo "LIBRARY $2"
    echo "EXPORTS"
    nm -D --defined-only "$1" | awk '$2 ~ /^[TtWiI]$/ { print $3 } $2 ~ /^[DdBbRrVG]$/ { print $3 " DATA" }' \
        | sed 's/@.*//' | sort -u
}
# The CMakeLists.txt warning set, for MinGW; -Wundef only where the
# release's headers pass it (cmake/msstun-wundef.cmake's check).
# -fasynchronous-unwind-tables: SEH unwind information (.pdata/.xdata) for
# every function, which MSVC's longjmp needs to unwind through the plugin's
# frames (tools/windows/check-unwind.py); GCC's default for
# x86_64-w64-mingw32, said here so that no flag added later drops it.
plugin_cflags() {   # plugin_cflags CC INCLUDE-FLAGS
    local cc=$1 flags="-std=c11 -O2 -g -Wall -Wextra -Werror -Wpedantic -Wmissing-prototypes -Wstrict-prototypes
        -Wshadow -Wpointer-arith -Wformat=2 -Wcast-align -Wvla -Wold-style-definition
        -fno-strict-aliasing -fvisibility=hidden -fasynchronous-unwind-tables $2"
    # shellcheck disable=SC2086
    if printf '#include <wireshark.h>\n#include <epan/packet.h>\nint main(void) { return 0; }\n' \
        | $cc $flags -Wundef -Werror -fsyntax-only -x c - 2> /dev/null; then
        flags="$flags -Wundef"
    fi
    echo "$flags"
}
# plugin_dir X.Y RUNTIME: where msstun.dll of X.Y for that C runtime is built.
plugin_dir() { if [ "$2" = ucrt ]; then echo "$CACHE/plugin-$1-ucrt"; else echo "$CACHE/plugin-$1"; fi; }
build_plugin() {   # build_plugin X.Y RUNTIME (msvcrt or ucrt)
    local mm=$1 runtime=$2 root out lib so f objs='' cc=$HOST-gcc h=''
    if [ "$runtime" = ucrt ]; then
        # Trixie's compiler, in its root, sees these paths under $UCRT_HOST_ROOT.
        cc="ucrt_run $UCRT_HOST-gcc"
        h=$UCRT_HOST_ROOT
    fi
    root=$(release_root "$mm")
    out=$(plugin_dir "$mm" "$runtime")
    lib=$out/importlibs
    rm -rf "$out"
    mkdir -p "$lib" "$out/obj" "$out/include"
    for so in libwireshark libwsutil; do
        f=$(ls "$root"/usr/lib/x86_64-linux-gnu/$so.so.[0-9]* | sort | head -1)
        linux_exports_def "$f" "$so.dll" > "$lib/$so.def"
        $HOST-dlltool -d "$lib/$so.def" -l "$lib/$so.dll.a" -D "$so.dll"
    done
    # GLib's and libgcrypt's import libraries under the official names (our
    # glib build and Debian's libgcrypt-mingw-w64-dev have them), and
    # libgcrypt's headers alone: the folders of Debian 12's MinGW also hold
    # its msvcrt C library and headers, which a UCRT build must not see.
    cp "$PREFIX/lib/glib-2.0.dll.a" /usr/$HOST/lib/libgcrypt.dll.a "$lib/"
    cp /usr/$HOST/include/gcrypt.h /usr/$HOST/include/gpg-error.h /usr/$HOST/include/gpgrt.h "$out/include/"
    local cflags
    cflags="$(plugin_cflags "$cc" "-DHAVE_SSIZE_T -DGLIB_VERSION_MIN_REQUIRED=$(glib_floor "$mm")
        -DGLIB_VERSION_MAX_ALLOWED=$(glib_floor "$mm") -I$h$SRC -I$h$root/usr/include/wireshark
        -I$h$PREFIX/include/glib-2.0 -I$h$PREFIX/lib/glib-2.0/include -I$h$out/include")
        -DVERSION=\"$PLUGIN_VERSION\""
    for f in $(sed -n '/^set(MSSTUN_SOURCES/,/^)/p' "$SRC/CMakeLists.txt" | grep -o '[a-z0-9_-]*\.c'); do
        # shellcheck disable=SC2086
        $cc $cflags -c "$h$SRC/$f" -o "$h$out/obj/${f%.c}.o"
        objs="$objs $h$out/obj/${f%.c}.o"
    done
    # shellcheck disable=SC2086
    $cc -shared -o "$h$out/msstun.dll" $objs -L"$h$lib" -lwireshark -lwsutil -lglib-2.0 -lgcrypt -Wl,--no-undefined
    check_plugin_imports "$mm" "$runtime" "$out/msstun.dll"
    check_unwind "$out/msstun.dll"
}
# Unwind information for every frame an exception can unwind through, and
# TRY's setjmp calls with a NULL frame (tools/windows/check-unwind.py).
check_unwind() {   # check_unwind DLL...
    local line
    line=$(MSSTUN_OBJDUMP=$HOST-objdump python3 "$SRC/tools/windows/check-unwind.py" "$@") || return 1
    log "$line"
}
# Every DLL msstun.dll imports is one the official installer ships (or a
# Windows system DLL), and every symbol it takes from libwireshark /
# libwsutil is exported by release X.Y's library.
check_plugin_imports() {   # check_plugin_imports X.Y RUNTIME DLL
    local mm=$1 runtime=$2 dll=$3 name bad=0 so f allowed
    $HOST-objdump -p "$dll" > "$dll.imports"
    for name in $(sed -n 's/^\tDLL Name: //p' "$dll.imports"); do
        allowed=0
        for f in $OFFICIAL_DLLS $(system_dlls "$runtime"); do
            # shellcheck disable=SC2053
            [[ $name == $f ]] && allowed=1
        done
        [ "$allowed" -eq 1 ] || { echo "msstun.dll for $mm ($runtime) imports $name, which the official installer or $runtime does not ship" >&2; bad=1; }
    done
    for so in libwireshark libwsutil; do
        awk -v dll="$so.dll" '/^\tDLL Name: / { cur = $3 } cur == dll && NF == 3 && $1 ~ /^[0-9a-f]+$/ { print $3 }' \
            "$dll.imports" | sort -u > "$dll.$so.imports"
        sed -n '3,$p' "$(dirname "$dll")/importlibs/$so.def" | sed 's/ DATA$//' | sort -u > "$dll.$so.exports"
        if [ -n "$(comm -23 "$dll.$so.imports" "$dll.$so.exports")" ]; then
            echo "msstun.dll for $mm imports from $so.dll symbols $mm does not export:" >&2
            comm -23 "$dll.$so.imports" "$dll.$so.exports" >&2
            bad=1
        fi
    done
    # Where this machine built the Windows Wireshark of X.Y, its real DLLs
    # export them too (the Linux export list is what 4.4 and 4.6 have).
    for so in libwireshark libwsutil glib-2.0-0; do
        f=$(ws_dir "$mm")/bin/$so.dll
        [ -e "$f" ] || continue
        $HOST-objdump -p "$f" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/s/^\t\[ *[0-9]*\] //p' \
            | sort -u > "$dll.$so.windows-exports"
        awk -v dll="$so.dll" '/^\tDLL Name: / { cur = $3 } cur == dll && NF == 3 && $1 ~ /^[0-9a-f]+$/ { print $3 }' \
            "$dll.imports" | sort -u > "$dll.$so.windows-imports"
        if [ -n "$(comm -23 "$dll.$so.windows-imports" "$dll.$so.windows-exports")" ]; then
            echo "msstun.dll for $mm imports from $so.dll symbols the Windows $so.dll does not export:" >&2
            comm -23 "$dll.$so.windows-imports" "$dll.$so.windows-exports" >&2
            bad=1
        fi
    done
    [ "$bad" -eq 0 ] || return 1
    log "msstun.dll for $mm ($runtime): imports $(sed -n 's/^\tDLL Name: //p' "$dll.imports" | tr '\n' ' ')($(cat "$dll".lib*.imports | wc -l) Wireshark symbols, all exported by $mm)"
}
stage_plugin() {
    local mm
    for mm in 4.0 4.2 4.4 4.6; do
        if ! release_ready "$mm"; then log "no headers for $mm ($(release_root "$mm")): skipped"; continue; fi
        build_plugin "$mm" msvcrt
        if ucrt_ready; then build_plugin "$mm" ucrt; else log "no UCRT compiler ($UCRT_ROOT): $mm for msvcrt only"; fi
    done
}

# ---- intree ---------------------------------------------------------------
# The in-tree route of CMakeLists.txt (what Windows and macOS builders use):
# the plugin as plugins/epan/msstun of the 4.0.17 tree (intree) or of the
# 4.2.2 tree (intree4.2), built by Wireshark's own CMake with MinGW in the
# build folder of stage ws4.0 / ws4.2, then loaded by that release's
# Windows tshark under Wine.
stage_intree() {
    intree 4.0 intree "$CACHE/build/intree-config"
}
stage_intree4_2() {
    intree 4.2 intree4.2 "$CACHE/build/intree-4.2-config"
}
intree() {   # intree X.Y STAGE CONFIG-DIR
    local mm=$1 stage=$2 conf=$3 dir build out listed
    # shellcheck disable=SC2086
    ensure_packages $WIRESHARK_PACKAGES
    dir=$(ws_source "$mm")
    build=$CACHE/build/wireshark-$mm-mingw
    [ -e "$build/build.ninja" ] || { log "$stage: run the ws$mm stage first"; return 1; }
    wine_session
    use_toolchain_copy "$build"
    rm -rf "$dir/plugins/epan/msstun"
    mkdir -p "$dir/plugins/epan/msstun"
    (cd "$SRC" && git ls-files -z -- '*.c' '*.h' CMakeLists.txt cmake | xargs -0 cp --parents -t "$dir/plugins/epan/msstun")
    MSYSTEM=MINGW64 PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig:/usr/$HOST/lib/pkgconfig" \
        cmake -S "$dir" -B "$build" -DCUSTOM_PLUGIN_SRC_DIR=plugins/epan/msstun > "$build.intree.log" 2>&1 \
        || { tail -30 "$build.intree.log" >&2; return 1; }
    MSYSTEM=MINGW64 nice cmake --build "$build" --target msstun >> "$build.intree.log" 2>&1 \
        || { grep -B2 -A10 'error' "$build.intree.log" | head -60 >&2; return 1; }
    out=$(find "$build/run" -name msstun.dll | head -1)
    [ -n "$out" ] || { log "$stage: no msstun.dll in $build/run"; return 1; }
    check_unwind "$out"
    # Loaded by tshark.exe from a personal plugin folder of its own.
    rm -rf "$conf"
    mkdir -p "$conf/plugins/$mm/epan"
    cp "$out" "$conf/plugins/$mm/epan/msstun.dll"
    listed=$(WIRESHARK_CONFIG_DIR="Z:$conf" $WINE_RUN "$(ws_dir "$mm")/bin/tshark.exe" -G plugins < /dev/null 2> /dev/null \
        | grep '^msstun' || true)
    echo "$listed" | grep -q 'dissector' || { log "$stage: tshark.exe does not list the in-tree msstun.dll: $listed"; return 1; }
    log "$stage: $out built by Wireshark's CMake, loaded by tshark.exe: $listed"
    intree_linux "$mm" "$stage" "$dir"
}
# The same tree configured natively on Linux, where Wireshark's project is
# "wireshark": its CMake takes the plugin's in-tree route, and the plugin's
# sources compile with Wireshark's own flags (linking would need all of
# libwireshark built natively, half an hour more: not done).  Off: what
# Debian 12 lacks the development files of (Qt for wireshark, and for 4.2
# SpeexDSP, which 4.2 requires for wireshark and sharkd).
intree_linux_options() {   # intree_linux_options X.Y
    case "$1" in
        4.0) echo "-DBUILD_wireshark=OFF -DENABLE_PCAP=OFF -DENABLE_LUA=OFF" ;;
        *) echo "-DBUILD_wireshark=OFF -DBUILD_sharkd=OFF" ;;
    esac
}
intree_linux() {   # intree_linux X.Y STAGE SOURCE-DIR
    local mm=$1 stage=$2 dir=$3 build=$CACHE/build/wireshark-$1-linux objs
    dpkg-query -W -f='${db:Status-Abbrev}' libc-ares-dev 2> /dev/null | grep -q '^ii' \
        || apt-get install -o DPkg::Lock::Timeout=900 -y -q --no-install-recommends libc-ares-dev > /dev/null
    # shellcheck disable=SC2046
    cmake -S "$dir" -B "$build" -G Ninja $(intree_linux_options "$mm") \
        -DCUSTOM_PLUGIN_SRC_DIR=plugins/epan/msstun > "$build.configure.log" 2>&1 \
        || { tail -30 "$build.configure.log" >&2; return 1; }
    objs=$(ninja -C "$build" -t targets all | sed -n 's|^\(plugins/epan/msstun/CMakeFiles/msstun.dir/[^:]*\.c\.o\):.*|\1|p')
    [ -n "$objs" ] || { log "$stage (Linux): no msstun objects in Wireshark's build"; return 1; }
    # Each object's own compile command only ("ninja OBJECT" would first
    # build the dissectors' generated sources, most of Wireshark).
    local obj
    : > "$build.build.log"
    for obj in $objs; do
        (cd "$build" && eval "nice $(ninja -t commands "$obj" | tail -1)") >> "$build.build.log" 2>&1 \
            || { tail -40 "$build.build.log" >&2; return 1; }
    done
    log "$stage (Linux): $(echo "$objs" | wc -w) plugin sources compiled in the tree by Wireshark's CMake"
}

# ---- package --------------------------------------------------------------
# dist/msstun-VERSION-wireshark-X.Y-win64.zip: msstun.dll, INSTALL.txt, LICENSE.
# The DLL is the UCRT build, the official Wireshark's C runtime, where this
# machine has the UCRT compiler (tools/matrix.sh's trixie root), else the
# msvcrt one (a fresh CI machine).
stage_package() {
    local mm stage zip runtime dll
    mkdir -p "$SRC/dist"
    for mm in 4.0 4.2 4.4 4.6; do
        runtime=ucrt
        [ -e "$(plugin_dir "$mm" ucrt)/msstun.dll" ] || runtime=msvcrt
        dll=$(plugin_dir "$mm" "$runtime")/msstun.dll
        [ -e "$dll" ] || continue
        stage=$CACHE/package-$mm
        zip=$SRC/dist/msstun-$PLUGIN_VERSION-wireshark-$mm-win64.zip
        rm -rf "$stage" "$zip"
        mkdir -p "$stage"
        $HOST-strip --strip-unneeded -o "$stage/msstun.dll" "$dll"
        check_unwind "$stage/msstun.dll"
        sed -e "s/@PLUGIN_VERSION@/$PLUGIN_VERSION/g" -e "s/@WS@/$mm/g" -e "s/@RUNTIME@/$(runtime_text "$runtime")/" \
            "$SRC/tools/windows/INSTALL.txt.in" \
            | sed 's/$/\r/' > "$stage/INSTALL.txt"
        sed 's/$/\r/' "$SRC/LICENSE" > "$stage/LICENSE.txt"
        (cd "$stage" && TZ=UTC touch -d "1980-01-02 00:00" ./* && zip -q -X "$zip" msstun.dll INSTALL.txt LICENSE.txt)
        chmod 0644 "$zip"
        echo "$runtime" > "$stage/runtime"
        log "$zip ($runtime)"
    done
}
runtime_text() {
    case "$1" in
        ucrt) echo "the Universal C Runtime (UCRT), as Wireshark's own" ;;
        msvcrt) echo "msvcrt.dll (not Wireshark's UCRT)" ;;
    esac
}

# ---- test -----------------------------------------------------------------
# The whole test suite against the Windows tshark of X.Y under Wine, with
# the msstun.dll of the zip (stage package; test/conftest.py: MSSTUN_TSHARK...).
# MSSTUN_WINDOWS_PYTEST: the suites to run (all of test/ by default).
# The zip's UCRT msstun.dll in this MinGW (msvcrt) tshark.exe is the official
# Wireshark's case the other way round: two C runtimes in one process, so
# the tests pass only if no C runtime state (errno, heap, FILE) crosses
# between the plugin and libwireshark/GLib.
run_suite_windows() {   # run_suite_windows X.Y [PYTEST-ARGS...]
    local mm=$1 rc=0
    shift
    [ $# -eq 0 ] && set -- test
    wine_session
    # One wineserver for the whole run, and Wine's background services
    # started now, away from pytest's pipes (started by the first tshark.exe,
    # they would inherit its stdout and keep it open).
    wineserver -p 2> /dev/null || true
    $WINE_RUN "$(ws_dir "$mm")/bin/tshark.exe" --version < /dev/null > /dev/null 2>&1
    log "tests under Wine: tshark.exe $mm (msvcrt), msstun.dll of the zip ($(cat "$CACHE/package-$mm/runtime"))"
    (cd "$SRC" && MSSTUN_TSHARK="$WINE_RUN $(ws_dir "$mm")/bin/tshark.exe" \
        MSSTUN_TSHARK_PLATFORM=windows MSSTUN_TEST_USER= MSSTUN_PLUGIN="$CACHE/package-$mm/msstun.dll" \
        nice /usr/bin/python3 -m pytest -c test/pytest.ini "$@") || rc=$?
    return $rc
}
# Left out: the RSA-key TLS tests, which need GnuTLS (the uat:rsa_keys
# preference), built out of this tshark.exe (no GnuTLS for MinGW in
# Debian 12); the TLS key-log tests run.  And the keys file that is a FIFO
# or /dev/zero: Windows has neither, and under Wine GLib does not see them
# as files at all (the folder case runs).
WINDOWS_DESELECT='not (TestTls443 and (rsa or html_body_decrypted)) and not (test_not_a_regular_file and (zero or fifo))'
stage_test() {
    local mm versions=${MSSTUN_WINDOWS_TEST_VERSION:-}
    if [ -z "$versions" ]; then
        for mm in 4.0 4.2; do
            [ -e "$(ws_dir "$mm")/bin/tshark.exe" ] && versions="$versions $mm"
        done
        [ -n "$versions" ] || { log "test: no Windows tshark built (stage ws4.0 or ws4.2)"; return 1; }
    fi
    for mm in $versions; do
        # shellcheck disable=SC2086
        run_suite_windows "$mm" ${MSSTUN_WINDOWS_PYTEST:-test} -k "$WINDOWS_DESELECT"
    done
}

# ---- main -----------------------------------------------------------------
[ $# -eq 0 ] && set -- sources toolchain deps ws4.0 ws4.2 plugin intree package test
for stage in "$@"; do
    log "stage $stage ($(date +%T))"
    "stage_${stage//./_}"
done
