/*
 * base.c - the base image assessment: where the base image ends (a match in
 * the catalog of known base images, else the config's history), what it is
 * (the catalog's name, the org.opencontainers.image.base.name label, else
 * the OS release) and whether its OS release is past its end of life.
 *
 * The analyzer reads no file of its own: finish() runs after the OS
 * catalogers, reads the image config and the detected OS, and records one
 * cs_base. The vulnerabilities are matched later; reports split them with
 * cs_base_split_vulns. Rules and failure modes: docs/base-image.md.
 */
#include "core/compat.h"
#include "base/base.h"
#include "catalog/analyzer.h"
#include "core/json.h"

#include <ctype.h>
#include <time.h>

/* --- reading a history step ---------------------------------------------------- */

/*
 * The instruction of a step as both builders write it: the classic
 * builder's "/bin/sh -c #(nop) " prefix (one or two spaces after it)
 * skipped, leading blanks too. Returns where the instruction word starts.
 */
static const char *step_body(const char *cb)
{
	static const char nop[] = "/bin/sh -c #(nop)";

	while (*cb == ' ' || *cb == '\t')
		cb++;
	if (!strncmp(cb, nop, sizeof(nop) - 1))
		cb += sizeof(nop) - 1;
	while (*cb == ' ' || *cb == '\t')
		cb++;
	return cb;
}

/* True when body starts with the instruction word (any case), ended by a blank, '[' or the end. */
static bool is_instr(const char *body, const char *word)
{
	size_t n = strlen(word);

	return !strncasecmp(body, word, n) && (body[n] == ' ' || body[n] == '\t' || body[n] == '[' || !body[n]);
}

bool cs_base_is_terminator(const char *created_by)
{
	const char *b;

	if (!created_by)
		return false;
	b = step_body(created_by);
	return is_instr(b, "CMD") || is_instr(b, "ENTRYPOINT");
}

bool cs_base_is_root_step(const char *created_by)
{
	const char *b, *p, *last = NULL;
	size_t last_len = 0;

	if (!created_by)
		return false;
	b = step_body(created_by);
	/* A layer made by a build script, not a Dockerfile step: Debian's official images. */
	if (b[0] == '#')
		return true;
	if (!is_instr(b, "ADD") && !is_instr(b, "COPY"))
		return false;
	/* The destination is the last word before a " #" comment ("# buildkit"). */
	for (p = b; *p;) {
		const char *w;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		last = w;
		last_len = (size_t)(p - w);
	}
	return last && last_len == 1 && last[0] == '/';
}

/* A LABEL step that sets the base-name label. */
static bool sets_base_label(const char *created_by)
{
	return created_by && is_instr(step_body(created_by), "LABEL") &&
	       strstr(created_by, "org.opencontainers.image.base.name");
}

/* --- the history boundary ------------------------------------------------------------ */

/*
 * The last terminator in the entries after the one that owns layer `last`
 * and before the one that owns layer last + 1: the base's own closing
 * steps (its CMD) are in that gap, mixed with the application's first
 * empty steps (ENV, WORKDIR). Without a terminator there, the base ends
 * with its last layer's entry. -1 when the history does not reach it.
 */
static int gap_end(const cJSON *history, int last)
{
	const cJSON *h;
	int i = 0, layer = 0, end = -1;

	cJSON_ArrayForEach(h, history)
	{
		if (i >= CS_BASE_MAX_HISTORY)
			break;
		if (cJSON_IsObject(h)) {
			const char *cb = cs_json_str(h, "created_by");

			if (!cs_json_true(h, "empty_layer")) {
				if (layer == last + 1)
					break;
				if (layer == last)
					end = i;
				layer++;
			} else if (end >= 0 && cs_base_is_terminator(cb)) {
				end = i;
			}
		}
		i++;
	}
	return end;
}

void cs_base_read_history(cs_base_history *out, const cJSON *history, size_t nlayers, int known_last)
{
	const cJSON *h;
	int i = 0, layer = 0, term = -1, term_before = 0, label = -1;
	const char *first_step = NULL;

	memset(out, 0, sizeof(*out));
	out->last_layer = -1;
	out->end_entry = -1;
	if (!cJSON_IsArray(history))
		history = NULL;
	cJSON_ArrayForEach(h, history)
	{
		if (i >= CS_BASE_MAX_HISTORY)
			break;
		if (cJSON_IsObject(h)) {
			const char *cb = cs_json_str(h, "created_by");

			if (!cs_json_true(h, "empty_layer")) {
				if (layer == 0)
					first_step = cb;
				layer++;
			} else if (cs_base_is_terminator(cb) && layer >= 1 && (size_t)layer < nlayers) {
				/* A base closed with layers below it and the application's above. */
				term = i;
				term_before = layer;
			}
			if (sets_base_label(cb))
				label = i;
		}
		i++;
	}
	if (known_last >= 0) {
		out->last_layer = known_last;
		out->end_entry = gap_end(history, known_last);
	} else if (term >= 0) {
		out->last_layer = term_before - 1;
		out->method = "history";
		out->end_entry = term;
	} else if (nlayers >= 1 && cs_base_is_root_step(first_step)) {
		out->last_layer = 0;
		out->method = "root-layer";
		out->end_entry = gap_end(history, 0);
	}
	/* A label set before the base ended is the base's own: it names the base's base. */
	out->label_inherited = label >= 0 && out->end_entry >= 0 && label <= out->end_entry;
}

