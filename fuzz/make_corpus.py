#!/usr/bin/env python3
# make_corpus.py
#
# Seed corpora for the libFuzzer targets (fuzz/fuzz-msstun.c), from every
# capture in captures/ (with captures/regressions/ and the small
# pathological captures of captures/gen_pathological.py) and
# ../shared/captures, read with the installed tshark (without the plugin):
#
#   OUTDIR/udp3478/   every distinct UDP payload (at most 300 per capture,
#                     spread evenly over it)
#   OUTDIR/tcp443/    every TCP connection as the byte stream of the
#                     tcp443 target: per segment a 2-byte header (top bit
#                     set for server-to-client; low 15 bits the length)
#                     and the payload, up to 64 KiB per connection
#   OUTDIR/message/   every STUN message found in them: UDP payloads that
#                     are one message, and every offset of a UDP payload or
#                     a TCP direction's stream where a message with the RFC
#                     5389 cookie or a MS-TURN MAGIC-COOKIE first attribute
#                     starts (so messages inside DATA, ChannelData, 0xFF10,
#                     MS-TURN framing and RFC 4571 are found too); plus the
#                     messages of pion's frombrowsers.csv
#   OUTDIR/srtp/      per capture, its RTP and RTCP packets (the first of
#                     each UDP flow) as records of the srtp target, which
#                     the target protects, and its SIP messages; and
#                     records that roll the ROC over, use the key with an
#                     MKI, break the tag and send SRTCP in clear
#   and the raw inputs kept in captures/regressions/fuzz-TARGET/.
#
#   make_corpus.py OUTDIR [CAPTURE...]
#
# Deterministic: the same captures give the same files (named by SHA-1).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import base64
import csv
import hashlib
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'captures'))
from lib.rtp import packet as rtp_packet, report_block, rtcp_header  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(HERE)
SHARED = os.path.normpath(os.path.join(SOURCE_DIR, '..', 'shared', 'captures'))
LOCAL = os.path.join(SOURCE_DIR, 'captures')
TARGETS = ('udp3478', 'tcp443', 'message', 'srtp')
MAX_UDP_PER_CAPTURE = 300
MAX_STREAM = 65536
MAX_SRTP_SEED = 2048
RECORDS_PER_FLOW = 6
# fuzz-msstun.c's srtp record types.
REC_RTP, REC_RTCP, REC_RAW, REC_SIP = 0, 1, 2, 3
REC_KEY_B, REC_SERVER, REC_BAD_TAG, REC_CLEAR = 0x04, 0x08, 0x10, 0x20
RFC5389_COOKIE = 0x2112A442
MAGIC_COOKIE_ATTR = bytes.fromhex('000f000472c64bc6')
EXTENSIONS = ('.pcap', '.pcapng', '.pcap.gz', '.pcapng.gz')


def captures():
    found = []
    for root in (SHARED, LOCAL):
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith(EXTENSIONS):
                    found.append(os.path.join(dirpath, f))
    return found


def tshark_rows(path):
    '''(proto, stream or None, src, sport, dst, dport, tcp flags, payload) per frame.'''
    cmd = ['tshark', '-n', '-r', path, '-o', 'tcp.desegment_tcp_streams:FALSE',
           '-o', 'ip.defragment:TRUE', '-Y', 'udp or tcp', '-T', 'fields',
           '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload',
           '-e', 'tcp.stream', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.flags', '-e', 'tcp.payload',
           '-e', 'ip.src', '-e', 'ipv6.src', '-E', 'occurrence=f']
    out = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, HOME=tempfile.gettempdir()))
    rows = []
    for line in out.stdout.splitlines():
        c = line.split('\t')
        c += [''] * (10 - len(c))
        src = c[8] or c[9]
        if c[0]:
            rows.append(('udp', None, src, int(c[0]), int(c[1]), bytes.fromhex(c[2].replace(':', ''))))
        elif c[3]:
            rows.append(('tcp', int(c[3]), src, int(c[4]), int(c[5]), int(c[6], 16) if c[6] else 0,
                         bytes.fromhex(c[7].replace(':', ''))))
    return rows


