/*
 * fuzz_base.c - libFuzzer target for the base image assessment's parsers.
 *
 * The input goes to each reader of untrusted text in src/base/: the catalog
 * (JSON or YAML), a distro-info CSV (as debian.csv and as ubuntu.csv), and,
 * when it is JSON, the history reader (as the config's history, or the
 * "history" member of an object) at several layer counts with and without a
 * boundary from the catalog; and, as a C string, the step classifiers. Any
 * crash, sanitizer report or broken contract (a catalog entry without a
 * name or layers, a failure without a message, a boundary past the layers,
 * a date not shaped YYYY-MM-DD) is a bug. Seeds: corpus/base/.
 */
#include "core/compat.h"
#include "base/base.h"
#include "core/sha256.h"

#include <cJSON.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_date(const char d[11])
{
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		abort();
}

static void fuzz_catalog(const char *text, size_t size)
{
	static const char *const ids[] = {"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	cs_base_catalog *c = NULL;
	cs_base_image img = {"fuzz", "1", NULL, (const char **)ids, 1, true};
	cs_arena a;
	cs_err err;
	size_t i, k;
	int rc;

	cs_err_clear(&err);
	rc = cs_base_catalog_parse(&c, "fuzz", text, size, &err);
	if (rc < 0) {
		if (c || !err.msg[0] || strchr(err.msg, '\n'))
			abort();
		return;
	}
	cs_arena_init(&a);
	for (i = 0; i < c->nimages; i++) {
		const cs_base_image *e = &c->images[i];

		if (!e->name || !*e->name || !e->ndiff_ids || (e->digest && !cs_digest_valid(e->digest)))
			abort();
		for (k = 0; k < e->ndiff_ids; k++)
			if (!cs_digest_valid(e->diff_ids[k]))
				abort();
		if (!cs_base_image_label(&a, e))
			abort();
		/* an image made of this entry's layers matches it, or one as long */
		if (cs_base_catalog_match(c, e->diff_ids, e->ndiff_ids)->ndiff_ids != e->ndiff_ids)
			abort();
	}
	if (cs_base_catalog_put(c, &img, &err) == 0 && !cs_base_catalog_match(c, ids, 1))
		abort();
	cs_arena_release(&a);
	cs_base_catalog_free(c);
}

static void fuzz_history(const char *text, size_t size)
{
	cJSON *j = cJSON_ParseWithLength(text, size), *h;
	size_t n;
	int known;

	if (!j)
		return;
	h = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, "history") : j;
	for (n = 0; n < 5; n++) {
		for (known = -1; known < (int)n; known++) {
			cs_base_history out;

			cs_base_read_history(&out, h, n, known);
			if (out.last_layer >= (int)n || out.last_layer < -1 || (known >= 0 && out.last_layer != known) ||
			    (out.end_entry >= 0 && (!cJSON_IsArray(h) || out.end_entry >= cJSON_GetArraySize(h))) ||
			    (out.method && known >= 0))
				abort();
		}
	}
	cJSON_Delete(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char date[11], *str;

	fuzz_catalog(text, size);
	memset(date, 0, sizeof(date));
	if (cs_distro_info_find(text, size, true, "12", NULL, date))
		check_date(date);
	if (cs_distro_info_find(text, size, false, NULL, "jammy", date))
		check_date(date);
	fuzz_history(text, size);
	if ((str = malloc(size + 1))) {
		memcpy(str, data, size);
		str[size] = '\0';
		(void)cs_base_is_terminator(str);
		(void)cs_base_is_root_step(str);
		free(str);
	}
	return 0;
}
