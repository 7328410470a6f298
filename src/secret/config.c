/*
 * config.c - loads custom secret rules from YAML.
 *
 * The YAML is read into a tree by the project's libyaml reader (aliases
 * refused, depth capped), then walked here with every field checked. The
 * keys follow the secret-config layout Trivy uses, so an existing file
 * loads unchanged; unknown keys are errors, since a misspelt key would
 * otherwise silently change what is reported.
 */
#include "core/compat.h"
#include "secret/config.h"

#include "core/json.h"
#include "core/yaml.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <math.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Where a message comes from: the file and, inside a rule, the rule. */
typedef struct ctx {
	cs_secret_config *cfg;
	cs_err *err;
	const char *rule; /* id, or NULL outside a rule */
	size_t index;     /* 1-based rule number, for rules without an id */
} ctx;

static int fail(ctx *c, const char *fmt, ...) CS_PRINTF(2, 3);

static int fail(ctx *c, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	char *p;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' '; /* names from the file may hold newlines; a message is one line */
	if (c->rule)
		return cs_err_set(c->err, CS_EFORMAT, "secret config '%s': rule '%s': %s", c->cfg->origin, c->rule, msg);
	if (c->index)
		return cs_err_set(c->err, CS_EFORMAT, "secret config '%s': rule #%zu: %s", c->cfg->origin, c->index,
				  msg);
	return cs_err_set(c->err, CS_EFORMAT, "secret config '%s': %s", c->cfg->origin, msg);
}

static int nomem(ctx *c)
{
	return cs_err_set(c->err, CS_ENOMEM, "secret config '%s': out of memory", c->cfg->origin);
}

/* Fails unless re compiles with PCRE2 as the engine will compile it. */
static int check_regex(ctx *c, const char *what, const char *re)
{
	int code = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *p = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
				      PCRE2_DUPNAMES | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP, &code, &off, NULL);
	char buf[256];

	if (p) {
		pcre2_code_free(p);
		return 0;
	}
	pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, sizeof(buf));
	return fail(c, "%s: invalid regex at offset %zu: %s", what, (size_t)off, buf);
}

/* A scalar member as a string in the config's arena; NULL when absent. */
static int get_str(ctx *c, const cJSON *obj, const char *key, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return fail(c, "'%s' must be a string", key);
	if (!(*out = cs_arena_strdup(&c->cfg->arena, v->valuestring)))
		return nomem(c);
	return 0;
}

/* A list of strings (a lone string counts as a list of one). */
static int get_list(ctx *c, const cJSON *obj, const char *key, const char ***out, size_t *n)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key), *it;
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v)) {
		if (!(*out = cs_arena_calloc(&c->cfg->arena, 1, sizeof(**out))) ||
		    !((*out)[0] = cs_arena_strdup(&c->cfg->arena, v->valuestring)))
			return nomem(c);
		*n = 1;
		return 0;
	}
	if (!cJSON_IsArray(v))
		return fail(c, "'%s' must be a list of strings", key);
	if (!(*out = cs_arena_calloc(&c->cfg->arena, (size_t)cJSON_GetArraySize(v) + 1, sizeof(**out))))
		return nomem(c);
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it))
			return fail(c, "'%s' must be a list of strings", key);
		if (!((*out)[i++] = cs_arena_strdup(&c->cfg->arena, it->valuestring)))
			return nomem(c);
	}
	*n = i;
	return 0;
}

/* Every key of obj must be in the NULL-terminated list. */
static int only_keys(ctx *c, const cJSON *obj, const char *where, const char *const *keys)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		size_t i;
		bool known = false;

		for (i = 0; keys[i] && !known; i++)
			known = strcmp(it->string, keys[i]) == 0;
		if (!known)
			return fail(c, "unknown key '%s' in %s", it->string, where);
	}
	return 0;
}

static bool valid_id(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && !strchr("._-", id[i]))
			return false;
	return true;
}

