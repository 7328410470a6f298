/*
 * npm.c - placeholder for the npm cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool npm_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_npm = {
	.name = "npm",
	.wants = npm_wants,
};
