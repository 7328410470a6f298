/*
 * test_version_lang.c - the language-ecosystem version orderings: pep440
 * (PyPI), maven, gem (RubyGems) and composer (Packagist).
 *
 * Each scheme is checked twice:
 *  - a table of hand-picked edge cases, each answer checked once against
 *    the reference implementation when it was written down;
 *  - NPAIRS pairs from a fixed-seed generator aimed at the scheme's hard
 *    parts (spellings that normalize alike, separators, pre-release words,
 *    zeros and leading zeros, numbers past 32 and 64 bits, text beside
 *    digits, malformed strings), plus the table again, put through the
 *    reference once (`tests/oracle/version.sh SCHEME < pairs`, see
 *    tests/oracle/version/); every answer of customs must be the
 *    reference's, E (refused) being CS_EFORMAT. A reference that cannot
 *    run fails the test: CI installs them (scripts/deps.sh test).
 * And the comparators must take hostile input (a megabyte of digits, of
 * separators, of nesting) in linear time without crashing.
 *
 * Run one test by name: build/tests/test_version_lang maven_reference; the
 * harness, and the variables that keep or vary the pairs, are in vtest.h.
 */
#include "core/compat.h"
#include "match/version.h"

#include "unit/vtest.h"

extern const cs_version_scheme cs_version_pep440, cs_version_maven, cs_version_gem, cs_version_composer;

#define NPAIRS 12000

/* --- edge cases, each checked against the reference ---------------------- */

static const vcase pep440_cases[] = {
	/* release: zero padding, leading zeros, big numbers */
	{"1.0", "1", 0},
	{"1.0.0.0", "1", 0},
	{"1.01", "1.1", 0},
	{"1.0.1", "1.0", 1},
	{"1.9", "1.10", -1},
	{"18446744073709551616", "18446744073709551615", 1},
	{"1.00000000000000000000000000001", "1.1", 0},
	/* epochs */
	{"1!1.0", "2.0", 1},
	{"0!1.0", "1.0", 0},
	{"01!1.0", "1!1.0", 0},
	{"1!0", "99999", 1},
	{"!1.0", "1.0", E},
	/* pre-releases: spellings, order, implicit 0 */
	{"1.0a1", "1.0", -1},
	{"1.0a1", "1.0b1", -1},
	{"1.0b2", "1.0rc1", -1},
	{"1.0alpha1", "1.0a1", 0},
	{"1.0ALPHA1", "1.0a1", 0},
	{"1.0-alpha.1", "1.0a1", 0},
	{"1.0_beta_2", "1.0b2", 0},
	{"1.0c1", "1.0rc1", 0},
	{"1.0pre1", "1.0rc1", 0},
	{"1.0preview1", "1.0rc1", 0},
	{"1.0a", "1.0a0", 0},
	{"1.0a.", "1.0a0", 0},
	{"1.0a-", "1.0a0", 0},
	{"1.0rc", "1.0c", 0},
	{"1.0a-1", "1.0a1", 0},
	{"1.0a--1", "1.0a0.post1", 0},
	{"1.0a.-1", "1.0a0.post1", 0},
	{"1.0a--", "1.0", E},
	{"1.0aa", "1.0", E},
	/* post-releases */
	{"1.0.post1", "1.0", 1},
	{"1.0-1", "1.0.post1", 0},
	{"1.0-0", "1.0", 1},
	{"1.0post", "1.0.post0", 0},
	{"1.0r", "1.0.post0", 0},
	{"1.0rev2", "1.0.post2", 0},
	{"1.0.post-1", "1.0.post1", 0},
	{"1.0.post.", "1.0.post0", 0},
	{"1.0.post1", "1.0.1", -1},
	{"1.0a1.post1", "1.0a2", -1},
	{"1.0-", "1.0", E},
	/* dev releases */
	{"1.0.dev1", "1.0a1", -1},
	{"1.0.dev1", "1.0", -1},
	{"1.0a1.dev1", "1.0a1", -1},
	{"1.0a1.dev1", "1.0.dev1", 1},
	{"1.0.post1.dev1", "1.0.post1", -1},
	{"1.0.post1.dev1", "1.0", 1},
	{"1.0.dev", "1.0.dev0", 0},
	{"1.0-dev1", "1.0.dev1", 0},
	{"1.0dev", "1.0.dev0", 0},
	/* local versions */
	{"1.0+abc", "1.0", 1},
	{"1.0+abc", "1.0+1", -1},
	{"1.0+1.a", "1.0+1", 1},
	{"1.0+a_b-c", "1.0+a.b.c", 0},
	{"1.0+ABC", "1.0+abc", 0},
	{"1.0+00", "1.0+0", 0},
	{"1.0+0a", "1.0+0", -1},
	{"1.0+2", "1.0+10", -1},
	{"1.0+abc", "1.0+abd", -1},
	{"1.0+a", "1.0+a.0", -1},
	{"1.0a1+x", "1.0a1", 1},
	{"1.0+", "1.0", E},
	{"1.0+a..b", "1.0", E},
	{"1.0+a+b", "1.0", E},
	/* whitespace, "v", case */
	{" 1.0 ", "1.0", 0},
	{"\t1.0\n", "1.0", 0},
	{"v1.0", "1.0", 0},
	{"V1.0", "1.0", 0},
	{"vv1.0", "1.0", E},
	{"1.0.DEV1", "1.0.dev1", 0},
	{"\xc2\xa0" "1.0\xe3\x80\x80", "1.0", 0},       /* U+00A0, U+3000 */
	{"\x1c" "1.0\x1f", "1.0", 0},                    /* Python's \s has \x1c-\x1f */
	/* Python's IGNORECASE corners: the marker keeps the odd spelling */
	{"1.0po\xc5\xbft1", "1.0post1", 1},              /* U+017F long s */
	{"1.0po\xc5\xbft1", "1.0.post2", 1},
	{"1.0prev\xc4\xb0" "ew1", "1.0b1", 1},           /* U+0130 */
	{"1.0prev\xc4\xb0" "ew1", "1.0prev\xc4\xb1" "ew1", -1}, /* U+0131 */
	{"1.0prev\xc4\xb1" "ew1", "1.0rc1", -1},
	{"1.0+\xc4\xb0", "1.0+i", 1},
	{"1.0+\xe2\x84\xaa", "1.0+k", 0},                /* U+212A Kelvin sign */
	{"1.0+\xc5\xbf", "1.0+s", 1},
	/* malformed */
	{"", "1.0", E},
	{"1.0..1", "1", E},
	{"1.", "1", E},
	{".1", "1", E},
	{"1.0.x", "1.0", E},
	{"1.0 a1", "1.0a1", E},
	{"1.0\xc3\xa9", "1.0", E},
	{"1.0\xff", "1.0", E},
	{"1.0-beta-2-3", "1.0", -1},  /* pre b2, then "-3" is .post3 */
	{"foo", "1.0", E},
};

