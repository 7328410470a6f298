/*
 * rust.h - Rust crates from Cargo.lock files and from executables built
 * with cargo-auditable, as a pure parsing API.
 *
 * Two sources, one analyzer ("rust", type "cargo", on the langcat frame):
 *
 *  - Cargo.lock (a lockfile: reported for `customs rootfs` directories
 *    only): every [[package]] table, in any of the formats cargo has
 *    written (v1 with its [metadata] checksums, v2, v3, v4), read by a
 *    TOML subset parser that knows the whole syntax cargo writes and
 *    refuses the file, like Trivy's TOML decoder, where it is not TOML.
 *  - ELF executables with cargo-auditable's section ".dep-v0" (or
 *    ".rust-deps-v0" of rust-audit 0.1): zlib-compressed JSON
 *    {"packages":[{"name","version","source","kind","dependencies","root"}]};
 *    every package of kind "runtime" (the default) is reported, the root
 *    crate included; build-only ones ("kind":"build": crates only build
 *    scripts use, which are not linked into the binary) are not, as Trivy
 *    and syft do.
 *
 * The parsers know nothing of scans: unit tests and the fuzz target call
 * them on plain bytes; results come from the caller's arena.
 */
#ifndef CS_RUST_H
#define CS_RUST_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "rust"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_rust;

/* Largest file read, bytes: Rust executables of 100+ MiB exist, as Go ones do. */
#define CS_RUST_MAX_SIZE ((uint64_t)256 << 20)

/* Most bytes the audit data may inflate to: cargo-auditable's own reader's default limit. */
#define CS_RUST_MAX_AUDIT ((size_t)8 << 20)

/* Deepest nesting of TOML arrays and inline tables read in a Cargo.lock. */
#define CS_RUST_MAX_DEPTH 64

/*
 * The parser the langcat frame runs: an ELF file goes to
 * cs_rust_parse_binary(), a file named Cargo.lock to cs_rust_parse_lock(),
 * anything else is CS_ENOTFOUND. Returns as those.
 */
int cs_rust_parse(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err);

/*
 * Reads a Cargo.lock of len bytes (data[len] need not be NUL). Every
 * [[package]] table with a string name and version is a package (the
 * workspace's own crates and path dependencies too, as Trivy and syft
 * report them); a table without them, or whose name or version holds a
 * control character, is counted in out->nbad. Sets out->lockfile.
 * Returns 0; CS_EFORMAT with "line N: why" when the file is not TOML
 * (an unterminated string, a key without a value, a stray character,
 * nesting deeper than CS_RUST_MAX_DEPTH), when a package's name, version
 * or source is not a string or is given twice; CS_ENOMEM.
 */
int cs_rust_parse_lock(cs_langfile *out, cs_arena *a, const char *data, size_t len, cs_err *err);

/*
 * Reads the audit data of an ELF executable of len bytes. Returns 0;
 * CS_ENOTFOUND when it is no ELF file or has no audit section (most
 * executables); CS_EFORMAT (message in err) when the section is there but
 * unreadable (outside the file, compressed by the linker, not a complete
 * zlib stream, not the JSON above); CS_ELIMIT when it inflates past
 * CS_RUST_MAX_AUDIT; CS_ENOMEM.
 */
int cs_rust_parse_binary(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * The same from the section's bytes (zlib-compressed JSON), and from the
 * JSON itself. A package entry that is not an object, or lacks a string
 * name or version, or holds a control character in one, or has a "kind"
 * that is not a string, is counted in out->nbad.
 */
int cs_rust_parse_audit(cs_langfile *out, cs_arena *a, const uint8_t *z, size_t n, cs_err *err);
int cs_rust_parse_audit_json(cs_langfile *out, cs_arena *a, const char *json, size_t len, cs_err *err);

/*
 * Builds the purl of a crate from its source as Cargo.lock or the audit
 * data gives it: pkg:cargo/<name>@<version>. A crate built from a local
 * path (no source in Cargo.lock, "local" in the audit data) has none: *out
 * is NULL and 0 is returned, since a cargo purl without qualifiers names a
 * crate of crates.io (syft does the same). A git source ("git+URL?query#commit"
 * in Cargo.lock) adds vcs_url=git+URL@commit, so the crate of a fork is not
 * taken for the published one. Returns as cs_purl_build.
 */
int cs_rust_purl(char **out, cs_arena *a, const char *name, const char *version, const char *source, cs_err *err);

#endif
