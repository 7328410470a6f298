/*
 * test_osv.c - the OSV importer (src/vulndb/osv.c) and ecosystem names
 * (src/vulndb/names.c), without the store: records go to a sink that
 * copies them for the checks.
 *
 * Real data: the complete Go vulnerability database, PyPA's YAML and
 * RustSec (test-data/vulndb). Their totals were counted independently
 * with Python's json and PyYAML (BaseLoader: every scalar a string) and
 * OSV's pairing of events, and are the oracle here.
 */
#include "core/compat.h"
#include "vulndb/import.h"
#include "core/arena.h"

#include <dirent.h>
#include <sys/stat.h>

#include "unit/test.h"

/* ---- a sink that keeps deep copies ---------------------------------------- */

typedef struct collect {
	cs_arena a;
	cs_vdb_advisory *adv; /* malloc'd array */
	size_t n, cap;
	char bad_file[8][256];
	char bad_why[8][512];
	size_t nbad;
	int fail_with; /* advisory() returns this when non-zero */
} collect;

static const char *sdup(cs_arena *a, const char *s)
{
	return s ? cs_arena_strdup(a, s) : NULL;
}

static const char *const *sdup_list(cs_arena *a, const char *const *v, size_t n)
{
	const char **o = n ? cs_arena_calloc(a, n, sizeof(*o)) : NULL;
	size_t i;

	for (i = 0; i < n; i++)
		o[i] = sdup(a, v[i]);
	return o;
}

static int collect_advisory(void *payload, const cs_vdb_advisory *in, cs_err *err)
{
	collect *c = payload;
	cs_vdb_advisory *o;
	cs_vdb_affected *af;
	cs_vdb_cvss *cv;
	size_t i, j;

	if (c->fail_with)
		return cs_err_set(err, c->fail_with, "sink refused '%s'", in->id);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->adv = realloc(c->adv, c->cap * sizeof(*c->adv));
	}
	o = &c->adv[c->n++];
	*o = *in;
	o->id = sdup(&c->a, in->id);
	o->summary = sdup(&c->a, in->summary);
	o->details = sdup(&c->a, in->details);
	o->published = sdup(&c->a, in->published);
	o->modified = sdup(&c->a, in->modified);
	o->withdrawn = sdup(&c->a, in->withdrawn);
	o->severity = sdup(&c->a, in->severity);
	o->file = sdup(&c->a, in->file);
	o->aliases = sdup_list(&c->a, in->aliases, in->naliases);
	o->references = sdup_list(&c->a, in->references, in->nreferences);
	cv = in->ncvss ? cs_arena_calloc(&c->a, in->ncvss, sizeof(*cv)) : NULL;
	for (i = 0; i < in->ncvss; i++) {
		cv[i] = in->cvss[i];
		cv[i].version = sdup(&c->a, in->cvss[i].version);
		cv[i].vector = sdup(&c->a, in->cvss[i].vector);
		cv[i].source = sdup(&c->a, in->cvss[i].source);
	}
	o->cvss = cv;
	af = in->naffected ? cs_arena_calloc(&c->a, in->naffected, sizeof(*af)) : NULL;
	for (i = 0; i < in->naffected; i++) {
		const cs_vdb_affected *f = &in->affected[i];
		cs_vdb_range *r = f->nranges ? cs_arena_calloc(&c->a, f->nranges, sizeof(*r)) : NULL;

		af[i] = *f;
		af[i].ecosystem = sdup(&c->a, f->ecosystem);
		af[i].package = sdup(&c->a, f->package);
		af[i].status = sdup(&c->a, f->status);
		af[i].severity = sdup(&c->a, f->severity);
		af[i].versions = sdup_list(&c->a, f->versions, f->nversions);
		for (j = 0; j < f->nranges; j++) {
			r[j].introduced = sdup(&c->a, f->ranges[j].introduced);
			r[j].fixed = sdup(&c->a, f->ranges[j].fixed);
			r[j].last_affected = sdup(&c->a, f->ranges[j].last_affected);
			r[j].limit = sdup(&c->a, f->ranges[j].limit);
		}
		af[i].ranges = r;
	}
	o->affected = af;
	return 0;
}

static int collect_kev(void *payload, const cs_vdb_kev *k, cs_err *err)
{
	CS_UNUSED(payload);
	CS_UNUSED(k);
	CS_UNUSED(err);
	return 0;
}

static int collect_epss(void *payload, const cs_vdb_epss *e, cs_err *err)
{
	CS_UNUSED(payload);
	CS_UNUSED(e);
	CS_UNUSED(err);
	return 0;
}

static void collect_bad(void *payload, const char *file, const char *why)
{
	collect *c = payload;

	if (c->nbad < 8) {
		snprintf(c->bad_file[c->nbad], sizeof(c->bad_file[0]), "%s", file);
		snprintf(c->bad_why[c->nbad], sizeof(c->bad_why[0]), "%s", why);
	}
	c->nbad++;
}

