/*
 * version_nuget.c - NuGet version ordering ("nuget"), as NuGet.Versioning
 * parses (NuGetVersion.TryParse) and orders (VersionComparer.Default)
 * package versions.
 *
 * A version is N[.N[.N[.N]]][-LABELS][+METADATA] after trimming .NET
 * whitespace (String.Trim: \t\n\v\f\r, space, U+0085, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000). The numbers are
 * read by System.Version: 2 to 4 parts (a lone "1" is "1.0"), each an
 * Int32 of decimal digits, leading zeros allowed, with ASCII whitespace
 * allowed around the digits ("1 .2" is 1.2). The labels and metadata are
 * dot-separated identifiers of [0-9A-Za-z-], none empty; an all-digit label
 * has no leading zero. Where the first '-' or '+' is the last character it
 * belongs to the number part, which then fails: "1.0-" is no version.
 *
 * The order: the four numbers (missing ones are 0), then no labels above
 * any labels, then label by label: two labels that int.TryParse reads
 * (-?[0-9]+ within Int32: "-1" is numeric too) by value; a numeric one
 * below a non-numeric one; two others by ordinal comparison ignoring case
 * ("Beta" equals "beta"); a longer list above its own prefix. Metadata is
 * ignored. A label above Int32 ("2147483648") is not numeric: it sorts
 * above every numeric label and among the others as text.
 *
 * The reference is NuGet.Versioning itself, as shipped in NuGet.exe 5.8.0
 * and run on Mono (tests/oracle/version.sh nuget); the rules were read in
 * NuGet.Client's NuGetVersionFactory.cs, SemanticVersionFactory.cs and
 * VersionComparer.cs. Work is linear: numbers are compared as digit strings.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

#define INT32_MAX_DIGITS "2147483647"
#define INT32_MIN_DIGITS "2147483648" /* magnitude of Int32.MinValue */

typedef struct nuget_version {
	const char *num[4]; /* Major, Minor, Patch (Build), Revision: digit runs without leading zeros */
	size_t num_len[4];  /* 0 stands for the number 0 */
	const char *labels; /* release labels, borrowed; NULL when none */
	size_t labels_len;
} nuget_version;

/*
 * The length in bytes of the character Char.IsWhiteSpace accepts at
 * p[0..n), UTF-8 encoded, or 0.
 */
static size_t net_space_at(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x80 && ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* The same for the character that ends p[0..n), or 0. */
static size_t net_space_before(const unsigned char *p, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (net_space_at(p + n - k, k) == k)
			return k;
	return 0;
}

/* The white space Int32.TryParse allows around the digits. */
static bool is_int_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * One System.Version component p[0..n): [ws]digits[ws], at most Int32's
 * maximum. *d and *dn get the digits without leading zeros.
 */
static bool version_part(const char *p, size_t n, const char **d, size_t *dn)
{
	size_t i = 0, zeros;

	while (i < n && is_int_space(p[i]))
		i++;
	while (n > i && is_int_space(p[n - 1]))
		n--;
	if (i == n)
		return false;
	for (zeros = i; zeros < n && p[zeros] == '0'; zeros++)
		;
	for (; i < n; i++)
		if (!cs_vutil_is_digit(p[i]))
			return false;
	*d = p + zeros;
	*dn = n - zeros;
	return *dn < 10 || (*dn == 10 && memcmp(*d, INT32_MAX_DIGITS, 10) <= 0);
}

/*
 * Dot-separated identifiers p[0..n) of [0-9A-Za-z-], none empty; an
 * all-digit one without a leading zero unless leading_zeros
 * (SemanticVersion.IsValidPart).
 */
static bool identifiers(const char *p, size_t n, bool leading_zeros)
{
	const char *e = p + n, *id = p;

	for (;;) {
		const char *s = id;
		bool digits = true;

		while (s < e && *s != '.') {
			if (!cs_vutil_is_ident(*s))
				return false;
			digits = digits && cs_vutil_is_digit(*s);
			s++;
		}
		if (s == id)
			return false;
		if (!leading_zeros && digits && s - id > 1 && *id == '0')
			return false;
		if (s == e)
			return true;
		id = s + 1;
	}
}

static int parse(nuget_version *out, const char *v, cs_err *err)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t n = strlen(v), k, nparts = 0;
	const char *s, *e, *sep, *plus = NULL, *part;

	memset(out, 0, sizeof(*out));
	while ((k = net_space_at(u, n)) > 0) {
		u += k;
		n -= k;
	}
	while ((k = net_space_before(u, n)) > 0)
		n -= k;
	s = (const char *)u;
	e = s + n;
	if (n == 0)
		return cs_vutil_bad(err, "nuget", v, "empty");
	/*
	 * ParseSections: the number part runs to the first '-' or '+', the
	 * labels from a '-' to the next '+', the metadata after that '+'. A
	 * separator that is the last character stays in the part before it.
	 */
	for (sep = s; sep < e - 1 && *sep != '-' && *sep != '+'; sep++)
		;
	if (sep == e - 1)
		sep = e;
	if (sep < e && *sep == '-') {
		const char *l = sep + 1, *lend;

		for (lend = l; lend < e - 1 && *lend != '+'; lend++)
			;
		if (lend == e - 1)
			lend = e;
		else
			plus = lend;
		if (!identifiers(l, (size_t)(lend - l), false))
			return cs_vutil_bad(err, "nuget", v, "bad release label");
		out->labels = l;
		out->labels_len = (size_t)(lend - l);
	} else if (sep < e) {
		plus = sep;
	}
	if (plus && !identifiers(plus + 1, (size_t)(e - plus - 1), true))
		return cs_vutil_bad(err, "nuget", v, "bad metadata");
	/* System.Version.TryParse of the number part ("1" reads as "1.0"). */
	for (part = s; part <= sep;) {
		const char *dot = memchr(part, '.', (size_t)(sep - part));
		const char *pend = dot ? dot : sep;

		if (nparts == 4)
			return cs_vutil_bad(err, "nuget", v, "more than 4 version numbers");
		if (!version_part(part, (size_t)(pend - part), &out->num[nparts], &out->num_len[nparts]))
			return cs_vutil_bad(err, "nuget", v, "version numbers must be 0 to 2147483647");
		nparts++;
		part = pend + 1;
	}
	return 0;
}

