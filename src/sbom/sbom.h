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
	cs_os os;                /* from an operating-system component */
	bool os_set;
	size_t nos_other;        /* further operating-system components naming another OS */
	cs_os distro;            /* from the first OS package purl with a distro qualifier */
	bool distro_set;
	size_t ndistro_other;    /* OS package purls naming another distribution */
	cs_artifact art;         /* name set to the subject, else the file */
} cs_sbom;

/* One package as the document describes it, before its purl decides. */
typedef struct cs_sbom_pkg {
	const char *purl;        /* package URL as written, or NULL */
	const char *name;        /* the document's own name (CycloneDX group joined as the purl type
				    joins it, SPDX name), or NULL: only its spelling is kept */
	const char *version;     /* the document's version: used when the purl has none */
	const char *src_name;    /* source package, or NULL */
	const char *src_version; /* its version: whole, or Trivy's upstream part ... */
	const char *src_release; /* ... with Trivy's release ... */
	const char *src_epoch;   /* ... and epoch, or NULL */
	const char *found_in;    /* file the tool read the package from, or NULL */
	const char **licenses;   /* arena array of arena strings, or NULL */
	size_t nlicenses;
	const char *kind;        /* "component", "package": how a warning names the entry */
} cs_sbom_pkg;

/*
 * Adds one package; strings other than licenses are borrowed and copied.
 * Skips (and counts, for the warnings cs_sbom_scan prints once the
 * document is read) one whose purl is malformed or that has no version.
 * Returns 0, CS_ELIMIT past lim->max_sbom_packages, or CS_ENOMEM (message
 * in r->err).
 */
int cs_sbom_add(cs_sbom *r, const cs_sbom_pkg *p);

/*
 * Records an operating-system entry (name as the document gives it:
 * "debian", "alpine", an os-release ID such as "rhel"; pretty: a human
 * name or NULL). The first one wins; others naming another OS are counted.
 */
int cs_sbom_set_os(cs_sbom *r, const char *name, const char *version, const char *pretty);

/*
 * Names the artifact after the document's subject: name, and version
 * when not NULL or empty (joined with ':' for a tag, '@' for a digest or
 * anything else). No-op for a NULL or empty name.
 */
int cs_sbom_set_subject(cs_sbom *r, const char *name, const char *version, bool container);

/* A copy of untrusted text fit for a message: at most max bytes, control bytes as '?'. */
const char *cs_sbom_quote(cs_sbom *r, const char *s, size_t max);

/* True for "sha256:" and 64 lower-case hex digits, the only digests reports carry. */
bool cs_sbom_is_digest(const char *s);

/* An arena copy of s (NULL stays NULL); sets r->err on CS_ENOMEM. */
const char *cs_sbom_dup(cs_sbom *r, const char *s, bool *nomem);

/* The format readers: 0 or a negative code with the message in r->err. */
int cs_sbom_cyclonedx(cs_sbom *r, const cJSON *doc);
int cs_sbom_spdx(cs_sbom *r, const cJSON *doc);

#endif
