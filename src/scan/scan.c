/*
 * scan.c - the scan driver (see scan.h).
 *
 * Layers are walked by a small pool of worker threads, biggest blob first
 * so two cores finish together; each walk streams its layer once (layer.c)
 * and offers each entry to the enabled analyzers. A walk keeps the layer's
 * entry list (metadata only) and the analyzers' per-layer state. When all
 * walks are done, the merged view is built in layer order and the
 * analyzers' finish() decide what the final image holds.
 *
 * A streamed image (a daemon's `docker save`, a pipe) cannot be opened by
 * layer: its blobs are walked one after the other as they arrive, on this
 * thread, before anyone knows their places (scan_streamed); once
 * manifest.json and the config have come, each walk is put at the place
 * its member holds and checked against that place's diff_id, and the scan
 * finishes as any other. A blob at several places is one walk at each.
 */
#include "core/compat.h"

#include <stdatomic.h>
#include "scan/scan.h"
#include "catalog/analyzer.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/map.h"
#include "core/strutil.h"
#include "core/vec.h"
#include "image/fsview.h"
#include "image/image.h"
#include "image/layer.h"
#include "image/rootfs.h"
#include "scan/secrets.h"

#include <pthread.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

/* One tar entry as the merged view needs it. */
typedef struct rec {
	const char *path;
	const char *link;
	uint64_t size;
	uint32_t mode;
	uint8_t kind; /* CS_ENTRY_* */
	bool hardlink;
} rec;

struct cs_walk {
	cs_scan *scan;
	int index;                 /* layer index (the first one, when the blob is at several); -1 not known yet */
	const char *member;        /* streamed images: the blob's member name */
	cs_layer_result res;       /* what the walk measured */
	cs_arena arena;            /* records and analyzer state of this layer */
	void *state[CS_AN_COUNT];  /* per-analyzer slots */
	cs_vec recs;               /* rec * in archive order */
	cs_buf data;               /* content of the entry being analyzed */
	const char *label;         /* "layer 2 'sha256:..'" */
	const cs_analyzer *want[CS_AN_COUNT];
	cs_secrets_walk *sec;      /* the secret scanner of this walk, or NULL */
};

typedef struct diag {
	int level;
	char *msg; /* owned */
} diag;

struct cs_scan {
	cs_scan_opts opts;
	cs_arena arena;
	cs_image *img;             /* NULL for a root filesystem */
	bool rootfs;
	cs_artifact artifact;
	cs_layer *layers;          /* report records, nlayers of them */
	size_t nlayers;
	cs_walk **walks;           /* the walk of each layer (one for a rootfs); a walk may repeat */
	size_t nwalks;
	cs_vec owned;              /* cs_walk *: every walk made, in the order made */
	cs_fsview *view;
	cs_os os;
	bool have_os;
	cs_vec packages;
	cs_vec vulns;              /* cs_vuln * */
	bool matched;
	cs_map owners;             /* file path -> OS package, built on first use */
	size_t owners_built;       /* packages indexed into owners so far */
	cs_vec diags;              /* diag * */
	size_t nerrors;
	pthread_mutex_t lock;      /* diags, next, err */
	size_t *order;             /* walk order, biggest first */
	size_t next;
	atomic_int cancel;         /* set once any walk fails; polled by all */
	cs_err err;                /* first fatal error of a worker */
	bool enabled[CS_AN_COUNT];
	cs_secret_engine *secret_eng; /* NULL unless secrets are scanned */
	cs_vec secrets;            /* cs_secret * */
	cs_vec misconfigs;         /* cs_misconfig * */
	bool config_ran;
	cs_base base;
	bool have_base;
	cs_policy_result policy;
	bool have_policy;
};

void cs_scan_opts_default(cs_scan_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->scanners = CS_SCANNER_ALL;
	cs_limits_default(&o->limits);
}

/* ---- accessors ------------------------------------------------------------ */

cs_arena *cs_walk_arena(cs_walk *w) { return &w->arena; }
void **cs_walk_state(cs_walk *w, int id) { return &w->state[id]; }
cs_arena *cs_scan_arena(cs_scan *s) { return &s->arena; }
const cs_limits *cs_scan_limits(const cs_scan *s) { return &s->opts.limits; }
size_t cs_scan_layer_count(const cs_scan *s) { return s->nwalks; }
const cs_artifact *cs_scan_artifact(const cs_scan *s) { return &s->artifact; }
size_t cs_scan_package_count(const cs_scan *s) { return s->packages.len; }
size_t cs_scan_error_count(const cs_scan *s) { return s->nerrors; }
const cs_os *cs_scan_os(const cs_scan *s) { return s->have_os ? &s->os : NULL; }

void *cs_scan_layer_state(const cs_scan *s, size_t i, int id)
{
	return i < s->nwalks ? s->walks[i]->state[id] : NULL;
}

const cs_layer *cs_scan_layer(const cs_scan *s, size_t i)
{
	return i < s->nlayers ? &s->layers[i] : NULL;
}

