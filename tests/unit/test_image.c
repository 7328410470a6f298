/*
 * test_image.c - opening images (image/image.c, oci.c, docker.c, config.c,
 * store.c) and one whole scan over them (scan/scan.c).
 *
 * Every image is written here, in a mkdtemp directory under /tmp: layer
 * tars with libarchive's writer, gzip with isa-l, JSON as text, digests with
 * cs_sha256_buf. The same two-layer image is laid out as an OCI directory,
 * an OCI archive, a docker archive (legacy "<id>/layer.tar" layout) and a
 * gzip-compressed docker archive; a multi-platform index adds an arm64
 * image and a build attestation. Broken variants of each file check that
 * hostile or malformed content ends in the right error, naming the file.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/buf.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "image/layer.h"
#include "scan/scan.h"

#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/test.h"
#include "unit/testutil.h"

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_LAYER_GZ "application/vnd.oci.image.layer.v1.tar+gzip"

/* --- the temporary directory ------------------------------------------------ */

static char tmp_root[64];

static bool tmp_begin(void)
{
	snprintf(tmp_root, sizeof(tmp_root), "/tmp/customs-test-image-XXXXXX");
	if (!mkdtemp(tmp_root)) {
		fprintf(stderr, "  mkdtemp: %s\n", strerror(errno));
		test_failures++;
		return false;
	}
	return true;
}

static void tmp_end(void)
{
	if (tmp_root[0] && rm_tree(tmp_root) != 0) {
		fprintf(stderr, "  cannot remove %s\n", tmp_root);
		test_failures++;
	}
	tmp_root[0] = '\0';
}

/* tmp_root + "/" + rel, in a static rotation of buffers. */
static const char *tmp_path(const char *rel)
{
	static char bufs[8][512];
	static int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", tmp_root, rel);
	return b;
}

/* mkdir -p of the directory part of path. */
static void mkdirs_for(const char *path)
{
	char tmp[512];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
}

static bool write_file(const char *path, const void *data, size_t n)
{
	FILE *f;
	bool ok;

	mkdirs_for(path);
	f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "  cannot write %s: %s\n", path, strerror(errno));
		test_failures++;
		return false;
	}
	ok = fwrite(data, 1, n, f) == n;
	ok = fclose(f) == 0 && ok;
	if (!ok)
		test_failures++;
	return ok;
}

static bool write_text(const char *path, const char *text)
{
	return write_file(path, text, strlen(text));
}

/* 100000 '[' into path: JSON nested deep enough to overflow a recursive parser's stack. */
static bool write_nested(const char *path)
{
	static const size_t depth = 100000;
	char *deep = malloc(depth + 1);
	bool ok;

	if (!deep)
		return false;
	memset(deep, '[', depth);
	deep[depth] = '\0';
	ok = write_text(path, deep);
	free(deep);
	return ok;
}

/* --- tars of directories ------------------------------------------------------ */

/* Tars every file under dir (names relative to it) into path, gzipped when gz. */
static tarb tar_dir_tb;
static size_t tar_dir_skip;

static int tar_dir_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	CS_UNUSED(ftw);
	if (flag == FTW_F && S_ISREG(sb->st_mode)) {
		size_t n = 0;
		char *data = test_read_file(path, &n);

		if (!data)
			return -1;
		tb_entry(&tar_dir_tb, path + tar_dir_skip, AE_IFREG, 0644, data, n, NULL, NULL);
		free(data);
	} else if (flag == FTW_D && strlen(path) > tar_dir_skip) {
		tb_dir(&tar_dir_tb, path + tar_dir_skip);
	} else if (flag == FTW_SL) {
		char target[512];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		if (n < 0)
			return -1;
		target[n] = '\0';
		tb_entry(&tar_dir_tb, path + tar_dir_skip, AE_IFLNK, 0644, NULL, 0, target, NULL);
	}
	return 0;
}

static bool tar_dir(const char *dir, const char *path, bool gz)
{
	uint8_t *tar;
	size_t tn = 0;
	bool ok;

	tb_open(&tar_dir_tb, 'p');
	tar_dir_skip = strlen(dir) + 1;
	ok = nftw(dir, tar_dir_one, 16, FTW_PHYS) == 0;
	tar = tb_close(&tar_dir_tb, &tn);
	ok = ok && tar;
	if (ok && gz) {
		size_t gn = 0;
		uint8_t *g = gzip_make(tar, tn, 1, &gn);

		ok = g && write_file(path, g, gn);
		free(g);
	} else if (ok) {
		ok = write_file(path, tar, tn);
	}
	free(tar);
	CHECK(ok);
	return ok;
}

/* --- the image content ------------------------------------------------------ */

typedef struct layer_blob {
	uint8_t *tar, *gz;
	size_t tn, gn;
	char digest[CS_DIGEST_MAX];  /* of gz */
	char diff_id[CS_DIGEST_MAX]; /* of tar */
} layer_blob;

