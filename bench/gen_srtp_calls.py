#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_srtp_calls.py - a large capture of SRTP calls keyed in SIP, every stream encrypted by libsrtp2.

Usage:  python3 gen_srtp_calls.py [--frames N] [--streams S] [--out PATH]

Writes at most N frames (default 100000; a little fewer when the calls end first) of
classic libpcap to PATH (default srtp-calls-N-S.pcap), streamed one 20 ms tick at a
time.  S/2 calls (S streams, default 200), min(S/2, 64) of them at a time, each seat
starting the next call when one ends; every call gets the same share of the frames.
A call is:

  * SIP over UDP 5060: INVITE with the caller's SDP (a=crypto with a key of its own,
    Lync's audio rtpmaps), 200 OK with the callee's, ACK (RFC 3261, RFC 4566, RFC 4568);
  * SRTP both ways, 20 ms apart, encrypted by libsrtp2 (captures/lib/srtp.py's
    SrtpSender): even calls direct between the SDP addresses (PCMU, 160 bytes), odd
    calls relayed through an Edge (192.0.2.1:3478, MS-TURN Send Request and Data
    Indication built by captures/lib/stun.py) so that no address matches the SDP and
    each stream is bound to its key by the authentication tag (SILK 103, 60 bytes);
  * SRTCP SR + SDES from both sides every 250 packets.

