/*
 * table.c - the human report: the image, its layers with the step that
 * made each, the packages grouped by the layer that introduced them, and
 * the findings (vulnerabilities, secrets, misconfigurations) per layer.
 * Wide values are cut to fit the terminal (80 columns when unknown).
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "base/base.h"

typedef struct tbl {
	FILE *out;
	bool color;
	int width;
} tbl;

static const char *bold(const tbl *t) { return t->color ? "\033[1m" : ""; }
static const char *dim(const tbl *t) { return t->color ? "\033[2m" : ""; }
static const char *reset(const tbl *t) { return t->color ? "\033[0m" : ""; }

/* Prints one character, with controls (newlines, escapes) from the image made harmless. */
static void put_safe(const tbl *t, char c)
{
	fputc((unsigned char)c < 0x20 || c == 0x7f ? ' ' : c, t->out);
}

/* Prints s in exactly n columns (bytes), ending in "..." when cut. */
static void put_cut(const tbl *t, const char *s, int n)
{
	int len, i;

	if (!s)
		s = "-";
	len = (int)strlen(s);
	if (n < 4 || len <= n) {
		for (i = 0; i < len; i++)
			put_safe(t, s[i]);
		for (; i < n; i++)
			fputc(' ', t->out);
		return;
	}
	for (i = 0; i < n - 3; i++)
		put_safe(t, s[i]);
	fputs("...", t->out);
}

/*
 * Prints s in at most n columns with nothing after it (the last column:
 * no trailing spaces), cut in the middle when long: for paths, whose both
 * ends matter ("opt/vendor/...ent-00/config.json").
 */
static void put_last_mid(const tbl *t, const char *s, int n)
{
	int len, i, head, tail;

	if (!s)
		s = "-";
	len = (int)strlen(s);
	if (n < 8 || len <= n) {
		for (i = 0; i < len && (n < 8 || i < n); i++)
			put_safe(t, s[i]);
		return;
	}
	head = (n - 3) / 2;
	tail = n - 3 - head;
	for (i = 0; i < head; i++)
		put_safe(t, s[i]);
	fputs("...", t->out);
	for (i = len - tail; i < len; i++)
		put_safe(t, s[i]);
}

static void human_size(uint64_t n, char *buf, size_t sz)
{
	const char *units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)n;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, sz, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

static size_t count_in_layer(const cs_scan *s, int layer)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_package_count(s); i++)
		if (cs_scan_package(s, i)->layer == layer)
			n++;
	return n;
}

static void header(const tbl *t, const cs_scan *s)
{
	const cs_artifact *a = cs_scan_artifact(s);
	const cs_os *os = cs_scan_os(s);

	fprintf(t->out, "%s%s%s (%s)\n", bold(t), a->name, reset(t), a->type);
	if (a->image_id)
		fprintf(t->out, "  Image ID  %s\n", a->image_id);
	if (a->nrepo_tags)
		fprintf(t->out, "  Tags      %s%s\n", a->repo_tags[0], a->nrepo_tags > 1 ? " ..." : "");
	if (a->os && a->arch)
		fprintf(t->out, "  Platform  %s/%s%s%s\n", a->os, a->arch, a->variant ? "/" : "",
			a->variant ? a->variant : "");
	if (os)
		fprintf(t->out, "  OS        %s %s%s%s%s\n", os->family ? os->family : "unknown",
			os->version ? os->version : "", os->name ? " (" : "", os->name ? os->name : "",
			os->name ? ")" : "");
	else
		fprintf(t->out, "  OS        not detected\n");
}

static void layers(const tbl *t, const cs_scan *s)
{
	size_t i;
	int step_w = t->width - 27;

	fprintf(t->out, "\n%sLayers%s\n", bold(t), reset(t));
	fprintf(t->out, "%s  #  %-9s  %-8s  %s%s\n", dim(t), "SIZE", "PACKAGES", "CREATED BY", reset(t));
	for (i = 0; i < cs_scan_layer_count(s); i++) {
		const cs_layer *l = cs_scan_layer(s, i);
		char size[32];

		human_size(l->tar_size, size, sizeof(size));
		fprintf(t->out, "%3zu  %-9s  %-8zu  ", i, size, count_in_layer(s, (int)i));
		put_cut(t, cs_rutil_short_step(l->created_by), step_w);
		fputc('\n', t->out);
	}
}

