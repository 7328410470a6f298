/*
 * purl.c - canonical package URL builder (see purl.h).
 *
 * Built in a bounded cs_buf and copied into the caller's arena once done,
 * so a failure leaves nothing half-built in the arena.
 */
#include "core/compat.h"
#include "core/purl.h"
#include "core/buf.h"

#include <strings.h>

/* Case-insensitive types and how their namespace and name are folded. */
enum { FOLD_NS = 1u << 0, FOLD_NAME = 1u << 1, FOLD_PYPI = 1u << 2 };

static const struct {
	const char *type;
	unsigned fold;
} purl_folds[] = {
	{"alpm", FOLD_NS | FOLD_NAME},
	{"apk", FOLD_NS | FOLD_NAME},
	{"bitbucket", FOLD_NS | FOLD_NAME},
	{"deb", FOLD_NS | FOLD_NAME},
	{"github", FOLD_NS | FOLD_NAME},
	{"pypi", FOLD_NAME | FOLD_PYPI},
};

/* Largest purl built: far beyond any real package, small enough to bound hostile input. */
#define PURL_MAX ((size_t)1024 * 1024)

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The spec's allowed set, plus ':' which it forbids encoding. */
static bool purl_plain(int c)
{
	return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':';
}

/* Appends n bytes of s percent-encoded, folded as fold says. */
static int purl_encode(cs_buf *b, const char *s, size_t n, unsigned fold)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (fold & FOLD_NAME)
			c = to_lower(c);
		if ((fold & FOLD_PYPI) && c == '_')
			c = '-';
		if (purl_plain(c)) {
			err = cs_buf_putc(b, (char)c);
		} else {
			char t[3] = {'%', hex[c >> 4], hex[c & 15]};

			err = cs_buf_append(b, t, 3);
		}
		if (err < 0)
			return err;
	}
	return 0;
}

/*
 * Appends the '/'-separated segments of s, each encoded, dropping empty
 * segments (and "." and ".." when dots is set, as the subpath rule says).
 * lead is written before the first segment; *nseg counts the segments.
 */