static void collect_init(collect *c)
{
	memset(c, 0, sizeof(*c));
	cs_arena_init(&c->a);
}

static void collect_release(collect *c)
{
	cs_arena_release(&c->a);
	free(c->adv);
	memset(c, 0, sizeof(*c));
}

/* Runs the importer over text as a file called name; returns its code. */
static int run_text(collect *c, const char *name, const char *text)
{
	cs_vdb_sink sink = {collect_advisory, collect_kev, collect_epss, collect_bad, c};
	cs_arena scratch;
	cs_err err;
	int code;

	cs_arena_init(&scratch);
	cs_err_clear(&err);
	code = cs_importer_osv.import(name, (const uint8_t *)text, strlen(text), &sink, &scratch, &err);
	cs_arena_release(&scratch);
	return code;
}

static bool detect(const char *name, const char *text)
{
	return cs_importer_osv.detect(name, (const uint8_t *)text, strlen(text));
}

/* The ranges of affected entry f as "intro..fixed", "intro..=last", "intro.." joined by ' ', "<lim" appended. */
static const char *ranges_str(char *buf, size_t sz, const cs_vdb_affected *f)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < f->nranges && n < sz; i++) {
		const cs_vdb_range *r = &f->ranges[i];

		n += (size_t)snprintf(buf + n, sz - n, "%s%s..%s%s%s%s", i ? " " : "", r->introduced ? r->introduced : "",
				      r->last_affected ? "=" : "",
				      r->fixed ? r->fixed : r->last_affected ? r->last_affected : "", r->limit ? "<" : "",
				      r->limit ? r->limit : "");
	}
	return buf;
}

