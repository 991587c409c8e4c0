#!/usr/bin/env python3
"""toolsrv: a local https server standing for a remote API in tests.

    toolsrv.py CERT KEY LOG PORTFILE

Serves https with CERT/KEY on 127.0.0.1 and, when it can, ::1 on the
same port (written to PORTFILE once listening).  Every accepted
connection appends "conn ADDRESS" to LOG before anything else happens on
it, and every request "req METHOD PATH", so a test can prove that nothing
connected.  Endpoints:

  /json           200, JSON echo of method, path, query, headers, body
  /keyed          200, like /json but the headers only as the SHA-256 of
                  X-Api-Key ("keySha256"): a test proves the secret arrived
                  without the answer carrying it
  /redirect?to=U  302 to U (default /json)
  /big            10 MiB with a Content-Length
  /bigstream      10 MiB without a Content-Length (closes the connection)
  /biglength      a Content-Length of 10 MiB, then 10 bytes and 5 s of
                  silence: only a client that trusts the length fails fast
  /gzip           a gzip bomb: ~100 KiB that inflates to 100 MiB, with
                  Content-Encoding: gzip; X-Compressed-Length gives its size
  /drip           one byte a second, forever
  /headers        about 100 KiB of response headers
  /status/NNN     status NNN with a small JSON body
"""
import hashlib
import json
import os
import sys
import time
import urllib.parse
import zlib

# tlssrv stands next to this script; no bytecode left in the tree.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import tlssrv  # noqa: E402

CERT, KEY, LOG, PORTFILE = sys.argv[1:5]
note = tlssrv.logger(LOG)


def bomb():
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    parts = [z.compress(chunk) for _ in range(100)]
    parts.append(z.flush())
    return b"".join(parts)


BOMB = bomb()


class Handler(tlssrv.Handler):
    def send(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        note("req %s %s" % (self.command, u.path))
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n > 0 else b""
        if u.path == "/json":
            doc = {"method": self.command, "path": u.path, "query": u.query,
                   "headers": {k.lower(): v for k, v in self.headers.items()},
                   "body": body.decode("utf-8", "replace")}
            self.send(200, "application/json",
                      json.dumps(doc, sort_keys=True).encode())
        elif u.path == "/keyed":
            key = (self.headers.get("X-Api-Key") or "").encode()
            doc = {"method": self.command, "path": u.path, "query": u.query,
                   "keySha256": hashlib.sha256(key).hexdigest(),
                   "body": body.decode("utf-8", "replace")}
            self.send(200, "application/json",
                      json.dumps(doc, sort_keys=True).encode())
        elif u.path == "/redirect":
            to = urllib.parse.parse_qs(u.query).get("to", ["/json"])[0]
            self.send(302, "text/plain", b"moved\n", [("Location", to)])
        elif u.path == "/big":
            self.send(200, "application/octet-stream", bytes(10 << 20))
        elif u.path == "/bigstream":
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(bytes(1 << 20))
        elif u.path == "/biglength":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(10 << 20))
            self.end_headers()
            self.wfile.write(b"x" * 10)
            self.wfile.flush()
            time.sleep(5)
            self.close_connection = True
        elif u.path == "/gzip":
            self.send(200, "application/json", BOMB,
                      [("Content-Encoding", "gzip"),
                       ("X-Compressed-Length", str(len(BOMB)))])
        elif u.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            while True:
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(1)
        elif u.path == "/headers":
            self.send(200, "text/plain", b"ok\n",
                      [("X-Filler-%d" % i, "x" * 1000) for i in range(100)])
        elif u.path.startswith("/status/") and u.path[8:].isdigit():
            self.send(int(u.path[8:]), "application/json",
                      b'{"status":%s}' % u.path[8:].encode())
        else:
            self.send(404, "application/json", b'{"error":"not_found"}')

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = route


if __name__ == "__main__":
    tlssrv.serve(CERT, KEY, note, PORTFILE, Handler)
