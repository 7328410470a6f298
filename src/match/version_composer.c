/*
 * version_composer.c - PHP package version ordering ("composer"), as
 * Composer does it: composer/semver's VersionParser::normalize(), then
 * Constraint::versionCompare() on the normalized strings, which is PHP's
 * version_compare() except for branches.
 *
 * normalize() turns "v1.2", "1.2.0-RC1", "1.2.0.0-beta.2+build", "1.2 as
 * 1.3", "1.2@dev", "2023-01-31" and "1.x-dev" into "1.2.0.0",
 * "1.2.0.0-RC1", "1.2.0.0-beta2", "1.2.0.0", "1.2.0.0", "2023.01.31" and
 * "1.9999999.9999999.9999999-dev", and "dev-main", "master", "trunk",
 * "default" into branch names; anything else is refused (CS_EFORMAT).
 * version_compare() then splits at '.', '-' and digit/letter changes and
 * compares piece by piece: numbers by value, and words by rank: any other
 * word < dev < alpha = a < beta = b < RC = rc < a number < pl = p (so
 * "patch"), a word ranked by its prefix; when one side runs out, a number
 * left over makes it newer, a word is ranked against a number.
 * Branches are not ordered: a branch equals only the same branch, and
 * comparing it with anything else is CS_EFORMAT ("not comparable"), as
 * Composer never matches a dev-* branch against a version range
 * (versionCompare with $compareBranches = false: '<', '>' and '==' all
 * false). Comparator::compare() would instead order branches with
 * version_compare(); that is deliberately not followed.
 *
 * The reference is Debian 12's php-composer-semver 3.3.2 (VersionParser:
 * normalize, normalizeBranch, expandStability, $modifierRegex; Constraint:
 * versionCompare) on Debian's PHP 8.2 (ext/standard/versioning.c:
 * php_canonicalize_version, compare_special_version_forms,
 * php_version_compare). Corners followed on purpose:
 *  - PHP's trim() set (" \t\n\r\v\0"), and PCRE's "$", which also matches
 *    before a final newline: "1.0\n@dev" is 1.0.0.0;
 *  - "1.", "1-", "1_" are 1.0.0.0 (the modifier's lone separator);
 *  - "-stable" spelt in lower case drops everything after it, including
 *    "-dev" ("1.0-stable-dev" == 1.0.0.0); in any other case it stays a
 *    word that sorts before dev ("1.0-STABLE" < "1.0-dev");
 *  - numbers compare as C longs through strtol(), which saturates: every
 *    number above 9223372036854775807 equals it.
 *
 * Nothing is allocated and work is linear in the input: the normalized
 * version is described by spans of the input, read piece by piece.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

/* compare_special_version_forms() ranks; RANK_NUMBER is "#N#". */
enum { RANK_OTHER = -1, RANK_DEV = 0, RANK_ALPHA = 1, RANK_BETA = 2, RANK_RC = 3, RANK_NUMBER = 4, RANK_PATCH = 5 };

enum { FORM_CLASSIC, FORM_DATE, FORM_BRANCH_NUM };

typedef struct span {
	const char *p; /* borrowed, not terminated */
	size_t n;
} span;

typedef struct composer {
	bool branch;  /* "dev-" + name */
	span name;    /* the branch name */
	int form;     /* FORM_*: how nums splits into numbers */
	span nums;    /* "1.2", "2023-01:31", "1.x" ... */
	int word;     /* rank of the stability word, or -2 for none */
	span suffix;  /* digits with [.-] between, after the word */
	bool dev;     /* "-dev" */
} composer;

static bool is_pcre_space(char c) /* PCRE's \s without UCP */
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool is_trim(char c) /* PHP trim()'s default set, less NUL (a C string has none inside) */
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

/* Whether lit (lower-case) is at s (n bytes available), ignoring ASCII case. */
static bool has_word(const char *s, size_t n, const char *lit)
{
	size_t i, len = strlen(lit);

	if (len > n)
		return false;
	for (i = 0; i < len; i++)
		if (cs_vutil_lower(s[i]) != lit[i])
			return false;
	return true;
}

