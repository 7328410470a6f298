#!/usr/bin/env python3
"""html_verify.py - judge customs' HTML report against its JSON report.

    html_verify.py REPORT.html REPORT.json CHECK.json [--data OUT.json]

REPORT.json is customs' own JSON from the same run (--format json=...
--format html=...); CHECK.json is what tests/e2e/html_check.js saw when
headless Chromium opened the page. Prints one complaint per line (nothing
when the page is right) and exits 0; 2 when an input cannot be read.
With --data, writes the page's embedded data block, pretty, for the golden
comparison.

Checked statically, in the HTML text:
  - one <script type="application/json" id="customs-data"> block that
    parses, holds no raw "<" (so no "</script" or "<!--"), and whose summary
    has the same numbers as REPORT.json;
  - nothing that loads from elsewhere: no src/href/srcset/poster/data/
    action attribute naming a remote (or protocol-relative) URL except an
    <a href> link, no url() or @import in a style, no meta refresh, and a
    Content-Security-Policy meta with default-src 'none' before any other
    element of the head but the charset;
  - exactly two script elements (the data block and the page's own code).
Checked in the browser (CHECK.json):
  - no console message of level error or warning, no uncaught exception;
  - no request but the page's own file;
  - the numbers shown (data-stat) equal REPORT.json's counts: per severity
    over vulnerabilities and secrets, findings, vulnerabilities, fixable,
    secrets, packages; one table row per finding, all visible at first;
  - the data block the browser parsed equals the one parsed here;
  - the controls work: a text filter keeps only matching rows, a text that
    matches nothing shows the empty-state row, unticking vulnerabilities
    leaves the secrets, a click on the ID header sorts ascending, a second
    descending.
"""
import argparse
import html.parser
import json
import re
import sys

SEVERITIES = ["critical", "high", "medium", "low", "negligible", "unknown"]
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//|^\s*(?:https?|ftp|wss?):", re.I)
LOAD_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "formaction", "xlink:href", "background",
              "manifest", "ping", "cite", "longdesc", "codebase", "archive", "lowsrc", "dynsrc", "icon"}


class Scan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.scripts = []          # (attrs, text)
        self.head_tags = []        # tags seen inside <head>, in order
        self.in_head = False
        self.script = None
        self.style = None
        self.csp = None

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head_tags.append((tag, a))
        for k, v in a.items():
            if k in LOAD_ATTRS and not (tag == "a" and k == "href"):
                for part in v.split(","):
                    if REMOTE.search(part):
                        self.problems.append(f"<{tag} {k}=\"{v[:80]}\"> loads from elsewhere")
            if k == "style" and re.search(r"url\s*\(|@import", v, re.I):
                self.problems.append(f"<{tag} style=\"{v[:80]}\"> can load from elsewhere")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.problems.append("a meta refresh")
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.csp = a.get("content", "")
        if tag == "script":
            self.script = (a, [])
        if tag == "style":
            self.style = []

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.script is not None:
            self.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None
        if tag == "style" and self.style is not None:
            css = "".join(self.style)
            if re.search(r"url\s*\(|@import", css, re.I):
                self.problems.append("the style sheet uses url() or @import")
            self.style = None

    def handle_data(self, data):
        if self.script is not None:
            self.script[1].append(data)
        if self.style is not None:
            self.style.append(data)


def expected(rep):
    v, s = rep["vulnerabilities"], rep["secrets"]
    want = {sev: 0 for sev in SEVERITIES}
    for f in v + s:
        want[f["severity"] if f["severity"] in want else "unknown"] += 1
    want.update({
        "findings": len(v) + len(s),
        "vulnerabilities": len(v),
        "fixable": sum(1 for f in v if f.get("fixed_version")),
        "secrets": len(s),
        "packages": len(rep["packages"]),
    })
    return want


