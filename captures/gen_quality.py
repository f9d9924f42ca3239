#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_quality.py - calls with chosen loss, jitter and delay, captured on one point of their path.

Usage:  python3 gen_quality.py [--check] [OUTDIR]

  Writes quality-calls.pcap into OUTDIR (default: the directory of this script); with
  --check nothing is written and the file in OUTDIR must equal a fresh build.  Standard
  library only, no randomness.  test/suite_quality.py imports CALLS and simulate() to compute,
  independently of the plugin, what the media paths report must say.

Five calls, each a simulation of packets sent by two ends across network segments whose
one-way delay, delay variation and loss are the injected parameters (CALLS):

  1  relayed through an Edge, captured on the Edge (both legs): RFC 5766 TURN over UDP 3478
     between the client 198.51.100.10:50000 and the Edge 192.0.2.1:3478 (Allocate, 401 with
     REALM and NONCE, Allocate with the long-term credential, CreatePermission, ChannelBind
     0x4000, then ChannelData, RFC 5766 6-11, HMAC-SHA1 MESSAGE-INTEGRITY and FINGERPRINT,
     RFC 5389 15.4-15.5), relayed from 192.0.2.15:49200 to the peer 203.0.113.9:6000 as plain
     UDP.  Client -> peer: PCMU (PT 0), one packet in eight (75 of 600) lost between the client
     and the Edge and 12 of 600 between the Edge and the peer (three of them already lost before);
     peer -> client: G.722 (PT 9, RTP clock 8000 Hz, RFC 3551 4.5.2) whose delay between the
     peer and the Edge varies by a saw-tooth of up to 114 ms (bursts: one packet late, the next
     six bunched, none reordered).
  2  direct (MS-ICE2 host candidates), captured next to the client 10.0.0.10:50010: answered
     Binding checks both ways (the plugin learns the 5-tuple), then PCMA (PT 8) from the
     client and G.729 (PT 18) from the peer 203.0.113.60:54000 over a 300 ms satellite hop:
     12 of the client's 600 packets lost beyond the capture point.
  3  relayed through an Edge over TCP 443, captured on the Edge: the client 198.51.100.30:51000
     opens a TCP connection to 192.0.2.1:443 (every segment acknowledging what its sender has
     received), the MS-TURN pseudo-TLS handshake (MS-TURN 2.1.1), then in 0x02 control frames
     (2.1.4) Allocate, 401, Allocate with the long-term credential (HMAC-SHA256
     MESSAGE-INTEGRITY, MS-TURN 3.2.2) answered with the relayed address 192.0.2.15:49300,
     and Set Active Destination to the peer 203.0.113.20:6100 (2.2.2.5); the media then
     travels as end-to-end data, 0x03 frames of RFC 4571 framed RTP and RTCP, and as plain UDP
     between the relay and the peer.  Client -> peer: PCMU, clean; peer -> client: PCMA with
     3 of every 20 packets (90 of 600) lost between the peer and the Edge.
  4  direct, set up by SIP over UDP 5060 (RFC 3261 INVITE, 200 OK, ACK) as Skype for Business
     sets up a call: the SDP offer and answer (RFC 4566) name SILK/16000 as the dynamic payload
     type 104, with rtcp-mux (RFC 5761) and each end's SRTP key (RFC 4568 a=crypto,
     AES_CM_128_HMAC_SHA1_80), captured next to the client 10.0.0.20:50020: SRTP and SRTCP
     (RFC 3711, protected by libsrtp2) of SILK both ways (RTP clock 16000 Hz, 320 timestamp units
     per packet) with the peer 203.0.113.80:52000 over a 60 ms hop; client -> peer: 3 of every 25
     packets (72 of 600) lost beyond the capture point; peer -> client: delay varying by a
     saw-tooth of up to 48 ms before the capture point.
  5  direct, a SIP trunk: SIP over UDP 5060 as in call 4 between the Mediation Server
     10.0.0.30:50030, where it is captured, and a gateway 203.0.113.100:40000, whose SDP offer
     and answer name PCMU/8000 (payload type 0) over plain RTP (RTP/AVP), RTCP on the next
     port (RFC 3550 11: 50031 and 40001); Mediation Server -> gateway: 1 of every 50 packets
     lost and delay varying by a saw-tooth of up to 90 ms beyond the capture point (a packet
     late by 90 ms arrives after the next);
     gateway -> Mediation Server: 2 of every 25 packets (48 of 600) lost before it.

