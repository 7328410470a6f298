/*
 * test_junit.c - the JUnit XML writer (src/report/junit.c), checked by
 * tests/e2e/junitcheck.py (well-formed, the Jenkins junit-10 schema's
 * rules, counts consistent) and by string checks:
 *
 *  - one failing testcase per finding, suites grouped as the Trivy JSON
 *    groups its Results, "[SEVERITY] ID package version" names;
 *  - a passing testcase for every target without findings, secrets
 *    included, so a dashboard shows what was checked;
 *  - secrets from a real scan: one suite, the file and the layer in each
 *    failure, never the secret;
 *  - hostile names (XML metacharacters, "]]>", quotes, control characters,
 *    bytes that are not UTF-8) in names, attributes and text: still
 *    well-formed, valid UTF-8, nothing raw;
 *  - timestamps from the report time; determinism;
 *  - issue 7: a "misconfigurations" suite (a failure each), a "policy"
 *    suite (a failure per STOP hit, passing testcases with system-out for
 *    WARN and GO, the verdict), suppressed findings as skipped testcases
 *    with their reason.
 */
#include "core/compat.h"

#include "report/report.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"
#include "unit/reportfix.h"

#define GH_TOKEN "ghp_R8tYq2LmZ4xW7vN1cK9pB3sD6fH0jG5aE2uQ"

/*
 * junitcheck.py's verdict on text (its summary line, malloc'd), or NULL
 * after printing its complaints: a failure. failures < 0: any number;
 * more: further arguments ("--skipped 4 --suite policy"), or "".
 */
static char *junitcheck_with(const char *text, int failures, const char *more)
{
	char path[256], cmd[640];
	char *out = NULL;
	int status = -1;

	if (!cf_tmpfile(path, sizeof(path), "junit", ".xml"))
		return NULL;
	if (cf_write(path, text, strlen(text))) {
		if (failures >= 0)
			snprintf(cmd, sizeof(cmd), "python3 tests/e2e/junitcheck.py --failures %d %s %s", failures, more, path);
		else
			snprintf(cmd, sizeof(cmd), "python3 tests/e2e/junitcheck.py %s %s", more, path);
		out = cf_capture(cmd, &status);
	}
	unlink(path);
	if (!out || status != 0) {
		fprintf(stderr, "  junitcheck.py: %s\n", out ? out : "(did not run)");
		test_failures++;
		free(out);
		return NULL;
	}
	return out;
}

