/*
 * spdx.c - SPDX 2.3 JSON: the image as the described package, its OS and
 * every package with a purl, their declared licenses, and the
 * relationships between them (DESCRIBES, CONTAINS).
 *
 * SPDX has no vulnerability section: findings go to CycloneDX. What the
 * scan knows that SPDX has no field for (the layer, the file a package was
 * read from, its package type, its source package) goes into annotations
 * whose comment is "customs:NAME=VALUE", the same names as CycloneDX's
 * properties (docs/reports.md), so `customs sbom` can read either back.
 * Equal scans at equal opts->now give equal bytes.
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "report/spdxlic.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/sha256.h"
#include "core/version.h"

#include <cJSON.h>

/* SPDX ids get at most this many characters of a package name. */
#define SPDX_NAME_MAX 64

typedef struct spdx {
	const cs_scan *s;
	cs_arena a;
	long *owner;             /* index of package i's owner, or -1 */
	const char **pkg_id;     /* SPDXID of package i */
	const char *image_id, *os_id;
	const char *annotator;   /* "Tool: customs-VERSION" */
	char now[32];
	cs_map lic_by_text;      /* free-text license -> its LicenseRef id; keys in a */
	cs_map lic_ids;          /* LicenseRef ids handed out */
	cJSON *extracted;        /* hasExtractedLicensingInfos, in order of first use */
	cs_jb jb;             /* the builder; jb.oom: the tree is incomplete */
} spdx;


/*
 * s reduced to SPDX's idstring alphabet (letters, digits, '.', '-'): any
 * other byte becomes '-', runs of '-' are one, at most max characters;
 * "unknown" when nothing is left.
 */
static const char *idstring(spdx *c, const char *s, size_t max)
{
	char *out = cs_arena_alloc(&c->a, max + 1), *w = out, *start;

	if (!out) {
		c->jb.oom = true;
		return "unknown";
	}
	for (; s && *s && (size_t)(w - out) < max; s++) {
		char ch = *s;

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.')
			*w++ = ch;
		else if (w == out || w[-1] != '-')
			*w++ = '-';
	}
	while (w > out && w[-1] == '-')
		w--;
	*w = '\0';
	for (start = out; *start == '-'; start++)
		;
	return *start ? start : "unknown";
}

/* --- annotations: what SPDX has no field for ------------------------------ */

static void note(spdx *c, cJSON **notes, const char *name, const char *value)
{
	cJSON *n;
	char *text;

	if (!value || !*value)
		return;
	if (!*notes)
		*notes = cs_jb_arr(&c->jb);
	if (!(text = cs_arena_printf(&c->a, "%s=%s", name, value))) {
		c->jb.oom = true;
		return;
	}
	n = cs_jb_push(&c->jb, *notes, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, n, "annotationDate", c->now);
	cs_jb_add_str(&c->jb, n, "annotationType", "OTHER");
	cs_jb_add_str(&c->jb, n, "annotator", c->annotator);
	cs_jb_add(&c->jb, n, "comment", cs_jb_str(&c->jb, text));
}

static void add_notes(spdx *c, cJSON *o, cJSON *notes)
{
	if (notes)
		cs_jb_add(&c->jb, o, "annotations", notes);
}

static void layer_notes(spdx *c, cJSON **notes, int layer)
{
	const cs_layer *l;
	char idx[16];

	if (cs_scan_is_rootfs(c->s) || layer < 0 || !(l = cs_scan_layer(c->s, (size_t)layer)))
		return;
	snprintf(idx, sizeof(idx), "%d", l->index);
	note(c, notes, "customs:layer:index", idx);
	note(c, notes, "customs:layer:diff_id", l->diff_id);
}

static void purl_ref(spdx *c, cJSON *o, const char *purl)
{
	cJSON *refs, *r;

	if (!purl || !*purl)
		return;
	refs = cs_jb_add(&c->jb, o, "externalRefs", cs_jb_arr(&c->jb));
	r = cs_jb_push(&c->jb, refs, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, r, "referenceCategory", "PACKAGE-MANAGER");
	cs_jb_add_str(&c->jb, r, "referenceType", "purl");
	cs_jb_add(&c->jb, r, "referenceLocator", cs_jb_str(&c->jb, purl));
}

