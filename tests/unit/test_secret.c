/*
 * test_secret.c - the secret engine and its rules.
 *
 *  - rule_table, rule_samples: every built-in rule compiles in Vectorscan
 *    and PCRE2, finds its own true sample (secret_samples.inc) and not its
 *    near miss, and never shows the secret in the redacted match.
 *  - real inputs: every file of ../shared/test-data/secrets/ (trivy's and
 *    detect-secrets' test inputs, gitleaks' repos and expected outputs)
 *    gives exactly the findings listed in real_expect[], and files not
 *    listed give none. The few planted values we do not report are listed
 *    with the reason in real_exceptions[].
 *  - trivy_configs: trivy's own secret-config test files load and behave
 *    (custom rules, keywords, allow rules by path and value, exclude
 *    blocks, disabled and enabled built-ins, severities, multi-line).
 *  - chunking: feeding a file in blocks split at every byte gives the same
 *    findings (line, column, offset, redacted match) as feeding it whole.
 *  - policies: placeholders, CRLF, binary files, the size cap, path allow
 *    rules, scan_buffer, threads, custom YAML and its errors.
 */
#include "core/compat.h"
#include "secret/engine.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strutil.h"
#include "secret/check.h"
#include "secret/hsops.h"
#include "unit/test.h"

/* ---- helpers ----------------------------------------------------------- */

typedef struct found {
	char rule[64];
	uint64_t line, col, off;
	char match[CS_SECRET_MAX_SHOWN + 8];
} found;

typedef struct found_list {
	found v[64];
	size_t n;
} found_list;

static int collect(const cs_secret_finding *f, void *payload)
{
	found_list *l = payload;

	if (l->n < CS_ARRAY_LEN(l->v)) {
		found *x = &l->v[l->n++];

		snprintf(x->rule, sizeof(x->rule), "%s", f->rule_id);
		x->line = f->line;
		x->col = f->column;
		x->off = f->offset;
		snprintf(x->match, sizeof(x->match), "%s", f->match);
	}
	return 0;
}

static cs_secret_engine *builtin_engine(void)
{
	static cs_secret_engine *eng;
	cs_err err;

	if (!eng) {
		cs_err_clear(&err);
		if (cs_secret_engine_new(&eng, NULL, &err) < 0) {
			fprintf(stderr, "engine: %s\n", err.msg);
			abort();
		}
	}
	return eng;
}

/* Scans data as the file path, in blocks of chunk bytes (0: whole). */
static int scan_with(cs_secret_scanner *sc, const char *path, const char *data, size_t len, size_t chunk,
		     found_list *out)
{
	size_t i;

	out->n = 0;
	if (!cs_secret_file_begin(sc, path, len))
		return 0;
	if (chunk == 0)
		chunk = len ? len : 1;
	for (i = 0; i < len; i += chunk)
		if (cs_secret_file_feed(sc, data + i, len - i < chunk ? len - i : chunk) < 0)
			return -1;
	return cs_secret_file_end(sc, collect, out);
}

static int scan_eng(const cs_secret_engine *eng, const char *path, const char *data, size_t len, size_t chunk,
		    found_list *out)
{
	cs_secret_scanner *sc;
	cs_err err;
	int rc;

	cs_err_clear(&err);
	if (cs_secret_scanner_new(&sc, eng, &err) < 0)
		return -1;
	rc = scan_with(sc, path, data, len, chunk, out);
	cs_secret_scanner_free(sc);
	return rc;
}

static int scan(const char *path, const char *text, found_list *out)
{
	return scan_eng(builtin_engine(), path, text, strlen(text), 0, out);
}

static const found *find_rule(const found_list *l, const char *rule)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].rule, rule) == 0)
			return &l->v[i];
	return NULL;
}

/* "rule@line,rule@line" of a list, in delivery order. */
static void summary(const found_list *l, char *out, size_t outsz)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < l->n && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s@%llu", i ? "," : "", l->v[i].rule,
				      (unsigned long long)l->v[i].line);
}

/* The redacted match never holds the secret, nor its middle beyond the shown ends. */
static bool redaction_ok(const char *shown, const char *secret)
{
	size_t n = strlen(secret), keep = cs_secret_redact_keep(n);
	char mid[600];

	if (n && strstr(shown, secret))
		return false;
	if (n > 2 * keep && n - 2 * keep < sizeof(mid)) {
		snprintf(mid, sizeof(mid), "%.*s", (int)(n - 2 * keep), secret + keep);
		if (strlen(mid) >= 3 && strstr(shown, mid))
			return false;
	}
	return true;
}

static char *shared_path(char *buf, size_t sz, const char *rel)
{
	if ((size_t)snprintf(buf, sz, "%s/test-data/secrets/%s", test_shared(), rel) >= sz)
		buf[0] = '\0'; /* too long: reads fail and say so */
	return buf;
}

/* fmt with its one "%s" replaced by secret ("%%" is a '%'); returns the length. */
static size_t fill(char *out, size_t cap, const char *fmt, const char *secret)
{
	size_t n = 0;

	for (; *fmt && n + 1 < cap; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			size_t k = strlen(secret);

			if (n + k >= cap)
				break;
			memcpy(out + n, secret, k);
			n += k;
			fmt++;
		} else if (fmt[0] == '%' && fmt[1] == '%') {
			out[n++] = '%';
			fmt++;
		} else {
			out[n++] = *fmt;
		}
	}
	out[n] = '\0';
	return n;
}

/* ---- the rule table ---------------------------------------------------- */

typedef struct sample {
	const char *rule, *path, *fmt, *secret, *near;
} sample;

static const sample samples[] = {
#include "unit/secret_samples.inc"
};

