# suite_reports_trust.py
# Reports an engineer can trust (issue 27) and that cost linear time on
# crafted input (issue 25, cases 6 to 8): -z msstun,allocations,
# -z msstun,checks, -z msstun,media and -z flow,msstun,network.
#
#   - Two instances of a report in one run (two -z arguments, one with a
#     filter) print what each prints alone, on every capture in captures/
#     and ../shared/captures.
#   - An empty report says why it is empty.
#   - Media Paths' packet counts per stream equal the RTP packets tshark's
#     own rtp.ssrc field counts, on every capture.
#   - Crafted captures (captures/gen_reports_hostile.py) at n and 4n cost
#     linear time (test/costs.py).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import collections
import importlib.util
import os

import pytest

from conftest import LOCAL_CAPTURES, SHARED_CAPTURES, all_local_captures, all_shared_captures
from costs import assert_linear

HEURISTIC = ['--enable-heuristic', 'msstun_udp']
REPORTS = ['allocations', 'checks', 'media']
TITLES = {'MSSTUN TURN Allocations:': 'allocations', 'MSSTUN ICE Checks:': 'checks',
          'MSSTUN Media Paths:': 'media'}
SMALL_FILTER = 'frame.number<=10'
EVERY_CAPTURE = ([os.path.join(LOCAL_CAPTURES, c) for c in all_local_captures()] +
                 [os.path.join(SHARED_CAPTURES, c) for c in all_shared_captures()])
# The keys each capture's own keys file or preference needs, as the other
# suites pass them; without them the reports are still compared, on what
# is left encrypted.
KEYS = {'srtp-relay.pcap': 'srtp-relay-keys.txt', 'srtp-relay-dyn.pcap': 'srtp-relay-dyn-keys.txt',
        'srtp-roc.pcap': 'srtp-roc-keys.txt'}


def capture_args(capture):
    keys = KEYS.get(os.path.basename(capture))
    extra = ['-o', 'msstun.srtp_keys:' + os.path.join(LOCAL_CAPTURES, keys)] if keys else []
    return ['-n', '-q', '-r', capture] + HEURISTIC + extra


def parse_tables(out):
    '''Every stat table report tshark printed: [(report, filter, rows)], rows
    as lists of cells, in the order printed.'''
    lines = out.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line not in TITLES:
            continue
        assert lines[i + 1].startswith('Filter for statistics: ')
        rows = []
        for row in lines[i + 4:]:
            if row.startswith('====='):
                break
            rows.append([c.strip() for c in row.split(' |')[:-1]])
        found.append((TITLES[line], lines[i + 1][len('Filter for statistics: '):], rows))
    return found


def z_args(reports, stat_filter=None):
    args = []
    for report in reports:
        args += ['-z', 'msstun,%s' % report + (',' + stat_filter if stat_filter else '')]
    return args


@pytest.mark.slow
@pytest.mark.parametrize('capture', EVERY_CAPTURE, ids=os.path.basename)
def test_two_instances_equal_each_alone(tshark, capture):
    '''Each report twice in one run, unfiltered and with a filter, prints the
    rows it prints alone (issue 27: the instances shared one table, and
    SSRC 0x1a2b3c4d of msturn-udp3478.pcap showed 5 packets, Lost -1).'''
    base = capture_args(capture)
    alone = {}
    for stat_filter in (None, SMALL_FILTER):
        for report, got_filter, rows in parse_tables(tshark(*base, *z_args(REPORTS, stat_filter))):
            alone[(report, got_filter)] = rows
    assert len(alone) == 6
    together = parse_tables(tshark(*base, *z_args(REPORTS), *z_args(REPORTS, SMALL_FILTER)))
    assert sorted((r, f) for r, f, _ in together) == sorted(alone)
    for report, got_filter, rows in together:
        assert rows == alone[(report, got_filter)], (report, got_filter)


