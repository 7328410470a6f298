# shellcheck shell=bash disable=SC2154 # here, root, SHARED, ... are run.sh's
# vuln.sh - the vulnerability group of tests/e2e/run.sh (sourced by it, after
# the trivy group and before the schema group, so that its reports are
# validated too). Everything offline, on real images and real feed data; the
# expected findings come from tests/e2e/vulncheck.py, which reads the feed
# files itself and orders versions with its own implementations (apk.py,
# dpkg --compare-versions, semver, python3-packaging). See docs/test-images.md
# ("Vulnerability tests").
#
#   vuln/alpine-310-clean, vuln/alpine-311-clean   patched images: no finding
#   vuln/alpine-edited       apk database edited to older versions: exactly
#                            the secdb's findings, tied to layer 0
#   vuln/bullseye-clean      Debian 11 from the archive: no debian-list finding
#   vuln/bullseye-dpkg-pypi  Debian's python3-urllib3: no PyPI finding
#   vuln/bullseye-edited     status edited to older openssl and zlib: exactly
#                            the DSA list's findings
#   vuln/sample-go-pypi      the sample image's Go binary and venv: exactly
#                            the OSV Go and PyPA findings, tied to layer 2
#   vuln/rpm-alma            an AlmaLinux 9 root with an rpmdb written by
#                            Debian's rpm: exactly the AlmaLinux OSV records'
#                            findings (binary names, rpm's own vercmp); the
#                            third-party rpm none
#   vuln/feeds-bad-records   malformed, unknown and absurd records skipped
#   vuln/feeds-truncated-zip a damaged archive rolled back whole
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, PY, SHARED, root, E2E_TMP, TIMEOUT, CUSTOMS.

VC=$here/vulncheck.py

# vuln_scan NAME image|rootfs TARGET: a JSON scan with the group's database into
# CWD/out.json; exit 0, stderr well formed, report kept for the schema pass.
# Sets VREP (the report, empty when there is none).
vuln_scan() {
	local name=$1 sub=$2 target=$3 cwd
	cwd=$(fresh_cwd "$name")
	VREP=""
	run_scanner "$name" "$cwd" "$TIMEOUT" "$sub" --db "$VDB" --format json --output out.json "$target"
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	if [ -f "$cwd/out.json" ] && report_ok "$name" "$cwd/out.json"; then
		VREP=$cwd/out.json
	else
		why "no report"
	fi
}

# vuln_check ARGS...: vulncheck.py ARGS; its complaints become whys, its
# summary is printed as a comment.
vuln_check() {
	local out rc=0 line
	out=$("$PY" "$VC" "$@" 2>&1) || rc=$?
	while IFS= read -r line; do
		case $line in
		'# '*) printf '%s\n' "$line" ;;
		*) if [ $rc = 0 ]; then printf '# %s\n' "$line"; else why "$line"; fi ;;
		esac
	done <<<"$out"
}

# vuln_count REPORT JQ-FILTER: how many findings match.
vuln_count() { jq "[.vulnerabilities[] | select($2)] | length" "$1"; }

