# suite_alloc_bounds.py
# The allocation tracker's bounds (tap-msstun-alloc.h), flooded by one RFC
# 6062 allocation (captures/gen_alloc_bounds.py: N unanswered Connect
# requests and N ConnectionAttempt indications, each naming a new peer):
#
#   - Past each bound the Allocations report says so in the allocation's
#     Peers cell: "and more (over 4096)" peers, "Connect requests past 64
#     pending not followed", "RFC 6062 connections past 4096 not tied to this
#     allocation"; at the bound exactly, nothing.
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


@pytest.mark.hostile
def test_flood_scales_linearly(tshark, tshark_builtin, make_flood):
    assert_linear('allocation bounds', tshark, tshark_builtin, make_flood, 4200, args=['-q'] + REPORTS)
    assert peers_cell(tshark, make_flood(4200)).endswith('; ' + CONNECTS_NOTE + '; ' + CONNECTIONS_NOTE)
