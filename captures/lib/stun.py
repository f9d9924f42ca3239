# SPDX-License-Identifier: GPL-2.0-or-later
"""STUN, TURN, MS-TURN and MS-ICE2 messages (every dialect the generators use) with
MESSAGE-INTEGRITY and FINGERPRINT, the carriers that nest them (DATA, ChannelData,
0xFF10, RFC 4571, MS-TURN TCP framing) and the credentials the captures share."""

import hashlib
import hmac
import ipaddress
import struct
import zlib

from .base import H, fmt_addr

COOKIE = 0x2112A442
MS_MAGIC = 0x72C64BC6
FP_XOR = 0x5354554E

# credentials (MS-TURN long-term, MS-ICE2 short-term)
TURN_USER = b'msstun-user'
TURN_PASS = b'msstun-pass'
REALM = b'SIP Communications Service'
TURN_KEY = hashlib.md5(TURN_USER + b':' + REALM + b':' + TURN_PASS).digest()
CLIENT_UFRAG, CLIENT_PWD = b'Ab3d', b'clientIcePasswordMsstun1'
PEER_UFRAG, PEER_PWD = b'pQ7z', b'peerIcePasswordMsstun01'

def attr(atype, value, padded):
    """One attribute's bytes: type, length, value, zero padding to 4 bytes if padded (RFC 5389 15)."""
    raw = struct.pack('!HH', atype, len(value)) + value
    return raw + b'\0' * (-len(value) % 4) if padded else raw


def message(mtype, tid, body):
    """A message's bytes: type, length of body, transaction ID (16 bytes, with or without the cookie), body."""
    return struct.pack('!HH', mtype, len(body)) + tid + body


def rfc4571(payload):
    """RFC 4571 framing: a 16-bit length, then the packet."""
    return struct.pack('!H', len(payload)) + payload


def channel_data(channel, data, pad):
    """RFC 5766 11.4 ChannelData; pad: to a multiple of 4 as over TCP (11.5), not counted in Length."""
    raw = struct.pack('!HH', channel, len(data)) + data
    return raw + b'\0' * (-len(data) % 4) if pad else raw


def mturn(session_id, data):
    """Multiplexed TURN 0xFF10 (MS-TURN 2.2.3): Length counts the 8-byte session id and the data."""
    return struct.pack('!HH', 0xFF10, 8 + len(data)) + session_id + data


def msturn_tcp_frame(ftype, payload):
    """MS-TURN TCP framing (MS-TURN 2.1.4): Type (0x02 control, 0x03 end-to-end data), Reserved 0, Length."""
    return struct.pack('!BBH', ftype, 0, len(payload)) + payload


def cookie_tid(label):
    return struct.pack('!I', COOKIE) + H('tid:' + label, 12)


def plain_tid(label):
    t = H('tid16:' + label, 16)
    assert t[:4] != struct.pack('!I', COOKIE)
    return t


# ----------------------------------------------------------------------------


# CRC-32 (table driven) and the legacy MS variant (ref 3.4)

def _crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        t.append(c)
    return t


CRC_TABLE = _crc_table()
LEGACY_TABLE = list(CRC_TABLE)
assert LEGACY_TABLE.count(0x8BBEB8EA) == 1
LEGACY_TABLE[LEGACY_TABLE.index(0x8BBEB8EA)] = 0x08BBE8EA


def crc32_table(data, table):
    c = 0xFFFFFFFF
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def crc32_std(data):
    r = zlib.crc32(data) & 0xFFFFFFFF
    assert r == crc32_table(data, CRC_TABLE)
    return r


def crc32_legacy(data):
    return crc32_table(data, LEGACY_TABLE)




# ----------------------------------------------------------------------------
# STUN / MS-TURN construction

def addr_value(ip, port, key=None):
    """rsvd(1) family(1) port(2) address(4/16); XORed with key (msg bytes 4..19) if given."""
    a = ipaddress.ip_address(ip)
    raw = a.packed
    fam = 1 if a.version == 4 else 2
    if key is not None:
        port ^= struct.unpack('!H', key[0:2])[0]
        raw = bytes(x ^ y for x, y in zip(raw, key[:len(raw)]))
    return struct.pack('!BBH', 0, fam, port) + raw


