#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_edge.py - a large, realistic Lync/Skype for Business Edge capture for benchmarking.

Usage:  python3 gen_edge.py [--frames N] [--out PATH]

Writes exactly N frames (default 1000000) of classic libpcap (LINKTYPE_ETHERNET) to PATH
(default edge-N.pcap in the current directory), streamed tick by tick: nothing but the
current 20 ms tick is held in memory.  Deterministic (no randomness: every "random"
choice is a SHA-256 of a fixed label), so two runs give byte-identical files.

The STUN/MS-TURN/MS-ICE2 messages, RTP, RTCP, RFC 4571 and MS-TURN TCP framing, the
pseudo-TLS hellos and the Ethernet/IPv4/UDP/TCP frames are built by the spec-built
builders of captures/lib/ (imported, not copied); see captures/gen_msturn.py for the
specification of every construct.  Checksums are correct (those builders compute them).

What the capture holds (time advances in 20 ms ticks; many sessions run concurrently,
each one in a "seat" that starts a new session after the previous one ends):

  * MS-TURN over UDP 3478 (client <-> Edge internal 192.0.2.1): Allocate, 401,
    authenticated Allocate, success (MAPPED-ADDRESS = relay 192.0.2.15:port,
    XOR-MAPPED-ADDRESS, LIFETIME, MS-SEQUENCE-NUMBER); MS-ICE2 checks relayed both ways
    in Send / Data Indication, with their copies on the relay <-> peer external leg;
    RTP carried in Send / Data Indication for a few ticks, then Set Active Destination
    and raw RTP (PT 104, 20 ms) plus RTCP SR+SDES on the client <-> Edge 5-tuple and on
    the relay <-> peer leg (the ports the allocation teaches); Allocate refreshes every
    REFRESH_TICKS; Allocate LIFETIME 0 at the end.
  * MS-TURN over TCP 443: TCP handshake, the MS-TURN pseudo-TLS hellos, the same TURN
    exchange in 0x02 control frames (relayed data RFC 4571 framed), then 0x03 end-to-end
    data carrying RFC 4571 RTP/RTCP (sometimes two RFC 4571 frames in one 0x03 frame);
    the external leg is UDP as above; FIN at the end.
  * Direct media: a client allocates and checks through the relay as above, then
    MS-ICE2 checks on the direct path (answered both ways, USE-CANDIDATE) and RTP/RTCP
    peer to peer on that path (no Set Active Destination).
  * Real-looking TLS 1.3 on other TCP 443 connections: ClientHello with SNI,
    ServerHello, ChangeCipherSpec, encrypted application_data records both ways.

