# shellcheck shell=bash disable=SC2154 # here, root, SHARED, ... are run.sh's
# registry.sh - the registry group of tests/e2e/run.sh (sourced by it): customs
# pulling from Debian's docker-registry (the reference distribution
# registry), started here on 127.0.0.1 with temporary configs and storage,
# the images pushed with skopeo. See docs/registry.md.
#
# Registries: anon (plain HTTP, no auth), basic (htpasswd, bcrypt), token
# (auth.token, with tests/e2e/regserver.py's token issuer signing RS256
# JWTs), tls (HTTPS, a self-signed certificate), faulty (a blob deleted from
# its storage); fault proxies (regserver.py proxy) in front of some.
#
#   registry/anon-oci         the sample image pushed from its OCI layout: the
#                             same JSON report as `oci:` of that layout (all
#                             scanners; the artifact's name and repo_tags aside)
#   registry/anon-v2s2        pushed from the docker archive as Docker v2s2
#                             (skopeo recompresses): the same report as the
#                             archive, layer digests, sizes and media types aside
#   registry/anon-v2s2-oci    pushed from the OCI layout as v2s2 (same blobs)
#   registry/multi-*          a multi-platform index (skopeo copy --all): the
#                             default platform and --platform linux/arm64 as
#                             the layout gives them
#   registry/secrets          the secrets image (gzip, zstd, plain layers): the
#                             same findings as its layout
#   registry/digest, docker-prefix   by @sha256 digest, with docker://
#   registry/missing-tag, wrong-digest, refused   one exact error line, exit 3
#   registry/path-wins        an existing directory named like the reference
#                             is scanned as a path; docker:// forces the registry
#   registry/basic-*          HTTP Basic: --password-stdin, wrong password, none
#   registry/token-*          bearer tokens: --password-stdin (one token request
#                             for the whole scan), wrong password, anonymous,
#                             ~/.docker/config.json auths, a credsStore helper,
#                             $REGISTRY_AUTH_FILE, an identity token (POST)
#   registry/no-leak          no password or issued token in any output
#   registry/tls-*            verification on by default, --ca-cert, --insecure
#   registry/blob-removed     a layer deleted from the registry's storage
#   registry/truncated-once   a layer cut off once: resumed with Range, same report
#   registry/truncated        cut off every time: a clear error
#   registry/short-blob       a clean answer with half the blob: digest error
#   registry/retry-503, retry-429, retry-exhausted   Retry-After honoured
#   registry/schema1          the registry down-converts to schema 1: refused
#   registry/redirect         blobs redirected to another origin: followed,
#                             without the credentials
#   registry/tty              a progress line on a terminal, erased at the end
#   registry/killed           the registry killed mid-pull: a clear error
# Every failing case: exit 3, exactly one error line naming the reference,
# no report file. Servers bind 127.0.0.1, are stopped by PID, and never
# hold the runner's stdout/stderr.
# Uses from run.sh: cs, check_crash, fresh_cwd, stderr_shape, one_error,
# report_ok, first_error, why, verdict, ok, skip, fail, want, PY, root,
# E2E_TMP, TIMEOUT, CUSTOMS.

RG=$E2E_TMP/registry
REG_PIDS=()

# reg_bg LOG CMD...: starts CMD in its own session, detached from our pipes; sets BG_PID.
reg_bg() {
	local log=$1
	shift
	setsid "$@" </dev/null >"$log" 2>&1 &
	BG_PID=$!
	disown "$BG_PID" # killed by PID later: no job notice on the runner's output
	REG_PIDS+=("$BG_PID")
}

reg_kill() {
	local pid=$1 n=0
	kill "$pid" 2>/dev/null || return 0
	while kill -0 "$pid" 2>/dev/null && [ $n -lt 20 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -9 "$pid" 2>/dev/null
	return 0
}

reg_stop_all() {
	local p
	for p in "${REG_PIDS[@]}"; do reg_kill "$p"; done
	REG_PIDS=()
}

# reg_start NAME [YAML...]: a docker-registry with storage in $RG/NAME, the
# extra YAML lines appended to its config (auth, http.tls); sets REG_PORT,
# REG_PID.
reg_start() {
	local name=$1 d n=0 tls="" line
	shift
	d=$RG/$name
	mkdir -p "$d/data"
	for line in "$@"; do case $line in tls:*) tls=1 ;; esac; done
	{
		printf 'version: 0.1\nlog:\n  level: info\n  accesslog:\n    disabled: true\n'
		printf 'storage:\n  filesystem:\n    rootdirectory: %s/data\n  delete:\n    enabled: true\n' "$d"
		printf 'http:\n  addr: 127.0.0.1:0\n  secret: customs-e2e-%s\n' "$name"
		if [ -n "$tls" ]; then
			printf '  tls:\n    certificate: %s\n    key: %s\n' "$RG/tls.crt" "$RG/tls.key"
		fi
		for line in "$@"; do case $line in tls:*) ;; *) printf '%s\n' "$line" ;; esac; done
	} >"$d/config.yml"
	reg_bg "$d/log" docker-registry serve "$d/config.yml"
	REG_PID=$BG_PID
	REG_PORT=""
	while [ $n -lt 100 ]; do
		REG_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$d/log" | head -1)
		[ -n "$REG_PORT" ] && return 0
		kill -0 "$REG_PID" 2>/dev/null || break
		sleep 0.1
		n=$((n + 1))
	done
	echo "# docker-registry $name did not start: $(tail -2 "$d/log" | tr '\n' ' ')"
	return 1
}

