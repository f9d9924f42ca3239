# SPDX-License-Identifier: GPL-2.0-or-later
"""Media for RTP: G.711 and G.722 (libspandsp) tones, streams of them, and streams of any
payload type with deterministic payloads."""

import ctypes
import math

from .base import H
from .rtp import packet, receiver_report, report_block, sdes_cname, sender_report


def ulaw(sample):
    """ITU-T G.711 mu-law of a 16-bit linear sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    sample = min(abs(sample), clip) + bias
    exponent = 7
    for e in range(7, -1, -1):
        if sample & (0x4000 >> (7 - e)):
            exponent = e
            break
    mantissa = (sample >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def alaw(sample):
    """ITU-T G.711 A-law of a 16-bit linear sample."""
    sign = 0x80 if sample >= 0 else 0
    sample = min(abs(sample), 32767) >> 3
    if sample < 32:
        code = sample >> 1
    else:
        exponent = sample.bit_length() - 5
        code = (exponent << 4) | ((sample >> exponent) & 0x0F)
    return (sign | code) ^ 0x55


def tone(freq, n0, count, law):
    enc = ulaw if law == 'u' else alaw
    return bytes(enc(int(12000 * math.sin(2 * math.pi * freq * (n0 + i) / 8000))) for i in range(count))


class Stream:
    """G.711 tone RTP of one SSRC (160 samples per 20 ms packet), with the plaintext facts of each
    packet (info) for the expectations file; rtcp(): SR or RR about another stream, SDES CNAME."""

    def __init__(self, name, ssrc, pt, seq, ts, freq, law, cname):
        self.name, self.ssrc, self.pt, self.seq, self.ts = name, ssrc, pt, seq, ts
        self.freq, self.law, self.cname = freq, law, cname
        self.samples = self.packets = self.octets = 0

    def payload(self):
        """The next 20 ms (160 samples) of the tone."""
        return tone(self.freq, self.samples, 160, self.law)

    def rtp(self, marker=False):
        payload = self.payload()
        hdr = packet(self.pt, self.seq, self.ts, self.ssrc, b'', marker)
        info = {'kind': 'rtp', 'ssrc': '0x%08x' % self.ssrc, 'seq': self.seq, 'timestamp': self.ts,
                'pt': self.pt, 'payload': payload.hex()}
        self.seq = (self.seq + 1) & 0xFFFF
        self.ts = (self.ts + 160) & 0xFFFFFFFF
        self.samples += 160
        self.packets += 1
        self.octets += len(payload)
        return hdr + payload, info

    def rtcp(self, kind, about, t_us):
        """SR or RR with one report block about `about`, then SDES CNAME."""
        rb = report_block(about.ssrc, (about.seq - 1) & 0xFFFF, 7)
        if kind == 'SR':
            first, sec, frac = sender_report(self.ssrc, t_us, self.ts, self.packets, self.octets, rb)
        else:
            first = receiver_report(self.ssrc, rb)
        sdes = sdes_cname(self.ssrc, self.cname)
        info = {'kind': 'rtcp', 'type': kind, 'ssrc': '0x%08x' % self.ssrc,
                'packet_count': self.packets, 'octet_count': self.octets,
                'report_ssrc': '0x%08x' % about.ssrc, 'highest_seq': (about.seq - 1) & 0xFFFF,
                'jitter': 7, 'cname': self.cname.decode(), 'plaintext': (first + sdes).hex()}
        if kind == 'SR':
            info.update(ntp_msw=sec, ntp_lsw=frac, rtp_timestamp=self.ts)
        return first + sdes, info


class G722Encoder:
    """ITU-T G.722 at 64 kbit/s by libspandsp (Debian libspandsp2,
    g722_encode_init / g722_encode), one encoder state per stream."""

    LIB = None

    def __init__(self):
        if G722Encoder.LIB is None:
            G722Encoder.LIB = ctypes.CDLL('libspandsp.so.2')
            G722Encoder.LIB.g722_encode_init.restype = ctypes.c_void_p
            G722Encoder.LIB.g722_encode_init.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
            G722Encoder.LIB.g722_encode.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                                    ctypes.POINTER(ctypes.c_int16), ctypes.c_int]
        self.state = G722Encoder.LIB.g722_encode_init(None, 64000, 0)
        assert self.state

    def encode(self, samples):
        amp = (ctypes.c_int16 * len(samples))(*samples)
        out = ctypes.create_string_buffer(len(samples))
        n = G722Encoder.LIB.g722_encode(self.state, out, amp, len(samples))
        assert n == len(samples) // 2
        return out.raw[:n]


class G722Stream(Stream):
    """A tone in G.722 (PT 9): 320 samples at 16 kHz per 20 ms packet, RTP
    timestamps at 8000 Hz (RFC 3551 4.5.2: 160 per packet)."""

    def __init__(self, name, ssrc, seq, ts, freq, cname):
        super().__init__(name, ssrc, 9, seq, ts, freq, None, cname)
        self.encoder = G722Encoder()

    def payload(self):
        n0 = 2 * self.samples
        return self.encoder.encode([int(12000 * math.sin(2 * math.pi * self.freq * (n0 + i) / 16000))
                                    for i in range(320)])

    def rtp(self, marker=False):
        plain, info = super().rtp(marker)
        return plain, dict(info, tone_hz=self.freq)


class CodecStream:
    """RTP of one SSRC with any payload type: deterministic payload bytes
    (SHA-256 of a label) or the payload given, ts_step clock ticks per
    packet."""

    def __init__(self, name, ssrc, seq, ts):
        self.name, self.ssrc, self.seq, self.ts = name, ssrc, seq, ts
        self.packets = self.octets = 0

    def rtp(self, pt, ts_step, length=None, payload=None, marker=False):
        if payload is None:
            payload = H('srtp-payload:%s:%d' % (self.name, self.packets), length)
        hdr = packet(pt, self.seq, self.ts, self.ssrc, b'', marker)
        info = {'kind': 'rtp', 'ssrc': '0x%08x' % self.ssrc, 'seq': self.seq, 'timestamp': self.ts,
                'pt': pt, 'payload': payload.hex()}
        self.seq = (self.seq + 1) & 0xFFFF
        self.ts = (self.ts + ts_step) & 0xFFFFFFFF
        self.packets += 1
        self.octets += len(payload)
        return hdr + payload, info
