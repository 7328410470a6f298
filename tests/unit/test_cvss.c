/*
 * test_cvss.c - CVSS base scores from vector strings (match/cvss.c).
 *
 * Checked three ways:
 *   - published vectors with their published scores: the v2.0 guide's
 *     examples, FIRST's v3.x examples and NVD, and for v4.0 the calculator
 *     test vectors of Red Hat's python-cvss (vectors_simple4: one vector per
 *     distinct score), whose authors maintain FIRST's v4.0 calculator;
 *   - hand-made refusals (prefix, order, duplicates, unknown values...);
 *   - against an independent implementation, ae-cvss-calculator (npm), run
 *     once through tests/oracle/cvss/ref.sh on: every v2.0, v3.0 and v3.1
 *     base vector (729, 2,592, 2,592), 10,000 generated vectors per version
 *     (fixed-seed xorshift; optional metrics at random, v3 in shuffled
 *     order), and the example tables above (so a wrong expectation cannot
 *     hide). CUSTOMS_CVSS_EXHAUSTIVE=1 adds all 104,976 v4.0 base vectors
 *     (about a minute of node). A reference that cannot run is a failure,
 *     never a skip.
 */
#include "core/compat.h"
#include "match/cvss.h"

#include <math.h>
#include <sys/wait.h>
#include <time.h>

#include "core/strutil.h"
#include "unit/test.h"

#define GENERATED 10000

typedef struct example {
	const char *vector;
	const char *score; /* as published, one decimal */
} example;

/* Scores "%.1f"; "E" when refused. */
static const char *score_of(const char *vector, char *buf, size_t bufsz)
{
	cs_cvss_result r;
	cs_err err;

	cs_err_clear(&err);
	if (cs_cvss_score(vector, &r, &err) < 0)
		return "E";
	snprintf(buf, bufsz, "%.1f", r.base_score);
	return buf;
}

static void check_examples(const example *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char buf[16];
		const char *got = score_of(t[i].vector, buf, sizeof(buf));

		if (strcmp(got, t[i].score)) {
			fprintf(stderr, "  '%s': customs %s, published %s\n", t[i].vector, got, t[i].score);
			test_failures++;
		}
	}
}

/* --- published examples --------------------------------------------------- */

static const example v2_examples[] = {
	/* CVSS v2.0 guide, section 3.3 */
	{"AV:N/AC:L/Au:N/C:N/I:N/A:C", "7.8"}, /* CVE-2002-0392 */
	{"AV:N/AC:L/Au:N/C:C/I:C/A:C", "10.0"}, /* CVE-2003-0818 */
	{"AV:L/AC:H/Au:N/C:C/I:C/A:C", "6.2"}, /* CVE-2003-0062 */
	/* NVD */
	{"AV:N/AC:M/Au:N/C:C/I:C/A:C", "9.3"}, /* CVE-2021-44228 */
	{"AV:N/AC:L/Au:N/C:P/I:N/A:N", "5.0"}, /* CVE-2014-0160 */
	{"AV:N/AC:L/Au:N/C:P/I:P/A:P", "7.5"},
	{"AV:N/AC:M/Au:N/C:N/I:P/A:N", "4.3"},
	{"AV:L/AC:L/Au:N/C:C/I:C/A:C", "7.2"},
	{"AV:N/AC:L/Au:S/C:P/I:P/A:P", "6.5"},
	{"AV:N/AC:M/Au:N/C:P/I:P/A:P", "6.8"},
	{"AV:L/AC:L/Au:N/C:P/I:N/A:N", "2.1"},
	{"AV:N/AC:H/Au:N/C:P/I:N/A:N", "2.6"},
	{"AV:L/AC:M/Au:N/C:C/I:C/A:C", "6.9"},
	{"AV:A/AC:M/Au:S/C:N/I:N/A:P", "2.3"},
	{"AV:N/AC:L/Au:N/C:N/I:N/A:N", "0.0"},
	{"(AV:N/AC:M/Au:N/C:C/I:C/A:C)", "9.3"},
	{"AV:N/AC:M/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H", "9.3"},
};

