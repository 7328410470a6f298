/*
 * test_vulns.c - matching a scanned root filesystem against a database
 * written in the test: source-package lookup with the source version,
 * merging of a CVE's advisories, vendor states, withdrawn records,
 * severity precedence and KEV/EPSS enrichment.
 */
#include "core/compat.h"
#include "match/vulns.h"
#include "unit/test.h"
#include "unit/testutil.h"
#include "vulndb/store.h"

#include <sys/stat.h>

static void write_file(const char *root, const char *rel, const char *text)
{
	char path[4096], dir[4096], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char status[] =
	"Package: libssl3\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: openssl\n"
	"Version: 3.0.11-1~deb12u2\n"
	"\n"
	"Package: zlib1g\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Source: zlib\n"
	"Version: 1:1.2.13.dfsg-1\n"
	"\n"
	"Package: tar\n"
	"Status: install ok installed\n"
	"Architecture: amd64\n"
	"Version: 1.34+dfsg-1.2+deb12u1\n";

static void put(cs_vdb *db, int64_t src, const char *id, const char *const *aliases, size_t naliases,
		const cs_vdb_affected *aff, size_t naff, const cs_vdb_cvss *cvss, size_t ncvss, const char *withdrawn)
{
	cs_vdb_advisory a;
	cs_err err;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.summary = id;
	a.aliases = aliases;
	a.naliases = naliases;
	a.affected = aff;
	a.naffected = naff;
	a.cvss = cvss;
	a.ncvss = ncvss;
	a.withdrawn = withdrawn;
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_put_advisory(db, src, &a, &err), 0);
	if (err.code)
		fprintf(stderr, "  put %s: %s\n", id, err.msg);
}

static const cs_vuln *find(const cs_scan *s, const char *id, const char *pkg)
{
	size_t i;

	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);

		if (!strcmp(v->id, id) && !strcmp(v->package->name, pkg))
			return v;
	}
	return NULL;
}

