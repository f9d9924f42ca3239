# suite_msstun.py
# Exact-value tests of the MSSTUN message dissector, in the style of
# Wireshark's own test suite: -Y pins the frames, -T fields -e ... prints the
# values, whole rows are compared with ==.
#
#   * the RFC 5769 test vectors;
#   * the generated MS-TURN / MS-ICE2 / MS-TURNBWM captures (values from
#     `captures/gen_msturn.py --describe`, which derives every byte from the specifications);
#   * real captures (Teams, Skype for Business, libnice OC2007/OC2007R2,
#     coturn, hostile zeek cases);
#   * agreement with Wireshark's built-in STUN dissector wherever both decode
#     a field, and the places where the built-in decode is known to be wrong
#     (../shared/reference/wireshark-platform.md section 1,
#     ../shared/reference/ms-turn-reference.md sections 1-3, 8, 9).
#
# Expected values come from the specifications and the manifest, not from the
# dissector.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import subprocess

import pytest

from conftest import wireshark_version, ws_at_least
from msturn_info import INFO_TCP443, INFO_UDP3478

RFC5769 = 'rfc5769/rfc5769_vectors_udp3478.pcap'
TEAMS = 'third-party/ndpi/stun_msteams_unidir.pcapng'
SKYPE = 'third-party/ndpi/skype-conference-call.pcap'
CLASSIC = 'third-party/ndpi/stun_classic.pcap'
OC2007R2 = 'real-peers/libnice-0.1.21-OC2007R2-loopback.pcapng'
OC2007 = 'real-peers/libnice-0.1.21-OC2007-loopback.pcapng'
COTURN_UDP6 = 'real-peers/coturn-4.6.1-ipv6-udp.pcapng'
COTURN_TCP6 = 'real-peers/coturn-4.6.1-ipv6-tcp.pcapng'
COTURN_6062 = 'real-peers/coturn-4.6.1-rfc6062-tcp-relay.pcapng'
COTURN_UDP = 'real-peers/coturn-4.6.1-udp-channeldata.pcapng'
COTURN_TCP = 'real-peers/coturn-4.6.1-tcp-channeldata.pcapng'
ZEEK_FFFF = 'third-party/zeek-spicy-stun/stun-attribute-length-ffff.pcap'
ZEEK_ERROR = 'third-party/zeek-spicy-stun/stun-malformed-error.pcap'

MSTURN_UDP = 'msturn-udp3478.pcap'
MSTURN_TCP = 'msturn-tcp443.pcap'
MSTURN_MID = 'msturn-tcp443-midstream.pcap'
MSTURN_TEAMS = 'msturn-udp3478-teams.pcap'
MSICE2 = 'msice2-checks.pcap'

# Decode As for the captures whose ports the plugin does not own.
DA_TEAMS = ('-d', 'udp.port==3479,msstun')
DA_SKYPE = ('-d', 'udp.port==60642,msstun')
DA_CLASSIC = ('-d', 'udp.port==13958,msstun')
DA_OC2007R2 = ('-d', 'udp.port==40617,msstun', '-d', 'tcp.port==39619,msstun', '-d', 'tcp.port==43099,msstun')
DA_MSICE2 = ('-d', 'udp.port==50012,msstun')
DA_ZEEK_FFFF = ('-d', 'udp.port==19302,msstun')
DA_ZEEK_ERROR = ('-d', 'udp.port==60020,msstun')
TWO_PASS = ('-2',)
BUILTIN_AUTO = ('-o', 'stun.stunversion:Auto')

# Expert severities and groups as tshark prints them (epan/proto.h).
PI_NOTE, PI_WARN, PI_ERROR = '4194304', '6291456', '8388608'
PI_PROTOCOL, PI_MALFORMED = '150994944', '117440512'

# The MS-TURN and MS-ICE2 credentials of the generated captures (gen_msturn.py --describe).
MS_USER_HEX = 'msstun-user'.encode().hex()


def in_frames(*numbers):
    return 'frame.number in {%s}' % ','.join(str(n) for n in numbers)


def join(*values):
    return ','.join(str(v) for v in values)


# ---------------------------------------------------------------------------
# 1. RFC 5769 test vectors (UDP 40000 -> 3478: the plugin's own port)
# ---------------------------------------------------------------------------

class TestRfc5769:
    def test_headers_and_info(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(RFC5769),
                             ['frame.number', '_ws.col.Protocol', 'msstun.type', 'msstun.method', 'msstun.class',
                              'msstun.cookie', 'msstun.id', 'msstun.length', 'msstun.dialect', 'msstun.padded',
                              '_ws.col.Info'])
        tid = 'b7e7a701bc34d686fa87dfae'
        assert rows == [
            ['1', 'MSSTUN', '0x0001', '0x0001', '0', '0x2112a442', tid, '88', '1', '1',
             'Binding Request controlled user evtj:h6vY'],
            ['2', 'MSSTUN', '0x0101', '0x0001', '2', '0x2112a442', tid, '60', '1', '1',
             'Binding Success Response mapped 192.0.2.1:32853'],
            ['3', 'MSSTUN', '0x0101', '0x0001', '2', '0x2112a442', tid, '72', '1', '1',
             'Binding Success Response mapped [2001:db8:1234:5678:11:2233:4455:6677]:32853'],
            ['4', 'MSSTUN', '0x0001', '0x0001', '0', '0x2112a442', '78ad3433c6ad72c029da412e', '96', '1', '1',
             'Binding Request user マトリックス'],
        ]

    def test_sample_request(self, tshark, shared_capture):
        # RFC 5769 2.1: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MI, FINGERPRINT.
        rows = tshark.fields(shared_capture(RFC5769),
                             ['msstun.att.type', 'msstun.att.length', 'msstun.att.software', 'msstun.att.priority',
                              'msstun.att.tie_breaker', 'msstun.att.username', 'msstun.att.hmac_sha1',
                              'msstun.att.hmac_sha256', 'msstun.att.fingerprint', 'msstun.att.fingerprint.status',
                              'msstun.att.fingerprint.legacy', '_ws.expert.message'],
                             dfilter='frame.number == 1')
        assert rows == [[
            '0x8022,0x0024,0x8029,0x0006,0x0008,0x8028', '16,4,8,9,20,4', 'STUN test client',
            str(0x6e0001ff), '0x932ff9b151263b36', 'evtj:h6vY', '9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2',
            '', '0xe57a3bcf', '1', '', '']]

    def test_ipv4_response(self, tshark, shared_capture):
        # RFC 5769 2.2: XOR-MAPPED-ADDRESS 0001 a147 e112a643 -> 192.0.2.1:32853.
        rows = tshark.fields(shared_capture(RFC5769),
                             ['msstun.att.software', 'msstun.att.family', 'msstun.att.xor_port', 'msstun.att.xor_ipv4',
                              'msstun.att.xor_mapped.ipv4', 'msstun.att.xor_mapped.ipv6', 'msstun.att.xor_mapped.port',
                              'msstun.addr', 'msstun.addr6', 'msstun.port', 'msstun.att.hmac_sha1',
                              'msstun.att.fingerprint', 'msstun.att.fingerprint.status'],
                             dfilter='frame.number == 2')
        assert rows == [['test vector', '0x01', '0xa147', '0xe112a643', '192.0.2.1', '', '32853',
                         '192.0.2.1', '', '32853', '2b91f599fd9e90c38c7489f92af9ba53f06be7d7', '0xc07d4c96', '1']]

    def test_ipv6_response(self, tshark, shared_capture):
        # RFC 5769 2.3: the IPv6 address is XORed with bytes 4..19 of the message.
        rows = tshark.fields(shared_capture(RFC5769),
                             ['msstun.att.family', 'msstun.att.xor_port', 'msstun.att.xor_ipv6',
                              'msstun.att.xor_mapped.ipv4', 'msstun.att.xor_mapped.ipv6', 'msstun.att.xor_mapped.port',
                              'msstun.addr', 'msstun.addr6', 'msstun.port', 'msstun.att.hmac_sha1',
                              'msstun.att.fingerprint', 'msstun.att.fingerprint.status'],
                             dfilter='frame.number == 3')
        assert rows == [['0x02', '0xa147', '0113a9faa5d3f179bc25f4b5bed2b9d9', '',
                         '2001:db8:1234:5678:11:2233:4455:6677', '32853', '', '2001:db8:1234:5678:11:2233:4455:6677',
                         '32853', 'a382954e4be67bf11784c97c8292c275bfe3ed41', '0xc8fb0b4c', '1']]

    def test_long_term_request_keeps_rfc_numbering(self, tshark, shared_capture):
        # RFC 5769 2.4: in RFC numbering 0x0015 is NONCE and 0x0014 REALM.  The
        # MS-TURN swap (NONCE 0x0014, REALM 0x0015) must not apply here.
        rows = tshark.fields(shared_capture(RFC5769),
                             ['msstun.att.type', 'msstun.att.length', 'msstun.att.padding', 'msstun.att.username',
                              'msstun.att.username_opaque', 'msstun.att.nonce', 'msstun.att.realm',
                              'msstun.att.hmac_sha1', 'msstun.att.fingerprint'],
                             dfilter='frame.number == 4')
        assert rows == [['0x0006,0x0015,0x0014,0x0008', '18,28,11,20', '0000,00',
                         '\u30de\u30c8\u30ea\u30c3\u30af\u30b9', '', 'f//499k954d6OL34oL9FSTvy64sA', 'example.org',
                         'f67024656dd64a3e02b8e0712e85c9a28ca89666', '']]
        # The filter names agree with the values.
        assert tshark.fields(shared_capture(RFC5769), ['frame.number'],
                             dfilter='msstun.att.realm == "example.org"') == [['4']]
        assert tshark.fields(shared_capture(RFC5769), ['frame.number', 'msstun.att.fingerprint'],
                             dfilter='msstun.att.fingerprint.status == 1') == [
            ['1', '0xe57a3bcf'], ['2', '0xc07d4c96'], ['3', '0xc8fb0b4c']]

    def test_transactions(self, tshark, shared_capture):
        # The three messages of 2.1-2.3 share one transaction ID: the second
        # response repeats the transaction of the first (Wireshark's STUN
        # calls this stun.reqduplicate).
        cols = ['frame.number', 'msstun.response_in', 'msstun.response_to', 'msstun.time',
                'msstun.retransmission_of', '_ws.expert.message']
        assert tshark.fields(shared_capture(RFC5769), cols) == [
            ['1', '', '', '', '', ''],
            ['2', '', '1', '0.000001000', '', ''],
            ['3', '', '1', '0.000002000', '2', 'Retransmitted message'],
            ['4', '', '', '', '', ''],
        ]
        assert tshark.fields(shared_capture(RFC5769), cols[:2] + ['msstun.no_response'], extra=TWO_PASS) == [
            ['1', '2', ''], ['2', '', ''], ['3', '', ''], ['4', '', '1'],
        ]


# ---------------------------------------------------------------------------
# 2. Generated captures: MS-TURN over UDP 3478 (`captures/gen_msturn.py --describe`)
# ---------------------------------------------------------------------------

