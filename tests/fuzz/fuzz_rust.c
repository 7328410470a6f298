/*
 * fuzz_rust.c - libFuzzer target for the rust cataloger's parsers.
 *
 * Each input is read four ways with a fresh arena: as a Cargo.lock, as an
 * executable (ELF section lookup, inflation, JSON), as compressed audit
 * data and as audit JSON. Every package must have a clean name and
 * version, and every refusal a reason. The unit test fuzz_corpus
 * (tests/unit/test_rust.c) and build/replay/rust replay
 * tests/fuzz/corpus/rust as plain tests.
 *
 * Build and run (the scratch directory first, so libFuzzer writes new
 * inputs there and not into the repository's corpus):
 *
 *   make build/fuzz/fuzz_rust
 *   mkdir -p /tmp/rust-scratch
 *   build/fuzz/fuzz_rust -max_total_time=60 /tmp/rust-scratch tests/fuzz/corpus/rust
 */
#include "core/compat.h"
#include "catalog/rust.h"

#include "core/arena.h"
#include "fuzz/fuzz_lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t check(int rc, const cs_langfile *f, const cs_err *err)
{
	size_t i, sum = 0;

	if (rc < 0) {
		if (rc != CS_ENOTFOUND && err->msg[0] == '\0')
			__builtin_trap(); /* a refusal always says why */
		return 0;
	}
	for (i = 0; i < f->npkgs; i++) {
		fuzz_lang_str(f->pkgs[i].name);
		fuzz_lang_str(f->pkgs[i].version);
		sum += f->pkgs[i].purl ? strlen(f->pkgs[i].purl) : 0;
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t sum = 0;

	cs_arena_init(&a);
	cs_err_clear(&err);
	sum += check(cs_rust_parse_lock(&f, &a, (const char *)data, size, &err), &f, &err);
	cs_err_clear(&err);
	sum += check(cs_rust_parse_binary(&f, &a, data, size, &err), &f, &err);
	cs_err_clear(&err);
	sum += check(cs_rust_parse_audit(&f, &a, data, size, &err), &f, &err);
	cs_err_clear(&err);
	sum += check(cs_rust_parse_audit_json(&f, &a, (const char *)data, size, &err), &f, &err);
	cs_arena_release(&a);
	fuzz_sink = sum;
	return 0;
}
