/*
 * zipread.h - zip archives held in memory (jars, wars, eggs, wheels),
 * read entry by entry under limits.
 *
 * A thin layer over libarchive's zip reader (the seekable one, which trusts
 * the central directory as the JDK, Go's archive/zip and Python's zipfile
 * do, and tolerates data prepended to the archive, like the launch script
 * of a Spring Boot "fully executable" jar). What it adds is the limits that
 * keep a hostile archive from exhausting the machine:
 *
 *   - entries: an archive listing more than max_entries is refused, from
 *     the count its end record declares (before libarchive reads the
 *     central directory into memory) and from the entries actually seen;
 *   - size: one read returns at most the caller's max bytes;
 *   - budget: every read of every archive opened with the same budget
 *     counter (an archive and the archives nested in it) draws on it;
 *   - ratio: one entry may not inflate to more than max_ratio times the
 *     length of the whole archive (plus ratio_floor), which is what a zip
 *     bomb (a few KB inflating to gigabytes) runs into first; an archive
 *     of many such entries then runs into the budget.
 *
 * Entries that are not read cost nothing: libarchive skips them by seeking.
 * A limit hit is CS_ELIMIT, a damaged archive or entry CS_EFORMAT, both
 * with a message naming the entry; after a failed read the caller may go
 * on with the next entry (a damaged entry need not end the archive), while
 * an error from cs_zip_next() is final.
 */
#ifndef CS_ZIPREAD_H
#define CS_ZIPREAD_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/error.h"

typedef struct cs_zip_limits {
	uint64_t max_entries; /* entries one archive may list */
	uint64_t max_total;   /* bytes all reads may produce when no budget counter is given */
	uint32_t max_ratio;   /* bytes one entry inflates to <= max_ratio * the archive's length ... */
	uint64_t ratio_floor; /* ... + this many bytes */
} cs_zip_limits;

/* Defaults: 200,000 entries, 1 GiB in total, 100:1 past 4 MiB. */
void cs_zip_limits_default(cs_zip_limits *l);

/* One entry, as cs_zip_next() reports it. */
typedef struct cs_zip_entry {
	const char *name; /* path as stored ("META-INF/MANIFEST.MF"); valid until the next cs_zip_next() */
	uint64_t size;    /* uncompressed size the archive declares (untrusted), 0 when unknown */
	bool is_dir;      /* a directory entry (name ends with '/') */
} cs_zip_entry;

typedef struct cs_zip cs_zip;

/*
 * Opens the zip archive data[0..len) (borrowed: it must outlive the
 * reader). budget, when not NULL, is the number of uncompressed bytes
 * still allowed, shared with other readers (a nested archive is opened with
 * its parent's counter) and decremented by every read; NULL gives this
 * archive lim->max_total of its own. lim NULL: the defaults.
 * Returns 0; CS_EFORMAT when data is not a zip archive (no end of central
 * directory record); CS_ELIMIT when it declares more than max_entries
 * entries; CS_ENOMEM. The message never names the archive: the caller does.
 */
int cs_zip_open(cs_zip **out, const void *data, size_t len, const cs_zip_limits *lim, uint64_t *budget,
		cs_err *err);

/*
 * Moves to the next entry. Returns 1 with *out filled, 0 at the end,
 * CS_EFORMAT (a damaged central directory or local header), CS_ELIMIT (more
 * than max_entries entries). After an error the reader is done: further
 * calls return the same code.
 */
int cs_zip_next(cs_zip *z, cs_zip_entry *out, cs_err *err);

/*
 * Reads the current entry whole into b (its previous content is dropped;
 * b->data stays NUL-terminated). At most max bytes: a longer entry is
 * CS_ELIMIT, and so is a read past the budget or the ratio. CS_EFORMAT for
 * damaged data (bad deflate stream, CRC mismatch, encryption, an unknown
 * compression method); CS_ENOMEM. An entry can be read once.
 */
int cs_zip_read(cs_zip *z, cs_buf *b, size_t max, cs_err *err);

/* Bytes read from this archive so far. */
uint64_t cs_zip_bytes_read(const cs_zip *z);

/* Releases the reader (NULL is fine). The data stays the caller's. */
void cs_zip_close(cs_zip *z);

#endif
