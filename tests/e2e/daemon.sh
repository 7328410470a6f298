# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# daemon.sh - the local-daemon group of tests/e2e/run.sh (sourced by it, after
# the secret group): docker-daemon: and podman: targets against a real Podman
# API service, and docker archives read from a pipe. See docs/registry.md
# ("Local daemon").
#
#   daemon/start          `podman system service --time=0` on a socket in the
#                         temp dir, started here (PID kept, output to a file,
#                         stdin from /dev/null), rootful with its own --root,
#                         --runroot and --tmpdir (vfs storage) so the
#                         machine's storage is untouched; stopped by PID
#   daemon/load-NAME      `podman load` of each test archive: the secrets
#                         image (scripts/build-secrets.py), the two real
#                         Alpine archives, the sample image when it is built
#   daemon/NAME           DOCKER_HOST=unix://SOCK customs image
#                         docker-daemon:REF gives the archive scan's report:
#                         image id, diff_ids, history, packages with their
#                         layers, vulnerabilities and secrets (names, repo tags
#                         and blob digests and compression left out: podman
#                         stores layers uncompressed); nothing written to
#                         TMPDIR; the sample's peak RSS and time are printed
#   daemon/podman-NAME    podman:REF through CONTAINER_HOST: the same
#   daemon/pipe-NAME      docker-archive:FIFO, the archive written into a
#                         pipe: the same (the one-pass reader without HTTP)
#   daemon/no-daemon      no socket, and a socket nobody listens on: exit 3,
#                         one error line naming the target and the socket
#   daemon/missing-image  exit 3, one error line naming the image
#   daemon/tcp-host       DOCKER_HOST=tcp://...: exit 2, "not supported"
#   daemon/bad-name       a name that would reach another endpoint: exit 2
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, one_error,
# error_lines, first_error, report_ok, side_effects, why, verdict, ok, skip,
# fail, want, PY, SHARED, root, E2E_TMP, TIMEOUT, CUSTOMS, cleanup.

DAEMON_PID=""
DAEMON_DIR=""

# The report facts both ways of reading an image must agree on.
# shellcheck disable=SC2016 # a jq program
DAEMON_NORM_JQ='{
  image_id: .artifact.image_id,
  os: .artifact.os,
  layers: [.artifact.layers[]? | {diff_id, tar_size, entries, created_by}],
  packages: [.packages[]? | {name, version, type, arch, purl, source_name, source_version,
                             found_in, layer: .layer.index?, diff_id: .layer.diff_id?}],
  vulnerabilities: [.vulnerabilities[]? | {id, package: (.package | tostring), installed_version,
                                           fixed_version, severity, layer: .layer.index?}],
  secrets: [.secrets[]? | {rule_id, path, line, column, match, layer: .layer.index?,
                           removed: .removed_in_layer.index?}],
  errors: [.diagnostics[]? | select(.level == "error")] | length
}'

# podman's global flags: this group's own storage, state and events.
dpodman_flags() {
	printf '%s\n' --root "$DAEMON_DIR/root" --runroot "$DAEMON_DIR/runroot" --tmpdir "$DAEMON_DIR/libpod" \
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file
}

# podman with those flags and its own TMPDIR (podman save writes its copy there).
dpodman() {
	local -a flags
	mapfile -t flags < <(dpodman_flags)
	TMPDIR=$DAEMON_DIR/podman-tmp podman "${flags[@]}" "$@"
}

daemon_stop() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		local i
		for i in $(seq 1 50); do
			kill -0 "$DAEMON_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=""
	fi
}

# daemon_ping SOCK: the Engine API answers /_ping with OK.
daemon_ping() {
	"$PY" - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
s.connect(sys.argv[1])
s.sendall(b"GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n")
data = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    data += b
sys.exit(0 if data.startswith(b"HTTP/1.") and b" 200 " in data.split(b"\r\n")[0] else 1)
EOF
}

daemon_start() {
	local i
	local -a flags
	mkdir -p "$DAEMON_DIR/root" "$DAEMON_DIR/runroot" "$DAEMON_DIR/libpod" "$DAEMON_DIR/podman-tmp"
	mapfile -t flags < <(dpodman_flags)
	# setsid: its own session, so no signal for the runner reaches it; no
	# inherited stdout/stderr, or the runner's caller waits on it forever
	TMPDIR=$DAEMON_DIR/podman-tmp setsid podman "${flags[@]}" \
		system service --time=0 "unix://$DAEMON_SOCK" </dev/null >"$DAEMON_DIR/service.log" 2>&1 &
	DAEMON_PID=$!
	for i in $(seq 1 100); do
		daemon_ping "$DAEMON_SOCK" && return 0
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		sleep 0.2
	done
	why "podman system service did not answer on $DAEMON_SOCK: $(tail -3 "$DAEMON_DIR/service.log" | tr '\n' ' ' | head -c 300)"
	daemon_stop
	return 1
}

