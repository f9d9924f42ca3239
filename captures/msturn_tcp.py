#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""msturn_tcp.py - TURN over TCP.

  msturn-tcp443.pcap             MS-TURN over TCP 443 with the pseudo-TLS handshake: control frames
                                 (0x02) and end-to-end data (0x03, RFC 4571 framed), two PDUs in one
                                 segment, one PDU over two segments.
  msturn-tcp443-midstream.pcap   such a connection with the capture starting mid-stream.
  msturn-tcp443-split.pcap       what a length callback must wait for: a ServerHello cut after 4
                                 bytes, libnice's frames without a Length, split after 20 bytes.
  turn-tcp3478-midstream.pcap    RFC 5766 TURN over TCP 3478, mid-stream: ChannelData (padded to 4)
                                 with RTP both ways, then a Refresh.

Usage:  python3 captures/msturn_tcp.py [--describe | --check] [OUTDIR]   (lib/cli.py)
Every capture: python3 captures/gen_msturn.py.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.base import H  # noqa: E402
from lib.capture import Capture, TcpFlow  # noqa: E402
from lib.net import (ACK, FIN, MAC_CLIENT, MAC_EDGE, PEER_IP, PSH, REFLEX_IP, RELAY6_IP, RELAY_IP, SYN,  # noqa: E402
                     new_hosts)
from lib.rtp import Rtcp, RtpStream  # noqa: E402
from lib.stun import (MI_TURN, MI_TURN_RFC, REALM, TURN_USER, ChannelData, Msg, Rfc4571, Stun, a_addr,  # noqa: E402
                      a_error, a_magic, a_msver, a_raw, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, auth_attrs,
                      cookie_tid, desc02, desc03, frame02, frame03, ice_request, ice_response, ms_data_indication,
                      ms_send, plain_tid, prio)
from lib.tls import CLIENT_HELLO, server_hello  # noqa: E402
from lib import cli  # noqa: E402
from lib.verify import verify_captures  # noqa: E402


# ----------------------------------------------------------------------------
# capture 3 / 4: MS-TURN over TCP 443

