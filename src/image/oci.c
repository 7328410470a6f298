/*
 * oci.c - OCI image layout, as a directory or a tar archive (see image.h).
 *
 * index.json -> (image index ->)* manifest -> config + layers. A tag selects
 * among index.json's entries by their org.opencontainers.image.ref.name
 * annotation; a multi-platform index is resolved by platform. Every blob is
 * named by its digest, which is validated before it becomes a member name
 * and checked against the content read.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strutil.h"

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define MT_DOCKER_V1 "application/vnd.docker.distribution.manifest.v1"

typedef struct oci_ctx {
	cs_image *img;
	const char *platform; /* as asked, or NULL */
	char want_os[64], want_arch[64], want_variant[64];
	const cs_limits *lim; /* the image's */
	char what[600];       /* "'path'" for messages */
} oci_ctx;

static const char *normalize_arch(const char *a)
{
	if (!strcmp(a, "x86_64") || !strcmp(a, "x86-64"))
		return "amd64";
	if (!strcmp(a, "aarch64"))
		return "arm64";
	return a;
}

/* Validates a descriptor; fills digest, size, media type (may be NULL). */
static int read_desc(oci_ctx *c, const cJSON *d, const char *where, char digest[CS_DIGEST_MAX],
		     uint64_t *size, const char **mt, cs_err *err)
{
	const char *dg = cs_json_str(d, "digest");

	if (!cJSON_IsObject(d))
		return cs_err_set(err, CS_EFORMAT, "%s: %s is not a descriptor object", c->what, where);
	if (!dg || !cs_digest_valid(dg))
		return cs_err_set(err, CS_EFORMAT, "%s: %s has an invalid digest '%s'", c->what, where,
				  dg ? dg : "(none)");
	if (strncmp(dg, "sha256:", 7) != 0)
		return cs_err_set(err, CS_EFORMAT, "%s: %s: only sha256 digests are supported", c->what, where);
	if (!cs_json_u64(d, "size", size))
		return cs_err_set(err, CS_EFORMAT, "%s: %s has no valid size", c->what, where);
	snprintf(digest, CS_DIGEST_MAX, "%s", dg);
	*mt = cs_json_str(d, "mediaType");
	return 0;
}

static const char *blob_member(cs_image *img, const char *digest)
{
	/* digest is validated: "sha256:<hex>" -> "blobs/sha256/<hex>". */
	return cs_arena_printf(&img->arena, "blobs/sha256/%s", digest + 7);
}

/* Reads a JSON blob named by a descriptor, checking size and digest. */
static int read_blob_json(oci_ctx *c, const char *digest, uint64_t size, cJSON **out, cs_err *err)
{
	const char *member = blob_member(c->img, digest);
	uint64_t have;
	int code;

	if (!member)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (size > c->lim->max_json)
		return cs_err_set(err, CS_ELIMIT, "%s: blob %s declares %llu bytes, more than the %llu allowed",
				  c->what, digest, (unsigned long long)size,
				  (unsigned long long)c->lim->max_json);
	code = cs_store_size(c->img->store, member, &have, err);
	if (code == CS_ENOTFOUND)
		return cs_err_set(err, CS_ENOTFOUND, "%s: blob %s is missing", c->what, digest);
	if (code < 0)
		return code;
	if (have != size)
		return cs_err_set(err, CS_EDIGEST, "%s: blob %s is %llu bytes, its descriptor says %llu", c->what,
				  digest, (unsigned long long)have, (unsigned long long)size);
	return cs_image_read_json(c->img, member, digest, NULL, out, err);
}

static bool is_attestation(const cJSON *d)
{
	const cJSON *ann = cs_json_obj(d, "annotations"), *plat = cs_json_obj(d, "platform");
	const char *t = cs_json_str(ann, "vnd.docker.reference.type");
	const char *os = cs_json_str(plat, "os");

	return (t && !strcmp(t, "attestation-manifest")) || (os && !strcmp(os, "unknown"));
}

static bool platform_matches(oci_ctx *c, const cJSON *d)
{
	const cJSON *p = cs_json_obj(d, "platform");
	const char *os = cs_json_str(p, "os"), *arch = cs_json_str(p, "architecture");
	const char *variant = cs_json_str(p, "variant");

	if (!os || !arch || strcmp(os, c->want_os) || strcmp(normalize_arch(arch), c->want_arch))
		return false;
	return !c->want_variant[0] || (variant && !strcmp(variant, c->want_variant));
}

