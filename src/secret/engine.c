/*
 * engine.c - builds the secret engine: rules, allow rules, databases.
 *
 * The built-in rules and a config's custom rules become one list in
 * precedence order; each rule is compiled twice, with PCRE2 (JIT) to
 * confirm and extract matches, and into a Vectorscan streaming database to
 * find them in one pass without start of match (SOM tracking made one rule
 * cost 35 times more here, and many rules refuse to compile with it). The
 * keywords of every rule are literals in the same database. Rules with a
 * path condition get a second database; exclude blocks a third, with SOM,
 * only when a config has any. The result is immutable and shared by every
 * scanner (scanner.c).
 */
#include "core/compat.h"
#include "secret/engine.h"

#include "core/sha256.h"
#include "secret/engine_int.h"

#include <limits.h>
#include <unistd.h>

/* ---- building -------------------------------------------------------------- */

/* PCRE2 with byte semantics (no UTF, whatever the pattern asks) and duplicate group names. */
static pcre2_code *re_compile(const char *re, uint32_t extra, char *msg, size_t msgsz)
{
	int errcode = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
					 PCRE2_DUPNAMES | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | extra, &errcode,
					 &off, NULL);

	if (!code) {
		char buf[256];

		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)buf, sizeof(buf));
		snprintf(msg, msgsz, "invalid regex at offset %zu: %s", (size_t)off, buf);
		return NULL;
	}
	/* JIT is an optimisation: where it is unavailable the interpreter runs. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
	return code;
}

/* Names the rule in a message: "secret config 'f.yaml': rule 'x': " or "built-in rule 'x': ". */
static int rule_fail(cs_err *err, int code, const cs_secret_rule *r, const char *what)
{
	if (r->origin)
		return cs_err_set(err, code, "secret config '%s': rule '%s': %s", r->origin, r->id, what);
	return cs_err_set(err, code, "built-in secret rule '%s': %s", r->id, what);
}

static char *arena_dup(cs_arena *a, const char *s)
{
	return s ? cs_arena_strdup(a, s) : NULL;
}

static bool in_list(const char *const *list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], id) == 0)
			return true;
	return false;
}

static int allow_compile(allow_c *out, const cs_secret_allow *a, const char *origin, const char *owner,
			 cs_err *err)
{
	char msg[300];

	out->id = a->id;
	out->rule_flags = a->rule_flags;
	out->path = out->value = NULL;
	if (a->path && !(out->path = re_compile(a->path, 0, msg, sizeof(msg))))
		goto fail;
	if (a->value && !(out->value = re_compile(a->value, 0, msg, sizeof(msg))))
		goto fail;
	return 0;
fail:
	if (origin)
		return cs_err_set(err, CS_EFORMAT, "secret config '%s': allow rule '%s': %s", origin,
				  a->id ? a->id : owner, msg);
	return cs_err_set(err, CS_EFORMAT, "built-in allow rule '%s': %s", a->id ? a->id : owner, msg);
}

/* Copies a custom rule's strings into the engine's arena. */
static int rule_copy(cs_arena *a, cs_secret_rule *dst, const cs_secret_rule *src)
{
	size_t i;

	*dst = *src;
	if (!src->origin)
		return 0; /* built-in: static strings */
	dst->id = arena_dup(a, src->id);
	dst->category = arena_dup(a, src->category);
	dst->title = arena_dup(a, src->title);
	dst->keywords = arena_dup(a, src->keywords);
	dst->regex = arena_dup(a, src->regex);
	dst->group_name = arena_dup(a, src->group_name);
	dst->path = arena_dup(a, src->path);
	dst->allow_value = arena_dup(a, src->allow_value);
	dst->origin = arena_dup(a, src->origin);
	dst->allows = NULL;
	dst->blocks = NULL;
	if (!dst->id || !dst->category || !dst->title || !dst->keywords || !dst->regex || !dst->origin)
		return CS_ENOMEM;
	if (src->nallows) {
		cs_secret_allow *al = cs_arena_calloc(a, src->nallows, sizeof(*al));

		if (!al)
			return CS_ENOMEM;
		for (i = 0; i < src->nallows; i++) {
			al[i].id = arena_dup(a, src->allows[i].id);
			al[i].description = NULL;
			al[i].path = arena_dup(a, src->allows[i].path);
			al[i].value = arena_dup(a, src->allows[i].value);
		}
		dst->allows = al;
	}
	if (src->nblocks) {
		const char **bl = cs_arena_calloc(a, src->nblocks, sizeof(*bl));

		if (!bl)
			return CS_ENOMEM;
		for (i = 0; i < src->nblocks; i++)
			if (!(bl[i] = arena_dup(a, src->blocks[i])))
				return CS_ENOMEM;
		dst->blocks = bl;
	}
	return 0;
}

