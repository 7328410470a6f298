/*
 * junit.c - JUnit XML for CI test dashboards (Jenkins, GitLab, Azure...).
 *
 * One <testsuite> per package target, grouped as the Trivy JSON groups
 * them (report/targets.h: the OS packages, each language kind or file),
 * and one for secrets. Every finding is a failing <testcase>; a target
 * without findings gets one passing testcase, so the dashboard shows what
 * was checked. Suites exist only for the scanners that ran. The shape
 * follows the Jenkins xunit plugin's junit-10 schema (the widely used
 * one; JUnit itself has none): required attributes present, no other
 * attributes, times as plain numbers. Every value goes through
 * cs_rutil_xml_escape, attributes included.
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "report/targets.h"

/* Writes ` name="value"`, value escaped. */
static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	cs_rutil_xml_escape(out, value ? value : "");
	fputc('"', out);
}

static void attr_n(FILE *out, const char *name, size_t value)
{
	fprintf(out, " %s=\"%zu\"", name, value);
}

static void property(FILE *out, const char *name, const char *value)
{
	fputs("      <property", out);
	attr(out, "name", name);
	attr(out, "value", value);
	fputs("/>\n", out);
}

/* One "Label: value" line of a failure's text; nothing when value is empty. */
static void line(FILE *out, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	fprintf(out, "%s: ", label);
	cs_rutil_xml_escape(out, value);
	fputc('\n', out);
}

/* "Layer: 2 sha256:... (RUN apt-get ...)", or nothing without a layer. */
static void layer_line(FILE *out, const cs_scan *s, const char *label, int index)
{
	const cs_layer *l = cs_rtarget_layer(s, index);
	const char *by;

	if (!l)
		return;
	fprintf(out, "%s: %d ", label, l->index);
	cs_rutil_xml_escape(out, l->diff_id);
	if ((by = cs_rtarget_created_by(l->created_by)) != NULL && *by) {
		fputs(" (", out);
		cs_rutil_xml_escape(out, by);
		fputc(')', out);
	}
	fputc('\n', out);
}

static void suite_open(FILE *out, const char *name, size_t tests, size_t failures, const char *timestamp)
{
	fputs("  <testsuite", out);
	attr(out, "name", name);
	attr_n(out, "tests", tests);
	attr_n(out, "failures", failures);
	fputs(" errors=\"0\" skipped=\"0\" time=\"0\"", out);
	attr(out, "timestamp", timestamp);
	fputs(">\n", out);
}

static void vuln_case(FILE *out, const cs_scan *s, const cs_rtarget *t, const cs_vuln *v)
{
	const cs_package *p = v->package;
	const char *sev = cs_rtarget_severity(v->severity);

	fputs("    <testcase", out);
	attr(out, "classname", p->found_in && *p->found_in ? p->found_in : t->name);
	fputs(" name=\"[", out);
	cs_rutil_xml_escape(out, sev);
	fputs("] ", out);
	cs_rutil_xml_escape(out, v->id);
	fputc(' ', out);
	cs_rutil_xml_escape(out, p->name);
	fputc(' ', out);
	cs_rutil_xml_escape(out, p->version);
	fputs("\" time=\"0\">\n      <failure message=\"", out);
	if (v->title && *v->title) {
		cs_rutil_xml_escape(out, v->title);
	} else {
		cs_rutil_xml_escape(out, v->id);
		fputs(" in ", out);
		cs_rutil_xml_escape(out, p->name);
		fputc(' ', out);
		cs_rutil_xml_escape(out, p->version);
	}
	fputc('"', out);
	attr(out, "type", sev);
	fputc('>', out);
	line(out, "Vulnerability", v->id);
	line(out, "Package", p->name);
	line(out, "Installed version", p->version);
	line(out, "Fixed version", v->fixed_version && *v->fixed_version ? v->fixed_version : "none");
	line(out, "Status", v->status);
	line(out, "Severity", sev);
	line(out, "Title", v->title);
	line(out, "Found in", p->found_in);
	layer_line(out, s, "Layer", p->layer);
	line(out, "Reference", v->nreferences ? v->references[0] : NULL);
	fputs("</failure>\n    </testcase>\n", out);
}

