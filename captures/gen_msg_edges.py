#!/usr/bin/env python3
# gen_msg_edges.py
# Captures for the edges of the message dissector (issues 25, 26): built by
# the tests (test/suite_protocols.py) at the sizes they need, or written to
# a folder by hand:
#
#   python3 captures/gen_msg_edges.py OUTDIR
#
# - fingerprint_flood(n): n STUN Binding requests of 8,189 FINGERPRINT
#   attributes each (65,532 bytes, the largest that one MS-TURN TCP frame
#   holds, MS-TURN 2.1.4), every CRC wrong, each in a Type 0x02 frame on
#   one TCP 443 connection, split into 1,460-byte segments that the Edge
#   ACKs (TCP sequence analysis stays linear).
# - response_first(): a Binding success response captured 20 ms before the
#   request it answers (capture taken on a host whose clock order differs,
#   or merged from two points), then a normal request and its response.
#
# Messages follow RFC 8489: header, 96-bit transaction ID after the magic
# cookie, attributes TLV; the network layers are captures/lib's (IPv4 and
# TCP/UDP checksums, TCP sequence and acknowledgement numbers).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.capture import Capture, TcpFlow, UdpFlow  # noqa: E402
from lib.cli import write_files  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, new_hosts  # noqa: E402
from lib.stun import cookie_tid  # noqa: E402

ACK, PSH, SYN = 0x10, 0x08, 0x02
ATT_FINGERPRINT = 0x8028
ATT_XOR_MAPPED_ADDRESS = 0x0020
MSS = 1460
FLOOD_ATTRIBUTES = 8189     # 20 + 8 * 8189 = 65532 <= 65535, the frame's Length


def stun(msg_type, tid, body):
    return struct.pack('!HH', msg_type, len(body)) + tid + body


def fingerprint_flood(n_messages):
    cap = Capture('fingerprint-flood.pcap', 'STUN messages of FINGERPRINT attributes in MS-TURN TCP frames')
    c, e = new_hosts()
    fl = TcpFlow(cap, c, 51000, MAC_CLIENT, e, 443, MAC_EDGE, 0x1F2E3D4C, 0x6A5B4C3D, 64240, 65535)
    fl.seg('A', SYN)
    fl.seg('B', SYN | ACK)
    fl.seg('A', ACK)
    for i in range(n_messages):
        body = b''.join(struct.pack('!HHI', ATT_FINGERPRINT, 4, 0x5354554E ^ k) for k in range(FLOOD_ATTRIBUTES))
        msg = stun(0x0001, cookie_tid('fingerprint-flood-%d' % i), body)
        frame = struct.pack('!BBH', 0x02, 0, len(msg)) + msg
        for off in range(0, len(frame), MSS):
            fl.seg('A', PSH | ACK, frame[off:off + MSS])
            fl.seg('B', ACK)
    return cap.pcap()


def xor_mapped(tid, ip, port):
    packed = bytes(int(x) for x in ip.split('.'))
    xport = port ^ 0x2112
    xaddr = bytes(a ^ b for a, b in zip(packed, tid[:4]))
    return struct.pack('!HHBBH', ATT_XOR_MAPPED_ADDRESS, 8, 0, 1, xport) + xaddr


def response_first():
    cap = Capture('response-first.pcap', 'A Binding response captured before its request')
    c, e = new_hosts()
    fl = UdpFlow(cap, c, 50000, MAC_CLIENT, e, 3478, MAC_EDGE)

    class Raw:
        def __init__(self, raw):
            self.raw = raw

        def describe(self):
            return []

    early = cookie_tid('response-first-1')
    later = cookie_tid('response-first-2')
    fl.send('B', Raw(stun(0x0101, early, xor_mapped(early, '198.51.100.7', 50000))), 'Binding success (early)')
    fl.send('A', Raw(stun(0x0001, early, b'')), 'Binding request')
    fl.send('A', Raw(stun(0x0001, later, b'')), 'Binding request')
    fl.send('B', Raw(stun(0x0101, later, xor_mapped(later, '198.51.100.7', 50000))), 'Binding success')
    return cap.pcap()


def main(argv):
    outdir = argv[0] if argv else '.'
    write_files(outdir, {'fingerprint-flood-1.pcap': fingerprint_flood(1), 'response-first.pcap': response_first()})
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
