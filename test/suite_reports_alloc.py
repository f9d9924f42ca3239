# suite_reports_alloc.py
# One allocation model (issue 27): the Allocations report's counts and Media
# Paths' relayed streams come from one tracker (tap-msstun-alloc.c).
#
#   - Per allocation, the packets and bytes sent and received (the sums over
#     its peers) on the client's leg and on the relay leg equal what this
#     file counts from tshark's own fields (-T fields: addresses, ports,
#     tcp.stream, msstun.* framing fields), on every capture in captures/ and
#     ../shared/captures: each DATA attribute, ChannelData, 0xFF10 message
#     and MS-TURN end-to-end frame on the allocation's 5-tuple, its RTP and
#     RTCP, its other data after a Set Active Destination success, and the
#     bytes of its RFC 6062 data connections after their ConnectionBind
#     success; apart, the relay leg: RTP and RTCP between its relayed
#     addresses and peers, and the TCP payload (tcp.len) of the RFC 6062
#     connections between its relayed address (XOR-RELAYED-ADDRESS of its
#     Allocate success) and a peer (XOR-PEER-ADDRESS of a Connect request
#     answered by a success, or of a ConnectionAttempt), once named.
#   - A capture with no TURN allocation message has no allocation row.
#   - Allocations and Media Paths agree on which allocation a relayed stream
#     went through (the client, server and relayed address of its hops).
#   - captures/gen_alloc_edges.py rebuilds msturn-active-dest-data.pcap.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import collections
import os
import re
import subprocess
import sys

import pytest

from conftest import LOCAL_CAPTURES, SHARED_CAPTURES, all_local_captures, all_shared_captures
from suite_flow import MEDIA_COLUMNS
from suite_reports_trust import capture_args, parse_tables

EVERY_CAPTURE = ([os.path.join(LOCAL_CAPTURES, c) for c in all_local_captures()] +
                 [os.path.join(SHARED_CAPTURES, c) for c in all_shared_captures()])

# msstun.method of the messages of an allocation (tap-msstun.h): the
# RFC 5766/6062 methods and MS-TURN's Send request, Data indication and Set
# Active Destination.
ALLOCATION_METHODS = {0x003, 0x004, 0x006, 0x007, 0x008, 0x009, 0x00A, 0x00B, 0x00C, 0x1004, 0x1005, 0x1006}
ALLOCATE, SEND, CONNECT, CONNECTION_BIND, CONNECTION_ATTEMPT, SET_ACTIVE_DEST = (0x003, 0x006, 0x00A, 0x00B, 0x00C,
                                                                           0x1006)
REQUEST, INDICATION, SUCCESS, ERROR = 0, 1, 2, 3
MEDIA_LAYERS = {'rtp', 'rtcp', 'srtp', 'srtcp'}

FIELDS = ['frame.number', 'frame.protocols', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'udp.srcport',
          'udp.dstport', 'tcp.srcport', 'tcp.dstport', 'udp.length', 'tcp.len', 'tcp.stream', 'msstun.type',
          'msstun.method', 'msstun.class', 'msstun.id', 'msstun.att.data', 'msstun.channel.length', 'msstun.mturn.length',
          'msstun.tcp.type', 'msstun.tcp.length', 'msstun.att.connection_id',
          'msstun.unrecognised_payload.first_byte', 'msstun.rfc4571.repeated', 'msstun.att.xor_peer.ipv4',
          'msstun.att.xor_peer.ipv6', 'msstun.att.xor_peer.port', 'msstun.att.xor_relayed.ipv4',
          'msstun.att.xor_relayed.ipv6', 'msstun.att.xor_relayed.port']

TRAFFIC = re.compile(r'sent (\d+)/(\d+)B received (\d+)/(\d+)B')
PEER = re.compile(r'(?:^|, )(.+?) sent \d+/\d+B received \d+/\d+B(?: \(relay leg sent \d+/\d+B received '
                  r'\d+/\d+B\))?')


def endpoint(host, port):
    return ('[%s]:%s' if ':' in host else '%s:%s') % (host, port)