class TestMsTurnUdp:
    def test_message_types_and_info(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class', 'msstun.dialect',
                              'msstun.padded', '_ws.col.Info'], dfilter='msstun.type')
        # The Info column: msturn_info.py.  Frame 5: MS-TURN Send request 0x0004 (method 0x1004),
        # carrying an MS-ICE2 Binding request.  Frame 6: Data Indication 0x0115 (method 0x1005,
        # class 1 = indication), with a 128-bit transaction ID and no RFC cookie (reference 9):
        # dialect 4.  Frames 24 and 25: legacy cookie-less MS-TURN (MS-VERSION 1): dialect 4.
        assert rows == [row + [INFO_UDP3478[int(row[0])]] for row in [
            ['1', '0x0003', '0x0003', '0', '3', '0'], ['2', '0x0113', '0x0003', '3', '3', '0'],
            ['3', '0x0003', '0x0003', '0', '3', '0'], ['4', '0x0103', '0x0003', '2', '3', '0'],
            ['5', '0x0004,0x0001', '0x1004,0x0001', '0,0', '3,1', '0,1'],
            ['6', '0x0115,0x0101', '0x1005,0x0001', '1,2', '4,1', '0,1'], ['7', '0x0004', '0x1004', '0', '3', '0'],
            ['8', '0x0115', '0x1005', '1', '4', '0'], ['9', '0x0006', '0x1006', '0', '3', '0'],
            ['10', '0x0106', '0x1006', '2', '3', '0'], ['17', '0x0006', '0x1006', '0', '3', '0'],
            ['18', '0x0116', '0x1006', '3', '3', '0'], ['20', '0x0003', '0x0003', '0', '3', '0'],
            ['21', '0x0103', '0x0003', '2', '3', '0'], ['22', '0x0003', '0x0003', '0', '3', '0'],
            ['23', '0x0103', '0x0003', '2', '3', '0'], ['24', '0x0003', '0x0003', '0', '4', '0'],
            ['25', '0x0103', '0x0003', '2', '4', '0'], ['26', '0x0003', '0x0003', '0', '3', '0'],
        ]]

    def test_headers(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.length', 'msstun.cookie', 'msstun.id'],
                             dfilter=in_frames(1, 2, 5, 6, 8, 24, 25, 26))
        assert rows == [
            ['1', '32', '0x2112a442', '6380b2a7e17769b4ff6918ae'],
            ['2', '112', '0x2112a442', '6380b2a7e17769b4ff6918ae'],
            ['5', '207,84', '0x2112a442,0x2112a442', 'feba88eddb43e7a114e96377,fbc28a250dfefdeb2a84e122'],
            # No header cookie on the outer Data Indication: a 128-bit ID.
            ['6', '132,52', '0x2112a442', '15fce02229f2dd0499799d57b94c4ca6,fbc28a250dfefdeb2a84e122'],
            ['8', '144', '', 'cd1000314c5b9e30ebdf18d0529994aa'],
            ['24', '16', '', '0123456789abcdef0011223344556677'],
            ['25', '48', '', '0123456789abcdef0011223344556677'],
            ['26', '40', '0x2112a442', '06850bbcf45889b96e12ab19'],
        ]

    def test_allocate_unauthenticated(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.length', 'msstun.att.magic_cookie', 'msstun.att.ms.version',
                              'msstun.att.ms.stream_type', 'msstun.att.ms.service_quality', 'msstun.att.bandwidth',
                              'msstun.att.padding', '_ws.expert.message'],
                             dfilter='frame.number == 1')
        assert rows == [['0x000f,0x8008,0x8055,0x0010', '4,4,4,4', '0x72c64bc6', '6', '1', '0', '100', '', '']]

    def test_allocate_401(self, tshark, local_capture):
        # MS numbering: NONCE 0x0014, REALM 0x0015; ALTERNATE-SERVER 0x000E plain.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.length', 'msstun.att.error', 'msstun.att.error.class',
                              'msstun.att.error.number', 'msstun.att.error.reason', 'msstun.att.nonce',
                              'msstun.att.realm', 'msstun.att.alternate_server.ipv4',
                              'msstun.att.alternate_server.port', 'msstun.att.ms.version', 'msstun.auth_challenge',
                              'msstun.error_response', '_ws.expert.message', '_ws.expert.severity'],
                             dfilter='frame.number == 2')
        assert rows == [['0x000f,0x0009,0x0014,0x0015,0x000e,0x8008', '4,16,30,26,8,4', '401', '4', '1',
                         'Unauthorized', '96e69df7f5e801c575d2a66665557b', 'SIP Communications Service', '192.0.2.1',
                         '3478', '6', '1', '', 'Authentication challenge: 401 Unauthorized', PI_NOTE]]
        assert tshark.fields(local_capture(MSTURN_UDP), ['frame.number'],
                             dfilter='msstun.att.realm == "SIP Communications Service"') == [
            ['2'], ['3'], ['20'], ['22']]

    def test_allocate_authenticated(self, tshark, local_capture):
        # MS-TURN USERNAME is opaque; MESSAGE-INTEGRITY is a 32-byte HMAC-SHA256.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.length', 'msstun.att.username',
                              'msstun.att.username_opaque', 'msstun.att.nonce', 'msstun.att.realm',
                              'msstun.att.ms.stream_type', 'msstun.att.bandwidth', 'msstun.att.hmac_sha256',
                              'msstun.att.hmac_sha1', 'msstun.att.hmac'],
                             dfilter='frame.number == 3')
        assert rows == [['0x000f,0x8008,0x0006,0x0014,0x0015,0x8055,0x0010,0x0008', '4,4,11,30,26,4,4,32', '',
                         MS_USER_HEX, '96e69df7f5e801c575d2a66665557b', 'SIP Communications Service', '1', '100',
                         '248b629ea713859bbc991ee86d8df6de75d7f1219778875e99f1862f118f2086', '', '']]

    def test_allocate_success(self, tshark, local_capture):
        # MAPPED-ADDRESS is the relay (plain), MS-ALT-MAPPED-ADDRESS the IPv6
        # relay (plain), 0x8020 the reflexive address XORed with bytes 4..7.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.mapped.ipv4', 'msstun.att.mapped.port', 'msstun.att.ms_alt_mapped.ipv6',
                              'msstun.att.ms_alt_mapped.port', 'msstun.att.ms_xor_mapped.ipv4',
                              'msstun.att.ms_xor_mapped.port', 'msstun.att.xor_port', 'msstun.att.xor_ipv4',
                              'msstun.att.xor_mapped.ipv4', 'msstun.addr', 'msstun.addr6', 'msstun.port',
                              'msstun.att.family', 'msstun.att.lifetime', 'msstun.att.ms.version',
                              'msstun.att.ms.connection_id', 'msstun.att.ms.sequence_number',
                              'msstun.att.ms.multiplexed_session_id', 'msstun.att.hmac_sha256'],
                             dfilter='frame.number == 4')
        assert rows == [['192.0.2.15', '50000', '2001:db8::15', '50002', '198.51.100.7', '40000', '0xbd52',
                         '0xe721c045', '', '192.0.2.15,198.51.100.7', '2001:db8::15', '50000,50002,40000',
                         '0x01,0x02,0x01', '480', '6', '0151a29b9789863ab54e0fb6b5f24bb3683469d2', '0',
                         '0x3b8e07bb823e5a6d', '6839cb748af1b8e90b7431a006a531ce97650323f604d018cf4b2411d1336d7f']]
        assert tshark.fields(local_capture(MSTURN_UDP), ['frame.number'],
                             dfilter='msstun.addr == 192.0.2.15 && msstun.port == 50000') == [
            ['4'], ['6'], ['21'], ['22'], ['25']]

    def test_send_request_relaying_a_binding_request(self, tshark, local_capture):
        # Outer MS-TURN Send request and inner MS-ICE2 Binding request, both shown.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.length', 'msstun.att.username_opaque',
                              'msstun.att.ms.connection_id', 'msstun.att.ms.sequence_number',
                              'msstun.att.destination.ipv4', 'msstun.att.destination.port', 'msstun.att.username',
                              'msstun.att.priority', 'msstun.att.tie_breaker', 'msstun.att.ms.candidate_id',
                              'msstun.att.ms.implementation_version', 'msstun.att.hmac_sha1',
                              'msstun.att.hmac_sha256', 'msstun.att.fingerprint', 'msstun.att.fingerprint.status',
                              'msstun.att.padding'],
                             dfilter='frame.number == 5')
        assert rows == [[
            # With occurrence=a, Wireshark 4.0 and 4.6 list a field's values in
            # tree order (the relayed message's attributes inside DATA before
            # the outer MESSAGE-INTEGRITY), 4.4 in the order they were added
            # (the outer walk ends before the relayed payload is decoded).
            '0x000f,0x0006,0x8050,0x0011,0x0013,0x0008,0x0006,0x0024,0x802a,0x8054,0x8070,0x0008,0x8028'
            if wireshark_version() == (4, 4) else
            '0x000f,0x0006,0x8050,0x0011,0x0013,0x0006,0x0024,0x802a,0x8054,0x8070,0x0008,0x8028,0x0008',
            '4,11,24,8,104,32,9,4,8,4,4,20,4' if wireshark_version() == (4, 4) else '4,11,24,8,104,9,4,8,4,4,20,4,32',
            MS_USER_HEX, '0151a29b9789863ab54e0fb6b5f24bb3683469d2', '1',
            '203.0.113.9', '50012', 'pQ7z:Ab3d', '1862270975', '0x9f3c5a7e12345678', '3', '3',
            '4574e30122924cc646d51f0da9e3d676f8fd3f1e',
            'f08c8afc8f59cfa52556881b79bb513b2b677a649cb1e84f9bc11c3101850020', '0x4177367f', '1', '000000']]

    def test_data_indication_relaying_a_binding_response(self, tshark, local_capture):
        # REMOTE-ADDRESS 0x0012 is plain in MS-TURN (reference 8 item 1); the
        # inner XOR-MAPPED-ADDRESS is XORed with the inner message's cookie.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.remote.ipv4', 'msstun.att.remote.port',
                              'msstun.att.xor_peer.ipv4', 'msstun.att.xor_mapped.ipv4', 'msstun.att.xor_mapped.port',
                              'msstun.att.ms.implementation_version', 'msstun.att.hmac_sha1',
                              'msstun.att.hmac_sha256', 'msstun.att.fingerprint', 'msstun.att.fingerprint.status',
                              'msstun.addr', 'msstun.port'],
                             dfilter='frame.number == 6')
        # Occurrence order of msstun.att.type: see test_send_request_relaying_a_binding_request.
        types = ('0x000f,0x0012,0x0013,0x0008,0x0020,0x8070,0x0008,0x8028' if wireshark_version() == (4, 4) else
                 '0x000f,0x0012,0x0013,0x0020,0x8070,0x0008,0x8028,0x0008')
        assert rows == [[types, '203.0.113.9', '50012', '',
                         '192.0.2.15', '50000', '3', 'add803ca6ab5832f46bb979820b1cb71128141f9',
                         'bf3052a3eefedf12fe55edefcb384b0c2e2f1a79fd16f23e998418e8313c7fba', '0xfa867790', '1',
                         '203.0.113.9,192.0.2.15', '50012,50000']]

    def test_relayed_media(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'frame.protocols', 'msstun.att.destination.ipv4',
                              'msstun.att.remote.ipv4', 'msstun.att.ms.sequence_number', 'msstun.att.length',
                              'rtp.ssrc', 'rtp.seq', 'rtcp.senderssrc', 'msstun.mturn.channel', 'msstun.mturn.length',
                              'msstun.mturn.session_id'],
                             dfilter=in_frames(7, 8, 19))
        assert rows == [
            ['7', 'eth:ethertype:ip:udp:msstun:rtp', '203.0.113.9', '', '2', '4,11,24,8,72,32', '0x1a2b3c4d',
             '1000', '', '', '', ''],
            ['8', 'eth:ethertype:ip:udp:msstun:rtcp', '', '203.0.113.9', '', '4,8,84,32', '', '', '0x5e6f7a8b',
             '', '', ''],
            # 0xFF10 session ID = MULTIPLEXED-TURN-SESSION-ID of the allocation (frame 4).
            ['19', 'eth:ethertype:ip:udp:msstun:rtp', '', '', '', '', '0x1a2b3c4d', '1003', '', '0xff10', '80',
             '0x3b8e07bb823e5a6d'],
        ]

    def test_set_active_destination(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.att.type', 'msstun.att.destination.ipv4',
                              'msstun.att.destination.port', 'msstun.att.ms.connection_id',
                              'msstun.att.ms.sequence_number', 'msstun.att.error', 'msstun.att.error.class',
                              'msstun.att.error.number', 'msstun.att.error.reason', 'msstun.att.hmac_sha256',
                              'msstun.error_response', 'msstun.auth_challenge', 'msstun.ms_send_response',
                              '_ws.expert.message', '_ws.expert.severity'],
                             dfilter=in_frames(9, 10, 17, 18))
        conn = '0151a29b9789863ab54e0fb6b5f24bb3683469d2'
        assert rows == [
            ['9', '0x000f,0x0006,0x8050,0x0011,0x0008', '203.0.113.9', '50012', conn, '3', '', '', '', '',
             'ab1a72b1e5200fe4f7eeec3c5448de0d154ab81287dbf04216f159aa6cac885b', '', '', '', '', ''],
            ['10', '0x000f,0x0008', '', '', '', '', '', '', '', '',
             'dcebbf3de757b6fc0332f63ccfcf57dfd5fb747791b38233100c0ef7301996d1', '', '', '', '', ''],
            ['17', '0x000f,0x0006,0x8050,0x0011,0x0008', '203.0.113.9', '50014', conn, '4', '', '', '', '',
             'ea8dcde3d57b0ffec5cabb609f590379349ac362624640cb5a27ae7787fbf67e', '', '', '', '', ''],
            ['18', '0x000f,0x0009,0x0008', '', '', '', '', '439', '4', '39', 'Active Destination Already Set',
             'ae6ab31ce9fafee4e8b66d7869d28e7a6248b69475286f29656540ec4cd4077e', '1', '', '',
             'Set Active Destination error 439 Active Destination Already Set', PI_WARN],
        ]

    def test_refresh_allocate(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.att.type', 'msstun.att.lifetime', 'msstun.att.nonce',
                              'msstun.att.realm', 'msstun.att.mapped.ipv4', 'msstun.att.mapped.port',
                              'msstun.att.ms_xor_mapped.ipv4', 'msstun.att.ms_xor_mapped.port', 'msstun.att.ms.version',
                              'msstun.att.hmac_sha256'],
                             dfilter=in_frames(20, 21))
        assert rows == [
            ['20', '0x000f,0x8008,0x0006,0x0014,0x0015,0x000d,0x0008', '480', '96e69df7f5e801c575d2a66665557b',
             'SIP Communications Service', '', '', '', '', '6',
             '0045175ac0cb9ec2233cf6043fe5886db3f4999e1cdedca2ea10a73c5050bdd1'],
            ['21', '0x000f,0x0001,0x8020,0x000d,0x8008,0x0008', '480', '', '', '192.0.2.15', '50000',
             '198.51.100.7', '40000', '6', '57b4bcad39fb40a31aa1fc5d193481e64110c4be97270163633643cf6a9abb52'],
        ]

    def test_bandwidth_reservation_check(self, tshark, local_capture):
        # MS-TURNBWM: the amounts in the 2.2.3 figure order (MinSend, MaxSend,
        # MinRecv, MaxRecv) and the four XOR site addresses, one of them IPv6
        # (XORed with bytes 4..19 of the message).
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.bwm.acm_type', 'msstun.att.bwm.rsv_id', 'msstun.att.bwm.min_send',
                              'msstun.att.bwm.max_send', 'msstun.att.bwm.min_recv', 'msstun.att.bwm.max_recv',
                              'msstun.att.local_site.ipv4', 'msstun.att.local_site.port',
                              'msstun.att.local_relay_site.ipv4', 'msstun.att.local_relay_site.port',
                              'msstun.att.remote_site.ipv4', 'msstun.att.remote_site.port',
                              'msstun.att.remote_relay_site.ipv6', 'msstun.att.remote_relay_site.port',
                              'msstun.att.xor_ipv6', 'msstun.att.bwm.sip_dialog_id', 'msstun.att.bwm.sip_call_id',
                              'msstun.att.bwm.peer_location', 'msstun.att.bwm.self_location',
                              'msstun.att.bwm.federation', 'msstun.att.length'],
                             dfilter='frame.number == 22')
        assert rows == [['0', 'd1e179e3f93a6ef12e95adb9be470dc3', '40', '100', '40', '100', '10.0.0.10', '50000',
                         '192.0.2.15', '50000', '203.0.113.9', '50012', '2001:db8::20', '50020',
                         '0113a9fa9b9f7e2b4662731b8172ff11', 'a84b4c76e66710;from-tag=1928301774;to-tag=a6c85cf',
                         'a84b4c76e66710@pc33.msstun.example', '1', '2', '1',
                         '4,4,11,30,26,4,16,16,8,8,8,20,49,34,4,32']]

    def test_bandwidth_reservation_results(self, tshark, local_capture):
        # 0x805D..0x8060 in attribute order: V/F bits (F only in 0x805D and
        # 0x805F), then the granted MaxSend and MaxRecv.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.bwm.valid', 'msstun.att.bwm.pstn_failover',
                              'msstun.att.bwm.reserved_bits', 'msstun.att.bwm.rp_max_send',
                              'msstun.att.bwm.rp_max_recv', 'msstun.att.ms_xor_mapped.ipv4',
                              'msstun.att.ms_xor_mapped.port', 'msstun.att.lifetime'],
                             dfilter='frame.number == 23')
        assert rows == [['0x000f,0x8020,0x000d,0x8008,0x805d,0x805e,0x805f,0x8060,0x0008', '1,1,1,0', '0,1',
                         '0x00000000,0x00000000,0x00000000,0x00000000', '100,80,60,45', '90,70,50,44',
                         '198.51.100.7', '40000', '480']]

    def test_legacy_allocate(self, tshark, local_capture):
        # Reference 7.3: the XOR key of a cookie-less message is bytes 4..7 of
        # its 128-bit transaction ID (0x01234567).
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.att.type', 'msstun.att.magic_cookie', 'msstun.att.ms.version',
                              'msstun.att.mapped.ipv4', 'msstun.att.mapped.port', 'msstun.att.xor_port',
                              'msstun.att.xor_ipv4', 'msstun.att.ms_xor_mapped.ipv4', 'msstun.att.ms_xor_mapped.port',
                              'msstun.att.lifetime', '_ws.expert.message'],
                             dfilter=in_frames(24, 25))
        assert rows == [
            ['24', '0x000f,0x8008', '0x72c64bc6', '1', '', '', '', '', '', '', '', ''],
            ['25', '0x000f,0x0001,0x8020,0x000d,0x8008', '0x72c64bc6', '1', '192.0.2.15', '50000', '0x9d63',
             '0xc7102160', '198.51.100.7', '40000', '480', ''],
        ]

    def test_video_allocate(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['msstun.att.type', 'msstun.att.requested_family', 'msstun.att.ms.stream_type',
                              'msstun.att.ms.service_quality', 'msstun.att.bandwidth', 'msstun.att.ms.version'],
                             dfilter='frame.number == 26')
        assert rows == [['0x000f,0x8008,0x0017,0x8055,0x0010', '0x01', '2', '0', '2000', '6']]

    def test_transactions_one_pass(self, tshark, local_capture):
        # The Send request and the Data Indications are not transactions; the
        # Binding check relayed in frames 5/6 is.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.response_in', 'msstun.response_to', 'msstun.time',
                              'msstun.retransmission_of', 'msstun.no_response'],
                             dfilter='msstun.response_to || msstun.response_in || msstun.no_response || '
                                     'msstun.retransmission_of')
        assert rows == [
            ['2', '', '1', '0.020000000', '', ''],
            ['4', '', '3', '0.020000000', '', ''],
            ['6', '', '5', '0.020000000', '', ''],
            ['10', '', '9', '0.020000000', '', ''],
            ['18', '', '17', '0.020000000', '', ''],
            ['21', '', '20', '0.020000000', '', ''],
            ['23', '', '22', '0.020000000', '', ''],
            ['25', '', '24', '0.020000000', '', ''],
        ]
        # One pass cannot know that a request stays unanswered.
        assert tshark.fields(local_capture(MSTURN_UDP), ['frame.number'], dfilter='msstun.no_response') == []

    def test_transactions_two_pass(self, tshark, local_capture):
        # Only a second pass knows that frame 26 was never answered.
        rows = tshark.fields(local_capture(MSTURN_UDP),
                             ['frame.number', 'msstun.response_in', 'msstun.no_response', '_ws.expert.message',
                              '_ws.expert.severity'],
                             dfilter='msstun.type && msstun.class == 0', extra=TWO_PASS)
        assert rows == [
            ['1', '2', '', '', ''],
            ['3', '4', '', '', ''],
            ['5', '6', '', '', ''],
            ['7', '', '', '', ''],
            ['9', '10', '', '', ''],
            ['17', '18', '', '', ''],
            ['20', '21', '', '', ''],
            ['22', '23', '', '', ''],
            ['24', '25', '', '', ''],
            ['26', '', '1', 'No response seen to this request', PI_WARN],
        ]

    def test_expert_items(self, tshark, local_capture):
        # Nothing but the 401 challenge (a note) and the 439 error (a warning).
        rows = tshark.fields(local_capture(MSTURN_UDP), ['frame.number', '_ws.expert.message'],
                             dfilter='_ws.expert')
        assert rows == [['2', 'Authentication challenge: 401 Unauthorized'],
                        ['18', 'Set Active Destination error 439 Active Destination Already Set']]


