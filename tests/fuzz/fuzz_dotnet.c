/*
 * fuzz_dotnet.c - libFuzzer target for the dotnet cataloger's parsers.
 *
 * Each input is read both as a .deps.json and as a packages.lock.json,
 * each with a fresh arena; every package a parser returns is checked for
 * what the langcat frame relies on (a name and a version without control
 * bytes, a purl when one was built) and its strings are walked. The unit
 * test fuzz_corpus (tests/unit/test_dotnet.c) and build/replay/dotnet
 * replay tests/fuzz/corpus/dotnet as plain tests.
 *
 *   make build/fuzz/fuzz_dotnet
 *   mkdir -p /tmp/dotnet-scratch
 *   build/fuzz/fuzz_dotnet -max_total_time=60 /tmp/dotnet-scratch tests/fuzz/corpus/dotnet
 */
#include "core/compat.h"
#include "catalog/dotnet.h"

#include "core/arena.h"
#include "fuzz/fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"app/App.deps.json", "src/App/packages.lock.json"};
	size_t i, k, sum = 0;

	for (k = 0; k < CS_ARRAY_LEN(paths); k++) {
		cs_langfile f;
		cs_arena a;
		cs_err err;
		int rc;

		cs_arena_init(&a);
		cs_err_clear(&err);
		memset(&f, 0, sizeof(f));
		rc = cs_dotnet_parse_file(&f, &a, paths[k], data, size, &err);
		if (rc == 0) {
			sum += fuzz_lang_pkgs(&f);
			for (i = 0; i < f.npkgs; i++)
				if (f.pkgs[i].nlicenses)
					__builtin_trap(); /* neither format has licenses */
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
