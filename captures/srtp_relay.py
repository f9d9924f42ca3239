#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""srtp_relay.py - TURN-relayed SRTP, keys in SDP and in client logs.

  srtp-relay.pcap          no SIP: MS-TURN Send requests and Data Indications on UDP 3478
  srtp-relay-keys.txt      (AES_CM_128_HMAC_SHA1_80 with MKI one way, AES_CM_128_HMAC_SHA1_32 the
                           other), RFC 5766 ChannelBind and ChannelData, and MS-TURN end-to-end data
                           (type 0x03, RFC 4571 frames) on TCP 443, with SRTCP; the keys as a client log
                           would have them: a UccApi style SDP dump and a JSON line with escaped SDP.
  srtp-relay-dyn.pcap      Lync's dynamic payload types: SIP SDP (host addresses, not the relayed ones)
  srtp-relay-dyn-keys.txt  keys SILK 103 and x-msrta 114 in Send / Data Indications and X-H264UC 122
                           video; the keys file (an SDP dumped one line per log line, a JSON SDP) keys
                           G.722 9 and telephone-event 101 in ChannelData and RED 97 (with PCMU) in TCP
                           443 end-to-end data.

Built, written and described by gen_srtp.py (with every other SRTP capture: srtp-expected.json
holds them all)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json  # noqa: E402
import struct  # noqa: E402

from lib.base import H  # noqa: E402
from lib.capture import Blob, Capture, TcpFlow, UdpFlow  # noqa: E402
from lib.media import CodecStream, Stream, tone  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, PEER_IP, Host, new_hosts  # noqa: E402
from lib.sip import sip_call, sip_call_setup  # noqa: E402
from lib.srtp import SrtpSender, b64, expect, key_salt  # noqa: E402
from lib.stun import (channel_bind, channel_data, cookie_tid, frame03, ms_data_indication, ms_send,  # noqa: E402
                      plain_tid, rfc4571)
from srtp_sip import MAC_A, MAC_B  # noqa: E402

KEY_R1 = key_salt('relay-client', want_slash=True)   # client -> peer, _80, MKI 1:1
KEY_R2 = key_salt('relay-peer')                      # peer -> client, _32, no MKI
KEY_R3 = key_salt('relay-channel')                   # ChannelData, _80
KEY_R4 = key_salt('relay-tcp', want_slash=True)                      # TCP 443 end-to-end data, _80, MKI 1:1
def relay_keys_text():
    crypto = [
        'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1' % b64(KEY_R1),
        'a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:%s|2^31' % b64(KEY_R2),
        'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(KEY_R3),
        'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1' % b64(KEY_R4),
    ]
    sdp1 = 'v=0\r\no=- 0 0 IN IP4 10.0.0.10\r\ns=session\r\nc=IN IP4 10.0.0.10\r\nt=0 0\r\n' \
           'm=audio 50020 RTP/SAVP 0 8\r\n' + crypto[0] + '\r\na=rtpmap:0 PCMU/8000\r\n'
    lines = [
        '01/01/2026|00:00:00.100 1A2B:3C4D INFO  :: SIP/2.0 200 OK (UccApi, outgoing SDP follows)',
        '01/01/2026|00:00:00.101 1A2B:3C4D INFO  :: ' + crypto[1],
        '01/01/2026|00:00:00.102 1A2B:3C4D INFO  :: m=audio 50100 RTP/SAVP 0 ' + crypto[2] + ' a=rtpmap:0 PCMU/8000',
        json.dumps({'event': 'sdp', 'sdp': sdp1}),
        '{"event": "sdp-tcp", "sdp": "' + crypto[3].replace('/', '\\/') + '\\r\\n"}',
        'a=cryptoscale:1 client AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1' % b64(key_salt('relay-scale')),
    ]
    text = '\n'.join(lines) + '\n'
    assert '\\/' in text   # the JSON line escapes '/' in the key
    return text


