/*
 * test_npm.c - the npm cataloger against Trivy, syft, npm itself and whole
 * scans.
 *
 * Oracles first:
 *
 *  - trivy_lockfiles: every case of Trivy's npm, pnpm and yarn parser tests
 *    (test-data/lang/trivy/nodejs/<parser>/expected.trivy.json): the set of
 *    name@version exactly, once Trivy's Dev packages are left out (its
 *    default) and its packages without a version (we report none), and the
 *    licenses where the case lists them. Cases the transcription missed
 *    (a broken link, a git dependency) come from parse_test.go here.
 *  - trivy_package_json: Trivy's packagejson parser test and its node-pkg
 *    analyzer test, transcribed from parse_test.go and pkg_test.go.
 *  - syft: the fixtures of syft's javascript cataloger
 *    (test-data/lang/syft/javascript), expectations transcribed from its
 *    parse_*_test.go; every difference is explained where it is listed.
 *  - trivy_golden: Trivy's end-to-end goldens for its npm, pnpm and yarn
 *    project folders, against a directory scan of the same folders.
 *  - npm_global: the host's global node_modules (the nodejs package's npm
 *    and corepack), against `npm ls -g --all --json` (npm reads the disk,
 *    no network), scanned as a root filesystem with the host's dpkg
 *    database: the same name@version set, every one owned by the package
 *    dpkg -S names.
 *
 * Then paths, pnpm keys, yarn specifiers, purls, hostile input (truncation
 * at every byte, flipped bytes, deep nesting, YAML aliases, huge strings,
 * NULs, garbage), whole scans of a root filesystem and of a docker archive
 * (lockfiles for directories only, a package deleted by a later layer),
 * and a replay of the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/npm.h"

#include "unit/catfix.h"

#define NPM_TRIVY "test-data/lang/trivy/nodejs"
#define NPM_TRIVY_AN "test-data/lang/trivy-analyzer/nodejs/pkg/testdata"
#define NPM_SYFT "test-data/lang/syft/javascript/testdata"
#define HOST_GLOBAL "/usr/lib/node_modules"

/* --- helpers ------------------------------------------------------------------ */

/* A set of strings, kept sorted and unique on demand. */
typedef struct strset {
	char **v;
	size_t n, cap;
} strset;

static void set_add(strset *s, const char *str)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = strdup(str);
}

static void set_addf(strset *s, const char *name, const char *version)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), "%s@%s", name, version);
	set_add(s, buf);
}

static void set_norm(strset *s)
{
	size_t i, o = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cf_cmp_str);
	for (i = 0; i < s->n; i++) {
		if (o && strcmp(s->v[o - 1], s->v[i]) == 0) {
			free(s->v[i]);
			continue;
		}
		s->v[o++] = s->v[i];
	}
	s->n = o;
}

