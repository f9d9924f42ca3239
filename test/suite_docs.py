# suite_docs.py
# Every command in README.md and docs/*.md runs here, so that a recipe
# cannot rot.
#
# The documents mark a command to run as a fenced block with the info
# string "sh example".  What it must print follows it, as either or both of:
#   - a fenced block with the info string "text output": each of its lines
#     must be a line of the output, in that order (runs of spaces count as
#     one; a line "..." stands for lines left out);
#   - a comment "<!-- expect-lines: N -->": the output has exactly N lines.
# The block runs with /bin/sh in the source directory, as the `tshark`
# fixture's user with its environment (its HOME holds the build under test,
# its global plugin folder no other msstun), so `tshark` in an example is
# the fixture's tshark.  It must exit 0 and write nothing to stderr.  Under
# a Windows tshark (MSSTUN_TSHARK_PLATFORM=windows, tools/windows.sh test)
# `tshark` in an example is that tshark.exe, through a `tshark` script first
# on PATH, and its output is read as the other tests read it.
#
# Any other shell block, and any inline `tshark ...`, `tools/...` or
# `bench/...` command, must either be part of an example or be listed in
# NOT_RUN below with the reason it cannot run in a test.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import glob
import os
import pwd
import re
import shlex
import subprocess

import pytest

from conftest import SOURCE_DIR, TSHARK_COMMAND, WINDOWS, windows_output

DOCUMENTS = ['README.md'] + sorted(os.path.relpath(p, SOURCE_DIR)
                                   for p in glob.glob(os.path.join(SOURCE_DIR, 'docs', '*.md')))

# Commands shown in the documents that the suite does not run, with why.
NOT_RUN = {
    'tools/setup.sh': 'installs packages with apt and the plugin into a plugin folder: changes the machine',
    'tools/test.sh': 'the suite that runs this test',
    'tools/deps.sh': 'installs packages with apt',
    'tools/build.sh': 'the build the suite itself starts with (tools/test.sh runs it)',
    'tools/install.sh': 'copies the plugin into a plugin folder outside the checkout',
    'tools/install.sh --uninstall': 'removes the plugin from a plugin folder outside the checkout',
    'tools/package.sh': 'builds a Debian package (dpkg-buildpackage); tools/matrix.sh runs it',
    'sudo apt-get install ./dist/wireshark-msstun_*.deb': 'installs a package into the system',
    'tools/matrix.sh all': 'debootstrap roots and the whole suite per Wireshark version: tens of minutes, root',
    'tools/matrix.sh 4.6': 'as tools/matrix.sh all, for one version',
    'tools/matrix.sh --host-ran-suite all': 'as tools/matrix.sh all, the host\'s own release without its suite',
    'tools/matrix.sh --gui 4.4': 'Qt GUI under Xvfb in a debootstrap root: root, minutes; CI runs it',
    'tools/robustness.sh --quick': 'minutes of sanitizer and valgrind runs; CI runs it',
    'tools/windows.sh': 'cross-builds two Wiresharks and their dependencies as root (over an hour the first time); CI runs it',
    'tools/windows.sh STAGE...': 'stages of tools/windows.sh, as above',
    'tools/windows.sh test': 'the whole suite under Wine against each cross-built Windows tshark: over half an hour',
    'tools/test.sh test -m "not slow and not hostile"': 'the suite that runs this test, in part',
    'tools/lint.sh': 'downloads Wireshark source packages as root on its first run; CI runs it',
    'tools/gui-lifecycle.sh [CAPTURE...]': 'drives the Qt GUI under Xvfb for minutes; test/suite_gui.py runs it',
    'tools/robustness.sh': 'about 35 minutes of sanitizer and valgrind runs',
    'tools/fuzz.sh --seconds 45': 'needs clang with libFuzzer and minutes of CPU; CI runs it',
    'tools/fuzz.sh --target tcp443 --seconds 600': 'a fuzzing run: ten minutes of CPU',
    'tools/fuzz.sh --coverage': 'needs clang and llvm-cov, and minutes of CPU',
    'tools/matrix.sh --fuzz 20 4.2 4.4 4.6': 'the fuzzing harness in each debootstrap root: root, minutes',
    'bench/run.sh': 'a benchmark: 5 to 12 minutes of CPU, figures not checked',
    'BENCH_CALLGRIND=1 bench/run.sh': 'a benchmark under valgrind: tens of minutes',
    'bench/srtp.sh': 'a benchmark: minutes of CPU, figures not checked',
    'tools/screenshot.sh': 'drives the Wireshark GUI under Xvfb (packages not installed by tools/deps.sh)',
    'tools/screenshot.sh rtp': 'as tools/screenshot.sh, one screenshot',
    'tools/test.sh test/suite_docs.py': 'this test',
    'tools/test.sh test/suite_srtp.py -k roc': 'a part of the suite that runs this test',
    'tshark --version': 'prints the version of whatever tshark is installed: nothing to check',
    'tshark -G fields | grep msstun': 'the field list changes with the plugin; the cheat sheet filters are checked instead',
}

