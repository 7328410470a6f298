#!/bin/bash
# version.sh - runs the reference implementation of one version scheme.
#
#   tests/oracle/version.sh SCHEME < pairs > answers
#
# Each input line is "A<TAB>B"; each output line, in the same order, is -1, 0
# or 1 (A older, equal, newer as the reference orders them) or E (the
# reference refuses A or B as a version). One process for all pairs where the
# reference allows it. The programs live in tests/oracle/version/; setup they
# need (npm packages, compiled helpers) goes under
# ${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles, idempotently and quietly.
# A missing tool is an error (exit 127) naming the package to install.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles

need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || { echo "version.sh: $1 not found (install the Debian package $2)" >&2; exit 127; }
}

case "${1:-}" in
# --- distro schemes (deb, rpm, apk) ---
deb) # dpkg's own Perl code (Dpkg::Version) made exact; see deb.pl
	need perl perl
	perl -MDpkg::Version -e1 2>/dev/null || { echo "version.sh: Dpkg::Version not found (install the Debian package libdpkg-perl)" >&2; exit 127; }
	exec perl "$here/version/deb.pl" ;;
deb-dpkg) # the dpkg binary, one fork per pair: for a sample
	need dpkg dpkg
	exec "$here/version/deb-dpkg.sh" ;;
rpm) # rpm.vercmp() inside one rpm process; drop the empty line rpm --eval adds
	need rpm rpm
	rpm --eval "%{lua: dofile('$here/version/rpm.lua')}" | { grep -v '^$' || true; } ;;
apk) # an independent second implementation (no apk binary on Debian); see apk.py
	py=/usr/bin/python3
	[ -x "$py" ] || py=$(command -v python3 || true)
	[ -n "$py" ] || { echo "version.sh: python3 not found (install the Debian package python3)" >&2; exit 127; }
	exec "$py" "$here/version/apk.py" ;;
# --- end distro schemes ---
# --- semver group (semver, cargo, go, gostd, nuget) ---
semver | cargo | go | gostd | nuget) # setup and references: version/semver-group.sh
	exec "$here/version/semver-group.sh" "$1" ;;
# --- end semver group ---
# --- lang group (pep440, maven, gem, composer) ---
pep440) # Debian's python3-packaging under Debian's own python3; see version/pep440.py
	py=/usr/bin/python3
	[ -x "$py" ] || py=$(command -v python3 || true)
	[ -n "$py" ] || { echo "version.sh: python3 not found (install the Debian package python3)" >&2; exit 127; }
	"$py" -c 'import packaging.version' 2>/dev/null || { echo "version.sh: packaging not found (install the Debian package python3-packaging)" >&2; exit 127; }
	exec "$py" "$here/version/pep440.py" ;;
maven) # Maven's ComparableVersion in one JVM; compiled once by version/maven.sh
	exec "$here/version/maven.sh" ;;
gem) # Debian's RubyGems, Gem::Version; see version/gem.rb
	need ruby ruby
	exec ruby "$here/version/gem.rb" ;;
composer) # composer/semver's VersionParser + Constraint on Debian's PHP; see version/composer.php
	need php php-cli
	[ -f /usr/share/php/Composer/Semver/autoload.php ] || { echo "version.sh: composer/semver not found (install the Debian package php-composer-semver)" >&2; exit 127; }
	exec php -n "$here/version/composer.php" ;;
# --- end lang group ---
*)
	echo "version.sh: unknown scheme '${1:-}'" >&2
	exit 2 ;;
esac
