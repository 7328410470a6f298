/*
 * test_rust.c - the rust cataloger against Trivy's and syft's expectations,
 * executables built here, and hostile input.
 *
 * Oracles first:
 *
 *  - trivy_cargo: Trivy's Cargo.lock parser tests (expected.trivy.json,
 *    v1 with [metadata], a shuffled file with a """multi-line""" version
 *    and a table after [metadata], v3), compared on name and version as
 *    multisets; the invalid file is refused as Trivy's TOML decoder
 *    refuses it.
 *  - syft_cargo: syft's Cargo.lock tests, transcribed below with their
 *    purls: path dependencies have none (both agree); the git copies of a
 *    crate differ (we add vcs_url, syft writes the registry purl).
 *  - built_binaries: executables compiled here with cc, the audit data
 *    (the JSON cargo-auditable would write for syft's image-audit
 *    fixture, whose audit binary syft expects to yield these 10 crates)
 *    stored by objcopy --add-section, or linked in as cargo-auditable
 *    links it (an allocated section in a PT_LOAD segment); plain, PIE,
 *    stripped (-s, and strip(1) afterwards), with section headers wiped;
 *    and a rustc-built one when rustc is installed.
 *
 * Then the TOML syntax, purls, the audit data (kinds, sources, damaged
 * zlib streams at every length, a decompression bomb against the cap,
 * malformed JSON), hand-made ELF files of both classes and byte orders,
 * every truncation, whole scans of a directory and of a docker archive,
 * and a replay of the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/rust.h"

#include "catalog/elf.h"
#include "unit/catfix.h"

#define LANG_DATA "test-data/lang/"

/* --- helpers ------------------------------------------------------------------ */

/* Each parser with the langcat signature; a path only in messages. */
static int lock_fn(cs_langfile *out, cs_arena *a, const char *path, const void *p, size_t n, cs_err *err)
{
	CS_UNUSED(path);
	return cs_rust_parse_lock(out, a, p, n, err);
}

static int bin_fn(cs_langfile *out, cs_arena *a, const char *path, const void *p, size_t n, cs_err *err)
{
	CS_UNUSED(path);
	return cs_rust_parse_binary(out, a, p, n, err);
}

static int audit_fn(cs_langfile *out, cs_arena *a, const char *path, const void *p, size_t n, cs_err *err)
{
	CS_UNUSED(path);
	return cs_rust_parse_audit(out, a, p, n, err);
}

static int json_fn(cs_langfile *out, cs_arena *a, const char *path, const void *p, size_t n, cs_err *err)
{
	CS_UNUSED(path);
	return cs_rust_parse_audit_json(out, a, p, n, err);
}

/* Exact-size copies (no NUL after them); not found and limits are answers. */
static const cf_parser lock_parser = {lock_fn, CF_NOTFOUND | CF_LIMIT};
static const cf_parser bin_parser = {bin_fn, CF_NOTFOUND | CF_LIMIT};
static const cf_parser audit_parser = {audit_fn, CF_NOTFOUND | CF_LIMIT};
static const cf_parser json_parser = {json_fn, CF_NOTFOUND | CF_LIMIT};

/* --- Cargo.lock: the oracles --------------------------------------------------------- */

TEST(trivy_cargo)
{
	size_t len, i, ncases = 0;
	cJSON *root = cf_read_json(LANG_DATA "trivy/rust/cargo/expected.trivy.json");
	const cJSON *c;
	char *data;
	cs_err err;

	if (!root)
		return;
	cJSON_ArrayForEach(c, cs_json_arr(root, "cases")) {
		const cJSON *p, *pkgs = cs_json_arr(c, "packages");
		char rel[512];
		const char *want[64];
		size_t n = 0, dlen;
		cs_langfile f;
		cs_arena a;
		int rc;

		snprintf(rel, sizeof(rel), LANG_DATA "trivy/rust/cargo/%s", cs_json_str(c, "input"));
		cJSON_ArrayForEach(p, pkgs) {
			const char *name = cs_json_str(p, "Name"), *ver = cs_json_str(p, "Version");
			char *s = malloc(strlen(name) + strlen(ver) + 2);

			snprintf(s, strlen(name) + strlen(ver) + 2, "%s@%s", name, ver);
			if (n < CS_ARRAY_LEN(want))
				want[n++] = s;
			else
				free(s);
		}
		if (!(data = cf_read_shared(rel, &dlen))) {
			test_failures++;
		} else {
			cs_arena_init(&a);
			rc = cf_parse_copy(&lock_parser, "Cargo.lock", data, dlen, &f, &a, &err);
			CHECK_INT(rc, 0);
			if (rc == 0) {
				cf_check_ids(rel, &f, want, n, false);
				CHECK_INT(f.nbad, 0);
				CHECK(f.lockfile);
			}
			cs_arena_release(&a);
			free(data);
		}
		for (i = 0; i < n; i++)
			free((char *)want[i]);
		ncases++;
	}
	CHECK_INT(ncases, 3);
	cJSON_Delete(root);

	/* Trivy's test expects "decode error" for the file with "version =" and no value. */
	if ((data = cf_read_shared(LANG_DATA "trivy/rust/cargo/testdata/cargo_invalid.lock", &len)) != NULL) {
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&lock_parser, "Cargo.lock", data, len, &f, &a, &err), CS_EFORMAT);
		CHECK(strstr(err.msg, "line 10: a key without a value") != NULL);
		cs_arena_release(&a);
		free(data);
	}
}

/* syft's parse_cargo_lock_test.go, name@version and purl ("-": none). */
#define CRATE(n, v) n "@" v " pkg:cargo/" n "@" v
static const char *const syft_plain[] = {
	CRATE("ansi_term", "0.12.1"),       CRATE("errno", "0.3.9"),
	CRATE("matches", "0.1.8"),          CRATE("memchr", "2.3.3"),
	CRATE("natord", "1.0.9"),           CRATE("nom", "4.2.3"),
	CRATE("schannel", "0.1.26"),        CRATE("unicode-bidi", "0.3.4"),
	CRATE("version_check", "0.1.5"),    CRATE("winapi", "0.3.9"),
	CRATE("winapi-i686-pc-windows-gnu", "0.4.0"), CRATE("winapi-x86_64-pc-windows-gnu", "0.4.0"),
	CRATE("windows-sys", "0.52.0"),     CRATE("windows-sys", "0.59.0"),
};

/*
 * The git copies of regex and regex-automata: syft gives them the registry
 * crate's purl; ours say where they come from (vcs_url, percent-encoded as
 * cs_purl_build encodes every qualifier value).
 */