/*
 * The heading of a layer's group: "Layer N" and its history step, or, for
 * findings of no layer (layer < 0) when unlayered is given, that title.
 */
static void layer_heading(const tbl *t, const cs_scan *s, int layer, const char *unlayered)
{
	const cs_layer *l = layer >= 0 ? cs_scan_layer(s, (size_t)layer) : NULL;

	if (layer < 0 && unlayered) {
		fprintf(t->out, "\n%s%s%s\n", bold(t), unlayered, reset(t));
		return;
	}
	fprintf(t->out, "\n%sLayer %d%s", bold(t), layer, reset(t));
	if (l && l->created_by) {
		fputs("  ", t->out);
		put_cut(t, cs_rutil_short_step(l->created_by), t->width - 20);
	}
	fputc('\n', t->out);
}

static void packages(const tbl *t, const cs_scan *s)
{
	size_t n = cs_scan_package_count(s), i, nl = cs_scan_is_rootfs(s) ? 1 : cs_scan_layer_count(s);
	int name_w = 26, ver_w = 24, arch_w = 6, src_w = t->width - name_w - ver_w - arch_w - 8;
	size_t li;

	fprintf(t->out, "\n%sPackages (%zu)%s\n", bold(t), n, reset(t));
	if (!n)
		return;
	/* Layers in order; packages of unknown layer (-1) last. */
	for (li = 0; li <= nl; li++) {
		int layer = li < nl ? (int)li : -1;
		size_t cnt = count_in_layer(s, layer);

		if (!cnt)
			continue;
		if (!cs_scan_is_rootfs(s))
			layer_heading(t, s, layer, NULL);
		fprintf(t->out, "%s  %-*s %-*s %-*s %s%s\n", dim(t), name_w, "NAME", ver_w, "VERSION", arch_w,
			"ARCH", "SOURCE", reset(t));
		for (i = 0; i < n; i++) {
			const cs_package *p = cs_scan_package(s, i);

			if (p->layer != layer)
				continue;
			fputs("  ", t->out);
			put_cut(t, p->name, name_w);
			fputc(' ', t->out);
			put_cut(t, p->version, ver_w);
			fputc(' ', t->out);
			put_cut(t, p->arch, arch_w);
			fputc(' ', t->out);
			if (p->source_name && p->name && strcmp(p->source_name, p->name))
				put_cut(t, p->source_name, src_w);
			fputc('\n', t->out);
		}
	}
}

/* By cs_severity_rank: unknown 0 .. critical 5. */
static const char *const sev_names[] = {"UNKNOWN", "NEGLIGIBLE", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

static const char *rank_color(const tbl *t, int rank)
{
	if (!t->color)
		return "";
	switch (rank) {
	case 5: return "\033[1;31m";
	case 4: return "\033[31m";
	case 3: return "\033[33m";
	case 2: return "\033[34m";
	default: return "\033[2m";
	}
}

static const char *sev_color(const tbl *t, const char *sev)
{
	return rank_color(t, cs_severity_rank(sev));
}

/* Findings grouped by the layer of their package, worst first (the scan's order). */
static void vulns(const tbl *t, const cs_scan *s)
{
	size_t n = cs_scan_vuln_count(s), i, fixable = 0;
	/* GHSA ids are 19 characters: the widest id that must never be cut */
	int layer = -2, id_w = 19, pkg_w = 21, ver_w = 14, fix_w = t->width - id_w - pkg_w - ver_w - 15;

	for (i = 0; i < n; i++)
		fixable += cs_scan_vuln(s, i)->fixed_version != NULL;
	fprintf(t->out, "\n%sVulnerabilities (%zu)%s", bold(t), n, reset(t));
	if (n)
		fprintf(t->out, "  %zu with a fixed version", fixable);
	fputc('\n', t->out);
	for (i = 0; i < n; i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);
		int r = cs_severity_rank(v->severity);

		if (v->package->layer != layer) {
			layer = v->package->layer;
			layer_heading(t, s, layer, NULL);
			fprintf(t->out, "%s  %-8s %-*s %-*s %-*s %s%s\n", dim(t), "SEVERITY", id_w, "ID", pkg_w, "PACKAGE",
				ver_w, "INSTALLED", "FIXED", reset(t));
		}
		fprintf(t->out, "  %s%-8s%s ", sev_color(t, v->severity), sev_names[r], reset(t));
		put_cut(t, v->id, id_w);
		fputc(' ', t->out);
		put_cut(t, v->package->name, pkg_w);
		fputc(' ', t->out);
		put_cut(t, v->installed_version, ver_w);
		fputc(' ', t->out);
		put_last_mid(t, v->fixed_version ? v->fixed_version : v->status, fix_w);
		fputc('\n', t->out);
	}
}

