#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_hostile_srtp.py - hostile SRTP inputs (issue 25, cases 1 to 4 and 10)
and the edge cases of issue 26 (items 9 and 11), made at test time by
test/suite_hostile_srtp.py.

Usage:  python3 gen_hostile_srtp.py OUTDIR [N]

Every key is an RFC 4568 a=crypto attribute (AES_CM_128_HMAC_SHA1_80, a
30-byte inline key and salt from SHA-256 labels); every legitimate packet
is RTP (RFC 3550) protected by libsrtp2 (captures/lib/srtp.py's ctypes
binding, RFC 3711), with the MKI where the key declares one.  The hostile
datagrams are RTP headers with a new SSRC each and pseudo-random payload
and tag, as an attacker (or a capture of unrelated traffic) would send.

  many_sdp_keys(n, keys)    case 1: a datagram on a UDP 5-tuple, then SIP
                            INVITE whose SDP offers `keys` keys for that
                            5-tuple's destination, then n datagrams each
                            with a new SSRC, then 3 packets of a legitimate
                            stream under the offer's first (oldest) key.
  new_ssrcs(n)              case 2: n datagrams to UDP 3478 each with a new
                            SSRC, then the legitimate stream under the first
                            key of keys_text(100).
  keys_text(n)              cases 2 to 4: a keys file of n distinct keys,
                            one a=crypto line each.
  plausible_ssrcs(n)        case 2 with two datagrams per SSRC, the second
                            following the first: every stream is searched.
  bound_streams(s)          s legitimate streams, each under its own key of
                            keys_text(s) (bench/srtp-hostile.py: memory per
                            bound stream).
  one_datagram()            case 4: one RTP datagram to UDP 3478.
  no_rtp()                  case 3: one datagram that is not RTP.
  junk_text(n)              case 10: a keys file of n lines with no key.
  short_mki4()              26.9: a stream whose key has a 4-byte MKI, and
                            packets of that SSRC of 12 and 13 bytes.
  decimal_lifetime()        26.11: a stream under |281474976710656|7:2.
  sdp_that_throws()         26.11: SDP whose second a=crypto has an empty
                            key and whose session c= line no address.
"""

import base64
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from lib.base import H  # noqa: E402
from lib.capture import Capture, udp_exchange  # noqa: E402
from lib.cli import write_files  # noqa: E402
from lib.net import MAC_CLIENT, MAC_EDGE, Host, udp_frame  # noqa: E402  (IPv4/UDP)
from lib.srtp import SrtpSender  # noqa: E402  (libsrtp2 through ctypes)

CLIENT = Host('10.0.0.10', MAC_CLIENT, 128, 0x2100)
SERVER = Host('10.0.0.20', MAC_EDGE, 128, 0x3100)
CLIENT_PORT, MEDIA_PORT, TURN_PORT = 30000, 40000, 3478
LEGIT_SSRC = 0x5EC0A001
LEGIT_PAYLOAD = bytes(range(160))


def key_salt(i):
    return H('hostile-srtp-key:%d' % i, 30)


def crypto_line(tag, key, params=''):
    return 'a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:%s%s' % (tag, base64.b64encode(key).decode(), params)


def keys_text(n):
    return ''.join(crypto_line(i + 1, key_salt(i)) + '\n' for i in range(n)).encode()


def junk_text(n):
    """n log-like lines with SDP-looking text and no usable key."""
    return ''.join('line %d: m=audio %d RTP/SAVP 0 a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:short\n'
                   % (i, 1024 + i % 60000, i) for i in range(n)).encode()


def rtp(ssrc, seq, ts, payload, pt=0):
    return struct.pack('!BBHII', 0x80, pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc) + payload


def junk_datagram(i):
    """An RTP header with SSRC and sequence number of its own, 160 bytes of
    pseudo-random payload and a 10-byte pseudo-random tag."""
    body = H('hostile-srtp-junk:%d' % i, 170)
    ssrc = struct.unpack('!I', H('hostile-srtp-ssrc:%d' % i, 4))[0]
    return rtp(ssrc, i * 7919, i * 160, body)


def legit_packets(key, count=3, mki=None, mki_len=0, ssrc=LEGIT_SSRC):
    sender = SrtpSender(key, 80, mki=mki, mki_len=mki_len)
    return [sender.rtp(rtp(ssrc, 1000 + i, 160 * i, LEGIT_PAYLOAD)) for i in range(count)]


def capture(frames):
    """frames: (from client, destination port, payload); a pcap file's bytes."""
    return udp_exchange('hostile-srtp', 'hostile SRTP', CLIENT, CLIENT_PORT, SERVER, frames)


