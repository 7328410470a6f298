/*
 * analyzer.h - the extension point every file analyzer implements.
 *
 * An analyzer is one source file exporting one const cs_analyzer, listed
 * once in analyzers.def. The image is walked once: for every tar entry of
 * every layer (deleted or overwritten files included) the walker asks each
 * enabled analyzer's wants(); if any says yes, the file is read once into
 * memory and handed to each of them.
 *
 * parse() runs on a worker thread, possibly for two layers at once: it may
 * only touch the per-layer state it finds through cs_walk_state() and the
 * walk's arena. finish() runs once on the main thread after every layer was
 * walked and the merged view (which layer provides each path in the final
 * image, which layer deleted it) was built: that is where an analyzer
 * decides what is present and emits OS and package records into the scan.
 */
#ifndef CS_ANALYZER_H
#define CS_ANALYZER_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"

typedef struct cs_walk cs_walk; /* one layer being walked (scan/scan.h) */
typedef struct cs_scan cs_scan; /* the whole scan (scan/scan.h) */

/* One entry of a layer tar (or of a root filesystem), as analyzers see it. */
typedef struct cs_entry {
	const char *path; /* clean relative path: "etc/os-release" (see cs_path_clean) */
	uint32_t mode;    /* st_mode: file type and permission bits */
	uint64_t size;    /* bytes of content (regular files) */
	const char *link; /* symlink target as written, hard link target (clean), or NULL */
	bool hardlink;    /* link names another entry of the same layer */
} cs_entry;

typedef struct cs_analyzer {
	const char *name; /* short id: "dpkg", "os-release" */
	/* CS_SCANNER_* bits: runs when any is selected; 0: always (inventory). */
	unsigned scanners;
	/* Largest file parse() takes whole, bytes; 0: the scan's max_file limit. */
	uint64_t max_size;
	/* Cheap test on the clean path and mode; no I/O, no allocation. */
	bool (*wants)(const char *path, uint32_t mode);
	/*
	 * Parses one wanted regular file; data[len] is a NUL byte (not part of
	 * the content), so text parsers may treat data as a C string once they
	 * checked for embedded NULs. Returns 0, or a negative code with a message
	 * in err: the scan reports it against the file and goes on.
	 */
	int (*parse)(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err);
	/* Optional: decides what the final image holds. Negative stops the scan. */
	int (*finish)(cs_scan *s, cs_err *err);
} cs_analyzer;

/* The analyzer ids, one per line of analyzers.def. */
enum {
#define CS_ANALYZER(id) CS_AN_##id,
#include "catalog/analyzers.def"
#undef CS_ANALYZER
	CS_AN_COUNT
};

/* The table, in analyzers.def order. */
extern const cs_analyzer *const cs_analyzers[CS_AN_COUNT];

#endif
