/*
 * vex.c - OpenVEX and CycloneDX VEX documents: parse them into one list
 * of statements in time order, then let the latest statement about each
 * finding decide (see vex.h).
 */
#include "core/compat.h"
#include "policy/vex.h"

#include "core/json.h"
#include "core/map.h"
#include "policy/putil.h"

#include <ctype.h>
#include <strings.h>

#define MAX_STATEMENTS 100000
#define MAX_PRODUCTS 10000  /* per statement, and subcomponents per product */
#define MAX_DEPTH 32        /* nested CycloneDX components */

enum { S_NOT_AFFECTED, S_AFFECTED, S_FIXED, S_UNDER_INVESTIGATION, S_FALSE_POSITIVE };

/* A package URL split into decoded parts (NULL when absent). */
typedef struct ppurl {
	const char *type, *ns, *name, *version, *subpath;
	const char **qk, **qv; /* qualifier keys (lower case) and values */
	size_t nq;
} ppurl;

/* One component as a statement names it: its @id and/or purl. */
typedef struct vcomp {
	const char *id;   /* @id (an IRI, often a purl), or NULL */
	ppurl *purl;      /* the purl among @id and identifiers.purl, parsed; or NULL */
} vcomp;

typedef struct vproduct {
	vcomp c;
	vcomp *subs;            /* subcomponents: then only these packages */
	size_t nsubs;
	const char **versions;  /* CycloneDX affects[].versions[].version: only these */
	size_t nversions;
	bool only_ranges;       /* affects versions given as ranges only: matches nothing */
	int present;            /* names the image or a package of the scan: -1 not yet known */
} vproduct;

typedef struct vstmt {
	const char *vuln;
	const char **aliases;
	size_t naliases;
	int status;             /* S_* */
	const char *reason;     /* "not_affected: <justification>" ... */
	long long ts;           /* Unix seconds, 0 unknown */
	size_t seq;             /* order of reading */
	const char *source;     /* the file */
	vproduct *products;
	size_t nproducts;
} vstmt;

struct cs_vex {
	cs_arena *a;
	vstmt **stmts;          /* arena array; sorted by (ts, seq) before apply */
	size_t n, cap;
};

size_t cs_vex_count(const cs_vex *v) { return v->n; }

/* --- package URLs -------------------------------------------------------- */

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
}

/* Percent-decodes [s, s+n) into the arena; NULL on a bad escape or a NUL byte. */
static char *decode(cs_arena *a, const char *s, size_t n)
{
	char *out = cs_arena_alloc(a, n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= n || hexval((unsigned char)s[i + 1]) < 0 || hexval((unsigned char)s[i + 2]) < 0)
			return NULL;
		*o = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
		if (!*o)
			return NULL;
		o++;
		i += 2;
	}
	*o = '\0';
	return out;
}

