#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_srtp.py - SRTP/SRTCP test captures for the msstun plugin, encrypted
by libsrtp2 (Debian libsrtp2-dev: libsrtp2.so.1, through ctypes), an
implementation independent of the plugin's.

Usage:  python3 gen_srtp.py [--describe] [OUTDIR]

Writes into OUTDIR (default: the directory of this script); with --describe writes nothing and
prints every frame, what it holds and how it was made:
  srtp-sip-call.pcap     a Lync-style call keyed in plain SIP over UDP 5060:
                         INVITE with a multipart/alternative body (two
                         application/sdp parts, RTP/SAVP and RTP/AVP, each with
                         a=crypto:2 ...|2^31|1:1 (MKI 1, 1 byte) next to
                         a=crypto:3 ...|2^31 (no MKI), a=cryptoscale and
                         a=x-ssrc-range), 200 OK with the answer, ACK; then
                         SRTP both ways (PCMU from the caller with MKI across a
                         sequence number wrap, PCMA from the callee without
                         MKI) and SRTCP (SR with MKI, RR without) on the
                         RTCP ports (RTP port + 1).
  srtp-sip-tls.pcap      the same call's signalling in SIP over TLS 1.3 (TCP
  srtp-sip-tls.keys      5061), recorded by Python's ssl module (OpenSSL) with
                         an NSS key log, and its media.  TLS randoms differ
                         per run: the committed files are the reference.
  srtp-relay.pcap        TURN-relayed SRTP with no SIP: MS-TURN Send requests
                         and Data Indications on UDP 3478 (AES_CM_128_HMAC_SHA1_80
                         with MKI one way, AES_CM_128_HMAC_SHA1_32 the other),
                         RFC 5766 ChannelBind and ChannelData, and MS-TURN
                         end-to-end data (type 0x03, RFC 4571 frames) on TCP
                         443, with SRTCP.
  srtp-relay-keys.txt    its keys, as a client log would have them: a UccApi
                         style SDP dump and a JSON line with escaped SDP.
  srtp-relay-dyn.pcap    relayed SRTP with Lync's dynamic payload types: SIP
  srtp-relay-dyn-keys.txt  SDP (host addresses, not the relayed ones) keys SILK
                         103 and x-msrta 114 in Send / Data Indications and
                         X-H264UC 122 video; the keys file (an SDP dumped one
                         line per log line, a JSON SDP) keys G.722 9 and
                         telephone-event 101 in ChannelData and RED 97 (with
                         PCMU) in TCP 443 end-to-end data.
  srtp-roc.pcap          relayed SRTP captured hours into the call: rollover
  srtp-roc-keys.txt      counters 22 (wrapping to 23), 131, 255 and 256, set
                         with srtp_set_stream_roc() (checked against 65536
                         packets protected the long way), and SRTCP index 5760
                         (5759 SRTCP packets protected and dropped first).
  srtp-roc-sdp.pcap      rollover counters of keys from SDP: the streams of a
                         call set up in the capture (ROC 0 decrypted, ROC 3 left
                         encrypted), a stream of a call under way whose
                         re-INVITE comes later (ROC 22 to 23 from then on).
  srtp-msrtcp.pcap       a Skype for Business G.722 call keyed in plain SIP: G.722
                         tones (480 Hz from the caller with MKI, 720 Hz from the
                         callee, encoded by libspandsp) and SRTCP whose SR and
                         RR carry [MS-RTP] 2.2.11 profile-specific extensions
                         (Policy Server, TURN Server Bandwidth, Peer Info
                         Exchange, Network Congestion Notification, Modality
                         Send Bandwidth Limit; Audio Healer Metrics,
                         Receiver-side Bandwidth Limit).
  srtp-expected.json     every RTP and RTCP packet's plaintext, by frame, for
                         test/suite_srtp.py.

