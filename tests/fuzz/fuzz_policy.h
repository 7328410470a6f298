/*
 * fuzz_policy.h - what the policy fuzz targets share: a small scan to apply
 * parsed files to (packages with purls, vulnerabilities with aliases, KEV,
 * EPSS, CVSS and fix dates, misconfigurations of an image and a
 * Dockerfile), and the contract every parser keeps: a failure has a
 * one-line message and one of the codes it documents.
 */
#ifndef CS_FUZZ_POLICY_H
#define CS_FUZZ_POLICY_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

static const char *fp_tags[] = {"customs/alpine-edited:3.11"};

static inline cs_package *fp_pkg(cs_scan *s, const char *type, const char *name, const char *version,
				 const char *purl)
{
	cs_package *p = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*p));

	if (!p)
		abort();
	p->type = type;
	p->name = p->source_name = name;
	p->version = p->source_version = version;
	p->purl = purl;
	p->found_in = "lib/apk/db/installed";
	if (cs_scan_add_package(s, p) < 0)
		abort();
	return p;
}

static inline void fp_vuln(cs_scan *s, const cs_package *p, const char *id, const char *sev, const char *fixed,
			   const char **aliases, size_t naliases)
{
	static cs_cvss cvss = {"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "nvd"};
	cs_vuln *v = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*v));

	if (!v)
		abort();
	v->id = id;
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = fixed;
	v->severity = sev;
	v->aliases = aliases;
	v->naliases = naliases;
	v->cvss = &cvss;
	v->ncvss = 1;
	v->kev = fixed ? 1 : 0;
	v->epss_score = 0.5;
	v->epss_percentile = 0.9;
	v->published = "2023-01-01T00:00:00Z";
	if (cs_scan_add_vuln(s, v) < 0)
		abort();
}

static inline void fp_misconfig(cs_scan *s, const char *id, const char *path, const char *dockerfile)
{
	cs_misconfig *m = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*m));

	if (!m)
		abort();
	m->id = id;
	m->severity = "high";
	m->path = path;
	m->dockerfile = dockerfile;
	m->line = dockerfile ? 3 : 0;
	m->layer = -1;
	if (cs_scan_add_misconfig(s, m) < 0)
		abort();
}

/* A fresh small scan (free with cs_scan_free). */
static inline cs_scan *fp_scan(void)
{
	static const char *alias[] = {"GHSA-aaaa-bbbb-cccc", "ALPINE-1"};
	cs_scan_opts o;
	cs_scan *s = NULL;
	cs_artifact art;
	cs_package *musl, *ssl, *lodash;
	cs_err err;

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	if (cs_scan_new_inventory(&s, &o, &err) < 0 || !s)
		abort();
	memset(&art, 0, sizeof(art));
	art.name = "alpine-edited.tar";
	art.type = "container_image";
	art.image_id = "sha256:8788c5acf1fc92e42dc0b43c6a2bfdf04e8152058e69aadc5dbdbf3900abb60f";
	art.repo_tags = fp_tags;
	art.nrepo_tags = 1;
	cs_scan_set_artifact(s, &art);
	musl = fp_pkg(s, "apk", "musl", "1.1.23-r0", "pkg:apk/alpine/musl@1.1.23-r0?arch=x86_64&distro=3.11.5");
	ssl = fp_pkg(s, "apk", "libssl1.1", "1.1.1a-r1", "pkg:apk/alpine/libssl1.1@1.1.1a-r1?arch=x86_64");
	lodash = fp_pkg(s, "npm", "lodash", "4.17.15", "pkg:npm/lodash@4.17.15");
	fp_pkg(s, "deb", "odd", "1:2+b1", NULL);
	cs_scan_inventory_done(s);
	fp_vuln(s, musl, "CVE-2019-14697", "critical", "1.1.23-r2", alias, 2);
	fp_vuln(s, ssl, "CVE-2019-1543", "high", NULL, NULL, 0);
	fp_vuln(s, lodash, "GHSA-35jh-r3h4-6jhm", "medium", "4.17.21", NULL, 0);
	cs_scan_sort_vulns(s);
	fp_misconfig(s, "CS-IMG-001", NULL, NULL);
	fp_misconfig(s, "CS-DF-004", NULL, "Dockerfile");
	fp_misconfig(s, "CS-IMG-010", "usr/bin/passwd", NULL);
	return s;
}

/* The contract of a failed parse: a documented code and a one-line message. */
static inline void fp_check_failure(int code, const cs_err *err)
{
	if (code >= 0)
		return;
	if ((code != CS_EFORMAT && code != CS_ELIMIT && code != CS_ENOMEM) || !err->msg[0] ||
	    strpbrk(err->msg, "\n\r")) {
		fprintf(stderr, "broken contract: code %d, message \"%s\"\n", code, err->msg);
		abort();
	}
}

#endif
