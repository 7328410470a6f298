#!/usr/bin/env python3
"""golden.py - compare a report with its golden file, structurally.

    golden.py [--update] [--drop KEY,...] [--version V] [--dir D] ACTUAL GOLDEN

JSON (.json, .sarif, anything that parses as JSON) is compared as data:
object member order does not matter, array order does. XML (.xml) is
compared as a tree of (tag, attributes, text, children). Before comparing,
members or attributes named in --drop are removed wherever they occur, and
the tool version V (customs' `git describe`, which changes with every
commit) is replaced by "@VERSION@" and the test's temporary directory D by
"@DIR@" in every string. Reports compared this
way are written with SOURCE_DATE_EPOCH set, so their timestamps are fixed.

Exit 0 equal (or --update wrote GOLDEN), 1 different (the first few
differences on stdout as `path: golden -> actual`), 2 unreadable input.
"""
import argparse
import json
import sys
import xml.etree.ElementTree as ET


def mask(text, version, tmpdir):
    if tmpdir:
        text = text.replace(tmpdir, "@DIR@")
    if version:
        text = text.replace(version, "@VERSION@")
    return text


def load(path, drop, version, tmpdir=""):
    with open(path, "rb") as f:
        raw = f.read()
    text = mask(raw.decode("utf-8"), version, tmpdir)
    if path.endswith(".xml"):
        return xml_tree(ET.fromstring(text), drop)
    return strip(json.loads(text), drop)


def strip(v, drop):
    if isinstance(v, dict):
        return {k: strip(x, drop) for k, x in v.items() if k not in drop}
    if isinstance(v, list):
        return [strip(x, drop) for x in v]
    return v


def xml_tree(e, drop):
    return {
        "tag": e.tag,
        "attrs": {k: x for k, x in e.attrib.items() if k not in drop},
        "text": (e.text or "").strip(),
        "children": [xml_tree(c, drop) for c in e if c.tag not in drop],
    }


def diff(a, b, path, out, limit=10):
    if len(out) >= limit:
        return
    if type(a) is not type(b):
        out.append(f"{path or '/'}: {short(a)} -> {short(b)}")
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append(f"{path}/{k}: {short(a[k])} -> (missing)")
            elif k not in a:
                out.append(f"{path}/{k}: (missing) -> {short(b[k])}")
            else:
                diff(a[k], b[k], f"{path}/{k}", out, limit)
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items -> {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, f"{path}/{i}", out, limit)
    elif a != b:
        out.append(f"{path or '/'}: {short(a)} -> {short(b)}")


def short(v):
    s = json.dumps(v)
    return s if len(s) <= 100 else s[:100] + "..."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--drop", default="")
    ap.add_argument("--version", default="")
    ap.add_argument("--dir", default="")
    ap.add_argument("actual")
    ap.add_argument("golden")
    o = ap.parse_args()
    drop = {k for k in o.drop.split(",") if k}
    try:
        actual = load(o.actual, drop, o.version, o.dir)
    except (OSError, ValueError, ET.ParseError) as e:
        print(f"{o.actual}: {e}")
        return 2
    if o.update:
        # the golden keeps the report as written, with the version masked
        with open(o.actual, encoding="utf-8") as f:
            text = f.read()
        text = mask(text, o.version, o.dir)
        with open(o.golden, "w", encoding="utf-8") as f:
            f.write(text)
        return 0
    try:
        golden = load(o.golden, drop, "")
    except (OSError, ValueError, ET.ParseError) as e:
        print(f"{o.golden}: {e}")
        return 2
    out = []
    diff(golden, actual, "", out)
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
