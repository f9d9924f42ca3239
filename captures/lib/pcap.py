# SPDX-License-Identifier: GPL-2.0-or-later
"""Classic libpcap files (magic a1b2c3d4, version 2.4) written; pcap and pcapng files read (packets())."""

import collections
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


# One record read from a file.
Packet = collections.namedtuple('Packet', 'linktype sec usec data orig_len')


PCAP_MAGICS = {  # the first four bytes of a classic pcap file: (byte order, fraction in nanoseconds)
    b'\xd4\xc3\xb2\xa1': ('<', False), b'\x4d\x3c\xb2\xa1': ('<', True),
    b'\xa1\xb2\xc3\xd4': ('>', False), b'\xa1\xb2\x3c\x4d': ('>', True),
}
PCAPNG_SHB = b'\x0a\x0d\x0d\x0a'


def packets(data):
    """Every Packet of a classic pcap (either byte order, micro- or nanosecond) or pcapng file's
    bytes (Enhanced Packet Blocks of any interface, either byte order, if_tsresol applied):
    the one reader of the generators and the tests."""
    if data[:4] in PCAP_MAGICS:
        return list(_pcap_packets(data))
    if data[:4] == PCAPNG_SHB:
        return list(_pcapng_packets(data))
    raise ValueError('not a pcap or pcapng file')


def read_file(path):
    """packets() of the file at path."""
    with open(path, 'rb') as f:
        data = f.read()
    try:
        return packets(data)
    except ValueError as e:
        raise ValueError('%s: %s' % (path, e)) from None


def _pcap_packets(data):
    endian, nano = PCAP_MAGICS[data[:4]]
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + 'IIII', data[off:off + 16])
        yield Packet(linktype, sec, frac // 1000 if nano else frac, data[off + 16:off + 16 + incl], orig)
        off += 16 + incl


def _pcapng_packets(data):
    off, endian, interfaces = 0, '<', []   # interfaces: (linktype, units per second) by interface id
    while off + 12 <= len(data):
        if data[off:off + 4] == PCAPNG_SHB:
            endian = '<' if data[off + 8:off + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            interfaces = []
        btype, blen = struct.unpack(endian + 'II', data[off:off + 8])
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            interfaces.append((struct.unpack(endian + 'H', body[:2])[0], _if_tsresol(body[8:], endian)))
        elif btype == 6:
            iface, high, low, incl, orig = struct.unpack(endian + 'IIIII', body[:20])
            linktype, units = interfaces[iface]
            ts = (high << 32 | low) * 1000000 // units
            yield Packet(linktype, ts // 1000000, ts % 1000000, body[20:20 + incl], orig)
        off += blen


def _if_tsresol(options, endian):
    """Units per second of an Interface Description Block's if_tsresol option (default 10^6)."""
    off = 0
    while off + 4 <= len(options):
        code, length = struct.unpack(endian + 'HH', options[off:off + 4])
        if code == 0:
            break
        if code == 9:
            v = options[off + 4]
            return 2 ** (v & 0x7F) if v & 0x80 else 10 ** v
        off += 4 + ((length + 3) & ~3)
    return 1000000


def read(data, snaplen=65535):
    """((seconds, microseconds), captured bytes, original length) of each record of a file this
    module writes (asserting its header: little-endian, Ethernet, the given snaplen)."""
    magic, vmaj, vmin, _, _, snap, link = struct.unpack('<IHHiIII', data[:24])
    assert (magic, vmaj, vmin, snap, link) == (0xA1B2C3D4, 2, 4, snaplen, LINKTYPE_ETHERNET)
    out = []
    for p in packets(data):
        assert len(p.data) == min(p.orig_len, snaplen)
        out.append(((p.sec, p.usec), p.data, p.orig_len))
    return out


def read_any(path):
    """Yields (linktype, packet bytes) of any pcap or pcapng file (randpkt output)."""
    for p in read_file(path):
        yield p.linktype, p.data


def pcapng_packets(path):
    """(timestamp in microseconds, frame bytes) of each packet of a file (dumpcap's pcapng)."""
    for p in read_file(path):
        yield p.sec * 1000000 + p.usec, p.data
