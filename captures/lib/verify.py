# SPDX-License-Identifier: GPL-2.0-or-later
"""An independent check of the files the capture scripts write: each file is read back from
its bytes (not from the objects that built it) and every message in it must be one that
was built (stun.REGISTRY), with a MESSAGE-INTEGRITY valid under exactly the key it was
built with and a FINGERPRINT that is standard, legacy or deliberately wrong as intended."""

import hmac
import ipaddress
import struct
import zlib

from .base import STEP_US, T0
from .net import csum
from .pcap import read as read_pcap
from .stun import ALL_KEYS, FP_XOR, MS_MAGIC, REGISTRY, crc32_legacy, crc32_std
from .tls import CLIENT_HELLO


def verify_stun(buf, ctx, found):
    """Verify one STUN-format message: length, walk, MI, FP, XOR; recurse into DATA."""
    assert len(buf) >= 20 and buf[0] & 0xC0 == 0, ctx
    mtype, ln = struct.unpack('!HH', buf[:4])
    assert 20 + ln == len(buf), ctx
    key = buf[4:20]
    msg = next((m for m in REGISTRY if m.raw == buf), None)
    assert msg is not None, 'unregistered message in ' + ctx
    found.add(id(msg))

    def walk(padded):
        pos, out = 20, []
        while pos < len(buf):
            if pos + 4 > len(buf):
                return None
            t, l = struct.unpack('!HH', buf[pos:pos + 4])
            if pos + 4 + l > len(buf):
                return None
            out.append((pos, t, buf[pos + 4:pos + 4 + l]))
            pos += 4 + l + ((-l % 4) if padded else 0)
        return out if pos == len(buf) else None
    attrs = walk(msg.padded)
    assert attrs is not None, ctx
    if msg.dialect == 'ms-turn':
        assert attrs[0][1] == 0x000F and attrs[0][2] == struct.pack('!I', MS_MAGIC), ctx
    exp = [(off, a) for off, a, _ in msg.layout]
    for pos, t, v in attrs:
        if t == 0x0008:
            pre = bytearray(buf[:pos])
            pre[2:4] = struct.pack('!H', pos + 4 + len(v) - 20)
            ok = [k for k in ALL_KEYS if k.size == len(v) and
                  hmac.compare_digest(hmac.new(k.key, bytes(pre), k.alg).digest(), v)]
            assert ok == [msg.mi], ctx
        elif t == 0x8028:
            pre = bytearray(buf[:pos])
            pre[2:4] = struct.pack('!H', pos + 8 - 20)
            val = struct.unpack('!I', v)[0]
            std = (zlib.crc32(bytes(pre)) & 0xFFFFFFFF) ^ FP_XOR
            leg = crc32_legacy(bytes(pre)) ^ FP_XOR
            status = 'std' if val == std else 'legacy' if val == leg else 'bad'
            assert status == msg.fp, ctx
        else:
            a = dict(exp)[pos]
            assert a.type == t, ctx
            if t in (0x0020, 0x8020, 0x8059, 0x805A, 0x805B, 0x805C):
                fam = v[1]
                n = 4 if fam == 1 else 16
                port = struct.unpack('!H', v[2:4])[0] ^ struct.unpack('!H', key[0:2])[0]
                ip = ipaddress.ip_address(bytes(x ^ y for x, y in zip(v[4:4 + n], key[:n])))
                assert (ip, port) == (ipaddress.ip_address(a.ip), a.port), ctx
            elif t in (0x0001, 0x0011, 0x0012, 0x000E, 0x8090):
                n = 4 if v[1] == 1 else 16
                assert (ipaddress.ip_address(v[4:4 + n]), struct.unpack('!H', v[2:4])[0]) == \
                       (ipaddress.ip_address(a.ip), a.port), ctx
            elif t == 0x0013:
                verify_payload(v, ctx + ' DATA', found, tcp=ctx.startswith('tcp'))
    return msg


def verify_media(p, ctx):
    assert p[0] >> 6 == 2, ctx
    if 192 <= p[1] <= 223:
        pos = 0
        while pos < len(p):
            assert p[pos] >> 6 == 2, ctx
            pos += (struct.unpack('!H', p[pos + 2:pos + 4])[0] + 1) * 4
        assert pos == len(p), ctx + ' RTCP length'


def verify_payload(p, ctx, found, tcp=False):
    if tcp:   # RFC 4571 framed
        assert struct.unpack('!H', p[:2])[0] == len(p) - 2, ctx
        p = p[2:]
    if p[:2] == b'\xff\x10':
        assert struct.unpack('!H', p[2:4])[0] == len(p) - 4, ctx
        return verify_payload(p[12:], ctx + ' MTURN', found)
    if p[0] & 0xC0 == 0:
        return verify_stun(p, ctx, found)
    verify_media(p, ctx)


def verify_snapped(data, full, snaplen):
    """A short-snaplen file: every record is the first snaplen bytes of the frame of the whole build."""
    short, whole = read_pcap(data, snaplen), read_pcap(full)
    assert len(short) == len(whole)
    for (ts, f, orig), (wts, wf, worig) in zip(short, whole):
        assert ts == wts and orig == worig == len(wf) and f == wf[:snaplen]


