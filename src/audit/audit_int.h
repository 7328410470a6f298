/*
 * audit_int.h - what the image audit's files share (private to src/audit/):
 * the check table, the collector findings go through (with a cap per
 * check), and the entry points of each part:
 *
 *   audit.c  the analyzer: wants()/parse() keep etc/passwd and etc/shadow,
 *            finish() runs the parts and hands the findings to the scan
 *   image.c  the image config (User, ExposedPorts, Healthcheck, Env) and
 *            each history step (ADD, RUN, ENV, ARG, build arguments)
 *   shell.c  splits a RUN step's shell text into simple commands
 *   files.c  the final file tree (setuid, world-writable, caches, .git, SSH
 *            keys) and the account files
 *
 * The pure parts (a history step, the account files, the shell splitter)
 * take no scan, so unit tests and the fuzz target call them directly.
 * Every finding's strings live in the collector's arena.
 */
#ifndef CS_AUDIT_INT_H
#define CS_AUDIT_INT_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/map.h"
#include "core/vec.h"
#include "scan/model.h"

struct cJSON;
typedef struct cs_scan cs_scan;

/* The checks, in id order (the table in audit.c; docs/config-audit.md). */
enum {
	AU_ROOT_USER,       /* CS-IMG-001 */
	AU_DENIED_PORT,     /* CS-IMG-002 */
	AU_NO_HEALTHCHECK,  /* CS-IMG-003 */
	AU_ENV_SECRET,      /* CS-IMG-004 */
	AU_HISTORY_SECRET,  /* CS-IMG-005 */
	AU_ADD_REMOTE,      /* CS-IMG-010 */
	AU_PIPE_SHELL,      /* CS-IMG-011 */
	AU_SUDO,            /* CS-IMG-012 */
	AU_APT_NO_YES,      /* CS-IMG-013 */
	AU_APT_RECOMMENDS,  /* CS-IMG-014 */
	AU_APT_LISTS,       /* CS-IMG-015 */
	AU_APK_CACHE,       /* CS-IMG-016 */
	AU_UPGRADE,         /* CS-IMG-017 */
	AU_UPDATE_ALONE,    /* CS-IMG-018 */
	AU_CHMOD_WORLD,     /* CS-IMG-019 */
	AU_SETUID,          /* CS-IMG-020 */
	AU_WORLD_WRITABLE,  /* CS-IMG-021 */
	AU_PKG_CACHE,       /* CS-IMG-022 */
	AU_GIT_DIR,         /* CS-IMG-023 */
	AU_SSH_HOST_KEY,    /* CS-IMG-024 */
	AU_AUTHORIZED_KEYS, /* CS-IMG-025 */
	AU_EMPTY_PASSWORD,  /* CS-IMG-026 */
	AU_DUP_UID,         /* CS-IMG-027 */
	AU_UID0,            /* CS-IMG-028 */
	AU_NCHECKS
};

/* One check: what every finding of it says besides its message. */
typedef struct cs_audit_check {
	const char *id;
	const char *title;
	const char *severity;    /* the usual one; a finding may say otherwise (setuid) */
	const char *cis;         /* CIS Docker Benchmark item, or NULL */
	const char *description;
	const char *resolution;
} cs_audit_check;

extern const cs_audit_check cs_audit_checks[AU_NCHECKS];

/* Instances of one check listed before the rest become one summary finding. */
#define CS_AUDIT_CAP 50
/* Ports CUSTOMS_AUDIT_PORTS may add to 22, 23 and 3389. */
#define CS_AUDIT_MAX_PORTS 64

/* The findings of one audit, collected before they go to the scan. */
typedef struct cs_audit {
	cs_arena *arena;          /* findings and their strings (borrowed) */
	cs_vec found;             /* cs_misconfig *, in the order found */
	size_t count[AU_NCHECKS]; /* instances seen per check, listed or not */
	bool nomem;               /* an allocation failed: finish reports CS_ENOMEM */
	unsigned ports[CS_AUDIT_MAX_PORTS]; /* denied ports (CS-IMG-002) */
	size_t nports;
	const char **uid0;        /* names of UID 0 accounts of etc/passwd, besides root */
	size_t nuid0;
	/*
	 * Per layer (nlayers of them, from cs_audit_config): its created_by with
	 * the values of secret build arguments hidden, or NULL when unchanged.
	 */
	const char **created_by;
	size_t nlayers;
	cs_map env_secrets;       /* names the final Env gives a secret value (CS-IMG-004's) */
	cs_map seen;              /* secret names already reported from the history */
} cs_audit;

/* Starts a collector on arena with the default denied ports. */
void cs_audit_init(cs_audit *a, cs_arena *arena);
void cs_audit_release(cs_audit *a);

