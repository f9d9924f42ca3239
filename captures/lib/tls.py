# SPDX-License-Identifier: GPL-2.0-or-later
"""TLS records: the pseudo-TLS handshake of MS-TURN on TCP 443 (ref 4.2)."""

import struct

from .base import H, T0

CLIENT_HELLO = bytes.fromhex(
    '160301002d0100002903 01c1fcd5a36d93dd7e0b45673fec7985fbbc3fd660c2ce8485081b8121bcaa10fb'
    '0000020018 0100'.replace(' ', ''))
assert len(CLIENT_HELLO) == 50


def server_hello():
    rnd = struct.pack('!I', T0) + H('pseudo-tls-server-random', 28)
    sid = H('pseudo-tls-session-id', 32)
    b = bytes.fromhex('160301004e') + bytes.fromhex('02000046') + b'\x03\x01' + rnd + b'\x20' + sid + \
        b'\x00\x18' + b'\x00' + bytes.fromhex('0e000000')
    assert len(b) == 83
    return b, rnd, sid

