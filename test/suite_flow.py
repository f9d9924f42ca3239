# suite_flow.py
# The call flow and the media paths (tap-msstun-flow.c): tshark -z
# flow,msstun,network (Statistics > Flow Graph) and -z msstun,media.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import re

from conftest import ws_at_least
from msturn_info import INFO_TCP443, INFO_UDP3478

HEURISTIC = ['--enable-heuristic', 'msstun_udp']
MEDIA_COLUMNS = ['SSRC', 'Verdict', 'Loss', 'Jitter', 'Round Trip', 'MOS', 'Path', 'Hops', 'Setup Frame',
                 'Learned From', 'Captured On', 'Packets', 'Lost', 'Sequence Errors', 'Max Jitter (ms)',
                 'Mean Jitter (ms)', 'Expected', 'Loss (%)', 'Duplicates', 'Max Delta (ms)', 'Payload Types',
                 'Receiver Report', 'RTCP']
# The columns media() returns, in this order: all but the quality verdict and its figures
# (Verdict to MOS, suite_quality's).
MEDIA_ROW = ['SSRC', 'Setup Frame', 'Learned From', 'Path', 'Hops', 'Captured On', 'Packets', 'Lost',
             'Sequence Errors', 'Max Jitter (ms)', 'Mean Jitter (ms)', 'Expected', 'Loss (%)', 'Duplicates',
             'Max Delta (ms)', 'Payload Types', 'Receiver Report', 'RTCP']


def flow(tshark, capture, stat_filter=None, extra=()):
    '''The arrows of -z flow,msstun,network: [time, label (as tshark cuts it
    to the node spacing), "src port -> dst port", comment].'''
    arg = 'flow,msstun,network' + (',' + stat_filter if stat_filter else '')
    lines = tshark('-n', '-q', '-r', capture, '-z', arg, *extra).splitlines()
    arrows = []
    for i, line in enumerate(lines):
        if re.match(r'^\|\d+\.\d+ *\|', line):
            arrow = lines[i + 1]
            ports = re.findall(r'\((\d+)\)', arrow)
            if '>' not in arrow:
                ports.reverse()
            arrows.append([line[1:10].strip(), line[10:len(arrow)].strip(' |'), '%s -> %s' % tuple(ports),
                           line[len(arrow):]])
    return arrows


def media(tshark, capture, stat_filter=None, extra=()):
    '''The rows of -z msstun,media, as lists of cells; checks the header too.'''
    arg = 'msstun,media' + (',' + stat_filter if stat_filter else '')
    lines = tshark('-n', '-q', '-r', capture, '-z', arg, *extra).splitlines()
    start = lines.index('MSSTUN Media Paths:')
    assert lines[start + 1] == 'Filter for statistics: %s' % (stat_filter or '')
    assert [c.strip() for c in lines[start + 2].split(' |')[:-1]] == MEDIA_COLUMNS
    assert lines[start + 3] == 'MSSTUN media paths'
    rows = []
    for line in lines[start + 4:]:
        if line.startswith('====='):
            break
        cells = [c.strip() for c in line.split(' |')[:-1]]
        # The empty report's single cell stays as it is.
        rows.append([cells[MEDIA_COLUMNS.index(c)] for c in MEDIA_ROW] if len(cells) == len(MEDIA_COLUMNS) else cells)
    return rows


def rtp_streams(tshark, capture, extra=()):
    '''-z rtp,streams: (src, dst, SSRC) -> [packets, lost, mean jitter, max jitter].'''
    streams = {}
    for line in tshark('-n', '-q', '-r', capture, '-z', 'rtp,streams', *extra).splitlines():
        m = re.match(r'^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-F]{8})\s+.*?\s(\d+)\s+(-?\d+) '
                     r'\([\d.]+%\)\s+\S+\s+\S+\s+\S+\s+\S+\s+(\S+)\s+(\S+)', line)
        if m:
            key = ('%s:%s > %s:%s' % m.group(1, 2, 3, 4), '0x' + m.group(5).lower())
            streams[key] = [m.group(6), m.group(7), m.group(8), m.group(9)]
    return streams