/* Secrets per layer (the config first), each with where it is and, when hidden, which layer hid it. */
static void secrets(const tbl *t, const cs_scan *s)
{
	size_t n = cs_scan_secret_count(s), i;
	int layer = -2, sev_w = 8, rule_w = 26, where_w = t->width - sev_w - rule_w - 6;

	fprintf(t->out, "\n%sSecrets (%zu)%s\n", bold(t), n, reset(t));
	for (i = 0; i < n; i++) {
		const cs_secret *f = cs_scan_secret(s, i);
		char where[4096];

		if (f->layer != layer) {
			layer = f->layer;
			layer_heading(t, s, layer, cs_scan_is_rootfs(s) ? "Files" : "Image config");
		}
		fprintf(t->out, "  %s%-*s%s ", sev_color(t, f->severity), sev_w, sev_names[cs_severity_rank(f->severity)],
			reset(t));
		put_cut(t, f->rule_id, rule_w);
		fputc(' ', t->out);
		if (f->removed_in >= 0)
			snprintf(where, sizeof(where), "%s:%llu (removed in layer %d)", f->path,
				 (unsigned long long)f->line, f->removed_in);
		else
			snprintf(where, sizeof(where), "%s:%llu", f->path, (unsigned long long)f->line);
		put_last_mid(t, where, where_w);
		fprintf(t->out, "\n  %s%*s", dim(t), sev_w + 1, "");
		put_last_mid(t, f->match, t->width - sev_w - 4);
		fprintf(t->out, "%s\n", reset(t));
	}
}

/* Prints s whole, or cut to n columns when longer; no padding. */
static void put_upto(const tbl *t, const char *s, int n)
{
	int len = (int)strlen(s);

	put_cut(t, s, len < n ? len : n);
}

/*
 * The base image: what it is, whether its OS is past end of life, which
 * layers it made and how many findings rebuilding on a patched base fixes.
 */
static void base_block(const tbl *t, const cs_scan *s)
{
	const cs_base *b = cs_scan_base(s);
	const char *name = b->name ? b->name : "unknown";
	cs_base_split sp;

	fprintf(t->out, "\n%sBase image%s\n  Name      ", bold(t), reset(t));
	put_upto(t, name, t->width - 40);
	fprintf(t->out, " (%s%s)\n", b->method ? b->method : "boundary unknown",
		b->method && !strcmp(b->method, "catalog") ? (b->approved ? ", approved" : ", not approved") : "");
	if (b->os) {
		fputs("  OS        ", t->out);
		put_upto(t, b->os, t->width - 50);
		if (b->eol > 0)
			fprintf(t->out, ", %sEND OF LIFE%s (support ended %s)", rank_color(t, 4), reset(t), b->eol_date);
		else if (b->eol == 0)
			fprintf(t->out, ", supported until %s", b->eol_date);
		else
			fputs(", end of life unknown", t->out);
		fputc('\n', t->out);
	}
	if (b->last_layer >= 0)
		fprintf(t->out, "  Layers    %d-%d of %zu\n", b->first_layer, b->last_layer, cs_scan_layer_count(s));
	if (cs_scan_matched(s) && b->last_layer >= 0) {
		cs_base_split_vulns(s, b, &sp);
		fprintf(t->out, "  %zu of %zu vulnerabilities come from the base; rebuilding on a patched base fixes %zu\n",
			sp.base, sp.base + sp.application, sp.fixed_by_rebuild);
	}
}

