/*
 * test_gobin.c - the gobin cataloger against the go command itself, the
 * sample image, dpkg and Trivy.
 *
 * Oracles first:
 *
 *  - sample_image: /usr/local/bin/sampleapp of the project's sample image
 *    (scripts/build-images.sh) must render exactly as the recorded
 *    `go version -m` output (expected.go-version-m.txt), and a scan of the
 *    OCI layout must report its toolchain, main module and dependencies in
 *    the layer that installed it (Trivy's purls and layer when `make bench`
 *    left trivy.sample.cdx.json).
 *  - go_built: binaries built by the test with Debian's Go (no network:
 *    -mod=vendor, dependencies vendored, one replaced by another module and
 *    one by a local directory): plain, stripped (-s -w), PIE, cgo, and
 *    cross-built for 386 and mips (ELF32, both byte orders), arm64 and
 *    ppc64 (ELF64, both), darwin (Mach-O) and windows (PE); and the plain
 *    one with its section headers wiped. Each must read as `go version -m`
 *    prints it, line for line and field for field.
 *  - pointer_format: the Go 1.13-1.17 layout, which Debian's Go cannot
 *    produce, in hand-made ELF files (64-bit little-endian with sections,
 *    32-bit big-endian without): `go version -m` (whose debug/buildinfo
 *    still reads that layout) must print what we read.
 *  - debian_owned: the host's golang-1.19-go binaries in a root filesystem
 *    with the host's dpkg database: owned by the package `dpkg -S` names.
 *
 * Then the module text rules, versions and purls, the path filter, hostile
 * input (every truncation of a synthetic binary, damaged headers, garbage),
 * the layer rule through docker archives, and a replay of the fuzz corpus.
 * The Go builds cache under ${CUSTOMS_CACHE:-~/.cache/customs}/go-build.
 */
#include "core/compat.h"
#include "catalog/gobin.h"

#include "unit/catfix.h"

/* --- helpers ------------------------------------------------------------------ */

/* Debian's go command is there (golang-go). */
static bool have_go(void)
{
	char *out = cf_run("go version 2>/dev/null");
	bool ok = out && strstr(out, "go version go1.") != NULL;

	free(out);
	return ok;
}

/* Parses len bytes copied to a buffer of exactly that size (ASan sees any overread). */
static int parse_exact(const void *data, size_t len, cs_gobin_info *info, cs_arena *a, cs_err *err)
{
	void *copy = malloc(len ? len : 1);
	int rc;

	if (!copy)
		return CS_ENOMEM;
	memcpy(copy, data, len);
	cs_err_clear(err);
	rc = cs_gobin_parse(info, a, copy, len, err);
	if (rc != 0 && rc != CS_ENOTFOUND && rc != CS_EFORMAT) {
		fprintf(stderr, "  unexpected code %d\n", rc);
		test_failures++;
	}
	if (rc == CS_EFORMAT && err->msg[0] == '\0') {
		fprintf(stderr, "  a refusal without a reason\n");
		test_failures++;
	}
	if (rc == 0) {
		cs_gobin_pkg *pkgs;
		size_t n, i;

		if (!info->go_version || !*info->go_version || !info->modinfo)
			test_failures++;
		if (cs_gobin_packages(&pkgs, &n, a, info) == 0)
			for (i = 0; i < n; i++)
				if (!*pkgs[i].name || !*pkgs[i].version)
					test_failures++;
	}
	free(copy);
	return rc;
}

/* One try of a hostile-input driver: parse_exact with its own arena. */
static void try_binary(const char *data, size_t len, void *payload)
{
	cs_gobin_info info;
	cs_arena a;
	cs_err err;

	CS_UNUSED(payload);
	cs_arena_init(&a);
	parse_exact(data, len, &info, &a, &err);
	cs_arena_release(&a);
}

/* Go 1.19's BuildInfo.String() for one module (a replaced one leaves an empty line after it). */
static void format_mod(cs_buf *b, const char *word, const cs_gobin_module *m)
{
	cs_buf_printf(b, "%s\t%s\t%s", word, m->path, m->version);
	if (m->replace) {
		cs_buf_putc(b, '\n');
		format_mod(b, "=>", m->replace);
	} else {
		cs_buf_printf(b, "\t%s", m->sum);
	}
	cs_buf_putc(b, '\n');
}

/*
 * `go version -m FILE` as Debian's Go 1.19 prints it, rebuilt from the
 * fields we parsed: "FILE: VERSION", then BuildInfo.String() of them,
 * tab-indented.
 */
static void render_go(cs_buf *b, const char *file, const cs_gobin_info *info)
{
	cs_buf mod;
	size_t i;

	cs_buf_init(&mod, 0);
	cs_buf_printf(b, "%s: %s\n", file, info->go_version);
	if (info->path)
		cs_buf_printf(&mod, "path\t%s\n", info->path);
	if (info->has_main)
		format_mod(&mod, "mod", &info->main);
	for (i = 0; i < info->ndeps; i++)
		format_mod(&mod, "dep", info->deps[i]);
	for (i = 0; i < info->nsettings; i++)
		cs_buf_printf(&mod, "build\t%s\n", info->settings[i]);
	if (mod.len) {
		cs_buf_putc(b, '\t');
		for (i = 0; i + 1 < mod.len; i++) {
			cs_buf_putc(b, mod.data[i]);
			if (mod.data[i] == '\n')
				cs_buf_putc(b, '\t');
		}
		cs_buf_putc(b, '\n');
	}
	cs_buf_release(&mod);
}

/* The module lines rebuilt from the parsed fields (not the raw text), one per line, fields tab-separated. */
static void render_fields(cs_buf *b, const cs_gobin_info *info)
{
	size_t i;

	if (info->path)
		cs_buf_printf(b, "path\t%s\n", info->path);
	if (info->has_main)
		cs_buf_printf(b, "mod\t%s\t%s\t%s\n", info->main.path, info->main.version, info->main.sum);
	for (i = 0; i < info->ndeps; i++) {
		const cs_gobin_module *d = info->deps[i];

		if (d->replace)
			cs_buf_printf(b, "dep\t%s\t%s\n=>\t%s\t%s\t%s\n", d->path, d->version, d->replace->path,
				      d->replace->version, d->replace->sum);
		else
			cs_buf_printf(b, "dep\t%s\t%s\t%s\n", d->path, d->version, d->sum);
	}
	for (i = 0; i < info->nsettings; i++)
		cs_buf_printf(b, "build\t%s\n", info->settings[i]);
}

/* go version -m's module lines: indent dropped, blank lines (Go 1.19 prints some) dropped. */
static void go_fields(cs_buf *b, const char *text)
{
	const char *line = strchr(text, '\n');

	while (line && *++line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (n > 1 && line[0] == '\t') {
			cs_buf_append(b, line + 1, n - 1);
			cs_buf_putc(b, '\n');
		}
		line = nl;
	}
}