def stun_messages(data):
    '''Every STUN message with a cookie or MS-TURN MAGIC-COOKIE in data.'''
    found = []
    for o in range(0, max(0, len(data) - 19)):
        if data[o] & 0xC0:
            continue
        length = struct.unpack_from('>H', data, o + 2)[0]
        end = o + 20 + length
        if end > len(data):
            continue
        cookie = struct.unpack_from('>I', data, o + 4)[0]
        if cookie == RFC5389_COOKIE or data[o + 20:o + 28] == MAGIC_COOKIE_ATTR:
            found.append(data[o:end])
    return found


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.counts = {t: 0 for t in TARGETS}
        for t in TARGETS:
            os.makedirs(os.path.join(outdir, t), exist_ok=True)

    def add(self, target, data):
        if not data:
            return
        path = os.path.join(self.outdir, target, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, 'wb') as f:
                f.write(data)
            self.counts[target] += 1


def record(kind, body):
    return struct.pack('>BH', kind, len(body)) + body


def srtp_records(udp):
    '''The RTP, RTCP and SIP datagrams of a capture as srtp records, by flow.'''
    client = (udp[0][2], udp[0][3]) if udp else None
    flows = {}
    sip = b''
    for r in udp:
        src, sport, dport, payload = r[2], r[3], r[4], r[5]
        side = 0 if (src, sport) == client else REC_SERVER
        if 5060 in (sport, dport) and len(sip) < MAX_SRTP_SEED // 2:
            sip += record(REC_SIP | side, payload)
            continue
        if len(payload) < 8 or payload[0] >> 6 != 2:
            continue
        flow = flows.setdefault((src, sport, dport), [])
        if len(flow) >= RECORDS_PER_FLOW:
            continue
        if 200 <= payload[1] <= 207:
            flow.append(record(REC_RTCP | side, struct.pack('>I', len(flow)) + payload))
        elif len(payload) >= 12:
            flow.append(record(REC_RTP | side, struct.pack('>I', 0) + payload))
    return sip, [b''.join(f) for f in flows.values()]


def add_srtp(corpus, udp):
    sip, flows = srtp_records(udp)
    for f in flows:
        corpus.add('srtp', (sip + f)[:MAX_SRTP_SEED])
    if sip and not flows:
        corpus.add('srtp', sip[:MAX_SRTP_SEED])


def add_srtp_synthetic(corpus):
    '''RTP around a sequence number wrap (ROC 0 then 1), the key with an MKI,
    broken tags, and SRTCP encrypted and in clear (RFC 3550 SR, RR, SDES, BYE).'''
    def rtp(seq, ts, ssrc, pt=0, payload=bytes(range(32))):
        return rtp_packet(pt, seq, ts, ssrc, payload)
    wrap = b''
    for i, seq in enumerate(range(65533, 65539)):
        wrap += record(REC_RTP, struct.pack('>I', seq >> 16) + rtp(seq, 160 * i, 0x11223344))
    corpus.add('srtp', wrap)
    keyb = b''.join(record(REC_RTP | REC_KEY_B | REC_SERVER, struct.pack('>I', 0) + rtp(100 + i, 960 * i, 0x55667788, 111))
                    for i in range(4))
    corpus.add('srtp', keyb)
    corpus.add('srtp', record(REC_RTP, struct.pack('>I', 0) + rtp(7, 0, 0x0A0B0C0D)) +
               record(REC_RTP | REC_BAD_TAG, struct.pack('>I', 0) + rtp(8, 160, 0x0A0B0C0D)))
    sr = rtcp_header(200, 1, struct.pack('>IIIIII', 0x11223344, 0xE0000000, 0, 160, 10, 1600) +
                     report_block(0x55667788, 100, 0))
    sdes = struct.pack('>BBHIBB', 0x81, 202, 3, 0x11223344, 1, 6) + b'fuzzer' + b'\0\0'
    bye = rtcp_header(203, 1, struct.pack('>I', 0x11223344))
    rr = rtcp_header(201, 0, struct.pack('>I', 0x55667788))
    corpus.add('srtp', record(REC_RTCP, struct.pack('>I', 1) + sr + sdes) +
               record(REC_RTCP | REC_CLEAR, struct.pack('>I', 2) + sr + sdes + bye) +
               record(REC_RTCP | REC_KEY_B | REC_SERVER, struct.pack('>I', 1) + rr + sdes))