/* --- the split -------------------------------------------------------------------------- */

void cs_base_split_vulns(const cs_scan *s, const cs_base *b, cs_base_split *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);
		int layer = v->package ? v->package->layer : -1;

		if (v->suppressed.kind)
			continue;
		if (b && b->last_layer >= 0 && layer >= 0 && layer <= b->last_layer) {
			out->base++;
			out->fixed_by_rebuild += v->fixed_version != NULL;
		} else {
			out->application++;
		}
	}
}

/* --- the analyzer ------------------------------------------------------------------------ */

/* The label value when it is a plausible image reference: printable, not too long. */
static const char *base_label(const cJSON *cfg)
{
	const char *v = cs_json_str(cs_json_obj(cs_json_obj(cfg, "config"), "Labels"),
				    "org.opencontainers.image.base.name");
	const char *p;

	if (!v || !*v || strlen(v) > CS_BASE_CATALOG_MAX_STR)
		return NULL;
	for (p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return NULL;
	return v;
}

/* The catalog entry the image's leading layers match, or NULL. */
static const cs_base_image *match_catalog(cs_scan *s, const cs_base_catalog *cat, size_t nl, cs_err *err,
					  int *rc)
{
	const char **ids;
	size_t i;

	*rc = 0;
	if (!nl)
		return NULL;
	if (!(ids = cs_arena_calloc(cs_scan_arena(s), nl, sizeof(*ids)))) {
		*rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		return NULL;
	}
	for (i = 0; i < nl; i++)
		ids[i] = cs_scan_layer(s, i)->diff_id;
	return cs_base_catalog_match(cat, ids, nl);
}

static int base_finish(cs_scan *s, cs_err *err)
{
	const cs_scan_opts *o = cs_scan_options(s);
	const cJSON *cfg = cs_scan_image_config(s);
	const cs_os *os = cs_scan_os(s);
	cs_arena *a = cs_scan_arena(s);
	size_t nl = cs_scan_is_rootfs(s) ? 0 : cs_scan_layer_count(s);
	long long now = o->now > 0 ? o->now : (long long)time(NULL);
	cs_base_catalog *cat = NULL;
	const cs_base_image *hit = NULL;
	cs_base_history h;
	cs_base_eol eol;
	cs_base b;
	bool have_eol = false;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.last_layer = -1;
	b.eol = -1;
	if (o->base_catalog) {
		if ((rc = cs_base_catalog_load(&cat, o->base_catalog, false, err)) < 0)
			return rc;
		hit = match_catalog(s, cat, nl, err, &rc);
		if (rc < 0)
			goto done;
	}
	cs_base_read_history(&h, cs_json_arr(cfg, "history"), nl, hit ? (int)hit->ndiff_ids - 1 : -1);
	if (hit) {
		b.method = "catalog";
		b.last_layer = (int)hit->ndiff_ids - 1;
		b.approved = hit->approved;
		if (!(b.name = cs_base_image_label(a, hit)))
			goto oom;
	} else {
		b.method = h.method;
		b.last_layer = h.last_layer;
	}
	if (!b.name && !h.label_inherited && base_label(cfg) && !(b.name = cs_arena_strdup(a, base_label(cfg))))
		goto oom;
	if (os && os->family) {
		b.os = os->version ? cs_arena_printf(a, "%s %s", os->family, os->version) : os->family;
		if ((have_eol = cs_base_eol_find(&eol, os->family, os->version, os->codename, NULL))) {
			b.eol_date = cs_arena_strdup(a, eol.date);
			b.eol = cs_base_eol_past(eol.date, now);
		}
		/* No better name: the OS release ("debian:12"), which is what the base is made of. */
		if (!b.name)
			b.name = have_eol ? cs_arena_printf(a, "%s:%s", os->family, eol.release)
			       : os->version ? cs_arena_printf(a, "%s:%s", os->family, os->version)
					     : os->family;
		if (!b.os || !b.name || (have_eol && !b.eol_date))
			goto oom;
	}
	cs_scan_set_base(s, &b);
done:
	cs_base_catalog_free(cat);
	return rc;
oom:
	rc = cs_err_set(err, CS_ENOMEM, "out of memory");
	goto done;
}

static bool base_wants(const char *path, uint32_t mode)
{
	CS_UNUSED(path);
	CS_UNUSED(mode);
	return false;
}

const cs_analyzer cs_analyzer_base = {
	.name = "base",
	.scanners = CS_SCANNER_BASE,
	.wants = base_wants,
	.finish = base_finish,
};