Each end sends RTP every 20 ms and, once a second and once after its last packet, compound
RTCP (rtcp-mux, RFC 5761, but for call 5): an SR (RFC 3550 6.4.1, NTP timestamp of its own clock, which is
offset from the other end's) with one report block about the stream it receives, computed
from what that end received (RFC 3550 A.3 loss: expected from the extended highest sequence
number, cumulative lost, fraction lost since the previous report; A.8 interarrival jitter in
timestamp units; LSR = the middle 32 bits of the last SR received, DLSR its age in
1/65536 s), then SDES CNAME (6.5).  RTCP crosses the segments with their base delay and no
loss.  The Edge forwards 200 us after receipt.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.base import H, NTP_OFFSET, T0  # noqa: E402
from lib.net import ACK, FIN, PSH, SYN, Host, tcp_frame, udp_frame  # noqa: E402
from lib import pcap  # noqa: E402
from lib.rtp import packet as rtp_packet, report_block, rtcp_header, sdes_cname  # noqa: E402
from lib.sip import media_sdp, sip_call  # noqa: E402
from lib.srtp import SrtpSender, b64  # noqa: E402
from lib.stun import (MI_TURN, MI_TURN_RFC, REALM, TURN_USER, Msg, a_addr, a_error, a_magic, a_msver,  # noqa: E402
                      a_raw, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, auth_attrs, channel_data, cookie_tid, frame02,
                      frame03, ice_request, ice_response, prio, rfc4571)
from lib.tls import CLIENT_HELLO, server_hello  # noqa: E402

NAME = 'quality-calls.pcap'
FORWARD_US = 200            # the Edge's forwarding time
PACKET_US = 20000           # 20 ms of audio per packet
PACKETS = 600               # 12 s of each stream: CQD classifies over 500 packets
MAC_A = bytes.fromhex('00005e005310')
MAC_B = bytes.fromhex('00005e005311')

# The saw-tooth of delay variation (ms) of call 1's peer -> Edge segment: a packet 114 ms
# late, then six that catch up 19 ms each, so that every packet arrives after the one before.
SAWTOOTH_MS = [0, 114, 95, 76, 57, 38, 19]
# Call 4's, of the peer -> client segment: 48 ms late, then three that catch up 16 ms each.
SILK_SAWTOOTH_MS = [0, 48, 32, 16]
SILK_PT = 104
# Call 5's, of the capture point -> gateway segment: 90 ms late, then three that catch up
# 30 ms each.
TRUNK_SAWTOOTH_MS = [0, 90, 60, 30]

# Per call: the ends (address, port, SSRC, payload type, RTP clock, payload bytes, clock
# offset of its NTP timestamps in us), where the capture point is, and per direction the
# segments between the sender and the capture point ('up', to where it is first seen) and
# between the capture point and the receiver ('down', from where it is last seen, forward_us
# later on an Edge): base one-way delay (us), the indices of the packets lost there, and the
# delay variation (us) of each packet.  A call set up by SIP names its payload types
# ('rtpmap'), and says whether its media are SRTP ('srtp') and RTCP shares the RTP port
# ('rtcp_mux'; otherwise RTCP uses the next port).
CALLS = [
    {
        'name': 'relayed UDP 3478',
        'a': ('198.51.100.10', 50000, 0x5a110001, 0, 8000, 160, 0),
        'b': ('203.0.113.9', 6000, 0x5b220002, 9, 8000, 160, 12345678),
        'relay': ('192.0.2.15', 49200),
        'server': ('192.0.2.1', 3478),
        'forward_us': FORWARD_US,
        'start_us': 100000,
        'a_to_b': {'up': (15000, {i for i in range(PACKETS) if i % 8 == 3}, None),
                   'down': (40000, {i for i in range(PACKETS) if i % 50 == 25}, None)},
        'b_to_a': {'up': (40000, set(), lambda i: SAWTOOTH_MS[i % 7] * 1000),
                   'down': (15000, set(), None)},
    },
    {
        'name': 'direct',
        'a': ('10.0.0.10', 50010, 0x5c330003, 8, 8000, 160, 0),
        'b': ('203.0.113.60', 54000, 0x5d440004, 18, 8000, 20, -987654321),
        'forward_us': 0,
        'start_us': 13100000,
        'a_to_b': {'up': (2000, set(), None),
                   'down': (300000, {i for i in range(PACKETS) if i % 50 == 10}, None)},
        'b_to_a': {'up': (300000, set(), None),
                   'down': (2000, set(), None)},
    },
    {
        'name': 'relayed TCP 443',
        'a': ('198.51.100.30', 51000, 0x5e550005, 0, 8000, 160, 0),
        'b': ('203.0.113.20', 6100, 0x5f660006, 8, 8000, 160, 55555555),
        'relay': ('192.0.2.15', 49300),
        'server': ('192.0.2.1', 443),
        'tcp': True,
        'forward_us': FORWARD_US,
        'start_us': 26600000,
        'a_to_b': {'up': (15000, set(), None),
                   'down': (40000, set(), None)},
        'b_to_a': {'up': (40000, {i for i in range(PACKETS) if i % 20 in (4, 9, 16)}, None),
                   'down': (15000, set(), None)},
    },
    {
        'name': 'direct SILK',
        'a': ('10.0.0.20', 50020, 0x60770007, SILK_PT, 16000, 80, 0),
        'b': ('203.0.113.80', 52000, 0x61880008, SILK_PT, 16000, 80, -24681357),
        'rtpmap': {SILK_PT: 'SILK/16000'},
        'srtp': True,
        'rtcp_mux': True,
        'forward_us': 0,
        'start_us': 40600000,
        'a_to_b': {'up': (2000, set(), None),
                   'down': (60000, {i for i in range(PACKETS) if i % 25 in (3, 11, 19)}, None)},
        'b_to_a': {'up': (60000, set(), lambda i: SILK_SAWTOOTH_MS[i % 4] * 1000),
                   'down': (2000, set(), None)},
    },
    {
        'name': 'SIP trunk',
        'a': ('10.0.0.30', 50030, 0x62990009, 0, 8000, 160, 0),
        'b': ('203.0.113.100', 40000, 0x63aa000a, 0, 8000, 160, 31415926),
        'rtpmap': {0: 'PCMU/8000'},
        'srtp': False,
        'rtcp_mux': False,
        'forward_us': 0,
        'start_us': 54100000,
        'a_to_b': {'up': (2000, set(), None),
                   'down': (35000, {i for i in range(PACKETS) if i % 50 == 20},
                            lambda i: TRUNK_SAWTOOTH_MS[i % 4] * 1000)},
        'b_to_a': {'up': (35000, {i for i in range(PACKETS) if i % 25 in (1, 13)}, None),
                   'down': (2000, set(), None)},
    },
]


def ntp_middle(t_us):
    """The middle 32 bits of the NTP timestamp of t_us (us since the capture epoch T0)."""
    us = T0 * 1000000 + t_us
    sec = us // 1000000 + NTP_OFFSET
    frac = ((us % 1000000) << 32) // 1000000
    return ((sec & 0xFFFF) << 16) | (frac >> 16), sec, frac


class Receiver:
    """What one end knows of the stream it receives (RFC 3550 A.1, A.3, A.8)."""

    def __init__(self, rate):
        self.rate = rate
        self.base = self.max_seq = None
        self.received = 0
        self.prior_expected = self.prior_received = 0
        self.transit = None
        self.jitter = 0.0
        self.last_sr = None         # (LSR, arrival time in us)

    def rtp(self, seq, ts, t_us):
        if self.base is None:
            self.base = self.max_seq = seq
        self.max_seq = max(self.max_seq, seq)
        self.received += 1
        transit = t_us * self.rate // 1000000 - ts
        if self.transit is not None:
            self.jitter += (abs(transit - self.transit) - self.jitter) / 16
        self.transit = transit

    def block(self, ssrc, t_us):
        """The report block about ssrc at t_us."""
        expected = self.max_seq - self.base + 1
        lost = expected - self.received
        expected_interval = expected - self.prior_expected
        lost_interval = expected_interval - (self.received - self.prior_received)
        self.prior_expected, self.prior_received = expected, self.received
        fraction = (lost_interval << 8) // expected_interval if expected_interval and lost_interval > 0 else 0
        lsr, dlsr = 0, 0
        if self.last_sr:
            lsr = self.last_sr[0]
            dlsr = (t_us - self.last_sr[1]) * 65536 // 1000000
        return report_block(ssrc, self.max_seq, int(self.jitter), lsr, dlsr, fraction, lost)


def direction_times(seg, i, send_us, forward_us):
    """When packet i, sent at send_us, reaches the capture point and the receiver (None if lost)."""
    up_delay, up_lost, up_var = seg['up']
    down_delay, down_lost, down_var = seg['down']
    if i in up_lost:
        return None, None
    at_capture = send_us + up_delay + (up_var(i) if up_var else 0)
    if i in down_lost:
        return at_capture, None
    return at_capture, at_capture + forward_us + down_delay + (down_var(i) if down_var else 0)


def simulate(call):
    """The packets of a call at the capture point: [(t_us, sender 'a' or 'b', bytes)], and the
    RTP sent: {'a': [(i, seq, send time)], ...}."""
    seen = []
    ends = {'a': call['a'], 'b': call['b']}
    recv = {'a': Receiver(call['b'][4]), 'b': Receiver(call['a'][4])}
    sent = {'a': 0, 'b': 0}
    octets = {'a': 0, 'b': 0}
    deliveries = []             # (t_us at the receiver, receiver, kind, data)
    start = call['start_us']
    for who, other, seg_name, offset in (('a', 'b', 'a_to_b', 0), ('b', 'a', 'b_to_a', 5000)):
        addr, port, ssrc, pt, rate, size, _ = ends[who]
        for i in range(PACKETS):
            send = start + offset + i * PACKET_US
            seq, ts = (1000 if who == 'a' else 3000) + i, 160000 + i * rate * PACKET_US // 1000000
            raw = rtp_packet(pt, seq, ts, ssrc, H('%s %s %d' % (call['name'], who, i), size), marker=i == 0)
            at_capture, at_receiver = direction_times(call[seg_name], i, send, call['forward_us'])
            if at_capture is not None:
                seen.append((at_capture, who, raw))
            if at_receiver is not None:
                deliveries.append((at_receiver, other, 'rtp', (seq, ts)))
            deliveries.append((send, who, 'sent', size))
    # RTCP: each end once a second and after its last packet, about the other's stream; the
    # events in time order so that each report is computed from what arrived before it.
    for who, offset in (('a', 0), ('b', 50000)):
        times = [start + offset + k * 1000000 for k in range(1, 6)] + [start + PACKETS * PACKET_US + 200000 + offset]
        for t in times:
            deliveries.append((t, who, 'rtcp', None))
    deliveries.sort(key=lambda d: (d[0], d[1], d[2]))
    pending = list(deliveries)
    while pending:
        t, who, kind, data = pending.pop(0)
        other = 'b' if who == 'a' else 'a'
        if kind == 'rtp':
            recv[who].rtp(data[0], data[1], t)
        elif kind == 'sent':
            sent[who] += 1
            octets[who] += data
        elif kind == 'sr':
            recv[who].last_sr = (data, t)
        elif kind == 'rtcp':
            addr, port, ssrc, pt, rate, size, clock_offset = ends[who]
            middle, sec, frac = ntp_middle(t + clock_offset)
            rtp_ts = 160000 + (t - start) * rate // 1000000
            block = recv[who].block(ends[other][2], t) if recv[who].base is not None else b''
            sr = rtcp_header(200, 1 if block else 0,
                             struct.pack('!IIIIII', ssrc, sec, frac, rtp_ts & 0xFFFFFFFF, sent[who], octets[who]) +
                             block)
            raw = sr + sdes_cname(ssrc, ('%s@quality' % who).encode())
            seg = call['a_to_b' if who == 'a' else 'b_to_a']
            at_capture = t + seg['up'][0]
            at_receiver = at_capture + call['forward_us'] + seg['down'][0]
            seen.append((at_capture, who, raw))
            # The receiver holds the SR from its arrival (its LSR in the next block).
            pending.append((at_receiver, other, 'sr', middle))
            pending.sort(key=lambda d: (d[0], d[1], d[2]))
    seen.sort(key=lambda s: s[0])
    return seen


def turn_setup(t_us, client, server, relay, peer):
    """The TURN exchange of call 1: [(t_us, from client?, Msg)]."""
    nonce = b'a2c35b0d1e9f7c4d'
    auth = [a_str(0x0006, 'USERNAME', TURN_USER), a_str(0x0014, 'REALM', REALM), a_str(0x0015, 'NONCE', nonce)]
    transport = a_raw(0x0019, 'REQUESTED-TRANSPORT', b'\x11\0\0\0', 'UDP (17), RFFU 0')
    first = Msg(0x0003, cookie_tid('quality allocate 1'), [transport], 'rfc5389', None, 'std')
    challenge = Msg(0x0113, first.tid, [a_error(401, b'Unauthorized'), a_str(0x0014, 'REALM', REALM),
                                        a_str(0x0015, 'NONCE', nonce)], 'rfc5389', None, 'std')
    allocate = Msg(0x0003, cookie_tid('quality allocate 2'), [transport] + auth, 'rfc5389', MI_TURN_RFC, 'std')
    allocated = Msg(0x0103, allocate.tid, [a_xaddr(0x0016, 'XOR-RELAYED-ADDRESS', *relay),
                                           a_xaddr(0x0020, 'XOR-MAPPED-ADDRESS', *client),
                                           a_u32(0x000D, 'LIFETIME', 600)], 'rfc5389', MI_TURN_RFC, 'std')
    permission = Msg(0x0008, cookie_tid('quality permission'), [a_xaddr(0x0012, 'XOR-PEER-ADDRESS', *peer)] + auth,
                     'rfc5389', MI_TURN_RFC, 'std')
    permitted = Msg(0x0108, permission.tid, [], 'rfc5389', MI_TURN_RFC, 'std')
    bind = Msg(0x0009, cookie_tid('quality channel'), [a_raw(0x000C, 'CHANNEL-NUMBER', b'\x40\x00\x00\x00', '0x4000'),
                                                       a_xaddr(0x0012, 'XOR-PEER-ADDRESS', *peer)] + auth,
               'rfc5389', MI_TURN_RFC, 'std')
    bound = Msg(0x0109, bind.tid, [], 'rfc5389', MI_TURN_RFC, 'std')
    return [(t_us, True, first), (t_us + 500, False, challenge), (t_us + 15000, True, allocate),
            (t_us + 15500, False, allocated), (t_us + 30000, True, permission), (t_us + 30500, False, permitted),
            (t_us + 45000, True, bind), (t_us + 45500, False, bound)]


class TcpLeg:
    """The client's TCP connection to the Edge, captured on the Edge: each segment acknowledges
    what its sender has received, the client's data on capture (the Edge receives it there), the
    Edge's data one round trip (2 client_us) after it was captured."""

    def __init__(self, records, client, edge, client_us):
        self.records, self.hosts, self.client_us = records, (client, edge), client_us
        self.seq = [0x51A00000, 0x7E300000]
        self.sent = ([], [])        # per side: (capture time, sequence number after the segment)

    def seg(self, t, from_client, flags, payload=b''):
        me, other = (0, 1) if from_client else (1, 0)
        delay = 2 * self.client_us if from_client else 0
        acked = [end for when, end in self.sent[other] if when + delay <= t]
        ack = acked[-1] if acked else 0
        (src, sport), (dst, dport) = self.hosts[me], self.hosts[other]
        self.records.append((t, tcp_frame(src, sport, dst, dport, self.seq[me], ack, flags | (ACK if acked else 0),
                                          65535, payload)))
        self.seq[me] += len(payload) + (1 if flags & (SYN | FIN) else 0)
        self.sent[me].append((t, self.seq[me]))


def tcp_setup(leg, t_us, client, relay, peer):
    """Call 3's TCP connection, MS-TURN pseudo-TLS (MS-TURN 2.1.1) and allocation in 0x02
    frames (2.1.4): Allocate, 401, Allocate with the long-term credential (MS-TURN 3.2.2), then
    Set Active Destination to the peer (2.2.2.5); one client round trip apart."""
    rtt = 2 * leg.client_us
    nonce = H('quality tcp nonce', 15).hex().encode()
    connid = H('quality tcp connection', 20)
    leg.seg(t_us, True, SYN)
    leg.seg(t_us + 100, False, SYN)
    t = t_us + 100 + rtt
    leg.seg(t, True, ACK)
    leg.seg(t + 50, True, PSH, CLIENT_HELLO)
    leg.seg(t + 150, False, PSH, server_hello()[0])
    first = Msg(0x0003, cookie_tid('quality tcp allocate 1'), [a_magic(), a_msver(6), a_svcq(1, 0)], 'ms-turn')
    challenge = Msg(0x0113, first.tid, [a_magic(), a_error(401, b'Unauthorized'),
                                        a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
                                        a_str(0x0015, 'REALM (MS-TURN numbering)', REALM), a_msver(6)], 'ms-turn')
    allocate = Msg(0x0003, cookie_tid('quality tcp allocate 2'), [a_magic(), a_msver(6)] + auth_attrs(nonce) +
                   [a_svcq(1, 0)], 'ms-turn', MI_TURN)
    allocated = Msg(0x0103, allocate.tid, [a_magic(), a_addr(0x0001, 'MAPPED-ADDRESS', *relay),
                                           a_xaddr(0x8020, 'XOR-MAPPED-ADDRESS (MS-TURN)', *client),
                                           a_u32(0x000D, 'LIFETIME', 480, ' seconds'), a_msver(6),
                                           a_seqnum(connid, 0)], 'ms-turn', MI_TURN)
    destination = Msg(0x0006, cookie_tid('quality tcp destination'),
                      [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, 1),
                       a_addr(0x0011, 'DESTINATION-ADDRESS', *peer)], 'ms-turn', MI_TURN)
    active = Msg(0x0106, destination.tid, [a_magic()], 'ms-turn', MI_TURN)
    for request, response in ((first, challenge), (allocate, allocated), (destination, active)):
        t += rtt
        leg.seg(t, True, PSH, frame02(request))
        leg.seg(t + 100, False, PSH, frame02(response))


