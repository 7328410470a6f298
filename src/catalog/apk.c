/*
 * apk.c - the apk cataloger: Alpine (and Wolfi, Chainguard...) packages
 * from lib/apk/db/installed.
 *
 * Two halves. The first parses bytes (installed stanzas, licenses, purls,
 * the layer index) with no knowledge of scans: apk.h documents it. The
 * second is cs_analyzer_apk: parse() runs per database file per layer on a
 * worker thread and keeps what it parsed in that layer's state; finish()
 * runs once the merged view exists and emits a cs_package for every
 * package of the database the final image holds, each attributed to the
 * lowest layer whose database lists that very name and version.
 */
#include "core/compat.h"
#include "catalog/apk.h"
#include "catalog/analyzer.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "core/view.h"
#include "scan/scan.h"

#include <sys/stat.h>

/* --- helpers ----------------------------------------------------------- */

/* A name or version: no blanks, no control bytes (NUL included), no DEL. */
static bool token_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= 0x20 || c == 0x7f)
			return false;
	}
	return n > 0;
}

/* --- installed stanzas ------------------------------------------------- */

/* Longest file path kept, bytes: PATH_MAX on Linux. */
#define APK_PATH_MAX 4096
/*
 * Bytes of file paths kept per database: APK_PATH_FACTOR times the input
 * plus APK_PATH_SLACK. Each "R:x" line repeats its directory, so without
 * a cap three bytes of input could cost APK_PATH_MAX bytes of memory and
 * copying; real databases stay under 2x (the Z: line after each R: line
 * alone is 31 bytes).
 */
#define APK_PATH_FACTOR 16
#define APK_PATH_SLACK ((size_t)1 << 20)

enum { F_NAME, F_VERSION, F_ARCH, F_ORIGIN, F_LICENSE, F_DESC, F_CHECKSUM, F_MAINT, F_SIZE, F_COUNT };

/* The one-character keys of the fields above, in the same order. */
static const char field_keys[F_COUNT + 1] = "PVAoLTCmI";

/* Why a stanza was skipped. */
enum { R_OK, R_NO_COLON, R_NUL, R_NO_NAME, R_NO_VERSION, R_BAD_NAME, R_BAD_VERSION, R_DUP_PKG };

typedef struct stanza {
	const char *val[F_COUNT]; /* last value of each field; borrowed from the input */
	size_t len[F_COUNT];
	bool seen[F_COUNT];
	const char *dir;          /* last F directory, leading '/' stripped; borrowed */
	size_t dirlen;
	const char **files;       /* arena array */
	size_t nfiles, fcap;
	size_t ndropped;          /* R lines left out */
	uint32_t line;            /* first line */
	bool open;                /* a field line was seen */
	int why;                  /* first problem, R_OK none */
	char whykey;              /* key of the field the problem is in */
	uint32_t whyline;         /* line of the problem */
	const char *what;         /* text the message quotes; borrowed */
	size_t whatlen;
} stanza;

typedef struct installed_parser {
	cs_arena *a;
	cs_apk_db *db;
	size_t cap;
	cs_map names;       /* name -> record index + 1, for duplicate packages */
	cs_buf path;        /* scratch for joining F and R */
	size_t path_budget; /* bytes of file paths still allowed (APK_PATH_FACTOR) */
} installed_parser;

static void stanza_reset(stanza *st)
{
	memset(st, 0, sizeof(*st));
}

static void stanza_fail(stanza *st, int why, char key, uint32_t line, const char *what, size_t whatlen)
{
	if (st->why != R_OK)
		return;
	st->why = why;
	st->whykey = key;
	st->whyline = line;
	st->what = what;
	st->whatlen = whatlen;
}

