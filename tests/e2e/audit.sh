# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# audit.sh - the configuration audit group of tests/e2e/run.sh (sourced by
# it, before the schema group, so that its reports are validated too). See
# docs/config-audit.md and docs/test-images.md ("The risky image").
#
#   audit/risky-oci       scripts/build-risky.py's image (OCI layout): exactly
#                         the planted findings as (id, path, layer, severity),
#                         with the layers' diff_ids and created_by, the CIS
#                         item of each id, and title, description and
#                         resolution filled in
#   audit/oracle-teeth    that check fails on a mutated report
#   audit/risky-docker    the same image as a docker-archive: the same findings
#   audit/no-leak         no planted secret value in the JSON or table reports
#                         or on stderr; the ADD URL's token not either
#   audit/table           the table's Misconfigurations section and summary
#   audit/ports-env       CUSTOMS_AUDIT_PORTS adds a port (8080 fires), a bad
#                         entry is a warning
#   audit/scanners        without "config" in --scanners, no audit
#   audit/clean-*         only the documented findings on images built right:
#                         the sample (no HEALTHCHECK, the base's packaged
#                         setuid files, low), bullseye and lang (the same and
#                         root), the real Alpine 3.10 and 3.11 images (root,
#                         no HEALTHCHECK), and `customs rootfs` of the sample
#                         (setuid files only, without layers)
# Uses from run.sh: run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, PY, SHARED, root, E2E_TMP, TIMEOUT,
# cached_image (secrets.sh).

# au_scan NAME image|rootfs TARGET [ARGS...]: a JSON config audit into
# CWD/out.json; exit 0, stderr well formed, report kept for the schema pass.
# Sets AREP (the report, empty when there is none) and AERR (stderr).
au_scan() {
	local name=$1 sub=$2 target=$3 cwd
	shift 3
	cwd=$(fresh_cwd "$name")
	AREP=""
	run_scanner "$name" "$cwd" "$TIMEOUT" "$sub" --scanners config "$@" --format json --output out.json "$target"
	AERR=$CS_ERR
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	if [ -f "$cwd/out.json" ] && report_ok "$name" "$cwd/out.json"; then
		AREP=$cwd/out.json
	else
		why "no report"
	fi
}

# The facts one report must show about the risky image; one complaint a
# line. $e is expected.json without .raw.
# shellcheck disable=SC2016 # a jq program
AU_CHECK_JQ='
def show: tojson | if length > 300 then .[0:300] + "..." else . end;
{"CS-IMG-001": "4.1", "CS-IMG-002": "5.8", "CS-IMG-003": "4.6", "CS-IMG-004": "4.10", "CS-IMG-005": "4.10",
 "CS-IMG-010": "4.9", "CS-IMG-018": "4.7", "CS-IMG-020": "4.8"} as $cis |
