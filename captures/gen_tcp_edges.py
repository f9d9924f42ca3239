#!/usr/bin/env python3
# gen_tcp_edges.py
# TCP connections at the edges of what the multiplexer must tell apart,
# built with the message, RTP and TCP code of captures/lib:
#
#   tcp-connectionbind.pcap  three connections, each started mid-stream,
#                            every data segment ACKed by the other end:
#     1. MS-TURN over TCP 443 (MS-TURN 2.1.4 framing): a type 0x000B request
#        and a 0x010B success response in 0x02 frames, then end-to-end data
#        (0x03 frames of RFC 4571 RTP) both ways.  MS-TURN has no RFC 6062
#        ConnectionBind; the connection stays MS-TURN framing.
#     2. RFC 5766 TURN over TCP 3478: the client sends a ConnectionBind
#        success response (the wrong way: RFC 6062 5.2 has the server send
#        it), then ChannelData with RTP both ways.
#     3. RFC 5766 TURN over TCP 3478: a ConnectionBind request, a success
#        response with another transaction ID, then ChannelData both ways.
#     4. RFC 6062 data connection on TCP 3478: ConnectionBind request, its
#        success response from the server (RFC 6062 4.3), then the peer's
#        raw bytes both ways.
#
#   msturn-e2e-stream.pcap  MS-TURN over TCP 443 (started mid-stream):
#     each end sends 16 RTP packets as RFC 4571 frames (74 bytes each) in
#     end-to-end data frames cut without regard to them (MS-TURN 2.1.4
#     allows it; libnice does it): chunks of 50, 120, 74, 30 and 160 bytes in
#     turn, so that inner frames straddle outer ones, several share one, and
#     one spans three.  For the TCP disorder sweep of suite_edges_tcp.py.
#
#   srtcp-late-setup.pcap  UDP 10.0.0.10:50000 <-> 192.0.2.1:3478 (media after
#     Set Active Destination shares the TURN 5-tuple, MS-TURN 2.2.4): three
#     RTP packets each way, then a reduced-size SRTCP packet (RFC 5506; an
#     RR header in clear, 16 encrypted bytes, E|index 1, an 80-bit tag, RFC
#     3711 3.4) that no key decrypts, which sets RTCP up for SRTCP.
#
#   python3 captures/gen_tcp_edges.py [OUTDIR]      (default: this folder)
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import struct
import sys

from lib.base import H
from lib.capture import Capture, TcpFlow, UdpFlow
from lib.net import MAC_CLIENT, MAC_EDGE, new_hosts
from lib.rtp import RtpStream
from lib.stun import MI_TURN, Msg, Rfc4571, a_magic, a_msver, a_u32, cookie_tid, frame02, frame03

PA = 0x18
ACK = 0x10
CONNECTION_ID = 0x002A      # RFC 6062 6.2.1


class ChannelData:
    '''RFC 5766 11.4, padded to 4 bytes as on TCP (11.5).'''

    def __init__(self, channel, inner):
        self.raw = struct.pack('!HH', channel, len(inner.raw)) + inner.raw + b'\0' * (-len(inner.raw) % 4)


def _flow(cap, cport, sport, isn_c, isn_s, ident):
    c, e = new_hosts()
    c.ident, e.ident = ident, ident + 0x4000
    fl = TcpFlow(cap, c, cport, MAC_CLIENT, e, sport, MAC_EDGE, isn_c, isn_s, 64240, 65535)
    # Mid-stream: 1000 / 2000 bytes were exchanged before the capture.
    fl.nxt['A'] = (fl.nxt['A'] + 1000) & 0xFFFFFFFF
    fl.nxt['B'] = (fl.nxt['B'] + 2000) & 0xFFFFFFFF
    fl.isn = {k: (v - 1) & 0xFFFFFFFF for k, v in fl.nxt.items()}
    return fl


def _send(fl, frm, payload, summary):
    fl.seg(frm, PA, payload, summary)
    fl.seg('B' if frm == 'A' else 'A', ACK, summary='TCP ACK')


def _bind_request(label):
    return Msg(0x000B, cookie_tid(label), [a_u32(CONNECTION_ID, 'CONNECTION-ID', 0x5A5A0001)], 'rfc5389', fp='std')


