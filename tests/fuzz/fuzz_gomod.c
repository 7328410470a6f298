/*
 * fuzz_gomod.c - libFuzzer target for the gomod cataloger's parsers.
 *
 * Each input is read as a go.mod (directives, then packages) and as a
 * go.sum with a fresh arena; every package must have a clean name and
 * version (and purl, when one could be built), every refusal a reason. The unit test fuzz_corpus
 * (tests/unit/test_gomod.c) and build/replay/gomod replay
 * tests/fuzz/corpus/gomod as plain tests.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_gomod
 *   mkdir -p /tmp/gomod-scratch
 *   build/fuzz/fuzz_gomod -max_total_time=60 /tmp/gomod-scratch tests/fuzz/corpus/gomod
 */
#include "core/compat.h"
#include "catalog/gomod.h"

#include "core/arena.h"
#include "fuzz/fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t check(int rc, const cs_langfile *f, const cs_err *err)
{
	size_t i, sum = 0;

	if (rc < 0) {
		if (err->msg[0] == '\0')
			__builtin_trap(); /* a refusal always says why */
		return 0;
	}
	for (i = 0; i < f->npkgs; i++) {
		fuzz_lang_str(f->pkgs[i].name);
		fuzz_lang_str(f->pkgs[i].version);
		sum += f->pkgs[i].purl ? fuzz_lang_str(f->pkgs[i].purl) : 0;
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t sum = 0;

	cs_arena_init(&a);
	cs_err_clear(&err);
	sum += check(cs_gomod_parse_mod(&f, &a, (const char *)data, size, &err), &f, &err);
	cs_err_clear(&err);
	sum += check(cs_gomod_parse_sum(&f, &a, (const char *)data, size, &err), &f, &err);
	cs_arena_release(&a);
	fuzz_sink = sum;
	return 0;
}
