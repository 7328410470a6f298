/*
 * fuzz_importers.c - libFuzzer target for the distro and enrichment
 * importers (alpine-secdb, debian-tracker, debian-list, nvd, kev, epss).
 *
 * Each input is offered to every importer's detect() and then imported by
 * every importer, under a file name that importer expects (so name-driven
 * paths such as the EPSS date run too), into a sink that checks what every
 * record must keep: ids and names are tokens, statuses are CS_VDB_* words,
 * a "fixed" entry has ranges, dates look like RFC 3339, scores are in
 * range. A broken invariant traps. The input is copied into a buffer with
 * a NUL after it, as the importer contract promises.
 *
 * The corpus (tests/fuzz/corpus/importers) is replayed as a plain test by
 * build/replay/importers. Build and run (the whole library is compiled in):
 *
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -fno-sanitize-recover=all -DCS_ARENA_DEBUG -DCS_VERSION='"fuzz"' -Isrc -Itests \
 *     $(pkg-config --cflags libarchive libisal libzstd libcrypto libcjson sqlite3 yaml-0.1) \
 *     tests/fuzz/fuzz_importers.c $(find src -name '*.c' ! -path src/cli/main.c) \
 *     $(pkg-config --libs libarchive libisal libzstd libcrypto libcjson sqlite3 yaml-0.1) -lpthread \
 *     -o build/fuzz/fuzz_importers
 *   mkdir -p build/fuzz/corpus-importers
 *   build/fuzz/fuzz_importers -max_total_time=60 build/fuzz/corpus-importers tests/fuzz/corpus/importers
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const cs_vdb_importer *imp;
	const char *name;
} targets[] = {
	{&cs_importer_alpine_secdb, "v3.11/main.yaml"},
	{&cs_importer_debian_tracker, "debian.json"},
	{&cs_importer_debian_list, "data/DSA/list"},
	{&cs_importer_nvd, "nvdcve-2.0-2023.json"},
	{&cs_importer_kev, "known_exploited_vulnerabilities.json"},
	{&cs_importer_epss, "epss_scores-2023-06-15.csv.gz"},
};

#define CHECK(cond)                      \
	do {                             \
		if (!(cond))             \
			__builtin_trap(); \
	} while (0)

static bool tok(const char *s)
{
	return s && cs_feed_token(s, strlen(s), 4096);
}

static bool date_ok(const char *s)
{
	size_t n;

	if (!s)
		return true;
	n = strlen(s);
	return n >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && (s[n - 1] == 'Z' || s[n - 3] == ':');
}

static bool status_ok(const char *s)
{
	return s && (strcmp(s, CS_VDB_AFFECTED) == 0 || strcmp(s, CS_VDB_FIXED) == 0 || strcmp(s, CS_VDB_NOT_FIXED) == 0 ||
		     strcmp(s, CS_VDB_WILL_NOT_FIX) == 0 || strcmp(s, CS_VDB_NOT_AFFECTED) == 0 ||
		     strcmp(s, CS_VDB_END_OF_LIFE) == 0);
}

static int on_advisory(void *payload, const cs_vdb_advisory *a, cs_err *err)
{
	size_t i, j;

	CS_UNUSED(payload);
	CS_UNUSED(err);
	CHECK(a->id && cs_feed_is_vuln_id(a->id, strlen(a->id)) && a->file);
	CHECK(date_ok(a->published) && date_ok(a->modified) && date_ok(a->withdrawn));
	if (a->summary)
		CHECK(strlen(a->summary) <= CS_FEED_MAX_TEXT);
	if (a->details)
		CHECK(strlen(a->details) <= CS_FEED_MAX_TEXT);
	for (i = 0; i < a->naliases; i++)
		CHECK(a->aliases[i] && cs_feed_is_vuln_id(a->aliases[i], strlen(a->aliases[i])));
	for (i = 0; i < a->nreferences; i++)
		CHECK(tok(a->references[i]));
	for (i = 0; i < a->ncvss; i++)
		CHECK(tok(a->cvss[i].version) && tok(a->cvss[i].vector) && a->cvss[i].source &&
		      (a->cvss[i].score == -1 || (a->cvss[i].score >= 0 && a->cvss[i].score <= 10)));
	for (i = 0; i < a->naffected; i++) {
		const cs_vdb_affected *f = &a->affected[i];

		CHECK(tok(f->ecosystem) && tok(f->package) && status_ok(f->status));
		CHECK((strcmp(f->status, CS_VDB_FIXED) == 0) == (f->nranges > 0));
		for (j = 0; j < f->nranges; j++)
			CHECK(tok(f->ranges[j].fixed) && (!f->ranges[j].introduced || tok(f->ranges[j].introduced)));
	}
	return 0;
}

static int on_kev(void *payload, const cs_vdb_kev *k, cs_err *err)
{
	CS_UNUSED(payload);
	CS_UNUSED(err);
	CHECK(k->cve && cs_feed_is_cve(k->cve, strlen(k->cve)));
	CHECK(!k->date_added || strlen(k->date_added) == 10);
	CHECK(!k->due_date || strlen(k->due_date) == 10);
	return 0;
}

static int on_epss(void *payload, const cs_vdb_epss *e, cs_err *err)
{
	CS_UNUSED(payload);
	CS_UNUSED(err);
	CHECK(e->cve && cs_feed_is_cve(e->cve, strlen(e->cve)));
	CHECK(e->score >= 0 && e->score <= 1 && (e->percentile == -1 || (e->percentile >= 0 && e->percentile <= 1)));
	CHECK(!e->date || strlen(e->date) == 10);
	return 0;
}

static void on_bad(void *payload, const char *file, const char *why)
{
	size_t i;

	CS_UNUSED(payload);
	CHECK(file && why && strlen(why) < 512);
	for (i = 0; why[i]; i++)
		CHECK((unsigned char)why[i] >= 0x20 && why[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_vdb_sink sink = {on_advisory, on_kev, on_epss, on_bad, NULL};
	uint8_t *copy = malloc(size + 1);
	size_t i, j;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (i = 0; i < CS_ARRAY_LEN(targets); i++) {
		cs_arena scratch;
		cs_err err;
		int rc;

		for (j = 0; j < CS_ARRAY_LEN(targets); j++)
			(void)targets[j].imp->detect(targets[i].name, copy, size < 8192 ? size : 8192);
		cs_arena_init(&scratch);
		cs_err_clear(&err);
		rc = targets[i].imp->import(targets[i].name, copy, size, &sink, &scratch, &err);
		CHECK(rc == 0 || (rc < 0 && err.code == rc && err.msg[0]));
		cs_arena_release(&scratch);
	}
	free(copy);
	return 0;
}
