/*
 * gem.c - the gem cataloger: installed gemspecs and Gemfile.lock.
 *
 * The parsers (gem.h) turn bytes into cs_langpkg records; the langcat frame
 * (langcat.h) does the rest: layers, the final image's copy, the lowest
 * layer, the owning OS package (Debian's ruby-* packages install their
 * gemspecs under usr/share/rubygems-integration) and lockfiles for root
 * filesystems only.
 */
#include "core/compat.h"
#include "catalog/gem.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/strutil.h"
#include "core/view.h"

#include <sys/stat.h>

/* --- helpers ----------------------------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_ident(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* --- paths -------------------------------------------------------------------- */

int cs_gem_kind(const char *path)
{
	const char *base = cs_path_base(path), *p, *slash;
	size_t n = strlen(base);

	if (strcmp(base, "Gemfile.lock") == 0 || strcmp(base, "Gemfile.next.lock") == 0)
		return CS_GEM_LOCK;
	if (n <= 8 || strcmp(base + n - 8, ".gemspec") != 0)
		return CS_GEM_NONE;
	/* A directory named "specifications" anywhere above (specifications/default/x.gemspec too). */
	for (p = path; p < base && (slash = strchr(p, '/')) != NULL; p = slash + 1)
		if (slash - p == 14 && memcmp(p, "specifications", 14) == 0)
			return CS_GEM_SPEC;
	return CS_GEM_NONE;
}

/* --- Ruby literals ---------------------------------------------------------------- */

/* A cursor over one line. */
typedef struct rb_cur {
	const char *p;
	size_t n, i;
} rb_cur;

/* What a literal turned out to be. */
enum { LIT_NONE, LIT_OK, LIT_DYNAMIC };

static void rb_blank(rb_cur *c)
{
	while (c->i < c->n && (c->p[c->i] == ' ' || c->p[c->i] == '\t'))
		c->i++;
}

/* Consumes word when the cursor is on it. */
static bool rb_word(rb_cur *c, const char *word)
{
	size_t m = strlen(word);

	if (c->n - c->i < m || memcmp(c->p + c->i, word, m) != 0)
		return false;
	c->i += m;
	return true;
}

/* cp as UTF-8 into b; false for a code point Unicode does not have. */
static bool put_utf8(cs_buf *b, uint32_t cp, int *rc)
{
	char u[4];
	size_t n;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	*rc = cs_buf_append(b, u, n);
	return true;
}

/*
 * A double-quoted escape after the backslash (c->i on the character after
 * it): decoded into out. LIT_NONE for one that cannot be decoded.
 */
static int rb_escape(rb_cur *c, cs_buf *out, int *kind)
{
	static const char simple[] = "n\nt\tr\re\x1bs a\ab\bf\fv\v";
	const char *s;
	char e = c->p[c->i++];
	uint32_t cp = 0;
	int rc = 0, d, k;

	if (e == 'u') {
		if (c->i < c->n && c->p[c->i] == '{') {
			/* \u{41 42}: code points separated by blanks. */
			c->i++;
			for (;;) {
				rb_blank(c);
				if (c->i < c->n && c->p[c->i] == '}') {
					c->i++;
					return 0;
				}
				for (k = 0, cp = 0; k < 6 && c->i < c->n && (d = cs_cat_hex_digit(c->p[c->i])) >= 0;
				     k++, c->i++)
					cp = cp << 4 | (uint32_t)d;
				if (k == 0 || !put_utf8(out, cp, &rc)) {
					*kind = LIT_NONE;
					return 0;
				}
				if (rc < 0)
					return rc;
			}
		}
		for (k = 0; k < 4; k++, c->i++) {
			if (c->i >= c->n || (d = cs_cat_hex_digit(c->p[c->i])) < 0) {
				*kind = LIT_NONE;
				return 0;
			}
			cp = cp << 4 | (uint32_t)d;
		}
		if (!put_utf8(out, cp, &rc))
			*kind = LIT_NONE;
		return rc;
	}
	if (e == 'x') {
		for (k = 0; k < 2 && c->i < c->n && (d = cs_cat_hex_digit(c->p[c->i])) >= 0; k++, c->i++)
			cp = cp << 4 | (uint32_t)d;
		if (k == 0) {
			*kind = LIT_NONE;
			return 0;
		}
		return cs_buf_putc(out, (char)cp);
	}
	if (e >= '0' && e <= '7') {
		cp = (uint32_t)(e - '0');
		for (k = 1; k < 3 && c->i < c->n && c->p[c->i] >= '0' && c->p[c->i] <= '7'; k++, c->i++)
			cp = cp << 3 | (uint32_t)(c->p[c->i] - '0');
		return cs_buf_putc(out, (char)(cp & 0xff));
	}
	for (s = simple; *s; s += 2)
		if (*s == e)
			return cs_buf_putc(out, s[1]);
	return cs_buf_putc(out, e); /* \" \\ \# and any other: the character itself */
}

