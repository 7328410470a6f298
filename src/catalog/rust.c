/*
 * rust.c - the rust cataloger: crates from Cargo.lock files and from the
 * audit data cargo-auditable stores in executables (rust.h describes both
 * formats and what is reported).
 *
 * Three parts: a TOML subset reader for Cargo.lock (the whole syntax of
 * keys, strings, arrays and inline tables, without keeping more than the
 * name, version and source of each [[package]]); the audit data (an ELF
 * section found by elf.c, inflated by isa-l under a cap, JSON read by
 * cJSON); and the analyzer on the langcat frame, which wants every
 * Cargo.lock and every file that may be an executable.
 */
#include "core/compat.h"
#include "catalog/rust.h"
#include "catalog/catutil.h"
#include "catalog/elf.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/purl.h"
#include "core/strutil.h"

#include <isa-l/igzip_lib.h>
#include <stdarg.h>
#include <sys/stat.h>

/* --- shared ------------------------------------------------------------------------------- */

/* A string fit for a package field: not empty, no control byte (NUL included). */
static bool clean(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* Appends one package; its purl from source. CS_ENOMEM. */
static int add_pkg(cs_langfile *out, size_t *cap, cs_arena *a, const char *name, size_t nn, const char *version,
		   size_t vn, const char *source)
{
	cs_langpkg *p = cs_langfile_add(out, cap, a);
	char *purl = NULL;
	cs_err perr;
	int rc;

	if (!p || !(p->name = cs_arena_strndup(a, name, nn)) || !(p->version = cs_arena_strndup(a, version, vn)))
		return CS_ENOMEM;
	cs_err_clear(&perr);
	rc = cs_rust_purl(&purl, a, p->name, p->version, source, &perr);
	if (rc == CS_ENOMEM)
		return rc;
	p->purl = rc == 0 ? purl : NULL; /* cs_purl_build refuses nothing a clean name holds; be safe */
	return 0;
}

int cs_rust_purl(char **out, cs_arena *a, const char *name, const char *version, const char *source, cs_err *err)
{
	cs_purl_qualifier q = {"vcs_url", NULL};
	cs_purl p;

	*out = NULL;
	if (!source || !*source || strcmp(source, "local") == 0 || cs_str_starts(source, "path+"))
		return 0;
	memset(&p, 0, sizeof(p));
	p.type = "cargo";
	p.name = name;
	p.version = version;
	if (cs_str_starts(source, "git+")) {
		/* git+URL?branch=x#commit: the purl spec's vcs_url is git+URL@commit. */
		const char *hash = strchr(source, '#');
		int n = (int)strcspn(source, "?#");

		q.value = hash && hash[1] ? cs_arena_printf(a, "%.*s@%s", n, source, hash + 1)
					  : cs_arena_strndup(a, source, (size_t)n);
		if (!q.value)
			return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
		p.qualifiers = &q;
		p.nqualifiers = 1;
	}
	return cs_purl_build(out, a, &p, err);
}

/* --- Cargo.lock: a TOML subset reader ------------------------------------------------------- */

/*
 * The reader walks the file once. Values of no interest are still parsed
 * in full (into a scratch buffer) so that a file that is not TOML is
 * refused, as Trivy's decoder refuses it; tables are not checked for
 * redefinition and numbers and dates only for their characters.
 */
typedef struct tparse {
	const char *p, *end; /* next byte; end of the file */
	unsigned line;       /* of p, from 1 */
	cs_buf scratch;      /* decoded strings nobody keeps */
	cs_err *err;
} tparse;

enum { V_STRING = 1, V_OTHER = 2 };

static int terr(tparse *t, const char *fmt, ...) CS_PRINTF(2, 3);

static int terr(tparse *t, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cs_err_set(t->err, CS_EFORMAT, "line %u: %s", t->line, msg);
}

/* The byte at p for a message: 'x', or \xNN. */
static const char *show(char *buf, size_t n, const char *p, const char *end)
{
	unsigned char c;

	if (p >= end)
		return "the end of the file";
	c = (unsigned char)*p;
	if (c == '\n')
		return "a newline";
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, n, "'%c'", c);
	else
		snprintf(buf, n, "byte \\x%02x", c);
	return buf;
}

static void ws(tparse *t)
{
	while (t->p < t->end && (*t->p == ' ' || *t->p == '\t'))
		t->p++;
}

