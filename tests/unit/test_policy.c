/*
 * test_policy.c - the policy stage (src/policy/) on scans built in memory
 * (the packages, purls and vulnerabilities of the e2e's edited Alpine 3.11
 * image) and on a real root-filesystem scan with a planted secret:
 *
 *  - gates: --severity parsing (case, blanks, bad words), --fail-on,
 *    filtering by severity and fix, --fail-on per kind;
 *  - policy files: every trigger firing and not firing, filters, the
 *    verdict order (STOP > WARN > GO), strict validation (one-line errors
 *    naming the file and the rule), Anchore's params shape, the built-in
 *    default (and that README.md shows the same text);
 *  - ignore files: id, alias, package/source, purl and path globs, secrets
 *    and misconfigurations, expiry judged against the report time (an
 *    expired entry counts again and warns), strict errors;
 *  - VEX: OpenVEX purl matching (versions, qualifiers, case by type), the
 *    image as a product with subcomponents, aliases, statuses, time order
 *    of statements within and across documents, CycloneDX analysis states,
 *    bom-refs and BOM-Links, versions; the fixtures in tests/data/policy
 *    (validated against the official schemas by tests/e2e/policy.sh);
 *  - baselines made from our own JSON report: unchanged, new, fixed;
 *  - cs_policy_apply end to end: suppressed findings never count, are
 *    dropped unless --show-suppressed, and no verdict without a gate;
 *  - the table report's closing verdict block.
 */
#include "core/compat.h"

#include "core/log.h"
#include "policy/baseline.h"
#include "policy/gates.h"
#include "policy/ignore.h"
#include "policy/policy.h"
#include "policy/policyfile.h"
#include "policy/putil.h"
#include "policy/vex.h"
#include "report/report.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"

#define NOW 1700000000LL /* 2023-11-14T22:13:20Z */
#define DAY 86400LL

/* --- fixtures ---------------------------------------------------------------- */

static cs_package *add_pkg(cs_scan *s, const char *type, const char *name, const char *version, const char *source,
			   const char *purl, const char *found_in)
{
	cs_arena *a = cs_scan_arena(s);
	cs_package *p = cs_arena_calloc(a, 1, sizeof(*p));

	p->type = type;
	p->name = name;
	p->version = version;
	p->source_name = source ? source : name;
	p->source_version = version;
	p->purl = purl;
	p->found_in = found_in;
	p->layer = 0;
	CHECK_INT(cs_scan_add_package(s, p), 0);
	return p;
}

static cs_vuln *add_vuln(cs_scan *s, const cs_package *p, const char *id, const char *severity, const char *fixed)
{
	cs_vuln *v = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*v));

	v->id = id;
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = fixed;
	v->status = fixed ? "fixed" : "affected";
	v->severity = severity;
	v->kev = 0;
	v->epss_score = v->epss_percentile = -1;
	CHECK_INT(cs_scan_add_vuln(s, v), 0);
	return v;
}

static cs_misconfig *add_misconfig(cs_scan *s, const char *id, const char *severity, const char *path,
				   const char *dockerfile, uint64_t line)
{
	cs_misconfig *m = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*m));

	m->id = id;
	m->title = id;
	m->severity = severity;
	m->path = path;
	m->dockerfile = dockerfile;
	m->line = line;
	m->layer = -1;
	CHECK_INT(cs_scan_add_misconfig(s, m), 0);
	return m;
}

static const char *tags[] = {"customs/alpine-edited:3.11"};

/*
 * The edited Alpine image's inventory and findings (as the e2e sees them,
 * with NVD's severities), plus an npm package with a GHSA, KEV and EPSS
 * data, CVSS scores, fix dates and two misconfigurations.
 */
static cs_scan *image_scan(void)
{
	cs_scan_opts o;
	cs_scan *s = NULL;
	cs_artifact art;
	cs_package *musl, *ssl, *crypto, *busybox, *lodash;
	cs_vuln *v;
	cs_err err;
	static cs_cvss crit = {"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "nvd"};
	static cs_cvss high = {"3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4, "nvd"};
	static const char *ghsa_alias[] = {"CVE-2021-23337"};

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &o, &err), 0);
	if (!s)
		return NULL;
	memset(&art, 0, sizeof(art));
	art.name = "docker-archive:alpine-edited.tar";
	art.type = "container_image";
	art.image_id = "sha256:8788c5acf1fc92e42dc0b43c6a2bfdf04e8152058e69aadc5dbdbf3900abb60f";
	art.repo_tags = tags;
	art.nrepo_tags = 1;
	cs_scan_set_artifact(s, &art);
	musl = add_pkg(s, "apk", "musl", "1.1.23-r0", NULL, "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5",
		       "lib/apk/db/installed");
	ssl = add_pkg(s, "apk", "libssl1.1", "1.1.1a-r1", "openssl",
		      "pkg:apk/alpine/libssl1.1@1.1.1a-r1?arch=x86_64&distro=3.11.5", "lib/apk/db/installed");
	crypto = add_pkg(s, "apk", "libcrypto1.1", "1.1.1a-r1", "openssl",
			 "pkg:apk/alpine/libcrypto1.1@1.1.1a-r1?arch=x86_64&distro=3.11.5", "lib/apk/db/installed");
	busybox = add_pkg(s, "apk", "busybox", "1.29.3-r5", NULL,
			  "pkg:apk/alpine/busybox@1.29.3-r5?arch=x86_64&distro=3.11.5", "lib/apk/db/installed");
	lodash = add_pkg(s, "npm", "lodash", "4.17.15", NULL, "pkg:npm/lodash@4.17.15",
			 "srv/app/node_modules/lodash/package.json");
	cs_scan_inventory_done(s);

	v = add_vuln(s, musl, "CVE-2019-14697", "critical", "1.1.23-r2");
	v->cvss = &crit;
	v->ncvss = 1;
	v->kev = 1;
	v->epss_score = 0.97;
	v->epss_percentile = 0.999;
	v->published = "2023-01-01T00:00:00Z";
	v = add_vuln(s, ssl, "CVE-2019-1543", "high", "1.1.1b-r1");
	v->cvss = &high;
	v->ncvss = 1;
	v->epss_score = 0.01;
	v->epss_percentile = 0.2;
	v->published = "2023-11-04T00:00:00Z";
	add_vuln(s, crypto, "CVE-2019-1543", "high", "1.1.1b-r1");
	add_vuln(s, ssl, "CVE-2019-1547", "medium", "1.1.1d-r1");
	add_vuln(s, crypto, "CVE-2019-1547", "medium", "1.1.1d-r1");
	add_vuln(s, ssl, "CVE-2019-1563", "low", "1.1.1d-r1");
	add_vuln(s, busybox, "CVE-2018-20679", "unknown", NULL);
	v = add_vuln(s, lodash, "GHSA-35jh-r3h4-6jhm", "high", "4.17.21");
	v->aliases = ghsa_alias;
	v->naliases = 1;
	cs_scan_sort_vulns(s);

	add_misconfig(s, "CS-IMG-001", "high", NULL, NULL, 0);
	add_misconfig(s, "CS-DF-004", "medium", NULL, "build/Dockerfile", 7);
	add_misconfig(s, "CS-IMG-010", "medium", "usr/bin/passwd", NULL, 0);
	return s;
}

static size_t count_suppressed(const cs_scan *s)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_vuln_count(s); i++)
		n += cs_scan_vuln(s, i)->suppressed.kind != NULL;
	for (i = 0; i < cs_scan_secret_count(s); i++)
		n += cs_scan_secret(s, i)->suppressed.kind != NULL;
	for (i = 0; i < cs_scan_misconfig_count(s); i++)
		n += cs_scan_misconfig(s, i)->suppressed.kind != NULL;
	return n;
}

/* The vulnerability id on package name, or NULL. */
static const cs_vuln *find_vuln(const cs_scan *s, const char *id, const char *pkg)
{
	size_t i;

	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);

		if (!strcmp(v->id, id) && !strcmp(v->package->name, pkg))
			return v;
	}
	return NULL;
}

static const char *suppressed_kind(const cs_scan *s, const char *id, const char *pkg)
{
	const cs_vuln *v = find_vuln(s, id, pkg);

	CHECK(v != NULL);
	return v ? v->suppressed.kind : "(missing)";
}

/* Writes text to a fresh temporary file; path gets its name. */
static bool temp_file(char *path, size_t n, const char *what, const char *text)
{
	if (!cf_tmpfile(path, n, what, ".yaml"))
		return false;
	return cf_write(path, text, strlen(text));
}

/* --- gates ------------------------------------------------------------------- */

TEST(severity_list)
{
	static const struct {
		const char *list;
		unsigned mask; /* 0: an error */
	} cases[] = {
		{"critical", 1u << 5},
		{"CRITICAL,High", 1u << 5 | 1u << 4},
		{" medium , low ", 1u << 3 | 1u << 2},
		{"unknown,negligible", 1u << 0 | 1u << 1},
		{"critical,high,medium,low,negligible,unknown", CS_GATES_ALL_SEVERITIES},
		{"bogus", 0},
		{"critical,", 0},
		{",high", 0},
		{"", 0},
		{"critical;high", 0},
		{"severe", 0},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		unsigned mask = 0;
		cs_err err;
		int code;

		cs_err_clear(&err);
		code = cs_gates_severities(&mask, cases[i].list, &err);
		if (cases[i].mask) {
			CHECK_INT(code, 0);
			CHECK_INT(mask, cases[i].mask);
		} else {
			CHECK_INT(code, CS_EUSAGE);
			CHECK(strstr(err.msg, "--severity: unknown severity") != NULL);
		}
	}
	{
		unsigned mask = 0;
		cs_err err;

		cs_err_clear(&err);
		CHECK_INT(cs_gates_severities(&mask, NULL, &err), 0);
		CHECK_INT(mask, CS_GATES_ALL_SEVERITIES);
		CHECK_INT(cs_gates_severities(&mask, "high,bogus", &err), CS_EUSAGE);
		CHECK(strstr(err.msg, "'bogus'") != NULL);
	}
}

