/*
 * vulns.c - from packages to findings (see vulns.h).
 *
 * For each package: look up (ecosystem, name), evaluate each affected entry
 * with the ecosystem's ordering (match.c), then group the affected ones by
 * vulnerability (the CVE an advisory is or aliases, else its own id) and
 * merge each group into one cs_vuln: the distribution's own feed is the
 * primary source, the others add aliases, references and scores. Severity:
 * the vendor's word for this package first, else a CVSS score (computed
 * from the vector when the feed gave none), else the advisory's word,
 * else NVD's, else unknown.
 */
#include "core/compat.h"
#include "match/vulns.h"
#include "core/log.h"
#include "core/strutil.h"
#include "core/vec.h"
#include "match/cvss.h"
#include "match/match.h"

#include <ctype.h>

/* One affected entry that matched, copied out of the lookup callback. */
typedef struct hit {
	int64_t advisory;
	const char *id;
	const char *source;
	const char *severity;   /* vendor's per-package word, or NULL */
	const char *fixed;
	const char *status;
	const char *key;        /* vulnerability id the hit is grouped under */
	cs_vdb_advisory *adv;   /* the whole advisory */
	bool used;
} hit;

typedef struct lookup_ctx {
	cs_arena *a;
	const cs_version_scheme *vs;
	const char *version;
	cs_vec *hits;
	cs_scan *s;
	const cs_package *p;
	bool warned;
} lookup_ctx;

static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* "12.15" -> "12"; NULL when the version does not start with a number. */
static const char *major_of(cs_arena *a, const char *v, size_t parts)
{
	const char *p = v;
	size_t seen = 0;

	if (!v || !isdigit((unsigned char)*v))
		return NULL;
	while (*p) {
		if (*p == '.' && ++seen == parts)
			break;
		if (!isdigit((unsigned char)*p) && *p != '.')
			break;
		p++;
	}
	return cs_arena_strndup(a, v, (size_t)(p - v));
}

/* How a distribution names its releases in its feed's ecosystem strings. */
enum {
	REL_NONE,   /* rolling: "Wolfi" */
	REL_MAJOR,  /* "Debian:12", "AlmaLinux:9" */
	REL_MINOR,  /* "Photon OS:5.0" */
	REL_ALPINE, /* "Alpine:v3.19" */
	REL_UBUNTU, /* "Ubuntu:22.04:LTS", "Ubuntu:23.10" */
	REL_PRETTY, /* os-release PRETTY_NAME: "SUSE:SUSE Linux Enterprise Server 15 SP5" */
};

/*
 * The OS package feeds customs can match against: OSV's ecosystem strings
 * (schemas/osv/ecosystems.json) for each family os-release detection
 * yields. Packages are looked up by source package name, except where the
 * feed's records name binary packages (whatever ecosystems.json says, the
 * records decide: AlmaLinux's do). A family not listed (Red Hat, whose
 * streams are CPEs of repositories an image does not record; Amazon,
 * Oracle, Mariner, whose advisories OSV does not carry) gets no OS findings
 * rather than guesses.
 */
static const struct {
	const char *type, *family, *ecosystem;
	int rel;
	bool binary; /* the feed names binary packages */
} distros[] = {
	{"deb", "debian", "Debian", REL_MAJOR, false},
	{"deb", "ubuntu", "Ubuntu", REL_UBUNTU, false},
	{"apk", "alpine", "Alpine", REL_ALPINE, false},
	{"apk", "wolfi", "Wolfi", REL_NONE, false},
	{"apk", "chainguard", "Chainguard", REL_NONE, false},
	/* AlmaLinux's records name binary rpms (ALSA-2024:2433: avahi-libs, avahi-glib...). */
	{"rpm", "alma", "AlmaLinux", REL_MAJOR, true},
	{"rpm", "rocky", "Rocky Linux", REL_MAJOR, false},
	{"rpm", "photon", "Photon OS", REL_MINOR, true},
	{"rpm", "mageia", "Mageia", REL_MAJOR, false},
	{"rpm", "sles", "SUSE", REL_PRETTY, false},
	{"rpm", "opensuse.leap", "openSUSE", REL_PRETTY, false},
	{"rpm", "opensuse.tumbleweed", "openSUSE", REL_PRETTY, false},
};