#define GIT_QUAL "?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frust-lang%2Fregex.git%401a069b9232c607b34c4937122361aa075ef573fa"
static const char *const syft_git[] = {
	CRATE("aho-corasick", "1.1.3"),
	"hello_world@0.1.0 -",
	CRATE("memchr", "2.7.4"),
	CRATE("minimal-lexical", "0.2.1"),
	CRATE("nom", "7.1.3"),
	CRATE("nom-regex", "0.2.0"),
	CRATE("regex", "1.11.1"),
	"regex@1.11.1 pkg:cargo/regex@1.11.1" GIT_QUAL,
	CRATE("regex-automata", "0.4.9"),
	"regex-automata@0.4.9 pkg:cargo/regex-automata@0.4.9" GIT_QUAL,
	CRATE("regex-syntax", "0.8.5"),
	"regex-syntax@0.8.5 pkg:cargo/regex-syntax@0.8.5" GIT_QUAL,
};

static const char *const syft_path[] = {
	"app@1.0.0 -",
	CRATE("memchr", "2.7.4"),
	"telemetry@0.1.0 -",
};

/* syft's expectation for the audit binary built from image-audit (cataloger_test.go); the lock has the same. */
static const char *const image_audit[] = {
	CRATE("argh", "0.1.12"),      CRATE("argh_derive", "0.1.12"), CRATE("argh_shared", "0.1.12"),
	"hello_world@0.1.0 -",        CRATE("proc-macro2", "1.0.92"), CRATE("quote", "1.0.37"),
	CRATE("serde", "1.0.215"),    CRATE("serde_derive", "1.0.215"), CRATE("syn", "2.0.90"),
	CRATE("unicode-ident", "1.0.14"),
};

TEST(syft_cargo)
{
	static const cf_ids_case cases[] = {
		{LANG_DATA "syft/rust/testdata/Cargo.lock", syft_plain, CS_ARRAY_LEN(syft_plain)},
		{LANG_DATA "syft/rust/testdata/Cargo.lock-with-git-deps", syft_git, CS_ARRAY_LEN(syft_git)},
		{LANG_DATA "syft/rust/testdata/path-deps/Cargo.lock", syft_path, CS_ARRAY_LEN(syft_path)},
		{LANG_DATA "syft/rust/testdata/image-audit/Cargo.lock", image_audit, CS_ARRAY_LEN(image_audit)},
	};

	cf_check_ids_fixtures(&lock_parser, "Cargo.lock", cases, CS_ARRAY_LEN(cases));
}

/* --- Cargo.lock: the TOML syntax ------------------------------------------------------- */

/* Parses text and renders "name@version purl" lines (purl "-" when none), or "E: message". */
static void lock_render(cs_buf *out, const char *text, size_t len)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t i;
	int rc;

	cs_buf_reset(out);
	cs_arena_init(&a);
	rc = cf_parse_copy(&lock_parser, "Cargo.lock", text, len, &f, &a, &err);
	if (rc < 0) {
		cs_buf_printf(out, "E: %s", err.msg);
	} else {
		for (i = 0; i < f.npkgs; i++)
			cs_buf_printf(out, "%s%s@%s %s", i ? "\n" : "", f.pkgs[i].name, f.pkgs[i].version,
				      f.pkgs[i].purl ? f.pkgs[i].purl : "-");
		if (f.nbad)
			cs_buf_printf(out, "%sbad %zu", f.npkgs ? "\n" : "", f.nbad);
	}
	cs_arena_release(&a);
}

#define PKG "[[package]]\n"
#define REG "source = \"registry+https://example.invalid/index\"\n"

TEST(lock_syntax)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		/* The shapes cargo writes, and what TOML allows around them. */
		{PKG "name = \"a\"\nversion = \"1.0.0\"\n" REG, "a@1.0.0 pkg:cargo/a@1.0.0"},
		{PKG "name = 'a'\nversion = '''1.0.0'''\n", "a@1.0.0 -"},
		{PKG "name = \"\"\"\na\"\"\"\nversion = \"1\\u002e0\"\n", "a@1.0 -"},
		{PKG "name = \"\"\"a\\\n   \n  b\"\"\"\nversion = \"1\"\n", "ab@1 -"},
		{"\xef\xbb\xbf# c\r\n[[ package ]]\r\n  name=\"a\"  # c\r\n\tversion =\"2\"\r\n", "a@2 -"},
		{PKG "\"name\" = \"a\"\n'version' = \"1\"\ndependencies = [\n \"b 1.0 (x)\", # c\n [1, [2]],\n]\n"
		     "x = { a = 1, b.c = \"d\" , e = [] }\nchecksum = \"ff\"\n",
		 "a@1 -"},
		{PKG "name = \"a\"\nversion = \"1\"\n[[package]]\nname = \"b\"\nversion = \"2\"\nsource = \"git+https://h/r?branch=m#abc\"\n",
		 "a@1 -\nb@2 pkg:cargo/b@2?vcs_url=git%2Bhttps:%2F%2Fh%2Fr%40abc"},
		/* v1: a [metadata] table with quoted keys; [root]; [[patch.unused]]; a table after [metadata]. */
		{"[root]\nname = \"r\"\nversion = \"0.1.0\"\n" PKG "name = \"a\"\nversion = \"1\"\n"
		 "[metadata]\n\"checksum a 1 (registry+x)\" = \"00\"\n[[patch.unused]]\nname = \"p\"\nversion = \"9\"\n"
		 PKG "name = \"b\"\nversion = \"2\"\n",
		 "a@1 -\nb@2 -"},
		/* Dotted keys are not the package's fields; nor are keys of other tables. */
		{PKG "name.x = \"a\"\nname = \"a\"\nversion = \"1\"\n[package.meta]\nname = \"z\"\n", "a@1 -"},
		{"version = 4\nname = \"top\"\n" PKG "name = \"a\"\nversion = \"1\"\nx = 1979-05-27 07:32:00\ny = +1.5e3\nz = true\n",
		 "a@1 -"},
		/* Entries that are not packages are counted, not fatal. */
		{PKG "name = \"a\"\n" PKG "version = \"1\"\n" PKG "name = \"\"\nversion = \"1\"\n" PKG
		     "name = \"b\\n\"\nversion = \"1\"\n" PKG "name = \"c\"\nversion = \"1\"\n",
		 "c@1 -\nbad 4"},
		{"", ""},
		{"# nothing\n\n", ""},
		/* Not TOML: the file is refused, as Trivy's decoder refuses it. */
		{PKG "name = \"a\"\nversion =\n", "E: line 3: a key without a value"},
		{PKG "name = \"a\nversion = \"1\"\n", "E: line 2: unterminated string"},
		{PKG "name = \"a\\q\"\n", "E: line 2: invalid escape '\\' then 'q'"},
		{PKG "name = \"\\ud800\"\n", "E: line 2: escape of U+D800, which is no Unicode scalar value"},
		{PKG "name = \"a\"\nname = \"b\"\n", "E: line 3: 'name' given twice in the package at line 1"},
		{PKG "name = 1\n", "E: line 2: 'name' of the package at line 1 is not a string"},
		{PKG "version = [\"1\"]\n", "E: line 2: 'version' of the package at line 1 is not a string"},
		{PKG "name = \"a\" x\n", "E: line 2: expected the end of the line, got 'x'"},
		{PKG "name \"a\"\n", "E: line 2: expected '=' after a key, got '\"'"},
		{PKG "name = bare\n", "E: line 2: invalid value 'bare'"},
		{PKG "= \"a\"\n", "E: line 2: expected a key, got '='"},
		{"[[package]\n", "E: line 1: unterminated table header"},
		{"[[package]]]\n", "E: line 1: expected the end of the line, got ']'"},
		{"a = [1, 2\n", "E: line 2: expected ',' or ']', got the end of the file"},
		{"a = { b = 1\n", "E: line 1: expected ',' or '}', got a newline"},
		{"a = \"x\ty\" # tab ok\nb = \"x\x01\"\n", "E: line 2: byte \\x01 in a string"},
		{"a = 1 # \x7f\n", "E: line 1: byte \\x7f in a comment"},
		{"a = 1\rb = 2\n", "E: line 1: expected the end of the line, got byte \\x0d"},
		{"a = '''x''''''\n", "E: line 1: too many quotes closing a string"},
		{"\"\"\"k\"\"\" = 1\n", "E: line 1: a multi-line string as a key"},
		{"a = \"\"\"\nnever closed\n", "E: line 1: unterminated string"},
	};
	cs_buf out;
	size_t i;

	cs_buf_init(&out, 0);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		lock_render(&out, cases[i].text, strlen(cases[i].text));
		if (!cf_str_eq(out.data, cases[i].want)) {
			fprintf(stderr, "  case %zu: got\n%s\n  expected\n%s\n", i, out.data ? out.data : "", cases[i].want);
			test_failures++;
		}
	}
	/* NUL bytes: in a string, in a comment, between lines. */
	lock_render(&out, PKG "name = \"a\0\"\n", sizeof(PKG "name = \"a\0\"\n") - 1);
	CHECK_STR(out.data, "E: line 2: byte \\x00 in a string");
	lock_render(&out, "# \0\n", 4);
	CHECK_STR(out.data, "E: line 1: byte \\x00 in a comment");
	lock_render(&out, "\0", 1);
	CHECK_STR(out.data, "E: line 1: expected a key, got byte \\x00");
	cs_buf_release(&out);
}

