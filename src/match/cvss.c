/*
 * cvss.c - CVSS v2.0, v3.0, v3.1 and v4.0 base scores from vector strings.
 *
 * Matching rates a finding by the distribution's severity, else by a CVSS
 * score computed here from the advisory's vector, else by NVD's. One table of
 * metrics per version drives a shared parser; each version then has its own
 * small scoring function, written from the FIRST specifications (v2.0
 * guide section 3.2.1, v3.0 and v3.1 section 7.1 and v3.1 appendix A, v4.0
 * section 8). docs/cvss.md explains the choices; tests/unit/test_cvss.c holds
 * published examples and the comparison with an independent implementation.
 */
#include "core/compat.h"
#include "match/cvss.h"
#include "match/vutil.h"

#include <math.h>

#include "core/strutil.h"

/* --- vector strings: one table of metrics per version ---------------------- */

#define MAX_METRICS 32 /* v4.0 has the most: 32 */

typedef struct metric_def {
	const char *name;
	const char *values[7]; /* NULL-terminated; scoring uses the index */
} metric_def;

typedef struct version_def {
	int major, minor;
	const metric_def *metrics;
	size_t n;     /* entries of metrics */
	size_t nbase; /* the first nbase are the mandatory base metrics */
	bool ordered; /* metrics must come in table order (v2.0, v4.0) */
} version_def;

/* v2.0 guide, table 12. Base values in increasing weight, see v2_base(). */
static const metric_def v2_metrics[] = {
	{"AV", {"L", "A", "N", NULL}},
	{"AC", {"H", "M", "L", NULL}},
	{"Au", {"M", "S", "N", NULL}},
	{"C", {"N", "P", "C", NULL}},
	{"I", {"N", "P", "C", NULL}},
	{"A", {"N", "P", "C", NULL}},
	{"E", {"U", "POC", "F", "H", "ND", NULL}},
	{"RL", {"OF", "TF", "W", "U", "ND", NULL}},
	{"RC", {"UC", "UR", "C", "ND", NULL}},
	{"CDP", {"N", "L", "LM", "MH", "H", "ND", NULL}},
	{"TD", {"N", "L", "M", "H", "ND", NULL}},
	{"CR", {"L", "M", "H", "ND", NULL}},
	{"IR", {"L", "M", "H", "ND", NULL}},
	{"AR", {"L", "M", "H", "ND", NULL}},
};

/* v3.0 and v3.1 specification, table 15 (the same metrics in both). */
static const metric_def v3_metrics[] = {
	{"AV", {"N", "A", "L", "P", NULL}},
	{"AC", {"L", "H", NULL}},
	{"PR", {"N", "L", "H", NULL}},
	{"UI", {"N", "R", NULL}},
	{"S", {"U", "C", NULL}},
	{"C", {"H", "L", "N", NULL}},
	{"I", {"H", "L", "N", NULL}},
	{"A", {"H", "L", "N", NULL}},
	{"E", {"X", "H", "F", "P", "U", NULL}},
	{"RL", {"X", "U", "W", "T", "O", NULL}},
	{"RC", {"X", "C", "R", "U", NULL}},
	{"CR", {"X", "H", "M", "L", NULL}},
	{"IR", {"X", "H", "M", "L", NULL}},
	{"AR", {"X", "H", "M", "L", NULL}},
	{"MAV", {"X", "N", "A", "L", "P", NULL}},
	{"MAC", {"X", "L", "H", NULL}},
	{"MPR", {"X", "N", "L", "H", NULL}},
	{"MUI", {"X", "N", "R", NULL}},
	{"MS", {"X", "U", "C", NULL}},
	{"MC", {"X", "H", "L", "N", NULL}},
	{"MI", {"X", "H", "L", "N", NULL}},
	{"MA", {"X", "H", "L", "N", NULL}},
};

/*
 * v4.0 specification, table 23, in its order. Base values are listed so
 * that the index is the severity level of section 8 (0 the most severe):
 * see v4_base().
 */
