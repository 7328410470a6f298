/*
 * test_importers.c - the distro and enrichment importers (alpine-secdb,
 * debian-tracker, debian-list, nvd, kev, epss) on real feed data.
 *
 * Records go to a collecting sink that deep-copies them and checks the
 * invariants every record must keep (ids and names are tokens, statuses
 * are CS_VDB_* words, dates are RFC 3339...), so no store is involved.
 * Oracles, from strongest to weakest:
 *
 *  - anchore/vunnel's own output for the same inputs (the Alpine v3.15 and
 *    Debian tracker samples and their snapshots/), compared entry by entry;
 *  - independent counts of the real files (all Alpine secdb v3.3-v3.11,
 *    the DSA and DLA lists): Python (PyYAML's BaseLoader, re) run by
 *    popen when python3 is there, and the same numbers frozen in tables
 *    so the test keeps its teeth without it; for NVD, one cJSON parse of
 *    the whole page instead of the importer's split;
 *  - advisories checked field by field against the file text;
 *  - hand-written samples for KEV and EPSS (no real sample is shared),
 *    faithful to the published formats, and for each importer the broken
 *    inputs that must be skipped with a bad() report, never a crash.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include <math.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strutil.h"
#include "unit/test.h"
#include "unit/testutil.h"

#define VULNDB "test-data/vulndb"

/* ---- a sink that keeps deep copies --------------------------------------- */

typedef struct col {
	cs_arena a;
	cs_vdb_advisory *adv; /* malloc'd */
	size_t nadv, cadv;
	cs_vdb_kev *kev;
	size_t nkev, ckev;
	cs_vdb_epss *epss;
	size_t nepss, cepss;
	const char **bad; /* "why" of each bad() */
	size_t nbad, cbad;
	size_t fail_at;   /* a record after this many fails with CS_ERR (SIZE_MAX: never) */
	size_t broken;    /* records that broke an invariant */
} col;

static void col_init(col *c)
{
	memset(c, 0, sizeof(*c));
	cs_arena_init(&c->a);
	c->fail_at = SIZE_MAX;
}

static void col_release(col *c)
{
	free(c->adv);
	free(c->kev);
	free(c->epss);
	free(c->bad);
	cs_arena_release(&c->a);
	memset(c, 0, sizeof(*c));
}

static const char *cdup(col *c, const char *s)
{
	return s ? cs_arena_strdup(&c->a, s) : NULL;
}

static const char *const *dup_list(col *c, const char *const *l, size_t n)
{
	const char **out = n ? cs_arena_calloc(&c->a, n, sizeof(*out)) : NULL;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = cdup(c, l[i]);
	return out;
}

static bool is_status(const char *s)
{
	static const char *const all[] = {CS_VDB_AFFECTED,   CS_VDB_FIXED,        CS_VDB_NOT_FIXED,
					  CS_VDB_WILL_NOT_FIX, CS_VDB_NOT_AFFECTED, CS_VDB_END_OF_LIFE};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(all); i++)
		if (strcmp(s, all[i]) == 0)
			return true;
	return false;
}

/* "YYYY-MM-DDTHH:MM:SS[.f]Z|+hh:mm" */
static bool is_rfc3339(const char *s)
{
	size_t n = strlen(s);

	return n >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' &&
	       (s[n - 1] == 'Z' || s[n - 3] == ':');
}

static bool tok(const char *s)
{
	return s && cs_feed_token(s, strlen(s), 4096);
}

static bool advisory_ok(const cs_vdb_advisory *a)
{
	size_t i, j;

	if (!a->id || !cs_feed_is_vuln_id(a->id, strlen(a->id)) || !a->file)
		return false;
	if ((a->published && !is_rfc3339(a->published)) || (a->modified && !is_rfc3339(a->modified)) ||
	    (a->withdrawn && !is_rfc3339(a->withdrawn)))
		return false;
	for (i = 0; i < a->naliases; i++)
		if (!a->aliases[i] || !cs_feed_is_vuln_id(a->aliases[i], strlen(a->aliases[i])))
			return false;
	for (i = 0; i < a->nreferences; i++)
		if (!tok(a->references[i]))
			return false;
	for (i = 0; i < a->ncvss; i++)
		if (!tok(a->cvss[i].version) || !tok(a->cvss[i].vector) || !a->cvss[i].source ||
		    !(a->cvss[i].score == -1 || (a->cvss[i].score >= 0 && a->cvss[i].score <= 10)))
			return false;
	for (i = 0; i < a->naffected; i++) {
		const cs_vdb_affected *f = &a->affected[i];

		if (!tok(f->ecosystem) || !(cs_str_starts(f->ecosystem, "Debian:") || cs_str_starts(f->ecosystem, "Alpine:")) ||
		    !tok(f->package) || !f->status || !is_status(f->status) || (f->nranges && !f->ranges))
			return false;
		if ((strcmp(f->status, CS_VDB_FIXED) == 0) != (f->nranges > 0))
			return false;
		for (j = 0; j < f->nranges; j++)
			if (!tok(f->ranges[j].fixed) || (f->ranges[j].introduced && !tok(f->ranges[j].introduced)))
				return false;
	}
	return true;
}

static int col_advisory(void *payload, const cs_vdb_advisory *a, cs_err *err)
{
	col *c = payload;
	cs_vdb_advisory *d;
	cs_vdb_affected *aff;
	cs_vdb_cvss *cv;
	size_t i, j;

	if (c->nadv + c->nkev + c->nepss >= c->fail_at)
		return cs_err_set(err, CS_ERR, "injected sink failure");
	if (!advisory_ok(a)) {
		fprintf(stderr, "  record '%s' breaks an invariant\n", a->id ? a->id : "(null)");
		c->broken++;
	}
	if (c->nadv == c->cadv) {
		c->cadv = c->cadv ? c->cadv * 2 : 256;
		c->adv = realloc(c->adv, c->cadv * sizeof(*c->adv));
	}
	d = &c->adv[c->nadv++];
	*d = *a;
	d->id = cdup(c, a->id);
	d->summary = cdup(c, a->summary);
	d->details = cdup(c, a->details);
	d->published = cdup(c, a->published);
	d->modified = cdup(c, a->modified);
	d->withdrawn = cdup(c, a->withdrawn);
	d->severity = cdup(c, a->severity);
	d->file = cdup(c, a->file);
	d->aliases = dup_list(c, a->aliases, a->naliases);
	d->references = dup_list(c, a->references, a->nreferences);
	cv = a->ncvss ? cs_arena_calloc(&c->a, a->ncvss, sizeof(*cv)) : NULL;
	for (i = 0; i < a->ncvss; i++) {
		cv[i] = a->cvss[i];
		cv[i].version = cdup(c, a->cvss[i].version);
		cv[i].vector = cdup(c, a->cvss[i].vector);
		cv[i].source = cdup(c, a->cvss[i].source);
	}
	d->cvss = cv;
	aff = a->naffected ? cs_arena_calloc(&c->a, a->naffected, sizeof(*aff)) : NULL;
	for (i = 0; i < a->naffected; i++) {
		cs_vdb_range *r = a->affected[i].nranges ? cs_arena_calloc(&c->a, a->affected[i].nranges, sizeof(*r)) : NULL;

		aff[i] = a->affected[i];
		aff[i].ecosystem = cdup(c, a->affected[i].ecosystem);
		aff[i].package = cdup(c, a->affected[i].package);
		aff[i].status = cdup(c, a->affected[i].status);
		aff[i].severity = cdup(c, a->affected[i].severity);
		for (j = 0; j < a->affected[i].nranges; j++) {
			r[j].introduced = cdup(c, a->affected[i].ranges[j].introduced);
			r[j].fixed = cdup(c, a->affected[i].ranges[j].fixed);
			r[j].last_affected = cdup(c, a->affected[i].ranges[j].last_affected);
			r[j].limit = cdup(c, a->affected[i].ranges[j].limit);
		}
		aff[i].ranges = r;
		aff[i].versions = dup_list(c, a->affected[i].versions, a->affected[i].nversions);
	}
	d->affected = aff;
	return 0;
}

static int col_kev(void *payload, const cs_vdb_kev *k, cs_err *err)
{
	col *c = payload;

	if (c->nadv + c->nkev + c->nepss >= c->fail_at)
		return cs_err_set(err, CS_ERR, "injected sink failure");
	if (!k->cve || !cs_feed_is_cve(k->cve, strlen(k->cve)))
		c->broken++;
	if (c->nkev == c->ckev) {
		c->ckev = c->ckev ? c->ckev * 2 : 64;
		c->kev = realloc(c->kev, c->ckev * sizeof(*c->kev));
	}
	c->kev[c->nkev] = *k;
	c->kev[c->nkev].cve = cdup(c, k->cve);
	c->kev[c->nkev].date_added = cdup(c, k->date_added);
	c->kev[c->nkev].due_date = cdup(c, k->due_date);
	c->nkev++;
	return 0;
}

static int col_epss(void *payload, const cs_vdb_epss *e, cs_err *err)
{
	col *c = payload;

	if (c->nadv + c->nkev + c->nepss >= c->fail_at)
		return cs_err_set(err, CS_ERR, "injected sink failure");
	if (!e->cve || !cs_feed_is_cve(e->cve, strlen(e->cve)) || !(e->score >= 0 && e->score <= 1) ||
	    !(e->percentile == -1 || (e->percentile >= 0 && e->percentile <= 1)))
		c->broken++;
	if (c->nepss == c->cepss) {
		c->cepss = c->cepss ? c->cepss * 2 : 64;
		c->epss = realloc(c->epss, c->cepss * sizeof(*c->epss));
	}
	c->epss[c->nepss] = *e;
	c->epss[c->nepss].cve = cdup(c, e->cve);
	c->epss[c->nepss].date = cdup(c, e->date);
	c->nepss++;
	return 0;
}

static void col_bad(void *payload, const char *file, const char *why)
{
	col *c = payload;

	if (!file || !why)
		c->broken++;
	if (c->nbad == c->cbad) {
		c->cbad = c->cbad ? c->cbad * 2 : 64;
		c->bad = realloc(c->bad, c->cbad * sizeof(*c->bad));
	}
	c->bad[c->nbad++] = cdup(c, why);
}

static cs_vdb_sink col_sink(col *c)
{
	cs_vdb_sink s = {col_advisory, col_kev, col_epss, col_bad, c};

	return s;
}

/* ---- running importers ------------------------------------------------------ */

/* Imports data[0..len) named name (data[len] must be readable: a NUL is supplied). */
static int run_mem(const cs_vdb_importer *imp, const char *name, const char *data, size_t len, col *c, cs_err *err)
{
	cs_vdb_sink sink = col_sink(c);
	char *copy = malloc(len + 1); /* exact size: ASan sees reads past the end */
	cs_arena scratch;
	int rc;

	memcpy(copy, data, len);
	copy[len] = '\0';
	cs_arena_init(&scratch);
	cs_err_clear(err);
	rc = imp->import(name, (const uint8_t *)copy, len, &sink, &scratch, err);
	cs_arena_release(&scratch);
	free(copy);
	return rc;
}

static int run_str(const cs_vdb_importer *imp, const char *name, const char *text, col *c, cs_err *err)
{
	return run_mem(imp, name, text, strlen(text), c, err);
}

static bool quiet; /* failures are expected: do not print them */

static char *shared_path(const char *rel)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s/%s", test_shared(), VULNDB, rel);
	return path;
}

/* Imports the shared file rel (below test-data/vulndb); -100 when unreadable. */
static int run_file(const cs_vdb_importer *imp, const char *rel, col *c, cs_err *err)
{
	size_t len = 0;
	char *data = test_read_file(shared_path(rel), &len);
	int rc;

	if (!data) {
		fprintf(stderr, "  cannot read '%s'\n", shared_path(rel));
		test_failures++;
		return -100;
	}
	rc = run_mem(imp, rel, data, len, c, err);
	if (rc < 0 && !quiet)
		fprintf(stderr, "  %s: %s\n", rel, err->msg);
	free(data);
	return rc;
}