BOUNDARY = 'hostile-boundary-1'


def sip_invite(sdp, multipart=False):
    """A SIP INVITE over UDP (RFC 3261) carrying sdp, as the body or (as
    Lync and Skype for Business send it) the one part of a
    multipart/alternative body (RFC 2046 5.1.4)."""
    if multipart:
        body = ('--%s\r\nContent-Type: application/sdp\r\n\r\n%s\r\n--%s--\r\n'
                % (BOUNDARY, sdp, BOUNDARY)).encode()
        content_type = 'multipart/alternative;boundary=%s' % BOUNDARY
    else:
        body = sdp.encode()
        content_type = 'application/sdp'
    head = ('INVITE sip:bob@msstun.example SIP/2.0\r\n'
            'Via: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK-hostile-1\r\n'
            'Max-Forwards: 70\r\n'
            'From: <sip:alice@msstun.example>;tag=hostile1\r\n'
            'To: <sip:bob@msstun.example>\r\n'
            'Call-ID: hostile-srtp-1@10.0.0.10\r\n'
            'CSeq: 1 INVITE\r\n'
            'Contact: <sip:alice@10.0.0.10:5060>\r\n'
            'Content-Type: %s\r\n'
            'Content-Length: %d\r\n\r\n' % (content_type, len(body)))
    return head.encode() + body


def sip_frame(sdp, multipart=False):
    return udp_frame(CLIENT, 5060, SERVER, 5060, sip_invite(sdp, multipart), CLIENT.mac, SERVER.mac)


def sdp_body(crypto_lines, session_c='c=IN IP4 10.0.0.20\r\n'):
    return ('v=0\r\n'
            'o=- 1 1 IN IP4 10.0.0.20\r\n'
            's=hostile\r\n'
            + session_c +
            't=0 0\r\n'
            'm=audio %d RTP/SAVP 0\r\n'
            'c=IN IP4 10.0.0.20\r\n'
            'a=rtcp-mux\r\n'
            '%s'
            'a=rtpmap:0 PCMU/8000\r\n' % (MEDIA_PORT, ''.join(line + '\r\n' for line in crypto_lines)))


def with_sip(sdp, before, after, multipart=False):
    """A pcap: the datagrams before (client to MEDIA_PORT), the INVITE, the datagrams after."""
    cap = Capture('hostile-srtp', 'hostile SRTP')
    for payload in before:
        cap.add(udp_frame(CLIENT, CLIENT_PORT, SERVER, MEDIA_PORT, payload, CLIENT.mac, SERVER.mac), '', [])
    cap.add(sip_frame(sdp, multipart), '', [])
    for payload in after:
        cap.add(udp_frame(CLIENT, CLIENT_PORT, SERVER, MEDIA_PORT, payload, CLIENT.mac, SERVER.mac), '', [])
    return cap.pcap()


def many_sdp_keys(n, keys=600):
    lines = [crypto_line(i + 1, key_salt(i)) for i in range(keys)]
    return with_sip(sdp_body(lines), [junk_datagram(0)],
                    [junk_datagram(i + 1) for i in range(n)] + legit_packets(key_salt(0)))


def new_ssrcs(n):
    return capture([(True, TURN_PORT, junk_datagram(i)) for i in range(n)] +
                   [(True, TURN_PORT, p) for p in legit_packets(key_salt(0))])


