/*
 * dfshell.c - shell text -> simple commands (see dfshell.h).
 *
 * One pass over the bytes with a word buffer. Quotes, escapes and command
 * substitutions are handled the way sh reads them, so that `"a && b"` stays
 * one word and `$(curl x | sh)` stays inside its word; redirections and
 * their targets are dropped so `apt-get install x >/dev/null` has the
 * arguments apt-get sees.
 */
#include "core/compat.h"
#include "audit/dfshell.h"

#include "core/buf.h"
#include "core/error.h"

#include <ctype.h>

#define MAX_PENDING_HEREDOCS 16

typedef struct lexer {
	const char *p;
	size_t n, i;
	cs_arena *a;
	cs_sh_script *s;
	int rc;
	cs_buf word;        /* the word being read */
	bool in_word;
	bool word_quoted;   /* part of the word was quoted: never a reserved word or operator */
	int redirect;       /* 0, or 1: the next word is a redirection target, 2: a heredoc delimiter */
	bool heredoc_chomp;
	const char **words; /* the command being read */
	size_t nwords, capwords;
	const char *heredoc;
	struct {
		const char *word;
		bool chomp;
	} pending[MAX_PENDING_HEREDOCS]; /* heredoc bodies to skip after the next newline */
	size_t npending;
	bool piped_in;      /* the command being read gets the previous one's output */
	bool recorded;      /* a command of this text was recorded (a leading '|' joins nothing) */
} lexer;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void word_add(lexer *lx, const char *p, size_t n)
{
	if (lx->rc == 0 && cs_buf_append(&lx->word, p, n) < 0)
		lx->rc = CS_ENOMEM;
	lx->in_word = true;
}

static void word_end(lexer *lx)
{
	char *w;

	if (!lx->in_word)
		return;
	lx->in_word = false;
	lx->word_quoted = false;
	if (lx->rc < 0)
		return;
	w = cs_arena_strndup(lx->a, lx->word.data ? lx->word.data : "", lx->word.len);
	cs_buf_reset(&lx->word);
	if (!w) {
		lx->rc = CS_ENOMEM;
		return;
	}
	if (lx->redirect == 2) {
		if (!lx->heredoc)
			lx->heredoc = w;
		if (lx->npending < MAX_PENDING_HEREDOCS) {
			lx->pending[lx->npending].word = w;
			lx->pending[lx->npending].chomp = lx->heredoc_chomp;
			lx->npending++;
		}
		lx->redirect = 0;
		return;
	}
	if (lx->redirect) {
		lx->redirect = 0;
		return;
	}
	if (lx->nwords >= CS_SH_MAX_WORDS) {
		lx->s->truncated = true;
		return;
	}
	if (lx->nwords == lx->capwords) {
		const char **nw = cs_arena_grow(lx->a, lx->words, lx->nwords, &lx->capwords, sizeof(*nw));

		if (!nw) {
			lx->rc = CS_ENOMEM;
			return;
		}
		lx->words = nw;
	}
	lx->words[lx->nwords++] = w;
}

static bool is_name_assign(const char *w)
{
	const char *p = w;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return false;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return *p == '=' || (p[0] == '+' && p[1] == '=');
}

static bool is_frame_word(const char *w)
{
	static const char *const words[] = {"!", "if", "then", "else", "elif", "do", "while", "until",
					    "{", "}", "fi", "done", "esac"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(words); i++)
		if (!strcmp(w, words[i]))
			return true;
	return false;
}

