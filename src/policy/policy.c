/*
 * policy.c - the policy stage between matching and the reports: filter
 * (--severity, --fixable-only), suppress (ignore file, VEX, baseline),
 * judge (--fail-on, --policy) and drop what the reports should not show.
 * Each step lives in its own file; this one runs them in order.
 */
#include "core/compat.h"
#include "policy/policy.h"

#include "core/log.h"
#include "policy/baseline.h"
#include "policy/gates.h"
#include "policy/ignore.h"
#include "policy/policyfile.h"
#include "policy/putil.h"
#include "policy/vex.h"

#include <unistd.h>

void cs_policy_opts_default(cs_policy_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->exit_code = 1;
}

bool cs_policy_wanted(const cs_policy_opts *o)
{
	return o->fail_on || o->policy_file;
}

/* The ignore file to read: --ignore-file, else ./.customsignore.yaml when it exists, else none. */
static const char *ignore_path(const cs_policy_opts *o)
{
	if (o->ignore_file)
		return o->ignore_file;
	return access(CS_IGNORE_DEFAULT, F_OK) == 0 ? CS_IGNORE_DEFAULT : NULL;
}

/* Everything the options name, parsed into a. */
typedef struct loaded {
	unsigned mask;
	int fail_on;
	cs_policy_rules *rules;
	cs_ignore *ignore;
	cs_vex *vex;
	cs_baseline *baseline;
} loaded;

static int load_all(loaded *l, cs_arena *a, const cs_policy_opts *o, cs_err *err)
{
	const char *ig = ignore_path(o);
	size_t i;
	int code;

	memset(l, 0, sizeof(*l));
	if ((code = cs_gates_severities(&l->mask, o->severities, err)) < 0 ||
	    (code = cs_gates_fail_on(&l->fail_on, o->fail_on, err)) < 0)
		return code;
	if (o->policy_file && (code = cs_policyfile_load(&l->rules, a, o->policy_file, err)) < 0)
		return code;
	if (ig && (code = cs_ignore_load(&l->ignore, a, ig, err)) < 0)
		return code;
	if (o->nvex && (code = cs_vex_new(&l->vex, a, err)) < 0)
		return code;
	for (i = 0; i < o->nvex; i++)
		if ((code = cs_vex_load(l->vex, o->vex[i], err)) < 0)
			return code;
	if (o->baseline && (code = cs_baseline_load(&l->baseline, a, o->baseline, err)) < 0)
		return code;
	return 0;
}

int cs_policy_check(const cs_policy_opts *o, cs_err *err)
{
	cs_arena a;
	loaded l;
	int code;

	cs_arena_init(&a);
	code = load_all(&l, &a, o, err);
	cs_arena_release(&a);
	return code;
}

static bool drop_vuln(const cs_vuln *v, void *payload)
{
	CS_UNUSED(payload);
	return v->suppressed.kind != NULL;
}

static bool drop_secret(const cs_secret *f, void *payload)
{
	CS_UNUSED(payload);
	return f->suppressed.kind != NULL;
}

static bool drop_misconfig(const cs_misconfig *m, void *payload)
{
	CS_UNUSED(payload);
	return m->suppressed.kind != NULL;
}

/* fail, then warn, then pass: the strongest action that fired. */
static const char *verdict(const cs_pol_hits *h)
{
	bool warn = false;
	size_t i;

	for (i = 0; i < h->len; i++) {
		if (!strcmp(h->items[i].action, "stop"))
			return "fail";
		warn = warn || !strcmp(h->items[i].action, "warn");
	}
	return warn ? "warn" : "pass";
}

static int judge(cs_scan *s, const cs_policy_opts *o, const loaded *l, cs_err *err)
{
	cs_pol_hits hits = {cs_scan_arena(s), NULL, 0, 0};
	cs_policy_env env = {o->now, o->db_built};
	cs_policy_result r;
	int code = 0;

	if (l->fail_on >= 0)
		code = cs_gates_eval_fail_on(s, l->fail_on, &hits);
	if (code == 0 && l->rules)
		code = cs_policyfile_eval(l->rules, s, &env, &hits);
	if (code < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	memset(&r, 0, sizeof(r));
	r.name = l->rules ? cs_policyfile_name(l->rules) : "gates";
	r.verdict = verdict(&hits);
	r.hits = hits.items;
	r.nhits = hits.len;
	cs_scan_set_policy(s, &r);
	return 0;
}

int cs_policy_apply(cs_scan *s, const cs_policy_opts *o, cs_err *err)
{
	cs_arena *a = cs_scan_arena(s);
	loaded l;
	int code;

	if ((code = load_all(&l, a, o, err)) < 0)
		return code;
	cs_gates_filter(s, l.mask, o->fixable_only);
	/* The user's own word first, then the supplier's (VEX), then history (baseline). */
	if (l.ignore)
		cs_ignore_apply(l.ignore, s, o->now);
	if (l.vex)
		cs_vex_apply(l.vex, s);
	if (l.baseline) {
		cs_baseline_result br;

		if (cs_baseline_apply(l.baseline, s, &br) < 0)
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		cs_scan_diag(s, CS_LOG_WARN, "baseline '%s': %zu new %s, %zu already listed, %zu fixed since",
			     o->baseline, br.added, br.added == 1 ? "finding" : "findings", br.unchanged, br.fixed);
	}
	if (cs_policy_wanted(o) && (code = judge(s, o, &l, err)) < 0)
		return code;
	if (!o->show_suppressed) {
		cs_scan_dropper d = {drop_vuln, drop_secret, drop_misconfig, NULL};

		cs_scan_drop(s, &d);
	}
	return 0;
}
