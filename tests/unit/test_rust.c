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

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/elf.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/sha256.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/testutil.h"

/* --- helpers ------------------------------------------------------------------ */

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static char *shared_path(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/test-data/lang/%s", test_shared(), rel);
	return buf;
}

static char *read_shared(const char *rel, size_t *len)
{
	char path[4096];
	char *data = test_read_file(shared_path(path, sizeof(path), rel), len);

	if (!data)
		fprintf(stderr, "  cannot read '%s'\n", path);
	return data;
}

/* Runs a shell command; true when it exits 0. Output goes to /dev/null. */
static bool sh(const char *fmt, ...) CS_PRINTF(1, 2);

static bool sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd) == 0;
}

static bool write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f)
		return false;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

/* zlib (RFC 1950) of in[0..n) with isa-l at level 1: a malloc'd stream, NULL on failure. */
static uint8_t *zlib_make(const void *in, size_t n, size_t *out_len)
{
	struct isal_zstream zs;
	size_t cap = n + n / 16 + 1024; /* text only: level 1 never expands it that much */
	uint8_t *out = malloc(cap), *lvl = malloc(ISAL_DEF_LVL1_DEFAULT);

	if (!out || !lvl) {
		free(out);
		free(lvl);
		return NULL;
	}
	isal_deflate_init(&zs);
	zs.gzip_flag = IGZIP_ZLIB;
	zs.level = 1;
	zs.level_buf = lvl;
	zs.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
	zs.end_of_stream = 1;
	zs.flush = NO_FLUSH;
	zs.next_in = (uint8_t *)in;
	zs.avail_in = (uint32_t)n;
	zs.next_out = out;
	zs.avail_out = (uint32_t)cap;
	if (isal_deflate(&zs) != COMP_OK || zs.internal_state.state != ZSTATE_END) {
		free(out);
		free(lvl);
		return NULL;
	}
	*out_len = zs.total_out;
	free(lvl);
	return out;
}

/* Parses with fn on an exact-size copy (ASan sees any over-read) and checks the result's invariants. */
typedef int (*parse_fn)(cs_langfile *, cs_arena *, const void *, size_t, cs_err *);

static int lock_fn(cs_langfile *out, cs_arena *a, const void *p, size_t n, cs_err *err)
{
	return cs_rust_parse_lock(out, a, p, n, err);
}

static int bin_fn(cs_langfile *out, cs_arena *a, const void *p, size_t n, cs_err *err)
{
	return cs_rust_parse_binary(out, a, p, n, err);
}

static int audit_fn(cs_langfile *out, cs_arena *a, const void *p, size_t n, cs_err *err)
{
	return cs_rust_parse_audit(out, a, p, n, err);
}

static int json_fn(cs_langfile *out, cs_arena *a, const void *p, size_t n, cs_err *err)
{
	return cs_rust_parse_audit_json(out, a, p, n, err);
}

