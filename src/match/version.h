/*
 * version.h - version ordering, one comparator per ecosystem scheme.
 *
 * Matching decides "is the installed version inside an affected range" with
 * the ecosystem's own ordering: dpkg's for Debian, rpm's for Red Hat, apk's
 * for Alpine, PEP 440 for PyPI, and so on. Each scheme is one source file
 * (version_<name>.c) exporting one const cs_version_scheme, listed once in
 * versions.def. Comparators are pure functions of their arguments: no
 * allocation that outlives the call, no global state, thread-safe.
 */
#ifndef CS_VERSION_H
#define CS_VERSION_H

#include "core/compat.h"
#include "core/error.h"

typedef struct cs_version_scheme {
	const char *name; /* "deb", "rpm", "apk", "semver", "go", "pep440", "maven", "gem", "nuget", "composer", "cargo" */
	/*
	 * Compares a with b: *out < 0, 0 or > 0 as the ecosystem orders them
	 * (its reference implementation decides; see docs/versions.md).
	 * Returns 0, or CS_EFORMAT (message in err, naming the version) when a
	 * or b is not a version of this scheme, so a matcher can tell "not
	 * comparable" from "older".
	 */
	int (*cmp)(const char *a, const char *b, int *out, cs_err *err);
} cs_version_scheme;

/* The ids, one per line of versions.def. */
enum {
#define CS_VERSION_SCHEME(id) CS_VS_##id,
#include "match/versions.def"
#undef CS_VERSION_SCHEME
	CS_VS_COUNT
};

extern const cs_version_scheme *const cs_version_schemes[CS_VS_COUNT + 1]; /* NULL-terminated */

/* The scheme named name ("deb"...), or NULL. */
const cs_version_scheme *cs_version_scheme_find(const char *name);

#endif