/* Fills rc->groups from the rule's group number or name. */
static int rule_groups(rule_c *rc, cs_err *err)
{
	uint32_t count = 0, namecount = 0, entry = 0, i;
	PCRE2_SPTR table = NULL;

	pcre2_pattern_info(rc->re, PCRE2_INFO_CAPTURECOUNT, &count);
	rc->ngroups = 0;
	if (rc->r.group_name) {
		pcre2_pattern_info(rc->re, PCRE2_INFO_NAMECOUNT, &namecount);
		pcre2_pattern_info(rc->re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
		pcre2_pattern_info(rc->re, PCRE2_INFO_NAMETABLE, &table);
		for (i = 0; i < namecount; i++) {
			const unsigned char *e = table + (size_t)i * entry;
			int n = (e[0] << 8) | e[1];

			if (strcmp((const char *)e + 2, rc->r.group_name) != 0)
				continue;
			if (rc->ngroups == CS_SECRET_MAX_GROUPS)
				return rule_fail(err, CS_EFORMAT, &rc->r, "too many groups named as the secret");
			rc->groups[rc->ngroups++] = n;
		}
		if (!rc->ngroups) {
			char msg[200];

			snprintf(msg, sizeof(msg), "no group named '%s' in the regex", rc->r.group_name);
			return rule_fail(err, CS_EFORMAT, &rc->r, msg);
		}
	} else if (rc->r.group > 0) {
		if ((uint32_t)rc->r.group > count)
			return rule_fail(err, CS_EFORMAT, &rc->r, "the secret group number exceeds the regex's groups");
		rc->groups[rc->ngroups++] = rc->r.group;
	}
	return 0;
}

/* "\xHH" for every byte that is not alphanumeric: a keyword as a Vectorscan literal. */
static char *literal_regex(cs_arena *a, const char *kw, size_t n)
{
	char *out = cs_arena_alloc(a, n * 4 + 1), *p = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)kw[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			*p++ = (char)c;
		} else {
			snprintf(p, 5, "\\x%02x", c);
			p += 4;
		}
	}
	*p = '\0';
	return out;
}

/*
 * The regex as Vectorscan gets it: named groups become plain groups.
 * Vectorscan only decides where a match ends, so names mean nothing to it,
 * and it refuses a name used twice, which PCRE2 (with DUPNAMES) and
 * Trivy-style configs allow ("two groups named secret").
 */
static const char *hs_form(cs_arena *a, const char *re)
{
	size_t n = strlen(re), i = 0, o = 0;
	char *out;
	bool in_class = false;

	if (!strstr(re, "(?P<") && !strstr(re, "(?<") && !strstr(re, "(?'"))
		return re;
	if (!(out = cs_arena_alloc(a, n + 1)))
		return NULL;
	while (i < n) {
		if (re[i] == '\\' && i + 1 < n) {
			out[o++] = re[i++];
			out[o++] = re[i++];
			continue;
		}
		if (in_class) {
			in_class = re[i] != ']';
			out[o++] = re[i++];
			continue;
		}
		if (re[i] == '[') {
			in_class = true;
			out[o++] = re[i++];
			if (i < n && re[i] == '^')
				out[o++] = re[i++];
			if (i < n && re[i] == ']') /* a leading ']' is a member */
				out[o++] = re[i++];
			continue;
		}
		if (re[i] == '(' && i + 2 < n && re[i + 1] == '?' &&
		    ((re[i + 2] == 'P' && i + 3 < n && re[i + 3] == '<') || re[i + 2] == '\'' ||
		     (re[i + 2] == '<' && i + 3 < n && re[i + 3] != '=' && re[i + 3] != '!'))) {
			char close = re[i + 2] == '\'' ? '\'' : '>';
			const char *end = strchr(re + i + 3, close);

			if (end) {
				out[o++] = '(';
				i = (size_t)(end - re) + 1;
				continue;
			}
		}
		out[o++] = re[i++];
	}
	out[o] = '\0';
	return out;
}

