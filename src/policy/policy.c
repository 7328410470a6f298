/*
 * policy.c - suppression and verdicts (placeholder until they land).
 */
#include "core/compat.h"
#include "policy/policy.h"

void cs_policy_opts_default(cs_policy_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->exit_code = 1;
}

bool cs_policy_wanted(const cs_policy_opts *o)
{
	return o->fail_on || o->policy_file;
}

int cs_policy_apply(cs_scan *s, const cs_policy_opts *o, cs_err *err)
{
	CS_UNUSED(s);
	if (cs_policy_wanted(o) || o->ignore_file || o->nvex || o->baseline)
		return cs_err_set(err, CS_EUSAGE, "policies, ignore files, VEX and baselines are not available yet");
	return 0;
}