def build_tcp443():
    cap = Capture('msturn-tcp443.pcap', 'MS-TURN over TCP 443 with pseudo-TLS (10.0.0.10:51000 <-> 192.0.2.1:443)')
    c, e = new_hosts(0x3000, 0x6000)
    fl = TcpFlow(cap, c, 51000, MAC_CLIENT, e, 443, MAC_EDGE, 0x1F2E3D4C, 0x6A5B4C3D, 64240, 65535)
    nonce = H('nonce-tcp', 15).hex().encode()
    connid = H('connid-tcp', 20)
    mtsid = H('mturn-session-tcp', 8)
    relay_port, peer_port = 50100, 50012
    cst = RtpStream('tcp-client', 0x2B3C4D5E, 104, 5000, 320000, 320, 60, b'client@msstun.example')
    pst = RtpStream('tcp-peer', 0x6F7A8B9C, 104, 6000, 640000, 320, 60, b'peer@msstun.example')

    fl.seg('A', SYN, summary='TCP SYN')
    fl.seg('B', SYN | ACK, summary='TCP SYN,ACK')
    fl.seg('A', ACK, summary='TCP ACK')
    fl.seg('A', PSH | ACK, CLIENT_HELLO, 'pseudo-TLS ClientHello (50 bytes)',
           ['Pseudo-TLS ClientHello (MS-TURN 2.1.1), 50 bytes, not MS-TURN framed: record 0x16 TLS 1.0 length 45; '
            'ClientHello length 41, version 3.1, 32-byte random c1fcd5a3...10fb, session id length 0, '
            '1 cipher suite 0x0018 (TLS_DH_anon_WITH_RC4_128_MD5), compression null: ' + CLIENT_HELLO.hex()])
    sh, rnd, sid = server_hello()
    fl.seg('B', PSH | ACK, sh, 'pseudo-TLS ServerHello+ServerHelloDone (83 bytes)',
           ['Pseudo-TLS ServerHello + ServerHelloDone in ONE record, 83 bytes, not MS-TURN framed: record 0x16 '
            'TLS 1.0 length 78; ServerHello length 70, version 3.1, random %s, session id length 32 = %s, '
            'cipher suite 0x0018, compression 0; ServerHelloDone (0e 00 00 00); no Certificate: %s'
            % (rnd.hex(), sid.hex(), sh.hex())])

    def ctrl(frm, msg, summary):
        fl.seg(frm, PSH | ACK, frame02(msg), summary, desc02(msg))

    m = Msg(0x0003, cookie_tid('tcp-alloc-1'),
            [a_magic(), a_msver(6), a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    ctrl('A', m, '02 frame: Allocate Request (unauthenticated)')
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM),
             a_addr(0x000E, 'ALTERNATE-SERVER', '192.0.2.1', 443), a_msver(6)], 'ms-turn')
    ctrl('B', m, '02 frame: Allocate Error Response 401')
    m = Msg(0x0003, cookie_tid('tcp-alloc-2'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Allocate Request (authenticated)')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, relay_port),
             a_addr(0x8090, 'MS-ALT-MAPPED-ADDRESS', RELAY6_IP, relay_port + 2),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 41000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6), a_seqnum(connid, 0),
             a_raw(0x8095, 'MULTIPLEXED-TURN-SESSION-ID', mtsid, 'session id %s' % mtsid.hex())],
            'ms-turn', MI_TURN)
    ctrl('B', m, '02 frame: Allocate Response')
    breq = ice_request('tcp-ice-1', True, prio(110, 65535), 0x9F3C5A7E12345678, True, b'4')
    m = ms_send(cookie_tid('tcp-send-1'), connid, 1, PEER_IP, peer_port, Rfc4571(Stun(breq)))
    ctrl('A', m, '02 frame: Send Request, DATA = RFC 4571 + Binding Request')
    # one segment, two complete 02 frames
    bresp = ice_response(breq, RELAY_IP, relay_port)
    d1 = ms_data_indication(plain_tid('tcp-dataind-1'), PEER_IP, peer_port, Rfc4571(Stun(bresp)))
    preq = ice_request('tcp-ice-2', False, prio(110, 65534), 0x1122334455667788, False, b'5')
    d2 = ms_data_indication(plain_tid('tcp-dataind-2'), PEER_IP, peer_port, Rfc4571(Stun(preq)))
    p1, p2 = frame02(d1), frame02(d2)
    fl.seg('B', PSH | ACK, p1 + p2, 'TWO complete 02 frames in one segment: Data Indication + Data Indication',
           ['Segment carries TWO complete MS-TURN TCP frames back to back: frame A at payload offset 0 '
            '(%d bytes), frame B at payload offset %d (%d bytes)' % (len(p1), len(p1), len(p2)),
            'Frame A:'] + ['  ' + x for x in desc02(d1)] + ['Frame B:'] + ['  ' + x for x in desc02(d2)])
    # one 02 frame split over two segments
    presp = ice_response(preq, PEER_IP, peer_port)
    m = ms_send(cookie_tid('tcp-send-2'), connid, 2, PEER_IP, peer_port, Rfc4571(Stun(presp)))
    p = frame02(m)
    cut = 40
    fl.seg('A', PSH | ACK, p[:cut], '02 frame split: first %d of %d bytes (Send Request)' % (cut, len(p)),
           ['First %d bytes of a %d-byte 02 frame (4-byte framing header + %d-byte Send Request); '
            'the remaining %d bytes are in the next frame. Reassembled content:' % (cut, len(p), len(m.raw),
                                                                                    len(p) - cut)]
           + ['  ' + x for x in desc02(m)])
    fl.seg('A', PSH | ACK, p[cut:], '02 frame split: last %d bytes (Send Request)' % (len(p) - cut),
           ['Last %d bytes of the 02 frame started in the previous frame (bytes %d..%d of the frame); '
            'the Send Request is complete here (DATA = RFC 4571 + Binding Success Response)'
            % (len(p) - cut, cut, len(p) - 1)])
    fl.seg('B', ACK, summary='TCP ACK')
    m = Msg(0x0006, cookie_tid('tcp-sad-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 3),
             a_addr(0x0011, 'DESTINATION-ADDRESS', PEER_IP, peer_port)], 'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Set Active Destination Request')
    ctrl('B', Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN), '02 frame: Set Active Destination Response')

    def data(frm, objs, summary, note=''):
        fl.seg(frm, PSH | ACK, frame03(b''.join(o.raw for o in objs)), summary, desc03(objs, note))
    data('A', [Rfc4571(cst.next(marker=True))], '03 frame: RFC 4571 RTP')
    for _ in range(2):
        pst.next()
    data('B', [Rfc4571(pst.next())], '03 frame: RFC 4571 RTP')
    data('A', [Rfc4571(cst.next()), Rfc4571(Rtcp('SR', cst, pst, cap.time_us()))],
         '03 frame with TWO RFC 4571 packets (RTP + RTCP SR)', ' (TWO RFC 4571 frames packed)')
    fl.seg('B', ACK, summary='TCP ACK')
    r = Rfc4571(cst.next())
    cut = 20
    fl.seg('A', PSH | ACK, frame03(r.raw[:cut]), '03 frame: first %d bytes of an RFC 4571 RTP frame' % cut,
           ['MS-TURN TCP framing: Type 0x03, Reserved 0, Length %d; payload = the first %d bytes of a %d-byte '
            'RFC 4571 frame (LENGTH=%d) that continues in the NEXT 03 frame. Reassembled inner packet:'
            % (cut, cut, len(r.raw), len(r.inner.raw))] + ['  ' + x for x in r.inner.describe()])
    fl.seg('A', PSH | ACK, frame03(r.raw[cut:]), '03 frame: rest (%d bytes) of the split RFC 4571 RTP frame'
           % (len(r.raw) - cut),
           ['MS-TURN TCP framing: Type 0x03, Reserved 0, Length %d; payload = bytes %d..%d of the RFC 4571 '
            'frame started in the previous 03 frame (RTP seq %d, SSRC 0x%08x completes here)'
            % (len(r.raw) - cut, cut, len(r.raw) - 1, r.inner.seq, r.inner.st.ssrc)])
    data('B', [Rfc4571(Rtcp('RR', pst, cst, cap.time_us()))], '03 frame: RFC 4571 RTCP RR')
    fl.seg('A', FIN | ACK, summary='TCP FIN,ACK')
    fl.seg('B', FIN | ACK, summary='TCP FIN,ACK')
    fl.seg('A', ACK, summary='TCP ACK')
    return cap


