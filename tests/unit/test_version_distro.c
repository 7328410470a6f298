/*
 * test_version_distro.c - the distribution version orderings: deb, rpm, apk.
 *
 * Each comparator is checked three ways:
 *   - a table of hand-picked edge cases with the answer of the reference
 *     (the tables are also sent to the reference on every run, so a wrong
 *     expectation cannot hide);
 *   - for apk, every line of apk's own unit-test vectors
 *     (../shared/test-data/versions/apk-version.data);
 *   - 16,000 generated pairs per scheme (fixed-seed xorshift, shaped around
 *     each scheme's hard parts), run once through the reference with
 *     tests/oracle/version.sh SCHEME; every answer must match, E (the
 *     reference refuses a version) meaning CS_EFORMAT.
 * The references: deb - dpkg's Dpkg::Version (made exact, deb.pl) on all
 * pairs plus the dpkg binary on a sample of 1 in 8 (2,000); rpm - rpm.vercmp() in
 * one rpm process; apk - an independent Python reading of apk-tools
 * (apk.py: there is no apk binary on Debian), itself checked on apk's own
 * vectors. A missing reference tool is a failure, never a skip.
 * The harness, and the variables that keep or vary the pairs, are in
 * vtest.h.
 */
#include "core/compat.h"
#include "match/version.h"

#include "unit/vtest.h"

/* Referenced directly so the tests build before versions.def lists them. */
extern const cs_version_scheme cs_version_deb;
extern const cs_version_scheme cs_version_rpm;
extern const cs_version_scheme cs_version_apk;

#define GENERATED 16000

/* --- deb: dpkg --compare-versions ----------------------------------------- */

static const vcase deb_edges[] = {
	{"1.0", "1.0", 0},
	{"1.0", "1.0.0", -1},
	{"1.00", "1.0", 0},
	{"1.2.3", "1.2.10", -1},
	{"10", "9", 1},
	{"1.000000000000000000000001", "1.1", 0},
	{"1.99999999999999999999999", "1.99999999999999999999998", 1},
	{"123456789012345678901234567890", "123456789012345678901234567891", -1},
	/* '~' before the end, the end before letters, letters before the rest */
	{"1.0~rc1", "1.0", -1},
	{"1.0~~", "1.0~", -1},
	{"1.0~", "1.0", -1},
	{"1.0~rc1", "1.0~rc2", -1},
	{"1.0~rc1-1", "1.0-1", -1},
	{"1.0", "1.0+", -1},
	{"1.0a", "1.0+", -1},
	{"1.0a", "1.0", 1},
	{"1.0A", "1.0a", -1},
	{"1.0+dfsg", "1.0.dfsg", -1},
	{"1.0_1", "1.0+1", 1},
	/* epochs */
	{"1:1.0", "2.0", 1},
	{"0:1.0", "1.0", 0},
	{"00001:1", "1:1", 0},
	{"2147483647:1", "1", 1},
	{"2147483648:1", "1", E},
	{"99999999999999999999:1", "1", E},
	{"+1:1", "1:1", 0},
	{"-0:1", "1", 0},
	{"\v1:2", "1:2", 0},
	{"-1:1", "1", E},
	{":1", "1", E},
	{"1:", "1", E},
	{"a:1", "1", E},
	{"1.0:2", "1", E},
	{"1:1:1", "1:1", 1},
	/* revisions */
	{"1.0-1", "1.0-1.1", -1},
	{"2.30-2", "2.30-10", -1},
	{"1.0-0", "1.0", 0},
	{"1.0-a", "1.0", 1},
	{"1.0-~", "1.0", -1},
	{"1.2-3-4", "1.2-3", 1},
	{"1.0-1+deb12u1", "1.0-1", 1},
	{"1.0-1~bpo11+1", "1.0-1", -1},
	{"1.0-", "1", E},
	{"-1", "1", E},
	{"1:-1", "1", E},
	{"1--1", "1-1", 1},
	/* dpkg's "no version": earlier than any version, even "~" */
	{"", "~", -1},
	{"", "", 0},
	{"", "<unknown>", 0},
	{"<unknown>", "0", -1},
	{" <unknown>", "<unknown>", 1},
	/* blanks: trimmed at the ends, refused inside */
	{" 1.0", "1.0", 0},
	{"1.0 ", "1.0", 0},
	{"1.0\t", "1.0", 0},
	{"1 0", "1", E},
	{"  ", "1", E},
	/* dpkg warns but compares: no leading digit, odd bytes */
	{"abc", "1", 1},
	{"~1", "1", -1},
	{"1\xc3", "1a", 1},
	{"1\xc3", "1.", -1},
	{"1\x7f", "1\xc3", 1},
	{"1%", "1=", -1},
};

