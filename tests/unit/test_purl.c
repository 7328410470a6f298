/*
 * test_purl.c - the purl builder against the purl-spec's own examples.
 *
 * The "build" cases come from package-url/purl-spec (types/deb-definition
 * examples, tests/types/deb-test.json, tests/spec/specification-test.json)
 * and the Debian cases customs emits; the failures are the spec's
 * "expected_failure" build cases. The "parse" cases are the spec's
 * test-suite-data.json (generic parsing: the type-specific rules such as
 * "swift needs a namespace" are not checked), what Trivy and syft write in
 * SBOMs, and hostile strings; each parsed purl is built again and must give
 * the canonical form.
 */
#include "core/compat.h"
#include "core/purl.h"

#include "core/arena.h"
#include "unit/test.h"

typedef struct build_case {
	const char *type, *ns, *name, *version;
	cs_purl_qualifier q[4];
	const char *subpath;
	const char *want; /* NULL: must fail with CS_EUSAGE */
} build_case;

static const build_case cases[] = {
	/* purl-spec deb examples */
	{"deb", "debian", "curl", "7.50.3-1", {{"distro", "jessie"}, {"arch", "i386"}}, NULL,
	 "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"},
	{"deb", "debian", "dpkg", "1.19.0.4", {{"arch", "amd64"}, {"distro", "stretch"}}, NULL,
	 "pkg:deb/debian/dpkg@1.19.0.4?arch=amd64&distro=stretch"},
	{"deb", "ubuntu", "dpkg", "1.19.0.4", {{"arch", "amd64"}}, NULL, "pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64"},
	{"deb", "debian", "attr", "1:2.4.47-2", {{"arch", "source"}}, NULL,
	 "pkg:deb/debian/attr@1:2.4.47-2?arch=source"},
	{"deb", "debian", "attr", "1:2.4.47-2+b1", {{"arch", "amd64"}}, NULL,
	 "pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64"},
	/* what the dpkg cataloger emits */
	{"deb", "debian", "libc6", "2.36-9+deb12u4", {{"arch", "amd64"}, {"distro", "debian-12"}}, NULL,
	 "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"},
	{"deb", "debian", "libstdc++6", "12.2.0-14", {{"upstream", "gcc-12"}, {"arch", "amd64"}}, NULL,
	 "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&upstream=gcc-12"},
	{"deb", "debian", "bash", "5.2.15-2+b2", {{"upstream", "bash@5.2.15-2"}}, NULL,
	 "pkg:deb/debian/bash@5.2.15-2%2Bb2?upstream=bash%405.2.15-2"},
	/* deb namespace and name are case-insensitive: lower-cased */
	{"DEB", "Debian", "Curl", "7.50.3-1", {{"Arch", "i386"}}, NULL, "pkg:deb/debian/curl@7.50.3-1?arch=i386"},
	/* other types keep their case */
	{"npm", "@angular", "animation", "12.3.1", {{NULL, NULL}}, NULL, "pkg:npm/%40angular/animation@12.3.1"},
	{"maven", "org.apache.xmlgraphics", "batik-anim", "1.9.1", {{"packaging", "sources"}}, NULL,
	 "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?packaging=sources"},
	{"golang", "google.golang.org", "genproto", NULL, {{NULL, NULL}}, "googleapis/api/annotations",
	 "pkg:golang/google.golang.org/genproto#googleapis/api/annotations"},
	{"golang", "github.com/gorilla", "context", "234fd47e07d1004f0aed9c", {{NULL, NULL}}, NULL,
	 "pkg:golang/github.com/gorilla/context@234fd47e07d1004f0aed9c"},
	{"generic", NULL, "openssl", "1.1.10g", {{"checksum", "sha1:ad9503c3e994a4f,sha256:41bf9088b3a1e6c1ef1d"}},
	 NULL, "pkg:generic/openssl@1.1.10g?checksum=sha1:ad9503c3e994a4f%2Csha256:41bf9088b3a1e6c1ef1d"},
	{"pypi", NULL, "Django_package", "1.11.1", {{NULL, NULL}}, NULL, "pkg:pypi/django-package@1.11.1"},
	{"github", "Package-URL", "purl-spec", "244fd47e07d1004f0aed9c", {{NULL, NULL}}, NULL,
	 "pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c"},
	/* encoding: space, '#', '?', '@', '/', non-ASCII; ':' stays */
	{"generic", "a b", "x#y?z@w/v", "1:2 3", {{"k", "a&b=c"}}, NULL,
	 "pkg:generic/a%20b/x%23y%3Fz%40w%2Fv@1:2%203?k=a%26b%3Dc"},
	{"generic", NULL, "caf\xc3\xa9", NULL, {{NULL, NULL}}, NULL, "pkg:generic/caf%C3%A9"},
	/* slashes around the namespace and name are not part of them */
	{"generic", "/a//b/", "/name/", NULL, {{NULL, NULL}}, NULL, "pkg:generic/a/b/name"},
	/* empty qualifier values are dropped, keys sorted and lower-cased */
	{"generic", NULL, "x", "1", {{"Zeta", "z"}, {"alpha", ""}, {"beta", NULL}, {"a.b-c_d", "v"}}, NULL,
	 "pkg:generic/x@1?a.b-c_d=v&zeta=z"},
	/* subpath: "." and ".." segments and empty ones go */
	{"generic", NULL, "x", NULL, {{NULL, NULL}}, "/./a/../b//c/", "pkg:generic/x#a/b/c"},
	/* spec failures */
	{NULL, NULL, "nginx", "0.8.9", {{NULL, NULL}}, NULL, NULL},
	{"3nginx", NULL, "nginx", "0.8.9", {{NULL, NULL}}, NULL, NULL},
	{"nginx:a", NULL, "nginx", "0.8.9", {{NULL, NULL}}, NULL, NULL},
	{"n&g?inx", NULL, "nginx", "0.8.9", {{NULL, NULL}}, NULL, NULL},
	{"maven", NULL, NULL, NULL, {{NULL, NULL}}, NULL, NULL},
	{"maven", NULL, "//", NULL, {{NULL, NULL}}, NULL, NULL},
	{"npm", NULL, "myartifact", "1.0.0", {{"in production", "true"}}, NULL, NULL},
	{"npm", NULL, "myartifact", "1.0.0", {{"1key", "true"}}, NULL, NULL},
	{"npm", NULL, "myartifact", "1.0.0", {{"arch", "a"}, {"ARCH", "b"}}, NULL, NULL},
};

