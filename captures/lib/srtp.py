# SPDX-License-Identifier: GPL-2.0-or-later
"""SRTP and SRTCP protection through libsrtp2 (ctypes; srtp2/srtp.h of libsrtp 2.5), and the record of
every packet's plaintext that gen_srtp.py writes to srtp-expected.json (EXPECTED)."""

import base64
import ctypes

from .base import H
from .capture import Blob


class CryptoPolicy(ctypes.Structure):
    _fields_ = [('cipher_type', ctypes.c_uint32), ('cipher_key_len', ctypes.c_int),
                ('auth_type', ctypes.c_uint32), ('auth_key_len', ctypes.c_int),
                ('auth_tag_len', ctypes.c_int), ('sec_serv', ctypes.c_int)]


class Ssrc(ctypes.Structure):
    _fields_ = [('type', ctypes.c_int), ('value', ctypes.c_uint)]


class MasterKey(ctypes.Structure):
    _fields_ = [('key', ctypes.c_char_p), ('mki_id', ctypes.c_char_p), ('mki_size', ctypes.c_uint)]


class Policy(ctypes.Structure):
    pass


Policy._fields_ = [('ssrc', Ssrc), ('rtp', CryptoPolicy), ('rtcp', CryptoPolicy),
                   ('key', ctypes.c_char_p), ('keys', ctypes.POINTER(ctypes.POINTER(MasterKey))),
                   ('num_master_keys', ctypes.c_ulong), ('deprecated_ekt', ctypes.c_void_p),
                   ('window_size', ctypes.c_ulong), ('allow_repeat_tx', ctypes.c_int),
                   ('enc_xtn_hdr', ctypes.POINTER(ctypes.c_int)), ('enc_xtn_hdr_count', ctypes.c_int),
                   ('next', ctypes.POINTER(Policy))]

LIB = ctypes.CDLL('libsrtp2.so.1')
LIB.srtp_init.restype = ctypes.c_int
assert LIB.srtp_init() == 0
SSRC_SPECIFIC, SSRC_ANY_OUTBOUND = 1, 3


class SrtpSender:
    """One libsrtp2 sending session: master key+salt (30 bytes), suite 80 or
    32 (SRTCP always has the 80-bit tag, RFC 4568 6.2), optional MKI."""

    def __init__(self, key_salt, suite=80, mki=None, mki_len=0, ssrc=None, roc=0):
        """ssrc: a policy for that SSRC only (libsrtp then has the stream
        from the start), needed for roc: the rollover counter of the first
        packet, set with srtp_set_stream_roc() (libsrtp 2.x)."""
        self.key_salt, self.suite, self.mki, self.mki_len = key_salt, suite, mki, mki_len
        self._buf_key = ctypes.create_string_buffer(key_salt, 30)
        p = Policy()
        if suite == 80:
            LIB.srtp_crypto_policy_set_rtp_default(ctypes.byref(p.rtp))
        else:
            LIB.srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(ctypes.byref(p.rtp))
        LIB.srtp_crypto_policy_set_rtcp_default(ctypes.byref(p.rtcp))
        p.ssrc = Ssrc(SSRC_ANY_OUTBOUND, 0) if ssrc is None else Ssrc(SSRC_SPECIFIC, ssrc)
        p.window_size = 128
        if mki is not None:
            self._mki = ctypes.create_string_buffer(mki.to_bytes(mki_len, 'big'), mki_len)
            self._mk = MasterKey(ctypes.cast(self._buf_key, ctypes.c_char_p),
                                 ctypes.cast(self._mki, ctypes.c_char_p), mki_len)
            self._mk_array = (ctypes.POINTER(MasterKey) * 1)(ctypes.pointer(self._mk))
            p.keys = self._mk_array
            p.num_master_keys = 1
        else:
            p.key = ctypes.cast(self._buf_key, ctypes.c_char_p)
        self._policy = p
        self.ctx = ctypes.c_void_p()
        assert LIB.srtp_create(ctypes.byref(self.ctx), ctypes.byref(p)) == 0
        if roc:
            assert ssrc is not None
            assert LIB.srtp_set_stream_roc(self.ctx, ctypes.c_uint32(ssrc), ctypes.c_uint32(roc)) == 0

    def _run(self, fn, fn_mki, plain):
        buf = ctypes.create_string_buffer(plain, len(plain) + 64)
        n = ctypes.c_int(len(plain))
        if self.mki is not None:
            st = fn_mki(self.ctx, buf, ctypes.byref(n), 1, 0)
        else:
            st = fn(self.ctx, buf, ctypes.byref(n))
        assert st == 0, 'libsrtp error %d' % st
        return buf.raw[:n.value]

    def rtp(self, plain):
        return self._run(LIB.srtp_protect, LIB.srtp_protect_mki, plain)

    def rtcp(self, plain):
        return self._run(LIB.srtp_protect_rtcp, LIB.srtp_protect_rtcp_mki, plain)


def key_salt(label, want_slash=False):
    """A deterministic 30-byte master key and salt; with want_slash, one
    whose base64 holds a '/' (escaped as \\/ in JSON)."""
    n = 0
    while True:
        k = H('srtp-key:%s:%d' % (label, n), 30)
        if not want_slash or '/' in base64.b64encode(k).decode():
            return k
        n += 1


def b64(k):
    return base64.b64encode(k).decode()


# capture name -> [the plaintext and header values of each SRTP/SRTCP packet, with its frame number]
EXPECTED = {}


def expect(cap, info, cipher, carrier=None):
    """Records info (Stream.rtp/rtcp's) of the packet that becomes cap's next frame, protected as
    cipher; carrier: how the frame carries it (send, data, channeldata, tcp), for relayed media."""
    record = dict(info, frame=len(cap.frames) + 1, srtp_length=len(cipher))
    if carrier:
        record['carrier'] = carrier
    EXPECTED.setdefault(cap.name, []).append(record)


def send_media(cap, flow, frm, sender, plain, info, note):
    """plain protected by the SrtpSender sender (RTP or RTCP by info['kind']), sent on the UdpFlow
    from frm, recorded in EXPECTED; returns the protected packet."""
    cipher = sender.rtp(plain) if info['kind'] == 'rtp' else sender.rtcp(plain)
    expect(cap, info, cipher)
    what = 'SRTP' if info['kind'] == 'rtp' else 'SRTCP'
    shown = sorted(dict(info, srtp_length=len(cipher)).items())
    lines = ['%s %s (libsrtp2, %s%s): %d bytes, plaintext %s' %
             (what, note, 'AES_CM_128_HMAC_SHA1_%d' % (sender.suite if info['kind'] == 'rtp' else 80),
              ', MKI %d (%d byte)' % (sender.mki, sender.mki_len) if sender.mki is not None else ', no MKI',
              len(cipher), ', '.join('%s=%s' % (k, v) for k, v in shown if k not in ('payload', 'plaintext')))]
    flow.send(frm, Blob(cipher, lines), '%s %s' % (what, note))
    return cipher
