/*
 * version.c - the version string (see version.h).
 */
#include "core/compat.h"
#include "core/version.h"

#if defined(__has_include)
#if __has_include("gen/version.h")
#include "gen/version.h"
#endif
#endif
#ifndef CS_BUILD_VERSION
#define CS_BUILD_VERSION "unknown"
#endif

const char *cs_version(void)
{
	return CS_BUILD_VERSION;
}
