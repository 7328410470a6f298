/*
 * test_dotnet.c - the dotnet cataloger against Trivy and syft.
 *
 * Oracles first:
 *
 *  - trivy_core_deps: every case of Trivy's .deps.json parser test
 *    (test-data/lang/trivy/dotnet/core_deps/expected.trivy.json, plus the
 *    refusal and the empty case of its parse_test.go): the same packages,
 *    less the projects (see below), by name and version.
 *  - trivy_analyzer: Trivy's deps analyzer test and the inputs of its
 *    integration goldens (dotnet.json.golden, nuget.json.golden): names,
 *    versions and purls.
 *  - trivy_nuget_lock: every case of Trivy's packages.lock.json parser test.
 *  - syft: syft's packages.lock.json and deps.json tests.
 *
 * No .NET SDK on the host to ask. Then the rules one by one, hostile input
 * (truncation at every byte, deep nesting, huge strings, NULs), a root
 * filesystem scan, and the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/dotnet.h"

#include <strings.h>

#include "unit/catfix.h"

#define DEPS_TRIVY "test-data/lang/trivy/dotnet/core_deps"
#define DEPS_TRIVY_AN "test-data/lang/trivy-analyzer/dotnet/deps/testdata"
#define LOCK_TRIVY "test-data/lang/trivy/nuget/lock"
#define NET_SYFT "test-data/lang/syft/dotnet/testdata"
#define NET_GOLDEN "test-data/golden/trivy-integration/fixtures/repo"
#define DEPS "app/MyApp.deps.json"
#define LOCK "src/MyApp/packages.lock.json"

/* How the analyzer calls the parser: the walker's NUL after the bytes, limits refused with a message. */
static const cf_parser dotnet_parser = {cs_dotnet_parse_file, CF_NUL | CF_LIMIT};

/* Parses a shared fixture as the file at as. */
static int parse_fixture(cs_langfile *f, cs_arena *a, const char *rel, const char *as, cs_err *err)
{
	return cf_parse_fixture(cs_dotnet_parse_file, f, a, rel, as, err);
}

static int parse_text(cs_langfile *f, cs_arena *a, const char *as, const char *text, cs_err *err)
{
	return cf_parse_text(cs_dotnet_parse_file, f, a, as, text, err);
}

/* The library type the fixture gives "name/version" ("" when it has none). */
static const char *library_type(const cJSON *doc, const char *name, const char *version, cs_arena *a)
{
	const char *key = cs_arena_printf(a, "%s/%s", name, version), *type;

	type = cs_json_str(cs_json_obj(cs_json_obj(doc, "libraries"), key), "type");
	if (!type) /* a runtime pack, reported by Trivy under its stripped name */
		type = cs_json_str(cs_json_obj(cs_json_obj(doc, "libraries"),
					       cs_arena_printf(a, "runtimepack.%s", key)),
				   "type");
	return type ? type : "";
}

/* --- Trivy ------------------------------------------------------------------------ */

TEST(trivy_core_deps)
{
	size_t len, ncases = 0, nprojects = 0;
	cJSON *j = cf_read_json(DEPS_TRIVY "/expected.trivy.json");
	const cJSON *c, *p;
	cs_err err;

	if (!j)
		return;
	cJSON_ArrayForEach(c, cs_json_arr(j, "cases"))
	{
		const char *input = cs_json_str(c, "input");
		cf_want want[16];
		size_t n = 0;
		char rel[1024];
		cs_langfile f;
		cs_arena a;
		cJSON *doc;
		char *data;

		if (!input)
			continue;
		snprintf(rel, sizeof(rel), DEPS_TRIVY "/%s", input);
		if (!(data = cf_read_shared(rel, &len)))
			continue;
		cs_arena_init(&a);
		doc = cJSON_ParseWithLength(data, len);
		free(data);
		CHECK(doc != NULL);
		cJSON_ArrayForEach(p, cs_json_arr(c, "packages"))
		{
			const char *name = cs_json_str(p, "Name"), *version = cs_json_str(p, "Version");

			/*
			 * Trivy also reports the projects (the application and
			 * the solution's other projects, Relationship root or
			 * workspace): not NuGet packages, nothing to match, so
			 * we leave them out.
			 */
			if (strcasecmp(library_type(doc, name, version, &a), "project") == 0) {
				nprojects++;
				continue;
			}
			if (n < CS_ARRAY_LEN(want))
				want[n++] = cf_trivy_want(p, &a, "nuget");
		}
		CHECK_INT(parse_fixture(&f, &a, rel, DEPS, &err), 0);
		CHECK(!f.lockfile);
		CHECK_INT(f.nbad, 0);
		cf_check(input, &f, want, n);
		cJSON_Delete(doc);
		cs_arena_release(&a);
		ncases++;
	}
	CHECK_INT(ncases, 6);
	CHECK_INT(nprojects, 9);
	cJSON_Delete(j);
	/* parse_test.go: no libraries, no package; a truncated file, a refusal. */
	{
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		CHECK_INT(parse_fixture(&f, &a, DEPS_TRIVY "/testdata/no-libraries.deps.json", DEPS, &err), 0);
		CHECK_INT(f.npkgs, 0);
		CHECK_INT(parse_fixture(&f, &a, DEPS_TRIVY "/testdata/invalid.deps.json", DEPS, &err), CS_EFORMAT);
		CHECK(strstr(err.msg, "malformed JSON") != NULL);
		cs_arena_release(&a);
	}
}

