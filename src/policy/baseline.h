/*
 * baseline.h - --baseline REPORT.json: an earlier customs JSON report.
 * What it already listed is suppressed {kind "baseline"}, so only what is
 * new counts (pull-request checks); what it listed that is gone is
 * counted as fixed.
 *
 * A finding is "the same" when these agree:
 *   vulnerability     id, package name and installed version
 *   secret            rule id and path
 *   misconfiguration  id, and its Dockerfile path and line, or its path
 */
#ifndef CS_POLICY_BASELINE_H
#define CS_POLICY_BASELINE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

typedef struct cs_baseline cs_baseline;

/*
 * Parses a customs JSON report from data[0..len) into *out (from a). what
 * names it in messages and is the suppressions' source. CS_EFORMAT when it
 * is not JSON or not a customs report ("tool": {"name": "customs"});
 * CS_ENOMEM.
 */
int cs_baseline_parse(cs_baseline **out, cs_arena *a, const char *what, const char *data, size_t len,
		      cs_err *err);
/* Reads and parses path (CS_EIO when unreadable, CS_ELIMIT past 256 MiB). */
int cs_baseline_load(cs_baseline **out, cs_arena *a, const char *path, cs_err *err);

/* Distinct findings the baseline lists. */
size_t cs_baseline_count(const cs_baseline *b);

/* What applying a baseline found. */
typedef struct cs_baseline_result {
	size_t unchanged; /* findings of the scan the baseline had: suppressed now (unless already) */
	size_t added;     /* findings of the scan the baseline did not have */
	size_t fixed;     /* distinct baseline findings the scan no longer has */
} cs_baseline_result;

/*
 * Suppresses the findings of s that the baseline lists (unless already
 * suppressed) and fills *r. Findings suppressed otherwise still count as
 * present for "fixed". CS_ENOMEM.
 */
int cs_baseline_apply(const cs_baseline *b, cs_scan *s, cs_baseline_result *r);

#endif
