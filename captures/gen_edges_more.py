#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_edges_more.py - the edge cases of issue 26 items 10, 11 and 14, made at
test time by test/suite_edges_more.py.

Usage:  python3 gen_edges_more.py OUTDIR

Every message is built by captures/lib (MS-TURN messages with
MESSAGE-INTEGRITY, RTP and RTCP by RFC 3550); every SRTCP packet is
protected by libsrtp2 (captures/lib/srtp.py, RFC 3711) under
AES_CM_128_HMAC_SHA1_80 without MKI: index and E flag, then a 10-byte tag.
One UDP 5-tuple, client 10.0.0.10:50000 <-> Edge 192.0.2.1:3478.

  sad_media()        14: Set Active Destination request (1) and success (2),
                     then media on the 5-tuple: RTP client ->
                     Edge (3), RTP Edge -> client (4), RTP in 0xFF10
                     multiplexed TURN (5).
  srtcp_first()      14: as sad_media(), SRTCP on the 5-tuple before RTP.
  srtcp_cases()      10: (1) SRTCP, E set, SR + SDES; (2) SRTCP with E clear
                     (libsrtp's authentication-only policy, RFC 3711 3.4), RR +
                     SDES; (3) as 2 with the SDES CNAME length 255 (the item
                     runs past the packet); (4) as 1 with the SR length
                     counting the index too (it runs past the index); (5) an
                     RR without report blocks under AES_CM_128_HMAC_SHA1_32,
                     16 bytes, shorter than the 80-bit suite's trailer.
  sdp_throws()       11: a SIP call over UDP whose INVITE's plain
                     application/sdp body holds a key, then a c= line with no
                     address (Wireshark's SDP code throws there), its 200 OK
                     with a well-formed answer, its ACK, then SRTP each way
                     under the key of the sender's SDP.
  sdp_throws_tcp()   11: that INVITE over TCP in two segments, then the
                     caller's SRTP.
  sdp_throws_many(n) 11: n such INVITEs, each with 120 extension headers
                     (made by the cost test, not by main()).
"""

import base64
import ctypes
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lib.base import H  # noqa: E402
from lib.capture import Blob, Capture, TcpFlow, UdpFlow, udp_exchange  # noqa: E402
from lib.cli import write_files  # noqa: E402
from lib.net import ACK, MAC_CLIENT, MAC_EDGE, PSH, Host, udp_frame  # noqa: E402
from lib.sip import media_sdp, sip_call  # noqa: E402
from lib.rtp import packet as rtp_packet, receiver_report, report_block, rtcp_header, sdes_cname, sender_report  # noqa: E402
from lib.srtp import LIB, Policy, Ssrc, SSRC_ANY_OUTBOUND, SrtpSender  # noqa: E402
from lib.stun import (MI_TURN, TURN_USER, Msg, Stun, a_addr, a_magic, a_seqnum, a_str, cookie_tid,  # noqa: E402
                      ice_request, ice_response, mturn, prio)

CLIENT = Host('10.0.0.10', MAC_CLIENT, 128, 0x2400)
EDGE = Host('192.0.2.1', MAC_EDGE, 128, 0x3400)
CLIENT_PORT, TURN_PORT = 50000, 3478
PEER = ('203.0.113.9', 50012)
CLIENT_SSRC, EDGE_SSRC = 0x0E0D0001, 0x0E0D0002
CNAME = b'client@msstun.example'
SRTCP_KEY = H('edges-more-srtcp-key', 30)
SRTCP_TRAILER = 4 + 10        # E flag and index, 80-bit tag (RFC 3711 3.4)
T0_US = 1700000000 * 1000000


def capture(frames, title):
    """frames: (from client, payload) on the 5-tuple; a pcap file's bytes."""
    return udp_exchange('edges-more', title, CLIENT, CLIENT_PORT, EDGE,
                        [(from_client, TURN_PORT, payload) for from_client, payload in frames])


def rtp(ssrc, seq):
    """RTP (RFC 3550 5.1), PT 0 (PCMU), 160 bytes of u-law silence."""
    return rtp_packet(0, seq, seq * 160, ssrc, b'\xff' * 160)


# 14: media after Set Active Destination

MTURN_SESSION = H('edges-more-mturn-session', 8)


def sad_media():
    connid = H('edges-more-connid', 20)
    req = Msg(0x0006, cookie_tid('edges-more-sad'),
              [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 1),
               a_addr(0x0011, 'DESTINATION-ADDRESS', *PEER)], 'ms-turn', MI_TURN)
    resp = Msg(0x0106, req.tid, [a_magic()], 'ms-turn', MI_TURN)
    return capture([(True, req.raw), (False, resp.raw), (True, rtp(CLIENT_SSRC, 100)),
                    (False, rtp(EDGE_SSRC, 500)), (True, mturn(MTURN_SESSION, rtp(CLIENT_SSRC, 101)))],
                   'media after Set Active Destination')


def srtcp_first():
    """14, SRTCP before RTP: Set Active Destination request (1) and success
    (2), then on the 5-tuple SRTCP from the client (3, libsrtp2, no key in
    the capture), RTP client -> Edge (4), Edge -> client (5), SRTCP from the
    Edge (6), RTP client -> Edge (7)."""
    connid = H('edges-more-connid-srtcp', 20)
    req = Msg(0x0006, cookie_tid('edges-more-sad-srtcp'),
              [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 1),
               a_addr(0x0011, 'DESTINATION-ADDRESS', *PEER)], 'ms-turn', MI_TURN)
    resp = Msg(0x0106, req.tid, [a_magic()], 'ms-turn', MI_TURN)
    client_rtcp = SrtpSender(SRTCP_KEY).rtcp(sr_sdes())
    edge_sr, _, _ = sender_report(EDGE_SSRC, T0_US, 32000, 100, 16000, report_block(CLIENT_SSRC, 100, 12))
    edge_rtcp = SrtpSender(H('edges-more-srtcp-edge-key', 30)).rtcp(edge_sr + sdes_cname(EDGE_SSRC, CNAME))
    return capture([(True, req.raw), (False, resp.raw), (True, client_rtcp), (True, rtp(CLIENT_SSRC, 100)),
                    (False, rtp(EDGE_SSRC, 500)), (False, edge_rtcp), (True, rtp(CLIENT_SSRC, 101))],
                   'SRTCP before RTP after Set Active Destination')


