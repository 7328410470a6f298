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
 * CUSTOMS_KEEP_PAIRS=1 keeps each pairs file (its name is printed) to replay
 * by hand: tests/oracle/version.sh deb < /tmp/customs-vpairs-XXXXXX.
 */
#include "core/compat.h"
#include "match/version.h"

#include <sys/wait.h>
#include <time.h>

#include "unit/test.h"

/* Referenced directly so the tests build before versions.def lists them. */
extern const cs_version_scheme cs_version_deb;
extern const cs_version_scheme cs_version_rpm;
extern const cs_version_scheme cs_version_apk;

#define E 2          /* expected: CS_EFORMAT */
#define NO_ORACLE 1  /* the pair cannot travel as an "A<TAB>B" line */
#define GENERATED 16000

typedef struct edge {
	const char *a, *b;
	int want; /* -1, 0, 1 or E */
	int flags;
} edge;

/* --- deb: dpkg --compare-versions ----------------------------------------- */

static const edge deb_edges[] = {
	{"1.0", "1.0", 0, 0},
	{"1.0", "1.0.0", -1, 0},
	{"1.00", "1.0", 0, 0},
	{"1.2.3", "1.2.10", -1, 0},
	{"10", "9", 1, 0},
	{"1.000000000000000000000001", "1.1", 0, 0},
	{"1.99999999999999999999999", "1.99999999999999999999998", 1, 0},
	{"123456789012345678901234567890", "123456789012345678901234567891", -1, 0},
	/* '~' before the end, the end before letters, letters before the rest */
	{"1.0~rc1", "1.0", -1, 0},
	{"1.0~~", "1.0~", -1, 0},
	{"1.0~", "1.0", -1, 0},
	{"1.0~rc1", "1.0~rc2", -1, 0},
	{"1.0~rc1-1", "1.0-1", -1, 0},
	{"1.0", "1.0+", -1, 0},
	{"1.0a", "1.0+", -1, 0},
	{"1.0a", "1.0", 1, 0},
	{"1.0A", "1.0a", -1, 0},
	{"1.0+dfsg", "1.0.dfsg", -1, 0},
	{"1.0_1", "1.0+1", 1, 0},
	/* epochs */
	{"1:1.0", "2.0", 1, 0},
	{"0:1.0", "1.0", 0, 0},
	{"00001:1", "1:1", 0, 0},
	{"2147483647:1", "1", 1, 0},
	{"2147483648:1", "1", E, 0},
	{"99999999999999999999:1", "1", E, 0},
	{"+1:1", "1:1", 0, 0},
	{"-0:1", "1", 0, 0},
	{"\v1:2", "1:2", 0, 0},
	{"-1:1", "1", E, 0},
	{":1", "1", E, 0},
	{"1:", "1", E, 0},
	{"a:1", "1", E, 0},
	{"1.0:2", "1", E, 0},
	{"1:1:1", "1:1", 1, 0},
	/* revisions */
	{"1.0-1", "1.0-1.1", -1, 0},
	{"2.30-2", "2.30-10", -1, 0},
	{"1.0-0", "1.0", 0, 0},
	{"1.0-a", "1.0", 1, 0},
	{"1.0-~", "1.0", -1, 0},
	{"1.2-3-4", "1.2-3", 1, 0},
	{"1.0-1+deb12u1", "1.0-1", 1, 0},
	{"1.0-1~bpo11+1", "1.0-1", -1, 0},
	{"1.0-", "1", E, 0},
	{"-1", "1", E, 0},
	{"1:-1", "1", E, 0},
	{"1--1", "1-1", 1, 0},
	/* dpkg's "no version": earlier than any version, even "~" */
	{"", "~", -1, 0},
	{"", "", 0, 0},
	{"", "<unknown>", 0, 0},
	{"<unknown>", "0", -1, 0},
	{" <unknown>", "<unknown>", 1, 0},
	/* blanks: trimmed at the ends, refused inside */
	{" 1.0", "1.0", 0, 0},
	{"1.0 ", "1.0", 0, 0},
	{"1.0\t", "1.0", 0, NO_ORACLE},
	{"1 0", "1", E, 0},
	{"  ", "1", E, 0},
	/* dpkg warns but compares: no leading digit, odd bytes */
	{"abc", "1", 1, 0},
	{"~1", "1", -1, 0},
	{"1\xc3", "1a", 1, 0},
	{"1\xc3", "1.", -1, 0},
	{"1\x7f", "1\xc3", 1, 0},
	{"1%", "1=", -1, 0},
};