static void stanza_skip(installed_parser *ps, const stanza *st)
{
	cs_apk_db *db = ps->db;
	char q[80];

	db->nskipped++;
	if (db->skip_reason)
		return;
	db->skip_line = st->why == R_NO_COLON || st->why == R_NUL ? st->whyline : st->line;
	cs_cat_quote(q, sizeof(q), st->what ? st->what : "", st->whatlen);
	switch (st->why) {
	case R_NO_COLON:
		db->skip_reason = cs_arena_printf(ps->a, "expected 'K:value', got '%s'", q);
		break;
	case R_NUL:
		db->skip_reason = cs_arena_printf(ps->a, "NUL byte in '%c' field", st->whykey);
		break;
	case R_NO_NAME:
		db->skip_reason = cs_arena_strdup(ps->a, "missing 'P' (name) field");
		break;
	case R_NO_VERSION:
		db->skip_reason = cs_arena_printf(ps->a, "package '%s' has no 'V' (version) field", q);
		break;
	case R_BAD_NAME:
		db->skip_reason = cs_arena_printf(ps->a, "invalid package name '%s'", q);
		break;
	case R_BAD_VERSION:
		db->skip_reason = cs_arena_printf(ps->a, "invalid version '%s'", q);
		break;
	case R_DUP_PKG:
	default:
		db->skip_reason = cs_arena_printf(ps->a, "duplicate package '%s'", q);
		break;
	}
	/* Out of memory here only loses the message; the count stays right. */
}

/* A value of the stanza as an arena string, or NULL when absent or empty. */
static int stanza_str(installed_parser *ps, const stanza *st, int f, const char **out)
{
	*out = NULL;
	if (!st->seen[f] || st->len[f] == 0)
		return 0;
	if (!(*out = cs_arena_strndup(ps->a, st->val[f], st->len[f])))
		return CS_ENOMEM;
	return 0;
}

/* Ends the open stanza: records it, or counts it skipped. CS_ENOMEM. */
static int stanza_end(installed_parser *ps, stanza *st)
{
	cs_apk_db *db = ps->db;
	cs_apk_record r;
	char *key;
	size_t nlen, vlen;
	int rc;

	if (!st->open)
		return 0;
	if (st->why == R_OK) {
		if (!st->seen[F_NAME] || st->len[F_NAME] == 0)
			stanza_fail(st, R_NO_NAME, 'P', st->line, NULL, 0);
		else if (!token_ok(st->val[F_NAME], st->len[F_NAME]))
			stanza_fail(st, R_BAD_NAME, 'P', st->line, st->val[F_NAME], st->len[F_NAME]);
		else if (!st->seen[F_VERSION] || st->len[F_VERSION] == 0)
			stanza_fail(st, R_NO_VERSION, 'V', st->line, st->val[F_NAME], st->len[F_NAME]);
		else if (!token_ok(st->val[F_VERSION], st->len[F_VERSION]))
			stanza_fail(st, R_BAD_VERSION, 'V', st->line, st->val[F_VERSION], st->len[F_VERSION]);
		else if (cs_map_getn(&ps->names, st->val[F_NAME], st->len[F_NAME]))
			stanza_fail(st, R_DUP_PKG, 'P', st->line, st->val[F_NAME], st->len[F_NAME]);
	}
	if (st->why != R_OK) {
		stanza_skip(ps, st);
		return 0;
	}

	memset(&r, 0, sizeof(r));
	nlen = st->len[F_NAME];
	vlen = st->len[F_VERSION];
	/* One allocation: "name\0version\0", the key and the two strings. */
	if (nlen > SIZE_MAX - vlen - 2 || !(key = cs_arena_alloc(ps->a, nlen + vlen + 2)))
		return CS_ENOMEM;
	memcpy(key, st->val[F_NAME], nlen);
	memcpy(key + nlen + 1, st->val[F_VERSION], vlen);
	r.name = key;
	r.version = key + nlen + 1;
	r.key = key;
	r.keylen = nlen + vlen + 2;
	if ((rc = stanza_str(ps, st, F_ARCH, &r.arch)) < 0 || (rc = stanza_str(ps, st, F_ORIGIN, &r.origin)) < 0 ||
	    (rc = stanza_str(ps, st, F_MAINT, &r.maintainer)) < 0 ||
	    (rc = stanza_str(ps, st, F_DESC, &r.description)) < 0 ||
	    (rc = stanza_str(ps, st, F_CHECKSUM, &r.checksum)) < 0 ||
	    (rc = stanza_str(ps, st, F_LICENSE, &r.license)) < 0)
		return rc;
	r.source_name = r.origin ? r.origin : r.name;
	if (r.license && (rc = cs_apk_split_license(&r.licenses, &r.nlicenses, ps->a, r.license)) < 0)
		return rc;
	if (st->seen[F_SIZE] && !cs_parse_u64(st->val[F_SIZE], st->len[F_SIZE], &r.installed_size))
		r.installed_size = 0;
	r.files = st->files;
	r.nfiles = st->nfiles;
	r.nfiles_dropped = st->ndropped;
	r.line = st->line;

	if (db->nrecords == ps->cap &&
	    !(db->records = cs_arena_grow(ps->a, db->records, db->nrecords, &ps->cap, sizeof(r))))
		return CS_ENOMEM;
	db->records[db->nrecords++] = r;
	return cs_map_putn(&ps->names, r.name, nlen, (void *)(uintptr_t)db->nrecords);
}

