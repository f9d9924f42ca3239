# suite_hostile_srtp.py
# SRTP decryption on hostile input (issue 25, cases 1 to 4 and 10): the key
# search, the key store and the keys file cost linear time and bounded
# memory (test/costs.py), and a legitimate stream in a hostile capture is
# still decrypted; the keys file's errors; the edge cases of issue 26
# (items 9 and 11).  The inputs are made at test time by
# captures/gen_hostile_srtp.py (keys per RFC 4568, SRTP by libsrtp2).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import stat
import sys

import pytest

from conftest import LOCAL_CAPTURES, generated_inputs, write_bytes
from costs import assert_linear

sys.path.insert(0, LOCAL_CAPTURES)
import gen_hostile_srtp as H  # noqa: E402

LEGIT_PAYLOAD_HEX = H.LEGIT_PAYLOAD.hex()
SEARCH_BOUND_TEXT = ('Not decrypted: the key search reached its bound (262144 tag checks for the first packets of '
                     'new streams, 524288 per stream, 1048576 per capture); a stream is searched again when its '
                     'next packet follows')


@pytest.fixture(scope='module')
def made(ws_root):
    '''Writes a generated input into the session's temporary folder, readable by every user.'''
    return generated_inputs(ws_root, 'hostile-srtp', write_bytes)


class KeysFileOfCapture:
    '''tshark (a conftest.TShark) that reads, with each capture, the keys
    file written next to it (the capture's path + ".keys"), so that
    assert_linear can grow the keys file with the capture.'''

    def __init__(self, ts):
        self.ts = ts
        self.env = ts.env

    def command(self, args):
        capture = args[args.index('-r') + 1]
        return self.ts.command(['-o', 'msstun.srtp_keys:' + capture + '.keys'] + list(args))


def keys_arg(path):
    return ['-o', 'msstun.srtp_keys:' + path]


@pytest.mark.hostile
class TestKeySearchCost:
    def test_case1_sdp_keys_new_ssrcs(self, tshark, tshark_builtin, made):
        '''600 SDP keys for a 5-tuple that began before the SDP, then N RTP-looking
        datagrams each with a new SSRC.'''
        assert_linear('srtp case 1: 600 SDP keys, new SSRCs', tshark, tshark_builtin,
                      lambda n: made('case1-%d.pcap' % n, H.many_sdp_keys(n)), 20)

    def test_case2_keys_file_new_ssrcs(self, tshark, tshark_builtin, made):
        '''A keys file of 100 keys and N datagrams to 3478, each a new SSRC.'''
        keys = made('case2-keys.txt', H.keys_text(100))
        assert_linear('srtp case 2: 100 keys, new SSRCs', tshark, tshark_builtin,
                      lambda n: made('case2-%d.pcap' % n, H.new_ssrcs(n)), 100, args=keys_arg(keys))

    def test_case2_plausible_streams(self, tshark, tshark_builtin, made):
        '''As case 2, with two datagrams per SSRC whose sequence numbers
        follow: every stream is searched, up to the capture's bound.'''
        keys = made('case2-keys.txt', H.keys_text(100))
        assert_linear('srtp case 2: 100 keys, plausible streams', tshark, tshark_builtin,
                      lambda n: made('case2b-%d.pcap' % n, H.plausible_ssrcs(n)), 50, args=keys_arg(keys))

    def test_case3_load_keys(self, tshark, tshark_builtin, made):
        '''Loading a keys file of N distinct keys.'''
        def make(n):
            made('case3-%d.pcap.keys' % n, H.keys_text(n))
            return made('case3-%d.pcap' % n, H.no_rtp())
        assert_linear('srtp case 3: keys file of N keys', KeysFileOfCapture(tshark), tshark_builtin, make, 5000)

    def test_case4_keys_one_datagram(self, tshark, tshark_builtin, made):
        '''A keys file of N keys and one RTP datagram: sessions are derived
        for the keys tried and released, within the search's bound.'''
        def make(n):
            made('case4-%d.pcap.keys' % n, H.keys_text(n))
            return made('case4-%d.pcap' % n, H.one_datagram())
        assert_linear('srtp case 4: keys file of N keys, one datagram', KeysFileOfCapture(tshark), tshark_builtin,
                      make, 5000)

    def test_case10_keys_file_without_keys(self, tshark, tshark_builtin, made):
        '''A keys file of N lines with nothing usable in them (a log).'''
        def make(n):
            made('case10-%d.pcap.keys' % n, H.junk_text(n))
            return made('case10-%d.pcap' % n, H.no_rtp())
        # stderr says that the file holds no key: KeysFileOfCapture's runs go
        # through run_cost, which wants none, so a key ends each file.
        def make_with_key(n):
            path = make(n)
            with open(path + '.keys', 'ab') as f:
                f.write(H.keys_text(1))
            return path
        assert_linear('srtp case 10: keys file of N lines', KeysFileOfCapture(tshark), tshark_builtin,
                      make_with_key, 25000)