TEST(fail_on_word)
{
	int rank = 0;
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_gates_fail_on(&rank, "High", &err), 0);
	CHECK_INT(rank, 4);
	CHECK_INT(cs_gates_fail_on(&rank, NULL, &err), 0);
	CHECK_INT(rank, -1);
	CHECK_INT(cs_gates_fail_on(&rank, "severe", &err), CS_EUSAGE);
	CHECK(strstr(err.msg, "--fail-on: unknown severity 'severe'") != NULL);
}

TEST(filter_severity_and_fix)
{
	cs_scan *s = image_scan();
	unsigned mask;
	cs_err err;
	size_t i;

	if (!s)
		return;
	cs_err_clear(&err);
	CHECK_INT(cs_gates_severities(&mask, "critical,high", &err), 0);
	cs_gates_filter(s, mask, false);
	CHECK_INT(cs_scan_vuln_count(s), 4);
	for (i = 0; i < cs_scan_vuln_count(s); i++)
		CHECK(cs_severity_rank(cs_scan_vuln(s, i)->severity) >= 4);
	/* misconfigurations are filtered by the same list */
	CHECK_INT(cs_scan_misconfig_count(s), 1);
	cs_scan_free(s);

	s = image_scan();
	if (!s)
		return;
	cs_gates_filter(s, CS_GATES_ALL_SEVERITIES, true);
	CHECK_INT(cs_scan_vuln_count(s), 7);
	CHECK(find_vuln(s, "CVE-2018-20679", "busybox") == NULL);
	/* no fix to wait for: misconfigurations stay */
	CHECK_INT(cs_scan_misconfig_count(s), 3);
	cs_scan_free(s);
}

TEST(fail_on_eval)
{
	cs_scan *s = image_scan();
	cs_pol_hits hits;

	if (!s)
		return;
	memset(&hits, 0, sizeof(hits));
	hits.a = cs_scan_arena(s);
	CHECK_INT(cs_gates_eval_fail_on(s, 5, &hits), 0);
	CHECK_INT(hits.len, 1);
	if (hits.len == 1) {
		CHECK_STR(hits.items[0].rule, "--fail-on");
		CHECK_STR(hits.items[0].gate, "vulnerabilities");
		CHECK_STR(hits.items[0].action, "stop");
		CHECK_STR(hits.items[0].message, "1 vulnerability at or above critical: CVE-2019-14697 in musl 1.1.23-r0");
	}
	hits.len = 0;
	CHECK_INT(cs_gates_eval_fail_on(s, 4, &hits), 0);
	CHECK_INT(hits.len, 2); /* vulnerabilities and the high misconfiguration */
	if (hits.len == 2) {
		CHECK(cs_str_starts(hits.items[0].message, "4 vulnerabilities at or above high: "));
		CHECK(strstr(hits.items[0].message, " and 1 more") != NULL);
		CHECK_STR(hits.items[1].gate, "config");
	}
	/* suppressed findings never count */
	((cs_vuln *)find_vuln(s, "CVE-2019-14697", "musl"))->suppressed.kind = "ignore";
	hits.len = 0;
	CHECK_INT(cs_gates_eval_fail_on(s, 5, &hits), 0);
	CHECK_INT(hits.len, 0);
	cs_scan_free(s);
}

/* --- policy files ------------------------------------------------------------ */

/* Parses a one-rule policy and evaluates it on s: the number of hits (-1 on a parse error). */
static int rule_fires(const cs_scan *s, const cs_policy_env *env, const char *rule_yaml)
{
	char yaml[2048];
	cs_policy_rules *p = NULL;
	cs_pol_hits hits;
	cs_arena a;
	cs_err err;
	int n = -1;

	snprintf(yaml, sizeof(yaml), "name: t\nrules:\n  - %s\n", rule_yaml);
	cs_arena_init(&a);
	cs_err_clear(&err);
	memset(&hits, 0, sizeof(hits));
	hits.a = &a;
	if (cs_policyfile_parse(&p, &a, "t.yaml", yaml, strlen(yaml), &err) < 0) {
		fprintf(stderr, "  %s\n", err.msg);
	} else if (cs_policyfile_eval(p, s, env, &hits) == 0) {
		n = (int)hits.len;
		if (n == 1 && getenv("TEST_VERBOSE"))
			fprintf(stderr, "  %s: %s\n", hits.items[0].rule, hits.items[0].message);
	}
	cs_arena_release(&a);
	return n;
}

TEST(policy_triggers)
{
	static const struct {
		const char *rule;
		int fires;
	} cases[] = {
		{"{gate: vulnerabilities, trigger: severity, parameters: {severity: critical}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: severity, parameters: {severity: high, fix_available: false}, action: STOP}", 0},
		{"{gate: vulnerabilities, trigger: severity, parameters: {severity: unknown, fix_available: false}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: severity, parameters: {severity: high, package_type: npm}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: severity, parameters: {severity: critical, package_type: npm}, action: STOP}", 0},
		{"{gate: vulnerabilities, trigger: cvss, parameters: {score: 9}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: cvss, parameters: {score: '9.9'}, action: STOP}", 0},
		{"{gate: vulnerabilities, trigger: cvss, parameters: {score: 7, severity: critical}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: fix_available, action: WARN}", 1},
		{"{gate: vulnerabilities, trigger: fix_available, parameters: {package_type: deb}, action: WARN}", 0},
		{"{gate: vulnerabilities, trigger: days_since_fix, parameters: {days: 30}, action: WARN}", 1},
		{"{gate: vulnerabilities, trigger: days_since_fix, parameters: {days: 10, severity: high}, action: WARN}", 1},
		{"{gate: vulnerabilities, trigger: days_since_fix, parameters: {days: 400}, action: WARN}", 0},
		{"{gate: vulnerabilities, trigger: kev, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: kev, parameters: {package_type: npm}, action: STOP}", 0},
		{"{gate: vulnerabilities, trigger: epss, parameters: {score: 0.9}, action: WARN}", 1},
		{"{gate: vulnerabilities, trigger: epss, parameters: {percentile: 0.9999}, action: WARN}", 0},
		{"{gate: vulnerabilities, trigger: epss, parameters: {score: 0.005, percentile: 0.1, severity: high}, action: WARN}", 1},
		{"{gate: vulnerabilities, trigger: denylist, parameters: {ids: [CVE-2021-23337]}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: denylist, parameters: {ids: 'cve-2019-15*, CVE-2018-20679'}, action: STOP}", 1},
		{"{gate: vulnerabilities, trigger: denylist, parameters: {ids: [CVE-1999-*]}, action: STOP}", 0},
		{"{gate: packages, trigger: denylist, parameters: {name: 'lib*1.1'}, action: STOP}", 1},
		{"{gate: packages, trigger: denylist, parameters: {name: musl, version: 1.1.24-r0}, action: STOP}", 0},
		{"{gate: packages, trigger: denylist, parameters: {name: musl, version: 1.1.23-r0}, action: STOP}", 1},
		{"{gate: packages, trigger: denylist, parameters: {purl: 'pkg:npm/*'}, action: STOP}", 1},
		{"{gate: packages, trigger: denylist, parameters: {name: openssh*}, action: STOP}", 0},
		{"{gate: packages, trigger: required, parameters: {name: ca-certificates}, action: STOP}", 1},
		{"{gate: packages, trigger: required, parameters: {name: musl}, action: STOP}", 0},
		{"{gate: packages, trigger: required, parameters: {name: musl, version: 9}, action: STOP}", 1},
		{"{gate: config, trigger: check, parameters: {ids: [CS-IMG-001]}, action: WARN}", 1},
		{"{gate: config, trigger: check, parameters: {ids: 'CS-DF-*', path: 'build/*'}, action: WARN}", 1},
		{"{gate: config, trigger: check, parameters: {ids: [CS-DF-999]}, action: WARN}", 0},
		{"{gate: config, trigger: severity, parameters: {severity: high}, action: WARN}", 1},
		{"{gate: config, trigger: severity, parameters: {severity: critical}, action: WARN}", 0},
		{"{gate: config, trigger: severity, parameters: {severity: medium, ids: CS-IMG-010}, action: WARN}", 1},
		{"{gate: secrets, trigger: any, action: STOP}", 0},
		{"{gate: secrets, trigger: severity, parameters: {severity: low}, action: STOP}", 0},
		{"{gate: database, trigger: max_age, parameters: {days: 7}, action: WARN}", 1},
		{"{gate: database, trigger: max_age, parameters: {days: 30}, action: WARN}", 0},
		{"{gate: database, trigger: unavailable, action: STOP}", 0},
		/* base assessment: not run in this scan, so approval cannot be shown */
		{"{gate: base, trigger: not_approved, action: STOP}", 1},
		{"{gate: base, trigger: eol, action: STOP}", 0},
	};
	cs_policy_env env = {NOW, NOW - 10 * DAY};
	cs_scan *s = image_scan();
	size_t i;

	if (!s)
		return;
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		int n = rule_fires(s, &env, cases[i].rule);

		if (n != cases[i].fires) {
			fprintf(stderr, "  rule %s: %d hits, want %d\n", cases[i].rule, n, cases[i].fires);
			test_failures++;
		}
	}
	cs_scan_free(s);
}

TEST(policy_base_and_database)
{
	cs_base b = {"alpine:3.11", "catalog", 0, 0, "alpine 3.11", 1, "2021-11-01", false};
	cs_policy_env env = {NOW, 0};
	cs_scan *s = image_scan();

	if (!s)
		return;
	cs_scan_set_base(s, &b);
	CHECK_INT(rule_fires(s, &env, "{gate: base, trigger: not_approved, action: STOP}"), 1);
	CHECK_INT(rule_fires(s, &env, "{gate: base, trigger: eol, action: STOP}"), 1);
	b.approved = true;
	b.eol = 0;
	cs_scan_set_base(s, &b);
	CHECK_INT(rule_fires(s, &env, "{gate: base, trigger: not_approved, action: STOP}"), 0);
	CHECK_INT(rule_fires(s, &env, "{gate: base, trigger: eol, action: STOP}"), 0);
	/* matched, but the database's build time is unknown: a stale-database rule fires */
	CHECK_INT(rule_fires(s, &env, "{gate: database, trigger: max_age, parameters: {days: 7}, action: WARN}"), 1);
	cs_scan_free(s);
}

