# shellcheck shell=bash disable=SC2154,SC2153,SC2034 # run.sh's and report.sh's variables (E2E_WHY, HTML_CHROME are theirs)
# report_verdicts.sh - what issue 7 adds (misconfigurations, the base image,
# the policy verdict, suppressed findings) in every report format at once:
# one run writes customs' JSON (the reference), SARIF, Trivy JSON, JUnit,
# HTML and CycloneDX, and each is held against the JSON:
#
#   report/i7-dockerfile  the edited Alpine image with --dockerfile (a small
#                         bad Dockerfile written here): SARIF results at the
#                         Dockerfile's lines (schema, sarif_check.py --json);
#                         a Trivy "config" Result per Dockerfile with
#                         Misconfigurations[] and MisconfSummary, read by
#                         trivy-to-sonarqube (one issue per vulnerability and
#                         misconfiguration, no "undefined"); a JUnit
#                         "misconfigurations" suite (one failure each); the
#                         HTML page (html_check.js + html_verify.py); a
#                         Misconfiguration without its Message must surface
#                         as "undefined" (so the check can fail)
#   report/i7-config      `customs config DIR` on the same Dockerfile: the
#                         same checks, and the shape of the config Result and
#                         of Misconfigurations[] (key sets) against Trivy's
#                         own `trivy config` of the directory (offline)
#   report/i7-fail-on     --fail-on unknown (every finding counts, so the gate
#                         fails): exit 1, the verdict "fail" in the SARIF
#                         invocation's properties (executionSuccessful still
#                         true), a failing JUnit "policy" suite, the HTML's
#                         verdict, CycloneDX's customs:policy:verdict; then
#                         --fail-on critical: whatever the JSON says, every
#                         format says the same and the exit code follows it
#   report/i7-suppressed  an ignore-file entry and an OpenVEX not_affected
#                         statement with --show-suppressed: SARIF suppressions,
#                         Trivy ExperimentalModifiedFindings, JUnit skipped
#                         testcases, HTML marked rows, CycloneDX analysis
#                         (not_affected + code_not_reachable for the VEX,
#                         exploitable + will_not_fix for the accepted risk);
#                         a JUnit report missing a skipped testcase and a SARIF
#                         result without its suppression must be rejected
#
# The Dockerfile lint and the policy stage may still be placeholders that
# refuse with "not available yet": their cases are then skipped, loudly, and
# run as soon as the real stage answers. This file runs after report_trivy.sh
# and report_html.sh (name order), whose sonar_check and html_judge it uses.

I7_DOCKERFILE='FROM alpine:latest
MAINTAINER someone@example.invalid
RUN apk add curl
ADD http://example.invalid/app.tar.gz /opt/
USER root
CMD echo hello
'

# i7_run NAME [FILE=TEXT]... -- ARGS...: customs ARGS in a fresh working
# directory holding the files given; sets CWD, CS_RC, CS_ERR.
i7_run() {
	local name=$1 spec
	shift
	CWD=$(fresh_cwd "$name")
	while [ "$1" != -- ]; do
		spec=$1
		printf '%s' "${spec#*=}" >"$CWD/${spec%%=*}"
		shift
	done
	shift
	SOURCE_DATE_EPOCH=$REPORT_EPOCH run_scanner "$name" "$CWD" "$TIMEOUT" "$@"
	stderr_shape
}

# i7_placeholder: the last run was refused because a stage is not there yet.
i7_placeholder() {
	[ "$CS_RC" = 2 ] && grep -q 'not available yet' "$CS_ERR"
}

I7_FORMATS=(--format json=r.json --format sarif=r.sarif --format trivy-json=t.json --format junit=j.xml
	--format html=r.html --format cyclonedx=b.cdx.json)

# i7_counts DIR: "VULNS SECRETS MISCONFIGS SUPPRESSED STOPS FAIL" of DIR/r.json
# (findings that count; suppressed ones of any kind; STOP hits; 1 when the
# verdict is fail).
i7_counts() {
	jq -r '[def counted: map(select(.suppressed == null)) | length;
		(.vulnerabilities | counted), (.secrets | counted), (.misconfigurations | counted),
		([.vulnerabilities[], .secrets[], .misconfigurations[] | select(.suppressed != null)] | length),
		([.policy.hits[]? | select(.action == "stop")] | length),
		(if .policy.verdict == "fail" then 1 else 0 end)] | map(tostring) | join(" ")' "$1/r.json"
}