def build_relay():
    cap = Capture('srtp-relay.pcap', 'TURN-relayed SRTP, keys in a client log (srtp-relay-keys.txt)')
    c, e = new_hosts()
    c2 = Host('10.0.0.11', bytes.fromhex('00005e00530b'), 128, 0x6000)
    c3 = Host('10.0.0.12', bytes.fromhex('00005e00530c'), 128, 0x7000)
    fl = UdpFlow(cap, c, 50000, MAC_CLIENT, e, 3478, MAC_EDGE)
    connid = H('srtp-connid', 20)
    peer = (PEER_IP, 50012)
    s1 = Stream('relay-client', 0x33330003, 0, 100, 3200, 440, 'u', b'client@msstun.example')
    s2 = Stream('relay-peer', 0x44440004, 8, 7000, 9600, 660, 'a', b'peer@msstun.example')
    x1 = SrtpSender(KEY_R1, 80, mki=1, mki_len=1)
    x2 = SrtpSender(KEY_R2, 32)
    seqno = 1
    for i in range(4):
        p, info = s1.rtp(marker=(i == 0))
        cipher = x1.rtp(p)
        m = ms_send(cookie_tid('srtp-send-%d' % i), connid, seqno, *peer, Blob(cipher, ['SRTP']))
        seqno += 1
        expect(cap, info, cipher, 'send')
        fl.send('A', m, 'MS-TURN Send Request, DATA = SRTP (AES_CM_128_HMAC_SHA1_80, MKI 1)')
        p, info = s2.rtp(marker=(i == 0))
        cipher = x2.rtp(p)
        m = ms_data_indication(plain_tid('srtp-dataind-%d' % i), *peer, Blob(cipher, ['SRTP']))
        expect(cap, info, cipher, 'data')
        fl.send('B', m, 'MS-TURN Data Indication, DATA = SRTP (AES_CM_128_HMAC_SHA1_32)')
    p, info = s2.rtcp('SR', s1, cap.time_us())
    cipher = x2.rtcp(p)
    m = ms_data_indication(plain_tid('srtp-dataind-rtcp'), *peer, Blob(cipher, ['SRTCP']))
    expect(cap, info, cipher, 'data')
    fl.send('B', m, 'MS-TURN Data Indication, DATA = SRTCP SR')

    # RFC 5766 ChannelBind and ChannelData (a Teams-style relay client).
    fl2 = UdpFlow(cap, c2, 50100, c2.mac, e, 3478, MAC_EDGE)
    channel_bind(fl2, 'srtp', 0x4001, PEER_IP, 50014)
    s3 = Stream('relay-channel', 0x55550005, 0, 30000, 64000, 550, 'u', b'teams@msstun.example')
    x3 = SrtpSender(KEY_R3, 80)
    for i in range(3):
        p, info = s3.rtp(marker=(i == 0))
        cipher = x3.rtp(p)
        expect(cap, info, cipher, 'channeldata')
        fl2.send('A', Blob(channel_data(0x4001, cipher, True),
                           ['ChannelData 0x4001, %d bytes of SRTP, padded to 4' % len(cipher)]),
                 'ChannelData 0x4001, SRTP')

    # MS-TURN over TCP 443: end-to-end data (type 0x03) with RFC 4571 frames.
    tcp = TcpFlow(cap, c3, 50200, c3.mac, e, 443, MAC_EDGE, 0x10000000, 0x20000000, 64240, 65535)
    tcp.handshake()
    s4 = Stream('relay-tcp', 0x66660006, 0, 500, 1600, 330, 'u', b'tcp@msstun.example')
    x4 = SrtpSender(KEY_R4, 80, mki=1, mki_len=1)
    for i in range(3):
        p, info = s4.rtp(marker=(i == 0))
        cipher = x4.rtp(p)
        expect(cap, info, cipher, 'tcp')
        inner = rfc4571(cipher)
        tcp.seg('A', 0x18, frame03(Blob(inner, []).raw), 'MS-TURN end-to-end data, RFC 4571 SRTP',
                ['MS-TURN TCP framing type 0x03, length %d: RFC 4571 frame of %d bytes of SRTP'
                 % (len(inner), len(cipher))])
    p, info = s4.rtcp('SR', s1, cap.time_us())
    cipher = x4.rtcp(p)
    expect(cap, info, cipher, 'tcp')
    inner = rfc4571(cipher)
    tcp.seg('A', 0x18, frame03(inner), 'MS-TURN end-to-end data, RFC 4571 SRTCP',
            ['MS-TURN TCP framing type 0x03, length %d: RFC 4571 frame of %d bytes of SRTCP'
             % (len(inner), len(cipher))])
    return cap


