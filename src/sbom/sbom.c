/*
 * sbom.c - SBOM input (see sbom.h): the file read whole under a size cap,
 * a cheap pass that refuses absurd nesting and value counts before cJSON
 * builds its tree, the format recognised from the content, and each
 * package URL turned into a package named as the catalogers name them
 * (maven "group:artifact", npm "@scope/name", a Go module path), with the
 * source package the matcher needs for deb, apk and rpm.
 */
#include "core/compat.h"
#include "sbom/sbom.h"
#include "catalog/osrelease.h"
#include "catalog/rpm.h"
#include "core/log.h"
#include "core/purl.h"
#include "core/strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Malformed purls warned about one by one; the rest are counted. */
#define WARN_EACH 5

/* --- small helpers ----------------------------------------------------------- */

const char *cs_sbom_quote(cs_sbom *r, const char *s, size_t max)
{
	size_t n = strnlen(s, max), i;
	char *q;

	/* Do not cut a UTF-8 sequence in two. */
	if (s[n] != '\0')
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	if (!(q = cs_arena_strndup(r->a, s, n)))
		return "?";
	for (i = 0; i < n; i++)
		if ((unsigned char)q[i] < 0x20 || q[i] == 0x7f)
			q[i] = '?';
	return q;
}

/* "sha256:" and 64 lower-case hex digits: the only digests reports carry. */
static bool is_digest(const char *s)
{
	size_t i;

	if (!s || strncmp(s, "sha256:", 7) != 0 || strlen(s) != 7 + 64)
		return false;
	for (i = 7; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* An arena copy of s (NULL stays NULL); *nomem set on failure. */
static const char *sdup(cs_sbom *r, const char *s, bool *nomem)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = cs_arena_strdup(r->a, s)))
		*nomem = true;
	return d;
}

static int nomem(cs_sbom *r)
{
	return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
}

static bool all_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "1:2.3" has an epoch: digits then ':'. */
static bool has_epoch(const char *v)
{
	size_t n = strspn(v, "0123456789");

	return n > 0 && v[n] == ':';
}

