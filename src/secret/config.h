/*
 * config.h - custom secret rules from a YAML file (--secret-config FILE).
 *
 * The file can add rules, replace or disable built-in ones, restrict the
 * built-in set, and add allow rules and exclude blocks; the format is in
 * docs/secrets.md. Loading checks everything it can without building the
 * engine: required fields, severities, and that every regex compiles with
 * PCRE2. Any problem is one error naming the file and the rule:
 *
 *     secret config 'rules.yaml': rule 'my-token': invalid regex at offset 3: missing closing parenthesis
 *
 * A config is immutable once loaded and may be shared by several engines.
 */
#ifndef CS_SECRET_CONFIG_H
#define CS_SECRET_CONFIG_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "secret/rules.h"

/* Largest config file read, bytes. */
#define CS_SECRET_CONFIG_MAX ((size_t)1 << 20)
/* Deepest nesting of mappings and sequences in a config file. */
#define CS_SECRET_CONFIG_MAX_DEPTH 256

typedef struct cs_secret_config {
	cs_arena arena;              /* owns everything below */
	const char *origin;          /* the file name, for messages */
	cs_secret_rule *rules;       /* custom rules, in file order */
	size_t nrules;
	const char **disable_rules;  /* rule ids (built-in or custom) that never report */
	size_t ndisable_rules;
	bool enable_builtin_set;     /* enable-builtin-rules given: only those built-ins run */
	const char **enable_builtin;
	size_t nenable_builtin;
	const char **disable_allows; /* built-in allow rule ids switched off ("tests", "placeholders") */
	size_t ndisable_allows;
	cs_secret_allow *allows;     /* global allow rules */
	size_t nallows;
	const char **blocks;         /* global exclude-block regexes */
	size_t nblocks;
	uint64_t max_file_size;      /* bytes of each file scanned; 0: the engine default */
	/* Directory where the compiled Vectorscan database is cached, keyed by
	 * a digest of the rules and the Vectorscan version; NULL: no cache.
	 * Not read from YAML: the caller sets it (e.g. ~/.cache/customs). */
	const char *cache_dir;
} cs_secret_config;

/* An empty config (built-in rules only), for callers that set fields themselves. */
int cs_secret_config_new(cs_secret_config **out, cs_err *err);

/* Reads and parses path. CS_EIO, CS_EFORMAT, CS_ELIMIT, CS_ENOMEM. */
int cs_secret_config_load(cs_secret_config **out, const char *path, cs_err *err);

/* Parses len bytes of YAML; origin names the source in messages. */
int cs_secret_config_parse(cs_secret_config **out, const char *origin, const char *data, size_t len,
			   cs_err *err);

void cs_secret_config_free(cs_secret_config *cfg);

#endif