def test_two_instances_msturn_udp3478(tshark, local_capture):
    # The case of issue 27, exactly: alone, the filtered report counts the
    # stream's one packet up to frame 10 with no loss and no sequence error.
    capture = local_capture('msturn-udp3478.pcap')
    tables = parse_tables(tshark('-n', '-q', '-r', capture, '-z', 'msstun,media',
                                 '-z', 'msstun,media,' + SMALL_FILTER))
    rows = {f: r for _, f, r in tables}
    assert [(r[0], r[6], r[11], r[12], r[13]) for r in rows[SMALL_FILTER]] == [
        ('0x1a2b3c4d', 'relayed UDP, Send/Data', '1', '0', '0')]
    assert [(r[0], r[11], r[12], r[13]) for r in rows['']] == [
        ('0x1a2b3c4d', '4', '0', '0'), ('0x5e6f7a8b', '2', '0', '0')]


class TestEmptyReportSaysWhy:
    def test_checks_on_other_ports(self, tshark, local_capture):
        # msice2-checks.pcap's checks are on ports that only the heuristic
        # (or Decode As) gives to the plugin.
        capture = local_capture('msice2-checks.pcap')
        [(_, _, rows)] = parse_tables(tshark('-n', '-q', '-r', capture, '-z', 'msstun,checks'))
        assert len(rows) == 1
        assert rows[0][0] == ('(none: no ICE connectivity check (Binding request with USERNAME) passed the filter; '
                              'checks on ports other than UDP 3478 and TCP 443 need --enable-heuristic msstun_udp '
                              'or msstun_tcp, or Decode As MSSTUN)')
        [(_, _, rows)] = parse_tables(tshark('-n', '-q', '-r', capture, '-z', 'msstun,checks', *HEURISTIC))
        assert rows and not rows[0][0].startswith('(none')

    def test_allocations_and_media_with_a_filter_that_matches_nothing(self, tshark, local_capture):
        capture = local_capture('msturn-udp3478.pcap')
        tables = parse_tables(tshark('-n', '-q', '-r', capture, '-z', 'msstun,allocations,frame.number==0',
                                     '-z', 'msstun,media,frame.number==0'))
        assert {r: rows[0][0][:40] for r, _, rows in tables} == {
            'allocations': '(none: no TURN allocation message passed',
            'media': '(none: no RTP passed the filter; RTP tha'}
        assert all(len(rows) == 1 for _, _, rows in tables)


@pytest.mark.slow
@pytest.mark.parametrize('capture', EVERY_CAPTURE, ids=os.path.basename)
def test_media_packets_equal_rtp_ssrc_count(tshark, capture):
    '''Each stream's packets (summed over its legs) equal the RTP packets of
    its SSRC that tshark's rtp.ssrc field counts, outside ICMP errors and
    packets the capture cut short inside RTP (the RTP dissector stops there,
    before its tap: -z rtp,streams does not count them either).'''
    base = capture_args(capture)
    counted = collections.Counter()
    for line in tshark(*base[:1], *base[2:], '-T', 'fields', '-e', 'rtp.ssrc', '-Y', 'rtp && !icmp && !_ws.short').splitlines():
        for ssrc in line.split(','):
            if ssrc:
                counted['0x%08x' % int(ssrc, 16)] += 1
    [(_, _, rows)] = parse_tables(tshark(*base, '-z', 'msstun,media'))
    reported = {}
    for row in rows:
        if row[0].startswith('(none'):
            continue
        assert 'more legs' not in row[11]
        reported[row[0]] = sum(int(p) for p in row[11].split(' / '))
    assert reported == dict(counted)


