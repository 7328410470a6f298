/*
 * rutil.h - small helpers every report writer needs: one way to write a
 * cJSON document, one RFC 3339 clock, one XML/HTML text escaper, and the
 * severity words of the findings in one order.
 */
#ifndef CS_RUTIL_H
#define CS_RUTIL_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

#include <cJSON.h>

/*
 * Prints doc (pretty when pretty is set) to out followed by a newline and
 * deletes it, whatever happens. CS_ENOMEM when doc is NULL or cannot be
 * printed, CS_EIO when the stream refuses the bytes.
 */
int cs_rutil_write_json(FILE *out, cJSON *doc, bool pretty, cs_err *err);

/* "2023-11-14T22:13:20Z": t (seconds since the epoch) in UTC; buf >= 21 bytes. */
void cs_rutil_time(long long t, char *buf, size_t sz);

/*
 * Writes s with &, <, >, " and ' escaped for XML or HTML text and
 * attributes; control characters other than tab and newline (which XML 1.0
 * cannot carry) become U+FFFD, as do bytes that are not UTF-8.
 */
void cs_rutil_xml_escape(FILE *out, const char *s);

/*
 * Length of the valid UTF-8 sequence at p (1-4), or 0 when the bytes there
 * are not one (overlong forms, surrogates, U+FFFE/U+FFFF and values past
 * U+10FFFF included); p must be NUL-terminated.
 */
size_t cs_rutil_utf8_len(const unsigned char *p);

/*
 * A layer's history step as a person reads it: "/bin/sh -c #(nop) ENV X=1"
 * becomes "ENV X=1" and "/bin/sh -c make" "make". A pointer into s (NULL
 * for NULL).
 */
const char *cs_rutil_short_step(const char *s);

/*
 * s as valid UTF-8, malloc'd: every byte that does not start a valid
 * sequence becomes U+FFFD (cJSON copies bytes >= 0x80 as they are, so an
 * image's hostile package name would otherwise make the document invalid
 * JSON). NULL s gives "". NULL when out of memory.
 */
char *cs_rutil_utf8_dup(const char *s);
/* cJSON string item of cs_rutil_utf8_dup(s); NULL when out of memory. */
cJSON *cs_rutil_json_string(const char *s);

/*
 * The name a report gives the scanned artifact: its first repo tag
 * ("alpine:3.11") when it has one, else the name the user gave.
 */
const char *cs_rutil_artifact_title(const cs_artifact *a);

/*
 * The image's purl, pkg:oci/NAME@DIGEST?arch=..&repository_url=..&tag=..
 * (purl-spec's oci type), in *out (from arena): only when the manifest
 * digest (the artifact's own digest, which the type's version is) and a
 * repo tag (the name) are known, else *out is NULL: a docker archive has
 * neither digest nor registry. CS_ENOMEM.
 */
int cs_rutil_image_purl(char **out, cs_arena *arena, const cs_artifact *a);

/* True for packages of the OS package manager (deb, apk, rpm). */
bool cs_rutil_os_package(const cs_package *p);

/*
 * Where packages are in the scan's list: out[k] is the index of want[k]
 * (a pointer to one of the scan's packages: an owner, a finding's
 * package), or -1 when want[k] is NULL or not in the list. CS_ENOMEM.
 */
int cs_rutil_package_indexes(const cs_scan *s, const cs_package *const *want, size_t n, long *out);

/*
 * For each package i, (*out)[i] is the index of its owner, or -1 (none, or
 * itself). *out is malloc'd (free it); CS_ENOMEM.
 */
int cs_rutil_owner_indexes(const cs_scan *s, long **out);

/*
 * A document id for an SBOM of s written at now: an RFC 4122 version-5
 * style UUID ("xxxxxxxx-xxxx-5xxx-[89ab]xxx-xxxxxxxxxxxx") from a SHA-256
 * of salt (the format), now, the artifact (name, image id, manifest digest)
 * and what the document lists (each package's purl, file and layer, each
 * finding's id): equal scans at equal times give equal ids, different
 * content different ones. The tool version is left out on purpose so that
 * golden files survive a new commit. CS_ENOMEM.
 */
int cs_rutil_scan_uuid(const cs_scan *s, const char *salt, long long now, char out[37], cs_err *err);

/*
 * A cJSON tree builder that remembers a failed allocation instead of
 * checking each call: build the whole document, then test oom once. Every
 * function tolerates NULL arguments (from an earlier failure) and frees an
 * item it could not attach.
 */
typedef struct cs_jb {
	bool oom; /* some allocation failed: the tree is incomplete */
} cs_jb;

/* A JSON string of s as valid UTF-8 (cs_rutil_json_string). */
cJSON *cs_jb_str(cs_jb *b, const char *s);
/* s, noting a NULL (an arena string that could not be made). */
const char *cs_jb_chk(cs_jb *b, const char *s);
/* Attaches item to obj under key, or to arr; returns item, or NULL. */
cJSON *cs_jb_add(cs_jb *b, cJSON *obj, const char *key, cJSON *item);
cJSON *cs_jb_push(cs_jb *b, cJSON *arr, cJSON *item);
/* Adds key: s unless s is NULL or empty. */
void cs_jb_add_str(cs_jb *b, cJSON *obj, const char *key, const char *s);
cJSON *cs_jb_obj(cs_jb *b);
cJSON *cs_jb_arr(cs_jb *b);

/*
 * A suppression's reason split the way the VEX stage writes it: a VEX
 * statement's status word (OpenVEX "not_affected", "fixed"; CycloneDX
 * "not_affected", "resolved", "false_positive", ...) then ": " and the
 * justification or impact statement. For kind "vex", *status gets the word
 * (in buf, n bytes) and *detail the rest, or NULL; for any other kind (an
 * ignore entry, a baseline) *status is NULL and *detail the whole reason.
 * The trivy-json and cyclonedx writers both map these words.
 */
void cs_rutil_vex_reason(const cs_suppression *u, char *buf, size_t n, const char **status, const char **detail);

/* A JSON string of s as valid UTF-8, or null for NULL or "". */
cJSON *cs_rutil_str_or_null(const char *s);

/*
 * The policy verdict as customs' JSON writes it ({name, verdict, hits[]
 * with rule, gate, trigger, action, message}), or null when no policy ran.
 */
cJSON *cs_rutil_policy_json(const cs_scan *s);

/*
 * The base image as customs' JSON writes it (name, method, os, eol,
 * eol_date, layers, approved, and the findings split), or null when the
 * assessment did not run.
 */
cJSON *cs_rutil_base_json(const cs_scan *s);

/* The severities of findings, worst first, and how many there are. */
extern const char *const cs_rutil_severities[];
#define CS_RUTIL_NSEVERITIES 6

#endif
