/*
 * fuzz_policyfile.c - libFuzzer target for policy files (src/policy/
 * policyfile.c): each input is parsed as a policy and, when it parses,
 * evaluated on a small scan. A crash, a sanitizer report or a broken
 * contract (a failure without a one-line message or with an undocumented
 * code, a parsed policy without a name) is a bug. Seeds: corpus/policyfile/.
 */
#include "core/compat.h"
#include "policy/policyfile.h"

#include "fuzz/fuzz_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_policy_env env = {1700000000LL, 1700000000LL - 8 * 86400};
	cs_policy_rules *p = NULL;
	cs_scan *s = fp_scan();
	cs_pol_hits hits;
	cs_err err;
	int code;

	cs_err_clear(&err);
	memset(&hits, 0, sizeof(hits));
	hits.a = cs_scan_arena(s);
	code = cs_policyfile_parse(&p, cs_scan_arena(s), "fuzz.yaml", (const char *)data, size, &err);
	fp_check_failure(code, &err);
	if (code == 0) {
		if (!p || !cs_policyfile_name(p))
			abort();
		if (cs_policyfile_eval(p, s, &env, &hits) < 0 || hits.len > cs_policyfile_rule_count(p))
			abort();
	}
	cs_scan_free(s);
	return 0;
}
