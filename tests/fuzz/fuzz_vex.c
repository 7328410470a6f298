/*
 * fuzz_vex.c - libFuzzer target for VEX documents (src/policy/vex.c):
 * each input is parsed as an OpenVEX or CycloneDX document, twice into one
 * set (so statements meet their own copies in the time order), and applied
 * to a small scan; its first two lines are also compared as package URLs.
 * A crash, a sanitizer report or a broken contract (a failure without a
 * one-line message, a failed document leaving statements behind, more
 * findings suppressed than there are) is a bug. Seeds: corpus/vex/.
 */
#include "core/compat.h"
#include "policy/vex.h"

#include "fuzz/fuzz_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_vex *vx = NULL;
	cs_scan *s = fp_scan();
	cs_err err;
	char *text;
	int code, i;

	cs_err_clear(&err);
	if (cs_vex_new(&vx, cs_scan_arena(s), &err) < 0)
		abort();
	for (i = 0; i < 2; i++) {
		size_t before = cs_vex_count(vx);

		cs_err_clear(&err);
		code = cs_vex_parse(vx, i ? "b.json" : "a.json", (const char *)data, size, &err);
		fp_check_failure(code, &err);
		if (code < 0 && cs_vex_count(vx) != before)
			abort();
	}
	if (cs_vex_apply(vx, s) > cs_scan_vuln_count(s))
		abort();
	/* Package URL matching on the first two lines. */
	if ((text = malloc(size + 1))) {
		char *nl;

		memcpy(text, data, size);
		text[size] = '\0';
		if ((nl = strchr(text, '\n'))) {
			*nl = '\0';
			(void)cs_vex_purl_matches(text, nl + 1);
			(void)cs_vex_purl_matches(nl + 1, text);
		}
		(void)cs_vex_purl_matches(text, text);
		free(text);
	}
	cs_scan_free(s);
	return 0;
}
