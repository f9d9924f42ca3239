# suite_edges_more.py
# The edge cases of issue 26 left after suite_edges_tcp.py and its
# neighbours: SRTCP whose clear part is malformed is reported as malformed,
# not as encrypted (item 10); RTP that MSSTUN hands on names MSSTUN and the
# frame that set it up, also after SRTCP set the 5-tuple up first, and
# streams that SDP set up keep SDP's label (item 14); keys of a plain application/sdp body that makes SIP throw,
# read after the frame (item 11).  Generated inputs: captures/gen_edges_more.py
# (libsrtp2 for SRTCP and SRTP, captures/lib for MS-TURN and RTP).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import sys

import pytest

from conftest import LOCAL_CAPTURES, ws_at_least
from costs import assert_linear

sys.path.insert(0, LOCAL_CAPTURES)
import gen_edges_more as G  # noqa: E402


@pytest.fixture(scope='module')
def made(ws_root):
    '''The generator's captures in the session's temporary folder, readable by every user.'''
    d = os.path.join(ws_root, 'edges-more')
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)

    def write(name):
        path = os.path.join(d, name)
        if not os.path.exists(path):
            with open(path, 'wb') as f:
                f.write(G.BUILDS[name]())
            os.chmod(path, 0o644)
        return path
    return write


@pytest.fixture(scope='module')
def srtcp_rows(tshark, made):
    return tshark.fields(made('edges-srtcp-clear.pcap'),
                         ['frame.number', 'rtcp.pt', 'srtcp.e', 'srtcp.index', 'msstun.srtcp_encrypted',
                          'msstun.srtcp.clear_malformed', '_ws.malformed', '_ws.col.Info'])


class TestSrtcpClearPart:
    '''Item 10: SRTCP (RFC 3711 3.4) with no key: the E flag says what is
    encrypted; a bounds error in the clear part is a malformed packet.'''

    def test_encrypted_sr(self, srtcp_rows):
        '''E set after an SR: RTCP shows the clear header and the trailer.'''
        assert srtcp_rows[0] == ['1', '200', '1', '1', '', '', '', 'Sender Report   ']

    def test_authenticated_only(self, srtcp_rows):
        '''E clear (libsrtp's authentication-only SRTCP): the whole compound is RTCP.'''
        assert srtcp_rows[1] == ['2', '201,202', '', '', '', '', '', 'Receiver Report   Source description   ']

    def test_malformed_clear_sdes(self, srtcp_rows):
        '''E clear and an SDES item that runs past the packet: malformed, not encrypted.'''
        assert srtcp_rows[2][:6] == ['3', '201,202', '', '', '', '']
        assert srtcp_rows[2][6] == '[Malformed Packet: RTCP],_ws.malformed'
        assert srtcp_rows[2][7] == 'Receiver Report   Source description   [Malformed Packet]'

    def test_first_header_past_index(self, tshark, made):
        '''E set, and the clear SR's length counts the SRTCP index: flagged where it is.'''
        rows = tshark.fields(made('edges-srtcp-clear.pcap'), ['frame.number', 'rtcp.pt', 'srtcp.e', '_ws.expert.message',
                                                               '_ws.expert.severity'], dfilter='frame.number == 4')
        assert rows == [['4', '200', '1', 'SRTCP: the first RTCP packet (88 bytes) runs past the SRTCP index at byte 84,'
                         'Encrypted RTCP Payload - not dissected', '8388608,6291456']]

    def test_shorter_than_the_trailer(self, tshark, made):
        '''16 bytes under a 32-bit tag on a stream set up with the 80-bit one:
        flagged, and RTCP shows the RR.'''
        rows = tshark.fields(made('edges-srtcp-clear.pcap'), ['frame.number', 'rtcp.pt', 'rtcp.senderssrc',
                                                               'msstun.srtcp.clear_malformed', '_ws.expert.message'],
                             dfilter='frame.number == 5')
        assert rows == [['5', '201', '0x0e0d0001', '1', 'SRTCP of 16 bytes: shorter than a clear header, index and '
                         'tag (22)']]

    def test_only_clear_parts_malformed(self, tshark, made):
        '''Nothing here is reported as reduced-size encryption (every first header is an SR or RR).'''
        rows = tshark.fields(made('edges-srtcp-clear.pcap'), ['frame.number'], dfilter='msstun.srtcp_encrypted')
        assert rows == []


