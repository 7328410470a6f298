/*
 * fuzz_version_distro.c - libFuzzer target for the deb, rpm and apk version
 * comparators (src/match/version_{deb,rpm,apk}.c).
 *
 * The input is split at its first NUL or tab into two versions a and b
 * (b is empty when there is no separator). Each comparator is run on
 * (a, b), (b, a) and (a, a): validity must not depend on the order, and
 * where both are versions the answers must be antisymmetric and a must
 * equal itself; anything else aborts. Hostile bytes and lengths are the
 * comparators' business: they must neither crash nor take more than
 * linear time.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const cs_version_scheme cs_version_deb;
extern const cs_version_scheme cs_version_rpm;
extern const cs_version_scheme cs_version_apk;

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void check(const cs_version_scheme *s, const char *a, const char *b)
{
	cs_err e1, e2, e3;
	int ab = 0, ba = 0, aa = 0, r1, r2, r3;

	cs_err_clear(&e1);
	cs_err_clear(&e2);
	cs_err_clear(&e3);
	r1 = s->cmp(a, b, &ab, &e1);
	r2 = s->cmp(b, a, &ba, &e2);
	r3 = s->cmp(a, a, &aa, &e3);
	if (r1 != 0 && r1 != CS_EFORMAT)
		abort();
	if (r1 != r2) /* validity cannot depend on the order */
		abort();
	if (r1 == CS_EFORMAT && (e1.code != CS_EFORMAT || !e1.msg[0]))
		abort();
	if (r3 == 0 && aa != 0) /* reflexive */
		abort();
	if (r1 == 0) {
		if (r3 != 0) /* a pair of versions, so a is one */
			abort();
		if (sign(ab) != -sign(ba)) /* antisymmetric */
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 2), *a, *b;
	size_t i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	for (i = 0; i < size && buf[i] != '\0' && buf[i] != '\t'; i++)
		;
	buf[i] = '\0';
	a = buf;
	b = buf + i + 1; /* NUL-terminated: at most up to buf[size + 1] */
	check(&cs_version_deb, a, b);
	check(&cs_version_rpm, a, b);
	check(&cs_version_apk, a, b);
	free(buf);
	return 0;
}