/* --- rpm: rpm.vercmp() ----------------------------------------------------- */

static const edge rpm_edges[] = {
	{"1.0", "1.0", 0, 0},
	{"1.0", "1.0.0", -1, 0},
	{"1.01", "1.1", 0, 0},
	{"1..1", "1.1", 0, 0},
	{"1.0.", "1.0", 0, 0},
	{"1_1", "1.1", 0, 0},
	{"1.0a", "1.0", 1, 0},
	{"1.0.1", "1.0a", 1, 0},
	{"a", "1", -1, 0},
	{"A", "a", -1, 0},
	{"1.99999999999999999999999", "1.100000000000000000000000", -1, 0},
	{"1\xc3", "1", 0, 0},
	/* '~' and '^' */
	{"1.0~rc1", "1.0", -1, 0},
	{"1.0~rc1", "1.0~rc2", -1, 0},
	{"1~", "1", -1, 0},
	{"1^", "1~", 1, 0},
	{"1.0^", "1.0", 1, 0},
	{"1.0^git1", "1.0", 1, 0},
	{"1.0^git1", "1.0.1", -1, 0},
	{"1.0^git1", "1.0~rc1", 1, 0},
	{"1.0~rc1^git1", "1.0~rc1", 1, 0},
	{"1.0^git1", "1.0^git2", -1, 0},
	/* epoch and release */
	{"1:1.0", "2.0", 1, 0},
	{"0:1.0", "1.0", 0, 0},
	{":1.0", "0:1.0", 0, 0},
	{"01:1", "1:1", 0, 0},
	{"1:", "1", 1, 0},
	{":", "0", -1, 0},
	{"a:1", "1", -1, 0},
	{"1.0", "1.0-0", -1, 0},
	{"1.0-", "1.0", 1, 0},
	{"1.0-1.el8", "1.0-1.el9", -1, 0},
	{"2.0.1", "2.0-1", 1, 0},
	{"1-2-3", "1-2", 1, 0},
	{"5.2-1:3", "5.2-1", 1, 0},
	/* rpm.vercmp refuses the empty string only */
	{"", "1", E, 0},
	{"1", "", E, 0},
	{" ", "", E, 0},
	{"%{foo}", "1", -1, 0},
};

/* --- apk: apk-tools src/version.c ------------------------------------------ */

static const edge apk_edges[] = {
	{"1.0", "1.0", 0, 0},
	{"1.0", "1.0-r0", -1, 0},
	{"1.0-r0", "1.0-r1", -1, 0},
	{"1.0-r01", "1.0-r1", 0, 0},
	{"1.0_alpha", "1.0_beta", -1, 0},
	{"1.0_rc1", "1.0", -1, 0},
	{"1.0_p1", "1.0", 1, 0},
	{"1.0_p01", "1.0_p1", 0, 0},
	{"1.0_git20240101", "1.0", 1, 0},
	{"1.0_alpha1", "1.0_alpha", 1, 0},
	{"1.0_alpha_pre", "1.0_alpha", -1, 0},
	{"1.0_alpha_p", "1.0_alpha1", 1, 0},
	{"1.05", "1.1", -1, 0},
	{"1.10", "1.9", 1, 0},
	{"1.010", "1.9", -1, 0},
	{"006", "6", 0, 0},
	{"1.0a", "1.0.1", -1, 0},
	{"1.0a", "1.0b", -1, 0},
	{"1.0a", "1.0", 1, 0},
	{"1.0~abc", "1.0", 1, 0},
	{"1.0~abc", "1.0~abd", -1, 0},
	{"1.0~abc-r1", "1.0~abc-r0", 1, 0},
	{"1.99999999999999999999999", "1.99999999999999999999998", 1, 0},
	{"99999999999999999999999", "99999999999999999999998", 1, 0},
	{"18446744073709551617", "1", 1, 0},
	/* apk_version_validate() refuses these; apk_version_compare() would not */
	{"", "1", E, 0},
	{"1.0bc", "1.0", E, 0},
	{"1.0_foo", "1.0", E, 0},
	{"a", "1", E, 0},
	{"1.0-r", "1.0", E, 0},
	{"1.0A", "1.0", E, 0},
	{"1.0 ", "1.0", E, 0},
	{"1.0-r1-r2", "1.0", E, 0},
	{"1.0~ABC", "1.0", E, 0},
	{"1..0", "1.0", E, 0},
	{"1.", "1", E, 0},
	{"1.0_", "1.0", E, 0},
	{"1.0a1", "1.0", E, 0},
};

