/*
 * model.c - ordering of the scan's records (see model.h).
 */
#include "core/compat.h"
#include "scan/model.h"

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

int cs_package_cmp(const void *a, const void *b)
{
	const cs_package *x = *(const cs_package *const *)a, *y = *(const cs_package *const *)b;
	int c;

	if ((c = cmp_str(x->type, y->type)) || (c = cmp_str(x->name, y->name)) ||
	    (c = cmp_str(x->version, y->version)) || (c = cmp_str(x->arch, y->arch)))
		return c;
	return cmp_str(x->found_in, y->found_in);
}

int cs_severity_rank(const char *severity)
{
	static const char *const names[] = {"unknown", "negligible", "low", "medium", "high", "critical"};
	int i;

	for (i = 1; severity && i < (int)CS_ARRAY_LEN(names); i++)
		if (!strcmp(severity, names[i]))
			return i;
	return 0;
}