/* Where PCRE's "$" matches last: before a final newline, else at the end. */
static size_t dollar(const char *s, size_t n)
{
	return n > 0 && s[n - 1] == '\n' ? n - 1 : n;
}

typedef struct modifier {
	int word; /* rank, or -2 */
	bool stable_exact; /* the word is "stable" spelt in lower case */
	span suffix;
	bool dev;
} modifier;

/*
 * Matches $modifierRegex,
 *   [._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?([.-]?dev)?
 * against all of s[i, end), case-insensitively. The regex has one way to
 * succeed: a separator is best taken by [._-]? (the dev part could take a
 * '.' or '-' only where "dev" follows, which [._-]? allows as well), the
 * longest word is the only one that can be followed by the rest (what
 * follows "b" in "beta" can start nothing), and the suffix is possessive.
 */
static bool match_modifier(const char *s, size_t i, size_t end, modifier *m)
{
	static const struct {
		const char *lit;
		int rank;
	} words[] = {{"stable", RANK_OTHER}, {"beta", RANK_BETA}, {"alpha", RANK_ALPHA}, {"patch", RANK_PATCH},
		     {"rc", RANK_RC},        {"pl", RANK_PATCH},  {"b", RANK_BETA},       {"a", RANK_ALPHA},
		     {"p", RANK_PATCH}};
	size_t w, len;

	memset(m, 0, sizeof(*m));
	m->word = -2;
	if (i < end && (s[i] == '.' || s[i] == '_' || s[i] == '-'))
		i++;
	for (w = 0; w < CS_ARRAY_LEN(words); w++) {
		if (!has_word(s + i, end - i, words[w].lit))
			continue;
		len = strlen(words[w].lit);
		m->word = words[w].rank;
		m->stable_exact = w == 0 && memcmp(s + i, "stable", 6) == 0;
		i += len;
		m->suffix.p = s + i;
		for (;;) {
			if (i < end && cs_vutil_is_digit(s[i]))
				i++;
			else if (i + 1 < end && (s[i] == '.' || s[i] == '-') && cs_vutil_is_digit(s[i + 1]))
				i += 2;
			else
				break;
			while (i < end && cs_vutil_is_digit(s[i]))
				i++;
		}
		m->suffix.n = (size_t)(s + i - m->suffix.p);
		if (m->suffix.n > 0 && !cs_vutil_is_digit(*m->suffix.p)) /* ltrim($suffix, '.-') */
			m->suffix.p++, m->suffix.n--;
		break;
	}
	if (i + 4 <= end && (s[i] == '.' || s[i] == '-') && has_word(s + i + 1, end - i - 1, "dev"))
		i += 4, m->dev = true;
	else if (has_word(s + i, end - i, "dev"))
		i += 3, m->dev = true;
	return i == end;
}

static size_t skip_v(const char *s, size_t n)
{
	return n > 0 && cs_vutil_lower(s[0]) == 'v' ? 1 : 0;
}

/* ^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)? + modifier + $ */
static bool match_classic(const char *s, size_t n, composer *v, modifier *m)
{
	size_t i = skip_v(s, n), start = i, end = dollar(s, n), parts;

	while (i < end && cs_vutil_is_digit(s[i]))
		i++;
	if (i == start || i - start > 5)
		return false;
	for (parts = 1; parts < 4 && i + 1 < end && s[i] == '.' && cs_vutil_is_digit(s[i + 1]); parts++)
		for (i++; i < end && cs_vutil_is_digit(s[i]); i++)
			;
	if (!match_modifier(s, i, end, m))
		return false;
	v->form = FORM_CLASSIC;
	v->nums.p = s + start;
	v->nums.n = i - start;
	return true;
}

static bool is_date_sep(char c)
{
	return c == '.' || c == ':' || c == '-';
}

