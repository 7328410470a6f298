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
#include "vulndb/update.h"

#include <getopt.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

const char cs_cli_usage_db[] =
	"usage: customs db import [--db PATH] PATH...\n"
	"       customs db update [--db PATH] [--mirror DIR|URL] [--source NAME]... [--force] [--quiet]\n"
	"       customs db update --list\n"
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
	"  update           download the feeds (osv.dev, Alpine secdb, the Debian security\n"
	"                   tracker and DSA/DLA lists, NVD, CISA KEV, FIRST EPSS) and import\n"
	"                   them into a new database that replaces the old one only when\n"
	"                   all went well; a feed that did not change (ETag, Last-Modified)\n"
	"                   is not downloaded again\n"
	"  info             sources, record counts, build time and age\n"
	"\n"
	"Update options:\n"
	"  --mirror DIR|URL   the same files from a mirror laid out as docs/vulndb.md says\n"
	"                     (default: $CUSTOMS_MIRROR, else the upstream URLs); a feed\n"
	"                     the mirror lacks keeps its previous records\n"
	"  --source NAME      only this feed or family (osv, alpine-secdb, nvd); repeatable;\n"
	"                     a feed named exactly must be found\n"
	"  --force            download and import even what did not change\n"
	"  --list             print the feeds: name, mirror path, upstream URL\n"
	"  -q, --quiet        errors only\n"
	"\n"
	"Examples:\n"
	"  customs db import ~/feeds/osv/Go/all.zip ~/feeds/alpine-secdb\n"
	"  customs db update --source osv --source alpine-secdb\n"
	"  customs db update --mirror https://mirror.example.org/feeds\n"
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

/* ---- update ------------------------------------------------------------------------ */

static volatile sig_atomic_t update_signal; /* the signal that interrupted the update, 0 while none */

static void on_signal(int sig)
{
	update_signal = sig;
	signal(sig, SIG_DFL); /* a second one ends the process at once */
}

/* What the terminal shows while the update runs: one line per feed, with bytes. */
typedef struct update_ui {
	bool tty;          /* standard error is a terminal and not --quiet */
	bool quiet;
	bool line_open;    /* a progress line without its newline is on screen */
	const char *feed;  /* the feed of the bad records being counted */
	size_t feed_bad;   /* bad records of that feed so far */
} update_ui;

#define UPDATE_BAD_SHOWN 3 /* bad records listed per feed; the rest are counted */

static const char *human_bytes(char *out, size_t outsz, uint64_t n)
{
	if (n < 1024)
		snprintf(out, outsz, "%llu B", (unsigned long long)n);
	else if (n < 1024ull * 1024)
		snprintf(out, outsz, "%.1f KiB", (double)n / 1024);
	else if (n < 1024ull * 1024 * 1024)
		snprintf(out, outsz, "%.1f MiB", (double)n / (1024 * 1024));
	else
		snprintf(out, outsz, "%.2f GiB", (double)n / (1024.0 * 1024 * 1024));
	return out;
}

static void ui_clear(update_ui *ui)
{
	if (ui->line_open)
		fputs("\r\033[K", stderr);
	ui->line_open = false;
}

static void update_progress(void *payload, int event, const cs_vdb_feed_result *r)
{
	update_ui *ui = payload;
	char got[32], total[32];

	if (!ui->tty)
		return;
	human_bytes(got, sizeof(got), r->bytes);
	switch (event) {
	case CS_UPD_DOWNLOADING:
		fprintf(stderr, "\r\033[K  %-28s %10s", r->feed->name, got);
		if (r->total)
			fprintf(stderr, " of %s", human_bytes(total, sizeof(total), r->total));
		ui->line_open = true;
		break;
	case CS_UPD_DOWNLOADED:
		ui_clear(ui);
		fprintf(stderr, "  %-28s %10s  %s\n", r->feed->name,
			r->state == CS_FEED_FETCHED || r->state == CS_FEED_FAILED ? got : "-",
			r->state == CS_FEED_FETCHED ? "downloaded" : cs_vdb_feed_state_name(r->state));
		break;
	case CS_UPD_IMPORTING:
		ui_clear(ui);
		fprintf(stderr, "  importing %s ...", r->feed->name);
		ui->line_open = true;
		break;
	default:
		ui_clear(ui);
		break;
	}
	fflush(stderr);
}

static void update_bad(void *payload, const char *feed, const char *file, const char *why)
{
	update_ui *ui = payload;

	if (!ui->feed || strcmp(ui->feed, feed) != 0) {
		ui->feed = feed;
		ui->feed_bad = 0;
	}
	if (ui->quiet || ++ui->feed_bad > UPDATE_BAD_SHOWN)
		return;
	ui_clear(ui);
	cs_warn("source '%s': '%s': record skipped: %s%s", feed, file, why,
		ui->feed_bad == UPDATE_BAD_SHOWN ? " (further ones are only counted)" : "");
}

static int update_list(void)
{
	const cs_vdb_feed *feeds;
	size_t n, i;
	cs_arena a;
	time_t now = time(NULL);
	struct tm tm;

	cs_arena_init(&a);
	if (!gmtime_r(&now, &tm) || cs_vdb_feeds_default(&feeds, &n, tm.tm_year + 1900, &a) < 0) {
		cs_arena_release(&a);
		cs_error("out of memory");
		return EXIT_INTERNAL;
	}
	printf("%-29s %-34s %s\n", "SOURCE", "MIRROR PATH", "URL");
	for (i = 0; i < n; i++)
		printf("%-29s %-34s %s\n", feeds[i].name, feeds[i].path, feeds[i].url);
	cs_arena_release(&a);
	return EXIT_OK;
}

