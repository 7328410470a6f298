/*
 * reghttp.c - one HTTP transfer driven by its caller (see reghttp.h).
 */
#include "core/compat.h"
#include "image/reghttp.h"
#include "core/strutil.h"
#include "core/version.h"

#include <strings.h>

#define CONNECT_TIMEOUT_S 30L
#define LOW_SPEED_LIMIT 1000L /* bytes/s ... */
#define LOW_SPEED_TIME 60L    /* ... for this long while the caller waits ends a transfer */

/* Matches "Name: value" case-insensitively; the value trimmed into *v, *vn. */
static bool header_is(const char *p, size_t len, const char *name, const char **v, size_t *vn)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(p, name, nl) != 0 || p[nl] != ':')
		return false;
	*v = p + nl + 1;
	*vn = len - nl - 1;
	while (*vn && ((*v)[*vn - 1] == '\r' || (*v)[*vn - 1] == '\n'))
		(*vn)--;
	cs_mem_trim(v, vn);
	return true;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	cs_xfer *x = ud;
	size_t len = size * n, vn;
	const char *v;

	if (len >= 5 && !memcmp(p, "HTTP/", 5)) {
		const char *sp = memchr(p, ' ', len);

		x->status = 0;
		x->hdr_done = false;
		x->content_length = -1;
		x->ctype[0] = x->dcd[0] = x->www[0] = '\0';
		if (sp && (size_t)(sp - p) + 4 <= len && sp[1] >= '1' && sp[1] <= '9' && sp[2] >= '0' && sp[2] <= '9' &&
		    sp[3] >= '0' && sp[3] <= '9')
			x->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
		return len;
	}
	if (len <= 2 && (p[0] == '\r' || p[0] == '\n')) {
		if (x->status >= 200)
			x->hdr_done = true;
		return len;
	}
	if (header_is(p, len, "content-length", &v, &vn)) {
		uint64_t cl;

		if (cs_parse_u64(v, vn, &cl) && cl < ((uint64_t)1 << 62))
			x->content_length = (int64_t)cl;
	} else if (header_is(p, len, "content-type", &v, &vn)) {
		const char *semi = memchr(v, ';', vn);

		if (semi)
			vn = (size_t)(semi - v);
		while (vn && v[vn - 1] == ' ')
			vn--;
		if (vn < sizeof(x->ctype))
			snprintf(x->ctype, sizeof(x->ctype), "%.*s", (int)vn, v);
	} else if (header_is(p, len, "docker-content-digest", &v, &vn)) {
		if (vn < sizeof(x->dcd))
			snprintf(x->dcd, sizeof(x->dcd), "%.*s", (int)vn, v);
	} else if (header_is(p, len, "www-authenticate", &v, &vn)) {
		size_t have = strlen(x->www);

		if (have + vn + 3 < sizeof(x->www))
			snprintf(x->www + have, sizeof(x->www) - have, "%s%.*s", have ? ", " : "", (int)vn, v);
	}
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	cs_xfer *x = ud;
	size_t len = size * n, keep = len;

	if (!x->hdr_done)
		return len; /* the body of a 1xx answer: there is none */
	if (x->status < 200 || x->status >= 300) {
		/* an error or redirect: its first bytes say why; a flood ends the transfer */
		if (x->body.len + len > CS_XFER_ERROR_BODY_MAX)
			return 0;
		if (cs_buf_append(&x->body, p, len) < 0) {
			x->oom = true;
			return 0;
		}
		return len;
	}
	if (!x->limit && x->body.len - x->off >= CS_XFER_STREAM_BUFFER) {
		x->paused = true;
		return CURL_WRITEFUNC_PAUSE; /* delivered again when the reader unpauses */
	}
	if (!x->skip_set) {
		/* a resume that got the whole blob (200, not 206) drops what was read already */
		x->skip = x->status == 200 ? x->range_start : 0;
		x->skip_set = true;
	}
	if (x->skip) {
		size_t k = (uint64_t)keep < x->skip ? keep : (size_t)x->skip;

		x->skip -= k;
		p += k;
		keep -= k;
		if (!keep)
			return len;
	}
	if (x->limit) {
		if (x->body.len + keep > x->limit) {
			x->too_big = true;
			return 0;
		}
	} else if (x->off == x->body.len) {
		cs_buf_reset(&x->body);
		x->off = 0;
	} else if (x->off >= CS_XFER_STREAM_BUFFER / 2) {
		memmove(x->body.data, x->body.data + x->off, x->body.len - x->off);
		x->body.len -= x->off;
		x->off = 0;
	}
	if (cs_buf_append(&x->body, p, keep) < 0) {
		x->oom = true;
		return 0;
	}
	return len;
}

