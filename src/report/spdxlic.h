/*
 * spdxlic.h - SPDX license identifiers and expressions, for the SBOM
 * writers (cyclonedx.c, spdx.c).
 *
 * Packages carry licenses as their metadata writes them: an SPDX id
 * ("MIT"), an expression ("GPL-2.0-only WITH Classpath-exception-2.0",
 * "MIT OR Apache-2.0") or free text ("GPL2+", "BSD-style"). Both formats
 * treat the three differently (CycloneDX: license.id, expression,
 * license.name; SPDX: an expression, or a LicenseRef- for free text), so
 * each string is classified once here, against the SPDX license list
 * shipped in spdx_licenses.inc (scripts/gen-spdx-licenses.py).
 */
#ifndef CS_SPDXLIC_H
#define CS_SPDXLIC_H

#include "core/compat.h"
#include "core/arena.h"

/* The SPDX license list version of the tables ("3.28"). */
extern const char cs_spdx_list_version[];

/* The list's spelling of license id s, matched case-insensitively, or NULL. */
const char *cs_spdx_license_id(const char *s);
/* The same for a license exception id ("Classpath-exception-2.0"). */
const char *cs_spdx_exception_id(const char *s);

typedef enum cs_lic_kind {
	CS_LIC_NAME,  /* free text: not an SPDX id or expression */
	CS_LIC_ID,    /* exactly one license id of the list */
	CS_LIC_EXPR,  /* a valid expression that is not a single id */
} cs_lic_kind;

typedef struct cs_lic {
	cs_lic_kind kind;
	/*
	 * ID and EXPR: the canonical form (ids spelt as the list spells them,
	 * operators upper case, single spaces, no space inside parentheses);
	 * NAME: the input with surrounding blanks trimmed. Arena-owned.
	 */
	const char *text;
	bool compound; /* EXPR with an AND or OR outside parentheses */
} cs_lic;

/*
 * Classifies license string s (SPDX 2.3 Annex D grammar: ids of the list,
 * "id+", LicenseRef-/DocumentRef- references, WITH an exception of the
 * list, AND, OR, parentheses; operators in upper or lower case). Empty or
 * blank input is NAME with text "". Returns 0, or CS_ENOMEM.
 */
int cs_lic_classify(cs_lic *out, cs_arena *a, const char *s);

#endif
