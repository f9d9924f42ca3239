# suite_srtp.py
# SRTP and SRTCP decryption with SDES keys (issue 12): the crypto code on
# RFC 3711 and libsrtp vectors, then captures encrypted by libsrtp2
# (captures/gen_srtp.py) decrypted from SDP in plain SIP, SDP in SIP over
# TLS, a keys file and the keys table, checked against the plaintexts the
# generator encrypted (captures/srtp-expected.json).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import shutil
import subprocess

import pytest

from conftest import LOCAL_CAPTURES, SOURCE_DIR

EXPECTED = json.load(open(os.path.join(LOCAL_CAPTURES, 'srtp-expected.json')))

RTP_FIELDS = ['frame.number', 'rtp.ssrc', 'rtp.seq', 'rtp.timestamp', 'rtp.p_type', 'rtp.payload',
              'msstun.srtp.auth.status', 'msstun.srtp.roc', 'msstun.srtp.index', 'msstun.srtp.mki']
RTCP_FIELDS = ['frame.number', 'rtcp.senderssrc', 'rtcp.sender.packetcount', 'rtcp.sender.octetcount',
               'rtcp.ssrc.identifier', 'rtcp.ssrc.high_seq', 'rtcp.ssrc.jitter', 'rtcp.sdes.text',
               'msstun.srtp.auth.status', 'msstun.srtp.index', 'msstun.srtp.e_flag', 'msstun.srtp.mki']


@pytest.fixture(scope='module')
def readable(ws_root, run_as):
    '''Copies a capture-side file where the (possibly unprivileged) tshark can read it.'''
    d = os.path.join(ws_root, 'srtp-files')
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)

    def copy(name, data=None):
        path = os.path.join(d, name)
        if data is None:
            shutil.copy(os.path.join(LOCAL_CAPTURES, name), path)
        else:
            with open(path, 'wb') as f:
                f.write(data)
        os.chmod(path, 0o644)
        return path
    return copy


def relay_keys(readable):
    return ['-o', 'msstun.srtp_keys:' + readable('srtp-relay-keys.txt')]


def check_rtp(rows, expected, mki):
    by_frame = {int(r[0]): r for r in rows}
    for e in (x for x in expected if x['kind'] == 'rtp'):
        r = by_frame[e['frame']]
        seq_index = e['seq'] if e['ssrc'] != '0x11110001' or e['seq'] >= 65530 else 65536 + e['seq']
        assert r[1:5] + [r[5].replace(':', '')] == [e['ssrc'], str(e['seq']), str(e['timestamp']), str(e['pt']),
                                                    e['payload']], e['frame']
        assert r[6] == '1', e['frame']
        assert r[7] == str(seq_index >> 16) and r[8] == str(seq_index), e['frame']
        assert r[9].replace(':', '') == mki.get(e['ssrc'], ''), e['frame']


def check_rtcp(rows, expected, mki, first_index=1):
    by_frame = {int(r[0]): r for r in rows}
    index = {}
    for e in (x for x in expected if x['kind'] == 'rtcp'):
        r = by_frame[e['frame']]
        index[e['ssrc']] = index.get(e['ssrc'], first_index - 1) + 1
        assert r[1] == e['ssrc'], e['frame']
        if e['type'] == 'SR':
            assert r[2:4] == [str(e['packet_count']), str(e['octet_count'])], e['frame']
        assert [r[4].split(',')[0]] + r[5:8] == [e['report_ssrc'], str(e['highest_seq']), str(e['jitter']), e['cname']], e['frame']
        assert r[8:11] + [r[11].replace(':', '')] == ['1', str(index[e['ssrc']]), '1', mki.get(e['ssrc'], '')], \
            e['frame']


