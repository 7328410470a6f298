/*
 * debian_list.c - importer for the Debian security tracker's advisory
 * lists, data/DSA/list and data/DLA/list:
 *
 *   [12 Dec 2022] DSA-5296-1 xorg-server - security update
 *   	{CVE-2022-46340 CVE-2022-46341}
 *   	[bullseye] - xorg-server 2:1.20.11-1+deb11u4
 *   	[buster] - xorg-server <not-affected> (Vulnerable code not present)
 *   	NOTE: [etch] - clamav <end-of-life> (upstream stopped...)
 *
 * One advisory per header line: id "DSA-5296-1", published from the
 * bracketed date, summary the rest of the header, aliases the CVEs in
 * braces (a later revision without braces, "DSA-5356-2", borrows those of
 * another revision of the same advisory), and one affected entry per
 * "[release] - source version" line in ecosystem "Debian:<n>": status
 * "fixed" with range fixed = version, or the status a <marker> stands for
 * (docs/vulndb.md). Lines that cannot be read are reported and skipped.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include "core/map.h"
#include "core/strutil.h"
#include "core/view.h"

typedef struct dl_adv {
	const char *id;        /* arena */
	const char *summary;   /* arena, or NULL */
	const char *published; /* arena */
	const char **aliases;  /* arena */
	size_t naliases, caliases;
	cs_vdb_affected *aff; /* arena */
	size_t naff, caff;
} dl_adv;

typedef struct dl_state {
	cs_arena *a;
	cs_feed_report rep;
	cs_map unknown; /* release names already reported as unknown */
	dl_adv **advs;  /* file order; arena */
	size_t nadv, cadv;
} dl_state;

/* <marker> -> status; NULL status: the line says nothing about being affected. */
static const struct {
	const char *marker;
	const char *status;
} markers[] = {
	{"<not-affected>", CS_VDB_NOT_AFFECTED}, {"<unfixed>", CS_VDB_NOT_FIXED},
	{"<end-of-life>", CS_VDB_END_OF_LIFE},   {"<no-dsa>", CS_VDB_NOT_FIXED},
	{"<postponed>", CS_VDB_NOT_FIXED},       {"<ignored>", CS_VDB_WILL_NOT_FIX},
	{"<removed>", CS_VDB_NOT_FIXED},         {"<undetermined>", NULL},
};

/* Reads "[DD Mon YYYY] ID" at the start of line; false when it is not a header. */
static bool parse_header(cs_arena *a, const char *line, size_t n, const char **published, const char **id,
			 size_t *idn, const char **rest, size_t *restn)
{
	const char *close = n ? memchr(line, ']', n) : NULL;
	size_t i, start, dash;

	if (!n || line[0] != '[' || !close)
		return false;
	*published = cs_feed_dmy_date(a, line + 1, (size_t)(close - line - 1));
	if (!*published)
		return false;
	i = (size_t)(close - line) + 1;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	start = i;
	while (i < n && line[i] != ' ' && line[i] != '\t')
		i++;
	*id = line + start;
	*idn = i - start;
	/* "DSA-141", "DSA-5296-1", "DLA-3380-1": letters, then one or two numbers. */
	for (dash = 0; dash < *idn && (*id)[dash] >= 'A' && (*id)[dash] <= 'Z'; dash++)
		;
	if (dash < 2 || dash == *idn || !cs_feed_is_vuln_id(*id, *idn))
		return false;
	for (i = dash; i < *idn; i++)
		if (!((*id)[i] == '-' || ((*id)[i] >= '0' && (*id)[i] <= '9')))
			return false;
	*rest = line + start + *idn;
	*restn = n - start - *idn;
	cs_mem_trim(rest, restn);
	return true;
}

static bool dl_detect(const char *name, const uint8_t *head, size_t n)
{
	const char *line = (const char *)head, *published, *id, *rest;
	size_t len = 0, idn, restn;
	cs_arena a;
	bool ok;

	CS_UNUSED(name);
	while (len < n && head[len] != '\n')
		len++;
	cs_arena_init(&a);
	ok = parse_header(&a, line, len, &published, &id, &idn, &rest, &restn);
	cs_arena_release(&a);
	return ok;
}

/* The id up to its revision: "DSA-5356-2" -> "DSA-5356" (length). */
static size_t base_len(const char *id)
{
	const char *first = strchr(id, '-'), *second = first ? strchr(first + 1, '-') : NULL;

	return second ? (size_t)(second - id) : strlen(id);
}

