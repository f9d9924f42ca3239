# suite_protocols.py
# The protocols the plugin registers, as a user filters, enables and
# decodes with them (issue 31), the filters users already have (issue 26,
# items 12 and 13), and the message dissector's edges: FINGERPRINT (issue
# 25, case 5), responses before their requests, "Show original dissection"
# and messages cut by the snapshot length (issue 26, items 6 to 8).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import struct
import subprocess
import sys

import pytest

from conftest import LOCAL_CAPTURES, SOURCE_DIR, all_local_captures, ws_at_least
from costs import assert_linear
from suite_msstun import write_vectors

sys.path.insert(0, os.path.join(SOURCE_DIR, 'captures'))
import gen_msg_edges  # noqa: E402
import gen_msturn  # noqa: E402

UDP3478 = 'msturn-udp3478.pcap'
EDGE_RELAY = 'turn-edge-relay.pcap'
SNAPLEN60 = 'msturn-udp3478-snaplen60.pcap'

# The address roles of packet-msstun.c and the names users filter on.
ROLES = ('mapped', 'response', 'source', 'changed', 'reflected_from', 'alternate_server', 'destination',
         'remote', 'xor_peer', 'xor_relayed', 'xor_mapped', 'ms_xor_mapped', 'xor_reflected_from',
         'response_origin', 'other_address', 'ms_alt_mapped', 'remote_site', 'remote_relay_site',
         'local_site', 'local_relay_site')


def _write(ws_root, name, data):
    folder = os.path.join(ws_root, 'protocols')
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    path = os.path.join(folder, name)
    with open(path, 'wb') as f:
        f.write(data)
    os.chmod(path, 0o644)
    return path


def _frames(tshark, capture, dfilter, extra=()):
    return [int(row[0]) for row in tshark.fields(capture, ['frame.number'], dfilter=dfilter, extra=extra)]


@pytest.fixture(scope='module')
def plugin_fields(tshark):
    '''(filter name, type, protocol) of every field whose name starts with msstun.'''
    rows = []
    for line in tshark('-G', 'fields').splitlines():
        cols = line.split('\t')
        if cols[0] == 'F' and cols[2].startswith('msstun'):
            rows.append((cols[2], cols[3], cols[4]))
    return rows


class TestProtocolsAndFields:
    '''Issue 31: each protocol is one a user can filter, enable and Decode As,
    and the fields belong to the protocol whose tree holds them.'''

    def test_every_field_is_msstuns(self, plugin_fields):
        # The 189 message fields were registered to "msstun_message" while
        # their items sat in MSSTUN's tree.
        assert len(plugin_fields) >= 240
        assert {proto for _, _, proto in plugin_fields} == {'msstun'}

    def test_one_type_per_field_name(self, plugin_fields):
        types = {}
        for name, ftype, _ in plugin_fields:
            types.setdefault(name, set()).add(ftype)
        assert {name: t for name, t in types.items() if len(t) > 1} == {}
        assert types['msstun.att.reserved'] == {'FT_UINT8'}
        assert types['msstun.att.reserved16'] == {'FT_UINT16'}
        assert types['msstun.att.reserved24'] == {'FT_UINT24'}
        assert types['msstun.att.error.reserved'] == {'FT_UINT24'}
        assert types['msstun.att.address_error.reserved'] == {'FT_UINT16'}

    def test_address_role_fields_registered_one_by_one(self, plugin_fields):
        # Every role field is in -G fields, and written out in the source,
        # where Wireshark's checkhf.pl and checkfiltername.pl read them.
        types = dict((name, ftype) for name, ftype, _ in plugin_fields)
        source = open(os.path.join(SOURCE_DIR, 'packet-msstun.c')).read()
        for role in ROLES:
            for part, ftype in (('ipv4', 'FT_IPv4'), ('ipv6', 'FT_IPv6'), ('port', 'FT_UINT16')):
                name = 'msstun.att.%s.%s' % (role, part)
                assert types[name] == ftype
                assert source.count('"%s"' % name) == 1, name
                assert re.search(r'\{ &hf_msstun_role_%s_%s,\n\s+\{ "[^"]+", "%s"' % (role, part, re.escape(name)),
                                 source), name

    def test_message_protocol_filters_what_it_decodes(self, tshark, local_capture):
        # -Y msstun_message matched 0 frames while -Y msstun.method matched
        # 19: now the frames decoded by "msstun_message" (Decode As) carry it.
        cap = local_capture(UDP3478)
        messages = _frames(tshark, cap, 'msstun.method')
        assert len(messages) == 19
        assert _frames(tshark, cap, 'msstun_message') == []
        decoded_as = ['-d', 'udp.port==3478,msstun_message']
        assert _frames(tshark, cap, 'msstun_message', decoded_as) == _frames(tshark, cap, 'msstun.method',
                                                                             decoded_as)
        assert len(_frames(tshark, cap, 'msstun_message', decoded_as)) == 19

    def test_disabling_msstun(self, tshark, tshark_builtin, local_capture):
        # Disabled, the frames are Wireshark's own STUN again.
        cap = local_capture(UDP3478)
        off = ['--disable-protocol', 'msstun']
        assert _frames(tshark, cap, 'msstun', off) == []
        assert _frames(tshark, cap, 'stun', off) == _frames(tshark_builtin, cap, 'stun')
        assert _frames(tshark, cap, 'msstun_message',
                       ['--disable-protocol', 'msstun_message', '-d', 'udp.port==3478,msstun_message']) == []