/* --- rpm: rpm.vercmp() ----------------------------------------------------- */

static const vcase rpm_edges[] = {
	{"1.0", "1.0", 0},
	{"1.0", "1.0.0", -1},
	{"1.01", "1.1", 0},
	{"1..1", "1.1", 0},
	{"1.0.", "1.0", 0},
	{"1_1", "1.1", 0},
	{"1.0a", "1.0", 1},
	{"1.0.1", "1.0a", 1},
	{"a", "1", -1},
	{"A", "a", -1},
	{"1.99999999999999999999999", "1.100000000000000000000000", -1},
	{"1\xc3", "1", 0},
	/* '~' and '^' */
	{"1.0~rc1", "1.0", -1},
	{"1.0~rc1", "1.0~rc2", -1},
	{"1~", "1", -1},
	{"1^", "1~", 1},
	{"1.0^", "1.0", 1},
	{"1.0^git1", "1.0", 1},
	{"1.0^git1", "1.0.1", -1},
	{"1.0^git1", "1.0~rc1", 1},
	{"1.0~rc1^git1", "1.0~rc1", 1},
	{"1.0^git1", "1.0^git2", -1},
	/* epoch and release */
	{"1:1.0", "2.0", 1},
	{"0:1.0", "1.0", 0},
	{":1.0", "0:1.0", 0},
	{"01:1", "1:1", 0},
	{"1:", "1", 1},
	{":", "0", -1},
	{"a:1", "1", -1},
	{"1.0", "1.0-0", -1},
	{"1.0-", "1.0", 1},
	{"1.0-1.el8", "1.0-1.el9", -1},
	{"2.0.1", "2.0-1", 1},
	{"1-2-3", "1-2", 1},
	{"5.2-1:3", "5.2-1", 1},
	/* rpm.vercmp refuses the empty string only */
	{"", "1", E},
	{"1", "", E},
	{" ", "", E},
	{"%{foo}", "1", -1},
};

/* --- apk: apk-tools src/version.c ------------------------------------------ */

static const vcase apk_edges[] = {
	{"1.0", "1.0", 0},
	{"1.0", "1.0-r0", -1},
	{"1.0-r0", "1.0-r1", -1},
	{"1.0-r01", "1.0-r1", 0},
	{"1.0_alpha", "1.0_beta", -1},
	{"1.0_rc1", "1.0", -1},
	{"1.0_p1", "1.0", 1},
	{"1.0_p01", "1.0_p1", 0},
	{"1.0_git20240101", "1.0", 1},
	{"1.0_alpha1", "1.0_alpha", 1},
	{"1.0_alpha_pre", "1.0_alpha", -1},
	{"1.0_alpha_p", "1.0_alpha1", 1},
	{"1.05", "1.1", -1},
	{"1.10", "1.9", 1},
	{"1.010", "1.9", -1},
	{"006", "6", 0},
	{"1.0a", "1.0.1", -1},
	{"1.0a", "1.0b", -1},
	{"1.0a", "1.0", 1},
	{"1.0~abc", "1.0", 1},
	{"1.0~abc", "1.0~abd", -1},
	{"1.0~abc-r1", "1.0~abc-r0", 1},
	{"1.99999999999999999999999", "1.99999999999999999999998", 1},
	{"99999999999999999999999", "99999999999999999999998", 1},
	{"18446744073709551617", "1", 1},
	/* apk_version_validate() refuses these; apk_version_compare() would not */
	{"", "1", E},
	{"1.0bc", "1.0", E},
	{"1.0_foo", "1.0", E},
	{"a", "1", E},
	{"1.0-r", "1.0", E},
	{"1.0A", "1.0", E},
	{"1.0 ", "1.0", E},
	{"1.0-r1-r2", "1.0", E},
	{"1.0~ABC", "1.0", E},
	{"1..0", "1.0", E},
	{"1.", "1", E},
	{"1.0_", "1.0", E},
	{"1.0a1", "1.0", E},
};