static void set_free(strset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Checks that got and want hold the same strings, naming each difference. */
static void set_check(const char *label, strset *got, strset *want)
{
	size_t i = 0, j = 0;

	set_norm(got);
	set_norm(want);
	while (i < got->n || j < want->n) {
		int c = i == got->n ? 1 : j == want->n ? -1 : strcmp(got->v[i], want->v[j]);

		if (c < 0) {
			fprintf(stderr, "  %s: unexpected %s\n", label, got->v[i++]);
			test_failures++;
		} else if (c > 0) {
			fprintf(stderr, "  %s: missing %s\n", label, want->v[j++]);
			test_failures++;
		} else {
			i++;
			j++;
		}
	}
}

/* The packages of f as a set of name@version; each must be unique and carry a purl. */
static void file_set(strset *s, const cs_langfile *f)
{
	size_t i;

	for (i = 0; i < f->npkgs; i++) {
		CHECK(f->pkgs[i].name && *f->pkgs[i].name && f->pkgs[i].version && *f->pkgs[i].version);
		CHECK(f->pkgs[i].purl && cs_str_starts(f->pkgs[i].purl, "pkg:npm/"));
		set_addf(s, f->pkgs[i].name, f->pkgs[i].version);
	}
	CHECK_INT(s->n, f->npkgs);
}

/* How the analyzer calls the parser (an exact copy: the parsers read no byte past the end). */
static const cf_parser npm_parser = {cs_npm_parse_file, CF_LIMIT};

/* Parses fixture rel as path (which decides the kind); the code must be want. */
static int parse_rel(cs_langfile *f, cs_arena *a, const char *path, const char *rel, int want)
{
	cs_err err;
	int rc = cf_parse_fixture(cs_npm_parse_file, f, a, rel, path, &err);

	if (rc == CS_EIO)
		return rc;
	if (rc != want) {
		fprintf(stderr, "  %s: code %d (%s), expected %d\n", rel, rc, err.msg, want);
		test_failures++;
	}
	if (rc < 0 && !err.msg[0]) {
		fprintf(stderr, "  %s: refused without a message\n", rel);
		test_failures++;
	}
	return rc;
}

/* Parses a C string as the file named path; returns the code. */
static int parse_text(cs_langfile *f, cs_arena *a, const char *path, const char *text)
{
	cs_err err;

	return cf_parse_text(cs_npm_parse_file, f, a, path, text, &err);
}

/* --- Trivy ------------------------------------------------------------------------ */

/* The path a parser folder's files are read as. */
static const char *trivy_path(const char *parser)
{
	if (strcmp(parser, "npm") == 0)
		return "app/package-lock.json";
	if (strcmp(parser, "pnpm") == 0)
		return "app/pnpm-lock.yaml";
	return "app/yarn.lock";
}

TEST(trivy_lockfiles)
{
	static const char *const parsers[] = {"npm", "pnpm", "yarn"};
	size_t p, ncases = 0, nlic = 0;

	for (p = 0; p < CS_ARRAY_LEN(parsers); p++) {
		char rel[1024];
		const cJSON *c;
		cJSON *j;

		snprintf(rel, sizeof(rel), NPM_TRIVY "/%s/expected.trivy.json", parsers[p]);
		if (!(j = cf_read_json(rel)))
			continue;
		cJSON_ArrayForEach(c, cs_json_arr(j, "cases"))
		{
			const char *input = cs_json_str(c, "input");
			const cJSON *w;
			strset got = {0}, want = {0};
			cs_langfile f;
			cs_arena a;

			if (!input)
				continue;
			snprintf(rel, sizeof(rel), NPM_TRIVY "/%s/%s", parsers[p], input);
			cs_arena_init(&a);
			if (parse_rel(&f, &a, trivy_path(parsers[p]), rel, 0) == 0) {
				CHECK(f.lockfile);
				file_set(&got, &f);
				cJSON_ArrayForEach(w, cs_json_arr(c, "packages"))
				{
					const char *id = cs_json_str(w, "ID"), *name = cs_json_str(w, "Name");
					const char *version = cs_json_str(w, "Version");
					const cJSON *lic = cs_json_arr(w, "Licenses"), *l;
					char buf[1024], joined[1024] = "";

					/* yarn's transcription has the ID only: name@version. */
					if (!name && id && strrchr(id, '@') > id) {
						snprintf(buf, sizeof(buf), "%.*s", (int)(strrchr(id, '@') - id), id);
						name = buf;
						version = strrchr(id, '@') + 1;
					}
					/* Trivy's default leaves dev packages out; we never report them. */
					if (cs_json_true(w, "Dev"))
						continue;
					/*
					 * A workspace member or a file: dependency without a version
					 * (function1 of package-lock_v3_with_workspace.json,
					 * package1@file:package1 of pnpm-lock_v9.yaml): Trivy keeps it
					 * with an empty version; nothing with no version is reported.
					 */
					if (!version || !*version)
						continue;
					set_addf(&want, name, version);
					if (!lic)
						continue;
					cJSON_ArrayForEach(l, lic)
					snprintf(joined + strlen(joined), sizeof(joined) - strlen(joined), "%s%s",
						 *joined ? "|" : "", cJSON_GetStringValue(l) ? cJSON_GetStringValue(l) : "");
					cf_check_licenses(input, cf_find(&f, name, version), joined);
					nlic++;
				}
				set_check(input, &got, &want);
				/*
				 * Trivy gives pause-stream@0.0.11 of the legacy-license case no
				 * license: its decoder wants objects in a "license" array and
				 * drops ["MIT", "Apache2"] whole. The strings name licenses;
				 * we keep them, as syft does (its array-license fixture).
				 */
				if (strstr(input, "legacy_licenses"))
					cf_check_licenses(input, cf_find(&f, "pause-stream", "0.0.11"), "MIT|Apache2");
			}
			set_free(&got);
			set_free(&want);
			cs_arena_release(&a);
			ncases++;
		}
		cJSON_Delete(j);
	}
	CHECK_INT(ncases, 9 + 10 + 6);
	CHECK(nlic >= 10);
	/* parse_test.go cases the transcription left out: both give no package at all. */
	{
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		if (parse_rel(&f, &a, "package-lock.json", NPM_TRIVY "/npm/testdata/package-lock_v3_broken_link.json",
			      0) == 0)
			CHECK_INT(f.npkgs, 0);
		if (parse_rel(&f, &a, "yarn.lock", NPM_TRIVY "/yarn/testdata/yarn_with_git.lock", 0) == 0)
			CHECK_INT(f.npkgs + f.nbad, 0);
		/* Trivy warns about the unknown protocol of asap@unsupported:~2.0.6: one bad entry here. */
		if (parse_rel(&f, &a, "yarn.lock", NPM_TRIVY "/yarn/testdata/yarn_with_bad_protocol.lock", 0) == 0)
			CHECK_INT(f.nbad, 1);
		cs_arena_release(&a);
	}
}

/* Trivy's packagejson parser test (parse_test.go) and node-pkg analyzer test (pkg_test.go). */
TEST(trivy_package_json)
{
	static const struct {
		const char *file;
		int rc;
		const char *name, *version, *licenses; /* NULL name: no package */
	} cases[] = {
		{NPM_TRIVY "/packagejson/testdata/package.json", 0, "bootstrap", "5.0.2", "MIT"},
		{NPM_TRIVY "/packagejson/testdata/legacy_package.json", 0, "angular", "4.1.2", "ISC"},
		{NPM_TRIVY "/packagejson/testdata/legacy_array_package.json", 0, "tv4", "1.3.0", "Public Domain|MIT"},
		{NPM_TRIVY "/packagejson/testdata/empty_array_license_package.json", 0, "empty-array-license", "1.0.0",
		 ""},
		{NPM_TRIVY "/packagejson/testdata/mixed_array_license_package.json", 0, "mixed-array-license", "1.0.0",
		 "MIT"},
		{NPM_TRIVY "/packagejson/testdata/invalid_license_package.json", 0, "weird-license", "1.0.0", ""},
		{NPM_TRIVY "/packagejson/testdata/null_license_package.json", 0, "null-license", "1.0.0", ""},
		{NPM_TRIVY "/packagejson/testdata/unknown_license_object_package.json", 0, "unknown-license-object",
		 "1.0.0", ""},
		/* Trivy returns the name with no ID; its analyzer then skips it, as we do. */
		{NPM_TRIVY "/packagejson/testdata/without_version_package.json", 0, NULL, NULL, NULL},
		{NPM_TRIVY "/packagejson/testdata/workspace_as_map_package.json", 0, "example", "1.0.0", ""},
		/* "Name can only contain URL-friendly characters". */
		{NPM_TRIVY "/packagejson/testdata/invalid_name.json", CS_EFORMAT, NULL, NULL, NULL},
		/* "JSON decode error". */
		{NPM_TRIVY "/packagejson/testdata/invalid_package.json", CS_EFORMAT, NULL, NULL, NULL},
		{NPM_TRIVY "/packagejson/testdata/without_name_and_version_package.json", 0, NULL, NULL, NULL},
		{NPM_TRIVY_AN "/package.json", 0, "lodash", "5.0.0", "MIT"},
		{NPM_TRIVY_AN "/noname.json", 0, NULL, NULL, NULL},
		{NPM_TRIVY_AN "/sad.json", CS_EFORMAT, NULL, NULL, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		if (parse_rel(&f, &a, "node_modules/x/package.json", cases[i].file, cases[i].rc) == 0) {
			CHECK(!f.lockfile);
			CHECK_INT(f.npkgs, cases[i].name ? 1 : 0);
			if (cases[i].name && f.npkgs == 1) {
				CHECK_STR(f.pkgs[0].name, cases[i].name);
				CHECK_STR(f.pkgs[0].version, cases[i].version);
				cf_check_licenses(cases[i].file, &f.pkgs[0], cases[i].licenses);
			}
		}
		cs_arena_release(&a);
	}
	/* Trivy's TestIsValidName. */
	CHECK(cs_npm_valid_name(""));
	CHECK(cs_npm_valid_name("test_package"));
	CHECK(cs_npm_valid_name("test.package"));
	CHECK(cs_npm_valid_name("test-package"));
	CHECK(cs_npm_valid_name("@test/package"));
	CHECK(!cs_npm_valid_name("test@package"));
	CHECK(!cs_npm_valid_name("test?package"));
	CHECK(!cs_npm_valid_name("test/package"));
	CHECK(!cs_npm_valid_name("package/"));
	CHECK(!cs_npm_valid_name("@/package"));
	CHECK(!cs_npm_valid_name("@scope/"));
}

/* --- syft ------------------------------------------------------------------------ */

TEST(syft)
{
	static const struct {
		const char *path, *file;
		int rc;
		const char *want; /* name@version, space separated */
	} cases[] = {
		/* parse_package_json_test.go: every fixture is npm@6.14.6 but two. */
		{"node_modules/npm/package.json", "pkg-json/package.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-license-object.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-license-objects.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-malformed-license.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-no-license.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-nested-author.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-repo-string.json", 0, "function-bind@1.1.1"},
		{"node_modules/npm/package.json", "pkg-json/package-private.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-author-non-standard.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-authors-array.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-authors-objects.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-both-author-and-authors.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-contributors.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-maintainers.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-contributors-string.json", 0, "ghost@5.98.1"},
		{"node_modules/npm/package.json", "pkg-json/package-authors-string.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-maintainers-object.json", 0, "npm@6.14.6"},
		{"node_modules/npm/package.json", "pkg-json/package-all-author-fields.json", 0, "npm@6.14.6"},
		/* syft raises a package with no name or version (filtered later); we report none. */
		{"node_modules/npm/package.json", "pkg-json/package-partial.json", 0, ""},
		{"node_modules/npm/package.json", "corrupt/package.json", CS_EFORMAT, ""},
		{"node_modules/@actions/core/package.json", "pkg-lock/node_modules/@actions/core/package.json", 0,
		 "@actions/core@1.6.0"},
		{"node_modules/cowsay/package.json", "pkg-lock/node_modules/cowsay/package.json", 0, "cowsay@1.4.0"},
		/*
		 * parse_package_lock_test.go. syft also reports the root project of
		 * a v2/v3 file (npm@6.14.6, lock-v3-fixture@1.0.0, alias-check@1.0.0,
		 * tmp@1.0.0); Trivy does not, and neither do we: the project is what
		 * is being built, not one of its dependencies.
		 */
		{"package-lock.json", "pkg-lock/package-lock.json", 0,
		 "@actions/core@1.6.0 ansi-regex@3.0.0 cowsay@1.4.0 get-stdin@5.0.1 is-fullwidth-code-point@2.0.0 "
		 "minimist@0.0.10 optimist@0.6.1 string-width@2.1.1 strip-ansi@4.0.0 strip-eof@1.0.0 wordwrap@0.0.3"},
		{"package-lock.json", "pkg-lock/nested-package-lock-1.json", 0,
		 "duplicate@1.0.0 middle@1.0.0 parent@1.0.0 shared@0.5.0 shared@1.0.0 shared@2.0.0"},
		{"package-lock.json", "pkg-lock/package-lock-2.json", 0,
		 "@types/prop-types@15.7.5 @types/react@18.0.17 @types/scheduler@0.16.2 csstype@3.1.0"},
		{"package-lock.json", "pkg-lock/package-lock-3.json", 0,
		 "@types/prop-types@15.7.5 @types/react@18.0.20 @types/scheduler@0.16.2 csstype@3.1.1"},
		{"package-lock.json", "pkg-lock/alias-package-lock-1.json", 0,
		 "case@1.6.2 case@1.6.3 @bundled-es-modules/chai@4.2.2"},
		{"package-lock.json", "pkg-lock/alias-package-lock-2.json", 0,
		 "case@1.6.2 case@1.6.3 @bundled-es-modules/chai@4.2.2"},
		{"package-lock.json", "pkg-lock/array-license-package-lock.json", 0, "pause-stream@0.0.11 through@2.3.8"},
		{"package-lock.json", "corrupt/package-lock.json", CS_EFORMAT, ""},
		/* parse_pnpm_lock_test.go, dev dependencies excluded (syft's default). */
		{"pnpm-lock.yaml", "pnpm/pnpm-lock.yaml", 0, "nanoid@3.3.4 picocolors@1.0.0 source-map-js@1.0.2"},
		{"pnpm-lock.yaml", "pnpm-v6/pnpm-lock.yaml", 0,
		 "@testing-library/jest-dom@5.16.5 @testing-library/react@13.4.0 @testing-library/user-event@13.5.0 "
		 "react@18.2.0 react-dom@18.2.0 web-vitals@2.1.4 @babel/core@7.21.4 @types/eslint@8.37.0 "
		 "read-cache@1.0.0 schema-utils@3.1.2"},
		{"pnpm-lock.yaml", "pnpm-v5-peer-suffix/pnpm-lock.yaml", 0, "acorn@8.8.0 acorn-jsx@5.3.2 webpack-cli@4.10.0"},
		{"pnpm-lock.yaml", "pnpm-v9/pnpm-lock.yaml", 0,
		 "@babel/core@7.24.7 @babel/helper-plugin-utils@7.24.7 is-positive@3.1.0 rollup@4.18.0"},
		{"pnpm-lock.yaml", "pnpm-v9-snapshots/pnpm-lock.yaml", 0,
		 "cross-spawn@7.0.6 isexe@2.0.0 path-key@3.1.1 shebang-command@2.0.0 shebang-regex@3.0.0 which@2.0.2"},
		{"pnpm-lock.yaml", "pnpm-remote/pnpm-lock.yaml", 0, "nanoid@3.3.4"},
		/*
		 * syft unions every document and so also reports
		 * @pnpm/exe.linux-x64@12.0.0-rc.3 and pnpm@12.0.0-rc.3 of pnpm 11's
		 * environment document (the package manager pnpm fetches for
		 * itself); Trivy skips that document, and so do we.
		 */
		{"pnpm-lock.yaml", "pnpm-multi-doc/pnpm-lock.yaml", 0, "minimist@1.2.0"},
		{"pnpm-lock.yaml", "corrupt/pnpm-lock.yaml", CS_EFORMAT, ""},
		/*
		 * parse_yarn_lock_test.go. syft reports the berry workspace entry
		 * c0n-fab_u.laTION@7.7.7 ("...@workspace:."): a workspace is the
		 * project itself, which Trivy and we pass over.
		 */
		{"yarn.lock", "yarn-berry/yarn.lock", 0,
		 "@babel/code-frame@7.10.4 @types/minimatch@3.0.3 @types/qs@6.9.4 ajv@6.12.3 asn1.js@4.10.1 atob@2.1.2 "
		 "aws-sdk@2.706.0 jhipster-core@7.3.4"},
		{"yarn.lock", "yarn-berry-dups/yarn.lock", 0, "async@3.2.6 async@0.9.2"},
		/* The name of c0n-fab_u.laTION@^7.0.0 is its registry tarball's, as syft reads it. */
		{"yarn.lock", "yarn/yarn.lock", 0,
		 "@babel/code-frame@7.10.4 @types/minimatch@3.0.3 @types/qs@6.9.4 ajv@6.12.3 asn1.js@4.10.1 atob@2.1.2 "
		 "aws-sdk@2.706.0 jhipster-core@7.3.4 something-i-made-up@7.7.7"},
		{"yarn.lock", "yarn-v1-deps/yarn.lock", 0,
		 "@babel/code-frame@7.10.4 @types/minimatch@3.0.3 @types/qs@6.9.4 ajv@6.12.3 asn1.js@4.10.1 atob@2.1.2 "
		 "aws-sdk@2.706.0 jhipster-core@7.3.4 something-i-made-up@7.7.7"},
		/*
		 * syft also reports should-type@1.3.0, a git dependency
		 * ("should-type@https://github.com/shouldjs/type.git#1.3.0"): not a
		 * registry package, passed over as Trivy passes git over.
		 */
		{"yarn.lock", "yarn-dups/yarn.lock", 0,
		 "async@0.9.2 async@3.2.3 merge-objects@1.0.5 @4lolo/resize-observer-polyfill@1.5.2"},
		{"yarn.lock", "yarn-remote/yarn.lock", 0, "@babel/code-frame@7.10.4"},
		/*
		 * yarn.lock does not say which packages are dev dependencies; syft and
		 * Trivy read the package.json beside it to find out. A parser of one
		 * file cannot: we report them all, syft's "include dev" answer.
		 */
		{"yarn.lock", "yarn-dev-deps/yarn.lock", 0,
		 "dev-only-transitive@1.0.0 dev-pkg@1.0.0 prod-pkg@1.0.0 shared-pkg@1.0.0"},
		{"yarn.lock", "yarn-berry-dev-deps/yarn.lock", 0,
		 "dev-only-transitive@1.0.0 dev-pkg@1.0.0 prod-pkg@1.0.0 shared-pkg@1.0.0"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char rel[1024], *w, *tok, *save = NULL;
		strset got = {0}, want = {0};
		cs_langfile f;
		cs_arena a;

		snprintf(rel, sizeof(rel), NPM_SYFT "/%s", cases[i].file);
		cs_arena_init(&a);
		if (parse_rel(&f, &a, cases[i].path, rel, cases[i].rc) == 0) {
			file_set(&got, &f);
			w = strdup(cases[i].want);
			for (tok = strtok_r(w, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
				set_add(&want, tok);
			free(w);
			set_check(cases[i].file, &got, &want);
		}
		set_free(&got);
		set_free(&want);
		cs_arena_release(&a);
	}
	/* Licenses syft lists. */
	{
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		if (parse_rel(&f, &a, "node_modules/npm/package.json", NPM_SYFT "/pkg-json/package.json", 0) == 0)
			cf_check_licenses("package.json", cf_find(&f, "npm", "6.14.6"), "Artistic-2.0");
		if (parse_rel(&f, &a, "node_modules/npm/package.json", NPM_SYFT "/pkg-json/package-license-object.json",
			      0) == 0)
			cf_check_licenses("license object", cf_find(&f, "npm", "6.14.6"), "ISC");
		if (parse_rel(&f, &a, "node_modules/npm/package.json",
			      NPM_SYFT "/pkg-json/package-license-objects.json", 0) == 0)
			cf_check_licenses("licenses objects", cf_find(&f, "npm", "6.14.6"), "MIT|Apache-2.0");
		/*
		 * "licenses": ["MIT"]: syft reads objects only and reports none;
		 * the string names the license, and we keep it.
		 */
		if (parse_rel(&f, &a, "node_modules/npm/package.json",
			      NPM_SYFT "/pkg-json/package-malformed-license.json", 0) == 0)
			cf_check_licenses("malformed license", cf_find(&f, "npm", "6.14.6"), "MIT");
		if (parse_rel(&f, &a, "node_modules/npm/package.json", NPM_SYFT "/pkg-json/package-no-license.json",
			      0) == 0)
			cf_check_licenses("no license", cf_find(&f, "npm", "6.14.6"), "");
		if (parse_rel(&f, &a, "package-lock.json", NPM_SYFT "/pkg-lock/array-license-package-lock.json", 0) ==
		    0) {
			cf_check_licenses("array license", cf_find(&f, "pause-stream", "0.0.11"), "MIT|Apache2");
			cf_check_licenses("array license", cf_find(&f, "through", "2.3.8"), "MIT");
		}
		if (parse_rel(&f, &a, "package-lock.json", NPM_SYFT "/pkg-lock/package-lock-2.json", 0) == 0)
			cf_check_licenses("lock v2", cf_find(&f, "@types/react", "18.0.17"), "MIT");
		cs_arena_release(&a);
	}
}

/*
 * Trivy's end-to-end goldens (integration/testdata/{npm,pnpm,yarn}.json.golden,
 * `trivy fs --list-all-pkgs` on the project folders staged in
 * test-data/golden/trivy-integration/fixtures/repo): the packages of each
 * lockfile, our directory scan against Trivy's.
 */
TEST(trivy_golden)
{
	static const struct {
		const char *dir, *lockfile, *want;
		size_t installed; /* package.json files under node_modules */
	} cases[] = {
		/* npm-with-dev.json.golden adds z-lock@1.0.0, "dev": true: left out here as there. */
		{"npm", "package-lock.json",
		 "asap@2.0.6 jquery@3.3.9 js-tokens@4.0.0 loose-envify@1.4.0 object-assign@4.1.1 promise@8.0.3 "
		 "prop-types@15.7.2 react-is@16.8.6 react@16.8.6 redux@4.0.1 scheduler@0.13.6 symbol-observable@1.2.0",
		 6},
		{"pnpm", "pnpm-lock.yaml", "jquery@3.3.9 lodash@4.17.4", 2},
		/*
		 * Trivy: integration@1.0.0 (the project, from the package.json
		 * beside the lockfile) and jquery@3.2.1; asap and promise are dev
		 * dependencies by that package.json. We read the lockfile alone:
		 * every entry, no project.
		 */
		{"yarn", "yarn.lock", "asap@2.0.6 jquery@3.2.1 promise@8.0.3", 1},
	};
	size_t i, j;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char dir[4096], rel[256], *w, *tok, *save = NULL;
		strset got = {0}, want = {0};
		size_t installed = 0;
		cs_scan *s;

		snprintf(rel, sizeof(rel), "test-data/golden/trivy-integration/fixtures/repo/%s", cases[i].dir);
		cf_shared_path(dir, sizeof(dir), rel);
		if (!(s = cf_scan(dir, true, 2)))
			continue;
		for (j = 0; j < cs_scan_package_count(s); j++) {
			const cs_package *p = cs_scan_package(s, j);

			if (strcmp(p->type, "npm") != 0)
				continue;
			if (cf_str_eq(p->found_in, cases[i].lockfile))
				set_addf(&got, p->name, p->version);
			else if (cs_npm_kind(p->found_in) == CS_NPM_PACKAGE_JSON)
				installed++;
			else
				CHECK(!"a package from an unexpected file");
		}
		w = strdup(cases[i].want);
		for (tok = strtok_r(w, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			set_add(&want, tok);
		free(w);
		set_check(cases[i].dir, &got, &want);
		CHECK_INT(installed, cases[i].installed);
		CHECK_INT(cs_scan_error_count(s), 0);
		set_free(&got);
		set_free(&want);
		cs_scan_free(s);
	}
}

/* --- npm itself on the host's global node_modules ---------------------------------------- */

static strset *walk_set;

static int walk_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	CS_UNUSED(sb);
	CS_UNUSED(ftw);
	if (flag == FTW_F && strcmp(cs_path_base(path), "package.json") == 0)
		set_add(walk_set, path);
	return 0;
}

/* Every name@version under "dependencies" of an `npm ls --json` tree. */
static void npm_ls_walk(strset *s, const cJSON *node, int depth)
{
	const cJSON *d;

	if (depth > 100)
		return;
	cJSON_ArrayForEach(d, cs_json_obj(node, "dependencies"))
	{
		const char *v = cs_json_str(d, "version");

		if (d->string && v)
			set_addf(s, d->string, v);
		npm_ls_walk(s, d, depth + 1);
	}
}


TEST(npm_global)
{
	char root[256] = "";
	strset files = {0}, got = {0}, want = {0};
	char *ls = NULL, *owners = NULL;
	cs_scan *s = NULL;
	cJSON *tree = NULL;
	cs_buf list;
	cs_err err;
	size_t i, nowned = 0;

	cs_buf_init(&list, 0);
	if (access(HOST_GLOBAL "/npm/package.json", R_OK) != 0 ||
	    !(ls = cf_run("npm ls -g --all --json 2>/dev/null"))) {
		fprintf(stderr, "  skipped: no global npm on this host\n");
		return;
	}
	cs_err_clear(&err);
	tree = cs_json_parse(ls, strlen(ls), "npm ls", &err);
	CHECK(tree != NULL);
	npm_ls_walk(&want, tree, 0);
	walk_set = &files;
	nftw(HOST_GLOBAL, walk_one, 16, FTW_PHYS);
	walk_set = NULL;
	if (!cf_tmpdir(root, sizeof(root), "npm"))
		goto done;
	/* Every package.json, package roots or not: the path rule picks. */
	for (i = 0; i < files.n; i++)
		cs_buf_printf(&list, "%s\n", files.v[i]);
	if (!(owners = cf_dpkg_root(root, list.data ? list.data : "")))
		goto done;
	if (!(s = cf_scan(root, true, 2)))
		goto done;
	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);
		char owner[256], abs[4096];

		if (strcmp(p->type, "npm") != 0)
			continue;
		set_addf(&got, p->name, p->version);
		CHECK(cs_npm_kind(p->found_in) == CS_NPM_PACKAGE_JSON);
		snprintf(abs, sizeof(abs), "/%s", p->found_in);
		cf_dpkg_owner(owners, abs, owner, sizeof(owner));
		if (!cf_str_eq(p->owner ? p->owner->name : "", owner)) {
			fprintf(stderr, "  %s: owner '%s', dpkg says '%s'\n", p->found_in, p->owner ? p->owner->name : "",
				owner);
			test_failures++;
		}
		nowned += *owner != '\0';
	}
	set_norm(&want);
	fprintf(stderr, "  %zu package.json files under %s, %zu packages per npm ls, %zu owned by Debian packages\n",
		files.n, HOST_GLOBAL, want.n, nowned);
	set_check("npm ls -g", &got, &want);
	CHECK_INT(cs_scan_error_count(s), 0);
done:
	cs_scan_free(s);
	if (*root)
		rm_tree(root);
	cJSON_Delete(tree);
	cs_buf_release(&list);
	free(ls);
	free(owners);
	set_free(&files);
	set_free(&got);
	set_free(&want);
}

/* --- paths, keys, specifiers, purls ------------------------------------------------------ */

TEST(kinds_and_wants)
{
	static const cf_kind_case cases[] = {
		/* Trivy's TestIsPackageRoot, where a package.json is read at all. */
		{"node_modules/rxjs/package.json", CS_NPM_PACKAGE_JSON},
		{"node_modules/@angular/core/package.json", CS_NPM_PACKAGE_JSON},
		{"node_modules/rxjs/node_modules/foo/package.json", CS_NPM_PACKAGE_JSON},
		{"node_modules/.pnpm/rxjs@6.6.7/node_modules/rxjs/package.json", CS_NPM_PACKAGE_JSON},
		{"node_modules/.pnpm/@angular+core@13.0.0/node_modules/@angular/core/package.json", CS_NPM_PACKAGE_JSON},
		{".yarn/unplugged/zeromq-virtual-abc/node_modules/zeromq/package.json", CS_NPM_PACKAGE_JSON},
		{"node_modules/rxjs/ajax/package.json", CS_NPM_NONE},
		{"node_modules/rxjs/fetch/package.json", CS_NPM_NONE},
		{"node_modules/@angular/core/testing/package.json", CS_NPM_NONE},
		{"node_modules/.pnpm/rxjs@6.6.7/node_modules/rxjs/ajax/package.json", CS_NPM_NONE},
		{"node_modules/foo/a/b/c/package.json", CS_NPM_NONE},
		{"node_modules/rxjs/index.js", CS_NPM_NONE},
		/* Trivy reads these (a project's manifest); they are no installed package. */
		{"package.json", CS_NPM_NONE},
		{"packages/foo/package.json", CS_NPM_NONE},
		/* Test fixtures inside a package, hidden and odd directories. */
		{"app/node_modules/x/test/fixtures/package.json", CS_NPM_NONE},
		{"node_modules/package.json", CS_NPM_NONE},
		{"node_modules/.bin/package.json", CS_NPM_NONE},
		{"node_modules/@scope/package.json", CS_NPM_NONE},
		{"node_modules/@/x/package.json", CS_NPM_NONE},
		{"node_modules/@s/.x/package.json", CS_NPM_NONE},
		{"my_node_modules/x/package.json", CS_NPM_NONE},
		{"node_modules_x/x/package.json", CS_NPM_NONE},
		/* Global installs and Debian's module directories. */
		{"usr/lib/node_modules/npm/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/local/lib/node_modules/corepack/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/share/nodejs/acorn/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/share/nodejs/@types/node/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/share/nodejs/acorn/dist/package.json", CS_NPM_NONE},
		{"usr/lib/nodejs/ws/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/lib/x86_64-linux-gnu/nodejs/bufferutil/package.json", CS_NPM_PACKAGE_JSON},
		{"usr/lib/python3/nodejs/x/package.json", CS_NPM_NONE},
		{"usr/share/doc/nodejs/x/package.json", CS_NPM_NONE},
		/* Lockfiles: anywhere but in node_modules (and .yarn for yarn.lock). */
		{"package-lock.json", CS_NPM_PACKAGE_LOCK},
		{"app/package-lock.json", CS_NPM_PACKAGE_LOCK},
		{"app/node_modules/x/package-lock.json", CS_NPM_NONE},
		{"app/node_modules/.package-lock.json", CS_NPM_NONE},
		{"srv/pnpm-lock.yaml", CS_NPM_PNPM_LOCK},
		{"srv/node_modules/x/pnpm-lock.yaml", CS_NPM_NONE},
		{"yarn.lock", CS_NPM_YARN_LOCK},
		{"srv/app/yarn.lock", CS_NPM_YARN_LOCK},
		{"srv/app/.yarn/cache/yarn.lock", CS_NPM_NONE},
		{"srv/app/node_modules/x/yarn.lock", CS_NPM_NONE},
		{"npm-shrinkwrap.json", CS_NPM_NONE},
		{"", CS_NPM_NONE},
	};

	cf_check_kinds(cs_npm_kind, &cs_analyzer_npm, cases, CS_ARRAY_LEN(cases));
	CHECK_STR(cs_analyzer_npm.name, "npm");
	{
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		CHECK_INT(parse_text(&f, &a, "etc/passwd", "x"), CS_ENOTFOUND);
		cs_arena_release(&a);
	}
}

/* Trivy's Test_parsePnpmKey. */
TEST(pnpm_keys)
{
	static const struct {
		double ver;
		const char *key, *name, *version;
	} cases[] = {
		{5.0, "/lodash/4.17.10", "lodash", "4.17.10"},
		{5.0, "registry.npmjs.org/lodash/4.17.10", "lodash", "4.17.10"},
		{5.0, "private.npmjs.org/lodash/4.17.10", "lodash", "4.17.10"},
		{5.0, "/@babel/generator/7.21.9", "@babel/generator", "7.21.9"},
		{5.0, "registry.npmjs.org/@babel/generator/7.21.9", "@babel/generator", "7.21.9"},
		{5.0, "/@babel/helper-compilation-targets/7.21.5_@babel+core@7.21.8", "@babel/helper-compilation-targets",
		 "7.21.5"},
		{5.0, "/lodash._baseclone/4.5.7_@babel+core@7.21.8", "lodash._baseclone", "4.5.7"},
		{5.0, "registry.npmjs.org/@babel/helper-compilation-targets/7.21.5_@babel+core@7.21.8",
		 "@babel/helper-compilation-targets", "7.21.5"},
		{6.0, "/update-browserslist-db@1.0.11", "update-browserslist-db", "1.0.11"},
		{6.0, "registry.npmjs.org/lodash@4.17.10", "lodash", "4.17.10"},
		{6.0, "private.npmjs.org/lodash@4.17.10", "lodash", "4.17.10"},
		{6.0, "/@babel/helper-annotate-as-pure@7.18.6", "@babel/helper-annotate-as-pure", "7.18.6"},
		{6.0, "registry.npmjs.org/@babel/helper-annotate-as-pure@7.18.6", "@babel/helper-annotate-as-pure",
		 "7.18.6"},
		{6.0, "/@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)", "@babel/helper-compilation-targets",
		 "7.21.5"},
		{6.0, "registry.npmjs.org/@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)",
		 "@babel/helper-compilation-targets", "7.21.5"},
		{9.0, "@babel/helper-compilation-targets@7.21.5(@babel/core@7.20.7)", "@babel/helper-compilation-targets",
		 "7.21.5"},
		{9.0, "lodash@file:foo/bar/lodash.tgz", "lodash", "file:foo/bar/lodash.tgz"},
		/* Odd keys: no version, nothing after the registry. */
		{9.0, "lodash", "lodash", ""},
		{6.0, "registry.npmjs.org", "", ""},
		{9.0, "@scope", "@scope", ""},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		const char *name = NULL, *version = NULL;
		cs_arena a;

		cs_arena_init(&a);
		CHECK_INT(cs_npm_pnpm_key(&a, cases[i].key, cases[i].ver, &name, &version), 0);
		CHECK_STR(name, cases[i].name);
		CHECK_STR(version, cases[i].version);
		cs_arena_release(&a);
	}
}

/* One-entry yarn.lock files: which package each first specifier gives (syft's findPackageName too). */
TEST(yarn_specs)
{
	static const struct {
		const char *text;
		const char *want; /* name@version, or "" for none */
		size_t nbad;
	} cases[] = {
		{"\"@babel/code-frame@npm:7.10.4\":\n  version \"7.10.4\"\n", "@babel/code-frame@7.10.4", 0},
		{"\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n  version \"7.10.4\"\n",
		 "@babel/code-frame@7.10.4", 0},
		{"ajv@^6.10.2, ajv@^6.5.5:\n  version \"6.12.3\"\n", "ajv@6.12.3", 0},
		{"asn1.js@^4.0.0:\n  version \"4.10.1\"\n", "asn1.js@4.10.1", 0},
		{"\"old-async@npm:async@0.9.2\":\n  version \"0.9.2\"\n", "async@0.9.2", 0},
		{"\"old-foo@npm:@scope/foo@1.2.3\":\n  version \"1.2.3\"\n", "@scope/foo@1.2.3", 0},
		{"\"@scope/old-foo@npm:@scope/foo@1.2.3\":\n  version \"1.2.3\"\n", "@scope/foo@1.2.3", 0},
		{"\"js-tokens@^3.0.0 || ^4.0.0\":\n  version \"4.0.0\"\n", "js-tokens@4.0.0", 0},
		{"grunt-contrib-cssmin@3.0.*:\n  version \"3.0.0\"\n", "grunt-contrib-cssmin@3.0.0", 0},
		/* Registry tarballs name what was installed. */
		{"x@^1.0.0:\n  version \"1.0.1\"\n  resolved "
		 "\"https://registry.yarnpkg.com/@scope/real/-/real-1.0.1.tgz#abc\"\n",
		 "@scope/real@1.0.1", 0},
		{"x@^1.0.0:\n  version \"1.0.1\"\n  resolved \"https://registry.example/@scope%2freal/-/real-1.0.1.tgz\"\n",
		 "@scope/real@1.0.1", 0},
		{"x@^1.0.0:\n  version \"1.0.1\"\n  resolved \"https://registry.example/-/x-1.0.1.tgz\"\n", "x@1.0.1", 0},
		/* Not registry packages. */
		{"\"newtest@workspace:.\":\n  version \"1.0.0\"\n", "", 0},
		{"grunt-contrib-uglify-es@gruntjs/grunt-contrib-uglify#harmony:\n  version \"3.3.0\"\n", "", 0},
		{"\"jquery@git+https://xxxx:x-oauth-basic@github.com/tomoyamachi/jquery\":\n  version \"3.0.0\"\n", "", 0},
		{"\"local-package@file:vendor/local-package.tar.gz\":\n  version \"0.0.1\"\n", "", 0},
		/* Malformed. */
		{"asap@unsupported:~2.0.6:\n  version \"2.0.6\"\n", "", 1},
		{"\"code-frame\":\n  version \"1.0.0\"\n", "", 1},
		{"\"@/code-frame@^7.3.4\":\n  version \"1.0.0\"\n", "@/code-frame@1.0.0", 0},
		{"x@^1:\n  resolved \"https://r/x/-/x-1.tgz\"\n", "", 1},
		{"not a header\n  version \"1\"\n", "", 1},
		{"\"unterminated@1:\n  version \"1\"\n", "", 1},
		/* CRLF, comments, a dependency called "version" in the nested list. */
		{"# yarn lockfile v1\r\n\r\nms@^2:\r\n  dependencies:\r\n    version \"^9\"\r\n  version \"2.1.3\"\r\n",
		 "ms@2.1.3", 0},
		/* Berry: the resolution names the package. */
		{"__metadata:\n  version: 6\n\n\"string-width-cjs@npm:string-width@^4.2.0\":\n  version: 4.2.3\n  "
		 "resolution: \"string-width@npm:4.2.3\"\n",
		 "string-width@4.2.3", 0},
		{"__metadata:\n  version: 6\n\n\"resolve@patch:resolve@^1.1.7#~builtin<compat/resolve>\":\n  version: "
		 "1.22.1\n  resolution: \"resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1\"\n",
		 "", 0},
		{"__metadata:\n  version: 6\n\n\"a@npm:1\":\n  version: 1.0.0\n", "a@1.0.0", 0},
		{"__metadata:\n  version: 6\n\n\"a@npm:1\":\n  resolution: \"a@npm:1.0.0\"\n", "", 1},
		{"__metadata:\n  version: 6\n\n\"a@npm:1\": 3\n", "", 1},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_langfile f;
		cs_arena a;
		int rc;

		cs_arena_init(&a);
		rc = parse_text(&f, &a, "yarn.lock", cases[i].text);
		CHECK_INT(rc, 0);
		if (rc == 0) {
			char got[512] = "";

			if (f.npkgs == 1)
				snprintf(got, sizeof(got), "%s@%s", f.pkgs[0].name, f.pkgs[0].version);
			if (f.npkgs > 1 || strcmp(got, cases[i].want) != 0 || f.nbad != cases[i].nbad) {
				fprintf(stderr, "  yarn case %zu: \"%s\" (%zu packages, %zu bad), expected \"%s\" (%zu bad)\n",
					i, got, f.npkgs, f.nbad, cases[i].want, cases[i].nbad);
				test_failures++;
			}
		}
		cs_arena_release(&a);
	}
}

TEST(package_lock_rules)
{
	cs_langfile f;
	cs_arena a;

	cs_arena_init(&a);
	/* v2: links, nested workspaces, names from paths, dev merged with prod, licenses of the first copy. */
	CHECK_INT(parse_text(&f, &a, "package-lock.json",
			     "{\"lockfileVersion\":3,\"packages\":{"
			     "\"\":{\"name\":\"root\",\"version\":\"1.0.0\"},"
			     "\"node_modules/a\":{\"version\":\"1.0.0\",\"dev\":true,\"license\":\"MIT\"},"
			     "\"node_modules/b/node_modules/a\":{\"version\":\"1.0.0\"},"
			     "\"node_modules/@s/c\":{\"version\":\"2.0.0\",\"license\":{\"type\":\"ISC\"}},"
			     "\"node_modules/alias\":{\"name\":\"real\",\"version\":\"3.0.0\"},"
			     "\"node_modules/d\":{\"version\":\"1.0.0\",\"dev\":true},"
			     "\"node_modules/ws\":{\"resolved\":\"packages/ws\",\"link\":true},"
			     "\"packages/ws\":{\"version\":\"0.1.0\"},"
			     "\"packages/ws/node_modules/e\":{\"version\":\"5.0.0\"},"
			     "\"packages/wsx/node_modules/f\":{\"version\":\"6.0.0\"},"
			     "\"node_modules/nover\":{},"
			     "\"node_modules/bad\":[],"
			     "\"node_modules/ctl\":{\"version\":\"1\\n\"}}}"),
		  0);
	CHECK(f.lockfile);
	CHECK_INT(f.npkgs, 5);
	CHECK_INT(f.nbad, 2);
	cf_check_licenses("merged", cf_find(&f, "a", "1.0.0"), "MIT");
	cf_check_licenses("scoped", cf_find(&f, "@s/c", "2.0.0"), "ISC");
	CHECK(cf_find(&f, "real", "3.0.0") != NULL);
	CHECK(cf_find(&f, "ws", "0.1.0") != NULL);
	CHECK(cf_find(&f, "e", "5.0.0") != NULL);
	CHECK(cf_find(&f, "d", "1.0.0") == NULL);
	CHECK(cf_find(&f, "f", "6.0.0") == NULL);
	CHECK(cf_find(&f, "root", "1.0.0") == NULL);
	if (cf_find(&f, "@s/c", "2.0.0"))
		CHECK_STR(cf_find(&f, "@s/c", "2.0.0")->purl, "pkg:npm/%40s/c@2.0.0");
	/* v1: aliases, dev inherited, malformed entries counted. */
	CHECK_INT(parse_text(&f, &a, "package-lock.json",
			     "{\"lockfileVersion\":1,\"dependencies\":{"
			     "\"case-alias\":{\"version\":\"npm:case@1.6.3\"},"
			     "\"devtop\":{\"version\":\"1.0.0\",\"dev\":true,\"dependencies\":{\"sub\":{\"version\":\"2.0.0\"}}},"
			     "\"x\":{\"version\":\"1.0.0\",\"dependencies\":{\"y\":{\"version\":\"2.0.0\"},\"z\":3}},"
			     "\"noversion\":{}}}"),
		  0);
	CHECK_INT(f.npkgs, 3);
	CHECK_INT(f.nbad, 2);
	CHECK(cf_find(&f, "case", "1.6.3") != NULL);
	CHECK(cf_find(&f, "sub", "2.0.0") == NULL);
	/* No lockfileVersion: "dependencies" (npm 5). Version 2 without "packages": nothing. */
	CHECK_INT(parse_text(&f, &a, "package-lock.json", "{\"dependencies\":{\"a\":{\"version\":\"1\"}}}"), 0);
	CHECK_INT(f.npkgs, 1);
	CHECK_INT(parse_text(&f, &a, "package-lock.json",
			     "{\"lockfileVersion\":2,\"dependencies\":{\"a\":{\"version\":\"1\"}}}"),
		  0);
	CHECK_INT(f.npkgs, 0);
	CHECK_INT(parse_text(&f, &a, "package-lock.json", "[]"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "package-lock.json", "{}"), 0);
	CHECK_INT(parse_text(&f, &a, "package-lock.json", ""), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "package-lock.json", "{} x"), CS_EFORMAT);
	/* package.json: wrong types, control bytes, licenses of every shape. */
	CHECK_INT(parse_text(&f, &a, "node_modules/a/package.json", "{\"name\":1,\"version\":\"1\"}"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "node_modules/a/package.json", "{\"name\":\"a\",\"version\":[]}"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "node_modules/a/package.json", "{\"name\":\"a\",\"version\":\"1\\u0001\"}"),
		  CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "node_modules/a/package.json", "{\"name\":null,\"version\":\"1\"}"), 0);
	CHECK_INT(f.npkgs, 0);
	CHECK_INT(parse_text(&f, &a, "node_modules/a/package.json",
			     "{\"name\":\"a\",\"version\":\"1\",\"license\":[\"MIT\",{\"type\":\"ISC\"},3,\"\",\"x\\ny\"]}"),
		  0);
	cf_check_licenses("array", cf_find(&f, "a", "1"), "MIT|ISC");
	CHECK_INT(parse_text(&f, &a, "node_modules/a/package.json",
			     "{\"name\":\"a\",\"version\":\"1\",\"license\":\"\",\"licenses\":{\"type\":\"BSD\"}}"),
		  0);
	cf_check_licenses("legacy", cf_find(&f, "a", "1"), "BSD");
	cs_arena_release(&a);
}

TEST(pnpm_rules)
{
	cs_langfile f;
	cs_arena a;

	cs_arena_init(&a);
	/* 9.x: aliases followed, cycles end, optional importer deps are production. */
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml",
			     "lockfileVersion: '9.0'\n"
			     "importers:\n  .:\n    dependencies:\n      sw: {specifier: 'npm:string-width@^4', version: "
			     "string-width@4.2.3}\n"
			     "    optionalDependencies:\n      opt: {specifier: ^1, version: 1.0.0}\n"
			     "    devDependencies:\n      dev: {specifier: ^1, version: 1.0.0}\n"
			     "packages:\n  string-width@4.2.3: {}\n  a@1.0.0: {}\n  b@1.0.0: {}\n  opt@1.0.0: {}\n  "
			     "dev@1.0.0: {}\n"
			     "snapshots:\n  string-width@4.2.3:\n    dependencies:\n      a: 1.0.0\n"
			     "  a@1.0.0:\n    dependencies:\n      b: 1.0.0\n"
			     "  b@1.0.0:\n    dependencies:\n      a: 1.0.0\n      missing: 1.0.0\n"
			     "  opt@1.0.0: {}\n  dev@1.0.0:\n    dependencies:\n      a: 1.0.0\n"),
		  0);
	CHECK_INT(f.npkgs, 4);
	CHECK(cf_find(&f, "string-width", "4.2.3") && cf_find(&f, "a", "1.0.0") && cf_find(&f, "b", "1.0.0") &&
	      cf_find(&f, "opt", "1.0.0"));
	/* Versions: a number (5.x) or a string; none at all is refused. */
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "lockfileVersion: 5.3\npackages:\n  /a/1.0.0_b@2:\n    dev: false\n"),
		  0);
	CHECK(f.npkgs == 1 && cf_find(&f, "a", "1.0.0"));
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "packages:\n  /a/1.0.0: {}\n"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "lockfileVersion: x\n"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "lockfileVersion: 'nan'\n"), CS_EFORMAT);
	/* Empty files and env-only files: nothing, no error. */
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", ""), 0);
	CHECK_INT(f.npkgs, 0);
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "---\n---\n"), 0);
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml",
			     "lockfileVersion: '9.0'\nimporters:\n  .:\n    configDependencies: {}\n"),
		  0);
	CHECK_INT(f.npkgs, 0);
	/* 6.x: name/version fields win; URLs and files have no version. */
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml",
			     "lockfileVersion: '6.0'\npackages:\n"
			     "  /x@https://codeload.github.com/a/b/tar.gz/abc:\n    name: b\n    version: 2.0.1\n"
			     "  /y@file:foo.tgz: {}\n  /z@1.0.0:\n    dev: true\n  /w@2.0.0:\n    dev: false\n"),
		  0);
	CHECK_INT(f.npkgs, 2);
	CHECK(cf_find(&f, "b", "2.0.1") && cf_find(&f, "w", "2.0.0"));
	/* YAML the converter refuses. */
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "lockfileVersion: &v '9.0'\nx: *v\n"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "? [a]\n: b\n"), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, "pnpm-lock.yaml", "a: [\n"), CS_EFORMAT);
	cs_arena_release(&a);
}

