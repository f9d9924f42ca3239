#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_hostile_learning.py - crafted captures for the SDP claims and the port
learner (issue 25, cases 9 and 11), at a size n of the caller's choice.

Usage:  python3 gen_hostile_learning.py CASE N OUT.pcap
        CASE: sdp | peers | reinvite | newcall

  sdp    N SIP INVITE requests over UDP (RFC 3261 7.1 and 8.1.1: Via with an
         RFC 3261 branch, Max-Forwards, To, From with a tag, Call-ID, CSeq,
         Contact, Content-Type, Content-Length) from 10.1.0.1:5060 to
         10.2.0.1:5060, each a new call whose SDP body (RFC 4566: v, o, s,
         c, t, m, a=rtpmap) offers one RTP/SAVP audio section on a new
         address and port with one SDES key (RFC 4568 a=crypto,
         AES_CM_128_HMAC_SHA1_80, 30 bytes of key and salt in base64).
  peers  N TURN CreatePermission requests (RFC 5766 9.1, method 0x008), each
         from a new host 198.18.x.y:40000 to 192.0.2.1:3478 that has no
         allocation, each naming 16 peers in XOR-PEER-ADDRESS (RFC 5766
         14.3): the ESP gateway 198.51.100.7:4500 and 15 new peers; N/4
         ESP-in-UDP packets (RFC 3948 2.2: SPI 0x8f3a5c21, which is not the
         non-ESP marker 0, a sequence number, then IV, ciphertext and ICV
         bytes) between 198.51.100.7:4500 and 203.0.113.9:4500; and one
         real allocation: the client 10.0.0.10:50000's Allocate request and
         success (XOR-RELAYED-ADDRESS 192.0.2.15:52000, XOR-MAPPED-ADDRESS
         198.51.100.2:61000), its CreatePermission naming the peer
         203.0.113.50:53000, and 10 RTP packets (RFC 3550, PT 0) each way on
         the relayed leg 192.0.2.15:52000 <-> 203.0.113.50:53000.

  reinvite  srtp-sip-call.pcap (the SRTP call keyed in SIP) with, after its
         frame N, the callee's re-INVITE in the same dialog (RFC 3261 14.1:
         same Call-ID, its From tag b2, CSeq 2 INVITE) whose SDP offers the
         same media address 10.0.0.20:50040 (RTP/SAVP, a=rtcp:50041) without
         a key: Wireshark's SDP sets RTP up again there from that frame.
  newcall  the same, but the INVITE starts a new call (another Call-ID, no
         To tag, CSeq 1 INVITE).

