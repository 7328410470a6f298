/*
 * test_html.c - the HTML report (src/report/html.c) on scans built here:
 *
 *  - hostile: an image whose package names, history steps, file names and
 *    findings hold "<script>", "</script>", quotes, "<!--" and bytes that
 *    are not UTF-8: the page is valid UTF-8, holds exactly its own two
 *    script elements and no comment, loads nothing (no src=, href= only on
 *    <a> links to http(s) advisories, never a javascript: reference), and
 *    the strings come back whole from the embedded JSON;
 *  - counts: the summary numbers on the page and in the data block equal
 *    the scan's; the per-layer and split counts add up; no raw secret;
 *  - the Content-Security-Policy names the page's script and style by
 *    their SHA-256, computed here independently;
 *  - an SBOM-like inventory (no layers), an empty scan, determinism, and a
 *    stream that refuses the bytes (CS_EIO);
 *  - issue 7: the verdict before the summary, the base image block and its
 *    split sentence, misconfigurations as rows of kind "config", suppressed
 *    findings marked, filterable and left out of every count; the split
 *    chart at the base image's boundary, or at the first layer, labelled
 *    as a fallback, when there is none.
 */
#include "core/compat.h"

#include "core/sha256.h"
#include "report/report.h"
#include "report/rutil.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"
#include "unit/reportfix.h"
#include "base/base.h"

#include <cJSON.h>

#define GH_TOKEN "ghp_R8tYq2LmZ4xW7vN1cK9pB3sD6fH0jG5aE2uQ"
#define HOSTILE_PKG "<script>alert(1)</script>"
#define HOSTILE_PKG2 "evil\"'<!--\xff\xfe-->"
#define HOSTILE_STEP0 "/bin/sh -c #(nop) ADD </script><!--<img src=https://evil.example/x> in / "
#define HOSTILE_STEP1 "RUN echo \"</title><script>alert(2)</script>\" \xc3\x28 # buildkit"
#define HOSTILE_FILE "app/</script><script>x.txt"

/* --- building and rendering ------------------------------------------------------------- */

/* A docker-save archive like cf_docker_write's, with a history step per layer. */
static bool docker_write_history(const char *path, const cf_entry *const *layers, const char *const *steps,
				 size_t n)
{
	cJSON *cfg = cJSON_CreateObject(), *diff_ids, *history, *man, *m, *ls;
	tarb outer, t;
	char name[64], digest[CS_DIGEST_MAX], *text;
	uint8_t *blob;
	size_t i, bn;
	bool ok = true;

	cJSON_AddStringToObject(cfg, "architecture", "amd64");
	cJSON_AddStringToObject(cfg, "os", "linux");
	diff_ids = cJSON_AddArrayToObject(cJSON_AddObjectToObject(cfg, "rootfs"), "diff_ids");
	cJSON_AddStringToObject(cJSON_GetObjectItem(cfg, "rootfs"), "type", "layers");
	history = cJSON_AddArrayToObject(cfg, "history");
	man = cJSON_CreateArray();
	m = cJSON_CreateObject();
	cJSON_AddItemToArray(man, m);
	cJSON_AddStringToObject(m, "Config", "config.json");
	cJSON_AddItemToObject(m, "RepoTags", cJSON_CreateStringArray((const char *[]){"customs-test:1"}, 1));
	ls = cJSON_AddArrayToObject(m, "Layers");
	tb_open(&outer, 'p');
	for (i = 0; i < n && ok; i++) {
		const cf_entry *e;
		cJSON *h = cJSON_CreateObject();

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++) {
			if (e->data)
				tb_entry(&t, e->path, AE_IFREG, 0644, e->data, cf_entry_len(e), NULL, NULL);
			else
				tb_dir(&t, e->path);
		}
		if (!(blob = tb_close(&t, &bn))) {
			ok = false;
			cJSON_Delete(h);
			break;
		}
		cs_sha256_buf(blob, bn, digest);
		snprintf(name, sizeof(name), "l%zu/layer.tar", i);
		tb_entry(&outer, name, AE_IFREG, 0644, blob, bn, NULL, NULL);
		free(blob);
		cJSON_AddItemToArray(diff_ids, cJSON_CreateString(digest));
		cJSON_AddItemToArray(ls, cJSON_CreateString(name));
		cJSON_AddStringToObject(h, "created_by", steps[i]);
		cJSON_AddItemToArray(history, h);
	}
	text = cJSON_PrintUnformatted(cfg);
	tb_entry(&outer, "config.json", AE_IFREG, 0644, text, strlen(text), NULL, NULL);
	free(text);
	text = cJSON_PrintUnformatted(man);
	tb_entry(&outer, "manifest.json", AE_IFREG, 0644, text, strlen(text), NULL, NULL);
	free(text);
	cJSON_Delete(cfg);
	cJSON_Delete(man);
	blob = tb_close(&outer, &bn);
	ok = ok && blob && cf_write(path, blob, bn);
	free(blob);
	CHECK(ok);
	return ok;
}