static const cs_vdb_advisory *find_adv(const col *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nadv; i++)
		if (strcmp(c->adv[i].id, id) == 0)
			return &c->adv[i];
	return NULL;
}

/* The n-th (0-based) affected entry of a for (ecosystem, package), or NULL. */
static const cs_vdb_affected *find_aff(const cs_vdb_advisory *a, const char *eco, const char *pkg, size_t nth)
{
	size_t i;

	for (i = 0; a && i < a->naffected; i++)
		if (strcmp(a->affected[i].ecosystem, eco) == 0 && strcmp(a->affected[i].package, pkg) == 0 && nth-- == 0)
			return &a->affected[i];
	return NULL;
}

static bool has_alias(const cs_vdb_advisory *a, const char *id)
{
	size_t i;

	for (i = 0; a && i < a->naliases; i++)
		if (strcmp(a->aliases[i], id) == 0)
			return true;
	return false;
}

static bool bad_has(const col *c, const char *needle)
{
	size_t i;

	for (i = 0; i < c->nbad; i++)
		if (strstr(c->bad[i], needle))
			return true;
	return false;
}

static void counts(const col *c, size_t *naff, size_t *nranges, size_t *naliases)
{
	size_t i, j;

	*naff = *nranges = *naliases = 0;
	for (i = 0; i < c->nadv; i++) {
		*naff += c->adv[i].naffected;
		*naliases += c->adv[i].naliases;
		for (j = 0; j < c->adv[i].naffected; j++)
			*nranges += c->adv[i].affected[j].nranges;
	}
}

/* Runs a python3 oracle script (text) over args; its stdout in out (malloc'd), NULL when python3 cannot. */
static char *python_oracle(const char *script, const char *args)
{
	char cmd[8192], path[] = "/tmp/customs-oracle-XXXXXX";
	int fd = mkstemp(path);
	FILE *f, *p;
	cs_buf out = CS_BUF_INIT;
	char chunk[4096];
	size_t got;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		remove(path);
		return NULL;
	}
	fputs(script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 %s %s 2>/dev/null", path, args);
	p = popen(cmd, "r");
	if (!p) {
		remove(path);
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), p)) > 0)
		cs_buf_append(&out, chunk, got);
	if (pclose(p) != 0 || out.len == 0) {
		cs_buf_release(&out);
		remove(path);
		return NULL;
	}
	remove(path);
	return cs_buf_detach(&out, NULL);
}

/* ---- detection ------------------------------------------------------------- */

extern const cs_vdb_importer cs_importer_osv; /* the neighbour in importers.def: no file may be claimed by both */

static const cs_vdb_importer *const all_importers[] = {&cs_importer_alpine_secdb, &cs_importer_debian_tracker,
						       &cs_importer_debian_list,  &cs_importer_nvd,
						       &cs_importer_kev,          &cs_importer_epss};

/*
 * Which importers claim a file: a bit per all_importers entry, bit 6 for
 * OSV, from its first 8192 bytes (CS_VDB_IMPORT_HEAD) and from its first
 * 512 (detect must not need more).
 */
static unsigned claims(const char *name, const char *data, size_t len)
{
	unsigned bits = 0;
	size_t i, pass;

	for (pass = 0; pass < 2; pass++) {
		size_t n = len < (pass ? 512u : 8192u) ? len : (pass ? 512u : 8192u);
		uint8_t *head = malloc(n ? n : 1);
		unsigned b = 0;

		memcpy(head, data, n);
		for (i = 0; i < CS_ARRAY_LEN(all_importers); i++)
			if (all_importers[i]->detect(name, head, n))
				b |= 1u << i;
		if (cs_importer_osv.detect(name, head, n))
			b |= 1u << 6;
		free(head);
		if (pass && b != bits) {
			fprintf(stderr, "  %s: 512 bytes give mask 0x%x, 8192 give 0x%x\n", name, b, bits);
			test_failures++;
		}
		bits = pass ? bits & b : b;
	}
	return bits;
}

static const char kev_sample[] =
	"{\n"
	"    \"title\": \"CISA Catalog of Known Exploited Vulnerabilities\",\n"
	"    \"catalogVersion\": \"2024.01.02\",\n"
	"    \"dateReleased\": \"2024-01-02T17:00:12.6432Z\",\n"
	"    \"count\": 4,\n"
	"    \"vulnerabilities\": [\n"
	"        {\n"
	"            \"cveID\": \"CVE-2021-27104\",\n"
	"            \"vendorProject\": \"Accellion\",\n"
	"            \"product\": \"FTA\",\n"
	"            \"vulnerabilityName\": \"Accellion FTA OS Command Injection Vulnerability\",\n"
	"            \"dateAdded\": \"2021-11-03\",\n"
	"            \"shortDescription\": \"Accellion FTA contains an OS command injection vulnerability exposed via a crafted POST request to various admin endpoints.\",\n"
	"            \"requiredAction\": \"Apply updates per vendor instructions.\",\n"
	"            \"dueDate\": \"2021-11-17\",\n"
	"            \"knownRansomwareCampaignUse\": \"Known\",\n"
	"            \"notes\": \"\",\n"
	"            \"cwes\": [\"CWE-78\"]\n"
	"        },\n"
	"        {\n"
	"            \"cveID\": \"CVE-2021-44228\",\n"
	"            \"vendorProject\": \"Apache\",\n"
	"            \"product\": \"Log4j2\",\n"
	"            \"vulnerabilityName\": \"Apache Log4j2 Remote Code Execution Vulnerability\",\n"
	"            \"dateAdded\": \"2021-12-10\",\n"
	"            \"shortDescription\": \"Apache Log4j2 contains a vulnerability where JNDI features do not protect against attacker-controlled JNDI-related endpoints, allowing for remote code execution.\",\n"
	"            \"requiredAction\": \"For all affected software assets for which updates exist, the only acceptable remediation actions are: 1) Apply updates; OR 2) remove affected assets from agency networks.\",\n"
	"            \"dueDate\": \"2021-12-24\",\n"
	"            \"knownRansomwareCampaignUse\": \"Known\",\n"
	"            \"notes\": \"https://nvd.nist.gov/vuln/detail/CVE-2021-44228\",\n"
	"            \"cwes\": [\"CWE-20\", \"CWE-400\", \"CWE-502\"]\n"
	"        },\n"
	"        {\n"
	"            \"cveID\": \"CVE-2023-4966\",\n"
	"            \"vendorProject\": \"Citrix\",\n"
	"            \"product\": \"NetScaler ADC and NetScaler Gateway\",\n"
	"            \"vulnerabilityName\": \"Citrix NetScaler ADC and NetScaler Gateway Buffer Overflow Vulnerability\",\n"
	"            \"dateAdded\": \"2023-10-18\",\n"
	"            \"shortDescription\": \"Citrix NetScaler ADC and NetScaler Gateway contain a buffer overflow vulnerability that allows for sensitive information disclosure when configured as a Gateway or AAA virtual server.\",\n"
	"            \"requiredAction\": \"Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.\",\n"
	"            \"dueDate\": \"2023-11-08\",\n"
	"            \"knownRansomwareCampaignUse\": \"Known\",\n"
	"            \"notes\": \"\",\n"
	"            \"cwes\": [\"CWE-119\"]\n"
	"        },\n"
	"        {\n"
	"            \"cveID\": \"CVE-2023-7024\",\n"
	"            \"vendorProject\": \"Google\",\n"
	"            \"product\": \"Chromium WebRTC\",\n"
	"            \"vulnerabilityName\": \"Google Chromium WebRTC Heap Buffer Overflow Vulnerability\",\n"
	"            \"dateAdded\": \"2024-01-02\",\n"
	"            \"shortDescription\": \"Google Chromium WebRTC contains a heap buffer overflow vulnerability that allows an attacker to perform out-of-bounds memory writes.\",\n"
	"            \"requiredAction\": \"Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.\",\n"
	"            \"dueDate\": \"2024-01-23\",\n"
	"            \"knownRansomwareCampaignUse\": \"Unknown\",\n"
	"            \"notes\": \"\",\n"
	"            \"cwes\": [\"CWE-122\"]\n"
	"        }\n"
	"    ]\n"
	"}\n";

static const char epss_sample[] = "#model_version:v2023.03.01,score_date:2023-06-15T00:00:00+0000\n"
				  "cve,epss,percentile\n"
				  "CVE-1999-0001,0.01042,0.82724\n"
				  "CVE-1999-0002,0.02078,0.87863\n"
				  "CVE-2014-0160,0.97546,0.99993\n"
				  "CVE-2021-44228,0.97565,0.99998\n";

/* Every real sample is claimed by exactly its importer, and by no other. */
TEST(detect_exclusive)
{
	static const struct {
		const char *rel;
		int expect; /* index in all_importers */
	} cases[] = {
		{"alpine-secdb/v3.3/main.yaml", 0},
		{"alpine-secdb/v3.3/community.yaml", 0},
		{"alpine-secdb/v3.11/main.yaml", 0},
		{"vunnel-samples/alpine/test-fixtures/input/secdb/v3.15/main.yaml", 0},
		{"vunnel-samples/debian/test-fixtures/input/debian.json", 1},
		{"debian-security-tracker/DSA/list", 2},
		{"debian-security-tracker/DLA/list", 2},
		{"vunnel-samples/debian/test-fixtures/input/DSA", 2},
		{"vunnel-samples/nvd/test-fixtures/full-page.json", 3},
		{"vunnel-samples/nvd/test-fixtures/single-entry.json", 3},
		{"osv-go/GO-2020-0001.json", 6},
		{"osv-crates/RUSTSEC-2023-0090.json", 6},
		{"osv-pypi-yaml/apache-skywalking/PYSEC-2020-342.yaml", 6},
		{"ruby-advisory-db/gems/rack/CVE-2011-5036.yml", -1},
		{"vunnel-samples/debian/test-fixtures/snapshots/debian:12/cve-2025-53603.json", -1},
		{"vunnel-samples/nvd/test-fixtures/snapshots/single-entry/2022/cve-2022-1576.json", -1},
	};
	size_t i, gzn = 0;
	uint8_t *gz;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		size_t len = 0;
		char *data = test_read_file(shared_path(cases[i].rel), &len);
		unsigned bits;

		if (!data) {
			if (cases[i].expect >= 0) {
				fprintf(stderr, "  cannot read '%s'\n", cases[i].rel);
				test_failures++;
			}
			continue;
		}
		bits = claims(cases[i].rel, data, len);
		if (bits != (cases[i].expect < 0 ? 0u : 1u << cases[i].expect)) {
			fprintf(stderr, "  %s: claimed by mask 0x%x\n", cases[i].rel, bits);
			test_failures++;
		}
		free(data);
	}
	CHECK_INT(claims("feeds/known_exploited_vulnerabilities.json", kev_sample, strlen(kev_sample)), 1u << 4);
	CHECK_INT(claims("epss_scores-2023-06-15.csv", epss_sample, strlen(epss_sample)), 1u << 5);
	CHECK_INT(claims("scores.csv", epss_sample, strlen(epss_sample)), 1u << 5);
	gz = gzip_make((const uint8_t *)epss_sample, strlen(epss_sample), 1, &gzn);
	CHECK(gz != NULL);
	if (gz) {
		/* by name, and by content for a compressed file of another name */
		CHECK_INT(claims("epss_scores-2023-06-15.csv.gz", (const char *)gz, gzn), 1u << 5);
		CHECK_INT(claims("download.gz", (const char *)gz, gzn), 1u << 5);
		free(gz);
	}
	CHECK_INT(claims("empty.json", "", 0), 0);
	CHECK_INT(claims("x.json", "{}", 2), 0);
}

