/*
 * cli.h - what the command-line files share: exit codes and helpers.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

enum { EXIT_OK = 0, EXIT_POLICY = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERNAL = 4 };

/* One "customs: error: ... (see 'customs help')" line; returns EXIT_USAGE. */
int cs_cli_usage_error(const char *fmt, ...) CS_PRINTF(1, 2);

/* The exit code for a failure code (CS_EUSAGE -> 2, CS_ENOMEM -> 4, else 3). */
int cs_cli_exit_for(int code);

/* `customs db SUBCOMMAND ...`: argv[0] is "db". */
int cs_cli_db(int argc, char **argv);

extern const char cs_cli_usage_db[];

/*
 * A command whose input is not an image but is read into a scan by a
 * function of its own (`customs config`): it gets the options, policy
 * stage, report writers and exit codes of `customs image`, less the
 * image-only options (--platform, --scanners, --db..., --dockerfile, -j).
 */
typedef struct cs_cli_source {
	const char *name;    /* the command: "config" */
	const char *usage;   /* its help text */
	const char *operand; /* what it reads, for "missing DIR|FILE" */
	unsigned scanners;   /* the scanners it runs (CS_SCANNER_*): never vuln */
	/* Reads target into a new scan, as cs_scan_run does (*out may be set on failure too). */
	int (*scan)(cs_scan **out, const char *target, const cs_scan_opts *opts, cs_err *err);
} cs_cli_source;

/* Runs src with argv (argv[0] is the command name); returns the exit code. */
int cs_cli_run_source(int argc, char **argv, const cs_cli_source *src);

/* `customs config [OPTIONS] DIR|FILE`: lint Dockerfiles; argv[0] is "config". */
int cs_cli_config(int argc, char **argv);
extern const char cs_cli_usage_config[];

/* `customs base add|list ...`: the catalog of known base images; argv[0] is "base". */
int cs_cli_base(int argc, char **argv);
extern const char cs_cli_usage_base[];

#endif