# reg_py NAME MODE ARGS...: regserver.py in MODE; sets PY_PORT, PY_PID, PY_LOG.
reg_py() {
	local name=$1 mode=$2 n=0
	shift 2
	PY_LOG=$RG/$name.log
	rm -f "$RG/$name.port"
	: >"$PY_LOG"
	reg_bg "$RG/$name.out" "$PY" "$here/regserver.py" "$mode" --port-file "$RG/$name.port" --log "$PY_LOG" "$@"
	PY_PID=$BG_PID
	while [ ! -s "$RG/$name.port" ] && [ $n -lt 100 ]; do
		kill -0 "$PY_PID" 2>/dev/null || break
		sleep 0.1
		n=$((n + 1))
	done
	PY_PORT=$(cat "$RG/$name.port" 2>/dev/null)
	[ -n "$PY_PORT" ] || { echo "# regserver.py $mode did not start: $(tail -2 "$RG/$name.out" | tr '\n' ' ')"; return 1; }
}

# reg_push SRC DEST [SKOPEO OPTIONS...]
reg_push() {
	local src=$1 dst=$2
	shift 2
	if ! skopeo copy -q --dest-tls-verify=false "$@" "$src" "docker://$dst" >"$RG/push.log" 2>&1; then
		echo "# skopeo copy $src $dst failed: $(tail -2 "$RG/push.log" | tr '\n' ' ')"
		return 1
	fi
}

# reg_scan NAME TARGET [ARGS...]: a JSON scan into a fresh directory's
# out.json with a clean credential environment ($REG_HOME as HOME, no auth
# files or proxies unless REG_ENV says so, stdin from $REG_STDIN); sets RCWD
# and RREP (the report, or "" when none was written).
reg_scan() {
	local name=$1 target=$2
	shift 2
	RCWD=$(fresh_cwd "$name")
	RREP=""
	# shellcheck disable=SC2086 # REG_ENV is a list of NAME=VALUE words
	CS_STDIN=${REG_STDIN:-} TMPDIR=$E2E_TMP/scanner-tmp cs "$name" "$RCWD" "$TIMEOUT" \
		env -u XDG_RUNTIME_DIR -u DOCKER_CONFIG -u REGISTRY_AUTH_FILE -u http_proxy -u https_proxy \
		-u HTTP_PROXY -u HTTPS_PROXY -u ALL_PROXY -u all_proxy NO_PROXY=127.0.0.1,localhost \
		no_proxy=127.0.0.1,localhost SOURCE_DATE_EPOCH=1700000000 HOME="${REG_HOME:-$RG/home}" ${REG_ENV:-} \
		"$CUSTOMS" image "$@" --format json --output out.json "$target"
	[ -f "$RCWD/out.json" ] && RREP=$RCWD/out.json
	return 0
}

# reg_ok NAME: the last scan exited 0 with a well-formed stderr and a strict report.
reg_ok() {
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 240)"
	if [ -n "$RREP" ]; then
		report_ok "$1" "$RREP" >/dev/null || RREP=""
	else
		why "no report"
	fi
}

