/*
 * apk.h - Alpine's installed-package database, as a pure parsing API.
 *
 * The apk cataloger (apk.c) reads lib/apk/db/installed (and
 * usr/lib/apk/db/installed, where usr-merged images and apko-built ones
 * such as Wolfi and Chainguard keep it) out of every layer. The parsers
 * here know nothing of scans or layers, so unit tests and the fuzz target
 * call them on plain bytes. All results are allocated from the caller's
 * arena and stay valid as long as it does.
 *
 * The format, as apk-tools writes and reads it (apk_db_fdb_read() in
 * src/database.c): one stanza per package, stanzas separated by a line
 * shorter than two bytes, every other line one "K:value" field whose key
 * is a single character. The fields read here:
 *
 *   P name          V version        A architecture    o origin (source package)
 *   L license       T description    C checksum        m maintainer
 *   I installed size (bytes)         F directory       R file in the last F directory
 *
 * Everything else (S, U, t, c, D, p, i, r, q, a, M, Z, s, f, g, k...) is
 * ignored, as apk-tools ignores fields it does not know.
 */
#ifndef CS_APK_H
#define CS_APK_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/map.h"
#include "scan/model.h"

/* The analyzer (name "apk"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_apk;

/* One package stanza that parsed. Strings never contain a NUL or newline. */
typedef struct cs_apk_record {
	const char *name;           /* P, verbatim */
	const char *version;        /* V, verbatim (not checked against apk's grammar) */
	const char *arch;           /* A, or NULL */
	const char *origin;         /* o, or NULL */
	const char *source_name;    /* origin, else name */
	const char *maintainer;     /* m, or NULL */
	const char *description;    /* T, or NULL */
	const char *checksum;       /* C verbatim ("Q1" + base64 SHA-1), or NULL */
	const char *license;        /* L verbatim, or NULL */
	const char **licenses;      /* L split into license ids (cs_apk_split_license); arena array */
	size_t nlicenses;
	uint64_t installed_size;    /* I, bytes; 0 absent or not a number */
	const char **files;         /* R lines joined to their F directory: clean relative paths */
	size_t nfiles;
	size_t nfiles_dropped;      /* R lines left out: empty, or a path leaving the root */
	uint32_t line;              /* 1-based line the stanza starts on */
	const char *key;            /* name NUL version: identity for maps */
	size_t keylen;              /* bytes of key, NULs included */
} cs_apk_record;

/* The stanzas of one installed file, in file order. */
typedef struct cs_apk_db {
	cs_apk_record *records;  /* arena array */
	size_t nrecords;
	size_t nskipped;         /* malformed or duplicate stanzas left out */
	uint32_t skip_line;      /* line of the first one skipped, 0 none */
	const char *skip_reason; /* why, "missing 'P' (name) field"; NULL none */
} cs_apk_db;

/*
 * Parses an installed database in one pass. A stanza ends at a line of
 * fewer than two bytes (apk-tools' rule) or of blanks only; CRLF line ends
 * and a missing final newline are accepted. A field given twice keeps its
 * last value, as in apk-tools; F and R lines accumulate. Where apk-tools
 * refuses the whole database, this parser refuses one stanza, counts it and
 * goes on: a line whose second byte is not ':', a stanza without P or V (or
 * with an empty one), a name or version holding blanks or control bytes,
 * a NUL byte in a field read here. A second stanza for a name already read
 * is skipped too (one package per name is installed; Trivy keeps the first).
 * No checksum is required (apk-tools wants one; Trivy and syft do not).
 * R paths are joined to the last F directory (the root when none came
 * before), made clean and relative; one that climbs above the root is
 * dropped and counted in nfiles_dropped.
 * Returns 0 (even when stanzas were skipped: see nskipped), CS_EFORMAT when
 * the file has stanzas but none is valid (message in err, *out still
 * filled), or CS_ENOMEM. An empty file is a valid, empty database.
 */
int cs_apk_parse_installed(cs_apk_db *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Splits an L value into license ids: words separated by blanks and
 * parentheses, the SPDX operators AND and OR dropped, "WITH <exception>"
 * kept with the license before it, and a bare "1.0"/"2.0"/"3.0" joined to
 * the word before it ("MPL 2.0" -> "MPL-2.0"), as Trivy splits them. The
 * ids are not normalised to SPDX ("GPL2" stays "GPL2"). *out is an arena
 * array of *n strings (NULL, 0 for a value with no id). CS_ENOMEM.
 */
int cs_apk_split_license(const char ***out, size_t *n, cs_arena *a, const char *license);

/*
 * Builds the purl of a record:
 * pkg:apk/<ns>/<name>@<version>?arch=<arch>&distro=<version>&upstream=<origin>
 * ns is os->family ("alpine", "wolfi", "chainguard"...), "alpine" when no
 * OS is known (the apk type requires a namespace). distro is the OS
 * version as detected ("3.11.5", Trivy's form), absent without one.
 * upstream is the origin when it differs from the name (syft's form, as
 * the deb purls). Name and namespace are lower-cased (see purl.h).
 * Returns as cs_purl_build.
 */
int cs_apk_purl(char **out, cs_arena *a, const cs_apk_record *r, const cs_os *os, cs_err *err);

/*
 * Which layer introduced a package: the lowest layer index whose installed
 * database lists the same name and version. Add each layer's databases
 * (any order), then ask.
 */
typedef struct cs_apk_layers {
	cs_map first; /* record key -> (void *)(intptr_t)(layer + 1) */
} cs_apk_layers;

void cs_apk_layers_init(cs_apk_layers *l);
void cs_apk_layers_release(cs_apk_layers *l);
/* Notes every record of db as present in layer. CS_ENOMEM. */
int cs_apk_layers_add(cs_apk_layers *l, const cs_apk_db *db, int layer);
/* The lowest layer noted for r's name and version, or -1. */
int cs_apk_layers_first(const cs_apk_layers *l, const cs_apk_record *r);

#endif
