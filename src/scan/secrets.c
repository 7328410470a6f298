/*
 * secrets.c - the secret scanner's place in a scan; see secrets.h.
 */
#include "core/compat.h"
#include "scan/secrets.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/vec.h"
#include "secret/config.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>

/*
 * Where compiled rule databases are kept between runs (building them takes
 * about half a second): $CUSTOMS_CACHE, else $XDG_CACHE_HOME/customs, else
 * ~/.cache/customs, each plus "/secret". NULL when none can be made: then
 * every run compiles.
 */
static const char *cache_dir(char *buf, size_t n)
{
	const char *root = getenv("CUSTOMS_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *p;

	if (root && *root)
		snprintf(buf, n, "%s/secret", root);
	else if (xdg && *xdg == '/')
		snprintf(buf, n, "%s/customs/secret", xdg);
	else if (home && *home == '/')
		snprintf(buf, n, "%s/.cache/customs/secret", home);
	else
		return NULL;
	for (p = strchr(buf + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(buf, 0700);
		*p = '/';
	}
	return mkdir(buf, 0700) == 0 || errno == EEXIST ? buf : NULL;
}

int cs_secrets_engine(cs_secret_engine **out, const char *config_path, cs_err *err)
{
	cs_secret_config *cfg = NULL;
	char dir[4096];
	int rc;

	*out = NULL;
	rc = config_path ? cs_secret_config_load(&cfg, config_path, err) : cs_secret_config_new(&cfg, err);
	if (rc < 0)
		return rc;
	cfg->cache_dir = cache_dir(dir, sizeof(dir));
	rc = cs_secret_engine_new(out, cfg, err);
	cs_secret_config_free(cfg);
	return rc;
}

/*
 * The lane: a second thread per walk that does the scanning, so that reading
 * (inflate, tar, system calls, the analyzers) and matching overlap on two
 * cores. The walker copies each file's begin, blocks and end into a bounded
 * ring of records; the lane replays them, in order, through a scanner of its
 * own. Bounded memory: the walker waits when the ring is full.
 */
#define LANE_RING (4u << 20)     /* bytes of records in flight */
#define LANE_MAX_DATA (256u << 10) /* payload of one DATA record */
#define LANE_WAKE (64u << 10)    /* pending bytes that wake the lane */

enum { REC_BEGIN = 1, REC_DATA, REC_END, REC_PAD };

typedef struct rec_hdr {
	uint32_t kind;
	uint32_t len;  /* payload bytes after the header */
	uint64_t size; /* REC_BEGIN: the file's size */
} rec_hdr;

typedef struct lane {
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t more;  /* records added, or closing */
	pthread_cond_t room;  /* records consumed */
	uint8_t *ring;        /* LANE_RING bytes */
	uint64_t rd, wr;      /* monotonic offsets: [rd, wr) holds records */
	uint64_t signalled;   /* wr when the lane was last woken */
	bool closing;         /* no more records: drain and stop */
	bool failed;          /* the lane stopped on an error (in err) */
	cs_err err;
	cs_secret_scanner *sc; /* the lane's own scanner */
	cs_buf path;          /* the file being replayed */
	bool open;            /* cs_secret_file_begin said yes to it */
} lane;

struct cs_secrets_walk {
	const cs_secret_engine *eng;
	cs_secret_scanner *sc; /* decides; also scans when there is no lane */
	cs_arena *a;           /* findings: the walk's arena, or own with a lane */
	cs_arena own;
	bool threaded;         /* scan on a lane */
	lane *ln;              /* started at the first file, stopped by _done */
	int layer;
	const char *path; /* the walker's file being scanned (borrowed) */
	cs_vec found;     /* cs_secret * */
};

int cs_secrets_walk_new(cs_secrets_walk **out, const cs_secret_engine *eng, cs_arena *a, int layer, bool threaded,
			cs_err *err)
{
	cs_secrets_walk *sw = calloc(1, sizeof(*sw));
	int rc;

	*out = NULL;
	if (!sw)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if ((rc = cs_secret_scanner_new(&sw->sc, eng, err)) < 0) {
		free(sw);
		return rc;
	}
	sw->eng = eng;
	cs_arena_init(&sw->own);
	/* With a lane, findings are made on the lane's thread: not in the walk's arena. */
	sw->a = threaded ? &sw->own : a;
	sw->threaded = threaded;
	sw->layer = layer;
	cs_vec_init(&sw->found);
	*out = sw;
	return 0;
}

static int lane_stop(cs_secrets_walk *sw, cs_err *err);

void cs_secrets_walk_free(cs_secrets_walk *sw)
{
	if (!sw)
		return;
	lane_stop(sw, NULL);
	cs_secret_scanner_free(sw->sc);
	cs_vec_release(&sw->found);
	cs_arena_release(&sw->own);
	free(sw);
}

/* A finding as the report keeps it: every string copied into a (the engine's are borrowed). */
static cs_secret *keep(cs_arena *a, const cs_secret_finding *f, const char *path, int layer)
{
	cs_secret *s = cs_arena_alloc(a, sizeof(*s));

	if (!s || !(s->path = cs_arena_strdup(a, path)) || !(s->match = cs_arena_strdup(a, f->match)) ||
	    !(s->rule_id = cs_arena_strdup(a, f->rule_id)) || !(s->category = cs_arena_strdup(a, f->category)) ||
	    !(s->title = cs_arena_strdup(a, f->title)) || !(s->severity = cs_arena_strdup(a, f->severity_name)))
		return NULL;
	s->line = f->line;
	s->column = f->column;
	s->layer = layer;
	s->removed_in = -1;
	return s;
}

/* Where a file's findings go: the walk's list, under the file's path. */
typedef struct sink {
	cs_secrets_walk *sw;
	const char *path;
} sink;

static int on_file_finding(const cs_secret_finding *f, void *payload)
{
	sink *k = payload;
	cs_secret *s = keep(k->sw->a, f, k->path, k->sw->layer);

	return s ? cs_vec_push(&k->sw->found, s) : CS_ENOMEM;
}

/* ---- the lane's side ----------------------------------------------------- */

/* Records start on 16-byte boundaries, so a gap at the ring's end always holds a header. */
static size_t rec_span(size_t len)
{
	return (sizeof(rec_hdr) + len + 15) & ~(size_t)15;
}

/* Replays one record through the lane's scanner. */
static int lane_apply(cs_secrets_walk *sw, lane *l, const rec_hdr *h, const uint8_t *payload)
{
	int rc;

	switch (h->kind) {
	case REC_BEGIN:
		l->path.len = 0;
		if (cs_buf_append(&l->path, payload, h->len) < 0 || cs_buf_putc(&l->path, '\0') < 0)
			return cs_err_set(&l->err, CS_ENOMEM, "out of memory");
		l->open = cs_secret_file_begin(l->sc, l->path.data, h->size);
		return 0;
	case REC_DATA:
		if (l->open && (rc = cs_secret_file_feed(l->sc, payload, h->len)) < 0)
			return cs_err_set(&l->err, rc, "secret scan of '%s' failed", l->path.data);
		return 0;
	case REC_END: {
		sink k = {sw, l->path.data};

		if (!l->open)
			return 0;
		l->open = false;
		rc = cs_secret_file_end(l->sc, on_file_finding, &k);
		if (rc == CS_ENOMEM)
			return cs_err_set(&l->err, rc, "out of memory");
		return rc < 0 ? cs_err_set(&l->err, rc, "secret scan of '%s' failed", l->path.data) : 0;
	}
	default:
		return 0; /* REC_PAD */
	}
}

static void *lane_main(void *arg)
{
	cs_secrets_walk *sw = arg;
	lane *l = sw->ln;

	pthread_mutex_lock(&l->lock);
	for (;;) {
		uint64_t rd = l->rd, wr;

		while (l->rd == l->wr && !l->closing)
			pthread_cond_wait(&l->more, &l->lock);
		if (l->rd == l->wr)
			break; /* closing and drained */
		wr = l->wr;
		pthread_mutex_unlock(&l->lock);
		/* [rd, wr) is ours until rd is published: the walker writes elsewhere. */
		while (rd < wr) {
			const rec_hdr *h = (const rec_hdr *)(l->ring + rd % LANE_RING);

			if (!l->failed && lane_apply(sw, l, h, (const uint8_t *)(h + 1)) < 0)
				l->failed = true; /* keep draining so the walker never waits forever */
			rd += h->kind == REC_PAD ? h->len : rec_span(h->len);
		}
		pthread_mutex_lock(&l->lock);
		l->rd = rd;
		pthread_cond_signal(&l->room);
	}
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

/* ---- the walker's side --------------------------------------------------- */

static int lane_start(cs_secrets_walk *sw, cs_err *err)
{
	lane *l = calloc(1, sizeof(*l));

	if (!l || !(l->ring = malloc(LANE_RING))) {
		free(l);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	cs_buf_init(&l->path, 0);
	cs_err_clear(&l->err);
	if (cs_secret_scanner_new(&l->sc, sw->eng, err) < 0) {
		free(l->ring);
		free(l);
		return err ? err->code : CS_ERR;
	}
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->more, NULL);
	pthread_cond_init(&l->room, NULL);
	sw->ln = l;
	if (pthread_create(&l->th, NULL, lane_main, sw) != 0) {
		/* no thread to be had: scan in the walker's thread */
		sw->ln = NULL;
		pthread_mutex_destroy(&l->lock);
		pthread_cond_destroy(&l->more);
		pthread_cond_destroy(&l->room);
		cs_secret_scanner_free(l->sc);
		cs_buf_release(&l->path);
		free(l->ring);
		free(l);
		sw->threaded = false;
	}
	return 0;
}

/* Wakes the lane when enough is pending (or force); call with the lock held. */
static void lane_wake(lane *l, bool force)
{
	if (force || l->wr - l->signalled >= LANE_WAKE) {
		l->signalled = l->wr;
		pthread_cond_signal(&l->more);
	}
}

/* Appends one record of alen payload bytes from a, waiting for room. */
static void lane_put(lane *l, uint32_t kind, uint64_t size, const void *a, size_t alen)
{
	size_t span = rec_span(alen);
	rec_hdr h;

	pthread_mutex_lock(&l->lock);
	for (;;) {
		uint64_t off = l->wr % LANE_RING, tail = LANE_RING - off;

		/* A record never wraps: pad to the end of the ring first. */
		if (tail < span) {
			while (LANE_RING - (l->wr - l->rd) < tail) {
				lane_wake(l, true);
				pthread_cond_wait(&l->room, &l->lock);
			}
			h.kind = REC_PAD;
			h.len = (uint32_t)tail;
			h.size = 0;
			memcpy(l->ring + off, &h, sizeof(h));
			l->wr += tail;
			continue;
		}
		if (LANE_RING - (l->wr - l->rd) >= span)
			break;
		lane_wake(l, true);
		pthread_cond_wait(&l->room, &l->lock);
	}
	/* The space [wr, wr + span) is the walker's alone until wr moves. */
	pthread_mutex_unlock(&l->lock);
	h.kind = kind;
	h.len = (uint32_t)alen;
	h.size = size;
	memcpy(l->ring + l->wr % LANE_RING, &h, sizeof(h));
	if (alen)
		memcpy(l->ring + l->wr % LANE_RING + sizeof(h), a, alen);
	pthread_mutex_lock(&l->lock);
	l->wr += span;
	lane_wake(l, false);
	pthread_mutex_unlock(&l->lock);
}

/*
 * Stops the lane once it has replayed everything and frees it. Returns its
 * error (merged into err), or 0.
 */
static int lane_stop(cs_secrets_walk *sw, cs_err *err)
{
	lane *l = sw->ln;
	int code = 0;

	if (!l)
		return 0;
	pthread_mutex_lock(&l->lock);
	l->closing = true;
	pthread_cond_signal(&l->more);
	pthread_mutex_unlock(&l->lock);
	pthread_join(l->th, NULL);
	if (l->failed) {
		code = l->err.code < 0 ? l->err.code : CS_ERR;
		cs_err_merge(err, &l->err);
	}
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->more);
	pthread_cond_destroy(&l->room);
	cs_secret_scanner_free(l->sc);
	cs_buf_release(&l->path);
	free(l->ring);
	sw->ln = NULL;
	free(l);
	return code;
}

int cs_secrets_walk_done(cs_secrets_walk *sw, cs_err *err)
{
	return sw ? lane_stop(sw, err) : 0;
}

bool cs_secrets_begin(cs_secrets_walk *sw, const char *path, uint64_t size)
{
	sw->path = NULL;
	if (sw->threaded && !sw->ln && lane_start(sw, NULL) < 0)
		sw->threaded = false; /* out of memory for a lane: scan here */
	if (sw->ln) {
		/* decide here (the walker must know whether to read); scan there */
		if (!cs_secret_file_wanted(sw->sc, path, size))
			return false;
		lane_put(sw->ln, REC_BEGIN, size, path, strlen(path));
	} else if (!cs_secret_file_begin(sw->sc, path, size)) {
		return false;
	}
	sw->path = path;
	return true;
}

int cs_secrets_tap(void *arg, const void *data, size_t len, cs_err *err)
{
	cs_secrets_walk *sw = arg;
	const uint8_t *p = data;
	int rc;

	if (sw->ln) {
		while (len) {
			size_t n = len < LANE_MAX_DATA ? len : LANE_MAX_DATA;

			lane_put(sw->ln, REC_DATA, 0, p, n);
			p += n;
			len -= n;
		}
		return 0;
	}
	rc = cs_secret_file_feed(sw->sc, data, len);
	return rc < 0 ? cs_err_set(err, rc, "secret scan of '%s' failed", sw->path) : 0;
}

int cs_secrets_end(cs_secrets_walk *sw, cs_err *err)
{
	int rc;

	if (sw->ln) {
		lane_put(sw->ln, REC_END, 0, NULL, 0);
		return 0;
	}
	{
		sink k = {sw, sw->path};

		rc = cs_secret_file_end(sw->sc, on_file_finding, &k);
	}
	if (rc == CS_ENOMEM)
		return cs_err_set(err, rc, "out of memory");
	return rc < 0 ? cs_err_set(err, rc, "secret scan of '%s' failed", sw->path) : 0;
}

size_t cs_secrets_count(const cs_secrets_walk *sw) { return sw->found.len; }
cs_secret *cs_secrets_get(const cs_secrets_walk *sw, size_t i) { return cs_vec_get(&sw->found, i); }

/* --- the image config ----------------------------------------------------- */

typedef struct cfg_ctx {
	cs_arena *a;
	const char *label;
	int (*add)(void *payload, cs_secret *f);
	void *payload;
} cfg_ctx;

static int on_config_finding(const cs_secret_finding *f, void *payload)
{
	cfg_ctx *c = payload;
	cs_secret *s = keep(c->a, f, c->label, -1);

	return s ? c->add(c->payload, s) : CS_ENOMEM;
}

static int scan_text(cs_secret_scanner *sc, cfg_ctx *c, const char *label, const char *text)
{
	int rc;

	if (!text || !*text)
		return 0;
	c->label = label;
	rc = cs_secret_scan_buffer(sc, label, text, strlen(text), on_config_finding, c);
	return rc < 0 ? rc : 0;
}

/* An array of strings (Cmd, Entrypoint) as one line, the way a shell would see it. */
static char *join_words(cs_arena *a, const cJSON *arr)
{
	const cJSON *e;
	cs_buf b;
	char *out;

	cs_buf_init(&b, 0);
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && ((b.len && cs_buf_putc(&b, ' ') < 0) || cs_buf_puts(&b, e->valuestring) < 0)) {
			cs_buf_release(&b);
			return NULL;
		}
	out = cs_arena_strdup(a, b.data ? b.data : "");
	cs_buf_release(&b);
	return out;
}

int cs_secrets_config(const cs_secret_engine *eng, const cJSON *config, cs_arena *a,
		      int (*add)(void *payload, cs_secret *f), void *payload, cs_err *err)
{
	const cJSON *cfg = cs_json_obj(config, "config"), *e;
	cs_secret_scanner *sc;
	cfg_ctx c = {a, NULL, add, payload};
	char label[64];
	size_t i = 0;
	int rc;

	if ((rc = cs_secret_scanner_new(&sc, eng, err)) < 0)
		return rc;
	cJSON_ArrayForEach(e, cs_json_arr(cfg, "Env"))
		if (cJSON_IsString(e) && (rc = scan_text(sc, &c, "config:Env", e->valuestring)) < 0)
			goto done;
	cJSON_ArrayForEach(e, cs_json_obj(cfg, "Labels"))
	{
		char *kv;

		if (!cJSON_IsString(e) || !e->string)
			continue;
		if (!(kv = cs_arena_printf(a, "%s=%s", e->string, e->valuestring))) {
			rc = CS_ENOMEM;
			goto done;
		}
		if ((rc = scan_text(sc, &c, "config:Labels", kv)) < 0)
			goto done;
	}
	{
		static const char *const lists[] = {"Cmd", "Entrypoint"};
		size_t k;

		for (k = 0; k < CS_ARRAY_LEN(lists); k++) {
			const cJSON *arr = cs_json_arr(cfg, lists[k]);
			char *line;

			if (!arr)
				continue;
			if (!(line = join_words(a, arr))) {
				rc = CS_ENOMEM;
				goto done;
			}
			snprintf(label, sizeof(label), "config:%s", lists[k]);
			if ((rc = scan_text(sc, &c, cs_arena_strdup(a, label), line)) < 0)
				goto done;
		}
	}
	cJSON_ArrayForEach(e, cs_json_arr(config, "history"))
	{
		const char *by = cs_json_str(e, "created_by");
		char *lab;

		i++;
		if (!by)
			continue;
		if (!(lab = cs_arena_printf(a, "config:history[%zu].created_by", i - 1))) {
			rc = CS_ENOMEM;
			goto done;
		}
		if ((rc = scan_text(sc, &c, lab, by)) < 0)
			goto done;
	}
done:
	cs_secret_scanner_free(sc);
	if (rc == CS_ENOMEM)
		return cs_err_set(err, rc, "out of memory");
	return rc < 0 ? cs_err_set(err, rc, "secret scan of the image config failed") : 0;
}

/* --- redacting history text ------------------------------------------------ */

typedef struct redact_ctx {
	const char *text;
	size_t done; /* bytes of text copied so far */
	cs_buf out;
	int rc;
} redact_ctx;

/* Findings come in offset order and do not overlap (the engine reduces overlaps). */
static int on_redact(const cs_secret_finding *f, void *payload)
{
	redact_ctx *c = payload;
	size_t len = strlen(c->text);

	if (f->offset < c->done || f->offset > len || f->length > len - f->offset)
		return 0;
	if (cs_buf_append(&c->out, c->text + c->done, (size_t)f->offset - c->done) < 0 ||
	    cs_buf_puts(&c->out, f->match) < 0)
		return c->rc = CS_ENOMEM;
	c->done = (size_t)(f->offset + f->length);
	return 0;
}

const char *cs_secrets_redact(const cs_secret_engine *eng, cs_arena *a, const char *label, const char *text)
{
	cs_secret_scanner *sc;
	redact_ctx c;
	const char *out = text;
	cs_err err;
	int n;

	if (!text || !*text)
		return text;
	cs_err_clear(&err);
	if (cs_secret_scanner_new(&sc, eng, &err) < 0)
		return NULL;
	memset(&c, 0, sizeof(c));
	c.text = text;
	cs_buf_init(&c.out, 0);
	n = cs_secret_scan_buffer(sc, label, text, strlen(text), on_redact, &c);
	if (n < 0 || c.rc < 0) {
		out = NULL; /* never the text unredacted when the scan failed */
	} else if (c.done > 0) {
		if (cs_buf_puts(&c.out, text + c.done) < 0 || !(out = cs_arena_strdup(a, c.out.data)))
			out = NULL;
	}
	cs_buf_release(&c.out);
	cs_secret_scanner_free(sc);
	return out;
}
