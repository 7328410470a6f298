/*
 * feedutil.c - helpers shared by the distro and enrichment importers (see
 * feedutil.h): bounded bad() reports, checked strings, dates, Debian
 * release names, a JSON splitter for big documents and YAML to cJSON.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"
#include "core/yaml.h"

#include <stdarg.h>
#include <strings.h>

/* ---- skipped records ------------------------------------------------------ */

void cs_feed_report_init(cs_feed_report *r, const cs_vdb_sink *sink, const char *file)
{
	r->sink = sink;
	r->file = file;
	r->nbad = 0;
}

void cs_feed_bad(cs_feed_report *r, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	size_t i;

	if (r->nbad++ >= CS_FEED_MAX_BAD || !r->sink->bad)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* Reasons quote feed bytes: keep control characters out of logs and terminals. */
	for (i = 0; why[i]; i++)
		if ((unsigned char)why[i] < 0x20 || why[i] == 0x7f)
			why[i] = '?';
	r->sink->bad(r->sink->payload, r->file, why);
}

void cs_feed_report_done(cs_feed_report *r)
{
	char why[128];

	if (r->nbad <= CS_FEED_MAX_BAD || !r->sink->bad)
		return;
	snprintf(why, sizeof(why), "%zu more skipped records not listed", r->nbad - CS_FEED_MAX_BAD);
	r->sink->bad(r->sink->payload, r->file, why);
}

/* ---- checked strings -------------------------------------------------------- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool cs_feed_token(const char *s, size_t n, size_t max)
{
	size_t i;

	if (!s || n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

bool cs_feed_is_cve(const char *s, size_t n)
{
	size_t i;

	if (!s || n < 13 || n > 32 || memcmp(s, "CVE-", 4) != 0 || s[8] != '-')
		return false;
	for (i = 4; i < n; i++)
		if (i != 8 && !is_digit(s[i]))
			return false;
	return true;
}

bool cs_feed_is_vuln_id(const char *s, size_t n)
{
	size_t i = 0, groups = 0;

	if (!s || n == 0 || n > CS_FEED_MAX_ID || !is_alpha(s[0]))
		return false;
	while (i < n && (is_alpha(s[i]) || is_digit(s[i])))
		i++;
	while (i < n) {
		size_t start;

		if (s[i] != '-')
			return false;
		start = ++i;
		while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '.' || s[i] == '_' || s[i] == ':'))
			i++;
		if (i == start)
			return false;
		groups++;
	}
	return groups > 0;
}

char *cs_feed_text(cs_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	n = strnlen(s, n);
	if (n > CS_FEED_MAX_TEXT) {
		n = CS_FEED_MAX_TEXT;
		/* Do not end inside a UTF-8 sequence: back off over continuation bytes. */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	return cs_arena_strndup(a, s, n);
}

/* ---- dates -------------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static unsigned num2(const char *s)
{
	return (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
}

/* "YYYY-MM-DD" with a plausible month and day. */
static bool ymd(const char *s, size_t n)
{
	return n >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' && digits(s + 8, 2) &&
	       num2(s + 5) >= 1 && num2(s + 5) <= 12 && num2(s + 8) >= 1 && num2(s + 8) <= 31;
}

const char *cs_feed_rfc3339(cs_arena *a, const char *s)
{
	size_t n, i, frac;
	const char *zone;
	char off[7];

	if (!s)
		return NULL;
	n = strlen(s);
	if (!ymd(s, n))
		return NULL;
	if (n == 10)
		return cs_arena_printf(a, "%.10sT00:00:00Z", s);
	/* date 'T' HH:MM[:SS][.frac] [zone] */
	if (!(s[10] == 'T' || s[10] == 't' || s[10] == ' ') || n < 16 || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || num2(s + 11) > 23 || num2(s + 14) > 59)
		return NULL;
	i = 16;
	if (i < n && s[i] == ':') {
		if (n < 19 || !digits(s + 17, 2) || num2(s + 17) > 60)
			return NULL;
		i = 19;
	}
	frac = i;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i]) && i - frac <= 9)
			i++;
		if (i == frac + 1)
			return NULL;
	}
	zone = s + i;
	if (*zone == '\0' || ((zone[0] == 'Z' || zone[0] == 'z') && zone[1] == '\0')) {
		off[0] = 'Z'; /* no zone: the feeds that omit it (NVD) mean UTC */
		off[1] = '\0';
	} else if ((zone[0] == '+' || zone[0] == '-') && digits(zone + 1, 2) &&
		   ((zone[3] == ':' && digits(zone + 4, 2) && zone[6] == '\0') ||
		    (digits(zone + 3, 2) && zone[5] == '\0'))) {
		/* "+0000" (EPSS) is ISO 8601 but not RFC 3339: add the colon. */
		const char *mm = zone[3] == ':' ? zone + 4 : zone + 3;

		snprintf(off, sizeof(off), "%c%.2s:%.2s", zone[0], zone + 1, mm);
	} else {
		return NULL;
	}
	if (i == 16) /* no seconds */
		return cs_arena_printf(a, "%.10sT%.5s:00%s", s, s + 11, off);
	return cs_arena_printf(a, "%.10sT%.*s%s", s, (int)(i - 11), s + 11, off);
}

