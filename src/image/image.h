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
 *
 * Streamed images (img->streamed) are docker archives read in one pass
 * from a stream that cannot seek: a daemon's `docker save` over its socket
 * (daemon.c), a pipe. Their manifest.json and config usually come last, so
 * cs_image_open returns with no layers yet: the caller takes each layer
 * blob as it arrives (cs_image_next_blob), then cs_image_stream_done reads
 * manifest.json and the config and gives the layers their places
 * (dockerstream.c).
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
	const char *platform;         /* "os/arch[/variant]" asked for, or NULL */
	bool streamed;                /* layers come from cs_image_next_blob first */
	const char *ref;              /* streamed: the REF to pick in manifest.json, or NULL */
} cs_image;

/* A layer blob of a streamed image as the stream brings it. */
typedef struct cs_image_blob {
	const char *member;          /* its name in the archive; lives as long as the image */
	char digest[CS_DIGEST_MAX];  /* when its name says it ("blobs/sha256/<hex>"), else "" */
	uint64_t size;               /* bytes */
} cs_image_blob;

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

/*
 * Opens a docker archive read from src (owned from now on, also on
 * failure) as a streamed image named name; ref picks an image of several
 * (as in docker-archive:PATH:REF), or NULL. cs_image_open does this for
 * "docker-archive:-" and pipes.
 */
int cs_image_open_stream(cs_image **out, const char *name, cs_stream *src, const char *ref, const cs_limits *lim,
			 cs_err *err);

/*
 * Opens layer i's blob for streaming; the caller closes it. Thread-safe.
 * Of a streamed image, only the layers kept in memory as they went by
 * (small blobs that did not look like layers) open; CS_EFORMAT for others.
 */
int cs_image_open_layer(cs_image *img, size_t i, cs_stream **out, cs_err *err);

/*
 * Streamed images: steps to the next member that looks like a layer blob
 * (gzip or zstd magic, or a tar header), in the order the stream brings
 * them, and gives it as *blob: read it, and close it before the next call.
 * Other members are kept in memory when they can be JSON (no larger than
 * lim.max_json), else let go by. Returns 1, 0 at the end of the stream,
 * or a negative code (a truncated or broken stream, the daemon's error).
 */
int cs_image_next_blob(cs_image *img, cs_image_blob *out, cs_stream **blob, cs_err *err);

/*
 * Streamed images, once cs_image_next_blob returned 0: reads manifest.json
 * and the config as for an archive on disk (picking img->ref) and fills
 * the layers; each layer's member is then the regular member its name
 * leads to (links followed), the name cs_image_next_blob gave it.
 */
int cs_image_stream_done(cs_image *img, cs_err *err);

/* Streamed images, after cs_image_stream_done: whether any image in manifest.json has member as a layer. */
bool cs_image_names_layer(cs_image *img, const char *member);

/* --- for the format parsers (docker.c, oci.c, config.c) ------------------ */

/*
 * Reads a JSON member whole, checks it against digest (when not NULL) and
 * parses it; the content's digest goes to got when got is not NULL.
 */
int cs_image_read_json(cs_image *img, const char *member, const char *digest, char got[CS_DIGEST_MAX],
		       cJSON **out, cs_err *err);

/*
 * After a format parser filled the image: the layer count within limits,
 * the platform the one asked for (img->platform). what names the image.
 */
int cs_image_loaded(cs_image *img, const char *what, cs_err *err);

/* Parses img->config: diff_ids (count must equal nlayers), platform, history. */
int cs_image_apply_config(cs_image *img, const char *what, cs_err *err);

int cs_docker_load(cs_image *img, const char *ref, cs_err *err);
/* "blobs/sha256/<hex>" or "<hex>.json" -> "sha256:<hex>", else "". */
void cs_docker_member_digest(const char *member, char out[CS_DIGEST_MAX]);
/*
 * Opens a docker-daemon: or podman: target (transport "docker-daemon" or
 * "podman", name the image) as a streamed image (daemon.c).
 */
int cs_daemon_open(cs_image *img, const char *transport, const char *name, cs_err *err);
int cs_oci_load(cs_image *img, const char *tag, const char *platform, cs_err *err);

#endif
