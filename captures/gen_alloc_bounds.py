#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_alloc_bounds.py - one RFC 6062 TURN allocation that floods the bounds of
the allocation tracker (tap-msstun-alloc.h: 4096 peers per allocation, 64
pending Connect requests per allocation, 4096 RFC 6062 connections), at a size
N of the caller's choice.

Usage:  python3 captures/gen_alloc_bounds.py N OUT.pcap

One TURN-over-TCP control connection, client 10.0.0.10:50100 to server
192.0.2.1:3478 (RFC 5766 2.1: a stream of STUN messages back to back):
  - the TCP handshake (RFC 793 3.4);
  - an Allocate request with REQUESTED-TRANSPORT TCP (protocol 6, RFC 6062
    4.1) and its success response: XOR-RELAYED-ADDRESS 192.0.2.15:49152,
    XOR-MAPPED-ADDRESS 198.51.100.10:50100, LIFETIME 600;
  - N Connect requests (0x000A, RFC 6062 4.3), each with the XOR-PEER-ADDRESS
    of a new peer (198.18.0.0/15, ports 1024 and up), none answered;
  - N ConnectionAttempt indications (0x001C, RFC 6062 4.4), each with
    CONNECTION-ID (0x002A) i + 1 and the XOR-PEER-ADDRESS of another new peer.
Requests carry the long-term credentials of RFC 5389 10.2 (USERNAME, REALM,
NONCE, MESSAGE-INTEGRITY: HMAC-SHA1 keyed with MD5(user:realm:password), 15.4);
every message ends with FINGERPRINT (15.5).  Messages are packed into segments
of at most 1400 bytes, each acknowledged by a bare ACK of the other side, so
that TCP sequence analysis stays linear.  Transaction IDs are SHA-256 of a
label and a counter: two runs write the same bytes.
"""

import hashlib
import hmac
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.net import ACK, PSH, SYN, new_hosts, tcp_frame  # noqa: E402
from lib.pcap import write  # noqa: E402
from lib.stun import COOKIE, FP_XOR, REALM, TURN_KEY, TURN_USER, addr_value, attr, message  # noqa: E402

CLIENT_PORT = 50100
SERVER_PORT = 3478
RELAYED = ('192.0.2.15', 49152)
REFLEXIVE = ('198.51.100.10', 50100)
NONCE = b'6f9a2c41d7e03b58'
SEGMENT_MAX = 1400


def tid(label, i):
    return struct.pack('!I', COOKIE) + hashlib.sha256(('%s %d' % (label, i)).encode()).digest()[:12]


def stun(msg_type, transaction_id, attrs, credentials):
    '''A message: attrs (padded, RFC 5389 15), then MESSAGE-INTEGRITY when
    credentials, then FINGERPRINT; the lengths the two cover as 15.4 and 15.5 say.'''
    body = b''.join(attr(t, v, True) for t, v in attrs)
    if credentials:
        body += b''.join(attr(t, v, True) for t, v in ((0x0006, TURN_USER), (0x0014, REALM), (0x0015, NONCE)))
        mac = hmac.new(TURN_KEY, message(msg_type, transaction_id, body)[:2] + struct.pack('!H', len(body) + 24) +
                       transaction_id + body, 'sha1').digest()
        body += attr(0x0008, mac, True)
    head = struct.pack('!HH', msg_type, len(body) + 8) + transaction_id
    fingerprint = (zlib.crc32(head + body) ^ FP_XOR) & 0xFFFFFFFF
    return message(msg_type, transaction_id, body + attr(0x8028, struct.pack('!I', fingerprint), True))


def xor_address(transaction_id, host, port):
    return addr_value(host, port, transaction_id)


def peer(i):
    '''The i-th peer: 198.18.0.0 onwards (RFC 2544's benchmarking range), a new port for each.'''
    return '198.%d.%d.%d' % (18 + (i >> 16) % 2, (i >> 8) & 0xFF, i & 0xFF), 1024 + i % 60000


class Connection:
    '''One TCP connection written segment by segment, each acknowledged.'''

    def __init__(self):
        self.client, self.server = new_hosts(0x1B00, 0x5B00)
        self.nxt = {'c': 0x1B000000, 's': 0x5B000000}
        self.frames = []

    def segment(self, frm, flags, payload=b''):
        src, dst, sport, dport = ((self.client, self.server, CLIENT_PORT, SERVER_PORT) if frm == 'c' else
                                  (self.server, self.client, SERVER_PORT, CLIENT_PORT))
        other = 's' if frm == 'c' else 'c'
        self.frames.append(tcp_frame(src, sport, dst, dport, self.nxt[frm], self.nxt[other] if flags & ACK else 0,
                                     flags, 65535, payload))
        self.nxt[frm] += len(payload) + (1 if flags & SYN else 0)

    def send(self, frm, messages):
        '''messages back to back, in segments of at most SEGMENT_MAX bytes.'''
        pending = b''
        for m in messages:
            if pending and len(pending) + len(m) > SEGMENT_MAX:
                self.segment(frm, PSH | ACK, pending)
                self.segment('s' if frm == 'c' else 'c', ACK)
                pending = b''
            pending += m
        if pending:
            self.segment(frm, PSH | ACK, pending)
            self.segment('s' if frm == 'c' else 'c', ACK)


def build(n):
    conn = Connection()
    conn.segment('c', SYN)
    conn.segment('s', SYN | ACK)
    conn.segment('c', ACK)
    allocate = tid('allocate', 0)
    conn.send('c', [stun(0x0003, allocate, [(0x0019, struct.pack('!B3x', 6)), (0x000D, struct.pack('!I', 600))],
                         True)])
    conn.send('s', [stun(0x0103, allocate, [(0x0016, xor_address(allocate, *RELAYED)),
                                            (0x0020, xor_address(allocate, *REFLEXIVE)),
                                            (0x000D, struct.pack('!I', 600))], True)])
    connects = []
    for i in range(n):
        t = tid('connect', i)
        connects.append(stun(0x000A, t, [(0x0012, xor_address(t, *peer(i)))], True))
    conn.send('c', connects)
    attempts = []
    for i in range(n):
        t = tid('connection-attempt', i)
        attempts.append(stun(0x001C, t, [(0x002A, struct.pack('!I', i + 1)), (0x0012, xor_address(t, *peer(n + i)))],
                             False))
    conn.send('s', attempts)
    return conn.frames


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[2], 'wb') as f:
        f.write(write([(1700000000000000 + 1000 * i, frame) for i, frame in enumerate(build(int(argv[1])))]))


if __name__ == '__main__':
    main(sys.argv)
