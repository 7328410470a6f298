/*
 * feedutil.h - helpers shared by the distro and enrichment importers
 * (alpine.c, debian_tracker.c, debian_list.c, nvd.c, kev.c, epss.c).
 *
 * Feeds are large, third-party and sometimes damaged, so the importers
 * follow one discipline, served from here:
 *
 *  - a file's structure is checked before any record leaves it: big JSON
 *    documents are split into their top-level members or array elements
 *    by a scanner that only tracks strings and brackets
 *    (cs_feed_json_split), and each piece is then parsed by cJSON on its
 *    own, so memory follows the largest record, not the file, and one
 *    malformed record is skipped instead of losing the file;
 *  - a skipped record is reported through the sink's bad() with a short
 *    reason (cs_feed_bad), at most CS_FEED_MAX_BAD times per file;
 *  - every string that reaches a record has been checked for length and
 *    characters (cs_feed_token, cs_feed_is_vuln_id...).
 *
 * Nothing here keeps global state; everything is thread-safe.
 */
#ifndef CS_FEEDUTIL_H
#define CS_FEEDUTIL_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "vulndb/vulndb.h"

#include <cJSON.h>

/* The importers built on these helpers (each in its own file). */
extern const cs_vdb_importer cs_importer_alpine_secdb;
extern const cs_vdb_importer cs_importer_debian_tracker;
extern const cs_vdb_importer cs_importer_debian_list;
extern const cs_vdb_importer cs_importer_nvd;
extern const cs_vdb_importer cs_importer_kev;
extern const cs_vdb_importer cs_importer_epss;

/* Longest identifier (CVE, DSA, TEMP-...), package name and version kept. */
#define CS_FEED_MAX_ID 128
#define CS_FEED_MAX_NAME 256
#define CS_FEED_MAX_VERSION 256
/* Longest free text (description) kept whole; longer text is cut there. */
#define CS_FEED_MAX_TEXT ((size_t)64 * 1024)
/* Deepest JSON nesting the splitter accepts (real feeds stay below 10). */
#define CS_FEED_MAX_DEPTH 256
/* bad() reports per file; the rest are counted into one closing report. */
#define CS_FEED_MAX_BAD 1000

/* ---- skipped records ------------------------------------------------------ */

/* One file's reporting state: the sink, the file name and how many were reported. */
typedef struct cs_feed_report {
	const cs_vdb_sink *sink; /* borrowed */
	const char *file;        /* borrowed */
	size_t nbad;             /* bad() calls asked for, reported or not */
} cs_feed_report;

void cs_feed_report_init(cs_feed_report *r, const cs_vdb_sink *sink, const char *file);
/*
 * Reports one skipped record (printf-style reason, cut at 512 bytes) unless
 * CS_FEED_MAX_BAD were reported already for this file.
 */
void cs_feed_bad(cs_feed_report *r, const char *fmt, ...) CS_PRINTF(2, 3);
/* Reports how many skipped records went unreported, if any. Call once at the end. */
void cs_feed_report_done(cs_feed_report *r);

/* ---- checked strings -------------------------------------------------------- */

/* True when s[0..n) is 1..max bytes of printable ASCII without space (0x21..0x7e). */
bool cs_feed_token(const char *s, size_t n, size_t max);
/* True for "CVE-YYYY-N..." (four-digit year, at least four digits after it). */
bool cs_feed_is_cve(const char *s, size_t n);
/*
 * True for an advisory identifier: a letter, then letters and digits, then
 * one or more "-" groups of letters, digits, '.', '_' or ':' ("CVE-2020-1",
 * "DSA-5000-1", "TEMP-0000000-2F5A7B", "XSA-207", "wnpa-sec-2017-21"),
 * at most CS_FEED_MAX_ID bytes.
 */
bool cs_feed_is_vuln_id(const char *s, size_t n);

/*
 * The text s[0..n) copied to a, cut at CS_FEED_MAX_TEXT bytes (on a UTF-8
 * boundary); NUL bytes end it. NULL when out of memory.
 */