# ----------------------------------------------------------------------------
# Relayed media with dynamic payload types (Lync audio and video codecs)

# Lync 2013 / Skype for Business audio and video rtpmaps (MS-SDPEXT 3.1.5.30
# lists the encoding names; the payload type numbers are the clients').
LYNC_AUDIO_RTPMAP = ['114 x-msrta/16000', '9 G722/8000', '112 G7221/16000', '111 SIREN/16000',
                     '103 SILK/16000', '104 SILK/8000', '0 PCMU/8000', '8 PCMA/8000', '97 RED/8000',
                     '13 CN/8000', '118 CN/16000', '101 telephone-event/8000']
LYNC_VIDEO_RTPMAP = ['122 X-H264UC/90000', '121 x-rtvc1/90000', '123 x-ulpfecuc/90000']
KEY_D1 = key_salt('dyn-offer-audio')     # caller's audio, MKI 1:1 (Send)
KEY_D2 = key_salt('dyn-answer-audio')    # callee's audio (Data Indication)
KEY_V1 = key_salt('dyn-offer-video')     # caller's video (Send, another allocation)
KEY_K4 = key_salt('dyn-log-channel')     # keys file, UccApi SDP dump: ChannelData G.722 + telephone-event
KEY_K5 = key_salt('dyn-json-tcp')        # keys file, JSON SDP: TCP 443 RED
DYN_A_IP, DYN_B_IP = '10.0.0.10', '10.0.0.20'
DYN_CALL_ID = 'd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6@10.0.0.10'


def lync_sdp(ip, audio_port, video_port, audio_crypto, video_crypto):
    """An SDP body the way Lync writes it: host candidates' addresses (not
    the relayed ones the media takes), audio and video media sections."""
    audio_pts = ' '.join(x.split()[0] for x in LYNC_AUDIO_RTPMAP)
    video_pts = ' '.join(x.split()[0] for x in LYNC_VIDEO_RTPMAP)
    return ('v=0\r\no=- 0 0 IN IP4 %s\r\ns=session\r\nc=IN IP4 %s\r\nb=CT:99980\r\nt=0 0\r\n'
            'm=audio %d RTP/SAVP %s\r\n'
            'a=x-ssrc-range:1-4294967295\r\n' % (ip, ip, audio_port, audio_pts) +
            audio_crypto + '\r\n' +
            ''.join('a=rtpmap:%s\r\n' % x for x in LYNC_AUDIO_RTPMAP) +
            'a=fmtp:101 0-16\r\na=ptime:20\r\n'
            'm=video %d RTP/SAVP %s\r\n' % (video_port, video_pts) +
            (video_crypto + '\r\n' if video_crypto else '') +
            ''.join('a=rtpmap:%s\r\n' % x for x in LYNC_VIDEO_RTPMAP) +
            'a=rtcp-fb:* x-message app send:dsh recv:dsh\r\n')