/*
 * A string body from c->i up to the closing delimiter close (open: the
 * nesting opener of %q(...) and the like, or 0); c->i ends after close.
 * dq: double-quoted rules (escapes, interpolation). *kind: LIT_OK, LIT_NONE
 * (unterminated, bad escape) or LIT_DYNAMIC (interpolation: the value is
 * only known when the code runs).
 */
static int rb_body(rb_cur *c, cs_buf *out, char open, char close, bool dq, int *kind)
{
	size_t depth = 0;
	int rc = 0;

	*kind = LIT_OK;
	while (c->i < c->n) {
		char ch = c->p[c->i];

		if (ch == '\\') {
			if (c->i + 1 >= c->n)
				break;
			if (!dq) {
				char e = c->p[c->i + 1];

				/* Single quotes: only the backslash and the delimiters are escaped. */
				if (e != '\\' && e != close && (!open || e != open))
					rc = cs_buf_putc(out, '\\');
				if (rc >= 0)
					rc = cs_buf_putc(out, e);
				c->i += 2;
			} else {
				c->i++;
				rc = rb_escape(c, out, kind);
				if (*kind != LIT_OK)
					return rc;
			}
			if (rc < 0)
				return rc;
			continue;
		}
		if (dq && ch == '#' && c->i + 1 < c->n &&
		    (c->p[c->i + 1] == '{' || c->p[c->i + 1] == '@' || c->p[c->i + 1] == '$')) {
			*kind = LIT_DYNAMIC;
			return 0;
		}
		c->i++;
		if (open && ch == open) {
			depth++;
		} else if (ch == close) {
			if (depth == 0)
				return 0;
			depth--;
		}
		if ((rc = cs_buf_putc(out, ch)) < 0)
			return rc;
	}
	*kind = LIT_NONE; /* no closing delimiter on the line */
	return 0;
}

/* The closing delimiter of a %-literal opened by d; 0 for a character that cannot open one. */
static char percent_close(char d, char *open)
{
	*open = 0;
	switch (d) {
	case '(':
		*open = d;
		return ')';
	case '[':
		*open = d;
		return ']';
	case '{':
		*open = d;
		return '}';
	case '<':
		*open = d;
		return '>';
	default:
		if (is_ident(d, false) || is_blank(d) || d == '=' || (unsigned char)d >= 0x80 || d < 0x20)
			return 0;
		return d;
	}
}

/*
 * A string literal at the cursor: "...", '...', %q(...), %Q(...), %(...),
 * optionally followed by .freeze. *kind LIT_NONE when there is none (the
 * cursor then stays), else as rb_body. Decoded into out (reset first).
 */
static int rb_string(rb_cur *c, cs_buf *out, int *kind)
{
	size_t start = c->i;
	char ch, open = 0, close;
	bool dq = true;
	int rc;

	*kind = LIT_NONE;
	cs_buf_reset(out);
	if (c->i >= c->n)
		return 0;
	ch = c->p[c->i];
	if (ch == '"' || ch == '\'') {
		c->i++;
		dq = ch == '"';
		close = ch;
	} else if (ch == '%') {
		size_t j = c->i + 1;

		if (j < c->n && (c->p[j] == 'q' || c->p[j] == 'Q')) {
			dq = c->p[j] == 'Q';
			j++;
		}
		if (j >= c->n || !(close = percent_close(c->p[j], &open)))
			return 0;
		c->i = j + 1;
	} else {
		return 0;
	}
	if ((rc = rb_body(c, out, open, close, dq, kind)) < 0)
		return rc;
	if (*kind == LIT_NONE)
		c->i = start;
	else if (*kind == LIT_OK)
		rb_word(c, ".freeze");
	return 0;
}

