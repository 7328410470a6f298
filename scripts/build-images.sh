#!/usr/bin/env bash
# build-images.sh - builds customs' real test and sample images from the Debian
# archive, without a container daemon (mmdebstrap, chroot, umoci, skopeo), and
# caches them outside the clone.
#
#   dir=$(scripts/build-images.sh | tail -1)
#
# The last line on stdout is the absolute path of the cache directory
# ${CUSTOMS_CACHE:-$HOME/.cache/customs}/images/<key>, where <key> is the first
# 16 hex digits of a sha256 over this script and scripts/images/. A directory
# with a `complete` file is used as it is (a warm run takes well under a second);
# otherwise the images are built in a temporary directory beside it that is
# renamed into place at the very end, so an interrupted build never leaves a
# half cache. Progress goes to stderr; the tools' output goes to a log that is
# shown only on failure. Needs root. What is built, and why, is told in
# docs/test-images.md.
set -euo pipefail
umask 022
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec 3>&1 1>&2 # stdout carries the result path only

log() { printf 'build-images: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# The key covers every input in the repository; a change to any of them
# builds a new directory (old ones are left for the user to delete).
key=$(
	cd "$here"
	{
		cat build-images.sh
		find images -type f ! -path '*/__pycache__/*' -print | sort | while IFS= read -r f; do
			printf '\n==> %s <==\n' "$f"
			cat "$f"
		done
	} | sha256sum | cut -c1-16
)
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}
mkdir -p "$cache/images"
cache=$(cd "$cache" && pwd)
final=$cache/images/$key

if [ -f "$final/complete" ]; then
	log "cached: $final"
	echo "$final" >&3
	exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot and umoci unpack need it); try: sudo $0"
[ "$(dpkg --print-architecture)" = amd64 ] || die "the sample image is linux/amd64; this machine is $(dpkg --print-architecture)"
for t in mmdebstrap umoci skopeo go python3 zstd jq unshare chroot flock dpkg-deb tar gzip; do
	command -v "$t" >/dev/null || die "'$t' is missing; run: scripts/deps.sh test"
done
py=$(command -v /usr/bin/python3 || command -v python3)
unshare --mount --propagation private true 2>/dev/null ||
	die "cannot create a mount namespace (unshare -m): run on a VM or in a privileged container"

# One build at a time: a second caller waits here, then finds the result.
exec 9>"$cache/images/.lock"
if ! flock -n 9; then
	log "waiting for another build (lock $cache/images/.lock)"
	flock 9
fi
if [ -f "$final/complete" ]; then
	log "cached: $final"
	echo "$final" >&3
	exit 0
fi

# Leftovers of interrupted builds. Every mount a build makes lives in a private
# mount namespace that dies with the build, but check anyway before deleting.
for d in "$cache"/images/.build-*; do
	[ -d "$d" ] || continue
	if findmnt -rn -o TARGET | grep -F "$d/" >/dev/null; then
		log "warning: not removing $d: something is mounted below it"
	else
		rm -rf --one-file-system "$d"
	fi
done
[ -e "$final" ] && rm -rf --one-file-system "$final" # incomplete: no marker

work=$(mktemp -d "$cache/images/.build-$key.XXXXXX")
logf=$work/build.log
out=$work/out
mkdir -p "$out"
t0=$(date +%s)

on_exit() {
	local rc=$?
	set +e # (stderr may be gone: a failed log line must not skip the cleanup)
	if [ "$rc" -ne 0 ]; then
		log "failed (exit $rc); last lines of the log:"
		tail -n 40 "$logf" >&2 || true
		cp "$logf" "$cache/images/last-failed-build.log" 2>/dev/null &&
			log "whole log: $cache/images/last-failed-build.log"
	fi
	rm -rf --one-file-system "$work"
}
trap on_exit EXIT
trap 'exit 130' INT TERM HUP PIPE

step() { log "[$(($(date +%s) - t0))s] $*"; }
run() { "$@" >>"$logf" 2>&1; } # quiet: output to the log