class TestLegitimateStreamUnderAttack:
    def test_sdp_keys_new_ssrcs(self, tshark, made):
        '''Case 1 at N = 20: the first junk datagram's search (600 keys at 256
        rollover counters) reaches the first packets' bound, the other junk
        datagrams are not searched, and the legitimate stream under the
        SDP's oldest key decrypts from its second packet on.'''
        cap = made('case1-20.pcap', H.many_sdp_keys(20))
        rows = tshark.fields(cap, ['frame.number', 'msstun.srtp.auth.status', 'msstun.srtp.key_frame',
                                   'msstun.srtp.crypto_tag', 'rtp.seq', 'rtp.payload', '_ws.expert.message'],
                             dfilter='frame.number >= 3')
        assert [r[:2] + [r[6]] for r in rows[:-2]] == [[str(f), '', SEARCH_BOUND_TEXT] for f in range(3, 24)]
        assert [r[:5] + [r[5].replace(':', ''), r[6]] for r in rows[-2:]] == [
            [str(f), '1', '2', '1', str(seq), LEGIT_PAYLOAD_HEX, ''] for f, seq in ((24, 1001), (25, 1002))]

    def test_keys_file_new_ssrcs(self, tshark, made):
        '''Case 2 at N = 100: the legitimate stream (the keys file's first key)
        decrypts from its second packet on.'''
        cap = made('case2-100.pcap', H.new_ssrcs(100))
        keys = made('case2-keys.txt', H.keys_text(100))
        rows = tshark.fields(cap, ['frame.number', 'msstun.srtp.auth.status', 'msstun.srtp.key_line', 'rtp.seq',
                                   'rtp.payload'], dfilter='frame.number > 100', extra=keys_arg(keys))
        # Frame 101 goes to RTP as it came: its payload is ciphertext and tag.
        assert [r[:4] + [r[4].replace(':', '')] for r in rows] == [
            ['101', '', '', '1000', H.legit_packets(H.key_salt(0))[0][12:].hex()],
            ['102', '1', '1', '1001', LEGIT_PAYLOAD_HEX],
            ['103', '1', '1', '1002', LEGIT_PAYLOAD_HEX]]

    def test_plausible_streams_capture_bound(self, tshark, made):
        '''Every stream searched: the searches stop at the capture's bound
        and the streams after it say so.'''
        cap = made('case2b-50.pcap', H.plausible_ssrcs(50))
        keys = made('case2-keys.txt', H.keys_text(100))
        rows = tshark.fields(cap, ['frame.number', 'msstun.srtp.auth.status', '_ws.expert.message'],
                             extra=keys_arg(keys))
        messages = [r[2] for r in rows]
        assert messages.count(SEARCH_BOUND_TEXT) >= 90
        assert set(messages) <= {SEARCH_BOUND_TEXT, 'No SDES key verifies this stream\'s packets: left encrypted', ''}


    def test_first_packets_bound(self, tshark, made):
        '''One junk datagram's search (600 keys at 256 rollover counters)
        spends the first packets' quarter of the bound: the legitimate
        stream's first packet (frame 4) waits for its second.'''
        cap = made('case1-1.pcap', H.many_sdp_keys(1))
        rows = tshark.fields(cap, ['frame.number', 'msstun.srtp.auth.status', '_ws.expert.message'],
                             dfilter='frame.number >= 3')
        assert rows == [['3', '', SEARCH_BOUND_TEXT], ['4', '', SEARCH_BOUND_TEXT], ['5', '1', ''], ['6', '1', '']]