TEST(policy_database_unmatched)
{
	cs_scan_opts o;
	cs_scan *s = NULL;
	cs_policy_env env = {NOW, 0};
	cs_err err;

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &o, &err), 0);
	if (!s)
		return;
	CHECK_INT(rule_fires(s, &env, "{gate: database, trigger: unavailable, action: STOP}"), 1);
	CHECK_INT(rule_fires(s, &env, "{gate: database, trigger: max_age, parameters: {days: 1}, action: STOP}"), 0);
	CHECK_INT(rule_fires(s, &env, "{gate: vulnerabilities, trigger: kev, action: STOP}"), 0);
	cs_scan_free(s);
}

/* A real scan of a root filesystem with an AWS key: the secrets gate. */
TEST(policy_secrets)
{
	static const char body[] = "[default]\naws_access_key_id = AKIAZ3MSJV4WWNKWW5FG\n"
				   "aws_secret_access_key = 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\n";
	char root[64], path[4096];
	cs_policy_env env = {NOW, 0};
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;

	if (!cf_tmpdir(root, sizeof(root), "policy"))
		return;
	snprintf(path, sizeof(path), "%s/srv/app/credentials", root);
	CHECK(cf_write(path, body, sizeof(body) - 1));
	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_SECRET;
	cs_err_clear(&err);
	CHECK_INT(cs_scan_run(&s, root, true, &o, &err), 0);
	if (s) {
		CHECK(cs_scan_secret_count(s) >= 1);
		CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: any, action: STOP}"), 1);
		CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: any, parameters: {rule: 'aws-*'}, action: STOP}"), 1);
		CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: any, parameters: {rule: 'github-*'}, action: STOP}"), 0);
		CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: any, parameters: {path: 'srv/*'}, action: STOP}"), 1);
		CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: any, parameters: {path: 'etc/*'}, action: STOP}"), 0);
		CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: severity, parameters: {severity: high}, action: STOP}"), 1);
		/* --fail-on sees secrets too */
		{
			cs_pol_hits hits;

			memset(&hits, 0, sizeof(hits));
			hits.a = cs_scan_arena(s);
			CHECK_INT(cs_gates_eval_fail_on(s, 4, &hits), 0);
			CHECK_INT(hits.len, 1);
			if (hits.len)
				CHECK_STR(hits.items[0].gate, "secrets");
		}
		/* an ignore entry for the rule and path suppresses them all */
		{
			static const char ig[] = "secrets:\n  - {id: 'aws-*', paths: ['/srv/app/*'], reason: test keys}\n";
			cs_ignore *x = NULL;

			CHECK_INT(cs_ignore_parse(&x, cs_scan_arena(s), "ig.yaml", ig, strlen(ig), &err), 0);
			if (x)
				CHECK_INT(cs_ignore_apply(x, s, NOW), cs_scan_secret_count(s));
			CHECK_INT(rule_fires(s, &env, "{gate: secrets, trigger: any, action: STOP}"), 0);
		}
	}
	cs_scan_free(s);
	rm_tree(root);
}

TEST(policy_hit_messages)
{
	static const char yaml[] = "name: release\n"
				   "rules:\n"
				   "  - id: crit\n"
				   "    gate: vulnerabilities\n"
				   "    trigger: severity\n"
				   "    parameters: {severity: critical}\n"
				   "    action: stop\n"
				   "  - gate: packages\n"
				   "    trigger: required\n"
				   "    parameters: {name: ca-certificates}\n"
				   "    action: Warn\n"
				   "  - id: fixable-high-npm\n"
				   "    gate: vulnerabilities\n"
				   "    trigger: fix_available\n"
				   "    parameters: {severity: high, package_type: npm}\n"
				   "    action: GO\n";
	cs_policy_env env = {NOW, NOW};
	cs_scan *s = image_scan();
	cs_policy_rules *p = NULL;
	cs_pol_hits hits;
	cs_err err;

	if (!s)
		return;
	cs_err_clear(&err);
	memset(&hits, 0, sizeof(hits));
	hits.a = cs_scan_arena(s);
	CHECK_INT(cs_policyfile_parse(&p, cs_scan_arena(s), "p.yaml", yaml, strlen(yaml), &err), 0);
	if (!p)
		goto done;
	CHECK_STR(cs_policyfile_name(p), "release");
	CHECK_INT(cs_policyfile_rule_count(p), 3);
	CHECK_INT(cs_policyfile_eval(p, s, &env, &hits), 0);
	CHECK_INT(hits.len, 3);
	if (hits.len == 3) {
		CHECK_STR(hits.items[0].rule, "crit");
		CHECK_STR(hits.items[0].action, "stop");
		CHECK_STR(hits.items[0].message,
			  "1 vulnerability of severity critical or above: CVE-2019-14697 in musl 1.1.23-r0");
		CHECK_STR(hits.items[1].rule, "#2");
		CHECK_STR(hits.items[1].gate, "packages");
		CHECK_STR(hits.items[1].trigger, "required");
		CHECK_STR(hits.items[1].action, "warn");
		CHECK_STR(hits.items[1].message, "required package 'ca-certificates' not found");
		CHECK_STR(hits.items[2].action, "go");
		CHECK_STR(hits.items[2].message, "1 vulnerability with a fix available (severity high or above, type npm): "
						 "GHSA-35jh-r3h4-6jhm in lodash 4.17.15");
	}
done:
	cs_scan_free(s);
}

TEST(policy_anchore_params)
{
	cs_policy_env env = {NOW, NOW};
	cs_scan *s = image_scan();

	if (!s)
		return;
	CHECK_INT(rule_fires(s, &env,
			     "{gate: vulnerabilities, trigger: severity, params: [{name: severity, value: critical}], "
			     "action: STOP}"),
		  1);
	CHECK_INT(rule_fires(s, &env,
			     "{gate: vulnerabilities, trigger: denylist, params: [{name: ids, value: 'CVE-2019-1563'}], "
			     "action: STOP}"),
		  1);
	cs_scan_free(s);
}

TEST(policy_strict_errors)
{
	static const struct {
		const char *yaml;
		const char *want; /* in the message, after "policy 'p.yaml': " */
	} cases[] = {
		{"rules:\n  - {id: r1, gate: vulns, trigger: severity, action: STOP}\n",
		 "rule 'r1' (#1): unknown gate 'vulns' (vulnerabilities, packages, secrets, config, base, database)"},
		{"rules:\n  - {id: r1, gate: vulnerabilities, trigger: sev, action: STOP}\n",
		 "rule 'r1' (#1): unknown trigger 'sev' for gate 'vulnerabilities' (severity, cvss, fix_available, "
		 "days_since_fix, kev, epss, denylist)"},
		{"rules:\n  - {gate: vulnerabilities, trigger: severity, parameters: {sev: high}, action: STOP}\n",
		 "rule #1: unknown parameter 'sev' for trigger 'severity' of gate 'vulnerabilities'"},
		{"rules:\n  - {gate: base, trigger: eol, parameters: {days: 1}, action: STOP}\n",
		 "rule #1: unknown parameter 'days' for trigger 'eol' of gate 'base' (it takes none)"},
		{"rules:\n  - {gate: vulnerabilities, trigger: severity, action: STOP}\n",
		 "rule #1: trigger 'severity' of gate 'vulnerabilities' needs parameter severity"},
		{"rules:\n  - {gate: vulnerabilities, trigger: epss, action: STOP}\n",
		 "needs parameter one of score|percentile"},
		{"rules:\n  - {gate: packages, trigger: denylist, parameters: {version: '1'}, action: STOP}\n",
		 "needs parameter one of name|purl"},
		{"rules:\n  - {gate: vulnerabilities, trigger: severity, parameters: {severity: extreme}, action: STOP}\n",
		 "unknown severity 'extreme'"},
		{"rules:\n  - {gate: vulnerabilities, trigger: cvss, parameters: {score: 11}, action: STOP}\n",
		 "parameter 'score': '11' is not a number from 0 to 10"},
		{"rules:\n  - {gate: vulnerabilities, trigger: epss, parameters: {score: 2}, action: STOP}\n",
		 "parameter 'score': '2' is not a number from 0 to 1"},
		{"rules:\n  - {gate: database, trigger: max_age, parameters: {days: '-1'}, action: STOP}\n",
		 "parameter 'days': '-1' is not a whole number"},
		{"rules:\n  - {gate: database, trigger: max_age, parameters: {days: 1.5}, action: STOP}\n",
		 "is not a whole number"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, parameters: {fix_available: maybe}, action: STOP}\n",
		 "'maybe' is not true or false"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, action: HALT}\n", "unknown action 'HALT'"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev}\n", "no action (STOP, WARN or GO)"},
		{"rules:\n  - {trigger: kev, action: STOP}\n", "rule #1: no gate"},
		{"rules:\n  - {gate: vulnerabilities, action: STOP}\n", "rule #1: no trigger"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, action: STOP, when: always}\n",
		 "rule #1: unknown key 'when'"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, action: STOP, params: [], parameters: {}}\n",
		 "give either 'parameters' or 'params'"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, action: STOP, params: [{name: severity}]}\n",
		 "parameter 'severity' needs a value"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, action: STOP, params: [{name: x, value: y, z: 1}]}\n",
		 "unknown key 'z' in 'params'"},
		{"rules:\n  - {gate: vulnerabilities, trigger: denylist, parameters: {ids: []}, action: STOP}\n",
		 "parameter 'ids' is empty"},
		{"rules:\n  - {gate: vulnerabilities, trigger: kev, action: STOP, action: GO}\n",
		 "rule #1: key 'action' given twice"},
		{"rules:\n  - {id: a, gate: vulnerabilities, trigger: kev, action: STOP}\n"
		 "  - {id: a, gate: vulnerabilities, trigger: kev, action: WARN}\n",
		 "rule 'a' (#2): the id is also rule #1's"},
		{"rules:\n  - just a string\n", "rule #1: a rule must be a mapping"},
		{"name: x\n", "no 'rules' list"},
		{"rule: []\n", "unknown key 'rule' (name, description, version, rules)"},
		{"version: '2'\nrules: []\n", "unsupported version"},
		{"- a\n- b\n", "not a mapping with a name and rules"},
		/* quoted file text cannot break the line or reach the terminal */
		{"rules:\n  - {gate: \"vul\\nns\\e[31m\", trigger: kev, action: STOP}\n", "unknown gate 'vul?ns?[31m'"},
		{"", "not a mapping"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_policy_rules *p = NULL;
		cs_arena a;
		cs_err err;
		int code;

		cs_arena_init(&a);
		cs_err_clear(&err);
		code = cs_policyfile_parse(&p, &a, "p.yaml", cases[i].yaml, strlen(cases[i].yaml), &err);
		if (code != CS_EFORMAT || !cs_str_starts(err.msg, "policy 'p.yaml': ") || !strstr(err.msg, cases[i].want) ||
		    strchr(err.msg, '\n')) {
			fprintf(stderr, "  case %zu: code %d, message \"%s\", want \"%s\"\n", i, code, err.msg,
				cases[i].want);
			test_failures++;
		}
		CHECK(p == NULL);
		cs_arena_release(&a);
	}
}

