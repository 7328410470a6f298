# shellcheck shell=bash disable=SC2154,SC2034 # here, root, PY, E2E_TMP, ... are run.sh's; E2E_WHY is lib.sh's
# lang.sh - the language-package group of tests/e2e/run.sh (sourced by it,
# after the trivy group and before vuln and schema, so its reports are
# validated too). The image is scripts/build-lang.sh's: the sample image with
# a Node application, Debian's Java jars, a copied jar and a war on top; every
# expectation comes from the ecosystem's own view of the very same build
# (npm ls, package-lock.json, pip list, go version -m, dpkg-query, the jars'
# pom.properties) and from its layers.tsv. See docs/test-images.md ("The lang
# image").
#
#   lang/image           the scan: exit 0, 9 layers, their diff_ids and created_by
#   lang/deb             Debian packages == dpkg-query; the Java libraries' layer
#   lang/npm-ls          npm packages (name@version) == `npm ls --all --omit=dev`
#                        flattened, the application itself left out
#   lang/npm-files       each one read from its node_modules/.../package.json, as
#                        package-lock.json places it: nested duplicates at their
#                        own versions, nothing from package-lock.json (a lockfile
#                        counts for directories only), nothing from the
#                        application's package.json or a package.json that is no
#                        package (@babel/runtime/helpers/esm)
#   lang/npm-layer       all of them in the node layer, no owner
#   lang/pypi            the venv's packages == `pip list` in the image, layer 3
#   lang/golang          sampleapp's modules == `go version -m` (stdlib as
#                        "stdlib" at the Go version, the main module, the deps)
#   lang/maven-files     maven packages == java.tsv (pom.properties of every jar,
#                        nested ones as OUTER!INNER): commons-lang3 three times
#                        (dpkg's, the copy, inside the war), commons-io once;
#                        nothing through the symlinks to them
#   lang/maven-owner     the dpkg-owned jars owned by their Debian package (its
#                        purl), the others by none
#   lang/maven-layer     each in the layer that wrote its file
#   lang/rootfs          `customs rootfs` on the final root filesystem: the same
#                        packages but npm, no layers
#   lang/rootfs-lockfile ... plus package-lock.json's packages (not dev ones)
#                        with found_in app/node/package-lock.json
#   lang/rootfs-lockfile-dev  ... and not the devDependency left out of the install
#   trivy/lang-TYPE      scripts/compare-trivy.sh: every difference from Trivy's
#                        inventory of the image, per package type, is listed in
#                        tests/e2e/trivy-lang.expected.tsv (docs/trivy-differences.md)
#
# Uses from run.sh: run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, first_error, PY, root, E2E_TMP, TIMEOUT.

LANG_CASES="image deb npm-ls npm-files npm-layer pypi golang maven-files maven-owner maven-layer rootfs rootfs-lockfile rootfs-lockfile-dev"
LANG_TRIVY_TYPES="deb npm pypi golang maven"

# lang_sets WANT GOT: complains about the lines of the sorted multiset WANT
# missing from GOT and those of GOT not in WANT (the first few, and how many).
lang_sets() {
	local miss extra
	miss=$(LC_ALL=C comm -23 "$1" "$2")
	extra=$(LC_ALL=C comm -13 "$1" "$2")
	if [ -n "$miss" ]; then
		why "$(wc -l <<<"$miss") missing (of $(wc -l <"$1")): $(head -4 <<<"$miss" | tr '\t\n' ' ;' | head -c 300)"
	fi
	if [ -n "$extra" ]; then
		why "$(wc -l <<<"$extra") unexpected: $(head -4 <<<"$extra" | tr '\t\n' ' ;' | head -c 300)"
	fi
}

# lang_rows REPORT JQ-FILTER > FILE: one sorted line per package the filter
# (on each package) turns into a string.
lang_rows() { jq -r ".packages[] | $2" "$1" | LC_ALL=C sort; }

