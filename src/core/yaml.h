/*
 * yaml.h - YAML documents as cJSON trees, read with libyaml's event API.
 *
 * The one YAML reader of the project: the vulnerability feeds (Alpine
 * secdb), the secret-scan configuration and the pnpm/yarn lockfiles all
 * read YAML through it, so every caller walks the same cJSON shape and
 * refuses the same hostile input.
 */
#ifndef CS_YAML_H
#define CS_YAML_H

#include "core/compat.h"
#include "core/error.h"

#include <cJSON.h>

/* What differs between callers. */
typedef struct cs_yaml_opts {
	const char *what;   /* names the input in messages ("pnpm-lock.yaml"); borrowed */
	size_t max_depth;   /* deepest nesting of mappings and sequences accepted, >= 1 */
	bool all_documents; /* true: every document of the stream; false: the first only */
} cs_yaml_opts;

/*
 * Parses a YAML stream into *out (the caller cJSON_Deletes it): mappings
 * become objects (keys must be scalars; a repeated key is kept twice, as
 * cJSON does), sequences arrays. Scalars are typed one way for every
 * caller: a plain "", "~", "null", "Null" or "NULL" is null, every other
 * scalar a string, quoted or not, so "1.10", "5.4", "true" and "0" stay
 * as written (a NUL inside a scalar ends it).
 *
 * With all_documents, *out is an array of the documents in order (an
 * empty document is null; a stream with no document an empty array), and
 * the whole stream is read, so a malformed later document fails the
 * parse. Without, *out is the first document's root (null when the
 * stream is empty) and reading stops once that root is complete: what
 * follows it is never looked at.
 *
 * Aliases are refused (a few bytes can stand for an exponential tree).
 * Returns 0, or with *out NULL: CS_EFORMAT on malformed input (the message
 * names what, and the line and column libyaml stopped at), CS_ELIMIT when
 * nesting passes max_depth, CS_ENOMEM.
 */
int cs_yaml_parse(cJSON **out, const char *data, size_t len, const cs_yaml_opts *opts, cs_err *err);

#endif
