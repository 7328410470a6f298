# shellcheck shell=bash disable=SC2034 # CS_* are read by run.sh
# lib.sh - helpers for tests/e2e/run.sh (sourced, bash).
#
# Results: every case ends in exactly one of ok / fail / skip, printed as
# `ok NAME`, `FAIL NAME: why` or `SKIP NAME: why`; `e2e_summary` prints the
# closing `e2e: N passed, N failed` line. A case collects its complaints with
# `why "..."` and settles with `verdict NAME`, so one run reports all of them.
#
# Running the scanner: `cs NAME CWD TIMEOUT ARGS...` runs ARGS in CWD with
# stdin from /dev/null (or from the file $CS_STDIN names), stdout and stderr
# to files, a wall-clock limit and the peak resident memory measured
# (python's wait4: bash has no way to get it).
# Afterwards: CS_RC (exit status; 128+N for signal N, 124 for a time-out),
# CS_OUT / CS_ERR (the files), CS_RSS_KB, CS_SECS.

E2E_PASSED=0
E2E_FAILED=0
E2E_SKIPPED=0
E2E_WHY=()

ok() {
	E2E_PASSED=$((E2E_PASSED + 1))
	printf 'ok %s\n' "$1"
}

fail() {
	E2E_FAILED=$((E2E_FAILED + 1))
	printf 'FAIL %s: %s\n' "$1" "$2"
}

# A skip is loud on purpose: a green run must not hide what it did not test.
skip() {
	E2E_SKIPPED=$((E2E_SKIPPED + 1))
	printf 'SKIP %s: %s\n' "$1" "$2"
}

why() { E2E_WHY+=("$*"); }

