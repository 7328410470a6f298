/*
 * vtest.h - the harness of the version-ordering tests (test_version_distro.c,
 * test_version_semver.c, test_version_lang.c).
 *
 * Each of them checks its comparators the same ways, with these pieces:
 *   - tables of hand-picked cases (vcase), run by check_cases(): every
 *     comparison is made both ways by compare(), which also checks the
 *     mirror image and the refusal's message;
 *   - pairs from a fixed-seed generator of the file's own (built with rng
 *     and sbuf), plus the tables' rows, put through the reference once
 *     (tests/oracle/version.sh ORACLE, one "A<TAB>B" line a pair) by
 *     check_pairs(): customs must give the reference's answer for every
 *     pair, and the reference each row's;
 *   - megabyte versions (repeat()) compared in linear time (check_long()).
 * What stays in each file belongs to its schemes: the tables, the
 * generators and their seeds, the oracle names, the summary lines.
 *
 * Header-only (static inline) like test.h, which it includes. For every
 * test that uses the reference:
 *   CUSTOMS_KEEP_PAIRS=1    keeps the pairs and answers files (both named
 *                           on stdout) to replay by hand, e.g.
 *                           tests/oracle/version.sh deb < /tmp/customs-vpairs-XXXXXX
 *   CUSTOMS_VPAIRS_SEED=N   other generated pairs (N is mixed into each
 *                           fixed seed; the default run is always the same)
 *   CUSTOMS_VPAIRS_N=COUNT  that many generated pairs per scheme
 */
#ifndef CS_VTEST_H
#define CS_VTEST_H

#include "core/compat.h"
#include "match/version.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/test.h"

/* --- answers ---------------------------------------------------------------- */

/*
 * An answer is -1, 0 or 1 as a scheme orders a and b, or one of these. The
 * reference prints -1, 0, 1 or E, one line a pair.
 */
#define E 2             /* refused: CS_EFORMAT from customs, "E" from the reference */
#define FAILED 3        /* customs failed otherwise */
#define GARBAGE 4       /* the reference printed something else */
#define NO_WANT (-1000) /* a pair without an expected answer (a generated one) */

#define MAX_MISMATCHES 10 /* differences printed per reference run */
#define SHOW_SZ 400       /* room for show(): 80 bytes as \xNN, and the length */
#define MB ((size_t)1 << 20)

typedef struct vcase {
	const char *a, *b;
	int want; /* -1, 0, 1 or E */
} vcase;

static inline int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* An answer as the reference prints it ("error" and "garbage" for the others). */
static inline const char *answer_str(int ans)
{
	return ans == E ? "E" : ans == FAILED ? "error" : ans == GARBAGE ? "garbage" : ans < 0 ? "-1" : ans > 0 ? "1" : "0";
}

/* A printable copy of s for messages: other bytes as \xNN, cut at 80 bytes (the length then said). */
static inline const char *show(const char *s, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	for (i = 0; s[i] && o + 8 < bufsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 80) {
			o += (size_t)snprintf(buf + o, bufsz - o, "...(%zu bytes)", strlen(s));
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", c);
	}
	buf[o < bufsz ? o : bufsz - 1] = '\0';
	return buf;
}

/*
 * s->cmp(a, b), and s->cmp(b, a) to check it: the answer (-1, 0, 1, E or
 * FAILED). Counts a failed check for a reversed answer that is not the
 * mirror image (refused one way only, or not the opposite sign), a
 * CS_EFORMAT whose message does not name the scheme and quote the version,
 * a success with an error recorded, and any failure but CS_EFORMAT.
 */