static const char os_release[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
				 "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";

/* Finishes t as l's tar, gzips it and takes both digests; false (a failed check) if a step fails. */
static bool layer_seal(layer_blob *l, tarb *t)
{
	l->tar = tb_close(t, &l->tn);
	l->gz = l->tar ? gzip_make(l->tar, l->tn, 1, &l->gn) : NULL;
	if (!l->gz) {
		test_failures++;
		return false;
	}
	cs_sha256_buf(l->gz, l->gn, l->digest);
	cs_sha256_buf(l->tar, l->tn, l->diff_id);
	return true;
}

/* which: 0 the base layer, 1 the layer on top of it, 2 the arm64 base. */
static bool layer_build(layer_blob *l, int which)
{
	tarb t;

	memset(l, 0, sizeof(*l));
	tb_open(&t, 'p');
	if (which == 0) {
		tb_dir(&t, "etc");
		tb_entry(&t, "etc/os-release", AE_IFLNK, 0644, NULL, 0, "../usr/lib/os-release", NULL);
		tb_file(&t, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
		tb_file(&t, "etc/hostname", "base\n");
		tb_dir(&t, "usr/lib");
		tb_file(&t, "usr/lib/os-release", os_release);
		tb_entry(&t, "lib", AE_IFLNK, 0644, NULL, 0, "usr/lib", NULL);
	} else if (which == 1) {
		tb_file(&t, "etc/.wh.passwd", "");
		tb_file(&t, "etc/hostname", "top\n");
		tb_file(&t, "opt/app/run.sh", "#!/bin/sh\nexec app\n");
	} else {
		tb_file(&t, "usr/lib/os-release", os_release);
		tb_file(&t, "arm64-only", "yes\n");
	}
	return layer_seal(l, &t);
}

static void layer_free(layer_blob *l)
{
	free(l->tar);
	free(l->gz);
}

/* Writes blob data into layout/blobs/sha256/<hex>; its digest to digest. */
static bool blob_put(const char *layout, const void *data, size_t n, char digest[CS_DIGEST_MAX])
{
	char path[1024];

	cs_sha256_buf(data, n, digest);
	snprintf(path, sizeof(path), "%s/blobs/sha256/%s", layout, digest + 7);
	return write_file(path, data, n);
}

static bool blob_put_text(const char *layout, const char *text, char digest[CS_DIGEST_MAX])
{
	return blob_put(layout, text, strlen(text), digest);
}

/* A config for layers l[0..n) on arch, with history that has an empty step between them. */
static void config_json(cs_buf *b, const char *arch, const layer_blob *l, size_t n)
{
	size_t i;

	cs_buf_reset(b);
	cs_buf_printf(b, "{\"architecture\":\"%s\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/bin\"]},"
			 "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
		      arch);
	for (i = 0; i < n; i++)
		cs_buf_printf(b, "%s\"%s\"", i ? "," : "", l[i].diff_id);
	cs_buf_puts(b, "]},\"history\":[");
	for (i = 0; i < n; i++)
		cs_buf_printf(b, "%s{\"created\":\"2024-01-0%zuT00:00:00Z\",\"created_by\":\"step %zu\"}"
				 ",{\"created_by\":\"ENV X=%zu\",\"empty_layer\":true}",
			      i ? "," : "", i + 1, i, i);
	cs_buf_puts(b, "]}");
}

/* A manifest naming config (digest, size) and layers l[0..n). */
static void manifest_json(cs_buf *b, const char *cdigest, size_t csize, const layer_blob *l, size_t n)
{
	size_t i;

	cs_buf_reset(b);
	cs_buf_printf(b, "{\"schemaVersion\":2,\"mediaType\":\"" MT_MANIFEST "\","
			 "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},\"layers\":[",
		      cdigest, csize);
	for (i = 0; i < n; i++)
		cs_buf_printf(b, "%s{\"mediaType\":\"" MT_LAYER_GZ "\",\"digest\":\"%s\",\"size\":%zu}", i ? "," : "",
			      l[i].digest, l[i].gn);
	cs_buf_puts(b, "]}");
}

/* One image's blobs in layout; the manifest's digest and size come back. */
typedef struct put_image {
	char mdigest[CS_DIGEST_MAX];
	size_t msize;
	char cdigest[CS_DIGEST_MAX];
} put_image;

static bool image_put(const char *layout, const char *arch, layer_blob *l, size_t n, put_image *out)
{
	cs_buf cfg, man;
	bool ok = true;
	size_t i;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&man, 0);
	for (i = 0; i < n; i++)
		ok = ok && blob_put(layout, l[i].gz, l[i].gn, l[i].digest);
	config_json(&cfg, arch, l, n);
	ok = ok && blob_put_text(layout, cfg.data, out->cdigest);
	manifest_json(&man, out->cdigest, cfg.len, l, n);
	ok = ok && blob_put_text(layout, man.data, out->mdigest);
	out->msize = man.len;
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

/* dir + "/" + name, in a small rotation of static buffers. */
static const char *join(const char *dir, const char *name)
{
	static char bufs[8][600];
	static int next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

static bool index_put_text(const char *layout, const char *text)
{
	return write_text(join(layout, "index.json"), text);
}

/* index.json naming one manifest (media type, digest, size) with a ref.name annotation. */
static bool index_put(const char *layout, const char *mt, const char *digest, size_t size, const char *tag)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,"
		 "\"annotations\":{\"org.opencontainers.image.ref.name\":\"%s\"}}]}",
		 mt, digest, size, tag);
	return index_put_text(layout, text);
}

static bool layout_put(const char *layout)
{
	return write_text(join(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
}

/* The two-layer amd64 image as an OCI layout at tmp_root/name, tagged "v1". */
typedef struct std_image {
	layer_blob l[2];
	put_image img;
	char layout[512];
} std_image;

static bool std_build(std_image *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->layout, sizeof(s->layout), "%s", tmp_path(name));
	if (!layer_build(&s->l[0], 0) || !layer_build(&s->l[1], 1)) {
		test_failures++;
		return false;
	}
	return layout_put(s->layout) && image_put(s->layout, "amd64", s->l, 2, &s->img) &&
	       index_put(s->layout, MT_MANIFEST, s->img.mdigest, s->img.msize, "v1");
}

static void std_free(std_image *s)
{
	layer_free(&s->l[0]);
	layer_free(&s->l[1]);
}

/* Opens target, which must succeed. */
static cs_image *open_ok(const char *target, const char *platform)
{
	cs_image *img = NULL;
	cs_limits lim;
	cs_err err;
	int code;

	cs_limits_default(&lim);
	cs_err_clear(&err);
	code = cs_image_open(&img, target, platform, &lim, &err);
	if (code != 0) {
		fprintf(stderr, "  open '%s' (%s): %d %s\n", target, platform ? platform : "default", code, err.msg);
		test_failures++;
	}
	return img;
}

/*
 * Checks that opening target fails with want and a message containing what
 * (and what2 when not NULL); line (a source line or a table index) tells
 * which case failed.
 */
static void open_fails_lim(const char *target, const char *platform, const cs_limits *lim, int want,
			   const char *what, const char *what2, int line)
{
	cs_image *img = NULL;
	cs_err err;
	int code;

	cs_err_clear(&err);
	code = cs_image_open(&img, target, platform, lim, &err);
	if (code != want || img != NULL || !strstr(err.msg, what) || (what2 && !strstr(err.msg, what2))) {
		fprintf(stderr, "  at %d: open '%s': %d \"%s\", want %d \"%s\"%s%s\n", line, target, code, err.msg,
			want, what, what2 ? " and " : "", what2 ? what2 : "");
		test_failures++;
	}
	cs_image_free(img);
}

static void open_fails_at(const char *target, const char *platform, int want, const char *what,
			  const char *what2, int line)
{
	cs_limits lim;

	cs_limits_default(&lim);
	open_fails_lim(target, platform, &lim, want, what, what2, line);
}

#define open_fails(target, platform, want, what, what2) \
	open_fails_at(target, platform, want, what, what2, __LINE__)

/* Reads layer i of img whole. */
static uint8_t *read_layer(cs_image *img, size_t i, size_t *n)
{
	cs_stream *s = NULL;
	cs_buf b;
	cs_err err;
	uint8_t chunk[7000];
	size_t got;
	int code;

	cs_err_clear(&err);
	if ((code = cs_image_open_layer(img, i, &s, &err)) < 0) {
		fprintf(stderr, "  open layer %zu: %s\n", i, err.msg);
		test_failures++;
		return NULL;
	}
	cs_buf_init(&b, 0);
	while ((code = s->read(s, chunk, sizeof(chunk), &got, &err)) == 0 && got)
		cs_buf_append(&b, chunk, got);
	cs_stream_close(s);
	if (code < 0) {
		fprintf(stderr, "  read layer %zu: %s\n", i, err.msg);
		test_failures++;
	}
	return (uint8_t *)cs_buf_detach(&b, n);
}

static int count_entry(cs_layer_reader *r, const cs_entry *e, int kind, void *payload, cs_err *err)
{
	CS_UNUSED(r);
	CS_UNUSED(e);
	CS_UNUSED(kind);
	CS_UNUSED(err);
	++*(int *)payload;
	return 0;
}

/* Walks layer i of img with the digests the image declares; returns the code. */
static int walk_layer(cs_image *img, size_t i, int *entries)
{
	cs_stream *s = NULL;
	cs_layer_expect exp;
	cs_layer_result res;
	cs_limits lim;
	cs_err err;
	int code;

	cs_err_clear(&err);
	*entries = 0;
	if ((code = cs_image_open_layer(img, i, &s, &err)) < 0)
		return code;
	memset(&exp, 0, sizeof(exp));
	exp.label = "layer";
	exp.digest = img->layers[i].digest[0] ? img->layers[i].digest : NULL;
	exp.size = img->layers[i].size;
	exp.diff_id = img->layers[i].diff_id;
	cs_limits_default(&lim);
	code = cs_layer_walk(s, &exp, &lim, NULL, count_entry, entries, &res, &err);
	if (code < 0)
		fprintf(stderr, "  walk layer %zu: %s\n", i, err.msg);
	cs_stream_close(s);
	return code;
}

/* Checks what every transport must say of the standard image. */
static void check_std(const cs_image *img, const std_image *s, bool oci)
{
	size_t i;

	CHECK_INT(img->nlayers, 2);
	if (img->nlayers != 2)
		return;
	for (i = 0; i < 2; i++) {
		CHECK_STR(img->layers[i].diff_id, s->l[i].diff_id);
		if (oci) {
			CHECK_STR(img->layers[i].digest, s->l[i].digest);
			CHECK_INT(img->layers[i].size, s->l[i].gn);
			CHECK_STR(img->layers[i].media_type, MT_LAYER_GZ);
			CHECK_STR(img->layers[i].member, join("blobs/sha256", s->l[i].digest + 7));
		}
	}
	/* History: each layer gets its own step; the empty ENV steps own none. */
	CHECK_STR(img->layers[0].created_by, "step 0");
	CHECK_STR(img->layers[1].created_by, "step 1");
	CHECK_STR(img->layers[0].created, "2024-01-01T00:00:00Z");
	CHECK_STR(img->layers[1].created, "2024-01-02T00:00:00Z");
	CHECK(img->layers[0].comment == NULL);
	CHECK_STR(img->os, "linux");
	CHECK_STR(img->arch, "amd64");
	CHECK(img->variant == NULL);
	CHECK(img->config != NULL);
}

/* --- OCI layout ------------------------------------------------------------------ */

TEST(oci_layout)
{
	std_image s;
	cs_image *img;
	char target[700];

	if (!tmp_begin())
		return;
	if (!std_build(&s, "oci"))
		goto done;
	snprintf(target, sizeof(target), "oci:%s", s.layout);
	img = open_ok(target, NULL);
	if (img) {
		size_t n = 0;
		uint8_t *data;
		int entries = 0;

		CHECK_STR(img->transport, "oci");
		CHECK_STR(img->name, target);
		CHECK_STR(img->manifest_digest, s.img.mdigest);
		CHECK_STR(img->config_digest, s.img.cdigest);
		CHECK_INT(img->nrepo_tags, 0);
		check_std(img, &s, true);
		data = read_layer(img, 1, &n);
		CHECK(data && n == s.l[1].gn && memcmp(data, s.l[1].gz, n) == 0);
		free(data);
		/* The layers pass the pipeline's checks against what the image declares. */
		CHECK_INT(walk_layer(img, 0, &entries), 0);
		CHECK_INT(entries, 7);
		CHECK_INT(walk_layer(img, 1, &entries), 0);
		CHECK_INT(entries, 3);
		{
			cs_stream *st = NULL;
			cs_err err;

			cs_err_clear(&err);
			CHECK_INT(cs_image_open_layer(img, 2, &st, &err), CS_ENOTFOUND);
			CHECK(st == NULL);
		}
		cs_image_free(img);
	}
	/* A bare directory path is recognised by its oci-layout. */
	img = open_ok(s.layout, NULL);
	if (img) {
		CHECK_STR(img->transport, "oci");
		check_std(img, &s, true);
		cs_image_free(img);
	}
	/* Selection by tag. */
	snprintf(target, sizeof(target), "oci:%s:v1", s.layout);
	img = open_ok(target, NULL);
	if (img) {
		CHECK_STR(img->manifest_digest, s.img.mdigest);
		cs_image_free(img);
	}
	snprintf(target, sizeof(target), "oci:%s:v2", s.layout);
	open_fails(target, NULL, CS_ENOTFOUND, "no image tagged 'v2' (tags: v1)", NULL);
	/* Without oci-layout, a directory with index.json is still opened as oci: explicitly. */
	CHECK_INT(unlink(join(s.layout, "oci-layout")), 0);
	snprintf(target, sizeof(target), "oci:%s", s.layout);
	img = open_ok(target, NULL);
	cs_image_free(img);
	/* An oci-layout that is not one. */
	write_text(join(s.layout, "oci-layout"), "{}");
	open_fails(target, NULL, CS_EFORMAT, "oci-layout has no imageLayoutVersion", NULL);
done:
	std_free(&s);
	tmp_end();
}

/* A layout tarred whole; one layer is big enough to be streamed from the archive, not cached. */
TEST(oci_archive)
{
	std_image s;
	cs_image *img;
	char target[700];
	const char *tar;

	if (!tmp_begin())
		return;
	if (!std_build(&s, "layout"))
		goto done;
	/* Replace layer 1 with a 1.5 MiB incompressible one. */
	{
		tarb t;
		uint8_t *rnd = malloc(1536 * 1024);

		if (!rnd)
			goto done;
		fill_random(rnd, 1536 * 1024, 7);
		layer_free(&s.l[1]);
		memset(&s.l[1], 0, sizeof(s.l[1]));
		tb_open(&t, 'p');
		tb_file(&t, "etc/.wh.passwd", "");
		tb_file(&t, "etc/hostname", "top\n");
		tb_entry(&t, "opt/app/blob", AE_IFREG, 0644, rnd, 1536 * 1024, NULL, NULL);
		CHECK(layer_seal(&s.l[1], &t) && s.l[1].gn > (1u << 20));
		free(rnd);
		if (!image_put(s.layout, "amd64", s.l, 2, &s.img) ||
		    !index_put(s.layout, MT_MANIFEST, s.img.mdigest, s.img.msize, "v1"))
			goto done;
	}
	tar = tmp_path("oci.tar");
	if (!tar_dir(s.layout, tar, false))
		goto done;
	snprintf(target, sizeof(target), "oci-archive:%s", tar);
	img = open_ok(target, NULL);
	if (img) {
		size_t n = 0, i;
		uint8_t *data;
		int entries = 0;

		CHECK_STR(img->transport, "oci-archive");
		CHECK_STR(img->manifest_digest, s.img.mdigest);
		check_std(img, &s, true);
		for (i = 0; i < 2; i++) {
			data = read_layer(img, i, &n);
			CHECK(data && n == s.l[i].gn && memcmp(data, s.l[i].gz, n) == 0);
			free(data);
			CHECK_INT(walk_layer(img, i, &entries), 0);
		}
		CHECK_INT(entries, 3);
		cs_image_free(img);
	}
	img = open_ok(tar, NULL);
	if (img) {
		CHECK_STR(img->transport, "oci-archive");
		cs_image_free(img);
	}
	snprintf(target, sizeof(target), "oci-archive:%s:v1", tar);
	img = open_ok(target, NULL);
	cs_image_free(img);
	snprintf(target, sizeof(target), "oci-archive:%s:nope", tar);
	open_fails(target, NULL, CS_ENOTFOUND, "no image tagged 'nope'", NULL);
	/* Without oci-layout, index.json alone marks an archive as OCI. */
	CHECK_INT(unlink(join(s.layout, "oci-layout")), 0);
	tar = tmp_path("no-layout.tar");
	if (tar_dir(s.layout, tar, false)) {
		img = open_ok(tar, NULL);
		if (img) {
			CHECK_STR(img->transport, "oci-archive");
			CHECK_STR(img->manifest_digest, s.img.mdigest);
			cs_image_free(img);
		}
	}
	/* The same archive gzipped whole. */
	tar = tmp_path("oci.tar.gz");
	if (tar_dir(s.layout, tar, true)) {
		img = open_ok(tar, NULL);
		if (img) {
			size_t n = 0;
			uint8_t *data = read_layer(img, 1, &n);

			CHECK_STR(img->transport, "oci-archive");
			CHECK(data && n == s.l[1].gn && memcmp(data, s.l[1].gz, n) == 0);
			free(data);
			cs_image_free(img);
		}
	}
done:
	std_free(&s);
	tmp_end();
}

/* --- docker archive ------------------------------------------------------------------ */

static const char *docker_ids[2] = {
	"1111111111111111111111111111111111111111111111111111111111111111",
	"2222222222222222222222222222222222222222222222222222222222222222",
};

/* docker save's legacy layout in directory dir; the config's digest comes back. */
static bool docker_put(const char *dir, const std_image *s, char cdigest[CS_DIGEST_MAX], const char *manifest)
{
	cs_buf cfg;
	char name[200], text[2048];
	bool ok = true;
	size_t i;

	cs_buf_init(&cfg, 0);
	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "%s/layer.tar", docker_ids[i]);
		ok = ok && write_file(join(dir, name), s->l[i].tar, s->l[i].tn);
		snprintf(name, sizeof(name), "%s/VERSION", docker_ids[i]);
		ok = ok && write_text(join(dir, name), "1.0");
	}
	config_json(&cfg, "amd64", s->l, 2);
	cs_sha256_buf(cfg.data, cfg.len, cdigest);
	snprintf(name, sizeof(name), "%s.json", cdigest + 7);
	ok = ok && write_file(join(dir, name), cfg.data, cfg.len);
	if (!manifest) {
		snprintf(text, sizeof(text),
			 "[{\"Config\":\"%s.json\",\"RepoTags\":[\"example.com/team/app:1.0\",\"app:latest\"],"
			 "\"Layers\":[\"%s/layer.tar\",\"%s/layer.tar\"]}]",
			 cdigest + 7, docker_ids[0], docker_ids[1]);
		manifest = text;
	}
	ok = ok && write_text(join(dir, "manifest.json"), manifest);
	ok = ok && write_text(join(dir, "repositories"), "{\"app\":{\"latest\":\"x\"}}");
	cs_buf_release(&cfg);
	CHECK(ok);
	return ok;
}

