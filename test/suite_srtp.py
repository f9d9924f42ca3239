# suite_srtp.py
# SRTP and SRTCP decryption with SDES keys (issue 12): the crypto code on
# RFC 3711 and libsrtp vectors, then captures encrypted by libsrtp2
# (captures/gen_srtp.py) decrypted from SDP in plain SIP, SDP in SIP over
# TLS, a keys file and the keys table, checked against the plaintexts the
# generator encrypted (captures/srtp-expected.json); the payload type names
# of relayed streams and streams first seen past their first rollover.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import json
import os
import shutil
import subprocess

import pytest

from conftest import LOCAL_CAPTURES, SOURCE_DIR, ws_at_least

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
        assert len(rows) == 28
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
        assert [(x[6], x[7], x[8], x[9]) for x in lines] == [('0x22220002', 'g711A', '14', '0'),
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

    def test_sdp_layers_unchanged(self, tshark, local_capture):
        '''The keys are read from the application/sdp bodies without a layer
        of their own: the SIP frames' protocols are those without the plugin.'''
        rows = tshark.fields(local_capture(self.CAP), ['frame.protocols'], 'frame.number <= 2')
        assert rows == [['eth:ethertype:ip:udp:sip:mime_multipart:sdp:sdp'], ['eth:ethertype:ip:udp:sip:sdp']]

    def test_msstun_disabled(self, tshark, local_capture):
        '''MSSTUN disabled: no key read, the SDP-announced media is Wireshark's.'''
        rows = tshark.fields(local_capture(self.CAP), ['frame.protocols', 'msstun.srtp.sdp.key'],
                             extra=['--disable-protocol', 'msstun'])
        assert all(r[1] == '' for r in rows)
        assert rows[3][0] == 'eth:ethertype:ip:udp:rtp'

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


def rfc3550_jitter_ms(packets, clock):
    '''RFC 3550 6.4.1 interarrival jitter after each packet but the first
    (arrival = frame time: the generator's frames are 20 ms apart), in ms.'''
    out, jitter, prev = [], 0.0, None
    for e in packets:
        arrival = (e['frame'] - 1) * 0.020
        if prev:
            d = (arrival - prev[0]) - (e['timestamp'] - prev[1]) / clock
            jitter += (abs(d) - jitter) / 16
            out.append(jitter * 1000)
        prev = (arrival, e['timestamp'])
    return out


def rtp_streams(tshark, capture, extra):
    '''-z rtp,streams rows by SSRC: payload, packets, mean and max jitter.'''
    out = tshark('-n', '-r', capture, '-q', '-z', 'rtp,streams', *extra)
    rows = {}
    for line in out.splitlines():
        x = line.split()
        ssrcs = [i for i, v in enumerate(x) if v.startswith('0x')]
        if ssrcs:
            i = ssrcs[0]
            rest = x[i + 1:]
            n = next(j for j, v in enumerate(rest) if v.isdigit())
            rows[x[i].lower()] = (' '.join(rest[:n]), int(rest[n]), rest[-2], rest[-1])
    return rows


class TestSrtpRelayDynamicPayloads:
    '''Relayed streams (Send / Data Indication, ChannelData, TCP 443
    end-to-end data) whose addresses are not the SDP's get the payload
    type names and clock rates of the media section their key came from:
    the SIP SDP of frames 1-2 or the keys file's SDP dump and JSON line.'''
    CAP = 'srtp-relay-dyn.pcap'

    def keys(self, readable):
        return ['-o', 'msstun.srtp_keys:' + readable('srtp-relay-dyn-keys.txt')]

    def test_plaintext(self, tshark, local_capture, readable):
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS, 'rtp', extra=self.keys(readable))
        assert len(rows) == 25
        # RED: the block's payload type and data come after the packet's
        red = [r for r in rows if r[1] == '0x0e0e0505']
        assert len(red) == 4 and all(r[4] == '97,0' and r[5].count(',') == 1 for r in red)
        for r in red:
            r[4], r[5] = '97', r[5].split(',')[0]
        check_rtp(rows, EXPECTED[self.CAP], {'0x0a0a0101': '01'})

    def test_payload_type_names(self, tshark, local_capture, readable):
        '''The RTP tree names each packet's payload type; RED (RFC 2198) is
        parsed as such, its block header naming PCMU; X-H264UC goes to
        Wireshark's H.264 dissector, telephone-event to RTP Event.'''
        out = tshark('-n', '-r', local_capture(self.CAP), '-V', '-Y', 'rtp', *self.keys(readable))
        names = [line.strip() for line in out.splitlines() if 'Payload type: ' in line]
        relayed = []
        for i in range(6):   # Send / Data Indication, video every other round
            relayed += ['SILK (103)', 'x-msrta (114)'] + (['X-H264UC (122)'] if i % 2 == 0 else [])
        assert names == ['Payload type: ' + x for x in relayed] + \
            ['Payload type: ITU-T G.722 (9)'] * 4 + ['Payload type: telephone-event (101)'] * 2 + \
            ['Payload type: RED (97)', '.000 0000 = Payload type: ITU-T G.711 PCMU (0)'] * 4
        rows = tshark.fields(local_capture(self.CAP), ['rtp.ssrc', 'rtp.setup-method', 'frame.protocols',
                                                       'rtpevent.event_id'], 'rtp', extra=self.keys(readable))
        assert {r[1] for r in rows} == {'MSSTUN SRTP'}
        assert {r[2] for r in rows if r[0] == '0x0c0c0303'} == {'eth:ethertype:ip:udp:msstun:rtp:h264'}
        assert [r[3] for r in rows if r[0] == '0x0d0d0404'] == ['', '', '', '', '5', '5']

    def test_rtp_streams_clock(self, tshark, local_capture, readable):
        '''-z rtp,streams names each stream's codecs and computes jitter
        with the rtpmap's clock: 16000 for SILK and x-msrta (ts + 320 per
        20 ms), compared with RFC 3550 computed here.'''
        rows = rtp_streams(tshark, local_capture(self.CAP), self.keys(readable))
        for ssrc, name in (('0x0a0a0101', 'SILK'), ('0x0b0b0202', 'x-msrta')):
            jitter = rfc3550_jitter_ms([e for e in EXPECTED[self.CAP] if e['ssrc'] == ssrc], 16000)
            assert rows[ssrc] == (name, 6, '%.3f' % (sum(jitter) / len(jitter)), '%.3f' % max(jitter))
            assert rows[ssrc][2:] == ('5.509', '8.830')
        assert rows['0x0d0d0404'][:2] == ('g722, telephone-event', 6)
        # from 4.2 on the RED stream is listed by its block's payload type
        assert rows['0x0e0e0505'] == ('g711U' if ws_at_least(4, 2) else 'RED', 4, '0.000', '0.000')
        assert rows['0x0c0c0303'][:2] == ('X-H264UC', 3)

    def test_without_keys_file(self, tshark, local_capture):
        '''SDP keys only: the streams keyed in the keys file stay encrypted
        and unnamed (Wireshark's own names), the others are named.'''
        rows = rtp_streams(tshark, local_capture(self.CAP), [])
        assert rows['0x0a0a0101'][0] == 'SILK' and rows['0x0e0e0505'][0] == 'RTPType-97'
        assert rows['0x0d0d0404'][0] == 'g722, rtpevent'

    def test_two_pass_identical(self, tshark, local_capture, readable):
        fields = RTP_FIELDS + ['rtp.setup-method', '_ws.col.Info']
        one = tshark.fields(local_capture(self.CAP), fields, extra=self.keys(readable))
        two = tshark.fields(local_capture(self.CAP), fields, extra=self.keys(readable) + ['-2'])
        assert one == two