static char *lower(cs_arena *a, const char *s, size_t n)
{
	char *out = cs_arena_strndup(a, s, n);
	size_t i;

	for (i = 0; out && out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
	return out;
}

/* Parses s ("pkg:type/ns/name@version?k=v#subpath"); NULL when it is not a purl. */
static ppurl *purl_parse(cs_arena *a, const char *s)
{
	const char *end, *hash, *q, *path_end, *slash, *rest, *last, *at;
	ppurl *p;

	if (!s || strncasecmp(s, "pkg:", 4))
		return NULL;
	s += 4;
	while (*s == '/')
		s++;
	end = s + strlen(s);
	hash = memchr(s, '#', (size_t)(end - s));
	if (hash)
		end = hash;
	q = memchr(s, '?', (size_t)(end - s));
	path_end = q ? q : end;
	slash = memchr(s, '/', (size_t)(path_end - s));
	if (!slash || slash == s || !(p = cs_arena_calloc(a, 1, sizeof(*p))))
		return NULL;
	if (!(p->type = lower(a, s, (size_t)(slash - s))))
		return NULL;
	rest = slash + 1;
	while (path_end > rest && path_end[-1] == '/')
		path_end--;
	last = NULL;
	for (at = rest; at < path_end; at++)
		if (*at == '/')
			last = at;
	at = memchr(last ? last + 1 : rest, '@', (size_t)(path_end - (last ? last + 1 : rest)));
	if (last && !(p->ns = decode(a, rest, (size_t)(last - rest))))
		return NULL;
	if (!(p->name = decode(a, last ? last + 1 : rest, (size_t)((at ? at : path_end) - (last ? last + 1 : rest)))) ||
	    !p->name[0])
		return NULL;
	if (at && !(p->version = decode(a, at + 1, (size_t)(path_end - at - 1))))
		return NULL;
	if (p->version && !p->version[0])
		p->version = NULL;
	if (hash && !(p->subpath = decode(a, hash + 1, strlen(hash + 1))))
		return NULL;
	if (q) {
		const char *k = q + 1;
		size_t cap = 0;

		while (k < end) {
			const char *amp = memchr(k, '&', (size_t)(end - k)), *stop = amp ? amp : end;
			const char *eq = memchr(k, '=', (size_t)(stop - k));

			if (eq && eq > k && eq + 1 < stop) {
				if (p->nq == cap) {
					size_t c2 = cap;
					const char **nk = cs_arena_grow(a, (void *)p->qk, p->nq, &c2, sizeof(*nk));
					const char **nv = cs_arena_grow(a, (void *)p->qv, p->nq, &cap, sizeof(*nv));

					if (!nk || !nv || p->nq >= 64)
						return NULL;
					p->qk = nk;
					p->qv = nv;
				}
				if (!(p->qk[p->nq] = lower(a, k, (size_t)(eq - k))) ||
				    !(p->qv[p->nq] = decode(a, eq + 1, (size_t)(stop - eq - 1))))
					return NULL;
				p->nq++;
			}
			k = stop + 1;
		}
	}
	return p;
}

/* Types whose namespace and name are case-insensitive (the purl spec's type definitions). */
static bool folds(const char *type)
{
	static const char *const t[] = {"deb", "apk", "alpm", "github", "bitbucket", "pypi", "composer", "hex"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(t); i++)
		if (!strcmp(type, t[i]))
			return true;
	return false;
}

static bool part_eq(const char *a, const char *b, bool fold)
{
	if (!a || !*a || !b || !*b)
		return (!a || !*a) && (!b || !*b);
	return fold ? !strcasecmp(a, b) : !strcmp(a, b);
}

static const char *qualifier(const ppurl *p, const char *key)
{
	size_t i;

	for (i = 0; i < p->nq; i++)
		if (!strcmp(p->qk[i], key))
			return p->qv[i];
	return NULL;
}

static bool ppurl_matches(const ppurl *g, const ppurl *s)
{
	bool fold = folds(g->type);
	size_t i;

	if (strcmp(g->type, s->type) || !part_eq(g->ns, s->ns, fold) || !part_eq(g->name, s->name, fold))
		return false;
	if (g->version && (!s->version || strcmp(g->version, s->version)))
		return false;
	if (g->subpath && (!s->subpath || strcmp(g->subpath, s->subpath)))
		return false;
	for (i = 0; i < g->nq; i++) {
		const char *v = qualifier(s, g->qk[i]);

		if (!v || strcmp(v, g->qv[i]))
			return false;
	}
	return true;
}

bool cs_vex_purl_matches(const char *general, const char *specific)
{
	cs_arena a;
	ppurl *g, *s;
	bool ok;

	cs_arena_init(&a);
	g = purl_parse(&a, general);
	s = purl_parse(&a, specific);
	ok = g && s && ppurl_matches(g, s);
	cs_arena_release(&a);
	return ok;
}

/* --- parsing ------------------------------------------------------------- */

typedef struct vctx {
	cs_vex *v;
	cs_arena *a;
	const char *what;
	cs_err *err;
	size_t index;         /* current statement, 1-based */
	const char *vuln;     /* its vulnerability, for messages */
	const char *kind;     /* "statement", "vulnerability" */
	cs_map refs;          /* CycloneDX bom-ref -> purl */
} vctx;

static int verr(const vctx *c, const char *fmt, ...) CS_PRINTF(2, 3);

static int verr(const vctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!c->index)
		return cs_pol_error(c->err, CS_EFORMAT, "VEX '%s': %s", c->what, msg);
	if (c->vuln)
		return cs_pol_error(c->err, CS_EFORMAT, "VEX '%s': %s #%zu ('%.80s'): %s", c->what, c->kind, c->index,
				    c->vuln, msg);
	return cs_pol_error(c->err, CS_EFORMAT, "VEX '%s': %s #%zu: %s", c->what, c->kind, c->index, msg);
}

static int nomem(const vctx *c) { return cs_err_set(c->err, CS_ENOMEM, "out of memory"); }

/* A timestamp member: 0 when absent, an error when malformed. */
static int get_time(const vctx *c, const cJSON *o, const char *key, long long *t, bool *have)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!x || cJSON_IsNull(x))
		return 0;
	if (!cJSON_IsString(x) || !cs_pol_time(x->valuestring, t))
		return verr(c, "'%s' is not an RFC 3339 date-time", key);
	*have = true;
	return 0;
}

