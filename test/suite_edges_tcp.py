# suite_edges_tcp.py
# The multiplexer's TCP streams at their edges (issue 26, items 1-4): a
# retransmitted MS-TURN end-to-end frame, a gap, overlap or reordering in the
# inner RFC 4571 stream, a first segment too short to tell the connection's
# kind, and ConnectionBind where RFC 6062 does not apply; then the TCP
# disorder sweep: the TCP captures with their segments split at each of the
# first 8 bytes, retransmitted, reordered and dropped
# (captures/gen_tcp_disorder.py), with and without TCP's sequence analysis and
# reassembly: no byte counted twice, and media after a gap decoded again
# within one inner frame.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import sys

import pytest

from conftest import LOCAL_CAPTURES, SHARED_CAPTURES, SOURCE_DIR

sys.path.insert(0, os.path.join(SOURCE_DIR, 'captures'))
import gen_tcp_disorder as disorder  # noqa: E402

TCP443 = os.path.join(LOCAL_CAPTURES, 'msturn-tcp443.pcap')
MIDSTREAM = os.path.join(LOCAL_CAPTURES, 'msturn-tcp443-midstream.pcap')
SPLIT = os.path.join(LOCAL_CAPTURES, 'msturn-tcp443-split.pcap')
TCP3478_MID = os.path.join(LOCAL_CAPTURES, 'turn-tcp3478-midstream.pcap')
E2E_STREAM = os.path.join(LOCAL_CAPTURES, 'msturn-e2e-stream.pcap')
CONNECTION_BIND = os.path.join(LOCAL_CAPTURES, 'tcp-connectionbind.pcap')
PEERS = os.path.join(SHARED_CAPTURES, 'real-peers')
LIBNICE_443 = os.path.join(PEERS, 'libnice-0.1.21-OC2007R2-turn443-loopback.pcapng')
COTURN_TCP = os.path.join(PEERS, 'coturn-4.6.1-tcp-channeldata.pcapng')

NO_ANALYSIS = ['-o', 'tcp.analyze_sequence_numbers:FALSE']
NO_REASSEMBLY = ['-o', 'tcp.desegment_tcp_streams:FALSE']
TCP_OPTIONS = {
    'analysis+reassembly': [],
    'reassembly': NO_ANALYSIS,
    'analysis': NO_REASSEMBLY,
    'neither': NO_ANALYSIS + NO_REASSEMBLY,
}

E2E = 'MS-TURN end-to-end data'
# The expert items, as -T fields shows one that is there.
EXPERTS = ['msstun.rfc4571.repeated', 'msstun.rfc4571.gap']


def without_reassembled_in(rows):
    '''rows with TCP's " [TCP PDU reassembled in N]" taken out of every cell: from
    Wireshark 4.6 TCP writes it on a segment's second pass only (its own pass
    difference, not the plugin's).'''
    return [[re.sub(r' \[TCP PDU reassembled in \d+\]', '', cell) for cell in row] for row in rows]


@pytest.fixture(scope='module')
def workdir(ws_root):
    path = os.path.join(ws_root, 'edges_tcp')
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o755)
    return path


def write(workdir, name, frames):
    path = os.path.join(str(workdir), name)
    disorder.write_pcap(path, frames)
    os.chmod(path, 0o644)
    return path


def e2e_rtp(rows):
    '''[(frame, ssrc, seq, payload)] of the RTP decoded in MS-TURN end-to-end data frames only.'''
    out = []
    for row in rows:
        frame, types, ssrcs, seqs, payloads = row[:5]
        if not seqs or set(types.split(',')) != {'0x03'}:
            continue
        for ssrc, seq, payload in zip(ssrcs.split(','), seqs.split(','), payloads.split(',')):
            out.append((int(frame), ssrc, int(seq), payload))
    return out


RTP_FIELDS = ['frame.number', 'msstun.tcp.type', 'rtp.ssrc', 'rtp.seq', 'rtp.payload']


# ---------------------------------------------------------------------------
# Item 1: a retransmitted end-to-end frame is not appended twice
# ---------------------------------------------------------------------------