# reg_fails NEEDLES_JSON [REGEX]: exit 3, one error line naming the input, no report.
reg_fails() {
	stderr_shape
	[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
	one_error "$1" "${2:-}"
	[ -e "$RCWD/out.json" ] && why "a report was written"
	find "$RCWD" -name 'out.json*' | grep -q . && why "a partial report file was left: $(find "$RCWD" -name 'out.json*' | head -1)"
	return 0
}

# reg_same A B [JQ-DELETIONS]: the two reports are the same JSON, apart from
# the artifact's name and repo_tags and whatever JQ-DELETIONS removes.
reg_same() {
	local f="del(.artifact.name, .artifact.repo_tags)${3:+ | $3}" d
	if [ -z "$1" ] || [ -z "$2" ]; then
		why "no report to compare"
		return
	fi
	if ! d=$(diff <(jq -S "$f" "$1") <(jq -S "$f" "$2") | head -8); then
		why "differs from the archive's report: $(printf '%s' "$d" | tr '\n' ' ' | head -c 400)"
	fi
}

# reg_archive NAME TARGET [ARGS...]: the reference report of a local target into REF_REP.
reg_archive() {
	local n=$1 t=$2
	shift 2
	reg_scan "$n" "$t" "$@"
	REF_REP=$RREP
	[ "$CS_RC" = 0 ] && [ -n "$REF_REP" ] || echo "# the local scan of $t failed (exit $CS_RC): $(first_error | head -c 200)"
}

reg_setup() {
	local t
	rm -rf "$RG"
	mkdir -p "$RG/home"
	for t in docker-registry skopeo htpasswd openssl; do
		if ! command -v "$t" >/dev/null 2>&1; then
			skip "registry/*" "$t not installed (scripts/deps.sh test installs docker-registry, skopeo, apache2-utils): THE REGISTRY TESTS DID NOT RUN"
			return 1
		fi
	done
	if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$RG/tls.key" -out "$RG/tls.crt" >"$RG/openssl.log" 2>&1 ||
		! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=customs-e2e-token \
			-keyout "$RG/token.key" -out "$RG/token.crt" >>"$RG/openssl.log" 2>&1; then
		fail registry/setup "openssl cannot make certificates: $(tail -1 "$RG/openssl.log")"
		return 1
	fi
	htpasswd -Bbn alice 'basic-Pw-7e1f9' >"$RG/htpasswd" 2>/dev/null || {
		fail registry/setup "htpasswd failed"
		return 1
	}
	printf 'basic-Pw-7e1f9\n' >"$RG/basic.pw"
	printf 'wrong-Pw-0000\n' >"$RG/wrong.pw"
	printf 'token-Pw-9c2d4\n' >"$RG/token.pw"
	SX=$RG/secrets
	if ! "$PY" "$root/scripts/build-secrets.py" "$SX" >"$RG/build-secrets.log" 2>&1; then
		fail registry/setup "scripts/build-secrets.py failed: $(tail -2 "$RG/build-secrets.log" | tr '\n' ' ')"
		return 1
	fi
	SAMPLE=""
	if SAMPLE=$(cd "$root" && scripts/build-images.sh 2>/dev/null | tail -1) && [ -f "$SAMPLE/complete" ]; then
		:
	else
		SAMPLE=""
		echo "# no sample image (scripts/build-images.sh): the sample and multi-platform cases are skipped"
	fi
	return 0
}

# The secrets image's largest layer blob (for the fault cases).
secrets_blob() {
	local m
	m=$(jq -r '.manifests[0].digest' "$SX/oci/index.json")
	jq -r '.layers | max_by(.size) | .digest' "$SX/oci/blobs/sha256/${m#sha256:}"
}

registry_anon_cases() {
	local A=$1 dgst
	if [ -n "$SAMPLE" ]; then
		if want registry/anon-oci; then
			reg_archive registry/anon-oci-local "oci:$SAMPLE/oci:sample"
			reg_scan registry/anon-oci "127.0.0.1:$A/sample:oci"
			reg_ok registry/anon-oci
			reg_same "$REF_REP" "$RREP"
			[ -n "$RREP" ] && [ "$(jq -c .artifact.repo_tags "$RREP")" != "[\"127.0.0.1:$A/sample:oci\"]" ] &&
				why "repo_tags $(jq -c .artifact.repo_tags "$RREP")"
			verdict registry/anon-oci
		fi
		if want registry/anon-v2s2; then
			reg_archive registry/anon-v2s2-local "docker-archive:$SAMPLE/sample.docker.tar"
			reg_scan registry/anon-v2s2 "127.0.0.1:$A/sample:v2s2"
			reg_ok registry/anon-v2s2
			reg_same "$REF_REP" "$RREP" 'del(.artifact.manifest_digest) | del(.artifact.layers[].digest, .artifact.layers[].size, .artifact.layers[].compression, .artifact.layers[].media_type)'
			[ -n "$RREP" ] && ! jq -e '[.artifact.layers[].media_type] | all(. == "application/vnd.docker.image.rootfs.diff.tar.gzip")' "$RREP" >/dev/null &&
				why "not Docker media types: $(jq -c '[.artifact.layers[].media_type]' "$RREP")"
			verdict registry/anon-v2s2
		fi
		if want registry/anon-v2s2-oci; then
			reg_archive registry/anon-v2s2-oci-local "oci:$SAMPLE/oci:sample"
			reg_scan registry/anon-v2s2-oci "127.0.0.1:$A/sample:v2s2oci"
			reg_ok registry/anon-v2s2-oci
			reg_same "$REF_REP" "$RREP" 'del(.artifact.manifest_digest, .artifact.layers[].media_type)'
			verdict registry/anon-v2s2-oci
		fi
		if want registry/multi-default || want registry/multi-arm64; then
			for p in "default|" "arm64|linux/arm64"; do
				IFS='|' read -r v plat <<<"$p"
				want "registry/multi-$v" || continue
				reg_archive "registry/multi-$v-local" "oci:$SAMPLE/multi:multi" ${plat:+--platform "$plat"}
				reg_scan "registry/multi-$v" "127.0.0.1:$A/multi:1" ${plat:+--platform "$plat"}
				reg_ok "registry/multi-$v"
				reg_same "$REF_REP" "$RREP"
				verdict "registry/multi-$v"
			done
		fi
	fi
	if want registry/secrets; then
		reg_archive registry/secrets-local "oci:$SX/oci:secrets"
		reg_scan registry/secrets "127.0.0.1:$A/secrets:1"
		reg_ok registry/secrets
		reg_same "$REF_REP" "$RREP"
		if [ -z "$RREP" ] || [ "$(jq '.secrets | length' "$RREP")" = 0 ]; then why "no secret findings"; fi
		verdict registry/secrets
	fi
	dgst=$(jq -r '.manifests[0].digest' "$SX/oci/index.json")
	if want registry/digest; then
		reg_scan registry/digest "127.0.0.1:$A/secrets@$dgst" --scanners secret
		reg_ok registry/digest
		[ -n "$RREP" ] && [ "$(jq -r .artifact.manifest_digest "$RREP")" != "$dgst" ] && why "manifest_digest $(jq -r .artifact.manifest_digest "$RREP")"
		[ -n "$RREP" ] && [ "$(jq -c .artifact.repo_tags "$RREP")" != "[]" ] && why "a digest reference has repo_tags $(jq -c .artifact.repo_tags "$RREP")"
		verdict registry/digest
	fi
	if want registry/docker-prefix; then
		reg_scan registry/docker-prefix "docker://127.0.0.1:$A/secrets:1" --scanners secret
		reg_ok registry/docker-prefix
		[ -n "$RREP" ] && [ "$(jq -r .artifact.manifest_digest "$RREP")" != "$dgst" ] && why "manifest_digest $(jq -r .artifact.manifest_digest "$RREP")"
		verdict registry/docker-prefix
	fi
	if want registry/missing-tag; then
		reg_scan registry/missing-tag "127.0.0.1:$A/secrets:missing" --scanners secret
		reg_fails "[\"127.0.0.1:$A/secrets:missing\"]"
		[ "$(first_error)" = "customs: error: '127.0.0.1:$A/secrets:missing': manifest unknown (404)" ] ||
			why "error line: $(first_error)"
		verdict registry/missing-tag
	fi
	if want registry/wrong-digest; then
		reg_scan registry/wrong-digest "127.0.0.1:$A/secrets@sha256:$(printf '0%.0s' $(seq 64))" --scanners secret
		reg_fails '["/secrets@sha256:000"]' 'manifest unknown \(404\)'
		verdict registry/wrong-digest
	fi
	if want registry/refused; then
		local closed
		closed=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		reg_scan registry/refused "127.0.0.1:$closed/app:1" --scanners secret
		reg_fails "[\"127.0.0.1:$closed/app:1\"]" "cannot reach registry '127\\.0\\.0\\.1:$closed': Connection refused"
		verdict registry/refused
	fi
	if want registry/path-wins; then
		# a directory "127.0.0.1:PORT/sample:oci" in the working directory holding the secrets image
		RCWD=$(fresh_cwd registry/path-wins)
		mkdir -p "$RCWD/127.0.0.1:$A"
		cp -r "$SX/oci" "$RCWD/127.0.0.1:$A/sample:oci"
		CS_STDIN="" TMPDIR=$E2E_TMP/scanner-tmp cs registry/path-wins "$RCWD" "$TIMEOUT" env HOME="$RG/home" \
			"$CUSTOMS" image --scanners secret --format json --output out.json "127.0.0.1:$A/sample:oci"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error)"
		if [ ! -f "$RCWD/out.json" ] ||
			[ "$(jq -r .artifact.image_id "$RCWD/out.json")" != "$(jq -r .artifact.image_id "$REF_SECRETS" 2>/dev/null)" ]; then
			why "the path was not scanned: image_id $(jq -r .artifact.image_id "$RCWD/out.json" 2>/dev/null)"
		fi
		rm -f "$RCWD/out.json"
		CS_STDIN="" TMPDIR=$E2E_TMP/scanner-tmp cs registry/path-wins-forced "$RCWD" "$TIMEOUT" env HOME="$RG/home" \
			"$CUSTOMS" image --scanners secret --format json --output out.json "docker://127.0.0.1:$A/secrets:1"
		[ "$CS_RC" = 0 ] || why "docker:// exit $CS_RC: $(first_error)"
		if [ ! -f "$RCWD/out.json" ] || [ "$(jq -r '.artifact.repo_tags[0]' "$RCWD/out.json")" != "127.0.0.1:$A/secrets:1" ]; then
			why "docker:// did not reach the registry"
		fi
		verdict registry/path-wins
	fi
}

