/*
 * audit.c - the configuration audit (placeholder until the checks land):
 * the image config and history, the files layers add, and a Dockerfile.
 */
#include "core/compat.h"
#include "audit/dockerfile.h"
#include "catalog/analyzer.h"
#include "scan/scan.h"

static bool audit_wants(const char *path, uint32_t mode)
{
	CS_UNUSED(path);
	CS_UNUSED(mode);
	return false;
}

static int audit_finish(cs_scan *s, cs_err *err)
{
	const char *df = cs_scan_options(s)->dockerfile;
	int code;

	if (df && (code = cs_dockerfile_audit(s, df, err)) < 0)
		return code;
	cs_scan_set_config_ran(s);
	cs_scan_sort_misconfigs(s);
	return 0;
}

const cs_analyzer cs_analyzer_audit = {
	.name = "audit",
	.scanners = CS_SCANNER_CONFIG,
	.wants = audit_wants,
	.finish = audit_finish,
};
