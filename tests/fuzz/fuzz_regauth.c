/*
 * fuzz_regauth.c - libFuzzer target for what a registry and the local
 * configuration hand to customs before any image byte: image references
 * (cs_ref_parse), WWW-Authenticate headers (cs_challenge_parse), auth files
 * (cs_authfile_lookup), credential helper and token answers. Every parser
 * gets the same input. A crash, a sanitizer report or a broken contract
 * (success with an empty field that success promises, a failure without a
 * message, a challenge or token holding a control byte) is a bug. Seeds:
 * corpus/regauth/.
 */
#include "core/compat.h"
#include "image/ref.h"
#include "image/regauth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const domains[][2] = {{"docker.io", "library/alpine"}, {"reg.example:5000", "team/app"}};
	char *s = malloc(size + 1), helper[64];
	cs_challenge ch[CS_CHALLENGE_MAX];
	cs_creds c;
	cs_err err;
	cs_ref r;
	size_t n, i;
	char *tok;
	long exp;
	int code;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	cs_err_clear(&err);
	code = cs_ref_parse(&r, s, &err);
	if (code == 0) {
		char out[1024];

		if (!r.domain[0] || !r.host[0] || !r.repo[0] || (!r.tag[0] && !r.digest[0]) || has_ctl(r.repo))
			abort();
		cs_ref_format(&r, out, sizeof(out));
		/* the canonical form is a reference with the same meaning */
		{
			cs_ref again;

			if (cs_ref_parse(&again, out, NULL) != 0 || strcmp(again.repo, r.repo) || strcmp(again.domain, r.domain) ||
			    strcmp(again.tag, r.tag) || strcmp(again.digest, r.digest))
				abort();
		}
		(void)cs_ref_host_is_loopback(r.host);
	} else if (code != CS_EFORMAT || !err.msg[0]) {
		abort();
	}

	cs_challenge_parse(s, size, ch, CS_CHALLENGE_MAX, &n);
	if (n > CS_CHALLENGE_MAX)
		abort();
	for (i = 0; i < n; i++)
		if (!ch[i].scheme[0] || has_ctl(ch[i].realm) || has_ctl(ch[i].service) || has_ctl(ch[i].scope))
			abort();

	for (i = 0; i < CS_ARRAY_LEN(domains); i++) {
		memset(&c, 0, sizeof(c));
		cs_err_clear(&err);
		code = cs_authfile_lookup(s, size, domains[i][0], domains[i][1], &c, helper, &err);
		if ((code < 0 && !err.msg[0]) || (code == 0 && c.username && !c.password) || strlen(helper) >= 64)
			abort();
		cs_creds_release(&c);
	}

	memset(&c, 0, sizeof(c));
	cs_err_clear(&err);
	code = cs_credhelper_parse(s, size, &c, &err);
	if ((code == 0 && !cs_creds_any(&c)) || (code < 0 && !err.msg[0]))
		abort();
	cs_creds_release(&c);

	cs_err_clear(&err);
	code = cs_token_parse(s, size, &tok, &exp, &err);
	if (code == 0 && (!tok || !*tok || has_ctl(tok) || strchr(tok, ' ') || exp < 60))
		abort();
	if (code < 0 && (tok || !err.msg[0]))
		abort();
	free(tok);
	free(s);
	return 0;
}
