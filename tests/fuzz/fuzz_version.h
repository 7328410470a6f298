/*
 * fuzz_version.h - what the version fuzz targets share (fuzz_version_distro.c,
 * fuzz_version_semver.c, fuzz_version_lang.c): the split of an input into
 * two versions, and the properties every comparator must have whatever the
 * bytes. A violation aborts, for libFuzzer and the corpus replay alike.
 *
 * Header-only (static inline), and independent of the unit-test harness.
 */
#ifndef CS_FUZZ_VERSION_H
#define CS_FUZZ_VERSION_H

#include "core/compat.h"
#include "match/version.h"

/*
 * The input split at its first NUL or tab: *a before it, *b after it up to
 * its own first NUL (empty when there is no separator). Each is malloc'd to
 * its exact size, so ASan sees a read past either end; false when out of
 * memory.
 */
static inline bool fuzz_version_split(const uint8_t *data, size_t size, char **a, char **b)
{
	size_t cut = 0, rest;

	while (cut < size && data[cut] != '\0' && data[cut] != '\t')
		cut++;
	for (rest = 0; cut + 1 + rest < size && data[cut + 1 + rest] != '\0'; rest++)
		;
	*a = malloc(cut + 1);
	*b = malloc(rest + 1);
	if (!*a || !*b) {
		free(*a);
		free(*b);
		return false;
	}
	if (cut)
		memcpy(*a, data, cut);
	(*a)[cut] = '\0';
	if (rest)
		memcpy(*b, data + cut + 1, rest);
	(*b)[rest] = '\0';
	return true;
}

static inline int fuzz_version_sign(int x)
{
	return (x > 0) - (x < 0);
}

/*
 * Orders (a, b), (b, a), (a, a) and (b, b) with s, and aborts unless: each
 * returns 0 or CS_EFORMAT, the latter with a message; (a, b) and (b, a) are
 * accepted or refused alike, and when accepted have opposite signs; a
 * version accepted alone equals itself; a pair is accepted only when both
 * versions are, and when total, whenever both are (composer is not total:
 * two dev-* branches are versions that do not compare).
 */
static inline void fuzz_version_check(const cs_version_scheme *s, const char *a, const char *b, bool total)
{
	cs_err e_ab, e_ba, e_aa, e_bb;
	int ab = 0, ba = 0, aa = 0, bb = 0, r_ab, r_ba, r_aa, r_bb;

	cs_err_clear(&e_ab);
	cs_err_clear(&e_ba);
	cs_err_clear(&e_aa);
	cs_err_clear(&e_bb);
	r_ab = s->cmp(a, b, &ab, &e_ab);
	r_ba = s->cmp(b, a, &ba, &e_ba);
	r_aa = s->cmp(a, a, &aa, &e_aa);
	r_bb = s->cmp(b, b, &bb, &e_bb);
	if ((r_ab != 0 && r_ab != CS_EFORMAT) || (r_aa != 0 && r_aa != CS_EFORMAT) || (r_bb != 0 && r_bb != CS_EFORMAT))
		abort(); /* the only failure is "not a version" */
	if (r_ab == CS_EFORMAT && (e_ab.code != CS_EFORMAT || !e_ab.msg[0]))
		abort(); /* a refusal says why */
	if (r_ab != r_ba)
		abort(); /* refused one way only */
	if (r_ab == 0 && fuzz_version_sign(ab) != -fuzz_version_sign(ba))
		abort(); /* not antisymmetric */
	if ((r_aa == 0 && aa != 0) || (r_bb == 0 && bb != 0))
		abort(); /* not reflexive */
	if (r_ab == 0 && (r_aa != 0 || r_bb != 0))
		abort(); /* a pair of versions, so each is one */
	if (total && r_ab != 0 && r_aa == 0 && r_bb == 0)
		abort(); /* two versions that do not compare */
}

#endif