static bool clean_str(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int parse_exact(parse_fn fn, const void *data, size_t len, cs_langfile *f, cs_arena *a, cs_err *err)
{
	void *copy = malloc(len ? len : 1);
	size_t i;
	int rc;

	if (!copy)
		return CS_ENOMEM;
	memcpy(copy, data, len);
	cs_err_clear(err);
	rc = fn(f, a, copy, len, err);
	if (rc != 0 && rc != CS_ENOTFOUND && rc != CS_EFORMAT && rc != CS_ELIMIT) {
		fprintf(stderr, "  unexpected code %d\n", rc);
		test_failures++;
	}
	if ((rc == CS_EFORMAT || rc == CS_ELIMIT) && err->msg[0] == '\0') {
		fprintf(stderr, "  a refusal without a reason\n");
		test_failures++;
	}
	if (rc == 0)
		for (i = 0; i < f->npkgs; i++)
			if (!clean_str(f->pkgs[i].name) || !clean_str(f->pkgs[i].version) ||
			    (f->pkgs[i].purl && !clean_str(f->pkgs[i].purl))) {
				fprintf(stderr, "  a package with an unclean field\n");
				test_failures++;
			}
	free(copy);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Compares f's packages with want[0..n) ("name@version" or, with purls,
 * "name@version purl", the purl "-" for none) as multisets.
 */
static void check_pkgs(const char *label, const cs_langfile *f, const char *const *want, size_t n, bool purls)
{
	char **got = calloc(f->npkgs + 1, sizeof(*got));
	const char **exp = calloc(n + 1, sizeof(*exp));
	size_t i;
	bool same;

	if (!got || !exp) {
		test_failures++;
		free(got);
		free(exp);
		return;
	}
	for (i = 0; i < f->npkgs; i++) {
		const cs_langpkg *p = &f->pkgs[i];
		size_t m = strlen(p->name) + strlen(p->version) + (p->purl ? strlen(p->purl) : 1) + 3;

		got[i] = malloc(m);
		if (purls)
			snprintf(got[i], m, "%s@%s %s", p->name, p->version, p->purl ? p->purl : "-");
		else
			snprintf(got[i], m, "%s@%s", p->name, p->version);
	}
	memcpy(exp, want, n * sizeof(*exp));
	qsort(got, f->npkgs, sizeof(*got), cmp_str);
	qsort(exp, n, sizeof(*exp), cmp_str);
	same = f->npkgs == n;
	for (i = 0; same && i < n; i++)
		same = strcmp(got[i], exp[i]) == 0;
	if (!same) {
		fprintf(stderr, "  %s: got %zu packages, expected %zu\n", label, f->npkgs, n);
		for (i = 0; i < f->npkgs || i < n; i++)
			fprintf(stderr, "    %-50s %s\n", i < f->npkgs ? got[i] : "", i < n ? exp[i] : "");
		test_failures++;
	}
	for (i = 0; i < f->npkgs; i++)
		free(got[i]);
	free(got);
	free(exp);
}

/* --- Cargo.lock: the oracles --------------------------------------------------------- */

TEST(trivy_cargo)
{
	size_t len, i, ncases = 0;
	char *json = read_shared("trivy/rust/cargo/expected.trivy.json", &len), *data;
	const cJSON *c;
	cJSON *root;
	cs_err err;

	cs_err_clear(&err);
	root = json ? cs_json_parse(json, len, "expected.trivy.json", &err) : NULL;
	CHECK(root != NULL);
	if (!root) {
		free(json);
		return;
	}
	cJSON_ArrayForEach(c, cs_json_arr(root, "cases")) {
		const cJSON *p, *pkgs = cs_json_arr(c, "packages");
		char rel[512];
		const char *want[64];
		size_t n = 0, dlen;
		cs_langfile f;
		cs_arena a;
		int rc;

		snprintf(rel, sizeof(rel), "trivy/rust/cargo/%s", cs_json_str(c, "input"));
		cJSON_ArrayForEach(p, pkgs) {
			const char *name = cs_json_str(p, "Name"), *ver = cs_json_str(p, "Version");
			char *s = malloc(strlen(name) + strlen(ver) + 2);

			snprintf(s, strlen(name) + strlen(ver) + 2, "%s@%s", name, ver);
			if (n < CS_ARRAY_LEN(want))
				want[n++] = s;
			else
				free(s);
		}
		if (!(data = read_shared(rel, &dlen))) {
			test_failures++;
		} else {
			cs_arena_init(&a);
			rc = parse_exact(lock_fn, data, dlen, &f, &a, &err);
			CHECK_INT(rc, 0);
			if (rc == 0) {
				check_pkgs(rel, &f, want, n, false);
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
	free(json);

	/* Trivy's test expects "decode error" for the file with "version =" and no value. */
	if ((data = read_shared("trivy/rust/cargo/testdata/cargo_invalid.lock", &len)) != NULL) {
		cs_langfile f;
		cs_arena a;

		cs_arena_init(&a);
		CHECK_INT(parse_exact(lock_fn, data, len, &f, &a, &err), CS_EFORMAT);
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
	static const struct {
		const char *rel;
		const char *const *want;
		size_t n;
	} cases[] = {
		{"syft/rust/testdata/Cargo.lock", syft_plain, CS_ARRAY_LEN(syft_plain)},
		{"syft/rust/testdata/Cargo.lock-with-git-deps", syft_git, CS_ARRAY_LEN(syft_git)},
		{"syft/rust/testdata/path-deps/Cargo.lock", syft_path, CS_ARRAY_LEN(syft_path)},
		{"syft/rust/testdata/image-audit/Cargo.lock", image_audit, CS_ARRAY_LEN(image_audit)},
	};
	size_t i, len;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char *data = read_shared(cases[i].rel, &len);
		cs_langfile f;
		cs_arena a;
		cs_err err;

		if (!data) {
			test_failures++;
			continue;
		}
		cs_arena_init(&a);
		CHECK_INT(parse_exact(lock_fn, data, len, &f, &a, &err), 0);
		check_pkgs(cases[i].rel, &f, cases[i].want, cases[i].n, true);
		CHECK_INT(f.nbad, 0);
		cs_arena_release(&a);
		free(data);
	}
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
	rc = parse_exact(lock_fn, text, len, &f, &a, &err);
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
		if (!str_eq(out.data, cases[i].want)) {
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
		CHECK_INT(parse_exact(lock_fn, b.data, b.len, &f, &a, &err), 0);
		CHECK_INT(f.npkgs, 200000);
		CHECK(f.npkgs == 200000 && str_eq(f.pkgs[199999].purl, "pkg:cargo/c199999@1.0.199999"));
		cs_arena_release(&a);
	}
	cs_buf_release(&b);
	cs_buf_release(&out);
}

/* Every prefix of real files: parsed or refused with a reason, never a crash or an over-read. */
TEST(lock_truncated)
{
	static const char *const files[] = {
		"trivy/rust/cargo/testdata/cargo_mixed.lock",
		"trivy/rust/cargo/testdata/cargo_v3.lock",
		"syft/rust/testdata/Cargo.lock-with-git-deps",
	};
	size_t i, k, len;

	for (k = 0; k < CS_ARRAY_LEN(files); k++) {
		char *data = read_shared(files[k], &len);

		if (!data) {
			test_failures++;
			continue;
		}
		for (i = 0; i <= len; i++) {
			cs_langfile f;
			cs_arena a;
			cs_err err;

			cs_arena_init(&a);
			parse_exact(lock_fn, data, i, &f, &a, &err);
			cs_arena_release(&a);
		}
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
		"trivy/rust/cargo/testdata/cargo_normal.lock", "trivy/rust/cargo/testdata/cargo_mixed.lock",
		"trivy/rust/cargo/testdata/cargo_v3.lock",     "trivy/rust/cargo/testdata/cargo_invalid.lock",
		"syft/rust/testdata/Cargo.lock",               "syft/rust/testdata/Cargo.lock-with-git-deps",
		"syft/rust/testdata/path-deps/Cargo.lock",     "syft/rust/testdata/image-audit/Cargo.lock",
	};
	size_t nf = CS_ARRAY_LEN(fixtures), n = nf + NMUTANTS, i, lenient = 0, differ = 0, refused = 0, tn = 0;
	char **texts = calloc(n, sizeof(*texts)), *theirs = NULL, dir[] = "/tmp/customs-test-toml-XXXXXX", path[4200];
	size_t *lens = calloc(n, sizeof(*lens));
	uint64_t x = 0x9e3779b97f4a7c15ull;
	cs_buf cmd, ours, m;
	FILE *p;

	if (system("/usr/bin/python3 -c 'import tomllib' >/dev/null 2>&1") != 0) {
		fprintf(stderr, "  Python 3.11's tomllib not found (install the Debian package python3): not compared\n");
		test_failures++;
		free(texts);
		free(lens);
		return;
	}
	if (!texts || !lens || !mkdtemp(dir)) {
		test_failures++;
		free(texts);
		free(lens);
		return;
	}
	cs_buf_init(&cmd, 0);
	cs_buf_init(&ours, 0);
	cs_buf_init(&m, 0);
	for (i = 0; i < nf; i++)
		if (!(texts[i] = read_shared(fixtures[i], &lens[i])))
			test_failures++;
	for (i = 0; i < NMUTANTS; i++) {
		mutate(&m, texts[i % nf] ? texts[i % nf] : "", texts[i % nf] ? lens[i % nf] : 0, &x);
		texts[nf + i] = cs_buf_detach(&m, &lens[nf + i]);
	}
	cs_buf_puts(&cmd, "/usr/bin/python3 tests/oracle/toml/cargo_lock.py");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%04zu.lock", dir, i);
		CHECK(write_bytes(path, texts[i] ? texts[i] : "", lens[i]));
		cs_buf_printf(&cmd, " %s", path);
	}
	if ((p = popen(cmd.data, "r")) != NULL) {
		cs_buf t;
		char buf[65536];
		size_t got;

		cs_buf_init(&t, 0);
		while ((got = fread(buf, 1, sizeof(buf), p)) > 0)
			cs_buf_append(&t, buf, got);
		CHECK(pclose(p) == 0);
		theirs = cs_buf_detach(&t, &tn);
	}
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
			lenient += !str_eq(ours.data, "E\n");
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

static void audit_render(cs_buf *out, parse_fn fn, const void *p, size_t n)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t i;
	int rc;

	cs_buf_reset(out);
	cs_arena_init(&a);
	rc = parse_exact(fn, p, n, &f, &a, &err);
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
		audit_render(&out, json_fn, cases[i].json, strlen(cases[i].json));
		if (!str_eq(out.data, cases[i].want)) {
			fprintf(stderr, "  case %zu: got\n%s\n  expected\n%s\n", i, out.data ? out.data : "", cases[i].want);
			test_failures++;
		}
	}
	{
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(parse_exact(json_fn, audit_json, strlen(audit_json), &f, &a, &err), 0);
		check_pkgs("image-audit json", &f, image_audit, CS_ARRAY_LEN(image_audit), true);
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
	audit_render(&out, audit_fn, z, zn);
	CHECK(out.data && strncmp(out.data, "argh@0.1.12 pkg:cargo/argh@0.1.12\n", 34) == 0);
	/* Every truncation: refused as a damaged stream. */
	for (i = 0; i < zn; i++) {
		audit_render(&out, audit_fn, z, i);
		if (!out.data || (strcmp(out.data, "E3: truncated zlib stream") != 0)) {
			fprintf(stderr, "  truncated at %zu: %s\n", i, out.data ? out.data : "");
			test_failures++;
		}
	}
	/* Bytes after the stream are ignored, as Go's zlib reader ignores them. */
	t = malloc(zn + 5);
	memcpy(t, z, zn);
	memcpy(t + zn, "\0\0junk", 5);
	audit_render(&out, audit_fn, t, zn + 5);
	CHECK(out.data && strncmp(out.data, "argh@", 5) == 0);
	/* A damaged checksum, header, or body. */
	memcpy(t, z, zn);
	t[zn - 1] ^= 1;
	audit_render(&out, audit_fn, t, zn);
	CHECK_STR(out.data, "E3: zlib checksum mismatch");
	memcpy(t, z, zn);
	t[0] = 0x1f;
	audit_render(&out, audit_fn, t, zn);
	CHECK_STR(out.data, "E3: unsupported zlib compression method");
	memcpy(t, z, zn);
	t[1] ^= 1; /* the header's check bits: isa-l reports it as a checksum */
	audit_render(&out, audit_fn, t, zn);
	CHECK_STR(out.data, "E3: zlib checksum mismatch");
	memcpy(t, z, zn);
	t[0] = 0x78;
	t[1] = 0xbb; /* FDICT: a preset dictionary, which cargo-auditable never uses */
	audit_render(&out, audit_fn, t, zn);
	CHECK_STR(out.data, "E3: the zlib stream needs a preset dictionary");
	memcpy(t, z, zn);
	for (i = 2; i < zn - 4; i++)
		t[i] = (uint8_t)(t[i] * 31 + 7);
	audit_render(&out, audit_fn, t, zn);
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
		audit_render(&out, audit_fn, z, zn);
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
		audit_render(&out, audit_fn, z, zn);
		CHECK_STR(out.data, "E4: the audit data inflates to more than 8388608 bytes");
		free(z);
	} else {
		test_failures++;
	}
	free(j);
	cs_buf_release(&out);
}

/* --- hand-made ELF files ------------------------------------------------------------------- */

static void put(uint8_t *p, size_t off, unsigned n, bool be, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[off + (be ? n - 1 - i : i)] = (uint8_t)(v >> (8 * i));
}

/* Where elf_make put things, for tampering. */
typedef struct elf_layout {
	size_t payload;  /* offset of the section's bytes */
	size_t shoff;    /* section header table */
	size_t shentsize;
} elf_layout;

/*
 * A minimal ELF file: header, the section's bytes, the names' string
 * table, and three section headers (null, sec, .shstrtab). malloc'd.
 */
static uint8_t *elf_make(size_t *len, elf_layout *lay, bool is64, bool be, const char *sec, const void *payload,
			 size_t n, uint64_t type, uint64_t flags)
{
	size_t eh = is64 ? 64 : 52, sh = is64 ? 64 : 40, sn = strlen(sec) + 1;
	size_t strtab = eh + n, strn = 1 + sn + sizeof(".shstrtab"), shoff = (strtab + strn + 7) & ~(size_t)7;
	size_t total = shoff + 3 * sh, i;
	uint8_t *p = calloc(1, total);
	const unsigned w = is64 ? 8 : 4;

	if (!p)
		return NULL;
	memcpy(p, "\x7f" "ELF", 4);
	p[4] = is64 ? 2 : 1;
	p[5] = be ? 2 : 1;
	p[6] = 1;
	put(p, 16, 2, be, 2);                   /* ET_EXEC */
	put(p, 18, 2, be, is64 ? 62 : 3);       /* x86-64, i386 */
	put(p, 20, 4, be, 1);
	put(p, is64 ? 40 : 32, w, be, shoff);   /* e_shoff */
	put(p, is64 ? 52 : 40, 2, be, eh);      /* e_ehsize */
	put(p, is64 ? 58 : 46, 2, be, sh);      /* e_shentsize */
	put(p, is64 ? 60 : 48, 2, be, 3);       /* e_shnum */
	put(p, is64 ? 62 : 50, 2, be, 2);       /* e_shstrndx */
	memcpy(p + eh, payload, n);
	memcpy(p + strtab + 1, sec, sn);
	memcpy(p + strtab + 1 + sn, ".shstrtab", sizeof(".shstrtab"));
	for (i = 1; i < 3; i++) {
		size_t b = shoff + i * sh;

		put(p, b, 4, be, i == 1 ? 1 : 1 + sn);          /* sh_name */
		put(p, b + 4, 4, be, i == 1 ? type : 3);         /* sh_type: STRTAB for the names */
		put(p, b + 8, w, be, i == 1 ? flags : 0);        /* sh_flags */
		put(p, b + (is64 ? 24 : 16), w, be, i == 1 ? eh : strtab); /* sh_offset */
		put(p, b + (is64 ? 32 : 20), w, be, i == 1 ? n : strn);    /* sh_size */
	}
	*len = total;
	if (lay) {
		lay->payload = eh;
		lay->shoff = shoff;
		lay->shentsize = sh;
	}
	return p;
}

TEST(elf_synthetic)
{
	size_t zn, len, i;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn), *p;
	elf_layout lay;
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
		audit_render(&out, bin_fn, p, len);
		if (!out.data || strncmp(out.data, "argh@0.1.12 pkg:cargo/argh@0.1.12\n", 34) != 0) {
			fprintf(stderr, "  elf %d: %s\n", k, out.data ? out.data : "");
			test_failures++;
		}
		free(p);
	}
	/* Another name; not ELF; the string table index out of range; the table beyond the file. */
	p = elf_make(&len, &lay, true, false, ".dep-v1", z, zn, 1, 0);
	audit_render(&out, bin_fn, p, len);
	CHECK_STR(out.data, "not found");
	free(p);
	audit_render(&out, bin_fn, audit_json, strlen(audit_json));
	CHECK_STR(out.data, "not found");
	p = elf_make(&len, &lay, true, false, ".dep-v0", z, zn, 1, 0);
	put(p, 62, 2, false, 3);
	audit_render(&out, bin_fn, p, len);
	CHECK_STR(out.data, "not found");
	put(p, 62, 2, false, 2);
	put(p, 40, 8, false, len);
	audit_render(&out, bin_fn, p, len);
	CHECK_STR(out.data, "not found");
	/* 0xff00+ sections: the count in section 0's size. */
	put(p, 40, 8, false, lay.shoff);
	put(p, 60, 2, false, 0);
	put(p, lay.shoff + 32, 8, false, 3);
	audit_render(&out, bin_fn, p, len);
	CHECK(out.data && strncmp(out.data, "argh@", 5) == 0);
	put(p, 60, 2, false, 3);
	/* The section's bytes beyond the end of the file; none (NOBITS); compressed by the linker. */
	put(p, lay.shoff + 64 + 32, 8, false, len);
	audit_render(&out, bin_fn, p, len);
	if (!out.data || !strstr(out.data, "E3: section '.dep-v0' (") || !strstr(out.data, "runs past the end of the file")) {
		fprintf(stderr, "  %s\n", out.data ? out.data : "");
		test_failures++;
	}
	put(p, lay.shoff + 64 + 32, 8, false, zn);
	put(p, lay.shoff + 64 + 4, 4, false, CS_ELF_SHT_NOBITS);
	audit_render(&out, bin_fn, p, len);
	CHECK_STR(out.data, "E3: section '.dep-v0' is empty");
	put(p, lay.shoff + 64 + 4, 4, false, 1);
	put(p, lay.shoff + 64 + 8, 8, false, CS_ELF_SHF_COMPRESSED);
	audit_render(&out, bin_fn, p, len);
	CHECK_STR(out.data, "E3: section '.dep-v0' is compressed by the linker (SHF_COMPRESSED): not supported");
	put(p, lay.shoff + 64 + 8, 8, false, 0);
	p[lay.payload + 5] ^= 0x55;
	audit_render(&out, bin_fn, p, len);
	CHECK(out.data && strncmp(out.data, "E3: section '.dep-v0': ", 23) == 0);
	p[lay.payload + 5] ^= 0x55;
	/* Every truncation, and every byte of the headers set to hostile values. */
	for (i = 0; i <= len; i++) {
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		parse_exact(bin_fn, p, i, &f, &a, &err);
		cs_arena_release(&a);
	}
	for (i = 0; i < len; i++) {
		static const uint8_t vals[] = {0x00, 0xff, 0x7f, 0x80};
		uint8_t keep = p[i];
		size_t v;

		if (i >= lay.payload && i < lay.payload + zn)
			continue;
		for (v = 0; v < CS_ARRAY_LEN(vals); v++) {
			cs_langfile f;
			cs_arena a;
			cs_err err;

			p[i] = vals[v];
			cs_arena_init(&a);
			parse_exact(bin_fn, p, len, &f, &a, &err);
			cs_arena_release(&a);
		}
		p[i] = keep;
	}
	free(p);
	free(z);
	cs_buf_release(&out);
}

