# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# secrets.sh - the secret-scanning group of tests/e2e/run.sh (sourced by it,
# after the update group and before the schema group, so that its reports are
# validated too). See docs/test-images.md ("The secrets image").
#
#   secret/image-oci       scripts/build-secrets.py's image (OCI layout; gzip,
#                          zstd and plain layers): exactly the planted findings
#                          as (rule_id, path, layer, removed_in_layer), with
#                          the right diff_ids and created_by; config findings
#                          without a layer
#   secret/oracle-teeth    that check fails on a mutated report
#   secret/image-docker    the same image as a docker-archive: the same findings
#   secret/no-leak         no planted secret in full anywhere in the JSON or
#                          table reports or on stderr (layers[].created_by and
#                          the findings' created_by are redacted too)
#   secret/table           the table lists every finding, per layer
#   secret/rootfs-planted  customs rootfs on the image's final tree: only the
#                          files still present, without layers (the hard link
#                          once, under its first name in path order)
#   secret/fp-*            zero findings on clean images: sample, bullseye,
#                          lang, the two real Alpine images, and `customs
#                          rootfs` of the sample and lang root filesystems
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, PY, SHARED, root, E2E_TMP, TIMEOUT, CUSTOMS.

# sec_scan NAME image|rootfs TARGET [ARGS...]: a JSON secret scan into
# CWD/out.json; exit 0, stderr well formed, report kept for the schema pass.
# Sets SREP (the report, empty when there is none) and SERR (stderr).
sec_scan() {
	local name=$1 sub=$2 target=$3 cwd
	shift 3
	cwd=$(fresh_cwd "$name")
	SREP=""
	run_scanner "$name" "$cwd" "$TIMEOUT" "$sub" --scanners secret "$@" --format json --output out.json "$target"
	SERR=$CS_ERR
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	if [ -f "$cwd/out.json" ] && report_ok "$name" "$cwd/out.json"; then
		SREP=$cwd/out.json
	else
		why "no report"
	fi
}

