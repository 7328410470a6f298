/*
 * fuzz_ignore.c - libFuzzer target for ignore files (src/policy/ignore.c):
 * each input is parsed and, when it parses, applied to a small scan. A
 * crash, a sanitizer report or a broken contract (a failure without a
 * one-line message, more findings suppressed than there are) is a bug.
 * Seeds: corpus/ignore/.
 */
#include "core/compat.h"
#include "policy/ignore.h"

#include "core/log.h"
#include "fuzz/fuzz_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_ignore *ig = NULL;
	cs_scan *s = fp_scan();
	cs_err err;
	int code;

	cs_log_set_level(CS_LOG_ERROR); /* expired entries warn on every input */
	cs_err_clear(&err);
	code = cs_ignore_parse(&ig, cs_scan_arena(s), ".customsignore.yaml", (const char *)data, size, &err);
	fp_check_failure(code, &err);
	if (code == 0) {
		size_t n = cs_ignore_apply(ig, s, 1700000000LL);

		if (n > cs_scan_vuln_count(s) + cs_scan_secret_count(s) + cs_scan_misconfig_count(s))
			abort();
	}
	cs_scan_free(s);
	return 0;
}
