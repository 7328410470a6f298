# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# policy.sh - the policy group of tests/e2e/run.sh (sourced by it, after the
# report group and before the schema group, so that its reports are
# validated too). See docs/policy.md.
#
# One fixed vulnerable image, built as the report group builds its own: the
# real Alpine 3.11 `docker save` archive with its apk database edited to
# older openssl, musl and busybox (tests/e2e/vulncheck.py alpine-image), and
# a database imported from the real Alpine secdb v3.11 plus the CVSS v3
# vectors NVD publishes for the eight CVEs it then has (critical: musl's
# CVE-2019-14697; high: CVE-2019-1543 twice, busybox's two; medium: six;
# low: two), so that severities are real and gates have something to judge.
# Every run has SOURCE_DATE_EPOCH=1700000000 (2023-11-14), the database's
# build time too.
#
#   policy/pass, policy/warn, policy/fail    three policies on the same image:
#                          exit 0, 0 and 1; the JSON verdict and hits; the
#                          table's closing "Policy NAME: VERDICT" block
#   policy/exit-code       the failing policy with --exit-code 7: exit 7, the
#                          reports still complete
#   policy/default         --policy default: STOP on the critical finding
#   policy/fail-on         --fail-on critical and high fail; an ignore entry
#                          for the critical one passes critical, not high;
#                          --severity without critical passes critical
#   policy/ignore-expired  ./.customsignore.yaml found in the working
#                          directory: its expired entry counts again (exit 1,
#                          a warning on stderr and in diagnostics), its live
#                          entry suppresses (gone, or kept and marked with
#                          --show-suppressed)
#   policy/vex-openvex     an OpenVEX file written here, valid against the
#                          official schema, suppresses the critical finding
#                          (exit 0 with --fail-on critical), reason and
#                          source kept with --show-suppressed
#   policy/vex-fixtures    tests/data/policy's OpenVEX and CycloneDX fixtures:
#                          valid against their schemas, and what the unit
#                          tests say they suppress, they suppress in a scan
#   policy/baseline        a baseline made from an earlier report: nothing
#                          new, exit 0 with --fail-on low; one finding
#                          removed from the baseline: it is new and fails;
#                          one added: counted as fixed
#   policy/usage           a bad --severity word (exit 2) and a policy with
#                          an unknown trigger (exit 3): one error line naming
#                          it, before any scan, no report written
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, report_ok,
# error_lines, first_error, validators_setup, why, verdict, ok, skip, fail,
# want, PY, SHARED, root, E2E_TMP, TIMEOUT, CUSTOMS.

POL_EPOCH=1700000000

# NVD's CVSS v3 base vectors of the CVEs the edited image has.
pol_nvd() {
	"$PY" - "$1" <<'EOF'
import json, sys
vectors = {
    "CVE-2019-14697": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVE-2019-1543": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N",
    "CVE-2019-1547": "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N",
    "CVE-2019-1549": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
    "CVE-2019-1551": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
    "CVE-2019-1563": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N",
    "CVE-2018-20679": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVE-2019-5747": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
}
vulns = [{"cve": {"id": cve, "published": "2019-08-06T16:15:11.437", "lastModified": "2023-11-07T03:04:35.557",
                  "vulnStatus": "Modified", "descriptions": [{"lang": "en", "value": cve}],
                  "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
                                                 "cvssData": {"version": "3.1", "vectorString": v}}]}}}
         for cve, v in sorted(vectors.items())]
json.dump({"resultsPerPage": len(vulns), "startIndex": 0, "totalResults": len(vulns), "format": "NVD_CVE",
           "version": "2.0", "timestamp": "2023-11-14T00:00:00.000", "vulnerabilities": vulns},
          open(sys.argv[1], "w"), indent=1)
EOF
}

pol_prepare() {
	local AD=$SHARED/test-data/images/trivy-fanal meta
	POL_DIR=$E2E_TMP/policy
	POL_IMG="" POL_DB=""
	mkdir -p "$POL_DIR"
	if [ -f "$AD/alpine-311.tar.gz" ] &&
		meta=$("$PY" "$here/vulncheck.py" alpine-image "$AD/alpine-311.tar.gz" "$POL_DIR/alpine-edited.tar" \
			libcrypto1.1=1.1.1a-r1 libssl1.1=1.1.1a-r1 musl=1.1.23-r0 busybox=1.29.3-r5 2>&1) &&
		pol_nvd "$POL_DIR/nvd.json" &&
		SOURCE_DATE_EPOCH=$POL_EPOCH "$CUSTOMS" db import --quiet --db "$POL_DIR/db.sqlite" \
			"$SHARED/test-data/vulndb/alpine-secdb/v3.11" "$POL_DIR/nvd.json" >/dev/null 2>&1; then
		POL_IMG=docker-archive:$POL_DIR/alpine-edited.tar
		POL_DB=$POL_DIR/db.sqlite
	else
		fail policy/prepare "cannot build the edited Alpine image or its database: $(printf '%s' "$meta" | tail -1)"
	fi
}