Bytes are deterministic (SHA-256 of a label and a counter).  Built on
gen_reports_hostile.py's UDP/IPv4 framing and STUN encoding (RFC 5389 6 and
15); only the Python standard library is used.
"""

import base64
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_reports_hostile import attr, rtp, run_case, stun, tid, udp_frame, xor_address  # noqa: E402
from lib.pcap import read as read_pcap  # noqa: E402

ESP_GATEWAY = ('198.51.100.7', 4500)
ESP_PEER = ('203.0.113.9', 4500)
ESP_SPI = 0x8f3a5c21
SERVER = ('192.0.2.1', 3478)
CLIENT = ('10.0.0.10', 50000)
RELAYED = ('192.0.2.15', 52000)
REFLEXIVE = ('198.51.100.2', 61000)
PEER = ('203.0.113.50', 53000)
SIP_CALLER = ('10.1.0.1', 5060)
SIP_CALLEE = ('10.2.0.1', 5060)


def digest(label, i, n):
    return hashlib.sha256(('%s %d' % (label, i)).encode()).digest()[:n]


def media_address(i):
    '''The i-th offer's media address: 10.3.x.y, an even port.'''
    return '10.3.%d.%d' % ((i >> 8) & 0xFF, i & 0xFF), 20000 + 2 * (i % 20000)


def invite(i):
    addr, port = media_address(i)
    key = base64.b64encode(digest('key', i, 30)).decode()
    sdp = ('v=0\r\n'
           'o=caller %d 1 IN IP4 %s\r\n'
           's=-\r\n'
           'c=IN IP4 %s\r\n'
           't=0 0\r\n'
           'm=audio %d RTP/SAVP 0\r\n'
           'a=rtpmap:0 PCMU/8000\r\n'
           'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n') % (1000 + i, addr, addr, port, key)
    call_id = '%s@10.1.0.1' % digest('call', i, 8).hex()
    head = ('INVITE sip:callee@10.2.0.1 SIP/2.0\r\n'
            'Via: SIP/2.0/UDP 10.1.0.1:5060;branch=z9hG4bK%s\r\n'
            'Max-Forwards: 70\r\n'
            'To: <sip:callee@10.2.0.1>\r\n'
            'From: <sip:caller@10.1.0.1>;tag=%s\r\n'
            'Call-ID: %s\r\n'
            'CSeq: 1 INVITE\r\n'
            'Contact: <sip:caller@10.1.0.1:5060>\r\n'
            'Content-Type: application/sdp\r\n'
            'Content-Length: %d\r\n'
            '\r\n') % (digest('branch', i, 6).hex(), digest('tag', i, 4).hex(), call_id, len(sdp))
    return (head + sdp).encode()


def sdp(n):
    return [udp_frame(SIP_CALLER[0], SIP_CALLER[1], SIP_CALLEE[0], SIP_CALLEE[1], invite(i)) for i in range(n)]


def esp(i):
    return struct.pack('!II', ESP_SPI, i + 1) + digest('esp', i, 16) + digest('esp-ct', i, 32) * 2 + \
        digest('esp-icv', i, 12)


def peers(n):
    frames = []
    # The real allocation first: its relayed leg must still decode.
    frames.append((CLIENT, SERVER, stun(0x0003, [attr(0x0019, b'\x11\0\0\0')], tid('alloc', 0))))
    frames.append((SERVER, CLIENT, stun(0x0103, [attr(0x0016, xor_address(*RELAYED)),
                                                 attr(0x0020, xor_address(*REFLEXIVE))], tid('alloc', 0))))
    frames.append((CLIENT, SERVER, stun(0x0008, [attr(0x0012, xor_address(*PEER))], tid('perm', 0))))
    for i in range(n):
        host = ('198.18.%d.%d' % ((i >> 8) & 0xFF, i & 0xFF), 40000)
        named = [ESP_GATEWAY] + [('203.0.%d.%d' % ((16 * i + k) >> 8 & 0xFF, (16 * i + k) & 0xFF),
                                  1024 + (16 * i + k) % 60000) for k in range(15)]
        frames.append((host, SERVER, stun(0x0008, [attr(0x0012, xor_address(*p)) for p in named],
                                          tid('hostile', i))))
        if i % 4 == 0:
            src, dst = (ESP_GATEWAY, ESP_PEER) if i % 8 == 0 else (ESP_PEER, ESP_GATEWAY)
            frames.append((src, dst, esp(i // 4)))
    for k in range(10):
        frames.append((RELAYED, PEER, rtp(1000 + k, 160 * k, ssrc=0xB10C0A01)))
        frames.append((PEER, RELAYED, rtp(2000 + k, 160 * k, ssrc=0xB10C0A02)))
    return [udp_frame(s[0], s[1], d[0], d[1], p) for s, d, p in frames]


def reinvite_body(same_call):
    # To tag, Call-ID and CSeq number: the call of srtp-sip-call.pcap, or a new one.
    dialog = (';tag=a1', 'b7c3e8f01d2a4c5e9f60a1b2c3d4e5f6@10.0.0.10', 2) if same_call else \
        ('', '0d1e2f3a4b5c6d7e@10.0.0.20', 1)
    sdp_text = ('v=0\r\n'
                'o=- 0 1 IN IP4 10.0.0.20\r\n'
                's=session\r\n'
                'c=IN IP4 10.0.0.20\r\n'
                't=0 0\r\n'
                'm=audio 50040 RTP/SAVP 8\r\n'
                'a=rtpmap:8 PCMA/8000\r\n'
                'a=rtcp:50041\r\n')
    head = ('INVITE sip:alice@10.0.0.10:5060;transport=udp SIP/2.0\r\n'
            'Via: SIP/2.0/UDP 10.0.0.20:5060;branch=z9hG4bK-msstun-reinvite\r\n'
            'Max-Forwards: 70\r\n'
            'To: <sip:alice@msstun.example>%s\r\n'
            'From: <sip:bob@msstun.example>;tag=b2\r\n'
            'Call-ID: %s\r\n'
            'CSeq: %d INVITE\r\n'
            'Contact: <sip:bob@10.0.0.20:5060;transport=udp>\r\n'
            'Content-Type: application/sdp\r\n'
            'Content-Length: %d\r\n'
            '\r\n') % (dialog + (len(sdp_text),))
    return (head + sdp_text).encode()


def sip_call_frames():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'srtp-sip-call.pcap'), 'rb') as f:
        return [frame for _, frame, _ in read_pcap(f.read())]


def reinvite(n, same_call=True):
    frames = sip_call_frames()
    return frames[:n] + [udp_frame('10.0.0.20', 5060, '10.0.0.10', 5060, reinvite_body(same_call))] + frames[n:]


def newcall(n):
    return reinvite(n, False)


CASES = {'sdp': sdp, 'peers': peers, 'reinvite': reinvite, 'newcall': newcall}


def main(argv):
    run_case(argv, CASES, __doc__)


if __name__ == '__main__':
    main(sys.argv)