def static_checks(text, rep, out):
    p = Scan()
    p.feed(text)
    p.close()
    out += p.problems
    if p.csp is None:
        out.append("no Content-Security-Policy meta")
    else:
        if "default-src 'none'" not in p.csp:
            out.append(f"the policy does not forbid loads by default: {p.csp[:120]}")
        rest = [(t, a) for t, a in p.head_tags if not (t == "meta" and "charset" in a)]
        if not rest or rest[0][1].get("http-equiv", "").lower() != "content-security-policy":
            out.append("the policy is not the first element of the head after the charset")
    data_blocks = [t for a, t in p.scripts if a.get("type") == "application/json" and a.get("id") == "customs-data"]
    if len(p.scripts) != 2:
        out.append(f"{len(p.scripts)} script elements, want 2 (the data block and the page's code)")
    if any(a.get("src") for a, t in p.scripts):
        out.append("a script element with src")
    if len(data_blocks) != 1:
        out.append(f"{len(data_blocks)} customs-data blocks, want 1")
        return None
    raw = data_blocks[0]
    if "<" in raw:
        out.append("the data block holds a raw '<'")
    try:
        data = json.loads(raw)
    except ValueError as e:
        out.append(f"the data block is not JSON: {e}")
        return None
    want = expected(rep)
    summ = data.get("summary", {})
    for k in ("findings", "vulnerabilities", "fixable", "secrets", "packages"):
        if summ.get(k) != want[k]:
            out.append(f"data summary {k} = {summ.get(k)}, the JSON report says {want[k]}")
    for sev in SEVERITIES:
        if summ.get("severity", {}).get(sev) != want[sev]:
            out.append(f"data summary severity {sev} = {summ.get('severity', {}).get(sev)}, "
                       f"the JSON report says {want[sev]}")
    ids = sorted(f["id"] for f in data.get("findings", []))
    want_ids = sorted([f["id"] for f in rep["vulnerabilities"]] + [f["rule_id"] for f in rep["secrets"]])
    if ids != want_ids:
        out.append("the data block's findings are not the JSON report's")
    return data


def browser_checks(chk, rep, data, out):
    for m in chk.get("console", []):
        if m.get("level") in ("error", "warning", "assert"):
            out.append(f"console {m['level']}: {m['text'][:160]}")
    for e in chk.get("exceptions", []):
        out.append(f"exception: {e[:160]}")
    own = chk.get("url")
    for u in chk.get("requests", []):
        if u != own:
            out.append(f"network request to {u[:120]}")
    page = chk.get("page") or {}
    if not page:
        out.append("the page could not be probed")
        return
    want = expected(rep)
    stats = page.get("stats", {})
    for k in SEVERITIES + ["findings", "packages"]:
        if k not in stats:
            out.append(f"the page shows no '{k}' number")
    for k, shown in stats.items():
        if k not in want:
            out.append(f"unexpected number '{k}' on the page")
        elif shown != str(want[k]):
            out.append(f"the page shows {k} = {shown}, the JSON report says {want[k]}")
    if page.get("dataError"):
        out.append(f"the browser cannot parse the data block: {page['dataError']}")
    elif data is not None and page.get("data") != data:
        out.append("the browser's data block differs from the one in the file")
    n = want["findings"]
    if page.get("rows") != n:
        out.append(f"{page.get('rows')} table rows, want {n}")
    if not n:
        return
    if page.get("visible") != n or page.get("shown") != str(n):
        out.append(f"{page.get('visible')} rows visible at first ('{page.get('shown')}' shown), want {n}")
    if not page.get("controls"):
        out.append("the filter controls did not appear (did the script run?)")
        return
    tf = page.get("textFilter", {})
    if not (0 < tf.get("visible", 0) <= n and tf.get("allMatch") and tf.get("shown") == str(tf.get("visible"))):
        out.append(f"the text filter '{tf.get('word')}' left {tf.get('visible')} rows, "
                   f"all matching: {tf.get('allMatch')}, '{tf.get('shown')}' shown")
    nm = page.get("noMatch", {})
    if nm.get("visible") != 0 or not nm.get("noneShown"):
        out.append(f"a filter matching nothing left {nm.get('visible')} rows (empty note shown: {nm.get('noneShown')})")
    if page.get("withoutVulns") != want["secrets"]:
        out.append(f"without vulnerabilities {page.get('withoutVulns')} rows stay, want {want['secrets']}")
    if page.get("afterReset") != n:
        out.append(f"after ticking vulnerabilities again {page.get('afterReset')} rows, want {n}")
    ids = page.get("ids", [])
    key = lambda s: [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", s) if t]
    if page.get("sortedAsc") != sorted(ids, key=key) or page.get("sortState") != "ascending":
        out.append("a click on the ID header did not sort ascending")
    if page.get("sortedDesc") != sorted(ids, key=key, reverse=True):
        out.append("a second click on the ID header did not sort descending")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("html")
    ap.add_argument("json")
    ap.add_argument("check")
    ap.add_argument("--data")
    o = ap.parse_args()
    try:
        with open(o.html, "rb") as f:
            text = f.read().decode("utf-8")
        with open(o.json, encoding="utf-8") as f:
            rep = json.load(f)
        with open(o.check, encoding="utf-8") as f:
            chk = json.load(f)
    except (OSError, ValueError) as e:
        print(f"cannot read the inputs: {e}")
        return 2
    out = []
    data = static_checks(text, rep, out)
    browser_checks(chk, rep, data, out)
    if o.data and data is not None:
        with open(o.data, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=1, ensure_ascii=False)
            f.write("\n")
    for line in out:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
