/*
 * test_registry.c - the parsers behind registry pulls: image references
 * (image/ref.c), WWW-Authenticate challenges, auth files, credential helper
 * and token answers (image/regauth.c), and a credential helper run for
 * real (a script on a temporary PATH). The HTTP side is tested against the
 * reference registry by tests/e2e/registry.sh.
 */
#include "core/compat.h"
#include "image/ref.h"
#include "image/regauth.h"

#include "unit/test.h"

#include <sys/stat.h>

/* --- references ------------------------------------------------------------------------ */

static const struct {
	const char *in;
	const char *domain, *host, *repo, *tag, *digest; /* NULL domain: must fail */
} ref_cases[] = {
	{"alpine", "docker.io", "registry-1.docker.io", "library/alpine", "latest", ""},
	{"alpine:3.19", "docker.io", "registry-1.docker.io", "library/alpine", "3.19", ""},
	{"library/alpine:3.19", "docker.io", "registry-1.docker.io", "library/alpine", "3.19", ""},
	{"docker.io/library/alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io",
	 "registry-1.docker.io", "library/alpine", "", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
	{"docker.io/alpine", "docker.io", "registry-1.docker.io", "library/alpine", "latest", ""},
	{"index.docker.io/bitnami/redis:7", "docker.io", "registry-1.docker.io", "bitnami/redis", "7", ""},
	{"bitnami/redis", "docker.io", "registry-1.docker.io", "bitnami/redis", "latest", ""},
	{"registry.example:5000/team/app:1", "registry.example:5000", "registry.example:5000", "team/app", "1", ""},
	{"localhost/app", "localhost", "localhost", "app", "latest", ""},
	{"localhost:5000/app:v1.2_rc-3", "localhost:5000", "localhost:5000", "app", "v1.2_rc-3", ""},
	{"127.0.0.1:5000/a/b/c:x", "127.0.0.1:5000", "127.0.0.1:5000", "a/b/c", "x", ""},
	{"[::1]:5000/app", "[::1]:5000", "[::1]:5000", "app", "latest", ""},
	{"Registry.Example/app", "Registry.Example", "Registry.Example", "app", "latest", ""},
	{"Foo/bar", "Foo", "Foo", "bar", "latest", ""},
	{"ghcr.io/org/app:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ghcr.io", "ghcr.io",
	 "org/app", "1", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
	{"a.b/c__d/e-f--g/h.i_j", "a.b", "a.b", "c__d/e-f--g/h.i_j", "latest", ""},
	{"localhost:5000", "docker.io", "registry-1.docker.io", "library/localhost", "5000", ""},
	/* refused */
	{"", NULL, NULL, NULL, NULL, NULL},
	{"Alpine", NULL, NULL, NULL, NULL, NULL},
	{"alpine:", NULL, NULL, NULL, NULL, NULL},
	{"alpine:.x", NULL, NULL, NULL, NULL, NULL},
	{"alpine@sha256:abc", NULL, NULL, NULL, NULL, NULL},
	{"alpine@sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	 NULL, NULL, NULL, NULL, NULL},
	{"alpine@", NULL, NULL, NULL, NULL, NULL},
	{"reg.example/", NULL, NULL, NULL, NULL, NULL},
	{"reg.example//x", NULL, NULL, NULL, NULL, NULL},
	{"reg.example/a_/b", NULL, NULL, NULL, NULL, NULL},
	{"reg.example/a___b", NULL, NULL, NULL, NULL, NULL},
	{"reg.example/-a", NULL, NULL, NULL, NULL, NULL},
	{"reg.example:0/a", NULL, NULL, NULL, NULL, NULL},
	{"reg.example:99999/a", NULL, NULL, NULL, NULL, NULL},
	{"reg.example:x/a", NULL, NULL, NULL, NULL, NULL},
	{"-reg.example/a", NULL, NULL, NULL, NULL, NULL},
	{"reg..example/a", NULL, NULL, NULL, NULL, NULL},
	{"[zz]:5000/a", NULL, NULL, NULL, NULL, NULL},
	{"a b", NULL, NULL, NULL, NULL, NULL},
	{"a\nb", NULL, NULL, NULL, NULL, NULL},
	{"../etc/passwd", NULL, NULL, NULL, NULL, NULL},
	{"/abs", NULL, NULL, NULL, NULL, NULL},
};

TEST(ref_parse)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(ref_cases); i++) {
		cs_ref r;
		cs_err err;
		int code;

		cs_err_clear(&err);
		code = cs_ref_parse(&r, ref_cases[i].in, &err);
		if (!ref_cases[i].domain) {
			if (code != CS_EFORMAT || !err.msg[0]) {
				fprintf(stderr, "  case %zu '%s': %d, want CS_EFORMAT with a message\n", i, ref_cases[i].in,
					code);
				test_failures++;
			}
			continue;
		}
		if (code != 0) {
			fprintf(stderr, "  case %zu '%s': %s\n", i, ref_cases[i].in, err.msg);
			test_failures++;
			continue;
		}
		CHECK_STR(r.domain, ref_cases[i].domain);
		CHECK_STR(r.host, ref_cases[i].host);
		CHECK_STR(r.repo, ref_cases[i].repo);
		CHECK_STR(r.tag, ref_cases[i].tag);
		CHECK_STR(r.digest, ref_cases[i].digest);
	}
}

TEST(ref_messages)
{
	cs_ref r;
	cs_err err;
	char big[2000];

	cs_err_clear(&err);
	CHECK_INT(cs_ref_parse(&r, "Alpine", &err), CS_EFORMAT);
	CHECK_STR(err.msg, "'Alpine': repository names must be lower case");
	cs_err_clear(&err);
	CHECK_INT(cs_ref_parse(&r, "alpine@sha512:00", &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "only sha256 digests are supported") != NULL);
	/* the 255-character limit on host and path */
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	cs_err_clear(&err);
	CHECK_INT(cs_ref_parse(&r, big, &err), CS_EFORMAT);
	big[250] = '\0';
	cs_err_clear(&err);
	CHECK_INT(cs_ref_parse(&r, big, &err), CS_EFORMAT); /* "docker.io/library/" + 250 > 255 */
	big[200] = '\0';
	CHECK_INT(cs_ref_parse(&r, big, &err), 0);
}

TEST(ref_format)
{
	cs_ref r;
	char out[600];

	CHECK_INT(cs_ref_parse(&r, "alpine:3.19", NULL), 0);
	cs_ref_format(&r, out, sizeof(out));
	CHECK_STR(out, "docker.io/library/alpine:3.19");
	CHECK_INT(cs_ref_parse(&r, "reg.example:5000/a@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			       NULL),
		  0);
	cs_ref_format(&r, out, sizeof(out));
	CHECK_STR(out, "reg.example:5000/a@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
}

TEST(ref_loopback)
{
	char name[64];

	CHECK(cs_ref_host_is_loopback("127.0.0.1:5000"));
	CHECK(cs_ref_host_is_loopback("127.1.2.3"));
	CHECK(cs_ref_host_is_loopback("localhost:80"));
	CHECK(cs_ref_host_is_loopback("[::1]:5000"));
	CHECK(!cs_ref_host_is_loopback("128.0.0.1:5000"));
	CHECK(!cs_ref_host_is_loopback("127.0.0.1.example.com"));
	CHECK(!cs_ref_host_is_loopback("localhost.example.com"));
	CHECK(!cs_ref_host_is_loopback("registry-1.docker.io"));
	CHECK(!cs_ref_host_is_loopback("[::2]:5000"));
	cs_ref_host_name("[::1]:5000", name, sizeof(name));
	CHECK_STR(name, "::1");
	cs_ref_host_name("reg.example:5000", name, sizeof(name));
	CHECK_STR(name, "reg.example");
}

/* --- WWW-Authenticate -------------------------------------------------------------------- */

TEST(challenge_bearer)
{
	static const char h[] =
		"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
		"scope=\"repository:library/alpine:pull\"";
	cs_challenge c[4];
	size_t n;

	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 1);
	CHECK_STR(c[0].scheme, "bearer");
	CHECK_STR(c[0].realm, "https://auth.docker.io/token");
	CHECK_STR(c[0].service, "registry.docker.io");
	CHECK_STR(c[0].scope, "repository:library/alpine:pull");
	CHECK_STR(c[0].error, "");
}

TEST(challenge_forms)
{
	cs_challenge c[4];
	size_t n;
	const char *h;

	h = "Basic realm=\"Registry Realm\"";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 1);
	CHECK_STR(c[0].scheme, "basic");
	CHECK_STR(c[0].realm, "Registry Realm");

	/* two challenges in one header, tokens unquoted, odd spacing and case */
	h = "BEARER  Realm = https://a.example/token , Service=reg , scope=\"a:b:pull\" , error=invalid_token,"
	    " Basic realm=\"x, y\"";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 2);
	CHECK_STR(c[0].scheme, "bearer");
	CHECK_STR(c[0].realm, "https://a.example/token");
	CHECK_STR(c[0].service, "reg");
	CHECK_STR(c[0].scope, "a:b:pull");
	CHECK_STR(c[0].error, "invalid_token");
	CHECK_STR(c[1].scheme, "basic");
	CHECK_STR(c[1].realm, "x, y");

	/* escapes in a quoted string; several scope parameters joined */
	h = "Bearer realm=\"https://a/t?x=\\\"1\\\"\",scope=\"repository:a:pull\",scope=\"repository:b:pull\"";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 1);
	CHECK_STR(c[0].realm, "https://a/t?x=\"1\"");
	CHECK_STR(c[0].scope, "repository:a:pull repository:b:pull");

	/* a token68 scheme, then a bearer one */
	h = "Negotiate abc==, Bearer realm=\"r\"";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 2);
	CHECK_STR(c[0].scheme, "negotiate");
	CHECK_STR(c[1].scheme, "bearer");
	CHECK_STR(c[1].realm, "r");

	/* unterminated quote, control bytes, a value too long: that challenge is dropped */
	h = "Bearer realm=\"https://a/t";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 0);
	h = "Bearer realm=\"https://a/\r\nX-Evil: 1\"";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 0);
	{
		char longh[3000];

		snprintf(longh, sizeof(longh), "Bearer realm=\"%01500d\", Basic realm=\"ok\"", 0);
		cs_challenge_parse(longh, strlen(longh), c, 4, &n);
		CHECK_INT(n, 1);
		CHECK_STR(c[0].scheme, "basic");
	}
	/* nothing, junk, at most max */
	cs_challenge_parse("", 0, c, 4, &n);
	CHECK_INT(n, 0);
	h = ",,, =x, \"q\"";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 0);
	h = "A, B, C, D, E, F";
	cs_challenge_parse(h, strlen(h), c, 4, &n);
	CHECK_INT(n, 4);
	CHECK_STR(c[3].scheme, "d");
	h = "Bearer realm=\"r\"";
	cs_challenge_parse(h, strlen(h), c, 1, &n);
	CHECK_INT(n, 1);
}