# verdict NAME: ok if no `why` since the last verdict, else FAIL with all of
# them joined; resets the list.
verdict() {
	if [ ${#E2E_WHY[@]} -eq 0 ]; then
		ok "$1"
	else
		local msg="" w
		for w in "${E2E_WHY[@]}"; do msg="${msg:+$msg; }$w"; done
		fail "$1" "$msg"
	fi
	E2E_WHY=()
}

# want NAME: true when E2E_ONLY is unset or NAME matches it (grep -E).
want() {
	[ -z "${E2E_ONLY:-}" ] && return 0
	printf '%s\n' "$1" | grep -Eq -- "$E2E_ONLY"
}

E2E_GROUP=""
E2E_GROUP_T0=0
group_begin() {
	E2E_GROUP=$1
	E2E_GROUP_T0=$(date +%s.%N)
	printf '# group %s\n' "$1"
}
group_end() {
	local t1
	t1=$(date +%s.%N)
	awk -v g="$E2E_GROUP" -v a="$E2E_GROUP_T0" -v b="$t1" \
		'BEGIN { printf "# group %s: %.1f s\n", g, b - a }'
}

e2e_summary() {
	if [ "$E2E_SKIPPED" -gt 0 ]; then
		printf 'e2e: %d passed, %d failed, %d skipped\n' "$E2E_PASSED" "$E2E_FAILED" "$E2E_SKIPPED"
	else
		printf 'e2e: %d passed, %d failed\n' "$E2E_PASSED" "$E2E_FAILED"
	fi
}

# The runner of one command: fork, setsid, redirect, exec; an interval timer
# kills the whole process group at the deadline; wait4 gives the exit status
# and the child's own peak RSS.
CS_RUN_PY='
import os, signal, sys, time
cwd, out, err, meta, limit = sys.argv[1:6]
argv = sys.argv[6:]
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.setsid()
        os.chdir(cwd)
        for fd, path, flags in ((0, os.environ.get("CS_STDIN") or "/dev/null", os.O_RDONLY),
                                (1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                                (2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
            f = os.open(path, flags, 0o644)
            os.dup2(f, fd)
            if f != fd:
                os.close(f)
        os.execvp(argv[0], argv)
    except BaseException as e:
        os.write(2, ("e2e: cannot run %s: %s\n" % (argv[0], e)).encode())
    os._exit(127)
timed_out = False
def on_alarm(signum, frame):
    global timed_out
    timed_out = True
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
signal.signal(signal.SIGALRM, on_alarm)
signal.setitimer(signal.ITIMER_REAL, float(limit))
while True:
    try:
        _, status, ru = os.wait4(pid, 0)
        break
    except InterruptedError:
        pass
signal.setitimer(signal.ITIMER_REAL, 0)
try:
    os.killpg(pid, signal.SIGKILL)  # anything the scanner left behind
except (ProcessLookupError, PermissionError):
    pass
rc = os.waitstatus_to_exitcode(status)
if rc < 0:
    rc = 128 - rc
if timed_out:
    rc = 124
with open(meta, "w") as f:
    f.write("%d %d %.2f\n" % (rc, ru.ru_maxrss, time.monotonic() - t0))
'

CS_RC=0 CS_RSS_KB=0 CS_SECS=0 CS_OUT="" CS_ERR=""
E2E_RUN_SEQ=0

# cs NAME CWD TIMEOUT ARGS... (see the top of this file)
cs() {
	local name=$1 cwd=$2 limit=$3 dir
	shift 3
	E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
	dir="$E2E_TMP/runs/$E2E_RUN_SEQ-$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')"
	mkdir -p "$dir"
	CS_OUT=$dir/stdout CS_ERR=$dir/stderr
	printf '%s\n' "$*" >"$dir/cmd"
	"$PY" -c "$CS_RUN_PY" "$cwd" "$CS_OUT" "$CS_ERR" "$dir/meta" "$limit" "$@"
	read -r CS_RC CS_RSS_KB CS_SECS <"$dir/meta" || { CS_RC=125 CS_RSS_KB=0 CS_SECS=0; }
}

# Anything a sanitizer, glibc or the kernel says when memory goes wrong.
SAN_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|ThreadSanitizer|MemorySanitizer|runtime error:|SUMMARY: [A-Za-z]+Sanitizer|Segmentation fault|stack smashing|double free|free\(\): invalid|malloc\(\): |corrupted size|munmap_chunk|Assertion .* failed'

# check_crash FILE: complains (why) about signals, time-outs and sanitizer
# output of the last cs run.
check_crash() {
	if [ "$CS_RC" = 124 ]; then
		why "timed out after ${CS_SECS}s"
	elif [ "$CS_RC" -ge 128 ]; then
		why "killed by signal $((CS_RC - 128))"
	elif [ "$CS_RC" = 125 ] || [ "$CS_RC" = 127 ]; then
		why "could not run: $(head -c 200 "$CS_ERR")"
	fi
	if [ "$CS_RC" = "${E2E_SAN_EXIT:-86}" ]; then
		why "sanitizer exit code $CS_RC"
	fi
	if grep -Eq -- "$SAN_RE" "$CS_ERR"; then
		why "sanitizer/crash report: $(grep -Em1 -- "$SAN_RE" "$CS_ERR" | head -c 200)"
	fi
}

# error_lines: how many `customs: error:` lines the last run printed.
error_lines() { grep -c '^customs: error: ' "$CS_ERR"; }
first_error() { grep -m1 '^customs: error: ' "$CS_ERR"; }

# json_strict FILE: valid JSON, valid UTF-8, no NaN/Infinity (jq is lenient
# about all three).
json_strict() {
	"$PY" -c '
import json, sys
def bad(c):
    raise ValueError("non-standard constant " + c)
json.loads(open(sys.argv[1], "rb").read().decode("utf-8"), parse_constant=bad)
' "$1" 2>&1 | tail -1
	return "${PIPESTATUS[0]}"
}

# keep_report NAME FILE: remember a report for the schema pass at the end.
keep_report() {
	local dst
	dst="$E2E_TMP/reports/$(printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_').json"
	cp "$2" "$dst"
}

# listing DIR: what is there, for before/after comparisons (names, types,
# sizes; not times, which reading may change).
listing() {
	find "$1" -printf '%P %y %s\n' 2>/dev/null | LC_ALL=C sort
}

# validators_setup: prints NODE_PATH for validate.js, installing its four
# packages once (quietly, idempotently) under the customs cache.
validators_setup() {
	local dir stamp want_pkgs
	dir="${CUSTOMS_CACHE:-$HOME/.cache/customs}/validators"
	stamp="$dir/.installed"
	want_pkgs="ajv@8.20.0 ajv-draft-04@1.0.0 ajv-formats@3.0.1 js-yaml@4.3.2"
	if [ "$(cat "$stamp" 2>/dev/null)" != "$want_pkgs" ]; then
		mkdir -p "$dir" || return 1
		# shellcheck disable=SC2086
		npm install --prefix "$dir" --no-audit --no-fund --silent $want_pkgs \
			>"$E2E_TMP/npm.log" 2>&1 || return 1
		printf '%s\n' "$want_pkgs" >"$stamp"
	fi
	printf '%s\n' "$dir/node_modules"
}
