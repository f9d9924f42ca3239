#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_turn_edge.py - a call relayed by a TURN server, captured on the server.

Usage:  python3 gen_turn_edge.py [--describe | --check] [OUTDIR]

  Writes turn-edge-relay.pcap into OUTDIR (default: the
  directory of this script), after re-reading the capture with an independent
  parser that verifies it (IP, UDP and TCP checksums, TCP sequence continuity
  and acknowledgements, MS-TURN TCP framing, every FINGERPRINT and
  MESSAGE-INTEGRITY, every address, and that every relayed datagram is byte
  for byte the data of its Send indication, ChannelData or end-to-end data
  frame, or the other way round).  With --check nothing is written: the file in OUTDIR is
  compared with a fresh build; --describe prints every frame.  Standard library only, no randomness (payload
  bytes and arrival-time variation are SHA-256 of fixed labels).

The capture is what a TURN server (an Edge, or coturn) sees on its own
interfaces when two calls go through it; both legs of each media stream are
in it.  The first call, RFC TURN over UDP:

  leg 1  client 198.51.100.20:50200 <-> server 192.0.2.1:3478 (UDP): TURN
         messages, Send / Data indications, then ChannelData 0x4000;
  leg 2  relayed transport address 192.0.2.15:49170 <-> peer
         203.0.113.70:5004 (UDP): plain RTP and RTCP (rtcp-mux, RFC 5761).

The second call, MS-TURN over TCP 443 (from 0.7 s):

  leg 1  client 198.51.100.30:51500 <-> server 192.0.2.1:443 (TCP):
         pseudo-TLS, MS-TURN messages in type 0x02 frames, then RTP as
         end-to-end data (type 0x03 frames, RFC 4571 framed; MS-TURN 2.1.4);
  leg 2  relayed 192.0.2.15:49180 <-> peer 203.0.113.80:5006 (UDP).

The TURN exchange follows RFC 5766 (RFC 8656 keeps the same messages and
layouts) as coturn answers it:
  * Allocate without credentials -> 401 with REALM and NONCE (RFC 5766 6.2,
    RFC 5389 10.2.1); the Allocate again with USERNAME, REALM, NONCE,
    MESSAGE-INTEGRITY and FINGERPRINT -> success with XOR-RELAYED-ADDRESS,
    XOR-MAPPED-ADDRESS, LIFETIME 600 (coturn's default and attribute order,
    stun_set_allocate_response_str()), SOFTWARE, MESSAGE-INTEGRITY,
    FINGERPRINT.  The server adds FINGERPRINT to its responses because the
    client's requests carry it (RFC 5389 7.3).
  * CreatePermission for the peer's IP (RFC 5766 9); a datagram the peer
    sends to the relayed address before the permission exists is dropped by
    the server (RFC 5766 10.3): it is on leg 2 only.
  * Send indications (XOR-PEER-ADDRESS, DATA; no MESSAGE-INTEGRITY, RFC 5766
    10.1) become UDP datagrams from the relayed address with the DATA as
    payload (10.2); datagrams from the peer become Data indications (10.3).
  * ChannelBind 0x4000 (RFC 5766 11.1-11.2; CHANNEL-NUMBER with RFFU zero),
    then ChannelData both ways (11.4-11.6), not padded on UDP (11.5).
  * Refresh with LIFETIME 0 at the end deletes the allocation (7.3).
  * The long-term key is MD5(username ":" realm ":" password) (RFC 5389
    15.4); MESSAGE-INTEGRITY is HMAC-SHA1 over the message up to it with the
    length field counting it; FINGERPRINT is CRC-32 ^ 0x5354554E (15.5).

The media (RFC 3550, RFC 3551 static payload types, 20 ms packets, first
packet of each stream with the marker bit):
  * client -> peer: PCMU (PT 0, 8000 Hz, 160 bytes), SSRC 0xa11ce001;
    seq 5005 is lost before the server, seq 5010 arrives after 5011;
  * peer -> client: G.722 (PT 9, RTP clock 8000 Hz per RFC 3551 4.5.2, 160
    bytes), SSRC 0xb0b0b002; seq 7000 arrives before the permission and is
    dropped, seq 7008 is lost before the server;
  * each side sends one RTCP SR with a report block about the other's
    stream, computed as the receiver would (RFC 3550 6.4.1, A.3, A.8).
  Arrival times at the server vary by 0-7 ms (SHA-256 derived, fixed); the
  server forwards each datagram 60-250 us after it arrived.

