/*
 * ignore.h - the ignore file (.customsignore.yaml in the working
 * directory, or --ignore-file): findings the user has accepted.
 *
 *     vulnerabilities:
 *       - id: CVE-2019-14697          # glob; also matches an alias
 *         package: musl               # glob on the package or source name
 *         purl: "pkg:apk/alpine/musl@*" # glob on the package URL
 *         paths: ["lib/apk/db/installed"] # globs on the file the package was read from
 *         reason: not reachable from our entry point
 *         expires: 2025-06-30         # applies through that day (UTC)
 *     secrets:                        # id: the rule id; paths: the file
 *       - {id: generic-api-key, paths: ["srv/test/x.env"], reason: test fixture}
 *     misconfigurations:              # id: the check id; paths: file or Dockerfile
 *       - {id: CS-IMG-001, reason: runs as root by design}
 *
 * Matching findings get suppressed {kind "ignore", reason, source}; an
 * entry past its expiry date stops applying and is reported as a warning.
 */
#ifndef CS_POLICY_IGNORE_H
#define CS_POLICY_IGNORE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

/* The file read when --ignore-file is not given (if it exists). */
#define CS_IGNORE_DEFAULT ".customsignore.yaml"

typedef struct cs_ignore cs_ignore;

/*
 * Parses an ignore file from data[0..len) into *out (allocated from a).
 * what names it in messages and becomes the suppressions' source.
 * Strict: unknown sections or keys, an entry without id or reason, a bad
 * date are CS_EFORMAT errors naming the entry; CS_ELIMIT, CS_ENOMEM.
 */
int cs_ignore_parse(cs_ignore **out, cs_arena *a, const char *what, const char *data, size_t len, cs_err *err);
/* Reads and parses path (CS_EIO when unreadable). */
int cs_ignore_load(cs_ignore **out, cs_arena *a, const char *path, cs_err *err);

/* Number of entries (all sections). */
size_t cs_ignore_count(const cs_ignore *ig);

/*
 * Marks the findings of s that an entry matches and that are not yet
 * suppressed (the first entry in file order wins); entries expired at
 * now (Unix seconds) do not apply and each gets one warning diagnostic
 * (cs_scan_diag). Returns how many findings it suppressed.
 */
size_t cs_ignore_apply(const cs_ignore *ig, cs_scan *s, long long now);

#endif