def build_tcp443_mid():
    cap = Capture('msturn-tcp443-midstream.pcap',
                  'MS-TURN over TCP 443, capture starts mid-stream (10.0.0.10:51002 <-> 192.0.2.1:443)')
    c, e = new_hosts(0x4000, 0x6800)
    fl = TcpFlow(cap, c, 51002, MAC_CLIENT, e, 443, MAC_EDGE, 0x3C4D5E6F, 0x7B8C9DAE, 64240, 65535)
    fl.start_midstream(40000, 90000)   # bytes exchanged before the capture started
    nonce = H('nonce-tcp-mid', 15).hex().encode()
    connid = H('connid-tcp-mid', 20)
    cst = RtpStream('mid-client', 0x3C4D5E6F, 104, 7000, 960000, 320, 60, b'client@msstun.example')
    pst = RtpStream('mid-peer', 0x708192A3, 104, 8000, 1280000, 320, 60, b'peer@msstun.example')
    PA = 0x18
    peer_port = 50012

    def data(frm, objs, summary):
        fl.seg(frm, PA, frame03(b''.join(o.raw for o in objs)), summary, desc03(objs))

    def ctrl(frm, msg, summary):
        fl.seg(frm, PA, frame02(msg), summary, desc02(msg))
    data('A', [Rfc4571(cst.next())], '03 frame: RFC 4571 RTP (first frame of the capture, mid-stream)')
    data('B', [Rfc4571(pst.next())], '03 frame: RFC 4571 RTP')
    m = Msg(0x0003, cookie_tid('mid-refresh'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) + [a_u32(0x000D, 'LIFETIME', 480, ' seconds')],
            'ms-turn', MI_TURN)
    ctrl('A', m, '02 frame: Allocate Request (refresh)')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, 50200),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 42000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6)], 'ms-turn', MI_TURN)
    ctrl('B', m, '02 frame: Allocate Response (refresh)')
    data('A', [Rfc4571(Rtcp('SR', cst, pst, cap.time_us()))], '03 frame: RFC 4571 RTCP SR')
    preq = ice_request('mid-ice-1', False, prio(110, 65534), 0x1122334455667788, False, b'5')
    m = ms_data_indication(plain_tid('mid-dataind-1'), PEER_IP, peer_port, Rfc4571(Stun(preq)))
    ctrl('B', m, '02 frame: Data Indication, DATA = RFC 4571 + Binding Request')
    presp = ice_response(preq, PEER_IP, peer_port)
    m = ms_send(cookie_tid('mid-send-1'), connid, 17, PEER_IP, peer_port, Rfc4571(Stun(presp)))
    ctrl('A', m, '02 frame: Send Request, DATA = RFC 4571 + Binding Success Response')
    data('B', [Rfc4571(Rtcp('RR', pst, cst, cap.time_us()))], '03 frame: RFC 4571 RTCP RR')
    fl.seg('A', 0x10, summary='TCP ACK')
    return cap


