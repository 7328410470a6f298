# shellcheck shell=bash disable=SC2154,SC2153 # run.sh's and report.sh's variables
# report_sarif.sh - --format sarif on the fixed images, each run writing the
# JSON report too (one scan, two formats):
#   report/sarif-vuln    the edited Alpine image with REPORT_DB
#   report/sarif-secret  the secrets image
# Each: valid for the official SARIF 2.1.0 schema (validate.js, ajv); what the
# schema cannot see (tests/e2e/sarif_check.py: ruleIndex against ruleId,
# GitHub's upload limits and required fields, security-severity, levels, one
# result per finding of the JSON report, no planted secret in full); the
# same bytes from a second run; a golden file.
#   report/sarif-broken  the checks can fail: a level "fatal" (the schema
#                        rejects it), a ruleIndex naming another rule, a word
#                        as security-severity, a result too many, a planted
#                        secret in a message (sarif_check.py rejects each)

# rep_sarif_check NAME SARIF [ARGS...]: schema, then sarif_check.py.
rep_sarif_check() {
	local sarif=$2 out
	shift 2
	if ! out=$(json_strict "$sarif"); then
		why "not strict JSON/UTF-8: $(printf '%s' "$out" | head -c 160)"
		return 1
	fi
	if ! out=$(NODE_PATH=$REP_SARIF_NP node "$SHARED/schemas/validate.js" "$SHARED/schemas/sarif/sarif-schema-2.1.0.json" "$sarif" 2>&1); then
		why "invalid for the SARIF 2.1.0 schema: $(printf '%s' "$out" | sed -n 2,4p | tr '\n' ';' | head -c 400)"
	fi
	if ! out=$("$PY" "$here/sarif_check.py" "$sarif" "$@" 2>&1); then
		why "sarif_check.py: $(printf '%s' "$out" | head -5 | tr '\n' ';' | head -c 600)"
	fi
}

# rep_sarif_case NAME GOLDEN CHECK_ARGS -- CUSTOMS_ARGS...
rep_sarif_case() {
	local name=$1 golden=$2 check_args=() first
	shift 2
	while [ "$1" != -- ]; do check_args+=("$1"); shift; done
	shift
	rep_run "$name" "$@"
	[ "$CS_RC" = 0 ] || why "exit $CS_RC"
	if [ ! -s "$CWD/r.sarif" ] || [ ! -s "$CWD/r.json" ]; then
		why "no r.sarif or r.json written"
		verdict "$name"
		return
	fi
	rep_sarif_check "$name" "$CWD/r.sarif" --json "$CWD/r.json" "${check_args[@]}"
	rep_golden "$CWD/r.sarif" "$golden" semanticVersion
	# equal scans, equal bytes
	first=$E2E_TMP/$(printf "%s" "$name" | tr / _).first.sarif
	cp "$CWD/r.sarif" "$first"
	rep_run "$name" "$@"
	cmp -s "$first" "$CWD/r.sarif" || why "a second run wrote different bytes"
	cp "$first" "$E2E_TMP/$(printf '%s' "$name" | tr / _).sarif"
	cp "$CWD/r.json" "$E2E_TMP/$(printf '%s' "$name" | tr / _).json"
	verdict "$name"
}

# rep_sarif_edit SRC DST PYTHON: DST is SRC after PYTHON, statements on `d`
# (the parsed log; json, os and sys imported).
rep_sarif_edit() {
	"$PY" -c "
import json, os, sys
d = json.load(open(sys.argv[1]))
$3
json.dump(d, open(sys.argv[2], 'w'))
" "$1" "$2" 2>"$E2E_TMP/broken.err" && return 0
	why "cannot make $(basename "$2"): $(head -c 200 "$E2E_TMP/broken.err")"
	return 1
}

# rep_sarif_broken NAME SRC PYTHON schema|check [CHECK_ARGS...]: the edited
# copy of SRC must fail the schema or sarif_check.py.
rep_sarif_broken() {
	local name=$1 src=$2 edit=$3 wantfail=$4 dst out
	shift 4
	dst=$E2E_TMP/broken-$name.sarif
	rep_sarif_edit "$src" "$dst" "$edit" || return
	if [ "$wantfail" = schema ]; then
		if NODE_PATH=$REP_SARIF_NP node "$SHARED/schemas/validate.js" "$SHARED/schemas/sarif/sarif-schema-2.1.0.json" "$dst" >/dev/null 2>&1; then
			why "$name: the schema accepts it"
		fi
	elif out=$("$PY" "$here/sarif_check.py" "$dst" "$@" 2>&1); then
		why "$name: sarif_check.py accepts it"
	elif [ -z "$out" ]; then
		why "$name: sarif_check.py failed without saying why"
	fi
}

