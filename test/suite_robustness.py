# suite_robustness.py
# Pathological inputs, generated at test time by captures/gen_pathological.py
# into the session's temporary directory (readable by the unprivileged user):
# attribute length 0xFFFF, zero-length framing of every kind, and DATA,
# ChannelData and 0xFF10 nested at every depth from 1 to beyond the plugin's
# limit.  Each is dissected single-pass and two-pass with the full tree: no
# crash, empty stderr, the expected expert items, and a decode that shows what
# is there.  Then a short, bounded editcap -E fuzz loop.  tools/robustness.sh
# is the full version (sanitizers, valgrind, randpkt, scaling).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import hashlib
import importlib.util
import os
import re
import resource
import subprocess

import pytest

from conftest import LOCAL_CAPTURES, SOURCE_DIR

GENERATOR = os.path.join(LOCAL_CAPTURES, 'gen_pathological.py')
SEP = '|'


def _load_generator():
    spec = importlib.util.spec_from_file_location('gen_pathological', GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _max_nesting():
    with open(os.path.join(SOURCE_DIR, 'packet-msrtp-mux.c')) as f:
        m = re.search(r'#define\s+MSSTUN_MAX_NESTING\s+(\d+)', f.read())
    assert m, 'MSSTUN_MAX_NESTING not found in packet-msrtp-mux.c'
    return int(m.group(1))


MAX_NESTING = _max_nesting()


@pytest.fixture(scope='session')
def patho(ws_root):
    '''The small pathological captures, and for each the note of every frame.'''
    outdir = os.path.join(ws_root, 'pathological')
    gen.build_small(outdir)
    os.chmod(outdir, 0o755)
    found = {}
    for name in ('attr-ffff', 'zero-length', 'nesting-udp3478', 'nesting-tcp443'):
        path = os.path.join(outdir, name + '.pcap')
        os.chmod(path, 0o644)
        notes = {}
        with open(os.path.join(outdir, name + '.txt')) as f:
            next(f)
            for line in f:
                num, note = line.rstrip('\n').split('\t', 1)
                notes[int(num)] = note
        found[name] = (path, notes)
    return found


def frame_of(notes, text):
    '''The one frame whose note contains text.'''
    hits = [n for n, note in notes.items() if text in note]
    assert len(hits) == 1, (text, hits)
    return hits[0]


def clean_run(tshark, args):
    '''tshark must exit 0 with nothing at all on stderr.'''
    proc = tshark.run(args, check=False)
    assert proc.returncode == 0, 'tshark %s exited %d:\n%s' % (' '.join(args), proc.returncode, proc.stderr[-4000:])
    assert proc.stderr == '', 'tshark %s wrote to stderr:\n%s' % (' '.join(args), proc.stderr[-4000:])
    return proc.stdout


def frames(tshark, capture, fields, two_pass):
    '''{frame number: {field: [values]}} with every occurrence of each field.'''
    args = ['-n', '-r', capture, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=' + SEP,
            '-e', 'frame.number'] + [x for f in fields for x in ('-e', f)]
    if two_pass:
        args.insert(0, '-2')
    out = clean_run(tshark, args)
    rows = {}
    for line in out.splitlines():
        cols = line.split('\t')
        rows[int(cols[0])] = {f: (c.split(SEP) if c else []) for f, c in zip(fields, cols[1:])}
    return rows


TWO_PASS = pytest.mark.parametrize('two_pass', [False, True], ids=['1pass', '2pass'])


def test_generator_is_deterministic(tmp_path):
    digests = []
    for run in ('a', 'b'):
        outdir = tmp_path / run
        gen.build_small(str(outdir))
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(outdir.iterdir())})
    assert digests[0] == digests[1]
    assert len(digests[0]) == 8