class TestFiltersUsersHave:
    '''Issue 26, items 12 and 13.'''

    @pytest.mark.parametrize('capture', all_local_captures())
    def test_msstun_matches_every_frame_it_decoded(self, tshark, capture):
        cap = os.path.join(LOCAL_CAPTURES, capture)
        rows = tshark.fields(cap, ['frame.number', 'frame.protocols'])
        decoded = [int(n) for n, protocols in rows if 'msstun' in protocols.split(':')]
        matched = _frames(tshark, cap, 'msstun')
        assert set(decoded) <= set(matched)

    def test_counts_of_the_issue(self, tshark, local_capture):
        # 88 of 159 and 0 of 5 before.
        assert len(_frames(tshark, local_capture(EDGE_RELAY), 'msstun')) == 159
        assert _frames(tshark, local_capture(SNAPLEN60), 'msstun') == [1, 2, 3, 4, 5]

    @pytest.mark.parametrize('capture,builtin_count', [(UDP3478, 16), (EDGE_RELAY, 57)])
    def test_stun_filter_keeps_its_frames(self, tshark, tshark_builtin, local_capture, capture, builtin_count):
        # Every frame Wireshark's STUN showed still matches "stun", and so
        # does every STUN/TURN message or ChannelData that MSSTUN decodes.
        cap = local_capture(capture)
        builtin = _frames(tshark_builtin, cap, 'stun')
        assert len(builtin) == builtin_count
        ours = _frames(tshark, cap, 'stun')
        assert set(builtin) <= set(ours)
        assert ours == _frames(tshark, cap, 'msstun.type or msstun.channel or msstun.mturn.channel')


    def test_protocol_hierarchy_unchanged(self, tshark, local_capture):
        # The hidden items sit inside the tree, not at its top level, which
        # Statistics > Protocol Hierarchy walks: no "stun" above MSSTUN, no
        # MSSTUN after RTP.
        out = tshark('-n', '-q', '-r', local_capture(UDP3478), '-z', 'io,phs')
        # (depth, name, frames) of each row, and each row's parent name.  The
        # rows above udp differ by version (4.6 adds frame and ethertype).
        rows = [(len(line) - len(line.lstrip()), line.split()[0], line.split()[1])
                for line in out.splitlines() if 'frames:' in line]
        parents, stack = [], []
        for depth, name, _ in rows:
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parents.append(stack[-1][1] if stack else None)
            stack.append((depth, name))
        under_udp = [(name, frames) for (_, name, frames), parent in zip(rows, parents) if parent == 'udp']
        assert under_udp == [('msstun', 'frames:20'), ('rtp', 'frames:4'), ('rtcp', 'frames:2')]
        assert [name for _, name, _ in rows].count('msstun') == 1
        assert 'stun' not in [name for _, name, _ in rows]


