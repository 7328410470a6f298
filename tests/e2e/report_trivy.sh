# shellcheck shell=bash disable=SC2154,SC2153 # run.sh's and report.sh's variables
# report_trivy.sh - the Trivy-compatible JSON (--format trivy-json) and the
# JUnit XML (--format junit) on the fixed images:
#
#   report/trivy-vuln       golden vuln.trivy.json; strict JSON
#   report/trivy-sonarqube  the consumer trivy-to-sonarqube reads it: exit 0,
#                           one issue per vulnerability (+ misconfiguration)
#                           of the same run's customs JSON, no "undefined"
#                           in a message; a report missing a Title must show
#                           "undefined" (so the check can fail)
#   report/trivy-secret     golden secret.trivy.json; strict JSON
#   report/trivy-parity     the shape of Trivy's own JSON for the secrets
#                           image (`trivy image --input DIR --format json
#                           --scanners secret`, offline): same top-level
#                           keys, same classes, same keys of secret Results,
#                           Secrets[], their Layer and Code.Lines[] (jq, key
#                           sets, not values); a copy with one key removed
#                           must fail the same comparison
#   report/junit-vuln       junitcheck.py: well-formed, the Jenkins junit-10
#                           rules, counts consistent, one failing testcase per
#                           finding of the customs JSON; golden vuln.junit.xml;
#                           a copy with a testcase removed must fail
#   report/junit-secret     the same for the secrets image: one failing
#                           testcase per secret; no planted secret in full in
#                           the JUnit or the Trivy JSON

