/*
 * base.h - the base image assessment: where the base image ends, what it
 * is, whether its OS release is past its end of life, and how the
 * vulnerabilities split between the base and the application.
 *
 * Three parts, each usable on its own (unit tests, fuzz targets, the CLI):
 *   - the history boundary (base.c): the config's history read the way
 *     Docker and BuildKit write it;
 *   - the catalog of known base images (catalog.c): a JSON or YAML file
 *     whose entries' diff_ids are matched against the image's leading
 *     layers, and which `customs base add` writes;
 *   - end-of-life dates (eol.c): Debian's distro-info-data files when the
 *     machine has them, a table in the source otherwise.
 * The analyzer cs_analyzer_base (base.c) puts them together in finish()
 * and records a cs_base (scan/model.h). docs/base-image.md has the rules.
 */
#ifndef CS_BASE_H
#define CS_BASE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

#include <cJSON.h>

/* --- the history boundary (base.c) ---------------------------------------- */

/* How many history entries are looked at; the rest of a longer history is ignored. */
#define CS_BASE_MAX_HISTORY 10000

/* What the history says about the base. */
typedef struct cs_base_history {
	int last_layer;        /* last layer of the base, -1 when the history does not tell */
	const char *method;    /* "history" (a base terminator), "root-layer" (the fallback), or NULL */
	int end_entry;         /* index in history of the entry that ends the base, -1 unknown */
	bool label_inherited;  /* the base-name label was set by a step of the base itself */
} cs_base_history;

/*
 * True when created_by is the instruction that ends an image meant to be
 * built upon: CMD or ENTRYPOINT, as the classic builder writes it
 * ("/bin/sh -c #(nop)  CMD [\"bash\"]") or BuildKit does ("CMD [\"bash\"]").
 */
bool cs_base_is_terminator(const char *created_by);

/*
 * True when created_by is a step that lays down a root filesystem: ADD or
 * COPY to "/" ("/bin/sh -c #(nop) ADD file:ab12... in / ", "ADD
 * alpine-minirootfs.tar.gz / # buildkit"), or a bare comment from a build
 * script ("# debian.sh --arch 'amd64' out/ 'bookworm' ...").
 */
bool cs_base_is_root_step(const char *created_by);

/*
 * Reads the config's history (an array, or NULL) against nlayers diff_ids.
 * Entries that are not objects are skipped and the others own layers in
 * order, as config.c maps them. The base ends at the last terminator that
 * has a layer before and a layer after it (the application's first step);
 * failing that, at layer 0 when layer 0's step is a root filesystem; else
 * it is unknown. known_last >= 0 gives the boundary from elsewhere (the
 * catalog) and only end_entry and label_inherited are worked out.
 */
void cs_base_read_history(cs_base_history *out, const cJSON *history, size_t nlayers, int known_last);

/* --- the catalog of known base images (catalog.c) ------------------------------- */

#define CS_BASE_CATALOG_MAX (16u << 20)  /* bytes of a catalog file */
#define CS_BASE_CATALOG_MAX_IMAGES 10000 /* entries */
#define CS_BASE_CATALOG_MAX_LAYERS 1000  /* diff_ids of one entry (cs_limits.max_layers) */
#define CS_BASE_CATALOG_MAX_STR 512      /* bytes of a name or tag */

/* One known base image; strings owned by the catalog. */
typedef struct cs_base_image {
	const char *name;       /* "debian", "docker.io/customs/sample" */
	const char *tag;        /* "12-slim", or NULL */
	const char *digest;     /* its config digest (image id), or NULL */
	const char **diff_ids;  /* its layers, bottom first; at least one */
	size_t ndiff_ids;
	bool approved;
} cs_base_image;

typedef struct cs_base_catalog {
	cs_arena arena;         /* the entries' strings and arrays */
	cJSON *doc;             /* the document as read, kept so a rewrite loses no field; owned */
	cs_base_image *images;
	size_t nimages;
} cs_base_catalog;

/*
 * Parses a catalog: JSON when the first non-blank byte is '{' or '[', YAML
 * otherwise. Shape: {"images": [ENTRY...]} or a bare [ENTRY...]; an entry
 * is {"name", "tag"?, "digest"?, "diff_ids": [...], "approved"?: bool}.
 * Blank input is an empty catalog. Unknown fields are kept, not checked.
 * Returns 0, or CS_EFORMAT / CS_ELIMIT with one message naming what, or
 * CS_ENOMEM.
 */
int cs_base_catalog_parse(cs_base_catalog **out, const char *what, const char *data, size_t len, cs_err *err);

/*
 * Reads and parses the file at path. A missing file is CS_ENOTFOUND, or an
 * empty catalog when missing_ok (for `customs base add`, which creates it).
 */
