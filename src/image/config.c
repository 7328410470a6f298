/*
 * config.c - the image config: diff_ids, platform, and history mapped to
 * layers (see image.h).
 *
 * History entries with "empty_layer": true (ENV, CMD, ...) own no layer; the
 * others own the layers in order. When the two counts disagree (squashed or
 * hand-made images) the layers left over get no created_by, never another
 * step's.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/json.h"

static const char *dup_or_null(cs_image *img, const char *s)
{
	return s ? cs_arena_strdup(&img->arena, s) : NULL;
}

int cs_image_apply_config(cs_image *img, const char *what, cs_err *err)
{
	const cJSON *cfg = img->config, *rootfs, *ids, *hist, *h;
	size_t i = 0, n;

	if (!cJSON_IsObject(cfg))
		return cs_err_set(err, CS_EFORMAT, "%s: config is not a JSON object", what);
	rootfs = cs_json_obj(cfg, "rootfs");
	ids = cs_json_arr(rootfs, "diff_ids");
	if (!ids)
		return cs_err_set(err, CS_EFORMAT, "%s: config has no rootfs.diff_ids array", what);
	n = (size_t)cJSON_GetArraySize(ids);
	if (n != img->nlayers)
		return cs_err_set(err, CS_EFORMAT, "%s: config lists %zu diff_ids but the manifest has %zu layers",
				  what, n, img->nlayers);
	for (i = 0; i < n; i++) {
		const cJSON *id = cJSON_GetArrayItem(ids, (int)i);

		if (!cJSON_IsString(id) || !cs_digest_valid(id->valuestring))
			return cs_err_set(err, CS_EFORMAT, "%s: rootfs.diff_ids[%zu] is not a sha256 digest", what, i);
		snprintf(img->layers[i].diff_id, CS_DIGEST_MAX, "%s", id->valuestring);
	}
	img->os = dup_or_null(img, cs_json_str(cfg, "os"));
	img->arch = dup_or_null(img, cs_json_str(cfg, "architecture"));
	img->variant = dup_or_null(img, cs_json_str(cfg, "variant"));

	hist = cs_json_arr(cfg, "history");
	i = 0;
	cJSON_ArrayForEach(h, hist)
	{
		if (!cJSON_IsObject(h) || cs_json_true(h, "empty_layer"))
			continue;
		if (i >= img->nlayers)
			break;
		img->layers[i].created_by = dup_or_null(img, cs_json_str(h, "created_by"));
		img->layers[i].created = dup_or_null(img, cs_json_str(h, "created"));
		img->layers[i].comment = dup_or_null(img, cs_json_str(h, "comment"));
		i++;
	}
	return 0;
}