TEST(policy_malformed_yaml)
{
	static const char yaml[] = "rules:\n  - {gate: [unclosed\n";
	cs_policy_rules *p = NULL;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_policyfile_parse(&p, &a, "p.yaml", yaml, strlen(yaml), &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "p.yaml") != NULL);
	CHECK(strchr(err.msg, '\n') == NULL);
	cs_err_clear(&err);
	CHECK_INT(cs_policyfile_load(&p, &a, "/nonexistent/policy.yaml", &err), CS_EIO);
	CHECK(strstr(err.msg, "cannot read policy '/nonexistent/policy.yaml'") != NULL);
	cs_arena_release(&a);
}

/* The built-in policy parses, and README.md shows exactly its text. */
TEST(policy_default)
{
	cs_policy_rules *p = NULL;
	cs_arena a;
	cs_err err;
	size_t len = 0;
	char *readme = test_read_file("README.md", &len);
	const char *mark, *start, *end;

	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_policyfile_load(&p, &a, "default", &err), 0);
	if (p) {
		CHECK_STR(cs_policyfile_name(p), "default");
		CHECK_INT(cs_policyfile_rule_count(p), 8);
	}
	cs_arena_release(&a);
	CHECK(readme != NULL);
	if (!readme)
		return;
	mark = strstr(readme, "<!-- default-policy -->");
	CHECK(mark != NULL);
	if (mark && (start = strstr(mark, "```yaml\n")) && (end = strstr(start + 8, "```"))) {
		start += 8;
		if ((size_t)(end - start) != strlen(cs_policyfile_default_yaml()) ||
		    strncmp(start, cs_policyfile_default_yaml(), (size_t)(end - start))) {
			fprintf(stderr, "  README.md's default policy differs from policyfile.c's\n");
			test_failures++;
		}
	} else {
		CHECK(!"no ```yaml block after <!-- default-policy --> in README.md");
	}
	free(readme);
}

/* cs_policy_apply with a policy file: the verdict is the strongest action that fired. */
static const char *verdict_of(const char *policy_yaml, const char *fail_on, size_t *nhits, const char **first_rule)
{
	static char verdict[16];
	char path[256], empty[256];
	cs_policy_opts o;
	cs_scan *s = image_scan();
	cs_err err;

	verdict[0] = '\0';
	if (!s || !temp_file(path, sizeof(path), "policy", policy_yaml) || !temp_file(empty, sizeof(empty), "ig", "")) {
		cs_scan_free(s);
		return verdict;
	}
	cs_policy_opts_default(&o);
	o.policy_file = path;
	o.fail_on = fail_on;
	o.now = NOW;
	o.db_built = NOW;
	o.ignore_file = empty; /* never the working directory's */
	cs_err_clear(&err);
	if (cs_policy_apply(s, &o, &err) < 0) {
		fprintf(stderr, "  %s\n", err.msg);
		test_failures++;
	}
	if (cs_scan_policy(s)) {
		snprintf(verdict, sizeof(verdict), "%s", cs_scan_policy(s)->verdict);
		*nhits = cs_scan_policy(s)->nhits;
		if (first_rule) {
			static char rule[64];

			snprintf(rule, sizeof(rule), "%s", *nhits ? cs_scan_policy(s)->hits[0].rule : "");
			*first_rule = rule;
		}
	}
	unlink(path);
	unlink(empty);
	cs_scan_free(s);
	return verdict;
}

TEST(verdict_order)
{
	static const char stop_warn_go[] =
		"rules:\n"
		"  - {gate: vulnerabilities, trigger: kev, action: GO}\n"
		"  - {gate: vulnerabilities, trigger: severity, parameters: {severity: high}, action: WARN}\n"
		"  - {gate: vulnerabilities, trigger: severity, parameters: {severity: critical}, action: STOP}\n";
	static const char warn_go[] = "rules:\n"
				      "  - {gate: vulnerabilities, trigger: kev, action: GO}\n"
				      "  - {gate: config, trigger: severity, parameters: {severity: high}, action: WARN}\n"
				      "  - {gate: packages, trigger: denylist, parameters: {name: openssh}, action: STOP}\n";
	static const char go[] = "rules:\n"
				 "  - {gate: vulnerabilities, trigger: kev, action: GO}\n"
				 "  - {gate: packages, trigger: denylist, parameters: {name: openssh}, action: STOP}\n";
	static const char none[] = "name: quiet\nrules: []\n";
	const char *first = NULL;
	size_t n = 0;

	CHECK_STR(verdict_of(stop_warn_go, NULL, &n, NULL), "fail");
	CHECK_INT(n, 3);
	CHECK_STR(verdict_of(warn_go, NULL, &n, NULL), "warn");
	CHECK_INT(n, 2);
	CHECK_STR(verdict_of(go, NULL, &n, NULL), "pass");
	CHECK_INT(n, 1);
	CHECK_STR(verdict_of(none, NULL, &n, NULL), "pass");
	CHECK_INT(n, 0);
	/* --fail-on's hits come first, and a failed gate fails a passing policy */
	CHECK_STR(verdict_of(go, "critical", &n, &first), "fail");
	CHECK_INT(n, 2);
	CHECK_STR(first, "--fail-on");
}

/* --- ignore files ------------------------------------------------------------ */

static int apply_ignore(cs_scan *s, const char *yaml, size_t *suppressed)
{
	cs_ignore *ig = NULL;
	cs_err err;
	int code;

	cs_err_clear(&err);
	code = cs_ignore_parse(&ig, cs_scan_arena(s), ".customsignore.yaml", yaml, strlen(yaml), &err);
	if (code < 0) {
		fprintf(stderr, "  %s\n", err.msg);
		return code;
	}
	*suppressed = cs_ignore_apply(ig, s, NOW);
	return 0;
}

TEST(ignore_matching)
{
	static const struct {
		const char *yaml;
		size_t suppressed;
	} cases[] = {
		{"vulnerabilities:\n  - {id: CVE-2019-14697, reason: r}\n", 1},
		{"vulnerabilities:\n  - {id: cve-2019-1543, reason: r}\n", 2},
		{"vulnerabilities:\n  - {id: CVE-2019-1543, package: libssl1.1, reason: r}\n", 1},
		{"vulnerabilities:\n  - {id: CVE-2019-1543, package: openssl, reason: source name}\n", 2},
		{"vulnerabilities:\n  - {id: 'CVE-2019-15*', reason: r}\n", 5},
		{"vulnerabilities:\n  - {id: CVE-2021-23337, reason: alias of the GHSA}\n", 1},
		{"vulnerabilities:\n  - {id: '*', purl: 'pkg:apk/alpine/libcrypto1.1@*', reason: r}\n", 2},
		{"vulnerabilities:\n  - {id: '*', paths: ['/srv/app/node_modules/*'], reason: r}\n", 1},
		{"vulnerabilities:\n  - {id: '*', paths: 'lib/apk/db/installed', reason: r}\n", 7},
		{"vulnerabilities:\n  - {id: '*', paths: ['usr/*'], reason: r}\n", 0},
		{"vulnerabilities:\n  - {id: CVE-2019-14697, package: busybox, reason: r}\n", 0},
		{"misconfigurations:\n  - {id: CS-IMG-001, reason: by design}\n", 1},
		{"misconfigurations:\n  - {id: 'CS-*', paths: [build/Dockerfile], reason: r}\n", 1},
		{"misconfigurations:\n  - {id: 'CS-IMG-*', paths: ['usr/bin/*'], reason: r}\n", 1},
		{"secrets:\n  - {id: '*', reason: r}\n", 0},
		{"vulnerabilities:\n  - {id: CVE-2019-14697, reason: a}\n  - {id: 'CVE-*', package: musl, reason: b}\n", 1},
		{"", 0},
		{"vulnerabilities:\nsecrets:\n", 0},
		/* the expiry day itself still applies */
		{"vulnerabilities:\n  - {id: CVE-2019-14697, reason: r, expires: 2023-11-14}\n", 1},
		{"vulnerabilities:\n  - {id: CVE-2019-14697, reason: r, expires: 2099-01-01}\n", 1},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_scan *s = image_scan();
		size_t n = 99;

		if (!s)
			return;
		CHECK_INT(apply_ignore(s, cases[i].yaml, &n), 0);
		if (n != cases[i].suppressed || count_suppressed(s) != n) {
			fprintf(stderr, "  case %zu: %zu suppressed (%zu marked), want %zu\n", i, n, count_suppressed(s),
				cases[i].suppressed);
			test_failures++;
		}
		cs_scan_free(s);
	}
}

