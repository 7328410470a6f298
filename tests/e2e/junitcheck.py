#!/usr/bin/env python3
"""junitcheck.py - check a JUnit XML report the way CI dashboards read it.

    junitcheck.py [--failures N] FILE     (FILE "-": standard input)

JUnit has no official schema. The rules below are those of the schema most
tools validate against, the Jenkins xunit plugin's junit-10.xsd (the one
Jenkins' JUnit import is built around), written out as checks, plus the
arithmetic a dashboard relies on:

  - well-formed XML (xml.etree), root <testsuites>;
  - each element only where that schema puts it, with only the attributes
    it declares and every attribute it requires: testsuites (name, time,
    tests, failures, errors), testsuite (name, tests, failures and errors
    required), properties/property (name, value required), testcase (name
    required), failure/error/skipped (type, message);
  - time attributes in the schema's SUREFIRE_TIME pattern;
  - counts consistent: a suite's tests == its testcases, failures == its
    <failure> elements, errors == its <error> elements, skipped (when
    given) == its <skipped> ones; the root's totals == the suites' sums;
  - every failure has a type and a non-empty message;
  - with --failures N: exactly N failing testcases.

Prints one JSON line ({"tests", "failures", "suites": [[name, tests,
failures], ...]}) and exits 0, or prints one complaint per line and exits 1.
"""
import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET

TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")

# element: (allowed attributes, required attributes, allowed children)
RULES = {
    "testsuites": ({"name", "time", "tests", "failures", "errors"}, set(), {"testsuite"}),
    "testsuite": (
        {"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp", "hostname", "id",
         "package", "file", "log", "url"},
        {"name", "tests", "failures", "errors"},
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
    ),
    "properties": (set(), set(), {"property"}),
    "property": ({"name", "value"}, {"name", "value"}, set()),
    "testcase": (
        {"name", "time", "classname", "group"},
        {"name"},
        {"skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out",
         "system-err"},
    ),
    "failure": ({"type", "message"}, set(), set()),
    "error": ({"type", "message"}, set(), set()),
    "skipped": ({"type", "message"}, set(), set()),
    "system-out": (set(), set(), set()),
    "system-err": (set(), set(), set()),
}


def count(v, what, where, out):
    try:
        n = int(v)
    except (TypeError, ValueError):
        out.append(f"{where}: {what}={v!r} is not a number")
        return None
    if n < 0:
        out.append(f"{where}: {what}={v} is negative")
    return n


def structure(e, path, out):
    rule = RULES.get(e.tag)
    if rule is None:
        out.append(f"{path}: unknown element <{e.tag}>")
        return
    allowed, required, children = rule
    for a in e.attrib:
        if a not in allowed:
            out.append(f"{path}: attribute {a!r} not allowed on <{e.tag}>")
    for a in sorted(required - set(e.attrib)):
        out.append(f"{path}: <{e.tag}> lacks required attribute {a!r}")
    if "time" in e.attrib and not TIME.fullmatch(e.attrib["time"]):
        out.append(f"{path}: time={e.attrib['time']!r} is not a SUREFIRE_TIME")
    if e.tag in ("testsuites", "testsuite", "properties", "property", "testcase") and (e.text or "").strip():
        out.append(f"{path}: <{e.tag}> holds text")
    for i, c in enumerate(e):
        if c.tag not in children:
            out.append(f"{path}/{c.tag}[{i}]: <{c.tag}> not allowed in <{e.tag}>")
        structure(c, f"{path}/{c.tag}[{i}]", out)


def check(root, want_failures):
    out = []
    if root.tag != "testsuites":
        return [f"root element is <{root.tag}>, not <testsuites>"], None
    structure(root, "/testsuites", out)
    total_t = total_f = total_e = 0
    failing = 0
    suites = []
    for si, s in enumerate(root.iter("testsuite")):
        where = f"testsuite[{si}] {s.get('name')!r}"
        cases = s.findall("testcase")
        t = count(s.get("tests"), "tests", where, out)
        f = count(s.get("failures"), "failures", where, out)
        e = count(s.get("errors"), "errors", where, out)
        nf = sum(len(c.findall("failure")) for c in cases)
        ne = sum(len(c.findall("error")) for c in cases)
        ns = sum(len(c.findall("skipped")) for c in cases)
        if t is not None and t != len(cases):
            out.append(f"{where}: tests={t} but {len(cases)} testcases")
        if f is not None and f != nf:
            out.append(f"{where}: failures={f} but {nf} failure elements")
        if e is not None and e != ne:
            out.append(f"{where}: errors={e} but {ne} error elements")
        if "skipped" in s.attrib and count(s.get("skipped"), "skipped", where, out) != ns:
            out.append(f"{where}: skipped={s.get('skipped')} but {ns} skipped elements")
        for ci, c in enumerate(cases):
            for fl in c.findall("failure"):
                if not fl.get("type"):
                    out.append(f"{where} testcase[{ci}]: failure without a type")
                if not (fl.get("message") or "").strip():
                    out.append(f"{where} testcase[{ci}]: failure without a message")
            if c.find("failure") is not None:
                failing += 1
        total_t += len(cases)
        total_f += nf
        total_e += ne
        suites.append([s.get("name"), len(cases), nf])
    for what, n in (("tests", total_t), ("failures", total_f), ("errors", total_e)):
        if what in root.attrib and count(root.get(what), what, "testsuites", out) != n:
            out.append(f"testsuites: {what}={root.get(what)} but the suites hold {n}")
    if want_failures is not None and failing != want_failures:
        out.append(f"{failing} failing testcases, want {want_failures} (one per finding)")
    return out, {"tests": total_t, "failures": total_f, "suites": suites}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--failures", type=int)
    ap.add_argument("file")
    o = ap.parse_args()
    try:
        data = sys.stdin.buffer.read() if o.file == "-" else open(o.file, "rb").read()
        root = ET.fromstring(data)
    except (OSError, ET.ParseError) as e:
        print(f"not well-formed XML: {e}")
        return 1
    problems, summary = check(root, o.failures)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