class TestMediaSetup:
    '''Item 14: RTP's "Stream setup by" on media that MSSTUN hands on and no
    signalling set up: MSSTUN, and the frame of the stream's first packet on
    that 5-tuple and direction (what Media Paths, which takes a setup frame
    that is the packet itself for no signalling, reads as its TURN carrier).'''

    def test_after_set_active_destination(self, tshark, made):
        '''Media on the 5-tuple after the Set Active Destination success, both
        ways and in 0xFF10: no longer "DECODE AS".'''
        rows = tshark.fields(made('edges-sad-media.pcap'), ['frame.number', 'rtp.ssrc', 'rtp.setup-method',
                                                            'rtp.setup-frame'], dfilter='rtp')
        assert rows == [['3', '0x0e0d0001', 'MSSTUN', '3'], ['4', '0x0e0d0002', 'MSSTUN', '4'],
                        ['5', '0x0e0d0001', 'MSSTUN', '3']]

    def test_same_in_two_passes(self, tshark, made):
        fields = ['frame.number', 'rtp.setup-method', 'rtp.setup-frame', '_ws.col.Info']
        cap = made('edges-sad-media.pcap')
        assert tshark.fields(cap, fields, extra=['-2']) == tshark.fields(cap, fields)

    def test_srtcp_before_rtp(self, tshark, made):
        '''SRTCP set up on the 5-tuple before any RTP (3): RTP still names
        MSSTUN and its direction's first packet (not "DECODE AS", nor nothing
        on the first pass), and the Edge's SRTCP after it (6) is still SRTCP
        with the setup of frame 3.'''
        fields = ['frame.number', 'rtp.setup-method', 'rtp.setup-frame', 'rtcp.setup-method', 'rtcp.setup-frame',
                  'srtcp.e']
        cap = made('edges-srtcp-first.pcap')
        rows = tshark.fields(cap, fields, dfilter='rtp || srtcp')
        assert rows == [['3', '', '', 'MSSTUN', '3', '1'], ['4', 'MSSTUN', '4', '', '', ''],
                        ['5', 'MSSTUN', '5', '', '', ''], ['6', '', '', 'MSSTUN', '3', '1'],
                        ['7', 'MSSTUN', '4', '', '', '']]
        assert tshark.fields(cap, fields, dfilter='rtp || srtcp', extra=['-2']) == rows

    @pytest.mark.parametrize('name, count', [('msturn-tcp443.pcap', 4), ('msturn-udp3478.pcap', 6)])
    def test_first_packet_of_each_direction(self, tshark, local_capture, name, count):
        '''TCP end-to-end data (msturn-tcp443.pcap); RTP relayed in Send, after
        Set Active Destination and in 0xFF10 (msturn-udp3478.pcap): every RTP
        frame names MSSTUN and the first RTP frame of its direction.'''
        rows = tshark.fields(local_capture(name), ['frame.number', 'ip.dst', 'rtp.setup-method', 'rtp.setup-frame'],
                             dfilter='rtp')
        first = {}
        for number, dst, _, _ in rows:
            first.setdefault(dst, number)
        assert len(rows) == count and len(first) == 2
        assert [r[2:] for r in rows] == [['MSSTUN', first[r[1]]] for r in rows]

    @pytest.mark.parametrize('name', ['srtp-sip-call.pcap', 'srtp-msrtcp.pcap'])
    def test_sdp_keeps_its_label(self, tshark, tshark_builtin, local_capture, name):
        '''A SIP call whose SDP set its RTP up: with the plugin (which decrypts
        it) RTP says what Wireshark alone says, "SDP" and the SDP's frame.'''
        fields = ['frame.number', 'rtp.setup-method', 'rtp.setup-frame']
        builtin = {r[0]: r[1:] for r in tshark_builtin.fields(local_capture(name), fields, dfilter='rtp')}
        rows = tshark.fields(local_capture(name), fields, dfilter='rtp')
        assert builtin and all(v[0] == 'SDP' for v in builtin.values())
        assert {r[0]: r[1:] for r in rows if r[0] in builtin} == builtin
        assert {r[1] for r in rows} == {'SDP'}


SDP_KEY_ITEM = 'tag 1 AES_CM_128_HMAC_SHA1_80, media to 10.0.0.10:30000'
READ_APART = 'SRTP keys read from an application/sdp body that SIP did not hand on: SIP or its SDP setup threw an exception first'


class TestSdpPayloadTypes:
    '''A SIP call's dynamic payload type (SILK/16000 as type 103) on a
    5-tuple that MSSTUN also learns from the ICE check on it (with its
    heuristic on): RTP keeps SDP's setup whole, its label and its types.'''

    FIELDS = ['frame.number', '_ws.col.Protocol', 'rtp.p_type', '_ws.col.Info', 'rtp.setup-method',
              'rtp.setup-frame']
    RTP = [['6', 'RTP', '103', 'PT=SILK, SSRC=0xE0D0011, Seq=1000, Time=32000, Mark', 'SDP', '1'],
           ['7', 'RTP', '103', 'PT=SILK, SSRC=0xE0D0012, Seq=2000, Time=64000, Mark', 'SDP', '1']]

    @pytest.mark.parametrize('two_pass', [False, True], ids=['1pass', '2pass'])
    def test_learned_keeps_sdp_payload_types(self, tshark, made, two_pass):
        rows = tshark.fields(made('edges-sdp-ice-silk.pcap'), self.FIELDS,
                             extra=['--enable-heuristic', 'msstun_udp'] + (['-2'] if two_pass else []))
        # On 4.0 the RTP conversation refuses the checks and MSSTUN's
        # heuristic takes them (and learns the 5-tuple); from 4.2 Wireshark's
        # own STUN decodes them there, and nothing is learned.
        assert [r[1] for r in rows[3:5]] == (['STUN', 'STUN'] if ws_at_least(4, 2) else ['MSSTUN', 'MSSTUN'])
        assert rows[5:] == self.RTP

    def test_as_wireshark_names_it(self, tshark_builtin, made):
        # Wireshark alone, from the SDP: the caller's RTP is SILK.
        rows = tshark_builtin.fields(made('edges-sdp-ice-silk.pcap'), self.FIELDS)
        assert rows[5] == self.RTP[0]