TEST(docker_archive)
{
	std_image s;
	cs_image *img;
	char target[700], cdigest[CS_DIGEST_MAX];
	const char *dir, *tar, *tgz;
	static const char *const refs[] = {"app:latest", "docker.io/library/app:latest", "example.com/team/app:1.0",
					   "@0"};
	size_t i;

	if (!tmp_begin())
		return;
	memset(&s, 0, sizeof(s));
	if (!layer_build(&s.l[0], 0) || !layer_build(&s.l[1], 1))
		goto done;
	dir = tmp_path("docker");
	tar = tmp_path("docker.tar");
	tgz = tmp_path("docker.tar.gz");
	if (!docker_put(dir, &s, cdigest, NULL) || !tar_dir(dir, tar, false) || !tar_dir(dir, tgz, true))
		goto done;

	snprintf(target, sizeof(target), "docker-archive:%s", tar);
	img = open_ok(target, NULL);
	if (img) {
		size_t n = 0;
		uint8_t *data = read_layer(img, 0, &n);
		int entries = 0;

		CHECK_STR(img->transport, "docker-archive");
		CHECK_STR(img->config_digest, cdigest);
		CHECK_STR(img->manifest_digest, "");
		CHECK_INT(img->nrepo_tags, 2);
		if (img->nrepo_tags == 2) {
			CHECK_STR(img->repo_tags[0], "example.com/team/app:1.0");
			CHECK_STR(img->repo_tags[1], "app:latest");
		}
		check_std(img, &s, false);
		/* Legacy member names carry no digest. */
		CHECK_STR(img->layers[0].digest, "");
		CHECK_STR(img->layers[1].member, join(docker_ids[1], "layer.tar"));
		CHECK(data && n == s.l[0].tn && memcmp(data, s.l[0].tar, n) == 0);
		free(data);
		CHECK_INT(walk_layer(img, 0, &entries), 0);
		CHECK_INT(entries, 7);
		CHECK_INT(walk_layer(img, 1, &entries), 0);
		cs_image_free(img);
	}
	for (i = 0; i < CS_ARRAY_LEN(refs); i++) {
		snprintf(target, sizeof(target), "docker-archive:%s:%s", tar, refs[i]);
		img = open_ok(target, NULL);
		if (img)
			CHECK_STR(img->config_digest, cdigest);
		cs_image_free(img);
	}
	snprintf(target, sizeof(target), "docker-archive:%s:@1", tar);
	open_fails(target, NULL, CS_ENOTFOUND, "no image @1 (it holds 1)", NULL);
	snprintf(target, sizeof(target), "docker-archive:%s:@x", tar);
	open_fails(target, NULL, CS_ENOTFOUND, "no image @x", NULL);
	snprintf(target, sizeof(target), "docker-archive:%s:other:1.0", tar);
	open_fails(target, NULL, CS_ENOTFOUND, "no image tagged 'other:1.0'", NULL);
	snprintf(target, sizeof(target), "docker-archive:%s:app", tar);
	open_fails(target, NULL, CS_ENOTFOUND, "no image tagged 'app'", NULL);
	/* Bare paths: the archive, the same gzipped whole, and the unpacked directory. */
	img = open_ok(tar, NULL);
	if (img) {
		CHECK_STR(img->transport, "docker-archive");
		cs_image_free(img);
	}
	img = open_ok(tgz, NULL);
	if (img) {
		size_t n = 0;
		uint8_t *data = read_layer(img, 1, &n);

		CHECK_STR(img->transport, "docker-archive");
		check_std(img, &s, false);
		CHECK(data && n == s.l[1].tn && memcmp(data, s.l[1].tar, n) == 0);
		free(data);
		cs_image_free(img);
	}
	img = open_ok(dir, NULL);
	if (img) {
		CHECK_STR(img->transport, "docker-archive");
		check_std(img, &s, false);
		cs_image_free(img);
	}
	/* A layer stored once and linked from its legacy name (docker save of shared layers). */
	{
		const char *dir2 = tmp_path("docker2"), *tar2 = tmp_path("docker2.tar");
		char link[200];

		if (docker_put(dir2, &s, cdigest, NULL)) {
			snprintf(link, sizeof(link), "%s/layer.tar", docker_ids[1]);
			CHECK_INT(rename(join(dir2, link), join(dir2, "shared.tar")), 0);
			CHECK_INT(symlink("../shared.tar", join(dir2, link)), 0);
			if (tar_dir(dir2, tar2, false)) {
				img = open_ok(tar2, NULL);
				if (img) {
					size_t n = 0;
					uint8_t *data = read_layer(img, 1, &n);
					int entries = 0;

					CHECK(data && n == s.l[1].tn && memcmp(data, s.l[1].tar, n) == 0);
					free(data);
					CHECK_INT(walk_layer(img, 1, &entries), 0);
					CHECK_INT(entries, 3);
					cs_image_free(img);
				}
			}
		}
	}
	/* Two images and no reference: the user must choose. */
	{
		char text[2048];

		snprintf(text, sizeof(text),
			 "[{\"Config\":\"%s.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"%s/layer.tar\",\"%s/layer.tar\"]},"
			 "{\"Config\":\"%s.json\",\"RepoTags\":[\"b:1\"],\"Layers\":[\"%s/layer.tar\",\"%s/layer.tar\"]}]",
			 cdigest + 7, docker_ids[0], docker_ids[1], cdigest + 7, docker_ids[0], docker_ids[1]);
		write_text(join(dir, "manifest.json"), text);
		open_fails(dir, NULL, CS_EUSAGE, "holds 2 images", NULL);
		snprintf(target, sizeof(target), "docker-archive:%s:b:1", dir);
		img = open_ok(target, NULL);
		cs_image_free(img);
		snprintf(target, sizeof(target), "docker-archive:%s:@1", dir);
		img = open_ok(target, NULL);
		cs_image_free(img);
	}
done:
	std_free(&s);
	tmp_end();
}

