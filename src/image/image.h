/*
 * image.h - open a container image and describe its layers.
 *
 * cs_image_open parses a target ("docker-archive:x.tar:repo:tag",
 * "oci:dir:tag", "oci-archive:x.tar", or a bare path it recognises), reads
 * the manifest and config (verifying their digests), picks the platform of
 * a multi-platform index, and maps the config's history to the layers.
 * Layer contents are not read here: cs_image_open_layer gives each blob as a
 * stream for the layer pipeline (layer.h), one per thread if wanted.
 *
 * Sources: an image format (docker.c, oci.c) reads from a cs_store, so
 * archives and directories share the parsers. A registry ("docker://REF",
 * or a bare reference that is not an existing path) is a store too: it
 * presents the image as an OCI layout (registry.h), and oci.c reads it.
 */
#ifndef CS_IMAGE_H
#define CS_IMAGE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "image/registry.h"
#include "image/store.h"

#include <cJSON.h>

typedef struct cs_image_layer {
	char digest[CS_DIGEST_MAX];  /* declared blob digest, "" when the format has none */
	char diff_id[CS_DIGEST_MAX]; /* from the config's rootfs.diff_ids */
	const char *member;          /* name of the blob in the store */
	const char *media_type;      /* or NULL */
	uint64_t size;               /* declared blob size, 0 unknown */
	const char *created_by;      /* history, or NULL */
	const char *created;
	const char *comment;
} cs_image_layer;

typedef struct cs_image {
	cs_arena arena;               /* owns every string below */
	cs_store *store;              /* owned */
	const char *name;             /* the target as given */
	const char *transport;        /* "docker-archive", "oci", "oci-archive", "docker" (a registry) */
	char config_digest[CS_DIGEST_MAX];   /* the image id */
	char manifest_digest[CS_DIGEST_MAX]; /* "" for docker archives */
	cJSON *config;                /* parsed config; owned */
	const char *os, *arch, *variant;
	const char **repo_tags;
	size_t nrepo_tags;
	cs_image_layer *layers;
	size_t nlayers;
	cs_limits lim;                /* caps for everything read from the image */
} cs_image;

/*
 * Parses "os/arch[/variant]" into its parts (arch normalised: x86_64 ->
 * amd64, aarch64 -> arm64). CS_EUSAGE when malformed.
 */
int cs_platform_parse(const char *p, char os[64], char arch[64], char variant[64], cs_err *err);

/*
 * Opens target. platform is "os/arch[/variant]" or NULL (linux/amd64, else
 * the only image). Errors: CS_EUSAGE for an unknown or unsupported
 * transport, CS_ENOTFOUND for a missing path or tag, CS_EFORMAT for
 * malformed content, CS_EDIGEST when a manifest or config does not match
 * its digest.
 */
int cs_image_open(cs_image **out, const char *target, const char *platform, const cs_limits *lim,
		  cs_err *err);

/*
 * cs_image_open with the registry options (credentials, TLS, progress) a
 * registry target uses; reg may be NULL. Target precedence: a transport
 * prefix (docker://, docker-archive:, oci:, oci-archive:), then an existing
 * file or directory, then an image reference (a name written like a file,
 * "/x", "./x", "x.tar", stays a path).
 */
int cs_image_open_reg(cs_image **out, const char *target, const char *platform, const cs_limits *lim,
		      const cs_registry_opts *reg, cs_err *err);
void cs_image_free(cs_image *img);

/* Opens layer i's blob for streaming; the caller closes it. Thread-safe. */
int cs_image_open_layer(cs_image *img, size_t i, cs_stream **out, cs_err *err);

/* --- for the format parsers (docker.c, oci.c, config.c) ------------------ */

/*
 * Reads a JSON member whole, checks it against digest (when not NULL) and
 * parses it; the content's digest goes to got when got is not NULL.
 */
int cs_image_read_json(cs_image *img, const char *member, const char *digest, char got[CS_DIGEST_MAX],
		       cJSON **out, cs_err *err);

/* Parses img->config: diff_ids (count must equal nlayers), platform, history. */
int cs_image_apply_config(cs_image *img, const char *what, cs_err *err);

int cs_docker_load(cs_image *img, const char *ref, cs_err *err);
int cs_oci_load(cs_image *img, const char *tag, const char *platform, cs_err *err);

#endif
