/*
 * dpkg.c - the dpkg cataloger: Debian packages from var/lib/dpkg.
 *
 * Two halves. The first parses bytes (status stanzas, .list files, purls,
 * the layer index) with no knowledge of scans: dpkg.h documents it. The
 * second is cs_analyzer_dpkg: parse() runs per file per layer on a worker
 * thread and keeps what it parsed in that layer's state; finish() runs once
 * the merged view exists and emits a cs_package for every package the final
 * image has installed, from the status file and status.d files the final
 * image holds, each attributed to the lowest layer that installed that very
 * version and given the paths of its .list file.
 */
#include "core/compat.h"
#include "catalog/dpkg.h"
#include "catalog/analyzer.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "core/view.h"
#include "scan/scan.h"

#include <limits.h>
#include <strings.h>
#include <sys/stat.h>

/* --- helpers ----------------------------------------------------------- */

static bool is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Word n of [p, p+len) compared case-insensitively with s. */
static bool word_is(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && strncasecmp(p, s, n) == 0;
}

/*
 * The checks dpkg's parseversion() makes an error (its other complaints,
 * "does not start with digit" and "invalid character", are warnings when
 * reading the database). Returns NULL for a usable version, else why not.
 */
static const char *version_error(const char *p, size_t n)
{
	const char *colon, *end = p + n, *up, *hy;

	if (n == 0)
		return "version string is empty";
	if (memchr(p, ' ', n) || memchr(p, '\t', n))
		return "version string has embedded spaces";
	colon = memchr(p, ':', n);
	up = p;
	if (colon) {
		const char *d = p;
		bool neg = false;
		uint64_t epoch = 0;

		/* As strtol() reads it: a sign, digits; none at all is "empty". */
		if (d < colon && (*d == '+' || *d == '-'))
			neg = *d++ == '-';
		if (d == colon || *d < '0' || *d > '9')
			return "epoch in version is empty";
		for (; d < colon; d++) {
			if (*d < '0' || *d > '9')
				return "epoch in version is not number";
			if (epoch <= INT_MAX)
				epoch = epoch * 10 + (uint64_t)(*d - '0');
		}
		if (neg && epoch > 0)
			return "epoch in version is negative";
		if (epoch > INT_MAX)
			return "epoch in version is too big";
		if (colon + 1 == end)
			return "nothing after colon in version number";
		up = colon + 1;
	}
	for (hy = end; hy > up && hy[-1] != '-'; hy--)
		;
	if (hy > up) {
		if (hy == end)
			return "revision number is empty";
		end = hy - 1;
	}
	if (end == up)
		return "version number is empty";
	return NULL;
}

/* dpkg's pkg_name_is_invalid(): alphanumeric first, then alnum and "-+._". */
static bool name_valid(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || !is_alnum((unsigned char)p[0]))
		return false;
	for (i = 1; i < n; i++)
		if (!is_alnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '+' && p[i] != '.' && p[i] != '_')
			return false;
	return true;
}

bool cs_dpkg_state_installed(int state)
{
	return state >= CS_DPKG_UNPACKED && state <= CS_DPKG_INSTALLED;
}

/* --- status stanzas ---------------------------------------------------- */

enum { F_PACKAGE, F_VERSION, F_ARCH, F_SOURCE, F_MAINTAINER, F_SIZE, F_STATUS, F_COUNT };
enum { F_NONE = -2, F_OTHER = -1 };

static const char *const field_names[F_COUNT] = {
	"Package", "Version", "Architecture", "Source", "Maintainer", "Installed-Size", "Status",
};

/* Fields whose value must be one line: dpkg rejects them continued. */
static bool field_strict(int f)
{
	return f == F_PACKAGE || f == F_VERSION || f == F_STATUS;
}

static const char *const want_words[] = {"unknown", "install", "hold", "deinstall", "purge"};
static const char *const state_words[] = {
	"not-installed",   "config-files",     "half-installed",   "unpacked",
	"half-configured", "triggers-awaited", "triggers-pending", "installed",
};