TEST(docker_errors)
{
	std_image s;
	char cdigest[CS_DIGEST_MAX], target[700], text[2048], name[200];
	const char *dir;
	size_t i;
	static const struct {
		const char *manifest;
		int code;
		const char *what;
	} cases[] = {
		{"[{\"Config\":\"x.json\",", CS_EFORMAT, "manifest.json': malformed JSON"},
		{"{}", CS_EFORMAT, "manifest.json': not a JSON array"},
		{"[]", CS_EFORMAT, "manifest.json': lists no image"},
		{"[1]", CS_EFORMAT, "lacks Config or Layers"},
		{"[{\"Config\":\"x.json\",\"Layers\":\"a/layer.tar\"}]", CS_EFORMAT, "lacks Config or Layers"},
		{"[{\"Config\":7,\"Layers\":[]}]", CS_EFORMAT, "lacks Config or Layers"},
		{"[{\"Config\":\"x.json\",\"Layers\":[1]}]", CS_EFORMAT, "Layers[0] is not a string"},
		{"[{\"Config\":\"../../../../etc/passwd\",\"Layers\":[]}]", CS_EFORMAT, "refusing member name"},
		{"[{\"Config\":\"/etc/passwd\",\"Layers\":[]}]", CS_EFORMAT, "refusing member name"},
		{"[{\"Config\":\"missing.json\",\"Layers\":[]}]", CS_ENOTFOUND, "missing.json': missing"},
		{"[{\"Config\":\"x.json\",\"Layers\":[]}] trailing", CS_EFORMAT, "manifest.json': malformed JSON"},
	};

	if (!tmp_begin())
		return;
	memset(&s, 0, sizeof(s));
	if (!layer_build(&s.l[0], 0) || !layer_build(&s.l[1], 1))
		goto done;
	dir = tmp_path("docker");
	if (!docker_put(dir, &s, cdigest, NULL))
		goto done;
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		write_text(join(dir, "manifest.json"), cases[i].manifest);
		open_fails_at(dir, NULL, cases[i].code, cases[i].what, NULL, (int)i);
	}
	/* 100000 nested arrays: an error, not a stack overflow. */
	if (write_nested(join(dir, "manifest.json")))
		open_fails(dir, NULL, CS_EFORMAT, "manifest.json': malformed JSON", NULL);
	/* A config whose name is its digest, with other content. */
	snprintf(text, sizeof(text), "[{\"Config\":\"%s.json\",\"Layers\":[\"%s/layer.tar\",\"%s/layer.tar\"]}]",
		 cdigest + 7, docker_ids[0], docker_ids[1]);
	write_text(join(dir, "manifest.json"), text);
	snprintf(name, sizeof(name), "%s.json", cdigest + 7);
	write_text(join(dir, name), "{\"rootfs\":{\"diff_ids\":[]}}");
	open_fails(dir, NULL, CS_EDIGEST, "digest mismatch", name);
	/* A config named otherwise is not checked, but must match the layers. */
	write_text(join(dir, "config.json"), "{\"rootfs\":{\"diff_ids\":[\"sha256:"
		   "0000000000000000000000000000000000000000000000000000000000000000\"]}}");
	snprintf(text, sizeof(text), "[{\"Config\":\"config.json\",\"Layers\":[\"%s/layer.tar\",\"%s/layer.tar\"]}]",
		 docker_ids[0], docker_ids[1]);
	write_text(join(dir, "manifest.json"), text);
	open_fails(dir, NULL, CS_EFORMAT, "config lists 1 diff_ids but the manifest has 2 layers", "manifest.json");
	/* A layer member that leaves the archive: opening the image works, opening the layer is refused. */
	{
		cs_buf cfg;
		cs_image *img;

		cs_buf_init(&cfg, 0);
		config_json(&cfg, "amd64", s.l, 2);
		write_text(join(dir, "config.json"), cfg.data);
		cs_buf_release(&cfg);
		write_text(join(dir, "manifest.json"),
			   "[{\"Config\":\"config.json\",\"Layers\":[\"../../../../etc/passwd\",\"/etc/passwd\"]}]");
		snprintf(target, sizeof(target), "docker-archive:%s", dir);
		img = open_ok(target, NULL);
		if (img) {
			cs_stream *st = NULL;
			cs_err err;

			for (i = 0; i < 2; i++) {
				cs_err_clear(&err);
				CHECK_INT(cs_image_open_layer(img, i, &st, &err), CS_EFORMAT);
				CHECK(strstr(err.msg, "refusing member name") != NULL);
				CHECK(st == NULL);
			}
			cs_image_free(img);
		}
	}
