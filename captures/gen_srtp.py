#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_srtp.py - SRTP/SRTCP test captures for the msstun plugin, encrypted
by libsrtp2 (Debian libsrtp2-dev: libsrtp2.so.1, through ctypes), an
implementation independent of the plugin's.

Usage:  python3 gen_srtp.py [--describe] [OUTDIR]

Writes into OUTDIR (default: the directory of this script); with --describe writes nothing and
prints every frame, what it holds and how it was made:
  srtp-sip-call.pcap     a Lync-style call keyed in plain SIP over UDP 5060:
                         INVITE with a multipart/alternative body (two
                         application/sdp parts, RTP/SAVP and RTP/AVP, each with
                         a=crypto:2 ...|2^31|1:1 (MKI 1, 1 byte) next to
                         a=crypto:3 ...|2^31 (no MKI), a=cryptoscale and
                         a=x-ssrc-range), 200 OK with the answer, ACK; then
                         SRTP both ways (PCMU from the caller with MKI across a
                         sequence number wrap, PCMA from the callee without
                         MKI) and SRTCP (SR with MKI, RR without) on the
                         RTCP ports (RTP port + 1).
  srtp-sip-tls.pcap      the same call's signalling in SIP over TLS 1.3 (TCP
  srtp-sip-tls.keys      5061), recorded by Python's ssl module (OpenSSL) with
                         an NSS key log, and its media.  TLS randoms differ
                         per run: the committed files are the reference.
  srtp-relay.pcap        TURN-relayed SRTP with no SIP: MS-TURN Send requests
                         and Data Indications on UDP 3478 (AES_CM_128_HMAC_SHA1_80
                         with MKI one way, AES_CM_128_HMAC_SHA1_32 the other),
                         RFC 5766 ChannelBind and ChannelData, and MS-TURN
                         end-to-end data (type 0x03, RFC 4571 frames) on TCP
                         443, with SRTCP.
  srtp-relay-keys.txt    its keys, as a client log would have them: a UccApi
                         style SDP dump and a JSON line with escaped SDP.
  srtp-relay-dyn.pcap    relayed SRTP with Lync's dynamic payload types: SIP
  srtp-relay-dyn-keys.txt  SDP (host addresses, not the relayed ones) keys SILK
                         103 and x-msrta 114 in Send / Data Indications and
                         X-H264UC 122 video; the keys file (an SDP dumped one
                         line per log line, a JSON SDP) keys G.722 9 and
                         telephone-event 101 in ChannelData and RED 97 (with
                         PCMU) in TCP 443 end-to-end data.
  srtp-roc.pcap          relayed SRTP captured hours into the call: rollover
  srtp-roc-keys.txt      counters 22 (wrapping to 23), 131, 255 and 256, set
                         with srtp_set_stream_roc() (checked against 65536
                         packets protected the long way), and SRTCP index 5760
                         (5759 SRTCP packets protected and dropped first).
  srtp-roc-sdp.pcap      rollover counters of keys from SDP: the streams of a
                         call set up in the capture (ROC 0 decrypted, ROC 3 left
                         encrypted), a stream of a call under way whose
                         re-INVITE comes later (ROC 22 to 23 from then on).
  srtp-msrtcp.pcap       a Skype for Business G.722 call keyed in plain SIP: G.722
                         tones (480 Hz from the caller with MKI, 720 Hz from the
                         callee, encoded by libspandsp) and SRTCP whose SR and
                         RR carry [MS-RTP] 2.2.11 profile-specific extensions
                         (Policy Server, TURN Server Bandwidth, Peer Info
                         Exchange, Network Congestion Notification, Modality
                         Send Bandwidth Limit; Audio Healer Metrics,
                         Receiver-side Bandwidth Limit).
  srtp-expected.json     every RTP and RTCP packet's plaintext, by frame, for
                         test/suite_srtp.py.

