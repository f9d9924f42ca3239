#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/srtp-hostile.py - the cost of SRTP decryption on the hostile inputs
of issue 25 (cases 1 to 4 and 10) at the sizes of the issue, and the memory
per key listed and per stream bound.

Usage:  python3 bench/srtp-hostile.py [BEFORE_PLUGIN]

Makes the inputs with captures/gen_hostile_srtp.py in a temporary folder,
then runs tshark (as test/conftest.py does: an unprivileged user when run
as root, the plugin in a private HOME) with the plugin under test
(MSSTUN_PLUGIN, default build/msstun.so), with BEFORE_PLUGIN when given (an
earlier build, to compare), and without the plugin.  Prints per case the
CPU time (user + system, the least of BENCH_REPS runs, default 2) and
peak RSS of each; a run killed after 60 s says so.  Never fails on a figure.
"""

import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'test'))
sys.path.insert(0, os.path.join(ROOT, 'captures'))
import conftest as C  # noqa: E402
import costs  # noqa: E402
import gen_hostile_srtp as H  # noqa: E402

REPS = int(os.environ.get('BENCH_REPS', '2'))
TIMEOUT = 60
STREAMS = 300


def measure(ts, args):
    """(note, CPU seconds, peak RSS kB): the least CPU time of REPS runs."""
    best = None
    for _ in range(REPS):
        status, cost, _ = costs.measure_run(ts, args, TIMEOUT)
        if os.WIFSIGNALED(status):
            return 'killed after %d s' % TIMEOUT, cost.cpu, cost.rss_kb
        if best is None or cost.cpu < best[1]:
            best = ('', cost.cpu, cost.rss_kb)
    return best


def tsharks(root, before):
    mm = C._wireshark_major_minor()
    run_as = C.UNPRIVILEGED_USER if os.geteuid() == 0 else None
    plugin_dir = C.mirror_global_plugins(C.global_plugin_dir(), os.path.join(root, 'global-plugins'))
    out = [('after', C.TShark(C._make_home(root, 'after', run_as, C.plugin_path(), mm), run_as, plugin_dir))]
    if before:
        out.append(('before', C.TShark(C._make_home(root, 'before', run_as, before, mm), run_as, plugin_dir)))
    out.append(('without', C.TShark(C._make_home(root, 'without', run_as), run_as, plugin_dir)))
    return out


def main(argv):
    root = tempfile.mkdtemp(prefix='msstun-bench-hostile-')
    os.chmod(root, 0o755)

    def write(name, data):
        path = os.path.join(root, name)
        with open(path, 'wb') as f:
            f.write(data)
        os.chmod(path, 0o644)
        return path
    try:
        fifo = os.path.join(root, 'keys.fifo')
        os.mkfifo(fifo, 0o666)
        os.chmod(fifo, 0o666)
        keys100, keys80k = write('keys100.txt', H.keys_text(100)), write('keys80k.txt', H.keys_text(80000))
        no_rtp = write('no-rtp.pcap', H.no_rtp())
        cases = [
            ('1: 600 SDP keys, 20 new SSRCs', write('case1.pcap', H.many_sdp_keys(20)), []),
            ('2: 100 keys, 400 new SSRCs', write('case2.pcap', H.new_ssrcs(400)), keys100),
            ('2b: 100 keys, 400 SSRCs x 2 packets', write('case2b.pcap', H.plausible_ssrcs(400)), keys100),
            ('3: load 80,000 keys', no_rtp, keys80k),
            ('4: 80,000 keys, 1 datagram', write('case4.pcap', H.one_datagram()), keys80k),
            ('10: keys file /dev/zero', no_rtp, '/dev/zero'),
            ('10: keys file a FIFO', no_rtp, fifo),
        ]
        runs = tsharks(root, argv[0] if argv else None)
        print('%-38s %s' % ('case', '  '.join('%-22s' % name for name, _ in runs)))
        for name, cap, keys in cases:
            cells = []
            for variant, ts in runs:
                args = ['-n', '-r', cap]
                if keys and variant != 'without':
                    args += ['-o', 'msstun.srtp_keys:' + keys]
                note, cpu, rss = measure(ts, args)
                cells.append('%-22s' % (note or '%.2f s %d MB' % (cpu, rss // 1024)))
            print('%-38s %s' % (name, '  '.join(cells)))
            sys.stdout.flush()
        # Memory: per key listed (80,000 keys against 1, no RTP) and per
        # stream bound (STREAMS streams of 3 packets, each under its own key,
        # against the same keys and no RTP; few enough that the search's
        # bound lets every stream bind).
        ts = runs[0][1]
        streams = STREAMS
        one = write('keys1.txt', H.keys_text(1))
        keys_s = write('keys-streams.txt', H.keys_text(streams))
        bound = write('bound.pcap', H.bound_streams(streams))
        rss_1 = measure(ts, ['-r', no_rtp, '-o', 'msstun.srtp_keys:' + one])[2]
        rss_80k = measure(ts, ['-r', no_rtp, '-o', 'msstun.srtp_keys:' + keys80k])[2]
        rss_keys = measure(ts, ['-r', no_rtp, '-o', 'msstun.srtp_keys:' + keys_s])[2]
        _, cpu_b, rss_bound = measure(ts, ['-r', bound, '-o', 'msstun.srtp_keys:' + keys_s])
        ssrcs = subprocess.run(ts.command(['-r', bound, '-o', 'msstun.srtp_keys:' + keys_s, '-T', 'fields',
                                           '-e', 'rtp.ssrc', '-Y', 'msstun.srtp.auth.status == 1']),
                               env=ts.env, capture_output=True, text=True).stdout.split()
        print('bound streams: %d of %d, %d of their %d packets decrypted (the first packets past the first '
              'packets\' bound from their second packet on)' % (len(set(ssrcs)), streams, len(ssrcs), 3 * streams))
        print('memory per key listed: %.0f bytes of peak RSS (80,000 keys: %d MB, 1 key: %d MB)'
              % ((rss_80k - rss_1) * 1024.0 / 79999, rss_80k // 1024, rss_1 // 1024))
        print('memory per bound stream (3 packets): %.0f bytes of peak RSS (%d streams: %d MB, their keys alone: '
              '%d MB; %.2f s)' % ((rss_bound - rss_keys) * 1024.0 / streams, streams, rss_bound // 1024,
                                  rss_keys // 1024, cpu_b))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