class Attr:
    """One attribute.  kind: 'raw', 'addr', 'xaddr', 'data'."""

    def __init__(self, atype, name, kind='raw', value=b'', text='', ip=None, port=None, inner=None):
        self.type, self.name, self.kind = atype, name, kind
        self._value, self.text = value, text
        self.ip, self.port, self.inner = ip, port, inner

    def value(self, key):
        if self.kind == 'addr':
            return addr_value(self.ip, self.port)
        if self.kind == 'xaddr':
            return addr_value(self.ip, self.port, key)
        if self.kind == 'data':
            return self.inner.raw
        return self._value

    def describe(self, key, v):
        if self.kind == 'addr':
            fam = 'IPv4' if v[1] == 1 else 'IPv6'
            return ['family %s (0x%02x), port %d, address %s -> %s (plain, not XORed)'
                    % (fam, v[1], self.port, ipaddress.ip_address(self.ip).compressed,
                       fmt_addr(self.ip, self.port))]
        if self.kind == 'xaddr':
            fam = 'IPv4' if v[1] == 1 else 'IPv6'
            klen = 4 if v[1] == 1 else 16
            return ['family %s (0x%02x), X-Port 0x%s, X-Address 0x%s; XOR key = message bytes 4..%d '
                    '(0x%s) -> decoded %s' % (fam, v[1], v[2:4].hex(), v[4:].hex(), 3 + klen,
                                              key[:klen].hex(), fmt_addr(self.ip, self.port))]
        if self.kind == 'data':
            return ['%d bytes; the value (inner packet) starts %d bytes after the attribute header; contains:'
                    % (len(v), 4)]
        return [self.text] if self.text else []


def a_raw(t, name, value, text):
    return Attr(t, name, 'raw', value, text)


def a_u32(t, name, n, extra=''):
    return a_raw(t, name, struct.pack('!I', n), '%d (0x%08x)%s' % (n, n, extra))


def a_str(t, name, s):
    return a_raw(t, name, s, '"%s" (%d bytes)' % (s.decode(), len(s)))


def a_magic():
    return a_u32(0x000F, 'MAGIC-COOKIE', MS_MAGIC)


def a_msver(v):
    return a_u32(0x8008, 'MS-VERSION', v)


SQ_STREAM = {1: 'Audio', 2: 'Video', 3: 'Supplemental Video', 4: 'Data'}
SQ_QUAL = {0: 'Best effort', 1: 'Reliable delivery'}


def a_svcq(stream, qual):
    return a_raw(0x8055, 'MS-SERVICE-QUALITY', struct.pack('!HH', stream, qual),
                 'Stream Type %d (%s), Service Quality %d (%s)'
                 % (stream, SQ_STREAM[stream], qual, SQ_QUAL[qual]))


def a_seqnum(connid, seq):
    return a_raw(0x8050, 'MS-SEQUENCE-NUMBER', connid + struct.pack('!I', seq),
                 'Connection ID (20 bytes) %s, Sequence Number %d' % (connid.hex(), seq))


