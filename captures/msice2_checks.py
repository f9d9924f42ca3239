#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""msice2_checks.py - msice2-checks.pcap: MS-ICE2 connectivity checks between two peers (RFC 5389
Binding with PRIORITY, ICE-CONTROLLING / -CONTROLLED, USE-CANDIDATE, CANDIDATE-IDENTIFIER,
IMPLEMENTATION-VERSION): both directions, nomination, unpadded attributes, a wrong and a legacy
MS CRC-32 FINGERPRINT, a 487 Role Conflict, then RTP and RTCP on the pair.

Usage:  python3 captures/msice2_checks.py [--describe | --check] [OUTDIR]   (lib/cli.py)
Every capture: python3 captures/gen_msturn.py.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.capture import Capture, UdpFlow  # noqa: E402
from lib.net import Host, MAC_CLIENT, MAC_GW, PEER_IP  # noqa: E402
from lib.rtp import Rtcp, RtpStream  # noqa: E402
from lib.stun import REGISTRY, Stun, ice_request, ice_response, prio  # noqa: E402
from lib import cli  # noqa: E402


# ----------------------------------------------------------------------------
# capture 2: msice2-checks.pcap

def find_legacy_distinct(label, build):
    """Deterministically pick the first label variant whose legacy CRC differs from the standard CRC."""
    for i in range(1000):
        try:
            return build('%s-%d' % (label, i))
        except AssertionError:
            continue
    raise RuntimeError('no variant found')


def build_ice2():
    cap = Capture('msice2-checks.pcap', 'MS-ICE2 connectivity checks, 10.0.0.10:50010 <-> 203.0.113.9:50012')
    a = Host('10.0.0.10', MAC_CLIENT, 128, 0x2000)
    b = Host(PEER_IP, MAC_GW, 117, 0x7000)
    fl = UdpFlow(cap, a, 50010, MAC_CLIENT, b, 50012, MAC_GW)
    TA, TB = 0x9F3C5A7E12345678, 0x1122334455667788
    ast = RtpStream('ice-a', 0x0A0B0C0D, 0, 30000, 8000, 160, 160, b'client@msstun.example')
    bst = RtpStream('ice-b', 0x7E7F7071, 8, 40000, 96000, 160, 160, b'peer@msstun.example')

    r = ice_request('ice-1', True, prio(110, 65535), TA, True, b'1')
    fl.send('A', Stun(r), 'Binding Request A->B (controlling)')
    fl.send('B', Stun(ice_response(r, '10.0.0.10', 50010)), 'Binding Success Response B->A')
    r = ice_request('ice-2', False, prio(110, 65534), TB, False, b'2')
    fl.send('B', Stun(r), 'Binding Request B->A (controlled)')
    fl.send('A', Stun(ice_response(r, PEER_IP, 50012)), 'Binding Success Response A->B')
    r = ice_request('ice-3', True, prio(110, 65535), TA, True, b'12345', use_cand=True)
    fl.send('A', Stun(r), 'Binding Request A->B with USE-CANDIDATE (nomination)')
    fl.send('B', Stun(ice_response(r, '10.0.0.10', 50010)), 'Binding Success Response B->A')
    r = ice_request('ice-unpadded', True, prio(110, 65535), TA, True, b'1', dialect='ms-ice2-unpadded',
                    note='UNPADDED attributes (USERNAME is 9 bytes, next attribute starts immediately)')
    assert len(r.raw) % 4 != 0
    fl.send('A', Stun(r), 'Binding Request A->B, UNPADDED attributes, odd-length USERNAME')
    fl.send('B', Stun(ice_response(r, '10.0.0.10', 50010)), 'Binding Success Response B->A (to the unpadded request)')
    r = ice_request('ice-badfp', True, prio(110, 65535), TA, True, b'1', fp='bad',
                    note='FINGERPRINT deliberately wrong; a receiver discards it, so it is not answered')
    fl.send('A', Stun(r), 'Binding Request A->B with WRONG FINGERPRINT (never answered)')

    def legacy_pair(label):
        rq = ice_request(label, True, prio(110, 65535), TA, True, None, impl=None, fp='legacy',
                         note='legacy MS CRC-32 FINGERPRINT, no IMPLEMENTATION-VERSION')
        try:
            rs = ice_response(rq, '10.0.0.10', 50010, impl=None, fp='legacy',
                              note='legacy MS CRC-32 FINGERPRINT, no IMPLEMENTATION-VERSION')
        except AssertionError:
            REGISTRY.remove(rq)
            raise
        return rq, rs
    rq, rs = find_legacy_distinct('ice-legacy', legacy_pair)
    fl.send('A', Stun(rq), 'Binding Request A->B with LEGACY MS CRC-32 FINGERPRINT')
    fl.send('B', Stun(rs), 'Binding Success Response B->A with LEGACY MS CRC-32 FINGERPRINT')
    r = ice_request('ice-conflict', False, prio(110, 65534), TB, True, b'2',
                    note='B also claims the controlling role, tie-breaker lower than A\'s')
    fl.send('B', Stun(r), 'Binding Request B->A with ICE-CONTROLLING (role conflict)')
    fl.send('A', Stun(ice_response(r, None, None, error=(487, b'Role Conflict'))),
            'Binding Error Response 487 Role Conflict A->B')
    fl.send('A', ast.next(marker=True), 'RTP A->B (PCMU)')
    fl.send('B', bst.next(marker=True), 'RTP B->A (PCMA)')
    fl.send('A', ast.next(), 'RTP A->B (PCMU)')
    fl.send('B', bst.next(), 'RTP B->A (PCMA)')
    fl.send('A', Rtcp('SR', ast, bst, cap.time_us()), 'RTCP SR+SDES A->B')
    fl.send('B', Rtcp('RR', bst, ast, cap.time_us()), 'RTCP RR+SDES B->A')
    return cap


def build():
    return [build_ice2()]


if __name__ == '__main__':
    sys.exit(cli.main(sys.argv[1:], build))