/* Why a stanza was skipped. */
enum {
	R_OK,
	R_EMPTY_NAME,
	R_HYPHEN,
	R_NO_COLON,
	R_CONT_FIRST,
	R_CONT,
	R_DUP,
	R_NUL,
	R_NO_PACKAGE,
	R_BAD_NAME,
	R_BAD_STATUS,
	R_BAD_VERSION,
	R_NO_VERSION,
	R_BAD_SOURCE,
};

typedef struct stanza {
	const char *val[F_COUNT]; /* first line of each value, trimmed; borrowed */
	size_t len[F_COUNT];
	bool seen[F_COUNT];
	int cur;                  /* field the next continuation line belongs to */
	uint32_t line;            /* first line */
	bool open;                /* a field line was seen */
	int why;                  /* first problem, R_OK none */
	int whyfield;             /* field the problem is in */
	const char *what;         /* text the message quotes; borrowed */
	size_t whatlen;
	const char *detail;       /* version error, static */
} stanza;

typedef struct status_parser {
	cs_arena *a;
	unsigned flags;
	cs_dpkg_db *db;
	size_t cap;
} status_parser;

static void stanza_fail(stanza *st, int why, int field, const char *what, size_t whatlen)
{
	if (st->why != R_OK)
		return;
	st->why = why;
	st->whyfield = field;
	st->what = what;
	st->whatlen = whatlen;
}

static int stanza_skip(status_parser *ps, const stanza *st)
{
	cs_dpkg_db *db = ps->db;
	const char *f = st->whyfield >= 0 ? field_names[st->whyfield] : "";
	char q[80];

	db->nskipped++;
	if (db->skip_reason)
		return 0;
	db->skip_line = st->line;
	cs_cat_quote(q, sizeof(q), st->what ? st->what : "", st->whatlen);
	switch (st->why) {
	case R_EMPTY_NAME:
		db->skip_reason = cs_arena_strdup(ps->a, "empty field name");
		break;
	case R_HYPHEN:
		db->skip_reason = cs_arena_printf(ps->a, "field name '%s' cannot start with a hyphen", q);
		break;
	case R_NO_COLON:
		db->skip_reason = cs_arena_printf(ps->a, "field name '%s' must be followed by colon", q);
		break;
	case R_CONT_FIRST:
		db->skip_reason = cs_arena_strdup(ps->a, "continuation line before any field");
		break;
	case R_CONT:
		db->skip_reason = cs_arena_printf(ps->a, "'%s' field spans several lines", f);
		break;
	case R_DUP:
		db->skip_reason = cs_arena_printf(ps->a, "duplicate '%s' field", f);
		break;
	case R_NUL:
		db->skip_reason = cs_arena_printf(ps->a, "NUL byte in '%s' field", f);
		break;
	case R_NO_PACKAGE:
		db->skip_reason = cs_arena_strdup(ps->a, "missing 'Package' field");
		break;
	case R_BAD_NAME:
		db->skip_reason = cs_arena_printf(ps->a, "invalid package name '%s'", q);
		break;
	case R_BAD_STATUS:
		db->skip_reason = cs_arena_printf(ps->a, "invalid 'Status' field '%s'", q);
		break;
	case R_BAD_VERSION:
		db->skip_reason = cs_arena_printf(ps->a, "invalid 'Version' field '%s': %s", q, st->detail);
		break;
	case R_NO_VERSION:
		db->skip_reason = cs_arena_strdup(ps->a, "missing 'Version' field");
		break;
	case R_BAD_SOURCE:
		db->skip_reason = cs_arena_printf(ps->a, "invalid version in 'Source' field '%s': %s", q,
						  st->detail);
		break;
	default:
		db->skip_reason = cs_arena_strdup(ps->a, "malformed stanza");
		break;
	}
	return db->skip_reason ? 0 : CS_ENOMEM;
}