static const vcase maven_cases[] = {
	/* numbers, padding and trailing zeros */
	{"1", "1.0", 0},
	{"1.0.0", "1", 0},
	{"1-0", "1", 0},
	{"1.0-0.0", "1", 0},
	{"1.01", "1.1", 0},
	{"1.9", "1.10", -1},
	{"1..1", "1.0.1", 0},
	{".1", "0.1", 0},
	{"", "0", 0},
	{"1.0.0", "", 1},
	/* Java int / long / BigInteger: the kind decides first */
	{"999999999", "1000000000", -1},
	{"999999999999999999", "1000000000000000000", -1},
	{"1.0000000000.1", "1.0.1", 1},
	{"1.0000000000", "1", 0},
	{"000000000000000000000", "0", 0},
	{"1.0000000000000000000.1", "1.0000000000.1", 1},
	{"12345678901234567890", "12345678901234567891", -1},
	/* qualifiers and their order */
	{"1-alpha", "1-beta", -1},
	{"1-beta", "1-milestone", -1},
	{"1-milestone", "1-rc", -1},
	{"1-rc", "1-snapshot", -1},
	{"1-snapshot", "1", -1},
	{"1", "1-sp", -1},
	{"1-sp", "1-abc", -1},
	{"1-abc", "1-abd", -1},
	{"1-ga", "1", 0},
	{"1-final", "1-release", 0},
	{"2.0.0.RELEASE", "2.0.0", 0},
	{"1-cr1", "1-rc1", 0},
	{"1-rc1", "1-RC1", 0},
	{"1.0-SNAPSHOT", "1.0", -1},
	{"1.0-abc", "1.0-sp", 1},
	{"1a1", "1-alpha-1", 0},
	{"1b2", "1-beta-2", 0},
	{"1m3", "1-milestone-3", 0},
	{"1a", "1", 1},       /* "a" not followed by a digit is an unknown word */
	{"1-a", "1-alpha", 1},
	{"a", "b", -1},
	{"ab", "a-b", 1},
	{"1.x", "1.y", -1},
	/* '.' against '-' and digit/letter changes */
	{"1.a", "1-a", 0},
	{"1.a.2", "1-a-2", -1},
	{"1.0.0.X1", "1.0.0-X2", -1},
	{"1.0.1-a", "1.0.1.a", 0},
	{"1-1", "1.1", -1},
	{"1.1", "1-sp", 1},
	{"1-0.1", "1", 1},
	{"1-.1", "1--1", 1},
	{"1.2.3-beta-1", "1.2.3-beta.1", -1},
	{"1-1.foo-bar1baz-.1", "1-1.foo-bar-1-baz-0.1", 0},
	/* normalize(): trailing nulls go, also before a nested list */
	{"1.0-1", "1-1", 0},
	{"1-x-0", "1-x", 0},
	{"1.0-0.a", "1.0-a", 1},
	{"1-1-1-1", "1-1-1", 1},
	{"1-1-0-1", "1-1-1", -1},
	{"1.ga.1", "1.1", -1},
	{"1.0.ga-1", "1-1", 0},
	{"1-ga-0-final", "1", 0},
	{"1.0.0-ga.0.1", "1.0.0-0.0.1", -1}, /* "" (ga) is a qualifier: older than 0 */
	/* case and bytes */
	{"1.0-ALPHA", "1.0-alpha", 0},
	{"1.0-Foo", "1.0-fOO", 0},
	{"1.0-\xc3\xa9", "1.0-z", 1}, /* é sorts after ASCII, in UTF-8 as in UTF-16 */
	{"1.0-\xc3\xa9", "1.0-\xc3\xa8", 1},
	{"1.0 ", "1.0", 1},
	{"-", "", 0},
	{"...", "", 0},
	{"1.2.3", "1.2.3.4", -1},
};

