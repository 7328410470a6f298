# shellcheck shell=bash disable=SC2154,SC2034 # here, root, SHARED, ... are run.sh's
# dockerfile.sh - the Dockerfile lint group of tests/e2e/run.sh (sourced by
# it, before the schema group, so that its reports are validated too). See
# docs/config-audit.md ("Dockerfile checks").
#
#   dockerfile/config-dir      customs config on a directory of Dockerfiles
#                              (bad, good, nested, in .git, a link leaving the
#                              directory): exactly the expected findings as
#                              (id, file, line), artifact.type "config"
#   dockerfile/config-good     a clean Dockerfile: no finding at all
#   dockerfile/config-file     one FILE, whatever its name; table format too
#   dockerfile/missing         a missing FILE: exit 3, one error line naming it,
#                              no report written
#   dockerfile/binary-in-dir   a binary "Dockerfile" beside a real one: exit 3,
#                              one error line, the report still written with
#                              the other file's findings and an error diagnostic
#   dockerfile/usage           no operand, image-only options: exit 2
#   dockerfile/image           customs image --dockerfile F --scanners config on
#                              the real alpine:3.10 archive: the Dockerfile's
#                              findings with path and line, no layer
#   dockerfile/image-missing   --dockerfile naming no file: exit 3, one error
# Uses from run.sh: cs, run_scanner, fresh_cwd, stderr_shape, report_ok, why,
# verdict, ok, skip, fail, want, one_error, PY, SHARED, E2E_TMP, TIMEOUT.

DF_BAD='# a Dockerfile with one finding of each kind on known lines
FROM debian:latest AS build
RUN apt-get update
RUN apt-get install curl && curl -fsSL https://get.example.com | sh
COPY --from=biuld /x /x
ADD app.jar /app/
ENV DB_PASSWORD=hunter2
EXPOSE 22
WORKDIR app
CMD python app.py
USER root
'
# (id, line) the bad file must give, and nothing else
DF_BAD_WANT='CS-DF-001 2
CS-DF-003 11
CS-DF-004 9
CS-DF-008 4
CS-DF-009 4
CS-DF-010 3
CS-DF-011 3
CS-DF-019 6
CS-DF-021 5
CS-DF-027 10
CS-DF-030 8
CS-DF-031 2
CS-DF-032 4
CS-DF-033 4
CS-DF-035 7'

DF_GOOD='# syntax=docker/dockerfile:1
FROM debian:12.5 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --chown=10001:10001 app/ /app/
USER 10001
HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost:8080/health"]
EXPOSE 8080/tcp
ENTRYPOINT ["/app/run"]
'

# df_findings REPORT: "id file line" per finding, sorted.
df_findings() {
	jq -r '.misconfigurations[] | "\(.id) \(.dockerfile.path) \(.dockerfile.line)"' "$1" | LC_ALL=C sort
}

