#!/usr/bin/env python3
"""oauthsrv: a local https OAuth 2.0 provider standing for a real one in tests.

    oauthsrv.py CERT KEY LOG PORTFILE CLIENT_ID CLIENT_SECRET

Serves https with CERT/KEY on 127.0.0.1 and, when it can, ::1 on the
same port; PORTFILE gets "PORT N" (N: 2 when ::1 listens too) once
listening.  Any host name reaching that port is served the same, so the
authorization server and the protected resource can stand on two names
(oauth.localhost, api.localhost) of one process.  It knows one client,
CLIENT_ID with CLIENT_SECRET.  LOG gets "conn ADDRESS" for every accepted
connection and "req METHOD PATH" for every request: never a query
string, a code, a token or a secret.

The authorization-code grant with PKCE (RFC 6749 §4.1, RFC 7636 S256
only), the refresh grant (§6, with rotation), and a bearer-protected
resource (RFC 6750):

  GET /authorize   response_type=code, client_id, redirect_uri (absolute
                   http(s), no fragment), code_challenge (S256, 43
                   base64url characters), code_challenge_method=S256,
                   optional scope, state, login_hint (the user the code
                   is for, default "user") and deny=1 (the user refuses).
                   No login page: 302 to redirect_uri with code and state
                   (state echoed verbatim), or with error=access_denied,
                   invalid_request or unsupported_response_type.  An
                   unknown client_id or a bad redirect_uri is answered
                   400 here, never redirected (RFC 6749 §4.1.2.1).  A code
                   lives 60 s and is spent by its first exchange attempt.
  POST /token      form body; the client authenticates with
                   client_secret_post (client_id and client_secret in the
                   body) or client_secret_basic (Authorization: Basic of
                   the form-encoded id and secret, RFC 6749 §2.3.1), one
                   method only; else 401 invalid_client.
                   grant_type=authorization_code: code, redirect_uri (as
                   given to /authorize), code_verifier (43-128 unreserved
                   characters whose S256 is the challenge).  A code used a
                   second time is invalid_grant and revokes every token
                   issued from it, refreshed ones too (RFC 6749 §4.1.2).
                   grant_type=refresh_token: refresh_token, optional scope
                   (within the granted one); the answer carries a new
                   refresh token and the old one stops working.
                   200 {access_token, token_type, expires_in,
                   refresh_token, scope}; errors 400 {"error": ...}.
                   Always Cache-Control: no-store.
  /resource, /resource/...  with a live "Authorization: Bearer TOKEN": 200
                   {"user", "scope", "path", "tokenSha256"}; else 401 with
                   WWW-Authenticate: Bearer (error="invalid_token" when a
                   token was given).

Test controls, answering JSON without secrets:

  GET  /_stats        {"authorize", "token_code", "token_refresh",
                      "resource", "resource_ok"}: requests so far (the
                      token counters by grant_type, failed ones included)
  POST /_expire       every access token issued so far expires now
  POST /_revoke       every refresh token issued so far is revoked
  POST /_delay?ms=N   /token waits N ms (after counting the request,
                      before deciding it), so concurrent calls overlap
  POST /_lifetime?s=N expires_in of the tokens issued from now on
                      (default 3600)
  GET  /_issued       {"access": [...], "refresh": [...]}: every token
                      issued so far, revoked and expired ones included,
                      the one control that answers secrets: a test greps
                      its logs and tables for them (a token must be in
                      none)
"""
import base64
import hashlib
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse

# tlssrv stands next to this script; no bytecode left in the tree.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import tlssrv  # noqa: E402

CERT, KEY, LOG, PORTFILE, CLIENT_ID, CLIENT_SECRET = sys.argv[1:7]
CODE_LIFETIME = 60
MAX_BODY = 65536
VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")
CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")

note = tlssrv.logger(LOG)
LOCK = threading.Lock()
# All below under LOCK.
CODES = {}      # code -> {client, redirect, scope, challenge, user, exp, used}
ACCESS = {}     # token -> {user, scope, exp, family}
REFRESH = {}    # token -> {user, scope, client, family}
ISSUED = {"access": [], "refresh": []}  # every token ever issued
STATS = dict.fromkeys(("authorize", "token_code", "token_refresh",
                       "resource", "resource_ok"), 0)
SETTINGS = {"delay_ms": 0, "lifetime": 3600}


def same(a, b):
    return secrets.compare_digest(a.encode(), b.encode())


def s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def single_params(qs):
    """The parameters of a query or form, or None when one repeats (RFC
    6749 §3.1: a parameter is sent at most once)."""
    pairs = urllib.parse.parse_qsl(qs, keep_blank_values=True)
    params = dict(pairs)
    return params if len(params) == len(pairs) else None


