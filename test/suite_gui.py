# suite_gui.py
# The reports in the real Wireshark GUI (tools/gui-lifecycle.sh): each of
# Telephony > MSSTUN TURN Allocations, ICE Checks and Media Paths opened
# with -z, closed, the packets re-read (Ctrl+R), a display filter applied
# and cleared, the report opened again from the menu and run again with a
# filter of its own, the Flow Graph (MSSTUN) opened and re-read: Wireshark
# must stay up (issue 27: the Media Paths listener outlived its dialog and
# the first re-read after closing it aborted in stat_tap_ui.c or crashed).
# Skipped where Wireshark's Qt GUI, Xvfb or xdotool is not installed, when
# MSSTUN_GUI_TESTS=0, and under a Windows tshark (tools/windows.sh test
# builds no Windows GUI; this test would drive the Linux one).  About three
# minutes per capture.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR, WINDOWS

NEEDED = ['wireshark', 'Xvfb', 'xdotool']


@pytest.mark.slow
@pytest.mark.skipif(WINDOWS, reason='the Linux Qt GUI: no Windows GUI is built (MSSTUN_TSHARK_PLATFORM=windows)')
@pytest.mark.skipif(os.environ.get('MSSTUN_GUI_TESTS') == '0' or not all(shutil.which(t) for t in NEEDED),
                    reason='needs wireshark-qt, xvfb and xdotool (or MSSTUN_GUI_TESTS=0)')
def test_reports_survive_close_reread_filter_and_flow_graph():
    proc = subprocess.run([os.path.join(SOURCE_DIR, 'tools', 'gui-lifecycle.sh'), 'msturn-tcp443.pcap'],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [line.split(': ')[0] for line in proc.stdout.splitlines() if 'Wireshark stayed up' in line] == [
        'msturn-tcp443.pcap -z msstun,%s' % report for report in ('allocations', 'checks', 'media', 'quality')]
