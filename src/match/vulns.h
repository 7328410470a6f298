/*
 * vulns.h - match a finished scan's packages against the vulnerability
 * database and record the findings in the scan.
 *
 * OS packages are looked up in their distribution release's feed by SOURCE
 * package name and compared with the distribution's ordering (dpkg's source
 * version, apk's version); language packages by ecosystem and normalized
 * name. A language package owned by an OS package is left to the OS feed.
 * Findings about one vulnerability of one package from several advisories
 * (a DSA, the tracker's CVE entry, an OSV record) are merged into one,
 * named by its CVE when one is known, keeping every other id as an alias.
 */
#ifndef CS_VULNS_H
#define CS_VULNS_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"
#include "vulndb/store.h"

/*
 * The ecosystem ("Debian:12", "Alpine:v3.11", "PyPI"...), the name to look
 * up and the version to compare for package p of an image whose OS is os
 * (may be NULL), allocated in a. Returns false when p cannot be matched
 * (unknown OS release, owned language package, a Go main module "(devel)").
 */
bool cs_match_target(cs_arena *a, const cs_os *os, const cs_package *p, const char **ecosystem,
		     const char **name, const char **version, const char **scheme);

/*
 * Matches every package of s against db and adds the findings to s (sorted
 * worst first). Versions that cannot be compared are warned about and
 * skipped. Returns 0, or a negative code when the database fails.
 */
int cs_match_scan(cs_scan *s, cs_vdb *db, cs_err *err);

#endif