static int parse_allows(ctx *c, const cJSON *v, cs_secret_allow **out, size_t *n)
{
	static const char *const keys[] = {"id", "description", "path", "regex", NULL};
	const cJSON *it;
	size_t i = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v))
		return fail(c, "'allow-rules' must be a list");
	if (!(*out = cs_arena_calloc(&c->cfg->arena, (size_t)cJSON_GetArraySize(v) + 1, sizeof(**out))))
		return nomem(c);
	cJSON_ArrayForEach(it, v) {
		cs_secret_allow *a = &(*out)[i];

		if (!cJSON_IsObject(it))
			return fail(c, "each allow rule must be a mapping");
		if ((rc = only_keys(c, it, "an allow rule", keys)) < 0 || (rc = get_str(c, it, "id", &a->id)) < 0 ||
		    (rc = get_str(c, it, "description", &a->description)) < 0 ||
		    (rc = get_str(c, it, "path", &a->path)) < 0 || (rc = get_str(c, it, "regex", &a->value)) < 0)
			return rc;
		if (!a->path && !a->value)
			return fail(c, "allow rule '%s' has neither 'path' nor 'regex'", a->id ? a->id : "?");
		if ((a->path && (rc = check_regex(c, "allow rule path", a->path)) < 0) ||
		    (a->value && (rc = check_regex(c, "allow rule regex", a->value)) < 0))
			return rc;
		i++;
	}
	*n = i;
	return 0;
}

static int parse_block(ctx *c, const cJSON *v, const char ***out, size_t *n)
{
	static const char *const keys[] = {"description", "regexes", NULL};
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsObject(v))
		return fail(c, "'exclude-block' must be a mapping with 'regexes'");
	if ((rc = only_keys(c, v, "exclude-block", keys)) < 0 || (rc = get_list(c, v, "regexes", out, n)) < 0)
		return rc;
	for (i = 0; i < *n; i++)
		if ((rc = check_regex(c, "exclude block", (*out)[i])) < 0)
			return rc;
	return 0;
}

/* "3.5" -> 3.5; only plain decimal numbers. */
static bool parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return *s && !*end && errno == 0 && isfinite(*out) && *out >= 0;
}

