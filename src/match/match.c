/*
 * match.c - range evaluation for one affected entry (see match.h).
 */
#include "core/compat.h"
#include "match/match.h"

static bool is_zero(const char *s)
{
	return !s || !*s || !strcmp(s, "0");
}

/* Compares with the scheme; CS_EFORMAT when either side is not one of its versions. */
static int cmp(const cs_version_scheme *vs, const char *a, const char *b, int *out, cs_err *err)
{
	return vs->cmp(a, b, out, err);
}

int cs_match_affected(const cs_version_scheme *vs, const char *v, const char *status,
		      const cs_vdb_range *ranges, size_t nranges, const char *const *versions, size_t nversions,
		      cs_match_result *out, cs_err *err)
{
	size_t i;
	int c, code;
	bool unfixed = false;

	memset(out, 0, sizeof(*out));
	out->status = status ? status : CS_VDB_AFFECTED;
	if (status && (!strcmp(status, CS_VDB_NOT_AFFECTED)))
		return 0;
	if (nranges == 0 && nversions == 0) {
		/* A vendor status without ranges covers the whole release. */
		out->affected = strcmp(out->status, CS_VDB_FIXED) != 0;
		return 0;
	}
	/*
	 * Ranges are ORed. When several contain v (a feed listing two fixes for
	 * one CVE), the highest fix is the one that ends the vulnerability; a
	 * containing range without a fix means there is none.
	 */
	for (i = 0; i < nranges; i++) {
		const cs_vdb_range *r = &ranges[i];
		bool in = true;

		if (!is_zero(r->introduced)) {
			if ((code = cmp(vs, v, r->introduced, &c, err)) < 0)
				return code;
			in = c >= 0;
		}
		if (in && r->fixed) {
			if ((code = cmp(vs, v, r->fixed, &c, err)) < 0)
				return code;
			in = c < 0;
		}
		if (in && r->last_affected) {
			if ((code = cmp(vs, v, r->last_affected, &c, err)) < 0)
				return code;
			in = c <= 0;
		}
		if (in && r->limit && strcmp(r->limit, "*") != 0) {
			if ((code = cmp(vs, v, r->limit, &c, err)) < 0)
				return code;
			in = c < 0;
		}
		if (!in)
			continue;
		if (!out->affected) {
			out->affected = true;
			out->fixed = r->fixed;
			unfixed = !r->fixed;
		} else if (!r->fixed) {
			unfixed = true;
		} else if (out->fixed && cmp(vs, r->fixed, out->fixed, &c, err) == 0 && c > 0) {
			out->fixed = r->fixed;
		}
	}
	if (out->affected) {
		if (unfixed)
			out->fixed = NULL;
		else
			out->status = CS_VDB_FIXED;
		return 0;
	}
	/* Listed versions count too (OSV: affected if in any range or the list). */
	for (i = 0; i < nversions; i++) {
		if (cmp(vs, v, versions[i], &c, err) < 0)
			continue; /* a listed version of another shape cannot equal v */
		if (c == 0) {
			out->affected = true;
			return 0;
		}
	}
	return 0;
}
