# shellcheck shell=bash disable=SC2154 # run.sh's and report.sh's variables
# report_json.sh - customs' own JSON on the fixed images: a golden file each
# (the schema pass validates them against docs/report.schema.json).
report_json() {
	if [ -n "$REPORT_DB" ] && want report/json-vuln; then
		rep_run report/json-vuln image --db "$REPORT_DB" --format json=r.json "$REPORT_VULN_IMG"
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		report_ok report/json-vuln "$CWD/r.json" && rep_golden "$CWD/r.json" vuln.json
		verdict report/json-vuln
	fi
	if [ -n "$REPORT_SECRET_IMG" ] && want report/json-secret; then
		rep_run report/json-secret image --scanners secret --format json=r.json "$REPORT_SECRET_IMG"
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		report_ok report/json-secret "$CWD/r.json" && rep_golden "$CWD/r.json" secret.json
		verdict report/json-secret
	fi
}
