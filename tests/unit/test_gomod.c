/*
 * test_gomod.c - the gomod cataloger against Trivy's and syft's
 * expectations and the go command's own go.mod parser.
 *
 * Oracles first:
 *
 *  - trivy_gomod: Trivy's go.mod parser tests (expected.trivy.json), on
 *    name and version, with three differences of representation or choice,
 *    each explained where it is applied: the main module's version
 *    ("(devel)" here, none in Trivy), the standard library's ("go1.22.5"
 *    here, as the gobin cataloger and syft write it; "v1.22.5" in Trivy),
 *    and the "// indirect" requires of a go 1.16 file (kept here; Trivy's
 *    parser drops them because its analyzer adds go.sum's modules instead,
 *    which a per-file parser cannot). The case "no replace" runs Trivy's
 *    parser with replace directives off, which its analyzer never does for
 *    a project's go.mod: not compared.
 *  - trivy_gosum: Trivy's go.sum parser tests: names from
 *    expected.trivy.json, versions (lost in that transcription) from the
 *    upstream parse_testcase.go for the three smaller files.
 *  - syft_gomod: syft's go.mod tests, which drop excluded modules and keep
 *    a module replaced by a directory under its required path (both
 *    explained below).
 *  - xmod_oracle: golang.org/x/mod/modfile (Debian's, through
 *    tests/oracle/gomod.sh) on every fixture and on edge cases of the
 *    syntax: the same directives, or both refuse the file.
 *
 * Then the syntax and rules case by case, go.sum lines, truncations, the
 * go.sum-beside-go.mod rule in a scan, and a replay of the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/gomod.h"

#include "unit/catfix.h"

#define LANG_DATA "test-data/lang/"

/* --- helpers ------------------------------------------------------------------ */

/* The analyzer's parser (go.mod or go.sum by the path's name) on exact-size copies; both are lockfiles. */
static const cf_parser gomod_parser = {cs_gomod_parse, CF_LOCKFILE};

/* --- the oracles ------------------------------------------------------------------------ */

TEST(trivy_gomod)
{
	size_t ncases = 0;
	cJSON *root = cf_read_json(LANG_DATA "trivy/golang/mod/expected.trivy.json");
	const cJSON *c;
	cs_err err;

	if (!root)
		return;
	cJSON_ArrayForEach(c, cs_json_arr(root, "cases")) {
		const char *name = cs_json_str(c, "case"), *input = cs_json_str(c, "input");
		const cJSON *p;
		char rel[512], *data;
		char *want[64];
		size_t n = 0, dlen;
		cs_gomod_file mf;
		cs_langfile f;
		cs_arena a;

		if (cf_str_eq(name, "no replace"))
			continue; /* Trivy's parser with replace directives off: not how its analyzer reads a go.mod */
		snprintf(rel, sizeof(rel), LANG_DATA "trivy/golang/mod/%s", input);
		if (!(data = cf_read_shared(rel, &dlen))) {
			test_failures++;
			continue;
		}
		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_gomod_read(&mf, &a, data, dlen, &err), 0);
		cJSON_ArrayForEach(p, cs_json_arr(c, "packages")) {
			const char *pn = cs_json_str(p, "Name"), *pv = cs_json_str(p, "Version");
			const char *rel_kind = cs_json_str(p, "Relationship");

			if (!pv)
				pv = "(devel)"; /* the main module: Trivy gives it no version */
			else if (cf_str_eq(pn, "stdlib") && pv[0] == 'v')
				pv = cs_arena_printf(&a, "go%s", pv + 1); /* v1.22.5 -> go1.22.5 */
			if (n < CS_ARRAY_LEN(want))
				want[n++] = cs_arena_printf(&a, "%s@%s", pn, pv);
			/* Direct and indirect requires as the "// indirect" comments say. */
			if (rel_kind && strstr(rel_kind, "Direct") && !cf_str_eq(pn, "stdlib")) {
				size_t k;
				bool found = false;

				for (k = 0; k < mf.nrequires; k++)
					found |= cf_str_eq(mf.requires[k].path, pn) && !mf.requires[k].indirect;
				found |= mf.nreplaces > 0; /* a replaced module's path may differ from its require */
				CHECK(found);
			}
		}
		/* Go 1.16 and older: the "// indirect" requires are kept here (see the file's comment). */
		if (cf_str_eq(name, "go 1.16") && n < CS_ARRAY_LEN(want))
			want[n++] = (char *)"gopkg.in/yaml.v3@v3.0.0-20210107192922-496545a6307b";
		CHECK_INT(cf_parse_copy(&gomod_parser, "go.mod", data, dlen, &f, &a, &err), 0);
		cf_check_ids(name, &f, (const char *const *)want, n, false);
		CHECK_INT(f.nbad, 0);
		cs_arena_release(&a);
		free(data);
		ncases++;
	}
	CHECK_INT(ncases, 9);
	cJSON_Delete(root);
}

