#!/bin/bash
# maven.sh - compiles MavenOracle.java once against Debian's maven-artifact
# jar (into ${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles/maven-HASH, keyed
# by the hash of the source and of the jar) and runs it on stdin.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}/oracles
for c in java javac; do
	command -v $c >/dev/null 2>&1 || { echo "version.sh: $c not found (install the Debian package openjdk-17-jdk-headless)" >&2; exit 127; }
done
jar=""
for j in /usr/share/maven/lib/maven-artifact*.jar /usr/share/java/maven-artifact*.jar /usr/share/java/maven3-artifact.jar; do
	[ -f "$j" ] && { jar=$j; break; }
done
[ -n "$jar" ] || { echo "version.sh: maven-artifact jar not found (install the Debian package maven)" >&2; exit 127; }
hash=$(cat "$here/MavenOracle.java" "$jar" | sha256sum | cut -c1-16)
dir=$cache/maven-$hash
if [ ! -f "$dir/MavenOracle.class" ]; then
	mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/maven-tmp.XXXXXX")
	if ! javac -nowarn -cp "$jar" -d "$tmp" "$here/MavenOracle.java" >"$tmp/javac.log" 2>&1; then
		echo "version.sh: cannot compile MavenOracle.java" >&2
		cat "$tmp/javac.log" >&2
		rm -rf "$tmp"
		exit 1
	fi
	rm -f "$tmp/javac.log"
	# rename is atomic: a concurrent run either sees the whole dir or none
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
fi
exec java -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$jar:$dir" MavenOracle