/*
 * Ubuntu's ecosystem suffix: "YY.MM", then ":LTS" for a long-term release
 * (the April release of an even year: 16.04, 18.04, 20.04, 22.04, 24.04).
 */
static const char *ubuntu_release(cs_arena *a, const char *version)
{
	const char *rel = major_of(a, version, 2);

	if (!rel || strlen(rel) != 5 || rel[2] != '.')
		return NULL;
	if (((rel[1] - '0') % 2) == 0 && !strcmp(rel + 3, "04"))
		return cs_arena_printf(a, "%s:LTS", rel);
	return rel;
}

static const char *os_ecosystem(cs_arena *a, const cs_os *os, int i)
{
	const char *rel = NULL;

	switch (distros[i].rel) {
	case REL_NONE:
		return distros[i].ecosystem;
	case REL_MAJOR:
		rel = major_of(a, os->version, 1);
		break;
	case REL_MINOR:
		rel = major_of(a, os->version, 2);
		break;
	case REL_ALPINE:
		if ((rel = major_of(a, os->version, 2)) != NULL)
			rel = cs_arena_printf(a, "v%s", rel);
		break;
	case REL_UBUNTU:
		rel = ubuntu_release(a, os->version);
		break;
	case REL_PRETTY:
		rel = os->name;
		break;
	}
	return rel ? cs_arena_printf(a, "%s:%s", distros[i].ecosystem, rel) : NULL;
}

bool cs_match_target(cs_arena *a, const cs_os *os, const cs_package *p, const char **ecosystem,
		     const char **name, const char **version, const char **scheme)
{
	static const struct {
		const char *type, *ecosystem;
	} lang[] = {
		{"pypi", "PyPI"}, {"golang", "Go"}, {"npm", "npm"}, {"cargo", "crates.io"}, {"maven", "Maven"},
		{"gem", "RubyGems"}, {"nuget", "NuGet"}, {"composer", "Packagist"},
	};
	size_t i;

	*ecosystem = *name = *version = *scheme = NULL;
	if (!strcmp(p->type, "deb") || !strcmp(p->type, "apk") || !strcmp(p->type, "rpm")) {
		if (!os || !os->family || p->third_party)
			return false;
		for (i = 0; i < CS_ARRAY_LEN(distros); i++)
			if (!strcmp(p->type, distros[i].type) && !strcmp(os->family, distros[i].family))
				break;
		if (i == CS_ARRAY_LEN(distros) || !(*ecosystem = os_ecosystem(a, os, (int)i)))
			return false; /* a release whose feed customs does not know */
		*name = !distros[i].binary && p->source_name ? p->source_name : p->name;
		/* Debian's feeds name source versions (a binNMU's "+b1" is not in them). */
		*version = !strcmp(p->type, "deb") && p->source_version ? p->source_version : p->version;
		*scheme = p->type;
		return true;
	}
	if (p->owner)
		return false; /* its OS package's feed speaks for it */
	for (i = 0; i < CS_ARRAY_LEN(lang); i++)
		if (!strcmp(p->type, lang[i].type))
			*ecosystem = lang[i].ecosystem;
	if (!*ecosystem || !p->version || !strcmp(p->version, "(devel)"))
		return false;
	*name = p->name;
	*version = p->version;
	if (!strcmp(p->type, "golang") && (!strcmp(p->name, "stdlib") || !strcmp(p->name, "toolchain")))
		*scheme = "gostd";
	else
		*scheme = cs_vdb_scheme(*ecosystem);
	return *scheme != NULL;
}

