/*
 * sbom.h - SBOM input: a CycloneDX (1.4-1.6) or SPDX (2.2-2.3) JSON
 * document read into a scan of packages, so that the matcher and every
 * report writer work on it as on an image scan (`customs sbom FILE`).
 */
#ifndef CS_SBOM_H
#define CS_SBOM_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

/*
 * Reads the SBOM at path into a new scan (free with cs_scan_free). The
 * format is recognised from the content. Returns 0, or CS_ENOTFOUND /
 * CS_EIO / CS_EFORMAT / CS_ELIMIT / CS_ENOMEM with a one-line message
 * naming the file in err.
 */
int cs_sbom_scan(cs_scan **out, const char *path, const cs_scan_opts *opts, cs_err *err);

#endif