TEST(rule_table)
{
	const cs_secret_engine *eng = builtin_engine();
	size_t i, j;

	CHECK(cs_secret_builtin_count >= 100);
	CHECK_INT(cs_secret_engine_rule_count(eng), cs_secret_builtin_count);
	for (i = 0; i < cs_secret_builtin_count; i++) {
		const cs_secret_rule *r = &cs_secret_builtin_rules[i];
		const char *p;
		bool has_sample = false;

		CHECK(r->id && r->category && r->title && r->regex && r->keywords);
		for (p = r->id; *p; p++)
			CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
		for (p = r->keywords; *p; p++)
			CHECK(!(*p >= 'A' && *p <= 'Z')); /* keywords are lower case */
		CHECK(r->severity != CS_SECRET_UNKNOWN);
		CHECK(!(r->flags & CS_SR_PREFILTER)); /* built-ins compile as written */
		for (j = 0; j < i; j++)
			CHECK(strcmp(cs_secret_builtin_rules[j].id, r->id) != 0);
		for (j = 0; j < CS_ARRAY_LEN(samples); j++)
			has_sample = has_sample || strcmp(samples[j].rule, r->id) == 0;
		if (!has_sample)
			fprintf(stderr, "  rule '%s' has no sample\n", r->id);
		CHECK(has_sample);
	}
	for (j = 0; j < CS_ARRAY_LEN(samples); j++)
		CHECK(cs_secret_builtin_find(samples[j].rule) != NULL);
	/* docs/secrets.md lists every rule (regenerate with build/secret_bench --rules-md). */
	{
		char *doc = test_read_file("docs/secrets.md", NULL);

		CHECK(doc != NULL);
		for (i = 0; doc && i < cs_secret_builtin_count; i++) {
			char cell[96];

			snprintf(cell, sizeof(cell), "| `%s` |", cs_secret_builtin_rules[i].id);
			if (!strstr(doc, cell)) {
				fprintf(stderr, "  docs/secrets.md does not list rule '%s'\n", cs_secret_builtin_rules[i].id);
				test_failures++;
			}
		}
		free(doc);
	}
}

TEST(rule_samples)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(samples); i++) {
		const sample *s = &samples[i];
		const char *path = s->path ? s->path : "srv/app/settings.conf";
		char text[4096];
		found_list l;
		const found *f;

		fill(text, sizeof(text), s->fmt, s->secret);
		CHECK(scan(path, text, &l) >= 0);
		f = find_rule(&l, s->rule);
		if (!f) {
			char sum[512];

			summary(&l, sum, sizeof(sum));
			fprintf(stderr, "  %s: true sample not found (found: %s)\n", s->rule, sum);
			test_failures++;
		} else if (!redaction_ok(f->match, s->secret)) {
			fprintf(stderr, "  %s: redaction shows the secret: %s\n", s->rule, f->match);
			test_failures++;
		}
		CHECK(scan(path, s->near, &l) >= 0);
		if (find_rule(&l, s->rule)) {
			fprintf(stderr, "  %s: near miss reported: %s\n", s->rule, find_rule(&l, s->rule)->match);
			test_failures++;
		}
	}
}

/* ---- real inputs ------------------------------------------------------- */

typedef struct expect {
	const char *file; /* below test-data/secrets/ */
	const char *want; /* "rule@line,..." in offset order; "" for none */
} expect;

/*
 * What we report in each file that has findings; every other file of the
 * scanned trees must have none. Where a file plants values on purpose that
 * we do not report, real_exceptions says why.
 */
static const expect real_expect[] = {
	{"trivy/testdata/alibaba-access-key-id.txt", "alibaba-access-key-id@2"},
	{"trivy/testdata/asymmetric-private-key.txt", "private-key-rsa@1,private-key-pkcs8@9"},
	{"trivy/testdata/asymmetric-private-secret.txt", "private-key-rsa@1"},
	{"trivy/testdata/asymmetric-private-secret.json", "private-key-rsa@1"},
	{"trivy/testdata/aws-secrets.txt", "aws-secret-access-key@1,aws-access-key-id@2"},
	{"trivy/testdata/azure-ai-services-key.txt", "azure-identifiable-key@1"},
	{"trivy/testdata/azure-app-config-connection-string.txt", "azure-app-configuration-connection-string@1"},
	{"trivy/testdata/azure-container-registry-credential.txt", "azure-identifiable-key@1"},
	{"trivy/testdata/azure-container-registry-password.txt", "azure-container-registry-password@1"},
	{"trivy/testdata/azure-devops-pat.txt", "azure-devops-pat@1"},
	{"trivy/testdata/azure-entra-client-secret.txt", "azure-entra-client-secret@1"},
	{"trivy/testdata/azure-sas-token.txt", "azure-sas-token@1"},
	{"trivy/testdata/azure-storage-account-key.txt", "azure-storage-account-key@1"},
	{"trivy/testdata/builtin-rule-secret.txt", "github-pat@1,aws-access-key-id@2"},
	{"trivy/testdata/crlf-line-endings.txt", "aws-access-key-id@2,github-pat@4"},
	{"trivy/testdata/docker-secrets.txt", "kubernetes-docker-config-secret@2,kubernetes-docker-config-secret@4"},
	{"trivy/testdata/example-secret.txt", "aws-secret-access-key@1"},
	{"trivy/testdata/github-app-token.txt", "github-app-installation-token@1"},
	{"trivy/testdata/github-token.txt", "github-fine-grained-pat@1"},
	{"trivy/testdata/grafana-env.txt", "grafana-api-key@1,grafana-api-key@2"},
	{"trivy/testdata/hugging-face-secret.txt", "huggingface-token@1"},
	{"trivy/testdata/invalid-utf8.txt", "github-pat@1"},
	{"trivy/testdata/jwt-secret.txt", "jwt@3"},
	{"trivy/testdata/long-line-secret.txt", "github-pat@1"},
	{"trivy/testdata/openai-admin-api-key.txt", "openai-admin-key@1"},
	{"trivy/testdata/openai-legacy-api-key.txt", "openai-api-key@1"},
	{"trivy/testdata/openai-project-api-key.txt", "openai-project-key@1"},
	{"trivy/testdata/openai-realtime-client-secret.txt", "openai-realtime-client-secret@1"},
	{"trivy/testdata/openai-service-account-key.txt", "openai-service-account-key@1"},
	{"trivy/testdata/openai-service-api-key.txt", "openai-service-account-key@1"},
	{"trivy/testdata/private-packagist.txt",
	 "private-packagist-token@1,private-packagist-token@2,private-packagist-token@3"},
	{"trivy/testdata/settings.xml", "xml-password-element@2,xml-password-element@3"},
	{"trivy/testdata/settings-security.xml", "maven-master-password@2"},
	{"trivy/testdata/wrapped-secrets-sensitive.txt", "aws-secret-access-key@1,github-fine-grained-pat@2"},
	{"detect-secrets/test_data/config.ini", "generic-password-unquoted@2,generic-secret-unquoted@32"},
	{"detect-secrets/test_data/config.yaml", "generic-secret@12"},
	{"detect-secrets/test_data/files/private_key", "private-key-openssh@1"},
	{"gitleaks/testdata/repos/nogit/.env.prod", "generic-password-unquoted@4"},
	{"gitleaks/testdata/repos/symlinks/source_file/id_ed25519", "private-key-openssh@1"},
	{"gitleaks/testdata/expected/git/small.txt", "aws-access-key-id@15,aws-access-key-id@44"},
	{"gitleaks/testdata/expected/git/small-branch-foo.txt", "aws-access-key-id@15"},
};