# ---------------------------------------------------------------------------
# 2b. Generated captures: MS-TURN over TCP 443
# ---------------------------------------------------------------------------

class TestMsTurnTcp:
    def test_message_types_and_info(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_TCP),
                             ['frame.number', 'msstun.tcp.type', 'msstun.tcp.length', 'msstun.type', 'msstun.method',
                              'msstun.class', 'msstun.dialect', 'msstun.padded', '_ws.col.Info'],
                             dfilter='msstun.type')
        # The Info column: msturn_info.py.  Frame 11: two 02 frames in one segment, each a Data
        # Indication with a relayed check; frame 13: a 02 frame split over frames 12 and 13.
        assert rows == [row + [INFO_TCP443[int(row[0])]] for row in [
            ['6', '0x02', '52', '0x0003', '0x0003', '0', '3', '0'],
            ['7', '0x02', '132', '0x0113', '0x0003', '3', '3', '0'],
            ['8', '0x02', '167', '0x0003', '0x0003', '0', '3', '0'],
            ['9', '0x02', '168', '0x0103', '0x0003', '2', '3', '0'],
            ['10', '0x02', '229', '0x0004,0x0001', '0x1004,0x0001', '0,0', '3,1', '0,1'],
            ['11', '0x02,0x02', '154,186', '0x0115,0x0101,0x0115,0x0001', '0x1005,0x0001,0x1005,0x0001', '1,2,1,0',
             '4,1,4,1', '0,1,0,1'],
            ['13', '0x02', '197', '0x0004,0x0101', '0x1004,0x0001', '0,2', '3,1', '0,1'],
            ['15', '0x02', '119', '0x0006', '0x1006', '0', '3', '0'],
            ['16', '0x02', '64', '0x0106', '0x1006', '2', '3', '0'],
        ]]

    def test_allocation(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_TCP),
                             ['frame.number', 'msstun.id', 'msstun.att.error', 'msstun.att.nonce', 'msstun.att.realm',
                              'msstun.att.alternate_server.ipv4', 'msstun.att.alternate_server.port',
                              'msstun.att.mapped.ipv4', 'msstun.att.mapped.port', 'msstun.att.ms_alt_mapped.ipv6',
                              'msstun.att.ms_alt_mapped.port', 'msstun.att.ms_xor_mapped.ipv4',
                              'msstun.att.ms_xor_mapped.port', 'msstun.att.ms.connection_id',
                              'msstun.att.ms.sequence_number', 'msstun.att.ms.multiplexed_session_id',
                              'msstun.att.hmac_sha256', 'msstun.auth_challenge'],
                             dfilter=in_frames(7, 9))
        assert rows == [
            ['7', 'c72a650563ba3f179f8d4262', '401', '7ce814302d1d4c3933afd615a2beb5', 'SIP Communications Service',
             '192.0.2.1', '443', '', '', '', '', '', '', '', '', '', '', '1'],
            ['9', '64b7c0d173554277b453f3d2', '', '', '', '', '', '192.0.2.15', '50100', '2001:db8::15', '50102',
             '198.51.100.7', '41000', '9da7bd20c3fcaa8aa48d518e1d1c00985553d452', '0', '0x921a2eed9d947143',
             'd4424c6c9c5ab8fe8ff8757661265a86326091b88dd61cf887024cbdbedd3519', ''],
        ]

    def test_relayed_checks(self, tshark, local_capture):
        # DATA carries RFC 4571 frames holding MS-ICE2 checks; both the outer
        # and the inner message are decoded.
        rows = tshark.fields(local_capture(MSTURN_TCP),
                             ['frame.number', 'msstun.rfc4571.length', 'msstun.id', 'msstun.att.destination.ipv4',
                              'msstun.att.remote.ipv4', 'msstun.att.remote.port', 'msstun.att.xor_mapped.ipv4',
                              'msstun.att.xor_mapped.port', 'msstun.att.ms.candidate_id',
                              'msstun.att.ms.sequence_number', 'msstun.att.fingerprint',
                              'msstun.att.fingerprint.status'],
                             dfilter=in_frames(10, 11, 13))
        assert rows == [
            ['10', '104', '271240fb36fec70744bd1e1e,d25891b167daec05d2bf9066', '203.0.113.9', '', '', '', '', '4',
             '1', '0x4192fb29', '1'],
            ['11', '72,104', 'd7a555fba6ccbd45be6d7a6957851dd6,d25891b167daec05d2bf9066,'
             '86fcb4bd78a0a080ce4877da20ca90b5,dcbb412faa294f50c9fdfa02', '', '203.0.113.9,203.0.113.9',
             '50012,50012', '192.0.2.15', '50100', '5', '', '0x4b6dec42,0x5ed60c4e', '1,1'],
            ['13', '72', 'ee2c308b5c972fb1b3100dfc,dcbb412faa294f50c9fdfa02', '203.0.113.9', '', '', '203.0.113.9',
             '50012', '', '2', '0x24ac0253', '1'],
        ]

    def test_transactions(self, tshark, local_capture):
        cols = ['frame.number', 'msstun.response_in', 'msstun.response_to', 'msstun.time']
        assert tshark.fields(local_capture(MSTURN_TCP), cols, dfilter='msstun.type') == [
            ['6', '', '', ''], ['7', '', '6', '0.020000000'], ['8', '', '', ''], ['9', '', '8', '0.020000000'],
            ['10', '', '', ''], ['11', '', '10', '0.020000000'], ['13', '', '11', '0.040000000'],
            ['15', '', '', ''], ['16', '', '15', '0.020000000'],
        ]
        assert tshark.fields(local_capture(MSTURN_TCP), cols[:2] + ['msstun.no_response'],
                             dfilter='msstun.type', extra=TWO_PASS) == [
            ['6', '7', ''], ['7', '', ''], ['8', '9', ''], ['9', '', ''], ['10', '11', ''], ['11', '13', ''],
            ['13', '', ''], ['15', '16', ''], ['16', '', ''],
        ]

    def test_midstream(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_MID),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class', 'msstun.dialect',
                              'msstun.id', 'msstun.att.nonce', 'msstun.att.realm', 'msstun.att.lifetime',
                              'msstun.att.mapped.port', 'msstun.att.ms_xor_mapped.port', 'msstun.att.remote.ipv4',
                              'msstun.att.destination.ipv4', 'msstun.att.ms.sequence_number',
                              'msstun.att.xor_mapped.ipv4', 'msstun.response_to', '_ws.col.Info'],
                             dfilter='msstun.type')
        assert rows == [
            ['3', '0x0003', '0x0003', '0', '3', '032ddb991d515c4d8d90eabc', '6d1c2ace32bba3ad9e35c5290896e0',
             'SIP Communications Service', '480', '', '', '', '', '', '', '', 'Allocate Request lifetime 480'],
            ['4', '0x0103', '0x0003', '2', '3', '032ddb991d515c4d8d90eabc', '', '', '480', '50200', '42000', '', '',
             '', '', '3', 'Allocate Success Response relayed 192.0.2.15:50200 mapped 198.51.100.7:42000 '
             'lifetime 480'],
            ['6', '0x0115,0x0001', '0x1005,0x0001', '1,0', '4,1',
             '3ceae837756cf4050b182357fb6eb665,5ac2af0581c31c2f0cb3e48d', '', '', '', '', '', '203.0.113.9', '', '',
             '', '', 'Data Indication from 203.0.113.9:50012 | Binding Request user Ab3d:pQ7z controlled'],
            ['7', '0x0004,0x0101', '0x1004,0x0001', '0,2', '3,1',
             '316a9c43d4b91624f70d8482,5ac2af0581c31c2f0cb3e48d', '', '', '', '', '', '', '203.0.113.9', '17',
             '203.0.113.9', '6', 'Send Request to 203.0.113.9:50012 | Binding Success Response mapped '
             '203.0.113.9:50012'],
        ]


