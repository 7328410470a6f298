/*
 * rpm.h - rpm's installed-package database, as a pure parsing API.
 *
 * The rpm cataloger (rpm.c) reads the package database of the Red Hat and
 * SUSE families out of every layer, without rpm's library, in each of the
 * three formats rpm has written:
 *
 *   rpmdb.sqlite  SQLite (rpm >= 4.16: Fedora 33+, RHEL 9, Mariner): table
 *                 Packages(hnum INTEGER PRIMARY KEY, blob BLOB)
 *   Packages      BerkeleyDB hash (RHEL <= 8, CentOS, Amazon Linux 2): the
 *                 key is the header number, the data the header blob
 *   Packages.db   rpm's own "ndb" (SUSE since 15 SP3): slot pages that point
 *                 at blobs
 *
 * in var/lib/rpm/ or usr/lib/sysimage/rpm/. Each record of each format is
 * one header blob, as rpm's headerExport() writes it: the index entry count
 * and data length (big-endian), the index entries (tag, type, offset,
 * count), then the data store. cs_rpm_parse_header() reads the tags a
 * scanner needs with the bounds rpm itself enforces (hdrblobVerifyInfo()
 * and hdrblobVerifyRegion() in lib/header.c).
 *
 * The parsers here know nothing of scans or layers, so unit tests and the
 * fuzz target call them on plain bytes. Results are allocated from the
 * caller's arena and stay valid as long as it does.
 */
#ifndef CS_RPM_H
#define CS_RPM_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/map.h"
#include "scan/model.h"

/* The analyzer (name "rpm"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_rpm;

/* Largest database read, bytes: a full Fedora or RHEL install reaches 100+ MiB. */
#define CS_RPM_MAX_SIZE ((uint64_t)256 << 20)

/* rpm's own caps on one header (header_internal.h): index entries, data bytes. */
#define CS_RPM_MAX_TAGS 0xffffu
#define CS_RPM_MAX_DATA 0x0fffffffu
/* The largest header blob those allow: counts, index, data store. */
#define CS_RPM_MAX_BLOB (8u + 16u * CS_RPM_MAX_TAGS + CS_RPM_MAX_DATA)

/* The database formats, as cs_rpm_detect() names them. */
enum { CS_RPM_UNKNOWN = 0, CS_RPM_SQLITE, CS_RPM_BDB, CS_RPM_NDB };

/* What one header says of its package. Strings are NUL-free, arena copies. */
typedef struct cs_rpm_header {
	const char *name;        /* NAME (1000), never NULL or empty */
	const char *version;     /* VERSION (1001), never NULL or empty */
	const char *release;     /* RELEASE (1002), never NULL or empty */
	uint32_t epoch;          /* EPOCH (1003) when has_epoch */
	bool has_epoch;
	const char *arch;        /* ARCH (1022), or NULL (gpg-pubkey has none) */
	const char *sourcerpm;   /* SOURCERPM (1044): "name-version-release.src.rpm", or NULL */
	const char *license;     /* LICENSE (1014), or NULL */
	const char *vendor;      /* VENDOR (1011), or NULL; "" stays "" */
	uint64_t size;           /* LONGSIZE (5009), else SIZE (1009): bytes; 0 absent */
	uint8_t sigmd5[16];      /* SIGMD5 (261): the package's MD5 when has_sigmd5 */
	bool has_sigmd5;
	/*
	 * Installed files: DIRNAMES[DIRINDEXES[i]] + BASENAMES[i] (1118, 1116,
	 * 1117), else the old OLDFILENAMES (1027); clean relative paths
	 * ("usr/bin/curl"), directories included, in header order.
	 */
	const char **files;      /* arena array */
	size_t nfiles;
	size_t nfiles_dropped;   /* left out: "..", the root itself, too long, a bad index, over budget */
} cs_rpm_header;

