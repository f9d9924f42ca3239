# suite_reports.py
# The troubleshooting reports (tap-msstun.c): tshark -z msstun,allocations
# and -z msstun,checks, and the expert items on the frames themselves.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import pytest

# What an engineer reads first (the relayed traffic, the active
# destination, the errors), then the bookkeeping.
ALLOC_COLUMNS = ['Client', 'Server', 'Transport', 'Peers', 'Active Destination', 'Errors', 'Unanswered',
                 '401 Challenges', 'Relayed', 'Reflexive', 'Requests', 'Retries', 'Refreshes', 'Lifetime',
                 'Bandwidth Admission', 'MS-Version', 'First Frame', 'Last Frame']
CHECK_COLUMNS = ['Local', 'Remote', 'Transport', 'Username', 'Requests L>R', 'Success R>L', 'Errors R>L',
                 'Requests R>L', 'Success L>R', 'Errors L>R', 'Use-Candidate', 'Role Conflicts', 'Verdict']
HEURISTIC = ['--enable-heuristic', 'msstun_udp']


def parse_reports(out, name):
    '''Every report of that name in tshark's output: [(filter, rows)], rows as lists
    of cells, in the order printed; checks the headers too.'''
    lines = out.splitlines()
    title = {'allocations': 'MSSTUN TURN Allocations:', 'checks': 'MSSTUN ICE Checks:'}[name]
    found = []
    for start in [i for i, line in enumerate(lines) if line == title]:
        assert lines[start + 1].startswith('Filter for statistics: ')
        header = [c.strip() for c in lines[start + 2].split(' |')[:-1]]
        assert header == (ALLOC_COLUMNS if name == 'allocations' else CHECK_COLUMNS)
        assert lines[start + 3] in ('MSSTUN TURN allocations', 'MSSTUN ICE candidate pairs')
        rows = []
        for line in lines[start + 4:]:
            if line.startswith('====='):
                break
            rows.append([c.strip() for c in line.split(' |')[:-1]])
        found.append((lines[start + 1][len('Filter for statistics: '):], rows))
    return found


def columns(rows, *names):
    '''The cells of those allocation columns, in that order, of each row.'''
    return [[row[ALLOC_COLUMNS.index(n)] for n in names] for row in rows]


def report(tshark, capture, name, extra=(), stat_filter=None):
    '''The rows of one report, as lists of cells; checks the header too.'''
    arg = 'msstun,%s' % name + (',' + stat_filter if stat_filter else '')
    found = parse_reports(tshark('-n', '-q', '-r', capture, '-z', arg, *extra), name)
    assert [f for f, _ in found] == [stat_filter or '']
    return found[0][1]


