#!/usr/bin/python3
"""vulncheck.py - independent oracles for the vulnerability e2e tests
(tests/e2e/vuln.sh).

Each check reads the feed files itself (Alpine secdb YAML, Debian DSA/DLA
lists, OSV Go JSON, PyPA YAML), decides with its own version ordering which
advisories apply to the installed packages, and compares that with the
`vulnerabilities` of a customs JSON report. Nothing here shares code with
customs:

  apk     tests/oracle/version/apk.py (an independent reading of apk-tools)
  deb     `dpkg --compare-versions`, the reference implementation
  Go      semantic versioning 2.0 written out below (Go module versions and
          Go release tags converted the way govulncheck does)
  PyPI    python3-packaging's Version (PEP 440)

OSV ranges are evaluated as the OSV schema's reference algorithm does (events
sorted by version, then walked), not by pairing events in file order.

Commands (complaints one a line on stdout, exit 1 when there is any; a
one-line summary and exit 0 otherwise):

  alpine-image SRC.tar.gz DST.tar NAME=VERSION...
      rewrite the apk database of SRC's only layer with those versions and
      write a valid docker archive (new diff_id, config, manifest); prints
      {"diff_id":..., "created_by":...}
  alpine SECDB_DIR IMAGE.tar[.gz] REPORT
  debian LIST... -- ROOTFS REPORT     (ROOTFS: etc/os-release, var/lib/dpkg/status)
  osv GO_DIR PYPA_DIR SAMPLE_DIR REPORT
  osv-count PYPA_DIR NAME VERSION      how many PyPA advisories affect it
  rpm OSV_DIR ECOSYSTEM VENDOR INSTALLED.tsv REPORT
      INSTALLED.tsv: `rpm -qa --dbpath` lines NAME<TAB>[E:]V-R<TAB>VENDOR;
      packages whose vendor does not start with VENDOR are another vendor's
      and must have no finding; the others are looked up by binary name
      (AlmaLinux's records name binary rpms) and ordered by rpm itself
      (`rpm --eval '%{lua: print(rpm.vercmp(a, b))}'`)
"""
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "oracle", "version"))

complaints = []


def complain(msg):
    complaints.append(msg)


def finish(summary):
    if complaints:
        for c in complaints:
            print(c)
        sys.exit(1)
    print(summary)
    sys.exit(0)


# ---------------------------------------------------------------- orderings

def apk_cmp(a, b):
    import apk  # tests/oracle/version/apk.py
    ta, tb = apk.tokens(a.encode()), apk.tokens(b.encode())
    if ta is None or tb is None:
        raise ValueError("invalid apk version %r or %r" % (a, b))
    return apk.compare(ta, tb)


_dpkg_cache = {}


def dpkg_lt(a, b):
    k = (a, b)
    if k not in _dpkg_cache:
        r = subprocess.run(["dpkg", "--compare-versions", "--", a, "lt", b])
        if r.returncode not in (0, 1):
            raise ValueError("dpkg cannot compare %r and %r" % (a, b))
        _dpkg_cache[k] = r.returncode == 0
    return _dpkg_cache[k]


SEMVER = re.compile(r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$")


_rpm_cache = {}


def rpm_cmp(a, b):
    """rpm's own vercmp (the reference implementation, through its Lua)."""
    k = (a, b)
    if k not in _rpm_cache:
        for x in k:
            if "'" in x or "\\" in x:
                raise ValueError("unquotable rpm version %r" % x)
        out = subprocess.run(["rpm", "--eval", "%%{lua: print(rpm.vercmp('%s', '%s'))}" % k],
                             capture_output=True, text=True, check=True).stdout.strip()
        _rpm_cache[k] = int(out)
    return _rpm_cache[k]


def go_key(v):
    """Semantic version 2.0 sort key; Go tags (go1.19.8, go1.21rc2) converted."""
    m = re.match(r"^go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(beta|rc)(\d+))?$", v)
    if m:
        v = "%s.%s.%s" % (m.group(1), m.group(2) or 0, m.group(3) or 0)
        if m.group(4):
            v += "-%s.%s" % (m.group(4), m.group(5))
    m = SEMVER.match(v)
    if not m:
        raise ValueError("not semver: %r" % v)
    core = tuple(int(x) for x in m.group(1, 2, 3))
    if m.group(4) is None:
        return (core, 1, ())
    pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in m.group(4).split("."))
    return (core, 0, pre)


