/*
 * image.c - the audit of the image config and its history (see
 * audit_int.h): who the container runs as, what it exposes, whether it has
 * a health check, secrets in Env and build arguments, and what each build
 * step did (ADD of URLs, downloads piped into shells, sudo, package-manager
 * hygiene, upgrades, chmod 777).
 *
 * History text is what the builder wrote, in one of a few shapes:
 *   docker:   "/bin/sh -c #(nop)  ENV A=b", "/bin/sh -c apt-get ...",
 *             "|2 A=x B=y /bin/sh -c make"
 *   BuildKit: "RUN /bin/sh -c apt-get ... # buildkit",
 *             "RUN --mount=type=cache,target=/x |1 A=x /bin/sh -c ...",
 *             "ADD https://example.com/x.tgz /opt/ # buildkit", "ENV A=b"
 * Values are never copied into a message: a secret is reported by name.
 */
#include "core/compat.h"
#include "audit/audit_int.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strutil.h"

#include <ctype.h>

/* --- config ---------------------------------------------------------------- */

static bool all_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return n > 0;
}

/* Whether the user part of User (before ':') is root: empty, "root", 0, or a UID 0 account's name. */
static bool root_user(const cs_audit *a, const char *user, size_t n)
{
	size_t i;

	if (n == 0 || (n == 4 && memcmp(user, "root", 4) == 0))
		return true;
	if (all_digits(user, n)) {
		for (i = 0; i < n && user[i] == '0'; i++)
			;
		return i == n;
	}
	for (i = 0; i < a->nuid0; i++)
		if (strlen(a->uid0[i]) == n && memcmp(a->uid0[i], user, n) == 0)
			return true;
	return false;
}

static void check_user(cs_audit *a, const cJSON *cfg)
{
	const char *u = cs_json_str(cfg, "User"), *colon;
	size_t n;

	if (!u || !*u) {
		cs_audit_emit(a, AU_ROOT_USER, NULL, "config:User", -1,
			      "the config names no user: containers run as root");
		return;
	}
	colon = strchr(u, ':');
	n = colon ? (size_t)(colon - u) : strlen(u);
	if (root_user(a, u, n)) {
		bool alias = n && !all_digits(u, n) && !(n == 4 && memcmp(u, "root", 4) == 0);

		cs_audit_emit(a, AU_ROOT_USER, NULL, "config:User", -1, "User is '%.64s': containers run as root%s", u,
			      alias ? " (etc/passwd gives the account UID 0)" : "");
	}
}

static const char *port_name(unsigned p)
{
	switch (p) {
	case 22: return "ssh";
	case 23: return "telnet";
	case 3389: return "RDP";
	default: return "listed in CUSTOMS_AUDIT_PORTS";
	}
}

/* Reads "N", "N/proto" or "N-M/proto"; false when it is none of them. */
static bool parse_ports(const char *key, unsigned *lo, unsigned *hi)
{
	const char *p = key;
	unsigned long v = 0, w;
	size_t nd = 0;

	while (isdigit((unsigned char)*p) && nd < 6)
		v = v * 10 + (unsigned long)(*p++ - '0'), nd++;
	if (!nd || v > 65535)
		return false;
	w = v;
	if (*p == '-') {
		p++;
		w = 0;
		nd = 0;
		while (isdigit((unsigned char)*p) && nd < 6)
			w = w * 10 + (unsigned long)(*p++ - '0'), nd++;
		if (!nd || w > 65535 || w < v)
			return false;
	}
	if (*p && *p != '/')
		return false;
	*lo = (unsigned)v;
	*hi = (unsigned)w;
	return true;
}

static void check_ports(cs_audit *a, const cJSON *cfg)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cs_json_obj(cfg, "ExposedPorts"))
	{
		unsigned lo, hi;
		size_t i;

		if (!e->string || !parse_ports(e->string, &lo, &hi))
			continue;
		for (i = 0; i < a->nports; i++) {
			size_t j;

			/* A port listed twice (a default also in CUSTOMS_AUDIT_PORTS) fires once. */
			for (j = 0; j < i && a->ports[j] != a->ports[i]; j++)
				;
			if (j < i || a->ports[i] < lo || a->ports[i] > hi)
				continue;
			if (lo == hi)
				cs_audit_emit(a, AU_DENIED_PORT, NULL, "config:ExposedPorts", -1, "exposes %.32s (%s)",
					      e->string, port_name(a->ports[i]));
			else
				cs_audit_emit(a, AU_DENIED_PORT, NULL, "config:ExposedPorts", -1,
					      "exposes %.32s, which includes %u (%s)", e->string, a->ports[i],
					      port_name(a->ports[i]));
		}
	}
}