class TestAllocationsReport:
    @pytest.mark.parametrize('capture, stat_filter, expected', [
        pytest.param('msturn-udp3478.pcap', None, [
            # Frame 26, the last Allocate, is never answered.
            '10.0.0.10:50000', '192.0.2.1:3478', 'UDP',
            # Send/Data (2 and 2), then the RTP and RTCP to the active
            # destination (unwrapped, and one in 0xFF10) count too (issue 27).
            '203.0.113.9:50012 sent 6/476B received 5/364B, 203.0.113.9:50014 sent 0/0B received 0/0B',
            # The second Set Active Destination (to 50014) failed: 50012 stays.
            '203.0.113.9:50012 (1 ok, 1 error 439)', '439 x1', '1', '1',
            '192.0.2.15:50000, [2001:db8::15]:50002', '198.51.100.7:40000', '10', '0', '4', '480',
            'Check x1, site responses 3 valid of 4', '6', '1', '26',
        ], id='msturn_udp3478'),
        pytest.param('msturn-udp3478.pcap', 'frame.number<=10', [
            '10.0.0.10:50000', '192.0.2.1:3478', 'UDP', '203.0.113.9:50012 sent 2/176B received 2/156B',
            '203.0.113.9:50012 (1 ok, 0 error)', '', '0', '1', '192.0.2.15:50000, [2001:db8::15]:50002',
            '198.51.100.7:40000', '5', '0', '0', '480', '', '6', '1', '10',
        ], id='display_filter'),
        pytest.param('msturn-tcp443.pcap', None, [
            # Send/Data, and the six end-to-end data frames to the active
            # destination (with their RFC 4571 framing), the last in frame 23
            # (issue 27).
            '10.0.0.10:51000', '192.0.2.1:443', 'TCP', '203.0.113.9:50012 sent 6/488B received 4/320B',
            '203.0.113.9:50012 (1 ok, 0 error)', '', '0', '1', '192.0.2.15:50100, [2001:db8::15]:50102',
            '198.51.100.7:41000', '5', '0', '0', '480', '', '6', '6', '23',
        ], id='msturn_tcp443'),
    ])
    def test_one_allocation(self, tshark, local_capture, capture, stat_filter, expected):
        rows = report(tshark, local_capture(capture), 'allocations', stat_filter=stat_filter)
        assert rows == [expected]

    def test_coturn_channeldata(self, tshark, shared_capture):
        # Five allocations; ChannelData is counted against the peer of its ChannelBind.
        rows = report(tshark, shared_capture('real-peers/coturn-4.6.1-udp-channeldata.pcapng'), 'allocations')
        assert columns(rows, 'Client', 'Server', 'Transport', 'First Frame', 'Last Frame', 'Requests', 'Retries',
                       'Unanswered', '401 Challenges', 'Errors') == [
            ['127.0.0.1:40157', '127.0.0.1:3478', 'UDP', '1', '6', '3', '0', '0', '1', ''],
            ['127.0.0.1:57351', '127.0.0.1:3478', 'UDP', '7', '102', '8', '0', '0', '1', ''],
            ['127.0.0.1:58938', '127.0.0.1:3478', 'UDP', '13', '106', '8', '0', '0', '1', ''],
            ['127.0.0.1:36283', '127.0.0.1:3478', 'UDP', '19', '109', '8', '0', '0', '1', ''],
            ['127.0.0.1:37458', '127.0.0.1:3478', 'UDP', '25', '104', '8', '0', '0', '1', ''],
        ]
        assert columns(rows, 'Relayed', 'Reflexive', 'Lifetime', 'Refreshes', 'MS-Version', 'Peers',
                       'Active Destination', 'Bandwidth Admission') == [
            ['127.0.0.1:49170', '127.0.0.1:40157', '777', '1', '', '', '', ''],
            ['127.0.0.1:49171', '127.0.0.1:57351', '0', '3', '', '127.0.0.1:49161 sent 3/360B received 3/360B', '', ''],
            ['127.0.0.1:49160', '127.0.0.1:58938', '0', '3', '', '127.0.0.1:49172 sent 3/360B received 3/360B', '', ''],
            ['127.0.0.1:49161', '127.0.0.1:36283', '0', '3', '', '127.0.0.1:49171 sent 3/360B received 3/360B', '', ''],
            ['127.0.0.1:49172', '127.0.0.1:37458', '0', '3', '', '127.0.0.1:49160 sent 3/360B received 3/360B', '', ''],
        ]

    def test_two_reports_with_different_filters(self, tshark, shared_capture):
        # Each -z argument counts its own packets: two at once print what
        # each prints alone (tap-msstun.c keeps a report per listener).
        cap = shared_capture('real-peers/coturn-4.6.1-udp-channeldata.pcapng')
        alone = report(tshark, cap, 'allocations')
        filtered = report(tshark, cap, 'allocations', stat_filter='udp.port==57351')
        assert len(alone) == 5 and filtered == [alone[1]]
        out = tshark('-n', '-q', '-r', cap, '-z', 'msstun,allocations', '-z', 'msstun,allocations,udp.port==57351')
        assert sorted(parse_reports(out, 'allocations')) == [('', alone), ('udp.port==57351', filtered)]

    def test_stun_signal(self, tshark, shared_capture):
        rows = report(tshark, shared_capture('third-party/ndpi/stun_signal.pcapng'), 'allocations')
        assert columns(rows, 'Client', 'Server', 'Transport', 'First Frame', 'Last Frame', 'Requests', 'Retries',
                       'Unanswered', '401 Challenges', 'Errors', 'Relayed', 'Reflexive', 'Lifetime') == [
            ['192.168.12.169:39518', '35.158.183.167:3478', 'UDP', '11', '52', '3', '0', '0', '1', '',
             '35.158.183.167:62696', '93.47.225.19:11888', '0'],
            ['192.168.12.169:47204', '35.158.183.167:3478', 'UDP', '15', '53', '3', '0', '0', '1', '',
             '35.158.183.167:54498', '93.47.225.19:11889', '0'],
            ['192.168.12.169:39950', '35.158.183.167:3478', 'UDP', '67', '286', '7', '0', '0', '1', '',
             '35.158.183.167:52495', '93.47.225.19:11911', '0'],
            ['192.168.12.169:43068', '35.158.183.167:3478', 'UDP', '69', '285', '7', '0', '0', '1', '',
             '35.158.183.167:64458', '93.47.225.19:11910', '0'],
            ['192.168.12.169:47767', '35.158.122.211:3478', 'UDP', '294', '457', '7', '0', '0', '1', '',
             '35.158.122.211:51358', '93.47.225.19:11928', '0'],
            ['192.168.12.169:37970', '35.158.122.211:3478', 'UDP', '297', '458', '7', '0', '0', '1', '',
             '35.158.122.211:51073', '93.47.225.19:11929', '0'],
        ]
        assert rows[3][ALLOC_COLUMNS.index('Peers')] == ('18.195.131.143:61156 sent 2/160B received 2/160B, 18.195.131.143:52463 sent 0/0B '
                               'received 0/0B, 18.195.131.143:57646 sent 0/0B received 0/0B, 18.195.131.143:58207 '
                               'sent 0/0B received 0/0B')

    def test_unanswered_allocate(self, tshark, shared_capture):
        # libnice OC2007R2: an Allocate sent three times to a server that never answers.
        rows = report(tshark, shared_capture('real-peers/libnice-0.1.21-OC2007R2-loopback.pcapng'), 'allocations')
        assert rows == [['127.0.0.1:36334', '127.0.0.1:3478', 'UDP', '', '', '', '1', '0', '', '', '1', '2', '0', '',
                         '', '1', '13', '21']]


