/*
 * fuzz_version_lang.c - libFuzzer target for the language-ecosystem version
 * comparators: pep440, maven, gem and composer (src/match/version_*.c).
 *
 * The input is split at its first NUL or tab into two versions a and b;
 * each comparator orders (a, b), (b, a) and (a, a). Whatever the bytes,
 * a comparator must return without a sanitizer report, accept or refuse a
 * pair the same way in both orders, and, for a pair it accepts, be
 * antisymmetric (cmp(a, b) == -cmp(b, a)) and reflexive (cmp(a, a) == 0);
 * a violation aborts. The corpus in tests/fuzz/corpus/version_lang is
 * replayed by every build (build/replay/version_lang).
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Itests \
 *     tests/fuzz/fuzz_version_lang.c src/match/version_pep440.c \
 *     src/match/version_maven.c src/match/version_gem.c \
 *     src/match/version_composer.c src/core/error.c src/core/strutil.c -o /tmp/fv
 *   /tmp/fv -max_total_time=60 tests/fuzz/corpus/version_lang
 */
#include "core/compat.h"
#include "match/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const cs_version_scheme cs_version_pep440, cs_version_maven, cs_version_gem, cs_version_composer;

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check(const cs_version_scheme *s, const char *a, const char *b)
{
	cs_err err;
	int ab = 0, ba = 0, aa = 0, rab, rba, raa;

	cs_err_clear(&err);
	rab = s->cmp(a, b, &ab, &err);
	cs_err_clear(&err);
	rba = s->cmp(b, a, &ba, &err);
	cs_err_clear(&err);
	raa = s->cmp(a, a, &aa, &err);
	if (rab != rba)
		abort(); /* refused one way only */
	if (rab == 0 && sign(ab) != -sign(ba))
		abort(); /* not antisymmetric */
	if (rab == 0 && (raa != 0 || aa != 0))
		abort(); /* a valid version not equal to itself */
	if ((rab != 0 && rab != CS_EFORMAT) || (raa != 0 && raa != CS_EFORMAT))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b;
	size_t cut = 0;

	if (!a)
		return 0;
	memcpy(a, data, size);
	a[size] = '\0';
	while (cut < size && a[cut] != '\0' && a[cut] != '\t')
		cut++;
	a[cut] = '\0';
	b = cut < size ? a + cut + 1 : a + size;
	check(&cs_version_pep440, a, b);
	check(&cs_version_maven, a, b);
	check(&cs_version_gem, a, b);
	check(&cs_version_composer, a, b);
	free(a);
	return 0;
}