# Fixed times for history and config (2025-05-20T00:00:00Z, near the Debian
# 12.11 point release); one minute per Dockerfile step.
export SOURCE_DATE_EPOCH=1747699200
ts() { date -u -d "@$((SOURCE_DATE_EPOCH + $1 * 60))" +%Y-%m-%dT%H:%M:%SZ; }

# The Debian bookworm repositories the host's apt uses (its mirror, whatever
# the sources format), as one-line sources for mmdebstrap, which also writes
# them into the image's /etc/apt/sources.list. Without any (no apt lists on
# the host) mmdebstrap's default mirror with updates and security.
mirrors=()
while IFS= read -r line; do
	mirrors+=("$line")
done < <(apt-cache policy 2>/dev/null | awk '
	$1 ~ /^-?[0-9]+$/ && $2 ~ /:\/\// && $3 ~ /\// && $4 == "amd64" {
		uri = $2; split($3, sc, "/"); suite = sc[1]; comp = sc[2]; next
	}
	/^ +release / && uri != "" {
		if ($0 ~ /o=Debian,/ && $0 ~ /n=bookworm(-updates|-security)?,/) {
			k = uri " " suite
			if (!(k in comps)) order[++n] = k
			if (index(comps[k] " ", " " comp " ") == 0) comps[k] = comps[k] " " comp
		}
		uri = ""; next
	}
	END { for (i = 1; i <= n; i++) print "deb " order[i] comps[order[i]] }')
if [ "${#mirrors[@]}" -gt 0 ]; then
	log "apt sources from the host: $(printf '%s; ' "${mirrors[@]}")"
else
	log "no Debian bookworm sources in the host's apt lists; using mmdebstrap's default mirror"
fi

# in_chroot ROOTFS SCRIPT (scripts/images/chroot.sh): SCRIPT inside ROOTFS.
# shellcheck source=scripts/images/chroot.sh
. "$here/images/chroot.sh"

# strip_rootfs ROOTFS: what a container image's base layer does not carry:
# device nodes (the runtime provides /dev) and the build host's resolv.conf
# and hostname that mmdebstrap copies in.
strip_rootfs() {
	find "$1/dev" -mindepth 1 -xdev -delete
	rm -f "$1/etc/resolv.conf" "$1/etc/hostname"
}

dpkg_tsv() {
	dpkg-query --admindir="$1/var/lib/dpkg" -W \
		-f '${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' | sort
}

