/*
 * engine_int.h - the compiled engine as the scanner sees it; private to
 * src/secret/ (engine.c builds it, scanner.c runs it).
 */
#ifndef CS_SECRET_ENGINE_INT_H
#define CS_SECRET_ENGINE_INT_H

#include "core/compat.h"
#include "core/arena.h"
#include "secret/engine.h"
#include "secret/hsops.h"

#include <hs/hs.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum { DB_MAIN, DB_PATH }; /* every rule is in one: DB_PATH when it has a path condition */

/* An allow rule compiled. */
typedef struct allow_c {
	const char *id;      /* NULL for a rule's own allow */
	pcre2_code *path;    /* owned, or NULL */
	pcre2_code *value;   /* owned, or NULL */
	unsigned rule_flags; /* applies to rules with one of these flags; 0: all */
} allow_c;

/* A rule compiled. */
typedef struct rule_c {
	cs_secret_rule r;    /* strings owned by the engine's arena or static */
	pcre2_code *re;      /* owned */
	const char *hs_regex; /* the regex as Vectorscan compiles it (hs_form) */
	pcre2_code *path;    /* owned, or NULL: applies to every path */
	allow_c *allows;     /* the rule's own allow rules (arena) */
	size_t nallows;
	int groups[CS_SECRET_MAX_GROUPS]; /* capture groups of the secret; none: the whole match */
	size_t ngroups;
	bool gated;          /* has keywords */
} rule_c;

struct cs_secret_engine {
	cs_arena arena;
	rule_c *rules;        /* precedence order */
	size_t nrules;
	uint32_t *kw_rule;    /* Vectorscan id nrules + k is a keyword of rule kw_rule[k] */
	const char **kw_regex; /* keyword k as a Vectorscan literal */
	size_t nkw;
	allow_c *allows;      /* global allow rules */
	size_t nallows;
	bool placeholders;    /* the built-in placeholder value check is on */
	hs_database_t *db[2]; /* rules and keywords, streaming, no SOM: DB_MAIN, DB_PATH */
	hs_scratch_t *scratch[2]; /* prototypes, cloned per scanner */
	hs_database_t *bdb;   /* exclude blocks, streaming, SOM; NULL when none */
	hs_scratch_t *bscratch;
	int32_t *block_owner; /* per block: rule index, or -1 for every rule */
	size_t nblocks;
	uint32_t max_captures; /* most capture groups of any rule */
	uint64_t max_file;     /* bytes scanned per file */
	const cs_hs_ops *hs;   /* the Vectorscan entry points to call (hsops.h) */
};

#endif