TEST(debian_rootfs)
{
	char root[] = "/tmp/customs-vulns-XXXXXX", dbpath[4200];
	cs_vdb *db = NULL;
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	int64_t tracker, dsa, nvd;
	const cs_vuln *v;

	if (!mkdtemp(root)) {
		CHECK(!"mkdtemp");
		return;
	}
	write_file(root, "rootfs/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
	write_file(root, "rootfs/etc/debian_version", "12.5\n");
	write_file(root, "rootfs/var/lib/dpkg/status", status);
	snprintf(dbpath, sizeof(dbpath), "%s/db.sqlite", root);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, dbpath, true, &err), 0);
	if (!db)
		goto done;
	CHECK_INT(cs_vdb_begin(db, &err), 0);
	CHECK_INT(cs_vdb_source(db, "debian-tracker", NULL, &tracker, &err), 0);
	CHECK_INT(cs_vdb_source(db, "debian-dsa", NULL, &dsa, &err), 0);
	CHECK_INT(cs_vdb_source(db, "nvd", NULL, &nvd, &err), 0);
	{
		/* The tracker: fixed after the installed source version, with the vendor's urgency. */
		static const cs_vdb_range fix[] = {{NULL, "3.0.13-1~deb12u1", NULL, NULL}};
		static const cs_vdb_affected a1[] = {{"Debian:12", "openssl", CS_VDB_FIXED, "medium", fix, 1, NULL, 0}};
		/* Fixed before the installed version: no finding. */
		static const cs_vdb_range old[] = {{NULL, "3.0.9-1", NULL, NULL}};
		static const cs_vdb_affected a2[] = {{"Debian:12", "openssl", CS_VDB_FIXED, "high", old, 1, NULL, 0}};
		/* Open with no urgency: rated from NVD's CVSS. */
		static const cs_vdb_affected a3[] = {{"Debian:12", "zlib", CS_VDB_NOT_FIXED, NULL, NULL, 0, NULL, 0}};
		/* Not affected in this release, and another release's entry. */
		static const cs_vdb_affected a4[] = {{"Debian:12", "tar", CS_VDB_NOT_AFFECTED, NULL, NULL, 0, NULL, 0},
						     {"Debian:11", "tar", CS_VDB_NOT_FIXED, NULL, NULL, 0, NULL, 0}};
		/* A DSA naming the first CVE: merged into it. */
		static const char *const dsa_alias[] = {"CVE-2024-0001"};
		static const cs_vdb_range dfix[] = {{NULL, "3.0.13-1~deb12u1", NULL, NULL}};
		static const cs_vdb_affected a5[] = {{"Debian:12", "openssl", CS_VDB_FIXED, NULL, dfix, 1, NULL, 0}};
		static const cs_vdb_cvss zc[] = {{"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", -1, "nvd"}};
		static const cs_vdb_affected a6[] = {{"Debian:12", "zlib", CS_VDB_NOT_FIXED, NULL, NULL, 0, NULL, 0}};

		put(db, tracker, "CVE-2024-0001", NULL, 0, a1, 1, NULL, 0, NULL);
		put(db, tracker, "CVE-2023-0002", NULL, 0, a2, 1, NULL, 0, NULL);
		put(db, tracker, "CVE-2024-0003", NULL, 0, a3, 1, NULL, 0, NULL);
		put(db, tracker, "CVE-2024-0004", NULL, 0, a4, 2, NULL, 0, NULL);
		put(db, dsa, "DSA-5600-1", dsa_alias, 1, a5, 1, NULL, 0, NULL);
		put(db, nvd, "CVE-2024-0003", NULL, 0, NULL, 0, zc, 1, NULL);
		put(db, tracker, "CVE-2024-0005", NULL, 0, a6, 1, NULL, 0, "2024-05-01T00:00:00Z");
	}
	{
		cs_vdb_kev k = {"CVE-2024-0003", "2024-03-01", "2024-03-22", false};
		cs_vdb_epss e = {"CVE-2024-0003", 0.42, 0.97, "2024-11-01"};

		CHECK_INT(cs_vdb_put_kev(db, &k, &err), 0);
		CHECK_INT(cs_vdb_put_epss(db, &e, &err), 0);
	}
	CHECK_INT(cs_vdb_commit(db, &err), 0);

	cs_scan_opts_default(&o);
	{
		char rootfs[4200];

		snprintf(rootfs, sizeof(rootfs), "%s/rootfs", root);
		CHECK_INT(cs_scan_run(&s, rootfs, true, &o, &err), 0);
	}
	if (!s)
		goto done;
	CHECK_INT(cs_match_scan(s, db, &err), 0);
	if (err.code)
		fprintf(stderr, "  %s\n", err.msg);
	CHECK_INT(cs_scan_vuln_count(s), 2);

	v = find(s, "CVE-2024-0001", "libssl3");
	CHECK(v != NULL);
	if (v) {
		CHECK_STR(v->installed_version, "3.0.11-1~deb12u2");
		CHECK_STR(v->fixed_version, "3.0.13-1~deb12u1");
		CHECK_STR(v->status, "fixed");
		CHECK_STR(v->severity, "medium");
		CHECK_STR(v->severity_source, "debian-tracker");
		CHECK_STR(v->data_source, "debian-tracker");
		CHECK_INT(v->naliases, 1);
		if (v->naliases)
			CHECK_STR(v->aliases[0], "DSA-5600-1");
		CHECK_INT(v->kev, -1);
	}
	v = find(s, "CVE-2024-0003", "zlib1g");
	CHECK(v != NULL);
	if (v) {
		CHECK(v->fixed_version == NULL);
		CHECK_STR(v->status, "not_fixed");
		CHECK_STR(v->severity, "critical");
		CHECK_STR(v->severity_source, "cvss:3.1/nvd");
		CHECK_INT(v->ncvss, 1);
		if (v->ncvss)
			CHECK(v->cvss[0].score > 9.7 && v->cvss[0].score < 9.9);
		CHECK_INT(v->kev, 1);
		CHECK(v->epss_score > 0.41 && v->epss_score < 0.43);
	}
	CHECK(find(s, "CVE-2023-0002", "libssl3") == NULL);
	CHECK(find(s, "CVE-2024-0004", "tar") == NULL);
	CHECK(find(s, "CVE-2024-0005", "zlib1g") == NULL);
done:
	cs_scan_free(s);
	cs_vdb_close(db);
	rm_tree(root);
}