/* Versions from Trivy's pkg/dependency/parser/golang/sum/parse_testcase.go. */
static const char *const sum_normal[] = {"golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1"};
static const char *const sum_emptyline[] = {"github.com/karrick/godirwalk@v1.12.0", "github.com/pkg/errors@v0.8.1"};
static const char *const sum_many[] = {
	"github.com/BurntSushi/toml@v0.3.1",
	"github.com/cpuguy83/go-md2man/v2@v2.0.0-20190314233015-f79a8a8ca69d",
	"github.com/davecgh/go-spew@v1.1.0",
	"github.com/pmezard/go-difflib@v1.0.0",
	"github.com/russross/blackfriday/v2@v2.0.1",
	"github.com/shurcooL/sanitized_anchor_name@v1.0.0",
	"github.com/stretchr/objx@v0.1.0",
	"github.com/stretchr/testify@v1.7.0",
	"github.com/urfave/cli@v1.22.5",
	"golang.org/x/xerrors@v0.0.0-20200804184101-5ec99f83aff1",
	"gopkg.in/check.v1@v0.0.0-20161208181325-20d25e280405",
	"gopkg.in/yaml.v2@v2.2.2",
	"gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c",
};

TEST(trivy_gosum)
{
	size_t ncases = 0;
	cJSON *root = cf_read_json(LANG_DATA "trivy/golang/sum/expected.trivy.json");
	const cJSON *c;
	cs_err err;

	if (!root)
		return;
	cJSON_ArrayForEach(c, cs_json_arr(root, "cases")) {
		const char *input = cs_json_str(c, "input");
		const cJSON *p;
		char rel[512], *data;
		const char **names;
		size_t n = 0, dlen, i, k;
		cs_langfile f;
		cs_arena a;

		snprintf(rel, sizeof(rel), LANG_DATA "trivy/golang/sum/%s", input);
		if (!(data = cf_read_shared(rel, &dlen))) {
			test_failures++;
			continue;
		}
		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&gomod_parser, "go.sum", data, dlen, &f, &a, &err), 0);
		names = cs_arena_calloc(&a, (size_t)cJSON_GetArraySize(cs_json_arr(c, "packages")) + 1, sizeof(*names));
		cJSON_ArrayForEach(p, cs_json_arr(c, "packages"))
			names[n++] = cs_json_str(p, "Name");
		/* Names: the same set. */
		CHECK_INT(f.npkgs, n);
		for (i = 0; i < n; i++) {
			bool found = false;

			for (k = 0; k < f.npkgs; k++)
				found |= cf_str_eq(f.pkgs[k].name, names[i]);
			if (!found) {
				fprintf(stderr, "  %s: %s missing\n", input, names[i]);
				test_failures++;
			}
		}
		if (strstr(input, "gomod_normal"))
			cf_check_ids(input, &f, sum_normal, CS_ARRAY_LEN(sum_normal), false);
		else if (strstr(input, "gomod_emptyline"))
			cf_check_ids(input, &f, sum_emptyline, CS_ARRAY_LEN(sum_emptyline), false);
		else if (strstr(input, "gomod_many"))
			cf_check_ids(input, &f, sum_many, CS_ARRAY_LEN(sum_many), false);
		CHECK_INT(f.nbad, 0);
		cs_arena_release(&a);
		free(data);
		ncases++;
	}
	CHECK_INT(ncases, 4);
	cJSON_Delete(root);
}

#define MAIN(m) m "@(devel) pkg:golang/" m "@%28devel%29"
#define MOD(ns, n, v) ns "/" n "@" v " pkg:golang/" ns "/" n "@" v

/* syft's parse_go_mod_test.go, with our differences marked. */
static const char *const syft_one[] = {
	MAIN("github.com/anchore/syft"), /* syft does not report the main module */
	MOD("github.com/bmatcuk", "doublestar", "v1.3.1"),
};
static const char *const syft_many[] = {
	MAIN("github.com/anchore/syft"),
	/* Excluded (exclude github.com/adrg/xdg v0.2.1): syft drops it; we ignore exclude as Trivy does. */
	MOD("github.com/adrg", "xdg", "v0.2.1"),
	MOD("github.com/anchore/archiver", "v3", "v3.5.2"),
	MOD("github.com/anchore", "go-testutils", "v0.0.0-20200624184116-66aa578126db"),
	MOD("github.com/anchore", "go-version", "v1.2.2-0.20200701162849-18adb9c92b9b"),
	MOD("github.com/anchore", "stereoscope", "v0.0.0-20200706164556-7cf39d7f4639"),
	MOD("github.com/bmatcuk", "doublestar", "v8.8.8"),
	MOD("github.com/go-test", "deep", "v1.0.6"),
};
/* Replaced by ../../../: syft keeps github.com/aws/aws-sdk-go-v2 with no version; we drop it, as Trivy does. */
static const char *const syft_relative[] = {
	MAIN("github.com/aws/aws-sdk-go-v2/feature/ec2/imds"),
	"stdlib@go1.22.0 pkg:golang/stdlib@1.22.0", /* go 1.22: syft reports no stdlib from a go.mod */
};
static const char *const syft_hashes[] = {
	MAIN("github.com/anchore/syft"),
	MOD("github.com/CycloneDX", "cyclonedx-go", "v0.6.0"),
	MOD("github.com/acarl005", "stripansi", "v0.0.0-20180116102854-5a71ef0e047d"),
	MOD("github.com/mgutz", "ansi", "v0.0.0-20200706080929-d51e80ef957d"),
};

