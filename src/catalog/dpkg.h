/*
 * dpkg.h - Debian's package database, as a pure parsing API.
 *
 * The dpkg cataloger (dpkg.c) reads three kinds of file out of every layer:
 * var/lib/dpkg/status (dpkg's own database), var/lib/dpkg/status.d/<pkg>
 * (one file per package, written by distroless-style image builders that
 * never run dpkg) and var/lib/dpkg/info/<pkg>[:<arch>].list (the paths a
 * package installed). The parsers here know nothing of scans or layers, so
 * unit tests and the fuzz target call them on plain bytes. All results are
 * allocated from the caller's arena and stay valid as long as it does.
 *
 * What "installed" means (cs_dpkg_state_installed): the third word of the
 * Status field, exactly as dpkg judges it. dpkg holds a package's files
 * unpacked on disk and compares the installed version against dependencies
 * in the states unpacked, half-configured, triggers-awaited,
 * triggers-pending and installed; for the other three, not-installed,
 * config-files and half-installed, it tells the user "Package X is not
 * installed" (deppossi_ok_found() in dpkg's src/main/packages.c). The want
 * word (install, hold, deinstall, purge) is only a selection and the error
 * flag (reinstreq) only a repair request: neither removes a file, so
 * neither matters. A stanza without Status is not-installed in the status
 * file (dpkg's default), but installed in status.d, which dpkg never reads
 * and whose writers leave Status out.
 */
#ifndef CS_DPKG_H
#define CS_DPKG_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "core/arena.h"
#include "core/error.h"
#include "core/map.h"
#include "scan/model.h"

/* The analyzer (name "dpkg"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_dpkg;

/* dpkg's Status words, in dpkg's own order. */
enum cs_dpkg_want {
	CS_DPKG_WANT_UNKNOWN,
	CS_DPKG_WANT_INSTALL,
	CS_DPKG_WANT_HOLD,
	CS_DPKG_WANT_DEINSTALL,
	CS_DPKG_WANT_PURGE,
};

enum cs_dpkg_state {
	CS_DPKG_NOT_INSTALLED,
	CS_DPKG_CONFIG_FILES,
	CS_DPKG_HALF_INSTALLED,
	CS_DPKG_UNPACKED,
	CS_DPKG_HALF_CONFIGURED,
	CS_DPKG_TRIGGERS_AWAITED,
	CS_DPKG_TRIGGERS_PENDING,
	CS_DPKG_INSTALLED,
};

/* One package stanza that parsed. Strings never contain a newline. */
typedef struct cs_dpkg_record {
	const char *name;           /* Package, lower-cased as dpkg does */
	const char *version;        /* Version verbatim; "" only when not installed */
	const char *arch;           /* Architecture, or NULL */
	const char *source_name;    /* Source up to the first space, else name */
	const char *source_version; /* Source's "(version)", else version */
	const char *maintainer;     /* first line of Maintainer, or NULL */
	uint64_t installed_size;    /* Installed-Size in KiB; 0 absent or not a number */
	uint8_t want;               /* enum cs_dpkg_want */
	bool reinstreq;             /* error flag "reinstreq" */
	uint8_t state;              /* enum cs_dpkg_state */
	bool has_status;            /* the stanza had a Status field */
	bool installed;             /* cs_dpkg_state_installed(state) */
	uint32_t line;              /* 1-based line the stanza starts on */
	const char *key;            /* name NUL version NUL arch: identity for maps */
	size_t keylen;              /* bytes of key, NULs included */
} cs_dpkg_record;

/* The stanzas of one file, in file order (installed or not). */
typedef struct cs_dpkg_db {
	cs_dpkg_record *records; /* arena array */
	size_t nrecords;
	size_t ninstalled;       /* records with installed set */
	size_t nskipped;         /* malformed stanzas left out */
	uint32_t skip_line;      /* line of the first one skipped, 0 none */
	const char *skip_reason; /* why, "missing 'Package' field"; NULL none */
} cs_dpkg_db;