/* --- executables built here ------------------------------------------------------------------ */

/* A fresh temporary directory (malloc'd path), or NULL. */
static char *temp_dir(void)
{
	char tmpl[] = "/tmp/customs-test-rust-XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? strdup(d) : NULL;
}

/*
 * Writes dir/dep.z (the compressed image-audit JSON), dir/main.c and
 * dir/dep.s (the section as cargo-auditable links it: allocated, read-only,
 * in a PT_LOAD segment). False when a step failed.
 */
static bool write_sources(const char *dir)
{
	static const char main_c[] = "int main(void) { return 0; }\n";
	static const char dep_s[] = ".section .dep-v0,\"a\",@progbits\n.incbin \"dep.z\"\n"
				    ".section .note.GNU-stack,\"\",@progbits\n";
	char path[4096];
	size_t zn;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn);
	bool ok = z != NULL;

	snprintf(path, sizeof(path), "%s/dep.z", dir);
	ok = ok && write_bytes(path, z, zn);
	snprintf(path, sizeof(path), "%s/main.c", dir);
	ok = ok && write_bytes(path, main_c, sizeof(main_c) - 1);
	snprintf(path, sizeof(path), "%s/dep.s", dir);
	ok = ok && write_bytes(path, dep_s, sizeof(dep_s) - 1);
	free(z);
	return ok;
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
	rc = parse_exact(bin_fn, data, len, &f, &a, &err);
	if (want) {
		if (rc != 0)
			fprintf(stderr, "  %s: %d %s\n", name, rc, err.msg);
		CHECK_INT(rc, 0);
		if (rc == 0)
			check_pkgs(name, &f, image_audit, CS_ARRAY_LEN(image_audit), true);
	} else {
		CHECK_INT(rc, CS_ENOTFOUND);
	}
	cs_arena_release(&a);
	free(data);
}

