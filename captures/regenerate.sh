#!/bin/sh
# regenerate.sh [OUTDIR] - regenerates every generated capture of captures/ into OUTDIR
# (default: a new temporary directory) and compares each with the committed file (cmp).
# Exit status 1 if any differs.
#
# Regenerated but not compared, random by design: srtp-sip-tls.pcap and srtp-sip-tls.keys
# (real TLS 1.3 by Python's ssl module: OpenSSL draws the randoms and key shares).
# Not regenerated: tls-rsa-443.* and tls-keylog-443.* (gen_tls.sh records real TLS on
# loopback: root, random); regressions/fuzz-tcp443-tls-record-split-4.pcap (made by
# fuzz/input2pcap.py as it was up to 854bb8e) and regressions/rtp-truncated-3478.pcap
# (editcap and mergecap of inputs not kept): see regressions/README.md.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")"
out=${1:-$(mktemp -d)}
mkdir -p "$out/regressions"
python3 gen_msturn.py "$out" >/dev/null
python3 gen_srtp.py "$out" >/dev/null
python3 gen_turn_edge.py "$out" >/dev/null
python3 gen_tls_split.py "$out" >/dev/null
python3 gen_tcp_edges.py "$out" >/dev/null
python3 gen_quality.py "$out" >/dev/null
python3 gen_alloc_edges.py "$out" >/dev/null
python3 gen_pathological.py dribble "$out/regressions/msturn-e2e-dribble-65537.pcap.gz" 65537
for crash in 1b6d716ef1cb lengthless-short-22; do
    python3 ../fuzz/input2pcap.py tcp443 "regressions/fuzz-tcp443/crash-$crash" \
        "$out/regressions/fuzz-tcp443-$crash.pcap"
done
status=0
same=0
for f in $(cd "$out" && find . -type f | sort); do
    case $f in
        ./srtp-sip-tls.pcap | ./srtp-sip-tls.keys) echo "not compared (random by design): ${f#./}"; continue ;;
    esac
    if cmp -s "$out/$f" "$f"; then
        same=$((same + 1))
    else
        echo "differs: ${f#./}"
        status=1
    fi
done
echo "$same files byte-identical to the committed ones ($out)"
exit $status
