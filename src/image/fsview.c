/*
 * fsview.c - the merged view: a tree of path nodes indexed by full path
 * (see fsview.h).
 */
#include "core/compat.h"
#include "image/fsview.h"
#include "core/arena.h"
#include "core/map.h"
#include "core/strutil.h"
#include "core/vec.h"

#include <sys/stat.h>

typedef struct node node;
struct node {
	const char *path;   /* full clean path; "" for the root; arena-owned */
	const char *name;   /* last component, points into path */
	node *parent;
	node *child;        /* first child */
	node *next;         /* next sibling */
	int layer;          /* last writer, -1: implied directory */
	int deleted_by;     /* -1 when present */
	uint32_t mode;
	uint64_t size;
	const char *link;   /* symlink target, arena-owned, or NULL */
	const char *data;   /* hard link: the path whose content it shares, as written; or NULL */
	int data_layer;     /* hard link: the layer that wrote that content */
};

struct cs_fsview {
	cs_arena arena;
	cs_map by_path;     /* path -> node * */
	node root;
	size_t count;
};

int cs_fsview_new(cs_fsview **out)
{
	cs_fsview *v = calloc(1, sizeof(*v));

	*out = NULL;
	if (!v)
		return CS_ENOMEM;
	cs_arena_init(&v->arena);
	cs_map_init(&v->by_path);
	v->root.path = v->root.name = "";
	v->root.layer = -1;
	v->root.deleted_by = -1;
	v->root.mode = S_IFDIR | 0755;
	*out = v;
	return 0;
}

void cs_fsview_free(cs_fsview *v)
{
	if (!v)
		return;
	cs_map_release(&v->by_path);
	cs_arena_release(&v->arena);
	free(v);
}

size_t cs_fsview_size(const cs_fsview *v)
{
	return v->count;
}

static node *get(const cs_fsview *v, const char *path, size_t n)
{
	if (n == 0)
		return (node *)&v->root;
	return cs_map_getn(&v->by_path, path, n);
}

/* Finds or creates the node for path[0..n), creating parents as implied directories. */
static node *ensure(cs_fsview *v, const char *path, size_t n)
{
	node *nd = get(v, path, n), *parent;
	const char *slash;
	size_t pn;

	if (nd)
		return nd;
	slash = n ? memrchr(path, '/', n) : NULL;
	pn = slash ? (size_t)(slash - path) : 0;
	parent = ensure(v, path, pn);
	if (!parent)
		return NULL;
	nd = cs_arena_alloc(&v->arena, sizeof(*nd));
	if (!nd)
		return NULL;
	nd->path = cs_arena_strndup(&v->arena, path, n);
	if (!nd->path)
		return NULL;
	nd->name = nd->path + (slash ? pn + 1 : 0);
	nd->parent = parent;
	nd->next = parent->child;
	parent->child = nd;
	nd->layer = -1;
	nd->deleted_by = -1;
	nd->mode = S_IFDIR | 0755;
	if (cs_map_putn(&v->by_path, nd->path, n, nd) < 0)
		return NULL;
	v->count++;
	return nd;
}

/* Marks the present descendants of nd deleted by layer (nd itself too when self). */
static void hide(node *nd, int layer, bool self)
{
	node *c;

	if (self) {
		if (nd->deleted_by >= 0)
			return; /* already gone, and its subtree with it */
		nd->deleted_by = layer;
	}
	/* Depth is bounded by the path length limit of the walker. */
	for (c = nd->child; c; c = c->next)
		hide(c, layer, true);
}

int cs_fsview_whiteout(cs_fsview *v, const char *path, int layer)
{
	node *nd = get(v, path, strlen(path));

	if (nd && nd != &v->root)
		hide(nd, layer, true);
	return 0;
}

int cs_fsview_opaque(cs_fsview *v, const char *dir, int layer)
{
	node *nd = get(v, dir, strlen(dir));

	if (nd)
		hide(nd, layer, false);
	return 0;
}

int cs_fsview_add(cs_fsview *v, const char *path, uint32_t mode, uint64_t size, const char *link,
		  bool hardlink, int layer)
{
	size_t n = strlen(path);
	node *nd, *p;

	const char *data = NULL;
	int data_layer = -1;

	if (hardlink) {
		node *t = get(v, link, strlen(link));

		if (!t || t->deleted_by >= 0 || S_ISDIR(t->mode))
			return CS_ENOTFOUND;
		mode = t->mode;
		size = t->size;
		link = t->link;
		/* The content was read under the target's name (a chain leads to the first). */
		data = t->data ? t->data : t->path;
		data_layer = t->data ? t->data_layer : t->layer;
	}
	nd = ensure(v, path, n);
	if (!nd)
		return CS_ENOMEM;
	/* A file replacing a directory replaces what was below it. */
	if (!S_ISDIR(mode) && nd->child)
		hide(nd, layer, false);
	nd->layer = layer;
	nd->deleted_by = -1;
	nd->mode = mode;
	nd->size = size;
	nd->link = NULL;
	nd->data = data;
	nd->data_layer = data_layer;
	if (link && S_ISLNK(mode) && !(nd->link = cs_arena_strdup(&v->arena, link)))
		return CS_ENOMEM;
	/* Writing below a deleted or non-directory parent brings it back as a directory. */
	for (p = nd->parent; p && p != &v->root; p = p->parent) {
		if (p->deleted_by < 0 && S_ISDIR(p->mode))
			break;
		p->deleted_by = -1;
		if (!S_ISDIR(p->mode)) {
			p->mode = S_IFDIR | 0755;
			p->link = NULL;
		}
		p->layer = layer;
	}
	return 0;
}