# ---------------------------------------------------------------------------
# 2c. Generated captures: MS-ICE2 connectivity checks (Decode As)
# ---------------------------------------------------------------------------

class TestMsIce2:
    def test_messages(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSICE2),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class', 'msstun.length',
                              'msstun.dialect', 'msstun.padded', '_ws.col.Info'],
                             dfilter='msstun.type', extra=DA_MSICE2)
        assert rows == [
            ['1', '0x0001', '0x0001', '0', '84', '1', '1', 'Binding Request user pQ7z:Ab3d controlling'],
            ['2', '0x0101', '0x0001', '2', '52', '1', '1', 'Binding Success Response mapped 10.0.0.10:50010'],
            ['3', '0x0001', '0x0001', '0', '84', '1', '1', 'Binding Request user Ab3d:pQ7z controlled'],
            ['4', '0x0101', '0x0001', '2', '52', '1', '1', 'Binding Success Response mapped 203.0.113.9:50012'],
            ['5', '0x0001', '0x0001', '0', '92', '1', '1', 'Binding Request user pQ7z:Ab3d controlling use-candidate'],
            ['6', '0x0101', '0x0001', '2', '52', '1', '1', 'Binding Success Response mapped 10.0.0.10:50010'],
            # Unpadded attributes (odd-length USERNAME): dialect 2.
            ['7', '0x0001', '0x0001', '0', '81', '2', '0', 'Binding Request user pQ7z:Ab3d controlling'],
            # Its response has only 4-byte-multiple attributes: padded and
            # unpadded walks are the same bytes, so from this message alone it
            # is RFC 5389.
            ['8', '0x0101', '0x0001', '2', '52', '1', '1', 'Binding Success Response mapped 10.0.0.10:50010'],
            ['9', '0x0001', '0x0001', '0', '84', '1', '1', 'Binding Request user pQ7z:Ab3d controlling'],
            ['10', '0x0001', '0x0001', '0', '68', '1', '1', 'Binding Request user pQ7z:Ab3d controlling'],
            ['11', '0x0101', '0x0001', '2', '44', '1', '1', 'Binding Success Response mapped 10.0.0.10:50010'],
            ['12', '0x0001', '0x0001', '0', '84', '1', '1', 'Binding Request user Ab3d:pQ7z controlling'],
            ['13', '0x0111', '0x0001', '3', '64', '1', '1', 'Binding Error Response error 487 Role Conflict'],
        ]

    def test_requests(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSICE2),
                             ['frame.number', 'msstun.id', 'msstun.att.type', 'msstun.att.length',
                              'msstun.att.username', 'msstun.att.priority', 'msstun.att.tie_breaker',
                              'msstun.att.ms.candidate_id', 'msstun.att.ms.implementation_version',
                              'msstun.att.hmac_sha1', 'msstun.att.fingerprint'],
                             dfilter='msstun.class == 0', extra=DA_MSICE2)
        ctl, ctd = '0x9f3c5a7e12345678', '0x1122334455667788'
        std = '0x0006,0x0024,0x802a,0x8054,0x8070,0x0008,0x8028'
        assert rows == [
            ['1', '375f984693d4e2dff5b42cd3', std, '9,4,8,4,4,20,4', 'pQ7z:Ab3d', '1862270975', ctl, '1', '3',
             '9ab1f0031b0318e10aa3ad02281792d45db3ef34', '0x835ab131'],
            ['3', '10829d14d08e357d64e502b1', '0x0006,0x0024,0x8029,0x8054,0x8070,0x0008,0x8028', '9,4,8,4,4,20,4',
             'Ab3d:pQ7z', '1862270719', ctd, '2', '3', 'ca62f550333ca63f30780fdb8ed9ef18932a5943', '0xc4dbc747'],
            # USE-CANDIDATE (empty) and an 8-byte CANDIDATE-IDENTIFIER "12345".
            ['5', '88153fcb99ebeb3994b84c5a', '0x0006,0x0024,0x802a,0x0025,0x8054,0x8070,0x0008,0x8028',
             '9,4,8,0,8,4,20,4', 'pQ7z:Ab3d', '1862270975', ctl, '12345', '3',
             'd80c57f088d422bce9a410ecc7c30a897b7ea5bd', '0xc42210ce'],
            ['7', 'b9f35220f922e319bdde469c', std, '9,4,8,4,4,20,4', 'pQ7z:Ab3d', '1862270975', ctl, '1', '3',
             '4dc415dc310d5dc83dfe33b1b2ab50fcef44b8f6', '0x6e5c91ce'],
            ['9', '50f195be4f35aa23ef3653e7', std, '9,4,8,4,4,20,4', 'pQ7z:Ab3d', '1862270975', ctl, '1', '3',
             '0403eda27c8b3126bd0106ee4af7c4a153cf0c84', '0xbe9f9e21'],
            ['10', '74c5232f91d8341ffdfa6520', '0x0006,0x0024,0x802a,0x0008,0x8028', '9,4,8,20,4', 'pQ7z:Ab3d',
             '1862270975', ctl, '', '', 'a8177397ae5198d896425748561439aaad382d74', '0x58d76b81'],
            ['12', 'dd22f13f28274c13c069dcdd', std, '9,4,8,4,4,20,4', 'Ab3d:pQ7z', '1862270719', ctd, '2', '3',
             '738c5be9f6b1e2be3f2f96ba16ef3075c7cb628f', '0x909fff72'],
        ]

    def test_responses(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSICE2),
                             ['frame.number', 'msstun.att.xor_port', 'msstun.att.xor_ipv4',
                              'msstun.att.xor_mapped.ipv4', 'msstun.att.xor_mapped.port',
                              'msstun.att.ms.implementation_version', 'msstun.att.hmac_sha1', 'msstun.att.fingerprint',
                              'msstun.response_to'],
                             dfilter='msstun.class == 2', extra=DA_MSICE2)
        assert rows == [
            ['2', '0xe248', '0x2b12a448', '10.0.0.10', '50010', '3', '89af3183f73ea6cc161bc277244f134eb9879283',
             '0x22898cf2', '1'],
            ['4', '0xe24e', '0xea12d54b', '203.0.113.9', '50012', '3', 'd56265bcb15e7c31f14582c726fa50777a49a2cd',
             '0x5ceb6961', '3'],
            ['6', '0xe248', '0x2b12a448', '10.0.0.10', '50010', '3', '5e44643ea5d11e1cbb4d53f2a7b040ed7b508f78',
             '0x02bc2d19', '5'],
            ['8', '0xe248', '0x2b12a448', '10.0.0.10', '50010', '3', 'c91fa2ea8a4f276657ba05337826a768b2219c87',
             '0xd836ea06', '7'],
            ['11', '0xe248', '0x2b12a448', '10.0.0.10', '50010', '', '400cc8779c45af3ce588089afae82fed23ab32bb',
             '0xc647316e', '10'],
        ]

    def test_unpadded_request(self, tshark, local_capture):
        out = tshark('-n', '-r', local_capture(MSICE2), *DA_MSICE2, '-Y', 'frame.number == 7', '-V', '-O', 'msstun')
        lines = [line.strip() for line in out.splitlines()]
        assert '[Dialect: MS-ICE2 (unpadded attributes) (2)]' in lines
        assert '[Attribute Padding: Not padded]' in lines
        rows = tshark.fields(local_capture(MSICE2), ['msstun.att.padding', '_ws.expert.message'],
                             dfilter='frame.number == 7', extra=DA_MSICE2)
        assert rows == [['', '']]

    def test_fingerprints(self, tshark, local_capture):
        # Frame 9: deliberately wrong (correct value 0xbe9f61de).  Frames 10/11:
        # the legacy Microsoft CRC-32 table (MS-ICE2 3.1.4.8.2), accepted.
        rows = tshark.fields(local_capture(MSICE2),
                             ['frame.number', 'msstun.att.fingerprint', 'msstun.att.fingerprint.status',
                              'msstun.att.fingerprint.legacy', 'msstun.att.fingerprint.bad',
                              'msstun.att.fingerprint.legacy_crc', '_ws.expert.message', '_ws.expert.severity'],
                             dfilter=in_frames(1, 9, 10, 11), extra=DA_MSICE2)
        assert rows == [
            ['1', '0x835ab131', '1', '', '', '', '', ''],
            ['9', '0xbe9f9e21', '0', '', '1', '', 'Bad FINGERPRINT [should be 0xbe9f61de]', PI_WARN],
            ['10', '0x58d76b81', '1', '1', '', '1', 'FINGERPRINT uses the legacy Microsoft CRC-32 variant', PI_NOTE],
            ['11', '0xc647316e', '1', '1', '', '1', 'FINGERPRINT uses the legacy Microsoft CRC-32 variant', PI_NOTE],
        ]
        assert tshark.fields(local_capture(MSICE2), ['frame.number'], dfilter='msstun.att.fingerprint.status == 0',
                             extra=DA_MSICE2) == [['9']]

    def test_role_conflict(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSICE2),
                             ['frame.number', 'msstun.att.type', 'msstun.att.length', 'msstun.att.padding',
                              'msstun.att.error', 'msstun.att.error.class', 'msstun.att.error.number',
                              'msstun.att.error.reason', 'msstun.error_response', 'msstun.auth_challenge',
                              '_ws.expert.message', '_ws.expert.severity'],
                             dfilter='frame.number == 13', extra=DA_MSICE2)
        assert rows == [['13', '0x0009,0x8070,0x0008,0x8028', '17,4,20,4', '000000', '487', '4', '87',
                         'Role Conflict', '1', '', 'Binding error 487 Role Conflict', PI_WARN]]

    def test_transactions(self, tshark, local_capture):
        # The check with the bad FINGERPRINT is the only one never answered.
        rows = tshark.fields(local_capture(MSICE2),
                             ['frame.number', 'msstun.response_in', 'msstun.no_response'],
                             dfilter='msstun.class == 0', extra=DA_MSICE2 + TWO_PASS)
        assert rows == [['1', '2', ''], ['3', '4', ''], ['5', '6', ''], ['7', '8', ''], ['9', '', '1'],
                        ['10', '11', ''], ['12', '13', '']]
        assert tshark.fields(local_capture(MSICE2), ['frame.number'], dfilter='msstun.no_response',
                             extra=DA_MSICE2) == []


# ---------------------------------------------------------------------------
# 3. Real captures
# ---------------------------------------------------------------------------

class TestTeams:
    def test_binding_responses(self, tshark, shared_capture):
        # Teams relay: IMPLEMENTATION-VERSION 7 (reference 9).
        rows = tshark.fields(shared_capture(TEAMS),
                             ['frame.number', 'msstun.type', 'msstun.dialect', 'msstun.att.type',
                              'msstun.att.ms.implementation_version', 'msstun.att.xor_mapped.ipv4',
                              'msstun.att.xor_mapped.port', 'msstun.att.fingerprint.status', '_ws.col.Info'],
                             dfilter='msstun.type', extra=DA_TEAMS)
        row = lambda n: [str(n), '0x0101', '1', '0x8070,0x0020,0x0008,0x8028', '7', '82.178.63.123', '50006',
                         '1', 'Binding Success Response mapped 82.178.63.123:50006']
        assert rows == [row(1), row(6), row(7), row(9)]