/*
 * Planted values deliberately not reported (documented in docs/secrets.md):
 *
 *  trivy aws-secrets.txt:3        an AWS account ID: an identifier, not a secret
 *  trivy aws-secrets.txt:4        AKIAIOSFODNN7EXAMPLE, AWS's documented example key
 *  trivy aws-secrets.txt:5        "KEYKEY...": a 40-byte repetition (entropy 1.6 bits)
 *  trivy invalid-utf8.txt:3       ghp_ with 32 characters, cut by invalid bytes: not a token
 *  trivy secret.txt, secret.md    "somevalue", "othervalue", "123456789": placeholders
 *                                 (the custom rule1 of trivy's configs finds them, below)
 *  trivy symfony-secret.yaml      ThisTokenIsNotSoSecretChangeIt, Symfony's placeholder
 *  trivy settings-encrypted.xml   Maven {encrypted} values and ${properties}
 *  detect-secrets config.env      an unnamed high-entropy value (no keyword: no gate)
 *  detect-secrets config.md       key="..." with the bare name "key" (too weak a keyword)
 *  detect-secrets config.yaml     AKIATESTTESTTESTTEST (entropy), !!binary values
 *  detect-secrets config.ini      aws_secret_key = 23456789a1 (10 bytes, not an AWS secret),
 *                                 a password marked "pragma: allowlist secret" is digits only
 *  detect-secrets short_files     "notHighEnoughEntropy", multi-line ini values
 *  gitleaks symlinked_id_ed25519  a symbolic link: the walker scans its target
 */

static bool listed(const char *rel)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(real_expect); i++)
		if (strcmp(real_expect[i].file, rel) == 0)
			return true;
	return false;
}

static void check_file(const char *rel, const char *want, size_t *count)
{
	char path[1024], sum[1024];
	size_t len = 0;
	char *data = test_read_file(shared_path(path, sizeof(path), rel), &len);
	found_list l;

	if (!data) {
		fprintf(stderr, "  cannot read %s\n", path);
		test_failures++;
		return;
	}
	/* The path as an image would show it, without a "testdata" directory
	 * that would mean nothing to the allow rules anyway. */
	CHECK(scan_eng(builtin_engine(), cs_path_base(rel), data, len, 0, &l) >= 0);
	summary(&l, sum, sizeof(sum));
	if (strcmp(sum, want) != 0) {
		fprintf(stderr, "  %s: found \"%s\", expected \"%s\"\n", rel, sum, want);
		test_failures++;
	}
	(*count)++;
	free(data);
}

/* Every regular file below dir (relative to test-data/secrets), recursively. */
static void walk_real(const char *dir, size_t *count)
{
	char path[1024];
	DIR *d = opendir(shared_path(path, sizeof(path), dir));
	struct dirent *de;

	if (!d) {
		fprintf(stderr, "  cannot open %s\n", path);
		test_failures++;
		return;
	}
	while ((de = readdir(d))) {
		char rel[1024], full[1024];
		struct stat sb;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(rel, sizeof(rel), "%s/%s", dir, de->d_name) >= sizeof(rel))
			continue;
		if (lstat(shared_path(full, sizeof(full), rel), &sb) < 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			walk_real(rel, count);
		else if (S_ISREG(sb.st_mode) && strcmp(de->d_name, "SOURCES.md") != 0 && !listed(rel))
			check_file(rel, "", count);
	}
	closedir(d);
}

TEST(real_inputs)
{
	size_t i, count = 0;

	for (i = 0; i < CS_ARRAY_LEN(real_expect); i++)
		check_file(real_expect[i].file, real_expect[i].want, &count);
	walk_real("trivy/testdata", &count);
	walk_real("detect-secrets/test_data", &count);
	walk_real("gitleaks/testdata/repos", &count);
	walk_real("gitleaks/testdata/expected", &count);
	walk_real("gitleaks/testdata/baseline", &count);
	CHECK(count > 90);
}

/* ---- trivy's secret configs -------------------------------------------- */

/*
 * The engine of a trivy config. Most of them test one custom rule; those
 * are built without the built-in rules (enable-builtin-rules: []) so the
 * test does not compile the whole table twenty times.
 */
static cs_secret_engine *config_engine(const char *rel, cs_err *err)
{
	char path[1024];
	cs_secret_config *cfg = NULL;
	cs_secret_engine *eng = NULL;

	cs_err_clear(err);
	if (cs_secret_config_load(&cfg, shared_path(path, sizeof(path), rel), err) < 0)
		return NULL;
	if (cfg->nrules && !cfg->enable_builtin_set)
		cfg->enable_builtin_set = true;
	if (cs_secret_engine_new(&eng, cfg, err) < 0)
		eng = NULL;
	cs_secret_config_free(cfg);
	return eng;
}

/* Scans a test-data file (named name for the allow rules) with the engine of a config. */
static void config_case(const char *config, const char *file, const char *name, const char *want)
{
	cs_err err;
	cs_secret_engine *eng = config_engine(config, &err);
	char path[1024], sum[1024];
	size_t len = 0;
	char *data = test_read_file(shared_path(path, sizeof(path), file), &len);
	found_list l;

	if (!eng || !data) {
		fprintf(stderr, "  %s: %s\n", config, eng ? "cannot read input" : err.msg);
		test_failures++;
	} else {
		CHECK(scan_eng(eng, name, data, len, 0, &l) >= 0);
		summary(&l, sum, sizeof(sum));
		if (strcmp(sum, want) != 0) {
			fprintf(stderr, "  %s on %s: found \"%s\", expected \"%s\"\n", config, name, sum, want);
			test_failures++;
		}
	}
	free(data);
	cs_secret_engine_free(eng);
}

#define T "trivy/testdata/"

