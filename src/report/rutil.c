/*
 * rutil.c - helpers shared by the report writers (see rutil.h).
 */
#include "core/compat.h"
#include "report/rutil.h"

#include <time.h>

const char *const cs_rutil_severities[CS_RUTIL_NSEVERITIES] = {"critical", "high", "medium", "low", "negligible",
							      "unknown"};

int cs_rutil_write_json(FILE *out, cJSON *doc, bool pretty, cs_err *err)
{
	char *text;
	int code = 0;

	if (!doc)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (!text)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (fputs(text, out) < 0 || fputc('\n', out) == EOF)
		code = cs_err_set(err, CS_EIO, "cannot write the report");
	free(text);
	return code;
}

void cs_rutil_time(long long t, char *buf, size_t sz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, sz, "1970-01-01T00:00:00Z");
}

size_t cs_rutil_utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

void cs_rutil_xml_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n;

		switch (*p) {
		case '&': fputs("&amp;", out); p++; continue;
		case '<': fputs("&lt;", out); p++; continue;
		case '>': fputs("&gt;", out); p++; continue;
		case '"': fputs("&quot;", out); p++; continue;
		case '\'': fputs("&#39;", out); p++; continue;
		default: break;
		}
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		if (!(n = cs_rutil_utf8_len(p))) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
}

const char *cs_rutil_short_step(const char *s)
{
	const char *nop;

	if (!s)
		return NULL;
	if ((nop = strstr(s, "#(nop) ")))
		s = nop + 7;
	else if (!strncmp(s, "/bin/sh -c ", 11))
		s += 11;
	while (*s == ' ')
		s++;
	return s;
}

cJSON *cs_rutil_json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	char *clean, *q;
	cJSON *j;
	size_t n;

	for (n = 0; p[n];) {
		size_t k = cs_rutil_utf8_len(p + n);

		if (!k)
			break;
		n += k;
	}
	if (!p[n])
		return cJSON_CreateString((const char *)p);
	/* each refused byte becomes 3 bytes at most */
	if (!(clean = malloc(strlen((const char *)p) * 3 + 1)))
		return NULL;
	for (q = clean; *p;) {
		size_t k = cs_rutil_utf8_len(p);

		if (!k) {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			p++;
			continue;
		}
		memcpy(q, p, k);
		q += k;
		p += k;
	}
	*q = '\0';
	j = cJSON_CreateString(clean);
	free(clean);
	return j;
}