def add_capture(corpus, path):
    rows = tshark_rows(path)
    udp = [r for r in rows if r[0] == 'udp' and r[5]]
    add_srtp(corpus, udp)
    step = max(1, len(udp) // MAX_UDP_PER_CAPTURE)
    for r in udp[::step]:
        corpus.add('udp3478', r[5])
    for r in udp:
        payload = r[5]
        if len(payload) >= 20 and not payload[0] & 0xC0 and \
                struct.unpack_from('>H', payload, 2)[0] + 20 == len(payload):
            corpus.add('message', payload)
        for m in stun_messages(payload):
            corpus.add('message', m)
    streams = {}
    for r in rows:
        if r[0] != 'tcp':
            continue
        stream, src, sport, dport, flags, payload = r[1:]
        s = streams.setdefault(stream, {'client': None, 'segments': [], 'size': 0, 'data': [b'', b'']})
        if s['client'] is None:
            # The side of the first frame, unless that is a SYN-ACK.
            s['client'] = ((src, sport), (flags & 0x12) == 0x12)
        from_server = ((src, sport) != s['client'][0]) != s['client'][1]
        if payload and s['size'] < MAX_STREAM:
            s['data'][from_server] += payload
            for i in range(0, len(payload), 0x7FFF):
                chunk = payload[i:i + 0x7FFF]
                s['segments'].append(struct.pack('>H', len(chunk) | (0x8000 if from_server else 0)) + chunk)
                s['size'] += 2 + len(chunk)
    for stream in sorted(streams):
        s = streams[stream]
        corpus.add('tcp443', b''.join(s['segments'])[:MAX_STREAM])
        for data in s['data']:
            for m in stun_messages(data):
                corpus.add('message', m)


def add_pion(corpus):
    path = os.path.join(SHARED, 'third-party', 'pion-stun', 'frombrowsers.csv')
    if not os.path.isfile(path):
        return
    with open(path) as f:
        for row in csv.DictReader(line for line in f if not line.startswith('#')):
            try:
                corpus.add('message', base64.b64decode(row['message']))
            except (KeyError, ValueError):
                pass


def add_regressions(corpus):
    for t in TARGETS:
        d = os.path.join(LOCAL, 'regressions', 'fuzz-' + t)
        if os.path.isdir(d):
            for f in sorted(os.listdir(d)):
                if not f.endswith(('.md', '.txt')):
                    with open(os.path.join(d, f), 'rb') as fh:
                        corpus.add(t, fh.read())


def main(argv):
    if len(argv) < 2:
        print('usage: make_corpus.py OUTDIR [CAPTURE...]', file=sys.stderr)
        return 2
    corpus = Corpus(argv[1])
    files = argv[2:]
    tmp = None
    if not files:
        files = captures()
        tmp = tempfile.mkdtemp(prefix='msstun-corpus-')
        subprocess.run([sys.executable, os.path.join(LOCAL, 'gen_pathological.py'), 'small', tmp], check=True,
                       stdout=subprocess.DEVNULL)
        files += sorted(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith('.pcap'))
    for path in files:
        add_capture(corpus, path)
    add_pion(corpus)
    add_srtp_synthetic(corpus)
    add_regressions(corpus)
    if tmp:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    print('corpus from %d captures: %s' % (len(files), ', '.join('%s %d' % (t, corpus.counts[t]) for t in TARGETS)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
