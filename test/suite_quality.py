# suite_quality.py
# Call quality per stream and per leg in the media paths report
# (tap-msstun-flow.c, tshark -z msstun,media): expected packets, loss rate,
# duplicates, max delta and jitter per leg, against Wireshark's own
# -z rtp,streams for the same packets.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import struct

import pytest

from conftest import all_local_captures, all_shared_captures, ws_at_least
from suite_flow import EDGE, HEURISTIC, media

# Columns of -z msstun,media (see suite_flow.MEDIA_COLUMNS).
LEGS, PACKETS, LOST, MAX_JITTER, MEAN_JITTER, EXPECTED, LOSS, DUPLICATES, MAX_DELTA = 5, 6, 7, 9, 10, 11, 12, 13, 14

RTP_STREAMS_LINE = re.compile(
    r'^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-F]{8})\s+.*?\s(\d+)\s+(-?\d+) '
    r'\((-?[\d.]+)%\)\s+\S+\s+\S+\s+(\S+)\s+\S+\s+(\S+)\s+(\S+)')


def rtp_streams(tshark, capture, extra=()):
    '''-z rtp,streams: (leg, SSRC) -> [packets, lost, loss %, max delta, mean
    jitter, max jitter], as tshark prints them.'''
    streams = {}
    for line in tshark('-n', '-q', '-r', capture, '-z', 'rtp,streams', *extra).splitlines():
        m = RTP_STREAMS_LINE.match(line)
        if m:
            key = ('%s:%s > %s:%s' % m.group(1, 2, 3, 4), '0x' + m.group(5).lower())
            streams[key] = list(m.group(6, 7, 8, 9, 10, 11))
    return streams


def media_legs(tshark, capture, extra=()):
    '''-z msstun,media per leg: (leg, SSRC) -> the same figures as
    rtp_streams, and whether every leg was shown.'''
    legs = {}
    complete = True
    for row in media(tshark, capture, extra=extra):
        if row[0].startswith('(none'):
            continue            # the empty report's explanation
        if ' more legs' in row[LEGS]:
            complete = False
        cells = [row[i].split(' and ')[0].split(' / ') for i in (LEGS, PACKETS, LOST, LOSS, MAX_DELTA, MEAN_JITTER,
                                                                  MAX_JITTER)]
        for leg, *figures in zip(*cells):
            legs[(leg, row[0])] = figures
    return legs, complete


def every_capture():
    here = os.path.dirname(os.path.abspath(__file__))
    return ([os.path.join(here, '..', 'captures', name) for name in all_local_captures()] +
            [os.path.join(here, '..', '..', 'shared', 'captures', name) for name in all_shared_captures()])


def rtp_streams_cases():
    '''every_capture(), but where Wireshark's own figures are known to be wrong.'''
    cases = []
    for capture in every_capture():
        marks = ()
        if os.path.basename(capture) == 'turn-tcp3478-midstream.pcap' and ws_at_least(4, 4):
            # Frame 5 holds two ChannelData messages, RTP 5001 and 5002: from 4.4
            # RTP Streams counts 3 packets of 2 expected (lost -1) where the
            # sequence numbers 5000-5002 give 3 expected, 0 lost.
            marks = pytest.mark.xfail(strict=True,
                                      reason="RTP Streams of Wireshark 4.4 and later: two RTP packets in one frame")
        cases.append(pytest.param(capture, marks=marks, id=os.path.basename(capture)))
    return cases


class TestLegFigures:
    @pytest.mark.parametrize('capture', rtp_streams_cases())
    def test_equal_rtp_streams(self, tshark, capture):
        # Packets, lost, loss rate, max delta, mean and max jitter of every
        # leg of every stream equal Wireshark's own RTP streams.
        expected = rtp_streams(tshark, capture, HEURISTIC)
        got, complete = media_legs(tshark, capture, HEURISTIC)
        if complete:
            assert got == expected
        else:
            assert got == {key: expected.get(key) for key in got}

    def test_compared_some(self, tshark):
        # The comparison above is not vacuous: most captures have RTP.
        with_rtp = [c for c in every_capture() if rtp_streams(tshark, c, HEURISTIC)]
        assert len(with_rtp) >= 10

    def test_edge_legs(self, tshark, local_capture):
        # turn-edge-relay.pcap: on every leg one packet lost (but for
        # 0xc0ffee03) and, on the peer's first stream, the packet dropped
        # before the permission: expected counts from the sequence numbers.
        rows = media(tshark, local_capture(EDGE))
        assert [[r[0]] + r[EXPECTED:MAX_DELTA] for r in rows] == [
            ['0xb0b0b002', '24 / 23', '4.2 / 4.3', '0 / 0'],
            ['0xa11ce001', '24 / 24', '4.2 / 4.2', '0 / 0'],
            ['0xd00dfeed', '12 / 12', '8.3 / 8.3', '0 / 0'],
            ['0xc0ffee03', '12 / 12', '0.0 / 0.0', '0 / 0'],
        ]