def sip_media(call, ident, hosts, udp):
    """A call that SIP sets up (INVITE, 200 OK, ACK over UDP 5060), then its RTP and RTCP:
    SRTP and SRTCP protected by libsrtp2 with each end's a=crypto key, or plain."""
    a, b = call['a'][:2], call['b'][:2]
    for ip, mac in ((a[0], MAC_A), (b[0], MAC_B)):
        hosts[ip] = Host(ip, mac, 64, ident)
    rtt = call['a_to_b']['down'][0] + call['b_to_a']['up'][0]
    (pt, name), = call['rtpmap'].items()
    assert pt == call['a'][3] == call['b'][3]
    codec = name.split('/')[0].lower()
    keys = {who: H('quality %s key %s' % (codec, who), 30) for who in 'ab'}
    offer, answer = (media_sdp(end[0], end[1], session, pt, name, rtcp_mux=call['rtcp_mux'],
                               crypto='a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(keys[who])
                               if call['srtp'] else None)
                     for who, end, session in (('a', a, 4), ('b', b, 5)))
    invite, ok, ack = sip_call('quality-%s@%s' % (codec, a[0]), 'alice', 'bob', a[0], b[0], offer, answer,
                               'quality', 'quality')
    senders = {who: SrtpSender(keys[who]) for who in 'ab'}
    t = call['start_us'] - 1000000
    udp(t, (a[0], 5060), (b[0], 5060), invite)
    udp(t + rtt, (b[0], 5060), (a[0], 5060), ok)
    udp(t + rtt + 1000, (a[0], 5060), (b[0], 5060), ack)
    for t, who, raw in simulate(call):
        # The RTCP packet type is the second octet's value 200 (an SR first).
        rtcp = raw[1] == 200
        if call['srtp']:
            raw = senders[who].rtcp(raw) if rtcp else senders[who].rtp(raw)
        port = 1 if rtcp and not call['rtcp_mux'] else 0
        src, dst = (a, b) if who == 'a' else (b, a)
        udp(t, (src[0], src[1] + port), (dst[0], dst[1] + port), raw)


