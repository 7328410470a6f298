# shellcheck shell=bash disable=SC2034,SC2154 # variables set here are the caller's, and the other way round
# build-common.sh - the scaffolding of the cached image builds that come after
# build-images.sh (build-bullseye.sh, build-lang.sh); sourced, bash.
#
# It lives outside scripts/images/ on purpose: the sample image's cache key
# covers every file there, and sourcing this from build-images.sh (or moving
# it there) would rebuild the sample image and shift the tests that use it.
#
# A build script sets `img_name` (bullseye, lang: the prefix of its messages,
# cache directory, lock, temporary directory and failure log), opens fd 3 on
# its stdout (`exec 3>&1 1>&2`: the result path is the only line stdout gets),
# sources this file and calls, in order:
#
#   img_cache KEY         $cache, $final = $cache/images/<img_name>-KEY; exits 0
#                         printing $final when it holds `complete`
#   img_require TOOL...   root, the tools, mount namespaces; dies otherwise
#   img_begin             takes the lock (waiting for another build), checks
#                         the cache again, removes leftovers of interrupted
#                         builds, makes $work (temporary, removed on exit),
#                         $out (renamed to $final by img_done), $logf (the
#                         tools' log, shown and kept on failure), $t0
#   ... step, run, ts, img_repack, img_config_step, img_layers_tsv ...
#   img_done              writes `complete`, renames $out to $final, prints it
#
# The layer helpers expect $img (umoci's LAYOUT:TAG), $oci, $bundle and
# $img_tag (the tag), and SOURCE_DATE_EPOCH for `ts`.

img_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { printf 'build-%s: %s\n' "$img_name" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

img_cache() {
	img_key=$1
	cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}
	mkdir -p "$cache/images"
	cache=$(cd "$cache" && pwd)
	final=$cache/images/$img_name-$img_key
	if [ -f "$final/complete" ]; then
		log "cached: $final"
		echo "$final" >&3
		exit 0
	fi
}

img_require() {
	local t
	[ "$(id -u)" = 0 ] || die "must run as root (mmdebstrap, chroot and umoci unpack need it); try: sudo $0"
	for t in "$@" umoci jq unshare chroot flock sha256sum; do
		command -v "$t" >/dev/null || die "'$t' is missing; run: scripts/deps.sh test"
	done
	unshare --mount --propagation private true 2>/dev/null ||
		die "cannot create a mount namespace (unshare -m): run on a VM or in a privileged container"
}

img_begin() {
	local d
	exec 9>"$cache/images/.lock-$img_name"
	if ! flock -n 9; then
		log "waiting for another build (lock $cache/images/.lock-$img_name)"
		flock 9
	fi
	if [ -f "$final/complete" ]; then
		log "cached: $final"
		echo "$final" >&3
		exit 0
	fi
	# Every mount a build makes lives in a private mount namespace that dies
	# with it, but check anyway before deleting. (Not named .build-*: a cold
	# build of the sample image removes every .build-* it finds, and it holds
	# another lock.)
	for d in "$cache/images/.work-$img_name-"*; do
		[ -d "$d" ] || continue
		if findmnt -rn -o TARGET | grep -F "$d/" >/dev/null; then
			log "warning: not removing $d: something is mounted below it"
		else
			rm -rf --one-file-system "$d"
		fi
	done
	[ -e "$final" ] && rm -rf --one-file-system "$final" # incomplete: no marker
	work=$(mktemp -d "$cache/images/.work-$img_name-$img_key.XXXXXX")
	logf=$work/build.log
	out=$work/out
	mkdir -p "$out"
	t0=$(date +%s)
	trap img_on_exit EXIT
	trap 'exit 130' INT TERM HUP PIPE
}

img_on_exit() {
	local rc=$?
	set +e # (stderr may be gone: a failed log line must not skip the cleanup)
	if [ "$rc" -ne 0 ]; then
		log "failed (exit $rc); last lines of the log:"
		tail -n 40 "$logf" >&2 || true
		cp "$logf" "$cache/images/last-failed-$img_name-build.log" 2>/dev/null &&
			log "whole log: $cache/images/last-failed-$img_name-build.log"
	fi
	rm -rf --one-file-system "$work"
}

img_done() {
	date -u +%Y-%m-%dT%H:%M:%SZ >"$out/complete"
	mv -T "$out" "$final"
	step "done: $final"
	echo "$final" >&3
}

step() { log "[$(($(date +%s) - t0))s] $*"; }
run() { "$@" >>"$logf" 2>&1; } # quiet: output to the log

# ts N: the time of the Nth Dockerfile step, one minute apart from SOURCE_DATE_EPOCH.
ts() { date -u -d "@$((SOURCE_DATE_EPOCH + $1 * 60))" +%Y-%m-%dT%H:%M:%SZ; }

# img_repack CREATED CREATED_BY [PURPOSE]: the bundle's changes become one
# layer; PURPOSE goes to img_layers_tsv (appended to img_purposes).
img_purposes=()
img_repack() {
	run umoci repack --refresh-bundle --image "$img" --history.created "$1" --history.created_by "$2" "$bundle"
	img_purposes+=("${3:-}")
}

# img_config_step CREATED CREATED_BY UMOCI-CONFIG-ARGS...: a config-only step
# (an empty_layer history entry); then the bundle, if any, is pointed at the
# new image so that the next repack builds on it (umoci repack builds on the
# manifest recorded in the bundle, not on the tag: see ocitool.py
# rebase-bundle).
img_config_step() {
	local created=$1 by=$2
	shift 2
	run umoci config --image "$img" --history.created "$created" --history.created_by "$by" "$@"
	[ ! -d "$bundle" ] || run python3 "$img_here/images/ocitool.py" rebase-bundle "$bundle" "$oci" "$img_tag"
}

# img_manifest: the manifest JSON of $img_tag in $oci.
img_manifest() {
	local d
	d=$(jq -r --arg t "$img_tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | .digest' "$oci/index.json")
	cat "$oci/blobs/sha256/${d#sha256:}"
}

# img_layers_tsv [EXTRA-HEADER]: a header line, then one line per layer:
# index (1-based), digest, diff_id, created_by and, when EXTRA-HEADER is
# given (say "purpose"), the layer's img_purposes entry (which may hold
# further tab-separated columns).
img_layers_tsv() {
	local extra=${1:-} manifest config i=0 line
	manifest=$(img_manifest)
	config=$oci/blobs/sha256/$(jq -r '.config.digest | ltrimstr("sha256:")' <<<"$manifest")
	printf 'index\tdigest\tdiff_id\tcreated_by%s\n' "${extra:+	$extra}"
	paste <(jq -r '.layers[].digest' <<<"$manifest") <(jq -r '.rootfs.diff_ids[]' "$config") \
		<(jq -r '.history[] | select(.empty_layer != true) | .created_by' "$config") |
		while IFS= read -r line; do
			i=$((i + 1))
			if [ -n "$extra" ]; then
				printf '%s\t%s\t%s\n' "$i" "$line" "${img_purposes[$((i - 1))]:-}"
			else
				printf '%s\t%s\n' "$i" "$line"
			fi
		done
}

# dpkg_tsv ROOTFS: the dpkg-query oracle of a root filesystem.
dpkg_tsv() {
	dpkg-query --admindir="$1/var/lib/dpkg" -W \
		-f '${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' | LC_ALL=C sort
}

# in_chroot ROOTFS SCRIPT (scripts/images/chroot.sh): SCRIPT inside ROOTFS.
# shellcheck source=scripts/images/chroot.sh
. "$img_here/images/chroot.sh"