/* One warning naming the feeds in state s, at most a few of them. */
static void warn_feeds(const cs_vdb_update_result *res, cs_vdb_feed_state s, const char *what)
{
	char names[512];
	size_t i, k = 0, len = 0;

	names[0] = '\0';
	for (i = 0; i < res->nfeeds; i++) {
		if (res->feeds[i].state != s)
			continue;
		if (k++ < 6 && len < sizeof(names))
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
						res->feeds[i].feed->name);
	}
	if (k)
		cs_warn("%zu %s%s, previous records kept: %s%s", k, k == 1 ? "source " : "sources ", what, names,
			k > 6 ? ", ..." : "");
}

static int cmd_update(int argc, char **argv)
{
	static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
						 {"mirror", required_argument, NULL, 'm'},
						 {"source", required_argument, NULL, 's'},
						 {"force", no_argument, NULL, 'f'},
						 {"list", no_argument, NULL, 'l'},
						 {"quiet", no_argument, NULL, 'q'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	const char *dbopt = NULL, *env = getenv("CUSTOMS_MIRROR");
	const char **select = NULL;
	cs_vdb_update_opts opts;
	cs_vdb_update_result res;
	struct sigaction sa, old_int, old_term;
	struct timespec t0, t1;
	update_ui ui;
	char path[4096], got[32];
	cs_arena a;
	cs_err err;
	size_t i, nselect = 0;
	int ch, code;

	memset(&opts, 0, sizeof(opts));
	memset(&ui, 0, sizeof(ui));
	opts.mirror = env && *env ? env : NULL;
	if (!(select = calloc((size_t)argc + 1, sizeof(*select)))) {
		cs_error("out of memory");
		return EXIT_INTERNAL;
	}
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dbopt = optarg;
			break;
		case 'm':
			opts.mirror = *optarg ? optarg : NULL;
			break;
		case 's':
			select[nselect++] = optarg;
			break;
		case 'f':
			opts.force = true;
			break;
		case 'l':
			free(select);
			return update_list();
		case 'q':
			ui.quiet = true;
			break;
		case 'h':
			free(select);
			fputs(cs_cli_usage_db, stdout);
			return EXIT_OK;
		default:
			free(select);
			return cs_cli_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc) {
		free(select);
		return cs_cli_usage_error("unexpected argument '%s'", argv[optind]);
	}
	if (ui.quiet)
		cs_log_set_level(CS_LOG_ERROR);
	ui.tty = !ui.quiet && isatty(STDERR_FILENO);
	opts.select = select;
	opts.nselect = nselect;
	opts.cancel = &update_signal;
	opts.progress = update_progress;
	opts.on_bad = update_bad;
	opts.payload = &ui;
	cs_vdb_locate(dbopt, path, sizeof(path));

	/* Ctrl-C: stop at the next safe point, remove the temporary files, keep the old database */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	cs_arena_init(&a);
	cs_err_clear(&err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	code = cs_vdb_update(&res, path, &opts, &a, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ui_clear(&ui);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);

	if (res.rebuilt)
		cs_warn("%s: building a new database", res.rebuilt);
	for (i = 0; i < res.nfeeds; i++)
		if (res.feeds[i].state == CS_FEED_UNUSABLE)
			cs_warn("source '%s' from '%s' is unusable, previous records kept: %s", res.feeds[i].feed->name,
				res.feeds[i].from, res.feeds[i].why ? res.feeds[i].why : "no record could be read");
	if (code < 0) {
		cs_error("%s%s", err.msg[0] ? err.msg : "update failed",
			 code == CS_ERR && update_signal ? "" : " (the database was left as it was)");
	} else {
		warn_feeds(&res, CS_FEED_MISSING, "not found");
		if (!ui.quiet) {
			fprintf(stderr,
				"customs: %s '%s' in %.1f s: %zu sources imported (%s, %zu records, %zu bad), "
				"%zu unchanged, %zu not found, %zu unusable\n",
				res.replaced ? "updated" : "nothing new for", path,
				(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
				res.count[CS_FEED_UPDATED], human_bytes(got, sizeof(got), res.bytes), res.records, res.bad,
				res.count[CS_FEED_UNCHANGED], res.count[CS_FEED_MISSING], res.count[CS_FEED_UNUSABLE]);
		}
	}
	cs_arena_release(&a);
	free(select);
	if (update_signal) {
		/* die of the signal, as the shell expects, now that the temporary files are gone */
		signal(update_signal, SIG_DFL);
		raise(update_signal);
	}
	if (code < 0)
		return cs_cli_exit_for(code);
	return res.count[CS_FEED_UNUSABLE] ? EXIT_INPUT : EXIT_OK;
}

int cs_cli_db(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;

	if (!sub)
		return cs_cli_usage_error("%s", "'customs db' needs a subcommand: import, update, info");
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") || !strcmp(sub, "help")) {
		fputs(cs_cli_usage_db, stdout);
		return EXIT_OK;
	}
	if (!strcmp(sub, "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(sub, "info"))
		return cmd_info(argc - 1, argv + 1);
	if (!strcmp(sub, "update"))
		return cmd_update(argc - 1, argv + 1);
	return cs_cli_usage_error("unknown db subcommand '%s'", sub);
}