/* A vulnerability of package p, allocated from the scan's arena. */
static void add_vuln(cs_scan *s, const cs_package *p, const char *id, const char *severity, const char *fixed,
		     const char *ref, const char *title)
{
	cs_arena *a = cs_scan_arena(s);
	cs_vuln *v = cs_arena_calloc(a, 1, sizeof(*v));

	v->id = cs_arena_strdup(a, id);
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = fixed ? cs_arena_strdup(a, fixed) : NULL;
	v->status = fixed ? "fixed" : "affected";
	v->severity = cs_arena_strdup(a, severity);
	v->title = title ? cs_arena_strdup(a, title) : NULL;
	if (ref) {
		const char **refs = cs_arena_calloc(a, 1, sizeof(*refs));

		refs[0] = cs_arena_strdup(a, ref);
		v->references = refs;
		v->nreferences = 1;
	}
	v->kev = -1;
	v->epss_score = v->epss_percentile = -1;
	CHECK_INT(cs_scan_add_vuln(s, v), 0);
}

/*
 * Two layers: an Alpine base whose apk database holds hostile names, then a
 * layer with a token in a hostile file name; three findings added by hand,
 * one hostile, one with a severity no feed writes.
 */
static cs_scan *hostile_scan(void)
{
	static const cf_entry l0[] = {
		CF_TEXT("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\nNAME=\"Alpine <b>Linux</b>\"\n"),
		CF_TEXT("lib/apk/db/installed", "P:" HOSTILE_PKG "\nV:1.0-r0\nA:x86_64\n\n"
						"P:" HOSTILE_PKG2 "\nV:2.0-r0\nA:x86_64\n\n"
						"P:zlib\nV:1.3-r0\nA:x86_64\n"),
		CF_END,
	};
	static const cf_entry l1[] = {
		CF_DIR("app/"),
		CF_TEXT(HOSTILE_FILE, "GITHUB_TOKEN=" GH_TOKEN "\n"),
		CF_END,
	};
	const cf_entry *const layers[] = {l0, l1};
	const char *const steps[] = {HOSTILE_STEP0, HOSTILE_STEP1};
	/* the scan keeps the target's name as given (the command's argv): it must outlive the scan */
	static char path[256];
	const cs_package *evil, *evil2, *zlib;
	cs_scan *s = NULL;

	if (!cf_tmpfile(path, sizeof(path), "html", ".tar"))
		return NULL;
	if (docker_write_history(path, layers, steps, 2))
		s = cf_scan(path, false, 1);
	unlink(path);
	if (!s)
		return NULL;
	evil = cf_scan_find(s, "apk", NULL, HOSTILE_PKG);
	evil2 = cf_scan_find(s, "apk", NULL, HOSTILE_PKG2);
	zlib = cf_scan_find(s, "apk", NULL, "zlib");
	CHECK(evil && evil2 && zlib);
	if (!evil || !evil2 || !zlib) {
		cs_scan_free(s);
		return NULL;
	}
	add_vuln(s, evil, "CVE-2024-0001", "critical", "1.1-r0", "https://example.org/CVE-2024-0001",
		 "</script><!-- title -->");
	add_vuln(s, evil, "<script>alert(\"id\")</script>", "high", NULL, "javascript:alert(1)", NULL);
	add_vuln(s, evil2, "CVE-2024-0002", "low", "2.1-r0", NULL, NULL);
	add_vuln(s, zlib, "GHSA-aaaa-bbbb-cccc", "bogus", NULL, "https://x.example/?a=\"><script>", "\xff\xfe");
	cs_scan_sort_vulns(s);
	return s;
}

