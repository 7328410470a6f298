/*
 * fuzz_osv.c - libFuzzer target for the OSV importer (src/vulndb/osv.c)
 * and, behind it, the store's writes and lookups (src/vulndb/store.c).
 *
 * The input is imported twice, as an OSV JSON file and as an OSV YAML
 * file, into a sink that checks what the importer promises: every record
 * handed over has an id, known ecosystems, bounded versions and well-formed
 * ranges; every skipped one is reported with a reason; the importer never
 * fails while the sink does not. Each record is then written to an
 * in-memory database, which must accept it, and looked up again by its
 * first package, which must find it unless it is withdrawn. A crash, a
 * sanitizer report or a broken promise (abort) is a bug. Seeds:
 * corpus/osv/.
 */
#include "core/compat.h"
#include "vulndb/store.h"
#include "vulndb/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cs_vdb *db;        /* ":memory:", opened once */
static int64_t source_id; /* its one source */

static void close_db(void)
{
	cs_vdb_close(db);
	db = NULL;
}

static void setup(void)
{
	cs_err err;

	cs_err_clear(&err);
	if (cs_vdb_open(&db, ":memory:", true, &err) < 0 || cs_vdb_source(db, "fuzz", NULL, &source_id, &err) < 0)
		abort();
	atexit(close_db);
}

static bool short_word(const char *s, size_t max)
{
	size_t n;

	if (!s || !*s)
		return false;
	n = strlen(s);
	if (n > max)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

typedef struct found {
	const char *id;
	bool seen;
} found;

static int on_hit(const cs_vdb_hit *h, void *payload)
{
	found *f = payload;

	if (!h->id || !h->source || !h->ecosystem || !h->package || !h->status)
		abort();
	if (h->nranges && !h->ranges)
		abort();
	if (strcmp(h->id, f->id) == 0)
		f->seen = true;
	return 0;
}

static int check_advisory(void *payload, const cs_vdb_advisory *a, cs_err *err)
{
	size_t i, j;

	CS_UNUSED(payload);
	if (!short_word(a->id, 256) || !a->file)
		abort();
	for (i = 0; i < a->naliases; i++)
		if (!short_word(a->aliases[i], 256))
			abort();
	for (i = 0; i < a->nreferences; i++)
		if (!a->references[i])
			abort();
	for (i = 0; i < a->ncvss; i++)
		if (!a->cvss[i].vector || a->cvss[i].score >= 0)
			abort();
	for (i = 0; i < a->naffected; i++) {
		const cs_vdb_affected *f = &a->affected[i];

		if (!cs_vdb_ecosystem_known(f->ecosystem) || !short_word(f->package, 1024))
			abort();
		for (j = 0; j < f->nranges; j++) {
			const cs_vdb_range *r = &f->ranges[j];

			/* each range opens with an introduced and closes with at most one bound */
			if (!short_word(r->introduced, 256) || (r->fixed && r->last_affected))
				abort();
			if ((r->fixed && !short_word(r->fixed, 256)) || (r->last_affected && !short_word(r->last_affected, 256)) ||
			    (r->limit && !short_word(r->limit, 256)))
				abort();
		}
		for (j = 0; j < f->nversions; j++)
			if (!short_word(f->versions[j], 256))
				abort();
	}

	/* the store takes every record the importer hands over, and finds it again */
	if (cs_vdb_put_advisory(db, source_id, a, err) < 0)
		abort();
	if (a->naffected) {
		found f = {a->id, false};

		if (cs_vdb_lookup(db, a->affected[0].ecosystem, a->affected[0].package, on_hit, &f, err) < 0)
			abort();
		if (f.seen != (a->withdrawn == NULL || !*a->withdrawn))
			abort();
	}
	return 0;
}

static int check_kev(void *payload, const cs_vdb_kev *k, cs_err *err)
{
	CS_UNUSED(payload);
	CS_UNUSED(k);
	CS_UNUSED(err);
	abort(); /* the OSV importer has no KEV entries */
}

static int check_epss(void *payload, const cs_vdb_epss *e, cs_err *err)
{
	CS_UNUSED(payload);
	CS_UNUSED(e);
	CS_UNUSED(err);
	abort();
}

static void check_bad(void *payload, const char *file, const char *why)
{
	CS_UNUSED(payload);
	if (!file || !why || !*why)
		abort();
}

static void run(const char *name, const uint8_t *data, size_t size)
{
	cs_vdb_sink sink = {check_advisory, check_kev, check_epss, check_bad, NULL};
	cs_arena scratch;
	cs_err err;

	cs_importer_osv.detect(name, data, size < 8192 ? size : 8192);
	cs_arena_init(&scratch);
	cs_err_clear(&err);
	if (cs_vdb_begin(db, &err) < 0)
		abort();
	if (cs_importer_osv.import(name, data, size, &sink, &scratch, &err) != 0)
		abort();
	cs_vdb_rollback(db);
	cs_arena_release(&scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	if (!db)
		setup();
	/* importers get data[len] == NUL */
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	copy[size] = '\0';
	run("fuzz/record.json", copy, size);
	run("fuzz/record.yaml", copy, size);
	free(copy);
	return 0;
}
