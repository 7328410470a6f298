/*
 * dockerstream.c - a docker archive read in one pass from a stream that
 * cannot seek (see image.h, "Streamed images").
 *
 * `docker save` and `podman save` write the layers first and manifest.json
 * (often the config too) last, so nothing says which member is which layer
 * until the end. Each member is therefore judged by its first bytes as it
 * arrives: one that starts like a layer blob (gzip or zstd magic, or a tar
 * header) is handed to the caller to walk there and then; any other member
 * small enough to be JSON (manifest.json, the config, legacy "json" and
 * "VERSION" files, an empty layer of zero blocks) is kept in memory; the
 * rest goes by. At the end the kept members are an ordinary store for
 * docker.c, and the caller puts the walked blobs in their places by name.
 * Memory stays bounded: no layer is ever held whole.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/json.h"
#include "image/decompress.h"

/* The first bytes of a layer blob: gzip or zstd, or a tar header (ustar magic at 257). */
static bool looks_like_layer(const uint8_t *p, size_t n)
{
	if (n >= 4 && cs_comp_detect(p, n) != CS_COMP_NONE)
		return true;
	return n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
}

int cs_image_next_blob(cs_image *img, cs_image_blob *out, cs_stream **blob, cs_err *err)
{
	const char *name;
	const uint8_t *head;
	uint64_t size;
	size_t n;
	int code;

	memset(out, 0, sizeof(*out));
	*blob = NULL;
	for (;;) {
		if ((code = cs_store_next(img->store, &name, &size, err)) <= 0)
			return code;
		cs_store_peek(img->store, &head, &n);
		if (looks_like_layer(head, n)) {
			out->member = name;
			out->size = size;
			cs_docker_member_digest(name, out->digest);
			if ((code = cs_store_stream(img->store, blob, err)) < 0)
				return code;
			return 1;
		}
		if (size <= img->lim.max_json && (code = cs_store_keep(img->store, err)) < 0)
			return code;
	}
}

int cs_image_stream_done(cs_image *img, cs_err *err)
{
	const char **tags = img->repo_tags;
	size_t ntags = img->nrepo_tags, i;
	int code;

	if (!cs_store_has(img->store, "manifest.json"))
		return cs_err_set(err, CS_EFORMAT, "'%s': no manifest.json in the stream: not a docker archive",
				  cs_store_path(img->store));
	if ((code = cs_docker_load(img, img->ref, err)) < 0)
		return code;
	/* an image asked for by id comes without tags: keep those the source knew */
	if (!img->nrepo_tags && ntags) {
		img->repo_tags = tags;
		img->nrepo_tags = ntags;
	}
	for (i = 0; i < img->nlayers; i++) {
		const char *canon = cs_store_canonical(img->store, img->layers[i].member);

		if (canon)
			img->layers[i].member = canon;
	}
	return cs_image_loaded(img, img->name, err);
}

bool cs_image_names_layer(cs_image *img, const char *member)
{
	cJSON *list = NULL;
	const cJSON *entry, *l;
	bool found = false;

	if (cs_image_read_json(img, "manifest.json", NULL, NULL, &list, NULL) < 0)
		return false;
	cJSON_ArrayForEach(entry, list)
	{
		cJSON_ArrayForEach(l, cs_json_arr(entry, "Layers"))
		{
			const char *canon = cJSON_IsString(l) ? cs_store_canonical(img->store, l->valuestring) : NULL;

			if (canon && !strcmp(canon, member))
				found = true;
		}
	}
	cJSON_Delete(list);
	return found;
}
