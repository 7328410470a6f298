/*
 * gem.c - placeholder for the gem cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool gem_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_gem = {
	.name = "gem",
	.wants = gem_wants,
};
