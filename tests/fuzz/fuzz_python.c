/*
 * fuzz_python.c - libFuzzer target for the python cataloger's parsers.
 *
 * Each input is read as a METADATA / PKG-INFO file with a fresh arena; a
 * record that parses goes through the purl builder, the PEP 503 normaliser
 *, and its strings are walked, so hostile headers
 * reach every consumer of a record. The input is also classified as a path
 * (cs_python_kind) when it is a short string without NULs. The unit test
 * fuzz_corpus (tests/unit/test_python.c) and build/replay/python replay
 * tests/fuzz/corpus/python as plain tests.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_python
 *   mkdir -p /tmp/python-scratch
 *   build/fuzz/fuzz_python -max_total_time=60 /tmp/python-scratch tests/fuzz/corpus/python
 */
#include "core/compat.h"
#include "catalog/python.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps the walks over strings from being optimised away. */
static volatile size_t fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena a;
	cs_python_meta m;
	cs_err err;
	size_t i, sum = 0;

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_python_parse_metadata(&m, &a, data, size, &err) == 0) {
		char *purl, *norm;

		if (!*m.name || !*m.version || strlen(m.name) + strlen(m.version) + 2 != m.keylen)
			__builtin_trap();
		cs_err_clear(&err);
		cs_python_purl(&purl, &a, &m, &err);
		if ((norm = cs_python_normalize(&a, m.name)) != NULL && strlen(norm) > strlen(m.name))
			__builtin_trap();
		for (i = 0; i < m.nlicenses; i++)
			sum += strlen(m.licenses[i]);
		if (m.license_file)
			sum += strlen(m.license_file);
	} else if (err.msg[0] == '\0') {
		__builtin_trap(); /* a refusal always says why */
	}
	if (size < 1024 && !memchr(data, '\0', size)) {
		char *path = cs_arena_strndup(&a, (const char *)data, size);

		if (path)
			sum += (size_t)cs_python_kind(path);
	}
	cs_arena_release(&a);
	fuzz_sink = sum;
	return 0;
}