class TestChecksReport:
    def test_learning_capture(self, tshark, local_capture):
        rows = report(tshark, local_capture('msturn-learning.pcap'), 'checks', extra=HEURISTIC)
        assert rows == [
            ['10.0.0.10:50000', '203.0.113.50:53000', 'TURN/UDP', 'pQ7z:Ab3d', '1', '1', '0', '0', '0', '0', 'no',
             '0', 'no check from remote'],
            ['192.0.2.15:52000', '203.0.113.50:53000', 'UDP', 'pQ7z:Ab3d', '1', '1', '0', '0', '0', '0', 'no', '0',
             'no check from remote'],
            ['10.0.0.10:50010', '203.0.113.60:54000', 'UDP', 'pQ7z:Ab3d', '1', '1', '0', '1', '1', '0', 'no', '0',
             'valid'],
            ['10.0.0.10:50030', '203.0.113.80:56000', 'UDP', 'pQ7z:Ab3d', '1', '0', '0', '0', '0', '0', 'no', '0',
             'checks from local never answered; no check from remote'],
        ]

    def test_two_reports_with_different_filters(self, tshark, local_capture):
        cap = local_capture('msturn-learning.pcap')
        alone = report(tshark, cap, 'checks', extra=HEURISTIC)
        filtered = report(tshark, cap, 'checks', extra=HEURISTIC, stat_filter='udp.port==54000')
        assert len(alone) == 4 and filtered == [alone[2]]
        out = tshark('-n', '-q', '-r', cap, '-z', 'msstun,checks', '-z', 'msstun,checks,udp.port==54000', *HEURISTIC)
        assert sorted(parse_reports(out, 'checks')) == [('', alone), ('udp.port==54000', filtered)]

    def test_role_conflict_and_bad_fingerprint(self, tshark, local_capture):
        rows = report(tshark, local_capture('msice2-checks.pcap'), 'checks', extra=['-d', 'udp.port==50010,msstun'])
        assert rows == [['10.0.0.10:50010', '203.0.113.9:50012', 'UDP', 'pQ7z:Ab3d', '5', '4', '0', '2', '1', '1',
                         'yes', '1', 'valid']]

    def test_skype_conference_call(self, tshark, shared_capture):
        rows = report(tshark, shared_capture('third-party/ndpi/skype-conference-call.pcap'), 'checks',
                      extra=HEURISTIC)
        assert rows == [['192.168.2.20:49282', '104.46.40.49:60642', 'UDP', 'gppe:zWyk', '3', '3', '0', '2', '2',
                         '0', 'no', '0', 'valid']]

    def test_stun_signal(self, tshark, shared_capture):
        rows = report(tshark, shared_capture('third-party/ndpi/stun_signal.pcapng'), 'checks', extra=HEURISTIC)
        assert rows == [
            ['192.168.12.169:43068', '18.195.131.143:61156', 'UDP', 'WJsu:mNwq', '8', '8', '0', '8', '8', '0', 'no',
             '0', 'valid'],
            ['192.168.12.169:43068', '18.195.131.143:61156', 'TURN/UDP', 'WJsu:mNwq', '1', '1', '0', '1', '1', '0',
             'no', '0', 'valid'],
            ['192.168.12.169:47767', '18.195.131.143:54054', 'UDP', '1EZs:7kss', '2', '2', '0', '1', '1', '0', 'no',
             '0', 'valid'],
            ['192.168.12.169:47767', '18.195.131.143:61498', 'UDP', '1EZs:7kss', '5', '5', '0', '5', '5', '0', 'no',
             '0', 'valid'],
            ['18.195.131.143:55640', '192.168.12.169:47767', 'TURN/UDP', '7kss:1EZs', '1', '1', '0', '0', '0', '0',
             'no', '0', 'no check from remote'],
        ]

    def test_libnice_oc2007r2(self, tshark, shared_capture):
        rows = report(tshark, shared_capture('real-peers/libnice-0.1.21-OC2007R2-loopback.pcapng'), 'checks',
                      extra=HEURISTIC)
        assert rows == [['127.0.0.1:40617', '127.0.0.1:36334', 'UDP', 'lGbK:GTzl', '1', '1', '0', '2', '2', '0',
                         'yes', '0', 'valid']]

    def test_one_and_two_pass_agree(self, tshark, local_capture):
        one = report(tshark, local_capture('msturn-learning.pcap'), 'checks', extra=HEURISTIC)
        two = report(tshark, local_capture('msturn-learning.pcap'), 'checks', extra=HEURISTIC + ['-2'])
        assert one == two