/* The page for s (malloc'd, NUL-terminated), or NULL after a failed check. */
static char *render(const cs_scan *s, long long now, size_t *len)
{
	cs_report_opts o = {false, 80, now};
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	cs_err err;

	cs_err_clear(&err);
	CHECK(f != NULL);
	if (!f)
		return NULL;
	CHECK_INT(cs_report_html(f, s, &o, &err), 0);
	fclose(f);
	if (len)
		*len = n;
	return text;
}

/* --- checks on a page ------------------------------------------------------------------- */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* True when all of p[0..n) is UTF-8. */
static bool valid_utf8(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t l = cs_rutil_utf8_len((const unsigned char *)p + i);

		if (!l)
			return false;
		i += l;
	}
	return true;
}

/*
 * Whether p is where an attribute name can be: inside a tag (the nearest
 * raw angle bracket before it is a "<") and outside its quoted values (an
 * even number of raw quotes since the "<"). Image-derived text has <, >
 * and " escaped, so in text or in a value it is never there.
 */
static bool in_tag(const char *page, const char *p)
{
	const char *q = p;
	size_t quotes = 0;

	while (q > page && *q != '<' && *q != '>')
		quotes += *q-- == '"';
	return *q == '<' && quotes % 2 == 0;
}

/*
 * Nothing loads: no src attribute, every href= on an <a> and to http(s),
 * no url( or @import, no javascript: at all.
 */
static void check_no_loads(const char *page)
{
	const char *p;

	/* "src=" in text (an escaped hostile step) is harmless; inside a tag it would load */
	for (p = page; (p = strstr(p, "src=")); p++)
		CHECK(!in_tag(page, p));
	CHECK(!strstr(page, "url("));
	CHECK(!strstr(page, "@import"));
	CHECK(!strstr(page, "javascript:alert")); /* the hostile reference is escaped text, never a link */
	for (p = page; (p = strstr(p, "href=")); p++) {
		const char *tag = p;

		CHECK(in_tag(page, p));
		while (tag > page && *tag != '<')
			tag--;
		CHECK(strncmp(tag, "<a ", 3) == 0);
		CHECK(p[5] == '"');
		CHECK(strncmp(p + 6, "https://", 8) == 0 || strncmp(p + 6, "http://", 7) == 0);
	}
}

/* "sha256-<base64>" of text, computed without html.c's code. */
static void b64_sha256(const char *text, size_t n, char out[64])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char hex[CS_DIGEST_MAX];
	unsigned char d[32];
	unsigned bits = 0, acc = 0;
	size_t i, o = 7;

	cs_sha256_buf(text, n, hex);
	for (i = 0; i < 32; i++) {
		unsigned v;

		sscanf(hex + 7 + 2 * i, "%2x", &v);
		d[i] = (unsigned char)v;
	}
	memcpy(out, "sha256-", 7);
	for (i = 0; i < 32; i++) {
		acc = acc << 8 | d[i];
		bits += 8;
		while (bits >= 6) {
			out[o++] = b64[(acc >> (bits - 6)) & 63];
			bits -= 6;
		}
	}
	out[o++] = b64[(acc << (6 - bits)) & 63];
	out[o++] = '=';
	out[o] = '\0';
}

/* The text between open (found first) and close, as a malloc'd string, or NULL. */
static char *between(const char *page, const char *open, const char *close)
{
	const char *a = strstr(page, open), *b;

	if (!a)
		return NULL;
	a += strlen(open);
	if (!(b = strstr(a, close)))
		return NULL;
	return strndup(a, (size_t)(b - a));
}

/* The CSP names the inline script and the style sheet by their hashes. */
static void check_csp(const char *page)
{
	char *js = between(page, "<script>", "</script>"), *css = between(page, "<style>", "</style>");
	char *csp = between(page, "<meta http-equiv=\"Content-Security-Policy\" content=\"", "\"");
	char want[64], clause[128];

	CHECK(js && css && csp);
	if (js && css && csp) {
		CHECK(strstr(csp, "default-src 'none'") != NULL);
		b64_sha256(js, strlen(js), want);
		snprintf(clause, sizeof(clause), "script-src '%s'", want);
		CHECK(strstr(csp, clause) != NULL);
		b64_sha256(css, strlen(css), want);
		snprintf(clause, sizeof(clause), "style-src '%s'", want);
		CHECK(strstr(csp, clause) != NULL);
		/* the policy comes before the style and the scripts it governs */
		CHECK(strstr(page, "Content-Security-Policy") < strstr(page, "<style>"));
		CHECK(!strstr(js, "eval(") && !strstr(js, "innerHTML") && !strstr(js, "new Function"));
	}
	free(js);
	free(css);
	free(csp);
}