# The facts one report must show about the planted image; one complaint a
# line. $e is expected.json.
# shellcheck disable=SC2016 # a jq program
SEC_CHECK_JQ='
def show: tojson | if length > 300 then .[0:300] + "..." else . end;
. as $r | ($r.artifact.layers // []) as $L |
  ([$r.secrets[]? | [.rule_id, .path, .layer.index, .removed_in_layer.index]] | sort) as $got |
  ($e.findings | sort) as $want |
  (if $got == $want then empty else
     "findings differ: missing \(($want - $got) | show), unexpected \(($got - $want) | show)" end),
  (if ($r.secrets | length) == ($got | unique | length) then empty
   else "duplicate findings: \([$r.secrets[] | [.rule_id, .path]] | group_by(.) | map(select(length > 1)[0]) | show)" end),
  (if [$L[].diff_id] == $e.diff_ids then empty
   else "artifact.layers[].diff_id \([$L[].diff_id] | show), want \($e.diff_ids | show)" end),
  ($r.secrets[]? | . as $s |
    if (.path | startswith("config:")) then
      (if .layer == null and .removed_in_layer == null then empty
       else "\(.path): a config finding with a layer" end)
    else
      (if .layer.diff_id == $e.diff_ids[.layer.index] then empty
       else "\(.path): layer.diff_id \(.layer.diff_id), want that of layer \(.layer.index)" end),
      (if .created_by == $L[$s.layer.index].created_by then empty
       else "\(.path): created_by \(.created_by | show) is not that of its layer" end),
      (if .removed_in_layer == null or .removed_in_layer.diff_id == $e.diff_ids[.removed_in_layer.index] then empty
       else "\(.path): removed_in_layer.diff_id is not that of layer \(.removed_in_layer.index)" end)
    end),
  ($r.secrets[]? | select((.line | type) != "number" or .line < 1 or (.column | type) != "number" or .column < 1
     or (.match | type) != "string" or (.match | contains("*****") | not))
   | "\(.path): line \(.line), column \(.column), match \(.match | show)"),
  (if $e.compression == null then empty else
     [$L[].compression] as $c |
     if [$c[] | if . == null or . == "identity" or . == "uncompressed" then "none" else . end] == $e.compression then empty
     else "artifact.layers[].compression \($c | show), want \($e.compression | show)" end end)
'

# sec_check REPORT EXPECTED_JSON: SEC_CHECK_JQ's complaints become whys.
sec_check() {
	local out line
	if ! out=$(jq -r --argjson e "$2" "$SEC_CHECK_JQ" "$1" 2>&1); then
		why "report check failed: $(printf '%s' "$out" | head -c 200)"
		return
	fi
	while IFS= read -r line; do
		[ -n "$line" ] && why "$line"
	done <<<"$out"
}

# sec_no_raw FILE...: none of the planted secrets ($SX/expected.json .raw)
# appears in full in any FILE.
sec_no_raw() {
	local s f
	while IFS= read -r s; do
		[ -n "$s" ] || continue
		for f in "$@"; do
			[ -f "$f" ] || continue
			grep -qF -- "$s" "$f" && why "a planted secret (${#s} bytes, starting ${s:0:4}) in full in $(basename "$(dirname "$f")")/$(basename "$f")"
		done
	done < <(jq -r '.raw[]' "$SX/expected.json")
}

sec_planted() {
	local any=0 c exp cwd outs=() tbl
	SREP=""
	for c in image-oci oracle-teeth image-docker no-leak table rootfs-planted; do want "secret/$c" && any=1; done
	[ $any = 1 ] || return 0
	SX=$E2E_TMP/secrets-image
	rm -rf "$SX"
	if ! "$PY" "$root/scripts/build-secrets.py" "$SX" >"$E2E_TMP/build-secrets.log" 2>&1; then
		fail secret/build "scripts/build-secrets.py failed: $(tail -3 "$E2E_TMP/build-secrets.log" | tr '\n' ' ' | head -c 300)"
		return 0
	fi
	exp=$(jq -c 'del(.raw)' "$SX/expected.json")
	echo "# secrets image: $(jq '.findings | length' "$SX/expected.json") planted findings, layers $(jq -c .compression "$SX/expected.json")"

	if want secret/image-oci || want secret/no-leak || want secret/oracle-teeth; then
		sec_scan secret/image-oci image "oci:$SX/oci:secrets"
		if [ -n "$SREP" ]; then
			sec_check "$SREP" "$exp"
			outs+=("$SREP")
		fi
		outs+=("$SERR")
		want secret/image-oci && verdict secret/image-oci
		E2E_WHY=()
	fi
	# the oracle has teeth: a finding dropped, a removed_in_layer and a
	# diff_id changed, a config finding given a layer
	if [ -n "$SREP" ] && want secret/oracle-teeth; then
		jq '.secrets |= (.[1:] | map(if .removed_in_layer != null then .removed_in_layer.index = 0 else . end)
			| map(if .path == "config:Env" then .layer = {index: 0, diff_id: "sha256:00"} else . end)
			| .[-1].layer.diff_id = "sha256:00")' "$SREP" >"$E2E_TMP/secrets-mutated.json"
		local n
		n=$(jq -r --argjson e "$exp" "$SEC_CHECK_JQ" "$E2E_TMP/secrets-mutated.json" | grep -c .)
		[ "$n" -ge 4 ] || why "the check saw only $n problems in a mutated report"
		verdict secret/oracle-teeth
	fi
	if want secret/image-docker || want secret/no-leak; then
		sec_scan secret/image-docker image "docker-archive:$SX/secrets.docker.tar"
		# the docker-archive holds the same blobs: the same compressions
		if [ -n "$SREP" ]; then
			sec_check "$SREP" "$exp"
			outs+=("$SREP")
		fi
		outs+=("$SERR")
		want secret/image-docker && verdict secret/image-docker
		E2E_WHY=()
	fi
	if want secret/table || want secret/no-leak; then
		cwd=$(fresh_cwd secret/table)
		run_scanner secret/table "$cwd" "$TIMEOUT" image --scanners secret --format table "oci:$SX/oci:secrets"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		tbl=$CS_OUT
		outs+=("$tbl" "$CS_ERR")
		grep -q "^Secrets ($(jq '.findings | length' "$SX/expected.json"))" "$tbl" || why "no 'Secrets (N)' heading with the planted count"
		local r p
		while IFS=$'\t' read -r r p; do
			# long paths are cut in the middle to the column width: the first 15 bytes
			grep -qF -- "$r" "$tbl" || why "rule $r not in the table"
			grep -qF -- "${p:0:15}" "$tbl" || why "path ${p:0:15}... not in the table"
		done < <(jq -r '.findings[] | [.[0], .[1]] | @tsv' "$SX/expected.json")
		for r in 0 1 2 4; do grep -q "^Layer $r " "$tbl" || why "no 'Layer $r' section"; done
		grep -q '^Layer 3 ' "$tbl" && why "a 'Layer 3' section, but layer 3 only removes"
		grep -q '^Image config' "$tbl" || why "no 'Image config' section"
		want secret/table && verdict secret/table
		E2E_WHY=()
	fi
	if want secret/no-leak; then
		# the JSON and table reports and stderr of the runs above
		sec_no_raw "${outs[@]}"
		[ ${#outs[@]} -ge 6 ] || why "only ${#outs[@]} outputs to search"
		verdict secret/no-leak
	fi
	if want secret/rootfs-planted; then
		# the image's final tree, as an unpacker would leave it
		local rf=$E2E_TMP/secrets-rootfs
		rm -rf "$rf"
		mkdir -p "$rf"
		"$PY" - "$SX/oci" "$rf" <<'EOF' || why "cannot unpack the image"
import gzip, json, os, shutil, subprocess, sys, tarfile, io
lay, rf = sys.argv[1:3]
def blob(d): return open(os.path.join(lay, "blobs", "sha256", d.split(":")[1]), "rb").read()
idx = json.load(open(os.path.join(lay, "index.json")))
man = json.loads(blob(idx["manifests"][0]["digest"]))
for l in man["layers"]:
    data = blob(l["digest"])
    if l["mediaType"].endswith("+gzip"):
        data = gzip.decompress(data)
    elif l["mediaType"].endswith("+zstd"):
        data = subprocess.run(["zstd", "-dc"], input=data, stdout=subprocess.PIPE, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as t:
        for m in t.getmembers():
            d, b = os.path.split(m.name)
            if b == ".wh..wh..opq":
                for x in os.listdir(os.path.join(rf, d)):
                    p = os.path.join(rf, d, x)
                    shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
            elif b.startswith(".wh."):
                p = os.path.join(rf, d, b[4:])
                shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
            else:
                t.extract(m, rf, set_attrs=False)
EOF
		sec_scan secret/rootfs-planted rootfs "$rf"
		if [ -n "$SREP" ]; then
			local want_rf
			# the hard link is a second name of the same file: a directory walk
			# reads it once, under the first of its names in path order, as
			# a tar archive of the tree would store it
			want_rf=$(jq -c '[.findings[] | select(.[2] != null and .[3] == null) | [.[0], .[1]]] | sort' "$SX/expected.json")
			[ "$(jq -c '[.secrets[] | [.rule_id, .path]] | sort' "$SREP")" = "$want_rf" ] ||
				why "findings $(jq -c '[.secrets[] | [.rule_id, .path]] | sort' "$SREP" | head -c 300), want $want_rf"
			[ "$(jq '[.secrets[] | select(.layer != null or .removed_in_layer != null or .created_by != null)] | length' "$SREP")" = 0 ] ||
				why "findings with a layer in a rootfs scan"
		fi
		verdict secret/rootfs-planted
	fi
}

# sec_clean NAME image|rootfs TARGET: zero findings; any is listed with its
# rule and path.
sec_clean() {
	local name=$1 n
	want "$name" || return 0
	sec_scan "$@"
	if [ -n "$SREP" ]; then
		n=$(jq '.secrets | length' "$SREP")
		[ "$n" = 0 ] || why "$n false positives: $(jq -c '[.secrets[] | [.rule_id, .path, .layer.index, .match]]' "$SREP" | head -c 400)"
		echo "# $name: ${CS_SECS}s"
	fi
	verdict "$name"
}

# cached_image SCRIPT: the cache directory of a build-*.sh image, or nothing
# when it is neither cached nor buildable here (building needs root).
cached_image() {
	local dir
	dir=$("$root/scripts/$1" 2>"$E2E_TMP/$1.log" | tail -1) || true
	[ -n "$dir" ] && [ -f "$dir/complete" ] && printf '%s\n' "$dir"
}

sec_false_positives() {
	local dir AD=$SHARED/test-data/images/trivy-fanal v
	if want 'secret/fp-sample'; then
		if dir=$(cached_image build-images.sh); then
			sec_clean secret/fp-sample image "oci:$dir/oci:sample"
			sec_clean secret/fp-sample-rootfs rootfs "$dir/rootfs"
		else
			skip "secret/fp-sample*" "no sample image (sudo scripts/build-images.sh): NOT CHECKED"
		fi
	fi
	if want 'secret/fp-bullseye'; then
		if dir=$(cached_image build-bullseye.sh); then
			sec_clean secret/fp-bullseye image "oci:$dir/oci:bullseye"
		else
			skip secret/fp-bullseye "no bullseye image (sudo scripts/build-bullseye.sh): NOT CHECKED"
		fi
	fi
	if want 'secret/fp-lang'; then
		if dir=$(cached_image build-lang.sh); then
			sec_clean secret/fp-lang image "$dir/lang.docker.tar"
			sec_clean secret/fp-lang-rootfs rootfs "$dir/rootfs"
		else
			skip "secret/fp-lang*" "no lang image (sudo scripts/build-lang.sh): NOT CHECKED"
		fi
	fi
	for v in 310 311; do
		want "secret/fp-alpine-$v" || continue
		if [ -f "$AD/alpine-$v.tar.gz" ]; then
			sec_clean "secret/fp-alpine-$v" image "$AD/alpine-$v.tar.gz"
		else
			skip "secret/fp-alpine-$v" "$AD/alpine-$v.tar.gz missing"
		fi
	done
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin secret
	sec_planted
	sec_false_positives
	group_end
fi