static void check_healthcheck(cs_audit *a, const cJSON *cfg)
{
	const cJSON *test = cs_json_arr(cs_json_obj(cfg, "Healthcheck"), "Test"), *first;

	first = test ? cJSON_GetArrayItem(test, 0) : NULL;
	if (!first || !cJSON_IsString(first))
		cs_audit_emit(a, AU_NO_HEALTHCHECK, NULL, "config:Healthcheck", -1, "the config has no health check");
	else if (strcmp(first->valuestring, "NONE") == 0)
		cs_audit_emit(a, AU_NO_HEALTHCHECK, NULL, "config:Healthcheck", -1,
			      "HEALTHCHECK NONE turns the health check off");
}

/* A value that only points at a secret: a mounted secret file, nothing to leak. */
static bool secret_reference(const char *v, size_t n)
{
	return cs_mem_starts(v, n, "/run/secrets/") || cs_mem_starts(v, n, "/var/run/secrets/");
}

/* Whether a NAME=value (n bytes) names a secret and gives it a value. */
static bool secret_assignment(const char *kv, size_t n, size_t *name_len)
{
	const char *eq = memchr(kv, '=', n);
	const char *v;
	size_t vn;

	if (!eq || eq == kv)
		return false;
	*name_len = (size_t)(eq - kv);
	v = eq + 1;
	vn = n - *name_len - 1;
	cs_mem_trim(&v, &vn);
	/* "" and '' are empty values too */
	if (vn == 2 && (v[0] == '"' || v[0] == '\'') && v[1] == v[0])
		vn = 0;
	return vn > 0 && !secret_reference(v, vn) && cs_audit_secret_name(kv, *name_len);
}

static void check_env(cs_audit *a, const cJSON *cfg)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cs_json_arr(cfg, "Env"))
	{
		size_t nl;

		if (cJSON_IsString(e) && secret_assignment(e->valuestring, strlen(e->valuestring), &nl))
			cs_audit_emit(a, AU_ENV_SECRET, NULL, "config:Env", -1, "Env sets %.*s (value not shown)",
				      (int)(nl > 64 ? 64 : nl), e->valuestring);
	}
}

void cs_audit_env(cs_audit *a, const cJSON *env)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, env)
	{
		size_t nl;
		char *name;

		if (!cJSON_IsString(e) || !secret_assignment(e->valuestring, strlen(e->valuestring), &nl))
			continue;
		if (!(name = cs_arena_strndup(a->arena, e->valuestring, nl)) || cs_map_putn(&a->env_secrets, name, nl, name) < 0)
			a->nomem = true;
	}
}

void cs_audit_config(cs_audit *a, const cJSON *doc, size_t nlayers)
{
	const cJSON *cfg = cs_json_obj(doc, "config"), *h;
	size_t index = 0, li = 0;

	check_user(a, cfg);
	check_ports(a, cfg);
	check_healthcheck(a, cfg);
	check_env(a, cfg);
	cs_audit_env(a, cs_json_arr(cfg, "Env"));
	if (nlayers && !(a->created_by = cs_arena_calloc(a->arena, nlayers, sizeof(*a->created_by))))
		a->nomem = true;
	a->nlayers = a->created_by ? nlayers : 0;
	/* Steps own layers in order, the way image/config.c gives layers their created_by. */
	cJSON_ArrayForEach(h, cs_json_arr(doc, "history"))
	{
		int layer = -1;
		const char *by;

		if (cJSON_IsObject(h) && !cs_json_true(h, "empty_layer") && li < nlayers)
			layer = (int)li++;
		if (cJSON_IsObject(h) && (by = cs_json_str(h, "created_by")) != NULL) {
			cs_audit_step(a, by, index, layer);
			if (layer >= 0 && (size_t)layer < a->nlayers)
				a->created_by[layer] = cs_audit_redact_args(a, by);
		}
		index++;
	}
}

/* --- one history step: its shape ---------------------------------------------- */

typedef struct step {
	char instr[16];     /* "RUN", "ADD", "ENV"...; "" when unknown */
	const char *flags;  /* --mount=... and other flags of RUN/ADD/COPY */
	size_t flen;
	const char *bargs;  /* build arguments: "A=x B=y" of "|2 A=x B=y" */
	size_t blen;
	size_t nbargs;
	const char *text;   /* the rest: RUN's shell text, ADD's sources and destination, ENV's pairs */
	size_t tlen;
} step;

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *skip_word(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	return p;
}