static inline int compare(const cs_version_scheme *s, const char *a, const char *b)
{
	cs_err e1, e2;
	int o1 = 7, o2 = 7, r1, r2, ans, rev;
	char qa[SHOW_SZ], qb[SHOW_SZ];

	cs_err_clear(&e1);
	cs_err_clear(&e2);
	r1 = s->cmp(a, b, &o1, &e1);
	r2 = s->cmp(b, a, &o2, &e2);
	ans = r1 == CS_EFORMAT ? E : r1 != 0 ? FAILED : sign(o1);
	rev = r2 == CS_EFORMAT ? E : r2 != 0 ? FAILED : sign(o2);
	if (r1 != r2 || (r1 == 0 && ans != -rev)) {
		fprintf(stderr, "  %s: not antisymmetric: cmp('%s', '%s') = %s, reversed %s\n", s->name,
			show(a, qa, sizeof(qa)), show(b, qb, sizeof(qb)), answer_str(ans), answer_str(rev));
		test_failures++;
	}
	if (r1 == CS_EFORMAT && (e1.code != CS_EFORMAT || !strstr(e1.msg, s->name) || !strchr(e1.msg, '\''))) {
		fprintf(stderr, "  %s: '%s' vs '%s' refused without a proper message: \"%s\"\n", s->name,
			show(a, qa, sizeof(qa)), show(b, qb, sizeof(qb)), e1.msg);
		test_failures++;
	}
	if (r1 == 0 && e1.code != CS_OK) {
		fprintf(stderr, "  %s: success with an error recorded: '%s'\n", s->name, e1.msg);
		test_failures++;
	}
	if (ans == FAILED) {
		fprintf(stderr, "  %s: '%s' vs '%s': unexpected return %d\n", s->name, show(a, qa, sizeof(qa)),
			show(b, qb, sizeof(qb)), r1);
		test_failures++;
	}
	return ans;
}

static inline void check_cases(const cs_version_scheme *s, const vcase *cases, size_t n)
{
	char qa[SHOW_SZ], qb[SHOW_SZ];
	size_t i;

	for (i = 0; i < n; i++) {
		int got = compare(s, cases[i].a, cases[i].b);

		if (got != cases[i].want) {
			fprintf(stderr, "  %s: '%s' vs '%s': got %s, want %s\n", s->name, show(cases[i].a, qa, sizeof(qa)),
				show(cases[i].b, qb, sizeof(qb)), answer_str(got), answer_str(cases[i].want));
			test_failures++;
		}
	}
}

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- megabyte versions -------------------------------------------------------- */

/* head, then s (not empty) again and again until there are n bytes or more, then tail: malloc'd. */
static inline char *repeat(const char *head, const char *s, size_t n, const char *tail)
{
	size_t hl = strlen(head), sl = strlen(s), tl = strlen(tail), len = hl, o;
	char *out;

	if (len < n)
		len += (n - hl + sl - 1) / sl * sl;
	if (!(out = malloc(len + tl + 1)))
		abort();
	memcpy(out, head, hl);
	for (o = hl; o < len; o += sl)
		memcpy(out + o, s, sl);
	memcpy(out + len, tail, tl + 1);
	return out;
}

/* compare() on long versions: the answer must be want, and come fast (linear work). */
static inline void check_long(const cs_version_scheme *s, const char *a, const char *b, int want)
{
	double t0 = now();
	int got = compare(s, a, b);
	double dt = now() - t0;
	char qa[SHOW_SZ], qb[SHOW_SZ];

	if (got != want) {
		fprintf(stderr, "  %s: long '%s' vs '%s' = %s, want %s\n", s->name, show(a, qa, sizeof(qa)),
			show(b, qb, sizeof(qb)), answer_str(got), answer_str(want));
		test_failures++;
	}
	if (dt > 2.0) {
		fprintf(stderr, "  %s: long comparison took %.2f s\n", s->name, dt);
		test_failures++;
	}
}

/* --- generators' tools --------------------------------------------------------- */

/*
 * A fixed-seed pseudo-random stream: the high 31 bits of xorshift64*, or,
 * with plain set, the whole of plain xorshift64 (13, 7, 17), the stream
 * test_version_semver.c's pairs are drawn from. Changing either changes
 * every generated pair.
 */
typedef struct rng {
	uint64_t s; /* the state, never 0 */
	bool plain;
} rng;

static inline uint64_t next(rng *r)
{
	if (r->plain) {
		r->s ^= r->s << 13;
		r->s ^= r->s >> 7;
		r->s ^= r->s << 17;
		return r->s;
	}
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (r->s * 0x2545F4914F6CDD1DULL) >> 33;
}