/* file must read as `go version -m file` prints it, line for line and field for field. */
static void check_against_go(const char *file, const char *label)
{
	char cmd[8192];
	size_t len;
	char *data = test_read_file(file, &len), *go;
	cs_gobin_info info;
	cs_arena a;
	cs_err err;
	cs_buf ours, theirs;

	snprintf(cmd, sizeof(cmd), "go version -m '%s' 2>&1", file);
	go = cf_run(cmd);
	cs_arena_init(&a);
	cs_buf_init(&ours, 0);
	cs_buf_init(&theirs, 0);
	if (!data || !go) {
		fprintf(stderr, "  %s: cannot read '%s' or run go version -m: %s\n", label, file, go ? go : "");
		test_failures++;
		goto done;
	}
	if (parse_exact(data, len, &info, &a, &err) != 0) {
		fprintf(stderr, "  %s: %s\n", label, err.msg[0] ? err.msg : "no build information found");
		test_failures++;
		goto done;
	}
	render_go(&ours, file, &info);
	if (strcmp(ours.data, go) != 0) {
		fprintf(stderr, "  %s: ours\n%s  go version -m\n%s", label, ours.data, go);
		test_failures++;
	}
	cs_buf_reset(&ours);
	render_fields(&ours, &info);
	go_fields(&theirs, go);
	if (strcmp(ours.data ? ours.data : "", theirs.data ? theirs.data : "") != 0) {
		fprintf(stderr, "  %s: fields\n%s  go version -m\n%s", label, ours.data, theirs.data);
		test_failures++;
	}
	CHECK_INT(info.nbad, 0);
done:
	cs_buf_release(&ours);
	cs_buf_release(&theirs);
	cs_arena_release(&a);
	free(data);
	free(go);
}

/* --- hand-made ELF files ------------------------------------------------------- */

/*
 * A minimal executable: segn bytes of seg in one writable PT_LOAD segment
 * at file offset CF_ELF_SEG_OFF and address vaddr, with or without the
 * sections (the null section, .go.buildinfo over the segment, .shstrtab).
 * mips for a 32-bit file. malloc'd.
 */
static uint8_t *elf_make(size_t *len, bool is64, bool be, uint64_t vaddr, const uint8_t *seg, size_t segn,
			 bool sections)
{
	cf_elf e = {.is64 = is64,
		    .be = be,
		    .machine = is64 ? 62 : 8,
		    .section = sections ? ".go.buildinfo" : NULL,
		    .type = 1,  /* SHT_PROGBITS */
		    .flags = 3, /* SHF_WRITE | SHF_ALLOC */
		    .segment = true,
		    .vaddr = vaddr};

	return cf_elf_make(&e, seg, segn, len);
}

/* cmd/go's sentinels around the module text. */
static const char info_start[] = "0w\xaf\x0c\x92t\x08\x02" "A\xe1\xc1\x07\xe6\xd6\x18\xe6";
static const char info_end[] = "\xf9" "2C1\x86\x18 r\x00\x82" "B\x10" "A\x16\xd8\xf2";

#define SYN_VERSION "go1.16.15"
#define SYN_MODINFO                                                                                          \
	"path\texample.com/tool/cmd/tool\n"                                                                  \
	"mod\texample.com/tool\tv1.4.2\th1:Q5nZ2rrUdkd1wyPy9Ahn0ZlBEL6LFadl/mJWWB8sVn4=\n"                   \
	"dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\n"              \
	"dep\tgolang.org/x/sys\tv0.0.0-20210124154548-22da62e12c0c\n"                                        \
	"=>\tgolang.org/x/sys\tv0.1.0\th1:kunALQeHf1/185U1i0GOB/fy1IPRDDpuoOOqRReG57U=\n"

/*
 * The segment of a pointer-format blob (Go 1.13-1.17): the header, two
 * string headers, the version and the framed module text. ptrs_zero
 * leaves the pointers to the loader, as a PIE binary of those versions does.
 */
static size_t pointer_segment(uint8_t *seg, size_t cap, uint64_t vaddr, unsigned ptrsize, bool be, bool ptrs_zero)
{
	size_t modlen = sizeof(SYN_MODINFO) - 1, framed = modlen + 32;
	size_t n = 0xc0 + framed;

	if (n > cap)
		return 0;
	memset(seg, 0, n);
	memcpy(seg, "\xff Go buildinf:", 14);
	seg[14] = (uint8_t)ptrsize;
	seg[15] = be ? 1 : 0;
	if (!ptrs_zero) {
		cf_put_uint(seg, 16, ptrsize, be, vaddr + 0x40);
		cf_put_uint(seg, 16 + ptrsize, ptrsize, be, vaddr + 0x40 + 2 * ptrsize);
	}
	cf_put_uint(seg, 0x40, ptrsize, be, vaddr + 0x80);
	cf_put_uint(seg, 0x40 + ptrsize, ptrsize, be, sizeof(SYN_VERSION) - 1);
	cf_put_uint(seg, 0x40 + 2 * ptrsize, ptrsize, be, vaddr + 0xc0);
	cf_put_uint(seg, 0x40 + 3 * ptrsize, ptrsize, be, framed);
	memcpy(seg + 0x80, SYN_VERSION, sizeof(SYN_VERSION) - 1);
	memcpy(seg + 0xc0, info_start, 16);
	memcpy(seg + 0xc0 + 16, SYN_MODINFO, modlen);
	memcpy(seg + 0xc0 + 16 + modlen, info_end, 16);
	return n;
}

/* The segment of an inline blob (Go 1.18+): the header, then varint-prefixed strings. */
static size_t inline_segment(uint8_t *seg, size_t cap, const char *vers, const char *mod, bool framed)
{
	size_t vn = strlen(vers), mn = strlen(mod) + (framed ? 32 : 0), n = 32;

	if (vn > 127 || 32 + 1 + vn + 2 + mn > cap)
		return 0;
	memset(seg, 0, 32);
	memcpy(seg, "\xff Go buildinf:", 14);
	seg[14] = 8;
	seg[15] = 2;
	seg[n++] = (uint8_t)vn;
	memcpy(seg + n, vers, vn);
	n += vn;
	seg[n++] = (uint8_t)(0x80 | (mn & 0x7f));
	seg[n++] = (uint8_t)(mn >> 7);
	if (framed)
		memcpy(seg + n, info_start, 16), n += 16;
	memcpy(seg + n, mod, strlen(mod));
	n += strlen(mod);
	if (framed)
		memcpy(seg + n, info_end, 16), n += 16;
	/* Go's reader wants a byte past the last string. */
	seg[n++] = 0;
	return n;
}

