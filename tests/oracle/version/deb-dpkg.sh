#!/bin/bash
# deb-dpkg.sh - the "deb" ordering from the dpkg binary itself
# (tests/oracle/version.sh deb-dpkg).
#
# Reads "A<TAB>B" lines on stdin, prints -1, 0, 1 or E per line, in order:
# `dpkg --compare-versions -- A lt B`, then `... gt B` when that is false;
# exit status 2 (dpkg's error exit) is E. One fork or two per pair, two
# pairs at a time (xargs -P2): use it on a sample, deb.pl on everything.
set -euo pipefail
command -v dpkg >/dev/null || { echo "deb-dpkg.sh: dpkg not found" >&2; exit 127; }

perl -ne 'chomp; my ($a, $b) = split /\t/, $_, 2; $b //= ""; print "$.\0$a\0$b\0"' |
	xargs -0 -n 300 -P 2 bash -c '
		while [ $# -ge 3 ]; do
			i=$1 a=$2 b=$3
			shift 3
			rc=0
			dpkg --compare-versions -- "$a" lt "$b" 2>/dev/null || rc=$?
			if [ $rc = 0 ]; then
				r=-1
			elif [ $rc = 1 ]; then
				rc=0
				dpkg --compare-versions -- "$a" gt "$b" 2>/dev/null || rc=$?
				case $rc in 0) r=1 ;; 1) r=0 ;; *) r=E ;; esac
			else
				r=E
			fi
			printf "%s %s\n" "$i" "$r"
		done' _ |
	sort -n -k1,1 | cut -d' ' -f2
