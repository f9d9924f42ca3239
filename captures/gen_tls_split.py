#!/usr/bin/env python3
# gen_tls_split.py - a real TLS 1.3 session with its ClientHello split over
# two TCP segments, on a port MSSTUN does not own (8443).
#
# Input: tls-keylog-443.pcapng (recorded by gen_tls.sh: openssl on loopback).
# Output: tls-split-8443.pcap, the first connection of that capture with
#   - TCP port 443 renumbered 8443 (both directions),
#   - its ClientHello (one 250-byte segment) sent as two segments, 100 and
#     150 bytes, the second after the server's ACK of the first,
# every other byte as recorded.  TCP may segment a byte stream anywhere
# (RFC 9293 3.8); ClientHellos larger than one MSS are split this way in
# real traffic.  IPv4 and TCP checksums are recomputed.
#
# Usage: captures/gen_tls_split.py [OUTDIR]   (default: next to this script)
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lib import pcap  # noqa: E402
from lib.net import PROTO_TCP, csum, l4_csum  # noqa: E402

SOURCE = os.path.join(HERE, 'tls-keylog-443.pcapng')
NAME = 'tls-split-8443.pcap'
OLD_PORT, NEW_PORT = 443, 8443
FIRST_PART = 100


def rebuild(frame, payload=None, seq=None, ack=None, ip_id=None):
    '''The Ethernet/IPv4/TCP frame with port 443 renumbered, optionally a new
    payload, sequence/acknowledgement number or IP ID; checksums redone.'''
    eth, ip = frame[:14], bytearray(frame[14:34])
    tcp_len = (frame[14 + 20 + 12] >> 4) * 4
    tcp = bytearray(frame[34:34 + tcp_len])
    if payload is None:
        payload = frame[34 + tcp_len:14 + struct.unpack_from('!H', ip, 2)[0]]
    for field in (0, 2):
        if struct.unpack_from('!H', tcp, field)[0] == OLD_PORT:
            struct.pack_into('!H', tcp, field, NEW_PORT)
    if seq is not None:
        struct.pack_into('!I', tcp, 4, seq)
    if ack is not None:
        struct.pack_into('!I', tcp, 8, ack)
    struct.pack_into('!H', ip, 2, 20 + tcp_len + len(payload))
    if ip_id is not None:
        struct.pack_into('!H', ip, 4, ip_id)
    struct.pack_into('!H', ip, 10, 0)
    struct.pack_into('!H', ip, 10, csum(bytes(ip)))
    struct.pack_into('!H', tcp, 16, 0)
    struct.pack_into('!H', tcp, 16, l4_csum(bytes(ip[12:16]), bytes(ip[16:20]), PROTO_TCP, bytes(tcp) + payload))
    return eth + bytes(ip) + bytes(tcp) + payload


def main(argv):
    output = os.path.join(argv[0] if argv else HERE, NAME)
    packets = list(pcap.pcapng_packets(SOURCE))
    # The first connection: the client's port of frame 1.
    client_port = struct.unpack_from('!H', packets[0][1], 34)[0]
    out = []
    split_done = False
    pending = None
    for ts, frame in packets:
        ports = struct.unpack_from('!HH', frame, 34)
        if client_port not in ports:
            continue
        tcp_len = (frame[14 + 20 + 12] >> 4) * 4
        payload = frame[34 + tcp_len:14 + struct.unpack_from('!H', frame, 16)[0]]
        if not split_done and ports[0] == client_port and payload[:1] == b'\x16':
            seq = struct.unpack_from('!I', frame, 38)[0]
            out.append((ts, rebuild(frame, payload=payload[:FIRST_PART])))
            split_done = True
            pending = (ts, frame, seq, payload)
            continue
        if split_done and pending and ports[1] == client_port and not payload:
            # The server's ACK of the ClientHello: first for the first part,
            # then the second part, then the recorded ACK of all of it.
            p_ts, p_frame, p_seq, p_payload = pending
            ip_id = struct.unpack_from('!H', frame, 18)[0]
            out.append((ts - 2, rebuild(frame, ack=p_seq + FIRST_PART, ip_id=ip_id)))
            out.append((ts - 1, rebuild(p_frame, payload=p_payload[FIRST_PART:], seq=p_seq + FIRST_PART)))
            out.append((ts, rebuild(frame)))
            pending = None
            continue
        out.append((ts, rebuild(frame)))
    with open(output, 'wb') as f:
        f.write(pcap.write(out))
    print('%s: %d frames' % (output, len(out)))


if __name__ == '__main__':
    main(sys.argv[1:])