static int parse_rule(ctx *c, const cJSON *obj, cs_secret_rule *r)
{
	static const char *const keys[] = {"id", "category", "title", "description", "severity", "regex",
					   "secret-group-name", "group", "keywords", "allow-rules", "exclude-block",
					   "path", "entropy", "binary", NULL};
	const char *sev = NULL, *group = NULL, *entropy = NULL, *binary = NULL;
	const char **kws = NULL;
	size_t nkw = 0, i, j;
	cs_secret_allow *allows = NULL;
	const char **blocks = NULL;
	int rc;

	if (!cJSON_IsObject(obj))
		return fail(c, "must be a mapping");
	if ((rc = get_str(c, obj, "id", &r->id)) < 0)
		return rc;
	if (!r->id)
		return fail(c, "missing 'id'");
	c->rule = r->id;
	if (!valid_id(r->id))
		return fail(c, "an id is 1 to 64 letters, digits, '.', '_' or '-'");
	if ((rc = only_keys(c, obj, "a rule", keys)) < 0 || (rc = get_str(c, obj, "category", &r->category)) < 0 ||
	    (rc = get_str(c, obj, "title", &r->title)) < 0 || (rc = get_str(c, obj, "severity", &sev)) < 0 ||
	    (rc = get_str(c, obj, "regex", &r->regex)) < 0 ||
	    (rc = get_str(c, obj, "secret-group-name", &r->group_name)) < 0 ||
	    (rc = get_str(c, obj, "group", &group)) < 0 || (rc = get_str(c, obj, "path", &r->path)) < 0 ||
	    (rc = get_str(c, obj, "entropy", &entropy)) < 0 || (rc = get_str(c, obj, "binary", &binary)) < 0 ||
	    (rc = get_list(c, obj, "keywords", &kws, &nkw)) < 0 ||
	    (rc = parse_allows(c, cJSON_GetObjectItemCaseSensitive(obj, "allow-rules"), &allows, &r->nallows)) < 0 ||
	    (rc = parse_block(c, cJSON_GetObjectItemCaseSensitive(obj, "exclude-block"), &blocks, &r->nblocks)) < 0)
		return rc;
	r->allows = allows;
	r->blocks = blocks;
	if (!r->regex || !*r->regex)
		return fail(c, "missing 'regex'");
	if ((rc = check_regex(c, "regex", r->regex)) < 0 || (r->path && (rc = check_regex(c, "path", r->path)) < 0))
		return rc;
	if (!r->category)
		r->category = "custom";
	if (!r->title)
		r->title = r->id;
	r->severity = CS_SECRET_UNKNOWN;
	if (sev && !cs_secret_severity_parse(sev, &r->severity))
		return fail(c, "severity '%s' is not one of critical, high, medium, low, unknown", sev);
	if (group) {
		uint64_t g;
		const char *p;

		for (p = group, g = 0; *p >= '0' && *p <= '9' && g < 1000; p++)
			g = g * 10 + (uint64_t)(*p - '0');
		if (!*group || *p || g > 99)
			return fail(c, "'group' must be a capture group number (0 to 99)");
		r->group = (int)g;
	}
	if (entropy && !parse_double(entropy, &r->entropy))
		return fail(c, "'entropy' must be a non-negative number of bits per byte");
	if (binary) {
		if (strcmp(binary, "true") == 0)
			r->flags |= CS_SR_BIN;
		else if (strcmp(binary, "false") != 0)
			return fail(c, "'binary' must be true or false");
	}
	/* Keywords: lower case, '|'-joined for the engine. */
	{
		size_t len = 1;
		char *k, *p;

		for (i = 0; i < nkw; i++) {
			if (!*kws[i] || strchr(kws[i], '|'))
				return fail(c, "keyword '%s' must be non-empty and without '|'", kws[i]);
			len += strlen(kws[i]) + 1;
		}
		if (!(k = cs_arena_alloc(&c->cfg->arena, len)))
			return nomem(c);
		for (i = 0, p = k; i < nkw; i++) {
			if (i)
				*p++ = '|';
			for (j = 0; kws[i][j]; j++)
				*p++ = (char)tolower((unsigned char)kws[i][j]);
		}
		*p = '\0';
		r->keywords = k;
	}
	r->origin = c->cfg->origin;
	c->rule = NULL;
	return 0;
}

static int parse_root(ctx *c, const cJSON *root)
{
	static const char *const keys[] = {"rules", "disable-rules", "enable-builtin-rules", "disable-allow-rules",
					   "allow-rules", "exclude-block", "max-file-size", NULL};
	cs_secret_config *cfg = c->cfg;
	const cJSON *rules, *it;
	const char *max = NULL;
	size_t i, j;
	int rc;

	if (cJSON_IsNull(root))
		return 0; /* an empty file: built-in rules only */
	if (!cJSON_IsObject(root))
		return fail(c, "the document must be a mapping");
	if ((rc = only_keys(c, root, "the document", keys)) < 0 ||
	    (rc = get_list(c, root, "disable-rules", &cfg->disable_rules, &cfg->ndisable_rules)) < 0 ||
	    (rc = get_list(c, root, "enable-builtin-rules", &cfg->enable_builtin, &cfg->nenable_builtin)) < 0 ||
	    (rc = get_list(c, root, "disable-allow-rules", &cfg->disable_allows, &cfg->ndisable_allows)) < 0 ||
	    (rc = parse_allows(c, cJSON_GetObjectItemCaseSensitive(root, "allow-rules"), &cfg->allows,
			       &cfg->nallows)) < 0 ||
	    (rc = parse_block(c, cJSON_GetObjectItemCaseSensitive(root, "exclude-block"), &cfg->blocks,
			      &cfg->nblocks)) < 0 ||
	    (rc = get_str(c, root, "max-file-size", &max)) < 0)
		return rc;
	cfg->enable_builtin_set = cJSON_GetObjectItemCaseSensitive(root, "enable-builtin-rules") != NULL;
	if (max) {
		char *end;

		errno = 0;
		cfg->max_file_size = strtoull(max, &end, 10);
		if (!*max || *end || errno || *max == '-' || cfg->max_file_size == 0)
			return fail(c, "'max-file-size' must be a positive number of bytes");
	}
	rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
	if (!rules || cJSON_IsNull(rules))
		return 0;
	if (!cJSON_IsArray(rules))
		return fail(c, "'rules' must be a list");
	if (!(cfg->rules = cs_arena_calloc(&cfg->arena, (size_t)cJSON_GetArraySize(rules) + 1, sizeof(*cfg->rules))))
		return nomem(c);
	cJSON_ArrayForEach(it, rules) {
		c->index = cfg->nrules + 1;
		if ((rc = parse_rule(c, it, &cfg->rules[cfg->nrules])) < 0)
			return rc;
		cfg->nrules++;
		c->index = 0;
	}
	for (i = 0; i < cfg->nrules; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(cfg->rules[i].id, cfg->rules[j].id) == 0) {
				c->rule = cfg->rules[i].id;
				return fail(c, "defined twice");
			}
		}
	}
	return 0;
}