/* A value list: the strings of a literal array (or the one string). */
typedef struct rb_list {
	const char **items; /* arena array */
	size_t n, cap;
} rb_list;

static int list_add(rb_list *l, cs_arena *a, const char *s, size_t n)
{
	char *copy;

	if (memchr(s, '\0', n))
		return 0; /* a NUL would cut it: such a license is left out */
	if (l->n == l->cap && !(l->items = cs_arena_grow(a, (void *)l->items, l->n, &l->cap, sizeof(*l->items))))
		return CS_ENOMEM;
	if (!(copy = cs_arena_strndup(a, s, n)))
		return CS_ENOMEM;
	l->items[l->n++] = copy;
	return 0;
}

/* %w[a b c]: words split at blanks, no escapes or interpolation read (%W alike). */
static int rb_words(rb_cur *c, cs_arena *a, rb_list *l, int *kind)
{
	char open, close;
	size_t depth = 0, start;

	*kind = LIT_NONE;
	if (c->n - c->i < 3 || !(close = percent_close(c->p[c->i + 2], &open)))
		return 0;
	c->i += 3;
	for (;;) {
		while (c->i < c->n && is_blank(c->p[c->i]))
			c->i++;
		if (c->i >= c->n)
			return 0; /* unterminated */
		if (c->p[c->i] == close && depth == 0) {
			c->i++;
			*kind = LIT_OK;
			return 0;
		}
		/* One word: up to a blank or the closing delimiter (nested pairs kept). */
		for (start = c->i; c->i < c->n && !is_blank(c->p[c->i]); c->i++) {
			char ch = c->p[c->i];

			if (open && ch == open) {
				depth++;
			} else if (ch == close) {
				if (depth == 0)
					break;
				depth--;
			}
		}
		if (c->i > start && list_add(l, a, c->p + start, c->i - start) < 0)
			return CS_ENOMEM;
	}
}

/*
 * A license value: a string, or an array of strings ([...] or %w[...]).
 * *kind LIT_OK when every element was a literal.
 */
static int rb_string_list(rb_cur *c, cs_arena *a, cs_buf *tmp, rb_list *l, int *kind)
{
	int rc;

	memset(l, 0, sizeof(*l));
	*kind = LIT_NONE;
	if (c->i < c->n && c->p[c->i] == '%' && c->i + 1 < c->n && (c->p[c->i + 1] == 'w' || c->p[c->i + 1] == 'W'))
		return rb_words(c, a, l, kind);
	if (c->i >= c->n || c->p[c->i] != '[') {
		if ((rc = rb_string(c, tmp, kind)) < 0 || *kind != LIT_OK)
			return rc;
		return list_add(l, a, tmp->data, tmp->len);
	}
	c->i++;
	for (;;) {
		rb_blank(c);
		if (c->i < c->n && c->p[c->i] == ']') {
			c->i++;
			*kind = LIT_OK;
			return 0;
		}
		if ((rc = rb_string(c, tmp, kind)) < 0 || *kind != LIT_OK)
			return rc;
		if ((rc = list_add(l, a, tmp->data, tmp->len)) < 0)
			return rc;
		rb_blank(c);
		if (c->i < c->n && c->p[c->i] == ',')
			c->i++;
		else if (c->i >= c->n || c->p[c->i] != ']') {
			*kind = LIT_NONE;
			return 0;
		}
	}
}

