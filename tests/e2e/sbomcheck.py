#!/usr/bin/env python3
"""sbomcheck.py - what the CycloneDX and SPDX JSON schemas cannot check, for
tests/e2e/report_sbom.sh. Nothing here shares code with customs.

    sbomcheck.py cdx BOM.json [REPORT.json]
    sbomcheck.py spdx DOC.json [REPORT.json]
    sbomcheck.py purls FILE.json          the package purls, sorted, one a line

cdx:  every bom-ref unique (metadata.component and components); every
      dependencies[].ref and dependsOn[] names a component; every component
      has a dependency entry; every vulnerabilities[].affects[].ref names a
      component; with REPORT (customs' own JSON of the same run): as many
      library components as packages, the same purls, as many
      vulnerabilities as findings, each (id, purl) pair the same.
spdx: every SPDXID of the form SPDXRef-[A-Za-z0-9.-]+ and unique; every
      relationship between elements that exist; the document DESCRIBES one
      package, which CONTAINS every other; every LicenseRef- used in a
      license field is declared in hasExtractedLicensingInfos; with REPORT:
      as many packages (besides the image and the OS) as customs found, the
      same purls.
purls: CycloneDX components' purl, or SPDX packages' purl externalRefs
      (the image's own pkg:oci purl left out).

Complaints go to stdout one a line (exit 1); otherwise one summary line.
"""
import json
import re
import sys
from collections import Counter

complaints = []


def complain(msg):
    complaints.append(msg)


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def cdx_purls(bom):
    return sorted(c["purl"] for c in bom.get("components", []) if c.get("purl"))


def spdx_purls(doc):
    out = []
    for p in doc.get("packages", []):
        for r in p.get("externalRefs", []):
            if r.get("referenceType") == "purl" and not r["referenceLocator"].startswith("pkg:oci/"):
                out.append(r["referenceLocator"])
    return sorted(out)


def report_purls(rep):
    return sorted(p["purl"] for p in rep["packages"] if p.get("purl"))


def check_cdx(bom, rep):
    meta = bom.get("metadata", {}).get("component")
    comps = bom.get("components", [])
    refs = ([meta.get("bom-ref")] if meta else []) + [c.get("bom-ref") for c in comps]
    if None in refs or "" in refs:
        complain("a component without bom-ref")
    for ref, n in Counter(refs).items():
        if n > 1:
            complain("bom-ref %r used %d times" % (ref, n))
    known = set(refs)
    deps = bom.get("dependencies", [])
    have = set()
    for d in deps:
        if d.get("ref") not in known:
            complain("dependencies ref %r names no component" % d.get("ref"))
        have.add(d.get("ref"))
        for on in d.get("dependsOn", []):
            if on not in known:
                complain("%r dependsOn %r, which names no component" % (d.get("ref"), on))
    for ref in known - have:
        complain("component %r has no dependency entry" % ref)
    if meta and meta.get("bom-ref") in have:
        top = next(d for d in deps if d.get("ref") == meta["bom-ref"])
        missing = known - {meta["bom-ref"]} - set(top.get("dependsOn", []))
        if missing:
            complain("the image does not depend on %d components, e.g. %r" % (len(missing), sorted(missing)[0]))
    vulns = bom.get("vulnerabilities", [])
    for v in vulns:
        for a in v.get("affects", []):
            if a.get("ref") not in known:
                complain("vulnerability %s affects %r, which names no component" % (v.get("id"), a.get("ref")))
    if rep is None:
        return "%d components, %d dependencies, %d vulnerabilities" % (len(comps), len(deps), len(vulns))
    libs = [c for c in comps if c.get("type") == "library"]
    if len(libs) != len(rep["packages"]):
        complain("%d library components, customs' JSON has %d packages" % (len(libs), len(rep["packages"])))
    if cdx_purls(bom) != report_purls(rep):
        complain("purls differ from customs' JSON: %s" % sorted(set(cdx_purls(bom)) ^ set(report_purls(rep)))[:3])
    if len(vulns) != len(rep["vulnerabilities"]):
        complain("%d vulnerabilities, customs' JSON has %d" % (len(vulns), len(rep["vulnerabilities"])))
    by_ref = {c.get("bom-ref"): c.get("purl") for c in comps}
    ours = sorted((v.get("id"), by_ref.get(v["affects"][0]["ref"]) if v.get("affects") else None) for v in vulns)
    theirs = sorted((v["id"], v["package"]["purl"]) for v in rep["vulnerabilities"])
    if ours != theirs:
        complain("(id, purl) of the vulnerabilities differ from customs' JSON: %s" %
                 sorted(set(ours) ^ set(theirs))[:3])
    return "%d components (%d packages), %d dependencies, %d vulnerabilities: as in customs' JSON" % (
        len(comps), len(libs), len(deps), len(vulns))


