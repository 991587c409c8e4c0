"""tlssrv: what the https test servers (toolsrv.py, oauthsrv.py) share.

Standard library only.  A script imports it from its own directory:

    note = tlssrv.logger(LOG)
    class Handler(tlssrv.Handler): ...
    tlssrv.serve(CERT, KEY, note, PORTFILE, Handler)

serve() listens with CERT/KEY on 127.0.0.1 and, when it can, ::1 on the
same port, then writes "PORT N" to PORTFILE (N: 2 when ::1 listens too).
Every accepted connection is noted "conn ADDRESS" before anything else
happens on it, so a test can prove that nothing connected.
"""
import os
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def logger(path):
    """A function appending one line to the file PATH, one writer at a
    time."""
    lock = threading.Lock()

    def note(line):
        with lock, open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    return note


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, handler, ctx, note):
        self.ctx = ctx
        self.note = note
        super().__init__(address, handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        self.note("conn %s" % addr[0])
        # The handshake happens in the handler's thread, on first read.
        return self.ctx.wrap_socket(sock, server_side=True,
                                    do_handshake_on_connect=False), addr


class Server6(Server):
    address_family = socket.AF_INET6


class Handler(BaseHTTPRequestHandler):
    """HTTP/1.1, silent, and a failed handshake or a reset connection
    only closes that connection."""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except (OSError, ssl.SSLError):
            self.close_connection = True


def serve(cert, key, note, portfile, handler):
    """Serves HANDLER forever (see the module's comment)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = Server(("127.0.0.1", 0), handler, ctx, note)
    port = srv.server_address[1]
    servers = [srv]
    try:
        servers.append(Server6(("::1", port), handler, ctx, note))
    except OSError:
        pass
    for s in servers[1:]:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    with open(portfile + ".tmp", "w", encoding="utf-8") as f:
        f.write("%d %d\n" % (port, len(servers)))
    # Renamed into place: a reader never sees a half-written file.
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()