/* ---- Alpine secdb ---------------------------------------------------------- */

static const char alpine_py[] =
	"import re, sys, yaml\n"
	"CVE = re.compile(r'CVE-\\d{4}-\\d{4,}\\Z')\n"
	"OTHER = re.compile(r'[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9._:]+)+\\Z')\n"
	"for path in sys.argv[1:]:\n"
	"    d = yaml.load(open(path), Loader=yaml.BaseLoader)\n"
	"    advs = {}\n"
	"    for el in d.get('packages') or []:\n"
	"        p = el['pkg']; name = p['name']\n"
	"        sf = p.get('secfixes') or {}\n"
	"        for ver, ids in sf.items():\n"
	"            if isinstance(ids, str): ids = [ids] if ids else []\n"
	"            for raw in ids:\n"
	"                cves, others = [], []\n"
	"                for tok in raw.split():\n"
	"                    if tok[0] in '(#': break\n"
	"                    if CVE.match(tok) and len(tok) <= 32 and len(cves) < 16: cves.append(tok)\n"
	"                    elif OTHER.match(tok) and not tok.upper().startswith('CVE') and len(tok) <= 128 "
	"and len(others) < 16: others.append(tok)\n"
	"                for i in (cves or others):\n"
	"                    e = advs.setdefault(i, {}).setdefault(name, [set(), False])\n"
	"                    if ver == '0': e[1] = True\n"
	"                    else: e[0].add(ver)\n"
	"    naff = sum((1 if e[0] else 0) + (1 if e[1] else 0) for a in advs.values() for e in a.values())\n"
	"    nr = sum(len(e[0]) for a in advs.values() for e in a.values())\n"
	"    print(path.split('alpine-secdb/')[-1], len(advs), naff, nr)\n";

/* Counts frozen from the oracle above (advisories, affected entries, ranges). */
static const struct {
	const char *rel;
	size_t nadv, naff, nranges;
} alpine_counts[] = {
	{"v3.3/main.yaml", 457, 460, 460},        {"v3.3/community.yaml", 0, 0, 0},
	{"v3.4/main.yaml", 664, 667, 669},        {"v3.4/community.yaml", 14, 14, 14},
	{"v3.5/main.yaml", 799, 821, 823},        {"v3.5/community.yaml", 98, 101, 102},
	{"v3.6/main.yaml", 867, 890, 895},        {"v3.6/community.yaml", 195, 213, 215},
	{"v3.7/main.yaml", 1037, 1073, 1080},     {"v3.7/community.yaml", 378, 400, 409},
	{"v3.8/main.yaml", 1088, 1128, 1131},     {"v3.8/community.yaml", 462, 475, 483},
	{"v3.9/main.yaml", 1057, 1099, 1117},     {"v3.9/community.yaml", 575, 592, 599},
	{"v3.10/main.yaml", 1109, 1157, 1177},    {"v3.10/community.yaml", 692, 711, 718},
	{"v3.11/main.yaml", 1122, 1178, 1198},    {"v3.11/community.yaml", 828, 884, 892},
};

/* Every release file: counts against the frozen table and, when python3 runs, the live oracle. */
TEST(alpine_all_releases)
{
	char args[4096] = "", *live;
	size_t i, off = 0;

	for (i = 0; i < CS_ARRAY_LEN(alpine_counts); i++) {
		char rel[128];

		snprintf(rel, sizeof(rel), "alpine-secdb/%s", alpine_counts[i].rel);
		off += (size_t)snprintf(args + off, sizeof(args) - off, " '%s'", shared_path(rel));
	}
	live = python_oracle(alpine_py, args);
	if (!live)
		fprintf(stderr, "  (python3 with PyYAML unavailable: frozen counts only)\n");
	for (i = 0; i < CS_ARRAY_LEN(alpine_counts); i++) {
		char rel[128], want[160];
		size_t naff, nranges, naliases;
		const char *eco;
		cs_err err;
		col c;

		snprintf(rel, sizeof(rel), "alpine-secdb/%s", alpine_counts[i].rel);
		col_init(&c);
		CHECK_INT(run_file(&cs_importer_alpine_secdb, rel, &c, &err), 0);
		counts(&c, &naff, &nranges, &naliases);
		if (c.nadv != alpine_counts[i].nadv || naff != alpine_counts[i].naff || nranges != alpine_counts[i].nranges) {
			fprintf(stderr, "  %s: %zu %zu %zu, expected %zu %zu %zu\n", rel, c.nadv, naff, nranges,
				alpine_counts[i].nadv, alpine_counts[i].naff, alpine_counts[i].nranges);
			test_failures++;
		}
		snprintf(want, sizeof(want), "%s %zu %zu %zu\n", alpine_counts[i].rel, c.nadv, naff, nranges);
		if (live && !strstr(live, want)) {
			fprintf(stderr, "  %s: python oracle disagrees with '%s'", rel, want);
			test_failures++;
		}
		/* every entry carries the release of the file */
		eco = strchr(alpine_counts[i].rel, '/');
		if (c.nadv) {
			char e[32];

			snprintf(e, sizeof(e), "Alpine:%.*s", (int)(eco - alpine_counts[i].rel), alpine_counts[i].rel);
			CHECK_STR(c.adv[0].affected[0].ecosystem, e);
			CHECK_STR(c.adv[0].file, rel);
		}
		CHECK_INT(c.broken, 0);
		col_release(&c);
	}
	free(live);
}

TEST(alpine_spot_checks)
{
	const cs_vdb_advisory *a;
	const cs_vdb_affected *f;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_alpine_secdb, "alpine-secdb/v3.11/main.yaml", &c, &err), 0);
	/* openssl: 1.1.1d-r1: [CVE-2019-1547, CVE-2019-1549, CVE-2019-1563] */
	a = find_adv(&c, "CVE-2019-1547");
	CHECK(a != NULL);
	f = find_aff(a, "Alpine:v3.11", "openssl", 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_STR(f->status, CS_VDB_FIXED);
		CHECK_INT(f->nranges, 1);
		CHECK_STR(f->ranges[0].introduced, "0");
		CHECK_STR(f->ranges[0].fixed, "1.1.1d-r1");
		CHECK(f->ranges[0].last_affected == NULL);
		CHECK(f->severity == NULL);
	}
	CHECK(a && a->naliases == 0 && a->nreferences == 1);
	if (a && a->nreferences)
		CHECK_STR(a->references[0], "https://security.alpinelinux.org/vuln/CVE-2019-1547");
	f = find_aff(find_adv(&c, "CVE-2019-1551"), "Alpine:v3.11", "openssl", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "1.1.1d-r3") == 0);
	f = find_aff(find_adv(&c, "CVE-2018-0735"), "Alpine:v3.11", "openssl", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "1.1.1a-r0") == 0);
	/* "CVE-2016-6258 XSA-182": the CVE is the advisory, the XSA its alias */
	a = find_adv(&c, "CVE-2016-6258");
	CHECK(has_alias(a, "XSA-182"));
	f = find_aff(a, "Alpine:v3.11", "xen", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "4.7.0-r0") == 0);
	CHECK(find_adv(&c, "XSA-182") == NULL);
	/* "XSA-207" alone is an advisory of its own */
	a = find_adv(&c, "XSA-207");
	CHECK(a && find_aff(a, "Alpine:v3.11", "xen", 0) != NULL);
	/* the same CVE under two fix versions: one range each, in file order */
	a = find_adv(&c, "CVE-2019-6116");
	f = find_aff(a, "Alpine:v3.11", "ghostscript", 0);
	CHECK(f && f->nranges == 2);
	if (f && f->nranges == 2) {
		CHECK_STR(f->ranges[0].fixed, "9.26-r2");
		CHECK_STR(f->ranges[1].fixed, "9.26-r1");
	}
	/* "CVE-????-?????  XSA-295" and friends are reported */
	CHECK(bad_has(&c, "'CVE-?" "?" "?" "?-?" "?" "?" "?" "?' is not an identifier"));
	CHECK_INT(c.broken, 0);
	col_release(&c);

	/* v3.8: the "0" fix version: not affected in this release */
	col_init(&c);
	CHECK_INT(run_file(&cs_importer_alpine_secdb, "alpine-secdb/v3.8/main.yaml", &c, &err), 0);
	f = find_aff(find_adv(&c, "CVE-2016-0682"), "Alpine:v3.8", "db", 0);
	CHECK(f != NULL);
	if (f) {
		CHECK_STR(f->status, CS_VDB_NOT_AFFECTED);
		CHECK_INT(f->nranges, 0);
	}
	col_release(&c);

	/* v3.3 community: "packages:" with no value */
	col_init(&c);
	CHECK_INT(run_file(&cs_importer_alpine_secdb, "alpine-secdb/v3.3/community.yaml", &c, &err), 0);
	CHECK_INT(c.nadv, 0);
	CHECK_INT(c.nbad, 0);
	col_release(&c);
}

/*
 * vunnel's snapshots of the v3.15 sample are its records for the release:
 * each CVE's FixedIn (package, version) pairs must be ours, and no more.
 */
TEST(alpine_vunnel_oracle)
{
	static const char *const snaps[] = {
		"cve-2018-1071",  "cve-2018-1083",  "cve-2018-25032", "cve-2019-11922", "cve-2019-13132", "cve-2019-20044",
		"cve-2019-6250",  "cve-2019-9210",  "cve-2020-14929", "cve-2020-15166", "cve-2021-24031", "cve-2021-24032",
		"cve-2021-38370", "cve-2021-45444", "cve-2022-1271",  "cve-2022-37434",
	};
	size_t i, j, ours = 0;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_alpine_secdb, "vunnel-samples/alpine/test-fixtures/input/secdb/v3.15/main.yaml",
			   &c, &err),
		  0);
	CHECK_INT(run_file(&cs_importer_alpine_secdb,
			   "vunnel-samples/alpine/test-fixtures/input/secdb/v3.15/community.yaml", &c, &err),
		  0);
	CHECK_INT(c.nadv, CS_ARRAY_LEN(snaps));
	for (i = 0; i < c.nadv; i++)
		for (j = 0; j < c.adv[i].naffected; j++)
			ours += c.adv[i].affected[j].nranges;
	for (i = 0; i < CS_ARRAY_LEN(snaps); i++) {
		char rel[256];
		size_t len;
		char *text;
		cJSON *doc, *fx;
		const cJSON *v;
		const cs_vdb_advisory *a;

		snprintf(rel, sizeof(rel), "vunnel-samples/alpine/test-fixtures/snapshots/3.15/%s.json", snaps[i]);
		text = test_read_file(shared_path(rel), &len);
		CHECK(text != NULL);
		if (!text)
			continue;
		doc = cJSON_Parse(text);
		v = cs_json_obj(cs_json_obj(doc, "item"), "Vulnerability");
		a = find_adv(&c, cs_json_str(v, "Name") ? cs_json_str(v, "Name") : "?");
		CHECK(a != NULL);
		cJSON_ArrayForEach(fx, cs_json_arr(v, "FixedIn"))
		{
			const cs_vdb_affected *f = find_aff(a, "Alpine:v3.15", cs_json_str(fx, "Name"), 0);
			bool found = false;

			CHECK_STR(cs_json_str(fx, "NamespaceName"), "alpine:3.15");
			for (j = 0; f && j < f->nranges; j++)
				found = found || strcmp(f->ranges[j].fixed, cs_json_str(fx, "Version")) == 0;
			if (!found) {
				fprintf(stderr, "  %s: %s %s missing\n", snaps[i], cs_json_str(fx, "Name"),
					cs_json_str(fx, "Version"));
				test_failures++;
			}
			ours--;
		}
		cJSON_Delete(doc);
		free(text);
	}
	CHECK_INT(ours, 0); /* nothing of ours that vunnel does not have */
	col_release(&c);
}