class TestSkypeConference:
    def test_checks(self, tshark, shared_capture):
        # CANDIDATE-IDENTIFIER of length 1 (the foundation "1", padded to 4).
        rows = tshark.fields(shared_capture(SKYPE),
                             ['frame.number', 'msstun.type', 'msstun.att.type', 'msstun.att.length',
                              'msstun.att.padding', 'msstun.att.username', 'msstun.att.priority',
                              'msstun.att.tie_breaker', 'msstun.att.ms.candidate_id',
                              'msstun.att.ms.implementation_version', 'msstun.att.fingerprint.status',
                              '_ws.col.Info'],
                             dfilter=in_frames(1, 2, 7, 34), extra=DA_SKYPE)
        assert rows == [
            ['1', '0x0001', '0x0006,0x0024,0x802a,0x8054,0x8070,0x0008,0x8028', '9,4,8,1,4,20,4', '000000,000000',
             'gppe:zWyk', '1862270719', '0x0000000000bf4317', '1', '3', '1',
                 'Binding Request user gppe:zWyk controlling'],
            ['2', '0x0001', '0x0006,0x0024,0x8029,0x8054,0x8070,0x0008,0x8028', '9,4,8,1,4,20,4', '000000,000000',
             'zWyk:gppe', '1862270719', '0x0000000000029793', '1', '3', '1',
                 'Binding Request user zWyk:gppe controlled'],
            ['7', '0x0001', '0x0006,0x0024,0x0025,0x802a,0x8054,0x8070,0x0008,0x8028', '9,4,0,8,1,4,20,4',
             '000000,000000', 'gppe:zWyk', '1862270719', '0x0000000000bf4317', '1', '3', '1',
             'Binding Request user gppe:zWyk use-candidate controlling'],
            ['34', '0x0001', '0x0006,0x0024,0x802a,0x8070,0x0008,0x8028', '9,4,8,4,20,4', '000000', 'gppe:zWyk',
             '1862270719', '0x0000000000bf4317', '', '3', '1', 'Binding Request user gppe:zWyk controlling'],
        ]

    def test_all_checks_verify(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(SKYPE),
                             ['frame.number', 'msstun.class', 'msstun.dialect', 'msstun.att.hmac_sha1',
                              'msstun.att.fingerprint', 'msstun.att.fingerprint.status',
                              'msstun.att.ms.implementation_version'],
                             dfilter='msstun.type', extra=DA_SKYPE)
        assert [r[0] for r in rows] == ['1', '2', '3', '4', '5', '6', '7', '23', '34', '52', '86', '89', '185',
                                        '187']
        assert [r[2] for r in rows] == ['1'] * 14
        assert [r[5] for r in rows] == ['1'] * 14
        assert [r[6] for r in rows] == ['3'] * 14
        assert rows[2] == ['3', '2', '1', 'a0b1a70892020e7f328441bb9eae47854cb8f6d3', '0x8affbd01', '1', '3']

    def test_transactions_and_retransmissions(self, tshark, shared_capture):
        cols = ['frame.number', 'msstun.response_to', 'msstun.retransmission_of', 'msstun.att.xor_mapped.ipv4',
                'msstun.att.xor_mapped.port']
        rows = tshark.fields(shared_capture(SKYPE), cols, dfilter='msstun.type', extra=DA_SKYPE)
        assert rows == [
            ['1', '', '', '', ''],
            ['2', '', '', '', ''],
            ['3', '2', '', '104.46.40.49', '60642'],
            ['4', '1', '', '95.247.129.67', '49282'],
            ['5', '', '2', '', ''],
            ['6', '2', '3', '104.46.40.49', '60642'],
            ['7', '', '1', '', ''],
            ['23', '1', '4', '95.247.129.67', '49282'],
            ['34', '', '', '', ''],
            ['52', '34', '', '95.247.129.67', '49282'],
            ['86', '', '', '', ''],
            ['89', '86', '', '104.46.40.49', '60642'],
            ['185', '', '', '', ''],
            ['187', '185', '', '95.247.129.67', '49282'],
        ]
        rows = tshark.fields(shared_capture(SKYPE), ['frame.number', 'msstun.response_in', 'msstun.no_response'],
                             dfilter='msstun.class == 0', extra=DA_SKYPE + TWO_PASS)
        assert rows == [['1', '4', ''], ['2', '3', ''], ['5', '3', ''], ['7', '4', ''], ['34', '52', ''],
                        ['86', '89', ''], ['185', '187', '']]


class TestLibniceOC2007R2:
    def test_ms_turn_allocate(self, tshark, shared_capture):
        # libnice OC2007R2 MS-TURN: no RFC cookie (legacy), MAGIC-COOKIE first, MS-VERSION 1.
        rows = tshark.fields(shared_capture(OC2007R2),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class', 'msstun.dialect',
                              'msstun.padded', 'msstun.cookie', 'msstun.id', 'msstun.att.type',
                              'msstun.att.magic_cookie', 'msstun.att.ms.version', 'msstun.retransmission_of'],
                             dfilter='udp.dstport == 3478 && !icmp')
        tid = '54a76f77fff2c7b0b4ee2175a63978b8'
        assert rows == [
            ['13', '0x0003', '0x0003', '0', '4', '0', '', tid, '0x000f,0x8008', '0x72c64bc6', '1', ''],
            ['17', '0x0003', '0x0003', '0', '4', '0', '', tid, '0x000f,0x8008', '0x72c64bc6', '1', '13'],
            ['21', '0x0003', '0x0003', '0', '4', '0', '', tid, '0x000f,0x8008', '0x72c64bc6', '1', '13'],
        ]
        rows = tshark.fields(shared_capture(OC2007R2), ['frame.number', 'msstun.no_response'],
                             dfilter='udp.dstport == 3478 && !icmp', extra=TWO_PASS)
        assert rows == [['13', '1'], ['17', '1'], ['21', '1']]

    def test_icmp_quote_is_not_a_retransmission(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(OC2007R2),
                             ['frame.number', 'msstun.type', 'msstun.retransmission_of', 'msstun.retransmission'],
                             dfilter='icmp && msstun.type')
        assert rows == [['14', '0x0003', '', ''], ['18', '0x0003', '', ''], ['22', '0x0003', '', '']]

    def test_ms_ice2_checks(self, tshark, shared_capture):
        # MS-ICE2 with IMPLEMENTATION-VERSION 2.  libnice writes "unpadded"
        # attributes, but pads USERNAME to 12 bytes inside its length, so each
        # message is also a valid padded one: RFC 5389 from the message alone.
        rows = tshark.fields(shared_capture(OC2007R2),
                             ['frame.number', 'msstun.type', 'msstun.dialect', 'msstun.padded', 'msstun.att.type',
                              'msstun.att.length', 'msstun.att.username', 'msstun.att.ms.candidate_id',
                              'msstun.att.ms.implementation_version', 'msstun.att.fingerprint.status',
                              'msstun.rfc4571.length', '_ws.col.Info'],
                             dfilter=in_frames(25, 29, 36, 43, 49, 51), extra=DA_OC2007R2)
        assert rows == [
            ['25', '0x0001', '1', '1', '0x0024,0x8029,0x0006,0x8054,0x8070,0x0008,0x8028', '4,8,12,4,4,20,4',
             'lGbK:GTzl', '1', '2', '1', '', 'Binding Request controlled user lGbK:GTzl'],
            ['29', '0x0101', '1', '1', '0x0020,0x0006,0x8070,0x0008,0x8028', '8,12,4,20,4', 'lGbK:GTzl', '', '2',
             '1', '', 'Binding Success Response mapped 127.0.0.1:40617 user lGbK:GTzl'],
            # ICE-TCP, RFC 4571 framing.
            ['36', '0x0001', '1', '1', '0x0024,0x8029,0x0006,0x8054,0x8070,0x0008,0x8028', '4,8,12,4,4,20,4',
             'lGbK:GTzl', '2', '2', '1', '104', 'Binding Request controlled user lGbK:GTzl'],
            ['43', '0x0101', '1', '1', '0x0020,0x0006,0x8070,0x0008,0x8028', '8,12,4,20,4', 'lGbK:GTzl', '', '2',
             '1', '88', 'Binding Success Response mapped 127.0.0.1:41203 user lGbK:GTzl'],
            ['49', '0x0001', '1', '1', '0x0025,0x0024,0x802a,0x0006,0x8054,0x8070,0x0008,0x8028',
             '0,4,8,12,4,4,20,4', 'GTzl:lGbK', '1', '2', '1', '',
                 'Binding Request use-candidate controlling user GTzl:lGbK'],
            ['51', '0x0011', '1', '1', '0x8028', '4', '', '', '', '1', '', 'Binding Indication'],
        ]


class TestLibniceOC2007:
    def test_legacy_allocate(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(OC2007),
                             ['frame.number', 'msstun.type', 'msstun.dialect', 'msstun.padded', 'msstun.id',
                              'msstun.att.type', 'msstun.att.magic_cookie', 'msstun.att.ms.version'],
                             dfilter='udp.dstport == 3478 && !icmp')
        tid = '11f4d16971af8444025a31de50120c85'
        assert rows == [[str(n), '0x0003', '4', '0', tid, '0x000f,0x8008', '0x72c64bc6', '1'] for n in (13, 17, 41)]

    def test_legacy_ice_tcp_check(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(OC2007),
                             ['msstun.rfc4571.length', 'msstun.type', 'msstun.dialect', 'msstun.id',
                              'msstun.att.type', 'msstun.att.length'],
                             dfilter='frame.number == 48', extra=('-d', 'tcp.port==41763,msstun'))
        assert rows == [['120', '0x0001', '5', '59d7aa590aadaf9c77aea6fddda99ffa', '0x0006,0x0008', '72,20']]


class TestClassicStun:
    def test_binding(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(CLASSIC),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class', 'msstun.dialect',
                              'msstun.cookie', 'msstun.id', 'msstun.att.type', 'msstun.att.change_ip',
                              'msstun.att.change_port', 'msstun.att.mapped.ipv4', 'msstun.att.mapped.port',
                              'msstun.response_to', '_ws.col.Info'],
                             dfilter='msstun.type', extra=DA_CLASSIC)
        tid = '9429ef88294dd52632c72931cb8dbb4c'
        assert rows == [
            ['1', '0x0001', '0x0001', '0', '5', '', tid, '0x0003', '0', '0', '', '', '', 'Binding Request'],
            ['2', '0x0101', '0x0001', '2', '5', '', tid, '0x0001', '', '', '172.16.63.224', '55050', '1',
             'Binding Success Response mapped 172.16.63.224:55050'],
        ]

    def test_no_padding_note(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(CLASSIC), ['frame.number', 'msstun.padding_fallback',
                                                       '_ws.expert.message'],
                             dfilter='msstun.type', extra=DA_CLASSIC)
        assert rows == [['1', '', ''], ['2', '', '']]


class TestCoturn:
    def test_ipv6_allocation(self, tshark, shared_capture):
        # RFC 6156: XOR-RELAYED / XOR-MAPPED of family 2, XORed with bytes 4..19.
        rows = tshark.fields(shared_capture(COTURN_UDP6),
                             ['frame.number', 'msstun.type', 'msstun.dialect', 'msstun.att.transport',
                              'msstun.att.requested_family', 'msstun.att.even_port.reserve_next',
                              'msstun.att.lifetime', 'msstun.att.error', 'msstun.att.realm', 'msstun.att.nonce',
                              'msstun.att.family', 'msstun.att.xor_relayed.ipv6', 'msstun.att.xor_relayed.port',
                              'msstun.att.xor_mapped.ipv6', 'msstun.att.xor_mapped.port',
                              'msstun.att.reservation_token', 'msstun.att.software', 'msstun.auth_challenge'],
                             dfilter=in_frames(1, 2, 3, 4))
        sw = "Coturn-4.6.1 'Gorst'"
        assert rows == [
            ['1', '0x0003', '1', '17', '0x02', '1', '777', '', '', '', '', '', '', '', '', '', '', ''],
            ['2', '0x0113', '1', '', '', '', '', '401', 'example.org', 'e4b78704a6323cf5', '', '', '', '', '', '', sw,
             '1'],
            ['3', '0x0003', '1', '17', '0x02', '1', '777', '', 'example.org', 'e4b78704a6323cf5', '', '', '', '', '',
             '', '', ''],
            ['4', '0x0103', '1', '', '', '', '777', '', '', '', '0x02,0x02', '::1', '49168', '::1', '56388',
             '74d66e91c031c000', sw, ''],
        ]

    def test_ipv6_peer(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(COTURN_UDP6),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.att.channel',
                              'msstun.att.rffu', 'msstun.att.family', 'msstun.att.xor_peer.ipv6',
                              'msstun.att.xor_peer.port', 'msstun.att.remote.ipv6', 'msstun.addr6', '_ws.col.Info'],
                             dfilter=in_frames(31, 32, 40))
        assert rows == [
            ['31', '0x0009', '0x0009', '0x78a6', '0x000000', '0x02', '::1', '49153', '', '::1',
             'ChannelBind Request channel 0x78a6 peer [::1]:49153'],
            ['32', '0x0109', '0x0009', '', '', '', '', '', '', '', 'ChannelBind Success Response'],
            ['40', '0x0008', '0x0008', '', '', '0x02', '::1', '49153', '', '::1',
             'CreatePermission Request peer [::1]:49153'],
        ]

    def test_ipv6_tcp_two_messages_in_one_segment(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(COTURN_TCP6),
                             ['frame.number', 'msstun.type', 'msstun.att.xor_peer.ipv6', 'msstun.att.xor_peer.port',
                              'msstun.att.channel', '_ws.col.Info'],
                             dfilter=in_frames(56, 75))
        assert rows == [
            ['56', '0x0009', '::1', '49199', '0x5ee1', 'ChannelBind Request channel 0x5ee1 peer [::1]:49199'],
            ['75', '0x0008,0x0009', '::1,::1', '49199,49199', '0x5ee1',
             'CreatePermission Request peer [::1]:49199 ; ChannelBind Request channel 0x5ee1 peer [::1]:49199'],
        ]

    def test_rfc6062(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(COTURN_6062),
                             ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class', 'msstun.att.transport',
                              'msstun.att.connection_id', 'msstun.att.xor_peer.ipv4', 'msstun.att.xor_peer.port',
                              'msstun.response_to', '_ws.col.Info'],
                             dfilter=in_frames(4, 39, 44, 49, 51, 52))
        assert rows == [
            ['4', '0x0003', '0x0003', '0', '6', '', '', '', '', 'Allocate Request lifetime 777'],
            ['39', '0x000a', '0x000a', '0', '', '', '127.0.0.1', '49168', '', 'Connect Request peer 127.0.0.1:49168'],
            ['44', '0x001c', '0x000c', '1', '', '0x8e165d00', '127.0.0.1', '49161', '',
             'ConnectionAttempt Indication connection 2383830272 peer 127.0.0.1:49161'],
            ['49', '0x000b', '0x000b', '0', '', '0x8e165d00', '', '', '', 'ConnectionBind Request connection '
             '2383830272'],
            ['51', '0x010a', '0x000a', '2', '', '0xe744c501', '', '', '39', 'Connect Success Response connection '
             '3880043777'],
            ['52', '0x010b', '0x000b', '2', '', '', '', '', '49', 'ConnectionBind Success Response'],
        ]

    def test_channel_data(self, tshark, shared_capture):
        rows = tshark.fields(shared_capture(COTURN_UDP), ['frame.number', 'msstun.channel', 'msstun.channel.length',
                                                          'msstun.channel.padding', 'msstun.type'],
                             dfilter=in_frames(63, 65))
        assert rows == [['63', '0x4cb0', '120', '', ''], ['65', '0x6f14', '120', '', '']]
        # Over TCP, ChannelData is padded to 4 bytes (121 -> 124); two
        # ChannelData messages may share a segment.
        rows = tshark.fields(shared_capture(COTURN_TCP), ['frame.number', 'msstun.channel', 'msstun.channel.length',
                                                          'msstun.channel.padding'],
                             dfilter=in_frames(90, 92, 95))
        assert rows == [['90', '0x5f1e', '121', '000000'], ['92', '0x7652', '121', '070707'],
                        ['95', '0x5f1e,0x5f1e', '121,121', '000000,000000']]


