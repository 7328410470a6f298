#!/usr/bin/env python3
"""feedserver.py - a loopback HTTP server for the updater's tests.

Serves the files below ROOT on 127.0.0.1 (any free port unless --port),
prints the port on standard output once it listens, and runs until killed.
Standard library only; HTTP/1.1 with keep-alive, as real feed servers.

  feedserver.py ROOT [--port N] [--log FILE] [--rule PATH=ACTION]...

Every file answers with an ETag (size and modification time) and a
Last-Modified header, and a conditional GET that matches either
(If-None-Match first, as RFC 9110 says) gets 304 with no body.

--rule injects a failure for one path (as requested, e.g. /osv/Go/all.zip):
  500xN       answer 500 to the first N requests, then serve the file
  429xN       answer 429 with "Retry-After: 1" to the first N requests
  503xN:S     answer 503 with "Retry-After: S" to the first N requests
  truncate    announce the whole Content-Length, send half, close (always)
  404         answer 404 (always)
  stall       send the headers and 1 KiB, then hang until the client leaves
  redirect:P  answer 302 to path P
  garbage     serve 4 KiB of noise with status 200 instead of the file

--log FILE gets one line per request, flushed at once:
  METHOD PATH STATUS BYTES_SENT COND
where COND is "cond" when the request carried If-None-Match or
If-Modified-Since, "-" otherwise.
"""

import argparse
import email.utils
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, root, rules, log):
        self.root = os.path.realpath(root)
        self.rules = rules  # path -> [action, remaining count or None]
        self.log = log
        self.lock = threading.Lock()

    def take(self, path):
        """The action for path now, or None to serve normally."""
        with self.lock:
            rule = self.rules.get(path)
            if not rule:
                return None
            action, left = rule
            if left is None:
                return action
            if left <= 0:
                return None
            rule[1] = left - 1
            return action

    def record(self, line):
        if not self.log:
            return
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()


def parse_rule(text):
    path, _, action = text.partition("=")
    if not path.startswith("/") or not action:
        raise argparse.ArgumentTypeError("rule must be PATH=ACTION: %r" % text)
    for code in ("500", "429", "503"):
        if action.startswith(code + "x"):
            count = action[len(code) + 1:].split(":")[0]
            return path, [action, int(count)]
    if action in ("truncate", "404", "stall", "garbage") or action.startswith("redirect:"):
        return path, [action, None]
    raise argparse.ArgumentTypeError("unknown action %r" % action)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver/1"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls

    def log_message(self, fmt, *args):  # quiet: the request log is --log
        pass

    def finish_request(self, status, sent):
        cond = "cond" if (self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")) else "-"
        self.server.state.record("%s %s %d %d %s" % (self.command, self.path.split("?")[0], status, sent, cond))

    def simple(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.finish_request(status, len(body) if self.command != "HEAD" else 0)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        state = self.server.state
        path = self.path.split("?")[0]
        action = state.take(path)
        if action:
            if action.startswith("500x"):
                return self.simple(500, b"injected failure\n")
            if action.startswith("429x"):
                return self.simple(429, b"slow down\n", [("Retry-After", "1")])
            if action.startswith("503x"):
                after = action.split(":")[1] if ":" in action else "1"
                return self.simple(503, b"unavailable\n", [("Retry-After", after)])
            if action == "404":
                return self.simple(404, b"not found\n")
            if action.startswith("redirect:"):
                return self.simple(302, b"", [("Location", action[len("redirect:"):])])
            if action == "garbage":
                return self.simple(200, os.urandom(4096))

        full = os.path.realpath(os.path.join(state.root, path.lstrip("/")))
        if not (full == state.root or full.startswith(state.root + os.sep)) or not os.path.isfile(full):
            return self.simple(404, b"not found\n")
        st = os.stat(full)
        etag = '"%x-%x"' % (st.st_size, st.st_mtime_ns)
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)

        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        not_modified = False
        if inm is not None:
            not_modified = inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                not_modified = int(st.st_mtime) <= since
            except (TypeError, ValueError):
                not_modified = False
        if not_modified and action is None:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return self.finish_request(304, 0)

        with open(full, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        if action in ("truncate", "stall"):
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return self.finish_request(200, 0)
        if action == "truncate":
            half = body[: len(body) // 2]
            self.wfile.write(half)
            self.wfile.flush()
            self.close_connection = True
            return self.finish_request(200, len(half))
        if action == "stall":
            part = body[:1024]
            self.wfile.write(part)
            self.wfile.flush()
            self.finish_request(200, len(part))
            # hang until the client gives up and closes (a read then returns b"")
            self.connection.settimeout(1.0)
            for _ in range(120):
                try:
                    if self.connection.recv(1) == b"":
                        break
                except OSError:
                    pass
            self.close_connection = True
            return
        self.wfile.write(body)
        self.finish_request(200, len(body))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log")
    ap.add_argument("--rule", action="append", default=[], type=parse_rule)
    args = ap.parse_args()
    log = open(args.log, "a", buffering=1) if args.log else None
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(args.root, dict(args.rule), log)
    sys.stdout.write("%d\n" % server.server_address[1])
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
