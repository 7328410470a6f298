/*
 * fuzz_gem.c - libFuzzer target for the gem cataloger's parsers.
 *
 * Each input is read both as an installed gemspec and as a Gemfile.lock,
 * each with a fresh arena; every package a parser returns is checked for
 * what the langcat frame relies on (a name and a version without control
 * bytes, licenses present when counted) and its strings are walked. The
 * unit test fuzz_corpus (tests/unit/test_gem.c) and build/replay/gem replay
 * tests/fuzz/corpus/gem as plain tests.
 *
 *   make build/fuzz/fuzz_gem
 *   mkdir -p /tmp/gem-scratch
 *   build/fuzz/fuzz_gem -max_total_time=60 /tmp/gem-scratch tests/fuzz/corpus/gem
 */
#include "core/compat.h"
#include "catalog/gem.h"

#include "core/arena.h"
#include "fuzz/fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"usr/lib/ruby/gems/3.1.0/specifications/x-1.gemspec", "app/Gemfile.lock"};
	size_t i, sum = 0;

	for (i = 0; i < CS_ARRAY_LEN(paths); i++) {
		cs_langfile f;
		cs_arena a;
		cs_err err;
		int rc;

		cs_arena_init(&a);
		cs_err_clear(&err);
		memset(&f, 0, sizeof(f));
		rc = cs_gem_parse_file(&f, &a, paths[i], data, size, &err);
		if (rc == 0)
			sum += fuzz_lang_pkgs(&f);
		else if (rc != CS_EFORMAT || err.msg[0] == '\0')
			__builtin_trap(); /* a refusal always says why; nothing else is expected */
		if (i == 0 && rc == 0 && f.npkgs != 1)
			__builtin_trap(); /* a gemspec is one gem */
		cs_arena_release(&a);
	}
	fuzz_sink = sum;
	return 0;
}