static void list_platforms(const cJSON *list, cs_buf *b)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, list)
	{
		const cJSON *p = cs_json_obj(d, "platform");
		const char *os = cs_json_str(p, "os"), *arch = cs_json_str(p, "architecture");
		const char *variant = cs_json_str(p, "variant");

		if (!os || !arch || is_attestation(d))
			continue;
		cs_buf_printf(b, "%s%s/%s%s%s", b->len ? ", " : "", os, arch, variant ? "/" : "",
			      variant ? variant : "");
	}
}

static int follow(oci_ctx *c, const cJSON *desc, const char *where, unsigned depth, cs_err *err);

/* Chooses one descriptor of an index's manifests and follows it. */
static int choose(oci_ctx *c, const cJSON *list, const char *where, unsigned depth, cs_err *err)
{
	const cJSON *d, *only = NULL, *match = NULL;
	int candidates = 0, with_platform = 0;

	cJSON_ArrayForEach(d, list)
	{
		if (is_attestation(d))
			continue;
		candidates++;
		only = d;
		if (cs_json_obj(d, "platform"))
			with_platform++;
		if (!match && platform_matches(c, d))
			match = d;
	}
	if (candidates == 0)
		return cs_err_set(err, CS_EFORMAT, "%s: %s lists no image", c->what, where);
	if (match)
		return follow(c, match, where, depth, err);
	if (candidates == 1 && (!c->platform || !cs_json_obj(only, "platform")))
		return follow(c, only, where, depth, err);
	if (with_platform) {
		cs_buf b;
		int code;

		cs_buf_init(&b, 4096);
		list_platforms(list, &b);
		code = cs_err_set(err, CS_ENOTFOUND, "%s: no image for platform %s/%s%s%s (available: %s)",
				  c->what, c->want_os, c->want_arch, c->want_variant[0] ? "/" : "",
				  c->want_variant, b.len ? b.data : "none");
		cs_buf_release(&b);
		return code;
	}
	return cs_err_set(err, CS_EUSAGE, "%s: %s holds %d images; name one with :TAG", c->what, where,
			  candidates);
}

static int load_manifest(oci_ctx *c, const cJSON *m, const char *digest, cs_err *err)
{
	cs_image *img = c->img;
	const cJSON *cfg = cs_json_obj(m, "config"), *layers = cs_json_arr(m, "layers"), *l;
	char cdigest[CS_DIGEST_MAX], where[64];
	const char *mt;
	uint64_t csize;
	size_t i = 0;
	int code;

	snprintf(img->manifest_digest, CS_DIGEST_MAX, "%s", digest);
	if (!cfg || !layers)
		return cs_err_set(err, CS_EFORMAT, "%s: manifest %s lacks config or layers", c->what, digest);
	if ((code = read_desc(c, cfg, "the manifest's config", cdigest, &csize, &mt, err)) < 0)
		return code;
	img->nlayers = (size_t)cJSON_GetArraySize(layers);
	if (img->nlayers > c->lim->max_layers)
		return cs_err_set(err, CS_ELIMIT, "%s: %zu layers, more than the %u allowed", c->what,
				  img->nlayers, c->lim->max_layers);
	img->layers = cs_arena_calloc(&img->arena, img->nlayers ? img->nlayers : 1, sizeof(*img->layers));
	if (!img->layers)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cJSON_ArrayForEach(l, layers)
	{
		cs_image_layer *il = &img->layers[i];

		snprintf(where, sizeof(where), "layers[%zu]", i);
		if ((code = read_desc(c, l, where, il->digest, &il->size, &mt, err)) < 0)
			return code;
		if (mt && strstr(mt, "foreign"))
			return cs_err_set(err, CS_EFORMAT, "%s: layer %zu is a foreign (Windows) layer: not supported",
					  c->what, i);
		il->media_type = mt ? cs_arena_strdup(&img->arena, mt) : NULL;
		il->member = blob_member(img, il->digest);
		i++;
	}
	if ((code = read_blob_json(c, cdigest, csize, &img->config, err)) < 0)
		return code;
	snprintf(img->config_digest, CS_DIGEST_MAX, "%s", cdigest);
	/* cs_image_open checks a single image's platform against --platform. */
	return cs_image_apply_config(img, c->what, err);
}

