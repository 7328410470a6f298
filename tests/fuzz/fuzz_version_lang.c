/*
 * fuzz_version_lang.c - libFuzzer target for the language-ecosystem version
 * comparators: pep440, maven, gem and composer (src/match/version_*.c).
 *
 * The input is split at its first NUL or tab into two versions a and b;
 * each comparator orders (a, b), (b, a), (a, a) and (b, b). Whatever the
 * bytes, a comparator must return without a sanitizer report, accept or
 * refuse a pair the same way in both orders, and, for a pair it accepts, be
 * antisymmetric (cmp(a, b) == -cmp(b, a)) and reflexive (cmp(a, a) == 0);
 * the rest of what it must do is in fuzz_version.h. A violation aborts.
 * The corpus in tests/fuzz/corpus/version_lang is replayed by every build
 * (build/replay/version_lang).
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Itests \
 *     tests/fuzz/fuzz_version_lang.c src/match/version_pep440.c \
 *     src/match/version_maven.c src/match/version_gem.c \
 *     src/match/version_composer.c src/core/error.c src/core/strutil.c -o /tmp/fv
 *   /tmp/fv -max_total_time=60 tests/fuzz/corpus/version_lang
 */
#include "core/compat.h"
#include "match/version.h"

#include "fuzz/fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const cs_version_scheme cs_version_pep440, cs_version_maven, cs_version_gem, cs_version_composer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b;

	if (!fuzz_version_split(data, size, &a, &b))
		return 0;
	fuzz_version_check(&cs_version_pep440, a, b, true);
	fuzz_version_check(&cs_version_maven, a, b, true);
	fuzz_version_check(&cs_version_gem, a, b, true);
	fuzz_version_check(&cs_version_composer, a, b, false); /* dev-a and dev-b do not compare */
	free(a);
	free(b);
	return 0;
}
