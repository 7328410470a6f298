/*
 * version.c - the version scheme table, generated from versions.def.
 */
#include "core/compat.h"
#include "match/version.h"

#define CS_VERSION_SCHEME(id) extern const cs_version_scheme cs_version_##id;
#include "match/versions.def"
#undef CS_VERSION_SCHEME

const cs_version_scheme *const cs_version_schemes[CS_VS_COUNT + 1] = {
#define CS_VERSION_SCHEME(id) &cs_version_##id,
#include "match/versions.def"
#undef CS_VERSION_SCHEME
	NULL,
};

const cs_version_scheme *cs_version_scheme_find(const char *name)
{
	const cs_version_scheme *const *s;

	for (s = cs_version_schemes; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}