static int purl_segments(cs_buf *b, const char *s, char lead, bool dots, unsigned fold, size_t *nseg)
{
	const char *p = s;
	int err;

	*nseg = 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n > 0 && !(dots && ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')))) {
			if ((err = cs_buf_putc(b, *nseg ? '/' : lead)) < 0)
				return err;
			if ((err = purl_encode(b, p, n, fold)) < 0)
				return err;
			(*nseg)++;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

static int qualifier_cmp(const void *a, const void *b)
{
	const cs_purl_qualifier *x = a, *y = b;
	const char *p = x->key, *q = y->key;

	/* Keys are compared folded: they are written lower case. */
	while (*p && to_lower((unsigned char)*p) == to_lower((unsigned char)*q)) {
		p++;
		q++;
	}
	return to_lower((unsigned char)*p) - to_lower((unsigned char)*q);
}

static bool key_valid(const char *k)
{
	if (!is_alpha((unsigned char)*k))
		return false;
	for (; *k; k++)
		if (!is_alpha((unsigned char)*k) && !is_digit(*k) && *k != '.' && *k != '-' && *k != '_')
			return false;
	return true;
}

static bool type_valid(const char *t)
{
	if (!is_alpha((unsigned char)*t))
		return false;
	for (; *t; t++)
		if (!is_alpha((unsigned char)*t) && !is_digit(*t) && *t != '.' && *t != '-')
			return false;
	return true;
}

static int purl_qualifiers(cs_buf *b, const cs_purl *p, cs_err *err)
{
	cs_purl_qualifier *q;
	size_t i, n = 0;
	int rc = 0;

	if (p->nqualifiers == 0)
		return 0;
	q = calloc(p->nqualifiers, sizeof(*q));
	if (!q)
		return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	for (i = 0; i < p->nqualifiers; i++) {
		const cs_purl_qualifier *in = &p->qualifiers[i];

		if (!in->key || !key_valid(in->key)) {
			rc = cs_err_set(err, CS_EUSAGE, "invalid package url qualifier key '%s'",
					in->key ? in->key : "");
			goto done;
		}
		if (in->value && *in->value)
			q[n++] = *in;
	}
	qsort(q, n, sizeof(*q), qualifier_cmp);
	for (i = 0; i < n; i++) {
		const char *k;

		if (i > 0 && qualifier_cmp(&q[i - 1], &q[i]) == 0) {
			rc = cs_err_set(err, CS_EUSAGE, "duplicate package url qualifier '%s'", q[i].key);
			goto done;
		}
		if ((rc = cs_buf_putc(b, i ? '&' : '?')) < 0)
			goto done;
		for (k = q[i].key; *k; k++)
			if ((rc = cs_buf_putc(b, (char)to_lower((unsigned char)*k))) < 0)
				goto done;
		if ((rc = cs_buf_putc(b, '=')) < 0)
			goto done;
		if ((rc = purl_encode(b, q[i].value, strlen(q[i].value), 0)) < 0)
			goto done;
	}
done:
	free(q);
	return rc;
}

int cs_purl_build(char **out, cs_arena *a, const cs_purl *p, cs_err *err)
{
	cs_buf b;
	unsigned fold = 0;
	const char *name, *t;
	size_t i, n, nseg;
	int rc;

	*out = NULL;
	if (!p->type || !type_valid(p->type))
		return cs_err_set(err, CS_EUSAGE, "invalid package url type '%s'", p->type ? p->type : "");
	name = p->name ? p->name : "";
	/* Leading and trailing slashes are not part of the name. */
	while (*name == '/')
		name++;
	n = strlen(name);
	while (n > 0 && name[n - 1] == '/')
		n--;
	if (n == 0)
		return cs_err_set(err, CS_EUSAGE, "package url of type '%s' has no name", p->type);
	for (i = 0; i < CS_ARRAY_LEN(purl_folds); i++)
		if (strcasecmp(p->type, purl_folds[i].type) == 0)
			fold = purl_folds[i].fold;

	cs_buf_init(&b, PURL_MAX);
	if ((rc = cs_buf_puts(&b, "pkg:")) < 0)
		goto done;
	for (t = p->type; *t; t++)
		if ((rc = cs_buf_putc(&b, (char)to_lower((unsigned char)*t))) < 0)
			goto done;
	if (p->ns && (rc = purl_segments(&b, p->ns, '/', false, fold & FOLD_NS ? FOLD_NAME : 0, &nseg)) < 0)
		goto done;
	if ((rc = cs_buf_putc(&b, '/')) < 0 ||
	    (rc = purl_encode(&b, name, n, fold & (FOLD_NAME | FOLD_PYPI))) < 0)
		goto done;
	if (p->version && *p->version) {
		if ((rc = cs_buf_putc(&b, '@')) < 0 ||
		    (rc = purl_encode(&b, p->version, strlen(p->version), 0)) < 0)
			goto done;
	}
	if ((rc = purl_qualifiers(&b, p, err)) < 0)
		goto done;
	if (p->subpath && (rc = purl_segments(&b, p->subpath, '#', true, 0, &nseg)) < 0)
		goto done;
	*out = cs_arena_strndup(a, b.data, b.len);
	if (!*out)
		rc = CS_ENOMEM;
done:
	if (rc == CS_ENOMEM)
		cs_err_set(err, rc, "out of memory building a package url");
	else if (rc == CS_ELIMIT)
		cs_err_set(err, rc, "package url of '%.64s' longer than %zu bytes", name, PURL_MAX);
	cs_buf_release(&b);
	return rc;
}

/* --- parsing ---------------------------------------------------------------- */

/* Longest purl parsed and most qualifiers kept: far beyond real ones. */
#define PURL_PARSE_MAX ((size_t)64 * 1024)
#define PURL_MAX_QUALIFIERS 64

static int hex_value(int c)
{
	if (is_digit(c))
		return c - '0';
	c = to_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The last c in [p, end), or NULL. */
static const char *last_of(const char *p, const char *end, char c)
{
	while (end > p)
		if (*--end == c)
			return end;
	return NULL;
}

/* The first c in [p, end), or NULL. */
static const char *first_of(const char *p, const char *end, char c)
{
	return p < end ? memchr(p, c, (size_t)(end - p)) : NULL;
}

/*
 * Percent-decodes [p, end) into *out (arena), folded as purl_encode folds.
 * CS_EFORMAT for a '%' without two hex digits or an encoded NUL (what
 * names the component in the message).
 */
static int purl_decode(char **out, cs_arena *a, const char *p, const char *end, unsigned fold, const char *what,
		       cs_err *err)
{
	size_t n = (size_t)(end - p), i, j = 0;
	char *d = cs_arena_alloc(a, n + 1);

	if (!d)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing a package url");
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (c == '%') {
			int hi = i + 2 < n ? hex_value((unsigned char)p[i + 1]) : -1;
			int lo = i + 2 < n ? hex_value((unsigned char)p[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return cs_err_set(err, CS_EFORMAT, "bad percent escape in the %s", what);
			c = hi * 16 + lo;
			i += 2;
			if (c == 0)
				return cs_err_set(err, CS_EFORMAT, "encoded NUL in the %s", what);
		}
		if (fold & FOLD_NAME)
			c = to_lower(c);
		if ((fold & FOLD_PYPI) && c == '_')
			c = '-';
		d[j++] = (char)c;
	}
	d[j] = '\0';
	*out = d;
	return 0;
}

/*
 * Decodes the '/'-separated segments of [p, end), dropping empty ones (and
 * "." and ".." when dots is set, the subpath rule), joined by '/'. *out is
 * NULL when no segment is left.
 */
static int purl_decode_segments(char **out, cs_arena *a, const char *p, const char *end, bool dots, unsigned fold,
				const char *what, cs_err *err)
{
	char *joined = cs_arena_alloc(a, (size_t)(end - p) + 1), *seg;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!joined)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing a package url");
	while (p < end) {
		const char *slash = first_of(p, end, '/'), *segend = slash ? slash : end;

		if (segend > p) {
			if ((rc = purl_decode(&seg, a, p, segend, fold, what, err)) < 0)
				return rc;
			if (!(dots && (!strcmp(seg, ".") || !strcmp(seg, "..")))) {
				size_t n = strlen(seg);

				if (len)
					joined[len++] = '/';
				memcpy(joined + len, seg, n);
				len += n;
			}
		}
		p = slash ? slash + 1 : end;
	}
	joined[len] = '\0';
	if (len)
		*out = joined;
	return 0;
}

static int purl_qualifiers_parse(cs_purl *out, cs_arena *a, const char *p, const char *end, cs_err *err)
{
	cs_purl_qualifier *q = NULL;
	size_t n = 0, i, cap = 1;
	const char *c;
	int rc;

	/* One slot per pair written (at most one more than the limit): no more. */
	for (c = p; c < end && cap <= PURL_MAX_QUALIFIERS; c++)
		cap += *c == '&';
	while (p < end) {
		const char *amp = first_of(p, end, '&'), *pend = amp ? amp : end, *eq = first_of(p, pend, '=');
		char *key, *value, *k;

		if (pend == p) {
			p = pend + 1;
			continue;
		}
		if (!eq || eq == p)
			return cs_err_set(err, CS_EFORMAT, "qualifier '%.*s' is not key=value",
					  (int)(pend - p > 40 ? 40 : pend - p), p);
		if (!(key = cs_arena_strndup(a, p, (size_t)(eq - p))))
			return cs_err_set(err, CS_ENOMEM, "out of memory parsing a package url");
		for (k = key; *k; k++)
			*k = (char)to_lower((unsigned char)*k);
		if (!key_valid(key))
			return cs_err_set(err, CS_EFORMAT, "invalid qualifier key '%.40s'", key);
		if ((rc = purl_decode(&value, a, eq + 1, pend, 0, "qualifiers", err)) < 0)
			return rc;
		p = amp ? amp + 1 : end;
		if (!*value)
			continue; /* the spec drops empty values */
		for (i = 0; i < n; i++)
			if (!strcmp(q[i].key, key))
				return cs_err_set(err, CS_EFORMAT, "qualifier '%s' repeated", key);
		if (n == PURL_MAX_QUALIFIERS)
			return cs_err_set(err, CS_EFORMAT, "more than %d qualifiers", PURL_MAX_QUALIFIERS);
		if (n == cap)
			return cs_err_set(err, CS_EFORMAT, "more than %d qualifiers", PURL_MAX_QUALIFIERS);
		if (!q && !(q = cs_arena_calloc(a, cap, sizeof(*q))))
			return cs_err_set(err, CS_ENOMEM, "out of memory parsing a package url");
		q[n].key = key;
		q[n].value = value;
		n++;
	}
	out->qualifiers = q;
	out->nqualifiers = n;
	return 0;
}

int cs_purl_parse(cs_purl *out, cs_arena *a, const char *s, size_t len, cs_err *err)
{
	const char *end = s + len, *p, *mark, *slash;
	unsigned fold = 0;
	char *type, *t, *name, *seg;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > PURL_PARSE_MAX)
		return cs_err_set(err, CS_EFORMAT, "package url longer than %zu bytes", PURL_PARSE_MAX);
	for (p = s; p < end; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cs_err_set(err, CS_EFORMAT, "control byte 0x%02x in a package url", (unsigned char)*p);
	/* From the right: '#' subpath, then '?' qualifiers. */
	if ((mark = last_of(s, end, '#')) != NULL) {
		if ((rc = purl_decode_segments(&seg, a, mark + 1, end, true, 0, "subpath", err)) < 0)
			return rc;
		out->subpath = seg;
		end = mark;
	}
	if ((mark = last_of(s, end, '?')) != NULL) {
		if ((rc = purl_qualifiers_parse(out, a, mark + 1, end, err)) < 0)
			return rc;
		end = mark;
	}
	/* From the left: the scheme, then the type. */
	if (!(mark = first_of(s, end, ':')) || mark - s != 3 || to_lower((unsigned char)s[0]) != 'p' ||
	    to_lower((unsigned char)s[1]) != 'k' || to_lower((unsigned char)s[2]) != 'g')
		return cs_err_set(err, CS_EFORMAT, "no 'pkg:' scheme");
	for (p = mark + 1; p < end && *p == '/'; p++)
		;
	while (end > p && end[-1] == '/')
		end--;
	if (!(slash = first_of(p, end, '/')))
		return cs_err_set(err, CS_EFORMAT, "no type and name");
	if (!(type = cs_arena_strndup(a, p, (size_t)(slash - p))))
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing a package url");
	for (t = type; *t; t++)
		*t = (char)to_lower((unsigned char)*t);
	if (!type_valid(type))
		return cs_err_set(err, CS_EFORMAT, "invalid type '%.40s'", type);
	out->type = type;
	for (i = 0; i < CS_ARRAY_LEN(purl_folds); i++)
		if (!strcmp(type, purl_folds[i].type))
			fold = purl_folds[i].fold;
	p = slash + 1;
	/* '@' version: only after the last '/', where an npm scope's '@' cannot be. */
	slash = last_of(p, end, '/');
	if ((mark = last_of(slash ? slash + 1 : p, end, '@')) != NULL) {
		char *v;

		if ((rc = purl_decode(&v, a, mark + 1, end, 0, "version", err)) < 0)
			return rc;
		out->version = *v ? v : NULL;
		end = mark;
	}
	/* No second strip: "ns/@1" has an empty name, as the spec's own "pkg:maven/@1.3.4" has. */
	slash = last_of(p, end, '/');
	mark = slash ? slash + 1 : p;
	if (mark == end)
		return cs_err_set(err, CS_EFORMAT, "no name");
	if ((rc = purl_decode(&name, a, mark, end, fold & (FOLD_NAME | FOLD_PYPI), "name", err)) < 0)
		return rc;
	if (!*name)
		return cs_err_set(err, CS_EFORMAT, "no name");
	out->name = name;
	if (slash) {
		if ((rc = purl_decode_segments(&seg, a, p, slash, false, fold & FOLD_NS ? FOLD_NAME : 0, "namespace",
					       err)) < 0)
			return rc;
		out->ns = seg;
	}
	return 0;
}

const char *cs_purl_get(const cs_purl *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->nqualifiers; i++)
		if (!strcmp(p->qualifiers[i].key, key))
			return p->qualifiers[i].value;
	return NULL;
}