/* "R:name": a file of the last F directory. CS_ENOMEM. */
static int stanza_file(installed_parser *ps, stanza *st, const char *name, size_t n)
{
	char *clean;
	size_t need;
	int rc;

	while (n && *name == '/')
		name++, n--;
	if (n == 0 || n > APK_PATH_MAX || st->dirlen > APK_PATH_MAX) {
		st->ndropped++;
		return 0;
	}
	/* "dir/name" and its NUL (without a directory, one byte to spare). */
	need = st->dirlen + 1 + n + 1;
	if (need > APK_PATH_MAX + 1 || need > ps->path_budget) {
		st->ndropped++;
		return 0;
	}
	ps->path_budget -= need;
	cs_buf_reset(&ps->path);
	if (st->dirlen && ((rc = cs_buf_append(&ps->path, st->dir, st->dirlen)) < 0 ||
			   (rc = cs_buf_putc(&ps->path, '/')) < 0))
		return rc;
	if ((rc = cs_buf_append(&ps->path, name, n)) < 0)
		return rc;
	if (!(clean = cs_arena_alloc(ps->a, ps->path.len + 1)))
		return CS_ENOMEM;
	if (cs_path_clean(ps->path.data, clean) < 0 || *clean == '\0') {
		/* ".." above the root, or a name that cleans to the root itself. */
		st->ndropped++;
		return 0;
	}
	if (st->nfiles == st->fcap &&
	    !(st->files = cs_arena_grow(ps->a, (void *)st->files, st->nfiles, &st->fcap, sizeof(*st->files))))
		return CS_ENOMEM;
	st->files[st->nfiles++] = clean;
	return 0;
}

/* One "K:value" line (two bytes or more, not only blanks) of a stanza. */
static int stanza_line(installed_parser *ps, stanza *st, const char *line, size_t n, uint32_t lno)
{
	const char *v = line + 2;
	size_t vn = n - 2;
	const char *k = line[0] != '\0' ? strchr(field_keys, line[0]) : NULL;
	int f;

	if (line[1] != ':') {
		stanza_fail(st, R_NO_COLON, 0, lno, line, n);
		return 0;
	}
	if (!k && line[0] != 'F' && line[0] != 'R')
		return 0; /* a field not read here */
	if (memchr(v, '\0', vn)) {
		stanza_fail(st, R_NUL, line[0], lno, NULL, 0);
		return 0;
	}
	if (line[0] == 'F') {
		while (vn && *v == '/')
			v++, vn--;
		st->dir = v;
		st->dirlen = vn;
		return 0;
	}
	if (line[0] == 'R')
		return stanza_file(ps, st, v, vn);
	f = (int)(k - field_keys);
	st->seen[f] = true;
	st->val[f] = v;
	st->len[f] = vn;
	return 0;
}

