/*
 * dfparse.c - Dockerfile parser: physical lines -> logical instructions ->
 * stages. See dfparse.h for what is read and what is left as written.
 *
 * The rules follow BuildKit's dockerfile front end (the reference for what
 * a Dockerfile means): parser directives only before anything else, a line
 * continues when its last non-blank character is the escape character,
 * comment and blank lines inside a continuation are dropped, heredoc bodies
 * follow the instruction's logical line verbatim, and leading `--name=value`
 * words are flags.
 */
#include "core/compat.h"
#include "audit/dfparse.h"

#include "core/buf.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <strings.h>

typedef struct parser {
	const char *data;
	size_t len;
	size_t pos;       /* start of the next physical line */
	uint64_t lineno;  /* number of the line last read */
	cs_arena *a;
	cs_err *err;
	char escape;
	cs_df_instr *instrs;
	size_t ninstrs, capinstrs;
	cs_df_stage *stages;
	size_t nstages, capstages;
	cs_df_problem *problems;
	size_t nproblems, capproblems;
} parser;

static const char *const known_keywords[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
	"LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next physical line without its '\n' and a trailing '\r'; false at the end. */
static bool next_line(parser *ps, const char **s, size_t *n)
{
	const char *start, *nl;
	size_t k;

	if (ps->pos >= ps->len)
		return false;
	start = ps->data + ps->pos;
	nl = memchr(start, '\n', ps->len - ps->pos);
	k = nl ? (size_t)(nl - start) : ps->len - ps->pos;
	ps->pos += k + (nl ? 1 : 0);
	if (k && start[k - 1] == '\r')
		k--;
	ps->lineno++;
	*s = start;
	*n = k;
	return true;
}

static int problem(parser *ps, uint64_t line, const char *fmt, ...) CS_PRINTF(3, 4);

/* Records something BuildKit would refuse; the parse goes on. */
static int problem(parser *ps, uint64_t line, const char *fmt, ...)
{
	cs_df_problem *p;
	va_list ap;

	if (ps->nproblems >= CS_DF_MAX_PROBLEMS)
		return 0;
	if (ps->nproblems == ps->capproblems) {
		p = cs_arena_grow(ps->a, ps->problems, ps->nproblems, &ps->capproblems, sizeof(*p));
		if (!p)
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		ps->problems = p;
	}
	p = &ps->problems[ps->nproblems];
	va_start(ap, fmt);
	p->message = cs_arena_vprintf(ps->a, fmt, ap);
	va_end(ap);
	if (!p->message)
		return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	p->line = line;
	ps->nproblems++;
	return 0;
}

char *cs_df_unquote(const char *w, size_t n, char escape, cs_arena *a)
{
	char *out = cs_arena_alloc(a, n + 1);
	size_t i = 0, o = 0;

	if (!out)
		return NULL;
	while (i < n) {
		char c = w[i];

		if (c == '\'') {
			for (i++; i < n && w[i] != '\''; i++)
				out[o++] = w[i];
			i++;
		} else if (c == '"') {
			for (i++; i < n && w[i] != '"'; i++) {
				if (w[i] == escape && i + 1 < n && (w[i + 1] == '"' || w[i + 1] == escape || w[i + 1] == '$'))
					i++;
				out[o++] = w[i];
			}
			i++;
		} else if (c == escape && i + 1 < n) {
			out[o++] = w[i + 1];
			i += 2;
		} else {
			out[o++] = c;
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

/* Length of the word starting at s (blanks end it outside quotes). */
static size_t word_len(const char *s, char escape)
{
	size_t i = 0;
	char q = 0;

	while (s[i]) {
		char c = s[i];

		if (q) {
			if (c == q)
				q = 0;
			else if (q == '"' && c == escape && s[i + 1])
				i++;
		} else if (is_blank(c)) {
			break;
		} else if (c == '\'' || c == '"') {
			q = c;
		} else if (c == escape && s[i + 1]) {
			i++;
		}
		i++;
	}
	return i;
}

int cs_df_split(const char ***out, size_t *n, const char *text, char escape, bool unquote, cs_arena *a)
{
	const char **v = NULL;
	size_t cap = 0, k = 0;
	const char *p = text;

	*out = NULL;
	*n = 0;
	for (;;) {
		size_t w;
		const char *s;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		w = word_len(p, escape);
		s = unquote ? cs_df_unquote(p, w, escape, a) : cs_arena_strndup(a, p, w);
		if (!s)
			return CS_ENOMEM;
		if (k == cap) {
			const char **nv = cs_arena_grow(a, v, k, &cap, sizeof(*v));

			if (!nv)
				return CS_ENOMEM;
			v = nv;
		}
		v[k++] = s;
		p += w;
	}
	*out = v;
	*n = k;
	return 0;
}

const char *cs_df_flag_value(const cs_df_instr *in, const char *name, bool *present)
{
	size_t i;

	for (i = 0; i < in->nflags; i++)
		if (!strcmp(in->flags[i].name, name)) {
			if (present)
				*present = true;
			return in->flags[i].value;
		}
	if (present)
		*present = false;
	return NULL;
}

/*
 * A parser directive line (`# escape=\``): key and value, trimmed. False
 * for an ordinary comment.
 */
static bool directive(const char *s, size_t n, char *key, size_t keysz, const char **val, size_t *vn)
{
	size_t i = 0, k0, k1;

	while (i < n && is_blank(s[i]))
		i++;
	if (i == n || s[i] != '#')
		return false;
	i++;
	while (i < n && is_blank(s[i]))
		i++;
	k0 = i;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
		i++;
	k1 = i;
	while (i < n && is_blank(s[i]))
		i++;
	if (k1 == k0 || i == n || s[i] != '=' || k1 - k0 >= keysz)
		return false;
	for (i = 0; i < k1 - k0; i++)
		key[i] = (char)tolower((unsigned char)s[k0 + i]);
	key[k1 - k0] = '\0';
	i = k1;
	while (s[i] != '=')
		i++;
	i++;
	*val = s + i;
	*vn = n - i;
	while (*vn && is_blank(**val)) {
		(*val)++;
		(*vn)--;
	}
	while (*vn && is_blank((*val)[*vn - 1]))
		(*vn)--;
	return true;
}

/* Adds one word (arena-owned) to a growing arena array. */
static int push_word(cs_arena *a, const char ***v, size_t *n, size_t *cap, const char *w)
{
	if (!w)
		return CS_ENOMEM;
	if (*n == *cap) {
		const char **nv = cs_arena_grow(a, *v, *n, cap, sizeof(**v));

		if (!nv)
			return CS_ENOMEM;
		*v = nv;
	}
	(*v)[(*n)++] = w;
	return 0;
}

/*
 * The exec form: text is a JSON array of strings. Anything else (a typo
 * such as single quotes included) is the shell form, as for BuildKit.
 */
static int json_form(parser *ps, cs_df_instr *in)
{
	const char *t = in->text;
	cJSON *j, *e;
	const char **v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (t[0] != '[')
		return 0;
	/* the whole text must be the array: `[]D` is the shell form */
	if (!(j = cJSON_ParseWithLengthOpts(t, strlen(t) + 1, NULL, 1))) /* cJSON wants the NUL inside the length */
		return 0;
	if (!cJSON_IsArray(j))
		goto done;
	cJSON_ArrayForEach(e, j) {
		if (!cJSON_IsString(e))
			goto done;
	}
	cJSON_ArrayForEach(e, j) {
		if ((rc = push_word(ps->a, &v, &n, &cap, cs_arena_strdup(ps->a, e->valuestring))) < 0)
			goto done;
	}
	in->json = true;
	in->args = v;
	in->nargs = n;
done:
	cJSON_Delete(j);
	return rc < 0 ? cs_err_set(ps->err, CS_ENOMEM, "out of memory") : 0;
}

/* Position of the first '=' outside quotes in w, or -1. */
static long eq_pos(const char *w, char escape)
{
	size_t i;
	char q = 0;

	for (i = 0; w[i]; i++) {
		if (q) {
			if (w[i] == q)
				q = 0;
		} else if (w[i] == '\'' || w[i] == '"') {
			q = w[i];
		} else if (w[i] == escape && w[i + 1]) {
			i++;
		} else if (w[i] == '=') {
			return (long)i;
		}
	}
	return -1;
}

/* ENV and LABEL: `NAME=value ...`, or the legacy `NAME value with blanks`. */
static int parse_pairs(parser *ps, cs_df_instr *in)
{
	const char **w, **v = NULL;
	size_t nw, n = 0, cap = 0, i;
	char e = ps->escape;

	if (cs_df_split(&w, &nw, in->text, e, false, ps->a) < 0)
		return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	if (!nw)
		return 0;
	if (eq_pos(w[0], e) < 0) {
		const char *rest = in->text + strlen(w[0]);

		while (is_blank(*rest))
			rest++;
		if (!*rest)
			return problem(ps, in->line, "'%s %s' has no value (%s NAME=value)", in->keyword, w[0],
				       in->keyword);
		if (push_word(ps->a, &v, &n, &cap, cs_df_unquote(w[0], strlen(w[0]), e, ps->a)) < 0 ||
		    push_word(ps->a, &v, &n, &cap, cs_df_unquote(rest, strlen(rest), e, ps->a)) < 0)
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	} else {
		for (i = 0; i < nw; i++) {
			long eq = eq_pos(w[i], e);

			if (eq < 0) {
				int rc = problem(ps, in->line, "%s: '%s' is not NAME=value", in->keyword, w[i]);

				if (rc < 0)
					return rc;
				continue;
			}
			if (push_word(ps->a, &v, &n, &cap, cs_df_unquote(w[i], (size_t)eq, e, ps->a)) < 0 ||
			    push_word(ps->a, &v, &n, &cap,
				      cs_df_unquote(w[i] + eq + 1, strlen(w[i] + eq + 1), e, ps->a)) < 0)
				return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		}
	}
	in->args = v;
	in->nargs = n;
	return 0;
}

/*
 * Heredoc openers among the words of a RUN, COPY or ADD line: a word
 * `[n]<<[-]WORD`, WORD possibly quoted (BuildKit's rule: whole words only,
 * so `$((1<<2))` or `cat<<X` are not).
 */
static int find_heredocs(parser *ps, cs_df_instr *in)
{
	const char **w;
	size_t nw, i, n = 0, cap = 0;
	cs_df_heredoc *v = NULL;

	if (cs_df_split(&w, &nw, in->text, ps->escape, false, ps->a) < 0)
		return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	for (i = 0; i < nw; i++) {
		const char *p = w[i], *name;
		bool chomp = false;

		while (isdigit((unsigned char)*p))
			p++;
		if (p[0] != '<' || p[1] != '<')
			continue;
		p += 2;
		if (*p == '-') {
			chomp = true;
			p++;
		}
		if (!*p || strchr(p, '<'))
			continue;
		if (!(name = cs_df_unquote(p, strlen(p), ps->escape, ps->a)))
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		if (!*name)
			continue;
		if (n == CS_DF_MAX_HEREDOCS)
			return cs_err_set(ps->err, CS_ELIMIT, "line %llu: more than %u heredocs in one instruction",
					  (unsigned long long)in->line, CS_DF_MAX_HEREDOCS);
		if (n == cap) {
			cs_df_heredoc *nv = cs_arena_grow(ps->a, v, n, &cap, sizeof(*v));

			if (!nv)
				return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
			v = nv;
		}
		v[n].word = name;
		v[n].chomp = chomp;
		v[n].quoted = strchr(p, '"') || strchr(p, '\'');
		v[n].line = in->line;
		v[n].body = "";
		n++;
	}
	in->heredocs = v;
	in->nheredocs = n;
	return 0;
}

/* Reads the bodies of in's heredocs from the lines that follow it. */
static int read_heredocs(parser *ps, cs_df_instr *in)
{
	size_t i;

	for (i = 0; i < in->nheredocs; i++) {
		cs_df_heredoc *h = (cs_df_heredoc *)&in->heredocs[i];
		size_t wl = strlen(h->word);
		const char *s;
		size_t n;
		bool closed = false;
		cs_buf body = CS_BUF_INIT;
		int rc = 0;

		cs_buf_init(&body, CS_DF_MAX_FILE);
		while (next_line(ps, &s, &n)) {
			if (h->chomp)
				while (n && *s == '\t') {
					s++;
					n--;
				}
			if (n == wl && !memcmp(s, h->word, wl)) {
				closed = true;
				break;
			}
			if (cs_buf_append(&body, s, n) < 0 || cs_buf_putc(&body, '\n') < 0) {
				rc = CS_ENOMEM;
				break;
			}
		}
		if (rc == 0 && !(h->body = cs_arena_strndup(ps->a, body.data ? body.data : "", body.len)))
			rc = CS_ENOMEM;
		cs_buf_release(&body);
		if (rc < 0)
			return cs_err_set(ps->err, rc, "out of memory");
		if (!closed)
			return problem(ps, h->line, "heredoc '%s' is not closed before the end of the file", h->word);
	}
	return 0;
}

static bool is_known(const char *kw)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(known_keywords); i++)
		if (!strcmp(kw, known_keywords[i]))
			return true;
	return false;
}

static bool kw_is(const cs_df_instr *in, const char *kw)
{
	return !strcmp(in->keyword, kw);
}

/* Valid stage name (BuildKit: a letter, then letters, digits, '-', '_', '.'). */
static bool stage_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

/* One logical line (NUL-terminated) into in. */
static int parse_instr(parser *ps, cs_df_instr *in, const char *line, uint64_t lineno, bool nested)
{
	const char *p = line, *k0;
	char *kw;
	size_t kn, i, tn;
	cs_df_flag *flags = NULL;
	size_t nflags = 0, capflags = 0;
	char *text;
	int rc;

	memset(in, 0, sizeof(*in));
	in->line = in->end_line = lineno;
	in->stage = -1;
	while (is_blank(*p))
		p++;
	k0 = p;
	while (*p && !is_blank(*p))
		p++;
	kn = (size_t)(p - k0);
	if (!(kw = cs_arena_strndup(ps->a, k0, kn)))
		return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	for (i = 0; i < kn; i++)
		kw[i] = (char)toupper((unsigned char)kw[i]);
	in->keyword = kw;
	in->known = is_known(kw);
	while (is_blank(*p))
		p++;
	/* ONBUILD's argument is an instruction with flags of its own. */
	while (!kw_is(in, "ONBUILD") && p[0] == '-' && p[1] == '-') {
		size_t w = word_len(p, ps->escape);
		const char *eq;

		if (w == 2) {
			p += 2;
			while (is_blank(*p))
				p++;
			break;
		}
		if (nflags == capflags) {
			cs_df_flag *nf = cs_arena_grow(ps->a, flags, nflags, &capflags, sizeof(*flags));

			if (!nf)
				return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
			flags = nf;
		}
		eq = memchr(p, '=', w);
		flags[nflags].name = cs_arena_strndup(ps->a, p + 2, eq ? (size_t)(eq - p - 2) : w - 2);
		flags[nflags].value = eq ? cs_df_unquote(eq + 1, w - (size_t)(eq + 1 - p), ps->escape, ps->a) : NULL;
		if (!flags[nflags].name || (eq && !flags[nflags].value))
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		nflags++;
		p += w;
		while (is_blank(*p))
			p++;
	}
	in->flags = flags;
	in->nflags = nflags;
	tn = strlen(p);
	while (tn && is_blank(p[tn - 1]))
		tn--;
	if (!(text = cs_arena_strndup(ps->a, p, tn)))
		return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	in->text = text;

	if (!in->known)
		return problem(ps, lineno, "unknown instruction '%s'", kw);
	if (!*text && !kw_is(in, "ONBUILD"))
		return problem(ps, lineno, "%s needs an argument", kw);

	if (kw_is(in, "RUN") || kw_is(in, "CMD") || kw_is(in, "ENTRYPOINT") || kw_is(in, "SHELL")) {
		if ((rc = json_form(ps, in)) < 0)
			return rc;
		if (!in->json) {
			const char **v = NULL;
			size_t n = 0, cap = 0;

			if (push_word(ps->a, &v, &n, &cap, text) < 0)
				return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
			in->args = v;
			in->nargs = n;
			if (kw_is(in, "SHELL"))
				return problem(ps, lineno, "SHELL needs the JSON form: SHELL [\"executable\", \"parameters\"]");
		}
		if (kw_is(in, "RUN") && !in->json && !nested && (rc = find_heredocs(ps, in)) < 0)
			return rc;
		return 0;
	}
	if (kw_is(in, "COPY") || kw_is(in, "ADD") || kw_is(in, "VOLUME")) {
		if ((rc = json_form(ps, in)) < 0)
			return rc;
		if (!in->json && cs_df_split(&in->args, &in->nargs, text, ps->escape, true, ps->a) < 0)
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		if (!in->json && !kw_is(in, "VOLUME") && !nested && (rc = find_heredocs(ps, in)) < 0)
			return rc;
		if (!kw_is(in, "VOLUME") && in->nargs + in->nheredocs < 2)
			return problem(ps, lineno, "%s needs a source and a destination", kw);
		return 0;
	}
	if (kw_is(in, "ENV") || kw_is(in, "LABEL"))
		return parse_pairs(ps, in);
	if (kw_is(in, "WORKDIR") || kw_is(in, "USER") || kw_is(in, "MAINTAINER")) {
		const char **v = NULL;
		size_t n = 0, cap = 0;

		if (push_word(ps->a, &v, &n, &cap, cs_df_unquote(text, strlen(text), ps->escape, ps->a)) < 0)
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		in->args = v;
		in->nargs = n;
		return 0;
	}
	if (kw_is(in, "ONBUILD")) {
		cs_df_instr *sub;

		if (!*text)
			return problem(ps, lineno, "ONBUILD needs an instruction");
		if (nested)
			return 0; /* ONBUILD ONBUILD: refused by the lint, not parsed deeper */
		if (!(sub = cs_arena_alloc(ps->a, sizeof(*sub))))
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		if ((rc = parse_instr(ps, sub, text, lineno, true)) < 0)
			return rc;
		in->sub = sub;
		return 0;
	}
	/* FROM, ARG, EXPOSE, HEALTHCHECK, STOPSIGNAL: words. */
	if (cs_df_split(&in->args, &in->nargs, text, ps->escape, true, ps->a) < 0)
		return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
	if (kw_is(in, "FROM")) {
		if (in->nargs == 2 || in->nargs > 3 || (in->nargs == 3 && strcasecmp(in->args[1], "AS")))
			return problem(ps, lineno, "FROM takes 'image [AS name]', not '%s'", text);
		if (in->nargs == 3 && !stage_name_ok(in->args[2]))
			return problem(ps, lineno, "invalid stage name '%s'", in->args[2]);
	}
	return 0;
}

static int new_stage(parser *ps, const cs_df_instr *in)
{
	cs_df_stage *st;

	if (ps->nstages == CS_DF_MAX_STAGES)
		return cs_err_set(ps->err, CS_ELIMIT, "line %llu: more than %u FROM instructions",
				  (unsigned long long)in->line, CS_DF_MAX_STAGES);
	if (ps->nstages == ps->capstages) {
		st = cs_arena_grow(ps->a, ps->stages, ps->nstages, &ps->capstages, sizeof(*st));
		if (!st)
			return cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		ps->stages = st;
	}
	if (ps->nstages)
		ps->stages[ps->nstages - 1].end = ps->ninstrs;
	st = &ps->stages[ps->nstages++];
	st->image = in->nargs ? in->args[0] : "";
	st->name = in->nargs == 3 ? in->args[2] : NULL;
	st->platform = cs_df_flag_value(in, "platform", NULL);
	st->line = in->line;
	st->first = ps->ninstrs;
	st->end = ps->ninstrs + 1;
	return 0;
}

/* The parser directives at the top of the file; stops at the first other line. */
static int directives(parser *ps, cs_dockerfile *out)
{
	bool seen_escape = false;

	for (;;) {
		size_t save = ps->pos, vn, n;
		uint64_t saveline = ps->lineno;
		const char *s, *val;
		char key[32];
		int rc = 0;

		if (!next_line(ps, &s, &n))
			return 0;
		if (!directive(s, n, key, sizeof(key), &val, &vn) ||
		    (strcmp(key, "escape") && strcmp(key, "syntax") && strcmp(key, "check"))) {
			ps->pos = save;
			ps->lineno = saveline;
			return 0;
		}
		if (!strcmp(key, "escape")) {
			if (seen_escape)
				rc = problem(ps, ps->lineno, "the escape directive is given twice");
			else if (vn == 1 && (val[0] == '\\' || val[0] == '`'))
				ps->escape = val[0];
			else
				rc = problem(ps, ps->lineno, "invalid escape character '%.*s' (\\ or `)", (int)(vn > 8 ? 8 : vn),
					     val);
			seen_escape = true;
		} else if (!strcmp(key, "syntax") && !out->syntax &&
			   !(out->syntax = cs_arena_strndup(ps->a, val, vn))) {
			rc = cs_err_set(ps->err, CS_ENOMEM, "out of memory");
		}
		if (rc < 0)
			return rc;
	}
}

int cs_df_parse(cs_dockerfile *out, const char *data, size_t len, cs_arena *a, cs_err *err)
{
	parser ps;
	cs_buf buf = CS_BUF_INIT;
	const char *s, *nul;
	size_t n;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	out->escape = '\\';
	if (len > CS_DF_MAX_FILE)
		return cs_err_set(err, CS_ELIMIT, "%zu bytes, more than the %u a Dockerfile may have", len,
				  CS_DF_MAX_FILE);
	if ((nul = memchr(data, '\0', len))) {
		uint64_t line = 1;
		const char *q;

		for (q = data; q < nul; q++)
			line += *q == '\n';
		return cs_err_set(err, CS_EFORMAT, "line %llu: binary content (a NUL byte): not a Dockerfile",
				  (unsigned long long)line);
	}
	ps.data = data;
	ps.len = len;
	ps.a = a;
	ps.err = err;
	ps.escape = '\\';
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		ps.pos = 3;
	if ((rc = directives(&ps, out)) < 0)
		return rc;
	cs_buf_init(&buf, CS_DF_MAX_INSTR);
	while (next_line(&ps, &s, &n)) {
		uint64_t start = ps.lineno;
		cs_df_instr *in;

		while (n && is_blank(*s)) {
			s++;
			n--;
		}
		if (!n || *s == '#')
			continue;
		cs_buf_reset(&buf);
		if ((rc = cs_buf_append(&buf, s, n)) < 0)
			goto limit;
		for (;;) {
			size_t m = buf.len;
			bool got = false;

			while (m && is_blank(buf.data[m - 1]))
				m--;
			if (!m || buf.data[m - 1] != ps.escape)
				break;
			buf.len = m - 1;
			buf.data[buf.len] = '\0';
			while (next_line(&ps, &s, &n)) {
				const char *t = s;
				size_t tn = n;

				while (tn && is_blank(*t)) {
					t++;
					tn--;
				}
				if (!tn || *t == '#')
					continue;
				if ((rc = cs_buf_append(&buf, s, n)) < 0)
					goto limit;
				got = true;
				break;
			}
			if (!got)
				break;
		}
		if (ps.ninstrs == CS_DF_MAX_INSTRUCTIONS) {
			rc = cs_err_set(err, CS_ELIMIT, "line %llu: more than %u instructions", (unsigned long long)start,
					CS_DF_MAX_INSTRUCTIONS);
			goto done;
		}
		if (ps.ninstrs == ps.capinstrs) {
			cs_df_instr *ni = cs_arena_grow(a, ps.instrs, ps.ninstrs, &ps.capinstrs, sizeof(*ni));

			if (!ni) {
				rc = cs_err_set(err, CS_ENOMEM, "out of memory");
				goto done;
			}
			ps.instrs = ni;
		}
		in = &ps.instrs[ps.ninstrs];
		if ((rc = parse_instr(&ps, in, buf.data, start, false)) < 0 || (rc = read_heredocs(&ps, in)) < 0)
			goto done;
		in->end_line = ps.lineno;
		if (kw_is(in, "FROM") && (rc = new_stage(&ps, in)) < 0)
			goto done;
		in->stage = (int)ps.nstages - 1;
		if (in->stage < 0 && in->known && !kw_is(in, "ARG") &&
		    (rc = problem(&ps, start, "%s before the first FROM (only ARG may come first)", in->keyword)) < 0)
			goto done;
		ps.ninstrs++;
	}
	if (ps.nstages)
		ps.stages[ps.nstages - 1].end = ps.ninstrs;
	else if ((rc = problem(&ps, 0, ps.ninstrs ? "no FROM instruction" : "no instructions")) < 0)
		goto done;
	out->instrs = ps.instrs;
	out->ninstrs = ps.ninstrs;
	out->stages = ps.stages;
	out->nstages = ps.nstages;
	out->problems = ps.problems;
	out->nproblems = ps.nproblems;
	out->escape = ps.escape;
	out->lines = ps.lineno;
	goto done;
limit:
	if (rc == CS_ELIMIT)
		rc = cs_err_set(err, CS_ELIMIT, "line %llu: instruction longer than %u bytes",
				(unsigned long long)ps.lineno, CS_DF_MAX_INSTR);
	else
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
done:
	cs_buf_release(&buf);
	return rc;
}
