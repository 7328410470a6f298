/*
 * secret_bench.c - runs the secret engine over files and directory trees:
 * the micro benchmark (MB/s of the engine alone, no tar, no inflate) and a
 * debugging aid. Built and run by scripts/bench-secret.sh.
 *
 *   secret_bench [--config FILE] [--cache DIR] [--show] [--block N] [--threads N] [--root DIR] PATH...
 *   secret_bench --rules-md        the rule table of docs/secrets.md
 *
 * Files are read in blocks of --block bytes (default 64 KiB) and fed as a
 * layer walker would, named by their path below --root (default "/"), as
 * in an image: scanning an unpacked root filesystem with --root DIR gives
 * the allow rules the paths they would see. --show prints each finding (redacted) as
 * path:line:column: rule: match. The closing line gives files, bytes,
 * findings, seconds and MB/s of the scanning threads' wall time.
 */
#include "core/compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "secret/engine.h"

typedef struct job {
	char **paths;
	size_t n, next;
	pthread_mutex_t mu;
	const cs_secret_engine *eng;
	size_t block;
	bool show;
	const char *root;
} job;

typedef struct stats {
	uint64_t files, bytes, findings, skipped;
	double engine_s; /* seconds spent inside the engine's begin/feed/end */
} stats;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		perror("strdup");
		exit(1);
	}
	return p;
}

static void add_path(char ***v, size_t *n, size_t *cap, const char *p)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 1024;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v) {
			perror("realloc");
			exit(1);
		}
	}
	(*v)[(*n)++] = xstrdup(p);
}

/* Regular files under p (not following symlinks). */
static void walk(const char *p, char ***v, size_t *n, size_t *cap)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;

	if (lstat(p, &sb) < 0)
		return;
	if (S_ISREG(sb.st_mode)) {
		add_path(v, n, cap, p);
		return;
	}
	if (!S_ISDIR(sb.st_mode) || !(d = opendir(p)))
		return;
	while ((de = readdir(d))) {
		char sub[4096];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", p, de->d_name) >= sizeof(sub))
			continue;
		walk(sub, v, n, cap);
	}
	closedir(d);
}

typedef struct show_ctx {
	const char *path;
} show_ctx;

static int on_finding(const cs_secret_finding *f, void *payload)
{
	show_ctx *c = payload;

	if (c)
		printf("%s:%llu:%llu: %s (%s): %s\n", c->path, (unsigned long long)f->line,
		       (unsigned long long)f->column, f->rule_id, f->severity_name, f->match);
	return 0;
}

static void *worker(void *arg)
{
	job *j = arg;
	stats *st = calloc(1, sizeof(*st));
	cs_secret_scanner *sc;
	cs_err err;
	uint8_t *buf = malloc(j->block);

	cs_err_clear(&err);
	if (!st || !buf || cs_secret_scanner_new(&sc, j->eng, &err) < 0) {
		fprintf(stderr, "secret_bench: %s\n", err.msg);
		exit(1);
	}
	for (;;) {
		size_t i;
		int fd, rc;
		ssize_t got;
		show_ctx sctx;
		const char *rel;
		double t0;
		bool want;

		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			break;
		rel = j->paths[i];
		if (j->root && strncmp(rel, j->root, strlen(j->root)) == 0)
			rel += strlen(j->root);
		while (*rel == '/')
			rel++; /* image paths are relative: "usr/share/doc/..." */
		t0 = now_s();
		want = cs_secret_file_begin(sc, rel, 0);
		st->engine_s += now_s() - t0;
		if (!want) {
			st->skipped++;
			continue;
		}
		if ((fd = open(j->paths[i], O_RDONLY)) < 0) {
			cs_secret_file_end(sc, NULL, NULL);
			continue;
		}
		while ((got = read(fd, buf, j->block)) > 0) {
			st->bytes += (uint64_t)got;
			t0 = now_s();
			rc = cs_secret_file_feed(sc, buf, (size_t)got);
			st->engine_s += now_s() - t0;
			if (rc < 0)
				break;
		}
		close(fd);
		sctx.path = j->paths[i];
		t0 = now_s();
		rc = cs_secret_file_end(sc, on_finding, j->show ? &sctx : NULL);
		st->engine_s += now_s() - t0;
		if (rc > 0)
			st->findings += (uint64_t)rc;
		st->files++;
	}
	cs_secret_scanner_free(sc);
	free(buf);
	return st;
}