registry_basic_cases() {
	local B=$1
	if want registry/basic-ok; then
		REG_STDIN=$RG/basic.pw reg_scan registry/basic-ok "127.0.0.1:$B/secrets:1" --scanners secret --username alice --password-stdin
		reg_ok registry/basic-ok
		reg_same "$REF_SECRETS" "$RREP"
		verdict registry/basic-ok
	fi
	if want registry/basic-wrong; then
		REG_STDIN=$RG/wrong.pw reg_scan registry/basic-wrong "127.0.0.1:$B/secrets:1" --scanners secret --username alice --password-stdin
		reg_fails "[\"127.0.0.1:$B/secrets:1\"]" 'credentials from --username were not accepted'
		verdict registry/basic-wrong
	fi
	if want registry/basic-anonymous; then
		reg_scan registry/basic-anonymous "127.0.0.1:$B/secrets:1" --scanners secret
		reg_fails "[\"127.0.0.1:$B/secrets:1\"]" '401.*log in'
		verdict registry/basic-anonymous
	fi
}

registry_token_cases() {
	local T=$1 TS=$2 home n
	if want registry/token-stdin; then
		: >"$PY_LOG_TOKEN"
		REG_STDIN=$RG/token.pw reg_scan registry/token-stdin "127.0.0.1:$T/secrets:1" --scanners secret --username bob --password-stdin
		reg_ok registry/token-stdin
		reg_same "$REF_SECRETS" "$RREP"
		n=$(grep -c 'status=200' "$PY_LOG_TOKEN")
		[ "$n" = 1 ] || why "$n tokens issued for one scan, want 1 (cached for the scan): $(tr '\n' '|' <"$PY_LOG_TOKEN" | head -c 300)"
		grep -q "scope=repository:secrets:pull " "$PY_LOG_TOKEN" || why "no pull scope asked: $(head -c 200 "$PY_LOG_TOKEN")"
		verdict registry/token-stdin
	fi
	if want registry/token-wrong; then
		REG_STDIN=$RG/wrong.pw reg_scan registry/token-wrong "127.0.0.1:$T/secrets:1" --scanners secret --username bob --password-stdin
		reg_fails "[\"127.0.0.1:$T/secrets:1\"]" "token server '127\\.0\\.0\\.1:$TS'.*401.*credentials from --username were not accepted"
		verdict registry/token-wrong
	fi
	if want registry/token-anonymous; then
		reg_scan registry/token-anonymous "127.0.0.1:$T/secrets:1" --scanners secret
		reg_fails "[\"127.0.0.1:$T/secrets:1\"]" '401.*log in'
		verdict registry/token-anonymous
	fi
	if want registry/token-config; then
		home=$RG/home-config
		mkdir -p "$home/.docker"
		printf '{"auths": {"127.0.0.1:%s": {"auth": "%s"}, "https://index.docker.io/v1/": {"auth": "eDp5"}}}\n' \
			"$T" "$(printf 'bob:%s' "$(cat "$RG/token.pw")" | base64 -w0)" >"$home/.docker/config.json"
		REG_HOME=$home reg_scan registry/token-config "127.0.0.1:$T/secrets:1" --scanners secret
		reg_ok registry/token-config
		reg_same "$REF_SECRETS" "$RREP"
		verdict registry/token-config
	fi
	if want registry/token-helper; then
		home=$RG/home-helper
		mkdir -p "$home/.docker" "$home/bin"
		printf '{"credsStore": "customs-e2e"}\n' >"$home/.docker/config.json"
		cat >"$home/bin/docker-credential-customs-e2e" <<EOF
#!/bin/sh
[ "\$1" = get ] || exit 2
read -r server
echo "\$server" >>"$home/helper.log"
[ "\$server" = "127.0.0.1:$T" ] || { echo "credentials not found in native keychain"; exit 1; }
printf '{"ServerURL":"%s","Username":"bob","Secret":"%s"}\n' "\$server" "$(cat "$RG/token.pw")"
EOF
		chmod +x "$home/bin/docker-credential-customs-e2e"
		REG_HOME=$home REG_ENV="PATH=$home/bin:$PATH" reg_scan registry/token-helper "127.0.0.1:$T/secrets:1" --scanners secret
		reg_ok registry/token-helper
		reg_same "$REF_SECRETS" "$RREP"
		[ "$(cat "$home/helper.log" 2>/dev/null)" = "127.0.0.1:$T" ] || why "the helper was asked for: $(head -c 100 "$home/helper.log" 2>/dev/null)"
		verdict registry/token-helper
	fi
	if want registry/token-authfile; then
		printf '{"auths": {"127.0.0.1:%s/secrets": {"auth": "%s"}}}\n' "$T" \
			"$(printf 'bob:%s' "$(cat "$RG/token.pw")" | base64 -w0)" >"$RG/podman-auth.json"
		REG_ENV="REGISTRY_AUTH_FILE=$RG/podman-auth.json" reg_scan registry/token-authfile "127.0.0.1:$T/secrets:1" --scanners secret
		reg_ok registry/token-authfile
		reg_same "$REF_SECRETS" "$RREP"
		verdict registry/token-authfile
	fi
	if want registry/token-identity; then
		home=$RG/home-identity
		mkdir -p "$home/.docker"
		printf '{"auths": {"127.0.0.1:%s": {"identitytoken": "refresh-e2e-5b7a"}}}\n' "$T" >"$home/.docker/config.json"
		: >"$PY_LOG_TOKEN"
		REG_HOME=$home reg_scan registry/token-identity "127.0.0.1:$T/secrets:1" --scanners secret
		reg_ok registry/token-identity
		reg_same "$REF_SECRETS" "$RREP"
		grep -q '^POST /token user=bob' "$PY_LOG_TOKEN" || why "no refresh-token POST: $(head -c 200 "$PY_LOG_TOKEN")"
		verdict registry/token-identity
	fi
}