/* --- helpers ---------------------------------------------------------------- */

/* v with non-printable bytes as \xNN, cut at 80 bytes; into buf. */
static const char *show(const char *v, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	for (i = 0; v[i] && o + 8 < bufsz; i++) {
		unsigned char c = (unsigned char)v[i];

		if (i == 80) {
			snprintf(buf + o, bufsz - o, "...");
			return buf;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

/* customs' answer as the oracle prints it: "-1", "0", "1" or "E". */
static const char *answer(const cs_version_scheme *s, const char *a, const char *b)
{
	cs_err err;
	int out = 0, rc;

	cs_err_clear(&err);
	rc = s->cmp(a, b, &out, &err);
	if (rc == CS_EFORMAT)
		return err.code == CS_EFORMAT && err.msg[0] ? "E" : "E(no message)";
	if (rc != 0)
		return "error";
	return out < 0 ? "-1" : out > 0 ? "1" : "0";
}

static const char *want_str(int want)
{
	return want == E ? "E" : want < 0 ? "-1" : want > 0 ? "1" : "0";
}

static const char *negate(const char *r)
{
	return !strcmp(r, "-1") ? "1" : !strcmp(r, "1") ? "-1" : r;
}

static void check_edges(const cs_version_scheme *s, const edge *t, size_t n)
{
	size_t i;
	char qa[400], qb[400];

	for (i = 0; i < n; i++) {
		const char *got = answer(s, t[i].a, t[i].b), *rev = answer(s, t[i].b, t[i].a);

		if (strcmp(got, want_str(t[i].want)) || strcmp(rev, negate(want_str(t[i].want)))) {
			fprintf(stderr, "  %s: '%s' vs '%s': got %s (reversed %s), expected %s\n", s->name,
				show(t[i].a, qa, sizeof(qa)), show(t[i].b, qb, sizeof(qb)), got, rev,
				want_str(t[i].want));
			test_failures++;
		}
	}
}

/* --- pairs and the reference run --------------------------------------------- */

typedef struct pairs {
	char **a, **b;
	int *want; /* expected answer from a table, or NO_WANT */
	size_t n, cap;
} pairs;

#define NO_WANT (-1000)

static void pairs_add(pairs *p, const char *a, const char *b, int want)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->a = realloc(p->a, p->cap * sizeof(*p->a));
		p->b = realloc(p->b, p->cap * sizeof(*p->b));
		p->want = realloc(p->want, p->cap * sizeof(*p->want));
		if (!p->a || !p->b || !p->want)
			abort();
	}
	p->a[p->n] = strdup(a);
	p->b[p->n] = strdup(b);
	if (!p->a[p->n] || !p->b[p->n])
		abort();
	p->want[p->n] = want;
	p->n++;
}

static void pairs_free(pairs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->a[i]);
		free(p->b[i]);
	}
	free(p->a);
	free(p->b);
	free(p->want);
	memset(p, 0, sizeof(*p));
}

