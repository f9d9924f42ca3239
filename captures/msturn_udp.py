#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""msturn_udp.py - MS-TURN over UDP 3478 between a client and an Edge.

  msturn-udp3478.pcap            Allocate (401, then authenticated; IPv4 and IPv6 relay), Send / Data
                                 Indication carrying MS-ICE2 checks, RTP and RTCP, Set Active
                                 Destination (and a 439), media unwrapped after it, 0xFF10 multiplexed
                                 TURN, a refresh, MS-TURNBWM, the legacy cookie-less pair (reference
                                 7.3 vector), an Allocate never answered.
  msturn-udp3478-snaplen60.pcap  media after Set Active Destination captured with tcpdump -s 60.
  msturn-udp3478-teams.pcap      a Teams client deallocates: LIFETIME 0, a 4-byte MS-SEQUENCE-NUMBER.

Usage:  python3 captures/msturn_udp.py [--describe | --check] [OUTDIR]   (lib/cli.py)
Every capture: python3 captures/gen_msturn.py.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.base import H  # noqa: E402
from lib.capture import Capture, UdpFlow  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, new_hosts, PEER_IP, REFLEX_IP, RELAY6_IP, RELAY_IP  # noqa: E402
from lib.rtp import Rtcp, RtpMixed, RtpStream  # noqa: E402
from lib.stun import (MI_TURN, REALM, TURN_USER, MTurn, Msg, Stun, a_addr, a_error, a_magic, a_msver,  # noqa: E402
                      a_raw, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, auth_attrs, cookie_tid, ice_request,
                      ice_response, ms_data_indication, ms_send, plain_tid, prio)
from lib import cli  # noqa: E402


# capture 1: msturn-udp3478.pcap


LEGACY_VECTOR = bytes.fromhex(
    '010300300123456789abcdef0011223344556677000f000472c64bc6000100080001c350c000020f8020000800019d63'
    'c7102160000d0004000001e08008000400000001')