The MS-TURN call (/work/shared/reference/ms-turn-reference.md 1.2, 2.2, 3.1,
4.1, 4.2; the builders of gen_msturn.py): the 50-byte pseudo-TLS
ClientHello and 83-byte ServerHello of MS-TURN 2.1.1; Allocate (MAGIC-COOKIE,
MS-VERSION 6, MS-SERVICE-QUALITY, BANDWIDTH) -> 401 (NONCE, REALM "SIP
Communications Service") -> Allocate with USERNAME, NONCE, REALM and an
HMAC-SHA256 MESSAGE-INTEGRITY -> success with MAPPED-ADDRESS = the relayed
address, XOR-MAPPED-ADDRESS 0x8020, LIFETIME, MS-SEQUENCE-NUMBER; Set Active
Destination (DESTINATION-ADDRESS) -> success; then PCMA (PT 8, SSRC
0xc0ffee03) from the client and PCMU (PT 0, SSRC 0xd00dfeed, seq 9006 lost
before the server) from the peer.  TCP (RFC 793): SYN with MSS 1460, every
segment after it with ACK of what its sender had received (the client one
24 ms round trip after the server sent it), FIN from the client.
"""

import hashlib
import hmac
import ipaddress
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import pcap as pcap_file  # noqa: E402
from lib.base import T0, H, fmt_addr  # noqa: E402
from lib.net import MAC_EDGE, MAC_GW, Host, csum, l4_csum, tcp_frame, udp_frame  # noqa: E402
from lib.rtp import RtpStream, report_block, sdes_cname, sender_report  # noqa: E402
from lib.stun import (MI_TURN, TURN_KEY, Integrity, Msg, Rfc4571, a_addr, a_data, a_error, a_magic,  # noqa: E402
                      a_msver, a_raw, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, auth_attrs, cookie_tid, frame02,
                      frame03, channel_data as stun_channel_data)
from lib.tls import CLIENT_HELLO, server_hello  # noqa: E402

NAME = 'turn-edge-relay.pcap'

CLIENT = ('198.51.100.20', 50200)
SERVER = ('192.0.2.1', 3478)
RELAYED = ('192.0.2.15', 49170)
PEER = ('203.0.113.70', 5004)
CHANNEL = 0x4000
# The second call: MS-TURN over TCP 443 (MS-TURN 2.1.1, 2.1.4), media as
# end-to-end data after Set Active Destination.
CLIENT2 = ('198.51.100.30', 51500)
SERVER_TCP = ('192.0.2.1', 443)
RELAYED2 = ('192.0.2.15', 49180)
PEER2 = ('203.0.113.80', 5006)
TCP_START_US = 700000
RTT_US = 24000          # client <-> server round trip

USER = b'edge-user'
REALM = b'edge.example.net'
PASSWORD = b'edge-pass'
KEY = hashlib.md5(USER + b':' + REALM + b':' + PASSWORD).digest()
MI = Integrity('sha1', KEY, 'HMAC-SHA1, long-term key MD5("%s:%s:%s") = %s'
               % (USER.decode(), REALM.decode(), PASSWORD.decode(), KEY.hex()))
NONCE = b'6c3b8e0f2a9d4171'
SOFTWARE = b"Coturn-4.6.1 'Gorst'"

PACKETS = 24            # RTP packets each side sends
PTIME_US = 20000
A_LOST, A_LATE = 5, 10  # indices in the client's stream
B_EARLY, B_LOST = 0, 8  # indices in the peer's stream


def xpeer(addr):
    return a_xaddr(0x0012, 'XOR-PEER-ADDRESS', *addr)


def auth():
    return [a_str(0x0006, 'USERNAME', USER), a_str(0x0014, 'REALM', REALM), a_str(0x0015, 'NONCE', NONCE)]


def request(method, label, attrs, authenticated=True):
    return Msg(method, cookie_tid(label), attrs + (auth() if authenticated else []), 'rfc5389',
               mi=MI if authenticated else None, fp='std')


def response(req, attrs, error=False):
    """coturn's answer: success or error class of the request's method, its
    transaction ID, SOFTWARE, and MESSAGE-INTEGRITY unless a 401."""
    mtype = req.mtype | (0x0110 if error else 0x0100)
    return Msg(mtype, req.tid, attrs + [a_str(0x8022, 'SOFTWARE', SOFTWARE)], 'rfc5389',
               mi=None if error else MI, fp='std')


def indication(mtype, label, peer, inner):
    return Msg(mtype, cookie_tid(label), [xpeer(peer), a_data(inner)], 'rfc5389')


def channel_data(inner):
    return stun_channel_data(CHANNEL, inner.raw, False)


def arrival_delay(label, k):
    """Network delay variation before the server, 0-7 ms in us (fixed)."""
    return int.from_bytes(H('delay:%s:%s' % (label, k), 4), 'big') % 7000


def forward_delay(label, k):
    return 60 + int.from_bytes(H('forward:%s:%s' % (label, k), 4), 'big') % 190


class Receiver:
    """RFC 3550 A.1, A.3 and A.8 as the far end would keep them, for its report block."""

    def __init__(self, ssrc, rate):
        self.ssrc, self.rate = ssrc, rate
        self.base = self.max = None
        self.received = 0
        self.jitter = 0.0
        self.transit = None

    def packet(self, seq, ts, arrival_us):
        if self.base is None:
            self.base = self.max = seq
        elif seq > self.max:
            self.max = seq
        self.received += 1
        transit = arrival_us * self.rate // 1000000 - ts
        if self.transit is not None:
            self.jitter += (abs(transit - self.transit) - self.jitter) / 16
        self.transit = transit

    def report_block(self):
        expected = self.max - self.base + 1
        lost = expected - self.received
        fraction = (lost << 8) // expected if lost > 0 else 0
        return (report_block(self.ssrc, self.max, int(self.jitter), fraction=fraction, lost=lost),
                (fraction, lost, self.max, int(self.jitter)))


class SenderReport:
    """RTCP compound: SR with one report block, SDES CNAME (RFC 3550 6.4.1, 6.5)."""

    kind = 'RTCP'

    def __init__(self, st, rtp_ts, t_us, receiver):
        rb, self.rb = receiver.report_block()
        self.raw = sender_report(st.ssrc, t_us, rtp_ts, st.packets, st.octets, rb)[0] + sdes_cname(st.ssrc, st.cname)
        self.text = ('RTCP SR SSRC 0x%08x (packets %d, octets %d) report block about 0x%08x: fraction lost %d, '
                     'cumulative lost %d, extended highest seq %d, jitter %d; SDES CNAME "%s"'
                     % ((st.ssrc, st.packets, st.octets, receiver.ssrc) + self.rb + (st.cname.decode(),)))


def rtp_text(p):
    return 'RTP PT %d seq %d timestamp %d SSRC 0x%08x%s' % (p.st.pt, p.seq, p.ts, p.st.ssrc,
                                                            ' marker' if p.marker else '')


class TcpConn:
    """One TCP connection (RFC 793) as the server sees it: each side's
    sequence numbers in sending order; the acknowledgement of a segment is
    everything its sender had received when it sent it (the server: what it
    captured before; the client: what the server sent one round trip before)."""

    def __init__(self, client, server, isn_c, isn_s):
        self.ends = {'c': client, 's': server}
        self.nxt = {'c': isn_c, 's': isn_s}
        self.win = {'c': 64240, 's': 65535}

    def segment(self, side, flags, payload):
        seq = self.nxt[side]
        self.nxt[side] = (seq + len(payload) + (1 if flags & 0x03 else 0)) & 0xFFFFFFFF
        return seq, self.nxt[side]


class Timeline:
    """Frames at explicit times (us after T0), written in time order."""

    def __init__(self):
        self.events = []
        self.hosts = {ip: Host(ip, MAC_EDGE if ip.startswith('192.0.2.') else MAC_GW, ttl, ident)
                      for ip, ttl, ident in [(CLIENT[0], 55, 0x3a10), (SERVER[0], 64, 0x1c00),
                                             (RELAYED[0], 64, 0x5e00), (PEER[0], 51, 0x7700),
                                             (CLIENT2[0], 54, 0x0b20), (PEER2[0], 50, 0x2d40)]}

    def add(self, t_us, src, dst, payload, summary, tcp=None):
        self.events.append((t_us, len(self.events), src, dst, payload, summary, tcp))

    def add_tcp(self, t_us, conn, side, flags, payload, summary):
        seq, end = conn.segment(side, flags, payload)
        other = 's' if side == 'c' else 'c'
        self.add(t_us, conn.ends[side], conn.ends[other], payload, summary, (conn, side, flags, seq, end))

    def frames(self):
        out = []
        sent = []      # (time, conn, side, end seq) of the TCP segments so far
        # IP identification counters advance in sending order.
        for t_us, _, src, dst, payload, summary, tcp in sorted(self.events):
            s, d = self.hosts[src[0]], self.hosts[dst[0]]
            if tcp is None:
                frame = udp_frame(s, src[1], d, dst[1], payload, s.mac, d.mac)
            else:
                conn, side, flags, seq, end = tcp
                delay = 0 if side == 's' else RTT_US
                acks = [e for t, c, sd, e in sent if c is conn and sd != side and t + delay <= t_us]
                ack = acks[-1] if acks else 0
                flags |= 0x10 if acks else 0
                frame = tcp_frame(s, src[1], d, dst[1], seq, ack, flags, conn.win[side], payload)
                sent.append((t_us, conn, side, end))
            out.append((t_us, frame, src, dst, summary))
        return out


def build():
    tl = Timeline()
    build_udp(tl)
    build_tcp(tl)
    return tl.frames()


def build_udp(tl):
    ms = 1000

    # Allocation (RFC 5766 6), permission (9).
    a1 = request(0x0003, 'edge:allocate1', [a_raw(0x0019, 'REQUESTED-TRANSPORT', b'\x11\0\0\0', 'UDP')],
                 authenticated=False)
    tl.add(0, CLIENT, SERVER, a1.raw, 'Allocate Request (no credentials)')
    tl.add(380, SERVER, CLIENT, response(a1, [a_error(401, b'Unauthorized'), a_str(0x0014, 'REALM', REALM),
                                               a_str(0x0015, 'NONCE', NONCE)], error=True).raw,
           'Allocate Error Response 401 (REALM, NONCE)')
    a2 = request(0x0003, 'edge:allocate2', [a_raw(0x0019, 'REQUESTED-TRANSPORT', b'\x11\0\0\0', 'UDP')])
    tl.add(21 * ms, CLIENT, SERVER, a2.raw, 'Allocate Request (authenticated)')
    tl.add(21 * ms + 410, SERVER, CLIENT,
           response(a2, [a_xaddr(0x0016, 'XOR-RELAYED-ADDRESS', *RELAYED),
                         a_xaddr(0x0020, 'XOR-MAPPED-ADDRESS', *CLIENT), a_u32(0x000D, 'LIFETIME', 600)]).raw,
           'Allocate Success Response (relayed %s)' % fmt_addr(*RELAYED))
    cp = request(0x0008, 'edge:permission', [xpeer(PEER)])
    tl.add(41 * ms, CLIENT, SERVER, cp.raw, 'CreatePermission Request (peer %s)' % PEER[0])
    tl.add(41 * ms + 350, SERVER, CLIENT, response(cp, []).raw, 'CreatePermission Success Response')
    permitted_at = 41 * ms + 350
    cb = request(0x0009, 'edge:channelbind', [a_raw(0x000C, 'CHANNEL-NUMBER', struct.pack('!HH', CHANNEL, 0),
                                                    '0x4000'), xpeer(PEER)])
    bind_at = 95 * ms
    tl.add(bind_at, CLIENT, SERVER, cb.raw, 'ChannelBind Request 0x4000 (peer %s)' % fmt_addr(*PEER))
    bound_at = bind_at + 330
    tl.add(bound_at, SERVER, CLIENT, response(cb, []).raw, 'ChannelBind Success Response')

    a = RtpStream('edge-a', 0xA11CE001, 0, 5000, 0x1F2E3D4C, 160, 160, b'client@edge.example.net')
    b = RtpStream('edge-b', 0xB0B0B002, 9, 7000, 0x5A6B7C8D, 160, 160, b'peer@example.org')
    peer_rx = Receiver(a.ssrc, 8000)     # the peer's view of the client's stream
    client_rx = Receiver(b.ssrc, 8000)   # the client's view of the peer's stream
    start = {'a': 61 * ms, 'b': 33 * ms}
    rtcp_after = {'a': 12, 'b': 14}

    for k in range(PACKETS):
        for side, st, src, dst in [('a', a, CLIENT, PEER), ('b', b, PEER, CLIENT)]:
            p = st.next(marker=k == 0)
            sent = start[side] + k * PTIME_US
            if (side, k) in [('a', A_LOST), ('b', B_LOST)]:
                continue
            arrival = sent + arrival_delay(side, k) + (25 * ms if (side, k) == ('a', A_LATE) else 0)
            if relay(tl, side, k, p, arrival, permitted_at, bound_at, rtp_text(p)):
                (peer_rx if side == 'a' else client_rx).packet(p.seq, p.ts, arrival + forward_delay(side, k))
            if k == rtcp_after[side]:
                rx = client_rx if side == 'a' else peer_rx
                t = sent + 5 * ms
                sr = SenderReport(st, (st.ts - 160 + 40) & 0xFFFFFFFF, t + (T0 * 1000000), rx)
                relay(tl, side, 'sr', sr, t + arrival_delay(side, 100 + k), permitted_at, bound_at, sr.text)

    end = start['a'] + PACKETS * PTIME_US + 40 * ms
    rf = request(0x0004, 'edge:refresh', [a_u32(0x000D, 'LIFETIME', 0)])
    tl.add(end, CLIENT, SERVER, rf.raw, 'Refresh Request (LIFETIME 0: delete the allocation)')
    tl.add(end + 300, SERVER, CLIENT, response(rf, [a_u32(0x000D, 'LIFETIME', 0)]).raw, 'Refresh Success Response')


def build_tcp(tl):
    """MS-TURN over TCP 443 through the same server (MS-TURN 3.1, as a Lync
    client talks to an Edge): pseudo-TLS, Allocate with a 401 challenge,
    Set Active Destination, then end-to-end data (type 0x03, RFC 4571
    framed) relayed as plain UDP from the relayed address."""
    ms = 1000
    t0 = TCP_START_US
    conn = TcpConn(CLIENT2, SERVER_TCP, 0x7C1D2E3F, 0x2A4B6C8D)
    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    half = RTT_US // 2
    tl.add_tcp(t0, conn, 'c', SYN, b'', 'TCP SYN')
    tl.add_tcp(t0 + 150, conn, 's', SYN, b'', 'TCP SYN, ACK')
    tl.add_tcp(t0 + RTT_US + 300, conn, 'c', ACK, b'', 'TCP ACK')
    tl.add_tcp(t0 + RTT_US + 400, conn, 'c', PSH, CLIENT_HELLO, 'pseudo-TLS ClientHello (MS-TURN 2.1.1)')
    tl.add_tcp(t0 + RTT_US + 650, conn, 's', PSH, server_hello()[0], 'pseudo-TLS ServerHello, ServerHelloDone')

    nonce = H('edge-tcp-nonce', 15).hex().encode()
    connid = H('edge-tcp-connid', 20)
    t = t0 + 2 * RTT_US + 800
    m = Msg(0x0003, cookie_tid('edge-tcp-alloc-1'),
            [a_magic(), a_msver(6), a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    tl.add_tcp(t, conn, 'c', PSH, frame02(m), 'MS-TURN Allocate Request (no credentials)')
    m = Msg(0x0113, m.tid, [a_magic(), a_error(401, b'Unauthorized'),
                            a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
                            a_str(0x0015, 'REALM (MS-TURN numbering)', b'SIP Communications Service'), a_msver(6)],
            'ms-turn')
    tl.add_tcp(t + 300, conn, 's', PSH, frame02(m), 'MS-TURN Allocate Error Response 401')
    t += RTT_US + 500
    m = Msg(0x0003, cookie_tid('edge-tcp-alloc-2'), [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn', MI_TURN)
    tl.add_tcp(t, conn, 'c', PSH, frame02(m), 'MS-TURN Allocate Request (authenticated)')
    m = Msg(0x0103, m.tid, [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', *RELAYED2),
                            a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', *CLIENT2),
                            a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6), a_seqnum(connid, 0)],
            'ms-turn', MI_TURN)
    tl.add_tcp(t + 400, conn, 's', PSH, frame02(m), 'MS-TURN Allocate Response (relayed %s)' % fmt_addr(*RELAYED2))
    t += RTT_US + 500
    m = Msg(0x0006, cookie_tid('edge-tcp-sad'), [a_magic(), a_str(0x0006, 'USERNAME', b'msstun-user'),
                                                 a_seqnum(connid, 1), a_addr(0x0011, 'DESTINATION-ADDRESS', *PEER2)],
            'ms-turn', MI_TURN)
    tl.add_tcp(t, conn, 'c', PSH, frame02(m), 'MS-TURN Set Active Destination Request (%s)' % fmt_addr(*PEER2))
    active_at = t + 300
    tl.add_tcp(active_at, conn, 's', PSH, frame02(Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN)),
               'MS-TURN Set Active Destination Response')

    # PCMA (PT 8) from the client, PCMU (PT 0) from the peer; one peer packet
    # lost before the server.
    c = RtpStream('edge-c', 0xC0FFEE03, 8, 3000, 0x0BADF00D, 160, 160, b'client2@edge.example.net')
    p = RtpStream('edge-d', 0xD00DFEED, 0, 9000, 0x600DCAFE, 160, 160, b'peer2@example.org')
    start = active_at + half + 2 * ms
    for k in range(12):
        sent = start + k * PTIME_US
        pkt = c.next(marker=k == 0)
        arrival = sent + half + arrival_delay('c', k)
        tl.add_tcp(arrival, conn, 'c', PSH, frame03(Rfc4571(pkt).raw), 'end-to-end data: ' + rtp_text(pkt))
        tl.add(arrival + forward_delay('c', k), RELAYED2, PEER2, pkt.raw, 'relayed: ' + rtp_text(pkt))
        pkt = p.next(marker=k == 0)
        if k == 6:
            continue
        arrival = sent + 7 * ms + arrival_delay('d', k)
        tl.add(arrival, PEER2, RELAYED2, pkt.raw, 'from the peer: ' + rtp_text(pkt))
        tl.add_tcp(arrival + forward_delay('d', k), conn, 's', PSH, frame03(Rfc4571(pkt).raw),
                   'end-to-end data: ' + rtp_text(pkt))
    t = start + 12 * PTIME_US + half
    tl.add_tcp(t, conn, 'c', FIN, b'', 'TCP FIN, ACK')
    tl.add_tcp(t + 200, conn, 's', FIN, b'', 'TCP FIN, ACK')
    tl.add_tcp(t + RTT_US + 400, conn, 'c', ACK, b'', 'TCP ACK')


def relay(tl, side, k, inner, arrival, permitted_at, bound_at, text):
    """One datagram through the server: leg 1 and leg 2, in the order the
    server sees them, and the TURN framing it has at that moment.  False
    when the server drops it."""
    fwd = arrival + forward_delay(side, k)
    if side == 'a':
        if arrival >= bound_at:
            tl.add(arrival, CLIENT, SERVER, channel_data(inner), 'ChannelData 0x4000: ' + text)
        else:
            tl.add(arrival, CLIENT, SERVER, indication(0x0016, 'edge:send:%s' % k, PEER, inner).raw,
                   'Send Indication: ' + text)
        tl.add(fwd, RELAYED, PEER, inner.raw, 'relayed: ' + text)
        return True
    if arrival < permitted_at:
        tl.add(arrival, PEER, RELAYED, inner.raw, 'from the peer, no permission yet (dropped): ' + text)
        return False
    tl.add(arrival, PEER, RELAYED, inner.raw, 'from the peer: ' + text)
    if fwd >= bound_at:
        tl.add(fwd, SERVER, CLIENT, channel_data(inner), 'ChannelData 0x4000: ' + text)
    else:
        tl.add(fwd, SERVER, CLIENT, indication(0x0017, 'edge:data:%s' % k, PEER, inner).raw,
               'Data Indication: ' + text)
    return True


def pcap(frames):
    return pcap_file.write((T0 * 1000000 + t_us, f) for t_us, f, _, _, _ in frames)


def manifest(frames):
    L = ['# msstun test captures: a TURN server capture', '',
         'Printed by `python3 captures/gen_turn_edge.py --describe`.  Frame numbers are 1-based as in Wireshark; '
         'times are '
         'seconds after 2026-01-01 00:00:00 UTC (epoch %d).' % T0, '',
         '## %s' % NAME, '',
         'Two calls through a TURN server (RFC 5766 as coturn answers it, then MS-TURN over TCP 443), captured on '
         'the server: both legs '
         'of each stream. Classic libpcap, LINKTYPE_ETHERNET, snaplen 65535, IPv4, all IP/UDP/TCP checksums '
         'correct.', '',
         '* leg 1: client %s <-> server %s; leg 2: relayed %s <-> peer %s (RTP and RTCP multiplexed).'
         % (fmt_addr(*CLIENT), fmt_addr(*SERVER), fmt_addr(*RELAYED), fmt_addr(*PEER)),
         '* Long-term credentials: USERNAME "%s", REALM "%s", password "%s"; key MD5(user:realm:pass) = %s. '
         'MESSAGE-INTEGRITY HMAC-SHA1, FINGERPRINT on every request and response; NONCE "%s", SOFTWARE "%s".'
         % (USER.decode(), REALM.decode(), PASSWORD.decode(), KEY.hex(), NONCE.decode(), SOFTWARE.decode()),
         '* Client -> peer: PCMU PT 0, SSRC 0xa11ce001, seq 5000-5023, timestamp +160 per 20 ms; seq %d lost '
         'before the server, seq %d arrives 25 ms late (after %d).' % (5000 + A_LOST, 5000 + A_LATE,
                                                                      5001 + A_LATE),
         '* Peer -> client: G.722 PT 9, SSRC 0xb0b0b002, seq 7000-7023; seq %d reaches the relayed address '
         'before the permission and is dropped (leg 2 only), seq %d is lost before the server.'
         % (7000 + B_EARLY, 7000 + B_LOST),
         '* Send/Data indications until the ChannelBind succeeds, ChannelData 0x4000 after it.',
         '* Second call (from 0.7 s), MS-TURN over TCP: client %s <-> server %s (pseudo-TLS, MS-TURN TCP framing '
         'type 0x02 control and 0x03 end-to-end data with RFC 4571 frames); relayed %s <-> peer %s. MS-TURN '
         'credentials and layouts as in `python3 captures/gen_msturn.py --describe` (USERNAME "msstun-user", '
         'REALM "SIP Communications Service", '
         'HMAC-SHA256).' % (fmt_addr(*CLIENT2), fmt_addr(*SERVER_TCP), fmt_addr(*RELAYED2), fmt_addr(*PEER2)),
         '* Client -> peer: PCMA PT 8, SSRC 0xc0ffee03, seq 3000-3011; peer -> client: PCMU PT 0, SSRC 0xd00dfeed, '
         'seq 9000-9011, seq 9006 lost before the server.', '',
         '| Frame | Time | Source | Destination | Transport | Summary |', '|---|---|---|---|---|---|']
    for n, (t_us, f, src, dst, summary) in enumerate(frames, 1):
        if f[23] == 17:
            transport = 'UDP, %d bytes' % (len(f) - 42)
        else:
            seq, ack, hl = struct.unpack('!IIB', f[38:47])
            transport = 'TCP seq %d ack %d, %d bytes' % (seq, ack, len(f) - 34 - (hl >> 4) * 4)
        L.append('| %d | %d.%06d | %s | %s | %s | %s |' % (n, t_us // 1000000, t_us % 1000000, fmt_addr(*src),
                                                            fmt_addr(*dst), transport, summary))
    return '\n'.join(L) + '\n'


# ----------------------------------------------------------------------------
# Independent verification of the written bytes

def verify(data):
    """Returns the number of TURN messages; asserts everything else."""
    last_t, n_stun = 0, 0
    # Datagrams waiting for their relayed copy, per relayed address and direction.
    queues = {(RELAYED, 'out'): [], (RELAYED, 'in'): [], (RELAYED2, 'out'): [], (RELAYED2, 'in'): []}
    tcp_next, dropped, permitted = {}, 0, False
    for (sec, usec), f, orig in pcap_file.read(data):
        assert len(f) == orig and sec * 1000000 + usec >= last_t
        last_t = sec * 1000000 + usec
        ip = f[14:34]
        assert f[12:14] == b'\x08\x00' and ip[0] == 0x45 and ip[9] in (6, 17) and csum(ip) == 0
        s = (ipaddress.ip_address(ip[12:16]).compressed, struct.unpack('!H', f[34:36])[0])
        d = (ipaddress.ip_address(ip[16:20]).compressed, struct.unpack('!H', f[36:38])[0])
        seg = f[34:]
        assert struct.unpack('!H', ip[2:4])[0] == 20 + len(seg)
        assert l4_csum(ip[12:16], ip[16:20], ip[9], seg) == 0
        if ip[9] == 6:
            n_stun += verify_tcp(s, d, seg, tcp_next, queues)
            continue
        assert struct.unpack('!H', seg[4:6])[0] == len(seg)
        payload = seg[8:]
        if d in (RELAYED, RELAYED2):
            # RFC 5766 10.3: relayed to the client only with a permission
            # (MS-TURN: from the active destination).
            assert s == {RELAYED: PEER, RELAYED2: PEER2}[d]
            if permitted or d == RELAYED2:
                queues[(d, 'in')].append(payload)
            else:
                dropped += 1
        elif s in (RELAYED, RELAYED2):
            assert d == {RELAYED: PEER, RELAYED2: PEER2}[s] and queues[(s, 'out')].pop(0) == payload
        elif payload[0] & 0xC0 == 0x40:
            assert struct.unpack('!HH', payload[:4]) == (CHANNEL, len(payload) - 4)
            if s == CLIENT:
                queues[(RELAYED, 'out')].append(payload[4:])
            else:
                assert queues[(RELAYED, 'in')].pop(0) == payload[4:]
        else:
            assert (s, d) in ((CLIENT, SERVER), (SERVER, CLIENT))
            mtype, inner = stun_message(payload)
            n_stun += 1
            permitted = permitted or mtype == 0x0108
            if mtype == 0x0016:
                queues[(RELAYED, 'out')].append(inner)
            elif mtype == 0x0017:
                assert queues[(RELAYED, 'in')].pop(0) == inner
    assert not any(queues.values()) and dropped == 1
    return n_stun


def verify_tcp(s, d, seg, tcp_next, queues):
    """One segment of the MS-TURN connection: sequence continuity, an ACK of
    nothing unsent, and whole MS-TURN frames (MS-TURN 2.1.4) in it."""
    assert (s, d) in ((CLIENT2, SERVER_TCP), (SERVER_TCP, CLIENT2))
    seq, ack, hl, flags = struct.unpack('!IIBB', seg[4:14])
    payload = seg[(hl >> 4) * 4:]
    if flags & 0x02:
        tcp_next[s] = seq
    assert tcp_next[s] == seq
    tcp_next[s] = (seq + len(payload) + (1 if flags & 0x03 else 0)) & 0xFFFFFFFF
    if flags & 0x10:
        assert ack == tcp_next[d] or (ack - tcp_next[d]) & 0x80000000
    if not payload or payload[0] == 0x16:      # pseudo-TLS handshake (MS-TURN 2.1.1)
        return 0
    ftype, length = payload[0], struct.unpack('!H', payload[2:4])[0]
    assert payload[1] == 0 and len(payload) == 4 + length
    if ftype == 0x03:
        inner_len = struct.unpack('!H', payload[4:6])[0]     # RFC 4571
        assert inner_len == length - 2
        if s == CLIENT2:
            queues[(RELAYED2, 'out')].append(payload[6:])
        else:
            assert queues[(RELAYED2, 'in')].pop(0) == payload[6:]
        return 0
    assert ftype == 0x02
    msturn_message(payload[4:])
    return 1


def msturn_message(msg):
    """MS-TURN (MS-TURN 2.2): unpadded attributes, MAGIC-COOKIE first,
    HMAC-SHA256 MESSAGE-INTEGRITY with the long-term key."""
    mtype, length = struct.unpack('!HH', msg[:4])
    assert len(msg) == 20 + length
    pos, seen = 20, []
    while pos < len(msg):
        atype, alen = struct.unpack('!HH', msg[pos:pos + 4])
        value = msg[pos + 4:pos + 4 + alen]
        seen.append(atype)
        if atype in (0x0001, 0x0011):
            addr = (ipaddress.ip_address(value[4:8]).compressed, struct.unpack('!H', value[2:4])[0])
            assert addr == {0x0001: RELAYED2, 0x0011: PEER2}[atype]
        elif atype == 0x8020:
            port = struct.unpack('!H', value[2:4])[0] ^ 0x2112
            addr = ipaddress.ip_address(bytes(x ^ y for x, y in zip(value[4:8], msg[4:8]))).compressed
            assert (addr, port) == CLIENT2
        elif atype == 0x0008:
            head = struct.pack('!HH', mtype, pos + 36 - 20) + msg[4:pos]
            assert hmac.new(TURN_KEY, head, 'sha256').digest() == value and pos + 36 == len(msg)
        pos += 4 + alen
    assert pos == len(msg) and seen[0] == 0x000F
    assert (0x0008 in seen) == (mtype not in (0x0113,) and (0x0006 in seen or mtype & 0x0100 != 0))


def stun_message(msg):
    """Checks one STUN message (RFC 5389 6, 15); returns its type and DATA (or None)."""
    mtype, length = struct.unpack('!HH', msg[:4])
    assert msg[4:8] == b'\x21\x12\xa4\x42' and len(msg) == 20 + length and length % 4 == 0
    pos, data, seen = 20, None, []
    while pos < len(msg):
        atype, alen = struct.unpack('!HH', msg[pos:pos + 4])
        value = msg[pos + 4:pos + 4 + alen]
        seen.append(atype)
        if atype in (0x0012, 0x0016, 0x0020):
            port = struct.unpack('!H', value[2:4])[0] ^ 0x2112
            addr = ipaddress.ip_address(bytes(x ^ y for x, y in zip(value[4:8], msg[4:8]))).compressed
            assert value[:2] == b'\0\x01' and (addr, port) == {0x0012: PEER, 0x0016: RELAYED, 0x0020: CLIENT}[atype]
        elif atype == 0x0008:
            head = struct.pack('!HH', mtype, pos + 24 - 20) + msg[4:pos]
            assert hmac.new(KEY, head, 'sha1').digest() == value
        elif atype == 0x8028:
            head = struct.pack('!HH', mtype, length) + msg[4:pos]
            assert (zlib.crc32(head) ^ 0x5354554E) == struct.unpack('!I', value)[0]
        elif atype == 0x0013:
            data = value
        pos += 4 + alen + (-alen % 4)
    assert pos == len(msg)
    indication = mtype in (0x0016, 0x0017)
    assert (data is not None) == indication
    # Indications carry neither; the first Allocate and the 401 only FINGERPRINT.
    if not indication:
        assert seen[-1] == 0x8028 and (seen[-2] == 0x0008) == (0x0006 in seen or mtype & 0x0110 == 0x0100)
    return mtype, data


def main(argv):
    check = '--check' in argv
    args = [a for a in argv if not a.startswith('--')]
    outdir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    frames = build()
    if '--describe' in argv:
        sys.stdout.write(manifest(frames))
        return 0
    files = {NAME: pcap(frames)}
    n = verify(files[NAME])
    if check:
        for name, data in files.items():
            with open(os.path.join(outdir, name), 'rb') as f:
                assert f.read() == data, '%s differs from a fresh build' % name
        print('check OK: %d files identical to a fresh build, %d frames, %d TURN messages verified'
              % (len(files), len(frames), n))
        return 0
    os.makedirs(outdir, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)
        print('%-24s %7d bytes  sha256 %s' % (name, len(data), hashlib.sha256(data).hexdigest()[:16]))
    print('%d frames, %d TURN messages verified' % (len(frames), n))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