static void add_edges(pairs *p, const edge *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!(t[i].flags & NO_ORACLE))
			pairs_add(p, t[i].a, t[i].b, t[i].want);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Runs tests/oracle/version.sh ORACLE over all pairs, once; *lines gets the
 * answers (malloc'd array of pointers into *buf). Returns false, with a
 * failed check, when the reference cannot run.
 */
static bool run_oracle(const char *oracle, const pairs *p, char ***lines, char **buf)
{
	char in[] = "/tmp/customs-vpairs-XXXXXX", outp[] = "/tmp/customs-vanswers-XXXXXX", cmd[256];
	int fd_in = mkstemp(in), fd_out = mkstemp(outp), status;
	size_t i, len = 0, n = 0;
	FILE *f;
	double t0;
	char *s;
	bool ok = false;

	*lines = NULL;
	*buf = NULL;
	if (fd_in < 0 || fd_out < 0 || !(f = fdopen(fd_in, "wb"))) {
		fprintf(stderr, "  cannot create temporary files for the %s reference\n", oracle);
		test_failures++;
		goto done;
	}
	fd_in = -1;
	for (i = 0; i < p->n; i++)
		fprintf(f, "%s\t%s\n", p->a[i], p->b[i]);
	if (fclose(f) != 0) {
		fprintf(stderr, "  cannot write %s\n", in);
		test_failures++;
		goto done;
	}
	snprintf(cmd, sizeof(cmd), "tests/oracle/version.sh %s < %s > %s", oracle, in, outp);
	t0 = now();
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr,
			"  the %s reference did not run (%s: status %d): install it (scripts/deps.sh test) "
			"and see tests/oracle/version.sh\n",
			oracle, cmd, status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status));
		test_failures++;
		goto done;
	}
	printf("  reference %s: %zu pairs in %.2f s\n", oracle, p->n, now() - t0);
	if (!(*buf = test_read_file(outp, &len))) {
		fprintf(stderr, "  cannot read %s\n", outp);
		test_failures++;
		goto done;
	}
	*lines = calloc(p->n + 1, sizeof(**lines));
	if (!*lines)
		abort();
	for (s = *buf; *s && n <= p->n; n++) {
		char *nl = strchr(s, '\n');

		if (n < p->n)
			(*lines)[n] = s;
		if (!nl)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	if (n != p->n) {
		fprintf(stderr, "  the %s reference gave %zu answers for %zu pairs\n", oracle, n, p->n);
		test_failures++;
		goto done;
	}
	ok = true;
done:
	if (fd_in >= 0)
		close(fd_in);
	if (fd_out >= 0)
		close(fd_out);
	if (getenv("CUSTOMS_KEEP_PAIRS") && ok)
		fprintf(stderr, "  kept the pairs in %s\n", in);
	else
		unlink(in);
	unlink(outp);
	return ok;
}

/*
 * Customs must answer every pair as the reference does, and the reference
 * must give every table entry its expected answer.
 */
static void check_against(const cs_version_scheme *s, const char *oracle, const pairs *p)
{
	char **lines, *buf, qa[400], qb[400];
	size_t i, bad = 0, bad_table = 0, seen[4] = {0};

	if (!run_oracle(oracle, p, &lines, &buf)) {
		free(lines);
		free(buf);
		return;
	}
	for (i = 0; i < p->n; i++) {
		const char *got = answer(s, p->a[i], p->b[i]);

		seen[!strcmp(lines[i], "-1") ? 0 : !strcmp(lines[i], "0") ? 1 : !strcmp(lines[i], "1") ? 2 : 3]++;

		if (strcmp(got, lines[i])) {
			if (bad++ < 10)
				fprintf(stderr, "  %s mismatch: '%s' vs '%s': customs %s, reference (%s) %s\n", s->name,
					show(p->a[i], qa, sizeof(qa)), show(p->b[i], qb, sizeof(qb)), got, oracle, lines[i]);
		}
		if (p->want[i] != NO_WANT && strcmp(want_str(p->want[i]), lines[i])) {
			if (bad_table++ < 10)
				fprintf(stderr, "  %s table entry '%s' vs '%s' expects %s, reference (%s) says %s\n",
					s->name, show(p->a[i], qa, sizeof(qa)), show(p->b[i], qb, sizeof(qb)),
					want_str(p->want[i]), oracle, lines[i]);
		}
	}
	printf("  %s answers: %zu older, %zu equal, %zu newer, %zu refused\n", oracle, seen[0], seen[1], seen[2],
	       seen[3]);
	/* a generator that only made refusals or ties would prove little */
	CHECK(seen[0] > p->n / 10 && seen[2] > p->n / 10 && seen[1] > p->n / 100);
	if (bad || bad_table) {
		fprintf(stderr, "  %s: %zu of %zu pairs differ from the %s reference, %zu table entries wrong\n",
			s->name, bad, p->n, oracle, bad_table);
		test_failures++;
	}
	free(lines);
	free(buf);
}