static bool starts(const char *p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* "|N A=x B=y rest": the N assignments; p is at '|'. Returns what follows them. */
static const char *build_args(step *st, const char *p, const char *end)
{
	const char *q = p + 1, *w;
	size_t n = 0, i;

	while (q < end && isdigit((unsigned char)*q) && n < 100000)
		n = n * 10 + (size_t)(*q++ - '0');
	q = skip_space(q, end);
	st->bargs = q;
	for (i = 0; i < n && q < end; i++) {
		w = skip_word(q, end);
		q = skip_space(w, end);
	}
	st->blen = (size_t)(q - st->bargs);
	st->nbargs = i;
	return q;
}

/*
 * Past the shell a RUN step's text starts with ("/bin/sh -c ", "/bin/bash
 * -o pipefail -c ", what SHELL set); NULL when it does not start with one.
 */
static const char *after_shell(const char *p, const char *end)
{
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh"};
	const char *w = skip_word(p, end), *base = p, *q;
	size_t i;

	for (q = p; q < w; q++)
		if (*q == '/')
			base = q + 1;
	for (i = 0; i < CS_ARRAY_LEN(shells); i++)
		if ((size_t)(w - base) == strlen(shells[i]) && memcmp(base, shells[i], (size_t)(w - base)) == 0)
			break;
	if (i == CS_ARRAY_LEN(shells))
		return NULL;
	/* options up to the one that ends in c: -c, -ec, -exc; -o takes a value */
	for (q = skip_space(w, end); q < end && *q == '-'; q = skip_space(w, end)) {
		w = skip_word(q, end);
		if (w - q == 2 && q[1] == 'o') {
			w = skip_word(skip_space(w, end), end);
			continue;
		}
		if (w[-1] == 'c')
			return skip_space(w, end);
	}
	return NULL;
}

/* Drops the shell a RUN step's text starts with, if any. */
static const char *strip_shell(const char *p, const char *end)
{
	const char *q = after_shell(p, end);

	return q ? q : p;
}

/* Reads the instruction word at p (letters, any case) into st->instr; returns what follows. */
static const char *instruction(step *st, const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && isalpha((unsigned char)p[n]))
		n++;
	if (n == 0 || n >= sizeof(st->instr) || (p + n < end && p[n] != ' ' && p[n] != '\t'))
		return NULL;
	for (size_t i = 0; i < n; i++)
		st->instr[i] = (char)toupper((unsigned char)p[i]);
	st->instr[n] = '\0';
	return skip_space(p + n, end);
}

/* Skips --flags after RUN, ADD and COPY, remembering where they are. */
static const char *flags(step *st, const char *p, const char *end)
{
	st->flags = p;
	while (starts(p, end, "--"))
		p = skip_space(skip_word(p, end), end);
	st->flen = (size_t)(p - st->flags);
	return p;
}

/* Classifies one created_by; false when it is none of the shapes above. */
static bool parse_step(step *st, const char *by)
{
	const char *p = by, *end = by + strlen(by);

	memset(st, 0, sizeof(*st));
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (end - p >= 10 && memcmp(end - 10, "# buildkit", 10) == 0)
		end -= 10;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	p = skip_space(p, end);
	if (*p == '|' && p + 1 < end && isdigit((unsigned char)p[1])) {
		/* docker's RUN with build arguments */
		p = build_args(st, p, end);
		memcpy(st->instr, "RUN", 4);
		p = strip_shell(p, end);
	} else if (*p == '/' && after_shell(p, end)) {
		/* docker: the shell (SHELL changes it), then #(nop) INSTRUCTION or RUN's text */
		p = after_shell(p, end);
		if (starts(p, end, "#(nop)")) {
			if (!(p = instruction(st, skip_space(p + 6, end), end)))
				return false;
			if (!strcmp(st->instr, "ADD") || !strcmp(st->instr, "COPY"))
				p = flags(st, p, end);
		} else {
			memcpy(st->instr, "RUN", 4);
		}
	} else {
		if (!(p = instruction(st, p, end)))
			return false;
		if (!strcmp(st->instr, "RUN") || !strcmp(st->instr, "ADD") || !strcmp(st->instr, "COPY"))
			p = flags(st, p, end);
		if (!strcmp(st->instr, "RUN")) {
			if (*p == '|' && p + 1 < end && isdigit((unsigned char)p[1]))
				p = build_args(st, p, end);
			p = strip_shell(p, end);
		}
	}
	st->text = p;
	st->tlen = (size_t)(end - p);
	return true;
}

/* --- secrets in ENV, ARG and build arguments --------------------------------- */

