# suite_windows.py
# The Windows build under Wine (tools/windows.sh; MSSTUN_TSHARK_PLATFORM=windows):
# tshark.exe lists msstun.dll, from the personal plugin folder of Wireshark for
# Windows, as a dissector plugin of this version.  The Linux counterparts are in
# suite_plugin.py (skipped there on Windows, see conftest.WINDOWS_SKIPS).
#
# And, with or without Wine, the unwind information of each msstun.dll that
# tools/windows.sh built (tools/windows/check-unwind.py): MSVC's longjmp, which
# Wireshark's TRY/CATCH uses on Windows, unwinds through the plugin's frames.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import re
import shutil
import subprocess

import pytest

from conftest import SOURCE_DIR, WINDOWS, personal_plugin_folder, unix_path

CACHE = os.environ.get('MSSTUN_WINDOWS_CACHE', '/var/cache/msstun-windows')
CHECK_UNWIND = os.path.join(SOURCE_DIR, 'tools', 'windows', 'check-unwind.py')
MINGW_GCC = 'x86_64-w64-mingw32-gcc'
OBJDUMP = 'x86_64-w64-mingw32-objdump'
STRIP = 'x86_64-w64-mingw32-strip'


def project_version():
    with open(os.path.join(SOURCE_DIR, 'CMakeLists.txt')) as f:
        return re.search(r'^project\(msstun VERSION (\d+\.\d+\.\d+)', f.read(), re.M).group(1)


@pytest.mark.skipif(not WINDOWS, reason='Windows tshark only (MSSTUN_TSHARK_PLATFORM=windows)')
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


def check_unwind(*dlls):
    return subprocess.run(['python3', CHECK_UNWIND] + list(dlls), capture_output=True, text=True,
                          env=dict(os.environ, MSSTUN_OBJDUMP=OBJDUMP))


# A DLL whose functions call and keep a frame: outer() calls inner(), which
# calls snprintf, as a dissector calls a proto_tree_add_* that throws.
NON_LEAF_SOURCE = r'''
#include <stdio.h>
__declspec(dllexport) int outer(int x);
static int __attribute__((noinline)) inner(int x)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%d", x);
    return buf[0] + x;
}
int outer(int x) { return inner(x) + inner(x + 1); }
'''

# TRY's setjmp, with MinGW's own setjmp macro (the frame of the caller) or
# msstun-compat.h's (a NULL frame).
SETJMP_SOURCE = r'''
#include <setjmp.h>
#ifdef NULL_FRAME
#undef setjmp
#define setjmp(buf) _setjmp((buf), NULL)
#endif
__declspec(dllexport) int try_block(void (*body)(void));
static jmp_buf env;
int try_block(void (*body)(void))
{
    if (setjmp(env) == 0) {
        body();
        return 0;
    }
    return 1;
}
'''


@pytest.fixture(scope='module')
def mingw_dll(tmp_path_factory):
    '''build(source, *flags): a DLL cross-compiled by MinGW with these flags.'''
    if not (shutil.which(MINGW_GCC) and shutil.which(OBJDUMP)):
        pytest.skip('no MinGW-w64 compiler (tools/windows.sh toolchain)')
    folder = tmp_path_factory.mktemp('unwind')

    def build(name, source, *flags):
        c = folder / (name + '.c')
        c.write_text(source)
        dll = folder / (name + '.dll')
        subprocess.run([MINGW_GCC, '-O2', '-shared', '-o', str(dll), str(c)] + list(flags), check=True)
        return str(dll)
    return build


