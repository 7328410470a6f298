/*
 * gobin.c - the gobin cataloger: Go modules and toolchains from the build
 * information the Go linker stores in every executable.
 *
 * Two halves. The first finds and decodes the build information in plain
 * bytes (the ELF headers, the buildinfo header in both formats, the module
 * text, purls) with no knowledge of scans: gobin.h documents it. The second
 * is cs_analyzer_gobin, built on the language-cataloger frame (langcat.h):
 * wants() picks executable files by mode and path alone, the parser keeps
 * only the Go binaries, and for each binary the final image holds the
 * standard library ("stdlib" at the toolchain's version), the main module
 * and every dependency are reported as "golang" packages found in that
 * binary, owned by the OS package whose file list has it.
 */
#include "core/compat.h"
#include "catalog/gobin.h"
#include "catalog/analyzer.h"
#include "catalog/catutil.h"
#include "catalog/elf.h"
#include "catalog/langcat.h"
#include "core/log.h"
#include "core/map.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "core/view.h"
#include "scan/scan.h"

#include <sys/stat.h>

/* --- helpers ----------------------------------------------------------- */

/* Reads an n-byte unsigned integer at off of the view; false when out of range. */
static bool read_uint(const cs_view *v, uint64_t off, unsigned n, bool be, uint64_t *out)
{
	cs_view t = *v;
	const uint8_t *b;
	uint64_t x = 0;
	unsigned i;

	if (off > v->len)
		return false;
	t.pos = (size_t)off;
	if (!cs_view_take(&t, n, &b))
		return false;
	for (i = 0; i < n; i++)
		x |= (uint64_t)b[be ? n - 1 - i : i] << (8 * i);
	*out = x;
	return true;
}

/* --- the buildinfo header ---------------------------------------------------- */

static const char buildinfo_magic[14] = "\xff Go buildinf:";

enum {
	HEADER_SIZE = 32,        /* the magic, two bytes, two pointers (or padding) */
	HEADER_ALIGN = 16,       /* the linker aligns the header to 16 bytes */
	FLAG_BIG_ENDIAN = 1,
	FLAG_INLINE = 2,         /* Go 1.18+: the strings follow the header */
};

/* The two 16-byte sentinels around the module information (cmd/go's infoStart, infoEnd). */
#define MODINFO_FRAME 16

/* A region of the file: [off, end), with the virtual address off maps to (0 if unknown). */
typedef struct region {
	uint64_t off, end, addr;
} region;

/* An ELF file's headers (elf.h) and its bytes as a view. */
typedef struct elf {
	cs_elf h;
	cs_view v;
} elf;

static bool elf_open(elf *e, const void *data, size_t len)
{
	e->v = cs_view_make(data, len);
	return cs_elf_open(&e->h, data, len);
}

/*
 * Maps size bytes at virtual address addr to the file, as Go's ReadData
 * does: through the PT_LOAD segment holding addr, cut at the end of its
 * file data and of the file. False when no segment holds addr.
 */
static bool elf_map(const elf *e, uint64_t addr, uint64_t size, region *out)
{
	uint64_t i;

	for (i = 0; i < e->h.phnum; i++) {
		cs_elf_segment p;
		uint64_t delta, n;

		if (!cs_elf_segment_at(&e->h, i, &p) || p.type != CS_ELF_PT_LOAD || p.filesz == 0)
			continue;
		if (addr < p.vaddr || addr - p.vaddr >= p.filesz)
			continue;
		delta = addr - p.vaddr;
		if (p.off > e->v.len || delta > e->v.len - p.off)
			return false;
		n = p.filesz - delta;
		if (n > size)
			n = size;
		if (n > e->v.len - p.off - delta)
			n = e->v.len - p.off - delta;
		out->off = p.off + delta;
		out->end = out->off + n;
		out->addr = addr;
		return true;
	}
	return false;
}

