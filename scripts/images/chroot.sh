# shellcheck shell=bash
# chroot.sh - sourced by build-images.sh and build-bullseye.sh: running
# commands inside a root filesystem being built. Needs $logf (the build log).

# in_chroot ROOTFS SCRIPT: runs SCRIPT with `sh -e` chrooted into ROOTFS, with
# /proc and /dev mounted and the host's resolv.conf and hosts (so apt reaches
# the host's mirror), in a private mount namespace: the mounts vanish with the
# process whatever happens to it. ROOTFS's own resolv.conf and hosts are put
# back afterwards.
in_chroot() {
	local root=$1 script=$2 f rc=0
	for f in resolv.conf hosts; do
		if [ -e "$root/etc/$f" ] || [ -L "$root/etc/$f" ]; then
			mv "$root/etc/$f" "$root/etc/$f.customs-saved"
		fi
		if [ -e "/etc/$f" ]; then cp -L "/etc/$f" "$root/etc/$f"; fi
	done
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --propagation private -- sh -ec '
		mount -t proc proc "$1/proc"
		mount --rbind /dev "$1/dev"
		exec chroot "$1" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive /bin/sh -ec "$2"' sh "$root" "$script" >>"$logf" 2>&1 || rc=$?
	for f in resolv.conf hosts; do
		rm -f "$root/etc/$f"
		if [ -e "$root/etc/$f.customs-saved" ] || [ -L "$root/etc/$f.customs-saved" ]; then
			mv "$root/etc/$f.customs-saved" "$root/etc/$f"
		fi
	done
	return "$rc"
}
