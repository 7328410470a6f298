#!/usr/bin/env python3
"""regserver.py - the small servers tests/e2e/registry.sh puts beside the
reference registry (Debian's docker-registry). Both bind 127.0.0.1 on a free
port, write that port to --port-file once listening, and log one line per
request to --log (never a password or a token).

  regserver.py token --port-file F --log L --key KEY.pem --service S --issuer I
                     [--user NAME:PASSWORD]... [--refresh TOKEN:NAME]... [--tokens FILE]

    The registry's `auth.token` realm: GET /token?service=&scope=... with HTTP
    Basic credentials (or POST grant_type=refresh_token, docker's identity
    tokens), answering {"token", "access_token", "expires_in"} with a JWT
    signed RS256 by KEY (`openssl dgst -sign`: no Python crypto module
    needed) whose "kid" is the libtrust key id the registry derives from the
    certificate in its rootcertbundle. Anonymous requests and wrong passwords
    get 401. Every token issued is appended to --tokens (for leak checks).

  regserver.py proxy --port-file F --log L --upstream 127.0.0.1:PORT [rules]

    Forwards to the registry, with faults:
      --truncate DIGEST:N   the first N answers for that blob stop halfway
                            (Content-Length says more) and the connection closes
      --short DIGEST        that blob comes with a Content-Length and body of
                            half its size (a clean answer with wrong content)
      --fail-manifests N:STATUS:RETRY_AFTER   the first N manifest requests get
                            STATUS with Retry-After (empty: none)
      --strip-accept        manifest requests lose their Accept header (the
                            registry then down-converts v2s2 to schema 1)
      --redirect-blobs USER:PASSWORD   blob GETs are redirected (307) to
                            http://localhost:PORT/_blob/..., another origin,
                            which refuses requests carrying Authorization
                            (logged as AUTH-FORWARDED) and fetches from the
                            registry with USER:PASSWORD itself
      --rate BYTES_PER_S    blob bodies are sent at most this fast
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
ARGS = None


def log(line):
    with LOCK:
        with open(ARGS.log, "a") as f:
            f.write(line + "\n")


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def libtrust_kid(key):
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"],
                         capture_output=True, check=True).stdout
    s = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(s[i:i + 4] for i in range(0, len(s), 4))


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# ---- token server ------------------------------------------------------------------

class Token(Quiet):
    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        user = None
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            try:
                name, _, pw = base64.b64decode(auth[6:]).decode().partition(":")
            except Exception:
                name, pw = "", None
            if ARGS.users.get(name) != pw:
                log("GET %s user=%s status=401 (wrong password)" % (u.path, name))
                return self.deny("wrong user name or password")
            user = name
        self.issue("GET", u.path, q, user)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        q = urllib.parse.parse_qs(self.rfile.read(n).decode())
        user = None
        if q.get("grant_type") == ["refresh_token"]:
            user = ARGS.refresh.get((q.get("refresh_token") or [""])[0])
            if not user:
                log("POST /token status=401 (unknown refresh token)")
                return self.deny("invalid refresh token")
        self.issue("POST", "/token", q, user)

    def deny(self, why):
        self.reply(401, json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": why}]}).encode(),
                   [("Content-Type", "application/json")])

    def issue(self, method, path, q, user):
        if path != "/token":
            return self.reply(404)
        scopes = " ".join(q.get("scope", [])).split()
        if user is None:
            log("%s %s user=- scope=%s status=401 (anonymous)" % (method, path, ",".join(scopes)))
            return self.deny("anonymous access is not allowed")
        access = []
        for s in scopes:
            parts = s.split(":")
            if len(parts) >= 3 and parts[0] == "repository":
                access.append({"type": "repository", "name": ":".join(parts[1:-1]),
                               "actions": parts[-1].split(",")})
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "kid": ARGS.kid}
        claims = {"iss": ARGS.issuer, "sub": user, "aud": ARGS.service, "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": os.urandom(8).hex(), "access": access}
        signing = b64u(json.dumps(header).encode()) + "." + b64u(json.dumps(claims).encode())
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", ARGS.key], input=signing.encode(),
                             capture_output=True, check=True).stdout
        token = signing + "." + b64u(sig)
        if ARGS.tokens:
            with LOCK, open(ARGS.tokens, "a") as f:
                f.write(token + "\n")
        log("%s %s user=%s scope=%s status=200" % (method, path, user, ",".join(scopes)))
        self.reply(200, json.dumps({"token": token, "access_token": token, "expires_in": 300}).encode(),
                   [("Content-Type", "application/json")])


# ---- fault proxy ---------------------------------------------------------------------

BLOB = re.compile(r"^/v2/(.+)/blobs/(sha256:[0-9a-f]{64})$")


class Proxy(Quiet):
    def do_GET(self):
        self.forward()

    def do_HEAD(self):
        self.forward()

    def forward(self):
        path = self.path
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        log("%s %s auth=%s range=%s" % (self.command, path, "yes" if "Authorization" in self.headers else "no",
                                         self.headers.get("Range", "-")))
        m = BLOB.match(path)
        if path.startswith("/_blob/"):
            if "Authorization" in self.headers:
                log("AUTH-FORWARDED %s" % path)
                return self.reply(400, b"credentials were forwarded to another origin")
            repo, _, digest = path[len("/_blob/"):].rpartition("/")
            path = "/v2/%s/blobs/%s" % (repo, digest)
            m = BLOB.match(path)
            hdrs["Authorization"] = "Basic " + base64.b64encode(ARGS.redirect_blobs.encode()).decode()
        elif m and ARGS.redirect_blobs and self.command == "GET":
            loc = "http://localhost:%d/_blob/%s/%s" % (self.server.server_port, m.group(1), m.group(2))
            return self.reply(307, b"", [("Location", loc)])
        if "/manifests/" in path:
            with LOCK:
                ARGS.manifest_count += 1
                n = ARGS.manifest_count
            if ARGS.fail_manifests:
                count, status, after = ARGS.fail_manifests.split(":")
                if n <= int(count):
                    extra = [("Retry-After", after)] if after else []
                    body = json.dumps({"errors": [{"code": "UNAVAILABLE", "message": "try again"}]}).encode()
                    return self.reply(int(status), body, extra + [("Content-Type", "application/json")])
            if ARGS.strip_accept:
                hdrs.pop("Accept", None)
        host, port = ARGS.upstream.split(":")
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=60)
            conn.request(self.command, path, headers=hdrs)
            resp = conn.getresponse()
        except OSError as e:
            log("UPSTREAM-DOWN %s" % e)
            return self.reply(502, json.dumps({"errors": [{"code": "UNAVAILABLE",
                                                            "message": "registry unreachable"}]}).encode())
        digest = m.group(2) if m else None
        length = resp.getheader("Content-Length")
        truncate = False
        if digest and resp.status in (200, 206) and digest in ARGS.truncate:
            with LOCK:
                if ARGS.truncate[digest] > 0:
                    ARGS.truncate[digest] -= 1
                    truncate = True
        short = digest in ARGS.short and resp.status == 200 and self.command == "GET"
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() in ("connection", "transfer-encoding", "keep-alive"):
                continue
            if short and k.lower() == "content-length":
                v = str(int(v) // 2)
            self.send_header(k, v)
        if length is None:
            body = resp.read()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        self.end_headers()
        if self.command == "HEAD":
            return
        total = int(length)
        send = total // 2 if (truncate or short) else total
        sent = 0
        t0 = time.time()
        try:
            while sent < send:
                chunk = resp.read(min(65536, send - sent))
                if not chunk:
                    raise OSError("upstream closed after %d of %d bytes" % (sent, total))
                self.wfile.write(chunk)
                sent += len(chunk)
                if ARGS.rate and digest:
                    ahead = sent / ARGS.rate - (time.time() - t0)
                    if ahead > 0:
                        time.sleep(ahead)
        except OSError as e:
            log("BROKEN %s: %s" % (path, e))
            truncate = True
        if truncate:
            log("TRUNCATED %s at %d of %d" % (path, sent, total))
            self.close_connection = True
            try:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        conn.close()


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["token", "proxy"])
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--key")
    p.add_argument("--service", default="customs-test")
    p.add_argument("--issuer", default="customs-test-issuer")
    p.add_argument("--user", action="append", default=[])
    p.add_argument("--refresh", action="append", default=[])
    p.add_argument("--tokens")
    p.add_argument("--upstream")
    p.add_argument("--truncate", action="append", default=[])
    p.add_argument("--short", action="append", default=[])
    p.add_argument("--fail-manifests")
    p.add_argument("--strip-accept", action="store_true")
    p.add_argument("--redirect-blobs")
    p.add_argument("--rate", type=float, default=0)
    ARGS = p.parse_args()
    ARGS.users = dict(u.split(":", 1) for u in ARGS.user)
    ARGS.refresh = dict(r.split(":", 1) for r in ARGS.refresh)
    ARGS.truncate = {t.rsplit(":", 1)[0]: int(t.rsplit(":", 1)[1]) for t in ARGS.truncate}
    ARGS.manifest_count = 0
    if ARGS.mode == "token":
        ARGS.kid = libtrust_kid(ARGS.key)
    handler = Token if ARGS.mode == "token" else Proxy
    srv = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    tmp = ARGS.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_port)
    os.rename(tmp, ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
