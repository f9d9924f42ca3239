# SPDX-License-Identifier: GPL-2.0-or-later
"""Classic libpcap files (magic a1b2c3d4, version 2.4) and reading pcapng's Enhanced Packet Blocks."""

import gzip
import struct

LINKTYPE_ETHERNET = 1


def file_header(snaplen=65535, linktype=LINKTYPE_ETHERNET):
    return struct.pack('<IHHiIII', 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)


def record(t_us, frame, snaplen=65535):
    """One packet record at t_us microseconds after the epoch, cut to snaplen bytes."""
    return struct.pack('<IIII', t_us // 1000000, t_us % 1000000, min(len(frame), snaplen), len(frame)) + \
        frame[:snaplen]


def write(records, snaplen=65535):
    """The bytes of a file of (t_us, frame) records."""
    return file_header(snaplen) + b''.join(record(t, f, snaplen) for t, f in records)


class Writer:
    """A file written as it goes (for captures too large to hold), with a note per frame
    that close() writes to a text file; a path ending in .gz is gzipped without name or time."""

    def __init__(self, path, t0_us, step_us=20000, notes=True, snaplen=262144):
        self.f = open(path, 'wb')
        if path.endswith('.gz'):
            self.raw, self.f = self.f, gzip.GzipFile(filename='', mode='wb', fileobj=self.f, mtime=0)
        self.f.write(file_header(snaplen))
        self.t0_us, self.step_us, self.snaplen = t0_us, step_us, snaplen
        self.n = 0
        self.notes = [] if notes else None

    def add(self, frame, note=None):
        self.f.write(record(self.t0_us + self.n * self.step_us, frame, self.snaplen))
        self.n += 1
        if self.notes is not None:
            self.notes.append('%d\t%s' % (self.n, note or '-'))

    def close(self, notes_path=None):
        self.f.close()
        if hasattr(self, 'raw'):
            self.raw.close()
        if notes_path:
            with open(notes_path, 'w') as f:
                f.write('frame\twhat it holds\n')
                f.write('\n'.join(self.notes) + '\n')


def read(data, snaplen=65535):
    """((seconds, microseconds), captured bytes, original length) of each record of a file this
    module writes (asserting its header: little-endian, Ethernet, the given snaplen)."""
    magic, vmaj, vmin, _, _, snap, link = struct.unpack('<IHHiIII', data[:24])
    assert (magic, vmaj, vmin, snap, link) == (0xA1B2C3D4, 2, 4, snaplen, LINKTYPE_ETHERNET)
    pos, out = 24, []
    while pos < len(data):
        ts, tu, incl, orig = struct.unpack('<IIII', data[pos:pos + 16])
        assert incl == min(orig, snaplen)
        out.append(((ts, tu), data[pos + 16:pos + 16 + incl], orig))
        pos += 16 + incl
    return out


def read_any(path):
    """Yields (linktype, packet bytes) of any classic pcap file (either byte order; randpkt output)."""
    with open(path, 'rb') as f:
        head = f.read(24)
        magic = struct.unpack('<I', head[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = '<'
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            endian = '>'
        else:
            raise SystemExit('%s: not a classic pcap file' % path)
        linktype = struct.unpack(endian + 'I', head[20:24])[0]
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl = struct.unpack(endian + 'IIII', rec)[2]
            yield linktype, f.read(incl)


def pcapng_packets(path):
    '''(timestamp in microseconds, frame bytes) of each Enhanced Packet Block
    (one interface, little-endian, as dumpcap writes them).'''
    with open(path, 'rb') as f:
        data = f.read()
    units_per_second = 1000000
    offset = 0
    while offset + 12 <= len(data):
        block_type, block_len = struct.unpack_from('<II', data, offset)
        if block_type == 1:
            # Interface Description Block options: if_tsresol (9) is a power of 10.
            opt = offset + 16
            while opt + 4 <= offset + block_len - 4:
                code, length = struct.unpack_from('<HH', data, opt)
                if code == 0:
                    break
                if code == 9 and data[opt + 4] < 0x80:
                    units_per_second = 10 ** data[opt + 4]
                opt += 4 + (length + 3) // 4 * 4
        elif block_type == 6:
            ts_high, ts_low, cap_len = struct.unpack_from('<III', data, offset + 12)
            ts = ((ts_high << 32) | ts_low) * 1000000 // units_per_second
            yield ts, data[offset + 28:offset + 28 + cap_len]
        offset += block_len

