#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_msturn.py - every capture of the MS-TURN family, deterministic and spec-built.

Usage:  python3 gen_msturn.py [--describe | --check] [OUTDIR]   (lib/cli.py)

  Builds the captures of msturn_udp.py (msturn-udp3478.pcap, msturn-udp3478-snaplen60.pcap,
  msturn-udp3478-teams.pcap), msice2_checks.py (msice2-checks.pcap), msturn_tcp.py
  (msturn-tcp443.pcap, msturn-tcp443-midstream.pcap, msturn-tcp443-split.pcap,
  turn-tcp3478-midstream.pcap) and msturn_learning.py (msturn-learning.pcap), re-reads them
  with an independent parser (lib/verify.py: IP/UDP/TCP checksums, TCP sequence continuity,
  MS-TURN TCP framing, every FINGERPRINT and MESSAGE-INTEGRITY, every XOR address; for
  msturn-learning.pcap also the relayed copies, RTP and RTCP counters and that the learning
  rules reach exactly the intended RTP/RTCP 5-tuples) and writes them into OUTDIR (default:
  captures/).  --check writes nothing and compares the files in OUTDIR byte for byte with a
  fresh build; --describe prints the conventions below, then every frame and where each
  value comes from.  There is no randomness (every "random" value is a SHA-256 of a fixed
  label), so two runs produce byte-identical files.

  The builders are in lib/; this script also re-exports the names scripts used to import
  from it (the family's builders and lib's), for scripts not yet moved to lib.

