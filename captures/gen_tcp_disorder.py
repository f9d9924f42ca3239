#!/usr/bin/env python3
# gen_tcp_disorder.py
# TCP captures made disorderly: every TCP data segment of a capture (Ethernet,
# IPv4 or IPv6) split in two at one of its first bytes, retransmitted,
# swapped with the next segment of its direction, or dropped, the way
# captures show TCP that a network or a capture point disturbed (RFC 9293
# 3.10.7: a receiver sees segments out of order, twice, or not at all).
# Each new segment keeps the sequence and acknowledgement numbers TCP would
# give it (the bytes' own position, the original ACK), the IP length and
# the IP and TCP checksums are recomputed; the ACK-only segments of the
# original stay, so Wireshark's sequence analysis stays linear.
#
#   python3 captures/gen_tcp_disorder.py IN OUT KIND [ARG]
#     KIND split N   every data segment longer than N split after N bytes
#          split-first N   only the first data segment of each direction
#          duplicate  every data segment followed by a copy of it
#          late-copy  every data segment sent again after the next one of its direction
#          reorder I  data segment I (0-based) swapped with the next one of its direction
#          drop I     data segment I (0-based) left out
#
# The test suite (test/suite_edges_tcp.py) imports variants() and writes the
# files it needs in a temporary folder.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import struct
import sys

from lib import pcap
from lib.net import csum

ETH_HDR = 14
ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD


def read_frames(path):
    '''[(seconds, microseconds, frame bytes)] of a pcap or pcapng file of Ethernet frames.'''
    frames = []
    for p in pcap.read_file(path):
        if p.linktype != pcap.LINKTYPE_ETHERNET:
            raise ValueError('link type %d, not Ethernet' % p.linktype)
        frames.append((p.sec, p.usec, p.data))
    return frames


def write_pcap(path, frames):
    with open(path, 'wb') as f:
        f.write(pcap.write((sec * 1000000 + usec, frame) for sec, usec, frame in frames))


class Segment:
    '''A TCP segment in an Ethernet frame: its flow, sequence number and payload.'''

    def __init__(self, frame):
        self.frame = frame
        ethertype = struct.unpack('!H', frame[12:14])[0]
        self.ipv6 = ethertype == ETHERTYPE_IPV6
        if ethertype == ETHERTYPE_IPV4 and frame[ETH_HDR + 9] == 6:
            ihl = (frame[ETH_HDR] & 0x0F) * 4
            total = struct.unpack('!H', frame[ETH_HDR + 2:ETH_HDR + 4])[0]
            self.l4 = ETH_HDR + ihl
            self.end = ETH_HDR + total
            self.src, self.dst = frame[ETH_HDR + 12:ETH_HDR + 16], frame[ETH_HDR + 16:ETH_HDR + 20]
        elif self.ipv6 and frame[ETH_HDR + 6] == 6:
            self.l4 = ETH_HDR + 40
            self.end = self.l4 + struct.unpack('!H', frame[ETH_HDR + 4:ETH_HDR + 6])[0]
            self.src, self.dst = frame[ETH_HDR + 8:ETH_HDR + 24], frame[ETH_HDR + 24:ETH_HDR + 40]
        else:
            self.l4 = None
            return
        sport, dport, self.seq = struct.unpack('!HHI', frame[self.l4:self.l4 + 8])
        self.flags = frame[self.l4 + 13]
        self.payload_at = self.l4 + (frame[self.l4 + 12] >> 4) * 4
        self.payload = frame[self.payload_at:self.end]
        self.direction = (self.src, sport, self.dst, dport)

    @property
    def is_data(self):
        return self.l4 is not None and len(self.payload) > 0 and not self.flags & 0x07

    def rebuilt(self, seq, payload, psh):
        '''The same segment with another sequence number and payload.'''
        f = bytearray(self.frame[:self.payload_at] + payload)
        struct.pack_into('!I', f, self.l4 + 4, seq)
        f[self.l4 + 13] = (self.flags & ~0x08) | (0x08 if psh else 0)
        seg_len = len(f) - self.l4
        if self.ipv6:
            struct.pack_into('!H', f, ETH_HDR + 4, seg_len)
        else:
            struct.pack_into('!HH', f, ETH_HDR + 2, self.l4 - ETH_HDR + seg_len, 0)
            struct.pack_into('!H', f, ETH_HDR + 10, 0)
            struct.pack_into('!H', f, ETH_HDR + 10, csum(bytes(f[ETH_HDR:self.l4])))
        struct.pack_into('!H', f, self.l4 + 16, 0)
        if self.ipv6:
            pseudo = self.src + self.dst + struct.pack('!IxxxB', seg_len, 6)
        else:
            pseudo = self.src + self.dst + struct.pack('!BBH', 0, 6, seg_len)
        struct.pack_into('!H', f, self.l4 + 16, csum(pseudo + bytes(f[self.l4:])))
        return bytes(f)