/* Nesting at the limit is read; one deeper is refused; a huge flat file is linear. */
TEST(lock_limits)
{
	cs_buf b, out;
	size_t i;

	cs_buf_init(&b, 0);
	cs_buf_init(&out, 0);
	cs_buf_puts(&b, PKG "name = \"a\"\nversion = \"1\"\nx = ");
	for (i = 0; i < CS_RUST_MAX_DEPTH; i++)
		cs_buf_putc(&b, '[');
	for (i = 0; i < CS_RUST_MAX_DEPTH; i++)
		cs_buf_putc(&b, ']');
	cs_buf_putc(&b, '\n');
	lock_render(&out, b.data, b.len);
	CHECK_STR(out.data, "a@1 -");
	cs_buf_reset(&b);
	cs_buf_puts(&b, "x = ");
	for (i = 0; i < 100000; i++)
		cs_buf_puts(&b, "{a=");
	lock_render(&out, b.data, b.len);
	CHECK_STR(out.data, "E: line 1: arrays or tables nested deeper than 64");
	cs_buf_reset(&b);
	for (i = 0; i < 200000; i++)
		cs_buf_printf(&b, PKG "name = \"c%zu\"\nversion = \"1.0.%zu\"\n" REG "dependencies = [\n \"x\",\n]\n\n", i, i);
	{
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&lock_parser, "Cargo.lock", b.data, b.len, &f, &a, &err), 0);
		CHECK_INT(f.npkgs, 200000);
		CHECK(f.npkgs == 200000 && cf_str_eq(f.pkgs[199999].purl, "pkg:cargo/c199999@1.0.199999"));
		cs_arena_release(&a);
	}
	cs_buf_release(&b);
	cs_buf_release(&out);
}

/* Every prefix of real files: parsed or refused with a reason, never a crash or an over-read. */
TEST(lock_truncated)
{
	static const char *const files[] = {
		LANG_DATA "trivy/rust/cargo/testdata/cargo_mixed.lock",
		LANG_DATA "trivy/rust/cargo/testdata/cargo_v3.lock",
		LANG_DATA "syft/rust/testdata/Cargo.lock-with-git-deps",
	};
	size_t k, len;

	for (k = 0; k < CS_ARRAY_LEN(files); k++) {
		char *data = cf_read_shared(files[k], &len);

		if (data)
			cf_truncate_flip(&lock_parser, "Cargo.lock", data, len, len, 0);
		free(data);
	}
}

TEST(purls)
{
	static const struct {
		const char *name, *version, *source, *want;
	} cases[] = {
		{"serde", "1.0.215", "registry+https://example.invalid/index", "pkg:cargo/serde@1.0.215"},
		{"serde", "1.0.215", "sparse+https://example.invalid/index/", "pkg:cargo/serde@1.0.215"},
		{"serde", "1.0.215", "crates.io", "pkg:cargo/serde@1.0.215"},
		{"serde", "1.0.215", "registry", "pkg:cargo/serde@1.0.215"},
		{"serde", "1.0.215", "git", "pkg:cargo/serde@1.0.215"},
		{"Serde_X", "1.0.0-rc.1+build", "crates.io", "pkg:cargo/Serde_X@1.0.0-rc.1%2Bbuild"},
		{"x", "1", "git+ssh://git@h/r.git#0af", "pkg:cargo/x@1?vcs_url=git%2Bssh:%2F%2Fgit%40h%2Fr.git%400af"},
		{"x", "1", "git+https://h/r?tag=v1", "pkg:cargo/x@1?vcs_url=git%2Bhttps:%2F%2Fh%2Fr"},
		{"x", "1", NULL, NULL},
		{"x", "1", "", NULL},
		{"x", "1", "local", NULL},
		{"x", "1", "path+file:///src/x", NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char *purl = (char *)"unset";
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_rust_purl(&purl, &a, cases[i].name, cases[i].version, cases[i].source, &err), 0);
		CHECK_STR(purl, cases[i].want);
		cs_arena_release(&a);
	}
}

