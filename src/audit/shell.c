/*
 * shell.c - splits the shell text of a RUN step into simple commands (see
 * audit_int.h). Not a shell: enough of its reading rules (quotes,
 * backslashes, operators, comments) that the checks see the commands a
 * build ran, with their words, and which of them were piped together.
 */
#include "core/compat.h"
#include "audit/audit_int.h"
#include "core/buf.h"
#include "core/error.h"

#include <ctype.h>

typedef struct split {
	cs_arena *a;
	cs_buf word;        /* the word being read */
	bool in_word;       /* a word started (it may be empty: '') */
	const char **words; /* words of the command being read (arena) */
	size_t nwords, capwords, total;
	cs_sh_cmd *cmds;    /* arena array */
	size_t ncmds, capcmds;
	size_t pipeline, stage;
	bool full;          /* a cap was reached: the rest is not read */
	bool nomem;
} split;

static void end_word(split *sp)
{
	const char **grown;
	char *w;

	if (!sp->in_word)
		return;
	sp->in_word = false;
	if (sp->total >= CS_SH_MAX_WORDS) {
		sp->full = true;
		cs_buf_reset(&sp->word);
		return;
	}
	if (!(w = cs_arena_strndup(sp->a, sp->word.data ? sp->word.data : "", sp->word.len))) {
		sp->nomem = true;
		return;
	}
	cs_buf_reset(&sp->word);
	if (sp->nwords == sp->capwords) {
		if (!(grown = cs_arena_grow(sp->a, sp->words, sp->nwords, &sp->capwords, sizeof(*sp->words)))) {
			sp->nomem = true;
			return;
		}
		sp->words = grown;
	}
	sp->words[sp->nwords++] = w;
	sp->total++;
}

static bool is_assignment(const char *w)
{
	const char *p = w;

	if (!(isalpha((unsigned char)*p) || *p == '_'))
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=';
}

/* Ends the command; pipe: the next one reads its output. */
static void end_cmd(split *sp, bool pipe)
{
	size_t skip = 0;
	cs_sh_cmd *grown;

	end_word(sp);
	while (skip < sp->nwords && is_assignment(sp->words[skip]))
		skip++;
	if (skip < sp->nwords && !sp->nomem) {
		if (sp->ncmds >= CS_SH_MAX_CMDS) {
			sp->full = true;
		} else {
			if (sp->ncmds == sp->capcmds) {
				grown = cs_arena_grow(sp->a, sp->cmds, sp->ncmds, &sp->capcmds, sizeof(*sp->cmds));
				if (!grown) {
					sp->nomem = true;
					return;
				}
				sp->cmds = grown;
			}
			sp->cmds[sp->ncmds].argv = sp->words + skip;
			sp->cmds[sp->ncmds].argc = sp->nwords - skip;
			sp->cmds[sp->ncmds].pipeline = sp->pipeline;
			sp->cmds[sp->ncmds].stage = sp->stage;
			sp->ncmds++;
		}
	}
	/* The next command's words start a new array; this one keeps its own. */
	sp->words = NULL;
	sp->nwords = sp->capwords = 0;
	if (pipe) {
		sp->stage++;
	} else {
		sp->pipeline++;
		sp->stage = 0;
	}
}

static void put(split *sp, char c)
{
	sp->in_word = true;
	if (cs_buf_putc(&sp->word, c) < 0)
		sp->nomem = true;
}

int cs_sh_split(cs_arena *a, const char *text, size_t len, cs_sh_cmd **out)
{
	split sp;
	size_t i = 0;

	memset(&sp, 0, sizeof(sp));
	sp.a = a;
	/* No single word is longer than the text. */
	cs_buf_init(&sp.word, len + 1);
	while (i < len && !sp.full && !sp.nomem) {
		char c = text[i];

		if (c == '\\') {
			if (i + 1 < len && text[i + 1] == '\n') {
				i += 2; /* a continued line */
				continue;
			}
			if (i + 1 < len)
				put(&sp, text[i + 1]);
			i += 2;
		} else if (c == '\'') {
			sp.in_word = true;
			for (i++; i < len && text[i] != '\''; i++)
				put(&sp, text[i]);
			i++;
		} else if (c == '"') {
			sp.in_word = true;
			for (i++; i < len && text[i] != '"'; i++) {
				if (text[i] == '\\' && i + 1 < len && strchr("\"\\$`\n", text[i + 1])) {
					if (text[++i] == '\n')
						continue;
				}
				put(&sp, text[i]);
			}
			i++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			end_word(&sp);
			i++;
		} else if (c == '#' && !sp.in_word) {
			while (i < len && text[i] != '\n')
				i++;
		} else if (c == '\n' || c == ';') {
			end_cmd(&sp, false);
			i++;
		} else if (c == '|') {
			/* || is a list; | and |& a pipe */
			if (i + 1 < len && text[i + 1] == '|') {
				end_cmd(&sp, false);
				i += 2;
			} else {
				end_cmd(&sp, true);
				i += (i + 1 < len && text[i + 1] == '&') ? 2 : 1;
			}
		} else if (c == '&') {
			/* 2>&1, <&3 and &> are redirections, not separators */
			if ((i > 0 && (text[i - 1] == '>' || text[i - 1] == '<')) || (i + 1 < len && text[i + 1] == '>')) {
				put(&sp, c);
				i++;
			} else {
				end_cmd(&sp, false);
				i += (i + 1 < len && text[i + 1] == '&') ? 2 : 1;
			}
		} else {
			put(&sp, c);
			i++;
		}
	}
	if (!sp.nomem)
		end_cmd(&sp, false);
	cs_buf_release(&sp.word);
	if (sp.nomem)
		return CS_ENOMEM;
	*out = sp.cmds;
	return (int)sp.ncmds;
}

const char *cs_sh_name(const char *word, char *buf, size_t n)
{
	const char *p = word, *slash;
	size_t len;

	/* $(cmd, <(cmd, `cmd, (cmd, {cmd: what follows is the command */
	while (*p == '$' || *p == '<' || *p == '(' || *p == '{' || *p == '`')
		p++;
	if ((slash = strrchr(p, '/')) != NULL)
		p = slash + 1;
	len = strlen(p);
	/* cmd), cmd`, cmd}, cmd;; : what follows the name is wrapping */
	while (len && strchr(")`};", p[len - 1]))
		len--;
	if (n == 0)
		return "";
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}