/* --- the generator ------------------------------------------------------------- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r) /* xorshift64* */
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static size_t pick(rng *r, size_t n)
{
	return (size_t)(next(r) >> 33) % n;
}

static bool chance(rng *r, unsigned percent)
{
	return pick(r, 100) < percent;
}

#define VMAX 400

typedef struct vbuf {
	char s[VMAX + 1];
	size_t n;
} vbuf;

static void put(vbuf *v, const char *s)
{
	size_t m = strlen(s);

	if (v->n + m > VMAX)
		m = VMAX - v->n;
	memcpy(v->s + v->n, s, m);
	v->n += m;
	v->s[v->n] = '\0';
}

static void put_any(vbuf *v, rng *r, const char *const *set, size_t n)
{
	put(v, set[pick(r, n)]);
}

#define PUT_ANY(v, r, set) put_any(v, r, set, CS_ARRAY_LEN(set))

/* A run of digits: short, with leading zeros, or long (up to 45 digits). */
static void put_number(vbuf *v, rng *r)
{
	static const char *const small[] = {"0", "1", "2", "3", "9", "10", "11", "99", "100", "01",
					    "001", "007", "09", "0", "20240101", "4294967296"};
	char d[64];
	size_t i, n;

	if (!chance(r, 12)) {
		PUT_ANY(v, r, small);
		return;
	}
	n = 17 + pick(r, 29);
	for (i = 0; i < n; i++)
		d[i] = (char)('0' + (i == 0 && chance(r, 70) ? 1 + pick(r, 9) : pick(r, 10)));
	d[n] = '\0';
	put(v, d);
}

/*
 * B from A: one to three edits that keep a shared prefix - a digit changed,
 * a byte or an atom inserted, a byte deleted, a cut, an atom appended, a
 * leading zero added, a letter's case flipped.
 */
static void mutate(const char *a, vbuf *out, rng *r, const char *const *atoms, size_t natoms, const char *bytes)
{
	size_t edits = 1 + pick(r, 3), k;

	out->n = 0;
	out->s[0] = '\0';
	put(out, a);
	for (k = 0; k < edits; k++) {
		size_t at = out->n ? pick(r, out->n + 1) : 0, m;
		char tail[VMAX + 1];
		const char *rev;

		switch (pick(r, 8)) {
		case 0: /* change a digit */
			for (m = 0; m < out->n; m++) {
				size_t i = (at + m) % (out->n ? out->n : 1);

				if (out->s[i] >= '0' && out->s[i] <= '9') {
					out->s[i] = (char)('0' + pick(r, 10));
					break;
				}
			}
			break;
		case 1: /* insert one byte */
		case 2: /* insert an atom */
			memcpy(tail, out->s + at, out->n - at + 1);
			out->n = at;
			out->s[at] = '\0';
			if ((k & 1) || pick(r, 2)) {
				char one[2] = {bytes[pick(r, strlen(bytes))], '\0'};
				put(out, one);
			} else {
				put_any(out, r, atoms, natoms);
			}
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
			if (rev && pick(r, 4)) {
				m = (size_t)(rev - out->s);
				memcpy(tail, out->s + m, out->n - m + 1);
				out->n = m;
				out->s[m] = '\0';
				put_any(out, r, atoms, natoms);
				put(out, tail);
			} else {
				put_any(out, r, atoms, natoms);
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
						out->s[m] = (char)('a' + pick(r, 6));
					break;
				}
			break;
		}
	}
}

