/*
 * fuzz_version_distro.c - libFuzzer target for the deb, rpm and apk version
 * comparators (src/match/version_{deb,rpm,apk}.c).
 *
 * The input is split at its first NUL or tab into two versions a and b
 * (b is empty when there is no separator), and each comparator is checked
 * on them as fuzz_version.h says: validity must not depend on the order,
 * answers must be antisymmetric and reflexive, two versions must compare;
 * anything else aborts. Hostile bytes and lengths are the comparators'
 * business: they must neither crash nor take more than linear time.
 *
 * Build and run:
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -Itests \
 *     tests/fuzz/fuzz_version_distro.c src/match/version_deb.c \
 *     src/match/version_rpm.c src/match/version_apk.c src/core/error.c \
 *     src/core/strutil.c -o /tmp/fv
 *   /tmp/fv -max_total_time=60 tests/fuzz/corpus/version_distro
 * The corpus is also replayed as a unit test (build/replay/version_distro).
 */
#include "core/compat.h"
#include "match/version.h"

#include "fuzz/fuzz_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const cs_version_scheme cs_version_deb;
extern const cs_version_scheme cs_version_rpm;
extern const cs_version_scheme cs_version_apk;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a, *b;

	if (!fuzz_version_split(data, size, &a, &b))
		return 0;
	fuzz_version_check(&cs_version_deb, a, b, true);
	fuzz_version_check(&cs_version_rpm, a, b, true);
	fuzz_version_check(&cs_version_apk, a, b, true);
	free(a);
	free(b);
	return 0;
}
