/*
 * test_dpkg.c - the dpkg cataloger's pure API against dpkg itself.
 *
 * Every status file under ../shared/test-data/pkgdb/dpkg/ that comes with a
 * recorded dpkg-query oracle (claircore, local-debian12, osv-scalibr, syft,
 * trivy: see each SOURCES.md) is checked twice:
 *
 *  - recorded_oracles: parsed as dpkg read it (a status file), every row
 *    dpkg-query printed must be one of our records with the same name,
 *    version, architecture, source name, source version and Status words,
 *    and the installed set must be exactly the rows whose state (column 6,
 *    second letter) dpkg counts as installed. Where dpkg-query refused the
 *    whole file (an "error:" line in the oracle), we must instead have
 *    skipped at least one stanza, unless the fixture says why not.
 *  - live_oracles: Debian's own dpkg-query is run (popen) on a temporary
 *    admin dir holding what we accepted of the file, in the mode the
 *    cataloger reads it (status.d files get "Status: install ok installed"
 *    where they have none, the distroless convention), and our installed
 *    set must equal its installed set, field for field. dpkg must not
 *    refuse the rewritten file: that proves the stanzas we kept are the
 *    ones dpkg accepts, and the ones we skipped the ones it refuses.
 *
 * Then the edge cases one by one, .list files, purls, the layer rule, the
 * analyzer's path filter, whole scans of root filesystems (the analyzer's
 * parse() and finish() through cs_scan_run) and a replay of the fuzz
 * corpus.
 */
#include "core/compat.h"
#include "catalog/dpkg.h"

#include <strings.h>

#include "unit/catfix.h"

#define DPKG_DATA "test-data/pkgdb/dpkg"

/* --- fixtures ------------------------------------------------------------ */

static const struct fixture {
	const char *file;   /* under DPKG_DATA */
	const char *oracle; /* recorded dpkg-query output, under DPKG_DATA */
	unsigned flags;     /* how the cataloger reads it */
	const char *why_no_skip; /* dpkg refused the file for a reason we do not check */
} fixtures[] = {
	{"claircore/debian-only.status", "claircore/debian-only.expected.dpkg-query.tsv", 0, NULL},
	{"claircore/postgresql.status", "claircore/postgresql.expected.dpkg-query.tsv", 0, NULL},
	{"claircore/texlive.status", "claircore/texlive.expected.dpkg-query.tsv", 0, NULL},
	{"claircore/vcpkg.status", "claircore/vcpkg.expected.dpkg-query.tsv", 0, NULL},
	{"local-debian12/var/lib/dpkg/status", "local-debian12/expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/empty", "osv-scalibr/dpkg/empty.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/invalid", "osv-scalibr/dpkg/invalid.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/nopackage", "osv-scalibr/dpkg/nopackage.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/noversion", "osv-scalibr/dpkg/noversion.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/single", "osv-scalibr/dpkg/single.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/statusfield", "osv-scalibr/dpkg/statusfield.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/trailingnewlines", "osv-scalibr/dpkg/trailingnewlines.expected.dpkg-query.tsv", 0,
	 NULL},
	{"osv-scalibr/dpkg/transitional", "osv-scalibr/dpkg/transitional.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/transitional_dummy", "osv-scalibr/dpkg/transitional_dummy.expected.dpkg-query.tsv",
	 0, NULL},
	{"osv-scalibr/dpkg/transitional_empty", "osv-scalibr/dpkg/transitional_empty.expected.dpkg-query.tsv",
	 0, NULL},
	{"osv-scalibr/dpkg/valid", "osv-scalibr/dpkg/valid.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/dpkg/status.d/foo", "osv-scalibr/dpkg/status.d/foo.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"osv-scalibr/opkg/empty", "osv-scalibr/opkg/empty.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/invalid", "osv-scalibr/opkg/invalid.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/nopackage", "osv-scalibr/opkg/nopackage.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/noversion", "osv-scalibr/opkg/noversion.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/single", "osv-scalibr/opkg/single.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/statusfield", "osv-scalibr/opkg/statusfield.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/trailingnewlines", "osv-scalibr/opkg/trailingnewlines.expected.dpkg-query.tsv", 0,
	 NULL},
	{"osv-scalibr/opkg/transitional", "osv-scalibr/opkg/transitional.expected.dpkg-query.tsv", 0, NULL},
	{"osv-scalibr/opkg/valid", "osv-scalibr/opkg/valid.expected.dpkg-query.tsv", 0, NULL},
	{"syft/image-dpkg/var/lib/dpkg/status", "syft/image-dpkg/var/lib/dpkg/status.expected.dpkg-query.tsv",
	 0, NULL},
	{"syft/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0",
	 "syft/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/coreutils-relationships",
	 "syft/var/lib/dpkg/status.d/coreutils-relationships.expected.dpkg-query.tsv", CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/corrupt", "syft/var/lib/dpkg/status.d/corrupt.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/deinstall", "syft/var/lib/dpkg/status.d/deinstall.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/doc-examples",
	 "syft/var/lib/dpkg/status.d/doc-examples.expected.dpkg-query.tsv", CS_DPKG_STATUS_D,
	 "dpkg refuses a Depends field with architecture restrictions; we do not read Depends"},
	{"syft/var/lib/dpkg/status.d/empty", "syft/var/lib/dpkg/status.d/empty.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/installed-size-4KB",
	 "syft/var/lib/dpkg/status.d/installed-size-4KB.expected.dpkg-query.tsv", CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/libpam-runtime",
	 "syft/var/lib/dpkg/status.d/libpam-runtime.expected.dpkg-query.tsv", CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/multiple", "syft/var/lib/dpkg/status.d/multiple.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"syft/var/lib/dpkg/status.d/single", "syft/var/lib/dpkg/status.d/single.expected.dpkg-query.tsv",
	 CS_DPKG_STATUS_D, NULL},
	{"trivy/valid/var/lib/dpkg/status", "trivy/valid/expected.dpkg-query.tsv", 0, NULL},
	{"trivy/third-party/var/lib/dpkg/status", "trivy/third-party/expected.dpkg-query.tsv", 0, NULL},
	{"trivy/corrupsed/var/lib/dpkg/status", "trivy/corrupsed/expected.dpkg-query.tsv", 0, NULL},
};

/* A path under the shared dpkg fixtures (DPKG_DATA). */
static char *fixture_path(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/" DPKG_DATA "/%s", test_shared(), rel);
	return buf;
}

/* Reads a fixture (relative to DPKG_DATA); NULL (and a failed check) if absent. */
static char *read_fixture(const char *rel, size_t *len)
{
	char r[4096];

	snprintf(r, sizeof(r), DPKG_DATA "/%s", rel);
	return cf_read_shared(r, len);
}

/* --- dpkg-query output: recorded (.tsv) or live ---------------------------- */

typedef struct row {
	const char *f[6]; /* Package Version Architecture source:Package source:Version db:Status-Abbrev */
} row;

typedef struct oracle {
	char *text;  /* owned; rows point into it */
	row *rows;   /* owned */
	size_t n;
	bool refused; /* dpkg-query reported an error: it printed nothing */
} oracle;

static void oracle_free(oracle *o)
{
	free(o->text);
	free(o->rows);
	memset(o, 0, sizeof(*o));
}

