#!/bin/bash
# ref.sh - runs the reference CVSS implementation (see ref.js).
#
#   tests/oracle/cvss/ref.sh < vectors > scores
#
# Installs ae-cvss-calculator (pinned below) once into
# ${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles/npm, under a lock so that
# parallel runs do not race; npm's output is shown only when it fails. A
# missing tool exits 127 naming the Debian package to install.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles
npm_dir=$cache/npm
pin=1.0.13

need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || { echo "cvss ref.sh: $1 not found (install the Debian package $2)" >&2; exit 127; }
}

installed() {
	grep -qs "\"version\": \"$pin\"" "$npm_dir/node_modules/ae-cvss-calculator/package.json"
}

need node nodejs
if ! installed; then
	need npm npm
	mkdir -p "$cache"
	exec 9>"$cache/npm.lock"
	flock 9
	if ! installed; then
		if ! npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
			"ae-cvss-calculator@$pin" >"$cache/npm-ae-cvss-calculator.log" 2>&1; then
			echo "cvss ref.sh: setup failed: npm install ae-cvss-calculator@$pin" >&2
			cat "$cache/npm-ae-cvss-calculator.log" >&2
			exit 1
		fi
	fi
	exec 9>&-
fi
exec node "$here/ref.js" "$npm_dir/node_modules"