static int follow(oci_ctx *c, const cJSON *desc, const char *where, unsigned depth, cs_err *err)
{
	char digest[CS_DIGEST_MAX];
	const char *mt, *inner_mt;
	uint64_t size;
	cJSON *doc = NULL;
	int code;

	if (depth > c->lim->max_index_depth)
		return cs_err_set(err, CS_ELIMIT, "%s: image indexes nested more than %u deep", c->what,
				  c->lim->max_index_depth);
	if ((code = read_desc(c, desc, where, digest, &size, &mt, err)) < 0)
		return code;
	if (mt && cs_str_starts(mt, MT_DOCKER_V1))
		return cs_err_set(err, CS_EFORMAT, "%s: %s is a Docker schema 1 manifest: not supported", c->what,
				  digest);
	if ((code = read_blob_json(c, digest, size, &doc, err)) < 0)
		return code;
	inner_mt = cs_json_str(doc, "mediaType");
	if (!mt)
		mt = inner_mt;
	if (!cJSON_IsObject(doc)) {
		code = cs_err_set(err, CS_EFORMAT, "%s: blob %s is not a JSON object", c->what, digest);
	} else if ((mt && (!strcmp(mt, MT_OCI_INDEX) || !strcmp(mt, MT_DOCKER_LIST))) ||
		   (!mt && cs_json_arr(doc, "manifests"))) {
		const cJSON *list = cs_json_arr(doc, "manifests");

		if (!list)
			code = cs_err_set(err, CS_EFORMAT, "%s: index %s has no manifests array", c->what, digest);
		else
			code = choose(c, list, "an image index", depth + 1, err);
	} else if (!mt || !strcmp(mt, MT_OCI_MANIFEST) || !strcmp(mt, MT_DOCKER_MANIFEST)) {
		code = load_manifest(c, doc, digest, err);
	} else {
		code = cs_err_set(err, CS_EFORMAT, "%s: %s has unsupported media type '%s'", c->what, digest, mt);
	}
	cJSON_Delete(doc);
	return code;
}

static bool ref_name_matches(const cJSON *d, const char *tag)
{
	const cJSON *ann = cs_json_obj(d, "annotations");
	const char *ref = cs_json_str(ann, "org.opencontainers.image.ref.name");
	const char *full = cs_json_str(ann, "io.containerd.image.name");
	size_t tl = strlen(tag);

	if (ref && !strcmp(ref, tag))
		return true;
	/* containerd and buildx write the whole reference; accept its tag. */
	return full && (!strcmp(full, tag) ||
			(strlen(full) > tl && full[strlen(full) - tl - 1] == ':' && cs_str_ends(full, tag)));
}

int cs_oci_load(cs_image *img, const char *tag, const char *platform, cs_err *err)
{
	oci_ctx c;
	cJSON *layout = NULL, *index = NULL, *tagged = NULL;
	const cJSON *list, *d;
	int code;

	memset(&c, 0, sizeof(c));
	c.img = img;
	c.platform = platform;
	c.lim = &img->lim;
	snprintf(c.what, sizeof(c.what), "'%s'", cs_store_path(img->store));
	if ((code = cs_platform_parse(platform ? platform : "linux/amd64", c.want_os, c.want_arch,
				      c.want_variant, err)) < 0)
		return code;
	if (cs_store_has(img->store, "oci-layout")) {
		if ((code = cs_image_read_json(img, "oci-layout", NULL, NULL, &layout, err)) < 0)
			goto done;
		if (!cs_json_str(layout, "imageLayoutVersion")) {
			code = cs_err_set(err, CS_EFORMAT, "%s: oci-layout has no imageLayoutVersion", c.what);
			goto done;
		}
	}
	if ((code = cs_image_read_json(img, "index.json", NULL, NULL, &index, err)) < 0)
		goto done;
	list = cs_json_arr(index, "manifests");
	if (!list) {
		code = cs_err_set(err, CS_EFORMAT, "%s: index.json has no manifests array", c.what);
		goto done;
	}
	if (tag) {
		tagged = cJSON_CreateArray();
		if (!tagged) {
			code = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto done;
		}
		cJSON_ArrayForEach(d, list)
		{
			if (ref_name_matches(d, tag))
				cJSON_AddItemReferenceToArray(tagged, (cJSON *)d);
		}
		if (cJSON_GetArraySize(tagged) == 0) {
			cs_buf b;

			cs_buf_init(&b, 4096);
			cJSON_ArrayForEach(d, list)
			{
				const char *r = cs_json_str(cs_json_obj(d, "annotations"),
							    "org.opencontainers.image.ref.name");
				if (r)
					cs_buf_printf(&b, "%s%s", b.len ? ", " : "", r);
			}
			code = cs_err_set(err, CS_ENOTFOUND, "%s: no image tagged '%s' (tags: %s)", c.what, tag,
					  b.len ? b.data : "none");
			cs_buf_release(&b);
			goto done;
		}
		list = tagged;
	}
	code = choose(&c, list, "index.json", 0, err);
done:
	cJSON_Delete(tagged);
	cJSON_Delete(index);
	cJSON_Delete(layout);
	return code;
}
