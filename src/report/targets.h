/*
 * targets.h - a scan's packages and findings grouped the way Trivy groups
 * its Results: what the trivy-json and junit writers share.
 *
 *  - one OS target for every OS package (dpkg, apk, rpm), named
 *    "<artifact> (<family> <version>)", class "os-pkgs", type the family;
 *  - language packages by Trivy's type ("python-pkg", "gobinary", "npm"...):
 *    the kinds Trivy aggregates (python-pkg, node-pkg, jar, gemspec) form one
 *    target each ("Python", "Node.js", "Java", "Ruby") whose packages name
 *    their own file; every other kind (binaries, lockfiles) one target per
 *    file, named by the file's path;
 *  - secrets: one target per file (images: "/" + path, as Trivy writes
 *    them; the image config keeps customs' "config:..." names).
 *
 * Package targets exist only once vulnerability matching ran (as Trivy lists
 * packages only when its vulnerability scanner runs); secret targets only
 * for files with secrets. Order: the OS target, language targets by name,
 * then secret targets in the scan's order (layer, path, line). Everything is
 * borrowed from the scan except the target names, which the set owns.
 */
#ifndef CS_REPORT_TARGETS_H
#define CS_REPORT_TARGETS_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

typedef enum cs_rtarget_class {
	CS_RTARGET_OS,     /* "os-pkgs" */
	CS_RTARGET_LANG,   /* "lang-pkgs" */
	CS_RTARGET_SECRET, /* "secret" */
} cs_rtarget_class;

typedef struct cs_rtarget {
	cs_rtarget_class cls;
	const char *name;  /* Trivy's Target */
	const char *type;  /* Trivy's Type ("alpine", "python-pkg"...); NULL for secrets */
	/*
	 * The packages come from many files (Trivy's aggregated kinds): each
	 * package and finding names its own file (Trivy's FilePath, PkgPath).
	 */
	bool aggregated;
	const cs_package **pkgs; /* the scan's order */
	size_t npkgs;
	const cs_vuln **vulns;   /* Trivy's order: package name, id, version, worst first, vulnerability id */
	size_t nvulns;
	const cs_secret **secrets; /* the scan's order */
	size_t nsecrets;
} cs_rtarget;

typedef struct cs_rtargets {
	cs_rtarget *items; /* arena array */
	size_t len;
	cs_arena arena;    /* owns items, their arrays and names */
} cs_rtargets;

/* Groups s into out (released with cs_rtargets_release, even on failure). CS_ENOMEM. */
int cs_rtargets_build(cs_rtargets *out, const cs_scan *s, cs_err *err);
void cs_rtargets_release(cs_rtargets *t);

/* Trivy's class word for c: "os-pkgs", "lang-pkgs", "secret". */
const char *cs_rtarget_class_name(cs_rtarget_class c);

/*
 * Trivy's type of a language package, from customs' type and the file it
 * was read from: "python-pkg", "node-pkg", "npm", "yarn", "jar",
 * "gobinary", "gomod", "rustbinary", "cargo", "gemspec", "bundler",
 * "composer", "composer-vendor", "dotnet-core", "nuget"... customs' own
 * type when none fits.
 */
const char *cs_rtarget_lang_type(const cs_package *p);

/* True for the OS package types (deb, apk, rpm). */
bool cs_rtarget_is_os_pkg(const cs_package *p);

/*
 * Trivy's severity word: "CRITICAL", "HIGH", "MEDIUM", "LOW" or
 * "UNKNOWN". customs' "negligible" (Debian's "unimportant") is "LOW", as
 * Trivy rates it.
 */
const char *cs_rtarget_severity(const char *severity);

/*
 * The Dockerfile step as Trivy writes a layer's CreatedBy: without the
 * "/bin/sh -c " and "#(nop) " prefixes of the legacy builder. NULL stays NULL.
 */
const char *cs_rtarget_created_by(const char *created_by);

/* The layer record of index i, or NULL (-1, or a scan without layers). */
const cs_layer *cs_rtarget_layer(const cs_scan *s, int i);

#endif