/* --- Cargo.lock against Python's TOML parser ------------------------------------------- */

/* Random edits of text (deterministic): TOML bytes and tokens inserted, bytes deleted. */
static void mutate(cs_buf *out, const char *text, size_t len, uint64_t *x)
{
	static const char alpha[] = " \t\n[]{}=,.\"'#\\0123456789abcxyz-+:\r";
	static const char *const toks[] = {
		"[[package]]", "[metadata]", "name = ", "version = ", "source = ", "\"\"\"", "'''", "\"\\u00e9\"",
		"[\n", "]\n", "{ a = 1 }", "# c\n", "\n", "= ", "\"x\"", "true", "1979-05-27", "0x1f", "1_000", "inf",
	};
	int edits, k;

	cs_buf_reset(out);
	cs_buf_append(out, text, len);
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	for (edits = 1 + (int)(*x % 4), k = 0; k < edits; k++) {
		size_t pos, op;

		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		pos = out->len ? (size_t)(*x >> 8) % (out->len + 1) : 0;
		op = (size_t)(*x % 10);
		if (op < 3 && pos < out->len) {
			memmove(out->data + pos, out->data + pos + 1, out->len - pos - 1);
			out->data[--out->len] = '\0';
		} else {
			const char *ins = op < 6 ? NULL : toks[(*x >> 40) % CS_ARRAY_LEN(toks)];
			char c = alpha[(*x >> 40) % (sizeof(alpha) - 1)];
			size_t n = ins ? strlen(ins) : 1;

			if (cs_buf_grow(out, n) < 0)
				return;
			memmove(out->data + pos + n, out->data + pos, out->len - pos);
			memcpy(out->data + pos, ins ? ins : &c, n);
			out->len += n;
			out->data[out->len] = '\0';
		}
	}
}

/* Our reading in the oracle's format: "E", or "P name@version" lines and "B count". */
static void lock_lines(cs_buf *out, const char *text, size_t len)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t i;

	cs_buf_reset(out);
	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_rust_parse_lock(&f, &a, text, len, &err) < 0) {
		cs_buf_puts(out, "E\n");
	} else {
		for (i = 0; i < f.npkgs; i++)
			cs_buf_printf(out, "P %s@%s\n", f.pkgs[i].name, f.pkgs[i].version);
		if (f.nbad)
			cs_buf_printf(out, "B %zu\n", f.nbad);
	}
	cs_arena_release(&a);
}

#define NMUTANTS 600

/*
 * Every lockfile fixture and random edits of them, read by us and by
 * tomllib (tests/oracle/toml/cargo_lock.py): where tomllib reads a file we
 * read it too, with the same packages. We may read what tomllib refuses
 * (the reader checks neither UTF-8 nor the digits of numbers and dates nor
 * redefined keys and tables; none of it changes what a valid lockfile
 * yields): those are counted, not compared.
 */
TEST(toml_oracle)
{
	static const char *const fixtures[] = {
		LANG_DATA "trivy/rust/cargo/testdata/cargo_normal.lock",
		LANG_DATA "trivy/rust/cargo/testdata/cargo_mixed.lock",
		LANG_DATA "trivy/rust/cargo/testdata/cargo_v3.lock",
		LANG_DATA "trivy/rust/cargo/testdata/cargo_invalid.lock",
		LANG_DATA "syft/rust/testdata/Cargo.lock",
		LANG_DATA "syft/rust/testdata/Cargo.lock-with-git-deps",
		LANG_DATA "syft/rust/testdata/path-deps/Cargo.lock",
		LANG_DATA "syft/rust/testdata/image-audit/Cargo.lock",
	};
	size_t nf = CS_ARRAY_LEN(fixtures), n = nf + NMUTANTS, i, lenient = 0, differ = 0, refused = 0;
	char **texts = calloc(n, sizeof(*texts)), *theirs = NULL, dir[256], path[4200];
	size_t *lens = calloc(n, sizeof(*lens));
	uint64_t x = 0x9e3779b97f4a7c15ull;
	cs_buf cmd, ours, m;

	if (!cf_sh("/usr/bin/python3 -c 'import tomllib' >/dev/null 2>&1")) {
		fprintf(stderr, "  Python 3.11's tomllib not found (install the Debian package python3): not compared\n");
		test_failures++;
		free(texts);
		free(lens);
		return;
	}
	if (!texts || !lens || !cf_tmpdir(dir, sizeof(dir), "toml")) {
		test_failures++;
		free(texts);
		free(lens);
		return;
	}
	cs_buf_init(&cmd, 0);
	cs_buf_init(&ours, 0);
	cs_buf_init(&m, 0);
	for (i = 0; i < nf; i++)
		if (!(texts[i] = cf_read_shared(fixtures[i], &lens[i])))
			test_failures++;
	for (i = 0; i < NMUTANTS; i++) {
		mutate(&m, texts[i % nf] ? texts[i % nf] : "", texts[i % nf] ? lens[i % nf] : 0, &x);
		texts[nf + i] = cs_buf_detach(&m, &lens[nf + i]);
	}
	cs_buf_puts(&cmd, "/usr/bin/python3 tests/oracle/toml/cargo_lock.py");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%04zu.lock", dir, i);
		CHECK(cf_write(path, texts[i] ? texts[i] : "", lens[i]));
		cs_buf_printf(&cmd, " %s", path);
	}
	theirs = cf_run(cmd.data);
	CHECK(theirs != NULL);
	for (i = 0; theirs && i < n; i++) {
		char head[4300], *s, *e;

		snprintf(head, sizeof(head), "== %s/%04zu.lock\n", dir, i);
		if (!(s = strstr(theirs, head))) {
			differ++;
			continue;
		}
		s += strlen(head);
		if (strncmp(s, "== ", 3) == 0)
			e = s;
		else if ((e = strstr(s, "\n== ")) != NULL)
			e++;
		else
			e = s + strlen(s);
		lock_lines(&ours, texts[i] ? texts[i] : "", lens[i]);
		if (e - s == 2 && !memcmp(s, "E\n", 2)) {
			refused++;
			lenient += !cf_str_eq(ours.data, "E\n");
			continue;
		}
		if (!ours.data || strlen(ours.data) != (size_t)(e - s) || memcmp(ours.data, s, (size_t)(e - s)) != 0) {
			if (differ++ < 3)
				fprintf(stderr, "  input %zu:\n%.*s\n  ours:\n%s  tomllib:\n%.*s", i, (int)lens[i], texts[i],
					ours.data ? ours.data : "", (int)(e - s), s);
		}
	}
	CHECK_INT(differ, 0);
	CHECK(refused > 50 && refused < n - 50);
	fprintf(stderr, "  tomllib: %zu files, %zu refused, %zu of those read by us\n", n, refused, lenient);
	for (i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	free(theirs);
	cs_buf_release(&cmd);
	cs_buf_release(&ours);
	cs_buf_release(&m);
	rm_tree(dir);
}