static bool contains(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

/* ---- detection ------------------------------------------------------------- */

TEST(detect_json)
{
	CHECK(detect("GO-2022-0969.json", "{\n  \"schema_version\": \"1.3.1\",\n  \"id\": \"GO-2022-0969\","));
	CHECK(detect("x.json", "\xef\xbb\xbf {\"id\": \"A\", \"modified\": \"x\"}"));
	CHECK(detect("x.JSON", "[{\"id\": \"A\", \"affected\": []}]"));
	/* a details text of more than the head: id and summary are enough */
	CHECK(detect("x.json", "{\"id\":\"GHSA-1\",\"summary\":\"s\",\"details\":\"very long"));
	/* keys below the top level do not count: NVD's cve.id */
	CHECK(!detect("nvdcve.json",
		      "{\"resultsPerPage\":1,\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-1\",\"published\":\"x\"}}]}"));
	CHECK(!detect("x.json", "{\"id\": \"A\"}"));
	CHECK(!detect("x.json", "{\"modified\": \"x\", \"nested\": {\"id\": \"A\"}}"));
	CHECK(!detect("x.json", "{\"k\": \"\\\"id\\\": \", \"modified\": \"x\"}"));
	CHECK(!detect("x.txt", "{\"id\": \"A\", \"modified\": \"x\"}"));
	CHECK(!detect("x.json", "id: A"));
	CHECK(!detect("x.json", ""));
}

TEST(detect_yaml)
{
	CHECK(detect("PYSEC-2021-335.yaml", "id: PYSEC-2021-335\ndetails: x\n"));
	CHECK(detect("a.yml", "---\nmodified: x\nid: A\n"));
	/* ruby-advisory-db: no top-level id */
	CHECK(!detect("CVE-2020-1.yml", "---\ngem: rack\ncve: 2020-1\nurl: x\n"));
	CHECK(!detect("a.yaml", "x:\n  id: nested\n"));
	CHECK(!detect("a.json", "id: A\n"));
}

/* ---- real records, field by field -------------------------------------------- */

static char *fixture(const char *rel, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/test-data/vulndb/%s", test_shared(), rel);
	return test_read_file(path, len);
}

TEST(go_record)
{
	collect c;
	size_t len;
	char *text = fixture("osv-go/GO-2022-0969.json", &len), buf[256];
	const cs_vdb_advisory *a;

	CHECK(text != NULL);
	if (!text)
		return;
	collect_init(&c);
	CHECK_INT(run_text(&c, "GO-2022-0969.json", text), 0);
	CHECK_INT(c.nbad, 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		a = &c.adv[0];
		CHECK_STR(a->id, "GO-2022-0969");
		CHECK_STR(a->file, "GO-2022-0969.json");
		CHECK_STR(a->summary, "Denial of service in net/http and golang.org/x/net/http2");
		CHECK(contains(a->details, "HTTP/2 server connections can hang forever"));
		CHECK_STR(a->published, "2022-09-12T20:23:06Z");
		CHECK_STR(a->modified, "0001-01-01T00:00:00Z");
		CHECK_STR(a->withdrawn, NULL);
		CHECK_STR(a->severity, NULL);
		CHECK_INT(a->naliases, 2);
		if (a->naliases == 2) {
			CHECK_STR(a->aliases[0], "CVE-2022-27664");
			CHECK_STR(a->aliases[1], "GHSA-69cg-p879-7622");
		}
		CHECK_INT(a->ncvss, 0);
		CHECK_INT(a->nreferences, 3);
		if (a->nreferences == 3) {
			CHECK_STR(a->references[0], "https://groups.google.com/g/golang-announce/c/x49AQzIVX-s");
			CHECK_STR(a->references[2], "https://go.dev/cl/428735");
		}
		CHECK_INT(a->naffected, 2);
		if (a->naffected == 2) {
			CHECK_STR(a->affected[0].ecosystem, "Go");
			CHECK_STR(a->affected[0].package, "stdlib");
			CHECK_STR(a->affected[0].status, NULL);
			CHECK_STR(ranges_str(buf, sizeof(buf), &a->affected[0]), "0..1.18.6 1.19.0-0..1.19.1");
			CHECK_INT(a->affected[0].nversions, 0);
			CHECK_STR(a->affected[1].package, "golang.org/x/net");
			CHECK_STR(ranges_str(buf, sizeof(buf), &a->affected[1]), "0..0.0.0-20220906165146-f3363e06e74c");
		}
	}
	collect_release(&c);
	free(text);
}

TEST(pypa_yaml_record)
{
	collect c;
	size_t len;
	char *text = fixture("osv-pypi-yaml/accesscontrol/PYSEC-2021-335.yaml", &len), buf[256];
	const cs_vdb_advisory *a;

	CHECK(text != NULL);
	if (!text)
		return;
	collect_init(&c);
	CHECK_INT(run_text(&c, "accesscontrol/PYSEC-2021-335.yaml", text), 0);
	CHECK_INT(c.nbad, 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		a = &c.adv[0];
		CHECK_STR(a->id, "PYSEC-2021-335");
		CHECK(contains(a->details, "The module `AccessControl` defines security policies"));
		/* a folded plain scalar: lines joined by one space */
		CHECK(contains(a->details, "used in restricted code within Zope applications."));
		CHECK_STR(a->summary, NULL);
		CHECK_STR(a->modified, "2021-09-26T23:32:08.989778Z");
		CHECK_STR(a->published, "2021-07-30T22:15:00Z");
		CHECK_INT(a->naliases, 2);
		if (a->naliases == 2) {
			CHECK_STR(a->aliases[0], "CVE-2021-32807");
			CHECK_STR(a->aliases[1], "GHSA-qcx9-j53g-ccgf");
		}
		CHECK_INT(a->nreferences, 3);
		CHECK_INT(a->naffected, 1);
		if (a->naffected == 1) {
			const cs_vdb_affected *f = &a->affected[0];

			CHECK_STR(f->ecosystem, "PyPI");
			CHECK_STR(f->package, "accesscontrol");
			/* the GIT range is dropped; the ECOSYSTEM one pairs into two */
			CHECK_STR(ranges_str(buf, sizeof(buf), f), "4.0..4.3 5.0..5.2");
			CHECK_INT(f->nversions, 5);
			if (f->nversions == 5) {
				CHECK_STR(f->versions[0], "4.0");
				CHECK_STR(f->versions[4], "5.1");
			}
		}
	}
	collect_release(&c);
	free(text);
}

TEST(rustsec_record)
{
	collect c;
	size_t len;
	char *text = fixture("osv-crates/RUSTSEC-2016-0001.json", &len), buf[128];
	const cs_vdb_advisory *a;

	CHECK(text != NULL);
	if (!text)
		return;
	collect_init(&c);
	CHECK_INT(run_text(&c, "RUSTSEC-2016-0001.json", text), 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		a = &c.adv[0];
		CHECK_INT(a->ncvss, 1);
		if (a->ncvss == 1) {
			CHECK_STR(a->cvss[0].version, "3.0");
			CHECK_STR(a->cvss[0].vector, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
			CHECK(a->cvss[0].score < 0);
		}
		CHECK_INT(a->naffected, 1);
		if (a->naffected == 1) {
			CHECK_STR(a->affected[0].ecosystem, "crates.io");
			CHECK_STR(a->affected[0].package, "openssl");
			CHECK_STR(ranges_str(buf, sizeof(buf), &a->affected[0]), "0.0.0-0..0.9.0");
			CHECK_INT(a->affected[0].nversions, 0);
		}
	}
	collect_release(&c);
	free(text);
}

/* ---- events -> ranges --------------------------------------------------------------- */

static const struct {
	const char *events; /* the JSON array */
	const char *want;   /* ranges_str, or NULL: the record is bad */
	const char *why;    /* ... and the reason contains this */
} event_cases[] = {
	{"[{\"introduced\":\"0\"},{\"fixed\":\"1.2\"}]", "0..1.2", NULL},
	{"[{\"introduced\":\"1\"},{\"last_affected\":\"2\"}]", "1..=2", NULL},
	{"[{\"introduced\":\"1\"}]", "1..", NULL},
	{"[{\"introduced\":\"1\"},{\"introduced\":\"2\"},{\"fixed\":\"3\"}]", "1..3", NULL},
	{"[{\"introduced\":\"1\"},{\"fixed\":\"2\"},{\"introduced\":\"3\"}]", "1..2 3..", NULL},
	{"[{\"introduced\":\"1\"},{\"fixed\":\"2\"},{\"introduced\":\"3\"},{\"last_affected\":\"4\"}]", "1..2 3..=4",
	 NULL},
	{"[{\"introduced\":\"0\"},{\"limit\":\"9\"},{\"fixed\":\"2\"},{\"introduced\":\"3\"}]", "0..2<9 3..<9", NULL},
	{"[{\"fixed\":\"1\"}]", NULL, "no 'introduced' before it"},
	{"[{\"limit\":\"1\"}]", NULL, "no 'introduced' event"},
	{"[]", NULL, "events: missing or empty"},
	{"[{\"introduced\":1}]", NULL, "events[0].introduced: expected a string"},
	{"[{\"introduced\":\"1\",\"fixed\":\"2\"}]", NULL, "expected an object with one member"},
	{"[{\"removed\":\"1\"}]", NULL, "unknown event 'removed'"},
	{"[{\"introduced\":\"\"}]", NULL, "empty"},
	{"[\"1\"]", NULL, "expected an object with one member"},
	{"{\"introduced\":\"1\"}", NULL, "events: expected an array"},
};

TEST(event_pairing)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(event_cases); i++) {
		char rec[1024], buf[256];
		collect c;

		snprintf(rec, sizeof(rec),
			 "{\"id\":\"T-%zu\",\"modified\":\"x\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\","
			 "\"name\":\"p\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":%s}]}]}",
			 i, event_cases[i].events);
		collect_init(&c);
		CHECK_INT(run_text(&c, "t.json", rec), 0);
		if (event_cases[i].want) {
			CHECK_INT(c.nbad, 0);
			CHECK_INT(c.n, 1);
			if (c.n == 1 && c.adv[0].naffected == 1)
				CHECK_STR(ranges_str(buf, sizeof(buf), &c.adv[0].affected[0]), event_cases[i].want);
		} else {
			CHECK_INT(c.n, 0);
			CHECK_INT(c.nbad, 1);
			CHECK(contains(c.bad_why[0], event_cases[i].why));
			CHECK(contains(c.bad_why[0], "affected[0].ranges[0]."));
		}
		if (test_failures)
			fprintf(stderr, "  case %zu: %s\n", i, event_cases[i].events);
		collect_release(&c);
	}
}