def good_redirect(uri):
    try:
        u = urllib.parse.urlsplit(uri)
    except ValueError:
        return False
    return (u.scheme in ("http", "https") and bool(u.hostname)
            and not u.fragment and "#" not in uri)


def with_query(uri, params):
    sep = "&" if urllib.parse.urlsplit(uri).query else (
        "" if uri.endswith("?") else "?")
    return uri + sep + urllib.parse.urlencode(params)


def issue(user, scope, client, family):
    """A new access and refresh token pair, under LOCK."""
    access = secrets.token_urlsafe(32)
    refresh = secrets.token_urlsafe(32)
    life = SETTINGS["lifetime"]
    ACCESS[access] = {"user": user, "scope": scope,
                      "exp": time.time() + life, "family": family}
    REFRESH[refresh] = {"user": user, "scope": scope, "client": client,
                        "family": family}
    ISSUED["access"].append(access)
    ISSUED["refresh"].append(refresh)
    return {"access_token": access, "token_type": "Bearer",
            "expires_in": life, "refresh_token": refresh, "scope": scope}


def revoke_family(family):
    """Every token descending from one code, under LOCK."""
    for table in (ACCESS, REFRESH):
        for t in [t for t, v in table.items() if v["family"] == family]:
            del table[t]


class Handler(tlssrv.Handler):
    def send(self, status, doc, extra=()):
        body = json.dumps(doc, sort_keys=True).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Pragma", "no-cache")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, uri, params):
        self.send_response(302)
        self.send_header("Location", with_query(uri, params))
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        note("req %s %s" % (self.command, u.path))
        length = self.headers.get("Content-Length") or "0"
        n = int(length) if re.fullmatch(r"[0-9]{1,9}", length) else -1
        if n < 0 or n > MAX_BODY:
            self.close_connection = True
            self.send(400 if n < 0 else 413, {"error": "invalid_request"})
            return
        body = self.rfile.read(n) if n > 0 else b""
        path, method = u.path, self.command
        if path == "/authorize" and method == "GET":
            self.authorize(u.query)
        elif path == "/token" and method == "POST":
            self.token(body)
        elif path == "/resource" or path.startswith("/resource/"):
            self.resource(path)
        elif path == "/_stats" and method == "GET":
            with LOCK:
                doc = dict(STATS)
            self.send(200, doc)
        elif path == "/_issued" and method == "GET":
            with LOCK:
                doc = {k: list(v) for k, v in ISSUED.items()}
            self.send(200, doc)
        elif path in ("/_expire", "/_revoke", "/_delay", "/_lifetime") \
                and method == "POST":
            self.control(path, u.query)
        elif path in ("/authorize", "/token", "/_stats", "/_issued",
                      "/_expire", "/_revoke", "/_delay", "/_lifetime"):
            self.send(405, {"error": "method_not_allowed"})
        else:
            self.send(404, {"error": "not_found"})

    def authorize(self, query):
        with LOCK:
            STATS["authorize"] += 1
        q = single_params(query)
        if q is None:
            self.send(400, {"error": "invalid_request"})
            return
        client = q.get("client_id", "")
        redirect = q.get("redirect_uri", "")
        if not same(client, CLIENT_ID) or not good_redirect(redirect):
            # Never redirect for an unknown client or a bad redirect_uri.
            self.send(400, {"error": "invalid_request"})
            return
        out = {}
        if q.get("response_type") != "code":
            out["error"] = ("invalid_request" if "response_type" not in q
                            else "unsupported_response_type")
        elif q.get("code_challenge_method") != "S256" or \
                not CHALLENGE.fullmatch(q.get("code_challenge", "")):
            out["error"] = "invalid_request"
        elif q.get("deny") == "1":
            out["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(32)
            with LOCK:
                CODES[code] = {"client": client, "redirect": redirect,
                               "scope": q.get("scope", ""),
                               "challenge": q["code_challenge"],
                               "user": q.get("login_hint") or "user",
                               "exp": time.time() + CODE_LIFETIME,
                               "used": False}
            out["code"] = code
        if "state" in q:
            out["state"] = q["state"]
        self.redirect(redirect, out)

    def client_auth(self, form):
        """(client_id or None, whether Basic was tried, error or None)."""
        auth = self.headers.get("Authorization") or ""
        if auth[:6].lower() == "basic ":
            if "client_secret" in form:
                return None, True, "invalid_request"
            try:
                raw = base64.b64decode(auth[6:].strip(), validate=True)
                cid, sep, csec = raw.decode("ascii").partition(":")
            except (ValueError, UnicodeDecodeError):
                return None, True, "invalid_client"
            cid = urllib.parse.unquote_plus(cid)
            csec = urllib.parse.unquote_plus(csec)
            if not sep or ("client_id" in form and form["client_id"] != cid):
                return None, True, "invalid_client"
            basic = True
        else:
            cid = form.get("client_id", "")
            csec = form.get("client_secret", "")
            basic = False
        if same(cid, CLIENT_ID) and same(csec, CLIENT_SECRET):
            return cid, basic, None
        return None, basic, "invalid_client"

    def token(self, body):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0]
        form = single_params(body.decode("utf-8", "replace"))
        grant = (form or {}).get("grant_type", "")
        counter = {"authorization_code": "token_code",
                   "refresh_token": "token_refresh"}.get(grant)
        with LOCK:
            if counter:
                STATS[counter] += 1
            delay = SETTINGS["delay_ms"]
        if delay:
            time.sleep(delay / 1000)
        if ctype.strip().lower() != "application/x-www-form-urlencoded" \
                or form is None:
            self.send(400, {"error": "invalid_request"})
            return
        client, basic, err = self.client_auth(form)
        if err == "invalid_client":
            extra = [("WWW-Authenticate", 'Basic realm="oauthsrv"')] \
                if basic else []
            self.send(401, {"error": "invalid_client"}, extra)
            return
        if err:
            self.send(400, {"error": err})
            return
        if grant == "authorization_code":
            status, doc = self.exchange(form, client)
        elif grant == "refresh_token":
            status, doc = self.refresh(form, client)
        elif grant:
            status, doc = 400, {"error": "unsupported_grant_type"}
        else:
            status, doc = 400, {"error": "invalid_request"}
        self.send(status, doc)

    @staticmethod
    def exchange(form, client):
        code = form.get("code", "")
        verifier = form.get("code_verifier", "")
        if not code or "redirect_uri" not in form or \
                not VERIFIER.fullmatch(verifier):
            return 400, {"error": "invalid_request"}
        with LOCK:
            c = CODES.get(code)
            if c is None:
                return 400, {"error": "invalid_grant"}
            if c["used"]:
                # A replayed code: what it gave is taken back.
                revoke_family(code)
                return 400, {"error": "invalid_grant"}
            # Spent by this attempt, whatever its outcome.
            c["used"] = True
            if c["exp"] < time.time() or c["client"] != client or \
                    c["redirect"] != form["redirect_uri"] or \
                    not same(s256(verifier), c["challenge"]):
                return 400, {"error": "invalid_grant"}
            return 200, issue(c["user"], c["scope"], client, code)

    @staticmethod
    def refresh(form, client):
        old = form.get("refresh_token", "")
        if not old:
            return 400, {"error": "invalid_request"}
        with LOCK:
            r = REFRESH.get(old)
            if r is None or r["client"] != client:
                return 400, {"error": "invalid_grant"}
            scope = r["scope"]
            if "scope" in form:
                want = form["scope"].split()
                if not set(want) <= set(scope.split()):
                    return 400, {"error": "invalid_scope"}
                scope = " ".join(want)
            del REFRESH[old]
            return 200, issue(r["user"], scope, client, r["family"])

    def resource(self, path):
        auth = self.headers.get("Authorization") or ""
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        with LOCK:
            STATS["resource"] += 1
            a = ACCESS.get(token) if token else None
            ok = a is not None and a["exp"] > time.time()
            if ok:
                STATS["resource_ok"] += 1
                doc = {"user": a["user"], "scope": a["scope"], "path": path,
                       "tokenSha256":
                       hashlib.sha256(token.encode()).hexdigest()}
        if ok:
            self.send(200, doc)
        elif token:
            self.send(401, {"error": "invalid_token"},
                      [("WWW-Authenticate",
                        'Bearer realm="oauthsrv", error="invalid_token"')])
        else:
            self.send(401, {"error": "invalid_request"},
                      [("WWW-Authenticate", 'Bearer realm="oauthsrv"')])

    def control(self, path, query):
        q = single_params(query) or {}
        key, name = (("delay_ms", "ms") if path == "/_delay"
                     else ("lifetime", "s"))
        value = q.get(name, "")
        if path in ("/_delay", "/_lifetime") and \
                not re.fullmatch(r"[0-9]{1,9}", value):
            self.send(400, {"error": "invalid_request"})
            return
        with LOCK:
            if path == "/_expire":
                now = time.time()
                for a in ACCESS.values():
                    a["exp"] = min(a["exp"], now)
            elif path == "/_revoke":
                REFRESH.clear()
            else:
                SETTINGS[key] = int(value)
        self.send(200, {"ok": True})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = route


if __name__ == "__main__":
    tlssrv.serve(CERT, KEY, note, PORTFILE, Handler)
