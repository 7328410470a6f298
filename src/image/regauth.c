/*
 * regauth.c - challenges, token answers, auth files and credential helpers
 * (see regauth.h). No HTTP here: registry.c asks, this file reads.
 */
#include "core/compat.h"
#include "image/regauth.h"
#include "core/json.h"
#include "core/log.h"
#include "core/strutil.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define HELPER_OUT_MAX (64u << 10) /* bytes a credential helper may answer */
#define HELPER_TIMEOUT_MS 30000    /* a helper that waits for a keychain prompt longer is given up */
#define TOKEN_MAX (64u << 10)      /* bytes of one bearer token (it goes into a header line) */

/* ---- WWW-Authenticate ---------------------------------------------------------- */

static bool is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c);
}

static size_t skip_ws(const char *h, size_t len, size_t i)
{
	while (i < len && (h[i] == ' ' || h[i] == '\t'))
		i++;
	return i;
}

static size_t read_token(const char *h, size_t len, size_t i)
{
	while (i < len && h[i] && is_tchar(h[i]))
		i++;
	return i;
}

/* True when a "name=" parameter (not a new challenge's scheme) starts at i. */
static bool param_ahead(const char *h, size_t len, size_t i)
{
	size_t e = read_token(h, len, i);

	if (e == i)
		return false;
	e = skip_ws(h, len, e);
	return e < len && h[e] == '=';
}

/* Copies a parameter value into field (cap bytes); false when it does not fit. */
static bool set_field(char *field, size_t cap, const char *v, size_t n, bool append)
{
	size_t have = append ? strlen(field) : 0;

	if (append && have) {
		if (have + 1 + n >= cap)
			return false;
		field[have++] = ' ';
	} else if (n >= cap) {
		return false;
	}
	memcpy(field + have, v, n);
	field[have + n] = '\0';
	return true;
}

/* Reads one parameter value (token or quoted-string) at i into val; returns the index after it. */
static size_t read_value(const char *h, size_t len, size_t i, char *val, size_t cap, size_t *vn, bool *ok)
{
	*vn = 0;
	if (i < len && h[i] == '"') {
		for (i++; i < len && h[i] != '"'; i++) {
			if (h[i] == '\\' && i + 1 < len)
				i++;
			if (*vn < cap - 1)
				val[(*vn)++] = h[i];
			else
				*ok = false;
		}
		if (i >= len)
			*ok = false; /* unterminated */
		else
			i++;
	} else {
		size_t s = i;

		/* a token, leniently: servers write unquoted URLs too */
		while (i < len && h[i] && h[i] != ',' && h[i] != ' ' && h[i] != '\t')
			i++;
		if (i - s >= cap)
			*ok = false;
		else
			memcpy(val, h + s, (*vn = i - s));
	}
	val[*vn] = '\0';
	return i;
}

void cs_challenge_parse(const char *h, size_t len, cs_challenge *out, size_t max, size_t *n)
{
	cs_challenge *cur = NULL;
	bool valid = false;
	char val[2048];
	size_t i = 0, k;

	*n = 0;
	while (i < len && *n < max) {
		while (i < len && (h[i] == ' ' || h[i] == '\t' || h[i] == ','))
			i++;
		if (i >= len)
			break;
		if (cur && param_ahead(h, len, i)) {
			size_t ns = i, ne = read_token(h, len, i), vn, nl = ne - ns;
			bool ok = true;

			i = skip_ws(h, len, skip_ws(h, len, ne) + 1); /* past '=' */
			i = read_value(h, len, i, val, sizeof(val), &vn, &ok);
			/* a value with control bytes could forge a header or a URL: never used */
			for (k = 0; k < vn; k++)
				if ((unsigned char)val[k] < 0x20 || val[k] == 0x7f)
					ok = false;
			if (ok && nl == 5 && !strncasecmp(h + ns, "realm", 5))
				ok = set_field(cur->realm, sizeof(cur->realm), val, vn, false);
			else if (ok && nl == 7 && !strncasecmp(h + ns, "service", 7))
				ok = set_field(cur->service, sizeof(cur->service), val, vn, false);
			else if (ok && nl == 5 && !strncasecmp(h + ns, "scope", 5))
				ok = set_field(cur->scope, sizeof(cur->scope), val, vn, true);
			else if (ok && nl == 5 && !strncasecmp(h + ns, "error", 5))
				ok = set_field(cur->error, sizeof(cur->error), val, vn, false);
			if (!ok)
				valid = false;
			i = skip_ws(h, len, i);
			if (i < len && h[i] != ',')
				while (i < len && h[i] != ',') /* junk after a value */
					i++;
			continue;
		}
		/* a scheme starts the next challenge */
		{
			size_t s = i, e = read_token(h, len, i);

			if (e == s) {
				while (i < len && h[i] != ',')
					i++;
				continue;
			}
			if (cur && valid)
				(*n)++;
			cur = NULL;
			if (*n >= max)
				break;
			cur = &out[*n];
			memset(cur, 0, sizeof(*cur));
			valid = e - s < sizeof(cur->scheme);
			for (k = 0; valid && k < e - s; k++)
				cur->scheme[k] = (h[s + k] >= 'A' && h[s + k] <= 'Z') ? (char)(h[s + k] - 'A' + 'a') : h[s + k];
			i = skip_ws(h, len, e);
			/* token68 credentials after the scheme: not used, skipped */
			if (i < len && h[i] != ',' && !param_ahead(h, len, i))
				while (i < len && h[i] != ',')
					i++;
		}
	}
	if (cur && valid && *n < max)
		(*n)++;
}

