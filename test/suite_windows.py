# suite_windows.py
# The Windows build under Wine (tools/windows.sh; MSSTUN_TSHARK_PLATFORM=windows):
# tshark.exe lists msstun.dll, from the personal plugin folder of Wireshark for
# Windows, as a dissector plugin of this version.  The Linux counterparts are in
# suite_plugin.py (skipped there on Windows, see conftest.WINDOWS_SKIPS).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import re

import pytest

from conftest import SOURCE_DIR, WINDOWS, personal_plugin_folder, unix_path

pytestmark = pytest.mark.skipif(not WINDOWS, reason='Windows tshark only (MSSTUN_TSHARK_PLATFORM=windows)')


def project_version():
    with open(os.path.join(SOURCE_DIR, 'CMakeLists.txt')) as f:
        return re.search(r'^project\(msstun VERSION (\d+\.\d+\.\d+)', f.read(), re.M).group(1)


class TestWindowsPlugin:
    def test_listed_by_tshark(self, tshark, major_minor):
        out = tshark('-G', 'plugins')
        rows = [[c.strip() for c in line.split('\t')] for line in out.splitlines() if line.startswith('msstun')]
        assert len(rows) == 1, out
        name, version, kind, path = rows[0]
        assert (name, version, kind) == ('msstun.dll', project_version(), 'dissector')
        assert unix_path(path) == os.path.join(personal_plugin_folder(tshark.home, major_minor), 'msstun.dll')

    def test_windows_tshark(self, tshark):
        # The tshark under test is the Windows build: its version text says so.
        assert 'Windows' in tshark('--version')
