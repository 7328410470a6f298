/*
 * policyfile.c - policy files: parse, validate strictly, evaluate (see
 * policyfile.h). The trigger table below is the one list of gates,
 * triggers and parameters; docs/policy.md documents each.
 */
#include "core/compat.h"
#include "policy/policyfile.h"

#include "core/yaml.h"

#include <errno.h>
#include <math.h>
#include <strings.h>

#define MAX_RULES 1000
#define MAX_IDS 10000

enum { ACT_GO, ACT_WARN, ACT_STOP };
static const char *const action_names[] = {"go", "warn", "stop"};

struct trigger;

/* One rule, its parameters parsed; "unset" values are negative or NULL. */
typedef struct rule {
	const char *id;             /* "id", else "#N" */
	size_t index;               /* 1-based position in the file */
	const struct trigger *t;
	int action;                 /* ACT_* */
	int severity;               /* rank, -1 unset */
	double score;               /* CVSS 0..10 or EPSS 0..1, -1 unset */
	double percentile;          /* EPSS percentile 0..1, -1 unset */
	long long days;             /* -1 unset */
	int fix;                    /* fix_available: 1, 0, -1 unset */
	const char *package_type;   /* glob, or NULL */
	const char *name;           /* package name glob */
	const char *purl;           /* package purl glob */
	const char *version;        /* exact package version */
	const char **ids;           /* vulnerability or check id globs */
	size_t nids, ids_cap;
	const char *rule_glob;      /* secret rule id glob */
	const char *path_glob;      /* secret or misconfiguration path glob */
} rule;

struct cs_policy_rules {
	const char *name;
	rule *rules;
	size_t n;
};

/* What an evaluation carries. */
typedef struct ectx {
	const cs_scan *s;
	const cs_policy_env *env;
	cs_pol_hits *hits;
	cs_arena *a;
} ectx;

typedef struct trigger {
	const char *gate;
	const char *name;
	const char *params;   /* allowed parameters, space-separated */
	const char *required; /* required ones, space-separated; "a|b": at least one of */
	int (*eval)(const rule *r, ectx *c);
} trigger;

static int eval_vuln(const rule *r, ectx *c);
static int eval_pkg_denylist(const rule *r, ectx *c);
static int eval_pkg_required(const rule *r, ectx *c);
static int eval_secrets(const rule *r, ectx *c);
static int eval_config(const rule *r, ectx *c);
static int eval_base(const rule *r, ectx *c);
static int eval_database(const rule *r, ectx *c);

#define VFILTERS "severity fix_available package_type"

static const trigger triggers[] = {
	{"vulnerabilities", "severity", VFILTERS, "severity", eval_vuln},
	{"vulnerabilities", "cvss", "score " VFILTERS, "score", eval_vuln},
	{"vulnerabilities", "fix_available", "severity package_type", "", eval_vuln},
	{"vulnerabilities", "days_since_fix", "days severity package_type", "days", eval_vuln},
	{"vulnerabilities", "kev", VFILTERS, "", eval_vuln},
	{"vulnerabilities", "epss", "score percentile " VFILTERS, "score|percentile", eval_vuln},
	{"vulnerabilities", "denylist", "ids package_type", "ids", eval_vuln},
	{"packages", "denylist", "name purl version package_type", "name|purl", eval_pkg_denylist},
	{"packages", "required", "name version package_type", "name", eval_pkg_required},
	{"secrets", "any", "rule path", "", eval_secrets},
	{"secrets", "severity", "severity rule path", "severity", eval_secrets},
	{"config", "check", "ids path", "ids", eval_config},
	{"config", "severity", "severity ids path", "severity", eval_config},
	{"base", "not_approved", "", "", eval_base},
	{"base", "eol", "", "", eval_base},
	{"database", "max_age", "days", "days", eval_database},
	{"database", "unavailable", "", "", eval_database},
};