/* The JSON form of secdb (secdb.alpinelinux.org serves both) gives the same records as the YAML one. */
TEST(alpine_json_form)
{
	static const char json[] =
		"{\"apkurl\": \"{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk\",\n"
		" \"archs\": [\"x86_64\", \"aarch64\"], \"reponame\": \"main\",\n"
		" \"urlprefix\": \"https://dl-cdn.alpinelinux.org/alpine\", \"distroversion\": \"v3.11\",\n"
		" \"packages\": [\n"
		"  {\"pkg\": {\"name\": \"openssl\", \"secfixes\": {\"1.1.1d-r3\": [\"CVE-2019-1551\"],\n"
		"            \"1.1.1d-r1\": [\"CVE-2019-1547\", \"CVE-2019-1549\", \"CVE-2019-1563\"]}}},\n"
		"  {\"pkg\": {\"name\": \"db\", \"secfixes\": {\"0\": [\"CVE-2016-0682\"]}}}]}\n";
	size_t len, i, j;
	char *yaml = test_read_file(shared_path("alpine-secdb/v3.11/main.yaml"), &len), *printed;
	cJSON *tree;
	cs_err err;
	col cy, cj;

	col_init(&cj);
	CHECK_INT(run_str(&cs_importer_alpine_secdb, "v3.11/main.json", json, &cj, &err), 0);
	CHECK_INT(cj.nadv, 5);
	CHECK(find_aff(find_adv(&cj, "CVE-2019-1563"), "Alpine:v3.11", "openssl", 0) != NULL);
	CHECK_STR(find_aff(find_adv(&cj, "CVE-2016-0682"), "Alpine:v3.11", "db", 0)->status, CS_VDB_NOT_AFFECTED);
	col_release(&cj);

	/* the real v3.11 file, turned into JSON by our own YAML reader */
	CHECK(yaml != NULL);
	if (!yaml)
		return;
	tree = cs_feed_yaml_parse(yaml, len, "yaml", &err);
	CHECK(tree != NULL);
	printed = tree ? cJSON_PrintUnformatted(tree) : NULL;
	col_init(&cy);
	col_init(&cj);
	CHECK_INT(run_mem(&cs_importer_alpine_secdb, "main.yaml", yaml, len, &cy, &err), 0);
	if (printed)
		CHECK_INT(run_str(&cs_importer_alpine_secdb, "main.json", printed, &cj, &err), 0);
	CHECK_INT(cj.nadv, cy.nadv);
	for (i = 0; i < cy.nadv && i < cj.nadv; i++) {
		CHECK_STR(cj.adv[i].id, cy.adv[i].id);
		CHECK_INT(cj.adv[i].naffected, cy.adv[i].naffected);
		for (j = 0; j < cy.adv[i].naffected && j < cj.adv[i].naffected; j++) {
			CHECK_STR(cj.adv[i].affected[j].package, cy.adv[i].affected[j].package);
			CHECK_INT(cj.adv[i].affected[j].nranges, cy.adv[i].affected[j].nranges);
		}
	}
	col_release(&cy);
	col_release(&cj);
	cJSON_free(printed);
	cJSON_Delete(tree);
	free(yaml);
}

TEST(alpine_bad_input)
{
	static const char body[] = "distroversion: v3.11\nreponame: main\npackages:\n";
	static const struct {
		const char *text;
		int rc;            /* 0, or the code expected */
		size_t nadv;       /* advisories still sent */
		const char *bad;   /* a bad() reason expected, or NULL */
	} cases[] = {
		/* the file as a whole is unusable */
		{"", CS_EFORMAT, 0, NULL},
		{"just text\n", CS_EFORMAT, 0, NULL},
		{"- a\n- b\n", CS_EFORMAT, 0, NULL},
		{"reponame: main\npackages: []\n", CS_EFORMAT, 0, NULL},
		{"distroversion: [v3]\npackages: []\n", CS_EFORMAT, 0, NULL},
		{"distroversion: 'v3 11'\npackages: []\n", CS_EFORMAT, 0, NULL},
		{"distroversion: v3.11\npackages: 7\n", CS_EFORMAT, 0, NULL},
		{"distroversion: v3.11\npackages:\n  - pkg: {name: a, secfixes: {1-r0: [CVE-2020-1234]}}\n  - [", CS_EFORMAT, 0, NULL},
		{"distroversion: &x v3.11\nreponame: *x\npackages: []\n", CS_EFORMAT, 0, NULL},
		{"{\"distroversion\": \"v3.11\", \"packages\": [", CS_EFORMAT, 0, NULL},
		{"? [a]\n: b\n", CS_EFORMAT, 0, NULL},
		/* one record is skipped, the rest kept */
		{"  - pkg: {name: a, secfixes: {1-r0: [CVE-2020-1234]}}\n  - 5\n", 0, 1, "packages[1]: no 'pkg' object"},
		{"  - pkg: {secfixes: {1-r0: [CVE-2020-1234]}}\n", 0, 0, "missing or invalid package name"},
		{"  - pkg: {name: 'a b', secfixes: {1-r0: [CVE-2020-1234]}}\n", 0, 0, "invalid package name"},
		{"  - pkg: {name: a, secfixes: [1, 2]}\n", 0, 0, "'secfixes' is not a mapping"},
		{"  - pkg: {name: a, secfixes: {'1 r0': [CVE-2020-1234]}}\n", 0, 0, "invalid fix version"},
		{"  - pkg: {name: a, secfixes: {1-r0: {x: y}}}\n", 0, 0, "fixes are not a list"},
		{"  - pkg: {name: a, secfixes: {1-r0: [[CVE-2020-1234], CVE-2020-1235]}}\n", 0, 1, "not a string"},
		{"  - pkg: {name: a, secfixes: {1-r0: [CVE_2019-2426, CVE-2020-1]}}\n", 0, 0, "'CVE_2019-2426' is not"},
		{"  - pkg: {name: a, secfixes: {1-r0: CVE-2020-1234}}\n", 0, 1, NULL},
		{"  - pkg: {name: a, secfixes: {1-r0: [\"CVE-2020-1234 (was \\x01 bad)\"]}}\n", 0, 1, NULL},
		{"  - pkg: {name: a, secfixes: {1-r0: [\"\\u00e9t\\u00e9 CVE-2020-1234\"]}}\n", 0, 1, "is not an identifier"},
		{"  - pkg: {name: a, secfixes: {1-r0: [\"CVE-2020-123456789012345678901234567890\"]}}\n", 0, 0, "is not an identifier"},
		{"  - pkg: {name: a, secfixes: {1-r0: [\"CVE-1 CVE-2 CVE-3 CVE-4 CVE-5 CVE-6 CVE-7 CVE-8\"]}}\n", 0, 0, NULL},
		{"  - pkg: {name: a, secfixes: ~}\n  - pkg: {name: b}\n", 0, 0, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_buf text = CS_BUF_INIT;
		cs_err err;
		col c;
		int rc;

		/* from the eleventh case on, the text is a package list below a valid header */
		if (i >= 11)
			cs_buf_puts(&text, body);
		cs_buf_puts(&text, cases[i].text);
		col_init(&c);
		rc = run_mem(&cs_importer_alpine_secdb, "bad.yaml", text.data, text.len, &c, &err);
		if (rc != cases[i].rc || c.nadv != cases[i].nadv || (cases[i].bad && !bad_has(&c, cases[i].bad)) ||
		    (rc < 0 && !err.msg[0]) || c.broken) {
			fprintf(stderr, "  case %zu: rc %d (%s), %zu advisories, %zu bad%s%s\n", i, rc, err.msg, c.nadv,
				c.nbad, c.nbad ? ", first: " : "", c.nbad ? c.bad[0] : "");
			test_failures++;
		}
		col_release(&c);
		cs_buf_release(&text);
	}
}

/* YAML: scalars stay strings, nulls are null, nesting is bounded. */
TEST(yaml_reader)
{
	static const char doc[] = "a: 1.10\nb: 'yes'\nc: ~\nd:\ne: [x, null, \"null\"]\nf: {g: 0}\n";
	cs_buf deep = CS_BUF_INIT;
	cJSON *t;
	cs_err err;
	int i;

	cs_err_clear(&err);
	t = cs_feed_yaml_parse(doc, strlen(doc), "doc", &err);
	CHECK(t != NULL);
	CHECK_STR(cs_json_str(t, "a"), "1.10");
	CHECK_STR(cs_json_str(t, "b"), "yes");
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(t, "c")));
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(t, "d")));
	CHECK_INT(cJSON_GetArraySize(cs_json_arr(t, "e")), 3);
	CHECK(cJSON_IsNull(cJSON_GetArrayItem(cs_json_arr(t, "e"), 1)));
	CHECK_STR(cJSON_GetArrayItem(cs_json_arr(t, "e"), 2)->valuestring, "null");
	CHECK_STR(cs_json_str(cs_json_obj(t, "f"), "g"), "0");
	cJSON_Delete(t);
	/* 300 levels of flow sequences: refused with CS_ELIMIT, not a stack overflow */
	for (i = 0; i < 300; i++)
		cs_buf_putc(&deep, '[');
	cs_err_clear(&err);
	t = cs_feed_yaml_parse(deep.data, deep.len, "deep", &err);
	CHECK(t == NULL);
	CHECK(err.code == CS_ELIMIT || err.code == CS_EFORMAT);
	cs_buf_release(&deep);
}

/* ---- Debian DSA/DLA lists ---------------------------------------------------- */

static const char dlist_py[] =
	"import re, sys\n"
	"REL = set('buzz rex bo hamm slink potato woody sarge etch lenny squeeze wheezy jessie stretch buster "
	"bullseye bookworm trixie forky duke sid'.split())\n"
	"MARK = {'<not-affected>', '<unfixed>', '<end-of-life>', '<no-dsa>', '<postponed>', '<ignored>', '<removed>'}\n"
	"HDR = re.compile(r'\\[\\d{1,2} [A-Z][a-z]{2} \\d{4}\\][ \\t]+([A-Z]{2,}-[0-9-]+)')\n"
	"AFF = re.compile(r'[ \\t]+(?:NOTE:[ \\t]*)?\\[([^\\]]*)\\][ \\t]*-?[ \\t]*(\\S+)[ \\t]+(\\S+)')\n"
	"for path in sys.argv[1:]:\n"
	"    advs = []\n"
	"    naff = nfixed = 0\n"
	"    for line in open(path, encoding='utf-8', errors='replace'):\n"
	"        line = line.rstrip('\\n')\n"
	"        m = HDR.match(line)\n"
	"        if m:\n"
	"            advs.append([m.group(1), set()])\n"
	"            continue\n"
	"        m = re.match(r'[ \\t]+\\{([^}]*)\\}', line)\n"
	"        if m:\n"
	"            advs[-1][1] |= set(m.group(1).split())\n"
	"            continue\n"
	"        m = AFF.match(line)\n"
	"        if m and m.group(1) in REL:\n"
	"            v = m.group(3)\n"
	"            if not v.startswith('<'):\n"
	"                naff += 1; nfixed += 1\n"
	"            elif v in MARK:\n"
	"                naff += 1\n"
	"    base = {}\n"
	"    for i, a in advs:\n"
	"        b = '-'.join(i.split('-')[:2])\n"
	"        if a and b not in base: base[b] = a\n"
	"    nal = sum(len(a) if a else len(base.get('-'.join(i.split('-')[:2]), ())) for i, a in advs)\n"
	"    print(path.split('/')[-2], len(advs), nal, naff, nfixed)\n";