# i7_check DIR: every format in DIR against DIR/r.json; complaints become whys.
i7_check() {
	local dir=$1 out n want v s m sup stops fail tools f
	for f in r.json r.sarif t.json b.cdx.json; do
		if [ ! -s "$dir/$f" ]; then why "no $f written"; return; fi
		out=$(json_strict "$dir/$f") || why "$f is not strict JSON: $(printf '%s' "$out" | head -c 120)"
	done
	if [ ! -s "$dir/j.xml" ] || [ ! -s "$dir/r.html" ]; then
		why "no j.xml or r.html written"
		return
	fi
	read -r v s m sup stops fail <<<"$(i7_counts "$dir")"

	# SARIF: the schema, then every finding, suppression, verdict and the base split
	if ! out=$(NODE_PATH=$I7_NP node "$SHARED/schemas/validate.js" "$SHARED/schemas/sarif/sarif-schema-2.1.0.json" "$dir/r.sarif" 2>&1); then
		why "SARIF invalid for the schema: $(printf '%s' "$out" | sed -n 2,4p | tr '\n' ';' | head -c 300)"
	fi
	if ! out=$("$PY" "$here/sarif_check.py" "$dir/r.sarif" --json "$dir/r.json" 2>&1); then
		why "sarif_check.py: $(printf '%s' "$out" | head -4 | tr '\n' ';' | head -c 500)"
	fi
	n=$(jq '.runs[0].invocations[0].executionSuccessful' "$dir/r.sarif")
	[ "$n" = true ] || why "SARIF executionSuccessful is $n: the verdict is not the scan's success"

	# Trivy JSON: findings that count where Trivy puts them, suppressed ones in ExperimentalModifiedFindings
	n=$(jq '[.Results[] | (.Vulnerabilities // []) | length] | add // 0' "$dir/t.json")
	[ "$n" = "$v" ] || why "$n Trivy Vulnerabilities, $v counted in customs' JSON"
	n=$(jq '[.Results[] | select(.Class == "config") | (.Misconfigurations // []) | length] | add // 0' "$dir/t.json")
	[ "$n" = "$m" ] || why "$n Trivy Misconfigurations, $m counted in customs' JSON"
	n=$(jq '[.Results[] | select(.Class == "config") | .MisconfSummary.Failures] | add // 0' "$dir/t.json")
	[ "$n" = "$m" ] || why "MisconfSummary.Failures add up to $n, want $m"
	n=$(jq '[.Results[] | (.ExperimentalModifiedFindings // []) | length] | add // 0' "$dir/t.json")
	[ "$n" = "$sup" ] || why "$n Trivy ExperimentalModifiedFindings, $sup suppressed in customs' JSON"
	n=$(jq '[.Results[] | .Misconfigurations[]? | select(.Status != "FAIL" or (.Severity | test("^(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)$") | not))] | length' "$dir/t.json")
	[ "$n" = 0 ] || why "$n Misconfigurations without Status FAIL or with a severity Trivy does not write"
	if tools=$(rep_tools); then
		while IFS= read -r out; do [ -n "$out" ] && why "$out"; done < <(sonar_check "$tools/.bin/trivy-to-sonarqube" "$dir/t.json" $((v + m)))
	else
		why "cannot install the validator set (npm)"
	fi

	# JUnit: a failure per counted finding and per STOP (and the failed verdict), a skip per suppressed one
	want=$((v + s + m + stops + fail))
	if ! out=$("$PY" "$here/junitcheck.py" --failures "$want" --skipped "$sup" "$dir/j.xml" 2>&1); then
		why "junitcheck: $(head -3 <<<"$out" | tr '\n' ';')"
	fi
	if [ "$(jq '.policy != null' "$dir/r.json")" = true ]; then
		"$PY" "$here/junitcheck.py" --suite policy "$dir/j.xml" >/dev/null 2>&1 || why "no JUnit policy suite"
	fi
	if [ "$(jq '.misconfigurations | length' "$dir/r.json")" != 0 ]; then
		"$PY" "$here/junitcheck.py" --suite misconfigurations "$dir/j.xml" >/dev/null 2>&1 || why "no JUnit misconfigurations suite"
	fi

	# CycloneDX: the schema, the verdict and the base as metadata properties
	if ! out=$(NODE_PATH=$I7_NP node "$SHARED/schemas/validate.js" "$SHARED/schemas/cyclonedx/bom-1.6.schema.json" "$dir/b.cdx.json" 2>&1); then
		why "CycloneDX invalid for the 1.6 schema: $(printf '%s' "$out" | sed -n 2,4p | tr '\n' ';' | head -c 300)"
	fi
	n=$(jq -r '[.metadata.properties[]? | select(.name == "customs:policy:verdict") | .value] | first // "none"' "$dir/b.cdx.json")
	want=$(jq -r '.policy.verdict // "none"' "$dir/r.json")
	[ "$n" = "$want" ] || why "CycloneDX customs:policy:verdict $n, the JSON's $want"
	n=$(jq -r '[.metadata.properties[]? | select(.name == "customs:base:name") | .value] | first // "none"' "$dir/b.cdx.json")
	want=$(jq -r '.base.name // "none"' "$dir/r.json")
	[ "$n" = "$want" ] || why "CycloneDX customs:base:name $n, the JSON's $want"

	# HTML: the page in Chromium against the JSON (verdict, base sentence, rows, suppressed)
	if [ -n "$I7_CHROME" ]; then
		html_judge i7 "$dir"
	fi
}

