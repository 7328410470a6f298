/*
 * version_pep440.c - Python package version ordering ("pep440"), as PyPA's
 * packaging.version.Version does it.
 *
 * A version is [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the
 * spellings PEP 440 normalizes: any case, a leading "v", surrounding
 * whitespace, "-", "_" or "." (or nothing) around the pre, post and dev
 * markers, alpha/beta/c/pre/preview for a/b/rc, rev/r for post, "-N" for
 * ".postN", an omitted number for 0, and "-" or "_" for "." in the local
 * part. Ordering: epoch, then the release compared with zero padding
 * (1.0 == 1.0.0), then pre-release (a < b < rc < none), post-release (none
 * < post), dev release (dev < none; a bare .devN also sorts before every
 * pre-release of its release), then local (none < any; part by part,
 * letters before numbers, numbers by value, letters as lower-cased text, a
 * shorter list first).
 *
 * The reference is Debian 12's python3-packaging 23.0 (packaging/version.py:
 * VERSION_PATTERN, Version.__init__, _parse_letter_version,
 * _parse_local_version, _cmpkey) on Debian's CPython 3.11. Strings outside
 * the pattern are CS_EFORMAT, as Version() raises InvalidVersion (packaging
 * 22 dropped LegacyVersion). Its odd corners are kept on purpose:
 *  - the pattern is a Python str regex with re.IGNORECASE, so "\s" is
 *    Unicode whitespace (\x1c-\x1f, U+0085, U+00A0, U+2000..., U+3000) and
 *    case-insensitive [a-z] and literals also match U+0130 'İ', U+0131 'ı',
 *    U+017F 'ſ' and U+212A (Kelvin sign): "1.0poſt1" is a post-release
 *    whose marker lower-cases to "poſt", not "post", so it sorts after
 *    every ".postN"; likewise "prevİew"/"prevıew" are pre-release markers
 *    that stay unnormalized (between b and rc), and local parts lower-case
 *    as Python's str.lower() does (K -> k, İ -> "i\u0307");
 *  - a separator after a marker with no number is allowed ("1.0a.",
 *    "1.0.post-", "1.0a.-1" == 1.0a0.post1);
 *  - a number of more than 4300 digits is refused, as CPython's int()
 *    refuses it (ValueError).
 * Every other non-ASCII byte, and every invalid UTF-8 sequence, is refused.
 *
 * Work is linear in the input and nothing is allocated: numbers are
 * compared as digit strings without their leading zeros.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

#define PY_INT_MAX_DIGITS 4300 /* CPython's default int_max_str_digits */

typedef struct span {
	const char *p; /* borrowed, not terminated */
	size_t n;
} span;

/* Ranks of the marker spellings, in the order their lower-cased text sorts. */
enum { PRE_A, PRE_B, PRE_PREVIEW_I_DOT, PRE_PREVIEW_DOTLESS, PRE_RC };
enum { POST_POST, POST_LONG_S };

typedef struct pep440 {
	span epoch;     /* digits; n == 0 when absent (0) */
	span release;   /* "N(.N)*" */
	int pre;        /* PRE_*, or -1 when absent */
	span pre_n;     /* digits; n == 0 means 0 */
	int post;       /* POST_*, or -1 when absent */
	span post_n;
	bool dev;
	span dev_n;
	bool has_local;
	span local;     /* "[a-z0-9]+([-_.][a-z0-9]+)*" with the 4 non-ASCII letters */
} pep440;

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 'a' - 'A') : c;
}

/* Byte length of the Python str.isspace() character at s, 0 if none. */
static size_t space_len(const unsigned char *s)
{
	if (*s == ' ' || (*s >= '\t' && *s <= '\r') || (*s >= 0x1c && *s <= 0x1f))
		return 1;
	if (s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80) /* U+1680 */
		return 3;
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8a) || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3; /* U+2000..200A, U+2028, U+2029, U+202F */
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f) /* U+205F */
		return 3;
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 */
		return 3;
	return 0;
}

/* The non-ASCII letters that re.IGNORECASE lets [a-z] match. */
enum { NA_NONE, NA_I_DOT, NA_I_DOTLESS, NA_LONG_S, NA_KELVIN };