TEST(syft_gomod)
{
	static const cf_ids_case cases[] = {
		{LANG_DATA "syft/golang/testdata/go-mod-fixtures/one-package/go.mod", syft_one, CS_ARRAY_LEN(syft_one)},
		{LANG_DATA "syft/golang/testdata/go-mod-fixtures/many-packages/go.mod", syft_many,
		 CS_ARRAY_LEN(syft_many)},
		{LANG_DATA "syft/golang/testdata/go-mod-fixtures/relative-replace/go.mod", syft_relative,
		 CS_ARRAY_LEN(syft_relative)},
		{LANG_DATA "syft/golang/testdata/go-sum-hashes/go.mod", syft_hashes, CS_ARRAY_LEN(syft_hashes)},
	};
	size_t len;
	char *data;

	cf_check_ids_fixtures(&gomod_parser, "go.mod", cases, CS_ARRAY_LEN(cases));
	/* syft's Test_corruptGoMod expects an error. */
	if ((data = cf_read_shared(LANG_DATA "syft/golang/testdata/corrupt/go.mod", &len)) != NULL) {
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&gomod_parser, "go.mod", data, len, &f, &a, &err), CS_EFORMAT);
		CHECK_STR(err.msg, "line 5: unknown block type: ruire");
		cs_arena_release(&a);
		free(data);
	}
}

/* --- the go command's parser ---------------------------------------------------------------- */

/* Go's %q of s, for the characters test inputs hold. */
static void quote_go(cs_buf *b, const char *s)
{
	cs_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = strchr("\a\b\f\n\r\t\v", c);

		if (c == '"' || c == '\\')
			cs_buf_printf(b, "\\%c", c);
		else if (c && esc)
			cs_buf_printf(b, "\\%c", "abfnrtv"[esc - "\a\b\f\n\r\t\v"]);
		else if (c < 0x20 || c == 0x7f)
			cs_buf_printf(b, "\\x%02x", c);
		else
			cs_buf_putc(b, (char)c);
	}
	cs_buf_putc(b, '"');
}

/* Our reading of a go.mod in the oracle's format (gomod/modfile.go), "E" for a refusal. */
static void render_dirs(cs_buf *b, const char *data, size_t len)
{
	cs_gomod_file f;
	cs_arena a;
	cs_err err;
	size_t i;

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_gomod_read(&f, &a, data, len, &err) < 0) {
		cs_buf_puts(b, "E\n");
		cs_arena_release(&a);
		return;
	}
	if (f.module) {
		cs_buf_puts(b, "module ");
		quote_go(b, f.module);
		cs_buf_putc(b, '\n');
	}
	if (f.go)
		cs_buf_printf(b, "go %s\n", f.go);
	for (i = 0; i < f.nrequires; i++) {
		cs_buf_puts(b, "require ");
		quote_go(b, f.requires[i].path);
		cs_buf_putc(b, ' ');
		quote_go(b, f.requires[i].version);
		cs_buf_printf(b, " %s\n", f.requires[i].indirect ? "indirect" : "direct");
	}
	for (i = 0; i < f.nreplaces; i++) {
		const cs_gomod_replace *r = &f.replaces[i];

		cs_buf_puts(b, "replace ");
		quote_go(b, r->old_path);
		cs_buf_putc(b, ' ');
		quote_go(b, *r->old_version ? r->old_version : "-");
		cs_buf_puts(b, " => ");
		quote_go(b, r->new_path);
		cs_buf_putc(b, ' ');
		quote_go(b, *r->new_version ? r->new_version : "-");
		cs_buf_putc(b, '\n');
	}
	if (f.nexcludes)
		cs_buf_printf(b, "excludes %zu\n", f.nexcludes);
	cs_arena_release(&a);
}

/*
 * Edge cases of the syntax and the rules, for the oracle. Debian's x/mod
 * predates toolchain lines and go versions other than 1.N: none here
 * (mod_rules has them).
 */