/* --- the audit data ---------------------------------------------------------------------- */

/* The JSON cargo-auditable writes for syft's image-audit fixture ("kind" omitted when runtime, as it does). */
static const char audit_json[] =
	"{\"packages\":["
	"{\"name\":\"argh\",\"version\":\"0.1.12\",\"source\":\"crates.io\",\"dependencies\":[1,2]},"
	"{\"name\":\"argh_derive\",\"version\":\"0.1.12\",\"source\":\"crates.io\",\"dependencies\":[2,4,5,8]},"
	"{\"name\":\"argh_shared\",\"version\":\"0.1.12\",\"source\":\"crates.io\",\"dependencies\":[6]},"
	"{\"name\":\"hello_world\",\"version\":\"0.1.0\",\"source\":\"local\",\"dependencies\":[0],\"root\":true},"
	"{\"name\":\"proc-macro2\",\"version\":\"1.0.92\",\"source\":\"crates.io\",\"dependencies\":[9]},"
	"{\"name\":\"quote\",\"version\":\"1.0.37\",\"source\":\"crates.io\",\"dependencies\":[4]},"
	"{\"name\":\"serde\",\"version\":\"1.0.215\",\"source\":\"crates.io\",\"kind\":\"runtime\",\"dependencies\":[7]},"
	"{\"name\":\"serde_derive\",\"version\":\"1.0.215\",\"source\":\"crates.io\",\"dependencies\":[4,5,8]},"
	"{\"name\":\"syn\",\"version\":\"2.0.90\",\"source\":\"crates.io\",\"dependencies\":[4,5,9]},"
	"{\"name\":\"unicode-ident\",\"version\":\"1.0.14\",\"source\":\"crates.io\"}"
	"],\"format\":1}";

static void audit_render(cs_buf *out, const cf_parser *parser, const void *p, size_t n)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t i;
	int rc;

	cs_buf_reset(out);
	cs_arena_init(&a);
	rc = cf_parse_copy(parser, "audit", p, n, &f, &a, &err);
	if (rc == CS_ENOTFOUND) {
		cs_buf_puts(out, "not found");
	} else if (rc < 0) {
		cs_buf_printf(out, "E%d: %s", -rc, err.msg);
	} else {
		for (i = 0; i < f.npkgs; i++)
			cs_buf_printf(out, "%s%s@%s %s", i ? "\n" : "", f.pkgs[i].name, f.pkgs[i].version,
				      f.pkgs[i].purl ? f.pkgs[i].purl : "-");
		if (f.nbad)
			cs_buf_printf(out, "%sbad %zu", f.npkgs ? "\n" : "", f.nbad);
		CHECK(!f.lockfile);
	}
	cs_arena_release(&a);
}

TEST(audit_json_rules)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		/* Build-only crates (kind "build") are not in the binary: left out, as Trivy and syft do. */
		{"{\"packages\":[{\"name\":\"a\",\"version\":\"1.0.0\",\"source\":\"crates.io\",\"kind\":\"build\"},"
		 "{\"name\":\"b\",\"version\":\"2.0.0\",\"source\":\"crates.io\",\"kind\":\"runtime\"},"
		 "{\"name\":\"c\",\"version\":\"3.0.0\",\"source\":\"registry\"},"
		 "{\"name\":\"d\",\"version\":\"4.0.0\",\"source\":\"git\",\"kind\":\"dev\"},"
		 "{\"name\":\"e\",\"version\":\"5.0.0\",\"source\":\"local\",\"root\":true},"
		 "{\"name\":\"f\",\"version\":\"6.0.0\"}]}",
		 "b@2.0.0 pkg:cargo/b@2.0.0\nc@3.0.0 pkg:cargo/c@3.0.0\ne@5.0.0 -\nf@6.0.0 -"},
		{"{\"packages\":[]}", ""},
		/* Malformed entries are counted; cJSON ends a string at an escaped NUL ("1\u0000" reads "1"). */
		{"{\"packages\":[1,\"x\",null,{},{\"name\":\"a\"},{\"name\":\"a\",\"version\":1},"
		 "{\"name\":\"\",\"version\":\"1\"},{\"name\":\"a\\n\",\"version\":\"1\"},{\"name\":\"a\",\"version\":\"1\\u0000\"},"
		 "{\"name\":\"a\",\"version\":\"1\",\"kind\":7},{\"name\":\"ok\",\"version\":\"1\",\"source\":7}]}",
		 "a@1 -\nok@1 -\nbad 9"},
		{"[]", "E3: audit data: not a JSON object"},
		{"{}", "E3: audit data: no 'packages' array"},
		{"{\"packages\":{}}", "E3: audit data: no 'packages' array"},
		{"{\"packages\":[", "E3: audit data: malformed JSON near byte 12"},
		{"{\"packages\":[]} x", "E3: audit data: malformed JSON: trailing characters at byte 16"},
		{"", "E3: audit data: malformed JSON near byte 0"},
	};
	cs_buf out;
	size_t i;

	cs_buf_init(&out, 0);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		audit_render(&out, &json_parser, cases[i].json, strlen(cases[i].json));
		if (!cf_str_eq(out.data, cases[i].want)) {
			fprintf(stderr, "  case %zu: got\n%s\n  expected\n%s\n", i, out.data ? out.data : "", cases[i].want);
			test_failures++;
		}
	}
	{
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&json_parser, "audit JSON", audit_json, strlen(audit_json), &f, &a, &err), 0);
		cf_check_ids("image-audit json", &f, image_audit, CS_ARRAY_LEN(image_audit), true);
		cs_arena_release(&a);
	}
	cs_buf_release(&out);
}

