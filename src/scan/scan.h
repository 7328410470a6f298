/*
 * scan.h - one scan: walk every layer once, feed the analyzers, collect.
 *
 * The scan owns an arena for image-scoped records, the per-layer walks and
 * the merged view. Flow (cs_scan_run): open the source -> walk the layers
 * on worker threads (each file offered to every analyzer that wants it) ->
 * build the merged view in layer order -> run each analyzer's finish() ->
 * sort the results. Readers of the results (reports) use the accessors at
 * the end of this header.
 *
 * Two sides of the API are for analyzers (catalog/analyzer.h): cs_walk_*
 * during parse() on a worker thread, and cs_scan_* lookups during finish().
 */
#ifndef CS_SCAN_H
#define CS_SCAN_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/limits.h"
#include "image/registry.h"
#include "scan/model.h"

typedef struct cs_walk cs_walk;
typedef struct cs_scan cs_scan;
typedef struct cs_image cs_image;
typedef struct cs_artifact cs_artifact;

typedef struct cs_scan_opts {
	unsigned scanners;  /* CS_SCANNER_* bits selected; inventory always runs */
	const char *platform; /* "os/arch[/variant]" or NULL for the default */
	int jobs;           /* worker threads; 0 = number of cores */
	const char *secret_config; /* --secret-config YAML file, or NULL */
	const char *dockerfile;    /* --dockerfile to lint beside the image, or NULL */
	const char *base_catalog;  /* --base-catalog file of known base images, or NULL */
	long long now;      /* report time (seconds since the epoch) for end-of-life dates; 0: the clock */
	cs_limits limits;
	cs_registry_opts registry; /* credentials, TLS and progress for registry targets */
} cs_scan_opts;

void cs_scan_opts_default(cs_scan_opts *o);

/*
 * Runs a whole scan of target, an image reference with an optional
 * transport ("docker-archive:x.tar", "oci:dir:tag", a bare path) or, with
 * rootfs set, a directory. On success *out is the finished scan (free with
 * cs_scan_free). On failure returns a negative code with the message in
 * err; *out may still hold a partial scan (free it as well) or be NULL.
 */
int cs_scan_run(cs_scan **out, const char *target, bool rootfs, const cs_scan_opts *opts, cs_err *err);
void cs_scan_free(cs_scan *s);

/*
 * An empty scan for an input that is already an inventory (an SBOM): the
 * caller sets the artifact (cs_scan_set_artifact; its type defaults to
 * "sbom"), the OS and the packages (strings from cs_scan_arena), then calls
 * cs_scan_inventory_done, after which the scan reads like any other (no
 * layers, as for a root filesystem). *out is set even on failure.
 */
int cs_scan_new_inventory(cs_scan **out, const cs_scan_opts *opts, cs_err *err);
/* Replaces the artifact record (strings must outlive the scan: scan-owned). */
void cs_scan_set_artifact(cs_scan *s, const cs_artifact *a);
/* Puts the packages and diagnostics in report order. */
void cs_scan_inventory_done(cs_scan *s);

/* --- per-layer side, for analyzers' parse() ---------------------------- */

/* The walk's arena: lives as long as the scan, private to this layer. */
cs_arena *cs_walk_arena(cs_walk *w);
/* The analyzer's per-layer slot (initially NULL). */
void **cs_walk_state(cs_walk *w, int analyzer_id);

/* --- finish side, for analyzers' finish() ------------------------------ */

cs_arena *cs_scan_arena(cs_scan *s);
const cs_limits *cs_scan_limits(const cs_scan *s);
size_t cs_scan_layer_count(const cs_scan *s);
/* An analyzer's per-layer state for layer index i (NULL when none). */
void *cs_scan_layer_state(const cs_scan *s, size_t i, int analyzer_id);

/* What the merged view knows of one path. */
typedef struct cs_fsinfo {
	int layer;        /* index of the layer that last wrote it; -1: implied directory */
	int deleted_by;   /* index of a later layer that deleted it, or -1 */
	uint32_t mode;    /* st_mode of the last write */
	uint64_t size;    /* bytes of the last write */
	const char *link; /* symlink target, or NULL */
} cs_fsinfo;

/*
 * Looks path up in the final image. With follow, symbolic links in every
 * component (the last included) are resolved inside the image, the way a
 * container would see them, and a hard link leads to the entry whose
 * content it shares (out->layer is then the layer that wrote it): the path
 * reached, under which analyzers saw the content, is written to resolved
 * (resolved_sz bytes) when resolved is not NULL.
 * Returns 0, CS_ENOTFOUND when the path is absent or deleted (for a deleted
 * path out still describes it: deleted_by >= 0 and the layer that wrote it),
 * or CS_ELIMIT on a symlink loop (message in err).
 */
int cs_scan_lookup(const cs_scan *s, const char *path, bool follow, cs_fsinfo *out, char *resolved,
		   size_t resolved_sz, cs_err *err);

/*
 * Calls fn for each entry present in directory dir of the final image, in
 * name order, with the child's full path. Stops early when fn returns
 * non-zero and returns that value. 0 when dir is absent.
 */
int cs_scan_list_dir(const cs_scan *s, const char *dir,
		     int (*fn)(const char *path, const cs_fsinfo *info, void *payload), void *payload);

/* Records the detected OS (copied into the scan; strings must be scan-owned). */
void cs_scan_set_os(cs_scan *s, const cs_os *os);
/* The detected OS, or NULL. */
const cs_os *cs_scan_os(const cs_scan *s);
/* Adds a package allocated from cs_scan_arena(s). CS_ENOMEM. */
int cs_scan_add_package(cs_scan *s, cs_package *p);

