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
} cs_report_opts;

typedef struct cs_report_writer {
	const char *name; /* --format value */
	int (*write)(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err);
} cs_report_writer;

/* The writer for a format name, or NULL. */
const cs_report_writer *cs_report_find(const char *name);
/* Comma-separated names, for help and errors. */
const char *cs_report_names(void);

int cs_report_json(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err);
int cs_report_table(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err);

#endif