const cs_package *cs_scan_package(const cs_scan *s, size_t i)
{
	return cs_vec_get(&s->packages, i);
}

size_t cs_scan_vuln_count(const cs_scan *s) { return s->vulns.len; }
size_t cs_scan_secret_count(const cs_scan *s) { return s->secrets.len; }
const cs_secret *cs_scan_secret(const cs_scan *s, size_t i) { return cs_vec_get(&s->secrets, i); }
bool cs_scan_secrets_ran(const cs_scan *s) { return s->secret_eng != NULL; }
const cs_vuln *cs_scan_vuln(const cs_scan *s, size_t i) { return cs_vec_get(&s->vulns, i); }
bool cs_scan_matched(const cs_scan *s) { return s->matched; }

int cs_scan_add_vuln(cs_scan *s, cs_vuln *v)
{
	s->matched = true;
	return cs_vec_push(&s->vulns, v);
}

static int vuln_cmp(const void *a, const void *b)
{
	const cs_vuln *x = *(const cs_vuln *const *)a, *y = *(const cs_vuln *const *)b;
	int c;

	if (x->package->layer != y->package->layer)
		return x->package->layer < y->package->layer ? -1 : 1;
	if ((c = cs_severity_rank(y->severity) - cs_severity_rank(x->severity)))
		return c;
	if ((c = strcmp(x->id, y->id)))
		return c;
	return cs_package_cmp(&x->package, &y->package);
}

void cs_scan_sort_vulns(cs_scan *s)
{
	s->matched = true;
	cs_vec_sort(&s->vulns, vuln_cmp);
}

void cs_scan_set_os(cs_scan *s, const cs_os *os)
{
	s->os = *os;
	s->have_os = true;
}

int cs_scan_add_package(cs_scan *s, cs_package *p)
{
	return cs_vec_push(&s->packages, p);
}

const cs_package *cs_scan_file_owner(cs_scan *s, const char *path)
{
	/* Index the packages added since the last call: OS catalogers finish first. */
	for (; s->owners_built < s->packages.len; s->owners_built++) {
		const cs_package *p = s->packages.items[s->owners_built];
		size_t i;

		if (strcmp(p->type, "deb") && strcmp(p->type, "apk") && strcmp(p->type, "rpm"))
			continue;
		for (i = 0; i < p->nfiles; i++)
			if (!cs_map_get(&s->owners, p->files[i]) && cs_map_put(&s->owners, p->files[i], (void *)p) < 0)
				return NULL;
	}
	return cs_map_get(&s->owners, path);
}

int cs_scan_lookup(const cs_scan *s, const char *path, bool follow, cs_fsinfo *out, char *resolved,
		   size_t resolved_sz, cs_err *err)
{
	if (!s->view)
		return CS_ENOTFOUND;
	return cs_fsview_lookup(s->view, path, follow, s->opts.limits.max_symlinks, out, resolved, resolved_sz,
				err);
}

int cs_scan_list_dir(const cs_scan *s, const char *dir,
		     int (*fn)(const char *path, const cs_fsinfo *info, void *payload), void *payload)
{
	return s->view ? cs_fsview_list(s->view, dir, fn, payload) : 0;
}

