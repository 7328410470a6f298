/*
 * test_composer.c - the composer cataloger against Trivy, syft and PHP.
 *
 * Oracles first:
 *
 *  - trivy_parser: Trivy's composer.lock parser case
 *    (test-data/lang/trivy/php/composer/expected.trivy.json): name, version
 *    and licenses of every package not marked Dev.
 *  - trivy_analyzer: Trivy's composer and composer-vendor analyzer tests
 *    (composer_test.go, vendor_test.go): their directories, refusals and
 *    Required() paths.
 *  - trivy_integration: the inputs of Trivy's integration goldens
 *    (composer.lock.json.golden, composer.vendor.json.golden): names,
 *    versions, licenses and purls.
 *  - syft: syft's installed.json (Composer 1 and 2) and composer.lock tests.
 *  - php: PHP's own json_decode, read the way Composer reads these files
 *    (InstalledFilesystemRepository: {"packages": [...]} or the list itself;
 *    the lock's "packages"), on every fixture and on a table of odd
 *    documents: the same names and versions.
 *
 * Then the license rules, hostile input (truncation at every byte, deep
 * nesting, huge strings, NULs), a root filesystem scan, and the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/composer.h"

#include "unit/catfix.h"

#define PHP_TRIVY "test-data/lang/trivy/php/composer"
#define PHP_TRIVY_AN "test-data/lang/trivy-analyzer/php/composer/testdata"
#define PHP_SYFT "test-data/lang/syft/php/testdata"
#define PHP_GOLDEN "test-data/golden/trivy-integration/fixtures/repo"
#define PHP "/usr/bin/php"
#define INSTALLED "app/vendor/composer/installed.json"
#define LOCK "app/composer.lock"

/* How the analyzer calls the parser: the walker's NUL after the bytes, limits refused with a message. */
static const cf_parser composer_parser = {cs_composer_parse_file, CF_NUL | CF_LIMIT};

/* Parses a shared fixture as the file at as. */
static int parse_fixture(cs_langfile *f, cs_arena *a, const char *rel, const char *as, cs_err *err)
{
	return cf_parse_fixture(cs_composer_parse_file, f, a, rel, as, err);
}

static int parse_text(cs_langfile *f, cs_arena *a, const char *as, const char *text, cs_err *err)
{
	return cf_parse_text(cs_composer_parse_file, f, a, as, text, err);
}

/* --- Trivy ------------------------------------------------------------------------ */

TEST(trivy_parser)
{
	size_t ncases = 0;
	cJSON *j = cf_read_json(PHP_TRIVY "/expected.trivy.json");
	const cJSON *c, *p;
	cs_err err;

	if (!j)
		return;
	cJSON_ArrayForEach(c, cs_json_arr(j, "cases"))
	{
		const char *input = cs_json_str(c, "input");
		cf_want want[32];
		size_t n = 0, ndev = 0;
		char rel[1024];
		cs_langfile f;
		cs_arena a;

		if (!input)
			continue;
		cs_arena_init(&a);
		cJSON_ArrayForEach(p, cs_json_arr(c, "packages"))
		{
			/*
			 * Trivy's parser returns packages-dev too, marked Dev, and
			 * its analyzer drops them unless --include-dev-deps: they
			 * are not installed in production. We never read them.
			 */
			if (cs_json_true(p, "Dev")) {
				ndev++;
				continue;
			}
			if (n == CS_ARRAY_LEN(want))
				break;
			want[n++] = cf_trivy_want(p, &a, NULL);
		}
		snprintf(rel, sizeof(rel), PHP_TRIVY "/%s", input);
		CHECK_INT(parse_fixture(&f, &a, rel, LOCK, &err), 0);
		CHECK(f.lockfile);
		CHECK_INT(f.nbad, 0);
		cf_check(input, &f, want, n);
		CHECK_INT(ndev, 2);
		cs_arena_release(&a);
		ncases++;
	}
	CHECK_INT(ncases, 1);
	cJSON_Delete(j);
}