def plausible_ssrcs(n):
    """Like new_ssrcs(), but each SSRC sends two datagrams whose sequence
    numbers follow: every stream looks like SRTP and is searched."""
    frames = []
    for i in range(n):
        first = junk_datagram(i)
        second = bytearray(junk_datagram(i + 1000000))
        second[2:4] = struct.pack('!H', (struct.unpack('!H', first[2:4])[0] + 1) & 0xFFFF)
        second[8:12] = first[8:12]
        frames += [(True, TURN_PORT, first), (True, TURN_PORT, bytes(second))]
    return capture(frames + [(True, TURN_PORT, p) for p in legit_packets(key_salt(0))])


def bound_streams(s):
    """s legitimate streams of 3 packets, stream i (SSRC 0x10000000 + i)
    under key i of keys_text(s)."""
    frames = []
    for i in range(s):
        frames += [(True, TURN_PORT, p) for p in legit_packets(key_salt(i), ssrc=0x10000000 + i)]
    return capture(frames)


def one_datagram():
    return capture([(True, TURN_PORT, junk_datagram(0))])


def no_rtp():
    """One UDP datagram that is not RTP (to the discard port)."""
    return capture([(True, 9, b'no media here\n')])


MKI4_KEY = H('hostile-srtp-mki4', 30)


def short_mki4():
    """Frames 1-3: SRTP with MKI 7 in 4 bytes; frame 4: a 12-byte RTP
    header of that SSRC; frame 5: 13 bytes; frame 6: SRTP again."""
    sender = SrtpSender(MKI4_KEY, 80, mki=7, mki_len=4)
    good = [sender.rtp(rtp(LEGIT_SSRC, 2000 + i, 160 * i, LEGIT_PAYLOAD)) for i in range(4)]
    short = [rtp(LEGIT_SSRC, 2003, 480, b''), rtp(LEGIT_SSRC, 2004, 640, b'\xff')]
    return capture([(True, TURN_PORT, p) for p in good[:3] + short + good[3:]])


def short_mki4_keys():
    return (crypto_line(1, MKI4_KEY, '|2^31|7:4') + '\n').encode()


LIFETIME_KEY = H('hostile-srtp-lifetime', 30)


def decimal_lifetime():
    """Three SRTP packets with MKI 7 in 2 bytes."""
    return capture([(True, TURN_PORT, p) for p in legit_packets(LIFETIME_KEY, mki=7, mki_len=2)])


def decimal_lifetime_keys():
    return (crypto_line(1, LIFETIME_KEY, '|281474976710656|7:2') + '\n').encode()


THROW_KEY = H('hostile-srtp-sdp-throws', 30)


def sdp_that_throws(empty_key=True, no_address=True):
    """SIP INVITE (frame 1) with a multipart/alternative body whose SDP
    has a session c= line with no address and, after a usable key, an
    a=crypto with an empty key (either alone with the arguments); then three
    SRTP packets under that key to its media address.  (A body of type
    application/sdp itself makes SIP's own SDP set-up throw before any
    body dissector runs.)"""
    lines = [crypto_line(1, THROW_KEY)]
    if empty_key:
        lines.append('a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:')
    sdp = sdp_body(lines, session_c='c=IN IP4 \r\n' if no_address else 'c=IN IP4 10.0.0.20\r\n')
    return with_sip(sdp, [], legit_packets(THROW_KEY), multipart=True)


def main(argv):
    outdir = argv[0]
    n = int(argv[1]) if len(argv) > 1 else 20
    files = {
        'case1-sdp-keys.pcap': many_sdp_keys(n),
        'case2-new-ssrcs.pcap': new_ssrcs(20 * n),
        'case2-keys.txt': keys_text(100),
        'case3-keys.txt': keys_text(4000 * n),
        'case4-one-datagram.pcap': one_datagram(),
        'case10-junk.txt': junk_text(20000 * n),
        'short-mki4.pcap': short_mki4(),
        'short-mki4-keys.txt': short_mki4_keys(),
        'decimal-lifetime.pcap': decimal_lifetime(),
        'decimal-lifetime-keys.txt': decimal_lifetime_keys(),
        'sdp-throws.pcap': sdp_that_throws(),
    }
    write_files(outdir, files)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