# ----------------------------------------------------------------------------
# capture 6: msturn-tcp443-split.pcap (what a length callback must wait for)

LIBNICE_TID = bytes.fromhex('d74d7b39519eda091c4839a4ba4fd37e')   # a libnice 0.1.21 Allocate (shared capture)
LENGTHLESS_CLIENTS = {51022}   # client ports whose frames are "03 00" + message, as libnice 0.1.21 sends them


def libnice_allocate(label):
    """libnice 0.1.21 (NICE_COMPATIBILITY_OC2007R2): cookie-less MS-TURN Allocate, MAGIC-COOKIE, MS-VERSION 1."""
    tid = LIBNICE_TID if label is None else plain_tid(label)
    return Msg(0x0003, tid, [a_magic(), a_msver(1)], 'ms-turn', note='legacy cookie-less MS-TURN, as libnice sends it')


def frame_lengthless(msg):
    return b'\x03\x00' + msg.raw


def desc_lengthless(msg, note=''):
    return (['libnice 0.1.21 framing: Type 0x03, Reserved 0, then the message directly, WITHOUT the 2-byte Length '
             'of MS-TURN 2.1.4 (bytes 2..3 are the message type)%s; payload:' % note] +
            ['  ' + x for x in msg.describe()])


def build_tcp443_split():
    cap = Capture('msturn-tcp443-split.pcap', 'MS-TURN over TCP 443, split where a length is not known yet: '
                  'A = pseudo-TLS ServerHello split after its first 4 bytes (10.0.0.10:51020 <-> 192.0.2.1:443), '
                  'B = libnice-style frame without Length split after 20 bytes (10.0.0.10:51022 <-> 192.0.2.1:443)')
    c, e = new_hosts(0x3800, 0x6800)
    PA = PSH | ACK

    # A: Edge-style server, 4-byte framing after the handshake
    fl = TcpFlow(cap, c, 51020, MAC_CLIENT, e, 443, MAC_EDGE, 0x2A3B4C5D, 0x7B6C5D4E, 64240, 65535)
    nonce = H('nonce-tcp-split', 15).hex().encode()
    fl.seg('A', SYN, summary='A: TCP SYN')
    fl.seg('B', SYN | ACK, summary='A: TCP SYN,ACK')
    fl.seg('A', ACK, summary='A: TCP ACK')
    fl.seg('A', PA, CLIENT_HELLO, 'A: pseudo-TLS ClientHello (50 bytes)',
           ['Pseudo-TLS ClientHello (MS-TURN 2.1.1), 50 bytes, not MS-TURN framed: ' + CLIENT_HELLO.hex()])
    fl.seg('B', ACK, summary='A: TCP ACK')
    sh, rnd, sid = server_hello()
    fl.seg('B', PA, sh[:4], 'A: first 4 bytes of the pseudo-TLS ServerHello record',
           ['TCP segment with bytes 0..3 of the 83-byte ServerHello+ServerHelloDone record: %s (content type 0x16, '
            'version 3.1, first byte of the record length); the record length is not complete here'
            % sh[:4].hex()])
    fl.seg('A', ACK, summary='A: TCP ACK')
    fl.seg('B', PA, sh[4:], 'A: the other 79 bytes of the pseudo-TLS ServerHello record',
           ['TCP segment with bytes 4..82 of the record; together with the previous segment: Pseudo-TLS ServerHello '
            '+ ServerHelloDone in ONE record, 83 bytes, record length 78; ServerHello length 70, version 3.1, '
            'random %s, session id length 32 = %s, cipher suite 0x0018, compression 0; ServerHelloDone: %s'
            % (rnd.hex(), sid.hex(), sh.hex())])
    fl.seg('A', ACK, summary='A: TCP ACK')
    m = Msg(0x0003, cookie_tid('tcp-split-alloc-1'),
            [a_magic(), a_msver(6), a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    fl.seg('A', PA, frame02(m), 'A: 02 frame: Allocate Request (unauthenticated)', desc02(m))
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM), a_msver(6)], 'ms-turn')
    fl.seg('B', PA, frame02(m), 'A: 02 frame: Allocate Error Response 401', desc02(m))
    fl.seg('A', FIN | ACK, summary='A: TCP FIN,ACK')
    fl.seg('B', FIN | ACK, summary='A: TCP FIN,ACK')
    fl.seg('A', ACK, summary='A: TCP ACK')

    # B: libnice client; the server only acknowledges (as the stub in the shared libnice capture)
    fl = TcpFlow(cap, c, 51022, MAC_CLIENT, e, 443, MAC_EDGE, 0x3B4C5D6E, 0x0C1D2E3F, 64240, 65535)
    fl.seg('A', SYN, summary='B: TCP SYN')
    fl.seg('B', SYN | ACK, summary='B: TCP SYN,ACK')
    fl.seg('A', ACK, summary='B: TCP ACK')
    fl.seg('A', PA, CLIENT_HELLO, 'B: pseudo-TLS ClientHello (50 bytes)',
           ['Pseudo-TLS ClientHello (MS-TURN 2.1.1), 50 bytes, not MS-TURN framed: ' + CLIENT_HELLO.hex()])
    fl.seg('B', PA, sh, 'B: pseudo-TLS ServerHello+ServerHelloDone (83 bytes)',
           ['Pseudo-TLS ServerHello + ServerHelloDone in one record, 83 bytes: ' + sh.hex()])
    fl.seg('A', ACK, summary='B: TCP ACK')
    m = libnice_allocate(None)
    f = frame_lengthless(m)
    fl.seg('A', PA, f[:20], 'B: first 20 bytes of a libnice frame without Length (Allocate Request)',
           ['TCP segment with bytes 0..19 of a 38-byte frame: %s; "03 00" and the first 18 bytes of the STUN '
            'header; the MAGIC-COOKIE attribute that tells this framing apart is not here yet' % f[:20].hex()])
    fl.seg('B', ACK, summary='B: TCP ACK')
    fl.seg('A', PA, f[20:], 'B: the other 18 bytes of the frame',
           ['TCP segment with bytes 20..37 of the frame; together with the previous segment:'] + desc_lengthless(m))
    fl.seg('B', ACK, summary='B: TCP ACK')
    m = libnice_allocate('tcp-split-libnice-2')
    fl.seg('A', PA, frame_lengthless(m), 'B: libnice frame without Length (Allocate Request), whole',
           desc_lengthless(m))
    fl.seg('B', ACK, summary='B: TCP ACK')
    fl.seg('A', FIN | ACK, summary='B: TCP FIN,ACK')
    fl.seg('B', FIN | ACK, summary='B: TCP FIN,ACK')
    fl.seg('A', ACK, summary='B: TCP ACK')
    return cap