def control_arrow(info, n, label, ports):
    '''The arrow of the MS-TURN message of frame n of a generated capture (frame n at (n - 1) x
    20 ms): its comment is the frame's Info (info: msturn_info.py's).'''
    return ['%.6f' % ((n - 1) * 0.02), label, ports, info[n]]


class TestFlowGraph:
    def test_every_arrow_tcp443(self, tshark, local_capture):
        # Pseudo-TLS, the MS-TURN exchange, relayed checks in DATA (frame 11
        # holds two Data Indications), and the end-to-end media summarised.
        up, down = '51000 -> 443', '443 -> 51000'
        assert flow(tshark, local_capture('msturn-tcp443.pcap')) == [
            ['0.060000', 'pseudo ClientHello', up, 'MS-TURN pseudo-TLS ClientHello'],
            ['0.080000', 'pseudo ServerHello', down, 'MS-TURN pseudo-TLS ServerHello'],
            control_arrow(INFO_TCP443, 6, 'Allocate Req', up), control_arrow(INFO_TCP443, 7, 'Allocate 401', down),
            control_arrow(INFO_TCP443, 8, 'Allocate Req', up), control_arrow(INFO_TCP443, 9, 'Allocate OK', down),
            control_arrow(INFO_TCP443, 10, 'Send: Binding Req', up),
            control_arrow(INFO_TCP443, 11, 'Data: Binding OK', down),
            control_arrow(INFO_TCP443, 11, 'Data: Binding Req', down),
            control_arrow(INFO_TCP443, 13, 'Send: Binding OK', up),
            control_arrow(INFO_TCP443, 15, 'Set Active Dest Req', up),
            control_arrow(INFO_TCP443, 16, 'Set Active Dest OK', down),
            ['0.320000', 'RTP SSRC 0x2b3c4d5e', up, '3 packets, frames 17-22, relayed TCP, end-to-end data'],
            ['0.340000', 'RTP SSRC 0x6f7a8b9c', down, '1 packet, frame 18, relayed TCP, end-to-end data'],
            ['0.360000', 'RTCP SSRC 0x2b3c4d5e', up, '1 packet, frame 19, relayed TCP, end-to-end data'],
            ['0.440000', 'RTCP SSRC 0x6f7a8b9c', down, '1 packet, frame 23, relayed TCP, end-to-end data'],
        ]

    def test_media_summarised_with_filter_two_pass(self, tshark, local_capture):
        # One arrow per stream across its carriers: Send DATA, then plain UDP
        # after Set Active Destination, then 0xFF10.  The Send and Data
        # Indication that carry media have no arrow of their own.
        up, down = '50000 -> 3478', '3478 -> 50000'
        assert flow(tshark, local_capture('msturn-udp3478.pcap'), 'frame.number>=7 && frame.number<=19',
                    extra=['-2']) == [
            ['0.120000', 'RTP SSRC 0x1a2b3c4d', up,
             '4 packets, frames 7-19, relayed UDP, Send/Data peer 203.0.113.9:50012, then UDP, '
             'then relayed UDP, 0xFF10 multiplexed'],
            ['0.140000', 'RTCP SSRC 0x5e6f7a8b', down,
             '2 packets, frames 8-16, relayed UDP, Send/Data peer 203.0.113.9:50012, then UDP'],
            control_arrow(INFO_UDP3478, 9, 'Set Active Dest Req', up),
            control_arrow(INFO_UDP3478, 10, 'Set Active Dest OK', down),
            ['0.220000', 'RTP SSRC 0x5e6f7a8b', down, '2 packets, frames 12-14, UDP'],
            ['0.280000', 'RTCP SSRC 0x1a2b3c4d', up, '1 packet, frame 15, UDP'],
            control_arrow(INFO_UDP3478, 17, 'Set Active Dest Req', up),
            control_arrow(INFO_UDP3478, 18, 'Set Active Dest 439', down),
        ]

    def test_every_arrow_turn_server(self, tshark, local_capture):
        # Captured on the TURN server: one arrow per stream and leg, the
        # client leg across Send/Data and ChannelData (the ChannelData
        # carrying media has no arrow of its own), the relay leg named as such.
        edge = local_capture(EDGE)
        arrows = flow(tshark, edge)
        assert arrows == EDGE_ARROWS
        assert flow(tshark, edge, extra=['-2']) == arrows

    def test_turn_server_filtered(self, tshark, local_capture):
        # The relay legs alone: without the Allocate success in the graph,
        # a relay leg is plain UDP.
        assert flow(tshark, local_capture(EDGE), 'ip.addr==192.0.2.15', extra=['-2']) == [
            ['0.036792', 'RTP SSRC 0xb0b0b002', '5004 -> 49170', '23 packets, frames 5-98, UDP'],
            ['0.066704', 'RTP SSRC 0xa11ce001', '49170 -> 5004', '23 packets, frames 11-103, UDP'],
            ['0.308595', 'RTCP SSRC 0xa11ce001', '49170 -> 5004', '1 packet, frame 59, UDP'],
            ['0.318441', 'RTCP SSRC 0xb0b0b002', '5004 -> 49170', '1 packet, frame 60, UDP'],
            ['0.824986', 'RTP SSRC 0xd00dfeed', '5006 -> 49180', '11 packets, frames 117-159, UDP'],
            ['0.830432', 'RTP SSRC 0xc0ffee03', '49180 -> 5006', '12 packets, frames 120-162, UDP'],
        ]

    def test_one_and_two_pass_agree(self, tshark, local_capture):
        one = flow(tshark, local_capture('msturn-learning.pcap'), extra=HEURISTIC)
        two = flow(tshark, local_capture('msturn-learning.pcap'), extra=HEURISTIC + ['-2'])
        assert one == two
        # Parts A and B: 10 messages and 4 streams; part C: 4 checks and 3
        # streams; part E: the unanswered check.
        assert len(one) == 22


