/*
 * test_dockerstream.c - docker archives read in one pass from a stream that
 * cannot seek (image/dockerstream.c, the stream store of image/store.c, the
 * streamed scan of scan/scan.c), as a daemon's `docker save` arrives:
 *
 *  - the stream store: members in order, peek, keep, stream, links, and a
 *    source that fails or ends early, with uneven reads;
 *  - the oracle: every archive built here is scanned twice, from a file
 *    (the seekable reader) and through a pipe (the streamed one), and the
 *    two must agree on layers, diff_ids, packages with their layers,
 *    secrets with their layers and diagnostics;
 *  - layouts: legacy "<id>/layer.tar", podman's "<hex>.tar" with legacy
 *    symlinks, Docker 25's OCI "blobs/sha256/<hex>" (gzip layers), with
 *    manifest.json and the config last or first;
 *  - shapes: a blob at two places, an empty layer of zero blocks (kept in
 *    memory, walked at the end), a layer no image names (warned and
 *    dropped), two images in one archive (picked by tag);
 *  - hostile: truncated anywhere, a layer the manifest names that never
 *    came, a diff_id that does not match, a blob whose name is not its
 *    digest, no manifest.json: each a clear error and no scan.
 */
#include "core/compat.h"

#include "image/image.h"
#include "image/store.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"

#include <fcntl.h>

#define GH_TOKEN "ghp_R8tYq2LmZ4xW7vN1cK9pB3sD6fH0jG5aE2uQ"
#define PIPE_CAP (1u << 20) /* a pipe this big holds a whole test archive: no writer thread */

/* ---- layers ---------------------------------------------------------------- */

enum { NLAYERS = 4 }; /* base, app, cleanup, stray (the last in no image unless asked) */

static uint8_t *layer_blob(int i, size_t *n)
{
	tarb t;

	tb_open(&t, 'p');
	switch (i) {
	case 0:
		tb_dir(&t, "etc");
		tb_file(&t, "etc/os-release", "ID=alpine\nVERSION_ID=3.10.4\nPRETTY_NAME=\"Alpine Linux v3.10\"\n");
		tb_dir(&t, "lib");
		tb_dir(&t, "lib/apk");
		tb_dir(&t, "lib/apk/db");
		tb_file(&t, "lib/apk/db/installed",
			"P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\nP:busybox\nV:1.30.1-r3\nA:x86_64\no:busybox\n\n");
		break;
	case 1:
		tb_dir(&t, "srv");
		tb_dir(&t, "srv/app");
		tb_file(&t, "srv/app/token.txt", "token: " GH_TOKEN "\n");
		tb_file(&t, "srv/app/README", "nothing to see\n");
		break;
	case 2:
		tb_file(&t, "srv/app/.wh.token.txt", "");
		tb_file(&t, "lib/apk/db/installed",
			"P:musl\nV:1.1.22-r3\nA:x86_64\no:musl\n\nP:busybox\nV:1.30.1-r3\nA:x86_64\no:busybox\n\n"
			"P:zlib\nV:1.2.11-r1\nA:x86_64\no:zlib\n\n");
		break;
	default:
		tb_file(&t, "opt/stray", "a layer of another image\n");
		break;
	}
	return tb_close(&t, n);
}

/* ---- archives ------------------------------------------------------------- */

typedef struct arc_opts {
	char layout;     /* 'l' legacy <id>/layer.tar, 'p' podman <hex>.tar + symlinks, 'o' OCI blobs/sha256/ */
	bool gzip;       /* compress the layer blobs (any layout) */
	bool meta_first; /* manifest.json and the config before the layers */
	bool dup;        /* layer 1 at a fourth place too */
	bool empty;      /* an empty layer (1024 zero bytes) at the end */
	bool stray;      /* a layer member that no image names */
	bool second;     /* a second image (tag other:1) whose only layer is the stray one */
	int missing;     /* a layer the manifest names, left out of the archive; -1 none */
	int bad_diff;    /* a layer whose diff_id in the config is wrong; -1 none */
	bool bad_name;   /* OCI layout: layer 1 stored under another blob's digest */
} arc_opts;

