/*
 * report.h - report writers, one per format, listed once in a const table.
 *
 * A writer turns a finished scan into bytes on a stream. Writers never
 * change the scan and never fail halfway silently: a write error is
 * returned (CS_EIO) so the command can exit non-zero.
 */
#ifndef CS_REPORT_H
#define CS_REPORT_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

#define CS_REPORT_SCHEMA_VERSION 1

typedef struct cs_report_opts {
	bool color;  /* ANSI colours (table) */
	int width;   /* terminal columns for the table, 0 = 80 */
	/*
	 * The report's creation time, seconds since the epoch: the command
	 * sets it from time(NULL), or from $SOURCE_DATE_EPOCH for reproducible
	 * reports. Writers never call time() themselves.
	 */
	long long now;
} cs_report_opts;

typedef struct cs_report_writer {
	const char *name; /* --format value */
	const char *description;
	int (*write)(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err);
} cs_report_writer;

/* The writer for a format name, or NULL. */
const cs_report_writer *cs_report_find(const char *name);
/* Comma-separated names, for help and errors. */
const char *cs_report_names(void);
/* The i-th writer in formats.def order, or NULL past the end. */
const cs_report_writer *cs_report_at(size_t i);

#define CS_REPORT_FORMAT(id, name, desc) \
	int cs_report_##id(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err);
#include "report/formats.def"
#undef CS_REPORT_FORMAT

#endif