static int on_hit(const cs_vdb_hit *h, void *payload)
{
	lookup_ctx *c = payload;
	cs_match_result r;
	cs_err err;
	hit *x;

	cs_err_clear(&err);
	if (cs_match_affected(c->vs, c->version, h->status, h->ranges, h->nranges, h->versions, h->nversions, &r,
			      &err) < 0) {
		if (!c->warned)
			cs_scan_diag(c->s, CS_LOG_WARN, "%s %s: not compared with %s: %s", c->p->name, c->version, h->id,
				     err.msg);
		c->warned = true;
		return 0;
	}
	if (!r.affected)
		return 0;
	x = cs_arena_alloc(c->a, sizeof(*x));
	if (!x)
		return CS_ENOMEM;
	x->advisory = h->advisory;
	x->id = cs_arena_strdup(c->a, h->id);
	x->source = cs_arena_strdup(c->a, h->source);
	x->severity = h->severity ? cs_arena_strdup(c->a, h->severity) : NULL;
	x->fixed = r.fixed ? cs_arena_strdup(c->a, r.fixed) : NULL;
	x->status = cs_arena_strdup(c->a, r.status);
	return cs_vec_push(c->hits, x) < 0 ? CS_ENOMEM : 0;
}

/* The CVE an advisory is about, else its own id. */
static const char *vuln_key(const cs_vdb_advisory *adv, const char *id)
{
	size_t i;

	if (starts_ci(id, "CVE-"))
		return id;
	for (i = 0; adv && i < adv->naliases; i++)
		if (starts_ci(adv->aliases[i], "CVE-"))
			return adv->aliases[i];
	return id;
}

/* Feeds run by the distribution itself outrank aggregated ones. */
static int source_rank(const char *source)
{
	static const char *const vendor[] = {"debian", "alpine", "ubuntu", "redhat", "suse", "photon", "wolfi"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(vendor); i++)
		if (starts_ci(source, vendor[i]))
			return 2;
	return 1;
}

static const char *normalize_severity(cs_arena *a, const char *s)
{
	static const struct {
		const char *in, *out;
	} map[] = {
		{"critical", "critical"}, {"high", "high"}, {"important", "high"}, {"medium", "medium"},
		{"moderate", "medium"}, {"low", "low"}, {"negligible", "negligible"}, {"unimportant", "negligible"},
	};
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < CS_ARRAY_LEN(map); i++)
		if (!strcasecmp(s, map[i].in))
			return map[i].out;
	CS_UNUSED(a);
	return NULL; /* "not yet assigned", "unknown", ...: no word of the vendor's */
}