enum {
	/* A status.d file: a stanza without Status is installed. */
	CS_DPKG_STATUS_D = 1u << 0,
};

/* True for the states in which dpkg counts a package as installed (above). */
bool cs_dpkg_state_installed(int state);

/*
 * Parses a status file (or, with CS_DPKG_STATUS_D, one status.d file) in
 * one pass. The format is deb822 as dpkg reads it: stanzas separated by
 * blank lines, "Field: value" lines, continuation lines starting with a
 * space or tab, field names case-insensitive. Where dpkg is strict, so is
 * this parser, but per stanza rather than per file: a stanza dpkg would
 * refuse (no Package, an invalid package name, a line without a colon, a
 * field read here given twice, a continued Package/Version/Status, a bad
 * Status word, a Version or Source version dpkg cannot parse, an installed
 * package without Version, a NUL byte in a field read here) is skipped and
 * counted, and parsing goes on with the next one. Lenient where dpkg would not be, as a
 * scanner reading other people's images should: CRLF line ends, lines of
 * only blanks as separators (Debian Policy 5.1 allows parsers that), '#'
 * comment lines, a missing final newline. What dpkg only warns about
 * (missing Description/Maintainer/Architecture, odd characters in a
 * version) is accepted.
 * Returns 0 (even when stanzas were skipped: see nskipped), CS_EFORMAT when
 * the file has stanzas but none is valid (message in err, *out still
 * filled), or CS_ENOMEM. An empty file is a valid, empty database.
 */
int cs_dpkg_parse_status(cs_dpkg_db *out, cs_arena *a, const void *data, size_t len, unsigned flags,
			 cs_err *err);

/* The paths of one info/<pkg>.list file. */
typedef struct cs_dpkg_list {
	const char **paths; /* arena array of clean relative paths, file order */
	size_t npaths;
	size_t nskipped;    /* lines dropped: relative, "..", NUL byte */
} cs_dpkg_list;

/*
 * Parses a .list file: one absolute path per line, "/." for the root
 * (dropped, as is any path that cleans to the root). Each path is stored
 * clean and relative ("/usr/bin/foo" -> "usr/bin/foo", see cs_path_clean).
 * Returns 0, CS_EFORMAT when there were lines and none was a usable path
 * (message in err, *out still filled), or CS_ENOMEM.
 */
int cs_dpkg_parse_list(cs_dpkg_list *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Builds the purl of an installed record:
 * pkg:deb/<ns>/<name>@<version>?arch=<arch>&distro=<distro>&upstream=<src>
 * ns is os->family ("debian", "ubuntu"), "debian" when no OS is known.
 * distro is "debian-<major>" for Debian (os-release's VERSION_ID is the
 * major only: debian-12), "<family>-<version>" otherwise (ubuntu-22.04),
 * absent without an OS version. upstream is the source name when it
 * differs from the binary's, "<src>@<srcversion>" when the source version
 * differs. The version keeps its epoch (see purl.h). Returns as
 * cs_purl_build.
 */
int cs_dpkg_purl(char **out, cs_arena *a, const cs_dpkg_record *r, const cs_os *os, cs_err *err);

/*
 * Which layer introduced a package: the lowest layer index whose status
 * file or status.d file lists the same name, version and architecture as
 * installed. Add each layer's databases (any order), then ask.
 */
typedef struct cs_dpkg_layers {
	cs_map first; /* record key -> (void *)(intptr_t)(layer + 1) */
} cs_dpkg_layers;

void cs_dpkg_layers_init(cs_dpkg_layers *l);
void cs_dpkg_layers_release(cs_dpkg_layers *l);
/* Notes every installed record of db as present in layer. CS_ENOMEM. */
int cs_dpkg_layers_add(cs_dpkg_layers *l, const cs_dpkg_db *db, int layer);
/* The lowest layer noted for r's name, version and arch, or -1. */
int cs_dpkg_layers_first(const cs_dpkg_layers *l, const cs_dpkg_record *r);

#endif
