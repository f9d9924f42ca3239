# SPDX-License-Identifier: GPL-2.0-or-later
"""Ethernet, IPv4 (RFC 791), UDP (RFC 768) and TCP (RFC 793) with their checksums."""

import array
import ipaddress
import struct
import sys

ETHERTYPE_IPV4 = b'\x08\x00'
PROTO_TCP, PROTO_UDP = 6, 17
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
MSS_1460 = b'\x02\x04\x05\xb4'      # the MSS option a SYN carries
MAC_CLIENT = bytes.fromhex('00005e00530a')
MAC_EDGE = bytes.fromhex('00005e005301')
MAC_GW = bytes.fromhex('00005e0053fe')
MAC_EDGE_EXT = bytes.fromhex('00005e005315')   # the Edge's external NIC (relay address 192.0.2.15)

# The test network (RFC 5737 / RFC 3849 documentation addresses): the client, the Edge's
# internal side (UDP 3478, TCP 443), its relay address, the client's reflexive address, a peer.
CLIENT = ('10.0.0.10', MAC_CLIENT, 128)
EDGE = ('192.0.2.1', MAC_EDGE, 128)
RELAY_IP, RELAY6_IP, REFLEX_IP, PEER_IP = '192.0.2.15', '2001:db8::15', '198.51.100.7', '203.0.113.9'


def csum(data):
    """RFC 1071 Internet checksum (summed in native order, then swapped)."""
    if len(data) % 2:
        data += b'\0'
    s = sum(array.array('H', data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    s = ~s & 0xFFFF
    if sys.byteorder == 'little':
        s = ((s & 0xFF) << 8) | (s >> 8)
    return s


def ip4(text):
    return ipaddress.IPv4Address(text).packed


class Host:
    """An IPv4 sender: its address, MAC, TTL, and the IP identification of its next packet."""

    def __init__(self, ip, mac, ttl, ident):
        self.ip, self.mac, self.ttl, self.ident = ip, mac, ttl, ident
        self.packed = ipaddress.ip_address(ip).packed


def new_hosts(client_ident=0x1000, edge_ident=0x5000):
    """The client and the Edge, with the IP identification of their first packets."""
    return Host(*CLIENT, client_ident), Host(*EDGE, edge_ident)


def ipv4_packet(src, dst, proto, payload, ident=0, ttl=64, df=True):
    """src, dst: packed addresses."""
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000 if df else 0,
                      ttl, proto, 0, src, dst)
    return hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:] + payload


def ipv4(src, dst, proto, payload, df):
    """A packet from Host src to Host dst; src's identification advances."""
    packet = ipv4_packet(src.packed, dst.packed, proto, payload, src.ident, src.ttl, df)
    src.ident = (src.ident + 1) & 0xFFFF
    return packet


def l4_csum(src, dst, proto, seg):
    """The UDP/TCP checksum over the IPv4 pseudo-header (src, dst: Hosts or packed addresses)."""
    src, dst = getattr(src, 'packed', src), getattr(dst, 'packed', dst)
    return csum(src + dst + struct.pack('!BBH', 0, proto, len(seg)) + seg)


def udp_segment(src, sport, dst, dport, payload):
    seg = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0) + payload
    return seg[:6] + struct.pack('!H', l4_csum(src, dst, PROTO_UDP, seg) or 0xFFFF) + seg[8:]


def tcp_segment(src, sport, dst, dport, seq, ack, flags, win, payload, opts=b''):
    hl = 20 + len(opts)
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, (hl // 4) << 4, flags,
                      win, 0, 0) + opts + payload
    return seg[:16] + struct.pack('!H', l4_csum(src, dst, PROTO_TCP, seg)) + seg[18:]


def ethernet(dmac, smac, packet):
    return dmac + smac + ETHERTYPE_IPV4 + packet


def udp_frame(src, sport, dst, dport, payload, smac, dmac):
    """A UDP datagram from Host src to Host dst."""
    seg = udp_segment(src.packed, sport, dst.packed, dport, payload)
    return ethernet(dmac, smac, ipv4(src, dst, PROTO_UDP, seg, False))


def tcp_frame(src, sport, dst, dport, seq, ack, flags, win, payload):
    """A TCP segment from Host src to Host dst (MSS 1460 on a SYN, DF set)."""
    seg = tcp_segment(src.packed, sport, dst.packed, dport, seq, ack, flags, win, payload,
                      MSS_1460 if flags & SYN else b'')
    return ethernet(dst.mac, src.mac, ipv4(src, dst, PROTO_TCP, seg, True))


def flag_str(f):
    return ', '.join(n for b, n in [(FIN, 'FIN'), (SYN, 'SYN'), (RST, 'RST'), (PSH, 'PSH'), (ACK, 'ACK')]
                     if f & b)


class TcpStream:
    """One direction of a TCP connection after a three-way handshake, for captures written as
    they go (cap: anything with add(frame, note)).  ack() has the receiver acknowledge all
    sent so far: without ACKs Wireshark's TCP analysis costs time per segment that grows
    with the stream.  IPv4 identification 0, TTL 64, window 65535, no options."""

    def __init__(self, cap, src, sport, dst, dport, smac, dmac, isn=1000, peer_isn=5000):
        self.cap, self.src, self.sport, self.dst, self.dport = cap, src, sport, dst, dport
        self.smac, self.dmac = smac, dmac
        self.peer_isn = peer_isn
        self._add(False, isn, 0, SYN, 'TCP SYN')
        self._add(True, peer_isn, isn + 1, SYN | ACK, 'TCP SYN, ACK')
        self._add(False, isn + 1, peer_isn + 1, ACK, 'TCP ACK')
        self.seq = isn + 1

    def _add(self, reverse, seq, ack, flags, note, payload=b''):
        s, sp, d, dp, sm, dm = self.src, self.sport, self.dst, self.dport, self.smac, self.dmac
        if reverse:
            s, sp, d, dp, sm, dm = d, dp, s, sp, dm, sm
        seg = tcp_segment(s, sp, d, dp, seq, ack, flags, 65535, payload)
        self.cap.add(ethernet(dm, sm, ipv4_packet(s, d, PROTO_TCP, seg)), note)

    def send(self, payload, note=None):
        self._add(False, self.seq, self.peer_isn + 1, PSH | ACK, note, payload)
        self.seq += len(payload)

    def ack(self, note=None):
        self._add(True, self.peer_isn + 1, self.seq, ACK, note)