int cs_xfer_init(cs_xfer *x)
{
	memset(x, 0, sizeof(*x));
	cs_buf_init(&x->body, 0);
	x->easy = curl_easy_init();
	x->multi = curl_multi_init();
	return x->easy && x->multi ? 0 : CS_ENOMEM;
}

void cs_xfer_detach(cs_xfer *x)
{
	if (x->attached) {
		curl_multi_remove_handle(x->multi, x->easy);
		x->attached = false;
	}
}

void cs_xfer_release(cs_xfer *x)
{
	cs_xfer_detach(x);
	if (x->easy)
		curl_easy_cleanup(x->easy);
	if (x->multi)
		curl_multi_cleanup(x->multi);
	curl_slist_free_all(x->hdrs);
	if (x->body.data)
		memset(x->body.data, 0, x->body.len); /* token answers pass through here */
	cs_buf_release(&x->body);
	x->easy = NULL;
	x->multi = NULL;
	x->hdrs = NULL;
}

static bool add_header(cs_xfer *x, const char *line)
{
	struct curl_slist *more = curl_slist_append(x->hdrs, line);

	if (!more)
		return false;
	x->hdrs = more;
	return true;
}

int cs_xfer_start(cs_xfer *x, const cs_http_conf *conf, const char *url, const char *accept, const char *authz,
		  const char *post, uint64_t limit, uint64_t offset)
{
	CURL *c = x->easy;
	char line[512], ua[96];

	cs_xfer_detach(x);
	curl_easy_reset(c);
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	x->status = 0;
	x->hdr_done = x->done = x->too_big = x->paused = x->oom = x->skip_set = false;
	x->result = CURLE_OK;
	x->content_length = -1;
	x->ctype[0] = x->dcd[0] = x->www[0] = x->errbuf[0] = '\0';
	cs_buf_reset(&x->body);
	x->off = 0;
	x->limit = limit;
	x->range_start = offset;
	x->skip = 0;

	if (accept) {
		snprintf(line, sizeof(line), "Accept: %s", accept);
		if (!add_header(x, line))
			return CS_ENOMEM;
	}
	if (authz && !add_header(x, authz))
		return CS_ENOMEM;
	if (offset) {
		snprintf(line, sizeof(line), "Range: bytes=%llu-", (unsigned long long)offset);
		if (!add_header(x, line))
			return CS_ENOMEM;
	}
	if (post && !add_header(x, "Content-Type: application/x-www-form-urlencoded"))
		return CS_ENOMEM;
	/* no "Expect: 100-continue" round trip for the small token forms */
	if (post && !add_header(x, "Expect:"))
		return CS_ENOMEM;
	snprintf(ua, sizeof(ua), "customs/%s", cs_version());
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* by hand: credentials stay home */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, conf->insecure ? 0L : 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, conf->insecure ? 0L : 2L);
	if (conf->ca_cert) {
		curl_easy_setopt(c, CURLOPT_CAINFO, conf->ca_cert);
		if (conf->capath[0])
			curl_easy_setopt(c, CURLOPT_CAPATH, conf->capath);
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_LIMIT);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, LOW_SPEED_TIME);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 128L * 1024);
	curl_easy_setopt(c, CURLOPT_SHARE, conf->share);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	if (post)
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, post);
	if (curl_multi_add_handle(x->multi, c) != CURLM_OK)
		return CS_ENOMEM;
	x->attached = true;
	return 0;
}