/* The embedded data block, parsed (delete it), or NULL after a failed check. */
static cJSON *data_block(const char *page)
{
	char *raw = between(page, "<script type=\"application/json\" id=\"customs-data\">", "</script>");
	cJSON *doc;

	CHECK(raw != NULL);
	if (!raw)
		return NULL;
	CHECK(!strchr(raw, '<') && !strchr(raw, '>') && !strchr(raw, '&'));
	doc = cJSON_Parse(raw);
	CHECK(doc != NULL);
	free(raw);
	return doc;
}

static double num(const cJSON *o, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);

	if (b)
		x = cJSON_GetObjectItemCaseSensitive(x, b);
	return cJSON_IsNumber(x) ? x->valuedouble : -1;
}

/* The number the page shows as data-stat="name", or -1. */
static long stat_shown(const char *page, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "data-stat=\"%s\">", name);
	if (!(p = strstr(page, key)))
		return -1;
	return strtol(p + strlen(key), NULL, 10);
}

static int sev_of(const char *s)
{
	int i;

	for (i = 0; i < CS_RUTIL_NSEVERITIES; i++)
		if (!strcmp(s, cs_rutil_severities[i]))
			return i;
	return CS_RUTIL_NSEVERITIES - 1;
}

/*
 * Every count on the page and in the data block against the scan's: the
 * findings that count (vulnerabilities, secrets, misconfigurations, none
 * suppressed), and one table row per finding, suppressed ones included.
 */
static void check_counts(const char *page, const cJSON *data, const cs_scan *s)
{
	size_t want[CS_RUTIL_NSEVERITIES] = {0}, i, fixable = 0, nv = 0, ns = 0, nm = 0, nsup = 0;
	const cJSON *summary = cJSON_GetObjectItem(data, "summary"), *sev = cJSON_GetObjectItem(summary, "severity");
	size_t rows = cs_scan_vuln_count(s) + cs_scan_secret_count(s) + cs_scan_misconfig_count(s);

	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);

		if (v->suppressed.kind) {
			nsup++;
			continue;
		}
		nv++;
		want[sev_of(v->severity)]++;
		fixable += v->fixed_version != NULL;
	}
	for (i = 0; i < cs_scan_secret_count(s); i++) {
		if (cs_scan_secret(s, i)->suppressed.kind) {
			nsup++;
			continue;
		}
		ns++;
		want[sev_of(cs_scan_secret(s, i)->severity)]++;
	}
	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		if (cs_scan_misconfig(s, i)->suppressed.kind) {
			nsup++;
			continue;
		}
		nm++;
		want[sev_of(cs_scan_misconfig(s, i)->severity)]++;
	}
	for (i = 0; i < CS_RUTIL_NSEVERITIES; i++) {
		CHECK_INT(stat_shown(page, cs_rutil_severities[i]), want[i]);
		CHECK_INT(num(sev, cs_rutil_severities[i], NULL), want[i]);
	}
	CHECK_INT(stat_shown(page, "findings"), nv + ns + nm);
	CHECK_INT(num(summary, "findings", NULL), nv + ns + nm);
	CHECK_INT(stat_shown(page, "packages"), cs_scan_package_count(s));
	CHECK_INT(num(summary, "packages", NULL), cs_scan_package_count(s));
	if (cs_scan_matched(s)) {
		CHECK_INT(stat_shown(page, "vulnerabilities"), nv);
		CHECK_INT(stat_shown(page, "fixable"), fixable);
	} else {
		CHECK_INT(stat_shown(page, "vulnerabilities"), -1); /* "not scanned", not 0 */
	}
	if (cs_scan_secrets_ran(s))
		CHECK_INT(stat_shown(page, "secrets"), ns);
	if (cs_scan_config_ran(s))
		CHECK_INT(stat_shown(page, "misconfigurations"), nm);
	else
		CHECK_INT(stat_shown(page, "misconfigurations"), -1);
	CHECK_INT(stat_shown(page, "suppressed"), nsup ? (long long)nsup : -1);
	CHECK_INT(num(summary, "vulnerabilities", NULL), nv);
	CHECK_INT(num(summary, "fixable", NULL), fixable);
	CHECK_INT(num(summary, "secrets", NULL), ns);
	CHECK_INT(num(summary, "misconfigurations", NULL), nm);
	CHECK_INT(num(summary, "suppressed", NULL), nsup);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(data, "findings")), rows);
	/* one table row per finding, suppressed ones marked */
	CHECK_INT(count(page, "<tr data-sev=") + count(page, "<tr class=\"sup\" data-sev="), rows);
	CHECK_INT(count(page, "data-sup=\"1\""), nsup);
}

