/*
 * config.c - `customs config DIR|FILE`: lint Dockerfiles without an image.
 * The reading is audit/dfconfig.c's; options, policy, reports and exit
 * codes are those of the other commands (main.c, cs_cli_run_source).
 */
#include "core/compat.h"
#include "cli/cli.h"

#include "audit/dockerfile.h"
#include "scan/model.h"

const char cs_cli_usage_config[] =
	"usage: customs config [OPTIONS] DIR|FILE\n"
	"\n"
	"Lint the Dockerfile FILE, or every Dockerfile under DIR (Dockerfile,\n"
	"Containerfile, Dockerfile.*, *.Dockerfile; .git and node_modules skipped,\n"
	"symbolic links leaving DIR ignored). The checks are listed in\n"
	"docs/config-audit.md (CS-DF-001...).\n"
	"\n"
	"Options:\n"
	"  -f, --format NAME[=FILE]  report format, repeatable (see 'customs help\n"
	"                         formats'; default: table on a terminal, else json)\n"
	"  -o, --output FILE      write the report without =FILE to FILE\n"
	"      --severity LIST, --fail-on SEV, --exit-code N, --policy FILE,\n"
	"      --ignore-file FILE, --show-suppressed, --baseline FILE\n"
	"                         gates and policy, as for 'customs image'\n"
	"  -q, --quiet            errors only\n"
	"  -h, --help             this help\n"
	"\n"
	"Examples:\n"
	"  customs config .\n"
	"  customs config --format json -o lint.json services/\n"
	"  customs config --fail-on high Dockerfile\n"
	"\n"
	"Exit codes: 0 done, 2 usage error, 3 a Dockerfile could not be read or is\n"
	"not one (the report is still written for a DIR), 4 internal error; with a\n"
	"gate or policy, its verdict (--exit-code, default 1).\n";

static const cs_cli_source config_source = {
	.name = "config",
	.usage = cs_cli_usage_config,
	.operand = "DIR|FILE",
	.scanners = CS_SCANNER_CONFIG,
	.scan = cs_dockerfile_config_scan,
};

int cs_cli_config(int argc, char **argv)
{
	return cs_cli_run_source(argc, argv, &config_source);
}