/* The section named name (NUL included in n), or false. */
static bool elf_section(const elf *e, const char *name, size_t n, cs_elf_section *out)
{
	cs_elf_section strtab;
	uint64_t i, nm;

	if (e->h.shstrndx >= e->h.shnum || !cs_elf_section_at(&e->h, e->h.shstrndx, &nm, &strtab))
		return false;
	for (i = 0; i < e->h.shnum; i++) {
		const uint8_t *s;
		cs_view t = e->v;

		if (!cs_elf_section_at(&e->h, i, &nm, out) || nm >= strtab.size || strtab.off > e->v.len ||
		    nm > e->v.len - strtab.off || n > strtab.size - nm)
			continue;
		t.pos = (size_t)(strtab.off + nm);
		if (cs_view_take(&t, n, &s) && memcmp(s, name, n) == 0)
			return true;
	}
	return false;
}

/*
 * Where Go looks for the header in an ELF file (debug/buildinfo's
 * DataStart): the .go.buildinfo section, else the first writable segment
 * that is not executable.
 */
static bool elf_data_start(const elf *e, region *out)
{
	cs_elf_section s;
	uint64_t i;

	if (elf_section(e, ".go.buildinfo", sizeof(".go.buildinfo"), &s) && s.type != CS_ELF_SHT_NOBITS && s.size) {
		if (elf_map(e, s.addr, s.size, out))
			return true;
		/* Not in a segment (an object file): the section's own bytes. */
		if (s.off <= e->v.len) {
			out->off = s.off;
			out->end = s.size < e->v.len - s.off ? s.off + s.size : e->v.len;
			out->addr = s.addr;
			return true;
		}
	}
	for (i = 0; i < e->h.phnum; i++) {
		cs_elf_segment p;

		if (cs_elf_segment_at(&e->h, i, &p) && p.type == CS_ELF_PT_LOAD &&
		    (p.flags & (CS_ELF_PF_X | CS_ELF_PF_W)) == CS_ELF_PF_W)
			return elf_map(e, p.vaddr, p.filesz, out);
	}
	return false;
}

/* The first magic at a 16-byte aligned address in [r->off, r->end); its offset or UINT64_MAX. */
static uint64_t find_magic(const uint8_t *p, const region *r, uint64_t from)
{
	uint64_t at = from;

	while (at < r->end && r->end - at >= HEADER_SIZE) {
		const uint8_t *hit = memmem(p + at, (size_t)(r->end - at), buildinfo_magic, sizeof(buildinfo_magic));
		uint64_t i;

		if (!hit)
			break;
		i = (uint64_t)(hit - p);
		if (r->end - i < HEADER_SIZE)
			break;
		if ((r->addr + (i - r->off)) % HEADER_ALIGN == 0)
			return i;
		at = i + 1;
	}
	return UINT64_MAX;
}

/* Go's binary.Uvarint at *pos of [0, end): false on overflow or truncation. */
static bool uvarint(const uint8_t *p, uint64_t end, uint64_t *pos, uint64_t *out)
{
	uint64_t x = 0;
	unsigned shift = 0;

	while (*pos < end) {
		uint8_t b = p[(*pos)++];

		if (shift == 63 && b > 1)
			return false;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (b < 0x80) {
			*out = x;
			return true;
		}
		shift += 7;
		if (shift > 63)
			return false;
	}
	return false;
}

/* One varint-prefixed string at *pos that ends by end. */
static bool inline_string(const uint8_t *p, uint64_t end, uint64_t *pos, const uint8_t **s, uint64_t *n)
{
	uint64_t at = *pos, len;

	if (!uvarint(p, end, &at, &len) || len > end - at)
		return false;
	*s = p + at;
	*n = len;
	*pos = at + len;
	return true;
}