static const vcase gem_cases[] = {
	{"1.0", "1", 0},
	{"1.0.0", "1", 0},
	{"1.2.0.0", "1.2", 0},
	{"00001", "1", 0},
	{"1.01", "1.1", 0},
	{"1.9", "1.10", -1},
	{"18446744073709551616", "18446744073709551615", 1},
	/* pre-releases: any letter; a string is older than a number */
	{"1.a", "1", -1},
	{"1.0.a", "1.a", 0},
	{"1.a.0", "1.a", 0},
	{"1.a.0.1", "1.a.1", -1},
	{"1.0.a1", "1.0.a.1", 0},
	{"1.0a", "1.0.a", 0},
	{"1.0.a", "1.0.b", -1},
	{"1.b", "1.a", 1},
	{"1.A", "1.a", -1},       /* bytes: 'A' < 'a' */
	{"1.0.rc1", "1.0", -1},
	{"1.0.rc1", "1.0.0.1", -1},
	{"1.a", "0.9", 1},
	/* '-' is ".pre." */
	{"1-a", "1.pre.a", 0},
	{"1.0-1", "1.0", -1},
	{"1.0-rc1", "1.0.rc1", -1},
	{"1.0-rc1", "1.0.pre.rc1", 0},
	{"1--", "1", -1},
	{"1--", "1.pre.pre", 0},
	{"1-a.b-c", "1", -1},
	{"1-0", "1.pre", 0},
	/* blanks and the empty version */
	{"", "0", 0},
	{" ", "0", 0},
	{"", "0.a", 1},
	{" 1.0 ", "1", 0},
	{"\t1.0\n", "1", 0},
	{"1.0\v", "1", 0},
	/* malformed */
	{"1a", "1", E},
	{"a", "1", E},
	{"1-", "1", E},
	{"1.0-", "1", E},
	{"1..0", "1", E},
	{".1", "1", E},
	{"1.0.", "1", E},
	{"1,0", "1", E},
	{"1-a..b", "1", E},
	{"1.0 1", "1", E},
	{"1_0", "1", E},
	{"1.\xc3\xa9", "1", E},
	{"1.0\x1c", "1", E},
};

static const vcase composer_cases[] = {
	/* normalize(): forms that mean the same version */
	{"1.0", "1.0.0.0", 0},
	{"v1.0", "1.0.0", 0},
	{"V1.0", "1", 0},
	{"1.", "1", 0},
	{"1-", "1", 0},
	{"1_", "1", 0},
	{" 1.0 ", "1.0", 0},
	{"1.0 as 2.0", "1.0", 0},
	{"1.0@beta", "1.0", 0},
	{"1.0@BETA", "1.0", 0},
	{"1.0+build.5", "1.0", 0},
	{"00001.0", "1.0", 0},
	{"1.0.0-stable", "1.0", 0},
	{"1.0.0-stable1", "1.0", 0},
	{"1.0.0-stable-dev", "1.0", 0},      /* lower-case "stable" drops the rest */
	{"1.0.0RC1", "1.0.0-rc.1", 0},
	{"1.0.0-b-1-2-dev", "1.0.0-beta1.2-dev", 0},
	{"1.0.0-pl", "1.0.0-patch", 0},
	{"1.0.0-P2", "1.0.0-patch2", 0},
	{"1.0.0.0.dev", "1.0-dev", 0},
	{"1dev", "1.0.0.0-dev", 0},
	{"1.0.0-a1.2", "1.0.0-alpha1-2", 0},
	/* stability order: dev < alpha < beta < RC < stable < patch */
	{"1.0.0-dev", "1.0.0-alpha", -1},
	{"1.0.0-alpha", "1.0.0-beta", -1},
	{"1.0.0-beta", "1.0.0-RC", -1},
	{"1.0.0-RC", "1.0.0", -1},
	{"1.0.0", "1.0.0-patch", -1},
	{"1.0.0-alpha2", "1.0.0-alpha10", -1},
	{"1.0.0-alpha1", "1.0.0-alpha", 1},
	{"1.0.0-alpha-dev", "1.0.0-alpha", -1},
	{"1.0.0-beta1-dev", "1.0.0-beta1", -1},
	{"1.0.0-beta1-dev", "1.0.0-beta0", 1},
	{"1.0.0-alpha01", "1.0.0-alpha1", 0},
	{"1.0.0-STABLE", "1.0.0-dev", -1},   /* any other case: a word below dev */
	{"1.0.0-Stable.5-dev", "1.0.0-STABLE5-DEV", 0},
	{"1.0.1-dev", "1.0.0", 1},
	/* numbers: four parts, dates, strtol() saturation */
	{"1.2.3.4", "1.2.3.5", -1},
	{"1.2.3.4.5", "1", E},
	{"12345", "12345.0.0.0", 0},
	{"123456", "123456.0", -1},        /* dates: "123456" < "123456.0" */
	{"2023-01-01", "2023.01.01", -1},  /* a date, then 2023.01.01.0 */
	{"2023-01-01", "2023:01:01", 0},
	{"2023:01:01-dev", "2023.01.01", -1},
	{"20230101", "2023.01.01", 1},
	{"100000.1", "99999.1", 1},
	{"2023.01.01.12.34.56.789", "2023.01.01.12.34.56.788", 1},
	{"1.99999999999999999999", "1.9223372036854775807", 0},
	{"1.9223372036854775808", "1.9223372036854775807", 0},
	{"1.9223372036854775806", "1.9223372036854775807", -1},
	/* numeric branches */
	{"1.x-dev", "1.9999999.9999999.9999999-dev", 0},
	{"v1.2.*-dev", "1.2.x-dev", 0},
	{"1.X.x-dev", "1.x-dev", 0},
	{"1.x -dev", "1.x-dev", 0},
	{"1.x-dev", "2.0", -1},
	{"1.x-dev", "1.99999999", -1},
	/* dev-* branches: equal to themselves only */
	{"dev-master", "master", 0},
	{"dev-Master", "DEV-Master", 0},
	{"dev-feature", "dev-feature", 0},
	{"dev-foo@dev", "dev-foo", 0},
	{"dev-a", "dev-b", E},
	{"dev-master", "1.0", E},
	{"1.0", "dev-master", E},
	{"dev-", "dev-", 0},
	/* malformed */
	{"", "1.0", E},
	{"Master", "1.0", E},
	{"feature-dev", "1.0", E},
	{"1.0.0-rc_1", "1.0", E},
	{"1.2.3.4.5-dev", "1", E},
	{"1.0+", "1.0", E},
	{"+1", "1.0", E},
	{"1.0+a b", "1.0", E},
	{"1.0  as  2.0 as 3", "1.0", E},
	{"\f1.0", "1.0", E},
	{"1\xc2\xa0", "1", E},
	{"1.0.0.dev-dev", "1", E},
	{"1.0-beta.1.x", "1.0", E},
};