manifest_of() { # LAYOUT TAG -> manifest JSON
	local d
	d=$(jq -r --arg t "$2" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$1/index.json")
	cat "$1/blobs/sha256/${d#sha256:}"
}

oci=$out/oci
bundle=$work/bundle
rootfs=$bundle/rootfs
img=$oci:sample
purposes=()

# repack CREATED CREATED_BY PURPOSE: the bundle's changes become one layer.
repack() {
	run umoci repack --refresh-bundle --image "$img" --history.created "$1" --history.created_by "$2" "$bundle"
	purposes+=("$3")
}
# config_step CREATED CREATED_BY UMOCI-CONFIG-ARGS...: a config-only step (an
# empty_layer history entry), then the bundle is pointed at the new image so
# the next repack builds on it (see ocitool.py rebase-bundle).
config_step() {
	local created=$1 by=$2
	shift 2
	run umoci config --image "$img" --history.created "$created" --history.created_by "$by" "$@"
	[ ! -d "$bundle" ] || run "$py" "$here/images/ocitool.py" rebase-bundle "$bundle" "$oci" sample
}

# ---------------------------------------------------------------- layer 1
# Like Debian's official images: merged /usr by the usr-is-merged package (not
# usrmerge, which drags perl in) and, like the -slim ones, no locales, man
# pages or info (but the docs stay, for layer 4 to delete).
slim=()
for p in locale man info groff lintian; do
	slim+=("--dpkgopt=path-exclude=/usr/share/$p/*")
done
step "layer 1: mmdebstrap --variant=minbase bookworm"
run umoci init --layout "$oci"
run umoci new --image "$img"
run umoci unpack --image "$img" "$bundle"
run unshare --mount --propagation private -- \
	mmdebstrap --mode=root --variant=minbase --format=directory \
	--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr "${slim[@]}" \
	--aptopt='Acquire::Retries "3"' bookworm "$rootfs" "${mirrors[@]}"
strip_rootfs "$rootfs"
dpkg_tsv "$rootfs" >"$out/expected.dpkg-query.base.tsv"
repack "$(ts 1)" "ADD rootfs.tar / # mmdebstrap --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --dpkgopt=path-exclude=/usr/share/{locale,man,info,groff,lintian}/* bookworm" \
	"base: Debian bookworm minbase root filesystem made by mmdebstrap"
config_step "$(ts 2)" 'CMD ["bash"]' --config.cmd bash
config_step "$(ts 3)" 'ENV LANG=C.UTF-8' --config.env LANG=C.UTF-8 \
	--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ---------------------------------------------------------------- layer 2
step "layer 2: apt-get install ca-certificates curl python3 python3-venv python3-wheel-whl"
apt_pkgs="ca-certificates curl python3 python3-venv python3-wheel-whl"
# Also fetched (not installed) with the image's apt, for the host-side build
# of layer 3: Go modules and Python code from Debian packages.
dl_pkgs="golang-golang-x-net-dev golang-golang-x-text-dev python3-requests python3-urllib3"
dl_pkgs="$dl_pkgs python3-idna python3-certifi python3-charset-normalizer python3-six"
in_chroot "$rootfs" "
apt-get update -qq
apt-get install -y -qq --no-install-recommends $apt_pkgs
mkdir /tmp/customs-dl && chown _apt /tmp/customs-dl && cd /tmp/customs-dl
apt-get download -qq $dl_pkgs
apt-get clean
rm -rf /var/lib/apt/lists/*"
mv "$rootfs/tmp/customs-dl" "$work/debs"
dpkg_tsv "$rootfs" | cut -f1 | grep -x curl >/dev/null || die "layer 2 did not install curl"
repack "$(ts 4)" "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends $apt_pkgs && rm -rf /var/lib/apt/lists/* # buildkit" \
	"packages: more Debian packages installed with apt (curl is purged again in layer 4)"

# ---------------------------------------------------------------- layer 3
step "layer 3: Go program (vendored golang.org/x modules) and Python venv"
debroot=$work/debroot
for d in "$work"/debs/*.deb; do run dpkg-deb -x "$d" "$debroot"; done
upver() { # Debian version of an installed-from-file package -> Go module version
	dpkg-deb -f "$(ls "$work"/debs/"$1"_*.deb)" Version | sed -e 's/^[0-9]*://' -e 's/[+~-].*//' -e 's/^/v/'
}
src=$work/sampleapp
cp -r "$here/images/sampleapp" "$src"
mkdir -p "$src/vendor/golang.org/x"
cp -r "$debroot/usr/share/gocode/src/golang.org/x/net" "$debroot/usr/share/gocode/src/golang.org/x/text" \
	"$src/vendor/golang.org/x/"
netv=$(upver golang-golang-x-net-dev)
textv=$(upver golang-golang-x-text-dev)
printf '\nrequire (\n\tgolang.org/x/net %s\n\tgolang.org/x/text %s\n)\n' "$netv" "$textv" >>"$src/go.mod"
export GOFLAGS=-mod=vendor GOPROXY=off GOTOOLCHAIN=local GO111MODULE=on CGO_ENABLED=0 GOENV=off \
	GOPATH=$work/gopath GOCACHE=$cache/go-build
# vendor/modules.txt lists each vendored package under its module, so the
# linker records the modules (`dep` lines of `go version -m`).
pkgs=$(cd "$src" && printf '# golang.org/x/net %s\n## explicit; go 1.17\n# golang.org/x/text %s\n## explicit; go 1.17\n' \
	"$netv" "$textv" >vendor/modules.txt && go list -deps -f '{{if not .Standard}}{{.ImportPath}}{{end}}' . | sort)
{
	printf '# golang.org/x/net %s\n## explicit; go 1.17\n' "$netv"
	grep '^golang.org/x/net/' <<<"$pkgs"
	printf '# golang.org/x/text %s\n## explicit; go 1.17\n' "$textv"
	grep '^golang.org/x/text/' <<<"$pkgs"
} >"$src/vendor/modules.txt"
(cd "$src" && run go build -trimpath -ldflags=-buildid= -o "$work/sampleapp-amd64" . &&
	GOARCH=arm64 run go build -trimpath -ldflags=-buildid= -o "$work/sampleapp-arm64" .)
