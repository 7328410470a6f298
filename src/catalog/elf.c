/*
 * elf.c - named sections of ELF files; see elf.h.
 */
#include "core/compat.h"
#include "catalog/elf.h"
#include "core/strutil.h"

#include <inttypes.h>
#include <sys/stat.h>

/* The n-byte unsigned integer at off (n <= 8); false when it lies past the end. */
static bool rd(const cs_elf *e, uint64_t off, unsigned n, uint64_t *out)
{
	uint64_t x = 0;
	unsigned i;

	if (off > e->len || n > e->len - off)
		return false;
	for (i = 0; i < n; i++)
		x |= (uint64_t)e->p[off + (e->be ? n - 1 - i : i)] << (8 * i);
	*out = x;
	return true;
}

bool cs_elf_open(cs_elf *e, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t x;
	unsigned minent;

	memset(e, 0, sizeof(*e));
	e->p = p;
	e->len = len;
	if (len < 16 || memcmp(p, "\x7f" "ELF", 4) != 0 || (p[4] != 1 && p[4] != 2) || (p[5] != 1 && p[5] != 2))
		return false;
	e->is64 = p[4] == 2;
	e->be = p[5] == 2;
	if (e->is64) {
		if (!rd(e, 32, 8, &e->phoff) || !rd(e, 40, 8, &e->shoff) || !rd(e, 54, 2, &e->phentsize) ||
		    !rd(e, 56, 2, &e->phnum) || !rd(e, 58, 2, &e->shentsize) || !rd(e, 60, 2, &e->shnum) ||
		    !rd(e, 62, 2, &e->shstrndx))
			return false;
	} else {
		if (!rd(e, 28, 4, &e->phoff) || !rd(e, 32, 4, &e->shoff) || !rd(e, 42, 2, &e->phentsize) ||
		    !rd(e, 44, 2, &e->phnum) || !rd(e, 46, 2, &e->shentsize) || !rd(e, 48, 2, &e->shnum) ||
		    !rd(e, 50, 2, &e->shstrndx))
			return false;
	}
	if (e->phentsize < (e->is64 ? 56u : 32u) || e->phoff > len || e->phnum > (len - e->phoff) / e->phentsize)
		e->phnum = 0;
	minent = e->is64 ? 64 : 40;
	if (e->shoff == 0 || e->shentsize < minent) {
		e->shnum = 0;
		return true;
	}
	/* 0xff00 sections or more: the count and the names' index move to section 0. */
	if (e->shnum == 0 && rd(e, e->shoff + (e->is64 ? 32 : 20), e->is64 ? 8 : 4, &x))
		e->shnum = x;
	if (e->shstrndx == 0xffff && rd(e, e->shoff + (e->is64 ? 40 : 24), 4, &x))
		e->shstrndx = x;
	if (e->shoff > len || e->shnum > (len - e->shoff) / e->shentsize)
		e->shnum = 0;
	return true;
}

bool cs_elf_segment_at(const cs_elf *e, uint64_t i, cs_elf_segment *p)
{
	uint64_t b = e->phoff + i * e->phentsize;

	if (e->is64)
		return rd(e, b, 4, &p->type) && rd(e, b + 4, 4, &p->flags) && rd(e, b + 8, 8, &p->off) &&
		       rd(e, b + 16, 8, &p->vaddr) && rd(e, b + 32, 8, &p->filesz) && rd(e, b + 40, 8, &p->memsz);
	return rd(e, b, 4, &p->type) && rd(e, b + 4, 4, &p->off) && rd(e, b + 8, 4, &p->vaddr) &&
	       rd(e, b + 16, 4, &p->filesz) && rd(e, b + 20, 4, &p->memsz) && rd(e, b + 24, 4, &p->flags);
}