TEST(built_binaries)
{
	char *dir = temp_dir();
	char path[4096];
	size_t len;
	uint8_t *data;
	cs_elf e;
	cs_elf_section s;

	CHECK(dir != NULL);
	if (!dir || !write_sources(dir)) {
		test_failures++;
		free(dir);
		return;
	}
#define Q ">/dev/null 2>&1"
	CHECK(sh("(cd %s && cc -O1 -no-pie -o plain main.c && objcopy --add-section .dep-v0=dep.z plain plain.dep)" Q, dir));
	CHECK(sh("(cd %s && cc -O1 -fPIE -pie -o pie main.c && objcopy --add-section .dep-v0=dep.z pie pie.dep)" Q, dir));
	CHECK(sh("(cd %s && cc -O1 -s -o s main.c && objcopy --add-section .dep-v0=dep.z s s.dep)" Q, dir));
	CHECK(sh("(cd %s && strip -o plain.strip plain.dep)" Q, dir));
	CHECK(sh("(cd %s && cc -O1 -fPIE -pie -s -o linked main.c dep.s)" Q, dir));
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
		put(data, 40, 8, false, 0);
		put(data, 60, 2, false, 0);
		snprintf(path, sizeof(path), "%s/wiped", dir);
		CHECK(write_bytes(path, data, len));
		free(data);
		check_binary(dir, "wiped", false);
	}
	/* A Rust program, when rustc is installed (Debian's rustc is a test dependency). */
	if (sh("rustc --version" Q)) {
		snprintf(path, sizeof(path), "%s/main.rs", dir);
		CHECK(write_bytes(path, "fn main() { println!(\"hi\"); }\n", 30));
		/* Not make's jobserver: rustc would warn that it cannot reach it. */
		CHECK(sh("(cd %s && env -u MAKEFLAGS -u MFLAGS rustc -O -C strip=symbols -o rs main.rs &&"
			 " objcopy --add-section .dep-v0=dep.z rs rs.dep)" Q,
			 dir));
		check_binary(dir, "rs", false);
		check_binary(dir, "rs.dep", true);
	} else {
		fprintf(stderr, "  (rustc not installed: the Rust-built binary is not tested)\n");
	}
	rm_tree(dir);
	free(dir);
}