/* Shorter than two bytes, or blanks only: ends a stanza. */
static bool line_separates(const char *line, size_t n)
{
	size_t i;

	if (n < 2)
		return true;
	for (i = 0; i < n; i++)
		if (!cs_cat_is_space((unsigned char)line[i]))
			return false;
	return true;
}

int cs_apk_parse_installed(cs_apk_db *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	installed_parser ps;
	cs_view v = cs_view_make(data, len);
	stanza st;
	const char *line;
	size_t n;
	uint32_t lno = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	ps.a = a;
	ps.db = out;
	ps.path_budget = len > (SIZE_MAX - APK_PATH_SLACK) / APK_PATH_FACTOR ? SIZE_MAX
									 : len * APK_PATH_FACTOR + APK_PATH_SLACK;
	cs_map_init(&ps.names);
	cs_buf_init(&ps.path, 0);
	stanza_reset(&st);
	while (cs_view_line(&v, &line, &n)) {
		if (lno < UINT32_MAX)
			lno++;
		if (line_separates(line, n)) {
			if ((rc = stanza_end(&ps, &st)) < 0)
				goto done;
			stanza_reset(&st);
			continue;
		}
		if (!st.open) {
			st.open = true;
			st.line = lno;
		}
		if (st.why == R_OK && (rc = stanza_line(&ps, &st, line, n, lno)) < 0)
			goto done;
	}
	if ((rc = stanza_end(&ps, &st)) < 0)
		goto done;
	if (out->nrecords == 0 && out->nskipped > 0)
		rc = cs_err_set(err, CS_EFORMAT, "no valid package stanza: line %u: %s", out->skip_line,
				out->skip_reason ? out->skip_reason : "malformed");
done:
	cs_map_release(&ps.names);
	cs_buf_release(&ps.path);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing an apk database");
	return rc;
}

/* --- licenses ------------------------------------------------------------ */

/* A bare version number that Alpine writes apart from its license ("MPL 2.0"). */
static bool license_version(const char *p, size_t n)
{
	return n == 3 && (p[0] == '1' || p[0] == '2' || p[0] == '3') && p[1] == '.' && p[2] == '0';
}

int cs_apk_split_license(const char ***out, size_t *n, cs_arena *a, const char *license)
{
	const char *p = license;
	const char **ids = NULL;
	size_t cap = 0;
	bool with = false, joined = false;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		const char *w;
		size_t wn;

		while (*p && (cs_cat_is_space((unsigned char)*p) || *p == '(' || *p == ')'))
			p++;
		w = p;
		while (*p && !cs_cat_is_space((unsigned char)*p) && *p != '(' && *p != ')')
			p++;
		wn = (size_t)(p - w);
		if (wn == 0)
			break;
		if ((wn == 3 && memcmp(w, "AND", 3) == 0) || (wn == 2 && memcmp(w, "OR", 2) == 0)) {
			with = false;
			continue;
		}
		if (wn == 4 && memcmp(w, "WITH", 4) == 0 && *n > 0) {
			with = true;
			continue;
		}
		if (*n > 0 && !joined && wn < APK_PATH_MAX && (with || license_version(w, wn))) {
			/* "GPL-2.0 WITH x" or "MPL 2.0": part of the id before (once, so linear). */
			const char *prev = ids[*n - 1];
			char *cat = cs_arena_printf(a, "%s%s%.*s", prev, with ? " WITH " : "-", (int)wn, w);

			if (!cat)
				return CS_ENOMEM;
			ids[*n - 1] = cat;
			with = false;
			joined = true;
			continue;
		}
		if (*n == cap && !(ids = cs_arena_grow(a, (void *)ids, *n, &cap, sizeof(*ids))))
			return CS_ENOMEM;
		if (!(ids[*n] = cs_arena_strndup(a, w, wn)))
			return CS_ENOMEM;
		(*n)++;
		with = false;
		joined = false;
		*out = ids;
	}
	return 0;
}

/* --- purl ---------------------------------------------------------------- */