class TestRetransmittedEndToEnd:
    '''Frame 21 of msturn-tcp443.pcap (the first 20 bytes of a 74-byte RFC 4571 frame of RTP)
    sent again as frame 22; the original frame 22 (the other 54) becomes 23.'''

    FIELDS = ['frame.number', '_ws.col.Info', 'msstun.rfc4571.partial', 'msstun.rfc4571.reassembled',
              'rtp.seq', 'rtp.ssrc', 'rtp.payload'] + EXPERTS

    @pytest.fixture(scope='class')
    def capture(self, workdir):
        return write(workdir, 'retransmit-21.pcap', disorder.retransmit_frame(disorder.read_frames(TCP443), 21))

    @pytest.mark.parametrize('options', ['analysis+reassembly', 'reassembly'])
    def test_inner_frame_counted_once(self, tshark, capture, options):
        rows = tshark.fields(capture, self.FIELDS, 'frame.number >= 21 && frame.number <= 23',
                             TCP_OPTIONS[options])
        assert rows[0] == ['21', E2E, '00488068138a0004e4802b3c4d5ed79b2b7b5d8b', '', '', '', '', '', '']
        if options == 'reassembly':
            # TCP passes the copy on: MSSTUN says its bytes were already counted.
            assert rows[1] == ['22', E2E, '', '', '', '', '', '1', '']
        else:
            # TCP's analysis recognises the copy and keeps it from the dissectors.
            assert rows[1][0] == '22' and rows[1][1].startswith('[TCP Retransmission]')
            assert rows[1][2:] == [''] * 7
        # RTP seq 5002 (msturn-tcp443.pcap's MANIFEST): its 60 payload bytes once, none twice.
        original = tshark.fields(TCP443, ['rtp.payload'], 'rtp.seq == 5002')[0][0]
        assert len(original) == 2 * 60
        assert rows[2] == ['23', E2E + ' | PT=DynamicRTP-Type-104, SSRC=0x2B3C4D5E, Seq=5002, Time=320640',
                           '', '1', '5002', '0x2b3c4d5e', original, '', '']

    def test_same_on_the_second_pass(self, tshark, capture):
        one = tshark.fields(capture, self.FIELDS, None, NO_ANALYSIS)
        two = tshark.fields(capture, self.FIELDS, None, NO_ANALYSIS + ['-2'])
        assert without_reassembled_in(one) == without_reassembled_in(two)


# ---------------------------------------------------------------------------
# Item 2: the inner stream resynchronises after a gap
# ---------------------------------------------------------------------------