class TestUnwindInformation:
    def test_built_dlls_complete(self):
        '''Every msstun.dll tools/windows.sh built (each release, msvcrt and UCRT, and the
        zips' stripped copies) has unwind information for every frame, and its TRY
        blocks call setjmp with a NULL frame, at least once per TRY of the sources.'''
        built = sorted(glob.glob(os.path.join(CACHE, 'plugin-4.*', 'msstun.dll')))
        if not built or not shutil.which(OBJDUMP):
            pytest.skip('no msstun.dll built (tools/windows.sh plugin)')
        zipped = sorted(glob.glob(os.path.join(CACHE, 'package-4.*', 'msstun.dll')))
        proc = check_unwind(*(built + zipped))
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        assert len(lines) == len(built + zipped)
        try_blocks = 0
        for name in glob.glob(os.path.join(SOURCE_DIR, '*.c')):
            with open(name) as f:
                try_blocks += len(re.findall(r'^\s*TRY \{', f.read(), re.M))
        assert try_blocks > 0
        for line in lines[:len(built)]:
            m = re.search(r'unwind information complete: (\d+) RUNTIME_FUNCTION entries; (\d+) functions, '
                          r'(\d+) not leaves, all covered; (\d+) call sites .*; (\d+) setjmp calls \(TRY\), '
                          r'each with a NULL frame$', line)
            assert m, line
            entries, functions, non_leaves, calls, setjmps = map(int, m.groups())
            assert 0 < non_leaves <= entries and non_leaves < functions and calls > non_leaves
            assert setjmps >= try_blocks, line
        for line in lines[len(built):]:
            assert re.search(r'unwind information complete: \d+ RUNTIME_FUNCTION entries; no symbols; '
                             r'\d+ call sites covered', line), line

    def test_complete_with_gcc_default(self, mingw_dll):
        proc = check_unwind(mingw_dll('seh', NON_LEAF_SOURCE))
        assert proc.returncode == 0, proc.stderr

    def test_constructor_lists_are_data(self, mingw_dll):
        '''GNU ld's constructor and destructor lists at the end of .text are
        pointers, not code: with an image base holding an 0xe8 byte (a base
        the linker chose for a DLL of a temporary folder), a pointer reads as
        a call without unwind information.  The check passes such a DLL,
        with its symbols and stripped.'''
        dll = mingw_dll('ctors', NON_LEAF_SOURCE, '-Wl,--image-base,0x1e8350000')
        listing = subprocess.run([OBJDUMP, '-d', '-j', '.text', dll], capture_output=True, text=True,
                                 check=True).stdout
        ctors = listing[listing.index('<.ctors.65535>:'):listing.index('<__DTOR_LIST__>:')]
        assert re.search(r'\scall ', ctors), ctors
        stripped = dll.replace('.dll', '-stripped.dll')
        subprocess.run([STRIP, '-o', stripped, dll], check=True)
        proc = check_unwind(dll, stripped)
        assert proc.returncode == 0, proc.stderr
        assert re.search(r'ctors\.dll: .* \d+ call sites and', proc.stdout), proc.stdout
        assert re.search(r'ctors-stripped\.dll: .* no symbols; \d+ call sites covered', proc.stdout), proc.stdout

    def test_fails_without_unwind_tables(self, mingw_dll):
        '''The check fails on a DLL built without unwind tables, naming the functions.'''
        proc = check_unwind(mingw_dll('noseh', NON_LEAF_SOURCE, '-fno-asynchronous-unwind-tables',
                                      '-fno-unwind-tables'))
        assert proc.returncode == 1
        assert re.search(r': function outer \(not a leaf\) has no RUNTIME_FUNCTION entry$', proc.stderr, re.M)
        assert re.search(r': function inner \(not a leaf\) has no RUNTIME_FUNCTION entry$', proc.stderr, re.M)
        assert re.search(r'\(outer\): the return address of call \S+ <inner> has no unwind information$',
                         proc.stderr, re.M)

    def test_setjmp_frame(self, mingw_dll):
        '''MinGW's own setjmp (the caller's frame, for an SEH unwind) fails the check;
        msstun-compat.h's NULL frame passes it.'''
        proc = check_unwind(mingw_dll('setjmp-frame', SETJMP_SOURCE))
        assert proc.returncode == 1
        assert re.search(r': call \S+ <_setjmp> without a NULL frame', proc.stderr), proc.stderr
        proc = check_unwind(mingw_dll('setjmp-null', SETJMP_SOURCE, '-DNULL_FRAME'))
        assert proc.returncode == 0, proc.stderr
        assert '1 setjmp calls (TRY), each with a NULL frame' in proc.stdout
