#!/usr/bin/env python3
# gen_pathological.py
#
# Pathological inputs for the msstun plugin, for tools/robustness.sh and
# test/suite_robustness.py.  Python 3 standard library only, deterministic
# (the same arguments always give the same bytes), and streaming: the large
# captures are written packet by packet, never held in memory.  Everything
# goes into the directory or file given on the command line; nothing is
# written into captures/ unless asked to.
#
#   gen_pathological.py small OUTDIR
#       attr-ffff.pcap          attribute length 0xFFFF (UDP 3478 and TCP 443)
#       zero-length.pcap        zero-length MS-TURN frames, RFC 4571 frames,
#                               ChannelData, 0xFF10, DATA, STUN and UDP payloads
#       nesting-udp3478.pcap    DATA, ChannelData and 0xFF10 nested 1..10 deep
#       nesting-tcp443.pcap     the same inside MS-TURN TCP control frames
#       each with a .txt listing what every frame holds.
#   gen_pathological.py allocations OUTFILE N
#       N MS-TURN allocations on UDP 3478, each from its own client, each
#       learning a distinct relayed, reflexive and peer transport address.
#   gen_pathological.py tcpstream OUTFILE SIZE [SEGMENT]
#       one TCP 443 MS-TURN connection carrying SIZE bytes (suffixes k, M, G)
#       of back-to-back 0x02 and 0x03 frames cut into SEGMENT-byte segments
#       (default 1460) regardless of frame boundaries.
#   gen_pathological.py dribble OUTFILE INNER_BYTES
#       one TCP 443 MS-TURN connection whose end-to-end data (0x03) frames
#       carry one byte each of RFC 4571 frames of length 0xFFFF: the partial
#       frame carried from one end-to-end frame to the next grows byte by byte.
#       (OUTFILE ending in .gz is written gzip-compressed; tshark reads it.)
#   gen_pathological.py shape RANDPKT_IN OUTFILE udp|tcp
#       takes the random bytes of a randpkt capture and puts them on the
#       plugin's ports with valid IP/UDP/TCP headers, some left raw, some
#       given the first bytes of a STUN message, ChannelData, 0xFF10, RTP,
#       MS-TURN TCP frame or RFC 4571 frame, so that the random rest reaches
#       the plugin's parsers instead of being rejected at the first byte.
#
# Addresses follow lib/net.py (captures/gen_msturn.py --describe): client 10.0.0.10, Edge 192.0.2.1
# (UDP 3478, TCP 443), relay 192.0.2.15, peer 203.0.113.9.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import hashlib
import ipaddress
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import net, pcap  # noqa: E402
from lib.base import T0  # noqa: E402
from lib.net import MAC_CLIENT as CLIENT_MAC, MAC_EDGE as EDGE_MAC  # noqa: E402
from lib.net import PROTO_UDP, ethernet, ip4, ipv4_packet, udp_segment  # noqa: E402
from lib.rtp import packet as rtp_packet  # noqa: E402
from lib.stun import COOKIE, MS_MAGIC as MS_COOKIE, addr_value, attr, message, msturn_tcp_frame, rfc4571  # noqa: E402
from lib.stun import channel_data, mturn as mturn_raw  # noqa: E402

MAX_NESTING = 4                 # MSSTUN_MAX_NESTING in packet-msrtp-mux.c

ATT_MAPPED_ADDRESS = 0x0001
ATT_LIFETIME = 0x000D
ATT_MAGIC_COOKIE = 0x000F
ATT_DESTINATION_ADDRESS = 0x0011
ATT_DATA = 0x0013
ATT_XOR_PEER_ADDRESS = 0x0012
ATT_USERNAME = 0x0006
ATT_SOFTWARE = 0x8022
ATT_MS_VERSION = 0x8008
ATT_MS_XOR_MAPPED_ADDRESS = 0x8020


# ---------------------------------------------------------------------------
# Packets (IPv4 identification 0, TTL 64, DF), files written as they go

def udp_frame(src, sport, dst, dport, payload, smac=CLIENT_MAC, dmac=EDGE_MAC):
    return ethernet(dmac, smac, ipv4_packet(src, dst, PROTO_UDP, udp_segment(src, sport, dst, dport, payload)))