class TestGapInEndToEnd:
    FIELDS = ['frame.number', 'msstun.rfc4571.partial', 'msstun.rfc4571.skipped', 'rtp.seq'] + EXPERTS

    @pytest.mark.parametrize('options', sorted(TCP_OPTIONS))
    def test_lost_segment_before_a_split_frame(self, tshark, workdir, options):
        '''msturn-tcp443.pcap without frame 19 (RTP 5001 and an RTCP SR): frame 21, now 20, starts
        the next inner frame, of a source the stream carried before (SSRC 0x2b3c4d5e); it is kept
        and completed by the next frame.'''
        capture = write(workdir, 'drop-19.pcap', disorder.drop_frame(disorder.read_frames(TCP443), 19))
        rows = tshark.fields(capture, self.FIELDS, 'frame.number >= 20 && frame.number <= 21',
                             TCP_OPTIONS[options])
        assert rows == [['20', '00488068138a0004e4802b3c4d5ed79b2b7b5d8b', '', '', '', '1'],
                        ['21', '', '', '5002', '', '']]

    @pytest.mark.parametrize('options', sorted(TCP_OPTIONS))
    def test_lost_first_half_of_a_frame(self, tshark, workdir, options):
        '''Without frame 21: frame 22 (now 21) holds the last 54 bytes of an inner frame; they are
        skipped, not read as the length of a frame (0xdae9 bytes) to wait for.'''
        capture = write(workdir, 'drop-21.pcap', disorder.drop_frame(disorder.read_frames(TCP443), 21))
        rows = tshark.fields(capture, self.FIELDS, 'frame.number == 21', TCP_OPTIONS[options])
        tail = tshark.fields(TCP443, ['tcp.payload'], 'frame.number == 22')[0][0][8:]
        assert tail.startswith('dae99629') and len(tail) == 2 * 54
        assert rows == [['21', '', tail, '', '', '1']]

    def test_out_of_order(self, tshark, workdir):
        '''msturn-e2e-stream.pcap with the client's frames 9 and 17 swapped (TCP without
        analysis passes both on).  Frame 9 now holds bytes 290-449 of the inner stream, after a
        gap: the tail of RTP 1003, RTP 1004 whole (of the client's SSRC 0x0e2e0001, so trusted),
        the start of 1005.  The late frames 13 and 17 are repeats, counted once; 1005 completes
        in frame 21 and the stream goes on.'''
        frames = disorder.read_frames(E2E_STREAM)
        frames[8], frames[16] = frames[16], frames[8]
        capture = write(workdir, 'swap-9-17.pcap', frames)
        rows = tshark.fields(capture, self.FIELDS, 'ip.src == 10.0.0.10 && tcp.len > 0 && frame.number <= 29',
                             NO_ANALYSIS)
        assert [r[0] for r in rows] == ['1', '5', '9', '13', '17', '21', '25', '29']
        # The 50 bytes of frame 1 begin a frame that the capture (started mid-connection) cannot
        # vouch for; frame 5 resynchronises on RTP 1001.
        assert rows[0][2:] == [rows[0][2], '', '', ''] and len(rows[0][2]) == 2 * 50
        assert rows[1][3:] == ['1001', '', '']
        assert rows[2][2:] == ['8ef0938a7ee55462dbaaea7eb76471d652aa8e8ee5c7', '1004', '', '1']
        assert rows[3][1:] == ['', '', '', '1', '']
        assert rows[4][1:] == ['', '', '', '1', '']
        assert [r[3] for r in rows[5:]] == ['1005', '1006,1007', '1008']
        assert [r[4:] for r in rows[5:]] == [['', '']] * 3

    @pytest.mark.slow
    def test_no_partial_of_garbage_length(self, tshark, workdir):
        '''Whatever data segment is dropped from msturn-e2e-stream.pcap, no partial frame waits for
        more bytes than the RFC 4571 frames of the capture have (74).'''
        frames = disorder.read_frames(E2E_STREAM)
        for k in range(disorder.data_segment_count(frames)):
            capture = write(workdir, 'e2e-drop-%d.pcap' % k, disorder.drop(frames, k))
            for options in TCP_OPTIONS.values():
                out = tshark.run(['-n', '-r', capture, '-V', '-Y', 'msstun.rfc4571.partial'] + options).stdout
                totals = [int(line.rsplit(' of ', 1)[1].rstrip(')'))
                          for line in out.splitlines() if 'bytes so far of' in line]
                assert all(t == 74 for t in totals), (k, options, totals)


# ---------------------------------------------------------------------------
# Item 3: a short first segment does not fix the connection's mode
# ---------------------------------------------------------------------------

MSSTUN_INFO = ['_ws.col.Info']


def msstun_infos(tshark, capture, options):
    return [row[0] for row in tshark.fields(capture, MSSTUN_INFO, 'msstun', options)]


@pytest.mark.parametrize('at', range(1, 9))
@pytest.mark.parametrize('options', ['analysis+reassembly', 'reassembly'])
def test_short_first_segment(tshark, workdir, at, options):
    '''The pseudo-TLS ClientHello and ServerHello of msturn-tcp443.pcap split after `at` bytes:
    TCP joins the two and the session decodes as without the split.'''
    capture = write(workdir, 'split-first-%d.pcap' % at,
                    disorder.split(disorder.read_frames(TCP443), at, first_only=True))
    assert msstun_infos(tshark, capture, TCP_OPTIONS[options]) == msstun_infos(tshark, TCP443, [])
    rows = tshark.fields(capture, ['frame.number', '_ws.col.Protocol', '_ws.col.Info'],
                         'frame.number >= 4 && frame.number <= 7', TCP_OPTIONS[options])
    assert [r[1] for r in rows] == ['TCP', 'MSSTUN', 'TCP', 'MSSTUN']
    assert rows[1][2] == 'Pseudo-TLS Client Hello'
    assert rows[3][2] == 'Pseudo-TLS Server Hello, Server Hello Done'