TEST(wants)
{
	static const struct {
		const char *path;
		uint32_t mode;
		bool want;
	} cases[] = {
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
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++)
		if (cs_analyzer_rust.wants(cases[i].path, cases[i].mode) != cases[i].want) {
			fprintf(stderr, "  wants(%s, %o) != %d\n", cases[i].path, (unsigned)cases[i].mode, cases[i].want);
			test_failures++;
		}
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

static cs_scan *scan_target(const char *target, bool rootfs)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	int rc;

	cs_scan_opts_default(&o);
	o.jobs = 2;
	cs_err_clear(&err);
	rc = cs_scan_run(&s, target, rootfs, &o, &err);
	if (rc < 0) {
		fprintf(stderr, "  scan of '%s' failed: %s\n", target, err.msg);
		test_failures++;
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

/* Cargo packages found in found_in (NULL: anywhere); *layer the layer of the last one. */
static size_t count_in(const cs_scan *s, const char *found_in, int *layer)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		if (strcmp(p->type, "cargo") == 0 && (!found_in || str_eq(p->found_in, found_in))) {
			n++;
			if (layer)
				*layer = p->layer;
		}
	}
	return n;
}

static bool warned_about(const cs_scan *s, const char *what)
{
	size_t i;

	for (i = 0; i < cs_scan_diag_count(s); i++) {
		int level;

		if (strstr(cs_scan_diag_get(s, i, &level), what))
			return true;
	}
	return false;
}