done:
	std_free(&s);
	tmp_end();
}

/* --- multi-platform ------------------------------------------------------------------ */

TEST(multi_platform)
{
	layer_blob l[3];
	put_image amd, arm, att;
	char target[700], text[4096], idigest[CS_DIGEST_MAX], entries[3][600];
	const char *layout, *flat;
	cs_image *img;
	int round;

	if (!tmp_begin())
		return;
	memset(l, 0, sizeof(l));
	if (!layer_build(&l[0], 0) || !layer_build(&l[1], 1) || !layer_build(&l[2], 2))
		goto done;
	layout = tmp_path("multi");
	flat = tmp_path("flat");
	for (round = 0; round < 2; round++) {
		const char *dir = round == 0 ? layout : flat;

		if (!layout_put(dir) || !image_put(dir, "amd64", l, 2, &amd) || !image_put(dir, "arm64", l + 2, 1, &arm) ||
		    !image_put(dir, "unknown", l + 2, 1, &att))
			goto done;
	}
	snprintf(entries[0], sizeof(entries[0]),
		 "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"%s\",\"size\":%zu,"
		 "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}",
		 amd.mdigest, amd.msize);
	snprintf(entries[1], sizeof(entries[1]),
		 "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"%s\",\"size\":%zu,"
		 "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}}",
		 arm.mdigest, arm.msize);
	snprintf(entries[2], sizeof(entries[2]),
		 "{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"%s\",\"size\":%zu,"
		 "\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"},"
		 "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\","
		 "\"vnd.docker.reference.digest\":\"%s\"}}",
		 att.mdigest, att.msize, amd.mdigest);
	/* layout: index.json -> image index blob -> three manifests. */
	snprintf(text, sizeof(text), "{\"schemaVersion\":2,\"mediaType\":\"" MT_INDEX "\",\"manifests\":[%s,%s,%s]}",
		 entries[2], entries[0], entries[1]);
	if (!blob_put_text(layout, text, idigest) || !index_put(layout, MT_INDEX, idigest, strlen(text), "multi"))
		goto done;
	/* flat: the three manifests right in index.json. */
	if (!index_put_text(flat, text))
		goto done;

	for (round = 0; round < 2; round++) {
		const char *dir = round == 0 ? layout : flat;

		snprintf(target, sizeof(target), "oci:%s", dir);
		img = open_ok(target, NULL);
		if (img) {
			CHECK_STR(img->arch, "amd64");
			CHECK_STR(img->manifest_digest, amd.mdigest);
			CHECK_INT(img->nlayers, 2);
			cs_image_free(img);
		}
		img = open_ok(target, "linux/amd64");
		if (img) {
			CHECK_STR(img->manifest_digest, amd.mdigest);
			cs_image_free(img);
		}
		img = open_ok(target, "linux/x86_64");
		if (img) {
			CHECK_STR(img->manifest_digest, amd.mdigest);
			cs_image_free(img);
		}
		img = open_ok(target, "linux/arm64");
		if (img) {
			CHECK_STR(img->arch, "arm64");
			CHECK_STR(img->manifest_digest, arm.mdigest);
			CHECK_INT(img->nlayers, 1);
			if (img->nlayers == 1)
				CHECK_STR(img->layers[0].diff_id, l[2].diff_id);
			cs_image_free(img);
		}
		img = open_ok(target, "linux/aarch64/v8");
		if (img) {
			CHECK_STR(img->manifest_digest, arm.mdigest);
			cs_image_free(img);
		}
		open_fails(target, "linux/s390x", CS_ENOTFOUND, "no image for platform linux/s390x",
			   "(available: linux/amd64, linux/arm64/v8)");
		open_fails(target, "linux/arm64/v7", CS_ENOTFOUND, "available: linux/amd64, linux/arm64/v8", NULL);
		open_fails(target, "windows/amd64", CS_ENOTFOUND, "no image for platform windows/amd64", NULL);
		/* The attestation is never a candidate, even asked for by its platform. */
		open_fails(target, "unknown/unknown", CS_ENOTFOUND, "no image for platform unknown/unknown", NULL);
		open_fails(target, "linux", CS_EUSAGE, "a platform is os/arch[/variant]", NULL);
		open_fails(target, "linux/", CS_EUSAGE, "a platform is os/arch[/variant]", NULL);
		open_fails(target, "/amd64", CS_EUSAGE, "a platform is os/arch[/variant]", NULL);
		open_fails(target, "linux/arm64/v8/x", CS_EUSAGE, "a platform is os/arch[/variant]", NULL);
	}
	/* A single-platform image asked for another platform. */
	{
		std_image s;

		if (std_build(&s, "single")) {
			snprintf(target, sizeof(target), "oci:%s", s.layout);
			open_fails(target, "linux/arm64", CS_ENOTFOUND, "the image is linux/amd64, not linux/arm64", NULL);
		}
		std_free(&s);
	}
done:
	layer_free(&l[0]);
	layer_free(&l[1]);
	layer_free(&l[2]);
	tmp_end();
}

/* --- malformed OCI content ------------------------------------------------------------ */

/* Copies fmt to out with each "%s" replaced by digest and each "%zu" by size. */
static void expand(char *out, size_t outsz, const char *fmt, const char *digest, size_t size)
{
	cs_buf b;

	cs_buf_init(&b, 0);
	while (*fmt) {
		if (cs_str_starts(fmt, "%s")) {
			cs_buf_puts(&b, digest);
			fmt += 2;
		} else if (cs_str_starts(fmt, "%zu")) {
			cs_buf_printf(&b, "%zu", size);
			fmt += 3;
		} else {
			cs_buf_putc(&b, *fmt++);
		}
	}
	snprintf(out, outsz, "%s", b.data);
	cs_buf_release(&b);
}