Where every construct comes from (section numbers of
/work/shared/reference/ms-turn-reference.md and of the underlying specs):
  * pcap: classic libpcap, magic a1b2c3d4, v2.4, LINKTYPE_ETHERNET (1).
  * IPv4 (RFC 791) header checksum, UDP (RFC 768) and TCP (RFC 793) checksums
    over the IPv4 pseudo-header.  TCP handshake/ACK/FIN per RFC 793.
  * MS-TURN header (ref 1.2, 3.1; MS-TURN 2.2.1): raw 16-bit type, length
    excluding the 20-byte header, bytes 4..19 = 0x2112A442 + 96-bit TID
    ("cookie form", ref 3.1 / 9) for Allocate/Send/SAD, a plain 128-bit TID
    for Data Indications 0x0115 (ref 9) and for the legacy vector (ref 7.3).
  * MS-TURN attributes are NOT padded (ref 1.2, 3.1, 9); MAGIC-COOKIE 0x000F =
    0x72C64BC6 is always the first attribute (MS-TURN 2.2.2.8, ref 2.2).
  * NONCE = 0x0014, REALM = 0x0015 in MS-TURN (ref 2.2).
  * MAPPED-ADDRESS 0x0001, MS-ALT-MAPPED-ADDRESS 0x8090, DESTINATION-ADDRESS
    0x0011, REMOTE-ADDRESS 0x0012, ALTERNATE-SERVER 0x000E are plain
    (ref 2.2, 6, 8 item 1); XOR-MAPPED-ADDRESS 0x8020, 0x0020 and MS-TURNBWM
    0x8059..0x805C are XORed with message bytes 4..5 (port), 4..7 (IPv4),
    4..19 (IPv6) (ref 3.3; MS-TURN 2.2.2.16; MS-TURNBWM 2.2.6; RFC 5389 15.2).
  * MS-VERSION 0x8008, MS-SEQUENCE-NUMBER 0x8050 (20-byte connection id +
    uint32), MS-SERVICE-QUALITY 0x8055, BANDWIDTH 0x0010, LIFETIME 0x000D,
    REQUESTED-ADDRESS-FAMILY 0x0017, MULTIPLEXED-TURN-SESSION-ID 0x8095 (8 B),
    ERROR-CODE 0x0009 (RFC 5389 15.6): ref 2.1 / 2.2.
  * MS-TURNBWM 0x8056..0x8062, 0x8068: ref 2.4 (BANDWIDTH-RSV-AMOUNT in the
    spec-figure/LUA order MinSend, MaxSend, MinRecv, MaxRecv).
  * MESSAGE-INTEGRITY: RFC 5389 15.4 procedure (ref 3.4).  MS-TURN with
    MS-VERSION >= 3: HMAC-SHA256, 32 bytes (ref 2.2 MS-VERSION, 9), long-term
    key MD5(username ":" realm ":" password).  MS-ICE2 checks: HMAC-SHA1,
    20 bytes, short-term key = ICE password (RFC 5389 15.4 / RFC 5245 7.1.2.3).
  * FINGERPRINT 0x8028 = CRC-32 ^ 0x5354554E (RFC 5389 15.5, ref 3.4); the
    legacy MS variant uses the CRC-32 table with entry 0x8BBEB8EA replaced by
    0x08BBE8EA (ref 3.4, libnice stuncrc32.c).
  * MS-ICE2 checks (ref 2.3, 1.3; MS-ICE2 2.2): RFC 5389 Binding with cookie
    and padded attributes; PRIORITY 0x0024, USE-CANDIDATE 0x0025,
    ICE-CONTROLLED 0x8029 / ICE-CONTROLLING 0x802A (RFC 5245 19.1),
    CANDIDATE-IDENTIFIER 0x8054 (NUL-padded foundation), IMPLEMENTATION-VERSION
    0x8070; responses carry XOR-MAPPED-ADDRESS 0x0020; 487 Role Conflict per
    RFC 5245 7.2.1.1.  MS-ICE2 also allows unpadded attributes (ref 3.1).
  * Multiplexed TURN 0xFF10 (ref 1.4; MS-TURN 2.2.3): Length counts the
    8-byte session id and the data.
  * MS-TURN TCP framing (ref 4.1; MS-TURN 2.1.4): Type 0x02 control / 0x03
    end-to-end data, Reserved 0, Length = payload length.  End-to-end data and
    relayed data inside DATA on TCP are RFC 4571 framed (ref 4.1, 4.3, 4.6).
  * Pseudo-TLS on TCP 443 (ref 4.2; MS-TURN 2.1.1): 50-byte ClientHello
    (libnice bytes) and an 83-byte ServerHello+ServerHelloDone in one record.
  * RTP/RTCP (RFC 3550 5.1, 6.4.1, 6.4.2, 6.5): V=2, PT 104 (SILK WB, 16 kHz,
    dynamic) and PT 0/8; SR/RR with report blocks, compound with SDES CNAME.
  * Media after a successful Set Active Destination is sent unwrapped on the
    client<->Edge 5-tuple (ref 6, media-flow facts).
  * msturn-learning.pcap (ref 6): the relay 5-tuple is MAPPED-ADDRESS (relay) x
    DESTINATION-ADDRESS / REMOTE-ADDRESS (peer) and carries plain STUN/RTP/RTCP
    on the Edge external side; the relayed Binding Request/Response are the
    very bytes of the Send / Data Indication DATA.  A Binding success response
    (XOR-MAPPED-ADDRESS 0x0020 = the request's source) validates its pair
    (RFC 5245 7.1.3); an unanswered check validates nothing.  RTCP RR only from
    a participant that has sent no RTP (RFC 3550 6.4); SR packet/octet counts,
    LSR/DLSR per RFC 3550 6.4.1.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import cli  # noqa: E402
from lib.base import NTP_OFFSET, STEP_US, T0, H, fmt_addr  # noqa: E402,F401
from lib.capture import Capture, TcpFlow, UdpFlow, describe  # noqa: E402,F401
from lib.net import (CLIENT, EDGE, MAC_CLIENT, MAC_EDGE, MAC_EDGE_EXT, MAC_GW, PEER_IP, REFLEX_IP,  # noqa: E402,F401
                     RELAY6_IP, RELAY_IP, Host, csum, flag_str, ipv4, l4_csum, new_hosts, udp_frame)
from lib.pcap import read as read_pcap  # noqa: E402,F401
from lib.rtp import PT_NAMES, Rtcp, Rtp, RtpMixed, RtpStream, ntp64  # noqa: E402,F401
from lib.stun import (ALL_KEYS, CLIENT_PWD, CLIENT_UFRAG, COOKIE, CRC_TABLE, FP_XOR, LEGACY_TABLE,  # noqa: E402,F401
                      MI_CLIENT, MI_PEER, MI_TURN, MI_TURN_RFC, MS_MAGIC, MSTURN_TYPES, PEER_PWD, PEER_UFRAG,
                      REALM, REGISTRY, SQ_QUAL, SQ_STREAM, STUN_TYPES, TURN_KEY, TURN_PASS, TURN_USER, Attr,
                      ChannelData, Integrity, MTurn, Msg, Rfc4571, Stun, a_addr, a_data, a_error, a_magic,
                      a_msver, a_raw, a_seqnum, a_str, a_svcq, a_u32, a_xaddr, addr_value, auth_attrs,
                      cookie_tid, crc32_legacy, crc32_std, crc32_table, desc02, desc03, frame02, frame03,
                      ice_request, ice_response, plain_tid, prio)
from lib.tls import CLIENT_HELLO, server_hello  # noqa: E402,F401
from lib.verify import (verify_captures, verify_file, verify_media, verify_payload,  # noqa: E402,F401
                        verify_snapped, verify_stun)
from msice2_checks import build_ice2, find_legacy_distinct  # noqa: E402,F401
from msturn_learning import (ADDR_MEANING, LEARN_EXPECT, Noted, build_learning, flow_tuple,  # noqa: E402,F401
                             learning_overview, ranges, stun_addrs, verify_learning)
from msturn_tcp import (LENGTHLESS_CLIENTS, LIBNICE_TID, RFC5766_TCP_PORTS, build_tcp443,  # noqa: E402,F401
                        build_tcp443_mid, build_tcp443_split, build_tcp3478_mid, desc_lengthless,
                        frame_lengthless, libnice_allocate)
from msturn_udp import LEGACY_VECTOR, SNAPLEN_SHORT, build_snaplen60, build_teams, build_udp3478  # noqa: E402,F401

PREAMBLE = [
    '# msstun test captures: the MS-TURN family', '',
    'Printed by `python3 captures/gen_msturn.py --describe` from the objects that build the captures.  '
    'Frame numbers are 1-based as in Wireshark.', '',
    'The SRTP captures (srtp-*.pcap, encrypted by libsrtp2): `python3 captures/gen_srtp.py --describe`; the '
    'capture taken on a TURN server with both legs of a relayed call (turn-edge-relay.pcap): '
    '`python3 captures/gen_turn_edge.py --describe`.', '',
    '## Conventions common to all files', '',
    '* Classic libpcap (magic a1b2c3d4, v2.4, snaplen 65535 unless a file says otherwise, LINKTYPE_ETHERNET). '
    'Frame n has timestamp '
    '2026-01-01 00:00:00 UTC + (n-1) x 20 ms (epoch %d).' % T0,
    '* MACs: client 00:00:5e:00:53:0a, Edge 00:00:5e:00:53:01, router towards the peer 00:00:5e:00:53:fe. '
    'IPv4 only on the wire; all IP/UDP/TCP checksums are correct.',
    '* Addresses: client 10.0.0.10 (reflexive 198.51.100.7), Edge 192.0.2.1 (UDP 3478, TCP 443), '
    'relay 192.0.2.15 / [2001:db8::15], peer 203.0.113.9.',
    '* MS-TURN long-term credentials: USERNAME "%s", REALM "%s", password "%s"; key = MD5(user:realm:pass) '
    '= %s. Every MS-TURN MESSAGE-INTEGRITY is HMAC-SHA256 (32 bytes) with this key (also the Send / SAD / '
    'Data Indication ones, which carry no REALM).' % (TURN_USER.decode(), REALM.decode(), TURN_PASS.decode(),
                                                     TURN_KEY.hex()),
    '* MS-ICE2 short-term credentials: client ufrag "%s" password "%s"; peer ufrag "%s" password "%s". '
    'Requests from the client use USERNAME "%s" and are keyed with the peer password; requests from '
    'the peer use "%s" and the client password; responses use the request\'s key. HMAC-SHA1, 20 bytes.'
    % (CLIENT_UFRAG.decode(), CLIENT_PWD.decode(), PEER_UFRAG.decode(), PEER_PWD.decode(),
       (PEER_UFRAG + b':' + CLIENT_UFRAG).decode(), (CLIENT_UFRAG + b':' + PEER_UFRAG).decode()),
    '* MS-TURN messages: MAGIC-COOKIE first, attributes unpadded; NONCE = 0x0014, REALM = 0x0015. '
    'Allocate/Send/SAD headers carry 0x2112a442 at bytes 4..7; Data Indications (0x0115) and the legacy pair '
    'use a 128-bit transaction ID without cookie. XOR attributes: port ^ bytes 4..5, IPv4 ^ bytes 4..7, '
    'IPv6 ^ bytes 4..19 of the message that contains them. REMOTE-ADDRESS 0x0012, DESTINATION-ADDRESS, '
    'MAPPED-ADDRESS, MS-ALT-MAPPED-ADDRESS and ALTERNATE-SERVER are plain.',
    '* `@N` = byte offset of the attribute header from the start of the STUN message that contains it '
    '(for a message nested in DATA: from the start of that inner message; the inner message / RFC 4571 '
    'frame begins at the outer DATA offset + 4).',
    '* TCP: "seq/ack" are absolute; "relative" values are what Wireshark shows by default (SYN = 0, first data '
    'byte = 1; in the mid-stream file the base is the first seen sequence number - 1). TCP flags are listed '
    'in Wireshark order.',
    '* Known built-in dissector disagreements (expected, not capture errors): Wireshark 4.0 labels '
    'BANDWIDTH-RSV-AMOUNT offset 0/4/8/12 as Max Send / Min Send / Max Receive / Min Receive; these captures '
    'follow the MS-TURNBWM 2.2.3 figure order MinSend, MaxSend, MinRecv, MaxRecv. It shows the 32-byte '
    'MESSAGE-INTEGRITY as "HMAC-SHA1", does not know the legacy CRC table, and (in RFC 5389 mode) mis-walks '
    'unpadded attributes.',
    '* Inner MS-ICE2 messages (in DATA or direct) are RFC 5389 with padded attributes unless stated.',
    '* RTP PT 104 = SILK WB (16 kHz clock, +320 per 20 ms), PT 0/8 (8 kHz, +160). Payload bytes are opaque '
    '(SHA-256 derived). Every RTCP packet is compound: SR or RR with one report block, then SDES CNAME.',
    '']


def build():
    return [build_udp3478(), build_ice2(), build_tcp443(), build_tcp443_mid(), build_learning(),
            build_tcp443_split(), build_snaplen60(), build_teams(), build_tcp3478_mid()]


def verify(files, whole):
    n = verify_captures(files, whole, rfc5766_ports=RFC5766_TCP_PORTS, lengthless_clients=LENGTHLESS_CLIENTS)
    verify_learning(files['msturn-learning.pcap'])
    return n


def manifest(caps):
    return describe(caps, PREAMBLE)


def build_all():
    """name -> bytes of every capture of the family."""
    return cli.build_files(build)[1]


def verify_all(files):
    return verify(files, cli.build_files(build)[2])


def main(argv):
    return cli.main(argv, build, verify, PREAMBLE)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
