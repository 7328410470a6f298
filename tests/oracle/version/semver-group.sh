#!/bin/bash
# semver-group.sh - sets up and runs the reference implementations of the
# semver-like schemes; called by tests/oracle/version.sh SCHEME.
#
#   semver  npm's `semver` package (pinned below), through semver.js
#   cargo   the Rust `semver` crate from Debian's librust-semver-dev,
#           compiled with rustc together with cargo.rs
#   go      golang.org/x/mod/semver and golang.org/x/vuln/internal/semver
#   gostd   from Debian's golang-golang-x-{mod,vuln}-dev, built with go.go
#   nuget   NuGet.Versioning inside NuGet.exe (npm package nuget-exe,
#           pinned below) on Debian's Mono, through nuget.cs
#
# Everything is installed or compiled once into
# ${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles, keyed by the hash of the
# oracle's source and of the reference it links, under a lock so parallel
# test runs do not race; output of those steps goes to a log that is shown
# only when a step fails. A missing tool exits 127 naming its package.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles
npm_dir=$cache/npm
semver_pin=7.8.6
nuget_pin=5.8.0

need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || { echo "version.sh: $1 not found (install the Debian package $2)" >&2; exit 127; }
}

# run_logged LOG CMD...: runs CMD with its output in LOG, shown on failure.
run_logged() {
	local log=$1
	shift
	if ! "$@" >"$log" 2>&1; then
		echo "version.sh: setup failed: $*" >&2
		cat "$log" >&2
		exit 1
	fi
}

# npm_pkg NAME VERSION: installs NAME@VERSION under $npm_dir unless there.
npm_pkg() {
	local pj=$npm_dir/node_modules/$1/package.json
	if [ -f "$pj" ] && grep -q "\"version\": \"$2\"" "$pj"; then
		return 0
	fi
	need npm npm
	mkdir -p "$npm_dir"
	run_logged "$cache/npm-$1.log" npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error "$1@$2"
}

hash_of() { cat "$@" | sha256sum | cut -c1-16; }

# locked: serialises setup between concurrent runs of this script.
locked() {
	mkdir -p "$cache"
	exec 9>"$cache/semver-group.lock"
	flock 9
}

case "${1:-}" in
semver)
	need node nodejs
	grep -qs "\"version\": \"$semver_pin\"" "$npm_dir/node_modules/semver/package.json" || { locked; npm_pkg semver "$semver_pin"; }
	exec 9>&-
	exec node "$here/semver.js" "$npm_dir/node_modules" ;;
cargo)
	need rustc rustc
	crate=$(printf '%s\n' /usr/share/cargo/registry/semver-1.* | sort -V | tail -1)
	[ -f "$crate/src/lib.rs" ] || { echo "version.sh: the Rust semver crate not found (install the Debian package librust-semver-dev)" >&2; exit 127; }
	dir=$cache/cargo-$(hash_of "$here/cargo.rs" "$crate"/src/*.rs)
	if [ ! -x "$dir/oracle" ]; then
		locked
		if [ ! -x "$dir/oracle" ]; then
			rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
			run_logged "$dir.tmp/build.log" rustc --edition 2018 --crate-type rlib --crate-name semver -O \
				--cap-lints allow "$crate/src/lib.rs" --out-dir "$dir.tmp"
			run_logged "$dir.tmp/build.log" rustc --edition 2018 -O --extern "semver=$dir.tmp/libsemver.rlib" \
				"$here/cargo.rs" -o "$dir.tmp/oracle"
			rm -rf "$dir" && mv "$dir.tmp" "$dir"
		fi
	fi
	exec 9>&-
	exec "$dir/oracle" ;;
go | gostd)
	need go golang-go
	gocode=/usr/share/gocode/src
	[ -f "$gocode/golang.org/x/mod/semver/semver.go" ] || { echo "version.sh: golang.org/x/mod not found (install the Debian package golang-golang-x-mod-dev)" >&2; exit 127; }
	[ -f "$gocode/golang.org/x/vuln/internal/semver/semver.go" ] || { echo "version.sh: golang.org/x/vuln not found (install the Debian package golang-golang-x-vuln-dev)" >&2; exit 127; }
	dir=$cache/go-$(hash_of "$here/go.go" "$gocode/golang.org/x/mod/semver/semver.go" "$gocode/golang.org/x/vuln/internal/semver/semver.go")
	if [ ! -x "$dir/oracle" ]; then
		locked
		if [ ! -x "$dir/oracle" ]; then
			# GOPATH mode, no network: the oracle sits under golang.org/x/vuln/
			# (a private GOPATH whose internal/ links to Debian's) because Go
			# lets only code below golang.org/x/vuln import its internal/.
			rm -rf "$dir.tmp"
			src=$dir.tmp/gopath/src/golang.org/x/vuln
			mkdir -p "$src/customsoracle"
			ln -s "$gocode/golang.org/x/vuln/internal" "$src/internal"
			cp "$here/go.go" "$src/customsoracle/main.go"
			run_logged "$dir.tmp/build.log" env GO111MODULE=off GOFLAGS= GOPROXY=off \
				GOPATH="$dir.tmp/gopath:/usr/share/gocode" GOCACHE="$dir.tmp/gocache" \
				go build -o "$dir.tmp/oracle" golang.org/x/vuln/customsoracle
			rm -rf "$dir.tmp/gocache" "$dir" && mv "$dir.tmp" "$dir"
		fi
	fi
	exec 9>&-
	exec "$dir/oracle" "$1" ;;
nuget)
	need mono mono-runtime
	exe=$npm_dir/node_modules/nuget-exe/nuget-$nuget_pin.exe
	if [ ! -f "$exe" ]; then
		locked
		npm_pkg nuget-exe "$nuget_pin"
	fi
	dir=$cache/nuget-$(hash_of "$here/nuget.cs" "$exe")
	if [ ! -f "$dir/oracle.exe" ]; then
		need mcs mono-mcs
		locked
		if [ ! -f "$dir/oracle.exe" ]; then
			rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
			# Mono finds the referenced assembly by its name, "NuGet".
			cp "$exe" "$dir.tmp/NuGet.exe"
			run_logged "$dir.tmp/build.log" mcs -nologo -r:"$dir.tmp/NuGet.exe" -out:"$dir.tmp/oracle.exe" "$here/nuget.cs"
			rm -rf "$dir" && mv "$dir.tmp" "$dir"
		fi
	fi
	exec 9>&-
	exec mono "$dir/oracle.exe" ;;
*)
	echo "semver-group.sh: unknown scheme '${1:-}'" >&2
	exit 2 ;;
esac