/*
 * Cases the line-based reference cannot carry (a newline inside), checked
 * once with php by hand: PCRE's "$" also matches before a final newline.
 */
static const vcase composer_newline_cases[] = {
	{"1.0\n@dev", "1.0", 0},
	{"1.0+foo\n@dev", "1.0", 0},
	{"foo\n1.x-dev", "1.x-dev", 0},
	{"1.0@dev\n", "1.0", 0},
	{"dev-foo\n@dev", "dev-foo", E},        /* the branch is "foo\n" */
	{"dev-foo\n@dev", "dev-foo\n", E},      /* trim() makes this one "foo" */
	{"dev-foo\n@dev", "dev-foo\n@DEV", 0},
	{"1.0\n1", "1.0", E},
	{"1.x\n-dev", "1.0", E},
	{"1.0\r\n@dev", "1.0", E},
	{"2023-01\n@dev", "2023.01", -1},
	{"1.0 as 2\n@dev", "1", E},
	{"1.x-dev\n@dev", "1.x-dev", 0},
	{"1.0\t", "1.0", 0},
	{"1\v", "1", 0},
	{"1.0\vas 2.0", "1.0", E},
};

/* --- generated pairs --------------------------------------------------------- */

/* Numbers that sit on the edges: zeros, leading zeros, 2^31, 2^63, 2^64, Java int/long lengths. */
static const char *const edge_numbers[] = {
	"0", "00", "000", "1", "01", "001", "2", "9", "10", "11", "99", "100", "2147483647", "2147483648",
	"999999999", "1000000000", "0000000000", "999999999999999999", "1000000000000000000",
	"9223372036854775807", "9223372036854775808", "18446744073709551616", "0000000000000000000000",
	"99999999999999999999999999999",
};

static void put_number(rng *r, sbuf *b)
{
	switch (below(r, 10)) {
	case 0:
	case 1:
		put(b, PICK(r, edge_numbers));
		break;
	case 2:
		digits(r, b, 1 + below(r, 25), true);
		break;
	default:
		digits(r, b, 1, true);
		break;
	}
}

/*
 * A generator writes one version into out, given the previous one (prev,
 * NULL for a fresh one) so that it can produce a near miss: the same
 * version spelt differently, or with one piece changed. ctx is the
 * generator's own memory between calls.
 */
typedef void (*gen_fn)(rng *r, sbuf *out, const char *prev, void *ctx);

/* One small edit of src (which may be out->s): for near misses and malformed strings. */
static void mutate(rng *r, sbuf *out, const char *src_in, const char *alphabet)
{
	char *src = strdup(src_in);
	size_t n, at, len = 0;
	char c = alphabet[below(r, (unsigned)strlen(alphabet))];

	if (!src)
		abort();
	n = strlen(src);
	at = n ? below(r, (unsigned)n + 1) : 0;
	while (at > 0 && at < n && ((unsigned char)src[at] & 0xc0) == 0x80)
		at--; /* edit whole UTF-8 characters: an invalid byte comes only from the alphabet */
	if (at < n)
		for (len = 1; ((unsigned char)src[at + len] & 0xc0) == 0x80; len++)
			;
	sbuf_clear(out);
	put_n(out, src, at);
	switch (below(r, 3)) {
	case 0: /* insert */
		putch(out, c);
		put(out, src + at);
		break;
	case 1: /* replace */
		putch(out, c);
		put(out, src + at + len);
		break;
	default: /* delete */
		put(out, src + at + len);
		break;
	}
	free(src);
}