static bool newline(tparse *t)
{
	if (t->p < t->end && *t->p == '\n') {
		t->p++;
		t->line++;
		return true;
	}
	if (t->end - t->p >= 2 && t->p[0] == '\r' && t->p[1] == '\n') {
		t->p += 2;
		t->line++;
		return true;
	}
	return false;
}

/* A control byte TOML does not allow in comments and strings (tab is allowed). */
static bool ctl(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Skips a comment up to (not over) its newline. */
static int comment(tparse *t)
{
	char b[16];

	if (t->p >= t->end || *t->p != '#')
		return 0;
	for (t->p++; t->p < t->end && *t->p != '\n'; t->p++)
		if (ctl((unsigned char)*t->p) && !(*t->p == '\r' && t->end - t->p >= 2 && t->p[1] == '\n'))
			return terr(t, "%s in a comment", show(b, sizeof(b), t->p, t->end));
	return 0;
}

/* The end of a line: blanks, a comment, then a newline or the end of the file. */
static int eol(tparse *t)
{
	char b[16];
	int rc;

	ws(t);
	if ((rc = comment(t)) < 0)
		return rc;
	if (t->p == t->end || newline(t))
		return 0;
	return terr(t, "expected the end of the line, got %s", show(b, sizeof(b), t->p, t->end));
}

/* Blanks, comments and newlines, as arrays allow between their values. */
static int ws_nl(tparse *t)
{
	int rc;

	for (;;) {
		ws(t);
		if ((rc = comment(t)) < 0)
			return rc;
		if (!newline(t))
			return 0;
	}
}

/* Appends code point u as UTF-8. */
static int put_utf8(cs_buf *b, uint32_t u)
{
	char s[4];
	size_t n;

	if (u < 0x80) {
		s[0] = (char)u;
		n = 1;
	} else if (u < 0x800) {
		s[0] = (char)(0xc0 | (u >> 6));
		s[1] = (char)(0x80 | (u & 0x3f));
		n = 2;
	} else if (u < 0x10000) {
		s[0] = (char)(0xe0 | (u >> 12));
		s[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		s[2] = (char)(0x80 | (u & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | (u >> 18));
		s[1] = (char)(0x80 | ((u >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((u >> 6) & 0x3f));
		s[3] = (char)(0x80 | (u & 0x3f));
		n = 4;
	}
	return cs_buf_append(b, s, n);
}

/* One escape sequence after its backslash (TOML 1.0's set). */
static int escape(tparse *t, cs_buf *out)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *hit;
	uint32_t u = 0;
	int i, n, h;
	char b[16];

	if (t->p >= t->end)
		return terr(t, "unterminated string");
	if (*t->p && (hit = strchr(from, *t->p)) != NULL) {
		t->p++;
		return cs_buf_putc(out, to[hit - from]);
	}
	if (*t->p != 'u' && *t->p != 'U')
		return terr(t, "invalid escape '\\' then %s", show(b, sizeof(b), t->p, t->end));
	n = *t->p == 'u' ? 4 : 8;
	t->p++;
	if (t->end - t->p < n)
		return terr(t, "unterminated string");
	for (i = 0; i < n; i++) {
		if ((h = cs_cat_hex_digit(t->p[i])) < 0)
			return terr(t, "invalid \\%c escape", n == 4 ? 'u' : 'U');
		u = u << 4 | (uint32_t)h;
	}
	t->p += n;
	if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
		return terr(t, "escape of U+%04X, which is no Unicode scalar value", (unsigned)u);
	return put_utf8(out, u);
}

/*
 * A basic ("...", """...""") or literal ('...', '''...''') string from its
 * opening quote on, decoded into out.
 */
static int string(tparse *t, cs_buf *out)
{
	char q = *t->p;
	bool multi = t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q;
	unsigned start = t->line;
	const char *run;
	char b[16];
	int rc;

	t->p += multi ? 3 : 1;
	if (multi)
		newline(t); /* a newline right after the delimiter is not part of the string */
	for (;;) {
		run = t->p;
		while (t->p < t->end && *t->p != q && !(q == '"' && *t->p == '\\') && !ctl((unsigned char)*t->p))
			t->p++;
		if ((rc = cs_buf_append(out, run, (size_t)(t->p - run))) < 0)
			return rc;
		if (t->p >= t->end) {
			t->line = start;
			return terr(t, "unterminated string");
		}
		if (*t->p == q) {
			size_t k = 0;

			if (!multi) {
				t->p++;
				return 0;
			}
			while (t->p + k < t->end && t->p[k] == q)
				k++;
			if (k < 3) {
				if ((rc = cs_buf_append(out, t->p, k)) < 0)
					return rc;
				t->p += k;
				continue;
			}
			if (k > 5)
				return terr(t, "too many quotes closing a string");
			/* Up to two quotes before the closing three belong to the string. */
			if ((rc = cs_buf_append(out, t->p, k - 3)) < 0)
				return rc;
			t->p += k;
			return 0;
		}
		if (*t->p == '\\') {
			const char *s = t->p + 1;

			if (multi) {
				/* A backslash ending a line trims the blanks and newlines after it. */
				while (s < t->end && (*s == ' ' || *s == '\t'))
					s++;
				if (s < t->end && (*s == '\n' || (*s == '\r' && t->end - s >= 2 && s[1] == '\n'))) {
					t->p = s;
					for (;;) {
						if (newline(t))
							continue;
						if (t->p < t->end && (*t->p == ' ' || *t->p == '\t')) {
							t->p++;
							continue;
						}
						break;
					}
					continue;
				}
			}
			t->p++;
			if ((rc = escape(t, out)) < 0)
				return rc;
			continue;
		}
		/* A control byte: only newlines, and only in multi-line strings. */
		if (multi && newline(t)) {
			if ((rc = cs_buf_putc(out, '\n')) < 0)
				return rc;
			continue;
		}
		if (*t->p == '\n' || *t->p == '\r')
			return terr(t, "unterminated string");
		return terr(t, "%s in a string", show(b, sizeof(b), t->p, t->end));
	}
}

static bool bare_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/*
 * A key, dotted or not: *nseg segments, the first decoded into first (the
 * others into the scratch buffer).
 */
static int key(tparse *t, cs_buf *first, size_t *nseg)
{
	char b[16];
	int rc;

	*nseg = 0;
	cs_buf_reset(first);
	for (;;) {
		cs_buf *dst = *nseg == 0 ? first : &t->scratch;

		ws(t);
		if (dst == &t->scratch)
			cs_buf_reset(dst);
		if (t->p < t->end && (*t->p == '"' || *t->p == '\'')) {
			if (t->end - t->p >= 3 && t->p[1] == *t->p && t->p[2] == *t->p)
				return terr(t, "a multi-line string as a key");
			if ((rc = string(t, dst)) < 0)
				return rc;
		} else {
			const char *s = t->p;

			while (t->p < t->end && bare_char(*t->p))
				t->p++;
			if (t->p == s)
				return terr(t, "expected a key, got %s", show(b, sizeof(b), t->p, t->end));
			if ((rc = cs_buf_append(dst, s, (size_t)(t->p - s))) < 0)
				return rc;
		}
		(*nseg)++;
		ws(t);
		if (t->p < t->end && *t->p == '.') {
			t->p++;
			continue;
		}
		return 0;
	}
}

static bool key_is(const cs_buf *k, const char *s)
{
	size_t n = strlen(s);

	return k->len == n && memcmp(k->data, s, n) == 0;
}

static bool scalar_char(char c)
{
	return bare_char(c) || c == '+' || c == '.' || c == ':';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A value: a string decoded into out (the scratch buffer when out is NULL),
 * or an array, inline table, number, boolean or date parsed and dropped.
 * *kind says which.
 */
static int value(tparse *t, cs_buf *out, int *kind, unsigned depth)
{
	char b[16];
	int rc, k;

	*kind = V_OTHER;
	if (t->p >= t->end || *t->p == '\n' || *t->p == '\r' || *t->p == '#')
		return terr(t, "a key without a value");
	if (*t->p == '"' || *t->p == '\'') {
		if (!out) {
			out = &t->scratch;
			cs_buf_reset(out);
		}
		*kind = V_STRING;
		return string(t, out);
	}
	if (*t->p == '[' || *t->p == '{') {
		bool array = *t->p == '[';

		if (depth >= CS_RUST_MAX_DEPTH)
			return terr(t, "arrays or tables nested deeper than %d", CS_RUST_MAX_DEPTH);
		t->p++;
		for (;;) {
			if ((rc = array ? ws_nl(t) : (ws(t), 0)) < 0)
				return rc;
			if (t->p < t->end && *t->p == (array ? ']' : '}')) {
				t->p++;
				return 0;
			}
			if (!array) {
				size_t nseg;

				if ((rc = key(t, &t->scratch, &nseg)) < 0)
					return rc;
				if (t->p >= t->end || *t->p != '=')
					return terr(t, "expected '=' after a key, got %s", show(b, sizeof(b), t->p, t->end));
				t->p++;
				ws(t);
			}
			if ((rc = value(t, NULL, &k, depth + 1)) < 0)
				return rc;
			if ((rc = array ? ws_nl(t) : (ws(t), 0)) < 0)
				return rc;
			if (t->p < t->end && *t->p == ',') {
				t->p++;
				continue;
			}
			if (t->p < t->end && *t->p == (array ? ']' : '}')) {
				t->p++;
				return 0;
			}
			return terr(t, "expected ',' or '%c', got %s", array ? ']' : '}', show(b, sizeof(b), t->p, t->end));
		}
	}
	{
		const char *s = t->p;
		size_t n;

		while (t->p < t->end && scalar_char(*t->p))
			t->p++;
		n = (size_t)(t->p - s);
		/* A local date and a time may be parted by a space: 1979-05-27 07:32:00. */
		if (n == 10 && s[4] == '-' && s[7] == '-' && t->end - t->p >= 2 && t->p[0] == ' ' && is_digit(t->p[1]))
			for (t->p++; t->p < t->end && scalar_char(*t->p);)
				t->p++;
		if (n == 0)
			return terr(t, "expected a value, got %s", show(b, sizeof(b), s, t->end));
		if (!(is_digit(*s) || ((*s == '+' || *s == '-') && n > 1) || (n == 4 && !memcmp(s, "true", 4)) ||
		      (n == 5 && !memcmp(s, "false", 5)) || (n == 3 && (!memcmp(s, "inf", 3) || !memcmp(s, "nan", 3)))))
			return terr(t, "invalid value '%.*s'", n > 32 ? 32 : (int)n, s);
		return 0;
	}
}

/* The [[package]] table being read. */
typedef struct lock_pkg {
	bool open;                  /* a [[package]] header was read */
	unsigned line;              /* of its header */
	bool have[3];               /* name, version, source seen */
	cs_buf field[3];            /* their values */
} lock_pkg;

static const char *const lock_fields[3] = {"name", "version", "source"};

static int lock_commit(lock_pkg *lp, cs_langfile *out, size_t *cap, cs_arena *a)
{
	const cs_buf *name = &lp->field[0], *version = &lp->field[1];
	int rc = 0;

	if (!lp->open)
		return 0;
	lp->open = false;
	if (!lp->have[0] || !lp->have[1] || !clean(name->data, name->len) || !clean(version->data, version->len)) {
		out->nbad++;
		return 0;
	}
	rc = add_pkg(out, cap, a, name->data, name->len, version->data, version->len,
		     lp->have[2] ? lp->field[2].data : NULL);
	return rc;
}

int cs_rust_parse_lock(cs_langfile *out, cs_arena *a, const char *data, size_t len, cs_err *err)
{
	tparse t;
	lock_pkg lp;
	cs_buf k;
	size_t cap = 0, nseg, i;
	int rc = 0, kind;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	memset(&t, 0, sizeof(t));
	t.p = data;
	t.end = data + len;
	t.line = 1;
	t.err = err;
	cs_buf_init(&t.scratch, 0);
	cs_buf_init(&k, 0);
	memset(&lp, 0, sizeof(lp));
	for (i = 0; i < 3; i++)
		cs_buf_init(&lp.field[i], 0);
	/* A UTF-8 byte order mark is no content. */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		t.p += 3;
	while (t.p < t.end) {
		ws(&t);
		if (t.p == t.end || newline(&t))
			continue;
		if (*t.p == '#') {
			if ((rc = comment(&t)) < 0)
				goto out;
			continue;
		}
		if (*t.p == '[') {
			bool array = t.end - t.p >= 2 && t.p[1] == '[';

			if ((rc = lock_commit(&lp, out, &cap, a)) < 0)
				goto out;
			t.p += array ? 2 : 1;
			if ((rc = key(&t, &k, &nseg)) < 0)
				goto out;
			if (t.p >= t.end || *t.p != ']' || (array && (t.end - t.p < 2 || t.p[1] != ']'))) {
				rc = terr(&t, "unterminated table header");
				goto out;
			}
			t.p += array ? 2 : 1;
			if (array && nseg == 1 && key_is(&k, "package")) {
				lp.open = true;
				lp.line = t.line;
				for (i = 0; i < 3; i++) {
					lp.have[i] = false;
					cs_buf_reset(&lp.field[i]);
				}
			}
			if ((rc = eol(&t)) < 0)
				goto out;
			continue;
		}
		if ((rc = key(&t, &k, &nseg)) < 0)
			goto out;
		if (t.p >= t.end || *t.p != '=') {
			char b[16];

			rc = terr(&t, "expected '=' after a key, got %s", show(b, sizeof(b), t.p, t.end));
			goto out;
		}
		t.p++;
		ws(&t);
		for (i = 0; i < 3 && !(lp.open && nseg == 1 && key_is(&k, lock_fields[i])); i++)
			;
		if (i < 3) {
			if (lp.have[i]) {
				rc = terr(&t, "'%s' given twice in the package at line %u", lock_fields[i], lp.line);
				goto out;
			}
			if ((rc = value(&t, &lp.field[i], &kind, 0)) < 0)
				goto out;
			if (kind != V_STRING) {
				rc = terr(&t, "'%s' of the package at line %u is not a string", lock_fields[i], lp.line);
				goto out;
			}
			lp.have[i] = true;
		} else if ((rc = value(&t, NULL, &kind, 0)) < 0) {
			goto out;
		}
		if ((rc = eol(&t)) < 0)
			goto out;
	}
	rc = lock_commit(&lp, out, &cap, a);
out:
	if (rc == CS_ELIMIT || rc == CS_ENOMEM)
		rc = cs_err_set(err, CS_ENOMEM, "out of memory reading a Cargo.lock");
	for (i = 0; i < 3; i++)
		cs_buf_release(&lp.field[i]);
	cs_buf_release(&k);
	cs_buf_release(&t.scratch);
	return rc;
}

/* --- cargo-auditable's audit data --------------------------------------------------------- */

static const char *inflate_reason(int r)
{
	switch (r) {
	case ISAL_INVALID_WRAPPER: return "not a zlib stream";
	case ISAL_INCORRECT_CHECKSUM: return "zlib checksum mismatch";
	case ISAL_UNSUPPORTED_METHOD: return "unsupported zlib compression method";
	case ISAL_NEED_DICT: return "the zlib stream needs a preset dictionary";
	default: return "corrupt deflate data";
	}
}

/*
 * Inflates the zlib stream z[0..n) into a malloc'd buffer (*out, *outlen
 * bytes, NUL-terminated) of at most max bytes. Bytes after the end of the
 * stream are ignored, as Go's zlib reader ignores them.
 */
static int inflate_zlib(char **out, size_t *outlen, const uint8_t *z, size_t n, size_t max, cs_err *err)
{
	struct inflate_state *s = malloc(sizeof(*s));
	size_t cap = n < max / 4 ? n * 4 : max, done;
	char *buf = NULL, *grown;
	int r, rc = 0;

	*out = NULL;
	*outlen = 0;
	if (cap < 4096)
		cap = max < 4096 ? max : 4096;
	cap += 1; /* one byte past max: a stream that fills it is too large */
	if (!s || !(buf = malloc(cap + 1))) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory inflating the audit data");
		goto done;
	}
	isal_inflate_init(s);
	s->crc_flag = ISAL_ZLIB;
	s->next_in = (uint8_t *)z;
	s->avail_in = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
	s->next_out = (uint8_t *)buf;
	s->avail_out = (uint32_t)cap;
	for (;;) {
		uint32_t in_before = s->avail_in, out_before = s->avail_out;

		r = isal_inflate(s);
		done = (size_t)((char *)s->next_out - buf);
		if (r < 0 || r == ISAL_NEED_DICT) {
			rc = cs_err_set(err, CS_EFORMAT, "%s", inflate_reason(r));
			goto done;
		}
		if (done > max) {
			rc = cs_err_set(err, CS_ELIMIT, "the audit data inflates to more than %zu bytes", max);
			goto done;
		}
		if (s->block_state == ISAL_BLOCK_FINISH)
			break;
		if (s->avail_out == 0) {
			size_t ncap = cap > (max + 1) / 2 ? max + 1 : cap * 2;

			if (!(grown = realloc(buf, ncap + 1))) {
				rc = cs_err_set(err, CS_ENOMEM, "out of memory inflating the audit data");
				goto done;
			}
			buf = grown;
			cap = ncap;
			s->next_out = (uint8_t *)buf + done;
			s->avail_out = (uint32_t)(cap - done);
			continue;
		}
		if (s->avail_in == 0) {
			rc = cs_err_set(err, CS_EFORMAT, "truncated zlib stream");
			goto done;
		}
		if (s->avail_in == in_before && s->avail_out == out_before) {
			rc = cs_err_set(err, CS_EFORMAT, "corrupt deflate data");
			goto done;
		}
	}
	buf[done] = '\0';
	*out = buf;
	*outlen = done;
	buf = NULL;
done:
	free(buf);
	free(s);
	return rc;
}

int cs_rust_parse_audit_json(cs_langfile *out, cs_arena *a, const char *json, size_t len, cs_err *err)
{
	const cJSON *pkgs, *el;
	cJSON *root;
	size_t cap = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!(root = cs_json_parse(json, len, "audit data", err)))
		return CS_EFORMAT;
	if (!cJSON_IsObject(root)) {
		rc = cs_err_set(err, CS_EFORMAT, "audit data: not a JSON object");
		goto done;
	}
	if (!(pkgs = cs_json_arr(root, "packages"))) {
		rc = cs_err_set(err, CS_EFORMAT, "audit data: no 'packages' array");
		goto done;
	}
	cJSON_ArrayForEach(el, pkgs) {
		const cJSON *kind = cJSON_IsObject(el) ? cJSON_GetObjectItemCaseSensitive(el, "kind") : NULL;
		const char *name = cs_json_str(el, "name"), *version = cs_json_str(el, "version");

		if (!cJSON_IsObject(el) || (kind && !cJSON_IsString(kind)) || !name || !version ||
		    !clean(name, strlen(name)) || !clean(version, strlen(version))) {
			out->nbad++;
			continue;
		}
		/* Build-only crates (used by build scripts) are not linked into the binary. */
		if (kind && strcmp(kind->valuestring, "runtime") != 0)
			continue;
		if ((rc = add_pkg(out, &cap, a, name, strlen(name), version, strlen(version), cs_json_str(el, "source"))) <
		    0) {
			rc = cs_err_set(err, rc, "out of memory reading the audit data");
			goto done;
		}
	}
done:
	cJSON_Delete(root);
	return rc;
}

int cs_rust_parse_audit(cs_langfile *out, cs_arena *a, const uint8_t *z, size_t n, cs_err *err)
{
	char *json;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = inflate_zlib(&json, &len, z, n, CS_RUST_MAX_AUDIT, err)) < 0)
		return rc;
	rc = cs_rust_parse_audit_json(out, a, json, len, err);
	free(json);
	return rc;
}

int cs_rust_parse_binary(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const char *name = ".dep-v0";
	const uint8_t *p;
	cs_elf_section s;
	cs_elf e;
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!cs_elf_open(&e, data, len))
		return CS_ENOTFOUND;
	/* rust-audit 0.1, cargo-auditable's predecessor, named it so. */
	if (!cs_elf_find_section(&e, name, &s) && !cs_elf_find_section(&e, name = ".rust-deps-v0", &s))
		return CS_ENOTFOUND;
	if (s.flags & CS_ELF_SHF_COMPRESSED)
		return cs_err_set(err, CS_EFORMAT, "section '%s' is compressed by the linker (SHF_COMPRESSED): not supported",
				  name);
	if ((rc = cs_elf_section_bytes(&e, &s, name, &p, &n, err)) < 0)
		return rc;
	if (n == 0)
		return cs_err_set(err, CS_EFORMAT, "section '%s' is empty", name);
	if ((rc = cs_rust_parse_audit(out, a, p, n, err)) < 0 && rc != CS_ENOMEM)
		cs_err_prefix(err, "section '%s': ", name);
	return rc;
}

/* --- the analyzer ------------------------------------------------------------------------- */

int cs_rust_parse(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err)
{
	memset(out, 0, sizeof(*out));
	if (len >= 4 && memcmp(data, "\x7f" "ELF", 4) == 0)
		return cs_rust_parse_binary(out, a, data, len, err);
	if (strcmp(cs_path_base(path), "Cargo.lock") == 0)
		return cs_rust_parse_lock(out, a, data, len, err);
	return CS_ENOTFOUND;
}

/* Every Cargo.lock; and every file that may be an executable (elf.h), most of which parse() drops after 4 bytes. */
static bool rust_wants(const char *path, uint32_t mode)
{
	if (!S_ISREG(mode))
		return false;
	return strcmp(cs_path_base(path), "Cargo.lock") == 0 || cs_elf_wants(path, mode);
}

static const cs_langcat rust_cat = {CS_AN_rust, "cargo", "rust crates", cs_rust_parse, NULL};

CS_LANGCAT_ANALYZER(rust, "rust", rust_wants, CS_RUST_MAX_SIZE, rust_cat);
