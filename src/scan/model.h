/*
 * model.h - what a scan finds: the artifact, its layers, OS and packages.
 *
 * These are the records every later stage reads (matching, policy,
 * reports). All strings and arrays are owned by the scan's arena unless a
 * field says otherwise; a record is never freed on its own.
 */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include "core/compat.h"
#include "core/sha256.h"
#include "core/vec.h"

/* Scanner bits selected by --scanners; inventory always runs. */
enum {
	CS_SCANNER_VULN = 1u << 0,
	CS_SCANNER_SECRET = 1u << 1,
	CS_SCANNER_CONFIG = 1u << 2,
	CS_SCANNER_BASE = 1u << 3,
	CS_SCANNER_ALL = 0xfu,
};

typedef struct cs_os {
	const char *family;   /* lower-case id: "debian", "ubuntu", "alpine", "redhat"... */
	const char *version;  /* "12.11", "3.11.5", "22.04", or NULL */
	const char *name;     /* human name: "Debian GNU/Linux 12 (bookworm)", or NULL */
	const char *codename; /* "bookworm", or NULL */
	const char *found_in; /* path the answer came from, "etc/os-release" */
	int layer;            /* index of the layer that provided it, -1 unknown */
} cs_os;

typedef struct cs_layer {
	int index;                   /* 0-based position in rootfs.diff_ids */
	char digest[CS_DIGEST_MAX];  /* blob digest as stored ("" for rootfs) */
	char diff_id[CS_DIGEST_MAX]; /* sha256 of the uncompressed tar */
	const char *media_type;      /* as the manifest names it, or NULL */
	const char *compression;     /* "gzip", "zstd", "none": detected from bytes */
	uint64_t size;               /* blob bytes */
	uint64_t tar_size;           /* uncompressed bytes, known after the walk */
	uint64_t entries;            /* tar entries walked */
	const char *created_by;      /* history step that made it, or NULL */
	const char *created;         /* history timestamp (RFC 3339), or NULL */
	const char *comment;         /* history comment, or NULL */
} cs_layer;

typedef struct cs_package {
	const char *type;           /* "deb"; later "apk", "rpm", "pypi", "npm"... */
	const char *name;
	const char *version;        /* full version as the package manager writes it */
	const char *arch;           /* "amd64", "all", or NULL */
	const char *source_name;    /* source package; equals name when not given */
	const char *source_version; /* source version; equals version when not given */
	const char *maintainer;     /* or NULL */
	const char *vendor;         /* rpm Vendor, or NULL */
	/*
	 * Not from the distribution (an rpm whose vendor is not the distro's):
	 * not matched against the distribution's feed.
	 */
	bool third_party;
	uint64_t installed_size;    /* bytes (dpkg's KiB * 1024), 0 unknown */
	const char *purl;           /* package URL */
	const char *found_in;       /* file the record was read from */
	int layer;                  /* index of the layer that introduced it, -1 unknown */
	const char **files;         /* installed files, clean relative paths; may be NULL */
	size_t nfiles;
	const char **licenses;      /* license ids or expressions as the metadata gives them; may be NULL */
	size_t nlicenses;
	/*
	 * Language packages: the OS package whose file list holds found_in
	 * (a Debian python3-* package's dist-info, say), or NULL. Such a package
	 * is matched only through its OS package's feed.
	 */
	const struct cs_package *owner;
} cs_package;

/* Orders packages by type, name, version, arch: the report order. */
int cs_package_cmp(const void *a, const void *b);

typedef struct cs_cvss {
	const char *version; /* "2.0", "3.0", "3.1", "4.0" */
	const char *vector;
	double score;        /* base score; computed from the vector when the feed gave none */
	const char *source;  /* who scored it: "nvd", "ghsa", a feed name */
} cs_cvss;

/*
 * Why a finding does not count: an ignore-file entry, a VEX statement or a
 * baseline report said so (policy/). kind NULL: it counts.
 */
typedef struct cs_suppression {
	const char *kind;    /* "ignore", "vex", "baseline", or NULL */
	const char *reason;  /* the ignore entry's reason, the VEX status and justification */
	const char *source;  /* the file that said so */
} cs_suppression;