/* The fields every package of ours has the same way. */
static void package_common(spdx *c, cJSON *o)
{
	cs_jb_add_str(&c->jb, o, "downloadLocation", "NOASSERTION");
	cs_jb_add(&c->jb, o, "filesAnalyzed", cJSON_CreateFalse());
	cs_jb_add_str(&c->jb, o, "licenseConcluded", "NOASSERTION");
}

/* --- licenses ------------------------------------------------------------- */

/* The LicenseRef for free-text license text, declared once in hasExtractedLicensingInfos. */
static const char *license_ref(spdx *c, const char *text)
{
	const char *ref = cs_map_get(&c->lic_by_text, text), *base;
	char *id, *key;
	unsigned n;
	cJSON *e;

	if (ref)
		return ref;
	base = idstring(c, text, SPDX_NAME_MAX);
	id = cs_arena_printf(&c->a, "LicenseRef-%s", base);
	for (n = 2; id && cs_map_get(&c->lic_ids, id); n++)
		id = cs_arena_printf(&c->a, "LicenseRef-%s-%u", base, n);
	if (!id || !(key = cs_arena_strdup(&c->a, text)) || cs_map_put(&c->lic_ids, id, id) < 0 ||
	    cs_map_put(&c->lic_by_text, key, id) < 0) {
		c->jb.oom = true;
		return "NOASSERTION";
	}
	if (!c->extracted)
		c->extracted = cs_jb_arr(&c->jb);
	e = cs_jb_push(&c->jb, c->extracted, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, e, "licenseId", id);
	cs_jb_add(&c->jb, e, "extractedText", cs_jb_str(&c->jb, text));
	cs_jb_add(&c->jb, e, "name", cs_jb_str(&c->jb, text));
	cs_jb_add_str(&c->jb, e, "comment", "license text as the package metadata gives it; not an SPDX license id or expression");
	return id;
}

/*
 * licenseDeclared: the package's license strings joined with AND (the
 * metadata lists licenses that all apply); an id or a valid expression as
 * it is (canonical case), free text as a LicenseRef; NOASSERTION when the
 * metadata names none.
 */
static const char *license_declared(spdx *c, const cs_package *p)
{
	cs_buf b = CS_BUF_INIT;
	const char *out, **seen;
	size_t i, j, n = 0;
	int rc = 0;

	if (p->nlicenses == 0)
		return "NOASSERTION";
	if (!(seen = cs_arena_calloc(&c->a, p->nlicenses, sizeof(*seen)))) {
		c->jb.oom = true;
		return "NOASSERTION";
	}
	for (i = 0; i < p->nlicenses && rc == 0; i++) {
		cs_lic l;
		const char *text;
		bool paren;

		if (cs_lic_classify(&l, &c->a, p->licenses[i]) < 0) {
			rc = CS_ENOMEM;
			break;
		}
		text = l.kind == CS_LIC_NAME && *l.text ? license_ref(c, l.text) : l.text;
		for (j = 0; j < n && strcmp(seen[j], text); j++)
			;
		if (!*text || j < n)
			continue; /* blank, or the same license twice */
		seen[n++] = text;
		paren = p->nlicenses > 1 && l.compound;
		rc = cs_buf_printf(&b, "%s%s%s%s", n > 1 ? " AND " : "", paren ? "(" : "", text, paren ? ")" : "");
	}
	if (rc < 0 || (n > 0 && !(out = cs_arena_strndup(&c->a, b.data, b.len)))) {
		c->jb.oom = true;
		out = "NOASSERTION";
	} else if (n == 0) {
		out = "NOASSERTION";
	}
	cs_buf_release(&b);
	return out;
}

/* Parentheses and control characters would break SPDX's agent syntax: spaces, trimmed. */
static char *agent_part(spdx *c, const char *s, size_t n)
{
	char *out = cs_arena_strndup(&c->a, s, n), *w, *start;

	if (!out) {
		c->jb.oom = true;
		return NULL;
	}
	for (w = out; *w; w++)
		if (*w == '(' || *w == ')' || (unsigned char)*w < ' ' || *w == 0x7f)
			*w = ' ';
	while (w > out && w[-1] == ' ')
		*--w = '\0';
	for (start = out; *start == ' '; start++)
		;
	return start;
}