/* A Go string header {data, len} at addr, and the bytes it points to (Go's readString). */
static bool pointer_string(const elf *e, unsigned ptrsize, bool be, uint64_t addr, const uint8_t **s,
			   uint64_t *n)
{
	region hdr, body;
	uint64_t data, len;

	if (!elf_map(e, addr, 2u * ptrsize, &hdr) || hdr.end - hdr.off < 2u * ptrsize ||
	    !read_uint(&e->v, hdr.off, ptrsize, be, &data) || !read_uint(&e->v, hdr.off + ptrsize, ptrsize, be, &len))
		return false;
	if (len > e->v.len)
		return false;
	if (len == 0) {
		*s = e->v.p;
		*n = 0;
		return true;
	}
	if (!elf_map(e, data, len, &body) || body.end - body.off < len)
		return false;
	*s = e->v.p + body.off;
	*n = len;
	return true;
}

/* The version and module strings, raw. */
typedef struct raw_info {
	const uint8_t *vers, *mod;
	uint64_t nvers, nmod;
	int format;
} raw_info;

/*
 * Decodes the header at off. end bounds the inline strings (the end of the
 * segment holding the header). e is NULL outside ELF: the pointer format
 * is then refused. Returns 0, or CS_EFORMAT with the reason in err.
 */
static int decode_header(raw_info *out, const uint8_t *p, uint64_t off, uint64_t end, const elf *e, cs_err *err)
{
	unsigned ptrsize = p[off + 14], flags = p[off + 15];

	memset(out, 0, sizeof(*out));
	if (flags & FLAG_INLINE) {
		uint64_t pos = off + HEADER_SIZE;

		out->format = CS_GOBIN_INLINE;
		if (pos > end || !inline_string(p, end, &pos, &out->vers, &out->nvers) ||
		    !inline_string(p, end, &pos, &out->mod, &out->nmod))
			return cs_err_set(err, CS_EFORMAT, "go build information: a string runs past its segment");
		return 0;
	}
	out->format = CS_GOBIN_POINTER;
	if (ptrsize != 4 && ptrsize != 8)
		return cs_err_set(err, CS_EFORMAT, "go build information: pointer size %u", ptrsize);
	if (!e)
		return cs_err_set(err, CS_EFORMAT, "go build information: pointer format outside ELF is not supported");
	{
		bool be = flags != 0;
		uint64_t va, ma;

		if (!read_uint(&e->v, off + 16, ptrsize, be, &va) || !read_uint(&e->v, off + 16 + ptrsize, ptrsize, be, &ma))
			return cs_err_set(err, CS_EFORMAT, "go build information: truncated header");
		if (!pointer_string(e, ptrsize, be, va, &out->vers, &out->nvers))
			return cs_err_set(err, CS_EFORMAT,
					  "go build information: version pointer 0x%llx is not in the file (a PIE "
					  "binary of Go before 1.18?)",
					  (unsigned long long)va);
		if (!pointer_string(e, ptrsize, be, ma, &out->mod, &out->nmod)) {
			/* Go reads a missing module string as none. */
			out->mod = NULL;
			out->nmod = 0;
		}
	}
	return 0;
}

/* Mach-O (either byte order, 32 or 64 bit, universal) or PE. */
static int other_container(const uint8_t *p, size_t len)
{
	static const uint8_t macho[][4] = {
		{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf}, {0xce, 0xfa, 0xed, 0xfe},
		{0xcf, 0xfa, 0xed, 0xfe}, {0xca, 0xfe, 0xba, 0xbe},
	};
	size_t i;

	if (len >= 2 && p[0] == 'M' && p[1] == 'Z')
		return CS_GOBIN_PE;
	for (i = 0; len >= 4 && i < CS_ARRAY_LEN(macho); i++)
		if (memcmp(p, macho[i], 4) == 0)
			return CS_GOBIN_MACHO;
	return 0;
}