def _generator():
    spec = importlib.util.spec_from_file_location('gen_reports_hostile',
                                                  os.path.join(LOCAL_CAPTURES, 'gen_reports_hostile.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='module')
def make_hostile(ws_root):
    generator = _generator()
    folder = os.path.join(ws_root, 'reports-hostile')
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)

    def make(case):
        def capture(n):
            path = os.path.join(folder, '%s-%d.pcap' % (case, n))
            generator.write_pcap(path, generator.CASES[case](n))
            os.chmod(path, 0o644)
            return path
        return capture
    return make


@pytest.mark.hostile
class TestReportsScaleLinearly:
    def test_allocations_many_peers_relayed_and_errors(self, tshark, tshark_builtin, make_hostile):
        # Case 6: Send indications naming 16 new peers each, Allocate
        # successes with new relayed addresses, Set Active Destination errors.
        assert_linear('reports allocations', tshark, tshark_builtin, make_hostile('allocations'), 250,
                      args=['-q', '-z', 'msstun,allocations'])

    def test_media_new_leg_per_packet(self, tshark, tshark_builtin, make_hostile):
        # Case 7: one SSRC, every packet from a new source port.
        assert_linear('reports media', tshark, tshark_builtin, make_hostile('media'), 1000,
                      args=['-q', '-d', 'udp.port==5004,rtp', '-z', 'msstun,media'])

    def test_media_plain_rtcp_new_ssrcs(self, tshark, tshark_builtin, make_hostile):
        # RTCP without MSSTUN (the frame listener of the media report): each
        # receiver report from a new SSRC about 31 new SSRCs.
        assert_linear('reports media plain rtcp', tshark, tshark_builtin, make_hostile('rtcp'), 1000,
                      args=['-q', '-d', 'udp.port==5005,rtcp', '-z', 'msstun,media'])

    def test_flow_new_channel_per_packet(self, tshark, tshark_builtin, make_hostile):
        # Case 8: one RTP stream on one 5-tuple, a new channel number per packet.
        assert_linear('reports flow', tshark, tshark_builtin, make_hostile('flow'), 4000,
                      args=['-q', '-z', 'flow,msstun,network'])

    def test_bounded_cells(self, tshark, make_hostile):
        # What the cells show of the long lists: the first entries and a count.
        capture = make_hostile('allocations')(80)
        [(_, _, [row])] = parse_tables(tshark('-n', '-q', '-r', capture, '-z', 'msstun,allocations'))
        # Relayed, Peers, Active Destination (tap-msstun.c's columns 8, 3, 4).
        assert row[8].endswith(', 192.0.2.31:49167 and 4 more')
        assert row[3].endswith(' and 1264 more peers sent 1264/217408B received 0/0B')
        assert row[4] == 'none (0 ok, 20 error ' + ','.join(['439'] * 16) + ' and 4 more)'
        capture = make_hostile('media')(20)
        [(_, _, [row])] = parse_tables(tshark('-n', '-q', '-r', capture, '-d', 'udp.port==5004,rtp',
                                              '-z', 'msstun,media'))
        # Captured On and Packets (after the quality columns, suite_flow.MEDIA_COLUMNS).
        assert row[10].endswith('198.51.100.20:10007 > 203.0.113.70:5004 and 12 more legs')
        assert row[11] == ' / '.join(['1'] * 8) + ' and 12 more legs'


def count_frames(tshark, capture, dfilter, extra=()):
    return len(tshark('-n', '-r', capture, *extra, '-T', 'fields', '-e', 'frame.number', '-Y', dfilter).split())


def count_relayed(tshark, capture, dfilter):
    '''The relayed packets in the frames of dfilter, from tshark's fields: each
    DATA attribute, MS-TURN TCP end-to-end data frame (type 3) and 0xFF10
    message, and in a frame with none of them, its RTP or RTCP.'''
    count = 0
    for line in tshark('-n', '-r', capture, '-T', 'fields', '-e', 'msstun.att.data', '-e', 'msstun.tcp.type',
                       '-e', 'msstun.mturn.session_id', '-e', 'frame.protocols', '-Y', dfilter).splitlines():
        data, types, sessions, protocols = line.split('\t')
        carried = (len([d for d in data.split(',') if d]) + [int(t, 0) for t in types.split(',') if t].count(3) +
                   len([i for i in sessions.split(',') if i]))
        layers = protocols.split(':')
        count += carried or int('rtp' in layers or 'rtcp' in layers)
    return count


def split_address(text):
    host, port = text.rsplit(':', 1)
    return host.strip('[]'), port


class TestAllocationCountsAddUp:
    '''Each allocation's peer counts packets on the client's leg in every
    carrier (Send/Data, ChannelData, 0xFF10, unwrapped to the active
    destination, TCP end-to-end data) and on the relay leg: equal to the
    relayed packets tshark's fields show between those addresses (see
    count_relayed) and the RTP and RTCP frames of the relay leg.'''

    CASES = {
        # capture: the first peer of each allocation, as the report shows it
        'msturn-udp3478.pcap': ['203.0.113.9:50012 sent 6/476B received 5/364B'],
        'msturn-tcp443.pcap': ['203.0.113.9:50012 sent 6/488B received 4/320B'],
        'turn-edge-relay.pcap': ['203.0.113.70:5004 sent 24/4044B received 23/3864B '
                                 '(relay leg sent 24/4044B received 24/4036B)',
                                 '203.0.113.80:5006 sent 12/2088B received 11/1914B '
                                 '(relay leg sent 12/2064B received 11/1892B)'],
    }

    @pytest.mark.parametrize('name', sorted(CASES))
    def test_counts(self, tshark, local_capture, name):
        capture = local_capture(name)
        [(_, _, rows)] = parse_tables(tshark('-n', '-q', '-r', capture, '-z', 'msstun,allocations'))
        peers = [row[3].split(', ')[0] for row in rows]
        assert peers == self.CASES[name]
        for row, peer_cell in zip(rows, peers):
            client, server, transport, relayed = split_address(row[0]), split_address(row[1]), row[2], row[8]
            proto = transport.lower()
            leg = 'ip.addr==%s && ip.addr==%s && %s.port==%s && %s.port==%s' % (
                client[0], server[0], proto, client[1], proto, server[1])
            sent = count_relayed(tshark, capture, '(%s) && ip.src==%s' % (leg, client[0]))
            received = count_relayed(tshark, capture, '(%s) && ip.dst==%s' % (leg, client[0]))
            assert peer_cell.split(' sent ')[1].startswith('%d/' % sent)
            assert ' received %d/' % received in peer_cell
            if 'relay leg' in peer_cell:
                relay = split_address(relayed.split(', ')[0])
                peer = split_address(peer_cell.split(' ')[0])
                relay_leg = 'ip.addr==%s && udp.port==%s && ip.addr==%s && udp.port==%s && (rtp || rtcp)' % (
                    relay[0], relay[1], peer[0], peer[1])
                to_peer = count_frames(tshark, capture, relay_leg + ' && ip.dst==' + peer[0])
                from_peer = count_frames(tshark, capture, relay_leg + ' && ip.src==' + peer[0])
                assert '(relay leg sent %d/' % to_peer in peer_cell
                assert ' received %d/' % from_peer in peer_cell.split('(relay leg')[1]


class TestRtcpColumnCountsDecryptedSrtcp:
    '''Media Paths' RTCP column counts decrypted SRTCP as RTCP: the packets a
    stream sent (first sender SSRC of the frame) and the report blocks about
    it (identifiers other than the sender's), as tshark's fields show them.'''

    @pytest.mark.parametrize('name', ['srtp-relay.pcap', 'srtp-msrtcp.pcap'])
    def test_rtcp_column(self, tshark, local_capture, name):
        capture = local_capture(name)
        base = capture_args(capture)
        sent = collections.Counter()
        reports = collections.Counter()
        for line in tshark(base[0], *base[2:], '-T', 'fields', '-e', 'rtcp.senderssrc', '-e', 'rtcp.ssrc.identifier',
                           '-Y', 'rtcp').splitlines():
            senders, identifiers = line.split('\t')
            sender = int(senders.split(',')[0], 16)
            sent[sender] += 1
            for ssrc in identifiers.split(','):
                if ssrc and int(ssrc, 16) != sender:
                    reports[int(ssrc, 16)] += 1
        [(_, _, rows)] = parse_tables(tshark(*base, '-z', 'msstun,media'))
        got = {int(row[0], 16): row[-1] for row in rows if row[-1]}
        expected = {ssrc: '%d sent, %d reports about it' % (sent[ssrc], reports[ssrc])
                    for ssrc in set(sent) | set(reports) if ssrc in {int(row[0], 16) for row in rows}}
        assert got == expected
        assert any(not value.startswith('0 sent, 0') for value in got.values())
