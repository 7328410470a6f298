# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# base.sh - the base image group of tests/e2e/run.sh (sourced by it, before
# the schema group, so that its reports are validated too). The images are
# the project's own: the sample image (scripts/build-images.sh: layer 0 is
# the Debian root filesystem mmdebstrap made) and the lang image built on top
# of it (scripts/build-lang.sh: the sample's 5 layers, then 4 more), and the
# two real Alpine archives in shared/test-data. See docs/base-image.md.
#
#   base/add             `customs base add --approved` of the sample image:
#                        the catalog holds its config digest and diff_ids as the
#                        archive's own manifest and config say; the Debian root
#                        (the sample's layer 0) added by hand; `base list`
#   base/lang-catalog    the lang image against that catalog: the sample by
#                        name, approved, layers [0, 4] (the longest match, not
#                        the root), the OS, and the finding split recounted
#                        from the report's own vulnerabilities
#   base/lang-root       a catalog of the Debian root alone: layers [0, 0], not
#                        approved, the split recounted
#   base/lang-boundary   a catalog entry of the sample's first 3 layers: [0, 2],
#                        and the findings of layer 2 counted as the base's
#   base/sample-catalog  the sample image is its own catalog entry: [0, 4]
#   base/table           the table's "Base image" block says the same numbers
#   base/lang-history    no catalog: the history's last base terminator (the
#                        sample's final CMD) gives [0, 4]; the base-name label
#                        was set inside the sample, so the OS release names it
#   base/sample-history  the sample's CMD ["bash"] gives [0, 0]; its label names it
#   base/default-catalog the catalog from $CUSTOMS_BASE_CATALOG, and from
#                        ~/.config/customs/ (`base add` without --catalog)
#   base/alpine-310, base/alpine-311
#                        past end of life (3.10: 2021-05-01, 3.11: 2021-11-01),
#                        the root layer as the base; and not yet past it with
#                        SOURCE_DATE_EPOCH at 2021-01-01
#   base/bad-catalog     a malformed catalog: exit 3, one error line naming the
#                        file, no report; `base add` leaves it as it was
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, first_error, error_lines, PY, SHARED, root,
# E2E_TMP, TIMEOUT, CUSTOMS.

BASE_CASES="add lang-catalog lang-root lang-boundary sample-catalog table lang-history sample-history default-catalog alpine-310 alpine-311 bad-catalog"

# base_scan NAME TARGET [ARGS...]: a JSON scan into CWD/out.json (vuln and
# base scanners), exit 0, stderr well formed, report kept for the schema
# pass. Sets BREP (the report, empty when there is none).
base_scan() {
	local name=$1 target=$2 cwd
	shift 2
	cwd=$(fresh_cwd "$name")
	BREP=""
	run_scanner "$name" "$cwd" "$TIMEOUT" image --scanners vuln,base "$@" --format json --output out.json "$target"
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	if [ -f "$cwd/out.json" ] && report_ok "$name" "$cwd/out.json"; then
		BREP=$cwd/out.json
	else
		why "no report"
	fi
}