static const char *const xmod_cases[] = {
	"module x\n",
	"module \"x\"\nrequire y v1.2.3\n",
	"module x // c\n\n// whole line\nrequire (\n\ty v1.2.3 // indirect\n\tz v1.0.0 //indirect\n"
	"\tw v1.0.0 // indirect; for tests\n\tq v1.0.0 // indirectly\n\tr v1.0.0 // indirect x\n)\n",
	"require y v1.2\nrequire z v1\nrequire a v1.2.3+meta\nrequire b v2.0.0+incompatible\n",
	"require y/v2 v2.1.0\nrequire gopkg.in/yaml.v3 v3.0.1\nrequire gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405\n",
	"require y/v2 v3.0.0\n",
	"require y v2.0.0\n",
	"require y/v1 v1.0.0\n",
	"require y/v0 v0.1.0\n",
	"require gopkg.in/yaml v1.0.0\n",
	"require gopkg.in/yaml.v2-unstable v2.0.0\n",
	"require y 1.2.3\n",
	"require y v01.2.3\n",
	"require y v1.2.3-01\n",
	"require y v1.2.3-rc.1.x-y\n",
	"require y latest\n",
	"require y\n",
	"require y v1 z\n",
	"require \"y\\x41\\u00e9\\101\" v1.0.0\n",
	"require \"y\\q\" v1.0.0\n",
	"require `y` v1.0.0\n",
	"require y'z v1.0.0\n",
	"require \"y v1.0.0\n",
	"require y v1.0.0 /* c */\n",
	"require(\ny v1.0.0\n)\n",
	"require (\ny v1.0.0\n) x\n",
	"require (\ny v1.0.0\n",
	"require ()\nexclude ( )\n",
	"require ( ) x\n",
	"require y ( v1\n",
	"require x (\n)\n",
	"go (\n)\n",
	"frobnicate x\n",
	"module x\nmodule y\n",
	"go 1.17\ngo 1.18\n",
	"go 1.017\n",
	"go v1.17\n",
	"go 1.17 1.18\n",
	"replace a => b v1.0.0\n",
	"replace a v1.0.0 => b v1.1.0\n",
	"replace a => ./b\nreplace c => ../d\nreplace e => /abs\n",
	"replace a => b\n",
	"replace a => b@v1.0.0\n",
	"replace a => ./b v1.0.0\n",
	"replace a v1.0.0 => ./b\n",
	"replace a v2.0.0 => b v1.0.0\n",
	"replace a/v2 => b v1.0.0\n",
	"replace a =>\n",
	"replace a b c d\n",
	"replace (\n\ta => b v1.0.0\n\tc v1.2 => d v1\n)\n",
	"exclude y v1.0.0\nexclude y 1.0\n",
	"retract v1.0.0\nretract [v1.0.0, v1.1.0] // bad\n",
	"retract latest\nretract [a, b]\n",
	"retract\n",
	"retract [v1, v2\n",
	"retract v1 v2\n",
	"u()\n",
	"require x ()\n",
	"module x\r\nrequire y v1.0.0\r\n",
	"\xef\xbb\xbfmodule x\n",
	"module x\xc2\xa0y\n",
	"module \xc3\xa9t\xc3\xa9\n",
	"module x\x01\n",
	"module x\v\n",
	"module x\0\n",
	"// only a comment",
	"",
	"module x//c\nrequire y/z//w v1.0.0\n",
	"module a,b\n",
	"module [x]\n",
	"require y v1.0.0 // indirect\nrequire y v1.1.0\n",
};

/* "go 1.22.0" -> the length of "go 1.22"; any other line's length. */
static size_t go_line_cut(const char *l, size_t n)
{
	const char *d1, *d2;

	if (n < 4 || memcmp(l, "go ", 3) != 0 || !(d1 = memchr(l + 3, '.', n - 3)) ||
	    !(d2 = memchr(d1 + 1, '.', (size_t)(l + n - d1 - 1))))
		return n;
	return (size_t)(d2 - l);
}

/* A fixture without what Debian's x/mod predates: toolchain lines, and go 1.22.0 as go 1.22. */
static void for_old_xmod(cs_buf *out, const char *data, size_t len)
{
	const char *l, *nl;

	for (l = data; l < data + len; l = nl + 1) {
		size_t n;

		if (!(nl = memchr(l, '\n', (size_t)(data + len - l))))
			nl = data + len;
		n = (size_t)(nl - l);
		if (n >= 10 && !memcmp(l, "toolchain ", 10))
			continue;
		cs_buf_append(out, l, go_line_cut(l, n));
		cs_buf_putc(out, '\n');
	}
}

