/*
 * fuzz_apk.c - libFuzzer target for the apk cataloger's parsers.
 *
 * Each input is read as an installed database with a fresh arena; every
 * record is then turned into a purl (with and without a detected OS), put
 * through the layer index, and its strings and file paths are walked, so
 * hostile stanzas reach every consumer of a record. The license splitter
 * also gets the whole input as one value. The unit test fuzz_corpus
 * (tests/unit/test_apk.c) and build/replay/apk replay tests/fuzz/corpus/apk
 * as plain tests.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_apk
 *   mkdir -p /tmp/apk-scratch
 *   build/fuzz/fuzz_apk -max_total_time=60 /tmp/apk-scratch tests/fuzz/corpus/apk
 */
#include "core/compat.h"
#include "catalog/apk.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps the walks over strings from being optimised away. */
static volatile size_t fuzz_sink;

static const cs_os fuzz_os = {"alpine", "3.19.1", "Alpine Linux v3.19", NULL, "etc/os-release", 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena a;
	cs_apk_db db;
	cs_apk_layers ix;
	cs_err err;
	size_t i, j, sum = 0;

	cs_arena_init(&a);
	cs_err_clear(&err);
	cs_apk_parse_installed(&db, &a, data, size, &err);
	if ((db.nskipped == 0) != (db.skip_reason == NULL))
		__builtin_trap();
	cs_apk_layers_init(&ix);
	cs_apk_layers_add(&ix, &db, 1);
	for (i = 0; i < db.nrecords; i++) {
		const cs_apk_record *r = &db.records[i];
		char *purl;

		if (!*r->name || !*r->version || cs_apk_layers_first(&ix, r) != 1)
			__builtin_trap();
		cs_err_clear(&err);
		cs_apk_purl(&purl, &a, r, NULL, &err);
		cs_err_clear(&err);
		cs_apk_purl(&purl, &a, r, &fuzz_os, &err);
		for (j = 0; j < r->nfiles; j++) {
			if (r->files[j][0] == '\0' || r->files[j][0] == '/')
				__builtin_trap();
			sum += strlen(r->files[j]);
		}
		for (j = 0; j < r->nlicenses; j++)
			sum += strlen(r->licenses[j]);
	}
	cs_apk_layers_release(&ix);
	if (size < 4096 && !memchr(data, '\0', size)) {
		const char **ids;
		size_t n;
		char *text = cs_arena_strndup(&a, (const char *)data, size);

		if (text)
			cs_apk_split_license(&ids, &n, &a, text);
	}
	cs_arena_release(&a);
	fuzz_sink = sum;
	return 0;
}