/* Headers (= advisories), aliases, affected entries, ranges: frozen from the oracle above. */
static const struct {
	const char *rel, *kind;
	size_t nadv, naliases, naff, nranges;
} dlist_counts[] = {
	{"debian-security-tracker/DSA/list", "DSA", 5406, 18624, 6991, 6927},
	{"debian-security-tracker/DLA/list", "DLA", 3534, 11643, 3535, 3534},
};

TEST(debian_list_counts)
{
	char args[2048];
	char *live;
	size_t i;

	snprintf(args, sizeof(args), "'%s'", shared_path(dlist_counts[0].rel));
	snprintf(args + strlen(args), sizeof(args) - strlen(args), " '%s'", shared_path(dlist_counts[1].rel));
	live = python_oracle(dlist_py, args);
	if (!live)
		fprintf(stderr, "  (python3 unavailable: frozen counts only)\n");
	for (i = 0; i < CS_ARRAY_LEN(dlist_counts); i++) {
		size_t naff, nranges, naliases, j, headers = 0, len;
		char want[128], *text = test_read_file(shared_path(dlist_counts[i].rel), &len), *p;
		cs_err err;
		col c;

		col_init(&c);
		CHECK_INT(run_file(&cs_importer_debian_list, dlist_counts[i].rel, &c, &err), 0);
		counts(&c, &naff, &nranges, &naliases);
		/* headers counted the plain way: lines starting "[" holding "] DSA-" (or DLA-) */
		for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
			char needle[8];

			snprintf(needle, sizeof(needle), "] %s-", dlist_counts[i].kind);
			if (*p == '[' && strstr(p, needle) && strstr(p, needle) < (strchr(p, '\n') ? strchr(p, '\n') : p + strlen(p)))
				headers++;
		}
		CHECK_INT(c.nadv, headers);
		CHECK_INT(c.nadv, dlist_counts[i].nadv);
		CHECK_INT(naliases, dlist_counts[i].naliases);
		CHECK_INT(naff, dlist_counts[i].naff);
		CHECK_INT(nranges, dlist_counts[i].nranges);
		snprintf(want, sizeof(want), "%s %zu %zu %zu %zu\n", dlist_counts[i].kind, c.nadv, naliases, naff, nranges);
		if (live && !strstr(live, want)) {
			fprintf(stderr, "  python oracle disagrees with '%s'", want);
			test_failures++;
		}
		for (j = 0; j < c.nadv; j++)
			if (!c.adv[j].published || !cs_str_starts(c.adv[j].id, dlist_counts[i].kind))
				break;
		CHECK_INT(j, c.nadv);
		CHECK_INT(c.broken, 0);
		/* reported, not silently dropped: the few odd lines of the real files */
		if (c.nbad)
			fprintf(stderr, "  (%s: %zu lines reported, first: %s)\n", dlist_counts[i].kind, c.nbad, c.bad[0]);
		col_release(&c);
		free(text);
	}
	free(live);
}

TEST(debian_list_spot_checks)
{
	const cs_vdb_advisory *a;
	const cs_vdb_affected *f;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_debian_list, "debian-security-tracker/DSA/list", &c, &err), 0);
	/*
	 * [06 Dec 2022] DSA-5296-1 xfce4-settings - security update
	 * 	{CVE-2022-45062}
	 * 	[bullseye] - xfce4-settings 4.16.0-1+deb11u1
	 */
	a = find_adv(&c, "DSA-5296-1");
	CHECK(a != NULL);
	if (a) {
		CHECK_STR(a->published, "2022-12-06T00:00:00Z");
		CHECK_STR(a->summary, "xfce4-settings - security update");
		CHECK(a->details == NULL && a->modified == NULL && a->withdrawn == NULL && a->severity == NULL);
		CHECK_STR(a->file, "debian-security-tracker/DSA/list");
		CHECK_INT(a->naliases, 1);
		CHECK(has_alias(a, "CVE-2022-45062"));
		CHECK_INT(a->nreferences, 1);
		CHECK_STR(a->references[0], "https://security-tracker.debian.org/tracker/DSA-5296-1");
		CHECK_INT(a->ncvss, 0);
		CHECK_INT(a->naffected, 1);
		f = find_aff(a, "Debian:11", "xfce4-settings", 0);
		CHECK(f != NULL);
		if (f) {
			CHECK_STR(f->status, CS_VDB_FIXED);
			CHECK(f->severity == NULL);
			CHECK_INT(f->nranges, 1);
			CHECK_STR(f->ranges[0].introduced, "0");
			CHECK_STR(f->ranges[0].fixed, "4.16.0-1+deb11u1");
		}
	}
	/* a regression update without braces borrows the CVEs of DSA-5356-1 */
	a = find_adv(&c, "DSA-5356-2");
	CHECK(a && a->naliases == 8 && has_alias(a, "CVE-2021-3643") && has_alias(a, "CVE-2022-31651"));
	f = find_aff(a, "Debian:11", "sox", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "14.4.2+git20190427-2+deb11u2") == 0);
	/* markers */
	f = find_aff(find_adv(&c, "DSA-3699-1"), "Debian:8", "virtualbox", 0);
	CHECK(f && strcmp(f->status, CS_VDB_END_OF_LIFE) == 0 && f->nranges == 0);
	f = find_aff(find_adv(&c, "DSA-880-1"), "Debian:3.0", "phpmyadmin", 0);
	CHECK(f && strcmp(f->status, CS_VDB_NOT_FIXED) == 0);
	f = find_aff(find_adv(&c, "DSA-880-1"), "Debian:3.1", "phpmyadmin", 0);
	CHECK(f && strcmp(f->status, CS_VDB_FIXED) == 0 && strcmp(f->ranges[0].fixed, "4:2.6.2-3sarge1") == 0);
	/* "NOTE: [etch] - clamav <end-of-life> (...)" */
	f = find_aff(find_adv(&c, "DSA-1906-1"), "Debian:4", "clamav", 0);
	CHECK(f && strcmp(f->status, CS_VDB_END_OF_LIFE) == 0);
	/* "[woody] - phpgroupware <unfixed> (high)": the comment is not the version */
	f = find_aff(find_adv(&c, "DSA-746-1"), "Debian:3.1", "phpgroupware", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "0.9.16.005-3.sarge0") == 0);
	/* an old id without revision, and an announcement without packages */
	a = find_adv(&c, "DSA-141");
	CHECK(a && a->published && strcmp(a->published, "2002-08-01T00:00:00Z") == 0);
	a = find_adv(&c, "DSA-4205-1");
	CHECK(a && a->naffected == 0 && a->naliases == 0 && strcmp(a->summary, "jessie end-of-life") == 0);
	col_release(&c);

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_debian_list, "debian-security-tracker/DLA/list", &c, &err), 0);
	/* [01 Apr 2023] DLA-3378-1 duktape - security update / {CVE-2021-46322} / [buster] - duktape 2.3.0-1+deb10u1 */
	a = find_adv(&c, "DLA-3378-1");
	CHECK(a && strcmp(a->published, "2023-04-01T00:00:00Z") == 0 && has_alias(a, "CVE-2021-46322"));
	f = find_aff(a, "Debian:10", "duktape", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "2.3.0-1+deb10u1") == 0);
	col_release(&c);

	/* vunnel's sample: 10 advisories */
	col_init(&c);
	CHECK_INT(run_file(&cs_importer_debian_list, "vunnel-samples/debian/test-fixtures/input/DSA", &c, &err), 0);
	CHECK_INT(c.nadv, 10);
	f = find_aff(find_adv(&c, "DSA-5970-1"), "Debian:12", "sope", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "5.8.0-1+deb12u1") == 0);
	f = find_aff(find_adv(&c, "DSA-140"), "Debian:3.0", "libpng3", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "1.2.1-1.1.woody.2") == 0);
	CHECK_INT(c.nbad, 0);
	col_release(&c);
}

TEST(debian_list_bad_input)
{
	static const char text[] =
		"\t[bullseye] - early 1.0\n"                                  /* before any header */
		"[12 Dec 2022] DSA-5296-1 xorg-server - security update\n"
		"\t{CVE-2022-46340 not/an-id CVE-2022-46341}\n"
		"\t[bullseye] - xorg-server 2:1.20.11-1+deb11u4\n"
		"\t[hamster] - xorg-server 1.0\n"                              /* unknown release, reported once */
		"\t[hamster] - xorg-server 1.1\n"
		"\t[buster] - xorg-server <fixed-by-magic>\n"                  /* unknown marker */
		"\t[buster] - xorg-server <undetermined>\n"                    /* says nothing: no entry */
		"\t[buster] - xorg-server\n"                                   /* no version */
		"\t[buster\n"                                                  /* unterminated */
		"\t{CVE-2022-1\n"                                              /* unterminated list */
		"\tstray words\n"
		"\tNOTE: plain prose is fine\n"
		"[99 Foo 2022] DSA-1-1 bad date\n"
		"\t[bullseye] - skipped 1.0\n"                                 /* belongs to the bad header */
		"[01 Jan 2023] not-an-id\n"
		"garbage at column one\n"
		"[02 Jan 2023] DLA-1-1\n"                                      /* no summary */
		"\t[sid] - pkg 1.0\n"
		"\t[bookworm] - pkg <ignored> (minor issue)\n"
		"\t[bookworm] - pkg2 <postponed>\n"
		"\t[trixie] - pkg <removed>\n"
		"\t[trixie] - pkg2 <no-dsa>\n";
	const cs_vdb_advisory *a;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_str(&cs_importer_debian_list, "DSA/list", text, &c, &err), 0);
	CHECK_INT(c.nadv, 2);
	a = find_adv(&c, "DSA-5296-1");
	CHECK(a && a->naliases == 2 && a->naffected == 1);
	CHECK(bad_has(&c, "text outside any advisory"));
	CHECK(bad_has(&c, "'not/an-id' is not an identifier"));
	CHECK(bad_has(&c, "unknown release 'hamster'"));
	CHECK(bad_has(&c, "unknown marker '<fixed-by-magic>'"));
	CHECK(bad_has(&c, "expected '[release] - package version'"));
	CHECK(bad_has(&c, "unterminated release name"));
	CHECK(bad_has(&c, "unterminated '{' list"));
	CHECK(bad_has(&c, "unrecognised line"));
	CHECK(bad_has(&c, "cannot read advisory header"));
	CHECK_INT(c.nbad, 11);
	a = find_adv(&c, "DLA-1-1");
	CHECK(a && a->summary == NULL && a->naffected == 5);
	if (a && a->naffected == 5) {
		CHECK_STR(a->affected[0].ecosystem, "Debian:unstable");
		CHECK_STR(a->affected[1].status, CS_VDB_WILL_NOT_FIX);
		CHECK_STR(a->affected[2].status, CS_VDB_NOT_FIXED);
		CHECK_STR(a->affected[3].status, CS_VDB_NOT_FIXED);
		CHECK_STR(a->affected[4].status, CS_VDB_NOT_FIXED);
	}
	CHECK_INT(c.broken, 0);
	col_release(&c);

	/* nothing that looks like a list at all */
	col_init(&c);
	CHECK_INT(run_str(&cs_importer_debian_list, "DSA/list", "hello\nworld\n", &c, &err), CS_EFORMAT);
	CHECK_INT(c.nadv, 0);
	col_release(&c);
	col_init(&c);
	CHECK_INT(run_str(&cs_importer_debian_list, "DSA/list", "", &c, &err), 0);
	col_release(&c);
}

/* ---- Debian tracker JSON ------------------------------------------------------- */

