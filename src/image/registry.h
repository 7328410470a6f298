/*
 * registry.h - an image in an OCI distribution registry, seen as an OCI
 * image layout.
 *
 * cs_registry_open resolves a reference (GET /v2/<repo>/manifests/<ref>,
 * authenticating as the registry asks) and from then on answers for the
 * members of a layout: "oci-layout", an "index.json" holding the one
 * descriptor the reference resolved to, and "blobs/sha256/<hex>", fetched
 * on demand: manifests and configs read whole (and kept), layers streamed
 * over their own connection each, so the scan's workers download several
 * at once straight into the decompressor and the digest checks. The OCI
 * parser (oci.c) does the rest: index -> platform -> manifest -> config,
 * every digest verified. store.c is the only caller.
 *
 * Transport rules: TLS verified unless insecure; plain HTTP only to
 * loopback registries or with insecure; redirects followed by hand (at most
 * 5) and credentials sent only to the registry's own origin; 5xx and 429
 * retried with backoff honouring Retry-After, and a layer whose connection
 * breaks resumed with a Range request, within bounded time. Nothing secret
 * (passwords, tokens, Authorization headers) is ever part of a message.
 */
#ifndef CS_REGISTRY_H
#define CS_REGISTRY_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/limits.h"
#include "image/ref.h"
#include "image/stream.h"

typedef struct cs_registry cs_registry;

/* What the command line says about registries; strings borrowed for the scan. */
typedef struct cs_registry_opts {
	const char *username; /* --username, or NULL: the auth files are asked */
	const char *password; /* --password-stdin's line (with username) */
	const char *ca_cert;  /* --ca-cert: PEM certificates trusted besides the system's */
	bool insecure;        /* --insecure: no TLS verification, plain HTTP allowed */
	bool progress;        /* draw a progress line on stderr (a terminal, not --quiet) */
} cs_registry_opts;

/*
 * Connects to ref's registry, authenticates and fetches the manifest or
 * index ref names. label is the reference as the user wrote it, for
 * messages. o may be NULL (defaults). Errors name label: CS_ENOTFOUND (404),
 * CS_EDIGEST (the manifest does not match a digest reference), CS_EFORMAT
 * (schema 1, malformed answers), CS_EIO (network, 401/403, 5xx after
 * retries), CS_ELIMIT.
 */
int cs_registry_open(cs_registry **out, const char *label, const cs_ref *ref, const cs_registry_opts *o,
		     const cs_limits *lim, cs_err *err);
void cs_registry_free(cs_registry *r);

/* The store interface (store.h) for a registry. */
int cs_registry_size(cs_registry *r, const char *member, uint64_t *size, cs_err *err);
int cs_registry_read(cs_registry *r, const char *member, uint64_t max, cs_buf *out, cs_err *err);
int cs_registry_open_member(cs_registry *r, const char *member, cs_stream **out, cs_err *err);

/* The layers the scan will stream (count, total bytes): the progress line's denominator. */
void cs_registry_plan(cs_registry *r, size_t layers, uint64_t bytes);

/* The reference it was opened with (borrowed). */
const cs_ref *cs_registry_ref(const cs_registry *r);

#endif
