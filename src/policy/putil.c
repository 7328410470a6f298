/*
 * putil.c - helpers of the policy stage (see putil.h).
 */
#include "core/compat.h"
#include "policy/putil.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <strings.h>

int cs_pol_read(char **out, size_t *len, const char *path, size_t max, const char *what, cs_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	*out = NULL;
	*len = 0;
	if (!f)
		return cs_err_set(err, CS_EIO, "cannot read %s '%s': %s", what, path, strerror(errno));
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	/* One byte more than allowed tells a file at the limit from a larger one. */
	n = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		free(buf);
		return cs_err_set(err, CS_EIO, "cannot read %s '%s': %s", what, path, strerror(e));
	}
	fclose(f);
	if (n > max) {
		free(buf);
		return cs_err_set(err, CS_ELIMIT, "%s '%s': larger than %zu MiB", what, path, max >> 20);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

bool cs_pol_glob(const char *pattern, const char *s, bool fold)
{
	if (!pattern || !s)
		return false;
	return fnmatch(pattern, s, fold ? FNM_CASEFOLD : 0) == 0;
}

static const char *const sev_names[] = {"unknown", "negligible", "low", "medium", "high", "critical"};

int cs_pol_severity(const char *word)
{
	size_t i;

	for (i = 0; word && i < CS_ARRAY_LEN(sev_names); i++)
		if (!strcasecmp(word, sev_names[i]))
			return (int)i;
	return -1;
}

const char *cs_pol_severity_name(int rank)
{
	return rank > 0 && rank < (int)CS_ARRAY_LEN(sev_names) ? sev_names[rank] : sev_names[0];
}

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
long long cs_pol_days(int y, int m, int d)
{
	long long yy = (long long)y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153LL * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : n[m - 1];
}

/* n decimal digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/* "YYYY-MM-DD" at s (not necessarily terminated after it). */
static bool date_prefix(const char *s, long long *day)
{
	int y, m, d;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' || !digits(s + 8, 2, &d))
		return false;
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*day = cs_pol_days(y, m, d);
	return true;
}

bool cs_pol_date(const char *s, long long *day)
{
	return s && strlen(s) == 10 && date_prefix(s, day);
}

bool cs_pol_time(const char *s, long long *t)
{
	long long day;
	int h, mi, sec, oh, om;
	const char *p;

	if (!s || strlen(s) < 10 || !date_prefix(s, &day))
		return false;
	if (!s[10]) {
		*t = day * 86400;
		return true;
	}
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec) || h > 23 || mi > 59 || sec > 60)
		return false;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	*t = day * 86400 + h * 3600LL + mi * 60LL + sec;
	if ((*p == 'Z' || *p == 'z') && !p[1])
		return true;
	if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) && p[3] == ':' && digits(p + 4, 2, &om) && !p[6] &&
	    oh < 24 && om < 60) {
		long long off = oh * 3600LL + om * 60LL;

		*t += *p == '+' ? -off : off;
		return true;
	}
	return false;
}

int cs_pol_hit(cs_pol_hits *h, const char *rule, const char *gate, const char *trigger, const char *action,
	       const char *message)
{
	cs_policy_hit *x;

	if (h->len == h->cap) {
		cs_policy_hit *n = cs_arena_grow(h->a, h->items, h->len, &h->cap, sizeof(*n));

		if (!n)
			return CS_ENOMEM;
		h->items = n;
	}
	x = &h->items[h->len];
	x->rule = rule ? cs_arena_strdup(h->a, rule) : NULL;
	x->gate = cs_arena_strdup(h->a, gate);
	x->trigger = cs_arena_strdup(h->a, trigger);
	x->action = cs_arena_strdup(h->a, action);
	x->message = message ? cs_arena_strdup(h->a, message) : NULL;
	if ((rule && !x->rule) || !x->gate || !x->trigger || !x->action || (message && !x->message))
		return CS_ENOMEM;
	h->len++;
	return 0;
}

void cs_pol_list_add(cs_pol_list *l, const char *fmt, ...)
{
	size_t used = strlen(l->text);
	va_list ap;

	if (l->n++ >= CS_POL_EXAMPLES || used + 3 >= sizeof(l->text))
		return;
	if (used) {
		memcpy(l->text + used, ", ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(l->text + used, sizeof(l->text) - used, fmt, ap);
	va_end(ap);
}

const char *cs_pol_list_message(const cs_pol_list *l, cs_arena *a, const char *head)
{
	if (l->n > CS_POL_EXAMPLES)
		return cs_arena_printf(a, "%s: %s and %zu more", head, l->text, l->n - CS_POL_EXAMPLES);
	return cs_arena_printf(a, "%s: %s", head, l->text);
}

const char *cs_pol_count(cs_arena *a, size_t n, const char *one, const char *many)
{
	return cs_arena_printf(a, "%zu %s", n, n == 1 ? one : many);
}

int cs_pol_error(cs_err *err, int code, const char *fmt, ...)
{
	char msg[CS_ERR_MSG_MAX];
	size_t i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (i = 0; msg[i]; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	return cs_err_set(err, code, "%s", msg);
}

const char *cs_pol_jstr(const cJSON *obj, const char *name)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(x) ? x->valuestring : NULL;
}