TEST(debian_tracker_sample)
{
	const cs_vdb_advisory *a;
	const cs_vdb_affected *f;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_debian_tracker, "vunnel-samples/debian/test-fixtures/input/debian.json", &c, &err), 0);
	CHECK_INT(c.nadv, 7);
	CHECK_INT(c.nbad, 0);
	CHECK_INT(c.broken, 0);
	/* chromium CVE-2022-0456: five releases */
	a = find_adv(&c, "CVE-2022-0456");
	CHECK(a && a->naffected == 5 && a->details == NULL && a->severity == NULL);
	f = find_aff(a, "Debian:12", "chromium", 0);
	CHECK(f && strcmp(f->status, CS_VDB_FIXED) == 0 && strcmp(f->ranges[0].fixed, "98.0.4758.80-1") == 0 &&
	      f->severity == NULL);
	f = find_aff(a, "Debian:11", "chromium", 0);
	CHECK(f && strcmp(f->ranges[0].fixed, "98.0.4758.80-1~deb11u1") == 0);
	f = find_aff(a, "Debian:10", "chromium", 0);
	CHECK(f && strcmp(f->status, CS_VDB_END_OF_LIFE) == 0 && f->nranges == 0);
	f = find_aff(a, "Debian:unstable", "chromium", 0);
	CHECK(f && strcmp(f->status, CS_VDB_FIXED) == 0);
	/* fixed_version "0": not affected; "unimportant": negligible */
	a = find_adv(&c, "CVE-2007-2383");
	f = find_aff(a, "Debian:9", "prototypejs", 0);
	CHECK(f && strcmp(f->status, CS_VDB_NOT_AFFECTED) == 0 && f->nranges == 0);
	CHECK(f && f->severity && strcmp(f->severity, "negligible") == 0);
	CHECK(a && a->severity && strcmp(a->severity, "low") == 0);
	CHECK(a && a->details && cs_str_starts(a->details, "The Prototype (prototypejs) framework"));
	/* "high**" is high; the bug number becomes a reference */
	a = find_adv(&c, "CVE-2008-7220");
	CHECK(a && a->severity && strcmp(a->severity, "high") == 0);
	CHECK(a && a->nreferences == 2 && strcmp(a->references[1], "https://bugs.debian.org/555217") == 0);
	CHECK(a && strcmp(a->references[0], "https://security-tracker.debian.org/tracker/CVE-2008-7220") == 0);
	/* "releases": [] */
	a = find_adv(&c, "CVE-2022-0358");
	CHECK(a && a->naffected == 0);
	col_release(&c);
}

/*
 * vunnel's snapshots of the same debian.json: every FixedIn of a CVE in a
 * release the sample covers is one of our entries ("None": not fixed yet,
 * "0": not affected); its severity words agree where both have one.
 */
TEST(debian_tracker_vunnel_oracle)
{
	static const char *const snaps[] = {
		"debian:8/cve-2005-3111.json",        "debian:8/cve-2007-2383.json",  "debian:8/cve-2008-7220.json",
		"debian:8/cve-2013-1444.json",        "debian:9/cve-2005-3111.json",  "debian:9/cve-2007-2383.json",
		"debian:9/cve-2008-7220.json",        "debian:9/cve-2013-1444.json",  "debian:9/cve-2022-0456.json",
		"debian:10/cve-2005-3111.json",       "debian:10/cve-2007-2383.json", "debian:10/cve-2008-7220.json",
		"debian:10/cve-2012-0833.json",       "debian:10/cve-2013-1444.json", "debian:10/cve-2022-0456.json",
		"debian:11/cve-2022-0456.json",       "debian:11/cve-2025-53603.json", "debian:12/cve-2022-0456.json",
		"debian:12/cve-2025-53603.json",      "debian:13/cve-2025-53603.json", "debian:unstable/cve-2005-3111.json",
		"debian:unstable/cve-2007-2383.json", "debian:unstable/cve-2008-7220.json",
		"debian:unstable/cve-2013-1444.json", "debian:unstable/cve-2022-0456.json",
		"debian:unstable/cve-2025-53603.json",
	};
	size_t i, compared = 0;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_debian_tracker, "vunnel-samples/debian/test-fixtures/input/debian.json", &c, &err), 0);
	for (i = 0; i < CS_ARRAY_LEN(snaps); i++) {
		char rel[256], eco[64];
		size_t len;
		char *text;
		cJSON *doc, *fx;
		const cJSON *v;
		const cs_vdb_advisory *a;
		const char *ns, *sev;

		snprintf(rel, sizeof(rel), "vunnel-samples/debian/test-fixtures/snapshots/%s", snaps[i]);
		text = test_read_file(shared_path(rel), &len);
		CHECK(text != NULL);
		if (!text)
			continue;
		doc = cJSON_Parse(text);
		v = cs_json_obj(cs_json_obj(doc, "item"), "Vulnerability");
		ns = cs_json_str(v, "NamespaceName");
		sev = cs_json_str(v, "Severity");
		snprintf(eco, sizeof(eco), "Debian:%s", ns ? ns + 7 : "?");
		a = find_adv(&c, cs_json_str(v, "Name") ? cs_json_str(v, "Name") : "?");
		if (!a) { /* CVE-2012-0833 comes from vunnel's legacy data, not debian.json */
			cJSON_Delete(doc);
			free(text);
			continue;
		}
		cJSON_ArrayForEach(fx, cs_json_arr(v, "FixedIn"))
		{
			const cs_vdb_affected *f = find_aff(a, eco, cs_json_str(fx, "Name"), 0);
			const char *ver = cs_json_str(fx, "Version");

			compared++;
			if (!f || !ver) {
				fprintf(stderr, "  %s: no entry for %s\n", snaps[i], cs_json_str(fx, "Name"));
				test_failures++;
				continue;
			}
			if (strcmp(ver, "None") == 0)
				CHECK(strcmp(f->status, CS_VDB_NOT_FIXED) == 0 || strcmp(f->status, CS_VDB_END_OF_LIFE) == 0 ||
				      strcmp(f->status, CS_VDB_WILL_NOT_FIX) == 0);
			else if (strcmp(ver, "0") == 0)
				CHECK_STR(f->status, CS_VDB_NOT_AFFECTED);
			else
				CHECK(f->nranges == 1 && strcmp(f->ranges[0].fixed, ver) == 0);
			if (sev && (strcmp(sev, "Low") == 0 || strcmp(sev, "Medium") == 0 || strcmp(sev, "High") == 0 ||
				    strcmp(sev, "Negligible") == 0))
				CHECK(f->severity && strcasecmp(f->severity, sev) == 0);
		}
		cJSON_Delete(doc);
		free(text);
	}
	CHECK(compared >= 20);
	col_release(&c);
}

/* Edge cases the sample lacks, in the tracker's own shape. */
TEST(debian_tracker_edge_cases)
{
	static const char text[] =
		"{\n"
		"  \"zlib\": {\n"
		"    \"CVE-2023-45853\": {\"description\": \"MiniZip in zlib through 1.3 has an integer overflow.\",\n"
		"      \"scope\": \"local\", \"debianbug\": 1054290,\n"
		"      \"releases\": {\n"
		"        \"bookworm\": {\"status\": \"open\", \"repositories\": {\"bookworm\": \"1:1.2.13.dfsg-1\"},\n"
		"                     \"urgency\": \"unimportant\", \"nodsa\": \"contrib/minizip not built\",\n"
		"                     \"nodsa_reason\": \"ignored\"},\n"
		"        \"trixie\": {\"status\": \"resolved\", \"fixed_version\": \"1:1.3.dfsg-1\", \"urgency\": \"medium**\"},\n"
		"        \"bullseye\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"Minor issue\",\n"
		"                     \"nodsa_reason\": \"postponed\"},\n"
		"        \"buster\": {\"status\": \"undetermined\", \"urgency\": \"not yet assigned\"},\n"
		"        \"experimental\": {\"status\": \"resolved\", \"fixed_version\": \"1.3\"},\n"
		"        \"sid\": {\"status\": \"weird\"},\n"
		"        \"forky\": {\"status\": \"resolved\"},\n"
		"        \"duke\": \"resolved\"\n"
		"      }},\n"
		"    \"TEMP-0000000-2F5A7B\": {\"description\": \"issue without a CVE\",\n"
		"      \"releases\": {\"bookworm\": {\"status\": \"open\", \"urgency\": \"low\", \"nodsa\": \"x\"}}},\n"
		"    \"not an id\": {\"releases\": {}},\n"
		"    \"CVE-2023-0001\": [1, 2]\n"
		"  },\n"
		"  \"minizip\": {\n"
		"    \"CVE-2023-45853\": {\"description\": \"a second description, ignored\",\n"
		"      \"releases\": {\"bookworm\": {\"status\": \"resolved\", \"fixed_version\": \"0\", \"urgency\": \"low\"},\n"
		"                   \"experimental\": {\"status\": \"open\"}}}\n"
		"  },\n"
		"  \"bad pkg\": {\"CVE-2020-0001\": {}},\n"
		"  \"p\\u0061ckage\": {\"CVE-2020-0002\": {\"releases\": {\"sid\": {\"status\": \"open\", \"urgency\": 5}}}},\n"
		"  \"broken\": {\"CVE-2020-0003\": {\"releases\": {\"sid\": {\"status\": \"open\" \"x\": 1}}}},\n"
		"  \"scalar\": 42\n"
		"}\n";
	const cs_vdb_advisory *a;
	const cs_vdb_affected *f;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(claims("tracker.json", text, strlen(text)), 1u << 1);
	CHECK_INT(run_str(&cs_importer_debian_tracker, "tracker.json", text, &c, &err), 0);
	CHECK_INT(c.broken, 0);
	/* one advisory for the CVE, though two packages list it */
	a = find_adv(&c, "CVE-2023-45853");
	CHECK(a != NULL);
	if (!a) {
		col_release(&c);
		return;
	}
	CHECK_INT(a->naffected, 4);
	CHECK_STR(a->details, "MiniZip in zlib through 1.3 has an integer overflow.");
	CHECK_STR(a->severity, "medium");
	f = find_aff(a, "Debian:12", "zlib", 0);
	CHECK(f && strcmp(f->status, CS_VDB_WILL_NOT_FIX) == 0 && strcmp(f->severity, "negligible") == 0);
	f = find_aff(a, "Debian:13", "zlib", 0);
	CHECK(f && strcmp(f->status, CS_VDB_FIXED) == 0 && strcmp(f->ranges[0].fixed, "1:1.3.dfsg-1") == 0 &&
	      strcmp(f->severity, "medium") == 0);
	f = find_aff(a, "Debian:11", "zlib", 0);
	CHECK(f && strcmp(f->status, CS_VDB_NOT_FIXED) == 0 && strcmp(f->severity, "low") == 0);
	CHECK(find_aff(a, "Debian:10", "zlib", 0) == NULL); /* undetermined */
	f = find_aff(a, "Debian:12", "minizip", 0);
	CHECK(f && strcmp(f->status, CS_VDB_NOT_AFFECTED) == 0);
	a = find_adv(&c, "TEMP-0000000-2F5A7B");
	CHECK(a && a->naffected == 1 && strcmp(a->affected[0].status, CS_VDB_NOT_FIXED) == 0);
	a = find_adv(&c, "CVE-2020-0002"); /* escaped package name decoded; a number as urgency is no severity */
	CHECK(a && a->naffected == 1 && strcmp(a->affected[0].package, "package") == 0 && a->affected[0].severity == NULL);
	CHECK(find_adv(&c, "CVE-2020-0003") == NULL);
	CHECK(bad_has(&c, "unknown release 'experimental'"));
	CHECK(bad_has(&c, "unknown status 'weird'"));
	CHECK(bad_has(&c, "resolved without a valid fixed_version"));
	CHECK(bad_has(&c, "(duke): not an object"));
	CHECK(bad_has(&c, "invalid issue id"));
	CHECK(bad_has(&c, "CVE-2023-0001 in 'zlib': not an object"));
	CHECK(bad_has(&c, "invalid package name 'bad pkg'"));
	CHECK(bad_has(&c, "package 'broken': malformed JSON"));
	CHECK(bad_has(&c, "package 'scalar': not an object"));
	CHECK_INT(c.nbad, 9); /* "experimental" reported once, not per issue */
	col_release(&c);
}

