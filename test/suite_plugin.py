# suite_plugin.py
# The plugin loads into the installed tshark and registers what it should.
# Every test here fails when the plugin is not loaded.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import re


class TestPluginLoaded:
    def test_listed_by_tshark(self, tshark, major_minor):
        out = tshark('-G', 'plugins')
        rows = [line.split('\t') for line in out.splitlines() if line.startswith('msstun.so')]
        assert len(rows) == 1, out
        name, version, kind, path = [c.strip() for c in rows[0]]
        assert kind == 'dissector'
        assert re.fullmatch(r'\d+\.\d+\.\d+', version)
        assert path.endswith('/.local/lib/wireshark/plugins/%s/epan/msstun.so' % major_minor)

    def test_not_listed_without_plugin(self, tshark_builtin):
        # The baseline really runs without the plugin: comparisons with it mean something.
        assert 'msstun' not in tshark_builtin('-G', 'plugins')
        assert 'msstun' not in tshark_builtin('-G', 'protocols')

    def test_protocol_registered(self, tshark):
        # Wireshark 4.4 and 4.6 add three columns (enabled, heuristic
        # enabled, can be disabled) to the three of 4.0.
        rows = [line.split('\t')[:3] for line in tshark('-G', 'protocols').splitlines()]
        assert ['Microsoft STUN/TURN/ICE', 'MSSTUN', 'msstun'] in rows
        assert ['MSSTUN message (STUN/TURN only)', 'MSSTUN message', 'msstun_message'] in rows

    def test_fields_registered(self, tshark):
        fields = {}
        for line in tshark('-G', 'fields').splitlines():
            cols = line.split('\t')
            if cols[0] == 'F' and cols[2].startswith('msstun'):
                fields[cols[2]] = cols[3]
        expected = {
            'msstun.type': 'FT_UINT16',
            'msstun.method': 'FT_UINT16',
            'msstun.class': 'FT_UINT8',
            'msstun.dialect': 'FT_UINT8',
            'msstun.addr': 'FT_IPv4',
            'msstun.addr6': 'FT_IPv6',
            'msstun.port': 'FT_UINT16',
            'msstun.att.xor_relayed.ipv6': 'FT_IPv6',
            'msstun.att.destination.ipv4': 'FT_IPv4',
            'msstun.att.remote.port': 'FT_UINT16',
            'msstun.att.lifetime': 'FT_UINT32',
            'msstun.att.ms.version': 'FT_UINT32',
            'msstun.att.ms.sequence_number': 'FT_UINT32',
            'msstun.att.fingerprint': 'FT_UINT32',
            'msstun.att.error': 'FT_UINT16',
            'msstun.tcp.type': 'FT_UINT8',
            'msstun.pseudotls.cipher_suite': 'FT_UINT16',
            'msstun.mturn.session_id': 'FT_UINT64',
        }
        for name, ftype in expected.items():
            assert fields.get(name) == ftype, name
        # Typed fields only: no address, port or number is a string.
        for name, ftype in fields.items():
            if re.search(r'\.(ipv4|ipv6|port|addr|addr6)$', name):
                assert ftype in ('FT_IPv4', 'FT_IPv6', 'FT_UINT16'), name

    def test_expert_items_registered(self, tshark):
        # tshark 4.0 lists expert items as FT_NONE field rows.
        experts = [line.split('\t')[2] for line in tshark('-G', 'fields').splitlines()
                   if line.startswith('F\t') and '\tFT_NONE\tmsstun' in line]
        for name in ('msstun.att.fingerprint.bad', 'msstun.error_response', 'msstun.auth_challenge',
                     'msstun.no_response', 'msstun.att.bogus_length', 'msstun.tcp.no_length',
                     'msstun.unrecognised_payload'):
            assert name in experts

    def test_preferences(self, tshark):
        prefs = dict(re.findall(r'^#(msstun\.[a-z_]+): (.*)$', tshark('-G', 'defaultprefs'), re.M))
        assert prefs == {
            'msstun.udp_enabled': 'TRUE',
            'msstun.udp_ports': '3478-3481',
            'msstun.tcp_internal_enabled': 'TRUE',
            'msstun.tcp_internal_ports': '443,3478',
            'msstun.tcp_external_enabled': 'TRUE',
            'msstun.tcp_external_ports': '443',
            'msstun.show_original': 'FALSE',
            'msstun.decode_data': 'TRUE',
            'msstun.learn_media': 'TRUE',
            'msstun.learn_ports': '1024-65535',
            'msstun.heuristic': 'FALSE',
            'msstun.srtp_decrypt': 'TRUE',
            'msstun.srtp_keys': '',
        }

    def test_decode_as_entries(self, tshark, shared_capture):
        # "msstun" (the multiplexer) and "msstun_message" can be chosen with -d.  The
        # relay's port 3479 is one of the default UDP ports: with them off, only the
        # Decode As entry on the client's port can decode the frame.
        cap = shared_capture('third-party/ndpi/stun_msteams_unidir.pcapng')
        port = tshark.fields(cap, ['udp.dstport'], extra=['-c', '1'])[0][0]
        off = ['-o', 'msstun.udp_enabled:FALSE']
        assert tshark.fields(cap, ['_ws.col.Protocol'], extra=['-c', '1'] + off) == [['STUN']]
        for name in ('msstun', 'msstun_message'):
            rows = tshark.fields(cap, ['_ws.col.Protocol', 'msstun.type', 'msstun.dialect'],
                                 extra=['-c', '1', '-d', 'udp.port==%s,%s' % (port, name)] + off)
            assert rows == [['MSSTUN', '0x0101', '1']], name