/*
 * Checks that Vectorscan takes a rule's regex; a custom one it refuses is
 * retried in prefilter mode (a superset that PCRE2 narrows down).
 */
static int hs_check_rule(rule_c *rc, cs_err *err)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *ce = NULL;
	char msg[400];

	if (hs_expression_info(rc->hs_regex, 0, &info, &ce) == HS_SUCCESS) {
		free(info);
		return 0;
	}
	snprintf(msg, sizeof(msg), "regex not supported by Vectorscan: %s", ce && ce->message ? ce->message : "?");
	hs_free_compile_error(ce);
	ce = NULL;
	if (rc->r.origin && hs_expression_info(rc->hs_regex, HS_FLAG_PREFILTER, &info, &ce) == HS_SUCCESS) {
		free(info);
		rc->r.flags |= CS_SR_PREFILTER;
		return 0;
	}
	hs_free_compile_error(ce);
	return rule_fail(err, CS_EFORMAT, &rc->r, msg);
}

static int add_rule(cs_secret_engine *e, const cs_secret_rule *src, cs_err *err)
{
	rule_c *rc = &e->rules[e->nrules];
	char msg[300];
	uint32_t cap = 0;
	size_t i;
	int rc_;

	memset(rc, 0, sizeof(*rc));
	if ((rc_ = rule_copy(&e->arena, &rc->r, src)) < 0)
		return cs_err_set(err, rc_, "out of memory");
	if (!(rc->re = re_compile(rc->r.regex, 0, msg, sizeof(msg))))
		return rule_fail(err, CS_EFORMAT, &rc->r, msg);
	e->nrules++; /* owned from here: engine_free releases it */
	pcre2_pattern_info(rc->re, PCRE2_INFO_CAPTURECOUNT, &cap);
	if (cap > e->max_captures)
		e->max_captures = cap;
	if ((rc_ = rule_groups(rc, err)) < 0)
		return rc_;
	if (rc->r.path && !(rc->path = re_compile(rc->r.path, 0, msg, sizeof(msg))))
		return rule_fail(err, CS_EFORMAT, &rc->r, msg);
	rc->nallows = rc->r.nallows + (rc->r.allow_value ? 1 : 0);
	if (rc->nallows && !(rc->allows = cs_arena_calloc(&e->arena, rc->nallows, sizeof(*rc->allows))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; i < rc->r.nallows; i++)
		if ((rc_ = allow_compile(&rc->allows[i], &rc->r.allows[i], rc->r.origin, rc->r.id, err)) < 0)
			return rc_;
	if (rc->r.allow_value) {
		cs_secret_allow a = {NULL, NULL, NULL, rc->r.allow_value, 0};

		if ((rc_ = allow_compile(&rc->allows[i], &a, rc->r.origin, rc->r.id, err)) < 0)
			return rc_;
	}
	rc->gated = rc->r.keywords && rc->r.keywords[0];
	if (!(rc->hs_regex = hs_form(&e->arena, rc->r.regex)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return hs_check_rule(rc, err);
}

/* The rule list: custom rules first (the user's word wins on overlap), then built-ins. */
static int collect_rules(cs_secret_engine *e, const cs_secret_config *cfg, cs_err *err)
{
	size_t i, n = cs_secret_builtin_count + (cfg ? cfg->nrules : 0);
	int rc;

	if (!(e->rules = cs_arena_calloc(&e->arena, n ? n : 1, sizeof(*e->rules))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; cfg && i < cfg->nrules; i++) {
		if (in_list(cfg->disable_rules, cfg->ndisable_rules, cfg->rules[i].id))
			continue;
		if ((rc = add_rule(e, &cfg->rules[i], err)) < 0)
			return rc;
	}
	for (i = 0; i < cs_secret_builtin_count; i++) {
		const cs_secret_rule *r = &cs_secret_builtin_rules[i];
		size_t j;
		bool replaced = false;

		if (cfg && in_list(cfg->disable_rules, cfg->ndisable_rules, r->id))
			continue;
		if (cfg && cfg->enable_builtin_set && !in_list(cfg->enable_builtin, cfg->nenable_builtin, r->id))
			continue;
		for (j = 0; cfg && j < cfg->nrules; j++)
			replaced = replaced || strcmp(cfg->rules[j].id, r->id) == 0;
		if (replaced)
			continue;
		if ((rc = add_rule(e, r, err)) < 0)
			return rc;
	}
	return 0;
}

static int collect_allows(cs_secret_engine *e, const cs_secret_config *cfg, cs_err *err)
{
	size_t i, n = cs_secret_builtin_allow_count + (cfg ? cfg->nallows : 0);
	int rc;

	if (!(e->allows = cs_arena_calloc(&e->arena, n, sizeof(*e->allows))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; i < cs_secret_builtin_allow_count; i++) {
		const cs_secret_allow *a = &cs_secret_builtin_allows[i];

		if (cfg && in_list(cfg->disable_allows, cfg->ndisable_allows, a->id))
			continue;
		if ((rc = allow_compile(&e->allows[e->nallows], a, NULL, "built-in", err)) < 0)
			return rc;
		e->nallows++;
	}
	for (i = 0; cfg && i < cfg->nallows; i++) {
		if ((rc = allow_compile(&e->allows[e->nallows], &cfg->allows[i], cfg->origin, "global", err)) < 0)
			return rc;
		e->nallows++;
	}
	e->placeholders = !(cfg && in_list(cfg->disable_allows, cfg->ndisable_allows, CS_SECRET_ALLOW_PLACEHOLDERS));
	return 0;
}

/* Largest cached database read back, bytes (the built-in one is about 600 KB). */
#define CACHE_MAX ((size_t)64 << 20)

/* "DIR/secret-db-<first 32 hex digits of the digest of everything compiled>.hs". */
static bool cache_name(char *out, size_t outsz, const cs_hs_ops *hs, const char *dir, const char *const *exprs,
		       const unsigned *flags, size_t n)
{
	cs_sha256 h;
	char digest[CS_DIGEST_MAX];
	size_t i;

	if (cs_sha256_init(&h) < 0)
		return false;
	cs_sha256_update(&h, "customs secret db 1", 20);
	cs_sha256_update(&h, hs_version(), strlen(hs_version()) + 1);
	cs_sha256_update(&h, hs->name, strlen(hs->name) + 1);
	cs_sha256_update(&h, &hs->platform.cpu_features, sizeof(hs->platform.cpu_features));
	for (i = 0; i < n; i++) {
		cs_sha256_update(&h, &flags[i], sizeof(flags[i]));
		cs_sha256_update(&h, exprs[i], strlen(exprs[i]) + 1);
	}
	cs_sha256_final(&h, digest);
	return (size_t)snprintf(out, outsz, "%s/secret-db-%.32s.hs", dir, digest + 7) < outsz;
}

/* A database from the cache, or NULL (absent, unreadable, or built for another CPU or version). */
static hs_database_t *cache_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	hs_database_t *db = NULL;

	if (!f)
		return NULL;
	buf = malloc(CACHE_MAX);
	if (buf && (n = fread(buf, 1, CACHE_MAX, f)) > 0 && n < CACHE_MAX && !ferror(f) &&
	    hs_deserialize_database(buf, n, &db) != HS_SUCCESS)
		db = NULL;
	free(buf);
	fclose(f);
	return db;
}

/* Best effort: written to a temporary name and renamed, so readers never see half a file. */
static void cache_store(const char *path, const hs_database_t *db)
{
	char *bytes = NULL, tmp[PATH_MAX + 16];
	size_t n = 0;
	FILE *f;

	if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS)
		return;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) < sizeof(tmp) &&
	    (f = fopen(tmp, "wb"))) {
		bool ok = fwrite(bytes, 1, n, f) == n;

		ok = fclose(f) == 0 && ok;
		if (!ok || rename(tmp, path) != 0)
			remove(tmp);
	}
	free(bytes);
}

/* Numbers every rule's keywords: Vectorscan id nrules + k is keyword k of rule kw_rule[k]. */
static int number_keywords(cs_secret_engine *e, cs_err *err)
{
	size_t nkw = 0, i;

	for (i = 0; i < e->nrules; i++) {
		const char *k = e->rules[i].r.keywords;

		if (e->rules[i].gated)
			for (nkw++; *k; k++)
				nkw += *k == '|';
	}
	e->kw_rule = cs_arena_calloc(&e->arena, nkw ? nkw : 1, sizeof(*e->kw_rule));
	e->kw_regex = cs_arena_calloc(&e->arena, nkw ? nkw : 1, sizeof(*e->kw_regex));
	if (!e->kw_rule || !e->kw_regex)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	for (i = 0; i < e->nrules; i++) {
		const char *k = e->rules[i].r.keywords;

		while (e->rules[i].gated && *k) {
			size_t len = strcspn(k, "|");

			if (len) {
				if (!(e->kw_regex[e->nkw] = literal_regex(&e->arena, k, len)))
					return cs_err_set(err, CS_ENOMEM, "out of memory");
				e->kw_rule[e->nkw++] = (uint32_t)i;
			}
			k += len + (k[len] == '|');
		}
	}
	return 0;
}

/*
 * Database `part` (DB_MAIN or DB_PATH): the regexes of its rules (id: the
 * rule's index) and their keywords (id: nrules + keyword number). Rules
 * with a path condition live in DB_PATH, scanned only for the files they
 * apply to: their patterns (a .pgpass line is five fields and colons) have
 * no literal to anchor on and would slow every file down.
 */
static int build_db(cs_secret_engine *e, int part, const char *cache_dir, cs_err *err)
{
	char cache_path[PATH_MAX];
	bool cached = false;
	size_t i, n = 0;
	const char **exprs = calloc(e->nrules + e->nkw + 1, sizeof(*exprs));
	unsigned *flags = calloc(e->nrules + e->nkw + 1, sizeof(*flags));
	unsigned *ids = calloc(e->nrules + e->nkw + 1, sizeof(*ids));
	hs_compile_error_t *ce = NULL;
	int rc = 0;

	if (!exprs || !flags || !ids) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < e->nrules; i++) {
		if ((e->rules[i].r.path != NULL) != (part == DB_PATH))
			continue;
		exprs[n] = e->rules[i].hs_regex;
		flags[n] = (e->rules[i].r.flags & CS_SR_PREFILTER) ? HS_FLAG_PREFILTER : 0;
		ids[n++] = (unsigned)i;
	}
	for (i = 0; i < e->nkw; i++) {
		if ((e->rules[e->kw_rule[i]].r.path != NULL) != (part == DB_PATH))
			continue;
		exprs[n] = e->kw_regex[i];
		flags[n] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
		ids[n++] = (unsigned)(e->nrules + i);
	}
	if (n == 0)
		goto done; /* no such rules: that stream is never opened */
	cached = cache_dir && cache_name(cache_path, sizeof(cache_path), e->hs, cache_dir, exprs, flags, n);
	if (cached && (e->db[part] = cache_load(cache_path)) != NULL)
		goto scratch;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_STREAM, &e->hs->platform, &e->db[part],
			     &ce) != HS_SUCCESS) {
		if (ce && ce->expression >= 0 && ids[ce->expression] < e->nrules)
			rc = rule_fail(err, CS_EFORMAT, &e->rules[ids[ce->expression]].r, ce->message);
		else
			rc = cs_err_set(err, CS_ERR, "cannot compile the secret rules: %s", ce ? ce->message : "?");
		goto done;
	}
	if (cached)
		cache_store(cache_path, e->db[part]);