static const metric_def v4_metrics[] = {
	{"AV", {"N", "A", "L", "P", NULL}},
	{"AC", {"L", "H", NULL}},
	{"AT", {"N", "P", NULL}},
	{"PR", {"N", "L", "H", NULL}},
	{"UI", {"N", "P", "A", NULL}},
	{"VC", {"H", "L", "N", NULL}},
	{"VI", {"H", "L", "N", NULL}},
	{"VA", {"H", "L", "N", NULL}},
	{"SC", {"H", "L", "N", NULL}},
	{"SI", {"H", "L", "N", NULL}},
	{"SA", {"H", "L", "N", NULL}},
	{"E", {"X", "A", "P", "U", NULL}},
	{"CR", {"X", "H", "M", "L", NULL}},
	{"IR", {"X", "H", "M", "L", NULL}},
	{"AR", {"X", "H", "M", "L", NULL}},
	{"MAV", {"X", "N", "A", "L", "P", NULL}},
	{"MAC", {"X", "L", "H", NULL}},
	{"MAT", {"X", "N", "P", NULL}},
	{"MPR", {"X", "N", "L", "H", NULL}},
	{"MUI", {"X", "N", "P", "A", NULL}},
	{"MVC", {"X", "H", "L", "N", NULL}},
	{"MVI", {"X", "H", "L", "N", NULL}},
	{"MVA", {"X", "H", "L", "N", NULL}},
	{"MSC", {"X", "H", "L", "N", NULL}},
	{"MSI", {"X", "S", "H", "L", "N", NULL}},
	{"MSA", {"X", "S", "H", "L", "N", NULL}},
	{"S", {"X", "N", "P", NULL}},
	{"AU", {"X", "N", "Y", NULL}},
	{"R", {"X", "A", "U", "I", NULL}},
	{"V", {"X", "D", "C", NULL}},
	{"RE", {"X", "L", "M", "H", NULL}},
	{"U", {"X", "Clear", "Green", "Amber", "Red", NULL}},
};

static const version_def v2_def = {2, 0, v2_metrics, CS_ARRAY_LEN(v2_metrics), 6, true};
static const version_def v30_def = {3, 0, v3_metrics, CS_ARRAY_LEN(v3_metrics), 8, false};
static const version_def v31_def = {3, 1, v3_metrics, CS_ARRAY_LEN(v3_metrics), 8, false};
static const version_def v40_def = {4, 0, v4_metrics, CS_ARRAY_LEN(v4_metrics), 11, true};

/* CS_EFORMAT "invalid CVSS vector '<vector>': <why>". */
static int bad(cs_err *err, const char *vector, const char *why)
{
	char q[200];

	return cs_err_set(err, CS_EFORMAT, "invalid CVSS vector '%s': %s",
			  cs_vutil_quote_n(vector, strlen(vector), 160, q, sizeof(q)), why);
}

/* bad() with why = "<what> '<[p, p + n)>'", the part quoted. */
static int bad_part(cs_err *err, const char *vector, const char *what, const char *p, size_t n)
{
	char q[48], why[96];

	snprintf(why, sizeof(why), "%s '%s'", what, cs_vutil_quote_n(p, n, 32, q, sizeof(q)));
	return bad(err, vector, why);
}

static int find_name(const version_def *def, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < def->n; i++)
		if (strlen(def->metrics[i].name) == n && memcmp(def->metrics[i].name, p, n) == 0)
			return (int)i;
	return -1;
}

static int find_value(const metric_def *m, const char *p, size_t n)
{
	int i;

	for (i = 0; m->values[i]; i++)
		if (strlen(m->values[i]) == n && memcmp(m->values[i], p, n) == 0)
			return i;
	return -1;
}

/*
 * Parses the metrics "NAME:VALUE/NAME:VALUE..." of [p, p + n) against def:
 * val[i] gets the index of metric i's value, -1 when absent. Every base
 * metric must be there, none twice, and in table order when def says so.
 * vector is the whole input, for messages.
 */
static int parse_metrics(const version_def *def, const char *p, size_t n, int *val, const char *vector,
			 cs_err *err)
{
	size_t pos = 0, i;
	int last = -1;

	for (i = 0; i < def->n; i++)
		val[i] = -1;
	for (;;) {
		const char *seg = p + pos, *end = memchr(seg, '/', n - pos), *colon;
		size_t len = end ? (size_t)(end - seg) : n - pos;
		int m, v;

		if (len == 0)
			return bad(err, vector, "empty metric");
		colon = memchr(seg, ':', len);
		if (!colon)
			return bad_part(err, vector, "expected NAME:VALUE, got", seg, len);
		m = find_name(def, seg, (size_t)(colon - seg));
		if (m < 0)
			return bad_part(err, vector, "unknown metric", seg, (size_t)(colon - seg));
		if (val[m] >= 0)
			return bad_part(err, vector, "duplicate metric", seg, (size_t)(colon - seg));
		if (def->ordered && m < last)
			return bad_part(err, vector, "metric out of order:", seg, (size_t)(colon - seg));
		v = find_value(&def->metrics[m], colon + 1, len - (size_t)(colon - seg) - 1);
		if (v < 0)
			return bad_part(err, vector, "invalid value for metric:", seg, len);
		val[m] = v;
		last = m;
		if (!end)
			break;
		pos += len + 1;
	}
	for (i = 0; i < def->nbase; i++) {
		if (val[i] < 0) {
			char why[64];

			snprintf(why, sizeof(why), "missing base metric '%s'", def->metrics[i].name);
			return bad(err, vector, why);
		}
	}
	return 0;
}

