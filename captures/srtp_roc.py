#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""srtp_roc.py - SRTP whose rollover counters are above 0.

  srtp-roc.pcap       relayed SRTP captured hours into the call: rollover counters 22 (wrapping to 23),
  srtp-roc-keys.txt   131, 255 and 256, set with srtp_set_stream_roc() (checked against 65536 packets
                      protected the long way), and SRTCP index 5760 (5759 SRTCP packets protected and
                      dropped first).
  srtp-roc-sdp.pcap   rollover counters of keys from SDP: the streams of a call set up in the capture
                      (ROC 0 decrypted, ROC 3 left encrypted), a stream of a call under way whose
                      re-INVITE comes later (ROC 22 to 23 from then on).

Built, written and described by gen_srtp.py (with every other SRTP capture: srtp-expected.json
holds them all)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import struct  # noqa: E402

from lib.base import H  # noqa: E402
from lib.capture import Blob, Capture, UdpFlow  # noqa: E402
from lib.media import CodecStream, Stream  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, PEER_IP, Host, new_hosts  # noqa: E402
from lib.sip import audio_sdp, sip_call  # noqa: E402
from lib.srtp import SrtpSender, b64, expect, key_salt  # noqa: E402
from lib.stun import cookie_tid, ms_send  # noqa: E402
from srtp_sip import MAC_A, MAC_B  # noqa: E402

# A capture that starts hours into a call: rollover counters above 0

KEY_ROC = key_salt('roc-mid-call')
ROC_STREAMS = [   # name, SSRC, initial ROC, first sequence number, packets, payload type
    ('roc-audio', 0x1C1C0016, 22, 65533, 7, 0),    # 8 h of 50 packets/s: 22 wraps; wraps again to 23 here
    ('roc-video', 0x2D2D0083, 131, 30000, 3, 122),  # 8 h of about 300 packets/s
    ('roc-last', 0x3E3E00FF, 255, 1200, 2, 0),      # the last rollover counter tried
    ('roc-beyond', 0x4F4F0100, 256, 1200, 2, 0),    # beyond it: left encrypted
]
ROC_SRTCP_INDEX = 5760   # 8 h of one compound RTCP packet every 5 s


def check_set_roc():
    """srtp_set_stream_roc() gives the packets that libsrtp's own index
    gives after 65536 packets (across one and then a second wrap)."""
    ssrc, key = 0x77770007, key_salt('roc-check')
    plain = [struct.pack('!BBHII', 0x80, 0, (65000 + i) & 0xFFFF, 160 * i, ssrc) + bytes(160)
             for i in range(65536 + 600)]
    walked = SrtpSender(key, 80, ssrc=ssrc)
    long_route = [walked.rtp(p) for p in plain][65536:]
    direct = SrtpSender(key, 80, ssrc=ssrc, roc=1)
    assert [direct.rtp(p) for p in plain[65536:]] == long_route


def roc_keys_text():
    return ('# keys of srtp-roc.pcap, a capture started 8 hours into the call\n'
            'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31\n' % b64(KEY_ROC))


def build_roc():
    check_set_roc()
    cap = Capture('srtp-roc.pcap', 'Relayed SRTP captured mid-call: rollover counters 22 to 256, keys in '
                    'srtp-roc-keys.txt')
    c, e = new_hosts()
    fl = UdpFlow(cap, c, 50000, MAC_CLIENT, e, 3478, MAC_EDGE)
    connid = H('srtp-roc-connid', 20)
    peer = (PEER_IP, 50040)
    seqno = 1000
    senders = {}
    streams = {}
    for name, ssrc, roc, seq, count, pt in ROC_STREAMS:
        senders[name] = SrtpSender(KEY_ROC, 80, ssrc=ssrc, roc=roc)
        streams[name] = (CodecStream(name, ssrc, seq, 1000000 + seq * 160) if pt else
                         Stream(name, ssrc, pt, seq, 1000000 + seq * 160, 440, 'u', b'roc@msstun.example'))
    for i in range(7):
        for name, ssrc, roc, seq, count, pt in ROC_STREAMS:
            if i >= count:
                continue
            st = streams[name]
            index = (roc << 16) + seq + i
            if pt:
                p, info = st.rtp(pt, 3000, 200 + i)
            else:
                p, info = st.rtp(marker=(i == 0))
            cipher = senders[name].rtp(p)
            info = dict(info, roc=index >> 16, index=index)
            m = ms_send(cookie_tid('srtp-roc-send-%s-%d' % (name, i)), connid, seqno, *peer, Blob(cipher, ['SRTP']))
            seqno += 1
            expect(cap, info, cipher, 'send')
            fl.send('A', m, 'MS-TURN Send Request, DATA = SRTP %s (ROC %d, index %d)' % (name, index >> 16, index))
    # SRTCP carries its index: libsrtp numbers it, so the packets of the
    # first 8 hours are protected and dropped.
    audio = streams['roc-audio']
    for _ in range(ROC_SRTCP_INDEX - 1):
        senders['roc-audio'].rtcp(audio.rtcp('SR', streams['roc-last'], cap.time_us())[0])
    p, info = audio.rtcp('SR', streams['roc-last'], cap.time_us())
    cipher = senders['roc-audio'].rtcp(p)
    expect(cap, dict(info, index=ROC_SRTCP_INDEX), cipher, 'send')
    m = ms_send(cookie_tid('srtp-roc-send-rtcp'), connid, seqno, *peer, Blob(cipher, ['SRTCP']))
    fl.send('A', m, 'MS-TURN Send Request, DATA = SRTCP SR (index %d)' % ROC_SRTCP_INDEX)
    return cap