class TestKeysFileErrors:
    def run(self, tshark, made, keys_path):
        cap = made('one-datagram.pcap', H.one_datagram())
        return tshark.run(['-r', cap] + keys_arg(keys_path), check=False, timeout=20)

    @pytest.mark.parametrize('kind', ['dev-zero', 'fifo', 'directory'])
    def test_not_a_regular_file(self, tshark, made, ws_root, kind):
        '''/dev/zero (endless), a FIFO nobody writes (blocks on open) and a
        folder: refused at once, with the message of a missing file.'''
        if kind == 'dev-zero':
            path = '/dev/zero'
        elif kind == 'fifo':
            path = os.path.join(ws_root, 'hostile-srtp', 'keys.fifo')
            made('one-datagram.pcap', H.one_datagram())
            if not os.path.exists(path):
                os.mkfifo(path, 0o666)
                os.chmod(path, 0o666)
            assert stat.S_ISFIFO(os.stat(path).st_mode)
        else:
            path = os.path.dirname(made('one-datagram.pcap', H.one_datagram()))
        proc = self.run(tshark, made, path)
        assert proc.stderr == 'tshark: MSSTUN SRTP keys file "%s": not a regular file\n' % path
        assert proc.stdout.count('\n') == 1

    def test_missing(self, tshark, made, ws_root):
        path = os.path.join(ws_root, 'hostile-srtp', 'no-such-keys.txt')
        proc = self.run(tshark, made, path)
        assert proc.stderr == 'tshark: MSSTUN SRTP keys file "%s": No such file or directory\n' % path

    def test_no_usable_key(self, tshark, made):
        path = made('junk-keys.txt', H.junk_text(10))
        proc = self.run(tshark, made, path)
        assert proc.stderr == ('tshark: MSSTUN SRTP keys file "%s" holds no usable key: no a=crypto attribute with '
                               'AES_CM_128_HMAC_SHA1_80 or _32 and a 30-byte inline key\n' % path)

    def test_too_many_keys(self, tshark, made):
        '''100,000 keys are held; the ones past them are said not used.'''
        path = made('keys-100002.txt', H.keys_text(100002))
        proc = self.run(tshark, made, path)
        assert proc.stderr == ('tshark: MSSTUN SRTP keys: 2 keys of the keys file and table past the 100000 that '
                               'decryption holds, not used\n')


class TestEdges:
    def test_short_rtp_mki4(self, tshark, made):
        '''Issue 26.9: RTP of 12 and 13 bytes on a stream whose key has a
        4-byte MKI fail authentication (no room for MKI and tag); nothing is
        malformed and the stream goes on.'''
        cap = made('short-mki4.pcap', H.short_mki4())
        keys = made('short-mki4-keys.txt', H.short_mki4_keys())
        rows = tshark.fields(cap, ['frame.number', 'frame.len', 'msstun.srtp.auth.status', 'msstun.srtp.mki',
                                   'msstun.srtp.auth_tag', 'rtp.seq', '_ws.malformed', '_ws.expert.message'],
                             extra=keys_arg(keys))
        failed = 'SRTP authentication failed: the tag does not verify with the stream\'s key'
        assert [r[:4] + r[5:] for r in rows] == [
            ['1', '228', '1', '00000007', '2000', '', ''],
            ['2', '228', '1', '00000007', '2001', '', ''],
            ['3', '228', '1', '00000007', '2002', '', ''],
            ['4', '54', '0', '', '2003', '', failed],
            ['5', '55', '0', '', '2004', '', failed],
            ['6', '228', '1', '00000007', '2003', '', '']]
        assert [bool(r[4]) for r in rows] == [True, True, True, False, False, True]

    def test_decimal_lifetime_keeps_mki(self, tshark, made):
        '''Issue 26.11: |281474976710656|7:2 (2^48 in decimal, RFC 4568) keeps MKI 7 of 2 bytes.'''
        cap = made('decimal-lifetime.pcap', H.decimal_lifetime())
        keys = made('decimal-lifetime-keys.txt', H.decimal_lifetime_keys())
        rows = tshark.fields(cap, ['frame.number', 'msstun.srtp.auth.status', 'msstun.srtp.mki', 'rtp.seq',
                                   'rtp.payload'], extra=keys_arg(keys))
        assert [r[:3] + [r[3], r[4].replace(':', '')] for r in rows] == [
            [str(i + 1), '1', '0007', str(1000 + i), LEGIT_PAYLOAD_HEX] for i in range(3)]

    @pytest.mark.parametrize('empty_key,no_address', [(True, False), (False, True), (True, True)],
                             ids=['empty-key', 'no-address', 'both'])
    def test_keys_of_sdp_that_throws(self, tshark, made, empty_key, no_address):
        '''Issue 26.11: SDP that makes Wireshark's SDP dissector throw (an
        a=crypto with an empty key, a c= line with no address) still gives
        its usable key; the body stays flagged malformed.'''
        cap = made('sdp-throws-%d%d.pcap' % (empty_key, no_address), H.sdp_that_throws(empty_key, no_address))
        rows = tshark.fields(cap, ['frame.number', 'msstun.srtp.sdp.key', '_ws.malformed', 'msstun.srtp.auth.status',
                                   'msstun.srtp.key_frame', 'rtp.payload'])
        assert rows[0][:2] == ['1', 'tag 1 AES_CM_128_HMAC_SHA1_80, media to 10.0.0.20:40000']
        assert rows[0][2].startswith('[Malformed Packet: SDP]')
        assert [r[3:5] + [r[5].replace(':', '')] for r in rows[1:]] == [['1', '1', LEGIT_PAYLOAD_HEX]] * 3