TEST(long_version_refused)
{
	char rec[2048], v[300];
	collect c;

	memset(v, '1', 257);
	v[257] = '\0';
	snprintf(rec, sizeof(rec),
		 "{\"id\":\"T\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"p\"},\"versions\":[\"%s\"]}]}",
		 v);
	collect_init(&c);
	CHECK_INT(run_text(&c, "t.json", rec), 0);
	CHECK_INT(c.n, 0);
	CHECK_INT(c.nbad, 1);
	CHECK(contains(c.bad_why[0], "T: affected[0].versions[0]: longer than 256 bytes"));
	collect_release(&c);
	/* 256 is fine */
	v[256] = '\0';
	snprintf(rec, sizeof(rec),
		 "{\"id\":\"T\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"p\"},\"versions\":[\"%s\"]}]}",
		 v);
	collect_init(&c);
	CHECK_INT(run_text(&c, "t.json", rec), 0);
	CHECK_INT(c.n, 1);
	collect_release(&c);
}

/* ---- bad records ------------------------------------------------------------------ */

static const struct {
	const char *name, *text, *why;
} bad_cases[] = {
	{"a.json", "{\"modified\":\"x\",\"affected\":[]}", "id: missing"},
	{"a.json", "{\"id\":5}", "id: expected a string"},
	{"a.json", "{\"id\":\"\"}", "id: empty"},
	{"a.json", "{\"id\":\"A\\nB\"}", "control characters"},
	{"a.json", "{\"id\":\"A\",\"aliases\":\"CVE-1\"}", "A: aliases: expected an array"},
	{"a.json", "{\"id\":\"A\",\"aliases\":[1]}", "aliases[0]: expected a string"},
	{"a.json", "{\"id\":\"A\",\"summary\":[]}", "summary: expected a string"},
	{"a.json", "{\"id\":\"A\",\"affected\":[1]}", "affected[0]: expected an object"},
	{"a.json", "{\"id\":\"A\",\"affected\":[{\"package\":{\"ecosystem\":\"Nope\",\"name\":\"x\"}}]}",
	 "unknown ecosystem 'Nope'"},
	{"a.json", "{\"id\":\"A\",\"affected\":[{\"package\":{\"name\":\"x\"}}]}", "package.ecosystem: missing"},
	{"a.json", "{\"id\":\"A\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\"}}]}", "package.name: missing"},
	{"a.json", "{\"id\":\"A\",\"affected\":[{\"package\":\"x\"}]}", "package: expected an object"},
	{"a.json",
	 "{\"id\":\"A\",\"affected\":[{\"package\":{\"ecosystem\":\"Go\",\"name\":\"x\"},\"ranges\":[{\"type\":\"X\","
	 "\"events\":[]}]}]}",
	 "unknown range type 'X'"},
	{"a.json", "{\"id\":\"A\",\"severity\":[{\"type\":\"CVSS_V3\"}]}", "severity[0].score: missing"},
	{"a.json", "{\"id\":\"A\",\"references\":[{\"url\":1}]}", "references[0].url: expected a string"},
	{"a.json", "{\"id\":\"A\",", "malformed JSON"},
	{"a.json", "{\"id\":\"A\"} x", "trailing characters"},
	{"a.json", "\"id\"", "expected an object"},
	{"a.yaml", "id: A\naffected: [\n", "malformed YAML"},
	{"a.yaml", "id: &x A\naliases: [*x]\n", "YAML aliases are not supported"},
	{"a.yaml", "id: A\n? [a]\n: b\n", "YAML keys must be scalars"},
	{"a.yaml", "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - "
		   "- - - - - - - - - - - - - - - - - - - - x\n",
	 "nested deeper than 64"},
	{"a.yaml", "id: true\n", "id: expected a string"},
	{"a.yaml", "id: A\nsummary: null\nwithdrawn: 5\n", NULL}, /* fine: 5 is text in YAML */
};

