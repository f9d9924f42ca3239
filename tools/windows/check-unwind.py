#!/usr/bin/env python3
# check-unwind.py DLL...: every frame of a 64-bit Windows DLL that can be on
# the stack when an exception unwinds through it has unwind information.
#
# Wireshark's TRY/CATCH (epan/exceptions.h) is setjmp/longjmp.  The official
# Windows Wireshark is built by MSVC, whose longjmp on x64 unwinds the stack
# with RtlUnwindEx, frame by frame, from the throw up to the CATCH: a frame
# of msstun.dll between the two (a dissector calling a proto_tree_add_*
# that throws) is unwound by the RUNTIME_FUNCTION entry (.pdata) covering
# its return address, and a frame without one is taken for a leaf (return
# address at [rsp]), which is wrong for any function that pushed registers
# or moved rsp: the unwind goes astray.  A frame is on the stack during an
# unwind only while it calls, so from the disassembly:
#   - every call instruction's return address lies in a .pdata entry;
#   - where the DLL has its symbols, every function that is not a leaf
#     (that calls) starts inside one, and so does each of its instructions
#     that moves rsp (push, sub/add/lea/mov/and to %rsp).
# Code that moves rsp but calls nothing (libgcc's ___chkstk_ms, mingw-w64's
# exp2l) is a leaf: never a frame of an unwind, listed but not an error.
# GNU ld puts the constructor and destructor lists (pointers) at the end of
# .text: they are data, whose bytes can read as a call (an image base with
# an 0xe8 byte), so they are left out of the disassembly.
# And msstun's own TRY blocks ask for no unwind at all: each setjmp call
# passes a NULL frame (msstun-compat.h), so that longjmp back to them
# restores registers without RtlUnwindEx (an unwind ending in a GCC frame
# gives STATUS_BAD_STACK).
# Exit status 1, with the uncovered addresses and functions, otherwise.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import bisect
import os
import re
import struct
import subprocess
import sys

OBJDUMP = os.environ.get('MSSTUN_OBJDUMP', 'x86_64-w64-mingw32-objdump')
SETJMP = re.compile(r'<(_setjmp|setjmp|_setjmpex|__intrinsic_setjmp|__intrinsic_setjmpex)>|__imp__?setjmp')
PREFIXES = {'lock', 'rep', 'repz', 'repe', 'repnz', 'repne', 'bnd', 'notrack', 'data16', 'addr32', 'cs', 'ds'}


def objdump(*args):
    return subprocess.run([OBJDUMP] + list(args), capture_output=True, text=True, check=True).stdout


def text_section(dll):
    '''(1-based section number, start, end, file offset) of .text.'''
    for line in objdump('-h', dll).splitlines():
        f = line.split()
        if len(f) >= 6 and f[1] == '.text':
            start = int(f[3], 16)
            return int(f[0]) + 1, start, start + int(f[2], 16), int(f[5], 16)
    raise SystemExit('%s: no .text section' % dll)


def pointer_lists(dll, start, end, offset):
    '''The (begin, end) addresses of .text's constructor and destructor lists:
    a word of all ones, pointers into .text, a word of zeros (64-bit words).'''
    with open(dll, 'rb') as f:
        f.seek(offset)
        text = f.read(end - start)
    lists = []
    head = text.find(b'\xff' * 8)
    while head >= 0:
        for tail in range(head + 8, len(text) - 7, 8):
            word, = struct.unpack_from('<Q', text, tail)
            if word == 0:
                lists.append((start + head, start + tail + 8))
            if not start <= word < end:
                break
        head = text.find(b'\xff' * 8, head + 1)
    return lists


def function_table(dll):
    '''The sorted (begin, end) of the .pdata entries (end exclusive).'''
    out = objdump('-x', dll)
    head = out.find('The Function Table (interpreted .pdata section contents)')
    entries = []
    if head >= 0:
        for m in re.finditer(r'^ [0-9a-f]+:\t([0-9a-f]+) ([0-9a-f]+) [0-9a-f]+$', out[head:], re.M):
            entries.append((int(m.group(1), 16), int(m.group(2), 16)))
    return sorted(entries)


def symbols(dll, section, base):
    '''{address: name} of the .text symbols, and the set of those that are functions.'''
    names, functions = {}, set()
    for m in re.finditer(r'^\[ *\d+\]\(sec +(\d+)\)\(fl 0x[0-9a-f]+\)\(ty +([0-9a-f]+)\)\(scl +\d+\) \(nx \d\) '
                         r'0x([0-9a-f]+) (\S+)$', objdump('-t', dll), re.M):
        if int(m.group(1)) != section:
            continue
        address = base + int(m.group(3), 16)
        if m.group(4) != '.text' or address not in names:
            names[address] = m.group(4)
        if m.group(2) == '20':
            functions.add(address)
            names[address] = m.group(4)
    return names, functions