/* A version value: a string, or Gem::Version.new("...") / .create("..."). */
static int rb_version(rb_cur *c, cs_buf *out, int *kind)
{
	bool paren;
	int rc;

	if (!rb_word(c, "Gem::Version.new") && !rb_word(c, "Gem::Version.create"))
		return rb_string(c, out, kind);
	rb_blank(c);
	paren = c->i < c->n && c->p[c->i] == '(';
	if (paren)
		c->i++;
	rb_blank(c);
	if ((rc = rb_string(c, out, kind)) < 0 || *kind != LIT_OK || !paren)
		return rc;
	rb_blank(c);
	if (c->i >= c->n || c->p[c->i] != ')')
		*kind = LIT_NONE;
	return 0;
}

/* --- gemspecs ------------------------------------------------------------------ */

enum { ATTR_NONE, ATTR_NAME, ATTR_VERSION, ATTR_LICENSES };

/*
 * "<var>.<attr> = " at the start of a trimmed line: the attribute (c->i
 * then on its value), or ATTR_NONE. `==`, `=~` and `=>` are not assignments.
 */
static int assignment(rb_cur *c, const char *var, size_t varlen)
{
	size_t start;
	int attr;

	if (c->n <= varlen || memcmp(c->p, var, varlen) != 0 || c->p[varlen] != '.')
		return ATTR_NONE;
	c->i = varlen + 1;
	for (start = c->i; c->i < c->n && is_ident(c->p[c->i], false); c->i++)
		;
	if (c->i - start == 4 && memcmp(c->p + start, "name", 4) == 0)
		attr = ATTR_NAME;
	else if (c->i - start == 7 && memcmp(c->p + start, "version", 7) == 0)
		attr = ATTR_VERSION;
	else if ((c->i - start == 7 && memcmp(c->p + start, "license", 7) == 0) ||
		 (c->i - start == 8 && memcmp(c->p + start, "licenses", 8) == 0))
		attr = ATTR_LICENSES;
	else
		return ATTR_NONE;
	rb_blank(c);
	if (c->i >= c->n || c->p[c->i] != '=')
		return ATTR_NONE;
	c->i++;
	if (c->i < c->n && (c->p[c->i] == '=' || c->p[c->i] == '~' || c->p[c->i] == '>'))
		return ATTR_NONE;
	rb_blank(c);
	return attr;
}

/* Finds needle in [p, p + n). */
static const char *mem_find(const char *p, size_t n, const char *needle)
{
	return memmem(p, n, needle, strlen(needle));
}

/*
 * The block variable of a "Gem::Specification.new do |s|" line (trimmed):
 * between the first and the last bar, blanks trimmed, an identifier of at
 * most 63 bytes. Writes it to var; false when there is none.
 */
static bool block_var(const char *line, size_t n, char *var, size_t *varlen)
{
	const char *first = memchr(line, '|', n), *last = NULL, *p;
	size_t m, i;

	for (p = line + n; p > line; p--)
		if (p[-1] == '|') {
			last = p - 1;
			break;
		}
	if (!first || last <= first)
		return false;
	p = first + 1;
	m = (size_t)(last - p);
	cs_cat_trim(&p, &m, " \t");
	if (m == 0 || m > 63 || !is_ident(p[0], true))
		return false;
	for (i = 1; i < m; i++)
		if (!is_ident(p[i], false))
			return false;
	memcpy(var, p, m);
	var[m] = '\0';
	*varlen = m;
	return true;
}

typedef struct spec {
	cs_buf name, version, tmp;
	bool have_name, have_version;
	rb_list licenses; /* the last literal assignment */
	bool seen_new;    /* a Gem::Specification.new line was read */
	char var[64];     /* its block variable, "" when it has none */
	size_t varlen;
} spec;

