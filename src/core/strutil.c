/*
 * strutil.c - string and path helpers (see strutil.h).
 */
#include "core/compat.h"
#include "core/strutil.h"
#include "core/error.h"

bool cs_str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool cs_str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool cs_mem_starts(const char *p, size_t n, const char *prefix)
{
	size_t m = strlen(prefix);

	return n >= m && memcmp(p, prefix, m) == 0;
}

void cs_mem_trim(const char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*n)--;
	}
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
		(*n)--;
}

bool cs_parse_u64(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (p[i] < '0' || p[i] > '9')
			return false;
		d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

int cs_path_clean(const char *in, char *out)
{
	const char *p = in;
	char *o = out;

	if (*p == '/')
		return CS_EFORMAT;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return CS_EFORMAT;
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, p, n);
			o += n;
		}
		p += n;
		if (*p == '/')
			p++;
	}
	*o = '\0';
	return 0;
}

const char *cs_path_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int cs_path_resolve_link(const char *link_path, const char *target, char *out, size_t outsz)
{
	size_t o = 0;
	const char *p;
	int pass;

	if (outsz == 0)
		return CS_ELIMIT;
	out[0] = '\0';
	/* Pass 0 walks the link's directory (unless the target is absolute), pass 1 the target. */
	for (pass = 0; pass < 2; pass++) {
		const char *src = pass == 0 ? link_path : target;
		size_t srclen = strlen(src);

		if (pass == 0) {
			const char *slash = strrchr(link_path, '/');

			if (target[0] == '/' || !slash)
				continue;
			srclen = (size_t)(slash - link_path);
		} else if (target[0] == '/') {
			o = 0;
		}
		p = src;
		while (p < src + srclen) {
			const char *end = memchr(p, '/', (size_t)(src + srclen - p));
			size_t n = end ? (size_t)(end - p) : (size_t)(src + srclen - p);

			if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (o > 0 && out[o - 1] != '/')
					o--;
				if (o > 0)
					o--;
			} else if (n > 0 && !(n == 1 && p[0] == '.')) {
				if (o + (o ? 1 : 0) + n + 1 > outsz)
					return CS_ELIMIT;
				if (o)
					out[o++] = '/';
				memcpy(out + o, p, n);
				o += n;
			}
			p += n + (end ? 1 : 0);
		}
		out[o] = '\0';
	}
	return 0;
}
