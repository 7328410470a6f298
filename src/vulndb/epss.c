/*
 * epss.c - importer for FIRST's EPSS scores (epss_scores-YYYY-MM-DD.csv.gz,
 * or the same CSV uncompressed):
 *
 *   #model_version:v2023.03.01,score_date:2023-06-15T00:00:00+0000
 *   cve,epss,percentile
 *   CVE-1999-0001,0.01042,0.82724
 *
 * Each row goes to sink->epss with the score date (YYYY-MM-DD) from the
 * comment line, or from the file name when the comment is missing (the
 * oldest files have none). Columns are found by the header's names; a
 * file without a header is read as cve,epss,percentile. A gzip (or zstd)
 * file is decompressed whole first, into a buffer capped at
 * CS_EPSS_MAX_TEXT, so a damaged or truncated download is refused before
 * any score is sent.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include "core/buf.h"
#include "core/strutil.h"
#include "core/view.h"
#include "image/decompress.h"

#include <math.h>
#include <strings.h>

/* Largest decompressed EPSS file accepted (the real one is ~10 MB). */
#define CS_EPSS_MAX_TEXT ((size_t)1 << 30)

/* True when text p[0..n) starts like an EPSS CSV. */
static bool looks_epss(const char *p, size_t n)
{
	return (n >= 14 && strncasecmp(p, "#model_version", 14) == 0) || (n >= 8 && strncasecmp(p, "cve,epss", 8) == 0);
}

static bool epss_detect(const char *name, const uint8_t *head, size_t n)
{
	const char *base = cs_feed_base(name);
	cs_comp kind = cs_comp_detect(head, n);
	cs_decomp *d = NULL;
	uint8_t out[64];
	size_t got = 0;
	bool ok = false;

	if (strncasecmp(base, "epss", 4) == 0 &&
	    (cs_feed_ends(base, ".csv") || cs_feed_ends(base, ".csv.gz") || cs_feed_ends(base, ".csv.zst")))
		return true;
	if (kind == CS_COMP_NONE)
		return looks_epss((const char *)head, n);
	/* A compressed file of another name: look at its first bytes. */
	if (cs_decomp_new(&d, kind, NULL) == 0) {
		const uint8_t *in = head;
		size_t left = n;

		while (got < sizeof(out) && left) {
			size_t produced = 0, before = left;

			if (cs_decomp_step(d, &in, &left, out + got, sizeof(out) - got, &produced, NULL) < 0)
				break;
			got += produced;
			if (!produced && left == before)
				break;
		}
		ok = looks_epss((const char *)out, got);
	}
	cs_decomp_free(d);
	return ok;
}

/* Decompresses data[0..len) into b. */
static int inflate_all(cs_buf *b, cs_comp kind, const uint8_t *data, size_t len, const char *name, cs_err *err)
{
	cs_decomp *d = NULL;
	const uint8_t *in = data;
	size_t left = len;
	int rc;

	if ((rc = cs_decomp_new(&d, kind, err)) < 0)
		return rc;
	for (;;) {
		size_t produced = 0, before = left, room;

		if ((rc = cs_buf_grow(b, 1 << 20)) < 0) {
			rc = cs_err_set(err, rc, "'%s': %s", name,
					rc == CS_ELIMIT ? "decompresses to more than 1 GiB" : "out of memory");
			break;
		}
		room = b->cap - b->len - 1; /* keep the terminator's byte */
		if ((rc = cs_decomp_step(d, &in, &left, (uint8_t *)b->data + b->len, room, &produced, err)) < 0) {
			cs_err_prefix(err, "'%s': ", name);
			break;
		}
		b->len += produced;
		b->data[b->len] = '\0';
		if (!left && produced < room) {
			if ((rc = cs_decomp_end(d, err)) < 0)
				cs_err_prefix(err, "'%s': ", name);
			break;
		}
		if (!produced && left == before) {
			rc = cs_err_set(err, CS_EFORMAT, "'%s': decompression makes no progress", name);
			break;
		}
	}
	cs_decomp_free(d);
	return rc;
}

/* A score: a plain decimal within [0, 1]. */
static bool parse_unit(const char *p, size_t n, double *out)
{
	char tmp[40];
	char *end;
	double v;

	if (n == 0 || n >= sizeof(tmp) || !((p[0] >= '0' && p[0] <= '9') || p[0] == '.'))
		return false;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	v = strtod(tmp, &end);
	if (*end || !isfinite(v) || v < 0 || v > 1)
		return false;
	*out = v;
	return true;
}

/* "YYYY-MM-DD" copied from p when it starts with one; NULL otherwise. */
static const char *date_at(cs_arena *a, const char *p, size_t n)
{
	size_t i;

	if (n < 10 || p[4] != '-' || p[7] != '-')
		return NULL;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (p[i] < '0' || p[i] > '9'))
			return NULL;
	return cs_arena_strndup(a, p, 10);
}

