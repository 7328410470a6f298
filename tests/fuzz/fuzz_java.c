/*
 * fuzz_java.c - libFuzzer target for the java cataloger's parsers and the
 * zip reader under them.
 *
 * Each input is read, with a fresh arena each time, as a Java archive
 * (through cs_zip_* and every nested archive it holds, under limits small
 * enough to keep one run fast), as a MANIFEST.MF, as a pom.properties and
 * as a pom.xml; a short input without NULs is also split as a file name.
 * Whatever parses is checked (a package has "group:artifact" and a version,
 * a refusal says why) and its strings walked, so hostile bytes reach every
 * consumer. build/replay/java replays tests/fuzz/corpus/java as a plain
 * test in every build; the seeds are small real jars of Trivy's test data,
 * syft's manifest and pom.properties fixtures, and a war with a nested jar
 * written by Python's zipfile.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_java
 *   mkdir -p /tmp/java-scratch
 *   build/fuzz/fuzz_java -max_total_time=60 /tmp/java-scratch tests/fuzz/corpus/java
 */
#include "core/compat.h"
#include "catalog/java.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps the walks over strings from being optimised away. */
static volatile size_t fuzz_sink;

static size_t walk(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			__builtin_trap(); /* package strings hold no control byte */
		n++;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_java_limits lim;
	cs_java_manifest m;
	cs_java_gav g;
	cs_langfile f;
	cs_arena a;
	cs_err err;
	const char **lic;
	size_t i, k, n, sum = 0;
	int rc;

	cs_java_limits_default(&lim);
	lim.max_total = 64u << 20;
	lim.max_archives = 64;
	cs_arena_init(&a);
	memset(&f, 0, sizeof(f));
	cs_err_clear(&err);
	rc = cs_java_parse_archive(&f, &a, "opt/app-1.0.war", data, size, &lim, &err);
	if (rc < 0 && (rc == CS_ENOMEM || !err.msg[0]))
		__builtin_trap(); /* a refusal always says why, and memory is not short here */
	for (i = 0; i < f.npkgs; i++) {
		const cs_langpkg *p = &f.pkgs[i];

		if (!p->name || !strchr(p->name, ':') || !p->version || !*p->version)
			__builtin_trap();
		sum += walk(p->name) + walk(p->version) + walk(p->purl) + walk(p->location);
		for (k = 0; k < p->nlicenses; k++)
			sum += walk(p->licenses[k]);
	}
	cs_arena_release(&a);

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_java_parse_manifest(&m, &a, data, size, &err) == 0) {
		for (k = 0; k < m.nlicenses; k++)
			sum += walk(m.licenses[k]);
		if (cs_java_identify(&g, &a, "lib-1.0.jar", &m, NULL, 0))
			sum += walk(g.group_id) + walk(g.artifact_id) + walk(g.version);
	}
	cs_err_clear(&err);
	if (cs_java_parse_pom_properties(&g, &a, data, size, &err) == 0) {
		if (!*g.group_id || !*g.artifact_id || !*g.version)
			__builtin_trap();
		sum += walk(g.group_id) + walk(g.artifact_id) + walk(g.version);
	} else if (!err.msg[0]) {
		__builtin_trap();
	}
	if (cs_java_pom_licenses(&lic, &n, &a, data, size) == 0)
		for (k = 0; k < n; k++)
			sum += walk(lic[k]);
	if (size < 1024 && !memchr(data, '\0', size)) {
		char *name = cs_arena_strndup(&a, (const char *)data, size);
		const char *art, *ver;

		if (name && cs_java_split_filename(&art, &ver, &a, name))
			sum += strlen(art) + strlen(ver);
	}
	cs_arena_release(&a);
	fuzz_sink = sum;
	return 0;
}