static void fill(const node *nd, cs_fsinfo *out)
{
	out->layer = nd->layer;
	out->deleted_by = nd->deleted_by;
	out->mode = nd->mode;
	out->size = nd->size;
	out->link = nd->link;
}

/* CS_ENOTFOUND; a deleted path is described in out, so callers can tell it from one never there. */
static int not_found(const cs_fsview *v, const char *path, cs_fsinfo *out)
{
	const node *nd = get(v, path, strlen(path));

	if (nd && nd->deleted_by >= 0)
		fill(nd, out);
	return CS_ENOTFOUND;
}

int cs_fsview_lookup(const cs_fsview *v, const char *path, bool follow, unsigned max_hops, cs_fsinfo *out,
		     char *resolved, size_t resolved_sz, cs_err *err)
{
	char cur[4096], next[4096];
	unsigned hops = 0;
	size_t pos;

	out->layer = out->deleted_by = -1;
	out->mode = 0;
	out->size = 0;
	out->link = NULL;
	if (strlen(path) >= sizeof(cur))
		return CS_ENOTFOUND;
	memcpy(cur, path, strlen(path) + 1);
restart:
	/* Walk component by component so links in directories are followed too. */
	pos = 0;
	for (;;) {
		const char *slash = strchr(cur + pos, '/');
		size_t end = slash ? (size_t)(slash - cur) : strlen(cur);
		const node *nd = get(v, cur, end);
		bool last = !slash;

		if (!nd || nd->deleted_by >= 0)
			return not_found(v, cur, out);
		if (S_ISLNK(nd->mode) && nd->link && (follow || !last)) {
			if (++hops > max_hops)
				return cs_err_set(err, CS_ELIMIT, "'%s': too many levels of symbolic links", path);
			if (cs_path_resolve_link(nd->path, nd->link, next, sizeof(next)) < 0)
				return CS_ENOTFOUND;
			if (!last) {
				size_t nl = strlen(next), rest = strlen(cur + end);

				if (nl + rest + 1 > sizeof(next))
					return CS_ENOTFOUND;
				memcpy(next + nl, cur + end, rest + 1);
				if (next[0] == '/')
					memmove(next, next + 1, strlen(next));
			}
			memcpy(cur, next, strlen(next) + 1);
			goto restart;
		}
		if (last) {
			const char *reached = cur;

			fill(nd, out);
			/* Following a hard link leads to where its content was read. */
			if (follow && nd->data) {
				reached = nd->data;
				out->layer = nd->data_layer;
			}
			if (resolved) {
				if (strlen(reached) + 1 > resolved_sz)
					return CS_ELIMIT;
				memcpy(resolved, reached, strlen(reached) + 1);
			}
			return 0;
		}
		if (!S_ISDIR(nd->mode))
			return not_found(v, cur, out);
		pos = end + 1;
	}
}

static int cmp_node(const void *a, const void *b)
{
	const node *x = *(node *const *)a, *y = *(node *const *)b;

	return strcmp(x->name, y->name);
}

int cs_fsview_list(const cs_fsview *v, const char *dir,
		   int (*fn)(const char *path, const cs_fsinfo *info, void *payload), void *payload)
{
	const node *d = get(v, dir, strlen(dir)), *c;
	cs_vec kids;
	size_t i;
	int r = 0;

	if (!d || d->deleted_by >= 0 || !S_ISDIR(d->mode))
		return 0;
	cs_vec_init(&kids);
	for (c = d->child; c; c = c->next)
		if (c->deleted_by < 0 && cs_vec_push(&kids, (void *)c) < 0) {
			cs_vec_release(&kids);
			return CS_ENOMEM;
		}
	cs_vec_sort(&kids, cmp_node);
	for (i = 0; i < kids.len && r == 0; i++) {
		cs_fsinfo info;
		const node *k = kids.items[i];

		fill(k, &info);
		r = fn(k->path, &info, payload);
	}
	cs_vec_release(&kids);
	return r;
}