typedef void (*gen_fn)(vbuf *v, rng *r);

/* Single bytes a mutation inserts (never \t \n \r or NUL), atoms it inserts or appends. */
static const char deb_bytes[] = "0123456789abzAZ..++~~-_%\xc3\x7f\x01:";
static const char *const deb_atoms[] = {
	"0", "1", "2", "10", "01", "a", "b", "z", "A", "Z", "rc", "beta", "dfsg", "git", "ubuntu", "deb", "bpo",
	".", ".", "+", "~", "~", "-", "-", ":", "_", "%", "@", "=", "\xc3", "\x7f", "~rc1", "+dfsg", "-1", "1:",
	".0", "+b1", "~~", "~bpo11+1",
};

static void gen_deb(vbuf *v, rng *r)
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

	v->n = 0;
	v->s[0] = '\0';
	if (chance(r, 3)) {
		PUT_ANY(v, r, odd);
		return;
	}
	if (chance(r, 3))
		put(v, " ");
	if (chance(r, 25))
		PUT_ANY(v, r, epochs);
	if (chance(r, 92))
		put_number(v, r);
	else
		PUT_ANY(v, r, words);
	parts = pick(r, 6);
	for (i = 0; i < parts; i++) {
		PUT_ANY(v, r, seps);
		if (chance(r, 65))
			put_number(v, r);
		else
			PUT_ANY(v, r, words);
	}
	if (chance(r, 50))
		PUT_ANY(v, r, revs);
	if (chance(r, 3))
		put(v, " ");
}

static const char rpm_bytes[] = "0123456789abzAZ..__+-~~^^:% \xc3";
static const char *const rpm_atoms[] = {
	"0", "1", "2", "10", "01", "a", "b", "Z", "rc", "el8", "el9", "fc38", "git", "beta", ".", ".", "_", "+",
	"-", "-", "~", "~", "^", "^", ":", "%", "\xc3", "~rc1", "^git1", "-1", "1:", ".0", "..",
};

static void gen_rpm(vbuf *v, rng *r)
{
	static const char *const epochs[] = {"1:", "0:", "2:", ":", "01:", "10:", "a:", "00:", "4294967296:"};
	static const char *const seps[] = {".", ".", ".", "_", "+", "~", "^", ":", "%", "\xc3", "..", ".~", "~^"};
	static const char *const words[] = {"a", "b", "z", "A", "Z", "rc", "beta", "alpha", "el", "el8", "fc",
					    "git", "svn", "pre", "post", "snap"};
	static const char *const rels[] = {"-1", "-0", "-1.el8", "-1.el9", "-0.1.rc1", "-", "-~", "-^", "-2.fc38",
					   "-10", "-1_1", "-a", "-1-2"};
	static const char *const odd[] = {"", " ", "~", "^", "-", ":", "a", "-1", "1:", ":-"};
	size_t parts, i;

	v->n = 0;
	v->s[0] = '\0';
	if (chance(r, 3)) {
		PUT_ANY(v, r, odd);
		return;
	}
	if (chance(r, 25))
		PUT_ANY(v, r, epochs);
	if (chance(r, 90))
		put_number(v, r);
	else
		PUT_ANY(v, r, words);
	parts = pick(r, 6);
	for (i = 0; i < parts; i++) {
		PUT_ANY(v, r, seps);
		if (chance(r, 60))
			put_number(v, r);
		else
			PUT_ANY(v, r, words);
	}
	if (chance(r, 50))
		PUT_ANY(v, r, rels);
}