/* The built-in policy of `--policy default`; README.md shows this text (a unit test compares). */
static const char default_yaml[] =
	"name: default\n"
	"rules:\n"
	"  - id: critical-vulnerabilities\n"
	"    gate: vulnerabilities\n"
	"    trigger: severity\n"
	"    parameters: {severity: critical}\n"
	"    action: STOP\n"
	"  - id: known-exploited\n"
	"    gate: vulnerabilities\n"
	"    trigger: kev\n"
	"    action: STOP\n"
	"  - id: fixable-high\n"
	"    gate: vulnerabilities\n"
	"    trigger: severity\n"
	"    parameters: {severity: high, fix_available: true}\n"
	"    action: WARN\n"
	"  - id: likely-exploited\n"
	"    gate: vulnerabilities\n"
	"    trigger: epss\n"
	"    parameters: {percentile: 0.95}\n"
	"    action: WARN\n"
	"  - id: secrets\n"
	"    gate: secrets\n"
	"    trigger: severity\n"
	"    parameters: {severity: high}\n"
	"    action: STOP\n"
	"  - id: risky-configuration\n"
	"    gate: config\n"
	"    trigger: severity\n"
	"    parameters: {severity: high}\n"
	"    action: WARN\n"
	"  - id: base-end-of-life\n"
	"    gate: base\n"
	"    trigger: eol\n"
	"    action: WARN\n"
	"  - id: stale-database\n"
	"    gate: database\n"
	"    trigger: max_age\n"
	"    parameters: {days: 7}\n"
	"    action: WARN\n";

const char *cs_policyfile_default_yaml(void) { return default_yaml; }
const char *cs_policyfile_name(const cs_policy_rules *p) { return p->name; }
size_t cs_policyfile_rule_count(const cs_policy_rules *p) { return p->n; }

/* --- parsing ------------------------------------------------------------- */

typedef struct pctx {
	cs_arena *a;
	const char *what;
	cs_err *err;
	const rule *r; /* the rule being parsed, for messages */
} pctx;

static int perr(const pctx *c, const char *fmt, ...) CS_PRINTF(2, 3);

/* One line: "policy 'FILE': rule 'ID' (#N): problem". */
static int perr(const pctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->r)
		return cs_pol_error(c->err, CS_EFORMAT, "policy '%s': %s", c->what, msg);
	if (c->r->id[0] == '#')
		return cs_pol_error(c->err, CS_EFORMAT, "policy '%s': rule %s: %s", c->what, c->r->id, msg);
	return cs_pol_error(c->err, CS_EFORMAT, "policy '%s': rule '%.80s' (#%zu): %s", c->what, c->r->id,
			    c->r->index, msg);
}

/* True when name is one of the space-separated words of list. */
static bool in_list(const char *list, const char *name, size_t n)
{
	const char *p = list;

	while (*p) {
		size_t k = strcspn(p, " |");

		if (k == n && !strncmp(p, name, n))
			return true;
		p += k;
		p += strspn(p, " |");
	}
	return false;
}

/* A repeated key in an object (YAML allows one in the parser, we do not). */
static const char *dup_key(const cJSON *obj)
{
	const cJSON *x, *y;

	for (x = obj ? obj->child : NULL; x; x = x->next)
		for (y = x->next; y; y = y->next)
			if (x->string && y->string && !strcmp(x->string, y->string))
				return x->string;
	return NULL;
}

static bool parse_bool(const char *s, int *out)
{
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes")) {
		*out = 1;
		return true;
	}
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no")) {
		*out = 0;
		return true;
	}
	return false;
}

static bool parse_number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Appends the comma-separated words of s as globs. */
static int add_ids(const pctx *c, rule *r, const char *s)
{
	while (*s) {
		size_t n;

		s += strspn(s, " \t,");
		n = strcspn(s, ",");
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n) {
			if (r->nids >= MAX_IDS)
				return perr(c, "more than %d ids", MAX_IDS);
			if (r->nids == r->ids_cap) {
				const char **ids = cs_arena_grow(c->a, (void *)r->ids, r->nids, &r->ids_cap, sizeof(*ids));

				if (!ids)
					return cs_err_set(c->err, CS_ENOMEM, "out of memory");
				r->ids = ids;
			}
			if (!(r->ids[r->nids] = cs_arena_strndup(c->a, s, n)))
				return cs_err_set(c->err, CS_ENOMEM, "out of memory");
			r->nids++;
		}
		s += n;
		s += strspn(s, " \t,");
	}
	return 0;
}

