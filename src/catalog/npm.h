/*
 * npm.h - Node.js packages, as a pure parsing API.
 *
 * The npm cataloger (npm.c, on the langcat frame) reads two kinds of file:
 *
 *   installed packages   the package.json at the root of every package
 *                        directory under a node_modules directory (nested,
 *                        scoped, global installs, pnpm's .pnpm store) and
 *                        under Debian's module directories (usr/share/nodejs,
 *                        usr/lib/nodejs, usr/lib/<triplet>/nodejs);
 *   lockfiles            package-lock.json (v1, v2, v3), yarn.lock (classic
 *                        v1 and berry v2+) and pnpm-lock.yaml (5.x, 6.x, 9.x)
 *                        outside node_modules: what a build would install,
 *                        reported for directory scans only (langcat.h).
 *
 * The parsers know nothing of scans or layers: unit tests and the fuzz
 * target call them on plain bytes. Results come from the caller's arena.
 * Every package has a name and a version (entries without one are passed
 * over); a package listed twice in one file is reported once. Development
 * dependencies are left out where the file says which they are
 * (package-lock "dev": true, pnpm "dev": true, pnpm 9's importers), as
 * Trivy leaves them out by default.
 */
#ifndef CS_NPM_H
#define CS_NPM_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "npm"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_npm;

/* What a path names (cs_npm_kind). */
enum {
	CS_NPM_NONE = 0,
	CS_NPM_PACKAGE_JSON, /* an installed package's package.json */
	CS_NPM_PACKAGE_LOCK, /* package-lock.json */
	CS_NPM_YARN_LOCK,    /* yarn.lock */
	CS_NPM_PNPM_LOCK,    /* pnpm-lock.yaml */
};

/*
 * Nesting deeper than this in a YAML lockfile (pnpm, yarn berry) or in a
 * package-lock v1 "dependencies" tree refuses the file (CS_ELIMIT). Real
 * files stay under 10 (YAML) and under 30 (npm 6 trees).
 */
#define CS_NPM_MAX_DEPTH 64
#define CS_NPM_MAX_LOCK_DEPTH 256

/*
 * Classifies a clean relative path, no I/O:
 *
 *  - "package.json" whose directory is a package directory: the path after
 *    the last "node_modules" component (or after usr/share/nodejs/,
 *    usr/lib/nodejs/, usr/lib/<triplet>/nodejs/ when there is none) is
 *    "<name>/package.json" or "@<scope>/<name>/package.json", no component
 *    starting with '.'. This is the rule of Trivy's IsPackageRoot:
 *    node_modules/rxjs/ajax/package.json (a bundler hint) and
 *    node_modules/x/test/fixtures/package.json are not packages; a
 *    package.json outside any module directory (a project's own manifest)
 *    is not read at all.
 *  - "package-lock.json" and "pnpm-lock.yaml" with no "node_modules"
 *    component, "yarn.lock" with neither "node_modules" nor ".yarn"
 *    (Trivy's rule: copies there are caches or a dependency's own files).
 */
int cs_npm_kind(const char *path);

/*
 * Trivy's rule for a package.json "name": empty, or
 * ^(@[A-Za-z0-9-._]+/)?[A-Za-z0-9-._]+$ .
 */
bool cs_npm_valid_name(const char *name);

/*
 * An installed package's package.json: one package when it has a "name"
 * and a "version" (none, and 0, when either is missing or empty, as npm
 * allows for a project that is never published). Licenses: "license" as a
 * string, an object's "type", or an array of either; when that gives none,
 * the legacy "licenses" array (or string/object) likewise. Empty strings
 * and other shapes are ignored.
 * Returns 0; CS_EFORMAT (message in err) for malformed JSON, a top level
 * that is not an object, a "name" or "version" that is not a string, a
 * name Trivy's rule refuses, or a control byte in name or version;
 * CS_ENOMEM.
 */