/*
 * A near miss of prev into out: one of the scheme's edits (from, to),
 * where from is "" appending to, or a mutate() with alphabet when prev has
 * no from.
 */
static void edit(rng *r, sbuf *out, const char *prev, const char *const (*edits)[2], size_t n, const char *alphabet)
{
	unsigned i = below(r, (unsigned)n);
	const char *from = edits[i][0], *to = edits[i][1], *at;

	sbuf_clear(out);
	if (!*from) {
		put(out, prev);
		put(out, to);
	} else if ((at = strstr(prev, from)) != NULL) {
		put_n(out, prev, (size_t)(at - prev));
		put(out, to);
		put(out, at + strlen(from));
	} else {
		mutate(r, out, prev, alphabet);
	}
}

/* --- pep440 ---------------------------------------------------------------- */

static const char *const pep_seps[] = {"", ".", "-", "_"};
static const char *const pep_pre[] = {"a", "A", "alpha", "Alpha", "b", "beta", "BETA", "c", "rc", "RC", "pre",
				      "preview", "Preview", "prev\xc4\xb0" "ew", "prev\xc4\xb1" "ew"};
static const char *const pep_post[] = {"post", "POST", "post", "rev", "r", "R", "po\xc5\xbft"};
static const char *const pep_local[] = {"abc", "ABC", "1", "01", "0", "2", "10", "a1", "1a", "ubuntu",
					"deb12", "x", "\xc4\xb0", "\xc4\xb1", "\xc5\xbf", "\xe2\x84\xaa", "k", "s", "i", "z"};
static const char *const pep_space[] = {" ", "  ", "\t", "\xc2\xa0", "\xe3\x80\x80", "\x1c", "\xe2\x80\x89"};

/* One PEP 440 version from parts; same parts, other spellings when respell. */
typedef struct pep_parts {
	bool epoch, pre, post, dev, local, implicit_post;
	char epoch_n[40], rel[6][40], pre_n[40], post_n[40], dev_n[40], loc[4][8];
	int nrel, pre_w, post_w, nloc;
} pep_parts;

/* A number for a part into dst; empty (an implicit 0) now and then when may_omit. */
static void roll_num(rng *r, char *dst, size_t dstsz, bool may_omit)
{
	sbuf t;

	sbuf_clear(&t);
	if (!may_omit || !chance(r, 25))
		put_number(r, &t);
	snprintf(dst, dstsz, "%s", t.s);
}

static void pep_roll(rng *r, pep_parts *v)
{
	int i;

	memset(v, 0, sizeof(*v));
	v->epoch = chance(r, 12);
	roll_num(r, v->epoch_n, sizeof(v->epoch_n), false);
	v->nrel = 1 + (int)below(r, 5);
	for (i = 0; i < v->nrel; i++)
		roll_num(r, v->rel[i], sizeof(v->rel[i]), false);
	if (chance(r, 30))
		snprintf(v->rel[v->nrel - 1], sizeof(v->rel[0]), "0");
	v->pre = chance(r, 40);
	v->pre_w = (int)below(r, CS_ARRAY_LEN(pep_pre));
	roll_num(r, v->pre_n, sizeof(v->pre_n), true);
	v->post = chance(r, 30);
	v->implicit_post = chance(r, 30);
	v->post_w = (int)below(r, CS_ARRAY_LEN(pep_post));
	roll_num(r, v->post_n, sizeof(v->post_n), true);
	v->dev = chance(r, 30);
	roll_num(r, v->dev_n, sizeof(v->dev_n), true);
	v->local = chance(r, 25);
	v->nloc = 1 + (int)below(r, 4);
	for (i = 0; i < v->nloc; i++)
		snprintf(v->loc[i], sizeof(v->loc[0]), "%s", PICK(r, pep_local));
}

static void pep_render(rng *r, const pep_parts *v, sbuf *b)
{
	int i;

	sbuf_clear(b);
	if (chance(r, 5))
		put(b, PICK(r, pep_space));
	if (chance(r, 8))
		put(b, chance(r, 50) ? "v" : "V");
	if (v->epoch) {
		put(b, v->epoch_n);
		putch(b, '!');
	}
	for (i = 0; i < v->nrel; i++) {
		if (i)
			putch(b, '.');
		put(b, v->rel[i]);
	}
	if (v->pre) {
		put(b, PICK(r, pep_seps));
		put(b, pep_pre[v->pre_w]);
		put(b, PICK(r, pep_seps));
		put(b, v->pre_n);
	}
	if (v->post) {
		if (v->implicit_post && v->post_n[0]) {
			putch(b, '-');
			put(b, v->post_n);
		} else {
			put(b, PICK(r, pep_seps));
			put(b, pep_post[v->post_w]);
			put(b, PICK(r, pep_seps));
			put(b, v->post_n);
		}
	}
	if (v->dev) {
		put(b, PICK(r, pep_seps));
		put(b, chance(r, 80) ? "dev" : "DEV");
		put(b, PICK(r, pep_seps));
		put(b, v->dev_n);
	}
	if (v->local) {
		putch(b, '+');
		for (i = 0; i < v->nloc; i++) {
			if (i)
				putch(b, "._-"[below(r, 3)]);
			put(b, v->loc[i]);
		}
	}
	if (chance(r, 5))
		put(b, PICK(r, pep_space));
}

