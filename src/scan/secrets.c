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

struct cs_secrets_walk {
	cs_secret_scanner *sc;
	cs_arena *a;
	int layer;
	const char *path; /* the file being scanned, in a */
	cs_vec found;     /* cs_secret * */
};

int cs_secrets_walk_new(cs_secrets_walk **out, const cs_secret_engine *eng, cs_arena *a, int layer, cs_err *err)
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
	sw->a = a;
	sw->layer = layer;
	cs_vec_init(&sw->found);
	*out = sw;
	return 0;
}

void cs_secrets_walk_free(cs_secrets_walk *sw)
{
	if (!sw)
		return;
	cs_secret_scanner_free(sw->sc);
	cs_vec_release(&sw->found);
	free(sw);
}

bool cs_secrets_begin(cs_secrets_walk *sw, const char *path, uint64_t size)
{
	sw->path = NULL;
	if (!cs_secret_file_begin(sw->sc, path, size))
		return false;
	sw->path = path;
	return true;
}

int cs_secrets_tap(void *arg, const void *data, size_t len, cs_err *err)
{
	cs_secrets_walk *sw = arg;
	int rc = cs_secret_file_feed(sw->sc, data, len);

	return rc < 0 ? cs_err_set(err, rc, "secret scan of '%s' failed", sw->path) : 0;
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

static int on_file_finding(const cs_secret_finding *f, void *payload)
{
	cs_secrets_walk *sw = payload;
	cs_secret *s = keep(sw->a, f, sw->path, sw->layer);

	return s ? cs_vec_push(&sw->found, s) : CS_ENOMEM;
}

int cs_secrets_end(cs_secrets_walk *sw, cs_err *err)
{
	int rc = cs_secret_file_end(sw->sc, on_file_finding, sw);

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
