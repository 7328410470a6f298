/*
 * gates.h - the quick gates of the command line: --severity (which
 * findings count), --fixable-only (only vulnerabilities with a fix) and
 * --fail-on SEVERITY.
 *
 * --severity and --fixable-only filter: the findings they leave out are
 * dropped from the scan before anything else looks at it, so they neither
 * count toward a gate or policy nor appear in any report (not even with
 * --show-suppressed: nobody suppressed them, the user asked not to see
 * them), as Trivy's --severity and --ignore-unfixed do.
 */
#ifndef CS_POLICY_GATES_H
#define CS_POLICY_GATES_H

#include "core/compat.h"
#include "core/error.h"
#include "policy/putil.h"
#include "scan/scan.h"

/* Every severity rank (bit r for rank r, as cs_severity_rank numbers them). */
#define CS_GATES_ALL_SEVERITIES 0x3fu

/*
 * Parses a comma-separated, case-insensitive list of severities
 * ("critical,HIGH") into a rank mask; NULL means all. CS_EUSAGE naming
 * the bad word, or an empty list.
 */
int cs_gates_severities(unsigned *mask, const char *list, cs_err *err);
/* --fail-on WORD -> rank; -1 when word is NULL. CS_EUSAGE for an unknown word. */
int cs_gates_fail_on(int *rank, const char *word, cs_err *err);

/*
 * Drops the findings outside mask and, with fixable_only, the
 * vulnerabilities without a fixed version. Secrets and misconfigurations
 * have no fix to wait for: fixable_only leaves them alone.
 */
void cs_gates_filter(cs_scan *s, unsigned mask, bool fixable_only);

/*
 * --fail-on: for each kind (vulnerabilities, secrets, misconfigurations)
 * with a finding that counts (not suppressed) at or above rank, one "stop"
 * hit naming the findings. CS_ENOMEM.
 */
int cs_gates_eval_fail_on(const cs_scan *s, int rank, cs_pol_hits *hits);

#endif
