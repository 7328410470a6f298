/*
 * test_daemon.c - docker-daemon: and podman: targets (image/daemon.c) against
 * a small Engine API server on a unix socket in the test's temp dir (a
 * thread here), for what a real daemon will not do on demand:
 *
 *  - an archive delivered a few bytes at a time, and one far larger than
 *    the transfer's read-ahead (so it pauses and resumes): the scan of
 *    each equals the scan of the same archive from a file;
 *  - the request paths: /version first, then the API version it names;
 *    /images/NAME/json; /images/ID/get by the id inspection returned;
 *  - failures, each one line naming the target: no socket, a socket
 *    nobody listens on, no such image (404), the daemon's own error (500
 *    with its message), the stream cut short (the daemon stopped), an
 *    unparsable name, a DOCKER_HOST that is not unix://.
 * The end-to-end group (tests/e2e/daemon.sh) runs a real podman service.
 */
#include "core/compat.h"

#include "image/image.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"

#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>

enum { SERVE_OK, SERVE_CUT, SERVE_404, SERVE_500, SERVE_OLD_API };

typedef struct fake {
	int lfd;
	char sock[108];
	pthread_t th;
	const uint8_t *archive; /* borrowed */
	size_t len;
	size_t piece;           /* bytes per write of the archive */
	int mode;               /* SERVE_* */
	char id[CS_DIGEST_MAX]; /* what /json says */
	char paths[8][256];     /* the requests seen, in order */
	int npaths;
} fake;

static void send_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		c += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, int status, const char *body)
{
	char head[256];

	snprintf(head, sizeof(head),
		 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 status, strlen(body));
	send_all(fd, head, strlen(head));
	send_all(fd, body, strlen(body));
}

static void *serve(void *arg)
{
	fake *f = arg;

	for (;;) {
		char req[8192], path[256] = "", body[512];
		size_t got = 0;
		int c = accept(f->lfd, NULL, NULL);

		if (c < 0)
			break;
		while (got < sizeof(req) - 1) {
			ssize_t n = recv(c, req + got, sizeof(req) - 1 - got, 0);

			if (n <= 0)
				break;
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		req[got] = '\0';
		sscanf(req, "GET %255s ", path);
		if (f->npaths < 8)
			snprintf(f->paths[f->npaths++], sizeof(f->paths[0]), "%s", path);
		if (!strcmp(path, "/version")) {
			respond(c, 200, f->mode == SERVE_OLD_API ? "{\"Version\":\"1.0\"}" : "{\"ApiVersion\":\"1.43\"}");
		} else if (cs_str_ends(path, "/json")) {
			if (f->mode == SERVE_404) {
				respond(c, 404, "{\"message\":\"No such image\"}");
			} else {
				snprintf(body, sizeof(body), "{\"Id\":\"%s\",\"RepoTags\":[\"app:1\"]}", f->id);
				respond(c, 200, body);
			}
		} else if (cs_str_ends(path, "/get") && f->mode == SERVE_500) {
			respond(c, 500, "{\"message\":\"disk on fire\"}");
		} else if (cs_str_ends(path, "/get")) {
			char head[256];
			size_t off = 0, end = f->mode == SERVE_CUT ? f->len / 2 : f->len;

			snprintf(head, sizeof(head),
				 "HTTP/1.1 200 OK\r\nContent-Type: application/x-tar\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
				 f->len);
			send_all(c, head, strlen(head));
			while (off < end) {
				size_t n = end - off < f->piece ? end - off : f->piece;

				send_all(c, f->archive + off, n);
				off += n;
			}
		} else {
			respond(c, 404, "{\"message\":\"page not found\"}");
		}
		close(c);
	}
	return NULL;
}

static bool fake_start(fake *f, const char *dir)
{
	struct sockaddr_un a;

	f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(f->sock, sizeof(f->sock), "%s/api.sock", dir);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->sock);
	if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(f->lfd, 8) < 0 ||
	    pthread_create(&f->th, NULL, serve, f) != 0) {
		CHECK(!"cannot start the fake daemon");
		return false;
	}
	return true;
}

static void fake_stop(fake *f)
{
	shutdown(f->lfd, SHUT_RDWR);
	close(f->lfd);
	pthread_join(f->th, NULL);
	unlink(f->sock);
}