static size_t nquals(const build_case *c)
{
	size_t n = 0;

	while (n < CS_ARRAY_LEN(c->q) && c->q[n].key)
		n++;
	return n;
}

TEST(build)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		const build_case *c = &cases[i];
		cs_purl p = {c->type, c->ns, c->name, c->version, c->q, nquals(c), c->subpath};
		cs_arena a;
		cs_err err;
		char *out = (char *)"unset";
		int rc;

		cs_arena_init(&a);
		cs_err_clear(&err);
		rc = cs_purl_build(&out, &a, &p, &err);
		if (c->want) {
			CHECK_INT(rc, 0);
			CHECK_STR(out, c->want);
		} else {
			CHECK_INT(rc, CS_EUSAGE);
			CHECK(out == NULL);
			CHECK(err.msg[0] != '\0');
		}
		cs_arena_release(&a);
	}
}

TEST(every_byte)
{
	cs_arena a;
	cs_err err;
	char name[256], *out = NULL;
	cs_purl p = {"generic", NULL, name, NULL, NULL, 0, NULL};
	size_t i, plain = 0;

	for (i = 1; i < 256; i++)
		name[i - 1] = (char)i;
	name[255] = '\0';
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_purl_build(&out, &a, &p, &err), 0);
	if (out) {
		const char *s = out + strlen("pkg:generic/");

		/* Every byte but the 67 plain ones (letters, digits, ".-_~:") became %XX. */
		for (; *s; s++) {
			if (*s == '%') {
				CHECK(s[1] && s[2]);
				s += 2;
			} else {
				plain++;
			}
		}
		CHECK_INT(plain, 67);
		CHECK_INT(strlen(out), strlen("pkg:generic/") + 67 + (size_t)(255 - 67) * 3);
	}
	cs_arena_release(&a);
}

