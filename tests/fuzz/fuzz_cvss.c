/*
 * fuzz_cvss.c - libFuzzer target for the CVSS vector parser and scorer.
 *
 * Feeds the input, as a NUL-terminated copy, to cs_cvss_score. Any crash,
 * sanitizer report or broken contract is a bug: on success the version must
 * be 2.0, 3.0, 3.1 or 4.0, the score within 0..10 with one decimal and the
 * severity the one cs_cvss_severity gives; on failure the code must be
 * CS_EFORMAT with a message. Seeds: corpus/cvss/.
 */
#include "core/compat.h"
#include "match/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	cs_cvss_result r;
	cs_err err;
	int rc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	cs_err_clear(&err);
	rc = cs_cvss_score(s, &r, &err);
	if (rc == 0) {
		double tenths = r.base_score * 10;
		int v = r.version_major * 10 + r.version_minor;

		if (err.code != CS_OK || (v != 20 && v != 30 && v != 31 && v != 40))
			abort();
		if (!(r.base_score >= 0 && r.base_score <= 10) || tenths != (double)(long)(tenths + 0.5))
			abort();
		if (!r.severity || r.severity != cs_cvss_severity(r.base_score, r.version_major))
			abort();
	} else if (rc != CS_EFORMAT || err.code != CS_EFORMAT || err.msg[0] == '\0') {
		abort();
	}
	free(s);
	return 0;
}