/* A damaged file is refused as a whole, before any record leaves it. */
TEST(debian_tracker_truncated)
{
	size_t len, cut;
	char *text = test_read_file(shared_path("vunnel-samples/debian/test-fixtures/input/debian.json"), &len);
	cs_err err;

	CHECK(text != NULL);
	if (!text)
		return;
	for (cut = 0; cut < len; cut += 97) {
		col c;
		int rc;

		col_init(&c);
		rc = run_mem(&cs_importer_debian_tracker, "debian.json", text, cut, &c, &err);
		if (rc != CS_EFORMAT || c.nadv != 0) {
			fprintf(stderr, "  cut at %zu: rc %d, %zu advisories\n", cut, rc, c.nadv);
			test_failures++;
			col_release(&c);
			break;
		}
		col_release(&c);
	}
	free(text);
}

/* ---- NVD ------------------------------------------------------------------------ */

TEST(nvd_full_page)
{
	const char *rel = "vunnel-samples/nvd/test-fixtures/full-page.json";
	size_t len, i, n = 0;
	char *text = test_read_file(shared_path(rel), &len);
	cJSON *doc = text ? cJSON_Parse(text) : NULL, *v;
	const cs_vdb_advisory *a;
	cs_err err;
	col c;

	CHECK(doc != NULL);
	col_init(&c);
	CHECK_INT(run_file(&cs_importer_nvd, rel, &c, &err), 0);
	CHECK_INT(c.nbad, 0);
	CHECK_INT(c.broken, 0);
	CHECK_INT(c.nadv, cJSON_GetArraySize(cs_json_arr(doc, "vulnerabilities")));
	/* the whole page parsed at once by cJSON, against the importer's element-wise reading */
	cJSON_ArrayForEach(v, cs_json_arr(doc, "vulnerabilities"))
	{
		const cJSON *cve = cs_json_obj(v, "cve"), *list, *m;
		size_t ncvss = 0;

		a = find_adv(&c, cs_json_str(cve, "id"));
		CHECK(a != NULL);
		if (!a)
			continue;
		cJSON_ArrayForEach(list, cs_json_obj(cve, "metrics"))
			cJSON_ArrayForEach(m, list)
				ncvss++;
		CHECK_INT(a->ncvss, ncvss);
		CHECK_INT(a->nreferences, cJSON_GetArraySize(cs_json_arr(cve, "references")));
		CHECK(a->naffected == 0 && a->naliases == 0 && a->withdrawn == NULL);
		CHECK(a->published && a->modified && a->details);
		n++;
	}
	CHECK_INT(n, 38);
	/* CVE-2023-27314: NVD's own v3.1 score first, the CNA's next */
	a = find_adv(&c, "CVE-2023-27314");
	CHECK(a != NULL);
	if (a) {
		CHECK_STR(a->published, "2023-10-12T19:15:11.747Z");
		CHECK_STR(a->modified, "2023-10-18T18:00:24.900Z");
		CHECK(a->details && cs_str_starts(a->details, "ONTAP 9 versions prior to 9.8P19"));
		CHECK_STR(a->severity, "high");
		CHECK(a->ncvss == 2);
		if (a->ncvss == 2) {
			CHECK_STR(a->cvss[0].version, "3.1");
			CHECK_STR(a->cvss[0].vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
			CHECK(fabs(a->cvss[0].score - 7.5) < 1e-9);
			CHECK_STR(a->cvss[0].source, "nvd");
			CHECK_STR(a->cvss[1].source, "security-alert@netapp.com");
		}
		CHECK_STR(a->file, rel);
	}
	/* "Awaiting Analysis": only the CNA scored it, and that is the severity */
	for (i = 0; i < c.nadv; i++)
		if (c.adv[i].ncvss && !c.adv[i].severity)
			break;
	CHECK_INT(i, c.nadv);
	col_release(&c);
	cJSON_Delete(doc);
	free(text);

	col_init(&c);
	CHECK_INT(run_file(&cs_importer_nvd, "vunnel-samples/nvd/test-fixtures/single-entry.json", &c, &err), 0);
	CHECK_INT(c.nadv, 1);
	a = find_adv(&c, "CVE-2022-1576");
	CHECK(a && a->details && cs_str_starts(a->details, "The WP Maintenance Mode & Coming Soon WordPress plugin"));
	CHECK(a && strcmp(a->published, "2022-07-11T13:15:08.503Z") == 0);
	col_release(&c);
}

TEST(nvd_edge_cases)
{
	static const char text[] =
		"{\"resultsPerPage\": 6, \"format\": \"NVD_CVE\", \"version\": \"2.0\", \"vulnerabilities\": [\n"
		" {\"cve\": {\"id\": \"CVE-2021-0001\", \"published\": \"2021-01-01T00:00:00.000\", \"vulnStatus\": \"Rejected\",\n"
		"   \"lastModified\": \"2021-02-01T10:00:00.000\",\n"
		"   \"descriptions\": [{\"lang\": \"en\", \"value\": \"Rejected reason: duplicate.\"}]}},\n"
		" {\"cve\": {\"id\": \"CVE-2005-0001\", \"published\": \"2005-01-01T05:00:00.000\",\n"
		"   \"descriptions\": [{\"lang\": \"es\", \"value\": \"uno\"}, {\"lang\": \"en\", \"value\": \"one\"}],\n"
		"   \"metrics\": {\"cvssMetricV2\": [{\"source\": \"nvd@nist.gov\", \"type\": \"Primary\",\n"
		"      \"cvssData\": {\"version\": \"2.0\", \"vectorString\": \"AV:N/AC:L/Au:N/C:P/I:P/A:P\", \"baseScore\": 7.5},\n"
		"      \"baseSeverity\": \"HIGH\"}]}}},\n"
		" {\"cve\": {\"id\": \"CVE-2024-0002\", \"metrics\": {\n"
		"   \"cvssMetricV40\": [{\"source\": \"cna@example.com\", \"type\": \"Secondary\",\n"
		"      \"cvssData\": {\"version\": \"4.0\", \"vectorString\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\",\n"
		"                   \"baseScore\": 9.3, \"baseSeverity\": \"CRITICAL\"}}],\n"
		"   \"cvssMetricV31\": [{\"source\": \"cna@example.com\", \"type\": \"Secondary\",\n"
		"      \"cvssData\": {\"vectorString\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N\", \"baseScore\": \"5\",\n"
		"                   \"baseSeverity\": \"MEDIUM\"}},\n"
		"                     {\"source\": \"x\", \"cvssData\": {\"baseScore\": 1}}]},\n"
		"   \"references\": [{\"url\": \"https://example.com/a\"}, {\"url\": \"has space\"}, {\"uri\": 1}]}},\n"
		" {\"cve\": {\"id\": \"NOT-A-CVE\"}},\n"
		" [1, 2],\n"
		" {\"cve\": {\"id\": \"CVE-2024-0003\", \"published\": \"yesterday\"}}\n"
		"]}\n";
	const cs_vdb_advisory *a;
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_str(&cs_importer_nvd, "nvd.json", text, &c, &err), 0);
	CHECK_INT(c.nadv, 4);
	CHECK_INT(c.broken, 0);
	a = find_adv(&c, "CVE-2021-0001");
	CHECK(a && a->withdrawn && strcmp(a->withdrawn, "2021-02-01T10:00:00.000Z") == 0);
	a = find_adv(&c, "CVE-2005-0001");
	CHECK(a && strcmp(a->details, "one") == 0 && a->severity && strcmp(a->severity, "high") == 0);
	CHECK(a && a->ncvss == 1 && strcmp(a->cvss[0].version, "2.0") == 0 && strcmp(a->cvss[0].source, "nvd") == 0);
	/* no primary score: the CNA's v3.1 before its v4.0; a string score is no score */
	a = find_adv(&c, "CVE-2024-0002");
	CHECK(a && a->severity && strcmp(a->severity, "medium") == 0);
	CHECK(a && a->ncvss == 2);
	if (a && a->ncvss == 2) {
		CHECK_STR(a->cvss[0].version, "3.1");
		CHECK(a->cvss[0].score == -1);
		CHECK_STR(a->cvss[0].source, "cna@example.com");
		CHECK_STR(a->cvss[1].version, "4.0");
		CHECK(fabs(a->cvss[1].score - 9.3) < 1e-9);
	}
	CHECK(a && a->nreferences == 1 && a->details == NULL);
	a = find_adv(&c, "CVE-2024-0003");
	CHECK(a && a->published == NULL);
	CHECK(bad_has(&c, "vulnerabilities[3]: no 'cve' object with a valid id"));
	CHECK(bad_has(&c, "vulnerabilities[4]: not an object"));
	CHECK(bad_has(&c, "cvssMetricV31 entry without a valid vectorString"));
	CHECK_INT(c.nbad, 3);
	col_release(&c);
}

TEST(nvd_whole_file_errors)
{
	static const char *const texts[] = {
		"", "[]", "{\"format\": \"NVD_CVE\"}", "{\"vulnerabilities\": {}}",
		"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2020-0001\"}}", /* truncated */
		"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2020-0001\"}}]} trailing",
		"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2020-0001\"}}],}",
		"{\"vulnerabilities\": [{\"cve\": {\"id\": \"CVE-2020-0001\"]}]}",
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(texts); i++) {
		cs_err err;
		col c;
		int rc;

		col_init(&c);
		rc = run_str(&cs_importer_nvd, "nvd.json", texts[i], &c, &err);
		if (rc != CS_EFORMAT || c.nadv || !err.msg[0]) {
			fprintf(stderr, "  case %zu: rc %d, %zu advisories\n", i, rc, c.nadv);
			test_failures++;
		}
		col_release(&c);
	}
}

/* ---- KEV and EPSS ------------------------------------------------------------- */

TEST(kev_sample)
{
	static const char bad[] = "{\"catalogVersion\": \"x\", \"vulnerabilities\": [{\"cveID\": \"CVE-2020-0001\","
				  " \"dateAdded\": \"2020/01/01\", \"knownRansomwareCampaignUse\": \"known\"},"
				  " {\"cveID\": 5}, 7, {\"cveID\": \"cve-2020-1\"}, {\"cveID\": \"CVE-2020-0002\"}]}";
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_str(&cs_importer_kev, "known_exploited_vulnerabilities.json", kev_sample, &c, &err), 0);
	CHECK_INT(c.nkev, 4);
	CHECK_INT(c.nbad, 0);
	if (c.nkev == 4) {
		CHECK_STR(c.kev[0].cve, "CVE-2021-27104");
		CHECK_STR(c.kev[0].date_added, "2021-11-03");
		CHECK_STR(c.kev[0].due_date, "2021-11-17");
		CHECK(c.kev[0].ransomware);
		CHECK_STR(c.kev[1].cve, "CVE-2021-44228");
		CHECK_STR(c.kev[3].cve, "CVE-2023-7024");
		CHECK(!c.kev[3].ransomware);
	}
	col_release(&c);

	col_init(&c);
	CHECK_INT(run_str(&cs_importer_kev, "kev.json", bad, &c, &err), 0);
	CHECK_INT(c.nkev, 2);
	CHECK_INT(c.nbad, 3);
	if (c.nkev == 2) {
		CHECK(c.kev[0].date_added == NULL && c.kev[0].ransomware);
		CHECK(c.kev[1].due_date == NULL && !c.kev[1].ransomware);
	}
	CHECK(bad_has(&c, "vulnerabilities[2]: not an object"));
	col_release(&c);

	col_init(&c);
	CHECK_INT(run_str(&cs_importer_kev, "kev.json", "{\"count\": 1}", &c, &err), CS_EFORMAT);
	CHECK_INT(run_str(&cs_importer_kev, "kev.json", "{\"vulnerabilities\": [{\"cveID\": \"CVE-2020-0001\"}", &c, &err),
		  CS_EFORMAT);
	CHECK_INT(c.nkev, 0);
	col_release(&c);
}