/* JSON of exactly n bytes: {"packages":[...]} padded with spaces. */
static char *padded_json(size_t n)
{
	static const char head[] = "{\"packages\":[{\"name\":\"a\",\"version\":\"1\"}]}";
	char *j = malloc(n + 1);

	if (!j || n < sizeof(head) - 1) {
		free(j);
		return NULL;
	}
	memcpy(j, head, sizeof(head) - 1);
	memset(j + sizeof(head) - 1, ' ', n - (sizeof(head) - 1));
	j[n] = '\0';
	return j;
}

TEST(audit_inflate)
{
	size_t zn, i, n;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn), *t;
	cs_buf out;
	char *j;

	cs_buf_init(&out, 0);
	CHECK(z != NULL);
	if (!z)
		return;
	audit_render(&out, &audit_parser, z, zn);
	CHECK(out.data && strncmp(out.data, "argh@0.1.12 pkg:cargo/argh@0.1.12\n", 34) == 0);
	/* Every truncation: refused as a damaged stream. */
	for (i = 0; i < zn; i++) {
		audit_render(&out, &audit_parser, z, i);
		if (!out.data || (strcmp(out.data, "E3: truncated zlib stream") != 0)) {
			fprintf(stderr, "  truncated at %zu: %s\n", i, out.data ? out.data : "");
			test_failures++;
		}
	}
	/* Bytes after the stream are ignored, as Go's zlib reader ignores them. */
	t = malloc(zn + 5);
	memcpy(t, z, zn);
	memcpy(t + zn, "\0\0junk", 5);
	audit_render(&out, &audit_parser, t, zn + 5);
	CHECK(out.data && strncmp(out.data, "argh@", 5) == 0);
	/* A damaged checksum, header, or body. */
	memcpy(t, z, zn);
	t[zn - 1] ^= 1;
	audit_render(&out, &audit_parser, t, zn);
	CHECK_STR(out.data, "E3: zlib checksum mismatch");
	memcpy(t, z, zn);
	t[0] = 0x1f;
	audit_render(&out, &audit_parser, t, zn);
	CHECK_STR(out.data, "E3: unsupported zlib compression method");
	memcpy(t, z, zn);
	t[1] ^= 1; /* the header's check bits: isa-l reports it as a checksum */
	audit_render(&out, &audit_parser, t, zn);
	CHECK_STR(out.data, "E3: zlib checksum mismatch");
	memcpy(t, z, zn);
	t[0] = 0x78;
	t[1] = 0xbb; /* FDICT: a preset dictionary, which cargo-auditable never uses */
	audit_render(&out, &audit_parser, t, zn);
	CHECK_STR(out.data, "E3: the zlib stream needs a preset dictionary");
	memcpy(t, z, zn);
	for (i = 2; i < zn - 4; i++)
		t[i] = (uint8_t)(t[i] * 31 + 7);
	audit_render(&out, &audit_parser, t, zn);
	CHECK(out.data && strncmp(out.data, "E3: ", 4) == 0);
	free(t);
	free(z);
	/* The cap: exactly CS_RUST_MAX_AUDIT bytes inflate; one more is a decompression bomb. */
	for (n = CS_RUST_MAX_AUDIT; n <= CS_RUST_MAX_AUDIT + 1; n++) {
		if (!(j = padded_json(n)) || !(z = zlib_make(j, n, &zn))) {
			test_failures++;
			free(j);
			continue;
		}
		audit_render(&out, &audit_parser, z, zn);
		if (n == CS_RUST_MAX_AUDIT)
			CHECK_STR(out.data, "a@1 -");
		else
			CHECK_STR(out.data, "E4: the audit data inflates to more than 8388608 bytes");
		free(j);
		free(z);
	}
	/* 64 MiB of spaces in ~64 KiB: refused once 8 MiB came out. */
	if ((j = padded_json((size_t)64 << 20)) != NULL && (z = zlib_make(j, (size_t)64 << 20, &zn)) != NULL) {
		CHECK(zn < ((size_t)1 << 20));
		audit_render(&out, &audit_parser, z, zn);
		CHECK_STR(out.data, "E4: the audit data inflates to more than 8388608 bytes");
		free(z);
	} else {
		test_failures++;
	}
	free(j);
	cs_buf_release(&out);
}

/* --- hand-made ELF files ------------------------------------------------------------------- */

/*
 * A minimal ELF file: header, the section's bytes, the names' string
 * table, and three section headers (null, sec, .shstrtab); *lay (unless
 * NULL) says where things went. malloc'd.
 */
static uint8_t *elf_make(size_t *len, cf_elf *lay, bool is64, bool be, const char *sec, const void *payload,
			 size_t n, uint32_t type, uint64_t flags)
{
	cf_elf e = {.is64 = is64, .be = be, .machine = is64 ? 62 : 3, .section = sec, .type = type, .flags = flags};
	uint8_t *p = cf_elf_make(&e, payload, n, len);

	if (lay)
		*lay = e;
	return p;
}