/* Whether name was reported already; records it when not. */
static bool seen_name(cs_audit *a, const char *name, size_t n)
{
	char *copy;

	if (cs_map_getn(&a->seen, name, n))
		return true;
	if (!(copy = cs_arena_strndup(a->arena, name, n)) || cs_map_putn(&a->seen, copy, n, copy) < 0) {
		a->nomem = true;
		return true;
	}
	return false;
}

/* Whether the final config's Env still gives name a value (then CS-IMG-004 reports it). */
static bool env_has(const cs_audit *a, const char *name, size_t n)
{
	return cs_map_getn(&a->env_secrets, name, n) != NULL;
}

/*
 * The NAME=value words of text (ENV and ARG pairs, build arguments), up to
 * max of them; what: "build argument", "ENV", "ARG".
 */
static void secret_pairs(cs_audit *a, const char *text, size_t len, size_t max, const char *what, size_t index,
			 int layer, bool env)
{
	const char *p = text, *end = text + len;
	size_t i;

	for (i = 0; i < max && p < end; i++) {
		const char *w = skip_word(p, end);
		size_t nl;

		if (secret_assignment(p, (size_t)(w - p), &nl) && !(env && env_has(a, p, nl)) && !seen_name(a, p, nl))
			cs_audit_emit(a, AU_HISTORY_SECRET, NULL, cs_arena_printf(a->arena, "config:history[%zu]", index),
				      layer, "%s %.*s is recorded with its value (not shown)", what,
				      (int)(nl > 64 ? 64 : nl), p);
		p = skip_space(w, end);
	}
}

/* ENV A=b C=d, or the legacy ENV NAME value with spaces. */
static void env_step(cs_audit *a, const step *st, size_t index, int layer)
{
	const char *end = st->text + st->tlen, *w = skip_word(st->text, end), *v = skip_space(w, end);
	size_t nl = (size_t)(w - st->text);

	if (memchr(st->text, '=', nl)) {
		secret_pairs(a, st->text, st->tlen, SIZE_MAX, "ENV", index, layer, true);
		return;
	}
	if (v < end && cs_audit_secret_name(st->text, nl) && !secret_reference(v, (size_t)(end - v)) &&
	    !env_has(a, st->text, nl) && !seen_name(a, st->text, nl))
		cs_audit_emit(a, AU_HISTORY_SECRET, NULL, cs_arena_printf(a->arena, "config:history[%zu]", index), layer,
			      "ENV %.*s is recorded with its value (not shown)",
			      (int)(nl > 64 ? 64 : nl), st->text);
}

const char *cs_audit_redact_args(cs_audit *a, const char *created_by)
{
	step st;
	const char *p, *end;
	size_t i, nl;
	bool any = false;
	int rc;
	cs_buf b;
	char *out;

	if (!parse_step(&st, created_by) || !st.nbargs)
		return NULL;
	cs_buf_init(&b, 0);
	rc = cs_buf_append(&b, created_by, (size_t)(st.bargs - created_by));
	p = st.bargs;
	end = st.bargs + st.blen;
	for (i = 0; i < st.nbargs && p < end; i++) {
		const char *w = skip_word(p, end), *next = skip_space(w, end);

		if (secret_assignment(p, (size_t)(w - p), &nl)) {
			rc |= cs_buf_append(&b, p, nl + 1);
			rc |= cs_buf_puts(&b, "*****");
			any = true;
		} else {
			rc |= cs_buf_append(&b, p, (size_t)(w - p));
		}
		rc |= cs_buf_append(&b, w, (size_t)(next - w));
		p = next;
	}
	rc |= cs_buf_puts(&b, p);
	out = any && rc == 0 && b.data ? cs_arena_strdup(a->arena, b.data) : NULL;
	if (any && !out)
		a->nomem = true;
	cs_buf_release(&b);
	return out;
}

/* --- RUN ---------------------------------------------------------------------- */

#define NAME_MAX_LEN 32