def fingerprint_message(fingerprints_before, last_ok):
    '''An RFC 8489 Binding request whose attributes are FINGERPRINTs: the
    first ones with made-up values, the last one right or wrong.'''
    tid = gen_msturn.cookie_tid('protocols-fingerprint')
    body = b''.join(struct.pack('!HHI', 0x8028, 4, 0x11111111 * (k + 1)) for k in range(fingerprints_before))
    length = len(body) + 8
    crc = gen_msturn.crc32_std(struct.pack('!HH', 0x0001, length) + tid + body) ^ gen_msturn.FP_XOR
    return struct.pack('!HH', 0x0001, length) + tid + body + struct.pack('!HHI', 0x8028, 4,
                                                                          crc if last_ok else crc ^ 1)


class TestFingerprint:
    '''Issue 25, case 5: FINGERPRINT is verified once per message, as its
    last attribute (RFC 8489 14.7).'''

    def test_only_the_last_is_verified(self, tshark, ws_root):
        data = fingerprint_message(2, True).hex()
        cap = write_vectors(ws_root, 'fingerprint-not-last', data)
        rows = tshark.fields(cap, ['msstun.att.fingerprint', 'msstun.att.fingerprint.status',
                                   'msstun.att.fingerprint.not_last', 'msstun.att.fingerprint.bad',
                                   '_ws.col.Info'])
        # Status 2 is "Unverified", 1 "Good" (proto_tree_add_checksum).
        assert rows == [['0x11111111,0x22222222,%s' % rows[0][0].split(',')[2], '2,2,1', '1,1', '',
                         'Binding Request']]

    def test_last_bad_is_flagged(self, tshark, ws_root):
        cap = write_vectors(ws_root, 'fingerprint-last-bad', fingerprint_message(1, False).hex())
        rows = tshark.fields(cap, ['msstun.att.fingerprint.status', 'msstun.att.fingerprint.not_last',
                                   'msstun.att.fingerprint.bad'])
        assert rows == [['2,0', '1', '1']]

    @pytest.mark.hostile
    def test_fingerprint_flood_is_linear(self, tshark, tshark_builtin, ws_root):
        # ~64 kB messages made of FINGERPRINTs with wrong CRCs, in MS-TURN
        # frames on TCP 443: each CRC'd its prefix twice before.
        def make(n):
            return _write(ws_root, 'fingerprint-flood-%d.pcap' % n, gen_msg_edges.fingerprint_flood(n))
        assert_linear('fingerprint flood', tshark, tshark_builtin, make, 1)


class TestTransactions:
    '''Issue 26, item 6: a response captured before its request.'''

    @pytest.mark.parametrize('two_pass', [False, True], ids=['1pass', '2pass'])
    def test_response_before_request(self, tshark, ws_root, two_pass):
        cap = _write(ws_root, 'response-first.pcap', gen_msg_edges.response_first())
        rows = tshark.fields(cap, ['frame.number', 'msstun.response_in', 'msstun.response_to', 'msstun.time',
                                   'msstun.no_response'], extra=['-2'] if two_pass else [])
        # Frame 1 answers no request this capture shows before it; frame 2's
        # response is not frame 1.  Only a second pass knows frame 4 answers
        # frame 3, and that frame 2 got no answer.
        assert rows == [['1', '', '', '', ''],
                        ['2', '', '', '', '1' if two_pass else ''],
                        ['3', '4' if two_pass else '', '', '', ''],
                        ['4', '', '3', '0.020000000', '']]