Keys, SSRCs and payloads are fixed (SHA-256 labels, 440/660 Hz tones in
G.711, 480/720 Hz in G.722); libsrtp and libspandsp draw nothing at random, so the captures without TLS are
byte-identical across runs.
"""

import json
import os
import shutil
import ssl
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lib.base import H  # noqa: E402
from lib.capture import Blob, Capture, PacedCapture, TcpFlow, UdpFlow, describe  # noqa: E402
from lib.media import CodecStream, G722Stream, Stream, tone  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, PEER_IP, Host, new_hosts  # noqa: E402
from lib.rtp import ntp64  # noqa: E402
from lib.srtp import SrtpSender, b64, key_salt  # noqa: E402
from lib.stun import (REALM, TURN_KEY, TURN_PASS, TURN_USER, Attr, Integrity, Msg, a_str, a_xaddr,  # noqa: E402
                      cookie_tid, frame03, ms_data_indication, ms_send, plain_tid, rfc4571)

EXPECTED = {}


def media(cap, flow, frm, sender, plain, info, note):
    cipher = sender.rtp(plain) if info['kind'] == 'rtp' else sender.rtcp(plain)
    info = dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher))
    EXPECTED.setdefault(cap.name, []).append(info)
    what = 'SRTP' if info['kind'] == 'rtp' else 'SRTCP'
    lines = ['%s %s (libsrtp2, %s%s): %d bytes, plaintext %s' %
             (what, note, 'AES_CM_128_HMAC_SHA1_%d' % (sender.suite if info['kind'] == 'rtp' else 80),
              ', MKI %d (%d byte)' % (sender.mki, sender.mki_len) if sender.mki is not None else ', no MKI',
              len(cipher), ', '.join('%s=%s' % (k, v) for k, v in sorted(info.items())
                                      if k not in ('payload', 'plaintext', 'frame')))]
    flow.send(frm, Blob(cipher, lines), '%s %s' % (what, note))
    return cipher


# ----------------------------------------------------------------------------
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


def call_media(cap, hosts, count_a=14, count_b=14):
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
        media(cap, rtp, 'A', send_a, p, info, 'caller -> callee')
        if i < count_b:
            cap.at(t0 + i * 20000 + 10000 + CALLEE_JITTER_US[i])
            p, info = sb.rtp(marker=(i == 0))
            media(cap, rtp, 'B', send_b, p, info, 'callee -> caller')
        if i == 5:
            cap.at(t0 + i * 20000 + 15000)
            p, info = sa.rtcp('SR', sb, cap.time_us())
            media(cap, rtcp, 'A', send_a, p, info, 'caller SR')
            cap.at(t0 + i * 20000 + 17000)
            p, info = sb.rtcp('RR', sa, cap.time_us())
            media(cap, rtcp, 'B', send_b, p, info, 'callee RR')
    cap.at(t0 + count_a * 20000)
    p, info = sa.rtcp('SR', sb, cap.time_us())
    media(cap, rtcp, 'A', send_a, p, info, 'caller SR')


def sip_call_setup(cap, a, b, messages, offer, answer):
    """INVITE, 200 OK and ACK over UDP 5060 between Hosts a and b; offer, answer: what their SDP holds."""
    sip = UdpFlow(cap, a, 5060, MAC_A, b, 5060, MAC_B)
    invite, ok, ack = messages
    sip.send('A', Blob(invite, ['SIP INVITE, ' + offer]), 'SIP INVITE (offer)')
    sip.send('B', Blob(ok, ['SIP 200 OK, ' + answer]), 'SIP 200 OK (answer)')
    sip.send('A', Blob(ack, ['SIP ACK']), 'SIP ACK')


def build_sip_call():
    cap = PacedCapture('srtp-sip-call.pcap', 'Lync-style SRTP call keyed in SIP over UDP')
    a = Host(A_IP, MAC_A, 128, 0x2000)
    b = Host(B_IP, MAC_B, 128, 0x3000)
    sip_call_setup(cap, a, b, sip_messages('UDP', 5060),
                   'multipart/alternative: two application/sdp parts (RTP/SAVP and RTP/AVP), each with '
                   'a=cryptoscale:1, a=crypto:2 (MKI 1:1) and a=crypto:3 (no MKI)',
                   'application/sdp answer: a=crypto:2 without MKI')
    call_media(cap, (a, b))
    return cap


def tls_session(invite, ok, ack, keylog):
    """A TLS 1.3 session between two in-memory OpenSSL endpoints; returns
    the TCP byte streams as a list of (direction, bytes) writes."""
    tmp = tempfile.mkdtemp()
    cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
                    '-subj', '/CN=pool.msstun.example', '-keyout', key, '-out', cert],
                   check=True, capture_output=True)
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    sctx.minimum_version = sctx.maximum_version = ssl.TLSVersion.TLSv1_3
    sctx.num_tickets = 0
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    cctx.minimum_version = cctx.maximum_version = ssl.TLSVersion.TLSv1_3
    cctx.keylog_filename = keylog
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    cli = cctx.wrap_bio(c_in, c_out, server_side=False, server_hostname='pool.msstun.example')
    srv = sctx.wrap_bio(s_in, s_out, server_side=True)
    writes = []

    def pump():
        moved = True
        while moved:
            moved = False
            d = c_out.read()
            if d:
                writes.append(('A', d))
                s_in.write(d)
                moved = True
            d = s_out.read()
            if d:
                writes.append(('B', d))
                c_in.write(d)
                moved = True

    done_c = done_s = False
    while not (done_c and done_s):
        for end in ('c', 's'):
            try:
                (cli if end == 'c' else srv).do_handshake()
                if end == 'c':
                    done_c = True
                else:
                    done_s = True
            except ssl.SSLWantReadError:
                pass
        pump()
    for side, data in (('c', invite), ('s', ok), ('c', ack)):
        (cli if side == 'c' else srv).write(data)
        pump()
        peer = srv if side == 'c' else cli
        got = b''
        while len(got) < len(data):
            got += peer.read(65536)
        assert got == data
    os.unlink(cert)
    os.unlink(key)
    os.rmdir(tmp)
    return writes


def build_sip_tls(outdir):
    cap = PacedCapture('srtp-sip-tls.pcap', 'The same call with SIP over TLS 1.3 on TCP 5061 (key log)')
    a = Host(A_IP, MAC_A, 128, 0x4000)
    b = Host(B_IP, MAC_B, 128, 0x5000)
    invite, ok, ack = sip_messages('TLS', 50611)
    keylog = os.path.join(outdir, 'srtp-sip-tls.keys')
    if os.path.exists(keylog):
        os.unlink(keylog)
    writes = tls_session(invite, ok, ack, keylog)
    tcp = TcpFlow(cap, a, 50611, MAC_A, b, 5061, MAC_B, 0x1A2B0000, 0x5C6D0000, 64240, 65535)
    tcp.seg('A', 0x02, summary='TCP SYN')
    tcp.seg('B', 0x12, summary='TCP SYN, ACK')
    tcp.seg('A', 0x10, summary='TCP ACK')
    for d, data in writes:
        for i in range(0, len(data), 1400):
            tcp.seg(d, 0x18, data[i:i + 1400], 'TLS records (%d bytes)' % len(data[i:i + 1400]),
                    ['TLS 1.3 records written by OpenSSL'])
    call_media(cap, (a, b), count_a=4, count_b=2)
    return cap


# ----------------------------------------------------------------------------
# TURN-relayed media, keys in a client log

KEY_R1 = key_salt('relay-client', want_slash=True)   # client -> peer, _80, MKI 1:1
KEY_R2 = key_salt('relay-peer')                      # peer -> client, _32, no MKI
KEY_R3 = key_salt('relay-channel')                   # ChannelData, _80
KEY_R4 = key_salt('relay-tcp', want_slash=True)                      # TCP 443 end-to-end data, _80, MKI 1:1
MI_RFC = Integrity('sha1', TURN_KEY, 'HMAC-SHA1, long-term key MD5("%s:%s:%s")'
                     % (TURN_USER.decode(), REALM.decode(), TURN_PASS.decode()))


def channel_bind(flow, label, channel, peer_port):
    """RFC 5766 11 ChannelBind of channel to the peer PEER_IP:peer_port (long-term credentials,
    HMAC-SHA1) from the flow's A side, and its success response."""
    attrs = [Attr(0x000C, 'CHANNEL-NUMBER', 'raw', struct.pack('!HH', channel, 0), 'channel 0x%04x' % channel),
             a_xaddr(0x0012, 'XOR-PEER-ADDRESS', PEER_IP, peer_port),
             a_str(0x0006, 'USERNAME', TURN_USER), a_str(0x0014, 'REALM', REALM),
             a_str(0x0015, 'NONCE', H(label + '-nonce', 12).hex().encode())]
    m = Msg(0x0009, cookie_tid(label + '-chbind'), attrs, 'rfc5389', MI_RFC, 'std')
    flow.send('A', m, 'ChannelBind Request (channel 0x%04x -> %s:%d)' % (channel, PEER_IP, peer_port))
    m = Msg(0x0109, m.tid, [], 'rfc5389', MI_RFC, 'std')
    flow.send('B', m, 'ChannelBind Success Response')


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
        EXPECTED.setdefault(cap.name, []).append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher),
                                                       carrier='send'))
        fl.send('A', m, 'MS-TURN Send Request, DATA = SRTP (AES_CM_128_HMAC_SHA1_80, MKI 1)')
        p, info = s2.rtp(marker=(i == 0))
        cipher = x2.rtp(p)
        m = ms_data_indication(plain_tid('srtp-dataind-%d' % i), *peer, Blob(cipher, ['SRTP']))
        EXPECTED[cap.name].append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher),
                                       carrier='data'))
        fl.send('B', m, 'MS-TURN Data Indication, DATA = SRTP (AES_CM_128_HMAC_SHA1_32)')
    p, info = s2.rtcp('SR', s1, cap.time_us())
    cipher = x2.rtcp(p)
    m = ms_data_indication(plain_tid('srtp-dataind-rtcp'), *peer, Blob(cipher, ['SRTCP']))
    EXPECTED[cap.name].append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher), carrier='data'))
    fl.send('B', m, 'MS-TURN Data Indication, DATA = SRTCP SR')

    # RFC 5766 ChannelBind and ChannelData (a Teams-style relay client).
    fl2 = UdpFlow(cap, c2, 50100, c2.mac, e, 3478, MAC_EDGE)
    channel_bind(fl2, 'srtp', 0x4001, 50014)
    s3 = Stream('relay-channel', 0x55550005, 0, 30000, 64000, 550, 'u', b'teams@msstun.example')
    x3 = SrtpSender(KEY_R3, 80)
    for i in range(3):
        p, info = s3.rtp(marker=(i == 0))
        cipher = x3.rtp(p)
        EXPECTED[cap.name].append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher),
                                       carrier='channeldata'))
        fl2.send('A', Blob(struct.pack('!HH', 0x4001, len(cipher)) + cipher + b'\0' * (-len(cipher) % 4),
                           ['ChannelData 0x4001, %d bytes of SRTP, padded to 4' % len(cipher)]),
                 'ChannelData 0x4001, SRTP')

    # MS-TURN over TCP 443: end-to-end data (type 0x03) with RFC 4571 frames.
    tcp = TcpFlow(cap, c3, 50200, c3.mac, e, 443, MAC_EDGE, 0x10000000, 0x20000000, 64240, 65535)
    tcp.seg('A', 0x02, summary='TCP SYN')
    tcp.seg('B', 0x12, summary='TCP SYN, ACK')
    tcp.seg('A', 0x10, summary='TCP ACK')
    s4 = Stream('relay-tcp', 0x66660006, 0, 500, 1600, 330, 'u', b'tcp@msstun.example')
    x4 = SrtpSender(KEY_R4, 80, mki=1, mki_len=1)
    for i in range(3):
        p, info = s4.rtp(marker=(i == 0))
        cipher = x4.rtp(p)
        EXPECTED[cap.name].append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher), carrier='tcp'))
        inner = rfc4571(cipher)
        tcp.seg('A', 0x18, frame03(Blob(inner, []).raw), 'MS-TURN end-to-end data, RFC 4571 SRTP',
                ['MS-TURN TCP framing type 0x03, length %d: RFC 4571 frame of %d bytes of SRTP'
                 % (len(inner), len(cipher))])
    p, info = s4.rtcp('SR', s1, cap.time_us())
    cipher = x4.rtcp(p)
    EXPECTED[cap.name].append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher), carrier='tcp'))
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


