/*
 * dockerfile.h - Dockerfile lint: parse a Dockerfile (audit/dfparse.h) and
 * check it (the checks users know from Hadolint and Trivy's DS series,
 * docs/config-audit.md "Dockerfile checks"), with line numbers.
 *
 * Two ways in: cs_dockerfile_audit adds the findings to an image scan
 * (`customs image --dockerfile`); cs_dockerfile_lint / _lint_file hand them
 * to a callback and need no scan (`customs config`, tests, the fuzz target).
 */
#ifndef CS_DOCKERFILE_H
#define CS_DOCKERFILE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

/* One check: constant, listed in docs/config-audit.md. */
typedef struct cs_df_check {
	const char *id;          /* stable: "CS-DF-001" */
	const char *title;
	const char *severity;    /* "critical", "high", "medium", "low" */
	const char *cis;         /* CIS Docker Benchmark item ("4.1"), or NULL */
	const char *description; /* what it looks for and why it matters */
	const char *resolution;
	const char *hadolint;    /* equivalent Hadolint rules ("DL3007"), or NULL */
	const char *trivy;       /* equivalent Trivy checks ("DS-0001"), or NULL */
} cs_df_check;

/* The checks, in id order: i from 0 while the result is not NULL. */
const cs_df_check *cs_dockerfile_check_at(size_t i);
/* The check with this id, or NULL. */
const cs_df_check *cs_dockerfile_check_find(const char *id);

/* One finding of the lint. */
typedef struct cs_df_finding {
	const cs_df_check *check;
	uint64_t line;        /* 1-based line of the instruction; 0: the file as a whole */
	const char *message;  /* "line 3: FROM 'debian:latest' uses the 'latest' tag" (valid UTF-8, no control bytes) */
} cs_df_finding;

/* Receives each finding; a negative return stops the lint with that code. */
typedef int (*cs_df_emit_fn)(const cs_df_finding *f, void *payload);

/*
 * Lints len bytes of Dockerfile text. path names the file in error
 * messages only. Findings (strings from a) go to emit in the order found.
 * Returns 0, or CS_EFORMAT / CS_ELIMIT / CS_ENOMEM (or emit's code) with a
 * one-line message naming the file and line in err: only input that is no
 * Dockerfile at all or breaks a limit fails; what BuildKit would refuse is
 * a finding (CS-DF-041).
 */
int cs_dockerfile_lint(const char *path, const char *data, size_t len, cs_arena *a, cs_df_emit_fn emit,
		       void *payload, cs_err *err);

/* Reads the file at path (at most CS_DF_MAX_FILE bytes) and lints it; CS_EIO / CS_ENOTFOUND when unreadable. */
int cs_dockerfile_lint_file(const char *path, cs_arena *a, cs_df_emit_fn emit, void *payload, cs_err *err);

/*
 * The lint as a cs_df_emit_fn over a scan: each finding becomes a
 * misconfiguration (dockerfile = path, line set, layer -1). payload is a
 * cs_dockerfile_sink.
 */
typedef struct cs_dockerfile_sink {
	cs_scan *scan;
	const char *path; /* scan-owned copy of the Dockerfile's path */
} cs_dockerfile_sink;
int cs_dockerfile_to_scan(const cs_df_finding *f, void *payload);

/*
 * Lints the Dockerfile at path and adds its findings to s as
 * misconfigurations (dockerfile = path, line set, layer -1). Returns 0, or
 * a negative code with a one-line message naming the file in err
 * (unreadable, too big, not a Dockerfile).
 */
int cs_dockerfile_audit(cs_scan *s, const char *path, cs_err *err);

/*
 * `customs config DIR|FILE`: a new inventory scan (artifact type "config")
 * holding the findings of the file given, or of every Dockerfile under the
 * directory (see cs_dockerfile_name; .git, .hg, .svn and node_modules are
 * skipped, symbolic links to directories not followed, links to files only
 * inside DIR). A file that fails is an error diagnostic and the walk goes
 * on; a missing target, or the single FILE failing, returns the error.
 * *out is set even on failure (free it).
 */
int cs_dockerfile_config_scan(cs_scan **out, const char *target, const cs_scan_opts *opts, cs_err *err);

/*
 * Is a file of this name a Dockerfile for the directory walk? Dockerfile,
 * Containerfile, Dockerfile.NAME, NAME.Dockerfile (any case), except
 * documentation, scripts, backups and Dockerfile.dockerignore.
 */
bool cs_dockerfile_name(const char *name);

#endif