# i7_broken DIR: the checks above can fail. A Misconfiguration without its
# Message shows "undefined" in SonarQube; a JUnit report with one skipped
# testcase turned into a pass is rejected; a SARIF result stripped of its
# suppression is rejected.
i7_broken() {
	local dir=$1 out tools v s m sup stops fail
	read -r v s m sup stops fail <<<"$(i7_counts "$dir")"
	if [ "$m" -gt 0 ] && tools=$(rep_tools); then
		jq '(.Results | map(.Misconfigurations != null) | index(true)) as $i | del(.Results[$i].Misconfigurations[0].Message)' \
			"$dir/t.json" >"$dir/broken-t.json"
		out=$(sonar_check "$tools/.bin/trivy-to-sonarqube" "$dir/broken-t.json" $((v + m)))
		grep -q undefined <<<"$out" || why "a Misconfiguration without Message was not caught: ${out:-no complaint}"
	fi
	if [ "$sup" -gt 0 ]; then
		"$PY" -c 'import re,sys; t=open(sys.argv[1]).read(); open(sys.argv[2],"w").write(re.sub(r"\s*<skipped [^>]*/>", "", t, count=1))' \
			"$dir/j.xml" "$dir/broken.xml"
		"$PY" "$here/junitcheck.py" --skipped "$sup" "$dir/broken.xml" >/dev/null 2>&1 &&
			why "junitcheck accepted a report with a skipped testcase removed"
		jq '(.runs[0].results | map(.suppressions != null) | index(true)) as $i | del(.runs[0].results[$i].suppressions)' \
			"$dir/r.sarif" >"$dir/broken.sarif"
		"$PY" "$here/sarif_check.py" "$dir/broken.sarif" --json "$dir/r.json" >/dev/null 2>&1 &&
			why "sarif_check.py accepted a result stripped of its suppression"
	fi
}