@pytest.mark.parametrize('name', ['attr-ffff', 'zero-length', 'nesting-udp3478', 'nesting-tcp443'])
@TWO_PASS
def test_full_tree_is_clean(tshark, patho, name, two_pass):
    '''-V -x over every pathological capture: exit 0, empty stderr, no
    malformed-packet exception anywhere.'''
    path, notes = patho[name]
    args = ['-n', '-V', '-x', '-r', path]
    if two_pass:
        args.insert(0, '-2')
    out = clean_run(tshark, args)
    assert 'Malformed Packet' not in out
    assert 'Dissector bug' not in out
    summary = clean_run(tshark, ['-n', '-r', path])
    assert len(summary.splitlines()) == len(notes)


NEST_FIELDS = ['frame.protocols', 'msstun.type', 'msstun.channel', 'msstun.mturn.session_id',
               'msstun.nesting_too_deep', 'rtp.seq']


def check_nesting(rows, frame, kinds, rtp_seq):
    '''kinds[0] is the outermost carrier, at depth 0.  Carriers at depths
    0..MAX_NESTING are decoded; what is relayed at depth MAX_NESTING + 1 is
    not, and carries msstun.nesting_too_deep.'''
    depth = len(kinds)
    shown = kinds[:MAX_NESTING + 1]
    row = rows[frame]
    assert len(row['msstun.type']) == shown.count('data'), (frame, kinds, row)
    assert len(row['msstun.channel']) == shown.count('channeldata'), (frame, kinds, row)
    assert len(row['msstun.mturn.session_id']) == shown.count('mturn'), (frame, kinds, row)
    if depth <= MAX_NESTING:
        assert row['msstun.nesting_too_deep'] == [], (frame, kinds)
        assert row['rtp.seq'] == [str(rtp_seq)], (frame, kinds, row)
        assert row['frame.protocols'][0].endswith(':rtp')
    else:
        assert len(row['msstun.nesting_too_deep']) == 1, (frame, kinds, row)
        assert row['rtp.seq'] == [], (frame, kinds, row)
        assert not row['frame.protocols'][0].endswith(':rtp')


@TWO_PASS
def test_nesting_udp_every_depth(tshark, patho, two_pass):
    path, notes = patho['nesting-udp3478']
    plan = gen.nesting_plan()
    rows = frames(tshark, path, NEST_FIELDS, two_pass)
    assert len(rows) == len(plan) == 60
    for i, (name, kinds) in enumerate(plan):
        assert notes[i + 1].startswith(name + ';')
        check_nesting(rows, i + 1, kinds, 1000 + i)
    deep = sorted(n for n, r in rows.items() if r['msstun.nesting_too_deep'])
    assert deep == [i + 1 for i, (_, kinds) in enumerate(plan) if len(kinds) > MAX_NESTING]
    # Every carrier kind goes past the limit, alone and mixed.
    assert {tuple(sorted(set(k))) for _, k in plan if len(k) > MAX_NESTING} >= {
        ('data',), ('channeldata',), ('mturn',), ('channeldata', 'data', 'mturn')}


@TWO_PASS
def test_nesting_tcp_every_depth(tshark, patho, two_pass):
    path, notes = patho['nesting-tcp443']
    plan = gen.nesting_plan()
    rows = frames(tshark, path, NEST_FIELDS + ['msstun.tcp.type', 'msstun.tcp.length'], two_pass)
    assert len(rows) == 3 + len(plan)
    for i, (name, kinds) in enumerate(plan):
        frame = 4 + i
        assert ('data > %s;' % name) in notes[frame]
        assert rows[frame]['msstun.tcp.type'] == ['0x02']
        check_nesting(rows, frame, ['data'] + kinds, 2000 + i)


