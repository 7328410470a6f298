/*
 * fuzz_config.c - libFuzzer target for the image metadata parsers
 * (image/config.c, oci.c, docker.c, image.c, core/json.c).
 *
 * Each input is tried as four documents:
 *   1. an image config, through cs_image_apply_config on an image with two
 *      layers (history mapping, diff_ids, platform fields);
 *   2. an OCI index.json, opened with cs_image_open in a layout that also
 *      holds a valid manifest, config and nested index (the seeds name
 *      them), so mutations reach index selection, platforms and nesting;
 *   3. an OCI manifest, stored as a blob under its own digest and named by
 *      a generated index.json;
 *   4. a docker-archive manifest.json, beside a valid config.
 * The layouts live in one temporary directory per process, removed at exit.
 * A crash, a sanitizer report or a broken contract (a failure without a
 * message, a success without layers' diff_ids) is a bug. Seeds:
 * corpus/config/.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/json.h"
#include "core/sha256.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fixed blobs of the layouts; the digests are checked at start-up. */
#define CFG_DIGEST "sha256:f18760c52cfb58759baeb885bdc31a45cc860f65504d9722cab4381ec6a78698"
#define MAN_DIGEST "sha256:9aa25c5ef8727873d0f17f65527fb0166143ab7ae09ed7a4693c50418b939832"
#define IDX_DIGEST "sha256:ef954b1dc34bc22a05cae8f3a3f7ebe92b7164869b4fb6d8c663093970e06821"
#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"

static const char cfg_json[] =
	"{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"sha256:"
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"]},\"history\":[{\"created_by\":\"step 0\"},"
	"{\"created_by\":\"ENV X=1\",\"empty_layer\":true},{\"created_by\":\"step 1\"}]}";

static const char man_json[] =
	"{\"schemaVersion\":2,\"mediaType\":\"" MT_MANIFEST "\",\"config\":{\"mediaType\":"
	"\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" CFG_DIGEST "\",\"size\":329},\"layers\":["
	"{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:"
	"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\",\"size\":100},{\"mediaType\":"
	"\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:"
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd\",\"size\":200}]}";

static const char idx_json[] =
	"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
	"{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" MAN_DIGEST "\",\"size\":555,"
	"\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
	"{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" MAN_DIGEST "\",\"size\":555,"
	"\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}},"
	"{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"" MAN_DIGEST "\",\"size\":555,"
	"\"platform\":{\"architecture\":\"unknown\",\"os\":\"unknown\"},"
	"\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}}]}";

static char root[64];            /* the temporary directory, "" before set-up */
static char oci_dir[128];        /* layout whose index.json is the input */
static char man_dir[128];        /* layout whose manifest is the input */
static char docker_dir[128];     /* docker archive directory whose manifest.json is the input */

static void cleanup(void)
{
	if (root[0])
		rm_tree(root);
	root[0] = '\0';
}

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n))
		abort();
	close(fd);
}

static void put_blob(const char *dir, const char *digest, const char *text)
{
	char name[128];

	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	put(dir, name, text, strlen(text));
}

static void make_layout(char *dir, size_t dirsz, const char *name)
{
	char sub[256];

	snprintf(dir, dirsz, "%s/%s", root, name);
	snprintf(sub, sizeof(sub), "%s/blobs", dir);
	if (mkdir(dir, 0755) < 0 || mkdir(sub, 0755) < 0)
		abort();
	snprintf(sub, sizeof(sub), "%s/blobs/sha256", dir);
	if (mkdir(sub, 0755) < 0)
		abort();
	put(dir, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", strlen("{\"imageLayoutVersion\":\"1.0.0\"}"));
	put_blob(dir, CFG_DIGEST, cfg_json);
	put_blob(dir, MAN_DIGEST, man_json);
	put_blob(dir, IDX_DIGEST, idx_json);
}