class TestHostile:
    @pytest.mark.parametrize('capture,decode_as,fields,expected', [
        # The attribute claims 65535 bytes in a 12-byte body: flagged, walk
        # stopped, and the 8 bytes there still decoded.
        (ZEEK_FFFF, DA_ZEEK_FFFF,
         ['frame.number', 'msstun.type', 'msstun.length', 'msstun.att.type', 'msstun.att.length',
          'msstun.att.mapped.ipv4', 'msstun.att.mapped.port', 'msstun.att.bogus_length', 'msstun.walk_mismatch',
          '_ws.expert.message', '_ws.expert.severity'],
         [['1', '0x0001', '0', '', '', '', '', '', '', '', ''],
          ['2', '0x0101', '12', '0x0001', '65535', '70.199.128.46', '4604', '1', '1',
           'Attributes do not end at the message length, padded or not,'
           'Attribute length goes past the end of the message', join(PI_ERROR, PI_ERROR)]]),
        (ZEEK_ERROR, DA_ZEEK_ERROR,
         ['frame.number', 'msstun.type', 'msstun.class', 'msstun.att.type', 'msstun.att.length', 'msstun.att.error',
          'msstun.att.short', 'msstun.att.bogus_length', 'msstun.walk_mismatch', 'msstun.error_response',
          'msstun.att.fingerprint.status', 'msstun.response_to'],
         [['1', '0x0001', '0', '0x0006,0x0024,0x8029,0x0008,0x8028', '23,4,8,20,4', '', '', '', '', '', '1', ''],
          # ERROR-CODE of length 3 is too short; the bytes after it make a
          # bogus attribute that runs past the end.
          # The error response still gets its expert item: "without a valid ERROR-CODE".
          ['2', '0x0111', '3', '0x0009,0x5345', '3,21078', '', '1', '1', '1', '1', '', '1']]),
    ], ids=['attribute_length_ffff', 'malformed_error_code'])
    def test_decoded_without_error(self, tshark, shared_capture, capture, decode_as, fields, expected):
        cap = shared_capture(capture)
        proc = tshark.run(['-n', '-r', cap, *decode_as, '-V'])
        assert proc.stderr == ''
        assert tshark.fields(cap, fields, extra=decode_as) == expected

    def test_malformed_is_an_error(self, tshark, shared_capture):
        # Malformed goes with Error severity only (README.dissector): the
        # too-short ERROR-CODE of frame 2 is flagged so.
        rows = tshark.fields(shared_capture(ZEEK_ERROR), ['_ws.expert.message', '_ws.expert.group',
                                                          '_ws.expert.severity'],
                             dfilter='frame.number == 2', extra=DA_ZEEK_ERROR)
        experts = list(zip(*[cell.split(',') for cell in rows[0]]))
        assert ('Attribute value too short for its format', PI_MALFORMED, PI_ERROR) in experts
        assert [e for e in experts if e[1] == PI_MALFORMED and e[2] != PI_ERROR] == []


class TestTeamsDeallocation:
    '''msturn-udp3478-teams.pcap: a Teams client's LIFETIME 0 Allocate request carries
    MS-SEQUENCE-NUMBER 80 50 00 04 00 00 00 01, the sequence number without Connection ID.'''

    def test_sequence_number_decoded(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_TEAMS),
                             ['frame.number', '_ws.col.Info', 'msstun.att.lifetime', 'msstun.att.ms.connection_id',
                              'msstun.att.ms.sequence_number', 'msstun.att.short', '_ws.malformed'])
        assert rows == [['1', 'Allocate Request lifetime 0', '0', '', '1', '', ''],
                        ['2', 'Allocate Success Response lifetime 0', '0', '', '', '', '']]

    def test_expert_note_not_malformed(self, tshark, local_capture):
        rows = tshark.fields(local_capture(MSTURN_TEAMS), ['frame.number', '_ws.expert.message', '_ws.expert.group',
                                                           '_ws.expert.severity'], dfilter='_ws.expert')
        assert rows == [['1', 'MS-SEQUENCE-NUMBER holds the sequence number only, without the Connection ID of '
                              'MS-TURN 2.2.2.21', PI_PROTOCOL, PI_NOTE]]

    def test_attribute_summary(self, tshark, local_capture):
        out = tshark('-n', '-r', local_capture(MSTURN_TEAMS), '-V', '-O', 'msstun', '-Y', 'frame.number == 1')
        assert 'MS-SEQUENCE-NUMBER: sequence 1' in out


class TestXorDecodedGenerated:
    '''XOR-decoded ports and addresses are computed, so shown as generated ([...]);
    the X-Port / X-Address bytes and plain addresses are on the wire.'''

    @staticmethod
    def attribute_lines(tshark, capture, frame):
        out = tshark('-n', '-r', capture, '-V', '-O', 'msstun', '-Y', 'frame.number == %d' % frame)
        return [line.strip() for line in out.splitlines()]

    def test_ms_xor_mapped_and_plain_mapped(self, tshark, local_capture):
        lines = self.attribute_lines(tshark, local_capture(MSTURN_UDP), 4)
        for line in ('X-Port: 0xbd52', '[MS XOR Mapped Port: 40000]', 'X-Address: 0xe721c045',
                     '[MS XOR Mapped IPv4: 198.51.100.7]', 'Mapped Port: 50000', 'Mapped IPv4: 192.0.2.15'):
            assert line in lines

    def test_ipv6(self, tshark, local_capture):
        lines = self.attribute_lines(tshark, local_capture(MSTURN_UDP), 22)
        for line in ('X-Port: 0xe276', '[Remote Relay Site Port: 50020]',
                     'X-Address IPv6: 0113a9fa9b9f7e2b4662731b8172ff11', '[Remote Relay Site IPv6: 2001:db8::20]'):
            assert line in lines


# ---------------------------------------------------------------------------
# 4. Agreement with Wireshark's built-in STUN dissector
#    (run with -o stun.stunversion:Auto, without the plugin)
# ---------------------------------------------------------------------------

def _hex(value):
    return value.lower().replace('0x', '')


def _int(value):
    return str(int(value, 0))


# (capture, plugin Decode As, built-in field, msstun field, frames, normaliser)
# Frames are exactly the frames where both decoders show the field.
R_ALL = [1, 2, 3, 4]
SK_ALL = [1, 2, 3, 4, 5, 6, 7, 23, 34, 52, 86, 89, 185, 187]
SK_REQ = [1, 2, 5, 7, 34, 86, 185]
SK_RSP = [3, 4, 6, 23, 52, 89, 187]
TEAMS_ALL = [1, 6, 7, 9]
R2_ALL = [25, 26, 27, 28, 29, 30, 31, 32, 36, 41, 43, 45, 47, 49, 50, 51, 52, 53]
R2_REQ = [25, 26, 27, 28, 36, 41, 47, 49]
R2_RSP = [29, 30, 31, 32, 43, 45, 50, 52]
R2_MI = [25, 26, 27, 28, 29, 30, 31, 32, 36, 41, 43, 45, 47, 49, 50, 52]
C6_STUN = list(range(1, 63))
C6_ADDR = [4, 10, 16, 22, 28, 31, 33, 35, 37, 40, 41, 43, 44, 46, 47, 49, 50]
C6_ERR = [2, 8, 14, 20, 26]
C6_CHAN = [31, 33, 35, 37, 41, 44, 47, 50]
C6_TRANSP = [1, 3, 7, 9, 13, 15, 19, 21, 25, 27]
T6_ADDR = [9, 29, 37, 45, 53, 56, 58, 60, 62, 75, 77, 79, 81]
RF_STUN = [4, 6, 8, 9, 10, 11, 18, 20, 22, 23, 24, 25, 26, 28, 30, 31, 32, 33, 34, 35, 36, 37, 39, 44, 49, 51, 52, 57,
           59, 62, 63, 64, 65, 66, 67, 68, 69]
RF_ADDR = [9, 23, 31, 34, 36, 39, 44, 66, 67]
U_MSV = [1, 2, 3, 4, 20, 21, 22, 23, 26]
U_COOKIE = [1, 2, 3, 4, 5, 7, 9, 10, 17, 18, 20, 21, 22, 23, 26]
U_SEQ = [4, 5, 7, 9, 17]

