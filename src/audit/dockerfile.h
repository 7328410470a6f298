/*
 * dockerfile.h - Dockerfile lint: parse a Dockerfile and check it (the
 * checks users know from Hadolint and Trivy's DS series), with line numbers.
 */
#ifndef CS_DOCKERFILE_H
#define CS_DOCKERFILE_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

/*
 * Lints the Dockerfile at path and adds its findings to s as
 * misconfigurations (dockerfile = path, line set, layer -1). Returns 0, or a
 * negative code with a one-line message naming the file in err (unreadable,
 * too big, not a Dockerfile).
 */
int cs_dockerfile_audit(cs_scan *s, const char *path, cs_err *err);

#endif
