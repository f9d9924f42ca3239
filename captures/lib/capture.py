# SPDX-License-Identifier: GPL-2.0-or-later
"""A capture being built: its frames, each with a summary and the notes of what it holds
(printed by the generators' --describe), and the UDP and TCP flows that add frames."""

from . import pcap
from .base import STEP_US, T0, fmt_addr
from .net import ACK, PROTO_TCP, SYN, MSS_1460, ethernet, flag_str, ipv4, tcp_segment, udp_frame


class Capture:
    def __init__(self, name, title):
        self.name, self.title = name, title
        self.frames = []   # (frame bytes, summary, detail lines)
        self.snaplen = 65535

    def time_us(self, idx=None):
        idx = len(self.frames) if idx is None else idx
        return T0 * 1000000 + idx * STEP_US

    def add(self, frame, summary, lines):
        self.frames.append((frame, summary, lines))

    def pcap(self, snaplen=None):
        """The file as written; snaplen=None: this capture's own snaplen (65535: every frame whole)."""
        snap = self.snaplen if snaplen is None else snaplen
        return pcap.write(((self.time_us(i), f) for i, (f, _, _) in enumerate(self.frames)), snap)


class Blob:
    """Something a flow can carry: raw bytes and description lines."""

    def __init__(self, raw, lines):
        self.raw, self.lines = raw, lines

    def describe(self):
        return list(self.lines)


class PacedCapture(Capture):
    """A capture whose media frames carry their own times (at()); every
    other frame follows the previous one by STEP_US."""

    def __init__(self, name, title):
        super().__init__(name, title)
        self.times = []
        self.next_us = None

    def at(self, t_us):
        self.next_us = t_us

    def time_us(self, idx=None):
        if idx is not None and idx < len(self.times):
            return self.times[idx]
        if self.next_us is not None:
            return self.next_us
        return self.times[-1] + STEP_US if self.times else T0 * 1000000

    def add(self, frame, summary, lines):
        self.times.append(self.time_us())
        self.next_us = None
        super().add(frame, summary, lines)


class Sink:
    """Stands in for a Capture in generators that write as they go: collects the frames of one
    tick (add() as Capture's), then write_tick() writes them spread evenly over the tick."""

    def __init__(self):
        self.frames = []

    def add(self, frame, summary=None, lines=None):
        self.frames.append(frame)

    def write_tick(self, f, base_us, tick_us, limit):
        """Writes at most limit of the frames, drops the rest; returns how many it wrote."""
        todo = self.frames[:limit]
        self.frames.clear()
        step = tick_us // (len(todo) + 1)
        f.write(b''.join(pcap.record(base_us + k * step, fr) for k, fr in enumerate(todo)))
        return len(todo)


def describe(caps, preamble=()):
    """Markdown: the preamble lines, then per capture its title, overview (if any), a table of
    the frames' summaries and every frame's notes."""
    L = list(preamble)
    for cap in caps:
        L += ['## %s' % cap.name, '', cap.title + '. %d frames.' % len(cap.frames), '']
        if getattr(cap, 'overview', None):
            L += cap.overview + ['', '### Frames', '']
        L += ['| Frame | Summary |', '|---|---|']
        L += ['| %d | %s |' % (i + 1, s.replace('|', '/')) for i, (_, s, _) in enumerate(cap.frames)]
        L.append('')
        for i, (_, s, lines) in enumerate(cap.frames):
            L += ['### %s frame %d - %s' % (cap.name, i + 1, s), '', '```'] + list(lines) + ['```', '']
    return '\n'.join(L) + '\n'


class UdpFlow:
    def __init__(self, cap, a, aport, amac, b, bport, bmac):
        self.cap = cap
        self.ends = {'A': (a, aport, amac), 'B': (b, bport, bmac)}

    def send(self, frm, obj, summary):
        src, sport, smac = self.ends[frm]
        dst, dport, dmac = self.ends['B' if frm == 'A' else 'A']
        f = udp_frame(src, sport, dst, dport, obj.raw, smac, dmac)
        head = '%s -> %s, UDP, payload %d bytes' % (fmt_addr(src.ip, sport), fmt_addr(dst.ip, dport),
                                                     len(obj.raw))
        self.cap.add(f, summary, [head] + obj.describe())


def udp_exchange(name, title, client, client_port, server, frames):
    """The pcap file's bytes of UDP datagrams between Host client:client_port and Host server:
    frames are (from the client, the server's port, payload), without summaries or notes."""
    cap = Capture(name, title)
    for from_client, server_port, payload in frames:
        ends = [(client, client_port), (server, server_port)]
        (src, sport), (dst, dport) = ends if from_client else ends[::-1]
        cap.add(udp_frame(src, sport, dst, dport, payload, src.mac, dst.mac), '', [])
    return cap.pcap()


class TcpFlow:
    """RFC 793 segments with correct seq/ack; ack = everything the peer has sent."""

    def __init__(self, cap, a, aport, amac, b, bport, bmac, isn_a, isn_b, win_a, win_b):
        self.cap = cap
        self.ends = {'A': (a, aport, amac, win_a), 'B': (b, bport, bmac, win_b)}
        self.nxt = {'A': isn_a, 'B': isn_b}
        self.isn = {'A': isn_a, 'B': isn_b}
        self.synced = {'A': False, 'B': False}

    def start_midstream(self, sent_a, sent_b):
        """The capture starts after A and B sent sent_a and sent_b bytes; relative numbers as
        Wireshark shows them mid-stream (base = the first sequence number seen - 1)."""
        self.nxt['A'] = (self.nxt['A'] + sent_a) & 0xFFFFFFFF
        self.nxt['B'] = (self.nxt['B'] + sent_b) & 0xFFFFFFFF
        self.isn = {k: (v - 1) & 0xFFFFFFFF for k, v in self.nxt.items()}

    def handshake(self):
        """SYN from A, SYN-ACK, ACK (RFC 793 3.4)."""
        self.seg('A', SYN, summary='TCP SYN')
        self.seg('B', SYN | ACK, summary='TCP SYN, ACK')
        self.seg('A', ACK, summary='TCP ACK')

    def seg(self, frm, flags, payload=b'', summary='', lines=()):
        other = 'B' if frm == 'A' else 'A'
        src, sport, smac, win = self.ends[frm]
        dst, dport, dmac, _ = self.ends[other]
        seq = self.nxt[frm]
        ack = self.nxt[other] if flags & ACK else 0
        opts = MSS_1460 if flags & SYN else b''
        seg = tcp_segment(src.packed, sport, dst.packed, dport, seq, ack, flags, win, payload, opts)
        f = ethernet(dmac, smac, ipv4(src, dst, PROTO_TCP, seg, True))
        self.nxt[frm] = (seq + len(payload) + (1 if flags & 0x03 else 0)) & 0xFFFFFFFF
        rel = (seq - self.isn[frm]) & 0xFFFFFFFF
        rack = (ack - self.isn[other]) & 0xFFFFFFFF if flags & ACK else 0
        head = ('%s -> %s, TCP [%s] seq=%d (relative %d) ack=%d (relative %d) win=%d, payload %d bytes%s'
                % (fmt_addr(src.ip, sport), fmt_addr(dst.ip, dport), flag_str(flags), seq, rel, ack, rack,
                   win, len(payload), ', MSS option 1460' if opts else ''))
        self.cap.add(f, summary or ('TCP ' + flag_str(flags)), [head] + list(lines))