/* --- rounding ----------------------------------------------------------- */

/* JavaScript's Math.round for the non-negative values here: halves go up. */
static double round_half_up(double x)
{
	double r = floor(x);

	return x - r >= 0.5 ? r + 1 : r;
}

/* --- v2.0: guide section 3.2.1 ------------------------------------------ */

/*
 * BaseScore = round_to_1_decimal(((0.6*Impact)+(0.4*Exploitability)-1.5)*f(Impact))
 * Impact = 10.41*(1-(1-ConfImpact)*(1-IntegImpact)*(1-AvailImpact))
 * Exploitability = 20*AccessVector*AccessComplexity*Authentication
 * f(Impact) = 0 if Impact = 0, 1.176 otherwise
 * Computed in binary floating point as NVD's calculator does, rounding half
 * up to one decimal. For all 729 base vectors that equals exact decimal
 * arithmetic: no exact result lies near a half.
 */
static double v2_base(const int *val)
{
	static const double av[] = {0.395, 0.646, 1.0}, ac[] = {0.35, 0.61, 0.71}, au[] = {0.45, 0.56, 0.704},
			    cia[] = {0.0, 0.275, 0.660};
	double impact = 10.41 * (1 - (1 - cia[val[3]]) * (1 - cia[val[4]]) * (1 - cia[val[5]]));
	double exploitability = 20 * av[val[0]] * ac[val[1]] * au[val[2]];
	double f = impact == 0 ? 0 : 1.176;
	double score = round_half_up(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f * 10) / 10;

	return score > 0 ? score : 0; /* no -0.0 when f is 0 */
}

/* --- v3.0 and v3.1: specification section 7.1 ---------------------------- */

/*
 * v3.0 section 7.1: "Round up is defined as the smallest number, specified to
 * one decimal place, that is equal to or higher than its input", applied, as
 * FIRST's and NVD's v3.0 calculators do, to the binary floating-point value.
 * Its float errors (4.000000000000001 becomes 4.1) are what v3.1 fixed.
 */
static double roundup30(double x)
{
	return ceil(x * 10) / 10;
}