/* Finds the raw strings. CS_ENOTFOUND, CS_EFORMAT (err). */
static int find_raw(raw_info *out, int *container, const uint8_t *p, size_t len, cs_err *err)
{
	elf e;
	region r;
	uint64_t at;

	if (elf_open(&e, p, len)) {
		*container = CS_GOBIN_ELF;
		if (!elf_data_start(&e, &r))
			return CS_ENOTFOUND;
		if ((at = find_magic(p, &r, r.off)) == UINT64_MAX)
			return CS_ENOTFOUND;
		return decode_header(out, p, at, r.end, &e, err);
	}
	if (!(*container = other_container(p, len)))
		return CS_ENOTFOUND;
	/* No section table read: every aligned magic in the file, the first that decodes. */
	r.off = 0;
	r.end = len;
	r.addr = 0;
	for (at = 0; (at = find_magic(p, &r, at)) != UINT64_MAX; at++) {
		cs_err derr;

		cs_err_clear(&derr);
		if ((p[at + 15] & FLAG_INLINE) && decode_header(out, p, at, len, NULL, &derr) == 0 && out->nvers > 0)
			return 0;
	}
	return CS_ENOTFOUND;
}

int cs_gobin_parse(cs_gobin_info *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	raw_info raw;
	uint64_t i;
	char *mod;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = find_raw(&raw, &out->container, data, len, err)) < 0)
		return rc;
	out->format = raw.format;
	if (raw.nvers == 0)
		return cs_err_set(err, CS_EFORMAT, "go build information without a go version");
	for (i = 0; i < raw.nvers; i++)
		if (raw.vers[i] < 0x20 || raw.vers[i] == 0x7f)
			return cs_err_set(err, CS_EFORMAT, "control byte in the go version of the build information");
	if (!(out->go_version = cs_arena_strndup(a, (const char *)raw.vers, (size_t)raw.nvers)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* Go keeps the text between the sentinels, and drops a string without them. */
	if (raw.nmod >= 2 * MODINFO_FRAME + 1 && raw.mod[raw.nmod - MODINFO_FRAME - 1] == '\n') {
		size_t n = (size_t)raw.nmod - 2 * MODINFO_FRAME;

		if (!(mod = cs_arena_alloc(a, n + 1)))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		memcpy(mod, raw.mod + MODINFO_FRAME, n);
		out->modinfo = mod;
		out->modinfo_len = n;
	} else {
		out->modinfo = "";
	}
	if (cs_gobin_parse_modinfo(out, a, out->modinfo, out->modinfo_len) < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return 0;
}

/* --- module information ---------------------------------------------------------- */

/* Splits [p, p+n) at tabs into at most 4 fields; the count (4 meaning "more than 3"). */
static size_t split_tabs(const char *p, size_t n, const char *f[4], size_t fl[4])
{
	size_t k = 0;

	for (;;) {
		const char *t = memchr(p, '\t', n);
		size_t m = t ? (size_t)(t - p) : n;

		if (k == 4)
			return 4;
		f[k] = p;
		fl[k++] = m;
		if (!t)
			return k;
		p = t + 1;
		n -= m + 1;
	}
}

static int module_line(cs_arena *a, const char *p, size_t n, bool replacement, cs_gobin_module **out)
{
	const char *f[4];
	size_t fl[4], k = split_tabs(p, n, f, fl);
	cs_gobin_module *m;

	*out = NULL;
	if (replacement ? k != 3 : (k != 2 && k != 3))
		return 0;
	if (!(m = cs_arena_alloc(a, sizeof(*m))) || !(m->path = cs_arena_strndup(a, f[0], fl[0])) ||
	    !(m->version = cs_arena_strndup(a, f[1], fl[1])) ||
	    !(m->sum = k == 3 ? cs_arena_strndup(a, f[2], fl[2]) : ""))
		return CS_ENOMEM;
	*out = m;
	return 0;
}

/* A line Go would store: no control byte but the tabs between fields. */
static bool line_ok(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return false;
	return true;
}

int cs_gobin_parse_modinfo(cs_gobin_info *out, cs_arena *a, const char *text, size_t len)
{
	cs_view v = cs_view_make(text, len);
	cs_gobin_module *last = NULL, *m;
	size_t dcap = 0, scap = 0;
	const char *line;
	size_t n;
	int rc;

	out->path = NULL;
	out->has_main = false;
	memset(&out->main, 0, sizeof(out->main));
	out->deps = NULL;
	out->ndeps = 0;
	out->settings = NULL;
	out->nsettings = 0;
	out->nbad = 0;
	while (cs_view_left(&v) > 0) {
		const char *nl;

		line = (const char *)v.p + v.pos;
		if (!(nl = memchr(line, '\n', cs_view_left(&v))))
			break; /* Go ignores a last line without its newline */
		n = (size_t)(nl - line);
		cs_view_skip(&v, n + 1);
		if (!line_ok(line, n)) {
			out->nbad++;
			continue;
		}
		if (cs_mem_starts(line, n, "path\t")) {
			if (!(out->path = cs_arena_strndup(a, line + 5, n - 5)))
				return CS_ENOMEM;
		} else if (cs_mem_starts(line, n, "mod\t")) {
			if ((rc = module_line(a, line + 4, n - 4, false, &m)) < 0)
				return rc;
			if (!m) {
				out->nbad++;
				last = NULL;
				continue;
			}
			out->main = *m;
			out->has_main = true;
			last = &out->main;
		} else if (cs_mem_starts(line, n, "dep\t")) {
			if ((rc = module_line(a, line + 4, n - 4, false, &m)) < 0)
				return rc;
			if (!m) {
				out->nbad++;
				last = NULL;
				continue;
			}
			if (out->ndeps == dcap &&
			    !(out->deps = cs_arena_grow(a, (void *)out->deps, out->ndeps, &dcap, sizeof(*out->deps))))
				return CS_ENOMEM;
			out->deps[out->ndeps++] = m;
			last = m;
		} else if (cs_mem_starts(line, n, "=>\t")) {
			if ((rc = module_line(a, line + 3, n - 3, true, &m)) < 0)
				return rc;
			if (!m || !last) {
				out->nbad++;
				last = NULL;
				continue;
			}
			last->replace = m;
			last = NULL;
		} else if (cs_mem_starts(line, n, "build\t")) {
			const char *s;

			if (n == 6 || !memchr(line + 6, '=', n - 6) || line[6] == '=') {
				out->nbad++;
				continue;
			}
			if (out->nsettings == scap &&
			    !(out->settings = cs_arena_grow(a, (void *)out->settings, out->nsettings, &scap,
							 sizeof(*out->settings))))
				return CS_ENOMEM;
			if (!(s = cs_arena_strndup(a, line + 6, n - 6)))
				return CS_ENOMEM;
			out->settings[out->nsettings++] = s;
		}
	}
	return 0;
}

/* --- versions and purls ------------------------------------------------------------- */

char *cs_gobin_stdlib_version(cs_arena *a, const char *go_version)
{
	size_t n, x;

	if (strncmp(go_version, "go", 2) != 0)
		return cs_arena_strdup(a, go_version);
	n = strcspn(go_version, " \t");
	for (x = 0; x + 3 <= n; x++)
		if (memcmp(go_version + x, "-X:", 3) == 0) {
			n = x;
			break;
		}
	return cs_arena_strndup(a, go_version, n);
}

int cs_gobin_purl(char **out, cs_arena *a, const char *module, const char *version, cs_err *err)
{
	const char *slash = strrchr(module, '/');
	char *ns = NULL;
	cs_purl p;

	memset(&p, 0, sizeof(p));
	p.type = "golang";
	p.name = slash ? slash + 1 : module;
	if (slash && !(ns = cs_arena_strndup(a, module, (size_t)(slash - module))))
		return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	p.ns = ns;
	p.version = version;
	if (strcmp(module, "stdlib") == 0 && version && strncmp(version, "go", 2) == 0 && version[2] >= '0' &&
	    version[2] <= '9')
		p.version = version + 2;
	return cs_purl_build(out, a, &p, err);
}

/* A replacement by a directory rather than a module (x/mod's modfile.IsDirectoryPath). */
static bool directory_path(const char *p)
{
	return strcmp(p, ".") == 0 || strcmp(p, "..") == 0 || cs_str_starts(p, "./") || cs_str_starts(p, ".\\") ||
	       cs_str_starts(p, "../") || cs_str_starts(p, "..\\") || p[0] == '/' || p[0] == '\\' ||
	       (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':');
}

int cs_gobin_packages(cs_gobin_pkg **out, size_t *n, cs_arena *a, const cs_gobin_info *info)
{
	cs_gobin_pkg *p;
	size_t i, k = 0;
	char *std;

	*out = NULL;
	*n = 0;
	if (info->ndeps > SIZE_MAX / sizeof(*p) - 2 || !(p = cs_arena_calloc(a, info->ndeps + 2, sizeof(*p))))
		return CS_ENOMEM;
	if (info->go_version && *info->go_version) {
		if (!(std = cs_gobin_stdlib_version(a, info->go_version)))
			return CS_ENOMEM;
		if (*std)
			p[k++] = (cs_gobin_pkg){"stdlib", std};
	}
	if (info->has_main && *info->main.path)
		p[k++] = (cs_gobin_pkg){info->main.path, *info->main.version ? info->main.version : "(devel)"};
	for (i = 0; i < info->ndeps; i++) {
		const cs_gobin_module *d = info->deps[i];
		const char *path = d->path, *version = d->version;

		if (d->replace) {
			if (*d->replace->version && !directory_path(d->replace->path)) {
				path = d->replace->path;
				version = d->replace->version;
			} else {
				version = "(devel)";
			}
		}
		if (!*path)
			continue; /* old toolchains listed the main module so */
		p[k++] = (cs_gobin_pkg){path, *version ? version : "(devel)"};
	}
	*out = p;
	*n = k;
	return 0;
}

/* --- the analyzer -------------------------------------------------------------------- */

/* The value of a build setting "key=value", or NULL. */
static const char *setting(const cs_gobin_info *info, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < info->nsettings; i++)
		if (strncmp(info->settings[i], key, n) == 0 && info->settings[i][n] == '=')
			return info->settings[i] + n + 1;
	return NULL;
}

/* The langcat parser: an executable's build information, one package per module. */
static int gobin_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
			    cs_err *err)
{
	cs_gobin_info info;
	cs_gobin_pkg *pkgs;
	const char *arch;
	size_t i, n;
	int rc;

	(void)path;
	/* Most executables are scripts: four bytes tell. */
	if (len < 4 || (memcmp(data, "\x7f" "ELF", 4) != 0 && !other_container(data, len)))
		return CS_ENOTFOUND;
	if ((rc = cs_gobin_parse(&info, a, data, len, err)) < 0)
		return rc;
	if ((rc = cs_gobin_packages(&pkgs, &n, a, &info)) < 0)
		return cs_err_set(err, rc, "out of memory");
	if (n && !(out->pkgs = cs_arena_calloc(a, n, sizeof(*out->pkgs))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	arch = setting(&info, "GOARCH");
	for (i = 0; i < n; i++) {
		cs_langpkg *p = &out->pkgs[i];
		char *purl = NULL;

		p->name = pkgs[i].name;
		p->version = pkgs[i].version;
		p->arch = arch;
		rc = cs_gobin_purl(&purl, a, p->name, p->version, err);
		if ((rc = cs_cat_langpkg_purl(p, a, rc, purl, err)) < 0)
			return rc;
	}
	out->npkgs = n;
	out->nbad = info.nbad;
	return 0;
}

static const cs_langcat gobin_cat = {
	.id = CS_AN_gobin,
	.type = "golang",
	.what = "the go build information",
	.parse = gobin_parse_file,
};

/*
 * wants() sees only the path and mode: cs_elf_wants() rules out scripts,
 * documentation and Python extension modules; the parser drops what is no
 * ELF, Mach-O or PE file after looking at four bytes.
 */
CS_LANGCAT_ANALYZER(gobin, "gobin", cs_elf_wants, CS_GOBIN_MAX_SIZE, gobin_cat);