class TestSrtpRolloverCounter:
    '''A capture started hours into the call: each stream's first packet is
    tried at rollover counters 0 to 255; the counter found then follows the
    sequence number as from 0.  SRTCP carries its index and needs none.'''
    CAP = 'srtp-roc.pcap'

    def keys(self, readable):
        return ['-o', 'msstun.srtp_keys:' + readable('srtp-roc-keys.txt')]

    def test_rtp_roc(self, tshark, local_capture, readable):
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS + ['_ws.expert.message'], 'rtp',
                             extra=self.keys(readable))
        assert len(rows) == 14
        by_frame = {int(r[0]): r for r in rows}
        decrypted = 0
        for e in (x for x in EXPECTED[self.CAP] if x['kind'] == 'rtp'):
            r = by_frame[e['frame']]
            if e['roc'] >= 256:
                # beyond the rollover counters tried: left encrypted
                assert r[6:9] == ['', '', ''] and 'No SDES key verifies' in r[10], e['frame']
                continue
            decrypted += 1
            assert r[1:6] == [e['ssrc'], str(e['seq']), str(e['timestamp']), str(e['pt']), e['payload']], e['frame']
            assert r[6:9] == ['1', str(e['roc']), str(e['index'])], e['frame']
        assert decrypted == 12
        assert [by_frame[f][7] for f in (1, 5, 9, 11, 14)] == ['22', '22', '22', '23', '23']
        assert by_frame[2][7:9] == ['131', str(131 * 65536 + 30000)]
        assert by_frame[3][7] == '255'

    def test_srtcp_index(self, tshark, local_capture, readable):
        rows = tshark.fields(local_capture(self.CAP), RTCP_FIELDS, 'rtcp', extra=self.keys(readable))
        e = [x for x in EXPECTED[self.CAP] if x['kind'] == 'rtcp'][0]
        assert len(rows) == 1 and int(rows[0][0]) == e['frame']
        assert rows[0][1:4] == [e['ssrc'], str(e['packet_count']), str(e['octet_count'])]
        assert rows[0][7] == e['cname']
        assert rows[0][8:11] == ['1', '5760', '1']

    def test_two_pass_identical(self, tshark, local_capture, readable):
        fields = RTP_FIELDS + RTCP_FIELDS[1:]
        one = tshark.fields(local_capture(self.CAP), fields, extra=self.keys(readable))
        two = tshark.fields(local_capture(self.CAP), fields, extra=self.keys(readable) + ['-2'])
        assert one == two



