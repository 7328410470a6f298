/*
 * sbom.h - SBOM input: a CycloneDX (1.4-1.6) or SPDX (2.2-2.3) JSON
 * document read into a scan of packages, so that the matcher and every
 * report writer work on it as on an image scan (`customs sbom FILE`).
 *
 * sbom.c reads the file (bounded), recognises the format from the content
 * and turns each package URL into a package the way the catalogers name
 * them; cyclonedx.c and spdx.c walk their format and hand each package to
 * cs_sbom_add. The scan has no layers (as for a root filesystem); its OS
 * comes from the document's operating-system component or, failing that,
 * from the distro qualifier of its OS packages' purls.
 */
#ifndef CS_SBOM_H
#define CS_SBOM_H

#include "core/compat.h"
#include "core/error.h"
#include "core/json.h"
#include "core/limits.h"
#include "scan/scan.h"

/*
 * Reads the SBOM at path into a new scan (free with cs_scan_free). The
 * format is recognised from the content. Returns 0, or CS_ENOTFOUND /
 * CS_EIO / CS_EFORMAT / CS_ELIMIT / CS_ENOMEM with a one-line message
 * naming the file in err (*out is then NULL). Problems confined to one
 * package (a malformed purl) are warnings of the scan, not errors.
 */
int cs_sbom_scan(cs_scan **out, const char *path, const cs_scan_opts *opts, cs_err *err);

/*
 * The same for a document already in memory: data[0..len) is untrusted
 * and need not be terminated; name stands for the file in messages and
 * names the artifact when the document names no subject.
 */
int cs_sbom_scan_mem(cs_scan **out, const char *name, const char *data, size_t len, const cs_scan_opts *opts,
		     cs_err *err);

/* --- for the format readers (cyclonedx.c, spdx.c) ------------------------- */

#include "core/map.h"

/* Repo tags kept for the artifact: more is noise, not data. */
#define CS_SBOM_MAX_TAGS 64

typedef struct cs_sbom_owned cs_sbom_owned;

/* Reading state of one document. */
typedef struct cs_sbom {
	cs_scan *scan;           /* the scan being filled; owns every string */
	cs_arena *a;             /* cs_scan_arena(scan) */
	const char *name;        /* the file, for messages; borrowed */
	const cs_limits *lim;
	cs_err *err;
	size_t npackages;        /* added so far */
	size_t nbad_purl;        /* skipped: malformed package URL */
	size_t nno_purl;         /* skipped: a library without a package URL */
	size_t nno_version;      /* skipped: no version in the purl nor the document */
	size_t nbad_entry;       /* skipped: an entry of the wrong JSON type */
	cs_os os;                /* from an operating-system entry */
	bool os_set;
	size_t nos_other;        /* further operating-system entries naming another OS */
	cs_os distro;            /* from the OS packages' purl distro qualifiers */
	bool distro_set;
	size_t ndistro_other;    /* OS package purls naming another distribution */
	cs_artifact art;         /* name set to the subject, else the file */
	bool art_named;          /* customs' own artifact name was read: it stays */
	const char **tags;       /* art.repo_tags, CS_SBOM_MAX_TAGS slots */
	cs_map refs;             /* entry id (bom-ref, SPDXID) -> its cs_package; keys borrowed from the document */
	cs_sbom_owned *owned;    /* packages naming an owner, resolved once all are read */
} cs_sbom;

/*
 * One package as the document describes it, before its purl decides.
 * Strings are borrowed from the document (cs_sbom_add copies them).
 */
typedef struct cs_sbom_pkg {
	const char *ref;         /* the entry's id (bom-ref, SPDXID), or NULL */
	const char *purl;        /* package URL as written, or NULL */
	const char *name;        /* the document's own name (CycloneDX group joined as the purl type
				    joins it, SPDX name), or NULL: only its spelling is kept */
	const char *version;     /* the document's version: used when the purl has none */
	const char *kind;        /* "component", "package": how a warning names the entry */
	const char **licenses;   /* arena array of arena strings, or NULL */
	size_t nlicenses;
	const char *evidence;    /* a location the format itself gives (CycloneDX occurrences), or NULL */
	const char *source_info; /* SPDX sourceInfo, or NULL */
	const char *supplier;    /* who supplies it (CycloneDX supplier.name, SPDX supplier without its
				    "Organization: " part): the maintainer, an rpm's vendor */
	/* set by cs_sbom_pkg_prop from the entry's properties */
	const char *c_src_name, *c_src_version;       /* customs' source package */
	const char *t_src_name, *t_src_version;       /* Trivy's: upstream version ... */
	const char *t_src_release, *t_src_epoch;      /* ... release and epoch */
	const char *found_in;
	int found_rank;          /* who said found_in: customs 3, Trivy 2, syft 1 */
	const char *long_version; /* customs' version too long for the format's field */
	const char *arch;        /* customs' arch: when the purl has none */
	const char *maintainer, *vendor;
	uint64_t installed_size;
	bool third_party;
	const char *owner_ref;   /* id of the OS package whose files hold this one */
} cs_sbom_pkg;

/*
 * Applies one property of a package entry (CycloneDX "properties", SPDX
 * annotations): customs' own ("customs:source:name", "customs:found_in",
 * "customs:owner"...; docs/reports.md lists them), Trivy's
 * ("aquasecurity:trivy:SrcName", ...:FilePath) and syft's
 * ("syft:location:0:path"). Others are ignored.
 */
void cs_sbom_pkg_prop(cs_sbom_pkg *p, const char *name, const char *value);

/*
 * Applies one property of the subject: customs' "customs:artifact:name"
 * (the target the image scan was given, kept as the artifact's name),
 * "customs:image:id", ":manifest_digest", ":repo_tag", ":os",
 * ":architecture", ":variant", and Trivy's ImageID, RepoDigest and
 * RepoTag. Returns 0 or CS_ENOMEM (message in r->err).
 */
int cs_sbom_subject_prop(cs_sbom *r, const char *name, const char *value);

/*
 * Adds one package. Skips (and counts, for the warnings cs_sbom_scan
 * prints once the document is read) one whose purl is malformed or that
 * has no version. Returns 0, CS_ELIMIT past lim->max_sbom_packages, or
 * CS_ENOMEM (message in r->err).
 */
int cs_sbom_add(cs_sbom *r, const cs_sbom_pkg *p);

/*
 * Records an operating-system entry (name as the document gives it:
 * "debian", "alpine", an os-release ID such as "rhel"; pretty: a human
 * name; codename: or NULL). The first one wins; others naming another OS
 * are counted.
 */
int cs_sbom_set_os(cs_sbom *r, const char *name, const char *version, const char *pretty, const char *codename);

/*
 * Names the artifact after the document's subject: name, and version
 * when not NULL or empty (joined with ':' for a container's tag, '@' for a
 * digest or anything else). No-op for a NULL or empty name, or once
 * customs' own artifact name was read.
 */
int cs_sbom_set_subject(cs_sbom *r, const char *name, const char *version, bool container);

/* A copy of untrusted text fit for a message: at most max bytes, control bytes as '?'. */
const char *cs_sbom_quote(cs_sbom *r, const char *s, size_t max);

/* The format readers: 0 or a negative code with the message in r->err. */
int cs_sbom_cyclonedx(cs_sbom *r, const cJSON *doc);
int cs_sbom_spdx(cs_sbom *r, const cJSON *doc);

#endif