/* One trimmed line of a gemspec; *stop at a second specification. */
static int spec_line(spec *s, cs_arena *a, const char *line, size_t n, bool *stop)
{
	rb_cur c = {line, n, 0};
	rb_list l;
	int attr, kind, rc = 0;

	if (mem_find(line, n, "Gem::Specification.new")) {
		if (s->seen_new) {
			*stop = true;
			return 0;
		}
		s->seen_new = true;
		if (!block_var(line, n, s->var, &s->varlen))
			s->varlen = 0;
		return 0;
	}
	if (s->varlen == 0 || (attr = assignment(&c, s->var, s->varlen)) == ATTR_NONE)
		return 0;
	switch (attr) {
	case ATTR_NAME:
		if ((rc = rb_string(&c, &s->tmp, &kind)) < 0 || kind != LIT_OK)
			return rc;
		cs_buf_reset(&s->name);
		s->have_name = true;
		return cs_buf_append(&s->name, s->tmp.data, s->tmp.len);
	case ATTR_VERSION:
		if ((rc = rb_version(&c, &s->tmp, &kind)) < 0 || kind != LIT_OK)
			return rc;
		cs_buf_reset(&s->version);
		s->have_version = true;
		return cs_buf_append(&s->version, s->tmp.data, s->tmp.len);
	default:
		if ((rc = rb_string_list(&c, a, &s->tmp, &l, &kind)) < 0 || kind != LIT_OK)
			return rc;
		s->licenses = l;
		return 0;
	}
}

/* The package from what the lines said; CS_EFORMAT naming what is missing. */
static int spec_package(spec *s, cs_langfile *out, cs_arena *a, cs_err *err)
{
	const char *v = s->version.data;
	size_t vn = s->version.len, i, k;
	cs_cat_pkgset set;
	cs_langpkg *p;
	char q[80];
	int rc;

	if (!s->seen_new)
		return cs_err_set(err, CS_EFORMAT, "no 'Gem::Specification.new' block");
	if (s->varlen == 0)
		return cs_err_set(err, CS_EFORMAT, "no block variable after 'Gem::Specification.new'");
	if (!s->have_name || s->name.len == 0)
		return cs_err_set(err, CS_EFORMAT, "no literal '%s.name'", s->var);
	if (cs_cat_has_control(s->name.data, s->name.len))
		return cs_err_set(err, CS_EFORMAT, "control byte in the name");
	/* Gem::Version strips surrounding blanks. */
	cs_cat_trim(&v, &vn, " \t\r\n\v\f");
	if (!s->have_version || vn == 0)
		return cs_err_set(err, CS_EFORMAT, "no literal '%s.version' for '%s'", s->var,
				  cs_cat_quote(q, sizeof(q), s->name.data, s->name.len));
	if (cs_cat_has_control(v, vn))
		return cs_err_set(err, CS_EFORMAT, "control byte in the version of '%s'",
				  cs_cat_quote(q, sizeof(q), s->name.data, s->name.len));
	cs_cat_pkgset_init(&set, out, a, "gem");
	rc = cs_cat_pkgset_add(&set, s->name.data, s->name.len, v, vn, &p);
	cs_cat_pkgset_release(&set);
	if (rc < 0)
		return rc;
	/* Licenses with a control byte or empty are left out; the rest kept as written. */
	for (i = k = 0; i < s->licenses.n; i++) {
		const char *l = s->licenses.items[i];

		if (*l && !cs_cat_has_control(l, strlen(l)))
			s->licenses.items[k++] = l;
	}
	if (k) {
		p->licenses = s->licenses.items;
		p->nlicenses = k;
	}
	return 0;
}

int cs_gem_parse_spec(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	cs_view v = cs_view_make(data, len);
	bool in_doc = false, stop = false;
	const char *line;
	size_t n;
	spec s;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	cs_buf_init(&s.name, 0);
	cs_buf_init(&s.version, 0);
	cs_buf_init(&s.tmp, 0);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		cs_view_skip(&v, 3);
	while (!stop && cs_view_line(&v, &line, &n)) {
		/* =begin ... =end at the start of lines: a block comment. */
		if (in_doc) {
			if (n >= 4 && memcmp(line, "=end", 4) == 0 && (n == 4 || is_blank(line[4])))
				in_doc = false;
			continue;
		}
		if (n >= 6 && memcmp(line, "=begin", 6) == 0 && (n == 6 || is_blank(line[6]))) {
			in_doc = true;
			continue;
		}
		while (n && is_blank(*line))
			line++, n--;
		while (n && is_blank(line[n - 1]))
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		if ((rc = spec_line(&s, a, line, n, &stop)) < 0)
			goto done;
	}
	rc = spec_package(&s, out, a, err);
done:
	cs_buf_release(&s.name);
	cs_buf_release(&s.version);
	cs_buf_release(&s.tmp);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading a gemspec");
	return rc;
}