/*
 * Parses one header blob: blob[0..len) must hold the whole header (bytes
 * past it are ignored). Refused with CS_EFORMAT and a one-line reason, as
 * rpm refuses them: fewer than 1 or more than CS_RPM_MAX_TAGS entries, more
 * than CS_RPM_MAX_DATA data bytes, a blob shorter than they announce, an
 * entry with a reserved tag (< 100), an unknown type, a count of 0 or past
 * the data, a misaligned or out-of-range offset, data that overlaps the
 * entry before it (so the whole header is read in linear time) or the
 * region trailer, a string not terminated inside the data store, a bad
 * region tag or trailer (HEADERIMMUTABLE and kin, tags 61-63); and, beyond
 * rpm, a tag read here with the wrong type (NAME as an integer), or a
 * header without name, version or release. A later entry of a tag wins
 * over an earlier one, as rpm's "dribble" entries replace region entries.
 * *path_budget is the number of bytes of file paths still allowed (each
 * path costs its length + 1 + a pointer), shared by all headers of one
 * database so that a small blob naming one long directory many times
 * cannot cost gigabytes; files past it are dropped and counted. NULL: a
 * budget of 4 * len + 64 KiB for this header alone.
 * Returns 0, CS_EFORMAT (message in err), or CS_ENOMEM.
 */
int cs_rpm_parse_header(cs_rpm_header *out, cs_arena *a, const void *blob, size_t len, size_t *path_budget,
			cs_err *err);

/*
 * Called by the format readers for each record: hnum is rpm's header
 * number (the instance, "hnum" in SQLite, the key in BerkeleyDB, pkgidx in
 * ndb), blob[0..len) the header, valid only during the call. When the
 * reader cannot extract a record (a broken overflow chain, a bad slot),
 * blob is NULL and bad says why. A negative return stops the reader and is
 * returned by it.
 */
typedef int (*cs_rpm_blob_fn)(uint32_t hnum, const uint8_t *blob, size_t len, const char *bad, void *payload);

/*
 * The format of data by its magic: "SQLite format 3", the ndb header
 * magic "RpmP", or the BerkeleyDB hash magic 0x061561 (either byte order)
 * at offset 12 (or the btree one, which cs_rpm_each_bdb() refuses by
 * name). CS_RPM_UNKNOWN otherwise.
 */
int cs_rpm_detect(const void *data, size_t len);

/*
 * The readers. Each walks every record of one in-memory database file in
 * the database's order, calls fn, and returns 0, CS_EFORMAT (message in
 * err) when the file is not a readable database of its kind, CS_ELIMIT
 * when reading it took more work than its size allows, CS_ENOMEM, or what
 * fn returned.
 *
 * SQLite: the bytes are copied and opened with sqlite3_deserialize(),
 * read-only, as an in-memory database with SQLite's defences against
 * hostile files on (SQLITE_DBCONFIG_DEFENSIVE, no triggers or views, an
 * untrusted schema, cell size checks, a blob length limit and a progress
 * handler that bounds the work by the file size). A database in WAL mode
 * (rpm's default) is read as the main file holds it: a -wal file beside
 * it is not read (rpm checkpoints it when it closes the database).
 */
int cs_rpm_each_sqlite(const void *data, size_t len, cs_rpm_blob_fn fn, void *payload, cs_err *err);

/*
 * BerkeleyDB hash: the metadata page (magic, either byte order, page size
 * 512..65536, no encryption; checksummed pages are read without checking
 * the sums), then every hash page in page order, each key/data pair whose
 * data is inline or on a chain of overflow pages. Key 0 (rpm's instance
 * counter) is skipped. Every page of an overflow chain must be an overflow
 * page not used by another chain, so loops and shared chains end.
 */
int cs_rpm_each_bdb(const void *data, size_t len, cs_rpm_blob_fn fn, void *payload, cs_err *err);

/*
 * ndb (rpm's lib/backend/ndb/rpmpkg.c): the header (magic "RpmP", version
 * 0, the number of 4 KiB slot pages), then every used slot in slot order,
 * each pointing at a blob whose head and tail magic, package index, length
 * and Adler-32 checksum must agree.
 */
int cs_rpm_each_ndb(const void *data, size_t len, cs_rpm_blob_fn fn, void *payload, cs_err *err);

