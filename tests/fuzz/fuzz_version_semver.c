/*
 * fuzz_version_semver.c - libFuzzer target for the semver-like version
 * comparators: semver (npm), cargo, go, gostd and nuget.
 *
 * The input is split at its first NUL or tab into two versions a and b.
 * Each comparator must then never crash or read out of bounds, must accept
 * a pair exactly when it accepts each version alone (cmp(a, a) and
 * cmp(b, b) succeed), and on a pair it accepts must be reflexive
 * (cmp(a, a) == 0) and antisymmetric (cmp(a, b) == -cmp(b, a)); a
 * violation aborts (the checks are in fuzz_version.h).
 * tests/fuzz/corpus/version_semver holds the seeds, replayed as an
 * ordinary test by every build (tests/fuzz/replay.c).
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Itests \
 *     tests/fuzz/fuzz_version_semver.c src/match/version_semver.c \
 *     src/match/version_cargo.c src/match/version_go.c src/match/version_gostd.c \
 *     src/match/version_nuget.c src/core/error.c src/core/strutil.c -o /tmp/fv
 *   /tmp/fv -max_total_time=60 tests/fuzz/corpus/version_semver
 */
#include "core/compat.h"
#include "match/version.h"

#include "fuzz/fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const cs_version_scheme cs_version_semver, cs_version_cargo, cs_version_go, cs_version_gostd,
	cs_version_nuget;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cs_version_scheme *const schemes[] = {
		&cs_version_semver, &cs_version_cargo, &cs_version_go, &cs_version_gostd, &cs_version_nuget,
	};
	char *a, *b;
	size_t i;

	if (!fuzz_version_split(data, size, &a, &b))
		return 0;
	for (i = 0; i < CS_ARRAY_LEN(schemes); i++)
		fuzz_version_check(schemes[i], a, b, true);
	free(a);
	free(b);
	return 0;
}
