/*
 * version_go.h - Go's semantic versions (golang.org/x/mod/semver) over
 * borrowed bytes, shared by the "go" scheme (version_go.c, module
 * versions) and the "gostd" scheme (version_gostd.c, Go release tags).
 * Nothing is allocated; a parsed version points into the caller's string.
 */
#ifndef CS_VERSION_GO_H
#define CS_VERSION_GO_H

#include "core/compat.h"

typedef struct cs_gosemver {
	const char *num[3]; /* major, minor, patch: borrowed digit runs ("0" when implied) */
	size_t num_len[3];
	/*
	 * The pre-release identifiers, dot-separated, borrowed: those of pre[0]
	 * and then, when pre_len[1] > 0, those of pre[1], as if joined by a '.'
	 * (a release tag's "rc2" is the pre-release "rc.2"). Both lengths are 0
	 * when there is no pre-release.
	 */
	const char *pre[2];
	size_t pre_len[2];
} cs_gosemver;

/*
 * Parses s as govulncheck compares versions: the prefix made canonical as
 * x/vuln's CanonicalizeSemverPrefix does (drop one leading "v", then one
 * leading "go", then put a "v" in front unless the rest starts with "v" or
 * "go"), the result parsed as golang.org/x/mod/semver does:
 * vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]], numbers and numeric pre-release
 * identifiers without leading zeros, vMAJOR and vMAJOR.MINOR standing for
 * vMAJOR.0.0 and vMAJOR.MINOR.0. False when s is not valid.
 */
bool cs_gosemver_parse(cs_gosemver *out, const char *s);

/* semver.Compare(a, b) of two valid versions: -1, 0 or 1. Build metadata is ignored. */
int cs_gosemver_cmp(const cs_gosemver *a, const cs_gosemver *b);

#endif
