/*
 * reportfix.h - scans built for report-writer tests, without an image:
 * an inventory scan (cs_scan_new_inventory) filled with packages and
 * findings, and a helper that runs a writer into memory.
 *
 * rf_fixture() is one Debian image's worth of everything the writers group
 * and map: OS packages (one with an epoch and a binNMU, one whose source
 * differs), language packages of the aggregated kinds (two Python
 * distributions, a jar) and of the per-file kinds (two Go binaries, an npm
 * lockfile, a .NET deps.json), and findings on both sides with every
 * status, several CVSS scorers, aliases and a missing fix.
 *
 * rf_hostile() holds names, versions, paths and titles with XML and JSON
 * metacharacters, "]]>", control characters and bytes that are not UTF-8.
 */
#ifndef CS_REPORTFIX_H
#define CS_REPORTFIX_H

#include "core/compat.h"
#include "report/report.h"
#include "scan/scan.h"
#include "unit/catfix.h"

#define RF_NOW 1700000000LL /* 2023-11-14T22:13:20Z */

static inline cs_package *rf_pkg(cs_scan *s, const char *type, const char *name, const char *version,
				 const char *found_in, const char *purl)
{
	cs_package *p = cs_arena_alloc(cs_scan_arena(s), sizeof(*p));

	if (!p)
		return NULL;
	p->type = type;
	p->name = name;
	p->version = version;
	p->source_name = name;
	p->source_version = version;
	p->found_in = found_in;
	p->purl = purl;
	p->layer = -1;
	if (cs_scan_add_package(s, p) < 0)
		return NULL;
	return p;
}

static inline cs_vuln *rf_vuln(cs_scan *s, const cs_package *p, const char *id, const char *severity,
			       const char *status, const char *fixed, const char *source)
{
	cs_vuln *v = cs_arena_alloc(cs_scan_arena(s), sizeof(*v));

	if (!v || !p)
		return NULL;
	v->id = id;
	v->package = p;
	v->installed_version = p->source_version;
	v->fixed_version = fixed;
	v->status = status;
	v->severity = severity;
	v->severity_source = source;
	v->data_source = source;
	v->kev = -1;
	v->epss_score = v->epss_percentile = -1;
	if (cs_scan_add_vuln(s, v) < 0)
		return NULL;
	return v;
}

/* An empty inventory scan of an image-like artifact; NULL (a failure counted by the caller) when it cannot be made. */
static inline cs_scan *rf_new(const char *name, const char *family, const char *version)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	cs_artifact a;
	cs_os os;

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	if (cs_scan_new_inventory(&s, &o, &err) < 0) {
		cs_scan_free(s);
		return NULL;
	}
	memset(&a, 0, sizeof(a));
	a.name = name;
	a.type = "sbom";
	cs_scan_set_artifact(s, &a);
	if (family) {
		memset(&os, 0, sizeof(os));
		os.family = family;
		os.version = version;
		os.layer = -1;
		cs_scan_set_os(s, &os);
	}
	return s;
}

/* Ends the fixture: report order for packages and findings; matching "ran". */
static inline void rf_done(cs_scan *s)
{
	cs_scan_inventory_done(s);
	cs_scan_sort_vulns(s);
}