/* Runs the transfer until its headers are in, it has data or is paused, or it is done. */
void cs_xfer_pump(cs_xfer *x, int until)
{
	for (;;) {
		int running = 0, queued;
		CURLMsg *m;
		CURLMcode mc = curl_multi_perform(x->multi, &running);

		while ((m = curl_multi_info_read(x->multi, &queued)))
			if (m->msg == CURLMSG_DONE) {
				x->done = true;
				x->result = m->data.result;
			}
		if (mc != CURLM_OK && !x->done) {
			x->done = true;
			x->result = CURLE_OUT_OF_MEMORY;
		}
		if (x->done || (until == CS_XFER_HEADERS && x->hdr_done) ||
		    (until == CS_XFER_DATA && (x->off < x->body.len || x->paused)))
			return;
		curl_multi_poll(x->multi, NULL, 0, 250, NULL);
	}
}

/* "scheme://host:port" of url into out; false when it is not a URL we speak. */
bool cs_url_origin(const char *url, char *out, size_t n, char *host, size_t hn)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *port = NULL;
	bool ok = false;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
	    (!strcasecmp(scheme, "https") || !strcasecmp(scheme, "http"))) {
		snprintf(out, n, "%s://%s:%s", scheme, h, port);
		if (host) {
			bool dflt = (!strcasecmp(scheme, "https") && !strcmp(port, "443")) ||
				    (!strcasecmp(scheme, "http") && !strcmp(port, "80"));

			snprintf(host, hn, "%s%s%s", h, dflt ? "" : ":", dflt ? "" : port);
		}
		ok = true;
	}
	curl_free(scheme);
	curl_free(h);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

/* Copies untrusted text for a message: printable ASCII, at most n - 1 bytes. */
void cs_clean_text(char *out, size_t n, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && s[i] && o + 1 < n; i++)
		out[o++] = ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f) ? '?' : s[i];
	out[o] = '\0';
}

const char *cs_http_status_words(long s)
{
	switch (s) {
	case 400: return "bad request";
	case 401: return "unauthorized";
	case 403: return "access denied";
	case 404: return "not found";
	case 405: return "method not allowed";
	case 416: return "range not satisfiable";
	case 429: return "too many requests";
	case 500: return "internal server error";
	case 502: return "bad gateway";
	case 503: return "service unavailable";
	case 504: return "gateway timeout";
	default: return s >= 500 ? "server error" : "request refused";
	}
}

/* Why a transfer failed, into buf (n bytes): errno's words, or curl's. */
void cs_xfer_why(const cs_xfer *x, char *buf, size_t n)
{
	const char *w = NULL;
	long oserr = 0;

	curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &oserr);
	switch (x->result) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (oserr)
			w = strerror((int)oserr);
		else
			w = x->result == CURLE_COULDNT_CONNECT ? "cannot connect" : "connection reset";
		break;
	case CURLE_OPERATION_TIMEDOUT: w = "timed out"; break;
	case CURLE_COULDNT_RESOLVE_HOST: w = "unknown host"; break;
	case CURLE_COULDNT_RESOLVE_PROXY: w = "unknown proxy host"; break;
	case CURLE_PARTIAL_FILE: w = "the connection closed before the end of the answer"; break;
	case CURLE_GOT_NOTHING: w = "the connection closed without an answer"; break;
	case CURLE_OUT_OF_MEMORY: w = "out of memory"; break;
	default: w = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->result); break;
	}
	cs_clean_text(buf, n, w, n);
}

/* Worth another try: the network or the server had a bad moment. */
bool cs_xfer_transient(CURLcode rc, bool first)
{
	if (first)
		return false; /* a registry that never answered is not waited for */
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}
