# SPDX-License-Identifier: GPL-2.0-or-later
"""What every generator shares: the capture epoch, deterministic bytes, address text."""

import hashlib
import ipaddress

T0 = 1767225600          # 2026-01-01 00:00:00 UTC
STEP_US = 20000          # frames are 20 ms apart
NTP_OFFSET = 2208988800  # 1900 -> 1970


def H(label, n):
    """Deterministic pseudo-random bytes: SHA-256 of a fixed label."""
    out, i = b'', 0
    while len(out) < n:
        out += hashlib.sha256(b'msstun-gen:%s:%d' % (label.encode(), i)).digest()
        i += 1
    return out[:n]



def fmt_addr(ip, port):
    a = ipaddress.ip_address(ip)
    return ('[%s]:%d' if a.version == 6 else '%s:%d') % (a.compressed, port)