/*
 * int.TryParse of a label ([0-9A-Za-z-]+, invariant culture): -?[0-9]+
 * within Int32. *neg, *d and *dn get the sign and the magnitude's digits
 * without leading zeros.
 */
static bool label_int(const char *p, size_t n, bool *neg, const char **d, size_t *dn)
{
	size_t i;

	*neg = n > 0 && *p == '-';
	if (*neg) {
		p++;
		n--;
	}
	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!cs_vutil_is_digit(p[i]))
			return false;
	while (n > 0 && *p == '0') {
		p++;
		n--;
	}
	*d = p;
	*dn = n;
	if (n == 0)
		*neg = false; /* -0 is 0 */
	return n < 10 || (n == 10 && memcmp(p, *neg ? INT32_MIN_DIGITS : INT32_MAX_DIGITS, 10) <= 0);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* VersionComparer.CompareRelease. */
static int cmp_label(const char *x, size_t xn, const char *y, size_t yn)
{
	bool xneg, yneg;
	const char *xd, *yd;
	size_t xdn, ydn, i;
	bool xi = label_int(x, xn, &xneg, &xd, &xdn);
	bool yi = label_int(y, yn, &yneg, &yd, &ydn);

	if (xi && yi) {
		if (xneg != yneg)
			return xneg ? -1 : 1;
		return xneg ? cs_vutil_cmp_digits(yd, ydn, xd, xdn) : cs_vutil_cmp_digits(xd, xdn, yd, ydn);
	}
	if (xi || yi)
		return xi ? -1 : 1;
	/* StringComparer.OrdinalIgnoreCase; the labels are ASCII. */
	for (i = 0; i < xn && i < yn; i++) {
		int a = lower((unsigned char)x[i]), b = lower((unsigned char)y[i]);

		if (a != b)
			return a < b ? -1 : 1;
	}
	return (xn > yn) - (xn < yn);
}

/* VersionComparer.CompareReleaseLabels, after "no labels is above labels". */
static int cmp_labels(const nuget_version *a, const nuget_version *b)
{
	const char *x = a->labels, *y = b->labels;
	size_t xn = a->labels_len, yn = b->labels_len, i = 0, j = 0;

	if (!x || !y)
		return x ? -1 : y ? 1 : 0;
	/* i and j are past the end (len + 1) once every label is used. */
	for (;;) {
		size_t xs = i, ys = j;
		int c;

		if (i > xn || j > yn)
			return i > xn ? (j > yn ? 0 : -1) : 1;
		while (i < xn && x[i] != '.')
			i++;
		while (j < yn && y[j] != '.')
			j++;
		if ((c = cmp_label(x + xs, i - xs, y + ys, j - ys)) != 0)
			return c;
		i++;
		j++;
	}
}

static int nuget_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	nuget_version va, vb;
	int c = 0, rc, i;

	*out = 0;
	if ((rc = parse(&va, a, err)) < 0 || (rc = parse(&vb, b, err)) < 0)
		return rc;
	for (i = 0; i < 4 && c == 0; i++)
		c = cs_vutil_cmp_digits(va.num[i], va.num_len[i], vb.num[i], vb.num_len[i]);
	*out = c ? c : cmp_labels(&va, &vb);
	return 0;
}

const cs_version_scheme cs_version_nuget = {"nuget", nuget_cmp};
