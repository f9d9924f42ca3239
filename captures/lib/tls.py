# SPDX-License-Identifier: GPL-2.0-or-later
"""TLS records: the pseudo-TLS handshake of MS-TURN on TCP 443 (ref 4.2), and TLS 1.3 handshake
records with deterministic randoms (what HTTPS on TCP 443 looks like to a port multiplexer); a real TLS 1.3
session between two in-memory OpenSSL endpoints (tls13_session)."""

import os
import ssl
import struct
import subprocess
import tempfile

from .base import H, T0

CLIENT_HELLO = bytes.fromhex(
    '160301002d0100002903 01c1fcd5a36d93dd7e0b45673fec7985fbbc3fd660c2ce8485081b8121bcaa10fb'
    '0000020018 0100'.replace(' ', ''))
assert len(CLIENT_HELLO) == 50


def server_hello():
    rnd = struct.pack('!I', T0) + H('pseudo-tls-server-random', 28)
    sid = H('pseudo-tls-session-id', 32)
    b = bytes.fromhex('160301004e') + bytes.fromhex('02000046') + b'\x03\x01' + rnd + b'\x20' + sid + \
        b'\x00\x18' + b'\x00' + bytes.fromhex('0e000000')
    assert len(b) == 83
    return b, rnd, sid


CCS = bytes.fromhex('140303000101')   # change_cipher_spec record (TLS 1.3 middlebox compatibility)


def tls_record(ctype, body, version=0x0303):
    return struct.pack('!BHH', ctype, version, len(body)) + body


def app_data(label, n):
    """An application_data record of n deterministic bytes."""
    return tls_record(23, H('tls:' + label, n))


def ext(t, body):
    """A TLS extension: type, length, body."""
    return struct.pack('!HH', t, len(body)) + body


def client_hello_13(label, sni):
    """RFC 8446 4.1.2 ClientHello in a TLS 1.0-versioned record, as browsers send it (randoms from label)."""
    exts = (ext(0x0000, struct.pack('!HBH', len(sni) + 3, 0, len(sni)) + sni) +          # server_name
            ext(0x000a, bytes.fromhex('0006001d00170018')) +                              # supported_groups
            ext(0x000b, bytes.fromhex('0100')) +                                          # ec_point_formats
            ext(0x000d, bytes.fromhex('000c040305030603080408050806')) +                  # signature_algorithms
            ext(0x0010, bytes.fromhex('000c02683208687474702f312e31')) +                  # ALPN h2, http/1.1
            ext(0x0017, b'') +                                                             # extended_master_secret
            ext(0x002b, bytes.fromhex('0403040303')) +                                    # supported_versions
            ext(0x002d, bytes.fromhex('0101')) +                                          # psk_key_exchange_modes
            ext(0x0033, struct.pack('!HHH', 36, 0x001d, 32) + H('tls:' + label + ':cks', 32)))  # key_share x25519
    suites = bytes.fromhex('130113021303c02bc02fc02cc030')
    body = (b'\x03\x03' + H('tls:' + label + ':crandom', 32) + b'\x20' + H('tls:' + label + ':sid', 32) +
            struct.pack('!H', len(suites)) + suites + b'\x01\x00' + struct.pack('!H', len(exts)) + exts)
    hs = struct.pack('!B', 1) + struct.pack('!I', len(body))[1:] + body
    return tls_record(22, hs, 0x0301)


def server_hello_13(label):
    """RFC 8446 4.1.3 ServerHello (TLS_AES_128_GCM_SHA256, x25519)."""
    exts = ext(0x002b, b'\x03\x04') + ext(0x0033, struct.pack('!HH', 0x001d, 32) + H('tls:' + label + ':sks', 32))
    body = (b'\x03\x03' + H('tls:' + label + ':srandom', 32) + b'\x20' + H('tls:' + label + ':sid', 32) +
            b'\x13\x01\x00' + struct.pack('!H', len(exts)) + exts)
    hs = struct.pack('!B', 2) + struct.pack('!I', len(body))[1:] + body
    return tls_record(22, hs)


def tls13_session(invite, ok, ack, keylog):
    """A TLS 1.3 session between two in-memory OpenSSL endpoints (Python's ssl) that carries invite and
    ack from the client (A) and ok from the server (B), its secrets written to the NSS key log keylog;
    returns the TCP byte streams as a list of (direction, bytes) writes.  OpenSSL draws its randoms:
    every run differs."""
    tmp = tempfile.mkdtemp()
    cert, key = os.path.join(tmp, 'cert.pem'), os.path.join(tmp, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
                    '-subj', '/CN=pool.msstun.example', '-keyout', key, '-out', cert],
                   check=True, capture_output=True)
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(cert, key)
    sctx.minimum_version = sctx.maximum_version = ssl.TLSVersion.TLSv1_3
    sctx.num_tickets = 0
    cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cctx.check_hostname = False
    cctx.verify_mode = ssl.CERT_NONE
    cctx.minimum_version = cctx.maximum_version = ssl.TLSVersion.TLSv1_3
    cctx.keylog_filename = keylog
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    cli = cctx.wrap_bio(c_in, c_out, server_side=False, server_hostname='pool.msstun.example')
    srv = sctx.wrap_bio(s_in, s_out, server_side=True)
    writes = []

    def pump():
        moved = True
        while moved:
            moved = False
            d = c_out.read()
            if d:
                writes.append(('A', d))
                s_in.write(d)
                moved = True
            d = s_out.read()
            if d:
                writes.append(('B', d))
                c_in.write(d)
                moved = True

    done_c = done_s = False
    while not (done_c and done_s):
        for end in ('c', 's'):
            try:
                (cli if end == 'c' else srv).do_handshake()
                if end == 'c':
                    done_c = True
                else:
                    done_s = True
            except ssl.SSLWantReadError:
                pass
        pump()
    for side, data in (('c', invite), ('s', ok), ('c', ack)):
        (cli if side == 'c' else srv).write(data)
        pump()
        peer = srv if side == 'c' else cli
        got = b''
        while len(got) < len(data):
            got += peer.read(65536)
        assert got == data
    os.unlink(cert)
    os.unlink(key)
    os.rmdir(tmp)
    return writes