/* One secret found in a file of a layer or in the image config. */
typedef struct cs_secret {
	const char *rule_id;   /* "aws-access-key-id" */
	const char *category;  /* "AWS" */
	const char *title;
	const char *severity;  /* "critical", "high", "medium", "low" */
	const char *path;      /* clean path in the image, or "config:Env" etc. */
	uint64_t line, column; /* 1-based, of the match start */
	const char *match;     /* the match with the secret redacted: never the secret */
	int layer;             /* layer whose file holds it; -1: the config, or a root filesystem */
	int removed_in;        /* later layer that deleted or replaced the file, or -1 */
	cs_suppression suppressed;
} cs_secret;

/*
 * One configuration finding: of the image config and history, of the files
 * a layer added (setuid, world-writable, keys), or of a Dockerfile line.
 */
typedef struct cs_misconfig {
	const char *id;          /* stable check id: "CS-IMG-001", "CS-DF-003" */
	const char *title;
	const char *severity;    /* "critical", "high", "medium", "low" */
	const char *cis;         /* CIS Docker Benchmark item ("4.1"), or NULL */
	const char *description; /* what the check looks for and why it matters */
	const char *message;     /* this instance: what was found where */
	const char *resolution;
	const char *path;        /* file in the image the finding is about, or NULL */
	int layer;               /* layer that did it, or -1 (the config, a Dockerfile) */
	const char *dockerfile;  /* Dockerfile path as given, or NULL */
	uint64_t line;           /* 1-based Dockerfile line, 0 when none */
	cs_suppression suppressed;
} cs_misconfig;

/* Where the base image ends and what it is (base/). */
typedef struct cs_base {
	const char *name;       /* "debian:12-slim" when known (catalog, labels), or NULL */
	const char *method;     /* how the boundary was found: "catalog", "history" */
	int first_layer;        /* 0 */
	int last_layer;         /* last layer of the base, -1 when none was found */
	const char *os;         /* "debian 12", or NULL */
	int eol;                /* 1 past end of life, 0 supported, -1 unknown */
	const char *eol_date;   /* "2026-06-10", or NULL */
	bool approved;          /* found in an approved catalog (--base-catalog) */
} cs_base;

/* One policy rule that fired (policy/). */
typedef struct cs_policy_hit {
	const char *rule;     /* rule id as the policy names it, or the gate flag ("--fail-on") */
	const char *gate;     /* "vulnerabilities", "packages", "secrets", "config", "base", "database" */
	const char *trigger;  /* "severity", "kev", "denylist", ... */
	const char *action;   /* "stop", "warn", "go" */
	const char *message;  /* what fired, on what */
} cs_policy_hit;

/* The policy verdict over one scan. */
typedef struct cs_policy_result {
	const char *name;      /* the policy's name, or "default" / "gates" */
	const char *verdict;   /* "pass", "warn", "fail" */
	const cs_policy_hit *hits;
	size_t nhits;
} cs_policy_result;

/* One vulnerability of one installed package. */
typedef struct cs_vuln {
	const char *id;               /* the CVE when one names it, else the advisory id */
	const char **aliases;         /* the other ids (advisories, GHSA...), sorted */
	size_t naliases;
	const cs_package *package;    /* borrowed from the scan */
	const char *installed_version; /* the version compared (dpkg: the source version) */
	const char *fixed_version;    /* first fixed version, or NULL */
	const char *status;           /* "fixed" (a fix exists), "not_fixed", "will_not_fix", "end_of_life", "affected" */
	const char *severity;         /* "critical", "high", "medium", "low", "negligible", "unknown" */
	const char *severity_source;  /* where severity came from: a feed name, "cvss:3.1/nvd", ... */
	const cs_cvss *cvss;
	size_t ncvss;
	const char *title;            /* or NULL */
	const char **references;      /* URLs */
	size_t nreferences;
	const char *data_source;      /* the feed that said the package is affected */
	int kev;                      /* 1 listed in CISA KEV, 0 not, -1 no KEV data */
	double epss_score;            /* 0..1, < 0 unknown */
	double epss_percentile;       /* 0..1, < 0 unknown */
	/*
	 * RFC 3339 publication date of the advisory that gave the fix (a DSA's
	 * date, an OSV record's "published"), or NULL: the policy's days-since-fix
	 * trigger. NVD's dates are never used (a CVE's date is not a fix's).
	 */
	const char *published;
	cs_suppression suppressed;
} cs_vuln;

/* Severity rank: critical 5 .. negligible 1, unknown 0. */
int cs_severity_rank(const char *severity);

#endif