/* Sets parameter name of r from v (a scalar string, or a list for ids). */
static int set_param(const pctx *c, rule *r, const char *name, const cJSON *v)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
	double d;

	if (!in_list(r->t->params, name, strlen(name)))
		return perr(c, "unknown parameter '%.60s' for trigger '%s' of gate '%s' (%s)", name, r->t->name,
			    r->t->gate, r->t->params[0] ? r->t->params : "it takes none");
	if (!strcmp(name, "ids")) {
		const cJSON *x;
		int code;

		if (s)
			return add_ids(c, r, s);
		if (!cJSON_IsArray(v))
			return perr(c, "parameter 'ids' must be a list or a comma-separated string");
		cJSON_ArrayForEach(x, v) {
			if (!cJSON_IsString(x))
				return perr(c, "parameter 'ids' must list strings");
			if ((code = add_ids(c, r, x->valuestring)) < 0)
				return code;
		}
		if (!r->nids)
			return perr(c, "parameter 'ids' is empty");
		return 0;
	}
	if (!s || !*s)
		return perr(c, "parameter '%s' needs a value", name);
	if (!strcmp(name, "severity")) {
		if ((r->severity = cs_pol_severity(s)) < 0)
			return perr(c, "parameter 'severity': unknown severity '%.40s' (critical, high, medium, low, "
				       "negligible, unknown)", s);
	} else if (!strcmp(name, "score")) {
		bool cvss = !strcmp(r->t->name, "cvss");

		if (!parse_number(s, 0, cvss ? 10 : 1, &r->score))
			return perr(c, "parameter 'score': '%.40s' is not a number from 0 to %s", s, cvss ? "10" : "1");
	} else if (!strcmp(name, "percentile")) {
		if (!parse_number(s, 0, 1, &r->percentile))
			return perr(c, "parameter 'percentile': '%.40s' is not a number from 0 to 1", s);
	} else if (!strcmp(name, "days")) {
		if (!parse_number(s, 0, 36500, &d) || d != floor(d))
			return perr(c, "parameter 'days': '%.40s' is not a whole number of days (0 to 36500)", s);
		r->days = (long long)d;
	} else if (!strcmp(name, "fix_available")) {
		if (!parse_bool(s, &r->fix))
			return perr(c, "parameter 'fix_available': '%.40s' is not true or false", s);
	} else {
		const char *copy = cs_arena_strdup(c->a, s);

		if (!copy)
			return cs_err_set(c->err, CS_ENOMEM, "out of memory");
		if (!strcmp(name, "package_type"))
			r->package_type = copy;
		else if (!strcmp(name, "name"))
			r->name = copy;
		else if (!strcmp(name, "purl"))
			r->purl = copy;
		else if (!strcmp(name, "version"))
			r->version = copy;
		else if (!strcmp(name, "rule"))
			r->rule_glob = copy;
		else
			r->path_glob = copy;
	}
	return 0;
}

static bool param_set(const rule *r, const char *name, size_t n)
{
#define IS(w) (n == sizeof(w) - 1 && !strncmp(name, w, n))
	if (IS("severity"))
		return r->severity >= 0;
	if (IS("score"))
		return r->score >= 0;
	if (IS("percentile"))
		return r->percentile >= 0;
	if (IS("days"))
		return r->days >= 0;
	if (IS("ids"))
		return r->nids > 0;
	if (IS("name"))
		return r->name != NULL;
	if (IS("purl"))
		return r->purl != NULL;
#undef IS
	return true;
}

/* Every required parameter (or one of each "a|b" group) is there. */
static int check_required(const pctx *c, const rule *r)
{
	const char *p = r->t->required;

	while (*p) {
		size_t k = strcspn(p, " ");
		const char *q = p, *end = p + k;
		bool ok = false;

		while (q < end) {
			size_t m = strcspn(q, "|");

			if (q + m > end)
				m = (size_t)(end - q);
			ok = ok || param_set(r, q, m);
			q += m;
			if (q < end)
				q++;
		}
		if (!ok)
			return perr(c, "trigger '%s' of gate '%s' needs parameter %s%.*s", r->t->name, r->t->gate,
				    memchr(p, '|', k) ? "one of " : "", (int)k, p);
		p += k;
		p += strspn(p, " ");
	}
	return 0;
}