def go_cmp(a, b):
    ka, kb = go_key(a), go_key(b)
    return (ka > kb) - (ka < kb)


def pep440_cmp(a, b):
    from packaging.version import Version
    va, vb = Version(a), Version(b)
    return (va > vb) - (va < vb)


# ---------------------------------------------------------------- OSV

def osv_fix(version, ranges, versions, cmp):
    """(affected, fixed) by the OSV schema's evaluation: per range, events
    sorted by version ("0" first), walked in order; `versions` listed too."""
    for r in ranges:
        if r.get("type") not in ("SEMVER", "ECOSYSTEM"):
            continue
        evs = []
        for e in r.get("events") or []:
            (kind, val), = e.items()
            evs.append((kind, str(val)))
        limits = [v for k, v in evs if k == "limit"]
        evs = [e for e in evs if e[0] != "limit"]

        def key(e):
            return (0,) if e[1] == "0" else (1, e[1])
        import functools

        def ecmp(x, y):
            if x[1] == "0" or y[1] == "0":
                return (x[1] != "0") - (y[1] != "0")
            return cmp(x[1], y[1])
        evs.sort(key=functools.cmp_to_key(ecmp))
        affected, fixed = False, None
        for kind, val in evs:
            if kind == "introduced":
                if val == "0" or cmp(version, val) >= 0:
                    affected, fixed = True, None
            elif kind == "fixed":
                if cmp(version, val) >= 0:
                    affected = False
                elif affected and fixed is None:
                    fixed = val
            elif kind == "last_affected":
                if cmp(version, val) > 0:
                    affected = False
        if affected and any(cmp(version, lim) >= 0 for lim in limits if lim != "*"):
            affected = False
        if affected:
            return True, fixed
    for v in versions or []:
        try:
            if cmp(version, str(v)) == 0:
                return True, None
        except Exception:
            pass
    return False, None


def osv_records(path):
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        return doc if isinstance(doc, list) else [doc]
    import yaml
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.load_all(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)) if d]


def present(x):
    return x not in (None, "", "null", "~")


def pep503(n):
    return re.sub(r"[-_.]+", "-", n).lower()


def osv_index(dirs):
    """{(ecosystem, normalized name): [(record, affected entry)]}, withdrawn left out."""
    idx = {}
    for d in dirs:
        for dp, dns, fns in os.walk(d):
            dns[:] = [x for x in dns if not x.startswith(".")]
            for fn in fns:
                if not fn.endswith((".json", ".yaml", ".yml")):
                    continue
                for rec in osv_records(os.path.join(dp, fn)):
                    if not isinstance(rec, dict) or present(rec.get("withdrawn")):
                        continue
                    for a in rec.get("affected") or []:
                        p = a.get("package") or {}
                        eco, name = p.get("ecosystem"), p.get("name")
                        if not eco or not name:
                            continue
                        if eco == "PyPI":
                            name = pep503(name)
                        idx.setdefault((eco, name), []).append((rec, a))
    return idx


def cve_keys(rec):
    """The ids a finding for this advisory may carry: its CVE(s), else its id."""
    ids = [rec["id"]] + [a for a in (rec.get("aliases") or []) if isinstance(a, str)]
    cves = [i for i in ids if i.upper().startswith("CVE-")]
    return cves or [rec["id"]]


# ---------------------------------------------------------------- comparing

