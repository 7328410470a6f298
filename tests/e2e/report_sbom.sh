# shellcheck shell=bash disable=SC2154 # run.sh's and report.sh's variables
# report_sbom.sh - the SBOM formats on the fixed vulnerable Alpine image, in
# one run with customs' own JSON (--format json=... cyclonedx=... spdx-json=...):
#
#   report/sbom-cyclonedx  CycloneDX 1.6: the official schema (validate.js)
#                          and CycloneDX's own JsonStrictValidator; bom-refs,
#                          dependencies and affects resolve, packages, purls
#                          and vulnerabilities as in the JSON (sbomcheck.py);
#                          golden vuln.cdx.json
#   report/sbom-spdx       SPDX 2.3: the official schema (validate.js and
#                          ajv-cli); SPDXIDs and relationships resolve,
#                          packages and purls as in the JSON; golden
#                          vuln.spdx.json
#   report/sbom-broken     a broken copy of each is rejected by each validator
#                          and by sbomcheck.py: the checks can fail
#   report/sbom-determinism  a second run writes the same bytes
#   report/sbom-lang       both formats of scripts/build-lang.sh's image when it
#                          is cached (not built here: the lang group does):
#                          validators and sbomcheck.py as above, on jars that
#                          share a purl (package-id refs) and dpkg-owned jars
#                          (owner edges)
#   report/sbom-trivy      Trivy's CycloneDX and SPDX of the same image (its
#                          offline build, no database) list the same package
#                          purls, less the `upstream` qualifier customs adds
#                          (docs/trivy-differences.md)
# The golden files leave out serialNumber and documentNamespace: both are
# derived from the content, which names the test's temporary directory.

sbom_cdx_strict() { # FILE: CycloneDX's own validator; prints "valid" or the errors
	NODE_PATH=$1 node -e "const {Validation, Spec} = require('@cyclonedx/cyclonedx-library'); new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(require('fs').readFileSync(process.argv[1], 'utf8')).then(e => { if (e) { console.error(JSON.stringify(e)); process.exit(1) } console.log('valid') }, e => { console.error(String(e)); process.exit(2) })" "$2" 2>&1
}

# sbom_validate NAME FILE: every validator of the format on FILE; a why for each that refuses it.
sbom_validate() {
	local kind=$1 file=$2 out S=$SHARED/schemas
	if [ "$kind" = cdx ]; then
		out=$(NODE_PATH=$SBOM_NODE node "$S/validate.js" "$S/cyclonedx/bom-1.6.schema.json" "$file" 2>&1) ||
			why "validate.js: $(printf '%s' "$out" | head -4 | tr '\n' ' ' | head -c 400)"
		out=$(sbom_cdx_strict "$SBOM_NODE" "$file") ||
			why "JsonStrictValidator: $(printf '%s' "$out" | head -c 400)"
	else
		out=$(NODE_PATH=$SBOM_NODE node "$S/validate.js" "$S/spdx/spdx-schema-2.3.json" "$file" 2>&1) ||
			why "validate.js: $(printf '%s' "$out" | head -4 | tr '\n' ' ' | head -c 400)"
		out=$(NODE_PATH=$SBOM_NODE "$SBOM_NODE/.bin/ajv" validate -c ajv-formats -s "$S/spdx/spdx-schema-2.3.json" \
			-d "$file" 2>&1) || why "ajv-cli: $(printf '%s' "$out" | tail -3 | tr '\n' ' ' | head -c 400)"
	fi
}

# sbom_rejected KIND FILE WHAT: every validator must refuse FILE (broken as WHAT says).
sbom_rejected() {
	local kind=$1 file=$2 what=$3 S=$SHARED/schemas
	if [ "$kind" = cdx ]; then
		NODE_PATH=$SBOM_NODE node "$S/validate.js" "$S/cyclonedx/bom-1.6.schema.json" "$file" >/dev/null 2>&1 &&
			why "validate.js accepts a BOM with $what"
		sbom_cdx_strict "$SBOM_NODE" "$file" >/dev/null && why "JsonStrictValidator accepts a BOM with $what"
	else
		NODE_PATH=$SBOM_NODE node "$S/validate.js" "$S/spdx/spdx-schema-2.3.json" "$file" >/dev/null 2>&1 &&
			why "validate.js accepts an SPDX document with $what"
		NODE_PATH=$SBOM_NODE "$SBOM_NODE/.bin/ajv" validate -c ajv-formats -s "$S/spdx/spdx-schema-2.3.json" \
			-d "$file" >/dev/null 2>&1 && why "ajv-cli accepts an SPDX document with $what"
	fi
}

