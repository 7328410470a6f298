/*
 * replay.c - runs a libFuzzer target over saved inputs, without libFuzzer
 * (SQLite's fuzzcheck, libgit2's standalone driver).
 *
 * Linked with one fuzz_*.c, it calls LLVMFuzzerTestOneInput once per file
 * named on the command line, or per file in each directory named (sorted,
 * not recursive), so any compiler with ASan+UBSan replays a corpus as an
 * ordinary test:
 *
 *     build/asan/replay/layer tests/fuzz/corpus/layer
 *
 * With no argument it replays tests/fuzz/corpus/NAME (from the current
 * directory), NAME being its own file name less a "fuzz_" prefix and a
 * "_replay" suffix: build/replay/layer and build/fuzz_layer_replay both
 * replay tests/fuzz/corpus/layer.
 *
 * A crash or a sanitizer report ends the process; otherwise it prints the
 * harness's closing line "N passed, 0 failed". An unreadable argument, or
 * no input at all, is a failure: a replay that ran nothing proves nothing.
 */
#include "core/compat.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "unit/test.h" /* test_read_file; the harness itself is not used */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	size_t n = 0;
	char *data = test_read_file(path, &n);
	uint8_t *exact;

	if (!data) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	/* An exact-size copy, as libFuzzer passes, so ASan sees any over-read. */
	exact = malloc(n ? n : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	memcpy(exact, data, n);
	free(data);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; returns the count or -1. */
static long run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, **p;
	size_t n = 0, cap = 0, i;
	long done = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			p = realloc(names, cap * sizeof(*names));
			if (!p)
				break;
			names = p;
		}
		names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2);
		if (!names[n])
			break;
		snprintf(names[n], strlen(dir) + strlen(de->d_name) + 2, "%s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct stat sb;

		if (done >= 0 && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
			done = run_file(names[i]) < 0 ? -1 : done + 1;
		free(names[i]);
	}
	free(names);
	return done;
}

/* tests/fuzz/corpus/NAME for a binary named [fuzz_]NAME[_replay]. */
static void default_corpus(const char *argv0, char *out, size_t outsz)
{
	const char *base = strrchr(argv0, '/');
	size_t n;

	base = base ? base + 1 : argv0;
	if (strncmp(base, "fuzz_", 5) == 0)
		base += 5;
	n = strlen(base);
	if (n > 7 && strcmp(base + n - 7, "_replay") == 0)
		n -= 7;
	snprintf(out, outsz, "tests/fuzz/corpus/%.*s", (int)n, base);
}

int main(int argc, char **argv)
{
	char corpus[512];
	char *def[2] = {NULL, corpus};
	long total = 0, n;
	int i;

	if (argc < 2) {
		default_corpus(argv[0], corpus, sizeof(corpus));
		def[0] = argv[0];
		argv = def;
		argc = 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat sb;

		if (stat(argv[i], &sb) < 0) {
			fprintf(stderr, "replay: cannot open '%s': %s\n", argv[i], strerror(errno));
			return 1;
		}
		n = S_ISDIR(sb.st_mode) ? run_dir(argv[i]) : (run_file(argv[i]) < 0 ? -1 : 1);
		if (n < 0)
			return 1;
		total += n;
	}
	if (total == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	printf("%s: %ld passed, 0 failed\n", argv[0], total);
	return 0;
}