TEST(bad_records)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(bad_cases); i++) {
		collect c;

		collect_init(&c);
		CHECK_INT(run_text(&c, bad_cases[i].name, bad_cases[i].text), 0);
		if (bad_cases[i].why) {
			CHECK_INT(c.n, 0);
			CHECK_INT(c.nbad, 1);
			CHECK_STR(c.bad_file[0], bad_cases[i].name);
			CHECK(contains(c.bad_why[0], bad_cases[i].why));
		} else {
			CHECK_INT(c.n, 1);
			CHECK_INT(c.nbad, 0);
		}
		if (test_failures)
			fprintf(stderr, "  case %zu: %s -> %s\n", i, bad_cases[i].text, c.nbad ? c.bad_why[0] : "ok");
		collect_release(&c);
	}
}

TEST(affected_without_package)
{
	collect c;

	collect_init(&c);
	CHECK_INT(run_text(&c, "a.json",
			   "{\"id\":\"OSV-1\",\"affected\":[{\"ranges\":[{\"type\":\"GIT\",\"repo\":\"r\",\"events\":"
			   "[{\"introduced\":\"0\"}]}]},{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"curl\"},"
			   "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"7.88.1-10\"}]}]}]}"),
		  0);
	CHECK_INT(c.nbad, 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		CHECK_INT(c.adv[0].naffected, 1);
		if (c.adv[0].naffected == 1)
			CHECK_STR(c.adv[0].affected[0].package, "curl");
	}
	collect_release(&c);
}

TEST(severities)
{
	collect c;
	const cs_vdb_advisory *a;

	collect_init(&c);
	CHECK_INT(run_text(&c, "g.json",
			   "{\"id\":\"GHSA-x\",\"severity\":[{\"type\":\"CVSS_V2\",\"score\":\"AV:N/AC:L/Au:N/C:P/I:P/A:P\"},"
			   "{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"},"
			   "{\"type\":\"CVSS_V4\",\"score\":\"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\"},"
			   "{\"type\":\"Ubuntu\",\"score\":\"low\"}],"
			   "\"database_specific\":{\"severity\":\"MODERATE\"},"
			   "\"affected\":[{\"package\":{\"ecosystem\":\"Ubuntu:22.04:LTS\",\"name\":\"x\"},"
			   "\"ecosystem_specific\":{\"severity\":\"high\"}}]}"),
		  0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		a = &c.adv[0];
		CHECK_STR(a->severity, "medium");
		CHECK_INT(a->ncvss, 3);
		if (a->ncvss == 3) {
			CHECK_STR(a->cvss[0].version, "2.0");
			CHECK_STR(a->cvss[1].version, "3.1");
			CHECK_STR(a->cvss[2].version, "4.0");
			CHECK(a->cvss[2].score < 0);
		}
		CHECK_INT(a->naffected, 1);
		if (a->naffected == 1)
			CHECK_STR(a->affected[0].severity, "high");
	}
	collect_release(&c);

	/* without GitHub's word, a vendor's from severity[] */
	collect_init(&c);
	CHECK_INT(run_text(&c, "u.json", "{\"id\":\"UBUNTU-1\",\"severity\":[{\"type\":\"Ubuntu\",\"score\":\"Negligible\"}]}"),
		  0);
	CHECK_INT(c.n, 1);
	if (c.n == 1)
		CHECK_STR(c.adv[0].severity, "low");
	collect_release(&c);
}

