/*
 * locate.c - the database path and its age (see locate.h).
 */
#include "core/compat.h"
#include "vulndb/locate.h"

#include <time.h>

const char *cs_vdb_locate(const char *option, char *out, size_t outsz)
{
	const char *env = getenv("CUSTOMS_DB"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (option && *option)
		snprintf(out, outsz, "%s", option);
	else if (env && *env)
		snprintf(out, outsz, "%s", env);
	else if (xdg && *xdg)
		snprintf(out, outsz, "%s/customs/db.sqlite", xdg);
	else
		snprintf(out, outsz, "%s/.cache/customs/db.sqlite", home && *home ? home : ".");
	return out;
}

long long cs_vdb_age(const char *built_at, long long now)
{
	struct tm tm;
	int y, mo, d, h, mi, s;

	if (!built_at || sscanf(built_at, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return now - (long long)timegm(&tm);
}
