/*
 * fuzz_npm.c - libFuzzer target for the npm cataloger's parsers.
 *
 * Each input is read as all four kinds of file the cataloger takes (an
 * installed package.json, package-lock.json, yarn.lock, pnpm-lock.yaml),
 * each with a fresh arena, so corpus files are plain real fixtures of any
 * kind. Every package a parser returns must have a non-empty name and
 * version free of control bytes, a purl when one was built starting with
 * "pkg:npm/", and its licenses are walked; a refusal must say why. Short
 * inputs without NULs are also classified as paths (cs_npm_kind) and split
 * as pnpm keys. The unit test fuzz_corpus (tests/unit/test_npm.c) and
 * build/replay/npm replay tests/fuzz/corpus/npm as plain tests.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_npm
 *   mkdir -p /tmp/npm-scratch
 *   build/fuzz/fuzz_npm -max_total_time=60 /tmp/npm-scratch tests/fuzz/corpus/npm
 */
#include "core/compat.h"
#include "catalog/npm.h"

#include "core/arena.h"
#include "fuzz/fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"node_modules/x/package.json", "app/package-lock.json", "app/yarn.lock",
					    "app/pnpm-lock.yaml"};
	size_t k, i, j, sum = 0;

	for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
		cs_langfile f;
		cs_arena a;
		cs_err err;
		int rc;

		cs_arena_init(&a);
		cs_err_clear(&err);
		rc = cs_npm_parse_file(&f, &a, paths[k], data, size, &err);
		if (rc == 0) {
			if (f.lockfile != (k != 0))
				__builtin_trap();
			for (i = 0; i < f.npkgs; i++) {
				const cs_langpkg *p = &f.pkgs[i];

				sum += fuzz_lang_str(p->name) + fuzz_lang_str(p->version);
				if (p->purl && strncmp(p->purl, "pkg:npm/", 8) != 0)
					__builtin_trap();
				for (j = 0; j < p->nlicenses; j++)
					sum += strlen(p->licenses[j]);
			}
		} else if (err.msg[0] == '\0' || (rc != CS_EFORMAT && rc != CS_ELIMIT && rc != CS_ENOMEM)) {
			__builtin_trap(); /* a refusal always says why, with one of the parser's codes */
		}
		cs_arena_release(&a);
	}
	if (size < 1024 && !memchr(data, '\0', size)) {
		cs_arena a;
		char *s;

		cs_arena_init(&a);
		if ((s = cs_arena_strndup(&a, (const char *)data, size)) != NULL) {
			const char *name, *version;

			sum += (size_t)cs_npm_kind(s);
			sum += (size_t)cs_npm_valid_name(s);
			if (cs_npm_pnpm_key(&a, s, 5.4, &name, &version) == 0)
				sum += strlen(name) + strlen(version);
			if (cs_npm_pnpm_key(&a, s, 9, &name, &version) == 0)
				sum += strlen(name) + strlen(version);
		}
		cs_arena_release(&a);
	}
	fuzz_sink = sum;
	return 0;
}