/* "parameters": {name: value}, or Anchore's "params": [{name, value}]. */
static int parse_params(const pctx *c, rule *r, const cJSON *params, bool anchore)
{
	const cJSON *x;
	const char *dup;
	int code;

	if (cJSON_IsNull(params))
		return 0;
	if (!anchore) {
		if (!cJSON_IsObject(params))
			return perr(c, "'parameters' must be a mapping of names to values");
		if ((dup = dup_key(params)))
			return perr(c, "parameter '%.60s' given twice", dup);
		cJSON_ArrayForEach(x, params) {
			if ((code = set_param(c, r, x->string, x)) < 0)
				return code;
		}
		return 0;
	}
	if (!cJSON_IsArray(params))
		return perr(c, "'params' must be a list of {name, value}");
	cJSON_ArrayForEach(x, params) {
		const cJSON *y, *val = cJSON_GetObjectItemCaseSensitive(x, "value");
		const char *name = cs_pol_jstr(x, "name");

		if (!cJSON_IsObject(x) || !name)
			return perr(c, "each of 'params' needs a name and a value");
		cJSON_ArrayForEach(y, x) {
			if (strcmp(y->string, "name") && strcmp(y->string, "value"))
				return perr(c, "unknown key '%.60s' in 'params' (name, value)", y->string);
		}
		if ((code = set_param(c, r, name, val)) < 0)
			return code;
	}
	return 0;
}

static const trigger *find_trigger(const char *gate, const char *name, bool *gate_known)
{
	size_t i;

	*gate_known = false;
	for (i = 0; i < CS_ARRAY_LEN(triggers); i++) {
		if (strcasecmp(triggers[i].gate, gate))
			continue;
		*gate_known = true;
		if (name && !strcasecmp(triggers[i].name, name))
			return &triggers[i];
	}
	return NULL;
}

/* "severity, cvss, ..." of a gate, for messages. */
static void trigger_names(const char *gate, char *buf, size_t n)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < CS_ARRAY_LEN(triggers) && used < n; i++)
		if (!strcasecmp(triggers[i].gate, gate))
			used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", triggers[i].name);
}

static int parse_rule(pctx *c, rule *r, const cJSON *o, size_t index)
{
	const cJSON *x, *params = NULL;
	const char *gate = NULL, *trig = NULL, *action = NULL, *dup;
	bool anchore = false, gate_known;
	char names[256];
	size_t i;

	memset(r, 0, sizeof(*r));
	r->index = index;
	r->severity = -1;
	r->score = r->percentile = -1;
	r->days = -1;
	r->fix = -1;
	r->id = cs_arena_printf(c->a, "#%zu", index);
	if (!r->id)
		return cs_err_set(c->err, CS_ENOMEM, "out of memory");
	c->r = r;
	if (!cJSON_IsObject(o))
		return perr(c, "a rule must be a mapping (id, gate, trigger, parameters, action)");
	if ((x = cJSON_GetObjectItemCaseSensitive(o, "id")) && !cJSON_IsNull(x)) {
		if (!cJSON_IsString(x) || !x->valuestring[0])
			return perr(c, "'id' must be a non-empty string");
		if (!(r->id = cs_arena_strdup(c->a, x->valuestring)))
			return cs_err_set(c->err, CS_ENOMEM, "out of memory");
	}
	if ((dup = dup_key(o)))
		return perr(c, "key '%.60s' given twice", dup);
	cJSON_ArrayForEach(x, o) {
		if (!strcmp(x->string, "id") || !strcmp(x->string, "description"))
			continue;
		if (!strcmp(x->string, "gate"))
			gate = cJSON_IsString(x) ? x->valuestring : "";
		else if (!strcmp(x->string, "trigger"))
			trig = cJSON_IsString(x) ? x->valuestring : "";
		else if (!strcmp(x->string, "action"))
			action = cJSON_IsString(x) ? x->valuestring : "";
		else if (!strcmp(x->string, "parameters") || !strcmp(x->string, "params")) {
			if (params)
				return perr(c, "give either 'parameters' or 'params', not both");
			params = x;
			anchore = !strcmp(x->string, "params");
		} else {
			return perr(c, "unknown key '%.60s' (id, description, gate, trigger, parameters, action)",
				    x->string);
		}
	}
	if (!gate || !*gate)
		return perr(c, "no gate (vulnerabilities, packages, secrets, config, base, database)");
	if (!trig || !*trig)
		return perr(c, "no trigger");
	r->t = find_trigger(gate, trig, &gate_known);
	if (!gate_known)
		return perr(c, "unknown gate '%.60s' (vulnerabilities, packages, secrets, config, base, database)", gate);
	if (!r->t) {
		trigger_names(gate, names, sizeof(names));
		return perr(c, "unknown trigger '%.60s' for gate '%s' (%s)", trig, gate, names);
	}
	if (!action || !*action)
		return perr(c, "no action (STOP, WARN or GO)");
	for (i = 0; i < CS_ARRAY_LEN(action_names) && strcasecmp(action, action_names[i]); i++)
		;
	if (i == CS_ARRAY_LEN(action_names))
		return perr(c, "unknown action '%.40s' (STOP, WARN or GO)", action);
	r->action = (int)i;
	if (params) {
		int code = parse_params(c, r, params, anchore);

		if (code < 0)
			return code;
	}
	return check_required(c, r);
}