static char *junitcheck(const char *text, int failures)
{
	return junitcheck_with(text, failures, "");
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

TEST(findings)
{
	cs_scan *s = rf_fixture();
	char *x = s ? rf_write(cs_report_junit, s, NULL) : NULL, *sum;

	CHECK(x != NULL);
	if (x && (sum = junitcheck(x, (int)cs_scan_vuln_count(s))) != NULL) {
		CHECK(strstr(sum, "\"tests\": 8, \"failures\": 8") != NULL);
		free(sum);
	}
	if (x) {
		/* one suite per Trivy target: the OS, Java, Python, the deps.json, the lockfile, two binaries */
		CHECK_INT(occurrences(x, "<testsuite "), 7);
		CHECK(strstr(x, "<testsuites name=\"customs\" tests=\"8\" failures=\"8\" errors=\"0\" time=\"0\">") != NULL);
		CHECK(strstr(x, "<testsuite name=\"registry.example/app:1 (debian 12.5)\" tests=\"2\" failures=\"2\"") != NULL);
		CHECK(strstr(x, "timestamp=\"2023-11-14T22:13:20\"") != NULL);
		CHECK(strstr(x, "<testcase classname=\"var/lib/dpkg/status\" name=\"[HIGH] CVE-2023-4911 libc6 "
				"2.36-9+deb12u4\" time=\"0\">") != NULL);
		CHECK(strstr(x, "<failure message=\"glibc: buffer overflow in ld.so leading to privilege escalation\" "
				"type=\"HIGH\">") != NULL);
		CHECK(strstr(x, "Fixed version: 2.36-9+deb12u3\n") != NULL);
		CHECK(strstr(x, "Reference: https://security-tracker.debian.org/tracker/CVE-2023-4911\n") != NULL);
		/* no title: the message says what and where; negligible is LOW; no fix is said */
		CHECK(strstr(x, "name=\"[LOW] CVE-2022-3715 bash 5.2.15-2+b2\"") != NULL);
		CHECK(strstr(x, "<failure message=\"CVE-2022-3715 in bash 5.2.15-2+b2\" type=\"LOW\">") != NULL);
		CHECK(strstr(x, "Fixed version: none\n") != NULL);
		/* the aggregated kinds name each package's own file */
		CHECK(strstr(x, "classname=\"usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA\"") != NULL);
		/* no secret scanner ran: no secrets suite */
		CHECK(strstr(x, "name=\"secrets\"") == NULL);
	}
	free(x);
	cs_scan_free(s);
}

TEST(passing_targets)
{
	cs_scan *s = rf_new("scratch", "alpine", "3.19.1");
	char *x, *sum;

	if (!s)
		return;
	CHECK(rf_pkg(s, "apk", "musl", "1.2.4-r2", "lib/apk/db/installed", NULL) != NULL);
	rf_done(s);
	x = rf_write(cs_report_junit, s, NULL);
	CHECK(x != NULL);
	if (x && (sum = junitcheck(x, 0)) != NULL) {
		CHECK(strstr(sum, "\"tests\": 1, \"failures\": 0") != NULL);
		free(sum);
	}
	if (x)
		CHECK(strstr(x, "<testcase classname=\"scratch (alpine 3.19.1)\" name=\"no known vulnerabilities in 1 "
				"package\" time=\"0\"/>") != NULL);
	free(x);
	cs_scan_free(s);
}

TEST(secrets)
{
	static const cf_entry l0[] = {
		CF_DIR("app/"),
		CF_TEXT("app/token.txt", "# ci\nGITHUB_TOKEN=" GH_TOKEN "\n"),
		CF_END,
	};
	static const cf_entry l1[] = {CF_TEXT("app/.wh.token.txt", ""), CF_END};
	const cf_entry *const layers[] = {l0, l1};
	char path[256];
	cs_scan *s = rf_scan_layers(path, sizeof(path), layers, 2);
	char *x, *sum;

	if (!s)
		return;
	x = rf_write(cs_report_junit, s, NULL);
	CHECK(x != NULL);
	/* the config audit ran too (default scanners): one failure per misconfiguration as well */
	if (x && (sum = junitcheck(x, (int)(cs_scan_secret_count(s) + cs_scan_misconfig_count(s)))) != NULL) {
		CHECK(strstr(sum, "[[\"secrets\", 1, 1], [\"misconfigurations\", ") != NULL);
		free(sum);
	}
	if (x) {
		CHECK(!strstr(x, GH_TOKEN + 8));
		CHECK(strstr(x, "<testcase classname=\"/app/token.txt\" name=\"[CRITICAL] github-pat /app/token.txt:2\"") !=
		      NULL);
		CHECK(strstr(x, "Line: 2:14\n") != NULL);
		CHECK(strstr(x, "Removed in layer: 1 ") != NULL);
		/* matching did not run: no package suites, only secrets and misconfigurations */
		CHECK_INT(occurrences(x, "<testsuite "), 2);
		CHECK_INT(occurrences(x, "<testcase classname=\"") - 1, cs_scan_misconfig_count(s));
	}
	free(x);
	cs_scan_free(s);
}

TEST(no_secrets)
{
	static const cf_entry l0[] = {CF_TEXT("etc/motd", "hello\n"), CF_END};
	const cf_entry *const layers[] = {l0};
	char path[256];
	cs_scan *s = rf_scan_layers(path, sizeof(path), layers, 1);
	char *x, *sum;

	if (!s)
		return;
	x = rf_write(cs_report_junit, s, NULL);
	if (x && (sum = junitcheck(x, (int)cs_scan_misconfig_count(s))) != NULL) {
		CHECK(strstr(sum, "[[\"secrets\", 1, 0], [\"misconfigurations\", ") != NULL);
		free(sum);
	}
	CHECK(x && strstr(x, "name=\"no secrets found\"") != NULL);
	free(x);
	cs_scan_free(s);
}

/* Nothing hostile comes through raw: every metacharacter is an entity, bad bytes U+FFFD. */
static void check_clean(const char *x, size_t n)
{
	size_t i;

	CHECK(rf_utf8_valid(x, n));
	CHECK(!strstr(x, "]]>"));
	CHECK(!strstr(x, "<tag>"));
	CHECK(!strstr(x, "&b"));
	for (i = 0; i < n; i++)
		if ((unsigned char)x[i] < 0x20 && x[i] != '\n' && x[i] != '\t') {
			fprintf(stderr, "  control byte 0x%02x at %zu\n", (unsigned char)x[i], i);
			test_failures++;
			break;
		}
}

TEST(hostile_inventory)
{
	cs_scan *s = rf_hostile();
	size_t n = 0;
	char *x = s ? rf_write(cs_report_junit, s, &n) : NULL, *sum;

	CHECK(x != NULL);
	if (x) {
		check_clean(x, n);
		if ((sum = junitcheck(x, 2)) != NULL)
			free(sum);
		CHECK(strstr(x, "name=\"[CRITICAL] CVE-2024-0001 ev&quot;il&lt;&amp;&gt;&#39;\\]]&gt;") != NULL);
		CHECK(strstr(x, "message=\"title with ]]&gt; and &lt;tag&gt; &amp; &quot;quotes&quot;") != NULL);
		CHECK(strstr(x, "Reference: https://example.org/?a=1&amp;b=&lt;2&gt;\n") != NULL);
		CHECK(strstr(x, "name=\"[UNKNOWN] CVE-2024-0002]]&gt; left-pad 1.0.0\"") != NULL);
	}
	free(x);
	cs_scan_free(s);
}

/* A real file name with metacharacters and bytes that are not UTF-8, holding a secret. */
TEST(hostile_path)
{
	char root[64], path[256];
	cs_scan *s;
	size_t n = 0;
	char *x, *sum;

	if (!cf_tmpdir(root, sizeof(root), "junit"))
		return;
	snprintf(path, sizeof(path), "%s/etc/a<&\"']]>\xff.env", root);
	CHECK(cf_write(path, "GITHUB_TOKEN=" GH_TOKEN "\n", strlen("GITHUB_TOKEN=" GH_TOKEN "\n")));
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cs_scan_secret_count(s), 1);
		x = rf_write(cs_report_junit, s, &n);
		CHECK(x != NULL);
		if (x) {
			check_clean(x, n);
			if ((sum = junitcheck(x, 1)) != NULL)
				free(sum);
			CHECK(strstr(x, "classname=\"etc/a&lt;&amp;&quot;&#39;]]&gt;\xef\xbf\xbd.env\"") != NULL);
		}
		free(x);
	}
	cs_scan_free(s);
	cf_sh("rm -rf '%s'", root);
}