class TestSrtpRolloverCounterFromSdp:
    '''Keys from SDP in the capture: a stream that began after its SDP is
    tried at ROC 0 only (the session started in the capture), so its ROC 3
    packets stay encrypted; a stream under way before the re-INVITE that
    carries its key is searched from ROC 0 to 255 and found at 23.'''
    CAP = 'srtp-roc-sdp.pcap'

    def test_rtp_roc_from_sdp(self, tshark, local_capture):
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS + ['msstun.srtp.key_frame', '_ws.expert.message'],
                             'rtp')
        assert len(rows) == 11
        by_frame = {int(r[0]): r for r in rows}
        expected = EXPECTED[self.CAP]
        assert [e['frame'] for e in expected] == [1, 2, 6, 7, 8, 9, 10, 11, 15, 16, 17]
        for e in expected:
            r = by_frame[e['frame']]
            assert r[1] == e['ssrc'], e['frame']
            if e['decrypted']:
                assert r[2:6] == [str(e['seq']), str(e['timestamp']), str(e['pt']), e['payload']], e['frame']
                assert r[6:11] == ['1', str(e['roc']), str(e['index']), '', '12' if e['roc'] == 23 else '3'], \
                    e['frame']
            else:
                assert r[6:11] == ['', '', '', '', ''], e['frame']
        # The stream that began after its SDP, at ROC 3: no key verifies it.
        assert [by_frame[f][11] for f in (7, 9, 11)] == ["No SDES key verifies this stream's packets: left encrypted"] * 3
        # The stream under way: its two packets before the re-INVITE are not followed.
        assert [by_frame[f][11] for f in (1, 2)] == ['', '']
        assert [by_frame[f][7] for f in (6, 15, 16, 17)] == ['0', '23', '23', '23']