EDGE = 'turn-edge-relay.pcap'
EDGE_PEER_DATA = 'relayed UDP, Send/Data peer 203.0.113.70:5004, then relayed UDP, ChannelData 0x4000'
EDGE_ARROWS = [
    ['0.000000', 'Allocate Req', '50200 -> 3478', 'Allocate Request'],
    ['0.000380', 'Allocate 401', '3478 -> 50200', 'Allocate Error Response error 401 Unauthorized'],
    ['0.021000', 'Allocate Req', '50200 -> 3478', 'Allocate Request'],
    ['0.021410', 'Allocate OK', '3478 -> 50200',
     'Allocate Success Response relayed 192.0.2.15:49170 mapped 198.51.100.20:50200 lifetime 600'],
    ['0.036792', 'RTP SSRC 0xb0b0b002', '5004 -> 49170', '23 packets, frames 5-98, relayed UDP, relay leg'],
    ['0.041000', 'CreatePermission Req', '50200 -> 3478', 'CreatePermission Request peer 203.0.113.70:5004'],
    ['0.041350', 'CreatePermission OK', '3478 -> 50200', 'CreatePermission Success Response'],
    ['0.053734', 'RTP SSRC 0xb0b0b002', '3478 -> 50200', '22 packets, frames 9-99, ' + EDGE_PEER_DATA],
    ['0.066457', 'RTP SSRC 0xa11ce001', '50200 -> 3478', '23 packets, frames 10-102, ' + EDGE_PEER_DATA],
    ['0.066704', 'RTP SSRC 0xa11ce001', '49170 -> 5004', '23 packets, frames 11-103, relayed UDP, relay leg'],
    ['0.095000', 'ChannelBind Req', '50200 -> 3478', 'ChannelBind Request channel 0x4000 peer 203.0.113.70:5004'],
    ['0.095330', 'ChannelBind OK', '3478 -> 50200', 'ChannelBind Success Response'],
    ['0.308398', 'RTCP SSRC 0xa11ce001', '50200 -> 3478', '1 packet, frame 58, relayed UDP, ChannelData 0x4000'],
    ['0.308595', 'RTCP SSRC 0xa11ce001', '49170 -> 5004', '1 packet, frame 59, relayed UDP, relay leg'],
    ['0.318441', 'RTCP SSRC 0xb0b0b002', '5004 -> 49170', '1 packet, frame 60, relayed UDP, relay leg'],
    ['0.318594', 'RTCP SSRC 0xb0b0b002', '3478 -> 50200', '1 packet, frame 61, relayed UDP, ChannelData 0x4000'],
    ['0.581000', 'Refresh Req', '50200 -> 3478', 'Refresh Request lifetime 0'],
    ['0.581300', 'Refresh OK', '3478 -> 50200', 'Refresh Success Response lifetime 0'],
    # The MS-TURN call over TCP 443 (tshark cuts its labels to a wider span).
    ['0.724400', 'pseudo ClientHello', '51500 -> 443', 'MS-TURN pseudo-TLS ClientHello'],
    ['0.724650', 'pseudo ServerHello', '443 -> 51500', 'MS-TURN pseudo-TLS ServerHello'],
    ['0.748800', 'Allocate Req', '51500 -> 443', 'Allocate Request'],
    ['0.749100', 'Allocate 401', '443 -> 51500', 'Allocate Error Response error 401 Unauthorized'],
    ['0.773300', 'Allocate Req', '51500 -> 443', 'Allocate Request'],
    ['0.773700', 'Allocate OK', '443 -> 51500',
     'Allocate Success Response relayed 192.0.2.15:49180 mapped 198.51.100.30:51500 lifetime 480'],
    ['0.797800', 'Set Active Dest Req', '51500 -> 443',
     'Set Active Destination Request to 203.0.113.80:5006'],
    ['0.798100', 'Set Active Dest OK', '443 -> 51500', 'Set Active Destination Success Response'],
    ['0.824986', 'RTP SSRC 0xd00dfeed PT 0', '5006 -> 49180', '11 packets, frames 117-159, relayed UDP, relay leg'],
    ['0.825129', 'RTP SSRC 0xd00dfeed PT 0', '443 -> 51500',
     '11 packets, frames 118-160, relayed TCP, end-to-end data'],
    ['0.830327', 'RTP SSRC 0xc0ffee03 PT 8', '51500 -> 443',
     '12 packets, frames 119-161, relayed TCP, end-to-end data'],
    ['0.830432', 'RTP SSRC 0xc0ffee03 PT 8', '49180 -> 5006', '12 packets, frames 120-162, relayed UDP, relay leg'],
]