TEST(purls)
{
	static const struct {
		const char *name, *version, *purl;
	} cases[] = {
		{"lodash", "4.17.21", "pkg:npm/lodash@4.17.21"},
		{"@babel/core", "7.24.7", "pkg:npm/%40babel/core@7.24.7"},
		{"c0n-fab_u.laTION", "7.7.7", "pkg:npm/c0n-fab_u.laTION@7.7.7"},
		{"x", "1.0.0-rc.1+build.5", "pkg:npm/x@1.0.0-rc.1%2Bbuild.5"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char *purl = NULL;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_npm_purl(&purl, &a, cases[i].name, cases[i].version, &err), 0);
		CHECK_STR(purl, cases[i].purl);
		cs_arena_release(&a);
	}
}

/* --- hostile input -------------------------------------------------------------------- */

/* Small real fixtures of each kind, as the path they are read as. */
static const cf_fixture small_fixtures[] = {
	{NPM_TRIVY "/packagejson/testdata/legacy_array_package.json", "node_modules/x/package.json"},
	{NPM_SYFT "/pkg-json/package-license-objects.json", "node_modules/x/package.json"},
	{NPM_TRIVY "/npm/testdata/package-lock_v3_with_workspace.json", "package-lock.json"},
	{NPM_SYFT "/pkg-lock/alias-package-lock-1.json", "package-lock.json"},
	{NPM_SYFT "/pkg-lock/nested-package-lock-1.json", "package-lock.json"},
	{NPM_TRIVY "/yarn/testdata/yarn_with_local.lock", "yarn.lock"},
	{NPM_TRIVY "/yarn/testdata/yarn_v2_deps_with_protocol.lock", "yarn.lock"},
	{NPM_SYFT "/yarn-dups/yarn.lock", "yarn.lock"},
	{NPM_TRIVY "/pnpm/testdata/pnpm-lock_v6.yaml", "pnpm-lock.yaml"},
	{NPM_TRIVY "/pnpm/testdata/pnpm-lock_v9_cyclic_import.yaml", "pnpm-lock.yaml"},
	{NPM_SYFT "/pnpm-v5-peer-suffix/pnpm-lock.yaml", "pnpm-lock.yaml"},
};