class Frame:
    '''One frame as tshark's fields show it.'''

    def __init__(self, line):
        values = dict(zip(FIELDS, line.split('\t')))
        self.values = {k: [x for x in v.split(',') if x] for k, v in values.items()}
        self.number = int(values['frame.number'])
        self.layers = set(values['frame.protocols'].split(':'))
        self.udp = bool(self.first('udp.srcport'))
        sport, dport = ('udp.srcport', 'udp.dstport') if self.udp else ('tcp.srcport', 'tcp.dstport')
        src = self.first('ip.src') or self.first('ipv6.src')
        dst = self.first('ip.dst') or self.first('ipv6.dst')
        self.src = endpoint(src, self.first(sport)) if src and self.first(sport) else None
        self.dst = endpoint(dst, self.first(dport)) if dst and self.first(dport) else None
        self.transport = 'UDP' if self.udp else 'TCP'
        self.stream = self.first('tcp.stream')
        self.methods = [int(m, 0) for m in self.values['msstun.method']]
        self.classes = [int(c, 0) for c in self.values['msstun.class']]

    def first(self, field):
        v = self.values[field]
        return v[0] if v else ''

    def ints(self, field):
        return [int(x, 0) for x in self.values[field]]

    def address(self, attribute):
        '''The first transport address of an address attribute, or None.'''
        host = self.first('msstun.att.%s.ipv4' % attribute) or self.first('msstun.att.%s.ipv6' % attribute)
        port = self.first('msstun.att.%s.port' % attribute)
        return endpoint(host, port) if host and port else None

    def payload(self):
        return int(self.first('udp.length')) - 8 if self.udp else int(self.first('tcp.len') or 0)


def frames_of(tshark, capture):
    out = tshark(*capture_args(capture)[:1], *capture_args(capture)[2:], '-T', 'fields', '-E', 'occurrence=a',
                 *[a for f in FIELDS for a in ('-e', f)])
    return [Frame(line) for line in out.splitlines()]


def add(counts, key, sent, length):
    c = counts[key]
    c[0 if sent else 2] += 1
    c[1 if sent else 3] += length


