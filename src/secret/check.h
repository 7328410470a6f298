/*
 * check.h - the value checks a rule's capture must pass, and redaction.
 *
 * Pure functions on a candidate secret (bytes, not terminated). The engine
 * runs them after PCRE2 confirmed a match; they never keep the value.
 */
#ifndef CS_SECRET_CHECK_H
#define CS_SECRET_CHECK_H

#include "core/compat.h"

/* Shannon entropy of the bytes of s, in bits per byte (0 for n == 0). */
double cs_secret_entropy(const char *s, size_t n);

/*
 * The built-in "placeholders" value allow rule, applied to every rule:
 * true for values that are documentation rather than secrets: "EXAMPLE"
 * in any case (AWS's documented AKIAIOSFODNN7EXAMPLE), template syntax
 * (${VAR}, {{ var }}, <%= %>, $(cmd), #{x}), and runs of five or more
 * 'x', 'X', '*', '#' or '.' ("xxxxxxxx", "*****").
 */
bool cs_secret_is_placeholder(const char *s, size_t n);

/*
 * Shape check for generic assignment rules (CS_SR_GENERIC): false when the
 * value is code (a call, a dotted name, a variable), a path, a known
 * placeholder word ("changeme", "your_password", "password", "none"), or too
 * plain to be a secret. With CS_SR_PASSWORD in flags the value is judged
 * as a password a human chose (at least 6 bytes and two character
 * classes); otherwise as a machine token (at least 12 bytes, two classes,
 * and a digit unless it is 32 bytes or longer).
 */
bool cs_secret_generic_ok(const char *s, size_t n, unsigned flags);

/*
 * Key check for generic assignment rules: the text of the match before the
 * value (the key name and separator) must not say that the value is
 * something other than a secret: a hash or digest, a public key, a name,
 * a type, a URL or path, a reference to where the secret lives
 * ("secretKeyRef"), a size, or an example.
 */
bool cs_secret_generic_key_ok(const char *key, size_t n);

/*
 * How many bytes of a secret of length n may be shown at each end when it
 * is redacted: n / 10, at most 4. Secrets shorter than 10 bytes are hidden
 * whole; longer ones never show more than a fifth of their bytes.
 */
size_t cs_secret_redact_keep(size_t n);

#endif
