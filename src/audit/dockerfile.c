/*
 * dockerfile.c - Dockerfile lint (placeholder until the checks land).
 */
#include "core/compat.h"
#include "audit/dockerfile.h"

int cs_dockerfile_audit(cs_scan *s, const char *path, cs_err *err)
{
	CS_UNUSED(s);
	return cs_err_set(err, CS_EUSAGE, "%s: Dockerfile lint is not available yet", path);
}
