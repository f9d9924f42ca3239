# costs.py
# What a tshark run costs: CPU time (user + system, from wait4) and peak
# resident memory; the least CPU time of a few runs, since noise only adds.
# The hostile-input suites use it to show that the plugin's cost grows
# linearly with a crafted input and stays within a small factor of tshark
# without the plugin on the same file.  Each comparison prints one "cost:"
# line (pytest -s shows them; tools/robustness.sh --only hostile collects
# them).  MSSTUN_HOSTILE_SCALE multiplies the sizes the suites choose (CI
# runs them at 1, tools/robustness.sh at 4).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass

# CPU time below which two runs cannot be told apart on a busy machine.
NOISE_SECONDS = 0.15
SCALE = int(os.environ.get('MSSTUN_HOSTILE_SCALE', '1'))


@dataclass
class Cost:
    cpu: float          # seconds, user + system
    rss_kb: int         # peak resident set size


def measure_run(ts, args, timeout):
    """One run of "tshark ARGS" by ts, killed after timeout seconds: (exit
    status as os.wait4 gives it, Cost, standard error)."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(ts.command(args), env=ts.env, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors='replace')
    return status, Cost(usage.ru_utime + usage.ru_stime, usage.ru_maxrss), stderr


def _measure_once(ts, args, timeout):
    status, cost, stderr = measure_run(ts, args, timeout)
    code = os.waitstatus_to_exitcode(status)
    assert code == 0, 'tshark %s exited with %d (killed after %d s?):\n%s' % (
        ' '.join(args), code, timeout, stderr[-2000:])
    assert not stderr, 'tshark %s wrote to stderr:\n%s' % (' '.join(args), stderr[-2000:])
    return cost


def run_cost(ts, args, repeats=2, timeout=300):
    '''The cost of "tshark ARGS" run by ts (a conftest.TShark): the least CPU
    time and the largest peak RSS over repeats runs.  A run that fails, times
    out or prints to stderr fails the test.'''
    runs = [_measure_once(ts, list(args), timeout) for _ in range(repeats)]
    return Cost(min(r.cpu for r in runs), max(r.rss_kb for r in runs))


def assert_linear(name, tshark, tshark_builtin, make_capture, n, args=(), growth=5.0, ratio=4.0,
                  rss_ratio=2.0, repeats=2, timeout=300):
    '''make_capture(n) returns the path of the crafted input of size n.  The
    plugin's cost is measured at n and 4n (n scaled by MSSTUN_HOSTILE_SCALE),
    and so is tshark's without the plugin.  Fails when the plugin's own share
    (CPU time above tshark without it) grows more than growth times from n to
    4n (a share under NOISE_SECONDS at n counts as NOISE_SECONDS), or when
    tshark with the plugin costs more than ratio times tshark without it on
    the 4n input (with NOISE_SECONDS of slack), or when its
    peak RSS there is more than rss_ratio times tshark's without it.'''
    n *= SCALE
    small, large = make_capture(n), make_capture(4 * n)
    with_small = run_cost(tshark, list(args) + ['-r', small], repeats, timeout)
    with_large = run_cost(tshark, list(args) + ['-r', large], repeats, timeout)
    without_small = run_cost(tshark_builtin, ['-r', small], repeats, timeout)
    without_large = run_cost(tshark_builtin, ['-r', large], repeats, timeout)
    own_small = max(with_small.cpu - without_small.cpu, 0.0)
    own_large = max(with_large.cpu - without_large.cpu, 0.0)
    print('cost: %s n=%d with %.2f s %d kB without %.2f s %d kB; n=%d with %.2f s %d kB without %.2f s %d kB'
          % (name, n, with_small.cpu, with_small.rss_kb, without_small.cpu, without_small.rss_kb,
             4 * n, with_large.cpu, with_large.rss_kb, without_large.cpu, without_large.rss_kb))
    # Below NOISE_SECONDS the plugin's share at n cannot be told from zero.
    assert own_large <= growth * max(own_small, NOISE_SECONDS), (
        '%s: the plugin costs %.2f s at n=%d and %.2f s at n=%d (more than %.0fx)'
        % (name, own_small, n, own_large, 4 * n, growth))
    assert with_large.cpu <= ratio * without_large.cpu + NOISE_SECONDS, (
        '%s: %.2f s with the plugin, %.2f s without it (more than %.0fx)'
        % (name, with_large.cpu, without_large.cpu, ratio))
    assert with_large.rss_kb <= rss_ratio * without_large.rss_kb, (
        '%s: peak RSS %d kB with the plugin, %d kB without it (more than %.1fx)'
        % (name, with_large.rss_kb, without_large.rss_kb, rss_ratio))
    return with_small, with_large, without_small, without_large