# 10: SRTCP whose clear part is malformed

class RtcpPolicySender(SrtpSender):
    """libsrtp2 with an SRTCP policy of one's own: set_policy, a libsrtp
    srtp_crypto_policy_set_* function name, and sec_serv (srtp2/srtp.h
    srtp_sec_serv_t: 2 authentication only, the E flag then clear and the
    compound readable, 3 both, RFC 3711 3.4)."""

    def __init__(self, key_salt, set_policy, sec_serv):     # pylint: disable=super-init-not-called
        self.key_salt, self.suite, self.mki, self.mki_len = key_salt, 80, None, 0
        self._buf_key = ctypes.create_string_buffer(key_salt, 30)
        p = Policy()
        LIB.srtp_crypto_policy_set_rtp_default(ctypes.byref(p.rtp))
        getattr(LIB, set_policy)(ctypes.byref(p.rtcp))
        p.rtcp.sec_serv = sec_serv
        p.ssrc = Ssrc(SSRC_ANY_OUTBOUND, 0)
        p.window_size = 128
        p.key = ctypes.cast(self._buf_key, ctypes.c_char_p)
        self._policy = p
        self.ctx = ctypes.c_void_p()
        assert LIB.srtp_create(ctypes.byref(self.ctx), ctypes.byref(p)) == 0


def sr_sdes():
    sr, _, _ = sender_report(CLIENT_SSRC, T0_US, 16000, 100, 16000, report_block(EDGE_SSRC, 500, 12))
    return sr + sdes_cname(CLIENT_SSRC, CNAME)


def rr_sdes():
    return receiver_report(CLIENT_SSRC, report_block(EDGE_SSRC, 501, 12)) + sdes_cname(CLIENT_SSRC, CNAME)