def a_error(code, reason):
    v = struct.pack('!HBB', 0, code // 100, code % 100) + reason
    return a_raw(0x0009, 'ERROR-CODE', v, 'class %d, number %d -> error %d, reason "%s" (%d bytes)'
                 % (code // 100, code % 100, code, reason.decode(), len(reason)))


def a_addr(t, name, ip, port):
    return Attr(t, name, 'addr', ip=ip, port=port)


def a_xaddr(t, name, ip, port):
    return Attr(t, name, 'xaddr', ip=ip, port=port)


def a_data(inner):
    return Attr(0x0013, 'DATA', 'data', inner=inner)


MSTURN_TYPES = {
    0x0003: 'Allocate Request', 0x0103: 'Allocate Response', 0x0113: 'Allocate Error Response',
    0x0004: 'Send Request', 0x0115: 'Data Indication',
    0x0006: 'Set Active Destination Request', 0x0106: 'Set Active Destination Response',
    0x0116: 'Set Active Destination Error Response',
}
STUN_TYPES = {0x0001: 'Binding Request', 0x0101: 'Binding Success Response',
              0x0111: 'Binding Error Response', 0x0011: 'Binding Indication',
              0x0004: 'Refresh Request', 0x0104: 'Refresh Success Response',
              0x0009: 'ChannelBind Request', 0x0109: 'ChannelBind Success Response'}

REGISTRY = []   # every Msg built, for the self-check


class Integrity:
    def __init__(self, alg, key, desc):
        self.alg, self.key, self.desc = alg, key, desc
        self.size = 32 if alg == 'sha256' else 20


MI_TURN = Integrity('sha256', TURN_KEY, 'HMAC-SHA256, long-term key MD5("%s:%s:%s") = %s'
                    % (TURN_USER.decode(), REALM.decode(), TURN_PASS.decode(), TURN_KEY.hex()))
MI_PEER = Integrity('sha1', PEER_PWD, 'HMAC-SHA1, short-term key = peer ICE password "%s"' % PEER_PWD.decode())
MI_CLIENT = Integrity('sha1', CLIENT_PWD, 'HMAC-SHA1, short-term key = client ICE password "%s"'
                      % CLIENT_PWD.decode())
# RFC 5766 TURN (RFC 5389 15.4): HMAC-SHA1 with the same long-term key.
MI_TURN_RFC = Integrity('sha1', TURN_KEY, 'HMAC-SHA1, long-term key MD5("%s:%s:%s") = %s'
                        % (TURN_USER.decode(), REALM.decode(), TURN_PASS.decode(), TURN_KEY.hex()))
ALL_KEYS = [MI_TURN, MI_PEER, MI_CLIENT, MI_TURN_RFC]


class Msg:
    """A STUN-format message.  dialect: 'ms-turn' (unpadded, MAGIC-COOKIE first),
    'rfc5389' (padded), 'ms-ice2-unpadded'.  fp: None, 'std', 'legacy', 'bad'."""

    BAD_XOR = 0x0000FFFF

    def __init__(self, mtype, tid, attrs, dialect, mi=None, fp=None, note=''):
        self.mtype, self.tid, self.attrs, self.dialect = mtype, tid, attrs, dialect
        self.mi, self.fp, self.note = mi, fp, note
        self.padded = dialect == 'rfc5389'
        self.build()
        REGISTRY.append(self)

    def build(self):
        body = b''
        self.layout = []
        for a in self.attrs:
            v = a.value(self.tid)
            self.layout.append((20 + len(body), a, v))
            body += attr(a.type, v, self.padded)
        if self.mi:
            ln = len(body) + 4 + self.mi.size
            mac = hmac.new(self.mi.key, struct.pack('!HH', self.mtype, ln) + self.tid + body,
                           self.mi.alg).digest()
            self.mi_value, self.mi_offset = mac, 20 + len(body)
            body += struct.pack('!HH', 0x0008, len(mac)) + mac
        if self.fp:
            ln = len(body) + 8
            pre = struct.pack('!HH', self.mtype, ln) + self.tid + body
            self.fp_std = crc32_std(pre) ^ FP_XOR
            self.fp_legacy = crc32_legacy(pre) ^ FP_XOR
            if self.fp == 'std':
                val = self.fp_std
            elif self.fp == 'legacy':
                val = self.fp_legacy
                assert self.fp_legacy != self.fp_std
            else:
                val = self.fp_std ^ self.BAD_XOR
                assert val != self.fp_legacy
            self.fp_value, self.fp_offset = val, 20 + len(body)
            body += struct.pack('!HHI', 0x8028, 4, val)
        self.raw = message(self.mtype, self.tid, body)

    def type_name(self):
        if self.dialect == 'ms-turn':
            return MSTURN_TYPES[self.mtype]
        return STUN_TYPES[self.mtype]

    def describe(self):
        L = []
        dial = {'ms-turn': 'MS-TURN (MAGIC-COOKIE first, attributes NOT padded)',
                'rfc5389': 'RFC 5389 / MS-ICE2 (attributes padded to 4 bytes with zeros)',
                'ms-ice2-unpadded': 'MS-ICE2 RFC 5389 header but attributes NOT padded'}[self.dialect]
        L.append('Message type 0x%04x %s; dialect %s; message length field %d (0x%04x); total %d bytes%s'
                 % (self.mtype, self.type_name(), dial, len(self.raw) - 20, len(self.raw) - 20,
                    len(self.raw), ('; ' + self.note) if self.note else ''))
        if self.tid[:4] == struct.pack('!I', COOKIE):
            L.append('Header bytes 4..7 = 0x2112a442 (RFC 5389 magic cookie); transaction ID (bytes 8..19) = %s'
                     % self.tid[4:].hex())
        else:
            L.append('No RFC 5389 cookie: 128-bit transaction ID (bytes 4..19) = %s' % self.tid.hex())
        for off, a, v in self.layout:
            d = a.describe(self.tid, v)
            L.append('@%d 0x%04x %s, length %d%s' % (off, a.type, a.name, len(v),
                                                     (': ' + d[0]) if d else ''))
            if a.kind == 'data':
                L.extend('    ' + x for x in a.inner.describe())
        if self.mi:
            L.append('@%d 0x0008 MESSAGE-INTEGRITY, length %d: %s (%s; VALID)'
                     % (self.mi_offset, self.mi.size, self.mi_value.hex(), self.mi.desc))
        if self.fp:
            if self.fp == 'std':
                s = 'VALID (CRC-32 ^ 0x5354554e)'
            elif self.fp == 'legacy':
                s = ('VALID only with the legacy MS CRC-32 table (entry 0x8bbeb8ea -> 0x08bbe8ea); '
                     'standard CRC-32 would give 0x%08x' % self.fp_std)
            else:
                s = ('DELIBERATELY WRONG: correct value is 0x%08x (legacy-table value 0x%08x); '
                     'stored = correct ^ 0x%08x' % (self.fp_std, self.fp_legacy, self.BAD_XOR))
            L.append('@%d 0x8028 FINGERPRINT, length 4: 0x%08x -> %s' % (self.fp_offset, self.fp_value, s))
        return L


# ----------------------------------------------------------------------------


class Rfc4571:
    def __init__(self, inner):
        self.inner = inner
        self.raw = rfc4571(inner.raw)

    def describe(self):
        return ['RFC 4571 frame: LENGTH=%d, then:' % len(self.inner.raw)] + \
               ['  ' + x for x in self.inner.describe()]


class MTurn:
    def __init__(self, session_id, inner):
        self.session_id, self.inner = session_id, inner
        self.raw = mturn(session_id, inner.raw)

    def describe(self):
        return ['MS-TURN Multiplexed TURN: Channel 0xff10, Length %d (= 8-byte session id + %d data bytes), '
                'MTURN_Session_ID %s; data:' % (8 + len(self.inner.raw), len(self.inner.raw),
                                                self.session_id.hex())] + \
               ['  ' + x for x in self.inner.describe()]


class Stun:   # adaptor so a Msg can be nested in DATA / frames
    def __init__(self, msg):
        self.msg, self.raw = msg, msg.raw

    def describe(self):
        return self.msg.describe()


# ----------------------------------------------------------------------------


class ChannelData:
    """RFC 5766 11.4 ChannelData; over TCP padded to a multiple of 4 (11.5), the padding not counted in Length."""

    def __init__(self, channel, inner):
        self.channel, self.inner = channel, inner
        self.raw = channel_data(channel, inner.raw, True)
        self.kind = 'ChannelData'

    def describe(self):
        pad = -len(self.inner.raw) % 4
        return (['ChannelData: Channel 0x%04x, Length %d, then %d padding bytes (TCP)'
                 % (self.channel, len(self.inner.raw), pad)] + ['  ' + x for x in self.inner.describe()])



def frame02(msg):
    return msturn_tcp_frame(2, msg.raw)


def frame03(payload):
    return msturn_tcp_frame(3, payload)


def desc02(msg, note=''):
    return (['MS-TURN TCP framing: Type 0x02 (TURN control message), Reserved 0, Length %d%s; payload:'
             % (len(msg.raw), note)] + ['  ' + x for x in msg.describe()])


def desc03(objs, note=''):
    total = sum(len(o.raw) for o in objs)
    L = ['MS-TURN TCP framing: Type 0x03 (end-to-end data), Reserved 0, Length %d%s; payload:' % (total, note)]
    for o in objs:
        L.extend('  ' + x for x in o.describe())
    return L


# ----------------------------------------------------------------------------
# MS-TURN / ICE message helpers

def prio(type_pref, local_pref, comp=1):
    return (type_pref << 24) | (local_pref << 8) | (256 - comp)


def ice_request(label, src_is_client, prio_val, tiebreak, controlling, foundation, use_cand=False,
                impl=3, dialect='rfc5389', fp='std', note='', username=None):
    if src_is_client:
        user = username or (PEER_UFRAG + b':' + CLIENT_UFRAG)
        mi = MI_PEER
    else:
        user = username or (CLIENT_UFRAG + b':' + PEER_UFRAG)
        mi = MI_CLIENT
    attrs = [a_str(0x0006, 'USERNAME', user),
             a_u32(0x0024, 'PRIORITY', prio_val)]
    if controlling:
        attrs.append(a_raw(0x802A, 'ICE-CONTROLLING', struct.pack('!Q', tiebreak),
                           'tie-breaker 0x%016x' % tiebreak))
    else:
        attrs.append(a_raw(0x8029, 'ICE-CONTROLLED', struct.pack('!Q', tiebreak),
                           'tie-breaker 0x%016x' % tiebreak))
    if use_cand:
        attrs.append(a_raw(0x0025, 'USE-CANDIDATE', b'', '(empty)'))
    if foundation is not None:
        f = foundation + b'\0' * (-len(foundation) % 4)
        attrs.append(a_raw(0x8054, 'CANDIDATE-IDENTIFIER', f,
                           'foundation "%s" NUL-padded to %d bytes (%s)' % (foundation.decode(), len(f), f.hex())))
    if impl is not None:
        attrs.append(a_u32(0x8070, 'IMPLEMENTATION-VERSION', impl))
    return Msg(0x0001, cookie_tid(label), attrs, dialect, mi, fp, note)


def ice_response(req, mapped_ip, mapped_port, impl=3, fp='std', error=None, note=''):
    mi = req.mi
    if error:
        attrs = [a_error(*error)]
        mtype = 0x0111
    else:
        attrs = [a_xaddr(0x0020, 'XOR-MAPPED-ADDRESS', mapped_ip, mapped_port)]
        mtype = 0x0101
    if impl is not None:
        attrs.append(a_u32(0x8070, 'IMPLEMENTATION-VERSION', impl))
    dialect = 'rfc5389' if req.dialect == 'rfc5389' else req.dialect
    return Msg(mtype, req.tid, attrs, dialect, mi, fp, note)


def ms_send(tid, connid, seq, peer_ip, peer_port, inner, note=''):
    """MS-TURN Send request (MS-TURN 2.2.1, 3.1): USERNAME, MS-SEQUENCE-NUMBER, DESTINATION-ADDRESS, DATA."""
    return Msg(0x0004, tid, [a_magic(), a_str(0x0006, 'USERNAME', TURN_USER), a_seqnum(connid, seq),
                             a_addr(0x0011, 'DESTINATION-ADDRESS', peer_ip, peer_port), a_data(inner)],
               'ms-turn', MI_TURN, note=note)


def ms_data_indication(tid, peer_ip, peer_port, inner, note=''):
    """MS-TURN Data Indication (0x0115, a 128-bit transaction ID without cookie): REMOTE-ADDRESS, DATA."""
    return Msg(0x0115, tid, [a_magic(), a_addr(0x0012, 'REMOTE-ADDRESS', peer_ip, peer_port), a_data(inner)],
               'ms-turn', MI_TURN, note=note)


def auth_attrs(nonce):
    return [a_str(0x0006, 'USERNAME', TURN_USER),
            a_str(0x0014, 'NONCE (MS-TURN numbering)', nonce),
            a_str(0x0015, 'REALM (MS-TURN numbering)', REALM)]


# ----------------------------------------------------------------------------


def channel_bind(flow, label, channel, peer_ip, peer_port):
    """RFC 5766 11 ChannelBind of channel to the peer peer_ip:peer_port (long-term credentials,
    HMAC-SHA1) from the flow's A side, and its success response (label: the transaction's and NONCE's)."""
    attrs = [Attr(0x000C, 'CHANNEL-NUMBER', 'raw', struct.pack('!HH', channel, 0), 'channel 0x%04x' % channel),
             a_xaddr(0x0012, 'XOR-PEER-ADDRESS', peer_ip, peer_port),
             a_str(0x0006, 'USERNAME', TURN_USER), a_str(0x0014, 'REALM', REALM),
             a_str(0x0015, 'NONCE', H(label + '-nonce', 12).hex().encode())]
    m = Msg(0x0009, cookie_tid(label + '-chbind'), attrs, 'rfc5389', MI_TURN_RFC, 'std')
    flow.send('A', m, 'ChannelBind Request (channel 0x%04x -> %s:%d)' % (channel, peer_ip, peer_port))
    m = Msg(0x0109, m.tid, [], 'rfc5389', MI_TURN_RFC, 'std')
    flow.send('B', m, 'ChannelBind Success Response')
