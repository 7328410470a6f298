/*
 * cvss.h - CVSS base scores computed from vector strings.
 *
 * Rating a finding takes the distribution's own severity first, else a CVSS
 * score, else NVD's. Advisories often carry only a vector string, so this
 * module parses CVSS v2.0, v3.0, v3.1 and v4.0 vectors as their FIRST
 * specifications define them and computes the base score (for v4.0, CVSS-B:
 * threat and environmental metrics are accepted but left out of the score).
 * docs/cvss.md describes the formulas, the rounding of each version and the
 * references. Pure functions: no allocation, no global state, thread-safe.
 */
#ifndef CS_CVSS_H
#define CS_CVSS_H

#include "core/compat.h"
#include "core/error.h"

typedef struct cs_cvss_result {
	int version_major;    /* 2, 3 or 4 */
	int version_minor;    /* 0, or 1 for CVSS:3.1 */
	double base_score;    /* 0.0 .. 10.0, one decimal, rounded as the version's spec says */
	const char *severity; /* static string, see cs_cvss_severity() */
} cs_cvss_result;

/*
 * Parses vector and computes its base score.
 *
 * Accepted forms (ASCII space and tab around the vector are ignored,
 * everything else is case-sensitive):
 *   v2.0  "AV:N/AC:M/Au:N/C:C/I:C/A:C", optionally in parentheses; the six
 *         base metrics in that order, then optional temporal (E, RL, RC) and
 *         environmental (CDP, TD, CR, IR, AR) metrics in that order.
 *   v3.x  "CVSS:3.0/..." or "CVSS:3.1/..."; the eight base metrics and any
 *         temporal or environmental metric, in any order (as the spec says
 *         readers must accept), each at most once.
 *   v4.0  "CVSS:4.0/..."; the eleven base metrics, then optional threat,
 *         environmental and supplemental metrics, all in the order of the
 *         specification's table, each at most once.
 * Optional metrics may be "X" (v3, v4) or "ND" (v2), and never change the
 * base score.
 *
 * Returns 0 and fills *out, or CS_EFORMAT with a message quoting the vector
 * (unknown prefix, metric or value, duplicate or missing base metric, wrong
 * order, empty component; a NULL vector too). out is not touched on
 * failure. err may be NULL.
 */
int cs_cvss_score(const char *vector, cs_cvss_result *out, cs_err *err);

/*
 * The qualitative rating of score for CVSS version major, as a static
 * lower-case string:
 *   major 3 and 4 (FIRST): "none" 0.0, "low" 0.1-3.9, "medium" 4.0-6.9,
 *                          "high" 7.0-8.9, "critical" 9.0-10.0;
 *   major 2 (NVD's ranges, v2 defines none): "low" 0.0-3.9,
 *                          "medium" 4.0-6.9, "high" 7.0-10.0.
 * The score is first rounded to one decimal, halves up (3.94 rates as 3.9,
 * 3.95 as 4.0). NULL when major is not 2, 3 or 4, or score is not within
 * 0..10 (NaN included).
 */
const char *cs_cvss_severity(double score, int major);

#endif
