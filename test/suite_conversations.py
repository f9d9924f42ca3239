# suite_conversations.py
# The conversations MSSTUN claims (conversation_ports.c): what RTP and RTCP
# setup leaves on a 5-tuple, on the first pass and on the second (issue 26
# item 5).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os

import pytest

from conftest import LOCAL_CAPTURES

# captures/gen_tcp_edges.py: RTP on the TURN 5-tuple, then SRTCP that no key
# decrypts, which sets RTCP up for SRTCP (srtcp_add_address()).
SRTCP_LATE_SETUP = os.path.join(LOCAL_CAPTURES, 'srtcp-late-setup.pcap')

FIELDS = ['frame.number', 'frame.protocols', '_ws.col.Protocol', '_ws.col.Info']
RTP = 'eth:ethertype:ip:udp:msstun:rtp'


def _rtp(frame, ssrc, seq, ts):
    return [str(frame), RTP, 'RTP', 'PT=ITU-T G.711 PCMU, SSRC=0x%08X, Seq=%d, Time=%d' % (ssrc, seq, ts)]


SRTCP_LATE_SETUP_EXPECTED = [
    _rtp(1, 0x5C7C0001, 100, 16000),
    _rtp(2, 0x5C7C0002, 200, 32000),
    _rtp(3, 0x5C7C0001, 101, 16160),
    _rtp(4, 0x5C7C0002, 201, 32160),
    _rtp(5, 0x5C7C0001, 102, 16320),
    _rtp(6, 0x5C7C0002, 202, 32320),
    ['7', 'eth:ethertype:ip:udp:msstun:rtcp', 'SRTCP', 'Receiver Report   '],
]


@pytest.mark.parametrize('passes', [[], ['-2']], ids=['one-pass', 'two-pass'])
def test_srtcp_setup_keeps_earlier_frames(tshark, passes):
    '''The RTP before the SRTCP setup stays RTP on the second pass (it was "RTCP ... Len=172").'''
    assert tshark.fields(SRTCP_LATE_SETUP, FIELDS, None, passes) == SRTCP_LATE_SETUP_EXPECTED
