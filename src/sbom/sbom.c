/*
 * sbom.c - SBOM input (placeholder until the reader lands).
 */
#include "core/compat.h"
#include "sbom/sbom.h"

int cs_sbom_scan(cs_scan **out, const char *path, const cs_scan_opts *opts, cs_err *err)
{
	CS_UNUSED(opts);
	*out = NULL;
	return cs_err_set(err, CS_EUSAGE, "%s: SBOM input is not available yet", path);
}
