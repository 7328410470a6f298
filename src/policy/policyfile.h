/*
 * policyfile.h - a policy (--policy FILE): rules of gate, trigger,
 * parameters and action, in the spirit of Anchore's policy bundles.
 *
 *     name: release
 *     rules:
 *       - id: no-criticals
 *         gate: vulnerabilities
 *         trigger: severity
 *         parameters: {severity: critical}
 *         action: STOP
 *
 * Gates, triggers and parameters are listed in docs/policy.md (one table
 * in policyfile.c is the truth). The file is validated strictly: an
 * unknown key, gate, trigger or parameter, a missing required parameter
 * or a bad value is a one-line error naming the file and the rule.
 * Evaluation adds one hit per rule that fired; the verdict is "fail" when
 * a STOP rule fired, "warn" when a WARN rule did, else "pass".
 */
#ifndef CS_POLICY_POLICYFILE_H
#define CS_POLICY_POLICYFILE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "policy/putil.h"
#include "scan/scan.h"

typedef struct cs_policy_rules cs_policy_rules;

/*
 * Parses a policy from data[0..len) (YAML; JSON is YAML too) into *out,
 * everything allocated from a. what names the input in messages (the file
 * name). CS_EFORMAT (message names what and the rule), CS_ELIMIT, CS_ENOMEM.
 */
int cs_policyfile_parse(cs_policy_rules **out, cs_arena *a, const char *what, const char *data, size_t len,
			cs_err *err);

/*
 * Loads path, or the built-in default policy when path is "default" (a
 * file of that name is ./default). Errors as cs_policyfile_parse, and
 * CS_EIO when the file cannot be read.
 */
int cs_policyfile_load(cs_policy_rules **out, cs_arena *a, const char *path, cs_err *err);

/* The built-in default policy, as YAML (the README shows the same text). */
const char *cs_policyfile_default_yaml(void);

/* The policy's name (its "name", else the file name). */
const char *cs_policyfile_name(const cs_policy_rules *p);
/* Number of rules. */
size_t cs_policyfile_rule_count(const cs_policy_rules *p);

/* What a policy is judged against besides the scan. */
typedef struct cs_policy_env {
	long long now;      /* Unix seconds: the report time */
	long long db_built; /* Unix seconds the vulnerability database was built; 0 unknown or none */
} cs_policy_env;

/*
 * Evaluates every rule against s (suppressed findings never count) and
 * appends one hit per rule that fired, in rule order. CS_ENOMEM.
 */
int cs_policyfile_eval(const cs_policy_rules *p, const cs_scan *s, const cs_policy_env *env, cs_pol_hits *hits);

#endif