/* Random edits of text (deterministic): bytes and go.mod tokens inserted, bytes deleted. */
static void mutate(cs_buf *out, const cs_buf *text, uint64_t *x)
{
	static const char alpha[] = " \t\n()\"`/\\=>,[]{}.v0123456789abcxyz-+;*\r";
	static const char *const toks[] = {
		"require", "replace", "exclude", "module", "go", "retract", "(", ")", "=>", "//", "// indirect",
		"v1.2.3", "\"x\"", "v2.0.0", "/v2", ".v1", "gopkg.in/a.v1", "./dir", "\n", "\"\\x41\"",
		"v0.0.0-2020", "+incompatible", "v1", "v1.2", "1.17", "[v1.0.0, v1.1.0]",
	};
	int edits, k;

	cs_buf_reset(out);
	cs_buf_append(out, text->data, text->len);
	for (*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17, edits = 1 + (int)(*x % 4), k = 0; k < edits; k++) {
		size_t pos, op;

		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		pos = out->len ? (size_t)(*x >> 8) % (out->len + 1) : 0;
		op = (size_t)(*x % 10);
		if (op < 3 && pos < out->len) {
			memmove(out->data + pos, out->data + pos + 1, out->len - pos - 1);
			out->len--;
			out->data[out->len] = '\0';
		} else {
			const char *ins = op < 6 ? NULL : toks[(*x >> 40) % CS_ARRAY_LEN(toks)];
			char c = alpha[(*x >> 40) % (sizeof(alpha) - 1)];
			size_t n = ins ? strlen(ins) : 1, tail = out->len - pos;

			if (cs_buf_grow(out, n) < 0)
				return;
			memmove(out->data + pos + n, out->data + pos, tail);
			memcpy(out->data + pos, ins ? ins : &c, n);
			out->len += n;
			out->data[out->len] = '\0';
		}
	}
}

/*
 * Where the go command has moved on since Debian's x/mod 0.7, which
 * refuses what it now reads: go versions with a third number or a
 * pre-release suffix (1.21.0, 1.21rc1), and "." or ".." as a replacement
 * directory. Our reading (not refused) of such a file is not compared.
 */
static bool newer_than_xmod(const char *ours)
{
	const char *g = strstr(ours, "\ngo ");
	const char *r = strstr(ours, " => \".\" ");

	if (!strncmp(ours, "go ", 3))
		g = ours - 1;
	if (g) {
		const char *v = g + 4, *e = strchr(v, '\n'), *d = memchr(v, '.', (size_t)(e - v));

		if (d && (memchr(d + 1, '.', (size_t)(e - d - 1)) || strcspn(d + 1, "abcdefghijklmnopqrstuvwxyz\n") < (size_t)(e - d - 1)))
			return true;
	}
	return r != NULL || strstr(ours, " => \"..\" ") != NULL;
}

/* The answer in out for the file at path ("== PATH\n..." up to the next "== "), malloc'd; NULL when none. */
static char *block_of(const char *out, const char *path)
{
	char head[4200];
	const char *s, *e;

	snprintf(head, sizeof(head), "== %s\n", path);
	if (!(s = strstr(out, head)))
		return NULL;
	s += strlen(head);
	if (strncmp(s, "== ", 3) == 0) {
		e = s; /* nothing read: an empty block */
	} else {
		e = strstr(s, "\n== ");
		e = e ? e + 1 : s + strlen(s);
	}
	return strndup(s, (size_t)(e - s));
}

#define NMUTANTS 400

