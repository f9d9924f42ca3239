# conftest.py
# Fixtures in the style of Wireshark's test/fixtures_ws.py: the installed
# tshark, driven in a hermetic environment (TZ=UTC, a temporary HOME, no
# XDG_CONFIG_HOME, WIRESHARK_ABORT_ON_DISSECTOR_BUG=1) with the freshly built
# plugin in the personal plugin folder of that HOME.  tshark ignores personal
# plugins when run as root, so a root test run drops to an unprivileged user.
#
# The global plugin folder is replaced (WIRESHARK_PLUGIN_DIR, which tshark
# honours for unprivileged users) by a copy made of links to every global
# plugin but msstun: a msstun.so installed globally (tools/setup.sh as root)
# would otherwise be loaded instead of the fresh build, with only a "found
# in multiple directories" warning.  Each fixture checks with -G plugins
# that tshark loads exactly the build under test, or stops the run.
#
# Another tshark can be tested in its place (tools/windows.sh runs the suite
# against the Windows tshark under Wine this way); unset, these change nothing:
#   MSSTUN_TSHARK            the tshark command, split like a shell command line
#   MSSTUN_TSHARK_PLATFORM   "windows": the plugin goes to the personal plugin
#                            folder of Wireshark for Windows (WIRESHARK_CONFIG_DIR,
#                            set to HOME/Wireshark, then plugins/X.Y/epan) under
#                            its own file name (msstun.dll); no global-folder mirror
#                            (WIRESHARK_PLUGIN_DIR is Unix-only); paths tshark prints
#                            on Wine's Z: drive are read back as Unix paths; WINE*
#                            variables are passed on; the tests that check the Linux
#                            install layout are skipped (WINDOWS_SKIPS)
#   MSSTUN_TEST_USER         the unprivileged user of a root run ("nobody"); empty:
#                            run tshark as the current user
#   MSSTUN_PLUGIN            the plugin under test (build/msstun.so)
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile

import pytest

TEST_DIR = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(TEST_DIR)
SHARED_CAPTURES = os.path.normpath(os.path.join(SOURCE_DIR, '..', 'shared', 'captures'))
LOCAL_CAPTURES = os.path.join(SOURCE_DIR, 'captures')
UNPRIVILEGED_USER = os.environ.get('MSSTUN_TEST_USER', 'nobody') or None
TSHARK_COMMAND = shlex.split(os.environ.get('MSSTUN_TSHARK', 'tshark'))
WINDOWS = os.environ.get('MSSTUN_TSHARK_PLATFORM', '') == 'windows'
# Tests of the Linux install layout (msstun.so, ~/.local, WIRESHARK_PLUGIN_DIR)
# and of the Linux test program; test/suite_windows.py checks the Windows layout.
WINDOWS_SKIPS = {
    'suite_plugin.py::TestPluginLoaded::test_listed_by_tshark',
    'suite_plugin.py::TestOnlyTheFreshBuild::test_stale_global_copy_would_be_loaded',
    'suite_plugin.py::TestOnlyTheFreshBuild::test_test_environment_leaves_it_out',
    'suite_plugin.py::TestOnlyTheFreshBuild::test_fixture_loads_the_fresh_build_and_the_other_global_plugins',
    'suite_srtp.py::TestSrtpCrypto::test_vectors',
}


def pytest_collection_modifyitems(config, items):
    if not WINDOWS:
        return
    for item in items:
        if item.nodeid.split('/')[-1] in WINDOWS_SKIPS:
            item.add_marker(pytest.mark.skip(reason='Linux install layout (MSSTUN_TSHARK_PLATFORM=windows)'))


def unix_path(path):
    '''A path as tshark prints it, as a path of this machine: under Wine,
    Z:\\tmp\\x is /tmp/x.'''
    if WINDOWS and re.match(r'[A-Za-z]:[\\/]', path):
        path = re.sub(r'[\\/]+', '/', path[2:])
    return path


