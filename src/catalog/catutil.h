/*
 * catutil.h - helpers the catalogers share: quoting untrusted text for
 * messages, trimming, control bytes and hex digits, the "lowest layer
 * that lists this package" index, the common steps of finish() (whether a
 * parsed file is the one the final image holds, storing a purl builder's
 * result in a package, the final error message), and for the language
 * parsers a JSON reader and a set of packages each listed once.
 */
#ifndef CS_CATUTIL_H
#define CS_CATUTIL_H

#include "core/compat.h"
#include "catalog/langcat.h"
#include "core/error.h"
#include "core/json.h"
#include "core/map.h"
#include "scan/scan.h"

/*
 * Up to 64 bytes of untrusted text [p, p + n) for a message, bytes outside
 * 0x20..0x7e as '?', no ellipsis. Writes at most bufsz (> 0) bytes; returns buf.
 */
const char *cs_cat_quote(char *buf, size_t bufsz, const char *p, size_t n);

/* dpkg's c_isspace() less '\n': what deb822 and apk parsers treat as blank. */
static inline bool cs_cat_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Whether [p, p + n) holds a control byte (below 0x20: NUL, tab and newline included) or DEL. */
static inline bool cs_cat_has_control(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return true;
	return false;
}

/* The value of the hexadecimal digit c (either case), or -1. */
static inline int cs_cat_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Trims the bytes of set (NUL never matches) from both ends of [*p, *p + *n). */
void cs_cat_trim(const char **p, size_t *n, const char *set);

/*
 * The lowest-layer index: a map from a package key to (layer + 1), whose
 * keys are borrowed (they must outlive the map). cs_cat_first_note()
 * records key as present in layer, keeping the lowest layer; returns 0 or
 * CS_ENOMEM. cs_cat_first_get() returns the lowest layer noted, or -1.
 */
int cs_cat_first_note(cs_map *first, const char *key, size_t keylen, int layer);
int cs_cat_first_get(const cs_map *first, const char *key, size_t keylen);

/*
 * The analyzer id's state for the layer being walked (cs_walk_state()),
 * made on first use: size zeroed bytes of the walk's arena. NULL when out
 * of memory.
 */
void *cs_cat_layer_state(cs_walk *w, int id, size_t size);

/*
 * Whether path, as parsed in layer, is the file the final image holds: a
 * regular file (links not followed) that layer wrote last and no later
 * layer deleted.
 */
bool cs_cat_is_final(const cs_scan *s, const char *path, int layer);

/*
 * Stores what a purl builder returned (rc, purl, perr) in p. CS_ENOMEM is
 * returned as is; any other failure leaves p without a purl and is a
 * warning naming p->name and p->found_in. Returns 0 or CS_ENOMEM.
 */
int cs_cat_set_purl(cs_scan *s, cs_package *p, int rc, char *purl, const cs_err *perr);

/*
 * Keeps what a purl builder returned (rc, purl, its message in err) in a
 * language package: the purl, or after a refusal none and the reason in
 * p->purl_error (a name or version no purl can hold still names a
 * package). err is cleared. Returns 0, CS_ENOMEM as is, or CS_ENOMEM with
 * a message when the reason cannot be kept.
 */
int cs_cat_langpkg_purl(cs_langpkg *p, cs_arena *a, int rc, char *purl, cs_err *err);

/*
 * An OS package's purl: pkg:TYPE/NS/NAME@VERSION with the arch, distro and
 * upstream qualifiers (each left out when NULL), built in a.
 */
int cs_cat_os_purl(char **out, cs_arena *a, const char *type, const char *ns, const char *name,
		   const char *version, const char *arch, const char *distro, const char *upstream, cs_err *err);

/*
 * finish()'s last word for rc: 0 stays 0; CS_ENOMEM becomes "out of memory
 * cataloguing <what>", another failure "cannot catalogue <what>: <code>".
 */
int cs_cat_finish_err(cs_err *err, int rc, const char *what);

/*
 * A package file's JSON document: a leading byte order mark skipped, a raw
 * NUL refused (JSON has none; cJSON would end a string there without a
 * word), and in a copy each \u0000 escape made \u007f, a control byte that
 * makes the value unusable, as a NUL in it should (cJSON would cut the
 * string there: "a\u0000b" would read "a"; an escaped backslash before
 * "u0000" is plain text the change leaves plain). what names the file in
 * messages, pkgs the packages in the out-of-memory one ("php packages").
 * Returns the document (free with cJSON_Delete), or NULL with CS_EFORMAT
 * or CS_ENOMEM in err.
 */
cJSON *cs_cat_json(const void *data, size_t len, const char *what, const char *pkgs, cs_err *err);

/*
 * The packages of one file, each name and version once. Init with the
 * file's result, its arena and a purl type (NULL: the caller sets purls);
 * release frees the index only (the packages live in the arena).
 */
typedef struct cs_cat_pkgset {
	cs_langfile *out;
	cs_arena *a;
	const char *purl_type; /* "gem", "nuget": pkg:TYPE/NAME@VERSION; or NULL */
	size_t cap;            /* of out->pkgs */
	cs_map seen;           /* "name\0version" (arena keys) -> 1 */
} cs_cat_pkgset;

void cs_cat_pkgset_init(cs_cat_pkgset *s, cs_langfile *out, cs_arena *a, const char *purl_type);
void cs_cat_pkgset_release(cs_cat_pkgset *s);

/*
 * Adds name[0..nlen) at version[0..vlen) (copied into one arena key) with
 * its purl, unless the pair is there already; *added is the new package
 * (NULL when it was there). A purl the builder refuses (it cannot for a
 * non-empty name) leaves the package without one. Returns 0 or CS_ENOMEM.
 */
int cs_cat_pkgset_add(cs_cat_pkgset *s, const char *name, size_t nlen, const char *version, size_t vlen,
		      cs_langpkg **added);

#endif
