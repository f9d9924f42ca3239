# suite_mux.py
# The MSSTUN port multiplexer (packet-msrtp-mux.c), frame by frame: what each
# payload on the Edge ports (UDP 3478-3481, TCP 443/3478) and under Decode As is
# classified as, handed to, and shown as.  Exact values, in the style of
# Wireshark's test suites: -Y pins the frames, -T fields gives the layers,
# the Protocol and Info columns and the fields, and whole rows are compared.
#
# Expected values come from `captures/gen_msturn.py --describe` (generated captures), from
# the shared captures' README, and from tshark without the plugin (the
# baseline) where the plugin must not change anything.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import struct
import sys
import tempfile

import pytest

from conftest import LOCAL_CAPTURES, SHARED_CAPTURES, cached_fields, ws_at_least
from msturn_info import INFO_TCP443, INFO_UDP3478

sys.path.insert(0, LOCAL_CAPTURES)
from lib import pcap  # noqa: E402  (captures/lib: the generators' packet builders)
from lib.base import T0  # noqa: E402
from lib.net import (MAC_CLIENT, MAC_EDGE, PROTO_TCP, PROTO_UDP, ethernet, ipv4_packet, tcp_segment,  # noqa: E402
                     udp_segment)

COLS = ['frame.number', 'frame.protocols', '_ws.col.Protocol', '_ws.col.Info']
UDP_MSSTUN, TCP_MSSTUN = 'eth:ethertype:ip:udp:msstun', 'eth:ethertype:ip:tcp:msstun'

TCP443 = os.path.join(LOCAL_CAPTURES, 'msturn-tcp443.pcap')
MIDSTREAM = os.path.join(LOCAL_CAPTURES, 'msturn-tcp443-midstream.pcap')
UDP3478 = os.path.join(LOCAL_CAPTURES, 'msturn-udp3478.pcap')
MSICE2 = os.path.join(LOCAL_CAPTURES, 'msice2-checks.pcap')
SPLIT = os.path.join(LOCAL_CAPTURES, 'msturn-tcp443-split.pcap')
SNAPLEN60 = os.path.join(LOCAL_CAPTURES, 'msturn-udp3478-snaplen60.pcap')
TLS_RSA = os.path.join(LOCAL_CAPTURES, 'tls-rsa-443.pcapng')
TLS_RSA_KEY = os.path.join(LOCAL_CAPTURES, 'tls-rsa-443.key')
TLS_KEYLOG = os.path.join(LOCAL_CAPTURES, 'tls-keylog-443.pcapng')
TLS_KEYLOG_KEYS = os.path.join(LOCAL_CAPTURES, 'tls-keylog-443.keys')
# The first connection of TLS_KEYLOG on port 8443, its ClientHello split 100 + 150
# bytes (frames 4 and 6): captures/gen_tls_split.py.
TLS_SPLIT = os.path.join(LOCAL_CAPTURES, 'tls-split-8443.pcap')
TCP3478_MID = os.path.join(LOCAL_CAPTURES, 'turn-tcp3478-midstream.pcap')

NDPI = os.path.join(SHARED_CAPTURES, 'third-party', 'ndpi')
PEERS = os.path.join(SHARED_CAPTURES, 'real-peers')
STUN_PCAP = os.path.join(NDPI, 'stun.pcap')
STUN_TCP_MULTI = os.path.join(NDPI, 'stun_tcp_multiple_msgs_same_pkt.pcap')
STUN_DTLS_RTP = os.path.join(NDPI, 'stun_dtls_rtp.pcapng')
SKYPE_CONF = os.path.join(NDPI, 'skype-conference-call.pcap')
SKYPE_UDP = os.path.join(NDPI, 'skype_udp.pcap')
TEAMS = os.path.join(NDPI, 'stun_msteams_unidir.pcapng')
COTURN_TCP = os.path.join(PEERS, 'coturn-4.6.1-tcp-channeldata.pcapng')
COTURN_UDP = os.path.join(PEERS, 'coturn-4.6.1-udp-channeldata.pcapng')
COTURN_6062 = os.path.join(PEERS, 'coturn-4.6.1-rfc6062-tcp-relay.pcapng')
LIBNICE_443 = os.path.join(PEERS, 'libnice-0.1.21-OC2007R2-turn443-loopback.pcapng')
RFC5769 = os.path.join(SHARED_CAPTURES, 'rfc5769', 'rfc5769_vectors_udp3478.pcap')


def by_frame(rows):
    return {int(row[0]): row for row in rows}


@pytest.fixture(scope='module')
def run(tshark):
    '''tshark.fields with the plugin, each distinct run done once per module.'''
    return cached_fields(tshark)


@pytest.fixture(scope='module')
def run_builtin(tshark_builtin):
    '''The same without the plugin: the baseline.'''
    return cached_fields(tshark_builtin)


def tls_options(kind, sip):
    if kind == 'rsa':
        capture = TLS_RSA
        opts = ['-o', 'uat:rsa_keys:"%s",""' % TLS_RSA_KEY]
    else:
        capture = TLS_KEYLOG
        opts = ['-o', 'tls.keylog_file:%s' % TLS_KEYLOG_KEYS]
    if sip:
        opts += ['-d', 'tls.port==443,sip']
    return capture, opts


TLS_VARIANTS = [('rsa', False), ('rsa', True), ('keylog', False), ('keylog', True)]
TLS_IDS = ['rsa', 'rsa-sip', 'keylog', 'keylog-sip']


# ---------------------------------------------------------------------------
# Generated Edge captures (`captures/gen_msturn.py --describe`)
# ---------------------------------------------------------------------------

TCP_FIELDS = COLS + ['msstun.tcp.type', 'msstun.tcp.length', 'msstun.type', 'msstun.rfc4571.length',
                     'rtp.seq', 'rtp.ssrc', 'rtcp.pt', 'rtcp.senderssrc']

E2E = 'MS-TURN end-to-end data | '
RR_SDES = 'Receiver Report   Source description   '
SR_SDES = 'Sender Report   Source description   '

# The TCP of Wireshark 4.0 and 4.2 marks a segment of a reassembled PDU in
# Info on every pass; 4.4 and 4.6 do not on a single pass.
SEGMENT_OF_PDU = '' if ws_at_least(4, 4) else ' [TCP segment of a reassembled PDU]'

def _tcp443_control(n, tcp_types, tcp_lengths, msstun_types, rfc4571_lengths=''):
    '''MS-TURN control frame n of msturn-tcp443.pcap in TCP_FIELDS.'''
    return [str(n), TCP_MSSTUN, 'MSSTUN', INFO_TCP443[n], tcp_types, tcp_lengths, msstun_types, rfc4571_lengths,
            '', '', '', '']