void cs_scan_diag(cs_scan *s, int level, const char *fmt, ...)
{
	char msg[1024];
	diag *d;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cs_log(level, "%s", msg);
	pthread_mutex_lock(&s->lock);
	if (level == CS_LOG_ERROR)
		s->nerrors++;
	/* Keep the report bounded when a hostile layer repeats a problem. */
	if (s->diags.len < 1000 && (d = malloc(sizeof(*d)))) {
		d->level = level;
		d->msg = strdup(msg);
		if (!d->msg || cs_vec_push(&s->diags, d) < 0) {
			free(d->msg);
			free(d);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

size_t cs_scan_diag_count(const cs_scan *s)
{
	return s->diags.len;
}

const char *cs_scan_diag_get(const cs_scan *s, size_t i, int *level)
{
	const diag *d = cs_vec_get(&s->diags, i);

	if (!d)
		return NULL;
	*level = d->level;
	return d->msg;
}

/* ---- the walk: one entry -------------------------------------------------- */

typedef int (*read_fn)(void *src, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err);

static uint64_t analyzer_max(const cs_scan *s, const cs_analyzer *a)
{
	return a->max_size ? a->max_size : s->opts.limits.max_file;
}

static int record(cs_walk *w, const cs_entry *e, int kind)
{
	rec *r = cs_arena_alloc(&w->arena, sizeof(*r));

	if (!r || !(r->path = cs_arena_strdup(&w->arena, e->path)))
		return CS_ENOMEM;
	if (e->link && !(r->link = cs_arena_strdup(&w->arena, e->link)))
		return CS_ENOMEM;
	r->size = e->size;
	r->mode = e->mode;
	r->kind = (uint8_t)kind;
	r->hardlink = e->hardlink;
	return cs_vec_push(&w->recs, r);
}

/*
 * Offers one entry to the analyzers and the secret scanner; reads its
 * content at most once: the analyzers that want it get it whole (up to
 * their size cap), the secret scanner sees every block as it is read.
 */
static int dispatch(cs_walk *w, const cs_entry *e, int kind, read_fn rd, void *src, cs_err *err)
{
	cs_scan *s = w->scan;
	uint64_t max = 0;
	size_t nwant = 0, i;
	bool secrets;
	int code;

	if (kind == CS_ENTRY_BAD) {
		cs_scan_diag(s, CS_LOG_ERROR, "%s: refusing entry '%s': its name leaves the image root", w->label,
			     e->path);
		return 0;
	}
	if ((code = record(w, e, kind)) < 0)
		return cs_err_set(err, code, "%s: out of memory", w->label);
	/* A hard link's content is its target's, scanned under the target's name. */
	if (kind != CS_ENTRY_NORMAL || !S_ISREG(e->mode) || e->hardlink)
		return 0;
	for (i = 0; i < CS_AN_COUNT; i++) {
		const cs_analyzer *a = cs_analyzers[i];

		if (s->enabled[i] && a->wants(e->path, e->mode)) {
			w->want[nwant++] = a;
			if (analyzer_max(s, a) > max)
				max = analyzer_max(s, a);
		}
	}
	secrets = w->sec && cs_secrets_begin(w->sec, e->path, e->size);
	if (!nwant && !secrets)
		return 0;
	if (nwant && e->size > max) {
		cs_scan_diag(s, CS_LOG_WARN, "%s: '%s' is %llu bytes, more than the %llu analyzed; skipped",
			     w->label, e->path, (unsigned long long)e->size, (unsigned long long)max);
		nwant = 0;
		if (!secrets)
			return 0;
	}
	code = rd(src, &w->data, nwant ? max : 0, secrets ? cs_secrets_tap : NULL, w->sec, err);
	if (secrets && (code >= 0 || code == CS_ELIMIT)) {
		int end = cs_secrets_end(w->sec, err);

		if (end < 0)
			return end;
	}
	if (code == CS_ELIMIT) {
		if (nwant)
			cs_scan_diag(s, CS_LOG_WARN, "%s: '%s' holds more than the %llu bytes analyzed; skipped",
				     w->label, e->path, (unsigned long long)max);
		return 0;
	}
	if (code < 0)
		return code;
	for (i = 0; i < nwant; i++) {
		const cs_analyzer *a = w->want[i];
		cs_err perr;

		if (w->data.len > analyzer_max(s, a))
			continue;
		cs_err_clear(&perr);
		if (a->parse(w, e, (const uint8_t *)w->data.data, w->data.len, &perr) < 0) {
			if (perr.code == CS_ENOMEM)
				return cs_err_set(err, CS_ENOMEM, "%s: out of memory", w->label);
			cs_scan_diag(s, CS_LOG_WARN, "%s: '%s': %s", w->label, e->path,
				     perr.msg[0] ? perr.msg : "cannot parse");
		}
	}
	return 0;
}

static int layer_read(void *src, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err)
{
	return cs_layer_read_tap(src, out, max, tap, tap_arg, err);
}

static int rootfs_read(void *src, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err)
{
	return cs_rootfs_read_tap(src, out, max, tap, tap_arg, err);
}

static int on_layer_entry(cs_layer_reader *r, const cs_entry *e, int kind, void *payload, cs_err *err)
{
	return dispatch(payload, e, kind, layer_read, r, err);
}

static int on_rootfs_entry(cs_rootfs_file *f, const cs_entry *e, void *payload, cs_err *err)
{
	return dispatch(payload, e, CS_ENTRY_NORMAL, rootfs_read, f, err);
}

/* ---- the workers ---------------------------------------------------------- */

/* Walks blob into w: its entries to the analyzers, its measures to w->res. */
static int walk_blob(cs_scan *s, cs_walk *w, cs_stream *blob, const cs_layer_expect *exp, cs_err *err)
{
	int code;

	if ((code = cs_layer_walk(blob, exp, &s->opts.limits, &s->cancel, on_layer_entry, w, &w->res, err)) < 0)
		return code;
	return cs_secrets_walk_done(w->sec, err);
}

/* The report's record of layer i from its walk. */
static void layer_measured(cs_scan *s, size_t i, const cs_walk *w)
{
	cs_layer *l = &s->layers[i];

	memcpy(l->digest, w->res.digest, sizeof(l->digest));
	memcpy(l->diff_id, w->res.diff_id, sizeof(l->diff_id));
	l->compression = cs_comp_name(w->res.comp);
	l->size = w->res.blob_size;
	l->tar_size = w->res.tar_size;
	l->entries = w->res.entries;
}

/* Opens layer w->index of the image and walks it against what the manifest and config declare. */
static int walk_layer(cs_scan *s, cs_walk *w, cs_err *err)
{
	cs_image_layer *il = &s->img->layers[w->index];
	cs_layer_expect exp;
	cs_stream *blob = NULL;
	int code;

	if ((code = cs_image_open_layer(s->img, (size_t)w->index, &blob, err)) < 0)
		return code;
	memset(&exp, 0, sizeof(exp));
	exp.label = w->label;
	exp.digest = il->digest[0] ? il->digest : NULL;
	exp.size = il->size;
	exp.diff_id = il->diff_id[0] ? il->diff_id : NULL;
	code = walk_blob(s, w, blob, &exp, err);
	cs_stream_close(blob);
	if (code < 0)
		return code;
	layer_measured(s, (size_t)w->index, w);
	return 0;
}

static void *worker(void *arg)
{
	cs_scan *s = arg;

	for (;;) {
		cs_err err;
		size_t i;
		int code;

		pthread_mutex_lock(&s->lock);
		i = s->next < s->nwalks ? s->order[s->next++] : SIZE_MAX;
		pthread_mutex_unlock(&s->lock);
		if (i == SIZE_MAX || s->cancel)
			break;
		cs_err_clear(&err);
		code = walk_layer(s, s->walks[i], &err);
		if (code < 0) {
			pthread_mutex_lock(&s->lock);
			/* A cancelled walk reports nothing: the first failure is the story. */
			if (!s->cancel || s->err.code == CS_OK) {
				if (err.code == CS_OK)
					cs_err_set(&err, code, "%s: %s", s->walks[i]->label, cs_err_name(code));
				cs_err_merge(&s->err, &err);
			}
			s->cancel = 1;
			pthread_mutex_unlock(&s->lock);
		}
	}
	return NULL;
}

static uint64_t blob_size(const cs_scan *s, size_t i)
{
	uint64_t n = s->img->layers[i].size;

	if (!n)
		cs_store_size(s->img->store, s->img->layers[i].member, &n, NULL);
	return n;
}

static int run_workers(cs_scan *s, cs_err *err)
{
	pthread_t th[16];
	uint64_t *sizes;
	size_t nth, i, j;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	nth = s->opts.jobs > 0 ? (size_t)s->opts.jobs : (size_t)(cores > 0 ? cores : 1);
	if (nth > CS_ARRAY_LEN(th))
		nth = CS_ARRAY_LEN(th);
	if (nth > s->nwalks)
		nth = s->nwalks;
	s->order = malloc((s->nwalks ? s->nwalks : 1) * sizeof(size_t));
	sizes = malloc((s->nwalks ? s->nwalks : 1) * sizeof(uint64_t));
	if (!s->order || !sizes) {
		free(sizes);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	/* Largest first (insertion sort: layer counts are small). */
	for (i = 0; i < s->nwalks; i++) {
		sizes[i] = blob_size(s, i);
		for (j = i; j > 0 && sizes[s->order[j - 1]] < sizes[i]; j--)
			s->order[j] = s->order[j - 1];
		s->order[j] = i;
	}
	free(sizes);
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, worker, s) != 0)
			break;
	if (i == 0)
		worker(s); /* no thread to be had: do the work here */
	for (j = 0; j < i; j++)
		pthread_join(th[j], NULL);
	if (s->err.code != CS_OK) {
		cs_err_merge(err, &s->err);
		return s->err.code;
	}
	return 0;
}

/* ---- after the walks ------------------------------------------------------ */

static int build_view(cs_scan *s, cs_err *err)
{
	size_t i, j;
	int code;

	if ((code = cs_fsview_new(&s->view)) < 0)
		return cs_err_set(err, code, "out of memory");
	for (i = 0; i < s->nwalks; i++) {
		cs_walk *w = s->walks[i];

		/* Deletions of a layer apply to lower layers only: do them first. */
		for (j = 0; j < w->recs.len; j++) {
			rec *r = w->recs.items[j];

			if (r->kind == CS_ENTRY_WHITEOUT)
				code = cs_fsview_whiteout(s->view, r->path, (int)i);
			else if (r->kind == CS_ENTRY_OPAQUE)
				code = cs_fsview_opaque(s->view, r->path, (int)i);
			else
				continue;
			if (code < 0)
				return cs_err_set(err, code, "out of memory");
		}
		for (j = 0; j < w->recs.len; j++) {
			rec *r = w->recs.items[j];

			if (r->kind != CS_ENTRY_NORMAL)
				continue;
			code = cs_fsview_add(s->view, r->path, r->mode, r->size, r->link, r->hardlink, (int)i);
			if (code == CS_ENOTFOUND)
				cs_scan_diag(s, CS_LOG_ERROR, "%s: hard link '%s' points to '%s', which the layer does not hold",
					     w->label, r->path, r->link);
			else if (code < 0)
				return cs_err_set(err, code, "out of memory");
		}
	}
	return 0;
}

static int package_cmp_stable(const void *a, const void *b)
{
	return cs_package_cmp(a, b);
}

/* Layers report from several threads: sort so equal scans give equal reports. */
static int diag_cmp(const void *a, const void *b)
{
	const diag *x = *(const diag *const *)a, *y = *(const diag *const *)b;
	int c = strcmp(x->msg, y->msg);

	return c ? c : x->level - y->level;
}

static int add_secret(void *payload, cs_secret *f)
{
	return cs_vec_push(&((cs_scan *)payload)->secrets, f);
}

/* Config findings first, then by layer, path, line, column, rule. */
static int secret_cmp(const void *a, const void *b)
{
	const cs_secret *x = *(const cs_secret *const *)a, *y = *(const cs_secret *const *)b;
	int c;

	if (x->layer != y->layer)
		return x->layer < y->layer ? -1 : 1;
	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return strcmp(x->rule_id, y->rule_id);
}

/*
 * The walks' findings, each told which later layer hid its file (deleted
 * it, or wrote the path again: the secret is still in the image for anyone
 * who pulls it); the config's; and the history text the report prints,
 * with every secret in it redacted.
 */
static int finish_secrets(cs_scan *s, cs_err *err)
{
	size_t i, j;
	int code;

	for (i = 0; i < s->nwalks; i++) {
		cs_secrets_walk *sw = s->walks[i]->sec;
		/* a blob at several places: its findings at each, as if walked at each */
		bool again = !s->rootfs && s->walks[i]->index != (int)i;

		for (j = 0; sw && j < cs_secrets_count(sw); j++) {
			cs_secret *f = cs_secrets_get(sw, j);
			cs_fsinfo info;
			cs_err lerr;

			if (again) {
				cs_secret *copy = cs_arena_alloc(&s->arena, sizeof(*copy));

				if (!copy)
					return cs_err_set(err, CS_ENOMEM, "out of memory");
				*copy = *f;
				copy->removed_in = -1;
				f = copy;
			}
			/* a streamed image's walks learn their places after the fact */
			if (!s->rootfs)
				f->layer = (int)i;
			cs_err_clear(&lerr);
			code = cs_scan_lookup(s, f->path, false, &info, NULL, 0, &lerr);
			if (!s->rootfs && code == 0 && info.layer > (int)i)
				f->removed_in = info.layer;
			else if (!s->rootfs && code == CS_ENOTFOUND && info.deleted_by > (int)i)
				f->removed_in = info.deleted_by;
			if (cs_vec_push(&s->secrets, f) < 0)
				return cs_err_set(err, CS_ENOMEM, "out of memory");
		}
	}
	if (s->img && s->img->config &&
	    (code = cs_secrets_config(s->secret_eng, s->img->config, &s->arena, add_secret, s, err)) < 0)
		return code;
	for (i = 0; i < s->nlayers; i++) {
		const char *by = s->layers[i].created_by;

		if (by)
			s->layers[i].created_by = cs_secrets_redact(s->secret_eng, &s->arena, "config:history", by);
	}
	cs_vec_sort(&s->secrets, secret_cmp);
	return 0;
}

static int finish(cs_scan *s, cs_err *err)
{
	size_t i;
	int code;

	if ((code = build_view(s, err)) < 0)
		return code;
	for (i = 0; i < CS_AN_COUNT; i++) {
		const cs_analyzer *a = cs_analyzers[i];

		if (s->enabled[i] && a->finish && (code = a->finish(s, err)) < 0) {
			if (err && err->code == CS_OK)
				cs_err_set(err, code, "analyzer '%s' failed", a->name);
			return code;
		}
	}
	if (s->secret_eng && (code = finish_secrets(s, err)) < 0)
		return code;
	cs_vec_sort(&s->packages, package_cmp_stable);
	cs_vec_sort(&s->diags, diag_cmp);
	return 0;
}

static const char *layer_label(cs_scan *s, size_t i)
{
	const char *d = s->img->layers[i].digest[0] ? s->img->layers[i].digest : s->img->layers[i].member;

	return cs_arena_printf(&s->arena, "layer %zu '%.19s%s'", i, d, strlen(d) > 19 ? "..." : "");
}

/*
 * A new walk for layer index (-1 when not known yet), owned by the scan;
 * its secret scanner too when secrets are scanned (setup() made the engine).
 */
static int walk_new(cs_scan *s, int index, cs_walk **out, cs_err *err)
{
	cs_walk *w = cs_arena_alloc(&s->arena, sizeof(*w));
	int code;

	*out = NULL;
	if (!w || cs_vec_push(&s->owned, w) < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	w->scan = s;
	w->index = index;
	cs_arena_init(&w->arena);
	cs_vec_init(&w->recs);
	cs_buf_init(&w->data, 0);
	if (s->secret_eng && (code = cs_secrets_walk_new(&w->sec, s->secret_eng, &w->arena, s->rootfs ? -1 : index,
							 s->opts.jobs != 1, err)) < 0)
		return code;
	*out = w;
	return 0;
}

/* Frees what a walk holds; it stays a valid, empty walk. */
static void walk_release(cs_walk *w)
{
	cs_arena_release(&w->arena);
	cs_vec_release(&w->recs);
	cs_buf_release(&w->data);
	cs_secrets_walk_free(w->sec);
	w->sec = NULL;
	memset(w->state, 0, sizeof(w->state));
}

/* The analyzers and the secret engine; then nwalks walks, one per layer. */
static int setup(cs_scan *s, size_t nwalks, cs_err *err)
{
	size_t i;
	int code;

	for (i = 0; i < CS_AN_COUNT; i++)
		s->enabled[i] = !cs_analyzers[i]->scanners || (cs_analyzers[i]->scanners & s->opts.scanners);
	if ((s->opts.scanners & CS_SCANNER_SECRET) &&
	    (code = cs_secrets_engine(&s->secret_eng, s->opts.secret_config, err)) < 0)
		return code;
	s->nwalks = nwalks;
	s->walks = cs_arena_calloc(&s->arena, nwalks ? nwalks : 1, sizeof(*s->walks));
	if (!s->walks)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; i < nwalks; i++)
		if ((code = walk_new(s, (int)i, &s->walks[i], err)) < 0)
			return code;
	return 0;
}

/* The artifact and the layer records from the image's manifest and config. */
static int describe_image(cs_scan *s, cs_err *err)
{
	cs_image *img = s->img;
	size_t i;

	s->artifact.type = "container_image";
	s->artifact.image_id = img->config_digest;
	s->artifact.manifest_digest = img->manifest_digest[0] ? img->manifest_digest : NULL;
	s->artifact.os = img->os;
	s->artifact.arch = img->arch;
	s->artifact.variant = img->variant;
	s->artifact.repo_tags = img->repo_tags;
	s->artifact.nrepo_tags = img->nrepo_tags;
	s->nlayers = img->nlayers;
	s->layers = cs_arena_calloc(&s->arena, img->nlayers ? img->nlayers : 1, sizeof(*s->layers));
	if (!s->layers)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; i < img->nlayers; i++) {
		cs_layer *l = &s->layers[i];
		cs_image_layer *il = &img->layers[i];

		l->index = (int)i;
		memcpy(l->digest, il->digest, sizeof(l->digest));
		memcpy(l->diff_id, il->diff_id, sizeof(l->diff_id));
		l->media_type = il->media_type;
		l->size = il->size;
		l->created_by = il->created_by;
		l->created = il->created;
		l->comment = il->comment;
	}
	return 0;
}

/* ---- streamed images ------------------------------------------------------ */

/* Walks each layer blob as the stream brings it; their places are not known yet. */
static int walk_arrivals(cs_scan *s, cs_err *err)
{
	cs_image_blob b;
	cs_stream *blob;
	cs_walk *w;
	cs_layer_expect exp;
	int code;

	while ((code = cs_image_next_blob(s->img, &b, &blob, err)) > 0) {
		const char *d = b.digest[0] ? b.digest : b.member;

		if (s->owned.len >= s->opts.limits.max_layers) {
			cs_stream_close(blob);
			return cs_err_set(err, CS_ELIMIT, "'%s': more than %u layer blobs", s->img->name,
					  s->opts.limits.max_layers);
		}
		if ((code = walk_new(s, -1, &w, err)) < 0 || !(w->member = cs_arena_strdup(&s->arena, b.member)) ||
		    !(w->label = cs_arena_printf(&s->arena, "layer '%.19s%s'", d, strlen(d) > 19 ? "..." : ""))) {
			cs_stream_close(blob);
			return code < 0 ? code : cs_err_set(err, CS_ENOMEM, "out of memory");
		}
		memset(&exp, 0, sizeof(exp));
		exp.label = w->label;
		exp.digest = b.digest[0] ? b.digest : NULL; /* a blob named by its digest is checked now */
		exp.size = b.size;
		code = walk_blob(s, w, blob, &exp, err);
		cs_stream_close(blob);
		if (code < 0)
			return code;
	}
	return code;
}

/* The walk of the blob that member names, the last of that name (as in tar), or NULL. */
static cs_walk *arrival(cs_scan *s, const char *member)
{
	size_t i;

	for (i = s->owned.len; i-- > 0;) {
		cs_walk *w = s->owned.items[i];

		if (w->member && !strcmp(w->member, member))
			return w;
	}
	return NULL;
}

/*
 * Puts each layer's walk in its place: the walk of its member, checked
 * against the place's digest and diff_id; a layer that did not look like
 * one as it went by (kept in memory when small) is walked now; one that
 * never came is an error. Walks no image names are dropped with a warning.
 */
static int place_arrivals(cs_scan *s, cs_err *err)
{
	cs_image *img = s->img;
	size_t i, narrived = s->owned.len;
	int code;

	s->nwalks = img->nlayers;
	s->walks = cs_arena_calloc(&s->arena, img->nlayers ? img->nlayers : 1, sizeof(*s->walks));
	if (!s->walks)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; i < img->nlayers; i++) {
		cs_image_layer *il = &img->layers[i];
		cs_walk *w = arrival(s, il->member);

		if (!w) {
			if ((code = walk_new(s, (int)i, &w, err)) < 0)
				return code;
			w->label = layer_label(s, i);
			if ((code = walk_layer(s, w, err)) < 0)
				return code;
		} else if (w->index < 0) {
			w->index = (int)i;
			w->label = layer_label(s, i);
		}
		s->walks[i] = w;
		if (il->digest[0] && strcmp(il->digest, w->res.digest) != 0)
			return cs_err_set(err, CS_EDIGEST, "%s: digest mismatch: the manifest says %s, the content is %s",
					  layer_label(s, i), il->digest, w->res.digest);
		if (strcmp(il->diff_id, w->res.diff_id) != 0)
			return cs_err_set(err, CS_EDIGEST,
					  "%s: diff_id mismatch: the config says %s, the uncompressed content is %s",
					  layer_label(s, i), il->diff_id, w->res.diff_id);
		layer_measured(s, i, w);
	}
	for (i = 0; i < narrived; i++) {
		cs_walk *w = s->owned.items[i];

		if (w->index >= 0)
			continue;
		if (!cs_image_names_layer(img, w->member))
			cs_scan_diag(s, CS_LOG_WARN, "'%s': member '%s' looks like a layer, but no image in manifest.json has it; ignored",
				     img->name, w->member);
		walk_release(w);
	}
	return 0;
}