/* Heading of the layer -1 group: the config, the Dockerfile, or both. */
static const char *unlayered_heading(const cs_scan *s)
{
	size_t i, df = 0, n = 0;

	if (cs_scan_is_rootfs(s))
		return "Files";
	for (i = 0; i < cs_scan_misconfig_count(s); i++)
		if (cs_scan_misconfig(s, i)->layer < 0) {
			n++;
			df += cs_scan_misconfig(s, i)->dockerfile != NULL;
		}
	return df == 0 ? "Image config" : df == n ? "Dockerfile" : "Image config and Dockerfile";
}

/*
 * Misconfigurations per layer (config and Dockerfile first), worst first:
 * severity, id and where (the path, the Dockerfile line, else the title);
 * what was found below.
 */
static void misconfigs(const tbl *t, const cs_scan *s)
{
	size_t n = cs_scan_misconfig_count(s), i;
	int layer = -2, sev_w = 8, id_w = 10, where_w = t->width - sev_w - id_w - 4;

	fprintf(t->out, "\n%sMisconfigurations (%zu)%s\n", bold(t), n, reset(t));
	for (i = 0; i < n; i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);
		char where[4096];

		if (m->layer != layer) {
			layer = m->layer;
			layer_heading(t, s, layer, unlayered_heading(s));
		}
		fprintf(t->out, "  %s%-*s%s ", sev_color(t, m->severity), sev_w, sev_names[cs_severity_rank(m->severity)],
			reset(t));
		put_cut(t, m->id, id_w);
		fputc(' ', t->out);
		if (m->dockerfile)
			snprintf(where, sizeof(where), "%s:%llu", m->dockerfile, (unsigned long long)m->line);
		else
			snprintf(where, sizeof(where), "%s", m->path ? m->path : m->title ? m->title : "-");
		put_last_mid(t, where, where_w);
		fprintf(t->out, "\n  %s%*s", dim(t), sev_w + 1, "");
		put_last_mid(t, m->message ? m->message : m->title, t->width - sev_w - 4);
		fprintf(t->out, "%s\n", reset(t));
	}
}

/*
 * The last lines: what was scanned, then every finding counted by kind and
 * by severity, worst first, so a CI log's tail says it all.
 */
static void summary(const tbl *t, const cs_scan *s)
{
	size_t counts[6] = {0}, i,
	       total = cs_scan_vuln_count(s) + cs_scan_secret_count(s) + cs_scan_misconfig_count(s);
	int r;
	bool first = true;

	fprintf(t->out, "\n%zu packages", cs_scan_package_count(s));
	if (!cs_scan_is_rootfs(s))
		fprintf(t->out, " in %zu layers", cs_scan_layer_count(s));
	if (cs_scan_error_count(s))
		fprintf(t->out, ", %zu errors", cs_scan_error_count(s));
	fputc('\n', t->out);
	if (!cs_scan_matched(s) && !cs_scan_secrets_ran(s) && !cs_scan_config_ran(s))
		return;
	for (i = 0; i < cs_scan_vuln_count(s); i++)
		counts[cs_severity_rank(cs_scan_vuln(s, i)->severity)]++;
	for (i = 0; i < cs_scan_secret_count(s); i++)
		counts[cs_severity_rank(cs_scan_secret(s, i)->severity)]++;
	for (i = 0; i < cs_scan_misconfig_count(s); i++)
		counts[cs_severity_rank(cs_scan_misconfig(s, i)->severity)]++;
	fprintf(t->out, "%sFindings: %zu%s (", bold(t), total, reset(t));
	if (cs_scan_matched(s)) {
		fprintf(t->out, "%zu vulnerabilities", cs_scan_vuln_count(s));
		first = false;
	}
	if (cs_scan_secrets_ran(s)) {
		fprintf(t->out, "%s%zu secrets", first ? "" : ", ", cs_scan_secret_count(s));
		first = false;
	}
	if (cs_scan_config_ran(s))
		fprintf(t->out, "%s%zu misconfigurations", first ? "" : ", ", cs_scan_misconfig_count(s));
	fputc(')', t->out);
	for (r = 5, first = true; r >= 0; r--) {
		if (!counts[r])
			continue;
		fprintf(t->out, "%s%s%s %zu%s", first ? ": " : ", ", rank_color(t, r),
			sev_names[r], counts[r], reset(t));
		first = false;
	}
	fputc('\n', t->out);
}