TEST(elf_synthetic)
{
	cf_exact_try bin_try = {&bin_parser, "binary"};
	size_t zn, len;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn), *p;
	cf_elf lay;
	cs_buf out;
	int k;

	cs_buf_init(&out, 0);
	CHECK(z != NULL);
	if (!z)
		return;
	/* Both classes, both byte orders; the rust-audit 0.1 name too. */
	for (k = 0; k < 5; k++) {
		bool is64 = k & 1, be = k & 2;
		const char *name = k == 4 ? ".rust-deps-v0" : ".dep-v0";

		p = elf_make(&len, NULL, is64, be, name, z, zn, 1, 2);
		audit_render(&out, &bin_parser, p, len);
		if (!out.data || strncmp(out.data, "argh@0.1.12 pkg:cargo/argh@0.1.12\n", 34) != 0) {
			fprintf(stderr, "  elf %d: %s\n", k, out.data ? out.data : "");
			test_failures++;
		}
		free(p);
	}
	/* Another name; not ELF; the string table index out of range; the table beyond the file. */
	p = elf_make(&len, &lay, true, false, ".dep-v1", z, zn, 1, 0);
	audit_render(&out, &bin_parser, p, len);
	CHECK_STR(out.data, "not found");
	free(p);
	audit_render(&out, &bin_parser, audit_json, strlen(audit_json));
	CHECK_STR(out.data, "not found");
	p = elf_make(&len, &lay, true, false, ".dep-v0", z, zn, 1, 0);
	cf_put_uint(p, 62, 2, false, 3);
	audit_render(&out, &bin_parser, p, len);
	CHECK_STR(out.data, "not found");
	cf_put_uint(p, 62, 2, false, 2);
	cf_put_uint(p, 40, 8, false, len);
	audit_render(&out, &bin_parser, p, len);
	CHECK_STR(out.data, "not found");
	/* 0xff00+ sections: the count in section 0's size. */
	cf_put_uint(p, 40, 8, false, lay.shoff);
	cf_put_uint(p, 60, 2, false, 0);
	cf_put_uint(p, lay.shoff + 32, 8, false, 3);
	audit_render(&out, &bin_parser, p, len);
	CHECK(out.data && strncmp(out.data, "argh@", 5) == 0);
	cf_put_uint(p, 60, 2, false, 3);
	/* The section's bytes beyond the end of the file; none (NOBITS); compressed by the linker. */
	cf_put_uint(p, lay.shoff + 64 + 32, 8, false, len);
	audit_render(&out, &bin_parser, p, len);
	if (!out.data || !strstr(out.data, "E3: section '.dep-v0' (") || !strstr(out.data, "runs past the end of the file")) {
		fprintf(stderr, "  %s\n", out.data ? out.data : "");
		test_failures++;
	}
	cf_put_uint(p, lay.shoff + 64 + 32, 8, false, zn);
	cf_put_uint(p, lay.shoff + 64 + 4, 4, false, CS_ELF_SHT_NOBITS);
	audit_render(&out, &bin_parser, p, len);
	CHECK_STR(out.data, "E3: section '.dep-v0' is empty");
	cf_put_uint(p, lay.shoff + 64 + 4, 4, false, 1);
	cf_put_uint(p, lay.shoff + 64 + 8, 8, false, CS_ELF_SHF_COMPRESSED);
	audit_render(&out, &bin_parser, p, len);
	CHECK_STR(out.data, "E3: section '.dep-v0' is compressed by the linker (SHF_COMPRESSED): not supported");
	cf_put_uint(p, lay.shoff + 64 + 8, 8, false, 0);
	p[lay.payload + 5] ^= 0x55;
	audit_render(&out, &bin_parser, p, len);
	CHECK(out.data && strncmp(out.data, "E3: section '.dep-v0': ", 23) == 0);
	p[lay.payload + 5] ^= 0x55;
	/* Every truncation, and every byte of the headers set to hostile values. */
	cf_truncate_flip(&bin_parser, "binary", (char *)p, len, len, 0);
	cf_poke(cf_exact_try_one, &bin_try, (char *)p, len, 0, lay.payload);
	cf_poke(cf_exact_try_one, &bin_try, (char *)p, len, lay.payload + zn, len);
	free(p);
	free(z);
	cs_buf_release(&out);
}

/* --- executables built here ------------------------------------------------------------------ */

/*
 * Writes dir/dep.z (the compressed image-audit JSON), dir/main.c and
 * dir/dep.s (the section as cargo-auditable links it: allocated, read-only,
 * in a PT_LOAD segment). False when the data cannot be compressed.
 */
static bool write_sources(const char *dir)
{
	static const char main_c[] = "int main(void) { return 0; }\n";
	static const char dep_s[] = ".section .dep-v0,\"a\",@progbits\n.incbin \"dep.z\"\n"
				    ".section .note.GNU-stack,\"\",@progbits\n";
	size_t zn;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn);

	if (!z)
		return false;
	cf_put_bytes(dir, "dep.z", z, zn);
	cf_put(dir, "main.c", main_c);
	cf_put(dir, "dep.s", dep_s);
	free(z);
	return true;
}

/* Reads dir/name and checks it yields the image-audit crates (want true) or is not found. */
static void check_binary(const char *dir, const char *name, bool want)
{
	char path[4096];
	size_t len;
	char *data;
	cs_langfile f;
	cs_arena a;
	cs_err err;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(data = test_read_file(path, &len))) {
		fprintf(stderr, "  %s: not built\n", name);
		test_failures++;
		return;
	}
	cs_arena_init(&a);
	rc = cf_parse_copy(&bin_parser, "binary", data, len, &f, &a, &err);
	if (want) {
		if (rc != 0)
			fprintf(stderr, "  %s: %d %s\n", name, rc, err.msg);
		CHECK_INT(rc, 0);
		if (rc == 0)
			cf_check_ids(name, &f, image_audit, CS_ARRAY_LEN(image_audit), true);
	} else {
		CHECK_INT(rc, CS_ENOTFOUND);
	}
	cs_arena_release(&a);
	free(data);
}

TEST(built_binaries)
{
	char dir[256], path[4096];
	size_t len;
	uint8_t *data;
	cs_elf e;
	cs_elf_section s;

	if (!cf_tmpdir(dir, sizeof(dir), "rust"))
		return;
	if (!write_sources(dir)) {
		test_failures++;
		rm_tree(dir);
		return;
	}
#define Q ">/dev/null 2>&1"
	CHECK(cf_sh("(cd %s && cc -O1 -no-pie -o plain main.c && objcopy --add-section .dep-v0=dep.z plain plain.dep)" Q, dir));
	CHECK(cf_sh("(cd %s && cc -O1 -fPIE -pie -o pie main.c && objcopy --add-section .dep-v0=dep.z pie pie.dep)" Q, dir));
	CHECK(cf_sh("(cd %s && cc -O1 -s -o s main.c && objcopy --add-section .dep-v0=dep.z s s.dep)" Q, dir));
	CHECK(cf_sh("(cd %s && strip -o plain.strip plain.dep)" Q, dir));
	CHECK(cf_sh("(cd %s && cc -O1 -fPIE -pie -s -o linked main.c dep.s)" Q, dir));
	check_binary(dir, "plain", false);
	check_binary(dir, "plain.dep", true);
	check_binary(dir, "pie.dep", true);
	check_binary(dir, "s.dep", true);
	check_binary(dir, "plain.strip", true);
	check_binary(dir, "linked", true);
	/* The linked one is as cargo-auditable makes it: SHF_ALLOC, inside a segment. */
	snprintf(path, sizeof(path), "%s/linked", dir);
	if ((data = (uint8_t *)test_read_file(path, &len)) != NULL) {
		CHECK(cs_elf_open(&e, data, len) && cs_elf_find_section(&e, ".dep-v0", &s) && (s.flags & 2) && s.addr);
		/* Section headers removed (sstrip): no section to find, by Go's debug/elf (Trivy, syft) either. */
		cf_put_uint(data, 40, 8, false, 0);
		cf_put_uint(data, 60, 2, false, 0);
		cf_put_bytes(dir, "wiped", data, len);
		free(data);
		check_binary(dir, "wiped", false);
	}
	/* A Rust program, when rustc is installed (Debian's rustc is a test dependency). */
	if (cf_sh("rustc --version" Q)) {
		cf_put(dir, "main.rs", "fn main() { println!(\"hi\"); }\n");
		/* Not make's jobserver: rustc would warn that it cannot reach it. */
		CHECK(cf_sh("(cd %s && env -u MAKEFLAGS -u MFLAGS rustc -O -C strip=symbols -o rs main.rs &&"
			 " objcopy --add-section .dep-v0=dep.z rs rs.dep)" Q,
			 dir));
		check_binary(dir, "rs", false);
		check_binary(dir, "rs.dep", true);
	} else {
		fprintf(stderr, "  (rustc not installed: the Rust-built binary is not tested)\n");
	}
	rm_tree(dir);
}

