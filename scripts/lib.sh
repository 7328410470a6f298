# shellcheck shell=bash
# lib.sh - helpers shared by the scripts that use the sample image
# (demo.sh, bench.sh); sourced, bash.

# sample_image NAME: prints the directory of the sample image that
# build-images.sh makes, building it first when it is not cached. A cached
# image needs no privileges; a cold build needs root, through sudo when this
# is not root. Messages start with "NAME: "; exit status 1 when the image
# cannot be had. Use as dir=$(sample_image demo).
sample_image() {
	local name=$1 here dir cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	if [ "$(id -u)" = 0 ]; then
		dir=$("$here/build-images.sh" | tail -1)
	else
		dir=$("$here/build-images.sh" 2>/dev/null | tail -1) || true
		if [ -z "$dir" ] || [ ! -f "$dir/complete" ]; then
			if ! command -v sudo >/dev/null; then
				printf '%s: building the sample image needs root the first time\n' "$name" >&2
				return 1
			fi
			printf '%s: building the sample image as root (sudo)\n' "$name" >&2
			dir=$(sudo env "CUSTOMS_CACHE=$cache" "$here/build-images.sh" | tail -1)
		fi
	fi
	if [ -z "$dir" ] || [ ! -f "$dir/complete" ]; then
		printf '%s: the sample image could not be built (see the messages above)\n' "$name" >&2
		return 1
	fi
	printf '%s\n' "$dir"
}