/* "Organization: NAME (EMAIL)" from a vendor or maintainer "NAME <EMAIL>", or NULL. */
static const char *supplier(spdx *c, const cs_package *p)
{
	const char *who = p->vendor && *p->vendor ? p->vendor : p->maintainer, *lt, *gt;
	char *name, *mail = NULL, *out;

	if (!who || !*who)
		return NULL;
	lt = strchr(who, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	if (!(name = agent_part(c, who, lt && gt ? (size_t)(lt - who) : strlen(who))) ||
	    (lt && gt && !(mail = agent_part(c, lt + 1, (size_t)(gt - lt - 1)))))
		return NULL;
	if (!*name)
		name = mail;
	if (!name || !*name)
		return NULL;
	out = mail && *mail && mail != name ? cs_arena_printf(&c->a, "Organization: %s (%s)", name, mail)
					   : cs_arena_printf(&c->a, "Organization: %s", name);
	if (!out)
		c->jb.oom = true;
	return out;
}

/* --- the image, its OS, the packages -------------------------------------- */

/* The image's purl (purl-spec's oci type) when its manifest digest and a repo tag are known. */
static const char *image_purl(spdx *c, const cs_artifact *a)
{
	char *out = NULL;

	if (cs_rutil_image_purl(&out, &c->a, a) < 0)
		c->jb.oom = true;
	return out;
}

static cJSON *image_package(spdx *c)
{
	const cs_artifact *a = cs_scan_artifact(c->s);
	const cs_os *os = cs_scan_os(c->s);
	const char *version = a->image_id ? a->image_id : a->manifest_digest;
	cJSON *o = cs_jb_obj(&c->jb), *notes = NULL;
	size_t i;

	c->image_id = "SPDXRef-Image";
	cs_jb_add(&c->jb, o, "name", cs_jb_str(&c->jb, cs_rutil_artifact_title(a)));
	cs_jb_add_str(&c->jb, o, "SPDXID", c->image_id);
	cs_jb_add_str(&c->jb, o, "versionInfo", version);
	package_common(c, o);
	if (a->image_id && cs_digest_valid(a->image_id) && !strncmp(a->image_id, "sha256:", 7)) {
		cJSON *sums = cs_jb_add(&c->jb, o, "checksums", cs_jb_arr(&c->jb)), *e = cs_jb_push(&c->jb, sums, cs_jb_obj(&c->jb));

		cs_jb_add_str(&c->jb, e, "algorithm", "SHA256");
		cs_jb_add_str(&c->jb, e, "checksumValue", a->image_id + 7);
	}
	cs_jb_add_str(&c->jb, o, "licenseDeclared", "NOASSERTION");
	cs_jb_add_str(&c->jb, o, "copyrightText", "NOASSERTION");
	purl_ref(c, o, image_purl(c, a));
	cs_jb_add_str(&c->jb, o, "primaryPackagePurpose",
		a->type && !strcmp(a->type, "container_image") ? "CONTAINER" : "APPLICATION");
	note(c, &notes, "customs:artifact:name", a->name);
	note(c, &notes, "customs:artifact:type", a->type);
	note(c, &notes, "customs:image:id", a->image_id);
	note(c, &notes, "customs:image:manifest_digest", a->manifest_digest);
	for (i = 0; i < a->nrepo_tags; i++)
		note(c, &notes, "customs:image:repo_tag", a->repo_tags[i]);
	note(c, &notes, "customs:image:os", a->os);
	note(c, &notes, "customs:image:architecture", a->arch);
	note(c, &notes, "customs:image:variant", a->variant);
	if (os) {
		note(c, &notes, "customs:os:family", os->family);
		note(c, &notes, "customs:os:version", os->version);
	}
	for (i = 0; !cs_scan_is_rootfs(c->s) && i < cs_scan_layer_count(c->s); i++)
		note(c, &notes, "customs:image:diff_id", cs_scan_layer(c->s, i)->diff_id);
	add_notes(c, o, notes);
	return o;
}

static cJSON *os_package(spdx *c, const cs_os *os)
{
	cJSON *o = cs_jb_obj(&c->jb), *notes = NULL;

	c->os_id = "SPDXRef-OperatingSystem";
	cs_jb_add(&c->jb, o, "name", cs_jb_str(&c->jb, os->family ? os->family : ""));
	cs_jb_add_str(&c->jb, o, "SPDXID", c->os_id);
	cs_jb_add_str(&c->jb, o, "versionInfo", os->version);
	package_common(c, o);
	cs_jb_add_str(&c->jb, o, "licenseDeclared", "NOASSERTION");
	cs_jb_add_str(&c->jb, o, "copyrightText", "NOASSERTION");
	cs_jb_add_str(&c->jb, o, "description", os->name);
	cs_jb_add_str(&c->jb, o, "primaryPackagePurpose", "OPERATING_SYSTEM");
	note(c, &notes, "customs:os:family", os->family);
	note(c, &notes, "customs:os:version", os->version);
	note(c, &notes, "customs:os:name", os->name);
	note(c, &notes, "customs:os:codename", os->codename);
	note(c, &notes, "customs:found_in", os->found_in);
	layer_notes(c, &notes, os->layer);
	add_notes(c, o, notes);
	return o;
}

static cJSON *package_json(spdx *c, size_t i)
{
	const cs_package *p = cs_scan_package(c->s, i);
	const char *sup = supplier(c, p);
	cJSON *o = cs_jb_obj(&c->jb), *notes = NULL;

	cs_jb_add(&c->jb, o, "name", cs_jb_str(&c->jb, p->name ? p->name : ""));
	cs_jb_add_str(&c->jb, o, "SPDXID", c->pkg_id[i]);
	cs_jb_add_str(&c->jb, o, "versionInfo", p->version);
	cs_jb_add_str(&c->jb, o, "supplier", sup ? sup : "NOASSERTION");
	package_common(c, o);
	cs_jb_add_str(&c->jb, o, "licenseDeclared", license_declared(c, p));
	cs_jb_add_str(&c->jb, o, "copyrightText", "NOASSERTION");
	if (p->source_name && *p->source_name && cs_rutil_os_package(p))
		cs_jb_add(&c->jb, o, "sourceInfo",
		    cs_jb_str(&c->jb, cs_jb_chk(&c->jb, cs_arena_printf(&c->a, "built package from: %s %s", p->source_name,
						   p->source_version ? p->source_version : ""))));
	purl_ref(c, o, p->purl);
	cs_jb_add_str(&c->jb, o, "primaryPackagePurpose", "LIBRARY");
	note(c, &notes, "customs:package:type", p->type);
	note(c, &notes, "customs:package:arch", p->arch);
	note(c, &notes, "customs:found_in", p->found_in);
	layer_notes(c, &notes, p->layer);
	note(c, &notes, "customs:source:name", p->source_name);
	note(c, &notes, "customs:source:version", p->source_version);
	if (p->third_party)
		note(c, &notes, "customs:third_party", "true");
	if (c->owner[i] >= 0)
		note(c, &notes, "customs:owner", c->pkg_id[c->owner[i]]);
	add_notes(c, o, notes);
	return o;
}

/* SPDXRef-Package-<name>-<n>: n (1-based position) makes it unique whatever the name. */
static int package_ids(spdx *c)
{
	size_t n = cs_scan_package_count(c->s), i;

	if (!(c->pkg_id = cs_arena_calloc(&c->a, n + 1, sizeof(*c->pkg_id))))
		return CS_ENOMEM;
	for (i = 0; i < n; i++) {
		const cs_package *p = cs_scan_package(c->s, i);

		if (!(c->pkg_id[i] = cs_arena_printf(&c->a, "SPDXRef-Package-%s-%zu",
						     idstring(c, p->name, SPDX_NAME_MAX), i + 1)))
			return CS_ENOMEM;
	}
	return 0;
}

/* --- relationships -------------------------------------------------------- */

static void relate(spdx *c, cJSON *rels, const char *from, const char *type, const char *to)
{
	cJSON *r = cs_jb_push(&c->jb, rels, cs_jb_obj(&c->jb));

	cs_jb_add_str(&c->jb, r, "spdxElementId", from);
	cs_jb_add_str(&c->jb, r, "relationshipType", type);
	cs_jb_add_str(&c->jb, r, "relatedSpdxElement", to);
}

/*
 * The document DESCRIBES the image; the image CONTAINS its OS and every
 * package; the OS CONTAINS its OS packages; an OS package CONTAINS the
 * language packages it installed (their owner).
 */
static cJSON *relationships_json(spdx *c)
{
	size_t n = cs_scan_package_count(c->s), i;
	cJSON *rels = cs_jb_arr(&c->jb);

	relate(c, rels, "SPDXRef-DOCUMENT", "DESCRIBES", c->image_id);
	if (c->os_id)
		relate(c, rels, c->image_id, "CONTAINS", c->os_id);
	for (i = 0; i < n; i++)
		relate(c, rels, c->image_id, "CONTAINS", c->pkg_id[i]);
	for (i = 0; c->os_id && i < n; i++)
		if (cs_rutil_os_package(cs_scan_package(c->s, i)) && c->owner[i] < 0)
			relate(c, rels, c->os_id, "CONTAINS", c->pkg_id[i]);
	for (i = 0; i < n; i++)
		if (c->owner[i] >= 0)
			relate(c, rels, c->pkg_id[c->owner[i]], "CONTAINS", c->pkg_id[i]);
	return rels;
}

/* --- the document --------------------------------------------------------- */

int cs_report_spdx_json(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	spdx c = {0};
	const cs_artifact *a = cs_scan_artifact(s);
	const cs_os *os = cs_scan_os(s);
	cJSON *root = NULL, *ci, *pkgs, *rels = NULL;
	char uuid[37];
	size_t i;
	int rc;

	c.s = s;
	cs_arena_init(&c.a);
	cs_map_init(&c.lic_by_text);
	cs_map_init(&c.lic_ids);
	cs_rutil_time(o->now, c.now, sizeof(c.now));
	if ((rc = cs_rutil_scan_uuid(s, "spdx", o->now, uuid, err)) < 0)
		goto done;
	if (cs_rutil_owner_indexes(s, &c.owner) < 0 || package_ids(&c) < 0 ||
	    !(c.annotator = cs_arena_printf(&c.a, "Tool: customs-%s", cs_version()))) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	root = cs_jb_obj(&c.jb);
	cs_jb_add_str(&c.jb, root, "spdxVersion", "SPDX-2.3");
	cs_jb_add_str(&c.jb, root, "dataLicense", "CC0-1.0");
	cs_jb_add_str(&c.jb, root, "SPDXID", "SPDXRef-DOCUMENT");
	cs_jb_add(&c.jb, root, "name", cs_jb_str(&c.jb, cs_rutil_artifact_title(a)));
	/*
	 * A unique URI, never fetched (SPDX 2.3 section 6.5): customs has no
	 * web site, so the reserved .invalid domain (RFC 2606) says so.
	 */
	cs_jb_add(&c.jb, root, "documentNamespace",
	    cs_jb_str(&c.jb, cs_jb_chk(&c.jb, cs_arena_printf(&c.a, "https://customs.invalid/spdx/%s-%s",
					     idstring(&c, cs_rutil_artifact_title(a), SPDX_NAME_MAX), uuid))));
	ci = cs_jb_add(&c.jb, root, "creationInfo", cs_jb_obj(&c.jb));
	cs_jb_add_str(&c.jb, ci, "created", c.now);
	cs_jb_push(&c.jb, cs_jb_add(&c.jb, ci, "creators", cs_jb_arr(&c.jb)), cs_jb_str(&c.jb, c.annotator));
	cs_jb_add_str(&c.jb, ci, "licenseListVersion", cs_spdx_list_version);
	pkgs = cs_jb_add(&c.jb, root, "packages", cs_jb_arr(&c.jb));
	cs_jb_push(&c.jb, pkgs, image_package(&c));
	if (os)
		cs_jb_push(&c.jb, pkgs, os_package(&c, os));
	for (i = 0; !c.jb.oom && i < cs_scan_package_count(s); i++)
		cs_jb_push(&c.jb, pkgs, package_json(&c, i));
	if (!c.jb.oom)
		rels = relationships_json(&c);
	/* after the packages: they declare the LicenseRefs as they meet them */
	if (c.extracted) {
		cs_jb_add(&c.jb, root, "hasExtractedLicensingInfos", c.extracted);
		c.extracted = NULL;
	}
	cs_jb_add(&c.jb, root, "relationships", rels);
	if (c.jb.oom) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	rc = cs_rutil_write_json(out, root, true, err);
	root = NULL; /* written and deleted */
done:
	cJSON_Delete(root);
	cJSON_Delete(c.extracted);
	free(c.owner);
	cs_map_release(&c.lic_by_text);
	cs_map_release(&c.lic_ids);
	cs_arena_release(&c.a);
	return rc;
}