typedef struct parse_case {
	const char *in;
	const char *type, *ns, *name, *version, *subpath;
	const char *quals;     /* "k=v;k=v" in the order written, or NULL */
	const char *canonical; /* NULL: must fail with CS_EFORMAT */
} parse_case;

static const parse_case parses[] = {
	/* purl-spec test-suite-data.json */
	{"pkg:maven/org.apache.commons/io@1.3.4", "maven", "org.apache.commons", "io", "1.3.4", NULL, NULL,
	 "pkg:maven/org.apache.commons/io@1.3.4"},
	{"pkg:maven/org.apache.commons/io", "maven", "org.apache.commons", "io", NULL, NULL, NULL,
	 "pkg:maven/org.apache.commons/io"},
	{"pkg:GOLANG/google.golang.org/genproto#/googleapis/api/annotations/", "golang", "google.golang.org",
	 "genproto", NULL, "googleapis/api/annotations", NULL,
	 "pkg:golang/google.golang.org/genproto#googleapis/api/annotations"},
	{"pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/api/annotations/", "golang", "google.golang.org",
	 "genproto", "abcdedf", "googleapis/api/annotations", NULL,
	 "pkg:golang/google.golang.org/genproto@abcdedf#googleapis/api/annotations"},
	{"pkg:bitbucket/birKenfeld/pyGments-main@244fd47e07d1014f0aed9c", "bitbucket", "birkenfeld", "pygments-main",
	 "244fd47e07d1014f0aed9c", NULL, NULL, "pkg:bitbucket/birkenfeld/pygments-main@244fd47e07d1014f0aed9c"},
	{"pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie", "deb", "debian", "curl", "7.50.3-1", NULL,
	 "arch=i386;distro=jessie", "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie"},
	{"pkg:docker/customer/dockerimage@sha256:244fd47e07d1004f0aed9c?repository_url=gcr.io", "docker", "customer",
	 "dockerimage", "sha256:244fd47e07d1004f0aed9c", NULL, "repository_url=gcr.io",
	 "pkg:docker/customer/dockerimage@sha256:244fd47e07d1004f0aed9c?repository_url=gcr.io"},
	{"pkg:gem/jruby-launcher@1.1.2?Platform=java", "gem", NULL, "jruby-launcher", "1.1.2", NULL,
	 "platform=java", "pkg:gem/jruby-launcher@1.1.2?platform=java"},
	{"pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=repo.spring.io/release",
	 "maven", "org.apache.xmlgraphics", "batik-anim", "1.9.1", NULL,
	 "classifier=sources;repository_url=repo.spring.io/release",
	 "pkg:maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repository_url=repo.spring.io%2Frelease"},
	{"pkg:npm/%40angular/animation@12.3.1", "npm", "@angular", "animation", "12.3.1", NULL, NULL,
	 "pkg:npm/%40angular/animation@12.3.1"},
	{"pkg:Nuget/EnterpriseLibrary.Common@6.0.1304", "nuget", NULL, "EnterpriseLibrary.Common", "6.0.1304", NULL,
	 NULL, "pkg:nuget/EnterpriseLibrary.Common@6.0.1304"},
	{"pkg:PYPI/Django_package@1.11.1.dev1", "pypi", NULL, "django-package", "1.11.1.dev1", NULL, NULL,
	 "pkg:pypi/django-package@1.11.1.dev1"},
	{"pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25", "rpm", "fedora", "curl", "7.50.3-1.fc25",
	 NULL, "arch=i386;distro=fedora-25", "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25"},
	{"pkg:/maven/org.apache.commons/io", "maven", "org.apache.commons", "io", NULL, NULL, NULL,
	 "pkg:maven/org.apache.commons/io"},
	{"pkg://maven/org.apache.commons/io", "maven", "org.apache.commons", "io", NULL, NULL, NULL,
	 "pkg:maven/org.apache.commons/io"},
	{"pkg:///maven/org.apache.commons/io", "maven", "org.apache.commons", "io", NULL, NULL, NULL,
	 "pkg:maven/org.apache.commons/io"},
	{"pkg:maven/HTTPClient/HTTPClient@0.3-3", "maven", "HTTPClient", "HTTPClient", "0.3-3", NULL, NULL,
	 "pkg:maven/HTTPClient/HTTPClient@0.3-3"},
	{"pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value", "maven", "mygroup", "myartifact",
	 "1.0.0 Final", NULL, "mykey=my value", "pkg:maven/mygroup/myartifact@1.0.0%20Final?mykey=my%20value"},
	{"pkg:conan/bincrafters/cctz@2.3?channel=stable", "conan", "bincrafters", "cctz", "2.3", NULL,
	 "channel=stable", "pkg:conan/bincrafters/cctz@2.3?channel=stable"},
	{"pkg:swift/github.com/Alamofire/Alamofire@5.4.3", "swift", "github.com/Alamofire", "Alamofire", "5.4.3", NULL,
	 NULL, "pkg:swift/github.com/Alamofire/Alamofire@5.4.3"},
	{"pkg:npm/packageurl-js@0.0.7?vcs_url=git%2Bhttps%3A%2F%2Fgithub.com%2Fpackage-url%2Fpackageurl-js.git", "npm",
	 NULL, "packageurl-js", "0.0.7", NULL, "vcs_url=git+https://github.com/package-url/packageurl-js.git",
	 "pkg:npm/packageurl-js@0.0.7?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpackage-url%2Fpackageurl-js.git"},
	{"EnterpriseLibrary.Common@6.0.1304", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:EnterpriseLibrary.Common@6.0.1304", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:maven/@1.3.4", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:npm/myartifact@1.0.0?in%20production=true", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:hackage", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	/* specification-test.json */
	{"pkg:n&g?inx/nginx@0.8.9", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:3nginx/nginx@0.8.9", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:nginx:a/nginx@0.8.9", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg%3Amaven/org.apache.commons/io", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	/* what SBOM writers emit: Trivy (epoch qualifier, apk distro = version), syft (upstream, package-id) */
	{"pkg:deb/debian/libgmp10@6.2.1+dfsg1-1.1?arch=amd64&epoch=2&distro=debian-12.15", "deb", "debian", "libgmp10",
	 "6.2.1+dfsg1-1.1", NULL, "arch=amd64;epoch=2;distro=debian-12.15",
	 "pkg:deb/debian/libgmp10@6.2.1%2Bdfsg1-1.1?arch=amd64&distro=debian-12.15&epoch=2"},
	{"pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=3.11.5", "apk", "alpine", "musl", "1.1.24-r2", NULL,
	 "arch=x86_64;distro=3.11.5", "pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=3.11.5"},
	{"pkg:deb/ubuntu/libc6@2.39-0ubuntu8.5?arch=amd64&distro=ubuntu-24.04&package-id=e5ce6cffe73640d3&upstream=glibc",
	 "deb", "ubuntu", "libc6", "2.39-0ubuntu8.5", NULL,
	 "arch=amd64;distro=ubuntu-24.04;package-id=e5ce6cffe73640d3;upstream=glibc",
	 "pkg:deb/ubuntu/libc6@2.39-0ubuntu8.5?arch=amd64&distro=ubuntu-24.04&package-id=e5ce6cffe73640d3&upstream=glibc"},
	{"pkg:deb/debian/bash@5.2.15-2%2Bb2?upstream=bash%405.2.15-2", "deb", "debian", "bash", "5.2.15-2+b2", NULL,
	 "upstream=bash@5.2.15-2", "pkg:deb/debian/bash@5.2.15-2%2Bb2?upstream=bash%405.2.15-2"},
	/* an npm scope written with a literal '@', with and without a version */
	{"pkg:npm/@babel/core@7.24.0", "npm", "@babel", "core", "7.24.0", NULL, NULL, "pkg:npm/%40babel/core@7.24.0"},
	{"pkg:npm/@babel/core", "npm", "@babel", "core", NULL, NULL, NULL, "pkg:npm/%40babel/core"},
	/* empty qualifier values and empty pairs go; an empty version is none */
	{"pkg:generic/x@?a=&&b=1&", "generic", NULL, "x", NULL, NULL, "b=1", "pkg:generic/x?b=1"},
	/* hostile */
	{"pkg:generic/x%", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x%4", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x%zz", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x@1%G0", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x%00y", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x\ty", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x@1\x7f", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x?a=%", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x#a/%2", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x?a=1&A=2", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x?novalue", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/x?=v", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:/", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkg:generic/a/b/@1", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pk:generic/x", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
	{"pkgs:generic/x", NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

/* Checks p's qualifiers against "k=v;k=v". */
static void check_quals(const cs_purl *p, const char *want, const char *in)
{
	char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->nqualifiers; i++) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s=%s", i ? ";" : "", p->qualifiers[i].key,
				      p->qualifiers[i].value);
		if (n >= sizeof(buf))
			break;
	}
	if (strcmp(buf, want ? want : "") != 0) {
		fprintf(stderr, "  %s: qualifiers \"%s\", expected \"%s\"\n", in, buf, want ? want : "");
		test_failures++;
	}
}

TEST(parse)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(parses); i++) {
		const parse_case *c = &parses[i];
		cs_purl p;
		cs_arena a;
		cs_err err;
		char *back = NULL;
		int rc;

		cs_arena_init(&a);
		cs_err_clear(&err);
		rc = cs_purl_parse(&p, &a, c->in, strlen(c->in), &err);
		if (!c->canonical) {
			if (rc != CS_EFORMAT || !err.msg[0]) {
				fprintf(stderr, "  '%s' parsed (rc %d), expected a format error\n", c->in, rc);
				test_failures++;
			}
			cs_arena_release(&a);
			continue;
		}
		if (rc != 0) {
			fprintf(stderr, "  '%s': %s\n", c->in, err.msg);
			test_failures++;
			cs_arena_release(&a);
			continue;
		}
		CHECK_STR(p.type, c->type);
		CHECK_STR(p.ns, c->ns);
		CHECK_STR(p.name, c->name);
		CHECK_STR(p.version, c->version);
		CHECK_STR(p.subpath, c->subpath);
		check_quals(&p, c->quals, c->in);
		CHECK_INT(cs_purl_build(&back, &a, &p, &err), 0);
		CHECK_STR(back, c->canonical);
		cs_arena_release(&a);
	}
}