/* Builds a component from an @id and a purl (either may be NULL). */
static int make_comp(const vctx *c, vcomp *out, const char *id, const char *purl)
{
	memset(out, 0, sizeof(*out));
	if (id && !(out->id = cs_arena_strdup(c->a, id)))
		return nomem(c);
	/* A purl that does not parse names nothing customs can match: no error, no match. */
	out->purl = purl_parse(c->a, purl ? purl : id);
	if (!out->purl && purl && id)
		out->purl = purl_parse(c->a, id);
	return 0;
}

/* An OpenVEX component: a string (0.0.x), or {"@id", "identifiers": {"purl"}}. */
static int openvex_comp(const vctx *c, const cJSON *x, vcomp *out)
{
	const cJSON *ids;

	if (cJSON_IsString(x))
		return make_comp(c, out, x->valuestring, NULL);
	if (!cJSON_IsObject(x))
		return verr(c, "a product or subcomponent must be an object or a string");
	ids = cJSON_GetObjectItemCaseSensitive(x, "identifiers");
	if (!cs_pol_jstr(x, "@id") && !cs_pol_jstr(ids, "purl") && !cs_pol_jstr(ids, "cpe23") &&
	    !cs_pol_jstr(ids, "cpe22"))
		return verr(c, "a product or subcomponent needs an '@id' or identifiers");
	return make_comp(c, out, cs_pol_jstr(x, "@id"), cs_pol_jstr(ids, "purl"));
}

static int comp_list(const vctx *c, const cJSON *arr, vcomp **out, size_t *n)
{
	const cJSON *x;
	size_t i = 0;
	int code;

	*out = NULL;
	*n = 0;
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return verr(c, "'subcomponents' must be a list");
	*n = (size_t)cJSON_GetArraySize(arr);
	if (*n > MAX_PRODUCTS)
		return verr(c, "more than %d subcomponents", MAX_PRODUCTS);
	if (*n && !(*out = cs_arena_calloc(c->a, *n, sizeof(**out))))
		return nomem(c);
	cJSON_ArrayForEach(x, arr) {
		if ((code = openvex_comp(c, x, &(*out)[i++])) < 0)
			return code;
	}
	return 0;
}

static int add_stmt(vctx *c, vstmt *st)
{
	cs_vex *v = c->v;

	if (v->n >= MAX_STATEMENTS)
		return cs_err_set(c->err, CS_ELIMIT, "VEX '%s': more than %d statements in all", c->what, MAX_STATEMENTS);
	if (v->n == v->cap) {
		vstmt **ns = cs_arena_grow(c->a, v->stmts, v->n, &v->cap, sizeof(*ns));

		if (!ns)
			return nomem(c);
		v->stmts = ns;
	}
	st->seq = v->n;
	if (!(st->source = cs_arena_strdup(c->a, c->what)))
		return nomem(c);
	v->stmts[v->n++] = st;
	return 0;
}

static int string_list(const vctx *c, const cJSON *arr, const char ***out, size_t *n, const char *key)
{
	const cJSON *x;
	size_t i = 0;

	*out = NULL;
	*n = 0;
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return verr(c, "'%s' must be a list of strings", key);
	*n = (size_t)cJSON_GetArraySize(arr);
	if (*n > MAX_PRODUCTS)
		return verr(c, "'%s' has more than %d entries", key, MAX_PRODUCTS);
	if (*n && !(*out = cs_arena_calloc(c->a, *n, sizeof(**out))))
		return nomem(c);
	cJSON_ArrayForEach(x, arr) {
		if (!cJSON_IsString(x))
			return verr(c, "'%s' must be a list of strings", key);
		if (!((*out)[i++] = cs_arena_strdup(c->a, x->valuestring)))
			return nomem(c);
	}
	return 0;
}

static const char *const openvex_status[] = {"not_affected", "affected", "fixed", "under_investigation"};
static const char *const openvex_just[] = {"component_not_present", "vulnerable_code_not_present",
					   "vulnerable_code_not_in_execute_path",
					   "vulnerable_code_cannot_be_controlled_by_adversary",
					   "inline_mitigations_already_exist"};

static int word_index(const char *const *words, size_t n, const char *w)
{
	size_t i;

	for (i = 0; w && i < n; i++)
		if (!strcmp(words[i], w))
			return (int)i;
	return -1;
}