int cs_policyfile_parse(cs_policy_rules **out, cs_arena *a, const char *what, const char *data, size_t len,
			cs_err *err)
{
	cs_yaml_opts yo = {what, CS_POLICY_YAML_DEPTH, false};
	pctx c = {a, what, err, NULL};
	cs_policy_rules *p;
	cJSON *root = NULL;
	const cJSON *x, *rules = NULL;
	const char *dup;
	size_t i = 0;
	int code;

	*out = NULL;
	if ((code = cs_yaml_parse(&root, data, len, &yo, err)) < 0) {
		cs_err_prefix(err, "policy: ");
		return code;
	}
	if (!(p = cs_arena_calloc(a, 1, sizeof(*p)))) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	if (!cJSON_IsObject(root)) {
		code = perr(&c, "not a mapping with a name and rules");
		goto done;
	}
	if ((dup = dup_key(root))) {
		code = perr(&c, "key '%.60s' given twice", dup);
		goto done;
	}
	cJSON_ArrayForEach(x, root) {
		if (!strcmp(x->string, "name")) {
			if (!cJSON_IsString(x) || !x->valuestring[0]) {
				code = perr(&c, "'name' must be a non-empty string");
				goto done;
			}
			p->name = cs_arena_strdup(a, x->valuestring);
		} else if (!strcmp(x->string, "version")) {
			if (!cJSON_IsString(x) || strcmp(x->valuestring, "1")) {
				code = perr(&c, "unsupported version (this customs reads version 1)");
				goto done;
			}
		} else if (!strcmp(x->string, "rules")) {
			rules = x;
		} else if (strcmp(x->string, "description")) {
			code = perr(&c, "unknown key '%.60s' (name, description, version, rules)", x->string);
			goto done;
		}
	}
	if (!cJSON_IsArray(rules)) {
		code = perr(&c, "no 'rules' list");
		goto done;
	}
	p->n = (size_t)cJSON_GetArraySize(rules);
	if (p->n > MAX_RULES) {
		code = cs_err_set(err, CS_ELIMIT, "policy '%s': more than %d rules", what, MAX_RULES);
		goto done;
	}
	if (!p->name)
		p->name = cs_arena_strdup(a, what);
	if (!p->name || (p->n && !(p->rules = cs_arena_calloc(a, p->n, sizeof(*p->rules))))) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(x, rules) {
		size_t j;

		if ((code = parse_rule(&c, &p->rules[i], x, i + 1)) < 0)
			goto done;
		for (j = 0; j < i; j++)
			if (p->rules[j].id[0] != '#' && !strcmp(p->rules[j].id, p->rules[i].id)) {
				code = perr(&c, "the id is also rule #%zu's", j + 1);
				goto done;
			}
		i++;
	}
	*out = p;
	code = 0;
done:
	cJSON_Delete(root);
	return code;
}

