# SPDX-License-Identifier: GPL-2.0-or-later
"""The capture generators' library: everything the scripts in captures/, bench/, fuzz/ and
test/suite_mux.py build packets with, one implementation of each, deterministic (no randomness: every
"random" value is a SHA-256 of a fixed label, base.H).

  base     the capture epoch, H(), address text
  pcap     classic pcap writing (in memory or streamed, gzip); the one reader of pcap and pcapng
  net      Ethernet, IPv4, UDP, TCP with checksums; Host; TcpStream (a stream that ACKs)
  capture  Capture (frames with notes, --describe), UdpFlow, TcpFlow
  sip      SIP calls (INVITE, 200 OK, ACK) over UDP 5060 with SDP offers and answers
  stun     STUN / TURN / MS-TURN / MS-ICE2 messages, MESSAGE-INTEGRITY, FINGERPRINT,
           DATA, ChannelData, 0xFF10, RFC 4571 and MS-TURN TCP framing
  rtp      RTP and RTCP (RFC 3550), [MS-RTP] profile-specific extensions
  media    G.711 / G.722 tones and RTP streams of them or of any payload type
  tls      TLS records (the pseudo-TLS handshake of MS-TURN on TCP 443, TLS 1.3 hellos), a real
           TLS 1.3 session between in-memory OpenSSL endpoints
  srtp     SRTP / SRTCP through libsrtp2, master keys, the plaintexts of srtp-expected.json
  verify   the independent check of the files written (read back from their bytes)
  cli      the capture scripts' command line: [--describe | --check] [OUTDIR]

Where each construct comes from (specification sections): gen_msturn.py's docstring.
"""