def pcap_writer(path, step_us=20000, notes=True):
    return pcap.Writer(path, T0 * 1000000, step_us, notes)


def tcp_stream(cap, src, sport, dst, dport, isn=1000):
    return net.TcpStream(cap, src, sport, dst, dport, CLIENT_MAC, EDGE_MAC, isn)


# ---------------------------------------------------------------------------
# STUN / MS-TURN building blocks

def tid(label):
    return hashlib.sha256(label.encode()).digest()[:12]


def stun(msg_type, attrs, label, cookie=True):
    if cookie:
        return message(msg_type, struct.pack('!I', COOKIE) + tid(label), attrs)
    return message(msg_type, hashlib.sha256(label.encode()).digest()[:16], attrs)


def plain_addr(ip, port):
    return addr_value(ip, port)


def xor_addr(ip, port):
    return addr_value(ip, port, struct.pack('!I', COOKIE))


def magic():
    return attr(ATT_MAGIC_COOKIE, struct.pack('!I', MS_COOKIE), False)


def ms_send(data, label, peer=('203.0.113.9', 50012)):
    '''MS-TURN Send request (0x0004): MAGIC-COOKIE first, unpadded.'''
    return stun(0x0004, magic() + attr(ATT_MS_VERSION, struct.pack('!I', 6), False) +
                attr(ATT_DESTINATION_ADDRESS, plain_addr(*peer), False) + attr(ATT_DATA, data, False), label)


