/*
 * java.c - placeholder for the java cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool java_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_java = {
	.name = "java",
	.wants = java_wants,
};