Concurrency scales with N (SEATS = clamp(N / 2500, 8, 400)), so every size has the same
mix of frames and covers about the same capture time (~15 s); at 10^6 frames ~400 seats
run concurrently and ~1000 allocations are made.
"""

import argparse
import ipaddress
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True   # leave no __pycache__ in captures/
sys.path.insert(0, os.path.join(HERE, '..', 'captures'))
from lib.base import T0, H  # noqa: E402
from lib import pcap  # noqa: E402
from lib.capture import Sink, TcpFlow  # noqa: E402
from lib.net import ACK, FIN, PSH, SYN, Host, udp_frame  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, MAC_EDGE_EXT, MAC_GW, RELAY_IP  # noqa: E402
from lib.rtp import Rtcp, RtpStream  # noqa: E402
from lib.stun import (MI_TURN, REALM, REGISTRY, TURN_USER, Msg, Rfc4571, Stun, a_addr, a_error,  # noqa: E402
                      a_magic, a_msver, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, auth_attrs, cookie_tid, frame02,
                      frame03, ice_request, ice_response, ms_data_indication, ms_send, plain_tid, prio)
from lib.tls import CCS, CLIENT_HELLO, app_data, client_hello_13, server_hello, server_hello_13  # noqa: E402

TICK_US = 20000
RTCP_TICKS = 250          # an RTCP SR+SDES every 5 s per stream
REFRESH_TICKS = 150       # Allocate refresh every 3 s (compressed time; MS-TURN lifetime is 480 s)
KINDS = ('udp', 'udp', 'tcp', 'p2p', 'udp', 'tls', 'udp', 'tcp', 'p2p', 'udp')

EDGE_INT = Host('192.0.2.1', MAC_EDGE, 128, 0x5000)
RELAY = Host(RELAY_IP, MAC_EDGE_EXT, 128, 0xA000)
TLS_SERVERS = [Host('192.0.2.1', MAC_EDGE, 128, 0x5800), Host('192.0.2.20', MAC_EDGE, 128, 0x6000),
               Host('192.0.2.21', MAC_EDGE, 128, 0x6800)]
PA = PSH | ACK


def u32(label):
    return struct.unpack('!I', H(label, 4))[0]


def ip_plus(base, n):
    return str(ipaddress.IPv4Address(int(ipaddress.IPv4Address(base)) + n))


class Udp:
    """A UDP 5-tuple; sends a payload object (anything with .raw) through lib.net.udp_frame."""

    def __init__(self, sink, a, aport, amac, b, bport, bmac):
        self.sink = sink
        self.ends = {'A': (a, aport, amac), 'B': (b, bport, bmac)}

    def send(self, frm, obj):
        src, sport, smac = self.ends[frm]
        dst, dport, dmac = self.ends['B' if frm == 'A' else 'A']
        self.sink.add(udp_frame(src, sport, dst, dport, obj.raw, smac, dmac))


class Tcp(TcpFlow):
    def send(self, frm, payload, flags=PA):
        self.seg(frm, flags, payload, 'bench')


class Session:
    """One client (one seat, one generation).  run() is a generator: one yield per tick."""

    t_us = 0   # start of the current tick (microseconds since the epoch), set by the scheduler

    def __init__(self, sink, n, kind, start_gap, duration):
        self.sink, self.n, self.kind = sink, n, kind
        self.gap, self.duration = start_gap, duration
        self.lbl = 'edge-%d' % n
        self.client = Host(ip_plus('10.20.0.1', n), MAC_CLIENT, 128, u32(self.lbl + ':ipid') & 0xFFFF)
        self.cport = 50000 + (n * 2) % 10000
        self.rport = 20000 + (n * 2) % 30000
        self.peer = Host(ip_plus('203.0.113.1', n % 250) if n % 500 < 250 else ip_plus('198.51.100.1', n % 250),
                           MAC_GW, 117, u32(self.lbl + ':peer-ipid') & 0xFFFF)
        self.pport = 40000 + (n // 500 * 2) % 20000
        self.tick = 0          # ticks since the start of the session (after the gap)
        self.nonce = H(self.lbl + ':nonce', 15).hex().encode()
        self.connid = H(self.lbl + ':connid', 20)
        self.seqno = 0
        self.mtid = 0
        self.rtcp_off = u32(self.lbl + ':rtcp') % RTCP_TICKS
        self.refresh_off = u32(self.lbl + ':refresh') % REFRESH_TICKS
        plen = 40 + u32(self.lbl + ':plen') % 41
        self.cs = RtpStream(self.lbl + 'c', u32(self.lbl + ':ssrc-c'), 104, u32(self.lbl + ':seq-c') & 0xFFFF,
                              u32(self.lbl + ':ts-c'), 320, plen, b'client%d@msstun.example' % n)
        self.ps = RtpStream(self.lbl + 'p', u32(self.lbl + ':ssrc-p'), 104, u32(self.lbl + ':seq-p') & 0xFFFF,
                              u32(self.lbl + ':ts-p'), 320, plen, b'peer%d@msstun.example' % n)
        self.tcp = None

    # -- MS-TURN messages (the exchange of gen_msturn.build_udp3478 / build_tcp443)

    def tid(self, what):
        self.mtid += 1
        return cookie_tid('%s:%s:%d' % (self.lbl, what, self.mtid))

    def next_seq(self):
        self.seqno += 1
        return self.seqno

    def alloc_unauth(self):
        return Msg(0x0003, self.tid('alloc'), [a_magic(), a_msver(6), a_svcq(1, 0),
                                                 a_u32(0x0010, 'BANDWIDTH', 100)], 'ms-turn')

    def alloc_401(self, req, port):
        return Msg(0x0113, req.tid,
                     [a_magic(), a_error(401, b'Unauthorized'),
                      a_str(0x0014, 'NONCE', self.nonce), a_str(0x0015, 'REALM', REALM),
                      a_addr(0x000E, 'ALTERNATE-SERVER', EDGE_INT.ip, port), a_msver(6)], 'ms-turn')

    def alloc_auth(self, lifetime=None):
        extra = [a_u32(0x000D, 'LIFETIME', lifetime)] if lifetime is not None else \
            [a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100)]
        return Msg(0x0003, self.tid('alloc-auth'), [a_magic(), a_msver(6)] + auth_attrs(self.nonce) + extra,
                     'ms-turn', MI_TURN)

    def alloc_ok(self, req, lifetime=480, first=False):
        attrs = [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY.ip, self.rport),
                 a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS', self.client.ip, self.cport),
                 a_u32(0x000D, 'LIFETIME', lifetime), a_msver(6)]
        if first:
            attrs.append(a_seqnum(self.connid, 0))
        return Msg(0x0103, req.tid, attrs, 'ms-turn', MI_TURN)

    def send_req(self, inner):
        return ms_send(self.tid('send'), self.connid, self.next_seq(), self.peer.ip, self.pport, inner)

    def data_ind(self, inner):
        self.mtid += 1
        return ms_data_indication(plain_tid('%s:dataind:%d' % (self.lbl, self.mtid)), self.peer.ip, self.pport,
                                  inner)

    def sad(self):
        return Msg(0x0006, self.tid('sad'),
                     [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(self.connid, self.next_seq()),
                      a_addr(0x0011, 'DESTINATION-ADDRESS', self.peer.ip, self.pport)], 'ms-turn', MI_TURN)

    def checks(self, label, use_cand=False):
        """A check client -> peer (controlling) and peer -> client (controlled), with their answers."""
        TA, TB = 0x9F3C5A7E00000000 | self.n, 0x1122334400000000 | self.n
        creq = ice_request('%s:%s:c' % (self.lbl, label), True, prio(110, 65535), TA, True, b'1',
                             use_cand=use_cand)
        preq = ice_request('%s:%s:p' % (self.lbl, label), False, prio(126, 65535), TB, False, b'2')
        return creq, preq

    # -- transports

    def turn_send(self, frm, msg):
        """A TURN control message on the client <-> Edge connection (UDP 3478 or 0x02 frames on TCP 443)."""
        if self.tcp:
            self.tcp.send(frm, frame02(msg))
        else:
            self.turn.send(frm, msg)

    def client_leg(self, frm, media, rtcp):
        """Media, and RTCP when due, on the client <-> Edge leg after Set Active Destination:
        end-to-end data on TCP 443, unwrapped on UDP."""
        if self.tcp:
            objs = [Rfc4571(media)] + ([Rfc4571(rtcp)] if rtcp else [])
            self.tcp.send(frm, frame03(b''.join(o.raw for o in objs)))
        else:
            self.turn.send(frm, media)
            if rtcp:
                self.turn.send(frm, rtcp)

    def wrap(self, obj):
        return Rfc4571(obj) if self.tcp else obj

    def maybe_rtcp(self):
        """RTCP SR+SDES, client's then peer's, every RTCP_TICKS; None when not due."""
        if self.tick % RTCP_TICKS == self.rtcp_off:
            return Rtcp('SR', self.cs, self.ps, self.t_us), None
        if self.tick % RTCP_TICKS == (self.rtcp_off + 7) % RTCP_TICKS:
            return None, Rtcp('SR', self.ps, self.cs, self.t_us)
        return None, None

    # -- the session

    def run(self):
        for _ in range(self.gap):
            yield
        s = self.sink
        if self.kind == 'tls':
            yield from self.run_tls()
            return
        if self.kind == 'tcp':
            self.cport = 30000 + (self.n * 2) % 20000
            self.tcp = Tcp(s, self.client, self.cport, MAC_CLIENT, EDGE_INT, 443, MAC_EDGE,
                           u32(self.lbl + ':isn-a'), u32(self.lbl + ':isn-b'), 64240, 65535)
            self.tcp.send('A', b'', SYN)
            self.tcp.send('B', b'', SYN | ACK)
            self.tcp.send('A', b'', ACK)
            yield
            self.tcp.send('A', CLIENT_HELLO)
            self.tcp.send('B', server_hello()[0])
            yield
        else:
            self.turn = Udp(s, self.client, self.cport, MAC_CLIENT, EDGE_INT, 3478, MAC_EDGE)
        self.ext = Udp(s, RELAY, self.rport, MAC_EDGE_EXT, self.peer, self.pport, MAC_GW)
        port = 443 if self.tcp else 3478
        # allocation
        m = self.alloc_unauth()
        self.turn_send('A', m)
        self.turn_send('B', self.alloc_401(m, port))
        yield
        m = self.alloc_auth()
        self.turn_send('A', m)
        self.turn_send('B', self.alloc_ok(m, first=True))
        yield
        # relayed MS-ICE2 checks, both ways (Send / Data Indication and the external copies)
        creq, preq = self.checks('relay')
        self.turn_send('A', self.send_req(self.wrap(Stun(creq))))
        self.ext.send('A', Stun(creq))
        cresp = ice_response(creq, RELAY.ip, self.rport)
        self.ext.send('B', Stun(cresp))
        self.turn_send('B', self.data_ind(self.wrap(Stun(cresp))))
        yield
        self.ext.send('B', Stun(preq))
        self.turn_send('B', self.data_ind(self.wrap(Stun(preq))))
        presp = ice_response(preq, self.peer.ip, self.pport)
        self.turn_send('A', self.send_req(self.wrap(Stun(presp))))
        self.ext.send('A', Stun(presp))
        yield
        REGISTRY.clear()
        if self.kind == 'p2p':
            yield from self.run_direct()
        else:
            yield from self.run_relayed()
        # deallocation (LIFETIME 0), then close
        m = self.alloc_auth(lifetime=0)
        self.turn_send('A', m)
        self.turn_send('B', self.alloc_ok(m, lifetime=0))
        if self.tcp:
            yield
            self.tcp.send('A', b'', FIN | ACK)
            self.tcp.send('B', b'', FIN | ACK)
            self.tcp.send('A', b'', ACK)
        REGISTRY.clear()

    def refresh_due(self):
        if self.tick % REFRESH_TICKS == self.refresh_off:
            m = self.alloc_auth(lifetime=480)
            self.turn_send('A', m)
            self.turn_send('B', self.alloc_ok(m))
            REGISTRY.clear()

    def run_relayed(self):
        # a few ticks of media inside Send / Data Indication (before the active destination is set)
        for _ in range(3):
            p = self.cs.next(marker=self.cs.packets == 0)
            self.turn_send('A', self.send_req(self.wrap(p)))
            self.ext.send('A', p)
            q = self.ps.next(marker=self.ps.packets == 0)
            self.ext.send('B', q)
            self.turn_send('B', self.data_ind(self.wrap(q)))
            self.tick += 1
            yield
        m = self.sad()
        self.turn_send('A', m)
        self.turn_send('B', Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN))
        REGISTRY.clear()
        self.tick += 1
        yield
        while self.tick < self.duration:
            p, q = self.cs.next(), self.ps.next()
            rc, rp = self.maybe_rtcp()
            self.client_leg('A', p, rc)
            for frm, objs in (('A', (p, rc)), ('B', (q, rp))):
                for o in objs:
                    if o:
                        self.ext.send(frm, o)
            self.client_leg('B', q, rp)
            self.refresh_due()
            self.tick += 1
            yield

    def run_direct(self):
        host_port = self.cport + 1
        d = Udp(self.sink, self.client, host_port, MAC_CLIENT, self.peer, self.pport, MAC_GW)
        creq, preq = self.checks('direct', use_cand=True)
        d.send('A', Stun(creq))
        d.send('B', Stun(ice_response(creq, self.client.ip, host_port)))
        d.send('B', Stun(preq))
        d.send('A', Stun(ice_response(preq, self.peer.ip, self.pport)))
        REGISTRY.clear()
        self.tick += 1
        yield
        while self.tick < self.duration:
            d.send('A', self.cs.next(marker=self.cs.packets == 0))
            d.send('B', self.ps.next(marker=self.ps.packets == 0))
            rc, rp = self.maybe_rtcp()
            if rc:
                d.send('A', rc)
            if rp:
                d.send('B', rp)
            self.refresh_due()
            self.tick += 1
            yield

    # -- real-looking TLS 1.3 on another TCP 443 connection

    def run_tls(self):
        srv = TLS_SERVERS[self.n % len(TLS_SERVERS)]
        cl = Host(ip_plus('10.30.0.1', self.n), MAC_CLIENT, 128, u32(self.lbl + ':tls-ipid') & 0xFFFF)
        t = Tcp(self.sink, cl, 49152 + self.n % 16000, MAC_CLIENT, srv, 443, MAC_EDGE,
                u32(self.lbl + ':isn-a'), u32(self.lbl + ':isn-b'), 64240, 65535)
        t.send('A', b'', SYN)
        t.send('B', b'', SYN | ACK)
        t.send('A', b'', ACK)
        yield
        t.send('A', client_hello_13(self.lbl, b'webext%d.msstun.example' % (self.n % 3)))
        yield
        t.send('B', server_hello_13(self.lbl) + CCS + app_data(self.lbl + ':ee', 1100))
        t.send('B', app_data(self.lbl + ':cert', 1300))
        t.send('A', b'', ACK)
        yield
        t.send('A', CCS + app_data(self.lbl + ':fin', 53) + app_data(self.lbl + ':req0', 380))
        self.tick = 4
        yield
        k = 0
        period = 3 + self.n % 4
        while self.tick < self.duration:
            if self.tick % period == 0:
                k += 1
                t.send('A', app_data('%s:req%d' % (self.lbl, k), 200 + u32('%s:rq%d' % (self.lbl, k)) % 500))
                for j in range(1 + u32('%s:nr%d' % (self.lbl, k)) % 3):
                    t.send('B', app_data('%s:rsp%d.%d' % (self.lbl, k, j), 300 + u32('%s:rs%d.%d' % (self.lbl, k, j))
                                         % 1100))
                t.send('A', b'', ACK)
            self.tick += 1
            yield
        t.send('A', app_data(self.lbl + ':alert', 19))
        t.send('A', b'', FIN | ACK)
        t.send('B', b'', FIN | ACK)
        t.send('A', b'', ACK)


def seats_for(frames):
    return max(8, min(400, frames // 2500))


def generate(frames, out):
    sink = Sink()
    nseats = seats_for(frames)
    seats = [None] * nseats
    counter = [0]

    def new_session(seat, first):
        n = counter[0]
        counter[0] += 1
        kind = KINDS[(seat + 3 * (n // nseats)) % len(KINDS)]
        h = u32('edge-%d:dur' % n)
        duration = 150 + h % 350                 # 3 s .. 10 s
        gap = (h >> 16) % 50 if first else 1 + (h >> 16) % 10
        return Session(sink, n, kind, gap, duration).run()

    for i in range(nseats):
        seats[i] = new_session(i, True)
    written = 0
    tick = 0
    with open(out, 'wb') as f:
        f.write(pcap.file_header())
        while written < frames:
            base = T0 * 1000000 + tick * TICK_US
            for i in range(nseats):
                Session.t_us = base
                try:
                    next(seats[i])
                except StopIteration:
                    seats[i] = new_session(i, False)
            written += sink.write_tick(f, base, TICK_US, frames - written)
            tick += 1
    return written, tick, counter[0], nseats


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--frames', type=int, default=1000000)
    ap.add_argument('--out', default=None)
    a = ap.parse_args(argv)
    if a.frames < 1:
        ap.error('--frames must be positive')
    out = a.out or 'edge-%d.pcap' % a.frames
    written, ticks, sessions, seats = generate(a.frames, out)
    print('%s: %d frames, %.1f s of capture, %d sessions in %d seats, %d bytes'
          % (out, written, ticks * TICK_US / 1e6, sessions, seats, os.path.getsize(out)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
