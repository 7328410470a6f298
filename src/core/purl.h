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

/*
 * Parses the package URL s[0..len) (untrusted; need not be terminated) as
 * the spec's "How to parse a purl string" section says: the scheme "pkg"
 * (any case, then any number of '/'), the type (lower-cased), namespace
 * segments and name, '@' version (only after the last '/': an npm scope's
 * literal '@' is not a version), '?' qualifiers (keys lower-cased, pairs
 * with an empty value dropped), '#' subpath ("", "." and ".." segments
 * dropped). Every component is percent-decoded; the namespace and name of
 * the types cs_purl_build folds are folded the same way, so parsing a
 * canonical purl and building it again gives the same string.
 *
 * Fills *out with strings from a (qualifiers: an arena array, in the order
 * written). Returns 0, CS_EFORMAT with a message in err for anything the
 * spec refuses or customs cannot hold: no "pkg:" scheme, an invalid type,
 * no name, a control byte (they must be percent-encoded), a '%' not
 * followed by two hex digits, an encoded NUL, an invalid
 * or repeated qualifier key, more than 64 qualifiers, input over 64 KiB;
 * or CS_ENOMEM.
 */
int cs_purl_parse(cs_purl *out, cs_arena *a, const char *s, size_t len, cs_err *err);

/* The value of qualifier key (lower case) of a parsed purl, or NULL. */
const char *cs_purl_get(const cs_purl *p, const char *key);

#endif