TEST(xmod_oracle)
{
	char dir[256];
	static const char *const fixtures[] = {
		LANG_DATA "trivy/golang/mod/testdata/normal/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/no-go-version/gomod",
		LANG_DATA "trivy/golang/mod/testdata/replaced/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/replaced-with-version/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/replaced-with-version-mismatch/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/replaced-with-local-path/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/replaced-with-local-path-and-version/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/replaced-with-local-path-and-version-mismatch/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/replaced-with-local-path/xerrors/go.mod",
		LANG_DATA "trivy/golang/mod/testdata/go116/go.mod",
		LANG_DATA "syft/golang/testdata/corrupt/go.mod",
		LANG_DATA "syft/golang/testdata/go-source-replacements/go.mod",
		LANG_DATA "syft/golang/testdata/go-sum-hashes/go.mod",
		LANG_DATA "syft/golang/testdata/image-small/go.mod",
		LANG_DATA "syft/golang/testdata/go-mod-fixtures/many-packages/go.mod",
		LANG_DATA "syft/golang/testdata/go-mod-fixtures/one-package/go.mod",
		LANG_DATA "syft/golang/testdata/go-mod-fixtures/relative-replace/go.mod",
	};
	size_t nf = CS_ARRAY_LEN(fixtures), nx = CS_ARRAY_LEN(xmod_cases), n = nf + nx + NMUTANTS, i, len;
	size_t refused = 0, skipped = 0, differ = 0;
	cs_buf *texts = calloc(n, sizeof(*texts)), cmd, ours, theirs;
	uint64_t x = 88172645463325252ull;
	char path[4096];
	FILE *p;

	if (!cf_sh("tests/oracle/gomod.sh /dev/null >/dev/null 2>&1")) {
		fprintf(stderr, "  tests/oracle/gomod.sh cannot run (golang-go, golang-golang-x-mod-dev): not compared\n");
		test_failures++;
		free(texts);
		return;
	}
	if (!texts || !cf_tmpdir(dir, sizeof(dir), "gomod")) {
		test_failures++;
		free(texts);
		return;
	}
	cs_buf_init(&cmd, 0);
	cs_buf_init(&ours, 0);
	cs_buf_init(&theirs, 0);
	for (i = 0; i < n; i++)
		cs_buf_init(&texts[i], 0);
	for (i = 0; i < nf; i++) {
		char *data = cf_read_shared(fixtures[i], &len);

		if (!data) {
			test_failures++;
			continue;
		}
		for_old_xmod(&texts[i], data, len);
		free(data);
	}
	for (i = 0; i < nx; i++)
		cs_buf_puts(&texts[nf + i], xmod_cases[i]);
	for (i = 0; i < NMUTANTS; i++)
		mutate(&texts[nf + nx + i], &texts[i % nf], &x);
	cs_buf_puts(&cmd, "tests/oracle/gomod.sh");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%04zu.mod", dir, i);
		CHECK(cf_write(path, texts[i].data ? texts[i].data : "", texts[i].len));
		cs_buf_printf(&cmd, " %s", path);
	}
	cs_buf_puts(&cmd, " 2>&1");
	if ((p = popen(cmd.data, "r")) != NULL) {
		char line[8192];

		while (fgets(line, sizeof(line), p)) {
			/* The oracle's error text is not compared (one line or several): only that it refuses. */
			if (line[0] == 'E' && line[1] == ' ')
				snprintf(line, sizeof(line), "E\n");
			else if (strncmp(line, "== ", 3) && theirs.len >= 2 && !strcmp(theirs.data + theirs.len - 2, "E\n"))
				continue;
			cs_buf_puts(&theirs, line);
		}
		CHECK(pclose(p) == 0);
	} else {
		test_failures++;
	}
	for (i = 0; i < n; i++) {
		char *b;

		snprintf(path, sizeof(path), "%s/%04zu.mod", dir, i);
		cs_buf_reset(&ours);
		render_dirs(&ours, texts[i].data ? texts[i].data : "", texts[i].len);
		b = block_of(theirs.data ? theirs.data : "", path);
		refused += b && !strcmp(b, "E\n");
		if (b && !cf_str_eq(ours.data, b) && !strcmp(b, "E\n") && newer_than_xmod(ours.data)) {
			skipped++;
		} else if (!b || !cf_str_eq(ours.data, b)) {
			if (differ++ < 3)
				fprintf(stderr, "  input %zu:\n%s\n  ours:\n%s  x/mod:\n%s", i, texts[i].data ? texts[i].data : "",
					ours.data ? ours.data : "", b ? b : "(no answer)\n");
		}
		free(b);
	}
	CHECK_INT(differ, 0);
	/* Both kinds of answer, and few left out. */
	CHECK(refused > 50 && refused < n - 50);
	CHECK(skipped < 20);
	for (i = 0; i < n; i++)
		cs_buf_release(&texts[i]);
	free(texts);
	cs_buf_release(&cmd);
	cs_buf_release(&ours);
	cs_buf_release(&theirs);
	rm_tree(dir);
}

/* --- rules, case by case ------------------------------------------------------------------------ */

static void mod_render(cs_buf *out, const char *text)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	size_t i;

	cs_buf_reset(out);
	cs_arena_init(&a);
	if (cf_parse_copy(&gomod_parser, "go.mod", text, strlen(text), &f, &a, &err) < 0) {
		cs_buf_printf(out, "E: %s", err.msg);
	} else {
		for (i = 0; i < f.npkgs; i++)
			cs_buf_printf(out, "%s%s@%s", i ? " " : "", f.pkgs[i].name, f.pkgs[i].version);
		if (f.nbad)
			cs_buf_printf(out, " bad %zu", f.nbad);
	}
	cs_arena_release(&a);
}