def _data_indices(segments):
    return [i for i, s in enumerate(segments) if s.is_data]


def _next_same_direction(segments, data, k):
    '''The position in data of the next data segment in data[k]'s direction, or None.'''
    for j in range(k + 1, len(data)):
        if segments[data[j]].direction == segments[data[k]].direction:
            return j
    return None


def split(frames, n, first_only=False):
    segments = [Segment(f) for _, _, f in frames]
    out, seen = [], set()
    for (sec, usec, frame), s in zip(frames, segments):
        if s.is_data and len(s.payload) > n and not (first_only and s.direction in seen):
            seen.add(s.direction)
            out.append((sec, usec, s.rebuilt(s.seq, s.payload[:n], False)))
            out.append((sec, usec, s.rebuilt((s.seq + n) & 0xFFFFFFFF, s.payload[n:], True)))
        else:
            if s.is_data:
                seen.add(s.direction)
            out.append((sec, usec, frame))
    return out


def duplicate(frames):
    out = []
    for sec, usec, frame in frames:
        out.append((sec, usec, frame))
        if Segment(frame).is_data:
            out.append((sec, usec, frame))
    return out


def late_copy(frames):
    '''Each data segment sent again right after the next data segment of its direction.'''
    segments = [Segment(f) for _, _, f in frames]
    data = _data_indices(segments)
    copies = {}
    for k, i in enumerate(data):
        j = _next_same_direction(segments, data, k)
        if j is not None:
            copies.setdefault(data[j], []).append(i)
    out = []
    for i, (sec, usec, frame) in enumerate(frames):
        out.append((sec, usec, frame))
        for c in copies.get(i, []):
            out.append((sec, usec, frames[c][2]))
    return out


def reorder(frames, k):
    '''Data segment k swapped with the next data segment of its direction; None if there is none.'''
    segments = [Segment(f) for _, _, f in frames]
    data = _data_indices(segments)
    j = _next_same_direction(segments, data, k)
    if j is None:
        return None
    a, b = data[k], data[j]
    out = list(frames)
    out[a] = frames[a][:2] + (frames[b][2],)
    out[b] = frames[b][:2] + (frames[a][2],)
    return out


def retransmit_frame(frames, number):
    '''Frame number (1-based) sent again right after itself.'''
    return frames[:number] + [frames[number - 1]] + frames[number:]


def drop_frame(frames, number):
    return frames[:number - 1] + frames[number:]


def drop(frames, k):
    data = _data_indices([Segment(f) for _, _, f in frames])
    return [f for i, f in enumerate(frames) if i != data[k]]


def data_segment_count(frames):
    return len(_data_indices([Segment(f) for _, _, f in frames]))


def variants(frames, split_bytes=range(1, 9)):
    '''(name, kind, frames) of every disorder of the sweep: splits at each of split_bytes,
    duplicates, late copies, and each data segment reordered and dropped.'''
    out = []
    for n in split_bytes:
        out.append(('split-%d' % n, 'split', split(frames, n)))
        out.append(('split-first-%d' % n, 'split', split(frames, n, first_only=True)))
    out.append(('duplicate', 'duplicate', duplicate(frames)))
    out.append(('late-copy', 'duplicate', late_copy(frames)))
    for k in range(data_segment_count(frames)):
        moved = reorder(frames, k)
        if moved is not None:
            out.append(('reorder-%d' % k, 'reorder', moved))
        out.append(('drop-%d' % k, 'drop', drop(frames, k)))
    return out


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__ if __doc__ else 'usage: gen_tcp_disorder.py IN OUT KIND [ARG]\n')
        return 2
    frames = read_frames(argv[1])
    kind = argv[3]
    arg = int(argv[4]) if len(argv) > 4 else None
    made = {
        'split': lambda: split(frames, arg),
        'split-first': lambda: split(frames, arg, first_only=True),
        'duplicate': lambda: duplicate(frames),
        'late-copy': lambda: late_copy(frames),
        'reorder': lambda: reorder(frames, arg),
        'drop': lambda: drop(frames, arg),
    }[kind]()
    if made is None:
        sys.stderr.write('no later data segment in that direction\n')
        return 1
    write_pcap(argv[2], made)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
