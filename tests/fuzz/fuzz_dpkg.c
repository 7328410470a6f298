/*
 * fuzz_dpkg.c - libFuzzer target for the dpkg cataloger's parsers.
 *
 * Each input is read as a status file, as a status.d file and as an
 * info/<pkg>.list file, each with a fresh arena; every installed record is
 * also turned into a purl and put through the layer index, so hostile
 * stanzas reach every consumer of a record. The unit test fuzz_corpus
 * (tests/unit/test_dpkg.c) replays tests/fuzz/corpus/dpkg as a plain test.
 *
 * Build and run (the analyzer half of dpkg.c links against the scan, so
 * the whole library is compiled in; the corpus directory is written to):
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -fno-sanitize-recover=all -DCS_ARENA_DEBUG -DCS_VERSION='"fuzz"' -Isrc -Itests \
 *     $(pkg-config --cflags libarchive libisal libzstd libcrypto libcjson) \
 *     tests/fuzz/fuzz_dpkg.c $(find src -name '*.c' ! -path src/cli/main.c) \
 *     $(pkg-config --libs libarchive libisal libzstd libcrypto libcjson) -lpthread \
 *     -o build/fuzz_dpkg
 *   mkdir -p build/corpus-dpkg
 *   build/fuzz_dpkg -max_total_time=30 build/corpus-dpkg tests/fuzz/corpus/dpkg
 */
#include "core/compat.h"
#include "catalog/dpkg.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const cs_os fuzz_os = {"debian", "12.11", "Debian GNU/Linux 12 (bookworm)", "bookworm", "etc/os-release", 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags;

	for (flags = 0; flags <= CS_DPKG_STATUS_D; flags++) {
		cs_arena a;
		cs_dpkg_db db;
		cs_dpkg_layers ix;
		cs_err err;
		size_t i;

		cs_arena_init(&a);
		cs_err_clear(&err);
		cs_dpkg_parse_status(&db, &a, data, size, flags, &err);
		cs_dpkg_layers_init(&ix);
		cs_dpkg_layers_add(&ix, &db, 1);
		for (i = 0; i < db.nrecords; i++) {
			const cs_dpkg_record *r = &db.records[i];
			char *purl;

			if (!r->installed)
				continue;
			cs_err_clear(&err);
			cs_dpkg_purl(&purl, &a, r, flags ? &fuzz_os : NULL, &err);
			if (cs_dpkg_layers_first(&ix, r) != 1)
				__builtin_trap();
		}
		cs_dpkg_layers_release(&ix);
		cs_arena_release(&a);
	}
	{
		cs_arena a;
		cs_dpkg_list list;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		cs_dpkg_parse_list(&list, &a, data, size, &err);
		cs_arena_release(&a);
	}
	return 0;
}