def compare(pkgs, expected, findings, what):
    """expected: {pkg: [ {"id": advisory id, "keys": [...], "also": [...ids],
    "fixed": str or ""} ]}; findings: the report's, already filtered.
    Every CVE an advisory names (its keys) is one finding with that id, as
    Trivy and Grype report them; the finding carries the advisory's own id
    and its other non-CVE ids as aliases; the fixed version is the
    advisory's (when several advisories fold into one finding, one of
    theirs); no other finding."""
    by_pkg = {}
    for f in findings:
        by_pkg.setdefault(f["package"]["name"], []).append(f)
    n = 0
    for p in sorted(set(pkgs) | set(by_pkg)):
        exp = expected.get(p, [])
        got = by_pkg.get(p, [])
        ids = [f["id"] for f in got]
        for i in sorted({i for i in ids if ids.count(i) > 1}):
            complain("%s %s: %s reported %d times" % (what, p, i, ids.count(i)))
        gid = {f["id"]: f for f in got}
        used = set()
        for e in exp:
            for k in e["keys"]:
                if k not in gid:
                    complain("%s %s: missed %s (%s, fixed %s)" % (what, p, k, e["id"], e["fixed"] or "-"))
                    continue
                f = gid[k]
                used.add(k)
                carried = {f["id"]} | set(f.get("aliases") or [])
                need = {x for x in [e["id"]] + e.get("also", []) if not x.upper().startswith("CVE-")} - {k}
                lost = sorted(need - carried)
                if lost:
                    complain("%s %s: finding %s lacks the ids %s of %s" % (what, p, k, lost, e["id"]))
                folded = [x for x in exp if k in x["keys"]]
                fixes = {x["fixed"] for x in folded}
                if (f.get("fixed_version") or "") not in fixes:
                    complain("%s %s: %s fixed_version %r, want %s" % (what, p, k, f.get("fixed_version"),
                                                                      " or ".join(repr(x) for x in sorted(fixes))))
        for i in sorted(set(gid) - used):
            f = gid[i]
            complain("%s %s: unexpected finding %s (fixed %r, source %s)" % (what, p, i, f.get("fixed_version"),
                                                                          f.get("data_source")))
        n += len(got)
    return n