/* --- auth files -------------------------------------------------------------------------- */

static int lookup(const char *json, const char *domain, const char *repo, cs_creds *c, char helper[64])
{
	cs_err err;

	memset(c, 0, sizeof(*c));
	cs_err_clear(&err);
	return cs_authfile_lookup(json, strlen(json), domain, repo, c, helper, &err);
}

TEST(authfile_auths)
{
	/* "dXNlcjpwYXNz" is base64("user:pass"), "aHViOmh1YnB3Og==" base64("hub:hubpw:") */
	static const char f[] = "{\"auths\": {"
				"\"https://index.docker.io/v1/\": {\"auth\": \"aHViOmh1YnB3Og==\"},"
				"\"reg.example:5000\": {\"auth\": \"dXNlcjpwYXNz\"},"
				"\"reg.example:5000/team\": {\"username\": \"teamuser\", \"password\": \"teampw\"},"
				"\"http://old.example/v2/\": {\"identitytoken\": \"refresh-me\"}"
				"}}";
	char helper[64];
	cs_creds c;

	CHECK_INT(lookup(f, "docker.io", "library/alpine", &c, helper), 0);
	CHECK_STR(c.username, "hub");
	CHECK_STR(c.password, "hubpw:");
	CHECK_STR(helper, "");
	cs_creds_release(&c);
	CHECK_INT(lookup(f, "reg.example:5000", "other/app", &c, helper), 0);
	CHECK_STR(c.username, "user");
	CHECK_STR(c.password, "pass");
	cs_creds_release(&c);
	/* the namespaced key is more specific */
	CHECK_INT(lookup(f, "reg.example:5000", "team/app", &c, helper), 0);
	CHECK_STR(c.username, "teamuser");
	cs_creds_release(&c);
	/* "team" is not a prefix of "teammate" at a component boundary */
	CHECK_INT(lookup(f, "reg.example:5000", "teammate/app", &c, helper), 0);
	CHECK_STR(c.username, "user");
	cs_creds_release(&c);
	CHECK_INT(lookup(f, "old.example", "x", &c, helper), 0);
	CHECK_STR(c.identity_token, "refresh-me");
	CHECK(c.username == NULL);
	CHECK(cs_creds_any(&c));
	cs_creds_release(&c);
	/* another port is another registry */
	CHECK_INT(lookup(f, "reg.example", "x", &c, helper), 0);
	CHECK(!cs_creds_any(&c));
	cs_creds_release(&c);
}

