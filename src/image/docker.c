/*
 * docker.c - docker-archive: what `docker save`, `podman save` and
 * `skopeo copy ... docker-archive:` write (see image.h).
 *
 * manifest.json is an array of {Config, RepoTags, Layers}; Layers name tar
 * members ("<id>/layer.tar" in the legacy layout, "blobs/sha256/<hex>" since
 * Docker 25). A member named by its digest is checked against it; the
 * config is always checked against the sha256 in its name when it has one,
 * and its digest is the image id.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/json.h"
#include "core/strutil.h"

void cs_docker_member_digest(const char *member, char out[CS_DIGEST_MAX])
{
	const char *base = cs_path_base(member);
	char cand[CS_DIGEST_MAX];
	size_t n = strlen(base);

	out[0] = '\0';
	if (cs_str_ends(base, ".json"))
		n -= 5;
	if (n != 64)
		return;
	snprintf(cand, sizeof(cand), "sha256:%.*s", 64, base);
	if (cs_digest_valid(cand))
		memcpy(out, cand, strlen(cand) + 1);
}

/* Tag match, forgiving Docker Hub's implicit "docker.io/" and "library/". */
static const char *strip_hub(const char *s)
{
	if (cs_str_starts(s, "docker.io/"))
		s += 10;
	if (cs_str_starts(s, "library/"))
		s += 8;
	return s;
}

static bool tag_matches(const cJSON *entry, const char *ref)
{
	const cJSON *tags = cs_json_arr(entry, "RepoTags"), *t;

	cJSON_ArrayForEach(t, tags)
	{
		if (cJSON_IsString(t) && (!strcmp(t->valuestring, ref) ||
					  !strcmp(strip_hub(t->valuestring), strip_hub(ref))))
			return true;
	}
	return false;
}

static int pick_entry(cs_image *img, const cJSON *list, const char *ref, const char *what,
		      const cJSON **out, cs_err *err)
{
	int n = cJSON_GetArraySize(list), i;

	*out = NULL;
	if (n == 0)
		return cs_err_set(err, CS_EFORMAT, "%s: lists no image", what);
	if (ref && ref[0] == '@') {
		uint64_t idx;

		if (!cs_parse_u64(ref + 1, strlen(ref + 1), &idx) || idx >= (uint64_t)n)
			return cs_err_set(err, CS_ENOTFOUND, "%s: no image %s (it holds %d)", what, ref, n);
		*out = cJSON_GetArrayItem(list, (int)idx);
		return 0;
	}
	if (!ref) {
		if (n > 1)
			return cs_err_set(err, CS_EUSAGE,
					  "%s: holds %d images; name one as docker-archive:%s:REPO:TAG or :@N", what,
					  n, cs_store_path(img->store));
		*out = cJSON_GetArrayItem(list, 0);
		return 0;
	}
	for (i = 0; i < n; i++)
		if (tag_matches(cJSON_GetArrayItem(list, i), ref)) {
			*out = cJSON_GetArrayItem(list, i);
			return 0;
		}
	return cs_err_set(err, CS_ENOTFOUND, "%s: no image tagged '%s'", what, ref);
}

int cs_docker_load(cs_image *img, const char *ref, cs_err *err)
{
	cJSON *list = NULL;
	const cJSON *entry, *layers, *l, *tags, *t;
	const char *config;
	char what[512], want[CS_DIGEST_MAX];
	size_t i;
	int code;

	snprintf(what, sizeof(what), "'%s%smanifest.json'", cs_store_path(img->store),
		 cs_store_is_dir(img->store) ? "/" : ":");
	if ((code = cs_image_read_json(img, "manifest.json", NULL, NULL, &list, err)) < 0)
		goto done;
	if (!cJSON_IsArray(list)) {
		code = cs_err_set(err, CS_EFORMAT, "%s: not a JSON array", what);
		goto done;
	}
	if ((code = pick_entry(img, list, ref, what, &entry, err)) < 0)
		goto done;
	config = cs_json_str(entry, "Config");
	layers = cs_json_arr(entry, "Layers");
	if (!config || !layers) {
		code = cs_err_set(err, CS_EFORMAT, "%s: image entry lacks Config or Layers", what);
		goto done;
	}
	tags = cs_json_arr(entry, "RepoTags");
	img->nrepo_tags = (size_t)cJSON_GetArraySize(tags);
	img->repo_tags = cs_arena_calloc(&img->arena, img->nrepo_tags + 1, sizeof(char *));
	i = 0;
	cJSON_ArrayForEach(t, tags)
	{
		if (cJSON_IsString(t))
			img->repo_tags[i++] = cs_arena_strdup(&img->arena, t->valuestring);
	}
	img->nrepo_tags = i;

	img->nlayers = (size_t)cJSON_GetArraySize(layers);
	img->layers = cs_arena_calloc(&img->arena, img->nlayers ? img->nlayers : 1, sizeof(*img->layers));
	if (!img->layers || !img->repo_tags) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	i = 0;
	cJSON_ArrayForEach(l, layers)
	{
		if (!cJSON_IsString(l)) {
			code = cs_err_set(err, CS_EFORMAT, "%s: Layers[%zu] is not a string", what, i);
			goto done;
		}
		img->layers[i].member = cs_arena_strdup(&img->arena, l->valuestring);
		cs_docker_member_digest(l->valuestring, img->layers[i].digest);
		i++;
	}

	cs_docker_member_digest(config, want);
	/* The config's digest is the image id, whether or not its name says it. */
	if ((code = cs_image_read_json(img, config, want[0] ? want : NULL, img->config_digest, &img->config,
				       err)) < 0)
		goto done;
	code = cs_image_apply_config(img, what, err);
done:
	cJSON_Delete(list);
	return code;
}
