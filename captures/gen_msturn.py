#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_msturn.py - deterministic, spec-built test captures for the msstun plugin.

Usage:  python3 gen_msturn.py [--check] [OUTDIR]

  Writes msturn-udp3478.pcap, msice2-checks.pcap, msturn-tcp443.pcap,
  msturn-tcp443-midstream.pcap, msturn-learning.pcap, msturn-tcp443-split.pcap,
  msturn-udp3478-snaplen60.pcap, msturn-udp3478-teams.pcap and MANIFEST.md into
  OUTDIR (default: the directory of this script), then re-reads the pcaps with
  an independent parser and verifies them (IP/UDP/TCP checksums, TCP sequence
  continuity, MS-TURN TCP framing, every FINGERPRINT and MESSAGE-INTEGRITY,
  every XOR address; for msturn-learning.pcap also the relayed copies, RTP
  seq/timestamp continuity, RTCP counters and report blocks, and that the
  learning rules reach exactly the intended RTP/RTCP 5-tuples).  With
  --check nothing is written: the files already in OUTDIR are
  compared byte for byte with a fresh in-memory build and verified the same
  way.  Only the Python standard library is used; there is no randomness
  (every "random" value is a SHA-256 of a fixed label), so two runs produce
  byte-identical files.

Where every construct comes from (section numbers of
/work/shared/reference/ms-turn-reference.md and of the underlying specs):
  * pcap: classic libpcap, magic a1b2c3d4, v2.4, LINKTYPE_ETHERNET (1).
  * IPv4 (RFC 791) header checksum, UDP (RFC 768) and TCP (RFC 793) checksums
    over the IPv4 pseudo-header.  TCP handshake/ACK/FIN per RFC 793.
  * MS-TURN header (ref 1.2, 3.1; MS-TURN 2.2.1): raw 16-bit type, length
    excluding the 20-byte header, bytes 4..19 = 0x2112A442 + 96-bit TID
    ("cookie form", ref 3.1 / 9) for Allocate/Send/SAD, a plain 128-bit TID
    for Data Indications 0x0115 (ref 9) and for the legacy vector (ref 7.3).
  * MS-TURN attributes are NOT padded (ref 1.2, 3.1, 9); MAGIC-COOKIE 0x000F =
    0x72C64BC6 is always the first attribute (MS-TURN 2.2.2.8, ref 2.2).
  * NONCE = 0x0014, REALM = 0x0015 in MS-TURN (ref 2.2).
  * MAPPED-ADDRESS 0x0001, MS-ALT-MAPPED-ADDRESS 0x8090, DESTINATION-ADDRESS
    0x0011, REMOTE-ADDRESS 0x0012, ALTERNATE-SERVER 0x000E are plain
    (ref 2.2, 6, 8 item 1); XOR-MAPPED-ADDRESS 0x8020, 0x0020 and MS-TURNBWM
    0x8059..0x805C are XORed with message bytes 4..5 (port), 4..7 (IPv4),
    4..19 (IPv6) (ref 3.3; MS-TURN 2.2.2.16; MS-TURNBWM 2.2.6; RFC 5389 15.2).
  * MS-VERSION 0x8008, MS-SEQUENCE-NUMBER 0x8050 (20-byte connection id +
    uint32), MS-SERVICE-QUALITY 0x8055, BANDWIDTH 0x0010, LIFETIME 0x000D,
    REQUESTED-ADDRESS-FAMILY 0x0017, MULTIPLEXED-TURN-SESSION-ID 0x8095 (8 B),
    ERROR-CODE 0x0009 (RFC 5389 15.6): ref 2.1 / 2.2.
  * MS-TURNBWM 0x8056..0x8062, 0x8068: ref 2.4 (BANDWIDTH-RSV-AMOUNT in the
    spec-figure/LUA order MinSend, MaxSend, MinRecv, MaxRecv).
  * MESSAGE-INTEGRITY: RFC 5389 15.4 procedure (ref 3.4).  MS-TURN with
    MS-VERSION >= 3: HMAC-SHA256, 32 bytes (ref 2.2 MS-VERSION, 9), long-term
    key MD5(username ":" realm ":" password).  MS-ICE2 checks: HMAC-SHA1,
    20 bytes, short-term key = ICE password (RFC 5389 15.4 / RFC 5245 7.1.2.3).
  * FINGERPRINT 0x8028 = CRC-32 ^ 0x5354554E (RFC 5389 15.5, ref 3.4); the
    legacy MS variant uses the CRC-32 table with entry 0x8BBEB8EA replaced by
    0x08BBE8EA (ref 3.4, libnice stuncrc32.c).
  * MS-ICE2 checks (ref 2.3, 1.3; MS-ICE2 2.2): RFC 5389 Binding with cookie
    and padded attributes; PRIORITY 0x0024, USE-CANDIDATE 0x0025,
    ICE-CONTROLLED 0x8029 / ICE-CONTROLLING 0x802A (RFC 5245 19.1),
    CANDIDATE-IDENTIFIER 0x8054 (NUL-padded foundation), IMPLEMENTATION-VERSION
    0x8070; responses carry XOR-MAPPED-ADDRESS 0x0020; 487 Role Conflict per
    RFC 5245 7.2.1.1.  MS-ICE2 also allows unpadded attributes (ref 3.1).
  * Multiplexed TURN 0xFF10 (ref 1.4; MS-TURN 2.2.3): Length counts the
    8-byte session id and the data.
  * MS-TURN TCP framing (ref 4.1; MS-TURN 2.1.4): Type 0x02 control / 0x03
    end-to-end data, Reserved 0, Length = payload length.  End-to-end data and
    relayed data inside DATA on TCP are RFC 4571 framed (ref 4.1, 4.3, 4.6).
  * Pseudo-TLS on TCP 443 (ref 4.2; MS-TURN 2.1.1): 50-byte ClientHello
    (libnice bytes) and an 83-byte ServerHello+ServerHelloDone in one record.
  * RTP/RTCP (RFC 3550 5.1, 6.4.1, 6.4.2, 6.5): V=2, PT 104 (SILK WB, 16 kHz,
    dynamic) and PT 0/8; SR/RR with report blocks, compound with SDES CNAME.
  * Media after a successful Set Active Destination is sent unwrapped on the
    client<->Edge 5-tuple (ref 6, media-flow facts).
  * msturn-learning.pcap (ref 6): the relay 5-tuple is MAPPED-ADDRESS (relay) x
    DESTINATION-ADDRESS / REMOTE-ADDRESS (peer) and carries plain STUN/RTP/RTCP
    on the Edge external side; the relayed Binding Request/Response are the
    very bytes of the Send / Data Indication DATA.  A Binding success response
    (XOR-MAPPED-ADDRESS 0x0020 = the request's source) validates its pair
    (RFC 5245 7.1.3); an unanswered check validates nothing.  RTCP RR only from
    a participant that has sent no RTP (RFC 3550 6.4); SR packet/octet counts,
    LSR/DLSR per RFC 3550 6.4.1.
"""

import hashlib
import hmac
import ipaddress
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The builders live in lib/; the names other scripts imported from here stay importable.
from lib.base import NTP_OFFSET, STEP_US, T0, H, fmt_addr  # noqa: E402,F401
from lib.capture import Capture, TcpFlow, UdpFlow, describe  # noqa: E402,F401
from lib.net import (CLIENT, EDGE, MAC_CLIENT, MAC_EDGE, MAC_EDGE_EXT, MAC_GW, PEER_IP, REFLEX_IP,  # noqa: E402,F401
                     RELAY6_IP, RELAY_IP, Host, csum, flag_str, ipv4, l4_csum, new_hosts, udp_frame)
from lib.pcap import read as read_pcap  # noqa: E402,F401
from lib.rtp import PT_NAMES, Rtcp, Rtp, RtpMixed, RtpStream, ntp64  # noqa: E402,F401
from lib.stun import (ALL_KEYS, CLIENT_PWD, CLIENT_UFRAG, COOKIE, CRC_TABLE, FP_XOR, LEGACY_TABLE,  # noqa: E402,F401
                      MI_CLIENT, MI_PEER, MI_TURN, MI_TURN_RFC, MS_MAGIC, MSTURN_TYPES, PEER_PWD, PEER_UFRAG,
                      REALM, REGISTRY, SQ_QUAL, SQ_STREAM, STUN_TYPES, TURN_KEY, TURN_PASS, TURN_USER, Attr,
                      ChannelData, Integrity, MTurn, Msg, Rfc4571, Stun, a_addr, a_data, a_error, a_magic,
                      a_msver, a_raw, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, addr_value, auth_attrs,
                      cookie_tid, crc32_legacy, crc32_std, crc32_table, desc02, desc03, frame02, frame03,
                      ice_request, ice_response, plain_tid, prio)
from lib.tls import CLIENT_HELLO, server_hello  # noqa: E402,F401

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
    m = Msg(0x0004, cookie_tid('udp-send-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 1),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port), a_data(Stun(breq))], 'ms-turn', MI_TURN)
    fl.send('A', m, 'Send Request, DATA = MS-ICE2 Binding Request')
    bresp = ice_response(breq, RELAY_IP, 50000)
    m = Msg(0x0115, plain_tid('udp-dataind-1'),
            [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', PEER_IP, peer_port), a_data(Stun(bresp))],
            'ms-turn', MI_TURN)
    fl.send('B', m, 'Data Indication, DATA = MS-ICE2 Binding Success Response')
    # 7-8 Send(RTP) / Data Indication(RTCP SR)
    m = Msg(0x0004, cookie_tid('udp-send-2'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 2),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port), a_data(cst.next(marker=True))],
            'ms-turn', MI_TURN)
    fl.send('A', m, 'Send Request, DATA = RTP')
    for _ in range(3):
        pst.next()      # peer media the relay already forwarded before (not captured)
    m = Msg(0x0115, plain_tid('udp-dataind-2'),
            [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', PEER_IP, peer_port),
             a_data(Rtcp('SR', pst, cst, cap.time_us()))], 'ms-turn', MI_TURN)
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
# capture 2: msice2-checks.pcap

def find_legacy_distinct(label, build):
    """Deterministically pick the first label variant whose legacy CRC differs from the standard CRC."""
    for i in range(1000):
        try:
            return build('%s-%d' % (label, i))
        except AssertionError:
            continue
    raise RuntimeError('no variant found')


def build_ice2():
    cap = Capture('msice2-checks.pcap', 'MS-ICE2 connectivity checks, 10.0.0.10:50010 <-> 203.0.113.9:50012')
    a = Host('10.0.0.10', MAC_CLIENT, 128, 0x2000)
    b = Host(PEER_IP, MAC_GW, 117, 0x7000)
    fl = UdpFlow(cap, a, 50010, MAC_CLIENT, b, 50012, MAC_GW)
    TA, TB = 0x9F3C5A7E12345678, 0x1122334455667788
    ast = RtpStream('ice-a', 0x0A0B0C0D, 0, 30000, 8000, 160, 160, b'client@msstun.example')
    bst = RtpStream('ice-b', 0x7E7F7071, 8, 40000, 96000, 160, 160, b'peer@msstun.example')

    r = ice_request('ice-1', True, prio(110, 65535), TA, True, b'1')
    fl.send('A', Stun(r), 'Binding Request A->B (controlling)')
    fl.send('B', Stun(ice_response(r, '10.0.0.10', 50010)), 'Binding Success Response B->A')
    r = ice_request('ice-2', False, prio(110, 65534), TB, False, b'2')
    fl.send('B', Stun(r), 'Binding Request B->A (controlled)')
    fl.send('A', Stun(ice_response(r, PEER_IP, 50012)), 'Binding Success Response A->B')
    r = ice_request('ice-3', True, prio(110, 65535), TA, True, b'12345', use_cand=True)
    fl.send('A', Stun(r), 'Binding Request A->B with USE-CANDIDATE (nomination)')
    fl.send('B', Stun(ice_response(r, '10.0.0.10', 50010)), 'Binding Success Response B->A')
    r = ice_request('ice-unpadded', True, prio(110, 65535), TA, True, b'1', dialect='ms-ice2-unpadded',
                    note='UNPADDED attributes (USERNAME is 9 bytes, next attribute starts immediately)')
    assert len(r.raw) % 4 != 0
    fl.send('A', Stun(r), 'Binding Request A->B, UNPADDED attributes, odd-length USERNAME')
    fl.send('B', Stun(ice_response(r, '10.0.0.10', 50010)), 'Binding Success Response B->A (to the unpadded request)')
    r = ice_request('ice-badfp', True, prio(110, 65535), TA, True, b'1', fp='bad',
                    note='FINGERPRINT deliberately wrong; a receiver discards it, so it is not answered')
    fl.send('A', Stun(r), 'Binding Request A->B with WRONG FINGERPRINT (never answered)')

    def legacy_pair(label):
        rq = ice_request(label, True, prio(110, 65535), TA, True, None, impl=None, fp='legacy',
                         note='legacy MS CRC-32 FINGERPRINT, no IMPLEMENTATION-VERSION')
        try:
            rs = ice_response(rq, '10.0.0.10', 50010, impl=None, fp='legacy',
                              note='legacy MS CRC-32 FINGERPRINT, no IMPLEMENTATION-VERSION')
        except AssertionError:
            REGISTRY.remove(rq)
            raise
        return rq, rs
    rq, rs = find_legacy_distinct('ice-legacy', legacy_pair)
    fl.send('A', Stun(rq), 'Binding Request A->B with LEGACY MS CRC-32 FINGERPRINT')
    fl.send('B', Stun(rs), 'Binding Success Response B->A with LEGACY MS CRC-32 FINGERPRINT')
    r = ice_request('ice-conflict', False, prio(110, 65534), TB, True, b'2',
                    note='B also claims the controlling role, tie-breaker lower than A\'s')
    fl.send('B', Stun(r), 'Binding Request B->A with ICE-CONTROLLING (role conflict)')
    fl.send('A', Stun(ice_response(r, None, None, error=(487, b'Role Conflict'))),
            'Binding Error Response 487 Role Conflict A->B')
    fl.send('A', ast.next(marker=True), 'RTP A->B (PCMU)')
    fl.send('B', bst.next(marker=True), 'RTP B->A (PCMA)')
    fl.send('A', ast.next(), 'RTP A->B (PCMU)')
    fl.send('B', bst.next(), 'RTP B->A (PCMA)')
    fl.send('A', Rtcp('SR', ast, bst, cap.time_us()), 'RTCP SR+SDES A->B')
    fl.send('B', Rtcp('RR', bst, ast, cap.time_us()), 'RTCP RR+SDES B->A')
    return cap


# ----------------------------------------------------------------------------
# capture 3 / 4: MS-TURN over TCP 443

def build_tcp443():
    cap = Capture('msturn-tcp443.pcap', 'MS-TURN over TCP 443 with pseudo-TLS (10.0.0.10:51000 <-> 192.0.2.1:443)')
    c, e = new_hosts()
    c.ident, e.ident = 0x3000, 0x6000
    fl = TcpFlow(cap, c, 51000, MAC_CLIENT, e, 443, MAC_EDGE, 0x1F2E3D4C, 0x6A5B4C3D, 64240, 65535)
    nonce = H('nonce-tcp', 15).hex().encode()
    connid = H('connid-tcp', 20)
    mtsid = H('mturn-session-tcp', 8)
    relay_port, peer_port = 50100, 50012
    cst = RtpStream('tcp-client', 0x2B3C4D5E, 104, 5000, 320000, 320, 60, b'client@msstun.example')
    pst = RtpStream('tcp-peer', 0x6F7A8B9C, 104, 6000, 640000, 320, 60, b'peer@msstun.example')
    ACK, PSH, SYN, FIN = 0x10, 0x08, 0x02, 0x01

    fl.seg('A', SYN, summary='TCP SYN')
    fl.seg('B', SYN | ACK, summary='TCP SYN,ACK')
    fl.seg('A', ACK, summary='TCP ACK')
    fl.seg('A', PSH | ACK, CLIENT_HELLO, 'pseudo-TLS ClientHello (50 bytes)',
           ['Pseudo-TLS ClientHello (MS-TURN 2.1.1), 50 bytes, not MS-TURN framed: record 0x16 TLS 1.0 length 45; '
            'ClientHello length 41, version 3.1, 32-byte random c1fcd5a3...10fb, session id length 0, '
            '1 cipher suite 0x0018 (TLS_DH_anon_WITH_RC4_128_MD5), compression null: ' + CLIENT_HELLO.hex()])
    sh, rnd, sid = server_hello()
    fl.seg('B', PSH | ACK, sh, 'pseudo-TLS ServerHello+ServerHelloDone (83 bytes)',
           ['Pseudo-TLS ServerHello + ServerHelloDone in ONE record, 83 bytes, not MS-TURN framed: record 0x16 '
            'TLS 1.0 length 78; ServerHello length 70, version 3.1, random %s, session id length 32 = %s, '
            'cipher suite 0x0018, compression 0; ServerHelloDone (0e 00 00 00); no Certificate: %s'
            % (rnd.hex(), sid.hex(), sh.hex())])

    def ctrl(frm, msg, summary):
        fl.seg(frm, PSH | ACK, frame02(msg), summary, desc02(msg))

    m = Msg(0x0003, cookie_tid('tcp-alloc-1'),
            [a_magic(), a_msver(6), a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    ctrl('A', m, '02 frame: Allocate Request (unauthenticated)')
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM),
             a_addr(0x000E, 'ALTERNATE-SERVER', '192.0.2.1', 443), a_msver(6)], 'ms-turn')
    ctrl('B', m, '02 frame: Allocate Error Response 401')
    m = Msg(0x0003, cookie_tid('tcp-alloc-2'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Allocate Request (authenticated)')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, relay_port),
             a_addr(0x8090, 'MS-ALT-MAPPED-ADDRESS', RELAY6_IP, relay_port + 2),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 41000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6), a_seqnum(connid, 0),
             a_raw(0x8095, 'MULTIPLEXED-TURN-SESSION-ID', mtsid, 'session id %s' % mtsid.hex())],
            'ms-turn', MI_TURN)
    ctrl('B', m, '02 frame: Allocate Response')
    breq = ice_request('tcp-ice-1', True, prio(110, 65535), 0x9F3C5A7E12345678, True, b'4')
    m = Msg(0x0004, cookie_tid('tcp-send-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 1),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port), a_data(Rfc4571(Stun(breq)))],
            'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Send Request, DATA = RFC 4571 + Binding Request')
    # one segment, two complete 02 frames
    bresp = ice_response(breq, RELAY_IP, relay_port)
    d1 = Msg(0x0115, plain_tid('tcp-dataind-1'),
             [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', PEER_IP, peer_port), a_data(Rfc4571(Stun(bresp)))],
             'ms-turn', MI_TURN)
    preq = ice_request('tcp-ice-2', False, prio(110, 65534), 0x1122334455667788, False, b'5')
    d2 = Msg(0x0115, plain_tid('tcp-dataind-2'),
             [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', PEER_IP, peer_port), a_data(Rfc4571(Stun(preq)))],
             'ms-turn', MI_TURN)
    p1, p2 = frame02(d1), frame02(d2)
    fl.seg('B', PSH | ACK, p1 + p2, 'TWO complete 02 frames in one segment: Data Indication + Data Indication',
           ['Segment carries TWO complete MS-TURN TCP frames back to back: frame A at payload offset 0 '
            '(%d bytes), frame B at payload offset %d (%d bytes)' % (len(p1), len(p1), len(p2)),
            'Frame A:'] + ['  ' + x for x in desc02(d1)] + ['Frame B:'] + ['  ' + x for x in desc02(d2)])
    # one 02 frame split over two segments
    presp = ice_response(preq, PEER_IP, peer_port)
    m = Msg(0x0004, cookie_tid('tcp-send-2'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 2),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port), a_data(Rfc4571(Stun(presp)))],
            'ms-turn', MI_TURN)
    p = frame02(m)
    cut = 40
    fl.seg('A', PSH | ACK, p[:cut], '02 frame split: first %d of %d bytes (Send Request)' % (cut, len(p)),
           ['First %d bytes of a %d-byte 02 frame (4-byte framing header + %d-byte Send Request); '
            'the remaining %d bytes are in the next frame. Reassembled content:' % (cut, len(p), len(m.raw),
                                                                                    len(p) - cut)]
           + ['  ' + x for x in desc02(m)])
    fl.seg('A', PSH | ACK, p[cut:], '02 frame split: last %d bytes (Send Request)' % (len(p) - cut),
           ['Last %d bytes of the 02 frame started in the previous frame (bytes %d..%d of the frame); '
            'the Send Request is complete here (DATA = RFC 4571 + Binding Success Response)'
            % (len(p) - cut, cut, len(p) - 1)])
    fl.seg('B', ACK, summary='TCP ACK')
    m = Msg(0x0006, cookie_tid('tcp-sad-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 3),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port)], 'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Set Active Destination Request')
    ctrl('B', Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN), '02 frame: Set Active Destination Response')

    def data(frm, objs, summary, note=''):
        fl.seg(frm, PSH | ACK, frame03(b''.join(o.raw for o in objs)), summary, desc03(objs, note))
    data('A', [Rfc4571(cst.next(marker=True))], '03 frame: RFC 4571 RTP')
    for _ in range(2):
        pst.next()
    data('B', [Rfc4571(pst.next())], '03 frame: RFC 4571 RTP')
    data('A', [Rfc4571(cst.next()), Rfc4571(Rtcp('SR', cst, pst, cap.time_us()))],
         '03 frame with TWO RFC 4571 packets (RTP + RTCP SR)', ' (TWO RFC 4571 frames packed)')
    fl.seg('B', ACK, summary='TCP ACK')
    r = Rfc4571(cst.next())
    cut = 20
    fl.seg('A', PSH | ACK, frame03(r.raw[:cut]), '03 frame: first %d bytes of an RFC 4571 RTP frame' % cut,
           ['MS-TURN TCP framing: Type 0x03, Reserved 0, Length %d; payload = the first %d bytes of a %d-byte '
            'RFC 4571 frame (LENGTH=%d) that continues in the NEXT 03 frame. Reassembled inner packet:'
            % (cut, cut, len(r.raw), len(r.inner.raw))] + ['  ' + x for x in r.inner.describe()])
    fl.seg('A', PSH | ACK, frame03(r.raw[cut:]), '03 frame: rest (%d bytes) of the split RFC 4571 RTP frame'
           % (len(r.raw) - cut),
           ['MS-TURN TCP framing: Type 0x03, Reserved 0, Length %d; payload = bytes %d..%d of the RFC 4571 '
            'frame started in the previous 03 frame (RTP seq %d, SSRC 0x%08x completes here)'
            % (len(r.raw) - cut, cut, len(r.raw) - 1, r.inner.seq, r.inner.st.ssrc)])
    data('B', [Rfc4571(Rtcp('RR', pst, cst, cap.time_us()))], '03 frame: RFC 4571 RTCP RR')
    fl.seg('A', FIN | ACK, summary='TCP FIN,ACK')
    fl.seg('B', FIN | ACK, summary='TCP FIN,ACK')
    fl.seg('A', ACK, summary='TCP ACK')
    return cap


def build_tcp443_mid():
    cap = Capture('msturn-tcp443-midstream.pcap',
                  'MS-TURN over TCP 443, capture starts mid-stream (10.0.0.10:51002 <-> 192.0.2.1:443)')
    c, e = new_hosts()
    c.ident, e.ident = 0x4000, 0x6800
    fl = TcpFlow(cap, c, 51002, MAC_CLIENT, e, 443, MAC_EDGE, 0x3C4D5E6F, 0x7B8C9DAE, 64240, 65535)
    # pretend 40000 / 90000 bytes were exchanged before the capture started
    fl.nxt['A'] = (fl.nxt['A'] + 40000) & 0xFFFFFFFF
    fl.nxt['B'] = (fl.nxt['B'] + 90000) & 0xFFFFFFFF
    # relative numbers as Wireshark shows them mid-stream: base = first seen seq - 1
    fl.isn = {k: (v - 1) & 0xFFFFFFFF for k, v in fl.nxt.items()}
    nonce = H('nonce-tcp-mid', 15).hex().encode()
    connid = H('connid-tcp-mid', 20)
    cst = RtpStream('mid-client', 0x3C4D5E6F, 104, 7000, 960000, 320, 60, b'client@msstun.example')
    pst = RtpStream('mid-peer', 0x708192A3, 104, 8000, 1280000, 320, 60, b'peer@msstun.example')
    PA = 0x18
    peer_port = 50012

    def data(frm, objs, summary):
        fl.seg(frm, PA, frame03(b''.join(o.raw for o in objs)), summary, desc03(objs))

    def ctrl(frm, msg, summary):
        fl.seg(frm, PA, frame02(msg), summary, desc02(msg))
    data('A', [Rfc4571(cst.next())], '03 frame: RFC 4571 RTP (first frame of the capture, mid-stream)')
    data('B', [Rfc4571(pst.next())], '03 frame: RFC 4571 RTP')
    m = Msg(0x0003, cookie_tid('mid-refresh'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) + [a_u32(0x000D, 'LIFETIME', 480, ' seconds')],
            'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Allocate Request (refresh)')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, 50200),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 42000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6)], 'ms-turn', MI_TURN)
    ctrl('B', m, '02 frame: Allocate Response (refresh)')
    data('A', [Rfc4571(Rtcp('SR', cst, pst, cap.time_us()))], '03 frame: RFC 4571 RTCP SR')
    preq = ice_request('mid-ice-1', False, prio(110, 65534), 0x1122334455667788, False, b'5')
    m = Msg(0x0115, plain_tid('mid-dataind-1'),
            [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', PEER_IP, peer_port), a_data(Rfc4571(Stun(preq)))],
            'ms-turn', MI_TURN)
    ctrl('B', m, '02 frame: Data Indication, DATA = RFC 4571 + Binding Request')
    presp = ice_response(preq, PEER_IP, peer_port)
    m = Msg(0x0004, cookie_tid('mid-send-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 17),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port), a_data(Rfc4571(Stun(presp)))],
            'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Send Request, DATA = RFC 4571 + Binding Success Response')
    data('B', [Rfc4571(Rtcp('RR', pst, cst, cap.time_us()))], '03 frame: RFC 4571 RTCP RR')
    fl.seg('A', 0x10, summary='TCP ACK')
    return cap


# ----------------------------------------------------------------------------
# capture 6: msturn-tcp443-split.pcap (what a length callback must wait for)

LIBNICE_TID = bytes.fromhex('d74d7b39519eda091c4839a4ba4fd37e')   # a libnice 0.1.21 Allocate (shared capture)
LENGTHLESS_CLIENTS = {51022}   # client ports whose frames are "03 00" + message, as libnice 0.1.21 sends them


def libnice_allocate(label):
    """libnice 0.1.21 (NICE_COMPATIBILITY_OC2007R2): cookie-less MS-TURN Allocate, MAGIC-COOKIE, MS-VERSION 1."""
    tid = LIBNICE_TID if label is None else plain_tid(label)
    return Msg(0x0003, tid, [a_magic(), a_msver(1)], 'ms-turn', note='legacy cookie-less MS-TURN, as libnice sends it')


def frame_lengthless(msg):
    return b'\x03\x00' + msg.raw


def desc_lengthless(msg, note=''):
    return (['libnice 0.1.21 framing: Type 0x03, Reserved 0, then the message directly, WITHOUT the 2-byte Length '
             'of MS-TURN 2.1.4 (bytes 2..3 are the message type)%s; payload:' % note] +
            ['  ' + x for x in msg.describe()])


def build_tcp443_split():
    cap = Capture('msturn-tcp443-split.pcap', 'MS-TURN over TCP 443, split where a length is not known yet: '
                  'A = pseudo-TLS ServerHello split after its first 4 bytes (10.0.0.10:51020 <-> 192.0.2.1:443), '
                  'B = libnice-style frame without Length split after 20 bytes (10.0.0.10:51022 <-> 192.0.2.1:443)')
    c, e = new_hosts()
    c.ident, e.ident = 0x3800, 0x6800
    ACK, PSH, SYN, FIN = 0x10, 0x08, 0x02, 0x01
    PA = PSH | ACK

    # A: Edge-style server, 4-byte framing after the handshake
    fl = TcpFlow(cap, c, 51020, MAC_CLIENT, e, 443, MAC_EDGE, 0x2A3B4C5D, 0x7B6C5D4E, 64240, 65535)
    nonce = H('nonce-tcp-split', 15).hex().encode()
    fl.seg('A', SYN, summary='A: TCP SYN')
    fl.seg('B', SYN | ACK, summary='A: TCP SYN,ACK')
    fl.seg('A', ACK, summary='A: TCP ACK')
    fl.seg('A', PA, CLIENT_HELLO, 'A: pseudo-TLS ClientHello (50 bytes)',
           ['Pseudo-TLS ClientHello (MS-TURN 2.1.1), 50 bytes, not MS-TURN framed: ' + CLIENT_HELLO.hex()])
    fl.seg('B', ACK, summary='A: TCP ACK')
    sh, rnd, sid = server_hello()
    fl.seg('B', PA, sh[:4], 'A: first 4 bytes of the pseudo-TLS ServerHello record',
           ['TCP segment with bytes 0..3 of the 83-byte ServerHello+ServerHelloDone record: %s (content type 0x16, '
            'version 3.1, first byte of the record length); the record length is not complete here'
            % sh[:4].hex()])
    fl.seg('A', ACK, summary='A: TCP ACK')
    fl.seg('B', PA, sh[4:], 'A: the other 79 bytes of the pseudo-TLS ServerHello record',
           ['TCP segment with bytes 4..82 of the record; together with the previous segment: Pseudo-TLS ServerHello '
            '+ ServerHelloDone in ONE record, 83 bytes, record length 78; ServerHello length 70, version 3.1, '
            'random %s, session id length 32 = %s, cipher suite 0x0018, compression 0; ServerHelloDone: %s'
            % (rnd.hex(), sid.hex(), sh.hex())])
    fl.seg('A', ACK, summary='A: TCP ACK')
    m = Msg(0x0003, cookie_tid('tcp-split-alloc-1'),
            [a_magic(), a_msver(6), a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    fl.seg('A', PA, frame02(m), 'A: 02 frame: Allocate Request (unauthenticated)', desc02(m))
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM), a_msver(6)], 'ms-turn')
    fl.seg('B', PA, frame02(m), 'A: 02 frame: Allocate Error Response 401', desc02(m))
    fl.seg('A', FIN | ACK, summary='A: TCP FIN,ACK')
    fl.seg('B', FIN | ACK, summary='A: TCP FIN,ACK')
    fl.seg('A', ACK, summary='A: TCP ACK')

    # B: libnice client; the server only acknowledges (as the stub in the shared libnice capture)
    fl = TcpFlow(cap, c, 51022, MAC_CLIENT, e, 443, MAC_EDGE, 0x3B4C5D6E, 0x0C1D2E3F, 64240, 65535)
    fl.seg('A', SYN, summary='B: TCP SYN')
    fl.seg('B', SYN | ACK, summary='B: TCP SYN,ACK')
    fl.seg('A', ACK, summary='B: TCP ACK')
    fl.seg('A', PA, CLIENT_HELLO, 'B: pseudo-TLS ClientHello (50 bytes)',
           ['Pseudo-TLS ClientHello (MS-TURN 2.1.1), 50 bytes, not MS-TURN framed: ' + CLIENT_HELLO.hex()])
    fl.seg('B', PA, sh, 'B: pseudo-TLS ServerHello+ServerHelloDone (83 bytes)',
           ['Pseudo-TLS ServerHello + ServerHelloDone in one record, 83 bytes: ' + sh.hex()])
    fl.seg('A', ACK, summary='B: TCP ACK')
    m = libnice_allocate(None)
    f = frame_lengthless(m)
    fl.seg('A', PA, f[:20], 'B: first 20 bytes of a libnice frame without Length (Allocate Request)',
           ['TCP segment with bytes 0..19 of a 38-byte frame: %s; "03 00" and the first 18 bytes of the STUN '
            'header; the MAGIC-COOKIE attribute that tells this framing apart is not here yet' % f[:20].hex()])
    fl.seg('B', ACK, summary='B: TCP ACK')
    fl.seg('A', PA, f[20:], 'B: the other 18 bytes of the frame',
           ['TCP segment with bytes 20..37 of the frame; together with the previous segment:'] + desc_lengthless(m))
    fl.seg('B', ACK, summary='B: TCP ACK')
    m = libnice_allocate('tcp-split-libnice-2')
    fl.seg('A', PA, frame_lengthless(m), 'B: libnice frame without Length (Allocate Request), whole',
           desc_lengthless(m))
    fl.seg('B', ACK, summary='B: TCP ACK')
    fl.seg('A', FIN | ACK, summary='B: TCP FIN,ACK')
    fl.seg('B', FIN | ACK, summary='B: TCP FIN,ACK')
    fl.seg('A', ACK, summary='B: TCP ACK')
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
    c, e = new_hosts()
    c.ident, e.ident = 0x1800, 0x5800
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
    c, e = new_hosts()
    c.ident, e.ident = 0x1C00, 0x5C00
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


# ----------------------------------------------------------------------------
# capture 9: turn-tcp3478-midstream.pcap (RFC 5766 TURN over TCP, ChannelData, no handshake seen)

RFC5766_TCP_PORTS = {3478}   # server ports whose streams are RFC 5766 section 11.5 TURN over TCP


def build_tcp3478_mid():
    cap = Capture('turn-tcp3478-midstream.pcap',
                  'RFC 5766 TURN over TCP 3478, capture starts mid-stream: ChannelData (padded to 4) carrying RTP '
                  'both ways, then a Refresh (client 10.0.0.10:51040 <-> TURN server 192.0.2.1:3478)')
    c, e = new_hosts()
    c.ident, e.ident = 0x2400, 0x6400
    fl = TcpFlow(cap, c, 51040, MAC_CLIENT, e, 3478, MAC_EDGE, 0x1D2E3F40, 0x5A6B7C8D, 64240, 65535)
    # The allocation and ChannelBind happened before the capture: 3000 / 2000 bytes.
    fl.nxt['A'] = (fl.nxt['A'] + 3000) & 0xFFFFFFFF
    fl.nxt['B'] = (fl.nxt['B'] + 2000) & 0xFFFFFFFF
    fl.isn = {k: (v - 1) & 0xFFFFFFFF for k, v in fl.nxt.items()}
    # 61- and 62-byte payloads: 73- and 74-byte RTP packets, padded by 3 and 2 bytes.
    cst = RtpStream('tcp3478-client', 0x2C3D4E5F, 0, 5000, 320000, 160, 61, b'client@msstun.example')
    pst = RtpStream('tcp3478-peer', 0x6A7B8C9D, 8, 9000, 640000, 160, 62, b'peer@msstun.example')
    PA = 0x18

    def send(frm, objs, summary):
        fl.seg(frm, PA, b''.join(o.raw for o in objs), summary, [x for o in objs for x in o.describe()])
        fl.seg('B' if frm == 'A' else 'A', 0x10, summary='TCP ACK')

    send('A', [ChannelData(0x4001, cst.next())], 'ChannelData 0x4001: RTP (first frame of the capture, mid-stream)')
    send('B', [ChannelData(0x4001, pst.next())], 'ChannelData 0x4001: RTP')
    send('A', [ChannelData(0x4001, cst.next()), ChannelData(0x4001, cst.next())],
         'two ChannelData back to back in one segment')
    nonce = H('nonce-tcp3478', 15).hex().encode()
    auth = [a_str(0x0006, 'USERNAME', TURN_USER), a_str(0x0014, 'REALM', REALM), a_str(0x0015, 'NONCE', nonce)]
    mi = MI_TURN_RFC
    m = Msg(0x0004, cookie_tid('tcp3478-refresh'), [a_u32(0x000D, 'LIFETIME', 600, ' seconds')] + auth,
            'rfc5389', mi)
    send('A', [Stun(m)], 'Refresh Request')
    m = Msg(0x0104, m.tid, [a_u32(0x000D, 'LIFETIME', 600, ' seconds')], 'rfc5389', mi)
    send('B', [Stun(m)], 'Refresh Success Response')
    send('B', [ChannelData(0x4001, pst.next())], 'ChannelData 0x4001: RTP')
    return cap


# ----------------------------------------------------------------------------
# capture 5: msturn-learning.pcap (port learning: Edge internal + external, direct paths, negative controls)

LEARN_EXPECT = {}   # filled by build_learning(), consumed by verify_learning()

ADDR_MEANING = {
    (0x0103, 0x0001): 'allocated relay address on the Edge external side: local end of the relayed media leg',
    (0x0103, 0x8020): 'client server-reflexive address as seen by the Edge (no media to or from it here)',
    (0x0113, 0x000E): 'alternate TURN server (the same Edge listener; not a media address)',
    (0x0004, 0x0011): 'peer the relay sends to: remote end of the relayed leg (relay 5-tuple = relay <-> this)',
    (0x0006, 0x0011): 'active destination = remote end of the relayed leg; after 0x0106 data on the client<->Edge '
                      '5-tuple is no longer wrapped',
    (0x0115, 0x0012): 'peer that sent the relayed data: remote end of the relayed leg',
    (0x0101, 0x0020): 'source transport address of the request as seen by the responder; the success response '
                      'validates the request 5-tuple as an ICE pair',
}


class Noted:
    """Wrap a payload object and prefix its description with notes (same bytes)."""

    def __init__(self, inner, notes):
        self.inner, self.notes, self.raw = inner, notes, inner.raw

    def describe(self):
        return list(self.notes) + self.inner.describe()


def ranges(nums):
    nums, out = sorted(nums), []
    for n in nums:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ', '.join('%d' % a if a == b else '%d-%d' % (a, b) for a, b in out)


def build_learning():
    cap = Capture('msturn-learning.pcap',
                  'Port learning from MS-TURN and MS-ICE2: a Lync Edge capturing its internal interface '
                  '(192.0.2.1) and external interface (relay 192.0.2.15), plus direct client<->peer paths')
    client = Host('10.0.0.10', MAC_CLIENT, 128, 0x8000)
    edge = Host('192.0.2.1', MAC_EDGE, 128, 0x9000)
    relay = Host(RELAY_IP, MAC_EDGE_EXT, 128, 0xA000)
    peer_b = Host('203.0.113.50', MAC_GW, 117, 0xB000)
    peer_c = Host('203.0.113.60', MAC_GW, 117, 0xC000)
    peer_d = Host('203.0.113.70', MAC_GW, 117, 0xD000)
    peer_e = Host('203.0.113.80', MAC_GW, 117, 0xE000)
    relay_port, peer_b_port = 52000, 53000
    flows = {
        'turn': UdpFlow(cap, client, 50000, MAC_CLIENT, edge, 3478, MAC_EDGE),
        'relay': UdpFlow(cap, relay, relay_port, MAC_EDGE_EXT, peer_b, peer_b_port, MAC_GW),
        'p2p': UdpFlow(cap, client, 50010, MAC_CLIENT, peer_c, 54000, MAC_GW),
        'neg': UdpFlow(cap, client, 50020, MAC_CLIENT, peer_d, 55000, MAC_GW),
        'fail': UdpFlow(cap, client, 50030, MAC_CLIENT, peer_e, 56000, MAC_GW),
    }
    log = []   # (frame number, part, flow key, direction, object, intended decode)

    def send(part, key, frm, obj, summary, decode):
        flows[key].send(frm, obj, '%s: %s' % (part, summary))
        log.append((len(cap.frames), part, key, frm, obj, decode))

    nonce = H('nonce-learn', 15).hex().encode()
    connid = H('connid-learn', 20)
    mtsid = H('mturn-session-learn', 8)
    TA, TB = 0x9F3C5A7E12345678, 0x1122334455667788
    raf = a_raw(0x0017, 'REQUESTED-ADDRESS-FAMILY', bytes([1, 0, 0, 0]), 'family 0x01 (IPv4), reserved 0')

    # ---- A: client <-> Edge internal, MS-TURN over UDP 3478
    m = Msg(0x0003, cookie_tid('learn-alloc-1'),
            [a_magic(), a_msver(6), raf, a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    send('A', 'turn', 'A', m, 'Allocate Request (unauthenticated)', 'ms-turn')
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM),
             a_addr(0x000E, 'ALTERNATE-SERVER', '192.0.2.1', 3478), a_msver(6)], 'ms-turn')
    send('A', 'turn', 'B', m, 'Allocate Error Response 401 Unauthorized', 'ms-turn')
    m = Msg(0x0003, cookie_tid('learn-alloc-2'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [raf, a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn', MI_TURN)
    send('A', 'turn', 'A', m, 'Allocate Request (authenticated)', 'ms-turn')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, relay_port),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6), a_seqnum(connid, 0),
             a_raw(0x8095, 'MULTIPLEXED-TURN-SESSION-ID', mtsid, 'session id %s' % mtsid.hex())],
            'ms-turn', MI_TURN)
    send('A', 'turn', 'B', m, 'Allocate Response (relay 192.0.2.15:52000, reflexive 198.51.100.7:40000)', 'ms-turn')
    breq = ice_request('learn-relay-ice', True, prio(110, 65533), TA, True, b'4')
    m = Msg(0x0004, cookie_tid('learn-send-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 1),
             a_addr(0x0011, 'DESTINATION-ADDRESS', peer_b.ip, peer_b_port), a_data(Stun(breq))],
            'ms-turn', MI_TURN)
    send('A', 'turn', 'A', m, 'Send Request to 203.0.113.50:53000, DATA = MS-ICE2 Binding Request', 'ms-turn')
    send_frame = len(cap.frames)
    # ---- B (the check as the Edge relays it, in causal order between the Send and the Data Indication)
    send('B', 'relay', 'A', Noted(Stun(breq), ['Same bytes as the DATA of frame %d (relayed, no TURN wrapping)'
                                               % send_frame]),
         'MS-ICE2 Binding Request relayed 192.0.2.15:52000 -> 203.0.113.50:53000', 'stun')
    fwd_req_frame = len(cap.frames)
    bresp = ice_response(breq, RELAY_IP, relay_port)
    send('B', 'relay', 'B', Stun(bresp), 'MS-ICE2 Binding Success Response (XOR-MAPPED 192.0.2.15:52000)', 'stun')
    fwd_resp_frame = len(cap.frames)
    m = Msg(0x0115, plain_tid('learn-dataind-1'),
            [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', peer_b.ip, peer_b_port), a_data(Stun(bresp))],
            'ms-turn', MI_TURN, note='DATA = the bytes of frame %d' % fwd_resp_frame)
    send('A', 'turn', 'B', m, 'Data Indication from 203.0.113.50:53000, DATA = MS-ICE2 Binding Success Response',
         'ms-turn')
    m = Msg(0x0006, cookie_tid('learn-sad-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 2),
             a_addr(0x0011, 'DESTINATION-ADDRESS', peer_b.ip, peer_b_port)], 'ms-turn', MI_TURN)
    send('A', 'turn', 'A', m, 'Set Active Destination Request (203.0.113.50:53000)', 'ms-turn')
    send('A', 'turn', 'B', Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN),
         'Set Active Destination Response', 'ms-turn')

    # ---- B: relayed media leg, 192.0.2.15:52000 <-> 203.0.113.50:53000
    bc = RtpStream('learn-b-client', 0xB10C0A01, 104, 11000, 11000 * 320, 320, 40, b'client@msstun.example')
    bp = RtpStream('learn-b-peer', 0xB10C0A02, 104, 21000, 21000 * 320, 320, 40, b'peer50@msstun.example')
    out, back = 'relay 192.0.2.15:52000 -> peer', 'peer -> relay 192.0.2.15:52000'

    def rtp(part, key, frm, st, label, marker=False, decode='rtp'):
        p = st.next(marker)
        send(part, key, frm, p, 'RTP %s SSRC 0x%08x seq %d' % (label, st.ssrc, p.seq), decode)
    rtp('B', 'relay', 'A', bc, out, True)
    rtp('B', 'relay', 'A', bc, out)
    send('B', 'relay', 'B', Rtcp('RR', bp, bc, cap.time_us()),
         'RTCP RR+SDES %s SSRC 0x%08x (peer has not sent RTP yet)' % (back, bp.ssrc), 'rtcp')
    rtp('B', 'relay', 'B', bp, back, True)
    for i in range(8):
        rtp('B', 'relay', 'A', bc, out)
        rtp('B', 'relay', 'B', bp, back)
        if i == 4:
            send('B', 'relay', 'A', Rtcp('SR', bc, bp, cap.time_us()),
                 'RTCP SR+SDES %s SSRC 0x%08x' % (out, bc.ssrc), 'rtcp')
    send('B', 'relay', 'B', Rtcp('SR', bp, bc, cap.time_us()), 'RTCP SR+SDES %s SSRC 0x%08x' % (back, bp.ssrc),
         'rtcp')
    rtp('B', 'relay', 'B', bp, back)
    assert bc.packets >= 10 and bp.packets >= 10

    # ---- C: direct path 10.0.0.10:50010 <-> 203.0.113.60:54000
    r = ice_request('learn-p2p-1', True, prio(110, 65535), TA, True, b'1')
    send('C', 'p2p', 'A', Stun(r), 'MS-ICE2 Binding Request client -> peer (ICE-CONTROLLING)', 'stun')
    send('C', 'p2p', 'B', Stun(ice_response(r, client.ip, 50010)),
         'MS-ICE2 Binding Success Response (XOR-MAPPED 10.0.0.10:50010)', 'stun')
    r = ice_request('learn-p2p-2', False, prio(110, 65535), TB, False, b'1')
    send('C', 'p2p', 'B', Stun(r), 'MS-ICE2 Binding Request peer -> client (ICE-CONTROLLED)', 'stun')
    send('C', 'p2p', 'A', Stun(ice_response(r, peer_c.ip, 54000)),
         'MS-ICE2 Binding Success Response (XOR-MAPPED 203.0.113.60:54000)', 'stun')
    cc = RtpStream('learn-c-client', 0xC20C0A01, 104, 31000, 31000 * 320, 320, 40, b'client@msstun.example')
    cp = RtpStream('learn-c-peer', 0xC20C0A02, 104, 41000, 41000 * 320, 320, 40, b'peer60@msstun.example')
    for i in range(6):
        rtp('C', 'p2p', 'A', cc, 'client -> peer', i == 0)
        rtp('C', 'p2p', 'B', cp, 'peer -> client', i == 0)
        if i == 3:
            send('C', 'p2p', 'A', Rtcp('SR', cc, cp, cap.time_us()),
                 'RTCP SR+SDES client -> peer SSRC 0x%08x' % cc.ssrc, 'rtcp')

    # ---- D: negative control, RTP-shaped bytes on a pair no STUN message mentions
    dc = RtpStream('learn-d-client', 0xD30C0A01, 104, 51000, 51000 * 320, 320, 40, b'client@msstun.example')
    dp = RtpStream('learn-d-peer', 0xD30C0A02, 104, 61000, 61000 * 320, 320, 40, b'peer70@msstun.example')
    note = ['NEGATIVE CONTROL: no STUN/MS-TURN message in this file mentions 10.0.0.10:50020 or '
            '203.0.113.70:55000; a decoder that does not guess leaves this as UDP data. The bytes are RTP-shaped:']
    for i in range(3):
        for frm, st in (('A', dc), ('B', dp)):
            p = st.next(i == 0)
            send('D', 'neg', frm, Noted(p, note), 'UDP data (RTP-shaped, SSRC 0x%08x seq %d) - unlearned pair'
                 % (st.ssrc, p.seq), 'data')

    # ---- E: an unanswered (failed) check, then media on that 5-tuple
    freq = ice_request('learn-fail-1', True, prio(110, 65535), TA, True, b'6',
                       note='NEVER ANSWERED: the check fails, the pair is not validated')
    send('E', 'fail', 'A', Stun(freq), 'MS-ICE2 Binding Request client -> 203.0.113.80:56000 - NEVER ANSWERED', 'stun')
    fail_frame = len(cap.frames)
    ec = RtpStream('learn-e-client', 0xE40C0A01, 104, 1000, 1000 * 320, 320, 40, b'client@msstun.example')
    ep = RtpStream('learn-e-peer', 0xE40C0A02, 104, 2000, 2000 * 320, 320, 40, b'peer80@msstun.example')
    note = ['NEGATIVE CONTROL: the only STUN on this 5-tuple is the unanswered Binding Request of frame %d; a '
            'decoder must not learn the pair from it, so this stays UDP data. The bytes are RTP-shaped:'
            % fail_frame]
    for i in range(2):
        for frm, st in (('A', ec), ('B', ep)):
            p = st.next(i == 0)
            send('E', 'fail', frm, Noted(p, note), 'UDP data (RTP-shaped, SSRC 0x%08x seq %d) after the failed check'
                 % (st.ssrc, p.seq), 'data')

    cap.overview = learning_overview(cap, log, flows)
    cap.overview += ['', '### Transactions', '',
                     '* Allocate 1/2 and 3/4, Set Active Destination 9/10: request/response pairs by transaction ID '
                     '(cookie form). The Send Request (frame %d) has no response (MS-TURN defines none); the Data '
                     'Indication (frame %d) is a new cookie-less transaction.' % (send_frame, fwd_resp_frame + 1),
                     '* Relayed MS-ICE2 check: request frame %d (= DATA of frame %d), success response frame %d '
                     '(= DATA '
                     'of frame %d); same transaction ID.' % (fwd_req_frame, send_frame, fwd_resp_frame,
                                                             fwd_resp_frame + 1),
                     '* Direct checks (part C): %d/%d (client controlling) and %d/%d (peer controlled) are answered.'
                     % tuple(sorted(n for n, p, _, _, _, d in log if p == 'C' and d == 'stun')),
                     '* Frame %d (part E): Binding Request whose transaction ID %s appears nowhere else in the file.'
                     % (fail_frame, freq.tid.hex())]
    LEARN_EXPECT.clear()
    LEARN_EXPECT.update({
        'nframes': len(cap.frames),
        'decode': {n: d for n, _, _, _, _, d in log},
        'send_frame': send_frame, 'fwd_req_frame': fwd_req_frame, 'fwd_resp_frame': fwd_resp_frame,
        'fail_frame': fail_frame, 'fail_tid': freq.tid,
        'rtp_step': 320, 'rtp_payload': 40, 'rtp_pt': 104,
    })
    return cap


def flow_tuple(fl, frm):
    (s, sp, _), (d, dp, _) = fl.ends[frm], fl.ends['B' if frm == 'A' else 'A']
    return '%s -> %s' % (fmt_addr(s.ip, sp), fmt_addr(d.ip, dp))


def learning_overview(cap, log, flows):
    by_part = {}
    for n, part, _, _, _, _ in log:
        by_part.setdefault(part, []).append(n)
    where = {
        'A': ('Edge internal interface', 'turn', 'MS-TURN (UDP 3478): Allocate, 401, authenticated Allocate, Allocate '
              'success, Send (DATA = Binding Request), Data Indication (DATA = Binding Success Response), '
              'Set Active Destination and its success'),
        'B': ('Edge external interface (relayed leg)', 'relay', 'the Binding Request / Success Response as the '
              'Edge relays them (no TURN wrapping), then RTP both ways, RTCP RR, SR, SR'),
        'C': ('direct path', 'p2p', 'MS-ICE2 checks answered in both directions, then RTP both ways and one RTCP SR'),
        'D': ('negative control', 'neg', 'RTP-shaped UDP on a pair that no STUN/MS-TURN message mentions'),
        'E': ('failed check', 'fail', 'one MS-ICE2 Binding Request that is never answered, then RTP-shaped UDP'),
    }
    L = ['Frames of parts A and B interleave: the relayed check (frames %s) sits, in causal order, between the Send '
         'Request that carries it and the Data Indication that returns the answer. Only the external leg of the '
         'relayed media is in the file (its copy on the client<->Edge 5-tuple is not). Parts C-E are direct '
         'client<->peer paths (client MAC 00:00:5e:00:53:0a, router 00:00:5e:00:53:fe); the Edge external NIC is '
         '00:00:5e:00:53:15. Each RTP stream advances seq +1 and timestamp +320 per packet (20 ms of SILK WB); '
         'because the two directions alternate, packets of one stream are 40 ms apart in capture time.'
         % ranges(n for n, p, k, _, _, _ in log if p == 'B' and k == 'relay' and n <= 10), '',
         '### Parts', '', '| Part | Frames | Where | 5-tuple (UDP) | Content |', '|---|---|---|---|---|']
    for part in 'ABCDE':
        w, key, what = where[part]
        L.append('| %s | %s | %s | %s | %s |' % (part, ranges(by_part[part]), w,
                                                 flow_tuple(flows[key], 'A').replace(' -> ', ' <-> '), what))
    # addresses revealed by STUN / MS-TURN
    rev = []
    learned_from = {}

    def scan(n, msg, inner):
        for _, a, _ in msg.layout:
            if a.kind in ('addr', 'xaddr'):
                rev.append((n, msg, a, inner))
            if a.kind == 'data' and isinstance(a.inner, Stun):
                scan(n, a.inner.msg, True)
    for n, part, key, frm, obj, _ in log:
        msg = obj.msg if isinstance(obj, Stun) else obj.inner.msg if isinstance(obj, Noted) and \
            isinstance(obj.inner, Stun) else obj if isinstance(obj, Msg) else None
        if msg is not None:
            scan(n, msg, False)
    L += ['', '### Addresses revealed by STUN / MS-TURN messages', '',
          'Every address attribute in the file (frame, message, attribute, decoded address, meaning for media). '
          '"inner" = the message carried in DATA. No attribute anywhere names 10.0.0.10:50020, 10.0.0.10:50030, '
          '203.0.113.70:55000 or 203.0.113.80:56000.', '',
          '| Frame | Message | Attribute | Address | Meaning |', '|---|---|---|---|---|']
    for n, msg, a, inner in rev:
        L.append('| %d | %s0x%04x %s | 0x%04x %s | %s | %s |'
                 % (n, 'inner ' if inner else '', msg.mtype, msg.type_name(), a.type,
                    a.name + (' (XOR)' if a.kind == 'xaddr' else ' (plain)'), fmt_addr(a.ip, a.port),
                    ADDR_MEANING[(msg.mtype, a.type)]))
    # 5-tuples and expected decode
    L += ['', '### 5-tuples and what a port-learning decoder should do', '',
          '| 5-tuple (UDP) | Frames | Learnable from | Expected decode |', '|---|---|---|---|']
    learn = {
        'turn': ('UDP 3478 (the MS-TURN port itself)', 'MS-TURN on every frame'),
        'relay': ('frame 4 MAPPED-ADDRESS (relay 192.0.2.15:52000) + frame 5 DESTINATION-ADDRESS '
                  '(peer 203.0.113.50:53000); confirmed by frame 8 REMOTE-ADDRESS, frames 9/10 Set Active '
                  'Destination and the answered check %d/%d on the 5-tuple itself'
                  % (min(by_part['B']), min(by_part['B']) + 1),
                  'STUN (MS-ICE2) on the check frames, RTP / RTCP on the rest'),
        'p2p': ('the answered MS-ICE2 checks %s on the 5-tuple itself (XOR-MAPPED-ADDRESS 0x0020)'
                % ranges(by_part['C'][:4]), 'STUN (MS-ICE2) on the check frames, RTP / RTCP on the rest'),
        'neg': ('nothing', 'UDP data (no RTP/RTCP), although the bytes are RTP-shaped'),
        'fail': ('nothing: the Binding Request of frame %d is never answered' % min(by_part['E']),
                 'STUN on frame %d; UDP data (no RTP) on the rest' % min(by_part['E'])),
    }
    for key in ('turn', 'relay', 'p2p', 'neg', 'fail'):
        fr = [n for n, _, k, _, _, _ in log if k == key]
        L.append('| %s | %s | %s | %s |' % (flow_tuple(flows[key], 'A').replace(' -> ', ' <-> '), ranges(fr),
                                            learn[key][0], learn[key][1]))
    # RTP streams
    L += ['', '### RTP streams (all PT 104 SILK WB, 40-byte payload, seq +1 and timestamp +320 per packet)', '',
          '| SSRC | Part | src -> dst | Frames | seq | timestamp | Expected decode |', '|---|---|---|---|---|---|---|']
    streams = {}
    for n, part, key, frm, obj, dec in log:
        p = obj.inner if isinstance(obj, Noted) else obj
        if isinstance(p, Rtp):
            streams.setdefault(p.st.ssrc, []).append((n, part, key, frm, p, dec))
    for ssrc, pk in streams.items():
        n0, part, key, frm, p0, dec = pk[0]
        L.append('| 0x%08x | %s | %s | %s | %d-%d | %d-%d | %s |'
                 % (ssrc, part, flow_tuple(flows[key], frm), ranges(x[0] for x in pk), p0.seq, pk[-1][4].seq,
                    p0.ts, pk[-1][4].ts, 'RTP' if dec == 'rtp' else 'UDP data (not RTP)'))
    L += ['', '### RTCP packets (compound: SR or RR with one report block, then SDES CNAME; rtcp-mux on the RTP '
          '5-tuple)', '', '| Frame | src -> dst | First packet | Sender SSRC | Report block about | Length fields |',
          '|---|---|---|---|---|---|']
    for n, part, key, frm, obj, dec in log:
        if isinstance(obj, Rtcp):
            kind, pt, length, nbytes, ssrc = obj.first
            L.append('| %d | %s | %s (PT %d) | 0x%08x | 0x%08x (ext. highest seq %d) | %s %d (%d bytes), SDES %d '
                     '(%d bytes) |' % (n, flow_tuple(flows[key], frm), kind, pt, ssrc, obj.rb[0], obj.rb[1], kind,
                                       length, nbytes, obj.sdes[0], obj.sdes[1]))
    kinds = {}
    for n, _, _, _, _, dec in log:
        kinds.setdefault(dec, []).append(n)
    L += ['', '### Frame classes (intended decode)', '',
          '* MS-TURN: %s' % ranges(kinds['ms-turn']),
          '* STUN / MS-ICE2 (direct, not wrapped): %s' % ranges(kinds['stun']),
          '* RTP: %s' % ranges(kinds['rtp']),
          '* RTCP: %s' % ranges(kinds['rtcp']),
          '* UDP data, must NOT be decoded as RTP/RTCP (RTP-shaped bytes on unlearned pairs): %s'
          % ranges(kinds['data'])]
    return L


# ----------------------------------------------------------------------------
# Manifest

def manifest(caps):
    L = ['# msstun test captures - MANIFEST', '',
         'Generated by `captures/gen_msturn.py` (do not edit by hand; regenerate with '
         '`python3 captures/gen_msturn.py`).  Frame numbers are 1-based as in Wireshark.', '',
         'The SRTP captures (srtp-*.pcap, encrypted by libsrtp2) are described in `MANIFEST-srtp.md`, '
         'written by `captures/gen_srtp.py`; the capture taken on a TURN server with both legs of a relayed call '
         '(turn-edge-relay.pcap) in `MANIFEST-edge.md`, written by `captures/gen_turn_edge.py`.', '',
         '## Conventions common to all files', '',
         '* Classic libpcap (magic a1b2c3d4, v2.4, snaplen 65535 unless a file says otherwise, LINKTYPE_ETHERNET). '
         'Frame n has timestamp '
         '2026-01-01 00:00:00 UTC + (n-1) x 20 ms (epoch %d).' % T0,
         '* MACs: client 00:00:5e:00:53:0a, Edge 00:00:5e:00:53:01, router towards the peer 00:00:5e:00:53:fe. '
         'IPv4 only on the wire; all IP/UDP/TCP checksums are correct.',
         '* Addresses: client 10.0.0.10 (reflexive 198.51.100.7), Edge 192.0.2.1 (UDP 3478, TCP 443), '
         'relay 192.0.2.15 / [2001:db8::15], peer 203.0.113.9.',
         '* MS-TURN long-term credentials: USERNAME "%s", REALM "%s", password "%s"; key = MD5(user:realm:pass) '
         '= %s. Every MS-TURN MESSAGE-INTEGRITY is HMAC-SHA256 (32 bytes) with this key (also the Send / SAD / '
         'Data Indication ones, which carry no REALM).' % (TURN_USER.decode(), REALM.decode(), TURN_PASS.decode(),
                                                          TURN_KEY.hex()),
         '* MS-ICE2 short-term credentials: client ufrag "%s" password "%s"; peer ufrag "%s" password "%s". '
         'Requests from the client use USERNAME "%s" and are keyed with the peer password; requests from '
         'the peer use "%s" and the client password; responses use the request\'s key. HMAC-SHA1, 20 bytes.'
         % (CLIENT_UFRAG.decode(), CLIENT_PWD.decode(), PEER_UFRAG.decode(), PEER_PWD.decode(),
            (PEER_UFRAG + b':' + CLIENT_UFRAG).decode(), (CLIENT_UFRAG + b':' + PEER_UFRAG).decode()),
         '* MS-TURN messages: MAGIC-COOKIE first, attributes unpadded; NONCE = 0x0014, REALM = 0x0015. '
         'Allocate/Send/SAD headers carry 0x2112a442 at bytes 4..7; Data Indications (0x0115) and the legacy pair '
         'use a 128-bit transaction ID without cookie. XOR attributes: port ^ bytes 4..5, IPv4 ^ bytes 4..7, '
         'IPv6 ^ bytes 4..19 of the message that contains them. REMOTE-ADDRESS 0x0012, DESTINATION-ADDRESS, '
         'MAPPED-ADDRESS, MS-ALT-MAPPED-ADDRESS and ALTERNATE-SERVER are plain.',
         '* `@N` = byte offset of the attribute header from the start of the STUN message that contains it '
         '(for a message nested in DATA: from the start of that inner message; the inner message / RFC 4571 '
         'frame begins at the outer DATA offset + 4).',
         '* TCP: "seq/ack" are absolute; "relative" values are what Wireshark shows by default (SYN = 0, first data '
         'byte = 1; in the mid-stream file the base is the first seen sequence number - 1). TCP flags are listed '
         'in Wireshark order.',
         '* Known built-in dissector disagreements (expected, not capture errors): Wireshark 4.0 labels '
         'BANDWIDTH-RSV-AMOUNT offset 0/4/8/12 as Max Send / Min Send / Max Receive / Min Receive; these captures '
         'follow the MS-TURNBWM 2.2.3 figure order MinSend, MaxSend, MinRecv, MaxRecv. It shows the 32-byte '
         'MESSAGE-INTEGRITY as "HMAC-SHA1", does not know the legacy CRC table, and (in RFC 5389 mode) mis-walks '
         'unpadded attributes.',
         '* Inner MS-ICE2 messages (in DATA or direct) are RFC 5389 with padded attributes unless stated.',
         '* RTP PT 104 = SILK WB (16 kHz clock, +320 per 20 ms), PT 0/8 (8 kHz, +160). Payload bytes are opaque '
         '(SHA-256 derived). Every RTCP packet is compound: SR or RR with one report block, then SDES CNAME.',
         '']
    for cap in caps:
        L += ['## %s' % cap.name, '', cap.title + '. %d frames.' % len(cap.frames), '']
        if getattr(cap, 'overview', None):
            L += cap.overview + ['', '### Frames', '']
        L += ['| Frame | Summary |', '|---|---|']
        for i, (_, s, _) in enumerate(cap.frames):
            L.append('| %d | %s |' % (i + 1, s.replace('|', '/')))
        L.append('')
        for i, (_, s, lines) in enumerate(cap.frames):
            L.append('### %s frame %d - %s' % (cap.name, i + 1, s))
            L.append('')
            L.append('```')
            L.extend(lines)
            L.append('```')
            L.append('')
    return '\n'.join(L) + '\n'


# ----------------------------------------------------------------------------
# Independent verification of the written files

def verify_stun(buf, ctx, found):
    """Verify one STUN-format message: length, walk, MI, FP, XOR; recurse into DATA."""
    assert len(buf) >= 20 and buf[0] & 0xC0 == 0, ctx
    mtype, ln = struct.unpack('!HH', buf[:4])
    assert 20 + ln == len(buf), ctx
    key = buf[4:20]
    msg = next((m for m in REGISTRY if m.raw == buf), None)
    assert msg is not None, 'unregistered message in ' + ctx
    found.add(id(msg))

    def walk(padded):
        pos, out = 20, []
        while pos < len(buf):
            if pos + 4 > len(buf):
                return None
            t, l = struct.unpack('!HH', buf[pos:pos + 4])
            if pos + 4 + l > len(buf):
                return None
            out.append((pos, t, buf[pos + 4:pos + 4 + l]))
            pos += 4 + l + ((-l % 4) if padded else 0)
        return out if pos == len(buf) else None
    attrs = walk(msg.padded)
    assert attrs is not None, ctx
    if msg.dialect == 'ms-turn':
        assert attrs[0][1] == 0x000F and attrs[0][2] == struct.pack('!I', MS_MAGIC), ctx
    exp = [(off, a) for off, a, _ in msg.layout]
    for pos, t, v in attrs:
        if t == 0x0008:
            pre = bytearray(buf[:pos])
            pre[2:4] = struct.pack('!H', pos + 4 + len(v) - 20)
            ok = [k for k in ALL_KEYS if k.size == len(v) and
                  hmac.compare_digest(hmac.new(k.key, bytes(pre), k.alg).digest(), v)]
            assert ok == [msg.mi], ctx
        elif t == 0x8028:
            pre = bytearray(buf[:pos])
            pre[2:4] = struct.pack('!H', pos + 8 - 20)
            val = struct.unpack('!I', v)[0]
            std = (zlib.crc32(bytes(pre)) & 0xFFFFFFFF) ^ FP_XOR
            leg = crc32_legacy(bytes(pre)) ^ FP_XOR
            status = 'std' if val == std else 'legacy' if val == leg else 'bad'
            assert status == msg.fp, ctx
        else:
            a = dict(exp)[pos]
            assert a.type == t, ctx
            if t in (0x0020, 0x8020, 0x8059, 0x805A, 0x805B, 0x805C):
                fam = v[1]
                n = 4 if fam == 1 else 16
                port = struct.unpack('!H', v[2:4])[0] ^ struct.unpack('!H', key[0:2])[0]
                ip = ipaddress.ip_address(bytes(x ^ y for x, y in zip(v[4:4 + n], key[:n])))
                assert (ip, port) == (ipaddress.ip_address(a.ip), a.port), ctx
            elif t in (0x0001, 0x0011, 0x0012, 0x000E, 0x8090):
                n = 4 if v[1] == 1 else 16
                assert (ipaddress.ip_address(v[4:4 + n]), struct.unpack('!H', v[2:4])[0]) == \
                       (ipaddress.ip_address(a.ip), a.port), ctx
            elif t == 0x0013:
                verify_payload(v, ctx + ' DATA', found, tcp=ctx.startswith('tcp'))
    return msg


def verify_media(p, ctx):
    assert p[0] >> 6 == 2, ctx
    if 192 <= p[1] <= 223:
        pos = 0
        while pos < len(p):
            assert p[pos] >> 6 == 2, ctx
            pos += (struct.unpack('!H', p[pos + 2:pos + 4])[0] + 1) * 4
        assert pos == len(p), ctx + ' RTCP length'


def verify_payload(p, ctx, found, tcp=False):
    if tcp:   # RFC 4571 framed
        assert struct.unpack('!H', p[:2])[0] == len(p) - 2, ctx
        p = p[2:]
    if p[:2] == b'\xff\x10':
        assert struct.unpack('!H', p[2:4])[0] == len(p) - 4, ctx
        return verify_payload(p[12:], ctx + ' MTURN', found)
    if p[0] & 0xC0 == 0:
        return verify_stun(p, ctx, found)
    verify_media(p, ctx)


def verify_snapped(data, full, snaplen):
    """A short-snaplen file: every record is the first snaplen bytes of the frame of the whole build."""
    short, whole = read_pcap(data, snaplen), read_pcap(full)
    assert len(short) == len(whole)
    for (ts, f, orig), (wts, wf, worig) in zip(short, whole):
        assert ts == wts and orig == worig == len(wf) and f == wf[:snaplen]


def verify_file(name, data, found):
    frames = read_pcap(data)
    streams = {}
    for i, ((ts, tu), f, _) in enumerate(frames):
        assert ts * 1000000 + tu == T0 * 1000000 + i * STEP_US
        ctx = '%s frame %d' % (name, i + 1)
        assert f[12:14] == b'\x08\x00', ctx
        ip = f[14:]
        assert ip[0] == 0x45 and csum(ip[:20]) == 0, ctx
        tot = struct.unpack('!H', ip[2:4])[0]
        assert tot == len(ip), ctx
        src, dst, proto = ip[12:16], ip[16:20], ip[9]
        seg = ip[20:]
        ph = src + dst + struct.pack('!BBH', 0, proto, len(seg))
        assert csum(ph + seg) == 0, ctx + ' L4 checksum'
        if proto == 17:
            assert struct.unpack('!H', seg[4:6])[0] == len(seg)
            verify_payload(seg[8:], 'udp ' + ctx, found)
        else:
            assert proto == 6
            sport, dport, seq, ack, off, flags = struct.unpack('!HHIIBB', seg[:14])
            payload = seg[(off >> 4) * 4:]
            k = (src, sport, dst, dport)
            st = streams.setdefault(k, {'next': None, 'buf': b'', 'pdus': [], 'first': True, 'inner': b''})
            if st['next'] is not None:
                assert seq == st['next'], ctx + ' seq continuity'
            st['next'] = (seq + len(payload) + (1 if flags & 3 else 0)) & 0xFFFFFFFF
            rk = (dst, dport, src, sport)
            if flags & 0x10 and rk in streams and streams[rk]['next'] is not None:
                assert ack == streams[rk]['next'], ctx + ' ack'
            st['buf'] += payload
            # pseudo-TLS at the start of a stream
            if st['first'] and st['buf'][:1] == b'\x16':
                if len(st['buf']) < 5:
                    continue
                need = 5 + struct.unpack('!H', st['buf'][3:5])[0]
                if len(st['buf']) >= need:
                    rec = st['buf'][:need]
                    assert rec in (CLIENT_HELLO,) or (len(rec) == 83 and rec.endswith(b'\x0e\x00\x00\x00')), ctx
                    st['buf'] = st['buf'][need:]
                    st['first'] = False
                else:
                    continue
            if payload:
                st['first'] = False
            if dport in RFC5766_TCP_PORTS or sport in RFC5766_TCP_PORTS:
                # RFC 5766 11.5: STUN messages and ChannelData (padded to 4) back to back.
                while len(st['buf']) >= 4:
                    first, l = struct.unpack('!HH', st['buf'][:4])
                    if 0x4000 <= first <= 0x7FFF:
                        need = 4 + l + (-l % 4)
                        if len(st['buf']) < need:
                            break
                        assert st['buf'][4 + l:need] == b'\0' * (-l % 4), ctx + ' ChannelData padding'
                        verify_media(st['buf'][4:4 + l], 'tcp ' + ctx)
                    else:
                        need = 20 + l
                        if len(st['buf']) < need:
                            break
                        verify_stun(st['buf'][:need], 'tcp ' + ctx, found)
                    st['buf'] = st['buf'][need:]
                continue
            while len(st['buf']) >= 4:
                t, r, l = struct.unpack('!BBH', st['buf'][:4])
                assert t in (2, 3) and r == 0, ctx
                hl = 4
                if sport in LENGTHLESS_CLIENTS:   # "03 00" + message, no Length (libnice 0.1.21)
                    assert t == 3, ctx
                    if len(st['buf']) < 6:
                        break
                    hl, l, t = 2, 20 + struct.unpack('!H', st['buf'][4:6])[0], 2
                if len(st['buf']) < hl + l:
                    break
                body, st['buf'] = st['buf'][hl:hl + l], st['buf'][hl + l:]
                if t == 2:
                    m = verify_stun(body, 'tcp ' + ctx, found)
                    assert m.dialect == 'ms-turn'
                else:
                    st['inner'] += body
                    while len(st['inner']) >= 2:
                        il = struct.unpack('!H', st['inner'][:2])[0]
                        if len(st['inner']) < 2 + il:
                            break
                        verify_media(st['inner'][2:2 + il], 'tcp ' + ctx)
                        st['inner'] = st['inner'][2 + il:]
    for st in streams.values():
        assert st['buf'] == b'' and st['inner'] == b'', name + ' leftover stream bytes'


def stun_addrs(buf, out):
    """Independent walk of one STUN-format message: collect (type, ip, port) of every address attribute,
    recursing into DATA.  MS-TURN (MAGIC-COOKIE first) is unpadded, MS-ICE2 here is padded."""
    key = buf[4:20]
    padded = buf[20:24] != b'\x00\x0f\x00\x04'
    pos = 20
    while pos < len(buf):
        t, l = struct.unpack('!HH', buf[pos:pos + 4])
        v = buf[pos + 4:pos + 4 + l]
        if t in (0x0001, 0x000E, 0x0011, 0x0012, 0x8090, 0x0020, 0x8020):
            n = 4 if v[1] == 1 else 16
            port = struct.unpack('!H', v[2:4])[0]
            raw = v[4:4 + n]
            if t in (0x0020, 0x8020):
                port ^= struct.unpack('!H', key[:2])[0]
                raw = bytes(x ^ y for x, y in zip(raw, key))
            out.append((struct.unpack('!H', buf[:2])[0], t, str(ipaddress.ip_address(raw)), port))
        elif t == 0x0013 and v[0] & 0xC0 == 0:
            stun_addrs(v, out)
        pos += 4 + l + ((-l % 4) if padded else 0)
    assert pos == len(buf)
    return out


def verify_learning(data):
    """Checks specific to msturn-learning.pcap, from the bytes on disk: frame classes, the relayed copies,
    RTP continuity, RTCP counters / report blocks, and that the learning rules give exactly the intended
    RTP/RTCP 5-tuples (learned: MAPPED-ADDRESS x DESTINATION/REMOTE-ADDRESS, and answered Binding checks)."""
    E = LEARN_EXPECT
    frames = read_pcap(data)
    assert len(frames) == E['nframes']
    pk = []
    for i, ((ts, tu), f, _) in enumerate(frames, 1):
        ip = f[14:]
        assert ip[9] == 17
        sport, dport = struct.unpack('!HH', ip[20:24])
        src = (str(ipaddress.ip_address(ip[12:16])), sport)
        dst = (str(ipaddress.ip_address(ip[16:20])), dport)
        p = ip[28:]
        if p[0] & 0xC0 == 0 and len(p) >= 20 and 20 + struct.unpack('!H', p[2:4])[0] == len(p):
            shape = 'stun'
        elif p[0] >> 6 == 2 and 200 <= p[1] <= 204:
            shape = 'rtcp'
        else:
            assert p[0] >> 6 == 2
            shape = 'rtp'
        pk.append((i, ts * 1000000 + tu, src, dst, p, shape))
    dec = E['decode']
    for i, _, src, dst, p, shape in pk:
        d = dec[i]
        assert shape == {'ms-turn': 'stun', 'stun': 'stun', 'rtp': 'rtp', 'rtcp': 'rtcp', 'data': 'rtp'}[d], i
        assert (d == 'ms-turn') == (3478 in (src[1], dst[1])), i
    # the relayed check: external copies are byte-identical to the DATA of the Send / Data Indication
    def data_attr(buf):
        pos = 20
        while pos < len(buf):
            t, l = struct.unpack('!HH', buf[pos:pos + 4])
            if t == 0x0013:
                return buf[pos + 4:pos + 4 + l]
            pos += 4 + l
    P = {i: p for i, _, _, _, p, _ in pk}
    assert data_attr(P[E['send_frame']]) == P[E['fwd_req_frame']]
    assert data_attr(P[E['fwd_resp_frame'] + 1]) == P[E['fwd_resp_frame']]
    # learning rules applied to the file
    relays, peers, validated, tids = set(), set(), set(), {}
    for i, _, src, dst, p, shape in pk:
        if shape != 'stun':
            continue
        tids.setdefault(p[4:20], []).append((i, src, dst, struct.unpack('!H', p[:2])[0]))
        for mtype, t, a, port in stun_addrs(p, []):
            assert port not in (50020, 50030, 55000, 56000), i
            if (mtype, t) == (0x0103, 0x0001):
                relays.add((a, port))
            elif (mtype, t) in ((0x0004, 0x0011), (0x0006, 0x0011), (0x0115, 0x0012)):
                peers.add((a, port))
    for lst in tids.values():
        for (i, s, d, t), (j, s2, d2, t2) in zip(lst, lst[1:]):
            if t == 0x0001 and t2 == 0x0101 and (s2, d2) == (d, s):
                validated.add(frozenset((s, d)))
                # XOR-MAPPED-ADDRESS 0x0020 of the response = source of the request
                assert [(a, port) for _, ty, a, port in stun_addrs(P[j], []) if ty == 0x0020] == [s], j
    assert len(tids[E['fail_tid']]) == 1 and b''.join(P.values()).count(E['fail_tid']) == 1
    learned = validated | {frozenset((r, q)) for r in relays for q in peers}
    for i, _, src, dst, p, shape in pk:
        if dec[i] in ('rtp', 'rtcp'):
            assert frozenset((src, dst)) in learned, i
        elif dec[i] == 'data':
            assert frozenset((src, dst)) not in learned, i
    # RTP continuity and RTCP consistency
    st, last_sr = {}, {}
    for i, t_us, src, dst, p, shape in pk:
        if shape == 'rtp':
            v, m_pt, seq, ts, ssrc = struct.unpack('!BBHII', p[:12])
            assert v == 0x80 and m_pt & 0x7F == E['rtp_pt'] and len(p) == 12 + E['rtp_payload'], i
            s = st.get(ssrc)
            if s is None:
                assert all(x['dir'] != (src, dst) for x in st.values()), 'one SSRC per direction'
                s = st[ssrc] = {'dir': (src, dst), 'n': 0, 'seq': None, 'ts': None}
            else:
                assert s['dir'] == (src, dst), i
                assert seq == (s['seq'] + 1) & 0xFFFF and ts == (s['ts'] + E['rtp_step']) & 0xFFFFFFFF, i
            s['n'] += 1
            s['seq'], s['ts'] = seq, ts
        elif shape == 'rtcp':
            verify_media(p, 'learning frame %d' % i)
            hdr, pt, ln, ssrc = struct.unpack('!BBHI', p[:8])
            first = p[:(ln + 1) * 4]
            s = st.get(ssrc, {'n': 0, 'dir': (src, dst)})
            assert s['dir'] == (src, dst), i
            if pt == 200:
                ntp_s, ntp_f, rts, pc, oc = struct.unpack('!IIIII', first[8:28])
                assert (ntp_s, ntp_f) == ntp64(t_us) and pc == s['n'] and oc == s['n'] * E['rtp_payload'], i
                last_sr[ssrc] = (((ntp_s & 0xFFFF) << 16) | (ntp_f >> 16), t_us)
                rb = first[28:]
            else:
                assert pt == 201 and s['n'] == 0, 'RR only from a participant that has not sent RTP'
                rb = first[8:]
            assert hdr & 0x1F == 1 and len(rb) == 24, i
            about, fl, ext, jit, lsr, dlsr = struct.unpack('!IIIIII', rb)
            assert st[about]['dir'] == (dst, src) and ext == st[about]['seq'] and fl == 0, i
            if about in last_sr:
                assert lsr == last_sr[about][0] and dlsr == ((t_us - last_sr[about][1]) * 65536) // 1000000, i
            else:
                assert lsr == dlsr == 0, i
            sdes = p[len(first):]
            assert sdes[0] == 0x81 and sdes[1] == 202 and struct.unpack('!I', sdes[4:8])[0] == ssrc
            assert sdes[8] == 1 and sdes[10:10 + sdes[9]].endswith(b'@msstun.example')
    assert len(st) == 8 and len({s['dir'] for s in st.values()}) == 8


WHOLE = {}   # name -> (the file with every frame whole, its snaplen) for the short-snaplen captures


def build_all():
    REGISTRY.clear()
    caps = [build_udp3478(), build_ice2(), build_tcp443(), build_tcp443_mid(), build_learning(),
            build_tcp443_split(), build_snaplen60(), build_teams(), build_tcp3478_mid()]
    files = {c.name: c.pcap() for c in caps}
    WHOLE.clear()
    WHOLE.update({c.name: (c.pcap(65535), c.snaplen) for c in caps if c.snaplen != 65535})
    files['MANIFEST.md'] = manifest(caps).encode()
    return files


def verify_all(files):
    found = set()
    for name, data in files.items():
        if name in WHOLE:
            full, snaplen = WHOLE[name]
            verify_snapped(data, full, snaplen)
            verify_file(name, full, found)
        elif name.endswith('.pcap'):
            verify_file(name, data, found)
    if 'msturn-learning.pcap' in files:
        verify_learning(files['msturn-learning.pcap'])
    missing = [m for m in REGISTRY if id(m) not in found]
    assert not missing, 'messages built but not found in any file: %d' % len(missing)
    # reference section 7 sanity: RFC 5769 2.1 fingerprint, MS-TURN XOR-port example
    v = bytes.fromhex('000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e'
                      '0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2'
                      'b5b2d3f249c1b571a280280004e57a3bcf')
    assert crc32_std(v[:-8]) ^ FP_XOR == 0xE57A3BCF
    assert hmac.new(b'VOkJxbRl1RmTxUk/WvJxBt', v[:-8][:2] + struct.pack('!H', 0x58 - 8) + v[4:-32], 'sha1') \
        .digest() == v[-28:-8]
    assert 0x1122 ^ 0x4455 == 0x5577
    return len(REGISTRY)


def main(argv):
    check = '--check' in argv
    args = [a for a in argv if a != '--check']
    outdir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    files = build_all()
    if check:
        for name, data in files.items():
            with open(os.path.join(outdir, name), 'rb') as f:
                disk = f.read()
            assert disk == data, '%s differs from a fresh build' % name
        n = verify_all({k: open(os.path.join(outdir, k), 'rb').read() for k in files})
        print('check OK: %d files identical to a fresh build; %d STUN/MS-TURN messages verified' % (len(files), n))
        return 0
    os.makedirs(outdir, exist_ok=True)
    n = verify_all(files)
    for name, data in files.items():
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)
    for name in sorted(files):
        print('%-32s %7d bytes  sha256 %s' % (name, len(files[name]), hashlib.sha256(files[name]).hexdigest()[:16]))
    print('verified %d STUN/MS-TURN messages' % n)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