/* Splits dpkg-query lines in place; '#' lines are the recorder's comments. */
static bool oracle_parse(oracle *o, char *text)
{
	char *line = text, *next;
	size_t cap = 0;

	o->text = text;
	for (; line && *line; line = next) {
		row r;
		char *p = line;
		int i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#') {
			if (strstr(line, "error:"))
				o->refused = true;
			continue;
		}
		if (*line == '\0')
			continue;
		for (i = 0; i < 6; i++) {
			r.f[i] = p;
			p = strchr(p, '\t');
			if (!p && i < 5) {
				fprintf(stderr, "  bad oracle line '%s'\n", line);
				return false;
			}
			if (p)
				*p++ = '\0';
		}
		if (o->n == cap) {
			row *nr = realloc(o->rows, (cap = cap ? cap * 2 : 64) * sizeof(*nr));

			if (!nr)
				return false;
			o->rows = nr;
		}
		o->rows[o->n++] = r;
	}
	return true;
}

static bool oracle_load(oracle *o, const char *rel)
{
	char *text = read_fixture(rel, NULL);

	memset(o, 0, sizeof(*o));
	return text && oracle_parse(o, text);
}

static bool have_dpkg_query(void)
{
	return access("/usr/bin/dpkg-query", X_OK) == 0;
}

/*
 * Runs Debian's dpkg-query on a temporary admin dir whose status file is
 * text. dpkg's error messages are kept in *stderr_text (malloc'd).
 */
static bool oracle_live(oracle *o, const char *text, size_t len, char **stderr_text)
{
	char dir[256], path[4096], cmd[8192];
	char *out;
	int status;
	bool ok = false;

	memset(o, 0, sizeof(*o));
	*stderr_text = NULL;
	if (!cf_tmpdir(dir, sizeof(dir), "dpkg"))
		return false;
	snprintf(path, sizeof(path), "%s/updates", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/info", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/status", dir);
	if (!cf_write(path, text, len))
		goto done;
	snprintf(cmd, sizeof(cmd),
		 "dpkg-query --admindir='%s' -W -f "
		 "'${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}"
		 "\\t${db:Status-Abbrev}\\n' 2>'%s/stderr'",
		 dir, dir);
	/* Its exit status is not the answer: a refusal is what it prints on stderr. */
	if (!(out = cf_capture(cmd, &status)))
		goto done;
	snprintf(path, sizeof(path), "%s/stderr", dir);
	*stderr_text = test_read_file(path, NULL);
	if (*stderr_text && strstr(*stderr_text, "dpkg-query: error"))
		o->refused = true;
	ok = oracle_parse(o, out);
done:
	rm_tree(dir);
	return ok;
}

/* dpkg's state letters (db:Status-Abbrev, second column), in enum order. */
static const char state_letters[] = "ncHUFWti";
static const char want_letters[] = "uihrp";

/* Our rule, read off dpkg's own verdict on the state. */
static bool oracle_installed(const row *r)
{
	const char *s = strchr(state_letters, r->f[5][1]);

	return r->f[5][1] && s && cs_dpkg_state_installed((int)(s - state_letters));
}

static const cs_dpkg_record *db_find(const cs_dpkg_db *db, const char *name, const char *arch, bool listed)
{
	size_t i;

	for (i = 0; i < db->nrecords; i++) {
		const cs_dpkg_record *r = &db->records[i];

		if (listed && r->state == CS_DPKG_NOT_INSTALLED)
			continue;
		if (strcmp(r->name, name) == 0 && cf_str_eq(r->arch, arch))
			return r;
	}
	return NULL;
}

/*
 * db must agree with the dpkg-query rows o: every row is a record with the
 * same fields and Status words, no other record is listed by dpkg, and the
 * installed records are exactly the rows dpkg says are installed.
 */
static void compare(const cs_dpkg_db *db, const oracle *o, const char *label)
{
	size_t i, listed = 0, installed = 0, oinstalled = 0;

	for (i = 0; i < o->n; i++) {
		const row *w = &o->rows[i];
		const cs_dpkg_record *r = db_find(db, w->f[0], w->f[2], true);

		if (oracle_installed(w))
			oinstalled++;
		if (!r) {
			fprintf(stderr, "  %s: dpkg lists '%s' (%s), we have no such record\n", label, w->f[0], w->f[5]);
			test_failures++;
			continue;
		}
		if (!cf_str_eq(r->version, w->f[1]) || !cf_str_eq(r->source_name, w->f[3]) ||
		    !cf_str_eq(r->source_version, w->f[4]) || state_letters[r->state] != w->f[5][1] ||
		    want_letters[r->want] != w->f[5][0] || (r->reinstreq ? 'R' : ' ') != w->f[5][2] ||
		    r->installed != oracle_installed(w)) {
			fprintf(stderr,
				"  %s: '%s' is %s %s %s %s [%c%c%c] installed=%d, dpkg says %s %s %s %s [%s]\n",
				label, w->f[0], r->version, r->arch ? r->arch : "", r->source_name,
				r->source_version, want_letters[r->want], state_letters[r->state],
				r->reinstreq ? 'R' : ' ', r->installed, w->f[1], w->f[2], w->f[3], w->f[4], w->f[5]);
			test_failures++;
		}
	}
	for (i = 0; i < db->nrecords; i++) {
		if (db->records[i].state != CS_DPKG_NOT_INSTALLED)
			listed++;
		if (db->records[i].installed)
			installed++;
	}
	if (listed != o->n || installed != oinstalled || installed != db->ninstalled) {
		fprintf(stderr, "  %s: %zu listed, %zu installed (%zu counted); dpkg: %zu listed, %zu installed\n",
			label, listed, installed, db->ninstalled, o->n, oinstalled);
		test_failures++;
	}
}

/* --- the rewrite fed to the live dpkg-query -------------------------------- */

static bool line_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/*
 * Fields carried over: those we read, the two dpkg checks the state
 * against, and Multi-Arch, which decides whether two architectures of one
 * package may both be installed.
 */
static bool field_kept(const char *line, size_t n)
{
	static const char *const keep[] = {"Package",          "Version",          "Architecture",
					   "Source",           "Maintainer",       "Status",
					   "Installed-Size",   "Triggers-Pending", "Triggers-Awaited",
					   "Multi-Arch"};
	size_t i, k = strcspn(line, ": \t");

	if (k > n)
		return false;
	for (i = 0; i < CS_ARRAY_LEN(keep); i++)
		if (strlen(keep[i]) == k && strncasecmp(line, keep[i], k) == 0)
			return true;
	return false;
}

typedef struct cs_buf_like {
	char *p;
	size_t n, cap;
} cs_buf_like;