int cs_secret_config_new(cs_secret_config **out, cs_err *err)
{
	cs_secret_config *cfg = calloc(1, sizeof(*cfg));

	*out = NULL;
	if (!cfg)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_arena_init(&cfg->arena);
	cfg->origin = "(built-in)";
	*out = cfg;
	return 0;
}

int cs_secret_config_parse(cs_secret_config **out, const char *origin, const char *data, size_t len,
			   cs_err *err)
{
	cs_secret_config *cfg;
	cJSON *root;
	ctx c;
	cs_err yerr;
	const cs_yaml_opts yopts = {.what = "YAML", .max_depth = CS_SECRET_CONFIG_MAX_DEPTH, .all_documents = false};
	int rc;

	*out = NULL;
	if ((rc = cs_secret_config_new(&cfg, err)) < 0)
		return rc;
	if (!(cfg->origin = cs_arena_strdup(&cfg->arena, origin ? origin : "(config)"))) {
		cs_secret_config_free(cfg);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	c.cfg = cfg;
	c.err = err;
	c.rule = NULL;
	c.index = 0;
	if (len > CS_SECRET_CONFIG_MAX) {
		rc = cs_err_set(err, CS_ELIMIT, "secret config '%s': larger than %zu bytes", cfg->origin,
				CS_SECRET_CONFIG_MAX);
		goto fail;
	}
	if (memchr(data, '\0', len)) {
		rc = fail(&c, "not a text file (NUL byte)");
		goto fail;
	}
	cs_err_clear(&yerr);
	if (cs_yaml_parse(&root, data, len, &yopts, &yerr) < 0) {
		rc = yerr.code == CS_ENOMEM ? nomem(&c) : fail(&c, "%s", yerr.msg);
		goto fail;
	}
	rc = parse_root(&c, root);
	cJSON_Delete(root);
	if (rc < 0)
		goto fail;
	*out = cfg;
	return 0;
fail:
	cs_secret_config_free(cfg);
	return rc;
}

int cs_secret_config_load(cs_secret_config **out, const char *path, cs_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (!f)
		return cs_err_set(err, CS_EIO, "cannot read secret config '%s': %s", path, strerror(errno));
	buf = malloc(CS_SECRET_CONFIG_MAX + 1);
	if (!buf) {
		fclose(f);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, CS_SECRET_CONFIG_MAX + 1, f);
	if (ferror(f)) {
		rc = cs_err_set(err, CS_EIO, "cannot read secret config '%s': %s", path, strerror(errno));
	} else {
		rc = cs_secret_config_parse(out, path, buf, n, err); /* n > max: the limit error */
	}
	fclose(f);
	free(buf);
	return rc;
}

void cs_secret_config_free(cs_secret_config *cfg)
{
	if (!cfg)
		return;
	cs_arena_release(&cfg->arena);
	free(cfg);
}