/* The date in a file name "epss_scores-2023-06-15.csv.gz", or NULL. */
static const char *name_date(cs_arena *a, const char *name)
{
	const char *base = cs_feed_base(name), *p = strstr(base, "scores-");

	return p ? date_at(a, p + 7, strlen(p + 7)) : NULL;
}

enum { COL_CVE, COL_EPSS, COL_PCT, NCOLS };

static int parse_csv(const char *text, size_t len, const char *name, const cs_vdb_sink *sink, cs_arena *a,
		     cs_err *err)
{
	cs_view v = cs_view_make(text, len);
	cs_feed_report rep;
	const char *line, *date = NULL;
	size_t n, lineno = 0;
	int col[NCOLS] = {0, 1, 2}, ncols = 3;
	bool data_seen = false;
	int rc = 0;

	cs_feed_report_init(&rep, sink, name);
	while (cs_view_line(&v, &line, &n)) {
		const char *f[8];
		size_t fl[8], nf = 0, i, start = 0;
		cs_vdb_epss e;

		lineno++;
		cs_mem_trim(&line, &n);
		if (!n)
			continue;
		if (line[0] == '#') {
			const char *sd = memmem(line, n, "score_date:", 11);

			if (sd && !date)
				date = date_at(a, sd + 11, n - (size_t)(sd + 11 - line));
			continue;
		}
		for (i = 0; i <= n && nf < CS_ARRAY_LEN(f); i++)
			if (i == n || line[i] == ',') {
				f[nf] = line + start;
				fl[nf] = i - start;
				cs_mem_trim(&f[nf], &fl[nf]);
				nf++;
				start = i + 1;
			}
		for (i = 0; !data_seen && i < nf; i++)
			if (fl[i] == 3 && strncasecmp(f[i], "cve", 3) == 0)
				break;
		if (!data_seen && i < nf) {
			/* The header: find the columns by name. */
			col[COL_EPSS] = col[COL_PCT] = -1;
			for (i = 0; i < nf; i++) {
				if (fl[i] == 3 && strncasecmp(f[i], "cve", 3) == 0)
					col[COL_CVE] = (int)i;
				else if (fl[i] == 4 && strncasecmp(f[i], "epss", 4) == 0)
					col[COL_EPSS] = (int)i;
				else if (fl[i] == 10 && strncasecmp(f[i], "percentile", 10) == 0)
					col[COL_PCT] = (int)i;
			}
			if (col[COL_EPSS] < 0)
				return cs_err_set(err, CS_EFORMAT, "'%s': header has no 'epss' column", name);
			ncols = col[COL_PCT] < 0 ? 2 : 3;
			data_seen = true;
			continue;
		}
		data_seen = true;
		if (!date)
			date = name_date(a, name);
		memset(&e, 0, sizeof(e));
		if ((size_t)col[COL_CVE] >= nf || (size_t)col[COL_EPSS] >= nf ||
		    (ncols == 3 && (size_t)col[COL_PCT] >= nf)) {
			cs_feed_bad(&rep, "line %zu: %zu fields, %d expected", lineno, nf, ncols);
			continue;
		}
		if (!cs_feed_is_cve(f[col[COL_CVE]], fl[col[COL_CVE]])) {
			cs_feed_bad(&rep, "line %zu: '%.*s' is not a CVE id", lineno,
				    (int)(fl[col[COL_CVE]] > 40 ? 40 : fl[col[COL_CVE]]), f[col[COL_CVE]]);
			continue;
		}
		if (!parse_unit(f[col[COL_EPSS]], fl[col[COL_EPSS]], &e.score) ||
		    (ncols == 3 && !parse_unit(f[col[COL_PCT]], fl[col[COL_PCT]], &e.percentile))) {
			cs_feed_bad(&rep, "line %zu: scores must be numbers from 0 to 1", lineno);
			continue;
		}
		if (ncols == 2)
			e.percentile = -1; /* not in this file */
		{
			char cve[33];

			memcpy(cve, f[col[COL_CVE]], fl[col[COL_CVE]]);
			cve[fl[col[COL_CVE]]] = '\0';
			e.cve = cve;
			e.date = date;
			if ((rc = sink->epss(sink->payload, &e, err)) < 0)
				return rc;
		}
	}
	cs_feed_report_done(&rep);
	return 0;
}

static int epss_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		       cs_arena *scratch, cs_err *err)
{
	cs_comp kind = cs_comp_detect(data, len);
	cs_buf b;
	int rc;

	if (kind == CS_COMP_NONE)
		return parse_csv((const char *)data, len, name, sink, scratch, err);
	cs_buf_init(&b, CS_EPSS_MAX_TEXT);
	if ((rc = inflate_all(&b, kind, data, len, name, err)) == 0)
		rc = parse_csv(b.data ? b.data : "", b.len, name, sink, scratch, err);
	cs_buf_release(&b);
	return rc;
}

const cs_vdb_importer cs_importer_epss = {"epss", epss_detect, epss_import, false};