def build_udp3478():
    cap = Capture('msturn-udp3478.pcap', 'MS-TURN over UDP 3478 (client 10.0.0.10:50000 <-> Edge 192.0.2.1:3478)')
    c, e = new_hosts()
    fl = UdpFlow(cap, c, 50000, MAC_CLIENT, e, 3478, MAC_EDGE)
    nonce = H('nonce-udp', 15).hex().encode()        # 30 characters
    connid = H('connid-udp', 20)
    mtsid = H('mturn-session-udp', 8)
    cst = RtpStream('udp-client', 0x1A2B3C4D, 104, 1000, 160000, 320, 60, b'client@msstun.example')
    pst = RtpStream('udp-peer', 0x5E6F7A8B, 104, 2000, 480000, 320, 60, b'peer@msstun.example')
    peer_port = 50012

    # 1-2 unauthenticated Allocate, 401
    m = Msg(0x0003, cookie_tid('udp-alloc-1'),
            [a_magic(), a_msver(6), a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    fl.send('A', m, 'Allocate Request (unauthenticated)')
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM),
             a_addr(0x000E, 'ALTERNATE-SERVER', '192.0.2.1', 3478), a_msver(6)], 'ms-turn')
    fl.send('B', m, 'Allocate Error Response 401 Unauthorized')
    # 3-4 authenticated Allocate, success
    m = Msg(0x0003, cookie_tid('udp-alloc-2'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Allocate Request (authenticated)')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, 50000),
             a_addr(0x8090, 'MS-ALT-MAPPED-ADDRESS', RELAY6_IP, 50002),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6), a_seqnum(connid, 0),
             a_raw(0x8095, 'MULTIPLEXED-TURN-SESSION-ID', mtsid, 'session id %s (uint64 0x%s)'
                   % (mtsid.hex(), mtsid.hex()))], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Allocate Response (relay 192.0.2.15:50000, [2001:db8::15]:50002, reflexive 198.51.100.7:40000)')
    # 5-6 Send(Binding request) / Data Indication(Binding response)
    breq = ice_request('udp-ice-1', True, prio(110, 65535), 0x9F3C5A7E12345678, True, b'3', use_cand=False)
    m = ms_send(cookie_tid('udp-send-1'), connid, 1, PEER_IP, peer_port, Stun(breq))
    fl.send('A', m, 'Send Request, DATA = MS-ICE2 Binding Request')
    bresp = ice_response(breq, RELAY_IP, 50000)
    m = ms_data_indication(plain_tid('udp-dataind-1'), PEER_IP, peer_port, Stun(bresp))
    fl.send('B', m, 'Data Indication, DATA = MS-ICE2 Binding Success Response')
    # 7-8 Send(RTP) / Data Indication(RTCP SR)
    m = ms_send(cookie_tid('udp-send-2'), connid, 2, PEER_IP, peer_port, cst.next(marker=True))
    fl.send('A', m, 'Send Request, DATA = RTP')
    for _ in range(3):
        pst.next()      # peer media the relay already forwarded before (not captured)
    m = ms_data_indication(plain_tid('udp-dataind-2'), PEER_IP, peer_port, Rtcp('SR', pst, cst, cap.time_us()))
    fl.send('B', m, 'Data Indication, DATA = RTCP SR')
    # 9-10 SAD / success
    m = Msg(0x0006, cookie_tid('udp-sad-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 3),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port)], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Set Active Destination Request (203.0.113.9:50012)')
    m = Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Set Active Destination Response')
    # 11-16 raw media on the same 5-tuple
    fl.send('A', cst.next(), 'raw RTP (unwrapped, after SAD)')
    fl.send('B', pst.next(), 'raw RTP (unwrapped, after SAD)')
    fl.send('A', cst.next(), 'raw RTP (unwrapped, after SAD)')
    fl.send('B', pst.next(), 'raw RTP (unwrapped, after SAD)')
    fl.send('A', Rtcp('SR', cst, pst, cap.time_us()), 'raw RTCP SR+SDES (unwrapped)')
    fl.send('B', Rtcp('RR', pst, cst, cap.time_us()), 'raw RTCP RR+SDES (unwrapped)')
    # 17-18 second SAD -> 439
    m = Msg(0x0006, cookie_tid('udp-sad-2'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 4),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, 50014)], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Set Active Destination Request (203.0.113.9:50014)')
    m = Msg(0x0116, m.tid, [a_magic(), a_error(439, b'Active Destination Already Set')], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Set Active Destination Error Response 439')
    # 19 multiplexed TURN
    fl.send('A', MTurn(mtsid, cst.next()), 'Multiplexed TURN 0xFF10 carrying RTP')
    # 20-21 refresh
    m = Msg(0x0003, cookie_tid('udp-refresh'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) + [a_u32(0x000D, 'LIFETIME', 480, ' seconds')],
            'ms-turn', MI_TURN)
    fl.send('A', m, 'Allocate Request (refresh, LIFETIME 480)')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, 50000),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6)], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Allocate Response (refresh)')
    # 22-23 TURNBWM
    rsv = H('bw-rsv-id', 16)
    amt = (40, 100, 40, 100)
    m = Msg(0x0003, cookie_tid('udp-bwm'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) + [
                a_raw(0x8056, 'BANDWIDTH-ACM', struct.pack('!HH', 0, 0),
                      'Reserved 0, Message Type 0 (Reservation Check)'),
                a_raw(0x8057, 'BANDWIDTH-RSV-ID', rsv, 'reservation id %s' % rsv.hex()),
                a_raw(0x8058, 'BANDWIDTH-RSV-AMOUNT', struct.pack('!IIII', *amt),
                      'MinSend %d, MaxSend %d, MinRecv %d, MaxRecv %d (kbit/s, in this order)' % amt),
                a_xaddr(0x805B, 'LOCAL-SITE-ADDR', '10.0.0.10', 50000),
                a_xaddr(0x805C, 'LOCAL-RELAY-SITE-ADDR', RELAY_IP, 50000),
                a_xaddr(0x8059, 'REMOTE-SITE-ADDR', PEER_IP, peer_port),
                a_xaddr(0x805A, 'REMOTE-RELAY-SITE-ADDR', '2001:db8::20', 50020),
                a_str(0x8061, 'SIP-DIALOG-ID', b'a84b4c76e66710;from-tag=1928301774;to-tag=a6c85cf'),
                a_str(0x8062, 'SIP-CALL-ID', b'a84b4c76e66710@pc33.msstun.example'),
                a_raw(0x8068, 'LOCATION-PROFILE', bytes([1, 2, 1, 0]),
                      'Peer location 1 (Internet), Self location 2 (Intranet), Federation 1 (Enterprise), '
                      'Reserved 0')], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Allocate Request with MS-TURNBWM Reservation Check')

    def rp(t, name, v, f, ms, mr):
        w = (0x80000000 if v else 0) | (0x40000000 if f else 0)
        return a_raw(t, name, struct.pack('!III', w, ms, mr),
                     'V=%d F=%d (word 0x%08x), MaxSend %d, MaxRecv %d (kbit/s)' % (v, f, w, ms, mr))
    m = Msg(0x0103, m.tid,
            [a_magic(), a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6),
             rp(0x805D, 'REMOTE-SITE-ADDR-RP', 1, 0, 100, 90),
             rp(0x805E, 'REMOTE-RELAY-SITE-ADDR-RP', 1, 0, 80, 70),
             rp(0x805F, 'LOCAL-SITE-ADDR-RP', 1, 1, 60, 50),
             rp(0x8060, 'LOCAL-RELAY-SITE-ADDR-RP', 0, 0, 45, 44)], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Allocate Response with MS-TURNBWM results 0x805D..0x8060')
    # 24-25 legacy pair
    ltid = bytes.fromhex('0123456789abcdef0011223344556677')
    m = Msg(0x0003, ltid, [a_magic(), a_msver(1)], 'ms-turn', note='legacy cookie-less MS-TURN')
    fl.send('A', m, 'legacy Allocate Request (no RFC 5389 cookie, MS-VERSION 1)')
    m = Msg(0x0103, ltid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, 50000),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(1)], 'ms-turn',
            note='legacy cookie-less MS-TURN; exactly the reference section 7.3 vector')
    assert m.raw == LEGACY_VECTOR
    fl.send('B', m, 'legacy Allocate Response (reference 7.3 vector)')
    # 26 unanswered
    m = Msg(0x0003, cookie_tid('udp-alloc-unanswered'),
            [a_magic(), a_msver(6), a_raw(0x0017, 'REQUESTED-ADDRESS-FAMILY', bytes([1, 0, 0, 0]),
                                          'family 0x01 (IPv4), reserved 0'),
             a_svcq(2, 0), a_u32(0x0010, 'BANDWIDTH', 2000, ' kbit/s')], 'ms-turn',
            note='never answered')
    fl.send('A', m, 'Allocate Request (video, IPv4 only) - NEVER ANSWERED')
    return cap


