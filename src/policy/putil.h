/*
 * putil.h - what the policy stage's files share: bounded file reads,
 * globs, dates, severity words, the list of rules that fired and short
 * example lists for their messages.
 */
#ifndef CS_POLICY_PUTIL_H
#define CS_POLICY_PUTIL_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/model.h"

#include <cJSON.h>

#define CS_POLICY_MAX_FILE (16u << 20)    /* bytes: a policy, ignore or VEX file */
#define CS_POLICY_MAX_REPORT (256u << 20) /* bytes: a baseline report */
#define CS_POLICY_YAML_DEPTH 16           /* nesting of a policy or ignore file */

/*
 * Reads the whole file at path (at most max bytes) into a malloc'd,
 * NUL-terminated buffer (*out, *len). what names the file in messages
 * ("policy"). CS_EIO when it cannot be read, CS_ELIMIT when too large.
 */
int cs_pol_read(char **out, size_t *len, const char *path, size_t max, const char *what, cs_err *err);

/* Shell glob (fnmatch, '*' also spans '/'); fold: ASCII case-insensitive. */
bool cs_pol_glob(const char *pattern, const char *s, bool fold);

/*
 * Severity word (case-insensitive) -> rank as cs_severity_rank gives it
 * (critical 5 .. negligible 1, unknown 0); -1 for any other word.
 */
int cs_pol_severity(const char *word);
/* Rank -> lower-case word ("critical"); "unknown" for 0 or out of range. */
const char *cs_pol_severity_name(int rank);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
long long cs_pol_days(int y, int m, int d);
/* Strict "YYYY-MM-DD" (a real date) -> days since 1970-01-01. */
bool cs_pol_date(const char *s, long long *day);
/*
 * RFC 3339 date-time ("2023-01-08T18:02:03.647787998-06:00", "...Z"), or
 * a bare date, -> Unix seconds (the offset applied). False when malformed.
 */
bool cs_pol_time(const char *s, long long *t);

/* The rules that fired, in the order they fired; items from a. */
typedef struct cs_pol_hits {
	cs_arena *a;          /* borrowed: the scan's arena */
	cs_policy_hit *items; /* arena */
	size_t len, cap;
} cs_pol_hits;

/* Appends a hit; every string is copied into h->a. CS_ENOMEM. */
int cs_pol_hit(cs_pol_hits *h, const char *rule, const char *gate, const char *trigger, const char *action,
	       const char *message);

/*
 * A count of matches and the first few of them, for a hit's message:
 * "CVE-1 in musl 1.1.23-r0, CVE-2 in ... and 4 more".
 */
#define CS_POL_EXAMPLES 3
typedef struct cs_pol_list {
	size_t n;          /* matches counted */
	char text[512];    /* the first CS_POL_EXAMPLES, ", "-separated */
} cs_pol_list;

void cs_pol_list_add(cs_pol_list *l, const char *fmt, ...) CS_PRINTF(2, 3);
/* "<head>: <examples>[ and N more]" in a; NULL when out of memory. */
const char *cs_pol_list_message(const cs_pol_list *l, cs_arena *a, const char *head);
/* "1 vulnerability" / "3 vulnerabilities": noun's plural for n != 1. */
const char *cs_pol_count(cs_arena *a, size_t n, const char *one, const char *many);

/*
 * Sets a one-line error: the message formatted, then every control byte
 * (a newline or an escape from a file's key or value) replaced by '?', so
 * that quoted untrusted text can neither break the line nor drive a
 * terminal. Returns code.
 */
int cs_pol_error(cs_err *err, int code, const char *fmt, ...) CS_PRINTF(3, 4);

/* The string member name of obj, NULL when absent, JSON null, or not a string. */
const char *cs_pol_jstr(const cJSON *obj, const char *name);

#endif
