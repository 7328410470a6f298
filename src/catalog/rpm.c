/*
 * rpm.c - placeholder for the rpm cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool rpm_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_rpm = {
	.name = "rpm",
	.wants = rpm_wants,
};
