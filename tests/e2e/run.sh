#!/usr/bin/env bash
# run.sh - end-to-end tests of the customs binary.
#
#   CUSTOMS=build/customs tests/e2e/run.sh        (make e2e; make check-san
#                                                 runs it on build/asan/customs)
#
# Groups, in order (each prints its time):
#   fixtures  generate tests/e2e/make_bad.py's small and hostile images (cached
#             by the script's hash) and check them with skopeo, gzip, zstd and
#             the OCI schemas, so a broken case is broken the way it says
#   cli       options, commands, exit codes, one-line errors, --output
#   small     the small valid image in every transport; platform selection
#   hostile   every hostile fixture in cases.json, run in an empty directory:
#             exit code, exactly one error line naming the input, no crash or
#             sanitizer report, bounded memory and time, no file written but
#             --output, nothing escaping through `..` or absolute names
#   rootfs    `customs rootfs` on directories whose links point out
#   alpine    the two real `docker save` archives in shared/test-data
#   sample    the image built by scripts/build-images.sh, in every transport,
#             against dpkg-query's own inventory of it (skipped, loudly, while
#             that script or its outputs are missing)
#   determinism, trivy (the sample's Debian packages beside Trivy's)
#   lang      tests/e2e/lang.sh: scripts/build-lang.sh's image of Node, Python,
#             Go and Java packages against npm ls, pip list, go version -m,
#             dpkg-query and the jars' pom.properties; and beside Trivy's
#             inventory (scripts/compare-trivy.sh)
#   vuln      tests/e2e/vuln.sh: vulnerability matching on real feeds
#   update    tests/e2e/update.sh: customs db update from a local feed server
#   secret    tests/e2e/secrets.sh: scripts/build-secrets.py's image of secrets
#             planted in every way a layer can hide one (deleted, overwritten,
#             hard link, opaque directory, long PAX name, gzip/zstd/plain
#             layers, config Env and history): exactly those findings, with
#             their layers, and never the secret in full in any output; zero
#             findings on the sample, bullseye, lang and Alpine images
#   audit     tests/e2e/audit.sh: scripts/build-risky.py's image of risky
#             settings: exactly its misconfigurations; only the documented
#             ones on the sample, bullseye, lang and Alpine images
#   dockerfile tests/e2e/dockerfile.sh: customs config on directories of
#             Dockerfiles (exact findings, exit codes, a missing file, a binary
#             one) and customs image --dockerfile on the real alpine:3.10 image
#   daemon    tests/e2e/daemon.sh: docker-daemon: and podman: against a
#             podman service the group starts on a temporary socket, and
#             docker archives from a pipe: the archive scan's report
#   registry  tests/e2e/registry.sh: customs pulling from Debian's
#             docker-registry on 127.0.0.1 (anonymous, HTTP Basic, bearer
#             tokens, TLS), the same reports as the archives, and every fault
#             (wrong password, missing tag, removed or truncated blobs, 5xx,
#             the registry killed mid-pull) a clear error without a report
#   report    tests/e2e/report.sh: every report format (tests/e2e/report_*.sh)
#             on two fixed images, against its official validator, a golden
#             file and the consumers it is for
#   policy    tests/e2e/policy.sh: gates, policies, ignore files, VEX and
#             baselines on a fixed vulnerable image, with the exit codes
#   schema    every JSON report above against docs/report.schema.json
#
# Environment: CUSTOMS (binary, default build/customs), E2E_ONLY (extended
# regex on case names: run a subset), E2E_KEEP=1 (keep the temp dir),
# CUSTOMS_CACHE (default ~/.cache/customs), CUSTOMS_SHARED (default ../shared
# beside the repo), E2E_MAX_RSS_MB, E2E_TIMEOUT (seconds per run).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$here/lib.sh"

