/*
 * registry.c - an image in an OCI distribution registry as an OCI layout
 * (see registry.h): requests with authentication (bearer tokens, Basic),
 * redirects and retries on reghttp.c's transfers, and the members the OCI
 * parser asks for.
 *
 * Each request runs on a transfer its caller pumps (reghttp.h): a whole
 * read until the body is in, a layer stream only when its reader wants
 * bytes. JSON requests share one transfer, so its connection is reused;
 * each layer has its own, so several download at once.
 */
#include "core/compat.h"
#include "image/registry.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/log.h"
#include "core/map.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "image/regauth.h"
#include "image/reghttp.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_V1 "application/vnd.docker.distribution.manifest.v1"
/* All four, or the reference registry answers 404 for OCI manifests and down-converts to schema 1. */
#define ACCEPT_MANIFESTS MT_OCI_INDEX ", " MT_OCI_MANIFEST ", " MT_DOCKER_LIST ", " MT_DOCKER_MANIFEST

#define MAX_REDIRECTS 5
#define MAX_ATTEMPTS 4              /* a request and three retries */
#define RETRY_FIRST_MS 500L         /* then doubled */
#define RETRY_AFTER_MAX_S 30L       /* a longer Retry-After ends the request */
#define RETRY_TOTAL_MS 60000L       /* all the waiting one request may do */
#define MAX_RESUMES 3               /* a layer's broken connection resumed with Range */
#define AUTH_FILE_MAX (1u << 20)
#define TOKEN_ANSWER_MAX (1u << 20)
#define TOKEN_SLOTS 8               /* bearer tokens kept, one per scope */

/* ---- the registry -------------------------------------------------------------- */

typedef struct cached {
	const char *name;  /* member name (arena) */
	char *data;        /* owned */
	size_t len;
} cached;

typedef struct token_slot {
	char *scope;       /* owned */
	char *authz;       /* "Authorization: Bearer ..." (owned, wiped) */
	time_t expires;
} token_slot;

struct cs_registry {
	cs_ref ref;
	char *label;            /* the reference as the user wrote it (owned) */
	cs_registry_opts o;
	cs_limits lim;
	char base[CS_REF_NAME_MAX + 16]; /* "https://host[:port]" */
	bool curl_ready;
	CURLSH *share;          /* DNS and TLS sessions, across threads */
	cs_http_conf http;      /* what every transfer is started with */
	pthread_mutex_t share_lock[CURL_LOCK_DATA_LAST];
	char capath[512];       /* the system's CA directory, used beside --ca-cert */

	pthread_mutex_t auth_lock; /* guards everything down to the token slots */
	bool creds_loaded;
	cs_creds creds;
	char *authz;            /* the Authorization line registry requests carry, or NULL (wiped) */
	bool authz_bearer;
	time_t authz_expires;
	cs_challenge chal;      /* the bearer challenge, to renew an expired token */
	char scope[CS_REF_NAME_MAX + 32];
	token_slot tokens[TOKEN_SLOTS];

	pthread_mutex_t ctl_lock; /* guards the JSON transfer and the cache */
	cs_xfer ctl;
	cs_arena arena;
	cs_map cache;           /* member name -> cached */
	cs_map manifests;       /* digests an index names: fetched from /manifests/ */

	pthread_mutex_t prog_lock;
	size_t layers, layers_done;
	uint64_t bytes, bytes_done;
	struct timespec last_draw;
};

/* What one request is. */
typedef struct req {
	const char *url;       /* absolute */
	bool registry;         /* on the registry: carries its Authorization */
	const char *authz;     /* else an Authorization line for url's origin (the token realm), or NULL */
	const char *accept;    /* Accept header value, or NULL */
	const char *post;      /* form body (POST), or NULL (GET) */
	uint64_t limit;        /* whole read: most bytes; 0: a stream */
	uint64_t offset;       /* a stream resumed: Range start */
	const char *what;      /* for messages: "blob sha256:..." or NULL for the reference's manifest */
	bool first;            /* the first contact: a refused connection is not retried */
} req;

static void wipe_free(char *s)
{
	if (s) {
		volatile char *p = s;

		while (*p)
			*p++ = '\0';
		free(s);
	}
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000);
}

static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- progress ------------------------------------------------------------------ */

/* "812 kB", "12.3 MB", "1.25 GB" */
static void human(char *out, size_t n, uint64_t b)
{
	if (b < 1000000)
		snprintf(out, n, "%.0f kB", (double)b / 1e3);
	else if (b < 1000000000)
		snprintf(out, n, "%.1f MB", (double)b / 1e6);
	else
		snprintf(out, n, "%.2f GB", (double)b / 1e9);
}

static void progress_draw(cs_registry *r, bool force)
{
	char line[300], done[32], total[32];

	if (!r->o.progress)
		return;
	pthread_mutex_lock(&r->prog_lock);
	if (force || ms_since(&r->last_draw) >= 250) {
		clock_gettime(CLOCK_MONOTONIC, &r->last_draw);
		if (r->layers && r->layers_done >= r->layers) {
			cs_log_progress(NULL);
		} else {
			human(done, sizeof(done), r->bytes_done);
			human(total, sizeof(total), r->bytes);
			snprintf(line, sizeof(line), "pulling %.120s: %zu/%zu layers, %s of %s", r->label, r->layers_done,
				 r->layers, done, total);
			cs_log_progress(line);
		}
	}
	pthread_mutex_unlock(&r->prog_lock);
}

static void progress_add(cs_registry *r, uint64_t n, bool layer_done)
{
	if (!r->o.progress)
		return;
	pthread_mutex_lock(&r->prog_lock);
	r->bytes_done += n;
	if (layer_done)
		r->layers_done++;
	pthread_mutex_unlock(&r->prog_lock);
	progress_draw(r, layer_done);
}

void cs_registry_plan(cs_registry *r, size_t layers, uint64_t bytes)
{
	pthread_mutex_lock(&r->prog_lock);
	r->layers = layers;
	r->bytes = bytes;
	pthread_mutex_unlock(&r->prog_lock);
	progress_draw(r, true);
}