def expect(cap, info, cipher, carrier):
    EXPECTED.setdefault(cap.name, []).append(dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher),
                                                  carrier=carrier))


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
    channel_bind(fl2, 'srtp-dyn', 0x4002, 50114)
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
        fl2.send('A', Blob(struct.pack('!HH', 0x4002, len(cipher)) + cipher + b'\0' * (-len(cipher) % 4),
                           ['ChannelData 0x4002, %d bytes of SRTP, padded to 4' % len(cipher)]),
                 'ChannelData 0x4002, SRTP %s' % note)

    # MS-TURN over TCP 443, end-to-end data: RED (RFC 2198) with one block,
    # its final header naming PCMU (the same 8000 Hz clock as RED/8000).
    c3 = Host('10.0.0.12', bytes.fromhex('00005e00530c'), 128, 0x7100)
    tcp = TcpFlow(cap, c3, 50200, c3.mac, e, 443, MAC_EDGE, 0x30000000, 0x40000000, 64240, 65535)
    tcp.seg('A', 0x02, summary='TCP SYN')
    tcp.seg('B', 0x12, summary='TCP SYN, ACK')
    tcp.seg('A', 0x10, summary='TCP ACK')
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


# ----------------------------------------------------------------------------
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


# ----------------------------------------------------------------------------
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
                   ms_sdp(RS_A_IP, 50500, 0x1A1A0001, crypto % b64(KEY_RS_NEW)),
                   ms_sdp(RS_B_IP, 50600, 0x1A1A1001, crypto % b64(KEY_RS_NEW_B)), 'n', 'rs-new')
    old = sip_call('0f1e2d3c4b5a69788796a5b4c3d2e1f0@%s' % RS_A_IP, 'grace', 'heidi', RS_A_IP, RS_B_IP,
                   ms_sdp(RS_A_IP, 50700, 0x2B2B0003, crypto % b64(KEY_RS_OLD)),
                   ms_sdp(RS_B_IP, 50800, 0x2B2B1003, crypto % b64(KEY_RS_OLD_B)), 'o', 'rs-old', cseq=2)
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