scratch:
	if (hs_alloc_scratch(e->db[part], &e->scratch[part]) != HS_SUCCESS)
		rc = cs_err_set(err, CS_ENOMEM, "cannot allocate Vectorscan scratch space");
done:
	hs_free_compile_error(ce);
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

/* Exclude blocks: every global one and every rule's own, with start of match. */
static int build_blocks(cs_secret_engine *e, const cs_secret_config *cfg, cs_err *err)
{
	size_t n = cfg ? cfg->nblocks : 0, i, j, k = 0;
	const char **exprs;
	unsigned *flags, *ids;
	hs_compile_error_t *ce = NULL;
	int rc = 0;

	for (i = 0; i < e->nrules; i++)
		n += e->rules[i].r.nblocks;
	if (n == 0)
		return 0;
	exprs = calloc(n, sizeof(*exprs));
	flags = calloc(n, sizeof(*flags));
	ids = calloc(n, sizeof(*ids));
	e->block_owner = cs_arena_calloc(&e->arena, n, sizeof(*e->block_owner));
	if (!exprs || !flags || !ids || !e->block_owner) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; cfg && i < cfg->nblocks; i++, k++) {
		exprs[k] = cfg->blocks[i];
		e->block_owner[k] = -1;
	}
	for (i = 0; i < e->nrules; i++) {
		for (j = 0; j < e->rules[i].r.nblocks; j++, k++) {
			exprs[k] = e->rules[i].r.blocks[j];
			e->block_owner[k] = (int32_t)i;
		}
	}
	for (k = 0; k < n; k++) {
		flags[k] = HS_FLAG_SOM_LEFTMOST;
		ids[k] = (unsigned)k;
	}
	e->nblocks = n;
	if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_STREAM | HS_MODE_SOM_HORIZON_LARGE,
			     &e->hs->platform, &e->bdb, &ce) != HS_SUCCESS) {
		rc = cs_err_set(err, CS_EFORMAT, "secret config '%s': exclude block '%s': %s",
				cfg && cfg->origin ? cfg->origin : "?",
				ce && ce->expression >= 0 ? exprs[ce->expression] : "?", ce ? ce->message : "?");
		goto done;
	}
	if (hs_alloc_scratch(e->bdb, &e->bscratch) != HS_SUCCESS)
		rc = cs_err_set(err, CS_ENOMEM, "cannot allocate Vectorscan scratch space");