/* ---- credentials ------------------------------------------------------------------ */

static void wipe_free(char *s)
{
	if (s) {
		volatile char *p = s;

		while (*p)
			*p++ = '\0';
		free(s);
	}
}

void cs_creds_release(cs_creds *c)
{
	wipe_free(c->username);
	wipe_free(c->password);
	wipe_free(c->identity_token);
	c->username = c->password = c->identity_token = NULL;
}

bool cs_creds_any(const cs_creds *c)
{
	return (c->username && c->password) || c->identity_token;
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *cs_base64(const void *p, size_t n)
{
	const unsigned char *s = p;
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i + 2 < n; i += 3) {
		*o++ = b64chars[s[i] >> 2];
		*o++ = b64chars[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		*o++ = b64chars[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		*o++ = b64chars[s[i + 2] & 63];
	}
	if (i < n) {
		*o++ = b64chars[s[i] >> 2];
		if (i + 1 < n) {
			*o++ = b64chars[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
			*o++ = b64chars[(s[i + 1] & 15) << 2];
		} else {
			*o++ = b64chars[(s[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* Decodes standard base64 (padding optional) into a malloc'd NUL-terminated string; NULL when invalid. */
static char *unbase64(const char *s, size_t *outlen)
{
	size_t n = strlen(s), i, o = 0;
	unsigned acc = 0, bits = 0;
	char *out = malloc(n / 4 * 3 + 4);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *c;

		if (s[i] == '=')
			break;
		c = strchr(b64chars, s[i]);
		if (!c || !s[i]) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)(c - b64chars);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	for (; i < n; i++)
		if (s[i] != '=') {
			free(out);
			return NULL;
		}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Fills creds from one auths entry. */
static int read_entry(const cJSON *e, cs_creds *c, cs_err *err)
{
	const char *auth = cs_json_str(e, "auth"), *user = cs_json_str(e, "username");
	const char *pass = cs_json_str(e, "password"), *idt = cs_json_str(e, "identitytoken");

	if (!cJSON_IsObject(e))
		return cs_err_set(err, CS_EFORMAT, "an auths entry is not an object");
	if (auth && *auth) {
		size_t n;
		char *raw = unbase64(auth, &n), *colon;

		if (!raw || strlen(raw) != n || !(colon = strchr(raw, ':'))) {
			wipe_free(raw);
			return cs_err_set(err, CS_EFORMAT, "an \"auth\" value is not base64 of user:password");
		}
		*colon = '\0';
		c->username = strdup(raw);
		c->password = strdup(colon + 1);
		wipe_free(raw);
	} else if (user && pass && *user) {
		c->username = strdup(user);
		c->password = strdup(pass);
	}
	if (idt && *idt)
		c->identity_token = strdup(idt);
	if ((auth && *auth && (!c->username || !c->password)) || (idt && *idt && !c->identity_token))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return 0;
}

/*
 * Normalises an auth file key into "host[/path]" with Docker Hub's aliases
 * made "docker.io": "https://index.docker.io/v1/" -> "docker.io".
 */
static void norm_key(const char *k, char *out, size_t n)
{
	const char *slash;
	size_t len, hl;

	if (cs_str_starts(k, "https://"))
		k += 8;
	else if (cs_str_starts(k, "http://"))
		k += 7;
	snprintf(out, n, "%s", k);
	len = strlen(out);
	while (len && out[len - 1] == '/')
		out[--len] = '\0';
	if (len >= 3 && (cs_str_ends(out, "/v1") || cs_str_ends(out, "/v2")))
		out[len -= 3] = '\0';
	slash = strchr(out, '/');
	hl = slash ? (size_t)(slash - out) : len;
	if ((hl == 15 && !strncasecmp(out, "index.docker.io", 15)) ||
	    (hl == 20 && !strncasecmp(out, "registry-1.docker.io", 20))) {
		char rest[512];

		snprintf(rest, sizeof(rest), "%s", out + hl);
		snprintf(out, n, "docker.io%s", rest);
	}
}

/*
 * How well key matches domain/repo: -1 not at all, else the length of the
 * matched name (a longer host/namespace key is more specific).
 */
static long key_match(const char *key, const char *domain, const char *repo)
{
	char k[600];
	size_t dl = strlen(domain), kl;

	norm_key(key, k, sizeof(k));
	kl = strlen(k);
	if (strncasecmp(k, domain, dl) != 0 || (k[dl] != '\0' && k[dl] != '/'))
		return -1;
	if (k[dl] == '\0')
		return (long)dl;
	/* host/namespace: a prefix of the repository at a component boundary */
	{
		const char *ns = k + dl + 1;
		size_t nl = strlen(ns);

		if (!nl || strncmp(repo, ns, nl) != 0 || (repo[nl] != '\0' && repo[nl] != '/'))
			return -1;
	}
	return (long)kl;
}

int cs_authfile_lookup(const char *json, size_t len, const char *domain, const char *repo, cs_creds *creds,
		       char helper[64], cs_err *err)
{
	cJSON *doc;
	const cJSON *auths, *helpers, *e, *best = NULL;
	const char *store;
	long best_score = -1;
	int code = 0;

	helper[0] = '\0';
	doc = cs_json_parse(json, len, "the auth file", err);
	if (!doc)
		return CS_EFORMAT;
	if (!cJSON_IsObject(doc)) {
		code = cs_err_set(err, CS_EFORMAT, "the auth file is not a JSON object");
		goto done;
	}
	helpers = cs_json_obj(doc, "credHelpers");
	cJSON_ArrayForEach(e, helpers)
	{
		if (cJSON_IsString(e) && e->string && key_match(e->string, domain, "") == (long)strlen(domain)) {
			snprintf(helper, 64, "%s", e->valuestring);
			break;
		}
	}
	store = cs_json_str(doc, "credsStore");
	if (!helper[0] && store)
		snprintf(helper, 64, "%s", store);
	auths = cs_json_obj(doc, "auths");
	cJSON_ArrayForEach(e, auths)
	{
		long s = e->string ? key_match(e->string, domain, repo) : -1;

		if (s > best_score) {
			best_score = s;
			best = e;
		}
	}
	if (best)
		code = read_entry(best, creds, err);
done:
	cJSON_Delete(doc);
	return code;
}

int cs_credhelper_parse(const char *json, size_t len, cs_creds *out, cs_err *err)
{
	cJSON *doc = cs_json_parse(json, len, "the credential helper's answer", err);
	const char *user, *secret;
	int code = 0;

	if (!doc)
		return CS_EFORMAT;
	user = cs_json_str(doc, "Username");
	secret = cs_json_str(doc, "Secret");
	if (!user || !secret || !*secret) {
		code = cs_err_set(err, CS_EFORMAT, "the credential helper's answer has no Username and Secret");
	} else if (!strcmp(user, "<token>")) {
		if (!(out->identity_token = strdup(secret)))
			code = cs_err_set(err, CS_ENOMEM, "out of memory");
	} else if (!(out->username = strdup(user)) || !(out->password = strdup(secret))) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	cJSON_Delete(doc);
	return code;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000);
}

int cs_credhelper_get(const char *name, const char *server, cs_creds *out, cs_err *err)
{
	char prog[96], buf[4096];
	char *argv[3];
	int in[2] = {-1, -1}, outp[2] = {-1, -1}, status = 0, code = 0, rc;
	posix_spawn_file_actions_t fa;
	sigset_t pipe_set, old_set;
	struct timespec t0;
	char *answer = NULL;
	size_t alen = 0, i;
	pid_t pid = -1;
	bool timed_out = false;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_' || name[i] == '.'))
			return cs_err_set(err, CS_EFORMAT, "'%s' is not a credential helper name", name);
	if (!i || i > 64)
		return cs_err_set(err, CS_EFORMAT, "'%s' is not a credential helper name", name);
	snprintf(prog, sizeof(prog), "docker-credential-%s", name);
	argv[0] = prog;
	argv[1] = (char *)"get";
	argv[2] = NULL;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		code = cs_err_set(err, CS_EIO, "cannot run '%s': %s", prog, strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	if (rc != 0) {
		pid = -1;
		if (rc == ENOENT) {
			cs_warn("credential helper '%s' is not installed; going on without credentials", prog);
			code = CS_ENOTFOUND;
		} else {
			code = cs_err_set(err, CS_EIO, "cannot run '%s': %s", prog, strerror(rc));
		}
		goto done;
	}
	/* a helper that exits before reading must not kill us with SIGPIPE */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	{
		ssize_t w = write(in[1], server, strlen(server));

		CS_UNUSED(w);
	}
	close(in[1]);
	in[1] = -1;
	{
		struct timespec zero = {0, 0};

		while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = {outp[0], POLLIN, 0};
		long left = HELPER_TIMEOUT_MS - elapsed_ms(&t0);
		ssize_t n;

		if (left <= 0) {
			timed_out = true;
			break;
		}
		rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0) {
			timed_out = rc == 0;
			break;
		}
		n = read(outp[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (alen + (size_t)n > HELPER_OUT_MAX) {
			code = cs_err_set(err, CS_ELIMIT, "'%s' answered more than %u bytes", prog, HELPER_OUT_MAX);
			break;
		}
		{
			char *more = realloc(answer, alen + (size_t)n + 1);

			if (!more) {
				code = cs_err_set(err, CS_ENOMEM, "out of memory");
				break;
			}
			answer = more;
			memcpy(answer + alen, buf, (size_t)n);
			alen += (size_t)n;
			answer[alen] = '\0';
		}
	}
	if (timed_out || code < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pid = -1;
	if (code < 0)
		goto done;
	if (timed_out) {
		code = cs_err_set(err, CS_EIO, "'%s' did not answer within %d s", prog, HELPER_TIMEOUT_MS / 1000);
		goto done;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* docker's helpers say "credentials not found in native keychain" */
		if (answer && strstr(answer, "credentials not found")) {
			code = CS_ENOTFOUND;
		} else {
			code = cs_err_set(err, CS_EIO, "credential helper '%s' failed (%s %d)", prog,
					  WIFEXITED(status) ? "exit" : "signal",
					  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		}
		goto done;
	}
	if ((code = cs_credhelper_parse(answer ? answer : "", alen, out, err)) < 0)
		cs_err_prefix(err, "'%s': ", prog);
done:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (answer) {
		memset(answer, 0, alen);
		free(answer);
	}
	return code;
}

int cs_token_parse(const char *json, size_t len, char **token, long *expires_in, cs_err *err)
{
	cJSON *doc = cs_json_parse(json, len, "the token server's answer", err);
	const char *t;
	uint64_t exp = 0;
	size_t i, n;
	int code = 0;

	*token = NULL;
	*expires_in = 60;
	if (!doc)
		return CS_EFORMAT;
	t = cs_json_str(doc, "token");
	if (!t || !*t)
		t = cs_json_str(doc, "access_token");
	if (!t || !*t) {
		code = cs_err_set(err, CS_EFORMAT, "the token server's answer has no token");
		goto done;
	}
	n = strlen(t);
	if (n > TOKEN_MAX) {
		code = cs_err_set(err, CS_ELIMIT, "the token server's token is longer than %u bytes", TOKEN_MAX);
		goto done;
	}
	/* it goes into an Authorization header: printable ASCII only */
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] <= ' ' || (unsigned char)t[i] >= 0x7f) {
			code = cs_err_set(err, CS_EFORMAT, "the token server's token has characters a header cannot carry");
			goto done;
		}
	if (cs_json_u64(doc, "expires_in", &exp) && exp > 60)
		*expires_in = exp > 86400 * 365 ? 86400 * 365 : (long)exp;
	if (!(*token = strdup(t)))
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
done:
	cJSON_Delete(doc);
	return code;
}