static void check_synthetic(const cs_gobin_info *info, int format)
{
	CHECK_INT(info->format, format);
	CHECK_INT(info->container, CS_GOBIN_ELF);
	CHECK_STR(info->go_version, SYN_VERSION);
	CHECK_STR(info->modinfo, SYN_MODINFO);
	CHECK_STR(info->path, "example.com/tool/cmd/tool");
	CHECK(info->has_main && cf_str_eq(info->main.version, "v1.4.2"));
	CHECK_INT(info->ndeps, 2);
	if (info->ndeps == 2) {
		CHECK_STR(info->deps[0]->path, "github.com/pkg/errors");
		CHECK(info->deps[0]->replace == NULL);
		CHECK(info->deps[1]->replace && cf_str_eq(info->deps[1]->replace->version, "v0.1.0"));
	}
}

TEST(pointer_format)
{
	static const struct {
		bool is64, be, sections;
		unsigned ptrsize;
	} layouts[] = {
		{true, false, true, 8},  /* amd64 */
		{false, true, false, 4}, /* mips, section headers removed */
		{true, true, true, 8},   /* ppc64 */
		{false, false, true, 4}, /* 386 */
	};
	uint8_t seg[4096];
	char dir[256];
	bool go = have_go();
	size_t i;

	if (!cf_tmpdir(dir, sizeof(dir), "gobin"))
		return;
	for (i = 0; i < CS_ARRAY_LEN(layouts); i++) {
		uint64_t vaddr = layouts[i].is64 ? 0x583000 : 0x81a000;
		size_t segn = pointer_segment(seg, sizeof(seg), vaddr, layouts[i].ptrsize, layouts[i].be, false), len;
		uint8_t *elf = elf_make(&len, layouts[i].is64, layouts[i].be, vaddr, seg, segn, layouts[i].sections);
		cs_gobin_info info;
		cs_arena a;
		cs_err err;
		char path[4096], label[64];

		cs_arena_init(&a);
		CHECK(elf != NULL);
		if (elf && parse_exact(elf, len, &info, &a, &err) == 0)
			check_synthetic(&info, CS_GOBIN_POINTER);
		else
			test_failures++;
		snprintf(path, sizeof(path), "%s/ptr%zu", dir, i);
		snprintf(label, sizeof(label), "pointer layout %zu", i);
		/* go version -m reads only files with an execute bit. */
		if (elf && go && cf_write(path, elf, len) && chmod(path, 0755) == 0)
			check_against_go(path, label);
		free(elf);
		cs_arena_release(&a);
	}
	/* A PIE binary of Go 1.13-1.17: the pointers are zero in the file. */
	{
		size_t segn = pointer_segment(seg, sizeof(seg), 0x1000, 8, false, true), len;
		uint8_t *elf = elf_make(&len, true, false, 0x1000, seg, segn, true);
		cs_gobin_info info;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK(elf && parse_exact(elf, len, &info, &a, &err) == CS_EFORMAT);
		CHECK(strstr(err.msg, "PIE") != NULL);
		/* A version pointer out of every segment, a bad pointer size. */
		if (elf) {
			cf_put_uint(elf, CF_ELF_SEG_OFF + 16, 8, false, 0xdeadbeef);
			CHECK_INT(parse_exact(elf, len, &info, &a, &err), CS_EFORMAT);
			elf[CF_ELF_SEG_OFF + 14] = 3;
			CHECK_INT(parse_exact(elf, len, &info, &a, &err), CS_EFORMAT);
			CHECK(strstr(err.msg, "pointer size 3") != NULL);
		}
		free(elf);
		cs_arena_release(&a);
	}
	/* The module string out of the file: no module information, as Go reads it. */
	{
		size_t segn = pointer_segment(seg, sizeof(seg), 0x400000, 8, false, false), len;
		uint8_t *elf;
		cs_gobin_info info;
		cs_arena a;
		cs_err err;

		cf_put_uint(seg, 0x40 + 3 * 8, 8, false, 1u << 30);
		elf = elf_make(&len, true, false, 0x400000, seg, segn, true);
		cs_arena_init(&a);
		CHECK(elf && parse_exact(elf, len, &info, &a, &err) == 0);
		CHECK(cf_str_eq(info.go_version, SYN_VERSION) && info.modinfo_len == 0 && !info.has_main);
		free(elf);
		cs_arena_release(&a);
	}
	rm_tree(dir);
}

TEST(inline_format)
{
	uint8_t seg[4096], *elf, *file;
	size_t segn, len, i;
	cs_gobin_info info;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	segn = inline_segment(seg, sizeof(seg), SYN_VERSION, SYN_MODINFO, true);
	elf = elf_make(&len, true, false, 0x583000, seg, segn, true);
	CHECK(elf && parse_exact(elf, len, &info, &a, &err) == 0);
	if (elf)
		check_synthetic(&info, CS_GOBIN_INLINE);
	free(elf);
	/* Without sentinels the module text is dropped, as Go drops it. */
	segn = inline_segment(seg, sizeof(seg), "go1.22.1", SYN_MODINFO, false);
	elf = elf_make(&len, false, true, 0x10000, seg, segn, false);
	CHECK(elf && parse_exact(elf, len, &info, &a, &err) == 0);
	CHECK(cf_str_eq(info.go_version, "go1.22.1") && info.modinfo_len == 0 && info.ndeps == 0);
	free(elf);
	/* The magic off a 16-byte boundary is not the header. */
	segn = inline_segment(seg + 8, sizeof(seg) - 8, SYN_VERSION, SYN_MODINFO, true);
	memset(seg, 0, 8);
	elf = elf_make(&len, true, false, 0x583000, seg, segn + 8, true);
	CHECK(elf && parse_exact(elf, len, &info, &a, &err) == CS_ENOTFOUND);
	free(elf);
	/* A string longer than its segment, an empty version, a control byte in it. */
	segn = inline_segment(seg, sizeof(seg), SYN_VERSION, SYN_MODINFO, true);
	seg[32] = 0x7f;
	elf = elf_make(&len, true, false, 0x583000, seg, segn, true);
	CHECK(elf && parse_exact(elf, len, &info, &a, &err) == CS_EFORMAT);
	free(elf);
	seg[32] = 0;
	elf = elf_make(&len, true, false, 0x583000, seg, segn, true);
	CHECK(elf && parse_exact(elf, len, &info, &a, &err) == CS_EFORMAT);
	free(elf);
	segn = inline_segment(seg, sizeof(seg), "go1.2\x01", SYN_MODINFO, true);
	elf = elf_make(&len, true, false, 0x583000, seg, segn, true);
	CHECK(elf && parse_exact(elf, len, &info, &a, &err) == CS_EFORMAT);
	free(elf);
	/* Mach-O and PE: the first aligned blob that decodes, anywhere in the file. */
	file = calloc(1, 8192);
	segn = inline_segment(seg, sizeof(seg), SYN_VERSION, SYN_MODINFO, true);
	if (file) {
		memcpy(file, "\xcf\xfa\xed\xfe", 4);
		memcpy(file + 1000, "\xff Go buildinf:", 14); /* a string literal, unaligned */
		memcpy(file + 2048, "\xff Go buildinf:\x08\x00", 16); /* pointer format: not outside ELF */
		memcpy(file + 4096, seg, segn);
		CHECK_INT(parse_exact(file, 8192, &info, &a, &err), 0);
		CHECK_INT(info.container, CS_GOBIN_MACHO);
		CHECK_STR(info.modinfo, SYN_MODINFO);
		memcpy(file, "MZ\x90\x00", 4);
		CHECK_INT(parse_exact(file, 8192, &info, &a, &err), 0);
		CHECK_INT(info.container, CS_GOBIN_PE);
		memcpy(file, "#!/b", 4);
		CHECK_INT(parse_exact(file, 8192, &info, &a, &err), CS_ENOTFOUND);
		/* Every truncation of the PE: found, or not, never a read past the end. */
		memcpy(file, "MZ\x90\x00", 4);
		for (i = 4096; i <= 4096 + segn + 1; i++)
			parse_exact(file, i, &info, &a, &err);
	}
	free(file);
	cs_arena_release(&a);
}

