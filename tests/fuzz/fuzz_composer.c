/*
 * fuzz_composer.c - libFuzzer target for the composer cataloger's parsers.
 *
 * Each input is read both as a vendor/composer/installed.json and as a
 * composer.lock, each with a fresh arena; every package a parser returns
 * is checked for what the langcat frame relies on (a name and a version
 * without control bytes, licenses present when counted) and its strings
 * are walked. The unit test fuzz_corpus (tests/unit/test_composer.c) and
 * build/replay/composer replay tests/fuzz/corpus/composer as plain tests.
 *
 *   make build/fuzz/fuzz_composer
 *   mkdir -p /tmp/composer-scratch
 *   build/fuzz/fuzz_composer -max_total_time=60 /tmp/composer-scratch tests/fuzz/corpus/composer
 */
#include "core/compat.h"
#include "catalog/composer.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps the walks over strings from being optimised away. */
static volatile size_t fuzz_sink;

static size_t check_str(const char *s)
{
	size_t i;

	if (!s || !*s)
		__builtin_trap();
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			__builtin_trap();
	return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"app/vendor/composer/installed.json", "app/composer.lock"};
	size_t i, k, l, sum = 0;

	for (k = 0; k < CS_ARRAY_LEN(paths); k++) {
		cs_langfile f;
		cs_arena a;
		cs_err err;
		int rc;

		cs_arena_init(&a);
		cs_err_clear(&err);
		memset(&f, 0, sizeof(f));
		rc = cs_composer_parse_file(&f, &a, paths[k], data, size, &err);
		if (rc == 0) {
			for (i = 0; i < f.npkgs; i++) {
				const cs_langpkg *p = &f.pkgs[i];

				sum += check_str(p->name) + check_str(p->version);
				if (p->purl)
					sum += check_str(p->purl);
				if (p->nlicenses && !p->licenses)
					__builtin_trap();
				for (l = 0; l < p->nlicenses; l++)
					sum += check_str(p->licenses[l]);
			}
			if (f.lockfile != (k == 1))
				__builtin_trap();
		} else if (rc != CS_EFORMAT || err.msg[0] == '\0') {
			__builtin_trap(); /* a refusal always says why; nothing else is expected */
		}
		cs_arena_release(&a);
	}
	fuzz_sink = sum;
	return 0;
}