TEST(yaml_scalars)
{
	collect c;
	char buf[128];

	collect_init(&c);
	CHECK_INT(run_text(&c, "a.yaml",
			   "id: PYSEC-1\nwithdrawn: ~\nsummary: 'quoted: text'\naffected:\n- package:\n    name: Foo_Bar\n"
			   "    ecosystem: PyPI\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n"
			   "    - fixed: 4.10\n  versions: [1.0, \"2.0\", 3]\n"),
		  0);
	CHECK_INT(c.nbad, 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		CHECK_STR(c.adv[0].withdrawn, NULL);
		CHECK_STR(c.adv[0].summary, "quoted: text");
		if (c.adv[0].naffected == 1) {
			const cs_vdb_affected *f = &c.adv[0].affected[0];

			CHECK_STR(f->package, "Foo_Bar"); /* the store normalizes */
			CHECK_STR(ranges_str(buf, sizeof(buf), f), "0..4.10");
			CHECK_INT(f->nversions, 3);
			if (f->nversions == 3) {
				CHECK_STR(f->versions[0], "1.0");
				CHECK_STR(f->versions[2], "3");
			}
		}
	}
	collect_release(&c);
}

TEST(several_records_per_file)
{
	collect c;

	collect_init(&c);
	CHECK_INT(run_text(&c, "all.json", "[{\"id\":\"A\"},{\"id\":7},{\"id\":\"C\",\"modified\":\"m\"}]"), 0);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.nbad, 1);
	CHECK(contains(c.bad_why[0], "[1]: id: expected a string"));
	collect_release(&c);

	collect_init(&c);
	CHECK_INT(run_text(&c, "two.yaml", "id: A\n---\nid: B\n---\nid: [x]\n---\n"), 0);
	CHECK_INT(c.n, 2);
	CHECK_INT(c.nbad, 1);
	CHECK(contains(c.bad_why[0], "document 3: id: expected a string"));
	if (c.n == 2)
		CHECK_STR(c.adv[1].id, "B");
	collect_release(&c);
}

TEST(sink_failure_is_fatal)
{
	collect c;

	collect_init(&c);
	c.fail_with = CS_EIO;
	CHECK_INT(run_text(&c, "a.json", "{\"id\":\"A\"}"), CS_EIO);
	CHECK_INT(run_text(&c, "a.yaml", "id: A\n"), CS_EIO);
	collect_release(&c);
}

/* ---- names -------------------------------------------------------------------------- */

TEST(names)
{
	static const struct {
		const char *eco, *scheme;
	} schemes[] = {
		{"Debian:12", "deb"},         {"Debian", "deb"},          {"Ubuntu:Pro:18.04:LTS", "deb"},
		{"Alpine:v3.11", "apk"},      {"Wolfi", "apk"},           {"Chainguard", "apk"},
		{"Red Hat:rhel_aus:8.4::appstream", "rpm"},               {"Rocky Linux:9", "rpm"},
		{"AlmaLinux:8", "rpm"},       {"SUSE:Linux Enterprise Server 15 SP5", "rpm"},
		{"openSUSE:Leap 15.5", "rpm"}, {"Azure Linux:3", "rpm"},  {"Mariner:2.0", "rpm"},
		{"Amazon Linux:2", "rpm"},    {"Oracle Linux:9", "rpm"},  {"Photon OS:5.0", "rpm"},
		{"PyPI", "pep440"},           {"Go", "go"},               {"npm", "semver"},
		{"crates.io", "cargo"},       {"Maven", "maven"},         {"Maven:https://maven.google.com", "maven"},
		{"RubyGems", "gem"},          {"NuGet", "nuget"},         {"Packagist", "composer"},
		{"Hex", "semver"},            {"Pub", "semver"},          {"Root:Alpine:3.18", "apk"},
		{"Root:PyPI", "pep440"},      {"Bitnami", NULL},          {"Linux", NULL},
		{"pypi", NULL},               {"Nope", NULL},             {"", NULL},
		{"Root", NULL},               {"Root:Root:Root:Root:Root:PyPI", NULL},
	};
	static const struct {
		const char *eco, *in, *out;
	} norm[] = {
		{"PyPI", "Django", "django"},
		{"PyPI", "zope.interface", "zope-interface"},
		{"PyPI", "Foo__Bar-.baz", "foo-bar-baz"},
		{"PyPI", "jw.util", "jw-util"},
		{"Root:PyPI", "Root_Pkg", "root-pkg"},
		{"NuGet", "Newtonsoft.Json", "newtonsoft.json"},
		{"Packagist", "Symfony/HTTP-Kernel", "symfony/http-kernel"},
		{"Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml"},
		{"npm", "@Babel/Core", "@Babel/Core"},
		{"Maven", "org.Apache:Log4j", "org.Apache:Log4j"},
		{"Debian:12", "Linux_x", "Linux_x"},
		{"Unknown", "A_B", "A_B"},
	};
	cs_arena a;
	char small[4];
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(schemes); i++) {
		CHECK_STR(cs_vdb_scheme(schemes[i].eco), schemes[i].scheme);
		if (test_failures) {
			fprintf(stderr, "  ecosystem '%s'\n", schemes[i].eco);
			break;
		}
	}
	CHECK(cs_vdb_ecosystem_known("Bitnami"));
	CHECK(cs_vdb_ecosystem_known("GitHub Actions"));
	CHECK(!cs_vdb_ecosystem_known("Nope:1"));
	CHECK(!cs_vdb_ecosystem_known(NULL));
	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(norm); i++)
		CHECK_STR(cs_vdb_normalize_name(&a, norm[i].eco, norm[i].in), norm[i].out);
	cs_arena_release(&a);
	CHECK_INT(cs_vdb_normalize_into(small, sizeof(small), "PyPI", "Django"), 6);
	CHECK_STR(small, "dja");
}