/* --- the module text ------------------------------------------------------------ */

TEST(modinfo_rules)
{
	static const char text[] = "go\tgo1.21.0\n"            /* ignored, as Go ignores it */
				   "path\tfirst\npath\tsecond\n"    /* the last one stays */
				   "mod\tm\t(devel)\t\n"
				   "dep\ta\tv1.0.0\th1:a=\n"
				   "dep\tb\tv1.0.0\n=>\t../b\t(devel)\t\n"
				   "dep\tc\tv1.0.0\n=>\tc2\tv2.0.0\th1:c=\n"
				   "=>\torphan\tv1\t\n"              /* no module before it */
				   "dep\tonly-one-column\n"          /* 2 or 3 columns */
				   "dep\td\tv1\th1:d\textra\n"
				   "dep\te\tv1.2.3\n=>\te2\tv1\n"    /* a replacement needs 3 */
				   "dep\t\tDevel\n"                  /* old toolchains: no path */
				   "dep\tf\t\n"                      /* no version */
				   "build\t-ldflags=\"-s -w -X main.version=1.2.3\"\n"
				   "build\t=x\nbuild\tnovalue\n"
				   "bad\x01line\n"
				   "unknown\tline\n"
				   "dep\tlast\tv9\tno newline";
	cs_gobin_info info;
	cs_gobin_pkg *pkgs;
	cs_arena a;
	size_t n;

	cs_arena_init(&a);
	memset(&info, 0, sizeof(info));
	info.go_version = "go1.21.0 X:boringcrypto";
	CHECK_INT(cs_gobin_parse_modinfo(&info, &a, text, sizeof(text) - 1), 0);
	CHECK_STR(info.path, "second");
	CHECK(info.has_main && cf_str_eq(info.main.path, "m") && cf_str_eq(info.main.version, "(devel)"));
	CHECK_INT(info.ndeps, 6);
	CHECK_INT(info.nbad, 7);
	CHECK_INT(info.nsettings, 1);
	if (info.nsettings == 1)
		CHECK_STR(info.settings[0], "-ldflags=\"-s -w -X main.version=1.2.3\"");
	CHECK_INT(cs_gobin_packages(&pkgs, &n, &a, &info), 0);
	CHECK_INT(n, 7);
	if (n == 7) {
		CHECK(cf_str_eq(pkgs[0].name, "stdlib") && cf_str_eq(pkgs[0].version, "go1.21.0"));
		CHECK(cf_str_eq(pkgs[1].name, "m") && cf_str_eq(pkgs[1].version, "(devel)"));
		CHECK(cf_str_eq(pkgs[2].name, "a") && cf_str_eq(pkgs[2].version, "v1.0.0"));
		/* Replaced by a directory: its own path, "(devel)". */
		CHECK(cf_str_eq(pkgs[3].name, "b") && cf_str_eq(pkgs[3].version, "(devel)"));
		CHECK(cf_str_eq(pkgs[4].name, "c2") && cf_str_eq(pkgs[4].version, "v2.0.0"));
		/* e's replacement line was malformed: e as itself. */
		CHECK(cf_str_eq(pkgs[5].name, "e") && cf_str_eq(pkgs[5].version, "v1.2.3"));
		/* The dependency without a path is left out; f has no version. */
		CHECK(cf_str_eq(pkgs[6].name, "f") && cf_str_eq(pkgs[6].version, "(devel)"));
	}
	/* Empty text, one without a final newline. */
	CHECK_INT(cs_gobin_parse_modinfo(&info, &a, "", 0), 0);
	CHECK(!info.has_main && info.ndeps == 0 && info.path == NULL);
	CHECK_INT(cs_gobin_parse_modinfo(&info, &a, "path\tx", 6), 0);
	CHECK(info.path == NULL);
	cs_arena_release(&a);
}

TEST(versions_and_purls)
{
	static const struct {
		const char *go, *want;
	} versions[] = {
		{"go1.19.8", "go1.19.8"},
		{"go1.21.0 X:boringcrypto", "go1.21.0"},
		{"go1.26.1-X:nodwarf5", "go1.26.1"},
		{"go1.26.5 (Red Hat 1.26.5-1.el10)", "go1.26.5"},
		{"go1.21rc2", "go1.21rc2"},
		{"devel go1.22-a1b2c3d Tue Jan 2 15:04:05 2024 +0000", "devel go1.22-a1b2c3d Tue Jan 2 15:04:05 2024 +0000"},
	};
	static const struct {
		const char *module, *version, *want;
	} purls[] = {
		{"stdlib", "go1.19.8", "pkg:golang/stdlib@1.19.8"},
		{"stdlib", "go1.21rc2", "pkg:golang/stdlib@1.21rc2"},
		{"stdlib", "devel go1.22-a1b2c3d", "pkg:golang/stdlib@devel%20go1.22-a1b2c3d"},
		{"golang.org/x/net", "v0.7.0", "pkg:golang/golang.org/x/net@v0.7.0"},
		{"github.com/Azure/azure-sdk-for-go", "v68.0.0+incompatible",
		 "pkg:golang/github.com/Azure/azure-sdk-for-go@v68.0.0%2Bincompatible"},
		{"customs.example/sampleapp", "(devel)", "pkg:golang/customs.example/sampleapp@%28devel%29"},
		{"gopkg.in/yaml.v3", "v3.0.1", "pkg:golang/gopkg.in/yaml.v3@v3.0.1"},
		{"rsc.io/quote/v3", "v3.1.0", "pkg:golang/rsc.io/quote/v3@v3.1.0"},
		{"nodomain", "v1.0.0", "pkg:golang/nodomain@v1.0.0"},
	};
	cs_arena a;
	size_t i;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(versions); i++)
		CHECK_STR(cs_gobin_stdlib_version(&a, versions[i].go), versions[i].want);
	for (i = 0; i < CS_ARRAY_LEN(purls); i++) {
		char *purl = NULL;
		cs_err err;

		cs_err_clear(&err);
		CHECK_INT(cs_gobin_purl(&purl, &a, purls[i].module, purls[i].version, &err), 0);
		CHECK_STR(purl, purls[i].want);
	}
	cs_arena_release(&a);
}

