/*
 * error.c - first-error-wins messages (see error.h).
 */
#include "core/compat.h"
#include "core/error.h"

#include <stdarg.h>

void cs_err_clear(cs_err *e)
{
	if (!e)
		return;
	e->code = CS_OK;
	e->msg[0] = '\0';
}

int cs_err_set(cs_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->code != CS_OK)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cs_err_prefix(cs_err *e, const char *fmt, ...)
{
	char tmp[CS_ERR_MSG_MAX];
	size_t n, m;
	va_list ap;

	if (!e || e->code == CS_OK)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	n = strlen(tmp);
	m = strlen(e->msg);
	if (n + m >= sizeof(tmp))
		m = sizeof(tmp) - 1 - n;
	memcpy(tmp + n, e->msg, m);
	tmp[n + m] = '\0';
	memcpy(e->msg, tmp, sizeof(e->msg));
}

void cs_err_merge(cs_err *dst, const cs_err *src)
{
	if (!dst || !src || dst->code != CS_OK || src->code == CS_OK)
		return;
	*dst = *src;
}

const char *cs_err_name(int code)
{
	switch (code) {
	case CS_OK: return "success";
	case CS_ENOTFOUND: return "not found";
	case CS_EFORMAT: return "format error";
	case CS_ELIMIT: return "limit exceeded";
	case CS_ENOMEM: return "out of memory";
	case CS_EIO: return "i/o error";
	case CS_EDIGEST: return "digest mismatch";
	case CS_EUSAGE: return "usage error";
	default: return "error";
	}
}