int cs_policyfile_load(cs_policy_rules **out, cs_arena *a, const char *path, cs_err *err)
{
	char *data;
	size_t len;
	int code;

	if (!strcmp(path, "default"))
		return cs_policyfile_parse(out, a, "default", default_yaml, sizeof(default_yaml) - 1, err);
	if ((code = cs_pol_read(&data, &len, path, CS_POLICY_MAX_FILE, "policy", err)) < 0)
		return code;
	code = cs_policyfile_parse(out, a, path, data, len, err);
	free(data);
	return code;
}

/* --- evaluation ---------------------------------------------------------- */

static int fire(const rule *r, ectx *c, const char *message)
{
	if (!message)
		return CS_ENOMEM;
	return cs_pol_hit(c->hits, r->id, r->t->gate, r->t->name, action_names[r->action], message);
}

static int fire_list(const rule *r, ectx *c, const cs_pol_list *l, const char *head)
{
	if (!l->n)
		return 0;
	if (!head)
		return CS_ENOMEM;
	return fire(r, c, cs_pol_list_message(l, c->a, head));
}

static double best_cvss(const cs_vuln *v)
{
	double best = -1;
	size_t i;

	for (i = 0; i < v->ncvss; i++)
		if (v->cvss[i].score > best)
			best = v->cvss[i].score;
	return best;
}

static bool id_listed(const rule *r, const cs_vuln *v)
{
	size_t i, j;

	for (i = 0; i < r->nids; i++) {
		if (cs_pol_glob(r->ids[i], v->id, true))
			return true;
		for (j = 0; j < v->naliases; j++)
			if (cs_pol_glob(r->ids[i], v->aliases[j], true))
				return true;
	}
	return false;
}

/* Whether v fires r (filters, then the trigger's own test). */
static bool vuln_fires(const rule *r, const ectx *c, const cs_vuln *v)
{
	const char *t = r->t->name;
	long long pub;

	if (v->suppressed.kind)
		return false;
	if (r->severity >= 0 && cs_severity_rank(v->severity) < r->severity)
		return false;
	if (r->fix >= 0 && (v->fixed_version != NULL) != (r->fix == 1))
		return false;
	if (r->package_type && !cs_pol_glob(r->package_type, v->package->type, true))
		return false;
	if (!strcmp(t, "cvss"))
		return best_cvss(v) >= r->score;
	if (!strcmp(t, "fix_available"))
		return v->fixed_version != NULL;
	if (!strcmp(t, "days_since_fix"))
		return v->fixed_version && cs_pol_time(v->published, &pub) && c->env->now - pub >= r->days * 86400;
	if (!strcmp(t, "kev"))
		return v->kev == 1;
	if (!strcmp(t, "epss"))
		return v->epss_score >= 0 && (r->score < 0 || v->epss_score >= r->score) &&
		       (r->percentile < 0 || v->epss_percentile >= r->percentile);
	if (!strcmp(t, "denylist"))
		return id_listed(r, v);
	return true; /* severity: the filter said it all */
}