static int openvex_stmt(vctx *c, const cJSON *o, long long doc_ts)
{
	const cJSON *vul, *prods, *x, *subs;
	const char *status, *just, *impact;
	vcomp *shared = NULL;
	size_t nshared = 0, i = 0;
	vstmt *st;
	bool have = false;
	int code;

	if (!cJSON_IsObject(o))
		return verr(c, "a statement must be an object");
	if (!(st = cs_arena_calloc(c->a, 1, sizeof(*st))))
		return nomem(c);
	vul = cJSON_GetObjectItemCaseSensitive(o, "vulnerability");
	/* 0.0.x wrote the vulnerability as a string, 0.2.0 as {name, aliases}. */
	if (cJSON_IsString(vul)) {
		st->vuln = cs_arena_strdup(c->a, vul->valuestring);
	} else if (cs_pol_jstr(vul, "name")) {
		st->vuln = cs_arena_strdup(c->a, cs_pol_jstr(vul, "name"));
		if ((code = string_list(c, cJSON_GetObjectItemCaseSensitive(vul, "aliases"), &st->aliases,
					&st->naliases, "aliases")) < 0)
			return code;
	} else {
		return verr(c, "no vulnerability name");
	}
	if (!st->vuln)
		return nomem(c);
	if (!st->vuln[0])
		return verr(c, "an empty vulnerability name");
	c->vuln = st->vuln;
	status = cs_pol_jstr(o, "status");
	if ((st->status = word_index(openvex_status, CS_ARRAY_LEN(openvex_status), status)) < 0)
		return verr(c, "status '%.40s' is not one of not_affected, affected, fixed, under_investigation",
			    status ? status : "");
	just = cs_pol_jstr(o, "justification");
	impact = cs_pol_jstr(o, "impact_statement");
	if (just && word_index(openvex_just, CS_ARRAY_LEN(openvex_just), just) < 0)
		return verr(c, "unknown justification '%.60s'", just);
	if (st->status == S_NOT_AFFECTED && !just && !(impact && *impact))
		return verr(c, "not_affected needs a justification or an impact_statement");
	if (st->status == S_NOT_AFFECTED)
		st->reason = cs_arena_printf(c->a, "not_affected: %.200s", just ? just : impact);
	else
		st->reason = openvex_status[st->status];
	if (!st->reason)
		return nomem(c);
	st->ts = doc_ts;
	if ((code = get_time(c, o, "timestamp", &st->ts, &have)) < 0)
		return code;
	/* 0.0.x listed subcomponents beside the products, for all of them. */
	if ((code = comp_list(c, cJSON_GetObjectItemCaseSensitive(o, "subcomponents"), &shared, &nshared)) < 0)
		return code;
	prods = cJSON_GetObjectItemCaseSensitive(o, "products");
	if (prods && !cJSON_IsNull(prods)) {
		if (!cJSON_IsArray(prods))
			return verr(c, "'products' must be a list");
		st->nproducts = (size_t)cJSON_GetArraySize(prods);
		if (st->nproducts > MAX_PRODUCTS)
			return verr(c, "more than %d products", MAX_PRODUCTS);
		if (st->nproducts && !(st->products = cs_arena_calloc(c->a, st->nproducts, sizeof(*st->products))))
			return nomem(c);
		cJSON_ArrayForEach(x, prods) {
			vproduct *p = &st->products[i++];

			p->present = -1;
			if ((code = openvex_comp(c, x, &p->c)) < 0)
				return code;
			subs = cJSON_IsObject(x) ? cJSON_GetObjectItemCaseSensitive(x, "subcomponents") : NULL;
			if ((code = comp_list(c, subs, &p->subs, &p->nsubs)) < 0)
				return code;
			if (!p->nsubs) {
				p->subs = shared;
				p->nsubs = nshared;
			}
		}
	}
	/* A statement without products (left to an encapsulating document) matches nothing here. */
	return add_stmt(c, st);
}

static int parse_openvex(vctx *c, const cJSON *root)
{
	const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(root, "statements"), *x;
	long long doc_ts = 0;
	bool have = false;
	int code;

	if ((code = get_time(c, root, "timestamp", &doc_ts, &have)) < 0)
		return code;
	if (!cJSON_IsArray(stmts))
		return verr(c, "no 'statements' list");
	c->kind = "statement";
	cJSON_ArrayForEach(x, stmts) {
		c->index++;
		c->vuln = NULL;
		if ((code = openvex_stmt(c, x, doc_ts)) < 0)
			return code;
	}
	return 0;
}