int cs_base_catalog_load(cs_base_catalog **out, const char *path, bool missing_ok, cs_err *err);
void cs_base_catalog_free(cs_base_catalog *c);

/*
 * The entry whose diff_ids are the longest prefix of the image's
 * diff_ids[0..n), or NULL. Among entries of that length an approved one
 * wins, then the first in the file.
 */
const cs_base_image *cs_base_catalog_match(const cs_base_catalog *c, const char *const *diff_ids, size_t n);

/*
 * Records img: replaces the entry with the same digest (or, when img has no
 * digest, the same diff_ids), else appends. Strings are copied.
 */
int cs_base_catalog_put(cs_base_catalog *c, const cs_base_image *img, cs_err *err);

/*
 * Writes the catalog to path as JSON, atomically: a temporary file beside
 * it, flushed to disk, then renamed over it. Makes the parent directory
 * when missing. CS_EIO on failure (nothing replaced).
 */
int cs_base_catalog_save(const cs_base_catalog *c, const char *path, cs_err *err);

/*
 * What `customs base add` does: opens the image target (platform as for a
 * scan), reads its config digest and diff_ids, and puts it in the catalog
 * (cs_base_catalog_put) under name, "NAME[:TAG]" (NULL: the image's first
 * repo tag). *out is the entry as recorded (owned by the catalog). CS_EUSAGE
 * when there is no name to give it; the image's errors as they come. The
 * caller saves the catalog.
 */
int cs_base_catalog_record(cs_base_catalog *c, const char *target, const char *platform, const char *name,
			   bool approved, const cs_base_image **out, cs_err *err);

/*
 * The default catalog path: $CUSTOMS_BASE_CATALOG, else
 * $XDG_CONFIG_HOME/customs/base-catalog.json, else
 * ~/.config/customs/base-catalog.json. Returns out.
 */
const char *cs_base_catalog_default(char *out, size_t outsz);

/* "name:tag" (name alone without a tag, or when name already ends in ":tag"), in a. */
const char *cs_base_image_label(cs_arena *a, const cs_base_image *img);

/* --- end of life (eol.c) ---------------------------------------------------------- */

/* Where distro-info-data installs its files. */
#define CS_DISTRO_INFO_DIR "/usr/share/distro-info"
/* Largest distro-info CSV file read, bytes. */
#define CS_DISTRO_INFO_MAX (1u << 20)

typedef struct cs_base_eol {
	char release[32];   /* the release the date is for: "12", "3.11", "22.04" */
	char date[11];      /* last day of security support, "YYYY-MM-DD" */
	const char *source; /* "distro-info-data" or "built-in" (static strings) */
} cs_base_eol;

/*
 * The release key of an OS version: Debian "12.11" -> "12" (and "6.0.10"
 * -> "6.0"), Ubuntu "22.04" -> "22.04", Alpine "3.11.5" -> "3.11", the
 * Red Hat family "9.4" -> "9", Amazon "2" / "2023" / "2018.03" -> "1".
 * False when the family has no table or the version is not understood.
 */
bool cs_base_release_key(const char *family, const char *version, char *out, size_t outsz);

/*
 * Looks up the end of life of an OS release. For Debian and Ubuntu the
 * files in distro_info_dir (NULL: CS_DISTRO_INFO_DIR; "": none) come first,
 * the built-in table second; codename finds a Debian or Ubuntu release
 * without a version number (testing). False when unknown.
 */
bool cs_base_eol_find(cs_base_eol *out, const char *family, const char *version, const char *codename,
		      const char *distro_info_dir);

/*
 * Finds a release in a distro-info CSV (debian.csv, ubuntu.csv): the row
 * whose version (before any " LTS") is release, or, release NULL, whose
 * series is codename. The date is Debian's eol-lts when the row has one,
 * else its eol; Ubuntu's later of eol and eol-server. False when there is
 * no such row or it has no valid date. Bounded: lines past 4 KiB and
 * malformed rows are skipped.
 */
bool cs_distro_info_find(const char *csv, size_t len, bool debian, const char *release, const char *codename,
			 char date[11]);

/* 1 when now (seconds since the epoch) is past the day date ("YYYY-MM-DD", UTC), 0 not, -1 bad date. */
int cs_base_eol_past(const char *date, long long now);

/* --- the split ---------------------------------------------------------------------- */

typedef struct cs_base_split {
	size_t base;             /* vulnerabilities of packages a base layer installed */
	size_t application;      /* the others */
	size_t fixed_by_rebuild; /* base ones with a fixed version: a patched base fixes them */
} cs_base_split;

/*
 * Counts the vulnerabilities that are not suppressed: a package installed by
 * a layer <= b->last_layer comes from the base; everything else, a package
 * of unknown layer included, from the application.
 */
void cs_base_split_vulns(const cs_scan *s, const cs_base *b, cs_base_split *out);

#endif
