/*
 * gomod.c - placeholder for the gomod cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool gomod_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_gomod = {
	.name = "gomod",
	.wants = gomod_wants,
};