/* --- the generator ------------------------------------------------------------- */

/* A run of digits: short, with leading zeros, or long (up to 45 digits). */
static void put_number(sbuf *v, rng *r)
{
	static const char *const small[] = {"0", "1", "2", "3", "9", "10", "11", "99", "100", "01",
					    "001", "007", "09", "0", "20240101", "4294967296"};
	char d[64];
	size_t i, n;

	if (!chance(r, 12)) {
		put(v, PICK(r, small));
		return;
	}
	n = 17 + below(r, 29);
	for (i = 0; i < n; i++)
		d[i] = (char)('0' + (i == 0 && chance(r, 70) ? 1 + below(r, 9) : below(r, 10)));
	d[n] = '\0';
	put(v, d);
}

/*
 * B from A: one to three edits that keep a shared prefix - a digit changed,
 * a byte or an atom inserted, a byte deleted, a cut, an atom appended, a
 * leading zero added, a letter's case flipped.
 */
static void mutate(const char *a, sbuf *out, rng *r, const char *const *atoms, size_t natoms, const char *bytes)
{
	size_t edits = 1 + below(r, 3), k;

	sbuf_clear(out);
	put(out, a);
	for (k = 0; k < edits; k++) {
		size_t at = out->n ? below(r, (unsigned)out->n + 1) : 0, m;
		char tail[SBUF_MAX + 1];
		const char *rev;

		switch (below(r, 8)) {
		case 0: /* change a digit */
			for (m = 0; m < out->n; m++) {
				size_t i = (at + m) % (out->n ? out->n : 1);

				if (out->s[i] >= '0' && out->s[i] <= '9') {
					out->s[i] = (char)('0' + below(r, 10));
					break;
				}
			}
			break;
		case 1: /* insert one byte */
		case 2: /* insert an atom */
			memcpy(tail, out->s + at, out->n - at + 1);
			out->n = at;
			out->s[at] = '\0';
			if ((k & 1) || below(r, 2))
				putch(out, bytes[below(r, (unsigned)strlen(bytes))]);
			else
				put(out, atoms[below(r, (unsigned)natoms)]);
			put(out, tail);
			break;
		case 3: /* delete one byte */
			if (at < out->n) {
				memmove(out->s + at, out->s + at + 1, out->n - at);
				out->n--;
			}
			break;
		case 4: /* cut */
			if (at > 0) {
				out->n = at;
				out->s[at] = '\0';
			}
			break;
		case 5: /* append an atom (apk: mostly before a -rN, where more atoms are valid) */
			rev = strchr(bytes, 'A') ? NULL : strstr(out->s, "-r");
			if (rev && below(r, 4)) {
				m = (size_t)(rev - out->s);
				memcpy(tail, out->s + m, out->n - m + 1);
				out->n = m;
				out->s[m] = '\0';
				put(out, atoms[below(r, (unsigned)natoms)]);
				put(out, tail);
			} else {
				put(out, atoms[below(r, (unsigned)natoms)]);
			}
			break;
		case 6: /* a leading zero before a digit run */
			for (m = at; m < out->n; m++)
				if (out->s[m] >= '0' && out->s[m] <= '9' && (m == 0 || out->s[m - 1] < '0' || out->s[m - 1] > '9')) {
					memcpy(tail, out->s + m, out->n - m + 1);
					out->n = m;
					out->s[m] = '\0';
					put(out, "0");
					put(out, tail);
					break;
				}
			break;
		default: /* flip a letter's case (or, with no capitals in bytes, change it) */
			for (m = at; m < out->n; m++)
				if ((out->s[m] >= 'a' && out->s[m] <= 'z') || (out->s[m] >= 'A' && out->s[m] <= 'Z')) {
					if (strchr(bytes, 'A'))
						out->s[m] ^= 0x20;
					else
						out->s[m] = (char)('a' + below(r, 6));
					break;
				}
			break;
		}
	}
}

typedef void (*gen_fn)(sbuf *v, rng *r);