static void gen_pep440(rng *r, sbuf *out, const char *prev, void *ctx)
{
	pep_parts *last = ctx, v; /* the parts of prev */

	if (prev && chance(r, 85)) {
		v = *last;
		switch (below(r, 8)) {
		case 0: /* the same, spelt again */
			break;
		case 1:
			v.pre = !v.pre;
			break;
		case 2:
			v.post = !v.post;
			break;
		case 3:
			v.dev = !v.dev;
			break;
		case 4:
			v.local = !v.local;
			break;
		case 5:
			if (v.nrel < 6)
				snprintf(v.rel[v.nrel++], sizeof(v.rel[0]), "%s", chance(r, 60) ? "0" : "1");
			break;
		case 6:
			snprintf(v.rel[below(r, (unsigned)v.nrel)], sizeof(v.rel[0]), "%u", below(r, 3));
			break;
		default:
			v.pre_w = (int)below(r, CS_ARRAY_LEN(pep_pre));
			v.post_w = (int)below(r, CS_ARRAY_LEN(pep_post));
			break;
		}
	} else {
		pep_roll(r, &v);
	}
	*last = v;
	pep_render(r, &v, out);
	if (chance(r, 6)) /* malformed, or not quite */
		mutate(r, out, out->s, ".-_+!vV0a \xc3");
}

/* --- maven ------------------------------------------------------------------- */

static const char *const mvn_words[] = {
	"alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "snapshot", "SNAPSHOT", "ga", "GA", "final",
	"Final", "release", "RELEASE", "sp", "SP", "", "foo", "x", "abc", "jre", "android", "z", "\xc3\xa9",
};

static void gen_maven(rng *r, sbuf *out, const char *prev, void *ctx)
{
	unsigned i, n;

	CS_UNUSED(ctx);
	if (prev && chance(r, 70)) {
		static const char *const edits[][2] = {
			{".", "-"}, {"-", "."}, {".0", ""}, {"", ".0"}, {"", "-0"}, {"-ga", ""}, {"", "-final"},
			{"alpha-", "a"}, {"a", "alpha-"}, {"rc", "cr"}, {"-", ""}, {"0", "00"}, {"1", "0000000001"},
		};

		edit(r, out, prev, edits, CS_ARRAY_LEN(edits), ".-0a1Z");
		return;
	}
	sbuf_clear(out);
	n = 1 + below(r, 7);
	for (i = 0; i < n; i++) {
		if (i) {
			unsigned s = below(r, 10);

			put(out, s < 5 ? "." : s < 8 ? "-" : s < 9 ? "" : "..");
		}
		if (chance(r, 60))
			put_number(r, out);
		else
			put(out, PICK(r, mvn_words));
	}
	if (chance(r, 5))
		mutate(r, out, out->s, ".-_ 0aA");
}

/* --- gem --------------------------------------------------------------------- */

static const char *const gem_alnum[] = {"a", "b", "pre", "rc", "A", "B", "beta", "0a", "a0", "1a", "rc1", "z", "ZZ"};

static void gen_gem(rng *r, sbuf *out, const char *prev, void *ctx)
{
	unsigned i, n;

	CS_UNUSED(ctx);
	if (prev && chance(r, 70)) {
		static const char *const edits[][2] = {
			{"", ".0"},   {"", ".0.0"}, {".0", ""}, {"-", ".pre."}, {"", ".a"}, {"", "-1"}, {".a", ".A"},
			{"0", "00"},  {"1", "01"},  {".", ""},  {"", " "},      {"-", "."}, {".0.", "."},
		};

		edit(r, out, prev, edits, CS_ARRAY_LEN(edits), ".-0a1 ");
		return;
	}
	sbuf_clear(out);
	if (chance(r, 4))
		put(out, " ");
	put_number(r, out);
	n = below(r, 5);
	for (i = 0; i < n; i++) {
		putch(out, '.');
		if (chance(r, 70))
			put_number(r, out);
		else
			put(out, PICK(r, gem_alnum));
	}
	if (chance(r, 25)) {
		putch(out, '-');
		n = 1 + below(r, 3);
		for (i = 0; i < n; i++) {
			if (i)
				putch(out, chance(r, 60) ? '.' : '-');
			if (chance(r, 50))
				put_number(r, out);
			else
				put(out, PICK(r, gem_alnum));
		}
	}
	if (chance(r, 6))
		mutate(r, out, out->s, ".-_ 0a,\xc3");
}

/* --- composer -------------------------------------------------------------------- */

static const char *const cmp_words[] = {"stable", "STABLE", "Stable", "beta", "BETA", "b", "B", "RC", "rc",
					"Rc", "alpha", "a", "A", "patch", "pl", "p", "P"};
static const char *const cmp_devs[] = {"-dev", ".dev", "dev", "-DEV"};
static const char *const cmp_branches[] = {"dev-master", "master", "trunk", "default", "dev-main", "DEV-main",
					   "dev-feature/x", "dev-1.x", "Master", "dev-"};