TEST(wants)
{
	static const cf_wants_case cases[] = {
		{"app/Cargo.lock", S_IFREG | 0644, true},
		{"Cargo.lock", S_IFREG | 0600, true},
		{"app/cargo.lock", S_IFREG | 0644, false},
		{"app/Cargo.lock", S_IFLNK | 0777, false},
		{"app/Cargo.toml", S_IFREG | 0644, false},
		{"usr/local/bin/rg", S_IFREG | 0755, true},
		{"usr/local/bin/rg", S_IFREG | 0644, false},
		{"usr/bin/fd", S_IFREG | 0100, true},
		{"usr/bin/script.sh", S_IFREG | 0755, false},
		{"var/lib/dpkg/info/x.postinst", S_IFREG | 0755, false},
		{"usr/lib/python3/site-packages/cryptography/_rust.abi3.so", S_IFREG | 0755, false},
		{"usr/lib/libfoo.so.1", S_IFREG | 0755, true},
		{"usr/bin", S_IFDIR | 0755, false},
	};

	cf_check_wants(&cs_analyzer_rust, cases, CS_ARRAY_LEN(cases));
	CHECK(cs_analyzer_rust.max_size == CS_RUST_MAX_SIZE);
	{
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_rust_parse(&f, &a, "bin/x", "#!/bin/sh\n", 10, &err), CS_ENOTFOUND);
		CHECK_INT(cs_rust_parse(&f, &a, "x/Cargo.lock", "[[package]]\nname=\"a\"\nversion=\"1\"\n", 33, &err), 0);
		CHECK(f.npkgs == 1 && f.lockfile);
		CHECK_INT(cs_rust_parse(&f, &a, "x/Cargo.lock.orig", "", 0, &err), CS_ENOTFOUND);
		cs_arena_release(&a);
	}
}

/* --- whole scans ------------------------------------------------------------------------------- */

/*
 * A directory (customs rootfs) reports the binary's crates and the
 * lockfile's; a damaged binary is a warning naming it; a script is
 * nothing. An image reports the binary only (lockfiles are for
 * directories), in the lowest layer that held it unchanged, and not a
 * binary a later layer deleted.
 */
TEST(scans)
{
	size_t zn, bn = 0, brn = 0, lockn = 0;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn), *bin = NULL, *broken = NULL;
	char *lock = cf_read_shared(LANG_DATA "trivy/rust/cargo/testdata/cargo_v3.lock", &lockn), dir[256] = "";
	const cs_package *p;
	cs_scan *s;

	if (!z || !lock || !cf_tmpdir(dir, sizeof(dir), "rust")) {
		test_failures++;
		goto done;
	}
	broken = elf_make(&brn, NULL, true, false, ".dep-v0", z, zn - 3, 1, 2); /* the stream cut short */
	bin = elf_make(&bn, NULL, true, false, ".dep-v0", z, zn, 1, 2);
	{
		const cf_entry files[] = {
			{"usr/local/bin/app", bin, bn, 0755},
			{"usr/local/bin/broken", broken, brn, 0755},
			{"usr/local/bin/hello", "#!/bin/sh\necho hi\n", 0, 0755},
			{"srv/app/Cargo.lock", lock, lockn, 0},
			CF_END,
		};

		CHECK(cf_write_tree(dir, files));
	}
	if ((s = cf_scan(dir, true, 2)) != NULL) {
		CHECK_INT(cf_scan_count(s, "cargo", "usr/local/bin/app"), 10);
		CHECK_INT(cf_scan_count(s, "cargo", "srv/app/Cargo.lock"), 9);
		CHECK_INT(cf_scan_count(s, "cargo", NULL), 19);
		CHECK(cf_diag_has(s, "'usr/local/bin/broken': section '.dep-v0': truncated zlib stream", NULL));
		CHECK(!cf_diag_has(s, "hello", NULL));
		CHECK_INT(cs_scan_error_count(s), 0);
		cs_scan_free(s);
	}
	{
		const cf_entry l0[] = {
			{"usr/local/bin/app", bin, bn, 0755},
			{"usr/local/bin/old", bin, bn, 0755},
			{"srv/app/Cargo.lock", lock, lockn, 0644},
			CF_END,
		};
		const cf_entry l1[] = {
			{"usr/local/bin/app", bin, bn, 0755}, /* rewritten unchanged: still layer 0's */
			CF_TEXT("usr/local/bin/.wh.old", ""),
			CF_END,
		};
		const cf_entry *const layers[] = {l0, l1};

		if ((s = cf_scan_layers("rust", layers, 2, 2)) != NULL) {
			CHECK_INT(cf_scan_count(s, "cargo", NULL), 10);
			CHECK_INT(cf_scan_count(s, "cargo", "usr/local/bin/app"), 10);
			p = cf_scan_find(s, "cargo", "usr/local/bin/app", NULL);
			CHECK(p && p->layer == 0);
			CHECK_INT(cs_scan_error_count(s), 0);
			cs_scan_free(s);
		}
	}
done:
	if (*dir)
		rm_tree(dir);
	free(bin);
	free(broken);
	free(lock);
	free(z);
}

TEST(fuzz_corpus)
{
	static const char *const lock[] = {"Cargo.lock"}, *const bin[] = {"usr/local/bin/x"};

	cf_replay_corpus("rust", &lock_parser, lock, 1, 0);
	cf_replay_corpus("rust", &bin_parser, bin, 1, 0);
}

TEST_MAIN(TEST_ENTRY(trivy_cargo), TEST_ENTRY(syft_cargo), TEST_ENTRY(lock_syntax), TEST_ENTRY(lock_limits),
	  TEST_ENTRY(lock_truncated), TEST_ENTRY(toml_oracle), TEST_ENTRY(purls), TEST_ENTRY(audit_json_rules), TEST_ENTRY(audit_inflate),
	  TEST_ENTRY(elf_synthetic), TEST_ENTRY(built_binaries), TEST_ENTRY(wants), TEST_ENTRY(scans),
	  TEST_ENTRY(fuzz_corpus))