def independent_counts(frames, relayed_of):
    '''(client leg, relay leg) counts per allocation key (client, server,
    transport), [sent packets, sent bytes, received packets, received bytes],
    from the frames' fields alone; relayed_of: key -> its relayed addresses
    (the report's Relayed cell, in the order of the rows).'''
    usable = [f for f in frames if f.src and f.dst and 'icmp' not in f.layers and 'icmpv6' not in f.layers]
    allocs = {}             # key -> first frame
    on_five_tuple = {}      # (a, b, transport) either way -> key
    connection_ids = {}     # (server, connection id) -> key of the control connection
    data_streams = {}       # tcp.stream -> [key, client, ConnectionBind transaction, bound]
    sad_done = set()
    tcp_relayed = {}        # key of a TCP allocation -> its first relayed address
    connects = {}           # (key, transaction) -> the peer of a Connect request
    tcp_legs = {}           # frozenset((relayed, peer)) -> the frame that named the connection
    client_leg = collections.defaultdict(lambda: [0, 0, 0, 0])
    relay_leg = collections.defaultdict(lambda: [0, 0, 0, 0])

    for f in usable:
        stream = data_streams.get(f.stream) if not f.udp else None
        alloc_messages = [(m, c) for m, c in zip(f.methods, f.classes) if m in ALLOCATION_METHODS]
        if stream and (CONNECTION_BIND, SUCCESS) in alloc_messages:
            # RFC 6062 4.3: the server's success to the request makes it a data
            # connection.
            stream[3] = stream[3] or (f.dst == stream[1] and stream[2] in f.values['msstun.id'])
        if stream and stream[0] != on_five_tuple.get((f.src, f.dst, f.transport)) and alloc_messages:
            continue
        if alloc_messages:
            method, cls = alloc_messages[0]
            from_client = cls == REQUEST or (cls == INDICATION and method == SEND)
            client, server = (f.src, f.dst) if from_client else (f.dst, f.src)
            ids = f.ints('msstun.att.connection_id')
            if (CONNECTION_BIND, REQUEST) in alloc_messages and ids and (server, ids[0]) in connection_ids:
                data_streams[f.stream] = [connection_ids[(server, ids[0])], client, f.first('msstun.id'), False]
                continue
            key = (client, server, f.transport)
            if (f.src, f.dst, f.transport) not in on_five_tuple:
                allocs[key] = f.number
                on_five_tuple[(client, server, f.transport)] = on_five_tuple[(server, client, f.transport)] = key
                if (CONNECTION_BIND, REQUEST) in alloc_messages and ids:
                    data_streams[f.stream] = [key, client, f.first('msstun.id'), False]
            key = on_five_tuple[(f.src, f.dst, f.transport)]
            if (CONNECT, SUCCESS) in alloc_messages or (CONNECTION_ATTEMPT, INDICATION) in alloc_messages:
                for cid in ids:
                    connection_ids.setdefault((key[1], cid), key)
            if (SET_ACTIVE_DEST, SUCCESS) in alloc_messages:
                sad_done.add(key)
            if not f.udp and (ALLOCATE, SUCCESS) in alloc_messages and f.address('xor_relayed'):
                tcp_relayed.setdefault(key, f.address('xor_relayed'))
            leg_peer = None
            if (CONNECT, REQUEST) in alloc_messages and f.address('xor_peer'):
                connects[(key, f.first('msstun.id'))] = f.address('xor_peer')
            elif (CONNECT, SUCCESS) in alloc_messages or (CONNECT, ERROR) in alloc_messages:
                leg_peer = connects.pop((key, f.first('msstun.id')), None)
                leg_peer = leg_peer if (CONNECT, SUCCESS) in alloc_messages else None
            elif (CONNECTION_ATTEMPT, INDICATION) in alloc_messages:
                leg_peer = f.address('xor_peer')
            if leg_peer and key in tcp_relayed:
                tcp_legs.setdefault(frozenset((tcp_relayed[key], leg_peer)), f.number)
        key = on_five_tuple.get((f.src, f.dst, f.transport))
        if stream and stream[3]:
            # RFC 6062: after the ConnectionBind success, the peer's bytes.
            if f.payload() > 0 and not f.values['msstun.type']:
                add(client_leg, stream[0], f.src == stream[1], f.payload())
        elif key:
            sent = f.src == key[0]
            for data in f.values['msstun.att.data']:
                add(client_leg, key, sent, len(data) // 2)
            for length in f.ints('msstun.channel.length'):
                add(client_leg, key, sent, length)
            for length in f.ints('msstun.mturn.length'):
                if length > 8:      # the session ID is in the length
                    add(client_leg, key, sent, length - 8)
            if not f.values['msstun.rfc4571.repeated']:
                lengths = f.ints('msstun.tcp.length')
                types = f.ints('msstun.tcp.type')
                if len(types) == len(lengths):
                    for frame_type, length in zip(types, lengths):
                        if frame_type == 3 and length > 0:
                            add(client_leg, key, sent, length)
            carried = (f.values['msstun.type'] or f.values['msstun.channel.length'] or
                       f.values['msstun.mturn.length'] or f.values['msstun.tcp.type'])
            if not carried and f.layers & MEDIA_LAYERS:
                add(client_leg, key, sent, f.payload())
            elif not carried and f.values['msstun.unrecognised_payload.first_byte'] and key in sad_done:
                add(client_leg, key, sent, f.payload())
        elif not f.udp and tcp_legs.get(frozenset((f.src, f.dst)), f.number) < f.number:
            # RFC 6062 5.2, 5.3: the connection between a relayed address and
            # a peer, relayed through the allocation at either end.
            if f.payload() > 0:
                for relay_key, relayed in tcp_relayed.items():
                    if relayed in (f.src, f.dst):
                        add(relay_leg, relay_key, f.src == relayed, f.payload())
        elif f.layers & MEDIA_LAYERS and not f.values['msstun.type']:
            # The relay leg: the first allocation that relayed the address.
            for relay_key, relayed in relayed_of:
                if f.src in relayed or f.dst in relayed:
                    add(relay_leg, relay_key, f.src in relayed, f.payload())
                    break
    return allocs, client_leg, relay_leg


def allocation_rows(tshark, capture):
    '''{(client, server, transport): row} of the Allocations report, in order.'''
    [(_, _, rows)] = parse_tables(tshark(*capture_args(capture), '-z', 'msstun,allocations'))
    return [row for row in rows if not row[0].startswith('(none:')]


def reported(row):
    '''The sums over the row's peers: (client leg, relay leg).'''
    client = [0, 0, 0, 0]
    relay = [0, 0, 0, 0]
    peers = row[3]
    for m in TRAFFIC.finditer(peers):
        leg = relay if peers[:m.start()].endswith('(relay leg ') else client
        for i in range(4):
            leg[i] += int(m.group(i + 1))
    return client, relay


@pytest.mark.slow
@pytest.mark.parametrize('capture', EVERY_CAPTURE, ids=os.path.basename)
def test_allocation_counts_equal_tshark_fields(tshark, capture):
    rows = allocation_rows(tshark, capture)
    keys = [(row[0], row[1], row[2]) for row in rows]
    relayed_of = [((row[0], row[1], row[2]), set(row[8].split(', ')) if row[8] else set()) for row in rows]
    allocs, client_leg, relay_leg = independent_counts(frames_of(tshark, capture), relayed_of)
    assert keys == sorted(allocs, key=allocs.get)
    for row, key in zip(rows, keys):
        client, relay = reported(row)
        assert (key, client) == (key, client_leg.get(key, [0, 0, 0, 0]))
        assert (key, relay) == (key, relay_leg.get(key, [0, 0, 0, 0]))


class TestCarriers:
    '''The carriers of issue 27, each with the figures tshark's fields give
    (test_allocation_counts_equal_tshark_fields) written out.'''

    def test_rfc6062_data_connections_and_relay_leg(self, tshark, shared_capture):
        # coturn: each allocation's data connection (ConnectionBind with the
        # CONNECTION-ID of a Connect success or ConnectionAttempt) relays two
        # 120- and 240-byte writes each way; the data connections are no
        # allocations of their own.  The relay leg, TCP 49161 <-> 49168
        # (frames 73, 80 from 49168 and 85, 92 from 49161), joins the two
        # allocations' relayed addresses: 35672's Connect (frame 39, success
        # 51) opened it from its relayed 49161 to its peer 49168, and
        # 35680's ConnectionAttempt (frame 44) names 49161 as the peer that
        # connected to its relayed 49168.  Each allocation relays it: what
        # one sends towards its peer, the other receives from its peer.
        rows = allocation_rows(tshark, shared_capture('real-peers/coturn-4.6.1-rfc6062-tcp-relay.pcapng'))
        assert [(row[0], row[8], row[3]) for row in rows] == [
            ('127.0.0.1:35656', '127.0.0.1:49191', ''),
            ('127.0.0.1:35672', '127.0.0.1:49161',
             '127.0.0.1:49168 sent 2/360B received 2/360B (relay leg sent 2/360B received 2/360B)'),
            ('127.0.0.1:35680', '127.0.0.1:49168',
             '127.0.0.1:49161 sent 2/360B received 2/360B (relay leg sent 2/360B received 2/360B)'),
        ]

    def test_rfc6062_relay_leg_decode(self, tshark, shared_capture):
        # The relay leg's segments with payload are MSSTUN's from the
        # ConnectionAttempt (frame 44) on, the peer's bytes shown as data;
        # the handshake and the bare ACKs stay TCP's.
        capture = shared_capture('real-peers/coturn-4.6.1-rfc6062-tcp-relay.pcapng')
        rows = tshark.fields(capture, ['frame.number', 'frame.protocols', 'tcp.len', '_ws.col.Info'],
                             dfilter='tcp.port == 49161 && tcp.port == 49168')
        assert [(r[0], r[1].split(':', 3)[-1], r[2]) for r in rows] == [
            ('41', 'tcp', '0'), ('42', 'tcp', '0'), ('43', 'tcp', '0'),
            ('73', 'tcp:msstun:data', '120'), ('74', 'tcp', '0'),
            ('80', 'tcp:msstun:data', '240'), ('81', 'tcp', '0'),
            ('85', 'tcp:msstun:data', '120'), ('86', 'tcp', '0'),
            ('92', 'tcp:msstun:data', '240'), ('93', 'tcp', '0'), ('101', 'tcp', '0'),
        ]
        assert {r[3] for r in rows if r[2] != '0'} == {'RFC 6062 relay leg data'}
        tree = tshark('-n', '-r', capture, '-Y', 'frame.number == 73', '-O', 'msstun', '-V')
        assert ('Microsoft STUN/TURN/ICE, RFC 6062 relay leg of relayed address 127.0.0.1 port 49161, '
                'peer 127.0.0.1 port 49168 (frame 51)') in tree

    def test_data_connection_without_its_control_connection(self, tshark, local_capture):
        rows = allocation_rows(tshark, local_capture('tcp-connectionbind.pcap'))
        assert rows[-1][:4] == ['10.0.0.10:51103', '192.0.2.1:3478', 'TCP',
                                'connection 1515847681 sent 1/38B received 1/27B']

    def test_opaque_data_to_the_active_destination(self, tshark, local_capture):
        # The Send request's 48 bytes, then unwrapped 36 + 32 (RTP) + 100 + 20
        # sent and 52 + 32 + 64 received; the 40 bytes before the Set Active
        # Destination success are no relayed data.
        [row] = allocation_rows(tshark, local_capture('msturn-active-dest-data.pcap'))
        assert row[3:5] == ['203.0.113.9:50090 sent 5/236B received 3/148B', '203.0.113.9:50090 (1 ok, 0 error)']


def hops_allocation(rows, chain):
    '''The row whose client and server are next to each other in a hops
    chain, in either direction.'''
    for row in rows:
        for i in range(len(chain) - 1):
            if {chain[i], chain[i + 1]} == {row[0], row[1]}:
                return row, i
    return None, None


@pytest.mark.slow
@pytest.mark.parametrize('capture', EVERY_CAPTURE, ids=os.path.basename)
def test_media_paths_agree_on_the_allocation(tshark, capture):
    args = capture_args(capture)
    tables = dict((name, rows) for name, _, rows in
                  parse_tables(tshark(*args, '-z', 'msstun,allocations', '-z', 'msstun,media')))
    rows = [row for row in tables['allocations'] if not row[0].startswith('(none:')]
    for stream in tables['media']:
        if stream[0].startswith('(none:'):
            continue
        for chain in [hop.split(' > ') for hop in stream[MEDIA_COLUMNS.index('Hops')].split('; ') if ' and ' not in hop]:
            row, i = hops_allocation(rows, chain)
            # Hops through a TURN server are through an allocation of the
            # Allocations report (a client and server alone when neither a
            # relayed address nor the peer is known).
            assert row or len(chain) == 2, (stream[0], chain)
            if not row:
                continue
            # client > server > relayed > peer, or the reverse.
            rest = chain[i + 2:] if chain[i] == row[0] else list(reversed(chain[:i]))
            relayed = row[8].split(', ') if row[8] else []
            if relayed and rest:
                assert rest[0] in relayed, (stream[0], chain, row[8])
                rest = rest[1:]
            if rest:
                assert rest[0] in [m.group(1) for m in PEER.finditer(row[3])], (stream[0], chain, row[3])


def test_generator_rebuilds_the_capture():
    subprocess.run([sys.executable, os.path.join(LOCAL_CAPTURES, 'gen_alloc_edges.py'), '--check'], check=True,
                   capture_output=True)
