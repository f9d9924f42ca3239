# SPDX-License-Identifier: GPL-2.0-or-later
"""RTP and RTCP (RFC 3550); the profile-specific extensions of [MS-RTP] 2.2.11 in an SR or RR."""

import struct

from .base import H, NTP_OFFSET

PT_NAMES = {0: 'PCMU', 8: 'PCMA', 104: 'SILK WB (dynamic, 16 kHz)'}


def packet(pt, seq, ts, ssrc, payload, marker=False):
    """An RTP packet: V=2, no padding, extension or CSRC."""
    return struct.pack('!BBHII', 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + payload


class RtpStream:
    def __init__(self, name, ssrc, pt, seq, ts, step, plen, cname):
        self.name, self.ssrc, self.pt, self.seq, self.ts = name, ssrc, pt, seq, ts
        self.step, self.plen, self.cname = step, plen, cname
        self.packets = self.octets = 0
        self.last_sr_ntp = None
        self.last_sr_time = None

    def next(self, marker=False):
        p = Rtp(self, self.seq, self.ts, marker, H('rtp:%s:%d' % (self.name, self.seq), self.plen))
        self.seq = (self.seq + 1) & 0xFFFF
        self.ts = (self.ts + self.step) & 0xFFFFFFFF
        self.packets += 1
        self.octets += self.plen
        return p


class Rtp:
    def __init__(self, st, seq, ts, marker, payload):
        self.st, self.seq, self.ts, self.marker = st, seq, ts, marker
        self.raw = packet(st.pt, seq, ts, st.ssrc, payload, marker)
        self.kind = 'RTP'

    def describe(self):
        return ['RTP: V=2 P=0 X=0 CC=0 M=%d PT=%d (%s) seq=%d timestamp=%d SSRC=0x%08x, payload %d bytes '
                '(RTP packet %d bytes)' % (int(self.marker), self.st.pt, PT_NAMES[self.st.pt], self.seq,
                                           self.ts, self.st.ssrc, len(self.raw) - 12, len(self.raw))]


class RtpMixed:
    """RTP from a mixer (RFC 3550 5.1): CC contributing sources, and a header extension (X=1, 5.3.1)."""

    def __init__(self, st, csrcs, profile, ext):
        assert len(ext) % 4 == 0
        self.st, self.seq, self.ts, self.csrcs = st, st.seq, st.ts, csrcs
        self.profile, self.ext = profile, ext
        payload = H('rtp:%s:%d' % (st.name, st.seq), st.plen)
        self.raw = (struct.pack('!BBHII', 0x90 | len(csrcs), st.pt, st.seq, st.ts, st.ssrc) +
                    b''.join(struct.pack('!I', c) for c in csrcs) +
                    struct.pack('!HH', profile, len(ext) // 4) + ext + payload)
        st.next()
        self.kind = 'RTP'

    def describe(self):
        return ['RTP: V=2 P=0 X=1 CC=%d M=0 PT=%d (%s) seq=%d timestamp=%d SSRC=0x%08x, CSRC %s, header extension '
                'profile 0x%04x length %d word(s) = %s, payload %d bytes (RTP packet %d bytes, header %d)'
                % (len(self.csrcs), self.st.pt, PT_NAMES[self.st.pt], self.seq, self.ts, self.st.ssrc,
                   ', '.join('0x%08x' % c for c in self.csrcs), self.profile, len(self.ext) // 4, self.ext.hex(),
                   self.st.plen, len(self.raw), len(self.raw) - self.st.plen)]


def ntp64(t_us):
    sec = t_us // 1000000 + NTP_OFFSET
    frac = ((t_us % 1000000) << 32) // 1000000
    return sec, frac


def report_block(ssrc, ext_seq, jitter, lsr=0, dlsr=0, fraction=0, lost=0):
    """RFC 3550 6.4.1 report block (24 bytes)."""
    return struct.pack('!IB3sIIII', ssrc, fraction, lost.to_bytes(3, 'big'), ext_seq, jitter, lsr, dlsr)


def rtcp_header(pt, count, body):
    """V=2, P=0, the count (RC or SC), PT, length in 32-bit words minus one; then body."""
    return struct.pack('!BBH', 0x80 | count, pt, (4 + len(body)) // 4 - 1) + body


def sender_report(ssrc, t_us, rtp_ts, packets, octets, block):
    """SR (PT 200) with one report block; returns it and its NTP timestamp (seconds, fraction)."""
    sec, frac = ntp64(t_us)
    return rtcp_header(200, 1, struct.pack('!IIIIII', ssrc, sec, frac, rtp_ts, packets, octets) + block), sec, frac


def receiver_report(ssrc, block):
    """RR (PT 201) with one report block."""
    return rtcp_header(201, 1, struct.pack('!I', ssrc) + block)


def sdes_cname(ssrc, cname):
    """SDES (PT 202), one chunk: CNAME, the END item, padding to 32 bits (RFC 3550 6.5)."""
    chunk = struct.pack('!IBB', ssrc, 1, len(cname)) + cname + b'\0'
    return rtcp_header(202, 1, chunk + b'\0' * (-len(chunk) % 4))


class Rtcp:
    """Compound RTCP: SR or RR (one report block about `about`) + SDES CNAME."""

    def __init__(self, kind, st, about, t_us):
        self.kind = 'RTCP'
        self.parts = []
        # report block about the other stream (RFC 3550 6.4.1)
        if about.last_sr_ntp is not None:
            lsr = ((about.last_sr_ntp[0] & 0xFFFF) << 16) | (about.last_sr_ntp[1] >> 16)
            dlsr = ((t_us - about.last_sr_time) * 65536) // 1000000
        else:
            lsr = dlsr = 0
        ext_seq = (about.seq - 1) & 0xFFFF
        jitter = 12
        rb = report_block(about.ssrc, ext_seq, jitter, lsr, dlsr)
        self.rb = (about.ssrc, ext_seq, jitter, lsr, dlsr)
        if kind == 'SR':
            first, sec, frac = sender_report(st.ssrc, t_us, st.ts, st.packets, st.octets, rb)
            st.last_sr_ntp, st.last_sr_time = (sec, frac), t_us
            self.sr = (sec, frac, st.ts, st.packets, st.octets)
        else:
            first = receiver_report(st.ssrc, rb)
        self.first = (kind, first[1], len(first) // 4 - 1, len(first), st.ssrc)
        sdes = sdes_cname(st.ssrc, st.cname)
        self.sdes = (len(sdes) // 4 - 1, len(sdes), st.cname)
        self.raw = first + sdes

    def describe(self):
        kind, pt, length, nbytes, ssrc = self.first
        L = ['RTCP compound packet (%d bytes):' % len(self.raw)]
        if kind == 'SR':
            sec, frac, rtp_ts, pc, oc = self.sr
            L.append('  SR: V=2 P=0 RC=1 PT=200 length=%d (%d bytes) SSRC=0x%08x NTP=0x%08x.%08x '
                     'RTP timestamp=%d sender packet count=%d sender octet count=%d'
                     % (length, nbytes, ssrc, sec, frac, rtp_ts, pc, oc))
        else:
            L.append('  RR: V=2 P=0 RC=1 PT=201 length=%d (%d bytes) SSRC=0x%08x' % (length, nbytes, ssrc))
        s, ext, jit, lsr, dlsr = self.rb
        L.append('    report block: SSRC=0x%08x fraction lost=0 cumulative lost=0 extended highest seq=%d '
                 'jitter=%d LSR=0x%08x DLSR=%d' % (s, ext, jit, lsr, dlsr))
        slen, sbytes, cname = self.sdes
        L.append('  SDES: V=2 P=0 SC=1 PT=202 length=%d (%d bytes) SSRC=0x%08x CNAME="%s"'
                 % (slen, sbytes, ssrc, cname.decode()))
        return L


# [MS-RTP] 2.2.11: each profile-specific extension is Type (2 bytes),
# Length (2 bytes, in bytes, this header included), then its info; they
# follow the report blocks of an SR or RR (RFC 3550 6.4.1 "profile-specific
# extensions"), inside its length.
def pse_policy_server_bw(bw):          # 2.2.11.5: Reserved (4), Policy Server Bandwidth (4)
    return struct.pack('!HHII', 0x0007, 12, 0, bw)


def pse_turn_server_bw(bw):            # 2.2.11.6: Reserved (4), TURN Server Bandwidth (4)
    return struct.pack('!HHII', 0x0008, 12, 0, bw)


def pse_audio_healer(ssrc, concealed, stretched, compressed, total, rqs, fec):
    # 2.2.11.7: SSRC, Concealed, Stretched, Compressed and Total Frames (4
    # each), Reserved (2), Receive Quality State (1), FEC distance Request (1)
    return struct.pack('!HHIIIIIHBB', 0x0009, 28, ssrc, concealed, stretched, compressed, total, 0, rqs, fec)


def pse_receiver_bw_limit(bw):         # 2.2.11.8: Reserved (4), Receiver-side Bandwidth Limit (4)
    return struct.pack('!HHII', 0x000A, 12, 0, bw)


def pse_peer_info(ssrc, inbound, outbound, no_cache):
    # 2.2.11.10: SSRC, Inbound and Outbound Link Bandwidth (4 each), NC (1
    # bit), Reserve1 (7 bits), Reserve2 (1), Reserve3 (2)
    return struct.pack('!HHIIIBBH', 0x000C, 20, ssrc, inbound, outbound, 0x80 if no_cache else 0, 0, 0)


def pse_congestion(t_us, info):
    # 2.2.11.11: NTP Timestamp Integer and Fraction (4 each), Congestion
    # Info (1, bit 0 uncongested by delay .. bit 3 congested by loss),
    # Reserved (3)
    sec, frac = ntp64(t_us)
    return struct.pack('!HHIIB3s', 0x000D, 16, sec, frac, info, bytes(3)), sec, frac


def pse_modality_send_bw(modality, bw):
    # 2.2.11.12: Modality (1; 2 = video), Reserve1 (1), Reserve2 (2), Send Bandwidth Limit (4)
    return struct.pack('!HHBBHI', 0x000E, 12, modality, 0, 0, bw)


def ms_report(st, kind, about, t_us, extensions, ext_info):
    """An SR or RR as Stream.rtcp() builds it, with the [MS-RTP]
    extensions after its report block (its length grows by theirs), then
    SDES CNAME."""
    plain, info = st.rtcp(kind, about, t_us)
    ext = b''.join(extensions)
    words = struct.unpack('!H', plain[2:4])[0] + 1
    first = plain[:2] + struct.pack('!H', words + len(ext) // 4 - 1) + plain[4:4 * words] + ext
    plain = first + plain[4 * words:]
    info = dict(info, plaintext=plain.hex(), ms_extensions=ext_info)
    return plain, info