/* Single bytes a mutation inserts (never \t \n \r or NUL), atoms it inserts or appends. */
static const char deb_bytes[] = "0123456789abzAZ..++~~-_%\xc3\x7f\x01:";
static const char *const deb_atoms[] = {
	"0", "1", "2", "10", "01", "a", "b", "z", "A", "Z", "rc", "beta", "dfsg", "git", "ubuntu", "deb", "bpo",
	".", ".", "+", "~", "~", "-", "-", ":", "_", "%", "@", "=", "\xc3", "\x7f", "~rc1", "+dfsg", "-1", "1:",
	".0", "+b1", "~~", "~bpo11+1",
};

static void gen_deb(sbuf *v, rng *r)
{
	static const char *const epochs[] = {"1:", "0:", "2:", "00:", "10:", "2147483647:", "2147483648:", "-0:",
					     "+1:", "\v1:", "a:", ":", "-1:", "1.0:", "\f\r3:", "99999999999999999999:"};
	static const char *const seps[] = {".", ".", ".", "+", "~", "-", ".", "_", "%", "\xc3", "~~", ".~", "+~"};
	static const char *const words[] = {"a", "b", "z", "A", "Z", "rc", "beta", "alpha", "dfsg", "git", "ubuntu",
					    "deb", "bpo", "really", "pre", "post"};
	static const char *const revs[] = {"-1", "-0", "-1.1", "-1ubuntu1", "-1+deb12u1", "-1~bpo11+1", "-", "-a",
					   "-~", "-10", "-2", "-0.1", "-1build1", "--1", "-1-2"};
	static const char *const odd[] = {"", "<unknown>", " ", "  1.0", "1.0 ", "1 0", "~", "abc", "-", "1:-1", "-1"};
	size_t parts, i;

	sbuf_clear(v);
	if (chance(r, 3)) {
		put(v, PICK(r, odd));
		return;
	}
	if (chance(r, 3))
		put(v, " ");
	if (chance(r, 25))
		put(v, PICK(r, epochs));
	if (chance(r, 92))
		put_number(v, r);
	else
		put(v, PICK(r, words));
	parts = below(r, 6);
	for (i = 0; i < parts; i++) {
		put(v, PICK(r, seps));
		if (chance(r, 65))
			put_number(v, r);
		else
			put(v, PICK(r, words));
	}
	if (chance(r, 50))
		put(v, PICK(r, revs));
	if (chance(r, 3))
		put(v, " ");
}

static const char rpm_bytes[] = "0123456789abzAZ..__+-~~^^:% \xc3";
static const char *const rpm_atoms[] = {
	"0", "1", "2", "10", "01", "a", "b", "Z", "rc", "el8", "el9", "fc38", "git", "beta", ".", ".", "_", "+",
	"-", "-", "~", "~", "^", "^", ":", "%", "\xc3", "~rc1", "^git1", "-1", "1:", ".0", "..",
};

static void gen_rpm(sbuf *v, rng *r)
{
	static const char *const epochs[] = {"1:", "0:", "2:", ":", "01:", "10:", "a:", "00:", "4294967296:"};
	static const char *const seps[] = {".", ".", ".", "_", "+", "~", "^", ":", "%", "\xc3", "..", ".~", "~^"};
	static const char *const words[] = {"a", "b", "z", "A", "Z", "rc", "beta", "alpha", "el", "el8", "fc",
					    "git", "svn", "pre", "post", "snap"};
	static const char *const rels[] = {"-1", "-0", "-1.el8", "-1.el9", "-0.1.rc1", "-", "-~", "-^", "-2.fc38",
					   "-10", "-1_1", "-a", "-1-2"};
	static const char *const odd[] = {"", " ", "~", "^", "-", ":", "a", "-1", "1:", ":-"};
	size_t parts, i;

	sbuf_clear(v);
	if (chance(r, 3)) {
		put(v, PICK(r, odd));
		return;
	}
	if (chance(r, 25))
		put(v, PICK(r, epochs));
	if (chance(r, 90))
		put_number(v, r);
	else
		put(v, PICK(r, words));
	parts = below(r, 6);
	for (i = 0; i < parts; i++) {
		put(v, PICK(r, seps));
		if (chance(r, 60))
			put_number(v, r);
		else
			put(v, PICK(r, words));
	}
	if (chance(r, 50))
		put(v, PICK(r, rels));
}

