/*
 * rust.c - placeholder for the rust cataloger (issue 5), replaced by the real one.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

static bool rust_wants(const char *path, uint32_t mode)
{
	(void)path;
	(void)mode;
	return false;
}

const cs_analyzer cs_analyzer_rust = {
	.name = "rust",
	.wants = rust_wants,
};
