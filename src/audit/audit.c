/*
 * audit.c - the configuration audit (placeholder until the checks land):
 * the image config and history, the files layers add, and a Dockerfile.
 */
#include "core/compat.h"
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
	CS_UNUSED(err);
	cs_scan_set_config_ran(s);
	return 0;
}

const cs_analyzer cs_analyzer_audit = {
	.name = "audit",
	.scanners = CS_SCANNER_CONFIG,
	.wants = audit_wants,
	.finish = audit_finish,
};