class TestSrtpCrypto:
    def test_vectors(self):
        '''RFC 3711 B.2 keystream, B.3 key derivation, the libsrtp reference
        packets and ROC estimation, through srtp-crypto.c.'''
        exe = os.path.join(os.path.dirname(os.environ.get('MSSTUN_PLUGIN', os.path.join(SOURCE_DIR, 'build',
                                                                                        'msstun.so'))),
                           'msstun-srtp-vectors')
        proc = subprocess.run([exe], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout
        assert proc.stdout.count('PASS') == 28 and 'FAIL' not in proc.stdout
        assert proc.stdout.rstrip().endswith('0 failure(s)')


class TestSrtpSipCall:
    CAP = 'srtp-sip-call.pcap'

    def test_rtp_plaintext(self, tshark, local_capture):
        '''Both directions decrypt to the exact plaintext: the caller's PCMU
        with MKI 1 across the sequence wrap (ROC 0 then 1), the callee's
        PCMA without MKI; keys from the multipart SDP of frame 1 and the
        answer of frame 2.'''
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS + ['msstun.srtp.key_frame'], 'rtp')
        assert len(rows) == 20
        check_rtp([r[:10] for r in rows], EXPECTED[self.CAP], {'0x11110001': '01'})
        assert {r[1]: r[10] for r in rows} == {'0x11110001': '1', '0x22220002': '2'}

    def test_srtcp_plaintext(self, tshark, local_capture):
        '''SRTCP with E flag and index, with MKI (caller) and without (callee):
        the RTCP trees read the plaintext SR, RR and SDES.'''
        rows = tshark.fields(local_capture(self.CAP), RTCP_FIELDS, 'rtcp')
        assert len(rows) == 3
        check_rtcp(rows, EXPECTED[self.CAP], {'0x11110001': '01'})

    def test_two_pass_identical(self, tshark, local_capture):
        fields = RTP_FIELDS + RTCP_FIELDS[1:] + ['msstun.srtp.key_frame', '_ws.col.Info']
        one = tshark.fields(local_capture(self.CAP), fields)
        two = tshark.fields(local_capture(self.CAP), fields, extra=['-2'])
        assert one == two

    def test_data_source_and_layers(self, tshark, local_capture):
        out = tshark('-n', '-r', local_capture(self.CAP), '-x', '-Y', 'frame.number == 4')
        assert 'Decrypted SRTP (' in out
        rows = tshark.fields(local_capture(self.CAP), ['frame.protocols', 'rtp.payload'], 'frame.number == 16')
        assert rows[0][0] == 'eth:ethertype:ip:udp:msstun:rtcp'

    def test_rtp_streams(self, tshark, local_capture):
        out = tshark('-n', '-r', local_capture(self.CAP), '-q', '-z', 'rtp,streams')
        lines = [line.split() for line in out.splitlines() if '0x1111' in line or '0x2222' in line]
        assert [(x[6], x[7], x[8], x[9]) for x in lines] == [('0x22220002', 'g711A', '6', '0'),
                                                           ('0x11110001', 'g711U', '14', '0')]

    def test_sdp_keys_shown(self, tshark, local_capture):
        rows = tshark.fields(local_capture(self.CAP), ['msstun.srtp.sdp.key', 'msstun.srtp.sdp.cryptoscale',
                                                       '_ws.expert.message'], 'frame.number <= 2')
        assert rows[0][0] == ('tag 2 AES_CM_128_HMAC_SHA1_80, MKI 1 (1 byte), media to 10.0.0.10:50020,'
                              'tag 3 AES_CM_128_HMAC_SHA1_80, media to 10.0.0.10:50020') * 1 + ',' + \
            ('tag 2 AES_CM_128_HMAC_SHA1_80, MKI 1 (1 byte), media to 10.0.0.10:50020,'
             'tag 3 AES_CM_128_HMAC_SHA1_80, media to 10.0.0.10:50020')
        assert rows[0][1].startswith('1 client AES_CM_128_HMAC_SHA1_80 inline:')
        assert 'Scale SRTP key (a=cryptoscale): not used for decryption' in rows[0][2]
        assert rows[1][0] == 'tag 2 AES_CM_128_HMAC_SHA1_80, media to 10.0.0.20:50040'

    def test_auth_failure(self, tshark, local_capture, readable):
        '''A payload byte flipped in frame 8: the bound key no longer
        verifies, the packet stays encrypted, with an expert warning.'''
        data = bytearray(open(local_capture(self.CAP), 'rb').read())
        # classic pcap: 24-byte file header, 16-byte record headers
        off = 24
        for _ in range(7):
            off += 16 + int.from_bytes(data[off + 8:off + 12], 'little')
        data[off + 16 + 42 + 12 + 20] ^= 0x01   # Ethernet+IP+UDP = 42, RTP header 12
        path = readable('srtp-sip-call-tampered.pcap', bytes(data))
        rows = tshark.fields(path, ['frame.number', 'msstun.srtp.auth.status', 'rtp.payload',
                                    '_ws.expert.message'], 'frame.number == 6 || frame.number == 8 || frame.number == 10')
        assert [r[1] for r in rows] == ['1', '0', '1']
        assert 'SRTP authentication failed' in rows[1][3]
        # left as it came: ciphertext, MKI and tag
        assert len(rows[1][2].replace(':', '')) == 2 * (160 + 1 + 10)

    def test_decryption_disabled(self, tshark, local_capture):
        '''msstun.srtp_decrypt FALSE: no SDP fields asked for, no msstun.srtp
        field, Wireshark's SRTP view of the SDP-announced streams.'''
        rows = tshark.fields(local_capture(self.CAP), ['frame.protocols', 'msstun.srtp.auth.status',
                                                       'msstun.srtp.sdp.key'],
                             extra=['-o', 'msstun.srtp_decrypt:FALSE'])
        assert all(r[1] == '' and r[2] == '' for r in rows)
        assert rows[3][0] == 'eth:ethertype:ip:udp:rtp'