class TestSrtcpMsRtpExtensions:
    '''SRTCP whose SR and RR carry [MS-RTP] 2.2.11 profile-specific
    extensions (captures/srtp-msrtcp.pcap, a G.722 call keyed in SIP):
    decrypted, Wireshark's RTCP dissector reads each extension.'''
    CAP = 'srtp-msrtcp.pcap'
    FIELDS = ['frame.number', 'rtcp.profile-specific-extension.type', 'rtcp.profile-specific-extension.length',
              'rtcp.ms_pse.bandwidth', 'rtcp.senderssrc', 'rtcp.ms_pse.inbound_bandwidth',
              'rtcp.ms_pse.outbound_bandwidth', 'rtcp.ms_pse.no_cache', 'rtcp.timestamp.ntp.msw',
              'rtcp.timestamp.ntp.lsw', 'rtcp.ms_pse.congestion_info', 'rtcp.ms_pse.modality',
              'rtcp.ms_pse.concealed_frames', 'rtcp.ms_pse.stretched_frames', 'rtcp.ms_pse.compressed_frames',
              'rtcp.ms_pse.total_frames', 'rtcp.ms_pse.receive_quality_state', 'rtcp.ms_pse.fec_distance_request',
              'msstun.srtp.auth.status']

    def reports(self):
        sr, rr = [e for e in EXPECTED[self.CAP] if e['kind'] == 'rtcp']
        assert (sr['type'], rr['type']) == ('SR', 'RR')
        return sr, rr

    def test_rtp_and_rtcp_plaintext(self, tshark, local_capture):
        '''G.722 (PT 9) both ways and the SR / RR with their SDES decrypt to
        the generator's plaintext; the RTCP packet lengths include the
        extensions.'''
        rows = tshark.fields(local_capture(self.CAP), RTP_FIELDS, 'rtp')
        assert len(rows) == 50 and {r[4] for r in rows} == {'9'}
        check_rtp(rows, EXPECTED[self.CAP], {'0x5a5a0001': '01'})
        rows = tshark.fields(local_capture(self.CAP), RTCP_FIELDS + ['rtcp.length'], 'rtcp')
        assert len(rows) == 2
        # rtcp.senderssrc: the SR's, then Peer Info's / Audio Healer's (below)
        check_rtcp([[r[0], r[1].split(',')[0]] + r[2:12] for r in rows], EXPECTED[self.CAP], {'0x5a5a0001': '01'})
        sr, rr = self.reports()
        # SR: 7 words + 1 report block (6) + extensions 12+12+20+16+12 bytes;
        # RR: 2 + 6 + 28+12 bytes; then SDES, one CNAME each
        assert [r[12] for r in rows] == ['30,7', '17,7']
        assert [int(r[0]) for r in rows] == [sr['frame'], rr['frame']]

    def test_extensions(self, tshark, local_capture):
        sr, rr = self.reports()
        rows = tshark.fields(local_capture(self.CAP), self.FIELDS, 'rtcp')
        by_frame = {int(r[0]): r[1:] for r in rows}
        x = sr['ms_extensions']
        peer, cong, mod = x['peer_info'], x['congestion'], x['modality_send_bandwidth']
        assert by_frame[sr['frame']] == [
            '7,8,12,13,14',                   # Policy Server, TURN Server, Peer Info, Congestion, Modality
            '12,12,20,16,12',
            '%d,%d,%d' % (x['policy_server_bandwidth'], x['turn_server_bandwidth'], mod['limit']),
            sr['ssrc'] + ',' + peer['ssrc'],  # the SR's sender, Peer Info's SSRC
            str(peer['inbound']), str(peer['outbound']), str(peer['no_cache']),
            '%d,%d' % (sr['ntp_msw'], cong['ntp_msw']), '%d,%d' % (sr['ntp_lsw'], cong['ntp_lsw']),
            # [MS-RTP] 2.2.11.11 puts Congestion Info (0x06 here) in the byte
            # after the NTP timestamp; Wireshark reads it 4 bytes later, the
            # first byte of the next extension's Type (0x00).
            '0',
            str(mod['modality']),
            '', '', '', '', '', '', '1']
        h = rr['ms_extensions']['audio_healer']
        assert by_frame[rr['frame']] == [
            '9,10', '28,12', str(rr['ms_extensions']['receiver_bandwidth_limit']),
            rr['ssrc'] + ',' + h['ssrc'], '', '', '', '', '', '', '',
            str(h['concealed']), str(h['stretched']), str(h['compressed']), str(h['total']),
            str(h['receive_quality_state']), str(h['fec_distance_request']), '1']
        assert cong['info'] == 0x06 and by_frame[sr['frame']][3].split(',')[1] == '0x5a5a0001'

    def test_not_decoded_without_key(self, tshark, local_capture, readable):
        '''Without the SDP's keys (frames 1-2 removed) or with decryption
        off, the reports are Wireshark's SRTCP view of the ciphertext: no
        extension is decoded.'''
        sr, rr = self.reports()
        nokey = readable('srtp-msrtcp-nosip.pcap', b'')
        subprocess.run(['editcap', local_capture(self.CAP), nokey, '1', '2'], check=True, capture_output=True)
        fields = ['frame.number', 'rtcp.profile-specific-extension.type', 'rtcp.ms_pse.bandwidth',
                  'msstun.srtp.auth.status', 'frame.protocols']
        rows = tshark.fields(nokey, fields)
        assert len(rows) == 53 and all(r[1:4] == ['', '', ''] for r in rows)
        assert [r[4] for r in rows] == ['eth:ethertype:ip:udp:sip'] + ['eth:ethertype:ip:udp:data'] * 52   # the ACK
        rows = tshark.fields(local_capture(self.CAP), fields + ['srtcp.e'], 'srtcp',
                             extra=['-o', 'msstun.srtp_decrypt:FALSE'])
        assert [(int(r[0]), r[1], r[2], r[3], r[5]) for r in rows] == [(sr['frame'], '', '', '', '1'),
                                                                     (rr['frame'], '', '', '', '1')]

    def test_two_pass_identical(self, tshark, local_capture):
        one = tshark.fields(local_capture(self.CAP), self.FIELDS + ['_ws.col.Info'])
        two = tshark.fields(local_capture(self.CAP), self.FIELDS + ['_ws.col.Info'], extra=['-2'])
        assert one == two