def zero_report(reporter):
    '''The Receiver Report cell of a report block of the generators that
    report no loss (jitter 12 at PT 104, whose clock rate is unknown).'''
    return 'by %s: fraction lost 0/256 (0.0%%), cumulative lost 0, jitter 12 timestamp units' % reporter


def edge_rows():
    '''The media paths of turn-edge-relay.pcap: each stream once, with its two
    legs (relay leg first for the peers' streams).  The first peer's first
    packet reached the relayed address before the permission and was
    dropped there (23 / 22).  Seq 5005, 7008 and 9006 were lost before the
    server, seq 5010 came after 5011: sequence errors at 5006, 5011 and
    5010, at 7009 and at 9007.  Wireshark 4.0 and 4.2 count the late packet
    in the jitter statistics, 4.4 and 4.6 do not.'''
    a_jitter = ['2.962 / 2.981', '1.759 / 1.773'] if ws_at_least(4, 4) else ['4.748 / 4.768', '2.560 / 2.575']
    return [
        ['0xb0b0b002', '4', 'Allocate Success relayed 192.0.2.15:49170',
         'relayed UDP, relay leg; relayed UDP, Send/Data; relayed UDP, ChannelData',
         '203.0.113.70:5004 > 192.0.2.15:49170 > 192.0.2.1:3478 > 198.51.100.20:50200',
         '203.0.113.70:5004 > 192.0.2.15:49170 / 192.0.2.1:3478 > 198.51.100.20:50200',
         '23 / 22', '1 / 1', '1 / 1', '1.662 / 1.605', '1.311 / 1.255', '24 / 23', '4.2 / 4.3', '0 / 0',
         '38.403 / 38.358', '9',
         'by 0xa11ce001: fraction lost 23/256 (9.0%), cumulative lost 1, jitter 1.250 ms',
         '2 sent, 2 reports about it'],
        ['0xa11ce001', '4', 'Allocate Success relayed 192.0.2.15:49170',
         'relayed UDP, Send/Data; relayed UDP, relay leg; relayed UDP, ChannelData',
         '198.51.100.20:50200 > 192.0.2.1:3478 > 192.0.2.15:49170 > 203.0.113.70:5004',
         '198.51.100.20:50200 > 192.0.2.1:3478 / 192.0.2.15:49170 > 203.0.113.70:5004',
         '23 / 23', '1 / 1', '3 / 3'] + a_jitter + ['24 / 24', '4.2 / 4.2', '0 / 0', '40.934 / 40.966', '0',
                                                'by 0xb0b0b002: fraction lost 17/256 (6.6%), cumulative lost 1, '
                                                'jitter 4.125 ms', '2 sent, 2 reports about it'],
        ['0xd00dfeed', '114', 'Allocate Success relayed 192.0.2.15:49180',
         'relayed UDP, relay leg; relayed TCP, end-to-end data',
         '203.0.113.80:5006 > 192.0.2.15:49180 > 192.0.2.1:443 > 198.51.100.30:51500',
         '203.0.113.80:5006 > 192.0.2.15:49180 / 192.0.2.1:443 > 198.51.100.30:51500',
         '11 / 11', '1 / 1', '1 / 1', '1.010 / 1.021', '0.777 / 0.788', '12 / 12', '8.3 / 8.3', '0 / 0',
         '40.894 / 40.888', '0', '', ''],
        ['0xc0ffee03', '114', 'carried by TURN, Allocate Success relayed 192.0.2.15:49180',
         'relayed TCP, end-to-end data; relayed UDP, relay leg',
         '198.51.100.30:51500 > 192.0.2.1:443 > 192.0.2.15:49180 > 203.0.113.80:5006',
         '198.51.100.30:51500 > 192.0.2.1:443 / 192.0.2.15:49180 > 203.0.113.80:5006',
         '12 / 12', '0 / 0', '0 / 0', '1.171 / 1.179', '0.873 / 0.874', '12 / 12', '0.0 / 0.0', '0 / 0',
         '25.807 / 25.782', '8', '', ''],
    ]