static inline cs_scan *rf_fixture(void)
{
	cs_scan *s = rf_new("registry.example/app:1", "debian", "12.5");
	cs_arena *a;
	cs_package *bash, *bsd, *libc, *req, *flask, *log4j, *app, *tool, *lodash, *json;
	cs_vuln *v;
	cs_cvss *cv;
	const char **al, **refs;

	if (!s)
		return NULL;
	a = cs_scan_arena(s);
	bash = rf_pkg(s, "deb", "bash", "5.2.15-2+b2", "var/lib/dpkg/status", "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12.5");
	bsd = rf_pkg(s, "deb", "bsdutils", "1:2.38.1-5+deb12u1", "var/lib/dpkg/status", "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u1?arch=amd64&distro=debian-12.5");
	libc = rf_pkg(s, "deb", "libc6", "2.36-9+deb12u4", "var/lib/dpkg/status", "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12.5");
	req = rf_pkg(s, "pypi", "requests", "2.28.1", "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA", "pkg:pypi/requests@2.28.1");
	flask = rf_pkg(s, "pypi", "flask", "2.2.2", "usr/local/lib/python3.11/site-packages/Flask-2.2.2.dist-info/METADATA", "pkg:pypi/flask@2.2.2");
	log4j = rf_pkg(s, "maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "opt/app/app.war!WEB-INF/lib/log4j-core-2.14.1.jar", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
	app = rf_pkg(s, "golang", "golang.org/x/net", "v0.7.0", "usr/local/bin/app", "pkg:golang/golang.org/x/net@v0.7.0");
	tool = rf_pkg(s, "golang", "stdlib", "1.20.1", "usr/local/bin/tool", "pkg:golang/stdlib@1.20.1");
	lodash = rf_pkg(s, "npm", "lodash", "4.17.20", "srv/web/package-lock.json", "pkg:npm/lodash@4.17.20");
	json = rf_pkg(s, "nuget", "Newtonsoft.Json", "12.0.1", "app/api.deps.json", "pkg:nuget/Newtonsoft.Json@12.0.1");
	if (!bash || !bsd || !libc || !req || !flask || !log4j || !app || !tool || !lodash || !json) {
		cs_scan_free(s);
		return NULL;
	}
	bash->arch = bsd->arch = libc->arch = "amd64";
	bash->source_version = "5.2.15-2";
	bsd->source_name = "util-linux";
	bsd->source_version = "2.38.1-5+deb12u1";
	libc->source_name = "glibc";
	libc->maintainer = "GNU Libc Maintainers <debian-glibc@lists.debian.org>";
	bash->layer = 0; /* an inventory has no layers: the writers must not look it up */
	req->owner = NULL;
	{
		static const char *const lic[] = {"Apache-2.0"};

		req->licenses = (const char **)lic;
		req->nlicenses = 1;
	}

	/* negligible, no fix, no title: Trivy's LOW, "affected", the empty strings consumers print */
	rf_vuln(s, bash, "CVE-2022-3715", "negligible", "not_fixed", NULL, "debian-tracker");
	v = rf_vuln(s, libc, "CVE-2023-4911", "high", "fixed", "2.36-9+deb12u3", "debian-tracker");
	if (v) {
		v->title = "glibc: buffer overflow in ld.so leading to privilege escalation";
		al = cs_arena_calloc(a, 2, sizeof(*al));
		refs = cs_arena_calloc(a, 2, sizeof(*refs));
		cv = cs_arena_calloc(a, 4, sizeof(*cv));
		if (al && refs && cv) {
			al[0] = "DSA-5514-1";
			v->aliases = al;
			v->naliases = 1;
			refs[0] = "https://security-tracker.debian.org/tracker/CVE-2023-4911";
			refs[1] = "https://www.openwall.com/lists/oss-security/2023/10/03/2";
			v->references = refs;
			v->nreferences = 2;
			/* NVD's 3.1 and 2.0, then Red Hat's 3.1 under an unknown name, a second nvd 3.x ignored */
			cv[0] = (cs_cvss){"3.1", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "nvd"};
			cv[1] = (cs_cvss){"2.0", "AV:L/AC:L/Au:N/C:C/I:C/A:C", 7.2, "nvd"};
			cv[2] = (cs_cvss){"3.1", "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.0, "redhat"};
			cv[3] = (cs_cvss){"3.0", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "nvd"};
			v->cvss = cv;
			v->ncvss = 4;
		}
		v->severity_source = "debian-tracker";
	}
	v = rf_vuln(s, req, "CVE-2023-32681", "medium", "fixed", "2.31.0", "osv-pypi");
	if (v) {
		al = cs_arena_calloc(a, 3, sizeof(*al));
		if (al) {
			al[0] = "GHSA-j8r2-6x86-q33q";
			al[1] = "PYSEC-2023-74";
			v->aliases = al;
			v->naliases = 2;
		}
		v->title = "Unintended leak of Proxy-Authorization header in requests";
		cv = cs_arena_calloc(a, 1, sizeof(*cv));
		if (cv) {
			cv[0] = (cs_cvss){"3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", 6.1, NULL};
			v->cvss = cv;
			v->ncvss = 1;
		}
		v->severity_source = "cvss:3.1/osv-pypi";
	}
	rf_vuln(s, log4j, "CVE-2021-44228", "critical", "fixed", "2.15.0", "osv-maven");
	rf_vuln(s, app, "GHSA-vvpx-j8f3-3w6h", "high", "fixed", "0.7.0", "osv-go");
	rf_vuln(s, lodash, "CVE-2021-23337", "high", "will_not_fix", NULL, "ghsa");
	rf_vuln(s, json, "GHSA-5crp-9r3c-p9vr", "low", "end_of_life", NULL, "osv-nuget");
	rf_vuln(s, tool, "GO-2023-1621", "unknown", "affected", NULL, "osv-go");
	rf_done(s);
	return s;
}

/* Metacharacters of both formats, "]]>", controls and bytes that are not UTF-8. */
#define RF_HOSTILE_NAME "ev\"il<&>'\\]]>\x01\x1b[31m\xff\xfe\xc3\x28"

static inline cs_scan *rf_hostile(void)
{
	cs_scan *s = rf_new("img<&\"']]>\x02\xff", "debian", "12\"<&");
	cs_package *p, *q;
	cs_vuln *v;
	const char **refs;

	if (!s)
		return NULL;
	p = rf_pkg(s, "deb", RF_HOSTILE_NAME, "1.0-1<&>\x7f", "var/lib/dpkg/status", "pkg:deb/debian/x@1");
	q = rf_pkg(s, "npm", "left-pad", "1.0.0", "srv/\xff]]>&<\"'\x03/package-lock.json", NULL);
	if (!p || !q) {
		cs_scan_free(s);
		return NULL;
	}
	p->maintainer = "A <a@example.org>\t\n\r\x0b";
	if ((v = rf_vuln(s, p, "CVE-2024-0001", "critical", "fixed", "1.0-2]]>", "debian-tracker")) != NULL) {
		v->title = "title with ]]> and <tag> & \"quotes\" and \x01 and \xff";
		refs = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*refs));
		if (refs) {
			refs[0] = "https://example.org/?a=1&b=<2>";
			v->references = refs;
			v->nreferences = 1;
		}
	}
	rf_vuln(s, q, "CVE-2024-0002]]>", "weird", "fixed", "\xff", "osv-npm<&>");
	rf_done(s);
	return s;
}

