/*
 * langcat.c - the common half of the language catalogers; see langcat.h.
 */
#include "core/compat.h"
#include "catalog/langcat.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/map.h"
#include "scan/scan.h"

#include <sys/stat.h>

/* One parsed file of one layer. */
typedef struct lc_file {
	struct lc_file *next; /* older files of the layer */
	const char *path;     /* clean path; walk arena */
	const char *error;    /* why the parser refused it, or NULL */
	cs_langfile result;
} lc_file;

typedef struct lc_layer {
	lc_file *files; /* newest first */
} lc_layer;

cs_langpkg *cs_langfile_add(cs_langfile *f, size_t *cap, cs_arena *a)
{
	if (f->npkgs == *cap) {
		cs_langpkg *grown = cs_arena_grow(a, f->pkgs, f->npkgs, cap, sizeof(*grown));

		if (!grown)
			return NULL;
		f->pkgs = grown;
	}
	return &f->pkgs[f->npkgs++];
}

int cs_langcat_parse(const cs_langcat *c, cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len,
		     cs_err *err)
{
	cs_arena *a = cs_walk_arena(w);
	void **slot = cs_walk_state(w, c->id);
	lc_layer *layer = *slot;
	cs_langfile result;
	lc_file *f;
	cs_err perr;
	int rc;

	if (!S_ISREG(e->mode))
		return 0;
	memset(&result, 0, sizeof(result));
	cs_err_clear(&perr);
	rc = c->parse(&result, a, e->path, data, len, &perr);
	if (rc == CS_ENOTFOUND)
		return 0;
	if (rc < 0 && rc != CS_EFORMAT && rc != CS_ELIMIT) {
		cs_err_merge(err, &perr);
		return rc;
	}
	if (!layer) {
		if (!(layer = cs_arena_alloc(a, sizeof(*layer))))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		*slot = layer;
	}
	if (!(f = cs_arena_alloc(a, sizeof(*f))) || !(f->path = cs_arena_strdup(a, e->path)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* Refused files are reported by finish(), for the copy the final image holds. */
	if (rc < 0) {
		if (!(f->error = cs_arena_strdup(a, perr.msg[0] ? perr.msg : cs_err_name(rc))))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
	} else {
		f->result = result;
	}
	f->next = layer->files;
	layer->files = f;
	return 0;
}

/* path NUL name NUL version NUL location into b: a package's identity across layers. */
static int layer_key(cs_buf *b, const char *path, const cs_langpkg *p)
{
	const char *loc = p->location ? p->location : "";
	int rc;

	cs_buf_reset(b);
	if ((rc = cs_buf_append(b, path, strlen(path) + 1)) < 0 ||
	    (rc = cs_buf_append(b, p->name, strlen(p->name) + 1)) < 0 ||
	    (rc = cs_buf_append(b, p->version, strlen(p->version) + 1)) < 0)
		return rc;
	return cs_buf_append(b, loc, strlen(loc));
}

/* Notes every package of f as present in layer (keys copied into keys). */
static int note_layer(cs_map *first, cs_arena *keys, cs_buf *b, const lc_file *f, int layer)
{
	size_t i;
	int rc, have;

	for (i = 0; i < f->result.npkgs; i++) {
		char *key;

		if ((rc = layer_key(b, f->path, &f->result.pkgs[i])) < 0)
			return rc;
		have = cs_cat_first_get(first, b->data, b->len);
		if (have >= 0 && have <= layer)
			continue;
		if (have < 0) {
			if (!(key = cs_arena_alloc(keys, b->len)))
				return CS_ENOMEM;
			memcpy(key, b->data, b->len);
		} else {
			key = b->data; /* the map keeps the key it has */
		}
		if ((rc = cs_cat_first_note(first, key, b->len, layer)) < 0)
			return rc;
	}
	return 0;
}

static int emit(const cs_langcat *c, cs_scan *s, const cs_map *first, cs_buf *b, const lc_file *f, int layer)
{
	cs_arena *a = cs_scan_arena(s);
	const cs_package *owner = cs_scan_file_owner(s, f->path);
	size_t i;
	int rc, low;

	if (f->result.nbad)
		cs_scan_diag(s, CS_LOG_WARN, "skipped %zu malformed entries of '%s'", f->result.nbad, f->path);
	for (i = 0; i < f->result.npkgs; i++) {
		const cs_langpkg *lp = &f->result.pkgs[i];
		cs_package *p;

		if (!(p = cs_arena_alloc(a, sizeof(*p))))
			return CS_ENOMEM;
		/* Strings are borrowed from the walk arena, which lives as long as the scan. */
		p->type = c->type;
		p->name = lp->name;
		p->version = lp->version;
		p->arch = lp->arch;
		p->source_name = lp->name;
		p->source_version = lp->version;
		p->purl = lp->purl;
		p->found_in = f->path;
		if (lp->location && !(p->found_in = cs_arena_printf(a, "%s!%s", f->path, lp->location)))
			return CS_ENOMEM;
		if ((rc = layer_key(b, f->path, lp)) < 0)
			return rc;
		low = cs_cat_first_get(first, b->data, b->len);
		p->layer = low >= 0 ? low : layer;
		p->licenses = lp->licenses;
		p->nlicenses = lp->nlicenses;
		p->owner = owner;
		if (!p->purl && lp->purl_error)
			cs_scan_diag(s, CS_LOG_WARN, "no package url for '%s' in '%s': %s", p->name, p->found_in,
				     lp->purl_error);
		if ((rc = cs_scan_add_package(s, p)) < 0)
			return rc;
	}
	return 0;
}

int cs_langcat_finish(const cs_langcat *c, cs_scan *s, cs_err *err)
{
	size_t i, nlayers = cs_scan_layer_count(s);
	bool rootfs = cs_scan_is_rootfs(s);
	cs_map first, done;
	cs_arena keys;
	cs_buf b;
	int rc = 0;

	cs_map_init(&first);
	cs_map_init(&done);
	cs_arena_init(&keys);
	cs_buf_init(&b, 0);
	for (i = 0; i < nlayers; i++) {
		const lc_layer *l = cs_scan_layer_state(s, i, c->id);
		const lc_file *f;

		for (f = l ? l->files : NULL; f; f = f->next)
			if ((rc = note_layer(&first, &keys, &b, f, (int)i)) < 0)
				goto out;
	}
	for (i = 0; i < nlayers; i++) {
		const lc_layer *l = cs_scan_layer_state(s, i, c->id);
		const lc_file *f;

		for (f = l ? l->files : NULL; f; f = f->next) {
			if (!cs_cat_is_final(s, f->path, (int)i))
				continue;
			/* The tar held the path twice: the newest copy (first in the list) is the one. */
			if (cs_map_get(&done, f->path))
				continue;
			if ((rc = cs_map_put(&done, f->path, (void *)f)) < 0)
				goto out;
			if (c->skip && c->skip(s, f->path))
				continue;
			if (f->error) {
				cs_scan_diag(s, CS_LOG_WARN, "cannot read %s from '%s': %s", c->what, f->path, f->error);
				continue;
			}
			if (f->result.lockfile && !rootfs)
				continue;
			if ((rc = emit(c, s, &first, &b, f, (int)i)) < 0)
				goto out;
		}
	}
out:
	cs_buf_release(&b);
	cs_arena_release(&keys);
	cs_map_release(&done);
	cs_map_release(&first);
	return cs_cat_finish_err(err, rc, c->what);
}