TEST(trivy_analyzer)
{
	/* deps_test.go and dotnet.json.golden: the project Microsoft.VisualStudio.TestPlatform.Common left out. */
	static const cf_want dc[] = {{"Newtonsoft.Json", "9.0.1", "", "pkg:nuget/Newtonsoft.Json@9.0.1"}};
	/* nuget.json.golden */
	static const cf_want lock[] = {
		{"Newtonsoft.Json", "12.0.3", "", "pkg:nuget/Newtonsoft.Json@12.0.3"},
		{"NuGet.Frameworks", "5.7.0", "", "pkg:nuget/NuGet.Frameworks@5.7.0"},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	CHECK_INT(parse_fixture(&f, &a, DEPS_TRIVY_AN "/datacollector.deps.json", DEPS, &err), 0);
	cf_check("datacollector", &f, dc, 1);
	CHECK_INT(parse_fixture(&f, &a, DEPS_TRIVY_AN "/invalid.txt", DEPS, &err), CS_EFORMAT);
	CHECK_INT(parse_fixture(&f, &a, NET_GOLDEN "/dotnet/datacollector.deps.json", DEPS, &err), 0);
	cf_check("golden datacollector", &f, dc, 1);
	CHECK_INT(parse_fixture(&f, &a, NET_GOLDEN "/nuget/packages.lock.json", LOCK, &err), 0);
	cf_check("golden packages.lock.json", &f, lock, 2);
	CHECK(f.lockfile);
	cs_arena_release(&a);
	/* Its Required(): any name ending in .deps.json. */
	CHECK(cs_analyzer_dotnet.wants("test/datacollector.deps.json", S_IFREG | 0644));
	CHECK(!cs_analyzer_dotnet.wants("test/datacollector.json", S_IFREG | 0644));
}

TEST(trivy_nuget_lock)
{
	CHECK_INT(cf_trivy_cases(cs_dotnet_parse_file, LOCK_TRIVY, LOCK, "nuget", true), 4);
}

/* --- syft ----------------------------------------------------------------------------- */

TEST(syft)
{
	/* parse_packages_lock_test.go: each name and resolved version of both frameworks once. */
	static const cf_want lock[] = {
		{"AutoMapper", "13.0.1", "", "pkg:nuget/AutoMapper@13.0.1"},
		{"bootstrap", "5.0.0", "", "pkg:nuget/bootstrap@5.0.0"},
		{"log4net", "2.0.5", "", "pkg:nuget/log4net@2.0.5"},
		{"log4net", "1.2.15", "", "pkg:nuget/log4net@1.2.15"},
		{"Microsoft.Extensions.DependencyInjection.Abstractions", "9.0.0", "",
		 "pkg:nuget/Microsoft.Extensions.DependencyInjection.Abstractions@9.0.0"},
		{"Microsoft.Extensions.Options", "9.0.0", "", "pkg:nuget/Microsoft.Extensions.Options@9.0.0"},
		{"Microsoft.Extensions.Primitives", "9.0.0", "", "pkg:nuget/Microsoft.Extensions.Primitives@9.0.0"},
		{"System.Runtime.CompilerServices.Unsafe", "9.0.0", "",
		 "pkg:nuget/System.Runtime.CompilerServices.Unsafe@9.0.0"},
		{"Microsoft.Extensions.Logging", "9.0.0", "", "pkg:nuget/Microsoft.Extensions.Logging@9.0.0"},
	};
	/*
	 * cataloger_test.go TestParseDotnetDeps: syft lists these ten, the
	 * projects TestLibrary and TestCommon (left out, as above), and
	 * System.Diagnostics.DiagnosticSource and
	 * System.Runtime.CompilerServices.Unsafe 6.0.0, whose net6.0 target
	 * entries bring no runtime asset (net6.0 has them in the shared
	 * framework): Trivy's rule, which we follow, drops those two.
	 */
	static const cf_want deps[] = {
		{"AWSSDK.Core", "3.7.10.6", "", "pkg:nuget/AWSSDK.Core@3.7.10.6"},
		{"Microsoft.Extensions.DependencyInjection", "6.0.0", "", NULL},
		{"Microsoft.Extensions.DependencyInjection.Abstractions", "6.0.0", "", NULL},
		{"Microsoft.Extensions.Logging", "6.0.0", "", NULL},
		{"Microsoft.Extensions.Logging.Abstractions", "6.0.0", "", NULL},
		{"Microsoft.Extensions.Options", "6.0.0", "", NULL},
		{"Microsoft.Extensions.Primitives", "6.0.0", "", NULL},
		{"Newtonsoft.Json", "13.0.1", "", "pkg:nuget/Newtonsoft.Json@13.0.1"},
		{"Serilog", "2.10.0", "", NULL},
		{"Serilog.Sinks.Console", "4.0.1", "", "pkg:nuget/Serilog.Sinks.Console@4.0.1"},
	};
	/* deps_binary_cataloger_test.go: the reference assemblies are not packages. */
	static const cf_want refasm[] = {{"Newtonsoft.Json", "13.0.3", "", "pkg:nuget/Newtonsoft.Json@13.0.3"}};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	CHECK_INT(parse_fixture(&f, &a, NET_SYFT "/packages.lock.json", LOCK, &err), 0);
	cf_check("syft packages.lock.json", &f, lock, CS_ARRAY_LEN(lock));
	CHECK_INT(parse_fixture(&f, &a, NET_SYFT "/dir-example-1/TestLibrary.deps.json", DEPS, &err), 0);
	cf_check("dir-example-1", &f, deps, CS_ARRAY_LEN(deps));
	CHECK_INT(parse_fixture(&f, &a, NET_SYFT "/deps-with-referenceassembly/MyApp.deps.json", DEPS, &err), 0);
	cf_check("deps-with-referenceassembly", &f, refasm, 1);
	cs_arena_release(&a);
}

/* --- rules ------------------------------------------------------------------------------- */

TEST(deps_rules)
{
	static const char doc[] =
		"\xef\xbb\xbf{\"runtimeTarget\": {\"name\": \"T\"},\n"
		" \"targets\": {\"T\": {\n"
		"   \"WithRuntime/1.0\": {\"runtime\": {\"a.dll\": {}}},\n"
		"   \"EmptyRuntime/1.0\": {\"runtime\": {}},\n"
		"   \"NullRuntime/1.0\": {\"runtime\": null, \"dependencies\": {\"x\": \"1\"}},\n"
		"   \"NativeOnly/1.0\": {\"native\": {\"a.so\": {}}},\n"
		"   \"RidOnly/1.0\": {\"runtimeTargets\": {\"runtimes/linux-x64/lib/a.dll\": {}}},\n"
		"   \"Compile/1.0\": {\"compile\": {\"ref/a.dll\": {}}},\n"
		"   \"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1\": {\"runtime\": {\"x.dll\": {}}},\n"
		"   \"NotAnObject/1.0\": 5}},\n"
		" \"libraries\": {\n"
		"   \"WithRuntime/1.0\": {\"type\": \"package\"},\n"
		"   \"EmptyRuntime/1.0\": {\"type\": \"Package\"},\n"
		"   \"NullRuntime/1.0\": {\"type\": \"package\"},\n"
		"   \"NativeOnly/1.0\": {\"type\": \"PACKAGE\"},\n"
		"   \"RidOnly/1.0\": {\"type\": \"package\"},\n"
		"   \"Compile/1.0\": {\"type\": \"package\"},\n"
		"   \"NotInTarget/2.0-beta.1+abc\": {\"type\": \"package\"},\n"
		"   \"NotAnObject/1.0\": {\"type\": \"package\"},\n"
		"   \"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.1\": {\"type\": \"runtimepack\"},\n"
		"   \"App/1.0.0\": {\"type\": \"project\"},\n"
		"   \"Ref/4.0.0\": {\"type\": \"reference\"},\n"
		"   \"RefAsm/10.0.0.0\": {\"type\": \"referenceassembly\"},\n"
		"   \"NoType/1.0\": {},\n"
		"   \"NoSlash\": {\"type\": \"package\"},\n"
		"   \"/1.0\": {\"type\": \"package\"},\n"
		"   \"Empty/\": {\"type\": \"package\"},\n"
		"   \"Ctl\\u0001/1.0\": {\"type\": \"package\"},\n"
		"   \"Nul\\u0000/1.0\": {\"type\": \"package\"},\n"
		"   \"NotObj/1.0\": \"package\",\n"
		"   \"WithRuntime/1.0\": {\"type\": \"package\"},\n"
		"   \"a/b/c\": {\"type\": \"package\"}}}";
	static const cf_want want[] = {
		{"WithRuntime", "1.0", "", "pkg:nuget/WithRuntime@1.0"},
		{"EmptyRuntime", "1.0", "", NULL},
		{"NativeOnly", "1.0", "", NULL},
		{"RidOnly", "1.0", "", NULL},
		{"NotInTarget", "2.0-beta.1+abc", "", "pkg:nuget/NotInTarget@2.0-beta.1%2Babc"},
		{"Microsoft.NETCore.App.Runtime.linux-x64", "8.0.1", "",
		 "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.1"},
		{"a", "b/c", "", NULL},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	CHECK_INT(parse_text(&f, &a, DEPS, doc, &err), 0);
	cf_check("deps rules", &f, want, CS_ARRAY_LEN(want));
	/* NoSlash, "/1.0", "Empty/", Ctl, Nul, NotObj (NotAnObject's target entry is no asset list: dropped). */
	CHECK_INT(f.nbad, 6);
	/* The runtime target missing from targets: every package library kept. */
	CHECK_INT(parse_text(&f, &a, DEPS,
			     "{\"runtimeTarget\": {\"name\": \"X\"}, \"targets\": {\"T\": {\"A/1\": {}}},"
			     " \"libraries\": {\"A/1\": {\"type\": \"package\"}, \"P/1\": {\"type\": \"project\"}}}",
			     &err),
		  0);
	CHECK(f.npkgs == 1 && cf_str_eq(f.pkgs[0].name, "A"));
	/* No runtimeTarget, or one that is not a string: the same. */
	CHECK_INT(parse_text(&f, &a, DEPS,
			     "{\"runtimeTarget\": {\"name\": 5}, \"targets\": {\"5\": {\"A/1\": {}}},"
			     " \"libraries\": {\"A/1\": {\"type\": \"package\"}}}",
			     &err),
		  0);
	CHECK_INT(f.npkgs, 1);
	/* Shapes that are not a deps file. */
	CHECK_INT(parse_text(&f, &a, DEPS, "[]", &err), CS_EFORMAT);
	CHECK_INT(parse_text(&f, &a, DEPS, "{\"libraries\": []}", &err), 0);
	CHECK_INT(f.npkgs, 0);
	CHECK_INT(parse_text(&f, &a, DEPS, "", &err), CS_EFORMAT);
	cs_arena_release(&a);
}

TEST(lock_rules)
{
	static const char doc[] =
		"{\"version\": 2, \"dependencies\": {\n"
		" \"net6.0\": {\n"
		"   \"Direct.Pkg\": {\"type\": \"Direct\", \"requested\": \"[1.0.0, )\", \"resolved\": \"1.0.0\"},\n"
		"   \"Trans.Pkg\": {\"type\": \"Transitive\", \"resolved\": \"2.1.0\"},\n"
		"   \"Central\": {\"type\": \"CentralTransitive\", \"requested\": \"[3.0.0, )\",\n"
		"               \"resolved\": \"3.0.0\"},\n"
		"   \"OtherProject\": {\"type\": \"Project\", \"dependencies\": {\"Direct.Pkg\": \"[1.0.0, )\"}},\n"
		"   \"lower\": {\"type\": \"project\"},\n"
		"   \"NoResolved\": {\"type\": \"Direct\", \"requested\": \"[1.0.0, )\"},\n"
		"   \"BadResolved\": {\"type\": \"Direct\", \"resolved\": 1},\n"
		"   \"Untyped\": {\"resolved\": \"0.1.0\"}},\n"
		" \"net6.0/linux-x64\": {\n"
		"   \"Direct.Pkg\": {\"type\": \"Direct\", \"resolved\": \"1.0.0\"},\n"
		"   \"Trans.Pkg\": {\"type\": \"Transitive\", \"resolved\": \"2.2.0\"}},\n"
		" \"broken\": 7}}";
	static const cf_want want[] = {
		{"Direct.Pkg", "1.0.0", "", "pkg:nuget/Direct.Pkg@1.0.0"},
		{"Trans.Pkg", "2.1.0", "", NULL},
		{"Trans.Pkg", "2.2.0", "", NULL},
		{"Central", "3.0.0", "", NULL},
		{"Untyped", "0.1.0", "", NULL},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	CHECK_INT(parse_text(&f, &a, LOCK, doc, &err), 0);
	cf_check("lock rules", &f, want, CS_ARRAY_LEN(want));
	CHECK_INT(f.nbad, 3);
	CHECK(f.lockfile);
	CHECK_INT(parse_text(&f, &a, LOCK, "{\"version\": 1}", &err), 0);
	CHECK_INT(f.npkgs, 0);
	CHECK_INT(parse_text(&f, &a, LOCK, "\"x\"", &err), CS_EFORMAT);
	cs_arena_release(&a);
}

TEST(kinds_and_wants)
{
	static const cf_kind_case cases[] = {
		{"app/MyApp.deps.json", CS_DOTNET_DEPS},
		{"usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/Microsoft.NETCore.App.deps.json", CS_DOTNET_DEPS},
		{"x.deps.json", CS_DOTNET_DEPS},
		{"app/.deps.json", CS_DOTNET_NONE},
		{"app/MyApp.deps.json.bak", CS_DOTNET_NONE},
		{"app/MyApp.runtimeconfig.json", CS_DOTNET_NONE},
		{"src/packages.lock.json", CS_DOTNET_LOCK},
		{"packages.lock.json", CS_DOTNET_LOCK},
		{"src/Packages.lock.json", CS_DOTNET_NONE},
		{"src/packages.config", CS_DOTNET_NONE},
		{"", CS_DOTNET_NONE},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;

	cf_check_kinds(cs_dotnet_kind, &cs_analyzer_dotnet, cases, CS_ARRAY_LEN(cases));
	CHECK(!cs_analyzer_dotnet.wants("a/x.deps.json", S_IFLNK | 0777));
	CHECK(strcmp(cs_analyzer_dotnet.name, "dotnet") == 0 && cs_analyzer_dotnet.finish != NULL);
	cs_arena_init(&a);
	CHECK_INT(cs_dotnet_parse_file(&f, &a, "x/y.json", "{}", 2, &err), CS_ENOTFOUND);
	cs_arena_release(&a);
}

/* --- hostile input ---------------------------------------------------------------------- */

TEST(hostile)
{
	static const cf_fixture fixtures[] = {
		{DEPS_TRIVY "/testdata/self-contained.deps.json", DEPS},
		{DEPS_TRIVY "/testdata/without-runtime.deps.json", DEPS},
		{LOCK_TRIVY "/testdata/packages_lock_subdependencies.json", LOCK},
	};
	cs_langfile f;
	cs_arena a;
	cs_err err;
	cs_buf b;
	size_t i;

	cf_truncate_flip_fixtures(&dotnet_parser, fixtures, CS_ARRAY_LEN(fixtures), 8192, 8192);
	cf_garbage(&dotnet_parser, DEPS, 4096, 0, 32, 11, CS_EFORMAT);
	cf_garbage(&dotnet_parser, LOCK, 4096, 0, 32, 11, CS_EFORMAT);
	cs_buf_init(&b, 0);
	/* Nesting past cJSON's limit is refused. */
	cs_buf_puts(&b, "{\"libraries\": ");
	for (i = 0; i < 50000; i++)
		cs_buf_puts(&b, "{\"a\":");
	CHECK_INT(cf_parse_exact(&dotnet_parser, DEPS, b.data, b.len), CS_EFORMAT);
	/* Many libraries, all in a big target: linear (the target is indexed once). */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"runtimeTarget\": {\"name\": \"T\"}, \"targets\": {\"T\": {");
	for (i = 0; i < 100000; i++)
		cs_buf_printf(&b, "%s\"L%zu/1.0\": {\"runtime\": {\"l.dll\": {}}}", i ? ", " : "", i);
	cs_buf_puts(&b, "}}, \"libraries\": {");
	for (i = 0; i < 100000; i++)
		cs_buf_printf(&b, "%s\"L%zu/1.0\": {\"type\": \"package\"}", i ? ", " : "", i);
	cs_buf_puts(&b, "}}");
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_dotnet_parse_deps(&f, &a, b.data, b.len, &err), 0);
	CHECK_INT(f.npkgs, 100000);
	cs_arena_release(&a);
	/* A huge name. */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"dependencies\": {\"net8.0\": {\"");
	for (i = 0; i < 500000; i++)
		cs_buf_putc(&b, 'N');
	cs_buf_puts(&b, "\": {\"type\": \"Direct\", \"resolved\": \"1.0.0\"}}}}");
	cs_arena_init(&a);
	CHECK_INT(cs_dotnet_parse_lock(&f, &a, b.data, b.len, &err), 0);
	CHECK(f.npkgs == 1 && strlen(f.pkgs[0].name) == 500000);
	cs_arena_release(&a);
	/* A raw NUL is malformed JSON. */
	{
		static const char raw[] = "{\"libraries\": {\"A\0/1\": {\"type\": \"package\"}}}";

		cs_arena_init(&a);
		CHECK_INT(cs_dotnet_parse_deps(&f, &a, raw, sizeof(raw) - 1, &err), CS_EFORMAT);
		cs_arena_release(&a);
	}
	cs_buf_release(&b);
}

/* --- a root filesystem ------------------------------------------------------------------- */

/* A published application and its project's lockfile, as a root filesystem (the lockfile counts there). */
TEST(scan_rootfs)
{
	char dir[256];
	const cs_package *p;
	cs_scan *s;

	if (!cf_tmpdir(dir, sizeof(dir), "dotnet"))
		return;
	cf_copy_shared(DEPS_TRIVY "/testdata/self-contained.deps.json", dir, "app/ExampleApp1.deps.json");
	cf_copy_shared(LOCK_TRIVY "/testdata/packages_lock_simple.json", dir, "src/ExampleApp1/packages.lock.json");
	cf_put(dir, "app/Broken.deps.json", "{\"libraries\": ");
	if ((s = cf_scan(dir, true, 2)) != NULL) {
		CHECK_INT(cf_scan_count(s, "nuget", NULL), 5);
		p = cf_scan_find(s, "nuget", "app/ExampleApp1.deps.json", "Microsoft.NETCore.App.Runtime.linux-x64");
		CHECK(p && cf_str_eq(p->version, "8.0.0") &&
		      cf_str_eq(p->purl, "pkg:nuget/Microsoft.NETCore.App.Runtime.linux-x64@8.0.0"));
		CHECK(cf_scan_find(s, "nuget", "app/ExampleApp1.deps.json", "ExampleApp1") == NULL);
		p = cf_scan_find(s, "nuget", "src/ExampleApp1/packages.lock.json", "NuGet.Frameworks");
		CHECK(p && cf_str_eq(p->version, "5.7.0"));
		CHECK(cf_diag_has(s, "app/Broken.deps.json", "malformed JSON"));
		cs_scan_free(s);
	}
	rm_tree(dir);
}

/* --- the fuzz corpus --------------------------------------------------------------------- */

TEST(fuzz_corpus)
{
	static const char *const paths[] = {DEPS, LOCK};

	cf_replay_corpus("dotnet", &dotnet_parser, paths, CS_ARRAY_LEN(paths), 0);
}

TEST_MAIN(TEST_ENTRY(trivy_core_deps), TEST_ENTRY(trivy_analyzer), TEST_ENTRY(trivy_nuget_lock), TEST_ENTRY(syft),
	  TEST_ENTRY(deps_rules), TEST_ENTRY(lock_rules), TEST_ENTRY(kinds_and_wants), TEST_ENTRY(hostile),
	  TEST_ENTRY(scan_rootfs), TEST_ENTRY(fuzz_corpus))