/*
 * The OS package (added so far, i.e. by analyzers listed earlier in
 * analyzers.def) whose installed files include path, or NULL. For language
 * catalogers' finish(): they run after the OS ones. The index is built on
 * first use.
 */
const cs_package *cs_scan_file_owner(cs_scan *s, const char *path);

/*
 * Reports a problem with the input that does not stop the scan (a corrupt
 * file inside a layer, a hostile entry name). Errors make the command exit
 * non-zero after writing its report; warnings do not.
 */
void cs_scan_diag(cs_scan *s, int level, const char *fmt, ...) CS_PRINTF(3, 4);

/* --- results, for reports --------------------------------------------- */

typedef struct cs_artifact {
	const char *name;     /* as the user gave it */
	const char *type;     /* "container_image" or "rootfs" */
	const char *image_id; /* config digest, or NULL */
	const char *manifest_digest; /* or NULL */
	const char *os;       /* config "os", or NULL */
	const char *arch;     /* config "architecture", or NULL */
	const char *variant;  /* or NULL */
	const char **repo_tags;
	size_t nrepo_tags;
} cs_artifact;

const cs_artifact *cs_scan_artifact(const cs_scan *s);
const cs_layer *cs_scan_layer(const cs_scan *s, size_t i);
size_t cs_scan_package_count(const cs_scan *s);
const cs_package *cs_scan_package(const cs_scan *s, size_t i);
/* Vulnerabilities, once matching ran (match/vulns.h); sorted worst first. */
size_t cs_scan_vuln_count(const cs_scan *s);
const cs_vuln *cs_scan_vuln(const cs_scan *s, size_t i);
/* Adds a finding allocated from cs_scan_arena(s). CS_ENOMEM. */
int cs_scan_add_vuln(cs_scan *s, cs_vuln *v);
/* Sorts the findings: layer, severity (worst first), id, package. */
void cs_scan_sort_vulns(cs_scan *s);
/* True once vulnerability matching ran (the report then lists findings, maybe none). */
bool cs_scan_matched(const cs_scan *s);
/* Secrets found (when the secret scanner ran), sorted by layer, path, line. */
size_t cs_scan_secret_count(const cs_scan *s);
const cs_secret *cs_scan_secret(const cs_scan *s, size_t i);
/* True when the secret scanner ran (the report then lists secrets, maybe none). */
bool cs_scan_secrets_ran(const cs_scan *s);
/* Number of error-level diagnostics reported. */
size_t cs_scan_error_count(const cs_scan *s);
/* Diagnostics kept for the report (at most 1000), in the order reported. */
size_t cs_scan_diag_count(const cs_scan *s);
/* The i-th diagnostic's message and level (CS_LOG_ERROR or CS_LOG_WARN). */
const char *cs_scan_diag_get(const cs_scan *s, size_t i, int *level);
/* True for `customs rootfs`: there are no layers to report. */
bool cs_scan_is_rootfs(const cs_scan *s);

/* The options the scan was run with. */
const cs_scan_opts *cs_scan_options(const cs_scan *s);
/* The image's config JSON (the whole document), or NULL (root filesystem, SBOM). */
const struct cJSON *cs_scan_image_config(const cs_scan *s);

/* Configuration findings (audit/), in the order added until sorted. */
int cs_scan_add_misconfig(cs_scan *s, cs_misconfig *m);
size_t cs_scan_misconfig_count(const cs_scan *s);
const cs_misconfig *cs_scan_misconfig(const cs_scan *s, size_t i);
/* Sorts them: layer (config and Dockerfile first), severity (worst first), id, Dockerfile, path, line, message. */
void cs_scan_sort_misconfigs(cs_scan *s);
/* True once the config audit ran (the report then lists misconfigurations, maybe none). */
bool cs_scan_config_ran(const cs_scan *s);
void cs_scan_set_config_ran(cs_scan *s);
/*
 * Replaces layer i's created_by (scan-owned text): the audit hides the
 * values of the secret build arguments it reports, which the history
 * repeats verbatim and every report prints. Ignored past the last layer.
 */
void cs_scan_set_layer_created_by(cs_scan *s, size_t i, const char *created_by);

/* The base image assessment (base/), or NULL when it did not run. Copied; strings scan-owned. */
void cs_scan_set_base(cs_scan *s, const cs_base *b);
const cs_base *cs_scan_base(const cs_scan *s);

/* The policy verdict (policy/), or NULL when no gate or policy was given. Copied; arrays scan-owned. */
void cs_scan_set_policy(cs_scan *s, const cs_policy_result *r);
const cs_policy_result *cs_scan_policy(const cs_scan *s);

/*
 * Mutable access for the policy stage, which marks findings suppressed
 * (cs_suppression) after matching; NULL past the end.
 */
cs_vuln *cs_scan_vuln_mut(cs_scan *s, size_t i);
cs_secret *cs_scan_secret_mut(cs_scan *s, size_t i);
cs_misconfig *cs_scan_misconfig_mut(cs_scan *s, size_t i);

/*
 * Removes findings from the scan's lists, keeping the order of the rest:
 * the policy stage drops what --severity/--fixable-only leave out and,
 * without --show-suppressed, what it suppressed. A NULL predicate keeps
 * every finding of its kind; a predicate returns true to drop. The
 * records stay in the arena (reports never see them again).
 */
typedef struct cs_scan_dropper {
	bool (*vuln)(const cs_vuln *v, void *payload);
	bool (*secret)(const cs_secret *f, void *payload);
	bool (*misconfig)(const cs_misconfig *m, void *payload);
	void *payload;
} cs_scan_dropper;
void cs_scan_drop(cs_scan *s, const cs_scan_dropper *d);

#endif
