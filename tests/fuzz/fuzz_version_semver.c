/*
 * fuzz_version_semver.c - libFuzzer target for the semver-like version
 * comparators: semver (npm), cargo, go, gostd and nuget.
 *
 * The input is split at its first NUL or tab into two versions a and b.
 * Each comparator must then never crash or read out of bounds, must accept
 * a pair exactly when it accepts each version alone (cmp(a, a) and
 * cmp(b, b) succeed), and on a pair it accepts must be reflexive
 * (cmp(a, a) == 0) and antisymmetric (cmp(a, b) == -cmp(b, a)); a violation
 * aborts. tests/fuzz/corpus/version_semver holds the seeds, replayed as an
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const cs_version_scheme cs_version_semver, cs_version_cargo, cs_version_go, cs_version_gostd,
	cs_version_nuget;

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check(const cs_version_scheme *s, const char *a, const char *b)
{
	cs_err err;
	int ab = 0, ba = 0, aa = 0, bb = 0;
	int rab, rba, raa, rbb;

	cs_err_clear(&err);
	rab = s->cmp(a, b, &ab, &err);
	cs_err_clear(&err);
	rba = s->cmp(b, a, &ba, &err);
	cs_err_clear(&err);
	raa = s->cmp(a, a, &aa, &err);
	cs_err_clear(&err);
	rbb = s->cmp(b, b, &bb, &err);
	if ((rab == 0) != (raa == 0 && rbb == 0) || rab != rba)
		abort(); /* a pair is comparable exactly when both versions are valid */
	if (raa == 0 && aa != 0)
		abort(); /* reflexive */
	if (rbb == 0 && bb != 0)
		abort();
	if (rab == 0 && sign(ab) != -sign(ba))
		abort(); /* antisymmetric */
	if (rab != 0 && rab != CS_EFORMAT)
		abort(); /* the only failure is "not a version" */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cs_version_scheme *const schemes[] = {
		&cs_version_semver, &cs_version_cargo, &cs_version_go, &cs_version_gostd, &cs_version_nuget,
	};
	char *a, *b;
	size_t cut = 0, i;

	while (cut < size && data[cut] != '\0' && data[cut] != '\t')
		cut++;
	a = malloc(cut + 1);
	b = malloc(size - cut + 1);
	if (!a || !b) {
		free(a);
		free(b);
		return 0;
	}
	memcpy(a, data, cut);
	a[cut] = '\0';
	if (cut < size) {
		/* b ends at its own first NUL, as a C string would */
		memcpy(b, data + cut + 1, size - cut - 1);
		b[size - cut - 1] = '\0';
	} else {
		b[0] = '\0';
	}
	for (i = 0; i < CS_ARRAY_LEN(schemes); i++)
		check(schemes[i], a, b);
	free(a);
	free(b);
	return 0;
}