TEST(parse_get_and_bounds)
{
	cs_arena a;
	cs_err err;
	cs_purl p;
	char *big;
	size_t i, n = 70 * 1024;

	cs_arena_init(&a);
	cs_err_clear(&err);
	big = (char *)"pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1";
	CHECK_INT(cs_purl_parse(&p, &a, big, strlen(big), &err), 0);
	CHECK_STR(cs_purl_get(&p, "epoch"), "1");
	CHECK_STR(cs_purl_get(&p, "arch"), "x86_64");
	CHECK(cs_purl_get(&p, "distro") == NULL);
	/* the length given bounds the read: no terminator needed */
	CHECK_INT(cs_purl_parse(&p, &a, "pkg:gem/rails@7.1.0XXXX", 19, &err), 0);
	CHECK_STR(p.version, "7.1.0");
	/* an embedded NUL */
	CHECK_INT(cs_purl_parse(&p, &a, "pkg:gem/ra\0ils@7", 16, &err), CS_EFORMAT);
	/* too long, and too many qualifiers */
	big = malloc(n + 1);
	CHECK(big != NULL);
	if (big) {
		memcpy(big, "pkg:generic/x", 13);
		memset(big + 13, 'a', n - 13);
		cs_err_clear(&err);
		CHECK_INT(cs_purl_parse(&p, &a, big, n, &err), CS_EFORMAT);
		n = (size_t)snprintf(big, n, "pkg:generic/x?");
		for (i = 0; i < 65; i++)
			n += (size_t)snprintf(big + n, 64, "%sk%zu=v", i ? "&" : "", i);
		cs_err_clear(&err);
		CHECK_INT(cs_purl_parse(&p, &a, big, n, &err), CS_EFORMAT);
		free(big);
	}
	cs_arena_release(&a);
}

TEST_MAIN(TEST_ENTRY(build), TEST_ENTRY(every_byte), TEST_ENTRY(parse), TEST_ENTRY(parse_get_and_bounds))