def rtp(seq, payload_len=20, pt=0):
    digest = hashlib.sha256(b'rtp%d' % seq).digest()
    payload = (digest * (payload_len // len(digest) + 1))[:payload_len]
    return rtp_packet(pt, seq, seq * 160, 0x5EED0001, payload)


def binding_request(label):
    '''RFC 5389 Binding request with USERNAME (padded attributes).'''
    return stun(0x0001, attr(ATT_USERNAME, b'pQ7z:Ab3d', True) + attr(ATT_SOFTWARE, b'gen_pathological', True),
                label)


def channeldata(data, channel=0x4001, pad=True):
    return channel_data(channel, data, pad)


def mturn(data, session=b'\x5e\x55\x10\x00\x00\x00\x00\x01'):
    return mturn_raw(session, data)


def frame02(msg):
    return msturn_tcp_frame(2, msg)


def frame03(payload):
    return msturn_tcp_frame(3, payload)


PSEUDO_TLS_CLIENT_HELLO = (bytes.fromhex('160301002d0100002903 01'.replace(' ', '')) +
                           struct.pack('!I', 0x5EED0000) + bytes(range(28)) +
                           bytes.fromhex('00 0002 0018 01 00'.replace(' ', '')))
assert len(PSEUDO_TLS_CLIENT_HELLO) == 50


# ---------------------------------------------------------------------------
# small: the pathological cases the test suite asserts on

CARRIERS = ('data', 'channeldata', 'mturn')


def wrap(kind, inner, depth, over_tcp):
    if kind == 'data':
        return ms_send(inner, 'nest-%d-%d' % (depth, len(inner)))
    if kind == 'channeldata':
        return channeldata(inner, 0x4000 + depth, pad=True)
    return mturn(inner, struct.pack('!Q', 0x5E55100000000000 + depth))


def nested(kinds, innermost, over_tcp=False):
    '''kinds[0] is the outermost carrier.'''
    payload = innermost
    for depth, kind in reversed(list(enumerate(kinds))):
        payload = wrap(kind, payload, depth, over_tcp)
    return payload


def nesting_plan(max_depth=10):
    '''(name, carrier list) for every depth and carrier, then mixed chains.'''
    plan = []
    for kind in CARRIERS:
        for depth in range(1, max_depth + 1):
            plan.append(('%s x%d' % (kind, depth), [kind] * depth))
    for rot in range(3):
        for depth in range(1, max_depth + 1):
            kinds = [CARRIERS[(rot + i) % 3] for i in range(depth)]
            plan.append(('mixed %s x%d' % ('>'.join(k[0] for k in kinds), depth), kinds))
    return plan


def build_nesting_udp(path):
    cap = pcap_writer(path)
    client, edge = ip4('10.0.0.10'), ip4('192.0.2.1')
    for i, (name, kinds) in enumerate(nesting_plan()):
        payload = nested(kinds, rtp(1000 + i))
        depth = len(kinds)
        cap.add(udp_frame(client, 50000, edge, 3478, payload),
                '%s; innermost RTP seq %d %s' % (name, 1000 + i,
                                                 'decoded' if depth <= MAX_NESTING else 'nesting_too_deep'))
    cap.close(os.path.splitext(path)[0] + '.txt')


def build_nesting_tcp(path):
    '''MS-TURN control frames (0x02) holding Send requests whose DATA nests
    further carriers; ChannelData over TCP is padded (RFC 5766 11.5).'''
    cap = pcap_writer(path)
    s = tcp_stream(cap, ip4('10.0.0.10'), 50001, ip4('192.0.2.1'), 443)
    for i, (name, kinds) in enumerate(nesting_plan()):
        kinds = ['data'] + kinds        # the control frame must hold a STUN message
        payload = nested(kinds, rtp(2000 + i), over_tcp=True)
        depth = len(kinds)
        s.send(frame02(payload), 'control frame, data > %s; innermost RTP seq %d %s'
               % (name, 2000 + i, 'decoded' if depth <= MAX_NESTING else 'nesting_too_deep'))
    cap.close(os.path.splitext(path)[0] + '.txt')


def build_attr_ffff(path):
    cap = pcap_writer(path)
    client, edge = ip4('10.0.0.10'), ip4('192.0.2.1')

    def bogus(att_type, value=b'\xAB' * 8):
        return struct.pack('!HH', att_type, 0xFFFF) + value

    cases = [
        ('RFC 5389 Binding request, SOFTWARE length 0xFFFF', stun(0x0001, bogus(ATT_SOFTWARE), 'ffff-1')),
        ('RFC 5389 Binding request, USERNAME ok then unknown 0x7FFF length 0xFFFF',
         stun(0x0001, attr(ATT_USERNAME, b'pQ7z:Ab3d', True) + bogus(0x7FFF), 'ffff-2')),
        ('MS-TURN Allocate request, MAGIC-COOKIE then MS-VERSION length 0xFFFF',
         stun(0x0003, magic() + bogus(ATT_MS_VERSION), 'ffff-3')),
        ('MS-TURN Send request, DATA length 0xFFFF (value clipped to the message)',
         stun(0x0004, magic() + attr(ATT_DESTINATION_ADDRESS, plain_addr('203.0.113.9', 50012), False) +
              bogus(ATT_DATA, rtp(7)), 'ffff-4')),
        ('RFC 5389 Binding response, XOR-MAPPED-ADDRESS length 0xFFFF',
         stun(0x0101, bogus(0x0020, xor_addr('198.51.100.7', 40000)), 'ffff-5')),
        ('RFC 5389 Binding request, MESSAGE-INTEGRITY length 0xFFFF', stun(0x0001, bogus(0x0008), 'ffff-6')),
        ('RFC 5389 Binding request, FINGERPRINT length 0xFFFF', stun(0x0001, bogus(0x8028, b'\1\2\3\4'), 'ffff-7')),
        ('RFC 5389 Binding request, attribute length 0xFFFF and no value', stun(0x0001, bogus(0x0006, b''), 'ffff-8')),
    ]
    for note, msg in cases:
        cap.add(udp_frame(client, 50000, edge, 3478, msg), 'UDP 3478: ' + note)
    # TCP 443: the same in MS-TURN control frames, then a frame whose own
    # Length is 0xFFFF (a full 65535-byte frame: a 65515-byte MS-TURN Send
    # request whose DATA is 0xFFFF long), cut into 1460-byte segments.
    s = tcp_stream(cap, client, 50001, edge, 443)
    for note, msg in cases:
        s.send(frame02(msg), 'TCP 443 control frame: ' + note)
    head = magic() + attr(ATT_DESTINATION_ADDRESS, plain_addr('203.0.113.9', 50012), False)
    data_len = 0xFFFF - 20 - len(head) - 4
    big = stun(0x0004, head + struct.pack('!HH', ATT_DATA, 0xFFFF) + bytes(data_len), 'ffff-big')
    assert len(big) == 0xFFFF
    stream = frame02(big)
    for off in range(0, len(stream), 1460):
        s.send(stream[off:off + 1460], 'TCP 443: %s of a control frame of Length 0xFFFF (DATA length 0xFFFF)'
               % ('first segment' if off == 0 else 'segment'))
    cap.close(os.path.splitext(path)[0] + '.txt')


def build_zero_length(path):
    cap = pcap_writer(path)
    client, edge = ip4('10.0.0.10'), ip4('192.0.2.1')
    udp = [
        ('UDP 3478: empty payload', b''),
        ('UDP 3478: ChannelData 0x4001 length 0', channeldata(b'')),
        ('UDP 3478: 0xFF10 length 8 (session ID only, no data)', mturn(b'')),
        ('UDP 3478: RFC 5389 Binding request, message length 0', stun(0x0001, b'', 'zero-1')),
        ('UDP 3478: MS-TURN Send request, DATA length 0',
         stun(0x0004, magic() + attr(ATT_DESTINATION_ADDRESS, plain_addr('203.0.113.9', 50012), False) +
              attr(ATT_DATA, b'', False), 'zero-2')),
        ('UDP 3478: RFC 5389 Binding request, USERNAME length 0', stun(0x0001, attr(ATT_USERNAME, b'', True),
                                                                     'zero-3')),
    ]
    for note, payload in udp:
        cap.add(udp_frame(client, 50000, edge, 3478, payload), note)

    # MS-TURN framing: zero-length control and end-to-end frames, alone,
    # back to back in one segment, and between real frames.
    s = tcp_stream(cap, client, 50001, edge, 443)
    s.send(frame02(stun(0x0003, magic() + attr(ATT_MS_VERSION, struct.pack('!I', 6), False), 'zero-alloc')),
           'TCP 443 (MS-TURN): control frame, Allocate request (sets the connection mode)')
    s.send(frame02(b''), 'TCP 443 (MS-TURN): control frame 02 00 00 00')
    s.send(frame03(b''), 'TCP 443 (MS-TURN): end-to-end frame 03 00 00 00')
    s.send((frame02(b'') + frame03(b'')) * 8, 'TCP 443 (MS-TURN): 16 zero-length frames in one segment')
    s.send(frame03(rfc4571(b'')), 'TCP 443 (MS-TURN): end-to-end frame holding one zero-length RFC 4571 frame')
    s.send(frame03(rfc4571(b'') * 4 + rfc4571(rtp(1))),
           'TCP 443 (MS-TURN): end-to-end frame, four zero-length RFC 4571 frames then RTP')
    s.send(frame02(b'') + frame02(ms_send(rtp(2), 'zero-send')) + frame03(b''),
           'TCP 443 (MS-TURN): zero, Send request with RTP, zero')

    # RFC 4571 framing (ICE-TCP) on TCP 443: zero-length frames.
    r = tcp_stream(cap, client, 50002, edge, 443)
    r.send(rfc4571(binding_request('zero-4571')), 'TCP 443 (RFC 4571): Binding request (sets the connection mode)')
    r.send(rfc4571(b''), 'TCP 443 (RFC 4571): frame 00 00')
    r.send(rfc4571(b'') * 16, 'TCP 443 (RFC 4571): 16 zero-length frames in one segment')
    r.send(rfc4571(b'') + rfc4571(rtp(3)) + rfc4571(b''), 'TCP 443 (RFC 4571): zero, RTP, zero')

    # RFC 5766 TURN over TCP: zero-length ChannelData and STUN.
    t = tcp_stream(cap, client, 50003, edge, 443)
    t.send(stun(0x0003, attr(0x0019, b'\x11\0\0\0', True), 'zero-raw'),
           'TCP 443 (TURN over TCP): Allocate request (sets the connection mode)')
    t.send(channeldata(b'') * 4 + stun(0x0001, b'', 'zero-raw-2'),
           'TCP 443 (TURN over TCP): four zero-length ChannelData, then an empty Binding request')
    cap.close(os.path.splitext(path)[0] + '.txt')


def build_small(outdir):
    os.makedirs(outdir, exist_ok=True)
    build_attr_ffff(os.path.join(outdir, 'attr-ffff.pcap'))
    build_zero_length(os.path.join(outdir, 'zero-length.pcap'))
    build_nesting_udp(os.path.join(outdir, 'nesting-udp3478.pcap'))
    build_nesting_tcp(os.path.join(outdir, 'nesting-tcp443.pcap'))


# ---------------------------------------------------------------------------
# allocations: N allocations, each learning distinct addresses

def nth_addr(base, i, port_base=1024, ports=64000):
    '''The i-th distinct transport address above base (ports 1024..65023).'''
    return str(ipaddress.IPv4Address(int(ipaddress.IPv4Address(base)) + i // ports)), port_base + i % ports


def build_allocations(path, n):
    cap = pcap_writer(path, step_us=1000, notes=False)
    edge = ip4('192.0.2.1')
    for i in range(n):
        cip, cport = nth_addr('10.0.0.0', i)
        rip, rport = nth_addr('100.64.0.0', i)     # relayed
        xip, xport = nth_addr('198.51.0.0', i)     # reflexive
        pip, pport = nth_addr('203.0.0.0', i)      # peer
        client = ip4(cip)
        label = 'alloc-%d' % i
        req = stun(0x0003, magic() + attr(ATT_MS_VERSION, struct.pack('!I', 6), False), label)
        rsp = stun(0x0103, magic() + attr(ATT_MAPPED_ADDRESS, plain_addr(rip, rport), False) +
                   attr(ATT_MS_XOR_MAPPED_ADDRESS, xor_addr(xip, xport), False) +
                   attr(ATT_LIFETIME, struct.pack('!I', 480), False) +
                   attr(ATT_MS_VERSION, struct.pack('!I', 6), False), label)
        send = ms_send(rtp(i), 'send-%d' % i, (pip, pport))
        cap.add(udp_frame(client, cport, edge, 3478, req))
        cap.add(udp_frame(edge, 3478, client, cport, rsp, EDGE_MAC, CLIENT_MAC))
        cap.add(udp_frame(client, cport, edge, 3478, send))
    cap.close()


# ---------------------------------------------------------------------------
# tcpstream: SIZE bytes of back-to-back MS-TURN frames on one connection

def stream_frames():
    '''A fixed cycle of frames: control frames (Send requests with RTP),
    end-to-end frames of RFC 4571 RTP whose last inner frame continues in
    the next end-to-end frame, then one maximal frame (Length 0xFFFF) whose
    last inner frame also continues, and two zero-length frames.  About 60%
    of the bytes are in the small frames.'''
    frames = []
    for k in range(96):
        frames.append(frame02(ms_send(rtp(k, 160, 0), 'stream-send-%d' % k)))
        inner = b''.join(rfc4571(rtp(100 + k * 8 + j, 40 + 20 * j, 104)) for j in range(6))
        cut = len(inner) - 30 - k % 16             # leave a tail for the next 0x03 frame
        frames.append(frame03(inner[:cut]))
        frames.append(frame03(inner[cut:] + rfc4571(rtp(200 + k, 120, 104))))
    # 0xFFFF bytes: 53 RFC 4571 frames, then the start of one more that ends
    # in the following end-to-end frame.
    body = b''.join(rfc4571(rtp(1000 + j, 1200, 104)) for j in range(53))
    tail = rfc4571(rtp(999, 1500, 104))
    split = 0xFFFF - len(body)
    frames.append(frame03(body + tail[:split]))
    frames.append(frame03(tail[split:] + rfc4571(rtp(998, 80, 104))))
    frames.append(frame02(b''))
    frames.append(frame03(b''))
    return frames


def parse_size(text):
    mult = {'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30}
    text = text.strip().lower()
    if text[-1:] in mult:
        return int(float(text[:-1]) * mult[text[-1]])
    return int(text)


def build_tcpstream(path, size, segment=1460):
    '''Whole frames only, as many as fit in size bytes; returns the total.
    The Edge acknowledges every second segment, as a real receiver does:
    without ACKs Wireshark's own TCP analysis (bytes in flight over the list
    of unacknowledged segments) costs time per segment that grows with the
    stream, whatever dissects the payload.'''
    cap = pcap_writer(path, step_us=10, notes=False)
    s = tcp_stream(cap, ip4('10.0.0.10'), 50100, ip4('192.0.2.1'), 443)
    frames = stream_frames()
    cycle = b''.join(frames)
    budget = size
    pending = b''
    done = False
    sent = 0
    while not done:
        if budget >= len(cycle):
            block = cycle
        else:
            parts = []
            for f in frames:
                if len(f) > budget - sum(len(p) for p in parts):
                    break
                parts.append(f)
            block = b''.join(parts)
            done = True
        budget -= len(block)
        buf = pending + block
        off = 0
        while len(buf) - off >= segment:
            s.send(buf[off:off + segment])
            off += segment
            sent += 1
            if sent % 2 == 0:
                s.ack()
        pending = buf[off:]
    if pending:
        s.send(pending)
    s.ack()
    cap.close()
    return size - budget


# ---------------------------------------------------------------------------
# dribble: one RFC 4571 stream delivered one byte per end-to-end frame

def build_dribble(path, inner_bytes):
    '''MS-TURN on TCP 443: a control frame (Allocate request), then
    inner_bytes bytes of RFC 4571 frames, each of the maximal length 0xFFFF
    (an RTP packet), carried one byte per end-to-end data frame (0x03, Length
    1), 292 such frames per 1460-byte segment.  Every end-to-end frame ends
    inside the same RFC 4571 frame, so the dissector has to carry a growing
    partial frame from one to the next: the total memory and copying must stay
    linear in inner_bytes.'''
    cap = pcap_writer(path, step_us=1000, notes=False)
    s = tcp_stream(cap, ip4('10.0.0.10'), 50200, ip4('192.0.2.1'), 443)
    s.send(frame02(stun(0x0003, magic() + attr(ATT_MS_VERSION, struct.pack('!I', 6), False), 'dribble')))
    one = rfc4571(rtp(1, 0xFFFF - 12, 104))
    inner = (one * (inner_bytes // len(one) + 1))[:inner_bytes]
    per_segment = 1460 // 5
    for n, off in enumerate(range(0, len(inner), per_segment)):
        s.send(b''.join(frame03(inner[i:i + 1]) for i in range(off, min(off + per_segment, len(inner)))))
        if n % 2:
            s.ack()
    s.ack()
    cap.close()


# ---------------------------------------------------------------------------
# shape: randpkt bytes on the plugin's ports

CLASSIC_TYPES = (0x0001, 0x0101, 0x0111, 0x0003, 0x0103, 0x0113, 0x0004, 0x0115, 0x0006, 0x0106, 0x0116)
UDP_SHAPES = ('raw', 'stun', 'msturn', 'classic', 'channeldata', 'mturn', 'rtp', 'send-data', 'nested')


def random_bytes(pkt, linktype):
    '''Everything randpkt randomised: the bytes after its fixed Ethernet and
    IPv4 headers (the L4 header is random too).'''
    if linktype == 1 and len(pkt) > 34:
        return pkt[34:]
    return pkt


def shape_udp(kind, b):
    if kind == 'raw':
        return b
    if kind in ('stun', 'msturn', 'classic'):
        b = bytearray(b.ljust(28, b'\0'))
        b[0] &= 0x3F
        if kind == 'classic':
            b[0:2] = struct.pack('!H', CLASSIC_TYPES[b[1] % len(CLASSIC_TYPES)])
        else:
            b[4:8] = struct.pack('!I', COOKIE)
            b[0] &= 0x01                            # types below 0x0200: the RFC 7983 range
        if kind == 'msturn':
            b[20:28] = struct.pack('!HHI', ATT_MAGIC_COOKIE, 4, MS_COOKIE)
        b[2:4] = struct.pack('!H', (len(b) - 20) & 0xFFFF)
        return bytes(b)
    if kind == 'channeldata':
        b = bytearray(b.ljust(4, b'\0'))
        b[0] = 0x40 | (b[0] & 0x3F)
        b[2:4] = struct.pack('!H', len(b) - 4 - (b[1] % 4 if len(b) - 4 >= 4 else 0))
        return bytes(b)
    if kind == 'mturn':
        return mturn(b[8:], b[:8].ljust(8, b'\0'))
    if kind == 'rtp':
        b = bytearray(b.ljust(12, b'\0'))
        b[0] = 0x80 | (b[0] & 0x3F)
        return bytes(b)
    if kind == 'send-data':
        inner = shape_udp(UDP_SHAPES[b[0] % 7] if b else 'raw', b[1:])
        return ms_send(inner, 'shape-%d' % len(b))
    # nested: DATA > ChannelData > 0xFF10 > shaped random
    inner = shape_udp(UDP_SHAPES[b[0] % 7] if b else 'raw', b[1:])
    return ms_send(channeldata(mturn(inner), pad=False), 'shape-n-%d' % len(b))


def build_shape(src, path, proto):
    cap = pcap_writer(path, step_us=1000)
    client, edge = ip4('10.0.0.10'), ip4('192.0.2.1')
    packets = [random_bytes(p, lt) for lt, p in pcap.read_any(src)]
    if proto == 'udp':
        for i, b in enumerate(packets):
            kind = UDP_SHAPES[i % len(UDP_SHAPES)]
            payload = shape_udp(kind, b)[:65000]
            cap.add(udp_frame(client, 50000 + i % 7, edge, 3478, payload), kind)
        cap.close(os.path.splitext(path)[0] + '.txt')
        return
    # TCP: connections to 443, a new one every 16 packets, each opened with
    # what sets its mode (MS-TURN framing, pseudo-TLS then MS-TURN, RFC 4571,
    # RFC 5766 TURN over TCP, in turn), then 15 random segments given that
    # mode's frame header with an exact length, and one left raw, last,
    # since it can desynchronise the framing (a random length makes TCP
    # reassembly wait for more data).
    openers = [
        ('msturn', frame02(stun(0x0003, magic() + attr(ATT_MS_VERSION, struct.pack('!I', 6), False), 'shape-tcp'))),
        ('pseudotls', PSEUDO_TLS_CLIENT_HELLO),
        ('rfc4571', rfc4571(binding_request('shape-4571'))),
        ('rawturn', stun(0x0003, attr(0x0019, b'\x11\0\0\0', True), 'shape-raw')),
    ]
    per_connection = 16
    s = None
    for i, b in enumerate(packets):
        if i % per_connection == 0:
            conn = i // per_connection
            name, opener = openers[conn % len(openers)]
            s = tcp_stream(cap, client, 30000 + conn % 30000, edge, 443, isn=1000 + conn)
            s.send(opener, name + ' opener')
        pos = i % per_connection
        sub = 1 + pos % 3
        if pos == per_connection - 1 or not b:
            sub = 0
            payload = b                                             # raw, last: may desynchronise
        elif name in ('msturn', 'pseudotls'):
            if sub == 1:
                payload = frame02(shape_udp(('stun', 'msturn', 'classic')[b[0] % 3], b[1:]))
            elif sub == 2:
                payload = frame03(b)
            else:
                payload = frame03(b''.join(rfc4571(shape_udp(UDP_SHAPES[(b[0] + j) % 7], b[j::3]))
                                           for j in range(3)))
        elif name == 'rfc4571':
            payload = rfc4571(shape_udp(UDP_SHAPES[b[0] % 7], b[1:]))
        else:
            if sub == 1:
                payload = shape_udp(('stun', 'msturn')[b[0] % 2], b[1:])
            else:
                payload = channeldata(b[1:], 0x4000 | b[0])
        s.send(payload[:65000], '%s %d' % (name, sub))
    cap.close(os.path.splitext(path)[0] + '.txt')


# ---------------------------------------------------------------------------

def main(argv):
    usage = ('usage: gen_pathological.py small OUTDIR | allocations OUTFILE N | '
             'tcpstream OUTFILE SIZE [SEGMENT] | dribble OUTFILE INNER_BYTES | shape RANDPKT_IN OUTFILE udp|tcp')
    if len(argv) < 3:
        raise SystemExit(usage)
    cmd = argv[1]
    if cmd == 'small' and len(argv) == 3:
        build_small(argv[2])
    elif cmd == 'allocations' and len(argv) == 4:
        build_allocations(argv[2], int(argv[3]))
    elif cmd == 'tcpstream' and len(argv) in (4, 5):
        written = build_tcpstream(argv[2], parse_size(argv[3]), int(argv[4]) if len(argv) == 5 else 1460)
        print('%s: %d bytes of MS-TURN frames' % (argv[2], written))
    elif cmd == 'dribble' and len(argv) == 4:
        build_dribble(argv[2], parse_size(argv[3]))
    elif cmd == 'shape' and len(argv) == 5 and argv[4] in ('udp', 'tcp'):
        build_shape(argv[2], argv[3], argv[4])
    else:
        raise SystemExit(usage)


if __name__ == '__main__':
    main(sys.argv)