/* v3.1 appendix A: Roundup through an integer of five decimals. */
static double roundup31(double x)
{
	int64_t i = (int64_t)round_half_up(x * 100000); /* x is within 0..10 */

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

/*
 * ISS = 1 - [(1 - C) x (1 - I) x (1 - A)]
 * Impact = 6.42 x ISS (scope unchanged),
 *          7.52 x (ISS - 0.029) - 3.25 x (ISS - 0.02)^15 (scope changed)
 * Exploitability = 8.22 x AV x AC x PR x UI
 * Base = 0 if Impact <= 0, else Roundup(Minimum(Impact + Exploitability, 10))
 *        (unchanged) or Roundup(Minimum(1.08 x (Impact + Exploitability), 10))
 * The operations are in the order of FIRST's calculators so that the binary
 * values, and so v3.0's rounding of them, agree.
 */
static double v3_base(const int *val, int minor)
{
	static const double av[] = {0.85, 0.62, 0.55, 0.2}, ac[] = {0.77, 0.44}, ui[] = {0.85, 0.62},
			    cia[] = {0.56, 0.22, 0.0};
	static const double pr_u[] = {0.85, 0.62, 0.27}, pr_c[] = {0.85, 0.68, 0.5};
	bool changed = val[4] == 1;
	double iss = 1 - ((1 - cia[val[5]]) * (1 - cia[val[6]]) * (1 - cia[val[7]]));
	double exploitability = 8.22 * av[val[0]] * ac[val[1]] * (changed ? pr_c : pr_u)[val[2]] * ui[val[3]];
	double impact, sum;

	if (!changed)
		impact = 6.42 * iss;
	else
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	if (impact <= 0)
		return 0;
	sum = changed ? (exploitability + impact) * 1.08 : exploitability + impact;
	if (sum > 10)
		sum = 10;
	return minor == 0 ? roundup30(sum) : roundup31(sum);
}

/* --- v4.0: specification section 8 --------------------------------------- */

/*
 * Severity levels of section 8 (0 the most severe; one level is the "0.1" of
 * FIRST's calculator), grouped by the equivalence set they belong to:
 * EQ1 = AV PR UI, EQ2 = AC AT, EQ3 with EQ6 = VC VI VA CR IR AR,
 * EQ4 = SC SI SA (SI and SA have S, Safety, at level 0, reachable only
 * through MSI and MSA). EQ5 (E) has one metric and no distance.
 */
enum { L_AV, L_PR, L_UI, L_AC, L_AT, L_VC, L_VI, L_VA, L_CR, L_IR, L_AR, L_SC, L_SI, L_SA, L_COUNT };

typedef struct v4_eq {
	int first, count; /* its metrics: levels [first, first + count) */
} v4_eq;

static const v4_eq v4_eqs[4] = {{L_AV, 3}, {L_AC, 2}, {L_VC, 6}, {L_SC, 3}}; /* EQ1, EQ2, EQ3+EQ6, EQ4 */

/*
 * The highest severity vectors of each MacroVector level, as levels of the
 * EQ's metrics, in the order of FIRST's published table (max_composed):
 * the first one the scored vector does not exceed is used.
 */
typedef struct v4_maxes {
	int n;
	int8_t lv[5][6];
} v4_maxes;

static const v4_maxes eq1_maxes[3] = {
	{1, {{0, 0, 0}}},                       /* AV:N/PR:N/UI:N */
	{3, {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}}, /* AV:A/PR:N/UI:N, AV:N/PR:L/UI:N, AV:N/PR:N/UI:P */
	{2, {{3, 0, 0}, {1, 1, 1}}},            /* AV:P/PR:N/UI:N, AV:A/PR:L/UI:P */
};

static const v4_maxes eq2_maxes[2] = {
	{1, {{0, 0}}},         /* AC:L/AT:N */
	{2, {{1, 0}, {0, 1}}}, /* AC:H/AT:N, AC:L/AT:P */
};

/* Indexed [eq3][eq6]; EQ3 2 with EQ6 0 cannot happen. */
static const v4_maxes eq3eq6_maxes[3][2] = {
	{
		{1, {{0, 0, 0, 0, 0, 0}}}, /* VC:H/VI:H/VA:H/CR:H/IR:H/AR:H */
		{2, {{0, 0, 1, 1, 1, 0},   /* VC:H/VI:H/VA:L/CR:M/IR:M/AR:H */
		     {0, 0, 0, 1, 1, 1}}}, /* VC:H/VI:H/VA:H/CR:M/IR:M/AR:M */
	},
	{
		{2, {{1, 0, 0, 0, 0, 0},   /* VC:L/VI:H/VA:H/CR:H/IR:H/AR:H */
		     {0, 1, 0, 0, 0, 0}}}, /* VC:H/VI:L/VA:H/CR:H/IR:H/AR:H */
		{5, {{1, 0, 1, 0, 1, 0},   /* VC:L/VI:H/VA:L/CR:H/IR:M/AR:H */
		     {1, 0, 0, 0, 1, 1},   /* VC:L/VI:H/VA:H/CR:H/IR:M/AR:M */
		     {0, 1, 0, 1, 0, 1},   /* VC:H/VI:L/VA:H/CR:M/IR:H/AR:M */
		     {0, 1, 1, 1, 0, 0},   /* VC:H/VI:L/VA:L/CR:M/IR:H/AR:H */
		     {1, 1, 0, 0, 0, 1}}}, /* VC:L/VI:L/VA:H/CR:H/IR:H/AR:M */
	},
	{
		{0, {{0}}},
		{1, {{1, 1, 1, 0, 0, 0}}}, /* VC:L/VI:L/VA:L/CR:H/IR:H/AR:H */
	},
};

static const v4_maxes eq4_maxes[3] = {
	{1, {{1, 0, 0}}}, /* SC:H/SI:S/SA:S */
	{1, {{1, 1, 1}}}, /* SC:H/SI:H/SA:H */
	{1, {{2, 2, 2}}}, /* SC:L/SI:L/SA:L */
};

/* The depth of each MacroVector level in severity steps (max_severity). */
static const int eq1_depth[3] = {1, 4, 5};
static const int eq2_depth[2] = {1, 2};
static const int eq3eq6_depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};
static const int eq4_depth[3] = {6, 5, 4};