def load_report(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------- Alpine

def read_image(path):
    """(manifest, config bytes, config name, layer member name, layer tar bytes, other members)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    members = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for m in t.getmembers():
            if m.isfile():
                members[m.name] = t.extractfile(m).read()
    manifest = json.loads(members["manifest.json"])
    if len(manifest) != 1 or len(manifest[0]["Layers"]) != 1:
        raise SystemExit("vulncheck: %s: want one image of one layer" % path)
    return manifest, members


def apk_db(layer_tar):
    with tarfile.open(fileobj=io.BytesIO(layer_tar)) as t:
        return t.extractfile("lib/apk/db/installed").read().decode("utf-8")


def apk_packages(db):
    out = []
    for block in db.split("\n\n"):
        f = {}
        for line in block.splitlines():
            if len(line) > 2 and line[1] == ":":
                f.setdefault(line[0], line[2:])
        if "P" in f:
            out.append((f["P"], f["V"], f.get("o", f["P"])))
    return out


def cmd_alpine_image(src, dst, edits):
    want = dict(e.split("=", 1) for e in edits)
    manifest, members = read_image(src)
    layer_name = manifest[0]["Layers"][0]
    cfg_name = manifest[0]["Config"]
    old = members[layer_name]
    db = apk_db(old)
    seen = set()
    out_lines = []
    pkg = None
    for line in db.split("\n"):
        if line.startswith("P:"):
            pkg = line[2:]
        elif line == "":
            pkg = None
        if line.startswith("V:") and pkg in want:
            line = "V:" + want[pkg]
            seen.add(pkg)
        out_lines.append(line)
    if seen != set(want):
        raise SystemExit("vulncheck: packages not in the image: %s" % sorted(set(want) - seen))
    newdb = "\n".join(out_lines).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(old)) as t, tarfile.open(fileobj=buf, mode="w", format=t.format) as w:
        for m in t.getmembers():
            if m.name == "lib/apk/db/installed":
                m.size = len(newdb)
                w.addfile(m, io.BytesIO(newdb))
            else:
                w.addfile(m, t.extractfile(m) if m.isfile() else None)
    layer = buf.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    cfg = json.loads(members[cfg_name])
    cfg["rootfs"]["diff_ids"] = [diff_id]
    cfg_bytes = json.dumps(cfg, separators=(",", ":")).encode()
    cfg_hex = hashlib.sha256(cfg_bytes).hexdigest()
    lname = diff_id[7:] + "/layer.tar"
    man = [{"Config": cfg_hex + ".json", "RepoTags": ["customs/alpine-edited:3.11"], "Layers": [lname]}]
    with tarfile.open(dst, "w", format=tarfile.PAX_FORMAT) as w:
        for name, data in ((cfg_hex + ".json", cfg_bytes), (lname, layer),
                           ("manifest.json", json.dumps(man).encode())):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mode = 0o644
            w.addfile(ti, io.BytesIO(data))
    created_by = [h.get("created_by") for h in cfg.get("history", []) if not h.get("empty_layer")]
    print(json.dumps({"diff_id": diff_id, "created_by": created_by[0] if created_by else None}))


def secdb_fixes(secdb_dir, release):
    """{origin: {id: [fix versions]}} from RELEASE/*.yaml."""
    import yaml
    out = {}
    rdir = os.path.join(secdb_dir, release)
    for fn in sorted(os.listdir(rdir)):
        if not fn.endswith(".yaml"):
            continue
        with open(os.path.join(rdir, fn), encoding="utf-8") as f:
            doc = yaml.load(f, Loader=yaml.BaseLoader)
        for p in doc.get("packages") or []:
            pkg = p["pkg"]
            for fixv, ids in (pkg.get("secfixes") or {}).items():
                for entry in ids or []:
                    toks = entry.split("(")[0].split()
                    cves = [t for t in toks if re.fullmatch(r"CVE-\d{4}-\d{4,}", t)]
                    if not cves:
                        cves = [t for t in toks if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)+", t)
                                and not t.upper().startswith("CVE")]
                    for c in cves:
                        out.setdefault(pkg["name"], {}).setdefault(c, []).append(fixv)
    return out


def cmd_alpine(secdb_dir, image, report):
    manifest, members = read_image(image)
    pkgs = apk_packages(apk_db(members[manifest[0]["Layers"][0]]))
    osr = None
    cfg = json.loads(members[manifest[0]["Config"]])
    with tarfile.open(fileobj=io.BytesIO(members[manifest[0]["Layers"][0]])) as t:
        osr = t.extractfile("etc/alpine-release").read().decode().strip()
    release = "v" + ".".join(osr.split(".")[:2])
    fixes = secdb_fixes(secdb_dir, release)
    expected = {}
    for name, ver, origin in pkgs:
        for vid, fvs in fixes.get(origin, {}).items():
            above = [fv for fv in fvs if fv != "0" and apk_cmp(ver, fv) < 0]
            if above:
                # the ranges are ORed: the version that fixes it is the highest
                best = above[0]
                for fv in above[1:]:
                    if apk_cmp(fv, best) > 0:
                        best = fv
                expected.setdefault(name, []).append({"id": vid, "keys": [vid], "fixed": best})
    rep = load_report(report)
    findings = [f for f in rep.get("vulnerabilities", []) if f["package"]["type"] == "apk"]
    for f in rep.get("vulnerabilities", []):
        if f["package"]["type"] != "apk":
            complain("non-apk finding %s in %s" % (f["id"], f["package"]["name"]))
        elif not f.get("data_source", "").startswith("alpine-secdb"):
            complain("%s %s: data_source %s" % (f["package"]["name"], f["id"], f.get("data_source")))
    n = compare([p[0] for p in pkgs], expected, findings, "apk")
    nexp = sum(len(v) for v in expected.values())
    finish("alpine %s: %d findings as expected in %d packages (%d affected)" % (release, n, len(pkgs), len(expected)))


# ---------------------------------------------------------------- Debian

CODENAMES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13"}
HEADER = re.compile(r"^\[(\d\d) (\w\w\w) (\d{4})\] ([A-Z]+-\d+(?:-\d+)?)\s*(.*)$")
ENTRY = re.compile(r"^\s+(?:NOTE:\s*)?\[([a-z]+)\]\s+-\s+(\S+)\s+(\S+)")


def debian_lists(paths, codename):
    """[(advisory id, [CVEs], source, fixed version)] for one release;
    markers (<not-affected>, ...) kept as the version."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
        cur, cves, entries = None, [], []
        blocks = []

        def flush():
            if cur:
                blocks.append((cur, list(cves), list(entries)))
        for line in lines:
            m = HEADER.match(line)
            if m:
                flush()
                cur, cves, entries = m.group(4), [], []
                continue
            if cur is None:
                continue
            s = line.strip()
            if s.startswith("{"):
                cves += [c for c in s.strip("{}").split() if c.startswith("CVE-")]
            m = ENTRY.match(line)
            if m and m.group(1) == codename:
                entries.append((m.group(2), m.group(3)))
        flush()
        # a revision without CVEs borrows those of the same advisory's other revisions
        bybase = {}
        for adv, cv, _ in blocks:
            bybase.setdefault(adv.rsplit("-", 1)[0] if adv.count("-") == 2 else adv, set()).update(cv)
        for adv, cv, ent in blocks:
            if not cv:
                cv = sorted(bybase.get(adv.rsplit("-", 1)[0] if adv.count("-") == 2 else adv, ()))
            for src, ver in ent:
                out.append((adv, cv, src, ver))
    return out


def dpkg_status(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for block in f.read().split("\n\n"):
            fields = {}
            for line in block.split("\n"):
                m = re.match(r"^([A-Za-z0-9-]+):\s*(.*)$", line)
                if m:
                    fields[m.group(1)] = m.group(2)
            if "Package" not in fields or not fields.get("Status", "").endswith(" installed"):
                continue
            src = fields.get("Source", fields["Package"])
            m = re.match(r"^(\S+)\s+\((\S+)\)$", src)
            srcname, srcver = (m.group(1), m.group(2)) if m else (src, fields["Version"])
            out.append((fields["Package"], fields["Version"], srcname, srcver))
    return out


def cmd_debian(lists, root, report):
    status = os.path.join(root, "var", "lib", "dpkg", "status")
    with open(os.path.join(root, "etc", "os-release")) as f:
        osr = dict(l.split("=", 1) for l in f.read().split("\n") if "=" in l)
    codename = osr.get("VERSION_CODENAME", "").strip('"')
    advs = debian_lists(lists, codename)
    pkgs = dpkg_status(status)
    expected = {}
    for name, ver, src, srcver in pkgs:
        for adv, cv, asrc, fixv in advs:
            if asrc != src:
                continue
            if fixv.startswith("<"):
                if fixv in ("<unfixed>", "<end-of-life>", "<no-dsa>", "<postponed>", "<ignored>", "<removed>"):
                    expected.setdefault(name, []).append({"id": adv, "keys": cv or [adv], "fixed": ""})
                continue
            if dpkg_lt(srcver, fixv):
                expected.setdefault(name, []).append({"id": adv, "keys": cv or [adv], "also": cv, "fixed": fixv})
    rep = load_report(report)
    findings = [f for f in rep.get("vulnerabilities", []) if f.get("data_source", "").startswith("debian-list")]
    for f in rep.get("vulnerabilities", []):
        if not f.get("data_source", "").startswith("debian-list"):
            print("# other source: %s %s %s fixed %r from %s" % (f["package"]["name"], f["installed_version"], f["id"],
                                                                f.get("fixed_version"), f.get("data_source")))
    n = compare([p[0] for p in pkgs], expected, findings, "deb")
    finish("debian %s: %d debian-list findings as expected (%d packages, %d advisories for the release)"
           % (codename, n, len(pkgs), len({a[0] for a in advs})))


# ---------------------------------------------------------------- Go, PyPI

def cmd_osv(go_dir, pypa_dir, sample, report):
    idx = osv_index([go_dir, pypa_dir])
    # the inventory, from build-images.sh's own oracles (go version -m, the dist-info METADATA)
    want = []  # (ecosystem, name, version, path)
    with open(os.path.join(sample, "expected.go-version-m.txt")) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":") and parts[1].startswith("go"):
                want.append(("Go", "stdlib", parts[1], parts[0].rstrip(":")))
            elif len(parts) >= 3 and parts[0] == "dep":
                want.append(("Go", parts[1], parts[2], None))
    gobin = [w[3] for w in want if w[1] == "stdlib"][0]
    want = [(e, n, v, p if p else gobin) for e, n, v, p in want]
    with open(os.path.join(sample, "expected.python.tsv")) as f:
        next(f)
        for line in f:
            name, ver, path = line.rstrip("\n").split("\t")
            want.append(("PyPI", name, ver, path))
    layers = {}
    with open(os.path.join(sample, "layers.tsv")) as f:
        next(f)
        for line in f:
            i, _, diff, by, purpose = line.rstrip("\n").split("\t")
            layers[int(i) - 1] = (diff, by, purpose)
    # which layer put each file there: /app/plugins was replaced by the opaque layer
    def layer_of(path):
        for i in sorted(layers, reverse=True):
            if path.startswith("/app/plugins/") and "opaque" in layers[i][2]:
                return i
            if "application:" in layers[i][2] and not path.startswith("/app/plugins/"):
                return i
        return None

    rep = load_report(report)
    expected, names, counts = {}, [], {}
    for eco, name, ver, path in want:
        key = name if eco == "Go" else pep503(name)
        cmp = go_cmp if eco == "Go" else pep440_cmp
        names.append(name)
        for rec, a in idx.get((eco, key), []):
            hit, fixed = osv_fix(ver, a.get("ranges") or [], a.get("versions") or [], cmp)
            if hit:
                keys = cve_keys(rec)
                ids = [x for x in [rec["id"]] + list(rec.get("aliases") or []) if isinstance(x, str)]
                expected.setdefault(name, []).append({"id": rec["id"], "keys": keys, "also": ids, "fixed": fixed or ""})
                counts[name] = counts.get(name, 0) + 1
    findings = [f for f in rep.get("vulnerabilities", []) if f["package"]["type"] in ("golang", "pypi")]
    for f in findings:
        pth = next((w[3] for w in want if w[1] == f["package"]["name"]), None)
        li = layer_of(pth) if pth else None
        if li is None or (f.get("layer") or {}).get("index") != li:
            complain("%s %s: layer %s, want index %s" % (f["package"]["name"], f["id"], f.get("layer"), li))
        elif f["layer"].get("diff_id") != layers[li][0] or f.get("created_by") != layers[li][1]:
            complain("%s %s: layer diff_id/created_by are not those of layer %d" % (f["package"]["name"], f["id"], li))
    n = compare(names, expected, findings, "osv")
    for must in ("stdlib", "golang.org/x/net", "urllib3", "pip", "requests"):
        if not counts.get(must):
            complain("the feeds hold no advisory for %s: the check has no teeth" % must)
    finish("osv: %d Go/PyPI findings as expected (%s)" % (n, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))


def cmd_osv_count(pypa_dir, name, version):
    idx = osv_index([pypa_dir])
    n = [rec["id"] for rec, a in idx.get(("PyPI", pep503(name)), [])
         if osv_fix(version, a.get("ranges") or [], a.get("versions") or [], pep440_cmp)[0]]
    print(len(n), " ".join(sorted(n)))


def cmd_rpm(osv_dir, ecosystem, vendor, installed, report):
    idx = osv_index([osv_dir])
    rep = load_report(report)
    findings = [f for f in rep.get("vulnerabilities", []) if f["package"]["type"] == "rpm"]
    expected, names, third = {}, [], []
    with open(installed) as f:
        for line in f:
            name, ver, vend = line.rstrip("\n").split("\t")
            names.append(name)
            if not vend.startswith(vendor):
                third.append(name)
                continue
            for rec, a in idx.get((ecosystem, name), []):
                hit, fixed = osv_fix(ver, a.get("ranges") or [], a.get("versions") or [], rpm_cmp)
                if hit:
                    expected.setdefault(name, []).append(
                        {"id": rec["id"], "keys": cve_keys(rec), "also": [rec["id"]], "fixed": fixed or ""})
    if not expected:
        complain("no installed package is affected by the feed: the check has no teeth")
    for name in third:
        if not any(idx.get((ecosystem, name), [])):
            complain("third-party %s: the feed has no record for it, the case has no teeth" % name)
    n = compare(names, expected, findings, "rpm")
    finish("rpm: %d findings as expected for %d packages (%d another vendor's)" % (n, len(names), len(third)))


def main():
    a = sys.argv[1:]
    if not a:
        raise SystemExit(__doc__)
    cmd = a.pop(0)
    if cmd == "alpine-image":
        cmd_alpine_image(a[0], a[1], a[2:])
    elif cmd == "alpine":
        cmd_alpine(*a)
    elif cmd == "debian":
        i = a.index("--")
        cmd_debian(a[:i], a[i + 1], a[i + 2])
    elif cmd == "osv":
        cmd_osv(*a)
    elif cmd == "osv-count":
        cmd_osv_count(*a)
    elif cmd == "rpm":
        cmd_rpm(*a)
    else:
        raise SystemExit("vulncheck: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