TEST(trivy_configs)
{
	cs_err err;
	cs_secret_engine *eng;

	config_case(T "config.yaml", T "secret.txt", "secret.txt", "rule1@2,rule1@4");
	config_case(T "config.yaml", T "secret.md", "secret.md", "rule1@2,rule1@4");
	config_case(T "allow-path.yaml", T "secret.txt", "secret.txt", "");
	config_case(T "allow-path.yaml", T "secret.md", "secret.md", "rule1@2,rule1@4");
	config_case(T "allow-regex.yaml", T "secret.txt", "secret.txt", "rule1@2");
	config_case(T "allow-regex-outside-group.yaml", T "secret.txt", "secret.txt", "rule1@2");
	config_case(T "global-allow-path.yaml", T "secret.txt", "secret.txt", "");
	config_case(T "global-allow-regex.yaml", T "secret.txt", "secret.txt", "rule1@2");
	config_case(T "exclude-block.yaml", T "secret.txt", "secret.txt", "rule1@4");
	config_case(T "global-exclude-block.yaml", T "secret.txt", "secret.txt", "rule1@4");
	config_case(T "config-disable-rule1.yaml", T "secret.txt", "secret.txt", "");
	config_case(T "config-disable-allow-rule-md.yaml", T "secret.md", "secret.md", "rule1@2,rule1@4");
	config_case(T "config-happy-keywords.yaml", T "secret.txt", "secret.txt", "rule1@2,rule1@4");
	config_case(T "config-sad-keywords.yaml", T "secret.txt", "secret.txt", "");
	config_case(T "multiple-secret-groups.yaml", T "secret.txt", "secret.txt", "rule1@5");
	config_case(T "multi-line-off.yaml", T "multi-line.txt", "multi-line.txt", "");
	config_case(T "multi-line-on.yaml", T "multi-line.txt", "multi-line.txt", "multi-line-secret@2");
	config_case(T "config-disable-ghp.yaml", T "builtin-rule-secret.txt", "builtin-rule-secret.txt",
		    "aws-access-key-id@2");
	config_case(T "config-enable-ghp.yaml", T "builtin-rule-secret.txt", "builtin-rule-secret.txt", "github-pat@1");
	config_case(T "skip-test.yaml", T "builtin-rule-secret.txt", "builtin-rule-secret.txt",
		    "github-pat@1,aws-access-key-id@2");
	config_case(T "config-without-severity.yaml", T "secret.txt", "secret.txt", "rule1@2");
	config_case(T "config-with-non-uppercase-severity.yaml", T "secret.txt", "secret.txt", "rule1@2");

	/* Severities: missing and "uNknown" are unknown; "bad" is an error naming file and rule. */
	eng = config_engine(T "config-with-non-uppercase-severity.yaml", &err);
	CHECK(eng != NULL);
	if (eng) {
		CHECK_INT(cs_secret_engine_rule(eng, 0)->severity, CS_SECRET_UNKNOWN);
		CHECK_STR(cs_secret_engine_rule(eng, 0)->id, "rule1");
	}
	cs_secret_engine_free(eng);
	eng = config_engine(T "config-with-incorrect-severity.yaml", &err);
	CHECK(eng == NULL);
	CHECK_INT(err.code, CS_EFORMAT);
	CHECK(strstr(err.msg, "config-with-incorrect-severity.yaml") && strstr(err.msg, "rule 'rule1'") &&
	      strstr(err.msg, "severity 'bad'"));
	CHECK(!strchr(err.msg, '\n'));
	/* The multiple-group rule redacts both groups ("username" and "123456789"). */
	{
		char path[1024];
		size_t len;
		char *data = test_read_file(shared_path(path, sizeof(path), T "secret.txt"), &len);
		found_list l;

		eng = config_engine(T "multiple-secret-groups.yaml", &err);
		CHECK(eng && data);
		if (eng && data) {
			CHECK(scan_eng(eng, "secret.txt", data, len, 0, &l) == 1);
			CHECK(!strstr(l.v[0].match, "username") && !strstr(l.v[0].match, "123456789"));
			CHECK(strstr(l.v[0].match, "credentials") != NULL);
		}
		free(data);
		cs_secret_engine_free(eng);
	}
}

/* ---- chunking ---------------------------------------------------------- */

static bool same_lists(const found_list *a, const found_list *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].rule, b->v[i].rule) || a->v[i].line != b->v[i].line ||
		    a->v[i].col != b->v[i].col || a->v[i].off != b->v[i].off || strcmp(a->v[i].match, b->v[i].match))
			return false;
	return true;
}

/* Whole versus two blocks split at every step-th byte, versus blocks of 1, 7 and 4093 bytes. */
static void check_chunking(const cs_secret_engine *eng, const char *name, const char *data, size_t len,
			   size_t step)
{
	cs_secret_scanner *sc;
	cs_err err;
	found_list whole, part;
	size_t k, sizes[] = {1, 7, 4093};

	cs_err_clear(&err);
	if (cs_secret_scanner_new(&sc, eng, &err) < 0) {
		test_failures++;
		return;
	}
	scan_with(sc, name, data, len, 0, &whole);
	for (k = 0; k <= len; k += step) {
		part.n = 0;
		if (cs_secret_file_begin(sc, name, len)) {
			cs_secret_file_feed(sc, data, k);
			cs_secret_file_feed(sc, data + k, len - k);
			cs_secret_file_end(sc, collect, &part);
		}
		if (!same_lists(&whole, &part)) {
			fprintf(stderr, "  %s: split at %zu gives %zu findings, whole %zu\n", name, k, part.n, whole.n);
			test_failures++;
			break;
		}
	}
	for (k = 0; k < CS_ARRAY_LEN(sizes); k++) {
		scan_with(sc, name, data, len, sizes[k], &part);
		if (!same_lists(&whole, &part)) {
			fprintf(stderr, "  %s: %zu-byte blocks give %zu findings, whole %zu\n", name, sizes[k], part.n,
				whole.n);
			test_failures++;
		}
	}
	cs_secret_scanner_free(sc);
}

TEST(chunking_real_inputs)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(real_expect); i++) {
		char path[1024];
		size_t len = 0;
		char *data = test_read_file(shared_path(path, sizeof(path), real_expect[i].file), &len);

		CHECK(data != NULL);
		if (data)
			check_chunking(builtin_engine(), "file.txt", data, len, 1);
		free(data);
	}
}

TEST(chunking_samples)
{
	char text[1 << 15];
	size_t i, n = 0;

	/* Every true sample in one file, each after a different amount of filler. */
	for (i = 0; i < CS_ARRAY_LEN(samples) && n < sizeof(text) - 4096; i++) {
		if (samples[i].path)
			continue;
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%.*s", (int)(i % 37),
				      "# filler filler filler filler filler");
		n += fill(text + n, sizeof(text) - n, samples[i].fmt, samples[i].secret);
	}
	check_chunking(builtin_engine(), "all.conf", text, n, 31);
}

