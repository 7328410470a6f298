/*
 * json.h - typed, NULL-safe reads from cJSON trees of untrusted documents.
 *
 * Every getter returns NULL/false when the member is absent or of another
 * type, so a parser checks once and names the field in its own message.
 */
#ifndef CS_JSON_H
#define CS_JSON_H

#include "core/compat.h"
#include "core/error.h"

#include <cJSON.h>

/* Parses len bytes; NULL with a message naming what (e.g. "'x.tar:manifest.json'") on failure. */
cJSON *cs_json_parse(const char *data, size_t len, const char *what, cs_err *err);

/* Member name of obj as a string, or NULL. */
const char *cs_json_str(const cJSON *obj, const char *name);
/* Member name as an array / object, or NULL. */
const cJSON *cs_json_arr(const cJSON *obj, const char *name);
const cJSON *cs_json_obj(const cJSON *obj, const char *name);
/* Member as a non-negative integer that fits 2^53; false otherwise. */
bool cs_json_u64(const cJSON *obj, const char *name, uint64_t *out);
/* Member as a boolean; false when absent or not a boolean. */
bool cs_json_true(const cJSON *obj, const char *name);

#endif
