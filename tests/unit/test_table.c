/*
 * test_table.c - the human report (src/report/table.c) on a scan built in
 * memory: every line fits the width it was given, colour only when asked,
 * image-made strings cannot move the cursor or ring the terminal, and the
 * last line counts the findings by kind and severity, worst first.
 */
#include "core/compat.h"

#include "report/report.h"
#include "scan/scan.h"
#include "unit/test.h"

static cs_package *pkg(cs_scan *s, const char *name, const char *version)
{
	cs_arena *a = cs_scan_arena(s);
	cs_package *p = cs_arena_calloc(a, 1, sizeof(*p));

	p->type = "apk";
	p->name = cs_arena_strdup(a, name);
	p->version = cs_arena_strdup(a, version);
	p->source_name = p->name;
	p->source_version = p->version;
	p->layer = -1;
	cs_scan_add_package(s, p);
	return p;
}

static void vuln(cs_scan *s, const cs_package *p, const char *id, const char *sev, const char *fixed)
{
	cs_vuln *v = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*v));

	v->id = id;
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = fixed;
	v->status = fixed ? "fixed" : "affected";
	v->severity = sev;
	v->kev = -1;
	v->epss_score = v->epss_percentile = -1;
	cs_scan_add_vuln(s, v);
}

static cs_scan *sample(void)
{
	cs_scan_opts o;
	cs_scan *s = NULL;
	cs_artifact a = {0};
	cs_os os = {"alpine", "3.11.5", "Alpine Linux v3.11", NULL, "etc/os-release", -1};
	cs_package *ssl, *evil;
	cs_err err;

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	if (cs_scan_new_inventory(&s, &o, &err) < 0)
		return s;
	a.name = "sbom.cdx.json";
	a.type = "sbom";
	cs_scan_set_artifact(s, &a);
	cs_scan_set_os(s, &os);
	ssl = pkg(s, "libssl1.1", "1.1.1a-r1");
	evil = pkg(s, "evil\033[2J\a-name-that-goes-on-and-on-and-on-for-ever", "1.0\r\n-r0-and-a-very-long-tail");
	pkg(s, "musl", "1.1.23-r0");
	vuln(s, ssl, "CVE-2019-1543", "high", "1.1.1b-r1");
	vuln(s, ssl, "CVE-2019-1549", "medium", "1.1.1d-r0");
	vuln(s, evil, "GHSA-xxxx-yyyy-zzzz", "critical", NULL);
	vuln(s, evil, "CVE-2020-0001", "unknown", "2.0-a-fixed-version-that-is-much-longer-than-its-column");
	cs_scan_inventory_done(s);
	cs_scan_sort_vulns(s);
	return s;
}

static char *render(const cs_scan *s, bool color, int width, size_t *len)
{
	cs_report_opts o = {color, width, 1700000000};
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_report_table(f, s, &o, &err), 0);
	fclose(f);
	return text;
}

TEST(widths_and_safety)
{
	cs_scan *s = sample();
	size_t len, i, col = 0;
	char *text = render(s, false, 80, &len);

	CHECK(text != NULL);
	for (i = 0; text && i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			CHECK(col <= 80);
			col = 0;
			continue;
		}
		col++;
		/* no escape, bell or carriage return from the image reaches the terminal */
		CHECK(c >= 0x20 && c != 0x7f);
	}
	CHECK(text && strstr(text, "GHSA-xxxx-yyyy-zzzz")); /* 19 columns: never cut */
	CHECK(text && strstr(text, "Findings: 4 (4 vulnerabilities): CRITICAL 1, HIGH 1, MEDIUM 1, UNKNOWN 1\n"));
	CHECK(text && strstr(text, "3 with a fixed version"));
	free(text);
	cs_scan_free(s);
}

TEST(colour_only_when_asked)
{
	cs_scan *s = sample();
	size_t len;
	char *plain = render(s, false, 80, &len), *color = render(s, true, 80, &len);

	CHECK(plain && !strchr(plain, '\033'));
	CHECK(color && strstr(color, "\033[1;31mCRITICAL"));
	free(plain);
	free(color);
	cs_scan_free(s);
}

TEST(narrow_and_wide)
{
	cs_scan *s = sample();
	size_t len;
	char *narrow = render(s, false, 20, &len), *wide = render(s, false, 200, &len);

	/* below 60 columns the table keeps its 80-column layout rather than break */
	CHECK(narrow && strstr(narrow, "CVE-2019-1543"));
	/* wide: nothing cut that fits */
	CHECK(wide && strstr(wide, "2.0-a-fixed-version-that-is-much-longer-than-its-column"));
	free(narrow);
	free(wide);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(widths_and_safety), TEST_ENTRY(colour_only_when_asked), TEST_ENTRY(narrow_and_wide))
