/*
 * elf.h - the headers of ELF files and their named sections, for
 * catalogers that read what a linker or a build tool stored in an
 * executable (rust.c reads cargo-auditable's ".dep-v0", gobin.c the Go
 * build information). Pure functions over bytes: every read is
 * bounds-checked, nothing is allocated.
 *
 * The section table is read the way Go's debug/elf reads it (which Trivy
 * and syft use through their Rust and Go binary parsers): 32 or 64 bit,
 * either byte order, the extended numbering of files with 0xff00 sections
 * or more (count and string table index in section 0), the first section
 * of a name winning. A file whose section headers were removed (sstrip)
 * has no sections, for Go's tools too.
 */
#ifndef CS_ELF_H
#define CS_ELF_H

#include "core/compat.h"
#include "core/error.h"

/* An ELF file's identification, program and section tables, as far as they fit in the file. */
typedef struct cs_elf {
	const uint8_t *p;  /* the file; borrowed */
	size_t len;        /* its bytes */
	bool is64, be;     /* ELFCLASS64; ELFDATA2MSB */
	uint64_t phoff;    /* program header table: file offset ... */
	uint64_t phnum;    /* ... entries (0 when the table is absent or does not fit) ... */
	uint64_t phentsize;/* ... and entry size */
	uint64_t shoff;    /* section header table: file offset ... */
	uint64_t shnum;    /* ... entries (0 when the table is absent or does not fit) ... */
	uint64_t shentsize;/* ... and entry size */
	uint64_t shstrndx; /* index of the section names' string table */
} cs_elf;

/* One section header, fields widened to 64 bits. */
typedef struct cs_elf_section {
	uint64_t type;  /* SHT_*: CS_ELF_SHT_NOBITS has no bytes in the file */
	uint64_t flags; /* SHF_* */
	uint64_t addr;  /* virtual address when loaded, or 0 */
	uint64_t off;   /* file offset of its bytes */
	uint64_t size;  /* bytes */
} cs_elf_section;

#define CS_ELF_SHT_NOBITS 8
#define CS_ELF_SHF_COMPRESSED 0x800 /* bytes start with an Elf_Chdr, then compressed data */

/* One program header (a segment), fields widened to 64 bits. */
typedef struct cs_elf_segment {
	uint64_t type;   /* PT_*: CS_ELF_PT_LOAD is loaded */
	uint64_t flags;  /* PF_* */
	uint64_t off;    /* file offset of its bytes */
	uint64_t vaddr;  /* virtual address when loaded */
	uint64_t filesz; /* bytes in the file */
	uint64_t memsz;  /* bytes in memory */
} cs_elf_segment;

#define CS_ELF_PT_LOAD 1
#define CS_ELF_PF_X 1
#define CS_ELF_PF_W 2

/*
 * Reads the identification and file header of data[0..len). Returns false
 * when it is no ELF file (signature, class or byte order unknown) or its
 * header is cut short. A program or section table that does not fit in
 * the file, or whose entries are too small, is treated as absent
 * (e->phnum or e->shnum 0), not as an error.
 */
bool cs_elf_open(cs_elf *e, const void *data, size_t len);

/* Program header i (below e->phnum); false when it cannot be read. */
bool cs_elf_segment_at(const cs_elf *e, uint64_t i, cs_elf_segment *out);

/*
 * Section header i (below e->shnum), and in *name the offset of its name
 * in the names' string table; false when it cannot be read.
 */
bool cs_elf_section_at(const cs_elf *e, uint64_t i, uint64_t *name, cs_elf_section *out);

/*
 * Finds the first section called name. False when there is none, the file
 * has no usable section table, or the names' string table is out of range.
 */
bool cs_elf_find_section(const cs_elf *e, const char *name, cs_elf_section *out);

/*
 * Points *p at the bytes of section s in the file (*n bytes; a NOBITS
 * section has none: *p NULL, *n 0). Returns 0, or CS_EFORMAT with a message
 * naming the section (name) when its bytes lie beyond the end of the file.
 */
int cs_elf_section_bytes(const cs_elf *e, const cs_elf_section *s, const char *name, const uint8_t **p,
			 size_t *n, cs_err *err);

/*
 * Whether an entry may be an executable worth reading, by its path and mode
 * alone (analyzers' wants()): a regular file with an execute bit, not in a
 * place that holds only scripts and data (dpkg's and apk's databases,
 * documentation, headers), not named like a script, text, source or archive
 * file, and not a shared library inside a Python package tree (wheels ship
 * them executable, and machine-learning ones weigh gigabytes). The gobin
 * and rust catalogers' wants().
 */
bool cs_elf_wants(const char *path, uint32_t mode);

#endif