/*
 * Adds the ports of spec (CUSTOMS_AUDIT_PORTS: numbers separated by commas
 * or spaces, "/tcp" suffixes allowed) to the denied ones. Returns the
 * number of entries it could not read (0 when all were good).
 */
size_t cs_audit_add_ports(cs_audit *a, const char *spec);

/*
 * Records one instance of check at path (NULL: none) in layer (-1: the
 * config, or a root filesystem), message from fmt. severity NULL takes the
 * check's. Past CS_AUDIT_CAP instances only the count grows (see
 * cs_audit_summaries). Never fails: an allocation failure sets a->nomem.
 */
void cs_audit_emit(cs_audit *a, int check, const char *severity, const char *path, int layer, const char *fmt,
		   ...) CS_PRINTF(6, 7);
/* Adds one finding per check that went past the cap: how many were left out. */
void cs_audit_summaries(cs_audit *a);

/* True for environment or build-argument names that hold secrets: DB_PASSWORD, API_KEY... */
bool cs_audit_secret_name(const char *name, size_t n);

/* --- image.c --------------------------------------------------------------- */

/*
 * The checks of the image config document (the whole config JSON: config,
 * history): User, ExposedPorts, Healthcheck, Env, then each history step
 * mapped to its layer the way image/config.c maps created_by (steps with
 * empty_layer own none; past nlayers none either). Call cs_audit_accounts
 * first so a User that names a UID 0 account counts as root.
 */
void cs_audit_config(cs_audit *a, const struct cJSON *config, size_t nlayers);

/*
 * Records the secret-named variables the final config's Env (an array of
 * "NAME=value" strings) gives a value: an ENV step of the history that set
 * one is left to CS-IMG-004. cs_audit_config calls it.
 */
void cs_audit_env(cs_audit *a, const struct cJSON *env);

/*
 * The checks of one history step: created_by as the builder wrote it
 * (docker's "/bin/sh -c #(nop) ADD ...", "|1 A=b /bin/sh -c ...",
 * BuildKit's "RUN /bin/sh -c ... # buildkit"), its index in history and the
 * layer it made (-1: none). A secret name is reported once, at its first
 * step (a build argument repeats on every later RUN).
 */
void cs_audit_step(cs_audit *a, const char *created_by, size_t index, int layer);

/*
 * created_by with the value of every build argument whose name says it is
 * a secret replaced by "*****" (in a->arena), or NULL when there is none.
 */
const char *cs_audit_redact_args(cs_audit *a, const char *created_by);

/* --- shell.c --------------------------------------------------------------- */

/* One simple command of a shell text, quotes removed. */
typedef struct cs_sh_cmd {
	const char **argv;  /* words; argv[0] is the command as written ("/usr/bin/curl") */
	size_t argc;        /* >= 1 */
	size_t pipeline;    /* commands joined by '|' share it */
	size_t stage;       /* 0 for the first command of its pipeline */
} cs_sh_cmd;

/* Caps of the splitter: the rest of a longer text is not looked at. */
#define CS_SH_MAX_CMDS 4096
#define CS_SH_MAX_WORDS 16384

/*
 * Splits text[0..len) the way a POSIX shell reads it, well enough for the
 * checks: words with '…', "…" and backslashes resolved, commands ended by
 * ; & && || | and newlines, # comments skipped; $(…), `…` and (…) are not
 * parsed (their text stays in the words). Leading VAR=value assignments are
 * dropped from each command. Returns the number of commands in *out (in
 * a), or CS_ENOMEM.
 */
int cs_sh_split(cs_arena *a, const char *text, size_t len, cs_sh_cmd **out);

/*
 * The command name of a word, in buf (n bytes, cut when longer): its last
 * path component, with the wrapping of a subshell, group or substitution
 * dropped: "/usr/bin/curl" -> "curl", "$(curl" -> "curl", "sh)" -> "sh".
 */
const char *cs_sh_name(const char *word, char *buf, size_t n);

/* --- files.c --------------------------------------------------------------- */

/*
 * The account checks on the final etc/passwd and etc/shadow (either may be
 * NULL): empty passwords of accounts that can log in, duplicate UIDs, UID 0
 * accounts besides root (kept in a->uid0 for the User check). player and
 * slayer: the layers that wrote them.
 */
void cs_audit_accounts(cs_audit *a, const char *passwd, size_t plen, int player, const char *shadow, size_t slen,
		       int slayer);

/*
 * The checks of the final file tree, walked once through the merged view:
 * setuid/setgid files, world-writable entries in system directories,
 * package caches, .git directories, SSH host keys and authorized_keys.
 */
int cs_audit_files(cs_audit *a, cs_scan *s);

#endif
