# shellcheck shell=bash disable=SC2154 # run.sh's and report.sh's variables
# report_html.sh - the HTML report on the fixed images, opened in headless
# Chromium (tests/e2e/html_check.js, the DevTools protocol over a pipe, with
# every host name resolving to nothing) and judged by tests/e2e/html_verify.py
# against customs' JSON report of the same run: it renders (the table and its
# controls are there and work), no console error or exception, no request but
# the file itself, nothing in the HTML that loads from elsewhere, the numbers
# shown equal the JSON's. The page's embedded data block is compared with a
# golden file. Broken copies of a page (a remote load, an injected script, a
# wrong number, a data block that closes its element, no policy and a remote
# image) must each be caught, so the check can fail.

# html_judge NAME DIR: html_check + html_verify on DIR/r.html and DIR/r.json;
# complaints become whys; DIR/r.data.json gets the data block.
html_judge() {
	local dir=$2 out rc
	out=$(node "$here/html_check.js" "$HTML_CHROME" "$dir/r.html" "$dir/r.png" 2>"$dir/check.err" >"$dir/check.json")
	rc=$?
	if [ "$rc" != 0 ]; then
		why "html_check.js failed ($rc): $(tail -3 "$dir/check.err" | tr '\n' ' ' | head -c 300)"
		return 1
	fi
	out=$("$PY" "$here/html_verify.py" "$dir/r.html" "$dir/r.json" "$dir/check.json" --data "$dir/r.data.json")
	rc=$?
	[ "$rc" = 0 ] || why "html_verify.py failed ($rc): $out"
	while IFS= read -r line; do
		[ -n "$line" ] && why "$line"
	done <<<"$out"
	return 0
}

# html_case NAME GOLDEN ARGS...: one image, both formats from one run.
html_case() {
	local name=$1 golden=$2
	shift 2
	rep_run "$name" image --format json=r.json --format html=r.html "$@"
	[ "$CS_RC" = 0 ] || why "exit $CS_RC"
	if [ -f "$CWD/r.html" ] && [ -f "$CWD/r.json" ]; then
		html_judge "$name" "$CWD" && [ -f "$CWD/r.data.json" ] && rep_golden "$CWD/r.data.json" "$golden"
	else
		why "no r.html or r.json written"
	fi
	verdict "$name"
}

# html_broken NAME SRC_DIR REGEX PYTHON: a copy of SRC_DIR's page edited by
# PYTHON (t is the page's text) must draw a complaint matching REGEX.
html_broken() {
	local name=$1 src=$2 regex=$3 edit=$4 dir out
	dir=$(fresh_cwd "$name")
	cp "$src/r.json" "$dir/r.json"
	"$PY" -c "import sys; t = open(sys.argv[1], encoding='utf-8').read(); $edit; open(sys.argv[2], 'w', encoding='utf-8').write(t)" \
		"$src/r.html" "$dir/r.html" || { why "cannot edit the page"; verdict "$name"; return; }
	out=$(html_judge "$name" "$dir"; printf '%s\n' "${E2E_WHY[@]}")
	E2E_WHY=()
	if ! grep -Eq -- "$regex" <<<"$out"; then
		why "the broken page was not caught (want /$regex/): $(printf '%s' "$out" | tr '\n' ';' | head -c 300)"
	fi
	verdict "$name"
}

report_html() {
	local vdir=""
	HTML_CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
	if [ -z "$HTML_CHROME" ] || ! command -v node >/dev/null; then
		want report/html && skip report/html "no chromium or node (scripts/deps.sh installs them)"
		return
	fi
	if [ -n "$REPORT_DB" ] && want report/html-vuln; then
		html_case report/html-vuln html-vuln.data.json --db "$REPORT_DB" "$REPORT_VULN_IMG"
		vdir=$CWD
	fi
	if [ -n "$REPORT_SECRET_IMG" ] && want report/html-secret; then
		html_case report/html-secret html-secret.data.json --scanners secret "$REPORT_SECRET_IMG"
		[ -n "$vdir" ] || vdir=$CWD
	fi
	[ -n "$vdir" ] && [ -f "$vdir/r.html" ] || return
	if want report/html-broken-remote; then
		html_broken report/html-broken-remote "$vdir" 'loads from elsewhere' \
			"t = t.replace('<body>', '<body><link rel=\"stylesheet\" href=\"https://fonts.example.invalid/f.css\"><img src=\"http://example.invalid/x.png\">', 1)"
	fi
	if want report/html-broken-script; then
		html_broken report/html-broken-script "$vdir" 'console error|3 script elements' \
			"t = t.replace('</main>', '</main><script>document.title = 1</script>', 1)"
	fi
	if want report/html-broken-number; then
		html_broken report/html-broken-number "$vdir" 'the page shows findings = ' \
			"import re; t = re.sub(r'data-stat=\"findings\">(\d+)<', lambda m: 'data-stat=\"findings\">%d<' % (int(m.group(1)) + 1), t)"
	fi
	if want report/html-broken-data; then
		html_broken report/html-broken-data "$vdir" "raw '<'|not JSON|script elements" \
			"t = t.replace('\"format\":', '\"x\":\"</script><script>document.title=1</script><!--\",\"format\":', 1)"
	fi
	if want report/html-broken-nocsp; then
		html_broken report/html-broken-nocsp "$vdir" 'network request to http://example.invalid' \
			"import re; t = re.sub(r'<meta http-equiv=\"Content-Security-Policy\"[^>]*>', '', t); t = t.replace('</main>', '<img alt=\"\" src=\"http://example.invalid/x.png\"></main>', 1)"
	fi
}
