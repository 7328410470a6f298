/*
 * spdxlic.c - SPDX license ids and expressions (see spdxlic.h).
 *
 * The expression parser follows SPDX 2.3 Annex D: WITH binds tighter than
 * AND, AND tighter than OR, parentheses group; WITH takes a simple
 * expression on its left and an exception id on its right. It rebuilds the
 * expression in canonical form while it checks it, so what the writers put
 * in a document is exactly what was checked.
 */
#include "core/compat.h"
#include "report/spdxlic.h"
#include "core/buf.h"
#include "core/error.h"

#include <strings.h>

#include "report/spdx_licenses.inc"

const char cs_spdx_list_version[] = CS_SPDX_LIST_VERSION;

/* Deeper nesting than this is not a license anyone wrote: free text. */
#define LIC_MAX_DEPTH 32

static const char *find_id(const char *const *ids, size_t n, const char *s, size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncasecmp(ids[mid], s, len);

		if (c == 0 && ids[mid][len] != '\0')
			c = 1; /* ids[mid] is longer: it sorts after s */
		if (c == 0)
			return ids[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *cs_spdx_license_id(const char *s)
{
	return s ? find_id(spdx_license_ids, CS_ARRAY_LEN(spdx_license_ids), s, strlen(s)) : NULL;
}

const char *cs_spdx_exception_id(const char *s)
{
	return s ? find_id(spdx_exception_ids, CS_ARRAY_LEN(spdx_exception_ids), s, strlen(s)) : NULL;
}

/* --- the parser ----------------------------------------------------------- */

typedef struct lexer {
	const char *p;   /* next unread byte */
	const char *tok; /* current token: "(" ")" or a word */
	size_t len;
	cs_buf *out;
	int depth;
	bool bad;        /* not an expression */
	bool oom;
} lexer;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void next(lexer *l)
{
	while (is_blank(*l->p))
		l->p++;
	l->tok = l->p;
	if (*l->p == '(' || *l->p == ')') {
		l->p++;
	} else {
		while (*l->p && !is_blank(*l->p) && *l->p != '(' && *l->p != ')')
			l->p++;
	}
	l->len = (size_t)(l->p - l->tok);
}

static bool tok_is(const lexer *l, const char *upper)
{
	size_t n = strlen(upper), i;
	bool all_up = true, all_low = true;

	if (l->len != n)
		return false;
	for (i = 0; i < n; i++) {
		all_up = all_up && l->tok[i] == upper[i];
		all_low = all_low && l->tok[i] == upper[i] - 'A' + 'a';
	}
	return all_up || all_low;
}

static bool is_operator(const lexer *l)
{
	return tok_is(l, "AND") || tok_is(l, "OR") || tok_is(l, "WITH");
}

static void emit(lexer *l, const char *s, size_t n)
{
	if (cs_buf_append(l->out, s, n) < 0)
		l->oom = true;
}

/* idstring = 1*(ALPHA / DIGIT / "-" / "." ) */
static bool idstring(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '.'))
			return false;
	}
	return true;
}

/* A LicenseRef-x or DocumentRef-x:LicenseRef-y word, emitted with the prefixes spelt as the spec does. */
static bool license_ref(lexer *l, const char *w, size_t n)
{
	const char *colon;

	if (n > 12 && strncasecmp(w, "DocumentRef-", 12) == 0 && (colon = memchr(w, ':', n))) {
		size_t dn = (size_t)(colon - w) - 12;

		if (!idstring(w + 12, dn))
			return false;
		emit(l, "DocumentRef-", 12);
		emit(l, w + 12, dn);
		emit(l, ":", 1);
		n -= (size_t)(colon + 1 - w);
		w = colon + 1;
	}
	if (n > 11 && strncasecmp(w, "LicenseRef-", 11) == 0 && idstring(w + 11, n - 11)) {
		emit(l, "LicenseRef-", 11);
		emit(l, w + 11, n - 11);
		return true;
	}
	return false;
}

/* simple-expression: license-id, license-id "+", or a license reference. */
static bool simple(lexer *l)
{
	const char *id;

	if (l->len == 0 || *l->tok == '(' || *l->tok == ')' || is_operator(l))
		return false;
	if ((id = find_id(spdx_license_ids, CS_ARRAY_LEN(spdx_license_ids), l->tok, l->len))) {
		emit(l, id, strlen(id));
	} else if (l->len > 1 && l->tok[l->len - 1] == '+' &&
		   (id = find_id(spdx_license_ids, CS_ARRAY_LEN(spdx_license_ids), l->tok, l->len - 1))) {
		emit(l, id, strlen(id));
		emit(l, "+", 1);
	} else if (!license_ref(l, l->tok, l->len)) {
		return false;
	}
	next(l);
	return true;
}

static bool or_expr(lexer *l, bool *top_op);

/* with-expression: "(" or-expression ")" | simple ["WITH" exception-id] */
static bool with_expr(lexer *l)
{
	const char *ex;

	if (l->len == 1 && *l->tok == '(') {
		bool inner;

		if (++l->depth > LIC_MAX_DEPTH)
			return false;
		emit(l, "(", 1);
		next(l);
		if (!or_expr(l, &inner) || !(l->len == 1 && *l->tok == ')'))
			return false;
		emit(l, ")", 1);
		next(l);
		l->depth--;
		return true;
	}
	if (!simple(l))
		return false;
	if (tok_is(l, "WITH")) {
		next(l);
		if (!(ex = find_id(spdx_exception_ids, CS_ARRAY_LEN(spdx_exception_ids), l->tok, l->len)))
			return false;
		emit(l, " WITH ", 6);
		emit(l, ex, strlen(ex));
		next(l);
	}
	return true;
}

static bool and_expr(lexer *l, bool *top_op)
{
	if (!with_expr(l))
		return false;
	while (tok_is(l, "AND")) {
		*top_op = true;
		emit(l, " AND ", 5);
		next(l);
		if (!with_expr(l))
			return false;
	}
	return true;
}

static bool or_expr(lexer *l, bool *top_op)
{
	*top_op = false;
	if (!and_expr(l, top_op))
		return false;
	while (tok_is(l, "OR")) {
		*top_op = true;
		emit(l, " OR ", 4);
		next(l);
		if (!and_expr(l, top_op))
			return false;
	}
	return true;
}

int cs_lic_classify(cs_lic *out, cs_arena *a, const char *s)
{
	cs_buf buf = CS_BUF_INIT;
	lexer l = {0};
	const char *end;
	size_t n;
	bool top_op = false, ok;
	char *text;

	s = s ? s : "";
	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	n = (size_t)(end - s);
	out->kind = CS_LIC_NAME;
	out->compound = false;
	if (!(out->text = cs_arena_strndup(a, s, n)))
		return CS_ENOMEM;
	if (n == 0)
		return 0;
	l.p = out->text;
	l.out = &buf;
	next(&l);
	ok = or_expr(&l, &top_op) && l.len == 0;
	if (l.oom) {
		cs_buf_release(&buf);
		return CS_ENOMEM;
	}
	if (ok) {
		if (!(text = cs_arena_strndup(a, buf.data, buf.len))) {
			cs_buf_release(&buf);
			return CS_ENOMEM;
		}
		out->text = text;
		out->compound = top_op;
		out->kind = cs_spdx_license_id(text) ? CS_LIC_ID : CS_LIC_EXPR;
	}
	cs_buf_release(&buf);
	return 0;
}
