/*
 * daemon.c - docker-daemon: and podman: targets: an image of the local
 * Docker or Podman daemon, read through the Docker Engine API on the
 * daemon's unix socket (see image.h).
 *
 *   GET /version                the API version to speak: the daemon's own
 *   GET /vX/images/NAME/json    the image exists (or a clear "no such
 *                               image"), its id and tags
 *   GET /vX/images/ID/get       `docker save` of it, streamed straight into
 *                               the docker-archive stream reader
 *                               (dockerstream.c): nothing is written to disk
 *
 * The socket: $DOCKER_HOST (unix:// only), else /var/run/docker.sock; for
 * podman: $CONTAINER_HOST, else $XDG_RUNTIME_DIR/podman/podman.sock when it
 * exists, else /run/podman/podman.sock.
 *
 * The body is pulled through libcurl's multi interface: a read of the
 * stream drives the transfer until bytes arrive, and the transfer pauses
 * while DAEMON_AHEAD bytes wait to be read, so memory stays bounded
 * whatever the image's size and however slow the scan.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strutil.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <unistd.h>

#define DAEMON_SMALL_MAX (8u << 20)    /* largest /version or /json answer accepted */
#define DAEMON_ERR_MAX (64u << 10)     /* bytes of an error answer kept for its message */
#define DAEMON_AHEAD (1u << 20)        /* bytes received ahead of the reader before pausing */
#define DAEMON_NAME_MAX 512            /* longest image name or id accepted */
#define DAEMON_CONNECT_TIMEOUT 10L     /* seconds */
#define DAEMON_SMALL_TIMEOUT 120L      /* seconds for a /version or /json answer */
#define DAEMON_STALL_TIME 600L         /* seconds without a byte before a stream is given up */

typedef struct xfer {
	CURL *c;
	CURLM *m;
	char curl_err[CURL_ERROR_SIZE];
	const char *target;   /* for messages; borrowed from the image */
	char sock[4096];      /* the daemon's socket */
	char url[1024];       /* for messages: the request's path */
	cs_buf body;          /* bytes received; body.data[pos..] not read yet */
	size_t pos;
	size_t max;           /* most bytes of a whole answer (not a stream) */
	bool stream;          /* the answer is streamed: pause instead of failing at max */
	bool paused;          /* on_body paused the transfer */
	bool done;            /* the transfer is over; result says how */
	bool too_big, oom;
	CURLcode result;
	cs_stream base;       /* streams: what the store reads */
} xfer;

static void xfer_free(xfer *x)
{
	if (!x)
		return;
	if (x->m && x->c)
		curl_multi_remove_handle(x->m, x->c);
	if (x->c)
		curl_easy_cleanup(x->c);
	if (x->m)
		curl_multi_cleanup(x->m);
	cs_buf_release(&x->body);
	free(x);
	curl_global_cleanup();
}

static long status_of(const xfer *x)
{
	long st = 0;

	curl_easy_getinfo(x->c, CURLINFO_RESPONSE_CODE, &st);
	return st;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	xfer *x = ud;
	size_t len = size * n, cap = x->max;

	if (x->stream && status_of(x) == 200) {
		if (x->body.len - x->pos >= DAEMON_AHEAD) {
			x->paused = true;
			return CURL_WRITEFUNC_PAUSE;
		}
		cap = SIZE_MAX;
	} else if (x->stream) {
		cap = DAEMON_ERR_MAX; /* an error answer: enough of it for the message */
	}
	if (x->pos && x->pos == x->body.len) {
		cs_buf_reset(&x->body);
		x->pos = 0;
	}
	if (len > cap - x->body.len) {
		if (!x->stream) {
			x->too_big = true;
			return 0;
		}
		len = cap - x->body.len;
	}
	if (len && cs_buf_append(&x->body, p, len) < 0) {
		x->oom = true;
		return 0;
	}
	return size * n;
}

