/*
 * dotnet.h - .NET (NuGet) packages from *.deps.json and packages.lock.json,
 * as pure parsers.
 *
 * The dotnet cataloger (dotnet.c) reads:
 *
 *   <app>.deps.json
 *       written by the .NET SDK beside a built or published application:
 *       the libraries it loads at run time. "libraries" maps "Name/Version"
 *       to {"type": "package" | "project" | "reference" | "runtimepack" ...};
 *       "targets"[runtimeTarget.name] maps the same keys to the assets each
 *       library brings for that target.
 *   packages.lock.json
 *       NuGet's lock of a project's restore: a lockfile, reported for root
 *       filesystem scans only (see langcat.h).
 *
 * packages.config (NuGet's older XML list) is not read: no fixture covers
 * it. The parsers know nothing of scans or layers; results come from the
 * caller's arena.
 */
#ifndef CS_DOTNET_H
#define CS_DOTNET_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "dotnet"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_dotnet;

/* What a path names (cs_dotnet_kind). */
enum {
	CS_DOTNET_NONE = 0,
	CS_DOTNET_DEPS, /* a file name ending in ".deps.json" (something before it) */
	CS_DOTNET_LOCK, /* packages.lock.json */
};

/* Classifies a clean relative path; no I/O (cheap enough for wants()). */
int cs_dotnet_kind(const char *path);

/*
 * Parses a .deps.json: one package per library of type "package" (any
 * case) and per "runtimepack" (the runtime a self-contained app bundles,
 * reported under its own name: "runtimepack.Microsoft.NETCore.App.Runtime.
 * linux-x64" is Microsoft.NETCore.App.Runtime.linux-x64, as Trivy does).
 * Projects (the application and its own libraries: not NuGet packages),
 * references and reference assemblies are left out.
 *
 * When the runtime target's entry lists a library, the library counts only
 * if that entry has "runtime", "runtimeTargets" or "native" assets (a
 * non-null member): a package with none is a compile-time or metadata
 * package that nothing loads (Trivy's rule). A library the target does not
 * list, or a file whose runtime target is absent, keeps the library.
 *
 * Name and version are the key's halves at its first '/'; purl
 * pkg:nuget/<name>@<version>. A key without '/', or with an empty or
 * control-byte half, or a library that is not an object, is counted in
 * out->nbad. Returns 0 (a file without "libraries" has no package);
 * CS_EFORMAT (message in err) for malformed JSON or a document that is not
 * an object; CS_ENOMEM.
 */
int cs_dotnet_parse_deps(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Parses a packages.lock.json: every package of every target framework
 * in "dependencies" (direct and transitive alike), each name and resolved
 * version once; entries of type "Project" (other projects of the solution)
 * are left out. An entry without a usable "resolved" version is counted in
 * out->nbad. out->lockfile is set. Returns as cs_dotnet_parse_deps.
 */
int cs_dotnet_parse_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/* The cataloger's parser: by cs_dotnet_kind(path); CS_ENOTFOUND for other paths. */
int cs_dotnet_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err);

#endif
