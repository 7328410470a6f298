/*
 * python.h - installed Python distributions, as a pure parsing API.
 *
 * The python cataloger (python.c) reads the core metadata file of every
 * installed distribution anywhere in the image (site-packages,
 * dist-packages, virtual environments, --target directories):
 *
 *   <name>-<version>.dist-info/METADATA    wheels (pip, uv...)
 *   <name>.egg-info/PKG-INFO               setuptools' egg-info directory
 *   <name>.egg-info/METADATA               the same, as some tools write it
 *   <name>.egg-info                        egg-info as a single file (distutils)
 *   <name>.egg/EGG-INFO/PKG-INFO           an unzipped egg
 *   <name>.egg                             an egg archive (zip), its EGG-INFO/PKG-INFO
 *
 * The parsers here know nothing of scans or layers, so unit tests and the
 * fuzz target call them on plain bytes. Results are allocated from the
 * caller's arena and stay valid as long as it does.
 *
 * The format is the core metadata specification's (packaging.python.org,
 * "Core metadata specifications"): RFC 822 style "Field: value" header
 * lines, continuation lines starting with a space or tab, the header ending
 * at the first empty line; the body after it (the long description) is not
 * read. Field names are case-insensitive.
 */
#ifndef CS_PYTHON_H
#define CS_PYTHON_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/map.h"

/* The analyzer (name "python"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_python;

/* What kind of metadata file a path names (cs_python_kind). */
enum {
	CS_PYTHON_NONE = 0,
	CS_PYTHON_DIST_INFO,    /* x.dist-info/METADATA */
	CS_PYTHON_EGG_INFO_DIR, /* x.egg-info/PKG-INFO */
	CS_PYTHON_EGG_INFO_MD,  /* x.egg-info/METADATA */
	CS_PYTHON_EGG_INFO,     /* x.egg-info, a file */
	CS_PYTHON_EGG,          /* x.egg/EGG-INFO/PKG-INFO */
	CS_PYTHON_EGG_ZIP,      /* x.egg, a zip archive holding EGG-INFO/PKG-INFO */
};

/* Largest metadata entry read out of an egg archive, bytes. */
#define CS_PYTHON_MAX_METADATA (4u << 20)

/*
 * Classifies a clean relative path: the directory suffixes ".dist-info",
 * ".egg-info" and ".egg" are matched case-insensitively (importlib.metadata
 * lower-cases them), the file names METADATA, PKG-INFO and EGG-INFO exactly.
 * No I/O: cheap enough for an analyzer's wants().
 */
int cs_python_kind(const char *path);

/* One distribution's metadata. Strings never contain a NUL or a newline. */
typedef struct cs_python_meta {
	const char *name;             /* Name, blanks trimmed, as written ("charset-normalizer") */
	const char *version;          /* Version, blanks trimmed, as written */
	const char *metadata_version; /* Metadata-Version, or NULL */
	const char *license;          /* License verbatim (continuations joined by one space), or NULL */
	const char *license_expression; /* License-Expression (PEP 639), or NULL */
	const char *license_file;     /* the first License-File, or NULL */
	const char **licenses;        /* the licenses reported (below); arena array */
	size_t nlicenses;
	const char *key;              /* name NUL version: identity for maps */
	size_t keylen;                /* bytes of key, NULs included */
} cs_python_meta;

/*
 * Parses a METADATA or PKG-INFO file. Header lines are read up to the
 * first empty line, or up to the first line that is neither "Field: value"
 * (a name of printable ASCII other than ':' and space) nor a continuation,
 * where Python's email parser and Go's textproto stop too. A field given
 * twice keeps its first value (as both do); values are trimmed and a
 * continued value is joined with single spaces (textproto). A leading
 * UTF-8 byte order mark and CRLF line ends are accepted.
 *
 * licenses, in Trivy's order of precedence: License-Expression when given;
 * else one entry per "Classifier: License :: ... :: <name>" (the last
 * component; the bare grouping "License :: OSI Approved" is skipped); else
 * License verbatim ("UNKNOWN" included: it is what the file says). A
 * License-File names a file rather than a license and is kept apart in
 * license_file.
 *
 * Returns 0; CS_EFORMAT (message in err) when Name or Version is missing
 * or empty, or holds a control byte (NUL included); CS_ENOMEM.
 */
int cs_python_parse_metadata(cs_python_meta *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * The PEP 503 normalized form of a name: lower case, every run of '-', '_'
 * and '.' one '-' ("Foo__Bar.baz" -> "foo-bar-baz"). NULL when out of memory.
 */
char *cs_python_normalize(cs_arena *a, const char *name);

/*
 * Builds pkg:pypi/<normalized name>@<version> (see purl.h; the version is
 * percent-encoded, "+" as "%2B"). Returns as cs_purl_build.
 */
int cs_python_purl(char **out, cs_arena *a, const cs_python_meta *m, cs_err *err);

#endif