TEST(epss_sample)
{
	size_t gzn = 0;
	uint8_t *gz = gzip_make((const uint8_t *)epss_sample, strlen(epss_sample), 1, &gzn);
	cs_err err;
	col c;
	int pass;

	CHECK(gz != NULL);
	for (pass = 0; pass < 2 && gz; pass++) {
		col_init(&c);
		if (pass == 0)
			CHECK_INT(run_str(&cs_importer_epss, "epss_scores-2023-06-16.csv", epss_sample, &c, &err), 0);
		else
			CHECK_INT(run_mem(&cs_importer_epss, "epss_scores-2023-06-16.csv.gz", (const char *)gz, gzn, &c, &err), 0);
		CHECK_INT(c.nepss, 4);
		CHECK_INT(c.nbad, 0);
		CHECK_INT(c.broken, 0);
		if (c.nepss == 4) {
			CHECK_STR(c.epss[0].cve, "CVE-1999-0001");
			CHECK(fabs(c.epss[0].score - 0.01042) < 1e-12);
			CHECK(fabs(c.epss[0].percentile - 0.82724) < 1e-12);
			CHECK_STR(c.epss[0].date, "2023-06-15"); /* the comment wins over the name */
			CHECK_STR(c.epss[3].cve, "CVE-2021-44228");
		}
		col_release(&c);
	}
	/* a truncated or corrupted download sends nothing */
	if (gz) {
		col_init(&c);
		CHECK_INT(run_mem(&cs_importer_epss, "epss.csv.gz", (const char *)gz, gzn - 9, &c, &err), CS_EFORMAT);
		CHECK(strstr(err.msg, "truncated") != NULL);
		gz[gzn - 5] ^= 0x55; /* the length in the trailer */
		CHECK_INT(run_mem(&cs_importer_epss, "epss.csv.gz", (const char *)gz, gzn, &c, &err), CS_EFORMAT);
		CHECK_INT(c.nepss, 0);
		col_release(&c);
	}
	free(gz);
}

TEST(epss_variants)
{
	static const char old[] = "cve,epss\nCVE-2020-0001,0.5\n";
	static const char reordered[] = "#model_version:v2025.03.14,score_date:2025-03-14T00:00:00Z\n"
					"percentile,cve,epss\n0.9,CVE-2020-0001,0.25\n";
	static const char headless[] = "CVE-2020-0001,0.1,0.2\r\nCVE-2020-0002, 0.3 ,0.4\r\n";
	static const char broken[] = "#model_version:x,score_date:garbage\ncve,epss,percentile\n"
				     "CVE-2020-0001,1.5,0.1\nCVE-2020-0002,nan,0.1\nCVE-2020-0003,0.1\n"
				     "not-a-cve,0.1,0.1\nCVE-2020-0004,-0,0.1\nCVE-2020-0005,1e-3,1\n,,,\n";
	cs_err err;
	col c;

	col_init(&c);
	CHECK_INT(run_str(&cs_importer_epss, "epss_scores-2021-04-14.csv", old, &c, &err), 0);
	CHECK(c.nepss == 1 && c.epss[0].percentile == -1 && strcmp(c.epss[0].date, "2021-04-14") == 0);
	col_release(&c);
	col_init(&c);
	CHECK_INT(run_str(&cs_importer_epss, "e.csv", reordered, &c, &err), 0);
	CHECK(c.nepss == 1 && c.epss[0].score == 0.25 && c.epss[0].percentile == 0.9);
	CHECK(c.nepss == 1 && strcmp(c.epss[0].date, "2025-03-14") == 0);
	col_release(&c);
	col_init(&c);
	CHECK_INT(run_str(&cs_importer_epss, "e.csv", headless, &c, &err), 0);
	CHECK(c.nepss == 2 && c.epss[1].score == 0.3 && c.epss[1].date == NULL);
	col_release(&c);
	col_init(&c);
	CHECK_INT(run_str(&cs_importer_epss, "e.csv", broken, &c, &err), 0);
	CHECK_INT(c.nepss, 1); /* only 1e-3: "-0" does not start with a digit */
	CHECK_INT(c.nbad, 6);
	CHECK(c.nepss == 1 && c.epss[0].date == NULL);
	CHECK_INT(c.broken, 0);
	col_release(&c);
	col_init(&c);
	CHECK_INT(run_str(&cs_importer_epss, "e.csv", "cve,score\nCVE-2020-0001,0.1\n", &c, &err), CS_EFORMAT);
	col_release(&c);
}

/* ---- all importers ------------------------------------------------------------- */

/* A failing sink stops the import with its error, for every importer. */
TEST(sink_failure_propagates)
{
	static const struct {
		const cs_vdb_importer *imp;
		const char *rel;
	} cases[] = {
		{&cs_importer_alpine_secdb, "alpine-secdb/v3.11/main.yaml"},
		{&cs_importer_debian_tracker, "vunnel-samples/debian/test-fixtures/input/debian.json"},
		{&cs_importer_debian_list, "debian-security-tracker/DSA/list"},
		{&cs_importer_nvd, "vunnel-samples/nvd/test-fixtures/full-page.json"},
	};
	size_t i;

	quiet = true;
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_err err;
		col c;

		col_init(&c);
		c.fail_at = 3;
		CHECK_INT(run_file(cases[i].imp, cases[i].rel, &c, &err), CS_ERR);
		CHECK_STR(err.msg, "injected sink failure");
		CHECK_INT(c.nadv, 3);
		col_release(&c);
	}
	{
		cs_err err;
		col c;

		col_init(&c);
		c.fail_at = 1;
		CHECK_INT(run_str(&cs_importer_kev, "kev.json", kev_sample, &c, &err), CS_ERR);
		CHECK_INT(run_str(&cs_importer_epss, "e.csv", epss_sample, &c, &err), CS_ERR);
		CHECK_INT(c.nkev + c.nepss, 1);
		col_release(&c);
	}
	quiet = false;
}

/* Every importer over every real sample and pseudo-random bytes: a code or records, never a crash. */
TEST(garbage_never_crashes)
{
	static const char *const rels[] = {
		"alpine-secdb/v3.9/main.yaml", "debian-security-tracker/DLA/list",
		"vunnel-samples/debian/test-fixtures/input/debian.json", "vunnel-samples/nvd/test-fixtures/single-entry.json",
	};
	size_t i, j, k;

	for (i = 0; i < CS_ARRAY_LEN(rels); i++) {
		size_t len;
		char *text = test_read_file(shared_path(rels[i]), &len);

		if (!text)
			continue;
		/* each file, flipped at a few places, through every importer */
		for (k = 0; k < 8; k++) {
			uint8_t noise[16];

			fill_random(noise, sizeof(noise), k * 7919 + i);
			for (j = 0; j < sizeof(noise) && len; j++)
				text[(noise[j] * 2654435761u + j * 40503u) % len] = (char)noise[(j + 1) % sizeof(noise)];
			for (j = 0; j < CS_ARRAY_LEN(all_importers); j++) {
				cs_err err;
				col c;

				col_init(&c);
				run_mem(all_importers[j], rels[i], text, len, &c, &err);
				CHECK_INT(c.broken, 0);
				col_release(&c);
			}
		}
		free(text);
	}
	for (k = 0; k < 64; k++) {
		uint8_t buf[512];

		fill_random(buf, sizeof(buf), k + 1);
		for (j = 0; j < CS_ARRAY_LEN(all_importers); j++) {
			cs_err err;
			col c;

			col_init(&c);
			run_mem(all_importers[j], "noise", (const char *)buf, (size_t)(k * 8), &c, &err);
			CHECK_INT(c.broken, 0);
			col_release(&c);
		}
	}
}

TEST(feed_helpers)
{
	cs_arena a;

	cs_arena_init(&a);
	CHECK_STR(cs_feed_rfc3339(&a, "2023-04-01"), "2023-04-01T00:00:00Z");
	CHECK_STR(cs_feed_rfc3339(&a, "2023-10-12T19:15:11.747"), "2023-10-12T19:15:11.747Z");
	CHECK_STR(cs_feed_rfc3339(&a, "2023-06-15T00:00:00+0000"), "2023-06-15T00:00:00+00:00");
	CHECK_STR(cs_feed_rfc3339(&a, "2023-06-15T00:00:00-05:30"), "2023-06-15T00:00:00-05:30");
	CHECK_STR(cs_feed_rfc3339(&a, "2023-06-15T12:34Z"), "2023-06-15T12:34:00Z");
	CHECK(cs_feed_rfc3339(&a, "2023-13-01") == NULL);
	CHECK(cs_feed_rfc3339(&a, "2023-06-15T25:00:00") == NULL);
	CHECK(cs_feed_rfc3339(&a, "2023-06-15T10:00:00.") == NULL);
	CHECK(cs_feed_rfc3339(&a, "2023-06-15T10:00:00 UTC") == NULL);
	CHECK_STR(cs_feed_dmy_date(&a, "1 Aug 2002", 10), "2002-08-01T00:00:00Z");
	CHECK_STR(cs_feed_dmy_date(&a, "29 Mar 2023", 11), "2023-03-29T00:00:00Z");
	CHECK(cs_feed_dmy_date(&a, "29 Mar 23", 9) == NULL);
	CHECK(cs_feed_dmy_date(&a, "32 Mar 2023", 11) == NULL);
	CHECK(cs_feed_is_cve("CVE-2021-44228", 14));
	CHECK(!cs_feed_is_cve("CVE-2021-442", 12));
	CHECK(!cs_feed_is_cve("CVE_2019-2426", 13));
	CHECK(cs_feed_is_vuln_id("TEMP-0000000-2F5A7B", 19));
	CHECK(cs_feed_is_vuln_id("wnpa-sec-2017-21", 16));
	CHECK(!cs_feed_is_vuln_id("XPTI", 4));
	CHECK(!cs_feed_is_vuln_id("CVE--1", 6));
	CHECK(!cs_feed_is_vuln_id("-CVE", 4));
	CHECK_STR(cs_feed_debian_ecosystem("bookworm", 8), "Debian:12");
	CHECK_STR(cs_feed_debian_ecosystem("sid", 3), "Debian:unstable");
	CHECK(cs_feed_debian_ecosystem("bookworm-security", 17) == NULL);
	cs_arena_release(&a);
}

TEST_MAIN(TEST_ENTRY(detect_exclusive), TEST_ENTRY(alpine_all_releases), TEST_ENTRY(alpine_spot_checks),
	  TEST_ENTRY(alpine_vunnel_oracle), TEST_ENTRY(alpine_json_form), TEST_ENTRY(alpine_bad_input),
	  TEST_ENTRY(yaml_reader), TEST_ENTRY(debian_list_counts), TEST_ENTRY(debian_list_spot_checks),
	  TEST_ENTRY(debian_list_bad_input), TEST_ENTRY(debian_tracker_sample), TEST_ENTRY(debian_tracker_vunnel_oracle),
	  TEST_ENTRY(debian_tracker_edge_cases), TEST_ENTRY(debian_tracker_truncated), TEST_ENTRY(nvd_full_page),
	  TEST_ENTRY(nvd_edge_cases), TEST_ENTRY(nvd_whole_file_errors), TEST_ENTRY(kev_sample), TEST_ENTRY(epss_sample),
	  TEST_ENTRY(epss_variants), TEST_ENTRY(sink_failure_propagates), TEST_ENTRY(garbage_never_crashes),
	  TEST_ENTRY(feed_helpers))