def pcap_with_copies(source, dest, copies):
    '''A copy of the classic pcap source where each frame number in copies
    (1-based) is sent again, as a network duplicates a packet: after the
    frame given with it, 0.1 ms after that frame's time.'''
    with open(source, 'rb') as f:
        data = f.read()
    assert data[:4] == b'\xd4\xc3\xb2\xa1'
    header, frames, offset = data[:24], [], 24
    while offset < len(data):
        sec, usec, incl, _ = struct.unpack_from('<IIII', data, offset)
        frames.append((sec, usec, data[offset:offset + 16 + incl]))
        offset += 16 + incl
    out = [header]
    for number, (sec, usec, record) in enumerate(frames, 1):
        out.append(record)
        for copied, after in copies.items():
            if after == number:
                csec, cusec, crecord = frames[copied - 1]
                usec_later = usec + 100
                out.append(struct.pack('<II', sec + usec_later // 1000000, usec_later % 1000000) + crecord[8:])
    with open(dest, 'wb') as f:
        f.write(b''.join(out))
    os.chmod(dest, 0o644)


class TestDuplicates:
    def test_duplicated_packets(self, tshark, local_capture, ws_root):
        # Frame 11 (0xa11ce001, seq 7002, relay leg) sent again at once, and
        # frame 117 (0xd00dfeed, its first packet on the relay leg) again
        # after frame 140: one duplicate each, which Wireshark counts as a
        # packet more (lost 0 and -0 instead of 1) and a sequence error.
        dest = os.path.join(ws_root, 'edge-duplicates.pcap')
        pcap_with_copies(local_capture(EDGE), dest, {11: 11, 117: 140})
        rows = {r[0]: r for r in media(tshark, dest)}
        assert rows['0xa11ce001'][LEGS] == '198.51.100.20:50200 > 192.0.2.1:3478 / 192.0.2.15:49170 > 203.0.113.70:5004'
        assert rows['0xa11ce001'][DUPLICATES] == '0 / 1'
        assert rows['0xa11ce001'][PACKETS] == '23 / 24'
        assert rows['0xd00dfeed'][DUPLICATES] == '1 / 0'
        assert rows['0xb0b0b002'][DUPLICATES] == '0 / 0'
        # The other figures still equal Wireshark's.
        got, complete = media_legs(tshark, dest)
        assert complete and got == rtp_streams(tshark, dest)


RECEIVER_REPORT = re.compile(r'^by (0x[0-9a-f]{8}): fraction lost (\d+)/256 \([\d.]+%\), cumulative lost (-?\d+), '
                             r'jitter (?:([\d.]+) ms|(\d+) timestamp units)$')


def last_report_blocks(tshark, args):
    '''From tshark's RTCP fields, per SSRC reported about: the last report
    block about it, as (reporter, fraction lost, cumulative lost, jitter).'''
    last = {}
    for line in tshark(*args, '-Y', 'rtcp.ssrc.fraction', '-T', 'fields', '-E', 'occurrence=a', '-e',
                       'rtcp.senderssrc', '-e', 'rtcp.ssrc.identifier', '-e', 'rtcp.ssrc.fraction', '-e',
                       'rtcp.ssrc.cum_nr', '-e', 'rtcp.ssrc.jitter').splitlines():
        senders, identifiers, fractions, cumulative, jitters = line.split('\t')
        sender = senders.split(',')[0]
        about = [i for i in identifiers.split(',') if i != sender]
        for block in zip(about, fractions.split(','), cumulative.split(','), jitters.split(',')):
            # A block cut short by the snapshot length (4.6 shows its first
            # fields) is no report.
            if '' not in block:
                last[int(block[0], 16)] = (int(sender, 16), int(block[1]), int(block[2]), int(block[3]))
    return last


class TestReceiverReports:
    def test_edge(self, tshark, local_capture):
        # Each end's SR carries a report block about the other's stream:
        # jitter in timestamp units at 8000 Hz (PCMU, G.722).
        rows = media(tshark, local_capture(EDGE))
        assert [[r[0], r[-2]] for r in rows] == [
            ['0xb0b0b002', 'by 0xa11ce001: fraction lost 23/256 (9.0%), cumulative lost 1, jitter 1.250 ms'],
            ['0xa11ce001', 'by 0xb0b0b002: fraction lost 17/256 (6.6%), cumulative lost 1, jitter 4.125 ms'],
            ['0xd00dfeed', ''],
            ['0xc0ffee03', ''],
        ]

    @pytest.mark.parametrize('capture', every_capture(), ids=os.path.basename)
    def test_equal_rtcp_fields(self, tshark, capture):
        # The last report block about each stream, as tshark's RTCP fields
        # show it (decrypted SRTCP included where the keys are known).
        from suite_reports_trust import capture_args
        args = capture_args(capture)
        expected = last_report_blocks(tshark, args)
        rows = [r for r in media(tshark, capture, extra=args[4:]) if not r[0].startswith('(none')]
        got = {}
        for row in rows:
            m = RECEIVER_REPORT.match(row[-2])
            if m:
                # Shown in ms, the reported streams of these captures are
                # all at 8000 Hz (PCMU, PCMA, G.722).
                jitter = round(float(m.group(4)) * 8) if m.group(4) else int(m.group(5))
                got[int(row[0], 16)] = (int(m.group(1), 16), int(m.group(2)), int(m.group(3)), jitter)
            else:
                assert row[-2] == ''
        assert got == {ssrc: block for ssrc, block in expected.items() if ssrc in {int(r[0], 16) for r in rows}}