/* Whether s[i, end) is all of ([.:-]?\d{1,3})? */
static bool date_tail(const char *s, size_t i, size_t end)
{
	if (i == end)
		return true;
	if (is_date_sep(s[i]))
		i++;
	return end > i && end - i <= 3 && end - i >= 1 && cs_vutil_is_digit(s[i]) &&
	       (end - i < 2 || cs_vutil_is_digit(s[i + 1])) && (end - i < 3 || cs_vutil_is_digit(s[i + 2]));
}

/* Whether s[i, end) is all of (?:[.:-]?\d{2}){need..6-done}(?:[.:-]?\d{1,3})? */
static bool date_pairs(const char *s, size_t i, size_t end, int done)
{
	size_t j;
	int sep;

	if (done >= 1 && date_tail(s, i, end))
		return true;
	if (done == 6)
		return false;
	for (sep = 1; sep >= 0; sep--) {
		j = i;
		if (sep) {
			if (j >= end || !is_date_sep(s[j]))
				continue;
			j++;
		}
		if (j + 2 <= end && cs_vutil_is_digit(s[j]) && cs_vutil_is_digit(s[j + 1]) && date_pairs(s, j + 2, end, done + 1))
			return true;
	}
	return false;
}

/* ^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?) + modifier + $ */
static bool match_date(const char *s, size_t n, composer *v, modifier *m)
{
	size_t start = skip_v(s, n), end = dollar(s, n), g;

	if (end < start + 6 || !cs_vutil_is_digit(s[start]) || !cs_vutil_is_digit(s[start + 1]) || !cs_vutil_is_digit(s[start + 2]) ||
	    !cs_vutil_is_digit(s[start + 3]))
		return false;
	/* the date is 6 to 26 characters; at most one end lets the modifier match */
	for (g = start + 6; g <= end && g <= start + 26; g++) {
		if (!date_pairs(s, start + 4, g, 0))
			continue;
		if (!match_modifier(s, g, end, m))
			continue;
		v->form = FORM_DATE;
		v->nums.p = s + start;
		v->nums.n = g - start;
		return true;
	}
	return false;
}

/*
 * normalizeBranch() for a numeric branch:
 * ^v?(\d++)(\.(?:\d++|[xX*]))?(\.(?:\d++|[xX*]))?(\.(?:\d++|[xX*]))?$
 */
static bool match_branch_num(const char *s, size_t n, composer *v)
{
	size_t i, start, parts;

	while (n > 0 && is_trim(*s))
		s++, n--;
	while (n > 0 && is_trim(s[n - 1]))
		n--;
	i = start = skip_v(s, n);
	while (i < n && cs_vutil_is_digit(s[i]))
		i++;
	if (i == start)
		return false;
	for (parts = 1; parts < 4 && i + 1 < n && s[i] == '.'; parts++) {
		if (cs_vutil_is_digit(s[i + 1])) {
			for (i++; i < n && cs_vutil_is_digit(s[i]); i++)
				;
		} else if (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == '*') {
			i += 2;
		} else {
			break;
		}
	}
	if (i != n)
		return false;
	v->form = FORM_BRANCH_NUM;
	v->nums.p = s + start;
	v->nums.n = n - start;
	v->dev = true;
	return true;
}

/* (.*?)[.-]?dev$ then normalizeBranch() of the capture, kept only when numeric. */
static bool match_dev_branch(const char *s, size_t n, composer *v)
{
	size_t end = dollar(s, n), k, st;

	if (end < 3 || !has_word(s + end - 3, 3, "dev"))
		return false;
	k = end >= 4 && (s[end - 4] == '.' || s[end - 4] == '-') ? end - 4 : end - 3;
	for (st = k; st > 0 && s[st - 1] != '\n'; st--)
		; /* '.' stops at a newline: the match starts after the last one */
	return match_branch_num(s + st, k - st, v);
}

