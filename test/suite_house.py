'''The house of the sources (issue 31): headers by module, and data flowing one
way, the multiplexer -> the message dissector -> the learner, SRTP and the
reports.  docs/developer.md draws the same map.'''

import glob
import os
import re

import pytest
from conftest import SOURCE_DIR

# Each file's module and its level: a file includes the headers of, and
# calls, only modules on a lower level (a larger number) and its own.  The
# reports are fed by the tap, not called: they read the records
# (tap-msstun.h) and nothing of the dissectors.
MODULES = {
    'plugin.c': ('plugin', 0),
    'packet-msrtp-mux.c': ('mux', 1),
    'packet-msstun.c': ('message', 2),
    'packet-msstun.h': ('message', 2),
    'srtp.c': ('srtp', 3),
    'srtp.h': ('srtp', 3),
    'tap-msstun.c': ('reports', 3),
    'tap-msstun-flow.c': ('reports', 3),
    'srtp-keys.c': ('srtp keys', 4),
    'srtp-keys.h': ('srtp keys', 4),
    'tap-msstun-alloc.c': ('allocations', 4),
    'tap-msstun-alloc.h': ('allocations', 4),
    'srtp-crypto.c': ('srtp crypto', 5),
    'srtp-crypto.h': ('srtp crypto', 5),
    'tap-msstun-quality.c': ('quality', 5),
    'tap-msstun-quality.h': ('quality', 5),
    'tap-msstun-report.c': ('report life', 5),
    'tap-msstun-report.h': ('report life', 5),
    'conversation_ports.c': ('learner', 6),
    'conversation_ports.h': ('learner', 6),
    'tap-msstun.h': ('tap records', 7),
    'tap-msstun-note.c': ('tap records', 7),
    'prefs.c': ('prefs', 8),
    'prefs.h': ('prefs', 8),
    'msstun-compat.h': ('compat', 9),
}
# A report file added later is a report unless placed otherwise.
REPORT_DEFAULT = ('reports', 3)


def _sources():
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(SOURCE_DIR, '*.[ch]')))


def _module(name):
    if name in MODULES:
        return MODULES[name]
    assert name.startswith('tap-msstun-'), '%s: not in the map of modules (MODULES)' % name
    return REPORT_DEFAULT


def _code(name):
    with open(os.path.join(SOURCE_DIR, name)) as f:
        return re.sub(r'/\*.*?\*/', '', f.read(), flags=re.S)


def _includes(name):
    return re.findall(r'^#include "([^"]+)"', _code(name), re.M)


def _defined_functions(text):
    '''The functions a C file defines (return type on the line before the name).'''
    return set(re.findall(r'^(\w+)\([^;]*?\)\n\{', text, re.M | re.S))


@pytest.mark.parametrize('name', _sources())
def test_includes_run_down(name):
    module, level = _module(name)
    for header in _includes(name):
        other, other_level = _module(header)
        assert other == module or other_level > level, \
            '%s (%s) includes %s (%s), which is not below it' % (name, module, header, other)


def test_calls_run_down():
    defined = {name: _defined_functions(_code(name)) for name in _sources() if name.endswith('.c')}
    for name, functions in defined.items():
        module, level = _module(name)
        called = set(re.findall(r'\b(\w+)\s*\(', _code(name))) - functions
        for other, theirs in defined.items():
            other_module, other_level = _module(other)
            if other_module == module:
                continue
            up = called & theirs
            assert not up or other_level > level, '%s calls %s of %s, which is not below it' % (name, sorted(up), other)


# Where each piece is declared: in its module's header and in no other.
DECLARED_IN = {
    'msstun_payload_ctx_t': 'packet-msstun.h',
    'msstun_message_result_t': 'packet-msstun.h',
    'dissect_msstun_message': 'packet-msstun.h',
    'msstun_tap_note': 'packet-msstun.h',
    'msstun_tap_t': 'tap-msstun.h',
    'msstun_note_t': 'tap-msstun.h',
    'msstun_note_read': 'tap-msstun.h',
    'msstun_endpoint_t': 'tap-msstun.h',
    'MSSTUN_METHOD_ALLOCATE': 'tap-msstun.h',
    'msstun_learned_t': 'conversation_ports.h',
    'msstun_learn_media': 'conversation_ports.h',
    'msstun_claim_rtp': 'conversation_ports.h',
    'msstun_prefs_t': 'prefs.h',
    'msstun_prefs': 'prefs.h',
    'msstun_srtp_dissect': 'srtp.h',
    'msstun_srtp_key_t': 'srtp-keys.h',
    'msstun_srtp_key': 'srtp-keys.h',
    'msstun_report_t': 'tap-msstun-report.h',
}


def _declares(text, name):
    return bool(re.search(r'^\} %s;|^#define %s\b|^\w[\w \*]*\b%s\(' % (name, name, name), text, re.M))


@pytest.mark.parametrize('name', sorted(DECLARED_IN))
def test_declared_in_its_module_header(name):
    where = [h for h in _sources() if h.endswith('.h') and _declares(_code(h), name)]
    assert where == [DECLARED_IN[name]]