static bool name_is(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static bool is_shell(const char *name)
{
	static const char *const shells[] = {"sh",     "bash",    "dash",    "ash",  "zsh",  "ksh",
					     "python", "python2", "python3", "perl", "ruby", "node"};

	return name_is(name, shells, CS_ARRAY_LEN(shells));
}

/* Whether a wget command writes what it downloads to stdout (-O-, -qO -, --output-document=-). */
static bool wget_stdout(const cs_sh_cmd *c, size_t from)
{
	size_t i;

	for (i = from + 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		size_t n = strlen(w);

		if (strcmp(w, "--output-document=-") == 0 || strstr(w, "/dev/stdout"))
			return true;
		if (w[0] == '-' && w[1] != '-' && n >= 2 && w[n - 1] == 'O' && i + 1 < c->argc &&
		    strcmp(c->argv[i + 1], "-") == 0)
			return true;
		if (w[0] == '-' && w[1] != '-' && n >= 3 && w[n - 2] == 'O' && w[n - 1] == '-')
			return true;
		if (strcmp(w, "--output-document") == 0 && i + 1 < c->argc && strcmp(c->argv[i + 1], "-") == 0)
			return true;
	}
	return false;
}

/*
 * Where the real command of c starts: past sudo (and its options), env
 * (and its assignments), exec, nohup, time, command. *sudo is set when
 * sudo was one of them.
 */
static size_t real_start(const cs_sh_cmd *c, bool *sudo)
{
	static const char *const wrappers[] = {"exec", "nohup", "time", "command", "nice"};
	char name[NAME_MAX_LEN];
	size_t i = 0;

	while (i < c->argc) {
		cs_sh_name(c->argv[i], name, sizeof(name));
		if (strcmp(name, "sudo") == 0) {
			*sudo = true;
			for (i++; i < c->argc && c->argv[i][0] == '-'; i++)
				/* options that take a value: -u user */
				if (c->argv[i][1] && !c->argv[i][2] && strchr("ugCDhprtT", c->argv[i][1]))
					i++;
		} else if (strcmp(name, "env") == 0) {
			for (i++; i < c->argc && (c->argv[i][0] == '-' || strchr(c->argv[i], '=')); i++)
				;
		} else if (name_is(name, wrappers, CS_ARRAY_LEN(wrappers))) {
			i++;
		} else {
			break;
		}
	}
	return i;
}

/* The first word after start that is not an option (skipping the values of options that take one). */
static const char *subcommand(const cs_sh_cmd *c, size_t start, size_t *at)
{
	static const char *const with_value[] = {"-o", "-c", "-t", "-X", "--repository", "-p", "--root",
						 "--arch", "--cache-dir", "--keys-dir", "--installroot",
						 "--releasever", "--setopt"};
	size_t i;

	for (i = start + 1; i < c->argc; i++) {
		const char *w = c->argv[i];

		if (w[0] != '-') {
			*at = i;
			return w;
		}
		if (name_is(w, with_value, CS_ARRAY_LEN(with_value)))
			i++;
	}
	return NULL;
}

static bool has_word_in(const cs_sh_cmd *c, size_t from, const char *word)
{
	size_t i;

	for (i = from; i < c->argc; i++)
		if (strcmp(c->argv[i], word) == 0)
			return true;
	return false;
}

static bool apt_yes(const cs_sh_cmd *c, size_t from)
{
	size_t i;

	for (i = from; i < c->argc; i++) {
		const char *w = c->argv[i];

		if (!strcmp(w, "-y") || !strcmp(w, "--yes") || !strcmp(w, "--assume-yes") || !strcmp(w, "-qq") ||
		    !strcmp(w, "-q=2") || !strcmp(w, "--quiet=2") || strstr(w, "Assume-Yes=true") ||
		    strstr(w, "Assume-Yes=1"))
			return true;
		/* a cluster of short options: -qy, -yq */
		if (w[0] == '-' && w[1] != '-') {
			size_t j;
			bool letters = true;

			for (j = 1; w[j] && letters; j++)
				letters = isalpha((unsigned char)w[j]);
			if (letters && strchr(w + 1, 'y'))
				return true;
		}
	}
	return false;
}

static bool apt_no_recommends(const cs_sh_cmd *c, size_t from)
{
	size_t i;

	for (i = from; i < c->argc; i++)
		if (!strcmp(c->argv[i], "--no-install-recommends") || strstr(c->argv[i], "Install-Recommends=false") ||
		    strstr(c->argv[i], "Install-Recommends=0") || strstr(c->argv[i], "Install-Recommends=\"false\""))
			return true;
	return false;
}

/* chmod's mode argument makes files world-writable (777, 0666, a+w, o=rwx), sticky ones (1777) excepted. */
static bool world_mode(const char *m)
{
	size_t n = strlen(m);

	if (n >= 3 && n <= 4 && strspn(m, "01234567") == n) {
		if (n == 4 && ((m[0] - '0') & 1))
			return false;
		return ((m[n - 1] - '0') & 2) != 0;
	}
	/* symbolic clauses: [ugoa]*[+=][rwxXst]* separated by commas */
	while (*m) {
		const char *who = m, *op;
		bool others = false, w = false, t = false;

		while (*m && strchr("ugoa", *m))
			m++;
		op = m;
		for (const char *q = who; q < op; q++)
			others |= *q == 'o' || *q == 'a';
		if (*m != '+' && *m != '=')
			others = false;
		if (*m)
			m++;
		while (*m && *m != ',') {
			w |= *m == 'w';
			t |= *m == 't';
			m++;
		}
		if (others && w && !t)
			return true;
		if (*m == ',')
			m++;
	}
	return false;
}

/* What one RUN step's commands did, gathered over all of them. */
typedef struct run_facts {
	bool sudo, pipe_shell, apt_no_yes, apt_recommends, apt_update, lists_removed, apk_no_cache, apk_cache_removed;
	bool upgrade, chmod_world, only_updates, any;
	char pipe_from[NAME_MAX_LEN], pipe_to[NAME_MAX_LEN], upgrade_how[NAME_MAX_LEN * 2];
} run_facts;

/* One simple command (from its real start). */
static void run_command(run_facts *f, const cs_sh_cmd *c, size_t start, size_t *download_pipeline,
			size_t *download_stage, char *download_name)
{
	static const char *const rpm_managers[] = {"yum", "dnf", "microdnf", "tdnf"};
	char name[NAME_MAX_LEN], arg[NAME_MAX_LEN];
	const char *sub;
	size_t at = 0, i;
	bool update = false;

	cs_sh_name(c->argv[start], name, sizeof(name));
	sub = subcommand(c, start, &at);
	if (!strcmp(name, "set") || !strcmp(name, "true") || !strcmp(name, ":"))
		return; /* shell housekeeping: not a step of its own */
	f->any = true;
	if ((!strcmp(name, "curl") || (!strcmp(name, "wget") && wget_stdout(c, start)))) {
		*download_pipeline = c->pipeline;
		*download_stage = c->stage;
		memcpy(download_name, name, sizeof(name));
	} else if (is_shell(name) && *download_pipeline == c->pipeline && c->stage > *download_stage &&
		   !f->pipe_shell) {
		f->pipe_shell = true;
		memcpy(f->pipe_from, download_name, NAME_MAX_LEN);
		memcpy(f->pipe_to, name, sizeof(name));
	}
	/* sh -c "$(curl ...)", bash <(curl ...) */
	if (is_shell(name) && !f->pipe_shell)
		for (i = start + 1; i < c->argc; i++) {
			const char *w = c->argv[i];

			if (strstr(w, "$(curl") || strstr(w, "$(wget") || strstr(w, "<(curl") || strstr(w, "<(wget") ||
			    strstr(w, "`curl") || strstr(w, "`wget")) {
				f->pipe_shell = true;
				snprintf(f->pipe_from, sizeof(f->pipe_from), "%s", strstr(w, "curl") ? "curl" : "wget");
				memcpy(f->pipe_to, name, sizeof(name));
				break;
			}
		}
	if ((!strcmp(name, "apt-get") || !strcmp(name, "apt") || !strcmp(name, "aptitude")) && sub) {
		if (!strcmp(sub, "install")) {
			f->apt_no_yes |= !apt_yes(c, start + 1);
			f->apt_recommends |= strcmp(name, "aptitude") != 0 && !apt_no_recommends(c, start + 1);
		} else if (!strcmp(sub, "update")) {
			f->apt_update = update = true;
		} else if (!strcmp(sub, "upgrade") || !strcmp(sub, "dist-upgrade") || !strcmp(sub, "full-upgrade") ||
			   !strcmp(sub, "safe-upgrade")) {
			f->upgrade = true;
			snprintf(f->upgrade_how, sizeof(f->upgrade_how), "%s %s", name, cs_sh_name(sub, arg, sizeof(arg)));
		}
	} else if (!strcmp(name, "apk") && sub) {
		if (!strcmp(sub, "add"))
			f->apk_no_cache |= !has_word_in(c, start + 1, "--no-cache");
		else if (!strcmp(sub, "update"))
			update = true;
		else if (!strcmp(sub, "upgrade")) {
			f->upgrade = true;
			snprintf(f->upgrade_how, sizeof(f->upgrade_how), "apk upgrade");
		} else if (!strcmp(sub, "cache") && at + 1 < c->argc &&
			   (!strcmp(c->argv[at + 1], "clean") || !strcmp(c->argv[at + 1], "purge")))
			f->apk_cache_removed = true;
	} else if (name_is(name, rpm_managers, CS_ARRAY_LEN(rpm_managers)) && sub) {
		if (!strcmp(sub, "update") || !strcmp(sub, "upgrade") || !strcmp(sub, "upgrade-minimal") ||
		    !strcmp(sub, "update-minimal") || !strcmp(sub, "distro-sync")) {
			f->upgrade = true;
			snprintf(f->upgrade_how, sizeof(f->upgrade_how), "%s %s", name, cs_sh_name(sub, arg, sizeof(arg)));
		} else if (!strcmp(sub, "makecache")) {
			update = true;
		}
	} else if (!strcmp(name, "zypper") && sub) {
		if (!strcmp(sub, "up") || !strcmp(sub, "update") || !strcmp(sub, "dup") || !strcmp(sub, "dist-upgrade") ||
		    !strcmp(sub, "patch")) {
			f->upgrade = true;
			snprintf(f->upgrade_how, sizeof(f->upgrade_how), "zypper %s", cs_sh_name(sub, arg, sizeof(arg)));
		} else if (!strcmp(sub, "ref") || !strcmp(sub, "refresh")) {
			update = true;
		}
	}
	/* chmod as the command, or run by another: find ... -exec chmod 777 {} +, xargs chmod 666 */
	for (i = start; i < c->argc && !f->chmod_world; i++) {
		size_t j;

		if (strcmp(cs_sh_name(c->argv[i], arg, sizeof(arg)), "chmod") != 0)
			continue;
		/* "chmod -R 777 x": the first word past the options is the mode */
		for (j = i + 1; j < c->argc && c->argv[j][0] == '-'; j++)
			;
		f->chmod_world = j < c->argc && world_mode(c->argv[j]);
	}
	if (!update)
		f->only_updates = false;
	/* Any command that names the lists or the apk cache with rm, find -delete... cleans them. */
	if (strcmp(name, "apt-get") != 0 && strcmp(name, "apt") != 0)
		for (i = start + 1; i < c->argc; i++) {
			if (strstr(c->argv[i], "/var/lib/apt/lists"))
				f->lists_removed = true;
			if (strstr(c->argv[i], "/var/cache/apk"))
				f->apk_cache_removed = true;
		}
}

static void check_run(cs_audit *a, const step *st, size_t index, int layer)
{
	cs_arena scratch;
	cs_sh_cmd *cmds = NULL;
	run_facts f;
	char download_name[NAME_MAX_LEN] = "";
	size_t download_pipeline = SIZE_MAX, download_stage = 0, i;
	const char *text = st->text;
	size_t tlen = st->tlen;
	char *joined = NULL, *path;
	int n;

	cs_arena_init(&scratch);
	memset(&f, 0, sizeof(f));
	f.only_updates = true;
	/* The exec form, RUN ["sh", "-c", "..."] or RUN ["apt-get", "install", "x"]: its words. */
	if (tlen && text[0] == '[') {
		cJSON *arr = cJSON_ParseWithLength(text, tlen);
		const cJSON *w;
		cs_buf b;

		cs_buf_init(&b, 0);
		if (cJSON_IsArray(arr)) {
			int nw = cJSON_GetArraySize(arr);
			char name[NAME_MAX_LEN];
			const cJSON *w1 = cJSON_GetArrayItem(arr, 1), *w2 = cJSON_GetArrayItem(arr, 2);
			const cJSON *w0 = cJSON_GetArrayItem(arr, 0);

			if (nw == 3 && cJSON_IsString(w0) && cJSON_IsString(w1) && cJSON_IsString(w2) &&
			    is_shell(cs_sh_name(w0->valuestring, name, sizeof(name))) && !strcmp(w1->valuestring, "-c"))
				cs_buf_puts(&b, w2->valuestring);
			else
				cJSON_ArrayForEach(w, arr) if (cJSON_IsString(w))
				{
					/* quoted so the splitter keeps each word whole */
					cs_buf_putc(&b, '\'');
					for (const char *q = w->valuestring; *q; q++)
						if (*q == '\'')
							cs_buf_puts(&b, "'\\''");
						else
							cs_buf_putc(&b, *q);
					cs_buf_puts(&b, "' ");
				}
		}
		cJSON_Delete(arr);
		if (b.data && (joined = cs_arena_strdup(&scratch, b.data))) {
			text = joined;
			tlen = strlen(joined);
		}
		cs_buf_release(&b);
	}
	n = cs_sh_split(&scratch, text, tlen, &cmds);
	if (n < 0) {
		a->nomem = true;
		cs_arena_release(&scratch);
		return;
	}
	for (i = 0; i < (size_t)n; i++) {
		bool sudo = false;
		size_t start = real_start(&cmds[i], &sudo);

		f.sudo |= sudo;
		if (start < cmds[i].argc)
			run_command(&f, &cmds[i], start, &download_pipeline, &download_stage, download_name);
	}
	/* A cache mount keeps the lists or the apk cache out of the layer. */
	if (st->flen && memmem(st->flags, st->flen, "type=cache", 10)) {
		f.lists_removed |= memmem(st->flags, st->flen, "/var/lib/apt", 12) != NULL;
		f.apk_cache_removed |= memmem(st->flags, st->flen, "/var/cache/apk", 14) != NULL;
	}
	cs_arena_release(&scratch);
	if (!(path = cs_arena_printf(a->arena, "config:history[%zu]", index))) {
		a->nomem = true;
		return;
	}
	if (f.pipe_shell)
		cs_audit_emit(a, AU_PIPE_SHELL, NULL, path, layer, "pipes %s into %s", f.pipe_from, f.pipe_to);
	if (f.sudo)
		cs_audit_emit(a, AU_SUDO, NULL, path, layer, "runs a command with sudo");
	if (f.apt_no_yes)
		cs_audit_emit(a, AU_APT_NO_YES, NULL, path, layer, "installs with apt without -y");
	if (f.apt_recommends)
		cs_audit_emit(a, AU_APT_RECOMMENDS, NULL, path, layer,
			      "installs with apt without --no-install-recommends");
	if (f.apt_update && !f.lists_removed && !(f.any && f.only_updates))
		cs_audit_emit(a, AU_APT_LISTS, NULL, path, layer,
			      "apt-get update leaves /var/lib/apt/lists in the layer");
	if (f.apk_no_cache && !f.apk_cache_removed)
		cs_audit_emit(a, AU_APK_CACHE, NULL, path, layer, "runs apk add without --no-cache");
	if (f.upgrade)
		cs_audit_emit(a, AU_UPGRADE, NULL, path, layer, "runs %s", f.upgrade_how);
	if (f.any && f.only_updates)
		cs_audit_emit(a, AU_UPDATE_ALONE, NULL, path, layer, "only updates the package index");
	if (f.chmod_world)
		cs_audit_emit(a, AU_CHMOD_WORLD, NULL, path, layer, "makes files world-writable with chmod");
}

/* --- ADD ---------------------------------------------------------------------- */

static void check_add(cs_audit *a, const step *st, size_t index, int layer)
{
	const char *p = st->text, *end = st->text + st->tlen;

	/* Every word but the last (the destination); "in" of docker's "ADD file:... in /" is no URL. */
	while (p < end) {
		const char *w = skip_word(p, end), *next = skip_space(w, end), *host, *h;
		size_t scheme;

		if (next >= end || *p == '#')
			break; /* the destination, or a comment the builder appended */
		/* JSON form: ["https://...", "/dest"] */
		while (p < w && (*p == '[' || *p == '"'))
			p++;
		scheme = cs_mem_starts(p, (size_t)(w - p), "http://") ? 7 : cs_mem_starts(p, (size_t)(w - p), "https://") ? 8 : 0;
		if (scheme) {
			/* scheme://host only: a path or query may carry a token, user:pass@ a password */
			host = p + scheme;
			for (h = host; h < w && *h != '/' && *h != '?' && *h != '#' && *h != '"'; h++)
				if (*h == '@')
					host = h + 1;
			for (h = host; h < w && *h != '/' && *h != '?' && *h != '#' && *h != '"' && *h != ','; h++)
				;
			cs_audit_emit(a, AU_ADD_REMOTE, NULL, cs_arena_printf(a->arena, "config:history[%zu]", index), layer,
				      "ADDs a file from %.*s%.*s", (int)scheme, p,
				      (int)((h - host) > 128 ? 128 : (h - host)), host);
		}
		p = next;
	}
}

/* --- one step ------------------------------------------------------------------- */

void cs_audit_step(cs_audit *a, const char *created_by, size_t index, int layer)
{
	step st;

	if (!parse_step(&st, created_by))
		return;
	if (st.nbargs)
		secret_pairs(a, st.bargs, st.blen, st.nbargs, "build argument", index, layer, false);
	if (!strcmp(st.instr, "RUN"))
		check_run(a, &st, index, layer);
	else if (!strcmp(st.instr, "ADD"))
		check_add(a, &st, index, layer);
	else if (!strcmp(st.instr, "ENV"))
		env_step(a, &st, index, layer);
	else if (!strcmp(st.instr, "ARG"))
		secret_pairs(a, st.text, st.tlen, SIZE_MAX, "ARG", index, layer, false);
}
