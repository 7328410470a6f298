/*
 * base.c - the base image assessment (placeholder until it lands): where
 * the base image ends, what it is, whether its OS release is past its end
 * of life.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"
#include "scan/scan.h"

static bool base_wants(const char *path, uint32_t mode)
{
	CS_UNUSED(path);
	CS_UNUSED(mode);
	return false;
}

const cs_analyzer cs_analyzer_base = {
	.name = "base",
	.scanners = CS_SCANNER_BASE,
	.wants = base_wants,
};