TEST(authfile_helpers)
{
	static const char f[] = "{\"credsStore\": \"desktop\", \"credHelpers\": {\"gcr.io\": \"gcloud\"},"
				"\"auths\": {\"gcr.io\": {}}}";
	char helper[64];
	cs_creds c;

	CHECK_INT(lookup(f, "gcr.io", "p/app", &c, helper), 0);
	CHECK_STR(helper, "gcloud");
	CHECK(!cs_creds_any(&c));
	cs_creds_release(&c);
	CHECK_INT(lookup(f, "ghcr.io", "p/app", &c, helper), 0);
	CHECK_STR(helper, "desktop");
	cs_creds_release(&c);
	CHECK_INT(lookup("{}", "ghcr.io", "p/app", &c, helper), 0);
	CHECK_STR(helper, "");
	cs_creds_release(&c);
}

TEST(authfile_malformed)
{
	static const char *const bad[] = {
		"", "[]", "{\"auths\": {\"reg\": {\"auth\": \"!!!\"}}}", "{\"auths\": {\"reg\": {\"auth\": \"bm9jb2xvbg==\"}}}",
		"{\"auths\": {\"reg\": {\"auth\": \"YQBiOmM=\"}}}", /* a NUL inside */
		"{\"auths\": {\"reg\": 5}}", "{\"auths\"",
	};
	char helper[64];
	cs_creds c;
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(bad); i++) {
		if (lookup(bad[i], "reg", "x", &c, helper) != CS_EFORMAT) {
			fprintf(stderr, "  bad auth file %zu accepted\n", i);
			test_failures++;
		}
		cs_creds_release(&c);
	}
}

