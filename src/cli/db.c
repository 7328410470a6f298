/*
 * db.c - `customs db import|info|update`: the vulnerability database
 * commands. Arguments in, store and importer calls, one summary out.
 */
#include "core/compat.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "vulndb/import.h"
#include "vulndb/locate.h"
#include "vulndb/store.h"

#include <getopt.h>
#include <time.h>

const char cs_cli_usage_db[] =
	"usage: customs db import [--db PATH] PATH...\n"
	"       customs db info [--db PATH]\n"
	"\n"
	"The local vulnerability database (SQLite). It is found at --db PATH, else\n"
	"$CUSTOMS_DB, else $XDG_CACHE_HOME/customs/db.sqlite (~/.cache/customs/db.sqlite).\n"
	"\n"
	"  import PATH...   read feeds from files, directories and .zip/.tar.gz archives:\n"
	"                   OSV JSON and YAML (as osv.dev's ECOSYSTEM/all.zip and PyPA),\n"
	"                   Alpine secdb, the Debian security tracker JSON and DSA/DLA\n"
	"                   lists, NVD CVE JSON 2.0, CISA KEV JSON and FIRST EPSS CSV.\n"
	"                   Importing the same data again changes nothing.\n"
	"  info             sources, record counts, build time and age\n"
	"\n"
	"Examples:\n"
	"  customs db import ~/feeds/osv/Go/all.zip ~/feeds/alpine-secdb\n"
	"  customs db info --db ./ci.sqlite\n";

static int parse(int argc, char **argv, const char **db, bool *quiet)
{
	static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
						 {"quiet", no_argument, NULL, 'q'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			*db = optarg;
			break;
		case 'q':
			*quiet = true;
			break;
		case 'h':
			fputs(cs_cli_usage_db, stdout);
			return -1;
		default:
			return cs_cli_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	const char *dbopt = NULL;
	char path[4096];
	bool quiet = false;
	cs_vdb *db = NULL;
	cs_vdb_import_stats st;
	cs_err err;
	struct timespec t0, t1;
	int r, code;

	if ((r = parse(argc, argv, &dbopt, &quiet)) != 0)
		return r < 0 ? EXIT_OK : r;
	if (quiet)
		cs_log_set_level(CS_LOG_ERROR);
	cs_vdb_locate(dbopt, path, sizeof(path));
	cs_err_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((code = cs_vdb_open(&db, path, true, &err)) < 0) {
		cs_error("%s", err.msg);
		return cs_cli_exit_for(code);
	}
	memset(&st, 0, sizeof(st));
	code = cs_vdb_import_paths(db, (const char *const *)argv + optind, (size_t)(argc - optind), &st, &err);
	cs_vdb_close(db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (code < 0) {
		cs_error("%s", err.msg[0] ? err.msg : "import failed");
		return cs_cli_exit_for(code);
	}
	if (!quiet)
		fprintf(stderr,
			"customs: imported %zu records from %zu files into '%s' in %.1f s (%zu bad, %zu archives rolled back)\n",
			st.records, st.files, path,
			(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, st.bad, st.failed);
	return st.failed ? EXIT_INPUT : EXIT_OK;
}

static int cmd_info(int argc, char **argv)
{
	const char *dbopt = NULL;
	char path[4096];
	bool quiet = false;
	cs_vdb *db = NULL;
	cs_vdb_info info;
	cs_arena a;
	cs_err err;
	size_t i;
	int r, code;

	if ((r = parse(argc, argv, &dbopt, &quiet)) != 0)
		return r < 0 ? EXIT_OK : r;
	if (optind < argc)
		return cs_cli_usage_error("unexpected argument '%s'", argv[optind]);
	cs_vdb_locate(dbopt, path, sizeof(path));
	cs_err_clear(&err);
	if ((code = cs_vdb_open(&db, path, false, &err)) < 0) {
		cs_error("%s", err.msg);
		return cs_cli_exit_for(code);
	}
	cs_arena_init(&a);
	code = cs_vdb_get_info(&info, db, &a, &err);
	if (code == 0) {
		long long age = cs_vdb_age(info.built_at, (long long)time(NULL));

		printf("database  %s (schema %d)\n", path, info.schema_version);
		printf("built     %s", info.built_at ? info.built_at : "never");
		if (age >= 0)
			printf(" (%lld days %lld hours ago)", age / 86400, age % 86400 / 3600);
		printf("%s%s\n", info.built_by ? " by customs " : "", info.built_by ? info.built_by : "");
		printf("\n%-28s %10s %10s  %s\n", "SOURCE", "ADVISORIES", "WITHDRAWN", "IMPORTED");
		for (i = 0; i < info.nsources; i++)
			printf("%-28s %10lld %10lld  %s\n", info.sources[i].name, (long long)info.sources[i].advisories,
			       (long long)info.sources[i].withdrawn,
			       info.sources[i].imported_at ? info.sources[i].imported_at : "-");
		printf("\n%-28s %10s\n", "TABLE", "ROWS");
		for (i = 0; i < info.ntables; i++)
			printf("%-28s %10lld\n", info.tables[i].table, (long long)info.tables[i].rows);
	} else {
		cs_error("%s", err.msg);
	}
	cs_arena_release(&a);
	cs_vdb_close(db);
	return code < 0 ? cs_cli_exit_for(code) : EXIT_OK;
}

int cs_cli_db(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub)
		return cs_cli_usage_error("%s", "'customs db' needs a subcommand: import, info");
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
		fputs(cs_cli_usage_db, stdout);
		return EXIT_OK;
	}
	if (!strcmp(sub, "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(sub, "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(sub, "update"))
		return cs_cli_usage_error("%s", "'customs db update' is not available yet: download the feeds and use 'customs db import'");
	return cs_cli_usage_error("unknown db subcommand '%s'", sub);
}
