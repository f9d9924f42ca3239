#!/bin/sh
# Installs (or with --uninstall removes) the built plugin where tshark and
# Wireshark load it:
#   - as a normal user, the personal plugin folder ("Personal Plugins" in
#     tshark -G folders, then /epan);
#   - as root, the global plugin folder (Wireshark_PLUGIN_INSTALL_DIR/epan),
#     because tshark run as root ignores personal plugins.
# Usage: tools/install.sh [--uninstall] [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."

action=install
if [ "${1:-}" = "--uninstall" ]; then action=uninstall; shift; fi
BUILD_DIR=${1:-${MSSTUN_BUILD_DIR:-build}}

if [ "$(id -u)" -eq 0 ]; then
    info="$BUILD_DIR/wireshark-plugin-info.txt"
    if [ -f "$info" ]; then
        dir=$(sed -n 's/^GLOBAL_PLUGIN_DIR=//p' "$info")/epan
    else
        dir=$(tshark -G folders | sed -n 's/^Global Plugins:[[:space:]]*//p')/epan
    fi
else
    dir=$(tshark -G folders | sed -n 's/^Personal Plugins:[[:space:]]*//p')/epan
fi

if [ "$action" = uninstall ]; then
    rm -f "$dir/msstun.so"
    echo "Removed $dir/msstun.so"
    exit 0
fi

mkdir -p "$dir"
install -m 0644 "$BUILD_DIR/msstun.so" "$dir/msstun.so"
echo "Installed $dir/msstun.so"
if ! tshark -G plugins | grep -q 'msstun\.so'; then
    echo "tshark does not list msstun.so: check that the plugin was built for this Wireshark version" >&2
    exit 1
fi
tshark -G plugins | grep 'msstun\.so'