FENCE = re.compile(r'^( *)(`{3,})(.*)$')
INLINE = re.compile(r'`([^`\n]+)`')
EXPECT_LINES = re.compile(r'^<!--\s*expect-lines:\s*(\d+)\s*-->\s*$')
INLINE_COMMAND = re.compile(r'^(tshark |tools/\S+\.sh|bench/\S+\.sh|BENCH_\w+=\S* bench/)')


class Block:
    def __init__(self, document, line, info, text):
        self.document = document
        self.line = line
        self.info = info.strip()
        self.text = text
        self.expected = None        # lines of a following "text output" block
        self.expect_lines = None    # from a following expect-lines comment

    @property
    def name(self):
        return '%s:%d' % (self.document, self.line)


def parse(document):
    '''The fenced blocks of a document, each "sh example" with what it expects,
    and the inline code spans outside the blocks.'''
    with open(os.path.join(SOURCE_DIR, document), encoding='utf-8') as f:
        lines = f.read().splitlines()
    blocks, inline = [], []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            inline += [(i + 1, span) for span in INLINE.findall(lines[i])]
            i += 1
            continue
        indent, fence, info, start = len(m.group(1)), m.group(2), m.group(3), i
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i][indent:] if lines[i][:indent].strip() == '' else lines[i])
            i += 1
        i += 1
        blocks.append(Block(document, start + 1, info, '\n'.join(body)))
    # Attach each example's expectations: the blocks and comments right after it.
    for n, block in enumerate(blocks):
        if block.info != 'sh example':
            continue
        after = blocks[n + 1] if n + 1 < len(blocks) else None
        if after is not None and after.info == 'text output' and _only_blank_between(lines, block, after):
            block.expected = after.text.splitlines()
            end = after.line + len(after.text.splitlines()) + 1
        else:
            end = block.line + len(block.text.splitlines()) + 1
        for line in lines[end:end + 3]:
            m = EXPECT_LINES.match(line.strip())
            if m:
                block.expect_lines = int(m.group(1))
    return blocks, inline


def _only_blank_between(lines, block, after):
    end = block.line + len(block.text.splitlines()) + 1
    return all(not line.strip() for line in lines[end:after.line - 1])


def commands_of(text):
    '''The command lines of a shell block: continuation lines joined, comments dropped.'''
    commands, current = [], ''
    for line in text.splitlines():
        line = line.rstrip()
        if current:
            line = ' ' + line.lstrip()
        if line.endswith('\\'):
            current += line[:-1]
            continue
        line = current + line
        current = ''
        line = re.sub(r'\s+#.*$', '', line) if not line.lstrip().startswith('#') else ''
        if line.strip():
            commands.append(' '.join(line.split()))
    return commands


def all_parsed():
    return {document: parse(document) for document in DOCUMENTS}


PARSED = all_parsed()
EXAMPLES = [block for blocks, _ in PARSED.values() for block in blocks if block.info == 'sh example']


def _normalise(line):
    return ' '.join(line.split())


def tshark_on_path(tshark):
    '''The environment of an example: the fixture's, and under a Windows tshark
    a `tshark` script that runs it (MSSTUN_TSHARK) first on PATH.'''
    if not WINDOWS:
        return tshark.env
    folder = os.path.join(tshark.home, 'bin')
    script = os.path.join(folder, 'tshark')
    if not os.path.exists(script):
        os.makedirs(folder, exist_ok=True)
        with open(script, 'w', encoding='utf-8') as f:
            f.write('#!/bin/sh\nexec %s "$@"\n' % shlex.join(TSHARK_COMMAND))
        os.chmod(script, 0o755)
    return dict(tshark.env, PATH=folder + ':' + tshark.env['PATH'])


def run_example(tshark, block):
    cmd = ['/bin/sh', '-c', block.text]
    if tshark.run_as is not None:
        pw = pwd.getpwnam(tshark.run_as)
        cmd = ['setpriv', '--reuid=%d' % pw.pw_uid, '--regid=%d' % pw.pw_gid, '--clear-groups', '--'] + cmd
    proc = subprocess.run(cmd, env=tshark_on_path(tshark), cwd=SOURCE_DIR, capture_output=True, text=True,
                          timeout=300, errors='replace')
    if WINDOWS:
        proc.stdout = windows_output(proc.stdout)
    return proc


def test_documents_have_examples():
    '''The marker is in use: README.md and every guide hold examples (a typo in the
    info string would otherwise leave a document untested).'''
    assert len(DOCUMENTS) >= 8, DOCUMENTS
    with_examples = {block.document for block in EXAMPLES}
    assert 'README.md' in with_examples
    # These two show only commands that cannot run in a test (NOT_RUN).
    setup_only = {'docs/install.md', 'docs/developer.md'}
    assert [d for d in DOCUMENTS if d not in with_examples and d not in setup_only] == []