static int parse(const char *str, composer *v, cs_err *err)
{
	static const char *const stab[] = {"stable", "rc", "beta", "alpha", "dev"};
	const char *s = str;
	size_t n = strlen(str), i, j, k;
	modifier m;
	char q[80];

	memset(v, 0, sizeof(*v));
	v->word = -2;
	while (n > 0 && is_trim(*s))
		s++, n--;
	while (n > 0 && is_trim(s[n - 1]))
		n--;

	/* "X as Y" (aliasing): keep X */
	for (i = 0; i < n && s[i] != ',' && !is_pcre_space(s[i]); i++)
		;
	if (i > 0 && i < n && s[i] == ' ') {
		for (j = i; j < n && s[j] == ' '; j++)
			;
		if (j + 2 < n && s[j] == 'a' && s[j + 1] == 's' && s[j + 2] == ' ') {
			for (j += 2; j < n && s[j] == ' '; j++)
				;
			for (k = j; k < n && s[k] != ',' && !is_pcre_space(s[k]); k++)
				;
			if (k > j && k == n)
				n = i;
		}
	}

	/* "@stability" flag */
	for (i = 0; i < CS_ARRAY_LEN(stab); i++) {
		size_t len = strlen(stab[i]);

		if (n > len && s[n - len - 1] == '@' && has_word(s + n - len, len, stab[i])) {
			n -= len + 1;
			break;
		}
	}

	if ((n == 6 && !memcmp(s, "master", 6)) || (n == 5 && !memcmp(s, "trunk", 5)) ||
	    (n == 7 && !memcmp(s, "default", 7))) {
		v->branch = true;
		v->name = (span){s, n};
		return 0;
	}
	if (has_word(s, n, "dev-")) {
		v->branch = true;
		v->name = (span){s + 4, n - 4};
		return 0;
	}

	/* "+build" metadata: ^([^,\s+]++)\+[^\s]++$ */
	for (i = 0; i < n && s[i] != ',' && s[i] != '+' && !is_pcre_space(s[i]); i++)
		;
	if (i > 0 && i < n && s[i] == '+') {
		size_t end = dollar(s, n);

		for (j = i + 1; j < end && !is_pcre_space(s[j]); j++)
			;
		if (j > i + 1 && j == end)
			n = i;
	}

	if (match_classic(s, n, v, &m) || match_date(s, n, v, &m)) {
		if (m.word != -2 && m.stable_exact)
			return 0; /* "-stable" returns the bare version */
		v->word = m.word;
		v->suffix = m.suffix;
		v->dev = m.dev;
		return 0;
	}
	if (match_dev_branch(s, n, v))
		return 0;
	return cs_err_set(err, CS_EFORMAT, "invalid composer version '%s': not a version or dev-* branch",
			  cs_vutil_quote(str, q, sizeof(q)));
}

/* One piece of the version_compare() split of a normalized version. */
typedef struct piece {
	bool num;
	int rank;  /* a word's rank */
	span d;    /* a number's digits */
} piece;

typedef struct piece_iter {
	const composer *v;
	int stage;     /* 0 numbers, 1 word, 2 suffix numbers, 3 dev, 4 end */
	const char *p; /* within nums or suffix */
	int parts;     /* numbers given out in stage 0 */
} piece_iter;

