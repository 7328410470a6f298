/*
 * sarif.c - SARIF 2.1.0 (placeholder until its writer lands).
 */
#include "core/compat.h"
#include "report/report.h"

int cs_report_sarif(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	CS_UNUSED(out);
	CS_UNUSED(s);
	CS_UNUSED(o);
	return cs_err_set(err, CS_EUSAGE, "the SARIF 2.1.0 format is not available yet");
}
