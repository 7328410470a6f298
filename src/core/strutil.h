/*
 * strutil.h - small string and path helpers shared by every stage.
 */
#ifndef CS_STRUTIL_H
#define CS_STRUTIL_H

#include "core/compat.h"

bool cs_str_starts(const char *s, const char *prefix);
bool cs_str_ends(const char *s, const char *suffix);
/* Byte-range helpers for unterminated input. */
bool cs_mem_starts(const char *p, size_t n, const char *prefix);
/* Trims ASCII space and tab from both ends of [*p, *p + *n). */
void cs_mem_trim(const char **p, size_t *n);

/*
 * Parses a decimal unsigned integer that must fill [p, p + n) exactly.
 * Returns false on empty input, stray characters or overflow.
 */
bool cs_parse_u64(const char *p, size_t n, uint64_t *out);

/*
 * Normalises a path taken from an archive into the form every analyzer sees:
 * relative to the root, no "./" or empty components, no trailing "/".
 * "./etc//os-release" becomes "etc/os-release" and "./" becomes "".
 * Returns CS_EFORMAT (and writes nothing useful) when a component is ".."
 * or the name is absolute: such entries would escape the root when unpacked.
 * out must hold strlen(in) + 1 bytes.
 */
int cs_path_clean(const char *in, char *out);

/* The last component of a clean path ("etc/os-release" -> "os-release"). */
const char *cs_path_base(const char *path);

/*
 * Joins a symlink target to the directory of the link and cleans the
 * result, resolving ".." lexically without ever going above the root (as a
 * container runtime does). Absolute targets start again at the root.
 * Writes at most outsz bytes; CS_ELIMIT when the result does not fit.
 */
int cs_path_resolve_link(const char *link_path, const char *target, char *out, size_t outsz);

#endif
