#!/usr/bin/env bash
# compare-trivy.sh - the package inventory of an image by customs beside
# Trivy's, per package type: what only Trivy finds, what only customs finds,
# and the packages both find in different layers.
#
#   scripts/compare-trivy.sh [--customs BIN] [--expected FILE] [--keep DIR] IMAGE
#
# IMAGE: an image archive both tools read (docker-archive or OCI archive).
# Trivy is the offline build of scripts/trivy.sh, run as
# `trivy image --input IMAGE --format cyclonedx` with no database, no Java
# index download and no network, in a fresh cache directory holding an empty
# Java index: Trivy refuses to look at jars without one, and with
# --offline-scan it never consults it (jars are named by their pom.properties
# or manifest). customs (default: $CUSTOMS, else build/customs) runs with
# --scanners base, which needs no vulnerability database.
#
# A package is type, name@version and the file it was read from (Trivy's
# FilePath; a Go binary's path for its modules; customs' found_in, with a
# nested archive's "OUTER!INNER" written "OUTER/INNER" as Trivy writes it).
# Debian packages are compared without the file (both read the dpkg status).
# Maven names are groupId:artifactId on both sides.
#
# Output, one line per difference (tab-separated), under a comment line per
# type with the counts:
#   only-trivy    TYPE NAME@VERSION FILE [expected: REASON]
#   only-customs  TYPE NAME@VERSION FILE [expected: REASON]
#   layer         TYPE NAME@VERSION FILE trivy DIFF_ID customs DIFF_ID [expected: REASON]
#   stale         SIDE TYPE PATTERN FILE-PATTERN REASON: an --expected line
#                 that matched nothing
# --expected FILE lists the known differences (see
# tests/e2e/trivy-lang.expected.tsv, docs/trivy-differences.md): lines
# SIDE<TAB>TYPE<TAB>NAME@VERSION<TAB>FILE<TAB>REASON, the middle two shell
# globs, # comments. Exit status: 0 when every difference is expected (or,
# without --expected, when there is none) and no expected line is stale; 1
# otherwise; 2 when a tool fails. --keep DIR keeps both reports there
# (trivy.cdx.json, customs.json, and the rows compared).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
customs=${CUSTOMS:-$here/../build/customs}
expected=""
keep=""
usage() {
	echo "usage: $0 [--customs BIN] [--expected FILE] [--keep DIR] IMAGE" >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--customs) customs=${2:?}; shift 2 ;;
	--expected) expected=${2:?}; shift 2 ;;
	--keep) keep=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# = 1 ] || usage