TEST(deterministic)
{
	cs_scan *a = rf_fixture(), *b = rf_fixture();
	char *x = a ? rf_write(cs_report_junit, a, NULL) : NULL;
	char *y = b ? rf_write(cs_report_junit, b, NULL) : NULL;

	CHECK(x && y && strcmp(x, y) == 0);
	free(x);
	free(y);
	cs_scan_free(a);
	cs_scan_free(b);
}

TEST(issue7)
{
	cs_scan *s = rf_issue7("fail");
	char *x = s ? rf_write(cs_report_junit, s, NULL) : NULL, *sum;

	CHECK(x != NULL);
	/* 5 counted vulnerabilities, 5 counted misconfigurations, the STOP hit, the failed verdict */
	if (x && (sum = junitcheck_with(x, 12, "--skipped 4 --suite misconfigurations --suite policy")) != NULL) {
		CHECK(strstr(sum, "[\"misconfigurations\", 6, 5], [\"policy\", 4, 2]]") != NULL);
		free(sum);
	}
	if (x) {
		CHECK(strstr(x, "<testsuite name=\"misconfigurations\" tests=\"6\" failures=\"5\" errors=\"0\" skipped=\"1\"") !=
		      NULL);
		CHECK(strstr(x, "<testcase classname=\"build/Dockerfile\" name=\"[HIGH] CS-DF-002 build/Dockerfile:5\"") != NULL);
		CHECK(strstr(x, "name=\"[HIGH] CS-IMG-001 config:User\"") != NULL);
		CHECK(strstr(x, "name=\"[LOW] CS-IMG-003\" time=\"0\">") != NULL);
		CHECK(strstr(x, "CIS Docker Benchmark: 4.1\n") != NULL);
		CHECK(strstr(x, "Resolution: How to fix it.\n") != NULL);
		/* skipped: the kind, the reason, the file */
		CHECK(strstr(x, "<skipped message=\"suppressed (vex): " RF_VEX_REASON " [vex/app.openvex.json]\"/>") != NULL);
		CHECK(strstr(x, "<skipped message=\"suppressed (ignore): " RF_IGNORE_REASON " [.customsignore.yaml]\"/>") !=
		      NULL);
		CHECK_INT(occurrences(x, "<skipped "), 4);
		/* the policy: STOP fails, WARN and GO pass with their message, then the verdict */
		CHECK(strstr(x, "<testsuite name=\"policy\" tests=\"4\" failures=\"2\"") != NULL);
		CHECK(strstr(x, "name=\"[STOP] no-critical (vulnerabilities/severity)\" time=\"0\">\n      <failure") != NULL);
		CHECK(strstr(x, "name=\"[WARN] base-approved (base/approved)\" time=\"0\">\n      <system-out>") != NULL);
		CHECK(strstr(x, "name=\"[GO] kev (vulnerabilities/kev)\" time=\"0\">\n      <system-out>") != NULL);
		CHECK(strstr(x, "name=\"verdict\" time=\"0\">\n      <failure message=\"the image fails the policy strict\" "
				"type=\"FAIL\">") != NULL);
		CHECK(strstr(x, "<property name=\"verdict\" value=\"fail\"/>") != NULL);
	}
	free(x);
	cs_scan_free(s);
}