static const arc_opts DEFAULTS = {'l', false, false, false, false, false, false, -1, -1, false};

typedef struct blob {
	uint8_t *data;
	size_t len;
	char digest[CS_DIGEST_MAX];  /* of data */
	char diff_id[CS_DIGEST_MAX]; /* of the tar */
	char member[200];
} blob;

static void blob_make(blob *b, uint8_t *tar, size_t n, bool gzip)
{
	memset(b, 0, sizeof(*b));
	cs_sha256_buf(tar, n, b->diff_id);
	if (gzip) {
		b->data = deflate_make(tar, n, 1, IGZIP_GZIP, &b->len);
		free(tar);
	} else {
		b->data = tar;
		b->len = n;
	}
	cs_sha256_buf(b->data, b->len, b->digest);
}

/* Builds the archive into out (a tar in memory); false on failure. */
static bool arc_build(cs_buf *out, const arc_opts *o)
{
	blob b[NLAYERS + 1];
	int order[8], nplaces = 0, i;
	tarb t;
	cs_buf cfg, man, cfg2;
	char cfg_digest[CS_DIGEST_MAX], cfg2_digest[CS_DIGEST_MAX], cfg_name[200], cfg2_name[200];
	size_t n, nblobs = NLAYERS;
	uint8_t *tar;
	bool ok = true;

	for (i = 0; i < NLAYERS; i++) {
		uint8_t *tar0 = layer_blob(i, &n);

		blob_make(&b[i], tar0, n, o->gzip);
	}
	if (o->empty) {
		blob_make(&b[NLAYERS], calloc(1, 1024), 1024, false);
		nblobs++;
	}
	for (i = 0; i < (int)nblobs; i++) {
		if (o->layout == 'o')
			snprintf(b[i].member, sizeof(b[i].member), "blobs/sha256/%.64s", b[i].digest + 7);
		else if (o->layout == 'p')
			snprintf(b[i].member, sizeof(b[i].member), "%.64s.tar", b[i].digest + 7);
		else
			snprintf(b[i].member, sizeof(b[i].member), "%064x/layer.tar", i + 1);
	}
	if (o->bad_name)
		snprintf(b[1].member, sizeof(b[1].member), "blobs/sha256/%.64s", b[0].digest + 7);
	order[nplaces++] = 0;
	order[nplaces++] = 1;
	order[nplaces++] = 2;
	if (o->dup)
		order[nplaces++] = 1;
	if (o->empty)
		order[nplaces++] = NLAYERS;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&cfg2, 0);
	cs_buf_init(&man, 0);
	cs_buf_puts(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"]},"
			  "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	for (i = 0; i < nplaces; i++) {
		const char *d = b[order[i]].diff_id;

		cs_buf_printf(&cfg, "%s\"%s\"", i ? "," : "",
			      i == o->bad_diff ? "sha256:0000000000000000000000000000000000000000000000000000000000000000" : d);
	}
	cs_buf_puts(&cfg, "]},\"history\":[");
	for (i = 0; i < nplaces; i++)
		cs_buf_printf(&cfg, "%s{\"created_by\":\"step %d\"}", i ? "," : "", i);
	cs_buf_puts(&cfg, "]}");
	cs_sha256_buf(cfg.data, cfg.len, cfg_digest);
	cs_buf_printf(&cfg2, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
		      b[3].diff_id);
	cs_sha256_buf(cfg2.data, cfg2.len, cfg2_digest);
	if (o->layout == 'o') {
		snprintf(cfg_name, sizeof(cfg_name), "blobs/sha256/%s", cfg_digest + 7);
		snprintf(cfg2_name, sizeof(cfg2_name), "blobs/sha256/%s", cfg2_digest + 7);
	} else {
		snprintf(cfg_name, sizeof(cfg_name), "%s.json", cfg_digest + 7);
		snprintf(cfg2_name, sizeof(cfg2_name), "%s.json", cfg2_digest + 7);
	}
	cs_buf_printf(&man, "[{\"Config\":\"%s\",\"RepoTags\":[\"app:1\"],\"Layers\":[", cfg_name);
	for (i = 0; i < nplaces; i++) {
		/* podman's manifest names the symlinks' targets, legacy and OCI the members themselves */
		cs_buf_printf(&man, "%s\"%s\"", i ? "," : "", b[order[i]].member);
	}
	cs_buf_puts(&man, "]}");
	if (o->second)
		cs_buf_printf(&man, ",{\"Config\":\"%s\",\"RepoTags\":[\"other:1\"],\"Layers\":[\"%s\"]}", cfg2_name,
			      b[3].member);
	cs_buf_puts(&man, "]");

	tb_open(&t, 'p');
	if (o->meta_first) {
		tb_entry(&t, "manifest.json", AE_IFREG, 0644, man.data, man.len, NULL, NULL);
		tb_entry(&t, cfg_name, AE_IFREG, 0644, cfg.data, cfg.len, NULL, NULL);
	}
	if (o->layout == 'o')
		tb_file(&t, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	for (i = 0; i < (int)nblobs; i++) {
		if (i == o->missing || (i == 3 && !o->stray && !o->second))
			continue;
		if (o->layout == 'l') {
			char name[300];

			snprintf(name, sizeof(name), "%064x/VERSION", i + 1);
			tb_file(&t, name, "1.0");
		}
		tb_entry(&t, b[i].member, AE_IFREG, 0644, b[i].data, b[i].len, NULL, NULL);
	}
	if (o->layout == 'p')
		for (i = 0; i < nplaces; i++) {
			char name[300], target[300];

			snprintf(name, sizeof(name), "%064x/layer.tar", i + 100);
			snprintf(target, sizeof(target), "../%s", b[order[i]].member);
			tb_symlink(&t, name, target);
			snprintf(name, sizeof(name), "%064x/json", i + 100);
			tb_file(&t, name, "{}");
		}
	if (o->second)
		tb_entry(&t, cfg2_name, AE_IFREG, 0644, cfg2.data, cfg2.len, NULL, NULL);
	if (!o->meta_first) {
		tb_entry(&t, cfg_name, AE_IFREG, 0644, cfg.data, cfg.len, NULL, NULL);
		tb_entry(&t, "manifest.json", AE_IFREG, 0644, man.data, man.len, NULL, NULL);
	}
	tb_file(&t, "repositories", "{}");
	tar = tb_close(&t, &n);
	cs_buf_reset(out);
	ok = tar && cs_buf_append(out, tar, n) == 0;
	free(tar);
	for (i = 0; i < (int)nblobs; i++)
		free(b[i].data);
	cs_buf_release(&cfg);
	cs_buf_release(&cfg2);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

/* ---- scanning a file and a pipe -------------------------------------------- */

/*
 * The archive's first n bytes in a pipe big enough to hold them, its write
 * end closed: the reader sees a stream that ends there. Returns the read
 * end (the caller closes it after the scan), -1 on failure.
 */
static int pipe_of(const uint8_t *data, size_t n)
{
	int p[2];

	if (n > PIPE_CAP || pipe(p) < 0)
		return -1;
	if (fcntl(p[1], F_SETPIPE_SZ, (int)PIPE_CAP) < (int)n || write(p[1], data, n) != (ssize_t)n) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	close(p[1]);
	return p[0];
}

/* Scans target (secrets on, no vuln database); the scan, or NULL with err set. */
static cs_scan *scan_target(const char *target, cs_err *err)
{
	cs_scan *s = NULL;
	cs_scan_opts o;

	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_SECRET;
	o.jobs = 2;
	cs_err_clear(err);
	if (cs_scan_run(&s, target, false, &o, err) < 0) {
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

/* Scans the first n bytes of the archive through a pipe ("docker-archive:/dev/fd/N[:ref]"). */
static cs_scan *scan_stream(const cs_buf *arc, size_t n, const char *ref, cs_err *err)
{
	char target[128];
	cs_scan *s;
	int fd = pipe_of((const uint8_t *)arc->data, n);

	CHECK(fd >= 0);
	if (fd < 0)
		return NULL;
	snprintf(target, sizeof(target), "docker-archive:/dev/fd/%d%s%s", fd, ref ? ":" : "", ref ? ref : "");
	s = scan_target(target, err);
	close(fd);
	return s;
}

static cs_scan *scan_file(const cs_buf *arc, const char *ref, cs_err *err)
{
	char path[256], target[300];
	cs_scan *s = NULL;

	if (!cf_tmpfile(path, sizeof(path), "dstream", ".tar"))
		return NULL;
	if (cf_write(path, arc->data, arc->len)) {
		snprintf(target, sizeof(target), "docker-archive:%s%s%s", path, ref ? ":" : "", ref ? ref : "");
		s = scan_target(target, err);
	}
	unlink(path);
	return s;
}

/* The two scans agree on everything the image holds (not on names and messages). */
static void check_same(const cs_scan *a, const cs_scan *b)
{
	size_t i;

	CHECK_INT(cs_scan_layer_count(b), cs_scan_layer_count(a));
	for (i = 0; i < cs_scan_layer_count(a) && i < cs_scan_layer_count(b); i++) {
		const cs_layer *x = cs_scan_layer(a, i), *y = cs_scan_layer(b, i);

		CHECK_STR(y->diff_id, x->diff_id);
		CHECK_STR(y->digest, x->digest);
		CHECK_STR(y->compression, x->compression);
		CHECK_STR(y->created_by, x->created_by);
		CHECK_INT(y->entries, x->entries);
		CHECK_INT(y->tar_size, x->tar_size);
	}
	CHECK_STR(cs_scan_artifact(b)->image_id, cs_scan_artifact(a)->image_id);
	CHECK_INT(cs_scan_artifact(b)->nrepo_tags, cs_scan_artifact(a)->nrepo_tags);
	CHECK_INT(cs_scan_package_count(b), cs_scan_package_count(a));
	for (i = 0; i < cs_scan_package_count(a) && i < cs_scan_package_count(b); i++) {
		const cs_package *x = cs_scan_package(a, i), *y = cs_scan_package(b, i);

		CHECK_STR(y->name, x->name);
		CHECK_STR(y->version, x->version);
		CHECK_INT(y->layer, x->layer);
	}
	CHECK_INT(cs_scan_secret_count(b), cs_scan_secret_count(a));
	for (i = 0; i < cs_scan_secret_count(a) && i < cs_scan_secret_count(b); i++) {
		const cs_secret *x = cs_scan_secret(a, i), *y = cs_scan_secret(b, i);

		CHECK_STR(y->rule_id, x->rule_id);
		CHECK_STR(y->path, x->path);
		CHECK_INT(y->layer, x->layer);
		CHECK_INT(y->removed_in, x->removed_in);
	}
	CHECK_INT(cs_scan_error_count(b), cs_scan_error_count(a));
}

/* Builds the archive of o and checks that its streamed scan equals its file scan; the streamed scan. */
static cs_scan *same_both_ways(const arc_opts *o, const char *ref)
{
	cs_buf arc;
	cs_scan *a = NULL, *b = NULL;
	cs_err err;

	cs_buf_init(&arc, 0);
	if (!arc_build(&arc, o))
		goto done;
	if (!(a = scan_file(&arc, ref, &err))) {
		fprintf(stderr, "  file scan failed: %s\n", err.msg);
		test_failures++;
		goto done;
	}
	if (!(b = scan_stream(&arc, arc.len, ref, &err))) {
		fprintf(stderr, "  streamed scan failed: %s\n", err.msg);
		test_failures++;
		goto done;
	}
	check_same(a, b);
done:
	cs_scan_free(a);
	cs_buf_release(&arc);
	return b;
}

/* The planted image's facts, whichever way it was read. */
static void check_planted(const cs_scan *s, size_t nlayers)
{
	const cs_secret *f;

	CHECK_INT(cs_scan_layer_count(s), nlayers);
	CHECK(cf_scan_find(s, "apk", NULL, "musl") && cf_scan_find(s, "apk", NULL, "musl")->layer == 0);
	CHECK(cf_scan_find(s, "apk", NULL, "zlib") && cf_scan_find(s, "apk", NULL, "zlib")->layer == 2);
	CHECK(!cf_scan_find(s, NULL, NULL, "stray"));
	CHECK_INT(cs_scan_secret_count(s), 1);
	f = cs_scan_secret(s, 0);
	if (f) {
		CHECK_STR(f->rule_id, "github-pat");
		CHECK_STR(f->path, "srv/app/token.txt");
		CHECK_INT(f->layer, 1);
		CHECK_INT(f->removed_in, 2);
	}
	CHECK_INT(cs_scan_error_count(s), 0);
}

/* ---- the stream store ------------------------------------------------------- */

TEST(store_members_in_order)
{
	tarb t;
	uint8_t big[3000];
	size_t n, len, got, i;
	uint8_t *tar;
	cs_store *st = NULL;
	cs_stream *s = NULL;
	cs_err err;
	const char *name;
	const uint8_t *head;
	uint64_t size;
	cs_buf b;
	char buf[4096];
	mem_stream m;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	tb_open(&t, 'p');
	tb_dir(&t, "d");
	tb_entry(&t, "d/big", AE_IFREG, 0644, big, sizeof(big), NULL, NULL);
	tb_file(&t, "small.json", "{\"a\":1}");
	tb_file(&t, "skipped", "never read");
	tb_symlink(&t, "d/link", "../small.json");
	tb_file(&t, "after", "x");
	tar = tb_close(&t, &len);
	CHECK(tar != NULL);
	if (!tar)
		return;
	m = mem_make(tar, len, 0);
	m.uneven = true;
	cs_err_clear(&err);
	CHECK_INT(cs_store_open_stream(&st, "test-stream", &m.base, NULL, &err), 0);
	if (!st)
		goto done;
	CHECK_INT(cs_store_next(st, &name, &size, &err), 1);
	CHECK_STR(name, "d/big");
	CHECK_INT(size, sizeof(big));
	cs_store_peek(st, &head, &n);
	CHECK_INT(n, 512);
	CHECK(memcmp(head, big, 512) == 0);
	/* streamed whole from its start */
	CHECK_INT(cs_store_stream(st, &s, &err), 0);
	n = 0;
	while (s && s->read(s, buf, 1000, &got, &err) == 0 && got) {
		CHECK(n + got <= sizeof(big) && memcmp(buf, big + n, got) == 0);
		n += got;
	}
	CHECK_INT(n, sizeof(big));
	/* the store moves on only once the stream is closed */
	CHECK_INT(cs_store_next(st, &name, &size, &err), CS_ERR);
	cs_stream_close(s);
	cs_err_clear(&err);
	CHECK_INT(cs_store_next(st, &name, &size, &err), 1);
	CHECK_STR(name, "small.json");
	CHECK_INT(cs_store_keep(st, &err), 0);
	CHECK_INT(cs_store_next(st, &name, &size, &err), 1);
	CHECK_STR(name, "skipped");
	CHECK_INT(cs_store_next(st, &name, &size, &err), 1);
	CHECK_STR(name, "after"); /* the link was recorded on the way */
	CHECK_INT(cs_store_next(st, &name, &size, &err), 0);
	CHECK_INT(cs_store_next(st, &name, &size, &err), 0);
	/* kept members read like any store's, through links too; the others are named */
	cs_buf_init(&b, 0);
	CHECK_INT(cs_store_read(st, "d/link", 100, &b, &err), 0);
	CHECK(b.len == 7 && memcmp(b.data, "{\"a\":1}", 7) == 0);
	CHECK_STR(cs_store_canonical(st, "d/link"), "small.json");
	CHECK(cs_store_canonical(st, "nope") == NULL);
	CHECK_INT(cs_store_read(st, "skipped", 100, &b, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "'skipped'") && strstr(err.msg, "not kept"));
	CHECK_INT(cs_store_read(st, "nope", 100, &b, &err), CS_ENOTFOUND);
	cs_buf_release(&b);
done:
	cs_store_free(st);
	free(tar);
}

TEST(store_stream_failures)
{
	tarb t;
	uint8_t big[5000];
	size_t len, got, cut;
	uint8_t *tar;
	char buf[8192];

	memset(big, 'b', sizeof(big));
	tb_open(&t, 'p');
	tb_entry(&t, "big", AE_IFREG, 0644, big, sizeof(big), NULL, NULL);
	tb_file(&t, "last.json", "{}");
	tar = tb_close(&t, &len);
	CHECK(tar != NULL);
	if (!tar)
		return;
	/* cut anywhere: an error, never a crash, never a silent short member */
	for (cut = 0; cut < len; cut += 97) {
		mem_stream m = mem_make(tar, cut, 0);
		cs_store *st = NULL;
		cs_stream *s = NULL;
		cs_err err;
		const char *name;
		uint64_t size;
		int code;
		size_t total = 0;

		cs_err_clear(&err);
		if (cs_store_open_stream(&st, "cut", &m.base, NULL, &err) < 0) {
			CHECK(err.code != CS_OK);
			continue;
		}
		while ((code = cs_store_next(st, &name, &size, &err)) > 0) {
			if (strcmp(name, "big") != 0)
				continue;
			if ((code = cs_store_stream(st, &s, &err)) < 0)
				break;
			while ((code = s->read(s, buf, sizeof(buf), &got, &err)) == 0 && got)
				total += got;
			cs_stream_close(s);
			if (code < 0)
				break;
			CHECK_INT(total, sizeof(big));
		}
		/* a clean end only at a member boundary: nothing at all, or both members whole */
		if (code == 0)
			CHECK(cut == 0 || cut >= 512 + 5120 + 512 + 512);
		else
			CHECK(err.code == code && err.msg[0]);
		cs_store_free(st);
	}
	/* the source's own error is the root cause */
	{
		mem_stream m = mem_make(tar, len, 0);
		cs_store *st = NULL;
		cs_err err;
		const char *name;
		uint64_t size;
		int code = 0;

		m.chunk = 1000;
		m.fail_at = 3000;
		cs_err_clear(&err);
		if (cs_store_open_stream(&st, "failing", &m.base, NULL, &err) == 0) {
			while ((code = cs_store_next(st, &name, &size, &err)) > 0)
				;
		}
		CHECK_INT(code, CS_EIO);
		CHECK(strstr(err.msg, "injected failure") != NULL);
		cs_store_free(st);
	}
	free(tar);
}

/* ---- streamed scans against file scans ------------------------------------------ */

TEST(legacy_layout)
{
	arc_opts o = DEFAULTS;
	cs_scan *s = same_both_ways(&o, NULL);

	if (s)
		check_planted(s, 3);
	cs_scan_free(s);
	o.meta_first = true;
	s = same_both_ways(&o, NULL);
	if (s)
		check_planted(s, 3);
	cs_scan_free(s);
}

TEST(podman_layout)
{
	arc_opts o = DEFAULTS;
	cs_scan *s;

	o.layout = 'p';
	s = same_both_ways(&o, NULL);
	if (s)
		check_planted(s, 3);
	cs_scan_free(s);
}

TEST(oci_layout_gzip)
{
	arc_opts o = DEFAULTS;
	cs_scan *s;

	o.layout = 'o';
	o.gzip = true;
	s = same_both_ways(&o, NULL);
	if (s) {
		check_planted(s, 3);
		CHECK_STR(cs_scan_layer(s, 0)->compression, "gzip");
	}
	cs_scan_free(s);
	o.meta_first = true;
	s = same_both_ways(&o, NULL);
	if (s)
		check_planted(s, 3);
	cs_scan_free(s);
}

TEST(blob_at_two_places)
{
	arc_opts o = DEFAULTS;
	cs_scan *s;

	o.dup = true;
	o.layout = 'p';
	s = same_both_ways(&o, NULL);
	if (s) {
		CHECK_INT(cs_scan_layer_count(s), 4);
		CHECK_STR(cs_scan_layer(s, 3)->diff_id, cs_scan_layer(s, 1)->diff_id);
		/* the token, deleted by layer 2, comes back in layer 3: both reported */
		CHECK_INT(cs_scan_secret_count(s), 2);
	}
	cs_scan_free(s);
}

TEST(empty_layer_kept_in_memory)
{
	arc_opts o = DEFAULTS;
	cs_scan *s;

	o.empty = true;
	s = same_both_ways(&o, NULL);
	if (s) {
		CHECK_INT(cs_scan_layer_count(s), 4);
		CHECK_INT(cs_scan_layer(s, 3)->tar_size, 1024);
		CHECK_INT(cs_scan_layer(s, 3)->entries, 0);
	}
	cs_scan_free(s);
}

TEST(stray_layer_warned)
{
	arc_opts o = DEFAULTS;
	cs_buf arc;
	cs_scan *s;
	cs_err err;

	o.stray = true;
	cs_buf_init(&arc, 0);
	if (arc_build(&arc, &o) && (s = scan_stream(&arc, arc.len, NULL, &err)) != NULL) {
		check_planted(s, 3);
		CHECK(cf_diag_has(s, "looks like a layer", "no image in manifest.json"));
		cs_scan_free(s);
	} else {
		CHECK(!"streamed scan");
	}
	cs_buf_release(&arc);
}

TEST(two_images)
{
	arc_opts o = DEFAULTS;
	cs_buf arc;
	cs_scan *s;
	cs_err err;

	o.second = true;
	s = same_both_ways(&o, "app:1");
	if (s) {
		check_planted(s, 3);
		/* the other image's layer went by unremarked */
		CHECK(!cf_diag_has(s, "looks like a layer", NULL));
	}
	cs_scan_free(s);
	s = same_both_ways(&o, "other:1");
	if (s) {
		CHECK_INT(cs_scan_layer_count(s), 1);
		CHECK(cf_scan_find(s, "apk", NULL, "musl") == NULL);
	}
	cs_scan_free(s);
	/* without a tag: which one? */
	cs_buf_init(&arc, 0);
	if (arc_build(&arc, &o)) {
		CHECK((s = scan_stream(&arc, arc.len, NULL, &err)) == NULL);
		CHECK_INT(err.code, CS_EUSAGE);
		CHECK(strstr(err.msg, "holds 2 images") != NULL);
		cs_scan_free(s);
	}
	cs_buf_release(&arc);
}

/* ---- hostile streams ---------------------------------------------------------------- */

/* The streamed scan of o fails with code and a message holding needle. */
static void check_fails(const arc_opts *o, int code, const char *needle)
{
	cs_buf arc;
	cs_scan *s;
	cs_err err;

	cs_buf_init(&arc, 0);
	if (arc_build(&arc, o)) {
		s = scan_stream(&arc, arc.len, NULL, &err);
		CHECK(s == NULL);
		CHECK_INT(err.code, code);
		if (!strstr(err.msg, needle)) {
			fprintf(stderr, "  message lacks '%s': %s\n", needle, err.msg);
			test_failures++;
		}
		cs_scan_free(s);
	}
	cs_buf_release(&arc);
}

TEST(missing_layer)
{
	arc_opts o = DEFAULTS;

	o.missing = 1;
	check_fails(&o, CS_ENOTFOUND, "is missing");
	o.layout = 'o';
	check_fails(&o, CS_ENOTFOUND, "is missing");
}

TEST(diff_id_mismatch)
{
	arc_opts o = DEFAULTS;

	o.bad_diff = 2;
	check_fails(&o, CS_EDIGEST, "diff_id mismatch");
	o.layout = 'o';
	o.gzip = true;
	check_fails(&o, CS_EDIGEST, "diff_id mismatch");
	/* manifest.json first: the same (the walk does not wait for it) */
	o.meta_first = true;
	check_fails(&o, CS_EDIGEST, "diff_id mismatch");
}

TEST(blob_not_its_digest)
{
	arc_opts o = DEFAULTS;

	o.layout = 'o';
	o.gzip = true;
	o.bad_name = true;
	check_fails(&o, CS_EDIGEST, "digest mismatch");
}

TEST(truncated_anywhere)
{
	arc_opts o = DEFAULTS;
	cs_buf arc;
	size_t cut, step;
	int fails = 0, runs = 0;

	o.layout = 'p';
	cs_buf_init(&arc, 0);
	if (!arc_build(&arc, &o))
		return;
	step = arc.len / 61 + 1;
	for (cut = 0; cut < arc.len - 1024; cut += step) {
		cs_scan *s;
		cs_err err;

		s = scan_stream(&arc, cut, NULL, &err);
		runs++;
		if (!s && err.code != CS_OK && err.msg[0])
			fails++;
		else
			fprintf(stderr, "  cut at %zu of %zu: %s\n", cut, arc.len, s ? "scanned" : "no message");
		cs_scan_free(s);
	}
	CHECK_INT(fails, runs);
	cs_buf_release(&arc);
}

TEST(not_a_docker_archive)
{
	tarb t;
	uint8_t *tar;
	size_t n;
	cs_buf arc;
	cs_scan *s;
	cs_err err;

	tb_open(&t, 'p');
	tb_file(&t, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	tb_file(&t, "index.json", "{\"schemaVersion\":2,\"manifests\":[]}");
	tar = tb_close(&t, &n);
	cs_buf_init(&arc, 0);
	if (tar && cs_buf_append(&arc, tar, n) == 0) {
		s = scan_stream(&arc, arc.len, NULL, &err);
		CHECK(s == NULL);
		CHECK_INT(err.code, CS_EFORMAT);
		CHECK(strstr(err.msg, "no manifest.json") != NULL);
		cs_scan_free(s);
		/* not a tar at all */
		s = scan_stream(&arc, 100, NULL, &err);
		CHECK(s == NULL && err.code != CS_OK);
		cs_scan_free(s);
	}
	free(tar);
	cs_buf_release(&arc);
}

TEST(oci_target_from_pipe_refused)
{
	cs_scan *s;
	cs_err err;
	char target[64];
	int fd = pipe_of((const uint8_t *)"x", 1);

	CHECK(fd >= 0);
	snprintf(target, sizeof(target), "oci-archive:/dev/fd/%d", fd);
	s = scan_target(target, &err);
	CHECK(s == NULL);
	CHECK_INT(err.code, CS_EUSAGE);
	cs_scan_free(s);
	close(fd);
}

TEST_MAIN(TEST_ENTRY(store_members_in_order), TEST_ENTRY(store_stream_failures), TEST_ENTRY(legacy_layout),
	  TEST_ENTRY(podman_layout), TEST_ENTRY(oci_layout_gzip), TEST_ENTRY(blob_at_two_places),
	  TEST_ENTRY(empty_layer_kept_in_memory), TEST_ENTRY(stray_layer_warned), TEST_ENTRY(two_images),
	  TEST_ENTRY(missing_layer), TEST_ENTRY(diff_id_mismatch), TEST_ENTRY(blob_not_its_digest),
	  TEST_ENTRY(truncated_anywhere), TEST_ENTRY(not_a_docker_archive), TEST_ENTRY(oci_target_from_pipe_refused))