static char lower_ascii(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* --- operating system ------------------------------------------------------- */

/*
 * A family from an OS name as SBOM writers give it: Trivy's family ids
 * ("debian", "redhat", "opensuse.leap", older releases' "suse linux
 * enterprise server") or os-release IDs (syft: "rhel", "almalinux",
 * "opensuse-leap"), lower-cased and mapped to the vocabulary
 * catalog/osrelease.c uses.
 */
static const char *family_of(cs_sbom *r, const char *name)
{
	static const struct {
		const char *name, *family;
	} trivy_names[] = {
		{"suse linux enterprise server", "sles"},
		{"suse linux enterprise micro", "slem"},
	};
	char *l = cs_arena_strdup(r->a, name), *p;
	size_t i;

	if (!l)
		return NULL;
	for (p = l; *p; p++)
		*p = lower_ascii(*p);
	for (i = 0; i < CS_ARRAY_LEN(trivy_names); i++)
		if (!strcmp(l, trivy_names[i].name))
			return trivy_names[i].family;
	return cs_osrel_family(l);
}

/*
 * The human name where matching needs one: the SUSE feeds name releases
 * by os-release PRETTY_NAME ("SUSE Linux Enterprise Server 15 SP5"), which
 * an SBOM's "sles 15.5" does not carry.
 */
static const char *pretty_of(cs_sbom *r, const cs_os *os)
{
	const char *v = os->version, *dot;

	if (!strcmp(os->family, "opensuse.tumbleweed"))
		return "openSUSE Tumbleweed";
	if (!v)
		return NULL;
	if (!strcmp(os->family, "opensuse.leap"))
		return cs_arena_printf(r->a, "openSUSE Leap %s", v);
	if (!strcmp(os->family, "sles")) {
		dot = strchr(v, '.');
		if (dot && all_digits(dot + 1) && strcmp(dot + 1, "0") != 0)
			return cs_arena_printf(r->a, "SUSE Linux Enterprise Server %.*s SP%s", (int)(dot - v), v,
					       dot + 1);
		return cs_arena_printf(r->a, "SUSE Linux Enterprise Server %.*s", dot ? (int)(dot - v) : (int)strlen(v),
				       v);
	}
	return NULL;
}

int cs_sbom_set_os(cs_sbom *r, const char *name, const char *version, const char *pretty, const char *codename)
{
	const char *family;
	bool oom = false;

	if (!name || !*name)
		return 0;
	if (!(family = family_of(r, name)))
		return nomem(r);
	if (version && !*version)
		version = NULL;
	if (r->os_set) {
		if (strcmp(family, r->os.family) != 0 || (version && r->os.version && strcmp(version, r->os.version)))
			r->nos_other++;
		return 0;
	}
	memset(&r->os, 0, sizeof(r->os));
	r->os.family = family;
	r->os.version = sdup(r, version, &oom);
	r->os.name = pretty && *pretty ? sdup(r, pretty, &oom) : NULL;
	r->os.codename = codename && *codename ? sdup(r, codename, &oom) : NULL;
	r->os.layer = -1;
	r->os_set = true;
	return oom ? nomem(r) : 0;
}

/*
 * Notes the distribution an OS package's purl names: its "distro"
 * qualifier is "<id>-<version>" (Trivy for deb and rpm, syft, customs:
 * "debian-12.5", "rhel-8.8", "opensuse-leap-15.5") or a bare version
 * (Trivy for apk: "3.11.5"), the family then being the namespace. A
 * qualifier without a version ("debian-bookworm", "jessie") names the
 * family only.
 */
static int note_distro(cs_sbom *r, const cs_purl *u)
{
	const char *d = cs_purl_get(u, "distro"), *id = NULL, *version = NULL, *family;
	size_t idlen = 0, i;

	if (d) {
		for (i = 0; d[i]; i++)
			if (d[i] == '-' && d[i + 1] >= '0' && d[i + 1] <= '9' && i > 0)
				break;
		if (d[i]) {
			id = d;
			idlen = i;
			version = d + i + 1;
		} else if (d[0] >= '0' && d[0] <= '9') {
			version = d;
		}
	}
	if (id) {
		char *idc = cs_arena_strndup(r->a, id, idlen);

		if (!idc)
			return nomem(r);
		family = family_of(r, idc);
	} else if (u->ns) {
		family = family_of(r, u->ns);
	} else {
		return 0;
	}
	if (!family)
		return nomem(r);
	if (!r->distro_set) {
		memset(&r->distro, 0, sizeof(r->distro));
		r->distro.family = family;
		r->distro.version = version;
		r->distro.layer = -1;
		r->distro_set = true;
	} else if (strcmp(family, r->distro.family) != 0) {
		r->ndistro_other++;
	} else if (version && !r->distro.version) {
		r->distro.version = version;
	} else if (version && strcmp(version, r->distro.version) != 0) {
		r->ndistro_other++;
	}
	return 0;
}

/* --- subject ------------------------------------------------------------------ */

int cs_sbom_set_subject(cs_sbom *r, const char *name, const char *version, bool container)
{
	const char *n;

	if (!name || !*name || r->art_named)
		return 0;
	if (version && *version)
		n = cs_arena_printf(r->a, "%s%c%s", name,
				    container && strncmp(version, "sha256:", 7) != 0 ? ':' : '@', version);
	else
		n = cs_arena_strdup(r->a, name);
	if (!n)
		return nomem(r);
	r->art.name = n;
	return 0;
}

int cs_sbom_subject_prop(cs_sbom *r, const char *name, const char *value)
{
	const char *at, **slot = NULL, *v = value;
	bool tag = false;

	if (!name || !value || !*value)
		return 0;
	if (!strcmp(name, "customs:artifact:name")) {
		slot = &r->art.name;
		r->art_named = true;
	} else if (!strcmp(name, "customs:image:id") || !strcmp(name, "aquasecurity:trivy:ImageID")) {
		slot = is_digest(v) ? &r->art.image_id : NULL;
	} else if (!strcmp(name, "customs:image:manifest_digest")) {
		slot = is_digest(v) ? &r->art.manifest_digest : NULL;
	} else if (!strcmp(name, "aquasecurity:trivy:RepoDigest")) {
		/* "repo@sha256:..." names the manifest */
		if ((at = strrchr(v, '@')) && is_digest(at + 1)) {
			slot = &r->art.manifest_digest;
			v = at + 1;
		}
	} else if (!strcmp(name, "customs:image:repo_tag") || !strcmp(name, "aquasecurity:trivy:RepoTag")) {
		tag = true;
	} else if (!strcmp(name, "customs:image:os")) {
		slot = &r->art.os;
	} else if (!strcmp(name, "customs:image:architecture")) {
		slot = &r->art.arch;
	} else if (!strcmp(name, "customs:image:variant")) {
		slot = &r->art.variant;
	}
	if (tag) {
		size_t i;

		for (i = 0; i < r->art.nrepo_tags; i++)
			if (!strcmp(r->tags[i], v))
				return 0; /* Trivy and customs may both name it */
		if (r->art.nrepo_tags == CS_SBOM_MAX_TAGS)
			return 0;
		if (!r->tags && !(r->tags = cs_arena_calloc(r->a, CS_SBOM_MAX_TAGS, sizeof(*r->tags))))
			return nomem(r);
		if (!(r->tags[r->art.nrepo_tags] = cs_arena_strdup(r->a, v)))
			return nomem(r);
		r->art.repo_tags = r->tags;
		r->art.nrepo_tags++;
		return 0;
	}
	if (slot && !(*slot = cs_arena_strdup(r->a, v)))
		return nomem(r);
	return 0;
}

/* --- packages ------------------------------------------------------------------ */

/* The package types customs' catalogers emit, as their constant strings. */
static const char *const known_types[] = {"deb", "apk", "rpm", "pypi", "npm", "golang",
					  "maven", "cargo", "gem", "composer", "nuget"};

static bool is_os_type(const char *t)
{
	return !strcmp(t, "deb") || !strcmp(t, "apk") || !strcmp(t, "rpm");
}

/*
 * The name a cataloger would give: OS packages by name alone (the
 * namespace is the vendor), maven "group:artifact", every other namespace
 * joined with '/' ("@scope/name", "github.com/org/module", "vendor/name").
 */
static const char *package_name(cs_sbom *r, const cs_purl *u)
{
	if (!u->ns || is_os_type(u->type))
		return u->name;
	return cs_arena_printf(r->a, "%s%c%s", u->ns, !strcmp(u->type, "maven") ? ':' : '/', u->name);
}

/*
 * True when the document's own name is the purl's up to what the purl
 * folds (case; for pypi '-', '_' and '.' too): the document keeps the
 * package's spelling ("Flask", "PyYAML") that the purl lost.
 */
static bool same_name(const char *doc, const char *purl, bool pypi)
{
	for (; *doc && *purl; doc++, purl++) {
		char a = lower_ascii(*doc), b = lower_ascii(*purl);

		if (pypi && (a == '_' || a == '.'))
			a = '-';
		if (pypi && (b == '_' || b == '.'))
			b = '-';
		if (a != b)
			return false;
	}
	return !*doc && !*purl;
}

/* version, with the epoch qualifier's epoch when it does not carry one (Trivy writes deb and rpm so). */
static const char *with_epoch(cs_sbom *r, const char *version, const char *epoch)
{
	if (!all_digits(epoch) || strspn(epoch, "0") == strlen(epoch) || has_epoch(version))
		return version;
	return cs_arena_printf(r->a, "%s:%s", epoch, version);
}

void cs_sbom_pkg_prop(cs_sbom_pkg *p, const char *name, const char *value)
{
	const char *k;

	if (!name || !value || !*value)
		return;
	if (!strncmp(name, "customs:", 8)) {
		k = name + 8;
		/* "package:source_*": the names the SBOM writer was first announced with */
		if (!strcmp(k, "source:name") || !strcmp(k, "package:source_name")) {
			p->c_src_name = value;
		} else if (!strcmp(k, "source:version") || !strcmp(k, "package:source_version")) {
			p->c_src_version = value;
		} else if (!strcmp(k, "found_in") || !strcmp(k, "package:found_in")) {
			p->found_in = value;
			p->found_rank = 3;
		} else if (!strcmp(k, "package:version")) {
			p->long_version = value;
		} else if (!strcmp(k, "package:arch")) {
			p->arch = value;
		} else if (!strcmp(k, "package:maintainer")) {
			p->maintainer = value;
		} else if (!strcmp(k, "package:vendor")) {
			p->vendor = value;
		} else if (!strcmp(k, "package:installed_size")) {
			uint64_t n;

			if (cs_parse_u64(value, strlen(value), &n))
				p->installed_size = n;
		} else if (!strcmp(k, "third_party")) {
			p->third_party = !strcmp(value, "true");
		} else if (!strcmp(k, "owner")) {
			p->owner_ref = value;
		}
	} else if (!strncmp(name, "aquasecurity:trivy:", 19)) {
		k = name + 19;
		if (!strcmp(k, "SrcName")) {
			p->t_src_name = value;
		} else if (!strcmp(k, "SrcVersion")) {
			p->t_src_version = value;
		} else if (!strcmp(k, "SrcRelease")) {
			p->t_src_release = value;
		} else if (!strcmp(k, "SrcEpoch")) {
			p->t_src_epoch = value;
		} else if (!strcmp(k, "FilePath") && p->found_rank < 2) {
			p->found_in = value;
			p->found_rank = 2;
		}
	} else if (!strcmp(name, "syft:location:0:path") && p->found_rank < 1) {
		p->found_in = value;
		p->found_rank = 1;
	}
}

static bool epoch_set(const char *e)
{
	return all_digits(e) && strspn(e, "0") != strlen(e);
}

/*
 * The source package of an OS package, from the first of: customs' own
 * properties (whole version), Trivy's (SrcVersion, with SrcRelease and
 * SrcEpoch when given), SPDX sourceInfo "built package from: NAME
 * VERSION" (Trivy's and customs'), the purl's "upstream" qualifier (deb
 * "name" or "name@version", apk the origin, rpm the source rpm file name),
 * else the binary package itself.
 */
static int set_source(cs_sbom *r, const cs_sbom_pkg *in, const cs_purl *u, const char *epoch, cs_package *p)
{
	static const char built[] = "built package from: ";
	const char *up = cs_purl_get(u, "upstream"), *sn = p->name, *sv = p->version, *si = in->source_info;
	bool oom = false;

	if (!is_os_type(p->type)) {
		/* what langcat.c sets for language packages */
	} else if (in->c_src_name) {
		sn = sdup(r, in->c_src_name, &oom);
		if (in->c_src_version)
			sv = sdup(r, in->c_src_version, &oom);
	} else if (in->t_src_name) {
		sn = sdup(r, in->t_src_name, &oom);
		if (in->t_src_version) {
			sv = in->t_src_version;
			if (in->t_src_release && *in->t_src_release)
				sv = cs_arena_printf(r->a, "%s-%s", sv, in->t_src_release);
			if (sv && epoch_set(in->t_src_epoch) && !has_epoch(sv))
				sv = cs_arena_printf(r->a, "%s:%s", in->t_src_epoch, sv);
			else if (sv == in->t_src_version)
				sv = sdup(r, sv, &oom);
			if (!sv)
				oom = true;
		}
	} else if (si && !strncmp(si, built, sizeof(built) - 1) && si[sizeof(built) - 1] &&
		   si[sizeof(built) - 1] != ' ') {
		const char *nm = si + sizeof(built) - 1, *sp = strchr(nm, ' ');

		sn = sp ? cs_arena_strndup(r->a, nm, (size_t)(sp - nm)) : sdup(r, nm, &oom);
		if (sp && sp[1])
			sv = sdup(r, sp + 1, &oom);
		if (!sn)
			oom = true;
	} else if (up && *up) {
		const char *at = strchr(up, '@'), *name, *vr;
		size_t nlen, vrlen;

		if (!strcmp(p->type, "rpm") && cs_rpm_split_source(up, &name, &nlen, &vr, &vrlen)) {
			/* as catalog/rpm.c: the source takes the binary's epoch */
			sn = cs_arena_strndup(r->a, name, nlen);
			if (epoch_set(epoch))
				sv = cs_arena_printf(r->a, "%s:%.*s", epoch, (int)vrlen, vr);
			else
				sv = cs_arena_strndup(r->a, vr, vrlen);
		} else if (!strcmp(p->type, "deb") && at && at > up && at[1]) {
			sn = cs_arena_strndup(r->a, up, (size_t)(at - up));
			sv = at + 1;
		} else {
			sn = up;
		}
		if (!sn || !sv)
			oom = true;
	}
	p->source_name = sn;
	p->source_version = sv;
	return oom ? nomem(r) : 0;
}

/* A package naming its owner by id, resolved once every package is read. */
struct cs_sbom_owned {
	cs_package *p;
	const char *owner_ref; /* borrowed from the document */
	cs_sbom_owned *next;
};

int cs_sbom_add(cs_sbom *r, const cs_sbom_pkg *in)
{
	const char *name, *version, *epoch;
	cs_package *p;
	cs_purl u;
	cs_err perr;
	char *canonical = NULL;
	bool oom = false;
	size_t i;
	int rc;

	if (!in->purl)
		return 0;
	if (r->npackages >= r->lim->max_sbom_packages)
		return cs_err_set(r->err, CS_ELIMIT, "'%s': more than %llu packages", r->name,
				  (unsigned long long)r->lim->max_sbom_packages);
	cs_err_clear(&perr);
	if ((rc = cs_purl_parse(&u, r->a, in->purl, strlen(in->purl), &perr)) == CS_ENOMEM)
		return nomem(r);
	if (rc < 0) {
		if (++r->nbad_purl <= WARN_EACH)
			cs_scan_diag(r->scan, CS_LOG_WARN, "'%s': %s '%s': malformed package url '%s' (%s); skipped",
				     r->name, in->kind, in->name ? cs_sbom_quote(r, in->name, 80) : "",
				     cs_sbom_quote(r, in->purl, 120), perr.msg);
		return 0;
	}
	version = u.version ? u.version : in->long_version && *in->long_version ? in->long_version : in->version;
	if (!version || !*version) {
		r->nno_version++;
		return 0;
	}
	if (!(p = cs_arena_alloc(r->a, sizeof(*p))))
		return nomem(r);
	p->type = u.type;
	for (i = 0; i < CS_ARRAY_LEN(known_types); i++)
		if (!strcmp(u.type, known_types[i]))
			p->type = known_types[i];
	if (!(name = package_name(r, &u)))
		return nomem(r);
	if (in->name && strcmp(in->name, name) != 0 && same_name(in->name, name, !strcmp(p->type, "pypi")))
		name = sdup(r, in->name, &oom);
	p->name = name;
	epoch = cs_purl_get(&u, "epoch");
	if (!strcmp(p->type, "deb") || !strcmp(p->type, "rpm"))
		version = with_epoch(r, version, epoch);
	if (version == in->version || version == in->long_version)
		version = sdup(r, version, &oom);
	p->version = version;
	if (!(p->arch = cs_purl_get(&u, "arch")))
		p->arch = sdup(r, in->arch, &oom);
	if (oom || !p->name || !p->version || (rc = set_source(r, in, &u, epoch, p)) < 0)
		return rc < 0 ? rc : nomem(r);
	/* Reports show the canonical form, the one customs' catalogers write. */
	cs_err_clear(&perr);
	if ((rc = cs_purl_build(&canonical, r->a, &u, &perr)) == CS_ENOMEM)
		return nomem(r);
	p->purl = canonical ? canonical : sdup(r, in->purl, &oom);
	p->found_in = sdup(r, in->found_in ? in->found_in : in->evidence, &oom);
	p->maintainer = sdup(r, in->maintainer, &oom);
	p->vendor = sdup(r, in->vendor, &oom);
	/* customs writes an rpm's vendor, else the maintainer, as the supplier; Trivy the maintainer */
	if (!in->maintainer && !in->vendor && in->supplier && *in->supplier) {
		if (!strcmp(p->type, "rpm"))
			p->vendor = sdup(r, in->supplier, &oom);
		else
			p->maintainer = sdup(r, in->supplier, &oom);
	}
	p->installed_size = in->installed_size;
	p->third_party = in->third_party && is_os_type(p->type);
	p->licenses = in->licenses;
	p->nlicenses = in->nlicenses;
	p->layer = -1;
	if (oom)
		return nomem(r);
	if (is_os_type(p->type) && (rc = note_distro(r, &u)) < 0)
		return rc;
	if ((rc = cs_scan_add_package(r->scan, p)) < 0)
		return nomem(r);
	r->npackages++;
	/* ids and owners: the first entry of an id keeps it */
	if (in->ref && *in->ref && !cs_map_get(&r->refs, in->ref) && cs_map_put(&r->refs, in->ref, p) < 0)
		return nomem(r);
	if (in->owner_ref && *in->owner_ref && !is_os_type(p->type)) {
		cs_sbom_owned *o = cs_arena_alloc(r->a, sizeof(*o));

		if (!o)
			return nomem(r);
		o->p = p;
		o->owner_ref = in->owner_ref;
		o->next = r->owned;
		r->owned = o;
	}
	return 0;
}

/*
 * Links each package to the OS package customs said owns it (an OS
 * package's files hold it: the matcher then leaves it to that package's
 * feed). An id that names no OS package of the document is ignored.
 */
static void resolve_owners(cs_sbom *r)
{
	cs_sbom_owned *o;

	for (o = r->owned; o; o = o->next) {
		const cs_package *owner = cs_map_get(&r->refs, o->owner_ref);

		if (owner && is_os_type(owner->type))
			o->p->owner = owner;
	}
}

/* --- the document -------------------------------------------------------------- */

/*
 * What the bytes are when they are not JSON at all: said plainly rather
 * than as "malformed JSON at byte 0".
 */
static int sniff(const char *p, size_t n, const char *name, cs_err *err)
{
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == n)
		return cs_err_set(err, CS_EFORMAT, "'%s': empty: not a CycloneDX or SPDX JSON document", name);
	if (p[i] == '{')
		return 0;
	if (p[i] == '<')
		return cs_err_set(err, CS_EFORMAT,
				  "'%s': an XML document: only CycloneDX and SPDX JSON documents are read", name);
	if (cs_mem_starts(p + i, n - i, "SPDXVersion:"))
		return cs_err_set(err, CS_EFORMAT,
				  "'%s': an SPDX tag-value document: only SPDX JSON documents are read", name);
	return cs_err_set(err, CS_EFORMAT, "'%s': not a CycloneDX or SPDX JSON document (not a JSON object)", name);
}