LEARNING_ROWS = [
    ['0xb10c0a01', '5', 'Send Request to 203.0.113.50:53000', 'relayed UDP, relay leg',
     '10.0.0.10:50000 > 192.0.2.1:3478 > 192.0.2.15:52000 > 203.0.113.50:53000',
     '192.0.2.15:52000 > 203.0.113.50:53000', '10', '0', '0', '0.000', '0.000', '10', '0.0', '0', '60.000',
     '104', zero_report('0xb10c0a02'), '1 sent, 2 reports about it'],
    ['0xb10c0a02', '4', 'Allocate Success relayed 192.0.2.15:52000', 'relayed UDP, relay leg',
     '203.0.113.50:53000 > 192.0.2.15:52000 > 192.0.2.1:3478 > 10.0.0.10:50000',
     '203.0.113.50:53000 > 192.0.2.15:52000', '10', '0', '0', '0.000', '0.000', '10', '0.0', '0', '60.000',
     '104', zero_report('0xb10c0a01'), '2 sent, 1 reports about it'],
    ['0xc20c0a01', '35', 'Binding Success', 'direct UDP', '10.0.0.10:50010 > 203.0.113.60:54000',
     '10.0.0.10:50010 > 203.0.113.60:54000', '6', '0', '0', '0.000', '0.000', '6', '0.0', '0', '60.000',
     '104', '', '1 sent, 0 reports about it'],
    ['0xc20c0a02', '37', 'Binding Success', 'direct UDP', '203.0.113.60:54000 > 10.0.0.10:50010',
     '203.0.113.60:54000 > 10.0.0.10:50010', '6', '0', '0', '0.000', '0.000', '6', '0.0', '0', '60.000',
     '104', zero_report('0xc20c0a01'), '0 sent, 1 reports about it'],
]


