#!/usr/bin/python3
"""Tiny TLS server + client pair used by gen_tls.sh to record REAL TLS on
127.0.0.1:443 (python3 stdlib only).

Two sequential TLS connections are made, each with a full handshake (no
session resumption, no session tickets):
  1. SIP:  "OPTIONS sip:edge.example.com SIP/2.0" -> "SIP/2.0 200 OK"
  2. HTTP: "GET / HTTP/1.1"                        -> "HTTP/1.1 200 OK"
The client sends close_notify and closes; the server then does the same.

  --mode rsa    TLS 1.2 only, cipher AES128-GCM-SHA256 (0x009c, RSA key
                exchange): decryptable with the server private key alone.
  --mode ecdhe  TLS 1.3 (ECDHE), client writes an NSS key log (--keylog).

Needs root (binds port 443).
"""
import argparse
import socket
import ssl
import sys
import threading

HOST, PORT = "127.0.0.1", 443

HTTP_BODY = b"<html><body>msstun test page</body></html>\n"


def read_message(conn):
    """Read one SIP/HTTP message (headers + Content-Length body)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = conn.recv(4096)
        if not chunk:
            return buf
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    clen = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() in (b"content-length", b"l"):
            clen = int(value.strip())
    while len(body) < clen:
        chunk = conn.recv(4096)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def header(msg, name):
    for line in msg.split(b"\r\n")[1:]:
        n, _, v = line.partition(b":")
        if n.strip().lower() == name.lower():
            return v.strip()
    return b""


def sip_response(req):
    hdrs = [
        b"SIP/2.0 200 OK",
        b"Via: " + header(req, b"via") + b";received=127.0.0.1",
        b"From: " + header(req, b"from"),
        b"To: " + header(req, b"to") + b";tag=srv-7d1c42",
        b"Call-ID: " + header(req, b"call-id"),
        b"CSeq: " + header(req, b"cseq"),
        b"Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REGISTER, SUBSCRIBE, NOTIFY",
        b"Server: msstun-test-edge/1.0",
        b"Content-Length: 0",
    ]
    return b"\r\n".join(hdrs) + b"\r\n\r\n"


def http_response():
    hdrs = [
        b"HTTP/1.1 200 OK",
        b"Server: msstun-test/1.0",
        b"Content-Type: text/html",
        b"Content-Length: " + str(len(HTTP_BODY)).encode(),
        b"Connection: close",
    ]
    return b"\r\n".join(hdrs) + b"\r\n\r\n" + HTTP_BODY


def set_version(ctx, args):
    """TLS 1.2 with RSA key exchange (AES128-GCM-SHA256), or TLS 1.3."""
    if args.mode == "rsa":
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        ctx.set_ciphers("AES128-GCM-SHA256")
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3


def server_ctx(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ctx.options |= ssl.OP_NO_TICKET
    ctx.num_tickets = 0
    set_version(ctx, args)
    return ctx


def client_ctx(args):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    set_version(ctx, args)
    if args.mode != "rsa" and args.keylog:
        ctx.keylog_filename = args.keylog
    return ctx


def serve(lsock, ctx, count, errors):
    try:
        for _ in range(count):
            raw, _ = lsock.accept()
            with ctx.wrap_socket(raw, server_side=True) as conn:
                req = read_message(conn)
                if req.startswith(b"OPTIONS sip:"):
                    conn.sendall(sip_response(req))
                elif req.startswith(b"GET "):
                    conn.sendall(http_response())
                else:
                    raise RuntimeError("unexpected request %r" % req[:40])
                # wait for the client's close_notify, then answer it
                while conn.recv(4096):
                    pass
                raw = conn.unwrap()
                raw.close()
    except Exception as exc:  # reported by main thread
        errors.append(exc)


def client_exchange(ctx, build_request):
    raw = socket.create_connection((HOST, PORT))
    conn = ctx.wrap_socket(raw, server_hostname="edge.example.com")
    lport = conn.getsockname()[1]
    conn.sendall(build_request(lport))
    resp = read_message(conn)
    print("client: %s %s -> %s" % (conn.version(), conn.cipher()[0],
                                    resp.split(b"\r\n", 1)[0].decode()))
    raw = conn.unwrap()   # send close_notify, wait for the server's
    raw.close()
    return resp


def sip_request(lport):
    hdrs = [
        b"OPTIONS sip:edge.example.com SIP/2.0",
        b"Via: SIP/2.0/TLS 127.0.0.1:%d;branch=z9hG4bK-msstun-0001;rport" % lport,
        b"Max-Forwards: 70",
        b"To: <sip:edge.example.com>",
        b"From: <sip:alice@example.com>;tag=cli-5a3f9e",
        b"Call-ID: 3f2b7c1e9d4a@127.0.0.1",
        b"CSeq: 1 OPTIONS",
        b"Contact: <sip:alice@127.0.0.1:%d;transport=tls>" % lport,
        b"Accept: application/sdp",
        b"User-Agent: msstun-test-client/1.0",
        b"Content-Length: 0",
    ]
    return b"\r\n".join(hdrs) + b"\r\n\r\n"


def http_request(lport):
    hdrs = [
        b"GET / HTTP/1.1",
        b"Host: edge.example.com",
        b"User-Agent: msstun-test-client/1.0",
        b"Accept: */*",
        b"Connection: close",
    ]
    return b"\r\n".join(hdrs) + b"\r\n\r\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=("rsa", "ecdhe"), required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--keylog")
    args = ap.parse_args()

    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind((HOST, PORT))
    lsock.listen(4)
    errors = []
    th = threading.Thread(target=serve,
                          args=(lsock, server_ctx(args), 2, errors))
    th.start()
    cctx = client_ctx(args)
    client_exchange(cctx, sip_request)
    client_exchange(cctx, http_request)
    th.join(10)
    lsock.close()
    if errors or th.is_alive():
        print("server error: %r" % (errors,), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