@pytest.mark.parametrize('block', EXAMPLES, ids=[block.name for block in EXAMPLES])
def test_example(tshark, block):
    assert block.expected is not None or block.expect_lines is not None, \
        '%s: an example states no expected output ("text output" block or expect-lines comment)' % block.name
    proc = run_example(tshark, block)
    assert proc.returncode == 0, '%s exited %d:\n%s' % (block.name, proc.returncode, proc.stderr[-3000:])
    assert proc.stderr == '', '%s wrote to stderr:\n%s' % (block.name, proc.stderr[-3000:])
    out = proc.stdout.splitlines()
    if block.expect_lines is not None:
        assert len(out) == block.expect_lines, '%s printed %d lines, the document says %d:\n%s' % (
            block.name, len(out), block.expect_lines, proc.stdout[-3000:])
    if block.expected is not None:
        actual = [_normalise(line) for line in out]
        position = 0
        for want in block.expected:
            if want.strip() in ('', '...'):
                continue
            want = _normalise(want)
            try:
                position = actual.index(want, position) + 1
            except ValueError:
                pytest.fail('%s: the document shows the line\n  %s\nwhich is not in the output (in order):\n%s'
                            % (block.name, want, proc.stdout[-4000:]))


def test_every_command_runs_or_is_listed():
    '''No shell block or inline command escapes the test: each is an example,
    or NOT_RUN says why not; and NOT_RUN lists nothing the documents lost.'''
    example_commands = set()
    for block in EXAMPLES:
        example_commands.update(commands_of(block.text))
    example_text = '\n'.join(block.text for block in EXAMPLES)
    unlisted, used = [], set()
    for document, (blocks, inline) in PARSED.items():
        for block in blocks:
            if block.info in ('sh example', 'text output') or not block.info.startswith(('sh', 'bash')):
                continue
            for command in commands_of(block.text):
                if command in NOT_RUN:
                    used.add(command)
                else:
                    unlisted.append('%s: %s' % (block.name, command))
        for line, span in inline:
            if not INLINE_COMMAND.match(span):
                continue
            if span in NOT_RUN:
                used.add(span)
            elif span not in example_text:
                unlisted.append('%s:%d: `%s`' % (document, line, span))
    assert unlisted == [], 'commands neither run as examples nor listed in NOT_RUN:\n' + '\n'.join(unlisted)
    assert sorted(set(NOT_RUN) - used) == [], 'NOT_RUN lists commands no document shows'


def test_bundled_captures_only():
    '''Every capture or keys file a document names exists in the checkout.'''
    missing = []
    for document in DOCUMENTS:
        with open(os.path.join(SOURCE_DIR, document), encoding='utf-8') as f:
            text = f.read()
        for name in set(re.findall(r'\b(captures/[\w./-]+\.(?:pcapng|pcap|txt|keys|key))\b', text)):
            if not os.path.isfile(os.path.join(SOURCE_DIR, name)):
                missing.append('%s: %s' % (document, name))
        # A capture named without its folder must be one of the bundled ones too.
        for name in set(re.findall(r'(?<![\w/.-])([\w.-]+\.pcap(?:ng)?)\b', text)):
            if not glob.glob(os.path.join(SOURCE_DIR, 'captures', '**', name), recursive=True):
                missing.append('%s: %s' % (document, name))
        for name in set(re.findall(r'\b(docs/[\w.-]+\.(?:png|md))\b', text)):
            if not os.path.isfile(os.path.join(SOURCE_DIR, name)):
                missing.append('%s: %s' % (document, name))
    assert missing == []


def cheat_sheet_filters():
    with open(os.path.join(SOURCE_DIR, 'docs', 'filters.md'), encoding='utf-8') as f:
        return re.findall(r'^\| `([^`]+)` \|', f.read(), re.M)


def test_cheat_sheet_filters_compile(tshark, local_capture):
    '''Each display filter of the cheat sheet in docs/filters.md is valid for this
    tshark with the plugin (a renamed field fails here).'''
    filters = cheat_sheet_filters()
    assert len(filters) >= 15, filters
    failed = []
    for dfilter in filters:
        proc = tshark.run(['-n', '-r', local_capture('msturn-udp3478.pcap'), '-Y', dfilter, '-c', '1'], check=False)
        if proc.returncode != 0 or proc.stderr:
            failed.append('%s: %s' % (dfilter, proc.stderr.strip()))
    assert failed == []


def test_readme_names_the_packages_deps_installs():
    '''The README's list of Debian packages is the one tools/deps.sh installs.'''
    with open(os.path.join(SOURCE_DIR, 'tools', 'deps.sh'), encoding='utf-8') as f:
        m = re.search(r'^PACKAGES="([^"]*)"', f.read(), re.M)
    deps = m.group(1).replace('\\\n', ' ').split()
    with open(os.path.join(SOURCE_DIR, 'README.md'), encoding='utf-8') as f:
        readme = ' '.join(f.read().split())
    m = re.search(r'apt-get installs what is missing of `([^`]*)`', readme)
    assert m, 'README.md does not list the packages of tools/deps.sh'
    assert m.group(1).split() == deps