/* Whether the data block's findings hold a finding whose key is value. */
static bool finding_has(const cJSON *data, const char *key, const char *value)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, cJSON_GetObjectItem(data, "findings"))
	{
		const cJSON *x = cJSON_GetObjectItemCaseSensitive(f, key);

		if (cJSON_IsString(x) && !strcmp(x->valuestring, value))
			return true;
	}
	return false;
}

/* --- tests ------------------------------------------------------------------------------ */

TEST(hostile)
{
	cs_scan *s = hostile_scan();
	const cJSON *layers, *split, *l;
	cJSON *data;
	size_t len, i, per_layer = 0;
	char *page;

	if (!s)
		return;
	CHECK_INT(cs_scan_layer_count(s), 2);
	CHECK(cs_scan_secret_count(s) >= 1);
	if (!(page = render(s, 1700000000, &len))) {
		cs_scan_free(s);
		return;
	}
	CHECK(valid_utf8(page, len));
	CHECK_INT(strlen(page), len); /* no NUL */
	/* only the page's own two script elements, no comment, nothing hostile as markup */
	CHECK_INT(count(page, "<script"), 2);
	CHECK_INT(count(page, "</script"), 2);
	CHECK_INT(count(page, "<!--"), 0);
	CHECK_INT(count(page, "<img"), 0);
	CHECK_INT(count(page, "<b>"), 0);
	CHECK(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(page, "&lt;/script&gt;&lt;!--&lt;img src=https://evil.example/x&gt;") != NULL);
	/* quotes escaped, the bytes that are not UTF-8 made U+FFFD */
	CHECK(strstr(page, "evil&quot;&#39;&lt;!--\xef\xbf\xbd\xef\xbf\xbd--&gt;") != NULL);
	CHECK(strstr(page, "app/&lt;/script&gt;&lt;script&gt;x.txt") != NULL);
	CHECK(strstr(page, "Alpine &lt;b&gt;Linux&lt;/b&gt;") != NULL);
	check_no_loads(page);
	check_csp(page);
	/* a link to the advisory; the javascript: reference stays text */
	CHECK(strstr(page, "<a rel=\"noopener noreferrer\" href=\"https://example.org/CVE-2024-0001\">") != NULL);
	CHECK(strstr(page, "href=\"https://x.example/?a=&quot;&gt;&lt;script&gt;\"") != NULL);
	/* the token never, its redacted match yes */
	CHECK(strstr(page, GH_TOKEN) == NULL);
	CHECK(strstr(page, GH_TOKEN + 12) == NULL);
	CHECK(strstr(page, "ghp_") != NULL);
	data = data_block(page);
	if (data) {
		check_counts(page, data, s);
		/* hostile strings come back whole through the JSON escapes */
		CHECK(finding_has(data, "package", HOSTILE_PKG));
		CHECK(finding_has(data, "package", "evil\"'<!--\xef\xbf\xbd\xef\xbf\xbd-->"));
		CHECK(finding_has(data, "id", "<script>alert(\"id\")</script>"));
		CHECK(finding_has(data, "path", HOSTILE_FILE));
		CHECK(finding_has(data, "severity", "unknown")); /* "bogus" */
		CHECK(finding_has(data, "url", "https://example.org/CVE-2024-0001"));
		CHECK(!finding_has(data, "url", "javascript:alert(1)"));
		layers = cJSON_GetObjectItem(data, "layers");
		CHECK_INT(cJSON_GetArraySize(layers), 2);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(layers, 0), "step")),
			  "ADD </script><!--<img src=https://evil.example/x> in / ");
		/* the invalid byte of the step arrives as U+FFFD */
		CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(layers, 1), "step")),
			     "\xef\xbf\xbd(") != NULL);
		cJSON_ArrayForEach(l, layers)
		{
			for (i = 0; i < CS_RUTIL_NSEVERITIES; i++)
				per_layer += (size_t)num(l, "severity", cs_rutil_severities[i]);
		}
		split = cJSON_GetObjectItem(data, "split");
		/* the base assessment finds the boundary after layer 0 (the history's first step): the real split */
		CHECK(cs_scan_base(s) && cs_scan_base(s)->last_layer == 0);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(split, "basis")), "base-image");
		CHECK_INT(num(split, "base_layers", NULL), 1);
		/* vulnerabilities in layer 0 (4), the token in layer 1 */
		CHECK_INT(num(split, "base", "critical") + num(split, "base", "high") + num(split, "base", "low") +
				  num(split, "base", "unknown"),
			  4);
		CHECK_INT(num(split, "later", "critical") + num(split, "later", "high"), cs_scan_secret_count(s));
		CHECK_INT(per_layer, cs_scan_vuln_count(s) + cs_scan_secret_count(s));
		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(data, "top_packages")), 3);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(
				  cJSON_GetArrayItem(cJSON_GetObjectItem(data, "top_packages"), 0), "name")),
			  HOSTILE_PKG);
		cJSON_Delete(data);
	}
	free(page);
	cs_scan_free(s);
}

