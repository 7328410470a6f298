/*
 * dfshell.h - a POSIX shell script read into simple commands, for the
 * Dockerfile lint's RUN checks (audit/dockerfile.c).
 *
 * Not a shell: no expansion, no execution. It splits a script into simple
 * commands on `&&`, `||`, `;`, `|`, `&`, newlines and parentheses, removes
 * quotes, redirections and comments, skips heredoc bodies, drops the
 * reserved words that only frame commands (`if`, `then`, `do`, `fi`, ...),
 * and keeps `$(...)`, backquotes and `<(...)` verbatim inside their word.
 * That is what a linter needs to see which programs a RUN calls and with
 * which arguments. Bounded: at most CS_SH_MAX_CMDS commands and
 * CS_SH_MAX_WORDS words a command; past that the script is truncated.
 */
#ifndef CS_DFSHELL_H
#define CS_DFSHELL_H

#include "core/compat.h"
#include "core/arena.h"

#define CS_SH_MAX_CMDS 4096u
#define CS_SH_MAX_WORDS 4096u

typedef struct cs_sh_cmd {
	const char **argv;   /* the words after leading NAME=value assignments, unquoted */
	size_t argc;         /* may be 0 (only assignments or redirections) */
	const char **assign; /* the leading NAME=value words */
	size_t nassign;
	const char *heredoc; /* delimiter of the first `<<WORD` on this command, or NULL */
	unsigned pipeline;   /* commands joined by '|' share this number */
	bool pipe_out;       /* its output goes to the next command through '|' */
} cs_sh_cmd;

typedef struct cs_sh_script {
	cs_sh_cmd *cmds; /* in the order written */
	size_t ncmds, cap;
	unsigned npipelines; /* pipeline numbers handed out so far */
	bool has_pipe;       /* some command's output is piped */
	bool truncated;      /* a limit stopped the reading */
} cs_sh_script;

/*
 * Reads len bytes of shell text and appends its commands to s (start from
 * a zeroed cs_sh_script); pipeline numbers continue where s stopped, so
 * several scripts (a RUN and the `sh -c` strings it runs) can share one
 * list. Everything is allocated from a. Returns 0 or CS_ENOMEM.
 */
int cs_sh_parse(cs_sh_script *s, const char *text, size_t len, cs_arena *a);

#endif