TCP443_EXPECTED = {
    1: ['1', 'eth:ethertype:ip:tcp', 'TCP', '51000 → 443 [SYN] Seq=0 Win=64240 Len=0 MSS=1460'] + [''] * 8,
    2: ['2', 'eth:ethertype:ip:tcp', 'TCP', '443 → 51000 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1460'] + [''] * 8,
    3: ['3', 'eth:ethertype:ip:tcp', 'TCP', '51000 → 443 [ACK] Seq=1 Ack=1 Win=64240 Len=0'] + [''] * 8,
    4: ['4', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Pseudo-TLS Client Hello'] + [''] * 8,
    5: ['5', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Pseudo-TLS Server Hello, Server Hello Done'] + [''] * 8,
    6: _tcp443_control(6, '0x02', '52', '0x0003'),
    7: _tcp443_control(7, '0x02', '132', '0x0113'),
    8: _tcp443_control(8, '0x02', '167', '0x0003'),
    9: _tcp443_control(9, '0x02', '168', '0x0103'),
    10: _tcp443_control(10, '0x02', '229', '0x0004,0x0001', '104'),
    # Two complete 02 frames in one segment (158 + 190 bytes).
    11: _tcp443_control(11, '0x02,0x02', '154,186', '0x0115,0x0101,0x0115,0x0001', '72,104'),
    # A 201-byte 02 frame split 40 + 161: nothing in the first segment...
    12: ['12', 'eth:ethertype:ip:tcp', 'TCP',
         '51000 → 443 [PSH, ACK] Seq=511 Ack=740 Win=64240 Len=40' + SEGMENT_OF_PDU] + [''] * 8,
    # ...the whole Send Request in the second.
    13: _tcp443_control(13, '0x02', '197', '0x0004,0x0101', '72'),
    14: ['14', 'eth:ethertype:ip:tcp', 'TCP', '443 → 51000 [ACK] Seq=740 Ack=712 Win=65535 Len=0'] + [''] * 8,
    15: _tcp443_control(15, '0x02', '119', '0x0006'),
    16: _tcp443_control(16, '0x02', '64', '0x0106'),
    17: ['17', 'eth:ethertype:ip:tcp:msstun:rtp', 'RTP',
         E2E + 'PT=DynamicRTP-Type-104, SSRC=0x2B3C4D5E, Seq=5000, Time=320000, Mark',
         '0x03', '74', '', '72', '5000', '0x2b3c4d5e', '', ''],
    18: ['18', 'eth:ethertype:ip:tcp:msstun:rtp', 'RTP',
         E2E + 'PT=DynamicRTP-Type-104, SSRC=0x6F7A8B9C, Seq=6002, Time=640640',
         '0x03', '74', '', '72', '6002', '0x6f7a8b9c', '', ''],
    # Two RFC 4571 frames packed in one 03 frame: RTP, then RTCP SR+SDES.
    19: ['19', 'eth:ethertype:ip:tcp:msstun:rtp:rtcp', 'RTCP',
         E2E + 'PT=DynamicRTP-Type-104, SSRC=0x2B3C4D5E, Seq=5001, Time=320320 | ' + SR_SDES,
         '0x03', '160', '', '72,84', '5001', '0x2b3c4d5e', '200,202', '0x2b3c4d5e'],
    20: ['20', 'eth:ethertype:ip:tcp', 'TCP', '443 → 51000 [ACK] Seq=886 Ack=1077 Win=65535 Len=0'] + [''] * 8,
    # One RFC 4571 frame split over two 03 frames: 20 bytes here...
    21: ['21', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'MS-TURN end-to-end data',
         '0x03', '20', '', '', '', '', '', ''],
    # ...and the other 54 here, where the RTP packet is complete.
    22: ['22', 'eth:ethertype:ip:tcp:msstun:rtp', 'RTP',
         E2E + 'PT=DynamicRTP-Type-104, SSRC=0x2B3C4D5E, Seq=5002, Time=320640',
         '0x03', '54', '', '72', '5002', '0x2b3c4d5e', '', ''],
    23: ['23', 'eth:ethertype:ip:tcp:msstun:rtcp', 'RTCP', E2E + RR_SDES,
         '0x03', '66', '', '64', '', '', '201,202', '0x6f7a8b9c'],
    24: ['24', 'eth:ethertype:ip:tcp', 'TCP', '51000 → 443 [FIN, ACK] Seq=1159 Ack=956 Win=64240 Len=0'] + [''] * 8,
    25: ['25', 'eth:ethertype:ip:tcp', 'TCP', '443 → 51000 [FIN, ACK] Seq=956 Ack=1160 Win=65535 Len=0'] + [''] * 8,
    26: ['26', 'eth:ethertype:ip:tcp', 'TCP', '51000 → 443 [ACK] Seq=1160 Ack=957 Win=64240 Len=0'] + [''] * 8,
}


class EveryFrame:
    '''The rows of CAPTURE's FIELDS by frame number (the fixture frames), one for each frame
    EXPECTED (number -> row) holds.'''

    @pytest.fixture(scope='class')
    @classmethod
    def frames(cls, run):
        return by_frame(run(cls.CAPTURE, cls.FIELDS))

    def test_frame_count(self, frames):
        assert sorted(frames) == sorted(self.EXPECTED) == list(range(1, len(self.EXPECTED) + 1))


class TestMsturnTcp443(EveryFrame):
    '''msturn-tcp443.pcap: pseudo-TLS, then MS-TURN 4-byte framing on TCP 443.'''

    CAPTURE, FIELDS, EXPECTED = TCP443, TCP_FIELDS, TCP443_EXPECTED

    @pytest.mark.parametrize('frame', [1, 2, 3, 14, 20, 24, 25, 26])
    def test_empty_segments_are_plain_tcp(self, frames, frame):
        assert frames[frame] == TCP443_EXPECTED[frame]

    @pytest.mark.parametrize('frame', [4, 5])
    def test_pseudo_tls_handshake_columns(self, frames, frame):
        assert frames[frame] == TCP443_EXPECTED[frame]

    def test_pseudo_tls_fields(self, run):
        rows = run(TCP443, ['frame.number', 'msstun.pseudotls', 'msstun.pseudotls.content_type',
                            'msstun.pseudotls.version', 'msstun.pseudotls.record_length',
                            'msstun.pseudotls.handshake_type', 'msstun.pseudotls.handshake_length',
                            'msstun.pseudotls.hello_version', 'msstun.pseudotls.random',
                            'msstun.pseudotls.session_id_length', 'msstun.pseudotls.session_id',
                            'msstun.pseudotls.cipher_suites_length', 'msstun.pseudotls.cipher_suite',
                            'msstun.pseudotls.compression_methods_length',
                            'msstun.pseudotls.compression_method', 'tls', '_ws.expert'],
                   dfilter='msstun.pseudotls')
        assert rows == [
            # --describe frame 4: record 0x16 TLS 1.0 length 45; ClientHello length 41, version 3.1,
            # random c1fcd5a3..., no session id, one cipher suite 0x0018, null compression.
            ['4', '1', '22', '0x0301', '45', '1', '41', '0x0301',
             '6d93dd7e0b45673fec7985fbbc3fd660c2ce8485081b8121bcaa10fb', '0', '',
             '2', '0x0018', '1', '0', '', ''],
            # --describe frame 5: ServerHello (70) + ServerHelloDone (0) in one 78-byte record.
            ['5', '1', '22', '0x0301', '78', '2,14', '70,0', '0x0301',
             '23aee143d4af3fadc06f706764eb1bfb4d2271f8bbc56a16ff6281ba', '32',
             '02ce5b98b9c7b35b3389edbe4f5e869137602a1186c2d5f9e1f863ad4053f7c9',
             '', '0x0018', '', '0', '', ''],
        ]

    def test_pseudo_tls_time_stamps(self, run):
        rows = run(TCP443, ['frame.number', 'msstun.pseudotls.gmt_unix_time'], dfilter='msstun.pseudotls')
        # 0xc1fcd5a3 and 0x6955b900 seconds since the epoch.
        if ws_at_least(4, 6):
            # Wireshark 4.6 prints absolute times in -T fields as ISO 8601.
            assert rows == [['4', '2073-02-17T15:54:11.000000000Z'], ['5', '2026-01-01T00:00:00.000000000Z']]
        else:
            assert rows == [['4', 'Feb 17, 2073 15:54:11.000000000 UTC'],
                            ['5', 'Jan  1, 2026 00:00:00.000000000 UTC']]

    @pytest.mark.parametrize('frame', [6, 7, 8, 9, 10, 15, 16])
    def test_control_frames(self, frames, frame):
        assert frames[frame] == TCP443_EXPECTED[frame]

    def test_two_pdus_in_one_segment(self, frames):
        assert frames[11] == TCP443_EXPECTED[11]

    def test_pdu_split_over_two_segments(self, frames):
        assert frames[12] == TCP443_EXPECTED[12]
        assert frames[13] == TCP443_EXPECTED[13]

    def test_split_pdu_reassembled_from_both_segments(self, run):
        rows = run(TCP443, ['frame.number', 'tcp.segment', 'tcp.reassembled.length', 'msstun.att.ms.sequence_number'],
                   dfilter='tcp.segment')
        assert rows == [['13', '12,13', '201', '2']]

    @pytest.mark.parametrize('frame', [17, 18])
    def test_end_to_end_rtp(self, frames, frame):
        assert frames[frame] == TCP443_EXPECTED[frame]

    def test_end_to_end_two_packets_in_one_frame(self, frames):
        assert frames[19] == TCP443_EXPECTED[19]

    def test_end_to_end_split_rfc4571_frame(self, frames):
        assert frames[21] == TCP443_EXPECTED[21]
        assert frames[22] == TCP443_EXPECTED[22]
        assert frames[23] == TCP443_EXPECTED[23]

    def test_partial_and_reassembled_rfc4571(self, run):
        rows = run(TCP443, ['frame.number', 'msstun.rfc4571.partial', 'msstun.rfc4571.reassembled',
                            'rtp.seq', 'rtp.timestamp', 'rtp.ssrc', 'rtp.p_type'],
                   dfilter='msstun.rfc4571.partial || msstun.rfc4571.reassembled')
        assert rows == [
            # LENGTH 0x0048, RTP 80 68 / seq 0x138a / ts 0x0004e480 / SSRC 0x2b3c4d5e, 6 payload bytes.
            ['21', '00488068138a0004e4802b3c4d5ed79b2b7b5d8b', '', '', '', '', ''],
            ['22', '', '1', '5002', '320640', '0x2b3c4d5e', '104'],
        ]

    def test_rtcp_details(self, run):
        rows = run(TCP443, ['frame.number', 'rtcp.pt', 'rtcp.senderssrc', 'rtcp.ssrc.identifier',
                            'rtcp.ssrc.high_seq', 'rtcp.sdes.text', 'rtcp.sender.packetcount',
                            'rtcp.timestamp.rtp'], dfilter='rtcp')
        assert rows == [
            ['19', '200,202', '0x2b3c4d5e', '0x6f7a8b9c,0x2b3c4d5e', '6002', 'client@msstun.example', '2', '320640'],
            ['23', '201,202', '0x6f7a8b9c', '0x2b3c4d5e,0x6f7a8b9c', '5002', 'peer@msstun.example', '', ''],
        ]

    def test_nothing_malformed_nothing_undecoded(self, run):
        assert run(TCP443, ['frame.number'], dfilter='_ws.malformed || data || _ws.expert.severity >= warning') == []


class TestMsturnTcp443Midstream:
    '''msturn-tcp443-midstream.pcap: no handshake, the capture starts with an 03 frame.'''

    def test_every_frame(self, run):
        assert run(MIDSTREAM, TCP_FIELDS) == [
            ['1', 'eth:ethertype:ip:tcp:msstun:rtp', 'RTP',
             E2E + 'PT=DynamicRTP-Type-104, SSRC=0x3C4D5E6F, Seq=7000, Time=960000',
             '0x03', '74', '', '72', '7000', '0x3c4d5e6f', '', ''],
            ['2', 'eth:ethertype:ip:tcp:msstun:rtp', 'RTP',
             E2E + 'PT=DynamicRTP-Type-104, SSRC=0x708192A3, Seq=8000, Time=1280000',
             '0x03', '74', '', '72', '8000', '0x708192a3', '', ''],
            ['3', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request lifetime 480',
             '0x02', '159', '0x0003', '', '', '', '', ''],
            ['4', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN',
             'Allocate Success Response relayed 192.0.2.15:50200 mapped 198.51.100.7:42000 lifetime 480',
             '0x02', '104', '0x0103', '', '', '', '', ''],
            ['5', 'eth:ethertype:ip:tcp:msstun:rtcp', 'RTCP', E2E + SR_SDES,
             '0x03', '86', '', '84', '', '', '200,202', '0x3c4d5e6f'],
            ['6', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN',
             'Data Indication from 203.0.113.9:50012 | Binding Request user Ab3d:pQ7z controlled',
             '0x02', '186', '0x0115,0x0001', '104', '', '', '', ''],
            ['7', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN',
             'Send Request to 203.0.113.9:50012 | Binding Success Response mapped 203.0.113.9:50012',
             '0x02', '197', '0x0004,0x0101', '72', '', '', '', ''],
            ['8', 'eth:ethertype:ip:tcp:msstun:rtcp', 'RTCP', E2E + RR_SDES,
             '0x03', '66', '', '64', '', '', '201,202', '0x708192a3'],
            ['9', 'eth:ethertype:ip:tcp', 'TCP', '51002 → 443 [ACK] Seq=533 Ack=447 Win=64240 Len=0',
             '', '', '', '', '', '', '', ''],
        ]

    def test_nothing_malformed(self, run):
        assert run(MIDSTREAM, ['frame.number'], dfilter='_ws.malformed || data') == []


UDP_FIELDS = COLS + ['msstun.type', 'msstun.dialect', 'rtp.seq', 'rtp.ssrc', 'rtp.marker', 'rtcp.pt',
                     'rtcp.senderssrc', 'msstun.mturn.session_id']

def _udp3478(n, layer='', msstun_type='', dialect='', rtp=('', '', ''), rtcp=('', ''), session=''):
    '''Frame n of msturn-udp3478.pcap in UDP_FIELDS; layer: what MSSTUN hands the payload to.'''
    return [str(n), 'eth:ethertype:ip:udp:msstun' + layer, {'': 'MSSTUN', ':rtp': 'RTP', ':rtcp': 'RTCP'}[layer],
            INFO_UDP3478[n], msstun_type, dialect, *rtp, *rtcp, session]


UDP3478_EXPECTED = [
    _udp3478(1, '', '0x0003', '3'), _udp3478(2, '', '0x0113', '3'), _udp3478(3, '', '0x0003', '3'),
    _udp3478(4, '', '0x0103', '3'), _udp3478(5, '', '0x0004,0x0001', '3,1'), _udp3478(6, '', '0x0115,0x0101', '4,1'),
    # Send Request, DATA = RTP seq 1000 SSRC 0x1a2b3c4d M=1; Data Indication, DATA = RTCP SR (SSRC
    # 0x5e6f7a8b) + SDES.
    _udp3478(7, ':rtp', '0x0004', '3', rtp=('1000', '0x1a2b3c4d', '1')),
    _udp3478(8, ':rtcp', '0x0115', '4', rtcp=('200,202', '0x5e6f7a8b')),
    _udp3478(9, '', '0x0006', '3'), _udp3478(10, '', '0x0106', '3'),
    # Unwrapped media after Set Active Destination.
    _udp3478(11, ':rtp', rtp=('1001', '0x1a2b3c4d', '0')), _udp3478(12, ':rtp', rtp=('2003', '0x5e6f7a8b', '0')),
    _udp3478(13, ':rtp', rtp=('1002', '0x1a2b3c4d', '0')), _udp3478(14, ':rtp', rtp=('2004', '0x5e6f7a8b', '0')),
    _udp3478(15, ':rtcp', rtcp=('200,202', '0x1a2b3c4d')), _udp3478(16, ':rtcp', rtcp=('201,202', '0x5e6f7a8b')),
    _udp3478(17, '', '0x0006', '3'), _udp3478(18, '', '0x0116', '3'),
    # 0xFF10 multiplexed TURN, session 3b8e07bb823e5a6d, carrying RTP seq 1003.
    _udp3478(19, ':rtp', rtp=('1003', '0x1a2b3c4d', '0'), session='0x3b8e07bb823e5a6d'),
    _udp3478(20, '', '0x0003', '3'), _udp3478(21, '', '0x0103', '3'), _udp3478(22, '', '0x0003', '3'),
    _udp3478(23, '', '0x0103', '3'), _udp3478(24, '', '0x0003', '4'), _udp3478(25, '', '0x0103', '4'),
    _udp3478(26, '', '0x0003', '3'),
]


class TestMsturnUdp3478(EveryFrame):
    '''msturn-udp3478.pcap: MS-TURN on UDP 3478 with relayed and unwrapped media.'''

    CAPTURE, FIELDS, EXPECTED = UDP3478, UDP_FIELDS, by_frame(UDP3478_EXPECTED)

    @pytest.mark.parametrize('frame', range(1, 27))
    def test_frame(self, frames, frame):
        assert frames[frame] == UDP3478_EXPECTED[frame - 1]

    def test_relayed_addresses(self, run):
        rows = run(UDP3478, ['frame.number', 'msstun.att.destination.ipv4', 'msstun.att.destination.port',
                             'msstun.att.remote.ipv4', 'msstun.att.remote.port'], dfilter='frame.number <= 8')
        assert rows == [
            ['1', '', '', '', ''], ['2', '', '', '', ''], ['3', '', '', '', ''], ['4', '', '', '', ''],
            ['5', '203.0.113.9', '50012', '', ''],
            ['6', '', '', '203.0.113.9', '50012'],
            ['7', '203.0.113.9', '50012', '', ''],
            ['8', '', '', '203.0.113.9', '50012'],
        ]

    def test_multiplexed_turn_header(self, run):
        rows = run(UDP3478, ['frame.number', 'msstun.mturn.channel', 'msstun.mturn.length',
                             'msstun.mturn.session_id', 'rtp.timestamp'], dfilter='msstun.mturn.channel')
        # Channel 0xff10, Length 80 (= 8-byte session id + 72 data bytes).
        assert rows == [['19', '0xff10', '80', '0x3b8e07bb823e5a6d', '160960']]

    def test_rtcp_details(self, run):
        rows = run(UDP3478, ['frame.number', 'rtcp.senderssrc', 'rtcp.ssrc.identifier', 'rtcp.ssrc.high_seq',
                             'rtcp.sdes.text', 'rtcp.sender.packetcount', 'rtcp.timestamp.rtp'], dfilter='rtcp')
        assert rows == [
            ['8', '0x5e6f7a8b', '0x1a2b3c4d,0x5e6f7a8b', '1000', 'peer@msstun.example', '3', '480960'],
            ['15', '0x1a2b3c4d', '0x5e6f7a8b,0x1a2b3c4d', '2004', 'client@msstun.example', '3', '160960'],
            ['16', '0x5e6f7a8b', '0x1a2b3c4d,0x5e6f7a8b', '1002', 'peer@msstun.example', '', ''],
        ]

    def test_nothing_malformed_nothing_undecoded(self, run):
        assert run(UDP3478, ['frame.number'], dfilter='_ws.malformed || data') == []


class TestMsturnTcp443Split:
    '''msturn-tcp443-split.pcap: segments that end before the bytes that give a PDU's
    length (a pseudo-TLS record header, a libnice frame's MAGIC-COOKIE) wait for the
    next segment instead of being cut, and the connection stays in step.'''

    FIELDS = COLS + ['msstun.tcp.type', 'msstun.type', 'msstun.pseudotls.handshake_type', 'tcp.segment',
                     'tcp.reassembled.length']

    @pytest.fixture(scope='class')
    @classmethod
    def frames(cls, run):
        return by_frame(run(SPLIT, cls.FIELDS, dfilter='tcp.len > 0'))

    def test_server_hello_split_after_4_bytes(self, frames):
        # --describe frames 6 (4 bytes) and 8 (79 bytes): one 83-byte record.
        assert frames[6] == ['6', 'eth:ethertype:ip:tcp', 'TCP',
                             '443 → 51020 [PSH, ACK] Seq=1 Ack=51 Win=65535 Len=4' + SEGMENT_OF_PDU,
                             '', '', '', '', '']
        assert frames[8] == ['8', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Pseudo-TLS Server Hello, Server Hello Done',
                             '', '', '2,14', '6,8', '83']

    def test_in_step_after_the_handshake(self, frames):
        assert frames[10][:7] == ['10', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request', '0x02',
                                  '0x0003', '']
        assert frames[11][:7] == ['11', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN',
                                  'Allocate Error Response error 401 Unauthorized', '0x02', '0x0113', '']

    def test_lengthless_frame_split_after_20_bytes(self, frames):
        # --describe frames 21 (20 bytes) and 23 (18 bytes): one 38-byte "03 00" + Allocate.
        assert frames[21] == ['21', 'eth:ethertype:ip:tcp', 'TCP',
                              '51022 → 443 [PSH, ACK] Seq=51 Ack=84 Win=64240 Len=20' + SEGMENT_OF_PDU,
                              '', '', '', '', '']
        assert frames[23] == ['23', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request', '0x03', '0x0003',
                              '', '21,23', '38']
        assert frames[25][:7] == ['25', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request', '0x03',
                                  '0x0003', '']

    def test_nothing_malformed_nothing_undecoded(self, run):
        assert run(SPLIT, ['frame.number'], dfilter='_ws.malformed || data || msstun.tcp.bad_type') == []

    def test_without_reassembly_no_dissector_bug(self, tshark):
        # Without TCP reassembly the length callback may not ask for more data
        # (tcp_dissect_pdus asserts): the fragments are shown as they are.
        proc = tshark.run(['-n', '-r', SPLIT, '-o', 'tcp.desegment_tcp_streams:FALSE', '-V'])
        assert proc.stderr == ''


class TestSnaplen60:
    '''msturn-udp3478-snaplen60.pcap: media on UDP 3478 captured with snaplen 60, so 18
    payload bytes of each frame: classified on what was captured, and RTP and RTCP
    show the headers that are there.'''

    def test_every_frame(self, run):
        rows = run(SNAPLEN60, ['frame.number', 'frame.protocols', '_ws.col.Protocol', 'rtp.seq', 'rtp.ssrc',
                               'rtp.p_type', 'rtp.cc', 'rtp.csrc.item', 'rtcp.pt', 'rtcp.senderssrc',
                               '_ws.malformed'])
        assert rows == [
            ['1', 'eth:ethertype:ip:udp:msstun:rtp', 'RTP', '3000', '0x1c2d3e4f', '104', '0', '', '', '', ''],
            # A mixer's packet: CC=2 and an extension header, not all captured.
            ['2', 'eth:ethertype:ip:udp:msstun:rtp', 'RTP', '4000', '0x6a7b8c9d', '104', '2', '0x0a0b0c01', '', '',
             ''],
            ['3', 'eth:ethertype:ip:udp:msstun:rtp', 'RTP', '3001', '0x1c2d3e4f', '104', '0', '', '', '', ''],
            # SR+SDES and RR+SDES compounds, only the start of the first packet captured.
            ['4', 'eth:ethertype:ip:udp:msstun:rtcp', 'RTCP', '', '', '', '', '', '200', '0x1c2d3e4f', ''],
            ['5', 'eth:ethertype:ip:udp:msstun:rtcp', 'RTCP', '', '', '', '', '', '201', '0x6a7b8c9d', ''],
        ]

    def test_same_as_rtp_and_rtcp_on_the_port(self, run, run_builtin):
        # What Wireshark's RTP and RTCP show for these frames when told the port is theirs.
        fields = ['frame.number', 'rtp.seq', 'rtp.ssrc', 'rtp.csrc.item', 'rtcp.pt', 'rtcp.senderssrc']
        rtp = run_builtin(SNAPLEN60, fields, dfilter='frame.number <= 3', extra=['-d', 'udp.port==3478,rtp'])
        rtcp = run_builtin(SNAPLEN60, fields, dfilter='frame.number > 3', extra=['-d', 'udp.port==3478,rtcp'])
        assert run(SNAPLEN60, fields) == rtp + rtcp

    def test_padded_rtp_cut_short(self, run, ws_root):
        # P=1 with the padding count in a byte that was not captured.
        path = os.path.join(ws_root, 'padded-rtp-snaplen60.pcap')
        rtp = struct.pack('!BBHII', 0xA0, 104, 3001, 200320, 0x1C2D3E4F) + bytes(range(40)) + b'\0\0\0\x04'
        _write_pcap(path, [_udp(bytes([10, 0, 0, 10]), 50050, bytes([192, 0, 2, 1]), 3478, rtp)], snaplen=60)
        rows = run(path, ['frame.protocols', '_ws.col.Protocol', 'rtp.seq', 'rtp.ssrc', 'rtp.padding'])
        assert rows == [['eth:ethertype:ip:udp:msstun:rtp:data', 'RTP', '3001', '0x1c2d3e4f', '1']]


# ---------------------------------------------------------------------------
# Shared real captures
# ---------------------------------------------------------------------------

class TestNdpiStunTcp:
    def test_ms_ice2_over_rfc4571_with_decode_as(self, run):
        rows = run(STUN_PCAP, COLS + ['msstun.rfc4571.length', 'msstun.type', 'msstun.dialect'],
                   dfilter='frame.number <= 15', extra=['-d', 'tcp.port==42000,msstun'])
        vlan = 'eth:ethertype:vlan:ethertype:ip:tcp'
        req_ctld = [vlan + ':msstun', 'MSSTUN', 'Binding Request user /pI0:ToEd controlled', '104', '0x0001', '1']
        req_ctlg = [vlan + ':msstun', 'MSSTUN', 'Binding Request user ToEd:/pI0 controlling', '112', '0x0001', '1']
        # These responses carry USERNAME too (a Binding check's answer).
        rsp_a = [vlan + ':msstun', 'MSSTUN', 'Binding Success Response mapped 10.77.110.51:41588 user /pI0:ToEd',
                 '96', '0x0101', '1']
        rsp_b = [vlan + ':msstun', 'MSSTUN', 'Binding Success Response mapped 10.206.50.239:42000 user ToEd:/pI0',
                 '88', '0x0101', '1']
        assert rows == [
            ['1', vlan, 'TCP', '41588 → 42000 [SYN] Seq=0 Win=8192 Len=0 MSS=1360 WS=256 SACK_PERM', '', '', ''],
            ['2', vlan, 'TCP', '42000 → 41588 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1460 WS=256 SACK_PERM',
             '', '', ''],
            ['3'] + req_ctld, ['4'] + req_ctld, ['5'] + rsp_a, ['6'] + rsp_a, ['7'] + req_ctlg, ['8'] + req_ctlg,
            ['9'] + req_ctld, ['10'] + rsp_a, ['11'] + req_ctlg, ['12'] + rsp_b, ['13'] + rsp_b, ['14'] + rsp_b,
            ['15', vlan, 'TCP', '42000 → 41588 [RST, ACK] Seq=637 Ack=589 Win=0 Len=0', '', '', ''],
        ]

    def test_port_42000_untouched_without_decode_as(self, run, run_builtin):
        fields = COLS + ['stun.type']
        assert run(STUN_PCAP, fields, dfilter='frame.number <= 15') == \
            run_builtin(STUN_PCAP, fields, dfilter='frame.number <= 15')

    def test_turn_over_tcp_3478(self, run):
        rows = run(STUN_PCAP, COLS + ['msstun.type', 'msstun.dialect'],
                   dfilter='frame.number >= 142 && frame.number <= 161')
        m = 'eth:ethertype:ip:tcp:msstun'
        cp_ok = [m, 'MSSTUN', 'CreatePermission Success Response', '0x0108', '1']
        alloc_ok = [m, 'MSSTUN', 'Allocate Success Response relayed 66.55.92.16:40576 mapped 5.37.217.126:37257 '
                    'lifetime 600', '0x0103', '1']
        err401 = [m, 'MSSTUN', 'Allocate Error Response error 401 Unauthorized', '0x0113', '1']
        alloc = [m, 'MSSTUN', 'Allocate Request', '0x0003', '1']
        assert rows == [
            ['142', 'eth:ethertype:ip:tcp', 'TCP', '3478 → 37257 [SYN, ACK] Seq=0 Ack=1 Win=28960 Len=0 MSS=1460 '
             'SACK_PERM TSval=2681976808 TSecr=123913318 WS=128', '', ''],
            ['143'] + alloc, ['144'] + alloc, ['145'] + err401, ['146'] + alloc, ['147'] + err401,
            ['148'] + alloc, ['149'] + alloc_ok,
            ['150', m, 'MSSTUN', 'CreatePermission Request peer 192.168.8.153:60001', '0x0008', '1'],
            # Two STUN messages back to back in one segment.
            ['151', m, 'MSSTUN', 'CreatePermission Request peer 127.0.0.1:38763 ; '
             'CreatePermission Request peer 5.162.130.14:16947', '0x0008,0x0008', '1,1'],
            ['152', m, 'MSSTUN', 'Send Indication peer 127.0.0.1:38763 | Binding Request user r/El:zo3J controlled',
             '0x0016,0x0001', '1,1'],
            ['153', m, 'MSSTUN', 'CreatePermission Request peer 66.55.92.16:64920', '0x0008', '1'],
            ['154', m, 'MSSTUN', 'CreatePermission Request peer 66.55.92.16:58225', '0x0008', '1'],
            ['155'] + alloc_ok, ['156'] + cp_ok,
            ['157', m, 'MSSTUN', 'CreatePermission Success Response ; CreatePermission Success Response',
             '0x0108,0x0108', '1,1'],
            ['158', m, 'MSSTUN', 'Send Indication peer 192.168.8.153:60001 | Binding Request user r/El:zo3J controlled',
             '0x0016,0x0001', '1,1'],
            ['159'] + cp_ok,
            ['160', m, 'MSSTUN', 'Send Indication peer 5.162.130.14:16947 | Binding Request user r/El:zo3J controlled',
             '0x0016,0x0001', '1,1'],
            ['161'] + cp_ok,
        ]

    def test_three_allocates_in_one_segment(self, run):
        rows = run(STUN_TCP_MULTI, COLS + ['msstun.type', 'msstun.att.transport', 'tcp.len'],
                   extra=['-d', 'tcp.port==3479,msstun'])
        one = ['eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request', '0x0003', '17']
        assert rows == [
            ['1', 'eth:ethertype:ip:tcp', 'TCP', '3479 → 42849 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1460 '
             'SACK_PERM TSval=4263298141 TSecr=438480003 WS=256', '', '', '0'],
            ['2'] + one + ['28'], ['3'] + one + ['28'], ['4'] + one + ['28'],
            ['5', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request ; Allocate Request ; Allocate Request',
             '0x0003,0x0003,0x0003', '17,17,17', '84'],
        ]


class TestNdpiStunDtlsRtp:
    '''stun_dtls_rtp.pcapng: Google Meet TURN over TCP 3478 relaying DTLS and SRTP.'''

    F = COLS + ['msstun.type', 'rtp.seq', 'rtp.ssrc']

    def test_turn_control(self, run):
        rows = by_frame(run(STUN_DTLS_RTP, self.F, dfilter='tcp.port == 3478 && tcp.len > 0'))
        m = 'eth:ethertype:ip:tcp:msstun'
        assert rows[44] == ['44', m, 'MSSTUN', 'Allocate Request', '0x0003', '', '']
        assert rows[46] == ['46', m, 'MSSTUN', 'Allocate Error Response error 401 Unauthorized', '0x0113', '', '']
        assert rows[48] == ['48', m, 'MSSTUN',
                            'Allocate Success Response relayed 10.13.0.62:15530 lifetime 120 mapped 93.35.170.27:64994',
                            '0x0103', '', '']
        assert rows[50] == ['50', m, 'MSSTUN',
                    'Data Indication peer 10.13.0.50:1259 | Binding Request user kb9A:wGR4 controlling',
                            '0x0017,0x0001', '', '']
        assert rows[58] == ['58', m, 'MSSTUN', 'ChannelBind Request channel 0x4000 peer 10.13.0.50:1259',
                            '0x0009', '', '']

    def test_relayed_dtls_layers(self, run):
        rows = run(STUN_DTLS_RTP, ['frame.number', 'frame.protocols', '_ws.col.Protocol', 'msstun.type',
                                   'dtls.record.content_type'],
                   dfilter='tcp.port == 3478 && dtls')
        dtls = 'eth:ethertype:ip:tcp:msstun:dtls'
        assert rows == [
            ['59', dtls, 'DTLS', '0x0016', '22'],
            # The certificate's signature algorithm is decoded by Wireshark's
            # PKCS#1 dissector up to 4.4 and by PKIXAlgs in 4.6.
            ['63', dtls + ':x509sat:x509sat:' + ('pkixalgs' if ws_at_least(4, 6) else 'pkcs-1'), 'DTLSv1.2',
             '0x0017', '22,22,22,22,22'],
            ['67', dtls, 'DTLSv1.2', '0x0017', '22,20,22'],
            ['69', dtls, 'DTLSv1.2', '0x0016', '23'],
            ['71', dtls, 'DTLSv1.2', '0x0017', '23'],
            ['72', dtls, 'DTLSv1.2', '0x0016', '23'],
            ['75', dtls, 'DTLSv1.2', '0x0017', '23'],
            ['77', dtls, 'DTLSv1.2', '0x0016', '23'],
            ['79', dtls, 'DTLSv1.2', '0x0017', '23'],
            ['80', dtls, 'DTLSv1.2', '0x0016', '23'],
            ['86', dtls, 'DTLSv1.2', '0x0017', '23'],
        ]

    def test_relayed_dtls_info(self, run):
        rows = run(STUN_DTLS_RTP, ['frame.number', '_ws.col.Info'], dfilter='frame.number == 59 || frame.number == 69')
        # DTLS appends its records with its own ", " separator.
        assert rows == [['59', 'Send Indication peer 10.13.0.50:1259, Client Hello'],
                        ['69', 'Send Indication peer 10.13.0.50:1259, Application Data']]

    def test_relayed_srtp(self, run):
        rows = run(STUN_DTLS_RTP, self.F, dfilter='tcp.port == 3478 && rtp')

        def relayed(frame, pt, ssrc, seq, time, mark=True):
            return [str(frame), 'eth:ethertype:ip:tcp:msstun:rtp', 'RTP',
                    'Data Indication peer 10.13.0.50:1259 | PT=DynamicRTP-Type-%d, SSRC=0x%X, Seq=%d, Time=%d%s'
                    % (pt, ssrc, seq, time, ', Mark' if mark else ''), '0x0017', str(seq), '0x%08x' % ssrc]
        audio, video = 0x321D28BB, 0x2F696C70
        assert rows == [
            relayed(82, 97, audio, 24211, 0, mark=False), relayed(83, 96, video, 31404, 2313019855),
            relayed(85, 97, audio, 24212, 2313019855), relayed(87, 96, video, 31405, 2313022915),
            relayed(89, 97, audio, 24213, 2313019855), relayed(92, 97, audio, 24214, 2313023725, mark=False),
            relayed(96, 97, audio, 24215, 2313019855), relayed(97, 97, audio, 24216, 2313019855),
            relayed(98, 97, audio, 24217, 2313019855), relayed(99, 97, audio, 24218, 2313019855),
            relayed(100, 97, audio, 24219, 2313019855),
        ]

    def test_relayed_srtcp_over_tcp(self, run):
        rows = run(STUN_DTLS_RTP, COLS + ['msstun.type', 'rtcp.pt', '_ws.malformed'], dfilter='frame.number == 90')
        assert len(rows) == 1
        number, protocols, protocol, info, stun_type, rtcp_pt, malformed = rows[0]
        assert (number, protocols, protocol, stun_type, rtcp_pt, malformed) == \
            ('90', 'eth:ethertype:ip:tcp:msstun:rtcp', 'SRTCP', '0x0016', '205', '')
        assert info.startswith('Send Indication peer 10.13.0.50:1259 | ') and not info.endswith('| ')

    def test_no_relayed_payload_malformed(self, run):
        assert run(STUN_DTLS_RTP, ['frame.number'], dfilter='tcp.port == 3478 && _ws.malformed') == []


class TestCoturn:
    def test_tcp_channeldata_padded(self, run):
        rows = run(COTURN_TCP, COLS + ['msstun.channel', 'msstun.channel.length', 'msstun.channel.padding',
                                       'tcp.len'],
                   dfilter='frame.number == 90 || frame.number == 92 || frame.number == 95')
        assert rows == [
            # 4 + 121 data bytes + 3 padding bytes = 128 (RFC 5766 11.5).
            ['90', 'eth:ethertype:ip:tcp:msstun:data', 'MSSTUN', 'ChannelData 0x5f1e', '0x5f1e', '121', '000000',
             '128'],
            ['92', 'eth:ethertype:ip:tcp:msstun:data', 'MSSTUN', 'ChannelData 0x7652', '0x7652', '121', '070707',
             '128'],
            # Two padded ChannelData messages in one segment.
            ['95', 'eth:ethertype:ip:tcp:msstun:data:data', 'MSSTUN', 'ChannelData 0x5f1e ; ChannelData 0x5f1e',
             '0x5f1e,0x5f1e', '121,121', '000000,000000', '256'],
        ]

    def test_tcp_channeldata_all_frames(self, run):
        rows = run(COTURN_TCP, ['frame.number', 'msstun.channel.length', 'tcp.len'], dfilter='msstun.channel')
        assert [r[0] for r in rows] == ['90', '92', '95', '99', '101', '103', '106', '110', '112', '114', '117',
                                        '121', '123', '125', '128', '132']
        assert {(r[1], r[2]) for r in rows} == {('121', '128'), ('121,121', '256')}

    def test_tcp_channel_bind(self, run):
        rows = run(COTURN_TCP, COLS + ['msstun.att.channel'], dfilter='msstun.type == 0x0009')
        m = 'eth:ethertype:ip:tcp:msstun'
        assert rows[:4] == [
            ['56', m, 'MSSTUN', 'ChannelBind Request channel 0x7652 peer 127.0.0.1:49175', '0x7652'],
            ['58', m, 'MSSTUN', 'ChannelBind Request channel 0x6165 peer 127.0.0.1:49164', '0x6165'],
            ['60', m, 'MSSTUN', 'ChannelBind Request channel 0x5f1e peer 127.0.0.1:49157', '0x5f1e'],
            ['62', m, 'MSSTUN', 'ChannelBind Request channel 0x63e5 peer 127.0.0.1:49174', '0x63e5'],
        ]

    def test_udp_channeldata(self, run):
        rows = run(COTURN_UDP, COLS + ['msstun.channel', 'msstun.channel.length', 'msstun.channel.padding',
                                       'udp.length'], dfilter='msstun.channel')
        assert len(rows) == 24
        assert rows[0] == ['63', 'eth:ethertype:ip:udp:msstun:data', 'MSSTUN', 'ChannelData 0x4cb0', '0x4cb0',
                           '120', '', '132']
        assert {(r[1], r[2]) for r in rows} == {('eth:ethertype:ip:udp:msstun:data', 'MSSTUN')}
        assert {r[4] for r in rows} == {'0x4cb0', '0x6f14', '0x7ba3', '0x6733'}
        assert {tuple(r[5:]) for r in rows} == {('120', '', '132')}
        assert [r[3] for r in rows] == ['ChannelData ' + r[4] for r in rows]

    def test_rfc6062_control(self, run):
        rows = run(COTURN_6062, COLS + ['msstun.att.connection_id'],
                   dfilter='msstun.method >= 0x000a && msstun.method <= 0x001c')
        m = 'eth:ethertype:ip:tcp:msstun'
        assert rows == [
            ['39', m, 'MSSTUN', 'Connect Request peer 127.0.0.1:49168', ''],
            ['44', m, 'MSSTUN', 'ConnectionAttempt Indication connection 2383830272 peer 127.0.0.1:49161',
             '0x8e165d00'],
            ['49', m, 'MSSTUN', 'ConnectionBind Request connection 2383830272', '0x8e165d00'],
            ['51', m, 'MSSTUN', 'Connect Success Response connection 3880043777', '0xe744c501'],
            ['52', m, 'MSSTUN', 'ConnectionBind Success Response', ''],
            ['57', m, 'MSSTUN', 'ConnectionBind Request connection 3880043777', '0xe744c501'],
            ['59', m, 'MSSTUN', 'ConnectionBind Success Response', ''],
        ]

    def test_rfc6062_data_connections(self, run):
        # After the ConnectionBind success (frames 52 and 59) the two data connections
        # (client ports 35805 and 37087) carry raw relayed bytes.
        rows = run(COTURN_6062, COLS + ['msstun.type', 'tcp.len'],
                   dfilter='(tcp.port == 35805 || tcp.port == 37087) && tcp.len > 0')
        m = 'eth:ethertype:ip:tcp:msstun'
        d = [m + ':data', 'MSSTUN', 'RFC 6062 relayed data', '']
        assert rows == [
            ['49', m, 'MSSTUN', 'ConnectionBind Request connection 2383830272', '0x000b', '104'],
            ['52', m, 'MSSTUN', 'ConnectionBind Success Response', '0x010b', '76'],
            ['57', m, 'MSSTUN', 'ConnectionBind Request connection 3880043777', '0x000b', '104'],
            ['59', m, 'MSSTUN', 'ConnectionBind Success Response', '0x010b', '76'],
            ['72'] + d + ['120'], ['75'] + d + ['120'], ['78'] + d + ['240'], ['82'] + d + ['240'],
            ['84'] + d + ['120'], ['87'] + d + ['120'], ['90'] + d + ['240'], ['94'] + d + ['240'],
        ]

    def test_rfc6062_relay_leg(self, run, run_builtin):
        # The relay's own TCP connection to the peer (49161 <-> 49168), which
        # the Connect success (frame 51) and the ConnectionAttempt (frame 44)
        # name, is the relay leg (issue 27): the peer's bytes as data, as
        # without the plugin, with or without Decode As on its port; no
        # STUN or ChannelData read into them.
        dfilter = 'tcp.port == 49161 && tcp.len > 0'
        base = run_builtin(COTURN_6062, COLS, dfilter=dfilter)
        assert [r[1] for r in base] == ['eth:ethertype:ip:tcp:data'] * 4
        for extra in ([], ['-d', 'tcp.port==49161,msstun']):
            rows = run(COTURN_6062, COLS + ['msstun.type', 'msstun.channel'], dfilter=dfilter, extra=extra)
            assert [r[0] for r in rows] == ['73', '80', '85', '92']
            assert [r[1:4] for r in rows] == [['eth:ethertype:ip:tcp:msstun:data', 'MSSTUN',
                                               'RFC 6062 relay leg data']] * 4
            assert {tuple(r[4:]) for r in rows} == {('', '')}


class TestLibniceTurn443:
    '''libnice 0.1.21 OC2007R2 MS-TURN over "TLS" on 443: pseudo-TLS, then "03 00" + message.'''

    def test_pseudo_tls_hellos(self, run):
        rows = run(LIBNICE_443, COLS + ['msstun.pseudotls', 'msstun.pseudotls.handshake_type',
                                        'msstun.pseudotls.cipher_suite', 'tcp.len'], dfilter='msstun.pseudotls')
        m = 'eth:ethertype:ip:tcp:msstun'
        assert rows == [
            ['4', m, 'MSSTUN', 'Pseudo-TLS Client Hello', '1', '1', '0x0018', '50'],
            ['6', m, 'MSSTUN', 'Pseudo-TLS Server Hello, Server Hello Done', '1', '2,14', '0x0018', '83'],
            ['11', m, 'MSSTUN', 'Pseudo-TLS Client Hello', '1', '1', '0x0018', '50'],
        ]

    def test_lengthless_framing(self, run):
        rows = run(LIBNICE_443, COLS + ['msstun.tcp.type', 'msstun.tcp.length', 'msstun.type', 'msstun.dialect',
                                        'msstun.att.magic_cookie', 'msstun.att.ms.version', 'tcp.len',
                                        '_ws.malformed'],
                   dfilter='tcp.port == 443 && tcp.len > 0 && !msstun.pseudotls')
        one = ['eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request', '0x03', '', '0x0003', '4',
               '0x72c64bc6', '1', '38', '']
        assert rows == [['15'] + one, ['19'] + one, ['23'] + one]

    def test_no_length_expert(self, run):
        rows = run(LIBNICE_443, ['frame.number', '_ws.expert.message', '_ws.expert.severity'],
                   dfilter='msstun.tcp.no_length')
        msg = 'MS-TURN TCP frame without its Length field (libnice style, not MS-TURN 2.1.4)'
        # Warning (0x00600000); frames 19 and 23 are also retransmissions (Note, 0x00400000).
        assert rows == [['15', msg, '6291456'],
                        ['19', msg + ',Retransmitted message', '6291456,4194304'],
                        ['23', msg + ',Retransmitted message', '6291456,4194304']]

    def test_udp_data_not_claimed(self, run, run_builtin):
        # The agents' "hello-from-..." test payloads on the nominated UDP pair.
        dfilter = 'udp.port == 43328 && udp.length == 22'
        rows = run(LIBNICE_443, COLS + ['msstun.type', 'rtp', 'rtcp'], dfilter=dfilter,
                   extra=['-d', 'udp.port==43328,msstun'])
        base = run_builtin(LIBNICE_443, COLS, dfilter=dfilter)
        assert len(rows) == 18
        assert [r[0:1] + r[2:4] for r in rows] == [r[0:1] + r[2:4] for r in base]
        assert {tuple(r[4:]) for r in rows} == {('', '', '')}
        assert [r[1] for r in rows] == [r[1] for r in base] == ['eth:ethertype:ip:udp:data'] * 18


class TestUdpChannelDataStunPcap:
    def test_channeldata_0x4003_with_decode_as(self, run):
        rows = run(STUN_PCAP, COLS + ['msstun.channel', 'msstun.channel.length', 'msstun.type', 'rtcp.senderssrc'],
                   dfilter='frame.number >= 110 && frame.number <= 115', extra=['-d', 'udp.port==40003,msstun'])
        m = 'eth:ethertype:ip:udp:msstun'
        assert rows == [
            ['110', m, 'MSSTUN', 'ChannelData 0x4003 | Binding Request user XpJs:kSty controlled', '0x4003', '96',
             '0x0001', ''],
            ['111', m, 'MSSTUN', 'ChannelData 0x4003 | Binding Request user kSty:XpJs controlling use-candidate',
             '0x4003', '100', '0x0001', ''],
            ['112', m, 'MSSTUN', 'ChannelData 0x4003 | Binding Success Response mapped 185.170.139.1:12176',
             '0x4003', '64', '0x0101', ''],
            # 22 bytes: RR header (8), E|index (4), 10-byte tag.
            ['113', m + ':rtcp', 'SRTCP', 'ChannelData 0x4003 | Receiver Report   ', '0x4003', '22', '', '0x00000001'],
            ['114', m, 'MSSTUN', 'ChannelData 0x4003 | Binding Success Response mapped 31.13.86.54:53789',
             '0x4003', '64', '0x0101', ''],
            ['115', m + ':rtcp', 'SRTCP', 'ChannelData 0x4003 | Receiver Report   ', '0x4003', '50', '',
             '0x47a40083'],
        ]

    def test_every_channeldata_decoded(self, run):
        rows = run(STUN_PCAP, ['frame.number', 'frame.protocols', '_ws.malformed'],
                   dfilter='msstun.channel == 0x4003', extra=['-d', 'udp.port==40003,msstun'])
        assert [r[0] for r in rows] == ['110', '111', '112', '113', '114', '115', '117', '123', '126', '127',
                                        '128', '130', '132', '135', '136', '137', '138', '139']
        assert {r[1] for r in rows} == {'eth:ethertype:ip:udp:msstun', 'eth:ethertype:ip:udp:msstun:rtcp'}
        assert {r[2] for r in rows} == {''}

    def test_channeldata_on_3478(self, run):
        rows = run(STUN_PCAP, COLS + ['msstun.channel', 'msstun.channel.length'], dfilter='frame.number == 200')
        assert rows == [['200', 'eth:ethertype:ipv6:udp:msstun:rtcp', 'SRTCP',
                         'ChannelData 0x4001 | Source description   ', '0x4001', '48']]


class TestSkypeConferenceCall:
    '''A real Skype for Business call on one UDP 5-tuple: after the ICE checks every
    packet is RTP or RTCP (SRTCP), never data, never malformed.'''

    PORTS = [60642, 49282]

    @pytest.mark.parametrize('port', PORTS)
    def test_every_frame_classified(self, run, port):
        rows = run(SKYPE_CONF, COLS + ['msstun.type', '_ws.malformed'], extra=['-d', 'udp.port==%d,msstun' % port])
        assert len(rows) == 200
        stun = [r[0] for r in rows if r[4]]
        assert stun == ['1', '2', '3', '4', '5', '6', '7', '23', '34', '52', '86', '89', '185', '187']
        media = [r for r in rows if not r[4]]
        assert rows[7][0] == '8' and not rows[7][4]  # the first media packet follows the checks
        for r in media:
            assert r[1] in ('eth:ethertype:ip:udp:msstun:rtp', 'eth:ethertype:ip:udp:msstun:rtcp'), r
            assert r[2] == {'eth:ethertype:ip:udp:msstun:rtp': 'RTP',
                            'eth:ethertype:ip:udp:msstun:rtcp': 'SRTCP'}[r[1]], r
        for r in rows:
            assert r[5] == '' and 'data' not in r[1].split(':'), r
        assert sum(r[1].endswith(':rtp') for r in media) == 31
        assert sum(r[1].endswith(':rtcp') for r in media) == 155

    def test_same_on_both_ports(self, run):
        f = COLS + ['rtp.seq', 'rtcp.pt']
        assert run(SKYPE_CONF, f, extra=['-d', 'udp.port==60642,msstun']) == \
            run(SKYPE_CONF, f, extra=['-d', 'udp.port==49282,msstun'])

    def test_media_details(self, run):
        rows = run(SKYPE_CONF, ['frame.number', 'rtp.p_type', 'rtp.seq', 'rtp.ssrc', 'rtp.ext.profile',
                                'rtcp.pt'],
                   dfilter='frame.number >= 8 && frame.number <= 12', extra=['-d', 'udp.port==60642,msstun'])
        assert rows == [
            ['8', '104', '23859', '0xe074c700', '0xbede', ''],
            ['9', '104', '23860', '0xe074c700', '0xbede', ''],
            ['10', '104', '23861', '0xe074c700', '0xbede', ''],
            ['11', '', '', '', '', '201'],
            ['12', '', '', '', '', '206'],
        ]

    def test_not_decoded_without_decode_as(self, run, run_builtin):
        assert run(SKYPE_CONF, COLS) == run_builtin(SKYPE_CONF, COLS)


# ---------------------------------------------------------------------------
# Teams: the Transport Relays' UDP ports 3478-3481 are decoded by default
# ---------------------------------------------------------------------------

TEAMS_FIELDS = COLS + ['msstun.type', 'msstun.att.ms.implementation_version', 'msstun.att.xor_mapped.ipv4',
                       'msstun.att.xor_mapped.port', 'msstun.att.fingerprint.status', 'rtp.ssrc', 'rtcp.pt',
                       'rtcp.senderssrc', 'srtcp.e', 'srtcp.index', 'srtcp.mki', 'srtcp.auth_tag',
                       'rtcp.setup-frame', 'rtcp.setup-method', 'data', '_ws.malformed']


def _teams_binding(n):
    return [str(n), 'eth:ethertype:ip:udp:msstun', 'MSSTUN', 'Binding Success Response mapped 82.178.63.123:50006',
            '0x0101', '7', '82.178.63.123', '50006', '1'] + [''] * 11


def _teams_srtcp(n, pt, index, tag):
    # Clear first header (SSRC 1000), encrypted rest, E|index, 1-byte MKI 0x01, 80-bit tag.
    info = {201: 'Receiver Report   ', 200: 'Sender Report   '}[pt]
    return [str(n), 'eth:ethertype:ip:udp:msstun:rtcp', 'SRTCP', info, '', '', '', '', '', '', str(pt),
            '0x000003e8', '1', str(index), '01', tag, '2', 'MSSTUN', '', '']


# Values checked against the bytes (tshark -x): XOR-MAPPED-ADDRESS 0xe244/0x73a09b39
# XOR 0x2112/0x2112a442; the SRTCP trailers are the last 15 bytes of each datagram.
TEAMS_EXPECTED = [
    _teams_binding(1),
    _teams_srtcp(2, 201, 41310, 'e3e4b990e8e3fcd2e170'),
    _teams_srtcp(3, 201, 41311, '4d4e95f81fa0eb19fe9c'),
    _teams_srtcp(4, 201, 41312, 'e08203ba92c560abaeb8'),
    _teams_srtcp(5, 200, 41314, '565858f4cf3bfc34690d'),
    _teams_binding(6),
    _teams_binding(7),
    _teams_srtcp(8, 200, 41322, '5563f79b58c84a58f579'),
    _teams_binding(9),
    _teams_srtcp(10, 201, 41325, '2756b947a281e818291a'),
    _teams_srtcp(11, 201, 41326, '5f5d34d04783e84b1647'),
    _teams_srtcp(12, 201, 41327, '54b0694d20011119cac1'),
]


class TestTeamsRelayPorts:
    '''stun_msteams_unidir.pcapng: a real Teams relay (52.115.136.55) sending from UDP
    3479, the audio port of Microsoft's Teams guidance, decoded with no option.'''

    def test_every_frame_by_default(self, run):
        assert run(TEAMS, TEAMS_FIELDS) == TEAMS_EXPECTED

    def test_every_frame_two_pass(self, run):
        assert run(TEAMS, TEAMS_FIELDS, extra=['-2']) == TEAMS_EXPECTED

    def test_relay_port(self, run):
        rows = run(TEAMS, ['frame.number', 'ip.src', 'udp.srcport', 'udp.dstport'])
        assert rows == [[str(n), '52.115.136.55', '3479', '50006'] for n in range(1, 13)]

    def test_nothing_undecoded(self, run):
        assert run(TEAMS, ['frame.number'], dfilter='_ws.malformed || data || msstun.unrecognised_payload') == []

    def test_builtin_baseline(self, run_builtin):
        # What a new user saw before: only the built-in STUN heuristic's frames.
        rows = run_builtin(TEAMS, COLS[:3])
        stun = ['eth:ethertype:ip:udp:stun', 'STUN']
        udp = ['eth:ethertype:ip:udp:data', 'UDP']
        assert [r[1:] for r in rows] == [stun, udp, udp, udp, udp, stun, stun, udp, stun, udp, udp, udp]

    def test_port_3479_by_decode_as_is_builtin(self, run, run_builtin):
        # With 3479 given back to STUN by Decode As, nothing of it is MSSTUN's:
        # the frames above are decoded because 3479 is one of MSSTUN's ports.
        rows = run(TEAMS, COLS, extra=['-d', 'udp.port==3479,stun'])
        assert not any('msstun' in r[1] for r in rows)
        assert rows == run_builtin(TEAMS, COLS, extra=['-d', 'udp.port==3479,stun'])

    def test_disabled_is_builtin(self, run, run_builtin):
        assert run(TEAMS, COLS, extra=['--disable-protocol', 'msstun']) == run_builtin(TEAMS, COLS)


@pytest.fixture(scope='module')
def relay_port_copies(tshark_builtin):
    '''msturn-udp3478.pcap with the relay's port 3478 changed to 3479, 3480 and 3481
    (the datagrams' payloads unchanged).'''
    root = tempfile.mkdtemp(prefix='msstun-relay-ports-')
    os.chmod(root, 0o755)
    rows = tshark_builtin.fields(UDP3478, ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport', 'udp.payload'])
    paths = {}
    for relay_port in (3479, 3480, 3481):
        packets = []
        for src, sport, dst, dport, payload in rows:
            sport, dport = [relay_port if int(p) == 3478 else int(p) for p in (sport, dport)]
            packets.append(_udp(bytes(map(int, src.split('.'))), sport, bytes(map(int, dst.split('.'))), dport,
                                bytes.fromhex(payload)))
        paths[relay_port] = os.path.join(root, 'msturn-udp%d.pcap' % relay_port)
        _write_pcap(paths[relay_port], packets)
    yield paths
    shutil.rmtree(root, ignore_errors=True)


class TestEveryRelayPort:
    '''MS-TURN, 0xFF10, ChannelData, ICE checks and relayed RTP/RTCP decode the same on
    each Teams relay port as on 3478, by default.'''

    @pytest.mark.parametrize('relay_port', [3479, 3480, 3481])
    def test_same_as_3478(self, run, relay_port_copies, relay_port):
        capture = relay_port_copies[relay_port]
        assert run(capture, ['udp.srcport', 'udp.dstport'], dfilter='frame.number <= 2') == [
            ['50000', str(relay_port)], [str(relay_port), '50000']]
        assert run(capture, UDP_FIELDS) == UDP3478_EXPECTED


# ---------------------------------------------------------------------------
# Negative cases: traffic that is not STUN/TURN/RTP
# ---------------------------------------------------------------------------

def _udp(src, sport, dst, dport, payload):
    return ipv4_packet(src, dst, PROTO_UDP, udp_segment(src, sport, dst, dport, payload), ident=1)


def _tcp(src, sport, dst, dport, seq, ack, flags, payload):
    return ipv4_packet(src, dst, PROTO_TCP, tcp_segment(src, sport, dst, dport, seq, ack, flags, 65535, payload),
                       ident=1)


def _write_pcap(path, packets, snaplen=65535):
    with open(path, 'wb') as f:
        f.write(pcap.write((((T0 + i) * 1000000, ethernet(MAC_EDGE, MAC_CLIENT, ip)) for i, ip in enumerate(packets)),
                           snaplen))
    os.chmod(path, 0o644)


@pytest.fixture(scope='module')
def crafted():
    '''Non-STUN traffic on the Edge ports, built here (tshark runs as another user:
    the directory is world-readable).'''
    root = tempfile.mkdtemp(prefix='msstun-mux-')
    os.chmod(root, 0o755)
    client, edge = bytes([10, 0, 0, 10]), bytes([192, 0, 2, 1])
    udp = [
        _udp(client, 50000, edge, 3478, b'hello, this is not STUN at all\n'),
        # A DNS query for www.example.com.
        _udp(client, 50000, edge, 3478, bytes.fromhex('12340100000100000000000003777777076578616d706c6503636f6d'
                                                     '0000010001')),
        _udp(client, 50000, edge, 3478, b'\x00\x01\x02'),
        # A QUIC v1 Initial long header.
        _udp(client, 50000, edge, 3478, bytes.fromhex('c000000001088394c8f03e5157080000449e00000002') + b'\0' * 40),
    ]
    request = b'GET / HTTP/1.1\r\nHost: edge.example.com\r\n\r\n'
    response = b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'
    tcp = [
        _tcp(client, 51010, edge, 443, 1000, 0, 0x02, b''),
        _tcp(edge, 443, client, 51010, 5000, 1001, 0x12, b''),
        _tcp(client, 51010, edge, 443, 1001, 5001, 0x10, b''),
        _tcp(client, 51010, edge, 443, 1001, 5001, 0x18, request),
        _tcp(edge, 443, client, 51010, 5001, 1001 + len(request), 0x18, response),
    ]
    # Datagrams of no kind the multiplexer knows, to and from the TURN ports: first
    # bytes 0x03, 0x06 and 0x07, one carrying a GUID as text, as a Teams client was
    # reported to send to 3478.  No shared capture holds such datagrams: these bytes
    # are made up after that description, not copied from a capture.
    guid = b'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'
    p03 = bytes.fromhex('0300000c') + bytes(range(16))
    p06 = bytes.fromhex('06000004') + b'\x11' * 20
    p07 = bytes.fromhex('07000024') + guid
    relay, peer = bytes([192, 0, 2, 2]), bytes([203, 0, 113, 20])
    turn = [
        _udp(client, 50010, relay, 3478, p03),
        _udp(client, 50010, relay, 3478, p06),
        _udp(client, 50010, relay, 3478, p07),
        _udp(client, 50010, relay, 3479, p03),
        _udp(client, 50010, relay, 3480, p06),
        _udp(client, 50010, relay, 3481, p07),
        _udp(relay, 3478, client, 50010, p06),
        _udp(client, 50010, relay, 3478, b'\x03\x00'),
        # The same on a port that is not a TURN port: not the plugin's.
        _udp(client, 50010, peer, 50020, p07),
    ]
    paths = {'udp': os.path.join(root, 'not-stun-udp3478.pcap'), 'tcp': os.path.join(root, 'http-tcp443.pcap'),
             'turn': os.path.join(root, 'unrecognised-turn-ports.pcap')}
    _write_pcap(paths['udp'], udp)
    _write_pcap(paths['tcp'], tcp)
    _write_pcap(paths['turn'], turn)
    yield paths
    shutil.rmtree(root, ignore_errors=True)


CLAIMS = 'msstun || stun || classicstun || rtp || rtcp || dtls || msstun.channel'
# Claims of a kind: everything above but the unrecognised-payload item.
KIND_CLAIMS = 'stun || classicstun || rtp || rtcp || dtls || msstun.type || msstun.channel || msstun.mturn.channel'

UNRECOGNISED = ['msstun.unrecognised_payload.first_byte', '_ws.expert.message', '_ws.expert.severity',
                '_ws.expert.group', 'data.len']
UNRECOGNISED_NOTE = ('Unrecognised payload on a TURN port: not STUN/TURN, ChannelData, multiplexed TURN, RTP, '
                     'RTCP or DTLS')


def _unrecognised(n, first_byte, length):
    # Note (0x00400000), Undecoded (0x05000000).
    return [str(n), 'eth:ethertype:ip:udp:msstun:data', 'MSSTUN', 'Unrecognised payload (first byte %s)' % first_byte,
            first_byte, UNRECOGNISED_NOTE, '4194304', '83886080', str(length)]


class TestNotClaimed:
    @pytest.mark.parametrize('port', [39262, 35990])
    def test_skype_udp(self, run, run_builtin, port):
        extra = ['-d', 'udp.port==%d,msstun' % port]
        rows = run(SKYPE_UDP, COLS, extra=extra)
        base = run_builtin(SKYPE_UDP, COLS)
        assert len(rows) == 5
        assert [r[0:1] + r[2:] for r in rows] == [r[0:1] + r[2:] for r in base]
        assert [r[1] for r in base] == ['eth:ethertype:ip:udp:data'] * 5
        assert [r[1] for r in rows] == ['eth:ethertype:ip:udp:data'] * 5
        assert run(SKYPE_UDP, ['frame.number'], dfilter=CLAIMS, extra=extra) == []

    def test_crafted_not_claimed(self, run, crafted):
        assert run(crafted['tcp'], ['frame.number'], dfilter=CLAIMS) == []

    def test_crafted_as_without_plugin(self, run, run_builtin, crafted):
        assert run(crafted['tcp'], COLS) == run_builtin(crafted['tcp'], COLS)

    def test_crafted_udp_unrecognised(self, run, crafted):
        # On UDP 3478 none of them is claimed as a kind: each stays data under MSSTUN
        # with a note, where without the plugin UDP hands two of them on to DNS and
        # QUIC (test_crafted_baseline).
        assert run(crafted['udp'], COLS + UNRECOGNISED) == [
            _unrecognised(1, '0x68', 31), _unrecognised(2, '0x12', 33), _unrecognised(3, '0x00', 3),
            _unrecognised(4, '0xc0', 62)]
        assert run(crafted['udp'], ['frame.number'], dfilter=KIND_CLAIMS) == []

    @pytest.mark.parametrize('kind', ['udp', 'tcp', 'turn'])
    def test_crafted_disabled_as_without_plugin(self, run, run_builtin, crafted, kind):
        assert run(crafted[kind], COLS, extra=['--disable-protocol', 'msstun']) == run_builtin(crafted[kind], COLS)

    def test_crafted_baseline(self, run_builtin, crafted):
        # What the baseline is: the comparisons above mean something.
        assert [r[1:3] for r in run_builtin(crafted['udp'], COLS)] == [
            ['eth:ethertype:ip:udp:data', 'UDP'], ['eth:ethertype:ip:udp:dns', 'DNS'],
            ['eth:ethertype:ip:udp:data', 'UDP'], ['eth:ethertype:ip:udp:quic', 'QUIC']]
        assert [r[1:3] for r in run_builtin(crafted['tcp'], COLS)][3:] == [
            ['eth:ethertype:ip:tcp:http', 'HTTP'], ['eth:ethertype:ip:tcp:http:data', 'HTTP']]
        assert [r[1:3] for r in run_builtin(crafted['turn'], COLS)] == [['eth:ethertype:ip:udp:data', 'UDP']] * 9


class TestUnrecognisedOnTurnPorts:
    '''Payloads on the TURN ports that are not STUN/TURN, ChannelData, 0xFF10, RTP,
    RTCP or DTLS: data under MSSTUN with the note msstun.unrecognised_payload, in
    either direction, on each of 3478-3481; never a guess.'''

    def test_every_frame(self, run, crafted):
        rows = run(crafted['turn'], COLS + UNRECOGNISED)
        assert rows == [
            _unrecognised(1, '0x03', 20), _unrecognised(2, '0x06', 24), _unrecognised(3, '0x07', 40),
            _unrecognised(4, '0x03', 20), _unrecognised(5, '0x06', 24), _unrecognised(6, '0x07', 40),
            _unrecognised(7, '0x06', 24), _unrecognised(8, '0x03', 2),
            ['9', 'eth:ethertype:ip:udp:data', 'UDP', '50010 → 50020 Len=40', '', '', '', '', '40'],
        ]

    def test_a_port_added_to_the_preference_is_a_turn_port(self, run, crafted):
        # Frame 9 (50010 -> 50020) is left to UDP above; with 50020 in msstun.udp.port
        # it is on a TURN port like the others.
        rows = run(crafted['turn'], COLS + UNRECOGNISED, dfilter='frame.number == 9',
                   extra=['-o', 'msstun.udp.port:3478-3481,50020'])
        assert rows == [_unrecognised(9, '0x07', 40)]

    def test_nothing_claimed_as_a_kind(self, run, crafted):
        assert run(crafted['turn'], ['frame.number'], dfilter=KIND_CLAIMS) == []

    def test_filter_and_ports(self, run, crafted):
        rows = run(crafted['turn'], ['frame.number', 'udp.srcport', 'udp.dstport'],
                   dfilter='msstun.unrecognised_payload')
        assert rows == [['1', '50010', '3478'], ['2', '50010', '3478'], ['3', '50010', '3478'],
                        ['4', '50010', '3479'], ['5', '50010', '3480'], ['6', '50010', '3481'],
                        ['7', '3478', '50010'], ['8', '50010', '3478']]

    def test_guid_payload_is_data_whole(self, run, crafted):
        rows = run(crafted['turn'], ['frame.number', 'data.data'], dfilter='frame.number == 3')
        assert rows == [['3', '07000024' + b'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'.hex()]]

    def test_tree_says_why(self, tshark, crafted):
        out = tshark('-n', '-r', crafted['turn'], '-V', '-O', 'msstun', '-Y', 'frame.number <= 3')
        lines = [line.strip() for line in out.splitlines()]
        assert lines.count('Microsoft STUN/TURN/ICE, Unrecognised Payload') == 3
        assert lines.count(UNRECOGNISED_NOTE) == 3
        assert lines.count('[Expert Info (Note/Undecoded): %s]' % UNRECOGNISED_NOTE) == 3
        assert [line for line in lines if line.startswith('First Byte:')] == [
            'First Byte: STUN/TURN range, but not a STUN/TURN message (0x03)',
            'First Byte: Outside every range that MSSTUN decodes (0x06)',
            'First Byte: Outside every range that MSSTUN decodes (0x07)']
        assert lines.count('Data (20 bytes)') == 1 and lines.count('Data (40 bytes)') == 1

    def test_other_port_under_decode_as_unchanged(self, run, crafted):
        # Decode As on a port that is not a TURN port: unrecognised payloads go on as before.
        rows = run(crafted['turn'], COLS + UNRECOGNISED, dfilter='frame.number == 9',
                   extra=['-d', 'udp.port==50020,msstun'])
        assert rows == [['9', 'eth:ethertype:ip:udp:data', 'UDP', '50010 → 50020 Len=40', '', '', '', '', '40']]

    def test_disabled_as_without_plugin(self, run, run_builtin, crafted):
        assert run(crafted['turn'], COLS, extra=['--disable-protocol', 'msstun']) == \
            run_builtin(crafted['turn'], COLS)

    def test_only_msstun_ports(self, run, crafted):
        # 3478, 3479 and 3481 given to another dissector by Decode As: only
        # the datagram to 3480 is MSSTUN's.
        others = ['-d', 'udp.port==3478,rtp', '-d', 'udp.port==3479,rtp', '-d', 'udp.port==3481,rtp']
        rows = run(crafted['turn'], ['frame.number'], dfilter='msstun', extra=others)
        assert rows == [['5']]


# ---------------------------------------------------------------------------
# Real TLS on 443: exactly as without the plugin, decryption included
# ---------------------------------------------------------------------------

class TestTls443:
    ALL = ['frame.number', 'frame.protocols', '_ws.col.Info']

    @pytest.mark.parametrize('kind,sip', TLS_VARIANTS, ids=TLS_IDS)
    def test_identical_to_builtin(self, run, run_builtin, kind, sip):
        capture, opts = tls_options(kind, sip)
        expected = [row[:] for row in run_builtin(capture, self.ALL, extra=opts)]
        # Each connection's first payload (its ClientHello) reaches TLS through
        # MSSTUN, which hands it and every later segment of the connection to TLS.
        first = {}
        for number, stream in run_builtin(capture, ['frame.number', 'tcp.stream'], dfilter='tcp.len > 0',
                                          extra=opts):
            first.setdefault(stream, int(number))
        assert len(first) >= 2
        for number in first.values():
            # Wireshark 4.2 and later add the server name to the Info of a ClientHello.
            hello = 'Client Hello (SNI=edge.example.com)' if ws_at_least(4, 2) else 'Client Hello'
            assert expected[number - 1][1:] == ['eth:ethertype:ip:tcp:tls', hello]
            expected[number - 1][1] = 'eth:ethertype:ip:tcp:msstun:tls'
        assert run(capture, self.ALL, extra=opts) == expected

    @pytest.mark.parametrize('kind,sip', TLS_VARIANTS, ids=TLS_IDS)
    def test_columns_and_decrypted_fields_identical(self, run, run_builtin, kind, sip):
        capture, opts = tls_options(kind, sip)
        f = ['frame.number', '_ws.col.Protocol', '_ws.col.Info', 'tls.record.content_type',
             'tls.handshake.type', 'sip.Method', 'sip.Status-Code', 'http.request.method', 'http.response.code']
        rows = run(capture, f, extra=opts)
        assert len(rows) in (32, 34)
        assert rows == run_builtin(capture, f, extra=opts)

    @pytest.mark.parametrize('kind,sip', TLS_VARIANTS, ids=TLS_IDS)
    def test_decrypted_content(self, run, kind, sip):
        capture, opts = tls_options(kind, sip)
        f = ['frame.number', '_ws.col.Protocol', '_ws.col.Info', 'sip.Method', 'sip.r-uri', 'sip.Status-Code',
             'sip.CSeq', 'http.request.method', 'http.request.uri', 'http.response.code']
        sip_rows = run(capture, f, dfilter='sip', extra=opts)
        http_rows = run(capture, f, dfilter='http', extra=opts)
        n = {'rsa': (10, 11, 26, 27), 'keylog': (10, 12, 27, 29)}[kind]
        get = [str(n[2]), 'HTTP', 'GET / HTTP/1.1 ', '', '', '', '', 'GET', '/', '']
        # Wireshark 4.4 and 4.6 repeat the request's URI in the response
        # (http.request.uri, generated); 4.0 and 4.2 do not.
        ok = [str(n[3]), 'HTTP', 'HTTP/1.1 200 OK  (text/html)', '', '', '', '', '', '/' if ws_at_least(4, 4) else '',
              '200']
        if sip:
            assert sip_rows == [
                [str(n[0]), 'SIP', 'Request: OPTIONS sip:edge.example.com | ', 'OPTIONS', 'sip:edge.example.com',
                 '', '1 OPTIONS', '', '', ''],
                [str(n[1]), 'SIP', 'Status: 200 OK (OPTIONS) | ', '', '', '200', '1 OPTIONS', '', '', ''],
            ]
            assert http_rows == [get, ok]
        else:
            assert sip_rows == []
            assert http_rows == [
                [str(n[0]), 'HTTP', 'OPTIONS sip:edge.example.com SIP/2.0 ', '', '', '', '', 'OPTIONS',
                 'sip:edge.example.com', ''],
                [str(n[1]), 'HTTP', 'Continuation', '', '', '', '', '', '', ''],
                get, ok,
            ]

    def test_html_body_decrypted(self, run):
        for kind in ('rsa', 'keylog'):
            capture, opts = tls_options(kind, False)
            rows = run(capture, ['http.file_data'], dfilter='http.response.code == 200', extra=opts)
            body = b'<html><body>msstun test page</body></html>\n'
            # http.file_data is a string field in Wireshark 4.0 (printed with
            # escapes) and a byte field from 4.2 on (printed in hex).
            expected = body.hex() if ws_at_least(4, 2) else body.decode().replace('\n', '\\n')
            assert rows == [[expected]], kind

    @pytest.mark.parametrize('kind', ['rsa', 'keylog'])
    def test_tls_not_claimed_by_msstun(self, run, kind):
        # Nothing on a TLS connection is STUN.  "msstun" matches the first
        # TLS segment, which MSSTUN classified and handed to TLS (its
        # frame.protocols say so): the filter matches every frame that
        # names msstun (issue 26, item 12), and no other.
        capture, opts = tls_options(kind, False)
        assert run(capture, ['frame.number'], dfilter='stun', extra=opts) == []
        named = [[row[0]] for row in run(capture, ['frame.number', 'frame.protocols'], extra=opts)
                 if 'msstun' in row[1].split(':')]
        assert len(named) == 2
        assert run(capture, ['frame.number'], dfilter='msstun', extra=opts) == named

    @pytest.mark.parametrize('kind,sip', TLS_VARIANTS, ids=TLS_IDS)
    def test_disabled_identical_to_builtin(self, run, run_builtin, kind, sip):
        capture, opts = tls_options(kind, sip)
        assert run(capture, self.ALL, extra=opts + ['--disable-protocol', 'msstun']) == \
            run_builtin(capture, self.ALL, extra=opts)

    @pytest.mark.parametrize('kind,sip', TLS_VARIANTS, ids=TLS_IDS)
    def test_decode_as_tls_identical_to_builtin(self, run, run_builtin, kind, sip):
        capture, opts = tls_options(kind, sip)
        off = ['-d', 'tcp.port==443,tls']
        assert run(capture, self.ALL, extra=opts + off) == run_builtin(capture, self.ALL, extra=opts)


# ---------------------------------------------------------------------------
# Preferences and switches
# ---------------------------------------------------------------------------

class TestShowOriginal:
    SHOW = ['-o', 'msstun.show_original:TRUE']

    def test_decode_as_of_the_user_stays(self, run, run_builtin):
        # A preference change no longer re-registers MSSTUN's ports over the
        # user's Decode As: 3478 stays STUN's.
        extra = ['-d', 'udp.port==3478,stun']
        rows = run(UDP3478, COLS, extra=extra + self.SHOW)
        assert not any('msstun' in r[1] for r in rows)
        assert rows == run_builtin(UDP3478, COLS, extra=extra)

    def test_udp_default_off(self, run):
        rows = run(UDP3478, COLS + ['msstun.type', 'stun.type', 'rtp.seq'],
                   dfilter='frame.number == 1 || frame.number == 7')
        assert rows == [
            ['1', 'eth:ethertype:ip:udp:msstun', 'MSSTUN', 'Allocate Request', '0x0003', '', ''],
            ['7', 'eth:ethertype:ip:udp:msstun:rtp', 'RTP', UDP3478_EXPECTED[6][3], '0x0004', '', '1000'],
        ]

    def test_udp(self, run):
        rows = run(UDP3478, COLS + ['msstun.type', 'stun.type', 'stun.att.type', 'rtp.seq'],
                   dfilter='frame.number == 1 || frame.number == 7', extra=self.SHOW)
        # The STUN tree is added; the columns stay MSSTUN's.
        assert rows == [
            ['1', 'eth:ethertype:ip:udp:msstun:stun', 'MSSTUN', 'Allocate Request', '0x0003', '0x0003',
             '0x000f,0x8008,0x8055,0x0010', ''],
            ['7', 'eth:ethertype:ip:udp:msstun:rtp:stun', 'RTP', UDP3478_EXPECTED[6][3], '0x0004', '0x0004',
             '0x000f,0x0006', '1000'],
        ]

    def test_tcp_3478(self, run):
        rows = run(STUN_PCAP, COLS + ['msstun.type', 'stun.type'],
                   dfilter='frame.number == 143 || frame.number == 145', extra=self.SHOW)
        assert rows == [
            ['143', 'eth:ethertype:ip:tcp:msstun:stun', 'MSSTUN', 'Allocate Request', '0x0003', '0x0003'],
            ['145', 'eth:ethertype:ip:tcp:msstun:stun', 'MSSTUN', 'Allocate Error Response error 401 Unauthorized',
             '0x0113', '0x0113'],
        ]

    def test_tcp_443(self, run):
        rows = run(TCP443, COLS + ['msstun.pseudotls', 'tls.handshake.type', 'tls.record.content_type'],
                   dfilter='frame.number == 4 || frame.number == 5', extra=self.SHOW)
        assert rows == [
            ['4', 'eth:ethertype:ip:tcp:msstun:tls', 'MSSTUN', 'Pseudo-TLS Client Hello', '1', '1', '22'],
            ['5', 'eth:ethertype:ip:tcp:msstun:tls', 'MSSTUN', 'Pseudo-TLS Server Hello, Server Hello Done', '1',
             '2,14', '22'],
        ]

    def test_original_view_of_443_exists(self, run):
        # The TLS view that show_original should add (what TLS makes of frames 4 and 5).
        rows = run(TCP443, COLS + ['tls.handshake.type'], dfilter='frame.number == 4 || frame.number == 5',
                   extra=['--disable-protocol', 'msstun'])
        assert rows == [['4', 'eth:ethertype:ip:tcp:tls', 'TLSv1', 'Client Hello', '1'],
                        ['5', 'eth:ethertype:ip:tcp:tls', 'TLSv1', 'Server Hello, Server Hello Done', '2,14']]


class TestUdpPreferences:
    F = COLS + ['stun.type', 'rtp.seq']

    @pytest.mark.parametrize('opts', [
        ['-d', 'udp.port==3478,stun'],
        ['--disable-protocol', 'msstun'],
    ], ids=['decode-as-stun', 'disabled'])
    def test_3478_back_to_stun(self, run, run_builtin, opts):
        rows = run(UDP3478, self.F, extra=opts)
        assert rows == run_builtin(UDP3478, self.F)
        assert rows[0][1:4] == ['eth:ethertype:ip:udp:stun', 'STUN', 'Allocate Request bandwidth: 100']

    def test_udp_ports_adds_a_port(self, run):
        rows = run(MSICE2, COLS, dfilter='frame.number == 1 || frame.number == 14 || frame.number == 19',
                   extra=['-o', 'msstun.udp.port:3478-3481,50012'])
        assert rows == [
            ['1', 'eth:ethertype:ip:udp:msstun', 'MSSTUN', 'Binding Request user pQ7z:Ab3d controlling'],
            ['14', 'eth:ethertype:ip:udp:msstun:rtp', 'RTP',
             'PT=ITU-T G.711 PCMU, SSRC=0xA0B0C0D, Seq=30000, Time=8000, Mark'],
            ['19', 'eth:ethertype:ip:udp:msstun:rtcp', 'RTCP', RR_SDES],
        ]

    def test_disabled_overrides_ports(self, run):
        rows = run(MSICE2, COLS, dfilter='frame.number == 14',
                   extra=['-o', 'msstun.udp.port:3478-3481,50012', '--disable-protocol', 'msstun'])
        assert rows == [['14', 'eth:ethertype:ip:udp:data', 'UDP', '50010 → 50012 Len=172']]

    # With msstun.decode_data off, what MS-TURN relays (DATA, end-to-end data, 0xFF10) is not
    # handed on; media that is not relayed still is.
    @pytest.mark.parametrize('capture,frames,expected', [
        (UDP3478, '5,6,7,8,11,19', [
            ['5', UDP_MSSTUN, 'MSSTUN', 'Send Request to 203.0.113.9:50012', '0x0004', '', ''],
            ['6', UDP_MSSTUN, 'MSSTUN', 'Data Indication from 203.0.113.9:50012', '0x0115', '', ''],
            ['7', UDP_MSSTUN, 'MSSTUN', 'Send Request to 203.0.113.9:50012', '0x0004', '', ''],
            ['8', UDP_MSSTUN, 'MSSTUN', 'Data Indication from 203.0.113.9:50012', '0x0115', '', ''],
            # Not relayed: still RTP.
            ['11', UDP_MSSTUN + ':rtp', 'RTP', UDP3478_EXPECTED[10][3], '', '1001', ''],
            ['19', UDP_MSSTUN, 'MSSTUN', 'Multiplexed TURN session 0x3b8e07bb823e5a6d', '', '', ''],
        ]),
        (TCP443, '10,17,19,22', [
            ['10', TCP_MSSTUN, 'MSSTUN', 'Send Request to 203.0.113.9:50012', '0x0004', '', ''],
            ['17', TCP_MSSTUN, 'MSSTUN', 'MS-TURN end-to-end data', '', '', ''],
            ['19', TCP_MSSTUN, 'MSSTUN', 'MS-TURN end-to-end data', '', '', ''],
            ['22', TCP_MSSTUN, 'MSSTUN', 'MS-TURN end-to-end data', '', '', ''],
        ]),
    ], ids=['udp', 'tcp'])
    def test_decode_data_false(self, run, capture, frames, expected):
        rows = run(capture, COLS + ['msstun.type', 'rtp.seq', 'rtcp.pt'], dfilter='frame.number in {%s}' % frames,
                   extra=['-o', 'msstun.decode_data:FALSE'])
        assert rows == expected

    def test_decode_data_false_keeps_data_bytes(self, run):
        rows = run(UDP3478, ['frame.number', 'msstun.att.data'], dfilter='frame.number == 7',
                   extra=['-o', 'msstun.decode_data:FALSE'])
        assert len(rows) == 1 and len(rows[0][1]) == 2 * 72
        # RTP V=2 M=1 PT=104 seq 1000 ts 160000 SSRC 0x1a2b3c4d
        assert rows[0][1].startswith('80e803e8000271001a2b3c4d')

    def test_rfc5769_disabled_identical(self, tshark, tshark_builtin):
        with_plugin = tshark('-n', '-V', '-r', RFC5769, '--disable-protocol', 'msstun')
        assert with_plugin == tshark_builtin('-n', '-V', '-r', RFC5769)
        assert 'Session Traversal Utilities for NAT' in with_plugin

    def test_rfc5769_enabled(self, run):
        assert run(RFC5769, COLS) == [
            ['1', 'eth:ethertype:ip:udp:msstun', 'MSSTUN', 'Binding Request controlled user evtj:h6vY'],
            ['2', 'eth:ethertype:ip:udp:msstun', 'MSSTUN', 'Binding Success Response mapped 192.0.2.1:32853'],
            ['3', 'eth:ethertype:ip:udp:msstun', 'MSSTUN',
             'Binding Success Response mapped [2001:db8:1234:5678:11:2233:4455:6677]:32853'],
            ['4', 'eth:ethertype:ip:udp:msstun', 'MSSTUN', 'Binding Request user マトリックス'],
        ]


class TestTcpPreferences:
    def test_443_by_decode_as_is_tls(self, run, run_builtin):
        rows = run(TCP443, COLS, extra=['-d', 'tcp.port==443,tls'])
        assert rows == run_builtin(TCP443, COLS)
        assert rows[3] == ['4', 'eth:ethertype:ip:tcp:tls', 'TLSv1', 'Client Hello']

    def test_3478_by_decode_as_is_stun(self, run, run_builtin):
        dfilter = 'frame.number >= 142 && frame.number <= 161'
        assert run(STUN_PCAP, COLS, dfilter=dfilter, extra=['-d', 'tcp.port==3478,stun']) == \
            run_builtin(STUN_PCAP, COLS, dfilter=dfilter)

    def test_one_port_back_keeps_the_other(self, run):
        # 3478 given back to STUN; 443 stays MSSTUN's, and the reverse.
        extra = ['-d', 'tcp.port==3478,stun']
        assert run(TCP443, COLS, dfilter='frame.number == 4', extra=extra) == \
            [['4', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Pseudo-TLS Client Hello']]
        assert run(STUN_PCAP, COLS, dfilter='frame.number == 143', extra=extra) == \
            [['143', 'eth:ethertype:ip:tcp:stun', 'STUN', 'Allocate Request UDP']]
        extra = ['-d', 'tcp.port==443,tls']
        assert run(TCP443, COLS, dfilter='frame.number == 4', extra=extra) == \
            [['4', 'eth:ethertype:ip:tcp:tls', 'TLSv1', 'Client Hello']]
        assert run(STUN_PCAP, COLS, dfilter='frame.number == 143', extra=extra) == \
            [['143', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request']]

    def test_port_added(self, run):
        extra = ['-o', 'msstun.tcp.port:443,3478,3479']
        assert run(STUN_TCP_MULTI, COLS, dfilter='frame.number == 5', extra=extra) == \
            [['5', 'eth:ethertype:ip:tcp:msstun', 'MSSTUN', 'Allocate Request ; Allocate Request ; Allocate Request']]
        assert run(STUN_TCP_MULTI, COLS, dfilter='frame.number == 5')[0][2] != 'MSSTUN'

    def test_disabled_tcp443_identical(self, run, run_builtin):
        assert run(TCP443, COLS, extra=['--disable-protocol', 'msstun']) == run_builtin(TCP443, COLS)


class TestTurnTcp3478Midstream:
    # RFC 5766 TURN over TCP 3478 caught mid-stream (no Allocate, no ChannelBind
    # in the capture): padded ChannelData carrying RTP, two in one segment, a
    # Refresh exchange (captures/gen_msturn.py).
    def test_every_frame(self, run):
        rows = run(TCP3478_MID, ['frame.number', 'frame.protocols', 'msstun.channel', 'msstun.channel.length',
                                 'msstun.channel.padding', 'rtp.ssrc', 'rtp.seq', 'msstun.type'],
                   dfilter='tcp.len > 0')
        m = 'eth:ethertype:ip:tcp:msstun'
        assert rows == [
            ['1', m + ':rtp', '0x4001', '73', '000000', '0x2c3d4e5f', '5000', ''],
            ['3', m + ':rtp', '0x4001', '74', '0000', '0x6a7b8c9d', '9000', ''],
            ['5', m + ':rtp:rtp', '0x4001,0x4001', '73,73', '000000,000000', '0x2c3d4e5f,0x2c3d4e5f',
             '5001,5002', ''],
            ['7', m, '', '', '', '', '', '0x0004'],
            ['9', m, '', '', '', '', '', '0x0104'],
            ['11', m + ':rtp', '0x4001', '74', '0000', '0x6a7b8c9d', '9001', ''],
        ]


class TestDecodeAs:
    def test_tls_client_hello_split_reassembles(self, run, run_builtin):
        # Real TLS on a port given to MSSTUN by Decode As is TLS's, reassembled:
        # the split ClientHello is one "Client Hello" in frame 6, and the
        # connection decrypts with the key log, as under Decode As TLS.
        f = ['frame.number', '_ws.col.Protocol', '_ws.col.Info', 'tls.handshake.type', 'sip.Method',
             'sip.Status-Code']
        keys = ['-o', 'tls.keylog_file:' + TLS_KEYLOG_KEYS, '-d', 'tls.port==8443,sip']
        rows = run(TLS_SPLIT, f, extra=['-d', 'tcp.port==8443,msstun'] + keys)
        # Wireshark 4.2 and later add the server name to the Info of a
        # ClientHello, 4.4 and 4.6 also name the version the handshake
        # settled on (TLS 1.3).
        hello = ['TLSv1.3' if ws_at_least(4, 4) else 'TLSv1',
                 'Client Hello (SNI=edge.example.com)' if ws_at_least(4, 2) else 'Client Hello']
        assert rows[5] == ['6'] + hello + ['1', '', '']
        assert [r[4:] for r in rows if r[4] or r[5]] == [['OPTIONS', ''], ['', '200']]
        assert rows == run_builtin(TLS_SPLIT, f, extra=['-d', 'tcp.port==8443,tls'] + keys)

    def test_peer_to_peer_port(self, run):
        rows = run(MSICE2, COLS + ['msstun.type', 'rtp.seq', 'rtp.ssrc', 'rtcp.pt', '_ws.malformed'],
                   extra=['-d', 'udp.port==50012,msstun'])
        m = 'eth:ethertype:ip:udp:msstun'
        stun = [[m, 'MSSTUN', info, t, '', '', '', ''] for info, t in [
            ('Binding Request user pQ7z:Ab3d controlling', '0x0001'),
            ('Binding Success Response mapped 10.0.0.10:50010', '0x0101'),
            ('Binding Request user Ab3d:pQ7z controlled', '0x0001'),
            ('Binding Success Response mapped 203.0.113.9:50012', '0x0101'),
            ('Binding Request user pQ7z:Ab3d controlling use-candidate', '0x0001'),
            ('Binding Success Response mapped 10.0.0.10:50010', '0x0101'),
            ('Binding Request user pQ7z:Ab3d controlling', '0x0001'),  # unpadded MS-ICE2: not malformed
            ('Binding Success Response mapped 10.0.0.10:50010', '0x0101'),
            ('Binding Request user pQ7z:Ab3d controlling', '0x0001'),
            ('Binding Request user pQ7z:Ab3d controlling', '0x0001'),
            ('Binding Success Response mapped 10.0.0.10:50010', '0x0101'),
            ('Binding Request user Ab3d:pQ7z controlling', '0x0001'),
            ('Binding Error Response error 487 Role Conflict', '0x0111'),
        ]]
        media = [
            [m + ':rtp', 'RTP', 'PT=ITU-T G.711 PCMU, SSRC=0xA0B0C0D, Seq=30000, Time=8000, Mark', '', '30000',
             '0x0a0b0c0d', '', ''],
            [m + ':rtp', 'RTP', 'PT=ITU-T G.711 PCMA, SSRC=0x7E7F7071, Seq=40000, Time=96000, Mark', '', '40000',
             '0x7e7f7071', '', ''],
            [m + ':rtp', 'RTP', 'PT=ITU-T G.711 PCMU, SSRC=0xA0B0C0D, Seq=30001, Time=8160', '', '30001',
             '0x0a0b0c0d', '', ''],
            [m + ':rtp', 'RTP', 'PT=ITU-T G.711 PCMA, SSRC=0x7E7F7071, Seq=40001, Time=96160', '', '40001',
             '0x7e7f7071', '', ''],
            [m + ':rtcp', 'RTCP', SR_SDES, '', '', '', '200,202', ''],
            [m + ':rtcp', 'RTCP', RR_SDES, '', '', '', '201,202', ''],
        ]
        assert rows == [[str(i + 1)] + r for i, r in enumerate(stun + media)]

    def test_without_decode_as_untouched(self, run, run_builtin):
        assert run(MSICE2, COLS) == run_builtin(MSICE2, COLS)

    def test_tcp_peer_to_peer_ports(self, run):
        rows = run(LIBNICE_443, COLS + ['msstun.rfc4571.length', 'msstun.type'],
                   dfilter='(tcp.port == 52431 || tcp.port == 36337) && tcp.len > 0',
                   extra=['-d', 'tcp.port==52431,msstun', '-d', 'tcp.port==36337,msstun'])
        m = 'eth:ethertype:ip:tcp:msstun'
        assert rows == [
            ['35', m, 'MSSTUN', 'Binding Request controlled user ndl4:lMLf', '104', '0x0001'],
            ['40', m, 'MSSTUN', 'Binding Request controlling user lMLf:ndl4', '104', '0x0001'],
            ['42', m, 'MSSTUN', 'Binding Success Response mapped 127.0.0.1:52373 user ndl4:lMLf', '88', '0x0101'],
            ['44', m, 'MSSTUN', 'Binding Success Response mapped 127.0.0.1:51987 user lMLf:ndl4', '88', '0x0101'],
            ['46', m, 'MSSTUN', 'Binding Request controlled user ndl4:lMLf', '104', '0x0001'],
            ['51', m, 'MSSTUN', 'Binding Success Response mapped 127.0.0.1:36337 user ndl4:lMLf', '88', '0x0101'],
        ]


# ---------------------------------------------------------------------------
# Single pass and two passes agree
# ---------------------------------------------------------------------------

TWO_PASS_CAPTURES = [TCP443, MIDSTREAM, LIBNICE_443, COTURN_TCP, COTURN_6062, STUN_DTLS_RTP]


@pytest.mark.parametrize('capture', TWO_PASS_CAPTURES, ids=[os.path.basename(c) for c in TWO_PASS_CAPTURES])
def test_two_pass_same_as_single_pass(run, capture):
    # Not the Protocol column: DTLS itself names a Client Hello "DTLS" on the first
    # pass and "DTLSv1.2" on the second (the same without the plugin).
    f = ['frame.number', 'frame.protocols', '_ws.col.Info', 'msstun.type', 'msstun.tcp.type',
         'msstun.rfc4571.length', 'rtp.seq', 'rtcp.pt']
    single = run(capture, f)
    double = run(capture, f + ['tcp.reassembled_in'], extra=['-2'])
    expected = [row[:] for row in single]
    if ws_at_least(4, 4):
        # On a second pass, the TCP of Wireshark 4.4 and 4.6 names in Info the
        # frame that reassembles a segment, which a single pass cannot know.
        for want, got in zip(expected, double):
            if got[-1] and got[-1] != got[0]:
                want[2] += ' [TCP PDU reassembled in %s]' % got[-1]
    assert [row[:-1] for row in double] == expected
    assert any(r[3] or r[4] for r in single)
