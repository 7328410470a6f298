/*
 * catalog.c - the catalog of known and approved base images (see base.h):
 * read (JSON or YAML), checked, matched against an image's leading layers,
 * and rewritten atomically by `customs base add`.
 *
 * The document is kept as read, and the entries point into it, so a rewrite
 * keeps the fields customs does not know (a comment, an owner) and the
 * entries it did not touch, in their order.
 */
#include "core/compat.h"
#include "base/base.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "core/yaml.h"
#include "image/image.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A catalog is a list of records: nesting deeper than this is not one. */
#define CATALOG_MAX_DEPTH 16

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* A string member: absent or null is NULL; anything else must be a short printable string. */
static int get_str(const cJSON *e, const char *key, bool required, const char *what, size_t i, const char **out,
		   cs_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v)) {
		if (required)
			return cs_err_set(err, CS_EFORMAT, "%s: images[%zu] has no '%s'", what, i, key);
		return 0;
	}
	if (!cJSON_IsString(v) || !*v->valuestring)
		return cs_err_set(err, CS_EFORMAT, "%s: images[%zu].%s is not a non-empty string", what, i, key);
	if (strlen(v->valuestring) > CS_BASE_CATALOG_MAX_STR)
		return cs_err_set(err, CS_ELIMIT, "%s: images[%zu].%s is longer than %d bytes", what, i, key,
				  CS_BASE_CATALOG_MAX_STR);
	if (!printable(v->valuestring))
		return cs_err_set(err, CS_EFORMAT, "%s: images[%zu].%s holds control characters", what, i, key);
	*out = v->valuestring;
	return 0;
}

/*
 * "approved": a boolean; YAML gives every scalar as a string, so "true" and
 * "false" (and yes/no) are taken too and written back as booleans.
 */
static int get_approved(cJSON *e, const char *what, size_t i, bool *out, cs_err *err)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "approved");
	const char *s;

	*out = false;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsBool(v)) {
		*out = cJSON_IsTrue(v);
		return 0;
	}
	s = cJSON_IsString(v) ? v->valuestring : "";
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "yes"))
		*out = true;
	else if (strcmp(s, "false") && strcmp(s, "False") && strcmp(s, "no"))
		return cs_err_set(err, CS_EFORMAT, "%s: images[%zu].approved is not true or false", what, i);
	if (!cJSON_ReplaceItemInObjectCaseSensitive(e, "approved", cJSON_CreateBool(*out)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return 0;
}

/* Builds c->images from c->doc, checking every entry. */
static int index_images(cs_base_catalog *c, const char *what, cs_err *err)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(c->doc, "images"), *e;
	size_t n, i = 0;
	int rc;

	if (!cJSON_IsArray(arr))
		return cs_err_set(err, CS_EFORMAT, "%s: no 'images' array", what);
	n = (size_t)cJSON_GetArraySize(arr);
	if (n > CS_BASE_CATALOG_MAX_IMAGES)
		return cs_err_set(err, CS_ELIMIT, "%s: more than %d images", what, CS_BASE_CATALOG_MAX_IMAGES);
	c->nimages = 0;
	c->images = cs_arena_calloc(&c->arena, n ? n : 1, sizeof(*c->images));
	if (!c->images)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cJSON_ArrayForEach(e, arr)
	{
		cs_base_image *img = &c->images[i];
		const cJSON *ids, *id;
		size_t k = 0, nids;

		if (!cJSON_IsObject(e))
			return cs_err_set(err, CS_EFORMAT, "%s: images[%zu] is not an object", what, i);
		if ((rc = get_str(e, "name", true, what, i, &img->name, err)) < 0 ||
		    (rc = get_str(e, "tag", false, what, i, &img->tag, err)) < 0 ||
		    (rc = get_str(e, "digest", false, what, i, &img->digest, err)) < 0 ||
		    (rc = get_approved(e, what, i, &img->approved, err)) < 0)
			return rc;
		if (img->digest && !cs_digest_valid(img->digest))
			return cs_err_set(err, CS_EFORMAT, "%s: images[%zu].digest is not a sha256 digest", what, i);
		ids = cJSON_GetObjectItemCaseSensitive(e, "diff_ids");
		nids = cJSON_IsArray(ids) ? (size_t)cJSON_GetArraySize(ids) : 0;
		if (!nids)
			return cs_err_set(err, CS_EFORMAT, "%s: images[%zu] has no 'diff_ids' (a non-empty array)", what,
					  i);
		if (nids > CS_BASE_CATALOG_MAX_LAYERS)
			return cs_err_set(err, CS_ELIMIT, "%s: images[%zu] has more than %d diff_ids", what, i,
					  CS_BASE_CATALOG_MAX_LAYERS);
		if (!(img->diff_ids = cs_arena_calloc(&c->arena, nids, sizeof(*img->diff_ids))))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		cJSON_ArrayForEach(id, ids)
		{
			if (!cJSON_IsString(id) || !cs_digest_valid(id->valuestring))
				return cs_err_set(err, CS_EFORMAT, "%s: images[%zu].diff_ids[%zu] is not a sha256 digest",
						  what, i, k);
			img->diff_ids[k++] = id->valuestring;
		}
		img->ndiff_ids = k;
		i++;
	}
	c->nimages = i;
	return 0;
}

