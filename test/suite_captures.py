# suite_captures.py
# Every capture, shared and generated, dissected single-pass and two-pass,
# with the full tree: no crash, no dissector bug (WIRESHARK_ABORT_ON_DISSECTOR_BUG
# is set), no warnings on stderr, and no frame malformed that tshark does
# not show malformed without the plugin.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os

import pytest

from conftest import LOCAL_CAPTURES, SHARED_CAPTURES, all_local_captures, all_shared_captures

CAPTURES = ([os.path.join(SHARED_CAPTURES, c) for c in all_shared_captures()] +
            [os.path.join(LOCAL_CAPTURES, c) for c in all_local_captures()])


def malformed_frames(tshark, capture, two_pass):
    args = ['-n', '-r', capture, '-Y', '_ws.malformed', '-T', 'fields', '-e', 'frame.number']
    if two_pass:
        args.insert(0, '-2')
    return set(tshark(*args).split())


def test_corpus_is_complete():
    names = [os.path.basename(c) for c in CAPTURES]
    assert len(names) >= 28
    for expected in ('skype-conference-call.pcap', 'rfc5769_vectors_udp3478.pcap',
                     'libnice-0.1.21-OC2007R2-turn443-loopback.pcapng', 'msturn-tcp443.pcap'):
        assert expected in names


@pytest.mark.parametrize('two_pass', [False, True], ids=['1pass', '2pass'])
@pytest.mark.parametrize('capture', CAPTURES, ids=[os.path.basename(c) for c in CAPTURES])
class TestEveryCapture:
    def test_full_dissection(self, tshark, capture, two_pass):
        args = ['-n', '-V', '-x', '-r', capture]
        if two_pass:
            args.insert(0, '-2')
        proc = tshark.run(args)
        assert proc.stderr == ''
        assert proc.stdout.count('\nFrame ') + proc.stdout.startswith('Frame ') > 0

    def test_no_new_malformed_frames(self, tshark, tshark_builtin, capture, two_pass):
        with_plugin = malformed_frames(tshark, capture, two_pass)
        without_plugin = malformed_frames(tshark_builtin, capture, two_pass)
        # The same frames or fewer, not just as many: a frame the plugin breaks
        # is not made up for by one it mends.
        assert with_plugin <= without_plugin, sorted(with_plugin - without_plugin, key=int)