@TWO_PASS
def test_attribute_length_ffff(tshark, patho, two_pass):
    path, notes = patho['attr-ffff']
    fields = ['frame.protocols', 'msstun.type', 'msstun.att.length', 'msstun.att.bogus_length',
              'msstun.walk_mismatch', 'msstun.att.xor_mapped.ipv4', 'msstun.att.xor_mapped.port',
              'msstun.tcp.length', 'msstun.att.destination.ipv4', 'rtp.seq', 'tcp.reassembled.length']
    rows = frames(tshark, path, fields, two_pass)
    messages = [n for n, note in notes.items() if note.startswith(('UDP 3478:', 'TCP 443 control frame:'))]
    assert len(messages) == 16
    for n in messages:
        row = rows[n]
        assert '65535' in row['msstun.att.length'], (n, notes[n], row)
        assert len(row['msstun.att.bogus_length']) == 1, (n, notes[n], row)
        assert len(row['msstun.walk_mismatch']) == 1, (n, notes[n], row)
        assert len(row['msstun.type']) == 1
    for prefix in ('UDP 3478: ', 'TCP 443 control frame: '):
        # The clipped DATA still holds its RTP packet.
        n = frame_of(notes, prefix + 'MS-TURN Send request, DATA length 0xFFFF')
        assert rows[n]['msstun.type'] == ['0x0004']
        assert rows[n]['msstun.att.destination.ipv4'] == ['203.0.113.9']
        assert rows[n]['rtp.seq'] == ['7']
        # The address before the bogus length is decoded.
        n = frame_of(notes, prefix + 'RFC 5389 Binding response, XOR-MAPPED-ADDRESS length 0xFFFF')
        assert rows[n]['msstun.att.xor_mapped.ipv4'] == ['198.51.100.7']
        assert rows[n]['msstun.att.xor_mapped.port'] == ['40000']
    # The 0xFFFF-byte control frame, reassembled from 45 segments: the frame
    # Length and the DATA length are both 0xFFFF; DATA is clipped to the
    # message, which ends exactly at the end of the frame.
    last = max(rows)
    row = rows[last]
    assert row['tcp.reassembled.length'] == ['65539']
    assert row['msstun.tcp.length'] == ['65535']
    assert row['msstun.type'] == ['0x0004']
    assert row['msstun.att.length'][-1] == '65535'
    assert len(row['msstun.att.bogus_length']) == 1
    first = frame_of(notes, 'first segment of a control frame of Length 0xFFFF')
    assert last - first + 1 == 45


