/*
 * osrelease.h - operating system detection from release files.
 *
 * The first analyzer in the table: it reads the small files a distribution
 * leaves to name itself (etc/os-release, etc/lsb-release, etc/alpine-release,
 * etc/debian_version, the Red Hat family's etc/<name>-release) and, once every
 * layer was walked, decides which distribution the final image is. Package
 * URLs and vulnerability matching key on the answer.
 *
 * Two layers: a pure part (cs_osrel_*) that turns one file's bytes into a
 * cs_os and combines several such answers, usable without a scan by unit
 * tests and the fuzz target; and the analyzer cs_analyzer_osrelease
 * (catalog/analyzers.def) that runs the pure part per layer and asks the
 * merged view which files the final image holds.
 *
 * Family ids follow Trivy's vocabulary ("debian", "redhat", "alma",
 * "oracle", "amazon", "opensuse.leap", "cbl-mariner"...); an os-release ID
 * we do not know is kept as is, lower-case ("arch", "scientific").
 */
#ifndef CS_OSRELEASE_H
#define CS_OSRELEASE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "catalog/analyzer.h"
#include "scan/model.h"

/* The analyzer (name "os-release"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_osrelease;

/* Number of candidate files, see cs_osrel_path. */
#define CS_OSREL_NPATHS 13

/*
 * The candidate files in priority order (index 0 is the strongest):
 * etc/os-release, usr/lib/os-release, etc/lsb-release, etc/alpine-release,
 * the Red Hat family files from the most specific (etc/centos-release ...)
 * to the most generic (etc/redhat-release, etc/system-release,
 * etc/system-release-cpe), and etc/debian_version last (Ubuntu ships one
 * too, so it only decides when nothing else does).
 * Returns NULL when i >= CS_OSREL_NPATHS.
 */
const char *cs_osrel_path(size_t i);

/*
 * True when path (clean, relative) is a file cs_osrel_parse understands:
 * one of the candidates above, or a file under usr/lib/os.release.d/ (where
 * Fedora points usr/lib/os-release). A string compare, no I/O.
 */
bool cs_osrel_wants_path(const char *path);

/*
 * Parses one release file. path picks the format (see cs_osrel_wants_path);
 * data[0..len) is untrusted and need not be terminated.
 *
 * On success fills *out: family (lower-case id), version (may be NULL when
 * the file names none, e.g. Arch Linux's rolling release), name (the human
 * name such as PRETTY_NAME, or NULL), codename (or NULL), found_in = path,
 * layer = -1. Strings are allocated from arena or are static constants
 * (mapped family ids); found_in borrows path. Copy them before arena dies.
 *
 * Returns 0; CS_ENOTFOUND when the file names no OS (empty, no ID);
 * CS_EFORMAT when the bytes are not such a file at all (binary junk, no
 * assignment, no "<name> release <version>" line), with a message in err;
 * CS_ENOMEM; CS_EUSAGE when path is not a supported file.
 */
int cs_osrel_parse(cs_os *out, const char *path, const uint8_t *data, size_t len, cs_arena *arena,
		   cs_err *err);

/*
 * Decides the image's OS from the answers for the files present in it.
 * found[i] is the parsed answer for cs_osrel_path(i), NULL when that file is
 * absent or gave no OS. The first non-NULL answer in priority order names
 * the family (and gives found_in and layer); files of the same family then
 * refine it:
 *   - Debian: an etc/debian_version of the form "12" or "12.11" (same major
 *     as VERSION_ID, if any) replaces the version: it has the point release;
 *   - Alpine: etc/alpine-release's "3.11.5" replaces VERSION_ID;
 *   - any family: a missing version, name or codename is taken from the
 *     next file of the same family (lsb-release for old Ubuntu, the
 *     <name>-release file for Red Hat, debian_version's "bookworm/sid").
 * *out borrows the strings of found. Returns 0, or CS_ENOTFOUND when every
 * entry is NULL.
 */
int cs_osrel_combine(cs_os *out, const cs_os *const found[CS_OSREL_NPATHS]);

/*
 * The family of an os-release ID (lower case): "almalinux" -> "alma",
 * "rhel" -> "redhat", "opensuse-leap" -> "opensuse.leap"...; an ID with no
 * other name in Trivy's vocabulary is its own family and is returned as
 * given. For SBOM input, whose operating-system components and purl
 * "distro" qualifiers carry either vocabulary.
 */
const char *cs_osrel_family(const char *id);

#endif