TEST(credhelper_answers)
{
	cs_creds c;
	cs_err err;
	const char *a;

	memset(&c, 0, sizeof(c));
	a = "{\"ServerURL\":\"reg\",\"Username\":\"u\",\"Secret\":\"s\"}";
	CHECK_INT(cs_credhelper_parse(a, strlen(a), &c, NULL), 0);
	CHECK_STR(c.username, "u");
	CHECK_STR(c.password, "s");
	cs_creds_release(&c);
	a = "{\"Username\":\"<token>\",\"Secret\":\"rt\"}";
	CHECK_INT(cs_credhelper_parse(a, strlen(a), &c, NULL), 0);
	CHECK_STR(c.identity_token, "rt");
	CHECK(c.username == NULL);
	cs_creds_release(&c);
	cs_err_clear(&err);
	a = "{\"Username\":\"u\"}";
	CHECK_INT(cs_credhelper_parse(a, strlen(a), &c, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "no Username and Secret") != NULL);
	cs_creds_release(&c);
}

TEST(token_answers)
{
	char *t;
	long exp;
	const char *a;
	cs_err err;

	a = "{\"token\":\"abc.def.ghi\",\"expires_in\":300}";
	CHECK_INT(cs_token_parse(a, strlen(a), &t, &exp, NULL), 0);
	CHECK_STR(t, "abc.def.ghi");
	CHECK_INT(exp, 300);
	free(t);
	a = "{\"access_token\":\"xyz\"}";
	CHECK_INT(cs_token_parse(a, strlen(a), &t, &exp, NULL), 0);
	CHECK_STR(t, "xyz");
	CHECK_INT(exp, 60);
	free(t);
	a = "{\"token\":\"\",\"access_token\":\"second\",\"expires_in\":10}";
	CHECK_INT(cs_token_parse(a, strlen(a), &t, &exp, NULL), 0);
	CHECK_STR(t, "second");
	CHECK_INT(exp, 60); /* less than 60 is taken as 60, as the spec says */
	free(t);
	cs_err_clear(&err);
	a = "{\"token\":\"a\\r\\nX-Injected: 1\"}";
	CHECK_INT(cs_token_parse(a, strlen(a), &t, &exp, &err), CS_EFORMAT);
	CHECK(t == NULL);
	CHECK(strstr(err.msg, "abc") == NULL);
	a = "{}";
	CHECK_INT(cs_token_parse(a, strlen(a), &t, &exp, NULL), CS_EFORMAT);
	a = "not json";
	CHECK_INT(cs_token_parse(a, strlen(a), &t, &exp, NULL), CS_EFORMAT);
}