/* Every prefix to 8 KiB, then every byte of the first 4 KiB changed in turn (NULs included). */
TEST(truncated_everywhere)
{
	cf_truncate_flip_fixtures(&npm_parser, small_fixtures, CS_ARRAY_LEN(small_fixtures), 8191, 4096);
}

TEST(garbage)
{
	static const char *const paths[] = {"node_modules/x/package.json", "package-lock.json", "yarn.lock",
					    "pnpm-lock.yaml"};
	size_t i, k;
	cs_buf b;

	for (k = 0; k < CS_ARRAY_LEN(paths); k++)
		cf_garbage(&npm_parser, paths[k], 8192, 200, 32, 1, CF_ANY);
	cs_buf_init(&b, 0);
	/* Deep nesting: JSON arrays, lockfile v1 trees, YAML flow and block collections. */
	for (i = 0; i < 100000; i++)
		cs_buf_putc(&b, '[');
	CHECK_INT(cf_parse_exact(&npm_parser, "package-lock.json", b.data, b.len), CS_EFORMAT);
	CHECK_INT(cf_parse_exact(&npm_parser, "pnpm-lock.yaml", b.data, b.len), CS_ELIMIT);
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"lockfileVersion\":1,\"dependencies\":");
	for (i = 0; i < 400; i++)
		cs_buf_puts(&b, "{\"a\":{\"version\":\"1\",\"dependencies\":");
	cs_buf_puts(&b, "{}");
	for (i = 0; i < 400; i++)
		cs_buf_puts(&b, "}}");
	cs_buf_puts(&b, "}");
	CHECK_INT(cf_parse_exact(&npm_parser, "package-lock.json", b.data, b.len), CS_ELIMIT);
	cs_buf_reset(&b);
	for (i = 0; i < 200; i++)
		cs_buf_printf(&b, "%*sa:\n", (int)i, "");
	CHECK_INT(cf_parse_exact(&npm_parser, "yarn.lock", b.data, b.len), 0); /* v1: just odd lines */
	cs_buf_puts(&b, "__metadata:\n");
	CHECK(cf_parse_exact(&npm_parser, "yarn.lock", b.data, b.len) < 0);
	/* A billion laughs: aliases are refused outright. */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "lockfileVersion: '9.0'\na: &a [x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 20; i++)
		cs_buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c]\n", 'a' + (int)i, 'a' + (int)i,
			      'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1, 'a' + (int)i - 1,
			      'a' + (int)i - 1);
	CHECK_INT(cf_parse_exact(&npm_parser, "pnpm-lock.yaml", b.data, b.len), CS_EFORMAT);
	/* Huge strings and many entries: linear, bounded by the input. */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"name\":\"a\",\"version\":\"");
	for (i = 0; i < 100000; i++)
		cs_buf_putc(&b, '1');
	cs_buf_puts(&b, "\",\"license\":\"");
	for (i = 0; i < 100000; i++)
		cs_buf_putc(&b, 'M');
	cs_buf_puts(&b, "\"}");
	CHECK_INT(cf_parse_exact(&npm_parser, "node_modules/a/package.json", b.data, b.len), CS_EFORMAT); /* > 4096 */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"lockfileVersion\":3,\"packages\":{");
	for (i = 0; i < 50000; i++)
		cs_buf_printf(&b, "%s\"node_modules/p%zu\":{\"version\":\"1.0.%zu\"}", i ? "," : "", i % 1000, i);
	cs_buf_puts(&b, "}}");
	{
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_npm_parse_package_lock(&f, &a, b.data, b.len, &err), 0);
		CHECK_INT(f.npkgs, 50000);
		cs_arena_release(&a);
	}
	/* NULs: inside JSON they end the document (malformed); in yarn v1 text, a malformed entry. */
	{
		static const char nul_json[] = "{\"name\":\"a\",\"version\":\"1\"}\0{}";
		static const char nul_yarn[] = "a@1:\n  version \"1\0x\"\n";
		cs_langfile f;
		cs_arena a;
		cs_err err;

		CHECK_INT(cf_parse_exact(&npm_parser, "node_modules/a/package.json", nul_json, sizeof(nul_json) - 1),
			  CS_EFORMAT);
		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_npm_parse_yarn_lock(&f, &a, nul_yarn, sizeof(nul_yarn) - 1, &err), 0);
		CHECK(f.npkgs == 0 && f.nbad == 1);
		cs_arena_release(&a);
		CHECK_INT(cf_parse_exact(&npm_parser, "pnpm-lock.yaml", "lockfileVersion: '9.0'\0", 23), CS_EFORMAT);
	}
	cs_buf_release(&b);
}