/*
 * One pass over the bytes before cJSON builds its tree: the nesting depth,
 * and an upper bound of the number of values (every value but the first
 * follows '[', ':' or ','), so a hostile document is refused before it
 * costs memory or stack. Strings are skipped ('\"' does not end one).
 * Control bytes are refused here too: JSON allows none in strings and only
 * tab, line feed and carriage return between tokens, where cJSON would
 * take any of them (a NUL included) for white space.
 */
static int prescan(const char *p, size_t n, const cs_limits *lim, const char *name, cs_err *err)
{
	uint64_t values = 1;
	uint32_t depth = 0;
	bool in_str = false;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 && (in_str || (c != '\t' && c != '\n' && c != '\r')))
			return cs_err_set(err, CS_EFORMAT, "'%s': malformed JSON: control byte 0x%02x at byte %zu", name,
					  c, i);
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		switch (c) {
		case '"':
			in_str = true;
			break;
		case '[':
		case '{':
			if (++depth > lim->max_sbom_depth)
				return cs_err_set(err, CS_ELIMIT, "'%s': JSON nested deeper than %u levels", name,
						  (unsigned)lim->max_sbom_depth);
			values += c == '[';
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		case ':':
		case ',':
			values++;
			break;
		default:
			break;
		}
		if (values > lim->max_sbom_values)
			return cs_err_set(err, CS_ELIMIT, "'%s': more than %llu JSON values", name,
					  (unsigned long long)lim->max_sbom_values);
	}
	return 0;
}

