#!/usr/bin/env python3
"""sarif_check.py - what the SARIF schema does not check, for customs' SARIF.

    sarif_check.py SARIF [--json REPORT] [--raw EXPECTED]

Prints one problem per line; exit 0 when there is none, 1 otherwise, 2 when
an input cannot be read.

  consistency   every result's ruleIndex names the rule its ruleId names;
                rule ids unique; uriBaseIds defined in originalUriBaseIds;
                relative URIs without a leading "/"; fingerprints present
                and unique; levels follow the severity (critical and high
                error, medium warning, the rest note); security-severity is
                the highest CVSS score of the rule's results, else the fixed
                mapping (docs/reports.md, "SARIF")
  GitHub        the limits GitHub code scanning documents for an upload: at
                most 20 runs, 25,000 results and 25,000 rules per run, 1 to 10
                locations per result (1,000 hard), 20 tags per rule; a
                tool.driver.name; shortDescription, fullDescription and
                help.text present, descriptions at most 1024 characters, rule
                names at most 255; security-severity a numeric string in
                0.0..10.0; partialFingerprints on every result; levels from
                note, warning, error
  --json        every vulnerability and secret of customs' JSON report of the
                same scan has exactly one result, and there are no others
  --raw         none of the planted secrets (.raw[] of build-secrets.py's
                expected.json) is in the SARIF, in its text or in any string
"""
import argparse
import collections
import json
import re
import sys

LEVEL = {"critical": "error", "high": "error", "medium": "warning"}
MAPPED = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
RANK = ["unknown", "negligible", "low", "medium", "high", "critical"]


def level_of(sev):
    return LEVEL.get(sev, "note")


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)


def text(o, key):
    m = o.get(key)
    return m.get("text") if isinstance(m, dict) else None


def check(doc, out):
    p = out.append
    if doc.get("version") != "2.1.0":
        p(f"version {doc.get('version')!r}, want 2.1.0")
    runs = doc.get("runs") or []
    if not 1 <= len(runs) <= 20:
        p(f"{len(runs)} runs: GitHub takes 1 to 20")
    if len(runs) != 1:
        return
    run = runs[0]
    driver = run.get("tool", {}).get("driver", {})
    if not driver.get("name"):
        p("tool.driver.name missing or empty")
    rules = driver.get("rules")
    if not isinstance(rules, list):
        p("tool.driver.rules missing")
        rules = []
    results = run.get("results")
    if not isinstance(results, list):
        p("results missing")
        results = []
    if len(rules) > 25000:
        p(f"{len(rules)} rules: GitHub rejects more than 25,000 per run")
    if len(results) > 25000:
        p(f"{len(results)} results: GitHub rejects more than 25,000 per run")
    bases = run.get("originalUriBaseIds") or {}

    ids = [r.get("id") for r in rules]
    for i, n in collections.Counter(ids).items():
        if n > 1:
            p(f"rule id {i!r} {n} times")
    for i, r in enumerate(rules):
        where = f"rules[{i}] {r.get('id')!r}"
        for key in ("shortDescription", "fullDescription"):
            t = text(r, key)
            if not t:
                p(f"{where}: no {key}.text")
            elif len(t) > 1024:
                p(f"{where}: {key}.text has {len(t)} characters, GitHub shows 1024")
        if not text(r, "help"):
            p(f"{where}: no help.text")
        if len(r.get("name", "")) > 255:
            p(f"{where}: name longer than 255 characters")
        props = r.get("properties") or {}
        ss = props.get("security-severity")
        if not isinstance(ss, str) or not re.fullmatch(r"\d+(\.\d+)?", ss) or not 0 <= float(ss) <= 10:
            p(f"{where}: security-severity {ss!r} is not a numeric string in 0.0..10.0")
        tags = props.get("tags") or []
        if len(tags) > 20 or len(set(tags)) != len(tags) or "security" not in tags:
            p(f"{where}: tags {tags!r}: at most 20, unique, with 'security'")
        lvl = (r.get("defaultConfiguration") or {}).get("level")
        if lvl not in ("note", "warning", "error"):
            p(f"{where}: defaultConfiguration.level {lvl!r}")

    fps = collections.Counter()
    members = collections.defaultdict(list)
    for i, res in enumerate(results):
        where = f"results[{i}] {res.get('ruleId')!r}"
        ri = res.get("ruleIndex")
        if not isinstance(ri, int) or not 0 <= ri < len(rules):
            p(f"{where}: ruleIndex {ri!r} outside the {len(rules)} rules")
        elif rules[ri].get("id") != res.get("ruleId"):
            p(f"{where}: ruleIndex {ri} names rule {rules[ri].get('id')!r}")
        else:
            members[ri].append(res)
        if not text(res, "message"):
            p(f"{where}: no message.text")
        props = res.get("properties") or {}
        sev = props.get("severity")
        if res.get("level") != level_of(sev):
            p(f"{where}: level {res.get('level')!r} for severity {sev!r}, want {level_of(sev)!r}")
        locs = res.get("locations") or []
        if not 1 <= len(locs) <= 10:
            p(f"{where}: {len(locs)} locations, GitHub uses 1 to 10")
        for loc in locs:
            pl = loc.get("physicalLocation") or {}
            al = pl.get("artifactLocation") or {}
            uri = al.get("uri")
            if not uri:
                p(f"{where}: location without artifactLocation.uri")
            elif "uriBaseId" in al:
                if al["uriBaseId"] not in bases:
                    p(f"{where}: uriBaseId {al['uriBaseId']!r} not in originalUriBaseIds")
                if uri.startswith("/") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri):
                    p(f"{where}: uri {uri!r} under a uriBaseId is not a relative path")
            if (pl.get("region") or {}).get("startLine", 0) < 1:
                p(f"{where}: no region.startLine")
        fp = res.get("partialFingerprints") or {}
        if not fp.get("customsFindingHash/v1") or not fp.get("primaryLocationLineHash"):
            p(f"{where}: partialFingerprints {fp!r}")
        fps[json.dumps(fp, sort_keys=True)] += 1
    for fp, n in fps.items():
        if n > 1:
            p(f"{n} results share the fingerprints {fp}")

    # security-severity and default level from the rule's results
    for ri, ms in members.items():
        r = rules[ri]
        worst = max((RANK.index(m["properties"].get("severity") or "unknown") for m in ms), default=0)
        scores = [c["score"] for m in ms for c in m["properties"].get("cvss") or [] if 0 < c["score"] <= 10]
        want = f"{max(scores):.1f}" if scores else MAPPED.get(RANK[worst], "0.0")
        got = (r.get("properties") or {}).get("security-severity")
        if got != want:
            p(f"rule {r.get('id')!r}: security-severity {got!r}, want {want!r}")
        lvl = (r.get("defaultConfiguration") or {}).get("level")
        if lvl != level_of(RANK[worst]):
            p(f"rule {r.get('id')!r}: defaultConfiguration.level {lvl!r}, want {level_of(RANK[worst])!r}")
    unused = [r.get("id") for i, r in enumerate(rules) if i not in members]
    if unused:
        p(f"rules without results: {unused[:5]}")