def test_short_first_segment_two_passes(tshark, workdir):
    capture = write(workdir, 'split-first-3.pcap', disorder.split(disorder.read_frames(TCP443), 3, first_only=True))
    fields = ['frame.number', 'frame.protocols', '_ws.col.Info']
    assert (without_reassembled_in(tshark.fields(capture, fields)) ==
            without_reassembled_in(tshark.fields(capture, fields, None, ['-2'])))


# ---------------------------------------------------------------------------
# Item 4: ConnectionBind switches only a raw RFC 6062 data connection
# ---------------------------------------------------------------------------

class TestConnectionBind:
    '''captures/tcp-connectionbind.pcap (captures/gen_tcp_edges.py), data segments only.'''

    def test_every_frame(self, tshark):
        rows = tshark.fields(CONNECTION_BIND, ['frame.number', 'frame.protocols', '_ws.col.Info'], 'tcp.len > 0')
        proto = 'eth:ethertype:ip:tcp:msstun'
        assert rows == [
            # 1. MS-TURN framing: no RFC 6062 switch.
            ['1', proto, 'ConnectionBind Request'],
            ['3', proto, 'ConnectionBind Success Response'],
            ['5', proto + ':rtp', E2E + ' | PT=DynamicRTP-Type-104, SSRC=0xB0B0001, Seq=100, Time=16000'],
            ['7', proto + ':rtp', E2E + ' | PT=DynamicRTP-Type-104, SSRC=0xB0B0002, Seq=200, Time=32000'],
            ['9', proto + ':rtp', E2E + ' | PT=DynamicRTP-Type-104, SSRC=0xB0B0001, Seq=101, Time=16320'],
            ['11', proto + ':rtp', E2E + ' | PT=DynamicRTP-Type-104, SSRC=0xB0B0002, Seq=201, Time=32320'],
            # 2. A success response sent by the client.
            ['13', proto, 'ConnectionBind Success Response'],
            ['15', proto + ':rtp', 'ChannelData 0x4001 | PT=ITU-T G.711 PCMU, SSRC=0xB0B0003, Seq=300, Time=48000'],
            ['17', proto + ':rtp', 'ChannelData 0x4001 | PT=ITU-T G.711 PCMU, SSRC=0xB0B0004, Seq=400, Time=64000'],
            # 3. A success response to another transaction.
            ['19', proto, 'ConnectionBind Request connection 1515847681'],
            ['21', proto, 'ConnectionBind Success Response'],
            ['23', proto + ':rtp', 'ChannelData 0x4001 | PT=ITU-T G.711 PCMU, SSRC=0xB0B0005, Seq=500, Time=80000'],
            ['25', proto + ':rtp', 'ChannelData 0x4001 | PT=ITU-T G.711 PCMU, SSRC=0xB0B0006, Seq=600, Time=96000'],
            # 4. RFC 6062: the server's success to the client's request, then raw data both ways.
            ['27', proto, 'ConnectionBind Request connection 1515847681'],
            ['29', proto, 'ConnectionBind Success Response'],
            ['31', proto + ':data', 'RFC 6062 relayed data'],
            ['33', proto + ':data', 'RFC 6062 relayed data'],
        ]



# ---------------------------------------------------------------------------
# The TCP disorder sweep
# ---------------------------------------------------------------------------

SWEEP_CAPTURES = {
    'msturn-tcp443': (TCP443, True),
    'msturn-e2e-stream': (E2E_STREAM, True),
    'msturn-tcp443-midstream': (MIDSTREAM, False),
    'msturn-tcp443-split': (SPLIT, False),
    'turn-tcp3478-midstream': (TCP3478_MID, False),
    'libnice-turn443': (LIBNICE_443, False),
    'coturn-tcp-channeldata': (COTURN_TCP, False),
}


