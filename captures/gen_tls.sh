#!/bin/bash
# gen_tls.sh - (re)generate the REAL-TLS-on-port-443 reference captures.
#
# Needs ROOT: it captures on the loopback interface `lo` and binds
# 127.0.0.1:443.  Uses only Debian 12 packages: openssl, dumpcap (from
# wireshark-common / tshark), python3 (stdlib) plus tls_sip_session.py.
#
# Produces (in the directory of this script):
#   tls-rsa-443.key        throwaway self-signed RSA-2048 server key (PEM)
#   tls-rsa-443.pcapng     TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c):
#                          conn 1 SIP OPTIONS -> SIP/2.0 200 OK,
#                          conn 2 HTTP GET /  -> HTTP/1.1 200 OK.
#                          Decrypt with the RSA key only.
#   tls-keylog-443.pcapng  TLS 1.3 (ECDHE, TLS_AES_256_GCM_SHA384), same
#                          SIP + HTTP exchanges.
#   tls-keylog-443.keys    NSS key log (SSLKEYLOGFILE format) for the above.
#
# Each connection is a full handshake (no resumption / tickets) and ends
# with close_notify + FIN in both directions.  TLS randoms differ per run,
# so the committed files are the reference; this script documents how they
# were made.  Re-runnable: outputs are overwritten.
#
# Usage:  sudo captures/gen_tls.sh
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"

if [ "$(id -u)" -ne 0 ]; then
    echo "gen_tls.sh: must run as root (capture on lo, bind port 443)" >&2
    exit 1
fi

PY=/usr/bin/python3
for tool in openssl dumpcap "$PY"; do
    command -v "$tool" >/dev/null || {
        echo "gen_tls.sh: missing $tool (apt-get install openssl tshark python3)" >&2
        exit 1
    }
done

TMP=$(mktemp -d)
CAP_PID=
cleanup() {
    if [ -n "$CAP_PID" ] && kill -0 "$CAP_PID" 2>/dev/null; then
        kill -INT "$CAP_PID" 2>/dev/null || true
        wait "$CAP_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# Throwaway self-signed RSA 2048 server certificate + key.
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
    -subj "/CN=edge.example.com" \
    -keyout tls-rsa-443.key -out "$TMP/cert.pem" 2>/dev/null
chmod 644 tls-rsa-443.key

# capture <out.pcapng> <helper args...>
capture() {
    local out=$1; shift
    local tmpcap="$TMP/$(basename "$out")"
    dumpcap -q -i lo -s 0 -f "host 127.0.0.1 and tcp port 443" \
        -w "$tmpcap" 2>"$TMP/dumpcap.log" &
    CAP_PID=$!
    # wait until dumpcap has opened the interface and the output file
    for _ in $(seq 50); do
        [ -s "$tmpcap" ] && break
        sleep 0.1
    done
    sleep 1
    "$PY" ./tls_sip_session.py --cert "$TMP/cert.pem" --key tls-rsa-443.key "$@"
    sleep 1
    kill -INT "$CAP_PID"
    wait "$CAP_PID" || true
    CAP_PID=
    mv "$tmpcap" "$out"
    chmod 644 "$out"
}

# Session 1: TLS 1.2, RSA key exchange (AES128-GCM-SHA256).
capture tls-rsa-443.pcapng --mode rsa

# Session 2: TLS 1.3 ECDHE, client writes an NSS key log.
rm -f tls-keylog-443.keys
capture tls-keylog-443.pcapng --mode ecdhe --keylog "$PWD/tls-keylog-443.keys"
chmod 644 tls-keylog-443.keys

ls -l tls-rsa-443.key tls-rsa-443.pcapng tls-keylog-443.pcapng tls-keylog-443.keys