/* "N vulnerabilities of severity high or above (with a fix, type apk)". */
static const char *vuln_head(const rule *r, ectx *c, size_t n)
{
	const char *t = r->t->name, *count = cs_pol_count(c->a, n, "vulnerability", "vulnerabilities");
	char what[128], filters[160] = "";
	size_t used = 0;

	if (!count)
		return NULL;
	if (!strcmp(t, "severity"))
		snprintf(what, sizeof(what), "of severity %s or above", cs_pol_severity_name(r->severity));
	else if (!strcmp(t, "cvss"))
		snprintf(what, sizeof(what), "with a CVSS score of %.1f or more", r->score);
	else if (!strcmp(t, "fix_available"))
		snprintf(what, sizeof(what), "with a fix available");
	else if (!strcmp(t, "days_since_fix"))
		snprintf(what, sizeof(what), "with a fix published %lld days ago or more", r->days);
	else if (!strcmp(t, "kev"))
		snprintf(what, sizeof(what), "listed in CISA KEV");
	else if (!strcmp(t, "epss") && r->score >= 0 && r->percentile >= 0)
		snprintf(what, sizeof(what), "with an EPSS score of %.2f or more and percentile %.2f or more", r->score,
			 r->percentile);
	else if (!strcmp(t, "epss") && r->score >= 0)
		snprintf(what, sizeof(what), "with an EPSS score of %.2f or more", r->score);
	else if (!strcmp(t, "epss"))
		snprintf(what, sizeof(what), "with an EPSS percentile of %.2f or more", r->percentile);
	else
		snprintf(what, sizeof(what), "on the deny list");
	if (r->severity >= 0 && strcmp(t, "severity"))
		used += (size_t)snprintf(filters + used, sizeof(filters) - used, "%sseverity %s or above",
					 used ? ", " : "", cs_pol_severity_name(r->severity));
	if (r->fix >= 0 && used < sizeof(filters))
		used += (size_t)snprintf(filters + used, sizeof(filters) - used, "%s%s", used ? ", " : "",
					 r->fix ? "with a fix" : "without a fix");
	if (r->package_type && used < sizeof(filters))
		used += (size_t)snprintf(filters + used, sizeof(filters) - used, "%stype %.40s", used ? ", " : "",
					 r->package_type);
	return used ? cs_arena_printf(c->a, "%s %s (%s)", count, what, filters)
		    : cs_arena_printf(c->a, "%s %s", count, what);
}

static int eval_vuln(const rule *r, ectx *c)
{
	cs_pol_list l = {0};
	size_t i;

	for (i = 0; i < cs_scan_vuln_count(c->s); i++) {
		const cs_vuln *v = cs_scan_vuln(c->s, i);

		if (vuln_fires(r, c, v))
			cs_pol_list_add(&l, "%s in %s %s", v->id, v->package->name, v->installed_version);
	}
	return l.n ? fire_list(r, c, &l, vuln_head(r, c, l.n)) : 0;
}

static bool package_matches(const rule *r, const cs_package *p)
{
	if (r->name && !cs_pol_glob(r->name, p->name, true))
		return false;
	if (r->purl && !cs_pol_glob(r->purl, p->purl, true))
		return false;
	if (r->version && (!p->version || strcmp(r->version, p->version)))
		return false;
	return !r->package_type || cs_pol_glob(r->package_type, p->type, true);
}

static int eval_pkg_denylist(const rule *r, ectx *c)
{
	cs_pol_list l = {0};
	size_t i;

	for (i = 0; i < cs_scan_package_count(c->s); i++) {
		const cs_package *p = cs_scan_package(c->s, i);

		if (package_matches(r, p))
			cs_pol_list_add(&l, "%s %s", p->name, p->version ? p->version : "");
	}
	if (!l.n)
		return 0;
	return fire_list(r, c, &l, cs_pol_count(c->a, l.n, "denied package", "denied packages"));
}

static int eval_pkg_required(const rule *r, ectx *c)
{
	size_t i;

	for (i = 0; i < cs_scan_package_count(c->s); i++)
		if (package_matches(r, cs_scan_package(c->s, i)))
			return 0;
	return fire(r, c,
		    cs_arena_printf(c->a, "required package '%s'%s%s not found", r->name, r->version ? " version " : "",
				    r->version ? r->version : ""));
}

