#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_reports_hostile.py - crafted captures that make the reports work hard
(issue 25, cases 6 to 8), at a size n of the caller's choice.

Usage:  python3 gen_reports_hostile.py CASE N OUT.pcap
        CASE: allocations | media | flow | rtcp

  allocations  one TURN allocation (RFC 5766 over UDP 3478, client
               10.0.0.10:50000, server 192.0.2.1:3478): N Send indications
               (0x0016) each with 16 XOR-PEER-ADDRESS attributes naming new
               peers and a DATA attribute; N/4 Allocate success responses
               (0x0103) each with a new XOR-RELAYED-ADDRESS; N/4 MS-TURN
               Set Active Destination error responses (0x0116, MAGIC-COOKIE
               first, unpadded MS-TURN attributes, ERROR-CODE 439).
               For -z msstun,allocations.
  media        N RTP packets (RFC 3550, PT 0, one SSRC, consecutive sequence
               numbers and timestamps 160 apart, 20 ms apart) from
               198.51.100.20 to 203.0.113.70:5004, each from a new source
               port.  For -z msstun,media with -d udp.port==5004,rtp.
  flow         N ChannelData messages (RFC 5766 11.4, channels 0x4000 to
               0x7FFF in turn, one new number per packet) on one 5-tuple to
               192.0.2.1:3478, each carrying an RTP packet of one SSRC.  For
               -z flow,msstun,network.
  rtcp         N RTCP receiver reports (RFC 3550 6.4.2, PT 201) from
               198.51.100.20:10001 to 203.0.113.70:5005, each from a new
               SSRC with 31 report blocks (the most RC can count) about 31
               new SSRCs.  For -z msstun,media with -d udp.port==5005,rtcp:
               Wireshark's RTCP, without MSSTUN.

Everything is UDP (no TCP, so no sequence analysis to feed ACKs to); IPv4
and UDP checksums are computed (RFC 791, RFC 768).  STUN messages follow
RFC 5389 section 6 (type, length, magic cookie 0x2112A442, 96-bit
transaction ID) and 15 (XOR-PEER-ADDRESS 0x0012 and XOR-RELAYED-ADDRESS
0x0016 XORed with the cookie, RFC 5766 14.3 and 14.5; DATA 0x0013; attributes
padded to 4 bytes), except the MS-TURN message, built as MS-TURN 2.2.1 and
2.2.2 describe it (MAGIC-COOKIE 0x000F = 0x72C64BC6 first, attributes not
padded).  Transaction IDs are SHA-256 of a label and a counter: two runs make
the same bytes.  Only the Python standard library is used.
"""

import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.net import csum  # noqa: E402  (RFC 1071 checksum)

COOKIE = 0x2112A442
MS_COOKIE = 0x72C64BC6
CLIENT = ('10.0.0.10', 50000)
SERVER = ('192.0.2.1', 3478)


def ip4(text):
    return bytes(int(x) for x in text.split('.'))


def udp_frame(src, sport, dst, dport, payload):
    udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    pseudo = ip4(src) + ip4(dst) + struct.pack('!BBH', 0, 17, len(udp))
    udp = udp[:6] + struct.pack('!H', csum(pseudo + udp) or 0xFFFF) + udp[8:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, ip4(src), ip4(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    eth = b'\x00\x00\x5e\x00\x53\x01' + b'\x00\x00\x5e\x00\x53\x0a' + b'\x08\x00'
    return eth + ip + udp


def tid(label, i):
    return hashlib.sha256(('%s %d' % (label, i)).encode()).digest()[:12]


def attr(atype, value, padded=True):
    pad = (-len(value) % 4) if padded else 0
    return struct.pack('!HH', atype, len(value)) + value + b'\0' * pad


def xor_address(ip, port):
    x = struct.unpack('!I', ip4(ip))[0] ^ COOKIE
    return struct.pack('!BBHI', 0, 1, port ^ (COOKIE >> 16), x)


def stun(msg_type, attrs, transaction_id):
    body = b''.join(attrs)
    return struct.pack('!HHI', msg_type, len(body), COOKIE) + transaction_id + body


def rtp(seq, ts, ssrc=0x1a2b3c4d, payload=b'\xd5' * 160):
    return struct.pack('!BBHII', 0x80, 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + payload


def peer(i):
    '''The i-th peer: 203.0.x.y, port 1024 + i mod 60000.'''
    return '203.0.%d.%d' % ((i >> 8) & 0xFF, i & 0xFF), 1024 + i % 60000


def allocations(n):
    frames = []
    for i in range(n):
        attrs = [attr(0x0012, xor_address(*peer(16 * i + k))) for k in range(16)]
        attrs.append(attr(0x0013, rtp(i, 160 * i)))
        frames.append((CLIENT, SERVER, stun(0x0016, attrs, tid('send', i))))
        if i % 4 == 0:
            relayed = ('192.0.2.%d' % (16 + (i // 4) % 200), 49152 + (i // 4) % 16000)
            frames.append((SERVER, CLIENT, stun(0x0103, [attr(0x0016, xor_address(*relayed))],
                                                tid('allocate', i))))
        if i % 4 == 2:
            # ERROR-CODE (RFC 5389 15.6): class 4, number 39, an 8-byte reason.
            error = struct.pack('!HBB', 0, 4, 39) + b'Conflict'
            frames.append((SERVER, CLIENT, stun(0x0116, [attr(0x000F, struct.pack('!I', MS_COOKIE), False),
                                                         attr(0x0009, error, False)], tid('sad', i))))
    return [udp_frame(s[0], s[1], d[0], d[1], p) for s, d, p in frames]


def media(n):
    return [udp_frame('198.51.100.20', 10000 + i % 50000, '203.0.113.70', 5004, rtp(i, 160 * i)) for i in range(n)]


def flow(n):
    frames = []
    for i in range(n):
        data = rtp(i, 160 * i)
        channel = 0x4000 + i % 0x4000
        frames.append(udp_frame(CLIENT[0], CLIENT[1], SERVER[0], SERVER[1],
                                struct.pack('!HH', channel, len(data)) + data))
    return frames


def rtcp(n):
    frames = []
    for i in range(n):
        # Report blocks: SSRC, fraction lost, cumulative lost (24 bits),
        # extended highest sequence number, jitter, LSR, DLSR.
        blocks = b''.join(struct.pack('!IB3sIIII', 0x52000000 + 31 * i + k, k, (i + k).to_bytes(3, 'big'),
                                      1000 + i, 8 * k, 0, 0) for k in range(31))
        body = struct.pack('!I', 0x51000000 + i) + blocks
        packet = struct.pack('!BBH', 0x80 | 31, 201, len(body) // 4) + body
        frames.append(udp_frame('198.51.100.20', 10001, '203.0.113.70', 5005, packet))
    return frames


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            t_us = 20000 * i
            f.write(struct.pack('<IIII', 1700000000 + t_us // 1000000, t_us % 1000000, len(frame), len(frame)))
            f.write(frame)


def run_case(argv, cases, usage):
    """argv: the script, CASE, N, OUT.pcap: writes the frames cases[CASE](N)
    to OUT.pcap; exits with usage when argv is not that."""
    if len(argv) != 4 or argv[1] not in cases:
        sys.exit(usage)
    write_pcap(argv[3], cases[argv[1]](int(argv[2])))


CASES = {'allocations': allocations, 'media': media, 'flow': flow, 'rtcp': rtcp}


def main(argv):
    run_case(argv, CASES, __doc__)


if __name__ == '__main__':
    main(sys.argv)