TEST(wants)
{
	static const cf_wants_case cases[] = {
		{"usr/local/bin/sampleapp", S_IFREG | 0755, true},
		{"usr/bin/kubectl", S_IFREG | 0500, true},
		{"opt/tool/tool", S_IFREG | 0710, true},
		{"app/node_modules/@esbuild/linux-x64/bin/esbuild", S_IFREG | 0755, true},
		{"usr/lib/x86_64-linux-gnu/libfoo.so.1", S_IFREG | 0755, true},
		{"usr/local/bin/app.exe", S_IFREG | 0755, true},
		{"usr/bin/notexec", S_IFREG | 0644, false},
		{"usr/bin/link", S_IFLNK | 0777, false},
		{"usr/bin", S_IFDIR | 0755, false},
		{"var/lib/dpkg/info/bash.postinst", S_IFREG | 0755, false},
		{"usr/share/doc/x/examples/run", S_IFREG | 0755, false},
		{"usr/share/man/man1/x.1", S_IFREG | 0755, false},
		{"usr/include/x.h", S_IFREG | 0755, false},
		{"etc/init.d/ssh.sh", S_IFREG | 0755, false},
		{"app/venv/bin/activate.py", S_IFREG | 0755, false},
		{"usr/lib/python3/x.pyc", S_IFREG | 0755, false},
		{"opt/.hidden", S_IFREG | 0755, true},
		{"app/venv/lib/python3.11/site-packages/torch/lib/libtorch_cuda.so", S_IFREG | 0755, false},
		{"usr/lib/python3/dist-packages/_cffi_backend.cpython-311-x86_64-linux-gnu.so", S_IFREG | 0755, false},
		{"usr/local/lib/python3.11/site-packages/numpy.libs/libopenblas64_p-r0.so.0", S_IFREG | 0755, false},
		{"usr/local/lib/python3.11/site-packages/bin/tool", S_IFREG | 0755, true},
	};

	cf_check_wants(&cs_analyzer_gobin, cases, CS_ARRAY_LEN(cases));
	CHECK_INT(cs_analyzer_gobin.max_size, CS_GOBIN_MAX_SIZE);
	CHECK(strcmp(cs_analyzer_gobin.name, "gobin") == 0 && cs_analyzer_gobin.finish != NULL);
}

/* --- binaries built by the test ----------------------------------------------------- */

/* The vendored module: deps, one replaced by a module, one by a directory. */
static const cf_entry gomod_files[] = {
	CF_TEXT("go.mod",
		"module example.com/hello\n\ngo 1.19\n\nrequire (\n\texample.com/dep v1.2.3\n\texample.com/local v0.0.0\n"
		"\texample.com/old v0.1.0\n)\n\nreplace example.com/old => example.com/new v1.0.0\n\n"
		"replace example.com/local => ./local\n"),
	CF_TEXT("vendor/modules.txt",
		"# example.com/dep v1.2.3\n## explicit\nexample.com/dep\n# example.com/local v0.0.0 => ./local\n"
		"## explicit\nexample.com/local\n# example.com/old v0.1.0 => example.com/new v1.0.0\n## explicit\n"
		"example.com/old\n# example.com/local => ./local\n# example.com/old => example.com/new v1.0.0\n"),
	CF_TEXT("vendor/example.com/dep/dep.go", "package dep\n\nfunc F() string { return \"dep\" }\n"),
	CF_TEXT("vendor/example.com/old/old.go", "package old\n\nfunc F() string { return \"old\" }\n"),
	CF_TEXT("vendor/example.com/local/local.go", "package local\n\nfunc F() string { return \"local\" }\n"),
	CF_TEXT("local/go.mod", "module example.com/local\n"),
	CF_TEXT("local/local.go", "package local\n\nfunc F() string { return \"local\" }\n"),
	CF_TEXT("main.go",
		"package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/dep\"\n\t\"example.com/local\"\n\t\"example.com/old\"\n)\n\n"
		"func main() { fmt.Println(dep.F(), old.F(), local.F()) }\n"),
	CF_END,
};

/* A fresh temporary directory holding gomod_files; false (a failure) if not. */
static bool module_dir(char *dir, size_t n)
{
	if (!cf_tmpdir(dir, n, "gobin"))
		return false;
	if (!cf_write_tree(dir, gomod_files)) {
		fprintf(stderr, "  cannot write the module to '%s'\n", dir);
		test_failures++;
		rm_tree(dir);
		return false;
	}
	return true;
}

/* Where go build caches: ${CUSTOMS_CACHE:-$HOME/.cache/customs}/go-build. */
static void go_cache(char *buf, size_t n)
{
	const char *c = getenv("CUSTOMS_CACHE"), *home = getenv("HOME");

	if (c && *c)
		snprintf(buf, n, "%s/go-build", c);
	else
		snprintf(buf, n, "%s/.cache/customs/go-build", home && *home ? home : "/tmp");
}

/* Builds the module in dir to dir/out/name with env and flags; false (and a note) on failure. */
static bool go_build(const char *dir, const char *name, const char *env, const char *flags)
{
	char cmd[8192], cache[4096];
	char *out;

	go_cache(cache, sizeof(cache));
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && env GOCACHE='%s' GOPROXY=off GOFLAGS=-mod=vendor GO111MODULE=on GOTOOLCHAIN=local "
		 "GOPATH='%s/gopath' %s go build %s -o out/%s . 2>&1 && echo built",
		 dir, cache, dir, env, flags, name);
	out = cf_run(cmd);
	if (!out || !strstr(out, "built")) {
		fprintf(stderr, "  go build %s (%s) failed: %s\n", flags, env, out ? out : "");
		test_failures++;
		free(out);
		return false;
	}
	free(out);
	return true;
}

