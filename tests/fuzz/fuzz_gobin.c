/*
 * fuzz_gobin.c - libFuzzer target for the gobin cataloger's parsers.
 *
 * Each input is read twice with a fresh arena: as an executable (ELF
 * headers, section and segment tables, the buildinfo header in both
 * formats, the Mach-O/PE scan), and as module information text. Whatever
 * parses goes through the package list, the stdlib version and the purl
 * builder, so hostile build information reaches every consumer. The unit
 * test fuzz_corpus (tests/unit/test_gobin.c) and build/replay/gobin replay
 * tests/fuzz/corpus/gobin as plain tests; the seeds are small synthetic
 * files the unit test writes (CUSTOMS_WRITE_SEEDS=1), not real binaries.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_gobin
 *   mkdir -p /tmp/gobin-scratch
 *   build/fuzz/fuzz_gobin -max_total_time=60 /tmp/gobin-scratch tests/fuzz/corpus/gobin
 */
#include "core/compat.h"
#include "catalog/gobin.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Keeps the walks over strings from being optimised away. */
static volatile size_t fuzz_sink;

/* Every package of info gets a purl; names and versions are never empty. */
static size_t consume(cs_arena *a, const cs_gobin_info *info)
{
	cs_gobin_pkg *pkgs;
	size_t n, i, sum = 0;

	if (cs_gobin_packages(&pkgs, &n, a, info) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		char *purl;
		cs_err err;

		if (!*pkgs[i].name || !*pkgs[i].version)
			__builtin_trap();
		cs_err_clear(&err);
		if (cs_gobin_purl(&purl, a, pkgs[i].name, pkgs[i].version, &err) == 0)
			sum += strlen(purl);
	}
	for (i = 0; i < info->nsettings; i++)
		sum += strlen(info->settings[i]);
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena a;
	cs_gobin_info info;
	cs_err err;
	size_t sum = 0;
	int rc;

	cs_arena_init(&a);
	cs_err_clear(&err);
	rc = cs_gobin_parse(&info, &a, data, size, &err);
	if (rc == 0) {
		if (!info.go_version || !*info.go_version || !info.modinfo || info.modinfo_len > size)
			__builtin_trap();
		sum += consume(&a, &info);
	} else if (rc == CS_EFORMAT && err.msg[0] == '\0') {
		__builtin_trap(); /* a refusal always says why */
	} else if (rc != CS_EFORMAT && rc != CS_ENOTFOUND && rc != CS_ENOMEM) {
		__builtin_trap();
	}
	memset(&info, 0, sizeof(info));
	if (cs_gobin_parse_modinfo(&info, &a, (const char *)data, size) == 0) {
		info.go_version = "go1.22.0";
		sum += consume(&a, &info);
	}
	if (size < 256 && !memchr(data, '\0', size)) {
		char *v = cs_arena_strndup(&a, (const char *)data, size), *std;

		if (v && (std = cs_gobin_stdlib_version(&a, v)) != NULL)
			sum += strlen(std);
	}
	cs_arena_release(&a);
	fuzz_sink = sum;
	return 0;
}
