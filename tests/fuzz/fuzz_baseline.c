/*
 * fuzz_baseline.c - libFuzzer target for baseline reports (src/policy/
 * baseline.c): each input is parsed as a customs JSON report and, when it
 * parses, applied to a small scan. A crash, a sanitizer report or a broken
 * contract (a failure without a one-line message, counts that do not add
 * up) is a bug. Seeds: corpus/baseline/.
 */
#include "core/compat.h"
#include "policy/baseline.h"

#include "fuzz/fuzz_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_baseline *b = NULL;
	cs_baseline_result r;
	cs_scan *s = fp_scan();
	cs_err err;
	int code;

	cs_err_clear(&err);
	code = cs_baseline_parse(&b, cs_scan_arena(s), "base.json", (const char *)data, size, &err);
	fp_check_failure(code, &err);
	if (code == 0) {
		size_t all = cs_scan_vuln_count(s) + cs_scan_secret_count(s) + cs_scan_misconfig_count(s);

		if (cs_baseline_apply(b, s, &r) < 0 || r.unchanged + r.added != all || r.fixed > cs_baseline_count(b))
			abort();
	}
	cs_scan_free(s);
	return 0;
}