# ----------------------------------------------------------------------------
# A G.722 call whose RTCP carries [MS-RTP] profile-specific extensions

MS_A_IP, MS_B_IP = '10.0.0.30', '10.0.0.40'
MS_A_RTP, MS_B_RTP = 50300, 50400
KEY_MA = key_salt('msrtcp-caller')   # |2^31|1:1, the key the caller sends with
KEY_MB = key_salt('msrtcp-callee')   # the answer's key, no MKI
SSRC_MA, SSRC_MB = 0x5A5A0001, 0x6B6B0002
MS_TONE_A, MS_TONE_B = 480, 720     # Hz, the G.722 tones of the caller and the callee
MS_CALL_ID = 'f0e1d2c3b4a5968778695a4b3c2d1e0f@10.0.0.30'
MS_PACKETS = 25                      # per direction, 20 ms each


# [MS-RTP] 2.2.11: each profile-specific extension is Type (2 bytes),
# Length (2 bytes, in bytes, this header included), then its info; they
# follow the report blocks of an SR or RR (RFC 3550 6.4.1 "profile-specific
# extensions"), inside its length.
def pse_policy_server_bw(bw):          # 2.2.11.5: Reserved (4), Policy Server Bandwidth (4)
    return struct.pack('!HHII', 0x0007, 12, 0, bw)