/* ---- URLs ---------------------------------------------------------------------- */

static bool plain_http_ok(const cs_registry *r, const char *host)
{
	return r->o.insecure || cs_ref_host_is_loopback(host);
}

/* ---- messages ------------------------------------------------------------------ */

/* The registry's own words from an error body ({"errors": [{"code", "message"}]}). */
static void registry_words(const cs_xfer *x, char *out, size_t n)
{
	cJSON *doc;
	const cJSON *e;

	out[0] = '\0';
	if (!x->body.len || !(doc = cJSON_ParseWithLength(x->body.data, x->body.len)))
		return;
	e = cJSON_GetArrayItem(cs_json_arr(doc, "errors"), 0);
	if (cs_json_str(e, "message") && *cs_json_str(e, "message"))
		cs_clean_text(out, n, cs_json_str(e, "message"), 200);
	else if (cs_json_str(e, "code"))
		cs_clean_text(out, n, cs_json_str(e, "code"), 100);
	else if (cs_json_str(doc, "details"))
		cs_clean_text(out, n, cs_json_str(doc, "details"), 200);
	cJSON_Delete(doc);
}

/* ---- credentials and tokens ----------------------------------------------------- */

/* The server name credential helpers and docker's files know Docker Hub by. */
static const char *helper_server(const cs_registry *r)
{
	return strcmp(r->ref.domain, "docker.io") ? r->ref.domain : "https://index.docker.io/v1/";
}

/* Looks the registry up in one auth file; true when it gave credentials. */
static bool creds_from_file(cs_registry *r, const char *path)
{
	char helper[64];
	cs_creds entry;
	cs_buf b;
	cs_err e;
	FILE *f;
	bool found = false;

	memset(&entry, 0, sizeof(entry));
	if (!(f = fopen(path, "rb")))
		return false;
	cs_buf_init(&b, AUTH_FILE_MAX);
	for (;;) {
		char chunk[8192];
		size_t got = fread(chunk, 1, sizeof(chunk), f);

		if (!got)
			break;
		if (cs_buf_append(&b, chunk, got) < 0) {
			cs_warn("'%s': larger than %u bytes; not read for credentials", path, AUTH_FILE_MAX);
			fclose(f);
			cs_buf_release(&b);
			return false;
		}
	}
	fclose(f);
	cs_err_clear(&e);
	if (cs_authfile_lookup(b.data ? b.data : "", b.len, r->ref.domain, r->ref.repo, &entry, helper, &e) < 0) {
		cs_warn("'%s': %s; not used for credentials", path, e.msg);
		goto done;
	}
	if (helper[0]) {
		int code;

		cs_err_clear(&e);
		code = cs_credhelper_get(helper, helper_server(r), &r->creds, &e);
		if (code == 0 && cs_creds_any(&r->creds)) {
			snprintf(r->creds.from, sizeof(r->creds.from), "docker-credential-%s", helper);
			found = true;
			goto done;
		}
		cs_creds_release(&r->creds);
		if (code < 0 && code != CS_ENOTFOUND)
			cs_warn("%s; going on without its credentials", e.msg);
	}
	if (cs_creds_any(&entry)) {
		r->creds = entry;
		memset(&entry, 0, sizeof(entry));
		snprintf(r->creds.from, sizeof(r->creds.from), "%.95s", path);
		found = true;
	}
done:
	cs_creds_release(&entry);
	if (b.data)
		memset(b.data, 0, b.len);
	cs_buf_release(&b);
	return found;
}

/*
 * Credentials, looked up once (under auth_lock): --username, then
 * $REGISTRY_AUTH_FILE, podman's $XDG_RUNTIME_DIR/containers/auth.json,
 * docker's $DOCKER_CONFIG/config.json or ~/.docker/config.json.
 */
static void load_creds(cs_registry *r)
{
	const char *env;
	char path[4096];

	if (r->creds_loaded)
		return;
	r->creds_loaded = true;
	if (r->o.username) {
		r->creds.username = strdup(r->o.username);
		r->creds.password = strdup(r->o.password ? r->o.password : "");
		snprintf(r->creds.from, sizeof(r->creds.from), "--username");
		return;
	}
	if ((env = getenv("REGISTRY_AUTH_FILE")) && *env && creds_from_file(r, env))
		return;
	if ((env = getenv("XDG_RUNTIME_DIR")) && *env) {
		snprintf(path, sizeof(path), "%s/containers/auth.json", env);
		if (creds_from_file(r, path))
			return;
	}
	if ((env = getenv("DOCKER_CONFIG")) && *env)
		snprintf(path, sizeof(path), "%s/config.json", env);
	else if ((env = getenv("HOME")) && *env)
		snprintf(path, sizeof(path), "%s/.docker/config.json", env);
	else
		return;
	creds_from_file(r, path);
}

/* "Authorization: Basic base64(user:password)" (malloc'd), or NULL. */
static char *basic_line(const cs_creds *c)
{
	size_t n = strlen(c->username) + strlen(c->password) + 2;
	char *up = malloc(n), *b64, *line = NULL;

	if (!up)
		return NULL;
	snprintf(up, n, "%s:%s", c->username, c->password);
	b64 = cs_base64(up, n - 1);
	wipe_free(up);
	if (b64 && (line = malloc(strlen(b64) + 32)))
		snprintf(line, strlen(b64) + 32, "Authorization: Basic %s", b64);
	wipe_free(b64);
	return line;
}

static int do_request(cs_registry *r, cs_xfer *x, const req *rq, cs_err *err);

/* Appends "&name=escaped(value)" to b. */
static int add_param(cs_buf *b, CURL *c, const char *name, const char *value)
{
	char *e = curl_easy_escape(c, value, 0);
	int code;

	if (!e)
		return CS_ENOMEM;
	code = cs_buf_printf(b, "%s%s=%s", b->len ? "&" : "", name, e);
	curl_free(e);
	return code;
}