AGREEMENT = [
    # RFC 5769
    (RFC5769, (), 'stun.type', 'msstun.type', R_ALL, None),
    (RFC5769, (), 'stun.id', 'msstun.id', R_ALL, None),
    (RFC5769, (), 'stun.length', 'msstun.length', R_ALL, None),
    (RFC5769, (), 'stun.att.type', 'msstun.att.type', R_ALL, None),
    (RFC5769, (), 'stun.att.length', 'msstun.att.length', R_ALL, None),
    (RFC5769, (), 'stun.att.ipv4', 'msstun.addr', [2], None),
    (RFC5769, (), 'stun.att.ipv6', 'msstun.addr6', [3], None),
    (RFC5769, (), 'stun.att.port', 'msstun.port', [2, 3], None),
    (RFC5769, (), 'stun.att.port-xord', 'msstun.att.xor_port', [2, 3], _hex),
    (RFC5769, (), 'stun.att.ipv4-xord', 'msstun.att.xor_ipv4', [2], _hex),
    (RFC5769, (), 'stun.att.ipv6-xord', 'msstun.att.xor_ipv6', [3], None),
    (RFC5769, (), 'stun.att.crc32', 'msstun.att.fingerprint', [1, 2, 3], None),
    (RFC5769, (), 'stun.att.crc32.status', 'msstun.att.fingerprint.status', [1, 2, 3], None),
    (RFC5769, (), 'stun.att.hmac', 'msstun.att.hmac_sha1', R_ALL, None),
    (RFC5769, (), 'stun.att.username', 'msstun.att.username', [1, 4], None),
    (RFC5769, (), 'stun.att.software', 'msstun.att.software', [1, 2, 3], None),
    (RFC5769, (), 'stun.att.priority', 'msstun.att.priority', [1], None),
    (RFC5769, (), 'stun.att.tie-breaker', 'msstun.att.tie_breaker', [1], _hex),
    (RFC5769, (), 'stun.att.realm', 'msstun.att.realm', [4], None),
    (RFC5769, (), 'stun.att.nonce', 'msstun.att.nonce', [4], None),
    (RFC5769, (), 'stun.response-to', 'msstun.response_to', [2, 3], None),
    (RFC5769, (), 'stun.reqduplicate', 'msstun.retransmission_of', [3], None),
    # Skype for Business conference (MS-ICE2)
    (SKYPE, DA_SKYPE, 'stun.type', 'msstun.type', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.id', 'msstun.id', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.type', 'msstun.att.type', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.length', 'msstun.att.length', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.ipv4', 'msstun.addr', SK_RSP, None),
    (SKYPE, DA_SKYPE, 'stun.att.port', 'msstun.port', SK_RSP, None),
    (SKYPE, DA_SKYPE, 'stun.att.crc32', 'msstun.att.fingerprint', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.crc32.status', 'msstun.att.fingerprint.status', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.hmac', 'msstun.att.hmac_sha1', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.username', 'msstun.att.username', SK_REQ, None),
    (SKYPE, DA_SKYPE, 'stun.att.priority', 'msstun.att.priority', SK_REQ, None),
    (SKYPE, DA_SKYPE, 'stun.att.tie-breaker', 'msstun.att.tie_breaker', SK_REQ, _hex),
    (SKYPE, DA_SKYPE, 'stun.att.ms.version.ice', 'msstun.att.ms.implementation_version', SK_ALL, None),
    (SKYPE, DA_SKYPE, 'stun.att.ms.foundation', 'msstun.att.ms.candidate_id', [1, 2, 5, 7], None),
    (SKYPE, DA_SKYPE, 'stun.response-to', 'msstun.response_to', SK_RSP, None),
    (SKYPE, DA_SKYPE, 'stun.reqduplicate', 'msstun.retransmission_of', [5, 6, 7, 23], None),
    # Teams
    (TEAMS, DA_TEAMS, 'stun.type', 'msstun.type', TEAMS_ALL, None),
    (TEAMS, DA_TEAMS, 'stun.id', 'msstun.id', TEAMS_ALL, None),
    (TEAMS, DA_TEAMS, 'stun.att.ipv4', 'msstun.addr', TEAMS_ALL, None),
    (TEAMS, DA_TEAMS, 'stun.att.port', 'msstun.port', TEAMS_ALL, None),
    (TEAMS, DA_TEAMS, 'stun.att.crc32', 'msstun.att.fingerprint', TEAMS_ALL, None),
    (TEAMS, DA_TEAMS, 'stun.att.hmac', 'msstun.att.hmac_sha1', TEAMS_ALL, None),
    (TEAMS, DA_TEAMS, 'stun.att.ms.version.ice', 'msstun.att.ms.implementation_version', TEAMS_ALL, None),
    # libnice OC2007R2 MS-ICE2 checks (UDP and RFC 4571 ICE-TCP)
    (OC2007R2, DA_OC2007R2, 'stun.type', 'msstun.type', R2_ALL, None),
    (OC2007R2, DA_OC2007R2, 'stun.id', 'msstun.id', R2_ALL, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.type', 'msstun.att.type', R2_ALL, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.crc32', 'msstun.att.fingerprint', R2_ALL, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.ipv4', 'msstun.addr', R2_RSP, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.port', 'msstun.port', R2_RSP, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.username', 'msstun.att.username', R2_MI, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.hmac', 'msstun.att.hmac_sha1', R2_MI, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.ms.version.ice', 'msstun.att.ms.implementation_version', R2_MI, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.ms.foundation', 'msstun.att.ms.candidate_id', R2_REQ, None),
    (OC2007R2, DA_OC2007R2, 'stun.att.priority', 'msstun.att.priority', R2_REQ, None),
    (OC2007R2, DA_OC2007R2, 'stun.response-to', 'msstun.response_to', R2_RSP, None),
    # Cookie-less (legacy MS-TURN, RFC 3489): Wireshark's classicstun
    (OC2007R2, (), 'classicstun.type', 'msstun.type', [13, 14, 17, 18, 21, 22], None),
    (OC2007R2, (), 'classicstun.id', 'msstun.id', [13, 14, 17, 18, 21, 22], None),
    (OC2007R2, (), 'classicstun.att.magic.cookie', 'msstun.att.magic_cookie', [13, 14, 17, 18, 21, 22], None),
    (OC2007, (), 'classicstun.type', 'msstun.type', [13, 14, 17, 18, 41, 42], None),
    (OC2007, (), 'classicstun.id', 'msstun.id', [13, 14, 17, 18, 41, 42], None),
    (CLASSIC, DA_CLASSIC, 'classicstun.type', 'msstun.type', [1, 2], None),
    (CLASSIC, DA_CLASSIC, 'classicstun.id', 'msstun.id', [1, 2], None),
    (CLASSIC, DA_CLASSIC, 'classicstun.att.ipv4', 'msstun.addr', [2], None),
    (CLASSIC, DA_CLASSIC, 'classicstun.att.port', 'msstun.port', [2], None),
    (CLASSIC, DA_CLASSIC, 'classicstun.att.change.ip', 'msstun.att.change_ip', [1], None),
    (CLASSIC, DA_CLASSIC, 'classicstun.response_to', 'msstun.response_to', [2], None),
    # coturn over IPv6 (UDP and TCP) and RFC 6062
    (COTURN_UDP6, (), 'stun.type', 'msstun.type', C6_STUN, None),
    (COTURN_UDP6, (), 'stun.id', 'msstun.id', C6_STUN, None),
    (COTURN_UDP6, (), 'stun.att.type', 'msstun.att.type', C6_STUN, None),
    (COTURN_UDP6, (), 'stun.att.crc32', 'msstun.att.fingerprint', C6_STUN, None),
    (COTURN_UDP6, (), 'stun.att.ipv6', 'msstun.addr6', C6_ADDR, None),
    (COTURN_UDP6, (), 'stun.att.port', 'msstun.port', C6_ADDR, None),
    (COTURN_UDP6, (), 'stun.att.ipv6-xord', 'msstun.att.xor_ipv6', C6_ADDR, None),
    (COTURN_UDP6, (), 'stun.att.lifetime', 'msstun.att.lifetime',
     [1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 27, 28, 29, 30, 39, 42, 45, 48, 51,
      54, 57, 60], None),
    (COTURN_UDP6, (), 'stun.att.error.class', 'msstun.att.error.class', C6_ERR, None),
    (COTURN_UDP6, (), 'stun.att.error', 'msstun.att.error.number', C6_ERR, None),
    (COTURN_UDP6, (), 'stun.att.error.reason', 'msstun.att.error.reason', C6_ERR, None),
    (COTURN_UDP6, (), 'stun.att.realm', 'msstun.att.realm',
     [2, 3, 5, 8, 9, 11, 14, 15, 17, 20, 21, 23, 26, 27, 29, 31, 33, 35, 37, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48,
      49, 50], None),
    (COTURN_UDP6, (), 'stun.att.nonce', 'msstun.att.nonce',
     [2, 3, 5, 8, 9, 11, 14, 15, 17, 20, 21, 23, 26, 27, 29, 31, 33, 35, 37, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48,
      49, 50], None),
    (COTURN_UDP6, (), 'stun.att.channelnum', 'msstun.att.channel', C6_CHAN, None),
    (COTURN_UDP6, (), 'stun.att.transp', 'msstun.att.transport', C6_TRANSP, _int),
    (COTURN_UDP6, (), 'stun.att.even-port.reserve-next', 'msstun.att.even_port.reserve_next', [1, 3, 13, 15, 25, 27],
     None),
    (COTURN_UDP6, (), 'stun.response-to', 'msstun.response_to',
     [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60,
      61, 62], None),
    (COTURN_TCP6, (), 'stun.att.ipv6', 'msstun.addr6', T6_ADDR, None),
    (COTURN_TCP6, (), 'stun.att.port', 'msstun.port', T6_ADDR, None),
    (COTURN_TCP6, (), 'stun.att.channelnum', 'msstun.att.channel', [56, 58, 60, 62, 75, 77, 79, 81], None),
    (COTURN_6062, (), 'stun.type', 'msstun.type', RF_STUN, None),
    (COTURN_6062, (), 'stun.id', 'msstun.id', RF_STUN, None),
    (COTURN_6062, (), 'stun.att.ipv4', 'msstun.addr', RF_ADDR, None),
    (COTURN_6062, (), 'stun.att.port', 'msstun.port', RF_ADDR, None),
    (COTURN_6062, (), 'stun.att.transp', 'msstun.att.transport', [4, 8, 18, 22, 26, 30], _int),
    (COTURN_UDP, (), 'stun.channel', 'msstun.channel', [63, 65, 66, 68, 69, 71], None),
    # Hostile input
    (ZEEK_FFFF, DA_ZEEK_FFFF, 'stun.type', 'msstun.type', [1, 2], None),
    (ZEEK_FFFF, DA_ZEEK_FFFF, 'stun.att.ipv4', 'msstun.addr', [2], None),
    (ZEEK_FFFF, DA_ZEEK_FFFF, 'stun.att.port', 'msstun.port', [2], None),
    (ZEEK_ERROR, DA_ZEEK_ERROR, 'stun.id', 'msstun.id', [1, 2], None),
    (ZEEK_ERROR, DA_ZEEK_ERROR, 'stun.att.username', 'msstun.att.username', [1], None),
    (ZEEK_ERROR, DA_ZEEK_ERROR, 'stun.att.tie-breaker', 'msstun.att.tie_breaker', [1], _hex),
    # The generated MS-TURN capture, where the built-in decode (Auto) is right
    (MSTURN_UDP, (), 'stun.att.ms.version', 'msstun.att.ms.version', U_MSV, None),
    (MSTURN_UDP, (), 'stun.att.magic_cookie', 'msstun.att.magic_cookie', U_COOKIE, None),
    (MSTURN_UDP, (), 'stun.att.realm', 'msstun.att.realm', [2, 3, 20, 22], None),
    (MSTURN_UDP, (), 'stun.att.nonce', 'msstun.att.nonce', [2, 3, 20, 22], None),
    (MSTURN_UDP, (), 'stun.att.error.class', 'msstun.att.error.class', [2, 18], None),
    (MSTURN_UDP, (), 'stun.att.error', 'msstun.att.error.number', [2, 18], None),
    (MSTURN_UDP, (), 'stun.att.lifetime', 'msstun.att.lifetime', [4, 20, 21, 23], None),
    (MSTURN_UDP, (), 'stun.att.ms.connection_id', 'msstun.att.ms.connection_id', U_SEQ, None),
    (MSTURN_UDP, (), 'stun.att.ms.sequence_number', 'msstun.att.ms.sequence_number', U_SEQ, None),
    (MSTURN_UDP, (), 'stun.port.bandwidth', 'msstun.att.bandwidth', [1, 3, 26], None),
    (MSTURN_UDP, (), 'stun.att.ms.stream_type', 'msstun.att.ms.stream_type', [1, 3, 26], None),
    (MSTURN_UDP, (), 'stun.att.ms.service_quality', 'msstun.att.ms.service_quality', [1, 3, 26], None),
    (MSTURN_UDP, (), 'stun.att.ms.multiplexed_turn_session_id', 'msstun.att.ms.multiplexed_session_id', [4], None),
    (MSTURN_UDP, (), 'stun.att.ms.turn_session_id', 'msstun.mturn.session_id', [19], None),
    (MSTURN_UDP, (), 'stun.att.username.opaque', 'msstun.att.username_opaque', [3, 5, 7, 9, 17, 20, 22], None),
    (MSTURN_UDP, (), 'stun.att.ipv6', 'msstun.addr6', [4, 22], None),
    (MSTURN_UDP, (), 'stun.att.bandwidth_acm.type', 'msstun.att.bwm.acm_type', [22], None),
    (MSTURN_UDP, (), 'stun.att.bandwidth_rsv_id', 'msstun.att.bwm.rsv_id', [22], None),
    (MSTURN_UDP, (), 'stun.att.lp.peer_location', 'msstun.att.bwm.peer_location', [22], None),
    (MSTURN_UDP, (), 'stun.att.lp.seft_location', 'msstun.att.bwm.self_location', [22], None),
    (MSTURN_UDP, (), 'stun.att.lp.federation', 'msstun.att.bwm.federation', [22], None),
    (MSTURN_UDP, (), 'stun.att.address_rp.valid', 'msstun.att.bwm.valid', [23], None),
    (MSTURN_UDP, (), 'stun.att.address_rp.pstn', 'msstun.att.bwm.pstn_failover', [23], None),
    (MSTURN_UDP, (), 'stun.att.address_rp.masb', 'msstun.att.bwm.rp_max_send', [23], None),
    (MSTURN_UDP, (), 'stun.att.address_rp.marb', 'msstun.att.bwm.rp_max_recv', [23], None),
    # classicstun decodes the cookie-less messages right (REMOTE-ADDRESS plain,
    # 0x8020 XORed with the first word of the 128-bit ID).
    (MSTURN_UDP, (), 'classicstun.att.ipv4', 'msstun.att.remote.ipv4', [6, 8], None),
    (MSTURN_UDP, (), 'classicstun.att.port', 'msstun.att.remote.port', [6, 8], None),
    (MSTURN_UDP, (), 'classicstun.att.ipv4', 'msstun.addr', [25], None),
    (MSTURN_UDP, (), 'classicstun.att.port', 'msstun.port', [25], None),
    (MSTURN_UDP, (), 'classicstun.att.lifetime', 'msstun.att.lifetime', [25], None),
]

# Wireshark 4.6's STUN-over-TCP heuristic no longer takes libnice's ICE-TCP
# connections (RFC 4571 frames on ephemeral ports; 4.0 and 4.4 do): there the
# baseline is the built-in STUN by Decode As on those connections.
BUILTIN_DECODE_AS_46 = {
    OC2007R2: ('-d', 'tcp.port==39619,stun', '-d', 'tcp.port==43099,stun'),
}

_TABLES = {}
LOCAL = (MSTURN_UDP, MSTURN_TCP, MSTURN_MID, MSICE2)


def _table(ts, which, capture, path, extra):
    '''Every field AGREEMENT needs from one capture: one tshark run per dissector and Decode As.'''
    key = (which, capture, tuple(extra))
    if key not in _TABLES:
        if which == 'builtin':
            fields = sorted({e[2] for e in AGREEMENT if e[0] == capture})
            if ws_at_least(4, 6):
                extra = tuple(extra) + BUILTIN_DECODE_AS_46.get(capture, ())
        else:
            fields = sorted({e[3] for e in AGREEMENT if e[0] == capture and tuple(e[1]) == tuple(extra)})
        rows = ts.fields(path, ['frame.number'] + fields, extra=extra)
        _TABLES[key] = {int(r[0]): dict(zip(fields, r[1:])) for r in rows}
    return _TABLES[key]


@pytest.mark.parametrize('capture,decode_as,builtin_field,msstun_field,frames,norm', AGREEMENT,
                         ids=['%s:%s=%s' % (os.path.basename(e[0]), e[2], e[3]) for e in AGREEMENT])
def test_agrees_with_builtin(tshark, tshark_builtin, shared_capture, local_capture, capture, decode_as,
                             builtin_field, msstun_field, frames, norm):
    path = local_capture(capture) if capture in LOCAL else shared_capture(capture)
    builtin = _table(tshark_builtin, 'builtin', capture, path, BUILTIN_AUTO)
    ours = _table(tshark, 'msstun', capture, path, tuple(decode_as))
    normalise = (lambda v: ','.join(norm(x) for x in v.split(','))) if norm else (lambda v: v)
    # Within the frames listed, each decoder shows the field in all of them...
    assert [f for f, row in builtin.items() if f in frames and row[builtin_field]] == frames
    assert [f for f, row in ours.items() if f in frames and row[msstun_field]] == frames
    # ... with the same values.
    assert [normalise(ours[f][msstun_field]) for f in frames] == \
        [normalise(builtin[f][builtin_field]) for f in frames]


# ---------------------------------------------------------------------------
# 4b. Where the built-in dissector is wrong (wireshark-platform.md 1.3, 1.6,
#     1.10 D, 1.11 items 3-5; ms-turn-reference.md 1.2, 8 item 1, 9)
# ---------------------------------------------------------------------------

# ms-turn-reference.md 7.3: MS-TURN Data Indication 0x0115 with the RFC 5389
# cookie (as Teams sends Allocate/Send), plain REMOTE-ADDRESS 203.0.113.9:50012
# and a 17-byte DATA.
DATA_INDICATION_WITH_COOKIE = ('011500292112a442000102030405060708090a0b000f000472c64bc6001200080001c35ccb007109'
                               '001300118000000100000000deadbeef1111111111')


def write_vectors(ws_root, name, *packets):
    '''A pcap of the hex packets, each a UDP datagram from 192.0.2.1:3478 to
    10.0.0.10:50000 (text2pcap).'''
    folder = os.path.join(ws_root, 'vectors')
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    text = os.path.join(folder, name + '.txt')
    with open(text, 'w') as f:
        for packet in packets:
            data = bytes.fromhex(packet)
            for i in range(0, len(data), 16):
                f.write('%06x  %s\n' % (i, ' '.join('%02x' % b for b in data[i:i + 16])))
    pcap = os.path.join(folder, name + '.pcap')
    subprocess.run(['text2pcap', '-q', '-4', '192.0.2.1,10.0.0.10', '-u', '3478,50000', text, pcap], check=True,
                   capture_output=True)
    os.chmod(pcap, 0o644)
    return pcap


@pytest.fixture(scope='module')
def vector_capture(ws_root):
    return write_vectors(ws_root, 'data-indication', DATA_INDICATION_WITH_COOKIE)


class TestBuiltinIsWrong:
    def test_remote_address_is_plain(self, tshark, tshark_builtin, vector_capture):
        # ms-turn-reference.md 8 item 1 (verified on a real Teams relay):
        # REMOTE-ADDRESS is plain.  The built-in dissector XOR-decodes 0x0012
        # as XOR-PEER-ADDRESS (wireshark-platform.md 1.3, 1.11 item 5).
        builtin = tshark_builtin.fields(vector_capture, ['stun.att.ipv4', 'stun.att.port', 'stun.att.ipv4-xord'],
                                        extra=BUILTIN_AUTO)
        ours = tshark.fields(vector_capture, ['msstun.att.remote.ipv4', 'msstun.att.remote.port',
                                              'msstun.att.xor_peer.ipv4', 'msstun.att.xor_ipv4'])
        # 0xcb007109 ^ 0x2112a442 = 234.18.213.75, 0xc35c ^ 0x2112 = 57934.
        assert builtin == [['234.18.213.75', '57934', 'cb007109']]
        assert ours == [['203.0.113.9', '50012', '', '']]

    def test_data_indication_is_not_an_error_response(self, tshark, tshark_builtin, vector_capture):
        # 0x0115 split the RFC 5389 way is class 3 (error response) of the
        # unassigned method 5 (ms-turn-reference.md 1.1, 1.2).
        builtin = tshark_builtin.fields(vector_capture, ['stun.type', 'stun.type.class', 'stun.type.method',
                                                         '_ws.col.Info'], extra=BUILTIN_AUTO)
        ours = tshark.fields(vector_capture, ['msstun.type', 'msstun.class', 'msstun.method', 'msstun.dialect',
                                              'rtp.ssrc', '_ws.col.Info'])
        assert builtin == [['0x0115', '0x0011', '0x0005', 'Unknown Error Response XOR-PEER-ADDRESS: '
                                                          '234.18.213.75:57934']]
        assert ours == [['0x0115', '1', '0x1005', '3', '0xdeadbeef',
                         'Data Indication from 203.0.113.9:50012 | PT=ITU-T G.711 PCMU, SSRC=0xDEADBEEF, Seq=1, '
                         'Time=0']]

    def test_send_request_is_not_refresh(self, tshark, tshark_builtin, local_capture):
        # MS-TURN 0x0004 is the Send request, RFC 5766 0x0004 the Refresh
        # request (wireshark-platform.md 1.3: t13 shows "Refresh Request").
        cap = local_capture(MSTURN_UDP)
        builtin = tshark_builtin.fields(cap, ['frame.number', 'stun.type', 'stun.type.method', '_ws.col.Info'],
                                        dfilter=in_frames(5, 7), extra=BUILTIN_AUTO)
        ours = tshark.fields(cap, ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class'],
                             dfilter=in_frames(5, 7))
        assert builtin == [['5', '0x0004', '0x0004', 'Refresh Request'], ['7', '0x0004', '0x0004', 'Refresh Request']]
        assert ours == [['5', '0x0004,0x0001', '0x1004,0x0001', '0,0'], ['7', '0x0004', '0x1004', '0']]

    def test_set_active_destination_is_not_send(self, tshark, tshark_builtin, local_capture):
        # 0x0006/0x0106/0x0116 are Set Active Destination (MS-TURN 2.2.1); the
        # built-in dissector shows the RFC method Send (wireshark-platform.md 1.3).
        cap = local_capture(MSTURN_UDP)
        frames = in_frames(9, 10, 17, 18)
        builtin = tshark_builtin.fields(cap, ['frame.number', 'stun.type', 'stun.type.method', 'stun.type.class'],
                                        dfilter=frames, extra=BUILTIN_AUTO)
        info = tshark_builtin.fields(cap, ['_ws.col.Info'], dfilter=frames, extra=BUILTIN_AUTO)
        ours = tshark.fields(cap, ['frame.number', 'msstun.type', 'msstun.method', 'msstun.class'], dfilter=frames)
        assert builtin == [['9', '0x0006', '0x0006', '0x0000'], ['10', '0x0106', '0x0006', '0x0010'],
                           ['17', '0x0006', '0x0006', '0x0000'], ['18', '0x0116', '0x0006', '0x0011']]
        assert [r[0].split(' error-code')[0] for r in info] == [
            'Send Request', 'Send Success Response', 'Send Request', 'Send Error Response']
        assert ours == [['9', '0x0006', '0x1006', '0'], ['10', '0x0106', '0x1006', '2'],
                        ['17', '0x0006', '0x1006', '0'], ['18', '0x0116', '0x1006', '3']]

    def test_cookieless_ms_turn_not_decoded_by_stun(self, tshark, tshark_builtin, local_capture, shared_capture):
        # Legacy MS-TURN never reaches the STUN dissector; classicstun takes it
        # and knows no 0x80xx MS attribute (wireshark-platform.md 1.6, 1.11 item 3).
        for cap, frames, types in ((local_capture(MSTURN_UDP), (24, 25), ('0x0003', '0x0103')),
                                   (shared_capture(OC2007), (13, 17, 41), ('0x0003',) * 3)):
            builtin = tshark_builtin.fields(cap, ['frame.number', 'frame.protocols', 'stun.type',
                                                  'stun.att.ms.version', 'classicstun.type'],
                                            dfilter=in_frames(*frames), extra=BUILTIN_AUTO)
            ours = tshark.fields(cap, ['frame.number', 'frame.protocols', 'msstun.dialect', 'msstun.att.ms.version'],
                                 dfilter=in_frames(*frames))
            assert builtin == [[str(f), 'eth:ethertype:ip:udp:classicstun', '', '', t]
                               for f, t in zip(frames, types)]
            proto = 'eth:ethertype:ip:udp:msstun'
            assert ours == [[str(f), proto, '4', '1'] for f in frames]

    def test_bandwidth_amount_order(self, tshark, tshark_builtin, local_capture):
        # MS-TURNBWM 2.2.3 starts with Minimum Send Bandwidth; Wireshark 4.0
        # labels offset 0 "Maximum Send" and offset 4 "Minimum Send"
        # (ms-turn-reference.md 2.4, gen_msturn.py --describe, "Known built-in dissector disagreements").
        cap = local_capture(MSTURN_UDP)
        builtin = tshark_builtin.fields(cap, ['stun.att.bandwidth_rsv_amount.masb', 'stun.att.bandwidth_rsv_amount.misb',
                                              'stun.att.bandwidth_rsv_amount.marb', 'stun.att.bandwidth_rsv_amount.mirb'],
                                        dfilter='frame.number == 22', extra=BUILTIN_AUTO)
        ours = tshark.fields(cap, ['msstun.att.bwm.max_send', 'msstun.att.bwm.min_send', 'msstun.att.bwm.max_recv',
                                   'msstun.att.bwm.min_recv'], dfilter='frame.number == 22')
        assert builtin == [['40', '100', '40', '100']]
        assert ours == [['100', '40', '100', '40']]


# ---------------------------------------------------------------------------
# 5. Attribute lengths and layouts that the specifications fix
# ---------------------------------------------------------------------------

TID = '2112a442000102030405060708090a0b'


class TestAttributeFormats:
    def test_address_error_code(self, tshark, ws_root):
        # An Allocate error response with ERROR-CODE 508 and ADDRESS-ERROR-CODE
        # (RFC 8656 18.13) for IPv6, 440: Family(8) Reserved(13) Class(3)
        # Number(8).  The reserved bits are bytes 1-2 only, not the family;
        # the message's error is 508, not the code of one address family.
        cap = write_vectors(ws_root, 'address-error-code',
                            '01130010' + TID + '0009000400000508' + '8001000402000428')
        # Its reserved bits have their own field (a 16-bit one, where
        # ERROR-CODE's are 24 bits; issue 31: one type per field name).
        rows = tshark.fields(cap, ['msstun.att.type', 'msstun.att.error', 'msstun.att.error.reserved',
                                   'msstun.att.address_error.reserved',
                                   'msstun.att.requested_family', 'msstun.att.short', '_ws.col.Info',
                                   '_ws.expert.message'])
        assert rows == [['0x0009,0x8001', '508,440', '0x000000', '0x0000', '0x02', '',
                         'Allocate Error Response error 508 Insufficient Port Capacity',
                         'Allocate error 508 Insufficient Port Capacity']]
        out = tshark('-n', '-q', '-r', cap, '-z', 'msstun,allocations')
        assert '|508 x1 |' in out and '440' not in out

    def test_message_integrity_sha256_lengths(self, tshark, ws_root):
        # RFC 8489 14.6: 16 to 32 bytes.  8 bytes are too short, 36 too long.
        cap = write_vectors(ws_root, 'message-integrity-sha256',
                            '0001000c' + TID + '001c0008' + '11' * 8,
                            '00010024' + TID + '001c0020' + '22' * 32,
                            '00010028' + TID + '001c0024' + '33' * 36)
        rows = tshark.fields(cap, ['msstun.att.length', 'msstun.att.hmac_sha256', 'msstun.att.short',
                                   'msstun.att.long'])
        assert rows == [['8', '', '1', ''], ['32', '22' * 32, '', ''], ['36', '', '', '1']]
