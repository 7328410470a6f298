/*
 * version_gem.c - RubyGems version ordering ("gem"), as Gem::Version#<=>
 * does it.
 *
 * A version is digits, then ".alnum" pieces, then optionally "-" and a
 * pre-release of letters, digits, "-" and "." (Gem::Version's
 * ANCHORED_VERSION_PATTERN), with ASCII whitespace around it; an empty or
 * blank string is version "0". Every "-" counts as a ".pre." segment. The
 * version is cut into segments, each a run of digits (a number) or of
 * letters (a string); zeros at the end of the leading all-number part and
 * at the very end are dropped ("1.0.a" == "1.a", "1.0" == "1"), then the
 * segments are compared in turn, a missing one counting as 0: a string is
 * older than any number (so "1.a" < "1" < "1.0.1"), numbers by value,
 * strings by their bytes (case matters: "B" < "a").
 *
 * The reference is Debian 12's RubyGems 3.3.15 (package ruby,
 * rubygems/version.rb: correct?, initialize, <=>, canonical_segments,
 * _segments, _split_segments). Strings Gem::Version.correct? refuses
 * (Gem::Version.new raises ArgumentError) are CS_EFORMAT; that includes
 * every non-ASCII byte, since the pattern only admits ASCII.
 *
 * Work is linear in the input and nothing is allocated: numbers are
 * compared as digit strings without their leading zeros.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

static bool is_space(char c) /* Ruby's \s; also exactly what String#strip removes here */
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Checks s against ANCHORED_VERSION_PATTERN,
 *   \A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z
 * and returns in [*body, *body + *len) the part between the blanks (what
 * String#strip leaves). Each optional piece is taken when present: no
 * shorter choice could let the rest match, as every piece ends at a
 * character its successor cannot start with.
 */
static int parse(const char *s, const char **body, size_t *len, cs_err *err)
{
	const char *p = s, *start;
	char q[80];

	while (is_space(*p))
		p++;
	start = p;
	if (cs_vutil_is_digit(*p)) {
		while (cs_vutil_is_digit(*p))
			p++;
		while (p[0] == '.' && cs_vutil_is_alnum(p[1]))
			for (p++; cs_vutil_is_alnum(*p); p++)
				;
		if (p[0] == '-' && (cs_vutil_is_alnum(p[1]) || p[1] == '-')) {
			for (p++; cs_vutil_is_alnum(*p) || *p == '-'; p++)
				;
			while (p[0] == '.' && (cs_vutil_is_alnum(p[1]) || p[1] == '-'))
				for (p++; cs_vutil_is_alnum(*p) || *p == '-'; p++)
					;
		}
	}
	*body = start;
	*len = (size_t)(p - start);
	while (is_space(*p))
		p++;
	if (*p)
		return cs_err_set(err, CS_EFORMAT, "invalid gem version '%s': malformed version number string",
				  cs_vutil_quote(s, q, sizeof(q)));
	return 0;
}

/* A segment: a number (digits) or a string (letters, or "pre" for a '-'). */
typedef struct seg {
	enum { SEG_END, SEG_NUM, SEG_STR } type;
	const char *p; /* borrowed; for a number without its leading zeros */
	size_t n;
} seg;

/*
 * Walks the canonical segments of one version, dropping the zeros that
 * close its leading all-number part when a string follows them (trailing
 * zeros at the very end need no dropping: a missing segment counts as 0).
 */
typedef struct seg_iter {
	const char *p, *end;
	bool seen_str;   /* a string segment came already */
	size_t zeros;    /* zero segments still to hand out before p */
} seg_iter;

static seg raw_next(const char **pp, const char *end)
{
	const char *p = *pp;
	seg s = {SEG_END, NULL, 0};

	while (p < end && *p == '.')
		p++;
	if (p == end) {
		*pp = p;
		return s;
	}
	if (*p == '-') { /* gsub("-", ".pre.") */
		s.type = SEG_STR;
		s.p = "pre";
		s.n = 3;
		*pp = p + 1;
		return s;
	}
	s.p = p;
	if (cs_vutil_is_digit(*p)) {
		s.type = SEG_NUM;
		while (p < end && cs_vutil_is_digit(*p))
			p++;
		while (s.p < p - 1 && *s.p == '0')
			s.p++; /* keep one digit of an all-zero run */
	} else {
		s.type = SEG_STR;
		while (p < end && cs_vutil_is_alpha(*p))
			p++;
	}
	s.n = (size_t)(p - s.p);
	*pp = p;
	return s;
}

static bool is_zero(seg s)
{
	return s.type == SEG_NUM && s.n == 1 && s.p[0] == '0';
}

static seg seg_next(seg_iter *it)
{
	static const char zero[] = "0";
	seg s, t;
	const char *after;
	size_t k;

	if (it->zeros > 0) {
		it->zeros--;
		s.type = SEG_NUM;
		s.p = zero;
		s.n = 1;
		return s;
	}
	s = raw_next(&it->p, it->end);
	if (!it->seen_str && is_zero(s)) {
		/* a run of zeros in the number part: dropped when a string follows */
		k = 1;
		for (;;) {
			after = it->p;
			t = raw_next(&it->p, it->end);
			if (!is_zero(t))
				break;
			k++;
		}
		if (t.type == SEG_STR) {
			it->seen_str = true;
			return t;
		}
		it->p = after;
		it->zeros = k - 1;
		return s;
	}
	if (s.type == SEG_STR)
		it->seen_str = true;
	return s;
}

static int gem_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	static const seg zero = {SEG_NUM, "0", 1};
	seg_iter ia, ib;
	const char *pa, *pb;
	size_t na, nb;
	int rc, c = 0;

	if ((rc = parse(a, &pa, &na, err)) < 0 || (rc = parse(b, &pb, &nb, err)) < 0)
		return rc;
	ia = (seg_iter){pa, pa + na, false, 0};
	ib = (seg_iter){pb, pb + nb, false, 0};
	for (;;) {
		seg x = seg_next(&ia), y = seg_next(&ib);

		if (x.type == SEG_END && y.type == SEG_END)
			break;
		if (x.type == SEG_END)
			x = zero;
		if (y.type == SEG_END)
			y = zero;
		if (x.type != y.type) {
			c = x.type == SEG_STR ? -1 : 1; /* a string is older than a number */
			break;
		}
		if (x.type == SEG_NUM && x.n != y.n) {
			c = x.n < y.n ? -1 : 1; /* leading zeros are gone: longer is larger */
			break;
		}
		if ((c = cs_vutil_cmp_bytes(x.p, x.n, y.p, y.n)) != 0)
			break;
	}
	*out = c;
	return 0;
}

const cs_version_scheme cs_version_gem = {"gem", gem_cmp};