/*
 * Asks the challenge's realm for a token for scope (the distribution token
 * protocol; an identity token is exchanged with the OAuth2 POST form).
 * Called under auth_lock, on a transfer of its own.
 */
static int fetch_token(cs_registry *r, const cs_challenge *ch, const char *scope, char **token, long *expires,
		       cs_err *err)
{
	char origin[512], host[300], *authz = NULL, *url = NULL;
	const char *s;
	cs_buf q;
	cs_xfer tx;
	req rq;
	int code;

	*token = NULL;
	if (!cs_url_origin(ch->realm, origin, sizeof(origin), host, sizeof(host)))
		return cs_err_set(err, CS_EFORMAT, "'%s': the registry's token realm is not an http(s) URL", r->label);
	if (cs_str_starts(origin, "http:") && cs_creds_any(&r->creds) && !plain_http_ok(r, host))
		return cs_err_set(err, CS_EIO,
				  "'%s': refusing to send credentials over plain HTTP to the token server '%s' (--insecure allows it)",
				  r->label, host);
	cs_buf_init(&q, 0);
	memset(&tx, 0, sizeof(tx));
	if (cs_xfer_init(&tx) < 0) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	code = 0;
	if (ch->service[0])
		code = add_param(&q, tx.easy, "service", ch->service);
	/* several scopes, space-separated, are several parameters */
	for (s = scope; code == 0 && *s;) {
		const char *e = strchr(s, ' ');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char one[1024];

		if (n && n < sizeof(one)) {
			snprintf(one, sizeof(one), "%.*s", (int)n, s);
			code = add_param(&q, tx.easy, "scope", one);
		}
		s += n + (e ? 1 : 0);
	}
	if (code == 0 && r->creds.identity_token) {
		code = add_param(&q, tx.easy, "grant_type", "refresh_token");
		if (code == 0)
			code = add_param(&q, tx.easy, "client_id", "customs");
		if (code == 0)
			code = add_param(&q, tx.easy, "refresh_token", r->creds.identity_token);
	}
	if (code < 0) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	memset(&rq, 0, sizeof(rq));
	if (r->creds.identity_token) {
		url = strdup(ch->realm);
		rq.post = q.data ? q.data : "";
	} else {
		size_t n = strlen(ch->realm) + q.len + 2;

		if ((url = malloc(n)))
			snprintf(url, n, "%s%s%s", ch->realm, q.len ? (strchr(ch->realm, '?') ? "&" : "?") : "",
				 q.len ? q.data : "");
		if (cs_creds_any(&r->creds) && !(authz = basic_line(&r->creds))) {
			code = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (!url) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	rq.url = url;
	rq.authz = authz;
	rq.limit = TOKEN_ANSWER_MAX;
	rq.what = "the token server";
	if ((code = do_request(r, &tx, &rq, err)) < 0)
		goto done;
	if ((code = cs_token_parse(tx.body.data ? tx.body.data : "", tx.body.len, token, expires, err)) < 0)
		cs_err_prefix(err, "'%s': ", r->label);
done:
	cs_xfer_release(&tx);
	wipe_free(authz);
	if (q.data)
		memset(q.data, 0, q.len);
	cs_buf_release(&q);
	free(url);
	return code;
}

static void set_authz(cs_registry *r, char *line, bool bearer, time_t expires)
{
	wipe_free(r->authz);
	r->authz = line;
	r->authz_bearer = bearer;
	r->authz_expires = expires;
}

/* A bearer token for the challenge (cached per scope), made the current Authorization. Under auth_lock. */
static int bearer_auth(cs_registry *r, const cs_challenge *ch, const char *failed, cs_err *err)
{
	const char *scope = ch->scope[0] ? ch->scope : r->scope;
	time_t now = time(NULL);
	token_slot *slot = NULL;
	char *token = NULL, *line;
	long expires = 60;
	size_t i, n;
	int code;

	for (i = 0; i < TOKEN_SLOTS; i++)
		if (r->tokens[i].scope && !strcmp(r->tokens[i].scope, scope)) {
			slot = &r->tokens[i];
			if (slot->expires > now + 10 && (!failed || strcmp(slot->authz, failed) != 0)) {
				if (!(line = strdup(slot->authz)))
					return cs_err_set(err, CS_ENOMEM, "out of memory");
				set_authz(r, line, true, slot->expires);
				if (ch != &r->chal)
					r->chal = *ch;
				return 0;
			}
		}
	if ((code = fetch_token(r, ch, scope, &token, &expires, err)) < 0)
		return code;
	n = strlen(token) + 32;
	line = malloc(n);
	if (line)
		snprintf(line, n, "Authorization: Bearer %s", token);
	wipe_free(token);
	if (!line)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (!slot) {
		slot = &r->tokens[0];
		for (i = 0; i < TOKEN_SLOTS; i++)
			if (!r->tokens[i].scope || r->tokens[i].expires < slot->expires) {
				slot = &r->tokens[i];
				if (!r->tokens[i].scope)
					break;
			}
		free(slot->scope);
		slot->scope = strdup(scope);
	}
	wipe_free(slot->authz);
	slot->authz = strdup(line);
	slot->expires = now + expires;
	if (!slot->scope || !slot->authz) {
		free(slot->scope);
		wipe_free(slot->authz);
		slot->scope = slot->authz = NULL;
	}
	set_authz(r, line, true, now + expires);
	if (ch != &r->chal)
		r->chal = *ch;
	return 0;
}

/*
 * Answers a 401: a token for the bearer challenge, or Basic credentials.
 * failed is the Authorization line the refused request carried (NULL:
 * none). Returns 0 when there is something new to try, 1 when not (the
 * caller reports the 401), negative on errors.
 */
static int reauth(cs_registry *r, const char *www, const char *failed, cs_err *err)
{
	cs_challenge ch[CS_CHALLENGE_MAX];
	const cs_challenge *bearer = NULL, *basic = NULL;
	size_t n, i;
	int code = 1;

	cs_challenge_parse(www, strlen(www), ch, CS_CHALLENGE_MAX, &n);
	for (i = 0; i < n; i++) {
		if (!bearer && !strcmp(ch[i].scheme, "bearer") && ch[i].realm[0])
			bearer = &ch[i];
		if (!basic && !strcmp(ch[i].scheme, "basic"))
			basic = &ch[i];
	}
	pthread_mutex_lock(&r->auth_lock);
	if (r->authz && (!failed || strcmp(r->authz, failed) != 0)) {
		code = 0; /* another request renewed it meanwhile */
		goto done;
	}
	load_creds(r);
	if (bearer) {
		code = bearer_auth(r, bearer, failed, err);
	} else if (basic) {
		char *line;

		if (!cs_creds_any(&r->creds) || !r->creds.username)
			goto done;
		if (!(line = basic_line(&r->creds))) {
			code = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto done;
		}
		if (failed && !strcmp(failed, line)) {
			wipe_free(line);
			goto done; /* these very credentials were refused */
		}
		set_authz(r, line, false, 0);
		code = 0;
	} else {
		code = cs_err_set(err, CS_EIO, "'%s': the registry asks for authentication (401) %s", r->label,
				  www[0] ? "in a way customs does not support (neither Bearer nor Basic)"
					 : "without saying how (no WWW-Authenticate)");
	}
done:
	pthread_mutex_unlock(&r->auth_lock);
	return code;
}

/* The Authorization line for a registry request (malloc'd) or NULL; renews an expired token. */
static int registry_authz(cs_registry *r, char **out, cs_err *err)
{
	int code = 0;

	*out = NULL;
	pthread_mutex_lock(&r->auth_lock);
	if (r->authz && r->authz_bearer && r->chal.realm[0] && time(NULL) + 5 >= r->authz_expires)
		code = bearer_auth(r, &r->chal, r->authz, err);
	if (code == 0 && r->authz && !(*out = strdup(r->authz)))
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
	pthread_mutex_unlock(&r->auth_lock);
	return code;
}

/* ---- one request, with redirects, authentication and retries --------------------- */

static int status_error(cs_registry *r, const cs_xfer *x, const req *rq, const char *host, bool sent_auth,
			cs_err *err)
{
	char words[256], hint[200];
	long s = x->status;

	registry_words(x, words, sizeof(words));
	hint[0] = '\0';
	if (s == 401 || (s == 403 && rq->registry)) {
		/* requests to the token server run under auth_lock already */
		if (rq->registry)
			pthread_mutex_lock(&r->auth_lock);
		if (sent_auth && cs_creds_any(&r->creds))
			snprintf(hint, sizeof(hint), "; the credentials from %s were not accepted", r->creds.from);
		else if (!cs_creds_any(&r->creds))
			snprintf(hint, sizeof(hint), "; log in (docker login, podman login) or give --username and --password-stdin");
		if (rq->registry)
			pthread_mutex_unlock(&r->auth_lock);
	}
	if (!rq->registry)
		return cs_err_set(err, CS_EIO, "'%s': %s '%s' answered: %s (%ld)%s", r->label, rq->what, host,
				  words[0] ? words : cs_http_status_words(s), s, hint);
	return cs_err_set(err, s == 404 ? CS_ENOTFOUND : CS_EIO, "'%s': %s%s%s (%ld)%s", r->label,
			  rq->what ? rq->what : "", rq->what ? ": " : "", words[0] ? words : cs_http_status_words(s), s, hint);
}

/*
 * Runs rq on x: on the registry with its Authorization (renewed once on a
 * 401), following redirects by hand with credentials only for the first
 * origin, retrying 5xx, 429 and broken connections. On success the final
 * answer is 2xx: whole (rq->limit) or with only its headers read (a stream).
 */
static int do_request(cs_registry *r, cs_xfer *x, const req *rq, cs_err *err)
{
	char home[512], origin[512], host[300], why[CURL_ERROR_SIZE + 64], words[200];
	char *url = NULL, *authz = NULL;
	unsigned attempt = 0, redirects;
	long waited = 0, wait;
	bool reauthed = false;
	int code = 0;

	if (!cs_url_origin(rq->url, home, sizeof(home), host, sizeof(host)))
		return cs_err_set(err, CS_EFORMAT, "'%s': not an http(s) URL", r->label);
	for (;;) {
		free(url);
		if (!(url = strdup(rq->url)))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		redirects = 0;
		for (;;) {
			bool at_home;
			long s;

			cs_url_origin(url, origin, sizeof(origin), host, sizeof(host));
			at_home = !strcmp(origin, home);
			wipe_free(authz);
			authz = NULL;
			if (at_home && rq->registry) {
				if ((code = registry_authz(r, &authz, err)) < 0)
					goto done;
			} else if (at_home && rq->authz && !(authz = strdup(rq->authz))) {
				code = cs_err_set(err, CS_ENOMEM, "out of memory");
				goto done;
			}
			if (cs_xfer_start(x, &r->http, url, rq->accept, authz, rq->post, rq->limit, rq->offset) < 0) {
				code = cs_err_set(err, CS_ENOMEM, "out of memory");
				goto done;
			}
			cs_xfer_pump(x, CS_XFER_HEADERS);
			if (!x->hdr_done)
				goto broken;
			s = x->status;
			if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
				char *loc = NULL, lorigin[512], lhost[300];

				cs_xfer_pump(x, CS_XFER_DONE);
				curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
				if (!loc || !cs_url_origin(loc, lorigin, sizeof(lorigin), lhost, sizeof(lhost))) {
					code = cs_err_set(err, CS_EIO, "'%s': %s%s'%s' redirected (%ld) to no usable location",
							  r->label, rq->what ? rq->what : "", rq->what ? ": " : "", host, s);
					goto done;
				}
				if (++redirects > MAX_REDIRECTS) {
					code = cs_err_set(err, CS_EIO, "'%s': %s%smore than %d redirects", r->label,
							  rq->what ? rq->what : "", rq->what ? ": " : "", MAX_REDIRECTS);
					goto done;
				}
				if (cs_str_starts(lorigin, "http:") && !r->o.insecure &&
				    (cs_str_starts(origin, "https:") || !cs_ref_host_is_loopback(lhost))) {
					code = cs_err_set(err, CS_EIO, "'%s': %s%s'%s' redirected to plain HTTP at '%s': refused (--insecure allows it)",
							  r->label, rq->what ? rq->what : "", rq->what ? ": " : "", host, lhost);
					goto done;
				}
				free(url);
				if (!(url = strdup(loc))) {
					code = cs_err_set(err, CS_ENOMEM, "out of memory");
					goto done;
				}
				continue;
			}
			if (s == 401 && rq->registry && at_home && !reauthed) {
				cs_xfer_pump(x, CS_XFER_DONE);
				reauthed = true;
				if ((code = reauth(r, x->www, authz, err)) < 0)
					goto done;
				if (code == 0)
					continue;
				code = status_error(r, x, rq, host, authz != NULL, err);
				goto done;
			}
			if (s == 429 || s >= 500) {
				curl_off_t ra = -1;

				cs_xfer_pump(x, CS_XFER_DONE);
				curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra);
				registry_words(x, words, sizeof(words));
				snprintf(why, sizeof(why), "%s (%ld)", words[0] ? words : cs_http_status_words(s), s);
				if (ra > RETRY_AFTER_MAX_S) {
					code = cs_err_set(err, CS_EIO, "'%s': %s%s'%s' answered %s and asks to retry after %lld s",
							  r->label, rq->what ? rq->what : "", rq->what ? ": " : "", host, why,
							  (long long)ra);
					goto done;
				}
				wait = ra >= 0 ? (long)ra * 1000L : -1;
				goto retry;
			}
			if (s >= 200 && s < 300) {
				if (rq->limit) {
					cs_xfer_pump(x, CS_XFER_DONE);
					if (x->too_big) {
						code = cs_err_set(err, CS_ELIMIT, "'%s': %s%sthe answer is larger than the %llu bytes allowed",
								  r->label, rq->what ? rq->what : "", rq->what ? ": " : "",
								  (unsigned long long)rq->limit);
						goto done;
					}
					if (x->oom) {
						code = cs_err_set(err, CS_ENOMEM, "out of memory");
						goto done;
					}
					if (x->result != CURLE_OK)
						goto broken;
				}
				code = 0;
				goto done;
			}
			cs_xfer_pump(x, CS_XFER_DONE);
			code = status_error(r, x, rq, host, authz != NULL, err);
			goto done;
		}
	broken:
		/* no complete answer: the connection failed */
		cs_xfer_why(x, why, sizeof(why));
		if (!cs_xfer_transient(x->result, rq->first && attempt == 0) || attempt + 1 >= MAX_ATTEMPTS) {
			bool reg = !strcmp(origin, home) && rq->registry;

			code = cs_err_set(err, CS_EIO, "'%s': %s%scannot reach %s'%s': %s%s", r->label, rq->what ? rq->what : "",
					  rq->what ? ": " : "", reg ? "registry " : "", host, why,
					  attempt ? " (after retries)" : "");
			goto done;
		}
		wait = -1;
	retry:
		if (attempt + 1 >= MAX_ATTEMPTS) {
			code = cs_err_set(err, CS_EIO, "'%s': %s%s'%s' answered %s, %u times", r->label,
					  rq->what ? rq->what : "", rq->what ? ": " : "", host, why, attempt + 1);
			goto done;
		}
		if (wait < 0)
			wait = RETRY_FIRST_MS << attempt;
		if (waited + wait > RETRY_TOTAL_MS) {
			code = cs_err_set(err, CS_EIO, "'%s': %s%s'%s': %s; gave up after %ld s of retries", r->label,
					  rq->what ? rq->what : "", rq->what ? ": " : "", host, why, waited / 1000);
			goto done;
		}
		cs_xfer_detach(x);
		nap(wait);
		waited += wait;
		attempt++;
	}
done:
	free(url);
	wipe_free(authz);
	return code;
}

