# suite_alloc_bounds.py
# The allocation tracker's bounds (tap-msstun-alloc.h), flooded by one RFC
# 6062 allocation (captures/gen_alloc_bounds.py: N unanswered Connect
# requests and N ConnectionAttempt indications, each naming a new peer):
#
#   - Past each bound the Allocations report says so in the allocation's
#     Peers cell: "and more (over 4096)" peers, "Connect requests past 64
#     pending not followed", "RFC 6062 connections past 4096 not tied to this
#     allocation"; at the bound exactly, nothing.
#   - The dissector's own bound on pending Connect requests (64 per control
#     connection, for the relay legs) has an expert item.
#   - The cost of -z msstun,allocations -z msstun,media grows linearly with
#     N (hostile, test/costs.py).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import importlib.util
import os

import pytest

from conftest import LOCAL_CAPTURES
from costs import assert_linear
from suite_reports_trust import parse_tables

CONNECTS_NOTE = 'Connect requests past 64 pending not followed'
CONNECTIONS_NOTE = 'RFC 6062 connections past 4096 not tied to this allocation'
REPORTS = ['-z', 'msstun,allocations', '-z', 'msstun,media']


@pytest.fixture(scope='module')
def make_flood(ws_root):
    spec = importlib.util.spec_from_file_location('gen_alloc_bounds',
                                                  os.path.join(LOCAL_CAPTURES, 'gen_alloc_bounds.py'))
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    folder = os.path.join(ws_root, 'alloc-bounds')
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)

    def make(n):
        path = os.path.join(folder, 'flood-%d.pcap' % n)
        if not os.path.exists(path):
            generator.main(['gen_alloc_bounds.py', str(n), path])
            os.chmod(path, 0o644)
        return path
    return make


def peers_cell(tshark, capture):
    tables = dict((name, rows) for name, _, rows in parse_tables(tshark('-n', '-q', '-r', capture, *REPORTS)))
    [row] = tables['allocations']
    assert row[:3] == ['10.0.0.10:50100', '192.0.2.1:3478', 'TCP']
    assert row[8] == '192.0.2.15:49152'
    return row[3]


def shown_peers(count):
    '''The first peers the cell names: the Connect requests' 198.18.0.0:1024 on.'''
    return ', '.join('198.18.0.%d:%d sent 0/0B received 0/0B' % (i, 1024 + i) for i in range(count))


class TestNotes:
    def test_at_the_bounds_nothing(self, tshark, make_flood):
        # 64 pending Connects and 64 connections: within every bound.
        assert peers_cell(tshark, make_flood(64)) == shown_peers(16) + (' and 112 more peers sent 0/0B '
                                                                         'received 0/0B')

    def test_one_connect_past_the_bound(self, tshark, make_flood):
        assert peers_cell(tshark, make_flood(65)) == shown_peers(16) + (' and 114 more peers sent 0/0B '
                                                                         'received 0/0B; ' + CONNECTS_NOTE)

    def test_every_bound_past(self, tshark, make_flood):
        # 4097 Connects and 4097 ConnectionAttempts: 8194 peers named, 4096
        # kept; the 4097th connection is not tied.
        assert peers_cell(tshark, make_flood(4097)) == shown_peers(16) + (
            ' and 4080 more peers and more (over 4096) sent 0/0B received 0/0B; ' + CONNECTS_NOTE + '; ' +
            CONNECTIONS_NOTE)


class TestDissectorBound:
    '''The dissector follows at most 64 pending Connect requests per control
    connection to learn RFC 6062 relay legs (conversation_ports.h); the
    request past that has an expert item, on either pass.'''

    @pytest.mark.parametrize('two_pass', [False, True])
    def test_connect_past_the_bound(self, tshark, make_flood, two_pass):
        extra = ['-2'] if two_pass else []
        assert tshark.fields(make_flood(64), ['frame.number'], 'msstun.relay_leg.bound', extra) == []
        # The segments hold 10 Connect requests each (132 bytes: header 20,
        # XOR-PEER-ADDRESS 12, USERNAME 16, REALM 32, NONCE 20,
        # MESSAGE-INTEGRITY 24, FINGERPRINT 8), each acknowledged: the 65th is
        # in the seventh, frame 20.
        rows = tshark.fields(make_flood(65), ['frame.number', '_ws.expert.message'], 'msstun.relay_leg.bound', extra)
        assert [(r[0], r[1].split(',')[-1]) for r in rows] == [
            ('20', 'RFC 6062 relay leg not learned: 64 Connect requests of this connection already wait for their '
                   'answer')]


@pytest.mark.hostile
def test_flood_scales_linearly(tshark, tshark_builtin, make_flood):
    assert_linear('allocation bounds', tshark, tshark_builtin, make_flood, 4200, args=['-q'] + REPORTS)
    assert peers_cell(tshark, make_flood(4200)).endswith('; ' + CONNECTS_NOTE + '; ' + CONNECTIONS_NOTE)