registry_tls_cases() {
	local S=$1
	if want registry/tls-verify; then
		reg_scan registry/tls-verify "127.0.0.1:$S/secrets:1" --scanners secret
		reg_fails "[\"127.0.0.1:$S/secrets:1\"]" 'certificate'
		verdict registry/tls-verify
	fi
	if want registry/tls-ca-cert; then
		reg_scan registry/tls-ca-cert "127.0.0.1:$S/secrets:1" --scanners secret --ca-cert "$RG/tls.crt"
		reg_ok registry/tls-ca-cert
		reg_same "$REF_SECRETS" "$RREP"
		verdict registry/tls-ca-cert
	fi
	if want registry/tls-insecure; then
		reg_scan registry/tls-insecure "127.0.0.1:$S/secrets:1" --scanners secret --insecure
		reg_ok registry/tls-insecure
		reg_same "$REF_SECRETS" "$RREP"
		verdict registry/tls-insecure
	fi
	if want registry/tls-ca-missing; then
		reg_scan registry/tls-ca-missing "127.0.0.1:$S/secrets:1" --scanners secret --ca-cert "$RG/nonexistent.pem"
		stderr_shape
		[ "$CS_RC" = 2 ] || why "exit $CS_RC, want 2"
		one_error '["nonexistent.pem"]'
		verdict registry/tls-ca-missing
	fi
}

