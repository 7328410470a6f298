/*
 * purl.h - package URLs (https://github.com/package-url/purl-spec).
 *
 * Every cataloger names what it found with a purl, and reports, matching
 * and VEX statements key on it, so it is built in one place, in canonical
 * form: type and qualifier keys lower case, qualifiers sorted by key, empty
 * qualifier values dropped, and each component percent-encoded as the
 * spec's "Character encoding" section says: every byte except ASCII
 * letters, digits, ".-_~" and ':' becomes %XX (upper-case hex). The colon
 * stays literal ("MUST NOT be percent-encoded"), so a Debian epoch reads
 * "1:2.4.47-2"; '+' is not in the allowed set, so "2+b1" reads "2%2Bb1"
 * (the spec's own deb example: pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64).
 */
#ifndef CS_PURL_H
#define CS_PURL_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"

typedef struct cs_purl_qualifier {
	const char *key;   /* [A-Za-z][A-Za-z0-9.-_]*, lower-cased on output */
	const char *value; /* raw (not encoded); NULL or "" drops the pair */
} cs_purl_qualifier;

typedef struct cs_purl {
	const char *type;    /* required: "deb", "npm"...; lower-cased on output */
	const char *ns;      /* namespace, raw, '/' between segments; NULL: none */
	const char *name;    /* required, raw */
	const char *version; /* raw, or NULL */
	const cs_purl_qualifier *qualifiers; /* any order; borrowed */
	size_t nqualifiers;
	const char *subpath; /* raw, '/' between segments, or NULL */
} cs_purl;

/*
 * Builds the canonical purl string of p into *out, allocated from a.
 * Types whose definition says namespace and name are case-insensitive
 * (deb, apk, alpm, github, bitbucket; pypi also folds '_' to '-') get them
 * lower-cased; other types keep them as given.
 * Returns 0, CS_EUSAGE (message in err) for a missing or invalid type or
 * name, an invalid or duplicate qualifier key, or CS_ENOMEM.
 */
int cs_purl_build(char **out, cs_arena *a, const cs_purl *p, cs_err *err);

#endif
