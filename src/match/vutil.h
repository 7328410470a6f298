/*
 * vutil.h - small helpers the version comparators (version_*.c) and the
 * CVSS parser share: quoting untrusted text for error messages, the
 * "invalid <scheme> version" error, ASCII character classes and comparing
 * digit strings as numbers of any length. Nothing here allocates; every
 * function is pure and thread-safe. Each scheme's own quirks (its
 * whitespace, its notion of a letter, how it caps numbers) stay in its file.
 */
#ifndef CS_VUTIL_H
#define CS_VUTIL_H

#include "core/compat.h"
#include "core/error.h"

/*
 * A printable copy of [p, p + n) for messages: bytes outside 0x20..0x7e
 * become '?', and after max bytes the copy ends with "...". Writes at most
 * bufsz bytes (bufsz >= 5) and returns buf.
 */
const char *cs_vutil_quote_n(const char *p, size_t n, size_t max, char *buf, size_t bufsz);

/* cs_vutil_quote_n() of the string v, at most 64 bytes. */
const char *cs_vutil_quote(const char *v, char *buf, size_t bufsz);

/*
 * Sets CS_EFORMAT "invalid <scheme> version '<v quoted>': <why>" in err and
 * returns CS_EFORMAT.
 */
int cs_vutil_bad(cs_err *err, const char *scheme, const char *v, const char *why);

static inline bool cs_vutil_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ASCII letters only, whatever the locale. */
static inline bool cs_vutil_is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool cs_vutil_is_alnum(int c)
{
	return cs_vutil_is_digit(c) || cs_vutil_is_alpha(c);
}

/* A SemVer identifier character: [0-9A-Za-z-]. */
static inline bool cs_vutil_is_ident(int c)
{
	return cs_vutil_is_alnum(c) || c == '-';
}

/* ASCII lower case; other bytes unchanged. */
static inline char cs_vutil_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
}

/* -1, 0 or 1 as c is negative, zero or positive. */
static inline int cs_vutil_sign(int c)
{
	return (c > 0) - (c < 0);
}

/* Whether [s, s + n) is all ASCII digits (true for n == 0). */
bool cs_vutil_all_digits(const char *s, size_t n);

/*
 * Two digit strings without leading zeros, as numbers of any length: by
 * length, then by digits. -1, 0 or 1; two empty strings are equal.
 */
int cs_vutil_cmp_digits(const char *a, size_t an, const char *b, size_t bn);

/*
 * The same for digit strings that may have leading zeros (they are
 * skipped first); the empty string is 0.
 */
int cs_vutil_cmp_number(const char *a, size_t an, const char *b, size_t bn);

/* Byte strings by memcmp, then the shorter (a prefix) first: -1, 0 or 1. */
int cs_vutil_cmp_bytes(const char *a, size_t an, const char *b, size_t bn);

#endif