/* --- Gemfile.lock ------------------------------------------------------------------ */

/* The sections whose specs Bundler installs: its sources (rubygems, git, path, plugins). */
static bool source_section(const char *line, size_t n)
{
	static const char *const names[] = {"GEM", "GIT", "PATH", "PLUGIN SOURCE"};
	size_t i;

	while (n && is_blank(line[n - 1]))
		n--;
	for (i = 0; i < CS_ARRAY_LEN(names); i++)
		if (strlen(names[i]) == n && memcmp(line, names[i], n) == 0)
			return true;
	return false;
}

/* One "    name (version[-platform])" line; false when it has another shape. */
static bool lock_spec(const char *line, size_t n, const char **name, size_t *nlen, const char **ver, size_t *vlen)
{
	const char *p = line + 4, *end = line + n, *sp, *v;

	while (end > p && is_blank(end[-1]))
		end--;
	for (sp = p; sp < end && !is_blank(*sp); sp++)
		;
	if (sp == p || sp == end)
		return false;
	for (v = sp; v < end && is_blank(*v); v++)
		;
	/* Exactly two fields: the second "(...)" with no blank inside. */
	if (end - v < 3 || v[0] != '(' || end[-1] != ')' || memchr(v, ' ', (size_t)(end - v)) ||
	    memchr(v, '\t', (size_t)(end - v)))
		return false;
	*name = p;
	*nlen = (size_t)(sp - p);
	*ver = v + 1;
	*vlen = (size_t)(end - v - 2);
	/* "1.13.6-x86_64-linux": the platform goes (no RubyGems version holds a '-'). */
	if ((p = memchr(*ver, '-', *vlen)) != NULL)
		*vlen = (size_t)(p - *ver);
	return *vlen > 0 && !cs_cat_has_control(*name, *nlen) && !cs_cat_has_control(*ver, *vlen);
}

int cs_gem_parse_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	cs_view v = cs_view_make(data, len);
	bool in_source = false;
	const char *line;
	size_t n;
	cs_cat_pkgset set;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	cs_cat_pkgset_init(&set, out, a, "gem");
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		cs_view_skip(&v, 3);
	while (cs_view_line(&v, &line, &n)) {
		const char *name, *ver;
		size_t nlen, vlen, indent;
		cs_langpkg *p;

		if (n == 0)
			continue;
		if (line[0] != ' ') {
			in_source = source_section(line, n);
			continue;
		}
		for (indent = 0; indent < n && line[indent] == ' '; indent++)
			;
		/* "  remote:" and "  specs:" at two, a spec's dependencies at six. */
		if (!in_source || indent != 4 || indent == n)
			continue;
		if (!lock_spec(line, n, &name, &nlen, &ver, &vlen)) {
			out->nbad++;
			continue;
		}
		if ((rc = cs_cat_pkgset_add(&set, name, nlen, ver, vlen, &p)) < 0)
			break;
	}
	cs_cat_pkgset_release(&set);
	if (rc < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading a Gemfile.lock");
	return 0;
}

/* --- the analyzer ---------------------------------------------------------------- */

int cs_gem_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err)
{
	switch (cs_gem_kind(path)) {
	case CS_GEM_SPEC:
		return cs_gem_parse_spec(out, a, data, len, err);
	case CS_GEM_LOCK:
		return cs_gem_parse_lock(out, a, data, len, err);
	default:
		return CS_ENOTFOUND;
	}
}

static bool gem_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_gem_kind(path) != CS_GEM_NONE;
}

static const cs_langcat gem_cat = {CS_AN_gem, "gem", "ruby gems", cs_gem_parse_file, NULL};
CS_LANGCAT_ANALYZER(gem, "gem", gem_wants, 0, gem_cat);