/* --- whole scans ----------------------------------------------------------------------- */

#define PJ(n, v) "{\"name\":\"" n "\",\"version\":\"" v "\",\"license\":\"MIT\"}"
#define LOCK                                                                                                       \
	"{\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"app\"},\"node_modules/express\":{\"version\":" \
	"\"4.18.2\"},\"node_modules/mocha\":{\"version\":\"10.0.0\",\"dev\":true}}}"
#define YARN "lodash@^4:\n  version \"4.17.21\"\n"
#define PNPM "lockfileVersion: '6.0'\npackages:\n  /left-pad@1.3.0:\n    dev: false\n"

/* The files of a small application. */
static const cf_entry app_files[] = {
	CF_TEXT("app/node_modules/express/package.json", PJ("express", "4.18.2")),
	CF_TEXT("app/node_modules/express/node_modules/debug/package.json", PJ("debug", "2.6.9")),
	CF_TEXT("app/node_modules/@babel/core/package.json", PJ("@babel/core", "7.24.7")),
	CF_TEXT("app/node_modules/rxjs/ajax/package.json", "{\"name\":\"rxjs/ajax\",\"main\":\"x.js\"}"),
	CF_TEXT("app/node_modules/resolve/test/fixtures/package.json", PJ("fixture", "0.0.0")),
	CF_TEXT("app/node_modules/noversion/package.json", "{\"name\":\"noversion\"}"),
	CF_TEXT("app/node_modules/broken/package.json", "{\"name\":"),
	CF_TEXT("app/package.json", PJ("app", "1.0.0")),
	CF_TEXT("app/package-lock.json", LOCK),
	CF_TEXT("app/yarn.lock", YARN),
	CF_TEXT("app/pnpm-lock.yaml", PNPM),
	CF_TEXT("usr/local/lib/node_modules/npm/package.json", PJ("npm", "10.2.4")),
	CF_TEXT("usr/share/nodejs/acorn/package.json", PJ("acorn", "8.8.1")),
	CF_END,
};

