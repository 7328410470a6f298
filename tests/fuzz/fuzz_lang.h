/*
 * fuzz_lang.h - what the language catalogers' fuzz targets share
 * (fuzz_composer.c, fuzz_dotnet.c, fuzz_gem.c, fuzz_gomod.c, fuzz_npm.c,
 * fuzz_rust.c): the checks of a parser's packages the langcat frame and
 * the reports rely on. A violation traps, for libFuzzer and the corpus
 * replay alike; the lengths walked are summed so no walk is optimised away.
 *
 * Header-only (static inline), and independent of the unit-test harness.
 */
#ifndef CS_FUZZ_LANG_H
#define CS_FUZZ_LANG_H

#include "core/compat.h"
#include "catalog/langcat.h"

/* Where a target leaves its sums: a volatile the compiler must write. */
static volatile size_t fuzz_sink;

/* The length of s; traps unless s is a string, not empty, with no control byte (NUL, tab, newline, DEL...). */
static inline size_t fuzz_lang_str(const char *s)
{
	size_t i;

	if (!s || !*s)
		__builtin_trap();
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			__builtin_trap();
	return i;
}

/* Every package of f: name, version, purl (when there is one) and licenses through fuzz_lang_str. */
static inline size_t fuzz_lang_pkgs(const cs_langfile *f)
{
	size_t i, j, sum = 0;

	for (i = 0; i < f->npkgs; i++) {
		const cs_langpkg *p = &f->pkgs[i];

		sum += fuzz_lang_str(p->name) + fuzz_lang_str(p->version);
		if (p->purl)
			sum += fuzz_lang_str(p->purl);
		if (p->nlicenses && !p->licenses)
			__builtin_trap();
		for (j = 0; j < p->nlicenses; j++)
			sum += fuzz_lang_str(p->licenses[j]);
	}
	return sum;
}

#endif