/* Records bom-ref -> purl of every component, nested ones included. */
static int cdx_refs(vctx *c, const cJSON *comps, int depth)
{
	const cJSON *x;

	if (!cJSON_IsArray(comps))
		return 0;
	if (depth > MAX_DEPTH)
		return verr(c, "components nested deeper than %d", MAX_DEPTH);
	cJSON_ArrayForEach(x, comps) {
		const char *ref = cs_pol_jstr(x, "bom-ref"), *purl = cs_pol_jstr(x, "purl");
		int code;

		if (ref && purl) {
			char *k = cs_arena_strdup(c->a, ref), *v = cs_arena_strdup(c->a, purl);

			if (!k || !v || cs_map_put(&c->refs, k, v) < 0)
				return nomem(c);
		}
		if ((code = cdx_refs(c, cJSON_GetObjectItemCaseSensitive(x, "components"), depth + 1)) < 0)
			return code;
	}
	return 0;
}

/* affects[].ref: a bom-ref of this document, a BOM-Link ("urn:cdx:...#ref"), or a purl. */
static int cdx_comp(vctx *c, const char *ref, vcomp *out)
{
	const char *frag = ref, *hash = strchr(ref, '#'), *purl;
	char *dec;

	if (!strncmp(ref, "urn:cdx:", 8) && hash && hash[1]) {
		frag = hash + 1;
		if ((dec = decode(c->a, frag, strlen(frag))))
			frag = dec;
	}
	purl = cs_map_get(&c->refs, frag);
	if (!purl)
		purl = cs_map_get(&c->refs, ref);
	return make_comp(c, out, ref, purl ? purl : frag);
}

static const char *const cdx_states[] = {"not_affected", "exploitable", "resolved", "in_triage", "false_positive",
					 "resolved_with_pedigree"};
static const int cdx_status[] = {S_NOT_AFFECTED, S_AFFECTED, S_FIXED, S_UNDER_INVESTIGATION, S_FALSE_POSITIVE,
				 S_FIXED};
static const char *const cdx_just[] = {"code_not_present", "code_not_reachable", "requires_configuration",
				       "requires_dependency", "requires_environment", "protected_by_compiler",
				       "protected_at_runtime", "protected_at_perimeter",
				       "protected_by_mitigating_control"};

static int cdx_vuln(vctx *c, const cJSON *o, long long doc_ts)
{
	const cJSON *an, *affects, *x, *refs;
	const char *id, *state, *just;
	vstmt *st;
	bool have = false;
	size_t i = 0, j;
	int k, code;

	if (!cJSON_IsObject(o))
		return verr(c, "a vulnerability must be an object");
	id = cs_pol_jstr(o, "id");
	c->vuln = id;
	an = cJSON_GetObjectItemCaseSensitive(o, "analysis");
	/* A vulnerability without an analysis state is a finding, not a statement. */
	if (!cJSON_IsObject(an) || !cJSON_GetObjectItemCaseSensitive(an, "state"))
		return 0;
	if (!id || !*id)
		return verr(c, "an analysis without a vulnerability id");
	state = cs_pol_jstr(an, "state");
	if ((k = word_index(cdx_states, CS_ARRAY_LEN(cdx_states), state)) < 0)
		return verr(c, "analysis state '%.40s' is not one of resolved, resolved_with_pedigree, exploitable, "
			       "in_triage, false_positive, not_affected",
			    state ? state : "");
	just = cs_pol_jstr(an, "justification");
	if (just && word_index(cdx_just, CS_ARRAY_LEN(cdx_just), just) < 0)
		return verr(c, "unknown analysis justification '%.60s'", just);
	if (!(st = cs_arena_calloc(c->a, 1, sizeof(*st))) || !(st->vuln = cs_arena_strdup(c->a, id)))
		return nomem(c);
	st->status = cdx_status[k];
	st->reason = just ? cs_arena_printf(c->a, "%s: %s", state, just) : cdx_states[k];
	if (!st->reason)
		return nomem(c);
	/* The analysis' own time, else the vulnerability's, else the document's. */
	if ((code = get_time(c, an, "lastUpdated", &st->ts, &have)) < 0 ||
	    (!have && (code = get_time(c, an, "firstIssued", &st->ts, &have)) < 0) ||
	    (!have && (code = get_time(c, o, "updated", &st->ts, &have)) < 0) ||
	    (!have && (code = get_time(c, o, "published", &st->ts, &have)) < 0))
		return code;
	if (!have)
		st->ts = doc_ts;
	/* references[].id: the same vulnerability in other databases (aliases). */
	refs = cJSON_GetObjectItemCaseSensitive(o, "references");
	if (cJSON_IsArray(refs) && cJSON_GetArraySize(refs) > 0) {
		size_t n = (size_t)cJSON_GetArraySize(refs);

		if (n > MAX_PRODUCTS)
			return verr(c, "more than %d references", MAX_PRODUCTS);
		if (!(st->aliases = cs_arena_calloc(c->a, n, sizeof(*st->aliases))))
			return nomem(c);
		cJSON_ArrayForEach(x, refs) {
			const char *rid = cs_pol_jstr(x, "id");

			if (rid && !(st->aliases[st->naliases++] = cs_arena_strdup(c->a, rid)))
				return nomem(c);
		}
	}
	affects = cJSON_GetObjectItemCaseSensitive(o, "affects");
	if (affects && !cJSON_IsArray(affects))
		return verr(c, "'affects' must be a list");
	st->nproducts = affects ? (size_t)cJSON_GetArraySize(affects) : 0;
	if (st->nproducts > MAX_PRODUCTS)
		return verr(c, "more than %d affects entries", MAX_PRODUCTS);
	if (st->nproducts && !(st->products = cs_arena_calloc(c->a, st->nproducts, sizeof(*st->products))))
		return nomem(c);
	cJSON_ArrayForEach(x, affects) {
		vproduct *p = &st->products[i++];
		const char *ref = cs_pol_jstr(x, "ref");
		const cJSON *vers = cJSON_GetObjectItemCaseSensitive(x, "versions"), *y;

		p->present = -1;
		if (!ref || !*ref)
			return verr(c, "an affects entry without a ref");
		if ((code = cdx_comp(c, ref, &p->c)) < 0)
			return code;
		if (!cJSON_IsArray(vers))
			continue;
		if ((size_t)cJSON_GetArraySize(vers) > MAX_PRODUCTS)
			return verr(c, "more than %d versions", MAX_PRODUCTS);
		if (!(p->versions = cs_arena_calloc(c->a, (size_t)cJSON_GetArraySize(vers) + 1, sizeof(*p->versions))))
			return nomem(c);
		j = 0;
		cJSON_ArrayForEach(y, vers) {
			const char *ver = cs_pol_jstr(y, "version");

			/* Ranges (vers: syntax) are not evaluated: they name no version here. */
			if (ver && !(p->versions[j++] = cs_arena_strdup(c->a, ver)))
				return nomem(c);
		}
		p->nversions = j;
		/* Only ranges: nothing customs can match, rather than everything. */
		p->only_ranges = !j && cJSON_GetArraySize(vers) > 0;
	}
	return add_stmt(c, st);
}