vuln_alpine() {
	local AD=$SHARED/test-data/images/trivy-fanal v img name edited meta cwd diff by
	for v in 310 311; do
		name=vuln/alpine-$v-clean
		want "$name" || continue
		img=$AD/alpine-$v.tar.gz
		[ -f "$img" ] || { skip "$name" "$img missing"; continue; }
		vuln_scan "$name" image "$img"
		if [ -n "$VREP" ]; then
			[ "$(vuln_count "$VREP" true)" = 0 ] ||
				why "findings in a fully patched image: $(jq -c '[.vulnerabilities[] | [.package.name, .id]]' "$VREP" | head -c 300)"
			vuln_check alpine "$SHARED/test-data/vulndb/alpine-secdb" "$img" "$VREP"
		fi
		verdict "$name"
	done

	name=vuln/alpine-edited
	want "$name" || return 0
	img=$AD/alpine-311.tar.gz
	[ -f "$img" ] || { skip "$name" "$img missing"; return 0; }
	edited=$E2E_TMP/alpine-311-edited.tar
	# openssl's two binaries below 1.1.1b-r1 (letter versions), musl but not
	# musl-utils (the binary's own version counts), busybox below both of
	# CVE-2019-5747's fix versions (the secdb lists it under two)
	if ! meta=$("$PY" "$VC" alpine-image "$img" "$edited" libcrypto1.1=1.1.1a-r1 libssl1.1=1.1.1a-r1 \
		musl=1.1.23-r0 busybox=1.29.3-r5 2>&1); then
		fail "$name" "cannot build the edited image: $(printf '%s' "$meta" | tail -1)"
		return 0
	fi
	diff=$(jq -r .diff_id <<<"$meta")
	by=$(jq -r .created_by <<<"$meta")
	vuln_scan "$name" image "docker-archive:$edited"
	if [ -n "$VREP" ]; then
		[ "$(vuln_count "$VREP" true)" -ge 10 ] || why "only $(vuln_count "$VREP" true) findings"
		[ "$(jq --arg d "$diff" --arg by "$by" '[.vulnerabilities[] | select(.layer.index != 0 or .layer.diff_id != $d or .created_by != $by)] | length' "$VREP")" = 0 ] ||
			why "findings not tied to layer 0 ($diff, created_by $by)"
		vuln_check alpine "$SHARED/test-data/vulndb/alpine-secdb" "$edited" "$VREP"
	fi
	verdict "$name"
	# the oracle has teeth: a finding dropped, one renamed, a fixed version changed
	if [ -n "$VREP" ] && want vuln/oracle-teeth; then
		local mut=$E2E_TMP/alpine-edited-mutated.json out
		jq '.vulnerabilities |= (.[1:] | .[0].fixed_version = "9" | .[1].id = "CVE-2000-1")' "$VREP" >"$mut"
		if out=$("$PY" "$VC" alpine "$SHARED/test-data/vulndb/alpine-secdb" "$edited" "$mut" 2>&1); then
			why "vulncheck.py accepted a mutated report"
		else
			[ "$(grep -c 'missed\|unexpected\|fixed_version' <<<"$out")" -ge 3 ] || why "vulncheck.py saw too little: $(tr '\n' ' ' <<<"$out" | head -c 200)"
		fi
		verdict vuln/oracle-teeth
	fi
}

