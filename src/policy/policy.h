/*
 * policy.h - what happens after matching: suppress what the user has
 * accepted (ignore file, VEX, a baseline report), then judge what is left
 * (quick gates, a policy file) into a verdict the exit code follows.
 */
#ifndef CS_POLICY_H
#define CS_POLICY_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

#define CS_POLICY_MAX_VEX 16

typedef struct cs_policy_opts {
	const char *severities;   /* --severity LIST (which findings count), or NULL: all */
	bool fixable_only;        /* --fixable-only / --ignore-unfixed */
	const char *fail_on;      /* --fail-on SEVERITY, or NULL */
	int exit_code;            /* --exit-code N for a failed gate or policy (default 1) */
	const char *policy_file;  /* --policy FILE (YAML), or NULL */
	const char *ignore_file;  /* --ignore-file, or NULL: .customsignore.yaml when present */
	bool show_suppressed;     /* --show-suppressed: keep suppressed findings in the reports */
	const char *vex[CS_POLICY_MAX_VEX]; /* --vex FILE, repeatable */
	size_t nvex;
	const char *baseline;     /* --baseline REPORT.json, or NULL */
	long long now;            /* the report time (expiry dates are judged against it) */
	long long db_built;       /* Unix seconds the vulnerability database was built; 0 unknown or none */
} cs_policy_opts;

void cs_policy_opts_default(cs_policy_opts *o);

/*
 * Checks o before a scan, so that a mistake fails fast: the severity words
 * (CS_EUSAGE), and that the policy, ignore, VEX and baseline files read
 * and parse (their codes: CS_EIO, CS_EFORMAT, CS_ELIMIT), with a one-line
 * message naming the file in err.
 */
int cs_policy_check(const cs_policy_opts *o, cs_err *err);

/*
 * Applies o to a finished, matched scan, in this order:
 *  1. drops the findings --severity and --fixable-only leave out;
 *  2. suppresses what the ignore file, the VEX documents and the baseline
 *     accept (the first to claim a finding names it), warning about expired
 *     ignore entries and saying what the baseline comparison found;
 *  3. when a gate or a policy was given, judges the findings that still
 *     count and records the verdict (cs_scan_set_policy);
 *  4. without show_suppressed, drops the suppressed findings.
 * Returns 0, or a negative code with a one-line message naming the file in
 * err (an unreadable or malformed ignore, VEX, policy or baseline file).
 */
int cs_policy_apply(cs_scan *s, const cs_policy_opts *o, cs_err *err);

/* True when any option asks for a verdict (a gate or a policy file). */
bool cs_policy_wanted(const cs_policy_opts *o);

#endif
