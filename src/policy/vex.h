/*
 * vex.h - VEX in (--vex FILE, repeatable): OpenVEX (0.2.0, and the 0.0.x
 * shapes) and CycloneDX VEX (vulnerabilities[].analysis with affects
 * refs). A statement that a product is "not_affected" by a vulnerability,
 * or has it "fixed", suppresses the matching findings {kind "vex",
 * reason "not_affected: vulnerable_code_not_in_execute_path", source the
 * file}.
 *
 * Time orders statements: each has a timestamp (its own, else its
 * document's), and for one vulnerability and package the latest matching
 * statement decides; equal times go to the later one (document order,
 * then --vex order). So an "affected" statement issued after a
 * "not_affected" one makes the finding count again.
 *
 * Products are matched by package URL as the OpenVEX libraries do: type,
 * namespace and name equal, a version only when the statement gives one,
 * and every qualifier the statement gives present with the same value
 * (the package may have more). A product that names the scanned image
 * (a pkg:oci purl of its digest or repository name, or its name, a tag or
 * its digest as given) covers every package, or only its subcomponents
 * when it lists some. docs/policy.md has the details.
 */
#ifndef CS_POLICY_VEX_H
#define CS_POLICY_VEX_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/scan.h"

typedef struct cs_vex cs_vex;

/* An empty set of statements, allocated from a. CS_ENOMEM. */
int cs_vex_new(cs_vex **out, cs_arena *a, cs_err *err);

/*
 * Adds the statements of one document, data[0..len) (JSON), recognised
 * by its content: "@context" of openvex.dev, or "bomFormat": "CycloneDX".
 * what names it in messages and is the suppressions' source. Strict on
 * what the formats require (a vulnerability name, a known status and
 * justification, well-formed timestamps): CS_EFORMAT naming the
 * statement; CS_ELIMIT past 100000 statements in all; CS_ENOMEM.
 */
int cs_vex_parse(cs_vex *v, const char *what, const char *data, size_t len, cs_err *err);
/* Reads and parses path (CS_EIO when unreadable). */
int cs_vex_load(cs_vex *v, const char *path, cs_err *err);

/* Statements held. */
size_t cs_vex_count(const cs_vex *v);

/*
 * Marks the vulnerabilities of s that the latest matching statement says
 * are not_affected or fixed, unless already suppressed. Returns how many.
 */
size_t cs_vex_apply(cs_vex *v, cs_scan *s);

/*
 * OpenVEX purl matching: general (from a statement) covers specific (a
 * package's purl). False when either is not a purl.
 */
bool cs_vex_purl_matches(const char *general, const char *specific);

#endif