vuln_bullseye() {
	local any=0 c dir name lists rf n
	for c in clean dpkg-pypi edited; do want "vuln/bullseye-$c" && any=1; done
	[ $any = 1 ] || return 0
	if [ "$(id -u)" != 0 ] && ! dir=$("$root/scripts/build-bullseye.sh" 2>/dev/null | tail -1); then
		skip "vuln/bullseye-*" "the bullseye image is not cached and building it needs root (sudo scripts/build-bullseye.sh)"
		return 0
	fi
	if ! dir=$("$root/scripts/build-bullseye.sh" 2>"$E2E_TMP/build-bullseye.log" | tail -1) || [ ! -f "$dir/complete" ]; then
		fail "vuln/bullseye-build" "scripts/build-bullseye.sh failed: $(tail -3 "$E2E_TMP/build-bullseye.log" | tr '\n' ' ' | head -c 300)"
		return 0
	fi
	echo "# bullseye image in $dir ($(cut -f2 "$dir/sources.txt" | tr '\n' ';'))"
	lists=("$SHARED/test-data/vulndb/debian-security-tracker/DSA/list" "$SHARED/test-data/vulndb/debian-security-tracker/DLA/list")

	if want vuln/bullseye-clean; then
		vuln_scan vuln/bullseye-clean image "oci:$dir/oci:bullseye"
		if [ -n "$VREP" ]; then
			n=$(vuln_count "$VREP" '.data_source | startswith("debian-list")')
			[ "$n" = 0 ] || why "$n debian-list findings (false positives: every DSA/DLA in the lists is fixed in bullseye's last point release): $(jq -c '[.vulnerabilities[] | select(.data_source | startswith("debian-list")) | [.package.name, .installed_version, .id, .fixed_version]]' "$VREP" | head -c 300)"
			# other sources (the vunnel samples' tracker JSON) are listed by vulncheck
			[ "$(jq -r .artifact.os.version "$VREP")" = 11.11 ] || why "os.version $(jq -r .artifact.os.version "$VREP"), want 11.11"
			vuln_check debian "${lists[@]}" -- "$dir/status" "$VREP"
		fi
		verdict vuln/bullseye-clean
	fi

	if want vuln/bullseye-dpkg-pypi; then
		vuln_scan vuln/bullseye-dpkg-pypi image "oci:$dir/oci:bullseye"
		if [ -n "$VREP" ]; then
			local path ver owned teeth
			path=$(head -1 "$dir/expected.urllib3-path.txt")
			ver=$(basename "$path" | sed -E 's/^urllib3-(.*)\.(egg|dist)-info$/\1/')
			owned=$(jq -r --arg p "${path#/}" '[.packages[] | select(.type == "pypi" and .name == "urllib3" and (.found_in | startswith($p)))][0] | .owner // "none"' "$VREP")
			case $owned in pkg:deb/debian/python3-urllib3@*) ;; *) why "urllib3 $ver at $path: owner $owned, want python3-urllib3" ;; esac
			teeth=$("$PY" "$VC" osv-count "$SHARED/test-data/vulndb/osv-pypi-yaml" urllib3 "$ver" 2>&1)
			[ "${teeth%% *}" -gt 0 ] 2>/dev/null || why "PyPA lists no advisory for urllib3 $ver: the case has no teeth ($teeth)"
			n=$(vuln_count "$VREP" '.package.type == "pypi"')
			[ "$n" = 0 ] || why "$n PyPI findings for dpkg-owned packages: $(jq -c '[.vulnerabilities[] | select(.package.type == "pypi") | [.package.name, .id]]' "$VREP" | head -c 300)"
			echo "# urllib3 $ver owned by ${owned%%\?*}: PyPA has ${teeth%% *} advisories for it, none reported"
		fi
		verdict vuln/bullseye-dpkg-pypi
	fi

	if want vuln/bullseye-edited; then
		# customs rootfs on os-release and the dpkg status only, with libssl1.1
		# (source openssl) back to bullseye's 1.1.1k-1+deb11u1 and zlib1g to
		# 1:1.2.11.dfsg-2 (an epoch)
		rf=$E2E_TMP/bullseye-edited
		rm -rf "$rf"
		mkdir -p "$rf"
		cp -r "$dir/status/." "$rf/"
		"$PY" - "$rf/var/lib/dpkg/status" <<'EOF'
import re, sys
p = sys.argv[1]
edits = {"libssl1.1": "1.1.1k-1+deb11u1", "zlib1g": "1:1.2.11.dfsg-2"}
blocks = open(p).read().split("\n\n")
for i, b in enumerate(blocks):
    m = re.search(r"^Package: (\S+)$", b, re.M)
    if m and m.group(1) in edits:
        blocks[i] = re.sub(r"^Version: .*$", "Version: " + edits.pop(m.group(1)), b, count=1, flags=re.M)
if edits:
    sys.exit("not in the status file: %s" % sorted(edits))
open(p, "w").write("\n\n".join(blocks))
EOF
		vuln_scan vuln/bullseye-edited rootfs "$rf"
		if [ -n "$VREP" ]; then
			n=$(vuln_count "$VREP" '.data_source | startswith("debian-list")')
			[ "$n" -ge 4 ] || why "only $n debian-list findings"
			[ "$(vuln_count "$VREP" '.layer != null or .created_by != null')" = 0 ] || why "findings with a layer in a rootfs scan"
			vuln_check debian "${lists[@]}" -- "$rf" "$VREP"
		fi
		verdict vuln/bullseye-edited
	fi
}

vuln_sample() {
	local dir name=vuln/sample-go-pypi n
	want "$name" || return 0
	if ! dir=$(cd "$root" && scripts/build-images.sh 2>/dev/null | tail -1) || [ ! -f "$dir/complete" ]; then
		skip "$name" "no sample image"
		return 0
	fi
	vuln_scan "$name" image "oci:$dir/oci:sample"
	if [ -n "$VREP" ]; then
		for n in stdlib golang.org/x/net urllib3 pip requests; do
			[ "$(vuln_count "$VREP" ".package.name == \"$n\"")" -gt 0 ] || why "no finding for $n"
		done
		[ "$(vuln_count "$VREP" '.package.name == "stdlib" and (.id | test("^(CVE|GO)-"))')" = \
			"$(vuln_count "$VREP" '.package.name == "stdlib"')" ] || why "stdlib findings whose id is neither CVE- nor GO-"
		vuln_check osv "$SHARED/test-data/vulndb/osv-go" "$SHARED/test-data/vulndb/osv-pypi-yaml" "$dir" "$VREP"
	fi
	verdict "$name"
}