def instructions(dll, lists):
    '''(address, next address, mnemonic, operands) of each instruction of .text
    outside lists (pointer_lists).'''
    rows = []
    for m in re.finditer(r'^ +([0-9a-f]+):\t(\S+)[ \t]*(.*)$', objdump('-d', '-j', '.text', '--no-show-raw-insn', dll),
                         re.M):
        words = (m.group(2) + ' ' + m.group(3)).split()
        while words and words[0] in PREFIXES:
            words.pop(0)
        address = int(m.group(1), 16)
        if not words or any(begin <= address < end for begin, end in lists):
            continue
        rows.append([address, None, words[0], ' '.join(words[1:])])
    for i, row in enumerate(rows):
        row[1] = rows[i + 1][0] if i + 1 < len(rows) else row[0] + 1
    return rows


def moves_rsp(mnemonic, operands):
    if mnemonic.startswith(('push', 'enter')):
        return True
    destination = operands.split('#')[0].strip().split(',')[-1]
    return destination == '%rsp' and not mnemonic.startswith(('cmp', 'test'))


def null_second_argument(before):
    '''Whether the last of these instructions to write rdx (the second argument) zeroes it.'''
    for _, _, mnemonic, operands, _ in reversed(before):
        if operands.split('#')[0].strip().split(',')[-1] in ('%rdx', '%edx', '%dx', '%dl'):
            return ((mnemonic == 'xor' and operands in ('%edx,%edx', '%rdx,%rdx'))
                    or (mnemonic.startswith('mov') and operands in ('$0x0,%edx', '$0x0,%rdx')))
    return False


def check(dll):
    section, text_start, text_end, text_offset = text_section(dll)
    table = function_table(dll)
    begins = [b for b, e in table]

    def covered(address):
        i = bisect.bisect_right(begins, address) - 1
        return i >= 0 and table[i][0] <= address < table[i][1]

    names, functions = symbols(dll, section, text_start)
    marks = sorted(names)
    code = instructions(dll, pointer_lists(dll, text_start, text_end, text_offset))
    # The code between two symbols: a function, a piece of one, or libgcc's
    # assembly; one region for all of it without symbols (stripped).
    regions = {}
    for row in code:
        i = bisect.bisect_right(marks, row[0]) - 1
        row.append(marks[i] if i >= 0 else None)
        regions.setdefault(row[-1], []).append(row)
    problems, leaves = [], set()
    calls = frames = 0
    for owner, rows in regions.items():
        where = names.get(owner, '?')
        calling = any(r[2].startswith('call') for r in rows)
        if calling and owner in functions and not covered(owner):
            problems.append('%x: function %s (not a leaf) has no RUNTIME_FUNCTION entry' % (owner, where))
        for address, following, mnemonic, operands, _ in rows:
            if mnemonic.startswith('call'):
                calls += 1
                if not covered(following):
                    problems.append('%x (%s): the return address of %s %s has no unwind information'
                                    % (address, where, mnemonic, operands))
            elif moves_rsp(mnemonic, operands) and marks:
                if calling:
                    frames += 1
                    if not covered(address):
                        problems.append('%x (%s): %s %s moves rsp outside any unwind information'
                                        % (address, where, mnemonic, operands))
                elif not covered(address):
                    leaves.add(where)
    setjmps = 0
    for i, (address, following, mnemonic, operands, _) in enumerate(code):
        if mnemonic.startswith('call') and SETJMP.search(operands):
            setjmps += 1
            if not null_second_argument(code[max(0, i - 8):i]):
                problems.append('%x: %s %s without a NULL frame (TRY would unwind to a GCC frame)'
                                % (address, mnemonic, operands))
    name = os.path.basename(os.path.dirname(os.path.abspath(dll))) + '/' + os.path.basename(dll)
    if problems:
        print('%s: %d frames without unwind information:' % (name, len(problems)), file=sys.stderr)
        for p in problems[:40]:
            print('  ' + p, file=sys.stderr)
        return False
    if marks:
        detail = ('%d functions, %d not leaves, all covered; %d call sites and the %d rsp adjustments of '
                  'calling code covered; leaves without any: %s'
                  % (len(functions), sum(1 for f in functions if any(r[2].startswith('call') for r in regions.get(f, ()))),
                     calls, frames, ', '.join(sorted(leaves)) or 'none'))
    else:
        detail = 'no symbols; %d call sites covered' % calls
    print('%s: unwind information complete: %d RUNTIME_FUNCTION entries; %s; %s'
          % (name, len(table), detail, '%d setjmp calls (TRY), each with a NULL frame' % setjmps if marks
             else 'setjmp calls not seen without symbols'))
    return True


def main(argv):
    if len(argv) < 2:
        raise SystemExit('usage: check-unwind.py DLL...')
    ok = True
    for dll in argv[1:]:
        ok = check(dll) and ok
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
