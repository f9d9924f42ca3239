#!/bin/sh
# Installs the Debian 12 packages that building and testing msstun need,
# with apt-get, only when some are missing.  Uses sudo when not root.
set -eu

PACKAGES="cmake gcc make pkg-config tshark wireshark-dev libwireshark-dev libwiretap-dev libwsutil-dev \
libglib2.0-dev libgcrypt20-dev libsrtp2-dev dpkg-dev python3 python3-pytest util-linux valgrind python3-pytest-xdist"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "Installing:$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
