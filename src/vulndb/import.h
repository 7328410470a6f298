/*
 * import.h - feeds on disk into the store: files, directory trees and
 * archives, each file offered to the importer table (importers.def).
 *
 * Everything one call imports is one transaction (a savepoint when the
 * caller already opened one), so a failed import leaves the database as
 * it was. A damaged archive is all-or-nothing: its records are rolled back
 * (a savepoint per archive), reported, and the other paths go on. Bad
 * records are reported and skipped. docs/vulndb.md has the rules.
 */
#ifndef CS_VDB_IMPORT_H
#define CS_VDB_IMPORT_H

#include "core/compat.h"
#include "core/error.h"
#include "vulndb/store.h"
#include "vulndb/vulndb.h"

/* The importer ids, one per line of importers.def: CS_IMP_osv... */
enum {
#define CS_IMPORTER(id) CS_IMP_##id,
#include "vulndb/importers.def"
#undef CS_IMPORTER
	CS_IMP_COUNT
};

/* Each importer, defined in its own file. */
#define CS_IMPORTER(id) extern const cs_vdb_importer cs_importer_##id;
#include "vulndb/importers.def"
#undef CS_IMPORTER

/* The table, in importers.def order: the first whose detect() accepts a file imports it. */
extern const cs_vdb_importer *const cs_vdb_importers[CS_IMP_COUNT];

#define CS_VDB_IMPORT_MAX_FILE (512ull << 20) /* bytes: one file or archive member, by default */
#define CS_VDB_IMPORT_HEAD 8192                /* bytes of a file detect() sees */

typedef struct cs_vdb_import_count {
	size_t files;   /* files detected by this importer */
	size_t records; /* records it stored (advisories, KEV and EPSS entries) */
	size_t bad;     /* records and files it reported bad */
} cs_vdb_import_count;

/*
 * Zero-initialise, set the "in" fields if wanted, pass to
 * cs_vdb_import_paths; it adds to the "out" fields.
 */
typedef struct cs_vdb_import_stats {
	/* in */
	void (*on_bad)(void *payload, const char *file, const char *why); /* NULL: each is a warning */
	void *payload;
	uint64_t max_file; /* bytes: larger files are bad and skipped; 0: CS_VDB_IMPORT_MAX_FILE */
	/* out */
	size_t files;      /* files and archive members read */
	size_t unknown;    /* ... that no importer recognized (skipped silently) */
	size_t records;    /* records stored (those of rolled-back archives not counted) */
	size_t bad;        /* records, files and archives reported through on_bad */
	size_t failed;     /* damaged archives rolled back whole */
	size_t sources;    /* sources written to */
	cs_vdb_import_count per[CS_IMP_COUNT]; /* by CS_IMP_* */
} cs_vdb_import_stats;

/*
 * Imports each of paths[0..n): a file, a directory (walked recursively in
 * byte order of names; dot-directories such as .git skipped; symbolic
 * links to directories not followed), or an archive (.zip, .tar, .tar.gz,
 * .tgz, .tar.xz, .tar.zst, .tar.bz2, read in place with libarchive, also
 * when found inside a directory). Each file is offered to the importers;
 * its records go to the source named by cs_vdb_source_name. stats may be
 * NULL.
 *
 * Returns 0 when every path was read (bad records and damaged archives are
 * in stats, not errors); CS_ENOTFOUND or CS_EIO when a path cannot be read,
 * or the store's error: then nothing of this call is kept.
 */
int cs_vdb_import_paths(cs_vdb *db, const char *const *paths, size_t n, cs_vdb_import_stats *stats, cs_err *err);

/*
 * The source name for records that importer (its name, "osv") read from a
 * container labelled label (NULL for a file given alone): the importer's
 * name alone without a label; the label when it is the importer's name or
 * starts with it and '-' ("osv-go"); else "<importer>-<label>". Written to
 * out (truncated to outsz); returns out.
 */
const char *cs_vdb_source_name(char *out, size_t outsz, const char *importer, const char *label);

/*
 * The label of a directory or archive path: its last component, an
 * archive's extension removed, lower case, bytes outside [a-z0-9._-]
 * turned into '-'. An archive called "all" (osv.dev's <ECOSYSTEM>/all.zip)
 * takes its directory's name: "osv/Go/all.zip" -> "go". Written to out.
 */
const char *cs_vdb_path_label(char *out, size_t outsz, const char *path, bool archive);

/* True when name ends as an archive this importer reads (.zip, .tar, .tar.gz, .tgz...). */
bool cs_vdb_is_archive_name(const char *name);

#endif
