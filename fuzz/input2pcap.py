#!/usr/bin/env python3
# input2pcap.py
#
# Writes a libFuzzer input of one of the fuzz/fuzz-msstun.c targets as the
# pcap of the frames that the target dissects (the first input of a
# session: client 10.0.0.0), so that tshark, tools/robustness.sh and the
# suite dissect the same bytes:
#
#   input2pcap.py udp3478|tcp443|message INPUT OUTPUT.pcap
#
# (The srtp target's frames are encrypted by the target, which writes them
# itself: MSSTUN_FUZZ_PCAP=OUTPUT.pcap build-fuzz/fuzz-srtp INPUT.)
#
# udp3478: one UDP datagram 10.0.0.0:50000 -> 192.0.2.1:3478.  tcp443: SYN
# and SYN-ACK, then one segment per 2-byte-headed chunk of the input,
# 10.0.0.0:50000 <-> 192.0.2.1:443.  message: one UDP datagram to
# port 40000, to be read with -d udp.port==40000,msstun_message.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'captures'))
from lib import pcap  # noqa: E402
from lib.net import ethernet, ipv4_packet  # noqa: E402

CLIENT_MAC = bytes.fromhex('02000000000a')
SERVER_MAC = bytes.fromhex('020000000001')
CLIENT_IP = bytes([10, 0, 0, 0])
SERVER_IP = bytes([192, 0, 2, 1])
CLIENT_PORT = 50000
MESSAGE_PORT = 40000
MAX_FRAMES = 1024
MAX_IP_PAYLOAD = 65535 - 20 - 20
CLIENT_ISN = 1000
SERVER_ISN = 500000


def frame(ident, from_client, proto, l4):
    """As the harness builds it: IPv4 without DF, TTL 64; the UDP/TCP checksum left 0."""
    src, dst = (CLIENT_IP, SERVER_IP) if from_client else (SERVER_IP, CLIENT_IP)
    smac, dmac = (CLIENT_MAC, SERVER_MAC) if from_client else (SERVER_MAC, CLIENT_MAC)
    return ethernet(dmac, smac, ipv4_packet(src, dst, proto, l4, ident, 64, df=False))


def udp(ident, port, payload):
    payload = payload[:65535 - 20 - 8]
    return frame(ident, True, 17, struct.pack('>HHHH', CLIENT_PORT, port, 8 + len(payload), 0) + payload)


def tcp(ident, from_client, flags, seq, ack, payload=b''):
    hdr = struct.pack('>HHIIBBHHH', CLIENT_PORT if from_client else 443, 443 if from_client else CLIENT_PORT,
                      seq & 0xFFFFFFFF, (ack & 0xFFFFFFFF) if flags & 0x10 else 0, 5 << 4, flags, 65535, 0, 0)
    return frame(ident, from_client, 6, hdr + payload)


def frames(target, data):
    if target == 'udp3478':
        return [udp(1, 3478, data[:MAX_IP_PAYLOAD])]
    if target == 'message':
        return [udp(1, MESSAGE_PORT, data[:MAX_IP_PAYLOAD])]
    out = []
    add = lambda *a: out.append(tcp(len(out) + 1, *a))
    add(True, 0x02, CLIENT_ISN, 0)
    add(False, 0x12, SERVER_ISN, CLIENT_ISN + 1)
    nxt = [CLIENT_ISN + 1, SERVER_ISN + 1]
    pos = 0
    while pos + 2 <= len(data) and len(out) < MAX_FRAMES:
        head = struct.unpack_from('>H', data, pos)[0]
        d = 1 if head & 0x8000 else 0
        n = min(head & 0x7FFF, len(data) - pos - 2)
        pos += 2
        if n == 0:
            continue
        add(d == 0, 0x18, nxt[d], nxt[1 - d], data[pos:pos + n])
        nxt[d] += n
        pos += n
    return out


def main(argv):
    if len(argv) != 4 or argv[1] not in ('udp3478', 'tcp443', 'message'):
        print('usage: input2pcap.py udp3478|tcp443|message INPUT OUTPUT.pcap', file=sys.stderr)
        return 2
    with open(argv[2], 'rb') as f:
        data = f.read()
    with open(argv[3], 'wb') as f:
        f.write(pcap.write(((1700000000 * 1000000 + i * 1000, fr) for i, fr in enumerate(frames(argv[1], data))),
                           262144))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