static bool has_str(const char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds a CVSS entry (score computed when missing); skips unparseable vectors. */
static void add_cvss(cs_arena *a, cs_vec *out, const cs_vdb_cvss *c)
{
	cs_cvss_result r;
	cs_cvss *x;
	size_t i;

	if (!c->vector)
		return;
	for (i = 0; i < out->len; i++)
		if (!strcmp(((cs_cvss *)out->items[i])->vector, c->vector))
			return;
	if (cs_cvss_score(c->vector, &r, NULL) < 0)
		return;
	x = cs_arena_alloc(a, sizeof(*x));
	if (!x)
		return;
	x->version = c->version ? cs_arena_strdup(a, c->version)
				: cs_arena_printf(a, "%d.%d", r.version_major, r.version_minor);
	x->vector = cs_arena_strdup(a, c->vector);
	x->score = c->score >= 0 ? c->score : r.base_score;
	x->source = c->source ? cs_arena_strdup(a, c->source) : NULL;
	cs_vec_push(out, x);
}

/* The best CVSS for rating: v3.x, then v4.0, then v2; NVD's first among equals. */
static const cs_cvss *best_cvss(const cs_vec *v)
{
	static const char *const order[] = {"3.1", "3.0", "4.0", "2.0"};
	size_t i, j;
	const cs_cvss *best = NULL;

	for (i = 0; i < CS_ARRAY_LEN(order) && !best; i++)
		for (j = 0; j < v->len; j++) {
			const cs_cvss *c = v->items[j];

			if (!c->version || strcmp(c->version, order[i]))
				continue;
			if (!best || (c->source && !strcmp(c->source, "nvd")))
				best = c;
		}
	return best;
}

static int merge_group(cs_scan *s, cs_vdb *db, const cs_package *p, const char *version, cs_vec *hits,
		       size_t first, cs_err *err)
{
	cs_arena *a = cs_scan_arena(s);
	hit *primary = hits->items[first];
	cs_vec aliases, refs, cvss;
	cs_vuln *v;
	size_t i, j;
	int code = 0;

	cs_vec_init(&aliases);
	cs_vec_init(&refs);
	cs_vec_init(&cvss);
	v = cs_arena_alloc(a, sizeof(*v));
	if (!v)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* The group: every unused hit with the same key. */
	for (i = first; i < hits->len; i++) {
		hit *h = hits->items[i];

		if (h->used || strcmp(h->key, primary->key))
			continue;
		h->used = true;
		if (source_rank(h->source) > source_rank(primary->source))
			primary = h;
		if (strcmp(h->id, primary->key) && !(starts_ci(h->id, "CVE-") && starts_ci(primary->key, "CVE-")) &&
		    !has_str((const char **)aliases.items, aliases.len, h->id))
			cs_vec_push(&aliases, (void *)h->id);
		if (!h->adv)
			continue;
		for (j = 0; j < h->adv->naliases; j++) {
			const char *al = h->adv->aliases[j];

			/* A CVE is never an alias of another CVE (a DSA's other CVEs are their own findings). */
			if (strcmp(al, primary->key) && !(starts_ci(al, "CVE-") && starts_ci(primary->key, "CVE-")) &&
			    !has_str((const char **)aliases.items, aliases.len, al))
				cs_vec_push(&aliases, (void *)al);
		}
		for (j = 0; j < h->adv->nreferences && refs.len < 32; j++)
			if (!has_str((const char **)refs.items, refs.len, h->adv->references[j]))
				cs_vec_push(&refs, (void *)h->adv->references[j]);
		for (j = 0; j < h->adv->ncvss; j++)
			add_cvss(a, &cvss, &h->adv->cvss[j]);
	}
	v->id = primary->key;
	v->package = p;
	v->installed_version = version;
	v->fixed_version = primary->fixed;
	v->status = primary->status;
	v->data_source = primary->source;
	v->title = primary->adv && primary->adv->summary ? primary->adv->summary : NULL;
	for (i = first; !v->title && i < hits->len; i++) {
		hit *h = hits->items[i];

		if (!strcmp(h->key, v->id) && h->adv && h->adv->summary)
			v->title = h->adv->summary;
	}
	if (primary->fixed && primary->adv && primary->adv->published &&
	    (!primary->source || !cs_str_starts(primary->source, "nvd")))
		v->published = primary->adv->published;
	v->kev = -1;
	v->epss_score = v->epss_percentile = -1;
	if (starts_ci(v->id, "CVE-")) {
		int64_t row;
		cs_vdb_advisory *nvd = NULL;
		cs_vdb_kev kev;
		cs_vdb_epss epss;
		cs_err ignore;

		cs_err_clear(&ignore);
		if (cs_vdb_advisory_find(&row, db, "nvd", v->id, &ignore) == 0 &&
		    cs_vdb_advisory_get(&nvd, NULL, db, row, a, &ignore) == 0 && nvd) {
			for (j = 0; j < nvd->ncvss; j++)
				add_cvss(a, &cvss, &nvd->cvss[j]);
			if (!v->title && nvd->details)
				v->title = nvd->details;
		}
		if (cs_vdb_kev_get(&kev, db, v->id, a, &ignore) == 0)
			v->kev = 1;
		if (cs_vdb_epss_get(&epss, db, v->id, a, &ignore) == 0) {
			v->epss_score = epss.score;
			v->epss_percentile = epss.percentile;
		}
		/* Severity from NVD's own word, as a last resort. */
		if (nvd && nvd->severity && !normalize_severity(a, primary->severity)) {
			v->severity = normalize_severity(a, nvd->severity);
			v->severity_source = v->severity ? "nvd" : NULL;
		}
	}
	/* Rating: vendor word > CVSS > advisory word > NVD word (set above) > unknown. */
	{
		const char *vendor = normalize_severity(a, primary->severity);
		const cs_cvss *c = best_cvss(&cvss);

		if (vendor) {
			v->severity = vendor;
			v->severity_source = primary->source;
		} else if (c) {
			int major = c->version[0] - '0';

			v->severity = cs_cvss_severity(c->score, major);
			v->severity_source = cs_arena_printf(a, "cvss:%s/%s", c->version, c->source ? c->source : primary->source);
		} else if (primary->adv && normalize_severity(a, primary->adv->severity)) {
			v->severity = normalize_severity(a, primary->adv->severity);
			v->severity_source = primary->source;
		}
		if (!v->severity) {
			v->severity = "unknown";
			v->severity_source = NULL;
		}
	}
	cs_vec_sort(&aliases, cmp_str_ptr);
	v->aliases = cs_arena_calloc(a, aliases.len + 1, sizeof(char *));
	v->references = cs_arena_calloc(a, refs.len + 1, sizeof(char *));
	v->cvss = cs_arena_calloc(a, cvss.len + 1, sizeof(cs_cvss));
	if (!v->aliases || !v->references || !v->cvss) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < aliases.len; i++)
		v->aliases[i] = aliases.items[i];
	v->naliases = aliases.len;
	for (i = 0; i < refs.len; i++)
		v->references[i] = refs.items[i];
	v->nreferences = refs.len;
	for (i = 0; i < cvss.len; i++)
		((cs_cvss *)v->cvss)[i] = *(cs_cvss *)cvss.items[i];
	v->ncvss = cvss.len;
	if (cs_scan_add_vuln(s, v) < 0)
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
done:
	cs_vec_release(&aliases);
	cs_vec_release(&refs);
	cs_vec_release(&cvss);
	return code;
}