# The base object against the facts in $c (a JSON object: name, method,
# approved, layers, os, eol, eol_date, each when given), and the split
# recounted from the report's vulnerabilities; one complaint a line.
# shellcheck disable=SC2016 # a jq program
BASE_CHECK_JQ='
def show: tojson | if length > 200 then .[0:200] + "..." else . end;
. as $r | ($r.base // null) as $b |
if $b == null then "no base object" else
  ($c | to_entries[] | select(.key != "eol_today") | . as $e |
    if $b[$e.key] == $e.value then empty else "base.\($e.key) \($b[$e.key] | show), want \($e.value | show)" end),
  ("\($r.artifact.os.family) \($r.artifact.os.version)" as $os |
    if $b.os == $os then empty else "base.os \($b.os | show), want \($os | show)" end),
  (if ($b.eol_date | type) == "string" and ($b.eol_date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) then
     (if $c.eol_today == null or $b.eol == ($c.eol_today > $b.eol_date) then empty
      else "base.eol \($b.eol) but today is \($c.eol_today) and eol_date \($b.eol_date)" end)
   else "base.eol_date \($b.eol_date | show) is not a date" end),
  ([$r.vulnerabilities[]? | select(.suppressed == null)] as $v |
   (if $b.layers == null then -1 else $b.layers[1] end) as $last |
   [$v[] | select($last >= 0 and .layer != null and .layer.index <= $last)] as $base |
   {base: ($base | length), application: (($v | length) - ($base | length)),
    fixed_by_rebuild: ([$base[] | select(.fixed_version != null)] | length)} as $want |
   if $b.findings == $want then empty else "base.findings \($b.findings | show), recounted \($want | show)" end)
end'

# base_check REPORT FACTS_JSON
base_check() {
	local out line
	[ -n "$1" ] || return
	if ! out=$(jq -r --argjson c "$2" "$BASE_CHECK_JQ" "$1" 2>&1); then
		why "report check failed: $(printf '%s' "$out" | head -c 200)"
		return
	fi
	while IFS= read -r line; do
		[ -n "$line" ] && why "$line"
	done <<<"$out"
}

# base_images: sets BS (the sample image's directory) and BL (the lang
# image's), empty when they are not cached and cannot be built (not root).
base_images() {
	BS="" BL=""
	if ! BS=$(cd "$root" && scripts/build-images.sh 2>"$E2E_TMP/base-build-images.log" | tail -1) ||
		[ ! -f "$BS/complete" ]; then
		BS=""
	elif ! BL=$("$root/scripts/build-lang.sh" 2>"$E2E_TMP/base-build-lang.log" | tail -1) ||
		[ ! -f "$BL/complete" ]; then
		BL=""
	fi
}

base_group() {
	local any=0 c B cat cwd today sample_ids root_id sample_id n facts
	for c in $BASE_CASES; do want "base/$c" && any=1; done
	[ $any = 1 ] || return 0
	B=$E2E_TMP/base
	mkdir -p "$B"
	today=$(date -u +%F)
	# No catalog unless a case gives one: a developer's own stays out of it.
	export CUSTOMS_BASE_CATALOG=$B/no-such-catalog.json
	base_images
	if [ -z "$BS" ] || [ -z "$BL" ]; then
		skip "base/(add|lang-*|sample-*|table|default-catalog|bad-catalog)" \
			"the sample or lang image is not cached and building it needs root (sudo scripts/build-images.sh; sudo scripts/build-lang.sh): THE BASE CATALOG CASES DID NOT RUN"
	else
		base_catalog_cases
	fi
	base_alpine_cases
	unset CUSTOMS_BASE_CATALOG
}

base_catalog_cases() {
	local cat=$B/catalogs/bases.json manifest cfg sample_ids root_id sample_id lang_ids cwd facts n rep_lang
	# The oracle: what the archives themselves say (manifest.json, config).
	manifest=$(tar -xOf "$BS/sample.docker.tar" manifest.json)
	cfg=$(jq -r '.[0].Config' <<<"$manifest")
	sample_id=sha256:$(basename "$cfg" .json)
	sample_ids=$(tar -xOf "$BS/sample.docker.tar" "$cfg" | jq -c '.rootfs.diff_ids')
	root_id=$(jq -r '.[0]' <<<"$sample_ids")
	lang_ids=$(tar -xOf "$BL/lang.docker.tar" "$(tar -xOf "$BL/lang.docker.tar" manifest.json | jq -r '.[0].Config')" |
		jq -c '.rootfs.diff_ids')
	n=$(jq length <<<"$sample_ids")
	if [ "$(jq -c ".[0:$n]" <<<"$lang_ids")" != "$sample_ids" ]; then
		fail base/setup "the lang image does not start with the sample's layers: rebuild them (scripts/build-lang.sh)"
		return
	fi
	echo "# base: sample $BS ($n layers), lang $BL ($(jq length <<<"$lang_ids") layers)"

	# base/add: the sample, approved, under a name of our own; then the Debian root by hand
	cwd=$(fresh_cwd base/add)
	run_scanner base/add "$cwd" "$TIMEOUT" base add --catalog "$cat" --approved --name customs/sample:1 \
		"docker-archive:$BS/sample.docker.tar"
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	grep -q "^recorded customs/sample:1 ($n layers, approved) in $cat\$" "$CS_OUT" ||
		why "stdout: $(head -c 200 "$CS_OUT")"
	if [ -f "$cat" ]; then
		jq -e --arg d "$sample_id" --argjson ids "$sample_ids" \
			'.images | length == 1 and .[0].name == "customs/sample" and .[0].tag == "1" and .[0].digest == $d
			 and .[0].diff_ids == $ids and .[0].approved == true' "$cat" >/dev/null ||
			why "catalog: $(jq -c . "$cat" | head -c 300)"
		[ -z "$(find "$(dirname "$cat")" -name '*.customs-*')" ] || why "a temporary file was left beside the catalog"
		# the Debian root filesystem of build-images.sh: the sample's first layer, known, not approved
		jq --arg r "$root_id" '.images += [{name: "debian-root", tag: "bookworm", diff_ids: [$r], approved: false}]' \
			"$cat" >"$cat.tmp" && mv "$cat.tmp" "$cat"
		run_scanner base/add-list "$cwd" "$TIMEOUT" base list --catalog "$cat"
		[ "$CS_RC" = 0 ] || why "base list: exit $CS_RC"
		grep -Eq '^customs/sample:1 +yes +5 ' "$CS_OUT" && grep -Eq '^debian-root:bookworm +no +1 ' "$CS_OUT" ||
			why "base list: $(tr '\n' '|' <"$CS_OUT" | head -c 300)"
		# adding it again replaces it (same digest)
		run_scanner base/add-again "$cwd" "$TIMEOUT" base add --catalog "$cat" --approved --name customs/sample:1 \
			"docker-archive:$BS/sample.docker.tar"
		[ "$(jq '.images | length' "$cat")" = 2 ] || why "adding the same image again changed the count"
	else
		why "no catalog written at $cat"
	fi
	verdict base/add
	[ -f "$cat" ] || return

	if want base/lang-catalog; then
		base_scan base/lang-catalog "docker-archive:$BL/lang.docker.tar" --base-catalog "$cat"
		facts=$(jq -nc --arg t "$today" --argjson l "$((n - 1))" \
			'{name: "customs/sample:1", method: "catalog", approved: true, layers: [0, $l], eol_today: $t}')
		base_check "$BREP" "$facts"
		if [ -n "$BREP" ]; then
			jq -e '[.vulnerabilities[]?] | length > 0' "$BREP" >/dev/null || why "no vulnerabilities to split (is the database imported?)"
		fi
		rep_lang=$BREP
		verdict base/lang-catalog
	fi
	if want base/lang-root; then
		jq '{images: [.images[] | select(.name == "debian-root")]}' "$cat" >"$B/catalogs/root.json"
		base_scan base/lang-root "docker-archive:$BL/lang.docker.tar" --base-catalog "$B/catalogs/root.json"
		base_check "$BREP" "$(jq -nc --arg t "$today" \
			'{name: "debian-root:bookworm", method: "catalog", approved: false, layers: [0, 0], eol_today: $t}')"
		verdict base/lang-root
	fi
	if want base/lang-boundary; then
		# the sample's first three layers: its own application layer (2), where the findings are, ends the base
		jq '{images: [.images[] | select(.name == "customs/sample") | .name = "customs/sample-app" | del(.digest)
			| .diff_ids = .diff_ids[0:3]]}' "$cat" >"$B/catalogs/boundary.json"
		base_scan base/lang-boundary "docker-archive:$BL/lang.docker.tar" --base-catalog "$B/catalogs/boundary.json"
		base_check "$BREP" "$(jq -nc --arg t "$today" \
			'{name: "customs/sample-app:1", method: "catalog", approved: true, layers: [0, 2], eol_today: $t}')"
		if [ -n "$BREP" ]; then
			jq -e '[.vulnerabilities[]? | select(.layer.index == 2)] | length > 0' "$BREP" >/dev/null ||
				why "no finding in layer 2: the boundary is not tested"
		fi
		verdict base/lang-boundary
	fi
	if want base/sample-catalog; then
		base_scan base/sample-catalog "oci:$BS/oci:sample" --base-catalog "$cat"
		base_check "$BREP" "$(jq -nc --arg t "$today" --argjson l "$((n - 1))" \
			'{name: "customs/sample:1", method: "catalog", approved: true, layers: [0, $l], eol_today: $t}')"
		verdict base/sample-catalog
	fi
	if want base/table && [ -n "${rep_lang:-}" ]; then
		cwd=$(fresh_cwd base/table)
		run_scanner base/table "$cwd" "$TIMEOUT" image --scanners vuln,base --base-catalog "$cat" --format table \
			"docker-archive:$BL/lang.docker.tar"
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		local sentence
		sentence=$(jq -r '.base.findings | "\(.base) of \(.base + .application) vulnerabilities come from the base; rebuilding on a patched base fixes \(.fixed_by_rebuild)"' "$rep_lang")
		grep -q '^Base image$' "$CS_OUT" || why "no 'Base image' block"
		grep -q '^  Name      customs/sample:1 (catalog, approved)$' "$CS_OUT" || why "no name line"
		grep -q "^  Layers    0-$((n - 1)) of $(jq length <<<"$lang_ids")\$" "$CS_OUT" || why "no layers line"
		grep -qF "  $sentence" "$CS_OUT" || why "no line '$sentence'"
		grep -Eq '^  OS        debian 12(\.[0-9]+)*, (supported until|END OF LIFE)' "$CS_OUT" || why "no OS line"
		verdict base/table
	fi
	if want base/lang-history; then
		base_scan base/lang-history "docker-archive:$BL/lang.docker.tar"
		base_check "$BREP" "$(jq -nc --arg t "$today" --argjson l "$((n - 1))" \
			'{name: "debian:12", method: "history", approved: false, layers: [0, $l], eol_today: $t}')"
		verdict base/lang-history
	fi
	if want base/sample-history; then
		base_scan base/sample-history "docker-archive:$BS/sample.docker.tar"
		base_check "$BREP" "$(jq -nc --arg t "$today" \
			'{name: "debian:bookworm", method: "history", approved: false, layers: [0, 0], eol_today: $t}')"
		verdict base/sample-history
	fi
	if want base/default-catalog; then
		# $CUSTOMS_BASE_CATALOG
		CUSTOMS_BASE_CATALOG=$cat
		base_scan base/default-catalog "docker-archive:$BL/lang.docker.tar"
		base_check "$BREP" '{"name": "customs/sample:1", "method": "catalog", "approved": true}'
		# ~/.config/customs/base-catalog.json, written by `base add` without --catalog
		unset CUSTOMS_BASE_CATALOG
		local home=$B/home old_home=$HOME old_xdg=${XDG_CONFIG_HOME-unset}
		mkdir -p "$home"
		export HOME=$home
		unset XDG_CONFIG_HOME
		cwd=$(fresh_cwd base/default-catalog-add)
		run_scanner base/default-catalog "$cwd" "$TIMEOUT" base add --name example/base:7 \
			"docker-archive:$BS/sample.docker.tar"
		[ "$CS_RC" = 0 ] || why "base add without --catalog: exit $CS_RC: $(first_error | head -c 200)"
		[ -f "$home/.config/customs/base-catalog.json" ] || why "no catalog in ~/.config/customs"
		base_scan base/default-catalog-home "docker-archive:$BL/lang.docker.tar"
		base_check "$BREP" '{"name": "example/base:7", "method": "catalog", "approved": false}'
		export HOME=$old_home
		[ "$old_xdg" = unset ] || export XDG_CONFIG_HOME=$old_xdg
		export CUSTOMS_BASE_CATALOG=$B/no-such-catalog.json
		verdict base/default-catalog
	fi
	if want base/bad-catalog; then
		local bad=$B/catalogs/bad.yaml before
		printf 'images:\n  - name: debian\n    diff_ids: [sha256:1234]\n' >"$bad"
		before=$(sha256sum <"$bad")
		cwd=$(fresh_cwd base/bad-catalog)
		run_scanner base/bad-catalog "$cwd" "$TIMEOUT" image --scanners base --base-catalog "$bad" --format json \
			--output out.json "docker-archive:$BS/sample.docker.tar"
		stderr_shape
		[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
		[ "$(error_lines)" = 1 ] || why "$(error_lines) error lines, want 1"
		first_error | grep -q "base catalog '$bad': images\[0\]\.diff_ids\[0\] is not a sha256 digest" ||
			why "error: $(first_error | head -c 200)"
		[ -e "$cwd/out.json" ] && why "a report was written"
		run_scanner base/bad-catalog-add "$cwd" "$TIMEOUT" base add --catalog "$bad" --name x:1 \
			"docker-archive:$BS/sample.docker.tar"
		[ "$CS_RC" = 3 ] || why "base add: exit $CS_RC, want 3"
		[ "$(sha256sum <"$bad")" = "$before" ] || why "base add changed the malformed catalog"
		verdict base/bad-catalog
	fi
}

base_alpine_cases() {
	local AD=$SHARED/test-data/images/trivy-fanal v date
	for v in 310 311; do
		want "base/alpine-$v" || continue
		if [ ! -f "$AD/alpine-$v.tar.gz" ]; then
			skip "base/alpine-$v" "$AD/alpine-$v.tar.gz missing"
			continue
		fi
		case $v in 310) date=2021-05-01 ;; *) date=2021-11-01 ;; esac
		base_scan "base/alpine-$v" "$AD/alpine-$v.tar.gz"
		base_check "$BREP" "$(jq -nc --arg n "alpine:${v:0:1}.${v:1}" --arg d "$date" \
			'{name: $n, method: "root-layer", layers: [0, 0], approved: false, eol: true, eol_date: $d}')"
		# the report's time decides: on 2021-01-01 neither had ended
		SOURCE_DATE_EPOCH=1609459200
		export SOURCE_DATE_EPOCH
		base_scan "base/alpine-$v-2021" "$AD/alpine-$v.tar.gz"
		unset SOURCE_DATE_EPOCH
		base_check "$BREP" "$(jq -nc --arg d "$date" '{eol: false, eol_date: $d}')"
		verdict "base/alpine-$v"
	done
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin base
	base_group
	group_end
fi