bool cs_elf_section_at(const cs_elf *e, uint64_t i, uint64_t *name, cs_elf_section *s)
{
	uint64_t b = e->shoff + i * e->shentsize;

	if (e->is64)
		return rd(e, b, 4, name) && rd(e, b + 4, 4, &s->type) && rd(e, b + 8, 8, &s->flags) &&
		       rd(e, b + 16, 8, &s->addr) && rd(e, b + 24, 8, &s->off) && rd(e, b + 32, 8, &s->size);
	return rd(e, b, 4, name) && rd(e, b + 4, 4, &s->type) && rd(e, b + 8, 4, &s->flags) &&
	       rd(e, b + 12, 4, &s->addr) && rd(e, b + 16, 4, &s->off) && rd(e, b + 20, 4, &s->size);
}

bool cs_elf_find_section(const cs_elf *e, const char *name, cs_elf_section *out)
{
	size_t n = strlen(name) + 1; /* the terminating NUL must match too */
	cs_elf_section strtab;
	uint64_t i, nm, end;

	if (e->shstrndx >= e->shnum || !cs_elf_section_at(e, e->shstrndx, &nm, &strtab) ||
	    strtab.type == CS_ELF_SHT_NOBITS || strtab.off > e->len)
		return false;
	/* The part of the string table that is in the file. */
	end = strtab.size < e->len - strtab.off ? strtab.off + strtab.size : e->len;
	for (i = 0; i < e->shnum; i++) {
		if (!cs_elf_section_at(e, i, &nm, out) || nm >= end - strtab.off || n > end - strtab.off - nm)
			continue;
		if (memcmp(e->p + strtab.off + nm, name, n) == 0)
			return true;
	}
	return false;
}

int cs_elf_section_bytes(const cs_elf *e, const cs_elf_section *s, const char *name, const uint8_t **p,
			 size_t *n, cs_err *err)
{
	*p = NULL;
	*n = 0;
	if (s->type == CS_ELF_SHT_NOBITS)
		return 0;
	if (s->off > e->len || s->size > e->len - s->off)
		return cs_err_set(err, CS_EFORMAT,
				  "section '%s' (%" PRIu64 " bytes at offset %" PRIu64 ") runs past the end of the file (%zu bytes)",
				  name, s->size, s->off, e->len);
	*p = e->p + s->off;
	*n = (size_t)s->size;
	return 0;
}

/* --- which files are executables worth reading ------------------------------------------- */

static const char *const skip_dirs[] = {
	"var/lib/dpkg/", "usr/share/doc/", "usr/share/man/", "usr/share/locale/",
	"usr/share/zoneinfo/", "usr/include/", "lib/apk/", "var/lib/rpm/",
};

static const char *const skip_suffixes[] = {
	".sh",  ".bash", ".py",   ".pyc", ".pl",  ".pm",   ".rb",  ".js",   ".mjs", ".cjs",
	".ts",  ".php",  ".lua",  ".tcl", ".txt", ".md",   ".rst", ".html", ".htm", ".css",
	".json", ".yaml", ".yml", ".xml", ".toml", ".ini", ".cfg", ".conf", ".c",   ".h",
	".go",  ".java", ".class", ".jar", ".pem", ".crt", ".csv", ".png",  ".jpg", ".gif",
	".svg", ".gz",   ".xz",   ".bz2", ".zst", ".zip",  ".tar", ".a",    ".o",   ".la",
};

bool cs_elf_wants(const char *path, uint32_t mode)
{
	const char *base, *dot;
	size_t i;

	if (!S_ISREG(mode) || !(mode & 0111))
		return false;
	for (i = 0; i < CS_ARRAY_LEN(skip_dirs); i++)
		if (cs_str_starts(path, skip_dirs[i]))
			return false;
	base = cs_path_base(path);
	if ((cs_str_ends(base, ".so") || strstr(base, ".so.")) &&
	    (strstr(path, "site-packages/") || strstr(path, "dist-packages/")))
		return false;
	if ((dot = strrchr(base, '.')) != NULL && dot != base)
		for (i = 0; i < CS_ARRAY_LEN(skip_suffixes); i++)
			if (strcmp(dot, skip_suffixes[i]) == 0)
				return false;
	return true;
}