class TestMediaPaths:
    def test_learning_capture(self, tshark, local_capture):
        # The relayed leg (relay <-> peer) shows the whole path through the
        # Edge; the direct pair was learned from its checks.
        assert media(tshark, local_capture('msturn-learning.pcap'), extra=HEURISTIC) == LEARNING_ROWS

    def test_two_pass(self, tshark, local_capture):
        assert media(tshark, local_capture('msturn-learning.pcap'), extra=HEURISTIC + ['-2']) == LEARNING_ROWS

    def test_display_filter(self, tshark, local_capture):
        # RTP counts only the filtered frames; RTCP is counted over the file.
        rows = media(tshark, local_capture('msturn-learning.pcap'), 'frame.number<=20', extra=HEURISTIC)
        assert [r[:9] for r in rows] == [
            LEARNING_ROWS[0][:6] + ['5', '0', '0'],
            LEARNING_ROWS[1][:6] + ['4', '0', '0'],
        ]

    def test_udp3478_carriers(self, tshark, local_capture):
        assert media(tshark, local_capture('msturn-udp3478.pcap')) == [
            ['0x1a2b3c4d', '4', 'carried by TURN, Allocate Success relayed 192.0.2.15:50000, [2001:db8::15]:50002',
             'relayed UDP, Send/Data; relayed UDP, active destination; relayed UDP, 0xFF10 multiplexed',
             '10.0.0.10:50000 > 192.0.2.1:3478 > 192.0.2.15:50000 > 203.0.113.9:50012',
             '10.0.0.10:50000 > 192.0.2.1:3478', '4', '0', '0', '0.000', '0.000', '4', '0.0', '0', '120.000',
             '104', zero_report('0x5e6f7a8b'), '1 sent, 2 reports about it'],
            ['0x5e6f7a8b', '4', 'carried by TURN, Allocate Success relayed 192.0.2.15:50000, [2001:db8::15]:50002',
             'relayed UDP, active destination',
             '203.0.113.9:50012 > 192.0.2.15:50000 > 192.0.2.1:3478 > 10.0.0.10:50000',
             '192.0.2.1:3478 > 10.0.0.10:50000', '2', '0', '0', '0.000', '0.000', '2', '0.0', '0', '40.000',
             '104', zero_report('0x1a2b3c4d'), '2 sent, 1 reports about it'],
        ]

    def test_tcp443_end_to_end(self, tshark, local_capture):
        assert media(tshark, local_capture('msturn-tcp443.pcap')) == [
            ['0x2b3c4d5e', '9', 'carried by TURN, Allocate Success relayed 192.0.2.15:50100, [2001:db8::15]:50102',
             'relayed TCP, end-to-end data', '10.0.0.10:51000 > 192.0.2.1:443 > 192.0.2.15:50100 > 203.0.113.9:50012',
             '10.0.0.10:51000 > 192.0.2.1:443', '3', '0', '0', '0.000', '0.000', '3', '0.0', '0', '60.000',
             '104', zero_report('0x6f7a8b9c'), '1 sent, 1 reports about it'],
            ['0x6f7a8b9c', '9', 'carried by TURN, Allocate Success relayed 192.0.2.15:50100, [2001:db8::15]:50102',
             'relayed TCP, end-to-end data', '203.0.113.9:50012 > 192.0.2.15:50100 > 192.0.2.1:443 > 10.0.0.10:51000',
             '192.0.2.1:443 > 10.0.0.10:51000', '1', '0', '0', '0.000', '0.000', '1', '0.0', '0', '0.000',
             '104', zero_report('0x2b3c4d5e'), '1 sent, 1 reports about it'],
        ]

    def test_turn_server_both_legs(self, tshark, local_capture):
        # A stream relayed through the TURN server: one row, one path of four
        # hops, both legs with their own RTP statistics.
        rows = media(tshark, local_capture(EDGE))
        assert rows == edge_rows()
        assert media(tshark, local_capture(EDGE), extra=['-2']) == rows

    def test_turn_server_display_filter(self, tshark, local_capture):
        # The relay legs alone keep the whole paths (the TURN context comes
        # from the whole file).  The clients' streams are first seen on the
        # relay leg, whose RTP setup frame is the message that named the peer.
        rows = media(tshark, local_capture(EDGE), 'ip.addr==192.0.2.15', extra=['-2'])
        relay_leg = [[r[0]] + [c.split(' / ')[r[5].split(' / ').index(leg)] for c in r[5:15]] + r[15:]
                     for r, leg in zip(edge_rows(), ['203.0.113.70:5004 > 192.0.2.15:49170',
                                                      '192.0.2.15:49170 > 203.0.113.70:5004',
                                                      '203.0.113.80:5006 > 192.0.2.15:49180',
                                                      '192.0.2.15:49180 > 203.0.113.80:5006'])]
        full = edge_rows()
        assert rows == [
            full[0][:3] + ['relayed UDP, relay leg', full[0][4]] + relay_leg[0][1:],
            ['0xa11ce001', '6', 'CreatePermission Request to 203.0.113.70:5004', 'relayed UDP, relay leg',
             full[1][4]] + relay_leg[1][1:],
            full[2][:3] + ['relayed UDP, relay leg', full[2][4]] + relay_leg[2][1:],
            ['0xc0ffee03', '115', 'Set Active Destination Request to 203.0.113.80:5006', 'relayed UDP, relay leg',
             full[3][4]] + relay_leg[3][1:],
        ]
        assert [r[5:9] for r in rows][:2] == [['203.0.113.70:5004 > 192.0.2.15:49170', '23', '1', '1'],
                                              ['192.0.2.15:49170 > 203.0.113.70:5004', '23', '1', '3']]
        # The first 60 frames: both legs, the late packet and both losses in them.
        rows = media(tshark, local_capture(EDGE), 'frame.number<=60')
        assert [r[6:9] for r in rows] == [['13 / 12', '1 / 1', '1 / 1'], ['12 / 12', '1 / 1', '3 / 3']]

    def test_same_ssrc_on_two_legs(self, tshark, shared_capture):
        # Signal: the same SSRCs on two candidate pairs, one row each with both legs.
        rows = media(tshark, shared_capture('third-party/ndpi/stun_signal.pcapng'), extra=HEURISTIC)
        assert [r[0] for r in rows] == ['0x000007d1', '0x000003e9', '0x000007dd', '0x000007d2']
        assert rows[2][5:9] == ['18.195.131.143:61156 > 192.168.12.169:43068 / '
                                '18.195.131.143:61498 > 192.168.12.169:47767', '7 / 11', '0 / 1', '0 / 1']