Deterministic: keys, SSRCs and payloads are SHA-256 labels; libsrtp draws nothing at
random, so two runs give byte-identical files.
"""

import argparse
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # leave no __pycache__ in captures/
sys.path.insert(0, os.path.join(HERE, '..', 'captures'))
from lib import pcap  # noqa: E402
from lib.base import T0, H  # noqa: E402
from lib.capture import Blob, Sink  # noqa: E402
from lib.media import CodecStream, tone  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, PEER_IP, Host, udp_frame  # noqa: E402
from lib.srtp import SrtpSender, b64, key_salt  # noqa: E402
from lib.stun import cookie_tid, ms_data_indication, ms_send, plain_tid  # noqa: E402

TICK_US = 20000
RTCP_EVERY = 250
EDGE = Host('192.0.2.1', MAC_EDGE, 128, 0x5000)
RTPMAPS = ['0 PCMU/8000', '103 SILK/16000', '104 SILK/8000', '101 telephone-event/8000']


def ip(base, n):
    return '%s.%d.%d' % (base, 1 + n // 250, 1 + n % 250)


def sdp(addr, port, key):
    return ('v=0\r\no=- 0 0 IN IP4 %s\r\ns=session\r\nc=IN IP4 %s\r\nt=0 0\r\n'
            'm=audio %d RTP/SAVP 0 103 104 101\r\n'
            'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31\r\n' % (addr, addr, port, b64(key)) +
            ''.join('a=rtpmap:%s\r\n' % x for x in RTPMAPS) + 'a=ptime:20\r\n')


def sip(n, a, b, key_a, key_b):
    call_id = '%s@%s' % (H('bench-call-id:%d' % n, 16).hex(), a)
    common = 'From: <sip:a%d@msstun.example>;tag=a%d\r\nCall-ID: %s\r\n' % (n, n, call_id)
    via = 'SIP/2.0/UDP %s:5060;branch=z9hG4bK-bench-%d' % (a, n)
    offer, answer = sdp(a, 50020, key_a), sdp(b, 50040, key_b)
    invite = ('INVITE sip:b%d@msstun.example SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n'
              'To: <sip:b%d@msstun.example>\r\n%sCSeq: 1 INVITE\r\nContact: <sip:a%d@%s:5060>\r\n'
              'Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s'
              % (n, via, n, common, n, a, len(offer), offer))
    ok = ('SIP/2.0 200 OK\r\nVia: %s\r\nTo: <sip:b%d@msstun.example>;tag=b%d\r\n%sCSeq: 1 INVITE\r\n'
          'Contact: <sip:b%d@%s:5060>\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s'
          % (via, n, n, common, n, b, len(answer), answer))
    ack = ('ACK sip:b%d@%s:5060 SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-bench-ack-%d\r\n'
           'Max-Forwards: 70\r\nTo: <sip:b%d@msstun.example>;tag=b%d\r\n%sCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n'
           % (n, b, a, n, n, n, common))
    return [('A', invite.encode()), ('B', ok.encode()), ('A', ack.encode())]


class Call:
    def __init__(self, sink, n, packets):
        self.sink, self.n, self.packets = sink, n, packets
        self.relayed = n % 2 == 1
        self.a = Host(ip('10.30', n), MAC_CLIENT, 128, 0x100 * (n % 200))
        self.b = Host(ip('10.40', n), bytes.fromhex('00005e005314'), 128, 0x100 * (n % 200))
        self.key_a, self.key_b = key_salt('bench-%d-a' % n), key_salt('bench-%d-b' % n)
        ssrc = struct.unpack('!II', H('bench-ssrc:%d' % n, 8))
        pt, law = (103, None) if self.relayed else (0, 'u')
        self.sa = CodecStream('bench-%d-a' % n, ssrc[0], 1000 + n, 8000 * n)
        self.sb = CodecStream('bench-%d-b' % n, ssrc[1], 30000 + n, 16000 * n)
        self.pt, self.law = pt, law
        self.tx = {'A': SrtpSender(self.key_a), 'B': SrtpSender(self.key_b)}
        self.connid = H('bench-connid:%d' % n, 20)
        self.seqno = 1

    def frame(self, frm, src, sport, dst, dport, payload):
        self.sink.add(udp_frame(src, sport, dst, dport, payload, MAC_CLIENT, MAC_EDGE))

    def media(self, frm, plain, rtcp=False):
        cipher = self.tx[frm].rtcp(plain) if rtcp else self.tx[frm].rtp(plain)
        if not self.relayed:
            src, dst = (self.a, self.b) if frm == 'A' else (self.b, self.a)
            sport, dport = (50020, 50040) if frm == 'A' else (50040, 50020)
            self.frame(frm, src, sport + rtcp, dst, dport + rtcp, cipher)
            return
        peer = (PEER_IP, 50040 + rtcp)
        if frm == 'A':
            m = ms_send(cookie_tid('bench-send-%d-%d' % (self.n, self.seqno)), self.connid, self.seqno, *peer,
                        Blob(cipher, []))
            self.seqno += 1
            self.frame(frm, self.a, 50000 + rtcp, EDGE, 3478, m.raw)
        else:
            m = ms_data_indication(plain_tid('bench-data-%d-%d' % (self.n, self.seqno)), *peer, Blob(cipher, []))
            self.seqno += 1
            self.frame(frm, EDGE, 3478, self.a, 50000 + rtcp, m.raw)

    def rtcp(self, frm, st, other):
        body = struct.pack('!IIIIII', st.ssrc, 0, 0, st.ts, st.packets, st.octets)
        body += struct.pack('!IIIIII', other.ssrc, 0, (other.seq - 1) & 0xFFFF, 7, 0, 0)
        sr = struct.pack('!BBH', 0x81, 200, (4 + len(body)) // 4 - 1) + body
        cname = ('%s@msstun.example' % st.name).encode()
        chunk = struct.pack('!IBB', st.ssrc, 1, len(cname)) + cname + b'\0'
        chunk += b'\0' * (-len(chunk) % 4)
        return sr + struct.pack('!BBH', 0x81, 202, (4 + len(chunk)) // 4 - 1) + chunk

    def run(self):
        """A generator: one step per 20 ms tick."""
        for frm, msg in sip(self.n, self.a.ip, self.b.ip, self.key_a, self.key_b):
            src, dst = (self.a, self.b) if frm == 'A' else (self.b, self.a)
            self.sink.add(udp_frame(src, 5060, dst, 5060, msg, MAC_CLIENT, MAC_EDGE))
        yield
        for i in range(self.packets):
            for frm, st in (('A', self.sa), ('B', self.sb)):
                if self.relayed:
                    plain, _ = st.rtp(103, 320, 60, marker=(i == 0))
                else:
                    plain, _ = st.rtp(0, 160, payload=tone(440, 160 * i, 160, 'u'), marker=(i == 0))
                self.media(frm, plain)
            if i % RTCP_EVERY == RTCP_EVERY - 1:
                self.media('A', self.rtcp('A', self.sa, self.sb), True)
                self.media('B', self.rtcp('B', self.sb, self.sa), True)
            yield


def generate(frames, streams, out):
    calls = max(1, streams // 2)
    seats = min(calls, 64)
    # frames per call: 3 SIP, 2 per tick, 2 SRTCP per RTCP_EVERY ticks
    per_call = frames // calls
    packets = max(1, (per_call - 3) * RTCP_EVERY // (2 * RTCP_EVERY + 2))
    sink = Sink()
    running = [Call(sink, i, packets).run() for i in range(seats)]
    started = seats
    written = tick = 0
    with open(out, 'wb') as f:
        f.write(pcap.file_header())
        while written < frames:
            for i in range(len(running)):
                if running[i] is None:
                    continue
                try:
                    next(running[i])
                except StopIteration:
                    running[i] = None
                    if started < calls:
                        running[i] = Call(sink, started, packets).run()
                        started += 1
                        next(running[i])
            if not sink.frames:
                break
            written += sink.write_tick(f, T0 * 1000000 + tick * TICK_US, TICK_US, frames - written)
            tick += 1
    return written, tick, started, seats, packets


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--frames', type=int, default=100000)
    ap.add_argument('--streams', type=int, default=200)
    ap.add_argument('--out', default=None)
    a = ap.parse_args(argv)
    if a.frames < 1 or a.streams < 2:
        ap.error('--frames must be positive and --streams at least 2')
    out = a.out or 'srtp-calls-%d-%d.pcap' % (a.frames, a.streams)
    written, ticks, calls, seats, packets = generate(a.frames, a.streams, out)
    print('%s: %d frames, %.1f s of capture, %d calls (%d streams, %d SRTP packets each way), %d at a time'
          % (out, written, ticks * TICK_US / 1e6, calls, 2 * calls, packets, seats))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