int cs_base_catalog_parse(cs_base_catalog **out, const char *what, const char *data, size_t len, cs_err *err)
{
	const cs_yaml_opts yopts = {.what = what, .max_depth = CATALOG_MAX_DEPTH, .all_documents = false};
	cs_base_catalog *c;
	cJSON *root = NULL;
	size_t i = 0;
	int rc;

	*out = NULL;
	if (len > CS_BASE_CATALOG_MAX)
		return cs_err_set(err, CS_ELIMIT, "%s: larger than %u MiB", what, CS_BASE_CATALOG_MAX >> 20);
	if (!(c = calloc(1, sizeof(*c))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_arena_init(&c->arena);
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < len && memchr(data, '\0', len)) {
		rc = cs_err_set(err, CS_EFORMAT, "%s: holds a NUL byte", what);
		goto fail;
	}
	if (i < len && (data[i] == '{' || data[i] == '[')) {
		if (!(root = cs_json_parse(data + i, len - i, what, err))) {
			rc = err && err->code ? err->code : CS_EFORMAT;
			goto fail;
		}
	} else if (i < len && (rc = cs_yaml_parse(&root, data + i, len - i, &yopts, err)) < 0) {
		goto fail;
	}
	/* Nothing at all (a new, empty file) is an empty catalog; a bare list is its images. */
	if (!root || cJSON_IsNull(root) || cJSON_IsArray(root)) {
		cJSON *doc = cJSON_CreateObject();

		if (!doc || !cJSON_AddNumberToObject(doc, "version", 1) ||
		    !cJSON_AddItemToObject(doc, "images", root && cJSON_IsArray(root) ? root : cJSON_CreateArray())) {
			cJSON_Delete(doc);
			rc = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto fail;
		}
		if (!cJSON_IsArray(root))
			cJSON_Delete(root);
		root = doc;
	}
	c->doc = root;
	root = NULL;
	if (!cJSON_IsObject(c->doc)) {
		rc = cs_err_set(err, CS_EFORMAT, "%s: not an object with an 'images' array", what);
		goto fail;
	}
	if ((rc = index_images(c, what, err)) < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	cJSON_Delete(root);
	cs_base_catalog_free(c);
	return rc;
}

int cs_base_catalog_load(cs_base_catalog **out, const char *path, bool missing_ok, cs_err *err)
{
	char what[4200];
	FILE *f;
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	snprintf(what, sizeof(what), "base catalog '%s'", path);
	if (!(f = fopen(path, "rb"))) {
		if (errno == ENOENT && missing_ok)
			return cs_base_catalog_parse(out, what, "", 0, err);
		return cs_err_set(err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot read %s: %s", what,
				  strerror(errno));
	}
	if (!(buf = malloc(CS_BASE_CATALOG_MAX + 1))) {
		fclose(f);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	/* One byte past the limit is read so a larger file is refused, not cut. */
	n = fread(buf, 1, CS_BASE_CATALOG_MAX + 1, f);
	if (ferror(f))
		rc = cs_err_set(err, CS_EIO, "cannot read %s: %s", what, strerror(errno));
	else
		rc = cs_base_catalog_parse(out, what, buf, n, err);
	fclose(f);
	free(buf);
	return rc;
}

void cs_base_catalog_free(cs_base_catalog *c)
{
	if (!c)
		return;
	cJSON_Delete(c->doc);
	cs_arena_release(&c->arena);
	free(c);
}

const cs_base_image *cs_base_catalog_match(const cs_base_catalog *c, const char *const *diff_ids, size_t n)
{
	const cs_base_image *best = NULL;
	size_t i, k;

	for (i = 0; c && i < c->nimages; i++) {
		const cs_base_image *img = &c->images[i];

		if (img->ndiff_ids > n || (best && img->ndiff_ids < best->ndiff_ids))
			continue;
		if (best && img->ndiff_ids == best->ndiff_ids && (best->approved || !img->approved))
			continue;
		for (k = 0; k < img->ndiff_ids && !strcmp(img->diff_ids[k], diff_ids[k]); k++)
			;
		if (k == img->ndiff_ids)
			best = img;
	}
	return best;
}

/* Sets obj[key] to item (NULL: removes it); false when out of memory. */
static bool set_member(cJSON *obj, const char *key, cJSON *item)
{
	if (!item) {
		cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
		return true;
	}
	if (cJSON_GetObjectItemCaseSensitive(obj, key))
		return cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
	return cJSON_AddItemToObject(obj, key, item);
}

static bool same_ids(const cs_base_image *a, const cs_base_image *b)
{
	size_t k;

	if (a->ndiff_ids != b->ndiff_ids)
		return false;
	for (k = 0; k < a->ndiff_ids; k++)
		if (strcmp(a->diff_ids[k], b->diff_ids[k]))
			return false;
	return true;
}

int cs_base_catalog_put(cs_base_catalog *c, const cs_base_image *img, cs_err *err)
{
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(c->doc, "images"), *e = NULL, *ids;
	size_t i;

	if (!img->name || !img->ndiff_ids)
		return cs_err_set(err, CS_EUSAGE, "a base image needs a name and at least one layer");
	if (img->ndiff_ids > CS_BASE_CATALOG_MAX_LAYERS)
		return cs_err_set(err, CS_ELIMIT, "'%s' has more than %d layers", img->name, CS_BASE_CATALOG_MAX_LAYERS);
	for (i = 0; i < c->nimages && !e; i++) {
		const cs_base_image *old = &c->images[i];

		if (img->digest ? old->digest && !strcmp(old->digest, img->digest) : !old->digest && same_ids(old, img))
			e = cJSON_GetArrayItem(arr, (int)i);
	}
	if (!e && c->nimages >= CS_BASE_CATALOG_MAX_IMAGES)
		return cs_err_set(err, CS_ELIMIT, "the catalog holds %d images already", CS_BASE_CATALOG_MAX_IMAGES);
	if (!e && (!(e = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, e))) {
		cJSON_Delete(e);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	ids = cJSON_CreateStringArray(img->diff_ids, (int)img->ndiff_ids);
	if (!ids || !set_member(e, "name", cJSON_CreateString(img->name)) ||
	    !set_member(e, "tag", img->tag ? cJSON_CreateString(img->tag) : NULL) ||
	    !set_member(e, "digest", img->digest ? cJSON_CreateString(img->digest) : NULL) ||
	    !set_member(e, "diff_ids", ids) || !set_member(e, "approved", cJSON_CreateBool(img->approved)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* The entries point into the document, which changed: index it again. */
	return index_images(c, "base catalog", err);
}

/* Makes the directories above path (those there already are fine). */
static int make_parents(const char *path, cs_err *err)
{
	char dir[4096], *slash;

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir))
		return cs_err_set(err, CS_EIO, "cannot write '%s': name too long", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0777) != 0 && errno != EEXIST)
			return cs_err_set(err, CS_EIO, "cannot make directory '%s': %s", dir, strerror(errno));
		*slash = '/';
	}
	return 0;
}

int cs_base_catalog_save(const cs_base_catalog *c, const char *path, cs_err *err)
{
	char tmp[4200];
	char *text = NULL;
	size_t len, off = 0;
	int fd = -1, rc;
	mode_t um;

	if ((rc = make_parents(path, err)) < 0)
		return rc;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.customs-XXXXXX", path) >= sizeof(tmp))
		return cs_err_set(err, CS_EIO, "cannot write '%s': name too long", path);
	if (!(text = cJSON_Print(c->doc)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if ((fd = mkstemp(tmp)) < 0) {
		rc = cs_err_set(err, CS_EIO, "cannot write '%s': %s", path, strerror(errno));
		free(text);
		return rc;
	}
	/* mkstemp makes 0600; the catalog is as readable as any file the user writes. */
	um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	len = strlen(text);
	text[len++] = '\n'; /* cJSON_Print's terminator becomes the final newline */
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	rc = 0;
	/* On disk before it replaces the old one: a crash leaves the old catalog or the new, whole. */
	if (off < len || fsync(fd) != 0)
		rc = cs_err_set(err, CS_EIO, "cannot write '%s': %s", path, strerror(errno ? errno : EIO));
	if (close(fd) != 0 && rc == 0)
		rc = cs_err_set(err, CS_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = cs_err_set(err, CS_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(text);
	return rc;
}

const char *cs_base_catalog_default(char *out, size_t outsz)
{
	const char *env = getenv("CUSTOMS_BASE_CATALOG"), *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (env && *env)
		snprintf(out, outsz, "%s", env);
	else if (xdg && *xdg)
		snprintf(out, outsz, "%s/customs/base-catalog.json", xdg);
	else
		snprintf(out, outsz, "%s/.config/customs/base-catalog.json", home && *home ? home : ".");
	return out;
}

const char *cs_base_image_label(cs_arena *a, const cs_base_image *img)
{
	size_t nl, tl;

	if (!img->tag)
		return cs_arena_strdup(a, img->name);
	nl = strlen(img->name);
	tl = strlen(img->tag);
	if (nl > tl && img->name[nl - tl - 1] == ':' && !strcmp(img->name + nl - tl, img->tag))
		return cs_arena_strdup(a, img->name);
	return cs_arena_printf(a, "%s:%s", img->name, img->tag);
}

/*
 * Splits a reference into name and tag at the last ':' after the last '/'
 * ("docker.io/customs/sample:1"; not "localhost:5000/x"); a digest
 * reference ("name@sha256:...") keeps its name whole and has no tag.
 */
static void split_ref(cs_arena *a, const char *ref, const char **name, const char **tag)
{
	const char *slash = strrchr(ref, '/'), *colon = strrchr(ref, ':');

	*name = ref;
	*tag = NULL;
	if (strchr(ref, '@') || !colon || (slash && colon < slash) || !colon[1] || colon == ref)
		return;
	*name = cs_arena_strndup(a, ref, (size_t)(colon - ref));
	*tag = colon + 1;
}

int cs_base_catalog_record(cs_base_catalog *c, const char *target, const char *platform, const char *name,
			   bool approved, const cs_base_image **out, cs_err *err)
{
	cs_image *img = NULL;
	cs_base_image rec;
	cs_limits lim;
	cs_arena a;
	size_t i;
	int rc;

	*out = NULL;
	cs_arena_init(&a);
	cs_limits_default(&lim);
	memset(&rec, 0, sizeof(rec));
	if ((rc = cs_image_open(&img, target, platform, &lim, err)) < 0)
		goto done;
	if (!img->nlayers) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s' has no layers to record", target);
		goto done;
	}
	if (!name && !img->nrepo_tags) {
		rc = cs_err_set(err, CS_EUSAGE, "'%s' has no repo tag: name it with --name", target);
		goto done;
	}
	split_ref(&a, name ? name : img->repo_tags[0], &rec.name, &rec.tag);
	rec.digest = img->config_digest;
	rec.approved = approved;
	rec.ndiff_ids = img->nlayers;
	if (!rec.name || !(rec.diff_ids = cs_arena_calloc(&a, img->nlayers, sizeof(*rec.diff_ids)))) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < img->nlayers; i++)
		rec.diff_ids[i] = img->layers[i].diff_id;
	if ((rc = cs_base_catalog_put(c, &rec, err)) < 0)
		goto done;
	/* put replaced or appended it: the entry with its digest. */
	for (i = 0; i < c->nimages && !*out; i++)
		if (c->images[i].digest && !strcmp(c->images[i].digest, rec.digest))
			*out = &c->images[i];
done:
	cs_image_free(img);
	cs_arena_release(&a);
	return rc;
}