const char *cs_feed_dmy_date(cs_arena *a, const char *p, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	size_t i = 0, m;
	unsigned day = 0;

	while (i < n && i < 2 && is_digit(p[i]))
		day = day * 10 + (unsigned)(p[i++] - '0');
	if (i == 0 || day < 1 || day > 31 || i + 9 != n || p[i] != ' ' || p[i + 4] != ' ' || !digits(p + i + 5, 4))
		return NULL;
	for (m = 0; m < 12; m++)
		if (memcmp(months + 3 * m, p + i + 1, 3) == 0)
			break;
	if (m == 12)
		return NULL;
	return cs_arena_printf(a, "%.4s-%02u-%02uT00:00:00Z", p + i + 5, (unsigned)m + 1, day);
}

/* ---- Debian releases ---------------------------------------------------------- */

static const struct {
	const char *codename;
	const char *ecosystem;
} debian_releases[] = {
	{"buzz", "Debian:1.1"},     {"rex", "Debian:1.2"},      {"bo", "Debian:1.3"},
	{"hamm", "Debian:2.0"},     {"slink", "Debian:2.1"},    {"potato", "Debian:2.2"},
	{"woody", "Debian:3.0"},    {"sarge", "Debian:3.1"},    {"etch", "Debian:4"},
	{"lenny", "Debian:5"},      {"squeeze", "Debian:6"},    {"wheezy", "Debian:7"},
	{"jessie", "Debian:8"},     {"stretch", "Debian:9"},    {"buster", "Debian:10"},
	{"bullseye", "Debian:11"},  {"bookworm", "Debian:12"},  {"trixie", "Debian:13"},
	{"forky", "Debian:14"},     {"duke", "Debian:15"},      {"sid", "Debian:unstable"},
};

const char *cs_feed_debian_ecosystem(const char *codename, size_t n)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(debian_releases); i++)
		if (strlen(debian_releases[i].codename) == n && memcmp(debian_releases[i].codename, codename, n) == 0)
			return debian_releases[i].ecosystem;
	return NULL;
}

const char *cs_feed_base(const char *name)
{
	const char *slash = name ? strrchr(name, '/') : NULL;

	return slash ? slash + 1 : name ? name : "";
}

bool cs_feed_ends(const char *name, const char *suffix)
{
	size_t n, m = strlen(suffix);

	if (!name)
		return false;
	n = strlen(name);
	return n >= m && strncasecmp(name + n - m, suffix, m) == 0;
}

bool cs_feed_has(const uint8_t *head, size_t n, const char *needle)
{
	return head && memmem(head, n, needle, strlen(needle)) != NULL;
}

/* ---- arrays in an arena ----------------------------------------------------- */

void *cs_feed_grow(cs_arena *a, void *items, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (items && n < *cap)
		return items;
	ncap = *cap ? *cap * 2 : 4;
	if (ncap <= n)
		ncap = n + 1;
	p = cs_arena_calloc(a, ncap, size);
	if (!p)
		return NULL;
	if (n && items)
		memcpy(p, items, n * size);
	*cap = ncap;
	return p;
}

/* ---- big JSON documents ---------------------------------------------------- */

static size_t skip_ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* Moves *i past the string opening at p[*i]; false when it does not end. */
static bool skip_string(const char *p, size_t n, size_t *i)
{
	size_t j = *i + 1;

	while (j < n) {
		if (p[j] == '"') {
			*i = j + 1;
			return true;
		}
		j += p[j] == '\\' ? 2 : 1;
	}
	return false;
}

static int split_error(cs_err *err, const char *what, size_t at, const char *problem)
{
	return cs_err_set(err, CS_EFORMAT, "%s: malformed JSON at byte %zu: %s", what, at, problem);
}