TEST(chunking_long_file)
{
	/* Secrets far apart, around the history size and past it, on long lines. */
	size_t cap = 200000, n = 0, i;
	char *buf = malloc(cap);
	found_list whole;

	if (!buf)
		return;
	for (i = 0; n + 300 < cap; i++) {
		if (i % 97 == 0)
			n += (size_t)snprintf(buf + n, cap - n, "\ntoken: ghp_%036zu", i);
		else if (i % 61 == 0)
			n += (size_t)snprintf(buf + n, cap - n, "\n-----BEGIN RSA PRIVATE KEY-----\n"
						 "MIIEowIBAAKCAQEAu/Nua0/1y08gkbnBfKd6VDHia8Na0ATgMQqZ4YEbi/t73g84\n");
		else
			n += (size_t)snprintf(buf + n, cap - n, "%s", i % 5 ? "lorem ipsum dolor sit amet " : "\n");
	}
	CHECK(scan_eng(builtin_engine(), "big.txt", buf, n, 0, &whole) > 10);
	check_chunking(builtin_engine(), "big.txt", buf, n, 997);
	free(buf);
}

/* ---- Vectorscan dispatch ------------------------------------------------ */

/*
 * Debian's Vectorscan 5.4.9 misses `D[:=]`-like matches in its AVX-512
 * code depending on where the bytes sit in memory (hsops.h). Every
 * position of an assignment in every alignment of the buffer must be found.
 */
static size_t alignment_misses(const cs_secret_engine *eng)
{
	static char raw[512 + 64] __attribute__((aligned(64)));
	size_t al, n, misses = 0;

	for (al = 0; al < 64; al += 4) {
		for (n = 0; n < 200; n++) {
			char *buf = raw + al;
			found_list l;

			memset(buf, 'x', n);
			snprintf(buf + n, 100, "db\nDB_PASSWORD=Qx7UAKIAJJ\n");
			if (scan_eng(eng, "srv/app.env", buf, strlen(buf), 0, &l) != 1)
				misses++;
		}
	}
	return misses;
}

TEST(alignment_regression)
{
	static const char only[] = "enable-builtin-rules: [generic-password-unquoted]\n";
	cs_secret_config *cfg;
	cs_secret_engine *eng = NULL;
	cs_err err;
	size_t misses;

	cs_err_clear(&err);
	CHECK(cs_secret_config_parse(&cfg, "one.yaml", only, sizeof(only) - 1, &err) == 0);
	CHECK(cfg && cs_secret_engine_new(&eng, cfg, &err) == 0);
	cs_secret_config_free(cfg);
	if (!eng)
		return;
	/* The rule alone (its accelerator is the one that failed), then among all rules. */
	misses = alignment_misses(eng) + alignment_misses(builtin_engine());
	if (misses)
		fprintf(stderr, "  %zu of 6400 placements missed (Vectorscan dispatch: %s)\n", misses,
			cs_hs_ops_get()->name);
	CHECK_INT(misses, 0);
	cs_secret_engine_free(eng);
}

TEST(chunking_two_streams)
{
	/* A .pgpass runs both databases over each block: path-scoped lines
	 * first, a token far later, lines counted right for both. */
	char buf[12000];
	size_t n = 0, i;
	found_list whole;

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "# pgpass\n\ndb:5432:app:app:Pg7xQ2wE9rT4\n");
	for (i = 0; i < 150; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "# comment line %03zu lorem ipsum dolor sit amet\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "*:*:*:ro:Ro9dF2yEe6kQ\n# ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\n");
	CHECK(scan_eng(builtin_engine(), "root/.pgpass", buf, n, 0, &whole) == 3);
	CHECK_STR(whole.v[0].rule, "pgpass-password");
	CHECK_INT(whole.v[0].line, 3);
	CHECK_STR(whole.v[1].rule, "pgpass-password");
	CHECK_INT(whole.v[1].line, 154);
	CHECK_STR(whole.v[2].rule, "github-pat");
	CHECK_INT(whole.v[2].line, 155);
	check_chunking(builtin_engine(), "root/.pgpass", buf, n, 7);
}

TEST(chunking_partial_then_shorter)
{
	/* A match that waits for the next block (k followed by up to 20 a's)
	 * turns out shorter, and another match of the rule ended inside the
	 * bytes it was waiting over: both are found, however the file is cut. */
	static const char yaml[] = "enable-builtin-rules: []\n"
				   "rules:\n  - id: shapes\n    regex: 'k(?:a{20}|a)|a{3}'\n";
	cs_secret_config *cfg;
	cs_secret_engine *eng = NULL;
	cs_err err;
	found_list l;
	const char *text = "kaaaab kaaaab\n";

	cs_err_clear(&err);
	CHECK(cs_secret_config_parse(&cfg, "shapes.yaml", yaml, sizeof(yaml) - 1, &err) == 0);
	CHECK(cfg && cs_secret_engine_new(&eng, cfg, &err) == 0);
	cs_secret_config_free(cfg);
	if (!eng)
		return;
	CHECK(scan_eng(eng, "x", text, strlen(text), 0, &l) == 4);
	CHECK_INT(l.v[0].off, 0);
	CHECK_INT(l.v[1].off, 2);
	check_chunking(eng, "x", text, strlen(text), 1);
	cs_secret_engine_free(eng);
}

/* ---- policies ---------------------------------------------------------- */

TEST(placeholders)
{
	static const char *const texts[] = {
		"password = \"changeme\"\n",
		"PASSWORD=${DB_PASSWORD}\n",
		"api_key: \"xxxxxxxxxxxxxxxxxxxxxxxx\"\n",
		"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n",
		"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
		"token = \"<your-token-here>\"\n",
		"secret: \"{{ .Values.secret }}\"\n",
		"password: \"%(password)s\"\n",
		"password = os.environ['DB_PASSWORD']\n",
		"password = getpass.getpass()\n",
		"password = self.password\n",
		"GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
		"stripe: sk_live_XXXXXXXXXXXXXXXXXXXXXXXX\n",
		"DATABASE_URL=postgres://user:password@localhost/db\n",
		"BROKER_URL=amqp://guest:guest@localhost:5672//\n",
		"client_secret = \"your_client_secret_here\"\n",
		"hashed_secret: 2b00042f7481c7b056c4b410d28f33cf2b00042f\n",
		"secretKeyRef: db-password-secret-name-1\n",
		"parameters:\n  secret: ThisTokenIsNotSoSecretChangeIt\n",
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(texts); i++) {
		found_list l;

		CHECK(scan("srv/app/app.env", texts[i], &l) == 0);
		if (l.n)
			fprintf(stderr, "  placeholder reported: %s -> %s (%s)\n", texts[i], l.v[0].rule, l.v[0].match);
	}
}