/* Prints s from column indent on, broken at spaces to fit the width. */
static void put_wrapped(const tbl *t, const char *s, int indent)
{
	int room = t->width - indent > 20 ? t->width - indent : 20;

	while (*s) {
		int n = (int)strlen(s), i, cut = n;

		if (n > room) {
			for (cut = room; cut > 0 && s[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = room;
		}
		fprintf(t->out, "%*s", indent, "");
		for (i = 0; i < cut; i++)
			put_safe(t, s[i]);
		fputc('\n', t->out);
		s += cut;
		while (*s == ' ')
			s++;
	}
}

/*
 * The verdict last, after the summary, where a CI log's tail shows it:
 * "Policy default: FAIL (2 rules fired)", then each rule that fired.
 */
static void policy(const tbl *t, const cs_scan *s)
{
	const cs_policy_result *r = cs_scan_policy(s);
	const char *v, *color = "";
	size_t i;

	if (!r)
		return;
	v = r->verdict ? r->verdict : "pass";
	if (t->color)
		color = !strcmp(v, "fail") ? "\033[1;31m" : !strcmp(v, "warn") ? "\033[33m" : "\033[32m";
	fprintf(t->out, "\n%sPolicy ", bold(t));
	put_cut(t, r->name, 0);
	fprintf(t->out, ": %s%s%s%s (%zu %s fired)\n", reset(t), color,
		!strcmp(v, "fail") ? "FAIL" : !strcmp(v, "warn") ? "WARN" : "PASS", reset(t), r->nhits,
		r->nhits == 1 ? "rule" : "rules");
	for (i = 0; i < r->nhits; i++) {
		const cs_policy_hit *h = &r->hits[i];
		const char *a = h->action ? h->action : "";

		fprintf(t->out, "  %s%-4s%s  ", !strcmp(a, "stop") ? rank_color(t, 5) : !strcmp(a, "warn") ? rank_color(t, 3) : "",
			!strcmp(a, "stop") ? "STOP" : !strcmp(a, "warn") ? "WARN" : "GO", reset(t));
		put_cut(t, h->rule, 0);
		fprintf(t->out, " %s(%s/%s)%s\n", dim(t), h->gate ? h->gate : "", h->trigger ? h->trigger : "", reset(t));
		if (h->message)
			put_wrapped(t, h->message, 8);
	}
}

int cs_report_table(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	tbl t = {out, o && o->color, o && o->width >= 60 ? o->width : 80};

	header(&t, s);
	if (!cs_scan_is_rootfs(s))
		layers(&t, s);
	packages(&t, s);
	if (cs_scan_matched(s))
		vulns(&t, s);
	if (cs_scan_secrets_ran(s))
		secrets(&t, s);
	if (cs_scan_config_ran(s))
		misconfigs(&t, s);
	if (cs_scan_base(s))
		base_block(&t, s);
	summary(&t, s);
	policy(&t, s);
	if (ferror(out))
		return cs_err_set(err, CS_EIO, "cannot write the report");
	return 0;
}