@TWO_PASS
def test_zero_length_framing(tshark, patho, two_pass):
    path, notes = patho['zero-length']
    fields = ['frame.protocols', 'msstun.type', 'msstun.length', 'msstun.att.length', 'msstun.channel',
              'msstun.channel.length', 'msstun.mturn.length', 'msstun.tcp.type', 'msstun.tcp.length',
              'msstun.tcp.control_not_stun', 'msstun.rfc4571.length', 'msstun.unrecognised', 'rtp.seq',
              '_ws.expert.message']
    rows = frames(tshark, path, fields, two_pass)

    def row(text):
        return rows[frame_of(notes, text)]

    # The expert items this input produces, and no others: a zero-length
    # control frame holds no STUN message, a zero-length RFC 4571 frame
    # nothing recognisable; every other zero-length construct decodes
    # quietly (TCP's own notes on the handshakes aside).
    not_stun = 'TURN control frame does not hold one STUN/TURN message'
    unrecognised = 'Payload not recognised'
    fired = {}
    for number, r in rows.items():
        messages = [m for m in r['_ws.expert.message'] if not m.startswith('Connection establish')]
        if messages:
            fired[notes[number]] = messages
    expected = {
        'TCP 443 (MS-TURN): control frame 02 00 00 00': [not_stun],
        'TCP 443 (MS-TURN): 16 zero-length frames in one segment': [not_stun] * 8,
        'TCP 443 (MS-TURN): zero, Send request with RTP, zero': [not_stun],
        'TCP 443 (RFC 4571): frame 00 00': [unrecognised],
        'TCP 443 (RFC 4571): 16 zero-length frames in one segment': [unrecognised] * 16,
        'TCP 443 (RFC 4571): zero, RTP, zero': [unrecognised] * 2,
    }
    if two_pass:
        # The second pass knows that no request here is answered, and so
        # that no check validates its pair.
        no_response = 'No response seen to this request'
        not_valid = 'ICE candidate pair not valid: checks in this direction never succeeded'
        expected.update({
            'UDP 3478: RFC 5389 Binding request, message length 0': [no_response, not_valid],
            'UDP 3478: RFC 5389 Binding request, USERNAME length 0': [no_response, not_valid],
            'TCP 443 (MS-TURN): control frame, Allocate request (sets the connection mode)': [no_response],
            'TCP 443 (RFC 4571): Binding request (sets the connection mode)': [no_response, not_valid],
            'TCP 443 (TURN over TCP): Allocate request (sets the connection mode)': [no_response],
            'TCP 443 (TURN over TCP): four zero-length ChannelData, then an empty Binding request': [no_response],
        })
    assert fired == expected

    # UDP 3478
    assert row('UDP 3478: empty payload')['frame.protocols'] == ['eth:ethertype:ip:udp']
    r = row('ChannelData 0x4001 length 0')
    assert (r['msstun.channel'], r['msstun.channel.length']) == (['0x4001'], ['0'])
    assert r['frame.protocols'] == ['eth:ethertype:ip:udp:msstun']
    r = row('0xFF10 length 8')
    assert r['msstun.mturn.length'] == ['8']
    assert r['frame.protocols'] == ['eth:ethertype:ip:udp:msstun']
    r = row('Binding request, message length 0')
    assert (r['msstun.type'], r['msstun.length'], r['msstun.att.length']) == (['0x0001'], ['0'], [])
    r = row('Send request, DATA length 0')
    assert r['msstun.type'] == ['0x0004']
    assert r['msstun.att.length'][-1] == '0'
    assert r['frame.protocols'] == ['eth:ethertype:ip:udp:msstun']
    r = row('USERNAME length 0')
    assert r['msstun.att.length'] == ['0']

    # MS-TURN framing on TCP 443
    r = row('control frame 02 00 00 00')
    assert (r['msstun.tcp.type'], r['msstun.tcp.length']) == (['0x02'], ['0'])
    assert len(r['msstun.tcp.control_not_stun']) == 1
    r = row('end-to-end frame 03 00 00 00')
    assert (r['msstun.tcp.type'], r['msstun.tcp.length']) == (['0x03'], ['0'])
    assert r['msstun.tcp.control_not_stun'] == []
    r = row('(MS-TURN): 16 zero-length frames in one segment')
    assert r['msstun.tcp.type'] == ['0x02', '0x03'] * 8
    assert r['msstun.tcp.length'] == ['0'] * 16
    assert len(r['msstun.tcp.control_not_stun']) == 8
    r = row('end-to-end frame holding one zero-length RFC 4571 frame')
    assert (r['msstun.tcp.length'], r['msstun.rfc4571.length']) == (['2'], ['0'])
    r = row('four zero-length RFC 4571 frames then RTP')
    assert r['msstun.rfc4571.length'] == ['0', '0', '0', '0', '32']
    assert r['rtp.seq'] == ['1']
    r = row('zero, Send request with RTP, zero')
    assert r['msstun.tcp.type'] == ['0x02', '0x02', '0x03']
    assert r['msstun.type'] == ['0x0004']
    assert r['rtp.seq'] == ['2']
    assert len(r['msstun.tcp.control_not_stun']) == 1

    # RFC 4571 framing on TCP 443
    r = row('(RFC 4571): frame 00 00')
    assert (r['msstun.rfc4571.length'], len(r['msstun.unrecognised'])) == (['0'], 1)
    r = row('(RFC 4571): 16 zero-length frames in one segment')
    assert (r['msstun.rfc4571.length'], len(r['msstun.unrecognised'])) == (['0'] * 16, 16)
    r = row('(RFC 4571): zero, RTP, zero')
    assert r['msstun.rfc4571.length'] == ['0', '32', '0']
    assert len(r['msstun.unrecognised']) == 2
    assert r['rtp.seq'] == ['3']

    # RFC 5766 TURN over TCP
    r = row('four zero-length ChannelData, then an empty Binding request')
    assert r['msstun.channel'] == ['0x4001'] * 4
    assert r['msstun.channel.length'] == ['0'] * 4
    assert (r['msstun.type'], r['msstun.length']) == (['0x0001'], ['0'])