TEST(crlf_lines_and_columns)
{
	const char *text = "first line\r\n\r\n  GITHUB=ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\r\n"
			   "x\r\nkey: AKIAQWERTYUIOPASDFGH\r\n";
	found_list l;

	CHECK(scan("srv/app/crlf.txt", text, &l) == 2);
	CHECK_STR(l.v[0].rule, "github-pat");
	CHECK_INT(l.v[0].line, 3);
	CHECK_INT(l.v[0].col, 10);
	CHECK_STR(l.v[1].rule, "aws-access-key-id");
	CHECK_INT(l.v[1].line, 5);
	CHECK_INT(l.v[1].col, 6);
	CHECK(!strchr(l.v[0].match, '\r'));
}

TEST(binary_files)
{
	/* A NUL in the first 8000 bytes makes a file binary: only BIN rules count. */
	char buf[20000];
	const char *key = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
			  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n";
	const char *pw = "\npassword = \"Zx8Qw3Er6Ty9\"\n";
	const char *tok = "\x07npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\x01";
	found_list l;
	size_t n;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, "\x7f" "ELF\x02\x01\x01", 7);
	memcpy(buf + 9000, key, strlen(key));
	memcpy(buf + 12000, pw, strlen(pw));
	memcpy(buf + 15000, tok, strlen(tok));
	n = sizeof(buf);
	CHECK(scan_eng(builtin_engine(), "usr/local/bin/app", buf, n, 0, &l) == 2);
	CHECK(find_rule(&l, "private-key-openssh") != NULL);
	CHECK(find_rule(&l, "npm-access-token") != NULL);
	CHECK(find_rule(&l, "generic-password") == NULL);
	check_chunking(builtin_engine(), "usr/local/bin/app", buf, n, 499);
	/* The same text without the NUL is a text file: the password counts. */
	CHECK(scan("srv/app/app.conf", pw, &l) == 1);
	/* A .pyc: marshal strings keep a token whole next to binary bytes. */
	{
		char pyc[200];
		const char *t = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

		memset(pyc, 0, sizeof(pyc));
		memcpy(pyc, "\xa7\r\r\n", 4);
		pyc[40] = 'Z';
		pyc[41] = (char)strlen(t);
		memcpy(pyc + 42, t, strlen(t));
		CHECK(scan_eng(builtin_engine(), "app/__pycache__/settings.cpython-311.pyc", pyc, sizeof(pyc), 0, &l) == 1);
		CHECK(find_rule(&l, "stripe-secret-key") != NULL);
	}
}

TEST(size_cap)
{
	cs_secret_config *cfg;
	cs_secret_engine *eng;
	cs_secret_scanner *sc;
	cs_err err;
	char buf[3000];
	found_list l;

	cs_err_clear(&err);
	CHECK(cs_secret_config_parse(&cfg, "cap.yaml", "max-file-size: 2000\n", 20, &err) == 0);
	CHECK(cs_secret_engine_new(&eng, cfg, &err) == 0);
	cs_secret_config_free(cfg);
	CHECK(cs_secret_scanner_new(&sc, eng, &err) == 0);
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + 100, "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\n", 41);
	memcpy(buf + 2500, "npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\n", 41);
	CHECK(scan_with(sc, "srv/big", buf, sizeof(buf), 512, &l) == 1);
	CHECK_STR(l.v[0].rule, "github-pat");
	CHECK(cs_secret_file_truncated(sc));
	CHECK(scan_with(sc, "srv/small", buf, 1000, 0, &l) == 1);
	CHECK(!cs_secret_file_truncated(sc));
	cs_secret_scanner_free(sc);
	cs_secret_engine_free(eng);
}

TEST(path_allows)
{
	const char *text = "-----BEGIN RSA PRIVATE KEY-----\n"
			   "MIIEowIBAAKCAQEAu/Nua0/1y08gkbnBfKd6VDHia8Na0ATgMQqZ4YEbi/t73g84\n";
	const char *pw = "DB_PASSWORD=Zx8Qw3Er6Ty9\n";
	cs_secret_scanner *sc;
	cs_err err;
	found_list l;

	cs_err_clear(&err);
	CHECK(cs_secret_scanner_new(&sc, builtin_engine(), &err) == 0);
	/* Skipped before reading. */
	CHECK(!cs_secret_file_begin(sc, "usr/share/doc/openssl/examples/key.pem", 0));
	CHECK(!cs_secret_file_begin(sc, "usr/lib/python3/dist-packages/paramiko/tests/test_rsa.key", 0));
	CHECK(!cs_secret_file_begin(sc, "app/node_modules/jsonwebtoken/test/priv.pem", 0));
	CHECK(!cs_secret_file_begin(sc, "usr/local/go/src/crypto/tls/handshake_test.go", 0));
	CHECK(!cs_secret_file_begin(sc, "usr/lib/x86_64-linux-gnu/libgnutls.so.30.34.3", 0));
	/* Still scanned: an application's own tests, docs and keys, /etc, /root. */
	CHECK(scan_with(sc, "app/tests/fixtures/key.pem", text, strlen(text), 0, &l) == 1);
	CHECK(scan_with(sc, "srv/docs/deploy.pem", text, strlen(text), 0, &l) == 1);
	CHECK(scan_with(sc, "etc/ssl/private/ssl-cert-snakeoil.key", text, strlen(text), 0, &l) == 1);
	CHECK(scan_with(sc, "usr/local/lib/libapp.so", text, strlen(text), 0, &l) == 1);
	/* A specific rule still applies inside a package tree; generic ones do not. */
	CHECK(scan_with(sc, "usr/lib/python3/dist-packages/app/key.pem", text, strlen(text), 0, &l) == 1);
	CHECK(scan_with(sc, "usr/lib/python3/dist-packages/app/app.env", pw, strlen(pw), 0, &l) == 0);
	CHECK(scan_with(sc, "srv/app/app.env", pw, strlen(pw), 0, &l) == 1);
	/* Unquoted values are expressions in source code. */
	CHECK(scan_with(sc, "srv/app/settings.py", pw, strlen(pw), 0, &l) == 0);
	/* Path-scoped rules. */
	CHECK(scan_with(sc, "root/.pgpass", "db:5432:app:app:Pg7xQ2wE9rT4\n", 29, 0, &l) == 1);
	CHECK(scan_with(sc, "root/notes.txt", "db:5432:app:app:Pg7xQ2wE9rT4\n", 29, 0, &l) == 0);
	cs_secret_scanner_free(sc);
}