The scenarios are srtp_sip.py, srtp_relay.py, srtp_roc.py and srtp_msrtcp.py, on captures/lib (lib/srtp.py
keeps every packet's plaintext for srtp-expected.json).

Keys, SSRCs and payloads are fixed (SHA-256 labels, 440/660 Hz tones in
G.711, 480/720 Hz in G.722); libsrtp and libspandsp draw nothing at random, so the captures without TLS are
byte-identical across runs.
"""

import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lib.capture import describe  # noqa: E402
from lib.srtp import EXPECTED  # noqa: E402
from srtp_msrtcp import (MS_A_IP, MS_A_RTP, MS_B_IP, MS_B_RTP, MS_TONE_A, MS_TONE_B, SSRC_MA, SSRC_MB,  # noqa: E402
                         build_msrtcp)
from srtp_relay import build_relay, build_relay_dyn, dyn_keys_text, relay_keys_text  # noqa: E402
from srtp_roc import ROC_SRTCP_INDEX, build_roc, build_roc_sdp, roc_keys_text  # noqa: E402
from srtp_sip import A_IP, A_RTP, B_IP, B_RTP, SSRC_A, SSRC_B, build_sip_call, build_sip_tls  # noqa: E402


def preamble():
    return ['# msstun SRTP test captures', '',
            'Printed by `python3 captures/gen_srtp.py --describe` (libsrtp2 through ctypes). Plaintexts of every '
            'RTP/RTCP packet: `srtp-expected.json`.', '',
            '* srtp-sip-call.pcap: caller %s:%d (SSRC 0x%08x, key a=crypto:2 with MKI 1:1), callee %s:%d '
            '(SSRC 0x%08x, answer key without MKI); RTCP on port + 1 (a=rtcp).'
            % (A_IP, A_RTP, SSRC_A, B_IP, B_RTP, SSRC_B),
            '* srtp-sip-tls.pcap: the signalling in TLS 1.3 on TCP 5061, decrypt with `-o tls.keylog_file:'
            'captures/srtp-sip-tls.keys`.',
            '* srtp-relay.pcap: keys only in `srtp-relay-keys.txt` '
            '(`-o msstun.srtp_keys:captures/srtp-relay-keys.txt`).',
            '* srtp-relay-dyn.pcap: relayed media with dynamic payload types; keys and rtpmaps of the Send / Data '
            'Indication streams in the SIP SDP of frames 1-2 (whose addresses are not the relayed ones), of the '
            'ChannelData and TCP 443 streams only in `srtp-relay-dyn-keys.txt`.',
            '* srtp-roc.pcap: a capture started hours into the call, rollover counters 22 (then 23), 131, 255 and '
            '256 (set with libsrtp2\'s `srtp_set_stream_roc()`, checked against 65536 packets protected the long '
            'way), SRTCP index %d; key in `srtp-roc-keys.txt`.' % ROC_SRTCP_INDEX,
            '* srtp-roc-sdp.pcap: relayed SRTP keyed in SIP. A call set up in the capture: its stream at ROC 0 '
            'is decrypted; one at ROC 3 is left encrypted. A stream of a call under way since before the capture '
            'started, at ROC 22, is decrypted from its re-INVITE on, wrapping to 23.',
            '* srtp-msrtcp.pcap: a G.722 call keyed in its SIP (caller %s:%d, SSRC 0x%08x, %d Hz, MKI 1:1; callee '
            '%s:%d, SSRC 0x%08x, %d Hz), G.722 by libspandsp; the SRTCP SR and RR carry [MS-RTP] 2.2.11 '
            'profile-specific extensions (types 7, 8, 12, 13, 14 and 9, 10).'
            % (MS_A_IP, MS_A_RTP, SSRC_MA, MS_TONE_A, MS_B_IP, MS_B_RTP, SSRC_MB, MS_TONE_B),
            '']


def main(argv):
    describe_only = argv[:1] == ['--describe']
    if describe_only:
        argv = argv[1:]
    outdir = tempfile.mkdtemp() if describe_only else argv[0] if argv else HERE
    os.makedirs(outdir, exist_ok=True)
    caps = [build_sip_call(), build_sip_tls(outdir), build_relay(), build_relay_dyn(), build_roc(),
            build_roc_sdp(), build_msrtcp()]
    if describe_only:
        shutil.rmtree(outdir)
        sys.stdout.write(describe(caps, preamble()))
        return 0
    for cap in caps:
        with open(os.path.join(outdir, cap.name), 'wb') as f:
            f.write(cap.pcap())
    for name, text in (('srtp-relay-keys.txt', relay_keys_text()), ('srtp-relay-dyn-keys.txt', dyn_keys_text()),
                       ('srtp-roc-keys.txt', roc_keys_text())):
        with open(os.path.join(outdir, name), 'w') as f:
            f.write(text)
    with open(os.path.join(outdir, 'srtp-expected.json'), 'w') as f:
        json.dump(EXPECTED, f, indent=1, sort_keys=True)
        f.write('\n')
    for cap in caps:
        print('%-22s %4d frames' % (cap.name, len(cap.frames)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