# i7_trivy_shape FILE: the key sets of config Results and their Misconfigurations, as one JSON document.
i7_trivy_shape() {
	jq -S '
		def cfg: [.Results[]? | select(.Class == "config")];
		{
			result_keys: (cfg | map(keys) | add // [] | unique),
			types: (cfg | map(.Type) | unique),
			misconf_keys: (cfg | map(.Misconfigurations[]? | keys) | add // [] | unique),
			cause_keys: (cfg | map(.Misconfigurations[]? | .CauseMetadata | keys) | add // [] | unique),
			summary_keys: (cfg | map(.MisconfSummary | keys) | add // [] | unique)
		}' "$1"
}

report_verdicts() {
	local any=0 c dir out trivy theirs ours rc_gate
	for c in dockerfile config fail-on suppressed; do want "report/i7-$c" && any=1; done
	[ $any = 1 ] || return 0
	if [ -z "$REPORT_DB" ]; then
		for c in dockerfile config fail-on suppressed; do
			want "report/i7-$c" && skip "report/i7-$c" "no fixed image (report/prepare failed)"
		done
		return 0
	fi
	if ! command -v node >/dev/null 2>&1 || ! I7_NP=$(validators_setup); then
		for c in dockerfile config fail-on suppressed; do
			want "report/i7-$c" && fail "report/i7-$c" "no node or validate.js packages"
		done
		return 0
	fi
	I7_CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
	[ -n "$I7_CHROME" ] && HTML_CHROME=$I7_CHROME

	if want report/i7-dockerfile || want report/i7-config; then
		i7_run report/i7-probe "Dockerfile=$I7_DOCKERFILE" -- config --format json=r.json Dockerfile
		E2E_WHY=()
		if i7_placeholder; then
			for c in dockerfile config; do
				want "report/i7-$c" && skip "report/i7-$c" "the Dockerfile lint is not there yet ('customs config' says: $(first_error | cut -c17- | head -c 100)); runs once it lands"
			done
		else
			if want report/i7-dockerfile; then
				i7_run report/i7-dockerfile "Dockerfile=$I7_DOCKERFILE" -- image --db "$REPORT_DB" --dockerfile Dockerfile \
					"${I7_FORMATS[@]}" "$REPORT_VULN_IMG"
				[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
				dir=$CWD
				out=$(jq '[.misconfigurations[] | select(.dockerfile.path == "Dockerfile" and .dockerfile.line > 0)] | length' "$dir/r.json" 2>/dev/null)
				[ "${out:-0}" -gt 0 ] || why "no Dockerfile misconfiguration with a line in customs' JSON"
				out=$(jq '[.runs[0].results[] | select(.properties.dockerfile == "Dockerfile")
					| select(.locations[0].physicalLocation.artifactLocation.uri != "Dockerfile"
						or .locations[0].physicalLocation.region.startLine != .properties.line)] | length' "$dir/r.sarif" 2>/dev/null)
				[ "$out" = 0 ] || why "$out SARIF results of the Dockerfile not located at its line"
				out=$(jq '[.Results[] | select(.Target == "Dockerfile" and .Class == "config" and .Type == "dockerfile")] | length' "$dir/t.json" 2>/dev/null)
				[ "$out" = 1 ] || why "$out Trivy config Results for the Dockerfile, want 1"
				i7_check "$dir"
				i7_broken "$dir"
				verdict report/i7-dockerfile
			fi
			if want report/i7-config; then
				i7_run report/i7-config "Dockerfile=$I7_DOCKERFILE" -- config --format json=r.json --format sarif=r.sarif \
					--format trivy-json=t.json --format junit=j.xml --format html=r.html --format cyclonedx=b.cdx.json .
				[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
				dir=$CWD
				i7_check "$dir"
				if ! trivy=$("$root/scripts/trivy.sh" 2>"$E2E_TMP/trivy-install.log"); then
					why "no Trivy build for the shape comparison: $(tail -1 "$E2E_TMP/trivy-install.log")"
				elif timeout 300 "$trivy" config --format json --cache-dir "$E2E_TMP/trivy-cache" -o "$dir/trivy.json" "$dir" \
					>"$dir/trivy.log" 2>&1 && [ -s "$dir/trivy.json" ]; then
					theirs=$(i7_trivy_shape "$dir/trivy.json")
					ours=$(i7_trivy_shape "$dir/t.json")
					# References: Trivy always lists its AVD page; customs only a CIS item when the check has one
					out=$(jq -nr --argjson t "$theirs" --argjson o "$ours" '
						(["result_keys", "types", "cause_keys", "summary_keys"][] as $k
						 | if $t[$k] != $o[$k] then "\($k): Trivy \($t[$k]) vs ours \($o[$k])" else empty end),
						(if ($t.misconf_keys - ["References"]) != ($o.misconf_keys - ["References"])
						 then "Misconfigurations[] keys: Trivy \($t.misconf_keys) vs ours \($o.misconf_keys)" else empty end)')
					while IFS= read -r c; do [ -n "$c" ] && why "$c"; done <<<"$out"
				else
					why "trivy config failed: $(tail -2 "$dir/trivy.log" | tr '\n' ' ' | head -c 200)"
				fi
				verdict report/i7-config
			fi
		fi
	fi

	if want report/i7-fail-on; then
		i7_run report/i7-fail-on -- image --db "$REPORT_DB" --fail-on unknown "${I7_FORMATS[@]}" "$REPORT_VULN_IMG"
		if i7_placeholder; then
			E2E_WHY=()
			skip report/i7-fail-on "the policy stage is not there yet ($(first_error | cut -c17- | head -c 100)); runs once it lands"
		else
			[ "$CS_RC" = 1 ] || why "exit $CS_RC with a failed gate, want 1: $(first_error | head -c 200)"
			dir=$CWD
			out=$(jq -r '.policy.verdict // "none"' "$dir/r.json" 2>/dev/null)
			[ "$out" = fail ] || why "customs' JSON verdict $out, want fail (every finding counts)"
			out=$(jq -r '.runs[0].invocations[0].properties.verdict // "none"' "$dir/r.sarif" 2>/dev/null)
			[ "$out" = fail ] || why "SARIF invocation verdict $out"
			grep -q 'data-verdict="fail"' "$dir/r.html" || why "the HTML shows no fail verdict"
			i7_check "$dir"
			# a gate that may pass: every format agrees with the JSON, the exit code follows it
			i7_run report/i7-fail-on-critical -- image --db "$REPORT_DB" --fail-on critical "${I7_FORMATS[@]}" "$REPORT_VULN_IMG"
			dir=$CWD
			out=$(jq -r '.policy.verdict // "none"' "$dir/r.json" 2>/dev/null)
			rc_gate=0
			[ "$out" = fail ] && rc_gate=1
			[ "$CS_RC" = "$rc_gate" ] || why "--fail-on critical: exit $CS_RC for the verdict $out"
			i7_check "$dir"
			verdict report/i7-fail-on
		fi
	fi

	if want report/i7-suppressed; then
		local ignore vex
		ignore='vulnerabilities:
  - id: CVE-2019-1543
    package: libssl1.1
    reason: accepted until the openssl rebuild
'
		vex='{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://customs.invalid/vex/report-issue7",
  "author": "customs tests",
  "timestamp": "2023-11-01T00:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2019-14697"},
      "products": [{"@id": "pkg:apk/alpine/musl@1.1.23-r0"}],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path"
    }
  ]
}
'
		i7_run report/i7-suppressed "ignore.yaml=$ignore" "vex.json=$vex" -- image --db "$REPORT_DB" --ignore-file ignore.yaml \
			--vex vex.json --show-suppressed "${I7_FORMATS[@]}" "$REPORT_VULN_IMG"
		if i7_placeholder; then
			E2E_WHY=()
			skip report/i7-suppressed "the policy stage is not there yet ($(first_error | cut -c17- | head -c 100)); runs once it lands"
		else
			[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
			dir=$CWD
			out=$(jq -c '[.vulnerabilities[] | select(.suppressed != null) | [.id, .suppressed.kind]] | unique' "$dir/r.json" 2>/dev/null)
			[ "$out" = '[["CVE-2019-14697","vex"],["CVE-2019-1543","ignore"]]' ] ||
				why "suppressed in customs' JSON: $out, want CVE-2019-1543 (ignore) and CVE-2019-14697 (vex)"
			out=$(jq -c '[.vulnerabilities[] | select(.id == "CVE-2019-14697") | .analysis | [.state, .justification]] | unique' "$dir/b.cdx.json" 2>/dev/null)
			[ "$out" = '[["not_affected","code_not_reachable"]]' ] || why "CycloneDX analysis of the VEX'd finding: $out"
			# the ignore entry names libssl1.1: libcrypto1.1's CVE-2019-1543 still counts, untouched
			out=$(jq -c '[.vulnerabilities[] | select(.id == "CVE-2019-1543") | [(.affects[0].ref | test("libssl")), .analysis.state, .analysis.response]] | sort' "$dir/b.cdx.json" 2>/dev/null)
			[ "$out" = '[[false,"in_triage",["update"]],[true,"exploitable",["will_not_fix"]]]' ] || why "CycloneDX analysis of the accepted finding: $out"
			out=$(jq -c '[.Results[].ExperimentalModifiedFindings[]? | [.Type, .Status]] | unique' "$dir/t.json" 2>/dev/null)
			[ "$out" = '[["vulnerability","ignored"],["vulnerability","not_affected"]]' ] || why "Trivy modified findings: $out"
			grep -q 'class="sup"' "$dir/r.html" || why "no suppressed row marked in the HTML"
			i7_check "$dir"
			i7_broken "$dir"
			verdict report/i7-suppressed
		fi
	fi
}
