# suite_hostile_more.py
# The SDP claims and the port learner on hostile input (issue 25, cases 9
# and 11): SIP INVITEs that each claim new media cost linear time, and STUN
# messages from hosts without an allocation, naming peers, learn nothing
# (ESP-in-UDP on 4500 stays ESP) while a real allocation's relayed leg still
# decodes; the bounds and their expert items.  The inputs are made at test
# time by captures/gen_hostile_learning.py (SIP per RFC 3261, SDP per RFC
# 4566 and 4568, TURN per RFC 5766, ESP-in-UDP per RFC 3948) and
# captures/gen_reports_hostile.py.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import sys

import pytest

from conftest import LOCAL_CAPTURES, generated_inputs
from costs import assert_linear

sys.path.insert(0, LOCAL_CAPTURES)
import gen_hostile_learning as L  # noqa: E402
import gen_reports_hostile as R  # noqa: E402

LEARN_BOUND_TEXT = 'Media endpoints not learned: an allocation learns at most 64 peers, a capture at most 8192 endpoints'
CLAIM_BOUND_TEXT = ("Media not claimed for decryption: the capture's SDP claimed the 20000 transport addresses that "
                    "MSSTUN takes from SDP")


@pytest.fixture(scope='module')
def made(ws_root):
    '''made(name, frames) writes a generated capture into the session's
    temporary folder, readable by every user, and returns its path.'''
    return generated_inputs(ws_root, 'hostile-more', lambda path, make_frames: R.write_pcap(path, make_frames()))


@pytest.mark.hostile
class TestCosts:
    def test_case9_sip_invites(self, tshark, tshark_builtin, made):
        '''N SIP INVITEs over UDP, each a new call whose SDP offers one audio
        section with one key on a new address: each body costs its own size,
        not a walk over every earlier claim.'''
        assert_linear('case 9: SIP INVITEs with one keyed audio section', tshark, tshark_builtin,
                      lambda n: made('sdp-%d.pcap' % n, lambda: L.sdp(n)), 1000)

    def test_case11_named_peers(self, tshark, tshark_builtin, made):
        '''N CreatePermission requests from hosts without an allocation, 16
        peers each, and ESP-in-UDP on 4500: nothing is learned, so memory
        stays within a fifth of tshark's own (each learned peer was a
        conversation with RTP's setup: +66 MB at N = 4000 before).'''
        assert_linear('case 11: STUN messages naming 16 peers', tshark, tshark_builtin,
                      lambda n: made('peers-%d.pcap' % n, lambda: L.peers(n)), 1000, rss_ratio=1.2)


