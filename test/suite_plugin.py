# suite_plugin.py
# The plugin loads into the installed tshark and registers what it should.
# Every test in TestPluginLoaded fails when the plugin is not loaded;
# TestOnlyTheFreshBuild shows that a msstun.so installed globally does not
# take the place of the build under test; TestSourceHeaders checks the
# sources' own file headers.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import re
import shutil

import pytest

from conftest import SOURCE_DIR, TShark, global_plugin_dir, mirror_global_plugins, plugin_path

import pytest

TEAMS_CAPTURE = 'third-party/ndpi/stun_msteams_unidir.pcapng'


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
        assert not [line for line in tshark_builtin('-G', 'plugins').splitlines() if line.startswith('msstun')]
        assert 'msstun' not in tshark_builtin('-G', 'protocols')

    def test_protocol_registered(self, tshark):
        # Wireshark 4.2 and later add three columns (enabled, heuristic
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
            'msstun.show_original': 'FALSE',
            'msstun.decode_data': 'TRUE',
            'msstun.learn_media': 'TRUE',
            'msstun.learn_ports': '1024-65535',
            'msstun.srtp_decrypt': 'TRUE',
            'msstun.srtp_keys': '',
        }

    def test_ports_registered_the_standard_way(self, tshark):
        # dissector_add_uint_range_with_preference(): the ports are MSSTUN's in
        # the tables, in Decode As and in "-G decodes".
        rows = [line.split('\t') for line in tshark('-G', 'decodes').splitlines()]
        assert sorted(r for r in rows if r[2:] == ['msstun']) == [
            ['tcp.port', '3478', 'msstun'], ['tcp.port', '443', 'msstun'],
            ['udp.port', '3478', 'msstun'], ['udp.port', '3479', 'msstun'],
            ['udp.port', '3480', 'msstun'], ['udp.port', '3481', 'msstun']]

    def test_heuristic_registered_disabled(self, tshark):
        rows = [line.split('\t')[:3] for line in tshark('-G', 'heuristic-decodes').splitlines()]
        assert ['udp', 'msstun', 'F'] in rows

    @pytest.mark.parametrize('name', ['udp_enabled', 'udp_ports', 'tcp_internal_enabled', 'tcp_internal_ports',
                                      'tcp_external_enabled', 'tcp_external_ports', 'heuristic'])
    def test_replaced_preferences_are_obsolete(self, tshark, shared_capture, name):
        # Replaced by msstun.udp.port / msstun.tcp.port and --enable-heuristic
        # msstun_udp: tshark says so rather than ignoring the option.
        proc = tshark.run(['-n', '-r', shared_capture(TEAMS_CAPTURE), '-o', 'msstun.%s:1' % name], check=False)
        assert proc.returncode != 0
        assert 'specifies obsolete preference' in proc.stderr

    def test_decode_as_entries(self, tshark, shared_capture):
        # "msstun" (the multiplexer) and "msstun_message" can be chosen with -d
        # (here on the Teams relay's port 3479, which STUN then gets back).
        cap = shared_capture(TEAMS_CAPTURE)
        assert tshark.fields(cap, ['_ws.col.Protocol'], extra=['-c', '1', '-d', 'udp.port==3479,stun']) == [['STUN']]
        for name in ('msstun', 'msstun_message'):
            rows = tshark.fields(cap, ['_ws.col.Protocol', 'msstun.type', 'msstun.dialect'],
                                 extra=['-c', '1', '-d', 'udp.port==3479,%s' % name])
            assert rows == [['MSSTUN', '0x0101', '1']], name


class TestOnlyTheFreshBuild:
    '''A msstun.so in the global plugin folder (what tools/setup.sh as root installs)
    is loaded instead of the build under test unless the test environment leaves it
    out; the fixtures do (conftest.py), and check it.'''

    @pytest.fixture(scope='class')
    @classmethod
    def stale_global(cls, ws_root, major_minor):
        # The installed global folder plus a msstun.so: a stale global install.
        root = os.path.join(ws_root, 'stale-global')
        mirror_global_plugins(global_plugin_dir(), root)
        shutil.copy(plugin_path(), os.path.join(root, major_minor, 'epan', 'msstun.so'))
        for dirpath, dirnames, filenames in os.walk(root):
            os.chmod(dirpath, 0o755)
        return root

    def test_stale_global_copy_would_be_loaded(self, tshark, stale_global, major_minor):
        stale = TShark(tshark.home, tshark.run_as, stale_global)
        paths, warnings = stale.msstun_plugins()
        assert paths == [os.path.join(stale_global, major_minor, 'epan', 'msstun.so')]
        assert "The plugin 'msstun.so' was found in multiple directories" in warnings

    def test_test_environment_leaves_it_out(self, tshark, stale_global, ws_root, major_minor):
        mirror = mirror_global_plugins(os.path.join(stale_global, major_minor), os.path.join(ws_root, 'stale-mirror'))
        paths, warnings = TShark(tshark.home, tshark.run_as, mirror).msstun_plugins()
        assert paths == [os.path.join(tshark.home, '.local', 'lib', 'wireshark', 'plugins', major_minor, 'epan',
                                      'msstun.so')]
        assert warnings == ''

    def test_fixture_loads_the_fresh_build_and_the_other_global_plugins(self, tshark, major_minor):
        paths, warnings = tshark.msstun_plugins()
        assert paths == [os.path.join(tshark.home, '.local', 'lib', 'wireshark', 'plugins', major_minor, 'epan',
                                      'msstun.so')] and warnings == ''
        listed = {line.split('\t')[0].strip() for line in tshark('-G', 'plugins').splitlines()}
        listed = {name for name in listed if name.endswith('.so')}
        installed = {name for dirpath, dirnames, filenames in os.walk(global_plugin_dir()) for name in filenames
                     if name.endswith('.so')}
        assert listed == (installed - {'msstun.so'}) | {'msstun.so'}