class TestMediaMatchesRtpStreams:
    CAPTURES = [('local', EDGE), ('local', 'msturn-learning.pcap'), ('local', 'msturn-udp3478.pcap'),
                ('local', 'msturn-tcp443.pcap'),
                ('shared', 'third-party/ndpi/stun_signal.pcapng'),
                ('shared', 'third-party/ndpi/skype-conference-call.pcap'),
                ('shared', 'third-party/ndpi/stun_dtls_rtp.pcapng')]

    def test_statistics_equal(self, tshark, local_capture, shared_capture):
        compared = 0
        for where, name in self.CAPTURES:
            capture = local_capture(name) if where == 'local' else shared_capture(name)
            expected = rtp_streams(tshark, capture, extra=HEURISTIC)
            got = {}
            for row in media(tshark, capture, extra=HEURISTIC):
                columns = [row[i].split(' / ') for i in (5, 6, 7, 10, 9)]
                for leg, packets, lost, mean, maximum in zip(*columns):
                    got[(leg, row[0])] = [packets, lost, mean, maximum]
            assert got == expected, name
            compared += len(got)
        assert compared == 28

    def test_nonzero_jitter_and_loss(self, tshark, local_capture):
        # Static payload types (PCMU, G.722: 8000 Hz) with arrival-time
        # variation: jitter, loss and sequence errors on every leg.
        expected = rtp_streams(tshark, local_capture(EDGE))
        assert len(expected) == 8
        for (leg, ssrc), (packets, lost, mean, maximum) in expected.items():
            assert lost == ('0' if ssrc == '0xc0ffee03' else '1')
            assert 0.7 < float(mean) < float(maximum)
        errors = {'0xa11ce001': '3 / 3', '0xb0b0b002': '1 / 1', '0xd00dfeed': '1 / 1', '0xc0ffee03': '0 / 0'}
        assert {row[0]: row[8] for row in media(tshark, local_capture(EDGE))} == errors
