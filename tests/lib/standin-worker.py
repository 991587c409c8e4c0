#!/usr/bin/env python3
"""standin-worker.py: a stand-in for the agent worker (second-docs 4.4), for
the tests and for `scripts/dev up`.  Python 3 standard library only, plain
HTTP on 127.0.0.1.

  standin-worker.py --log FILE --callback-base URL [--port N]
                    [--port-file FILE] [--token-file FILE]

It speaks the worker's side of the protocol of second-fcgi(8), "The
dispatcher and the agent worker":

  GET  /health                        200 {"ok": true}, no token needed
  POST /sessions/{appId}/agent-run    200 {"status": "started", "runId"}
  POST /sessions/{appId}/messages     200 {"status": "started", "runId"}

Every /sessions/ request must carry "Authorization: Bearer TOKEN" (the
token is read from --token-file, else from INTERNAL_API_TOKEN; with
neither, any request is accepted, as a development worker would): 401
otherwise.  Every request received is appended to the log file as one JSON
line {"method", "path", "headers", "body"} (headers as received), so a
test can assert what arrived and what never did (a Cookie header, a
secret).

After accepting an agent run it calls the internal API back, at
--callback-base (the site's origin, through the web server: http://HOST:PORT,
or unix:PATH for a web server on a unix socket), in a
background thread, as the run's agentConfig says: for each data
collection, app-data-write (an insert) then app-data-read; for each
enabled custom tool named in allowedTools, tool-execute; then
agent-run-complete.  After a builder run: builder-run-complete.  Each
callback and its answer is logged as {"callback", "status", "answer"};
failures are logged, never fatal.
"""

import argparse
import hmac
import http.client
import json
import os
import re
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SESSION = re.compile(r"^/sessions/([A-Za-z0-9_-]{1,64})/(agent-run|messages)$")
MAX_BODY = 4 * 1024 * 1024


class UnixConnection(http.client.HTTPConnection):
    """HTTP over a unix socket (a web server listening on one)."""

    def __init__(self, path, timeout):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


class Standin:
    """The configuration and the log, shared by the request threads."""

    def __init__(self, log_path, callback_base, token):
        self.log_path = log_path
        self.callback_base = callback_base.rstrip("/")
        self.token = token
        self.lock = threading.Lock()

    def record(self, entry):
        line = json.dumps(entry, sort_keys=True)
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line + "\n")

    def connection(self):
        base = self.callback_base
        if base.startswith("unix:"):
            return UnixConnection(base[5:], 30), ""
        u = urllib.parse.urlsplit(base)
        return http.client.HTTPConnection(u.hostname, u.port or 80,
                                          timeout=30), u.path

    def call(self, name, body):
        """POST body to the internal API route name; log the answer."""
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        status, answer = 0, None
        try:
            conn, prefix = self.connection()
            try:
                conn.request("POST", prefix + "/api/internal/" + name,
                             body=json.dumps(body).encode(), headers=headers)
                resp = conn.getresponse()
                status = resp.status
                answer = resp.read(65536).decode("utf-8", "replace")
            finally:
                conn.close()
        except (OSError, http.client.HTTPException, ValueError) as e:
            answer = "error: %s" % e
        self.record({"callback": name, "status": status, "answer": answer})
        return status

    def agent_run(self, run):
        ws, app, run_id = run.get("workspaceId"), run.get("appId"), run.get("runId")
        version = run.get("sourceVersion") or "published"
        config = run.get("agentConfig") or {}
        agent = run.get("agentId") or config.get("id")
        allowed = run.get("allowedTools") or []
        writes = reads = tools = 0
        for coll in config.get("dataCollections") or []:
            name = coll.get("name") if isinstance(coll, dict) else coll
            if not isinstance(name, str):
                continue
            base = {"workspaceId": ws, "appId": app, "version": version,
                    "agentId": agent, "collection": name}
            if self.call("app-data-write", dict(
                    base, op="insert",
                    data={"note": "from run %s" % run_id})) in (200, 201):
                writes += 1
            if self.call("app-data-read", base) == 200:
                reads += 1
        for tool in config.get("tools") or []:
            if (not isinstance(tool, dict) or tool.get("type") != "custom"
                    or tool.get("enabled") is False
                    or tool.get("name") not in allowed):
                continue
            if self.call("tool-execute", {
                    "workspaceId": ws, "appId": app, "version": version,
                    "agentId": agent, "toolName": tool["name"],
                    "toolInput": {}, "runId": run_id}) == 200:
                tools += 1
        self.call("agent-run-complete", {
            "workspaceId": ws, "appId": app, "runId": run_id,
            "status": "completed",
            "result": {"text": "stand-in worker ran %s" % run_id,
                       "dataWrites": writes, "dataReads": reads,
                       "toolCalls": tools}})

    def builder_run(self, run):
        messages = run.get("messages")
        if not isinstance(messages, list):
            messages = []
        self.call("builder-run-complete", {
            "workspaceId": run.get("workspaceId"), "appId": run.get("appId"),
            "runId": run.get("runId"), "status": "completed",
            "messages": messages + [{"role": "assistant",
                                     "content": "stand-in worker: done"}]})


class Handler(BaseHTTPRequestHandler):
    server_version = "standin-worker"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 401:
            self.send_header("WWW-Authenticate", "Bearer")
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            return None
        raw = self.rfile.read(n)
        try:
            return json.loads(raw.decode())
        except ValueError:
            return raw.decode("utf-8", "replace")

    def authorized(self):
        token = self.server.standin.token
        if not token:
            return True
        got = self.headers.get("Authorization") or ""
        return hmac.compare_digest(got.encode(), ("Bearer " + token).encode())

    def do_GET(self):
        st = self.server.standin
        st.record({"method": "GET", "path": self.path,
                   "headers": dict(self.headers.items()), "body": None})
        if self.path == "/health":
            self.answer(200, {"ok": True})
        else:
            self.answer(404, {"error": "not_found"})

    def do_POST(self):
        st = self.server.standin
        body = self.read_body()
        st.record({"method": "POST", "path": self.path,
                   "headers": dict(self.headers.items()), "body": body})
        m = SESSION.match(self.path)
        if m is None:
            self.answer(404, {"error": "not_found"})
            return
        if not self.authorized():
            self.answer(401, {"error": "unauthorized"})
            return
        if not isinstance(body, dict) or not isinstance(body.get("runId"), str):
            self.answer(400, {"error": "bad_request"})
            return
        work = st.agent_run if m.group(2) == "agent-run" else st.builder_run
        threading.Thread(target=work, args=(body,), daemon=True).start()
        self.answer(200, {"status": "started", "runId": body["runId"]})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--log", required=True)
    p.add_argument("--callback-base", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--token-file")
    a = p.parse_args()
    token = os.environ.get("INTERNAL_API_TOKEN") or ""
    if a.token_file:
        with open(a.token_file, encoding="utf-8") as f:
            token = f.read().strip()
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.standin = Standin(a.log, a.callback_base, token)
    if a.port_file:
        tmp = a.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % srv.server_address[1])
        os.replace(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