done:
	hs_free_compile_error(ce);
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

int cs_secret_engine_new(cs_secret_engine **out, const cs_secret_config *cfg, cs_err *err)
{
	cs_secret_engine *e = calloc(1, sizeof(*e));
	int rc;

	*out = NULL;
	if (!e)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_arena_init(&e->arena);
	e->hs = cs_hs_ops_get();
	e->max_file = cfg && cfg->max_file_size ? cfg->max_file_size : CS_SECRET_DEFAULT_MAX_FILE;
	if ((rc = collect_rules(e, cfg, err)) < 0 || (rc = collect_allows(e, cfg, err)) < 0 ||
	    (rc = number_keywords(e, err)) < 0 || (rc = build_db(e, DB_MAIN, cfg ? cfg->cache_dir : NULL, err)) < 0 ||
	    (rc = build_db(e, DB_PATH, cfg ? cfg->cache_dir : NULL, err)) < 0 || (rc = build_blocks(e, cfg, err)) < 0) {
		cs_secret_engine_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

static void allow_release(allow_c *a)
{
	pcre2_code_free(a->path);
	pcre2_code_free(a->value);
}

void cs_secret_engine_free(cs_secret_engine *e)
{
	size_t i, j;

	if (!e)
		return;
	for (i = 0; i < e->nrules; i++) {
		pcre2_code_free(e->rules[i].re);
		pcre2_code_free(e->rules[i].path);
		for (j = 0; e->rules[i].allows && j < e->rules[i].nallows; j++)
			allow_release(&e->rules[i].allows[j]);
	}
	for (i = 0; i < e->nallows; i++)
		allow_release(&e->allows[i]);
	for (i = 0; i < 2; i++) {
		hs_free_scratch(e->scratch[i]);
		hs_free_database(e->db[i]);
	}
	hs_free_scratch(e->bscratch);
	hs_free_database(e->bdb);
	cs_arena_release(&e->arena);
	free(e);
}

size_t cs_secret_engine_rule_count(const cs_secret_engine *e)
{
	return e->nrules;
}

const cs_secret_rule *cs_secret_engine_rule(const cs_secret_engine *e, size_t i)
{
	return i < e->nrules ? &e->rules[i].r : NULL;
}
