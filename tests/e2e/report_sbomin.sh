# shellcheck shell=bash disable=SC2154 # run.sh's and report.sh's variables
# report_sbomin.sh - SBOM input: `customs sbom` on SBOMs of REPORT_VULN_IMG
# must find the vulnerabilities `customs image` finds in the image itself.
#
#   report/sbomin-image       `customs image` of REPORT_VULN_IMG: the reference
#   report/sbomin-trivy-cdx   Trivy's CycloneDX SBOM of the image (written here
#   report/sbomin-trivy-spdx  by scripts/trivy.sh, offline) and its SPDX JSON:
#                             the same (id, package, installed, fixed) set, the
#                             same OS; the CycloneDX one against a golden file
#   report/sbomin-roundtrip-* customs' own cyclonedx and spdx-json output fed
#                             back: the same findings and the same packages
#                             (skipped while a writer is not there yet)
#   report/sbomin-detects     an SBOM with musl at its fixed version: the
#                             comparison must see the difference (it can fail)
#   report/sbomin-error-*     not JSON, no known format, an unsupported
#                             version, a missing file: exit 3, exactly one
#                             error line naming the file, no report written
report_sbomin() {
	local img tdir trivy="" cmp f fmt
	if [ -z "$REPORT_DB" ]; then
		skip "report/sbomin-*" "no vulnerability image or database (report/prepare-vuln failed)"
		return
	fi
	img=${REPORT_VULN_IMG#docker-archive:}
	tdir=$E2E_TMP/sbomin
	mkdir -p "$tdir"
	# sbomin_vulns REPORT: "id package installed fixed" lines, sorted.
	cmp=$tdir/compare.py
	cat >"$cmp" <<'EOF'
import json, sys
def rows(path):
    d = json.load(open(path))
    return sorted({(v["id"], v["package"]["name"], v.get("installed_version") or "", v.get("fixed_version") or "")
                   for v in d.get("vulnerabilities") or []})
want, got = rows(sys.argv[1]), rows(sys.argv[2])
ref, this = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
errs = []
if len(want) < 10:
    errs.append("the image scan found only %d vulnerabilities" % len(want))
for r in sorted(set(want) - set(got)):
    errs.append("missing %s" % " ".join(r))
for r in sorted(set(got) - set(want)):
    errs.append("extra %s" % " ".join(r))
os_ref, os_this = ref["artifact"].get("os") or {}, this["artifact"].get("os") or {}
if (os_ref.get("family"), os_ref.get("version")) != (os_this.get("family"), os_this.get("version")):
    errs.append("OS %s %s, want %s %s" % (os_this.get("family"), os_this.get("version"), os_ref.get("family"), os_ref.get("version")))
if this["artifact"]["type"] != "sbom":
    errs.append("artifact type %s" % this["artifact"]["type"])
if len(sys.argv) > 3 and sys.argv[3].startswith("packages"):
    # customs' own SBOM: every package as the image scan has it, layers and
    # what the format does not carry (installed size, SPDX's maintainer) aside;
    # SPDX joins a package's licenses into one expression ("packages-nolic")
    fields = ("type", "name", "version", "arch", "source_name", "source_version", "purl", "found_in",
              "licenses", "vendor", "third_party", "owner")
    if sys.argv[3] == "packages-nolic":
        fields = tuple(f for f in fields if f != "licenses")
    key = lambda p: json.dumps([p.get(f) for f in fields])
    a, b = sorted(map(key, ref["packages"])), sorted(map(key, this["packages"]))
    for k in sorted(set(a) - set(b))[:3]:
        errs.append("package lost or changed: %s" % k)
    for k in sorted(set(b) - set(a))[:3]:
        errs.append("package not in the image: %s" % k)
    if this["artifact"]["name"] != ref["artifact"]["name"]:
        errs.append("artifact %s, want %s" % (this["artifact"]["name"], ref["artifact"]["name"]))
print("; ".join(errs[:6]))
sys.exit(1 if errs else 0)
EOF

	# The reference: the image itself.
	rep_run report/sbomin-image image --db "$REPORT_DB" --db-max-age 0 --format json=img.json "$REPORT_VULN_IMG"
	if [ "$CS_RC" != 0 ] || [ ! -s "$CWD/img.json" ]; then
		fail report/sbomin-image "customs image exit $CS_RC: $(head -c 200 "$CS_ERR")"
		return
	fi
	cp "$CWD/img.json" "$tdir/img.json"
	want report/sbomin-image && ok report/sbomin-image

	# sbomin_case NAME SBOM [GOLDEN [packages]]: customs sbom on SBOM, compared with
	# the image scan (with "packages": package by package too).
	sbomin_case() {
		local name=$1 doc=$2 golden=${3:-} mode=${4:-} out
		rep_run "$name" sbom --db "$REPORT_DB" --db-max-age 0 --format json=r.json --format table=r.txt "$doc"
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(head -c 200 "$CS_ERR")"
		grep -q '^customs: warning: ' "$CS_ERR" && why "warnings: $(grep -m1 '^customs: warning: ' "$CS_ERR" | head -c 160)"
		if [ -s "$CWD/r.json" ] && report_ok "$name" "$CWD/r.json"; then
			out=$("$PY" "$cmp" "$tdir/img.json" "$CWD/r.json" "$mode" 2>&1) || why "${out:-compare failed}"
			[ -n "$golden" ] && rep_golden "$CWD/r.json" "$golden"
		else
			why "no JSON report"
		fi
		[ -s "$CWD/r.txt" ] || why "no table report"
		verdict "$name"
	}

	# Trivy's SBOMs of the image.
	if want 'report/sbomin-trivy' || want report/sbomin-detects; then
		if ! trivy=$("$root/scripts/trivy.sh" 2>"$tdir/trivy-install.log"); then
			skip "report/sbomin-trivy-*" "Trivy could not be installed: $(tail -1 "$tdir/trivy-install.log")"
			trivy=""
		fi
	fi
	if [ -n "$trivy" ]; then
		for fmt in cyclonedx spdx-json; do
			if ! "$trivy" image --input "$img" --format "$fmt" --skip-db-update --skip-java-db-update --offline-scan \
				--no-progress --quiet --cache-dir "$tdir/trivy-cache" --output "$tdir/trivy.$fmt.json" \
				>"$tdir/trivy-$fmt.log" 2>&1; then
				fail "report/sbomin-trivy-$fmt" "Trivy failed: $(tail -2 "$tdir/trivy-$fmt.log" | tr '\n' ' ')"
				rm -f "$tdir/trivy.$fmt.json"
			fi
		done
		if want report/sbomin-trivy-cdx && [ -s "$tdir/trivy.cyclonedx.json" ]; then
			sbomin_case report/sbomin-trivy-cdx "$tdir/trivy.cyclonedx.json" sbomin-trivy-cdx.json
		fi
		if want report/sbomin-trivy-spdx && [ -s "$tdir/trivy.spdx-json.json" ]; then
			sbomin_case report/sbomin-trivy-spdx "$tdir/trivy.spdx-json.json"
		fi
		# The comparison can fail: musl at its fixed version drops its findings.
		if want report/sbomin-detects && [ -s "$tdir/trivy.cyclonedx.json" ]; then
			sed 's/musl@1\.1\.23-r0/musl@1.1.24-r2/g; s/"1\.1\.23-r0"/"1.1.24-r2"/g' "$tdir/trivy.cyclonedx.json" \
				>"$tdir/fixed.cdx.json"
			rep_run report/sbomin-detects sbom --db "$REPORT_DB" --db-max-age 0 --format json=r.json "$tdir/fixed.cdx.json"
			if [ "$CS_RC" != 0 ] || [ ! -s "$CWD/r.json" ]; then
				why "exit $CS_RC"
			elif "$PY" "$cmp" "$tdir/img.json" "$CWD/r.json" >/dev/null 2>&1; then
				why "the comparison did not see musl's findings gone"
			fi
			verdict report/sbomin-detects
		fi
	fi

	# customs' own SBOMs fed back.
	for fmt in cyclonedx spdx-json; do
		want "report/sbomin-roundtrip-$fmt" || continue
		rep_run "report/sbomin-own-$fmt" image --db-max-age 0 --scanners base --format "$fmt=own.json" "$REPORT_VULN_IMG"
		if [ "$CS_RC" != 0 ] && grep -q 'not available yet' "$CS_ERR"; then
			skip "report/sbomin-roundtrip-$fmt" "customs cannot write $fmt yet"
			continue
		fi
		if [ "$CS_RC" != 0 ] || [ ! -s "$CWD/own.json" ]; then
			fail "report/sbomin-roundtrip-$fmt" "customs image --format $fmt: exit $CS_RC: $(head -c 200 "$CS_ERR")"
			continue
		fi
		cp "$CWD/own.json" "$tdir/own.$fmt.json"
		sbomin_case "report/sbomin-roundtrip-$fmt" "$tdir/own.$fmt.json" "" \
			"$([ "$fmt" = cyclonedx ] && echo packages || echo packages-nolic)"
	done

	# Errors: exit 3, one line naming the file, no report.
	printf 'hello, not JSON\n' >"$tdir/not-json.json"
	printf '{"name": "a JSON object of no known format"}\n' >"$tdir/unknown.json"
	printf '{"bomFormat": "CycloneDX", "specVersion": "1.2", "components": []}\n' >"$tdir/cdx-1.2.json"
	for f in not-json:"not a CycloneDX or SPDX JSON document" unknown:"not a CycloneDX or SPDX JSON document" \
		cdx-1.2:"specVersion 1.2 is not supported" missing:"cannot read"; do
		local n=${f%%:*} msg=${f#*:}
		want "report/sbomin-error-$n" || continue
		rep_run "report/sbomin-error-$n" sbom --db "$REPORT_DB" --db-max-age 0 --format json=r.json "$tdir/$n.json"
		[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
		one_error "[\"$tdir/$n.json\"]" "$msg"
		[ "$(grep -c . "$CS_ERR")" = 1 ] || why "stderr has $(grep -c . "$CS_ERR") lines, want 1"
		[ -e "$CWD/r.json" ] && why "a report was written"
		[ -s "$CS_OUT" ] && why "printed on stdout"
		verdict "report/sbomin-error-$n"
	done
}