static void put(cs_buf_like *b, const char *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *np = realloc(b->p, cap);

		if (!np)
			abort();
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void rewrite_stanza(cs_buf_like *b, const char *s, size_t n, unsigned flags)
{
	cs_arena a;
	cs_dpkg_db db;
	cs_err err;
	const char *p = s, *end = s + n;
	bool has_status = false;

	cs_arena_init(&a);
	cs_err_clear(&err);
	cs_dpkg_parse_status(&db, &a, s, n, flags, &err);
	if (db.nskipped || db.nrecords == 0) {
		cs_arena_release(&a);
		return;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		if (len && p[len - 1] == '\r')
			len--;
		if (len && p[0] != ' ' && p[0] != '\t' && p[0] != '#' && field_kept(p, len)) {
			if (strncasecmp(p, "Status", 6) == 0)
				has_status = true;
			put(b, p, len);
			put(b, "\n", 1);
		}
		p = nl ? nl + 1 : end;
	}
	if ((flags & CS_DPKG_STATUS_D) && !has_status)
		put(b, "Status: install ok installed\n", 29);
	put(b, "\n", 1);
	cs_arena_release(&a);
}

/*
 * What we accepted of text, as a status file for dpkg: stanzas split as
 * our parser splits them, each parsed alone and dropped if skipped; only
 * the first line of the kept fields; "Status: install ok installed" added
 * to status.d stanzas without one.
 */
static char *rewrite_for_dpkg(const char *text, size_t len, unsigned flags, size_t *outlen)
{
	cs_buf_like b = {NULL, 0, 0};
	const char *p = text, *end = text + len, *start = NULL;

	put(&b, "", 0);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;

		if (line_blank(p, (size_t)((nl ? nl : end) - p))) {
			if (start)
				rewrite_stanza(&b, start, (size_t)(p - start), flags);
			start = NULL;
		} else if (!start) {
			start = p;
		}
		p = next;
	}
	if (start)
		rewrite_stanza(&b, start, (size_t)(end - start), flags);
	*outlen = b.n;
	return b.p;
}

/* Checks text against a live dpkg-query; false when dpkg-query is missing. */
static bool check_live(const char *text, size_t len, unsigned flags, const char *label)
{
	cs_arena a;
	cs_dpkg_db db;
	cs_err err;
	oracle o;
	char *rw, *errs = NULL;
	size_t rwlen;

	if (!have_dpkg_query())
		return false;
	cs_arena_init(&a);
	cs_err_clear(&err);
	cs_dpkg_parse_status(&db, &a, text, len, flags, &err);
	rw = rewrite_for_dpkg(text, len, flags, &rwlen);
	if (!oracle_live(&o, rw, rwlen, &errs)) {
		fprintf(stderr, "  %s: cannot run dpkg-query\n", label);
		test_failures++;
	} else if (o.refused) {
		fprintf(stderr, "  %s: dpkg refused what we accepted:\n%s\n", label, errs ? errs : "");
		test_failures++;
	} else {
		compare(&db, &o, label);
	}
	oracle_free(&o);
	free(errs);
	free(rw);
	cs_arena_release(&a);
	return true;
}

/* --- oracle tests ------------------------------------------------------------ */

TEST(recorded_oracles)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(fixtures); i++) {
		const struct fixture *fx = &fixtures[i];
		cs_arena a;
		cs_dpkg_db db;
		cs_err err;
		oracle o;
		size_t len;
		char *text = read_fixture(fx->file, &len);

		if (!text || !oracle_load(&o, fx->oracle)) {
			test_failures++;
			free(text);
			continue;
		}
		cs_arena_init(&a);
		cs_err_clear(&err);
		/* dpkg-query read every fixture as a status file. */
		cs_dpkg_parse_status(&db, &a, text, len, 0, &err);
		if (!o.refused) {
			compare(&db, &o, fx->file);
			if (db.nskipped) {
				fprintf(stderr, "  %s: dpkg took the whole file, we skipped line %u: %s\n", fx->file,
					db.skip_line, db.skip_reason);
				test_failures++;
			}
		} else if (db.nskipped == 0 && !fx->why_no_skip) {
			fprintf(stderr, "  %s: dpkg refused the file, we skipped nothing\n", fx->file);
			test_failures++;
		}
		oracle_free(&o);
		cs_arena_release(&a);
		free(text);
	}
}

TEST(live_oracles)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(fixtures); i++) {
		size_t len;
		char *text = read_fixture(fixtures[i].file, &len);

		if (!text)
			continue;
		if (!check_live(text, len, fixtures[i].flags, fixtures[i].file)) {
			printf("  dpkg-query not found: live oracle skipped\n");
			free(text);
			return;
		}
		free(text);
	}
}

/* Every state dpkg knows, every want, the error flag: dpkg reads them, we agree. */
TEST(all_states_live)
{
	static const char text[] =
		"Package: s-not-installed\nStatus: install ok not-installed\n\n"
		"Package: s-config-files\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: s-half-installed\nStatus: install reinstreq half-installed\nVersion: 1\n"
		"Architecture: amd64\n\n"
		"Package: s-unpacked\nStatus: install ok unpacked\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: s-half-configured\nStatus: install ok half-configured\nVersion: 1\n"
		"Architecture: amd64\n\n"
		"Package: s-triggers-awaited\nStatus: install ok triggers-awaited\nTriggers-Awaited: "
		"s-triggers-pending\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: s-triggers-pending\nStatus: install ok triggers-pending\nTriggers-Pending: ldconfig\n"
		"Version: 1\nArchitecture: amd64\n\n"
		"Package: s-installed\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-hold\nStatus: hold ok installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-deinstall\nStatus: deinstall ok installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-purge\nStatus: purge ok installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-unknown\nStatus: unknown ok installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-reinstreq\nStatus: install reinstreq installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-case\nStatus: Install OK Installed\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-purge-unpacked\nStatus: purge ok unpacked\nVersion: 1\nArchitecture: amd64\n\n"
		"Package: w-no-status\nVersion: 1\nArchitecture: amd64\n";
	static const char *const installed[] = {
		"s-unpacked", "s-half-configured", "s-triggers-awaited", "s-triggers-pending", "s-installed",
		"w-hold",     "w-deinstall",       "w-purge",            "w-unknown",          "w-reinstreq",
		"w-case",     "w-purge-unpacked",
	};
	cs_arena a;
	cs_dpkg_db db;
	cs_err err;
	size_t i;

	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_dpkg_parse_status(&db, &a, text, sizeof(text) - 1, 0, &err), 0);
	CHECK_INT(db.nskipped, 0);
	CHECK_INT(db.nrecords, 16);
	CHECK_INT(db.ninstalled, CS_ARRAY_LEN(installed));
	for (i = 0; i < CS_ARRAY_LEN(installed); i++) {
		const cs_dpkg_record *r = db_find(&db, installed[i], "amd64", false);

		CHECK(r && r->installed);
	}
	check_live(text, sizeof(text) - 1, 0, "all_states_live");
	cs_arena_release(&a);
}

/* The osv-scalibr sample of Status values, spelt out. */
TEST(statusfield_rule)
{
	static const struct {
		const char *name;
		bool installed;
	} want[] = {
		{"wantinstall_installed", true},     {"wantdeinstall_installed", true},
		{"wantdeinstall_configfiles", false}, {"wantinstall_unpacked", true},
		{"wantpurge_installed", true},        {"wantinstall_halfinstalled", false},
		{"wantnostatus", false},
	};
	cs_arena a;
	cs_dpkg_db db;
	cs_err err;
	size_t len, i;
	char *text = read_fixture("osv-scalibr/dpkg/statusfield", &len);

	if (!text)
		return;
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_dpkg_parse_status(&db, &a, text, len, 0, &err), 0);
	CHECK_INT(db.nrecords, CS_ARRAY_LEN(want));
	for (i = 0; i < CS_ARRAY_LEN(want); i++) {
		const cs_dpkg_record *r = db_find(&db, want[i].name, NULL, false);

		CHECK(r != NULL);
		if (r && r->installed != want[i].installed) {
			fprintf(stderr, "  '%s' installed=%d\n", want[i].name, r->installed);
			test_failures++;
		}
	}
	cs_arena_release(&a);
	free(text);
}