TEST(go_built)
{
	static const struct {
		const char *name, *env, *flags;
		int container;
	} builds[] = {
		{"plain", "CGO_ENABLED=0", "", CS_GOBIN_ELF},
		{"stripped", "CGO_ENABLED=0", "-ldflags='-s -w'", CS_GOBIN_ELF},
		{"pie", "CGO_ENABLED=0", "-buildmode=pie", CS_GOBIN_ELF},
		{"cgo", "CGO_ENABLED=1", "-trimpath", CS_GOBIN_ELF},
		{"linux-386", "CGO_ENABLED=0 GOOS=linux GOARCH=386", "", CS_GOBIN_ELF},
		{"linux-arm64", "CGO_ENABLED=0 GOOS=linux GOARCH=arm64", "", CS_GOBIN_ELF},
		{"linux-ppc64", "CGO_ENABLED=0 GOOS=linux GOARCH=ppc64", "-ldflags='-s -w'", CS_GOBIN_ELF},
		{"linux-mips", "CGO_ENABLED=0 GOOS=linux GOARCH=mips", "", CS_GOBIN_ELF},
		{"darwin-amd64", "CGO_ENABLED=0 GOOS=darwin GOARCH=amd64", "", CS_GOBIN_MACHO},
		{"windows-amd64", "CGO_ENABLED=0 GOOS=windows GOARCH=amd64", "", CS_GOBIN_PE},
	};
	char dir[256], path[4096];
	size_t i;

	if (!have_go()) {
		fprintf(stderr, "  skipped: no go command (apt-get install golang-go)\n");
		return;
	}
	if (!module_dir(dir, sizeof(dir)))
		return;
	for (i = 0; i < CS_ARRAY_LEN(builds); i++) {
		size_t len;
		char *data;
		cs_gobin_info info;
		cs_gobin_pkg *pkgs;
		size_t n;
		cs_arena a;
		cs_err err;

		if (!go_build(dir, builds[i].name, builds[i].env, builds[i].flags))
			continue;
		snprintf(path, sizeof(path), "%s/out/%s", dir, builds[i].name);
		check_against_go(path, builds[i].name);
		if (!(data = test_read_file(path, &len)))
			continue;
		cs_arena_init(&a);
		if (parse_exact(data, len, &info, &a, &err) == 0) {
			CHECK_INT(info.container, builds[i].container);
			CHECK_INT(info.format, CS_GOBIN_INLINE);
			CHECK_INT(cs_gobin_packages(&pkgs, &n, &a, &info), 0);
			CHECK_INT(n, 5);
			if (n == 5) {
				CHECK(cf_str_eq(pkgs[0].name, "stdlib") && cs_str_starts(pkgs[0].version, "go1."));
				CHECK(cf_str_eq(pkgs[1].name, "example.com/hello") && cf_str_eq(pkgs[1].version, "(devel)"));
				CHECK(cf_str_eq(pkgs[2].name, "example.com/dep") && cf_str_eq(pkgs[2].version, "v1.2.3"));
				CHECK(cf_str_eq(pkgs[3].name, "example.com/local") && cf_str_eq(pkgs[3].version, "(devel)"));
				CHECK(cf_str_eq(pkgs[4].name, "example.com/new") && cf_str_eq(pkgs[4].version, "v1.0.0"));
			}
		}
		if (i == 0 && len > 64) {
			/* The section headers wiped (sstrip): found through the writable segment. */
			cs_gobin_info again;

			memset(data + 40, 0, 8);  /* e_shoff */
			memset(data + 60, 0, 4);  /* e_shnum, e_shstrndx */
			CHECK_INT(parse_exact(data, len, &again, &a, &err), 0);
			CHECK(again.go_version && cf_str_eq(again.go_version, info.go_version) &&
			      again.modinfo_len == info.modinfo_len);
			/* Every 4 KiB truncation, and the last bytes one by one. */
			{
				size_t cut;

				for (cut = 0; cut < len; cut += 4096)
					parse_exact(data, cut, &again, &a, &err);
				for (cut = len > 64 ? len - 64 : 0; cut <= len; cut++)
					parse_exact(data, cut, &again, &a, &err);
			}
		}
		cs_arena_release(&a);
		free(data);
	}
	rm_tree(dir);
}

/* Damaged headers of a real binary: any byte of the ELF header, program and section tables. */
TEST(damaged_headers)
{
	char dir[256], path[4096];
	size_t len;
	char *data;

	if (!have_go()) {
		fprintf(stderr, "  skipped: no go command\n");
		return;
	}
	if (!module_dir(dir, sizeof(dir)))
		return;
	snprintf(path, sizeof(path), "%s/out/stripped", dir);
	if (go_build(dir, "stripped", "CGO_ENABLED=0", "-ldflags='-s -w'") &&
	    (data = test_read_file(path, &len)) != NULL) {
		uint64_t shoff = 0, phoff = 0;

		memcpy(&phoff, data + 32, 8);
		memcpy(&shoff, data + 40, 8);
		cf_poke(try_binary, NULL, data, len, 0, 64);
		cf_poke(try_binary, NULL, data, len, (size_t)phoff, (size_t)phoff + 56 * 8);
		cf_poke(try_binary, NULL, data, len, (size_t)shoff, (size_t)shoff + 64 * 16);
		free(data);
	}
	rm_tree(dir);
}

TEST(garbage)
{
	uint8_t buf[65536];
	size_t i;

	for (i = 0; i < 32; i++) {
		cs_gobin_info info;
		cs_arena a;
		cs_err err;

		fill_random(buf, sizeof(buf), i + 7);
		/* ELF, Mach-O and PE signatures over noise, and noise alone. */
		if (i % 4 == 0)
			memcpy(buf, "\x7f" "ELF\x02\x01\x01", 7);
		else if (i % 4 == 1)
			memcpy(buf, "MZ", 2);
		else if (i % 4 == 2)
			memcpy(buf, "\xcf\xfa\xed\xfe", 4);
		if (i % 8 == 3)
			memcpy(buf + 4096, "\xff Go buildinf:\x08\x02", 16);
		cs_arena_init(&a);
		parse_exact(buf, sizeof(buf) - i * 1000, &info, &a, &err);
		cs_arena_release(&a);
	}
	{
		cs_gobin_info info;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(parse_exact("", 0, &info, &a, &err), CS_ENOTFOUND);
		CHECK_INT(parse_exact("\x7f" "ELF", 4, &info, &a, &err), CS_ENOTFOUND);
		CHECK_INT(parse_exact("#!/bin/sh\necho hi\n", 18, &info, &a, &err), CS_ENOTFOUND);
		cs_arena_release(&a);
	}
}