static const char apk_bytes[] = "00123456789abcfz...";
static const char *const apk_atoms[] = {
	"0", "1", "10", "01", ".0", ".1", ".01", ".10", ".00", "a", "z", "_alpha", "_beta", "_pre", "_rc", "_cvs",
	"_svn", "_git", "_hg", "_p", "_p1", "_rc2", "_alpha0", "~abc", "~0f", "-r0", "-r1", "-r10", "-r01",
	"_foo", "~A", "-r", "A",
};

static void gen_apk(sbuf *v, rng *r)
{
	static const char *const sufs[] = {"_alpha", "_beta", "_pre", "_rc", "_cvs", "_svn", "_git", "_hg", "_p"};
	static const char *const letters[] = {"a", "b", "c", "p", "r", "z"};
	static const char *const hashes[] = {"~abc", "~0", "~1234abcd", "~fff", "~00"};
	static const char *const revs[] = {"-r0", "-r1", "-r2", "-r10", "-r01", "-r00"};
	static const char *const odd[] = {"", "a", "1.0bc", "23_foo", "1.0_", ".1", "1-r", "1~", "1.0 "};
	size_t parts, i;

	sbuf_clear(v);
	if (chance(r, 3)) {
		put(v, PICK(r, odd));
		return;
	}
	put_number(v, r);
	parts = below(r, 5);
	for (i = 0; i < parts; i++) {
		put(v, ".");
		put_number(v, r);
	}
	if (chance(r, 20))
		put(v, PICK(r, letters));
	parts = chance(r, 40) ? 1 + below(r, 2) : 0;
	for (i = 0; i < parts; i++) {
		put(v, PICK(r, sufs));
		if (chance(r, 60))
			put_number(v, r);
	}
	if (chance(r, 12))
		put(v, PICK(r, hashes));
	if (chance(r, 55))
		put(v, PICK(r, revs));
}

/* GENERATED pairs (or CUSTOMS_VPAIRS_N): 75 % B = A edited, 5 % B = A, 20 % independent. */
static void generate(pairs *p, uint64_t seed, gen_fn gen, const char *const *atoms, size_t natoms,
		     const char *bytes)
{
	rng r = {vpairs_seed(seed), false};
	size_t i, n = vpairs_count(GENERATED);
	sbuf a, b;

	for (i = 0; i < n; i++) {
		unsigned kind = below(&r, 100);

		gen(&a, &r);
		if (kind < 75)
			mutate(a.s, &b, &r, atoms, natoms, bytes);
		else if (kind < 80)
			b = a;
		else
			gen(&b, &r);
		pairs_add(p, a.s, b.s);
	}
}

/* p through the ORACLE reference, and the summary line. */
static void check_reference(const cs_version_scheme *s, const char *oracle, const pairs *p)
{
	vtally t;

	if (check_pairs(s, oracle, p, &t))
		printf("  %s answers: %zu older, %zu equal, %zu newer, %zu refused\n", oracle, t.older, t.equal, t.newer,
		       t.refused);
}

/* --- tests ---------------------------------------------------------------------- */

TEST(deb_edges)
{
	check_cases(&cs_version_deb, deb_edges, CS_ARRAY_LEN(deb_edges));
}

TEST(rpm_edges)
{
	check_cases(&cs_version_rpm, rpm_edges, CS_ARRAY_LEN(rpm_edges));
}

TEST(apk_edges)
{
	check_cases(&cs_version_apk, apk_edges, CS_ARRAY_LEN(apk_edges));
}

/* Versions in comparison lines of apk-version.data that apk itself calls invalid. */
static bool apk_data_invalid(const char *v)
{
	return !strcmp(v, "1.0bc") || !strcmp(v, "23_foo");
}

typedef struct apk_vec {
	char a[128], b[128];
	char op;     /* '<', '=', '>', or 'v' for a validity line */
	bool invert; /* "!op" or "!version" */
} apk_vec;