TEST(mod_rules)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		/* The standard library: the toolchain line, else a go line of 1.21 or later. */
		{"module m\ngo 1.22.0\ntoolchain go1.22.5\n", "m@(devel) stdlib@go1.22.5"},
		{"module m\ngo 1.21\ntoolchain go1.21.1-custom\n", "m@(devel) stdlib@go1.21.1"},
		{"module m\ngo 1.22\n", "m@(devel) stdlib@go1.22.0"},
		{"module m\ngo 1.21.3\n", "m@(devel) stdlib@go1.21.3"},
		{"module m\ngo 1.21rc1\n", "m@(devel) stdlib@go1.21rc1"},
		{"module m\ngo 1.20\n", "m@(devel)"},
		{"module m\ngo 1.20.14\n", "m@(devel)"},
		{"module m\ngo 1.22\ntoolchain default\n", "m@(devel) stdlib@go1.22.0"},
		{"go 1.22\ntoolchain go1.23\n", "stdlib@go1.23"},
		/* Replacements: by version, by another module, a mismatch, a directory, chains, collisions. */
		{"require a v1.0.0\nreplace a => a v1.1.0\n", "a@v1.1.0"},
		{"require a v1.0.0\nreplace a v1.0.0 => b v2.0.0+incompatible\n", "b@v2.0.0+incompatible"},
		{"require a v1.0.0\nreplace a v1.0.1 => b v1.0.0\n", "a@v1.0.0"},
		{"require a v1.0.0\nrequire c v1.0.0\nreplace a => ./a\n", "c@v1.0.0"},
		{"require a v1.0.0\nreplace a => b v1.0.0\nreplace b => c v1.0.0\n", "c@v1.0.0"},
		{"require a v1.0.0\nrequire b v1.5.0\nreplace a => b v1.0.0\n", "b@v1.0.0"},
		{"require a v1.0.0\nreplace a => ./a\nreplace a => b v1.0.0\n", ""},
		{"replace a => b v1.0.0\n", ""},
		/* The last require of a path wins; exclude and retract change nothing. */
		{"require a v1.0.0\nrequire a v1.2.0\n", "a@v1.2.0"},
		{"require a v1.0.0\nexclude a v1.0.0\nretract v0.1.0\n", "a@v1.0.0"},
		/* Versions are canonical; control bytes from escapes are no package. */
		{"require a v1.2\nrequire b v1.2.3+meta\n", "a@v1.2.0 b@v1.2.3"},
		{"require \"a\\n\" v1.0.0\nrequire b v1.0.0\n", "b@v1.0.0 bad 1"},
		/* Errors name the line. */
		{"module m\n\nrequire a\n", "E: line 3: usage: require module/path v1.2.3"},
		{"require a v2.0.0\n", "E: line 1: require a: version \"v2.0.0\" invalid: should be v0 or v1, not v2"},
		{"require a/v3 v2.0.0\n", "E: line 1: require a/v3: version \"v2.0.0\" invalid: should be v3, not v2"},
		{"require a latest\n", "E: line 1: require a: version \"latest\" invalid: must be of the form v1.2.3"},
		{"toolchain 1.22\n", "E: line 1: invalid toolchain version '1.22': must match format go1.23.0 or default"},
		{"go 1.22.0.1\n", "E: line 1: invalid go version '1.22.0.1': must match format 1.23.0"},
		{"require (\n\ta v1.0.0\n", "E: line 3: syntax error (unterminated block started at line 1)"},
		{"require a v1.0.0 /* x */\n", "E: line 1: mod files must use // comments (not /* */ comments)"},
		{"require \"a v1.0.0\n", "E: line 1: unexpected newline in string"},
		{"require \"a", "E: line 1: unexpected EOF in string"},
		{"module m\x01\n", "E: line 1: unexpected input character '?'"},
		{"tool x\ngodebug default=go1.21\nignore ./node_modules\ngodebug (\n\tpanicnil=1\n)\n", ""},
	};
	cs_buf out;
	size_t i;

	cs_buf_init(&out, 0);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		mod_render(&out, cases[i].text);
		if (!cf_str_eq(out.data, cases[i].want)) {
			fprintf(stderr, "  case %zu: got '%s', expected '%s'\n", i, out.data ? out.data : "", cases[i].want);
			test_failures++;
		}
	}
	cs_buf_release(&out);
}

TEST(sum_rules)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"a v1.0.0/go.mod h1:x=\na v1.0.0 h1:y=\na v1.1.0/go.mod h1:z=\n", "a@v1.1.0"},
		{"\n  \n\tb v2 h1:x=\r\nonly-one-field\n", "b@v2"},
		{"c v1.0.0", "c@v1.0.0"},
		{"d\x01 v1 h1:\ne /go.mod h1:\nf v1\n", "f@v1 bad 2"},
		{"", ""},
	};
	size_t i, k;
	cs_buf out;

	cs_buf_init(&out, 0);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_buf_reset(&out);
		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&gomod_parser, "go.sum", cases[i].text, strlen(cases[i].text), &f, &a, &err),
			  0);
		for (k = 0; k < f.npkgs; k++)
			cs_buf_printf(&out, "%s%s@%s", k ? " " : "", f.pkgs[k].name, f.pkgs[k].version);
		if (f.nbad)
			cs_buf_printf(&out, " bad %zu", f.nbad);
		if (!cf_str_eq(out.data, cases[i].want)) {
			fprintf(stderr, "  case %zu: got '%s', expected '%s'\n", i, out.data ? out.data : "", cases[i].want);
			test_failures++;
		}
		cs_arena_release(&a);
	}
	cs_buf_release(&out);
}