# Fault cases through regserver.py's proxy in front of registry A.
registry_proxy_cases() {
	local A=$1 blob t0 t1
	blob=$(secrets_blob)
	if want registry/truncated-once; then
		if reg_py proxy-trunc1 proxy --upstream "127.0.0.1:$A" --truncate "$blob:1"; then
			reg_scan registry/truncated-once "127.0.0.1:$PY_PORT/secrets:1" --scanners secret
			reg_ok registry/truncated-once
			reg_same "$REF_SECRETS" "$RREP"
			grep -q "^TRUNCATED /v2/secrets/blobs/$blob" "$PY_LOG" || why "the proxy did not cut the blob"
			grep -q "^GET /v2/secrets/blobs/$blob auth=no range=bytes=[1-9]" "$PY_LOG" || why "no Range request resumed it: $(grep "$blob" "$PY_LOG" | tr '\n' '|' | head -c 300)"
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict registry/truncated-once
	fi
	if want registry/truncated; then
		if reg_py proxy-trunc proxy --upstream "127.0.0.1:$A" --truncate "$blob:1000"; then
			reg_scan registry/truncated "127.0.0.1:$PY_PORT/secrets:1" --scanners secret
			reg_fails "[\"127.0.0.1:$PY_PORT/secrets:1\"]" "${blob:0:19}.*broke after [0-9]+ bytes: the connection closed before the end"
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict registry/truncated
	fi
	if want registry/short-blob; then
		if reg_py proxy-short proxy --upstream "127.0.0.1:$A" --short "$blob"; then
			reg_scan registry/short-blob "127.0.0.1:$PY_PORT/secrets:1" --scanners secret
			reg_fails "[\"${blob:7:12}\", \"127.0.0.1:$PY_PORT/secrets:1\"]" 'bytes, the manifest declares|digest'
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict registry/short-blob
	fi
	for t in "503|2:503:1" "429|1:429:"; do
		IFS='|' read -r code rule <<<"$t"
		want "registry/retry-$code" || continue
		if reg_py "proxy-$code" proxy --upstream "127.0.0.1:$A" --fail-manifests "$rule"; then
			t0=$(date +%s.%N)
			reg_scan "registry/retry-$code" "127.0.0.1:$PY_PORT/secrets:1" --scanners secret
			t1=$(date +%s.%N)
			reg_ok "registry/retry-$code"
			reg_same "$REF_SECRETS" "$RREP"
			n=$(grep -c '/manifests/' "$PY_LOG")
			[ "$n" -ge "$((${rule%%:*} + 1))" ] || why "$n manifest requests, want at least $((${rule%%:*} + 1))"
			if [ "$code" = 503 ] && awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 2) }'; then
				why "Retry-After: 1 (twice) not honoured: done in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
			fi
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict "registry/retry-$code"
	done
	if want registry/retry-exhausted; then
		if reg_py proxy-500 proxy --upstream "127.0.0.1:$A" --fail-manifests "1000:503:"; then
			reg_scan registry/retry-exhausted "127.0.0.1:$PY_PORT/secrets:1" --scanners secret
			reg_fails "[\"127.0.0.1:$PY_PORT/secrets:1\"]" '503.*4 times'
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict registry/retry-exhausted
	fi
	if [ -n "$SAMPLE" ] && want registry/schema1; then
		if reg_py proxy-s1 proxy --upstream "127.0.0.1:$A" --strip-accept; then
			reg_scan registry/schema1 "127.0.0.1:$PY_PORT/sample:v2s2" --scanners secret
			reg_fails "[\"127.0.0.1:$PY_PORT/sample:v2s2\"]" 'schema 1'
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict registry/schema1
	fi
}