static int stop_cb(const cs_secret_finding *f, void *payload)
{
	CS_UNUSED(f);
	(*(int *)payload)++;
	return -42;
}

TEST(scan_buffer_and_callback_stop)
{
	cs_secret_scanner *sc;
	cs_err err;
	found_list l = {.n = 0};
	const char *env = "GITHUB_TOKEN=ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";
	const char *hist = "RUN curl -u deploy:Cu2pW9xL4mQ7zR1k https://repo.internal/x.tgz "
			   "&& echo npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";
	int calls = 0;

	cs_err_clear(&err);
	CHECK(cs_secret_scanner_new(&sc, builtin_engine(), &err) == 0);
	CHECK(cs_secret_scan_buffer(sc, "config:Env", env, strlen(env), collect, &l) == 1);
	CHECK_STR(l.v[0].rule, "github-pat");
	CHECK_INT(l.v[0].line, 1);
	CHECK_INT(l.v[0].col, 14);
	l.n = 0;
	CHECK(cs_secret_scan_buffer(sc, "config:history", hist, strlen(hist), collect, &l) == 2);
	CHECK_STR(l.v[0].rule, "curl-basic-auth");
	CHECK_STR(l.v[1].rule, "npm-access-token");
	CHECK(cs_secret_scan_buffer(sc, "config:history", hist, strlen(hist), stop_cb, &calls) == -42);
	CHECK_INT(calls, 1);
	/* A file left open is dropped by the next begin. */
	CHECK(cs_secret_file_begin(sc, "a", 0));
	CHECK(cs_secret_file_feed(sc, env, strlen(env)) == 0);
	l.n = 0;
	CHECK(scan_with(sc, "b", "nothing here\n", 13, 0, &l) == 0);
	cs_secret_scanner_free(sc);
}

typedef struct thread_arg {
	const cs_secret_engine *eng;
	int found;
} thread_arg;

static void *thread_main(void *p)
{
	thread_arg *a = p;
	size_t i;

	for (i = 0; i < 50; i++) {
		found_list l;

		if (scan_eng(a->eng, "srv/t.env", "x=1\nTOKEN=ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\n", 50, 5, &l) == 1)
			a->found++;
	}
	return NULL;
}

TEST(threads_share_one_engine)
{
	pthread_t th[4];
	thread_arg args[4];
	size_t i;

	for (i = 0; i < 4; i++) {
		args[i].eng = builtin_engine();
		args[i].found = 0;
		pthread_create(&th[i], NULL, thread_main, &args[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_INT(args[i].found, 50);
	}
}

/* ---- custom YAML ------------------------------------------------------- */

static const char custom_yaml[] =
	"# company rules\n"
	"rules:\n"
	"  - id: acme-api-key\n"
	"    category: acme\n"
	"    title: ACME internal API key\n"
	"    severity: critical\n"
	"    regex: '\\b(acme_[a-z0-9]{24})\\b'\n"
	"    group: 1\n"
	"    keywords: [ACME_]\n"
	"    entropy: 3\n"
	"    allow-rules:\n"
	"      - id: acme-test-keys\n"
	"        regex: '^acme_test'\n"
	"  - id: acme-lookahead\n"
	"    regex: 'order-(?=[0-9]{6}\\b)(?P<secret>[0-9]{6})'\n"
	"    secret-group-name: secret\n"
	"disable-rules: [jwt]\n"
	"disable-allow-rules: [docs]\n"
	"allow-rules:\n"
	"  - id: fixtures\n"
	"    path: '^srv/fixtures/'\n";

TEST(custom_yaml)
{
	cs_secret_config *cfg;
	cs_secret_engine *eng;
	cs_err err;
	found_list l;
	const char *text = "k1 = acme_q8w7e6r5t4y3u2i1o9p8a7s6\nk2 = acme_test0w7e6r5t4y3u2i1o9p8\n"
			   "jwt: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ\n"
			   "ref order-123456\n";

	cs_err_clear(&err);
	CHECK(cs_secret_config_parse(&cfg, "acme.yaml", custom_yaml, sizeof(custom_yaml) - 1, &err) == 0);
	if (!cfg) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_INT(cfg->nrules, 2);
	CHECK_STR(cfg->rules[0].keywords, "acme_");
	CHECK(cs_secret_engine_new(&eng, cfg, &err) == 0);
	cs_secret_config_free(cfg); /* the engine keeps its own copy */
	if (!eng) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_INT(cs_secret_engine_rule_count(eng), cs_secret_builtin_count - 1 + 2);
	CHECK(cs_secret_engine_rule(eng, 1)->flags & CS_SR_PREFILTER); /* look-ahead: prefilter mode */
	CHECK(scan_eng(eng, "srv/app/app.conf", text, strlen(text), 0, &l) == 2);
	CHECK_STR(l.v[0].rule, "acme-api-key");
	CHECK_INT(l.v[0].line, 1);
	CHECK_INT(cs_secret_engine_rule(eng, 0)->severity, CS_SECRET_CRITICAL);
	CHECK_STR(l.v[1].rule, "acme-lookahead");
	CHECK_INT(l.v[1].line, 4);
	CHECK(!strstr(l.v[1].match, "123456"));
	check_chunking(eng, "srv/app/app.conf", text, strlen(text), 1);
	CHECK(scan_eng(eng, "srv/fixtures/app.conf", text, strlen(text), 0, &l) == 0);
	CHECK(scan_eng(eng, "usr/share/doc/acme/README", text, strlen(text), 0, &l) == 2);
	cs_secret_engine_free(eng);
}

static void yaml_error(const char *yaml, const char *want1, const char *want2)
{
	cs_secret_config *cfg = NULL;
	cs_secret_engine *eng = NULL;
	cs_err err;
	int rc;

	cs_err_clear(&err);
	rc = cs_secret_config_parse(&cfg, "bad.yaml", yaml, strlen(yaml), &err);
	if (rc == 0) {
		rc = cs_secret_engine_new(&eng, cfg, &err);
		cs_secret_engine_free(eng);
		cs_secret_config_free(cfg);
	}
	CHECK(rc < 0);
	if (rc >= 0 || !strstr(err.msg, "bad.yaml") || !strstr(err.msg, want1) || (want2 && !strstr(err.msg, want2)) ||
	    strchr(err.msg, '\n')) {
		fprintf(stderr, "  yaml error for %s: \"%s\"\n", want1, err.msg);
		test_failures++;
	}
}

TEST(custom_yaml_errors)
{
	yaml_error("rules:\n  - id: x\n    regex: '(unclosed'\n", "rule 'x'", "invalid regex");
	yaml_error("rules:\n  - id: x\n    regex: 'a\\1'\n", "rule 'x'", NULL);
	yaml_error("rules:\n  - id: x\n    regex: 'abc'\n    colour: red\n", "unknown key 'colour'", "rule 'x'");
	yaml_error("rules:\n  - regex: 'abc'\n", "rule #1", "missing 'id'");
	yaml_error("rules:\n  - id: x\n", "rule 'x'", "missing 'regex'");
	yaml_error("rules:\n  - id: x\n    regex: 'abc'\n  - id: x\n    regex: 'def'\n", "rule 'x'", "twice");
	yaml_error("rules:\n  - id: x\n    regex: 'abc'\n    secret-group-name: s\n", "rule 'x'", "no group named 's'");
	yaml_error("rules:\n  - id: x\n    regex: 'abc'\n    severity: urgent\n", "rule 'x'", "severity 'urgent'");
	yaml_error("rules:\n  - id: x\n    regex: 'abc'\n    group: 3\n", "rule 'x'", "group");
	yaml_error("rules:\n  - id: x\n    regex: 'abc'\n    allow-rules:\n      - id: y\n", "allow rule 'y'", NULL);
	yaml_error("rules: [\n", "YAML", NULL);
	yaml_error("rules: *a\n", "YAML", NULL);
	yaml_error("- just a list\n", "must be a mapping", NULL);
	yaml_error("colour: red\n", "unknown key 'colour'", NULL);
	yaml_error("max-file-size: lots\n", "max-file-size", NULL);
	yaml_error("exclude-block:\n  regexes: ['(x']\n", "exclude block", NULL);
	{
		cs_secret_config *cfg;
		cs_err err;

		cs_err_clear(&err);
		CHECK(cs_secret_config_load(&cfg, "/nonexistent/secret.yaml", &err) == CS_EIO);
		CHECK(strstr(err.msg, "/nonexistent/secret.yaml") != NULL);
		CHECK(cs_secret_config_parse(&cfg, "empty.yaml", "", 0, &err) == 0);
		cs_secret_config_free(cfg);
	}
}

TEST(database_cache)
{
	char dir[] = "/tmp/customs-secret-cache-XXXXXX";
	cs_secret_config *cfg;
	cs_secret_engine *a, *b;
	cs_err err;
	found_list la, lb;
	DIR *d;
	struct dirent *de;
	int files = 0;
	const char *text = "TOKEN=ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c\n";

	cs_err_clear(&err);
	CHECK(mkdtemp(dir) != NULL);
	CHECK(cs_secret_config_new(&cfg, &err) == 0);
	cfg->cache_dir = dir;
	CHECK(cs_secret_engine_new(&a, cfg, &err) == 0); /* compiles and stores */
	CHECK(cs_secret_engine_new(&b, cfg, &err) == 0); /* loads */
	CHECK(scan_eng(a, "a.env", text, strlen(text), 0, &la) == 1);
	CHECK(scan_eng(b, "a.env", text, strlen(text), 0, &lb) == 1);
	CHECK(same_lists(&la, &lb));
	cs_secret_engine_free(a);
	cs_secret_engine_free(b);
	cs_secret_config_free(cfg);
	if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			char p[512];

			if (de->d_name[0] == '.')
				continue;
			files++;
			CHECK(strncmp(de->d_name, "secret-db-", 10) == 0);
			if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) < sizeof(p))
				remove(p);
		}
		closedir(d);
	}
	CHECK_INT(files, 2); /* the main database and the path-scoped one */
	rmdir(dir);
}