# daemon_norm REPORT OUT: the normalized facts of REPORT into OUT.
daemon_norm() {
	jq -S "$DAEMON_NORM_JQ" "$1" >"$2" 2>&1
}

# daemon_scan NAME TARGET: a JSON scan into CWD/out.json (DOCKER_HOST and
# CONTAINER_HOST as the caller set them); exit 0, stderr well formed, nothing
# in the working directory but the report, nothing in TMPDIR. Sets DREP (the
# report, empty when there is none).
daemon_scan() {
	local name=$1 target=$2 cwd
	cwd=$(fresh_cwd "$name")
	DREP=""
	run_scanner "$name" "$cwd" "$TIMEOUT" image --format json --output out.json "$target"
	stderr_shape
	[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
	if [ -f "$cwd/out.json" ] && report_ok "$name" "$cwd/out.json"; then
		DREP=$cwd/out.json
	else
		why "no report"
	fi
	side_effects "$cwd" out.json
}

# daemon_same NAME WANT GOT: the normalized reports agree (NAME for the files).
daemon_same() {
	local a=$DAEMON_DIR/$1.want.json b=$DAEMON_DIR/$1.got.json d
	if ! daemon_norm "$2" "$a" || ! daemon_norm "$3" "$b"; then
		why "cannot normalize the reports: $(head -c 200 "$a" "$b" | tr '\n' ' ')"
		return
	fi
	if ! cmp -s "$a" "$b"; then
		d=$(diff "$a" "$b" | head -8 | cut -c1-120 | tr '\n' '|')
		why "the report differs from the archive scan's: $d"
	fi
}

# daemon_fail NAME WANT_RC NEEDLES_JSON REGEX TARGET: a failed scan: exit
# WANT_RC, one error line naming one of the needles, no report, no file.
daemon_fail() {
	local name=$1 rc=$2 needles=$3 regex=$4 target=$5 cwd
	cwd=$(fresh_cwd "$name")
	run_scanner "$name" "$cwd" "$TIMEOUT" image --format json --output out.json "$target"
	stderr_shape
	[ "$CS_RC" = "$rc" ] || why "exit $CS_RC, want $rc"
	one_error "$needles" "$regex"
	[ -e "$cwd/out.json" ] && why "a report was written"
	side_effects "$cwd" ""
	verdict "$name"
}

# daemon_image NAME ARCHIVE REF: load ARCHIVE, then the daemon, podman and
# pipe scans against the archive scan.
daemon_image() {
	local name=$1 archive=$2 ref=$3 want fifo wpid arss asecs
	if want "daemon/load-$name" || want "daemon/$name" || want "daemon/podman-$name"; then
		# the podman scans need the image in the daemon, whichever case asked
		if ! dpodman load -i "$archive" >"$DAEMON_DIR/load-$name.log" 2>&1; then
			fail "daemon/load-$name" "podman load -i $archive failed: $(tail -2 "$DAEMON_DIR/load-$name.log" | tr '\n' ' ' | head -c 300)"
			return
		fi
		ok "daemon/load-$name"
	fi
	daemon_scan "daemon/$name-archive" "docker-archive:$archive"
	want=$DREP arss=$CS_RSS_KB asecs=$CS_SECS
	if [ -z "$want" ]; then
		verdict "daemon/$name"
		return
	fi
	E2E_WHY=() # the archive scan's own complaints are the other groups' business
	if want "daemon/$name"; then
		DOCKER_HOST=unix://$DAEMON_SOCK daemon_scan "daemon/$name" "docker-daemon:$ref"
		[ -n "$DREP" ] && daemon_same "$name" "$want" "$DREP"
		echo "# daemon/$name: docker-daemon: $((CS_RSS_KB / 1024)) MiB peak RSS, ${CS_SECS} s; the archive: $((arss / 1024)) MiB, ${asecs} s"
		verdict "daemon/$name"
	fi
	if want "daemon/podman-$name"; then
		CONTAINER_HOST=unix://$DAEMON_SOCK daemon_scan "daemon/podman-$name" "podman:$ref"
		[ -n "$DREP" ] && daemon_same "podman-$name" "$want" "$DREP"
		verdict "daemon/podman-$name"
	fi
	if want "daemon/pipe-$name"; then
		fifo=$DAEMON_DIR/$name.fifo
		rm -f "$fifo"
		mkfifo "$fifo"
		# the writer: its own process, killed by PID if the scan did not read it all
		cat "$archive" >"$fifo" 2>/dev/null </dev/null &
		wpid=$!
		daemon_scan "daemon/pipe-$name" "docker-archive:$fifo"
		kill "$wpid" 2>/dev/null
		wait "$wpid" 2>/dev/null
		[ -n "$DREP" ] && daemon_same "pipe-$name" "$want" "$DREP"
		echo "# daemon/pipe-$name: $((CS_RSS_KB / 1024)) MiB peak RSS, ${CS_SECS} s"
		verdict "daemon/pipe-$name"
	fi
}

daemon_cases() {
	local sx ad=$SHARED/test-data/images/trivy-fanal v dir stale
	if ! daemon_start; then
		verdict daemon/start
		return
	fi
	ok daemon/start

	# the errors first: they need no image
	if want daemon/no-daemon; then
		DOCKER_HOST=unix://$DAEMON_DIR/nothing.sock daemon_fail daemon/no-daemon 3 \
			"[\"docker-daemon:alpine\"]" "no daemon at $DAEMON_DIR/nothing.sock" docker-daemon:alpine
		# a socket file nobody listens on: connection refused
		stale=$DAEMON_DIR/stale.sock
		"$PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$stale"
		DOCKER_HOST=unix://$stale daemon_fail daemon/no-daemon-refused 3 \
			"[\"docker-daemon:alpine\"]" "no daemon at .*stale.sock \\(connection refused\\); is docker or podman running" \
			docker-daemon:alpine
	fi
	want daemon/missing-image &&
		DOCKER_HOST=unix://$DAEMON_SOCK daemon_fail daemon/missing-image 3 \
			'["customs-e2e/nope:1"]' "no such image" docker-daemon:customs-e2e/nope:1
	want daemon/tcp-host &&
		DOCKER_HOST=tcp://127.0.0.1:2375 daemon_fail daemon/tcp-host 2 '["docker-daemon:alpine"]' \
			"not supported" docker-daemon:alpine
	want daemon/bad-name &&
		DOCKER_HOST=unix://$DAEMON_SOCK daemon_fail daemon/bad-name 2 '["../../containers/json"]' \
			"not an image name" docker-daemon:../../containers/json

	# the secrets image: gzip, zstd and plain layers, secrets in deleted files
	sx=$DAEMON_DIR/secrets
	if "$PY" "$root/scripts/build-secrets.py" "$sx" >"$DAEMON_DIR/build-secrets.log" 2>&1; then
		daemon_image secrets "$sx/secrets.docker.tar" customs/secrets:1
	else
		fail daemon/secrets "scripts/build-secrets.py failed: $(tail -2 "$DAEMON_DIR/build-secrets.log" | tr '\n' ' ')"
	fi
	# the real Alpine archives (podman loads no gzipped archive: gunzipped first)
	for v in 310 311; do
		if [ -f "$ad/alpine-$v.tar.gz" ]; then
			gzip -dc "$ad/alpine-$v.tar.gz" >"$DAEMON_DIR/alpine-$v.tar"
			daemon_image "alpine-$v" "$DAEMON_DIR/alpine-$v.tar" \
				"$(tar -xOf "$DAEMON_DIR/alpine-$v.tar" manifest.json | jq -r '.[0].RepoTags[0]')"
		else
			skip "daemon/alpine-$v" "$ad/alpine-$v.tar.gz missing"
		fi
	done
	# the sample image (175 MB, five layers) when scripts/build-images.sh has built it
	if want daemon/sample || want daemon/podman-sample || want daemon/pipe-sample || want daemon/load-sample; then
		dir=$("$root/scripts/build-images.sh" 2>"$DAEMON_DIR/build-images.log" | tail -1) || true
		if [ -n "$dir" ] && [ -f "$dir/complete" ] && [ -f "$dir/sample.docker.tar" ]; then
			daemon_image sample "$dir/sample.docker.tar" customs/sample:1
		else
			skip "daemon/*sample" "no sample image (sudo scripts/build-images.sh): NOT CHECKED"
		fi
	fi
}

daemon_group() {
	local old_docker=${DOCKER_HOST-} old_container=${CONTAINER_HOST-}
	local had_docker=${DOCKER_HOST+1} had_container=${CONTAINER_HOST+1} c n any=0
	for c in start no-daemon no-daemon-refused missing-image tcp-host bad-name; do
		want "daemon/$c" && any=1
	done
	for n in secrets alpine-310 alpine-311 sample; do
		for c in "" load- podman- pipe-; do want "daemon/$c$n" && any=1; done
	done
	[ $any = 1 ] || return 0
	if ! command -v podman >/dev/null 2>&1; then
		skip "daemon/*" "podman not installed (scripts/deps.sh test): THE DAEMON CASES DID NOT RUN"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		skip "daemon/*" "the podman service runs rootful with its own storage: needs root; THE DAEMON CASES DID NOT RUN"
		return 0
	fi
	DAEMON_DIR=$E2E_TMP/daemon
	DAEMON_SOCK=$DAEMON_DIR/podman.sock
	mkdir -p "$DAEMON_DIR"
	# the runner's own daemon settings must not leak into the cases
	unset DOCKER_HOST CONTAINER_HOST
	trap 'daemon_stop; cleanup' EXIT
	daemon_cases
	daemon_stop
	trap cleanup EXIT
	[ -n "$had_docker" ] && export DOCKER_HOST=$old_docker
	[ -n "$had_container" ] && export CONTAINER_HOST=$old_container
	return 0
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin daemon
	daemon_group
	group_end
fi
