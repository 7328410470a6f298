/*
 * ref.h - image references for registries: "alpine:3.19",
 * "docker.io/library/alpine@sha256:...", "registry.example:5000/team/app:1".
 *
 * The grammar is the distribution project's (reference/regexp.go): an
 * optional registry host[:port] (recognised by a '.' or ':' in the first
 * component, or by being "localhost"), a repository path of lower-case
 * components joined by '.', '_', '__' or dashes, an optional ":tag" and an
 * optional "@sha256:<hex>". Docker Hub names are normalised as docker does:
 * no host means docker.io, a one-component path there gets "library/", and
 * the API lives at registry-1.docker.io.
 */
#ifndef CS_REF_H
#define CS_REF_H

#include "core/compat.h"
#include "core/error.h"
#include "core/sha256.h"

#define CS_REF_NAME_MAX 256 /* the distribution project's limit on host + path */

typedef struct cs_ref {
	char domain[CS_REF_NAME_MAX]; /* registry as named, normalised: "docker.io", "reg.example:5000" */
	char host[CS_REF_NAME_MAX];   /* where the API is: "registry-1.docker.io", else domain */
	char repo[CS_REF_NAME_MAX];   /* repository path: "library/alpine" */
	char tag[129];                /* "" when the reference has only a digest */
	char digest[CS_DIGEST_MAX];   /* "sha256:<hex>" or "" */
} cs_ref;

/*
 * Parses s (without a transport prefix). A reference with neither tag nor
 * digest gets the tag "latest"; with both, the digest decides what is
 * fetched and the tag is kept for display. CS_EFORMAT with a message naming
 * s when it is not a reference; only sha256 digests are accepted.
 */
int cs_ref_parse(cs_ref *out, const char *s, cs_err *err);

/* The canonical form "domain/repo[:tag][@digest]" into out (n bytes). */
void cs_ref_format(const cs_ref *r, char *out, size_t n);

/*
 * True when host (a cs_ref host: name or address, optional port) is this
 * machine: localhost, 127.0.0.0/8 or ::1. Plain HTTP is allowed to these
 * without --insecure, as docker does.
 */
bool cs_ref_host_is_loopback(const char *host);

/* The host name or address of host[:port] without the port (and brackets), into out. */
void cs_ref_host_name(const char *host, char *out, size_t n);

#endif