def coverage(doc, report, out):
    results = doc["runs"][0].get("results") or []
    got_v, got_s = collections.Counter(), collections.Counter()
    for res in results:
        pr = res.get("properties") or {}
        rid = res.get("ruleId") or ""
        if rid.startswith("secret/"):
            reg = res["locations"][0]["physicalLocation"].get("region", {})
            got_s[(rid[7:], pr.get("path"), reg.get("startLine"), reg.get("startColumn"))] += 1
        else:
            got_v[(rid, pr.get("package_name"), pr.get("package_version"), pr.get("purl"))] += 1
    want_v = collections.Counter(
        (v["id"], v["package"]["name"], v["package"]["version"], v["package"]["purl"])
        for v in report.get("vulnerabilities") or [])
    want_s = collections.Counter(
        (s["rule_id"], s["path"], s["line"], s["column"]) for s in report.get("secrets") or [])
    for kind, want, got in (("vulnerability", want_v, got_v), ("secret", want_s, got_s)):
        for k in sorted(set(want) | set(got), key=str):
            if got[k] != want[k]:
                out.append(f"{kind} {k}: {got[k]} results for {want[k]} in the JSON report")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sarif")
    ap.add_argument("--json")
    ap.add_argument("--raw")
    o = ap.parse_args()
    try:
        with open(o.sarif, encoding="utf-8") as f:
            raw_text = f.read()
        doc = json.loads(raw_text)
        report = json.load(open(o.json, encoding="utf-8")) if o.json else None
        planted = json.load(open(o.raw, encoding="utf-8"))["raw"] if o.raw else []
    except (OSError, ValueError, KeyError) as e:
        print(f"cannot read input: {e}")
        return 2
    out = []
    check(doc, out)
    if report is not None and not out:
        coverage(doc, report, out)
    if report is not None and not (report.get("vulnerabilities") or report.get("secrets")):
        out.append("the JSON report has no findings: nothing was compared")
    all_strings = list(strings(doc))
    for s in planted:
        if s in raw_text or any(s in x for x in all_strings):
            out.append(f"a planted secret ({len(s)} bytes, starting {s[:4]}) in full in the SARIF")
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
