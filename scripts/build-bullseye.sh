#!/usr/bin/env bash
# build-bullseye.sh - builds a Debian 11 (bullseye) image from the Debian
# archive for the vulnerability end-to-end tests (tests/e2e/vuln.sh), without
# a container daemon (mmdebstrap, chroot, umoci), and caches it outside the
# clone.
#
#   dir=$(scripts/build-bullseye.sh | tail -1)
#
# The last line on stdout is ${CUSTOMS_CACHE:-$HOME/.cache/customs}/images/
# bullseye-<key>, <key> being the first 16 hex digits of a sha256 over this
# script and the files it uses (build-common.sh, images/chroot.sh,
# images/ocitool.py; the sample image of build-images.sh keeps its own cache).
# A directory with a `complete` file is used as it is; otherwise the image is
# built in a temporary directory that is renamed into place at the end
# (build-common.sh: lock, leftovers, log shown on failure).
# Needs root (mmdebstrap, chroot, umoci unpack).
#
# The image: bullseye's last point release (11.11) plus bullseye-security and
# bullseye-updates as the host's Debian mirror serves them on the day of the build.
#   layer 1  mmdebstrap --variant=minbase bullseye
#   layer 2  apt-get install python3-urllib3 (dpkg-owned urllib3 egg-info
#            under /usr/lib/python3/dist-packages: PyPI advisories must not
#            be matched against it, Debian's feeds speak for it)
# Outputs: oci/ (tag bullseye), status/ (etc/os-release and
# var/lib/dpkg/status of the final image, for rootfs variants),
# expected.dpkg-query.tsv, layers.tsv, sources.txt (the Release files' dates).
set -euo pipefail
umask 022
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec 3>&1 1>&2 # stdout carries the result path only

# The cache, lock, work directory, log and layer helpers (log, die, step, run,
# ts, img_repack, img_config_step, img_layers_tsv, dpkg_tsv, in_chroot).
img_name=bullseye
# shellcheck source=scripts/build-common.sh
. "$here/build-common.sh"

img_cache "$(cat "$here/build-bullseye.sh" "$here/build-common.sh" "$here/images/chroot.sh" "$here/images/ocitool.py" |
	sha256sum | cut -c1-16)"
img_require mmdebstrap dpkg-query python3
img_begin

# 2025-08-09, the day of 11.11's last archive update; one minute per step.
export SOURCE_DATE_EPOCH=1754697600

# The mirrors the host's apt uses for bookworm (main archive and security),
# asked for bullseye instead; $CUSTOMS_DEBIAN_MIRROR and
# $CUSTOMS_DEBIAN_SECURITY_MIRROR override them.
host_uri() { # host_uri SUITE: the URI the host's apt fetches SUITE from
	apt-cache policy 2>/dev/null | awk -v want="$1" '
		$1 ~ /^-?[0-9]+$/ && $2 ~ /:\/\// && $3 ~ /\// { split($3, sc, "/"); if (sc[1] == want) { print $2; exit } }'
}
mirror=${CUSTOMS_DEBIAN_MIRROR:-$(host_uri bookworm)}
secmirror=${CUSTOMS_DEBIAN_SECURITY_MIRROR:-$(host_uri bookworm-security)}
[ -n "$mirror" ] || die "no Debian mirror in the host's apt sources; set CUSTOMS_DEBIAN_MIRROR"
[ -n "$secmirror" ] || secmirror=${mirror%/debian}/debian-security
sources=("deb $mirror bullseye main" "deb $mirror bullseye-updates main" "deb $secmirror bullseye-security main")

oci=$out/oci
bundle=$work/bundle
rootfs=$bundle/rootfs
img_tag=bullseye
img=$oci:$img_tag

step "layer 1: mmdebstrap --variant=minbase bullseye (+ bullseye-updates, bullseye-security)"
run umoci init --layout "$oci"
run umoci new --image "$img"
run umoci config --image "$img" --no-history --architecture amd64 --os linux
run umoci unpack --image "$img" "$bundle"
run unshare --mount --propagation private -- \
	mmdebstrap --mode=root --variant=minbase --format=directory \
	--aptopt='Acquire::Retries "3"' bullseye "$rootfs" "${sources[@]}"
find "$rootfs/dev" -mindepth 1 -xdev -delete
rm -f "$rootfs/etc/resolv.conf" "$rootfs/etc/hostname"
dpkg_tsv "$rootfs" >"$out/expected.dpkg-query.base.tsv"
grep -q '^VERSION_ID="11"' "$rootfs/etc/os-release" || die "not bullseye: $(grep VERSION_ID "$rootfs/etc/os-release")"
img_repack "$(ts 1)" "ADD rootfs.tar / # mmdebstrap --variant=minbase bullseye (bullseye, bullseye-updates, bullseye-security)"

step "layer 2: apt-get install python3-urllib3"
in_chroot "$rootfs" "
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3-urllib3
for f in /var/lib/apt/lists/*_InRelease; do echo \"\${f##*/}	\$(grep -m1 '^Date:' \$f | cut -d' ' -f2-)\"; done >/tmp/release-dates
apt-get clean
rm -rf /var/lib/apt/lists/*"
mv "$rootfs/tmp/release-dates" "$work/release-dates"
ls -d "$rootfs"/usr/lib/python3/dist-packages/urllib3-*info >/dev/null 2>&1 ||
	die "python3-urllib3 installed no urllib3 egg-info/dist-info"
img_repack "$(ts 2)" "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends python3-urllib3 && rm -rf /var/lib/apt/lists/* # buildkit"
img_config_step "$(ts 3)" 'CMD ["bash"]' --created "$(ts 3)" --config.cmd bash \
	--config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
run umoci gc --layout "$oci"

step "writing the oracles"
dpkg_tsv "$rootfs" >"$out/expected.dpkg-query.tsv"
mkdir -p "$out/status/etc" "$out/status/var/lib/dpkg" "$out/status/usr/lib"
cp -L "$rootfs/etc/os-release" "$out/status/etc/os-release"
cp "$rootfs/var/lib/dpkg/status" "$out/status/var/lib/dpkg/status"
for f in "$rootfs"/usr/lib/python3/dist-packages/urllib3-*info; do
	printf '%s\n' "${f#"$rootfs"}"
done >"$out/expected.urllib3-path.txt"
# shellcheck disable=SC2119 # (no purpose column)
img_layers_tsv >"$out/layers.tsv"
[ "$(wc -l <"$out/layers.tsv")" = 3 ] || die "expected 2 layers: $(cat "$out/layers.tsv")"
cp "$work/release-dates" "$out/sources.txt"
cat >"$out/README" <<EOF
customs bullseye test image, built by scripts/build-bullseye.sh (key $img_key)
on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - t0)) s from
$(printf '  %s\n' "${sources[@]}")
oci/                      OCI layout, tag bullseye, 2 layers (layers.tsv)
status/                   etc/os-release and var/lib/dpkg/status of the final image
expected.dpkg-query.tsv   Package Version Architecture source:Package source:Version
expected.urllib3-path.txt the dpkg-owned urllib3 metadata directory
EOF
img_done