/* --- the sample image ------------------------------------------------------------------- */

TEST(sample_image)
{
	static const struct {
		const char *name, *version, *purl;
		bool trivy; /* Trivy lists it (it leaves out the toolchain and a "(devel)" main module) */
	} want[] = {
		{"stdlib", "go1.19.8", "pkg:golang/stdlib@1.19.8", false},
		{"customs.example/sampleapp", "(devel)", "pkg:golang/customs.example/sampleapp@%28devel%29", false},
		{"golang.org/x/net", "v0.7.0", "pkg:golang/golang.org/x/net@v0.7.0", true},
		{"golang.org/x/text", "v0.7.0", "pkg:golang/golang.org/x/text@v0.7.0", true},
	};
	char *dir = cf_sample_dir(), path[4096], *expected = NULL, *bin = NULL;
	cJSON *cdx = NULL;
	cs_scan *s = NULL;
	size_t len, i;

	if (!dir)
		return;
	/* The binary as the final image has it, against the recorded go version -m. */
	snprintf(path, sizeof(path), "%s/expected.go-version-m.txt", dir);
	expected = test_read_file(path, NULL);
	snprintf(path, sizeof(path), "%s/rootfs/usr/local/bin/sampleapp", dir);
	bin = test_read_file(path, &len);
	CHECK(expected && bin);
	if (expected && bin) {
		cs_gobin_info info;
		cs_arena a;
		cs_err err;
		cs_buf out;

		cs_arena_init(&a);
		cs_buf_init(&out, 0);
		CHECK_INT(parse_exact(bin, len, &info, &a, &err), 0);
		render_go(&out, "/usr/local/bin/sampleapp", &info);
		CHECK_STR(out.data, expected);
		cs_buf_reset(&out);
		render_fields(&out, &info);
		{
			cs_buf theirs;

			cs_buf_init(&theirs, 0);
			go_fields(&theirs, expected);
			CHECK_STR(out.data, theirs.data);
			cs_buf_release(&theirs);
		}
		cs_buf_release(&out);
		cs_arena_release(&a);
	}
	cdx = cf_sample_trivy(dir);
	snprintf(path, sizeof(path), "oci:%s/oci:sample", dir);
	if (!(s = cf_scan(path, false, 2)))
		goto done;
	CHECK_INT(cf_scan_count(s, "golang", NULL), CS_ARRAY_LEN(want));
	for (i = 0; i < CS_ARRAY_LEN(want); i++) {
		const cs_package *p = cf_scan_find(s, "golang", "usr/local/bin/sampleapp", want[i].name);

		if (!p) {
			fprintf(stderr, "  no package %s in usr/local/bin/sampleapp\n", want[i].name);
			test_failures++;
			continue;
		}
		CHECK_STR(p->version, want[i].version);
		CHECK_STR(p->purl, want[i].purl);
		CHECK_STR(p->arch, "amd64");
		/* Layer 3 of layers.tsv (1-based there) installed it. */
		CHECK_INT(p->layer, 2);
		CHECK(p->owner == NULL);
		if (cdx && want[i].trivy) {
			const cJSON *c = cf_cdx_component(cdx, p->purl);
			const cs_layer *l = cs_scan_layer(s, (size_t)p->layer);

			CHECK(c != NULL);
			if (c) {
				CHECK_STR(cs_json_str(c, "name"), p->name);
				CHECK_STR(cs_json_str(c, "version"), p->version);
				CHECK(l && cf_str_eq(cf_cdx_property(c, "aquasecurity:trivy:LayerDiffID"), l->diff_id));
			}
		}
	}
done:
	cs_scan_free(s);
	cJSON_Delete(cdx);
	free(expected);
	free(bin);
	free(dir);
}

/* --- Debian's Go binaries ---------------------------------------------------------------- */

/* The go and gofmt of Debian's golang-1.19-go, in a root with the host's dpkg database. */
TEST(debian_owned)
{
	static const char *const bins[] = {"/usr/lib/go-1.19/bin/go", "/usr/lib/go-1.19/bin/gofmt"};
	char root[256], owner[256];
	char *owners;
	cs_scan *s = NULL;
	size_t i;

	if (access(bins[0], X_OK) != 0 || access("/var/lib/dpkg/status", R_OK) != 0) {
		fprintf(stderr, "  skipped: no Debian golang-1.19-go on this host\n");
		return;
	}
	if (!cf_tmpdir(root, sizeof(root), "gobin"))
		return;
	owners = cf_dpkg_root(root, "/usr/lib/go-1.19/bin/go\n/usr/lib/go-1.19/bin/gofmt\n");
	cf_dpkg_owner(owners, bins[0], owner, sizeof(owner));
	if (!*owner) {
		fprintf(stderr, "  skipped: dpkg does not know '%s'\n", bins[0]);
		goto done;
	}
	s = cf_scan(root, true, 2);
	if (s) {
		for (i = 0; i < CS_ARRAY_LEN(bins); i++) {
			const cs_package *p = cf_scan_find(s, "golang", bins[i] + 1, "stdlib");

			CHECK(p != NULL);
			if (p) {
				CHECK_STR(p->version, "go1.19.8");
				CHECK(p->owner != NULL);
				if (p->owner) {
					CHECK_STR(p->owner->name, owner);
					CHECK_STR(p->owner->type, "deb");
				}
				/* A root filesystem is one walk: the same layer its dpkg packages get. */
				CHECK(p->owner && p->layer == p->owner->layer);
			}
		}
		CHECK_INT(cf_scan_count(s, "golang", NULL), 2);
	}
done:
	cs_scan_free(s);
	rm_tree(root);
	free(owners);
}

/* --- the layer rule ---------------------------------------------------------------------- */

/*
 * Synthetic binaries in three layers: one replaced by a script later (not
 * a Go binary any more), one deleted, one replaced by a newer build (the
 * newer counts, in its layer), one owned by a Debian package, one damaged
 * (a warning), one non-executable (never read).
 */