/* A docker archive: one layer of n pseudo-random bytes in a file (plus an os-release), config, manifest last. */
static bool make_archive(cs_buf *out, size_t n, char id[CS_DIGEST_MAX])
{
	tarb t, outer;
	uint8_t *layer, *rnd = malloc(n ? n : 1), *arc;
	size_t ln, an, i;
	char diff[CS_DIGEST_MAX], cfg[512], man[256];
	uint32_t x = 12345;

	for (i = 0; rnd && i < n; i++) {
		x = x * 1103515245u + 12345u;
		rnd[i] = (uint8_t)(x >> 16);
	}
	tb_open(&t, 'p');
	tb_file(&t, "etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n");
	tb_entry(&t, "srv/blob.bin", AE_IFREG, 0644, rnd, n, NULL, NULL);
	layer = tb_close(&t, &ln);
	free(rnd);
	if (!layer)
		return false;
	cs_sha256_buf(layer, ln, diff);
	snprintf(cfg, sizeof(cfg), "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		 diff);
	cs_sha256_buf(cfg, strlen(cfg), id);
	snprintf(man, sizeof(man), "[{\"Config\":\"%.64s.json\",\"RepoTags\":null,\"Layers\":[\"l/layer.tar\"]}]", id + 7);
	tb_open(&outer, 'p');
	tb_entry(&outer, "l/layer.tar", AE_IFREG, 0644, layer, ln, NULL, NULL);
	{
		char name[80];

		snprintf(name, sizeof(name), "%.64s.json", id + 7);
		tb_file(&outer, name, cfg);
	}
	tb_file(&outer, "manifest.json", man);
	arc = tb_close(&outer, &an);
	free(layer);
	cs_buf_reset(out);
	if (!arc || cs_buf_append(out, arc, an) < 0) {
		free(arc);
		return false;
	}
	free(arc);
	return true;
}

static cs_scan *scan(const char *target, cs_err *err)
{
	cs_scan *s = NULL;
	cs_scan_opts o;

	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_SECRET;
	cs_err_clear(err);
	if (cs_scan_run(&s, target, false, &o, err) < 0) {
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

/* The daemon scan of an archive of n random bytes, delivered piece bytes at a time, equals the file scan. */
static void check_delivery(size_t n, size_t piece)
{
	char dir[] = "/tmp/customs-daemon-XXXXXX", file[300], env[200];
	fake f;
	cs_buf arc;
	cs_scan *a = NULL, *b = NULL;
	cs_err err;

	memset(&f, 0, sizeof(f));
	cs_buf_init(&arc, 0);
	if (!mkdtemp(dir) || !make_archive(&arc, n, f.id)) {
		CHECK(!"setup");
		return;
	}
	snprintf(file, sizeof(file), "%s/a.tar", dir);
	CHECK(cf_write(file, arc.data, arc.len));
	f.archive = (const uint8_t *)arc.data;
	f.len = arc.len;
	f.piece = piece;
	if (!fake_start(&f, dir))
		goto done;
	snprintf(env, sizeof(env), "unix://%s", f.sock);
	setenv("DOCKER_HOST", env, 1);
	b = scan("docker-daemon:app:1", &err);
	if (!b)
		fprintf(stderr, "  daemon scan failed: %s\n", err.msg);
	CHECK(b != NULL);
	snprintf(env, sizeof(env), "docker-archive:%.150s", file);
	a = scan(env, &err);
	CHECK(a != NULL);
	if (a && b) {
		CHECK_INT(cs_scan_layer_count(b), 1);
		CHECK_STR(cs_scan_layer(b, 0)->diff_id, cs_scan_layer(a, 0)->diff_id);
		CHECK_INT(cs_scan_layer(b, 0)->entries, cs_scan_layer(a, 0)->entries);
		CHECK_STR(cs_scan_artifact(b)->image_id, f.id);
		/* the archive (saved by id) has no tags: inspection's */
		CHECK_INT(cs_scan_artifact(b)->nrepo_tags, 1);
		CHECK(cs_scan_os(b) && cs_scan_os(a) && cf_str_eq(cs_scan_os(b)->version, cs_scan_os(a)->version));
	}
	fake_stop(&f);
	CHECK_INT(f.npaths, 3);
	CHECK_STR(f.paths[0], "/version");
	CHECK_STR(f.paths[1], "/v1.43/images/app:1/json");
	{
		char want[200];

		snprintf(want, sizeof(want), "/v1.43/images/%s/get", f.id);
		CHECK_STR(f.paths[2], want);
	}
done:
	unsetenv("DOCKER_HOST");
	cs_scan_free(a);
	cs_scan_free(b);
	unlink(file);
	rmdir(dir);
	cs_buf_release(&arc);
}

TEST(trickled) { check_delivery(3000, 7); }
TEST(larger_than_read_ahead) { check_delivery(9u << 20, 65536); }

/* The scan of target against a fake daemon in mode fails with code and a message holding both needles. */
static void check_mode(int mode, const char *target, int code, const char *n1, const char *n2)
{
	char dir[] = "/tmp/customs-daemon-XXXXXX", env[200];
	fake f;
	cs_buf arc;
	cs_scan *s;
	cs_err err;

	memset(&f, 0, sizeof(f));
	cs_buf_init(&arc, 0);
	if (!mkdtemp(dir) || !make_archive(&arc, 200000, f.id)) {
		CHECK(!"setup");
		return;
	}
	f.archive = (const uint8_t *)arc.data;
	f.len = arc.len;
	f.piece = 4096;
	f.mode = mode;
	if (fake_start(&f, dir)) {
		snprintf(env, sizeof(env), "unix://%s", f.sock);
		setenv("DOCKER_HOST", env, 1);
		s = scan(target, &err);
		CHECK(s == NULL);
		CHECK_INT(err.code, code);
		if (!strstr(err.msg, n1) || (n2 && !strstr(err.msg, n2))) {
			fprintf(stderr, "  message lacks '%s' or '%s': %s\n", n1, n2 ? n2 : "", err.msg);
			test_failures++;
		}
		CHECK(!strchr(err.msg, '\n'));
		cs_scan_free(s);
		fake_stop(&f);
	}
	unsetenv("DOCKER_HOST");
	rmdir(dir);
	cs_buf_release(&arc);
}

TEST(no_such_image) { check_mode(SERVE_404, "docker-daemon:nope:1", CS_ENOTFOUND, "no such image 'nope:1'", "'docker-daemon:nope:1'"); }
TEST(daemon_error) { check_mode(SERVE_500, "docker-daemon:app:1", CS_EIO, "answered 500", "disk on fire"); }
TEST(stream_cut_short) { check_mode(SERVE_CUT, "docker-daemon:app:1", CS_EIO, "broke off", "'docker-daemon:app:1'"); }

TEST(unversioned_api)
{
	/* a daemon that names no API version: plain paths, and the scan works */
	char dir[] = "/tmp/customs-daemon-XXXXXX", env[200];
	fake f;
	cs_buf arc;
	cs_scan *s;
	cs_err err;

	memset(&f, 0, sizeof(f));
	cs_buf_init(&arc, 0);
	if (!mkdtemp(dir) || !make_archive(&arc, 100, f.id))
		return;
	f.archive = (const uint8_t *)arc.data;
	f.len = arc.len;
	f.piece = 4096;
	f.mode = SERVE_OLD_API;
	if (fake_start(&f, dir)) {
		snprintf(env, sizeof(env), "unix://%s", f.sock);
		setenv("CONTAINER_HOST", env, 1);
		s = scan("podman:app:1", &err);
		CHECK(s != NULL);
		cs_scan_free(s);
		fake_stop(&f);
		CHECK_STR(f.paths[1], "/images/app:1/json");
	}
	unsetenv("CONTAINER_HOST");
	rmdir(dir);
	cs_buf_release(&arc);
}

TEST(no_daemon)
{
	char dir[] = "/tmp/customs-daemon-XXXXXX", sock[200], env[220];
	cs_scan *s;
	cs_err err;
	struct sockaddr_un a;
	int fd;

	if (!mkdtemp(dir))
		return;
	snprintf(sock, sizeof(sock), "%s/none.sock", dir);
	snprintf(env, sizeof(env), "unix://%s", sock);
	setenv("DOCKER_HOST", env, 1);
	s = scan("docker-daemon:alpine", &err);
	CHECK(s == NULL && err.code == CS_EIO);
	CHECK(strstr(err.msg, "no daemon at") && strstr(err.msg, sock) && strstr(err.msg, "no such file"));
	/* a socket bound once, nobody listening: refused */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof(a.sun_path), "%.100s", sock);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	close(fd);
	s = scan("docker-daemon:alpine", &err);
	CHECK(s == NULL && err.code == CS_EIO);
	CHECK(strstr(err.msg, "(connection refused); is docker or podman running?") != NULL);
	unlink(sock);
	rmdir(dir);
	unsetenv("DOCKER_HOST");
}

TEST(refused_before_connecting)
{
	static const char *const bad[] = {"docker-daemon:", "docker-daemon:../../containers/json", "docker-daemon:a//b",
					  "docker-daemon:-x", "docker-daemon:a b", "docker-daemon:a?all=1",
					  "podman:./x"};
	cs_scan *s;
	cs_err err;
	size_t i;

	setenv("DOCKER_HOST", "unix:///nonexistent/d.sock", 1);
	setenv("CONTAINER_HOST", "unix:///nonexistent/p.sock", 1);
	for (i = 0; i < CS_ARRAY_LEN(bad); i++) {
		s = scan(bad[i], &err);
		CHECK(s == NULL);
		CHECK_INT(err.code, CS_EUSAGE);
		CHECK(strstr(err.msg, "not an image name") != NULL);
		cs_scan_free(s);
	}
	setenv("DOCKER_HOST", "tcp://127.0.0.1:2375", 1);
	s = scan("docker-daemon:alpine", &err);
	CHECK(s == NULL && err.code == CS_EUSAGE && strstr(err.msg, "not supported"));
	setenv("CONTAINER_HOST", "ssh://me@host/run/podman.sock", 1);
	s = scan("podman:alpine", &err);
	CHECK(s == NULL && err.code == CS_EUSAGE && strstr(err.msg, "CONTAINER_HOST"));
	unsetenv("DOCKER_HOST");
	unsetenv("CONTAINER_HOST");
}

TEST_MAIN(TEST_ENTRY(trickled), TEST_ENTRY(larger_than_read_ahead), TEST_ENTRY(no_such_image),
	  TEST_ENTRY(daemon_error), TEST_ENTRY(stream_cut_short), TEST_ENTRY(unversioned_api), TEST_ENTRY(no_daemon),
	  TEST_ENTRY(refused_before_connecting))