/* Ends the command being read; pipe: it is followed by '|'. */
static void cmd_end(lexer *lx, bool pipe)
{
	cs_sh_script *s = lx->s;
	const char **w;
	size_t n, k = 0;
	cs_sh_cmd *c;

	word_end(lx);
	if (lx->rc < 0)
		return;
	w = lx->words;
	n = lx->nwords;
	while (k < n && is_frame_word(w[k]))
		k++;
	/* for/case/select heads and function definitions are not commands */
	if (k < n && (!strcmp(w[k], "for") || !strcmp(w[k], "case") || !strcmp(w[k], "select") ||
		      !strcmp(w[k], "function") || !strcmp(w[k], "in")))
		k = n;
	if (k == n && !lx->heredoc) {
		/* nothing to record (`a |` then a newline or a parenthesis): the pipe still joins what comes next */
		lx->nwords = 0;
		if (pipe)
			lx->piped_in = true;
		return;
	}
	if (s->ncmds >= CS_SH_MAX_CMDS) {
		s->truncated = true;
		goto reset;
	}
	if (s->ncmds == s->cap) {
		cs_sh_cmd *nc = cs_arena_grow(lx->a, s->cmds, s->ncmds, &s->cap, sizeof(*nc));

		if (!nc) {
			lx->rc = CS_ENOMEM;
			return;
		}
		s->cmds = nc;
	}
	c = &s->cmds[s->ncmds++];
	memset(c, 0, sizeof(*c));
	if (!w) {
		/* only a redirection (`<<EOF`): no words were ever allocated */
		static const char *none[1];

		w = none;
	}
	c->assign = w + k;
	while (k < n && is_name_assign(w[k])) {
		c->nassign++;
		k++;
	}
	c->argv = w + k;
	c->argc = n - k;
	c->heredoc = lx->heredoc;
	if (!lx->piped_in || !lx->recorded)
		s->npipelines++;
	lx->recorded = true;
	c->pipeline = s->npipelines;
	c->pipe_out = pipe;
	if (pipe)
		s->has_pipe = true;
reset:
	/* the words stay in the arena; the next command starts a new array */
	lx->words = NULL;
	lx->nwords = lx->capwords = 0;
	lx->heredoc = NULL;
	lx->piped_in = pipe;
}

/*
 * Copies a balanced construct starting at lx->i (`$(...)`, `${...}`,
 * `<(...)`, backquotes) verbatim into the word. open is at p[i + skip - 1].
 */
static void copy_balanced(lexer *lx, size_t skip, char open, char close)
{
	size_t start = lx->i, j = lx->i + skip;
	int depth = 1;
	char q = 0;

	while (j < lx->n && depth > 0) {
		char c = lx->p[j];

		if (q) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"')
				j++;
		} else if (c == '\\') {
			j++;
		} else if ((c == '\'' || c == '"') && open != close) {
			q = c;
		} else if (c == close) {
			depth--;
		} else if (c == open && open != close) {
			depth++;
		}
		j++;
	}
	if (j > lx->n)
		j = lx->n;
	word_add(lx, lx->p + start, j - start);
	lx->i = j;
}

/* After a newline: skips the bodies of the heredocs opened on that line. */
static void skip_heredocs(lexer *lx)
{
	size_t k;

	for (k = 0; k < lx->npending; k++) {
		const char *word = lx->pending[k].word;
		size_t wl = strlen(word);

		while (lx->i < lx->n) {
			const char *line = lx->p + lx->i, *nl = memchr(line, '\n', lx->n - lx->i);
			size_t len = nl ? (size_t)(nl - line) : lx->n - lx->i;

			lx->i += len + (nl ? 1 : 0);
			if (lx->pending[k].chomp)
				while (len && *line == '\t') {
					line++;
					len--;
				}
			if (len && line[len - 1] == '\r')
				len--;
			if (len == wl && !memcmp(line, word, wl))
				break;
		}
	}
	lx->npending = 0;
}

/* A redirection operator at lx->i ('<' or '>' or "&>"): drops it and marks its target. */
static void redirection(lexer *lx)
{
	const char *p = lx->p;
	size_t i = lx->i;

	/* `2>` : the digits before the operator are its file descriptor, not a word */
	if (lx->in_word && !lx->word_quoted && lx->word.len) {
		size_t k;
		bool digits = true;

		for (k = 0; k < lx->word.len; k++)
			digits = digits && isdigit((unsigned char)lx->word.data[k]);
		if (digits) {
			cs_buf_reset(&lx->word);
			lx->in_word = false;
		}
	}
	word_end(lx);
	if (p[i] == '&')
		i++;
	if (p[i] == '<' && i + 1 < lx->n && p[i + 1] == '<') {
		if (i + 2 < lx->n && p[i + 2] == '<') {
			lx->i = i + 3; /* here-string: its word is data */
			lx->redirect = 1;
			return;
		}
		i += 2;
		lx->heredoc_chomp = i < lx->n && p[i] == '-';
		if (lx->heredoc_chomp)
			i++;
		lx->i = i;
		lx->redirect = 2;
		return;
	}
	i++;
	if (i < lx->n && (p[i] == '>' || p[i] == '|' || p[i] == '&' || (p[i - 1] == '<' && p[i] == '>')))
		i++;
	lx->i = i;
	lx->redirect = 1;
}