# pol_cwd NAME: a fresh working directory (CWD) for a case.
pol_cwd() { CWD=$(fresh_cwd "$1"); }

# pol_scan NAME ARGS...: `customs image --db POL_DB ARGS POL_IMG` in CWD
# with the fixed time; stderr well formed.
pol_scan() {
	local name=$1
	shift
	SOURCE_DATE_EPOCH=$POL_EPOCH run_scanner "$name" "$CWD" "$TIMEOUT" image --db "$POL_DB" "$@" "$POL_IMG"
	stderr_shape
}

# pol_rc WANT: the exit status of the last run.
pol_rc() {
	[ "$CS_RC" = "$1" ] || why "exit $CS_RC, want $1$( [ "$(error_lines)" -gt 0 ] && printf ': %s' "$(first_error | head -c 200)")"
}

# pol_jq FILE FILTER WANT: jq -c FILTER on FILE prints WANT.
pol_jq() {
	local got
	got=$(jq -c "$2" "$1" 2>&1)
	[ "$got" = "$3" ] || why "$2: $(printf '%s' "$got" | head -c 300), want $3"
}

# pol_report NAME FILE: the JSON report exists and is strict (kept for the schema pass).
pol_report() {
	[ -f "$2" ] || { why "no report $2"; return 1; }
	report_ok "$1" "$2"
}

pol_policies() {
	cat >"$POL_DIR/pass.yaml" <<'EOF'
name: e2e-pass
rules:
  - {id: no-known-exploited, gate: vulnerabilities, trigger: kev, action: STOP}
  - {id: no-ssh-server, gate: packages, trigger: denylist, parameters: {name: "openssh*"}, action: STOP}
  - {id: libc-present, gate: packages, trigger: required, parameters: {name: musl}, action: STOP}
  - {id: fresh-database, gate: database, trigger: max_age, parameters: {days: 7}, action: WARN}
EOF
	cat >"$POL_DIR/warn.yaml" <<'EOF'
name: e2e-warn
rules:
  - id: criticals-warn
    gate: vulnerabilities
    trigger: severity
    parameters: {severity: critical}
    action: WARN
  - id: no-busybox
    gate: packages
    trigger: denylist
    params: [{name: name, value: busybox}]
    action: WARN
  - id: note-fixable
    gate: vulnerabilities
    trigger: fix_available
    parameters: {severity: high}
    action: GO
EOF
	cat >"$POL_DIR/fail.yaml" <<'EOF'
name: e2e-fail
rules:
  - {id: no-high, gate: vulnerabilities, trigger: cvss, parameters: {score: 7}, action: STOP}
  - {id: no-medium, gate: vulnerabilities, trigger: severity, parameters: {severity: medium}, action: WARN}
EOF
}