/* ---- whole databases ------------------------------------------------------------------ */

typedef struct totals {
	size_t files, records, withdrawn, affected, ranges, versions, aliases, references, cvss, bad, id_mismatch;
} totals;

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Imports every .json/.yaml file below dir with the importer alone, adding to t. */
static void import_tree(const char *dir, const char *ecosystem, totals *t)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, j, k;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		char path[1024], stem[256];
		struct stat sb;
		collect c;
		char *text;
		size_t len;
		const char *dot;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			import_tree(path, ecosystem, t);
			free(names[i]);
			continue;
		}
		text = test_read_file(path, &len);
		CHECK(text != NULL);
		if (!text || !cs_importer_osv.detect(names[i], (const uint8_t *)text, len < 8192 ? len : 8192)) {
			free(text);
			free(names[i]);
			continue;
		}
		t->files++;
		collect_init(&c);
		CHECK_INT(run_text(&c, names[i], text), 0);
		t->bad += c.nbad;
		if (c.nbad)
			fprintf(stderr, "  %s: %s\n", path, c.bad_why[0]);
		dot = strrchr(names[i], '.');
		snprintf(stem, sizeof(stem), "%.*s", (int)(dot - names[i]), names[i]);
		for (j = 0; j < c.n; j++) {
			const cs_vdb_advisory *a = &c.adv[j];

			t->records++;
			if (ecosystem && strcmp(a->id, stem) != 0) /* Rocky writes RLSA-2021:3891 as RLSA-2021_3891 */
				t->id_mismatch++;
			t->withdrawn += a->withdrawn != NULL;
			for (k = 0; k < a->naliases; k++) {
				size_t m;

				for (m = 0; m < k && strcmp(a->aliases[m], a->aliases[k]) != 0; m++)
					;
				/* counted as the store keeps them: distinct, not the id itself */
				t->aliases += m == k && strcmp(a->aliases[k], a->id) != 0;
			}
			t->references += a->nreferences;
			t->cvss += a->ncvss;
			for (k = 0; k < a->naffected; k++) {
				t->affected++;
				t->ranges += a->affected[k].nranges;
				t->versions += a->affected[k].nversions;
				if (ecosystem)
					CHECK_STR(a->affected[k].ecosystem, ecosystem);
				else
					CHECK(cs_vdb_scheme(a->affected[k].ecosystem) != NULL);
			}
		}
		collect_release(&c);
		free(text);
		free(names[i]);
	}
	free(names);
}

static void check_tree(const char *rel, const char *ecosystem, const totals *want)
{
	char dir[512];
	totals t;

	memset(&t, 0, sizeof(t));
	snprintf(dir, sizeof(dir), "%s/test-data/vulndb/%s", test_shared(), rel);
	import_tree(dir, ecosystem, &t);
	CHECK_INT(t.files, want->files);
	CHECK_INT(t.records, want->records);
	CHECK_INT(t.bad, 0);
	CHECK_INT(t.id_mismatch, 0);
	CHECK_INT(t.withdrawn, want->withdrawn);
	CHECK_INT(t.affected, want->affected);
	CHECK_INT(t.ranges, want->ranges);
	CHECK_INT(t.versions, want->versions);
	CHECK_INT(t.aliases, want->aliases);
	CHECK_INT(t.references, want->references);
	CHECK_INT(t.cvss, want->cvss);
}

/* Totals from Python (json / yaml.BaseLoader) over the same files. */
TEST(all_go)
{
	totals want = {.files = 4291, .records = 4291, .withdrawn = 17, .affected = 6125, .ranges = 7579,
		       .versions = 0, .aliases = 7945, .references = 15734, .cvss = 0};

	check_tree("osv-go", "Go", &want);
}

TEST(all_pypi_yaml)
{
	/* 2662 files: 2661 records and the .id-allocator, which is no record */
	totals want = {.files = 2661, .records = 2661, .withdrawn = 10, .affected = 2661, .ranges = 5093,
		       .versions = 140847, .aliases = 4475, .references = 10315, .cvss = 202};

	check_tree("osv-pypi-yaml", "PyPI", &want);
}

