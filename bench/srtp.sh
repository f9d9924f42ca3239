#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/srtp.sh - the cost of SRTP decryption: a call keyed in SIP (the
# signalling of captures/srtp-sip-call.pcap) with BENCH_SRTP_PACKETS SRTP
# packets in each direction, all encrypted by libsrtp2 (captures/gen_srtp.py),
# decoded by tshark without the plugin, with the plugin and decryption off,
# and with the plugin decrypting every packet; medians of BENCH_REPS runs of
# `tshark -n -r FILE -T fields -e frame.number`.  Never fails on a target.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${BENCH_REPS:-3}
N=${BENCH_SRTP_PACKETS:-50000}
CACHE=${BENCH_CACHE:-/var/tmp/msstun-bench-$(id -u)}
PLUGIN=${MSSTUN_PLUGIN:-$ROOT/build/msstun.so}
RUN_USER=${MSSTUN_TEST_USER:-nobody}
mkdir -p "$CACHE"; chmod 755 "$CACHE"
CAP=$CACHE/srtp-call-$N.pcap
if [ ! -f "$CAP" ] || [ "$ROOT/captures/gen_srtp.py" -nt "$CAP" ]; then
    python3 - "$ROOT/captures" "$CAP" "$N" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import gen_srtp as S
cap = S.G.Capture('bench', 'bench')
a, b = S.G.Host(S.A_IP, S.MAC_A, 128, 1), S.G.Host(S.B_IP, S.MAC_B, 128, 2)
sip = S.G.UdpFlow(cap, a, 5060, S.MAC_A, b, 5060, S.MAC_B)
for d, m in zip('ABA', S.sip_messages('UDP', 5060)):
    sip.send(d, S.Blob(m, []), 'SIP')
n = int(sys.argv[3])
S.call_media(cap, (a, b), count_a=n, count_b=n)
open(sys.argv[2], 'wb').write(cap.pcap())
PY
    chmod 644 "$CAP"
fi
HOMES=$(mktemp -d); chmod 755 "$HOMES"
trap 'rm -rf "$HOMES"' EXIT
MAJMIN=$(sed -n 's/^WIRESHARK_MAJOR_MINOR=//p' "$(dirname "$PLUGIN")/wireshark-plugin-info.txt")
mkdir -p "$HOMES/plain" "$HOMES/plugin/.local/lib/wireshark/plugins/$MAJMIN/epan"
cp "$PLUGIN" "$HOMES/plugin/.local/lib/wireshark/plugins/$MAJMIN/epan/"
RUN=(); [ "$(id -u)" = 0 ] && { chown -R "$RUN_USER" "$HOMES"; RUN=(setpriv --reuid="$RUN_USER" --regid=nogroup --clear-groups --); }
run() { # home, extra args...
    local home=$1; shift
    /usr/bin/time -f %e "${RUN[@]}" env HOME="$HOMES/$home" tshark -n -r "$CAP" -T fields -e frame.number "$@" 2>&1 >/dev/null | tail -1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
A=(); B=(); C=()
for _ in $(seq "$REPS"); do
    A+=("$(run plain)"); B+=("$(run plugin -o msstun.srtp_decrypt:FALSE)"); C+=("$(run plugin)")
done
ma=$(printf '%s\n' "${A[@]}" | median); mb=$(printf '%s\n' "${B[@]}" | median); mc=$(printf '%s\n' "${C[@]}" | median)
printf 'SRTP call, %d SRTP packets each way (%s)\n' "$N" "$CAP"
printf '  tshark without the plugin          %6.2f s\n' "$ma"
printf '  plugin, decryption off             %6.2f s  (x%.2f)\n' "$mb" "$(echo "$mb / $ma" | bc -l)"
printf '  plugin, every packet decrypted     %6.2f s  (x%.2f)\n' "$mc" "$(echo "$mc / $ma" | bc -l)"