/* Equal scans and equal times give equal bytes; the time is the one given. */
TEST(deterministic)
{
	cs_scan *s = hostile_scan();
	char *a, *b;
	size_t na = 0, nb = 0;

	if (!s)
		return;
	a = render(s, 1700000000, &na);
	b = render(s, 1700000000, &nb);
	CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
	CHECK(a && strstr(a, "<time datetime=\"2023-11-14T22:13:20Z\">") != NULL);
	free(a);
	free(b);
	cs_scan_free(s);
}

/* An SBOM's inventory: no layers, a hostile artifact name, one vulnerability. */
TEST(inventory)
{
	cs_scan_opts opts;
	cs_scan *s = NULL;
	cs_err err;
	cs_artifact a;
	cs_package *p;
	cJSON *data;
	char *page;

	cs_scan_opts_default(&opts);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &opts, &err), 0);
	if (!s)
		return;
	memset(&a, 0, sizeof(a));
	a.name = "</script><script>alert(1)</script>\"'.cdx.json";
	a.type = "sbom";
	cs_scan_set_artifact(s, &a);
	p = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*p));
	p->type = "npm";
	p->name = "left-pad";
	p->version = "1.0.0";
	p->layer = -1;
	CHECK_INT(cs_scan_add_package(s, p), 0);
	cs_scan_inventory_done(s);
	add_vuln(s, p, "GHSA-1111-2222-3333", "medium", "1.0.1", "https://github.com/advisories/GHSA-1111-2222-3333",
		 NULL);
	cs_scan_sort_vulns(s);
	if ((page = render(s, 0, NULL))) {
		CHECK_INT(count(page, "<script"), 2);
		CHECK(strstr(page, "<title>customs: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;") !=
		      NULL);
		CHECK(strstr(page, "Whole SBOM") != NULL);
		CHECK(strstr(page, "First layer") == NULL); /* no split without layers */
		CHECK(strstr(page, ">-</td>") != NULL);     /* the layer cell */
		check_no_loads(page);
		if ((data = data_block(page))) {
			check_counts(page, data, s);
			CHECK(cJSON_IsNull(cJSON_GetObjectItem(data, "split")));
			CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(data, "layers")), 0);
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "artifact"), "name")),
				  a.name);
			cJSON_Delete(data);
		}
		free(page);
	}
	cs_scan_free(s);
}

/* Nothing scanned for, nothing found: "not scanned" rather than zero, no table. */
TEST(empty)
{
	cs_scan_opts opts;
	cs_scan *s = NULL;
	cs_err err;
	cJSON *data;
	char *page;

	cs_scan_opts_default(&opts);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &opts, &err), 0);
	if (!s)
		return;
	cs_scan_inventory_done(s);
	if ((page = render(s, 0, NULL))) {
		CHECK(strstr(page, "No findings.") != NULL);
		CHECK(strstr(page, "id=\"findings\"") == NULL);
		CHECK(strstr(page, "Vulnerabilities (not scanned)") != NULL);
		CHECK(strstr(page, "No package has a known vulnerability.") != NULL);
		CHECK_INT(count(page, "<script"), 2);
		if ((data = data_block(page))) {
			check_counts(page, data, s);
			CHECK(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "scanned"), "vulnerabilities")));
			cJSON_Delete(data);
		}
		free(page);
	}
	cs_scan_free(s);
}