# trivy_shape FILE: the key sets the parity check compares, as one JSON
# document. Image-config secrets ("config:..." targets, no layer) are left
# out: this Trivy reports them only with --image-config-scanners.
trivy_shape() {
	jq -S '
		def files: [.Results[]? | select(.Class == "secret") | select(.Target | startswith("config:") | not)];
		{
			top: keys,
			metadata: (.Metadata // {} | keys),
			classes: ([.Results[]?.Class] | unique),
			result_keys: (files | map(keys) | unique),
			secret_keys: (files | map(.Secrets[] | keys) | unique),
			layer_keys: (files | map(.Secrets[] | .Layer // {} | keys) | unique),
			line_keys: (files | map(.Secrets[] | .Code.Lines[] | keys) | unique)
		}' "$1"
}

# trivy_parity TRIVY_JSON OURS_JSON: prints one line per difference. Keys
# that current Trivy writes and this older build does not (CreatedAt) may
# be ours alone; Metadata may hold more than Trivy's (RepoTags, Layers...);
# a Code line of ours has one of the key sets Trivy's lines have (Trivy
# leaves Highlighted out of empty context lines, and ours are cause lines).
trivy_parity() {
	local theirs ours
	theirs=$(trivy_shape "$1") || { echo "cannot read $1"; return; }
	ours=$(trivy_shape "$2") || { echo "cannot read $2"; return; }
	jq -nr --argjson t "$theirs" --argjson o "$ours" '
		["CreatedAt", "Trivy", "ReportID", "ArtifactID"] as $newer
		| (if ($t.top - $newer) != ($o.top - $newer) then "top-level keys: Trivy \($t.top) vs ours \($o.top)" else empty end),
		  (if ($t.metadata - $o.metadata) != [] then "Metadata lacks \($t.metadata - $o.metadata)" else empty end),
		  (if $t.classes != $o.classes then "Result classes: Trivy \($t.classes) vs ours \($o.classes)" else empty end),
		  (["result_keys", "secret_keys", "layer_keys"][] as $k
		   | if $t[$k] != $o[$k] then "\($k): Trivy \($t[$k]) vs ours \($o[$k])" else empty end),
		  (if ($o.line_keys - $t.line_keys) != [] then "Code.Lines[] keys Trivy never writes: \($o.line_keys - $t.line_keys)" else empty end)'
}

# sonar_check TRIVY_JSON WANT: trivy-to-sonarqube on the file; prints problems.
sonar_check() {
	local bin=$1 in=$2 want=$3 out=$2.sonar.json n
	if ! "$bin" -f "$in" -o "$out" >"$out.log" 2>&1; then
		echo "trivy-to-sonarqube failed: $(tail -2 "$out.log" | tr '\n' ' ')"
		return
	fi
	n=$(jq '.issues | length' "$out") || { echo "trivy-to-sonarqube wrote no JSON"; return; }
	[ "$n" = "$want" ] || echo "$n SonarQube issues, want $want"
	n=$(jq '[.issues[].primaryLocation.message | select(test("undefined"))] | length' "$out")
	[ "$n" = 0 ] || echo "$n messages contain 'undefined': $(jq -r '[.issues[].primaryLocation.message | select(test("undefined"))][0]' "$out" | head -c 200)"
}

report_trivy() {
	local tools="" trivy="" n want out broken cwd_vuln="" cwd_secret=""

	if [ -n "$REPORT_DB" ] && { want report/trivy-vuln || want report/trivy-sonarqube || want report/junit-vuln; }; then
		rep_run report/trivy-vuln image --db "$REPORT_DB" --format trivy-json=t.json --format json=c.json \
			--format junit=j.xml "$REPORT_VULN_IMG"
		cwd_vuln=$CWD
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		if [ -f "$CWD/t.json" ] && out=$(json_strict "$CWD/t.json"); then
			rep_golden "$CWD/t.json" vuln.trivy.json
			n=$(jq '[.Results[].Vulnerabilities // [] | length] | add' "$CWD/t.json")
			want=$(jq '.vulnerabilities | length' "$CWD/c.json")
			if [ "$n" != "$want" ] || [ "$n" = 0 ]; then why "$n vulnerabilities in the Trivy JSON, $want in customs' JSON"; fi
			n=$(jq -r '[.. | objects | .Severity? // empty | select(test("^(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)$") | not)] | length' "$CWD/t.json")
			[ "$n" = 0 ] || why "$n severities not in Trivy's UPPER-CASE words"
		else
			why "no strict Trivy JSON: ${out:-missing}"
		fi
		want report/trivy-vuln && verdict report/trivy-vuln
	fi

	if [ -n "$cwd_vuln" ] && want report/trivy-sonarqube; then
		if ! tools=$(rep_tools); then
			why "cannot install the validator set (npm): $(tail -2 "$E2E_TMP/npm-report.log" 2>/dev/null | tr '\n' ' ')"
		elif [ -f "$cwd_vuln/t.json" ] && [ -f "$cwd_vuln/c.json" ]; then
			want=$(jq '[.Results[] | (.Vulnerabilities // [] | length) + (.Misconfigurations // [] | length)] | add' "$cwd_vuln/t.json")
			n=$(jq '.vulnerabilities | length' "$cwd_vuln/c.json")
			[ "$want" = "$n" ] || why "the Trivy JSON holds $want findings, customs' JSON $n"
			while IFS= read -r out; do [ -n "$out" ] && why "$out"; done < <(sonar_check "$tools/.bin/trivy-to-sonarqube" "$cwd_vuln/t.json" "$n")
			# broken on purpose: a Title removed must surface as "undefined"
			broken=$cwd_vuln/broken-title.json
			jq 'del(.Results[0].Vulnerabilities[0].Title)' "$cwd_vuln/t.json" >"$broken"
			out=$(sonar_check "$tools/.bin/trivy-to-sonarqube" "$broken" "$n")
			grep -q undefined <<<"$out" || why "a report without a Title was not caught: ${out:-no complaint}"
		else
			why "no reports from report/trivy-vuln"
		fi
		verdict report/trivy-sonarqube
	fi

	if [ -n "$cwd_vuln" ] && want report/junit-vuln; then
		if [ -f "$cwd_vuln/j.xml" ]; then
			want=$(jq '.vulnerabilities | length' "$cwd_vuln/c.json")
			out=$("$PY" "$here/junitcheck.py" --failures "$want" "$cwd_vuln/j.xml" 2>&1) || why "junitcheck: $(head -3 <<<"$out" | tr '\n' ';')"
			rep_golden "$cwd_vuln/j.xml" vuln.junit.xml
			# broken on purpose: one testcase fewer, counts unchanged
			broken=$cwd_vuln/broken.xml
			"$PY" -c 'import re,sys; t=open(sys.argv[1]).read(); open(sys.argv[2],"w").write(re.sub(r"<testcase .*?</testcase>\n", "", t, count=1, flags=re.S))' \
				"$cwd_vuln/j.xml" "$broken"
			"$PY" "$here/junitcheck.py" "$broken" >/dev/null 2>&1 && why "junitcheck accepted a report with a testcase removed"
		else
			why "no JUnit report from report/trivy-vuln"
		fi
		verdict report/junit-vuln
	fi

	if [ -n "$REPORT_SECRET_IMG" ] && { want report/trivy-secret || want report/trivy-parity || want report/junit-secret; }; then
		rep_run report/trivy-secret image --scanners secret --format trivy-json=t.json --format json=c.json \
			--format junit=j.xml "$REPORT_SECRET_IMG"
		cwd_secret=$CWD
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		if [ -f "$CWD/t.json" ] && out=$(json_strict "$CWD/t.json"); then
			rep_golden "$CWD/t.json" secret.trivy.json
			n=$(jq '[.Results[] | select(.Class == "secret") | .Secrets | length] | add' "$CWD/t.json")
			want=$(jq '.secrets | length' "$CWD/c.json")
			if [ "$n" != "$want" ] || [ "$n" = 0 ]; then why "$n secrets in the Trivy JSON, $want in customs' JSON"; fi
		else
			why "no strict Trivy JSON: ${out:-missing}"
		fi
		want report/trivy-secret && verdict report/trivy-secret
	fi

	if [ -n "$cwd_secret" ] && want report/trivy-parity; then
		if ! trivy=$("$root/scripts/trivy.sh" 2>"$E2E_TMP/trivy-install.log"); then
			skip report/trivy-parity "no Trivy build: $(tail -1 "$E2E_TMP/trivy-install.log")"
		else
			local dir=${REPORT_SECRET_IMG#oci:}
			dir=${dir%:*}
			if timeout 300 "$trivy" image --input "$dir" --format json --scanners secret --offline-scan \
				--skip-db-update --cache-dir "$E2E_TMP/trivy-cache" -o "$cwd_secret/trivy.json" \
				>"$cwd_secret/trivy.log" 2>&1 && [ -s "$cwd_secret/trivy.json" ]; then
				while IFS= read -r out; do [ -n "$out" ] && why "$out"; done < <(trivy_parity "$cwd_secret/trivy.json" "$cwd_secret/t.json")
				# broken on purpose: one secret without its Match
				broken=$cwd_secret/broken.json
				jq '(.Results | map(.Class == "secret" and (.Target | startswith("config:") | not)) | index(true)) as $i
				    | del(.Results[$i].Secrets[0].Match)' "$cwd_secret/t.json" >"$broken"
				[ -n "$(trivy_parity "$cwd_secret/trivy.json" "$broken")" ] || why "the parity check accepted a secret without Match"
			else
				why "Trivy failed: $(tail -2 "$cwd_secret/trivy.log" | tr '\n' ' ')"
			fi
			verdict report/trivy-parity
		fi
	fi

	if [ -n "$cwd_secret" ] && want report/junit-secret; then
		if [ -f "$cwd_secret/j.xml" ]; then
			want=$(jq '.secrets | length' "$cwd_secret/c.json")
			out=$("$PY" "$here/junitcheck.py" --failures "$want" "$cwd_secret/j.xml" 2>&1) || why "junitcheck: $(head -3 <<<"$out" | tr '\n' ';')"
			# no planted secret in full, in either report
			while IFS= read -r out; do
				[ -n "$out" ] || continue
				grep -qF -- "$out" "$cwd_secret/j.xml" "$cwd_secret/t.json" &&
					why "a planted secret (starting ${out:0:4}) in full in a report"
			done < <(jq -r '.raw[]' "$REPORT_DIR/secrets/expected.json")
		else
			why "no JUnit report from report/trivy-secret"
		fi
		verdict report/junit-secret
	fi
}