/* 0 to n - 1. */
static inline unsigned below(rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

static inline bool chance(rng *r, unsigned percent)
{
	return below(r, 100) < percent;
}

#define PICK(r, list) ((list)[below((r), CS_ARRAY_LEN(list))])

#define SBUF_MAX 2048

/* A version being built, cut to SBUF_MAX bytes (generated ones stay far below). */
typedef struct sbuf {
	char s[SBUF_MAX + 1];
	size_t n;
} sbuf;

static inline void sbuf_clear(sbuf *b)
{
	b->n = 0;
	b->s[0] = '\0';
}

/* Appends s[0..n), which may lie inside b. */
static inline void put_n(sbuf *b, const char *s, size_t n)
{
	if (n > SBUF_MAX - b->n)
		n = SBUF_MAX - b->n;
	memmove(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static inline void put(sbuf *b, const char *s)
{
	put_n(b, s, strlen(s));
}

static inline void putch(sbuf *b, char c)
{
	put_n(b, &c, 1);
}

/* n random digits, the first not 0 unless lead_zero_ok. */
static inline void digits(rng *r, sbuf *b, unsigned n, bool lead_zero_ok)
{
	unsigned i;

	for (i = 0; i < n; i++)
		putch(b, (char)('0' + (i == 0 && !lead_zero_ok ? 1 + below(r, 9) : below(r, 10))));
}

/* seed, or with CUSTOMS_VPAIRS_SEED set another one mixed from both; never 0. */
static inline uint64_t vpairs_seed(uint64_t seed)
{
	const char *env = getenv("CUSTOMS_VPAIRS_SEED");

	if (env && *env)
		seed ^= strtoull(env, NULL, 0) * 0x9E3779B97F4A7C15ULL;
	return seed ? seed : 1;
}

/* n, or CUSTOMS_VPAIRS_N when set. */
static inline size_t vpairs_count(size_t n)
{
	const char *env = getenv("CUSTOMS_VPAIRS_N");

	return env && *env ? (size_t)strtoul(env, NULL, 0) : n;
}

/* --- pairs and the reference run -------------------------------------------------- */

/* The pairs to put through the reference. */
typedef struct pairs {
	char **a, **b; /* malloc'd copies */
	int *want;     /* the table's answer, or NO_WANT */
	size_t n, cap;
} pairs;

static inline void *vtest_realloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q)
		abort();
	return q;
}

static inline void pairs_add_want(pairs *p, const char *a, const char *b, int want)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->a = vtest_realloc(p->a, p->cap * sizeof(*p->a));
		p->b = vtest_realloc(p->b, p->cap * sizeof(*p->b));
		p->want = vtest_realloc(p->want, p->cap * sizeof(*p->want));
	}
	p->a[p->n] = strdup(a);
	p->b[p->n] = strdup(b);
	if (!p->a[p->n] || !p->b[p->n])
		abort();
	p->want[p->n] = want;
	p->n++;
}

static inline void pairs_add(pairs *p, const char *a, const char *b)
{
	pairs_add_want(p, a, b, NO_WANT);
}

/* Can s travel in the reference's line format? */
static inline bool line_safe(const char *s)
{
	return strpbrk(s, "\t\n") == NULL;
}

/* The table's rows that fit the line format, with their answers. */
static inline void pairs_add_cases(pairs *p, const vcase *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (line_safe(cases[i].a) && line_safe(cases[i].b))
			pairs_add_want(p, cases[i].a, cases[i].b, cases[i].want);
}

static inline void pairs_free(pairs *p)
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

/*
 * Runs tests/oracle/version.sh ORACLE over all pairs, once, from the top of
 * the tree (where `make unit` runs tests). Returns a malloc'd array of
 * p->n answers (-1, 0, 1, E or GARBAGE); NULL, with the reason printed and
 * a failed check counted, when the reference cannot run or answers short.
 */