def pse_turn_server_bw(bw):            # 2.2.11.6: Reserved (4), TURN Server Bandwidth (4)
    return struct.pack('!HHII', 0x0008, 12, 0, bw)


def pse_audio_healer(ssrc, concealed, stretched, compressed, total, rqs, fec):
    # 2.2.11.7: SSRC, Concealed, Stretched, Compressed and Total Frames (4
    # each), Reserved (2), Receive Quality State (1), FEC distance Request (1)
    return struct.pack('!HHIIIIIHBB', 0x0009, 28, ssrc, concealed, stretched, compressed, total, 0, rqs, fec)


def pse_receiver_bw_limit(bw):         # 2.2.11.8: Reserved (4), Receiver-side Bandwidth Limit (4)
    return struct.pack('!HHII', 0x000A, 12, 0, bw)


def pse_peer_info(ssrc, inbound, outbound, no_cache):
    # 2.2.11.10: SSRC, Inbound and Outbound Link Bandwidth (4 each), NC (1
    # bit), Reserve1 (7 bits), Reserve2 (1), Reserve3 (2)
    return struct.pack('!HHIIIBBH', 0x000C, 20, ssrc, inbound, outbound, 0x80 if no_cache else 0, 0, 0)


def pse_congestion(t_us, info):
    # 2.2.11.11: NTP Timestamp Integer and Fraction (4 each), Congestion
    # Info (1, bit 0 uncongested by delay .. bit 3 congested by loss),
    # Reserved (3)
    sec, frac = ntp64(t_us)
    return struct.pack('!HHIIB3s', 0x000D, 16, sec, frac, info, bytes(3)), sec, frac