class TestSdpThatThrows:
    '''Item 11: SIP reads an application/sdp body itself (setup_sdp_transport())
    before the "media_type" table hands it to SDP; when that throws, the
    body's keys are read after the frame (a postdissector).'''

    FIELDS = ['frame.number', 'frame.protocols', 'msstun.srtp.sdp.key', '_ws.expert.message', 'msstun.srtp.auth.status',
              'rtp.ssrc', 'rtp.setup-method', 'rtp.setup-frame']

    def test_builtin_throws(self, tshark_builtin, made):
        '''Without the plugin the INVITE is a malformed SIP frame whose body reaches no dissector.'''
        rows = tshark_builtin.fields(made('edges-sdp-throws.pcap'), ['frame.protocols', '_ws.malformed'],
                                     dfilter='frame.number == 1')
        assert rows == [['eth:ethertype:ip:udp:sip', '[Malformed Packet: SIP],_ws.malformed']]

    def test_keys_of_plain_sdp(self, tshark, made):
        '''The offer's key decrypts the caller's SRTP, the answer's the callee's;
        the caller's media address, which only the offer names, is set up by
        MSSTUN from the offer's frame, the callee's keeps SDP's setup.'''
        rows = tshark.fields(made('edges-sdp-throws.pcap'), self.FIELDS)
        assert rows[0] == ['1', 'eth:ethertype:ip:udp:sip', SDP_KEY_ITEM,
                           'Malformed Packet (Exception occurred),' + READ_APART, '', '', '', '']
        assert rows[1] == ['2', 'eth:ethertype:ip:udp:sip:sdp', 'tag 1 AES_CM_128_HMAC_SHA1_80, media to 10.0.0.20:40000',
                           '', '', '', '', '']
        assert rows[3:] == [['4', 'eth:ethertype:ip:udp:msstun:rtp', '', '', '1', '0x0e0d0011', 'SDP', '1'],
                            ['5', 'eth:ethertype:ip:udp:msstun:rtp', '', '', '1', '0x0e0d0012', 'MSSTUN', '1']]

    def test_same_in_two_passes(self, tshark, made):
        '''On the second pass SIP hands the body to SDP, which throws in the
        plugin's body entry: the same key, the same note.'''
        fields = self.FIELDS[2:] + ['_ws.col.Info']
        cap = made('edges-sdp-throws.pcap')
        assert tshark.fields(cap, fields, extra=['-2']) == tshark.fields(cap, fields)

    def test_over_tcp(self, tshark, made):
        '''The body in TCP's reassembled data: read there, once.'''
        rows = tshark.fields(made('edges-sdp-throws-tcp.pcap'), self.FIELDS,
                             dfilter='frame.number == 6 || frame.number == 8')
        assert rows == [['6', 'eth:ethertype:ip:tcp:sip', SDP_KEY_ITEM, 'Malformed Packet (Exception occurred),' + READ_APART,
                         '', '', '', ''],
                        ['8', 'eth:ethertype:ip:udp:msstun:rtp', '', '', '1', '0x0e0d0011', 'MSSTUN SRTP', '8']]

    def test_not_without_decryption(self, tshark, made):
        '''msstun.srtp_decrypt off: no key read, frame 1 as without the plugin.'''
        rows = tshark.fields(made('edges-sdp-throws.pcap'), ['msstun.srtp.sdp.key', '_ws.expert.message'],
                             dfilter='frame.number == 1', extra=['-o', 'msstun.srtp_decrypt:FALSE'])
        assert rows == [['', 'Malformed Packet (Exception occurred)']]


@pytest.mark.hostile
class TestSdpThatThrowsCost:
    def test_frames_read_again(self, tshark, tshark_builtin, ws_root):
        '''N INVITEs of 120 extension headers whose SDP setup throws: each
        frame's bytes read once more, its body's keys once.'''
        d = os.path.join(ws_root, 'edges-more')
        os.makedirs(d, exist_ok=True)

        def make(n):
            path = os.path.join(d, 'sdp-throws-many-%d.pcap' % n)
            if not os.path.exists(path):
                with open(path, 'wb') as f:
                    f.write(G.sdp_throws_many(n))
                os.chmod(path, 0o644)
            return path
        assert_linear('sdp throws: N INVITEs read again', tshark, tshark_builtin, make, 1000)
