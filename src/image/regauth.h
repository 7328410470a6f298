/*
 * regauth.h - what registry authentication reads: WWW-Authenticate
 * challenges, token responses, docker/podman auth files and credential
 * helpers. The HTTP side is in registry.c; everything here but
 * cs_credhelper_get is a pure parser of untrusted bytes (fuzzed by
 * tests/fuzz/fuzz_regauth.c).
 *
 * Secrets (passwords, tokens) live in cs_creds, are wiped when released and
 * never appear in an error message.
 */
#ifndef CS_REGAUTH_H
#define CS_REGAUTH_H

#include "core/compat.h"
#include "core/error.h"

#define CS_CHALLENGE_MAX 4 /* challenges kept from one response */

/* One challenge of a WWW-Authenticate header (RFC 7235), lower-case scheme. */
typedef struct cs_challenge {
	char scheme[16];   /* "bearer", "basic", ... */
	char realm[1024];  /* the token endpoint for bearer; "" when absent */
	char service[256];
	char scope[1024];  /* several scope parameters are joined by ' ' */
	char error[64];    /* e.g. "insufficient_scope", "invalid_token" */
} cs_challenge;

/*
 * Parses one WWW-Authenticate header value, which may hold several
 * challenges ("Bearer realm=\"...\",service=\"...\", Basic realm=\"x\"").
 * Fills at most max challenges, sets *n. Parameters too long for their
 * field make the challenge invalid (dropped). Never fails: malformed input
 * gives fewer challenges.
 */
void cs_challenge_parse(const char *hdr, size_t len, cs_challenge *out, size_t max, size_t *n);

/* Credentials for one registry. Strings are malloc'd; release wipes them. */
typedef struct cs_creds {
	char *username;       /* NULL when anonymous */
	char *password;
	char *identity_token; /* an OAuth2 refresh token (docker login with SSO), or NULL */
	char from[96];        /* where they came from, for messages: "--username", "~/.docker/config.json" */
} cs_creds;

void cs_creds_release(cs_creds *c);
bool cs_creds_any(const cs_creds *c);

/*
 * Looks a registry up in an auth file (docker's config.json or podman's
 * auth.json: {"auths": {KEY: {"auth": base64(user:pass)} | {"username",
 * "password"} | {"identitytoken"}}, "credHelpers": {HOST: NAME},
 * "credsStore": NAME}). domain is the reference's registry ("docker.io",
 * "reg.example:5000"), repo its repository path: keys may name a host, a
 * URL ("https://index.docker.io/v1/") or, as podman allows, host/namespace;
 * the most specific match wins. helper (64 bytes) receives the credential
 * helper the file names for this registry (credHelpers, else credsStore),
 * "" when none; creds receives the auths entry, if any.
 * Returns 0 (either may be empty), CS_EFORMAT when the file is malformed.
 */
int cs_authfile_lookup(const char *json, size_t len, const char *domain, const char *repo, cs_creds *creds,
		       char helper[64], cs_err *err);

/*
 * Parses a credential helper's answer to `get` ({"ServerURL", "Username",
 * "Secret"}); a Username of "<token>" makes Secret an identity token.
 * CS_EFORMAT when it is not that.
 */
int cs_credhelper_parse(const char *json, size_t len, cs_creds *out, cs_err *err);

/*
 * Runs `docker-credential-NAME get` with server on its standard input and
 * parses its answer. CS_ENOTFOUND when the helper knows no credentials for
 * server (or is not installed: then a warning is logged); CS_EFORMAT,
 * CS_EIO when it fails. The helper's stderr is discarded, its run bounded
 * in time and output.
 */
int cs_credhelper_get(const char *name, const char *server, cs_creds *out, cs_err *err);

/*
 * Parses a token endpoint's answer ({"token": ..., "access_token": ...,
 * "expires_in": seconds}). *token is malloc'd; *expires_in defaults to 60
 * as the distribution spec says. CS_EFORMAT when there is no token.
 */
int cs_token_parse(const char *json, size_t len, char **token, long *expires_in, cs_err *err);

/* Standard base64 of n bytes into a malloc'd string (NULL: out of memory). */
char *cs_base64(const void *p, size_t n);

#endif
