/*
 * junit.c - JUnit XML for CI test dashboards (Jenkins, GitLab, Azure...).
 *
 * One <testsuite> per package target, grouped as the Trivy JSON groups
 * them (report/targets.h: the OS packages, each language kind or file),
 * one for secrets, one for misconfigurations, and, when a gate or policy
 * ran, one for the policy: each rule that fired (a failure for STOP, a
 * passing testcase with its message for WARN and GO) and the verdict.
 * Every finding is a failing <testcase>; a suppressed one (present with
 * --show-suppressed) a skipped testcase that says why; a target without
 * findings gets one passing testcase, so the dashboard shows what was
 * checked. Suites exist only for the scanners that ran. The shape
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

static void suite_open(FILE *out, const char *name, size_t tests, size_t failures, size_t skipped,
		       const char *timestamp)
{
	fputs("  <testsuite", out);
	attr(out, "name", name);
	attr_n(out, "tests", tests);
	attr_n(out, "failures", failures);
	fputs(" errors=\"0\"", out);
	attr_n(out, "skipped", skipped);
	fputs(" time=\"0\"", out);
	attr(out, "timestamp", timestamp);
	fputs(">\n", out);
}

/*
 * A suppressed finding's verdict: <skipped message="suppressed by KIND:
 * REASON"/> and the testcase's end. Dashboards count it as skipped, neither
 * passed nor failed, and show the message.
 */
static void skipped(FILE *out, const cs_suppression *u)
{
	fputs(">\n      <skipped message=\"suppressed (", out);
	cs_rutil_xml_escape(out, u->kind);
	fputs(")", out);
	if (u->reason && *u->reason) {
		fputs(": ", out);
		cs_rutil_xml_escape(out, u->reason);
	}
	if (u->source && *u->source) {
		fputs(" [", out);
		cs_rutil_xml_escape(out, u->source);
		fputc(']', out);
	}
	fputs("\"/>\n    </testcase>\n", out);
}

/* How many of the findings are suppressed (the skipped testcases). */
static size_t skipped_vulns(const cs_vuln *const *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += v[i]->suppressed.kind != NULL;
	return k;
}

static size_t skipped_secrets(const cs_secret *const *f, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += f[i]->suppressed.kind != NULL;
	return k;
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
	fputs("\" time=\"0\"", out);
	if (v->suppressed.kind) {
		skipped(out, &v->suppressed);
		return;
	}
	fputs(">\n      <failure message=\"", out);
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
	size_t i, nskip;

	nskip = skipped_vulns(t->vulns, t->nvulns);
	suite_open(out, t->name, t->nvulns ? t->nvulns : 1, t->nvulns - nskip, nskip, timestamp);
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
	fprintf(out, ":%llu\" time=\"0\"", (unsigned long long)f->line);
	if (f->suppressed.kind) {
		skipped(out, &f->suppressed);
		return;
	}
	fputs(">\n      <failure", out);
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

static void secret_suite(FILE *out, const cs_scan *s, const cs_rtargets *ts, size_t nsecrets, size_t nskip,
			 const char *timestamp)
{
	size_t i, j;

	suite_open(out, "secrets", nsecrets ? nsecrets : 1, nsecrets - nskip, nskip, timestamp);
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

/* "[HIGH] CS-DF-002 Dockerfile:5", "[HIGH] CS-IMG-001 config:User", "[LOW] CS-IMG-003" */
static void misconfig_case(FILE *out, const cs_scan *s, const cs_misconfig *m)
{
	const char *sev = cs_rtarget_severity(m->severity);
	char num[32];

	fputs("    <testcase", out);
	attr(out, "classname", m->dockerfile ? m->dockerfile : cs_scan_artifact(s)->name);
	fputs(" name=\"[", out);
	cs_rutil_xml_escape(out, sev);
	fputs("] ", out);
	cs_rutil_xml_escape(out, m->id);
	if (m->dockerfile) {
		fputc(' ', out);
		cs_rutil_xml_escape(out, m->dockerfile);
		if (m->line)
			fprintf(out, ":%llu", (unsigned long long)m->line);
	} else if (m->path && *m->path) {
		fputc(' ', out);
		cs_rutil_xml_escape(out, m->path);
	}
	fputs("\" time=\"0\"", out);
	if (m->suppressed.kind) {
		skipped(out, &m->suppressed);
		return;
	}
	fputs(">\n      <failure", out);
	attr(out, "message", m->message && *m->message ? m->message : m->title);
	attr(out, "type", sev);
	fputc('>', out);
	line(out, "Check", m->id);
	line(out, "Title", m->title);
	line(out, "Severity", sev);
	line(out, "CIS Docker Benchmark", m->cis);
	line(out, "Message", m->message);
	if (m->dockerfile) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)m->line);
		line(out, "Dockerfile", m->dockerfile);
		line(out, "Line", m->line ? num : NULL);
	}
	line(out, "Path", m->path);
	layer_line(out, s, "Layer", m->layer);
	line(out, "Description", m->description);
	line(out, "Resolution", m->resolution);
	fputs("</failure>\n    </testcase>\n", out);
}

static void misconfig_suite(FILE *out, const cs_scan *s, size_t nskip, const char *timestamp)
{
	size_t n = cs_scan_misconfig_count(s), i;

	suite_open(out, "misconfigurations", n ? n : 1, n - nskip, nskip, timestamp);
	fputs("    <properties>\n", out);
	property(out, "artifact", cs_scan_artifact(s)->name);
	property(out, "class", "config");
	fputs("    </properties>\n", out);
	for (i = 0; i < n; i++)
		misconfig_case(out, s, cs_scan_misconfig(s, i));
	if (!n) {
		fputs("    <testcase", out);
		attr(out, "classname", cs_scan_artifact(s)->name);
		fputs(" name=\"no misconfigurations found\" time=\"0\"/>\n", out);
	}
	fputs("  </testsuite>\n", out);
}