go version -m "$work/sampleapp-amd64" | grep "dep	golang.org/x/net	$netv" >/dev/null ||
	die "sampleapp's build info lacks golang.org/x/net $netv"
install -m 0755 "$work/sampleapp-amd64" "$rootfs/usr/local/bin/sampleapp"

mkdir -p "$rootfs/tmp/customs-wheels"
run "$py" "$here/images/debwheel.py" "$debroot" "$rootfs/tmp/customs-wheels"
pip='/app/venv/bin/pip install -q --no-index --no-deps --disable-pip-version-check --root-user-action=ignore'
in_chroot "$rootfs" "
useradd --uid 1000 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin app
mkdir -p /app
python3 -m venv /app/venv
cd /tmp/customs-wheels
$pip certifi-*.whl charset_normalizer-*.whl idna-*.whl requests-*.whl urllib3-*.whl
$pip --target /app/plugins six-*.whl
cd / && rm -rf /tmp/customs-wheels"
repack "$(ts 5)" "RUN --mount=type=bind,from=build,source=/out,target=/build /bin/sh -c install -m 0755 /build/sampleapp /usr/local/bin/sampleapp && useradd --uid 1000 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin app && python3 -m venv /app/venv && /app/venv/bin/pip install --no-index --no-deps /build/wheels/*.whl && /app/venv/bin/pip install --no-index --no-deps --target /app/plugins /build/wheels/six-1.16.0-py3-none-any.whl # buildkit" \
	"application: Go binary /usr/local/bin/sampleapp (golang.org/x/net $netv, golang.org/x/text $textv), Python venv /app/venv (pip, setuptools, requests, urllib3, idna, certifi, charset-normalizer), six in /app/plugins (hidden again by layer 5), user app"
config_step "$(ts 6)" 'ENV VIRTUAL_ENV=/app/venv PATH=/app/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--config.env VIRTUAL_ENV=/app/venv \
	--config.env PATH=/app/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ---------------------------------------------------------------- layer 4