def verify_file(name, data, found, rfc5766_ports=(), lengthless_clients=()):
    """One file of Captures: timestamps, IPv4/UDP/TCP checksums, TCP sequence and ACK continuity, pseudo-TLS
    records, MS-TURN TCP framing (or RFC 5766 TURN over TCP on the server ports rfc5766_ports; libnice's
    lengthless frames from the client ports lengthless_clients), every message (verify_stun) and RTP/RTCP."""
    frames = read_pcap(data)
    streams = {}
    for i, ((ts, tu), f, _) in enumerate(frames):
        assert ts * 1000000 + tu == T0 * 1000000 + i * STEP_US
        ctx = '%s frame %d' % (name, i + 1)
        assert f[12:14] == b'\x08\x00', ctx
        ip = f[14:]
        assert ip[0] == 0x45 and csum(ip[:20]) == 0, ctx
        tot = struct.unpack('!H', ip[2:4])[0]
        assert tot == len(ip), ctx
        src, dst, proto = ip[12:16], ip[16:20], ip[9]
        seg = ip[20:]
        ph = src + dst + struct.pack('!BBH', 0, proto, len(seg))
        assert csum(ph + seg) == 0, ctx + ' L4 checksum'
        if proto == 17:
            assert struct.unpack('!H', seg[4:6])[0] == len(seg)
            verify_payload(seg[8:], 'udp ' + ctx, found)
        else:
            assert proto == 6
            sport, dport, seq, ack, off, flags = struct.unpack('!HHIIBB', seg[:14])
            payload = seg[(off >> 4) * 4:]
            k = (src, sport, dst, dport)
            st = streams.setdefault(k, {'next': None, 'buf': b'', 'pdus': [], 'first': True, 'inner': b''})
            if st['next'] is not None:
                assert seq == st['next'], ctx + ' seq continuity'
            st['next'] = (seq + len(payload) + (1 if flags & 3 else 0)) & 0xFFFFFFFF
            rk = (dst, dport, src, sport)
            if flags & 0x10 and rk in streams and streams[rk]['next'] is not None:
                assert ack == streams[rk]['next'], ctx + ' ack'
            st['buf'] += payload
            # pseudo-TLS at the start of a stream
            if st['first'] and st['buf'][:1] == b'\x16':
                if len(st['buf']) < 5:
                    continue
                need = 5 + struct.unpack('!H', st['buf'][3:5])[0]
                if len(st['buf']) >= need:
                    rec = st['buf'][:need]
                    assert rec in (CLIENT_HELLO,) or (len(rec) == 83 and rec.endswith(b'\x0e\x00\x00\x00')), ctx
                    st['buf'] = st['buf'][need:]
                    st['first'] = False
                else:
                    continue
            if payload:
                st['first'] = False
            if dport in rfc5766_ports or sport in rfc5766_ports:
                # RFC 5766 11.5: STUN messages and ChannelData (padded to 4) back to back.
                while len(st['buf']) >= 4:
                    first, l = struct.unpack('!HH', st['buf'][:4])
                    if 0x4000 <= first <= 0x7FFF:
                        need = 4 + l + (-l % 4)
                        if len(st['buf']) < need:
                            break
                        assert st['buf'][4 + l:need] == b'\0' * (-l % 4), ctx + ' ChannelData padding'
                        verify_media(st['buf'][4:4 + l], 'tcp ' + ctx)
                    else:
                        need = 20 + l
                        if len(st['buf']) < need:
                            break
                        verify_stun(st['buf'][:need], 'tcp ' + ctx, found)
                    st['buf'] = st['buf'][need:]
                continue
            while len(st['buf']) >= 4:
                t, r, l = struct.unpack('!BBH', st['buf'][:4])
                assert t in (2, 3) and r == 0, ctx
                hl = 4
                if sport in lengthless_clients:   # "03 00" + message, no Length (libnice 0.1.21)
                    assert t == 3, ctx
                    if len(st['buf']) < 6:
                        break
                    hl, l, t = 2, 20 + struct.unpack('!H', st['buf'][4:6])[0], 2
                if len(st['buf']) < hl + l:
                    break
                body, st['buf'] = st['buf'][hl:hl + l], st['buf'][hl + l:]
                if t == 2:
                    m = verify_stun(body, 'tcp ' + ctx, found)
                    assert m.dialect == 'ms-turn'
                else:
                    st['inner'] += body
                    while len(st['inner']) >= 2:
                        il = struct.unpack('!H', st['inner'][:2])[0]
                        if len(st['inner']) < 2 + il:
                            break
                        verify_media(st['inner'][2:2 + il], 'tcp ' + ctx)
                        st['inner'] = st['inner'][2 + il:]
    for st in streams.values():
        assert st['buf'] == b'' and st['inner'] == b'', name + ' leftover stream bytes'


def self_test():
    """RFC 5769 2.1 (the sample request's FINGERPRINT and MESSAGE-INTEGRITY) and the MS-TURN XOR-port
    example (reference section 7) with this module's CRC and HMAC."""
    v = bytes.fromhex('000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e'
                      '0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2'
                      'b5b2d3f249c1b571a280280004e57a3bcf')
    assert crc32_std(v[:-8]) ^ FP_XOR == 0xE57A3BCF
    assert hmac.new(b'VOkJxbRl1RmTxUk/WvJxBt', v[:-8][:2] + struct.pack('!H', 0x58 - 8) + v[4:-32], 'sha1') \
        .digest() == v[-28:-8]
    assert 0x1122 ^ 0x4455 == 0x5577


def verify_captures(files, whole, **framing):
    """files: name -> bytes as written; whole: name -> (every frame whole, snaplen) for the files
    cut short.  Asserts; returns the number of messages built (every one found in a file)."""
    found = set()
    for name, data in files.items():
        if name in whole:
            full, snaplen = whole[name]
            verify_snapped(data, full, snaplen)
            verify_file(name, full, found, **framing)
        else:
            verify_file(name, data, found, **framing)
    missing = [m for m in REGISTRY if id(m) not in found]
    assert not missing, 'messages built but not found in any file: %d' % len(missing)
    self_test()
    return len(REGISTRY)