int cs_apk_purl(char **out, cs_arena *a, const cs_apk_record *r, const cs_os *os, cs_err *err)
{
	const char *ns = "alpine", *distro = NULL, *upstream = NULL;

	if (os && os->family && *os->family) {
		ns = os->family;
		if (os->version && *os->version)
			distro = os->version;
	}
	if (r->origin && strcmp(r->origin, r->name) != 0)
		upstream = r->origin;
	return cs_cat_os_purl(out, a, "apk", ns, r->name, r->version, r->arch, distro, upstream, err);
}

/* --- layer index ----------------------------------------------------------- */

void cs_apk_layers_init(cs_apk_layers *l)
{
	cs_map_init(&l->first);
}

void cs_apk_layers_release(cs_apk_layers *l)
{
	cs_map_release(&l->first);
}

int cs_apk_layers_add(cs_apk_layers *l, const cs_apk_db *db, int layer)
{
	size_t i;

	for (i = 0; i < db->nrecords; i++) {
		const cs_apk_record *r = &db->records[i];
		int rc;

		if ((rc = cs_cat_first_note(&l->first, r->key, r->keylen, layer)) < 0)
			return rc;
	}
	return 0;
}

int cs_apk_layers_first(const cs_apk_layers *l, const cs_apk_record *r)
{
	return cs_cat_first_get(&l->first, r->key, r->keylen);
}

/* --- the analyzer ---------------------------------------------------------- */

/*
 * Where the database lives, in the order finish() looks: apk-tools opens
 * lib/apk/db; usr-merged images make lib a link to usr/lib, and apko
 * writes usr/lib/apk/db/installed.
 */
static const char *const apk_db_paths[] = {"lib/apk/db/installed", "usr/lib/apk/db/installed"};

/* One database file of one layer, as parsed. */
typedef struct apk_file {
	struct apk_file *next; /* older files of the layer */
	const char *path;      /* clean path; walk arena */
	const char *error;     /* why the parser refused it whole, or NULL */
	cs_apk_db db;
} apk_file;

/* The per-layer state: what parse() found, newest file first. */
typedef struct apk_layer {
	apk_file *files;
} apk_layer;

static bool apk_wants(const char *path, uint32_t mode)
{
	size_t i;

	if (!S_ISREG(mode))
		return false;
	for (i = 0; i < CS_ARRAY_LEN(apk_db_paths); i++)
		if (strcmp(path, apk_db_paths[i]) == 0)
			return true;
	return false;
}

