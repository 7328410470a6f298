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
#include "fuzz/fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"app/vendor/composer/installed.json", "app/composer.lock"};
	size_t k, sum = 0;

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
			sum += fuzz_lang_pkgs(&f);
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