CUSTOMS=${CUSTOMS:-build/customs}
case $CUSTOMS in /*) ;; *) CUSTOMS=$PWD/$CUSTOMS ;; esac
SHARED=${CUSTOMS_SHARED:-../shared}
case $SHARED in /*) ;; *) SHARED=$root/$SHARED ;; esac
CACHE=${CUSTOMS_CACHE:-$HOME/.cache/customs}
SCHEMA=$root/docs/report.schema.json

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/customs-e2e.XXXXXX") || exit 1
cleanup() {
	if [ -n "${E2E_KEEP:-}" ]; then
		echo "# kept $E2E_TMP"
	else
		chmod -R u+rwx "$E2E_TMP" 2>/dev/null
		rm -rf "$E2E_TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$E2E_TMP/runs" "$E2E_TMP/reports" "$E2E_TMP/work" "$E2E_TMP/scanner-tmp"

# No core files anywhere; sanitizers report to stderr with an exit code of
# their own, so a report can never pass for an ordinary exit 3.
ulimit -c 0
E2E_SAN_EXIT=86
export ASAN_OPTIONS="abort_on_error=0:exitcode=$E2E_SAN_EXIT:detect_leaks=1:disable_coredump=1:handle_abort=1:handle_segv=1:handle_sigbus=1:handle_sigfpe=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:detect_invalid_pointer_pairs=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=$E2E_SAN_EXIT${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="exitcode=$E2E_SAN_EXIT${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

IS_ASAN=0
TIMEOUT=${E2E_TIMEOUT:-60}
MAX_RSS_MB=${E2E_MAX_RSS_MB:-512}

# run_scanner NAME CWD [TIMEOUT] ARGS...: cs with the scanner's own TMPDIR.
run_scanner() {
	local name=$1 cwd=$2 limit=$3
	shift 3
	TMPDIR=$E2E_TMP/scanner-tmp cs "$name" "$cwd" "$limit" "$CUSTOMS" "$@"
}

# fresh_cwd NAME: a new empty working directory for one run.
fresh_cwd() {
	local d
	d="$E2E_TMP/work/$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_')"
	rm -rf "$d"
	mkdir -p "$d/cwd"
	printf '%s\n' "$d/cwd"
}

# stderr_shape: every stderr line is `customs: <level>: ...` (the contract
# has no other kind), and there is no crash.
stderr_shape() {
	check_crash
	local other
	other=$(grep -v -E '^customs: (error|warning): ' "$CS_ERR" | grep -v '^$' | head -1)
	[ -z "$other" ] || why "stderr line not of the form 'customs: error|warning: ...': $(printf '%s' "$other" | head -c 160)"
}

# one_error NEEDLES_JSON [REGEX]: exactly one error line, containing one of
# the needles, and matching REGEX.
one_error() {
	local n line needles=$1 regex=${2:-} hit=0 nd
	n=$(error_lines)
	if [ "$n" != 1 ]; then
		why "$n 'customs: error:' lines, want exactly 1$( [ "$n" -gt 1 ] && printf ' (%s)' "$(grep '^customs: error: ' "$CS_ERR" | head -3 | cut -c1-120 | tr '\n' '|')")"
		[ "$n" = 0 ] && return
	fi
	line=$(first_error)
	while IFS= read -r nd; do
		[ -n "$nd" ] || continue
		case $line in *"$nd"*) hit=1 ;; esac
	done < <(jq -r '.[]' <<<"$needles")
	[ "$needles" = '[""]' ] && hit=1
	[ $hit = 1 ] || why "error does not name the input (any of $(jq -c . <<<"$needles")): $(printf '%s' "$line" | head -c 200)"
	if [ -n "$regex" ] && ! printf '%s\n' "$line" | grep -Eqi -- "$regex"; then
		why "error does not match /$regex/: $(printf '%s' "$line" | head -c 200)"
	fi
}

# check_report FILE CHECK_JSON: the facts in CHECK_JSON (see make_bad.py's
# CASE FIELDS) against the report; prints one complaint per line.
# shellcheck disable=SC2016 # a jq program, single-quoted on purpose
CHECK_JQ='
def show: tojson | if length > 400 then .[0:400] + "..." else . end;
def eq($what; $got; $want):
  if $got == $want then empty else "\($what): got \($got | show), want \($want | show)" end;
def has_($k): has($k) and .[$k] != null;
. as $r | ($r.artifact // {}) as $a | $c |
  (if has_("packages") then
     eq("packages"; [$r.packages[]? | select(.type == "deb")
                     | [.name, .version, .arch, .source_name, .source_version]
                     | map(tostring) | join("\t")] | sort; .packages | sort)
   else empty end),
  (if has_("allowed_names") then
     ([$r.packages[]?.name] - .allowed_names) as $x
     | if $x == [] then empty else "packages that are not in the input (read from the host?): \($x | show)" end
   else empty end),
  (if has_("absent_names") then
     ([$r.packages[]?.name] - ([$r.packages[]?.name] - .absent_names)) as $x
     | if $x == [] then empty else "packages that must be absent: \($x | show)" end
   else empty end),
  (if has_("artifact_type") then eq("artifact.type"; $a.type; .artifact_type) else empty end),
  (if has_("image_id") then eq("image_id"; $a.image_id; .image_id) else empty end),
  (if has_("manifest_digest") then eq("manifest_digest"; $a.manifest_digest; .manifest_digest) else empty end),
  (if has_("diff_ids") then eq("layers[].diff_id"; [$a.layers[]?.diff_id]; .diff_ids) else empty end),
  (if has_("layer_digests") then eq("layers[].digest"; [$a.layers[]?.digest]; .layer_digests) else empty end),
  (if has_("media_types") then eq("layers[].media_type"; [$a.layers[]?.media_type]; .media_types) else empty end),
  (if has_("layer_sizes") then eq("layers[].size"; [$a.layers[]?.size]; .layer_sizes) else empty end),
  (if has_("layer_count") then eq("number of layers"; ($a.layers // []) | length; .layer_count) else empty end),
  (if has_("created_by") then eq("layers[].created_by"; [$a.layers[]?.created_by]; .created_by) else empty end),
  (if .created_by_nonempty == true then
     [$a.layers[]? | select((.created_by | type) != "string" or .created_by == "")] | length
     | if . == 0 and (($a.layers // []) | length) > 0 then empty else "layers without created_by: \(.)" end
   else empty end),
  (if has_("tar_sizes") then eq("layers[].tar_size"; [$a.layers[]?.tar_size]; .tar_sizes) else empty end),
  (if has_("compression_re") then
     [$a.layers[]?.compression | tostring | select(test($c.compression_re) | not)]
     | if . == [] then empty else "layers[].compression not /\($c.compression_re)/: \(show)" end
   else empty end),
  (if has_("architecture") then eq("architecture"; $a.architecture; .architecture) else empty end),
  (if has_("repo_tags") then eq("repo_tags"; $a.repo_tags; .repo_tags) else empty end),
  (if has_("os_family") then eq("os.family"; $a.os.family?; .os_family) else empty end),
  (if has_("os_version") then eq("os.version"; $a.os.version?; .os_version) else empty end),
  (if has_("os_version_re") then
     if ($a.os.version? | type) == "string" and ($a.os.version | test($c.os_version_re)) then empty
     else "os.version \($a.os.version? | show) does not match /\(.os_version_re)/" end
   else empty end),
  (if .os_null == true then eq("os"; $a.os; null) else empty end),
  (if has_("layer_index") then
     .layer_index | to_entries[] | . as $e
     | [$r.packages[]? | select(.name == $e.key)] as $p
     | if ($p | length) == 0 then "package \($e.key) missing"
       elif $p[0].layer.index? != $e.value then "package \($e.key): layer.index \($p[0].layer.index? | show), want \($e.value)"
       elif $p[0].layer.diff_id? != $a.layers[$e.value].diff_id? then "package \($e.key): layer.diff_id is not that of artifact.layers[\($e.value)]"
       else empty end
   else empty end),
  (if .layer_null == true then
     [$r.packages[]? | select(.layer != null) | .name]
     | if . == [] then empty else "packages with a layer in a rootfs scan: \(show)" end
   else empty end),
  (if .diagnostics_error == true then
     if [$r.diagnostics[]? | select(.level == "error")] | length > 0 then empty
     else "report has no error diagnostic" end
   else empty end)
'
check_report() {
	local out
	if ! out=$(jq -r --argjson c "$2" "$CHECK_JQ" "$1" 2>&1); then
		why "report check failed: $(printf '%s' "$out" | head -c 200)"
		return
	fi
	while IFS= read -r line; do
		[ -n "$line" ] && why "$line"
	done <<<"$out"
}

# report_ok NAME FILE: strict JSON, kept for the schema pass.
report_ok() {
	local err
	if err=$(json_strict "$2"); then
		keep_report "$1" "$2"
		return 0
	fi
	why "report is not strict JSON/UTF-8: $(printf '%s' "$err" | head -c 160)"
	return 1
}

# report_checked NAME CWD CHECK_JSON: the run left out.json in CWD, strict
# JSON (kept for the schema pass) with the facts in CHECK_JSON; false, after
# "no report", when it did not.
report_checked() {
	if [ -f "$2/out.json" ] && report_ok "$1" "$2/out.json"; then
		check_report "$2/out.json" "$3"
		return 0
	fi
	why "no report"
	return 1
}

# table_pairs FILE ROWS_FILE: each "name\tversion..." row's name and version
# are on one line of the table (tokens split on blanks and box characters).
table_pairs() {
	local missing
	missing=$(awk -F'\t' '
		FNR == NR { want[$1 "\t" $2] = 1; n++; next }
		{
			gsub(/[|│┃║]/, " ")
			k = split($0, t, /[ \t]+/)
			for (i = 1; i <= k; i++) tok[t[i]] = 1
			for (p in want) {
				split(p, nv, "\t")
				if ((nv[1] in tok) && (nv[2] in tok)) found[p] = 1
			}
			delete tok
		}
		END { for (p in want) if (!(p in found)) { sub(/\t/, " ", p); print p } }
	' "$2" "$1" | head -5 | tr '\n' ',')
	[ -z "$missing" ] || why "table lacks package rows: $missing"
}

# no_control FILE: no control bytes but tab and newline (terminal injection).
no_control() {
	"$PY" -c '
import sys
d = open(sys.argv[1], "rb").read()
bad = sorted({b for b in d if (b < 32 and b not in (9, 10)) or b == 127})
sys.exit("control bytes %s" % bad if bad else 0)' "$1" 2>&1 | head -c 160
	return "${PIPESTATUS[0]}"
}

# escapes: paths that a `..` or absolute member or link might create.
escape_probe() {
	local p
	for p in /escape /abs /tmp/escape "$CACHE/escape" "$(dirname "$E2E_TMP")/escape"; do
		[ -e "$p" ] && printf '%s\n' "$p"
	done
	find "$E2E_TMP" "${FX:-$E2E_TMP}" \( -name escape -o -name abs \) 2>/dev/null
}

# side_effects CWD REPORT_NAME: only the report in CWD, nothing new in the
# fixtures, the scanner's TMPDIR empty, nothing escaped.
side_effects() {
	local cwd=$1 rep=$2 extra
	extra=$(cd "$cwd" && find . -mindepth 1 -printf '%P\n' | grep -vxF "$rep" | head -3 | tr '\n' ' ')
	[ -z "$extra" ] || why "created in the working directory: $extra"
	extra=$(find "$E2E_TMP/scanner-tmp" -mindepth 1 -printf '%P\n' | head -3 | tr '\n' ' ')
	if [ -n "$extra" ]; then
		why "left in TMPDIR: $extra"
		rm -rf "${E2E_TMP:?}/scanner-tmp/"* 2>/dev/null
	fi
	if [ -n "${FX:-}" ] && [ "$(listing "$FX" | sha256sum)" != "$FX_LISTING" ]; then
		why "the fixture directory changed"
		FX_LISTING=$(listing "$FX" | sha256sum)
	fi
	extra=$(escape_probe | sort)
	if [ "$extra" != "$ESCAPE_BEFORE" ]; then
		why "file escaped: $(comm -13 <(printf '%s\n' "$ESCAPE_BEFORE") <(printf '%s\n' "$extra") | head -3 | tr '\n' ' ')"
		ESCAPE_BEFORE=$extra
	fi
}

# rss_bound: peak memory under the limit.
rss_bound() {
	local mb=$((CS_RSS_KB / 1024))
	[ "$mb" -le "$MAX_RSS_MB" ] || why "peak RSS ${mb} MiB > ${MAX_RSS_MB} MiB"
}

# ------------------------------------------------------------------- setup

SETUP_OK=1
for tool in jq python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "setup/$tool" "$tool not found (scripts/deps.sh test installs it)"
		SETUP_OK=0
	fi
done
# Debian's python3 starts in 15 ms; a version manager's shim can take 100
# (and this runner starts python a few hundred times).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
if [ $SETUP_OK = 0 ]; then
	e2e_summary
	exit 1
fi

HAVE_BIN=1
if [ ! -x "$CUSTOMS" ]; then
	fail "setup/binary" "no scanner at $CUSTOMS (make build/customs); scanner cases not run"
	HAVE_BIN=0
else
	if grep -aq -e __asan_init -e __ubsan_handle "$CUSTOMS" 2>/dev/null ||
		{ command -v ldd >/dev/null && ldd "$CUSTOMS" 2>/dev/null | grep -q libasan; }; then
		IS_ASAN=1
		TIMEOUT=${E2E_TIMEOUT:-300}
		MAX_RSS_MB=${E2E_MAX_RSS_MB:-2048}
		# LeakSanitizer needs ptrace, which some sandboxes refuse: say so
		# loudly and go on without it rather than fail every case.
		cs lsan-probe "$E2E_TMP" 60 "$CUSTOMS" version
		if grep -q 'LeakSanitizer has encountered a fatal error\|LeakSanitizer does not work' "$CS_ERR"; then
			echo "# WARNING: LeakSanitizer cannot run here; detect_leaks=0 for this run"
			export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
		fi
	fi
fi
echo "# customs: $CUSTOMS$( [ $IS_ASAN = 1 ] && echo ' (sanitizers)'); timeout ${TIMEOUT}s, max RSS ${MAX_RSS_MB} MiB"

# Every scan runs the vuln scanner, which needs a database: the real feed
# snapshot in the shared test data, imported once per run (a few seconds).
if [ $HAVE_BIN = 1 ] && [ -z "${CUSTOMS_DB:-}" ]; then
	export CUSTOMS_DB=$E2E_TMP/vulndb.sqlite
	if ! "$CUSTOMS" db import --quiet --db "$CUSTOMS_DB" "$SHARED/test-data/vulndb" 2>"$E2E_TMP/db-import.log"; then
		fail setup/vulndb "customs db import failed: $(head -2 "$E2E_TMP/db-import.log" | tr '\n' ' ')"
	fi
fi

# ---------------------------------------------------------------- fixtures

FX=""
FX_LISTING=""
ESCAPE_BEFORE=$(escape_probe | sort)

group_begin fixtures
fx_hash=$(sha256sum <"$here/make_bad.py" | cut -c1-12)
FX=$CACHE/e2e-fixtures-$fx_hash
# a run that saw the scanner write into the fixtures leaves them suspect:
# they are made anew when they differ from what make_bad.py wrote
if [ -f "$FX/cases.json" ] && [ "$(listing "$FX" | sha256sum)" != "$(cat "$FX.listing" 2>/dev/null)" ]; then
	echo "# fixtures in $FX changed since they were made: making them again"
	chmod -R u+rwx "$FX" 2>/dev/null
	rm -rf "$FX"
fi
if [ ! -f "$FX/cases.json" ]; then
	mkdir -p "$CACHE"
	rm -rf "$FX.tmp.$$"
	if "$PY" "$here/make_bad.py" "$FX.tmp.$$" >"$E2E_TMP/make_bad.log" 2>&1 &&
		mv "$FX.tmp.$$" "$FX" && listing "$FX" | sha256sum >"$FX.listing"; then
		# older generations of the fixtures are of no further use
		for old in "$CACHE"/e2e-fixtures-*; do
			case $old in "$FX" | "$FX.listing" | *.tmp.*) ;; *) rm -rf "$old" ;; esac
		done
		ok fixtures/generate
	else
		fail fixtures/generate "make_bad.py failed: $(tail -3 "$E2E_TMP/make_bad.log" | tr '\n' ' ')"
		rm -rf "$FX.tmp.$$"
		FX=""
	fi
else
	ok fixtures/generate
fi
ESCAPE_BEFORE=$(escape_probe | sort)
[ -n "$FX" ] && FX_LISTING=$(listing "$FX" | sha256sum)

# oci_blob SRC DIGEST: a blob of an OCI layout directory or archive.
oci_cat() {
	if [ -d "$1" ]; then cat "$1/$2"; else tar -xOf "$1" "$2"; fi
}
oci_blob() { oci_cat "$1" "blobs/${2%%:*}/${2#*:}"; }
# oci_manifest_digest SRC TAG: the digest that TAG (or the only entry) names.
oci_manifest_digest() {
	oci_cat "$1" index.json | jq -r --arg t "$2" '
		[.manifests[] | select($t == "" or .annotations["org.opencontainers.image.ref.name"] == $t)][0].digest'
}

if [ -n "$FX" ] && want fixtures/skopeo; then
	if command -v skopeo >/dev/null 2>&1; then
		sk=$E2E_TMP/skopeo
		mkdir -p "$sk"
		gunzip -c "$FX/good-docker.tar.gz" >"$sk/gunzipped.tar"
		n=0
		for t in "oci:$FX/good-oci:small" "oci:$FX/good-oci" "oci-archive:$FX/good-oci.tar:small" \
			"oci:$FX/good-oci-zstd:small" "oci:$FX/good-oci-plain:small" "oci:$FX/good-oci-mixed:small" \
			"oci:$FX/good-oci-nested:small" "docker-archive:$FX/good-docker.tar" \
			"docker-archive:$FX/good-docker.tar:customs-e2e/small:1" "docker-archive:$sk/gunzipped.tar" \
			"--all oci:$FX/good-multi:multi"; do
			n=$((n + 1))
			# shellcheck disable=SC2086
			skopeo copy -q $t "dir:$sk/$n" >"$sk/log" 2>&1 || why "skopeo cannot copy $t: $(tail -1 "$sk/log" | head -c 200)"
		done
		verdict fixtures/skopeo-valid
		for t in "oci:$FX/blob-digest-mismatch" "oci:$FX/missing-blob" "oci:$FX/missing-config" \
			"oci:$FX/config-digest-mismatch" "oci:$FX/index-self" \
			"docker-archive:$FX/diffid-mismatch-docker.tar" "docker-archive:$FX/missing-layer-docker.tar"; do
			n=$((n + 1))
			skopeo copy -q "$t" "dir:$sk/$n" >"$sk/log" 2>&1 && why "skopeo copies $t, which should be broken"
		done
		verdict fixtures/skopeo-broken
		rm -rf "$sk"
	else
		skip fixtures/skopeo "skopeo not installed (scripts/deps.sh test)"
	fi
fi

if [ -n "$FX" ] && want fixtures/streams; then
	# the damaged layers really are damaged, and the originals are not
	for c in gzip-corrupt:gzip gzip-truncated:gzip zstd-corrupt:zstd zstd-truncated:zstd good-oci:gzip good-oci-zstd:zstd; do
		name=${c%%:*} tool=${c#*:}
		md=$(oci_manifest_digest "$FX/$name" "")
		ld=$(oci_blob "$FX/$name" "$md" | jq -r '.layers[1].digest')
		if oci_blob "$FX/$name" "$ld" | "$tool" -t -q - 2>/dev/null; then
			case $name in good-*) ;; *) why "$name: '$tool -t' accepts layer 1" ;; esac
		else
			case $name in good-*) why "$name: '$tool -t' rejects layer 1" ;; esac
		fi
	done
	verdict fixtures/streams
fi

if [ -n "$FX" ] && want fixtures/oci-schema; then
	if command -v node >/dev/null 2>&1 && NP=$(validators_setup); then
		docs=$E2E_TMP/ocidocs
		mkdir -p "$docs"
		n=0
		for d in good-oci good-oci-zstd good-oci-plain good-oci-nested good-multi; do
			cp "$FX/$d/index.json" "$docs/$d.index.json"
			for b in "$FX/$d"/blobs/sha256/*; do
				n=$((n + 1))
				mt=$(jq -r '.mediaType // (if .rootfs then "config" else "" end)' "$b" 2>/dev/null) || continue
				case $mt in
				*manifest.v1+json) cp "$b" "$docs/$d.$n.manifest.json" ;;
				*index.v1+json) cp "$b" "$docs/$d.$n.index.json" ;;
				config) cp "$b" "$docs/$d.$n.config.json" ;;
				esac
			done
		done
		S=$SHARED/schemas/oci-image
		for kind in index:image-index-schema manifest:image-manifest-schema config:config-schema; do
			if ! out=$(NODE_PATH=$NP node "$SHARED/schemas/validate.js" "$S/${kind#*:}.json" "$docs"/*."${kind%%:*}".json 2>&1); then
				why "${kind%%:*}: $(printf '%s' "$out" | grep -v ' valid$' | head -2 | tr '\n' ' ' | head -c 300)"
			fi
		done
		verdict fixtures/oci-schema
	else
		skip fixtures/oci-schema "node or the validators (npm) unavailable"
	fi
fi
group_end

# ---------------------------------------------------------- fixture cases

# One line of shell assignments per case of cases.json (jq starts slowly:
# one call for all of them).
# shellcheck disable=SC2016
CASE_SH='.cases[] | select(.group == $g) | @sh "name=\(.name) group=\(.group) cmd=\(.cmd) target=\(.target) expect=\(.expect) regex=\(.regex // "") when=\(.check_when // "ok") bounded=\(.bounded // false) limit=\(.timeout // 0) needles=\(.needles | tojson) check=\(.check // {} | tojson) table_clean=\(.check.table_clean // false) note=\(.note) args_sh=\(.args | @sh)"'

# fixture_case: one case of cases.json (see make_bad.py), from the variables
# that a CASE_SH line sets.
fixture_case() {
	local args=() cwd rep rc nerr tag
	eval "args=( $args_sh )"
	target=${target//@FX@/$FX}
	tag="$group/$name"
	[ "$limit" = 0 ] && limit=$TIMEOUT
	[ $IS_ASAN = 1 ] && [ "$limit" -lt "$TIMEOUT" ] && limit=$TIMEOUT
	cwd=$(fresh_cwd "$tag")
	rep=out.json
	run_scanner "$tag" "$cwd" "$limit" "$cmd" --format json --output "$rep" "${args[@]}" "$target"
	rc=$CS_RC
	stderr_shape
	[ -s "$CS_OUT" ] && why "wrote to stdout despite --output: $(head -c 80 "$CS_OUT" | tr '\n' ' ')"
	side_effects "$cwd" "$rep"
	[ "$group" = small ] || rss_bound
	[ "$bounded" = true ] && echo "# $tag: ${CS_SECS}s, peak RSS $((CS_RSS_KB / 1024)) MiB, exit $rc"
	nerr=$(error_lines)
	local have=0
	[ -f "$cwd/$rep" ] && have=1
	case $expect in
	ok)
		[ "$rc" = 0 ] || why "exit $rc, want 0: $(first_error | head -c 200)"
		[ "$nerr" = 0 ] || why "$nerr error lines on a valid input"
		[ $have = 1 ] || why "no report written"
		;;
	fatal | select)
		if [ "$expect" = fatal ]; then
			[ "$rc" = 3 ] || why "exit $rc, want 3"
		else
			case $rc in 2 | 3) ;; *) why "exit $rc, want 2 or 3" ;; esac
		fi
		one_error "$needles" "$regex"
		[ $have = 0 ] || why "a report was written for an input that cannot be read"
		;;
	error)
		[ "$rc" = 3 ] || why "exit $rc, want 3"
		one_error "$needles" "$regex"
		;;
	nonfatal)
		[ "$rc" = 3 ] || why "exit $rc, want 3"
		one_error "$needles" "$regex"
		[ $have = 1 ] || why "no report written (one bad entry must not stop the scan)"
		if [ "$check" = "{}" ]; then check='{"diagnostics_error":true}'; else check="${check%\}},\"diagnostics_error\":true}"; fi
		;;
	tolerated)
		case $rc in
		0) [ $have = 1 ] || why "exit 0 but no report" ;;
		3) [ "$nerr" -ge 1 ] || why "exit 3 without an error line" ;;
		*) why "exit $rc, want 0 or 3" ;;
		esac
		;;
	*) why "unknown expectation '$expect' in cases.json" ;;
	esac
	if [ $have = 1 ] && report_ok "$tag" "$cwd/$rep"; then
		if [ "$when" = report ] || [ "$rc" = 0 ]; then
			check_report "$cwd/$rep" "$check"
		fi
		if [ "$table_clean" = true ]; then
			cs "$tag.table" "$cwd" "$limit" env TMPDIR="$E2E_TMP/scanner-tmp" "$CUSTOMS" "$cmd" --format table "${args[@]}" "$target"
			check_crash
			if ! msg=$(no_control "$CS_OUT"); then why "table output: $msg"; fi
			if ! msg=$(no_control "$CS_ERR"); then why "stderr: $msg"; fi
		fi
	fi
	if [ ${#E2E_WHY[@]} -gt 0 ]; then
		[ -n "$note" ] && why "[$(printf '%s' "$note" | head -c 120)]"
	fi
	verdict "$tag"
}

run_fixture_group() {
	local g=$1 line name group cmd target expect regex when bounded limit needles check
	local table_clean note args_sh
	[ -n "$FX" ] || { skip "$g/*" "no fixtures"; return; }
	[ $HAVE_BIN = 1 ] || { skip "$g/*" "no scanner binary"; return; }
	while IFS= read -r line; do
		eval "$line"
		want "$group/$name" || continue
		fixture_case
	done < <(jq -r --arg g "$g" "$CASE_SH" "$FX/cases.json")
}

# --------------------------------------------------------------------- cli

cli_run() { # cli_run NAME ARGS...: run in a fresh directory; sets CWD
	CWD=$(fresh_cwd "cli/$1")
	local n=$1
	shift
	run_scanner "cli/$n" "$CWD" "$TIMEOUT" "$@"
	stderr_shape
}

# usage_error NAME NEEDLE ARGS...: exit 2, stderr exactly one error line
# that mentions NEEDLE, nothing on stdout.
usage_error() {
	local n=$1 needle=$2
	shift 2
	want "cli/$n" || return 0
	cli_run "$n" "$@"
	[ "$CS_RC" = 2 ] || why "exit $CS_RC, want 2"
	[ "$(grep -c . "$CS_ERR")" = 1 ] || why "stderr has $(grep -c . "$CS_ERR") lines, want 1"
	one_error "[\"$needle\"]"
	[ -s "$CS_OUT" ] && why "printed on stdout"
	side_effects "$CWD" ""
	verdict "cli/$n"
}

# input_error NAME NEEDLE ARGS...: exit 3 and one error line naming NEEDLE.
input_error() {
	local n=$1 needle=$2
	shift 2
	want "cli/$n" || return 0
	cli_run "$n" "$@"
	[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
	one_error "[\"$needle\"]"
	side_effects "$CWD" ""
	verdict "cli/$n"
}

if [ $HAVE_BIN = 1 ]; then
	group_begin cli
	if want cli/help; then
		cli_run help --help
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		for w in image rootfs version; do
			grep -q "$w" "$CS_OUT" || why "--help does not mention $w"
		done
		[ "$(error_lines)" = 0 ] || why "error lines"
		verdict cli/help
	fi
	if want cli/help-image; then
		cli_run help-image help image
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		for o in --format --output --platform docker-archive oci; do
			grep -q -- "$o" "$CS_OUT" || why "'help image' does not mention $o"
		done
		verdict cli/help-image
	fi
	if want cli/version; then
		cli_run version version
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		grep -q 'customs' "$CS_OUT" || why "version output lacks 'customs': $(head -c 80 "$CS_OUT")"
		grep -q '[0-9a-f]' "$CS_OUT" || why "version output has no version"
		VERSION_OUT=$(cat "$CS_OUT")
		verdict cli/version
	fi
	usage_error unknown-option --bogus image --bogus "$FX/good-docker.tar"
	usage_error unknown-command frobnicate frobnicate
	usage_error help-unknown bogus help bogus
	usage_error missing-target "" image
	usage_error extra-args "$FX/good-oci.tar" image "$FX/good-docker.tar" "$FX/good-oci.tar"
	usage_error transport-docker docker:// image docker:alpine
	usage_error transport-bad-ref Alpine image docker://Alpine
	usage_error transport-storage containers-storage image containers-storage:alpine:latest
	usage_error transport-unknown foo image foo:bar/baz
	usage_error format-invalid xml image --format xml "$FX/good-docker.tar"
	usage_error scanners-invalid bogus image --scanners bogus "$FX/good-docker.tar"
	usage_error platform-invalid /amd64 image --platform /amd64 "$FX/good-docker.tar"
	usage_error format-missing-value --format image "$FX/good-docker.tar" --format
	usage_error format-two-stdout "standard output" image --format json --format table "$FX/good-docker.tar"
	usage_error format-same-file "r.json" image --format json=r.json --format sarif=r.json "$FX/good-docker.tar"
	usage_error format-empty-file "json=" image --format json= "$FX/good-docker.tar"
	usage_error output-unused "x.json" image --format json=r.json --output x.json "$FX/good-docker.tar"
	input_error missing-file /nonexistent/x.tar image /nonexistent/x.tar
	input_error missing-docker /nonexistent/x.tar image docker-archive:/nonexistent/x.tar
	input_error missing-oci /nonexistent/layout image oci:/nonexistent/layout
	input_error missing-oci-archive /nonexistent/x.tar image oci-archive:/nonexistent/x.tar
	input_error missing-rootfs /nonexistent/root rootfs /nonexistent/root
	input_error quiet-error /nonexistent/x.tar image --quiet /nonexistent/x.tar

	if [ -n "$FX" ]; then
		good=$FX/good-docker.tar
		printf '%s\n' "base-files	12.4+deb12u5" "libc6	2.36-9+deb12u4" \
			"libgmp10	2:6.2.1+dfsg1-1.1+b1" "libzstd1	1.5.4+dfsg2-5" >"$E2E_TMP/small.rows"
		if want cli/no-args; then
			CWD=$(fresh_cwd cli/no-args)
			run_scanner cli/no-args "$CWD" "$TIMEOUT"
			check_crash  # (a usage text on stderr is fine here)
			case $CS_RC in 0 | 2) ;; *) why "exit $CS_RC, want 0 (help) or 2" ;; esac
			verdict cli/no-args
		fi
		if want cli/output-json; then
			cli_run output-json image --format json --output r.json "$good"
			[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error)"
			[ -s "$CS_OUT" ] && why "printed on stdout with --output"
			if [ -f "$CWD/r.json" ] && report_ok cli/output-json "$CWD/r.json"; then
				jq -e '.schema_version == 1 and .tool.name == "customs" and (.tool.version | type) == "string"' \
					"$CWD/r.json" >/dev/null || why "schema_version/tool wrong"
				v=$(jq -r .tool.version "$CWD/r.json")
				case ${VERSION_OUT:-$v} in *"$v"*) ;; *) why "tool.version '$v' is not in 'customs version' ($VERSION_OUT)" ;; esac
			else
				why "no r.json"
			fi
			side_effects "$CWD" r.json
			verdict cli/output-json
		fi
		if want cli/output-table; then
			cli_run output-table image --format table --output r.txt "$good"
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			[ -s "$CS_OUT" ] && why "printed on stdout with --output"
			[ -s "$CWD/r.txt" ] || why "r.txt empty or missing"
			[ -s "$CWD/r.txt" ] && table_pairs "$CWD/r.txt" "$E2E_TMP/small.rows"
			side_effects "$CWD" r.txt
			verdict cli/output-table
		fi
		if want cli/table; then
			cli_run table image --format table "$good"
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			table_pairs "$CS_OUT" "$E2E_TMP/small.rows"
			if ! msg=$(no_control "$CS_OUT"); then why "$msg"; fi
			verdict cli/table
		fi
		if want cli/json-stdout; then
			cli_run json-stdout image --format json "$good"
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			report_ok cli/json-stdout "$CS_OUT" >/dev/null
			side_effects "$CWD" ""
			verdict cli/json-stdout
		fi
		if want cli/output-unwritable; then
			cli_run output-unwritable image --format json --output /nonexistent-dir/r.json "$good"
			[ "$CS_RC" = 4 ] || why "exit $CS_RC, want 4"
			one_error '["/nonexistent-dir/r.json"]'
			verdict cli/output-unwritable
		fi
		if want cli/quiet; then
			cli_run quiet image --quiet --format json --output r.json "$good"
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			[ -s "$CS_ERR" ] && why "stderr not empty with --quiet: $(head -c 120 "$CS_ERR")"
			verdict cli/quiet
		fi
		if want cli/scanners-vuln; then
			cli_run scanners-vuln image --scanners vuln --format json --output r.json "$good"
			case $CS_RC in
			0) [ -f "$CWD/r.json" ] && report_ok cli/scanners-vuln "$CWD/r.json" >/dev/null ;;
			2) [ "$(error_lines)" = 1 ] || why "exit 2 without exactly one error line" ;;
			*) why "exit $CS_RC, want 0 (accepted) or 2 (not supported yet)" ;;
			esac
			verdict cli/scanners-vuln
		fi
		if want cli/output-overwrite; then
			CWD=$(fresh_cwd cli/output-overwrite)
			printf 'old\n' >"$CWD/r.json"
			run_scanner cli/output-overwrite "$CWD" "$TIMEOUT" image --format json --output r.json "$good"
			stderr_shape
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			report_ok cli/output-overwrite "$CWD/r.json" >/dev/null
			side_effects "$CWD" r.json
			verdict cli/output-overwrite
		fi
		# One scan, several reports: each to its file, one to standard output.
		if want cli/multi-format; then
			cli_run multi-format image --scanners secret --format json=r.json --format table=t.txt \
				--format json "$good"
			stderr_shape
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			report_ok cli/multi-format "$CWD/r.json" >/dev/null
			cmp -s "$CWD/r.json" "$CS_OUT" || why "the stdout JSON differs from r.json"
			grep -q 'libzstd1' "$CWD/t.txt" 2>/dev/null || why "t.txt is not the table report"
			side_effects "$CWD" $'r.json\nt.txt'
			verdict cli/multi-format
		fi
		# Options may follow the target, as with most scanners' CLIs.
		if want cli/options-after-target; then
			cli_run options-after-target image "$good" --scanners secret --format json --output r.json
			stderr_shape
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			report_ok cli/options-after-target "$CWD/r.json" >/dev/null
			side_effects "$CWD" r.json
			verdict cli/options-after-target
		fi
		# A report to something that is not a regular file (a FIFO here;
		# /dev/null in CI scripts) is written in place, never renamed over.
		if want cli/output-fifo; then
			CWD=$(fresh_cwd cli/output-fifo)
			mkfifo "$CWD/r.fifo"
			timeout 60 cat "$CWD/r.fifo" >"$E2E_TMP/fifo.out" &
			fifo_reader=$!
			run_scanner cli/output-fifo "$CWD" "$TIMEOUT" image --format json --output r.fifo "$good"
			wait "$fifo_reader"
			stderr_shape
			[ "$CS_RC" = 0 ] || why "exit $CS_RC"
			[ -p "$CWD/r.fifo" ] || why "r.fifo is no longer a FIFO (renamed over?)"
			report_ok cli/output-fifo "$E2E_TMP/fifo.out" >/dev/null
			side_effects "$CWD" r.fifo
			verdict cli/output-fifo
		fi
		if want cli/output-fatal-keeps-nothing; then
			cli_run output-fatal-keeps-nothing image --format json --output r.json "$FX/random-file"
			[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
			[ -e "$CWD/r.json" ] && why "a fatal error left r.json behind"
			side_effects "$CWD" ""
			verdict cli/output-fatal-keeps-nothing
		fi
	fi
	group_end

	group_begin small
	run_fixture_group small
	group_end
	group_begin hostile
	run_fixture_group hostile
	group_end
	group_begin rootfs
	run_fixture_group rootfs
	group_end
fi

# ------------------------------------------------------------------ alpine

# docker_archive_config ARCHIVE: the config JSON of a (gzipped) docker archive.
docker_archive_config() {
	local cfg
	cfg=$(tar -xzOf "$1" manifest.json | jq -r '.[0].Config')
	tar -xzOf "$1" "$cfg"
}

if [ $HAVE_BIN = 1 ]; then
	group_begin alpine
	AD=$SHARED/test-data/images/trivy-fanal
	for a in 310:3.10.4:alpine-310.expected.json 311:3.11.5:alpine-311.expected.trivy.json; do
		v=${a%%:*} rest=${a#*:}
		osv=${rest%%:*} exp=$AD/${rest#*:}
		img=$AD/alpine-$v.tar.gz
		for form in bare docker-archive; do
			name=alpine/$v-$form
			want "$name" || continue
			if [ ! -f "$img" ] || [ ! -f "$exp" ]; then
				skip "$name" "$img or $exp missing"
				continue
			fi
			target=$img
			[ $form = docker-archive ] && target=docker-archive:$img
			cfgjson=$(docker_archive_config "$img")
			image_id=$(jq -r '.image_id // ("sha256:" + (.config | rtrimstr(".json")))' "$exp")
			tags=$(tar -xzOf "$img" manifest.json | jq -c '.[0].RepoTags')
			check=$(jq -n --argjson e "$(cat "$exp")" --argjson cfg "$cfgjson" --arg id "$image_id" \
				--arg osv "$osv" --argjson tags "$tags" '{
				image_id: $id, diff_ids: $e.diff_ids, architecture: $e.architecture,
				created_by: [$cfg.history[] | select(.empty_layer != true) | .created_by],
				os_family: "alpine", os_version: $osv, repo_tags: $tags,
				layer_count: ($e.diff_ids | length), artifact_type: "container_image"}')
			# the oracle itself: the expected file agrees with the archive
			[ "$(jq -c .rootfs.diff_ids <<<"$cfgjson")" = "$(jq -c .diff_ids "$exp")" ] ||
				why "expected file and archive config disagree on diff_ids"
			cwd=$(fresh_cwd "$name")
			run_scanner "$name" "$cwd" "$TIMEOUT" image --format json --output out.json "$target"
			stderr_shape
			[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
			[ "$(error_lines)" = 0 ] || why "error lines"
			report_checked "$name" "$cwd" "$check"
			side_effects "$cwd" out.json
			verdict "$name"
		done
	done
	group_end
fi

# ------------------------------------------------------------------ sample

# status_names: names of installed packages in a dpkg status file on stdin.
status_names() {
	awk '/^Package: /{p=$2} /^Status: /{s=$0} /^$/{if (p != "" && s ~ / installed$/) print p; p=""; s=""}
	     END{if (p != "" && s ~ / installed$/) print p}' | LC_ALL=C sort -u
}

SAMPLE_CASES="purge-fixture docker docker-ref docker-at0 docker-bare oci oci-bare oci-archive
oci-archive-bare oci-zstd oci-zstd-bare oci-plain oci-plain-bare rootfs table-oci table-docker
multi-default multi-amd64 multi-arm64 multi-arm64-v8 multi-s390x"

sample_group() {
	local dir oracle c any=0 base ref cfgd mdig diff_ids layer_index check purged created_by
	for c in $SAMPLE_CASES; do want "sample/$c" && any=1; done
	[ $any = 1 ] || return 0
	if [ ! -x "$root/scripts/build-images.sh" ]; then
		skip "sample/*" "scripts/build-images.sh does not exist yet: THE REAL-IMAGE ORACLE CASES DID NOT RUN"
		return
	fi
	if ! dir=$(cd "$root" && scripts/build-images.sh 2>"$E2E_TMP/build-images.log" | tail -1) || [ ! -d "$dir" ]; then
		fail sample/build-images "scripts/build-images.sh failed: $(tail -3 "$E2E_TMP/build-images.log" | tr '\n' ' ' | head -c 300)"
		return
	fi
	echo "# sample images in $dir"
	oracle=$dir/expected.dpkg-query.tsv
	base=$dir/expected.dpkg-query.base.tsv
	if [ ! -s "$oracle" ] || [ ! -s "$base" ]; then
		skip "sample/*" "$oracle or $base missing: THE REAL-IMAGE ORACLE CASES DID NOT RUN"
		return
	fi
	grep -v '^Package	' "$oracle" | grep . | LC_ALL=C sort >"$E2E_TMP/oracle.rows"
	grep -v '^Package	' "$base" | grep . | LC_ALL=C sort >"$E2E_TMP/base.rows"
	# the reference: the OCI layout's own config and manifest
	ref=$dir/oci
	if [ ! -f "$ref/index.json" ]; then
		skip "sample/*" "$ref missing: THE REAL-IMAGE ORACLE CASES DID NOT RUN"
		return
	fi
	mdig=$(oci_manifest_digest "$ref" sample)
	cfgd=$(oci_blob "$ref" "$mdig" | jq -r .config.digest)
	diff_ids=$(oci_blob "$ref" "$cfgd" | jq -c .rootfs.diff_ids)
	layer_index=$(jq -R -s -n --rawfile all "$E2E_TMP/oracle.rows" --rawfile b "$E2E_TMP/base.rows" '
		($b | split("\n") | map(select(length > 0))) as $base
		| (reduce $base[] as $row ({}; .[$row] = true)) as $in_base
		| [$all | split("\n")[] | select(length > 0)
		   | {key: (split("\t")[0]), value: (if $in_base[.] then 0 else 1 end)}] | from_entries')
	# the purged package: installed in some layer's status, gone at the end
	purged=$(
		n=$(oci_blob "$ref" "$mdig" | jq '.layers | length')
		for ((i = 0; i < n; i++)); do
			ld=$(oci_blob "$ref" "$mdig" | jq -r ".layers[$i].digest")
			oci_blob "$ref" "$ld" | tar -xzOf - var/lib/dpkg/status ./var/lib/dpkg/status 2>/dev/null | status_names
		done | LC_ALL=C sort -u | comm -23 - <(cut -f1 "$E2E_TMP/oracle.rows" | LC_ALL=C sort -u)
	)
	echo "# purged in the image: $(printf '%s' "${purged:-NONE}" | tr '\n' ' ')"
	want sample/purge-fixture && {
		[ -n "$purged" ] || why "no package is installed in a lower layer and gone at the end: the fixture does not test purging"
		[ "$(jq 'length' <<<"$diff_ids")" = 5 ] || why "the sample has $(jq length <<<"$diff_ids") layers, want 5"
		verdict sample/purge-fixture
	}
	created_by=$(oci_blob "$ref" "$cfgd" | jq -c '[.history[] | select(.empty_layer != true) | .created_by]')
	check=$(jq -n --rawfile rows "$E2E_TMP/oracle.rows" --arg id "$cfgd" --argjson d "$diff_ids" \
		--argjson li "$layer_index" --arg purged "$purged" --argjson cb "$created_by" '{
		packages: [$rows | split("\n")[] | select(length > 0)],
		absent_names: [$purged | split("\n")[] | select(length > 0)],
		image_id: $id, diff_ids: $d, layer_index: $li, created_by_nonempty: true, created_by: $cb,
		os_family: "debian", os_version_re: "^12(\\.[0-9]+)*$", layer_count: ($d | length),
		artifact_type: "container_image", architecture: "amd64"}')

	local v vname vpath target extra cwd md
	for v in \
		"docker|sample.docker.tar|docker-archive:$dir/sample.docker.tar" \
		"docker-ref|sample.docker.tar|docker-archive:$dir/sample.docker.tar:customs/sample:1" \
		"docker-at0|sample.docker.tar|docker-archive:$dir/sample.docker.tar:@0" \
		"docker-bare|sample.docker.tar|$dir/sample.docker.tar" \
		"oci|oci|oci:$dir/oci:sample" \
		"oci-bare|oci|$dir/oci" \
		"oci-archive|sample.oci.tar|oci-archive:$dir/sample.oci.tar:sample" \
		"oci-archive-bare|sample.oci.tar|$dir/sample.oci.tar" \
		"oci-zstd|oci-zstd|oci:$dir/oci-zstd:sample" \
		"oci-zstd-bare|oci-zstd|$dir/oci-zstd" \
		"oci-plain|oci-plain|oci:$dir/oci-plain:sample" \
		"oci-plain-bare|oci-plain|$dir/oci-plain" \
		"rootfs|rootfs|rootfs"; do
		IFS='|' read -r vname vpath target <<<"$v"
		want "sample/$vname" || continue
		if [ ! -e "$dir/$vpath" ]; then
			skip "sample/$vname" "$dir/$vpath missing (build-images.sh does not make it yet)"
			continue
		fi
		extra=$check
		case $vname in
		docker*)
			# repo_tags as the archive spells them (skopeo writes docker.io/...)
			extra=$(jq -c --argjson t "$(tar -xOf "$dir/$vpath" manifest.json | jq -c '.[0].RepoTags')" \
				'. + {repo_tags: $t}' <<<"$check")
			;;
		oci-plain*) extra=$(jq -c '. + {compression_re: "^(none|null|identity|uncompressed)$"}' <<<"$check") ;;
		oci-zstd*) extra=$(jq -c '. + {compression_re: "zstd"}' <<<"$check") ;;
		oci*) extra=$(jq -c '. + {compression_re: "gzip"}' <<<"$check") ;;
		rootfs)
			extra=$(jq -c '{packages, absent_names, os_family, os_version_re, layer_null: true,
				artifact_type: "rootfs"}' <<<"$check")
			;;
		esac
		case $vname in
		oci*)
			# the variant's own manifest: its layer digests, sizes and media types
			md=$(oci_manifest_digest "$dir/$vpath" sample)
			extra=$(jq -c --argjson m "$(oci_blob "$dir/$vpath" "$md")" --arg md "$md" '. + {
				manifest_digest: $md, layer_digests: [$m.layers[].digest],
				layer_sizes: [$m.layers[].size], media_types: [$m.layers[].mediaType]}' <<<"$extra")
			;;
		esac
		cwd=$(fresh_cwd "sample/$vname")
		if [ "$vname" = rootfs ]; then
			run_scanner "sample/$vname" "$cwd" "$TIMEOUT" rootfs --format json --output out.json "$dir/rootfs"
		else
			run_scanner "sample/$vname" "$cwd" "$TIMEOUT" image --format json --output out.json "$target"
		fi
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
		[ "$(error_lines)" = 0 ] || why "error lines"
		# with a report: tar sizes are a property of the image, the same in every transport
		if report_checked "sample/$vname" "$cwd" "$extra" && [ "$vname" != rootfs ]; then
			ts=$(jq -c '[.artifact.layers[].tar_size]' "$cwd/out.json")
			if [ -z "${SAMPLE_TAR_SIZES:-}" ]; then
				SAMPLE_TAR_SIZES=$ts
			elif [ "$ts" != "$SAMPLE_TAR_SIZES" ]; then
				why "layers[].tar_size $ts differ from another transport's $SAMPLE_TAR_SIZES"
			fi
		fi
		side_effects "$cwd" out.json
		echo "# sample/$vname: ${CS_SECS}s, peak RSS $((CS_RSS_KB / 1024)) MiB"
		verdict "sample/$vname"
	done

	# the table format: every package's name and version on one line
	cut -f1,2 "$E2E_TMP/oracle.rows" >"$E2E_TMP/oracle.pairs"
	for v in "oci|oci:$dir/oci:sample" "docker|docker-archive:$dir/sample.docker.tar"; do
		IFS='|' read -r vname target <<<"$v"
		want "sample/table-$vname" || continue
		cwd=$(fresh_cwd "sample/table-$vname")
		run_scanner "sample/table-$vname" "$cwd" "$TIMEOUT" image --format table "$target"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		table_pairs "$CS_OUT" "$E2E_TMP/oracle.pairs"
		if ! msg=$(no_control "$CS_OUT"); then why "$msg"; fi
		verdict "sample/table-$vname"
	done

	# multi-platform: an index of linux/amd64 and linux/arm64
	local m=$dir/multi descs amd_cfg arm_cfg p mcheck
	if [ ! -f "$m/index.json" ]; then
		skip "sample/multi-*" "$m missing"
		return
	fi
	md=$(oci_manifest_digest "$m" multi)
	descs=$(oci_blob "$m" "$md" | jq -c '.manifests // []')
	[ "$descs" = "[]" ] && descs=$(oci_cat "$m" index.json | jq -c '[.manifests[] | select(.platform)]')
	amd_cfg=$(oci_blob "$m" "$(jq -r '[.[] | select(.platform.architecture == "amd64")][0].digest' <<<"$descs")" | jq -r .config.digest)
	arm_cfg=$(oci_blob "$m" "$(jq -r '[.[] | select(.platform.architecture == "arm64")][0].digest' <<<"$descs")" | jq -r .config.digest)
	local arm_rows="[]"
	if [ -s "$dir/expected.dpkg-query.arm64.tsv" ]; then
		arm_rows=$(grep -v '^Package	' "$dir/expected.dpkg-query.arm64.tsv" | jq -R -s -c 'split("\n") | map(select(length > 0)) | sort')
	fi
	for p in "default||amd64|$amd_cfg" "amd64|linux/amd64|amd64|$amd_cfg" "arm64|linux/arm64|arm64|$arm_cfg" \
		"arm64-v8|linux/arm64/v8|arm64|$arm_cfg"; do
		IFS='|' read -r vname plat arch cfgd <<<"$p"
		mcheck="{\"image_id\":\"$cfgd\",\"architecture\":\"$arch\"}"
		case $vname in
		arm64*) [ "$arm_rows" != "[]" ] && mcheck=$(jq -c --argjson r "$arm_rows" '. + {packages: $r}' <<<"$mcheck") ;;
		*) mcheck=$(jq -c '{packages, image_id, architecture}' <<<"$check") ;;
		esac
		want "sample/multi-$vname" || continue
		cwd=$(fresh_cwd "sample/multi-$vname")
		if [ -n "$plat" ]; then
			run_scanner "sample/multi-$vname" "$cwd" "$TIMEOUT" image --platform "$plat" --format json --output out.json "oci:$m:multi"
		else
			run_scanner "sample/multi-$vname" "$cwd" "$TIMEOUT" image --format json --output out.json "oci:$m:multi"
		fi
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
		report_checked "sample/multi-$vname" "$cwd" "$mcheck"
		side_effects "$cwd" out.json
		verdict "sample/multi-$vname"
	done
	if want sample/multi-s390x; then
		cwd=$(fresh_cwd sample/multi-s390x)
		run_scanner sample/multi-s390x "$cwd" "$TIMEOUT" image --platform linux/s390x --format json --output out.json "oci:$m:multi"
		stderr_shape
		case $CS_RC in 2 | 3) ;; *) why "exit $CS_RC, want 2 or 3" ;; esac
		one_error '["s390x"]' 'linux/amd64.*linux/arm64|linux/arm64.*linux/amd64'
		[ -e "$cwd/out.json" ] && why "a report was written"
		verdict sample/multi-s390x
	fi
}

if [ $HAVE_BIN = 1 ]; then
	group_begin sample
	sample_group
	group_end
fi

# ------------------------------------------------------------------ determinism
# The same image gives the same bytes, whatever the thread count or run.

determinism_group() {
	local dir a b
	want determinism/json || return 0
	if ! dir=$(cd "$root" && scripts/build-images.sh 2>/dev/null | tail -1) || [ ! -f "$dir/complete" ]; then
		skip determinism/json "no sample image"
		return 0
	fi
	cs determinism-1 "$E2E_TMP" 120 "$CUSTOMS" image --format json --jobs 1 "oci:$dir/oci:sample"
	a=$CS_OUT
	check_crash
	cs determinism-2 "$E2E_TMP" 120 "$CUSTOMS" image --format json --jobs 2 "oci:$dir/oci:sample"
	b=$CS_OUT
	check_crash
	[ -s "$a" ] || why "no report"
	cmp -s "$a" "$b" || why "--jobs 1 and --jobs 2 reports differ"
	cs determinism-3 "$E2E_TMP" 120 "$CUSTOMS" image --format json --jobs 2 "oci:$dir/oci:sample"
	cmp -s "$b" "$CS_OUT" || why "two runs with --jobs 2 differ"
	verdict determinism/json
}

if [ $HAVE_BIN = 1 ]; then
	group_begin determinism
	determinism_group
	group_end
fi

# ------------------------------------------------------------------ trivy
# A second, independent oracle: Trivy's own inventory of the same image (its
# offline build from npm, SBOM mode, no database). The Debian packages must
# be the same set as customs finds: name, version, source and layer.

trivy_group() {
	local dir trivy ours theirs
	want trivy/deb-inventory || return 0
	if ! dir=$(cd "$root" && scripts/build-images.sh 2>/dev/null | tail -1) || [ ! -f "$dir/complete" ]; then
		skip trivy/deb-inventory "no sample image"
		return 0
	fi
	if ! trivy=$("$root/scripts/trivy.sh" 2>"$E2E_TMP/trivy-install.log"); then
		skip trivy/deb-inventory "Trivy could not be installed: $(tail -1 "$E2E_TMP/trivy-install.log")"
		return 0
	fi
	ours=$E2E_TMP/trivy-ours.tsv theirs=$E2E_TMP/trivy-theirs.tsv
	if ! "$trivy" image --input "$dir/sample.docker.tar" --format cyclonedx --skip-db-update \
		--skip-java-db-update --offline-scan --no-progress --quiet --cache-dir "$E2E_TMP/trivy-cache" \
		--output "$E2E_TMP/trivy.cdx.json" >"$E2E_TMP/trivy.log" 2>&1; then
		fail trivy/deb-inventory "Trivy failed: $(tail -2 "$E2E_TMP/trivy.log" | tr '\n' ' ')"
		return 0
	fi
	# Trivy's "version" drops the epoch; its PkgID property keeps the full one.
	# Compared: name, full version, source name and the layer that introduced it.
	jq -r '.components[] | select((.purl // "") | startswith("pkg:deb/"))
		| (.properties // []) as $p | def prop(n): ($p | map(select(.name == n)) | .[0].value // "");
		[.name, (prop("aquasecurity:trivy:PkgID") | sub("^[^@]*@"; "")),
		 (prop("aquasecurity:trivy:SrcName") | if . == "" then null else . end),
		 prop("aquasecurity:trivy:LayerDiffID")] | @tsv' \
		"$E2E_TMP/trivy.cdx.json" | LC_ALL=C sort >"$theirs"
	cs trivy-ours "$E2E_TMP" 120 "$CUSTOMS" image --format json "$dir/sample.docker.tar"
	jq -r '.packages[] | select(.type == "deb") | [.name, .version, .source_name, .layer.diff_id] | @tsv' \
		"$CS_OUT" | LC_ALL=C sort >"$ours"
	if [ ! -s "$theirs" ]; then
		fail trivy/deb-inventory "Trivy listed no Debian package"
	elif ! diff -u "$theirs" "$ours" >"$E2E_TMP/trivy.diff"; then
		fail trivy/deb-inventory "differs from Trivy: $(grep '^[-+][^-+]' "$E2E_TMP/trivy.diff" | head -5 | tr '\n' ' ')"
	else
		ok "trivy/deb-inventory ($(wc -l <"$ours") packages, the same as Trivy's)"
	fi
}

if [ $HAVE_BIN = 1 ]; then
	group_begin trivy
	trivy_group
	group_end
fi

# ------------------------------------------------------------------ lang
# shellcheck source=tests/e2e/lang.sh
. "$here/lang.sh"

# ------------------------------------------------------------------ vuln
# shellcheck source=tests/e2e/vuln.sh
. "$here/vuln.sh"

# ------------------------------------------------------------------ update
# shellcheck source=tests/e2e/update.sh
. "$here/update.sh"

# ------------------------------------------------------------------ secret
# shellcheck source=tests/e2e/secrets.sh
. "$here/secrets.sh"

# ------------------------------------------------------------------ audit
# shellcheck source=tests/e2e/audit.sh
. "$here/audit.sh"

# ------------------------------------------------------------------ base
# shellcheck source=tests/e2e/base.sh
. "$here/base.sh"

# -------------------------------------------------------------- dockerfile
# shellcheck source=tests/e2e/dockerfile.sh
. "$here/dockerfile.sh"

# ------------------------------------------------------------------ daemon
# shellcheck source=tests/e2e/daemon.sh
. "$here/daemon.sh"

# ------------------------------------------------------------------ registry
# shellcheck source=tests/e2e/registry.sh
. "$here/registry.sh"

# ------------------------------------------------------------------ report
# shellcheck source=tests/e2e/report.sh
. "$here/report.sh"

# ------------------------------------------------------------------ policy
# shellcheck source=tests/e2e/policy.sh
. "$here/policy.sh"

# ------------------------------------------------------------------ schema

group_begin schema
shopt -s nullglob
reports=("$E2E_TMP"/reports/*.json)
shopt -u nullglob
if [ ${#reports[@]} = 0 ]; then
	if [ $HAVE_BIN = 1 ] && [ -z "${E2E_ONLY:-}" ]; then
		skip schema/reports "no JSON report was produced"
	else
		echo "# no JSON report to validate"
	fi
elif [ ! -f "$SCHEMA" ]; then
	skip schema/reports "docs/report.schema.json does not exist yet: ${#reports[@]} JSON REPORTS NOT VALIDATED"
elif ! command -v node >/dev/null 2>&1; then
	skip schema/reports "node not installed (scripts/deps.sh test): ${#reports[@]} JSON REPORTS NOT VALIDATED"
elif ! NP=$(validators_setup); then
	fail schema/validators "npm install of the validators failed: $(tail -2 "$E2E_TMP/npm.log" | tr '\n' ' ')"
else
	NODE_PATH=$NP node "$SHARED/schemas/validate.js" "$SCHEMA" "${reports[@]}" >"$E2E_TMP/schema.out" 2>&1
	vrc=$?
	if [ $vrc = 2 ]; then
		fail schema/reports "validate.js cannot use $SCHEMA: $(head -2 "$E2E_TMP/schema.out" | tr '\n' ' ')"
	else
		# "FILE valid" | "FILE invalid" followed by its errors, one a line
		awk -v dir="$E2E_TMP/reports/" '
			index($0, dir) == 1 && / (valid|invalid)$/ {
				if (f != "") print f "\t" st "\t" errs
				f = $0; sub(/ (valid|invalid)$/, "", f); sub(dir, "", f); sub(/\.json$/, "", f)
				st = ($0 ~ / valid$/) ? "valid" : "invalid"; errs = ""; next
			}
			{ if (length(errs) < 300) errs = errs (errs == "" ? "" : "; ") $0 }
			END { if (f != "") print f "\t" st "\t" errs }
		' "$E2E_TMP/schema.out" >"$E2E_TMP/schema.tsv"
		seen=$(wc -l <"$E2E_TMP/schema.tsv")
		[ "$seen" = ${#reports[@]} ] || fail schema/reports "validate.js answered for $seen of ${#reports[@]} reports"
		while IFS=$'\t' read -r f st errs; do
			if [ "$st" = valid ]; then ok "schema/$f"; else fail "schema/$f" "$errs"; fi
		done <"$E2E_TMP/schema.tsv"
	fi
fi
group_end

e2e_summary
[ "$E2E_FAILED" = 0 ]