/* Splits Status into dpkg's three words; false unless exactly three known ones. */
static bool parse_status_field(const char *p, size_t n, cs_dpkg_record *r)
{
	const char *w[3];
	size_t wl[3], i = 0, k, nw = 0;

	while (i < n) {
		size_t s;

		while (i < n && cs_cat_is_space((unsigned char)p[i]))
			i++;
		if (i == n)
			break;
		s = i;
		while (i < n && !cs_cat_is_space((unsigned char)p[i]))
			i++;
		if (nw == 3)
			return false;
		w[nw] = p + s;
		wl[nw++] = i - s;
	}
	if (nw != 3)
		return false;
	for (k = 0; k < CS_ARRAY_LEN(want_words); k++)
		if (word_is(w[0], wl[0], want_words[k]))
			break;
	if (k == CS_ARRAY_LEN(want_words))
		return false;
	r->want = (uint8_t)k;
	if (word_is(w[1], wl[1], "reinstreq"))
		r->reinstreq = true;
	else if (!word_is(w[1], wl[1], "ok"))
		return false;
	for (k = 0; k < CS_ARRAY_LEN(state_words); k++)
		if (word_is(w[2], wl[2], state_words[k]))
			break;
	if (k == CS_ARRAY_LEN(state_words))
		return false;
	r->state = (uint8_t)k;
	return true;
}