registry_group() {
	local A B T TS S F KPID ANON_PID blob any=0 c
	for c in anon-oci anon-v2s2 anon-v2s2-oci multi-default multi-arm64 secrets digest docker-prefix missing-tag \
		wrong-digest refused path-wins basic-ok basic-wrong basic-anonymous token-stdin token-wrong token-anonymous \
		token-config token-helper token-authfile token-identity no-leak tls-verify tls-ca-cert tls-insecure \
		tls-ca-missing blob-removed truncated-once truncated short-blob retry-503 retry-429 retry-exhausted schema1 \
		redirect tty killed; do
		want "registry/$c" && any=1
	done
	[ $any = 1 ] || return 0
	reg_setup || return 0
	trap 'reg_stop_all; cleanup' EXIT

	# anonymous, plain HTTP on loopback
	if ! reg_start anon; then
		fail registry/start "docker-registry did not start"
		return 0
	fi
	A=$REG_PORT
	ANON_PID=$REG_PID
	reg_push "oci:$SX/oci:secrets" "127.0.0.1:$A/secrets:1" --preserve-digests || why "push secrets"
	if [ -n "$SAMPLE" ]; then
		reg_push "oci:$SAMPLE/oci:sample" "127.0.0.1:$A/sample:oci" --preserve-digests || why "push sample (OCI)"
		reg_push "docker-archive:$SAMPLE/sample.docker.tar" "127.0.0.1:$A/sample:v2s2" --format v2s2 || why "push sample (v2s2)"
		reg_push "oci:$SAMPLE/oci:sample" "127.0.0.1:$A/sample:v2s2oci" --format v2s2 --preserve-digests || why "push sample (v2s2 from OCI)"
		reg_push "oci:$SAMPLE/multi:multi" "127.0.0.1:$A/multi:1" --all --preserve-digests || why "push multi"
	fi
	verdict registry/push
	reg_archive registry/secrets-ref "oci:$SX/oci:secrets" --scanners secret
	REF_SECRETS=$REF_REP
	registry_anon_cases "$A"

	if want 'registry/basic-' || want registry/redirect || want registry/no-leak; then
		if reg_start basic "auth:" "  htpasswd:" "    realm: customs-e2e" "    path: $RG/htpasswd"; then
			B=$REG_PORT
			reg_push "oci:$SX/oci:secrets" "127.0.0.1:$B/secrets:1" --preserve-digests --dest-creds "alice:$(cat "$RG/basic.pw")" || why "push secrets (basic)"
			verdict registry/push-basic
			registry_basic_cases "$B"
			if want registry/redirect; then
				if reg_py proxy-redirect proxy --upstream "127.0.0.1:$B" --redirect-blobs "alice:$(cat "$RG/basic.pw")"; then
					REG_STDIN=$RG/basic.pw reg_scan registry/redirect "127.0.0.1:$PY_PORT/secrets:1" --scanners secret --username alice --password-stdin
					reg_ok registry/redirect
					reg_same "$REF_SECRETS" "$RREP"
					grep -q '^GET /_blob/' "$PY_LOG" || why "no redirected blob request"
					grep -q 'AUTH-FORWARDED' "$PY_LOG" && why "credentials went to the other origin"
					grep -q '^GET /v2/secrets/manifests/1 auth=yes' "$PY_LOG" || why "the registry itself got no credentials"
					reg_kill "$PY_PID"
				else
					why "the proxy did not start"
				fi
				verdict registry/redirect
			fi
		else
			fail registry/start-basic "docker-registry (htpasswd) did not start"
		fi
	fi

	if want 'registry/token-' || want registry/no-leak; then
		if reg_py token token --key "$RG/token.key" --user "bob:$(cat "$RG/token.pw")" \
			--refresh "refresh-e2e-5b7a:bob" --tokens "$RG/tokens.issued"; then
			TS=$PY_PORT
			PY_LOG_TOKEN=$PY_LOG
			if reg_start token "auth:" "  token:" "    realm: http://127.0.0.1:$TS/token" "    service: customs-test" \
				"    issuer: customs-test-issuer" "    rootcertbundle: $RG/token.crt"; then
				T=$REG_PORT
				reg_push "oci:$SX/oci:secrets" "127.0.0.1:$T/secrets:1" --preserve-digests --dest-creds "bob:$(cat "$RG/token.pw")" || why "push secrets (token)"
				verdict registry/push-token
				registry_token_cases "$T" "$TS"
			else
				fail registry/start-token "docker-registry (token) did not start"
			fi
		else
			fail registry/start-token "the token server did not start"
		fi
	fi

	if want registry/no-leak; then
		local s f hits=""
		while IFS= read -r s; do
			[ -n "$s" ] || continue
			for f in "$E2E_TMP"/runs/*-registry_*/stderr "$E2E_TMP"/runs/*-registry_*/stdout "$E2E_TMP"/work/registry_*/cwd/out.json; do
				[ -f "$f" ] && grep -qF -- "$s" "$f" && hits="$hits ${f#"$E2E_TMP"/}"
			done
		done < <(cat "$RG/basic.pw" "$RG/token.pw" "$RG/wrong.pw" "$RG/tokens.issued" 2>/dev/null; echo refresh-e2e-5b7a)
		[ -z "$hits" ] || why "a password or token in:$hits"
		[ -s "$RG/tokens.issued" ] || why "no token was issued: nothing checked"
		verdict registry/no-leak
	fi

	if want 'registry/tls-'; then
		if reg_start tls "tls:"; then
			S=$REG_PORT
			reg_push "oci:$SX/oci:secrets" "127.0.0.1:$S/secrets:1" --preserve-digests || why "push secrets (TLS)"
			verdict registry/push-tls
			registry_tls_cases "$S"
		else
			fail registry/start-tls "docker-registry (TLS) did not start"
		fi
	fi

	if want registry/blob-removed; then
		if reg_start faulty; then
			F=$REG_PORT
			reg_push "oci:$SX/oci:secrets" "127.0.0.1:$F/secrets:1" --preserve-digests || why "push secrets (faulty)"
			blob=$(secrets_blob)
			rm -f "$RG/faulty/data/docker/registry/v2/blobs/sha256/${blob:7:2}/${blob#sha256:}/data"
			reg_scan registry/blob-removed "127.0.0.1:$F/secrets:1" --scanners secret
			reg_fails "[\"127.0.0.1:$F/secrets:1\"]" "${blob:0:19}"
			reg_kill "$REG_PID"
		else
			why "docker-registry did not start"
		fi
		verdict registry/blob-removed
	fi

	registry_proxy_cases "$A"

	if want registry/tty; then
		if ! command -v script >/dev/null 2>&1; then
			skip registry/tty "script(1) not installed"
		else
			local log=$RG/tty.log
			env HOME="$RG/home" NO_PROXY=127.0.0.1 no_proxy=127.0.0.1 script -qec \
				"$CUSTOMS image --scanners secret --format json --output $RG/tty.json 127.0.0.1:$A/secrets:1" "$log" \
				</dev/null >/dev/null 2>&1
			grep -aq "customs: pulling 127.0.0.1:$A/secrets:1: [0-9]*/5 layers" "$log" || why "no progress line: $(tr -d '\r' <"$log" | head -c 200)"
			# the last line drawn is erased: "...B<ESC>[K<CR><ESC>[K" (script(1) adds a footer of its own)
			grep -aq "B"$'\033''\[K'$'\r\033''\[K' "$log" || why "the progress line is not erased at the end"
			[ -s "$RG/tty.json" ] || why "no report"
			verdict registry/tty
		fi
	fi

	# last: registry A, behind a slow proxy, is killed during the pull
	if [ -n "$SAMPLE" ] && want registry/killed; then
		if reg_py proxy-slow proxy --upstream "127.0.0.1:$A" --rate 2000000; then
			(sleep 2 && kill -9 "$ANON_PID" 2>/dev/null) </dev/null >/dev/null 2>&1 &
			KPID=$!
			reg_scan registry/killed "127.0.0.1:$PY_PORT/sample:oci" --scanners secret
			wait "$KPID" 2>/dev/null
			reg_fails "[\"127.0.0.1:$PY_PORT/sample:oci\"]" "'127\\.0\\.0\\.1:$PY_PORT'"
			kill -0 "$ANON_PID" 2>/dev/null && why "the registry was not killed"
			grep -q 'UPSTREAM-DOWN\|BROKEN' "$PY_LOG" || why "the registry died after the pull: $(tail -2 "$PY_LOG" | tr '\n' '|')"
			reg_kill "$PY_PID"
		else
			why "the proxy did not start"
		fi
		verdict registry/killed
	fi

	reg_stop_all
	trap cleanup EXIT
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin registry
	registry_group
	group_end
fi
