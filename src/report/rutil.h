/*
 * rutil.h - small helpers every report writer needs: one way to write a
 * cJSON document, one RFC 3339 clock, one XML/HTML text escaper, and the
 * severity words of the findings in one order.
 */
#ifndef CS_RUTIL_H
#define CS_RUTIL_H

#include "core/compat.h"
#include "core/error.h"

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
 * A cJSON string holding s with every byte that does not belong to valid
 * UTF-8 replaced by U+FFFD, by the XML escaper's rule: JSON text must be
 * UTF-8, and cJSON copies bytes as they are (paths and names from an image
 * are arbitrary bytes). NULL s gives "". NULL when out of memory.
 */
cJSON *cs_rutil_json_string(const char *s);

/* The severities of findings, worst first, and how many there are. */
extern const char *const cs_rutil_severities[];
#define CS_RUTIL_NSEVERITIES 6

#endif