/* Moves *i past the value starting at p[*i]. */
static int skip_value(const char *p, size_t n, size_t *i, const char *what, cs_err *err)
{
	char stack[CS_FEED_MAX_DEPTH];
	size_t depth = 0, j = *i;

	if (j >= n)
		return split_error(err, what, j, "value expected, end of input found");
	if (p[j] == '"') {
		if (!skip_string(p, n, &j))
			return split_error(err, what, *i, "string does not end");
		*i = j;
		return 0;
	}
	if (p[j] != '{' && p[j] != '[') {
		size_t start = j;

		while (j < n && !strchr(",:]}\"{[ \t\r\n", p[j]) && p[j] != '\0')
			j++;
		if (j == start)
			return split_error(err, what, j, "value expected");
		*i = j;
		return 0;
	}
	while (j < n) {
		char c = p[j];

		if (c == '"') {
			size_t at = j;

			if (!skip_string(p, n, &j))
				return split_error(err, what, at, "string does not end");
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == sizeof(stack))
				return cs_err_set(err, CS_ELIMIT, "%s: JSON nested deeper than %d at byte %zu", what,
						  CS_FEED_MAX_DEPTH, j);
			stack[depth++] = c == '{' ? '}' : ']';
		} else if (c == '}' || c == ']') {
			if (stack[depth - 1] != c)
				return split_error(err, what, j, "mismatched bracket");
			if (--depth == 0) {
				*i = j + 1;
				return 0;
			}
		}
		j++;
	}
	return split_error(err, what, n, "unexpected end of input (truncated?)");
}

int cs_feed_json_split(const char *p, size_t n, bool object, const char *what, cs_feed_part **out,
		       size_t *count, cs_err *err)
{
	char open = object ? '{' : '[', close = object ? '}' : ']';
	cs_feed_part *parts = NULL;
	size_t np = 0, cap = 0, i;
	int rc = 0;

	*out = NULL;
	*count = 0;
	i = skip_ws(p, n, 0);
	if (i >= n || p[i] != open) {
		return cs_err_set(err, CS_EFORMAT, "%s: malformed JSON at byte %zu: '%c' expected", what, i,
				  open);
	}
	i = skip_ws(p, n, i + 1);
	if (i < n && p[i] == close) {
		i++;
		goto tail;
	}
	for (;;) {
		cs_feed_part part = {NULL, 0, NULL, 0};
		size_t start;

		if (object) {
			start = i;
			if (i >= n || p[i] != '"') {
				rc = split_error(err, what, i, "member name expected");
				goto fail;
			}
			if (!skip_string(p, n, &i)) {
				rc = split_error(err, what, start, "string does not end");
				goto fail;
			}
			part.key = p + start + 1;
			part.klen = i - start - 2;
			i = skip_ws(p, n, i);
			if (i >= n || p[i] != ':') {
				rc = split_error(err, what, i, "':' expected");
				goto fail;
			}
			i = skip_ws(p, n, i + 1);
		}
		start = i;
		if ((rc = skip_value(p, n, &i, what, err)) < 0)
			goto fail;
		part.val = p + start;
		part.vlen = i - start;
		if (np == cap) {
			cs_feed_part *grown;

			cap = cap ? cap * 2 : 64;
			grown = cap < SIZE_MAX / sizeof(*parts) ? realloc(parts, cap * sizeof(*parts)) : NULL;
			if (!grown) {
				rc = cs_err_set(err, CS_ENOMEM, "%s: out of memory", what);
				goto fail;
			}
			parts = grown;
		}
		parts[np++] = part;
		i = skip_ws(p, n, i);
		if (i < n && p[i] == ',') {
			i = skip_ws(p, n, i + 1);
			continue;
		}
		if (i < n && p[i] == close) {
			i++;
			break;
		}
		rc = split_error(err, what, i, i < n ? "',' or end of container expected" :
							 "unexpected end of input (truncated?)");
		goto fail;
	}
tail:
	i = skip_ws(p, n, i);
	if (i < n) {
		rc = split_error(err, what, i, "trailing characters");
		goto fail;
	}
	*out = parts;
	*count = np;
	return 0;
fail:
	free(parts);
	return rc;
}

char *cs_feed_json_key(cs_arena *a, const cs_feed_part *part)
{
	cJSON *s;
	char *out;

	if (!part->key || memchr(part->key, '\0', part->klen))
		return NULL;
	if (!memchr(part->key, '\\', part->klen))
		return cs_arena_strndup(a, part->key, part->klen);
	/* The key's quotes are the bytes on either side: let cJSON decode the escapes. */
	s = cJSON_ParseWithLength(part->key - 1, part->klen + 2);
	out = cJSON_IsString(s) && s->valuestring ? cs_arena_strdup(a, s->valuestring) : NULL;
	cJSON_Delete(s);
	return out;
}

cJSON *cs_feed_json_parse(const cs_feed_part *part)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(part->val, part->vlen, &end, false);

	if (j && end != part->val + part->vlen) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

/* ---- YAML -------------------------------------------------------------------- */

cJSON *cs_feed_yaml_parse(const char *data, size_t len, const char *what, cs_err *err)
{
	const cs_yaml_opts opts = {.what = what, .max_depth = CS_FEED_MAX_DEPTH, .all_documents = false};
	cJSON *root;

	return cs_yaml_parse(&root, data, len, &opts, err) < 0 ? NULL : root;
}
