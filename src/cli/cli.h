/*
 * cli.h - what the command-line files share: exit codes and helpers.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include "core/compat.h"

enum { EXIT_OK = 0, EXIT_POLICY = 1, EXIT_USAGE = 2, EXIT_INPUT = 3, EXIT_INTERNAL = 4 };

/* One "customs: error: ... (see 'customs help')" line; returns EXIT_USAGE. */
int cs_cli_usage_error(const char *fmt, ...) CS_PRINTF(1, 2);

/* The exit code for a failure code (CS_EUSAGE -> 2, CS_ENOMEM -> 4, else 3). */
int cs_cli_exit_for(int code);

/* `customs db SUBCOMMAND ...`: argv[0] is "db". */
int cs_cli_db(int argc, char **argv);

extern const char cs_cli_usage_db[];

/* `customs config [OPTIONS] DIR|FILE`: lint Dockerfiles; argv[0] is "config". */
int cs_cli_config(int argc, char **argv);
extern const char cs_cli_usage_config[];

/* `customs base add|list ...`: the catalog of known base images; argv[0] is "base". */
int cs_cli_base(int argc, char **argv);
extern const char cs_cli_usage_base[];

#endif