/*
 * The score of every MacroVector "EQ1 EQ2 EQ3 EQ4 EQ5 EQ6", in tenths, from
 * the lookup table FIRST publishes with the specification (cvss_lookup.js),
 * sorted by MacroVector.
 */
static const struct {
	char mv[7];
	uint8_t tenths;
} v4_lookup[] = {
	{"000000", 100}, {"000001", 99}, {"000010", 98}, {"000011", 95}, {"000020", 95}, {"000021", 92},
	{"000100", 100}, {"000101", 96}, {"000110", 93}, {"000111", 87}, {"000120", 91}, {"000121", 81},
	{"000200", 93}, {"000201", 90}, {"000210", 89}, {"000211", 80}, {"000220", 81}, {"000221", 68},
	{"001000", 98}, {"001001", 95}, {"001010", 95}, {"001011", 92}, {"001020", 90}, {"001021", 84},
	{"001100", 93}, {"001101", 92}, {"001110", 89}, {"001111", 81}, {"001120", 81}, {"001121", 65},
	{"001200", 88}, {"001201", 80}, {"001210", 78}, {"001211", 70}, {"001220", 69}, {"001221", 48},
	{"002001", 92}, {"002011", 82}, {"002021", 72}, {"002101", 79}, {"002111", 69}, {"002121", 50},
	{"002201", 69}, {"002211", 55}, {"002221", 27}, {"010000", 99}, {"010001", 97}, {"010010", 95},
	{"010011", 92}, {"010020", 92}, {"010021", 85}, {"010100", 95}, {"010101", 91}, {"010110", 90},
	{"010111", 83}, {"010120", 84}, {"010121", 71}, {"010200", 92}, {"010201", 81}, {"010210", 82},
	{"010211", 71}, {"010220", 72}, {"010221", 53}, {"011000", 95}, {"011001", 93}, {"011010", 92},
	{"011011", 85}, {"011020", 85}, {"011021", 73}, {"011100", 92}, {"011101", 82}, {"011110", 80},
	{"011111", 72}, {"011120", 70}, {"011121", 59}, {"011200", 84}, {"011201", 70}, {"011210", 71},
	{"011211", 52}, {"011220", 50}, {"011221", 30}, {"012001", 86}, {"012011", 75}, {"012021", 52},
	{"012101", 71}, {"012111", 52}, {"012121", 29}, {"012201", 63}, {"012211", 29}, {"012221", 17},
	{"100000", 98}, {"100001", 95}, {"100010", 94}, {"100011", 87}, {"100020", 91}, {"100021", 81},
	{"100100", 94}, {"100101", 89}, {"100110", 86}, {"100111", 74}, {"100120", 77}, {"100121", 64},
	{"100200", 87}, {"100201", 75}, {"100210", 74}, {"100211", 63}, {"100220", 63}, {"100221", 49},
	{"101000", 94}, {"101001", 89}, {"101010", 88}, {"101011", 77}, {"101020", 76}, {"101021", 67},
	{"101100", 86}, {"101101", 76}, {"101110", 74}, {"101111", 58}, {"101120", 59}, {"101121", 50},
	{"101200", 72}, {"101201", 57}, {"101210", 57}, {"101211", 52}, {"101220", 52}, {"101221", 25},
	{"102001", 83}, {"102011", 70}, {"102021", 54}, {"102101", 65}, {"102111", 58}, {"102121", 26},
	{"102201", 53}, {"102211", 21}, {"102221", 13}, {"110000", 95}, {"110001", 90}, {"110010", 88},
	{"110011", 76}, {"110020", 76}, {"110021", 70}, {"110100", 90}, {"110101", 77}, {"110110", 75},
	{"110111", 62}, {"110120", 61}, {"110121", 53}, {"110200", 77}, {"110201", 66}, {"110210", 68},
	{"110211", 59}, {"110220", 52}, {"110221", 30}, {"111000", 89}, {"111001", 78}, {"111010", 76},
	{"111011", 67}, {"111020", 62}, {"111021", 58}, {"111100", 74}, {"111101", 59}, {"111110", 57},
	{"111111", 57}, {"111120", 47}, {"111121", 23}, {"111200", 61}, {"111201", 52}, {"111210", 57},
	{"111211", 29}, {"111220", 24}, {"111221", 16}, {"112001", 71}, {"112011", 59}, {"112021", 30},
	{"112101", 58}, {"112111", 26}, {"112121", 15}, {"112201", 23}, {"112211", 13}, {"112221", 6},
	{"200000", 93}, {"200001", 87}, {"200010", 86}, {"200011", 72}, {"200020", 75}, {"200021", 58},
	{"200100", 86}, {"200101", 74}, {"200110", 74}, {"200111", 61}, {"200120", 56}, {"200121", 34},
	{"200200", 70}, {"200201", 54}, {"200210", 52}, {"200211", 40}, {"200220", 40}, {"200221", 22},
	{"201000", 85}, {"201001", 75}, {"201010", 74}, {"201011", 55}, {"201020", 62}, {"201021", 51},
	{"201100", 72}, {"201101", 57}, {"201110", 55}, {"201111", 41}, {"201120", 46}, {"201121", 19},
	{"201200", 53}, {"201201", 36}, {"201210", 34}, {"201211", 19}, {"201220", 19}, {"201221", 8},
	{"202001", 64}, {"202011", 51}, {"202021", 20}, {"202101", 47}, {"202111", 21}, {"202121", 11},
	{"202201", 24}, {"202211", 9}, {"202221", 4}, {"210000", 88}, {"210001", 75}, {"210010", 73},
	{"210011", 53}, {"210020", 60}, {"210021", 50}, {"210100", 73}, {"210101", 55}, {"210110", 59},
	{"210111", 40}, {"210120", 41}, {"210121", 20}, {"210200", 54}, {"210201", 43}, {"210210", 45},
	{"210211", 22}, {"210220", 20}, {"210221", 11}, {"211000", 75}, {"211001", 55}, {"211010", 58},
	{"211011", 45}, {"211020", 40}, {"211021", 21}, {"211100", 61}, {"211101", 51}, {"211110", 48},
	{"211111", 18}, {"211120", 20}, {"211121", 9}, {"211200", 46}, {"211201", 18}, {"211210", 17},
	{"211211", 7}, {"211220", 8}, {"211221", 2}, {"212001", 53}, {"212011", 24}, {"212021", 14},
	{"212101", 24}, {"212111", 12}, {"212121", 5}, {"212201", 10}, {"212211", 3}, {"212221", 1},
};