static void check_app(const cs_scan *s, bool rootfs)
{
	const cs_package *p;

	p = cf_scan_find(s, "npm", "app/node_modules/express/package.json", "express");
	CHECK(p && cf_str_eq(p->version, "4.18.2") && cf_str_eq(p->purl, "pkg:npm/express@4.18.2"));
	if (p)
		CHECK(p->nlicenses == 1 && cf_str_eq(p->licenses[0], "MIT"));
	CHECK(cf_scan_find(s, "npm", "app/node_modules/express/node_modules/debug/package.json", "debug") != NULL);
	p = cf_scan_find(s, "npm", "app/node_modules/@babel/core/package.json", "@babel/core");
	CHECK(p && cf_str_eq(p->purl, "pkg:npm/%40babel/core@7.24.7"));
	CHECK(cf_scan_find(s, "npm", "usr/local/lib/node_modules/npm/package.json", "npm") != NULL);
	CHECK(cf_scan_find(s, "npm", "usr/share/nodejs/acorn/package.json", "acorn") != NULL);
	CHECK(cf_scan_find(s, "npm", "app/package.json", "app") == NULL);
	CHECK(cf_scan_find(s, "npm", "app/node_modules/resolve/test/fixtures/package.json", "fixture") == NULL);
	CHECK(cf_diag_has(s, "app/node_modules/broken/package.json", "malformed JSON"));
	/* Lockfiles: for directories only; dev dependencies never. */
	CHECK((cf_scan_find(s, "npm", "app/package-lock.json", "express") != NULL) == rootfs);
	CHECK(cf_scan_find(s, "npm", "app/package-lock.json", "mocha") == NULL);
	CHECK((cf_scan_find(s, "npm", "app/yarn.lock", "lodash") != NULL) == rootfs);
	CHECK((cf_scan_find(s, "npm", "app/pnpm-lock.yaml", "left-pad") != NULL) == rootfs);
	CHECK_INT(cf_scan_count(s, "npm", NULL), rootfs ? 8 : 5);
	CHECK_INT(cs_scan_error_count(s), 0);
}

