/*
 * version_apk.c - Alpine package version ordering ("apk"), as apk-tools
 * does it.
 *
 * A version is digits{.digits}[letter]{_suffix[digits]}[~hash][-rdigits],
 * suffixes being alpha, beta, pre, rc (before the plain release) and cvs,
 * svn, git, hg, p (after it). The reference is apk-tools' src/version.c
 * (apk_version_validate(), apk_version_compare()): both versions are read
 * as the same sequence of typed tokens and compared token by token while
 * the types agree; the first number compares numerically, a later
 * "."-number as a string when either side starts with '0' (Gentoo's rule,
 * so 1.05 < 1.1) and numerically otherwise; suffix and revision numbers
 * numerically; a letter by its byte; a suffix by its rank; a ~hash as a
 * string. When the types differ, a pre-release suffix is older, else the
 * token type later in the grammar is older (1.0a < 1.0.1, 1.0 < 1.0-r1).
 *
 * apk_version_compare() also orders strings that apk_version_validate()
 * refuses (it stops at the first bad token); customs refuses them instead,
 * with CS_EFORMAT, so a matcher never acts on a half-read version. Numbers
 * compare as exact integers of any length, never via a 64-bit value (apk
 * wraps past 2^64). See docs/versions.md.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

/* Token types in grammar order: a later type is an older version. */
enum {
	TOK_INITIAL_DIGIT,
	TOK_DIGIT,
	TOK_LETTER,
	TOK_SUFFIX,
	TOK_SUFFIX_NO,
	TOK_COMMIT_HASH,
	TOK_REVISION_NO,
	TOK_END,
	TOK_INVALID,
};

/* Suffix ranks; those below SUF_NONE mark a pre-release. */
enum { SUF_INVALID, SUF_ALPHA, SUF_BETA, SUF_PRE, SUF_RC, SUF_NONE, SUF_CVS, SUF_SVN, SUF_GIT, SUF_HG, SUF_P };

typedef struct apk_tok {
	int type;
	int suffix;      /* SUF_*, for TOK_SUFFIX */
	const char *p;   /* the token's text (digits, letter, suffix name, hash), borrowed */
	size_t n;
	const char *at;  /* rest of the version to read */
} apk_tok;

static int suffix_rank(const char *p, size_t n)
{
	static const struct {
		const char *name;
		int rank;
	} names[] = {
		{"alpha", SUF_ALPHA}, {"beta", SUF_BETA}, {"pre", SUF_PRE}, {"rc", SUF_RC}, {"cvs", SUF_CVS},
		{"svn", SUF_SVN},     {"git", SUF_GIT},   {"hg", SUF_HG},   {"p", SUF_P},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(names); i++)
		if (strlen(names[i].name) == n && !memcmp(names[i].name, p, n))
			return names[i].rank;
	return SUF_INVALID;
}

/* Reads a run of digits into t (TOK_INVALID when there is none). */
static void read_digits(apk_tok *t)
{
	const char *s = t->at;

	while (cs_vutil_is_digit(*t->at))
		t->at++;
	t->p = s;
	t->n = (size_t)(t->at - s);
	if (!t->n)
		t->type = TOK_INVALID;
}

static void tok_first(apk_tok *t, const char *s)
{
	t->type = TOK_INITIAL_DIGIT;
	t->suffix = SUF_INVALID;
	t->at = s;
	read_digits(t);
}

