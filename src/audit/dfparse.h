/*
 * dfparse.h - Dockerfile parser for the lint (audit/dockerfile.c).
 *
 * Reads a Dockerfile the way BuildKit's front end does, as far as a linter
 * needs: parser directives (`# escape=`, `# syntax=`), line continuations
 * with the escape character (`\`, or the backtick of Windows-style files),
 * comment and blank lines inside continuations, heredocs (`RUN <<EOF`),
 * leading `--flags`, the JSON (exec) form, ENV/LABEL/ARG pairs, ONBUILD,
 * and stages (`FROM image AS name`, global ARGs before the first FROM).
 * Nothing is expanded: variable references stay as written.
 *
 * Untrusted input is bounded (CS_DF_MAX_*). What BuildKit would refuse
 * but a linter can still read (an unknown instruction, a missing argument,
 * an unterminated heredoc) becomes a problem with its line, not an error.
 * Only input that is no Dockerfile at all (binary content) or breaks a
 * limit is an error.
 */
#ifndef CS_DFPARSE_H
#define CS_DFPARSE_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"

#define CS_DF_MAX_FILE (1u << 20)        /* bytes in one Dockerfile */
#define CS_DF_MAX_INSTR (256u << 10)     /* bytes in one instruction, continuations joined */
#define CS_DF_MAX_INSTRUCTIONS 10000u    /* instructions in one file */
#define CS_DF_MAX_HEREDOCS 16u           /* heredocs in one instruction */
#define CS_DF_MAX_STAGES 512u            /* FROM instructions in one file */
#define CS_DF_MAX_PROBLEMS 1000u         /* problems kept (more are counted, not kept) */

typedef struct cs_df_flag {
	const char *name;  /* without the dashes: "from", "chown", "mount" */
	const char *value; /* after '=', as written; NULL for a bare --flag */
} cs_df_flag;

typedef struct cs_df_heredoc {
	const char *word; /* the delimiter, quotes removed: "EOF" */
	const char *body; /* the lines in between, each ending in '\n' (leading tabs removed for <<-) */
	uint64_t line;    /* line of the `<<WORD` that opened it */
	bool chomp;       /* <<-WORD */
	bool quoted;      /* <<"WORD" or <<'WORD': no expansion in the body */
} cs_df_heredoc;

typedef struct cs_df_instr cs_df_instr;
struct cs_df_instr {
	const char *keyword;     /* upper case: "RUN", "FROM"; an unknown one upper-cased too */
	bool known;              /* one of the instructions BuildKit knows */
	uint64_t line;           /* 1-based line of the keyword */
	uint64_t end_line;       /* last line it spans, heredoc bodies included */
	const char *text;        /* the arguments after the flags, continuations joined, as written */
	const cs_df_flag *flags; /* leading --flags, in order */
	size_t nflags;
	/*
	 * JSON form: the array's strings. FROM, COPY, ADD, EXPOSE, VOLUME,
	 * ARG, MAINTAINER, STOPSIGNAL, HEALTHCHECK: the words, quotes removed.
	 * ENV and LABEL: name, value, name, value... (values unquoted).
	 * WORKDIR, USER: the whole text as one argument, quotes removed.
	 * RUN, CMD, ENTRYPOINT, SHELL in shell form: the text as one argument.
	 */
	const char **args;
	size_t nargs;
	bool json;                      /* the exec (JSON array) form */
	const cs_df_heredoc *heredocs;  /* RUN, COPY, ADD: in the order opened */
	size_t nheredocs;
	int stage;                      /* index into cs_dockerfile.stages; -1 before the first FROM */
	const cs_df_instr *sub;         /* ONBUILD: the instruction it wraps, or NULL */
};

typedef struct cs_df_stage {
	const char *image;    /* FROM's image as written ("debian:${V}"), or "" when missing */
	const char *name;     /* the AS name as written, or NULL */
	const char *platform; /* --platform value, or NULL */
	uint64_t line;        /* line of the FROM */
	size_t first;         /* index of the FROM in instrs */
	size_t end;           /* one past the stage's last instruction */
} cs_df_stage;

typedef struct cs_df_problem {
	uint64_t line;
	const char *message; /* what BuildKit would refuse: "unknown instruction 'RNU'" */
} cs_df_problem;

typedef struct cs_dockerfile {
	const cs_df_instr *instrs;
	size_t ninstrs;
	const cs_df_stage *stages;
	size_t nstages;
	const cs_df_problem *problems;
	size_t nproblems;
	char escape;         /* '\\' or '`' */
	const char *syntax;  /* the `# syntax=` directive, or NULL */
	uint64_t lines;      /* physical lines read */
} cs_dockerfile;

/*
 * Parses len bytes of data (need not be terminated; a UTF-8 BOM, CRLF line
 * ends and tabs are accepted). Everything, out included, is allocated from
 * a. Returns 0, or CS_EFORMAT (binary content), CS_ELIMIT (a CS_DF_MAX_*
 * limit), CS_ENOMEM, with a one-line message in err starting "line N: "
 * where a line applies (the caller prefixes the file name).
 */
int cs_df_parse(cs_dockerfile *out, const char *data, size_t len, cs_arena *a, cs_err *err);

/* The value of the first flag called name ("from"), or NULL; *present tells a bare flag apart. */
const char *cs_df_flag_value(const cs_df_instr *in, const char *name, bool *present);

/*
 * Splits text into words the way BuildKit reads COPY, FROM or EXPOSE
 * arguments: on blanks outside quotes; with unquote, quotes and the escape
 * character are removed ("a b" -> a b). *out is an array of *n words, all
 * allocated from a. Returns 0 or CS_ENOMEM.
 */
int cs_df_split(const char ***out, size_t *n, const char *text, char escape, bool unquote, cs_arena *a);

/* One word with its quotes and escapes removed (allocated from a; NULL when out of memory). */
char *cs_df_unquote(const char *word, size_t len, char escape, cs_arena *a);

#endif