def udp_sender(records, hosts):
    """udp(t, (ip, port), (ip, port), payload): a datagram between two of hosts, into records."""
    def udp(t, src, dst, payload):
        records.append((t, udp_frame(hosts[src[0]], src[1], hosts[dst[0]], dst[1], payload,
                                     hosts[src[0]].mac, hosts[dst[0]].mac)))
    return udp


def sip_capture(call):
    """A capture of one call that SIP sets up, alone (test/suite_quality.py makes call 5 with
    rtcp-mux)."""
    records, hosts = [], {}
    sip_media(call, 0xC00, hosts, udp_sender(records, hosts))
    return pcap.write([(T0 * 1000000 + t, frame) for t, frame in sorted(records, key=lambda r: r[0])])


def build():
    records = []
    # Call 1, captured on the Edge: the client's leg (ChannelData) and the relay's.
    call = CALLS[0]
    client, peer = call['a'][:2], call['b'][:2]
    server, relay = call['server'], call['relay']
    hosts = {ip: Host(ip, MAC_A if ip in (client[0], peer[0]) else MAC_B, 64, 0x100 + n)
             for n, ip in enumerate((client[0], peer[0], server[0], relay[0]))}
    udp = udp_sender(records, hosts)

    for t, from_client, msg in turn_setup(0, client, server, relay, peer):
        udp(t, client, server, msg.raw) if from_client else udp(t, server, client, msg.raw)
    for t, who, raw in simulate(call):
        if who == 'a':
            udp(t, client, server, channel_data(0x4000, raw, False))
            udp(t + FORWARD_US, relay, peer, raw)
        else:
            udp(t, peer, relay, raw)
            udp(t + FORWARD_US, server, client, channel_data(0x4000, raw, False))

    # Call 2, direct, captured next to the client: ICE checks, then the media.
    call = CALLS[1]
    a, b = call['a'][:2], call['b'][:2]
    for ip, mac in ((a[0], MAC_A), (b[0], MAC_B)):
        hosts[ip] = Host(ip, mac, 64, 0x900)
    rtt = call['a_to_b']['down'][0] + call['b_to_a']['up'][0]
    t = call['start_us'] - 1500000
    request = ice_request('quality direct 1', True, prio(126, 65535), 0x1122334455667788, True, b'1',
                          use_cand=True)
    udp(t, a, b, request.raw)
    udp(t + rtt, b, a, ice_response(request, *a).raw)
    request = ice_request('quality direct 2', False, prio(126, 65535), 0x8877665544332211, False, b'2')
    udp(t + 100000, b, a, request.raw)
    udp(t + 100000 + 2 * call['b_to_a']['down'][0], a, b, ice_response(request, *b).raw)
    for t, who, raw in simulate(call):
        udp(t, a, b, raw) if who == 'a' else udp(t, b, a, raw)

    # Call 3, captured on the Edge: the client's leg over TCP 443 (end-to-end data in 0x03
    # frames, RFC 4571 framed, MS-TURN 2.1.4), the relay's over UDP.
    call = CALLS[2]
    client, peer = call['a'][:2], call['b'][:2]
    server, relay = call['server'], call['relay']
    for ip, mac in ((client[0], MAC_A), (peer[0], MAC_A)):
        hosts[ip] = Host(ip, mac, 64, 0xA00)
    leg = TcpLeg(records, (hosts[client[0]], client[1]), (hosts[server[0]], server[1]), call['a_to_b']['up'][0])
    tcp_setup(leg, call['start_us'] - 500000, client, relay, peer)
    t = 0
    for t, who, raw in simulate(call):
        if who == 'a':
            leg.seg(t, True, PSH, frame03(rfc4571(raw)))
            udp(t + FORWARD_US, relay, peer, raw)
        else:
            udp(t, peer, relay, raw)
            leg.seg(t + FORWARD_US, False, PSH, frame03(rfc4571(raw)))
    t += 100000
    leg.seg(t, True, FIN)
    leg.seg(t + 100, False, FIN)
    leg.seg(t + 100 + 2 * leg.client_us, True, ACK)

    # Calls 4 and 5, direct, captured next to the client: SIP sets up the media.
    for call, mac in ((CALLS[3], 0xB00), (CALLS[4], 0xC00)):
        sip_media(call, mac, hosts, udp)

    records.sort(key=lambda r: r[0])
    return pcap.write([(T0 * 1000000 + t, frame) for t, frame in records])


def main(argv):
    check = '--check' in argv
    args = [a for a in argv if not a.startswith('--')]
    outdir = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    data = build()
    path = os.path.join(outdir, NAME)
    if check:
        with open(path, 'rb') as f:
            assert f.read() == data, '%s differs from a fresh build' % path
        print('check OK: %s identical to a fresh build' % NAME)
        return 0
    os.makedirs(outdir, exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    print('%-28s %9d bytes' % (NAME, len(data)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