static int non_ascii_letter(const unsigned char *s, size_t *len)
{
	if (s[0] == 0xc4 && (s[1] == 0xb0 || s[1] == 0xb1)) {
		*len = 2;
		return s[1] == 0xb0 ? NA_I_DOT : NA_I_DOTLESS;
	}
	if (s[0] == 0xc5 && s[1] == 0xbf) {
		*len = 2;
		return NA_LONG_S;
	}
	if (s[0] == 0xe2 && s[1] == 0x84 && s[2] == 0xaa) {
		*len = 3;
		return NA_KELVIN;
	}
	return NA_NONE;
}

/* Length of one local-version character ([a-z0-9] ignoring case) at s, or 0. */
static size_t local_char_len(const unsigned char *s)
{
	size_t len;

	if (cs_vutil_is_digit(*s) || (lower(*s) >= 'a' && lower(*s) <= 'z'))
		return 1;
	return non_ascii_letter(s, &len) != NA_NONE ? len : 0;
}

/*
 * Matches the literal lit (lower-case ASCII) at s ignoring case, as Python's
 * re.IGNORECASE does: 's' also matches U+017F and 'i' U+0130 and U+0131.
 * Returns the bytes matched (0 when no match) and in *variant the
 * non-ASCII letter used, NA_NONE when none.
 */
static size_t match_lit(const unsigned char *s, const char *lit, int *variant)
{
	size_t o = 0, len;
	int na;

	*variant = NA_NONE;
	for (; *lit; lit++) {
		if (lower(s[o]) == (unsigned char)*lit) {
			o++;
			continue;
		}
		na = non_ascii_letter(s + o, &len);
		if ((*lit == 's' && na == NA_LONG_S) || (*lit == 'i' && (na == NA_I_DOT || na == NA_I_DOTLESS))) {
			*variant = na;
			o += len;
			continue;
		}
		return 0;
	}
	return o;
}