TEST(local_debian12)
{
	cs_arena a;
	cs_dpkg_db db;
	cs_err err;
	size_t len;
	char *text = read_fixture("local-debian12/var/lib/dpkg/status", &len);
	const cs_dpkg_record *r;

	if (!text)
		return;
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_dpkg_parse_status(&db, &a, text, len, 0, &err), 0);
	CHECK_INT(db.ninstalled, 874);
	CHECK_INT(db.nskipped, 0);
	r = db_find(&db, "libc6", "amd64", false);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->source_name, "glibc");
		CHECK(r->maintainer && strstr(r->maintainer, "GNU Libc Maintainers"));
		CHECK(r->installed_size > 10000);
		CHECK(r->has_status && r->want == CS_DPKG_WANT_INSTALL && r->state == CS_DPKG_INSTALLED);
		CHECK(r->line > 1);
	}
	cs_arena_release(&a);
	free(text);
}

/* Files dpkg refuses whole: what we keep, what we skip and why. */
TEST(refused_files)
{
	static const struct {
		const char *file;
		unsigned flags;
		int rc;
		size_t installed, skipped;
		uint32_t skip_line;
		const char *reason;
	} cases[] = {
		{"osv-scalibr/dpkg/invalid", 0, CS_EFORMAT, 0, 2, 1, "field name 'asdf' must be followed by colon"},
		{"osv-scalibr/dpkg/nopackage", 0, 0, 2, 1, 5, "missing 'Package' field"},
		{"osv-scalibr/dpkg/noversion", 0, 0, 2, 1, 5, "missing 'Version' field"},
		{"syft/var/lib/dpkg/status.d/corrupt", CS_DPKG_STATUS_D, CS_EFORMAT, 0, 1, 1,
		 "field name 'Insterface' must be followed by colon"},
		{"syft/var/lib/dpkg/status.d/empty", CS_DPKG_STATUS_D, CS_EFORMAT, 0, 1, 1,
		 "invalid package name ''"},
		{"syft/var/lib/dpkg/status.d/multiple", CS_DPKG_STATUS_D, 0, 2, 2, 1, "invalid package name ''"},
		{"syft/var/lib/dpkg/status.d/doc-examples", CS_DPKG_STATUS_D, 0, 5, 11, 25,
		 "missing 'Version' field"},
		{"claircore/vcpkg.status", 0, 0, 15, 9, 29, "missing 'Version' field"},
		{"trivy/corrupsed/var/lib/dpkg/status", 0, 0, 4, 0, 0, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_arena a;
		cs_dpkg_db db;
		cs_err err;
		size_t len;
		int before = test_failures;
		char *text = read_fixture(cases[i].file, &len);

		if (!text)
			continue;
		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_dpkg_parse_status(&db, &a, text, len, cases[i].flags, &err), cases[i].rc);
		CHECK_INT(db.ninstalled, cases[i].installed);
		CHECK_INT(db.nskipped, cases[i].skipped);
		CHECK_INT(db.skip_line, cases[i].skip_line);
		CHECK_STR(db.skip_reason, cases[i].reason);
		if (cases[i].rc < 0)
			CHECK(strstr(err.msg, "no valid package stanza") != NULL);
		if (test_failures != before)
			fprintf(stderr, "  in '%s'\n", cases[i].file);
		cs_arena_release(&a);
		free(text);
	}
}

TEST(distroless_status_d)
{
	cs_arena a;
	cs_dpkg_db db;
	cs_err err;
	size_t len;
	char *text = read_fixture("syft/image-distroless-deb/var/lib/dpkg/status.d/libsqlite3-0", &len);
	const cs_dpkg_record *r;

	if (!text)
		return;
	cs_arena_init(&a);
	cs_err_clear(&err);
	/* Read as dpkg would, the stanza is not installed ... */
	CHECK_INT(cs_dpkg_parse_status(&db, &a, text, len, 0, &err), 0);
	CHECK_INT(db.ninstalled, 0);
	/* ... read as status.d, it is. */
	CHECK_INT(cs_dpkg_parse_status(&db, &a, text, len, CS_DPKG_STATUS_D, &err), 0);
	CHECK_INT(db.ninstalled, 1);
	r = db.nrecords ? &db.records[0] : NULL;
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->name, "libsqlite3-0");
		CHECK_STR(r->version, "3.34.1-3");
		CHECK_STR(r->arch, "arm64");
		CHECK_STR(r->source_name, "sqlite3");
		CHECK_STR(r->source_version, "3.34.1-3");
		CHECK_STR(r->maintainer, "Laszlo Boszormenyi (GCS) <gcs@debian.org>");
		CHECK_INT(r->installed_size, 1490);
		CHECK(!r->has_status);
	}
	cs_arena_release(&a);
	free(text);
}

/* --- edge cases ------------------------------------------------------------------ */

typedef struct edge {
	const char *name;
	const char *text;
	size_t len; /* bytes of text: some hold a NUL */
	unsigned flags;
	int rc;
	size_t installed, skipped;
	const char *reason; /* first skip reason, or NULL */
} edge;

#define T(s) s, sizeof(s) - 1