static const char apk_bytes[] = "00123456789abcfz...";
static const char *const apk_atoms[] = {
	"0", "1", "10", "01", ".0", ".1", ".01", ".10", ".00", "a", "z", "_alpha", "_beta", "_pre", "_rc", "_cvs",
	"_svn", "_git", "_hg", "_p", "_p1", "_rc2", "_alpha0", "~abc", "~0f", "-r0", "-r1", "-r10", "-r01",
	"_foo", "~A", "-r", "A",
};

static void gen_apk(vbuf *v, rng *r)
{
	static const char *const sufs[] = {"_alpha", "_beta", "_pre", "_rc", "_cvs", "_svn", "_git", "_hg", "_p"};
	static const char *const letters[] = {"a", "b", "c", "p", "r", "z"};
	static const char *const hashes[] = {"~abc", "~0", "~1234abcd", "~fff", "~00"};
	static const char *const revs[] = {"-r0", "-r1", "-r2", "-r10", "-r01", "-r00"};
	static const char *const odd[] = {"", "a", "1.0bc", "23_foo", "1.0_", ".1", "1-r", "1~", "1.0 "};
	size_t parts, i;

	v->n = 0;
	v->s[0] = '\0';
	if (chance(r, 3)) {
		PUT_ANY(v, r, odd);
		return;
	}
	put_number(v, r);
	parts = pick(r, 5);
	for (i = 0; i < parts; i++) {
		put(v, ".");
		put_number(v, r);
	}
	if (chance(r, 20))
		PUT_ANY(v, r, letters);
	parts = chance(r, 40) ? 1 + pick(r, 2) : 0;
	for (i = 0; i < parts; i++) {
		PUT_ANY(v, r, sufs);
		if (chance(r, 60))
			put_number(v, r);
	}
	if (chance(r, 12))
		PUT_ANY(v, r, hashes);
	if (chance(r, 55))
		PUT_ANY(v, r, revs);
}

/* GENERATED pairs: 75 % B = A edited, 5 % B = A, 20 % independent. */
static void generate(pairs *p, uint64_t seed, gen_fn gen, const char *const *atoms, size_t natoms,
		     const char *bytes)
{
	rng r = {seed};
	vbuf a, b;
	size_t i;

	for (i = 0; i < GENERATED; i++) {
		size_t kind = pick(&r, 100);

		gen(&a, &r);
		if (kind < 75)
			mutate(a.s, &b, &r, atoms, natoms, bytes);
		else if (kind < 80)
			b = a;
		else
			gen(&b, &r);
		pairs_add(p, a.s, b.s, NO_WANT);
	}
}

/* --- tests ---------------------------------------------------------------------- */

TEST(deb_edges)
{
	check_edges(&cs_version_deb, deb_edges, CS_ARRAY_LEN(deb_edges));
}

TEST(rpm_edges)
{
	check_edges(&cs_version_rpm, rpm_edges, CS_ARRAY_LEN(rpm_edges));
}

