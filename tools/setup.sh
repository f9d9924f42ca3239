#!/bin/sh
# The main job on a fresh Debian 12 machine: install the build dependencies,
# build the plugin, install it where tshark loads it, and decode the
# bundled sample captures.
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh
tools/install.sh
echo
echo "== captures/msturn-udp3478.pcap (MS-TURN on UDP 3478) =="
tshark -n -r captures/msturn-udp3478.pcap
echo
echo "== captures/msturn-tcp443.pcap (pseudo-TLS and MS-TURN framing on TCP 443) =="
tshark -n -r captures/msturn-tcp443.pcap -Y msstun
