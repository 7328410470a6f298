/*
 * html.c - HTML (placeholder until its writer lands).
 */
#include "core/compat.h"
#include "report/report.h"

int cs_report_html(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	CS_UNUSED(out);
	CS_UNUSED(s);
	CS_UNUSED(o);
	return cs_err_set(err, CS_EUSAGE, "the HTML format is not available yet");
}