report_sbom() {
	local dir out trivy img
	want 'report/sbom' || return 0
	if [ -z "$REPORT_DB" ]; then
		skip report/sbom "no vulnerable test image (report/prepare-vuln failed)"
		return 0
	fi
	if ! SBOM_NODE=$(rep_tools); then
		fail report/sbom "cannot install the validators: $(tail -2 "$E2E_TMP/npm-report.log" 2>/dev/null | tr '\n' ' ')"
		return 0
	fi
	rep_run report/sbom image --db "$REPORT_DB" --format json=r.json --format cyclonedx=r.cdx.json \
		--format spdx-json=r.spdx.json "$REPORT_VULN_IMG"
	dir=$CWD
	if [ "$CS_RC" != 0 ] || [ ! -s "$dir/r.json" ]; then
		why "exit $CS_RC: $(head -c 300 "$CS_ERR")"
		verdict report/sbom
		return 0
	fi

	if want report/sbom-cyclonedx; then
		out=$(json_strict "$dir/r.cdx.json") || why "not strict JSON/UTF-8: $out"
		sbom_validate cdx "$dir/r.cdx.json"
		out=$("$PY" "$here/sbomcheck.py" cdx "$dir/r.cdx.json" "$dir/r.json") ||
			why "$(printf '%s' "$out" | head -5 | tr '\n' ';')"
		[ "$(jq '.vulnerabilities | length' "$dir/r.json")" -gt 0 ] || why "the test image has no finding"
		rep_golden "$dir/r.cdx.json" vuln.cdx.json serialNumber
		verdict "report/sbom-cyclonedx${out:+ ($out)}"
	fi

	if want report/sbom-spdx; then
		out=$(json_strict "$dir/r.spdx.json") || why "not strict JSON/UTF-8: $out"
		sbom_validate spdx "$dir/r.spdx.json"
		out=$("$PY" "$here/sbomcheck.py" spdx "$dir/r.spdx.json" "$dir/r.json") ||
			why "$(printf '%s' "$out" | head -5 | tr '\n' ';')"
		rep_golden "$dir/r.spdx.json" vuln.spdx.json documentNamespace
		verdict "report/sbom-spdx${out:+ ($out)}"
	fi

	if want report/sbom-broken; then
		# the schemas: a component type CycloneDX does not have; SPDX 2.3's
		# purpose spelt as its prose spells it (the JSON schema has OPERATING_SYSTEM)
		jq '.components[1].type = "pancake"' "$dir/r.cdx.json" >"$dir/bad-type.cdx.json"
		sbom_rejected cdx "$dir/bad-type.cdx.json" "an unknown component type"
		jq 'del(.bomFormat)' "$dir/r.cdx.json" >"$dir/bad-format.cdx.json"
		sbom_rejected cdx "$dir/bad-format.cdx.json" "no bomFormat"
		jq '(.packages[] | select(.primaryPackagePurpose == "OPERATING_SYSTEM") | .primaryPackagePurpose) = "OPERATING-SYSTEM"' \
			"$dir/r.spdx.json" >"$dir/bad-purpose.spdx.json"
		sbom_rejected spdx "$dir/bad-purpose.spdx.json" "primaryPackagePurpose OPERATING-SYSTEM"
		jq 'del(.packages[2].SPDXID)' "$dir/r.spdx.json" >"$dir/bad-id.spdx.json"
		sbom_rejected spdx "$dir/bad-id.spdx.json" "a package without SPDXID"
		# what only sbomcheck.py sees: a dangling dependsOn, a dangling relationship, a duplicate SPDXID
		jq '.dependencies[0].dependsOn += ["pkg:npm/nowhere@1"]' "$dir/r.cdx.json" >"$dir/dangling.cdx.json"
		"$PY" "$here/sbomcheck.py" cdx "$dir/dangling.cdx.json" >/dev/null && why "sbomcheck.py accepts a dangling dependsOn"
		jq '.relationships[1].relatedSpdxElement = "SPDXRef-Nowhere"' "$dir/r.spdx.json" >"$dir/dangling.spdx.json"
		"$PY" "$here/sbomcheck.py" spdx "$dir/dangling.spdx.json" >/dev/null && why "sbomcheck.py accepts a dangling relationship"
		jq '.packages[3].SPDXID = .packages[2].SPDXID' "$dir/r.spdx.json" >"$dir/dup.spdx.json"
		"$PY" "$here/sbomcheck.py" spdx "$dir/dup.spdx.json" >/dev/null && why "sbomcheck.py accepts a duplicate SPDXID"
		verdict report/sbom-broken
	fi

	if want report/sbom-determinism; then
		rep_run report/sbom-again image --db "$REPORT_DB" --format cyclonedx=r.cdx.json \
			--format spdx-json=r.spdx.json "$REPORT_VULN_IMG"
		cmp -s "$dir/r.cdx.json" "$CWD/r.cdx.json" || why "a second run writes another CycloneDX document"
		cmp -s "$dir/r.spdx.json" "$CWD/r.spdx.json" || why "a second run writes another SPDX document"
		verdict report/sbom-determinism
	fi

	if want report/sbom-lang; then
		report_sbom_lang
	fi

	if want report/sbom-trivy; then
		if ! trivy=$("$root/scripts/trivy.sh" 2>"$E2E_TMP/sbom-trivy-install.log"); then
			skip report/sbom-trivy "Trivy could not be installed: $(tail -1 "$E2E_TMP/sbom-trivy-install.log")"
			return 0
		fi
		img=${REPORT_VULN_IMG#docker-archive:}
		for f in cyclonedx spdx-json; do
			"$trivy" image --input "$img" --format "$f" --skip-db-update --skip-java-db-update --offline-scan \
				--no-progress --quiet --cache-dir "$E2E_TMP/sbom-trivy-cache" --output "$dir/trivy.$f.json" \
				>"$E2E_TMP/sbom-trivy.log" 2>&1 || why "Trivy --format $f failed: $(tail -2 "$E2E_TMP/sbom-trivy.log" | tr '\n' ' ')"
		done
		# customs' purls name the apk origin (upstream=, as syft does); Trivy's do not
		"$PY" "$here/sbomcheck.py" purls "$dir/r.cdx.json" | sed -E 's/[?&]upstream=[^&]*//' >"$dir/ours.purls"
		for f in cyclonedx spdx-json; do
			[ -s "$dir/trivy.$f.json" ] || continue
			"$PY" "$here/sbomcheck.py" purls "$dir/trivy.$f.json" >"$dir/trivy.$f.purls"
			[ -s "$dir/trivy.$f.purls" ] || why "Trivy's $f lists no purl"
			diff -u "$dir/trivy.$f.purls" "$dir/ours.purls" >"$dir/trivy.$f.diff" ||
				why "purls differ from Trivy's $f: $(grep '^[-+][^-+]' "$dir/trivy.$f.diff" | head -4 | tr '\n' ' ')"
		done
		verdict "report/sbom-trivy ($(wc -l <"$dir/ours.purls") purls, the same as Trivy's CycloneDX and SPDX)"
	fi
}

report_sbom_lang() {
	local lang out cdx spdx
	# the newest cached lang image; building one takes minutes and root
	# shellcheck disable=SC2012 # cache paths we made: no odd names
	lang=$(ls -dt "${CUSTOMS_CACHE:-$HOME/.cache/customs}"/images/lang-*/complete 2>/dev/null | head -1)
	if [ -z "$lang" ] || [ ! -f "${lang%/complete}/lang.docker.tar" ]; then
		skip report/sbom-lang "no cached lang image (scripts/build-lang.sh, run by the lang group)"
		return 0
	fi
	rep_run report/sbom-lang image --scanners base --format json=l.json --format cyclonedx=l.cdx.json \
		--format spdx-json=l.spdx.json "${lang%/complete}/lang.docker.tar"
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(head -c 200 "$CS_ERR")"
	cdx=$CWD/l.cdx.json spdx=$CWD/l.spdx.json
	if [ -s "$cdx" ] && [ -s "$spdx" ]; then
		out=$(json_strict "$cdx") || why "CycloneDX is not strict JSON/UTF-8: $out"
		out=$(json_strict "$spdx") || why "SPDX is not strict JSON/UTF-8: $out"
		sbom_validate cdx "$cdx"
		sbom_validate spdx "$spdx"
		out=$("$PY" "$here/sbomcheck.py" cdx "$cdx" "$CWD/l.json") || why "$(printf '%s' "$out" | head -5 | tr '\n' ';')"
		out=$("$PY" "$here/sbomcheck.py" spdx "$spdx" "$CWD/l.json") || why "$(printf '%s' "$out" | head -5 | tr '\n' ';')"
		# the paths this image is for: a shared purl, an owner
		jq -e '[.components[]."bom-ref" | select(test("[?&]package-id="))] | length >= 2' "$cdx" >/dev/null ||
			why "no two packages share a purl (package-id refs): is this the lang image?"
		jq -e '[.components[] | select(any(.properties[]?; .name == "customs:owner"))] | length >= 1' "$cdx" >/dev/null ||
			why "no package has an owner"
	fi
	verdict "report/sbom-lang (${out:-})"
}