/* A passing or warning verdict fails nothing: its hits and the verdict are passing testcases. */
TEST(issue7_verdicts)
{
	static const char *const verdicts[] = {"pass", "warn"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(verdicts); i++) {
		cs_scan *s = rf_issue7(verdicts[i]);
		char *x = s ? rf_write(cs_report_junit, s, NULL) : NULL, *sum;
		char want[128];

		CHECK(x != NULL);
		if (x && (sum = junitcheck_with(x, 10, "--skipped 4 --suite policy")) != NULL)
			free(sum);
		snprintf(want, sizeof(want), "<testsuite name=\"policy\" tests=\"%d\" failures=\"0\"", i == 0 ? 2 : 3);
		CHECK(x && strstr(x, want) != NULL);
		snprintf(want, sizeof(want), "name=\"verdict\" time=\"0\">\n      <system-out>Policy: strict\nVerdict: %s\n",
			 verdicts[i]);
		CHECK(x && strstr(x, want) != NULL);
		free(x);
		cs_scan_free(s);
	}
	/* no gate, no policy: no policy suite */
	{
		cs_scan *s = rf_issue7(NULL);
		char *x = s ? rf_write(cs_report_junit, s, NULL) : NULL;

		CHECK(x && !strstr(x, "name=\"policy\""));
		free(x);
		cs_scan_free(s);
	}
}

TEST(issue7_hostile)
{
	cs_scan *s = rf_hostile();
	size_t n = 0;
	char *x = s && rf_hostile7(s) ? rf_write(cs_report_junit, s, &n) : NULL, *sum;

	CHECK(x != NULL);
	if (x) {
		check_clean(x, n);
		/* one counted vulnerability (the other is suppressed), one misconfiguration, the STOP, the verdict */
		if ((sum = junitcheck_with(x, 4, "--skipped 2")) != NULL)
			free(sum);
		CHECK(strstr(x, "name=\"[CRITICAL] CS-IMG-ev&quot;il&lt;&amp;&gt;&#39;\\]]&gt;") != NULL);
		CHECK(strstr(x, "<skipped message=\"suppressed (ignore): reason ev&quot;il&lt;&amp;&gt;") != NULL);
		CHECK(strstr(x, "name=\"[STOP] ev&quot;il") != NULL);
	}
	free(x);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(findings), TEST_ENTRY(passing_targets), TEST_ENTRY(secrets), TEST_ENTRY(no_secrets),
	  TEST_ENTRY(hostile_inventory), TEST_ENTRY(hostile_path), TEST_ENTRY(deterministic), TEST_ENTRY(issue7),
	  TEST_ENTRY(issue7_verdicts), TEST_ENTRY(issue7_hostile))
