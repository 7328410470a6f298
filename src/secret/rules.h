/*
 * rules.h - what a secret rule is, and the built-in ones.
 *
 * A rule names one kind of secret (a GitHub token, an RSA private key, a
 * password assignment): an id, a category, a title and a severity for the
 * report; keywords, literals one of which must have been seen in the file
 * at or before the match (the gate, see engine.h); a regular expression in
 * the common subset of Vectorscan and PCRE2 (no back-references, no
 * look-around) with the secret in one capture group; and the checks the
 * captured value must pass (entropy, placeholders, value allow-lists).
 *
 * The built-in rules are listed once in rules.def; custom rules come from a
 * YAML file (config.h) and use the same struct, so the engine treats both
 * alike. Allow rules (cs_secret_allow) suppress findings by path or by value,
 * globally or for one rule.
 */
#ifndef CS_SECRET_RULES_H
#define CS_SECRET_RULES_H

#include "core/compat.h"

typedef enum cs_secret_severity {
	CS_SECRET_UNKNOWN = 0,
	CS_SECRET_LOW,
	CS_SECRET_MEDIUM,
	CS_SECRET_HIGH,
	CS_SECRET_CRITICAL,
} cs_secret_severity;

/* Rule flags. */
enum {
	/* High confidence: the rule still counts in binary files (a distinctive
	 * prefix or a PEM header, not a key=value heuristic). */
	CS_SR_BIN = 1u << 0,
	/* Generic assignment: the value must look like a real secret, not like
	 * code, a template or a placeholder (check.h, cs_secret_generic_ok). */
	CS_SR_GENERIC = 1u << 1,
	/* The value is a password a human chose: shorter values and fewer
	 * character classes are accepted than for a token (with CS_SR_GENERIC). */
	CS_SR_PASSWORD = 1u << 2,
	/* The value is unquoted (KEY=value): code files, where such a value is
	 * an expression, are left to the quoted rules ("code" allow rule). */
	CS_SR_BARE = 1u << 3,
	/* The match starts with a key name (DB_PASSWORD=, "client_secret":):
	 * the name must not say the value is a hash, a name, a URL, an example
	 * (cs_secret_generic_key_ok). */
	CS_SR_KEYED = 1u << 4,
	/* Compiled for Vectorscan with HS_FLAG_PREFILTER (custom rules that use
	 * constructs Vectorscan lacks); PCRE2 decides every hit. Set by the engine. */
	CS_SR_PREFILTER = 1u << 5,
};

/* The most capture groups a rule may name as its secret. */
#define CS_SECRET_MAX_GROUPS 4

/*
 * An allow rule: a finding is dropped when every condition given matches
 * (path: the file path, unanchored; value: the secret, unanchored). A
 * global allow rule applies to every rule, or only to the rules that have
 * one of its rule_flags; a path-only global allow rule that applies to
 * every rule skips the whole file before it is read.
 */
typedef struct cs_secret_allow {
	const char *id;          /* "tests", or a custom id; may be NULL for a rule's own */
	const char *description; /* for documentation, may be NULL */
	const char *path;        /* PCRE2 regex on the path, or NULL */
	const char *value;       /* PCRE2 regex on the secret, or NULL */
	unsigned rule_flags;     /* CS_SR_* of the rules it applies to; 0: all rules */
} cs_secret_allow;

typedef struct cs_secret_rule {
	const char *id;         /* "github-pat": unique, lower case, [a-z0-9-] */
	const char *category;   /* "github", "aws", "private-key", "generic" */
	const char *title;      /* one line for humans */
	cs_secret_severity severity;
	unsigned flags;         /* CS_SR_* */
	/* Gate literals separated by '|', lower case, matched case-insensitively;
	 * "" means no gate (the rule counts on its own). */
	const char *keywords;
	const char *regex;      /* Vectorscan + PCRE2 subset (custom rules: PCRE2) */
	/* Capture group holding the secret: a number (0: the whole match) ... */
	int group;
	/* ... or a group name, for custom rules; every group of that name is secret. */
	const char *group_name;
	double entropy;         /* minimum Shannon entropy of the secret, bits per byte; 0: none */
	const char *path;       /* the rule only applies to paths matching this regex, or NULL */
	const char *allow_value; /* built-in: secrets matching this regex are not findings, or NULL */
	/* Custom rules: their own allow rules and exclude blocks. */
	const cs_secret_allow *allows;
	size_t nallows;
	const char *const *blocks; /* regexes of regions where the rule does not count */
	size_t nblocks;
	const char *origin;     /* where a custom rule was defined ("rules.yaml"), NULL: built-in */
} cs_secret_rule;

/* The built-in rules, in rules.def order (which is also precedence: when two
 * rules find the same bytes, the earlier one reports them). */
extern const cs_secret_rule cs_secret_builtin_rules[];
extern const size_t cs_secret_builtin_count;

/* The built-in global allow rules ("docs", "tests", ...). */
extern const cs_secret_allow cs_secret_builtin_allows[];
extern const size_t cs_secret_builtin_allow_count;

/* Id of the built-in value check that drops placeholders and EXAMPLE keys
 * (check.h); disable-allow-rules may name it like any other allow rule. */
#define CS_SECRET_ALLOW_PLACEHOLDERS "placeholders"

/* "critical", "high", "medium", "low", "unknown" (the report's spelling). */
const char *cs_secret_severity_name(cs_secret_severity s);
/* Parses a severity name case-insensitively; false when it is none. */
bool cs_secret_severity_parse(const char *s, cs_secret_severity *out);

/* The built-in rule with this id, or NULL. */
const cs_secret_rule *cs_secret_builtin_find(const char *id);

#endif
