# suite_passes.py
# What one pass, two passes (-2) and a capture cut short show must agree
# (issue 26, "Tests and proof"):
# - pass stability: per frame, the protocol stack, the Protocol column and
#   Info of the first pass equal those of -2, over every capture in
#   captures/ and ../shared/captures, except where Wireshark itself
#   differs between passes (listed below);
# - truncation sweep: every capture cut at several snapshot lengths
#   (editcap -s) decodes without a dissector bug (the test environment
#   aborts on one) or a warning, and no UDP frame that MSSTUN decodes whole
#   loses its MSSTUN Info once cut, if its STUN header was captured.
# One tshark run per capture and pass or snapshot length: ~250 runs of
# small files, under a minute of CPU on one core.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re
import subprocess

import pytest

from conftest import LOCAL_CAPTURES, SHARED_CAPTURES, all_local_captures, all_shared_captures

CAPTURES = ([os.path.join(SHARED_CAPTURES, c) for c in all_shared_captures()] +
            [os.path.join(LOCAL_CAPTURES, c) for c in all_local_captures()])
IDS = [os.path.basename(c) for c in CAPTURES]

COLUMNS = ['frame.number', 'frame.protocols', '_ws.col.Protocol', '_ws.col.Info']

# What only a second pass can know never reaches the stack or Info: the
# fields below are left out of the comparison.  MSSTUN's own:
#   msstun.response_in   the response is in a later frame;
#   msstun.no_response   (expert) no response came in the whole capture.
# Wireshark's own, with or without the plugin:
#   TLS and DTLS name the protocol version they learn from the ServerHello
#     ("TLSv1" on the first pass, "TLSv1.2" on the second);
#   TCP calls the dissector above it for a segment that only begins a PDU on
#     the first pass only (the segment's protocols lose that dissector on
#     the second pass; its Info is TCP's on both).
SECOND_PASS_ONLY = ('msstun.response_in', 'msstun.no_response')
SEGMENT_OF_PDU = '[TCP segment of a reassembled PDU]'


def _normalise(row):
    number, protocols, protocol, info = (row + ['', '', '', ''])[:4]
    protocol = re.sub(r'\b(D?TLS)v[0-9.]+', r'\1', protocol)
    protocol = re.sub(r'\bSSLv[0-9.]+', 'SSL', protocol)
    if SEGMENT_OF_PDU in info:
        protocols = protocols.split(':tcp:')[0] + ':tcp' if ':tcp:' in protocols else protocols
    return [number, protocols, protocol, info]


def _rows(tshark, capture, extra=()):
    proc = tshark.run(['-n', '-r', capture, '-T', 'fields'] + [a for c in COLUMNS for a in ('-e', c)] + list(extra))
    assert proc.stderr == ''
    return [line.split('\t') for line in proc.stdout.splitlines()]


@pytest.mark.slow
@pytest.mark.parametrize('capture', CAPTURES, ids=IDS)
def test_pass_stability(tshark, tshark_builtin, capture):
    one = [_normalise(r) for r in _rows(tshark, capture)]
    two = [_normalise(r) for r in _rows(tshark, capture, ['-2'])]
    assert len(one) == len(two)
    differ = [(a, b) for a, b in zip(one, two) if a != b]
    if differ:
        # A frame MSSTUN never saw may differ as it does without the plugin
        # (TCP and TLS reassembly of SIP over TLS, for one).
        builtin = [a != b for a, b in zip(_rows(tshark_builtin, capture), _rows(tshark_builtin, capture, ['-2']))]
        differ = [(a, b) for a, b in differ
                  if 'msstun' in (a[1] + ':' + b[1]).split(':') or not builtin[int(a[0]) - 1]]
    assert differ == []


def test_second_pass_fields_exist():
    # The fields listed as second-pass-only are the plugin's.
    source = open(os.path.join(LOCAL_CAPTURES, '..', 'packet-msstun.c')).read()
    for name in SECOND_PASS_ONLY:
        assert '"%s"' % name in source, name


# Snapshot lengths: 60 cuts inside the STUN header (Ethernet + IPv4 + UDP
# are 42 bytes), 76 inside the first attributes, 128 later.
SNAPLENS = (60, 76, 128)
UDP_HEADERS = 42
MIN_STUN_CAPTURED = 28      # header and the MAGIC-COOKIE that names MS-TURN
GENERIC_INFO = re.compile(r'^\d+ \S \d+ Len=\d+')   # UDP's own "50000 → 3478 Len=52"


def _sweep_rows(tshark, capture, extra=()):
    fields = ['frame.number', 'frame.protocols', '_ws.col.Info', 'frame.cap_len', 'udp.length']
    proc = tshark.run(['-n', '-r', capture, '-T', 'fields', '-E', 'occurrence=f'] +
                      [a for f in fields for a in ('-e', f)] + list(extra))
    assert proc.stderr == '', proc.stderr
    return {int(r[0]): r for r in (line.split('\t') for line in proc.stdout.splitlines())}


@pytest.mark.slow
@pytest.mark.parametrize('capture', CAPTURES, ids=IDS)
def test_truncation_sweep(tshark, ws_root, capture):
    whole = _sweep_rows(tshark, capture)
    folder = os.path.join(ws_root, 'truncated')
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o755)
    lost = []
    for snaplen in SNAPLENS:
        cut = os.path.join(folder, '%d-%s' % (snaplen, os.path.basename(capture)))
        subprocess.run(['editcap', '-s', str(snaplen), capture, cut], check=True, capture_output=True)
        os.chmod(cut, 0o644)
        for number, row in _sweep_rows(tshark, cut).items():
            _, protocols, info, cap_len, udp_length = row
            full = whole[number]
            layers = full[1].split(':')
            # UDP frames (Ethernet, IPv4) whose MSSTUN message or payload was
            # decoded whole, with the STUN header and MAGIC-COOKIE captured.
            if (layers[:4] != ['eth', 'ethertype', 'ip', 'udp'] or 'msstun' not in layers or
                    int(cap_len) - UDP_HEADERS < MIN_STUN_CAPTURED or not udp_length):
                continue
            # A frame MSSTUN still takes keeps an Info of its own.  (One it
            # no longer takes, because what taught its port was cut from an
            # earlier frame, is another dissector's.)
            if 'msstun' in protocols.split(':') and GENERIC_INFO.match(info):
                lost.append((snaplen, number, full[2], info))
    assert lost == []