# ---------------------------------------------------------------------------
# A short, bounded editcap -E fuzz loop (tools/robustness.sh has the long one).

FUZZ_CAPTURES = ['msturn-udp3478.pcap', 'msturn-tcp443.pcap']
FUZZ_CASES = [(c, seed, off) for c in FUZZ_CAPTURES for seed in (1, 2, 3) for off in (0, 54)]
CPU_LIMIT = 60


def run_limited(tshark, args, timeout=180):
    def limit():
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return subprocess.run(tshark.command(args), env=tshark.env, capture_output=True, text=True,
                          errors='replace', timeout=timeout, preexec_fn=limit)


@pytest.mark.parametrize('capture,seed,offset', FUZZ_CASES,
                         ids=['%s-s%d-o%d' % c for c in FUZZ_CASES])
def test_editcap_fuzz(tshark, ws_root, local_capture, capture, seed, offset):
    fuzz_dir = os.path.join(ws_root, 'fuzz')
    os.makedirs(fuzz_dir, exist_ok=True)
    os.chmod(fuzz_dir, 0o755)
    rate = '0.05'
    out = os.path.join(fuzz_dir, '%s.E%s.s%d.o%d.pcapng' % (capture, rate, seed, offset))
    subprocess.run(['editcap', '-E', rate, '--seed', str(seed), '-o', str(offset), local_capture(capture), out],
                   check=True, capture_output=True)
    os.chmod(out, 0o644)
    for args in (['-n', '-V', '-x', '-r', out],
                 ['-2', '-n', '-V', '-x', '--enable-heuristic', 'msstun_udp', '-r', out]):
        proc = run_limited(tshark, args)
        where = ('editcap -E %s --seed %d -o %d captures/%s; tshark %s'
                 % (rate, seed, offset, capture, ' '.join(args[:-1])))
        assert proc.returncode == 0, '%s: exit %d\n%s' % (where, proc.returncode, proc.stderr[-4000:])
        assert proc.stderr == '', '%s: stderr\n%s' % (where, proc.stderr[-4000:])


# Inputs of the libFuzzer targets (fuzz/, tools/fuzz.sh) kept in
# captures/regressions/fuzz-TARGET/, as the pcaps fuzz/input2pcap.py (or, for
# the srtp target, the target itself) makes of them
# (captures/regressions/fuzz-TARGET-NAME.pcap).  The message target's frames
# go to UDP 40000, dissected there by msstun_message; every target runs with
# the keys file fuzz/srtp-keys.txt.
REGRESSIONS = os.path.join(LOCAL_CAPTURES, 'regressions')
FUZZ_KEYS = os.path.join(SOURCE_DIR, 'fuzz', 'srtp-keys.txt')
FUZZ_REGRESSIONS = sorted(f for f in os.listdir(REGRESSIONS) if f.startswith('fuzz-') and f.endswith('.pcap'))


@pytest.mark.parametrize('name', FUZZ_REGRESSIONS)
@TWO_PASS
def test_fuzz_regression_is_clean(tshark, name, two_pass):
    args = ['-n', '-V', '-x', '-o', 'msstun.srtp_keys:' + FUZZ_KEYS, '-r', os.path.join(REGRESSIONS, name)]
    if name.startswith('fuzz-message-'):
        args[:0] = ['-d', 'udp.port==40000,msstun_message']
    if two_pass:
        args.insert(0, '-2')
    out = clean_run(tshark, args)
    assert 'Dissector bug' not in out


