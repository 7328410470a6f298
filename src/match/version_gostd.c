/*
 * version_gostd.c - Go toolchain version ordering ("gostd"), for the
 * "stdlib" and "toolchain" packages of the Go vulnerability database.
 *
 * A Go binary records the toolchain that built it as a release tag:
 * "go1.19.8", "go1.20", "go1.21rc2", "go1.9beta2", sometimes with words
 * after it ("go1.21.0 X:boringcrypto"). The database's ranges for the
 * standard library are semver without the "v" ("1.21.0-rc.2",
 * "1.20.0-0"). govulncheck turns the tag into semver with x/vuln's
 * GoTagToSemver and compares with x/mod/semver; so does this scheme, one
 * string at a time:
 *
 *   - a string starting with "go" is a release tag: its first
 *     whitespace-separated word must be "go1" (= v1.0.0) or match
 *     ^go(\d+\.\d+)(\.\d+|)((beta|rc|-pre)(\d+))?$, and becomes
 *     vMAJOR.MINOR.PATCH (PATCH 0 when absent) with the pre-release
 *     "-beta.N", "-rc.N" or "-pre.N"; "go1.0" is no version;
 *   - anything else is read as the "go" scheme reads it (version_go.c);
 *
 * and the two semvers are compared by x/mod/semver. So go1.21rc2 equals
 * 1.21.0-rc.2 and sorts below go1.21.0, and go1.20 equals go1.20.0.
 *
 * This is govulncheck's order, not the go command's (internal/gover, Go
 * 1.21+), which differs only on tags no released toolchain reports: there
 * "go1.21" is the language version, below go1.21rc1, and "go1.21alpha1"
 * or "go1.21.0rc1" are valid; see docs/versions.md.
 *
 * The references are Debian's golang-golang-x-vuln-dev and
 * golang-golang-x-mod-dev (tests/oracle/version.sh gostd).
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

#include "match/version_go.h"

/*
 * The length in bytes of the whitespace rune Go's unicode.IsSpace accepts
 * (strings.Fields) at the start of p, or 0: \t \n \v \f \r space, U+0085,
 * U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
 * A byte scan sees what Go's decoder sees here: none of these sequences
 * starts with a continuation byte, so none can hide inside another rune.
 */
static size_t go_space_at(const unsigned char *p)
{
	if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		return 1;
	if (p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;
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

/* A run of digits from *p to at most end; false when there is none. */
static bool digits(const char **p, const char *end, const char **start, size_t *len)
{
	const char *s = *p;

	while (s < end && cs_vutil_is_digit(*s))
		s++;
	if (s == *p)
		return false;
	*start = *p;
	*len = (size_t)(s - *p);
	*p = s;
	return true;
}

/* A number x/mod/semver accepts: no leading zero. */
static bool no_leading_zero(const char *d, size_t n)
{
	return n == 1 || d[0] != '0';
}

/* GoTagToSemver(tag) parsed; false when it gives "" or invalid semver. */
static bool parse_tag(cs_gosemver *out, const char *tag)
{
	const char *p = tag + 2, *end = tag;
	int i;

	memset(out, 0, sizeof(*out));
	while (*end && !go_space_at((const unsigned char *)end))
		end++;
	if (end - tag == 3 && memcmp(tag, "go1", 3) == 0) {
		out->num[0] = tag + 2;
		out->num[1] = out->num[2] = "0";
		out->num_len[0] = out->num_len[1] = out->num_len[2] = 1;
		return true;
	}
	if (end - tag == 5 && memcmp(tag, "go1.0", 5) == 0)
		return false;
	if (!digits(&p, end, &out->num[0], &out->num_len[0]) || p == end || *p++ != '.' ||
	    !digits(&p, end, &out->num[1], &out->num_len[1]))
		return false;
	out->num[2] = "0";
	out->num_len[2] = 1;
	if (p < end && *p == '.') {
		p++;
		if (!digits(&p, end, &out->num[2], &out->num_len[2]))
			return false;
	}
	if (p < end) {
		static const char *const kinds[] = {"beta", "rc", "-pre"};
		size_t k, n = 0;

		for (k = 0; k < CS_ARRAY_LEN(kinds); k++) {
			n = strlen(kinds[k]);
			if ((size_t)(end - p) >= n && memcmp(p, kinds[k], n) == 0)
				break;
		}
		if (k == CS_ARRAY_LEN(kinds))
			return false;
		/* "-pre4" becomes "-pre.4": the '-' is the pre-release's own. */
		out->pre[0] = kinds[k][0] == '-' ? p + 1 : p;
		out->pre_len[0] = kinds[k][0] == '-' ? n - 1 : n;
		p += n;
		if (!digits(&p, end, &out->pre[1], &out->pre_len[1]) || p != end)
			return false;
		if (!no_leading_zero(out->pre[1], out->pre_len[1]))
			return false;
	}
	for (i = 0; i < 3; i++)
		if (!no_leading_zero(out->num[i], out->num_len[i]))
			return false;
	return true;
}

static bool parse(cs_gosemver *out, const char *s)
{
	if (s[0] == 'g' && s[1] == 'o')
		return parse_tag(out, s);
	return cs_gosemver_parse(out, s);
}

static int gostd_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	cs_gosemver va, vb;
	char q[80];

	*out = 0;
	if (!parse(&va, a))
		return cs_err_set(err, CS_EFORMAT, "invalid gostd version '%s': not a Go release tag (go1.21rc2) or semver",
				  cs_vutil_quote(a, q, sizeof(q)));
	if (!parse(&vb, b))
		return cs_err_set(err, CS_EFORMAT, "invalid gostd version '%s': not a Go release tag (go1.21rc2) or semver",
				  cs_vutil_quote(b, q, sizeof(q)));
	*out = cs_gosemver_cmp(&va, &vb);
	return 0;
}

const cs_version_scheme cs_version_gostd = {"gostd", gostd_cmp};