static const example v3_examples[] = {
	/* FIRST's CVSS v3.1 examples and NVD */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"}, /* CVE-2021-44228 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "9.8"},  /* CVE-2014-6271 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "7.5"},  /* CVE-2014-0160 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "6.1"},  /* CVE-2013-1937 */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", "6.4"},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", "3.1"},  /* CVE-2014-3566 */
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", "9.9"},  /* CVE-2012-1516 */
	{"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", "4.2"},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "8.8"},
	{"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", "7.8"},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", "6.8"},  /* CVE-2008-1447 */
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "6.8"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", "5.8"},
	{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", "5.4"},
	{"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "8.8"},
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", "4.6"},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", "7.4"},  /* CVE-2014-0224 */
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", "9.6"},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", "6.8"},
	{"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H", "8.2"},
	{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "7.6"},
	{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", "5.5"},
	{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", "5.9"},
	{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N", "3.8"},
	{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "0.0"},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", "10.0"},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "6.1"},
	{"CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N", "3.8"},
	/* python-cvss vectors_calculator3 (FIRST's v3.0 calculator): base scores */
	{"CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X", "3.8"},
	{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/MPR:L/MUI:N/MS:C/"
	 "MC:H/MI:H/MA:H",
	 "9.3"},
};

static const example v4_examples[] = {
	/* the highest severity vectors, and Heartbleed's impact, as FIRST's calculator scores them */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", "10.0"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "9.3"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N", "8.7"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", "6.9"},
	/* python-cvss tests/vectors_simple4: one vector for each score there */
	{"CVSS:4.0/AV:P/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", "0.0"},
	{"CVSS:4.0/AV:P/AC:H/AT:N/PR:L/UI:N/VC:N/VI:N/VA:L/SC:L/SI:N/SA:L", "1.0"},
	{"CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:N/VI:L/VA:N/SC:L/SI:N/SA:N", "1.8"},
	{"CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:N/VI:L/VA:N/SC:N/SI:H/SA:L", "2.0"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:N/VC:L/VI:N/VA:L/SC:L/SI:L/SA:L", "2.1"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", "2.3"},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:N/VI:N/VA:L/SC:H/SI:H/SA:H", "2.4"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", "4.0"},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:A/VC:N/VI:H/VA:N/SC:L/SI:N/SA:N", "4.1"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:A/VC:L/VI:L/VA:N/SC:L/SI:H/SA:N", "4.2"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:H", "4.3"},
	{"CVSS:4.0/AV:P/AC:H/AT:N/PR:H/UI:A/VC:H/VI:L/VA:L/SC:N/SI:N/SA:L", "4.4"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:L/VI:N/VA:N/SC:H/SI:L/SA:H", "4.5"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:N/VC:N/VI:L/VA:L/SC:N/SI:H/SA:N", "4.6"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:H/SI:H/SA:L", "4.7"},
	{"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:H/SA:L", "4.8"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:L/VI:L/VA:N/SC:H/SI:N/SA:N", "4.9"},
	{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:H/SI:H/SA:L", "5.0"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:P/VC:N/VI:L/VA:N/SC:H/SI:L/SA:N", "5.1"},
	{"CVSS:4.0/AV:P/AC:L/AT:N/PR:L/UI:A/VC:L/VI:N/VA:H/SC:N/SI:L/SA:N", "5.2"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:H/SA:L", "5.3"},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:N/UI:A/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L", "5.4"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:L/VI:N/VA:N/SC:H/SI:H/SA:H", "5.5"},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:A/VC:N/VI:H/VA:N/SC:N/SI:L/SA:N", "5.6"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:L/VI:H/VA:L/SC:N/SI:L/SA:L", "5.7"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:P/VC:H/VI:L/VA:N/SC:L/SI:L/SA:L", "5.8"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:H/VI:L/VA:N/SC:N/SI:L/SA:L", "5.9"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:L", "6.0"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:H/SA:N", "6.1"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", "6.2"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:L/SI:H/SA:L", "6.3"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:H/SI:L/SA:L", "6.4"},
	{"CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:A/VC:H/VI:H/VA:N/SC:N/SI:H/SA:N", "6.7"},
	{"CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:A/VC:L/VI:L/VA:H/SC:N/SI:N/SA:H", "6.8"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:P/VC:N/VI:L/VA:H/SC:H/SI:L/SA:N", "6.9"},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:L/VI:N/VA:H/SC:L/SI:L/SA:H", "7.0"},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:H/SC:H/SI:H/SA:N", "7.1"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:P/VC:N/VI:H/VA:L/SC:H/SI:L/SA:H", "7.2"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:N/VC:H/VI:L/VA:H/SC:H/SI:H/SA:L", "7.3"},
	{"CVSS:4.0/AV:L/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:L", "7.4"},
	{"CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:L/SC:L/SI:L/SA:L", "7.5"},
	{"CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:L/SA:N", "7.7"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", "7.8"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", "7.9"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:H/SC:N/SI:H/SA:L", "8.1"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:P/VC:N/VI:H/VA:L/SC:L/SI:N/SA:H", "8.2"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:L/VA:N/SC:H/SI:N/SA:N", "8.3"},
	{"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:H/SC:L/SI:L/SA:H", "8.4"},
	{"CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:L/SA:H", "8.5"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:N/VC:H/VI:H/VA:N/SC:N/SI:L/SA:H", "8.6"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:H", "8.7"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:P/VC:H/VI:H/VA:L/SC:N/SI:L/SA:H", "8.8"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:H/SC:N/SI:H/SA:N", "9.0"},
	{"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:L/VI:H/VA:H/SC:N/SI:H/SA:L", "9.1"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:L/SC:N/SI:H/SA:N", "9.2"},
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:L/SC:L/SI:H/SA:N", "9.3"},
	{"CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", "9.4"},
	{"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:N/SA:H", "9.5"},
	/* python-cvss vectors_supplemental4 and vectors_security4: metrics
	 * that leave the score as it is */
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:N/AU:N/R:A/V:D/RE:L/U:Clear", "7.3"},
	{"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:H", "7.3"},
	/* The exact value is 8.55, rounded half up as FIRST's calculator does
	 * since its rounding fix of 2024 (and ae-cvss-calculator); the older
	 * calculator and @pandatix/js-cvss said 8.5 through a float error. */
	{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", "8.6"},
};

TEST(v2_examples)
{
	check_examples(v2_examples, CS_ARRAY_LEN(v2_examples));
}

TEST(v3_examples)
{
	check_examples(v3_examples, CS_ARRAY_LEN(v3_examples));
}

TEST(v4_examples)
{
	check_examples(v4_examples, CS_ARRAY_LEN(v4_examples));
}

/* --- results and accepted forms ------------------------------------------ */

TEST(result_fields)
{
	static const struct {
		const char *vector;
		int major, minor;
		const char *score, *severity;
	} t[] = {
		{"AV:N/AC:M/Au:N/C:C/I:C/A:C", 2, 0, "9.3", "high"},
		{"AV:N/AC:L/Au:N/C:C/I:C/A:C", 2, 0, "10.0", "high"},
		{"AV:N/AC:L/Au:N/C:N/I:N/A:N", 2, 0, "0.0", "low"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 3, 0, "9.8", "critical"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 3, 1, "7.5", "high"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 3, 1, "0.0", "none"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 4, 0, "6.9", "medium"},
		{"CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:N/VC:N/VI:L/VA:N/SC:L/SI:N/SA:N", 4, 0, "1.8", "low"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 4, 0, "0.0", "none"},
		/* ASCII blanks around the vector are ignored */
		{" \tCVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H\t ", 3, 1, "10.0", "critical"},
		{" (AV:N/AC:M/Au:N/C:C/I:C/A:C) ", 2, 0, "9.3", "high"},
		/* v3: any order; optional metrics, X included, leave the base score */
		{"CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N", 3, 1, "9.8", "critical"},
		{"CVSS:3.1/E:U/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/"
		 "MS:C/MC:N/MI:N/MA:N",
		 3, 1, "9.8", "critical"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:X/RC:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MPR:X/MUI:X/"
		 "MS:X/MC:X/MI:X/MA:X",
		 3, 0, "9.8", "critical"},
		/* v4: every metric, threat and environmental not applied (CVSS-B) */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MAT:P/"
		 "MPR:H/MUI:A/MVC:N/MVI:N/MVA:N/MSC:N/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
		 4, 0, "9.3", "critical"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/U:X", 4, 0, "9.3", "critical"},
		/* v2: temporal and environmental, ND included */
		{"AV:N/AC:M/Au:N/C:C/I:C/A:C/E:U/RL:OF/RC:UC/CDP:N/TD:N/CR:L/IR:L/AR:L", 2, 0, "9.3", "high"},
		{"AV:N/AC:M/Au:N/C:C/I:C/A:C/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND", 2, 0, "9.3", "high"},
		{"AV:N/AC:M/Au:N/C:C/I:C/A:C/RC:C/AR:H", 2, 0, "9.3", "high"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(t); i++) {
		cs_cvss_result r;
		cs_err err;
		char buf[16];

		cs_err_clear(&err);
		memset(&r, 0, sizeof(r));
		if (cs_cvss_score(t[i].vector, &r, &err) != 0) {
			fprintf(stderr, "  '%s' refused: %s\n", t[i].vector, err.msg);
			test_failures++;
			continue;
		}
		snprintf(buf, sizeof(buf), "%.1f", r.base_score);
		CHECK_INT(r.version_major, t[i].major);
		CHECK_INT(r.version_minor, t[i].minor);
		CHECK_STR(buf, t[i].score);
		CHECK_STR(r.severity, t[i].severity);
		CHECK_INT(err.code, CS_OK);
	}
}

TEST(severity)
{
	static const struct {
		double score;
		int major;
		const char *want;
	} t[] = {
		{0.0, 3, "none"}, {0.1, 3, "low"}, {3.9, 3, "low"}, {4.0, 3, "medium"}, {6.9, 3, "medium"},
		{7.0, 3, "high"}, {8.9, 3, "high"}, {9.0, 3, "critical"}, {10.0, 3, "critical"},
		{0.0, 4, "none"}, {0.1, 4, "low"}, {3.9, 4, "low"}, {4.0, 4, "medium"}, {6.9, 4, "medium"},
		{7.0, 4, "high"}, {8.9, 4, "high"}, {9.0, 4, "critical"}, {10.0, 4, "critical"},
		{0.0, 2, "low"}, {3.9, 2, "low"}, {4.0, 2, "medium"}, {6.9, 2, "medium"}, {7.0, 2, "high"},
		{10.0, 2, "high"},
		/* taken to one decimal first, halves up */
		{3.94, 3, "low"}, {3.95, 3, "medium"}, {0.04, 3, "none"}, {0.05, 3, "low"}, {8.96, 2, "high"},
		/* out of range or unknown version */
		{-0.1, 3, NULL}, {10.1, 3, NULL}, {5.0, 1, NULL}, {5.0, 5, NULL}, {5.0, 0, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(t); i++) {
		const char *got = cs_cvss_severity(t[i].score, t[i].major);

		if (!((got == NULL && t[i].want == NULL) || (got && t[i].want && !strcmp(got, t[i].want)))) {
			fprintf(stderr, "  severity(%g, %d) = %s, expected %s\n", t[i].score, t[i].major,
				got ? got : "NULL", t[i].want ? t[i].want : "NULL");
			test_failures++;
		}
	}
	CHECK(cs_cvss_severity(NAN, 3) == NULL);
	CHECK(cs_cvss_severity(INFINITY, 3) == NULL);
}

/* --- refusals -------------------------------------------------------------- */

TEST(malformed)
{
	static const struct {
		const char *vector;
		const char *why; /* must appear in the message */
	} t[] = {
		{"", "empty"},
		{" \t ", "empty"},
		{"CVSS:3.1", "no metrics"},
		{"CVSS:3.1/", "no metrics"},
		{"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown CVSS version '3.2'"},
		{"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "unknown CVSS version '2.0'"},
		{"CVSS:/AV:N", "unknown CVSS version ''"},
		{"CVSS:3.10/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown CVSS version '3.10'"},
		{"cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'cvss'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "missing base metric 'A'"},
		{"CVSS:3.1/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "missing base metric 'AV'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H", "duplicate metric 'A'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/E:U", "duplicate metric 'E'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X", "invalid value for metric: 'A:X'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H", "invalid value for metric: 'S:X'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:Z", "invalid value for metric: 'E:Z'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:", "invalid value for metric: 'A:'"},
		{"CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value for metric: 'AV:n'"},
		{"CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value for metric: 'AV:N:L'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "empty metric"},
		{"CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "empty metric"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N", "unknown metric 'AT'"},
		{"CVSS:3.1/AV=N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "expected NAME:VALUE, got 'AV=N'"},
		{"CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric 'av'"},
		{"CVSS:3.1/AV:N /AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value for metric: 'AV:N '"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n", "invalid value for metric: 'A:H?'"},
		{"CVSS:3.1/:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown metric ''"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N", "missing base metric 'SA'"},
		{"CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "metric out of order: 'AV'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/E:A/SA:N", "metric out of order: 'SA'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:H/E:A", "metric out of order: 'E'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:A", "duplicate metric 'E'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N", "invalid value for metric: 'SI:S'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:clear",
		 "invalid value for metric: 'U:clear'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S", "invalid value for metric: 'MSC:S'"},
		/* a v3 vector labelled 4.0: S is Safety there, C is nothing */
		{"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid value for metric: 'S:U'"},
		{"CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:N/C:H/I:H/A:H", "unknown metric 'C'"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MS:U", "unknown metric 'MS'"},
		{"AV:N/AC:L/Au:N/C:P/I:P", "missing base metric 'A'"},
		{"AC:L/AV:N/Au:N/C:P/I:P/A:P", "metric out of order: 'AV'"},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P/RL:OF/E:F", "metric out of order: 'E'"},
		{"AV:N/AC:L/AU:N/C:P/I:P/A:P", "unknown metric 'AU'"},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", "invalid value for metric: 'E:X'"},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:H", "invalid value for metric: 'A:H'"},
		{"(AV:N/AC:L/Au:N/C:P/I:P/A:P", "unbalanced parentheses"},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P)", "unbalanced parentheses"},
		{")", "unbalanced parentheses"},
		{"()", "no metrics"},
		{"((AV:N/AC:L/Au:N/C:P/I:P/A:P))", "unknown metric '(AV'"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:X/MAV:N", "duplicate metric 'MAV'"},
		{"garbage", "expected NAME:VALUE, got 'garbage'"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(t); i++) {
		cs_cvss_result r = {7, 7, 7.0, "sentinel"};
		cs_err err;
		int rc;

		cs_err_clear(&err);
		rc = cs_cvss_score(t[i].vector, &r, &err);
		if (rc != CS_EFORMAT || !strstr(err.msg, t[i].why) || !cs_str_starts(err.msg, "invalid CVSS vector '")) {
			fprintf(stderr, "  '%s': rc %d, message \"%s\", expected \"%s\"\n", t[i].vector, rc, err.msg,
				t[i].why);
			test_failures++;
		}
		/* untouched on failure */
		CHECK(r.version_major == 7 && r.version_minor == 7 && r.base_score == 7.0 &&
		      !strcmp(r.severity, "sentinel"));
	}
}

TEST(messages)
{
	cs_cvss_result r;
	cs_err err;
	char big[4096];

	cs_err_clear(&err);
	CHECK_INT(cs_cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", &r, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid CVSS vector 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H': missing base metric 'A'");
	cs_err_clear(&err);
	CHECK_INT(cs_cvss_score("CVSS:4.0/AV:\x01\xff", &r, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid CVSS vector 'CVSS:4.0/AV:?\?': invalid value for metric: 'AV:?\?'");
	/* a long vector is quoted to 160 bytes, a long metric name to 32 */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "CVSS:3.1/", 9);
	cs_err_clear(&err);
	CHECK_INT(cs_cvss_score(big, &r, &err), CS_EFORMAT);
	CHECK(strlen(err.msg) < 300);
	CHECK(strstr(err.msg, "AAA...': expected NAME:VALUE, got 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA...'") != NULL);
	/* NULL err and NULL vector */
	CHECK_INT(cs_cvss_score("AV:N", &r, NULL), CS_EFORMAT);
	cs_err_clear(&err);
	CHECK_INT(cs_cvss_score(NULL, &r, &err), CS_EFORMAT);
	CHECK(err.msg[0] != '\0');
	/* the first error recorded wins */
	CHECK_INT(cs_cvss_score("garbage", &r, &err), CS_EFORMAT);
	CHECK_STR(err.msg, "invalid CVSS vector: none given");
}

/* --- properties over all base vectors ----------------------------------- */

/*
 * v3.1 changed Roundup to fix v3.0's float errors, but over the 2,592 base
 * vectors the two never differ (the float sums never land just above a
 * tenth; they do for environmental scores, which customs does not compute).
 */
TEST(v30_v31_agree_on_base)
{
	static const char *const vals[8][4] = {{"N", "A", "L", "P"}, {"L", "H"}, {"N", "L", "H"}, {"N", "R"},
					       {"U", "C"}, {"H", "L", "N"}, {"H", "L", "N"}, {"H", "L", "N"}};
	static const char *const names[8] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
	static const int counts[8] = {4, 2, 3, 2, 2, 3, 3, 3};
	int idx[8] = {0}, k;
	size_t n = 0, differ = 0;

	for (;;) {
		char tail[64], v30[80], v31[80], a[16], b[16];
		size_t o = 0;
		int j;

		for (j = 0; j < 8; j++)
			o += (size_t)snprintf(tail + o, sizeof(tail) - o, "/%s:%s", names[j], vals[j][idx[j]]);
		snprintf(v30, sizeof(v30), "CVSS:3.0%s", tail);
		snprintf(v31, sizeof(v31), "CVSS:3.1%s", tail);
		if (strcmp(score_of(v30, a, sizeof(a)), score_of(v31, b, sizeof(b))))
			differ++;
		n++;
		for (k = 7; k >= 0 && ++idx[k] == counts[k]; k--)
			idx[k] = 0;
		if (k < 0)
			break;
	}
	CHECK_INT(n, 2592);
	CHECK_INT(differ, 0);
}

/* --- the reference ---------------------------------------------------------- */

typedef struct gen_metric {
	const char *name;
	const char *values[7]; /* NULL-terminated */
} gen_metric;

typedef struct gen_version {
	const char *prefix; /* "" for v2.0 */
	const gen_metric *m;
	size_t n, nbase;
	bool shuffle; /* any order (v3) */
} gen_version;

/* The metric tables again, from the specifications, independent of cvss.c. */
static const gen_metric gen_v2[] = {
	{"AV", {"L", "A", "N"}}, {"AC", {"H", "M", "L"}}, {"Au", {"M", "S", "N"}}, {"C", {"N", "P", "C"}},
	{"I", {"N", "P", "C"}}, {"A", {"N", "P", "C"}}, {"E", {"U", "POC", "F", "H", "ND"}},
	{"RL", {"OF", "TF", "W", "U", "ND"}}, {"RC", {"UC", "UR", "C", "ND"}},
	{"CDP", {"N", "L", "LM", "MH", "H", "ND"}}, {"TD", {"N", "L", "M", "H", "ND"}},
	{"CR", {"L", "M", "H", "ND"}}, {"IR", {"L", "M", "H", "ND"}}, {"AR", {"L", "M", "H", "ND"}},
};

static const gen_metric gen_v3[] = {
	{"AV", {"N", "A", "L", "P"}}, {"AC", {"L", "H"}}, {"PR", {"N", "L", "H"}}, {"UI", {"N", "R"}},
	{"S", {"U", "C"}}, {"C", {"H", "L", "N"}}, {"I", {"H", "L", "N"}}, {"A", {"H", "L", "N"}},
	{"E", {"X", "H", "F", "P", "U"}}, {"RL", {"X", "U", "W", "T", "O"}}, {"RC", {"X", "C", "R", "U"}},
	{"CR", {"X", "H", "M", "L"}}, {"IR", {"X", "H", "M", "L"}}, {"AR", {"X", "H", "M", "L"}},
	{"MAV", {"X", "N", "A", "L", "P"}}, {"MAC", {"X", "L", "H"}}, {"MPR", {"X", "N", "L", "H"}},
	{"MUI", {"X", "N", "R"}}, {"MS", {"X", "U", "C"}}, {"MC", {"X", "H", "L", "N"}},
	{"MI", {"X", "H", "L", "N"}}, {"MA", {"X", "H", "L", "N"}},
};

static const gen_metric gen_v4[] = {
	{"AV", {"N", "A", "L", "P"}}, {"AC", {"L", "H"}}, {"AT", {"N", "P"}}, {"PR", {"N", "L", "H"}},
	{"UI", {"N", "P", "A"}}, {"VC", {"H", "L", "N"}}, {"VI", {"H", "L", "N"}}, {"VA", {"H", "L", "N"}},
	{"SC", {"H", "L", "N"}}, {"SI", {"H", "L", "N"}}, {"SA", {"H", "L", "N"}},
	{"E", {"X", "A", "P", "U"}}, {"CR", {"X", "H", "M", "L"}}, {"IR", {"X", "H", "M", "L"}},
	{"AR", {"X", "H", "M", "L"}}, {"MAV", {"X", "N", "A", "L", "P"}}, {"MAC", {"X", "L", "H"}},
	{"MAT", {"X", "N", "P"}}, {"MPR", {"X", "N", "L", "H"}}, {"MUI", {"X", "N", "P", "A"}},
	{"MVC", {"X", "H", "L", "N"}}, {"MVI", {"X", "H", "L", "N"}}, {"MVA", {"X", "H", "L", "N"}},
	{"MSC", {"X", "H", "L", "N"}}, {"MSI", {"X", "S", "H", "L", "N"}},
	{"MSA", {"X", "S", "H", "L", "N"}}, {"S", {"X", "N", "P"}}, {"AU", {"X", "N", "Y"}},
	{"R", {"X", "A", "U", "I"}}, {"V", {"X", "D", "C"}}, {"RE", {"X", "L", "M", "H"}},
	{"U", {"X", "Clear", "Green", "Amber", "Red"}},
};

enum { G_V2, G_V30, G_V31, G_V40, G_COUNT };

static const gen_version gen_versions[G_COUNT] = {
	{"", gen_v2, CS_ARRAY_LEN(gen_v2), 6, false},
	{"CVSS:3.0/", gen_v3, CS_ARRAY_LEN(gen_v3), 8, true},
	{"CVSS:3.1/", gen_v3, CS_ARRAY_LEN(gen_v3), 8, true},
	{"CVSS:4.0/", gen_v4, CS_ARRAY_LEN(gen_v4), 11, false},
};

static const char *const gen_labels[G_COUNT] = {"v2.0", "v3.0", "v3.1", "v4.0"};

typedef struct vectors {
	char **v;
	const char **want; /* published score, or NULL */
	int *ver;          /* G_* */
	size_t n, cap;
} vectors;

static void add(vectors *vs, const char *v, const char *want, int ver)
{
	if (vs->n == vs->cap) {
		vs->cap = vs->cap ? vs->cap * 2 : 4096;
		vs->v = realloc(vs->v, vs->cap * sizeof(*vs->v));
		vs->want = realloc(vs->want, vs->cap * sizeof(*vs->want));
		vs->ver = realloc(vs->ver, vs->cap * sizeof(*vs->ver));
		if (!vs->v || !vs->want || !vs->ver)
			abort();
	}
	if (!(vs->v[vs->n] = strdup(v)))
		abort();
	vs->want[vs->n] = want;
	vs->ver[vs->n] = ver;
	vs->n++;
}

static size_t nvalues(const gen_metric *m)
{
	size_t n = 0;

	while (n < CS_ARRAY_LEN(m->values) && m->values[n])
		n++;
	return n;
}

/* Every base vector of version g, in table order. */
static void add_all_base(vectors *vs, int g)
{
	const gen_version *gv = &gen_versions[g];
	size_t idx[16] = {0};
	int k;

	for (;;) {
		char buf[256];
		size_t o = (size_t)snprintf(buf, sizeof(buf), "%s", gv->prefix), j;

		for (j = 0; j < gv->nbase; j++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s:%s", j ? "/" : "", gv->m[j].name,
					      gv->m[j].values[idx[j]]);
		add(vs, buf, NULL, g);
		for (k = (int)gv->nbase - 1; k >= 0 && ++idx[k] == nvalues(&gv->m[k]); k--)
			idx[k] = 0;
		if (k < 0)
			break;
	}
}

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next(rng *r) /* xorshift64* */
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static size_t pick(rng *r, size_t n)
{
	return (size_t)(next(r) % n);
}

/* A valid vector of version g: every base metric, each optional one with
 * probability 1/3 (any of its values, X or ND included), v3 shuffled. */
static void add_random(vectors *vs, int g, rng *r)
{
	const gen_version *gv = &gen_versions[g];
	size_t order[40], n = 0, i;
	char buf[512];
	size_t o;

	for (i = 0; i < gv->n; i++)
		if (i < gv->nbase || pick(r, 3) == 0)
			order[n++] = i;
	if (gv->shuffle)
		for (i = n; i > 1; i--) {
			size_t j = pick(r, i), t = order[i - 1];

			order[i - 1] = order[j];
			order[j] = t;
		}
	o = (size_t)snprintf(buf, sizeof(buf), "%s", gv->prefix);
	for (i = 0; i < n; i++) {
		const gen_metric *m = &gv->m[order[i]];

		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s:%s", i ? "/" : "", m->name,
				      m->values[pick(r, nvalues(m))]);
	}
	add(vs, buf, NULL, g);
}

static void add_examples(vectors *vs, const example *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *v = t[i].vector;
		int g = G_V2;

		if (cs_str_starts(v, "CVSS:4.0/"))
			g = G_V40;
		else if (cs_str_starts(v, "CVSS:3.1/"))
			g = G_V31;
		else if (cs_str_starts(v, "CVSS:3.0/"))
			g = G_V30;

		/* the reference reads no parentheses */
		if (v[0] == '(')
			continue;
		add(vs, v, t[i].score, g);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Runs tests/oracle/cvss/ref.sh over all vectors, once; *lines gets one
 * answer per vector (pointers into *buf). False, with a failed check, when
 * the reference cannot run or answers wrongly shaped.
 */
static bool run_reference(const vectors *vs, char ***lines, char **buf)
{
	char in[] = "/tmp/customs-cvss-XXXXXX", outp[] = "/tmp/customs-cvss-ref-XXXXXX", cmd[256];
	int fd_in = mkstemp(in), fd_out = mkstemp(outp), status;
	size_t i, len = 0, n = 0;
	FILE *f = NULL;
	char *s;
	double t0;
	bool ok = false;

	*lines = NULL;
	*buf = NULL;
	if (fd_in < 0 || fd_out < 0 || !(f = fdopen(fd_in, "wb"))) {
		fprintf(stderr, "  cannot create temporary files for the CVSS reference\n");
		test_failures++;
		goto done;
	}
	fd_in = -1;
	for (i = 0; i < vs->n; i++)
		fprintf(f, "%s\n", vs->v[i]);
	if (fclose(f) != 0) {
		fprintf(stderr, "  cannot write %s\n", in);
		test_failures++;
		goto done;
	}
	snprintf(cmd, sizeof(cmd), "tests/oracle/cvss/ref.sh < %s > %s", in, outp);
	t0 = now();
	status = system(cmd);
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr,
			"  the CVSS reference did not run (%s: status %d): it needs node and npm "
			"(scripts/deps.sh test); see tests/oracle/cvss/ref.sh\n",
			cmd, status == -1 || !WIFEXITED(status) ? -1 : WEXITSTATUS(status));
		test_failures++;
		goto done;
	}
	printf("  reference ae-cvss-calculator: %zu vectors in %.2f s\n", vs->n, now() - t0);
	if (!(*buf = test_read_file(outp, &len))) {
		fprintf(stderr, "  cannot read %s\n", outp);
		test_failures++;
		goto done;
	}
	if (!(*lines = calloc(vs->n + 1, sizeof(**lines))))
		abort();
	for (s = *buf; *s && n <= vs->n; n++) {
		char *nl = strchr(s, '\n');

		if (n < vs->n)
			(*lines)[n] = s;
		if (!nl)
			break;
		*nl = '\0';
		s = nl + 1;
	}
	if (n != vs->n) {
		fprintf(stderr, "  the CVSS reference gave %zu answers for %zu vectors\n", n, vs->n);
		test_failures++;
		goto done;
	}
	ok = true;
done:
	if (fd_in >= 0)
		close(fd_in);
	if (fd_out >= 0)
		close(fd_out);
	if (getenv("CUSTOMS_KEEP_VECTORS"))
		fprintf(stderr, "  kept %s\n", in);
	else
		unlink(in);
	unlink(outp);
	return ok;
}

TEST(reference)
{
	vectors vs = {0};
	rng r = {0x9e3779b97f4a7c15ULL};
	size_t agree[G_COUNT] = {0}, total[G_COUNT] = {0}, bad = 0, bad_table = 0, i;
	char **lines = NULL, *buf = NULL;
	int g;

	add_examples(&vs, v2_examples, CS_ARRAY_LEN(v2_examples));
	add_examples(&vs, v3_examples, CS_ARRAY_LEN(v3_examples));
	add_examples(&vs, v4_examples, CS_ARRAY_LEN(v4_examples));
	add_all_base(&vs, G_V2);
	add_all_base(&vs, G_V30);
	add_all_base(&vs, G_V31);
	if (getenv("CUSTOMS_CVSS_EXHAUSTIVE"))
		add_all_base(&vs, G_V40);
	for (g = 0; g < G_COUNT; g++)
		for (i = 0; i < GENERATED; i++)
			add_random(&vs, g, &r);

	if (run_reference(&vs, &lines, &buf)) {
		for (i = 0; i < vs.n; i++) {
			char mine[16];
			const char *got = score_of(vs.v[i], mine, sizeof(mine));

			total[vs.ver[i]]++;
			if (!strcmp(got, lines[i]))
				agree[vs.ver[i]]++;
			else if (bad++ < 10)
				fprintf(stderr, "  '%s': customs %s, reference %s\n", vs.v[i], got, lines[i]);
			if (vs.want[i] && strcmp(vs.want[i], lines[i]) && bad_table++ < 10)
				fprintf(stderr, "  '%s': published %s, reference %s\n", vs.v[i], vs.want[i], lines[i]);
		}
		for (g = 0; g < G_COUNT; g++)
			printf("  %s: %zu of %zu agree\n", gen_labels[g], agree[g], total[g]);
		if (bad || bad_table) {
			fprintf(stderr, "  %zu vectors differ from the reference, %zu published scores differ\n", bad,
				bad_table);
			test_failures++;
		}
	}
	for (i = 0; i < vs.n; i++)
		free(vs.v[i]);
	free(vs.v);
	free(vs.want);
	free(vs.ver);
	free(lines);
	free(buf);
}

TEST_MAIN(TEST_ENTRY(v2_examples), TEST_ENTRY(v3_examples), TEST_ENTRY(v4_examples), TEST_ENTRY(result_fields),
	  TEST_ENTRY(severity), TEST_ENTRY(malformed), TEST_ENTRY(messages), TEST_ENTRY(v30_v31_agree_on_base),
	  TEST_ENTRY(reference))