# Rollover counters of keys from SDP: a call set up in the capture, and a
# re-INVITE of a call under way when the capture started

RS_A_IP, RS_B_IP = '10.0.0.50', '10.0.0.60'
KEY_RS_NEW = key_salt('roc-sdp-new-call')       # the offer of a call set up in the capture
KEY_RS_NEW_B = key_salt('roc-sdp-new-call-b')
KEY_RS_OLD = key_salt('roc-sdp-under-way')      # the re-INVITE of a call under way
KEY_RS_OLD_B = key_salt('roc-sdp-under-way-b')
RS_STREAMS = {   # name: SSRC, key, ROC of the first packet, its sequence number, whether it is decrypted
    'new-call': (0x1A1A0001, KEY_RS_NEW, 0, 100, True),
    'new-call-rolled': (0x1A1A0002, KEY_RS_NEW, 3, 100, False),   # ROC 3 after an SDP in the capture
    'under-way': (0x2B2B0003, KEY_RS_OLD, 22, 65534, True),       # ROC 23 from its re-INVITE on
}


def roc_sdp_calls():
    crypto = 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31'
    new = sip_call('a1b2c3d4e5f60718293a4b5c6d7e8f90@%s' % RS_A_IP, 'erin', 'frank', RS_A_IP, RS_B_IP,
                   audio_sdp(RS_A_IP, 50500, 0x1A1A0001, crypto % b64(KEY_RS_NEW)),
                   audio_sdp(RS_B_IP, 50600, 0x1A1A1001, crypto % b64(KEY_RS_NEW_B)), 'n', 'rs-new')
    old = sip_call('0f1e2d3c4b5a69788796a5b4c3d2e1f0@%s' % RS_A_IP, 'grace', 'heidi', RS_A_IP, RS_B_IP,
                   audio_sdp(RS_A_IP, 50700, 0x2B2B0003, crypto % b64(KEY_RS_OLD)),
                   audio_sdp(RS_B_IP, 50800, 0x2B2B1003, crypto % b64(KEY_RS_OLD_B)), 'o', 'rs-old', cseq=2)
    return new, old


def build_roc_sdp():
    cap = Capture('srtp-roc-sdp.pcap', 'Relayed SRTP keyed in SIP: streams of a call set up in the capture '
                    '(ROC 0, and ROC 3 left encrypted), a stream under way before its re-INVITE (ROC 22 to 23)')
    c, e = new_hosts()
    a = Host(RS_A_IP, MAC_A, 128, 0x2400)
    b = Host(RS_B_IP, MAC_B, 128, 0x3400)
    sip = UdpFlow(cap, a, 5060, MAC_A, b, 5060, MAC_B)
    # Each call has an allocation of its own.
    flows = {'new': UdpFlow(cap, c, 50020, MAC_CLIENT, e, 3478, MAC_EDGE),
             'under-way': UdpFlow(cap, c, 50010, MAC_CLIENT, e, 3478, MAC_EDGE)}
    connid = H('srtp-roc-sdp-connid', 20)
    senders = {n: SrtpSender(k, 80, ssrc=ssrc, roc=roc) for n, (ssrc, k, roc, seq, _) in RS_STREAMS.items()}
    streams = {n: Stream(n, ssrc, 0, seq, 2000000 + seq * 160, 440, 'u', b'roc-sdp@msstun.example')
               for n, (ssrc, k, roc, seq, _) in RS_STREAMS.items()}
    sent = dict.fromkeys(RS_STREAMS, 0)
    seqno = [2000]

    def send(name, decrypted):
        ssrc, _, roc, seq, _ = RS_STREAMS[name]
        index = (roc << 16) + seq + sent[name]
        p, info = streams[name].rtp(marker=(sent[name] == 0))
        sent[name] += 1
        cipher = senders[name].rtp(p)
        expect(cap, dict(info, roc=index >> 16, index=index, decrypted=decrypted), cipher, 'send')
        m = ms_send(cookie_tid('srtp-roc-sdp-send-%s-%d' % (name, sent[name])), connid, seqno[0], PEER_IP, 50040,
                    Blob(cipher, ['SRTP']))
        seqno[0] += 1
        flows['under-way' if name == 'under-way' else 'new'].send(
            'A', m, 'MS-TURN Send Request, DATA = SRTP %s (ROC %d, index %d)%s'
            % (name, index >> 16, index, '' if decrypted else ', no key verifies'))

    (new_invite, new_ok, new_ack), (old_invite, old_ok, old_ack) = roc_sdp_calls()
    for _ in range(2):
        send('under-way', False)     # a call under way: its SDP is not in the capture yet
    for msg, frm, what in ((new_invite, 'A', 'INVITE (offer)'), (new_ok, 'B', '200 OK (answer)'),
                           (new_ack, 'A', 'ACK')):
        sip.send(frm, Blob(msg, ['SIP %s of a new call, a=crypto:1' % what]), 'SIP %s, new call' % what)
    for _ in range(3):
        send('new-call', True)
        send('new-call-rolled', False)
    for msg, frm, what in ((old_invite, 'A', 're-INVITE (offer)'), (old_ok, 'B', '200 OK (answer)'),
                           (old_ack, 'A', 'ACK')):
        sip.send(frm, Blob(msg, ['SIP %s of the call under way, a=crypto:1' % what]),
                 'SIP %s, call under way' % what)
    for _ in range(3):
        send('under-way', True)      # 65536 and on: ROC 23
    return cap
