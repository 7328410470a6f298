/*
 * reghttp.h - one HTTP transfer that its caller drives (registry.c's
 * engine): an easy handle in a multi handle of its own, pumped until the
 * headers are in, until there is body data, or to the end. A whole read
 * keeps the body up to a limit; a stream keeps at most
 * CS_XFER_STREAM_BUFFER unread bytes and is paused (so curl's low-speed
 * clock stops) until its reader takes them, so the network never runs
 * ahead of the decompressor. No redirects are followed here and no
 * credentials added: the caller decides both (registry.c).
 */
#ifndef CS_REGHTTP_H
#define CS_REGHTTP_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/sha256.h"

#include <curl/curl.h>

#define CS_XFER_WWW_MAX 8192               /* bytes of WWW-Authenticate kept */
#define CS_XFER_ERROR_BODY_MAX (64u << 10) /* bytes of an error or redirect answer kept */
#define CS_XFER_STREAM_BUFFER (1u << 20)   /* a stream pauses with this much unread */

/* What every transfer of one registry shares. */
typedef struct cs_http_conf {
	bool insecure;       /* no TLS verification */
	const char *ca_cert; /* PEM file trusted besides the system's, or NULL */
	const char *capath;  /* the system's CA directory, used beside ca_cert */
	CURLSH *share;       /* DNS cache and TLS sessions, locked by the owner */
} cs_http_conf;

/* One transfer: the handles, the answer's status and headers, the body. */
typedef struct cs_xfer {
	CURL *easy;
	CURLM *multi;
	bool attached;          /* easy is in multi */
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	/* the answer */
	long status;            /* of the last response's status line */
	bool hdr_done;          /* a final (non-1xx) response's headers are in */
	bool done;              /* the transfer ended; result says how */
	CURLcode result;
	int64_t content_length; /* -1 unknown */
	char ctype[160];
	char dcd[CS_DIGEST_MAX + 16]; /* Docker-Content-Digest */
	char www[CS_XFER_WWW_MAX];      /* WWW-Authenticate values joined by ", " */
	/* the body */
	cs_buf body;
	size_t off;             /* streams: bytes of body already handed out */
	uint64_t limit;         /* whole reads: most body bytes accepted; 0 for a stream */
	uint64_t range_start;   /* resumed streams: the Range asked for */
	uint64_t skip;          /* body bytes still to drop (a resume answered 200) */
	bool skip_set;
	bool too_big, paused, oom;
} cs_xfer;


/* Makes the handles. CS_ENOMEM. */
int cs_xfer_init(cs_xfer *x);
/* Ends the transfer in flight, if any (the connection stays cached when it can). */
void cs_xfer_detach(cs_xfer *x);
/* Ends everything; wipes the body (token answers pass through it). */
void cs_xfer_release(cs_xfer *x);

/*
 * Starts a request on x: GET, or POST of the form post; accept and authz
 * ("Authorization: ..." line) when not NULL; offset > 0 asks for
 * "Range: bytes=offset-" (an answer of 200 then has its first offset bytes
 * dropped). limit > 0: a whole read of at most limit bytes (too_big when
 * more); 0: a stream. CS_ENOMEM.
 */
int cs_xfer_start(cs_xfer *x, const cs_http_conf *conf, const char *url, const char *accept, const char *authz,
		  const char *post, uint64_t limit, uint64_t offset);

enum { CS_XFER_HEADERS, CS_XFER_DATA, CS_XFER_DONE };

/*
 * Runs x until: its final headers are in (CS_XFER_HEADERS), it has unread
 * body bytes or is paused (CS_XFER_DATA), or it is done (CS_XFER_DONE; also
 * what ends the other two early). x->done and x->result then say how it ended.
 */
void cs_xfer_pump(cs_xfer *x, int until);

/* Why x failed, into buf: the OS's words for a socket error, else curl's. */
void cs_xfer_why(const cs_xfer *x, char *buf, size_t n);

/* A failure worth another try (the network had a bad moment); never when first. */
bool cs_xfer_transient(CURLcode rc, bool first);

/*
 * "scheme://host:port" of an http(s) url into out, and "host[:port]" (port
 * only when not the scheme's default) into host when not NULL. False for
 * anything else.
 */
bool cs_url_origin(const char *url, char *out, size_t n, char *host, size_t hn);

/* A few words for an HTTP status ("not found"). */
const char *cs_http_status_words(long s);

/* Copies untrusted text for a message: printable ASCII ('?' for the rest), at most n - 1 bytes. */
void cs_clean_text(char *out, size_t n, const char *s, size_t len);

#endif