TEST(all_crates)
{
	totals want = {.files = 1206, .records = 1206, .withdrawn = 13, .affected = 1206, .ranges = 1466,
		       .versions = 0, .aliases = 1516, .references = 3744, .cvss = 417};

	check_tree("osv-crates", "crates.io", &want);
}

/* The distribution OSV records among vunnel's fixtures (AlmaLinux, Rocky, Ubuntu and Ubuntu Pro). */
TEST(vunnel_distro_osv)
{
	static const char *const dirs[] = {
		"vunnel-samples/alma/test-fixtures/osv-database/advisories/almalinux8",
		"vunnel-samples/alma/test-fixtures/osv-database/advisories/almalinux9",
		"vunnel-samples/rocky/test-fixtures/osv",
		"vunnel-samples/ubuntu/test-fixtures/osv/usn",
		"vunnel-samples/ubuntu/test-fixtures/osv/cve",
		"vunnel-samples/ubuntu/test-fixtures/osv-esm-cases/cve",
	};
	totals t;
	collect c;
	size_t i, len;
	char dir[512], *text;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < CS_ARRAY_LEN(dirs); i++) {
		snprintf(dir, sizeof(dir), "%s/test-data/vulndb/%s", test_shared(), dirs[i]);
		import_tree(dir, NULL, &t);
	}
	/* Python's count: aliases are aliases[] + upstream[], distinct, not the id */
	CHECK_INT(t.files, 17);
	CHECK_INT(t.records, 17);
	CHECK_INT(t.bad, 0);
	CHECK_INT(t.withdrawn, 3);
	CHECK_INT(t.affected, 79);
	CHECK_INT(t.ranges, 79);
	CHECK_INT(t.versions, 325);
	CHECK_INT(t.aliases, 8);
	CHECK_INT(t.references, 95);
	CHECK_INT(t.cvss, 9);

	text = fixture("vunnel-samples/ubuntu/test-fixtures/osv-esm-cases/cve/2014/UBUNTU-CVE-2014-2901.json", &len);
	CHECK(text != NULL);
	collect_init(&c);
	if (text)
		CHECK_INT(run_text(&c, "UBUNTU-CVE-2014-2901.json", text), 0);
	CHECK_INT(c.n, 1);
	if (c.n == 1) {
		const cs_vdb_advisory *a = &c.adv[0];

		CHECK_STR(a->withdrawn, "2025-08-01T19:34:27Z");
		CHECK_STR(a->severity, "medium"); /* severity[] type "Ubuntu" */
		CHECK_INT(a->naliases, 1);
		if (a->naliases == 1)
			CHECK_STR(a->aliases[0], "CVE-2014-2901"); /* from upstream[] */
		CHECK(a->naffected > 0);
		if (a->naffected > 0) {
			CHECK_STR(a->affected[0].ecosystem, "Ubuntu:Pro:16.04:LTS");
			CHECK_STR(cs_vdb_scheme(a->affected[0].ecosystem), "deb");
		}
	}
	collect_release(&c);
	free(text);

	/* Red Hat rebuilds rate an advisory in its synopsis: "Important: firefox security update". */
	{
		static const struct {
			const char *file, *severity;
		} rated[] = {
			{"vunnel-samples/alma/test-fixtures/osv-database/advisories/almalinux9/ALSA-2024:2433.json", "medium"},
			{"vunnel-samples/rocky/test-fixtures/osv/RLSA-2023_3220.json", "high"},
			/* a bug-fix advisory has no rating */
			{"vunnel-samples/alma/test-fixtures/osv-database/advisories/almalinux8/ALBA-2021:4378.json", NULL},
		};

		for (i = 0; i < CS_ARRAY_LEN(rated); i++) {
			text = fixture(rated[i].file, &len);
			CHECK(text != NULL);
			collect_init(&c);
			if (text)
				CHECK_INT(run_text(&c, rated[i].file, text), 0);
			CHECK_INT(c.n, 1);
			if (c.n == 1 && rated[i].severity)
				CHECK_STR(c.adv[0].severity, rated[i].severity);
			else if (c.n == 1)
				CHECK(c.adv[0].severity == NULL);
			collect_release(&c);
			free(text);
		}
	}
}

TEST_MAIN(TEST_ENTRY(detect_json), TEST_ENTRY(detect_yaml), TEST_ENTRY(go_record), TEST_ENTRY(pypa_yaml_record),
	  TEST_ENTRY(rustsec_record), TEST_ENTRY(event_pairing), TEST_ENTRY(long_version_refused),
	  TEST_ENTRY(bad_records), TEST_ENTRY(affected_without_package), TEST_ENTRY(severities),
	  TEST_ENTRY(yaml_scalars), TEST_ENTRY(several_records_per_file), TEST_ENTRY(sink_failure_is_fatal),
	  TEST_ENTRY(names), TEST_ENTRY(all_go), TEST_ENTRY(all_pypi_yaml), TEST_ENTRY(all_crates),
	  TEST_ENTRY(vunnel_distro_osv))