TEST(trivy_analyzer)
{
	static const cf_want pear[] = {
		{"pear/log", "1.13.3", "MIT", "pkg:composer/pear/log@1.13.3"},
		{"pear/pear_exception", "v1.0.2", "BSD-2-Clause", "pkg:composer/pear/pear_exception@v1.0.2"},
	};
	/* with-dev: Trivy lists pear/log 1.14.6 and pear/pear_exception as Dev; by default it reports psr/log only. */
	static const cf_want with_dev[] = {{"psr/log", "1.1.4", "MIT", "pkg:composer/psr/log@1.1.4"}};
	static const char *const lock_dirs[] = {"happy", "no-composer-json", "wrong-composer-json"};
	static const cf_kind_case required[] = {
		/* vendor_test.go and composer_test.go */
		{"app/vendor/composer/installed.json", CS_COMPOSER_INSTALLED},
		{"composer.json", CS_COMPOSER_NONE},
		{"composer.lock", CS_COMPOSER_LOCK},
		{"app/vendor/foo/bar/composer.lock", CS_COMPOSER_NONE},
	};
	char rel[1024];
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t i;

	cs_arena_init(&a);
	CHECK_INT(parse_fixture(&f, &a, PHP_TRIVY_AN "/composer-vendor/happy/installed.json", INSTALLED, &err), 0);
	cf_check("composer-vendor/happy", &f, pear, 2);
	CHECK(!f.lockfile);
	CHECK_INT(parse_fixture(&f, &a, PHP_TRIVY_AN "/composer-vendor/sad/installed.json", INSTALLED, &err),
		  CS_EFORMAT);
	CHECK(err.msg[0] != '\0');
	for (i = 0; i < CS_ARRAY_LEN(lock_dirs); i++) {
		snprintf(rel, sizeof(rel), PHP_TRIVY_AN "/composer/%s/composer.lock", lock_dirs[i]);
		CHECK_INT(parse_fixture(&f, &a, rel, LOCK, &err), 0);
		cf_check(lock_dirs[i], &f, pear, 2);
		CHECK(f.lockfile);
	}
	CHECK_INT(parse_fixture(&f, &a, PHP_TRIVY_AN "/composer/sad/composer.lock", LOCK, &err), CS_EFORMAT);
	CHECK_INT(parse_fixture(&f, &a, PHP_TRIVY_AN "/composer/with-dev/composer.lock", LOCK, &err), 0);
	cf_check("with-dev", &f, with_dev, 1);
	cs_arena_release(&a);
	cf_check_kinds(cs_composer_kind, &cs_analyzer_composer, required, CS_ARRAY_LEN(required));
}

