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
# VULNERABILITY DATABASE, loaded before the scan:
#   1. from $CUSTOMS_MIRROR when set (a mirror laid out like the feeds):
#      `customs db update` reads it;
#   2. else from the public feeds (`customs db update`);
#   3. else, when those cannot be reached (as on these machines), from the
#      snapshot of real feeds in the sibling shared test data, saying so.
# ---------------------------------------------------------------------------
db=$CUSTOMS_CACHE/demo.sqlite
shared=$(cd "$here/../.." && pwd)/shared/test-data/vulndb
if [ -n "${CUSTOMS_MIRROR:-}" ]; then
	echo "demo: updating the vulnerability database from \$CUSTOMS_MIRROR ($CUSTOMS_MIRROR)" >&2
	"$bin" db update --db "$db" || die "the update from the mirror failed"
elif "$bin" db update --quiet --db "$db" 2>/dev/null; then
	echo "demo: vulnerability database updated from the public feeds" >&2
else
	[ -d "$shared" ] || die "no vulnerability data: the feeds cannot be reached; set CUSTOMS_MIRROR to a feed mirror"
	echo "demo: the public feeds cannot be reached from here; using the snapshot of real feeds in $shared" >&2
	rm -f "$db"
	"$bin" db import --quiet --db "$db" "$shared"
	echo "demo: $("$bin" db info --db "$db" | awk '$1 == "advisory" { print $2 }') advisories in $db" >&2
fi
export CUSTOMS_DB=$db

echo "demo: $bin image --format table $dir/sample.docker.tar" >&2
echo >&2
exec "$bin" image --format table "$dir/sample.docker.tar"