TEST(scan_layers)
{
	uint8_t seg1[1024], seg2[1024];
	size_t n1 = inline_segment(seg1, sizeof(seg1), "go1.20.1", "path\tx/a\nmod\tx/a\tv1.0.0\t\n", true);
	size_t n2 = inline_segment(seg2, sizeof(seg2), "go1.21.3", "path\tx/a\nmod\tx/a\tv1.1.0\t\n", true);
	size_t l1, l2, l3;
	uint8_t *b1 = elf_make(&l1, true, false, 0x500000, seg1, n1, true);
	uint8_t *b2 = elf_make(&l2, true, false, 0x500000, seg2, n2, true);
	uint8_t *bad = elf_make(&l3, true, false, 0x500000, seg2, n2, true);
	const cs_package *p;
	cs_scan *s;

	CHECK(b1 && b2 && bad);
	if (!b1 || !b2 || !bad)
		goto out;
	bad[CF_ELF_SEG_OFF + 32] = 0x7f; /* the version string runs past the segment */
	{
		const cf_entry l0[] = {
			CF_TEXT("etc/os-release", "ID=debian\nVERSION_ID=12\n"),
			CF_TEXT("var/lib/dpkg/status",
				"Package: gotool\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\n\n"),
			CF_TEXT("var/lib/dpkg/info/gotool.list", "/.\n/usr\n/usr/bin\n/usr/bin/owned\n"),
			{"usr/bin/owned", b1, l1, 0755},
			{"usr/bin/toscript", b1, l1, 0755},
			{"usr/bin/deleted", b1, l1, 0755},
			{"usr/bin/upgraded", b1, l1, 0755},
			{"usr/bin/noexec", b1, l1, 0644},
			CF_END,
		};
		const cf_entry l1s[] = {
			{"usr/bin/toscript", "#!/bin/sh\nexec true\n", 0, 0755},
			CF_TEXT("usr/bin/.wh.deleted", ""),
			CF_END,
		};
		const cf_entry l2s[] = {
			{"usr/bin/upgraded", b2, l2, 0755},
			{"usr/bin/damaged", bad, l3, 0755},
			CF_END,
		};
		const cf_entry *const layers[] = {l0, l1s, l2s};

		s = cf_scan_layers("gobin", layers, 3, 2);
	}
	if (s) {
		/* owned: stdlib + x/a; upgraded: stdlib + x/a. */
		CHECK_INT(cf_scan_count(s, "golang", NULL), 4);
		p = cf_scan_find(s, "golang", "usr/bin/owned", "stdlib");
		CHECK(p && p->layer == 0 && cf_str_eq(p->version, "go1.20.1") && p->owner &&
		      cf_str_eq(p->owner->name, "gotool"));
		p = cf_scan_find(s, "golang", "usr/bin/owned", "x/a");
		CHECK(p && p->owner && cf_str_eq(p->purl, "pkg:golang/x/a@v1.0.0"));
		p = cf_scan_find(s, "golang", "usr/bin/upgraded", "x/a");
		CHECK(p && p->layer == 2 && cf_str_eq(p->version, "v1.1.0") && p->owner == NULL);
		p = cf_scan_find(s, "golang", "usr/bin/upgraded", "stdlib");
		CHECK(p && cf_str_eq(p->version, "go1.21.3") && cf_str_eq(p->purl, "pkg:golang/stdlib@1.21.3"));
		CHECK_INT(cf_scan_count(s, "golang", "usr/bin/toscript"), 0);
		CHECK_INT(cf_scan_count(s, "golang", "usr/bin/deleted"), 0);
		CHECK_INT(cf_scan_count(s, "golang", "usr/bin/noexec"), 0);
		CHECK_INT(cf_scan_count(s, "golang", "usr/bin/damaged"), 0);
		CHECK_INT(cs_scan_error_count(s), 0);
		CHECK(cf_diag_has(s, "usr/bin/damaged", NULL));
		cs_scan_free(s);
	}
out:
	free(b1);
	free(b2);
	free(bad);
}

/* --- the fuzz corpus ------------------------------------------------------------------- */

/* A seed cut at every byte; the binary ones read whole too. */
static void replay_one(const char *name, char *data, size_t len, void *payload)
{
	size_t i;

	for (i = 0; i <= len; i++)
		try_binary(data, i, payload);
	if (!cs_str_starts(name, "modinfo")) {
		cs_gobin_info info;
		cs_arena a;
		cs_err err;

		cs_arena_init(&a);
		CHECK_INT(parse_exact(data, len, &info, &a, &err), 0);
		cs_arena_release(&a);
	}
}

/*
 * The seeds are made here, from the same builders as the tests above, so
 * they stay small and synthetic: CUSTOMS_WRITE_SEEDS=1 rewrites them.
 * Every seed, cut at every byte, must parse without a read past its end.
 */
TEST(fuzz_corpus)
{
	static const char corpus[] = "tests/fuzz/corpus/gobin";

	if (getenv("CUSTOMS_WRITE_SEEDS")) {
		uint8_t seg[2048], *elf;
		size_t segn, len;
		char path[4096];

		segn = inline_segment(seg, sizeof(seg), "go1.22.4", SYN_MODINFO "build\tCGO_ENABLED=0\n", true);
		elf = elf_make(&len, true, false, 0x583000, seg, segn, true);
		snprintf(path, sizeof(path), "%s/elf64-inline", corpus);
		CHECK(elf && cf_write(path, elf, len));
		free(elf);
		segn = pointer_segment(seg, sizeof(seg), 0x81a000, 4, true, false);
		elf = elf_make(&len, false, true, 0x81a000, seg, segn, false);
		snprintf(path, sizeof(path), "%s/elf32be-pointer", corpus);
		CHECK(elf && cf_write(path, elf, len));
		free(elf);
		segn = pointer_segment(seg, sizeof(seg), 0x583000, 8, false, false);
		elf = elf_make(&len, true, false, 0x583000, seg, segn, true);
		snprintf(path, sizeof(path), "%s/elf64-pointer", corpus);
		CHECK(elf && cf_write(path, elf, len));
		free(elf);
		segn = inline_segment(seg + 64, sizeof(seg) - 64, "go1.21.0 X:boringcrypto", SYN_MODINFO, true);
		memset(seg, 0, 64);
		memcpy(seg, "MZ\x90\x00", 4);
		snprintf(path, sizeof(path), "%s/pe-inline", corpus);
		CHECK(cf_write(path, seg, segn + 64));
		snprintf(path, sizeof(path), "%s/modinfo-text", corpus);
		CHECK(cf_write(path, SYN_MODINFO "dep\tlocal\tv0.0.0\n=>\t./local\t(devel)\t\n",
				  sizeof(SYN_MODINFO "dep\tlocal\tv0.0.0\n=>\t./local\t(devel)\t\n") - 1));
	}
	CHECK(cf_corpus("gobin", replay_one, NULL) >= 5);
}

TEST_MAIN(TEST_ENTRY(sample_image), TEST_ENTRY(go_built), TEST_ENTRY(pointer_format), TEST_ENTRY(inline_format),
	  TEST_ENTRY(modinfo_rules), TEST_ENTRY(versions_and_purls), TEST_ENTRY(wants), TEST_ENTRY(damaged_headers),
	  TEST_ENTRY(garbage), TEST_ENTRY(debian_owned), TEST_ENTRY(scan_layers), TEST_ENTRY(fuzz_corpus))