step "layer 4: purge curl, delete /usr/share/doc (whiteouts)"
in_chroot "$rootfs" "
apt-get purge -y -qq --auto-remove curl
rm -rf /usr/share/doc/*"
repack "$(ts 7)" "RUN /bin/sh -c apt-get purge -y --auto-remove curl && rm -rf /usr/share/doc/* # buildkit" \
	"deletions: curl and its libraries purged (the lower layers' dpkg status still lists them), docs removed: .wh. whiteouts"

# ---------------------------------------------------------------- layer 5
# umoci repack writes one whiteout per deleted entry, never an opaque one,
# and umoci 0.4.7's `insert --opaque` writes a truncated tar; so this layer is
# a tar made here (directory, then its .wh..wh..opq, then the new contents,
# as Docker's overlayfs differ writes it) and appended by ocitool.py.
step "layer 5: replace /app/plugins wholesale (opaque whiteout)"
in_chroot "$rootfs" "$pip --target /tmp/customs-plugins /usr/share/python-wheels/wheel-*.whl"
l5=$work/layer5
mkdir -p "$l5/app"
mv "$rootfs/tmp/customs-plugins" "$l5/app/plugins"
: >"$l5/app/plugins/.wh..wh..opq"
tar -C "$l5" --sort=name --numeric-owner --owner=0 --group=0 --format=gnu -cf "$work/layer5.tar" app
run "$py" "$here/images/ocitool.py" add-layer "$oci" sample "$work/layer5.tar" "$(ts 8)" \
	"RUN /bin/sh -c rm -rf /app/plugins && mkdir /app/plugins && /app/venv/bin/pip install --no-index --target /app/plugins /usr/share/python-wheels/wheel-*.whl # buildkit"
purposes+=("opaque directory: /app/plugins replaced (six gone, wheel in): .wh..wh..opq")
rm -rf "$bundle" # stale from here on; the image is the truth

config_step "$(ts 9)" 'WORKDIR /app' --config.workingdir /app
config_step "$(ts 10)" 'LABEL org.opencontainers.image.title=customs-sample org.opencontainers.image.base.name=debian:bookworm' \
	--config.label org.opencontainers.image.title=customs-sample \
	--config.label org.opencontainers.image.description="customs sample image (scripts/build-images.sh)" \
	--config.label org.opencontainers.image.base.name=debian:bookworm \
	--config.label org.opencontainers.image.version=1
config_step "$(ts 11)" 'USER app' --config.user app
config_step "$(ts 12)" 'CMD ["/usr/local/bin/sampleapp"]' --config.cmd /usr/local/bin/sampleapp --created "$(ts 12)"
run umoci gc --layout "$oci"

# ---------------------------------------------------------------- checks
step "checking the image"
"$py" "$here/images/ocitool.py" layers "$oci" sample >"$work/layers.raw"
[ "$(wc -l <"$work/layers.raw")" = 5 ] || die "expected 5 layers, got $(wc -l <"$work/layers.raw")"
config=$(manifest_of "$oci" sample | jq -r .config.digest)
config=$oci/blobs/sha256/${config#sha256:}
jq -e '[.history[] | select(.empty_layer)] | length >= 3' "$config" >/dev/null || die "too few empty_layer history entries"
jq -e 'all(.history[]; (.created_by // "") != "")' "$config" >/dev/null || die "a history entry lacks created_by"
{
	printf 'index\tdigest\tdiff_id\tcreated_by\tpurpose\n'
	i=0
	while IFS=$'\t' read -r n _ digest diff by; do
		printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$digest" "$diff" "$by" "${purposes[$i]}"
		i=$((i + 1))
	done <"$work/layers.raw"
} >"$out/layers.tsv"
layer_list() { # N -> entry names of layer N
	local d
	d=$(awk -F'\t' -v n="$1" '$1 == n { print $3 }' "$work/layers.raw")
	gzip -dc "$oci/blobs/sha256/${d#sha256:}" | tar -t
}
layer_list 4 >"$work/layer4.list" # (not piped into grep -q: pipefail would see tar's SIGPIPE)
layer_list 5 >"$work/layer5.list"
grep -v '/\.wh\.\.wh\.\.opq$' "$work/layer4.list" | grep '/\.wh\.[^/]*$' >/dev/null || die "layer 4 has no .wh. whiteouts"
grep -qx 'app/plugins/\.wh\.\.wh\.\.opq' "$work/layer5.list" || die "layer 5 has no opaque whiteout"

step "unpacking the final root filesystem"
run umoci unpack --image "$img" "$work/final"
mv "$work/final/rootfs" "$out/rootfs"
fr=$out/rootfs
dpkg_tsv "$fr" >"$out/expected.dpkg-query.tsv"
! cut -f1 "$out/expected.dpkg-query.tsv" | grep -x curl >/dev/null || die "curl still installed in the final image"
if [ ! -d "$fr/app/plugins/wheel" ] || [ -e "$fr/app/plugins/six.py" ]; then die "/app/plugins was not replaced"; fi
[ -z "$(ls -A "$fr/usr/share/doc")" ] || die "/usr/share/doc is not empty"
go version -m "$fr/usr/local/bin/sampleapp" | sed "1s|^$fr/|/|" >"$out/expected.go-version-m.txt"
"$py" - "$fr" >"$out/expected.python.tsv" <<'EOF'
import email.parser, os, sys
root = sys.argv[1]
rows = []
for base in ("app",):
    for dirpath, dirnames, _ in os.walk(os.path.join(root, base)):
        for d in dirnames:
            if d.endswith(".dist-info"):
                with open(os.path.join(dirpath, d, "METADATA"), encoding="utf-8") as f:
                    m = email.parser.Parser().parsestr(f.read(), headersonly=True)
                rows.append((m["Name"], m["Version"], "/" + os.path.relpath(os.path.join(dirpath, d), root)))
print("name\tversion\tpath")
for r in sorted(rows, key=lambda r: (r[0].lower(), r[2])):
    print("\t".join(r))
EOF

# ---------------------------------------------------------------- variants
step "variants: oci-archive, docker-archive, zstd, uncompressed"
sk() { run skopeo --insecure-policy copy --quiet "$@"; }
sk "oci:$oci:sample" "oci-archive:$out/sample.oci.tar:sample"
sk "oci:$oci:sample" "docker-archive:$out/sample.docker.tar:customs/sample:1"
sk --dest-compress-format zstd "oci:$oci:sample" "oci:$out/oci-zstd:sample"
# skopeo 1.9 decompresses only into dir:, and the oci: destination keeps
# uncompressed layers only when told to accept them.
sk --dest-decompress "oci:$oci:sample" "dir:$work/plain-dir"
sk --dest-oci-accept-uncompressed-layers "dir:$work/plain-dir" "oci:$out/oci-plain:sample"
manifest_of "$out/oci-zstd" sample | jq -e '.layers | length == 5 and all(.mediaType == "application/vnd.oci.image.layer.v1.tar+zstd")' >/dev/null ||
	die "oci-zstd: layers are not all zstd"
manifest_of "$out/oci-plain" sample | jq -e '.layers | length == 5 and all(.mediaType == "application/vnd.oci.image.layer.v1.tar")' >/dev/null ||
	die "oci-plain: layers are not all plain tar"
for d in $(manifest_of "$out/oci-zstd" sample | jq -r '.layers[].digest'); do
	[ "$(od -An -tx1 -N4 "$out/oci-zstd/blobs/sha256/${d#sha256:}" | tr -d ' ')" = 28b52ffd ] ||
		die "oci-zstd: $d is not zstd"
done
for d in $(manifest_of "$out/oci-plain" sample | jq -r '.layers[].digest'); do
	[ "$(dd if="$out/oci-plain/blobs/sha256/${d#sha256:}" bs=1 skip=257 count=5 status=none)" = ustar ] ||
		die "oci-plain: $d is not a tar"
done
[ "$(skopeo --insecure-policy inspect "docker-archive:$out/sample.docker.tar" | jq '.Layers | length')" = 5 ] ||
	die "docker-archive does not load with 5 layers"

# ---------------------------------------------------------------- arm64
# No qemu or binfmt_misc needed: mmdebstrap's chrootless mode installs the
# arm64 packages with the host's dpkg (--force-script-chrootless, DPKG_ROOT),
# which works for this small set. Its maintainer scripts run on the host
# without chroot, so the host's /etc, /usr and /var/lib/dpkg are mounted
# read-only around it.
step "arm64 image: mmdebstrap --mode=chrootless --arch=arm64, and the multi-platform index"
a64=$work/arm64
a64_pkgs=base-files,netbase,tzdata
run umoci init --layout "$a64/oci"
run umoci new --image "$a64/oci:arm64"
run umoci config --no-history --image "$a64/oci:arm64" --architecture arm64 --os linux
run umoci unpack --image "$a64/oci:arm64" "$a64/bundle"
protect=""
for p in /etc /usr /var/lib/dpkg; do
	case "$work/" in "$p"/*) continue ;; esac
	protect="$protect mount --bind $p $p && mount -o remount,bind,ro $p;"
done
run unshare --mount --propagation private -- sh -ec "$protect"' exec "$@"' sh \
	mmdebstrap --mode=chrootless --variant=custom --arch=arm64 --include="$a64_pkgs" \
	--aptopt='Acquire::Retries "3"' bookworm "$a64/bundle/rootfs" "${mirrors[@]}"
strip_rootfs "$a64/bundle/rootfs"
dpkg_tsv "$a64/bundle/rootfs" >"$out/expected.dpkg-query.arm64.tsv"
run umoci repack --refresh-bundle --image "$a64/oci:arm64" --history.created "$(ts 1)" \
	--history.created_by "ADD rootfs.tar / # mmdebstrap --mode=chrootless --variant=custom --arch=arm64 --include=$a64_pkgs bookworm" "$a64/bundle"
install -D -m 0755 "$work/sampleapp-arm64" "$a64/bundle/rootfs/usr/local/bin/sampleapp"
run umoci repack --refresh-bundle --image "$a64/oci:arm64" --history.created "$(ts 2)" \
	--history.created_by "COPY sampleapp /usr/local/bin/sampleapp # buildkit" "$a64/bundle"
run umoci config --image "$a64/oci:arm64" --history.created "$(ts 3)" --created "$(ts 3)" \
	--history.created_by 'CMD ["/usr/local/bin/sampleapp"]' --config.cmd /usr/local/bin/sampleapp \
	--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	--config.label org.opencontainers.image.title=customs-sample
run umoci gc --layout "$a64/oci"
run "$py" "$here/images/ocitool.py" make-index "$out/multi" multi \
	"$oci:sample:linux/amd64" "$a64/oci:arm64:linux/arm64/v8"
[ "$(skopeo --insecure-policy inspect --raw "oci:$out/multi:multi" | jq -r '.manifests | map(.platform.architecture) | join(",")')" = amd64,arm64 ] ||
	die "multi: the index does not list amd64 and arm64"
[ "$(skopeo --insecure-policy inspect --override-arch arm64 "oci:$out/multi:multi" | jq -r .Architecture)" = arm64 ] ||
	die "multi: the arm64 image does not resolve"

# ---------------------------------------------------------------- description
step "writing README, manifest.txt"
nbase=$(wc -l <"$out/expected.dpkg-query.base.tsv")
nfinal=$(wc -l <"$out/expected.dpkg-query.tsv")
narm=$(wc -l <"$out/expected.dpkg-query.arm64.tsv")
cat >"$out/README" <<EOF
customs test and sample images, built by scripts/build-images.sh (key $key)
on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - t0)) s. See docs/test-images.md.

One image, "sample": Debian bookworm (linux/amd64), 5 layers (layers.tsv),
$nbase packages in the base layer, $nfinal in the final image. The same image as:
  oci/                OCI layout, tag sample, gzip layers (umoci)
  sample.oci.tar      OCI archive, tag sample
  sample.docker.tar   docker-archive, customs/sample:1
  oci-zstd/           OCI layout, tag sample, zstd layers
  oci-plain/          OCI layout, tag sample, uncompressed layers
  multi/              OCI layout, tag multi = image index: linux/amd64 (this
                      image) and linux/arm64/v8 (2 layers, $narm packages)
  rootfs/             the final root filesystem (umoci unpack)
Oracles:
  expected.dpkg-query.tsv         dpkg-query on rootfs/: Package Version Architecture source:Package source:Version
  expected.dpkg-query.base.tsv    the same on layer 1 alone
  expected.dpkg-query.arm64.tsv   the same on the arm64 image of multi/
  expected.python.tsv             Python distributions under /app: name, version, dist-info path
  expected.go-version-m.txt       go version -m /usr/local/bin/sampleapp
  layers.tsv                      index, digest, diff_id, created_by, purpose of each layer
EOF
{
	echo "# customs images $key"
	echo "# tools: mmdebstrap $(mmdebstrap --version | awk '{print $2}'), $(umoci --version), $(skopeo --version), $(go version | awk '{print $3}')"
	echo "# apt sources: $(printf '%s; ' "${mirrors[@]:-default}")"
	echo "# packages: base $nbase, final $nfinal, arm64 $narm"
	echo "# size_bytes sha256 path (files); size_bytes - path/ (directories)"
	cd "$out"
	for f in *; do
		if [ -d "$f" ]; then
			echo "$(du -sb "$f" | cut -f1) - $f/"
		else
			echo "$(stat -c %s "$f") $(sha256sum "$f" | cut -d' ' -f1) $f"
		fi
	done
} >"$out/manifest.txt"
date -u +%Y-%m-%dT%H:%M:%SZ >"$out/complete"

mv -T "$out" "$final"
step "done: $final"
echo "$final" >&3
