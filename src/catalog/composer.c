/*
 * composer.c - placeholder for the composer cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool composer_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_composer = {
	.name = "composer",
	.wants = composer_wants,
};