TEST(ignore_record)
{
	cs_scan *s = image_scan();
	const cs_vuln *v;
	size_t n = 0;

	if (!s)
		return;
	CHECK_INT(apply_ignore(s, "vulnerabilities:\n  - id: CVE-2019-14697\n    reason: not reachable\n", &n), 0);
	v = find_vuln(s, "CVE-2019-14697", "musl");
	if (v) {
		CHECK_STR(v->suppressed.kind, "ignore");
		CHECK_STR(v->suppressed.reason, "not reachable");
		CHECK_STR(v->suppressed.source, ".customsignore.yaml");
	}
	CHECK_INT(cs_scan_diag_count(s), 0);
	cs_scan_free(s);
}

TEST(ignore_expired)
{
	static const char yaml[] = "vulnerabilities:\n"
				   "  - id: CVE-2019-14697\n"
				   "    reason: waiting for 3.11.6\n"
				   "    expires: 2023-11-13\n"
				   "  - id: CVE-2019-1563\n"
				   "    reason: low\n"
				   "    expires: '2024-01-01'\n";
	cs_scan *s = image_scan();
	int level = -1;
	size_t n = 0;

	if (!s)
		return;
	cs_log_set_level(CS_LOG_ERROR); /* the warning is checked below, not printed */
	CHECK_INT(apply_ignore(s, yaml, &n), 0);
	cs_log_set_level(CS_LOG_WARN);
	CHECK_INT(n, 1);
	CHECK_STR(suppressed_kind(s, "CVE-2019-14697", "musl"), NULL);
	CHECK_STR(suppressed_kind(s, "CVE-2019-1563", "libssl1.1"), "ignore");
	CHECK_INT(cs_scan_diag_count(s), 1);
	if (cs_scan_diag_count(s) == 1) {
		CHECK_STR(cs_scan_diag_get(s, 0, &level),
			  "ignore file '.customsignore.yaml': vulnerabilities entry 'CVE-2019-14697' expired on "
			  "2023-11-13; its findings count again");
		CHECK_INT(level, CS_LOG_WARN);
		CHECK_INT(cs_scan_error_count(s), 0);
	}
	cs_scan_free(s);
}

TEST(ignore_strict_errors)
{
	static const struct {
		const char *yaml;
		const char *want;
	} cases[] = {
		{"vulnerabilities:\n  - {id: CVE-1}\n",
		 "vulnerabilities entry #1 ('CVE-1'): no 'reason': say why the finding is accepted"},
		{"vulnerabilities:\n  - {reason: x}\n", "vulnerabilities entry #1: no 'id'"},
		{"vulnerabilities:\n  - {id: CVE-1, reason: x}\n  - {id: CVE-2, reason: x, pkg: y}\n",
		 "vulnerabilities entry #2 ('CVE-2'): unknown key 'pkg' (id, package, purl, paths, reason, expires)"},
		{"secrets:\n  - {id: aws, package: x, reason: y}\n",
		 "secrets entry #1 ('aws'): unknown key 'package' (id, paths, reason, expires)"},
		{"misconfigurations:\n  - {id: CS-1, reason: x, expires: 2023-02-30}\n",
		 "misconfigurations entry #1 ('CS-1'): 'expires' must be a date YYYY-MM-DD, not '2023-02-30'"},
		{"vulnerabilities:\n  - {id: CVE-1, reason: x, expires: 12/31/2023}\n", "must be a date YYYY-MM-DD"},
		{"vulnerabilities:\n  - {id: CVE-1, reason: x, paths: []}\n", "'paths' must be a glob or a non-empty list"},
		{"vulnerabilities:\n  - {id: CVE-1, reason: ''}\n", "'reason' must be a non-empty string"},
		{"vulnerabilities:\n  - {id: CVE-1, reason: x, reason: y}\n", "key 'reason' given twice"},
		{"vulnerability:\n  - {id: CVE-1, reason: x}\n",
		 "unknown section 'vulnerability' (vulnerabilities, secrets, misconfigurations)"},
		{"vulnerabilities: CVE-1\n", "section 'vulnerabilities' must be a list of entries"},
		{"vulnerabilities:\n  - CVE-1\n", "vulnerabilities entry #1: an entry must be a mapping"},
		{"- a\n", "not a mapping of vulnerabilities, secrets and misconfigurations"},
		{"vulnerabilities:\n  - {id: \"CVE\\r\\n1\"}\n", "entry #1 ('CVE??1'): no 'reason'"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_ignore *ig = NULL;
		cs_arena a;
		cs_err err;
		int code;

		cs_arena_init(&a);
		cs_err_clear(&err);
		code = cs_ignore_parse(&ig, &a, "ig.yaml", cases[i].yaml, strlen(cases[i].yaml), &err);
		if (code != CS_EFORMAT || !cs_str_starts(err.msg, "ignore file 'ig.yaml': ") ||
		    !strstr(err.msg, cases[i].want) || strchr(err.msg, '\n')) {
			fprintf(stderr, "  case %zu: code %d, message \"%s\", want \"%s\"\n", i, code, err.msg,
				cases[i].want);
			test_failures++;
		}
		cs_arena_release(&a);
	}
}

/* --- VEX --------------------------------------------------------------------- */

TEST(vex_purl_matching)
{
	static const struct {
		const char *general, *specific;
		bool match;
	} cases[] = {
		{"pkg:apk/alpine/musl", "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5", true},
		{"pkg:apk/alpine/musl@1.1.23-r0", "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5", true},
		{"pkg:apk/alpine/musl@1.1.24-r0", "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64", false},
		{"pkg:apk/alpine/musl?arch=x86_64", "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5", true},
		{"pkg:apk/alpine/musl?arch=aarch64", "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5", false},
		{"pkg:apk/alpine/musl@1.1.23-r0?distro=3.11.5&arch=x86_64",
		 "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5", true},
		{"pkg:apk/alpine/musl?arch=x86_64", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{"pkg:apk/alpine/musl@1.1.23-r0", "pkg:apk/alpine/musl", false},
		{"pkg:apk/alpine/MUSL", "pkg:apk/alpine/musl@1.1.23-r0", true},
		{"pkg:APK/alpine/musl", "pkg:apk/alpine/musl@1.1.23-r0", true},
		{"pkg:apk/wolfi/musl", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{"pkg:apk/musl", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{"pkg:npm/Lodash", "pkg:npm/lodash@4.17.15", false},
		{"pkg:npm/%40babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0", true},
		{"pkg:npm/%40babel/core", "pkg:npm/%40babel/core@7.0.0", true},
		{"pkg:npm/@babel/core", "pkg:npm/%40babel/core@7.0.0", true},
		{"pkg:deb/debian/attr@1:2.4.47-2+b1", "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64", true},
		{"pkg:deb/debian/attr@1:2.4.47-2", "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64", false},
		{"pkg:golang/github.com/x/y#sub", "pkg:golang/github.com/x/y@v1.0.0#sub", true},
		{"pkg:golang/github.com/x/y#other", "pkg:golang/github.com/x/y@v1.0.0#sub", false},
		{"pkg://apk/alpine/musl", "pkg:apk/alpine/musl@1.1.23-r0", true},
		{"musl", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{"pkg:apk", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{"pkg:apk/alpine/musl%zz", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{"pkg:apk/alpine/mu%00sl", "pkg:apk/alpine/musl@1.1.23-r0", false},
		{NULL, "pkg:apk/alpine/musl@1.1.23-r0", false},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++)
		if (cs_vex_purl_matches(cases[i].general, cases[i].specific) != cases[i].match) {
			fprintf(stderr, "  %s covers %s: want %s\n", cases[i].general ? cases[i].general : "(null)",
				cases[i].specific, cases[i].match ? "true" : "false");
			test_failures++;
		}
}

/* Applies the documents (in order) to a fresh image scan; the scan is returned. */
static cs_scan *apply_vex(const char *const *docs, size_t n, size_t *suppressed)
{
	cs_scan *s = image_scan();
	cs_vex *vx = NULL;
	cs_err err;
	size_t i;

	*suppressed = 0;
	if (!s)
		return NULL;
	cs_err_clear(&err);
	CHECK_INT(cs_vex_new(&vx, cs_scan_arena(s), &err), 0);
	for (i = 0; vx && i < n; i++) {
		char what[32];

		snprintf(what, sizeof(what), "vex%zu.json", i + 1);
		if (cs_vex_parse(vx, what, docs[i], strlen(docs[i]), &err) < 0) {
			fprintf(stderr, "  %s\n", err.msg);
			test_failures++;
		}
	}
	if (vx)
		*suppressed = cs_vex_apply(vx, s);
	return s;
}

#define OPENVEX_HEAD(ts)                                                                             \
	"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"@id\": \"https://openvex.dev/docs/example/t\", " \
	"\"author\": \"t\", \"version\": 1, \"timestamp\": \"" ts "\", \"statements\": ["
#define STMT(vuln, product, status, extra)                                                           \
	"{\"vulnerability\": {\"name\": \"" vuln "\"}, \"products\": [{\"@id\": \"" product "\"}], "    \
	"\"status\": \"" status "\"" extra "}"
#define NA ", \"justification\": \"vulnerable_code_not_present\""

TEST(vex_openvex_fixture)
{
	size_t len = 0, n = 0;
	char *doc = test_read_file("tests/data/policy/openvex-musl.json", &len);
	const char *docs[1];
	cs_scan *s;
	const cs_vuln *v;

	CHECK(doc != NULL);
	if (!doc)
		return;
	docs[0] = doc;
	s = apply_vex(docs, 1, &n);
	if (s) {
		CHECK_INT(n, 2);
		/* the image as product, musl as its subcomponent */
		v = find_vuln(s, "CVE-2019-14697", "musl");
		if (v) {
			CHECK_STR(v->suppressed.kind, "vex");
			CHECK_STR(v->suppressed.reason, "not_affected: vulnerable_code_not_in_execute_path");
			CHECK_STR(v->suppressed.source, "vex1.json");
		}
		/* not_affected on Oct 1, affected on Oct 15: it counts */
		CHECK_STR(suppressed_kind(s, "CVE-2019-1543", "libssl1.1"), NULL);
		CHECK_STR(suppressed_kind(s, "CVE-2019-1543", "libcrypto1.1"), NULL);
		/* fixed, for libcrypto1.1 of any version; libssl1.1 is another product */
		v = find_vuln(s, "CVE-2019-1547", "libcrypto1.1");
		if (v) {
			CHECK_STR(v->suppressed.kind, "vex");
			CHECK_STR(v->suppressed.reason, "fixed");
		}
		CHECK_STR(suppressed_kind(s, "CVE-2019-1547", "libssl1.1"), NULL);
	}
	cs_scan_free(s);
	free(doc);
}

TEST(vex_cyclonedx_fixture)
{
	size_t len = 0, n = 0;
	char *doc = test_read_file("tests/data/policy/cyclonedx-vex.json", &len);
	const char *docs[1];
	cs_scan *s;
	const cs_vuln *v;

	CHECK(doc != NULL);
	if (!doc)
		return;
	docs[0] = doc;
	s = apply_vex(docs, 1, &n);
	if (s) {
		CHECK_INT(n, 1);
		v = find_vuln(s, "CVE-2019-14697", "musl");
		if (v) {
			CHECK_STR(v->suppressed.kind, "vex");
			CHECK_STR(v->suppressed.reason, "not_affected: code_not_reachable");
		}
		/* resolved on Oct 1 (a BOM-Link), exploitable on Oct 20: it counts */
		CHECK_STR(suppressed_kind(s, "CVE-2019-1547", "libcrypto1.1"), NULL);
		/* false_positive only for version 1.1.1d-r1 */
		CHECK_STR(suppressed_kind(s, "CVE-2019-1563", "libssl1.1"), NULL);
	}
	cs_scan_free(s);
	free(doc);
}

TEST(vex_statements)
{
	static const struct {
		const char *doc;
		const char *id, *pkg;
		const char *reason; /* NULL: not suppressed */
	} cases[] = {
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "not_affected", NA) "]}",
		 "CVE-2019-14697", "musl", "not_affected: vulnerable_code_not_present"},
		/* lower-case id, an impact statement instead of a justification */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("cve-2019-14697", "pkg:apk/alpine/musl", "not_affected",
							   ", \"impact_statement\": \"no x87 here\"") "]}",
		 "CVE-2019-14697", "musl", "not_affected: no x87 here"},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl@1.1.22-r0",
							   "not_affected", NA) "]}",
		 "CVE-2019-14697", "musl", NULL},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "under_investigation",
							   "") "]}",
		 "CVE-2019-14697", "musl", NULL},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "affected", "") "]}",
		 "CVE-2019-14697", "musl", NULL},
		/* the GHSA finding is named by its CVE alias */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2021-23337", "pkg:npm/lodash@4.17.15", "fixed", "") "]}",
		 "GHSA-35jh-r3h4-6jhm", "lodash", "fixed"},
		/* the statement's own aliases */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z")
		 "{\"vulnerability\": {\"name\": \"ALPINE-1\", \"aliases\": [\"CVE-2019-14697\"]}, "
		 "\"products\": [{\"identifiers\": {\"purl\": \"pkg:apk/alpine/musl\"}}], \"status\": \"fixed\"}]}",
		 "CVE-2019-14697", "musl", "fixed"},
		/* the image (its digest) without subcomponents: every package */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT(
			 "CVE-2019-1543",
			 "pkg:oci/whatever@sha256%3A8788c5acf1fc92e42dc0b43c6a2bfdf04e8152058e69aadc5dbdbf3900abb60f",
			 "not_affected", NA) "]}",
		 "CVE-2019-1543", "libcrypto1.1", "not_affected: vulnerable_code_not_present"},
		/* the image by its tag as given */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-1543", "customs/alpine-edited:3.11", "not_affected",
							   NA) "]}",
		 "CVE-2019-1543", "libssl1.1", "not_affected: vulnerable_code_not_present"},
		/* another image's digest */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-1543", "pkg:oci/alpine-edited@sha256%3A0000",
							   "not_affected", NA) "]}",
		 "CVE-2019-1543", "libssl1.1", NULL},
		/* the image with a tag qualifier that is not ours */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-1543", "pkg:oci/alpine-edited?tag=3.12",
							   "not_affected", NA) "]}",
		 "CVE-2019-1543", "libssl1.1", NULL},
		/* the image's subcomponent is libssl only */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z")
		 "{\"vulnerability\": {\"name\": \"CVE-2019-1543\"}, \"products\": [{\"@id\": "
		 "\"pkg:oci/alpine-edited?tag=3.11\", \"subcomponents\": [{\"@id\": \"pkg:apk/alpine/libssl1.1\"}]}], "
		 "\"status\": \"fixed\"}]}",
		 "CVE-2019-1543", "libcrypto1.1", NULL},
		/* a product that is not in the image: its subcomponents do not count */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z")
		 "{\"vulnerability\": {\"name\": \"CVE-2019-1543\"}, \"products\": [{\"@id\": "
		 "\"pkg:oci/other-image\", \"subcomponents\": [{\"@id\": \"pkg:apk/alpine/libssl1.1\"}]}], "
		 "\"status\": \"fixed\"}]}",
		 "CVE-2019-1543", "libssl1.1", NULL},
		/* a package of the image as the product (a library inside it) */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z")
		 "{\"vulnerability\": {\"name\": \"CVE-2019-1543\"}, \"products\": [{\"@id\": "
		 "\"pkg:npm/lodash\", \"subcomponents\": [{\"@id\": \"pkg:apk/alpine/libssl1.1\"}]}], "
		 "\"status\": \"fixed\"}]}",
		 "CVE-2019-1543", "libssl1.1", "fixed"},
		/* 0.0.1: products and subcomponents as strings, the vulnerability a string */
		{"{\"@context\": \"https://openvex.dev/ns\", \"@id\": \"x\", \"author\": \"t\", "
		 "\"timestamp\": \"2023-01-01T00:00:00Z\", \"statements\": [{\"vulnerability\": \"CVE-2019-1543\", "
		 "\"products\": [\"customs/alpine-edited:3.11\"], \"subcomponents\": [\"pkg:apk/alpine/libcrypto1.1\"], "
		 "\"status\": \"not_affected\", \"justification\": \"component_not_present\"}]}",
		 "CVE-2019-1543", "libcrypto1.1", "not_affected: component_not_present"},
		/* no products: nothing (an encapsulating document's products are not ours) */
		{OPENVEX_HEAD("2023-01-01T00:00:00Z")
		 "{\"vulnerability\": {\"name\": \"CVE-2019-14697\"}, \"status\": \"fixed\"}]}",
		 "CVE-2019-14697", "musl", NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		const char *docs[1] = {cases[i].doc};
		size_t n = 0;
		cs_scan *s = apply_vex(docs, 1, &n);
		const cs_vuln *v = s ? find_vuln(s, cases[i].id, cases[i].pkg) : NULL;

		CHECK(v != NULL);
		if (v && (cases[i].reason ? !v->suppressed.reason || strcmp(v->suppressed.reason, cases[i].reason)
					  : v->suppressed.kind != NULL)) {
			fprintf(stderr, "  case %zu: %s on %s: reason %s, want %s\n", i, cases[i].id, cases[i].pkg,
				v->suppressed.reason ? v->suppressed.reason : "(none)",
				cases[i].reason ? cases[i].reason : "(none)");
			test_failures++;
		}
		cs_scan_free(s);
	}
}

