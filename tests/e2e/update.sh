# shellcheck shell=bash disable=SC2154 # here, root, SHARED, ... are run.sh's
# update.sh - the `customs db update` group of tests/e2e/run.sh (sourced by
# it). The command line around the updater: options and exit codes, the
# lines it prints, --quiet, $CUSTOMS_MIRROR, a directory and a URL mirror
# (tests/e2e/feedserver.py on 127.0.0.1), 304s on a second run, a failing
# source leaving the database byte for byte, an unusable one, Ctrl-C. The
# updater itself is tested in depth by tests/unit/test_update.c.
#
#   update/list        --list: every feed with its mirror path and URL
#   update/usage       unknown option, argument or source: exit 2, one line
#   update/dir-mirror  a directory mirror into a new database: exit 0, the
#                      summary and one "not found" warning, sources and their
#                      validators in the file; --quiet says nothing
#   update/url-mirror  the same over HTTP via $CUSTOMS_MIRROR, then again:
#                      every file answered 304, nothing downloaded twice
#   update/failure     a truncated download: exit 3, one error line, the
#                      database untouched, no temporary directory left
#   update/unusable    a file that is noise: exit 3, a warning, the rest updated
#   update/sigint      SIGINT during a stalled download: the process dies of
#                      it, the database untouched, no temporary directory left
#   update/tty         on a terminal: one progress line per source
# Uses from run.sh: cs, check_crash, error_lines, first_error, why, verdict,
# ok, skip, fail, want, PY, SHARED, E2E_TMP, TIMEOUT, CUSTOMS.

UD=$E2E_TMP/update

# upd_mirror DIR: a small mirror of real feed data (as laid out in docs/vulndb.md).
upd_mirror() {
	local m=$1
	mkdir -p "$m/osv/Go" "$m/alpine-secdb/v3.20" "$m/debian/DSA" "$m/epss"
	"$PY" - "$SHARED/test-data/vulndb" "$m" <<'EOF' || return 1
import gzip, json, os, sys, zipfile
import yaml
src, m = sys.argv[1:3]
go = sorted(os.listdir(os.path.join(src, "osv-go")))[:50]
with zipfile.ZipFile(os.path.join(m, "osv/Go/all.zip"), "w") as z:
    for n in go:
        z.write(os.path.join(src, "osv-go", n), n)
for repo in ("main", "community"):
    with open(os.path.join(src, "alpine-secdb/v3.11/%s.yaml" % repo)) as f:
        doc = yaml.load(f, Loader=yaml.BaseLoader)
    with open(os.path.join(m, "alpine-secdb/v3.20/%s.json" % repo), "w") as f:
        json.dump(doc, f)
with open(os.path.join(src, "debian-security-tracker/DSA/list"), "rb") as f, \
        open(os.path.join(m, "debian/DSA/list"), "wb") as g:
    g.write(f.read())
with open(os.path.join(m, "kev.json"), "w") as f:
    json.dump({"catalogVersion": "2024.06.01", "count": 1, "vulnerabilities": [
        {"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10", "dueDate": "2021-12-24",
         "knownRansomwareCampaignUse": "Known"}]}, f)
with gzip.open(os.path.join(m, "epss/epss_scores-current.csv.gz"), "wt") as f:
    f.write("#model_version:v2023.03.01,score_date:2024-06-01T00:00:00+0000\n"
            "cve,epss,percentile\nCVE-2021-44228,0.97565,0.99998\n")
EOF
}

UPD_PRESENT="osv-go alpine-secdb-v3.20-main alpine-secdb-v3.20-community debian-list-dsa kev epss"

# upd_sources DB: "name|url-set|etag-or-lm-set|advisories" per source, sorted.
upd_sources() {
	"$PY" - "$1" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for name, url, etag, lm, n in c.execute(
        "SELECT s.name, s.url, s.etag, s.last_modified, count(a.id) FROM source s "
        "LEFT JOIN advisory a ON a.source = s.id GROUP BY s.id ORDER BY s.name"):
    print("%s|%d|%d|%d" % (name, url is not None, etag is not None or lm is not None, n))
EOF
}