SWEEP_FIELDS = RTP_FIELDS + ['ip.src', 'ipv6.src', 'tcp.srcport', 'tcp.seq', 'tcp.analysis.retransmission',
                             'tcp.analysis.spurious_retransmission']


def _segments(rows):
    '''{frame: ((source address, port), TCP sequence number, whether TCP's analysis calls it a
    retransmission)}.'''
    return {int(r[0]): ((r[5] or r[6], r[7]), r[8], bool(r[9] or r[10])) for r in rows}


def _allowed_losses(base, segments, lost_frames):
    '''The baseline's media in lost_frames, and for each the first two frames of media of its
    direction after it: one that straddles the gap, one to resynchronise on.'''
    allowed = set()
    for lost in lost_frames:
        direction = segments[lost][0]
        allowed |= {(s, q) for f, s, q, _ in base if f == lost}
        after = [(s, q) for f, s, q, _ in base if f > lost and segments[f][0] == direction]
        allowed |= set(after[:2])
    return allowed


@pytest.mark.slow
@pytest.mark.parametrize('options', sorted(TCP_OPTIONS))
@pytest.mark.parametrize('name', sorted(SWEEP_CAPTURES))
def test_disorder_sweep(tshark, workdir, name, options):
    path, every_segment = SWEEP_CAPTURES[name]
    if not os.path.exists(path):
        pytest.skip('%s not present' % path)
    opts = TCP_OPTIONS[options]
    reassembly = NO_REASSEMBLY[1] not in opts
    frames = disorder.read_frames(path)
    base_rows = tshark.fields(path, SWEEP_FIELDS, None, opts)
    base = e2e_rtp(base_rows)
    base_segments = _segments(base_rows)
    by_position = {(d, seq): f for f, (d, seq, _) in base_segments.items()}
    payloads = {(s, q): p for _, s, q, p in base}
    all_rtp = {(r[1], r[2]): r[3] for r in tshark.fields(path, ['frame.number', 'rtp.ssrc', 'rtp.seq',
                                                                'rtp.payload'], 'rtp', opts)
               if ',' not in r[1]}
    data_frames = [i + 1 for i, (_, _, f) in enumerate(frames) if disorder.Segment(f).is_data]
    made = [v for v in disorder.variants(frames) if not v[0].startswith('split-first')]
    if not (every_segment and reassembly):
        made = [v for v in made if v[1] in ('split', 'duplicate')]
    for variant, kind, mutated in made:
        capture = write(workdir, '%s-%s.pcap' % (name, variant), mutated)
        rows = tshark.fields(capture, SWEEP_FIELDS, None, opts)
        got = e2e_rtp(rows)
        keys = [(s, q) for _, s, q, _ in got]
        # No byte counted twice: no RTP packet decoded twice from end-to-end data, and none
        # with other payload bytes than the original's.
        assert len(keys) == len(set(keys)), (variant, keys)
        for _, s, q, p in got:
            assert p == payloads.get((s, q), all_rtp.get((s, q))), (variant, s, q)
        missing = {(s, q) for s, q in payloads} - set(keys)
        if kind == 'duplicate' or (kind == 'split' and reassembly):
            assert not missing, (variant, sorted(missing))
        elif kind in ('drop', 'reorder'):
            k = int(variant.rsplit('-', 1)[1])
            first = data_frames[k]
            lost = {first}
            if kind == 'reorder':
                direction = base_segments[first][0]
                later = [f for f in data_frames if f > first and base_segments[f][0] == direction]
                lost |= {f for f in range(first, later[0] + 1) if base_segments[f][0] == direction}
            # Segments that TCP's analysis now takes for retransmissions (a moved segment's ACK
            # can acknowledge the other side's later data) never reach the dissector: gaps too.
            lost |= {by_position[(d, seq)] for d, seq, retransmission in _segments(rows).values()
                     if retransmission and (d, seq) in by_position}
            # After a gap, media is decoded again within one inner frame.
            allowed = _allowed_losses(base, base_segments, lost)
            assert missing <= allowed, (variant, sorted(missing - allowed))
