#!/usr/bin/env python3
"""debwheel.py - turns the Python code of extracted Debian packages into wheels.

  debwheel.py ROOT OUTDIR

ROOT is a directory into which Debian python3-* packages were extracted with
`dpkg-deb -x`. For each distribution found in ROOT/usr/lib/python3/dist-packages
(an *.egg-info or *.dist-info with its top_level.txt), writes
OUTDIR/<name>-<version>-py3-none-any.whl and prints its path.

Why: the sample image needs a virtual environment with real third-party
packages at real versions, installed by pip, but there is no PyPI here. Debian
ships the same upstream code and metadata (PKG-INFO is upstream's), so a wheel
repacked from it installs like the PyPI one: pip writes a normal *.dist-info
(METADATA, RECORD, INSTALLER) into site-packages. Pure-Python packages only.
"""
import base64
import hashlib
import os
import re
import sys
import zipfile


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def requires_to_metadata(text):
    """Converts setuptools' requires.txt into Requires-Dist lines."""
    out, section = [], ""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("["):
            section = line[1:-1]
            continue
        extra, _, marker = section.partition(":")
        conds = []
        if marker:
            conds.append("(%s)" % marker if extra else marker)
        if extra:
            conds.append('extra == "%s"' % extra)
        out.append("Requires-Dist: %s%s" % (line, "; " + " and ".join(conds) if conds else ""))
    return out


def metadata_of(info_dir):
    """Returns (name, version, METADATA text, entry_points text or None)."""
    if info_dir.endswith(".dist-info"):
        meta_file = os.path.join(info_dir, "METADATA")
    else:
        meta_file = os.path.join(info_dir, "PKG-INFO")
    with open(meta_file, encoding="utf-8") as f:
        meta = f.read()
    head = meta.split("\n\n", 1)[0]
    name = re.search(r"^Name: (.+)$", head, re.M).group(1).strip()
    version = re.search(r"^Version: (.+)$", head, re.M).group(1).strip()
    req = os.path.join(info_dir, "requires.txt")
    if "Requires-Dist:" not in head and os.path.exists(req):
        with open(req, encoding="utf-8") as f:
            extra = requires_to_metadata(f.read())
        if extra:
            parts = meta.split("\n\n", 1)
            parts[0] = parts[0].rstrip("\n") + "\n" + "\n".join(extra)
            meta = "\n\n".join(parts)
    ep = os.path.join(info_dir, "entry_points.txt")
    entry_points = open(ep, encoding="utf-8").read() if os.path.exists(ep) else None
    return name, version, meta, entry_points


def wheel_for(site, info_name, outdir):
    info_dir = os.path.join(site, info_name)
    name, version, meta, entry_points = metadata_of(info_dir)
    with open(os.path.join(info_dir, "top_level.txt"), encoding="utf-8") as f:
        tops = [t.strip() for t in f if t.strip()]
    dist = re.sub(r"[-_.]+", "_", name)
    winfo = "%s-%s.dist-info" % (dist, version)
    files = []  # (archive name, bytes)
    for top in tops:
        path = os.path.join(site, top)
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
                for fn in sorted(filenames):
                    if fn.endswith((".pyc", ".pyo")):
                        continue
                    full = os.path.join(dirpath, fn)
                    with open(full, "rb") as f:
                        files.append((os.path.relpath(full, site), f.read()))
        elif os.path.exists(path + ".py"):
            with open(path + ".py", "rb") as f:
                files.append((top + ".py", f.read()))
        else:
            sys.exit("debwheel: %s: top-level '%s' not found" % (info_name, top))
    files.append((winfo + "/METADATA", meta.encode()))
    files.append((winfo + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: customs-debwheel\n"
                                     "Root-Is-Purelib: true\nTag: py3-none-any\n").encode()))
    files.append((winfo + "/top_level.txt", ("\n".join(tops) + "\n").encode()))
    if entry_points:
        files.append((winfo + "/entry_points.txt", entry_points.encode()))
    record = "".join("%s,%s,%d\n" % (n, record_hash(d), len(d)) for n, d in files)
    record += winfo + "/RECORD,,\n"
    files.append((winfo + "/RECORD", record.encode()))
    whl = os.path.join(outdir, "%s-%s-py3-none-any.whl" % (dist, version))
    with zipfile.ZipFile(whl, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            zi = zipfile.ZipInfo(n, date_time=(2023, 1, 1, 0, 0, 0))
            zi.external_attr = 0o644 << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, d)
    return whl


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: debwheel.py ROOT OUTDIR")
    site = os.path.join(sys.argv[1], "usr/lib/python3/dist-packages")
    os.makedirs(sys.argv[2], exist_ok=True)
    for entry in sorted(os.listdir(site)):
        if entry.endswith((".egg-info", ".dist-info")):
            print(wheel_for(site, entry, sys.argv[2]))


if __name__ == "__main__":
    main()