static int add_alias(dl_state *st, dl_adv *adv, const char *p, size_t n)
{
	size_t i;
	char *s;

	for (i = 0; i < adv->naliases; i++)
		if (strlen(adv->aliases[i]) == n && memcmp(adv->aliases[i], p, n) == 0)
			return 0;
	if (!(s = cs_arena_strndup(st->a, p, n)) ||
	    !(adv->aliases = cs_feed_grow(st->a, adv->aliases, adv->naliases, &adv->caliases, sizeof(char *))))
		return CS_ENOMEM;
	adv->aliases[adv->naliases++] = s;
	return 0;
}

/* "{CVE-... CVE-...}" (p after the brace). */
static int read_cves(dl_state *st, dl_adv *adv, const char *p, size_t n, size_t lineno)
{
	const char *end = memchr(p, '}', n);
	size_t i = 0, m;

	if (!end) {
		cs_feed_bad(&st->rep, "%s (line %zu): unterminated '{' list", adv->id, lineno);
		return 0;
	}
	m = (size_t)(end - p);
	while (i < m) {
		size_t start;

		while (i < m && (p[i] == ' ' || p[i] == '\t'))
			i++;
		start = i;
		while (i < m && p[i] != ' ' && p[i] != '\t')
			i++;
		if (i == start)
			break;
		if (!cs_feed_is_vuln_id(p + start, i - start)) {
			cs_feed_bad(&st->rep, "%s (line %zu): '%.*s' is not an identifier", adv->id, lineno,
				    (int)(i - start > 64 ? 64 : i - start), p + start);
			continue;
		}
		if (add_alias(st, adv, p + start, i - start) < 0)
			return CS_ENOMEM;
	}
	return 0;
}

/* "[release] - package version|<marker> [comment]" (p at the '['). */
static int read_affected(dl_state *st, dl_adv *adv, const char *p, size_t n, size_t lineno)
{
	const char *close = memchr(p, ']', n), *eco, *status = CS_VDB_FIXED, *pkg, *ver;
	size_t i, start, pkgn, vern, k;
	cs_vdb_affected *e;

	if (!close) {
		cs_feed_bad(&st->rep, "%s (line %zu): unterminated release name", adv->id, lineno);
		return 0;
	}
	eco = cs_feed_debian_ecosystem(p + 1, (size_t)(close - p - 1));
	if (!eco) {
		const char *rel = p + 1;
		size_t reln = (size_t)(close - p - 1);
		char *key;

		if (cs_map_getn(&st->unknown, rel, reln))
			return 0;
		if (!(key = cs_arena_strndup(st->a, rel, reln)) || cs_map_put(&st->unknown, key, key) < 0)
			return CS_ENOMEM;
		cs_feed_bad(&st->rep, "%s (line %zu): unknown release '%.*s' (its lines are skipped)", adv->id,
			    lineno, (int)(reln > 64 ? 64 : reln), rel);
		return 0;
	}
	i = (size_t)(close - p) + 1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i < n && p[i] == '-')
		i++;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	start = i;
	while (i < n && p[i] != ' ' && p[i] != '\t')
		i++;
	pkg = p + start;
	pkgn = i - start;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	start = i;
	while (i < n && p[i] != ' ' && p[i] != '\t')
		i++;
	ver = p + start;
	vern = i - start;
	if (!cs_feed_token(pkg, pkgn, CS_FEED_MAX_NAME) || !cs_feed_token(ver, vern, CS_FEED_MAX_VERSION)) {
		cs_feed_bad(&st->rep, "%s (line %zu): expected '[release] - package version'", adv->id, lineno);
		return 0;
	}
	if (ver[0] == '<') {
		for (k = 0; k < CS_ARRAY_LEN(markers); k++)
			if (strlen(markers[k].marker) == vern && memcmp(markers[k].marker, ver, vern) == 0)
				break;
		if (k == CS_ARRAY_LEN(markers)) {
			cs_feed_bad(&st->rep, "%s (line %zu): unknown marker '%.*s'", adv->id, lineno,
				    (int)(vern > 64 ? 64 : vern), ver);
			return 0;
		}
		if (!(status = markers[k].status))
			return 0;
	}
	if (!(adv->aff = cs_feed_grow(st->a, adv->aff, adv->naff, &adv->caff, sizeof(*adv->aff))))
		return CS_ENOMEM;
	e = &adv->aff[adv->naff];
	memset(e, 0, sizeof(*e));
	e->ecosystem = eco;
	e->status = status;
	if (!(e->package = cs_arena_strndup(st->a, pkg, pkgn)))
		return CS_ENOMEM;
	if (ver[0] != '<') {
		cs_vdb_range *r = cs_arena_alloc(st->a, sizeof(*r));

		if (!r || !(r->fixed = cs_arena_strndup(st->a, ver, vern)))
			return CS_ENOMEM;
		r->introduced = "0";
		e->ranges = r;
		e->nranges = 1;
	}
	adv->naff++;
	return 0;
}