_Static_assert(CS_ARRAY_LEN(v4_lookup) == 270, "3 x 2 x 5 (EQ3 with EQ6) x 3 x 3 MacroVectors");

/* The score of MacroVector eq[0..5] in tenths, -1 when there is none. */
static int v4_macro_score(const int *eq)
{
	char key[6];
	size_t lo = 0, hi = CS_ARRAY_LEN(v4_lookup);
	int i;

	for (i = 0; i < 6; i++) {
		if (eq[i] < 0 || eq[i] > 9)
			return -1;
		key[i] = (char)('0' + eq[i]);
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(key, v4_lookup[mid].mv, 6);

		if (c == 0)
			return v4_lookup[mid].tenths;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Like v4_macro_score() with eq[k] one level lower (numerically + 1). */
static int v4_lower_score(const int *eq, int k)
{
	int e[6];

	memcpy(e, eq, sizeof(e));
	e[k]++;
	return v4_macro_score(e);
}

/*
 * Index of the first max vector of m that lv[first..] does not exceed at any
 * metric (all severity distances >= 0), or -1.
 */
static int v4_first_max(const v4_maxes *m, const int *lv, const v4_eq *q)
{
	int i, j;

	for (i = 0; i < m->n; i++) {
		for (j = 0; j < q->count; j++)
			if (lv[q->first + j] < m->lv[i][j])
				break;
		if (j == q->count)
			return i;
	}
	return -1;
}

/*
 * CVSS-B of section 8: the MacroVector of the six equivalence sets gives the
 * score of its highest severity vector; the vector scores lower by the mean,
 * over the EQs whose next lower MacroVector exists, of
 *     (MacroVector score - next lower score) x distance / depth
 * where distance is how many severity steps the vector is below the first
 * highest severity vector it does not exceed, and depth is the MacroVector's
 * depth (EQ5 contributes 0 but counts in the mean). No impact at all scores
 * 0. The result is clamped to 0..10 and rounded half up to one decimal.
 *
 * Everything is computed exactly in integers (tenths over a common
 * denominator), which is what FIRST's calculator approximates with floats
 * plus 1e-6 before Math.round: exact halves go up.
 *
 * Threat and environmental metrics are not applied: E counts as X (= A) and
 * CR, IR, AR as X (= H), so that the score is the base score CVSS-B.
 */
static double v4_base(const int *val)
{
	int lv[L_COUNT], eq[6], k, n = 0;
	int pick[4], dist[4], depth[4], lower[5];
	const v4_maxes *maxes[4];
	int64_t den, num, sum = 0;

	lv[L_AV] = val[0];
	lv[L_AC] = val[1];
	lv[L_AT] = val[2];
	lv[L_PR] = val[3];
	lv[L_UI] = val[4];
	lv[L_VC] = val[5];
	lv[L_VI] = val[6];
	lv[L_VA] = val[7];
	lv[L_SC] = val[8] + 1; /* H L N are levels 1 2 3 */
	lv[L_SI] = val[9] + 1; /* level 0 is S, only in MSI */
	lv[L_SA] = val[10] + 1;
	lv[L_CR] = lv[L_IR] = lv[L_AR] = 0; /* X is H */

	if (lv[L_VC] == 2 && lv[L_VI] == 2 && lv[L_VA] == 2 && lv[L_SC] == 3 && lv[L_SI] == 3 && lv[L_SA] == 3)
		return 0;

	/* EQ1: 0 AV:N and PR:N and UI:N; 1 one of them N, AV not P; 2 otherwise. */
	if (lv[L_AV] == 0 && lv[L_PR] == 0 && lv[L_UI] == 0)
		eq[0] = 0;
	else if ((lv[L_AV] == 0 || lv[L_PR] == 0 || lv[L_UI] == 0) && lv[L_AV] != 3)
		eq[0] = 1;
	else
		eq[0] = 2;
	/* EQ2: 0 AC:L and AT:N; 1 otherwise. */
	eq[1] = lv[L_AC] == 0 && lv[L_AT] == 0 ? 0 : 1;
	/* EQ3: 0 VC:H and VI:H; 1 one of VC VI VA H; 2 none H. */
	if (lv[L_VC] == 0 && lv[L_VI] == 0)
		eq[2] = 0;
	else if (lv[L_VC] == 0 || lv[L_VI] == 0 || lv[L_VA] == 0)
		eq[2] = 1;
	else
		eq[2] = 2;
	/* EQ4: 0 MSI:S or MSA:S; 1 one of SC SI SA H; 2 none H. */
	if (lv[L_SI] == 0 || lv[L_SA] == 0)
		eq[3] = 0;
	else if (lv[L_SC] == 1 || lv[L_SI] == 1 || lv[L_SA] == 1)
		eq[3] = 1;
	else
		eq[3] = 2;
	/* EQ5: 0 E:A (and X); 1 E:P; 2 E:U. */
	eq[4] = 0;
	/* EQ6: 0 when (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H). */
	eq[5] = (lv[L_CR] == 0 && lv[L_VC] == 0) || (lv[L_IR] == 0 && lv[L_VI] == 0) ||
				(lv[L_AR] == 0 && lv[L_VA] == 0)
			? 0
			: 1;

	/* Next lower MacroVector scores. EQ3 and EQ6 move together: 00 goes to
	 * the higher of 01 and 10, 01 and 11 to 11 and 21, 10 to 11, 21 nowhere. */
	lower[0] = v4_lower_score(eq, 0);
	lower[1] = v4_lower_score(eq, 1);
	if (eq[2] == 0 && eq[5] == 0) {
		int a = v4_lower_score(eq, 5), b = v4_lower_score(eq, 2);

		lower[2] = a > b ? a : b;
	} else if (eq[2] == 1 && eq[5] == 0) {
		lower[2] = v4_lower_score(eq, 5);
	} else if (eq[2] < 2) {
		lower[2] = v4_lower_score(eq, 2);
	} else {
		lower[2] = -1;
	}
	lower[3] = v4_lower_score(eq, 3);
	lower[4] = v4_lower_score(eq, 4);

	/* Severity distances to the first highest severity vector not exceeded.
	 * FIRST's calculator tries the combinations of the EQs' max vectors in
	 * order and takes the first that works; since each EQ's check involves
	 * only its own metrics, that is the first that works in each EQ, or, when
	 * some EQ has none (no base vector), the last of every EQ. */
	maxes[0] = &eq1_maxes[eq[0]];
	maxes[1] = &eq2_maxes[eq[1]];
	maxes[2] = &eq3eq6_maxes[eq[2]][eq[5]];
	maxes[3] = &eq4_maxes[eq[3]];
	depth[0] = eq1_depth[eq[0]];
	depth[1] = eq2_depth[eq[1]];
	depth[2] = eq3eq6_depth[eq[2]][eq[5]];
	depth[3] = eq4_depth[eq[3]];
	for (k = 0; k < 4; k++)
		pick[k] = v4_first_max(maxes[k], lv, &v4_eqs[k]);
	if (pick[0] < 0 || pick[1] < 0 || pick[2] < 0 || pick[3] < 0)
		for (k = 0; k < 4; k++)
			pick[k] = maxes[k]->n - 1;
	for (k = 0; k < 4; k++) {
		int j;

		dist[k] = 0;
		for (j = 0; j < v4_eqs[k].count; j++)
			dist[k] += lv[v4_eqs[k].first + j] - maxes[k]->lv[pick[k]][j];
	}

	/* value = S - (1/n) sum (S - lower_k) dist_k / depth_k over existing
	 * lowers, as num / den with den = n x depth_0 x ... x depth_3. */
	den = 1;
	for (k = 0; k < 4; k++)
		den *= depth[k];
	for (k = 0; k < 4; k++)
		if (lower[k] >= 0)
			sum += (int64_t)(v4_macro_score(eq) - lower[k]) * dist[k] * (den / depth[k]);
	for (k = 0; k < 5; k++)
		n += lower[k] >= 0;
	if (n == 0) /* no lower MacroVector at all (never for CVSS-B: E:P is there) */
		n = 1;
	num = (int64_t)v4_macro_score(eq) * den * n - sum;
	den *= n;
	if (num < 0)
		num = 0;
	if (num > 100 * den)
		num = 100 * den;
	return (double)((2 * num + den) / (2 * den)) / 10;
}

/* --- the API -------------------------------------------------------------- */

int cs_cvss_score(const char *vector, cs_cvss_result *out, cs_err *err)
{
	const version_def *def;
	const char *p;
	size_t n;
	int val[MAX_METRICS], rc;
	double score;

	if (!vector)
		return cs_err_set(err, CS_EFORMAT, "invalid CVSS vector: none given");
	p = vector;
	n = strlen(vector);
	cs_mem_trim(&p, &n);
	if (n == 0)
		return bad(err, vector, "empty");
	if (cs_mem_starts(p, n, "CVSS:")) {
		const char *slash = memchr(p, '/', n);
		size_t plen = slash ? (size_t)(slash - p) : n;

		if (plen == 8 && memcmp(p, "CVSS:3.0", 8) == 0)
			def = &v30_def;
		else if (plen == 8 && memcmp(p, "CVSS:3.1", 8) == 0)
			def = &v31_def;
		else if (plen == 8 && memcmp(p, "CVSS:4.0", 8) == 0)
			def = &v40_def;
		else
			return bad_part(err, vector, "unknown CVSS version", p + 5, plen - 5);
		if (!slash || plen + 1 == n)
			return bad(err, vector, "no metrics");
		p += plen + 1;
		n -= plen + 1;
	} else {
		def = &v2_def;
		if (p[0] == '(' || p[n - 1] == ')') {
			if (n < 2 || p[0] != '(' || p[n - 1] != ')')
				return bad(err, vector, "unbalanced parentheses");
			p++;
			n -= 2;
			if (n == 0)
				return bad(err, vector, "no metrics");
		}
	}
	if ((rc = parse_metrics(def, p, n, val, vector, err)) < 0)
		return rc;
	switch (def->major) {
	case 2:
		score = v2_base(val);
		break;
	case 3:
		score = v3_base(val, def->minor);
		break;
	default:
		score = v4_base(val);
		break;
	}
	out->version_major = def->major;
	out->version_minor = def->minor;
	out->base_score = score;
	out->severity = cs_cvss_severity(score, def->major);
	return 0;
}

const char *cs_cvss_severity(double score, int major)
{
	long tenths;

	if (!(score >= 0 && score <= 10))
		return NULL;
	tenths = (long)round_half_up(score * 10);
	if (major == 2)
		return tenths < 40 ? "low" : tenths < 70 ? "medium" : "high";
	if (major != 3 && major != 4)
		return NULL;
	if (tenths == 0)
		return "none";
	return tenths < 40 ? "low" : tenths < 70 ? "medium" : tenths < 90 ? "high" : "critical";
}
