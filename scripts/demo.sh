#!/usr/bin/env bash
# demo.sh BINARY - what `make demo` runs after building: makes (or reuses) the
# sample image with build-images.sh and scans it with BINARY, as a table.
#
#   scripts/demo.sh build/customs
#
# The first build of the image takes a few minutes and needs root (sudo is
# used when available); later runs reuse the cache and start at once.
set -euo pipefail

die() {
	printf 'demo: %s\n' "$*" >&2
	exit 1
}

bin=${1:-}
[ -n "$bin" ] || die "usage: scripts/demo.sh path/to/customs"
[ -x "$bin" ] || die "'$bin' is not an executable; run 'make' first"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/lib.sh
. "$here/lib.sh"
export CUSTOMS_CACHE=${CUSTOMS_CACHE:-$HOME/.cache/customs}

dir=$(sample_image demo)

# ---------------------------------------------------------------------------
# VULNERABILITY DATABASE: not there yet; a later issue loads it HERE, before
# the scan, and passes it to the scan below:
#   1. from $CUSTOMS_MIRROR when set (an offline mirror of the feeds);
#   2. else from the public feeds (OSV, the Debian security tracker, ...);
#   3. else, when those cannot be reached, from the snapshot in the sibling
#      checkout of the shared test data, saying so, e.g.
#        echo "demo: feeds unreachable; using the test snapshot ../shared/test-data/vulndb" >&2
# Until then the scan lists the image's packages without vulnerabilities.
# ---------------------------------------------------------------------------

echo "demo: $bin image --format table $dir/sample.docker.tar" >&2
echo >&2
exec "$bin" image --format table "$dir/sample.docker.tar"
