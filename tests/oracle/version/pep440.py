#!/usr/bin/python3
"""pep440.py - reference for the "pep440" scheme (tests/oracle/version.sh pep440).

Debian's python3-packaging, packaging.version.Version, compares each pair.
Reads "A<TAB>B" lines on stdin (bytes, decoded as UTF-8; undecodable bytes
become lone surrogates, which no version contains) and prints -1, 0, 1, or
E where Version() refuses A or B. packaging 22+ has no LegacyVersion: a
string outside PEP 440's grammar raises InvalidVersion. A number longer
than CPython's int() limit (4300 digits) raises ValueError; that is a
refusal too, and customs mirrors it.
"""
import sys

from packaging.version import Version

cache = {}


def parse(s):
    v = cache.get(s, cache)
    if v is cache:
        try:
            v = Version(s)
        except Exception:  # InvalidVersion, or ValueError from int()
            v = None
        cache[s] = v
    return v


out = []
for raw in sys.stdin.buffer:
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    a, _, b = raw.partition(b"\t")
    va = parse(a.decode("utf-8", "surrogateescape"))
    vb = parse(b.decode("utf-8", "surrogateescape"))
    if va is None or vb is None:
        out.append("E")
    else:
        out.append("-1" if va < vb else "1" if va > vb else "0")
sys.stdout.write("".join(x + "\n" for x in out))