/* One file of a built layer. */
typedef struct bin_entry {
	const char *path;
	const void *data;
	size_t len;
	unsigned perm;
} bin_entry;

/* Writes a docker-save archive; layers[i] is a NULL-path-terminated entry list. */
static bool docker_write(const char *path, const bin_entry *const *layers, size_t n)
{
	tarb outer, t;
	cs_buf cfg, man;
	char name[64], digest[CS_DIGEST_MAX];
	uint8_t *blob;
	size_t i, bn;
	bool ok;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&man, 0);
	tb_open(&outer, 'p');
	cs_buf_puts(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"rust-test:1\"],\"Layers\":[");
	for (i = 0; i < n; i++) {
		const bin_entry *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++)
			tb_entry(&t, e->path, AE_IFREG, e->perm, e->data, e->len, NULL, NULL);
		if (!(blob = tb_close(&t, &bn)))
			return false;
		cs_sha256_buf(blob, bn, digest);
		snprintf(name, sizeof(name), "l%zu/layer.tar", i);
		tb_entry(&outer, name, AE_IFREG, 0644, blob, bn, NULL, NULL);
		free(blob);
		cs_buf_printf(&cfg, "%s\"%s\"", i ? "," : "", digest);
		cs_buf_printf(&man, "%s\"%s\"", i ? "," : "", name);
	}
	cs_buf_puts(&cfg, "]}}");
	cs_buf_puts(&man, "]}]");
	tb_entry(&outer, "config.json", AE_IFREG, 0644, cfg.data, cfg.len, NULL, NULL);
	tb_entry(&outer, "manifest.json", AE_IFREG, 0644, man.data, man.len, NULL, NULL);
	blob = tb_close(&outer, &bn);
	ok = blob != NULL && write_bytes(path, blob, bn);
	free(blob);
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

