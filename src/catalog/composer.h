/*
 * composer.h - PHP packages installed by Composer, and composer.lock, as
 * pure parsers.
 *
 * The composer cataloger (composer.c) reads:
 *
 *   .../composer/installed.json
 *       what Composer installed into a vendor directory (vendor/ by
 *       default; the name is configurable, its composer/ subdirectory is
 *       not). Composer 1 writes a JSON array of packages, Composer 2 an
 *       object {"packages": [...], "dev": ..., "dev-package-names": [...]}.
 *   composer.lock
 *       what `composer install` would install: a lockfile, reported for
 *       root filesystem scans only (see langcat.h). One inside a vendor
 *       directory belongs to a dependency's sources and is not read (Trivy
 *       skips it too).
 *
 * Both hold package objects with "name" ("vendor/package"), "version" and
 * "license" (an array of SPDX ids, or a string). The parsers know nothing
 * of scans or layers; results come from the caller's arena.
 */
#ifndef CS_COMPOSER_H
#define CS_COMPOSER_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "composer"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_composer;

/* What a path names (cs_composer_kind). */
enum {
	CS_COMPOSER_NONE = 0,
	CS_COMPOSER_INSTALLED, /* <anything>/composer/installed.json */
	CS_COMPOSER_LOCK,      /* composer.lock with no "vendor" directory above */
};

/* Classifies a clean relative path; no I/O (cheap enough for wants()). */
int cs_composer_kind(const char *path);

/*
 * Parses an installed.json, either version: every package of the list,
 * dev packages included (they are on disk; Trivy and syft report them
 * too). Each package's name, version and licenses (below);
 * pkg:composer/<vendor>/<name>@<version>. A package listed twice with the
 * same version counts once; an entry that is not an object with a string
 * name and version, both non-empty and free of control bytes, is counted in
 * out->nbad. A leading UTF-8 byte order mark is skipped.
 *
 * licenses: the strings of a "license" array as they are; a "license"
 * string split on "or"/"and" and commas, as Trivy does ("MIT or
 * BSD-2-Clause" is two), its outer parentheses dropped.
 *
 * Returns 0; CS_EFORMAT (message in err) for malformed JSON (nesting
 * deeper than cJSON's 1000 levels included) or a document that is neither
 * an array nor an object with a "packages" array; CS_ENOMEM.
 */
int cs_composer_parse_installed(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Parses a composer.lock: the "packages" array, as cs_composer_parse_installed
 * reads entries; "packages-dev" is not read (development dependencies,
 * which Trivy leaves out unless asked and syft leaves out). out->lockfile
 * is set. A lock without "packages" has no package. Returns as
 * cs_composer_parse_installed; CS_EFORMAT also when the document is not an
 * object or "packages" is not an array.
 */
int cs_composer_parse_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/* The cataloger's parser: by cs_composer_kind(path); CS_ENOTFOUND for other paths. */
int cs_composer_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
			   cs_err *err);

#endif