lang_group() {
	local any=0 c dir rep cwd t
	for c in $LANG_CASES; do want "lang/$c" && any=1; done
	for t in $LANG_TRIVY_TYPES; do want "trivy/lang-$t" && any=1; done
	[ $any = 1 ] || return 0
	if [ "$(id -u)" != 0 ] && ! dir=$("$root/scripts/build-lang.sh" 2>/dev/null | tail -1); then
		skip "lang/*" "the lang image is not cached and building it needs root (sudo scripts/build-lang.sh): THE LANGUAGE CATALOGER CASES DID NOT RUN"
		return 0
	fi
	if ! dir=$("$root/scripts/build-lang.sh" 2>"$E2E_TMP/build-lang.log" | tail -1) || [ ! -f "$dir/complete" ]; then
		fail lang/build "scripts/build-lang.sh failed: $(tail -3 "$E2E_TMP/build-lang.log" | tr '\n' ' ' | head -c 300)"
		return 0
	fi
	echo "# lang image in $dir"
	local L=$E2E_TMP/lang
	mkdir -p "$L"
	# layers.tsv: index (1-based), digest, diff_id, created_by, purpose, id
	lang_diff_id() { awk -F'\t' -v i="$1" 'NR > 1 && $1 == i { print $3 }' "$dir/layers.tsv"; }
	lang_layer() { awk -F'\t' -v id="$1" 'NR > 1 && $6 == id { print $3 }' "$dir/layers.tsv"; }

	# ------------------------------------------------------------ the scan
	cwd=$(fresh_cwd lang/image)
	run_scanner lang/image "$cwd" "$TIMEOUT" image --format json --output out.json "$dir/lang.docker.tar"
	rep=""
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	if [ -f "$cwd/out.json" ] && report_ok lang/image "$cwd/out.json"; then
		rep=$L/image.json
		cp "$cwd/out.json" "$rep"
		[ "$(jq -c '[.artifact.layers[].diff_id]' "$rep")" = "$(tail -n +2 "$dir/layers.tsv" | cut -f3 | jq -R -s -c 'split("\n") | map(select(length > 0))')" ] ||
			why "layers[].diff_id differ from layers.tsv"
		[ "$(jq -c '[.artifact.layers[].created_by]' "$rep")" = "$(tail -n +2 "$dir/layers.tsv" | cut -f4 | jq -R -s -c 'split("\n") | map(select(length > 0))')" ] ||
			why "layers[].created_by differ from layers.tsv"
	else
		why "no report"
	fi
	want lang/image && verdict lang/image
	E2E_WHY=()
	if [ -z "$rep" ]; then
		for c in $LANG_CASES; do
			[ "$c" = image ] || ! want "lang/$c" || fail "lang/$c" "no report of the lang image"
		done
		return 0
	fi

	# ------------------------------------------------------------ deb
	if want lang/deb; then
		lang_rows "$rep" 'select(.type == "deb") | [.name, .version, .arch, .source_name, .source_version] | map(tostring) | join("\t")' >"$L/deb.got"
		LC_ALL=C sort "$dir/expected.dpkg-query.tsv" >"$L/deb.want"
		lang_sets "$L/deb.want" "$L/deb.got"
		for c in libcommons-lang3-java libcommons-io-java; do
			[ "$(jq -r --arg n "$c" '[.packages[] | select(.type == "deb" and .name == $n)][0].layer.diff_id // "none"' "$rep")" = "$(lang_layer java-deb)" ] ||
				why "$c not in the java-deb layer"
		done
		verdict lang/deb
	fi

	# ------------------------------------------------------------ npm
	# npm ls: every node of the tree, the root (the application) left out
	jq -r '[.. | objects | .dependencies? // empty | objects | to_entries[] | "\(.key)@\(.value.version)"]
		| unique[]' "$dir/npm-ls.json" | LC_ALL=C sort -u >"$L/npm-ls.want"
	# package-lock.json: what `npm install --omit=dev` put where
	jq -r '.packages | to_entries[] | select(.key | test("(^|/)node_modules/"))
		| select(.value.dev != true and .value.link != true)
		| [(.key | sub(".*node_modules/"; "")), .value.version, "app/node/\(.key)/package.json"] | @tsv' \
		"$dir/rootfs/app/node/package-lock.json" | LC_ALL=C sort >"$L/lock.rows"
	jq -r '.packages | to_entries[] | select(.key | test("(^|/)node_modules/")) | select(.value.dev == true)
		| "\(.key | sub(".*node_modules/"; ""))@\(.value.version)"' \
		"$dir/rootfs/app/node/package-lock.json" | LC_ALL=C sort >"$L/lock.dev"
	if want lang/npm-ls; then
		[ -s "$L/npm-ls.want" ] || why "npm-ls.json lists no package: the oracle is empty"
		lang_rows "$rep" 'select(.type == "npm") | "\(.name)@\(.version)"' | LC_ALL=C sort -u >"$L/npm-ls.got"
		lang_sets "$L/npm-ls.want" "$L/npm-ls.got"
		verdict lang/npm-ls
	fi
	if want lang/npm-files; then
		[ "$(cut -f1 "$L/lock.rows" | grep -cx ms)" -ge 2 ] || why "the lockfile has no nested duplicate (ms): the fixture lost its point"
		lang_rows "$rep" 'select(.type == "npm") | [.name, .version, .found_in] | map(tostring) | join("\t")' >"$L/npm-files.got"
		lang_sets "$L/lock.rows" "$L/npm-files.got"
		verdict lang/npm-files
	fi
	if want lang/npm-layer; then
		t=$(lang_layer node)
		jq -r --arg d "$t" '.packages[] | select(.type == "npm") | select(.layer.diff_id != $d or .owner != null)
			| "\(.name)@\(.version) layer \(.layer.index) owner \(.owner)"' "$rep" >"$L/npm-layer.bad"
		[ -s "$L/npm-layer.bad" ] && why "$(wc -l <"$L/npm-layer.bad") not in the node layer ($t) or owned: $(head -3 "$L/npm-layer.bad" | tr '\n' ';')"
		[ "$(jq '[.packages[] | select(.type == "npm")] | length' "$rep")" -gt 0 ] || why "no npm package at all"
		verdict lang/npm-layer
	fi

	# ------------------------------------------------------------ pypi
	if want lang/pypi; then
		jq -r '.[] | "\(.name)@\(.version)"' "$dir/pip-list.json" | LC_ALL=C sort >"$L/pypi.want"
		lang_rows "$rep" 'select(.type == "pypi" and (.found_in | startswith("app/venv/"))) | "\(.name)@\(.version)"' >"$L/pypi.got"
		lang_sets "$L/pypi.want" "$L/pypi.got"
		t=$(lang_diff_id 3)
		[ "$(jq --arg d "$t" '[.packages[] | select(.type == "pypi" and (.found_in | startswith("app/venv/")))
			| select(.layer.diff_id != $d or .owner != null)] | length' "$rep")" = 0 ] ||
			why "venv packages not in layer 3 ($t) or owned"
		verdict lang/pypi
	fi

	# ------------------------------------------------------------ golang
	if want lang/golang; then
		awk -F'\t' 'NR == 1 { sub(/^.*: /, ""); print "stdlib@" $0; next }
			$2 == "mod" || $2 == "dep" { print $3 "@" $4 }' "$dir/go-version-m.txt" | LC_ALL=C sort >"$L/go.want"
		lang_rows "$rep" 'select(.type == "golang") | "\(.name)@\(.version)"' >"$L/go.got"
		lang_sets "$L/go.want" "$L/go.got"
		t=$(lang_diff_id 3)
		[ "$(jq --arg d "$t" '[.packages[] | select(.type == "golang")
			| select(.found_in != "usr/local/bin/sampleapp" or .layer.diff_id != $d)] | length' "$rep")" = 0 ] ||
			why "golang packages not from usr/local/bin/sampleapp in layer 3 ($t)"
		verdict lang/golang
	fi

	# ------------------------------------------------------------ maven
	# java.tsv: path, layer, name, version, deb_package, deb_version, deb_upstream_version
	tail -n +2 "$dir/java.tsv" | awk -F'\t' '{ print $3 "\t" $4 "\t" $1 }' | LC_ALL=C sort >"$L/maven.want"
	if want lang/maven-files; then
		grep -q '!' "$L/maven.want" || why "java.tsv has no nested jar: the fixture lost its point"
		lang_rows "$rep" 'select(.type == "maven") | [.name, .version, .found_in] | map(tostring) | join("\t")' >"$L/maven.got"
		lang_sets "$L/maven.want" "$L/maven.got"
		verdict lang/maven-files
	fi
	if want lang/maven-owner || want lang/maven-layer; then
		local path layer name debpkg owner_want owner_got got_diff nmaven
		nmaven=$(jq '[.packages[] | select(.type == "maven")] | length' "$rep")
		local owner_why=() layer_why=()
		while IFS=$'\t' read -r path layer name _ debpkg _ _; do
			read -r owner_got got_diff < <(jq -r --arg p "$path" --arg n "$name" \
				'[.packages[] | select(.type == "maven" and .found_in == $p and .name == $n)][0]
				| "\(.owner // "null") \(.layer.diff_id // "none")"' "$rep")
			if [ "$debpkg" = - ]; then
				owner_want=null
			else
				owner_want=$(jq -r --arg n "$debpkg" '[.packages[] | select(.type == "deb" and .name == $n)][0].purl // "no-such-deb"' "$rep")
			fi
			[ "$owner_got" = "$owner_want" ] || owner_why+=("$path: owner $owner_got, want $owner_want")
			[ "$got_diff" = "$(lang_diff_id "$layer")" ] || layer_why+=("$path: layer $got_diff, want layer $layer $(lang_diff_id "$layer")")
		done < <(tail -n +2 "$dir/java.tsv")
		if want lang/maven-owner; then
			[ "$nmaven" -gt 0 ] || why "no maven package at all"
			for c in "${owner_why[@]}"; do why "$c"; done
			verdict lang/maven-owner
		fi
		if want lang/maven-layer; then
			[ "$nmaven" -gt 0 ] || why "no maven package at all"
			for c in "${layer_why[@]}"; do why "$c"; done
			verdict lang/maven-layer
		fi
	fi
	E2E_WHY=()

	# ------------------------------------------------------------ rootfs
	local rrep=""
	if want lang/rootfs || want lang/rootfs-lockfile || want lang/rootfs-lockfile-dev; then
		cwd=$(fresh_cwd lang/rootfs)
		run_scanner lang/rootfs "$cwd" "$TIMEOUT" rootfs --format json --output out.json "$dir/rootfs"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
		if [ -f "$cwd/out.json" ] && report_ok lang/rootfs "$cwd/out.json"; then
			rrep=$L/rootfs.json
			cp "$cwd/out.json" "$rrep"
			# everything but npm as in the image (found_in the same), without layers
			lang_rows "$rep" 'select(.type != "npm") | [.type, .name, .version, .found_in, .owner] | map(tostring) | join("\t")' >"$L/rootfs.want"
			lang_rows "$rrep" 'select(.type != "npm") | [.type, .name, .version, .found_in, .owner] | map(tostring) | join("\t")' >"$L/rootfs.got"
			lang_sets "$L/rootfs.want" "$L/rootfs.got"
			[ "$(jq '[.packages[] | select(.layer != null)] | length' "$rrep")" = 0 ] || why "packages with a layer in a rootfs scan"
		else
			why "no report"
		fi
		want lang/rootfs && verdict lang/rootfs
		E2E_WHY=()
	fi
	if want lang/rootfs-lockfile; then
		if [ -n "$rrep" ]; then
			# the image's npm packages (the oracle, not the image scan), plus the lockfile's
			{
				cat "$L/lock.rows"
				cut -f1,2 "$L/lock.rows" | awk -F'\t' '{ print $1 "\t" $2 "\tapp/node/package-lock.json" }'
			} | LC_ALL=C sort >"$L/rootfs-npm.want"
			lang_rows "$rrep" 'select(.type == "npm") | [.name, .version, .found_in] | map(tostring) | join("\t")' >"$L/rootfs-npm.got"
			lang_sets "$L/rootfs-npm.want" "$L/rootfs-npm.got"
		else
			why "no rootfs report"
		fi
		verdict lang/rootfs-lockfile
	fi
	if want lang/rootfs-lockfile-dev; then
		if [ -n "$rrep" ]; then
			[ -s "$L/lock.dev" ] || why "package-lock.json has no dev package: the fixture lost its point"
			lang_rows "$rrep" 'select(.type == "npm") | "\(.name)@\(.version)"' | LC_ALL=C comm -12 - "$L/lock.dev" >"$L/rootfs-dev.got"
			[ -s "$L/rootfs-dev.got" ] && why "devDependencies reported: $(tr '\n' ' ' <"$L/rootfs-dev.got")"
			# (a teeth check: the same set must be non-empty had they been reported)
			[ "$(jq '[.packages[] | select(.type == "npm" and .found_in == "app/node/package-lock.json")] | length' "$rrep")" -gt 0 ] ||
				why "no package from package-lock.json at all, so the devDependency's absence proves nothing"
		else
			why "no rootfs report"
		fi
		verdict lang/rootfs-lockfile-dev
	fi

	# ------------------------------------------------------------ trivy
	local tany=0 trivy_out
	for t in $LANG_TRIVY_TYPES; do want "trivy/lang-$t" && tany=1; done
	[ $tany = 1 ] || return 0
	if ! "$root/scripts/trivy.sh" >/dev/null 2>"$E2E_TMP/trivy-install.log"; then
		skip "trivy/lang-*" "Trivy could not be installed: $(tail -1 "$E2E_TMP/trivy-install.log")"
		return 0
	fi
	trivy_out=$E2E_TMP/compare-trivy.txt
	cs compare-trivy "$E2E_TMP" 300 "$root/scripts/compare-trivy.sh" --customs "$CUSTOMS" \
		--expected "$here/trivy-lang.expected.tsv" "$dir/lang.docker.tar"
	cp "$CS_OUT" "$trivy_out"
	if [ "$CS_RC" -ge 2 ]; then
		for t in $LANG_TRIVY_TYPES; do
			want "trivy/lang-$t" && fail "trivy/lang-$t" "compare-trivy.sh failed (exit $CS_RC): $(tail -2 "$CS_ERR" | tr '\n' ' ' | head -c 300)"
		done
		return 0
	fi
	grep '^# ' "$trivy_out" | sed 's/^# /# trivy\/lang: /'
	for t in $LANG_TRIVY_TYPES; do
		want "trivy/lang-$t" || continue
		# unexpected lines of this type: no "expected:" column, and stale expectations
		awk -F'\t' -v t="$t" '
			$1 == "stale" && $3 == t { print; next }
			($1 == "only-trivy" || $1 == "only-customs" || $1 == "layer") && $2 == t && $NF !~ /^expected: / { print }
		' "$trivy_out" >"$L/trivy-$t.bad"
		if [ -s "$L/trivy-$t.bad" ]; then
			why "$(wc -l <"$L/trivy-$t.bad") differences from Trivy not in tests/e2e/trivy-lang.expected.tsv: $(head -4 "$L/trivy-$t.bad" | tr '\t\n' ' ;' | head -c 400)"
		fi
		grep -q "^# $t: trivy [1-9]" "$trivy_out" || why "Trivy found no $t package: the comparison has no teeth"
		verdict "trivy/lang-$t"
	done
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin lang
	lang_group
	group_end
fi
