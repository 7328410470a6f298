/*
 * version_deb.c - Debian package version ordering ("deb"), as dpkg does it.
 *
 * A version is [epoch:]upstream[-revision]. The epoch is a number; upstream
 * and revision are compared by dpkg's verrevcmp(): alternately a run of
 * non-digits, compared byte by byte with '~' before the end of the string,
 * the end before letters, letters before everything else, and a run of
 * digits, compared as a number of any length.
 *
 * The reference is `dpkg --compare-versions A lt|gt B` (dpkg 1.21,
 * lib/dpkg/parsehelp.c parseversion(), lib/dpkg/version.c verrevcmp() and
 * src/main/enquiry.c cmpversions()), and what it accepts is what this file
 * accepts: parseversion's errors are CS_EFORMAT, its warnings (upstream not
 * starting with a digit, characters outside [A-Za-z0-9.+~:-]) are not,
 * since dpkg compares such versions anyway. The empty string and
 * "<unknown>" are dpkg's "no version", earlier than every version and
 * equal to each other. See docs/versions.md for the rules and the
 * (platform) corners.
 *
 * Work is linear in the input: digit runs are never converted to integers.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

typedef struct deb_version {
	bool blank;          /* "" or "<unknown>": no version at all */
	unsigned long epoch; /* 0..INT_MAX */
	const char *up;      /* upstream version, borrowed, not terminated */
	size_t up_len;       /* > 0 unless blank */
	const char *rev;     /* revision, borrowed; "" when none */
	size_t rev_len;
} deb_version;

static bool is_blank(char c) /* dpkg's c_isblank() */
{
	return c == ' ' || c == '\t';
}

/*
 * Parses the epoch in [p, colon) as strtol(p, &end, 10) would with end ==
 * colon required: leading C-locale white space (only \n \v \f \r can be
 * left here, blanks being trimmed or refused before), an optional sign and
 * at least one digit. Returns NULL or the reason it is refused.
 */
static const char *parse_epoch(const char *p, const char *colon, unsigned long *out)
{
	bool neg = false;
	uint64_t v = 0;
	const char *d;

	while (p < colon && (*p == '\n' || *p == '\v' || *p == '\f' || *p == '\r'))
		p++;
	if (p < colon && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (p == colon || !cs_vutil_is_digit(*p))
		return "epoch in version is empty"; /* strtol converted nothing */
	for (d = p; d < colon; d++) {
		if (!cs_vutil_is_digit(*d))
			return "epoch in version is not number";
		if (v <= 2147483647U)
			v = v * 10 + (uint64_t)(*d - '0'); /* stops growing past INT_MAX */
	}
	if (neg && v != 0)
		return "epoch in version is negative";
	if (v > 2147483647U)
		return "epoch in version is too big";
	*out = (unsigned long)v;
	return NULL;
}

/* Splits s as dpkg --compare-versions does; CS_EFORMAT on parseversion errors. */
static int parse(const char *s, deb_version *out, cs_err *err)
{
	const char *start = s, *end, *p, *colon, *hyphen = NULL, *why;

	memset(out, 0, sizeof(*out));
	out->rev = "";
	if (!*s || !strcmp(s, "<unknown>")) {
		out->blank = true;
		return 0;
	}
	while (*start && is_blank(*start))
		start++;
	if (!*start)
		return cs_vutil_bad(err, "deb", s, "version string is empty");
	for (end = start; *end && !is_blank(*end); end++)
		;
	for (p = end; *p && is_blank(*p); p++)
		;
	if (*p)
		return cs_vutil_bad(err, "deb", s, "version string has embedded spaces");

	colon = memchr(start, ':', (size_t)(end - start));
	if (colon) {
		if ((why = parse_epoch(start, colon, &out->epoch)))
			return cs_vutil_bad(err, "deb", s, why);
		if (colon + 1 == end)
			return cs_vutil_bad(err, "deb", s, "nothing after colon in version number");
		start = colon + 1;
	}
	for (p = start; p < end; p++)
		if (*p == '-')
			hyphen = p;
	out->up = start;
	out->up_len = (size_t)((hyphen ? hyphen : end) - start);
	if (hyphen) {
		if (hyphen + 1 == end)
			return cs_vutil_bad(err, "deb", s, "revision number is empty");
		out->rev = hyphen + 1;
		out->rev_len = (size_t)(end - hyphen - 1);
	}
	if (out->up_len == 0)
		return cs_vutil_bad(err, "deb", s, "version number is empty");
	return 0;
}

/*
 * dpkg's order(): '~' < end of string (0) = digit < letters (their ASCII
 * value) < anything else (value + 256). dpkg reads the byte through a plain
 * char, signed on amd64, so bytes 0x80..0xff get (c - 256) + 256: their own
 * value, between the letters and the ASCII punctuation.
 */
static int order(int c)
{
	if (c == 0 || cs_vutil_is_digit((char)c))
		return 0;
	if (cs_vutil_is_alpha((char)c))
		return c;
	if (c == '~')
		return -1;
	return c >= 0x80 ? c : c + 256;
}

/* dpkg's verrevcmp() over [a, a + an) and [b, b + bn); the sign matters. */
static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

#define AT(s, n, k) ((k) < (n) ? (unsigned char)(s)[k] : 0)
	while (i < an || j < bn) {
		int first_diff = 0;

		while ((i < an && !cs_vutil_is_digit(a[i])) || (j < bn && !cs_vutil_is_digit(b[j]))) {
			int ac = order(AT(a, an, i)), bc = order(AT(b, bn, j));

			if (ac != bc)
				return ac < bc ? -1 : 1;
			i++;
			j++;
		}
		while (i < an && a[i] == '0')
			i++;
		while (j < bn && b[j] == '0')
			j++;
		while (i < an && j < bn && cs_vutil_is_digit(a[i]) && cs_vutil_is_digit(b[j])) {
			if (!first_diff)
				first_diff = a[i] - b[j];
			i++;
			j++;
		}
		if (i < an && cs_vutil_is_digit(a[i]))
			return 1;
		if (j < bn && cs_vutil_is_digit(b[j]))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
#undef AT
	return 0;
}

static int deb_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	deb_version va, vb;
	int rc;

	*out = 0;
	if ((rc = parse(a, &va, err)) < 0 || (rc = parse(b, &vb, err)) < 0)
		return rc;
	if (va.blank || vb.blank) {
		*out = va.blank == vb.blank ? 0 : va.blank ? -1 : 1;
		return 0;
	}
	if (va.epoch != vb.epoch) {
		*out = va.epoch < vb.epoch ? -1 : 1;
		return 0;
	}
	rc = verrevcmp(va.up, va.up_len, vb.up, vb.up_len);
	if (!rc)
		rc = verrevcmp(va.rev, va.rev_len, vb.rev, vb.rev_len);
	*out = rc;
	return 0;
}

const cs_version_scheme cs_version_deb = {"deb", deb_cmp};
