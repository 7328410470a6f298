/*
 * spdx.c - SPDX 2.3 JSON (placeholder until its writer lands).
 */
#include "core/compat.h"
#include "report/report.h"

int cs_report_spdx_json(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	CS_UNUSED(out);
	CS_UNUSED(s);
	CS_UNUSED(o);
	return cs_err_set(err, CS_EUSAGE, "the SPDX 2.3 JSON format is not available yet");
}