class TestLearning:
    def test_esp_on_4500_stays_esp(self, tshark, tshark_builtin, made):
        '''Every message names the ESP gateway 198.51.100.7:4500 as a peer;
        the ESP-in-UDP between it and 203.0.113.9:4500 stays ESP, field for
        field as tshark without the plugin decodes it.'''
        path = made('peers-40.pcap', lambda: L.peers(40))
        fields = ['frame.number', 'frame.protocols', 'esp.spi', 'esp.sequence']
        rows = tshark.fields(path, fields, 'udp.port == 4500')
        assert rows == tshark_builtin.fields(path, fields, 'udp.port == 4500')
        assert len(rows) == 10
        for k, row in enumerate(rows):
            assert row[1:] == ['eth:ethertype:ip:udp:udpencap:esp', '0x8f3a5c21', str(k + 1)]
        assert tshark.fields(path, ['frame.number'], 'rtp && udp.port == 4500') == []

    def test_hosts_without_allocation_learn_nothing(self, tshark, made):
        '''The CreatePermission requests of the hosts without an allocation
        (frames 4 on) are decoded, and none of their 16 peers becomes RTP.'''
        path = made('peers-40.pcap', lambda: L.peers(40))
        rows = tshark.fields(path, ['frame.number', 'msstun.method', 'msstun.class'],
                             'ip.src == 198.18.0.0/16')
        assert [r[1:] for r in rows] == [['0x0008', '0']] * 40
        rtp = tshark.fields(path, ['ip.src', 'udp.srcport', 'ip.dst', 'udp.dstport'], 'rtp')
        assert {tuple(r) for r in rtp} == {('192.0.2.15', '52000', '203.0.113.50', '53000'),
                                           ('203.0.113.50', '53000', '192.0.2.15', '52000')}

    def test_learned_relayed_leg_decodes(self, tshark, made):
        '''The real allocation's relayed leg: relay -> peer set up by the
        CreatePermission naming the peer (frame 3), peer -> relay by the
        Allocate success naming the relay (frame 2), as in
        msturn-learning.pcap.'''
        path = made('peers-40.pcap', lambda: L.peers(40))
        rows = tshark.fields(path, ['frame.protocols', 'rtp.ssrc', 'rtp.seq', 'rtp.setup-frame',
                                    'rtp.setup-method'], 'ip.addr == 203.0.113.50')
        assert len(rows) == 20
        for k, row in enumerate(rows):
            if k % 2 == 0:
                assert row == ['eth:ethertype:ip:udp:msstun:rtp', '0xb10c0a01', str(1000 + k // 2), '3', 'MSSTUN']
            else:
                assert row == ['eth:ethertype:ip:udp:msstun:rtp', '0xb10c0a02', str(2000 + k // 2), '2', 'MSSTUN']

    @pytest.mark.parametrize('two_pass', [False, True], ids=['1pass', '2pass'])
    def test_allocation_peer_bound(self, tshark, made, two_pass):
        '''One allocation (Allocate success in frame 2) whose Send
        indications name 16 new peers each (frames 1, 3, 4, 6, 7, 9, 10, 12):
        frames 3 to 7 fill its 64 peers, and each later one says so.'''
        path = made('allocation-8.pcap', lambda: R.allocations(8))
        rows = tshark.fields(path, ['frame.number', '_ws.expert.message'], 'msstun.learn_bound',
                             extra=['-2'] if two_pass else [])
        assert rows == [[f, LEARN_BOUND_TEXT] for f in ('9', '10', '12')]


class TestSdpClaims:
    def test_keys_and_claims(self, tshark, made):
        '''Each INVITE's key is shown with the media address it claims.'''
        path = made('sdp-12.pcap', lambda: L.sdp(12))
        rows = tshark.fields(path, ['frame.number', 'msstun.srtp.sdp.key'])
        assert rows == [[str(i + 1), 'tag 1 AES_CM_128_HMAC_SHA1_80, media to %s:%d' % L.media_address(i)]
                        for i in range(12)]

    @pytest.mark.parametrize('case', ['reinvite', 'newcall'])
    def test_keyless_offer_of_claimed_address(self, tshark, made, local_capture, case):
        '''srtp-sip-call.pcap with, after frame 10, an INVITE whose SDP offers
        the callee's media address again without a key (in the same call,
        and as a new call): Wireshark's SDP sets RTP up there again, and the
        claim is made again, so the packets to it after the INVITE decrypt
        exactly as in the capture without it.'''
        path = made('%s-10.pcap' % case, lambda: getattr(L, case)(10))
        fields = ['frame.protocols', 'rtp.ssrc', 'rtp.seq', 'rtp.payload', 'rtcp.pt']
        rows = tshark.fields(path, fields, 'frame.number > 11 && ip.dst == 10.0.0.20')
        original = tshark.fields(local_capture('srtp-sip-call.pcap'), fields, 'frame.number > 10 && ip.dst == 10.0.0.20')
        assert rows == original
        assert len(rows) == 12
        assert {r[0] for r in rows} == {'eth:ethertype:ip:udp:msstun:rtp', 'eth:ethertype:ip:udp:msstun:rtcp'}

    def test_claims_bound(self, tshark, made):
        '''10,001 INVITEs without rtcp-mux claim 20,002 addresses: the last
        one finds the bound and says so; the keys are all kept.'''
        path = made('sdp-10001.pcap', lambda: L.sdp(10001))
        rows = tshark.fields(path, ['frame.number', '_ws.expert.message'], 'msstun.srtp.too_many_sdp_media')
        assert rows == [['10001', CLAIM_BOUND_TEXT]]
        rows = tshark.fields(path, ['msstun.srtp.sdp.key'], 'frame.number == 10001')
        addr, port = L.media_address(10000)
        assert rows == [['tag 1 AES_CM_128_HMAC_SHA1_80, media to %s:%d' % (addr, port)]]
