/*
 * vutil.c - helpers shared by the version comparators; see vutil.h.
 */
#include "core/compat.h"
#include "match/vutil.h"

const char *cs_vutil_quote_n(const char *p, size_t n, size_t max, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 < bufsz; i++) {
		unsigned char c = (unsigned char)p[i];

		if (i == max) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[o] = '\0';
	return buf;
}

const char *cs_vutil_quote(const char *v, char *buf, size_t bufsz)
{
	return cs_vutil_quote_n(v, strlen(v), 64, buf, bufsz);
}

int cs_vutil_bad(cs_err *err, const char *scheme, const char *v, const char *why)
{
	char q[80];

	return cs_err_set(err, CS_EFORMAT, "invalid %s version '%s': %s", scheme, cs_vutil_quote(v, q, sizeof(q)), why);
}

bool cs_vutil_all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!cs_vutil_is_digit(s[i]))
			return false;
	return true;
}

int cs_vutil_cmp_digits(const char *a, size_t an, const char *b, size_t bn)
{
	int c;

	if (an != bn)
		return an < bn ? -1 : 1;
	if (an == 0)
		return 0;
	c = memcmp(a, b, an);
	return cs_vutil_sign(c);
}

int cs_vutil_cmp_number(const char *a, size_t an, const char *b, size_t bn)
{
	while (an && *a == '0')
		a++, an--;
	while (bn && *b == '0')
		b++, bn--;
	return cs_vutil_cmp_digits(a, an, b, bn);
}

int cs_vutil_cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;
	int c = n ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c < 0 ? -1 : 1;
	return an < bn ? -1 : an > bn;
}