def srtcp_cases():
    sender = SrtpSender(SRTCP_KEY)
    encrypted = sender.rtcp(sr_sdes())
    clear = RtcpPolicySender(SRTCP_KEY, 'srtp_crypto_policy_set_rtcp_default', 2).rtcp(rr_sdes())
    assert clear[:len(rr_sdes())] == rr_sdes() and not clear[-SRTCP_TRAILER] & 0x80
    assert encrypted[-SRTCP_TRAILER] & 0x80
    # 3: the CNAME item's length (RR 32 bytes, SDES header 4, SSRC 4, type 1) set to 255.
    cname_length = 32 + 4 + 4 + 1
    assert clear[cname_length] == len(CNAME)
    bad_item = clear[:cname_length] + b'\xff' + clear[cname_length + 1:]
    # 4: the SR's length counts the index too; the packet otherwise libsrtp's.
    second = sender.rtcp(sr_sdes())
    index_offset = len(second) - SRTCP_TRAILER
    long_sr = second[:2] + struct.pack('!H', (index_offset + 4) // 4 - 1) + second[4:]
    # 5: an RR without report blocks under a 32-bit tag: 16 bytes.
    short = RtcpPolicySender(SRTCP_KEY, 'srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32', 3).rtcp(
        rtcp_header(201, 0, struct.pack('!I', CLIENT_SSRC)))
    assert len(short) == 16
    return capture([(True, encrypted), (True, clear), (True, bad_item), (True, long_sr), (True, short)],
                   'SRTCP clear parts')


# 11: plain SDP that makes Wireshark's SDP dissector throw

SDP_KEY = H('edges-more-sdp-key', 30)
ANSWER_KEY = H('edges-more-answer-key', 30)
CALLEE = Host('10.0.0.20', MAC_EDGE, 128, 0x3500)
OFFER_MEDIA = (CLIENT.ip, 30000)
ANSWER_MEDIA = (CALLEE.ip, 40000)
SDP_SSRC, ANSWER_SSRC = 0x0E0D0011, 0x0E0D0012


def throwing_offer():
    """The caller's offer: an audio section with its key, then a c= line
    without an address (RFC 4566 5.7 requires one; Wireshark's SDP
    dissector throws there)."""
    key = base64.b64encode(SDP_KEY).decode()
    return ('v=0\r\n'
            'o=- 1 1 IN IP4 %s\r\n'
            's=edges\r\n'
            't=0 0\r\n'
            'm=audio %d RTP/SAVP 0\r\n'
            'c=IN IP4 %s\r\n'
            'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n'
            'a=rtpmap:0 PCMU/8000\r\n'
            'c=IN IP4 \r\n' % (OFFER_MEDIA[0], OFFER_MEDIA[1], OFFER_MEDIA[0], key))


def answer():
    key = base64.b64encode(ANSWER_KEY).decode()
    return ('v=0\r\n'
            'o=- 2 1 IN IP4 %s\r\n'
            's=edges\r\n'
            'c=IN IP4 %s\r\n'
            't=0 0\r\n'
            'm=audio %d RTP/SAVP 0\r\n'
            'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n'
            'a=rtpmap:0 PCMU/8000\r\n' % (ANSWER_MEDIA[0], ANSWER_MEDIA[0], ANSWER_MEDIA[1], key))


def sdp_throws():
    """INVITE with the throwing offer (1), 200 OK with a well-formed answer
    (2), ACK (3); SRTP from the caller under the offer's key (4), from the
    callee under the answer's (5) (RFC 4568 6.1: each side sends with the
    key of its own SDP)."""
    invite, ok, ack = sip_call('edges-more-1@10.0.0.10', 'alice', 'bob', CLIENT.ip, CALLEE.ip,
                               throwing_offer(), answer(), 'edges', 'edges')
    cap = Capture('edges-more', 'SDP that throws')
    for src, dst, payload in ((CLIENT, CALLEE, invite), (CALLEE, CLIENT, ok), (CLIENT, CALLEE, ack)):
        cap.add(udp_frame(src, 5060, dst, 5060, payload, src.mac, dst.mac), '', [])
    cap.add(udp_frame(CLIENT, OFFER_MEDIA[1], CALLEE, ANSWER_MEDIA[1], SrtpSender(SDP_KEY).rtp(rtp(SDP_SSRC, 7)),
                      CLIENT.mac, CALLEE.mac), '', [])
    cap.add(udp_frame(CALLEE, ANSWER_MEDIA[1], CLIENT, OFFER_MEDIA[1],
                      SrtpSender(ANSWER_KEY).rtp(rtp(ANSWER_SSRC, 9)), CALLEE.mac, CLIENT.mac), '', [])
    return cap.pcap()


def sdp_throws_tcp():
    """The INVITE of sdp_throws() over TCP (RFC 3261 18.3), its bytes in two
    segments (4, 6: SIP's body is then in Wireshark's reassembled TCP data),
    each acknowledged; then the caller's SRTP (8)."""
    invite, _, _ = sip_call('edges-more-2@10.0.0.10', 'alice', 'bob', CLIENT.ip, CALLEE.ip,
                            throwing_offer(), answer(), 'edgestcp', 'edgestcp')
    invite = invite.replace(b'SIP/2.0/UDP', b'SIP/2.0/TCP').replace(b'transport=udp', b'transport=tcp')
    cap = Capture('edges-more', 'SDP that throws, over TCP')
    flow = TcpFlow(cap, CLIENT, 50600, CLIENT.mac, CALLEE, 5060, CALLEE.mac, 0x5d1e0001, 0x5d1e8001, 64240, 65535)
    flow.handshake()
    half = len(invite) // 2
    for part in (invite[:half], invite[half:]):
        flow.seg('A', PSH | ACK, part)
        flow.seg('B', ACK)
    cap.add(udp_frame(CLIENT, OFFER_MEDIA[1], CALLEE, ANSWER_MEDIA[1], SrtpSender(SDP_KEY).rtp(rtp(SDP_SSRC, 7)),
                      CLIENT.mac, CALLEE.mac), '', [])
    return cap.pcap()


def sdp_throws_many(n, padding=120):
    """n INVITEs over UDP, each with padding extension headers (RFC 3261
    7.3) and the throwing offer: every frame's bytes are read again after
    SIP threw (a cost test)."""
    cap = Capture('edges-more', 'SDP that throws, %d times' % n)
    for i in range(n):
        invite, _, _ = sip_call('edges-more-many-%d@10.0.0.10' % i, 'alice', 'bob', CLIENT.ip, CALLEE.ip,
                                throwing_offer(), answer(), 'many%d' % i, 'many%d' % i)
        head, body = invite.split(b'\r\n\r\n', 1)
        pad = b''.join(b'X-Edges-Pad-%d: %s\r\n' % (j, b'p' * 20) for j in range(padding))
        invite = head + b'\r\n' + pad + b'\r\n' + body
        cap.add(udp_frame(CLIENT, 5060, CALLEE, 5060, invite, CLIENT.mac, CALLEE.mac), '', [])
    return cap.pcap()


# A SIP call's dynamic payload type on a 5-tuple the ICE checks also teach

SILK_PT = 103


def sdp_ice_silk():
    """INVITE (1), 200 OK (2) and ACK (3) that map payload type 103 to
    SILK/16000; an ICE check on the media 5-tuple, request (4) and success
    (5), which MSSTUN learns the 5-tuple from; then RTP of type 103 each way
    (6, 7), 20 ms of SILK at 16 kHz apart (320 timestamp units)."""
    invite, ok, ack = sip_call('edges-more-silk@10.0.0.10', 'alice', 'bob', CLIENT.ip, CALLEE.ip,
                               media_sdp(CLIENT.ip, OFFER_MEDIA[1], 1, SILK_PT, 'SILK/16000'),
                               media_sdp(CALLEE.ip, ANSWER_MEDIA[1], 2, SILK_PT, 'SILK/16000'),
                               'silk', 'silk')
    cap = Capture('edges-more', 'SILK offered in SDP, its 5-tuple checked by ICE')
    for src, dst, payload in ((CLIENT, CALLEE, invite), (CALLEE, CLIENT, ok), (CLIENT, CALLEE, ack)):
        cap.add(udp_frame(src, 5060, dst, 5060, payload, src.mac, dst.mac), '', [])
    media = UdpFlow(cap, CLIENT, OFFER_MEDIA[1], CLIENT.mac, CALLEE, ANSWER_MEDIA[1], CALLEE.mac)
    check = ice_request('edges-silk-check', True, prio(126, 65535), 0x5113A0C0FFEE0001, True, b'1', use_cand=True)
    media.send('A', Stun(check), 'Binding Request')
    media.send('B', Stun(ice_response(check, CLIENT.ip, OFFER_MEDIA[1])), 'Binding Success Response')
    media.send('A', Blob(rtp_packet(SILK_PT, 1000, 32000, SDP_SSRC, b'\x5a' * 60, True), []), 'RTP')
    media.send('B', Blob(rtp_packet(SILK_PT, 2000, 64000, ANSWER_SSRC, b'\xa5' * 60, True), []), 'RTP')
    return cap.pcap()


BUILDS = {'edges-sad-media.pcap': sad_media, 'edges-srtcp-first.pcap': srtcp_first, 'edges-srtcp-clear.pcap': srtcp_cases,
          'edges-sdp-throws.pcap': sdp_throws, 'edges-sdp-throws-tcp.pcap': sdp_throws_tcp,
          'edges-sdp-ice-silk.pcap': sdp_ice_silk}


def main(argv):
    if len(argv) != 2:
        print('usage: %s OUTDIR' % os.path.basename(argv[0]), file=sys.stderr)
        return 2
    write_files(argv[1], {name: build() for name, build in BUILDS.items()})
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