char *cs_feed_text(cs_arena *a, const char *s, size_t n);

/*
 * An RFC 3339 timestamp for the date or time s, allocated in a:
 * "2023-04-01" -> "2023-04-01T00:00:00Z", "2023-10-12T19:15:11.747" (NVD:
 * UTC without a zone) -> "2023-10-12T19:15:11.747Z", a time with "Z" or an
 * offset is kept as is. NULL when s is not such a date (or out of memory).
 */
const char *cs_feed_rfc3339(cs_arena *a, const char *s);

/*
 * "2002-08-01T00:00:00Z" for the Debian list date "01 Aug 2002" (p[0..n)),
 * or NULL when it is not one.
 */
const char *cs_feed_dmy_date(cs_arena *a, const char *p, size_t n);

/*
 * The ecosystem of a Debian release codename: "bookworm" -> "Debian:12",
 * "woody" -> "Debian:3.0", "sid" -> "Debian:unstable". NULL for a name not
 * in the table (see docs/vulndb.md). The result is a constant.
 */
const char *cs_feed_debian_ecosystem(const char *codename, size_t n);

/* The last component of a path or archive member name ("a/b/c.json" -> "c.json"). */
const char *cs_feed_base(const char *name);
/* True when name ends with suffix, ASCII case ignored. */
bool cs_feed_ends(const char *name, const char *suffix);
/* True when needle occurs in head[0..n). */
bool cs_feed_has(const uint8_t *head, size_t n, const char *needle);

/* ---- arrays in an arena ----------------------------------------------------- */

/*
 * Returns an array of at least n + 1 elements of size bytes holding the n
 * of items: items itself while *cap > n, else a copy twice as large (the
 * old one stays in the arena). NULL when out of memory or on overflow.
 *
 *     if (!(arr = cs_feed_grow(a, arr, n, &cap, sizeof(*arr)))) return CS_ENOMEM;
 *     arr[n++] = x;
 */
void *cs_feed_grow(cs_arena *a, void *items, size_t n, size_t *cap, size_t size);

/* ---- big JSON documents ---------------------------------------------------- */

/* One member of an object (key set) or element of an array (key NULL). */
typedef struct cs_feed_part {
	const char *key; /* raw key between its quotes (escapes not decoded), or NULL */
	size_t klen;
	const char *val; /* the value's bytes, from its first to its last character */
	size_t vlen;
} cs_feed_part;

/*
 * Splits the JSON object (object true) or array p[0..n), white space
 * allowed around it, into its members or elements, without parsing them:
 * strings and brackets are followed, scalars taken as runs of other bytes.
 * *out is malloc'd (free() it; NULL when empty). CS_EFORMAT (message names
 * what and the byte offset) when the bytes are not one such container,
 * e.g. a truncated file; CS_ELIMIT past CS_FEED_MAX_DEPTH; CS_ENOMEM.
 */
int cs_feed_json_split(const char *p, size_t n, bool object, const char *what, cs_feed_part **out,
		       size_t *count, cs_err *err);

/*
 * The decoded key of a part (escapes resolved) in a; NULL when it does not
 * decode or holds a NUL (or out of memory).
 */
char *cs_feed_json_key(cs_arena *a, const cs_feed_part *part);

/* Parses the value of a part with cJSON; NULL when malformed. cJSON_Delete it. */
cJSON *cs_feed_json_parse(const cs_feed_part *part);

/* ---- YAML -------------------------------------------------------------------- */

/*
 * The first document of a YAML stream as a cJSON tree (cs_yaml_parse in
 * core/yaml.h: every scalar a string except the plain null words, so
 * "1.10" stays "1.10"; aliases refused), nesting capped at
 * CS_FEED_MAX_DEPTH. NULL with CS_EFORMAT (message names what, line and
 * column) on malformed input, CS_ELIMIT, CS_ENOMEM. cJSON_Delete it.
 */
cJSON *cs_feed_yaml_parse(const char *data, size_t len, const char *what, cs_err *err);

#endif
