/*
 * gomod.h - Go modules from go.mod and go.sum files, as a pure parsing API.
 *
 * Both are lockfiles (reported for `customs rootfs` directories only), of
 * type "golang", read by the analyzer "gomod" on the langcat frame:
 *
 *  - go.mod is read as golang.org/x/mod/modfile.Parse reads it (Trivy's
 *    parser): its lexer (identifiers, "quoted" and `raw` strings, //
 *    comments, parentheses), blocks, and the directives module, go,
 *    toolchain, godebug, require, exclude, replace, retract, tool and
 *    ignore; versions must be valid semantic versions (v1.2 is stored as
 *    v1.2.0) and agree with the path's major version suffix. A file Go
 *    would refuse is refused. cs_gomod_read() gives the directives,
 *    cs_gomod_packages() the packages, as Trivy selects them (see there).
 *  - go.sum, only where no go.mod lies beside it (a go.mod is the better
 *    record: go.sum also lists modules the build does not use): one
 *    package per module, at the version of its last line, as Trivy's go.sum
 *    parser reads it.
 */
#ifndef CS_GOMOD_H
#define CS_GOMOD_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "gomod"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_gomod;

/* Largest go.mod or go.sum read, bytes (Kubernetes' go.sum is about 100 KiB). */
#define CS_GOMOD_MAX_SIZE ((uint64_t)16 << 20)

/* One require directive. Strings are unquoted and never NULL. */
typedef struct cs_gomod_require {
	const char *path;    /* module path */
	const char *version; /* canonical: "v1.2.0", "v2.0.0+incompatible" */
	bool indirect;       /* a "// indirect" comment ends its line */
} cs_gomod_require;

/* One replace directive. */
typedef struct cs_gomod_replace {
	const char *old_path;
	const char *old_version; /* "" when the directive replaces every version */
	const char *new_path;    /* a module path, or a directory ("./x", "../x", "/x") */
	const char *new_version; /* "" for a directory */
} cs_gomod_replace;

/* The directives of a go.mod that matter for packages. */
typedef struct cs_gomod_file {
	const char *module;    /* the module path, or NULL when there is no module directive */
	const char *go;        /* the go directive, "1.22.0", or NULL */
	const char *toolchain; /* the toolchain directive, "go1.22.5", or NULL */
	cs_gomod_require *requires; /* in file order; arena array */
	size_t nrequires;
	cs_gomod_replace *replaces;
	size_t nreplaces;
	size_t nexcludes;      /* exclude directives, which are read and ignored */
} cs_gomod_file;

/*
 * Reads a go.mod of len bytes. Returns 0; CS_EFORMAT with "line N: why"
 * (in the go command's words where it has them) when Go would refuse the
 * file; CS_ENOMEM.
 */
int cs_gomod_read(cs_gomod_file *out, cs_arena *a, const char *data, size_t len, cs_err *err);

/*
 * The packages of a go.mod, as Trivy's go.mod parser selects them:
 *
 *  - the main module, at version "(devel)" (no version exists for the
 *    module being built; Go's build information writes the same);
 *  - "stdlib" at the toolchain the file asks for: the toolchain directive
 *    ("go1.22.5"; a "-suffix" dropped), else a go directive of 1.21 or
 *    later ("1.22.0" -> "go1.22.0", "1.21" -> "go1.21.0"); none before
 *    1.21, which had no toolchain selection. This is the least version a
 *    build uses (Trivy reports it as "v1.22.5" with --detection-priority
 *    comprehensive);
 *  - every require, its "// indirect" ones included (see docs/analyzers.md
 *    for Go 1.16 and older files), with replace directives applied in file
 *    order: one whose old version (when given) matches the required one
 *    replaces the module by the new module and version, or drops it when
 *    the replacement is a directory; exclude directives are ignored.
 *
 * Purls are pkg:golang/<path>@<version> (cs_gobin_purl). A module path or
 * version holding a control byte is counted in out->nbad. Sets
 * out->lockfile. CS_ENOMEM.
 */
int cs_gomod_packages(cs_langfile *out, cs_arena *a, const cs_gomod_file *f, cs_err *err);

/* cs_gomod_read() then cs_gomod_packages(). */
int cs_gomod_parse_mod(cs_langfile *out, cs_arena *a, const char *data, size_t len, cs_err *err);

/*
 * Reads a go.sum: each line of two or more blank-separated fields names a
 * module and a version ("/go.mod" suffix removed); the last line of a
 * module gives its version (go.sum is sorted, so that is the highest).
 * Other lines are skipped, as Trivy skips them; a field holding a control
 * byte is counted in out->nbad. Sets out->lockfile. Returns 0; CS_ENOMEM.
 */
int cs_gomod_parse_sum(cs_langfile *out, cs_arena *a, const char *data, size_t len, cs_err *err);

/* The parser the langcat frame runs: by the file's name (go.mod, go.sum), else CS_ENOTFOUND. */
int cs_gomod_parse(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err);

#endif