static bool is_sep(unsigned char c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Digits at *p: their span, with *p moved past them. */
static span digits(const unsigned char **p)
{
	span d = {(const char *)*p, 0};

	while (cs_vutil_is_digit((*p)[d.n]))
		d.n++;
	*p += d.n;
	return d;
}

/*
 * The pre-release marker at s: its length (0 if none) and rank. Longer
 * spellings first: the regex tries "a" before "alpha", but "a" followed by
 * "lpha" can never complete a version, so the outcome is the longest match.
 */
static size_t match_pre(const unsigned char *s, int *rank)
{
	static const struct {
		const char *lit;
		int rank;
	} pre[] = {{"preview", PRE_RC}, {"alpha", PRE_A}, {"beta", PRE_B}, {"pre", PRE_RC},
		   {"rc", PRE_RC},      {"a", PRE_A},         {"b", PRE_B},       {"c", PRE_RC}};
	size_t i, n;
	int v;

	for (i = 0; i < CS_ARRAY_LEN(pre); i++) {
		if ((n = match_lit(s, pre[i].lit, &v)) == 0)
			continue;
		*rank = pre[i].rank;
		if (v == NA_I_DOT)
			*rank = PRE_PREVIEW_I_DOT; /* "previ\u0307ew": not "preview" */
		else if (v == NA_I_DOTLESS)
			*rank = PRE_PREVIEW_DOTLESS;
		return n;
	}
	return 0;
}

static size_t match_post(const unsigned char *s, int *rank)
{
	size_t n;
	int v;

	if ((n = match_lit(s, "post", &v)) > 0) {
		*rank = v == NA_LONG_S ? POST_LONG_S : POST_POST;
		return n;
	}
	*rank = POST_POST;
	if ((n = match_lit(s, "rev", &v)) > 0)
		return n;
	return match_lit(s, "r", &v);
}

/* A marker's optional separator and number after it ("[-_.]?[0-9]*"). */
static span marker_number(const unsigned char **p)
{
	if (is_sep(**p))
		(*p)++;
	return digits(p);
}

/*
 * Parses s into *v. The regex is matched left to right taking each optional
 * piece when it is there: where the regex could split a string two ways
 * (a separator belonging to the marker before or after it), both ways give
 * the same version, and where a piece could be skipped to let a later one
 * match (a number after "a-" as pre number or as "-N" post), the regex's
 * first choice is the greedy one, which always completes when the other
 * would.
 */
static int parse(const char *str, pep440 *v, cs_err *err)
{
	const unsigned char *p = (const unsigned char *)str, *q;
	size_t n;
	int rank;

	memset(v, 0, sizeof(*v));
	v->pre = v->post = -1;
	while ((n = space_len(p)) > 0)
		p += n;
	if (lower(*p) == 'v')
		p++;
	q = p;
	v->epoch = digits(&q);
	if (v->epoch.n > 0 && *q == '!')
		p = q + 1;
	else
		v->epoch.n = 0;
	if (!cs_vutil_is_digit(*p))
		return cs_vutil_bad(err, "pep440", str, "no release number");
	v->release.p = (const char *)p;
	for (;;) {
		digits(&p);
		if (!(p[0] == '.' && cs_vutil_is_digit(p[1])))
			break;
		p++;
	}
	v->release.n = (size_t)((const char *)p - v->release.p);

	q = is_sep(*p) ? p + 1 : p;
	if ((n = match_pre(q, &rank)) > 0) {
		p = q + n;
		v->pre = rank;
		v->pre_n = marker_number(&p);
	}
	if (p[0] == '-' && cs_vutil_is_digit(p[1])) {
		p++;
		v->post = POST_POST;
		v->post_n = digits(&p);
	} else {
		q = is_sep(*p) ? p + 1 : p;
		if ((n = match_post(q, &rank)) > 0) {
			p = q + n;
			v->post = rank;
			v->post_n = marker_number(&p);
		}
	}
	q = is_sep(*p) ? p + 1 : p;
	if (lower(q[0]) == 'd' && lower(q[1]) == 'e' && lower(q[2]) == 'v') {
		p = q + 3;
		v->dev = true;
		v->dev_n = marker_number(&p);
	}
	if (*p == '+') {
		v->has_local = true;
		v->local.p = (const char *)++p;
		for (;;) {
			if (local_char_len(p) == 0)
				return cs_vutil_bad(err, "pep440", str, "empty or invalid local version part");
			while ((n = local_char_len(p)) > 0)
				p += n;
			if (!(is_sep(*p) && local_char_len(p + 1) > 0))
				break;
			p++;
		}
		v->local.n = (size_t)((const char *)p - v->local.p);
	}
	while ((n = space_len(p)) > 0)
		p += n;
	if (*p)
		return cs_vutil_bad(err, "pep440", str, "unexpected text");
	return 0;
}

/* CPython's int() refuses longer digit strings; every number goes through it. */
static bool int_ok(span d)
{
	return d.n <= PY_INT_MAX_DIGITS;
}

static int check_numbers(const char *str, const pep440 *v, cs_err *err)
{
	const char *p, *end;

	if (!int_ok(v->epoch) || !int_ok(v->pre_n) || !int_ok(v->post_n) || !int_ok(v->dev_n))
		goto too_long;
	for (p = v->release.p, end = p + v->release.n; p < end;) {
		span d = {p, 0};

		while (p + d.n < end && cs_vutil_is_digit((unsigned char)p[d.n]))
			d.n++;
		if (!int_ok(d))
			goto too_long;
		p += d.n + 1;
	}
	if (v->has_local) {
		for (p = v->local.p, end = p + v->local.n; p < end;) {
			span part = {p, 0};

			while (p + part.n < end && !is_sep((unsigned char)p[part.n]))
				part.n++;
			if (cs_vutil_all_digits(part.p, part.n) && !int_ok(part))
				goto too_long;
			p += part.n + 1;
		}
	}
	return 0;
too_long:
	return cs_vutil_bad(err, "pep440", str, "number longer than 4300 digits");
}

/* Compares two digit strings as numbers; the empty string is 0. */
static int cmp_num(span a, span b)
{
	return cs_vutil_cmp_number(a.p, a.n, b.p, b.n);
}

/* The next dot-separated number of a release at *p (before end); "" past it. */
static span next_release_part(const char **p, const char *end)
{
	span d = {*p, 0};

	while (*p < end && **p != '.')
		(*p)++, d.n++;
	if (*p < end)
		(*p)++;
	return d;
}

static int cmp_release(span a, span b)
{
	const char *pa = a.p, *ea = a.p + a.n, *pb = b.p, *eb = b.p + b.n;
	int c;

	/* Python strips trailing zeros then compares tuples: zero padding is the same */
	while (pa < ea || pb < eb)
		if ((c = cmp_num(next_release_part(&pa, ea), next_release_part(&pb, eb))) != 0)
			return c;
	return 0;
}

/*
 * The next byte of a local part's lower-cased UTF-8 text at *i, or -1 at
 * its end: ASCII letters lower-cased, U+212A to "k", U+0130 to "i\u0307"
 * (Python's str.lower()); U+0131 and U+017F stay. UTF-8 byte order is code
 * point order, so comparing these bytes compares the Python strings.
 */
typedef struct lower_iter {
	const unsigned char *p, *end;
	const unsigned char *pend; /* pending bytes of a multi-byte expansion */
	size_t npend;
} lower_iter;

static int lower_next(lower_iter *it)
{
	static const unsigned char i_dot[] = {'i', 0xcc, 0x87};
	size_t len;

	if (it->npend > 0) {
		it->npend--;
		return *it->pend++;
	}
	if (it->p >= it->end)
		return -1;
	switch (non_ascii_letter(it->p, &len)) {
	case NA_I_DOT:
		it->p += len;
		it->pend = i_dot + 1;
		it->npend = 2;
		return i_dot[0];
	case NA_KELVIN:
		it->p += len;
		return 'k';
	default:
		return lower(*it->p++);
	}
}

static int cmp_local_text(span a, span b)
{
	lower_iter ia = {(const unsigned char *)a.p, (const unsigned char *)a.p + a.n, NULL, 0};
	lower_iter ib = {(const unsigned char *)b.p, (const unsigned char *)b.p + b.n, NULL, 0};
	int ca, cb;

	do {
		ca = lower_next(&ia);
		cb = lower_next(&ib);
	} while (ca == cb && ca >= 0);
	return ca < cb ? -1 : ca > cb;
}

/* The next [-_.]-separated part of a local version at *p (before end). */
static span next_local_part(const char **p, const char *end)
{
	span d = {*p, 0};

	while (*p < end && !is_sep((unsigned char)**p))
		(*p)++, d.n++;
	if (*p < end)
		(*p)++;
	return d;
}

static int cmp_local(span a, span b)
{
	const char *pa = a.p, *ea = a.p + a.n, *pb = b.p, *eb = b.p + b.n;
	int c;

	while (pa < ea && pb < eb) {
		span x = next_local_part(&pa, ea), y = next_local_part(&pb, eb);
		bool nx = cs_vutil_all_digits(x.p, x.n), ny = cs_vutil_all_digits(y.p, y.n);

		if (nx != ny)
			return nx ? 1 : -1; /* (NegativeInfinity, "abc") < (1, "") */
		if ((c = nx ? cmp_num(x, y) : cmp_local_text(x, y)) != 0)
			return c;
	}
	return (pa < ea) - (pb < eb);
}

/* A key of _cmpkey: -infinity, a (rank, number) pair, or +infinity. */
typedef struct key {
	int inf; /* -1, 0 (use rank and n), 1 */
	int rank;
	span n;
} key;

static int cmp_key(key a, key b)
{
	if (a.inf != b.inf)
		return a.inf < b.inf ? -1 : 1;
	if (a.inf != 0)
		return 0;
	if (a.rank != b.rank)
		return a.rank < b.rank ? -1 : 1;
	return cmp_num(a.n, b.n);
}

static key pre_key(const pep440 *v)
{
	key k = {0, v->pre, v->pre_n};

	if (v->pre < 0 && v->post < 0 && v->dev)
		k.inf = -1; /* 1.0.dev0 before 1.0a0 */
	else if (v->pre < 0)
		k.inf = 1;
	return k;
}

static key post_key(const pep440 *v)
{
	key k = {v->post < 0 ? -1 : 0, v->post, v->post_n};

	return k;
}

static key dev_key(const pep440 *v)
{
	key k = {v->dev ? 0 : 1, 0, v->dev_n};

	return k;
}

static int pep440_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	pep440 va, vb;
	int c, rc;

	if ((rc = parse(a, &va, err)) < 0 || (rc = check_numbers(a, &va, err)) < 0)
		return rc;
	if ((rc = parse(b, &vb, err)) < 0 || (rc = check_numbers(b, &vb, err)) < 0)
		return rc;
	if ((c = cmp_num(va.epoch, vb.epoch)) == 0 && (c = cmp_release(va.release, vb.release)) == 0 &&
	    (c = cmp_key(pre_key(&va), pre_key(&vb))) == 0 && (c = cmp_key(post_key(&va), post_key(&vb))) == 0 &&
	    (c = cmp_key(dev_key(&va), dev_key(&vb))) == 0) {
		if (va.has_local != vb.has_local)
			c = va.has_local ? 1 : -1;
		else if (va.has_local)
			c = cmp_local(va.local, vb.local);
	}
	*out = c;
	return 0;
}

const cs_version_scheme cs_version_pep440 = {"pep440", pep440_cmp};