static int scan_streamed(cs_scan *s, cs_err *err)
{
	int code;

	if ((code = setup(s, 0, err)) < 0 || (code = walk_arrivals(s, err)) < 0 ||
	    (code = cs_image_stream_done(s->img, err)) < 0 || (code = describe_image(s, err)) < 0 ||
	    (code = place_arrivals(s, err)) < 0)
		return code;
	return finish(s, err);
}

static int scan_image(cs_scan *s, const char *target, cs_err *err)
{
	size_t i;
	int code;

	if ((code = cs_image_open_reg(&s->img, target, s->opts.platform, &s->opts.limits, &s->opts.registry, err)) < 0)
		return code;
	/* a copy: the report outlives the caller's string (a test's buffer, say) */
	if (!(s->artifact.name = cs_arena_strdup(&s->arena, target)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (s->img->streamed)
		return scan_streamed(s, err);
	if ((code = describe_image(s, err)) < 0 || (code = setup(s, s->img->nlayers, err)) < 0)
		return code;
	for (i = 0; i < s->nwalks; i++)
		s->walks[i]->label = layer_label(s, i);
	if ((code = run_workers(s, err)) < 0)
		return code;
	return finish(s, err);
}

static int scan_rootfs(cs_scan *s, const char *dir, cs_err *err)
{
	uint64_t entries = 0;
	int code;

	s->rootfs = true;
	if (!(s->artifact.name = cs_arena_strdup(&s->arena, dir)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	s->artifact.type = "rootfs";
	if ((code = setup(s, 1, err)) < 0)
		return code;
	s->walks[0]->label = cs_arena_printf(&s->arena, "'%s'", dir);
	if ((code = cs_rootfs_walk(dir, &s->opts.limits, &s->cancel, on_rootfs_entry, s->walks[0], &entries,
				   err)) < 0 ||
	    (code = cs_secrets_walk_done(s->walks[0]->sec, err)) < 0)
		return code;
	return finish(s, err);
}

static cs_scan *scan_alloc(const cs_scan_opts *opts)
{
	cs_scan *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->opts = *opts;
	cs_arena_init(&s->arena);
	cs_vec_init(&s->packages);
	cs_vec_init(&s->vulns);
	cs_vec_init(&s->secrets);
	cs_vec_init(&s->misconfigs);
	cs_map_init(&s->owners);
	cs_vec_init(&s->diags);
	cs_vec_init(&s->owned);
	pthread_mutex_init(&s->lock, NULL);
	cs_err_clear(&s->err);
	return s;
}

int cs_scan_run(cs_scan **out, const char *target, bool rootfs, const cs_scan_opts *opts, cs_err *err)
{
	cs_scan *s = scan_alloc(opts);

	*out = s;
	if (!s)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return rootfs ? scan_rootfs(s, target, err) : scan_image(s, target, err);
}

int cs_scan_new_inventory(cs_scan **out, const cs_scan_opts *opts, cs_err *err)
{
	cs_scan *s = scan_alloc(opts);

	*out = s;
	if (!s)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* no layers to report, as for a root filesystem */
	s->rootfs = true;
	s->artifact.type = "sbom";
	return 0;
}

void cs_scan_set_artifact(cs_scan *s, const cs_artifact *a)
{
	s->artifact = *a;
}

void cs_scan_inventory_done(cs_scan *s)
{
	cs_vec_sort(&s->packages, package_cmp_stable);
	cs_vec_sort(&s->diags, diag_cmp);
}

bool cs_scan_is_rootfs(const cs_scan *s)
{
	return s->rootfs;
}

const cs_scan_opts *cs_scan_options(const cs_scan *s) { return &s->opts; }
const struct cJSON *cs_scan_image_config(const cs_scan *s) { return s->img ? s->img->config : NULL; }

int cs_scan_add_misconfig(cs_scan *s, cs_misconfig *m) { return cs_vec_push(&s->misconfigs, m); }
size_t cs_scan_misconfig_count(const cs_scan *s) { return s->misconfigs.len; }
const cs_misconfig *cs_scan_misconfig(const cs_scan *s, size_t i) { return cs_vec_get(&s->misconfigs, i); }
bool cs_scan_config_ran(const cs_scan *s) { return s->config_ran; }
void cs_scan_set_config_ran(cs_scan *s) { s->config_ran = true; }

void cs_scan_set_layer_created_by(cs_scan *s, size_t i, const char *created_by)
{
	if (i < s->nlayers)
		s->layers[i].created_by = created_by;
}

static int str_cmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int misconfig_cmp(const void *a, const void *b)
{
	const cs_misconfig *x = *(const cs_misconfig *const *)a, *y = *(const cs_misconfig *const *)b;
	int c;

	if (x->layer != y->layer)
		return x->layer < y->layer ? -1 : 1;
	if ((c = cs_severity_rank(y->severity) - cs_severity_rank(x->severity)))
		return c;
	if ((c = str_cmp0(x->id, y->id)) || (c = str_cmp0(x->dockerfile, y->dockerfile)) ||
	    (c = str_cmp0(x->path, y->path)))
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	/* one check can fire twice on one path (two ports, two accounts): the message decides, so reports repeat */
	return str_cmp0(x->message, y->message);
}

void cs_scan_sort_misconfigs(cs_scan *s) { cs_vec_sort(&s->misconfigs, misconfig_cmp); }

void cs_scan_set_base(cs_scan *s, const cs_base *b)
{
	s->base = *b;
	s->have_base = true;
}

const cs_base *cs_scan_base(const cs_scan *s) { return s->have_base ? &s->base : NULL; }

void cs_scan_set_policy(cs_scan *s, const cs_policy_result *r)
{
	s->policy = *r;
	s->have_policy = true;
}

const cs_policy_result *cs_scan_policy(const cs_scan *s) { return s->have_policy ? &s->policy : NULL; }

cs_vuln *cs_scan_vuln_mut(cs_scan *s, size_t i) { return cs_vec_get(&s->vulns, i); }
cs_secret *cs_scan_secret_mut(cs_scan *s, size_t i) { return cs_vec_get(&s->secrets, i); }
cs_misconfig *cs_scan_misconfig_mut(cs_scan *s, size_t i) { return cs_vec_get(&s->misconfigs, i); }

void cs_scan_free(cs_scan *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->owned.len; i++)
		walk_release(s->owned.items[i]);
	cs_vec_release(&s->owned);
	for (i = 0; i < s->diags.len; i++) {
		diag *d = s->diags.items[i];

		free(d->msg);
		free(d);
	}
	cs_vec_release(&s->diags);
	cs_vec_release(&s->packages);
	cs_vec_release(&s->vulns);
	cs_vec_release(&s->secrets);
	cs_vec_release(&s->misconfigs);
	cs_map_release(&s->owners);
	cs_secret_engine_free(s->secret_eng);
	cs_fsview_free(s->view);
	cs_image_free(s->img);
	free(s->order);
	pthread_mutex_destroy(&s->lock);
	cs_arena_release(&s->arena);
	free(s);
}

/* Compacts v in place, keeping the items drop() refuses. */
static void drop_from(cs_vec *v, bool (*drop)(const void *item, void *payload), void *payload)
{
	size_t i, n = 0;

	for (i = 0; i < v->len; i++)
		if (!drop(v->items[i], payload))
			v->items[n++] = v->items[i];
	v->len = n;
}

typedef struct drop_ctx {
	const cs_scan_dropper *d;
	int kind; /* 0 vulns, 1 secrets, 2 misconfigs */
} drop_ctx;

static bool drop_one(const void *item, void *payload)
{
	const drop_ctx *c = payload;

	switch (c->kind) {
	case 0: return c->d->vuln(item, c->d->payload);
	case 1: return c->d->secret(item, c->d->payload);
	default: return c->d->misconfig(item, c->d->payload);
	}
}

void cs_scan_drop(cs_scan *s, const cs_scan_dropper *d)
{
	drop_ctx c = {d, 0};

	if (d->vuln)
		drop_from(&s->vulns, drop_one, &c);
	c.kind = 1;
	if (d->secret)
		drop_from(&s->secrets, drop_one, &c);
	c.kind = 2;
	if (d->misconfig)
		drop_from(&s->misconfigs, drop_one, &c);
}