TEST(apk_edges)
{
	check_edges(&cs_version_apk, apk_edges, CS_ARRAY_LEN(apk_edges));
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

/* Does answer r ("-1", "0", "1", "E") satisfy vector x? */
static bool apk_vec_ok(const apk_vec *x, const char *r)
{
	bool holds;

	if (x->op == 'v')
		return x->invert ? !strcmp(r, "E") : !strcmp(r, "0");
	if (apk_data_invalid(x->a) || apk_data_invalid(x->b))
		return !strcmp(r, "E");
	holds = (x->op == '<' && !strcmp(r, "-1")) || (x->op == '=' && !strcmp(r, "0")) ||
		(x->op == '>' && !strcmp(r, "1"));
	return strcmp(r, "E") && holds != x->invert;
}

TEST(apk_vectors)
{
	apk_vec *v = NULL;
	long n = read_apk_vectors(&v), i, checked = 0;
	char qa[400], qb[400];

	CHECK(n > 700);
	for (i = 0; i < n; i++) {
		const char *b = v[i].op == 'v' ? v[i].a : v[i].b;
		const char *r = answer(&cs_version_apk, v[i].a, b);

		if (!apk_vec_ok(&v[i], r)) {
			fprintf(stderr, "  apk-version.data: '%s' %s%c '%s': customs says %s\n", show(v[i].a, qa, sizeof(qa)),
				v[i].invert ? "!" : "", v[i].op, show(b, qb, sizeof(qb)), r);
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
	char **lines = NULL, *buf = NULL;

	CHECK(n > 700);
	for (i = 0; i < n; i++)
		pairs_add(&p, v[i].a, v[i].op == 'v' ? v[i].a : v[i].b, NO_WANT);
	if (n > 0 && run_oracle("apk", &p, &lines, &buf))
		for (i = 0; i < n; i++)
			if (!apk_vec_ok(&v[i], lines[i])) {
				fprintf(stderr, "  apk.py fails apk-version.data: '%s' %s%c '%s': says %s\n", v[i].a,
					v[i].invert ? "!" : "", v[i].op, p.b[i], lines[i]);
				test_failures++;
			}
	free(lines);
	free(buf);
	pairs_free(&p);
	free(v);
}

TEST(deb_reference)
{
	pairs p = {0}, sample = {0};
	size_t i;

	add_edges(&p, deb_edges, CS_ARRAY_LEN(deb_edges));
	generate(&p, 0x0DEB0DEB2024ULL, gen_deb, deb_atoms, CS_ARRAY_LEN(deb_atoms), deb_bytes);
	check_against(&cs_version_deb, "deb", &p);
	/* the dpkg binary itself, one fork per pair: every table entry and 1 in 8 */
	for (i = 0; i < p.n; i++)
		if (p.want[i] != NO_WANT || i % 8 == 0)
			pairs_add(&sample, p.a[i], p.b[i], p.want[i]);
	check_against(&cs_version_deb, "deb-dpkg", &sample);
	pairs_free(&sample);
	pairs_free(&p);
}

TEST(rpm_reference)
{
	pairs p = {0};

	add_edges(&p, rpm_edges, CS_ARRAY_LEN(rpm_edges));
	generate(&p, 0x00A7E5C0DEULL, gen_rpm, rpm_atoms, CS_ARRAY_LEN(rpm_atoms), rpm_bytes);
	check_against(&cs_version_rpm, "rpm", &p);
	pairs_free(&p);
}

TEST(apk_reference)
{
	pairs p = {0};

	add_edges(&p, apk_edges, CS_ARRAY_LEN(apk_edges));
	generate(&p, 0xA1914E5ULL, gen_apk, apk_atoms, CS_ARRAY_LEN(apk_atoms), apk_bytes);
	check_against(&cs_version_apk, "apk", &p);
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
	size_t big = 1 << 20, i;
	char *nines = malloc(big + 1), *eights = malloc(big + 1), *zeros = malloc(big + 2), *dots = malloc(big + 1);
	double t0 = now();

	if (!nines || !eights || !zeros || !dots)
		abort();
	memset(nines, '9', big);
	nines[big] = '\0';
	memcpy(eights, nines, big + 1);
	eights[big - 1] = '8';
	memset(zeros, '0', big);
	zeros[big] = '7';
	zeros[big + 1] = '\0';
	for (i = 0; i < big; i++)
		dots[i] = i % 2 ? '.' : '1';
	dots[big - 1] = '1';
	dots[big] = '\0';
	for (i = 0; i < CS_ARRAY_LEN(all); i++) {
		CHECK_STR(answer(all[i], nines, eights), "1");
		CHECK_STR(answer(all[i], eights, nines), "-1");
		CHECK_STR(answer(all[i], nines, nines), "0");
		CHECK_STR(answer(all[i], zeros, "7"), "0");
		CHECK_STR(answer(all[i], zeros, nines), "-1");
		CHECK_STR(answer(all[i], dots, dots), "0");
		CHECK_STR(answer(all[i], dots, "1.1"), "1");
	}
	/* a refused long string: the message quotes at most ~64 bytes */
	{
		cs_err err;
		int out;

		nines[big / 2] = ' ';
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