static void rules_md(const cs_secret_engine *eng)
{
	size_t i;

	printf("| id | category | severity | binary | title |\n|---|---|---|---|---|\n");
	for (i = 0; i < cs_secret_engine_rule_count(eng); i++) {
		const cs_secret_rule *r = cs_secret_engine_rule(eng, i);

		printf("| `%s` | %s | %s | %s | %s |\n", r->id, r->category, cs_secret_severity_name(r->severity),
		       (r->flags & CS_SR_BIN) ? "yes" : "", r->title);
	}
}

int main(int argc, char **argv)
{
	job j;
	cs_secret_config *cfg = NULL;
	cs_secret_engine *eng;
	cs_err err;
	size_t cap = 0, i, threads = 1;
	pthread_t th[64];
	stats total = {0, 0, 0, 0, 0};
	const char *cache = NULL;
	struct timespec t0, t1, c0, c1;
	double secs;
	int a;

	memset(&j, 0, sizeof(j));
	j.block = 64 * 1024;
	pthread_mutex_init(&j.mu, NULL);
	cs_err_clear(&err);
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--config") && a + 1 < argc) {
			if (cs_secret_config_load(&cfg, argv[++a], &err) < 0) {
				fprintf(stderr, "secret_bench: %s\n", err.msg);
				return 2;
			}
		} else if (!strcmp(argv[a], "--cache") && a + 1 < argc) {
			cache = argv[++a];
		} else if (!strcmp(argv[a], "--show")) {
			j.show = true;
		} else if (!strcmp(argv[a], "--block") && a + 1 < argc) {
			j.block = strtoul(argv[++a], NULL, 10);
		} else if (!strcmp(argv[a], "--threads") && a + 1 < argc) {
			threads = strtoul(argv[++a], NULL, 10);
		} else if (!strcmp(argv[a], "--root") && a + 1 < argc) {
			j.root = argv[++a];
		} else if (!strcmp(argv[a], "--rules-md")) {
			j.show = true;
			j.n = SIZE_MAX;
		} else {
			walk(argv[a], &j.paths, &j.n, &cap);
		}
	}
	if (j.block == 0 || threads == 0 || threads > CS_ARRAY_LEN(th)) {
		fprintf(stderr, "secret_bench: bad --block or --threads\n");
		return 2;
	}
	if (cache && !cfg && cs_secret_config_new(&cfg, &err) < 0)
		return 2;
	if (cache)
		cfg->cache_dir = cache;
	clock_gettime(CLOCK_MONOTONIC, &c0);
	if (cs_secret_engine_new(&eng, cfg, &err) < 0) {
		fprintf(stderr, "secret_bench: %s\n", err.msg);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &c1);
	if (j.n == SIZE_MAX) {
		rules_md(eng);
		cs_secret_engine_free(eng);
		cs_secret_config_free(cfg);
		return 0;
	}
	j.eng = eng;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, worker, &j);
	for (i = 0; i < threads; i++) {
		stats *st;

		pthread_join(th[i], (void **)&st);
		total.files += st->files;
		total.bytes += st->bytes;
		total.findings += st->findings;
		total.skipped += st->skipped;
		total.engine_s += st->engine_s;
		free(st);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr,
		"secret_bench: %zu rules (engine built in %.0f ms), %llu files scanned, %llu skipped by path, "
		"%.1f MB, %llu findings\n"
		"secret_bench: wall %.2f s, %.0f MB/s with reads (%zu thread%s, %zu-byte blocks); "
		"engine %.2f s, %.0f MB/s per thread\n",
		cs_secret_engine_rule_count(eng),
		((double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) / 1e6),
		(unsigned long long)total.files, (unsigned long long)total.skipped, (double)total.bytes / 1e6,
		(unsigned long long)total.findings, secs, secs > 0 ? (double)total.bytes / 1e6 / secs : 0.0, threads,
		threads == 1 ? "" : "s", j.block, total.engine_s,
		total.engine_s > 0 ? (double)total.bytes / 1e6 / total.engine_s : 0.0);
	for (i = 0; i < j.n; i++)
		free(j.paths[i]);
	free(j.paths);
	cs_secret_engine_free(eng);
	cs_secret_config_free(cfg);
	return 0;
}