TEST(index_errors)
{
	std_image s;
	char target[700], text[2048];
	const char *missing = "sha256:abababababababababababababababababababababababababababababababab";
	size_t i;
	static const struct {
		const char *index; /* %s: the manifest digest, %zu: its size */
		int code;
		const char *what;
	} cases[] = {
		{"{\"schemaVersion\":2,\"manifests\":[", CS_EFORMAT, "index.json': malformed JSON"},
		{"", CS_EFORMAT, "index.json': malformed JSON"},
		{"{\"manifests\":[]} {}", CS_EFORMAT, "index.json': malformed JSON"},
		{"[]", CS_EFORMAT, "index.json has no manifests array"},
		{"{\"manifests\":\"sha256:x\"}", CS_EFORMAT, "index.json has no manifests array"},
		{"{\"manifests\":{}}", CS_EFORMAT, "index.json has no manifests array"},
		{"{\"manifests\":[]}", CS_EFORMAT, "index.json lists no image"},
		{"{\"manifests\":[42]}", CS_EFORMAT, "index.json is not a descriptor object"},
		{"{\"manifests\":[[]]}", CS_EFORMAT, "index.json is not a descriptor object"},
		{"{\"manifests\":[{\"size\":%zu}]}", CS_EFORMAT, "has an invalid digest '(none)'"},
		{"{\"manifests\":[{\"digest\":7,\"size\":%zu}]}", CS_EFORMAT, "has an invalid digest"},
		{"{\"manifests\":[{\"digest\":\"sha256:../../../etc/passwd\",\"size\":%zu}]}", CS_EFORMAT,
		 "invalid digest 'sha256:../../../etc/passwd'"},
		{"{\"manifests\":[{\"digest\":\"sha256:ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB\","
		 "\"size\":%zu}]}",
		 CS_EFORMAT, "invalid digest"},
		{"{\"manifests\":[{\"digest\":\"sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		 "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e\",\"size\":%zu}]}",
		 CS_EFORMAT, "only sha256 digests are supported"},
		{"{\"manifests\":[{\"digest\":\"%s\"}]}", CS_EFORMAT, "index.json has no valid size"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":-1}]}", CS_EFORMAT, "has no valid size"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":1.5}]}", CS_EFORMAT, "has no valid size"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":\"12\"}]}", CS_EFORMAT, "has no valid size"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":1e300}]}", CS_EFORMAT, "has no valid size"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":9007199254740992}]}", CS_ELIMIT,
		 "declares 9007199254740992 bytes, more than the"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":1}]}", CS_EDIGEST, "its descriptor says 1"},
		{"{\"manifests\":[{\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\","
		 "\"digest\":\"%s\",\"size\":%zu}]}",
		 CS_EFORMAT, "Docker schema 1 manifest: not supported"},
		{"{\"manifests\":[{\"mediaType\":\"text/plain\",\"digest\":\"%s\",\"size\":%zu}]}", CS_EFORMAT,
		 "has unsupported media type 'text/plain'"},
		{"{\"manifests\":[{\"mediaType\":\"" MT_INDEX "\",\"digest\":\"%s\",\"size\":%zu}]}", CS_EFORMAT,
		 "has no manifests array"},
		{"{\"manifests\":[{\"digest\":\"%s\",\"size\":%zu},{\"digest\":\"%s\",\"size\":%zu}]}", CS_EUSAGE,
		 "index.json holds 2 images; name one with :TAG"},
	};

	if (!tmp_begin())
		return;
	if (!std_build(&s, "oci"))
		goto done;
	snprintf(target, sizeof(target), "oci:%s", s.layout);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		expand(text, sizeof(text), cases[i].index, s.img.mdigest, s.img.msize);
		index_put_text(s.layout, text);
		open_fails_at(target, NULL, cases[i].code, cases[i].what, s.layout, (int)i);
	}
	/* A blob that is not there. */
	index_put(s.layout, MT_MANIFEST, missing, 10, "v1");
	open_fails(target, NULL, CS_ENOTFOUND, "blob sha256:abab", "is missing");
	/* 100000 nested arrays. */
	if (write_nested(join(s.layout, "index.json")))
		open_fails(target, NULL, CS_EFORMAT, "index.json': malformed JSON", NULL);
	/* index.json missing, or a directory. */
	CHECK_INT(unlink(join(s.layout, "index.json")), 0);
	open_fails(target, NULL, CS_ENOTFOUND, "index.json': missing", NULL);
	CHECK_INT(mkdir(join(s.layout, "index.json"), 0755), 0);
	open_fails(target, NULL, CS_EFORMAT, "index.json': not a regular file", NULL);
	CHECK_INT(rmdir(join(s.layout, "index.json")), 0);
done:
	std_free(&s);
	tmp_end();
}

/* Puts manifest text as a blob and points index.json at it. */
static void manifest_case(const std_image *s, const char *text, int code, const char *what, int line)
{
	char digest[CS_DIGEST_MAX], target[700];

	blob_put_text(s->layout, text, digest);
	index_put(s->layout, MT_MANIFEST, digest, strlen(text), "v1");
	snprintf(target, sizeof(target), "oci:%s", s->layout);
	open_fails_at(target, NULL, code, what, s->layout, line);
}

/* Puts config text as a blob and a manifest naming it with the standard layers. */
static void config_case(const std_image *s, const char *text, int code, const char *what, int line)
{
	char digest[CS_DIGEST_MAX];
	cs_buf man;

	blob_put_text(s->layout, text, digest);
	cs_buf_init(&man, 0);
	manifest_json(&man, digest, strlen(text), s->l, 2);
	manifest_case(s, man.data, code, what, line);
	cs_buf_release(&man);
}