/* Every prefix of real files, and a large generated one. */
TEST(truncated_and_large)
{
	static const char *const files[] = {
		LANG_DATA "trivy/golang/mod/testdata/normal/go.mod",
		LANG_DATA "syft/golang/testdata/go-mod-fixtures/many-packages/go.mod",
		LANG_DATA "syft/golang/testdata/go-source-replacements/go.mod",
	};
	size_t i, k, len;
	cs_buf b;

	for (k = 0; k < CS_ARRAY_LEN(files); k++) {
		char *data = cf_read_shared(files[k], &len);

		if (!data)
			continue;
		cf_truncate_flip(&gomod_parser, "go.mod", data, len, len, 0);
		cf_truncate_flip(&gomod_parser, "go.sum", data, len, len, 0);
		free(data);
	}
	cs_buf_init(&b, 0);
	cs_buf_puts(&b, "module m\nrequire (\n");
	for (i = 0; i < 100000; i++)
		cs_buf_printf(&b, "\tex.com/m%zu v1.0.%zu // indirect\n", i, i);
	cs_buf_puts(&b, ")\n");
	for (i = 0; i < 100000; i += 2)
		cs_buf_printf(&b, "replace ex.com/m%zu => ex.com/n%zu v2.0.0+incompatible\n", i, i);
	{
		cs_langfile f;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(&gomod_parser, "go.mod", b.data, b.len, &f, &a, &err), 0);
		CHECK_INT(f.npkgs, 100001);
		cs_arena_release(&a);
	}
	cs_buf_release(&b);
}

TEST(wants)
{
	CHECK(cs_analyzer_gomod.wants("src/app/go.mod", S_IFREG | 0644));
	CHECK(cs_analyzer_gomod.wants("go.sum", S_IFREG | 0644));
	CHECK(!cs_analyzer_gomod.wants("src/app/go.mod", S_IFLNK | 0777));
	CHECK(!cs_analyzer_gomod.wants("src/app/go.work", S_IFREG | 0644));
	CHECK(!cs_analyzer_gomod.wants("src/app/gomod", S_IFREG | 0644));
	CHECK(!cs_analyzer_gomod.wants("v1.2.3.mod", S_IFREG | 0644));
}

/* --- whole scans -------------------------------------------------------------------------------- */

/*
 * A directory: a go.mod is read and the go.sum beside it passed over; a
 * go.sum alone is read; a broken go.mod is a warning. An image: nothing
 * (lockfiles are for directories).
 */
TEST(scans)
{
	static const char mod[] = "module ex.com/app\ngo 1.22\nrequire ex.com/a v1.0.0\n";
	static const char sum[] = "ex.com/a v1.0.0 h1:x=\nex.com/b v0.1.0/go.mod h1:y=\n";
	static const cf_entry tree[] = {
		CF_TEXT("a/go.mod", mod),
		CF_TEXT("a/go.sum", sum),
		CF_TEXT("b/go.sum", sum),
		CF_TEXT("c/go.mod", "ruire (\n)\n"),
		CF_END,
	};
	static const cf_entry layer[] = {CF_TEXT("src/go.mod", mod), CF_TEXT("other/go.sum", sum), CF_END};
	const cf_entry *const layers[] = {layer};
	char dir[256];
	cs_scan *s;

	if (!cf_tmpdir(dir, sizeof(dir), "gomod"))
		return;
	CHECK(cf_write_tree(dir, tree));
	if ((s = cf_scan(dir, true, 2)) != NULL) {
		CHECK_INT(cf_scan_count(s, "golang", "a/go.mod"), 3); /* the main module, stdlib, ex.com/a */
		CHECK_INT(cf_scan_count(s, "golang", "a/go.sum"), 0);
		CHECK_INT(cf_scan_count(s, "golang", "b/go.sum"), 2);
		CHECK_INT(cf_scan_count(s, "golang", NULL), 5);
		CHECK(cf_diag_has(s, "'c/go.mod': line 1: unknown block type: ruire", NULL));
		cs_scan_free(s);
	}
	if ((s = cf_scan_layers("gomod", layers, 1, 2)) != NULL) {
		CHECK_INT(cf_scan_count(s, "golang", NULL), 0);
		cs_scan_free(s);
	}
	rm_tree(dir);
}

TEST(fuzz_corpus)
{
	static const char *const paths[] = {"go.mod", "go.sum"};

	cf_replay_corpus("gomod", &gomod_parser, paths, CS_ARRAY_LEN(paths), 0);
}

TEST_MAIN(TEST_ENTRY(trivy_gomod), TEST_ENTRY(trivy_gosum), TEST_ENTRY(syft_gomod), TEST_ENTRY(xmod_oracle),
	  TEST_ENTRY(mod_rules), TEST_ENTRY(sum_rules), TEST_ENTRY(truncated_and_large), TEST_ENTRY(wants),
	  TEST_ENTRY(scans), TEST_ENTRY(fuzz_corpus))
