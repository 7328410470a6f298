/*
 * error.h - the one error convention of customs.
 *
 * A function that can fail returns int: 0 on success, a negative CS_E*
 * code otherwise. The human message lives in a cs_err that the caller
 * passes down (like sqlite3_errmsg); the first error recorded wins, so the
 * root cause survives when callers add nothing or fail in turn (curl's
 * Curl_failf). Messages follow git's style: lower case, subject quoted,
 * problem first: "cannot read layer 'sha256:ab12...': truncated gzip stream".
 */
#ifndef CS_ERROR_H
#define CS_ERROR_H

#include "core/compat.h"

enum {
	CS_OK = 0,
	CS_ERR = -1,       /* generic failure: the message says what */
	CS_ENOTFOUND = -2, /* a named thing does not exist */
	CS_EFORMAT = -3,   /* input is malformed or of an unknown format */
	CS_ELIMIT = -4,    /* a configured limit was hit (size, count, ratio) */
	CS_ENOMEM = -5,    /* allocation failed */
	CS_EIO = -6,       /* the operating system refused a read or write */
	CS_EDIGEST = -7,   /* content does not match its declared digest or size */
	CS_EUSAGE = -8,    /* the user asked for something that cannot be done */
};

#define CS_ERR_MSG_MAX 1024

typedef struct cs_err {
	int code;                  /* first code recorded, CS_OK when none */
	char msg[CS_ERR_MSG_MAX];  /* first message recorded, "" when none */
} cs_err;

/* Resets e to "no error". */
void cs_err_clear(cs_err *e);

/*
 * Records an error unless one is already recorded; returns code so callers
 * can write `return cs_err_set(e, CS_EFORMAT, "...")`. e may be NULL.
 */
int cs_err_set(cs_err *e, int code, const char *fmt, ...) CS_PRINTF(3, 4);

/*
 * Prefixes the recorded message with context ("layer 'x': " + msg), so an
 * outer caller can name the object an inner failure happened in.
 * Does nothing when no error is recorded.
 */
void cs_err_prefix(cs_err *e, const char *fmt, ...) CS_PRINTF(2, 3);

/* Copies src into dst when dst has no error yet (first error wins). */
void cs_err_merge(cs_err *dst, const cs_err *src);

/* A short constant name for a code ("format error"), never NULL. */
const char *cs_err_name(int code);

#endif