int cs_npm_parse_package_json(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * package-lock.json. lockfileVersion 1: the nested "dependencies" tree,
 * each key a name ("npm:<name>@<version>" aliases give the real name).
 * Otherwise the "packages" map keyed by install path: the root "" and
 * paths outside node_modules are not packages, except workspace members,
 * which "link": true entries ("resolved": the member's path) place under
 * node_modules as npm itself does; a link without "resolved" is dropped.
 * The name is "name" when given, else the path after its last
 * "node_modules/". Licenses as in package.json ("license").
 * out->lockfile is set. CS_EFORMAT for malformed JSON or a top level that
 * is not an object, CS_ELIMIT past CS_NPM_MAX_LOCK_DEPTH, CS_ENOMEM.
 */
int cs_npm_parse_package_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * yarn.lock. A file with a top-level "__metadata:" line is yarn berry's
 * YAML: each entry's "resolution" must be "<name>@npm:<version>" (the real
 * name, through aliases); workspace, link, portal, patch, file, git and
 * other non-registry entries are passed over. Otherwise the classic v1
 * format: entries "spec[, spec...]:" with indented "version" and
 * "resolved" fields; the first spec's range decides: none or "npm:"
 * (alias: "npm:<name>@<range>") is a registry package, known non-registry
 * protocols (file:, link:, git..., github:, http(s):, a "user/repo"
 * shorthand) are passed over, an unknown protocol counts in nbad. The name
 * is the registry tarball's when "resolved" is one (".../<name>/-/..."),
 * else the spec's (or the alias target's). yarn.lock says nothing of dev
 * dependencies: every package is reported.
 * out->lockfile is set. CS_EFORMAT for malformed YAML, CS_ELIMIT, CS_ENOMEM.
 */
int cs_npm_parse_yarn_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * pnpm-lock.yaml. Of a multi-document file (pnpm 11), the first document
 * that is not the package manager's own environment (importers with
 * configDependencies or packageManagerDependencies). lockfileVersion below
 * 9: every "packages" entry not marked "dev: true", name and version from
 * "name"/"version" or else from the key ("/name/1.0.0_peer" in 5.x,
 * "/name@1.0.0(peer)" in 6.x), versions that are not semver (a tarball
 * URL, file:) being none; and the top-level "dependencies" and
 * "optionalDependencies" (in "packages" too, unless the file was
 * trimmed). A 9.x file without "snapshots" is read so too. 9.x: every
 * "snapshots" entry reachable from an
 * importer's dependencies or optionalDependencies (through the snapshots'
 * dependencies and optionalDependencies); the version is the key's, or the
 * "packages" entry's "version" when the key's is a URL.
 * out->lockfile is set. CS_EFORMAT for malformed YAML or no usable
 * lockfileVersion, CS_ELIMIT, CS_ENOMEM.
 */
int cs_npm_parse_pnpm_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Splits a pnpm "packages" or "snapshots" key into name and version (arena
 * strings; *version "" when the key has none), as Trivy's parsePnpmKey:
 * below 9 the registry (or the leading '/') is cut at the first '/'; a
 * scope is kept; the name ends at '/' (5.x) or '@' (6.x and later); peer
 * suffixes ("_@babel+core@7.21.8" in 5.x, "(@babel/core@7.20.7)" later)
 * are cut. "/@babel/generator/7.21.9" (5.x), "/lodash@4.17.10" (6.x),
 * "debug@4.3.4(supports-color@8.1.1)" (9.x). CS_ENOMEM.
 */
int cs_npm_pnpm_key(cs_arena *a, const char *key, double ver, const char **name, const char **version);

/*
 * The langcat parser: dispatches on cs_npm_kind(path); CS_ENOTFOUND for a
 * path of no kind.
 */
int cs_npm_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err);

/*
 * pkg:npm/<name>@<version>, a scope as the namespace:
 * pkg:npm/%40babel/core@7.24.7 (cs_purl_build encodes '@'; case is kept,
 * as npm names are case-sensitive for old packages).
 */
int cs_npm_purl(char **out, cs_arena *a, const char *name, const char *version, cs_err *err);

#endif