static int eval_secrets(const rule *r, ectx *c)
{
	cs_pol_list l = {0};
	size_t i;

	for (i = 0; i < cs_scan_secret_count(c->s); i++) {
		const cs_secret *f = cs_scan_secret(c->s, i);

		if (f->suppressed.kind || (r->severity >= 0 && cs_severity_rank(f->severity) < r->severity) ||
		    (r->rule_glob && !cs_pol_glob(r->rule_glob, f->rule_id, true)) ||
		    (r->path_glob && !cs_pol_glob(r->path_glob, f->path, false)))
			continue;
		cs_pol_list_add(&l, "%s in %s:%llu", f->rule_id, f->path, (unsigned long long)f->line);
	}
	if (!l.n)
		return 0;
	if (r->severity >= 0)
		return fire_list(r, c, &l,
				 cs_arena_printf(c->a, "%s of severity %s or above",
						 cs_pol_count(c->a, l.n, "secret", "secrets"),
						 cs_pol_severity_name(r->severity)));
	return fire_list(r, c, &l, cs_pol_count(c->a, l.n, "secret", "secrets"));
}

static bool check_listed(const rule *r, const cs_misconfig *m)
{
	size_t i;

	for (i = 0; i < r->nids; i++)
		if (cs_pol_glob(r->ids[i], m->id, true))
			return true;
	return r->nids == 0;
}

static int eval_config(const rule *r, ectx *c)
{
	cs_pol_list l = {0};
	size_t i;

	for (i = 0; i < cs_scan_misconfig_count(c->s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(c->s, i);
		const char *where = m->dockerfile ? m->dockerfile : m->path;

		if (m->suppressed.kind || (r->severity >= 0 && cs_severity_rank(m->severity) < r->severity) ||
		    !check_listed(r, m) || (r->path_glob && !cs_pol_glob(r->path_glob, where, false)))
			continue;
		if (m->dockerfile)
			cs_pol_list_add(&l, "%s at %s:%llu", m->id, m->dockerfile, (unsigned long long)m->line);
		else if (m->path)
			cs_pol_list_add(&l, "%s on %s", m->id, m->path);
		else
			cs_pol_list_add(&l, "%s", m->id);
	}
	if (!l.n)
		return 0;
	if (r->severity >= 0)
		return fire_list(r, c, &l,
				 cs_arena_printf(c->a, "%s of severity %s or above",
						 cs_pol_count(c->a, l.n, "misconfiguration", "misconfigurations"),
						 cs_pol_severity_name(r->severity)));
	return fire_list(r, c, &l, cs_pol_count(c->a, l.n, "misconfiguration", "misconfigurations"));
}

static int eval_base(const rule *r, ectx *c)
{
	const cs_base *b = cs_scan_base(c->s);
	const char *name = b && b->name ? b->name : b && b->os ? b->os : "the base image";

	if (!strcmp(r->t->name, "eol")) {
		if (!b || b->eol != 1)
			return 0;
		return fire(r, c,
			    cs_arena_printf(c->a, "%s is past its end of life%s%s", b->os ? b->os : name,
					    b->eol_date ? " since " : "", b->eol_date ? b->eol_date : ""));
	}
	if (b && b->approved)
		return 0;
	if (!b)
		return fire(r, c, cs_arena_printf(c->a, "no base image assessment (the base scanner did not run): "
							"its approval cannot be shown"));
	return fire(r, c, cs_arena_printf(c->a, "%s is not in the approved base image catalog", name));
}

static int eval_database(const rule *r, ectx *c)
{
	long long age;

	if (!strcmp(r->t->name, "unavailable"))
		return cs_scan_matched(c->s) ? 0
					     : fire(r, c, cs_arena_printf(c->a, "no vulnerability data: matching did "
										 "not run"));
	if (!cs_scan_matched(c->s))
		return 0;
	if (!c->env->db_built)
		return fire(r, c, cs_arena_printf(c->a, "the vulnerability database's build time is unknown"));
	age = c->env->now - c->env->db_built;
	if (age <= r->days * 86400)
		return 0;
	return fire(r, c,
		    cs_arena_printf(c->a, "the vulnerability database is %lld days old (at most %lld allowed)",
				    age / 86400, r->days));
}

int cs_policyfile_eval(const cs_policy_rules *p, const cs_scan *s, const cs_policy_env *env, cs_pol_hits *hits)
{
	ectx c = {s, env, hits, hits->a};
	size_t i;
	int code;

	for (i = 0; i < p->n; i++)
		if ((code = p->rules[i].t->eval(&p->rules[i], &c)) < 0)
			return code;
	return 0;
}
