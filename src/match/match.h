/*
 * match.h - decide whether an installed version is affected.
 *
 * One affected entry of an advisory (cs_vdb_hit) says which versions of a
 * package are vulnerable: OSV range events (introduced / fixed /
 * last_affected / limit), an explicit versions list, or a vendor status
 * without ranges (not fixed, will not fix, end of life, not affected).
 * cs_match_affected answers for one installed version with the
 * ecosystem's own ordering (match/version.h).
 */
#ifndef CS_MATCH_H
#define CS_MATCH_H

#include "core/compat.h"
#include "core/error.h"
#include "match/version.h"
#include "vulndb/vulndb.h"

typedef struct cs_match_result {
	bool affected;          /* the installed version is vulnerable */
	const char *fixed;      /* the fix that applies (borrowed from the hit), or NULL */
	const char *status;     /* CS_VDB_FIXED when a fix exists, else the entry's status */
} cs_match_result;

/*
 * Evaluates one affected entry against installed version v, given as its
 * ranges, versions and status. Ranges follow OSV semantics: v is affected by
 * a range when introduced <= v (a missing or "0" introduced means from the
 * start), and v < fixed, v <= last_affected, v < limit for those given; an
 * entry with no ranges and no versions is affected as a whole unless its
 * status is not_affected or fixed. Returns 0, or CS_EFORMAT when v or a
 * range bound is not a version of scheme vs (message in err): a version
 * that cannot be compared is never reported as affected.
 */
int cs_match_affected(const cs_version_scheme *vs, const char *v, const char *status,
		      const cs_vdb_range *ranges, size_t nranges, const char *const *versions, size_t nversions,
		      cs_match_result *out, cs_err *err);

#endif