static const edge edges[] = {
	{"empty file", T(""), 0, 0, 0, 0, NULL},
	{"blank lines only", T("\n\n \n\t\n\r\n"), 0, 0, 0, 0, NULL},
	{"comments only", T("# a\n# b\n"), 0, 0, 0, 0, NULL},
	{"no final newline", T("Package: a\nStatus: install ok installed\nVersion: 1"), 0, 0, 1, 0, NULL},
	{"crlf", T("Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n\r\nPackage: b\r\n"
		 "Status: install ok installed\r\nVersion: 2\r\n"), 0, 0, 2, 0, NULL},
	{"blanks separate", T("Package: a\nStatus: install ok installed\nVersion: 1\n \t\nPackage: b\n"
			    "Status: install ok installed\nVersion: 1\n"), 0, 0, 2, 0, NULL},
	{"comment inside", T("Package: a\n# note\nStatus: install ok installed\nVersion: 1\n"), 0, 0, 1, 0, NULL},
	{"continuation of other field", T("Package: a\nDescription: x\n y\n .\n z\nStatus: install ok installed\n"
					"Version: 1\n"), 0, 0, 1, 0, NULL},
	{"continuation of Maintainer", T("Package: a\nMaintainer: x\n y\nStatus: install ok installed\nVersion: 1\n"),
	 0, 0, 1, 0, NULL},
	{"continued Version", T("Package: a\nStatus: install ok installed\nVersion: 1\n 2\n"), 0, CS_EFORMAT, 0, 1,
	 "'Version' field spans several lines"},
	{"Version on next line", T("Package: a\nStatus: install ok installed\nVersion:\n 1\n"), 0, CS_EFORMAT, 0, 1,
	 "'Version' field spans several lines"},
	{"continued Package", T("Package: a\n b\nStatus: install ok installed\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "'Package' field spans several lines"},
	{"leading continuation", T(" Package: a\nStatus: install ok installed\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "continuation line before any field"},
	{"duplicate field", T("Package: a\nStatus: install ok installed\nVersion: 1\nversion: 2\n"), 0, CS_EFORMAT,
	 0, 1, "duplicate 'Version' field"},
	{"duplicate other field ok", T("Package: a\nStatus: install ok installed\nVersion: 1\nX: 1\nX: 2\n"), 0, 0,
	 1, 0, NULL},
	{"no colon", T("Package: a\nStatus: install ok installed\nVersion: 1\ngarbage line\n"), 0, CS_EFORMAT, 0, 1,
	 "field name 'garbage' must be followed by colon"},
	{"empty field name", T("Package: a\n: x\nStatus: install ok installed\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "empty field name"},
	{"hyphen field name", T("Package: a\n-X: x\nStatus: install ok installed\nVersion: 1\n"), 0, CS_EFORMAT, 0,
	 1, "field name '-X' cannot start with a hyphen"},
	{"space before colon", T("Package : a\nStatus: install ok installed\nVersion: 1\n"), 0, 0, 1, 0, NULL},
	{"field names any case", T("PACKAGE: a\nstatus: install ok installed\nvErSiOn: 1\n"), 0, 0, 1, 0, NULL},
	{"no package", T("Status: install ok installed\nVersion: 1\n\nPackage: b\nStatus: install ok installed\n"
		       "Version: 1\n"), 0, 0, 1, 1, "missing 'Package' field"},
	{"bad package name", T("Package: -a\nStatus: install ok installed\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid package name '-a'"},
	{"package name with space", T("Package: a b\nStatus: install ok installed\nVersion: 1\n"), 0, CS_EFORMAT, 0,
	 1, "invalid package name 'a b'"},
	{"bad status word", T("Package: a\nStatus: install ok done\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Status' field 'install ok done'"},
	{"status two words", T("Package: a\nStatus: install installed\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Status' field 'install installed'"},
	{"status four words", T("Package: a\nStatus: install ok installed x\nVersion: 1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Status' field 'install ok installed x'"},
	{"status blanks", T("Package: a\nStatus:  install \t ok  installed \nVersion: 1\n"), 0, 0, 1, 0, NULL},
	{"installed without version", T("Package: a\nStatus: install ok installed\n"), 0, CS_EFORMAT, 0, 1,
	 "missing 'Version' field"},
	{"not installed without version", T("Package: a\nStatus: purge ok not-installed\n"), 0, 0, 0, 0, NULL},
	{"half-installed without version", T("Package: a\nStatus: install reinstreq half-installed\n"), 0, 0, 0, 0,
	 NULL},
	{"status.d without version", T("Package: a\n"), CS_DPKG_STATUS_D, CS_EFORMAT, 0, 1,
	 "missing 'Version' field"},
	{"status file without status", T("Package: a\nVersion: 1\n"), 0, 0, 0, 0, NULL},
	{"empty version", T("Package: a\nStatus: install ok installed\nVersion:\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '': version string is empty"},
	{"empty version not installed", T("Package: a\nStatus: install ok not-installed\nVersion:\n"), 0, CS_EFORMAT,
	 0, 1, "invalid 'Version' field '': version string is empty"},
	{"version with space", T("Package: a\nStatus: install ok installed\nVersion: 1 2\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '1 2': version string has embedded spaces"},
	{"empty epoch", T("Package: a\nStatus: install ok installed\nVersion: :1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field ':1': epoch in version is empty"},
	{"epoch empty of digits", T("Package: a\nStatus: install ok installed\nVersion: a:1\n"), 0, CS_EFORMAT, 0,
	 1, "invalid 'Version' field 'a:1': epoch in version is empty"},
	{"epoch not number", T("Package: a\nStatus: install ok installed\nVersion: 1a:1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '1a:1': epoch in version is not number"},
	{"epoch negative", T("Package: a\nStatus: install ok installed\nVersion: -1:1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '-1:1': epoch in version is negative"},
	{"epoch too big", T("Package: a\nStatus: install ok installed\nVersion: 99999999999999999999:1\n"), 0,
	 CS_EFORMAT, 0, 1, "invalid 'Version' field '99999999999999999999:1': epoch in version is too big"},
	{"nothing after colon", T("Package: a\nStatus: install ok installed\nVersion: 1:\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '1:': nothing after colon in version number"},
	{"empty revision", T("Package: a\nStatus: install ok installed\nVersion: 1.0-\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '1.0-': revision number is empty"},
	{"empty upstream", T("Package: a\nStatus: install ok installed\nVersion: 1:-1\n"), 0, CS_EFORMAT, 0, 1,
	 "invalid 'Version' field '1:-1': version number is empty"},
	{"odd version chars", T("Package: a\nStatus: install ok installed\nVersion: a1.#\n"), 0, 0, 1, 0, NULL},
	{"bad source version", T("Package: a\nStatus: install ok installed\nVersion: 1\nSource: b (b:2)\n"), 0,
	 CS_EFORMAT, 0, 1, "invalid version in 'Source' field 'b (b:2)': epoch in version is empty"},
	{"nul in version", T("Package: a\nStatus: install ok installed\nVersion: 1\0002\n"), 0, CS_EFORMAT, 0, 1,
	 "NUL byte in 'Version' field"},
	{"nul elsewhere", T("Package: a\nStatus: install ok installed\nVersion: 1\nDescription: \001\000\n"), 0, 0,
	 1, 0, NULL},
	{"binary garbage", T("\x7f" "ELF\001\001\001\000\000\000\000\000\002\000>\000"), 0, CS_EFORMAT, 0, 1,
	 "field name '\?ELF\?\?\?\?\?\?\?\?\?\?>\?' must be followed by colon"},
	{"skip then keep", T("Package: a\nbad\n\nPackage: b\nStatus: install ok installed\nVersion: 1\n"), 0, 0, 1,
	 1, "field name 'bad' must be followed by colon"},
};

TEST(edge_cases)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(edges); i++) {
		const edge *e = &edges[i];
		size_t len = e->len;
		int before = test_failures;
		cs_arena a;
		cs_dpkg_db db;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_dpkg_parse_status(&db, &a, e->text, len, e->flags, &err), e->rc);
		CHECK_INT(db.ninstalled, e->installed);
		CHECK_INT(db.nskipped, e->skipped);
		CHECK_STR(db.skip_reason, e->reason);
		if (test_failures != before)
			fprintf(stderr, "  in case '%s'\n", e->name);
		cs_arena_release(&a);
	}
}

/* dpkg agrees with the cases we accept, and refuses each one we skip. */
TEST(edge_cases_live)
{
	size_t i;

	if (!have_dpkg_query())
		return;
	for (i = 0; i < CS_ARRAY_LEN(edges); i++) {
		const edge *e = &edges[i];

		/* Lenient on purpose (documented in dpkg.h): dpkg would refuse these. */
		if (strcmp(e->name, "crlf") == 0 || strcmp(e->name, "blanks separate") == 0 ||
		    strcmp(e->name, "comment inside") == 0 || strcmp(e->name, "comments only") == 0 ||
		    strcmp(e->name, "no final newline") == 0 || strcmp(e->name, "blank lines only") == 0 ||
		    strcmp(e->name, "duplicate other field ok") == 0 || strncmp(e->name, "nul", 3) == 0 ||
		    strcmp(e->name, "binary garbage") == 0)
			continue;
		if (e->skipped == 0) {
			check_live(e->text, e->len, e->flags, e->name);
		} else if (!(e->flags & CS_DPKG_STATUS_D)) {
			/* The raw text must make dpkg fail: it agrees the stanza is bad. */
			oracle o;
			char *errs = NULL;

			if (oracle_live(&o, e->text, e->len, &errs) && !o.refused) {
				fprintf(stderr, "  case '%s': we skip a stanza dpkg accepts\n", e->name);
				test_failures++;
			}
			oracle_free(&o);
			free(errs);
		}
	}
}

TEST(source_field)
{
	static const struct {
		const char *source;
		const char *name, *version;
	} cases[] = {
		{"", "pkg", "1.0-1"},
		{"glibc", "glibc", "1.0-1"},
		{"glibc (2.36-9)", "glibc", "2.36-9"},
		{"glibc (1:2.36-9)", "glibc", "1:2.36-9"},
		{"glibc(2.36-9)", "glibc(2.36-9)", "2.36-9"},
		{"glibc (2.36-9", "glibc", "2.36-9"},
		{"glibc ( 2.36-9 )", "glibc", "2.36-9"},
		{"pkg (1.0-1)", "pkg", "1.0-1"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char text[256];
		cs_arena a;
		cs_dpkg_db db;
		cs_err err;
		int n = snprintf(text, sizeof(text),
				 "Package: Pkg\nStatus: install ok installed\nVersion: 1.0-1\nSource: %s\n",
				 cases[i].source);

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_dpkg_parse_status(&db, &a, text, (size_t)n, 0, &err), 0);
		CHECK_INT(db.nrecords, 1);
		if (db.nrecords) {
			CHECK_STR(db.records[0].name, "pkg");
			CHECK_STR(db.records[0].source_name, cases[i].name);
			CHECK_STR(db.records[0].source_version, cases[i].version);
		}
		check_live(text, (size_t)n, 0, cases[i].source);
		cs_arena_release(&a);
	}
}

TEST(installed_size)
{
	static const struct {
		const char *value;
		uint64_t kib;
	} cases[] = {
		{"4", 4}, {"1490", 1490}, {"", 0}, {"abc", 0}, {"12 KB", 0}, {"99999999999999999999999", 0},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char text[256];
		cs_arena a;
		cs_dpkg_db db;
		cs_err err;
		int n = snprintf(text, sizeof(text),
				 "Package: a\nStatus: install ok installed\nVersion: 1\nInstalled-Size: %s\n",
				 cases[i].value);

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_dpkg_parse_status(&db, &a, text, (size_t)n, 0, &err), 0);
		CHECK_INT(db.nrecords ? db.records[0].installed_size : 99, cases[i].kib);
		cs_arena_release(&a);
	}
}

/* A file, status or not, whole and cut short: no crash, sane counts. */
static void no_crash_text(const char *text, size_t len)
{
	size_t cut, step = len / 64 + 1;

	for (cut = 0; cut <= len; cut += step) {
		unsigned flags;

		for (flags = 0; flags <= CS_DPKG_STATUS_D; flags++) {
			cs_arena a;
			cs_dpkg_db db;
			cs_dpkg_list list;
			cs_err err;
			int rc;

			cs_arena_init(&a);
			cs_err_clear(&err);
			rc = cs_dpkg_parse_status(&db, &a, text + (len - cut), cut, flags, &err);
			CHECK(rc == 0 || rc == CS_EFORMAT);
			CHECK(db.ninstalled <= db.nrecords);
			CHECK((db.nskipped == 0) == (db.skip_reason == NULL));
			rc = cs_dpkg_parse_list(&list, &a, text, cut, &err);
			CHECK(rc == 0 || rc == CS_EFORMAT);
			cs_arena_release(&a);
		}
	}
}

static void no_crash_seed(const char *name, char *data, size_t len, void *payload)
{
	CS_UNUSED(name);
	CS_UNUSED(payload);
	no_crash_text(data, len);
}

static void no_crash_file(const char *path)
{
	size_t len;
	char *text = test_read_file(path, &len);

	if (text)
		no_crash_text(text, len);
	free(text);
}

static void no_crash_dir(const char *dir, size_t *nfiles)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			no_crash_dir(path, nfiles);
		} else if (S_ISREG(st.st_mode)) {
			no_crash_file(path);
			(*nfiles)++;
		}
	}
	closedir(d);
}

TEST(no_crash_any_fixture)
{
	char dir[4096];
	size_t n = 0;

	no_crash_dir(fixture_path(dir, sizeof(dir), ""), &n);
	CHECK(n > 100);
}

/* --- .list files ------------------------------------------------------------------ */

TEST(list_parse)
{
	static const char text[] = "/.\n/usr\n/usr/bin\n/usr/bin/foo\n/usr/share/doc/foo/copy right\r\n"
				   "\n//etc//foo.conf\n/usr/lib/x86_64-linux-gnu/./libfoo.so.1\nrelative/path\n"
				   "/../etc/shadow\n/usr/../../etc/passwd\n/\n";
	static const char *const want[] = {
		"usr", "usr/bin", "usr/bin/foo", "usr/share/doc/foo/copy right", "etc/foo.conf",
		"usr/lib/x86_64-linux-gnu/libfoo.so.1",
	};
	cs_arena a;
	cs_dpkg_list list;
	cs_err err;
	size_t i;

	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_dpkg_parse_list(&list, &a, text, sizeof(text) - 1, &err), 0);
	CHECK_INT(list.npaths, CS_ARRAY_LEN(want));
	CHECK_INT(list.nskipped, 3);
	for (i = 0; i < list.npaths && i < CS_ARRAY_LEN(want); i++)
		CHECK_STR(list.paths[i], want[i]);
	CHECK_INT(cs_dpkg_parse_list(&list, &a, "", 0, &err), 0);
	CHECK_INT(list.npaths, 0);
	CHECK_INT(cs_dpkg_parse_list(&list, &a, "/.\n", 3, &err), 0);
	CHECK_INT(list.npaths, 0);
	cs_arena_release(&a);
}

/* Other control files of the info directory are not lists. */
TEST(list_fixtures)
{
	cs_arena a;
	cs_dpkg_list list;
	cs_err err;
	size_t len;
	char *text;

	cs_arena_init(&a);
	cs_err_clear(&err);
	if ((text = read_fixture("syft/info/zlib1g.md5sums", &len)) != NULL) {
		CHECK_INT(cs_dpkg_parse_list(&list, &a, text, len, &err), CS_EFORMAT);
		CHECK_INT(list.npaths, 0);
		free(text);
	}
	if ((text = read_fixture("syft/info/util-linux.conffiles", &len)) != NULL) {
		CHECK_INT(cs_dpkg_parse_list(&list, &a, text, len, &err), 0);
		CHECK(list.npaths > 0);
		CHECK(list.npaths && cs_str_starts(list.paths[0], "etc/"));
		free(text);
	}
	cs_arena_release(&a);
}

/* The machine's own .list files (Debian, like CI): our paths are their lines, made relative. */
TEST(list_real)
{
	static const char *const files[] = {"/var/lib/dpkg/info/dpkg.list", "/var/lib/dpkg/info/libc6:amd64.list",
					    "/var/lib/dpkg/info/coreutils.list"};
	size_t i, used = 0;

	for (i = 0; i < CS_ARRAY_LEN(files); i++) {
		cs_arena a;
		cs_dpkg_list list;
		cs_err err;
		size_t len, k = 0;
		char *text = test_read_file(files[i], &len), *line, *next;

		if (!text)
			continue;
		used++;
		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_dpkg_parse_list(&list, &a, text, len, &err), 0);
		CHECK_INT(list.nskipped, 0);
		for (line = text; *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			else
				next = line + strlen(line);
			if (strcmp(line, "/.") == 0)
				continue;
			if (k >= list.npaths || strcmp(list.paths[k], line + 1) != 0) {
				fprintf(stderr, "  %s: line '%s' became '%s'\n", files[i], line,
					k < list.npaths ? list.paths[k] : "(nothing)");
				test_failures++;
				break;
			}
			k++;
		}
		CHECK_INT(k, list.npaths);
		cs_arena_release(&a);
		free(text);
	}
	if (!used)
		printf("  no /var/lib/dpkg/info lists here: list_real skipped\n");
}

/* --- purl, layers, path filter ------------------------------------------------- */

TEST(purl_deb)
{
	static const cs_os debian = {"debian", "12.11", "Debian GNU/Linux 12 (bookworm)", "bookworm", NULL, 0};
	static const cs_os debian12 = {"debian", "12", NULL, NULL, NULL, 0};
	static const cs_os sid = {"debian", "trixie/sid", NULL, "trixie", NULL, 0};
	static const cs_os ubuntu = {"ubuntu", "22.04", NULL, "jammy", NULL, 0};
	static const cs_os noversion = {"debian", NULL, NULL, NULL, NULL, 0};
	static const struct {
		const char *text;
		const cs_os *os;
		const char *purl;
	} cases[] = {
		{"Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nSource: glibc\n", &debian,
		 "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc"},
		{"Package: bash\nVersion: 5.2.15-2+b2\nArchitecture: amd64\nSource: bash (5.2.15-2)\n", &debian12,
		 "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2"},
		{"Package: attr\nVersion: 1:2.4.47-2+b1\nArchitecture: amd64\n", NULL,
		 "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64"},
		{"Package: libstdc++6\nVersion: 12.2.0-14\nArchitecture: amd64\nSource: gcc-12\n", &debian,
		 "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12&upstream=gcc-12"},
		{"Package: libc6\nVersion: 2.35-0ubuntu3.1\nArchitecture: amd64\nSource: glibc\n", &ubuntu,
		 "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.1?arch=amd64&distro=ubuntu-22.04&upstream=glibc"},
		{"Package: tzdata\nVersion: 2024a-1\nArchitecture: all\n", &sid,
		 "pkg:deb/debian/tzdata@2024a-1?arch=all&distro=debian-trixie"},
		{"Package: tzdata\nVersion: 2024a-1\n", &noversion, "pkg:deb/debian/tzdata@2024a-1"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_arena a;
		cs_dpkg_db db;
		cs_err err;
		char *purl = NULL;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_dpkg_parse_status(&db, &a, cases[i].text, strlen(cases[i].text), CS_DPKG_STATUS_D,
					       &err),
			  0);
		CHECK_INT(db.nrecords, 1);
		if (db.nrecords) {
			CHECK_INT(cs_dpkg_purl(&purl, &a, &db.records[0], cases[i].os, &err), 0);
			CHECK_STR(purl, cases[i].purl);
		}
		cs_arena_release(&a);
	}
}

static void parse_into(cs_dpkg_db *db, cs_arena *a, const char *text)
{
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_dpkg_parse_status(db, a, text, strlen(text), 0, &err), 0);
}

TEST(layers_first)
{
	cs_arena a;
	cs_dpkg_db l0, l1, l2;
	cs_dpkg_layers ix;

	cs_arena_init(&a);
	/* Layer 0 installs a 1 and b 1; layer 1 upgrades b, removes c's files; layer 2 adds d. */
	parse_into(&l0, &a, "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
			    "Package: b\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
			    "Package: c\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n");
	parse_into(&l1, &a, "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
			    "Package: b\nStatus: install ok installed\nVersion: 2\nArchitecture: amd64\n\n"
			    "Package: c\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n");
	parse_into(&l2, &a, "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
			    "Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: i386\n\n"
			    "Package: b\nStatus: install ok installed\nVersion: 2\nArchitecture: amd64\n\n"
			    "Package: c\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n\n"
			    "Package: d\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\n");
	cs_dpkg_layers_init(&ix);
	/* Any order: the lowest index wins. */
	CHECK_INT(cs_dpkg_layers_add(&ix, &l2, 2), 0);
	CHECK_INT(cs_dpkg_layers_add(&ix, &l0, 0), 0);
	CHECK_INT(cs_dpkg_layers_add(&ix, &l1, 1), 0);
	CHECK_INT(cs_dpkg_layers_first(&ix, &l2.records[0]), 0); /* a 1 amd64 */
	CHECK_INT(cs_dpkg_layers_first(&ix, &l2.records[1]), 2); /* a 1 i386 */
	CHECK_INT(cs_dpkg_layers_first(&ix, &l2.records[2]), 1); /* b 2 */
	CHECK_INT(cs_dpkg_layers_first(&ix, &l0.records[1]), 0); /* b 1 */
	CHECK_INT(cs_dpkg_layers_first(&ix, &l2.records[3]), 1); /* c: config-files in 0 does not count */
	CHECK_INT(cs_dpkg_layers_first(&ix, &l2.records[4]), 2); /* d */
	CHECK_INT(cs_dpkg_layers_first(&ix, &l0.records[2]), 1); /* c 1 amd64, same key */
	cs_dpkg_layers_release(&ix);
	cs_dpkg_layers_init(&ix);
	CHECK_INT(cs_dpkg_layers_first(&ix, &l0.records[0]), -1);
	cs_dpkg_layers_release(&ix);
	cs_arena_release(&a);
}

TEST(wants)
{
	static const cf_wants_case cases[] = {
		{"var/lib/dpkg/status", S_IFREG | 0644, true},
		{"var/lib/dpkg/status", S_IFLNK | 0777, false},
		{"var/lib/dpkg/status-old", S_IFREG | 0644, false},
		{"var/lib/dpkg/status.d", S_IFDIR | 0755, false},
		{"var/lib/dpkg/status.d/libc6", S_IFREG | 0644, true},
		{"var/lib/dpkg/status.d/libssl1.1", S_IFREG | 0644, true},
		{"var/lib/dpkg/status.d/libc6.md5sums", S_IFREG | 0644, false},
		{"var/lib/dpkg/status.d/libsqlite3-0.preinst", S_IFREG | 0644, false},
		{"var/lib/dpkg/status.d/sub/libc6", S_IFREG | 0644, false},
		{"var/lib/dpkg/info/libc6:amd64.list", S_IFREG | 0644, true},
		{"var/lib/dpkg/info/bash.list", S_IFREG | 0644, true},
		{"var/lib/dpkg/info/bash.md5sums", S_IFREG | 0644, false},
		{"var/lib/dpkg/info/.list", S_IFREG | 0644, false},
		{"var/lib/dpkg/info/x/bash.list", S_IFREG | 0644, false},
		{"usr/var/lib/dpkg/status", S_IFREG | 0644, false},
		{"var/lib/dpkg/available", S_IFREG | 0644, false},
	};

	CHECK_STR(cs_analyzer_dpkg.name, "dpkg");
	CHECK_INT(cs_analyzer_dpkg.scanners, 0);
	CHECK_INT(cs_analyzer_dpkg.max_size, 0);
	CHECK(cs_analyzer_dpkg.parse != NULL && cs_analyzer_dpkg.finish != NULL);
	cf_check_wants(&cs_analyzer_dpkg, cases, CS_ARRAY_LEN(cases));
}

/* --- the analyzer through whole scans ----------------------------------------- */

/* The Debian 12 machine's root: every package dpkg-query printed, nothing else. */
TEST(scan_local_debian12)
{
	char dir[4096];
	oracle o;
	cs_scan *s;
	const cs_package *p;
	size_t i;

	if (!oracle_load(&o, "local-debian12/expected.dpkg-query.tsv")) {
		test_failures++;
		return;
	}
	s = cf_scan(fixture_path(dir, sizeof(dir), "local-debian12"), true, 1);
	if (!s) {
		oracle_free(&o);
		return;
	}
	CHECK_INT(cs_scan_package_count(s), o.n);
	CHECK_INT(cs_scan_error_count(s), 0);
	for (i = 0; i < o.n; i++) {
		const row *w = &o.rows[i];

		p = cf_scan_find(s, NULL, NULL, w->f[0]);
		if (!p || !cf_str_eq(p->version, w->f[1]) || !cf_str_eq(p->arch, w->f[2]) ||
		    !cf_str_eq(p->source_name, w->f[3]) || !cf_str_eq(p->source_version, w->f[4])) {
			fprintf(stderr, "  '%s' not reported as dpkg-query prints it\n", w->f[0]);
			test_failures++;
			continue;
		}
		CHECK_STR(p->type, "deb");
		CHECK_STR(p->found_in, "var/lib/dpkg/status");
		CHECK_INT(p->layer, 0);
		CHECK(p->purl && cs_str_starts(p->purl, "pkg:deb/debian/") && strstr(p->purl, "distro=debian-12"));
	}
	p = cf_scan_find(s, NULL, NULL, "libc6");
	CHECK(p != NULL);
	if (p) {
		CHECK(p->purl && cs_str_starts(p->purl, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u") &&
		      cs_str_ends(p->purl, "?arch=amd64&distro=debian-12&upstream=glibc"));
		CHECK(p->installed_size > 0 && p->installed_size % 1024 == 0);
		CHECK(p->maintainer != NULL);
	}
	cs_scan_free(s);
	oracle_free(&o);
}

/*
 * A root built here: status with an installed and a removed package,
 * status.d in the distroless style beside control files, a broken status.d
 * file, .list files with and without the architecture, an Ubuntu os-release.
 */
TEST(scan_built_rootfs)
{
	char root[256], link[4096];
	cs_scan *s;
	const cs_package *p;

	if (!cf_tmpdir(root, sizeof(root), "rootfs"))
		return;
	cf_put(root, "etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\nNAME=\"Ubuntu\"\n");
	cf_put(root, "var/lib/dpkg/status",
		   "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nMulti-Arch: same\n"
		   "Source: glibc\nVersion: 2.35-0ubuntu3.1\nInstalled-Size: 3\nMaintainer: M <m@x>\n\n"
		   "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.1-6ubuntu1\n\n"
		   "Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1\n");
	cf_put(root, "var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n/lib/x86_64-linux-gnu/libc.so.6\n");
	cf_put(root, "var/lib/dpkg/info/bash.list", "/.\n/bin\n/bin/bash\n");
	cf_put(root, "var/lib/dpkg/info/gone.list", "/.\n/etc/gone.conf\n");
	cf_put(root, "var/lib/dpkg/status.d/zlib1g",
		   "Package: zlib1g\nVersion: 1:1.2.11.dfsg-2\nArchitecture: amd64\nSource: zlib\n");
	cf_put(root, "var/lib/dpkg/status.d/zlib1g.md5sums", "0123  lib/libz.so.1\n");
	cf_put(root, "var/lib/dpkg/status.d/broken", "this is not a status file\n");
	cf_put(root, "var/lib/dpkg/status.d/bash", /* the same bash: reported once */
		   "Package: bash\nVersion: 5.1-6ubuntu1\nArchitecture: amd64\n");
	snprintf(link, sizeof(link), "%s/var/lib/dpkg/status.d/link", root);
	CHECK(symlink("zlib1g", link) == 0);

	/* Prints "customs: error: cannot read dpkg database '...status.d/broken'", as it should. */
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cs_scan_package_count(s), 3);
		/* The broken status.d file is an error of the scan, reported once. */
		CHECK_INT(cs_scan_error_count(s), 1);
		p = cf_scan_find(s, NULL, NULL, "libc6");
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->purl, "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.1?arch=amd64&distro=ubuntu-22.04&upstream=glibc");
			CHECK_INT(p->installed_size, 3 * 1024);
			CHECK_STR(p->maintainer, "M <m@x>");
			CHECK_INT(p->nfiles, 2);
			if (p->nfiles == 2)
				CHECK_STR(p->files[1], "lib/x86_64-linux-gnu/libc.so.6");
		}
		p = cf_scan_find(s, NULL, NULL, "bash");
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->found_in, "var/lib/dpkg/status");
			CHECK_INT(p->nfiles, 2);
			CHECK_STR(p->purl, "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04");
		}
		p = cf_scan_find(s, NULL, NULL, "zlib1g");
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->found_in, "var/lib/dpkg/status.d/zlib1g");
			CHECK_STR(p->source_name, "zlib");
			CHECK_STR(p->purl,
				  "pkg:deb/ubuntu/zlib1g@1:1.2.11.dfsg-2?arch=amd64&distro=ubuntu-22.04&upstream=zlib");
			CHECK_INT(p->nfiles, 0);
			CHECK_INT(p->layer, 0);
		}
		CHECK(cf_scan_find(s, NULL, NULL, "gone") == NULL);
		cs_scan_free(s);
	}
	rm_tree(root);
}

/* tests/fuzz/corpus/dpkg replayed through what the fuzz target calls. */
TEST(fuzz_corpus)
{
	CHECK(cf_corpus("dpkg", no_crash_seed, NULL) > 0);
}

TEST_MAIN(TEST_ENTRY(recorded_oracles), TEST_ENTRY(live_oracles), TEST_ENTRY(all_states_live),
	  TEST_ENTRY(statusfield_rule), TEST_ENTRY(local_debian12), TEST_ENTRY(refused_files),
	  TEST_ENTRY(distroless_status_d), TEST_ENTRY(edge_cases), TEST_ENTRY(edge_cases_live),
	  TEST_ENTRY(source_field), TEST_ENTRY(installed_size), TEST_ENTRY(no_crash_any_fixture),
	  TEST_ENTRY(list_parse), TEST_ENTRY(list_fixtures), TEST_ENTRY(list_real), TEST_ENTRY(purl_deb),
	  TEST_ENTRY(layers_first), TEST_ENTRY(wants), TEST_ENTRY(scan_local_debian12),
	  TEST_ENTRY(scan_built_rootfs), TEST_ENTRY(fuzz_corpus))