TEST(scan_rootfs)
{
	char root[256];
	cs_scan *s;

	if (!cf_tmpdir(root, sizeof(root), "npm"))
		return;
	CHECK(cf_write_tree(root, app_files));
	/* A symlinked package (pnpm's layout) is read once, through its real path. */
	{
		char link[4096];

		snprintf(link, sizeof(link), "%s/app/node_modules/express-link", root);
		CHECK(symlink("express", link) == 0);
	}
	s = cf_scan(root, true, 2);
	if (s) {
		check_app(s, true);
		cs_scan_free(s);
	}
	rm_tree(root);
}

/*
 * Three layers: the application; a layer that rewrites express unchanged
 * and installs left-pad; one that deletes left-pad (npm uninstall) and
 * upgrades debug in place. Lockfiles are not reported for an image.
 */
TEST(scan_layers)
{
	static const cf_entry l1[] = {
		CF_TEXT("app/node_modules/express/package.json", PJ("express", "4.18.2")),
		CF_TEXT("app/node_modules/left-pad/package.json", PJ("left-pad", "1.3.0")),
		CF_END,
	};
	static const cf_entry l2[] = {
		CF_TEXT("app/node_modules/.wh.left-pad", ""),
		CF_TEXT("app/node_modules/express/node_modules/debug/package.json", PJ("debug", "2.6.10")),
		CF_END,
	};
	const cf_entry *const layers[] = {app_files, l1, l2};
	const cs_package *p;
	cs_scan *s = cf_scan_layers("npm", layers, 3, 2);

	if (s) {
		check_app(s, false);
		p = cf_scan_find(s, "npm", "app/node_modules/express/package.json", "express");
		CHECK(p && p->layer == 0);
		CHECK(cf_scan_find(s, "npm", "app/node_modules/left-pad/package.json", "left-pad") == NULL);
		p = cf_scan_find(s, "npm", "app/node_modules/express/node_modules/debug/package.json", "debug");
		CHECK(p && p->layer == 2 && cf_str_eq(p->version, "2.6.10"));
		cs_scan_free(s);
	}
}

/* --- the fuzz corpus ------------------------------------------------------------------- */

TEST(fuzz_corpus)
{
	static const char *const paths[] = {"node_modules/x/package.json", "package-lock.json", "yarn.lock",
					    "pnpm-lock.yaml"};

	cf_replay_corpus("npm", &npm_parser, paths, CS_ARRAY_LEN(paths), 512);
}

TEST_MAIN(TEST_ENTRY(trivy_lockfiles), TEST_ENTRY(trivy_package_json), TEST_ENTRY(syft), TEST_ENTRY(trivy_golden),
	  TEST_ENTRY(npm_global),
	  TEST_ENTRY(kinds_and_wants), TEST_ENTRY(pnpm_keys), TEST_ENTRY(yarn_specs), TEST_ENTRY(package_lock_rules),
	  TEST_ENTRY(pnpm_rules), TEST_ENTRY(purls), TEST_ENTRY(truncated_everywhere), TEST_ENTRY(garbage),
	  TEST_ENTRY(scan_rootfs), TEST_ENTRY(scan_layers), TEST_ENTRY(fuzz_corpus))