. as $r | ($r.artifact.layers // []) as $L |
  ([$r.misconfigurations[]? | [.id, .path, .layer.index, .severity]] | sort) as $got |
  ($e.findings | sort) as $want |
  (if $got == $want then empty else
     "findings differ: missing \(($want - $got) | show), unexpected \(($got - $want) | show)" end),
  (if [$L[].diff_id] == $e.diff_ids then empty
   else "artifact.layers[].diff_id \([$L[].diff_id] | show), want \($e.diff_ids | show)" end),
  ($r.misconfigurations[]? |
    (if .layer == null then
       (if .created_by == null then empty else "\(.id) \(.path): created_by without a layer" end)
     else
       (if .layer.diff_id == $e.diff_ids[.layer.index] then empty
        else "\(.id) \(.path): layer.diff_id is not that of layer \(.layer.index)" end),
       (if .created_by == $L[.layer.index].created_by then empty
        else "\(.id) \(.path): created_by is not that of its layer" end)
     end),
    (if .cis == $cis[.id] then empty else "\(.id): cis \(.cis | show), want \($cis[.id] | show)" end),
    (if ([.title, .description, .resolution, .message] | map(type == "string" and length > 0) | all) then empty
     else "\(.id) \(.path): title, description, resolution or message empty" end),
    (if .dockerfile == null and .suppressed == null then empty
     else "\(.id) \(.path): dockerfile or suppressed set" end))
'

# au_check REPORT EXPECTED_JSON: AU_CHECK_JQ's complaints become whys.
au_check() {
	local out line
	if ! out=$(jq -r --argjson e "$2" "$AU_CHECK_JQ" "$1" 2>&1); then
		why "report check failed: $(printf '%s' "$out" | head -c 200)"
		return
	fi
	while IFS= read -r line; do
		[ -n "$line" ] && why "$line"
	done <<<"$out"
}

au_risky() {
	local any=0 c exp cwd outs=() tbl n s f
	for c in risky-oci oracle-teeth risky-docker no-leak table ports-env scanners; do want "audit/$c" && any=1; done
	[ $any = 1 ] || return 0
	AX=$E2E_TMP/risky-image
	rm -rf "$AX"
	if ! "$PY" "$root/scripts/build-risky.py" "$AX" >"$E2E_TMP/build-risky.log" 2>&1; then
		fail audit/build "scripts/build-risky.py failed: $(tail -3 "$E2E_TMP/build-risky.log" | tr '\n' ' ' | head -c 300)"
		return 0
	fi
	exp=$(jq -c 'del(.raw)' "$AX/expected.json")
	n=$(jq '.findings | length' "$AX/expected.json")
	echo "# risky image: $n planted findings"

	AREP=""
	if want audit/risky-oci || want audit/no-leak || want audit/oracle-teeth; then
		au_scan audit/risky-oci image "oci:$AX/oci:risky"
		if [ -n "$AREP" ]; then
			au_check "$AREP" "$exp"
			outs+=("$AREP")
		fi
		outs+=("$AERR")
		want audit/risky-oci && verdict audit/risky-oci
		E2E_WHY=()
	fi
	# the oracle has teeth: a finding dropped, a layer moved, a severity and a CIS item changed
	if [ -n "$AREP" ] && want audit/oracle-teeth; then
		jq '.misconfigurations |= (.[1:] | map(if .id == "CS-IMG-023" then .layer.index = 0 else . end)
			| map(if .id == "CS-IMG-011" then .severity = "low" else . end)
			| map(if .id == "CS-IMG-001" then .cis = "5.1" else . end))' "$AREP" >"$E2E_TMP/audit-mutated.json"
		s=$(jq -r --argjson e "$exp" "$AU_CHECK_JQ" "$E2E_TMP/audit-mutated.json" | grep -c .)
		[ "$s" -ge 3 ] || why "the check saw only $s problems in a mutated report"
		verdict audit/oracle-teeth
	fi
	if want audit/risky-docker || want audit/no-leak; then
		au_scan audit/risky-docker image "docker-archive:$AX/risky.docker.tar"
		if [ -n "$AREP" ]; then
			au_check "$AREP" "$exp"
			outs+=("$AREP")
		fi
		outs+=("$AERR")
		want audit/risky-docker && verdict audit/risky-docker
		E2E_WHY=()
	fi
	if want audit/table || want audit/no-leak; then
		cwd=$(fresh_cwd audit/table)
		run_scanner audit/table "$cwd" "$TIMEOUT" image --scanners config --format table "oci:$AX/oci:risky"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		tbl=$CS_OUT
		outs+=("$tbl" "$CS_ERR")
		grep -q "^Misconfigurations ($n)" "$tbl" || why "no 'Misconfigurations ($n)' heading"
		grep -q "^Findings: $n ($n misconfigurations)" "$tbl" || why "no 'Findings: $n ($n misconfigurations)' summary"
		grep -q '^Image config' "$tbl" || why "no 'Image config' section"
		# packages come from layers 0 and 8; misconfigurations from every layer
		for c in 0 1 2 3 4 5 6 7 8 9; do
			case $c in 0 | 8) s=2 ;; *) s=1 ;; esac
			[ "$(grep -c "^Layer $c " "$tbl")" = $s ] || why "not $s 'Layer $c' headings (packages, misconfigurations)"
		done
		while IFS= read -r c; do
			grep -qF -- "$c" "$tbl" || why "id $c not in the table"
		done < <(jq -r '.findings[][0]' "$AX/expected.json" | sort -u)
		want audit/table && verdict audit/table
		E2E_WHY=()
	fi
	if want audit/no-leak; then
		while IFS= read -r s; do
			for f in "${outs[@]}"; do
				[ -f "$f" ] && grep -qF -- "$s" "$f" &&
					why "a planted value (${#s} bytes) in $(basename "$(dirname "$f")")/$(basename "$f")"
			done
		done < <(jq -r '.raw[]' "$AX/expected.json")
		for f in "${outs[@]}"; do
			[ -f "$f" ] && [ "${f##*.}" = json ] && jq -r '.misconfigurations[].message' "$f" | grep -q 'token=' &&
				why "the ADD URL's query in a message of $(basename "$f")"
		done
		[ ${#outs[@]} -ge 6 ] || why "only ${#outs[@]} outputs to search"
		verdict audit/no-leak
	fi
	if want audit/ports-env; then
		AREP=""
		CUSTOMS_AUDIT_PORTS="8080/tcp, 99999" au_scan audit/ports-env image "oci:$AX/oci:risky"
		if [ -n "$AREP" ]; then
			[ "$(jq -c '[.misconfigurations[] | select(.id == "CS-IMG-002") | .message] | sort' "$AREP")" = \
				'["exposes 22/tcp (ssh)","exposes 8080/tcp (listed in CUSTOMS_AUDIT_PORTS)"]' ] ||
				why "CS-IMG-002: $(jq -c '[.misconfigurations[] | select(.id == "CS-IMG-002") | .message]' "$AREP")"
			grep -q '^customs: warning: CUSTOMS_AUDIT_PORTS: 1 entries' "$AERR" || why "no warning for the bad entry"
		fi
		verdict audit/ports-env
	fi
	if want audit/scanners; then
		cwd=$(fresh_cwd audit/scanners)
		run_scanner audit/scanners "$cwd" "$TIMEOUT" image --scanners secret --format json --output out.json "oci:$AX/oci:risky"
		stderr_shape
		if [ -f "$cwd/out.json" ] && report_ok audit/scanners "$cwd/out.json"; then
			[ "$(jq '.misconfigurations | length' "$cwd/out.json")" = 0 ] || why "misconfigurations without 'config' in --scanners"
		else
			why "no report"
		fi
		verdict audit/scanners
	fi
}

# au_clean NAME ALLOWED_JQ image|rootfs TARGET: the report's findings are
# all allowed by ALLOWED_JQ (a jq filter true for a documented finding);
# any other is listed.
au_clean() {
	local name=$1 allowed=$2 bad
	shift 2
	want "$name" || return 0
	au_scan "$name" "$@"
	if [ -n "$AREP" ]; then
		bad=$(jq -c "[.misconfigurations[] | select(($allowed) | not) | [.id, .path, .layer.index, .severity]]" "$AREP")
		[ "$bad" = "[]" ] || why "undocumented findings: $(printf '%s' "$bad" | head -c 400)"
		echo "# $name: $(jq -c '[.misconfigurations[].id] | group_by(.) | map("\(.[0]) x\(length)")' "$AREP"), ${CS_SECS}s"
	fi
	verdict "$name"
}

# What a well-built Debian image still shows: no HEALTHCHECK, and the setuid
# and setgid files of the base's own packages (low, layer 0).
AU_DEBIAN_OK='.id == "CS-IMG-003" or (.id == "CS-IMG-020" and .severity == "low" and .layer.index == 0 and (.message | test("of package ")))'

au_clean_images() {
	local dir AD=$SHARED/test-data/images/trivy-fanal v
	if want 'audit/clean-sample'; then
		if dir=$(cached_image build-images.sh); then
			au_clean audit/clean-sample "$AU_DEBIAN_OK" image "oci:$dir/oci:sample"
			au_clean audit/clean-sample-rootfs '.id == "CS-IMG-020" and .severity == "low" and .layer == null' \
				rootfs "$dir/rootfs"
		else
			skip "audit/clean-sample*" "no sample image (sudo scripts/build-images.sh): NOT CHECKED"
		fi
	fi
	if want 'audit/clean-bullseye'; then
		if dir=$(cached_image build-bullseye.sh); then
			au_clean audit/clean-bullseye "$AU_DEBIAN_OK or .id == \"CS-IMG-001\"" image "oci:$dir/oci:bullseye"
		else
			skip audit/clean-bullseye "no bullseye image (sudo scripts/build-bullseye.sh): NOT CHECKED"
		fi
	fi
	if want 'audit/clean-lang'; then
		if dir=$(cached_image build-lang.sh); then
			au_clean audit/clean-lang "$AU_DEBIAN_OK or .id == \"CS-IMG-001\"" image "$dir/lang.docker.tar"
		else
			skip audit/clean-lang "no lang image (sudo scripts/build-lang.sh): NOT CHECKED"
		fi
	fi
	for v in 310 311; do
		want "audit/clean-alpine-$v" || continue
		if [ -f "$AD/alpine-$v.tar.gz" ]; then
			au_clean "audit/clean-alpine-$v" '.id == "CS-IMG-001" or .id == "CS-IMG-003"' image "$AD/alpine-$v.tar.gz"
		else
			skip "audit/clean-alpine-$v" "$AD/alpine-$v.tar.gz missing"
		fi
	done
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin audit
	au_risky
	au_clean_images
	group_end
fi