/* Later statements override earlier ones: by timestamp, then by order. */
TEST(vex_override_order)
{
	static const char *const within[] = {
		OPENVEX_HEAD("2023-06-01T00:00:00Z")
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "not_affected",
		     NA ", \"timestamp\": \"2023-07-01T00:00:00Z\"") ","
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "affected", "") "]}",
	};
	static const char *const reordered[] = {
		OPENVEX_HEAD("2023-06-01T00:00:00Z")
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "affected", ", \"timestamp\": \"2023-05-01T00:00:00-02:00\"") ","
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "not_affected", NA) "]}",
	};
	static const char *const same_time[] = {
		OPENVEX_HEAD("2023-06-01T00:00:00Z")
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "not_affected", NA) ","
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl@1.1.23-r0", "under_investigation", "") "]}",
	};
	static const char *const two_docs_newer_second[] = {
		OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "affected", "") "]}",
		OPENVEX_HEAD("2023-02-01T00:00:00+01:00") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "fixed", "") "]}",
	};
	static const char *const two_docs_newer_first[] = {
		OPENVEX_HEAD("2023-02-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "affected", "") "]}",
		OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "fixed", "") "]}",
	};
	/* a statement about another product does not override */
	static const char *const other_product[] = {
		OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "fixed", "") ","
		STMT("CVE-2019-14697", "pkg:apk/alpine/musl@9", "affected", ", \"timestamp\": \"2023-03-01T00:00:00Z\"")
		"]}",
	};
	/* OpenVEX then CycloneDX about the same finding: the CycloneDX analysis is newer */
	static const char *const mixed[] = {
		OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-2019-14697", "pkg:apk/alpine/musl", "not_affected", NA) "]}",
		"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"version\": 1, \"vulnerabilities\": [{\"id\": "
		"\"CVE-2019-14697\", \"analysis\": {\"state\": \"in_triage\", \"lastUpdated\": \"2023-03-01T00:00:00Z\"}, "
		"\"affects\": [{\"ref\": \"pkg:apk/alpine/musl@1.1.23-r0\"}]}]}",
	};
	static const struct {
		const char *const *docs;
		size_t n;
		const char *kind;
	} cases[] = {
		{within, 1, "vex"},         /* the statement's own timestamp is later than the document's */
		{reordered, 1, "vex"},      /* 2023-05-01T02:00Z < 2023-06-01 */
		{same_time, 1, NULL},       /* equal times: the later statement */
		{two_docs_newer_second, 2, "vex"},
		{two_docs_newer_first, 2, NULL},
		{other_product, 1, "vex"},
		{mixed, 2, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		size_t n = 0;
		cs_scan *s = apply_vex(cases[i].docs, cases[i].n, &n);
		const cs_vuln *v = s ? find_vuln(s, "CVE-2019-14697", "musl") : NULL;

		CHECK(v != NULL);
		if (v && !cf_str_eq(v->suppressed.kind, cases[i].kind)) {
			fprintf(stderr, "  case %zu: suppressed %s, want %s\n", i, v->suppressed.kind ? v->suppressed.kind : "no",
				cases[i].kind ? cases[i].kind : "no");
			test_failures++;
		}
		cs_scan_free(s);
	}
}