/* ---- checks ------------------------------------------------------------ */

TEST(check_functions)
{
	CHECK(cs_secret_entropy("aaaa", 4) < 0.01);
	CHECK(cs_secret_entropy("abcd", 4) > 1.99 && cs_secret_entropy("abcd", 4) < 2.01);
	CHECK(cs_secret_is_placeholder("AKIAIOSFODNN7EXAMPLE", 20));
	CHECK(cs_secret_is_placeholder("${TOKEN}", 8));
	CHECK(cs_secret_is_placeholder("abcxxxxxdef", 11));
	CHECK(!cs_secret_is_placeholder("Zx8Qw3Er6Ty9", 12));
	CHECK(cs_secret_generic_ok("Zx8Qw3Er6Ty9", 12, CS_SR_GENERIC | CS_SR_PASSWORD));
	CHECK(!cs_secret_generic_ok("changeme", 8, CS_SR_GENERIC | CS_SR_PASSWORD));
	CHECK(!cs_secret_generic_ok("self.password", 13, CS_SR_GENERIC | CS_SR_PASSWORD));
	CHECK(!cs_secret_generic_ok("get_pw()", 8, CS_SR_GENERIC | CS_SR_PASSWORD));
	CHECK(!cs_secret_generic_ok("UNICODE_STRING", 14, CS_SR_GENERIC | CS_SR_PASSWORD));
	CHECK(!cs_secret_generic_ok("notHighEnoughEntropy", 20, CS_SR_GENERIC));
	CHECK(cs_secret_generic_ok("vh987tyw9ehy8ghis7vwyhiwbwitefy7w3ASDGYDGUASDG", 46, CS_SR_GENERIC));
	CHECK(!cs_secret_generic_key_ok("hashed_secret\": \"", 17));
	CHECK(cs_secret_generic_key_ok("client_secret = \"", 17));
	CHECK_INT(cs_secret_redact_keep(9), 0);
	CHECK_INT(cs_secret_redact_keep(40), 4);
	CHECK_INT(cs_secret_redact_keep(400), 4);
}

TEST_MAIN(TEST_ENTRY(rule_table), TEST_ENTRY(rule_samples), TEST_ENTRY(real_inputs), TEST_ENTRY(trivy_configs),
	  TEST_ENTRY(chunking_real_inputs), TEST_ENTRY(chunking_samples), TEST_ENTRY(chunking_long_file),
	  TEST_ENTRY(chunking_two_streams), TEST_ENTRY(chunking_partial_then_shorter),
	  TEST_ENTRY(placeholders), TEST_ENTRY(crlf_lines_and_columns), TEST_ENTRY(binary_files), TEST_ENTRY(size_cap),
	  TEST_ENTRY(path_allows), TEST_ENTRY(scan_buffer_and_callback_stop), TEST_ENTRY(threads_share_one_engine),
	  TEST_ENTRY(custom_yaml), TEST_ENTRY(custom_yaml_errors), TEST_ENTRY(database_cache),
	  TEST_ENTRY(alignment_regression), TEST_ENTRY(check_functions))
