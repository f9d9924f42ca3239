# SPDX-License-Identifier: GPL-2.0-or-later
"""The command line of the capture scripts:  SCRIPT [--describe | --check] [OUTDIR]

  (none)      builds the captures, verifies them (lib.verify) and writes them into OUTDIR
              (default: captures/)
  --check     writes nothing: the files in OUTDIR must be byte-identical to a fresh build
  --describe  writes nothing: prints every frame of every capture (Markdown), what each
              holds and where every value comes from"""

import hashlib
import os
import sys

from .capture import describe
from .stun import REGISTRY
from .verify import verify_captures

CAPTURES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_files(outdir, files):
    """Writes each name -> bytes of files into outdir (made if missing), a line each."""
    os.makedirs(outdir, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)
        print('%-28s %9d bytes' % (name, len(data)))


def build_files(build):
    """The Captures build() returns (REGISTRY holding just their messages), their files and,
    for the files cut short, the file with every frame whole."""
    REGISTRY.clear()
    caps = build()
    files = {c.name: c.pcap() for c in caps}
    whole = {c.name: (c.pcap(65535), c.snaplen) for c in caps if c.snaplen != 65535}
    return caps, files, whole


def main(argv, build, verify=verify_captures, preamble=()):
    """verify(files, whole) asserts and returns the number of messages it checked."""
    flags = {a for a in argv if a.startswith('--')}
    args = [a for a in argv if not a.startswith('--')]
    if flags - {'--check', '--describe'} or len(args) > 1:
        print('usage: %s [--describe | --check] [OUTDIR]' % os.path.basename(sys.argv[0]), file=sys.stderr)
        return 2
    outdir = args[0] if args else CAPTURES
    caps, files, whole = build_files(build)
    if '--describe' in flags:
        sys.stdout.write(describe(caps, preamble))
        return 0
    if '--check' in flags:
        disk = {}
        for name, data in files.items():
            with open(os.path.join(outdir, name), 'rb') as f:
                disk[name] = f.read()
            assert disk[name] == data, '%s differs from a fresh build' % name
        n = verify(disk, whole)
        print('check OK: %d files identical to a fresh build; %d STUN/MS-TURN messages verified' % (len(files), n))
        return 0
    n = verify(files, whole)
    os.makedirs(outdir, exist_ok=True)
    for name in sorted(files):
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(files[name])
        print('%-32s %7d bytes  sha256 %s' % (name, len(files[name]), hashlib.sha256(files[name]).hexdigest()[:16]))
    print('verified %d STUN/MS-TURN messages' % n)
    return 0