TEST(manifest_errors)
{
	std_image s;
	char text[4096], digest[CS_DIGEST_MAX], target[700], path[1024];
	cs_buf man, cfg;
	cs_limits lim;
	cs_image *img;
	size_t i;

	if (!tmp_begin())
		return;
	cs_buf_init(&man, 0);
	cs_buf_init(&cfg, 0);
	if (!std_build(&s, "oci"))
		goto done;
	snprintf(target, sizeof(target), "oci:%s", s.layout);
	config_json(&cfg, "amd64", s.l, 2);

	manifest_case(&s, "{\"schemaVersion\":2,\"config\":", CS_EFORMAT, "malformed JSON", __LINE__);
	manifest_case(&s, "[]", CS_EFORMAT, "is not a JSON object", __LINE__);
	manifest_case(&s, "{\"schemaVersion\":2}", CS_EFORMAT, "lacks config or layers", __LINE__);
	snprintf(text, sizeof(text), "{\"config\":{\"digest\":\"%s\",\"size\":%zu},\"layers\":\"%s\"}", s.img.cdigest,
		 cfg.len, s.l[0].digest);
	manifest_case(&s, text, CS_EFORMAT, "lacks config or layers", __LINE__);
	snprintf(text, sizeof(text), "{\"config\":\"%s\",\"layers\":[]}", s.img.cdigest);
	manifest_case(&s, text, CS_EFORMAT, "lacks config or layers", __LINE__);
	snprintf(text, sizeof(text), "{\"config\":{\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"digest\":\"%s\",\"size\":%zu},"
		 "{\"digest\":\"sha256:../../x\",\"size\":1}]}",
		 s.img.cdigest, cfg.len, s.l[0].digest, s.l[0].gn);
	manifest_case(&s, text, CS_EFORMAT, "layers[1] has an invalid digest 'sha256:../../x'", __LINE__);
	snprintf(text, sizeof(text), "{\"config\":{\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"digest\":\"%s\",\"size\":-5}]}",
		 s.img.cdigest, cfg.len, s.l[0].digest);
	manifest_case(&s, text, CS_EFORMAT, "layers[0] has no valid size", __LINE__);
	snprintf(text, sizeof(text), "{\"config\":{\"digest\":\"%s\",\"size\":%zu},\"layers\":[7]}", s.img.cdigest,
		 cfg.len);
	manifest_case(&s, text, CS_EFORMAT, "layers[0] is not a descriptor object", __LINE__);
	snprintf(text, sizeof(text), "{\"config\":{\"digest\":\"%s\",\"size\":%zu},\"layers\":[{\"mediaType\":"
		 "\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"%s\",\"size\":%zu}]}",
		 s.img.cdigest, cfg.len, s.l[0].digest, s.l[0].gn);
	manifest_case(&s, text, CS_EFORMAT, "layer 0 is a foreign (Windows) layer", __LINE__);
	/* Config problems. */
	config_case(&s, "[1,2]", CS_EFORMAT, "config is not a JSON object", __LINE__);
	config_case(&s, "{\"architecture\":\"amd64\"}", CS_EFORMAT, "config has no rootfs.diff_ids array", __LINE__);
	config_case(&s, "{\"rootfs\":{\"diff_ids\":\"x\"}}", CS_EFORMAT, "config has no rootfs.diff_ids array",
		    __LINE__);
	snprintf(text, sizeof(text), "{\"rootfs\":{\"diff_ids\":[\"%s\"]}}", s.l[0].diff_id);
	config_case(&s, text, CS_EFORMAT, "config lists 1 diff_ids but the manifest has 2 layers", __LINE__);
	snprintf(text, sizeof(text), "{\"rootfs\":{\"diff_ids\":[\"%s\",\"sha256:../x\"]}}", s.l[0].diff_id);
	config_case(&s, text, CS_EFORMAT, "rootfs.diff_ids[1] is not a sha256 digest", __LINE__);
	snprintf(text, sizeof(text), "{\"rootfs\":{\"diff_ids\":[\"%s\",7]}}", s.l[0].diff_id);
	config_case(&s, text, CS_EFORMAT, "rootfs.diff_ids[1] is not a sha256 digest", __LINE__);
	config_case(&s, "{\"rootfs\":", CS_EFORMAT, "malformed JSON", __LINE__);
	/* History oddities are not errors: wrong types are skipped, extra steps ignored. */
	snprintf(text, sizeof(text), "{\"rootfs\":{\"diff_ids\":[\"%s\",\"%s\"]},\"history\":[7,{\"created_by\":3},"
		 "{\"created_by\":\"b\"},{\"created_by\":\"c\"},{\"created_by\":\"d\"}]}",
		 s.l[0].diff_id, s.l[1].diff_id);
	blob_put_text(s.layout, text, digest);
	manifest_json(&man, digest, strlen(text), s.l, 2);
	blob_put_text(s.layout, man.data, digest);
	index_put(s.layout, MT_MANIFEST, digest, man.len, "v1");
	img = open_ok(target, NULL);
	if (img) {
		CHECK(img->layers[0].created_by == NULL);
		CHECK_STR(img->layers[1].created_by, "b");
		CHECK(img->os == NULL);
		cs_image_free(img);
	}

	/* The manifest's content does not match its digest (same size, one byte changed). */
	CHECK(index_put(s.layout, MT_MANIFEST, s.img.mdigest, s.img.msize, "v1"));
	snprintf(path, sizeof(path), "%s/blobs/sha256/%.64s", s.layout, s.img.mdigest + 7);
	{
		size_t n = 0;
		char *m = test_read_file(path, &n);

		CHECK(m != NULL && n == s.img.msize);
		if (m) {
			m[2] ^= 0x20; /* "schemaVersion" -> "SchemaVersion" */
			write_file(path, m, n);
			open_fails(target, NULL, CS_EDIGEST, "digest mismatch", s.img.mdigest);
			m[2] ^= 0x20;
			write_file(path, m, n);
			free(m);
		}
	}
	/* The same for the config. */
	snprintf(path, sizeof(path), "%s/blobs/sha256/%.64s", s.layout, s.img.cdigest + 7);
	{
		size_t n = 0;
		char *c = test_read_file(path, &n);

		if (c) {
			c[2] ^= 1;
			write_file(path, c, n);
			open_fails(target, NULL, CS_EDIGEST, "digest mismatch", s.img.cdigest);
			c[2] ^= 1;
			write_file(path, c, n);
			free(c);
		}
	}
	img = open_ok(target, NULL);
	cs_image_free(img);
	/* A missing config blob. */
	CHECK_INT(rename(path, join(s.layout, "config.moved")), 0);
	open_fails(target, NULL, CS_ENOTFOUND, "is missing", s.img.cdigest);
	CHECK_INT(rename(join(s.layout, "config.moved"), path), 0);
	/* A missing layer blob: the image opens, the layer does not, and says which. */
	snprintf(path, sizeof(path), "%s/blobs/sha256/%.64s", s.layout, s.l[1].digest + 7);
	CHECK_INT(unlink(path), 0);
	img = open_ok(target, NULL);
	if (img) {
		cs_stream *st = NULL;
		cs_err err;

		cs_err_clear(&err);
		CHECK_INT(cs_image_open_layer(img, 1, &st, &err), CS_ENOTFOUND);
		CHECK(strstr(err.msg, "layer 1") != NULL);
		CHECK(strstr(err.msg, s.l[1].digest) != NULL);
		CHECK(strstr(err.msg, "is missing") != NULL);
		cs_image_free(img);
	}
	/* More layers than allowed. */
	cs_limits_default(&lim);
	lim.max_layers = 1;
	open_fails_lim(target, NULL, &lim, CS_ELIMIT, "2 layers, more than the 1 allowed", NULL, __LINE__);
	/* Indexes nested deeper than allowed: a chain of 10 indexes. */
	{
		char next[CS_DIGEST_MAX];
		size_t next_size = s.img.msize;
		const char *mt = MT_MANIFEST;

		snprintf(next, sizeof(next), "%s", s.img.mdigest);
		for (i = 0; i < 10; i++) {
			snprintf(text, sizeof(text),
				 "{\"mediaType\":\"" MT_INDEX "\",\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}]}",
				 mt, next, next_size);
			blob_put_text(s.layout, text, next);
			next_size = strlen(text);
			mt = MT_INDEX;
		}
		index_put(s.layout, MT_INDEX, next, next_size, "v1");
		open_fails(target, NULL, CS_ELIMIT, "image indexes nested more than 8 deep", NULL);
		lim.max_layers = 1000;
		lim.max_index_depth = 20;
		{
			cs_err err;

			cs_err_clear(&err);
			img = NULL;
			/* Deep enough now; the layer deleted above does not matter to opening. */
			CHECK_INT(cs_image_open(&img, target, NULL, &lim, &err), 0);
			cs_image_free(img);
		}
	}
done:
	cs_buf_release(&man);
	cs_buf_release(&cfg);
	std_free(&s);
	tmp_end();
}

/* --- targets ------------------------------------------------------------------------ */

TEST(targets)
{
	char target[700];
	const char *empty, *text, *colon;
	std_image s;
	cs_image *img;

	if (!tmp_begin())
		return;
	/* registry references: malformed ones are usage errors; nothing here reaches a network */
	open_fails("docker://Alpine", NULL, CS_EUSAGE, "'Alpine': repository names must be lower case", NULL);
	open_fails("docker://", NULL, CS_EUSAGE, "an empty image reference", NULL);
	open_fails("docker:alpine", NULL, CS_EUSAGE, "written docker://NAME", NULL);
	open_fails("containers-storage:alpine", NULL, CS_EUSAGE, "the containers-storage transport is not supported yet", NULL);
	open_fails("registry:example.com/x", NULL, CS_EUSAGE, "'registry' is not a known transport", NULL);
	open_fails("foo:bar/baz", NULL, CS_EUSAGE, "'foo:bar/baz': no such file, not an image reference, and 'foo' is not a known transport", NULL);
	/* a reference to a loopback port nobody listens on: the registry, refused at once */
	open_fails("127.0.0.1:1/app:1", NULL, CS_EIO, "'127.0.0.1:1/app:1': cannot reach registry '127.0.0.1:1'", NULL);
	/* a name written like a file stays a file */
	open_fails("app.tar", NULL, CS_ENOTFOUND, "cannot open 'app.tar'", NULL);
	open_fails(tmp_path("nope"), NULL, CS_ENOTFOUND, "cannot open", tmp_path("nope"));
	snprintf(target, sizeof(target), "oci:%s", tmp_path("nope"));
	open_fails(target, NULL, CS_ENOTFOUND, "cannot open", NULL);
	snprintf(target, sizeof(target), "docker-archive:%s", tmp_path("nope.tar"));
	open_fails(target, NULL, CS_ENOTFOUND, "cannot open", NULL);
	open_fails("docker-archive:", NULL, CS_EUSAGE, "no path given", NULL);
	open_fails("oci:", NULL, CS_EUSAGE, "no path given", NULL);
	open_fails("oci-archive::tag", NULL, CS_EUSAGE, "no path given", NULL);
	/* A directory holding neither format. */
	empty = tmp_path("empty");
	CHECK_INT(mkdir(empty, 0755), 0);
	write_text(join(empty, "README"), "not an image\n");
	open_fails(empty, NULL, CS_EFORMAT, "not a container image", "customs rootfs");
	/* A file that is not an archive, and an archive that holds no image. */
	text = tmp_path("text.txt");
	write_text(text, "hello, world\n");
	open_fails(text, NULL, CS_EFORMAT, "not a readable tar archive", NULL);
	snprintf(target, sizeof(target), "oci:%s", text);
	open_fails(target, NULL, CS_EFORMAT, "not a directory", NULL);
	if (tar_dir(empty, tmp_path("empty.tar"), false))
		open_fails(tmp_path("empty.tar"), NULL, CS_EFORMAT, "not a container image", NULL);
	/* A path with a colon that exists wins over transport parsing. */
	colon = tmp_path("a:b");
	if (std_build(&s, "a:b")) {
		img = open_ok(colon, NULL);
		if (img) {
			CHECK_STR(img->transport, "oci");
			cs_image_free(img);
		}
	}
	std_free(&s);
	tmp_end();
}