TEST(targets)
{
	cs_arena a;
	cs_os debian = {"debian", "12.15", NULL, NULL, NULL, 0}, alpine = {"alpine", "3.11.5", NULL, NULL, NULL, 0};
	cs_package deb = {0}, apk = {0}, py = {0}, go = {0}, owned = {0};
	const char *eco, *name, *ver, *scheme;

	cs_arena_init(&a);
	deb.type = "deb", deb.name = "libssl3", deb.version = "3.0.11-1~deb12u2+b1";
	deb.source_name = "openssl", deb.source_version = "3.0.11-1~deb12u2";
	CHECK(cs_match_target(&a, &debian, &deb, &eco, &name, &ver, &scheme));
	CHECK_STR(eco, "Debian:12");
	CHECK_STR(name, "openssl");
	CHECK_STR(ver, "3.0.11-1~deb12u2");
	CHECK_STR(scheme, "deb");
	CHECK(!cs_match_target(&a, &alpine, &deb, &eco, &name, &ver, &scheme));
	apk.type = "apk", apk.name = "libcrypto1.1", apk.version = "1.1.1d-r3", apk.source_name = "openssl";
	CHECK(cs_match_target(&a, &alpine, &apk, &eco, &name, &ver, &scheme));
	CHECK_STR(eco, "Alpine:v3.11");
	CHECK_STR(name, "openssl");
	py.type = "pypi", py.name = "urllib3", py.version = "1.26.12";
	CHECK(cs_match_target(&a, NULL, &py, &eco, &name, &ver, &scheme));
	CHECK_STR(eco, "PyPI");
	CHECK_STR(scheme, "pep440");
	go.type = "golang", go.name = "stdlib", go.version = "go1.19.8";
	CHECK(cs_match_target(&a, NULL, &go, &eco, &name, &ver, &scheme));
	CHECK_STR(eco, "Go");
	CHECK_STR(scheme, "gostd");
	owned = py;
	owned.owner = &deb;
	CHECK(!cs_match_target(&a, NULL, &owned, &eco, &name, &ver, &scheme));
	cs_arena_release(&a);
}

/* Each distribution's ecosystem string, as OSV's ecosystems.json defines it. */
TEST(os_ecosystems)
{
	static const struct {
		const char *type, *family, *version, *pretty, *ecosystem, *name;
	} cases[] = {
		{"deb", "ubuntu", "22.04", NULL, "Ubuntu:22.04:LTS", "openssl"},
		{"deb", "ubuntu", "24.04", NULL, "Ubuntu:24.04:LTS", "openssl"},
		{"deb", "ubuntu", "23.10", NULL, "Ubuntu:23.10", "openssl"},
		{"deb", "ubuntu", "21.04", NULL, "Ubuntu:21.04", "openssl"},
		{"deb", "ubuntu", "14.04", NULL, "Ubuntu:14.04:LTS", "openssl"},
		{"deb", "debian", "11.9", NULL, "Debian:11", "openssl"},
		{"apk", "alpine", "3.19.1", NULL, "Alpine:v3.19", "openssl"},
		{"apk", "wolfi", "20230201", NULL, "Wolfi", "openssl"},
		{"rpm", "rocky", "9.3", NULL, "Rocky Linux:9", "openssl"},
		{"rpm", "alma", "8.9", NULL, "AlmaLinux:8", "openssl-libs"},
		{"rpm", "photon", "5.0", NULL, "Photon OS:5.0", "openssl-libs"},
		{"rpm", "sles", "15.5", "SUSE Linux Enterprise Server 15 SP5",
		 "SUSE:SUSE Linux Enterprise Server 15 SP5", "openssl"},
		{"rpm", "opensuse.leap", "15.5", "openSUSE Leap 15.5", "openSUSE:openSUSE Leap 15.5", "openssl"},
		/* No feed customs can name: no OS findings rather than guesses. */
		{"rpm", "redhat", "9.3", NULL, NULL, NULL},
		{"rpm", "amazon", "2023", NULL, NULL, NULL},
		{"deb", "alpine", "3.19", NULL, NULL, NULL},
		{"rpm", "debian", "12", NULL, NULL, NULL},
		{"deb", "ubuntu", "jammy", NULL, NULL, NULL},
		{"deb", "debian", NULL, NULL, NULL, NULL},
	};
	const char *eco, *name, *ver, *scheme;
	cs_package p = {0};
	cs_arena a;
	size_t i;

	cs_arena_init(&a);
	p.name = "openssl-libs";
	p.source_name = "openssl";
	p.version = p.source_version = "1:3.0.7-25.el9";
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_os os = {cases[i].family, cases[i].version, cases[i].pretty, NULL, NULL, 0};

		p.type = cases[i].type;
		if (!cases[i].ecosystem) {
			CHECK(!cs_match_target(&a, &os, &p, &eco, &name, &ver, &scheme));
			continue;
		}
		CHECK(cs_match_target(&a, &os, &p, &eco, &name, &ver, &scheme));
		CHECK_STR(eco, cases[i].ecosystem);
		CHECK_STR(name, cases[i].name);
		CHECK_STR(scheme, cases[i].type);
	}
	/* A third-party rpm (another vendor's) is not the distribution's to judge. */
	{
		cs_os rocky = {"rocky", "9.3", NULL, NULL, NULL, 0};

		p.type = "rpm";
		p.third_party = true;
		CHECK(!cs_match_target(&a, &rocky, &p, &eco, &name, &ver, &scheme));
	}
	cs_arena_release(&a);
}

TEST_MAIN(TEST_ENTRY(debian_rootfs), TEST_ENTRY(targets), TEST_ENTRY(os_ecosystems))