# ----------------------------------------------------------------------------
# capture 9: turn-tcp3478-midstream.pcap (RFC 5766 TURN over TCP, ChannelData, no handshake seen)

RFC5766_TCP_PORTS = {3478}   # server ports whose streams are RFC 5766 section 11.5 TURN over TCP


def build_tcp3478_mid():
    cap = Capture('turn-tcp3478-midstream.pcap',
                  'RFC 5766 TURN over TCP 3478, capture starts mid-stream: ChannelData (padded to 4) carrying RTP '
                  'both ways, then a Refresh (client 10.0.0.10:51040 <-> TURN server 192.0.2.1:3478)')
    c, e = new_hosts(0x2400, 0x6400)
    fl = TcpFlow(cap, c, 51040, MAC_CLIENT, e, 3478, MAC_EDGE, 0x1D2E3F40, 0x5A6B7C8D, 64240, 65535)
    fl.start_midstream(3000, 2000)   # the allocation and ChannelBind happened before the capture
    # 61- and 62-byte payloads: 73- and 74-byte RTP packets, padded by 3 and 2 bytes.
    cst = RtpStream('tcp3478-client', 0x2C3D4E5F, 0, 5000, 320000, 160, 61, b'client@msstun.example')
    pst = RtpStream('tcp3478-peer', 0x6A7B8C9D, 8, 9000, 640000, 160, 62, b'peer@msstun.example')
    PA = 0x18

    def send(frm, objs, summary):
        fl.seg(frm, PA, b''.join(o.raw for o in objs), summary, [x for o in objs for x in o.describe()])
        fl.seg('B' if frm == 'A' else 'A', 0x10, summary='TCP ACK')

    send('A', [ChannelData(0x4001, cst.next())], 'ChannelData 0x4001: RTP (first frame of the capture, mid-stream)')
    send('B', [ChannelData(0x4001, pst.next())], 'ChannelData 0x4001: RTP')
    send('A', [ChannelData(0x4001, cst.next()), ChannelData(0x4001, cst.next())],
         'two ChannelData back to back in one segment')
    nonce = H('nonce-tcp3478', 15).hex().encode()
    auth = [a_str(0x0006, 'USERNAME', TURN_USER), a_str(0x0014, 'REALM', REALM), a_str(0x0015, 'NONCE', nonce)]
    mi = MI_TURN_RFC
    m = Msg(0x0004, cookie_tid('tcp3478-refresh'), [a_u32(0x000D, 'LIFETIME', 600, ' seconds')] + auth,
            'rfc5389', mi)
    send('A', [Stun(m)], 'Refresh Request')
    m = Msg(0x0104, m.tid, [a_u32(0x000D, 'LIFETIME', 600, ' seconds')], 'rfc5389', mi)
    send('B', [Stun(m)], 'Refresh Success Response')
    send('B', [ChannelData(0x4001, pst.next())], 'ChannelData 0x4001: RTP')
    return cap


def build():
    return [build_tcp443(), build_tcp443_mid(), build_tcp443_split(), build_tcp3478_mid()]


def verify(files, whole):
    return verify_captures(files, whole, rfc5766_ports=RFC5766_TCP_PORTS, lengthless_clients=LENGTHLESS_CLIENTS)


if __name__ == '__main__':
    sys.exit(cli.main(sys.argv[1:], build, verify))