static void package_suite(FILE *out, const cs_scan *s, const cs_rtarget *t, const char *timestamp)
{
	char count[32];
	size_t i;

	suite_open(out, t->name, t->nvulns ? t->nvulns : 1, t->nvulns, timestamp);
	snprintf(count, sizeof(count), "%zu", t->npkgs);
	fputs("    <properties>\n", out);
	property(out, "artifact", cs_scan_artifact(s)->name);
	property(out, "class", cs_rtarget_class_name(t->cls));
	property(out, "type", t->type);
	property(out, "packages", count);
	fputs("    </properties>\n", out);
	for (i = 0; i < t->nvulns; i++)
		vuln_case(out, s, t, t->vulns[i]);
	if (!t->nvulns) {
		fputs("    <testcase", out);
		attr(out, "classname", t->name);
		fprintf(out, " name=\"no known vulnerabilities in %zu package%s\" time=\"0\"/>\n", t->npkgs,
			t->npkgs == 1 ? "" : "s");
	}
	fputs("  </testsuite>\n", out);
}

static void secret_case(FILE *out, const cs_scan *s, const cs_rtarget *t, const cs_secret *f)
{
	const char *sev = cs_rtarget_severity(f->severity);
	char where[64];

	fputs("    <testcase", out);
	attr(out, "classname", t->name);
	fputs(" name=\"[", out);
	cs_rutil_xml_escape(out, sev);
	fputs("] ", out);
	cs_rutil_xml_escape(out, f->rule_id);
	fputc(' ', out);
	cs_rutil_xml_escape(out, t->name);
	fprintf(out, ":%llu\" time=\"0\">\n      <failure", (unsigned long long)f->line);
	attr(out, "message", f->title);
	attr(out, "type", sev);
	fputc('>', out);
	line(out, "Rule", f->rule_id);
	line(out, "Category", f->category);
	line(out, "Severity", sev);
	line(out, "Title", f->title);
	line(out, "File", t->name);
	snprintf(where, sizeof(where), "%llu:%llu", (unsigned long long)f->line, (unsigned long long)f->column);
	line(out, "Line", where);
	line(out, "Match", f->match);
	layer_line(out, s, "Layer", f->layer);
	layer_line(out, s, "Removed in layer", f->removed_in);
	fputs("</failure>\n    </testcase>\n", out);
}

static void secret_suite(FILE *out, const cs_scan *s, const cs_rtargets *ts, size_t nsecrets, const char *timestamp)
{
	size_t i, j;

	suite_open(out, "secrets", nsecrets ? nsecrets : 1, nsecrets, timestamp);
	fputs("    <properties>\n", out);
	property(out, "artifact", cs_scan_artifact(s)->name);
	property(out, "class", "secret");
	fputs("    </properties>\n", out);
	for (i = 0; i < ts->len; i++)
		for (j = 0; j < ts->items[i].nsecrets; j++)
			secret_case(out, s, &ts->items[i], ts->items[i].secrets[j]);
	if (!nsecrets) {
		fputs("    <testcase", out);
		attr(out, "classname", cs_scan_artifact(s)->name);
		fputs(" name=\"no secrets found\" time=\"0\"/>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

int cs_report_junit(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	cs_rtargets ts;
	char timestamp[32];
	size_t i, tests = 0, failures = 0, nsecrets = 0;
	bool secrets = cs_scan_secrets_ran(s);
	int code;

	if ((code = cs_rtargets_build(&ts, s, err)) < 0) {
		cs_rtargets_release(&ts);
		return code;
	}
	/* Ant's form: local time without a zone; ours is UTC */
	cs_rutil_time(o->now, timestamp, sizeof(timestamp));
	timestamp[strcspn(timestamp, "Z")] = '\0';
	for (i = 0; i < ts.len; i++) {
		const cs_rtarget *t = &ts.items[i];

		if (t->cls == CS_RTARGET_SECRET) {
			nsecrets += t->nsecrets;
			continue;
		}
		tests += t->nvulns ? t->nvulns : 1;
		failures += t->nvulns;
	}
	if (secrets) {
		tests += nsecrets ? nsecrets : 1;
		failures += nsecrets;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"customs\"", out);
	attr_n(out, "tests", tests);
	attr_n(out, "failures", failures);
	fputs(" errors=\"0\" time=\"0\">\n", out);
	for (i = 0; i < ts.len; i++)
		if (ts.items[i].cls != CS_RTARGET_SECRET)
			package_suite(out, s, &ts.items[i], timestamp);
	if (secrets)
		secret_suite(out, s, &ts, nsecrets, timestamp);
	fputs("</testsuites>\n", out);
	cs_rtargets_release(&ts);
	if (ferror(out))
		return cs_err_set(err, CS_EIO, "cannot write the report");
	return 0;
}
