# suite_learning.py
# Media ports learned from STUN/TURN and ICE (conversation_ports.c) and the
# preferences that steer it.  captures/msturn-learning.pcap (see
# `captures/gen_msturn.py --describe`): A = MS-TURN allocation and peer on UDP 3478,
# B = the relayed leg 192.0.2.15:52000 <-> 203.0.113.50:53000, C = a direct
# ICE path 10.0.0.10:50010 <-> 203.0.113.60:54000, D = RTP-shaped bytes no
# STUN message mentions, E = an unanswered check followed by RTP-shaped bytes.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

CAPTURE = 'msturn-learning.pcap'
PART_B = [str(f) for f in range(11, 34) if f != 13 and f != 25 and f != 32]
PART_C_MEDIA = ['38', '39', '40', '41', '42', '43', '44', '45', '47', '48', '49', '50']


def protocols(tshark, capture, extra=()):
    rows = tshark.fields(capture, ['frame.number', 'frame.protocols'], extra=list(extra))
    return {number: protos for number, protos in rows}


def rtp_streams(tshark, capture, extra=()):
    out = tshark('-n', '-q', '-r', capture, '-z', 'rtp,streams', *extra)
    streams = []
    for line in out.splitlines():
        cols = line.split()
        if len(cols) > 8 and cols[6].startswith('0x'):
            streams.append((cols[2], cols[3], cols[4], cols[5], cols[6], cols[8]))
    return sorted(streams)


RELAYED_STREAMS = [
    ('192.0.2.15', '52000', '203.0.113.50', '53000', '0xB10C0A01', '10'),
    ('203.0.113.50', '53000', '192.0.2.15', '52000', '0xB10C0A02', '10'),
]
DIRECT_STREAMS = [
    ('10.0.0.10', '50010', '203.0.113.60', '54000', '0xC20C0A01', '6'),
    ('203.0.113.60', '54000', '10.0.0.10', '50010', '0xC20C0A02', '6'),
]


class TestLearnedMedia:
    def test_relayed_leg_is_rtp(self, tshark, local_capture):
        protos = protocols(tshark, local_capture(CAPTURE))
        for frame in PART_B:
            if frame in ('11', '12') or int(frame) > 13:
                assert protos[frame] == 'eth:ethertype:ip:udp:msstun:rtp', frame
        for frame in ('13', '25', '32'):
            assert protos[frame] == 'eth:ethertype:ip:udp:msstun:rtcp', frame

    def test_stream_setup_by_msstun(self, tshark, local_capture):
        # Relay -> peer is set up by the Send request naming the peer (frame 5),
        # peer -> relay by the Allocate success naming the relay (frame 4).
        rows = tshark.fields(local_capture(CAPTURE),
                             ['frame.number', 'rtp.setup-frame', 'rtp.setup-method', 'rtp.ssrc', 'rtp.seq'],
                             dfilter='frame.number in {11,14,33}')
        assert rows == [
            ['11', '5', 'MSSTUN', '0xb10c0a01', '11000'],
            ['14', '4', 'MSSTUN', '0xb10c0a02', '21000'],
            ['33', '4', 'MSSTUN', '0xb10c0a02', '21009'],
        ]
        rows = tshark.fields(local_capture(CAPTURE),
                             ['frame.number', 'rtcp.setup-method', 'rtcp.pt', 'rtcp.senderssrc'],
                             dfilter='frame.number in {13,25,32}')
        assert rows == [
            ['13', 'MSSTUN,MSSTUN', '201,202', '0xb10c0a02'],
            ['25', 'MSSTUN,MSSTUN', '200,202', '0xb10c0a01'],
            ['32', 'MSSTUN,MSSTUN', '200,202', '0xb10c0a02'],
        ]

    def test_rtp_streams_report(self, tshark, local_capture):
        assert rtp_streams(tshark, local_capture(CAPTURE)) == RELAYED_STREAMS

    def test_unmentioned_and_unanswered_pairs_stay_data(self, tshark, local_capture):
        for extra in ([], ['--enable-heuristic', 'msstun_udp']):
            protos = protocols(tshark, local_capture(CAPTURE), extra)
            for frame in ('51', '52', '53', '54', '55', '56', '58', '59', '60', '61'):
                assert protos[frame] == 'eth:ethertype:ip:udp:data', (frame, extra)

    @pytest.mark.parametrize('two_pass', [False, True], ids=['1pass', '2pass'])
    def test_passes_agree(self, tshark, local_capture, two_pass):
        extra = ['-2'] if two_pass else []
        rows = tshark.fields(local_capture(CAPTURE), ['frame.number', 'frame.protocols', '_ws.col.Info'],
                             extra=extra)
        single = tshark.fields(local_capture(CAPTURE), ['frame.number', 'frame.protocols', '_ws.col.Info'])
        assert rows == single
        assert len(rows) == 61


class TestLearningPreferences:
    def test_learning_off(self, tshark, local_capture):
        protos = protocols(tshark, local_capture(CAPTURE), ['-o', 'msstun.learn_media:FALSE'])
        for frame in PART_B:
            assert protos[frame] == 'eth:ethertype:ip:udp:data', frame
        assert rtp_streams(tshark, local_capture(CAPTURE), ['-o', 'msstun.learn_media:FALSE']) == []
        # The Edge port itself is still decoded.
        assert protos['4'] == 'eth:ethertype:ip:udp:msstun'

    def test_learn_ports_range(self, tshark, local_capture):
        # 52000 and 53000 are outside 1024-51999: nothing on the relayed leg is learned.
        extra = ['-o', 'msstun.learn_ports:1024-51999']
        protos = protocols(tshark, local_capture(CAPTURE), extra)
        assert [protos[f] for f in PART_B] == ['eth:ethertype:ip:udp:data'] * len(PART_B)
        # Only the relay port in range: the relay's conversation (set up by the
        # Allocate success, frame 4) carries both directions.
        extra = ['-o', 'msstun.learn_ports:52000']
        assert rtp_streams(tshark, local_capture(CAPTURE), extra) == RELAYED_STREAMS
        rows = tshark.fields(local_capture(CAPTURE), ['rtp.setup-frame'], dfilter='rtp', extra=extra)
        assert [r[0] for r in rows] == ['4'] * 20

    def test_heuristic_learns_direct_ice_path(self, tshark, local_capture):
        extra = ['--enable-heuristic', 'msstun_udp']
        protos = protocols(tshark, local_capture(CAPTURE), extra)
        for frame in ('34', '35', '36', '37', '57'):
            assert protos[frame] == 'eth:ethertype:ip:udp:msstun', frame
        for frame in PART_C_MEDIA:
            assert protos[frame] == 'eth:ethertype:ip:udp:msstun:rtp', frame
        assert protos['46'] == 'eth:ethertype:ip:udp:msstun:rtcp'
        assert rtp_streams(tshark, local_capture(CAPTURE), extra) == sorted(RELAYED_STREAMS + DIRECT_STREAMS)
        # The 5-tuple was set up by the success response to the first check.
        rows = tshark.fields(local_capture(CAPTURE), ['rtp.setup-frame', 'rtp.setup-method'],
                             dfilter='frame.number == 38', extra=extra)
        assert rows == [['35', 'MSSTUN']]

    def test_heuristic_off_by_default(self, tshark, local_capture):
        protos = protocols(tshark, local_capture(CAPTURE))
        assert protos['34'] == 'eth:ethertype:ip:udp:stun'
        for frame in PART_C_MEDIA:
            assert protos[frame] == 'eth:ethertype:ip:udp:data', frame