/* Advances t to the next token; the previous type decides what may follow. */
static void tok_next(apk_tok *t)
{
	char c = *t->at;

	if (!c) {
		t->type = TOK_END;
		return;
	}
	if (c >= 'a' && c <= 'z') {
		if (t->type > TOK_DIGIT)
			goto invalid;
		t->p = t->at++;
		t->n = 1;
		t->type = TOK_LETTER;
	} else if (c == '.' || cs_vutil_is_digit(c)) {
		if (c == '.' && t->type > TOK_DIGIT)
			goto invalid;
		if (t->type == TOK_INITIAL_DIGIT || t->type == TOK_DIGIT)
			t->type = TOK_DIGIT;
		else if (t->type == TOK_SUFFIX)
			t->type = TOK_SUFFIX_NO;
		else
			goto invalid;
		if (c == '.')
			t->at++;
		read_digits(t);
	} else if (c == '_') {
		if (t->type > TOK_SUFFIX_NO)
			goto invalid;
		t->p = ++t->at;
		while (*t->at >= 'a' && *t->at <= 'z')
			t->at++;
		t->n = (size_t)(t->at - t->p);
		t->suffix = suffix_rank(t->p, t->n);
		if (t->suffix == SUF_INVALID)
			goto invalid;
		t->type = TOK_SUFFIX;
	} else if (c == '~') {
		if (t->type >= TOK_COMMIT_HASH)
			goto invalid;
		t->p = ++t->at;
		while (cs_vutil_is_digit(*t->at) || (*t->at >= 'a' && *t->at <= 'f'))
			t->at++;
		t->n = (size_t)(t->at - t->p);
		if (!t->n)
			goto invalid;
		t->type = TOK_COMMIT_HASH;
	} else if (c == '-') {
		if (t->type >= TOK_REVISION_NO || t->at[1] != 'r')
			goto invalid;
		t->at += 2;
		t->type = TOK_REVISION_NO;
		read_digits(t);
	} else {
		goto invalid;
	}
	return;
invalid:
	t->type = TOK_INVALID;
}

/* apk_version_validate(): does s read as tokens up to the end? */
static bool valid(const char *s)
{
	apk_tok t;

	for (tok_first(&t, s); t.type < TOK_END; tok_next(&t))
		;
	return t.type == TOK_END;
}

/* token_cmp() for two tokens of the same type. */
static int tok_cmp(const apk_tok *a, const apk_tok *b)
{
	switch (a->type) {
	case TOK_DIGIT:
		if (a->p[0] == '0' || b->p[0] == '0')
			return cs_vutil_cmp_bytes(a->p, a->n, b->p, b->n);
		return cs_vutil_cmp_number(a->p, a->n, b->p, b->n);
	case TOK_INITIAL_DIGIT:
	case TOK_SUFFIX_NO:
	case TOK_REVISION_NO:
		return cs_vutil_cmp_number(a->p, a->n, b->p, b->n);
	case TOK_LETTER:
		return a->p[0] == b->p[0] ? 0 : a->p[0] < b->p[0] ? -1 : 1;
	case TOK_SUFFIX:
		return a->suffix == b->suffix ? 0 : a->suffix < b->suffix ? -1 : 1;
	default: /* TOK_COMMIT_HASH */
		return cs_vutil_cmp_bytes(a->p, a->n, b->p, b->n);
	}
}

static int apk_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	apk_tok ta, tb;
	char q[80];
	int rc;

	*out = 0;
	if (!valid(a) || !valid(b))
		return cs_err_set(err, CS_EFORMAT, "invalid apk version '%s': not digits{.digits}[a-z]{_suffix[N]}[~hash][-rN]",
				  cs_vutil_quote(valid(a) ? b : a, q, sizeof(q)));
	for (tok_first(&ta, a), tok_first(&tb, b); ta.type == tb.type && ta.type < TOK_END; tok_next(&ta), tok_next(&tb))
		if ((rc = tok_cmp(&ta, &tb))) {
			*out = rc;
			return 0;
		}
	if (ta.type == tb.type)
		rc = 0;
	else if (ta.type == TOK_SUFFIX && ta.suffix < SUF_NONE)
		rc = -1;
	else if (tb.type == TOK_SUFFIX && tb.suffix < SUF_NONE)
		rc = 1;
	else
		rc = ta.type > tb.type ? -1 : 1;
	*out = rc;
	return 0;
}

const cs_version_scheme cs_version_apk = {"apk", apk_cmp};
