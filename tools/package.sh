#!/bin/sh
# Builds the Debian package of the plugin for the Wireshark installed on
# this system: dist/wireshark-msstun_VERSION+wsX.Y_ARCH.deb, which installs
# msstun.so into that Wireshark's global plugin folder and depends on that
# Wireshark's libwireshark package within the same major.minor, so that the
# package for another Wireshark refuses to install instead of failing to
# load.  tools/matrix.sh builds it for every Wireshark of the matrix.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh
BUILD_DIR=${MSSTUN_BUILD_DIR:-build}

info() { sed -n "s/^$1=//p" "$BUILD_DIR/wireshark-plugin-info.txt"; }
version=$(info PLUGIN_VERSION)
ws_major_minor=$(info WIRESHARK_MAJOR_MINOR)
plugin_dir=$(info GLOBAL_PLUGIN_DIR)/epan
arch=$(dpkg --print-architecture)

ws_major=${ws_major_minor%.*}
ws_minor=${ws_major_minor#*.}
next_minor="$ws_major.$((ws_minor + 1))"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -D -m 0644 "$BUILD_DIR/msstun.so" "$stage/root$plugin_dir/msstun.so"
strip --strip-unneeded "$stage/root$plugin_dir/msstun.so"
install -D -m 0644 LICENSE "$stage/root/usr/share/doc/wireshark-msstun/copyright"

# Shared-library dependencies as dpkg-shlibdeps computes them for any
# Debian package, plus the upper bound on the Wireshark minor release.
mkdir -p "$stage/debian"
printf 'Source: wireshark-msstun\n\nPackage: wireshark-msstun\nArchitecture: any\n' > "$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e"root$plugin_dir/msstun.so" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
libwireshark=$(echo "$shlibs" | grep -oE 'libwireshark[0-9]+' | head -1)
if [ -z "$libwireshark" ]; then
    echo "dpkg-shlibdeps did not name a libwireshark package: $shlibs" >&2
    exit 1
fi
depends="$shlibs, $libwireshark (<< $next_minor~)"

mkdir -p "$stage/root/DEBIAN"
cat > "$stage/root/DEBIAN/control" <<EOF
Package: wireshark-msstun
Version: $version+ws$ws_major_minor
Architecture: $arch
Maintainer: msstun contributors <msstun@users.noreply.github.com>
Section: net
Priority: optional
Depends: $depends
Enhances: wireshark, tshark
Installed-Size: $(du -k -s "$stage/root" | cut -f1)
Homepage: https://github.com/msstun/msstun
Description: Microsoft Lync/Skype for Business/Teams STUN, TURN and media for Wireshark $ws_major_minor
 MSSTUN decodes the STUN/TURN/ICE dialects of Microsoft Lync, Skype for
 Business and Teams ([MS-TURN], [MS-ICE2], [MS-TURNBWM]), the UDP 3478 and
 TCP 443 port multiplexing with MS-TURN framing and pseudo-TLS, and the media
 relayed through an Edge server or a Teams relay.  Built for Wireshark
 $ws_major_minor only.
EOF

mkdir -p dist
deb="dist/wireshark-msstun_${version}+ws${ws_major_minor}_${arch}.deb"
dpkg-deb --root-owner-group --build "$stage/root" "$deb" > /dev/null
echo "$deb: Depends: $depends"