/* A stream that refuses the bytes: CS_EIO with a message. */
TEST(write_error)
{
	cs_scan_opts opts;
	cs_scan *s = NULL;
	cs_err err;
	cs_report_opts o = {false, 80, 0};
	FILE *f = fopen("/dev/full", "w");

	if (!f) {
		fprintf(stderr, "  no /dev/full: skipped\n");
		return;
	}
	setvbuf(f, NULL, _IONBF, 0);
	cs_scan_opts_default(&opts);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &opts, &err), 0);
	if (s) {
		cs_scan_inventory_done(s);
		CHECK_INT(cs_report_html(f, s, &o, &err), CS_EIO);
		CHECK(err.msg[0] != '\0');
	}
	fclose(f);
	cs_scan_free(s);
}

/* Where needle first occurs in page, or the page's end. */
static size_t at(const char *page, const char *needle)
{
	const char *p = strstr(page, needle);

	return p ? (size_t)(p - page) : strlen(page);
}

TEST(issue7)
{
	cs_scan *s = rf_issue7("fail");
	cs_base_split sp;
	cJSON *data;
	char *page, want[160];
	const cJSON *f;
	size_t nvex = 0;

	if (!s || !(page = render(s, RF_NOW, NULL))) {
		cs_scan_free(s);
		return;
	}
	check_no_loads(page);
	check_csp(page);
	/* the verdict first, in words and colour, with every rule that fired */
	CHECK(strstr(page, "data-verdict=\"fail\"") != NULL);
	CHECK(at(page, "data-verdict=") < at(page, "id=\"h-summary\""));
	CHECK(strstr(page, "<span class=\"badge v-fail\">FAIL</span>") != NULL);
	CHECK(strstr(page, "<span class=\"badge a-stop\">STOP</span> <code>no-critical</code>") != NULL);
	CHECK(strstr(page, "<span class=\"badge a-warn\">WARN</span> <code>base-approved</code>") != NULL);
	CHECK(strstr(page, "<span class=\"badge a-go\">GO</span> <code>kev</code>") != NULL);
	/* the base image, after the summary: name, approval, end of life, the split */
	CHECK(at(page, "id=\"h-summary\"") < at(page, "id=\"h-base\""));
	CHECK(strstr(page, "<code>debian:12-slim</code>") != NULL);
	CHECK(strstr(page, "catalog, approved") != NULL);
	CHECK(strstr(page, "<span data-eol=\"false\">supported</span> until 2028-06-30") != NULL);
	cs_base_split_vulns(s, cs_scan_base(s), &sp);
	snprintf(want, sizeof(want), "<strong>%zu of %zu vulnerabilities come from the base</strong>; rebuilding on a "
		 "patched base fixes %zu.", sp.base, sp.base + sp.application, sp.fixed_by_rebuild);
	CHECK(strstr(page, want) != NULL);
	/* misconfigurations: their kind's box, their rows; suppressed rows: the status boxes */
	CHECK(strstr(page, "value=\"kind:config\" checked> Misconfigurations (6)") != NULL);
	CHECK(strstr(page, "value=\"sup:1\" checked> Suppressed (4)") != NULL);
	CHECK(strstr(page, "value=\"sup:0\" checked> Counted (10)") != NULL);
	CHECK_INT(count(page, "data-kind=\"config\""), 6);
	CHECK_INT(count(page, "<tr class=\"sup\""), 4);
	CHECK(strstr(page, "<td>build/Dockerfile:5</td>") != NULL);
	CHECK(strstr(page, "<span class=\"tag\">suppressed: vex</span>") != NULL);
	CHECK(strstr(page, RF_VEX_REASON " (vex/app.openvex.json)") != NULL);
	CHECK(strstr(page, "data-stat=\"suppressed\">4<") != NULL);
	if ((data = data_block(page))) {
		check_counts(page, data, s);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "policy"), "verdict")), "fail");
		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "policy"), "hits")), 3);
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "base"), "name")),
			  "debian:12-slim");
		CHECK_INT(num(cJSON_GetObjectItem(data, "base"), "vulnerabilities", "base"), sp.base);
		CHECK(finding_has(data, "kind", "misconfiguration"));
		CHECK(finding_has(data, "dockerfile", "build/Dockerfile"));
		cJSON_ArrayForEach(f, cJSON_GetObjectItem(data, "findings"))
			nvex += cf_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "suppressed"), "kind")),
					  "vex");
		CHECK_INT(nvex, 2);
		cJSON_Delete(data);
	}
	free(page);
	cs_scan_free(s);
}