/* Trivy's integration goldens for the same inputs (integration/testdata/composer.*.json.golden). */
TEST(trivy_integration)
{
	static const cf_want lock[] = {
		{"guzzlehttp/guzzle", "7.4.4", "MIT", "pkg:composer/guzzlehttp/guzzle@7.4.4"},
		{"guzzlehttp/psr7", "1.8.3", "MIT", "pkg:composer/guzzlehttp/psr7@1.8.3"},
	};
	static const cf_want vendor[] = {
		{"guzzlehttp/psr7", "1.8.3", "MIT", "pkg:composer/guzzlehttp/psr7@1.8.3"},
		{"psr/http-message", "1.1", "MIT", "pkg:composer/psr/http-message@1.1"},
		{"ralouphie/getallheaders", "3.0.3", "MIT", "pkg:composer/ralouphie/getallheaders@3.0.3"},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	CHECK_INT(parse_fixture(&f, &a, PHP_GOLDEN "/composer/composer.lock", LOCK, &err), 0);
	cf_check("golden composer.lock", &f, lock, CS_ARRAY_LEN(lock));
	CHECK_INT(parse_fixture(&f, &a, PHP_GOLDEN "/composer-vendor/installed.json", INSTALLED, &err), 0);
	cf_check("golden installed.json", &f, vendor, CS_ARRAY_LEN(vendor));
	cs_arena_release(&a);
}

/* --- syft --------------------------------------------------------------------------- */

TEST(syft)
{
	static const cf_want installed[] = {
		{"asm89/stack-cors", "1.3.0", "MIT", "pkg:composer/asm89/stack-cors@1.3.0"},
		{"behat/mink", "v1.8.1", "MIT", "pkg:composer/behat/mink@v1.8.1"},
	};
	static const cf_want lock[] = {
		{"adoy/fastcgi-client", "1.0.2", "MIT", "pkg:composer/adoy/fastcgi-client@1.0.2"},
		{"alcaeus/mongo-php-adapter", "1.1.11", "MIT", "pkg:composer/alcaeus/mongo-php-adapter@1.1.11"},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	/* Composer 1's list and Composer 2's object (whose behat/mink is a dev package: installed all the same). */
	CHECK_INT(parse_fixture(&f, &a, PHP_SYFT "/vendor/composer_1/installed.json", INSTALLED, &err), 0);
	cf_check("composer_1", &f, installed, 2);
	CHECK_INT(parse_fixture(&f, &a, PHP_SYFT "/vendor/composer_2/installed.json", INSTALLED, &err), 0);
	cf_check("composer_2", &f, installed, 2);
	/* The lock's packages-dev (behat/gherkin, codeception/codeception) are not read, as in syft. */
	CHECK_INT(parse_fixture(&f, &a, PHP_SYFT "/composer.lock", LOCK, &err), 0);
	cf_check("syft composer.lock", &f, lock, 2);
	cs_arena_release(&a);
}

/* --- PHP ------------------------------------------------------------------------------- */

/*
 * Reads "path<TAB>kind" lines on stdin and prints, per file, the sorted
 * "name version" pairs of its packages as Composer selects them, comma
 * separated, or "!" when json_decode refuses the file or the list is not
 * there. An entry counts when it has string name and version, non-empty
 * and free of control bytes (what we call well formed; Composer's loader
 * would throw on the rest).
 */
static const char php_oracle[] =
	"<?php\n"
	"foreach (explode(\"\\n\", trim(stream_get_contents(STDIN))) as $line) {\n"
	"  [$path, $kind] = explode(\"\\t\", $line);\n"
	"  $d = json_decode(file_get_contents($path), true, 1000);\n"
	"  if ($kind === 'lock') $list = is_array($d) && !array_is_list($d) ? ($d['packages'] ?? []) : null;\n"
	"  else $list = is_array($d) ? (array_key_exists('packages', $d) ? $d['packages']\n"
	"                                : (array_is_list($d) ? $d : null)) : null;\n"
	"  if (!is_array($list) || !array_is_list($list)) { echo \"!\\n\"; continue; }\n"
	"  $out = [];\n"
	"  foreach ($list as $p) {\n"
	"    if (!is_array($p) || !is_string($p['name'] ?? null) || !is_string($p['version'] ?? null)) continue;\n"
	"    if ($p['name'] === '' || $p['version'] === '') continue;\n"
	"    if (preg_match('/[\\x00-\\x1f\\x7f]/', $p['name'] . $p['version'])) continue;\n"
	"    $out[] = $p['name'] . ' ' . $p['version'];\n"
	"  }\n"
	"  $out = array_unique($out); sort($out, SORT_STRING);\n"
	"  echo implode(',', $out), \"\\n\";\n"
	"}\n";

/* Odd documents for both readers. */
static const struct {
	const char *kind, *text;
} php_table[] = {
	{"installed", "[]"},
	{"installed", "{\"packages\": []}"},
	{"installed", "{\"packages\": [{\"name\": \"a/b\", \"version\": \"1.0\"}, 7, null, [], {\"name\": \"c/d\"},"
		      " {\"name\": 5, \"version\": \"1\"}, {\"name\": \"\", \"version\": \"1\"},"
		      " {\"name\": \"a/b\", \"version\": \"1.0\"}, {\"name\": \"e\\u0000f\", \"version\": \"1\"},"
		      " {\"name\": \"\\u00e9/\\u00e8\", \"version\": \"dev-main\"}]}"},
	{"installed", "[{\"name\": \"x/y\", \"version\": \"2.0.0\", \"license\": \"MIT\"}, {\"version\": \"1\"}]"},
	{"installed", "{\"dev\": true}"},
	{"installed", "{\"packages\": {\"name\": \"a/b\"}}"},
	{"installed", "\"just a string\""},
	{"installed", "[{\"name\": \"a/b\", \"version\": \"1.0\"}] trailing"},
	{"lock", "{\"packages\": [{\"name\": \"l/m\", \"version\": \"v3.1.0\"}],"
		 " \"packages-dev\": [{\"name\": \"dev/only\", \"version\": \"1\"}]}"},
	{"lock", "{\"packages-dev\": [{\"name\": \"dev/only\", \"version\": \"1\"}]}"},
	{"lock", "[{\"name\": \"a/b\", \"version\": \"1.0\"}]"},
	{"lock", "{\"packages\": \"no\"}"},
	{"lock", "{\"packages\": [{\"name\": \"a/b\", \"version\": \"1.0\", \"license\": [\"MIT\", 3, \"GPL\"]}]}"},
};

/* Our answer in the oracle's words. */
static void ours_line(cs_buf *out, const char *path, const char *kind)
{
	size_t len, i;
	char *data = test_read_file(path, &len);
	cs_langfile f;
	cs_arena a;
	cs_err err;
	const char **v;
	int rc = CS_EIO;

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (data)
		rc = strcmp(kind, "lock") == 0 ? cs_composer_parse_lock(&f, &a, data, len, &err)
					       : cs_composer_parse_installed(&f, &a, data, len, &err);
	if (rc < 0 || !(v = cs_arena_calloc(&a, f.npkgs + 1, sizeof(*v)))) {
		cs_buf_puts(out, "!\n");
	} else {
		for (i = 0; i < f.npkgs; i++)
			v[i] = cs_arena_printf(&a, "%s %s", f.pkgs[i].name, f.pkgs[i].version);
		/* PHP's sort(SORT_STRING) is strcmp order. */
		for (i = 1; i < f.npkgs; i++) {
			size_t k = i;

			while (k > 0 && strcmp(v[k - 1], v[k]) > 0) {
				const char *t = v[k];

				v[k] = v[k - 1];
				v[k - 1] = t;
				k--;
			}
		}
		for (i = 0; i < f.npkgs; i++)
			cs_buf_printf(out, "%s%s", i ? "," : "", v[i]);
		cs_buf_putc(out, '\n');
	}
	cs_arena_release(&a);
	free(data);
}

TEST(php)
{
	static const struct {
		const char *rel, *kind;
	} fixtures[] = {
		{PHP_TRIVY "/testdata/composer_happy.lock", "lock"},
		{PHP_TRIVY_AN "/composer-vendor/happy/installed.json", "installed"},
		{PHP_TRIVY_AN "/composer-vendor/sad/installed.json", "installed"},
		{PHP_TRIVY_AN "/composer/happy/composer.lock", "lock"},
		{PHP_TRIVY_AN "/composer/sad/composer.lock", "lock"},
		{PHP_TRIVY_AN "/composer/with-dev/composer.lock", "lock"},
		{PHP_SYFT "/vendor/composer_1/installed.json", "installed"},
		{PHP_SYFT "/vendor/composer_2/installed.json", "installed"},
		{PHP_SYFT "/composer.lock", "lock"},
		{PHP_GOLDEN "/composer/composer.lock", "lock"},
		{PHP_GOLDEN "/composer-vendor/installed.json", "installed"},
	};
	char dir[256], path[4096];
	cs_buf list, ours;
	char *theirs;
	size_t i, n = 0;

	if (access(PHP, X_OK) != 0) {
		fprintf(stderr, "  skipped: no %s\n", PHP);
		return;
	}
	if (!cf_tmpdir(dir, sizeof(dir), "composer"))
		return;
	cs_buf_init(&list, 0);
	cs_buf_init(&ours, 0);
	for (i = 0; i < CS_ARRAY_LEN(fixtures); i++) {
		cs_buf_printf(&list, "%s\t%s\n", cf_shared_path(path, sizeof(path), fixtures[i].rel), fixtures[i].kind);
		ours_line(&ours, path, fixtures[i].kind);
		n++;
	}
	for (i = 0; i < CS_ARRAY_LEN(php_table); i++) {
		snprintf(path, sizeof(path), "%s/t%zu.json", dir, i);
		CHECK(cf_write(path, php_table[i].text, strlen(php_table[i].text)));
		cs_buf_printf(&list, "%s\t%s\n", path, php_table[i].kind);
		ours_line(&ours, path, php_table[i].kind);
		n++;
	}
	theirs = cf_run_script(PHP " -n", php_oracle, list.data);
	CHECK(theirs != NULL);
	if (theirs) {
		CHECK_INT(cf_diff_lines(list.data, ours.data, theirs, "php", NULL), 0);
		fprintf(stderr, "  %zu documents read as PHP's json_decode reads them\n", n);
	}
	free(theirs);
	rm_tree(dir);
	cs_buf_release(&list);
	cs_buf_release(&ours);
}

/* --- rules ------------------------------------------------------------------------------- */

TEST(license_rules)
{
	static const struct {
		const char *license; /* a JSON value */
		const char *want;
	} cases[] = {
		{"\"MIT\"", "MIT"},
		{"\"MIT or BSD-2-Clause\"", "MIT|BSD-2-Clause"},
		{"\"(LGPL-2.1-only or GPL-3.0-or-later)\"", "LGPL-2.1-only|GPL-3.0-or-later"},
		{"\"GPL-1+ or Artistic, and BSD-4-clause-POWERDOG\"", "GPL-1+|Artistic|BSD-4-clause-POWERDOG"},
		{"\"LGPLv3+_or_GPLv2+\"", "LGPLv3+|GPLv2+"},
		{"\"BSD-3-CLAUSE and GPL-2\"", "BSD-3-CLAUSE|GPL-2"},
		{"\"Apache License, Version 2.0\"", "Apache License, Version 2.0"},
		{"\"GPL v2 or later\"", "GPL v2 or later"},
		{"\"MIT OR Apache-2.0\"", "MIT|Apache-2.0"},
		{"\"Oracle\"", "Oracle"},
		{"\"Mandatory\"", "Mandatory"},
		{"\"\"", ""},
		{"\" , or ,\"", ""},
		{"[\"MIT\", \"GPL-2.0-or-later\"]", "MIT|GPL-2.0-or-later"},
		{"[\"MIT or X\"]", "MIT or X"},
		{"[\"\", 5, null, \"A\\u0001B\", \"ok\"]", "ok"},
		{"{\"x\": 1}", ""},
		{"42", ""},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char text[512], label[64];
		cf_want w = {"a/b", "1", cases[i].want, "pkg:composer/a/b@1"};
		cs_langfile f;
		cs_arena a;
		cs_err err;

		snprintf(text, sizeof(text), "[{\"name\": \"a/b\", \"version\": \"1\", \"license\": %s}]",
			 cases[i].license);
		snprintf(label, sizeof(label), "license case %zu", i);
		cs_arena_init(&a);
		CHECK_INT(parse_text(&f, &a, INSTALLED, text, &err), 0);
		cf_check(label, &f, &w, 1);
		cs_arena_release(&a);
	}
}

TEST(purls_and_kinds)
{
	static const struct {
		const char *name, *version, *purl;
	} purls[] = {
		{"symfony/polyfill-php72", "v1.27.0", "pkg:composer/symfony/polyfill-php72@v1.27.0"},
		{"monolog", "1.0", "pkg:composer/monolog@1.0"},
		{"a/b/c", "1.x-dev", "pkg:composer/a/b%2Fc@1.x-dev"},
		{"/lead", "1", "pkg:composer/lead@1"}, /* no vendor; cs_purl_build drops the slash */
		{"Vendor/Pkg", "dev-main#abc", "pkg:composer/Vendor/Pkg@dev-main%23abc"},
	};
	static const cf_kind_case kinds[] = {
		{"var/www/html/vendor/composer/installed.json", CS_COMPOSER_INSTALLED},
		{"app/lib/composer/installed.json", CS_COMPOSER_INSTALLED},
		{"composer/installed.json", CS_COMPOSER_INSTALLED},
		{"installed.json", CS_COMPOSER_NONE},
		{"app/vendor/installed.json", CS_COMPOSER_NONE},
		{"app/vendor/mycomposer/installed.json", CS_COMPOSER_NONE},
		{"app/vendor/composer/installed.php", CS_COMPOSER_NONE},
		{"var/www/html/composer.lock", CS_COMPOSER_LOCK},
		{"var/www/vendors/composer.lock", CS_COMPOSER_LOCK},
		{"vendor/composer.lock", CS_COMPOSER_NONE},
		{"app/composer.json", CS_COMPOSER_NONE},
		{"", CS_COMPOSER_NONE},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(purls); i++) {
		char text[512];
		cf_want w = {purls[i].name, purls[i].version, NULL, purls[i].purl};
		cs_langfile f;
		cs_arena a;
		cs_err err;

		snprintf(text, sizeof(text), "{\"packages\": [{\"name\": \"%s\", \"version\": \"%s\"}]}", purls[i].name,
			 purls[i].version);
		cs_arena_init(&a);
		CHECK_INT(parse_text(&f, &a, LOCK, text, &err), 0);
		cf_check(purls[i].name, &f, &w, 1);
		cs_arena_release(&a);
	}
	cf_check_kinds(cs_composer_kind, &cs_analyzer_composer, kinds, CS_ARRAY_LEN(kinds));
	CHECK(!cs_analyzer_composer.wants("app/vendor/composer/installed.json", S_IFLNK | 0777));
	CHECK(strcmp(cs_analyzer_composer.name, "composer") == 0 && cs_analyzer_composer.finish != NULL);
}

/* --- hostile input ---------------------------------------------------------------------- */

TEST(hostile)
{
	static const cf_fixture fixtures[] = {
		{PHP_TRIVY_AN "/composer-vendor/happy/installed.json", INSTALLED},
		{PHP_TRIVY_AN "/composer/with-dev/composer.lock", LOCK},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;
	cs_buf b;
	size_t i;

	cf_truncate_flip_fixtures(&composer_parser, fixtures, CS_ARRAY_LEN(fixtures), 8192, 8192);
	/* Random bytes are malformed JSON. */
	cf_garbage(&composer_parser, INSTALLED, 4096, 0, 32, 7, CS_EFORMAT);
	cs_buf_init(&b, 0);
	/* Nesting deeper than cJSON's limit is refused; at 900 levels it parses (and nothing is there). */
	for (i = 0; i < 100000; i++)
		cs_buf_putc(&b, '[');
	CHECK_INT(cf_parse_exact(&composer_parser, INSTALLED, b.data, b.len), CS_EFORMAT);
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"packages\": [{\"name\": \"a/b\", \"version\": \"1\", \"extra\": ");
	for (i = 0; i < 900; i++)
		cs_buf_puts(&b, "{\"x\":");
	cs_buf_puts(&b, "1");
	for (i = 0; i < 900; i++)
		cs_buf_putc(&b, '}');
	cs_buf_puts(&b, "}]}");
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_composer_parse_installed(&f, &a, b.data, b.len, &err), 0);
	CHECK_INT(f.npkgs, 1);
	cs_arena_release(&a);
	/* Huge strings, many packages and licenses. */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "\xef\xbb\xbf[{\"name\": \"");
	for (i = 0; i < 300000; i++)
		cs_buf_putc(&b, 'v');
	cs_buf_puts(&b, "/x\", \"version\": \"1\", \"license\": \"");
	for (i = 0; i < 20000; i++)
		cs_buf_puts(&b, "MIT or ");
	cs_buf_puts(&b, "X\"}");
	for (i = 0; i < 50000; i++)
		cs_buf_printf(&b, ", {\"name\": \"p/%zu\", \"version\": \"1.%zu\"}", i % 25000, i);
	cs_buf_puts(&b, "]");
	cs_arena_init(&a);
	CHECK_INT(cs_composer_parse_installed(&f, &a, b.data, b.len, &err), 0);
	CHECK_INT(f.npkgs, 50001);
	CHECK(f.npkgs && strlen(f.pkgs[0].name) == 300002 && f.pkgs[0].nlicenses == 20001);
	cs_arena_release(&a);
	/* NULs: raw ones are malformed JSON, escaped ones make a name unusable. */
	{
		static const char raw[] = "[{\"name\": \"a\0b\", \"version\": \"1\"}]";
		static const char esc[] =
			"[{\"name\": \"a\\u0000b\", \"version\": \"1\"}, {\"name\": \"c\", \"version\": \"1\"}]";

		cs_arena_init(&a);
		CHECK_INT(cs_composer_parse_installed(&f, &a, raw, sizeof(raw) - 1, &err), CS_EFORMAT);
		CHECK_INT(cs_composer_parse_installed(&f, &a, esc, sizeof(esc) - 1, &err), 0);
		CHECK(f.npkgs == 1 && f.nbad == 1 && cf_str_eq(f.pkgs[0].name, "c"));
		cs_arena_release(&a);
	}
	cs_buf_release(&b);
}