@TWO_PASS
def test_tls_record_header_split_after_four_bytes(tshark, two_pass):
    '''Pseudo-TLS on TCP 443 whose ServerHello record is cut after 4 of its
    5 header bytes (captures/regressions/fuzz-tcp443/crash-tls-record-split-4).
    get_msturn_pdu_len() read the record length past the 4 bytes that
    tcp_dissect_pdus() guarantees and threw: frame 5 was malformed, its 4
    bytes were lost and frame 6 became "not a frame".  Now it asks for one
    more segment and the ServerHello is reassembled in frame 6.'''
    path = os.path.join(REGRESSIONS, 'fuzz-tcp443-tls-record-split-4.pcap')
    rows = frames(tshark, path, ['_ws.malformed', 'msstun.pseudotls.handshake_type', 'msstun.tcp.type',
                                 'msstun.type'], two_pass)
    assert all(not r['_ws.malformed'] for r in rows.values()), rows
    assert rows[4]['msstun.pseudotls.handshake_type'] == ['1']
    assert rows[5]['msstun.pseudotls.handshake_type'] == []
    assert rows[6]['msstun.pseudotls.handshake_type'] == ['2', '14']
    assert rows[6]['msstun.tcp.type'] == []
    assert [rows[n]['msstun.type'] for n in (7, 8, 9, 10)] == [['0x0003'], ['0x0113'], ['0x0003'], ['0x0103']]


@TWO_PASS
def test_lengthless_frame_without_magic_cookie(tshark, two_pass):
    '''A libnice-style MS-TURN frame without its Length field whose message
    has no attributes (22 bytes: "03 00" and a 20-byte Allocate header), so
    no MAGIC-COOKIE says what it is (captures/regressions/fuzz-tcp443/
    crash-lengthless-short-22): frame 5 holds it and a 38-byte libnice
    Allocate, frame 6 it alone, frame 7 the 38-byte one.
    lengthless_frame_message_len() required MAGIC-COOKIE, so bytes 2-3 (the
    message type 0x0003) were read as a length: a 3-byte end-to-end frame,
    then "not a frame" for the rest of the segment, the second Allocate
    lost.  Now the message length is taken when the Length reading ends
    inside the segment on what is not a frame and the message ends where a
    frame can.'''
    path = os.path.join(REGRESSIONS, 'fuzz-tcp443-lengthless-short-22.pcap')
    rows = frames(tshark, path, ['msstun.tcp.type', 'msstun.type', 'msstun.att.type', 'msstun.tcp.bad_type',
                                 'msstun.tcp.no_length'], two_pass)
    assert rows[5]['msstun.tcp.type'] == ['0x03', '0x03']
    assert rows[5]['msstun.type'] == ['0x0003', '0x0003']
    assert rows[5]['msstun.att.type'] == ['0x000f', '0x8008']
    assert len(rows[5]['msstun.tcp.no_length']) == 2
    assert rows[6]['msstun.type'] == ['0x0003']
    assert rows[6]['msstun.att.type'] == []
    assert rows[7]['msstun.type'] == ['0x0003']
    assert rows[7]['msstun.att.type'] == ['0x000f', '0x8008']
    assert all(not r['msstun.tcp.bad_type'] for r in rows.values()), rows


@TWO_PASS
def test_hundreds_of_pdus_in_one_segment(tshark, two_pass):
    '''Raw TURN on TCP 443 whose frame 5 holds a ChannelData and 494 more
    PDUs, 20-byte STUN-range headers that are no STUN message
    (captures/regressions/fuzz-tcp443/crash-1b6d716ef1cb, from the tcp443
    target).  Each PDU shown as data left a "data" layer in the frame, and
    the call past Wireshark's 500 layers (preference gui.max_tree_depth) was
    a dissector bug ("saved_layers_len < prefs.gui_max_tree_depth"),
    which aborted the fuzzer and lost the rest of the frame.  Now the
    payloads past 484 layers are flagged msstun.layer_limit instead.'''
    path = os.path.join(REGRESSIONS, 'fuzz-tcp443-1b6d716ef1cb.pcap')
    rows = frames(tshark, path, ['frame.protocols', 'msstun.channel', 'msstun.layer_limit', '_ws.malformed'],
                  two_pass)
    layers = rows[5]['frame.protocols'][0].split(':')
    assert layers[:6] == ['eth', 'ethertype', 'ip', 'tcp', 'msstun', 'data']
    # 484 layers with "frame", which frame.protocols leaves out
    assert len(layers) == 483 and layers.count('data') == 478
    assert rows[5]['msstun.channel'] == ['0x6800']
    assert len(rows[5]['msstun.layer_limit']) == 17
    assert rows[5]['_ws.malformed'] == []


