/*
 * test.h - the unit-test harness: one binary per source module.
 *
 * A test file defines TEST(name) functions and lists them once:
 *
 *     TEST(parses_epoch) { CHECK_STR(v.epoch, "1"); }
 *     TEST_MAIN(TEST_ENTRY(parses_epoch))
 *
 * `build/tests/test_x` runs all; `build/tests/test_x NAME...` runs those
 * named. The closing line is "N passed, N failed", exit 0 only when none
 * failed. Fixtures from ../shared are found through test_shared().
 */
#ifndef CS_TEST_H
#define CS_TEST_H

#include "core/compat.h"

#include <unistd.h>

typedef struct test_case {
	const char *name;
	void (*fn)(void);
} test_case;

static int test_failures; /* checks failed in the current test */

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name) {#name, test_##name}

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			test_failures++;                                                \
		}                                                                       \
	} while (0)

#define CHECK_INT(a, b)                                                                  \
	do {                                                                             \
		long long va_ = (long long)(a), vb_ = (long long)(b);                    \
		if (va_ != vb_) {                                                        \
			fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, \
				va_, vb_);                                               \
			test_failures++;                                                 \
		}                                                                        \
	} while (0)

#define CHECK_STR(a, b)                                                                     \
	do {                                                                                \
		const char *sa_ = (a), *sb_ = (b);                                          \
		if (!((sa_ == NULL && sb_ == NULL) || (sa_ && sb_ && strcmp(sa_, sb_) == 0))) { \
			fprintf(stderr, "  %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, \
				#a, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");             \
			test_failures++;                                                    \
		}                                                                           \
	} while (0)

/* Root of the shared fixtures: $CUSTOMS_SHARED, else ../shared. */
static inline const char *test_shared(void)
{
	const char *s = getenv("CUSTOMS_SHARED");

	return s && *s ? s : "../shared";
}

/* Reads a whole file into a malloc'd, NUL-terminated buffer; NULL on failure, a read error included. */
static inline char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			char *p = realloc(buf, cap + 65536 + 1);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
			cap += 65536;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static inline int test_run(int argc, char **argv, const test_case *cases, size_t n)
{
	int passed = 0, failed = 0, i;
	size_t j;

	for (j = 0; j < n; j++) {
		bool selected = argc < 2;

		for (i = 1; i < argc; i++)
			if (strcmp(argv[i], cases[j].name) == 0)
				selected = true;
		if (!selected)
			continue;
		test_failures = 0;
		cases[j].fn();
		if (test_failures) {
			fprintf(stderr, "FAIL %s\n", cases[j].name);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%s: %d passed, %d failed\n", argv[0], passed, failed);
	return failed ? 1 : 0;
}

#define TEST_MAIN(...)                                                        \
	int main(int argc, char **argv)                                       \
	{                                                                     \
		static const test_case cases_[] = {__VA_ARGS__};              \
		return test_run(argc, argv, cases_, CS_ARRAY_LEN(cases_));    \
	}

#endif