# df_shape REPORT: every finding is a Dockerfile one: no layer, a message that
# names its line, a description with the equivalents' sentence or none.
df_shape() {
	local bad
	if ! bad=$(jq -r '.misconfigurations[] | . as $m
		| select($m.layer != null or $m.dockerfile == null or $m.created_by != null
			 or ($m.message | startswith("line \($m.dockerfile.line): ") | not)
			 or ($m.id | test("^CS-DF-[0-9]{3}$") | not))
		| $m.id' "$1" 2>&1); then
		why "shape check failed: $(printf '%s' "$bad" | head -c 200)"
		return
	fi
	bad=$(printf '%s' "$bad" | head -3 | tr '\n' ' ')
	[ -z "$bad" ] || why "malformed Dockerfile findings: $bad"
}

df_config_cases() {
	local d cwd want got rep
	d=$E2E_TMP/dockerfiles
	rm -rf "$d"
	mkdir -p "$d/tree/svc/api" "$d/tree/.git" "$d/good" "$d/outside" "$d/mixed"
	printf '%s' "$DF_BAD" >"$d/tree/Dockerfile"
	printf '%s' "$DF_GOOD" >"$d/tree/svc/api/api.Dockerfile"
	printf '%s' "$DF_BAD" >"$d/tree/.git/Dockerfile"        # skipped
	printf '%s' "$DF_BAD" >"$d/tree/README.md"              # not a Dockerfile name
	printf '%s' "$DF_BAD" >"$d/outside/Dockerfile"
	ln -s ../outside/Dockerfile "$d/tree/linked.Dockerfile" # leaves DIR: not linted
	printf '%s' "$DF_GOOD" >"$d/good/Dockerfile"
	printf '%s' "$DF_BAD" >"$d/mixed/Dockerfile"
	printf 'FROM x\n\000\n' >"$d/mixed/Dockerfile.bin"

	if want dockerfile/config-dir; then
		cwd=$(fresh_cwd dockerfile/config-dir)
		run_scanner dockerfile/config-dir "$cwd" "$TIMEOUT" config -f json -o out.json "$d/tree"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
		grep -q "linked.Dockerfile' links out of" "$CS_ERR" || why "no warning about the link leaving the directory"
		if [ -f "$cwd/out.json" ] && report_ok dockerfile/config-dir "$cwd/out.json"; then
			rep=$cwd/out.json
			want=$(printf '%s\n' "$DF_BAD_WANT" | awk -v f="$d/tree/Dockerfile" '{print $1, f, $2}' | LC_ALL=C sort)
			got=$(df_findings "$rep")
			[ "$got" = "$want" ] || why "findings differ: missing [$(comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$got") | tr '\n' ',')] unexpected [$(comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$got") | tr '\n' ',')]"
			[ "$(jq -r .artifact.type "$rep")" = config ] || why "artifact.type is not config"
			[ "$(jq -r .artifact.name "$rep")" = "$d/tree" ] || why "artifact.name is not the directory"
			[ "$(jq '.artifact.layers | length' "$rep")" = 0 ] || why "a config report with layers"
			df_shape "$rep"
			grep -q hunter2 "$rep" && why "the secret's value is in the report"
		else
			why "no report"
		fi
		verdict dockerfile/config-dir
	fi

	if want dockerfile/config-good; then
		cwd=$(fresh_cwd dockerfile/config-good)
		run_scanner dockerfile/config-good "$cwd" "$TIMEOUT" config --format json --output out.json "$d/good"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC"
		if [ -f "$cwd/out.json" ] && report_ok dockerfile/config-good "$cwd/out.json"; then
			got=$(df_findings "$cwd/out.json")
			[ -z "$got" ] || why "findings on a clean Dockerfile: $(printf '%s' "$got" | tr '\n' ',' | head -c 300)"
		else
			why "no report"
		fi
		verdict dockerfile/config-good
	fi

	if want dockerfile/config-file; then
		cwd=$(fresh_cwd dockerfile/config-file)
		run_scanner dockerfile/config-file "$cwd" "$TIMEOUT" config -f json=out.json -f table=out.txt "$d/tree/README.md"
		stderr_shape
		[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
		[ -s "$cwd/out.txt" ] || why "no table report"
		if [ -f "$cwd/out.json" ] && report_ok dockerfile/config-file "$cwd/out.json"; then
			want=$(printf '%s\n' "$DF_BAD_WANT" | awk -v f="$d/tree/README.md" '{print $1, f, $2}' | LC_ALL=C sort)
			got=$(df_findings "$cwd/out.json")
			[ "$got" = "$want" ] || why "findings differ from the directory case's"
		else
			why "no report"
		fi
		verdict dockerfile/config-file
	fi

	if want dockerfile/missing; then
		cwd=$(fresh_cwd dockerfile/missing)
		run_scanner dockerfile/missing "$cwd" "$TIMEOUT" config -f json -o out.json "$d/nope/Dockerfile"
		stderr_shape
		[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
		one_error "[\"$d/nope/Dockerfile\"]" 'no such file'
		[ -e "$cwd/out.json" ] && why "a report was written"
		[ -z "$(ls -A "$cwd")" ] || why "files left in the working directory: $(ls -A "$cwd" | head -3 | tr '\n' ' ')"
		verdict dockerfile/missing
	fi

	if want dockerfile/binary-in-dir; then
		cwd=$(fresh_cwd dockerfile/binary-in-dir)
		run_scanner dockerfile/binary-in-dir "$cwd" "$TIMEOUT" config -f json -o out.json "$d/mixed"
		stderr_shape
		[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
		one_error "[\"$d/mixed/Dockerfile.bin\"]" 'line 2: binary content'
		if [ -f "$cwd/out.json" ] && report_ok dockerfile/binary-in-dir "$cwd/out.json"; then
			[ "$(jq '[.misconfigurations[] | select(.dockerfile.path | endswith("/mixed/Dockerfile"))] | length' "$cwd/out.json")" = 15 ] ||
				why "the readable Dockerfile's 15 findings are not all there"
			[ "$(jq '[.diagnostics[] | select(.level == "error")] | length' "$cwd/out.json")" = 1 ] ||
				why "no error diagnostic in the report"
		else
			why "no report"
		fi
		verdict dockerfile/binary-in-dir
	fi

	if want dockerfile/usage; then
		local args
		for args in "config" "config --scanners vuln $d/good" "config --platform linux/arm64 $d/good" \
			"config --db x.sqlite $d/good" "config --dockerfile x $d/good" "config $d/good $d/tree"; do
			cwd=$(fresh_cwd dockerfile/usage)
			# shellcheck disable=SC2086 # split on purpose
			run_scanner dockerfile/usage "$cwd" "$TIMEOUT" $args
			stderr_shape
			[ "$CS_RC" = 2 ] || why "'customs $args': exit $CS_RC, want 2"
			[ "$(error_lines)" = 1 ] || why "'customs $args': $(error_lines) error lines"
		done
		cwd=$(fresh_cwd dockerfile/usage-help)
		run_scanner dockerfile/usage "$cwd" "$TIMEOUT" config --help
		[ "$CS_RC" = 0 ] && grep -q 'usage: customs config' "$CS_OUT" || why "config --help: exit $CS_RC"
		run_scanner dockerfile/usage "$cwd" "$TIMEOUT" help config
		[ "$CS_RC" = 0 ] && grep -q 'usage: customs config' "$CS_OUT" || why "help config: exit $CS_RC"
		verdict dockerfile/usage
	fi
}

df_image_cases() {
	local img=$SHARED/test-data/images/trivy-fanal/alpine-310.tar.gz cwd df want got
	df=$E2E_TMP/dockerfiles/image.Dockerfile
	mkdir -p "$E2E_TMP/dockerfiles"
	printf 'FROM alpine:3.10\nRUN apk add curl\nUSER root\n' >"$df"
	if want dockerfile/image; then
		if [ ! -f "$img" ]; then
			skip dockerfile/image "$img missing"
		else
			cwd=$(fresh_cwd dockerfile/image)
			run_scanner dockerfile/image "$cwd" "$TIMEOUT" image --dockerfile "$df" --scanners config \
				-f json -o out.json "$img"
			stderr_shape
			[ "$CS_RC" = 0 ] || why "exit $CS_RC: $(first_error | head -c 200)"
			if [ -f "$cwd/out.json" ] && report_ok dockerfile/image "$cwd/out.json"; then
				want=$(printf '%s\n' "CS-DF-003 $df 3" "CS-DF-013 $df 2" "CS-DF-031 $df 1" | LC_ALL=C sort)
				got=$(jq -r '.misconfigurations[] | select(.id | startswith("CS-DF-")) | "\(.id) \(.dockerfile.path) \(.dockerfile.line)"' \
					"$cwd/out.json" | LC_ALL=C sort)
				[ "$got" = "$want" ] || why "Dockerfile findings: got [$(printf '%s' "$got" | tr '\n' ',')], want [$(printf '%s' "$want" | tr '\n' ',')]"
				[ "$(jq -r .artifact.type "$cwd/out.json")" = container_image ] || why "artifact.type is not container_image"
				jq -e '[.misconfigurations[] | select(.id | startswith("CS-DF-")) | select(.layer != null)] | length == 0' \
					"$cwd/out.json" >/dev/null || why "a Dockerfile finding with a layer"
			else
				why "no report"
			fi
			verdict dockerfile/image
		fi
	fi
	if want dockerfile/image-missing; then
		if [ ! -f "$img" ]; then
			skip dockerfile/image-missing "$img missing"
		else
			cwd=$(fresh_cwd dockerfile/image-missing)
			run_scanner dockerfile/image-missing "$cwd" "$TIMEOUT" image --dockerfile "$cwd/none" --scanners config \
				-f json -o out.json "$img"
			stderr_shape
			[ "$CS_RC" = 3 ] || why "exit $CS_RC, want 3"
			one_error "[\"$cwd/none\"]" 'cannot read Dockerfile'
			[ -e "$cwd/out.json" ] && why "a report was written"
			verdict dockerfile/image-missing
		fi
	fi
}

if [ "$HAVE_BIN" = 1 ]; then
	group_begin dockerfile
	df_config_cases
	df_image_cases
	group_end
fi