static int parse_cyclonedx(vctx *c, const cJSON *root)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "metadata"), *vulns, *x, *mc;
	long long doc_ts = 0;
	bool have = false;
	int code;

	if (cJSON_IsObject(meta) && (code = get_time(c, meta, "timestamp", &doc_ts, &have)) < 0)
		return code;
	mc = cJSON_GetObjectItemCaseSensitive(meta, "component");
	if (cJSON_IsObject(mc) && cs_pol_jstr(mc, "bom-ref") && cs_pol_jstr(mc, "purl")) {
		char *k = cs_arena_strdup(c->a, cs_pol_jstr(mc, "bom-ref"));
		char *v = cs_arena_strdup(c->a, cs_pol_jstr(mc, "purl"));

		if (!k || !v || cs_map_put(&c->refs, k, v) < 0)
			return nomem(c);
	}
	if ((code = cdx_refs(c, cJSON_GetObjectItemCaseSensitive(root, "components"), 0)) < 0)
		return code;
	vulns = cJSON_GetObjectItemCaseSensitive(root, "vulnerabilities");
	if (vulns && !cJSON_IsArray(vulns))
		return verr(c, "'vulnerabilities' must be a list");
	c->kind = "vulnerability";
	cJSON_ArrayForEach(x, vulns) {
		c->index++;
		c->vuln = NULL;
		if ((code = cdx_vuln(c, x, doc_ts)) < 0)
			return code;
	}
	return 0;
}

int cs_vex_new(cs_vex **out, cs_arena *a, cs_err *err)
{
	cs_vex *v = cs_arena_calloc(a, 1, sizeof(*v));

	*out = v;
	if (!v)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	v->a = a;
	return 0;
}