# upd_server ROOT [RULE...]: starts feedserver.py; sets UPD_PID, UPD_URL, UPD_LOG.
upd_server() {
	local root=$1 args=() r
	shift
	for r in "$@"; do args+=(--rule "$r"); done
	UPD_LOG=$UD/server-$RANDOM.log
	: >"$UD/port"
	"$PY" "$here/feedserver.py" "$root" --log "$UPD_LOG" "${args[@]}" >"$UD/port" &
	UPD_PID=$!
	local tries=50
	while [ ! -s "$UD/port" ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	UPD_URL=http://127.0.0.1:$(cat "$UD/port")
	[ -s "$UD/port" ]
}

upd_server_stop() {
	[ -n "${UPD_PID:-}" ] && kill "$UPD_PID" 2>/dev/null && wait "$UPD_PID" 2>/dev/null
	UPD_PID=""
}

# upd_stderr: every line is an error, a warning or the closing summary.
upd_stderr() {
	local other
	check_crash
	other=$(grep -v -E "^customs: (error|warning): |^customs: (updated|nothing new for) '" "$CS_ERR" | grep -v '^$' | head -1)
	[ -z "$other" ] || why "unexpected stderr line: $(printf '%s' "$other" | head -c 160)"
}

upd_leftovers() { find "$1" -maxdepth 1 -name '.customs-update-*' | wc -l; }

# upd_base DB MIRROR: DB made from the mirror unless an earlier case made it (cases run alone too).
upd_base() {
	[ -s "$1" ] || "$CUSTOMS" db update --quiet --db "$1" --mirror "$2" 2>>"$UD/base.log"
	[ -s "$1" ]
}

update_group() {
	local name m db before after cwd n pid rc
	rm -rf "$UD"
	mkdir -p "$UD"
	m=$UD/mirror
	if ! "$PY" -c 'import yaml' 2>/dev/null; then
		skip "update/*" "python3-yaml missing: THE UPDATE TESTS DID NOT RUN"
		return 0
	fi
	if ! upd_mirror "$m" 2>"$UD/mirror.log"; then
		fail update/mirror "cannot build the mirror: $(tail -1 "$UD/mirror.log")"
		return 0
	fi
	cwd=$UD/cwd
	mkdir -p "$cwd"

	name=update/list
	if want "$name"; then
		cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --list
		check_crash
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		n=$(grep -c ' https://' "$CS_OUT")
		[ "$n" -ge 50 ] || why "$n feeds listed"
		grep -q '^osv-go  *osv/Go/all.zip  *https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip$' "$CS_OUT" ||
			why "no osv-go line: $(grep osv-go "$CS_OUT" | head -c 200)"
		grep -q '^kev  *kev.json  *https://www.cisa.gov/' "$CS_OUT" || why "no kev line"
		verdict "$name"
	fi

	name=update/usage
	if want "$name"; then
		for args in "--bogus" "--mirror $m extra" "--mirror $m --source osv-gopher"; do
			# shellcheck disable=SC2086 # word splitting wanted
			cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$UD/usage.sqlite" $args
			check_crash
			[ "$CS_RC" = 2 ] || why "'$args': exit $CS_RC, want 2"
			[ "$(error_lines)" = 1 ] || why "'$args': $(error_lines) error lines"
		done
		grep -q "unknown source 'osv-gopher'" "$CS_ERR" || why "no 'unknown source' message: $(first_error)"
		[ ! -e "$UD/usage.sqlite" ] || why "a database was created"
		verdict "$name"
	fi

	db=$UD/dir/db.sqlite
	name=update/dir-mirror
	if want "$name"; then
		cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$db" --mirror "$m"
		upd_stderr
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error)"
		grep -q "^customs: updated '$db' in .*: 6 sources imported" "$CS_ERR" ||
			why "no summary: $(tail -1 "$CS_ERR" | head -c 200)"
		[ "$(grep -c '^customs: warning: .* sources not found, previous records kept: osv-debian' "$CS_ERR")" = 1 ] ||
			why "want one 'not found' warning: $(grep -c warning "$CS_ERR") warnings"
		local s got=""
		for s in $UPD_PRESENT; do got="$got $(upd_sources "$db" | grep -c "^$s|1|1|")"; done
		[ "$got" = " 1 1 1 1 1 1" ] || why "sources with url and validators: $(upd_sources "$db" | tr '\n' ' ')"
		upd_sources "$db" | grep -q '^osv-go|1|1|50$' || why "osv-go: $(upd_sources "$db" | grep osv-go)"
		cs "$name-info" "$cwd" "$TIMEOUT" "$CUSTOMS" db info --db "$db"
		[ "$CS_RC" = 0 ] || why "db info: exit $CS_RC"
		grep -q '^alpine-secdb-v3.20-main ' "$CS_OUT" || why "db info lacks alpine-secdb-v3.20-main"
		# --quiet: nothing at all; the second run finds everything unchanged
		cs "$name-quiet" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --quiet --db "$db" --mirror "$m"
		check_crash
		[ "$CS_RC" = 0 ] || why "--quiet: exit $CS_RC"
		[ ! -s "$CS_ERR" ] || why "--quiet printed: $(head -c 200 "$CS_ERR")"
		cs "$name-again" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$db" --mirror "$m" --source osv --source kev
		upd_stderr
		[ "$CS_RC" = 0 ] || why "--source: exit $CS_RC: $(first_error)"
		grep -q ": 0 sources imported .*, 2 unchanged, 18 not found" "$CS_ERR" || why "again: $(tail -1 "$CS_ERR")"
		[ "$(upd_leftovers "$UD/dir")" = 0 ] || why "temporary directory left"
		verdict "$name"
	fi

	name=update/url-mirror
	if want "$name"; then
		if ! upd_server "$m"; then
			fail "$name" "feedserver.py did not start"
		else
			db=$UD/url/db.sqlite
			CUSTOMS_MIRROR=$UPD_URL cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$db"
			upd_stderr
			[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error)"
			[ "$(grep -c ' 200 ' "$UPD_LOG")" = 6 ] || why "$(grep -c ' 200 ' "$UPD_LOG") downloads, want 6"
			CUSTOMS_MIRROR=$UPD_URL cs "$name-again" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$db"
			upd_stderr
			[ "$CS_RC" = 0 ] || why "again: exit $CS_RC: $(first_error)"
			[ "$(grep -c ' 200 ' "$UPD_LOG")" = 6 ] || why "downloaded again: $(grep ' 200 ' "$UPD_LOG" | tail -3 | tr '\n' ' ')"
			[ "$(grep -c ' 304 0 cond$' "$UPD_LOG")" = 6 ] || why "$(grep -c ' 304 ' "$UPD_LOG") answers 304, want 6"
			grep -q ": 0 sources imported .*, 6 unchanged" "$CS_ERR" || why "again: $(tail -1 "$CS_ERR")"
			upd_server_stop
		fi
		verdict "$name"
	fi

	name=update/failure
	if want "$name"; then
		db=$UD/dir/db.sqlite
		if ! upd_base "$db" "$m" || ! upd_server "$m" /kev.json=truncate; then
			fail "$name" "no database to start from, or feedserver.py did not start"
		else
			before=$(sha256sum <"$db")
			cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$db" --mirror "$UPD_URL"
			upd_stderr
			[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
			[ "$(error_lines)" = 1 ] || why "$(error_lines) error lines"
			first_error | grep -q "cannot download source 'kev' from '$UPD_URL/kev.json'.*(the database was left as it was)" ||
				why "error: $(first_error | head -c 240)"
			after=$(sha256sum <"$db")
			[ "$before" = "$after" ] || why "the database changed"
			[ "$(upd_leftovers "$UD/dir")" = 0 ] || why "temporary directory left"
			upd_server_stop
		fi
		verdict "$name"
	fi

	name=update/unusable
	if want "$name"; then
		db=$UD/url/db.sqlite
		if ! upd_base "$db" "$m" || ! upd_server "$m" /debian/DSA/list=garbage; then
			fail "$name" "no database to start from, or feedserver.py did not start"
		else
			cs "$name" "$cwd" "$TIMEOUT" "$CUSTOMS" db update --db "$db" --mirror "$UPD_URL"
			upd_stderr
			[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
			grep -q "^customs: warning: source 'debian-list-dsa' from '$UPD_URL/debian/DSA/list' is unusable, previous records kept: no importer recognises it" "$CS_ERR" ||
				why "no unusable warning: $(grep warning "$CS_ERR" | head -c 240)"
			# another port is another URL: the stored validators do not apply, all is fetched again
			grep -q "^customs: updated '$db' .*: 5 sources imported .* 0 unchanged, .* 1 unusable" "$CS_ERR" ||
				why "summary: $(tail -1 "$CS_ERR")"
			upd_sources "$db" | grep -q '^debian-list-dsa|1|1|5406$' || why "DSA records lost"
			upd_server_stop
		fi
		verdict "$name"
	fi

	name=update/sigint
	if want "$name"; then
		db=$UD/dir/db.sqlite
		if ! upd_base "$db" "$m" || ! upd_server "$m" /osv/Go/all.zip=stall; then
			fail "$name" "no database to start from, or feedserver.py did not start"
		else
			before=$(sha256sum <"$db")
			"$CUSTOMS" db update --db "$db" --mirror "$UPD_URL" --force 2>"$UD/sigint.err" &
			pid=$!
			for n in $(seq 100); do
				grep -q '^GET /osv/Go/all.zip 200' "$UPD_LOG" && break
				sleep 0.1
			done
			kill -INT "$pid"
			wait "$pid"
			rc=$?
			[ "$rc" = 130 ] || why "exit $rc, want 130 (died of SIGINT)"
			grep -q '^customs: error: interrupted: the database was left as it was$' "$UD/sigint.err" ||
				why "stderr: $(head -c 200 "$UD/sigint.err")"
			after=$(sha256sum <"$db")
			[ "$before" = "$after" ] || why "the database changed"
			[ "$(upd_leftovers "$UD/dir")" = 0 ] || why "temporary directory left"
			upd_server_stop
		fi
		verdict "$name"
	fi

	name=update/tty
	if want "$name"; then
		if ! command -v script >/dev/null; then
			skip "$name" "script(1) missing"
		else
			script -qec "$CUSTOMS db update --db $UD/tty/db.sqlite --mirror $m --source osv-go --source kev" "$UD/tty.log" >/dev/null 2>&1
			rc=$?
			[ "$rc" = 0 ] || why "exit $rc"
			grep -aq 'osv-go .* downloaded' "$UD/tty.log" || why "no progress line for osv-go: $(tr -d '\r' <"$UD/tty.log" | head -c 200)"
			grep -aq 'kev .* downloaded' "$UD/tty.log" || why "no progress line for kev"
			verdict "$name"
		fi
	fi
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin update
	update_group
	upd_server_stop
	group_end
fi