@TWO_PASS
def test_segments_of_64k_keep_the_stream_in_step(tshark, ws_root, two_pass):
    '''One MS-TURN connection (gen_pathological.py tcpstream, 256 KiB) in
    segments of 65,000 bytes, as a capture taken on the sender before TSO
    cuts them.  Frames 4 and 8 hold more RTP than the 500 protocol layers
    Wireshark allows a frame (gui.max_tree_depth): the call past the limit
    was a dissector bug that lost the rest of the segment, and frames 5, 7
    and 8 were "MS-TURN TCP: not a frame".  Now the RTP past 484 layers is
    flagged msstun.layer_limit, the framing stays in step, and every RTP
    packet of the 1,460-byte segmentation is decoded or flagged.'''
    outdir = os.path.join(ws_root, 'segments-64k')
    os.makedirs(outdir, exist_ok=True)
    os.chmod(outdir, 0o755)
    counts = {}
    for segment in (1460, 65000):
        path = os.path.join(outdir, 'tcpstream-%d.pcap' % segment)
        gen.build_tcpstream(path, 256 << 10, segment)
        os.chmod(path, 0o644)
        rows = frames(tshark, path, ['rtp.seq', 'msstun.type', 'msstun.layer_limit', 'msstun.tcp.bad_type'],
                      two_pass)
        assert all(not r['msstun.tcp.bad_type'] for r in rows.values()), segment
        counts[segment] = {n: (len(r['rtp.seq']), len(r['msstun.layer_limit'])) for n, r in rows.items()
                           if r['rtp.seq'] or r['msstun.layer_limit']}
        counts[segment]['stun'] = sum(len(r['msstun.type']) for r in rows.values())
        if segment == 65000:
            assert rows[4]['rtp.seq'][-1] == '576' and rows[5]['rtp.seq'][0] == '620'
    large = counts[65000]
    assert large == {4: (478, 43), 5: (247, 0), 7: (320, 0), 8: (477, 26), 'stun': 192}
    assert counts[1460]['stun'] == 192
    assert sum(v[1] for k, v in counts[1460].items() if k != 'stun') == 0
    assert sum(v[0] for k, v in counts[1460].items() if k != 'stun') == 1591 == 478 + 43 + 247 + 320 + 477 + 26


@TWO_PASS
def test_truncated_rtp_keeps_its_decode(tshark, two_pass):
    '''RTP on UDP 3478 cut short by the snapshot length
    (captures/regressions/rtp-truncated-3478.pcap): frame 1 has the padding
    bit set and its last byte (the padding count) was not captured, frame 2
    has a header extension whose words were not captured.  looks_like_rtp()
    read those bytes and threw, and the whole payload was lost ("Packet size
    limited during capture: MSSTUN truncated", no RTP); now both are RTP.'''
    path = os.path.join(REGRESSIONS, 'rtp-truncated-3478.pcap')
    rows = frames(tshark, path, ['frame.protocols', 'rtp.seq', 'rtp.ssrc', 'rtp.ext.profile'], two_pass)
    for n, seq in ((1, '7'), (2, '8')):
        assert rows[n]['frame.protocols'][0].startswith('eth:ethertype:ip:udp:msstun:rtp'), rows[n]
        assert rows[n]['rtp.seq'] == [seq]
        assert rows[n]['rtp.ssrc'] == ['0x11223344']
    assert rows[2]['rtp.ext.profile'] == ['0xbede']
