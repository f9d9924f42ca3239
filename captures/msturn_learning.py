#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""msturn_learning.py - msturn-learning.pcap: port learning.  The Edge's internal side
(MS-TURN on UDP 3478) and external side (the relayed copies: plain STUN, RTP and RTCP between the
relay address and the peers), direct paths validated by answered Binding checks, and negative
controls (an unanswered check, addresses no message names).  Its own check (verify_learning)
asserts from the bytes on disk that the learning rules reach exactly the intended RTP/RTCP
5-tuples.

Usage:  python3 captures/msturn_learning.py [--describe | --check] [OUTDIR]   (lib/cli.py)
Every capture: python3 captures/gen_msturn.py.
"""

import ipaddress
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.base import fmt_addr, H  # noqa: E402
from lib.capture import Capture, UdpFlow  # noqa: E402
from lib.net import Host, MAC_CLIENT, MAC_EDGE, MAC_EDGE_EXT, MAC_GW, REFLEX_IP, RELAY_IP  # noqa: E402
from lib.pcap import read as read_pcap  # noqa: E402
from lib.rtp import ntp64, Rtcp, Rtp, RtpStream  # noqa: E402
from lib.stun import (MI_TURN, REALM, TURN_USER, Msg, Stun, a_addr, a_error, a_magic, a_msver, a_raw,  # noqa: E402
                      a_seqnum, a_str, a_svcq, a_u32, a_xaddr, auth_attrs, cookie_tid, ice_request, ice_response,
                      ms_data_indication, ms_send, plain_tid, prio)
from lib import cli  # noqa: E402
from lib.verify import verify_captures, verify_media  # noqa: E402


# ----------------------------------------------------------------------------
# capture 5: msturn-learning.pcap (port learning: Edge internal + external, direct paths, negative controls)

LEARN_EXPECT = {}   # filled by build_learning(), consumed by verify_learning()

ADDR_MEANING = {
    (0x0103, 0x0001): 'allocated relay address on the Edge external side: local end of the relayed media leg',
    (0x0103, 0x8020): 'client server-reflexive address as seen by the Edge (no media to or from it here)',
    (0x0113, 0x000E): 'alternate TURN server (the same Edge listener; not a media address)',
    (0x0004, 0x0011): 'peer the relay sends to: remote end of the relayed leg (relay 5-tuple = relay <-> this)',
    (0x0006, 0x0011): 'active destination = remote end of the relayed leg; after 0x0106 data on the client<->Edge '
                      '5-tuple is no longer wrapped',
    (0x0115, 0x0012): 'peer that sent the relayed data: remote end of the relayed leg',
    (0x0101, 0x0020): 'source transport address of the request as seen by the responder; the success response '
                      'validates the request 5-tuple as an ICE pair',
}


class Noted:
    """Wrap a payload object and prefix its description with notes (same bytes)."""

    def __init__(self, inner, notes):
        self.inner, self.notes, self.raw = inner, notes, inner.raw

    def describe(self):
        return list(self.notes) + self.inner.describe()


def ranges(nums):
    nums, out = sorted(nums), []
    for n in nums:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ', '.join('%d' % a if a == b else '%d-%d' % (a, b) for a, b in out)


def build_learning():
    cap = Capture('msturn-learning.pcap',
                  'Port learning from MS-TURN and MS-ICE2: a Lync Edge capturing its internal interface '
                  '(192.0.2.1) and external interface (relay 192.0.2.15), plus direct client<->peer paths')
    client = Host('10.0.0.10', MAC_CLIENT, 128, 0x8000)
    edge = Host('192.0.2.1', MAC_EDGE, 128, 0x9000)
    relay = Host(RELAY_IP, MAC_EDGE_EXT, 128, 0xA000)
    peer_b = Host('203.0.113.50', MAC_GW, 117, 0xB000)
    peer_c = Host('203.0.113.60', MAC_GW, 117, 0xC000)
    peer_d = Host('203.0.113.70', MAC_GW, 117, 0xD000)
    peer_e = Host('203.0.113.80', MAC_GW, 117, 0xE000)
    relay_port, peer_b_port = 52000, 53000
    flows = {
        'turn': UdpFlow(cap, client, 50000, MAC_CLIENT, edge, 3478, MAC_EDGE),
        'relay': UdpFlow(cap, relay, relay_port, MAC_EDGE_EXT, peer_b, peer_b_port, MAC_GW),
        'p2p': UdpFlow(cap, client, 50010, MAC_CLIENT, peer_c, 54000, MAC_GW),
        'neg': UdpFlow(cap, client, 50020, MAC_CLIENT, peer_d, 55000, MAC_GW),
        'fail': UdpFlow(cap, client, 50030, MAC_CLIENT, peer_e, 56000, MAC_GW),
    }
    log = []   # (frame number, part, flow key, direction, object, intended decode)

    def send(part, key, frm, obj, summary, decode):
        flows[key].send(frm, obj, '%s: %s' % (part, summary))
        log.append((len(cap.frames), part, key, frm, obj, decode))

    nonce = H('nonce-learn', 15).hex().encode()
    connid = H('connid-learn', 20)
    mtsid = H('mturn-session-learn', 8)
    TA, TB = 0x9F3C5A7E12345678, 0x1122334455667788
    raf = a_raw(0x0017, 'REQUESTED-ADDRESS-FAMILY', bytes([1, 0, 0, 0]), 'family 0x01 (IPv4), reserved 0')

    # ---- A: client <-> Edge internal, MS-TURN over UDP 3478
    m = Msg(0x0003, cookie_tid('learn-alloc-1'),
            [a_magic(), a_msver(6), raf, a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn')
    send('A', 'turn', 'A', m, 'Allocate Request (unauthenticated)', 'ms-turn')
    m = Msg(0x0113, m.tid,
            [a_magic(), a_error(401, b'Unauthorized'), a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
             a_str(0x0015, 'REALM (MS-TURN numbering)', REALM),
             a_addr(0x000E, 'ALTERNATE-SERVER', '192.0.2.1', 3478), a_msver(6)], 'ms-turn')
    send('A', 'turn', 'B', m, 'Allocate Error Response 401 Unauthorized', 'ms-turn')
    m = Msg(0x0003, cookie_tid('learn-alloc-2'),
            [a_magic(), a_msver(6)] + auth_attrs(nonce) +
            [raf, a_svcq(1, 0), a_u32(0x0010, 'BANDWIDTH', 100, ' kbit/s')], 'ms-turn', MI_TURN)
    send('A', 'turn', 'A', m, 'Allocate Request (authenticated)', 'ms-turn')
    m = Msg(0x0103, m.tid,
            [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', RELAY_IP, relay_port),
             a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', REFLEX_IP, 40000),
             a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6), a_seqnum(connid, 0),
             a_raw(0x8095, 'MULTIPLEXED-TURN-SESSION-ID', mtsid, 'session id %s' % mtsid.hex())],
            'ms-turn', MI_TURN)
    send('A', 'turn', 'B', m, 'Allocate Response (relay 192.0.2.15:52000, reflexive 198.51.100.7:40000)', 'ms-turn')
    breq = ice_request('learn-relay-ice', True, prio(110, 65533), TA, True, b'4')
    m = ms_send(cookie_tid('learn-send-1'), connid, 1, peer_b.ip, peer_b_port, Stun(breq))
    send('A', 'turn', 'A', m, 'Send Request to 203.0.113.50:53000, DATA = MS-ICE2 Binding Request', 'ms-turn')
    send_frame = len(cap.frames)
    # ---- B (the check as the Edge relays it, in causal order between the Send and the Data Indication)
    send('B', 'relay', 'A', Noted(Stun(breq), ['Same bytes as the DATA of frame %d (relayed, no TURN wrapping)'
                                               % send_frame]),
         'MS-ICE2 Binding Request relayed 192.0.2.15:52000 -> 203.0.113.50:53000', 'stun')
    fwd_req_frame = len(cap.frames)
    bresp = ice_response(breq, RELAY_IP, relay_port)
    send('B', 'relay', 'B', Stun(bresp), 'MS-ICE2 Binding Success Response (XOR-MAPPED 192.0.2.15:52000)', 'stun')
    fwd_resp_frame = len(cap.frames)
    m = ms_data_indication(plain_tid('learn-dataind-1'), peer_b.ip, peer_b_port, Stun(bresp),
                           note='DATA = the bytes of frame %d' % fwd_resp_frame)
    send('A', 'turn', 'B', m, 'Data Indication from 203.0.113.50:53000, DATA = MS-ICE2 Binding Success Response',
         'ms-turn')
    m = Msg(0x0006, cookie_tid('learn-sad-1'),
            [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 2),
             a_addr(0x0011, 'DESTINATION-ADDRESS', peer_b.ip, peer_b_port)], 'ms-turn', MI_TURN)
    send('A', 'turn', 'A', m, 'Set Active Destination Request (203.0.113.50:53000)', 'ms-turn')
    send('A', 'turn', 'B', Msg(0x0106, m.tid, [a_magic()], 'ms-turn', MI_TURN),
         'Set Active Destination Response', 'ms-turn')

    # ---- B: relayed media leg, 192.0.2.15:52000 <-> 203.0.113.50:53000
    bc = RtpStream('learn-b-client', 0xB10C0A01, 104, 11000, 11000 * 320, 320, 40, b'client@msstun.example')
    bp = RtpStream('learn-b-peer', 0xB10C0A02, 104, 21000, 21000 * 320, 320, 40, b'peer50@msstun.example')
    out, back = 'relay 192.0.2.15:52000 -> peer', 'peer -> relay 192.0.2.15:52000'

    def rtp(part, key, frm, st, label, marker=False, decode='rtp'):
        p = st.next(marker)
        send(part, key, frm, p, 'RTP %s SSRC 0x%08x seq %d' % (label, st.ssrc, p.seq), decode)
    rtp('B', 'relay', 'A', bc, out, True)
    rtp('B', 'relay', 'A', bc, out)
    send('B', 'relay', 'B', Rtcp('RR', bp, bc, cap.time_us()),
         'RTCP RR+SDES %s SSRC 0x%08x (peer has not sent RTP yet)' % (back, bp.ssrc), 'rtcp')
    rtp('B', 'relay', 'B', bp, back, True)
    for i in range(8):
        rtp('B', 'relay', 'A', bc, out)
        rtp('B', 'relay', 'B', bp, back)
        if i == 4:
            send('B', 'relay', 'A', Rtcp('SR', bc, bp, cap.time_us()),
                 'RTCP SR+SDES %s SSRC 0x%08x' % (out, bc.ssrc), 'rtcp')
    send('B', 'relay', 'B', Rtcp('SR', bp, bc, cap.time_us()), 'RTCP SR+SDES %s SSRC 0x%08x' % (back, bp.ssrc),
         'rtcp')
    rtp('B', 'relay', 'B', bp, back)
    assert bc.packets >= 10 and bp.packets >= 10

    # ---- C: direct path 10.0.0.10:50010 <-> 203.0.113.60:54000
    r = ice_request('learn-p2p-1', True, prio(110, 65535), TA, True, b'1')
    send('C', 'p2p', 'A', Stun(r), 'MS-ICE2 Binding Request client -> peer (ICE-CONTROLLING)', 'stun')
    send('C', 'p2p', 'B', Stun(ice_response(r, client.ip, 50010)),
         'MS-ICE2 Binding Success Response (XOR-MAPPED 10.0.0.10:50010)', 'stun')
    r = ice_request('learn-p2p-2', False, prio(110, 65535), TB, False, b'1')
    send('C', 'p2p', 'B', Stun(r), 'MS-ICE2 Binding Request peer -> client (ICE-CONTROLLED)', 'stun')
    send('C', 'p2p', 'A', Stun(ice_response(r, peer_c.ip, 54000)),
         'MS-ICE2 Binding Success Response (XOR-MAPPED 203.0.113.60:54000)', 'stun')
    cc = RtpStream('learn-c-client', 0xC20C0A01, 104, 31000, 31000 * 320, 320, 40, b'client@msstun.example')
    cp = RtpStream('learn-c-peer', 0xC20C0A02, 104, 41000, 41000 * 320, 320, 40, b'peer60@msstun.example')
    for i in range(6):
        rtp('C', 'p2p', 'A', cc, 'client -> peer', i == 0)
        rtp('C', 'p2p', 'B', cp, 'peer -> client', i == 0)
        if i == 3:
            send('C', 'p2p', 'A', Rtcp('SR', cc, cp, cap.time_us()),
                 'RTCP SR+SDES client -> peer SSRC 0x%08x' % cc.ssrc, 'rtcp')

    # ---- D: negative control, RTP-shaped bytes on a pair no STUN message mentions
    dc = RtpStream('learn-d-client', 0xD30C0A01, 104, 51000, 51000 * 320, 320, 40, b'client@msstun.example')
    dp = RtpStream('learn-d-peer', 0xD30C0A02, 104, 61000, 61000 * 320, 320, 40, b'peer70@msstun.example')
    note = ['NEGATIVE CONTROL: no STUN/MS-TURN message in this file mentions 10.0.0.10:50020 or '
            '203.0.113.70:55000; a decoder that does not guess leaves this as UDP data. The bytes are RTP-shaped:']
    for i in range(3):
        for frm, st in (('A', dc), ('B', dp)):
            p = st.next(i == 0)
            send('D', 'neg', frm, Noted(p, note), 'UDP data (RTP-shaped, SSRC 0x%08x seq %d) - unlearned pair'
                 % (st.ssrc, p.seq), 'data')

    # ---- E: an unanswered (failed) check, then media on that 5-tuple
    freq = ice_request('learn-fail-1', True, prio(110, 65535), TA, True, b'6',
                       note='NEVER ANSWERED: the check fails, the pair is not validated')
    send('E', 'fail', 'A', Stun(freq), 'MS-ICE2 Binding Request client -> 203.0.113.80:56000 - NEVER ANSWERED', 'stun')
    fail_frame = len(cap.frames)
    ec = RtpStream('learn-e-client', 0xE40C0A01, 104, 1000, 1000 * 320, 320, 40, b'client@msstun.example')
    ep = RtpStream('learn-e-peer', 0xE40C0A02, 104, 2000, 2000 * 320, 320, 40, b'peer80@msstun.example')
    note = ['NEGATIVE CONTROL: the only STUN on this 5-tuple is the unanswered Binding Request of frame %d; a '
            'decoder must not learn the pair from it, so this stays UDP data. The bytes are RTP-shaped:'
            % fail_frame]
    for i in range(2):
        for frm, st in (('A', ec), ('B', ep)):
            p = st.next(i == 0)
            send('E', 'fail', frm, Noted(p, note), 'UDP data (RTP-shaped, SSRC 0x%08x seq %d) after the failed check'
                 % (st.ssrc, p.seq), 'data')

    cap.overview = learning_overview(cap, log, flows)
    cap.overview += ['', '### Transactions', '',
                     '* Allocate 1/2 and 3/4, Set Active Destination 9/10: request/response pairs by transaction ID '
                     '(cookie form). The Send Request (frame %d) has no response (MS-TURN defines none); the Data '
                     'Indication (frame %d) is a new cookie-less transaction.' % (send_frame, fwd_resp_frame + 1),
                     '* Relayed MS-ICE2 check: request frame %d (= DATA of frame %d), success response frame %d '
                     '(= DATA '
                     'of frame %d); same transaction ID.' % (fwd_req_frame, send_frame, fwd_resp_frame,
                                                             fwd_resp_frame + 1),
                     '* Direct checks (part C): %d/%d (client controlling) and %d/%d (peer controlled) are answered.'
                     % tuple(sorted(n for n, p, _, _, _, d in log if p == 'C' and d == 'stun')),
                     '* Frame %d (part E): Binding Request whose transaction ID %s appears nowhere else in the file.'
                     % (fail_frame, freq.tid.hex())]
    LEARN_EXPECT.clear()
    LEARN_EXPECT.update({
        'nframes': len(cap.frames),
        'decode': {n: d for n, _, _, _, _, d in log},
        'send_frame': send_frame, 'fwd_req_frame': fwd_req_frame, 'fwd_resp_frame': fwd_resp_frame,
        'fail_frame': fail_frame, 'fail_tid': freq.tid,
        'rtp_step': 320, 'rtp_payload': 40, 'rtp_pt': 104,
    })
    return cap


def flow_tuple(fl, frm):
    (s, sp, _), (d, dp, _) = fl.ends[frm], fl.ends['B' if frm == 'A' else 'A']
    return '%s -> %s' % (fmt_addr(s.ip, sp), fmt_addr(d.ip, dp))


def learning_overview(cap, log, flows):
    by_part = {}
    for n, part, _, _, _, _ in log:
        by_part.setdefault(part, []).append(n)
    where = {
        'A': ('Edge internal interface', 'turn', 'MS-TURN (UDP 3478): Allocate, 401, authenticated Allocate, Allocate '
              'success, Send (DATA = Binding Request), Data Indication (DATA = Binding Success Response), '
              'Set Active Destination and its success'),
        'B': ('Edge external interface (relayed leg)', 'relay', 'the Binding Request / Success Response as the '
              'Edge relays them (no TURN wrapping), then RTP both ways, RTCP RR, SR, SR'),
        'C': ('direct path', 'p2p', 'MS-ICE2 checks answered in both directions, then RTP both ways and one RTCP SR'),
        'D': ('negative control', 'neg', 'RTP-shaped UDP on a pair that no STUN/MS-TURN message mentions'),
        'E': ('failed check', 'fail', 'one MS-ICE2 Binding Request that is never answered, then RTP-shaped UDP'),
    }
    L = ['Frames of parts A and B interleave: the relayed check (frames %s) sits, in causal order, between the Send '
         'Request that carries it and the Data Indication that returns the answer. Only the external leg of the '
         'relayed media is in the file (its copy on the client<->Edge 5-tuple is not). Parts C-E are direct '
         'client<->peer paths (client MAC 00:00:5e:00:53:0a, router 00:00:5e:00:53:fe); the Edge external NIC is '
         '00:00:5e:00:53:15. Each RTP stream advances seq +1 and timestamp +320 per packet (20 ms of SILK WB); '
         'because the two directions alternate, packets of one stream are 40 ms apart in capture time.'
         % ranges(n for n, p, k, _, _, _ in log if p == 'B' and k == 'relay' and n <= 10), '',
         '### Parts', '', '| Part | Frames | Where | 5-tuple (UDP) | Content |', '|---|---|---|---|---|']
    for part in 'ABCDE':
        w, key, what = where[part]
        L.append('| %s | %s | %s | %s | %s |' % (part, ranges(by_part[part]), w,
                                                 flow_tuple(flows[key], 'A').replace(' -> ', ' <-> '), what))
    # addresses revealed by STUN / MS-TURN
    rev = []

    def scan(n, msg, inner):
        for _, a, _ in msg.layout:
            if a.kind in ('addr', 'xaddr'):
                rev.append((n, msg, a, inner))
            if a.kind == 'data' and isinstance(a.inner, Stun):
                scan(n, a.inner.msg, True)
    for n, part, key, frm, obj, _ in log:
        msg = obj.msg if isinstance(obj, Stun) else obj.inner.msg if isinstance(obj, Noted) and \
            isinstance(obj.inner, Stun) else obj if isinstance(obj, Msg) else None
        if msg is not None:
            scan(n, msg, False)
    L += ['', '### Addresses revealed by STUN / MS-TURN messages', '',
          'Every address attribute in the file (frame, message, attribute, decoded address, meaning for media). '
          '"inner" = the message carried in DATA. No attribute anywhere names 10.0.0.10:50020, 10.0.0.10:50030, '
          '203.0.113.70:55000 or 203.0.113.80:56000.', '',
          '| Frame | Message | Attribute | Address | Meaning |', '|---|---|---|---|---|']
    for n, msg, a, inner in rev:
        L.append('| %d | %s0x%04x %s | 0x%04x %s | %s | %s |'
                 % (n, 'inner ' if inner else '', msg.mtype, msg.type_name(), a.type,
                    a.name + (' (XOR)' if a.kind == 'xaddr' else ' (plain)'), fmt_addr(a.ip, a.port),
                    ADDR_MEANING[(msg.mtype, a.type)]))
    # 5-tuples and expected decode
    L += ['', '### 5-tuples and what a port-learning decoder should do', '',
          '| 5-tuple (UDP) | Frames | Learnable from | Expected decode |', '|---|---|---|---|']
    learn = {
        'turn': ('UDP 3478 (the MS-TURN port itself)', 'MS-TURN on every frame'),
        'relay': ('frame 4 MAPPED-ADDRESS (relay 192.0.2.15:52000) + frame 5 DESTINATION-ADDRESS '
                  '(peer 203.0.113.50:53000); confirmed by frame 8 REMOTE-ADDRESS, frames 9/10 Set Active '
                  'Destination and the answered check %d/%d on the 5-tuple itself'
                  % (min(by_part['B']), min(by_part['B']) + 1),
                  'STUN (MS-ICE2) on the check frames, RTP / RTCP on the rest'),
        'p2p': ('the answered MS-ICE2 checks %s on the 5-tuple itself (XOR-MAPPED-ADDRESS 0x0020)'
                % ranges(by_part['C'][:4]), 'STUN (MS-ICE2) on the check frames, RTP / RTCP on the rest'),
        'neg': ('nothing', 'UDP data (no RTP/RTCP), although the bytes are RTP-shaped'),
        'fail': ('nothing: the Binding Request of frame %d is never answered' % min(by_part['E']),
                 'STUN on frame %d; UDP data (no RTP) on the rest' % min(by_part['E'])),
    }
    for key in ('turn', 'relay', 'p2p', 'neg', 'fail'):
        fr = [n for n, _, k, _, _, _ in log if k == key]
        L.append('| %s | %s | %s | %s |' % (flow_tuple(flows[key], 'A').replace(' -> ', ' <-> '), ranges(fr),
                                            learn[key][0], learn[key][1]))
    # RTP streams
    L += ['', '### RTP streams (all PT 104 SILK WB, 40-byte payload, seq +1 and timestamp +320 per packet)', '',
          '| SSRC | Part | src -> dst | Frames | seq | timestamp | Expected decode |', '|---|---|---|---|---|---|---|']
    streams = {}
    for n, part, key, frm, obj, dec in log:
        p = obj.inner if isinstance(obj, Noted) else obj
        if isinstance(p, Rtp):
            streams.setdefault(p.st.ssrc, []).append((n, part, key, frm, p, dec))
    for ssrc, pk in streams.items():
        n0, part, key, frm, p0, dec = pk[0]
        L.append('| 0x%08x | %s | %s | %s | %d-%d | %d-%d | %s |'
                 % (ssrc, part, flow_tuple(flows[key], frm), ranges(x[0] for x in pk), p0.seq, pk[-1][4].seq,
                    p0.ts, pk[-1][4].ts, 'RTP' if dec == 'rtp' else 'UDP data (not RTP)'))
    L += ['', '### RTCP packets (compound: SR or RR with one report block, then SDES CNAME; rtcp-mux on the RTP '
          '5-tuple)', '', '| Frame | src -> dst | First packet | Sender SSRC | Report block about | Length fields |',
          '|---|---|---|---|---|---|']
    for n, part, key, frm, obj, dec in log:
        if isinstance(obj, Rtcp):
            kind, pt, length, nbytes, ssrc = obj.first
            L.append('| %d | %s | %s (PT %d) | 0x%08x | 0x%08x (ext. highest seq %d) | %s %d (%d bytes), SDES %d '
                     '(%d bytes) |' % (n, flow_tuple(flows[key], frm), kind, pt, ssrc, obj.rb[0], obj.rb[1], kind,
                                       length, nbytes, obj.sdes[0], obj.sdes[1]))
    kinds = {}
    for n, _, _, _, _, dec in log:
        kinds.setdefault(dec, []).append(n)
    L += ['', '### Frame classes (intended decode)', '',
          '* MS-TURN: %s' % ranges(kinds['ms-turn']),
          '* STUN / MS-ICE2 (direct, not wrapped): %s' % ranges(kinds['stun']),
          '* RTP: %s' % ranges(kinds['rtp']),
          '* RTCP: %s' % ranges(kinds['rtcp']),
          '* UDP data, must NOT be decoded as RTP/RTCP (RTP-shaped bytes on unlearned pairs): %s'
          % ranges(kinds['data'])]
    return L


def stun_addrs(buf, out):
    """Independent walk of one STUN-format message: collect (type, ip, port) of every address attribute,
    recursing into DATA.  MS-TURN (MAGIC-COOKIE first) is unpadded, MS-ICE2 here is padded."""
    key = buf[4:20]
    padded = buf[20:24] != b'\x00\x0f\x00\x04'
    pos = 20
    while pos < len(buf):
        t, l = struct.unpack('!HH', buf[pos:pos + 4])
        v = buf[pos + 4:pos + 4 + l]
        if t in (0x0001, 0x000E, 0x0011, 0x0012, 0x8090, 0x0020, 0x8020):
            n = 4 if v[1] == 1 else 16
            port = struct.unpack('!H', v[2:4])[0]
            raw = v[4:4 + n]
            if t in (0x0020, 0x8020):
                port ^= struct.unpack('!H', key[:2])[0]
                raw = bytes(x ^ y for x, y in zip(raw, key))
            out.append((struct.unpack('!H', buf[:2])[0], t, str(ipaddress.ip_address(raw)), port))
        elif t == 0x0013 and v[0] & 0xC0 == 0:
            stun_addrs(v, out)
        pos += 4 + l + ((-l % 4) if padded else 0)
    assert pos == len(buf)
    return out


def verify_learning(data):
    """Checks specific to msturn-learning.pcap, from the bytes on disk: frame classes, the relayed copies,
    RTP continuity, RTCP counters / report blocks, and that the learning rules give exactly the intended
    RTP/RTCP 5-tuples (learned: MAPPED-ADDRESS x DESTINATION/REMOTE-ADDRESS, and answered Binding checks)."""
    E = LEARN_EXPECT
    frames = read_pcap(data)
    assert len(frames) == E['nframes']
    pk = []
    for i, ((ts, tu), f, _) in enumerate(frames, 1):
        ip = f[14:]
        assert ip[9] == 17
        sport, dport = struct.unpack('!HH', ip[20:24])
        src = (str(ipaddress.ip_address(ip[12:16])), sport)
        dst = (str(ipaddress.ip_address(ip[16:20])), dport)
        p = ip[28:]
        if p[0] & 0xC0 == 0 and len(p) >= 20 and 20 + struct.unpack('!H', p[2:4])[0] == len(p):
            shape = 'stun'
        elif p[0] >> 6 == 2 and 200 <= p[1] <= 204:
            shape = 'rtcp'
        else:
            assert p[0] >> 6 == 2
            shape = 'rtp'
        pk.append((i, ts * 1000000 + tu, src, dst, p, shape))
    dec = E['decode']
    for i, _, src, dst, p, shape in pk:
        d = dec[i]
        assert shape == {'ms-turn': 'stun', 'stun': 'stun', 'rtp': 'rtp', 'rtcp': 'rtcp', 'data': 'rtp'}[d], i
        assert (d == 'ms-turn') == (3478 in (src[1], dst[1])), i
    # the relayed check: external copies are byte-identical to the DATA of the Send / Data Indication
    def data_attr(buf):
        pos = 20
        while pos < len(buf):
            t, l = struct.unpack('!HH', buf[pos:pos + 4])
            if t == 0x0013:
                return buf[pos + 4:pos + 4 + l]
            pos += 4 + l
    P = {i: p for i, _, _, _, p, _ in pk}
    assert data_attr(P[E['send_frame']]) == P[E['fwd_req_frame']]
    assert data_attr(P[E['fwd_resp_frame'] + 1]) == P[E['fwd_resp_frame']]
    # learning rules applied to the file
    relays, peers, validated, tids = set(), set(), set(), {}
    for i, _, src, dst, p, shape in pk:
        if shape != 'stun':
            continue
        tids.setdefault(p[4:20], []).append((i, src, dst, struct.unpack('!H', p[:2])[0]))
        for mtype, t, a, port in stun_addrs(p, []):
            assert port not in (50020, 50030, 55000, 56000), i
            if (mtype, t) == (0x0103, 0x0001):
                relays.add((a, port))
            elif (mtype, t) in ((0x0004, 0x0011), (0x0006, 0x0011), (0x0115, 0x0012)):
                peers.add((a, port))
    for lst in tids.values():
        for (i, s, d, t), (j, s2, d2, t2) in zip(lst, lst[1:]):
            if t == 0x0001 and t2 == 0x0101 and (s2, d2) == (d, s):
                validated.add(frozenset((s, d)))
                # XOR-MAPPED-ADDRESS 0x0020 of the response = source of the request
                assert [(a, port) for _, ty, a, port in stun_addrs(P[j], []) if ty == 0x0020] == [s], j
    assert len(tids[E['fail_tid']]) == 1 and b''.join(P.values()).count(E['fail_tid']) == 1
    learned = validated | {frozenset((r, q)) for r in relays for q in peers}
    for i, _, src, dst, p, shape in pk:
        if dec[i] in ('rtp', 'rtcp'):
            assert frozenset((src, dst)) in learned, i
        elif dec[i] == 'data':
            assert frozenset((src, dst)) not in learned, i
    # RTP continuity and RTCP consistency
    st, last_sr = {}, {}
    for i, t_us, src, dst, p, shape in pk:
        if shape == 'rtp':
            v, m_pt, seq, ts, ssrc = struct.unpack('!BBHII', p[:12])
            assert v == 0x80 and m_pt & 0x7F == E['rtp_pt'] and len(p) == 12 + E['rtp_payload'], i
            s = st.get(ssrc)
            if s is None:
                assert all(x['dir'] != (src, dst) for x in st.values()), 'one SSRC per direction'
                s = st[ssrc] = {'dir': (src, dst), 'n': 0, 'seq': None, 'ts': None}
            else:
                assert s['dir'] == (src, dst), i
                assert seq == (s['seq'] + 1) & 0xFFFF and ts == (s['ts'] + E['rtp_step']) & 0xFFFFFFFF, i
            s['n'] += 1
            s['seq'], s['ts'] = seq, ts
        elif shape == 'rtcp':
            verify_media(p, 'learning frame %d' % i)
            hdr, pt, ln, ssrc = struct.unpack('!BBHI', p[:8])
            first = p[:(ln + 1) * 4]
            s = st.get(ssrc, {'n': 0, 'dir': (src, dst)})
            assert s['dir'] == (src, dst), i
            if pt == 200:
                ntp_s, ntp_f, rts, pc, oc = struct.unpack('!IIIII', first[8:28])
                assert (ntp_s, ntp_f) == ntp64(t_us) and pc == s['n'] and oc == s['n'] * E['rtp_payload'], i
                last_sr[ssrc] = (((ntp_s & 0xFFFF) << 16) | (ntp_f >> 16), t_us)
                rb = first[28:]
            else:
                assert pt == 201 and s['n'] == 0, 'RR only from a participant that has not sent RTP'
                rb = first[8:]
            assert hdr & 0x1F == 1 and len(rb) == 24, i
            about, fl, ext, jit, lsr, dlsr = struct.unpack('!IIIIII', rb)
            assert st[about]['dir'] == (dst, src) and ext == st[about]['seq'] and fl == 0, i
            if about in last_sr:
                assert lsr == last_sr[about][0] and dlsr == ((t_us - last_sr[about][1]) * 65536) // 1000000, i
            else:
                assert lsr == dlsr == 0, i
            sdes = p[len(first):]
            assert sdes[0] == 0x81 and sdes[1] == 202 and struct.unpack('!I', sdes[4:8])[0] == ssrc
            assert sdes[8] == 1 and sdes[10:10 + sdes[9]].endswith(b'@msstun.example')
    assert len(st) == 8 and len({s['dir'] for s in st.values()}) == 8


def build():
    return [build_learning()]


def verify(files, whole):
    n = verify_captures(files, whole)
    verify_learning(files['msturn-learning.pcap'])
    return n


if __name__ == '__main__':
    sys.exit(cli.main(sys.argv[1:], build, verify))