int cs_vex_parse(cs_vex *v, const char *what, const char *data, size_t len, cs_err *err)
{
	vctx c;
	cJSON *root;
	const char *ctx, *fmt;
	size_t before = v->n;
	int code;

	memset(&c, 0, sizeof(c));
	c.v = v;
	c.a = v->a;
	c.what = what;
	c.err = err;
	cs_map_init(&c.refs);
	if (!(root = cs_json_parse(data, len, what, err))) {
		cs_err_prefix(err, "VEX: ");
		cs_map_release(&c.refs);
		return CS_EFORMAT;
	}
	ctx = cs_pol_jstr(root, "@context");
	fmt = cs_pol_jstr(root, "bomFormat");
	if (ctx && !strncmp(ctx, "https://openvex.dev/ns", 22))
		code = parse_openvex(&c, root);
	else if (fmt && !strcmp(fmt, "CycloneDX"))
		code = parse_cyclonedx(&c, root);
	else
		code = verr(&c, "neither OpenVEX (\"@context\": \"https://openvex.dev/ns...\") nor CycloneDX "
				"(\"bomFormat\": \"CycloneDX\")");
	/* A failed document adds nothing: its statements are taken back. */
	if (code < 0)
		v->n = before;
	cJSON_Delete(root);
	cs_map_release(&c.refs);
	return code;
}

int cs_vex_load(cs_vex *v, const char *path, cs_err *err)
{
	char *data;
	size_t len;
	int code;

	if ((code = cs_pol_read(&data, &len, path, CS_POLICY_MAX_FILE, "VEX", err)) < 0)
		return code;
	code = cs_vex_parse(v, path, data, len, err);
	free(data);
	return code;
}

/* --- applying ------------------------------------------------------------ */

