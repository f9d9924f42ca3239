#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_alloc_edges.py - what an allocation relays besides media, for the allocation counts.

  msturn-active-dest-data.pcap  MS-TURN over UDP 3478 (client 10.0.0.10:50070 <-> Edge 192.0.2.1:3478):
                                Allocate and its success (relay 192.0.2.15:50070), a datagram of
                                opaque data before any active destination (not relayed data), a Send
                                request carrying opaque data to the peer, Set Active Destination and its
                                success, then opaque data and RTP sent unwrapped both ways (MS-TURN
                                2.2.2.8: after Set Active Destination, data goes between client and
                                server without Send/Data, and MAGIC-COOKIE tells the messages from it).

  The opaque data starts with 0xD7: none of STUN (0-3), ChannelData (0x40-0x7F), RTP/RTCP
  (0x80-0xBF), DTLS (20-63) or multiplexed TURN (0xFF), as an application's own datagrams are.

Usage:  python3 captures/gen_alloc_edges.py [--describe | --check] [OUTDIR]   (lib/cli.py)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.base import H  # noqa: E402
from lib.capture import Blob, Capture, UdpFlow  # noqa: E402
from lib.pcap import read as read_pcap  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, new_hosts, PEER_IP, REFLEX_IP, RELAY_IP  # noqa: E402
from lib.rtp import RtpStream  # noqa: E402
from lib.stun import (MI_TURN, REGISTRY, TURN_USER, Msg, a_addr, a_magic, a_msver, a_seqnum, a_str, a_u32, a_xaddr,  # noqa: E402
                      cookie_tid, ms_send)
from lib.verify import verify_payload  # noqa: E402
from lib import cli  # noqa: E402

CLIENT_PORT = 50070
RELAY_PORT = 50070
PEER_PORT = 50090


OPAQUE = set()


def opaque(label, n):
    '''n bytes of application data whose first byte is 0xD7.'''
    raw = b'\xd7' + H('opaque:' + label, n - 1)
    OPAQUE.add(raw)
    return Blob(raw, ['%d bytes of opaque application data (first byte 0xd7)' % n])


def build_active_dest_data():
    cap = Capture('msturn-active-dest-data.pcap', 'MS-TURN over UDP 3478: opaque data and RTP sent unwrapped to '
                  'the active destination (client 10.0.0.10:%d <-> Edge 192.0.2.1:3478)' % CLIENT_PORT)
    c, e = new_hosts(0x1D00, 0x5D00)
    fl = UdpFlow(cap, c, CLIENT_PORT, MAC_CLIENT, e, 3478, MAC_EDGE)
    connid = H('connid-active-dest', 20)
    cst = RtpStream('active-dest-client', 0x7D7D0001, 0, 3000, 8000, 160, 20, b'client@msstun.example')
    pst = RtpStream('active-dest-peer', 0x7D7D0002, 0, 4000, 16000, 160, 20, b'peer@msstun.example')

    # 1-2 Allocate, success
    m = Msg(0x0003, cookie_tid('active-dest-alloc'), [a_magic(), a_msver(6)], 'ms-turn')
    fl.send('A', m, 'Allocate Request')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, RELAY_PORT),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40070),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6)], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Allocate Response (relay 192.0.2.15:%d)' % RELAY_PORT)
    # 3 opaque data with no active destination yet: not relayed
    fl.send('A', opaque('before', 40), 'opaque data before Set Active Destination (not relayed)')
    # 4 Send request carrying opaque data
    fl.send('A', ms_send(cookie_tid('active-dest-send'), connid, 1, PEER_IP, PEER_PORT, opaque('send', 48)),
            'Send Request, DATA = 48 bytes of opaque data')
    # 5-6 Set Active Destination, success
    m = Msg(0x0006, cookie_tid('active-dest-sad'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 2),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, PEER_PORT)], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Set Active Destination Request (203.0.113.9:%d)' % PEER_PORT)
    fl.send('B', Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN), 'Set Active Destination Response')
    # 7-13 unwrapped: opaque data and RTP both ways
    fl.send('A', opaque('after-1', 36), 'opaque data (unwrapped, after SAD)')
    fl.send('B', opaque('after-2', 52), 'opaque data (unwrapped, after SAD)')
    fl.send('A', cst.next(marker=True), 'RTP (unwrapped, after SAD)')
    fl.send('B', pst.next(marker=True), 'RTP (unwrapped, after SAD)')
    fl.send('A', opaque('after-3', 100), 'opaque data (unwrapped, after SAD)')
    fl.send('A', opaque('after-4', 20), 'opaque data (unwrapped, after SAD)')
    fl.send('B', opaque('after-5', 64), 'opaque data (unwrapped, after SAD)')
    return cap


def build():
    return [build_active_dest_data()]


def verify(files, whole):
    '''Read back from the bytes: every UDP payload is opaque data built here or, checked by
    lib/verify.py, a message built (MESSAGE-INTEGRITY and all, DATA included) or RTP.'''
    found = set()
    for name, data in files.items():
        for i, (_, frame, _) in enumerate(read_pcap(data)):
            ihl = (frame[14] & 0x0F) * 4
            payload = frame[14 + ihl + 8:]
            ctx = 'udp %s frame %d' % (name, i + 1)
            if payload[0] == 0xD7:
                assert payload in OPAQUE, ctx
            elif payload[:2] == b'\x00\x04':
                # The Send request's DATA is opaque: the message itself is checked
                # against the one built.
                assert any(m.raw == payload for m in REGISTRY), ctx
                found.update(id(m) for m in REGISTRY if m.raw == payload)
            else:
                verify_payload(payload, ctx, found)
    assert all(id(m) in found for m in REGISTRY), 'messages built but not found'
    return len(REGISTRY)


if __name__ == '__main__':
    sys.exit(cli.main(sys.argv[1:], build, verify))