static int apk_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err)
{
	cs_arena *a = cs_walk_arena(w);
	apk_layer *layer;
	apk_file *f;
	cs_err perr;
	int rc;

	if (!apk_wants(e->path, e->mode))
		return 0;
	if (!(layer = cs_cat_layer_state(w, CS_AN_apk, sizeof(*layer))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (!(f = cs_arena_alloc(a, sizeof(*f))) || !(f->path = cs_arena_strdup(a, e->path)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_err_clear(&perr);
	rc = cs_apk_parse_installed(&f->db, a, data, len, &perr);
	if (rc < 0 && rc != CS_EFORMAT) {
		cs_err_merge(err, &perr);
		return rc;
	}
	/*
	 * A refused file is kept with its reason and not reported here: only
	 * the copy the final image holds matters, and finish() knows which.
	 */
	if (rc == CS_EFORMAT && !(f->error = cs_arena_strdup(a, perr.msg)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	f->next = layer->files;
	layer->files = f;
	return 0;
}

/* The file layer i parsed at path (the newest, if the tar held it twice), or NULL. */
static const apk_file *layer_file(const cs_scan *s, int i, const char *path)
{
	const apk_layer *l;
	const apk_file *f;

	if (i < 0 || (size_t)i >= cs_scan_layer_count(s))
		return NULL;
	l = cs_scan_layer_state(s, (size_t)i, CS_AN_apk);
	for (f = l ? l->files : NULL; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

static int emit(cs_scan *s, const cs_apk_layers *first, const cs_apk_record *r, const char *found_in, int layer)
{
	cs_arena *a = cs_scan_arena(s);
	cs_package *p;
	cs_err perr;
	char *purl = NULL;
	int rc, low;

	if (!(p = cs_arena_alloc(a, sizeof(*p))))
		return CS_ENOMEM;
	/* Strings are borrowed from the walk arena, which lives as long as the scan. */
	p->type = "apk";
	p->name = r->name;
	p->version = r->version;
	p->arch = r->arch;
	p->source_name = r->source_name;
	p->source_version = r->version;
	p->maintainer = r->maintainer;
	p->installed_size = r->installed_size;
	p->found_in = found_in;
	low = cs_apk_layers_first(first, r);
	p->layer = low >= 0 ? low : layer;
	p->files = r->files;
	p->nfiles = r->nfiles;
	p->licenses = r->licenses;
	p->nlicenses = r->nlicenses;
	cs_err_clear(&perr);
	rc = cs_apk_purl(&purl, a, r, cs_scan_os(s), &perr);
	if ((rc = cs_cat_set_purl(s, p, rc, purl, &perr)) < 0)
		return rc;
	return cs_scan_add_package(s, p);
}

/* Emits the packages of the database file the final image has at path. */
static int emit_file(cs_scan *s, const cs_apk_layers *first, const char *path, int layer)
{
	const apk_file *f = layer_file(s, layer, path);
	size_t i;
	int rc;

	if (!f) {
		/* Reached through a link to a path parse() was never offered. */
		cs_scan_diag(s, CS_LOG_WARN, "apk database '%s' was not read", path);
		return 0;
	}
	if (f->error)
		cs_scan_diag(s, CS_LOG_ERROR, "cannot read apk database '%s': %s", path, f->error);
	else if (f->db.nskipped > 0)
		cs_scan_diag(s, CS_LOG_WARN, "skipped %zu malformed stanzas of '%s', the first at line %u: %s",
			     f->db.nskipped, path, f->db.skip_line,
			     f->db.skip_reason ? f->db.skip_reason : "malformed");
	for (i = 0; i < f->db.nrecords; i++)
		if ((rc = emit(s, first, &f->db.records[i], f->path, layer)) < 0)
			return rc;
	return 0;
}

/*
 * Reads the first database path the final image holds as a regular file
 * (links followed), as apk-tools reads one database; every layer's copies
 * feed the layer index.
 */
static int apk_finish(cs_scan *s, cs_err *err)
{
	cs_apk_layers first;
	char resolved[4096];
	size_t i;
	int rc = 0;

	cs_apk_layers_init(&first);
	for (i = 0; i < cs_scan_layer_count(s); i++) {
		const apk_layer *l = cs_scan_layer_state(s, i, CS_AN_apk);
		const apk_file *f;

		for (f = l ? l->files : NULL; f; f = f->next)
			if ((rc = cs_apk_layers_add(&first, &f->db, (int)i)) < 0)
				goto done;
	}
	for (i = 0; i < CS_ARRAY_LEN(apk_db_paths); i++) {
		cs_fsinfo info;
		cs_err lerr;

		cs_err_clear(&lerr);
		rc = cs_scan_lookup(s, apk_db_paths[i], true, &info, resolved, sizeof(resolved), &lerr);
		if (rc == 0 && S_ISREG(info.mode)) {
			rc = emit_file(s, &first, resolved, info.layer);
			goto done;
		}
		if (rc < 0 && rc != CS_ENOTFOUND)
			cs_scan_diag(s, CS_LOG_WARN, "cannot look up '%s': %s", apk_db_paths[i],
				     lerr.msg[0] ? lerr.msg : cs_err_name(rc));
		rc = 0;
	}
done:
	cs_apk_layers_release(&first);
	return cs_cat_finish_err(err, rc, "apk packages");
}

const cs_analyzer cs_analyzer_apk = {
	.name = "apk",
	.scanners = 0,
	.max_size = 0,
	.wants = apk_wants,
	.parse = apk_parse,
	.finish = apk_finish,
};