static bool next_piece(piece_iter *it, piece *out)
{
	static const char nines[] = "9999999";
	const composer *v = it->v;
	const char *end;

	switch (it->stage) {
	case 0:
		end = v->nums.p + v->nums.n;
		if (it->p < end) {
			if (!cs_vutil_is_digit(*it->p))
				it->p++; /* the separator */
			out->num = true;
			out->d.p = it->p;
			if (v->form == FORM_BRANCH_NUM && !cs_vutil_is_digit(*it->p)) {
				it->p++; /* x, X or * */
				out->d = (span){nines, 7};
			} else {
				while (it->p < end && cs_vutil_is_digit(*it->p))
					it->p++;
				out->d.n = (size_t)(it->p - out->d.p);
			}
			it->parts++;
			return true;
		}
		if (v->form != FORM_DATE && it->parts < 4) { /* normalize() pads to four numbers */
			it->parts++;
			out->num = true;
			out->d = v->form == FORM_CLASSIC ? (span){"0", 1} : (span){nines, 7};
			return true;
		}
		it->stage = 1;
		/* fall through */
	case 1:
		it->stage = 2;
		it->p = v->suffix.p;
		if (v->word != -2) {
			out->num = false;
			out->rank = v->word;
			return true;
		}
		/* fall through */
	case 2:
		/* No suffix: suffix.p may be NULL, and NULL + 0 is undefined in C. */
		end = v->suffix.n > 0 ? v->suffix.p + v->suffix.n : NULL;
		if (v->suffix.n > 0 && it->p < end) {
			if (!cs_vutil_is_digit(*it->p))
				it->p++;
			out->num = true;
			out->d.p = it->p;
			while (it->p < end && cs_vutil_is_digit(*it->p))
				it->p++;
			out->d.n = (size_t)(it->p - out->d.p);
			return true;
		}
		it->stage = 3;
		/* fall through */
	case 3:
		it->stage = 4;
		if (v->dev) {
			out->num = false;
			out->rank = RANK_DEV;
			return true;
		}
		/* fall through */
	default:
		return false;
	}
}

/* strtol() of a digit run, saturated at LONG_MAX, compared: -1, 0, 1. */
static int cmp_long(span a, span b)
{
	static const char max[] = "9223372036854775807";
	int c;

	while (a.n > 0 && *a.p == '0')
		a.p++, a.n--;
	while (b.n > 0 && *b.p == '0')
		b.p++, b.n--;
	if (a.n > 19 || (a.n == 19 && memcmp(a.p, max, 19) > 0))
		a = (span){max, 19};
	if (b.n > 19 || (b.n == 19 && memcmp(b.p, max, 19) > 0))
		b = (span){max, 19};
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	c = a.n ? memcmp(a.p, b.p, a.n) : 0;
	return (c > 0) - (c < 0);
}

static int cmp_rank(int a, int b)
{
	return (a > b) - (a < b);
}

/* php_version_compare() of two normalized numeric versions. */
static int version_compare(const composer *a, const composer *b)
{
	piece_iter ia = {a, 0, a->nums.p, 0}, ib = {b, 0, b->nums.p, 0};
	piece x, y;
	bool hx, hy;
	int c;

	for (;;) {
		hx = next_piece(&ia, &x);
		hy = next_piece(&ib, &y);
		if (!hx || !hy)
			break;
		if (x.num && y.num)
			c = cmp_long(x.d, y.d);
		else
			c = cmp_rank(x.num ? RANK_NUMBER : x.rank, y.num ? RANK_NUMBER : y.rank);
		if (c != 0)
			return c;
	}
	if (hx) /* a has more: a number makes it newer, a word is ranked against "#N#" */
		return x.num ? 1 : cmp_rank(x.rank, RANK_NUMBER);
	if (hy)
		return y.num ? -1 : cmp_rank(RANK_NUMBER, y.rank);
	return 0;
}

static int composer_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	composer va, vb;
	char qa[80], qb[80];
	int rc;

	if ((rc = parse(a, &va, err)) < 0 || (rc = parse(b, &vb, err)) < 0)
		return rc;
	if (va.branch || vb.branch) {
		if (va.branch && vb.branch && va.name.n == vb.name.n && !memcmp(va.name.p, vb.name.p, va.name.n)) {
			*out = 0;
			return 0;
		}
		return cs_err_set(err, CS_EFORMAT, "composer versions '%s' and '%s' are not comparable: %s",
				  cs_vutil_quote(a, qa, sizeof(qa)), cs_vutil_quote(b, qb, sizeof(qb)),
				  "a dev-* branch is only equal to itself");
	}
	*out = version_compare(&va, &vb);
	return 0;
}

const cs_version_scheme cs_version_composer = {"composer", composer_cmp};