/* Drives the transfer a step: delivers what the socket has, or waits for it up to a second. */
static void pump(xfer *x)
{
	CURLMsg *msg;
	int running = 0, left;

	if (x->paused && x->pos == x->body.len) {
		x->paused = false;
		curl_easy_pause(x->c, CURLPAUSE_CONT);
	}
	if (curl_multi_perform(x->m, &running) != CURLM_OK) {
		x->done = true;
		x->result = CURLE_FAILED_INIT;
		return;
	}
	while ((msg = curl_multi_info_read(x->m, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE) {
			x->done = true;
			x->result = msg->data.result;
		}
	if (!x->done && x->pos == x->body.len && !x->paused)
		curl_multi_poll(x->m, NULL, 0, 1000, NULL);
}

/* The transfer failed: why, in words that name the daemon. */
static int xfer_fail(xfer *x, cs_err *err)
{
	long oserr = 0;
	char why[256];
	size_t i;

	if (x->oom)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (x->too_big)
		return cs_err_set(err, CS_ELIMIT, "'%s': the daemon's answer to %s passes %u bytes", x->target,
				  x->url, (unsigned)x->max);
	if (x->result == CURLE_COULDNT_CONNECT) {
		curl_easy_getinfo(x->c, CURLINFO_OS_ERRNO, &oserr);
		snprintf(why, sizeof(why), "%s", oserr ? strerror((int)oserr) : "cannot connect");
		why[0] = (char)tolower((unsigned char)why[0]);
		if (oserr == EACCES || oserr == EPERM)
			return cs_err_set(err, CS_EIO, "'%s': cannot connect to the daemon at %s (%s)", x->target,
					  x->sock, why);
		return cs_err_set(err, CS_EIO, "'%s': no daemon at %s (%s); is docker or podman running?",
				  x->target, x->sock, why);
	}
	snprintf(why, sizeof(why), "%s", x->curl_err[0] ? x->curl_err : curl_easy_strerror(x->result));
	for (i = 0; why[i]; i++)
		if ((unsigned char)why[i] < 32)
			why[i] = ' ';
	return cs_err_set(err, CS_EIO, "'%s': the daemon at %s broke off %s: %s", x->target, x->sock, x->url,
			  why);
}

/* Starts GET path on the daemon; stream says how the body is taken (see on_body). */
static int xfer_start(xfer **out, const char *target, const char *sock, const char *path, bool stream,
		      cs_err *err)
{
	xfer *x;

	*out = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cs_err_set(err, CS_ERR, "cannot start libcurl");
	if (!(x = calloc(1, sizeof(*x)))) {
		curl_global_cleanup();
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	cs_buf_init(&x->body, 0);
	x->target = target;
	x->stream = stream;
	x->max = DAEMON_SMALL_MAX;
	snprintf(x->sock, sizeof(x->sock), "%s", sock);
	snprintf(x->url, sizeof(x->url), "%s", path);
	if (!(x->c = curl_easy_init()) || !(x->m = curl_multi_init())) {
		xfer_free(x);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	{
		char url[1100];

		/* the host is a placeholder: the socket is the address */
		snprintf(url, sizeof(url), "http://localhost%s", path);
		curl_easy_setopt(x->c, CURLOPT_URL, url);
	}
	curl_easy_setopt(x->c, CURLOPT_UNIX_SOCKET_PATH, x->sock);
	curl_easy_setopt(x->c, CURLOPT_ERRORBUFFER, x->curl_err);
	curl_easy_setopt(x->c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(x->c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->c, CURLOPT_CONNECTTIMEOUT, DAEMON_CONNECT_TIMEOUT);
	if (stream) {
		curl_easy_setopt(x->c, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(x->c, CURLOPT_LOW_SPEED_TIME, DAEMON_STALL_TIME);
	} else {
		curl_easy_setopt(x->c, CURLOPT_TIMEOUT, DAEMON_SMALL_TIMEOUT);
	}
	curl_easy_setopt(x->c, CURLOPT_USERAGENT, "customs");
	curl_easy_setopt(x->c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->c, CURLOPT_WRITEDATA, x);
	if (curl_multi_add_handle(x->m, x->c) != CURLM_OK) {
		xfer_free(x);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	*out = x;
	return 0;
}

/* The daemon's own words from an error answer ({"message": "..."}), else "". */
static void daemon_message(const xfer *x, char *out, size_t n)
{
	cJSON *j = cJSON_ParseWithLength(x->body.data ? x->body.data : "", x->body.len);
	const char *msg = cs_json_str(j, "message");
	size_t i;

	snprintf(out, n, "%s", msg ? msg : "");
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] < 32)
			out[i] = ' ';
	cJSON_Delete(j);
}

/*
 * GET path, the answer whole: *status and the body (x->body) once it is
 * over. The connection's failure is an error; an HTTP error status is not.
 */
static int get_small(const char *target, const char *sock, const char *path, xfer **out, long *status,
		     cs_err *err)
{
	xfer *x;
	int code;

	*out = NULL;
	if ((code = xfer_start(&x, target, sock, path, false, err)) < 0)
		return code;
	while (!x->done)
		pump(x);
	if (x->result != CURLE_OK) {
		code = xfer_fail(x, err);
		xfer_free(x);
		return code;
	}
	*status = status_of(x);
	*out = x;
	return 0;
}

/* ---- the stream ------------------------------------------------------------- */

static int stream_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	xfer *x = (xfer *)((char *)s - offsetof(xfer, base));
	size_t n;

	*got = 0;
	while (x->pos == x->body.len && !x->done)
		pump(x);
	if (x->pos < x->body.len) {
		n = x->body.len - x->pos;
		if (n > cap)
			n = cap;
		memcpy(buf, x->body.data + x->pos, n);
		x->pos += n;
		*got = n;
		return 0;
	}
	return x->result == CURLE_OK ? 0 : xfer_fail(x, err);
}

static void stream_close(cs_stream *s)
{
	xfer_free((xfer *)((char *)s - offsetof(xfer, base)));
}

/* ---- the target ------------------------------------------------------------- */

/*
 * An image name, tag, digest reference or id as the API takes it in a
 * path: no character that would need escaping, no empty, "." or ".."
 * segment that could make it another endpoint.
 */
static bool name_ok(const char *name)
{
	const char *p, *seg = name;
	size_t n = strlen(name);

	if (!n || n > DAEMON_NAME_MAX || name[0] == '-')
		return false;
	for (p = name;; p++) {
		if (*p == '/' || !*p) {
			size_t len = (size_t)(p - seg);

			if (!len || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
				return false;
			if (!*p)
				return true;
			seg = p + 1;
		} else if (!isalnum((unsigned char)*p) && !strchr("._-:@", *p)) {
			return false;
		}
	}
}

/* The daemon's socket path for transport, from the environment or the default. */
static int find_socket(const char *target, bool podman, char *out, size_t n, cs_err *err)
{
	const char *var = podman ? "CONTAINER_HOST" : "DOCKER_HOST";
	const char *env = getenv(var), *xdg;

	if (env && *env) {
		if (!cs_str_starts(env, "unix://"))
			return cs_err_set(err, CS_EUSAGE,
					  "'%s': %s=%s is not supported: customs reaches the daemon on a unix socket only (unix:///path)",
					  target, var, env);
		if (env[7] != '/' || strlen(env + 7) >= n || strlen(env + 7) >= 108)
			return cs_err_set(err, CS_EUSAGE, "'%s': %s=%s: not an absolute socket path that fits", target,
					  var, env);
		snprintf(out, n, "%s", env + 7);
		return 0;
	}
	if (podman && (xdg = getenv("XDG_RUNTIME_DIR")) && *xdg) {
		snprintf(out, n, "%s/podman/podman.sock", xdg);
		if (access(out, F_OK) == 0)
			return 0;
	}
	snprintf(out, n, "%s", podman ? "/run/podman/podman.sock" : "/var/run/docker.sock");
	return 0;
}

/* "1.41" and the like: digits, a dot, digits. */
static bool api_version_ok(const char *v)
{
	size_t i = 0, dots = 0;

	if (!v || !isdigit((unsigned char)v[0]) || strlen(v) > 10)
		return false;
	for (i = 0; v[i]; i++) {
		if (v[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)v[i]))
			return false;
	}
	return dots == 1 && v[i - 1] != '.';
}

int cs_daemon_open(cs_image *img, const char *transport, const char *name, cs_err *err)
{
	bool podman = !strcmp(transport, "podman");
	const char *target = img->name;
	char sock[4096], api[24] = "", path[1024], id[DAEMON_NAME_MAX + 1];
	xfer *x = NULL;
	cJSON *j = NULL;
	const cJSON *tags, *t;
	long status = 0;
	size_t i;
	int code;

	if (!name_ok(name))
		return cs_err_set(err, CS_EUSAGE, "'%s': '%s' is not an image name, name:tag, name@digest or id",
				  target, name);
	if ((code = find_socket(target, podman, sock, sizeof(sock), err)) < 0)
		return code;

	/* The API version: the daemon's own, which it is sure to speak (recent ones refuse old versions). */
	if ((code = get_small(target, sock, "/version", &x, &status, err)) < 0)
		return code;
	if (status == 200 && (j = cJSON_ParseWithLength(x->body.data ? x->body.data : "", x->body.len)) &&
	    api_version_ok(cs_json_str(j, "ApiVersion")))
		snprintf(api, sizeof(api), "/v%s", cs_json_str(j, "ApiVersion"));
	cJSON_Delete(j);
	j = NULL;
	xfer_free(x);
	x = NULL;

	snprintf(path, sizeof(path), "%s/images/%s/json", api, name);
	if ((code = get_small(target, sock, path, &x, &status, err)) < 0)
		return code;
	if (status != 200) {
		char msg[512];

		daemon_message(x, msg, sizeof(msg));
		code = status == 404 ? cs_err_set(err, CS_ENOTFOUND, "'%s': no such image '%s' in the daemon at %s",
						  target, name, sock)
				     : cs_err_set(err, CS_EIO, "'%s': the daemon at %s answered %ld to %s%s%s", target,
						  sock, status, path, msg[0] ? ": " : "", msg);
		goto done;
	}
	if (!(j = cs_json_parse(x->body.data ? x->body.data : "", x->body.len, path, err)) || !cJSON_IsObject(j)) {
		code = cs_err_set(err, CS_EFORMAT, "'%s': the daemon's answer to %s is not a JSON object", target, path);
		goto done;
	}
	/* The id, not the name: the image saved is the one inspected, even if a tag moves meanwhile. */
	snprintf(id, sizeof(id), "%s", cs_json_str(j, "Id") && cs_digest_valid(cs_json_str(j, "Id")) ?
					      cs_json_str(j, "Id") : name);
	tags = cs_json_arr(j, "RepoTags");
	img->repo_tags = cs_arena_calloc(&img->arena, (size_t)cJSON_GetArraySize(tags) + 1, sizeof(char *));
	if (!img->repo_tags) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	i = 0;
	cJSON_ArrayForEach(t, tags)
	{
		if (cJSON_IsString(t) && !(img->repo_tags[i++] = cs_arena_strdup(&img->arena, t->valuestring))) {
			code = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto done;
		}
	}
	img->nrepo_tags = i;
	xfer_free(x);
	x = NULL;

	snprintf(path, sizeof(path), "%s/images/%s/get", api, id);
	if ((code = xfer_start(&x, target, sock, path, true, err)) < 0)
		goto done;
	/* Wait for the answer to start: its status says whether there is an archive to read. */
	while (x->body.len == 0 && !x->done)
		pump(x);
	status = status_of(x);
	if (x->result != CURLE_OK && status == 0) {
		code = xfer_fail(x, err);
		goto done;
	}
	if (status != 200) {
		char msg[512];

		while (!x->done)
			pump(x);
		daemon_message(x, msg, sizeof(msg));
		code = status == 404 ? cs_err_set(err, CS_ENOTFOUND, "'%s': no such image '%s' in the daemon at %s",
						  target, name, sock)
				     : cs_err_set(err, CS_EIO, "'%s': the daemon at %s answered %ld to %s%s%s", target,
						  sock, status, path, msg[0] ? ": " : "", msg);
		goto done;
	}
	x->base.read = stream_read;
	x->base.close = stream_close;
	code = cs_store_open_stream(&img->store, target, &x->base, &img->lim, err);
	x = NULL; /* the store owns it now, on failure too */
	if (code < 0)
		goto done;
	img->streamed = true;
	img->ref = NULL; /* the archive holds the one image asked for */
done:
	cJSON_Delete(j);
	xfer_free(x);
	return code;
}