report_sarif() {
	local any=0 c vuln secret out
	for c in vuln secret broken; do want "report/sarif-$c" && any=1; done
	[ $any = 1 ] || return 0
	if ! command -v node >/dev/null 2>&1 || ! REP_SARIF_NP=$(validators_setup); then
		for c in vuln secret broken; do
			want "report/sarif-$c" && fail "report/sarif-$c" "no node or validate.js packages (npm install failed: $E2E_TMP/npm.log)"
		done
		return 0
	fi
	vuln=$E2E_TMP/report_sarif-vuln.sarif
	secret=$E2E_TMP/report_sarif-secret.sarif
	if [ -n "$REPORT_DB" ] && want report/sarif-vuln; then
		rep_sarif_case report/sarif-vuln vuln.sarif -- \
			image --db "$REPORT_DB" --format json=r.json --format sarif=r.sarif "$REPORT_VULN_IMG"
	fi
	if [ -n "$REPORT_SECRET_IMG" ] && want report/sarif-secret; then
		rep_sarif_case report/sarif-secret secret.sarif --raw "$REPORT_DIR/secrets/expected.json" -- \
			image --scanners secret --format json=r.json --format sarif=r.sarif "$REPORT_SECRET_IMG"
	fi
	if want report/sarif-broken; then
		if [ ! -s "$vuln" ] || [ ! -s "$secret" ]; then
			skip report/sarif-broken "needs the SARIF of report/sarif-vuln and report/sarif-secret"
			return 0
		fi
		# the copy made the same way, unedited, passes: a rejection below is the edit's doing
		if rep_sarif_edit "$vuln" "$E2E_TMP/broken-none.sarif" 'pass' &&
			! NODE_PATH=$REP_SARIF_NP node "$SHARED/schemas/validate.js" "$SHARED/schemas/sarif/sarif-schema-2.1.0.json" "$E2E_TMP/broken-none.sarif" >/dev/null 2>&1; then
			why "the unedited copy fails the schema"
		fi
		rep_sarif_broken level-fatal "$vuln" 'd["runs"][0]["results"][0]["level"] = "fatal"' schema
		rep_sarif_broken no-driver-name "$vuln" 'del d["runs"][0]["tool"]["driver"]["name"]' schema
		rep_sarif_broken rule-index "$vuln" 'r = d["runs"][0]["results"]; r[0]["ruleIndex"] = (r[0]["ruleIndex"] + 1) % len(d["runs"][0]["tool"]["driver"]["rules"])' check
		rep_sarif_broken severity-word "$vuln" 'd["runs"][0]["tool"]["driver"]["rules"][0]["properties"]["security-severity"] = "high"' check
		rep_sarif_broken no-fingerprint "$vuln" 'del d["runs"][0]["results"][-1]["partialFingerprints"]' check
		rep_sarif_broken too-many "$vuln" 'r = d["runs"][0]["results"]; x = dict(r[0], message={"text": "x"}, properties={"severity": r[0]["properties"]["severity"]}); r.extend(dict(x, partialFingerprints={"customsFindingHash/v1": str(i), "primaryLocationLineHash": str(i)}) for i in range(25001))' check
		rep_sarif_broken extra-result "$vuln" 'r = d["runs"][0]["results"]; c = json.loads(json.dumps(r[0])); c["partialFingerprints"]["customsFindingHash/v1"] += "x"; r.append(c)' check \
			--json "${vuln%.sarif}.json"
		EXPECTED=$REPORT_DIR/secrets/expected.json rep_sarif_broken raw-secret "$secret" \
			'd["runs"][0]["results"][0]["message"]["text"] += " " + json.load(open(os.environ["EXPECTED"]))["raw"][0]' check \
			--raw "$REPORT_DIR/secrets/expected.json"
		if out=$("$PY" "$here/sarif_check.py" "$E2E_TMP/broken-none.sarif" --json "${vuln%.sarif}.json" 2>&1); then :; else
			why "the unedited copy fails sarif_check.py: $(printf '%s' "$out" | head -2 | tr '\n' ';')"
		fi
		verdict report/sarif-broken
	fi
}