static void gen_composer(rng *r, sbuf *out, const char *prev, void *ctx)
{
	unsigned i, n;

	CS_UNUSED(ctx);
	if (prev && chance(r, 65)) {
		static const char *const edits[][2] = {
			{"", ".0"},   {".0", ""},    {"-", "."},      {".", "-"},     {"", "-dev"},  {"-dev", ""},
			{"", "@dev"}, {"", "+b.1"},  {"", " as 9.9"}, {"v", ""},      {"-", ""},     {"beta", "b"},
			{"b", "beta"}, {"RC", "rc"}, {"0", "00"},     {"stable", "STABLE"}, {"", " "},
		};

		edit(r, out, prev, edits, CS_ARRAY_LEN(edits), ".-_:0a1 x*@+");
		return;
	}
	sbuf_clear(out);
	switch (below(r, 20)) {
	case 0: /* a branch */
		put(out, PICK(r, cmp_branches));
		return;
	case 1: /* a numeric branch */
		digits(r, out, 1, true);
		n = below(r, 4);
		for (i = 0; i < n; i++) {
			putch(out, '.');
			if (chance(r, 50))
				digits(r, out, 1, true);
			else
				putch(out, "xX*"[below(r, 3)]);
		}
		put(out, chance(r, 80) ? "-dev" : ".dev");
		return;
	case 2:
	case 3: /* a date */
		digits(r, out, 4, true);
		n = 1 + below(r, 7);
		for (i = 0; i < n; i++) {
			if (chance(r, 60))
				putch(out, ".:-"[below(r, 3)]);
			digits(r, out, chance(r, 85) ? 2 : 1 + below(r, 3), true);
		}
		break;
	default: /* classical */
		if (chance(r, 15))
			putch(out, chance(r, 50) ? 'v' : 'V');
		if (chance(r, 95))
			digits(r, out, 1 + below(r, 2), true);
		else
			put_number(r, out);
		n = chance(r, 4) ? 4 : below(r, 4); /* five numbers are too many */
		for (i = 0; i < n; i++) {
			putch(out, '.');
			put_number(r, out);
		}
		break;
	}
	if (chance(r, 45)) {
		put(out, PICK(r, pep_seps));
		put(out, PICK(r, cmp_words));
		n = below(r, 3);
		for (i = 0; i < n; i++) {
			if (chance(r, 60))
				putch(out, ".-"[below(r, 2)]);
			put_number(r, out);
		}
	}
	if (chance(r, 20))
		put(out, PICK(r, cmp_devs));
	if (chance(r, 6))
		mutate(r, out, out->s, ".-_:0a1 x@+,");
}

/* --- the reference ------------------------------------------------------------ */

/* n pairs from gen, seeded; a near miss of the pair's first version half the time. */
static void generate(pairs *p, gen_fn gen, uint64_t seed, size_t n)
{
	rng r = {seed, false};
	sbuf a, b;
	pep_parts ctx; /* big enough for every generator's memory */

	memset(&ctx, 0, sizeof(ctx));
	while (n > 0) {
		gen(&r, &a, NULL, &ctx);
		gen(&r, &b, chance(&r, 60) ? a.s : NULL, &ctx);
		if (!line_safe(a.s) || !line_safe(b.s))
			continue;
		pairs_add(p, a.s, b.s);
		n--;
	}
}

static void check_reference(const cs_version_scheme *s, gen_fn gen, uint64_t seed, const vcase *cases, size_t ncases)
{
	pairs p = {0};
	vtally t;

	generate(&p, gen, vpairs_seed(seed), vpairs_count(NPAIRS));
	pairs_add_cases(&p, cases, ncases);
	if (check_pairs(s, s->name, &p, &t))
		printf("  %s: %zu pairs (%zu older, %zu equal, %zu newer, %zu refused), %zu mismatches\n", s->name, t.n,
		       t.older, t.equal, t.newer, t.refused, t.bad);
	pairs_free(&p);
}

/* --- tests ------------------------------------------------------------------------ */

TEST(pep440_cases)
{
	check_cases(&cs_version_pep440, pep440_cases, CS_ARRAY_LEN(pep440_cases));
}

TEST(maven_cases)
{
	check_cases(&cs_version_maven, maven_cases, CS_ARRAY_LEN(maven_cases));
}

TEST(gem_cases)
{
	check_cases(&cs_version_gem, gem_cases, CS_ARRAY_LEN(gem_cases));
}

TEST(composer_cases)
{
	check_cases(&cs_version_composer, composer_cases, CS_ARRAY_LEN(composer_cases));
	check_cases(&cs_version_composer, composer_newline_cases, CS_ARRAY_LEN(composer_newline_cases));
}

TEST(pep440_reference)
{
	check_reference(&cs_version_pep440, gen_pep440, 0x5045503434300001ULL, pep440_cases, CS_ARRAY_LEN(pep440_cases));
}

TEST(maven_reference)
{
	check_reference(&cs_version_maven, gen_maven, 0x4d4156454e000002ULL, maven_cases, CS_ARRAY_LEN(maven_cases));
}

TEST(gem_reference)
{
	check_reference(&cs_version_gem, gen_gem, 0x47454d0000000003ULL, gem_cases, CS_ARRAY_LEN(gem_cases));
}