def dyn_sip_messages():
    offer = lync_sdp(DYN_A_IP, 50020, 50030,
                     'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1' % b64(KEY_D1),
                     'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(KEY_V1))
    answer = lync_sdp(DYN_B_IP, 50040, 0,
                      'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(KEY_D2), None)
    return sip_call(DYN_CALL_ID, 'alice', 'bob', DYN_A_IP, DYN_B_IP, offer, answer, 'd', 'dyn')


def dyn_keys_text():
    """A client log with the keys of the ChannelData and TCP streams: an
    UccApi-style SDP dump, one SDP line per log line, and a JSON line
    with the whole SDP in one string ("\r\n" escapes)."""
    prefix = '01/01/2026|00:00:01.%03d 1A2B:3C4D INFO  :: '
    sdp = ('v=0', 'o=- 0 0 IN IP4 10.0.0.11', 's=session', 'c=IN IP4 10.0.0.11', 't=0 0',
           'm=audio 50110 RTP/SAVP 9 101 0',
           'a=crypto:3 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(KEY_K4),
           'a=rtpmap:9 G722/8000', 'a=rtpmap:101 telephone-event/8000', 'a=rtpmap:0 PCMU/8000',
           'm=video 50112 RTP/SAVP 122', 'a=rtpmap:122 X-H264UC/90000')
    lines = ['01/01/2026|00:00:01.000 1A2B:3C4D INFO  :: Sending Packet - 10.0.0.11:5061 (SIP/2.0 200 OK)']
    lines += [prefix % (i + 1) + x for i, x in enumerate(sdp)]
    tcp_sdp = ('v=0\r\no=- 0 0 IN IP4 10.0.0.12\r\ns=session\r\nc=IN IP4 10.0.0.12\r\nt=0 0\r\n'
               'm=audio 50210 RTP/SAVP 97 103 0\r\n'
               'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31\r\n'
               'a=rtpmap:97 RED/8000\r\na=rtpmap:103 SILK/16000\r\na=rtpmap:0 PCMU/8000\r\n' % b64(KEY_K5))
    lines.append(json.dumps({'event': 'sdp', 'direction': 'out', 'sdp': tcp_sdp}))
    return '\n'.join(lines) + '\n'


def build_relay_dyn():
    """Relayed SRTP whose payload types are dynamic: Send / Data Indication
    (SILK 103 and x-msrta 114 audio, X-H264UC 122 video), ChannelData
    (G.722 9 and telephone-event 101) and TCP 443 end-to-end data (RED 97
    carrying PCMU).  Keys and rtpmaps of the first three in the SIP
    call's SDP (frames 1-2), whose addresses are the host candidates, not
    the relayed 5-tuples; of the other two only in srtp-relay-dyn-keys.txt."""
    cap = Capture('srtp-relay-dyn.pcap', 'Relayed SRTP with dynamic payload types, keys in SDP and in a '
                    'client log (srtp-relay-dyn-keys.txt)')
    a = Host(DYN_A_IP, MAC_A, 128, 0x2100)
    b = Host(DYN_B_IP, MAC_B, 128, 0x3100)
    sip_call_setup(cap, a, b, dyn_sip_messages(), 'SDP: audio (a=crypto:2 MKI 1:1) and video (a=crypto:2), '
                   'Lync rtpmaps', 'SDP answer: audio a=crypto:2, video port 0')

    c, e = new_hosts()
    fl = UdpFlow(cap, c, 50000, MAC_CLIENT, e, 3478, MAC_EDGE)
    fv = UdpFlow(cap, c, 50002, MAC_CLIENT, e, 3478, MAC_EDGE)
    connid = H('srtp-dyn-connid', 20)
    peer, vpeer = (PEER_IP, 50040), (PEER_IP, 50042)
    s1 = CodecStream('dyn-silk', 0x0A0A0101, 4000, 320000)
    s2 = CodecStream('dyn-msrta', 0x0B0B0202, 9000, 640000)
    s3 = CodecStream('dyn-video', 0x0C0C0303, 20000, 9000000)
    x1 = SrtpSender(KEY_D1, 80, mki=1, mki_len=1)
    x2 = SrtpSender(KEY_D2, 80)
    x3 = SrtpSender(KEY_V1, 80)
    seqno = 1
    for i in range(6):
        p, info = s1.rtp(103, 320, 50 + 3 * i, marker=(i == 0))
        cipher = x1.rtp(p)
        m = ms_send(cookie_tid('srtp-dyn-send-%d' % i), connid, seqno, *peer, Blob(cipher, ['SRTP']))
        seqno += 1
        expect(cap, info, cipher, 'send')
        fl.send('A', m, 'MS-TURN Send Request, DATA = SRTP SILK/16000 (PT 103, MKI 1)')
        p, info = s2.rtp(114, 320, 60 + 2 * i, marker=(i == 0))
        cipher = x2.rtp(p)
        m = ms_data_indication(plain_tid('srtp-dyn-dataind-%d' % i), *peer, Blob(cipher, ['SRTP']))
        expect(cap, info, cipher, 'data')
        fl.send('B', m, 'MS-TURN Data Indication, DATA = SRTP x-msrta/16000 (PT 114)')
        if i % 2 == 0:
            p, info = s3.rtp(122, 3000, 300 + 10 * i, marker=True)
            cipher = x3.rtp(p)
            m = ms_send(cookie_tid('srtp-dyn-vsend-%d' % i), connid, seqno, *vpeer, Blob(cipher, ['SRTP']))
            seqno += 1
            expect(cap, info, cipher, 'send')
            fv.send('A', m, 'MS-TURN Send Request, DATA = SRTP X-H264UC/90000 (PT 122)')

    # ChannelData: G.722 (static 9, RTP clock 8000 per RFC 3551), then a
    # telephone-event (RFC 4733: event 5, volume 10, growing duration).
    c2 = Host('10.0.0.11', bytes.fromhex('00005e00530b'), 128, 0x6100)
    fl2 = UdpFlow(cap, c2, 50100, c2.mac, e, 3478, MAC_EDGE)
    channel_bind(fl2, 'srtp-dyn', 0x4002, PEER_IP, 50114)
    s4 = CodecStream('dyn-g722', 0x0D0D0404, 100, 16000)
    x4 = SrtpSender(KEY_K4, 80)
    for i in range(6):
        if i < 4:
            p, info = s4.rtp(9, 160, 160, marker=(i == 0))
            note = 'G722/8000 (PT 9)'
        else:
            event = struct.pack('!BBH', 5, (0x80 if i == 5 else 0) | 10, 160 * (i - 3))
            p, info = s4.rtp(101, 0, payload=event, marker=(i == 4))
            note = 'telephone-event/8000 (PT 101)'
        cipher = x4.rtp(p)
        expect(cap, info, cipher, 'channeldata')
        fl2.send('A', Blob(channel_data(0x4002, cipher, True),
                           ['ChannelData 0x4002, %d bytes of SRTP, padded to 4' % len(cipher)]),
                 'ChannelData 0x4002, SRTP %s' % note)

    # MS-TURN over TCP 443, end-to-end data: RED (RFC 2198) with one block,
    # its final header naming PCMU (the same 8000 Hz clock as RED/8000).
    c3 = Host('10.0.0.12', bytes.fromhex('00005e00530c'), 128, 0x7100)
    tcp = TcpFlow(cap, c3, 50200, c3.mac, e, 443, MAC_EDGE, 0x30000000, 0x40000000, 64240, 65535)
    tcp.handshake()
    s5 = CodecStream('dyn-red', 0x0E0E0505, 700, 56000)
    x5 = SrtpSender(KEY_K5, 80)
    for i in range(4):
        red = struct.pack('!B', 0) + tone(440, 160 * i, 160, 'u')
        p, info = s5.rtp(97, 160, payload=red, marker=(i == 0))
        cipher = x5.rtp(p)
        expect(cap, info, cipher, 'tcp')
        inner = rfc4571(cipher)
        tcp.seg('A', 0x18, frame03(inner), 'MS-TURN end-to-end data, RFC 4571 SRTP RED/8000 (PT 97)',
                ['MS-TURN TCP framing type 0x03, length %d: RFC 4571 frame of %d bytes of SRTP, RED block '
                 'header F=0 PT=0 (PCMU)' % (len(inner), len(cipher))])
    return cap