/* Reads apk-version.data; fuzzy (~) lines are skipped. Returns the count, -1 on error. */
static long read_apk_vectors(apk_vec **out)
{
	char path[512], *data, *line, *save = NULL;
	apk_vec *v = NULL;
	long n = 0;

	snprintf(path, sizeof(path), "%s/test-data/versions/apk-version.data", test_shared());
	if (!(data = test_read_file(path, NULL))) {
		fprintf(stderr, "  cannot read %s\n", path);
		return -1;
	}
	for (line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char f[3][128], *hash = strchr(line, '#');
		int k;
		apk_vec x;

		if (hash)
			*hash = '\0';
		memset(&x, 0, sizeof(x));
		k = sscanf(line, "%127s %127s %127s", f[0], f[1], f[2]);
		if (k <= 0)
			continue;
		if (k == 3) {
			const char *op = f[1];

			x.invert = *op == '!';
			op += x.invert;
			if (strlen(op) != 1 || !strchr("<=>", *op))
				continue; /* fuzzy matching: not an ordering */
			x.op = *op;
			memcpy(x.a, f[0], sizeof(x.a));
			memcpy(x.b, f[2], sizeof(x.b));
		} else if (k == 1) {
			x.op = 'v';
			x.invert = f[0][0] == '!';
			snprintf(x.a, sizeof(x.a), "%s", f[0] + x.invert);
		} else {
			continue;
		}
		v = realloc(v, (size_t)(n + 1) * sizeof(*v));
		if (!v)
			abort();
		v[n++] = x;
	}
	free(data);
	*out = v;
	return n;
}

/* Does answer r satisfy vector x? */
static bool apk_vec_ok(const apk_vec *x, int r)
{
	bool holds;

	if (x->op == 'v')
		return x->invert ? r == E : r == 0;
	if (apk_data_invalid(x->a) || apk_data_invalid(x->b))
		return r == E;
	holds = (x->op == '<' && r == -1) || (x->op == '=' && r == 0) || (x->op == '>' && r == 1);
	return r != E && holds != x->invert;
}

TEST(apk_vectors)
{
	apk_vec *v = NULL;
	long n = read_apk_vectors(&v), i, checked = 0;
	char qa[SHOW_SZ], qb[SHOW_SZ];

	CHECK(n > 700);
	for (i = 0; i < n; i++) {
		const char *b = v[i].op == 'v' ? v[i].a : v[i].b;
		int r = compare(&cs_version_apk, v[i].a, b);

		if (!apk_vec_ok(&v[i], r)) {
			fprintf(stderr, "  apk-version.data: '%s' %s%c '%s': customs says %s\n", show(v[i].a, qa, sizeof(qa)),
				v[i].invert ? "!" : "", v[i].op, show(b, qb, sizeof(qb)), answer_str(r));
			test_failures++;
		}
		checked++;
	}
	printf("  apk-version.data: %ld vectors\n", checked);
	free(v);
}

/* The second reference for apk must itself pass apk's own vectors. */
TEST(apk_oracle_vectors)
{
	apk_vec *v = NULL;
	long n = read_apk_vectors(&v), i;
	pairs p = {0};
	int *ans = NULL;

	CHECK(n > 700);
	for (i = 0; i < n; i++)
		pairs_add(&p, v[i].a, v[i].op == 'v' ? v[i].a : v[i].b);
	if (n > 0 && (ans = run_oracle("apk", &p)) != NULL)
		for (i = 0; i < n; i++)
			if (!apk_vec_ok(&v[i], ans[i])) {
				fprintf(stderr, "  apk.py fails apk-version.data: '%s' %s%c '%s': says %s\n", v[i].a,
					v[i].invert ? "!" : "", v[i].op, p.b[i], answer_str(ans[i]));
				test_failures++;
			}
	free(ans);
	pairs_free(&p);
	free(v);
}

TEST(deb_reference)
{
	pairs p = {0}, sample = {0};
	size_t i;

	pairs_add_cases(&p, deb_edges, CS_ARRAY_LEN(deb_edges));
	generate(&p, 0x0DEB0DEB2024ULL, gen_deb, deb_atoms, CS_ARRAY_LEN(deb_atoms), deb_bytes);
	check_reference(&cs_version_deb, "deb", &p);
	/* the dpkg binary itself, one fork per pair: every table entry and 1 in 8 */
	for (i = 0; i < p.n; i++)
		if (p.want[i] != NO_WANT || i % 8 == 0)
			pairs_add_want(&sample, p.a[i], p.b[i], p.want[i]);
	check_reference(&cs_version_deb, "deb-dpkg", &sample);
	pairs_free(&sample);
	pairs_free(&p);
}