static inline int *run_oracle(const char *oracle, const pairs *p)
{
	char in[] = "/tmp/customs-vpairs-XXXXXX", outp[] = "/tmp/customs-vanswers-XXXXXX", cmd[256], *text = NULL;
	int fd_in = mkstemp(in), fd_out = mkstemp(outp), status, *ans = NULL;
	bool made_in = fd_in >= 0, made_out = fd_out >= 0, keep = getenv("CUSTOMS_KEEP_PAIRS") != NULL;
	size_t i, k = 0;
	FILE *f = NULL;
	double t0;

	if (made_out)
		close(fd_out);
	if (!made_in || !made_out || !(f = fdopen(fd_in, "w"))) {
		fprintf(stderr, "  cannot create temporary files for the %s reference\n", oracle);
		if (made_in)
			close(fd_in);
		goto done;
	}
	for (i = 0; i < p->n; i++)
		fprintf(f, "%s\t%s\n", p->a[i], p->b[i]);
	if (fclose(f) != 0) {
		fprintf(stderr, "  cannot write '%s'\n", in);
		goto done;
	}
	snprintf(cmd, sizeof(cmd), "tests/oracle/version.sh %s < %s > %s", oracle, in, outp);
	t0 = now();
	status = system(cmd);
	if (status != 0) {
		fprintf(stderr,
			"  the %s reference did not run ('%s' exited %d): install it with scripts/deps.sh test, "
			"and see tests/oracle/version.sh\n",
			oracle, cmd, status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status));
		goto done;
	}
	printf("  reference %s: %zu pairs in %.2f s\n", oracle, p->n, now() - t0);
	if (!(text = test_read_file(outp, NULL))) {
		fprintf(stderr, "  cannot read the %s reference's answers\n", oracle);
		goto done;
	}
	if (!(ans = calloc(p->n ? p->n : 1, sizeof(*ans))))
		abort();
	for (char *line = text, *nl; *line; line = nl + 1) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (k < p->n)
			ans[k] = !strcmp(line, "-1") ? -1
				 : !strcmp(line, "0") ? 0
				 : !strcmp(line, "1") ? 1
				 : !strcmp(line, "E") ? E
						      : GARBAGE;
		k++; /* extra answers count too: the line count must be exact */
		if (!nl)
			break;
	}
	if (k != p->n) {
		fprintf(stderr, "  the %s reference gave %zu answers for %zu pairs\n", oracle, k, p->n);
		free(ans);
		ans = NULL;
	}
done:
	free(text);
	if (keep && made_in && made_out) {
		printf("  kept the pairs in %s, the answers in %s\n", in, outp);
	} else {
		if (made_in)
			unlink(in);
		if (made_out)
			unlink(outp);
	}
	if (!ans)
		test_failures++;
	return ans;
}

/* What check_pairs() saw, for the caller's summary line. */
typedef struct vtally {
	size_t n;                            /* pairs */
	size_t older, equal, newer, refused; /* the reference's answers */
	size_t bad;                          /* pairs customs answers otherwise */
	size_t bad_table;                    /* table rows the reference answers otherwise */
} vtally;

/*
 * Puts p through the ORACLE reference, and compare()s every pair: customs
 * must give the reference's answer (the first MAX_MISMATCHES differences
 * are printed), and the reference a table row's. A generator that made
 * mostly refusals or ties would prove little, so the reference must answer
 * "older" and "newer" for more than a tenth of the pairs each, "equal" for
 * more than a hundredth. False, with the failure counted, when the
 * reference did not run.
 */
static inline bool check_pairs(const cs_version_scheme *s, const char *oracle, const pairs *p, vtally *t)
{
	char qa[SHOW_SZ], qb[SHOW_SZ];
	int *ans = run_oracle(oracle, p);
	size_t i;

	memset(t, 0, sizeof(*t));
	t->n = p->n;
	if (!ans)
		return false;
	for (i = 0; i < p->n; i++) {
		int got = compare(s, p->a[i], p->b[i]);

		t->older += ans[i] == -1;
		t->equal += ans[i] == 0;
		t->newer += ans[i] == 1;
		t->refused += ans[i] == E;
		if (got != ans[i] && t->bad++ < MAX_MISMATCHES)
			fprintf(stderr, "  %s: '%s' vs '%s': customs %s, reference %s %s\n", s->name,
				show(p->a[i], qa, sizeof(qa)), show(p->b[i], qb, sizeof(qb)), answer_str(got), oracle,
				answer_str(ans[i]));
		if (p->want[i] != NO_WANT && p->want[i] != ans[i] && t->bad_table++ < MAX_MISMATCHES)
			fprintf(stderr, "  %s: table row '%s' vs '%s' wants %s, reference %s says %s\n", s->name,
				show(p->a[i], qa, sizeof(qa)), show(p->b[i], qb, sizeof(qb)), answer_str(p->want[i]),
				oracle, answer_str(ans[i]));
	}
	CHECK(t->older > p->n / 10 && t->newer > p->n / 10 && t->equal > p->n / 100);
	if (t->bad || t->bad_table) {
		fprintf(stderr, "  %s: %zu of %zu pairs differ from the %s reference, %zu table rows wrong\n", s->name,
			t->bad, p->n, oracle, t->bad_table);
		test_failures++;
	}
	free(ans);
	return true;
}

#endif