/* ---- the layout's members ---------------------------------------------------------- */

/* "blobs/sha256/<hex>" -> "sha256:<hex>"; false for any other name. */
static bool member_digest(const char *member, char digest[CS_DIGEST_MAX])
{
	if (!cs_str_starts(member, "blobs/sha256/"))
		return false;
	snprintf(digest, CS_DIGEST_MAX, "sha256:%.64s", member + 13);
	return strlen(member) == 13 + 64 && cs_digest_valid(digest);
}

static int cache_put(cs_registry *r, const char *name, char *data, size_t len, cs_err *err)
{
	cached *c = cs_arena_calloc(&r->arena, 1, sizeof(*c));

	if (!c || !(c->name = cs_arena_strdup(&r->arena, name)) || cs_map_put(&r->cache, c->name, c) < 0) {
		free(data);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	c->data = data;
	c->len = len;
	return 0;
}

/* Remembers the manifests an index names: they come from /manifests/, not /blobs/. */
static int note_children(cs_registry *r, const cJSON *doc, cs_err *err)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, cs_json_arr(doc, "manifests"))
	{
		const char *dg = cs_json_str(d, "digest");
		char *k;

		if (!dg || !cs_digest_valid(dg) || !cs_str_starts(dg, "sha256:") || cs_map_get(&r->manifests, dg))
			continue;
		if (!(k = cs_arena_strdup(&r->arena, dg)) || cs_map_put(&r->manifests, k, k) < 0)
			return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	return 0;
}