class TestShowOriginal:
    '''Issue 26, item 7: frames on which Wireshark's own STUN dissector throws
    (without the plugin: its "Malformed Packet"), shown in the subtree.'''

    # On Wireshark 4.0 (the host of the suite); the frames are those on which
    # tshark without the plugin reports an exception.
    THROWN_ON_4_0 = {UDP3478: [3, 5, 7, 9, 17, 20, 22], 'srtp-roc.pcap': list(range(1, 16))}
    EXCEPTION = '_ws.expert.message == "Malformed Packet (Exception occurred)"'
    SHOW = ['-o', 'msstun.show_original:TRUE']

    @pytest.mark.parametrize('capture', [UDP3478, 'srtp-roc.pcap'])
    def test_exception_in_subtree_columns_kept(self, tshark, tshark_builtin, local_capture, capture):
        cap = local_capture(capture)
        thrown = _frames(tshark_builtin, cap, self.EXCEPTION)
        if not ws_at_least(4, 2):
            assert thrown == self.THROWN_ON_4_0[capture]
        assert thrown and _frames(tshark, cap, self.EXCEPTION) == []
        plain = tshark.fields(cap, ['frame.number', '_ws.col.Protocol', '_ws.col.Info'])
        shown = tshark.fields(cap, ['frame.number', '_ws.col.Protocol', '_ws.col.Info'], extra=self.SHOW)
        assert shown == plain
        out = tshark('-n', '-r', cap, '-V', *self.SHOW)
        # No frame-level "Malformed Packet: STUN" (a top-level item).
        assert '\n[Malformed Packet: STUN]' not in out
        if ws_at_least(4, 6):
            # 4.6's STUN catches its exceptions itself: its "stun-udp"
            # dissector is udp_dissect_pdus(), which reports each message's
            # exception with show_exception() in the tree it was given, the
            # Original Dissection subtree (a top-level item: its children
            # are indented by 4).  Its heuristic ("stun_udp", the only other
            # entry point for UDP) was tried in its place: it catches them
            # too.  No exception reaches the plugin, and the frames on which
            # Wireshark alone reports one are malformed frames with the
            # option on, as they are without the plugin.
            assert _frames(tshark, cap, 'msstun.original.exception', self.SHOW) == []
            assert _frames(tshark, cap, self.EXCEPTION, self.SHOW) == thrown
            assert out.count('\n    [Malformed Packet: STUN]\n') == len(thrown)
            return
        assert _frames(tshark, cap, 'msstun.original.exception', self.SHOW) == thrown
        assert _frames(tshark, cap, self.EXCEPTION, self.SHOW) == []
        assert '[Malformed Packet: STUN]' not in out
        assert out.count("[Expert Info (Note/Undecoded): Wireshark's STUN dissector stopped: malformed packet]") == len(
            thrown)


class TestTruncated:
    '''Issue 26, item 8: editcap -s 76 msturn-udp3478.pcap.'''

    def test_info_from_the_header(self, tshark, local_capture, ws_root):
        cut = os.path.join(ws_root, 'protocols', 'udp3478-s76.pcap')
        os.makedirs(os.path.dirname(cut), exist_ok=True)
        subprocess.run(['editcap', '-s', '76', local_capture(UDP3478), cut], check=True)
        os.chmod(cut, 0o644)
        rows = tshark.fields(cut, ['frame.number', '_ws.col.Info', 'msstun.att.not_captured'])
        assert rows[:10] == [
            ['1', 'Allocate Request', '1'],
            ['2', 'Allocate Error Response', '1'],
            ['3', 'Allocate Request', '1'],
            ['4', 'Allocate Success Response', '1'],
            ['5', 'Send Request', '1'],
            ['6', 'Data Indication', '1'],
            ['7', 'Send Request', '1'],
            ['8', 'Data Indication', '1'],
            ['9', 'Set Active Destination Request', '1'],
            ['10', 'Set Active Destination Success Response', '1'],
        ]
        # The attributes that are there are decoded: MAGIC-COOKIE and
        # MS-VERSION's header (14 of frame 1's 32 bytes).
        rows = tshark.fields(cut, ['msstun.att.magic_cookie', 'msstun.att.type', '_ws.expert.message'],
                             dfilter='frame.number == 1')
        assert rows == [['0x72c64bc6', '0x000f,0x8008', '18 bytes of attributes not captured']]
