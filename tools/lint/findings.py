"""Collects the findings of tools/lint.sh's checkers and compares them with
the allowlist.

Usage: findings.py OUTDIR SRCDIR ALLOWLIST

OUTDIR holds NAME.out, the output of checker NAME.  Each line that reports
something becomes the finding "NAME: line", with ANSI colours removed and
SRCDIR/ removed from paths; the checkers' headers, file lists and totals
are not findings.  ALLOWLIST lines are "checker | regex | reason" (regex:
Python, searched in the finding's text after "NAME: "); '#' starts a
comment line.  Prints every finding not allowed and every allowlist entry
that allowed nothing, and exits 1 if there is any.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import os
import re
import sys

ANSI = re.compile(r'\x1b\[[0-9;]*m')
# Lines of the Python checkers that report no finding.
NOISE = re.compile(r'^(Examining:'
                   r'|\d+ (warnings?|errors?|issues)( found)?'
                   r'|Protocol is: .*'
                   r'|\S+ : \d+ label-vs-filter matches of out of \d+ so reporting mismatches'
                   r'|[\w.-]+ : \d+)$')   # check_spelling's per-word totals


def findings(outdir, srcdir):
    found = []
    for name in sorted(os.listdir(outdir)):
        if not name.endswith('.out'):
            continue
        checker = name[:-4]
        with open(os.path.join(outdir, name), encoding='utf-8', errors='replace') as f:
            for line in f:
                line = ANSI.sub('', line).rstrip().replace(srcdir + '/', '')
                if not line.strip() or NOISE.match(line.strip()):
                    continue
                if checker == 'cppcheck' and (': note: ' in line or not re.search(r'\[\w+\]$', line)):
                    continue    # cppcheck's code excerpts and notes
                words = line.split()
                if words and all(w.endswith('.c') for w in words):
                    continue    # the Python checkers' list of examined files
                if (checker, line.strip()) not in found:
                    found.append((checker, line.strip()))
    return found


def allowlist(path):
    entries = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            parts = [p.strip() for p in line.split(' | ')]
            if len(parts) != 3 or not all(parts):
                sys.exit(f'{path}:{number}: not "checker | regex | reason"')
            entries.append((number, parts[0], re.compile(parts[1]), parts[2]))
    return entries


def main():
    outdir, srcdir, allow_path = sys.argv[1:4]
    entries = allowlist(allow_path)
    used = set()
    failures = 0
    allowed = 0
    for checker, text in findings(outdir, srcdir):
        hits = [e for e in entries if e[1] == checker and e[2].search(text)]
        if hits:
            used.update(e[0] for e in hits)
            allowed += 1
        else:
            print(f'{checker}: {text}')
            failures += 1
    for number, checker, regex, _ in entries:
        if number not in used:
            print(f'{allow_path}:{number}: stale entry, nothing matches: {checker} | {regex.pattern}')
            failures += 1
    print(f'lint: {failures} findings, {allowed} allowed by {allow_path}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