/* A whole read on the JSON transfer (under ctl_lock); the body moves to out. */
static int get_whole(cs_registry *r, const char *path, const char *accept, const char *what, uint64_t limit,
		     bool first, cs_buf *out, cs_err *err)
{
	char url[CS_REF_NAME_MAX * 2 + 256];
	req rq;
	int code;

	snprintf(url, sizeof(url), "%s%s", r->base, path);
	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.registry = true;
	rq.accept = accept;
	rq.limit = limit;
	rq.what = what;
	rq.first = first;
	if ((code = do_request(r, &r->ctl, &rq, err)) < 0)
		return code;
	cs_buf_release(out);
	*out = r->ctl.body;
	cs_buf_init(&r->ctl.body, 0);
	if (!out->data && cs_buf_grow(out, 1) < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return 0;
}

/* Fetches a JSON blob or manifest into the cache. Under ctl_lock. */
static int fetch_member(cs_registry *r, const char *member, const char *digest, uint64_t *size, cs_err *err)
{
	char path[CS_REF_NAME_MAX + 128], what[128], got[CS_DIGEST_MAX];
	bool manifest = cs_map_get(&r->manifests, digest) != NULL;
	cs_buf b;
	cs_err e;
	int code;

	snprintf(path, sizeof(path), "/v2/%s/%s/%s", r->ref.repo, manifest ? "manifests" : "blobs", digest);
	snprintf(what, sizeof(what), "%s %.19s...", manifest ? "manifest" : "blob", digest);
	cs_buf_init(&b, 0);
	cs_err_clear(&e);
	code = get_whole(r, path, manifest ? ACCEPT_MANIFESTS : NULL, what, r->lim.max_json, false, &b, &e);
	if (code == CS_ELIMIT && r->ctl.content_length >= 0) {
		/* too large to keep: its size is all the caller learns (and refuses) */
		*size = (uint64_t)r->ctl.content_length;
		cs_buf_release(&b);
		return 0;
	}
	if (code < 0) {
		cs_err_merge(err, &e);
		goto fail;
	}
	if (manifest) {
		cJSON *doc;

		/* an index in an index: its children are manifests too */
		if ((code = cs_sha256_buf(b.data, b.len, got)) < 0 || strcmp(got, digest) != 0) {
			code = cs_err_set(err, CS_EDIGEST, "'%s': manifest %s: the registry's content is %s", r->label,
					  digest, got);
			goto fail;
		}
		if ((doc = cJSON_ParseWithLength(b.data, b.len))) {
			code = note_children(r, doc, err);
			cJSON_Delete(doc);
			if (code < 0)
				goto fail;
		}
	}
	*size = b.len;
	{
		size_t len;
		char *data = cs_buf_detach(&b, &len);

		return cache_put(r, member, data, len, err);
	}
fail:
	cs_buf_release(&b);
	return code;
}

int cs_registry_size(cs_registry *r, const char *member, uint64_t *size, cs_err *err)
{
	char digest[CS_DIGEST_MAX];
	cached *c;
	int code = 0;

	pthread_mutex_lock(&r->ctl_lock);
	if ((c = cs_map_get(&r->cache, member)))
		*size = c->len;
	else if (!member_digest(member, digest))
		code = CS_ENOTFOUND;
	else
		code = fetch_member(r, member, digest, size, err);
	pthread_mutex_unlock(&r->ctl_lock);
	return code;
}

int cs_registry_read(cs_registry *r, const char *member, uint64_t max, cs_buf *out, cs_err *err)
{
	uint64_t size;
	cached *c;
	int code;

	cs_buf_reset(out);
	if ((code = cs_registry_size(r, member, &size, err)) < 0)
		return code;
	pthread_mutex_lock(&r->ctl_lock);
	c = cs_map_get(&r->cache, member);
	pthread_mutex_unlock(&r->ctl_lock);
	if (!c || c->len > max)
		return cs_err_set(err, CS_ELIMIT, "'%s': '%s' is %llu bytes, more than the %llu allowed", r->label, member,
				  (unsigned long long)size, (unsigned long long)max);
	if ((code = cs_buf_append(out, c->data, c->len)) < 0)
		return cs_err_set(err, code, "'%s': cannot hold '%s'", r->label, member);
	return 0;
}

/* ---- streams ------------------------------------------------------------------------- */

typedef struct blob_stream {
	cs_stream base;
	cs_registry *r;
	cs_xfer x;
	char url[CS_REF_NAME_MAX * 2 + 256];
	char what[128];        /* "blob sha256:..." */
	uint64_t delivered;    /* bytes handed to the reader */
	unsigned resumes;
	bool finished;         /* read to the end */
	bool failed;
} blob_stream;

static int blob_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	blob_stream *b = (blob_stream *)s;
	cs_xfer *x = &b->x;

	*got = 0;
	if (b->finished)
		return 0;
	for (;;) {
		if (x->off < x->body.len) {
			size_t n = x->body.len - x->off < cap ? x->body.len - x->off : cap;

			memcpy(buf, x->body.data + x->off, n);
			x->off += n;
			b->delivered += n;
			*got = n;
			progress_add(b->r, n, false);
			return 0;
		}
		if (x->done) {
			char why[CURL_ERROR_SIZE + 64];
			req rq;
			int code;

			if (x->result == CURLE_OK) {
				b->finished = true;
				progress_add(b->r, 0, true);
				return 0;
			}
			if (x->oom) {
				b->failed = true;
				return cs_err_set(err, CS_ENOMEM, "out of memory");
			}
			cs_xfer_why(x, why, sizeof(why));
			if (!cs_xfer_transient(x->result, false) || b->resumes >= MAX_RESUMES) {
				char host[300], origin[512];

				b->failed = true;
				if (!cs_url_origin(b->url, origin, sizeof(origin), host, sizeof(host)))
					snprintf(host, sizeof(host), "%s", b->r->ref.host);
				/* the layer's label (its digest) prefixes this */
				return cs_err_set(err, CS_EIO, "'%s': the download from '%s' broke after %llu bytes: %s%s",
						  b->r->label, host, (unsigned long long)b->delivered, why,
						  b->resumes ? " (resumed, and broke again)" : "");
			}
			/* resume where the reader is: Range from the bytes handed out */
			nap(RETRY_FIRST_MS << b->resumes);
			b->resumes++;
			memset(&rq, 0, sizeof(rq));
			rq.url = b->url;
			rq.registry = true;
			rq.offset = b->delivered;
			if ((code = do_request(b->r, x, &rq, err)) < 0) {
				b->failed = true;
				return code;
			}
			continue;
		}
		if (x->paused) {
			x->paused = false;
			curl_easy_pause(x->easy, CURLPAUSE_CONT); /* may deliver at once */
			continue;
		}
		cs_xfer_pump(x, CS_XFER_DATA);
	}
}