/*
 * A directory (customs rootfs) reports the binary's crates and the
 * lockfile's; a damaged binary is a warning naming it; a script is
 * nothing. An image reports the binary only (lockfiles are for
 * directories), in the lowest layer that held it unchanged, and not a
 * binary a later layer deleted.
 */
TEST(scans)
{
	size_t zn, bn, brn, lockn;
	uint8_t *z = zlib_make(audit_json, strlen(audit_json), &zn), *bin = NULL, *broken = NULL;
	char *lock = read_shared("trivy/rust/cargo/testdata/cargo_v3.lock", &lockn), *dir = temp_dir();
	char path[4096], tar[] = "/tmp/customs-test-rust-XXXXXX.tar";
	cs_scan *s;
	int layer = -1, fd;

	if (!z || !lock || !dir) {
		test_failures++;
		goto done;
	}
	broken = elf_make(&brn, NULL, true, false, ".dep-v0", z, zn - 3, 1, 2); /* the stream cut short */
	bin = elf_make(&bn, NULL, true, false, ".dep-v0", z, zn, 1, 2);
	snprintf(path, sizeof(path), "%s/usr/local/bin", dir);
	CHECK(sh("mkdir -p %s/usr/local/bin %s/srv/app", dir, dir));
	snprintf(path, sizeof(path), "%s/usr/local/bin/app", dir);
	CHECK(write_bytes(path, bin, bn) && chmod(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/usr/local/bin/broken", dir);
	CHECK(write_bytes(path, broken, brn) && chmod(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/usr/local/bin/hello", dir);
	CHECK(write_bytes(path, "#!/bin/sh\necho hi\n", 18) && chmod(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/srv/app/Cargo.lock", dir);
	CHECK(write_bytes(path, lock, lockn));
	if ((s = scan_target(dir, true)) != NULL) {
		CHECK_INT(count_in(s, "usr/local/bin/app", NULL), 10);
		CHECK_INT(count_in(s, "srv/app/Cargo.lock", NULL), 9);
		CHECK_INT(count_in(s, NULL, NULL), 19);
		CHECK(warned_about(s, "'usr/local/bin/broken': section '.dep-v0': truncated zlib stream"));
		CHECK(!warned_about(s, "hello"));
		CHECK_INT(cs_scan_error_count(s), 0);
		cs_scan_free(s);
	}
	{
		const bin_entry l0[] = {
			{"usr/local/bin/app", bin, bn, 0755},
			{"usr/local/bin/old", bin, bn, 0755},
			{"srv/app/Cargo.lock", lock, lockn, 0644},
			{NULL, NULL, 0, 0},
		};
		const bin_entry l1[] = {
			{"usr/local/bin/app", bin, bn, 0755}, /* rewritten unchanged: still layer 0's */
			{"usr/local/bin/.wh.old", "", 0, 0644},
			{NULL, NULL, 0, 0},
		};
		const bin_entry *const layers[] = {l0, l1};

		if ((fd = mkstemps(tar, 4)) < 0) {
			test_failures++;
			goto done;
		}
		close(fd);
		if (docker_write(tar, layers, 2) && (s = scan_target(tar, false)) != NULL) {
			CHECK_INT(count_in(s, NULL, NULL), 10);
			CHECK_INT(count_in(s, "usr/local/bin/app", &layer), 10);
			CHECK_INT(layer, 0);
			CHECK_INT(cs_scan_error_count(s), 0);
			cs_scan_free(s);
		}
		unlink(tar);
	}
done:
	if (dir)
		rm_tree(dir);
	free(dir);
	free(bin);
	free(broken);
	free(lock);
	free(z);
}

TEST(fuzz_corpus)
{
	DIR *d = opendir("tests/fuzz/corpus/rust");
	struct dirent *de;
	size_t n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t len, i;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/fuzz/corpus/rust/%s", de->d_name);
		if (!(data = test_read_file(path, &len)))
			continue;
		for (i = 0; i <= len; i++) {
			cs_langfile f;
			cs_arena a;
			cs_err err;

			cs_arena_init(&a);
			parse_exact(lock_fn, data, i, &f, &a, &err);
			parse_exact(bin_fn, data, i, &f, &a, &err);
			cs_arena_release(&a);
		}
		free(data);
		n++;
	}
	closedir(d);
	CHECK(n > 0);
}

TEST_MAIN(TEST_ENTRY(trivy_cargo), TEST_ENTRY(syft_cargo), TEST_ENTRY(lock_syntax), TEST_ENTRY(lock_limits),
	  TEST_ENTRY(lock_truncated), TEST_ENTRY(toml_oracle), TEST_ENTRY(purls), TEST_ENTRY(audit_json_rules), TEST_ENTRY(audit_inflate),
	  TEST_ENTRY(elf_synthetic), TEST_ENTRY(built_binaries), TEST_ENTRY(wants), TEST_ENTRY(scans),
	  TEST_ENTRY(fuzz_corpus))