LICENSE_FIELDS = ("licenseDeclared", "licenseConcluded")


def check_spdx(doc, rep):
    idre = re.compile(r"SPDXRef-[A-Za-z0-9.-]+\Z")
    pkgs = doc.get("packages", [])
    ids = [doc.get("SPDXID")] + [p.get("SPDXID") for p in pkgs]
    if doc.get("SPDXID") != "SPDXRef-DOCUMENT":
        complain("document SPDXID %r" % doc.get("SPDXID"))
    for i in ids:
        if not isinstance(i, str) or not idre.match(i):
            complain("invalid SPDXID %r" % i)
    for i, n in Counter(ids).items():
        if n > 1:
            complain("SPDXID %r used %d times" % (i, n))
    known = set(ids)
    rels = doc.get("relationships", [])
    for r in rels:
        for end in ("spdxElementId", "relatedSpdxElement"):
            if r.get(end) not in known:
                complain("relationship %s %s %s: %r is no element" % (
                    r.get("spdxElementId"), r.get("relationshipType"), r.get("relatedSpdxElement"), r.get(end)))
    described = [r["relatedSpdxElement"] for r in rels
                 if r.get("spdxElementId") == "SPDXRef-DOCUMENT" and r.get("relationshipType") == "DESCRIBES"]
    if len(described) != 1:
        complain("the document DESCRIBES %d elements, want 1" % len(described))
    else:
        contained = {r["relatedSpdxElement"] for r in rels
                     if r.get("spdxElementId") == described[0] and r.get("relationshipType") == "CONTAINS"}
        missing = known - {"SPDXRef-DOCUMENT", described[0]} - contained
        if missing:
            complain("the described package does not CONTAIN %s" % sorted(missing)[:3])
    declared = {e.get("licenseId") for e in doc.get("hasExtractedLicensingInfos", [])}
    for p in pkgs:
        for f in LICENSE_FIELDS:
            for ref in re.findall(r"LicenseRef-[A-Za-z0-9.-]+", p.get(f, "")):
                if ref not in declared:
                    complain("%s %s uses %s, not in hasExtractedLicensingInfos" % (p.get("SPDXID"), f, ref))
    if rep is None:
        return "%d packages, %d relationships" % (len(pkgs), len(rels))
    purposes = Counter(p.get("primaryPackagePurpose") for p in pkgs)
    others = len(pkgs) - purposes["CONTAINER"] - purposes["OPERATING_SYSTEM"]
    if others != len(rep["packages"]):
        complain("%d packages besides the image and the OS, customs' JSON has %d" % (others, len(rep["packages"])))
    if spdx_purls(doc) != report_purls(rep):
        complain("purls differ from customs' JSON: %s" % sorted(set(spdx_purls(doc)) ^ set(report_purls(rep)))[:3])
    return "%d packages (%d from customs' JSON), %d relationships" % (len(pkgs), others, len(rels))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("cdx", "spdx", "purls"):
        sys.exit(__doc__)
    doc = load(sys.argv[2])
    if sys.argv[1] == "purls":
        for p in (cdx_purls(doc) if "bomFormat" in doc else spdx_purls(doc)):
            print(p)
        return 0
    rep = load(sys.argv[3]) if len(sys.argv) > 3 else None
    summary = check_cdx(doc, rep) if sys.argv[1] == "cdx" else check_spdx(doc, rep)
    for c in complaints[:20]:
        print(c)
    if complaints:
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
