# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# report.sh - the report-format group of tests/e2e/run.sh (sourced by it,
# after the secret group and before the schema group). It prepares two fixed
# test images once, then runs every tests/e2e/report_*.sh in name order: each
# such file defines a function of the same name (report_sarif, ...) that
# checks one format against its official validator, a golden file and the
# consumers the format is for.
#
# Fixed inputs (built here, the same bytes on every machine):
#   REPORT_VULN_IMG    docker-archive of the real Alpine 3.11 image with its
#                      apk database edited to older openssl, musl and busybox
#                      (tests/e2e/vulncheck.py alpine-image): packages and
#                      vulnerabilities, all in layer 0
#   REPORT_DB          a database imported from the real Alpine secdb v3.11
#   REPORT_SECRET_IMG  scripts/build-secrets.py's OCI image: secrets in
#                      several layers, deleted and overwritten files, the config
#   REPORT_VERSION     `customs version`'s version, masked in golden files
#                      (as REPORT_DIR, the temporary directory, is)
#   REPORT_EPOCH       SOURCE_DATE_EPOCH of every report run: fixed timestamps
#
# Helpers for the format files:
#   rep_run NAME ARGS...          customs ARGS in a fresh working directory
#                                 (CWD), with SOURCE_DATE_EPOCH; stderr checked
#   rep_golden ACTUAL GOLDEN [DROP]  tests/e2e/golden.py against
#                                 tests/e2e/golden/GOLDEN (E2E_UPDATE_GOLDEN=1
#                                 rewrites it); differences become whys
#   rep_tools                     prints NODE_PATH of the full validator set
#                                 (ajv-cli, the CycloneDX library,
#                                 trivy-to-sonarqube, ...), installed once
#                                 under the cache; its .bin holds the commands
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, PY, SHARED, root, E2E_TMP, TIMEOUT, CUSTOMS.

REPORT_EPOCH=1700000000
GOLDEN_DIR=$here/golden

rep_run() {
	local name=$1
	shift
	CWD=$(fresh_cwd "$name")
	SOURCE_DATE_EPOCH=$REPORT_EPOCH run_scanner "$name" "$CWD" "$TIMEOUT" "$@"
	stderr_shape
}

rep_golden() {
	local actual=$1 golden=$GOLDEN_DIR/$2 drop=${3:-} out
	if [ -n "${E2E_UPDATE_GOLDEN:-}" ]; then
		"$PY" "$here/golden.py" --update --drop "$drop" --version "$REPORT_VERSION" --dir "$REPORT_DIR" "$actual" "$golden" ||
			why "cannot update $golden"
		echo "# updated $golden"
		return
	fi
	[ -f "$golden" ] || { why "no golden file $golden (E2E_UPDATE_GOLDEN=1 writes it)"; return; }
	if ! out=$("$PY" "$here/golden.py" --drop "$drop" --version "$REPORT_VERSION" --dir "$REPORT_DIR" "$actual" "$golden" 2>&1); then
		why "differs from golden/$2: $(printf '%s' "$out" | head -5 | tr '\n' ';' | head -c 600)"
	fi
}

rep_tools() {
	local dir stamp want_pkgs
	dir="${CUSTOMS_CACHE:-$HOME/.cache/customs}/report-tools"
	stamp="$dir/.installed"
	want_pkgs="ajv@8.20.0 ajv-draft-04@1.0.0 ajv-formats@3.0.1 js-yaml@4.3.2 ajv-cli@5.0.0 @cyclonedx/cyclonedx-library@10.3.0 ajv-formats-draft2019@1.6.1 trivy-to-sonarqube@1.2.0"
	if [ "$(cat "$stamp" 2>/dev/null)" != "$want_pkgs" ]; then
		mkdir -p "$dir" || return 1
		# shellcheck disable=SC2086
		npm install --prefix "$dir" --no-audit --no-fund --silent $want_pkgs \
			>"$E2E_TMP/npm-report.log" 2>&1 || return 1
		printf '%s\n' "$want_pkgs" >"$stamp"
	fi
	printf '%s\n' "$dir/node_modules"
}

report_prepare() {
	local AD=$SHARED/test-data/images/trivy-fanal meta
	REPORT_DIR=$E2E_TMP/report
	REPORT_VULN_IMG="" REPORT_SECRET_IMG="" REPORT_DB=""
	mkdir -p "$REPORT_DIR"
	REPORT_VERSION=$("$CUSTOMS" version | awk '{print $2}')
	if [ -f "$AD/alpine-311.tar.gz" ] &&
		meta=$("$PY" "$here/vulncheck.py" alpine-image "$AD/alpine-311.tar.gz" "$REPORT_DIR/alpine-edited.tar" \
			libcrypto1.1=1.1.1a-r1 libssl1.1=1.1.1a-r1 musl=1.1.23-r0 busybox=1.29.3-r5 2>&1) &&
		SOURCE_DATE_EPOCH=$REPORT_EPOCH "$CUSTOMS" db import --quiet --db "$REPORT_DIR/db.sqlite" \
			"$SHARED/test-data/vulndb/alpine-secdb/v3.11" >/dev/null 2>&1; then
		REPORT_VULN_IMG=docker-archive:$REPORT_DIR/alpine-edited.tar
		REPORT_DB=$REPORT_DIR/db.sqlite
	else
		fail report/prepare-vuln "cannot build the edited Alpine image or its database: $(printf '%s' "$meta" | tail -1)"
	fi
	if "$PY" "$root/scripts/build-secrets.py" "$REPORT_DIR/secrets" >"$E2E_TMP/report-secrets.log" 2>&1; then
		REPORT_SECRET_IMG=oci:$REPORT_DIR/secrets/oci:secrets
	else
		fail report/prepare-secrets "scripts/build-secrets.py failed: $(tail -2 "$E2E_TMP/report-secrets.log" | tr '\n' ' ')"
	fi
}

if [ -z "${E2E_ONLY:-}" ] || grep -q report <<<"$E2E_ONLY"; then
	group_begin report
	report_prepare
	for f in "$here"/report_*.sh; do
		[ -f "$f" ] || continue
		# shellcheck disable=SC1090
		. "$f"
		fn=$(basename "$f" .sh)
		"$fn"
	done
	group_end
fi