/* --- a root filesystem ------------------------------------------------------------------- */

/*
 * A PHP application as `composer install` leaves it: the installed
 * packages, the application's composer.lock (a lockfile: reported for a
 * root filesystem) and a dependency's own composer.lock (not read).
 */
TEST(scan_rootfs)
{
	static const char installed[] =
		"{\"packages\": [{\"name\": \"guzzlehttp/psr7\", \"version\": \"1.8.3\", \"license\": [\"MIT\"]},"
		" {\"name\": \"phpunit/phpunit\", \"version\": \"9.5.0\"}], \"dev\": true,"
		" \"dev-package-names\": [\"phpunit/phpunit\"]}";
	static const char lock[] = "{\"packages\": [{\"name\": \"guzzlehttp/psr7\", \"version\": \"1.8.3\"}],"
				   " \"packages-dev\": [{\"name\": \"phpunit/phpunit\", \"version\": \"9.5.0\"}]}";
	char dir[256];
	const cs_package *p;
	cs_scan *s;

	if (!cf_tmpdir(dir, sizeof(dir), "composer"))
		return;
	cf_put(dir, "var/www/app/vendor/composer/installed.json", installed);
	cf_put(dir, "var/www/app/composer.lock", lock);
	cf_put(dir, "var/www/app/vendor/guzzlehttp/psr7/composer.lock", lock);
	cf_put(dir, "var/www/old/vendor/composer/installed.json", "{\"packages\": [");
	if ((s = cf_scan(dir, true, 2)) != NULL) {
		CHECK_INT(cf_scan_count(s, "composer", NULL), 3);
		p = cf_scan_find(s, "composer", "var/www/app/vendor/composer/installed.json", "guzzlehttp/psr7");
		CHECK(p && cf_str_eq(p->purl, "pkg:composer/guzzlehttp/psr7@1.8.3") && p->nlicenses == 1 &&
		      p->owner == NULL && p->layer == 0);
		CHECK(cf_scan_find(s, "composer", "var/www/app/vendor/composer/installed.json", "phpunit/phpunit"));
		CHECK(cf_scan_find(s, "composer", "var/www/app/composer.lock", "guzzlehttp/psr7"));
		CHECK(cf_diag_has(s, "var/www/old/vendor/composer/installed.json", "malformed JSON"));
		cs_scan_free(s);
	}
	rm_tree(dir);
}

/* --- the fuzz corpus --------------------------------------------------------------------- */

TEST(fuzz_corpus)
{
	static const char *const paths[] = {INSTALLED, LOCK};

	cf_replay_corpus("composer", &composer_parser, paths, CS_ARRAY_LEN(paths), 0);
}

TEST_MAIN(TEST_ENTRY(trivy_parser), TEST_ENTRY(trivy_analyzer), TEST_ENTRY(trivy_integration), TEST_ENTRY(syft),
	  TEST_ENTRY(php), TEST_ENTRY(license_rules), TEST_ENTRY(purls_and_kinds), TEST_ENTRY(hostile),
	  TEST_ENTRY(scan_rootfs), TEST_ENTRY(fuzz_corpus))
