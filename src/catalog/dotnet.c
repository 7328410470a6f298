/*
 * dotnet.c - placeholder for the dotnet cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool dotnet_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_dotnet = {
	.name = "dotnet",
	.wants = dotnet_wants,
};