static void blob_close(cs_stream *s)
{
	blob_stream *b = (blob_stream *)s;

	cs_xfer_release(&b->x);
	if (!b->finished && b->r->o.progress)
		cs_log_progress(NULL); /* a failed or abandoned pull: the next line is an error */
	free(b);
}

int cs_registry_open_member(cs_registry *r, const char *member, cs_stream **out, cs_err *err)
{
	char digest[CS_DIGEST_MAX];
	blob_stream *b;
	cached *c;
	req rq;
	int code;

	*out = NULL;
	pthread_mutex_lock(&r->ctl_lock);
	c = cs_map_get(&r->cache, member);
	pthread_mutex_unlock(&r->ctl_lock);
	if (c)
		return cs_stream_open_mem(c->data, c->len, out, err);
	if (!member_digest(member, digest))
		return CS_ENOTFOUND;
	if (!(b = calloc(1, sizeof(*b))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	b->base.read = blob_read;
	b->base.close = blob_close;
	b->r = r;
	b->finished = false;
	if (cs_xfer_init(&b->x) < 0) {
		blob_close(&b->base);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	snprintf(b->url, sizeof(b->url), "%s/v2/%s/blobs/%s", r->base, r->ref.repo, digest);
	snprintf(b->what, sizeof(b->what), "blob %.19s...", digest);
	memset(&rq, 0, sizeof(rq));
	rq.url = b->url;
	rq.registry = true;
	rq.what = b->what;
	if ((code = do_request(r, &b->x, &rq, err)) < 0) {
		b->finished = true; /* nothing was drawn for it */
		blob_close(&b->base);
		if (r->o.progress)
			cs_log_progress(NULL);
		return code;
	}
	*out = &b->base;
	return 0;
}

/* ---- opening ------------------------------------------------------------------------ */

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *ud)
{
	cs_registry *r = ud;

	CS_UNUSED(h);
	CS_UNUSED(access);
	pthread_mutex_lock(&r->share_lock[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *ud)
{
	cs_registry *r = ud;

	CS_UNUSED(h);
	pthread_mutex_unlock(&r->share_lock[data]);
}

/* GET /v2/: which scheme answers, and the authentication the registry wants. */
static int ping(cs_registry *r, cs_err *err)
{
	bool plain_ok = plain_http_ok(r, r->ref.host);
	cs_buf b;
	cs_err e1;
	int code;

	cs_buf_init(&b, 0);
	snprintf(r->base, sizeof(r->base), "https://%s", r->ref.host);
	cs_err_clear(&e1);
	code = get_whole(r, "/v2/", NULL, NULL, CS_XFER_ERROR_BODY_MAX, true, &b, &e1);
	if (code < 0 && plain_ok && !r->ctl.hdr_done &&
	    (r->ctl.result == CURLE_SSL_CONNECT_ERROR || r->ctl.result == CURLE_RECV_ERROR ||
	     r->ctl.result == CURLE_GOT_NOTHING)) {
		/* no TLS there: a plain HTTP registry, allowed on loopback or with --insecure */
		snprintf(r->base, sizeof(r->base), "http://%s", r->ref.host);
		cs_err_clear(&e1);
		code = get_whole(r, "/v2/", NULL, NULL, CS_XFER_ERROR_BODY_MAX, true, &b, &e1);
	}
	cs_buf_release(&b);
	if (code == CS_ENOTFOUND)
		return cs_err_set(err, CS_ENOTFOUND, "'%s': '%s' does not answer as a registry (GET /v2/: 404)", r->label,
				  r->ref.host);
	if (code < 0)
		cs_err_merge(err, &e1);
	return code;
}

static bool known_manifest_type(const char *mt)
{
	return !strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_OCI_MANIFEST) || !strcmp(mt, MT_DOCKER_LIST) ||
	       !strcmp(mt, MT_DOCKER_MANIFEST);
}

/* Fetches what the reference names and lays out oci-layout and index.json. */
static int resolve(cs_registry *r, cs_err *err)
{
	char path[CS_REF_NAME_MAX + 256], digest[CS_DIGEST_MAX], member[96], mt[160];
	cJSON *doc = NULL;
	const char *inner;
	cs_buf b, idx;
	int code;

	cs_buf_init(&b, 0);
	cs_buf_init(&idx, 0);
	snprintf(path, sizeof(path), "/v2/%s/manifests/%s", r->ref.repo, r->ref.digest[0] ? r->ref.digest : r->ref.tag);
	if ((code = get_whole(r, path, ACCEPT_MANIFESTS, NULL, r->lim.max_json, false, &b, err)) < 0)
		goto done;
	snprintf(mt, sizeof(mt), "%s", r->ctl.ctype);
	if (cs_str_starts(mt, MT_DOCKER_V1) ||
	    ((doc = cJSON_ParseWithLength(b.data, b.len)) && cJSON_IsNumber(cJSON_GetObjectItem(doc, "schemaVersion")) &&
	     cJSON_GetObjectItem(doc, "schemaVersion")->valuedouble == 1)) {
		code = cs_err_set(err, CS_EFORMAT,
				  "'%s': the registry has only a Docker schema 1 manifest for it, which customs does not read (push the image again with a current client)",
				  r->label);
		goto done;
	}
	if ((code = cs_sha256_buf(b.data, b.len, digest)) < 0) {
		cs_err_set(err, code, "cannot hash the manifest of '%s'", r->label);
		goto done;
	}
	if (r->ref.digest[0] && strcmp(digest, r->ref.digest) != 0) {
		code = cs_err_set(err, CS_EDIGEST, "'%s': the registry's manifest is %s, not the digest asked for", r->label,
				  digest);
		goto done;
	}
	if (cs_str_starts(r->ctl.dcd, "sha256:") && strcmp(r->ctl.dcd, digest) != 0) {
		char said[CS_DIGEST_MAX + 16];

		cs_clean_text(said, sizeof(said), r->ctl.dcd, strlen(r->ctl.dcd));
		code = cs_err_set(err, CS_EDIGEST, "'%s': the manifest's content is %s, but the registry says %s", r->label,
				  digest, said);
		goto done;
	}
	if (!doc || !cJSON_IsObject(doc)) {
		code = cs_err_set(err, CS_EFORMAT, "'%s': the registry's manifest is not a JSON object", r->label);
		goto done;
	}
	if (!known_manifest_type(mt)) {
		/* a registry that labels everything application/json: the document says */
		inner = cs_json_str(doc, "mediaType");
		snprintf(mt, sizeof(mt), "%s", inner && known_manifest_type(inner) ? inner : "");
	}
	if ((code = note_children(r, doc, err)) < 0)
		goto done;
	snprintf(member, sizeof(member), "blobs/sha256/%s", digest + 7);
	{
		size_t len;
		uint64_t n = b.len;
		char *data = cs_buf_detach(&b, &len);

		if ((code = cache_put(r, member, data, len, err)) < 0)
			goto done;
		cs_buf_printf(&idx, "{\"schemaVersion\":2,\"manifests\":[{%s%s%s\"digest\":\"%s\",\"size\":%llu}]}",
			      mt[0] ? "\"mediaType\":\"" : "", mt, mt[0] ? "\"," : "", digest, (unsigned long long)n);
	}
	{
		static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
		char *l = strdup(layout), *data;
		size_t len;

		if (!l || !idx.data) {
			free(l);
			code = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto done;
		}
		if ((code = cache_put(r, "oci-layout", l, strlen(layout), err)) < 0)
			goto done;
		data = cs_buf_detach(&idx, &len);
		code = cache_put(r, "index.json", data, len, err);
	}
done:
	cJSON_Delete(doc);
	cs_buf_release(&b);
	cs_buf_release(&idx);
	return code;
}

int cs_registry_open(cs_registry **out, const char *label, const cs_ref *ref, const cs_registry_opts *o,
		     const cs_limits *lim, cs_err *err)
{
	cs_registry *r;
	size_t i;
	int code;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	r->ref = *ref;
	if (o)
		r->o = *o;
	if (lim)
		r->lim = *lim;
	else
		cs_limits_default(&r->lim);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&r->share_lock[i], NULL);
	pthread_mutex_init(&r->auth_lock, NULL);
	pthread_mutex_init(&r->ctl_lock, NULL);
	pthread_mutex_init(&r->prog_lock, NULL);
	cs_arena_init(&r->arena);
	cs_map_init(&r->cache);
	cs_map_init(&r->manifests);
	snprintf(r->scope, sizeof(r->scope), "repository:%s:pull", ref->repo);
	if (!(r->label = strdup(label))) {
		cs_registry_free(r);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		cs_registry_free(r);
		return cs_err_set(err, CS_ENOMEM, "cannot start libcurl");
	}
	r->curl_ready = true;
	{
		const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);

		snprintf(r->capath, sizeof(r->capath), "%s", vi && vi->capath ? vi->capath : "/etc/ssl/certs");
	}
	if (!(r->share = curl_share_init()) || cs_xfer_init(&r->ctl) < 0) {
		cs_registry_free(r);
		return cs_err_set(err, CS_ENOMEM, "cannot start libcurl");
	}
	curl_share_setopt(r->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(r->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(r->share, CURLSHOPT_USERDATA, r);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	r->http.insecure = r->o.insecure;
	r->http.ca_cert = r->o.ca_cert;
	r->http.capath = r->capath;
	r->http.share = r->share;
	if (r->o.ca_cert && access(r->o.ca_cert, R_OK) != 0) {
		code = cs_err_set(err, CS_EUSAGE, "--ca-cert '%s': %s", r->o.ca_cert, strerror(errno));
		cs_registry_free(r);
		return code;
	}
	pthread_mutex_lock(&r->ctl_lock);
	code = ping(r, err);
	if (code == 0)
		code = resolve(r, err);
	pthread_mutex_unlock(&r->ctl_lock);
	if (code < 0) {
		cs_registry_free(r);
		return code;
	}
	*out = r;
	return 0;
}

void cs_registry_free(cs_registry *r)
{
	size_t i;

	if (!r)
		return;
	if (r->o.progress)
		cs_log_progress(NULL);
	cs_xfer_release(&r->ctl);
	if (r->share)
		curl_share_cleanup(r->share);
	if (r->curl_ready)
		curl_global_cleanup();
	for (i = 0; i < r->cache.cap; i++) {
		cached *c = r->cache.slots[i].key ? r->cache.slots[i].value : NULL;

		if (c)
			free(c->data);
	}
	cs_map_release(&r->cache);
	cs_map_release(&r->manifests);
	cs_arena_release(&r->arena);
	for (i = 0; i < TOKEN_SLOTS; i++) {
		free(r->tokens[i].scope);
		wipe_free(r->tokens[i].authz);
	}
	wipe_free(r->authz);
	cs_creds_release(&r->creds);
	for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&r->share_lock[i]);
	pthread_mutex_destroy(&r->auth_lock);
	pthread_mutex_destroy(&r->ctl_lock);
	pthread_mutex_destroy(&r->prog_lock);
	free(r->label);
	free(r);
}

const cs_ref *cs_registry_ref(const cs_registry *r)
{
	return &r->ref;
}