/* One line of an advisory's body, white space trimmed. */
static int read_body(dl_state *st, dl_adv *adv, const char *p, size_t n, size_t lineno)
{
	if (p[0] == '{')
		return read_cves(st, adv, p + 1, n - 1, lineno);
	if (cs_mem_starts(p, n, "NOTE:")) {
		p += 5;
		n -= 5;
		cs_mem_trim(&p, &n);
		/* "NOTE: [etch] - clamav <end-of-life> (...)" is a package line; other notes are prose. */
		return n && p[0] == '[' ? read_affected(st, adv, p, n, lineno) : 0;
	}
	if (p[0] == '[')
		return read_affected(st, adv, p, n, lineno);
	cs_feed_bad(&st->rep, "%s (line %zu): unrecognised line", adv->id, lineno);
	return 0;
}

static int dl_parse(dl_state *st, const char *data, size_t len)
{
	cs_view v = cs_view_make(data, len);
	dl_adv *cur = NULL;
	bool in_bad_block = false;
	const char *line;
	size_t n, lineno = 0;
	int rc;

	while (cs_view_line(&v, &line, &n)) {
		const char *body = line, *published, *id, *rest;
		size_t bn = n, idn, restn;

		lineno++;
		cs_mem_trim(&body, &bn);
		if (bn == 0)
			continue;
		if (line[0] != ' ' && line[0] != '\t') {
			if (!parse_header(st->a, line, n, &published, &id, &idn, &rest, &restn)) {
				cs_feed_bad(&st->rep, "line %zu: cannot read advisory header", lineno);
				cur = NULL;
				in_bad_block = true;
				continue;
			}
			if (!(cur = cs_arena_alloc(st->a, sizeof(*cur))) || !(cur->id = cs_arena_strndup(st->a, id, idn)) ||
			    (restn && !(cur->summary = cs_feed_text(st->a, rest, restn))) ||
			    !(st->advs = cs_feed_grow(st->a, st->advs, st->nadv, &st->cadv, sizeof(*st->advs))))
				return CS_ENOMEM;
			cur->published = published;
			st->advs[st->nadv++] = cur;
			in_bad_block = false;
			continue;
		}
		if (!cur) {
			if (!in_bad_block)
				cs_feed_bad(&st->rep, "line %zu: text outside any advisory", lineno);
			continue;
		}
		if ((rc = read_body(st, cur, body, bn, lineno)) < 0)
			return rc;
	}
	return 0;
}

static int dl_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		     cs_arena *scratch, cs_err *err)
{
	dl_state st;
	cs_map bases;
	size_t i;
	int rc;

	memset(&st, 0, sizeof(st));
	st.a = scratch;
	cs_map_init(&st.unknown);
	cs_map_init(&bases);
	cs_feed_report_init(&st.rep, sink, name);
	if ((rc = dl_parse(&st, (const char *)data, len)) < 0) {
		cs_err_set(err, rc, "'%s': out of memory", name);
		goto done;
	}
	if (st.nadv == 0 && len > 0) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': no advisory header found", name);
		goto done;
	}
	/* Revisions without a CVE list borrow one from another revision. */
	for (i = 0; i < st.nadv; i++)
		if (st.advs[i]->naliases && !cs_map_getn(&bases, st.advs[i]->id, base_len(st.advs[i]->id)) &&
		    cs_map_putn(&bases, st.advs[i]->id, base_len(st.advs[i]->id), st.advs[i]) < 0) {
			rc = cs_err_set(err, CS_ENOMEM, "'%s': out of memory", name);
			goto done;
		}
	for (i = 0; i < st.nadv; i++) {
		dl_adv *adv = st.advs[i];
		const dl_adv *base = adv->naliases ? NULL : cs_map_getn(&bases, adv->id, base_len(adv->id));
		cs_vdb_advisory rec;
		const char *ref = cs_arena_printf(scratch, "https://security-tracker.debian.org/tracker/%s", adv->id);

		if (!ref) {
			rc = cs_err_set(err, CS_ENOMEM, "'%s': out of memory", name);
			goto done;
		}
		memset(&rec, 0, sizeof(rec));
		rec.id = adv->id;
		rec.summary = adv->summary;
		rec.published = adv->published;
		rec.file = name;
		rec.aliases = base ? base->aliases : adv->aliases;
		rec.naliases = base ? base->naliases : adv->naliases;
		rec.affected = adv->aff;
		rec.naffected = adv->naff;
		rec.references = &ref;
		rec.nreferences = 1;
		if ((rc = sink->advisory(sink->payload, &rec, err)) < 0)
			goto done;
	}
	cs_feed_report_done(&st.rep);
done:
	cs_map_release(&bases);
	cs_map_release(&st.unknown);
	return rc;
}

const cs_vdb_importer cs_importer_debian_list = {"debian-list", dl_detect, dl_import, false};