def windows_output(text):
    '''tshark.exe's output in the Linux tshark's form: line ends are already
    \\n (Python's text mode), and Wine's C runtime names the time zone of TZ=UTC "UT".'''
    return re.sub(r'(\d\d:\d\d:\d\d(?:\.\d+)?) UT\b', r'\1 UTC', text)


def personal_plugin_folder(home, major_minor):
    '''Where tshark looks for the personal plugins of release major_minor.'''
    if WINDOWS:
        return os.path.join(home, 'Wireshark', 'plugins', major_minor, 'epan')
    return os.path.join(home, '.local', 'lib', 'wireshark', 'plugins', major_minor, 'epan')


def plugin_path():
    path = os.environ.get('MSSTUN_PLUGIN', os.path.join(SOURCE_DIR, 'build', 'msstun.so'))
    if not os.path.isfile(path):
        pytest.exit('plugin not built: %s (run tools/test.sh, or set MSSTUN_PLUGIN)' % path, returncode=2)
    return path


_WIRESHARK_VERSION = []


def wireshark_version():
    '''(major, minor) of the installed tshark.'''
    if not _WIRESHARK_VERSION:
        out = subprocess.run(TSHARK_COMMAND + ['--version'], capture_output=True, text=True, check=True).stdout
        m = re.search(r'TShark \(Wireshark\) (\d+)\.(\d+)\.', out)
        assert m, out
        _WIRESHARK_VERSION.append((int(m.group(1)), int(m.group(2))))
    return _WIRESHARK_VERSION[0]


def ws_at_least(major, minor):
    '''True on Wireshark major.minor and newer.  Tests use it where Wireshark
    itself prints something differently between the versions of the matrix
    (4.0, 4.2, 4.4, 4.6), next to a comment saying what changed.'''
    return wireshark_version() >= (major, minor)


def _wireshark_major_minor():
    return '%d.%d' % wireshark_version()


def global_plugin_dir():
    '''The installed tshark's global plugin folder (the X.Y one), as -G folders shows it.'''
    out = subprocess.run(['tshark', '-G', 'folders'], env={'PATH': '/usr/local/bin:/usr/bin:/bin'},
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r'^Global Plugins:\s*(\S.*)$', out, re.M)
    assert m, out
    return m.group(1).strip()


def mirror_global_plugins(global_dir, dest):
    '''Makes dest a plugin folder for WIRESHARK_PLUGIN_DIR: links to everything in
    global_dir (the X.Y folder) and in its parent (global Lua plugins) but msstun.'''
    version = os.path.basename(global_dir)
    parent = os.path.dirname(global_dir)
    os.makedirs(dest)
    for name in os.listdir(parent):
        if os.path.isfile(os.path.join(parent, name)):
            os.symlink(os.path.join(parent, name), os.path.join(dest, name))
    for dirpath, dirnames, filenames in os.walk(global_dir):
        target = os.path.join(dest, version, os.path.relpath(dirpath, global_dir))
        os.makedirs(target, exist_ok=True)
        for name in filenames:
            if os.path.splitext(name)[0] != 'msstun':
                os.symlink(os.path.join(dirpath, name), os.path.join(target, name))
    return dest