TEST(rpm_reference)
{
	pairs p = {0};

	pairs_add_cases(&p, rpm_edges, CS_ARRAY_LEN(rpm_edges));
	generate(&p, 0x00A7E5C0DEULL, gen_rpm, rpm_atoms, CS_ARRAY_LEN(rpm_atoms), rpm_bytes);
	check_reference(&cs_version_rpm, "rpm", &p);
	pairs_free(&p);
}

TEST(apk_reference)
{
	pairs p = {0};

	pairs_add_cases(&p, apk_edges, CS_ARRAY_LEN(apk_edges));
	generate(&p, 0xA1914E5ULL, gen_apk, apk_atoms, CS_ARRAY_LEN(apk_atoms), apk_bytes);
	check_reference(&cs_version_apk, "apk", &p);
	pairs_free(&p);
}

/*
 * Hostile sizes: 1 MB digit runs, leading zeros and separators compare in
 * linear time, without overflow, and a refused 1 MB string gets a short
 * message.
 */
TEST(hostile_sizes)
{
	static const cs_version_scheme *const all[] = {&cs_version_deb, &cs_version_rpm, &cs_version_apk};
	char *nines = repeat("", "9", MB, ""), *eights = repeat("", "9", MB - 1, "8");
	char *zeros = repeat("", "0", MB, "7"), *dots = repeat("", "1.", MB - 2, "11");
	double t0 = now();
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(all); i++) {
		check_long(all[i], nines, eights, 1);
		check_long(all[i], nines, nines, 0);
		check_long(all[i], zeros, "7", 0);
		check_long(all[i], zeros, nines, -1);
		check_long(all[i], dots, dots, 0);
		check_long(all[i], dots, "1.1", 1);
	}
	/* a refused long string: the message quotes at most ~64 bytes */
	{
		cs_err err;
		int out;

		nines[MB / 2] = ' ';
		cs_err_clear(&err);
		CHECK_INT(cs_version_deb.cmp(nines, "1", &out, &err), CS_EFORMAT);
		CHECK(strlen(err.msg) < 160);
		CHECK(strstr(err.msg, "...") != NULL);
		cs_err_clear(&err);
		CHECK_INT(cs_version_apk.cmp("1", nines, &out, &err), CS_EFORMAT);
		CHECK(strlen(err.msg) < 160);
		CHECK(strstr(err.msg, "invalid apk version '9999") != NULL);
		cs_err_clear(&err);
		CHECK_INT(cs_version_rpm.cmp("", nines, &out, &err), CS_EFORMAT);
		CHECK(strstr(err.msg, "rpm") != NULL);
	}
	printf("  hostile sizes: %.2f s\n", now() - t0);
	CHECK(now() - t0 < 20.0); /* linear: well under a second unsanitized */
	free(nines);
	free(eights);
	free(zeros);
	free(dots);
}

TEST(messages)
{
	cs_err err;
	int out = 7;

	cs_err_clear(&err);
	CHECK_INT(cs_version_deb.cmp("1.0", "1:", &out, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid deb version '1:': nothing after colon in version number");
	cs_err_clear(&err);
	CHECK_INT(cs_version_deb.cmp("1\x01 x", "1", &out, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid deb version '1? x': version string has embedded spaces");
	cs_err_clear(&err);
	CHECK_INT(cs_version_apk.cmp("1.0", "1.0bc", &out, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "'1.0bc'") != NULL);
	cs_err_clear(&err);
	CHECK_INT(cs_version_rpm.cmp("1", "", &out, &err), CS_EFORMAT);
	CHECK(err.msg[0] != '\0');
	/* NULL err is allowed */
	CHECK_INT(cs_version_apk.cmp("x", "1", &out, NULL), CS_EFORMAT);
	CHECK_INT(cs_version_deb.cmp("1", "2", &out, NULL), 0);
	CHECK_INT(out, -1);
}

TEST_MAIN(TEST_ENTRY(deb_edges), TEST_ENTRY(rpm_edges), TEST_ENTRY(apk_edges), TEST_ENTRY(apk_vectors),
	  TEST_ENTRY(apk_oracle_vectors), TEST_ENTRY(deb_reference), TEST_ENTRY(rpm_reference),
	  TEST_ENTRY(apk_reference), TEST_ENTRY(hostile_sizes), TEST_ENTRY(messages))