# ---------------------------------------------------------------- bad feeds

vuln_feeds() {
	local V=$SHARED/test-data/vulndb F=$E2E_TMP/badfeeds name db cwd w
	want 'vuln/feeds-' || return 0
	rm -rf "$F"
	mkdir -p "$F/feeds/pypi" "$F/zipsrc"
	cp "$V/osv-go/GO-2022-0969.json" "$F/feeds/good.json"
	cp "$V/osv-pypi-yaml/urllib3/PYSEC-2023-212.yaml" "$F/feeds/pypi/good.yaml"
	printf '{"id": "GO-BAD-1", "modified": "2023-01-01T00:00:00Z", "affected": [' >"$F/feeds/bad.json"
	printf 'id: PYSEC-BAD-1\nmodified: 2023-01-01\naffected:\n  - package: {name: x\n   ecosystem: [PyPI\n' >"$F/feeds/bad.yaml"
	jq '.id = "GO-ECO-1" | .affected[0].package.ecosystem = "Gopher"' "$F/feeds/good.json" >"$F/feeds/eco.json"
	"$PY" - "$F" "$V" <<'EOF'
import glob, json, os, sys, zipfile
import yaml
F, V = sys.argv[1:3]
d = json.load(open(F + "/feeds/good.json"))
d["id"] = "GO-LONG-1"
d["affected"][0]["ranges"][0]["events"][1]["fixed"] = "1." + "9" * 10240       # 10 KB version
json.dump(d, open(F + "/feeds/long.json", "w"))
# the Alpine secdb in its JSON form, one fix version of 10 KB added to openssl
s = yaml.load(open(V + "/alpine-secdb/v3.11/main.yaml"), Loader=yaml.BaseLoader)
for p in s["packages"]:
    if p["pkg"]["name"] == "openssl":
        p["pkg"]["secfixes"]["1.1.1" + "z" * 10240 + "-r0"] = ["CVE-2099-0001"]
json.dump(s, open(F + "/feeds/main.json", "w"), indent=1)
with zipfile.ZipFile(F + "/all.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(glob.glob(V + "/osv-go/GO-2020-000*.json")):
        z.write(f, os.path.basename(f))
data = open(F + "/all.zip", "rb").read()
open(F + "/trunc.zip", "wb").write(data[: len(data) * 2 // 3])
print(" ".join(sorted(os.path.basename(f)[:-5] for f in glob.glob(V + "/osv-go/GO-2020-000*.json"))),
      file=open(F + "/zip-ids", "w"))
EOF
	# the db's advisory names, integrity, and the openssl rows, read with
	# Python's own sqlite3 (not through customs)
	db_facts() {
		"$PY" - "$1" <<'EOF'
import json, sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
print(json.dumps({
    "integrity": c.execute("pragma integrity_check").fetchone()[0],
    "names": sorted(r[0] for r in c.execute("select name from advisory")),
    "openssl": sorted(r[0] for r in c.execute(
        "select a.name from affected f join advisory a on a.id = f.advisory where f.package = 'openssl'")),
}))
EOF
	}

	name=vuln/feeds-bad-records
	if want "$name"; then
		db=$E2E_TMP/bad-records.sqlite
		cwd=$(fresh_cwd "$name")
		cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db import --db "$db" "$F/feeds"
		check_crash
		[ "$CS_RC" = 0 ] || why "exit $CS_RC, want 0: $(first_error | head -c 200)"
		[ "$(error_lines)" = 0 ] || why "error lines: $(first_error | head -c 200)"
		for w in "bad.json:malformed JSON" "bad.yaml:malformed YAML" "eco.json:Gopher" "long.json:longer than" "main.json:openssl"; do
			grep -q "^customs: warning: .*${w%%:*}.*${w#*:}" "$CS_ERR" || why "no warning naming ${w%%:*} ($w)"
		done
		local facts
		if ! facts=$(db_facts "$db" 2>&1); then
			why "the database cannot be read: $(printf '%s' "$facts" | tail -1)"
		else
			[ "$(jq -r .integrity <<<"$facts")" = ok ] || why "integrity_check: $(jq -r .integrity <<<"$facts")"
			for w in GO-2022-0969 PYSEC-2023-212 CVE-2019-1551; do
				jq -e --arg n "$w" '.names | index($n)' <<<"$facts" >/dev/null || why "good record $w missing"
			done
			for w in GO-BAD-1 PYSEC-BAD-1 GO-ECO-1 GO-LONG-1 CVE-2099-0001; do
				jq -e --arg n "$w" '.names | index($n) | not' <<<"$facts" >/dev/null || why "bad record $w stored"
			done
			# openssl's other fixes are all there: those of the real file
			local want_ssl
			want_ssl=$("$PY" -c '
import sys, yaml, json
d = yaml.load(open(sys.argv[1]), Loader=yaml.BaseLoader)
print(json.dumps(sorted({c for p in d["packages"] if p["pkg"]["name"] == "openssl" for v in p["pkg"]["secfixes"].values() for c in v}), separators=(",", ":")))' \
				"$V/alpine-secdb/v3.11/main.yaml")
			[ "$(jq -c .openssl <<<"$facts")" = "$want_ssl" ] || why "openssl entries $(jq -c .openssl <<<"$facts"), want $want_ssl"
		fi
		cs "$name-info" "$cwd" "$TIMEOUT" "$CUSTOMS" db info --db "$db"
		check_crash
		[ "$CS_RC" = 0 ] || why "db info: exit $CS_RC"
		grep -Eq '^osv-feeds +2 ' "$CS_OUT" || why "db info does not list osv-feeds with 2 advisories: $(grep osv "$CS_OUT" | head -1)"
		verdict "$name"
	fi

	name=vuln/feeds-truncated-zip
	if want "$name"; then
		db=$E2E_TMP/truncated-zip.sqlite
		cwd=$(fresh_cwd "$name")
		cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db import --db "$db" "$F/feeds/good.json" "$F/trunc.zip" "$F/feeds/pypi"
		check_crash
		[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3 (an archive rolled back)"
		[ "$(grep -c '^customs: warning: .*trunc\.zip.*damaged archive' "$CS_ERR")" = 1 ] ||
			why "want one 'damaged archive' warning naming trunc.zip: $(grep trunc "$CS_ERR" | head -2 | tr '\n' ' ' | head -c 200)"
		local facts
		if ! facts=$(db_facts "$db" 2>&1); then
			why "the database cannot be read: $(printf '%s' "$facts" | tail -1)"
		else
			[ "$(jq -r .integrity <<<"$facts")" = ok ] || why "integrity_check: $(jq -r .integrity <<<"$facts")"
			[ "$(jq -c .names <<<"$facts")" = '["GO-2022-0969","PYSEC-2023-212"]' ] ||
				why "advisories $(jq -c .names <<<"$facts"), want the two good ones only (nothing of $(cat "$F/zip-ids"))"
		fi
		cs "$name-info" "$cwd" "$TIMEOUT" "$CUSTOMS" db info --db "$db"
		check_crash
		[ "$CS_RC" = 0 ] || why "db info: exit $CS_RC"
		verdict "$name"
	fi
}

# The database's presence and age as a scan sees them: none is a clear
# error before any work (exit 3), unless vuln is left out; an old one is a
# warning that --db-max-age 0 silences.
vuln_dbstate() {
	local img=$SHARED/test-data/images/trivy-fanal/alpine-311.tar.gz cwd old
	want 'vuln/db-' || return 0
	cwd=$E2E_TMP/dbstate
	mkdir -p "$cwd"
	CUSTOMS_DB=$E2E_TMP/no-such.sqlite cs db-missing "$cwd" 60 "$CUSTOMS" image --format json -o out.json "$img"
	check_crash
	[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
	[ "$(error_lines)" = 1 ] || why "want one error line, got: $(head -c 300 "$CS_ERR")"
	grep -q "no vulnerability database at '$E2E_TMP/no-such.sqlite'" "$CS_ERR" || why "error does not name the path: $(head -c 200 "$CS_ERR")"
	[ -e "$cwd/out.json" ] && why "a report was written"
	[ -e "$E2E_TMP/no-such.sqlite" ] && why "the scan created a database"
	verdict vuln/db-missing
	CUSTOMS_DB=$E2E_TMP/no-such.sqlite cs db-missing-base "$cwd" 60 "$CUSTOMS" image --scanners base --format json -o base.json "$img"
	check_crash
	[ "$CS_RC" = 0 ] || why "exit $CS_RC with --scanners base, want 0"
	verdict vuln/db-missing-not-needed
	old=$E2E_TMP/old.sqlite
	rm -f "$old"
	# An import stamped 30 days ago (the store honours SOURCE_DATE_EPOCH).
	SOURCE_DATE_EPOCH=$(($(date +%s) - 30 * 86400)) "$CUSTOMS" db import --quiet --db "$old" \
		"$SHARED/test-data/vulndb/alpine-secdb/v3.11" 2>/dev/null || why "import failed"
	CUSTOMS_DB=$old cs db-old "$cwd" 60 "$CUSTOMS" image --format json -o old.json "$img"
	check_crash
	[ "$CS_RC" = 0 ] || why "exit $CS_RC, want 0"
	grep -q "warning: the vulnerability database '$old' is 30 days old" "$CS_ERR" || why "no age warning: $(head -c 200 "$CS_ERR")"
	CUSTOMS_DB=$old cs db-old-allowed "$cwd" 60 "$CUSTOMS" image --db-max-age 0 --format json -o old0.json "$img"
	grep -q "days old" "$CS_ERR" && why "--db-max-age 0 still warns"
	CUSTOMS_DB=$old cs db-old-allowed "$cwd" 60 "$CUSTOMS" image --db-max-age 45 --format json -o old45.json "$img"
	grep -q "days old" "$CS_ERR" && why "--db-max-age 45 warns about a 30-day-old database"
	verdict vuln/db-age
}

# An AlmaLinux 9 root filesystem whose rpmdb (SQLite) Debian's rpm writes
# from packages rpmbuild makes: avahi-libs and avahi-glib 0.8-12.el9 (source
# avahi; ALSA-2024:2433 fixes them in 0.8-20.el9), libtiff 4.4.0-2.el9
# (exactly the fixed version of ALSA-2022:8194: not affected) and
# avahi-tools 0.8-1 from another vendor (the feed lists it, but it is not
# AlmaLinux's build: no finding).
vuln_rpm() {
	want vuln/rpm-alma || return 0
	local w=$E2E_TMP/rpm-alma rf spec
	if ! command -v rpmbuild >/dev/null; then
		fail vuln/rpm-alma "rpmbuild is missing (scripts/deps.sh test installs rpm)"
		return 0
	fi
	rm -rf "$w"
	mkdir -p "$w/top" "$w/root/etc" "$w/root/var/lib/rpm"
	rf=$w/root
	printf '%s\n' 'NAME="AlmaLinux"' 'VERSION="9.3 (Shamrock Pampas Cat)"' 'ID="almalinux"' 'ID_LIKE="rhel centos fedora"' \
		'VERSION_ID="9.3"' 'PRETTY_NAME="AlmaLinux 9.3 (Shamrock Pampas Cat)"' >"$rf/etc/os-release"
	# spec NAME VERSION RELEASE VENDOR SUBPACKAGE...: one file per binary package
	spec() {
		local name=$1 ver=$2 rel=$3 vendor=$4 sub f
		shift 4
		f=$w/$name.spec
		printf '%s\n' "Name: $name" "Version: $ver" "Release: $rel" "Summary: e2e" "License: MIT" \
			"Vendor: $vendor" "BuildArch: noarch" "%description" "e2e" >"$f"
		for sub in "$@"; do
			printf '%s\n' "%package $sub" "Summary: e2e" "%description $sub" "e2e" >>"$f"
		done
		printf '%s\n' "%install" "mkdir -p %{buildroot}/usr/share/e2e-$name" >>"$f"
		for sub in "$@"; do
			printf '%s\n' "echo $sub > %{buildroot}/usr/share/e2e-$name/$sub" >>"$f"
		done
		for sub in "$@"; do
			printf '%s\n' "%files $sub" "/usr/share/e2e-$name/$sub" >>"$f"
		done
		rpmbuild --quiet --define "_topdir $w/top" -bb "$f" >>"$w/build.log" 2>&1
	}
	if ! spec avahi 0.8 12.el9 AlmaLinux libs glib || ! spec libtiff 4.4.0 2.el9 AlmaLinux devel ||
		! spec avahi 0.8 1 "Acme Corp" tools; then
		fail vuln/rpm-alma "rpmbuild failed: $(tail -3 "$w/build.log" | tr '\n' ' ')"
		return 0
	fi
	if ! rpm --dbpath "$rf/var/lib/rpm" --define '_db_backend sqlite' -i --justdb --nodeps --ignorearch \
		"$w"/top/RPMS/noarch/*.rpm >>"$w/build.log" 2>&1; then
		fail vuln/rpm-alma "rpm -i --justdb failed: $(tail -3 "$w/build.log" | tr '\n' ' ')"
		return 0
	fi
	rpm -qa --dbpath "$rf/var/lib/rpm" --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\t%{VENDOR}\n' 2>/dev/null |
		sed 's/\t(none):/\t/' | LC_ALL=C sort >"$w/installed.tsv"
	vuln_scan vuln/rpm-alma rootfs "$rf"
	if [ -n "$VREP" ]; then
		[ "$(jq '[.packages[] | select(.type == "rpm")] | length' "$VREP")" = "$(wc -l <"$w/installed.tsv")" ] ||
			why "rpm packages $(jq -c '[.packages[] | select(.type == "rpm") | .name]' "$VREP"), want those of rpm -qa"
		[ "$(jq -r '[.packages[] | select(.name == "avahi-tools")][0].third_party' "$VREP")" = true ] ||
			why "avahi-tools (vendor Acme Corp) not marked third_party"
		# ALSA-2024:2433's synopsis: "Moderate: avahi security update"
		[ "$(jq -c '[.vulnerabilities[] | [.severity, (.severity_source != null)]] | unique' "$VREP")" = '[["medium",true]]' ] ||
			why "severities $(jq -c '[.vulnerabilities[] | [.id, .severity, .severity_source]]' "$VREP"), want medium from the advisory"
		vuln_check rpm "$SHARED/test-data/vulndb/vunnel-samples/alma" AlmaLinux:9 AlmaLinux "$w/installed.tsv" "$VREP"
	fi
	verdict vuln/rpm-alma
}

vuln_group() {
	local VDB any=0 c
	vuln_dbstate
	for c in alpine-310-clean alpine-311-clean alpine-edited oracle-teeth bullseye-clean bullseye-dpkg-pypi bullseye-edited \
		sample-go-pypi rpm-alma feeds-bad-records feeds-truncated-zip; do want "vuln/$c" && any=1; done
	[ $any = 1 ] || return 0
	if ! "$PY" -c 'import yaml, packaging.version' 2>/dev/null; then
		skip "vuln/*" "python3-yaml or python3-packaging missing (apt-get install python3-yaml python3-packaging): THE VULNERABILITY ORACLES DID NOT RUN"
		return 0
	fi
	# A database of exactly the shared feeds, whatever CUSTOMS_DB says.
	VDB=$E2E_TMP/vulndb.sqlite
	if [ "${CUSTOMS_DB:-}" != "$VDB" ] || [ ! -s "$VDB" ]; then
		VDB=$E2E_TMP/vuln-group.sqlite
		if ! "$CUSTOMS" db import --quiet --db "$VDB" "$SHARED/test-data/vulndb" 2>"$E2E_TMP/vuln-db.log"; then
			fail vuln/db "customs db import failed: $(head -2 "$E2E_TMP/vuln-db.log" | tr '\n' ' ')"
			return 0
		fi
	fi
	vuln_alpine
	vuln_bullseye
	vuln_sample
	vuln_rpm
	vuln_feeds
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin vuln
	vuln_group
	group_end
fi