class TShark:
    '''Runs the installed tshark with or without the plugin.'''

    def __init__(self, home, run_as, plugin_dir):
        self.home = home
        self.run_as = run_as
        self._boolean_fields = None
        self.env = {
            'PATH': '/usr/local/bin:/usr/bin:/bin',
            'HOME': home,
            'TZ': 'UTC',
            'LC_ALL': 'C.UTF-8',
            'WIRESHARK_ABORT_ON_DISSECTOR_BUG': '1',
            'WIRESHARK_ABORT_ON_TOO_MANY_ITEMS': '1',
        }
        if plugin_dir is not None:
            self.env['WIRESHARK_PLUGIN_DIR'] = plugin_dir
        if WINDOWS:
            self.env['WIRESHARK_CONFIG_DIR'] = 'Z:' + os.path.join(home, 'Wireshark')
            # GLib's console charset, which it would otherwise ask a console
            # that a pipe does not have, with a warning on stderr.
            self.env['LANG'] = 'C.UTF-8'
            self.env.update((k, v) for k, v in os.environ.items() if k.startswith('WINE'))

    def command(self, args):
        cmd = TSHARK_COMMAND + list(args)
        if self.run_as is not None:
            pw = pwd.getpwnam(self.run_as)
            cmd = ['setpriv', '--reuid=%d' % pw.pw_uid, '--regid=%d' % pw.pw_gid,
                   '--clear-groups', '--'] + cmd
        return cmd

    def run(self, args, check=True, timeout=300):
        '''Returns the CompletedProcess; stdout and stderr are text.'''
        proc = subprocess.run(self.command(args), env=self.env, capture_output=True,
                              text=True, timeout=timeout, errors='replace')
        if WINDOWS:
            proc.stdout = windows_output(proc.stdout)
        if check and proc.returncode != 0:
            raise AssertionError('tshark %s failed (%d):\n%s' % (' '.join(args), proc.returncode,
                                                                proc.stderr[-4000:]))
        return proc

    def __call__(self, *args, **kwargs):
        return self.run(args, **kwargs).stdout

    def boolean_fields(self):
        '''The names of the FT_BOOLEAN fields this tshark knows.'''
        if self._boolean_fields is None:
            self._boolean_fields = set()
            for line in self('-G', 'fields').splitlines():
                cols = line.split('\t')
                if len(cols) > 3 and cols[0] == 'F' and cols[3] == 'FT_BOOLEAN':
                    self._boolean_fields.add(cols[2])
        return self._boolean_fields

    def fields(self, capture, fields, dfilter=None, extra=()):
        '''-T fields output as a list of rows (each a list of column strings).

        Wireshark 4.0 prints an FT_BOOLEAN field as 1 or 0, 4.2 and later as
        True or False: the values of boolean fields are given in 4.0's form
        on every version (exactly: True is 1, False is 0).'''
        args = ['-n', '-r', capture, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,']
        if dfilter:
            args += ['-Y', dfilter]
        for f in fields:
            args += ['-e', f]
        args += list(extra)
        out = self.run(args).stdout
        rows = [line.split('\t') for line in out.splitlines()]
        if ws_at_least(4, 2):
            booleans = [i for i, f in enumerate(fields) if f in self.boolean_fields()]
            for row in rows:
                for i in booleans:
                    if i < len(row) and row[i]:
                        row[i] = ','.join({'True': '1', 'False': '0'}[v] for v in row[i].split(','))
        return rows

    def msstun_plugins(self):
        '''The paths of the msstun.so (msstun.dll) files tshark loads, and its warnings.'''
        proc = self.run(['-G', 'plugins'])
        paths = [unix_path(line.split('\t')[-1].strip()) for line in proc.stdout.splitlines()
                 if line.startswith(('msstun.so', 'msstun.dll'))]
        return paths, proc.stderr


def _check_plugins(ts, expected):
    paths, warnings = ts.msstun_plugins()
    if paths != expected or warnings:
        pytest.exit('tshark does not load exactly the msstun build under test: it loads %s (expected %s)%s'
                    % (paths, expected, ', and warns: ' + warnings.strip() if warnings else ''), returncode=2)


def _make_home(root, name, run_as, plugin=None, major_minor=None):
    home = os.path.join(root, name)
    os.makedirs(home)
    if plugin:
        epan = personal_plugin_folder(home, major_minor)
        os.makedirs(epan)
        shutil.copy(plugin, os.path.join(epan, os.path.basename(plugin) if WINDOWS else 'msstun.so'))
    if run_as is not None:
        pw = pwd.getpwnam(run_as)
        for dirpath, dirnames, filenames in os.walk(home):
            os.chown(dirpath, pw.pw_uid, pw.pw_gid)
            for f in filenames:
                os.chown(os.path.join(dirpath, f), pw.pw_uid, pw.pw_gid)
    return home


@pytest.fixture(scope='session')
def ws_root():
    root = tempfile.mkdtemp(prefix='msstun-test-')
    os.chmod(root, 0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope='session')
def run_as():
    return UNPRIVILEGED_USER if os.geteuid() == 0 else None


@pytest.fixture(scope='session')
def major_minor():
    return _wireshark_major_minor()


@pytest.fixture(scope='session')
def plugin_dir(ws_root):
    '''The global plugin folder of the test runs: the installed one without msstun
    (None for Windows: tools/windows.sh's tshark has no other plugin).'''
    if WINDOWS:
        return None
    return mirror_global_plugins(global_plugin_dir(), os.path.join(ws_root, 'global-plugins'))


@pytest.fixture(scope='session')
def tshark(ws_root, run_as, major_minor, plugin_dir):
    '''tshark with the freshly built plugin in its personal plugin folder, and only that one.'''
    home = _make_home(ws_root, 'with-plugin', run_as, plugin_path(), major_minor)
    ts = TShark(home, run_as, plugin_dir)
    _check_plugins(ts, [os.path.join(personal_plugin_folder(home, major_minor),
                                     os.path.basename(plugin_path()) if WINDOWS else 'msstun.so')])
    return ts


@pytest.fixture(scope='session')
def tshark_builtin(ws_root, run_as, plugin_dir):
    '''tshark as shipped, without the plugin (the baseline to compare with).'''
    ts = TShark(_make_home(ws_root, 'without-plugin', run_as), run_as, plugin_dir)
    _check_plugins(ts, [])
    return ts


def _capture_resolver(folder, what):
    '''A function from a capture's path under folder to its full path, which must exist.'''
    def resolve(relpath):
        path = os.path.join(folder, relpath)
        assert os.path.isfile(path), 'missing %s %s' % (what, path)
        return path
    return resolve


@pytest.fixture(scope='session')
def shared_capture():
    return _capture_resolver(SHARED_CAPTURES, 'shared capture')


@pytest.fixture(scope='session')
def local_capture():
    return _capture_resolver(LOCAL_CAPTURES, 'capture (captures/ generators)')


def generated_inputs(ws_root, folder, write):
    '''A function (name, what) -> the path of a generated input in the session's temporary
    folder ws_root/folder, readable by every user: write(path, what) makes it the first time
    it is asked for.'''
    d = os.path.join(ws_root, folder)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)

    def made(name, what):
        path = os.path.join(d, name)
        if not os.path.exists(path):
            write(path, what)
            os.chmod(path, 0o644)
        return path
    return made


def write_bytes(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def cached_fields(ts):
    '''ts.fields(capture, names, dfilter, extra) with each distinct run done once (for a
    module-scoped fixture of a suite that asks for the same rows in many tests).'''
    cache = {}

    def fields(capture, names, dfilter=None, extra=()):
        key = (capture, tuple(names), dfilter, tuple(extra))
        if key not in cache:
            cache[key] = ts.fields(capture, names, dfilter, list(extra))
        return cache[key]
    return fields


def all_shared_captures():
    found = []
    for dirpath, dirnames, filenames in os.walk(SHARED_CAPTURES):
        for f in filenames:
            if f.endswith(('.pcap', '.pcapng')):
                found.append(os.path.relpath(os.path.join(dirpath, f), SHARED_CAPTURES))
    return sorted(found)


def all_local_captures():
    if not os.path.isdir(LOCAL_CAPTURES):
        return []
    return sorted(f for f in os.listdir(LOCAL_CAPTURES) if f.endswith(('.pcap', '.pcapng')))
