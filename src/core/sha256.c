/*
 * sha256.c - SHA-256 via OpenSSL EVP (see sha256.h).
 */
#include "core/compat.h"
#include "core/sha256.h"
#include "core/error.h"

#include <openssl/evp.h>

int cs_sha256_init(cs_sha256 *h)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	h->md = NULL;
	if (!md)
		return CS_ENOMEM;
	if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return CS_ERR;
	}
	h->md = md;
	return 0;
}

void cs_sha256_update(cs_sha256 *h, const void *p, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->md, p, n);
}

void cs_sha256_final(cs_sha256 *h, char out[CS_DIGEST_MAX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	char *o = out;

	EVP_DigestFinal_ex(h->md, md, &n);
	memcpy(o, "sha256:", 7);
	o += 7;
	for (i = 0; i < n && i < 32; i++) {
		*o++ = hex[md[i] >> 4];
		*o++ = hex[md[i] & 15];
	}
	*o = '\0';
	cs_sha256_release(h);
}

void cs_sha256_release(cs_sha256 *h)
{
	EVP_MD_CTX_free(h->md);
	h->md = NULL;
}

int cs_sha256_buf(const void *p, size_t n, char out[CS_DIGEST_MAX])
{
	cs_sha256 h;
	int err;

	if ((err = cs_sha256_init(&h)) < 0)
		return err;
	cs_sha256_update(&h, p, n);
	cs_sha256_final(&h, out);
	return 0;
}

bool cs_digest_valid(const char *s)
{
	size_t want, i;
	const char *hex;

	if (!s)
		return false;
	if (strncmp(s, "sha256:", 7) == 0) {
		want = 64;
		hex = s + 7;
	} else if (strncmp(s, "sha512:", 7) == 0) {
		want = 128;
		hex = s + 7;
	} else {
		return false;
	}
	for (i = 0; i < want; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return false;
	return hex[want] == '\0';
}
