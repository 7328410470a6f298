#!/bin/sh
# deps.sh - installs the Debian packages customs needs to build, test or
# demo, and nothing when they are all there already (quiet, idempotent).
#
#   scripts/deps.sh build   libraries and compiler
#   scripts/deps.sh test    build + what the tests use (image tools, oracles)
set -eu

build="gcc make pkg-config libarchive-dev libisal-dev libzstd-dev libssl-dev libcjson-dev libsqlite3-dev libyaml-dev libcurl4-openssl-dev libvectorscan-dev libpcre2-dev"
images="mmdebstrap debootstrap umoci skopeo golang-go zstd pigz python3 jq dpkg-dev time"
test="$build $images distro-info-data clang libclang-rt-14-dev nodejs libdpkg-perl rpm golang-golang-x-mod-dev golang-golang-x-vuln-dev librust-semver-dev rustc mono-runtime mono-mcs python3-packaging maven openjdk-17-jdk-headless ruby php-cli php-composer-semver python3-yaml db5.3-util libcommons-lang3-java chromium podman docker-registry apache2-utils"

# npm: the lang image's Node application (build-lang.sh) and Trivy (trivy.sh).
# Debian ships it as its own package; NodeSource's nodejs bundles it and
# conflicts with Debian's npm, so it is asked for only when there is none.
command -v npm >/dev/null 2>&1 || test="$test npm"

case "${1:-build}" in
build) want=$build ;;
test) want=$test ;;
demo) want="$build $images" ;;
*) echo "usage: $0 build|test|demo" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
echo "customs: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
