/*
 * fuzz_sbom.c - libFuzzer target for SBOM input (src/sbom/: CycloneDX and
 * SPDX JSON, and the purl parser behind them).
 *
 * The input is read as an SBOM under limits small enough to keep each run
 * cheap, and what cs_sbom_scan_mem promises is checked: success gives a
 * scan whose every package has a type, a name, a version, a source and a
 * purl that parses again to the same canonical string, and an OS (when
 * any) with a family; failure gives no scan and a one-line message naming
 * the input. The scan then goes through every report writer, as `customs
 * sbom` would send it. A crash, a sanitizer report or a broken promise
 * (abort) is a bug. Seeds: corpus/sbom/.
 */
#include "core/compat.h"
#include "sbom/sbom.h"

#include "core/log.h"
#include "core/purl.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool filled(const char *s)
{
	return s && *s;
}

static void check_package(const cs_package *p)
{
	cs_arena a;
	cs_purl u;
	cs_err err;
	char *again = NULL;

	if (!filled(p->type) || !filled(p->name) || !filled(p->version) || !filled(p->source_name) ||
	    !filled(p->source_version) || !filled(p->purl) || p->layer != -1)
		abort();
	cs_arena_init(&a);
	cs_err_clear(&err);
	if (cs_purl_parse(&u, &a, p->purl, strlen(p->purl), &err) < 0 || cs_purl_build(&again, &a, &u, &err) < 0 ||
	    strcmp(again, p->purl) != 0)
		abort();
	cs_arena_release(&a);
}

static void write_reports(const cs_scan *s)
{
	const cs_report_writer *w;
	cs_report_opts ro;
	FILE *out = fopen("/dev/null", "w");
	size_t i;

	if (!out)
		return;
	memset(&ro, 0, sizeof(ro));
	ro.width = 80;
	ro.now = 1700000000;
	for (i = 0; (w = cs_report_at(i)) != NULL; i++) {
		cs_err err;

		cs_err_clear(&err);
		w->write(out, s, &ro, &err);
	}
	fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_scan_opts o;
	cs_scan *s = NULL;
	cs_err err;
	size_t i;
	int rc;

	cs_log_set_level(CS_LOG_ERROR);
	cs_scan_opts_default(&o);
	o.limits.max_sbom_values = 200000;
	o.limits.max_sbom_packages = 20000;
	cs_err_clear(&err);
	rc = cs_sbom_scan_mem(&s, "fuzz.json", (const char *)data, size, &o, &err);
	if (rc < 0) {
		if (s || !strstr(err.msg, "fuzz.json") || strchr(err.msg, '\n') ||
		    (rc != CS_EFORMAT && rc != CS_ELIMIT && rc != CS_ENOMEM))
			abort();
		return 0;
	}
	if (!s)
		abort();
	for (i = 0; i < cs_scan_package_count(s); i++)
		check_package(cs_scan_package(s, i));
	if (cs_scan_os(s) && !filled(cs_scan_os(s)->family))
		abort();
	if (!filled(cs_scan_artifact(s)->name) || strcmp(cs_scan_artifact(s)->type, "sbom") != 0)
		abort();
	write_reports(s);
	cs_scan_free(s);
	return 0;
}