def pse_modality_send_bw(modality, bw):
    # 2.2.11.12: Modality (1; 2 = video), Reserve1 (1), Reserve2 (2), Send Bandwidth Limit (4)
    return struct.pack('!HHBBHI', 0x000E, 12, modality, 0, 0, bw)


def ms_report(st, kind, about, t_us, extensions, ext_info):
    """An SR or RR as Stream.rtcp() builds it, with the [MS-RTP]
    extensions after its report block (its length grows by theirs), then
    SDES CNAME."""
    plain, info = st.rtcp(kind, about, t_us)
    ext = b''.join(extensions)
    words = struct.unpack('!H', plain[2:4])[0] + 1
    first = plain[:2] + struct.pack('!H', words + len(ext) // 4 - 1) + plain[4:4 * words] + ext
    plain = first + plain[4 * words:]
    info = dict(info, plaintext=plain.hex(), ms_extensions=ext_info)
    return plain, info


def ms_sdp(ip, port, ssrc, crypto):
    return ('v=0\r\no=- 0 0 IN IP4 %s\r\ns=session\r\nc=IN IP4 %s\r\nb=CT:99980\r\nt=0 0\r\n'
            'm=audio %d RTP/SAVP 9 0 101\r\n'
            'a=rtcp:%d\r\n'
            'a=x-ssrc-range:%d-%d\r\n'
            '%s\r\n'
            'a=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n'
            'a=fmtp:101 0-16\r\na=ptime:20\r\na=encryption:required\r\n'
            % (ip, ip, port, port + 1, ssrc, ssrc, crypto))


def sip_call(call_id, caller, callee, a_ip, b_ip, offer, answer, tag, branch, cseq=1):
    """An INVITE with the offer, its 200 OK with the answer and the ACK, over UDP 5060."""
    common = 'From: <sip:%s@msstun.example>;tag=%s1\r\nCall-ID: %s\r\n' % (caller, tag, call_id)
    via = 'SIP/2.0/UDP %s:5060;branch=z9hG4bK-msstun-%s-%d' % (a_ip, branch, 2 * cseq - 1)
    invite = ('INVITE sip:%s@msstun.example SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n'
              'To: <sip:%s@msstun.example>%s\r\n%sCSeq: %d INVITE\r\n'
              'Contact: <sip:%s@%s:5060;transport=udp>\r\n'
              'User-Agent: UCCAPI/16.0.0.0 OC/16.0.0.0 (Skype for Business)\r\n'
              'Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s'
              % (callee, via, callee, ';tag=%s2' % tag if cseq > 1 else '', common, cseq, caller, a_ip,
                 len(offer), offer))
    ok = ('SIP/2.0 200 OK\r\nVia: %s\r\nTo: <sip:%s@msstun.example>;tag=%s2\r\n%sCSeq: %d INVITE\r\n'
          'Contact: <sip:%s@%s:5060;transport=udp>\r\n'
          'Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s'
          % (via, callee, tag, common, cseq, callee, b_ip, len(answer), answer))
    ack = ('ACK sip:%s@%s:5060;transport=udp SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-msstun-%s-%d\r\n'
           'Max-Forwards: 70\r\nTo: <sip:%s@msstun.example>;tag=%s2\r\n%sCSeq: %d ACK\r\n'
           'Content-Length: 0\r\n\r\n' % (callee, b_ip, a_ip, branch, 2 * cseq, callee, tag, common, cseq))
    return invite.encode(), ok.encode(), ack.encode()


def ms_sip_messages():
    offer = ms_sdp(MS_A_IP, MS_A_RTP, SSRC_MA,
                   'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1' % b64(KEY_MA))
    answer = ms_sdp(MS_B_IP, MS_B_RTP, SSRC_MB, 'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(KEY_MB))
    return sip_call(MS_CALL_ID, 'carol', 'dave', MS_A_IP, MS_B_IP, offer, answer, 'm', 'ms')


def build_msrtcp():
    """A Skype for Business G.722 call keyed in SIP over UDP: SRTP both
    ways (a 480 Hz tone from the caller with MKI 1:1, 720 Hz from the
    callee without MKI), and SRTCP whose SR and RR carry [MS-RTP]
    profile-specific extensions: the caller's SR Policy Server and TURN
    Server Bandwidth, Peer Info Exchange, Network Congestion Notification
    and Modality Send Bandwidth Limit; the callee's RR Audio Healer
    Metrics and Receiver-side Bandwidth Limit."""
    cap = PacedCapture('srtp-msrtcp.pcap', 'G.722 SRTP call keyed in SIP over UDP, SRTCP with MS-RTP '
                       'profile-specific extensions')
    a = Host(MS_A_IP, MAC_A, 128, 0x8000)
    b = Host(MS_B_IP, MAC_B, 128, 0x9000)
    sip_call_setup(cap, a, b, ms_sip_messages(), 'SDP offer: G722/8000 (PT 9), a=crypto:2 with MKI 1:1',
                   'SDP answer: G722/8000 (PT 9), a=crypto:2 without MKI')
    rtp = UdpFlow(cap, a, MS_A_RTP, MAC_A, b, MS_B_RTP, MAC_B)
    rtcp = UdpFlow(cap, a, MS_A_RTP + 1, MAC_A, b, MS_B_RTP + 1, MAC_B)
    sa = G722Stream('ms-caller', SSRC_MA, 20000, 480000, MS_TONE_A, b'carol@msstun.example')
    sb = G722Stream('ms-callee', SSRC_MB, 40000, 960000, MS_TONE_B, b'dave@msstun.example')
    send_a = SrtpSender(KEY_MA, 80, mki=1, mki_len=1)
    send_b = SrtpSender(KEY_MB, 80)
    t0 = cap.time_us()
    for i in range(MS_PACKETS):
        cap.at(t0 + i * 20000 + CALLER_JITTER_US[i % len(CALLER_JITTER_US)])
        p, info = sa.rtp(marker=(i == 0))
        media(cap, rtp, 'A', send_a, p, info, 'caller -> callee, G722 %d Hz' % MS_TONE_A)
        cap.at(t0 + i * 20000 + 10000 + CALLEE_JITTER_US[i % len(CALLEE_JITTER_US)])
        p, info = sb.rtp(marker=(i == 0))
        media(cap, rtp, 'B', send_b, p, info, 'callee -> caller, G722 %d Hz' % MS_TONE_B)
        if i == 9:
            cap.at(t0 + i * 20000 + 15000)
            congestion, sec, frac = pse_congestion(cap.time_us(), 0x06)
            p, info = ms_report(sa, 'SR', sb, cap.time_us(), [
                pse_policy_server_bw(2000000), pse_turn_server_bw(1500000),
                pse_peer_info(SSRC_MA, 8000000, 4000000, True), congestion, pse_modality_send_bw(2, 1200000)],
                {'policy_server_bandwidth': 2000000, 'turn_server_bandwidth': 1500000,
                 'peer_info': {'ssrc': '0x%08x' % SSRC_MA, 'inbound': 8000000, 'outbound': 4000000,
                               'no_cache': 1},
                 'congestion': {'ntp_msw': sec, 'ntp_lsw': frac, 'info': 0x06},
                 'modality_send_bandwidth': {'modality': 2, 'limit': 1200000}})
            media(cap, rtcp, 'A', send_a, p, info, 'caller SR with MS-RTP extensions')
            cap.at(t0 + i * 20000 + 17000)
            p, info = ms_report(sb, 'RR', sa, cap.time_us(), [
                pse_audio_healer(SSRC_MA, 3, 5, 2, 1000, 1, 2), pse_receiver_bw_limit(6000000)],
                {'audio_healer': {'ssrc': '0x%08x' % SSRC_MA, 'concealed': 3, 'stretched': 5, 'compressed': 2,
                                  'total': 1000, 'receive_quality_state': 1, 'fec_distance_request': 2},
                 'receiver_bandwidth_limit': 6000000})
            media(cap, rtcp, 'B', send_b, p, info, 'callee RR with MS-RTP extensions')
    return cap


def preamble():
    return ['# msstun SRTP test captures', '',
            'Printed by `python3 captures/gen_srtp.py --describe` (libsrtp2 through ctypes). Plaintexts of every '
            'RTP/RTCP packet: `srtp-expected.json`.', '',
            '* srtp-sip-call.pcap: caller %s:%d (SSRC 0x%08x, key a=crypto:2 with MKI 1:1), callee %s:%d '
            '(SSRC 0x%08x, answer key without MKI); RTCP on port + 1 (a=rtcp).'
            % (A_IP, A_RTP, SSRC_A, B_IP, B_RTP, SSRC_B),
            '* srtp-sip-tls.pcap: the signalling in TLS 1.3 on TCP 5061, decrypt with `-o tls.keylog_file:'
            'captures/srtp-sip-tls.keys`.',
            '* srtp-relay.pcap: keys only in `srtp-relay-keys.txt` '
            '(`-o msstun.srtp_keys:captures/srtp-relay-keys.txt`).',
            '* srtp-relay-dyn.pcap: relayed media with dynamic payload types; keys and rtpmaps of the Send / Data '
            'Indication streams in the SIP SDP of frames 1-2 (whose addresses are not the relayed ones), of the '
            'ChannelData and TCP 443 streams only in `srtp-relay-dyn-keys.txt`.',
            '* srtp-roc.pcap: a capture started hours into the call, rollover counters 22 (then 23), 131, 255 and '
            '256 (set with libsrtp2\'s `srtp_set_stream_roc()`, checked against 65536 packets protected the long '
            'way), SRTCP index %d; key in `srtp-roc-keys.txt`.' % ROC_SRTCP_INDEX,
            '* srtp-roc-sdp.pcap: relayed SRTP keyed in SIP. A call set up in the capture: its stream at ROC 0 '
            'is decrypted; one at ROC 3 is left encrypted. A stream of a call under way since before the capture '
            'started, at ROC 22, is decrypted from its re-INVITE on, wrapping to 23.',
            '* srtp-msrtcp.pcap: a G.722 call keyed in its SIP (caller %s:%d, SSRC 0x%08x, %d Hz, MKI 1:1; callee '
            '%s:%d, SSRC 0x%08x, %d Hz), G.722 by libspandsp; the SRTCP SR and RR carry [MS-RTP] 2.2.11 '
            'profile-specific extensions (types 7, 8, 12, 13, 14 and 9, 10).'
            % (MS_A_IP, MS_A_RTP, SSRC_MA, MS_TONE_A, MS_B_IP, MS_B_RTP, SSRC_MB, MS_TONE_B),
            '']


def main(argv):
    describe_only = argv[:1] == ['--describe']
    if describe_only:
        argv = argv[1:]
    outdir = tempfile.mkdtemp() if describe_only else argv[0] if argv else HERE
    os.makedirs(outdir, exist_ok=True)
    caps = [build_sip_call(), build_sip_tls(outdir), build_relay(), build_relay_dyn(), build_roc(),
            build_roc_sdp(), build_msrtcp()]
    if describe_only:
        shutil.rmtree(outdir)
        sys.stdout.write(describe(caps, preamble()))
        return 0
    for cap in caps:
        with open(os.path.join(outdir, cap.name), 'wb') as f:
            f.write(cap.pcap())
    for name, text in (('srtp-relay-keys.txt', relay_keys_text()), ('srtp-relay-dyn-keys.txt', dyn_keys_text()),
                       ('srtp-roc-keys.txt', roc_keys_text())):
        with open(os.path.join(outdir, name), 'w') as f:
            f.write(text)
    with open(os.path.join(outdir, 'srtp-expected.json'), 'w') as f:
        json.dump(EXPECTED, f, indent=1, sort_keys=True)
        f.write('\n')
    for cap in caps:
        print('%-22s %4d frames' % (cap.name, len(cap.frames)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