static bool one_of(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* Recognises the format from the content and hands the document to its reader. */
static int read_doc(cs_sbom *r, const cJSON *doc)
{
	static const char *const cdx_versions[] = {"1.4", "1.5", "1.6"};
	static const char *const spdx_versions[] = {"SPDX-2.2", "SPDX-2.3"};
	const cJSON *bf = cJSON_GetObjectItemCaseSensitive(doc, "bomFormat");
	const cJSON *sv = cJSON_GetObjectItemCaseSensitive(doc, "spdxVersion");
	const char *v;

	if (bf) {
		if (!cJSON_IsString(bf) || strcmp(bf->valuestring, "CycloneDX") != 0)
			return cs_err_set(r->err, CS_EFORMAT, "'%s': bomFormat is not \"CycloneDX\"", r->name);
		if (!(v = cs_json_str(doc, "specVersion")))
			return cs_err_set(r->err, CS_EFORMAT, "'%s': CycloneDX document without a specVersion string",
					  r->name);
		if (!one_of(v, cdx_versions, CS_ARRAY_LEN(cdx_versions)))
			return cs_err_set(r->err, CS_EFORMAT,
					  "'%s': CycloneDX specVersion %s is not supported (1.4, 1.5, 1.6)", r->name,
					  cs_sbom_quote(r, v, 16));
		return cs_sbom_cyclonedx(r, doc);
	}
	if (sv) {
		if (!cJSON_IsString(sv))
			return cs_err_set(r->err, CS_EFORMAT, "'%s': spdxVersion is not a string", r->name);
		if (!one_of(sv->valuestring, spdx_versions, CS_ARRAY_LEN(spdx_versions)))
			return cs_err_set(r->err, CS_EFORMAT, "'%s': spdxVersion %s is not supported (SPDX-2.2, SPDX-2.3)",
					  r->name, cs_sbom_quote(r, sv->valuestring, 16));
		return cs_sbom_spdx(r, doc);
	}
	if (cJSON_GetObjectItemCaseSensitive(doc, "@context") && cJSON_GetObjectItemCaseSensitive(doc, "@graph"))
		return cs_err_set(r->err, CS_EFORMAT,
				  "'%s': a JSON-LD document (SPDX 3?): only SPDX 2.2 and 2.3 are read", r->name);
	return cs_err_set(r->err, CS_EFORMAT,
			  "'%s': not a CycloneDX or SPDX JSON document (no bomFormat or spdxVersion)", r->name);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Warnings for what was skipped, the OS, then the scan in report order. */
static int finish(cs_sbom *r)
{
	const cs_os *os = r->os_set ? &r->os : r->distro_set ? &r->distro : NULL;

	resolve_owners(r);
	if (r->nbad_purl > WARN_EACH)
		cs_scan_diag(r->scan, CS_LOG_WARN, "'%s': skipped %zu more entr%s with a malformed package url", r->name,
			     r->nbad_purl - WARN_EACH, plural(r->nbad_purl - WARN_EACH, "y", "ies"));
	if (r->nno_version)
		cs_scan_diag(r->scan, CS_LOG_WARN, "'%s': skipped %zu package%s without a version", r->name,
			     r->nno_version, plural(r->nno_version, "", "s"));
	if (r->nno_purl)
		cs_scan_diag(r->scan, CS_LOG_WARN, "'%s': skipped %zu librar%s without a package url (not matched)",
			     r->name, r->nno_purl, plural(r->nno_purl, "y", "ies"));
	if (r->nbad_entry)
		cs_scan_diag(r->scan, CS_LOG_WARN, "'%s': skipped %zu entr%s that %s not JSON objects", r->name,
			     r->nbad_entry, plural(r->nbad_entry, "y", "ies"), plural(r->nbad_entry, "is", "are"));
	if (r->npackages == 0)
		cs_scan_diag(r->scan, CS_LOG_WARN, "'%s': no package with a package url: nothing to match", r->name);
	if (os) {
		cs_os o = *os;

		if (!o.name)
			o.name = pretty_of(r, &o);
		cs_scan_set_os(r->scan, &o);
		if (r->nos_other)
			cs_scan_diag(r->scan, CS_LOG_WARN,
				     "'%s': %zu more operating-system entr%s name another OS; using %s %s", r->name,
				     r->nos_other, plural(r->nos_other, "y", "ies"), o.family, o.version ? o.version : "");
		else if (!r->os_set && r->ndistro_other)
			cs_scan_diag(r->scan, CS_LOG_WARN,
				     "'%s': %zu package url%s name another distribution; using %s %s", r->name,
				     r->ndistro_other, plural(r->ndistro_other, "", "s"), o.family,
				     o.version ? o.version : "");
	}
	cs_scan_set_artifact(r->scan, &r->art);
	cs_scan_inventory_done(r->scan);
	return 0;
}

int cs_sbom_scan_mem(cs_scan **out, const char *name, const char *data, size_t len, const cs_scan_opts *opts,
		     cs_err *err)
{
	const cs_limits *lim = &opts->limits;
	cs_scan *s = NULL;
	cJSON *doc = NULL;
	char *what = NULL;
	cs_sbom r;
	int rc;

	*out = NULL;
	if (len > lim->max_sbom)
		return cs_err_set(err, CS_ELIMIT, "'%s': larger than %llu bytes, the limit for an SBOM", name,
				  (unsigned long long)lim->max_sbom);
	/* A UTF-8 byte order mark, as some Windows tools write, is not JSON. */
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		len -= 3;
	}
	if ((rc = sniff(data, len, name, err)) < 0 || (rc = prescan(data, len, lim, name, err)) < 0)
		return rc;
	memset(&r, 0, sizeof(r));
	cs_map_init(&r.refs);
	if ((rc = cs_scan_new_inventory(&s, opts, err)) < 0)
		goto done;
	r.scan = s;
	r.a = cs_scan_arena(s);
	r.name = name;
	r.lim = lim;
	r.err = err;
	r.art.type = "sbom";
	if (!(r.art.name = cs_arena_strdup(r.a, name)) || !(what = cs_arena_printf(r.a, "'%s'", name))) {
		rc = nomem(&r);
		goto done;
	}
	if (!(doc = cs_json_parse(data, len, what, err))) {
		rc = err->code < 0 ? err->code : CS_EFORMAT;
		goto done;
	}
	if (!cJSON_IsObject(doc)) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': not a CycloneDX or SPDX JSON document", name);
		goto done;
	}
	if ((rc = read_doc(&r, doc)) == 0)
		rc = finish(&r);
done:
	cs_map_release(&r.refs);
	cJSON_Delete(doc);
	if (rc < 0) {
		cs_scan_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* Reads the whole file: one byte past the limit tells it was passed. */
static int read_file(char **out, size_t *len, const char *path, uint64_t max, cs_err *err)
{
	size_t cap = 0, n = 0, limit = max > SIZE_MAX - 2 ? SIZE_MAX - 2 : (size_t)max;
	char *buf = NULL;
	struct stat st;
	int fd, rc = 0;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return cs_err_set(err, errno == ENOENT || errno == ENOTDIR ? CS_ENOTFOUND : CS_EIO, "cannot read '%s': %s",
				  path, strerror(errno));
	/* A regular file says its size: refuse a huge one before reading it (a pipe is counted as read). */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		close(fd);
		return cs_err_set(err, CS_ELIMIT, "'%s': larger than %llu bytes, the limit for an SBOM", path,
				  (unsigned long long)max);
	}
	for (;;) {
		ssize_t got;

		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			char *p;

			if (ncap > limit + 1)
				ncap = limit + 1;
			if (!(p = realloc(buf, ncap + 1))) {
				rc = cs_err_set(err, CS_ENOMEM, "cannot read '%s': out of memory", path);
				break;
			}
			buf = p;
			cap = ncap;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = cs_err_set(err, CS_EIO, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > limit) {
			rc = cs_err_set(err, CS_ELIMIT, "'%s': larger than %llu bytes, the limit for an SBOM", path,
					(unsigned long long)max);
			break;
		}
	}
	close(fd);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = n;
	return 0;
}

int cs_sbom_scan(cs_scan **out, const char *path, const cs_scan_opts *opts, cs_err *err)
{
	char *data;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = read_file(&data, &len, path, opts->limits.max_sbom, err)) < 0)
		return rc;
	rc = cs_sbom_scan_mem(out, path, data ? data : "", len, opts, err);
	free(data);
	return rc;
}