TEST(composer_reference)
{
	check_reference(&cs_version_composer, gen_composer, 0x434f4d504f534504ULL, composer_cases,
			CS_ARRAY_LEN(composer_cases));
}

/* Python's int() limit: 4300 digits pass, 4301 are refused. */
TEST(pep440_int_limit)
{
	char *ok = repeat("1.", "1", 4302, ""), *over = repeat("1.", "1", 4303, "");
	char *zeros = repeat("1.", "0", 4303, ""), *local = repeat("1.0+", "7", 4305, "");

	check_long(&cs_version_pep440, ok, "1.2", 1);
	check_long(&cs_version_pep440, over, "1.2", E);
	check_long(&cs_version_pep440, zeros, "1", E);
	check_long(&cs_version_pep440, local, "1.0", E);
	free(ok);
	free(over);
	free(zeros);
	free(local);
}

TEST(long_inputs)
{
	char *digits = repeat("", "9", MB, ""), *digits2 = repeat("", "9", MB, "8");
	char *zeros = repeat("1", ".0", MB, ""), *zeros_a = repeat("1", ".0", MB, ".a");
	char *dashes = repeat("1", "-1", MB, ""), *dash_zero = repeat("1", "-0", MB, "-1");
	char *nulls = repeat("1", ".ga", MB, ""), *alnum = repeat("1", "a1", MB, "");
	char *words = repeat("1.0-", "x", MB, ""), *seps = repeat("", ".", MB, "");
	char *suffix = repeat("1.0.0-beta", ".1", MB, ""), *branch = repeat("dev-", "x", MB, "");
	char *local = repeat("1.0+", "a.", MB, "b"), *pre = repeat("1.0", "-", MB, "a");

	/* maven: everything is a version */
	check_long(&cs_version_maven, digits, digits2, -1);
	check_long(&cs_version_maven, zeros, "1", 0);
	check_long(&cs_version_maven, zeros_a, "1-a", 0);
	check_long(&cs_version_maven, nulls, "1", 0);
	check_long(&cs_version_maven, dash_zero, dashes, -1);
	check_long(&cs_version_maven, dashes, dashes, 0);
	check_long(&cs_version_maven, alnum, alnum, 0);
	check_long(&cs_version_maven, words, "1.0-y", -1);
	check_long(&cs_version_maven, seps, "", 0);
	/* gem */
	check_long(&cs_version_gem, digits, digits2, -1);
	check_long(&cs_version_gem, zeros, "1", 0);
	check_long(&cs_version_gem, zeros_a, "1.a", 0);
	check_long(&cs_version_gem, alnum, "1", E);
	check_long(&cs_version_gem, seps, "1", E);
	/* pep440: release parts of one digit are fine, a megabyte number is not */
	check_long(&cs_version_pep440, zeros, "1", 0);
	check_long(&cs_version_pep440, digits, "1", E);
	check_long(&cs_version_pep440, local, "1.0+a", 1);
	check_long(&cs_version_pep440, pre, "1.0", E);
	check_long(&cs_version_pep440, seps, "1", E);
	/* composer */
	check_long(&cs_version_composer, digits, digits2, E);
	check_long(&cs_version_composer, suffix, "1.0.0-beta.1", 1);
	check_long(&cs_version_composer, branch, branch, 0);
	check_long(&cs_version_composer, zeros, "1", E);
	check_long(&cs_version_composer, seps, "1", E);
	free(digits);
	free(digits2);
	free(zeros);
	free(zeros_a);
	free(dashes);
	free(dash_zero);
	free(nulls);
	free(alnum);
	free(words);
	free(seps);
	free(suffix);
	free(branch);
	free(local);
	free(pre);
}

/* A refusal names the scheme and the version, cut to 64 bytes. */
TEST(messages)
{
	char *long_bad = repeat("1.0..", "x", 300, "");
	cs_err err;
	int out = 0;

	cs_err_clear(&err);
	CHECK_INT(cs_version_pep440.cmp("1.0", "1.0..1", &out, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid pep440 version '1.0..1': unexpected text");
	cs_err_clear(&err);
	CHECK_INT(cs_version_gem.cmp("1a", "1", &out, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid gem version '1a': malformed version number string");
	cs_err_clear(&err);
	CHECK_INT(cs_version_composer.cmp("1", "dev-x", &out, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "'1' and 'dev-x' are not comparable") != NULL);
	cs_err_clear(&err);
	CHECK_INT(cs_version_pep440.cmp(long_bad, "1", &out, &err), CS_EFORMAT);
	CHECK(strlen(err.msg) < 160);
	CHECK(strstr(err.msg, "...'") != NULL);
	/* the first error wins */
	CHECK_INT(cs_version_composer.cmp("x", "1", &out, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "pep440") != NULL);
	free(long_bad);
}

TEST_MAIN(TEST_ENTRY(pep440_cases), TEST_ENTRY(maven_cases), TEST_ENTRY(gem_cases), TEST_ENTRY(composer_cases),
	  TEST_ENTRY(pep440_reference), TEST_ENTRY(maven_reference), TEST_ENTRY(gem_reference),
	  TEST_ENTRY(composer_reference), TEST_ENTRY(pep440_int_limit), TEST_ENTRY(long_inputs), TEST_ENTRY(messages))