image=$1
[ -e "$image" ] || { echo "compare-trivy: no such image '$image'" >&2; exit 2; }
[ -x "$customs" ] || { echo "compare-trivy: no customs binary at '$customs' (make, or --customs BIN)" >&2; exit 2; }
[ -z "$expected" ] || [ -f "$expected" ] || { echo "compare-trivy: no such file '$expected'" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare-trivy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trivy=$("$here/trivy.sh") || exit 2

# An empty Java index (the trivy-java-db schema, version 1): without one,
# `--skip-java-db-update` refuses to run on an image holding jars.
mkdir -p "$tmp/trivy-cache/java-db"
python3 - "$tmp/trivy-cache/java-db" <<'EOF'
import json, os, sqlite3, sys
d = sys.argv[1]
db = sqlite3.connect(os.path.join(d, "trivy-java.db"))
db.executescript("""
CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT,
                     FOREIGN KEY (artifact_id) REFERENCES artifacts(id));
CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
CREATE INDEX indices_artifact_idx ON indices(artifact_id);
CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);
""")
db.close()
with open(os.path.join(d, "metadata.json"), "w") as f:
    json.dump({"Version": 1, "NextUpdate": "2999-01-01T00:00:00Z",
               "UpdatedAt": "2025-05-20T00:00:00Z", "DownloadedAt": "2025-05-20T00:00:00Z"}, f)
EOF

if ! "$trivy" image --input "$image" --format cyclonedx --skip-db-update --skip-java-db-update \
	--offline-scan --no-progress --quiet --cache-dir "$tmp/trivy-cache" \
	--output "$tmp/trivy.cdx.json" >"$tmp/trivy.log" 2>&1; then
	echo "compare-trivy: Trivy failed: $(tail -3 "$tmp/trivy.log" | tr '\n' ' ')" >&2
	exit 2
fi
if ! "$customs" image --scanners base --format json --output "$tmp/customs.json" "$image" 2>"$tmp/customs.log"; then
	# exit 3 with a report: problems confined to some entries; compare anyway
	[ -s "$tmp/customs.json" ] || { echo "compare-trivy: customs failed: $(head -3 "$tmp/customs.log" | tr '\n' ' ')" >&2; exit 2; }
	echo "compare-trivy: warning: customs: $(head -1 "$tmp/customs.log")" >&2
fi

rc=0
python3 - "$tmp/trivy.cdx.json" "$tmp/customs.json" "$expected" "$tmp" <<'EOF' || rc=$?
import collections, fnmatch, json, sys

trivy_path, customs_path, expected_path, tmp = sys.argv[1:5]

def trivy_rows(bom):
    # Go modules hang under an "application" component named after the binary.
    parent = {}
    names = {c.get("bom-ref"): c.get("name") for c in bom.get("components", [])}
    for d in bom.get("dependencies", []) or []:
        for ref in d.get("dependsOn", []) or []:
            parent.setdefault(ref, names.get(d.get("ref")))
    rows = []
    for c in bom.get("components", []):
        purl = c.get("purl") or ""
        if not purl.startswith("pkg:"):
            continue
        props = {p["name"]: p.get("value", "") for p in c.get("properties", []) or []}
        typ = purl[4:].split("/", 1)[0]
        name, version = c.get("name", ""), c.get("version", "")
        if typ == "maven" and c.get("group"):
            name = c["group"] + ":" + name
        if typ == "deb":
            # Trivy's version drops the epoch; its PkgID keeps the full one.
            version = props.get("aquasecurity:trivy:PkgID", "").rpartition("@")[2] or version
            path = ""
        else:
            path = props.get("aquasecurity:trivy:FilePath") or parent.get(c.get("bom-ref")) or ""
        rows.append((typ, name, version, path, props.get("aquasecurity:trivy:LayerDiffID", "")))
    return rows

def customs_rows(rep):
    rows = []
    for p in rep.get("packages", []):
        typ = p.get("type") or ""
        path = "" if typ == "deb" else (p.get("found_in") or "").replace("!", "/")
        rows.append((typ, p.get("name") or "", p.get("version") or "", path,
                     (p.get("layer") or {}).get("diff_id") or ""))
    return rows

with open(trivy_path) as f:
    theirs = trivy_rows(json.load(f))
with open(customs_path) as f:
    ours = customs_rows(json.load(f))
for label, rows in (("trivy", theirs), ("customs", ours)):
    with open("%s/%s.rows.tsv" % (tmp, label), "w") as f:
        for r in sorted(rows):
            f.write("\t".join(r) + "\n")

expected = []
if expected_path:
    with open(expected_path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 5:
                print("compare-trivy: %s:%d: want 5 tab-separated columns" % (expected_path, n), file=sys.stderr)
                sys.exit(2)
            expected.append(cols + [0])

def reason(side, typ, nv, path):
    for e in expected:
        if e[0] == side and e[1] == typ and fnmatch.fnmatchcase(nv, e[2]) and fnmatch.fnmatchcase(path, e[3]):
            e[5] += 1
            return e[4]
    return None

def key(r):
    return r[:4]
t_count = collections.Counter(map(key, theirs))
o_count = collections.Counter(map(key, ours))
t_layer = collections.defaultdict(list)
o_layer = collections.defaultdict(list)
for r in theirs:
    t_layer[key(r)].append(r[4])
for r in ours:
    o_layer[key(r)].append(r[4])

unexpected = 0
types = sorted({r[0] for r in theirs} | {r[0] for r in ours})
out = []
for typ in types:
    lines = []
    both = 0
    for k in sorted(set(t_count) | set(o_count)):
        if k[0] != typ:
            continue
        nv = "%s@%s" % (k[1], k[2])
        shown = k[3] or "-"
        common = min(t_count[k], o_count[k])
        both += common
        for side, n in (("only-trivy", t_count[k] - common), ("only-customs", o_count[k] - common)):
            for _ in range(n):
                why = reason(side, typ, nv, k[3])
                unexpected += why is None
                lines.append("\t".join([side, typ, nv, shown] + (["expected: " + why] if why else [])))
        if t_count[k] == o_count[k] and sorted(t_layer[k]) != sorted(o_layer[k]):
            why = reason("layer", typ, nv, k[3])
            unexpected += why is None
            lines.append("\t".join(["layer", typ, nv, shown, "trivy", ",".join(sorted(t_layer[k])),
                                    "customs", ",".join(sorted(o_layer[k]))] + (["expected: " + why] if why else [])))
    out.append("# %s: trivy %d, customs %d, both %d" % (typ, sum(v for k, v in t_count.items() if k[0] == typ),
                                                       sum(v for k, v in o_count.items() if k[0] == typ), both))
    out.extend(lines)
for e in expected:
    if e[5] == 0:
        unexpected += 1
        out.append("\t".join(["stale", e[0], e[1], e[2], e[3], "expected difference not seen: " + e[4]]))
ndiff = sum(1 for l in out if not l.startswith("#"))
out.append("# %d differences, %d of them unexpected" % (ndiff, unexpected))
print("\n".join(out))
sys.exit(1 if unexpected else 0)
EOF
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	cp "$tmp/trivy.cdx.json" "$tmp/customs.json" "$tmp/trivy.rows.tsv" "$tmp/customs.rows.tsv" "$keep/"
fi
exit "$rc"
