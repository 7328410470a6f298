/*
 * test_purl.c - the purl builder against the purl-spec's own examples.
 *
 * The "build" cases come from package-url/purl-spec (types/deb-definition
 * examples, tests/types/deb-test.json, tests/spec/specification-test.json)
 * and the Debian cases customs emits; the failures are the spec's
 * "expected_failure" build cases.
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

TEST_MAIN(TEST_ENTRY(build), TEST_ENTRY(every_byte))
