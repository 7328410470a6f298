/*
 * sha256.h - streaming SHA-256 over OpenSSL's EVP interface.
 *
 * Used for blob digests and layer diff_ids. Digests are written as
 * "sha256:" followed by 64 lower-case hex digits (CS_DIGEST_MAX bytes with
 * the terminator).
 */
#ifndef CS_SHA256_H
#define CS_SHA256_H

#include "core/compat.h"

#define CS_DIGEST_MAX 72 /* "sha256:" + 64 hex + NUL, rounded */

typedef struct cs_sha256 {
	void *md; /* EVP_MD_CTX *, owned */
} cs_sha256;

int cs_sha256_init(cs_sha256 *h);
void cs_sha256_update(cs_sha256 *h, const void *p, size_t n);
/* Writes "sha256:<hex>" into out and releases the context. */
void cs_sha256_final(cs_sha256 *h, char out[CS_DIGEST_MAX]);
/* Releases without producing a digest (error paths). Accepts a released h. */
void cs_sha256_release(cs_sha256 *h);
/* One-shot digest of a buffer. */
int cs_sha256_buf(const void *p, size_t n, char out[CS_DIGEST_MAX]);

/*
 * True when s is a well-formed digest "sha256:<64 lower hex>" (or sha512
 * with 128): the only shape allowed to become a file name, so a hostile
 * manifest cannot name "sha256:../../etc/passwd".
 */
bool cs_digest_valid(const char *s);

#endif
