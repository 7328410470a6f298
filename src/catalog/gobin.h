/*
 * gobin.h - Go build information in executables, as a pure parsing API.
 *
 * The Go linker stores in every binary (stripped and PIE ones too) a
 * 32-byte header that starts with the magic "\xff Go buildinf:", followed
 * by the toolchain version (runtime.buildVersion, "go1.19.8") and the
 * module information of the build (runtime/debug.BuildInfo, the text
 * `go version -m` prints). The gobin cataloger (gobin.c) reads it from
 * every executable file of the image. The parsers here know nothing of
 * scans or layers, so unit tests and the fuzz target call them on plain
 * bytes; results are allocated from the caller's arena.
 *
 * Where the header is looked for, as Go's debug/buildinfo does:
 *
 *  - ELF (32 or 64 bit, either byte order): the .go.buildinfo section, else
 *    the start of the first writable, non-executable PT_LOAD segment (a
 *    binary whose section headers were removed); the first 64 KiB there are
 *    searched for the magic at a 16-byte boundary.
 *  - Any other file starting with a Mach-O or PE signature: the whole file
 *    is searched for the magic at 16-byte file offsets, and only the Go
 *    1.18+ format (below) is accepted, which needs no address translation.
 *
 * Two formats follow the magic, told apart by bit 2 of byte 15:
 *
 *  - Go 1.18 and later (bit set): the two strings follow the header, each
 *    as an unsigned varint length and its bytes.
 *  - Go 1.13 to 1.17 (bit clear): byte 14 is the pointer size (4 or 8),
 *    byte 15 the byte order (0 little, 1 big), then two pointers to Go
 *    string headers {data pointer, length}; virtual addresses are mapped to
 *    file offsets through the PT_LOAD segments (ELF only). PIE binaries of
 *    those versions leave the pointers to the dynamic loader (they read as
 *    zero in the file): their build information cannot be read, by Go's own
 *    tools either.
 *
 * The module information is framed by two 16-byte sentinels, which are
 * removed; its lines are those of runtime/debug.BuildInfo.String():
 *
 *   path <tab> cmd/path                       the main package
 *   mod  <tab> module <tab> version [<tab> sum]   the main module
 *   dep  <tab> module <tab> version [<tab> sum]   a dependency
 *   =>   <tab> module <tab> version <tab> sum     replaces the module above
 *   build <tab> key=value                     a build setting
 */
#ifndef CS_GOBIN_H
#define CS_GOBIN_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "gobin"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_gobin;

/* Largest file read, bytes: Go binaries of 100+ MiB exist (kubelet, terraform providers). */
#define CS_GOBIN_MAX_SIZE ((uint64_t)256 << 20)

enum { CS_GOBIN_INLINE = 1, CS_GOBIN_POINTER = 2 };     /* the format found */
enum { CS_GOBIN_ELF = 1, CS_GOBIN_MACHO = 2, CS_GOBIN_PE = 3 }; /* the container */

/* One module of the build. Strings never hold a tab, newline or NUL. */
typedef struct cs_gobin_module {
	const char *path;    /* module path, "golang.org/x/net"; "" when the line had none */
	const char *version; /* "v0.7.0", "(devel)"; "" when absent */
	const char *sum;     /* "h1:..." or "" */
	const struct cs_gobin_module *replace; /* the "=>" line after it, or NULL */
} cs_gobin_module;

typedef struct cs_gobin_info {
	int format;             /* CS_GOBIN_INLINE or CS_GOBIN_POINTER */
	int container;          /* CS_GOBIN_ELF, _MACHO or _PE */
	const char *go_version; /* runtime.buildVersion as stored: "go1.19.8", "go1.21.0 X:boringcrypto" */
	const char *modinfo;    /* the module information without its sentinels ("" when none) */
	size_t modinfo_len;
	const char *path;       /* the "path" line, or NULL */
	bool has_main;          /* a "mod" line was read */
	cs_gobin_module main;
	const cs_gobin_module **deps; /* "dep" lines in order; arena array */
	size_t ndeps;
	const char **settings;  /* "build" lines after the tab, as stored ("CGO_ENABLED=0") */
	size_t nsettings;
	size_t nbad;            /* lines Go's ParseBuildInfo would refuse; left out here */
} cs_gobin_info;

/*
 * Finds and decodes the build information of an executable of len bytes.
 * Every read is bounds-checked (a truncated or hostile file is an error,
 * never a read past the end), and no string longer than the file is made.
 * Returns 0; CS_ENOTFOUND when the file is no Go binary (not ELF, Mach-O or
 * PE; or no build information where Go puts it); CS_EFORMAT (message in
 * err) when the header is there but damaged (unknown pointer size, a
 * pointer or length out of the file, an empty version); CS_ENOMEM.
 */
int cs_gobin_parse(cs_gobin_info *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Decodes module information text (sentinels removed) into out's path,
 * main, deps and settings, as Go's debug.ParseBuildInfo reads it: a last
 * line without a newline is ignored and so are unknown lines; where Go
 * refuses the whole text (a mod or dep line without 2 or 3 columns, a "=>"
 * line without 3 or with no module before it) the line is left out and
 * counted in nbad. CS_ENOMEM.
 */
int cs_gobin_parse_modinfo(cs_gobin_info *out, cs_arena *a, const char *text, size_t len);

/*
 * The version reported for the Go standard library of a binary built with
 * go_version: its first word without a "-X:..." experiment list
 * ("go1.21.0 X:boringcrypto" -> "go1.21.0", "go1.26.1-X:nodwarf5" ->
 * "go1.26.1"). A development toolchain ("devel go1.22-abcdef ...") is kept
 * whole. NULL when out of memory.
 */
char *cs_gobin_stdlib_version(cs_arena *a, const char *go_version);

/* One package a binary is reported as. */
typedef struct cs_gobin_pkg {
	const char *name;    /* "stdlib", or a module path */
	const char *version; /* never empty */
} cs_gobin_pkg;

/*
 * The packages of a binary, in this order: the standard library ("stdlib"
 * at cs_gobin_stdlib_version) when the toolchain is known; the main module
 * when there is one, at its version ("(devel)", as the go command writes
 * it for a build from a source tree); every dependency, under its
 * replacement's path and version when it was replaced by another module,
 * under its own path with version "(devel)" when it was replaced by a
 * local directory ("=> ./local (devel)": no module version exists), and
 * "(devel)" for an empty version. A dependency without a path (old
 * toolchains listed the main module so) is left out. *out is an arena
 * array of *n. CS_ENOMEM.
 */
int cs_gobin_packages(cs_gobin_pkg **out, size_t *n, cs_arena *a, const cs_gobin_info *info);

/*
 * Builds pkg:golang/<module path>@<version>: the path's last element is the
 * name, the rest the namespace, case kept (Go module paths are
 * case-sensitive). For the standard library (name "stdlib") the version
 * loses its "go" prefix, as the Go vulnerability database and syft write
 * it: pkg:golang/stdlib@1.19.8. Returns as cs_purl_build.
 */
int cs_gobin_purl(char **out, cs_arena *a, const char *module, const char *version, cs_err *err);

#endif
