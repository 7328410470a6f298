/*
 * base.c - `customs base add IMAGE` (placeholder until the base catalog
 * lands).
 */
#include "core/compat.h"
#include "cli/cli.h"

const char cs_cli_usage_base[] =
	"usage: customs base add [OPTIONS] IMAGE\n"
	"\n"
	"Record an image in a catalog of known base images.\n";

int cs_cli_base(int argc, char **argv)
{
	CS_UNUSED(argc);
	CS_UNUSED(argv);
	return cs_cli_usage_error("'customs base' is not available yet");
}