/* --- a whole scan ------------------------------------------------------------------ */

static int list_names(const char *path, const cs_fsinfo *info, void *payload)
{
	cs_buf *b = payload;

	cs_buf_printf(b, "%s:%d,", path, info->layer);
	return 0;
}

TEST(scan_end_to_end)
{
	std_image s;
	cs_scan_opts opts;
	cs_scan *scan = NULL;
	char target[700], resolved[256];
	cs_fsinfo info;
	cs_err err;
	int code;
	size_t i;

	if (!tmp_begin())
		return;
	if (!std_build(&s, "oci"))
		goto done;
	snprintf(target, sizeof(target), "oci:%s", s.layout);
	cs_scan_opts_default(&opts);
	opts.jobs = 2;
	cs_err_clear(&err);
	code = cs_scan_run(&scan, target, false, &opts, &err);
	if (code != 0)
		fprintf(stderr, "  scan: %s\n", err.msg);
	CHECK_INT(code, 0);
	if (code == 0 && scan) {
		const cs_artifact *art = cs_scan_artifact(scan);
		cs_buf b;

		CHECK_STR(art->type, "container_image");
		CHECK_STR(art->image_id, s.img.cdigest);
		CHECK_STR(art->manifest_digest, s.img.mdigest);
		CHECK_STR(art->arch, "amd64");
		CHECK_INT(cs_scan_layer_count(scan), 2);
		for (i = 0; i < 2; i++) {
			const cs_layer *l = cs_scan_layer(scan, i);

			CHECK(l != NULL);
			if (!l)
				continue;
			CHECK_INT(l->index, (int)i);
			CHECK_STR(l->digest, s.l[i].digest);
			CHECK_STR(l->diff_id, s.l[i].diff_id);
			CHECK_STR(l->compression, "gzip");
			CHECK_STR(l->media_type, MT_LAYER_GZ);
			CHECK_INT(l->size, s.l[i].gn);
			CHECK_INT(l->tar_size, s.l[i].tn);
			CHECK_STR(l->created_by, i == 0 ? "step 0" : "step 1");
		}
		CHECK_INT(cs_scan_layer(scan, 0)->entries, 7);
		CHECK_INT(cs_scan_layer(scan, 1)->entries, 3);
		CHECK(cs_scan_layer(scan, 2) == NULL);

		/* Deleted by layer 1, written by layer 0. */
		cs_err_clear(&err);
		CHECK_INT(cs_scan_lookup(scan, "etc/passwd", false, &info, NULL, 0, &err), CS_ENOTFOUND);
		CHECK_INT(info.layer, 0);
		CHECK_INT(info.deleted_by, 1);
		/* Overwritten by layer 1. */
		CHECK_INT(cs_scan_lookup(scan, "etc/hostname", false, &info, NULL, 0, &err), 0);
		CHECK_INT(info.layer, 1);
		CHECK_INT(info.deleted_by, -1);
		CHECK_INT(info.size, 4);
		CHECK_INT(cs_scan_lookup(scan, "opt/app/run.sh", true, &info, NULL, 0, &err), 0);
		CHECK_INT(info.layer, 1);
		/* Followed through Debian's link, and through a linked directory. */
		CHECK_INT(cs_scan_lookup(scan, "etc/os-release", true, &info, resolved, sizeof(resolved), &err), 0);
		CHECK_STR(resolved, "usr/lib/os-release");
		CHECK_INT(info.layer, 0);
		CHECK_INT(info.size, strlen(os_release));
		CHECK_INT(cs_scan_lookup(scan, "lib/os-release", true, &info, resolved, sizeof(resolved), &err), 0);
		CHECK_STR(resolved, "usr/lib/os-release");
		CHECK_INT(cs_scan_lookup(scan, "etc/os-release", false, &info, NULL, 0, &err), 0);
		CHECK_STR(info.link, "../usr/lib/os-release");
		CHECK_INT(cs_scan_lookup(scan, "etc/shadow", true, &info, NULL, 0, &err), CS_ENOTFOUND);
		CHECK_INT(info.deleted_by, -1);
		/* The final etc/, in name order, without the deleted file. */
		cs_buf_init(&b, 0);
		CHECK_INT(cs_scan_list_dir(scan, "etc", list_names, &b), 0);
		CHECK_STR(b.data, "etc/hostname:1,etc/os-release:0,");
		cs_buf_release(&b);
		CHECK_INT(cs_scan_error_count(scan), 0);
	}
	cs_scan_free(scan);
	scan = NULL;

	/* A layer whose content does not match the config's diff_id fails the scan. */
	{
		layer_blob swapped[2];
		put_image p;
		cs_buf cfg, man;
		char cdigest[CS_DIGEST_MAX];

		swapped[0] = s.l[0];
		swapped[1] = s.l[1];
		memcpy(swapped[1].diff_id, s.l[0].diff_id, CS_DIGEST_MAX);
		cs_buf_init(&cfg, 0);
		cs_buf_init(&man, 0);
		config_json(&cfg, "amd64", swapped, 2);
		blob_put_text(s.layout, cfg.data, cdigest);
		manifest_json(&man, cdigest, cfg.len, s.l, 2);
		blob_put_text(s.layout, man.data, p.mdigest);
		index_put(s.layout, MT_MANIFEST, p.mdigest, man.len, "v1");
		cs_buf_release(&cfg);
		cs_buf_release(&man);
		cs_err_clear(&err);
		code = cs_scan_run(&scan, target, false, &opts, &err);
		CHECK_INT(code, CS_EDIGEST);
		CHECK(strstr(err.msg, "layer 1") != NULL);
		CHECK(strstr(err.msg, "diff_id mismatch") != NULL);
		cs_scan_free(scan);
		scan = NULL;
	}
	/* A missing layer blob fails the scan and names the blob. */
	{
		char path[1024];

		index_put(s.layout, MT_MANIFEST, s.img.mdigest, s.img.msize, "v1");
		snprintf(path, sizeof(path), "%s/blobs/sha256/%.64s", s.layout, s.l[0].digest + 7);
		CHECK_INT(unlink(path), 0);
		cs_err_clear(&err);
		code = cs_scan_run(&scan, target, false, &opts, &err);
		CHECK_INT(code, CS_ENOTFOUND);
		CHECK(strstr(err.msg, s.l[0].digest) != NULL);
		cs_scan_free(scan);
	}
done:
	std_free(&s);
	tmp_end();
}

TEST_MAIN(TEST_ENTRY(oci_layout), TEST_ENTRY(oci_archive), TEST_ENTRY(docker_archive), TEST_ENTRY(docker_errors),
	  TEST_ENTRY(multi_platform), TEST_ENTRY(index_errors), TEST_ENTRY(manifest_errors), TEST_ENTRY(targets),
	  TEST_ENTRY(scan_end_to_end))
