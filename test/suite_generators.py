# SPDX-License-Identifier: GPL-2.0-or-later
#
# The capture generators (captures/*.py on captures/lib/): regenerating every
# committed capture gives the same bytes (captures/regenerate.sh, cmp), and
# what --describe prints covers every frame of every capture it names, read
# back from the committed files.

import os
import re
import subprocess
import sys

import pytest

from conftest import LOCAL_CAPTURES

sys.path.insert(0, LOCAL_CAPTURES)
from lib import pcap  # noqa: E402

# The generators do not depend on Wireshark (and some need openssl, which the
# matrix's roots lack): the host's run checks them, the matrix leaves them.
pytestmark = pytest.mark.slow

# Files regenerate.sh rebuilds and compares: the nine of gen_msturn.py, gen_srtp.py's seven
# pcaps but the TLS one, its three key files and srtp-expected.json, turn-edge-relay.pcap,
# tls-split-8443.pcap, the three of gen_tcp_edges.py, gen_quality.py's quality-calls.pcap,
# gen_alloc_edges.py's msturn-active-dest-data.pcap and three regression captures.
COMPARED = 9 + 6 + 3 + 1 + 1 + 1 + 3 + 1 + 1 + 3


def test_regenerated_captures_are_byte_identical(tmp_path):
    run = subprocess.run([os.path.join(LOCAL_CAPTURES, 'regenerate.sh'), str(tmp_path)], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'differs' not in run.stdout
    assert '%d files byte-identical to the committed ones' % COMPARED in run.stdout
    assert sorted(re.findall(r'not compared \(random by design\): (\S+)', run.stdout)) == [
        'srtp-sip-tls.keys', 'srtp-sip-tls.pcap']


def described_frames(script):
    '''capture name -> the frame numbers of its "### NAME frame N" sections.'''
    out = subprocess.run([sys.executable, os.path.join(LOCAL_CAPTURES, script), '--describe'], capture_output=True,
                         text=True, check=True).stdout
    frames = {}
    for name, n in re.findall(r'^### (\S+) frame (\d+) - ', out, re.M):
        frames.setdefault(name, []).append(int(n))
    return frames


def committed_frame_count(name):
    with open(os.path.join(LOCAL_CAPTURES, name), 'rb') as f:
        data = f.read()
    snaplen = 60 if name.endswith('-snaplen60.pcap') else 65535
    return len(pcap.read(data, snaplen))


@pytest.mark.parametrize('script, names', [
    ('gen_msturn.py', ['msice2-checks.pcap', 'msturn-learning.pcap', 'msturn-tcp443-midstream.pcap',
                       'msturn-tcp443-split.pcap', 'msturn-tcp443.pcap', 'msturn-udp3478-snaplen60.pcap',
                       'msturn-udp3478-teams.pcap', 'msturn-udp3478.pcap', 'turn-tcp3478-midstream.pcap']),
    ('msturn_tcp.py', ['msturn-tcp443-midstream.pcap', 'msturn-tcp443-split.pcap', 'msturn-tcp443.pcap',
                       'turn-tcp3478-midstream.pcap']),
    ('gen_srtp.py', ['srtp-msrtcp.pcap', 'srtp-relay-dyn.pcap', 'srtp-relay.pcap', 'srtp-roc-sdp.pcap',
                     'srtp-roc.pcap', 'srtp-sip-call.pcap', 'srtp-sip-tls.pcap']),
])
def test_describe_covers_every_frame(script, names):
    frames = described_frames(script)
    assert sorted(frames) == names
    for name in names:
        assert frames[name] == list(range(1, committed_frame_count(name) + 1)), name


def test_turn_edge_describe_lists_every_frame():
    out = subprocess.run([sys.executable, os.path.join(LOCAL_CAPTURES, 'gen_turn_edge.py'), '--describe'],
                         capture_output=True, text=True, check=True).stdout
    rows = [int(n) for n in re.findall(r'^\| (\d+) \| \d+\.\d{6} \|', out, re.M)]
    assert rows == list(range(1, committed_frame_count('turn-edge-relay.pcap') + 1))