static int match_package(cs_scan *s, cs_vdb *db, const cs_package *p, cs_err *err)
{
	cs_arena *a = cs_scan_arena(s);
	const char *eco, *name, *version, *scheme;
	lookup_ctx c;
	cs_vec hits;
	size_t i, n;
	int code;

	if (!cs_match_target(a, cs_scan_os(s), p, &eco, &name, &version, &scheme))
		return 0;
	memset(&c, 0, sizeof(c));
	c.vs = cs_version_scheme_find(scheme);
	if (!c.vs)
		return 0;
	cs_vec_init(&hits);
	c.a = a;
	c.version = version;
	c.hits = &hits;
	c.s = s;
	c.p = p;
	if ((code = cs_vdb_lookup(db, eco, name, on_hit, &c, err)) < 0) {
		if (code == CS_ENOMEM && err && err->code == CS_OK)
			cs_err_set(err, code, "out of memory");
		goto done;
	}
	n = hits.len;
	for (i = 0; i < n; i++) {
		hit *h = hits.items[i];
		size_t j;

		if ((code = cs_vdb_advisory_get(&h->adv, NULL, db, h->advisory, a, err)) < 0)
			goto done;
		h->key = vuln_key(h->adv, h->id);
		if (starts_ci(h->id, "CVE-"))
			continue;
		/* A DSA naming five CVEs is five vulnerabilities: one finding each. */
		for (j = 0; h->adv && j < h->adv->naliases; j++) {
			const char *cve = h->adv->aliases[j];
			hit *x;

			if (!starts_ci(cve, "CVE-") || !strcmp(cve, h->key))
				continue;
			if (!(x = cs_arena_alloc(a, sizeof(*x)))) {
				code = cs_err_set(err, CS_ENOMEM, "out of memory");
				goto done;
			}
			*x = *h;
			x->key = cve;
			if ((code = cs_vec_push(&hits, x)) < 0) {
				cs_err_set(err, code, "out of memory");
				goto done;
			}
		}
	}
	for (i = 0; i < hits.len; i++)
		if (!((hit *)hits.items[i])->used && (code = merge_group(s, db, p, version, &hits, i, err)) < 0)
			goto done;
done:
	cs_vec_release(&hits);
	return code;
}

int cs_match_scan(cs_scan *s, cs_vdb *db, cs_err *err)
{
	size_t i;
	int code;

	for (i = 0; i < cs_scan_package_count(s); i++)
		if ((code = match_package(s, db, cs_scan_package(s, i), err)) < 0)
			return code;
	cs_scan_sort_vulns(s);
	return 0;
}