static void setup(void)
{
	char d[CS_DIGEST_MAX];

	cs_sha256_buf(cfg_json, strlen(cfg_json), d);
	if (strcmp(d, CFG_DIGEST) != 0 || strlen(cfg_json) != 329)
		abort();
	cs_sha256_buf(man_json, strlen(man_json), d);
	if (strcmp(d, MAN_DIGEST) != 0 || strlen(man_json) != 555)
		abort();
	cs_sha256_buf(idx_json, strlen(idx_json), d);
	if (strcmp(d, IDX_DIGEST) != 0)
		abort();
	snprintf(root, sizeof(root), "/tmp/customs-fuzz-config-XXXXXX");
	if (!mkdtemp(root))
		abort();
	atexit(cleanup);
	make_layout(oci_dir, sizeof(oci_dir), "oci");
	make_layout(man_dir, sizeof(man_dir), "man");
	snprintf(docker_dir, sizeof(docker_dir), "%s/docker", root);
	if (mkdir(docker_dir, 0755) < 0)
		abort();
	put(docker_dir, "f18760c52cfb58759baeb885bdc31a45cc860f65504d9722cab4381ec6a78698.json", cfg_json,
	    strlen(cfg_json));
	put(docker_dir, "config.json", cfg_json, strlen(cfg_json));
}

/* 1: the bytes as a config of an image with two layers. */
static void try_config(const uint8_t *data, size_t size)
{
	cs_image *img = calloc(1, sizeof(*img));
	cs_err err;
	size_t i;
	int code;

	if (!img)
		return;
	cs_arena_init(&img->arena);
	cs_err_clear(&err);
	img->nlayers = 2;
	img->layers = cs_arena_calloc(&img->arena, 2, sizeof(*img->layers));
	img->config = cs_json_parse((const char *)data, size, "'config'", &err);
	if (!img->config && err.code != CS_EFORMAT)
		abort();
	if (img->layers && img->config) {
		code = cs_image_apply_config(img, "'config'", &err);
		if (code == 0) {
			for (i = 0; i < 2; i++)
				if (!cs_digest_valid(img->layers[i].diff_id))
					abort();
		} else if (code != CS_EFORMAT || !err.msg[0]) {
			abort();
		}
	}
	cs_image_free(img);
}

/* Opens target; checks the contract of the result. */
static void try_open(const char *target, const char *platform)
{
	cs_image *img = NULL;
	cs_limits lim;
	cs_err err;
	size_t i;
	int code;

	cs_limits_default(&lim);
	cs_err_clear(&err);
	code = cs_image_open(&img, target, platform, &lim, &err);
	if (code == 0) {
		if (!img || !img->config || img->nlayers > lim.max_layers)
			abort();
		for (i = 0; i < img->nlayers; i++)
			if (!cs_digest_valid(img->layers[i].diff_id) || !img->layers[i].member)
				abort();
	} else if (img || !err.msg[0] || code > 0) {
		abort();
	}
	cs_image_free(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const platforms[] = {NULL, "linux/arm64", "linux/arm64/v8", "windows/amd64"};
	char target[256], digest[CS_DIGEST_MAX], name[128], index[512];

	if (!root[0])
		setup();
	try_config(data, size);

	/* 2: index.json. */
	put(oci_dir, "index.json", data, size);
	snprintf(target, sizeof(target), "oci:%s", oci_dir);
	try_open(target, NULL);
	try_open(target, platforms[1 + size % 3]);

	/* 3: a manifest, named by its digest. */
	cs_sha256_buf(data, size, digest);
	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	put(man_dir, name, data, size);
	snprintf(index, sizeof(index),
		 "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" MT_MANIFEST "\",\"digest\":\"%s\","
		 "\"size\":%zu}]}",
		 digest, size);
	put(man_dir, "index.json", index, strlen(index));
	snprintf(target, sizeof(target), "oci:%s", man_dir);
	try_open(target, NULL);
	if (strcmp(digest, CFG_DIGEST) && strcmp(digest, MAN_DIGEST) && strcmp(digest, IDX_DIGEST)) {
		snprintf(target, sizeof(target), "%s/%s", man_dir, name);
		unlink(target);
	}

	/* 4: a docker archive's manifest.json. */
	put(docker_dir, "manifest.json", data, size);
	try_open(docker_dir, NULL);
	return 0;
}