# ----------------------------------------------------------------------------
# capture 7: msturn-udp3478-snaplen60.pcap (media captured with tcpdump -s 60)

SNAPLEN_SHORT = 60


def build_snaplen60():
    cap = Capture('msturn-udp3478-snaplen60.pcap', 'Media on UDP 3478 after Set Active Destination, captured with '
                  'snaplen %d as "tcpdump -s %d" writes it (pcap header snaplen %d; each record keeps the first %d '
                  'bytes and the original length): 42 bytes of Ethernet/IPv4/UDP headers and the first 18 bytes of '
                  'the payload (client 10.0.0.10:50050 <-> Edge 192.0.2.1:3478)'
                  % ((SNAPLEN_SHORT,) * 4))
    cap.snaplen = SNAPLEN_SHORT
    c, e = new_hosts(0x1800, 0x5800)
    fl = UdpFlow(cap, c, 50050, MAC_CLIENT, e, 3478, MAC_EDGE)
    cst = RtpStream('snap-client', 0x1C2D3E4F, 104, 3000, 200000, 320, 60, b'client@msstun.example')
    mcu = RtpStream('snap-mcu', 0x6A7B8C9D, 104, 4000, 800000, 320, 60, b'mcu@msstun.example')

    def trunc(obj):
        return ['captured: the first %d of %d payload bytes: %s'
                % (SNAPLEN_SHORT - 42, len(obj.raw), obj.raw[:SNAPLEN_SHORT - 42].hex())]
    p = cst.next(marker=True)
    fl.send('A', p, 'RTP client -> Edge, SSRC 0x1c2d3e4f seq 3000')
    cap.frames[-1][2].extend(trunc(p))
    # RFC 3550 5.1: the mixer lists its contributing sources (CC=2) and carries a header extension (X=1, 5.3.1).
    p = RtpMixed(mcu, [0x0A0B0C01, 0x0A0B0C02], 0xBEDE, H('snap-ext', 4))
    fl.send('B', p, 'RTP Edge -> client from a mixer: 2 CSRCs and a header extension, SSRC 0x6a7b8c9d seq 4000')
    cap.frames[-1][2].extend(trunc(p))
    p = cst.next()
    fl.send('A', p, 'RTP client -> Edge, SSRC 0x1c2d3e4f seq 3001')
    cap.frames[-1][2].extend(trunc(p))
    p = Rtcp('SR', cst, mcu, cap.time_us())
    fl.send('A', p, 'RTCP SR+SDES client -> Edge')
    cap.frames[-1][2].extend(trunc(p))
    p = Rtcp('RR', mcu, cst, cap.time_us())
    fl.send('B', p, 'RTCP RR+SDES Edge -> client')
    cap.frames[-1][2].extend(trunc(p))
    return cap


# ----------------------------------------------------------------------------
# capture 8: msturn-udp3478-teams.pcap (a Teams client's deallocation)

def build_teams():
    cap = Capture('msturn-udp3478-teams.pcap', 'A Teams client deallocates (client 10.0.0.10:50060 <-> Edge '
                  '192.0.2.1:3478): LIFETIME 0 Allocate request whose MS-SEQUENCE-NUMBER holds only the sequence '
                  'number (80 50 00 04 00 00 00 01, as a real Teams client sends it)')
    c, e = new_hosts(0x1C00, 0x5C00)
    fl = UdpFlow(cap, c, 50060, MAC_CLIENT, e, 3478, MAC_EDGE)
    nonce = H('nonce-teams', 15).hex().encode()
    m = Msg(0x0003, cookie_tid('teams-dealloc'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [a_u32(0x000D, 'LIFETIME', 0, ' seconds (deallocation)'),
             a_raw(0x8050, 'MS-SEQUENCE-NUMBER', struct.pack('!I', 1),
                   'Sequence Number 1 only, no Connection ID (4 bytes, as Teams sends it)')], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Allocate Request LIFETIME 0, 4-byte MS-SEQUENCE-NUMBER')
    m = Msg(0x0103, m.tid, [a_magic(), a_u32(0x000D, 'LIFETIME', 0, ' seconds'), a_msver(6)], 'ms-turn', MI_TURN)
    fl.send('B', m, 'Allocate Response LIFETIME 0')
    return cap


def build():
    return [build_udp3478(), build_snaplen60(), build_teams()]


if __name__ == '__main__':
    sys.exit(cli.main(sys.argv[1:], build))