/* One package of a database. */
typedef struct cs_rpm_record {
	cs_rpm_header h;
	uint32_t hnum;              /* header number in the database */
	const char *evr;            /* "[epoch:]version-release", epoch only when > 0 */
	const char *source_name;    /* from SOURCERPM, else name */
	const char *source_version; /* "[epoch:]version-release" from SOURCERPM (binary's epoch), else evr */
	const char *key;            /* name NUL evr NUL arch: identity for maps */
	size_t keylen;              /* bytes of key, NULs included */
} cs_rpm_record;

/* The packages of one database file, in database order. */
typedef struct cs_rpm_db {
	int format;              /* CS_RPM_SQLITE... */
	cs_rpm_record *records;  /* arena array */
	size_t nrecords;
	size_t nskipped;         /* records left out: unreadable or refused headers */
	uint32_t skip_hnum;      /* header number of the first one skipped */
	const char *skip_reason; /* why; NULL none */
	size_t nfiles_dropped;   /* sum of the records' nfiles_dropped */
} cs_rpm_db;

/*
 * Parses a whole database of any of the three formats (cs_rpm_detect()).
 * Headers that fail cs_rpm_parse_header() or that the reader could not
 * extract are counted in nskipped; gpg-pubkey pseudo-packages are kept
 * (the analyzer skips them). The header blobs may add up to at most the
 * file's size plus 1 MiB (they are distinct bytes of it in every real
 * database): past that the file is refused, so records that share their
 * bytes cannot multiply the work. File paths get one budget of 4 bytes
 * per byte of the file plus 1 MiB.
 * Returns 0 (even when records were skipped), CS_EFORMAT when the file is
 * not a database, is empty, or has records and none is valid (message in
 * err, *out still filled), CS_ELIMIT, or CS_ENOMEM.
 */
int cs_rpm_parse_db(cs_rpm_db *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Splits a SOURCERPM file name "name-version-release.src.rpm" (or
 * .nosrc.rpm) into name and "version-release". false when it does not
 * have that shape (no suffix, fewer than two '-', an empty part).
 */
bool cs_rpm_split_source(const char *sourcerpm, const char **name, size_t *nlen, const char **vr, size_t *vrlen);

/*
 * Builds the purl of a record:
 * pkg:rpm/<ns>/<name>@<version>-<release>?arch=<arch>&epoch=<epoch>&distro=<family>-<version>
 * ns is os->family ("redhat", "centos", "rocky", "alma", "fedora",
 * "opensuse.leap", "sles", "cbl-mariner", "amazon", "oracle", "photon"...),
 * none when no OS is known (the rpm type allows that). epoch only when
 * above 0 (what rpm compares as none), distro only with an OS version.
 * The version is the package's own version-release: the epoch travels in
 * its qualifier, as the purl spec's rpm examples show.
 * Returns as cs_purl_build.
 */
int cs_rpm_purl(char **out, cs_arena *a, const cs_rpm_record *r, const cs_os *os, cs_err *err);

/*
 * Whether a package of the given Vendor is not from the distribution:
 * true when vendor is set and non-empty, the family is one whose vendor
 * strings we know (see rpm.c), and vendor matches none of them. false when
 * the family or the vendor is unknown: nothing to judge by.
 */
bool cs_rpm_third_party(const cs_os *os, const char *vendor);

/*
 * Which layer introduced a package: the lowest layer whose database in the
 * same directory ("var/lib/rpm") lists the same name, epoch, version,
 * release and arch. The directory and not the file, so that a layer that
 * only converts the database (BerkeleyDB to SQLite) moves nothing.
 */
typedef struct cs_rpm_layers {
	cs_map first;   /* dir NUL record key -> (void *)(intptr_t)(layer + 1) */
	cs_arena keys;  /* the map's keys */
} cs_rpm_layers;

void cs_rpm_layers_init(cs_rpm_layers *l);
void cs_rpm_layers_release(cs_rpm_layers *l);
/* Notes every record of db, read in directory dir, as present in layer. CS_ENOMEM. */
int cs_rpm_layers_add(cs_rpm_layers *l, const char *dir, const cs_rpm_db *db, int layer);
/* The lowest layer noted for r in dir, or -1. */
int cs_rpm_layers_first(const cs_rpm_layers *l, const char *dir, const cs_rpm_record *r);

#endif
