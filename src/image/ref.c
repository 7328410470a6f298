/*
 * ref.c - image reference parsing and Docker Hub normalisation (see ref.h).
 */
#include "core/compat.h"
#include "image/ref.h"
#include "core/strutil.h"

#include <strings.h>

#define REF_INPUT_MAX 1024 /* longer input is not a reference, whatever it holds */

static bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static bool path_component_ok(const char *p, size_t n)
{
	size_t i = 0;

	if (n == 0 || !is_lower_alnum(p[0]) || !is_lower_alnum(p[n - 1]))
		return false;
	while (i < n) {
		size_t start;

		if (is_lower_alnum(p[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < n && !is_lower_alnum(p[i]))
			i++;
		/* the separator run [start, i) */
		if (i - start == 1 && (p[start] == '.' || p[start] == '_' || p[start] == '-'))
			continue;
		if (i - start == 2 && p[start] == '_' && p[start + 1] == '_')
			continue;
		for (; start < i; start++)
			if (p[start] != '-')
				return false;
	}
	return true;
}

/* A domain: host name, IPv4 or [IPv6], then an optional :port. */
static bool domain_ok(const char *d)
{
	const char *port = NULL, *p = d;

	if (*p == '[') {
		const char *close = strchr(p, ']');

		if (!close || close == p + 1)
			return false;
		for (p++; p < close; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F') ||
			      *p == ':' || *p == '.'))
				return false;
		p = close + 1;
		if (*p && *p != ':')
			return false;
		port = *p ? p + 1 : NULL;
	} else {
		const char *colon = strchr(p, ':');
		size_t hn = colon ? (size_t)(colon - p) : strlen(p), i = 0;

		if (hn == 0)
			return false;
		/* components [A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])? joined by '.' */
		while (i < hn) {
			size_t s = i;

			while (i < hn && p[i] != '.')
				i++;
			if (i == s || !is_alnum(p[s]) || !is_alnum(p[i - 1]))
				return false;
			for (; s < i; s++)
				if (!is_alnum(p[s]) && p[s] != '-')
					return false;
			if (i < hn)
				i++; /* the dot */
			if (i == hn && p[hn - 1] == '.')
				return false;
		}
		port = colon ? colon + 1 : NULL;
	}
	if (port) {
		uint64_t v;

		if (!cs_parse_u64(port, strlen(port), &v) || v == 0 || v > 65535 || strlen(port) > 5)
			return false;
	}
	return true;
}

static bool tag_ok(const char *t, size_t n)
{
	size_t i;

	if (n == 0 || n > 128 || !(is_alnum(t[0]) || t[0] == '_'))
		return false;
	for (i = 1; i < n; i++)
		if (!(is_alnum(t[i]) || t[i] == '_' || t[i] == '.' || t[i] == '-'))
			return false;
	return true;
}

int cs_ref_parse(cs_ref *out, const char *s, cs_err *err)
{
	const char *at, *name_end, *p, *last_slash = NULL, *colon = NULL, *first_slash;
	size_t len, i, nlen;
	bool first_is_domain = false;

	memset(out, 0, sizeof(*out));
	len = strnlen(s, REF_INPUT_MAX + 1);
	if (len == 0)
		return cs_err_set(err, CS_EFORMAT, "an empty image reference");
	if (len > REF_INPUT_MAX)
		return cs_err_set(err, CS_EFORMAT, "'%.64s...': not an image reference (too long)", s);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return cs_err_set(err, CS_EFORMAT, "'%s': not an image reference (spaces or control characters)",
					  s);

	at = strchr(s, '@');
	name_end = at ? at : s + len;
	if (at) {
		const char *dg = at + 1;

		if (!cs_str_starts(dg, "sha256:")) {
			const char *c = strchr(dg, ':');

			if (c && c > dg)
				return cs_err_set(err, CS_EFORMAT, "'%s': only sha256 digests are supported, not '%.*s'", s,
						  (int)(c - dg), dg);
			return cs_err_set(err, CS_EFORMAT, "'%s': '%s' is not a digest (sha256:<64 hex digits>)", s, dg);
		}
		if (!cs_digest_valid(dg))
			return cs_err_set(err, CS_EFORMAT, "'%s': '%s' is not a digest (sha256:<64 hex digits>)", s, dg);
		snprintf(out->digest, sizeof(out->digest), "%s", dg);
	}
	for (p = s; p < name_end; p++)
		if (*p == '/')
			last_slash = p;
	for (p = last_slash ? last_slash + 1 : s; p < name_end; p++)
		if (*p == ':')
			colon = p;
	if (colon) {
		if (!tag_ok(colon + 1, (size_t)(name_end - colon - 1)))
			return cs_err_set(err, CS_EFORMAT, "'%s': '%.*s' is not a valid tag", s,
					  (int)(name_end - colon - 1), colon + 1);
		snprintf(out->tag, sizeof(out->tag), "%.*s", (int)(name_end - colon - 1), colon + 1);
		name_end = colon;
	}
	nlen = (size_t)(name_end - s);
	if (nlen == 0)
		return cs_err_set(err, CS_EFORMAT, "'%s': no repository name", s);

	first_slash = memchr(s, '/', nlen);
	if (first_slash) {
		size_t fl = (size_t)(first_slash - s);

		first_is_domain = memchr(s, '.', fl) || memchr(s, ':', fl) || (fl == 9 && !memcmp(s, "localhost", 9));
		for (i = 0; i < fl && !first_is_domain; i++)
			if (s[i] >= 'A' && s[i] <= 'Z')
				first_is_domain = true;
	}
	if (first_is_domain) {
		size_t fl = (size_t)(first_slash - s);

		if (fl >= sizeof(out->domain))
			return cs_err_set(err, CS_EFORMAT, "'%s': the registry name is too long", s);
		/* kept as written: lower-casing "Foo/bar" would make its canonical form mean docker.io/foo/bar */
		memcpy(out->domain, s, fl);
		out->domain[fl] = '\0';
		if (!domain_ok(out->domain))
			return cs_err_set(err, CS_EFORMAT, "'%s': '%s' is not a valid registry host[:port]", s,
					  out->domain);
		p = first_slash + 1;
	} else {
		snprintf(out->domain, sizeof(out->domain), "docker.io");
		p = s;
	}
	if (!strcmp(out->domain, "index.docker.io"))
		snprintf(out->domain, sizeof(out->domain), "docker.io");

	/* the repository path [p, name_end) */
	{
		const char *c = p;
		size_t plen = (size_t)(name_end - p);

		if (plen == 0)
			return cs_err_set(err, CS_EFORMAT, "'%s': no repository name", s);
		while (c < name_end) {
			const char *e = memchr(c, '/', (size_t)(name_end - c));

			if (!e)
				e = name_end;
			if (!path_component_ok(c, (size_t)(e - c))) {
				for (i = 0; i < (size_t)(e - c); i++)
					if (c[i] >= 'A' && c[i] <= 'Z')
						return cs_err_set(err, CS_EFORMAT,
								  "'%s': repository names must be lower case", s);
				return cs_err_set(err, CS_EFORMAT, "'%s': '%.*s' is not a valid repository name component",
						  s, (int)(e - c), c);
			}
			c = e + (e < name_end ? 1 : 0);
			if (e < name_end && c == name_end)
				return cs_err_set(err, CS_EFORMAT, "'%s': the repository name ends in '/'", s);
		}
		if (!strcmp(out->domain, "docker.io") && !memchr(p, '/', plen))
			snprintf(out->repo, sizeof(out->repo), "library/%.*s", (int)plen, p);
		else if (plen < sizeof(out->repo))
			snprintf(out->repo, sizeof(out->repo), "%.*s", (int)plen, p);
		if (!out->repo[0] || strlen(out->domain) + 1 + strlen(out->repo) > 255)
			return cs_err_set(err, CS_EFORMAT, "'%s': the repository name is longer than 255 characters", s);
	}
	if (!out->tag[0] && !out->digest[0])
		snprintf(out->tag, sizeof(out->tag), "latest");
	snprintf(out->host, sizeof(out->host), "%s",
		 strcmp(out->domain, "docker.io") ? out->domain : "registry-1.docker.io");
	return 0;
}

void cs_ref_format(const cs_ref *r, char *out, size_t n)
{
	snprintf(out, n, "%s/%s%s%s%s%s", r->domain, r->repo, r->tag[0] ? ":" : "", r->tag, r->digest[0] ? "@" : "",
		 r->digest);
}

void cs_ref_host_name(const char *host, char *out, size_t n)
{
	const char *end;

	if (host[0] == '[') {
		end = strchr(host, ']');
		snprintf(out, n, "%.*s", end ? (int)(end - host - 1) : 0, host + 1);
		return;
	}
	end = strchr(host, ':');
	snprintf(out, n, "%.*s", end ? (int)(end - host) : (int)strlen(host), host);
}

bool cs_ref_host_is_loopback(const char *host)
{
	char name[CS_REF_NAME_MAX];
	unsigned a, b, c, d;
	char tail;

	cs_ref_host_name(host, name, sizeof(name));
	if (!strcasecmp(name, "localhost") || !strcmp(name, "::1") || !strcmp(name, "0:0:0:0:0:0:0:1"))
		return true;
	return sscanf(name, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 && c < 256 &&
	       d < 256;
}