TEST(vex_cyclonedx_refs)
{
	static const char doc[] =
		"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"version\": 1,"
		" \"metadata\": {\"timestamp\": \"2023-01-01T00:00:00Z\", \"component\": {\"type\": \"container\","
		"   \"bom-ref\": \"img\", \"name\": \"alpine-edited\", \"purl\": \"pkg:oci/alpine-edited\"}},"
		" \"components\": [{\"type\": \"library\", \"bom-ref\": \"outer\", \"name\": \"x\", \"components\": ["
		"   {\"type\": \"library\", \"bom-ref\": \"ssl-%23ref\", \"name\": \"libssl1.1\","
		"    \"purl\": \"pkg:apk/alpine/libssl1.1@1.1.1a-r1?arch=x86_64\"}]}],"
		" \"vulnerabilities\": ["
		"  {\"id\": \"CVE-2019-1563\", \"references\": [{\"id\": \"GHSA-xxxx\", \"source\": {\"name\": \"x\"}}],"
		"   \"analysis\": {\"state\": \"resolved_with_pedigree\"},"
		"   \"affects\": [{\"ref\": \"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#ssl-%2523ref\"}]},"
		"  {\"id\": \"CVE-2019-1547\", \"analysis\": {\"state\": \"false_positive\"},"
		"   \"affects\": [{\"ref\": \"pkg:apk/alpine/libssl1.1\", \"versions\": [{\"version\": \"1.1.1a-r1\"}]}]},"
		"  {\"id\": \"CVE-2019-1543\", \"analysis\": {\"state\": \"not_affected\", \"justification\": "
		"   \"protected_by_compiler\"}, \"affects\": [{\"ref\": \"pkg:apk/alpine/libssl1.1\", \"versions\": "
		"   [{\"range\": \"vers:apk/<1.1.1b\"}]}]},"
		"  {\"id\": \"CVE-2019-14697\", \"analysis\": {\"state\": \"not_affected\", \"justification\":"
		"   \"requires_environment\"}, \"affects\": [{\"ref\": \"img\"}]},"
		"  {\"id\": \"CVE-2018-20679\", \"analysis\": {\"state\": \"resolved\"}, \"affects\": [{\"ref\": "
		"   \"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1\"}]},"
		"  {\"id\": \"CVE-2018-20679\", \"ratings\": []}"
		" ]}";
	const char *docs[1] = {doc};
	size_t n = 0;
	cs_scan *s = apply_vex(docs, 1, &n);
	const cs_vuln *v;

	if (!s)
		return;
	CHECK_INT(n, 3);
	v = find_vuln(s, "CVE-2019-1563", "libssl1.1");
	if (v)
		CHECK_STR(v->suppressed.reason, "resolved_with_pedigree");
	v = find_vuln(s, "CVE-2019-1547", "libssl1.1");
	if (v)
		CHECK_STR(v->suppressed.reason, "false_positive");
	CHECK_STR(suppressed_kind(s, "CVE-2019-1547", "libcrypto1.1"), NULL);
	/* only a range: not evaluated, so nothing */
	CHECK_STR(suppressed_kind(s, "CVE-2019-1543", "libssl1.1"), NULL);
	/* the metadata component is the image (pkg:oci by repository name) */
	v = find_vuln(s, "CVE-2019-14697", "musl");
	if (v)
		CHECK_STR(v->suppressed.reason, "not_affected: requires_environment");
	CHECK_STR(suppressed_kind(s, "CVE-2018-20679", "busybox"), NULL);
	cs_scan_free(s);
}

TEST(vex_strict_errors)
{
	static const struct {
		const char *doc;
		const char *want;
	} cases[] = {
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-1", "pkg:apk/alpine/musl", "not_affected", "") "]}",
		 "statement #1 ('CVE-1'): not_affected needs a justification or an impact_statement"},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-1", "pkg:apk/alpine/musl", "fixed", "") ","
		 STMT("CVE-2", "pkg:apk/alpine/musl", "resolved", "") "]}",
		 "statement #2 ('CVE-2'): status 'resolved' is not one of not_affected, affected, fixed, "
		 "under_investigation"},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-1", "pkg:apk/alpine/musl", "not_affected",
							   ", \"justification\": \"too_hard\"") "]}",
		 "unknown justification 'too_hard'"},
		{OPENVEX_HEAD("yesterday") STMT("CVE-1", "pkg:apk/alpine/musl", "fixed", "") "]}",
		 "'timestamp' is not an RFC 3339 date-time"},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") STMT("CVE-1", "pkg:apk/alpine/musl", "fixed",
							   ", \"timestamp\": \"2023-13-01T00:00:00Z\"") "]}",
		 "statement #1 ('CVE-1'): 'timestamp' is not an RFC 3339"},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z") "{\"products\": [], \"status\": \"fixed\"}]}",
		 "statement #1: no vulnerability name"},
		{OPENVEX_HEAD("2023-01-01T00:00:00Z")
		 "{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [{\"hashes\": {}}], \"status\": \"fixed\"}]}",
		 "needs an '@id' or identifiers"},
		{"{\"@context\": \"https://openvex.dev/ns\", \"statements\": {}}", "no 'statements' list"},
		{"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": \"CVE-1\", \"analysis\": {\"state\": "
		 "\"wontfix\"}}]}",
		 "vulnerability #1 ('CVE-1'): analysis state 'wontfix' is not one of"},
		{"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": \"CVE-1\", \"analysis\": {\"state\": "
		 "\"not_affected\", \"justification\": \"vulnerable_code_not_present\"}}]}",
		 "unknown analysis justification 'vulnerable_code_not_present'"},
		{"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": \"CVE-1\", \"analysis\": {\"state\": "
		 "\"resolved\"}, \"affects\": [{\"versions\": []}]}]}",
		 "an affects entry without a ref"},
		{"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"analysis\": {\"state\": \"resolved\"}}]}",
		 "an analysis without a vulnerability id"},
		{"{\"bomFormat\": \"SPDX\"}", "neither OpenVEX"},
		{"{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [{\"id\": \"CVE-1\\n\", \"analysis\": {\"state\": "
		 "\"fixed\"}}]}",
		 "vulnerability #1 ('CVE-1?'): analysis state 'fixed' is not one of"},
		{"[1, 2]", "neither OpenVEX"},
		{"{\"@context\": \"https://openvex.dev/ns\", ", "VEX: "},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_vex *vx = NULL;
		cs_arena a;
		cs_err err;
		int code;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_vex_new(&vx, &a, &err), 0);
		code = vx ? cs_vex_parse(vx, "v.json", cases[i].doc, strlen(cases[i].doc), &err) : -1;
		if (code != CS_EFORMAT || !strstr(err.msg, "v.json") || !strstr(err.msg, cases[i].want) ||
		    strchr(err.msg, '\n')) {
			fprintf(stderr, "  case %zu: code %d, message \"%s\", want \"%s\"\n", i, code, err.msg,
				cases[i].want);
			test_failures++;
		}
		/* a failed document leaves nothing behind */
		CHECK(!vx || cs_vex_count(vx) == 0);
		cs_arena_release(&a);
	}
}

/* --- baselines --------------------------------------------------------------- */

/* s as our own JSON report (malloc'd). */
static char *json_report(const cs_scan *s)
{
	cs_report_opts o = {false, 0, NOW};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cs_err err;

	if (!f)
		return NULL;
	cs_err_clear(&err);
	CHECK_INT(cs_report_json(f, s, &o, &err), 0);
	fclose(f);
	return text;
}

TEST(baseline_from_report)
{
	cs_scan *s = image_scan(), *t = NULL;
	cs_baseline *b = NULL;
	cs_baseline_result r;
	char *text;
	cs_err err;
	cs_package *extra;

	if (!s)
		return;
	text = json_report(s);
	CHECK(text != NULL);
	cs_err_clear(&err);
	if (!text)
		goto done;
	CHECK_INT(cs_baseline_parse(&b, cs_scan_arena(s), "before.json", text, strlen(text), &err), 0);
	if (!b)
		goto done;
	CHECK_INT(cs_baseline_count(b), 11); /* 8 vulnerabilities, 3 misconfigurations */
	/* the same scan: nothing new */
	CHECK_INT(cs_baseline_apply(b, s, &r), 0);
	CHECK_INT(r.unchanged, 11);
	CHECK_INT(r.added, 0);
	CHECK_INT(r.fixed, 0);
	CHECK_INT(count_suppressed(s), 11);
	CHECK_STR(cs_scan_vuln(s, 0)->suppressed.kind, "baseline");
	CHECK_STR(cs_scan_vuln(s, 0)->suppressed.source, "before.json");

	/* a later scan: musl upgraded (its finding fixed), a new package with a new finding */
	t = image_scan();
	if (!t)
		goto done;
	{
		cs_vuln *v = (cs_vuln *)find_vuln(t, "CVE-2019-14697", "musl");

		CHECK(v != NULL);
		if (v)
			v->id = "CVE-GONE"; /* renamed: the baseline's musl finding is gone, this one is new */
	}
	extra = add_pkg(t, "apk", "zlib", "1.2.11-r3", NULL, "pkg:apk/alpine/zlib@1.2.11-r3", "lib/apk/db/installed");
	add_vuln(t, extra, "CVE-2022-37434", "critical", "1.2.12-r2");
	((cs_misconfig *)cs_scan_misconfig(t, 1))->line = 8; /* the Dockerfile finding moved a line */
	CHECK_INT(cs_baseline_apply(b, t, &r), 0);
	CHECK_INT(r.unchanged, 9);
	CHECK_INT(r.added, 3);
	CHECK_INT(r.fixed, 2);
	CHECK_STR(suppressed_kind(t, "CVE-2022-37434", "zlib"), NULL);
	CHECK_STR(suppressed_kind(t, "CVE-2019-1563", "libssl1.1"), "baseline");
done:
	free(text);
	cs_scan_free(s);
	cs_scan_free(t);
}