int cs_sh_parse(cs_sh_script *s, const char *text, size_t len, cs_arena *a)
{
	lexer lx;

	memset(&lx, 0, sizeof(lx));
	lx.p = text;
	lx.n = len;
	lx.a = a;
	lx.s = s;
	cs_buf_init(&lx.word, len + 1);
	while (lx.i < lx.n && lx.rc == 0) {
		char c = text[lx.i];
		char d = lx.i + 1 < lx.n ? text[lx.i + 1] : '\0';

		if (is_blank(c)) {
			word_end(&lx);
			lx.i++;
		} else if (c == '\n') {
			cmd_end(&lx, false);
			lx.i++;
			skip_heredocs(&lx);
		} else if (c == '#' && !lx.in_word) {
			while (lx.i < lx.n && text[lx.i] != '\n')
				lx.i++;
		} else if (c == '\\') {
			if (d != '\n' && lx.i + 1 < lx.n) {
				word_add(&lx, text + lx.i + 1, 1);
				lx.word_quoted = true;
			}
			lx.i += 2;
		} else if (c == '\'') {
			size_t j = lx.i + 1;

			while (j < lx.n && text[j] != '\'')
				j++;
			word_add(&lx, text + lx.i + 1, j - lx.i - 1);
			lx.i = j + 1;
			lx.word_quoted = true;
		} else if (c == '"') {
			lx.i++;
			lx.word_quoted = true;
			word_add(&lx, "", 0);
			while (lx.i < lx.n && text[lx.i] != '"' && lx.rc == 0) {
				char e = text[lx.i], f = lx.i + 1 < lx.n ? text[lx.i + 1] : '\0';

				if (e == '\\' && (f == '"' || f == '\\' || f == '$' || f == '`' || f == '\n')) {
					if (f != '\n')
						word_add(&lx, text + lx.i + 1, 1);
					lx.i += 2;
				} else if (e == '$' && f == '(') {
					copy_balanced(&lx, 2, '(', ')');
				} else if (e == '$' && f == '{') {
					copy_balanced(&lx, 2, '{', '}');
				} else if (e == '`') {
					copy_balanced(&lx, 1, '`', '`');
				} else {
					word_add(&lx, text + lx.i, 1);
					lx.i++;
				}
			}
			lx.i++;
		} else if (c == '$' && d == '(') {
			copy_balanced(&lx, 2, '(', ')');
		} else if (c == '$' && d == '{') {
			copy_balanced(&lx, 2, '{', '}');
		} else if (c == '`') {
			copy_balanced(&lx, 1, '`', '`');
		} else if ((c == '<' || c == '>') && d == '(' && !lx.in_word) {
			copy_balanced(&lx, 2, '(', ')');
		} else if (c == '<' || c == '>' || (c == '&' && d == '>')) {
			redirection(&lx);
		} else if (c == '|') {
			bool or = d == '|';

			cmd_end(&lx, !or);
			lx.i += (or || d == '&') ? 2 : 1;
		} else if (c == '&' || c == ';' || c == '(' || c == ')') {
			cmd_end(&lx, false);
			lx.i += ((c == '&' && d == '&') || (c == ';' && d == ';')) ? 2 : 1;
		} else {
			word_add(&lx, text + lx.i, 1);
			lx.i++;
		}
	}
	if (lx.rc == 0)
		cmd_end(&lx, false);
	cs_buf_release(&lx.word);
	return lx.rc;
}