/*
 * cf_scan_layers for a report test: the archive's path goes in path
 * (pathsz bytes), which must outlive the scan, since the scan borrows it as
 * the artifact's name. The archive is removed once scanned.
 */
static inline cs_scan *rf_scan_layers(char *path, size_t pathsz, const cf_entry *const *layers, size_t n)
{
	cs_scan *s = NULL;

	if (!cf_tmpfile(path, pathsz, "report", ".tar"))
		return NULL;
	if (cf_docker_write(path, layers, n))
		s = cf_scan(path, false, 1);
	unlink(path);
	return s;
}

/* The writer's output for s at RF_NOW, malloc'd and NUL-terminated; NULL when it failed. */
static inline char *rf_write(int (*w)(FILE *, const cs_scan *, const cs_report_opts *, cs_err *), const cs_scan *s,
			     size_t *len)
{
	cs_report_opts o;
	cs_err err;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int rc;

	if (!f)
		return NULL;
	memset(&o, 0, sizeof(o));
	o.now = RF_NOW;
	cs_err_clear(&err);
	rc = w(f, s, &o, &err);
	if (fclose(f) != 0 || rc < 0) {
		if (rc < 0)
			fprintf(stderr, "  writer failed: %s\n", err.msg);
		free(buf);
		return NULL;
	}
	if (len)
		*len = n;
	return buf;
}

/* True when the n bytes at p are valid UTF-8 (overlongs and surrogates refused). */
static inline bool rf_utf8_valid(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0;

	while (i < n) {
		size_t k, j;
		uint32_t cp;

		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((u[i] & 0xe0) == 0xc0)
			k = 2, cp = u[i] & 0x1f;
		else if ((u[i] & 0xf0) == 0xe0)
			k = 3, cp = u[i] & 0x0f;
		else if ((u[i] & 0xf8) == 0xf0)
			k = 4, cp = u[i] & 0x07;
		else
			return false;
		if (i + k > n)
			return false;
		for (j = 1; j < k; j++) {
			if ((u[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += k;
	}
	return true;
}

#endif