class TestFrameExperts:
    def test_failed_pair_and_unanswered_request(self, tshark, local_capture):
        rows = tshark.fields(local_capture('msturn-learning.pcap'), ['frame.number', '_ws.expert.message'],
                             dfilter='msstun.pair_not_valid || msstun.no_response', extra=HEURISTIC + ['-2'])
        assert rows == [
            ['6', 'ICE candidate pair not valid: checks in the other direction never succeeded'],
            ['57', 'No response seen to this request,'
                   'ICE candidate pair not valid: checks in this direction never succeeded'],
        ]

    def test_no_pair_verdict_on_first_pass(self, tshark, local_capture):
        rows = tshark.fields(local_capture('msturn-learning.pcap'), ['frame.number'],
                             dfilter='msstun.pair_not_valid', extra=HEURISTIC)
        assert rows == []

    def test_allocation_errors_and_role_conflict(self, tshark, local_capture):
        rows = tshark.fields(local_capture('msturn-udp3478.pcap'), ['frame.number', '_ws.expert.message'],
                             dfilter='msstun.error_response || msstun.auth_challenge')
        assert rows == [
            ['2', 'Authentication challenge: 401 Unauthorized'],
            ['18', 'Set Active Destination error 439 Active Destination Already Set'],
        ]
        rows = tshark.fields(local_capture('msice2-checks.pcap'), ['frame.number', '_ws.expert.message'],
                             dfilter='msstun.error_response', extra=['-d', 'udp.port==50010,msstun'])
        assert rows == [['13', 'Binding error 487 Role Conflict']]