class TestSourceHeaders:
    SOURCES = sorted(glob.glob(os.path.join(SOURCE_DIR, '*.[ch]')))

    def test_sources_found(self):
        assert os.path.join(SOURCE_DIR, 'packet-msstun.c') in self.SOURCES

    def test_header_names_the_file_and_the_licence(self):
        for path in self.SOURCES:
            with open(path) as f:
                head = f.read(4000)
            assert head.startswith('/* %s\n' % os.path.basename(path)), path
            assert 'SPDX-License-Identifier: GPL-2.0-or-later' in head, path

    def test_no_foreign_authorship(self):
        # This code is the msstun contributors' own, not Wireshark's.
        for path in self.SOURCES:
            with open(path) as f:
                assert 'Gerald Combs' not in f.read(), path

    def test_suite_headers_promise_only_what_exists(self):
        # A suite header that speaks of xfail tests has some.
        for path in sorted(glob.glob(os.path.join(SOURCE_DIR, 'test', 'suite_*.py'))):
            with open(path) as f:
                text = f.read()
            header = re.match(r'(#.*\n)*', text).group(0)
            if 'xfail' in header:
                assert '@pytest.mark.xfail' in text, path

    def test_dissector_header(self):
        with open(os.path.join(SOURCE_DIR, 'packet-msstun.c')) as f:
            head = f.read(2000)
        assert ' * msstun plugin for Wireshark\n * Copyright the msstun contributors\n' in head


def _source(name):
    with open(os.path.join(SOURCE_DIR, name)) as f:
        return f.read()


def _defined_functions(text):
    '''The functions a C file defines (return type on the line before the name).'''
    return set(re.findall(r'^(\w+)\([^;]*?\)\n\{', text, re.M | re.S))


class TestArchitecture:
    '''Data flows one way (issue 11, item 2): the multiplexer is the root and
    the message dissector returns what it found.'''

    def test_message_dissector_calls_neither_mux_nor_learner(self):
        message = re.sub(r'/\*.*?\*/', '', _source('packet-msstun.c'), flags=re.S)
        called = set(re.findall(r'\b(\w+)\s*\(', message))
        for other in ('packet-msrtp-mux.c', 'conversation_ports.c'):
            assert not called & _defined_functions(_source(other)), other

    def test_each_file_keeps_its_own_conversation_state(self):
        assert 'msstun_conv_t' not in _source('packet-msstun.h')
        for name, proto in (('packet-msrtp-mux.c', 'proto_msstun'), ('packet-msstun.c', 'proto_msstun_message')):
            text = _source(name)
            assert set(re.findall(r'msstun_conversation_data\(pinfo, (\w+),', text)) == {proto}, name

    def test_plugin_registers_what_each_file_defines(self):
        # Issue 31: each file registers what it owns.  packet-msstun.c
        # registers the protocols (MSSTUN, whose tree holds the message
        # fields, and "msstun_message" for Decode As) and its fields in
        # MSSTUN; the multiplexer adds its fields and dissectors to MSSTUN,
        # so plugin.c runs the two in this order from one proto_plugin.
        sources = {os.path.basename(p): _source(os.path.basename(p))
                   for p in glob.glob(os.path.join(SOURCE_DIR, '*.c')) if not p.endswith('plugin.c')}
        defined = set().union(*(_defined_functions(text) for text in sources.values()))
        protos = sorted(f for f in defined if f.startswith('proto_register_'))
        handoffs = sorted(f for f in defined if f.startswith('proto_reg_handoff_'))
        taps = sorted(f[len('register_tap_listener_'):] for f in defined if f.startswith('register_tap_listener_'))
        assert protos == ['proto_register_msrtp_mux', 'proto_register_msstun']
        assert handoffs == ['proto_reg_handoff_msrtp_mux'] and taps == ['msstun', 'msstun_flow']
        plugin = _source('plugin.c')
        body = plugin[plugin.index('register_msstun_protoinfo(void)\n{'):]
        assert body.index('proto_register_msstun();') < body.index('proto_register_msrtp_mux();')
        assert 'plug_msstun.register_protoinfo = register_msstun_protoinfo;' in plugin
        assert 'plug_msstun.register_handoff = proto_reg_handoff_msrtp_mux;' in plugin
        for tap in taps:
            assert 'register_tap_listener = register_tap_listener_%s;' % tap in plugin
        registering = {name: re.findall(r'proto_register_protocol\([^;]*?"(\w+)"\);', text)
                       for name, text in sources.items()}
        assert {name: filters for name, filters in registering.items() if filters} == {
            'packet-msstun.c': ['msstun', 'msstun_message']}
        for name, text in sources.items():
            # Every field array goes to MSSTUN, the protocol whose tree items hold them.
            assert set(re.findall(r'proto_register_field_array\((\w+),', text)) <= {'proto_msstun', 'proto'}, name
        assert 'prefs_register_protocol' not in sources['packet-msstun.c']
        assert 'register_tap(' not in sources['packet-msrtp-mux.c']
