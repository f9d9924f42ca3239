#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""srtp_sip.py - an SRTP call keyed in SIP, as Lync / Skype for Business place it.

  srtp-sip-call.pcap  INVITE with a multipart/alternative body (two application/sdp parts, RTP/SAVP
                      and RTP/AVP, each with a=crypto:2 ...|2^31|1:1 (MKI 1, 1 byte) next to
                      a=crypto:3 ...|2^31 (no MKI), a=cryptoscale and a=x-ssrc-range), 200 OK with the
                      answer, ACK over UDP 5060; then SRTP both ways (PCMU from the caller with MKI
                      across a sequence number wrap, PCMA from the callee without MKI) and SRTCP (SR
                      with MKI, RR without) on the RTCP ports (RTP port + 1).
  srtp-sip-tls.pcap   the same call's signalling in SIP over TLS 1.3 (TCP 5061), recorded with an NSS
  srtp-sip-tls.keys   key log (lib/tls.py tls13_session: OpenSSL's randoms differ per run), and its media.

Built, written and described by gen_srtp.py (with every other SRTP capture: srtp-expected.json
holds them all)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.capture import PacedCapture, TcpFlow, UdpFlow  # noqa: E402
from lib.media import Stream  # noqa: E402
from lib.net import MAC_CLIENT, Host  # noqa: E402
from lib.sip import sip_call_setup  # noqa: E402
from lib.srtp import SrtpSender, b64, key_salt, send_media  # noqa: E402
from lib.tls import tls13_session  # noqa: E402

# The call: SIP (RFC 3261) with SDP (RFC 4566, RFC 4568, MS-SDPEXT)

A_IP, B_IP = '10.0.0.10', '10.0.0.20'
MAC_A, MAC_B = MAC_CLIENT, bytes.fromhex('00005e005314')
A_RTP, B_RTP = 50020, 50040
KEY_A2 = key_salt('caller-tag2')    # |2^31|1:1: the key the caller sends with
KEY_A3 = key_salt('caller-tag3')    # |2^31: offered, not chosen
KEY_AS = key_salt('caller-scale')   # a=cryptoscale
KEY_B2 = key_salt('callee-tag2')    # the answer's key, no MKI
SSRC_A, SSRC_B = 0x11110001, 0x22220002
CALL_ID = 'b7c3e8f01d2a4c5e9f60a1b2c3d4e5f6@10.0.0.10'


def sdp_offer(proto):
    return ('v=0\r\n'
            'o=- 0 0 IN IP4 10.0.0.10\r\n'
            's=session\r\n'
            'c=IN IP4 10.0.0.10\r\n'
            'b=CT:99980\r\n'
            't=0 0\r\n'
            'm=audio %d %s 0 8 101\r\n'
            'c=IN IP4 10.0.0.10\r\n'
            'a=rtcp:%d\r\n'
            'a=x-ssrc-range:%d-%d\r\n'
            'a=cryptoscale:1 client AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1\r\n'
            'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1\r\n'
            'a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31\r\n'
            'a=rtpmap:0 PCMU/8000\r\n'
            'a=rtpmap:8 PCMA/8000\r\n'
            'a=rtpmap:101 telephone-event/8000\r\n'
            'a=fmtp:101 0-16\r\n'
            'a=encryption:required\r\n'
            % (A_RTP, proto, A_RTP + 1, SSRC_A, SSRC_A, b64(KEY_AS), b64(KEY_A2), b64(KEY_A3)))


def sdp_answer():
    return ('v=0\r\n'
            'o=- 0 0 IN IP4 10.0.0.20\r\n'
            's=session\r\n'
            'c=IN IP4 10.0.0.20\r\n'
            'b=CT:99980\r\n'
            't=0 0\r\n'
            'm=audio %d RTP/SAVP 0 8 101\r\n'
            'a=rtcp:%d\r\n'
            'a=x-ssrc-range:%d-%d\r\n'
            'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31\r\n'
            'a=rtpmap:0 PCMU/8000\r\n'
            'a=rtpmap:8 PCMA/8000\r\n'
            'a=rtpmap:101 telephone-event/8000\r\n'
            'a=encryption:required\r\n'
            % (B_RTP, B_RTP + 1, SSRC_B, SSRC_B, b64(KEY_B2)))


def sip_messages(transport, sport):
    via = 'SIP/2.0/%s %s:%d;branch=z9hG4bK-msstun-1' % (transport, A_IP, sport)
    boundary = 'msstun-boundary-1'
    body = ('--%s\r\nContent-Type: application/sdp\r\nContent-ID: <rtp-savp@10.0.0.10>\r\n\r\n%s'
            '--%s\r\nContent-Type: application/sdp\r\nContent-ID: <rtp-avp@10.0.0.10>\r\n\r\n%s'
            '--%s--\r\n' % (boundary, sdp_offer('RTP/SAVP'), boundary, sdp_offer('RTP/AVP'), boundary))
    common = ('From: <sip:alice@msstun.example>;tag=a1\r\n'
              'Call-ID: %s\r\n' % CALL_ID)
    invite = ('INVITE sip:bob@msstun.example SIP/2.0\r\n'
              'Via: %s\r\n'
              'Max-Forwards: 70\r\n'
              'To: <sip:bob@msstun.example>\r\n%s'
              'CSeq: 1 INVITE\r\n'
              'Contact: <sip:alice@%s:%d;transport=%s>\r\n'
              'User-Agent: UCCAPI/16.0.0.0 OC/16.0.0.0 (Skype for Business)\r\n'
              'Content-Type: multipart/alternative;boundary="%s"\r\n'
              'Content-Length: %d\r\n\r\n%s'
              % (via, common, A_IP, sport, transport.lower(), boundary, len(body), body))
    answer = sdp_answer()
    ok = ('SIP/2.0 200 OK\r\n'
          'Via: %s\r\n'
          'To: <sip:bob@msstun.example>;tag=b2\r\n%s'
          'CSeq: 1 INVITE\r\n'
          'Contact: <sip:bob@%s:5060;transport=%s>\r\n'
          'Content-Type: application/sdp\r\n'
          'Content-Length: %d\r\n\r\n%s'
          % (via, common, B_IP, transport.lower(), len(answer), answer))
    ack = ('ACK sip:bob@%s:5060;transport=%s SIP/2.0\r\n'
           'Via: SIP/2.0/%s %s:%d;branch=z9hG4bK-msstun-2\r\n'
           'Max-Forwards: 70\r\n'
           'To: <sip:bob@msstun.example>;tag=b2\r\n%s'
           'CSeq: 1 ACK\r\n'
           'Content-Length: 0\r\n\r\n' % (B_IP, transport.lower(), transport, A_IP, sport, common))
    return invite.encode(), ok.encode(), ack.encode()


# Arrival variation of the call's packets, in microseconds (deterministic):
# a LAN call, well inside a 50 ms jitter buffer.
CALLER_JITTER_US = (0, 400, 1300, 200, 0, 2100, 600, 0, 900, 300, 1700, 0, 500, 1100)
CALLEE_JITTER_US = (300, 0, 800, 1500, 200, 0, 700, 1200, 0, 400, 1900, 100, 0, 600)


def call_send_media(cap, hosts, count_a=14, count_b=14):
    """Caller PCMU from seq 65530 (wraps after 6 packets), callee PCMA; each
    sends a packet every 20 ms (ptime 20, 160 samples), the callee 10 ms
    after the caller, and both report on RTCP after their sixth packet."""
    a, b = hosts
    rtp = UdpFlow(cap, a, A_RTP, MAC_A, b, B_RTP, MAC_B)
    rtcp = UdpFlow(cap, a, A_RTP + 1, MAC_A, b, B_RTP + 1, MAC_B)
    sa = Stream('caller', SSRC_A, 0, 65530, 8000000, 440, 'u', b'alice@msstun.example')
    sb = Stream('callee', SSRC_B, 8, 1000, 24000, 660, 'a', b'bob@msstun.example')
    send_a = SrtpSender(KEY_A2, 80, mki=1, mki_len=1)
    send_b = SrtpSender(KEY_B2, 80)
    t0 = cap.time_us()
    for i in range(count_a):
        cap.at(t0 + i * 20000 + CALLER_JITTER_US[i])
        p, info = sa.rtp(marker=(i == 0))
        send_media(cap, rtp, 'A', send_a, p, info, 'caller -> callee')
        if i < count_b:
            cap.at(t0 + i * 20000 + 10000 + CALLEE_JITTER_US[i])
            p, info = sb.rtp(marker=(i == 0))
            send_media(cap, rtp, 'B', send_b, p, info, 'callee -> caller')
        if i == 5:
            cap.at(t0 + i * 20000 + 15000)
            p, info = sa.rtcp('SR', sb, cap.time_us())
            send_media(cap, rtcp, 'A', send_a, p, info, 'caller SR')
            cap.at(t0 + i * 20000 + 17000)
            p, info = sb.rtcp('RR', sa, cap.time_us())
            send_media(cap, rtcp, 'B', send_b, p, info, 'callee RR')
    cap.at(t0 + count_a * 20000)
    p, info = sa.rtcp('SR', sb, cap.time_us())
    send_media(cap, rtcp, 'A', send_a, p, info, 'caller SR')


def build_sip_call():
    cap = PacedCapture('srtp-sip-call.pcap', 'Lync-style SRTP call keyed in SIP over UDP')
    a = Host(A_IP, MAC_A, 128, 0x2000)
    b = Host(B_IP, MAC_B, 128, 0x3000)
    sip_call_setup(cap, a, b, sip_messages('UDP', 5060),
                   'multipart/alternative: two application/sdp parts (RTP/SAVP and RTP/AVP), each with '
                   'a=cryptoscale:1, a=crypto:2 (MKI 1:1) and a=crypto:3 (no MKI)',
                   'application/sdp answer: a=crypto:2 without MKI')
    call_send_media(cap, (a, b))
    return cap


def build_sip_tls(outdir):
    cap = PacedCapture('srtp-sip-tls.pcap', 'The same call with SIP over TLS 1.3 on TCP 5061 (key log)')
    a = Host(A_IP, MAC_A, 128, 0x4000)
    b = Host(B_IP, MAC_B, 128, 0x5000)
    invite, ok, ack = sip_messages('TLS', 50611)
    keylog = os.path.join(outdir, 'srtp-sip-tls.keys')
    if os.path.exists(keylog):
        os.unlink(keylog)
    writes = tls13_session(invite, ok, ack, keylog)
    tcp = TcpFlow(cap, a, 50611, MAC_A, b, 5061, MAC_B, 0x1A2B0000, 0x5C6D0000, 64240, 65535)
    tcp.handshake()
    for d, data in writes:
        for i in range(0, len(data), 1400):
            tcp.seg(d, 0x18, data[i:i + 1400], 'TLS records (%d bytes)' % len(data[i:i + 1400]),
                    ['TLS 1.3 records written by OpenSSL'])
    call_send_media(cap, (a, b), count_a=4, count_b=2)
    return cap