pol_cases() {
	if want policy/pass; then
		pol_cwd policy/pass
		pol_scan policy/pass --policy "$POL_DIR/pass.yaml" -f json=r.json -f table=t.txt
		pol_rc 0
		if pol_report policy/pass "$CWD/r.json"; then
			pol_jq "$CWD/r.json" '.policy' '{"name":"e2e-pass","verdict":"pass","hits":[]}'
			pol_jq "$CWD/r.json" '.vulnerabilities | length' 13
		fi
		tail -n 2 "$CWD/t.txt" | grep -q '^Policy e2e-pass: PASS (0 rules fired)$' ||
			why "the table does not end in 'Policy e2e-pass: PASS (0 rules fired)': $(tail -n 2 "$CWD/t.txt" | tr '\n' '|')"
		verdict policy/pass
	fi
	if want policy/warn; then
		pol_cwd policy/warn
		pol_scan policy/warn --policy "$POL_DIR/warn.yaml" -f json=r.json -f table=t.txt
		pol_rc 0
		if pol_report policy/warn "$CWD/r.json"; then
			pol_jq "$CWD/r.json" '[.policy.verdict, [.policy.hits[] | [.rule, .gate, .trigger, .action]]]' \
				'["warn",[["criticals-warn","vulnerabilities","severity","warn"],["no-busybox","packages","denylist","warn"],["note-fixable","vulnerabilities","fix_available","go"]]]'
			pol_jq "$CWD/r.json" '.policy.hits[0].message' \
				'"1 vulnerability of severity critical or above: CVE-2019-14697 in musl 1.1.23-r0"'
			pol_jq "$CWD/r.json" '.policy.hits[2].message | startswith("5 vulnerabilities with a fix available (severity high or above): ")' true
		fi
		grep -q '^Policy e2e-warn: WARN (3 rules fired)$' "$CWD/t.txt" || why "the table has no 'Policy e2e-warn: WARN (3 rules fired)'"
		grep -q '^  WARN  no-busybox (packages/denylist)$' "$CWD/t.txt" || why "the table does not list the no-busybox hit"
		verdict policy/warn
	fi
	if want policy/fail; then
		pol_cwd policy/fail
		pol_scan policy/fail --policy "$POL_DIR/fail.yaml" -f json=r.json -f table
		pol_rc 1
		if pol_report policy/fail "$CWD/r.json"; then
			pol_jq "$CWD/r.json" '[.policy.verdict, [.policy.hits[] | [.rule, .action]]]' \
				'["fail",[["no-high","stop"],["no-medium","warn"]]]'
			pol_jq "$CWD/r.json" '.policy.hits[0].message | startswith("5 vulnerabilities with a CVSS score of 7.0 or more: ")' true
			pol_jq "$CWD/r.json" '.vulnerabilities | length' 13
		fi
		grep -q '^Policy e2e-fail: FAIL (2 rules fired)$' "$CS_OUT" || why "the table on stdout has no 'Policy e2e-fail: FAIL (2 rules fired)'"
		[ "$(error_lines)" = 0 ] || why "a failed policy is not an error: $(first_error)"
		verdict policy/fail
	fi
	if want policy/exit-code; then
		pol_cwd policy/exit-code
		pol_scan policy/exit-code --policy "$POL_DIR/fail.yaml" --exit-code 7 -f json=r.json -f sarif=r.sarif
		pol_rc 7
		pol_report policy/exit-code "$CWD/r.json" && pol_jq "$CWD/r.json" '.policy.verdict' '"fail"'
		[ -s "$CWD/r.sarif" ] || why "no SARIF report beside the failed verdict"
		verdict policy/exit-code
	fi
	if want policy/default; then
		pol_cwd policy/default
		pol_scan policy/default --policy default -f json=r.json
		pol_rc 1
		# Alpine 3.11 is past its end of life (2021-11-01): the base rule warns too
		pol_report policy/default "$CWD/r.json" &&
			pol_jq "$CWD/r.json" '[.policy.name, .policy.verdict, [.policy.hits[] | [.rule, .action]]]' \
				'["default","fail",[["critical-vulnerabilities","stop"],["fixable-high","warn"],["base-end-of-life","warn"]]]'
		verdict policy/default
	fi
	if want policy/fail-on; then
		local sev want_rc
		printf 'vulnerabilities:\n  - id: CVE-2019-14697\n    package: musl\n    reason: x87 code is not built for x86_64\n    expires: 2099-12-31\n' \
			>"$POL_DIR/ignore-musl.yaml"
		for sev in critical high; do
			pol_cwd "policy/fail-on-$sev"
			pol_scan "policy/fail-on-$sev" --fail-on "$sev" -f json=r.json
			pol_rc 1
			pol_report "policy/fail-on-$sev" "$CWD/r.json" &&
				pol_jq "$CWD/r.json" '[.policy.name, .policy.verdict, [.policy.hits[] | [.rule, .gate, .action]]]' \
					'["gates","fail",[["--fail-on","vulnerabilities","stop"]]]'
		done
		for sev in critical high; do
			want_rc=0
			[ $sev = high ] && want_rc=1
			pol_cwd "policy/fail-on-$sev-ignored"
			pol_scan "policy/fail-on-$sev-ignored" --fail-on "$sev" --ignore-file "$POL_DIR/ignore-musl.yaml" -f json=r.json
			pol_rc $want_rc
			pol_report "policy/fail-on-$sev-ignored" "$CWD/r.json" &&
				pol_jq "$CWD/r.json" '[.vulnerabilities[] | select(.id == "CVE-2019-14697")] | length' 0
		done
		pol_cwd policy/fail-on-severity
		pol_scan policy/fail-on-severity --fail-on critical --severity HIGH,medium,low -f json=r.json
		pol_rc 0
		pol_report policy/fail-on-severity "$CWD/r.json" &&
			pol_jq "$CWD/r.json" '[.vulnerabilities[].severity] | unique' '["high","low","medium"]'
		verdict policy/fail-on
	fi
	if want policy/ignore-expired; then
		pol_cwd policy/ignore-expired
		cat >"$CWD/.customsignore.yaml" <<'EOF'
vulnerabilities:
  - id: CVE-2019-14697
    reason: waiting for Alpine 3.11.6
    expires: 2023-11-01
  - id: CVE-2019-1563
    reason: low, CMS not used
    expires: 2024-06-30
EOF
		pol_scan policy/ignore-expired --fail-on critical -f json=r.json
		pol_rc 1
		grep -q "^customs: warning: ignore file '.customsignore.yaml': vulnerabilities entry 'CVE-2019-14697' expired on 2023-11-01; its findings count again$" "$CS_ERR" ||
			why "no expiry warning on stderr: $(head -c 300 "$CS_ERR")"
		if pol_report policy/ignore-expired "$CWD/r.json"; then
			pol_jq "$CWD/r.json" '[.vulnerabilities[] | select(.id == "CVE-2019-14697") | .suppressed]' '[null]'
			pol_jq "$CWD/r.json" '[.vulnerabilities[] | select(.id == "CVE-2019-1563")] | length' 0
			pol_jq "$CWD/r.json" '[.diagnostics[] | select(.message | contains("expired on 2023-11-01")) | .level]' '["warning"]'
			pol_jq "$CWD/r.json" '.policy.hits[0].message' '"1 vulnerability at or above critical: CVE-2019-14697 in musl 1.1.23-r0"'
		fi
		rm -f "$CWD/r.json"
		pol_scan policy/ignore-expired-shown --show-suppressed -f json=r.json
		pol_rc 0
		if pol_report policy/ignore-expired-shown "$CWD/r.json"; then
			pol_jq "$CWD/r.json" '[.vulnerabilities[] | select(.id == "CVE-2019-1563") | .suppressed] | unique' \
				'[{"kind":"ignore","reason":"low, CMS not used","source":".customsignore.yaml"}]'
			pol_jq "$CWD/r.json" '.vulnerabilities | length' 13
			pol_jq "$CWD/r.json" '.policy' null
		fi
		verdict policy/ignore-expired
	fi
	if want policy/vex-openvex; then
		pol_cwd policy/vex-openvex
		cat >"$POL_DIR/musl.openvex.json" <<'EOF'
{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://openvex.dev/docs/public/customs-e2e-musl",
  "author": "customs e2e <e2e@customs.invalid>",
  "role": "Document Creator",
  "timestamp": "2023-11-10T09:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2019-14697"},
      "products": [
        {
          "@id": "pkg:oci/alpine-edited",
          "subcomponents": [{"@id": "pkg:apk/alpine/musl?arch=x86_64"}]
        }
      ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "the i386 x87 code is not in an x86_64 build"
    }
  ]
}
EOF
		pol_validate policy/vex-openvex "$SHARED/schemas/openvex/openvex_json_schema.json" "$POL_DIR/musl.openvex.json"
		pol_scan policy/vex-openvex --vex "$POL_DIR/musl.openvex.json" --fail-on critical -f json=r.json
		pol_rc 0
		pol_report policy/vex-openvex "$CWD/r.json" &&
			pol_jq "$CWD/r.json" '[.policy.verdict, (.vulnerabilities | length)]' '["pass",12]'
		rm -f "$CWD/r.json"
		pol_scan policy/vex-openvex-shown --vex "$POL_DIR/musl.openvex.json" --show-suppressed -f json=r.json
		pol_rc 0
		pol_report policy/vex-openvex-shown "$CWD/r.json" &&
			pol_jq "$CWD/r.json" '[.vulnerabilities[] | select(.suppressed != null) | [.id, .package.name, .suppressed.kind, .suppressed.reason, .suppressed.source]]' \
				"[[\"CVE-2019-14697\",\"musl\",\"vex\",\"not_affected: vulnerable_code_not_in_execute_path\",\"$POL_DIR/musl.openvex.json\"]]"
		verdict policy/vex-openvex
	fi
	if want policy/vex-fixtures; then
		pol_cwd policy/vex-fixtures
		pol_validate policy/vex-fixtures "$SHARED/schemas/openvex/openvex_json_schema.json" "$root/tests/data/policy/openvex-musl.json"
		pol_validate policy/vex-fixtures "$SHARED/schemas/cyclonedx/bom-1.6.schema.json" "$root/tests/data/policy/cyclonedx-vex.json"
		pol_scan policy/vex-fixtures --vex "$root/tests/data/policy/openvex-musl.json" \
			--vex "$root/tests/data/policy/cyclonedx-vex.json" --show-suppressed -f json=r.json
		pol_rc 0
		# The CycloneDX analysis has no time of its own and inherits its
		# document's (2023-11-01T10:00Z), the same as the OpenVEX statement's:
		# the later document decides.
		pol_report policy/vex-fixtures "$CWD/r.json" &&
			pol_jq "$CWD/r.json" '[.vulnerabilities[] | select(.suppressed != null) | [.id, .package.name, .suppressed.reason]] | sort' \
				'[["CVE-2019-14697","musl","not_affected: code_not_reachable"],["CVE-2019-1547","libcrypto1.1","fixed"]]'
		verdict policy/vex-fixtures
	fi
	if want policy/baseline; then
		pol_cwd policy/baseline
		pol_scan policy/baseline-before -f json=before.json
		pol_rc 0
		if pol_report policy/baseline-before "$CWD/before.json"; then
			pol_scan policy/baseline --baseline before.json --fail-on low -f json=r.json
			pol_rc 0
			grep -q "^customs: warning: baseline 'before.json': 0 new findings, 15 already listed, 0 fixed since$" "$CS_ERR" ||
				why "no baseline summary on stderr: $(head -c 300 "$CS_ERR")"
			pol_report policy/baseline "$CWD/r.json" &&
				pol_jq "$CWD/r.json" '[.policy.verdict, (.vulnerabilities | length)]' '["pass",0]'
			# Older baseline: without the musl finding (now new), with one that is gone (fixed).
			jq '.vulnerabilities |= (map(select(.id != "CVE-2019-14697")) + [.[0] | .id = "CVE-2000-0001"])' \
				"$CWD/before.json" >"$CWD/older.json"
			rm -f "$CWD/r.json"
			pol_scan policy/baseline-older --baseline older.json --fail-on critical -f json=r.json
			pol_rc 1
			grep -q "^customs: warning: baseline 'older.json': 1 new finding, 14 already listed, 1 fixed since$" "$CS_ERR" ||
				why "baseline summary: $(grep baseline "$CS_ERR" | head -c 300)"
			pol_report policy/baseline-older "$CWD/r.json" &&
				pol_jq "$CWD/r.json" '[.vulnerabilities[] | .id]' '["CVE-2019-14697"]'
		fi
		verdict policy/baseline
	fi
	if want policy/usage; then
		pol_cwd policy/usage
		pol_scan policy/usage-severity --severity critical,bogus -f json=r.json
		pol_rc 2
		if ! { [ "$(error_lines)" = 1 ] && first_error | grep -q -- "--severity: unknown severity 'bogus'"; }; then
			why "bad --severity: $(head -c 300 "$CS_ERR")"
		fi
		printf 'name: typo\nrules:\n  - id: crit\n    gate: vulnerabilities\n    trigger: severty\n    action: STOP\n' >"$CWD/p.yaml"
		pol_scan policy/usage-policy --policy p.yaml -f json=r.json
		pol_rc 3
		if ! { [ "$(error_lines)" = 1 ] &&
			first_error | grep -q -- "policy 'p.yaml': rule 'crit' (#1): unknown trigger 'severty' for gate 'vulnerabilities'"; }; then
			why "bad policy: $(head -c 300 "$CS_ERR")"
		fi
		[ ! -e "$CWD/r.json" ] || why "a report was written after a usage error"
		verdict policy/usage
	fi
}

# pol_validate CASE SCHEMA FILE: FILE is valid against SCHEMA (validate.js).
pol_validate() {
	local out
	if ! command -v node >/dev/null 2>&1; then
		why "node not installed: $3 not validated"
		return
	fi
	if [ -z "${POL_NP:-}" ] && ! POL_NP=$(validators_setup); then
		why "npm install of the validators failed"
		return
	fi
	out=$(NODE_PATH=$POL_NP node "$SHARED/schemas/validate.js" "$2" "$3" 2>&1) ||
		why "$(basename "$3") is not valid against $(basename "$2"): $(printf '%s' "$out" | head -c 300)"
}

if [ -z "${E2E_ONLY:-}" ] || grep -q policy <<<"$E2E_ONLY"; then
	group_begin policy
	pol_prepare
	if [ -n "$POL_IMG" ]; then
		pol_policies
		pol_cases
	fi
	group_end
fi