/* Checks a finished stanza and appends its record, or counts it skipped. */
static int stanza_end(status_parser *ps, stanza *st)
{
	cs_dpkg_record r;
	cs_dpkg_db *db = ps->db;
	const char *sv = NULL;
	size_t svlen = 0, i, nlen, vlen, alen;
	char *key;

	if (!st->open)
		return 0;
	if (st->why != R_OK)
		return stanza_skip(ps, st);
	memset(&r, 0, sizeof(r));
	r.line = st->line;
	if (!st->seen[F_PACKAGE]) {
		stanza_fail(st, R_NO_PACKAGE, F_PACKAGE, NULL, 0);
		return stanza_skip(ps, st);
	}
	if (!name_valid(st->val[F_PACKAGE], st->len[F_PACKAGE])) {
		stanza_fail(st, R_BAD_NAME, F_PACKAGE, st->val[F_PACKAGE], st->len[F_PACKAGE]);
		return stanza_skip(ps, st);
	}
	if (st->seen[F_STATUS]) {
		r.has_status = true;
		if (!parse_status_field(st->val[F_STATUS], st->len[F_STATUS], &r)) {
			stanza_fail(st, R_BAD_STATUS, F_STATUS, st->val[F_STATUS], st->len[F_STATUS]);
			return stanza_skip(ps, st);
		}
	} else if (ps->flags & CS_DPKG_STATUS_D) {
		r.want = CS_DPKG_WANT_INSTALL;
		r.state = CS_DPKG_INSTALLED;
	} else {
		r.want = CS_DPKG_WANT_UNKNOWN;
		r.state = CS_DPKG_NOT_INSTALLED;
	}
	if (st->seen[F_VERSION]) {
		const char *why = version_error(st->val[F_VERSION], st->len[F_VERSION]);

		if (why) {
			st->detail = why;
			stanza_fail(st, R_BAD_VERSION, F_VERSION, st->val[F_VERSION], st->len[F_VERSION]);
			return stanza_skip(ps, st);
		}
	} else if (r.state != CS_DPKG_NOT_INSTALLED && r.state != CS_DPKG_HALF_INSTALLED) {
		/* dpkg's pkg_parse_verify() insists on it in every other state. */
		stanza_fail(st, R_NO_VERSION, F_VERSION, NULL, 0);
		return stanza_skip(ps, st);
	}
	if (st->seen[F_SOURCE]) {
		const char *v = st->val[F_SOURCE], *open = memchr(v, '(', st->len[F_SOURCE]);

		if (open) {
			const char *end = v + st->len[F_SOURCE], *close;

			sv = open + 1;
			close = memchr(sv, ')', (size_t)(end - sv));
			svlen = (size_t)((close ? close : end) - sv);
			while (svlen && (*sv == ' ' || *sv == '\t')) {
				sv++;
				svlen--;
			}
			while (svlen && (sv[svlen - 1] == ' ' || sv[svlen - 1] == '\t'))
				svlen--;
			if ((st->detail = version_error(sv, svlen)) != NULL) {
				stanza_fail(st, R_BAD_SOURCE, F_SOURCE, v, st->len[F_SOURCE]);
				return stanza_skip(ps, st);
			}
		}
	}

	/* One block holds name NUL version NUL arch NUL: the record's key. */
	nlen = st->len[F_PACKAGE];
	vlen = st->seen[F_VERSION] ? st->len[F_VERSION] : 0;
	alen = st->seen[F_ARCH] ? st->len[F_ARCH] : 0;
	key = cs_arena_alloc(ps->a, nlen + vlen + alen + 3);
	if (!key)
		return CS_ENOMEM;
	for (i = 0; i < nlen; i++) {
		char c = st->val[F_PACKAGE][i];

		key[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	if (vlen)
		memcpy(key + nlen + 1, st->val[F_VERSION], vlen);
	if (alen)
		memcpy(key + nlen + vlen + 2, st->val[F_ARCH], alen);
	r.key = key;
	r.keylen = nlen + vlen + alen + 2;
	r.name = key;
	r.version = key + nlen + 1;
	r.arch = alen ? key + nlen + vlen + 2 : NULL;

	r.source_name = r.name;
	if (st->seen[F_SOURCE]) {
		/* dpkg's source:Package: the value up to the first space. */
		const char *sp = memchr(st->val[F_SOURCE], ' ', st->len[F_SOURCE]);
		size_t sn = sp ? (size_t)(sp - st->val[F_SOURCE]) : st->len[F_SOURCE];

		if (sn > 0 && !(sn == nlen && memcmp(st->val[F_SOURCE], key, sn) == 0) &&
		    !(r.source_name = cs_arena_strndup(ps->a, st->val[F_SOURCE], sn)))
			return CS_ENOMEM;
	}
	r.source_version = r.version;
	if (sv && !(svlen == vlen && memcmp(sv, r.version, vlen) == 0) &&
	    !(r.source_version = cs_arena_strndup(ps->a, sv, svlen)))
		return CS_ENOMEM;
	if (st->seen[F_MAINTAINER] && st->len[F_MAINTAINER] &&
	    !(r.maintainer = cs_arena_strndup(ps->a, st->val[F_MAINTAINER], st->len[F_MAINTAINER])))
		return CS_ENOMEM;
	if (st->seen[F_SIZE] && !cs_parse_u64(st->val[F_SIZE], st->len[F_SIZE], &r.installed_size))
		r.installed_size = 0;
	r.installed = cs_dpkg_state_installed(r.state);

	if (db->nrecords == ps->cap &&
	    !(db->records = cs_arena_grow(ps->a, db->records, db->nrecords, &ps->cap, sizeof(r))))
		return CS_ENOMEM;
	db->records[db->nrecords++] = r;
	if (r.installed)
		db->ninstalled++;
	return 0;
}

/* One "Name: value" line of an open stanza. */
static void stanza_field(stanza *st, const char *line, size_t n)
{
	size_t i = 0, vn;
	const char *v;
	int f;

	while (i < n && !cs_cat_is_space((unsigned char)line[i]) && line[i] != ':')
		i++;
	if (i == 0) {
		stanza_fail(st, R_EMPTY_NAME, -1, NULL, 0);
		return;
	}
	if (line[0] == '-') {
		stanza_fail(st, R_HYPHEN, -1, line, i);
		return;
	}
	for (f = 0; f < F_COUNT; f++)
		if (word_is(line, i, field_names[f]))
			break;
	{
		size_t namelen = i;

		while (i < n && cs_cat_is_space((unsigned char)line[i]))
			i++;
		if (i == n || line[i] != ':') {
			stanza_fail(st, R_NO_COLON, -1, line, namelen);
			return;
		}
	}
	if (f == F_COUNT) {
		st->cur = F_OTHER;
		return;
	}
	st->cur = f;
	if (st->seen[f]) {
		stanza_fail(st, R_DUP, f, NULL, 0);
		return;
	}
	v = line + i + 1;
	vn = n - i - 1;
	cs_cat_trim(&v, &vn, " \t\r\v\f"); /* dpkg's c_isspace() */
	if (memchr(v, '\0', vn)) {
		stanza_fail(st, R_NUL, f, NULL, 0);
		return;
	}
	st->seen[f] = true;
	st->val[f] = v;
	st->len[f] = vn;
}

int cs_dpkg_parse_status(cs_dpkg_db *out, cs_arena *a, const void *data, size_t len, unsigned flags,
			 cs_err *err)
{
	status_parser ps;
	cs_view v = cs_view_make(data, len);
	stanza st;
	const char *line;
	size_t n;
	uint32_t lno = 0;

	memset(out, 0, sizeof(*out));
	ps.a = a;
	ps.flags = flags;
	ps.db = out;
	ps.cap = 0;
	memset(&st, 0, sizeof(st));
	st.cur = F_NONE;
	while (cs_view_line(&v, &line, &n)) {
		size_t i;

		if (lno < UINT32_MAX)
			lno++;
		for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
			;
		if (i == n) {
			/* Blank (or blanks-only) line: the stanza ends. */
			if (stanza_end(&ps, &st) < 0)
				goto nomem;
			memset(&st, 0, sizeof(st));
			st.cur = F_NONE;
			continue;
		}
		if (line[0] == '#')
			continue;
		if (!st.open) {
			st.open = true;
			st.line = lno;
		}
		if (st.why != R_OK)
			continue;
		if (line[0] == ' ' || line[0] == '\t') {
			if (st.cur == F_NONE)
				stanza_fail(&st, R_CONT_FIRST, -1, NULL, 0);
			else if (st.cur >= 0 && field_strict(st.cur))
				stanza_fail(&st, R_CONT, st.cur, NULL, 0);
			continue;
		}
		stanza_field(&st, line, n);
	}
	if (stanza_end(&ps, &st) < 0)
		goto nomem;
	if (out->nrecords == 0 && out->nskipped > 0)
		return cs_err_set(err, CS_EFORMAT, "no valid package stanza: line %u: %s", out->skip_line,
				  out->skip_reason);
	return 0;
nomem:
	return cs_err_set(err, CS_ENOMEM, "out of memory parsing a dpkg database");
}

/* --- .list files --------------------------------------------------------- */

int cs_dpkg_parse_list(cs_dpkg_list *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	cs_view v = cs_view_make(data, len);
	cs_buf in;
	const char *line;
	size_t n, cap = 0, nlines = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	cs_buf_init(&in, 0);
	while (cs_view_line(&v, &line, &n)) {
		char *clean;

		if (n == 0)
			continue;
		nlines++;
		if (line[0] != '/' || memchr(line, '\0', n)) {
			out->nskipped++;
			continue;
		}
		while (n && *line == '/') {
			line++;
			n--;
		}
		cs_buf_reset(&in);
		if ((rc = cs_buf_append(&in, line, n)) < 0)
			goto done;
		if (!(clean = cs_arena_alloc(a, n + 1))) {
			rc = CS_ENOMEM;
			goto done;
		}
		if (cs_path_clean(in.data, clean) < 0) {
			out->nskipped++;
			continue;
		}
		if (*clean == '\0')
			continue; /* "/." and friends: the root itself */
		if (out->npaths == cap &&
		    !(out->paths = cs_arena_grow(a, (void *)out->paths, out->npaths, &cap, sizeof(*out->paths)))) {
			rc = CS_ENOMEM;
			goto done;
		}
		out->paths[out->npaths++] = clean;
	}
	if (out->npaths == 0 && out->nskipped > 0 && out->nskipped == nlines)
		rc = cs_err_set(err, CS_EFORMAT, "no absolute path in %zu lines", nlines);
done:
	cs_buf_release(&in);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing a dpkg file list");
	return rc;
}

/* --- purl ---------------------------------------------------------------- */

int cs_dpkg_purl(char **out, cs_arena *a, const cs_dpkg_record *r, const cs_os *os, cs_err *err)
{
	const char *ns = "debian", *distro = NULL, *upstream = NULL;

	if (os && os->family && *os->family)
		ns = os->family;
	if (os && os->family && *os->family && os->version && *os->version) {
		size_t major = strspn(os->version, "0123456789");

		if (strcasecmp(os->family, "debian") != 0)
			distro = cs_arena_printf(a, "%s-%s", os->family, os->version);
		else if (major > 0)
			distro = cs_arena_printf(a, "debian-%.*s", (int)major, os->version);
		else if (os->codename && *os->codename)
			distro = cs_arena_printf(a, "debian-%s", os->codename);
		else
			distro = cs_arena_printf(a, "debian-%s", os->version);
		if (!distro)
			return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	}
	if (strcmp(r->source_version, r->version) != 0) {
		upstream = cs_arena_printf(a, "%s@%s", r->source_name, r->source_version);
		if (!upstream)
			return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	} else if (strcmp(r->source_name, r->name) != 0) {
		upstream = r->source_name;
	}
	return cs_cat_os_purl(out, a, "deb", ns, r->name, r->version, r->arch, distro, upstream, err);
}

/* --- layer index ----------------------------------------------------------- */

void cs_dpkg_layers_init(cs_dpkg_layers *l)
{
	cs_map_init(&l->first);
}

void cs_dpkg_layers_release(cs_dpkg_layers *l)
{
	cs_map_release(&l->first);
}

int cs_dpkg_layers_add(cs_dpkg_layers *l, const cs_dpkg_db *db, int layer)
{
	size_t i;

	for (i = 0; i < db->nrecords; i++) {
		const cs_dpkg_record *r = &db->records[i];
		int rc;

		if (r->installed && (rc = cs_cat_first_note(&l->first, r->key, r->keylen, layer)) < 0)
			return rc;
	}
	return 0;
}

int cs_dpkg_layers_first(const cs_dpkg_layers *l, const cs_dpkg_record *r)
{
	return cs_cat_first_get(&l->first, r->key, r->keylen);
}

/* --- the analyzer ---------------------------------------------------------- */

#define DPKG_STATUS "var/lib/dpkg/status"
#define DPKG_STATUS_D "var/lib/dpkg/status.d"
#define DPKG_INFO "var/lib/dpkg/info/"

enum { KIND_STATUS, KIND_STATUS_D, KIND_LIST };

/* One wanted file of one layer, as parsed. */
typedef struct dpkg_file {
	struct dpkg_file *next; /* older files of the layer */
	const char *path;       /* clean path; walk arena */
	int kind;
	const char *error;      /* why the parser refused it whole, or NULL */
	cs_dpkg_db db;          /* KIND_STATUS, KIND_STATUS_D */
	cs_dpkg_list list;      /* KIND_LIST */
} dpkg_file;

/* The per-layer state: what parse() found, newest file first. */
typedef struct dpkg_layer {
	dpkg_file *files;
} dpkg_layer;

/*
 * status.d holds "<pkg>" files beside the control files of the package
 * ("<pkg>.md5sums", sometimes maintainer scripts): only the former parse.
 * The suffixes are those dpkg gives control files in its info directory.
 */
static bool status_d_control(const char *base)
{
	static const char *const suffixes[] = {
		".md5sums", ".conffiles", ".list",    ".preinst", ".postinst", ".prerm",
		".postrm",  ".config",    ".shlibs",  ".symbols", ".triggers", ".templates",
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(suffixes); i++)
		if (cs_str_ends(base, suffixes[i]))
			return true;
	return false;
}

static int dpkg_kind(const char *path, uint32_t mode)
{
	const char *rest;

	if (!S_ISREG(mode))
		return -1;
	if (strcmp(path, DPKG_STATUS) == 0)
		return KIND_STATUS;
	if (cs_str_starts(path, DPKG_STATUS_D "/")) {
		rest = path + sizeof(DPKG_STATUS_D);
		if (*rest && !strchr(rest, '/') && !status_d_control(rest))
			return KIND_STATUS_D;
		return -1;
	}
	if (cs_str_starts(path, DPKG_INFO)) {
		rest = path + sizeof(DPKG_INFO) - 1;
		if (strlen(rest) > 5 && !strchr(rest, '/') && cs_str_ends(rest, ".list"))
			return KIND_LIST;
	}
	return -1;
}

static bool dpkg_wants(const char *path, uint32_t mode)
{
	return dpkg_kind(path, mode) >= 0;
}

static int dpkg_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err)
{
	cs_arena *a = cs_walk_arena(w);
	dpkg_layer *layer;
	dpkg_file *f;
	cs_err perr;
	int kind = dpkg_kind(e->path, e->mode), rc;

	if (kind < 0)
		return 0;
	if (!(layer = cs_cat_layer_state(w, CS_AN_dpkg, sizeof(*layer))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (!(f = cs_arena_alloc(a, sizeof(*f))) || !(f->path = cs_arena_strdup(a, e->path)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	f->kind = kind;
	cs_err_clear(&perr);
	if (kind == KIND_LIST)
		rc = cs_dpkg_parse_list(&f->list, a, data, len, &perr);
	else
		rc = cs_dpkg_parse_status(&f->db, a, data, len, kind == KIND_STATUS_D ? CS_DPKG_STATUS_D : 0,
					  &perr);
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

/* finish()'s working set. */
typedef struct dpkg_finish {
	cs_scan *s;
	size_t nlayers;
	cs_map *paths;   /* per layer: path -> dpkg_file, built on first use */
	bool *indexed;
	cs_map emitted;  /* record key -> record already added */
	cs_dpkg_layers first;
} dpkg_finish;

/* The file layer i parsed at path (the newest, if the tar held it twice). */
static int layer_file(dpkg_finish *fx, int i, const char *path, dpkg_file **out)
{
	*out = NULL;
	if (i < 0 || (size_t)i >= fx->nlayers)
		return 0;
	if (!fx->indexed[i]) {
		const dpkg_layer *l = cs_scan_layer_state(fx->s, (size_t)i, CS_AN_dpkg);
		dpkg_file *f;
		int rc;

		fx->indexed[i] = true;
		for (f = l ? l->files : NULL; f; f = f->next)
			if (!cs_map_get(&fx->paths[i], f->path) && (rc = cs_map_put(&fx->paths[i], f->path, f)) < 0)
				return rc;
	}
	*out = cs_map_get(&fx->paths[i], path);
	return 0;
}

/* Files of r's .list in the final image: info/<name>:<arch>.list, else info/<name>.list. */
static int package_files(dpkg_finish *fx, const cs_dpkg_record *r, cs_package *p)
{
	char path[4096], resolved[4096];
	int pass, rc;

	for (pass = 0; pass < 2; pass++) {
		cs_fsinfo info;
		cs_err lerr;
		dpkg_file *f;
		int n;

		if (pass == 0 && !r->arch)
			continue;
		n = pass == 0 ? snprintf(path, sizeof(path), DPKG_INFO "%s:%s.list", r->name, r->arch)
			      : snprintf(path, sizeof(path), DPKG_INFO "%s.list", r->name);
		if (n < 0 || (size_t)n >= sizeof(path))
			continue;
		cs_err_clear(&lerr);
		if (cs_scan_lookup(fx->s, path, true, &info, resolved, sizeof(resolved), &lerr) < 0)
			continue;
		if ((rc = layer_file(fx, info.layer, resolved, &f)) < 0)
			return rc;
		if (f && f->kind == KIND_LIST) {
			/* Borrowed from the walk arena, which lives as long as the scan. */
			p->files = f->list.paths;
			p->nfiles = f->list.npaths;
			return 0;
		}
	}
	return 0;
}

static int emit(dpkg_finish *fx, const cs_dpkg_record *r, const char *found_in, int layer)
{
	cs_arena *a = cs_scan_arena(fx->s);
	cs_package *p;
	cs_err perr;
	char *purl = NULL;
	int rc, first;

	if (cs_map_getn(&fx->emitted, r->key, r->keylen))
		return 0;
	if ((rc = cs_map_putn(&fx->emitted, r->key, r->keylen, (void *)r)) < 0)
		return rc;
	if (!(p = cs_arena_alloc(a, sizeof(*p))))
		return CS_ENOMEM;
	p->type = "deb";
	p->name = r->name;
	p->version = r->version;
	p->arch = r->arch;
	p->source_name = r->source_name;
	p->source_version = r->source_version;
	p->maintainer = r->maintainer;
	p->installed_size = r->installed_size <= UINT64_MAX / 1024 ? r->installed_size * 1024 : 0;
	p->found_in = found_in;
	first = cs_dpkg_layers_first(&fx->first, r);
	p->layer = first >= 0 ? first : layer;
	cs_err_clear(&perr);
	rc = cs_dpkg_purl(&purl, a, r, cs_scan_os(fx->s), &perr);
	if ((rc = cs_cat_set_purl(fx->s, p, rc, purl, &perr)) < 0 || (rc = package_files(fx, r, p)) < 0)
		return rc;
	return cs_scan_add_package(fx->s, p);
}

/* Emits the installed records of the file the final image has at path. */
static int emit_file(dpkg_finish *fx, const char *path, int layer)
{
	dpkg_file *f;
	const char *found_in;
	size_t i;
	int rc;

	if ((rc = layer_file(fx, layer, path, &f)) < 0)
		return rc;
	if (!f || f->kind == KIND_LIST)
		return 0;
	if (f->error)
		cs_scan_diag(fx->s, CS_LOG_ERROR, "cannot read dpkg database '%s': %s", path, f->error);
	else if (f->db.nskipped > 0)
		cs_scan_diag(fx->s, CS_LOG_WARN, "skipped %zu malformed stanzas of '%s', the first at line %u: %s",
			     f->db.nskipped, path, f->db.skip_line, f->db.skip_reason);
	found_in = f->path;
	for (i = 0; i < f->db.nrecords; i++)
		if (f->db.records[i].installed && (rc = emit(fx, &f->db.records[i], found_in, layer)) < 0)
			return rc;
	return 0;
}

static int status_d_entry(const char *path, const cs_fsinfo *info, void *payload)
{
	dpkg_finish *fx = payload;

	if (dpkg_kind(path, info->mode) != KIND_STATUS_D)
		return 0;
	return emit_file(fx, path, info->layer);
}

static int dpkg_finish_scan(cs_scan *s, cs_err *err)
{
	dpkg_finish fx;
	char resolved[4096];
	cs_fsinfo info;
	cs_err lerr;
	size_t i;
	int rc = 0;

	memset(&fx, 0, sizeof(fx));
	fx.s = s;
	fx.nlayers = cs_scan_layer_count(s);
	cs_map_init(&fx.emitted);
	cs_dpkg_layers_init(&fx.first);
	if (fx.nlayers) {
		fx.paths = calloc(fx.nlayers, sizeof(*fx.paths));
		fx.indexed = calloc(fx.nlayers, sizeof(*fx.indexed));
		if (!fx.paths || !fx.indexed) {
			rc = CS_ENOMEM;
			goto done;
		}
	}
	for (i = 0; i < fx.nlayers; i++) {
		const dpkg_layer *l = cs_scan_layer_state(s, i, CS_AN_dpkg);
		const dpkg_file *f;

		cs_map_init(&fx.paths[i]);
		for (f = l ? l->files : NULL; f; f = f->next)
			if (f->kind != KIND_LIST && (rc = cs_dpkg_layers_add(&fx.first, &f->db, (int)i)) < 0)
				goto done;
	}

	cs_err_clear(&lerr);
	rc = cs_scan_lookup(s, DPKG_STATUS, true, &info, resolved, sizeof(resolved), &lerr);
	if (rc == 0 && S_ISREG(info.mode)) {
		if ((rc = emit_file(&fx, resolved, info.layer)) < 0)
			goto done;
	} else if (rc < 0 && rc != CS_ENOTFOUND) {
		cs_scan_diag(s, CS_LOG_WARN, "cannot look up '%s': %s", DPKG_STATUS, lerr.msg);
	}
	rc = cs_scan_list_dir(s, DPKG_STATUS_D, status_d_entry, &fx);
done:
	if (fx.paths)
		for (i = 0; i < fx.nlayers; i++)
			cs_map_release(&fx.paths[i]);
	free(fx.paths);
	free(fx.indexed);
	cs_map_release(&fx.emitted);
	cs_dpkg_layers_release(&fx.first);
	return cs_cat_finish_err(err, rc, "dpkg packages");
}

const cs_analyzer cs_analyzer_dpkg = {
	.name = "dpkg",
	.scanners = 0,
	.max_size = 0,
	.wants = dpkg_wants,
	.parse = dpkg_parse,
	.finish = dpkg_finish_scan,
};
