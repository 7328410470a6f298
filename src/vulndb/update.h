/*
 * update.h - `customs db update`: the public feeds (or a mirror of them)
 * downloaded and imported into a new database that replaces the old one
 * only when everything went well.
 *
 * The feeds are one const table in update.c. Each has a stable name (also
 * the store source its records go to, and what --source selects), its
 * upstream URL, and the path of the same file in a mirror. Downloads are
 * conditional (ETag / Last-Modified, stored per source), retried on 5xx,
 * 429 and transient network errors, and land in a temporary directory next
 * to the database. The new database is a copy of the old one in which
 * each changed feed replaces its source; it is renamed over the old file
 * at the end. docs/vulndb.md ("Updating") has the table, the mirror layout
 * and the failure policy.
 */
#ifndef CS_VDB_UPDATE_H
#define CS_VDB_UPDATE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"

#include <signal.h>

typedef struct cs_vdb_feed {
	const char *name;   /* "osv-go": stable; the store source of its records; --source selects by it */
	const char *url;    /* upstream */
	const char *path;   /* the same file in a mirror, relative to its root: "osv/Go/all.zip" */
	/*
	 * Where the file is put for import, relative to a directory of its
	 * own; its first component is the directory handed to the importer,
	 * whose label names the source (docs/vulndb.md, "Source names"):
	 * "osv-go/all.zip" -> osv-go, "alpine-secdb/v3.20/main.json" ->
	 * alpine-secdb-v3.20-main.
	 */
	const char *import_as;
	const char *table;  /* "kev" or "epss": the table the feed refills whole; NULL otherwise */
} cs_vdb_feed;

/*
 * The default feeds with the NVD yearly files expanded from 2002 to year,
 * in table order, allocated in a. CS_ENOMEM.
 */
int cs_vdb_feeds_default(const cs_vdb_feed **out, size_t *n, int year, cs_arena *a);

/* True when selector names the feed: its name, or a family of it ("osv" for "osv-go", "alpine-secdb-v3.20"). */
bool cs_vdb_feed_matches(const char *name, const char *selector);

typedef enum cs_vdb_feed_state {
	CS_FEED_PENDING = 0, /* not reached: an earlier feed failed, or the update was interrupted */
	CS_FEED_FETCHED,     /* fetched, not imported (yet: it stays so when the update failed before) */
	CS_FEED_UPDATED,     /* fetched and imported: the source now holds exactly this file's records */
	CS_FEED_UNCHANGED,   /* 304, or the mirror file is the one imported last: previous records kept */
	CS_FEED_MISSING,     /* HTTP 404/410 or no such file in the mirror: previous records kept */
	CS_FEED_UNUSABLE,    /* fetched, but nothing could be read from it: previous records kept */
	CS_FEED_FAILED,      /* could not be fetched (network, TLS, HTTP error, truncated): the update fails */
	CS_FEED_NSTATES
} cs_vdb_feed_state;

/* A word for a state: "updated", "unchanged", "not found"... */
const char *cs_vdb_feed_state_name(cs_vdb_feed_state s);

typedef struct cs_vdb_feed_result {
	const cs_vdb_feed *feed;  /* borrowed from the table */
	cs_vdb_feed_state state;
	bool required;            /* named exactly by a selector: missing is fatal */
	const char *from;         /* the URL fetched, or "file://" + the mirror file's absolute path */
	long http_status;         /* last HTTP status; 0 for a directory mirror or when nothing answered */
	unsigned requests;        /* HTTP requests made, retries included */
	uint64_t bytes;           /* bytes received (the file's size for a directory mirror) */
	uint64_t total;           /* bytes announced, 0 when unknown */
	size_t records;           /* records imported (advisories, KEV and EPSS entries) */
	size_t bad;               /* records and files reported bad */
	const char *etag;         /* validators of what was fetched, or NULL */
	const char *last_modified;
	const char *why;          /* MISSING, UNUSABLE, FAILED: what happened; NULL otherwise */
} cs_vdb_feed_result;

/* Progress events, in this order per feed: DOWNLOADING (repeatedly) and DOWNLOADED, then IMPORTING and IMPORTED. */
enum { CS_UPD_DOWNLOADING, CS_UPD_DOWNLOADED, CS_UPD_IMPORTING, CS_UPD_IMPORTED };

/* Zero-initialise; every field is optional. */
typedef struct cs_vdb_update_opts {
	const cs_vdb_feed *feeds;   /* the feed table; NULL: cs_vdb_feeds_default for this year */
	size_t nfeeds;
	const char *const *select;  /* feed names (each must be found) or families (one of each must be);
				       none: every feed, and none is required */
	size_t nselect;
	const char *mirror;         /* a directory (or file://DIR) or an http(s):// URL; NULL: upstream */
	bool force;                 /* ignore stored validators: fetch and import every feed */
	const volatile sig_atomic_t *cancel; /* set (by a signal handler): stop soon, the old database kept */
	/* network, 0 for the defaults */
	long connect_timeout;       /* seconds, 30 */
	long low_speed_limit;       /* bytes per second, 1000 ... */
	long low_speed_time;        /* ... for this many seconds ends a transfer: 60 */
	unsigned retries;           /* after the first request: 3 */
	unsigned retry_delay_ms;    /* first backoff, doubled each retry: 1000; Retry-After (up to 60 s) wins */
	uint64_t max_bytes;         /* largest file: 4 GiB */
	/* called on the updating thread; may be NULL */
	void (*progress)(void *payload, int event, const cs_vdb_feed_result *r);
	void (*on_bad)(void *payload, const char *feed, const char *file, const char *why); /* a skipped record */
	void *payload;
} cs_vdb_update_opts;

typedef struct cs_vdb_update_result {
	cs_vdb_feed_result *feeds;      /* the selected feeds in table order, in the arena */
	size_t nfeeds;
	size_t count[CS_FEED_NSTATES];  /* feeds per state */
	size_t records;                 /* records imported */
	size_t bad;                     /* bad records and files */
	uint64_t bytes;                 /* bytes fetched */
	bool replaced;                  /* the new database was renamed into place */
	const char *rebuilt;            /* why the old file was not used (other schema version), or NULL */
} cs_vdb_update_result;

/*
 * Updates the database at path (created, with its directory, when
 * missing) from opts->mirror or the upstream URLs.
 *
 * Returns 0 when the new database is in place (feeds that were missing or
 * unusable kept their previous records: see out->count), or a negative
 * code with the message in err, and then the file at path is exactly as
 * it was: CS_EUSAGE (an unknown selector, a mirror that is not a directory
 * or URL), CS_ENOTFOUND (the mirror directory is missing, or a feed
 * selected by name, every feed of a selected family, or every feed), CS_EFORMAT (path holds something that is not an
 * SQLite database: never replaced), CS_EIO (a feed could not be fetched,
 * or a local read or write failed), CS_ERR (interrupted through
 * opts->cancel), CS_ENOMEM, or the store's error. Temporary files are
 * removed in every case but a kill.
 */
int cs_vdb_update(cs_vdb_update_result *out, const char *path, const cs_vdb_update_opts *opts, cs_arena *a,
		  cs_err *err);

#endif