class TestSrtpSipTls:
    CAP = 'srtp-sip-tls.pcap'

    def test_keys_from_tls(self, tshark, local_capture, readable):
        '''SDP inside SIP over TLS 1.3, decrypted by Wireshark with the key log.'''
        keylog = ['-o', 'tls.keylog_file:' + readable('srtp-sip-tls.keys')]
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS + ['msstun.srtp.key_frame'], 'rtp', extra=keylog)
        assert len(rows) == 6
        check_rtp([r[:10] for r in rows], EXPECTED[self.CAP], {'0x11110001': '01'})
        assert {r[10] for r in rows} == {'8', '9'}
        rows = tshark.fields(local_capture(self.CAP), RTCP_FIELDS, 'rtcp', extra=keylog)
        check_rtcp(rows, EXPECTED[self.CAP], {'0x11110001': '01'})

    def test_without_key_log(self, tshark, local_capture):
        rows = tshark.fields(local_capture(self.CAP), ['msstun.srtp.auth.status', 'frame.protocols'], 'udp')
        assert rows and all(r[0] == '' for r in rows)


class TestSrtpRelay:
    CAP = 'srtp-relay.pcap'

    def test_relayed_rtp(self, tshark, local_capture, readable):
        '''MS-TURN Send and Data Indication, ChannelData and TCP 443 end-to-end
        data: each stream bound to its key by the tag, both suites.'''
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS + ['msstun.srtp.key_line', 'msstun.srtp.suite'],
                             'rtp', extra=relay_keys(readable))
        assert len(rows) == 14
        check_rtp([r[:10] for r in rows], EXPECTED[self.CAP], {'0x33330003': '01', '0x66660006': '01'})
        assert {r[1]: (r[10], r[11]) for r in rows} == {
            '0x33330003': ('4', 'AES_CM_128_HMAC_SHA1_80'),   # JSON line, unescaped SDP
            '0x44440004': ('2', 'AES_CM_128_HMAC_SHA1_32'),   # UccApi log line
            '0x55550005': ('3', 'AES_CM_128_HMAC_SHA1_80'),   # several attributes in one line
            '0x66660006': ('5', 'AES_CM_128_HMAC_SHA1_80'),   # JSON with \/ escapes
        }

    def test_relayed_srtcp(self, tshark, local_capture, readable):
        rows = tshark.fields(local_capture(self.CAP), RTCP_FIELDS, 'rtcp', extra=relay_keys(readable))
        check_rtcp(rows, EXPECTED[self.CAP], {'0x66660006': '01'})

    def test_two_pass_identical(self, tshark, local_capture, readable):
        fields = RTP_FIELDS + RTCP_FIELDS[1:] + ['msstun.srtp.key_line', '_ws.col.Info']
        one = tshark.fields(local_capture(self.CAP), fields, extra=relay_keys(readable))
        two = tshark.fields(local_capture(self.CAP), fields, extra=relay_keys(readable) + ['-2'])
        assert one == two

    def test_keys_table(self, tshark, local_capture):
        '''A key in the UAT (msstun_srtp_keys): the ChannelData stream only;
        the others are reported as encrypted streams without a key.'''
        key = [x for x in open(os.path.join(LOCAL_CAPTURES, 'srtp-relay-keys.txt')).read().split()
               if x.startswith('inline:')][1]
        row = '"a=crypto:2 AES_CM_128_HMAC_SHA1_80 %s","from the UccApi log"' % key
        rows = tshark.fields(local_capture(self.CAP), ['rtp.ssrc', 'msstun.srtp.auth.status', 'msstun.srtp.key_row',
                                                       '_ws.expert.message'], 'rtp',
                             extra=['-o', 'uat:msstun_srtp_keys:' + row])
        decrypted = {r[0] for r in rows if r[1] == '1'}
        assert decrypted == {'0x55550005'} and {r[2] for r in rows if r[1] == '1'} == {'1'}
        assert all('No SDES key verifies' in r[3] for r in rows if r[0] != '0x55550005')

    def test_no_keys_unchanged(self, tshark, local_capture):
        '''Without keys the plugin decodes exactly as before: relayed SRTP is
        RTP with its ciphertext payload, and no msstun.srtp field exists.'''
        fields = ['frame.protocols', '_ws.col.Info', 'rtp.payload', 'rtcp.senderssrc', '_ws.expert.message']
        plain = tshark.fields(local_capture(self.CAP), fields)
        off = tshark.fields(local_capture(self.CAP), fields, extra=['-o', 'msstun.srtp_decrypt:FALSE'])
        assert plain == off
        out = tshark('-n', '-r', local_capture(self.CAP), '-V')
        assert 'SRTP' not in out and 'Decrypted' not in out
