/*
 * vulndb.h - the local vulnerability database: records, store, importers.
 *
 * Feeds (OSV, distro trackers, NVD, KEV, EPSS) are parsed by importers
 * (one file each, listed in importers.def) into cs_vdb_advisory records
 * handed to a sink; the store (store.c) writes them to SQLite, replacing
 * what the same source said before about the same advisory, so importing
 * twice gives the same database. Matching reads it back by (ecosystem,
 * package). The schema is documented in docs/vulndb.md.
 *
 * Ecosystems use OSV's names throughout, distro ones with their release:
 * "Debian:12", "Alpine:v3.11", "Ubuntu:22.04", "PyPI", "Go", "npm",
 * "crates.io", "Maven", "RubyGems", "NuGet", "Packagist". Package names are
 * stored normalized for their ecosystem (cs_vdb_normalize_name).
 */
#ifndef CS_VULNDB_H
#define CS_VULNDB_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"

/* ---- records (all strings borrowed from the importer; NULL = unknown) ---- */

typedef struct cs_vdb_range {
	const char *introduced;    /* first affected version; "0" or NULL = all before fixed */
	const char *fixed;         /* first fixed version, or NULL */
	const char *last_affected; /* last affected version (inclusive), or NULL */
	const char *limit;         /* OSV "limit": versions at or above are out of this range */
} cs_vdb_range;

/* Fix state of a package for an advisory, as the vendor says it. */
#define CS_VDB_AFFECTED "affected"         /* affected in the ranges/versions given */
#define CS_VDB_FIXED "fixed"               /* fixed in ranges[].fixed */
#define CS_VDB_NOT_FIXED "not_fixed"       /* affected, no fix yet */
#define CS_VDB_WILL_NOT_FIX "will_not_fix" /* affected, vendor will not fix */
#define CS_VDB_NOT_AFFECTED "not_affected" /* vendor says this release is not affected */
#define CS_VDB_END_OF_LIFE "end_of_life"   /* release no longer supported */

typedef struct cs_vdb_affected {
	const char *ecosystem;        /* "Debian:12" */
	const char *package;          /* as the feed names it; the store normalizes it */
	const char *status;           /* CS_VDB_* state, NULL = CS_VDB_AFFECTED */
	const char *severity;         /* the vendor's severity for this package/release, or NULL */
	const cs_vdb_range *ranges;   /* ORed; each range is introduced..fixed/last_affected */
	size_t nranges;
	const char *const *versions;  /* explicit affected versions (OSV "versions") */
	size_t nversions;
} cs_vdb_affected;

typedef struct cs_vdb_cvss {
	const char *version; /* "2.0", "3.0", "3.1", "4.0" */
	const char *vector;  /* "CVSS:3.1/AV:N/..." */
	double score;        /* base score, < 0 when the feed gave none */
	const char *source;  /* who scored it: "nvd", "ghsa", "debian"... */
} cs_vdb_cvss;

typedef struct cs_vdb_advisory {
	const char *id;              /* "GO-2022-0969", "CVE-2023-1234", "DSA-5000-1" */
	const char *summary;
	const char *details;
	const char *published;      /* RFC 3339 */
	const char *modified;       /* RFC 3339 */
	const char *withdrawn;      /* RFC 3339: withdrawn records never match */
	const char *severity;       /* overall severity word (critical/high/medium/low/unknown) */
	const char *file;           /* provenance: the file (or archive member) it came from */
	const char *const *aliases; /* other ids: CVE <-> GHSA <-> DSA ... */
	size_t naliases;
	const cs_vdb_affected *affected;
	size_t naffected;
	const cs_vdb_cvss *cvss;
	size_t ncvss;
	const char *const *references; /* URLs */
	size_t nreferences;
} cs_vdb_advisory;

typedef struct cs_vdb_kev {
	const char *cve;
	const char *date_added;
	const char *due_date;
	bool ransomware;
} cs_vdb_kev;

typedef struct cs_vdb_epss {
	const char *cve;
	double score;      /* 0..1 */
	double percentile; /* 0..1 */
	const char *date;
} cs_vdb_epss;

/* Where importers send what they parse. */
typedef struct cs_vdb_sink {
	int (*advisory)(void *payload, const cs_vdb_advisory *a, cs_err *err);
	int (*kev)(void *payload, const cs_vdb_kev *k, cs_err *err);
	int (*epss)(void *payload, const cs_vdb_epss *e, cs_err *err);
	/* A record that was skipped: file (or member) and why. The import goes on. */
	void (*bad)(void *payload, const char *file, const char *why);
	void *payload;
} cs_vdb_sink;

/* ---- importers ------------------------------------------------------------ */

typedef struct cs_vdb_importer {
	const char *name; /* "osv", "alpine-secdb", "debian-tracker", "debian-list", "nvd", "kev", "epss" */
	/*
	 * True when this importer reads the file called name (a path or archive
	 * member) whose first bytes are head[0..n). Cheap, no I/O.
	 */
	bool (*detect)(const char *name, const uint8_t *head, size_t n);
	/*
	 * Parses one whole file; data[len] is NUL. Records go to sink; a bad
	 * record is reported through sink->bad and skipped. Returns negative
	 * only when the file as a whole is unusable (message in err) or the
	 * sink failed.
	 */
	int (*import)(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		      cs_arena *scratch, cs_err *err);
	/*
	 * Each file is a source of its own ("alpine-secdb-v3.11-main"): set when
	 * files of one feed reuse advisory ids (every Alpine release names the
	 * same CVEs), which would otherwise replace each other.
	 */
	bool per_file_source;
} cs_vdb_importer;

/* ---- naming --------------------------------------------------------------- */

/*
 * True when ecosystem's base name (before the first ':') is one customs
 * knows: OSV's list (schemas/osv/ecosystems.json) plus distribution names
 * distro feeds use (docs/vulndb.md). Importers skip records naming others.
 */
bool cs_vdb_ecosystem_known(const char *ecosystem);

/*
 * The version scheme (match/version.h) of an ecosystem: "Debian:12" -> "deb",
 * "Alpine:v3.11" -> "apk", "PyPI" -> "pep440"... NULL when unknown.
 */
const char *cs_vdb_scheme(const char *ecosystem);

/*
 * The package name as stored and looked up: PEP 503 for PyPI
 * ("Foo_Bar.baz" -> "foo-bar-baz"), lower case where the registry is
 * case-insensitive (NuGet, Packagist), as-is otherwise (Go module paths,
 * Maven "group:artifact", npm, RubyGems, crates.io, distro source names).
 * Allocated in a; NULL when out of memory.
 */
const char *cs_vdb_normalize_name(cs_arena *a, const char *ecosystem, const char *name);

/*
 * The same into out[0..outsz) (terminated, truncated when short); returns
 * the length of the whole normalized name, so a result >= outsz means it
 * did not fit (snprintf's contract). Never allocates.
 */
size_t cs_vdb_normalize_into(char *out, size_t outsz, const char *ecosystem, const char *name);

#endif