TEST(baseline_errors)
{
	static const struct {
		const char *doc;
		const char *want;
	} cases[] = {
		{"{\"tool\": {\"name\": \"trivy\"}}", "baseline 'b.json': not a customs JSON report"},
		{"{\"vulnerabilities\": []}", "not a customs JSON report"},
		{"{\"tool\": {\"name\": \"customs\"}, \"vulnerabilities\": [{\"package\": {}}]}",
		 "a vulnerability without an id"},
		{"{\"tool\": {\"name\": \"customs\"}, \"secrets\": [{\"path\": \"x\"}]}", "a secret without a rule_id"},
		{"not json", "b.json"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_baseline *b = NULL;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_baseline_parse(&b, &a, "b.json", cases[i].doc, strlen(cases[i].doc), &err), CS_EFORMAT);
		if (!strstr(err.msg, cases[i].want)) {
			fprintf(stderr, "  case %zu: \"%s\", want \"%s\"\n", i, err.msg, cases[i].want);
			test_failures++;
		}
		cs_arena_release(&a);
	}
}

/* --- the whole stage --------------------------------------------------------- */

TEST(apply_show_suppressed)
{
	static const char ig[] = "vulnerabilities:\n  - {id: CVE-2019-14697, reason: accepted}\n";
	char path[256];
	cs_policy_opts o;
	cs_scan *s;
	cs_err err;

	if (!temp_file(path, sizeof(path), "ignore", ig))
		return;
	cs_policy_opts_default(&o);
	o.ignore_file = path;
	o.fail_on = "critical";
	o.now = NOW;
	cs_err_clear(&err);

	/* without --show-suppressed: gone from the lists, and it does not count */
	if ((s = image_scan())) {
		CHECK_INT(cs_policy_apply(s, &o, &err), 0);
		CHECK_INT(cs_scan_vuln_count(s), 7);
		CHECK(find_vuln(s, "CVE-2019-14697", "musl") == NULL);
		CHECK(cs_scan_policy(s) != NULL);
		if (cs_scan_policy(s)) {
			CHECK_STR(cs_scan_policy(s)->name, "gates");
			CHECK_STR(cs_scan_policy(s)->verdict, "pass");
			CHECK_INT(cs_scan_policy(s)->nhits, 0);
		}
		cs_scan_free(s);
	}
	/* with it: kept, marked, still not counted */
	o.show_suppressed = true;
	if ((s = image_scan())) {
		CHECK_INT(cs_policy_apply(s, &o, &err), 0);
		CHECK_INT(cs_scan_vuln_count(s), 8);
		CHECK_STR(suppressed_kind(s, "CVE-2019-14697", "musl"), "ignore");
		if (cs_scan_policy(s))
			CHECK_STR(cs_scan_policy(s)->verdict, "pass");
		cs_scan_free(s);
	}
	/* --severity drops what it leaves out even with --show-suppressed: nobody suppressed it */
	o.severities = "critical";
	o.fail_on = NULL;
	if ((s = image_scan())) {
		CHECK_INT(cs_policy_apply(s, &o, &err), 0);
		CHECK_INT(cs_scan_vuln_count(s), 1);
		CHECK(cs_scan_policy(s) == NULL); /* no gate, no verdict */
		cs_scan_free(s);
	}
	unlink(path);
}

TEST(apply_errors)
{
	char empty[256];
	cs_policy_opts o;
	cs_scan *s = image_scan();
	cs_err err;

	if (!s || !temp_file(empty, sizeof(empty), "ig", "")) {
		cs_scan_free(s);
		return;
	}
	cs_policy_opts_default(&o);
	o.ignore_file = "/nonexistent/.customsignore.yaml";
	cs_err_clear(&err);
	CHECK_INT(cs_policy_check(&o, &err), CS_EIO);
	CHECK(strstr(err.msg, "cannot read ignore file '/nonexistent/.customsignore.yaml'") != NULL);
	cs_policy_opts_default(&o);
	o.ignore_file = empty;
	o.severities = "high,extreme";
	cs_err_clear(&err);
	CHECK_INT(cs_policy_apply(s, &o, &err), CS_EUSAGE);
	o.severities = NULL;
	o.vex[o.nvex++] = "/nonexistent/vex.json";
	cs_err_clear(&err);
	CHECK_INT(cs_policy_check(&o, &err), CS_EIO);
	CHECK(strstr(err.msg, "cannot read VEX '/nonexistent/vex.json'") != NULL);
	o.nvex = 0;
	o.baseline = "/nonexistent/r.json";
	cs_err_clear(&err);
	CHECK_INT(cs_policy_check(&o, &err), CS_EIO);
	CHECK(strstr(err.msg, "cannot read baseline '/nonexistent/r.json'") != NULL);
	o.baseline = NULL;
	o.policy_file = "default";
	cs_err_clear(&err);
	CHECK_INT(cs_policy_check(&o, &err), 0);
	unlink(empty);
	cs_scan_free(s);
}

/* The table ends with the verdict and each rule that fired, wrapped to the width, controls made harmless. */
TEST(table_verdict)
{
	cs_policy_hit hits[2] = {
		{"no-criticals", "vulnerabilities", "severity", "stop",
		 "1 vulnerability of severity critical or above: CVE-2019-14697 in musl 1.1.23-r0"},
		{"--fail-on", "secrets", "severity", "warn", "1 secret: aws\x1b[2J in srv/app/credentials:2"},
	};
	cs_policy_result r = {"release", "fail", hits, 2};
	cs_report_opts o = {false, 60, NOW};
	cs_scan *s = image_scan();
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	cs_err err;
	const char *block;

	if (!s)
		return;
	cs_scan_set_policy(s, &r);
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	if (!f)
		goto done;
	cs_err_clear(&err);
	CHECK_INT(cs_report_table(f, s, &o, &err), 0);
	fclose(f);
	block = text ? strstr(text, "\nPolicy release: FAIL (2 rules fired)\n") : NULL;
	CHECK(block != NULL);
	if (block) {
		CHECK_STR(block + 1, "Policy release: FAIL (2 rules fired)\n"
				     "  STOP  no-criticals (vulnerabilities/severity)\n"
				     "        1 vulnerability of severity critical or above:\n"
				     "        CVE-2019-14697 in musl 1.1.23-r0\n"
				     "  WARN  --fail-on (secrets/severity)\n"
				     "        1 secret: aws [2J in srv/app/credentials:2\n");
	}
	/* a pass with no hit is one line */
	r.verdict = "pass";
	r.nhits = 0;
	cs_scan_set_policy(s, &r);
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	if (!f)
		goto done;
	CHECK_INT(cs_report_table(f, s, &o, &err), 0);
	fclose(f);
	CHECK(text && cs_str_ends(text, "\nPolicy release: PASS (0 rules fired)\n"));
done:
	free(text);
	cs_scan_free(s);
}

TEST(dates)
{
	long long d = 0, t = 0;

	CHECK(cs_pol_date("1970-01-01", &d));
	CHECK_INT(d, 0);
	CHECK(cs_pol_date("2023-11-14", &d));
	CHECK_INT(d, NOW / DAY);
	CHECK(cs_pol_date("2024-02-29", &d));
	CHECK(!cs_pol_date("2023-02-29", &d));
	CHECK(!cs_pol_date("2023-1-01", &d));
	CHECK(!cs_pol_date("2023-01-01T00:00:00Z", &d));
	CHECK(cs_pol_time("2023-11-14T22:13:20Z", &t));
	CHECK_INT(t, NOW);
	CHECK(cs_pol_time("2023-11-14T16:13:20.647787998-06:00", &t));
	CHECK_INT(t, NOW);
	CHECK(cs_pol_time("2023-11-14", &t));
	CHECK_INT(t, NOW / DAY * DAY);
	CHECK(!cs_pol_time("2023-11-14T22:13:20", &t));
	CHECK(!cs_pol_time("2023-11-14T25:13:20Z", &t));
	CHECK(!cs_pol_time("2023-11-14T22:13:20+0100", &t));
	CHECK(!cs_pol_time(NULL, &t));
}

TEST_MAIN(TEST_ENTRY(severity_list), TEST_ENTRY(fail_on_word), TEST_ENTRY(filter_severity_and_fix),
	  TEST_ENTRY(fail_on_eval), TEST_ENTRY(policy_triggers), TEST_ENTRY(policy_base_and_database),
	  TEST_ENTRY(policy_database_unmatched), TEST_ENTRY(policy_secrets), TEST_ENTRY(policy_hit_messages),
	  TEST_ENTRY(policy_anchore_params), TEST_ENTRY(policy_strict_errors), TEST_ENTRY(policy_malformed_yaml),
	  TEST_ENTRY(policy_default), TEST_ENTRY(verdict_order), TEST_ENTRY(ignore_matching),
	  TEST_ENTRY(ignore_record), TEST_ENTRY(ignore_expired), TEST_ENTRY(ignore_strict_errors),
	  TEST_ENTRY(vex_purl_matching), TEST_ENTRY(vex_openvex_fixture), TEST_ENTRY(vex_cyclonedx_fixture),
	  TEST_ENTRY(vex_statements), TEST_ENTRY(vex_override_order), TEST_ENTRY(vex_cyclonedx_refs),
	  TEST_ENTRY(vex_strict_errors), TEST_ENTRY(baseline_from_report), TEST_ENTRY(baseline_errors),
	  TEST_ENTRY(apply_show_suppressed), TEST_ENTRY(apply_errors), TEST_ENTRY(table_verdict), TEST_ENTRY(dates))
