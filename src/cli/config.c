/*
 * config.c - `customs config DIR|FILE` (placeholder until the Dockerfile
 * lint lands).
 */
#include "core/compat.h"
#include "cli/cli.h"

const char cs_cli_usage_config[] =
	"usage: customs config [OPTIONS] DIR|FILE\n"
	"\n"
	"Lint the Dockerfiles in DIR (or the Dockerfile FILE).\n";

int cs_cli_config(int argc, char **argv)
{
	CS_UNUSED(argc);
	CS_UNUSED(argv);
	return cs_cli_usage_error("'customs config' is not available yet");
}
