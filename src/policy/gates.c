/*
 * gates.c - --severity, --fixable-only and --fail-on (see gates.h).
 */
#include "core/compat.h"
#include "policy/gates.h"

int cs_gates_severities(unsigned *mask, const char *list, cs_err *err)
{
	const char *p = list;

	*mask = CS_GATES_ALL_SEVERITIES;
	if (!list)
		return 0;
	*mask = 0;
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char word[16];
		int r = -1;

		/* Blanks around words are forgiven: "critical, high". */
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = '\0';
			r = cs_pol_severity(word);
		}
		if (r < 0)
			return cs_pol_error(err, CS_EUSAGE,
					  "--severity: unknown severity '%.*s' (critical, high, medium, low, negligible, "
					  "unknown, comma-separated)",
					  (int)(n > 40 ? 40 : n), p);
		*mask |= 1u << r;
		if (!end)
			return 0;
		p = end + 1;
	}
}

int cs_gates_fail_on(int *rank, const char *word, cs_err *err)
{
	*rank = -1;
	if (!word)
		return 0;
	if ((*rank = cs_pol_severity(word)) < 0)
		return cs_pol_error(err, CS_EUSAGE,
				  "--fail-on: unknown severity '%.40s' (critical, high, medium, low, negligible, unknown)",
				  word);
	return 0;
}

typedef struct filter_ctx {
	unsigned mask;
	bool fixable_only;
} filter_ctx;

static bool out_of_mask(unsigned mask, const char *severity)
{
	return !(mask & (1u << cs_severity_rank(severity)));
}

static bool drop_vuln(const cs_vuln *v, void *payload)
{
	const filter_ctx *c = payload;

	return out_of_mask(c->mask, v->severity) || (c->fixable_only && !v->fixed_version);
}

static bool drop_secret(const cs_secret *f, void *payload)
{
	return out_of_mask(((const filter_ctx *)payload)->mask, f->severity);
}

static bool drop_misconfig(const cs_misconfig *m, void *payload)
{
	return out_of_mask(((const filter_ctx *)payload)->mask, m->severity);
}

void cs_gates_filter(cs_scan *s, unsigned mask, bool fixable_only)
{
	filter_ctx c = {mask, fixable_only};
	cs_scan_dropper d = {drop_vuln, drop_secret, drop_misconfig, &c};

	if (mask == CS_GATES_ALL_SEVERITIES && !fixable_only)
		return;
	cs_scan_drop(s, &d);
}

/* One hit for one kind when l counted anything. */
static int fail_on_hit(cs_pol_hits *hits, const cs_pol_list *l, const char *gate, const char *one,
		       const char *many, int rank)
{
	const char *head, *msg;

	if (!l->n)
		return 0;
	head = cs_arena_printf(hits->a, "%s at or above %s", cs_pol_count(hits->a, l->n, one, many),
			       cs_pol_severity_name(rank));
	msg = head ? cs_pol_list_message(l, hits->a, head) : NULL;
	if (!msg)
		return CS_ENOMEM;
	return cs_pol_hit(hits, "--fail-on", gate, "severity", "stop", msg);
}

int cs_gates_eval_fail_on(const cs_scan *s, int rank, cs_pol_hits *hits)
{
	cs_pol_list lv = {0}, ls = {0}, lm = {0};
	size_t i;
	int code;

	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);

		if (!v->suppressed.kind && cs_severity_rank(v->severity) >= rank)
			cs_pol_list_add(&lv, "%s in %s %s", v->id, v->package->name, v->installed_version);
	}
	for (i = 0; i < cs_scan_secret_count(s); i++) {
		const cs_secret *f = cs_scan_secret(s, i);

		if (!f->suppressed.kind && cs_severity_rank(f->severity) >= rank)
			cs_pol_list_add(&ls, "%s in %s", f->rule_id, f->path);
	}
	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);

		if (!m->suppressed.kind && cs_severity_rank(m->severity) >= rank)
			cs_pol_list_add(&lm, "%s", m->id);
	}
	if ((code = fail_on_hit(hits, &lv, "vulnerabilities", "vulnerability", "vulnerabilities", rank)) < 0 ||
	    (code = fail_on_hit(hits, &ls, "secrets", "secret", "secrets", rank)) < 0 ||
	    (code = fail_on_hit(hits, &lm, "config", "misconfiguration", "misconfigurations", rank)) < 0)
		return code;
	return 0;
}