static bool is_stop(const cs_policy_hit *h)
{
	return h->action && !strcmp(h->action, "stop");
}

/* A policy action as policies write it: STOP, WARN, GO. */
static const char *action_word(const char *action)
{
	if (!action)
		return "?";
	return !strcmp(action, "stop")	 ? "STOP"
	       : !strcmp(action, "warn") ? "WARN"
	       : !strcmp(action, "go")	 ? "GO"
					 : action;
}

/*
 * The policy: one testcase per rule that fired, "[STOP] RULE (GATE/TRIGGER)",
 * failing for STOP and passing with the message as system-out for WARN and
 * GO, then the verdict, failing when it is "fail".
 */
static void policy_suite(FILE *out, const cs_scan *s, const cs_policy_result *r, size_t failures,
			 const char *timestamp)
{
	bool fail = r->verdict && !strcmp(r->verdict, "fail");
	size_t i;

	suite_open(out, "policy", r->nhits + 1, failures, 0, timestamp);
	fputs("    <properties>\n", out);
	property(out, "artifact", cs_scan_artifact(s)->name);
	property(out, "policy", r->name);
	property(out, "verdict", r->verdict);
	fputs("    </properties>\n", out);
	for (i = 0; i < r->nhits; i++) {
		const cs_policy_hit *h = &r->hits[i];

		fputs("    <testcase", out);
		attr(out, "classname", r->name);
		fputs(" name=\"[", out);
		cs_rutil_xml_escape(out, action_word(h->action));
		fputs("] ", out);
		cs_rutil_xml_escape(out, h->rule);
		fputs(" (", out);
		cs_rutil_xml_escape(out, h->gate);
		fputc('/', out);
		cs_rutil_xml_escape(out, h->trigger);
		fputs(")\" time=\"0\">\n", out);
		if (is_stop(h)) {
			fputs("      <failure", out);
			attr(out, "message", h->message && *h->message ? h->message : h->rule);
			fputs(" type=\"STOP\">", out);
		} else {
			fputs("      <system-out>", out);
		}
		line(out, "Rule", h->rule);
		line(out, "Gate", h->gate);
		line(out, "Trigger", h->trigger);
		line(out, "Action", h->action);
		line(out, "Message", h->message);
		fputs(is_stop(h) ? "</failure>\n" : "</system-out>\n", out);
		fputs("    </testcase>\n", out);
	}
	fputs("    <testcase", out);
	attr(out, "classname", r->name);
	fputs(" name=\"verdict\" time=\"0\">\n", out);
	if (fail) {
		fputs("      <failure message=\"the image fails the policy", out);
		if (r->name) {
			fputs(" ", out);
			cs_rutil_xml_escape(out, r->name);
		}
		fputs("\" type=\"FAIL\">", out);
	} else {
		fputs("      <system-out>", out);
	}
	line(out, "Policy", r->name);
	line(out, "Verdict", r->verdict);
	fprintf(out, "Rules fired: %zu\n", r->nhits);
	fputs(fail ? "</failure>\n" : "</system-out>\n", out);
	fputs("    </testcase>\n  </testsuite>\n", out);
}

int cs_report_junit(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	cs_rtargets ts;
	char timestamp[32];
	size_t i, tests = 0, failures = 0, nsecrets = 0, nskip_secrets = 0, nskip_config = 0, npolicy_fail = 0, nskip;
	size_t nmis = cs_scan_misconfig_count(s);
	bool secrets = cs_scan_secrets_ran(s), config = cs_scan_config_ran(s) || nmis > 0;
	const cs_policy_result *pol = cs_scan_policy(s);
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
			nskip_secrets += skipped_secrets(t->secrets, t->nsecrets);
			continue;
		}
		if (t->cls == CS_RTARGET_CONFIG)
			continue;
		nskip = skipped_vulns(t->vulns, t->nvulns);
		tests += t->nvulns ? t->nvulns : 1;
		failures += t->nvulns - nskip;
	}
	if (secrets) {
		tests += nsecrets ? nsecrets : 1;
		failures += nsecrets - nskip_secrets;
	}
	if (config) {
		for (i = 0; i < nmis; i++)
			nskip_config += cs_scan_misconfig(s, i)->suppressed.kind != NULL;
		tests += nmis ? nmis : 1;
		failures += nmis - nskip_config;
	}
	if (pol) {
		for (i = 0; i < pol->nhits; i++)
			npolicy_fail += is_stop(&pol->hits[i]);
		npolicy_fail += pol->verdict && !strcmp(pol->verdict, "fail");
		tests += pol->nhits + 1;
		failures += npolicy_fail;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"customs\"", out);
	attr_n(out, "tests", tests);
	attr_n(out, "failures", failures);
	fputs(" errors=\"0\" time=\"0\">\n", out);
	for (i = 0; i < ts.len; i++)
		if (ts.items[i].cls == CS_RTARGET_OS || ts.items[i].cls == CS_RTARGET_LANG)
			package_suite(out, s, &ts.items[i], timestamp);
	if (secrets)
		secret_suite(out, s, &ts, nsecrets, nskip_secrets, timestamp);
	if (config)
		misconfig_suite(out, s, nskip_config, timestamp);
	if (pol)
		policy_suite(out, s, pol, npolicy_fail, timestamp);
	fputs("</testsuites>\n", out);
	cs_rtargets_release(&ts);
	if (ferror(out))
		return cs_err_set(err, CS_EIO, "cannot write the report");
	return 0;
}
