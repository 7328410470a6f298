#!/bin/bash
# gomod.sh - runs the go command's go.mod parser on files (see gomod/modfile.go).
#
#   tests/oracle/gomod.sh FILE... > directives
#
# The oracle is compiled once from Debian's golang-golang-x-mod-dev into
# ${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles, keyed by the hash of its
# source and of the parser's, under a lock. A missing tool exits 127
# naming the Debian package to install.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles
gocode=/usr/share/gocode/src

command -v go >/dev/null 2>&1 || { echo "gomod.sh: go not found (install the Debian package golang-go)" >&2; exit 127; }
[ -f "$gocode/golang.org/x/mod/modfile/rule.go" ] || { echo "gomod.sh: golang.org/x/mod not found (install the Debian package golang-golang-x-mod-dev)" >&2; exit 127; }
dir=$cache/gomod-$(cat "$here/gomod/modfile.go" "$gocode"/golang.org/x/mod/modfile/*.go | sha256sum | cut -c1-16)
if [ ! -x "$dir/oracle" ]; then
	mkdir -p "$cache"
	exec 9>"$cache/gomod.lock"
	flock 9
	if [ ! -x "$dir/oracle" ]; then
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp/gopath/src/customsoracle/gomod"
		cp "$here/gomod/modfile.go" "$dir.tmp/gopath/src/customsoracle/gomod/main.go"
		if ! env GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$dir.tmp/gopath:/usr/share/gocode" \
			GOCACHE="$dir.tmp/gocache" go build -o "$dir.tmp/oracle" customsoracle/gomod >"$dir.tmp/build.log" 2>&1; then
			echo "gomod.sh: building the oracle failed:" >&2
			cat "$dir.tmp/build.log" >&2
			exit 1
		fi
		rm -rf "$dir.tmp/gocache" "$dir" && mv "$dir.tmp" "$dir"
	fi
	exec 9>&-
fi
exec "$dir/oracle" "$@"
