#!/usr/bin/env python3
"""apk.py - SECOND, INDEPENDENT reference for the "apk" scheme
(tests/oracle/version.sh apk).

There is no apk binary on Debian, so this is not apk itself: it is a fresh
reading of apk-tools' algorithm (src/version.c at commit 90b974fd8510:
apk_version_validate() and apk_version_compare()), written in another
language and another shape (a token list, then a list comparison) than
src/match/version_apk.c, so that the two can only agree by both following
apk. Its fidelity to apk is checked on apk's own vectors
(../shared/test-data/versions/apk-version.data) by the unit test
apk_oracle_vectors.

Reads "A<TAB>B" lines on stdin and prints -1, 0, 1 or E per line; E where
apk_version_validate() refuses A or B (apk_version_compare() would still
order them; customs refuses them, see docs/versions.md). Numbers are Python
integers, exact at any length (apk itself wraps past 2^64).

The grammar: digits{.digits}[a-z]{_suffix[digits]}[~hexdigits][-rdigits].
"""
import sys

# Token types in grammar order; a later type is an older version.
INITIAL, DIGIT, LETTER, SUFFIX, SUFFIX_NO, HASH, REVISION, END = range(8)

# Suffix ranks; below NONE is a pre-release, above it a post-release.
RANK = {"alpha": 1, "beta": 2, "pre": 3, "rc": 4, "cvs": 6, "svn": 7, "git": 8, "hg": 9, "p": 10}
NONE = 5

DIGITS = frozenset(b"0123456789")
LOWER = frozenset(b"abcdefghijklmnopqrstuvwxyz")
HEX = frozenset(b"0123456789abcdef")


def span(s, i, chars):
    j = i
    while j < len(s) and s[j] in chars:
        j += 1
    return j


def tokens(s):
    """The token list of version s (bytes), ending with END; None if invalid."""
    out = []
    i = span(s, 0, DIGITS)
    if i == 0:
        return None
    out.append((INITIAL, s[:i]))
    prev = INITIAL
    while i < len(s):
        c = s[i]
        if c in LOWER and prev in (INITIAL, DIGIT):
            tok = (LETTER, s[i:i + 1])
            i += 1
        elif c == ord(".") and prev in (INITIAL, DIGIT):
            j = span(s, i + 1, DIGITS)
            if j == i + 1:
                return None
            tok = (DIGIT, s[i + 1:j])
            i = j
        elif c in DIGITS and prev == SUFFIX:
            j = span(s, i, DIGITS)
            tok = (SUFFIX_NO, s[i:j])
            i = j
        elif c == ord("_") and prev <= SUFFIX_NO:
            j = span(s, i + 1, LOWER)
            name = s[i + 1:j].decode()
            if name not in RANK:
                return None
            tok = (SUFFIX, RANK[name])
            i = j
        elif c == ord("~") and prev < HASH:
            j = span(s, i + 1, HEX)
            if j == i + 1:
                return None
            tok = (HASH, s[i + 1:j])
            i = j
        elif s[i:i + 2] == b"-r" and prev < REVISION:
            j = span(s, i + 2, DIGITS)
            if j == i + 2:
                return None
            tok = (REVISION, s[i + 2:j])
            i = j
        else:
            return None
        out.append(tok)
        prev = tok[0]
    out.append((END, b""))
    return out


def sign(x):
    return (x > 0) - (x < 0)


def value_cmp(kind, a, b):
    if kind == DIGIT and (a[:1] == b"0" or b[:1] == b"0"):
        return sign((a > b) - (a < b))  # bytes order: Gentoo's rule for 1.05 vs 1.1
    if kind in (INITIAL, DIGIT, SUFFIX_NO, REVISION):
        return sign(int(a) - int(b))
    if kind in (LETTER, HASH):
        return sign((a > b) - (a < b))
    return sign(a - b)  # SUFFIX ranks


def compare(ta, tb):
    for (ka, va), (kb, vb) in zip(ta, tb):
        if ka != kb:
            if ka == SUFFIX and va < NONE:
                return -1
            if kb == SUFFIX and vb < NONE:
                return 1
            return -1 if ka > kb else 1
        if ka == END:
            return 0
        r = value_cmp(ka, va, vb)
        if r:
            return r
    return 0


def main():
    out = []
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\n")
        a, _, b = line.partition(b"\t")
        ta, tb = tokens(a), tokens(b)
        if ta is None or tb is None:
            out.append("E")
        else:
            out.append(str(compare(ta, tb)))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