/* PASS and WARN in their words; no gate or policy: no verdict at all. */
TEST(issue7_verdicts)
{
	static const char *const v[][2] = {{"pass", "PASS"}, {"warn", "WARN"}};
	char want[96], *page;
	cs_scan *s;
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(v); i++) {
		if (!(s = rf_issue7(v[i][0])))
			continue;
		if ((page = render(s, RF_NOW, NULL))) {
			snprintf(want, sizeof(want), "<span class=\"badge v-%s\">%s</span>", v[i][0], v[i][1]);
			CHECK(strstr(page, want) != NULL);
			CHECK(!strstr(page, "fails the policy"));
			free(page);
		}
		cs_scan_free(s);
	}
	if ((s = rf_issue7(NULL)) && (page = render(s, RF_NOW, NULL))) {
		CHECK(!strstr(page, "data-verdict="));
		CHECK(!strstr(page, "Policy verdict"));
		free(page);
	}
	cs_scan_free(s);
}

/* The split chart: at the base image's boundary when the assessment found one, else at the first layer, so labelled. */
TEST(issue7_split)
{
	cs_scan *s = hostile_scan();
	cs_base b;
	cJSON *data;
	char *page;

	if (!s)
		return;
	memset(&b, 0, sizeof(b));
	b.method = "history";
	b.last_layer = 1;
	b.eol = -1;
	cs_scan_set_base(s, &b);
	if ((page = render(s, RF_NOW, NULL))) {
		CHECK(strstr(page, "Base image and application") != NULL);
		CHECK(strstr(page, "Base image (#0 to #1)") != NULL);
		CHECK(!strstr(page, "Application (#"));
		CHECK(strstr(page, "Every layer is the base image's.") != NULL);
		CHECK(strstr(page, "<span data-eol=\"unknown\">unknown</span>") != NULL);
		CHECK(strstr(page, "<dd>unknown</dd>") != NULL); /* no name */
		if ((data = data_block(page))) {
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "split"), "basis")),
				  "base-image");
			CHECK_INT(num(cJSON_GetObjectItem(data, "split"), "base_layers", NULL), 2);
			cJSON_Delete(data);
		}
		free(page);
	}
	b.last_layer = -1;
	cs_scan_set_base(s, &b);
	if ((page = render(s, RF_NOW, NULL))) {
		CHECK(strstr(page, "First layer and later layers") != NULL);
		CHECK(strstr(page, "found no base image boundary") != NULL);
		CHECK(strstr(page, "Later layers (#1)") != NULL);
		CHECK(!strstr(page, "vulnerabilities come from the base")); /* no boundary, no split sentence */
		if ((data = data_block(page))) {
			CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "split"), "basis")),
				  "first-layer");
			cJSON_Delete(data);
		}
		free(page);
	}
	cs_scan_free(s);
}

TEST(issue7_hostile)
{
	cs_scan *s = rf_hostile();
	cJSON *data;
	size_t len = 0;
	char *page;

	if (!s || !rf_hostile7(s) || !(page = render(s, RF_NOW, &len))) {
		cs_scan_free(s);
		return;
	}
	CHECK(valid_utf8(page, len));
	CHECK_INT(count(page, "<script"), 2);
	CHECK_INT(count(page, "<!--"), 0);
	CHECK(!strstr(page, "<&>"));
	CHECK(!strstr(page, "<Dockerfile>"));
	check_no_loads(page);
	CHECK(strstr(page, "<span class=\"badge eol\" data-eol=\"true\">END OF LIFE</span> support ended 2020-01-01&lt;") !=
	      NULL);
	if ((data = data_block(page))) {
		check_counts(page, data, s);
		CHECK(finding_has(data, "dockerfile", "dir with space/\xef\xbf\xbd<Dockerfile>&\"'"));
		CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(data, "base"), "name")),
			  "ev\"il<&>'\\]]>\x01\x1b[31m\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(");
		cJSON_Delete(data);
	}
	free(page);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(hostile), TEST_ENTRY(deterministic), TEST_ENTRY(inventory), TEST_ENTRY(empty),
	  TEST_ENTRY(write_error), TEST_ENTRY(issue7), TEST_ENTRY(issue7_verdicts), TEST_ENTRY(issue7_split),
	  TEST_ENTRY(issue7_hostile))