TEST(base64)
{
	static const struct {
		const char *in, *out;
	} v[] = {{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},
		 {"user:pass", "dXNlcjpwYXNz"}};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(v); i++) {
		char *b = cs_base64(v[i].in, strlen(v[i].in));

		CHECK_STR(b, v[i].out);
		free(b);
	}
}

/* --- a credential helper, run ------------------------------------------------------------ */

static char helper_dir[256];

static void write_helper(const char *name, const char *body)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/docker-credential-%s", helper_dir, name);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\n%s", body);
	fclose(f);
	chmod(path, 0755);
}

TEST(credhelper_run)
{
	const char *old = getenv("PATH");
	char path[2048], *saved = old ? strdup(old) : NULL;
	cs_creds c;
	cs_err err;

	snprintf(helper_dir, sizeof(helper_dir), "%s/customs-test-helper-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(helper_dir)) {
		test_failures++;
		free(saved);
		return;
	}
	/* answers only for reg.example, which it must read from its standard input */
	write_helper("test", "[ \"$1\" = get ] || exit 9\nread -r server\n"
			     "[ \"$server\" = reg.example ] || { echo 'credentials not found in native keychain'; exit 1; }\n"
			     "echo '{\"ServerURL\":\"reg.example\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}'\n");
	write_helper("broken", "echo 'secret-looking output' >&2; exit 3\n");
	write_helper("noisy", "read -r x; echo not json\n");
	snprintf(path, sizeof(path), "%s:%s", helper_dir, old ? old : "/usr/bin:/bin");
	setenv("PATH", path, 1);

	memset(&c, 0, sizeof(c));
	cs_err_clear(&err);
	CHECK_INT(cs_credhelper_get("test", "reg.example", &c, &err), 0);
	CHECK_STR(c.username, "alice");
	CHECK_STR(c.password, "s3cret");
	cs_creds_release(&c);
	CHECK_INT(cs_credhelper_get("test", "other.example", &c, &err), CS_ENOTFOUND);
	cs_creds_release(&c);
	cs_err_clear(&err);
	CHECK_INT(cs_credhelper_get("broken", "reg.example", &c, &err), CS_EIO);
	CHECK(strstr(err.msg, "docker-credential-broken") != NULL);
	CHECK(strstr(err.msg, "secret-looking") == NULL);
	cs_creds_release(&c);
	cs_err_clear(&err);
	CHECK_INT(cs_credhelper_get("noisy", "reg.example", &c, &err), CS_EFORMAT);
	cs_creds_release(&c);
	cs_err_clear(&err);
	CHECK_INT(cs_credhelper_get("missing-helper", "reg.example", &c, &err), CS_ENOTFOUND);
	cs_err_clear(&err);
	CHECK_INT(cs_credhelper_get("../evil", "reg.example", &c, &err), CS_EFORMAT);

	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", helper_dir);
		if (system(cmd) != 0)
			test_failures++;
	}
}

TEST_MAIN(TEST_ENTRY(ref_parse), TEST_ENTRY(ref_messages), TEST_ENTRY(ref_format), TEST_ENTRY(ref_loopback),
	  TEST_ENTRY(challenge_bearer), TEST_ENTRY(challenge_forms), TEST_ENTRY(authfile_auths),
	  TEST_ENTRY(authfile_helpers), TEST_ENTRY(authfile_malformed), TEST_ENTRY(credhelper_answers),
	  TEST_ENTRY(token_answers), TEST_ENTRY(base64), TEST_ENTRY(credhelper_run))
