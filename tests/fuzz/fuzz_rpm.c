/*
 * fuzz_rpm.c - libFuzzer target for the rpm cataloger's parsers.
 *
 * Each input is read three ways with a fresh arena: as a whole database
 * (cs_rpm_parse_db picks the SQLite, BerkeleyDB hash or ndb reader by the
 * magic, and every record's blob goes through the header parser), as one
 * header blob (cs_rpm_parse_header), and once more through each format
 * reader directly, so damage that the magic check would stop still
 * reaches a reader when the seed had its magic. Every record is then put
 * through the purl builder (with and without an OS), the vendor check and
 * the layer index, and its file paths are walked. The unit test
 * fuzz_corpus (tests/unit/test_rpm.c) and build/replay/rpm replay
 * tests/fuzz/corpus/rpm as plain tests.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_rpm
 *   mkdir -p /tmp/rpm-scratch
 *   build/fuzz/fuzz_rpm -max_total_time=60 /tmp/rpm-scratch tests/fuzz/corpus/rpm
 */
#include "core/compat.h"
#include "catalog/rpm.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps the walks over strings from being optimised away. */
static volatile size_t fuzz_sink;

static const cs_os fuzz_os = {"rocky", "9.3", "Rocky Linux 9.3 (Blue Onyx)", NULL, "etc/os-release", 0};

static void check_header(const cs_rpm_header *h, size_t *sum)
{
	size_t j;

	if (!h->name || !*h->name || !h->version || !*h->version || !h->release || !*h->release)
		__builtin_trap();
	for (j = 0; j < h->nfiles; j++) {
		if (h->files[j][0] == '\0' || h->files[j][0] == '/' || strlen(h->files[j]) > 4096)
			__builtin_trap();
		*sum += strlen(h->files[j]);
	}
}

/* A reader's callback: each blob through the header parser, bounded by one budget. */
typedef struct each_ctx {
	cs_arena *a;
	size_t budget;
	size_t sum;
} each_ctx;

static int each_blob(uint32_t hnum, const uint8_t *blob, size_t len, const char *bad, void *payload)
{
	each_ctx *c = payload;
	cs_rpm_header h;
	cs_err err;

	(void)hnum;
	if (!blob) {
		if (!bad)
			__builtin_trap();
		return 0;
	}
	cs_err_clear(&err);
	if (cs_rpm_parse_header(&h, c->a, blob, len, &c->budget, &err) == 0)
		check_header(&h, &c->sum);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena a;
	cs_rpm_db db;
	cs_rpm_header h;
	cs_rpm_layers ix;
	cs_err err;
	each_ctx c;
	size_t i, sum = 0;

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_rpm_parse_db(&db, &a, data, size, &err) == 0 || db.nrecords > 0) {
		if (db.nskipped > 0 && !db.skip_reason)
			__builtin_trap();
		cs_rpm_layers_init(&ix);
		cs_rpm_layers_add(&ix, "var/lib/rpm", &db, 2);
		cs_rpm_layers_add(&ix, "var/lib/rpm", &db, 1);
		for (i = 0; i < db.nrecords; i++) {
			const cs_rpm_record *r = &db.records[i];
			char *purl;

			check_header(&r->h, &sum);
			if (!r->evr || !r->source_name || !r->source_version || cs_rpm_layers_first(&ix, "var/lib/rpm", r) != 1)
				__builtin_trap();
			cs_err_clear(&err);
			cs_rpm_purl(&purl, &a, r, NULL, &err);
			cs_err_clear(&err);
			cs_rpm_purl(&purl, &a, r, &fuzz_os, &err);
			sum += cs_rpm_third_party(&fuzz_os, r->h.vendor);
		}
		cs_rpm_layers_release(&ix);
	}
	cs_arena_release(&a);

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_rpm_parse_header(&h, &a, data, size, NULL, &err) == 0)
		check_header(&h, &sum);
	cs_arena_release(&a);

	/* The BerkeleyDB and ndb readers by themselves, their records through the header parser. */
	cs_arena_init(&a);
	c.a = &a;
	c.budget = size * 4 + 65536;
	c.sum = 0;
	cs_err_clear(&err);
	cs_rpm_each_bdb(data, size, each_blob, &c, &err);
	cs_err_clear(&err);
	cs_rpm_each_ndb(data, size, each_blob, &c, &err);
	cs_arena_release(&a);
	fuzz_sink = sum + c.sum;
	return 0;
}