def build():
    cap = Capture('tcp-connectionbind.pcap', 'ConnectionBind (0x000B / 0x010B) on four TCP connections')

    # 1. MS-TURN framing on 443.
    fl = _flow(cap, 51100, 443, 0x11111111, 0x22222222, 0x2100)
    cst = RtpStream('bind-msturn-client', 0x0B0B0001, 104, 100, 16000, 320, 60, b'client@msstun.example')
    pst = RtpStream('bind-msturn-peer', 0x0B0B0002, 104, 200, 32000, 320, 60, b'peer@msstun.example')
    req = Msg(0x000B, cookie_tid('bind-msturn'), [a_magic(), a_msver(6)], 'ms-turn', MI_TURN)
    _send(fl, 'A', frame02(req), '02 frame: type 0x000B request')
    _send(fl, 'B', frame02(Msg(0x010B, req.tid, [a_magic(), a_msver(6)], 'ms-turn', MI_TURN)),
          '02 frame: type 0x010B success response')
    for _ in range(2):
        _send(fl, 'A', frame03(Rfc4571(cst.next()).raw), '03 frame: RFC 4571 RTP')
        _send(fl, 'B', frame03(Rfc4571(pst.next()).raw), '03 frame: RFC 4571 RTP')

    # 2. ConnectionBind success sent by the client.
    fl = _flow(cap, 51101, 3478, 0x33333333, 0x44444444, 0x2200)
    cst = RtpStream('bind-wrongway-client', 0x0B0B0003, 0, 300, 48000, 160, 60, b'client@msstun.example')
    pst = RtpStream('bind-wrongway-peer', 0x0B0B0004, 0, 400, 64000, 160, 60, b'peer@msstun.example')
    ok = Msg(0x010B, cookie_tid('bind-wrongway'), [], 'rfc5389', fp='std')
    _send(fl, 'A', ok.raw, 'ConnectionBind success response, client to server')
    _send(fl, 'A', ChannelData(0x4001, cst.next()).raw, 'ChannelData 0x4001: RTP')
    _send(fl, 'B', ChannelData(0x4001, pst.next()).raw, 'ChannelData 0x4001: RTP')

    # 3. A success that answers another transaction.
    fl = _flow(cap, 51102, 3478, 0x55555555, 0x66666666, 0x2300)
    cst = RtpStream('bind-othertid-client', 0x0B0B0005, 0, 500, 80000, 160, 60, b'client@msstun.example')
    pst = RtpStream('bind-othertid-peer', 0x0B0B0006, 0, 600, 96000, 160, 60, b'peer@msstun.example')
    _send(fl, 'A', _bind_request('bind-othertid').raw, 'ConnectionBind request')
    _send(fl, 'B', Msg(0x010B, cookie_tid('bind-othertid-other'), [], 'rfc5389', fp='std').raw,
          'ConnectionBind success response to another transaction')
    _send(fl, 'A', ChannelData(0x4001, cst.next()).raw, 'ChannelData 0x4001: RTP')
    _send(fl, 'B', ChannelData(0x4001, pst.next()).raw, 'ChannelData 0x4001: RTP')

    # 4. A real RFC 6062 data connection.
    fl = _flow(cap, 51103, 3478, 0x77777777, 0x88888888, 0x2400)
    req = _bind_request('bind-data')
    _send(fl, 'A', req.raw, 'ConnectionBind request')
    _send(fl, 'B', Msg(0x010B, req.tid, [], 'rfc5389', fp='std').raw, 'ConnectionBind success response')
    _send(fl, 'A', b'GET / HTTP/1.1\r\nHost: peer.example\r\n\r\n', 'application data to the peer')
    _send(fl, 'B', b'HTTP/1.1 204 No Content\r\n\r\n', 'application data from the peer')
    return cap


E2E_CHUNKS = (50, 120, 74, 30, 160)


def build_e2e_stream():
    cap = Capture('msturn-e2e-stream.pcap', 'MS-TURN end-to-end data cut across RFC 4571 frames, both ways')
    fl = _flow(cap, 51104, 443, 0x99999999, 0xAAAAAAAA, 0x2500)
    streams = {'A': RtpStream('e2e-client', 0x0E2E0001, 104, 1000, 160000, 320, 60, b'client@msstun.example'),
               'B': RtpStream('e2e-peer', 0x0E2E0002, 104, 3000, 480000, 320, 60, b'peer@msstun.example')}
    inner = {k: b''.join(Rfc4571(st.next()).raw for _ in range(16)) for k, st in streams.items()}
    chunks = {'A': [], 'B': []}
    for k, data in inner.items():
        i = 0
        while data:
            n = E2E_CHUNKS[i % len(E2E_CHUNKS)]
            chunks[k].append(data[:n])
            data = data[n:]
            i += 1
    for i in range(max(len(c) for c in chunks.values())):
        for k in 'AB':
            if i < len(chunks[k]):
                _send(fl, k, frame03(chunks[k][i]), '03 frame: %d bytes of the RFC 4571 stream' % len(chunks[k][i]))
    return cap


class Raw:
    def __init__(self, raw):
        self.raw = raw

    def describe(self):
        return ['%d bytes' % len(self.raw)]


def build_srtcp_late_setup():
    cap = Capture('srtcp-late-setup.pcap', 'RTP, then SRTCP that sets RTCP up, on one UDP 5-tuple')
    c, e = new_hosts()
    fl = UdpFlow(cap, c, 50000, MAC_CLIENT, e, 3478, MAC_EDGE)
    streams = {'A': RtpStream('late-client', 0x5C7C0001, 0, 100, 16000, 160, 160, b'client@msstun.example'),
               'B': RtpStream('late-peer', 0x5C7C0002, 0, 200, 32000, 160, 160, b'peer@msstun.example')}
    for _ in range(3):
        for k in 'AB':
            fl.send(k, streams[k].next(), 'RTP')
    srtcp = (struct.pack('!BBHI', 0x80, 201, 1, 0x5C7C0001) + H('srtcp-late-setup-encrypted', 16) +
             struct.pack('!I', 0x80000001) + H('srtcp-late-setup-tag', 10))
    fl.send('A', Raw(srtcp), 'SRTCP, reduced size')
    return cap


def main(argv):
    outdir = argv[0] if argv else os.path.dirname(os.path.abspath(__file__))
    for cap in (build(), build_e2e_stream(), build_srtcp_late_setup()):
        with open(os.path.join(outdir, cap.name), 'wb') as f:
            f.write(cap.pcap())
        print('%s: %d frames' % (cap.name, len(cap.frames)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