static int stmt_cmp(const void *a, const void *b)
{
	const vstmt *x = *(const vstmt *const *)a, *y = *(const vstmt *const *)b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* What apply knows of the scan. */
typedef struct actx {
	cs_scan *s;
	cs_arena *a;
	cs_map purls;       /* package purl text -> ppurl (parsed once) */
	const ppurl *none;  /* marker: a purl that does not parse */
} actx;

/* The parsed purl of package p, or NULL. */
static const ppurl *pkg_purl(actx *c, const cs_package *p)
{
	ppurl *pp;

	if (!p->purl)
		return NULL;
	if ((pp = cs_map_get(&c->purls, p->purl)))
		return pp == c->none ? NULL : pp;
	pp = purl_parse(c->a, p->purl);
	/* A failed insert only costs a second parse. */
	(void)cs_map_put(&c->purls, p->purl, pp ? pp : (void *)c->none);
	return pp;
}

static bool comp_is_package(const vcomp *k, const ppurl *pp)
{
	return k->purl && pp && ppurl_matches(k->purl, pp);
}

/* "customs/alpine-edited:3.11" -> "alpine-edited" and "3.11" (lengths into the tag). */
static void split_tag(const char *tag, const char **name, size_t *nlen, const char **t)
{
	const char *colon = strrchr(tag, ':'), *slash = strrchr(tag, '/');

	if (colon && slash && colon < slash)
		colon = NULL;
	*t = colon ? colon + 1 : NULL;
	*name = slash ? slash + 1 : tag;
	*nlen = (size_t)((colon ? colon : tag + strlen(tag)) - *name);
}

static bool comp_is_image(const vcomp *k, const cs_scan *s)
{
	const cs_artifact *art = cs_scan_artifact(s);
	const char *ids[2] = {art->image_id, art->manifest_digest};
	size_t i;

	if (k->purl && !strcmp(k->purl->type, "oci")) {
		const char *tagq = qualifier(k->purl, "tag");

		if (k->purl->version) {
			for (i = 0; i < 2; i++)
				if (ids[i] && !strcasecmp(ids[i], k->purl->version))
					return true;
			return false;
		}
		for (i = 0; i < art->nrepo_tags; i++) {
			const char *name, *tag;
			size_t n;

			split_tag(art->repo_tags[i], &name, &n, &tag);
			if (strlen(k->purl->name) == n && !strncasecmp(name, k->purl->name, n) &&
			    (!tagq || (tag && !strcmp(tag, tagq))))
				return true;
		}
		return false;
	}
	if (!k->id)
		return false;
	if ((art->name && !strcmp(k->id, art->name)) || (ids[0] && !strcasecmp(k->id, ids[0])) ||
	    (ids[1] && !strcasecmp(k->id, ids[1])))
		return true;
	for (i = 0; i < art->nrepo_tags; i++)
		if (!strcmp(k->id, art->repo_tags[i]))
			return true;
	return false;
}

/* The product names the image or a package of the scan (its subcomponents are inside it). */
static bool product_present(actx *c, vproduct *p)
{
	size_t i;

	if (p->present < 0) {
		p->present = comp_is_image(&p->c, c->s);
		for (i = 0; !p->present && i < cs_scan_package_count(c->s); i++)
			p->present = comp_is_package(&p->c, pkg_purl(c, cs_scan_package(c->s, i)));
	}
	return p->present > 0;
}

static bool stmt_matches(actx *c, vstmt *st, const cs_vuln *v)
{
	const ppurl *pp = pkg_purl(c, v->package);
	size_t i, j;

	for (i = 0; i < st->nproducts; i++) {
		vproduct *p = &st->products[i];
		bool ok = false;

		if (p->only_ranges)
			continue;
		if (p->nversions) {
			for (j = 0; j < p->nversions; j++)
				ok = ok || (v->package->version && !strcmp(p->versions[j], v->package->version));
			if (!ok)
				continue;
		}
		if (!p->nsubs) {
			if (comp_is_package(&p->c, pp) || comp_is_image(&p->c, c->s))
				return true;
			continue;
		}
		for (j = 0; j < p->nsubs; j++)
			if (comp_is_package(&p->subs[j], pp) && product_present(c, p))
				return true;
	}
	return false;
}

/* Upper-cased copy, so that "cve-2020-1" and "CVE-2020-1" meet. */
static char *upper(cs_arena *a, const char *s)
{
	char *u = cs_arena_strdup(a, s);
	size_t i;

	for (i = 0; u && u[i]; i++)
		u[i] = (char)toupper((unsigned char)u[i]);
	return u;
}

/* Per vulnerability name: the positions (in time order) of the statements naming it. */
typedef struct poslist {
	size_t *pos;
	size_t n, cap;
} poslist;

static int index_name(cs_arena *a, cs_map *m, const char *name, size_t pos)
{
	char *key = upper(a, name);
	poslist *l;

	if (!key)
		return CS_ENOMEM;
	if (!(l = cs_map_get(m, key))) {
		if (!(l = cs_arena_calloc(a, 1, sizeof(*l))) || cs_map_put(m, key, l) < 0)
			return CS_ENOMEM;
	}
	if (l->n && l->pos[l->n - 1] == pos)
		return 0;
	if (l->n == l->cap) {
		size_t *np = cs_arena_grow(a, l->pos, l->n, &l->cap, sizeof(*np));

		if (!np)
			return CS_ENOMEM;
		l->pos = np;
	}
	l->pos[l->n++] = pos;
	return 0;
}

/* The latest statement of list l matching v, as a position; best is the best so far. */
static void latest(actx *c, cs_vex *vx, const poslist *l, const cs_vuln *v, size_t *best, bool *found)
{
	size_t k;

	if (!l)
		return;
	/* Positions are ascending: walk back from the newest, stop at the first match. */
	for (k = l->n; k-- > 0;) {
		if (*found && l->pos[k] <= *best)
			return;
		if (stmt_matches(c, vx->stmts[l->pos[k]], v)) {
			*best = l->pos[k];
			*found = true;
			return;
		}
	}
}

size_t cs_vex_apply(cs_vex *vx, cs_scan *s)
{
	static const ppurl none;
	actx c;
	cs_map names;
	size_t i, j, n = 0;
	bool ok = true;

	if (!vx->n)
		return 0;
	qsort(vx->stmts, vx->n, sizeof(*vx->stmts), stmt_cmp);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.a = vx->a;
	c.none = &none;
	cs_map_init(&c.purls);
	cs_map_init(&names);
	for (i = 0; ok && i < vx->n; i++) {
		const vstmt *st = vx->stmts[i];

		for (j = 0; j < st->nproducts; j++)
			st->products[j].present = -1; /* a statement set may be applied to several scans */
		ok = index_name(c.a, &names, st->vuln, i) == 0;
		for (j = 0; ok && j < st->naliases; j++)
			ok = index_name(c.a, &names, st->aliases[j], i) == 0;
	}
	for (i = 0; ok && i < cs_scan_vuln_count(s); i++) {
		cs_vuln *v = cs_scan_vuln_mut(s, i);
		size_t best = 0;
		bool found = false;
		char *key;
		vstmt *st;

		if (v->suppressed.kind)
			continue;
		if (!(key = upper(c.a, v->id)))
			break;
		latest(&c, vx, cs_map_get(&names, key), v, &best, &found);
		for (j = 0; j < v->naliases; j++)
			if ((key = upper(c.a, v->aliases[j])))
				latest(&c, vx, cs_map_get(&names, key), v, &best, &found);
		if (!found)
			continue;
		st = vx->stmts[best];
		if (st->status == S_NOT_AFFECTED || st->status == S_FIXED || st->status == S_FALSE_POSITIVE) {
			v->suppressed.kind = "vex";
			v->suppressed.reason = st->reason;
			v->suppressed.source = st->source;
			n++;
		}
	}
	cs_map_release(&names);
	cs_map_release(&c.purls);
	return n;
}
