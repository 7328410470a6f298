/*
 * test_dockerfile.c - the Dockerfile lint: the parser (audit/dfparse.h),
 * the shell reader (audit/dfshell.h), every check firing and not firing,
 * Trivy's own good/bad examples (../shared/test-data/dockerfile), the
 * Hadolint rule mapping against docs/config-audit.md, and the two ways in
 * (an image scan's misconfigurations, `customs config` on a directory).
 */
#include "core/compat.h"
#include "audit/dockerfile.h"

#include "audit/dfparse.h"
#include "audit/dfshell.h"
#include "core/json.h"
#include "core/strutil.h"
#include "core/yaml.h"
#include "test.h"
#include "testutil.h"

#include <sys/stat.h>

/* ------------------------------------------------------------ harness */

#define MAXHITS 256

typedef struct hit {
	const char *id;
	uint64_t line;
	char msg[300];
} hit;

static hit H[MAXHITS];
static size_t NH;
static cs_err ERR;

static int collect_cb(const cs_df_finding *f, void *payload)
{
	CS_UNUSED(payload);
	if (!f->check || !f->message)
		abort();
	if (NH < MAXHITS) {
		H[NH].id = f->check->id;
		H[NH].line = f->line;
		snprintf(H[NH].msg, sizeof(H[NH].msg), "%s", f->message);
	}
	NH++;
	return 0;
}

/* Lints text; the findings are in H[0..NH). */
static int lint(const char *text)
{
	cs_arena a;
	int rc;

	NH = 0;
	cs_err_clear(&ERR);
	cs_arena_init(&a);
	rc = cs_dockerfile_lint("Dockerfile", text, strlen(text), &a, collect_cb, NULL, &ERR);
	cs_arena_release(&a);
	return rc;
}

static size_t fired(const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < NH && i < MAXHITS; i++)
		n += !strcmp(H[i].id, id);
	return n;
}

static bool fired_at(const char *id, uint64_t line)
{
	size_t i;

	for (i = 0; i < NH && i < MAXHITS; i++)
		if (!strcmp(H[i].id, id) && H[i].line == line)
			return true;
	return false;
}

static void dump(void)
{
	size_t i;

	for (i = 0; i < NH && i < MAXHITS; i++)
		fprintf(stderr, "    %s line %llu: %s\n", H[i].id, (unsigned long long)H[i].line, H[i].msg);
}

/* ------------------------------------------------------------ parser */

static cs_arena PA;
static cs_dockerfile DF;

static int parse(const char *text, size_t len)
{
	cs_arena_release(&PA);
	cs_arena_init(&PA);
	cs_err_clear(&ERR);
	return cs_df_parse(&DF, text, len, &PA, &ERR);
}

static int parse_s(const char *text)
{
	return parse(text, strlen(text));
}

static bool has_problem(uint64_t line, const char *needle)
{
	size_t i;

	for (i = 0; i < DF.nproblems; i++)
		if (DF.problems[i].line == line && strstr(DF.problems[i].message, needle))
			return true;
	return false;
}

TEST(parse_continuations)
{
	CHECK_INT(parse_s("FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y x\nUSER app\n"), 0);
	CHECK_INT(DF.ninstrs, 3);
	CHECK_STR(DF.instrs[1].keyword, "RUN");
	CHECK_INT(DF.instrs[1].line, 2);
	CHECK_INT(DF.instrs[1].end_line, 3);
	CHECK_STR(DF.instrs[1].text, "apt-get update     && apt-get install -y x");
	CHECK_INT(DF.instrs[2].line, 4);
	/* comment and blank lines inside a continuation are dropped; blanks after the escape too */
	CHECK_INT(parse_s("FROM x\nRUN a \\  \n# a comment\n\n  b\nUSER u\n"), 0);
	CHECK_STR(DF.instrs[1].text, "a   b");
	CHECK_INT(DF.instrs[2].line, 6);
	CHECK_INT(DF.nproblems, 0);
	/* a continuation at the end of the file ends the instruction */
	CHECK_INT(parse_s("FROM x\nRUN a \\\n"), 0);
	CHECK_STR(DF.instrs[1].text, "a");
	/* lower-case keywords, leading blanks */
	CHECK_INT(parse_s("from x as Build\n   run echo\n"), 0);
	CHECK_STR(DF.instrs[1].keyword, "RUN");
	CHECK_STR(DF.stages[0].name, "Build");
}

TEST(parse_escape_directive)
{
	CHECK_INT(parse_s("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
			  "RUN echo a `\n  b\nWORKDIR C:\\app\nCOPY a.txt C:\\dest\\\n"),
		  0);
	CHECK_INT(DF.escape, '`');
	CHECK_STR(DF.instrs[1].text, "echo a   b");
	CHECK_INT(DF.instrs[2].line, 5);
	CHECK_STR(DF.instrs[2].args[0], "C:\\app");
	/* a backslash at the end is no continuation with the backtick escape */
	CHECK_INT(DF.ninstrs, 4);
	CHECK_STR(DF.instrs[3].args[1], "C:\\dest\\");
	/* spaces and case in the directive */
	CHECK_INT(parse_s("#  ESCAPE = `\n# syntax=docker/dockerfile:1\nFROM x\n"), 0);
	CHECK_INT(DF.escape, '`');
	CHECK_STR(DF.syntax, "docker/dockerfile:1");
	/* a directive after a comment is a comment */
	CHECK_INT(parse_s("# hello\n# escape=`\nFROM x\nRUN a \\\n b\n"), 0);
	CHECK_INT(DF.escape, '\\');
	CHECK_STR(DF.instrs[1].text, "a  b");
	/* a bad escape character is a problem, the parse goes on */
	CHECK_INT(parse_s("# escape=x\nFROM x\n"), 0);
	CHECK(has_problem(1, "invalid escape"));
}

TEST(parse_heredocs)
{
	CHECK_INT(parse_s("FROM x\nRUN <<EOF\napt-get update\n# not a comment here\nEOF\n"
			  "RUN cat <<-'A' > f && cat <<B\n\tx $y\n\tA\ny\nB\nUSER u\n"),
		  0);
	CHECK_INT(DF.ninstrs, 4);
	CHECK_INT(DF.instrs[1].nheredocs, 1);
	CHECK_STR(DF.instrs[1].heredocs[0].word, "EOF");
	CHECK_STR(DF.instrs[1].heredocs[0].body, "apt-get update\n# not a comment here\n");
	CHECK_INT(DF.instrs[1].line, 2);
	CHECK_INT(DF.instrs[1].end_line, 5);
	CHECK_INT(DF.instrs[2].nheredocs, 2);
	CHECK_STR(DF.instrs[2].heredocs[0].word, "A");
	CHECK(DF.instrs[2].heredocs[0].chomp);
	CHECK(DF.instrs[2].heredocs[0].quoted);
	CHECK_STR(DF.instrs[2].heredocs[0].body, "x $y\n");
	CHECK_STR(DF.instrs[2].heredocs[1].word, "B");
	CHECK(!DF.instrs[2].heredocs[1].quoted);
	CHECK_STR(DF.instrs[2].heredocs[1].body, "y\n");
	CHECK_INT(DF.instrs[3].line, 11);
	/* COPY <<EOF, and not heredocs: $((1<<2)), cat<<X (not a whole word), a here-string */
	CHECK_INT(parse_s("FROM x\nCOPY <<EOF /etc/x\nhello\nEOF\nRUN echo $((1<<2)) cat<<X <<<s\nUSER u\n"), 0);
	CHECK_INT(DF.instrs[1].nheredocs, 1);
	CHECK_STR(DF.instrs[1].heredocs[0].body, "hello\n");
	CHECK_INT(DF.instrs[2].nheredocs, 0);
	CHECK_INT(DF.instrs[3].line, 6);
	/* an unclosed heredoc takes the rest of the file and is a problem */
	CHECK_INT(parse_s("FROM x\nRUN <<EOF\nfoo\nUSER u\n"), 0);
	CHECK_INT(DF.ninstrs, 2);
	CHECK(has_problem(2, "heredoc 'EOF' is not closed"));
	CHECK_STR(DF.instrs[1].heredocs[0].body, "foo\nUSER u\n");
}

TEST(parse_json_and_flags)
{
	const cs_df_instr *in;
	bool present;

	CHECK_INT(parse_s("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
			  "CMD [\"a\", \"b c\"]\nCMD ['a']\nRUN [ \"x\" ]\n"
			  "COPY --from=build --chown=app:app --link src /dst\n"
			  "RUN --mount=type=cache,target=/root/.cache --network=none echo hi\n"
			  "ENTRYPOINT [\"a\", 1]\nRUN -- --not-a-flag\nRUN []D x\nRUN []\n"),
		  0);
	CHECK_STR(DF.stages[0].platform, "$BUILDPLATFORM");
	CHECK_STR(DF.stages[0].image, "golang:1.22");
	CHECK_STR(DF.stages[0].name, "build");
	in = &DF.instrs[1];
	CHECK(in->json);
	CHECK_INT(in->nargs, 2);
	CHECK_STR(in->args[1], "b c");
	CHECK(!DF.instrs[2].json); /* single quotes: shell form, as BuildKit reads it */
	CHECK_STR(DF.instrs[2].args[0], "['a']");
	CHECK(DF.instrs[3].json);
	in = &DF.instrs[4];
	CHECK_INT(in->nflags, 3);
	CHECK_STR(cs_df_flag_value(in, "from", NULL), "build");
	CHECK_STR(cs_df_flag_value(in, "chown", NULL), "app:app");
	CHECK(cs_df_flag_value(in, "link", &present) == NULL && present);
	CHECK(cs_df_flag_value(in, "nope", &present) == NULL && !present);
	CHECK_INT(in->nargs, 2);
	CHECK_STR(in->args[0], "src");
	in = &DF.instrs[5];
	CHECK_INT(in->nflags, 2);
	CHECK_STR(cs_df_flag_value(in, "mount", NULL), "type=cache,target=/root/.cache");
	CHECK_STR(in->text, "echo hi");
	CHECK(!DF.instrs[6].json); /* a number in the array: shell form */
	CHECK_STR(DF.instrs[7].text, "--not-a-flag");
	CHECK(!DF.instrs[8].json); /* JSON followed by more text: shell form */
	CHECK(DF.instrs[9].json && DF.instrs[9].nargs == 0);
	CHECK_INT(lint("FROM a:1\nRUN []\nRUN [\"\"]\nCMD []\n"), 0); /* empty exec forms: no crash */
}

TEST(parse_crlf_bom_tabs)
{
	static const char crlf[] = "FROM x\r\nRUN a \\\r\n  b\r\nUSER u\r\n";
	static const char bom[] = "\xef\xbb\xbf# escape=`\nFROM x\n";

	CHECK_INT(parse_s(crlf), 0);
	CHECK_STR(DF.instrs[1].text, "a   b");
	CHECK_INT(DF.instrs[2].line, 4);
	CHECK_STR(DF.instrs[2].args[0], "u");
	CHECK_INT(parse_s(bom), 0);
	CHECK_INT(DF.escape, '`');
	CHECK_STR(DF.instrs[0].keyword, "FROM");
	CHECK_INT(parse_s("FROM\tx\tAS\tb\n\tRUN\tapt-get\tinstall\n"), 0);
	CHECK_STR(DF.stages[0].name, "b");
	CHECK_STR(DF.instrs[1].keyword, "RUN");
	CHECK_STR(DF.instrs[1].text, "apt-get\tinstall");
}

TEST(parse_env_arg_label)
{
	const cs_df_instr *in;

	CHECK_INT(parse_s("ARG V=1\nARG A B=2\nFROM x:${V}\nENV A=1 B=\"two words\" C=three\\ words\n"
			  "ENV LEGACY some \"value\"\nLABEL a=b \"c d\"=e\nENV BAD\nENV X=1 y\n"),
		  0);
	CHECK_INT(DF.instrs[0].stage, -1);
	CHECK_INT(DF.instrs[1].stage, -1);
	CHECK_INT(DF.instrs[1].nargs, 2);
	CHECK_STR(DF.instrs[1].args[1], "B=2");
	CHECK_INT(DF.instrs[2].stage, 0);
	CHECK_STR(DF.stages[0].image, "x:${V}");
	in = &DF.instrs[3];
	CHECK_INT(in->nargs, 6);
	CHECK_STR(in->args[3], "two words");
	CHECK_STR(in->args[5], "three words");
	in = &DF.instrs[4];
	CHECK_INT(in->nargs, 2);
	CHECK_STR(in->args[0], "LEGACY");
	CHECK_STR(in->args[1], "some value");
	in = &DF.instrs[5];
	CHECK_INT(in->nargs, 4);
	CHECK_STR(in->args[2], "c d");
	CHECK(has_problem(7, "has no value"));
	CHECK(has_problem(8, "'y' is not NAME=value"));
}

TEST(parse_stages_and_problems)
{
	CHECK_INT(parse_s("FROM a:1 AS one\nRUN x\nFROM one AS two\nFROM b\nCOPY --from=two / /\n"), 0);
	CHECK_INT(DF.nstages, 3);
	CHECK_INT(DF.stages[0].first, 0);
	CHECK_INT(DF.stages[0].end, 2);
	CHECK_INT(DF.stages[1].first, 2);
	CHECK_INT(DF.stages[1].end, 3);
	CHECK_INT(DF.stages[2].end, 5);
	CHECK(DF.stages[2].name == NULL);
	CHECK_INT(DF.instrs[4].stage, 2);
	CHECK_INT(DF.nproblems, 0);

	CHECK_INT(parse_s("RUN early\nFROM x\nRNU typo\nUSER\nFROM a b\nFROM c AS 1bad\nONBUILD\nCOPY onlyone\n"), 0);
	CHECK(has_problem(1, "RUN before the first FROM"));
	CHECK(has_problem(3, "unknown instruction 'RNU'"));
	CHECK(has_problem(4, "USER needs an argument"));
	CHECK(has_problem(5, "FROM takes 'image [AS name]'"));
	CHECK(has_problem(6, "invalid stage name '1bad'"));
	CHECK(has_problem(7, "ONBUILD needs an instruction"));
	CHECK(has_problem(8, "COPY needs a source and a destination"));
	CHECK_INT(parse_s(""), 0);
	CHECK(has_problem(0, "no instructions"));
	CHECK_INT(parse_s("# only a comment\n\n"), 0);
	CHECK(has_problem(0, "no instructions"));
	CHECK_INT(parse_s("ARG x\n"), 0);
	CHECK(has_problem(0, "no FROM"));
	CHECK_INT(parse_s("FROM x\nONBUILD RUN apt-get install y\n"), 0);
	CHECK(DF.instrs[1].sub != NULL);
	CHECK_STR(DF.instrs[1].sub->keyword, "RUN");
	CHECK_STR(DF.instrs[1].sub->text, "apt-get install y");
}

TEST(parse_limits)
{
	cs_buf b = CS_BUF_INIT;
	size_t i;

	/* a NUL byte: not a Dockerfile, with its line */
	CHECK_INT(parse("FROM x\nRUN a\0b\n", 13), CS_EFORMAT);
	CHECK(strstr(ERR.msg, "line 2: binary content") != NULL);
	/* bigger than 1 MiB */
	CHECK_INT(cs_buf_grow(&b, CS_DF_MAX_FILE + 2), 0);
	memset(b.data, '#', CS_DF_MAX_FILE + 1);
	CHECK_INT(parse(b.data, CS_DF_MAX_FILE + 1), CS_ELIMIT);
	CHECK(strstr(ERR.msg, "more than") != NULL);
	/* one instruction longer than the cap, through continuations */
	cs_buf_reset(&b);
	(void)cs_buf_puts(&b, "FROM x\nRUN a");
	for (i = 0; b.len < CS_DF_MAX_INSTR + CS_DF_MAX_INSTR / 10; i++)
		(void)cs_buf_puts(&b, " \\\n aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	CHECK_INT(parse(b.data, b.len), CS_ELIMIT);
	CHECK(strstr(ERR.msg, "instruction longer than") != NULL);
	/* too many instructions */
	cs_buf_reset(&b);
	(void)cs_buf_puts(&b, "FROM x\n");
	for (i = 0; i < CS_DF_MAX_INSTRUCTIONS; i++)
		(void)cs_buf_puts(&b, "USER a\n");
	CHECK_INT(parse(b.data, b.len), CS_ELIMIT);
	CHECK(strstr(ERR.msg, "line 10001: more than 10000 instructions") != NULL);
	/* too many stages */
	cs_buf_reset(&b);
	for (i = 0; i <= CS_DF_MAX_STAGES; i++)
		(void)cs_buf_puts(&b, "FROM x\n");
	CHECK_INT(parse(b.data, b.len), CS_ELIMIT);
	/* too many heredocs in one RUN */
	cs_buf_reset(&b);
	(void)cs_buf_puts(&b, "FROM x\nRUN cat");
	for (i = 0; i <= CS_DF_MAX_HEREDOCS; i++)
		(void)cs_buf_printf(&b, " <<E%zu", i);
	(void)cs_buf_puts(&b, "\n");
	CHECK_INT(parse(b.data, b.len), CS_ELIMIT);
	/* the lint says which file */
	CHECK_INT(lint("FROM x\nRUN \0"), 0); /* strlen stops at the NUL: nothing binary seen */
	{
		cs_arena a;

		cs_arena_init(&a);
		cs_err_clear(&ERR);
		CHECK_INT(cs_dockerfile_lint("dir/Dockerfile", "FROM x\n\0", 8, &a, collect_cb, NULL, &ERR), CS_EFORMAT);
		CHECK(cs_str_starts(ERR.msg, "Dockerfile 'dir/Dockerfile': line 2: binary content"));
		cs_arena_release(&a);
	}
	cs_buf_release(&b);
	cs_arena_release(&PA);
}

/* ------------------------------------------------------------ shell reader */

static cs_arena SA;
static cs_sh_script SS;

static size_t sh(const char *text)
{
	cs_arena_release(&SA);
	cs_arena_init(&SA);
	memset(&SS, 0, sizeof(SS));
	if (cs_sh_parse(&SS, text, strlen(text), &SA) < 0)
		return (size_t)-1;
	return SS.ncmds;
}

static const char *argv_join(size_t i)
{
	static char buf[512];
	size_t k, n = 0;

	buf[0] = '\0';
	for (k = 0; k < SS.cmds[i].argc && n < sizeof(buf) - 1; k++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", k ? "|" : "", SS.cmds[i].argv[k]);
	return buf;
}

TEST(shell_reader)
{
	CHECK_INT(sh("a && b || c; d | e & f"), 6);
	CHECK_STR(argv_join(0), "a");
	CHECK_STR(argv_join(5), "f");
	CHECK(SS.cmds[3].pipe_out && SS.cmds[3].pipeline == SS.cmds[4].pipeline);
	CHECK(SS.cmds[0].pipeline != SS.cmds[1].pipeline);
	CHECK(SS.has_pipe);
	CHECK_INT(sh("echo \"a && b\" 'c|d' e\\ f"), 1);
	CHECK_STR(argv_join(0), "echo|a && b|c|d|e f");
	CHECK_INT(sh("sh -c \"$(curl -fsSL x | bash)\""), 1);
	CHECK_STR(argv_join(0), "sh|-c|$(curl -fsSL x | bash)");
	CHECK_INT(sh("apt-get install x >/dev/null 2>&1 </dev/null && y 2> err"), 2);
	CHECK_STR(argv_join(0), "apt-get|install|x");
	CHECK_STR(argv_join(1), "y");
	CHECK_INT(sh("cat <<EOF > f\napt-get update\nEOF\necho done"), 2);
	CHECK_STR(SS.cmds[0].heredoc, "EOF");
	CHECK_STR(argv_join(1), "echo|done");
	CHECK_INT(sh("cat <<-'X'\n\tapt-get update\n\tX\nls"), 2);
	CHECK_STR(argv_join(1), "ls");
	CHECK_INT(sh("DEBIAN_FRONTEND=noninteractive apt-get install -y x"), 1);
	CHECK_INT(SS.cmds[0].nassign, 1);
	CHECK_STR(argv_join(0), "apt-get|install|-y|x");
	CHECK_INT(sh("if true; then apt-get update; else exit 1; fi; for p in a b; do pip install $p; done"), 4);
	CHECK_STR(argv_join(0), "true");
	CHECK_STR(argv_join(1), "apt-get|update");
	CHECK_STR(argv_join(2), "exit|1");
	CHECK_STR(argv_join(3), "pip|install|$p"); /* the `for p in a b` head is no command */
	CHECK_INT(sh("a # b && c\nd"), 2);
	CHECK_STR(argv_join(1), "d");
	CHECK_INT(sh("a \\\n b"), 1);
	CHECK_STR(argv_join(0), "a|b");
	CHECK_INT(sh("bash <(curl -s x)"), 1);
	CHECK_STR(argv_join(0), "bash|<(curl -s x)");
	CHECK_INT(sh("curl x |\n sh"), 2);
	CHECK(SS.cmds[0].pipeline == SS.cmds[1].pipeline);
	CHECK_INT(sh("( cd /x && make ) || { echo no; }"), 3);
	CHECK_STR(argv_join(0), "cd|/x");
	CHECK_STR(argv_join(2), "echo|no");
	CHECK_INT(sh("x=$(echo ')' \"(\")"), 1);
	CHECK_INT(SS.cmds[0].argc, 0);
	CHECK_INT(SS.cmds[0].nassign, 1);
	CHECK_INT(sh("||| | a | b"), 2);
	CHECK(SS.cmds[0].pipeline == 1 && SS.cmds[1].pipeline == 1);
	CHECK_INT(sh(""), 0);
	CHECK_INT(sh("\"unterminated 'quote"), 1);
	CHECK_INT(sh("$(unterminated"), 1);
	cs_arena_release(&SA);
}

/* ------------------------------------------------------------ checks */

typedef struct check_case {
	const char *id;
	const char *bad;  /* fires id at line */
	uint64_t line;
	const char *good; /* does not fire id */
} check_case;

/* One firing and one non-firing Dockerfile per check (more cases in the tests below). */
static const check_case cases[] = {
	{"CS-DF-001", "FROM debian:latest\n", 1, "FROM debian:12\n"},
	{"CS-DF-002", "FROM debian\n", 1, "FROM scratch\n"},
	{"CS-DF-003", "FROM debian:12\nUSER root\n", 2, "FROM debian:12\nUSER app\n"},
	{"CS-DF-004", "FROM a:1\nWORKDIR app\n", 2, "FROM a:1\nWORKDIR /app\nWORKDIR $HOME/x\n"},
	{"CS-DF-005", "FROM a:1\nWORKDIR /proc/self\n", 2, "FROM a:1\nWORKDIR /procedure\n"},
	{"CS-DF-006", "FROM a:1\nRUN cd /tmp && make\n", 2, "FROM a:1\nRUN make -C /tmp\n"},
	{"CS-DF-007", "FROM a:1\nRUN sudo apt-get install -y x\n", 2, "FROM a:1\nRUN apt-get install -y x\n"},
	{"CS-DF-008", "FROM a:1\nRUN apt-get install x\n", 2, "FROM a:1\nRUN apt-get -qq install x\n"},
	{"CS-DF-009", "FROM a:1\nRUN apt-get install -y x\n", 2,
	 "FROM a:1\nRUN apt-get install -y --no-install-recommends x\n"},
	{"CS-DF-010", "FROM a:1\nRUN apt-get update\nRUN apt-get install -y x\n", 2,
	 "FROM a:1\nRUN apt-get update && apt-get install -y x\n"},
	{"CS-DF-011", "FROM a:1\nRUN apt-get update && apt-get install -y x\n", 2,
	 "FROM a:1\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n"},
	{"CS-DF-012", "FROM a:1\nRUN apt install -y x\n", 2, "FROM a:1\nRUN apt-get install -y x\n"},
	{"CS-DF-013", "FROM a:1\nRUN apk add curl\n", 2, "FROM a:1\nRUN apk add --no-cache curl\n"},
	{"CS-DF-014", "FROM a:1\nRUN yum install httpd && yum clean all\n", 2,
	 "FROM a:1\nRUN yum install -y httpd && yum clean all\n"},
	{"CS-DF-015", "FROM a:1\nRUN dnf install -y httpd\n", 2, "FROM a:1\nRUN dnf install -y httpd && dnf clean all\n"},
	{"CS-DF-016", "FROM a:1\nRUN pip install flask\n", 2, "FROM a:1\nRUN pip install --no-cache-dir flask\n"},
	{"CS-DF-017", "FROM a:1\nRUN apk upgrade\n", 2, "FROM a:1\nRUN apk add --no-cache --upgrade curl\n"},
	{"CS-DF-018", "FROM a:1\nRUN apt-get dist-upgrade -y\n", 2, "FROM a:1\nRUN apt-get install -y x\n"},
	{"CS-DF-019", "FROM a:1\nADD app.jar /app/\n", 2, "FROM a:1\nADD rootfs.tar.xz /\nCOPY app.jar /app/\n"},
	{"CS-DF-020", "FROM a:1\nADD https://example.com/a.tar.gz /a/\n", 2,
	 "FROM a:1\nADD --checksum=sha256:0123 https://example.com/a.tar.gz /a/\n"},
	{"CS-DF-021", "FROM a:1 AS build\nFROM b:1\nCOPY --from=biuld /x /x\n", 3,
	 "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\nCOPY --from=nginx:1.25 /a /a\n"},
	{"CS-DF-022", "FROM a:1 AS build\nCOPY --from=build /x /x\n", 2, "FROM a:1 AS build\nFROM b:1\nCOPY --from=0 /x /x\n"},
	{"CS-DF-023", "FROM a:1 AS x\nFROM b:1 AS X\n", 2, "FROM a:1 AS x\nFROM b:1 AS y\n"},
	{"CS-DF-024", "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n", 2, "FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\n"},
	{"CS-DF-025", "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", 2, "FROM a:1\nENTRYPOINT [\"a\"]\n"},
	{"CS-DF-026", "FROM a:1\nHEALTHCHECK NONE\nHEALTHCHECK CMD true\n", 2, "FROM a:1\nHEALTHCHECK CMD true\n"},
	{"CS-DF-027", "FROM a:1\nCMD python app.py\n", 2, "FROM a:1\nCMD [\"python\", \"app.py\"]\n"},
	{"CS-DF-028", "FROM a:1\nMAINTAINER me\n", 2, "FROM a:1\nLABEL org.opencontainers.image.authors=me\n"},
	{"CS-DF-029", "FROM a:1\nEXPOSE 8080 70000\n", 2, "FROM a:1\nEXPOSE 8080/tcp 1000-2000 53/udp ${PORT}\n"},
	{"CS-DF-030", "FROM a:1\nEXPOSE 22\n", 2, "FROM a:1\nEXPOSE 2222\n"},
	{"CS-DF-031", "FROM a:1\n", 1, "FROM a:1\nHEALTHCHECK NONE\n"},
	{"CS-DF-032", "FROM a:1\nRUN curl -fsSL x | tar xz\n", 2,
	 "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL x | tar xz\n"},
	{"CS-DF-033", "FROM a:1\nRUN curl -fsSL https://get.example.com | sh\n", 2,
	 "FROM a:1\nRUN curl -fsSLo get.sh https://get.example.com && sha256sum -c get.sha256 && sh get.sh\n"},
	{"CS-DF-034", "FROM a:1\nRUN chmod -R 777 /app\n", 2, "FROM a:1\nRUN chmod 1777 /scratch && chmod 755 /app\n"},
	{"CS-DF-035", "FROM a:1\nENV DB_PASSWORD=hunter2\n", 2, "FROM a:1\nENV DB_PASSWORD_FILE=/run/secrets/db\n"},
	{"CS-DF-036", "FROM a:1\nARG NPM_TOKEN\n", 2, "FROM a:1\nARG NPM_VERSION\n"},
	{"CS-DF-037", "FROM a:1\nCOPY a b dest\n", 2, "FROM a:1\nCOPY a b dest/\n"},
	{"CS-DF-038", "FROM a:1\nRUN curl -O x\nRUN wget y\n", 3, "FROM a:1\nRUN curl -O x\nRUN curl y\n"},
	{"CS-DF-039", "FROM --platform=linux/amd64 a:1\n", 1, "FROM --platform=$BUILDPLATFORM a:1\n"},
	{"CS-DF-040", "FROM a:1\nCOPY . app\n", 2, "FROM a:1\nWORKDIR /src\nCOPY . app\n"},
	{"CS-DF-041", "FROM a:1\nRNU x\n", 2, "FROM a:1\nRUN x\n"},
};

TEST(every_check_fires_and_not)
{
	size_t i, n = 0;

	for (i = 0; cs_dockerfile_check_at(i); i++)
		;
	CHECK_INT(i, CS_ARRAY_LEN(cases));
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		const check_case *c = &cases[i];

		CHECK_STR(cs_dockerfile_check_at(i)->id, c->id); /* the table is in id order, one case each */
		CHECK_INT(lint(c->bad), 0);
		if (!fired_at(c->id, c->line)) {
			fprintf(stderr, "  %s: bad case does not fire at line %llu:\n", c->id, (unsigned long long)c->line);
			dump();
			test_failures++;
		}
		CHECK_INT(lint(c->good), 0);
		if (fired(c->id)) {
			fprintf(stderr, "  %s: good case fires:\n", c->id);
			dump();
			test_failures++;
		}
		n++;
	}
	CHECK_INT(n, 41);
}

TEST(check_table)
{
	size_t i, j;

	for (i = 0; cs_dockerfile_check_at(i); i++) {
		const cs_df_check *c = cs_dockerfile_check_at(i);
		char want[16];

		snprintf(want, sizeof(want), "CS-DF-%03zu", i + 1);
		CHECK_STR(c->id, want);
		CHECK(c->title && *c->title && c->description && *c->description && c->resolution && *c->resolution);
		CHECK(!strcmp(c->severity, "critical") || !strcmp(c->severity, "high") || !strcmp(c->severity, "medium") ||
		      !strcmp(c->severity, "low"));
		CHECK(cs_dockerfile_check_find(c->id) == c);
		for (j = 0; j < i; j++)
			CHECK(strcmp(cs_dockerfile_check_at(j)->title, c->title));
	}
	CHECK(cs_dockerfile_check_find("CS-DF-999") == NULL);
	CHECK_STR(cs_dockerfile_check_find("CS-DF-003")->cis, "4.1");
	CHECK_STR(cs_dockerfile_check_find("CS-DF-031")->cis, "4.6");
	CHECK_STR(cs_dockerfile_check_find("CS-DF-010")->cis, "4.7");
	CHECK_STR(cs_dockerfile_check_find("CS-DF-019")->cis, "4.9");
	CHECK_STR(cs_dockerfile_check_find("CS-DF-035")->cis, "4.10");
}

TEST(from_tags)
{
	/* ARG defaults are substituted; unresolved ones are left to the build */
	CHECK_INT(lint("ARG T=latest\nFROM debian:${T}\n"), 0);
	CHECK(fired_at("CS-DF-001", 2));
	CHECK(strstr(H[0].msg, "(debian:latest)") != NULL);
	CHECK_INT(lint("ARG BASE\nFROM ${BASE}\nARG X=1\nFROM ${NOPE:-alpine}\n"), 0);
	CHECK(!fired_at("CS-DF-002", 2));
	CHECK(fired_at("CS-DF-002", 4));
	CHECK_INT(lint("ARG V=3.19\nFROM alpine:$V\nFROM ${REG:-docker.io}/library/alpine:${V:-x}\n"), 0);
	CHECK(!fired("CS-DF-001") && !fired("CS-DF-002"));
	/* stage references, scratch, digests, registry ports */
	CHECK_INT(lint("FROM debian:12 AS b\nFROM b\nFROM SCRATCH\nFROM debian@sha256:0123\nFROM debian:latest@sha256:01\n"), 0);
	CHECK(!fired("CS-DF-001") && !fired("CS-DF-002"));
	CHECK_INT(lint("ARG S=b\nFROM debian:12 AS b\nFROM ${S}\n"), 0);
	CHECK(!fired("CS-DF-002"));
	CHECK_INT(lint("FROM localhost:5000/img\nFROM localhost:5000/img:latest\nFROM reg.io/a/b:1.0\n"), 0);
	CHECK(fired_at("CS-DF-002", 1));
	CHECK(fired_at("CS-DF-001", 2));
	CHECK_INT(fired("CS-DF-001") + fired("CS-DF-002"), 2);
	/* a later stage name is an image */
	CHECK_INT(lint("FROM later\nFROM a:1 AS later\n"), 0);
	CHECK(fired_at("CS-DF-002", 1));
}

TEST(user_root)
{
	CHECK_INT(lint("FROM a:1\nUSER app\nUSER 0:0\n"), 0);
	CHECK(fired_at("CS-DF-003", 3));
	CHECK_INT(lint("FROM a:1\nUSER root:wheel\nUSER app\n"), 0);
	CHECK(!fired("CS-DF-003"));
	/* no USER at all: reported at the final FROM */
	CHECK_INT(lint("FROM a:1 AS b\nUSER app\nFROM c:1\nRUN x\n"), 0);
	CHECK(fired_at("CS-DF-003", 3));
	/* inherited through FROM <stage> */
	CHECK_INT(lint("FROM a:1 AS base\nUSER app\nFROM base\nRUN x\n"), 0);
	CHECK(!fired("CS-DF-003"));
	CHECK_INT(lint("FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n"), 0);
	CHECK(fired_at("CS-DF-003", 2));
	/* a variable: unknown, not reported */
	CHECK_INT(lint("FROM a:1\nUSER ${APP_UID}\n"), 0);
	CHECK(!fired("CS-DF-003"));
	/* HEALTHCHECK inherited too */
	CHECK_INT(lint("FROM a:1 AS base\nHEALTHCHECK CMD true\nFROM base\n"), 0);
	CHECK(!fired("CS-DF-031"));
}

TEST(run_package_managers)
{
	/* apt: -y forms, recommends config, update alone, lists */
	CHECK_INT(lint("FROM a:1\nRUN apt-get -fmy install x\nRUN apt-get install --yes x\nRUN apt-get -o APT::Get::Assume-Yes=true install x\n"
		       "RUN apt-get -q -q install x\nRUN apt-get -q=2 remove x\nRUN apt-get install -oDebug::y=1 x\n"),
		  0);
	CHECK_INT(fired("CS-DF-008"), 1);
	CHECK(fired_at("CS-DF-008", 7)); /* the y of an -o value is no -y */
	CHECK_INT(lint("FROM a:1\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/no-rec\n"
		       "RUN apt-get install -y x\nRUN apt-get -o APT::Install-Recommends=false install -y y\n"),
		  0);
	CHECK(!fired("CS-DF-009"));
	CHECK_INT(lint("FROM a:1\nRUN apt-get update && apt-get upgrade -y\nRUN apk update\nRUN yum update -y && yum clean all\n"
		       "RUN apt-get update -qq && apt-get install -y --no-install-recommends x && rm -rf /var/lib/apt/lists\n"),
		  0);
	CHECK(!fired_at("CS-DF-010", 2));
	CHECK(fired_at("CS-DF-010", 3));
	CHECK(fired_at("CS-DF-010", 4));
	CHECK(!fired_at("CS-DF-010", 5));
	CHECK(fired_at("CS-DF-017", 2));
	CHECK(fired_at("CS-DF-017", 4));
	CHECK(!fired_at("CS-DF-011", 5));
	/* cache mounts keep caches out of the layer */
	CHECK_INT(lint("FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt "
		       "apt-get update && apt-get install -y --no-install-recommends x\n"
		       "RUN --mount=type=cache,target=/root/.cache/pip pip install x\n"
		       "RUN --mount=type=cache,id=apk,target=/var/cache/apk apk add x\n"),
		  0);
	CHECK(!fired("CS-DF-011") && !fired("CS-DF-016") && !fired("CS-DF-013"));
	/* caches in a build stage that does not ship are not reported */
	CHECK_INT(lint("FROM a:1 AS build\nRUN apk add gcc\nRUN pip install x\nFROM b:1\nCOPY --from=build /x /x\n"), 0);
	CHECK(!fired("CS-DF-013") && !fired("CS-DF-016"));
	CHECK_INT(lint("FROM a:1 AS base\nRUN apk add gcc\nFROM base\n"), 0);
	CHECK(fired_at("CS-DF-013", 2));
	/* apk: --no-cache anywhere, rm of the cache */
	CHECK_INT(lint("FROM a:1\nRUN apk --no-cache add x\nRUN apk add --update x && rm -rf /var/cache/apk/*\n"), 0);
	CHECK(!fired("CS-DF-013"));
	/* yum/dnf/microdnf/zypper */
	CHECK_INT(lint("FROM a:1\nRUN yum -y install x && yum clean all\nRUN microdnf install x && microdnf clean all\n"
		       "RUN dnf --assumeyes group install 'Dev Tools' && rm -rf /var/cache/dnf\n"
		       "RUN zypper -n install x && zypper clean -a\nRUN zypper in -y x && zypper cc\n"),
		  0);
	CHECK(!fired("CS-DF-014") && !fired("CS-DF-015"));
	CHECK_INT(lint("FROM a:1\nRUN dnf group install x\nRUN zypper install x\nRUN zypper dup\nRUN dnf distro-sync -y\n"), 0);
	CHECK(fired_at("CS-DF-014", 2) && fired_at("CS-DF-014", 3));
	CHECK(fired_at("CS-DF-015", 2) && fired_at("CS-DF-015", 3));
	CHECK(fired_at("CS-DF-018", 4) && fired_at("CS-DF-018", 5));
	/* pip: python -m pip, PIP_NO_CACHE_DIR, rm of the cache */
	CHECK_INT(lint("FROM a:1\nRUN python3 -m pip install x\nRUN PIP_NO_CACHE_DIR=1 pip3 install y\n"
		       "RUN pip install z && rm -rf ~/.cache\nRUN pip download z\n"),
		  0);
	CHECK(fired_at("CS-DF-016", 2));
	CHECK_INT(fired("CS-DF-016"), 1);
	CHECK_INT(lint("FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n"), 0);
	CHECK(!fired("CS-DF-016"));
	/* wrappers: sudo -u, env, nice; the program behind them is checked */
	CHECK_INT(lint("FROM a:1\nRUN sudo -u root env A=1 nice -n 5 apt-get install x\n"), 0);
	CHECK(fired("CS-DF-007") && fired("CS-DF-008") && fired("CS-DF-009"));
	/* inside sh -c and in a heredoc script */
	CHECK_INT(lint("FROM a:1\nRUN [\"/bin/sh\", \"-c\", \"apt-get install x\"]\nRUN bash -ec 'cd /x && make'\n"
		       "RUN <<EOF\napt-get update\nsudo ls\nEOF\n"
		       "RUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('sudo x')\nEOF\n"
		       "RUN cat <<EOF > /etc/motd\nsudo is not run here\nEOF\n"),
		  0);
	CHECK(fired_at("CS-DF-008", 2));
	CHECK(fired_at("CS-DF-006", 3));
	CHECK(fired_at("CS-DF-010", 4));
	CHECK(fired_at("CS-DF-007", 4));
	CHECK_INT(fired("CS-DF-007"), 1);
}

TEST(run_shell_checks)
{
	/* pipefail: SHELL, set -o pipefail first, non-POSIX shells, exec form */
	CHECK_INT(lint("FROM a:1\nRUN set -euxo pipefail && curl x | tar x\nRUN curl x | tar x; set -o pipefail\n"
		       "SHELL [\"pwsh\", \"-c\"]\nRUN a | b\n"),
		  0);
	CHECK(!fired_at("CS-DF-032", 2));
	CHECK(fired_at("CS-DF-032", 3));
	CHECK(!fired_at("CS-DF-032", 5));
	CHECK_INT(lint("FROM a:1 AS base\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\n"
		       "RUN [\"sh\", \"-c\", \"a | b\"]\nRUN a || b\n"),
		  0);
	CHECK(!fired("CS-DF-032"));
	CHECK_INT(lint("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n"), 0);
	CHECK(!fired("CS-DF-032"));
	/* curl | sh in its forms */
	CHECK_INT(lint("FROM a:1\nRUN wget -qO- https://x | sudo bash -s --\nRUN sh -c \"$(curl -fsSL https://x)\"\n"
		       "RUN bash <(curl -s https://x)\nRUN curl -s https://x | tee i.sh | python3\n"
		       "RUN curl -s https://x | tar xz\nRUN . <(wget -O- x)\n"),
		  0);
	CHECK(fired_at("CS-DF-033", 2) && fired_at("CS-DF-033", 3) && fired_at("CS-DF-033", 4) &&
	      fired_at("CS-DF-033", 5) && fired_at("CS-DF-033", 7));
	CHECK(!fired_at("CS-DF-033", 6));
	/* chmod modes */
	CHECK_INT(lint("FROM a:1\nRUN chmod 0777 /a\nRUN chmod o+w /b\nRUN chmod a=rwx,o-w /c\nRUN chmod u+rwx,go+rx /d\n"
		       "RUN chmod 666 /e\nRUN chmod a+rwxt /tmp/x\nCOPY --chmod=777 a /a\nADD --chmod=755 a.tar /\n"),
		  0);
	CHECK(fired_at("CS-DF-034", 2) && fired_at("CS-DF-034", 3) && fired_at("CS-DF-034", 6) && fired_at("CS-DF-034", 8));
	CHECK(!fired_at("CS-DF-034", 4) && !fired_at("CS-DF-034", 5) && !fired_at("CS-DF-034", 7) &&
	      !fired_at("CS-DF-034", 9));
	/* cd, sudo once per RUN */
	CHECK_INT(lint("FROM a:1\nRUN cd a && cd b && sudo x && sudo y\n"), 0);
	CHECK_INT(fired("CS-DF-006"), 1);
	CHECK_INT(fired("CS-DF-007"), 1);
	/* wget and curl: once per stage, at the RUN where the second tool shows */
	CHECK_INT(lint("FROM a:1\nRUN wget a\nRUN curl b\nRUN curl c && wget d\nFROM b:1\nRUN curl x\n"
		       "RUN apt-get install -y wget curl\n"),
		  0);
	CHECK_INT(fired("CS-DF-038"), 1);
	CHECK(fired_at("CS-DF-038", 3));
}

TEST(secrets)
{
	CHECK_INT(lint("ARG GITHUB_TOKEN\nFROM a:1\nARG AWS_SECRET_ACCESS_KEY=abc API_KEY=\nENV AWS_ACCESS_KEY_ID=AKIA x_client_secret=s\n"
		       "ENV SECRET_KEY_BASE=\"\"\nENV NODE_AUTH_TOKEN ${NPM_TOKEN}\n"),
		  0);
	CHECK(fired_at("CS-DF-036", 1));
	CHECK(fired_at("CS-DF-035", 3)); /* AWS_SECRET_ACCESS_KEY=abc */
	CHECK(fired_at("CS-DF-036", 3)); /* API_KEY= : no default */
	CHECK(fired_at("CS-DF-035", 4));
	CHECK(!fired_at("CS-DF-035", 5)); /* empty value */
	CHECK(fired_at("CS-DF-035", 6));
	CHECK_INT(fired("CS-DF-035"), 4);
	/* the value never shows in a message */
	{
		size_t i;

		for (i = 0; i < NH; i++)
			CHECK(!strstr(H[i].msg, "AKIA") && !strstr(H[i].msg, "abc"));
	}
	/* not secrets */
	CHECK_INT(lint("FROM a:1\nENV TOKENIZERS_PARALLELISM=false GPG_KEY=A035C8C19219BA82 MYSQL_ALLOW_EMPTY_PASSWORD=yes\n"
		       "ENV POSTGRES_PASSWORD_FILE=/run/secrets/pg VAULT_TOKEN_PATH=/v SECRET_NAME=x PASSWORD_LENGTH=12\n"
		       "ARG TOKEN_URL=https://x\nARG BYPASS=1\n"),
		  0);
	CHECK(!fired("CS-DF-035") && !fired("CS-DF-036"));
}

TEST(copy_add_rules)
{
	CHECK_INT(lint("FROM a:1\nADD src/ /app/\nADD a.TGZ b.tar.zst /x/\nADD ${FILE} /x\nADD git@github.com:a/b.git /src\n"
		       "ADD https://github.com/a/b.git#0123456789abcdef0123456789abcdef01234567 /src\nADD <<EOF /f\nx\nEOF\n"),
		  0);
	CHECK(fired_at("CS-DF-019", 2));
	CHECK(!fired_at("CS-DF-019", 3) && !fired_at("CS-DF-019", 4));
	CHECK(fired_at("CS-DF-020", 5));
	CHECK(!fired_at("CS-DF-020", 6));
	/* COPY --from: numbers, later stages, variables, image references */
	CHECK_INT(lint("FROM a:1 AS one\nFROM b:1 AS two\nCOPY --from=1 /x /x\nCOPY --from=5 /x /x\nCOPY --from=three /x /x\n"
		       "COPY --from=$S /x /x\nCOPY --from=ghcr.io/o/i /x /x\nCOPY --from=ONE /x /x\nFROM c:1 AS three\n"),
		  0);
	CHECK(fired_at("CS-DF-022", 3) && fired_at("CS-DF-022", 4) && fired_at("CS-DF-022", 5));
	CHECK(!fired("CS-DF-021"));
	CHECK_INT(fired("CS-DF-022"), 3);
	/* several sources: JSON form too, heredoc sources count, variables left alone */
	CHECK_INT(lint("FROM a:1\nCOPY [\"package.json\", \"yarn.lock\", \"myapp\"]\nCOPY a b $DEST\nADD a b /x/\nCOPY <<A <<B /etc/\nx\nA\ny\nB\n"),
		  0);
	CHECK(fired_at("CS-DF-037", 2));
	CHECK_INT(fired("CS-DF-037"), 1);
	/* relative COPY destination: WORKDIR in the stage or a parent stage */
	CHECK_INT(lint("FROM a:1 AS base\nWORKDIR /w\nFROM base\nCOPY . .\nFROM c:1\nCOPY x y\nCOPY x C:/y\n"), 0);
	CHECK(fired_at("CS-DF-040", 6));
	CHECK_INT(fired("CS-DF-040"), 1);
}

TEST(other_checks)
{
	CHECK_INT(lint("FROM a:1\nEXPOSE 22/tcp 23 3389/udp 80-22 abc 1/http 65535 0\n"), 0);
	CHECK_INT(fired("CS-DF-030"), 3);
	CHECK_INT(fired("CS-DF-029"), 3);
	CHECK_INT(lint("FROM a:1\nWORKDIR \"relative dir\"\nWORKDIR C:\\\\x\nWORKDIR /dev\nWORKDIR /lost+found/x\n"), 0);
	CHECK(fired_at("CS-DF-004", 2));
	CHECK_INT(fired("CS-DF-004"), 1);
	CHECK_INT(fired("CS-DF-005"), 2);
	/* ONBUILD: the wrapped instruction is checked; ONBUILD FROM is refused */
	CHECK_INT(lint("FROM a:1\nONBUILD RUN sudo x\nONBUILD FROM y\nONBUILD CMD a\nONBUILD USER root\nUSER app\n"), 0);
	CHECK(fired_at("CS-DF-007", 2));
	CHECK(fired_at("CS-DF-041", 3));
	CHECK(!fired("CS-DF-027") && !fired("CS-DF-003"));
	/* CMD / ENTRYPOINT overridden: reported on the earlier ones */
	CHECK_INT(lint("FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\nCMD [\"c\"]\n"), 0);
	CHECK(fired_at("CS-DF-024", 2) && fired_at("CS-DF-024", 3) && !fired_at("CS-DF-024", 4));
	/* syntax problems become findings with their lines */
	CHECK_INT(lint("RUN x\nFROM a:1\nFROBNICATE\nRUN <<EOF\n"), 0);
	CHECK(fired_at("CS-DF-041", 1) && fired_at("CS-DF-041", 3) && fired_at("CS-DF-041", 4));
	CHECK_INT(lint(""), 0);
	CHECK(fired_at("CS-DF-041", 0));
	/* messages carry no control bytes and stay valid UTF-8 */
	CHECK_INT(lint("FROM a:1\nWORKDIR rel\x1b[31m\xff\xc3\xa9\n"), 0);
	CHECK(fired("CS-DF-004"));
	CHECK(strstr(H[0].msg, "rel?[31m?\xc3\xa9") != NULL);
}

/* ------------------------------------------------------------ real examples */

/* Our checks that claim this Trivy id (cs_df_check.trivy). */
static size_t trivy_claims(const char *trivy_id, const char **ids, size_t max)
{
	size_t i, n = 0;

	for (i = 0; cs_dockerfile_check_at(i); i++) {
		const cs_df_check *c = cs_dockerfile_check_at(i);

		if (c->trivy && strstr(c->trivy, trivy_id) && n < max)
			ids[n++] = c->id;
	}
	return n;
}

TEST(trivy_examples)
{
	char path[1024];
	char *index;
	size_t len = 0, i, nexamples = 0, nchecks = 0;
	cJSON *root;
	const cJSON *chk;

	snprintf(path, sizeof(path), "%s/test-data/dockerfile/trivy-checks/checks-index.json", test_shared());
	if (!(index = test_read_file(path, &len))) {
		fprintf(stderr, "  cannot read %s\n", path);
		test_failures++;
		return;
	}
	root = cJSON_ParseWithLength(index, len);
	CHECK(root != NULL);
	cJSON_ArrayForEach(chk, cs_json_arr(root, "checks"))
	{
		const char *id = cs_json_str(chk, "id"), *file = cs_json_str(chk, "examples_file");
		const char *ids[8];
		size_t nids = trivy_claims(id, ids, 8);
		cJSON *ex = NULL;
		char *yaml;
		size_t ylen;
		cs_yaml_opts yo = {"examples", 16, false};
		const char *const kinds[] = {"bad", "good"};
		size_t k;

		nchecks++;
		if (!nids) {
			fprintf(stderr, "  Trivy %s is claimed by no check\n", id);
			test_failures++;
		}
		if (!file || !*file)
			continue;
		snprintf(path, sizeof(path), "%s/test-data/dockerfile/trivy-checks/%s", test_shared(), file);
		yaml = test_read_file(path, &ylen);
		CHECK(yaml != NULL);
		if (!yaml)
			continue;
		cs_err_clear(&ERR);
		CHECK_INT(cs_yaml_parse(&ex, yaml, ylen, &yo, &ERR), 0);
		for (k = 0; k < 2; k++) {
			const cJSON *df = cs_json_obj(ex, "dockerfile"), *e;

			cJSON_ArrayForEach(e, cs_json_arr(df, kinds[k]))
			{
				size_t hitn = 0;

				CHECK(cJSON_IsString(e));
				if (!cJSON_IsString(e))
					continue;
				CHECK_INT(lint(e->valuestring), 0);
				for (i = 0; i < nids; i++)
					hitn += fired(ids[i]);
				if (k == 0 && !hitn) {
					fprintf(stderr, "  %s (%s): a bad example fires none of our checks for it:\n%s\n", id, file,
						e->valuestring);
					dump();
					test_failures++;
				}
				if (k == 1 && hitn) {
					fprintf(stderr, "  %s (%s): a good example fires:\n%s\n", id, file, e->valuestring);
					dump();
					test_failures++;
				}
				nexamples++;
			}
		}
		cJSON_Delete(ex);
		free(yaml);
	}
	cJSON_Delete(root);
	free(index);
	CHECK_INT(nchecks, 28);
	CHECK(nexamples >= 44);
}

/*
 * Every Hadolint rule is either claimed by a check (cs_df_check.hadolint)
 * or named in docs/config-audit.md as not covered, and every check id is
 * in the docs too.
 */
TEST(hadolint_rules_and_docs)
{
	char path[1024];
	char *rules, *doc;
	size_t len = 0, dlen = 0, i, covered = 0, documented = 0;
	cJSON *root;
	const cJSON *r;

	snprintf(path, sizeof(path), "%s/test-data/dockerfile/hadolint/rules.json", test_shared());
	rules = test_read_file(path, &len);
	doc = test_read_file("docs/config-audit.md", &dlen);
	CHECK(rules != NULL && doc != NULL);
	if (!rules || !doc) {
		free(rules);
		free(doc);
		return;
	}
	root = cJSON_ParseWithLength(rules, len);
	cJSON_ArrayForEach(r, cs_json_arr(root, "rules"))
	{
		const char *id = cs_json_str(r, "rule");
		bool claimed = false;

		for (i = 0; cs_dockerfile_check_at(i); i++)
			claimed = claimed || (cs_dockerfile_check_at(i)->hadolint &&
					      strstr(cs_dockerfile_check_at(i)->hadolint, id));
		if (claimed)
			covered++;
		else if (strstr(doc, id))
			documented++;
		else {
			fprintf(stderr, "  Hadolint %s: neither covered nor listed as not covered in docs/config-audit.md\n", id);
			test_failures++;
		}
	}
	for (i = 0; cs_dockerfile_check_at(i); i++)
		if (!strstr(doc, cs_dockerfile_check_at(i)->id)) {
			fprintf(stderr, "  %s is not in docs/config-audit.md\n", cs_dockerfile_check_at(i)->id);
			test_failures++;
		}
	CHECK(covered >= 35);
	CHECK(covered + documented == (size_t)cJSON_GetArraySize(cs_json_arr(root, "rules")));
	cJSON_Delete(root);
	free(rules);
	free(doc);
}

/* ------------------------------------------------------------ the two ways in */

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	if (!path)
		abort();
	snprintf(path, strlen(dir) + strlen(name) + 2, "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		abort();
	fputs(text, f);
	fclose(f);
	return path;
}

TEST(audit_into_scan)
{
	char tmpl[] = "/tmp/customs-df-XXXXXX", *dir = mkdtemp(tmpl), *path, *missing;
	cs_scan_opts o;
	cs_scan *s = NULL;
	size_t i;
	bool latest = false;

	CHECK(dir != NULL);
	path = write_file(dir, "Dockerfile", "FROM debian:latest\nUSER app\nHEALTHCHECK NONE\n");
	cs_scan_opts_default(&o);
	cs_err_clear(&ERR);
	CHECK_INT(cs_scan_new_inventory(&s, &o, &ERR), 0);
	CHECK_INT(cs_dockerfile_audit(s, path, &ERR), 0);
	CHECK_INT(cs_scan_misconfig_count(s), 1);
	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);

		if (!strcmp(m->id, "CS-DF-001")) {
			latest = true;
			CHECK_STR(m->dockerfile, path);
			CHECK_INT(m->line, 1);
			CHECK_INT(m->layer, -1);
			CHECK(m->path == NULL);
			CHECK_STR(m->severity, "medium");
			CHECK(strstr(m->description, "Equivalent: Hadolint DL3007; Trivy DS-0001.") != NULL);
			CHECK(cs_str_starts(m->message, "line 1: FROM 'debian:latest'"));
		}
	}
	CHECK(latest);
	missing = malloc(strlen(dir) + 16);
	snprintf(missing, strlen(dir) + 16, "%s/nope", dir);
	cs_err_clear(&ERR);
	CHECK_INT(cs_dockerfile_audit(s, missing, &ERR), CS_ENOTFOUND);
	CHECK(strstr(ERR.msg, "cannot read Dockerfile '") && strstr(ERR.msg, "/nope'"));
	cs_err_clear(&ERR);
	CHECK_INT(cs_dockerfile_audit(s, dir, &ERR), CS_EIO); /* a directory */
	CHECK(strstr(ERR.msg, "is a directory") != NULL);
	cs_scan_free(s);
	free(missing);
	free(path);
	rm_tree(dir);
}

TEST(config_directory)
{
	char tmpl[] = "/tmp/customs-dfdir-XXXXXX", *dir = mkdtemp(tmpl), sub[256], buf[300];
	static const char *const want[] = {"Dockerfile", "Dockerfile.dev", "link.Dockerfile", "sub/app.Dockerfile",
					   "sub/deeper/Containerfile"};
	cs_scan_opts o;
	cs_scan *s = NULL;
	size_t i, j;
	char *p;

	CHECK(dir != NULL);
	free(write_file(dir, "Dockerfile", "FROM a:latest\n"));
	free(write_file(dir, "Dockerfile.dev", "FROM a:latest\n"));
	free(write_file(dir, "Dockerfile.dockerignore", "*.md\n"));
	free(write_file(dir, "README.md", "FROM a:latest\n"));
	free(write_file(dir, "notes.txt", "FROM a:latest\n"));
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	mkdir(sub, 0755);
	free(write_file(sub, "app.Dockerfile", "FROM a:latest\n"));
	snprintf(sub, sizeof(sub), "%s/sub/deeper", dir);
	mkdir(sub, 0755);
	free(write_file(sub, "Containerfile", "FROM a:latest\n"));
	snprintf(sub, sizeof(sub), "%s/.git", dir);
	mkdir(sub, 0755);
	free(write_file(sub, "Dockerfile", "FROM a:latest\n"));
	snprintf(sub, sizeof(sub), "%s/node_modules", dir);
	mkdir(sub, 0755);
	free(write_file(sub, "Dockerfile", "FROM a:latest\n"));
	snprintf(buf, sizeof(buf), "%s/link.Dockerfile", dir);
	CHECK_INT(symlink("Dockerfile", buf), 0); /* inside: linted */
	snprintf(buf, sizeof(buf), "%s/out.Dockerfile", dir);
	CHECK_INT(symlink("/etc/hostname", buf), 0); /* leaves DIR: not linted */
	snprintf(buf, sizeof(buf), "%s/loop", dir);
	CHECK_INT(symlink(".", buf), 0); /* a directory link: not followed */
	free(write_file(dir, "binary.Dockerfile", "FROM x\n"));
	snprintf(buf, sizeof(buf), "%s/binary.Dockerfile", dir);
	{
		FILE *f = fopen(buf, "ab");

		fputc(0, f);
		fclose(f);
	}

	cs_scan_opts_default(&o);
	cs_err_clear(&ERR);
	CHECK_INT(cs_dockerfile_config_scan(&s, dir, &o, &ERR), 0);
	CHECK_STR(cs_scan_artifact(s)->type, "config");
	CHECK_STR(cs_scan_artifact(s)->name, dir);
	CHECK(cs_scan_config_ran(s));
	CHECK_INT(cs_scan_error_count(s), 1); /* binary.Dockerfile */
	for (i = 0; i < CS_ARRAY_LEN(want); i++) {
		bool found = false;

		snprintf(buf, sizeof(buf), "%s/%s", dir, want[i]);
		for (j = 0; j < cs_scan_misconfig_count(s); j++)
			found = found || (!strcmp(cs_scan_misconfig(s, j)->id, "CS-DF-001") &&
					  !strcmp(cs_scan_misconfig(s, j)->dockerfile, buf));
		if (!found) {
			fprintf(stderr, "  %s not linted\n", buf);
			test_failures++;
		}
	}
	for (j = 0, i = 0; j < cs_scan_misconfig_count(s); j++)
		i += !strcmp(cs_scan_misconfig(s, j)->id, "CS-DF-001");
	CHECK_INT(i, CS_ARRAY_LEN(want));
	cs_scan_free(s);

	/* one FILE, whatever its name; a missing one fails */
	snprintf(buf, sizeof(buf), "%s/README.md", dir);
	CHECK_INT(cs_dockerfile_config_scan(&s, buf, &o, &ERR), 0);
	CHECK_INT(cs_scan_misconfig_count(s) > 0, 1);
	cs_scan_free(s);
	p = buf + strlen(buf);
	memcpy(p, ".gone", 6);
	cs_err_clear(&ERR);
	CHECK_INT(cs_dockerfile_config_scan(&s, buf, &o, &ERR), CS_ENOTFOUND);
	CHECK(strstr(ERR.msg, "README.md.gone") != NULL);
	cs_scan_free(s);
	rm_tree(dir);
}

TEST(dockerfile_names)
{
	static const char *const yes[] = {"Dockerfile", "dockerfile", "Containerfile", "Dockerfile.dev", "api.Dockerfile",
					  "api.dockerfile", "Containerfile.arm64", NULL};
	static const char *const no[] = {"Dockerfile.dockerignore", "Dockerfile.md", "Dockerfile~", "README", "Dockerfiles",
					 "MyDockerfile", "Dockerfile.swp", ".Dockerfile", "Dockerfile.", NULL};
	const char *const *p;

	for (p = yes; *p; p++)
		if (!cs_dockerfile_name(*p)) {
			fprintf(stderr, "  '%s' should be a Dockerfile\n", *p);
			test_failures++;
		}
	for (p = no; *p; p++)
		if (cs_dockerfile_name(*p)) {
			fprintf(stderr, "  '%s' should not be a Dockerfile\n", *p);
			test_failures++;
		}
}

TEST_MAIN(TEST_ENTRY(parse_continuations), TEST_ENTRY(parse_escape_directive), TEST_ENTRY(parse_heredocs),
	  TEST_ENTRY(parse_json_and_flags), TEST_ENTRY(parse_crlf_bom_tabs), TEST_ENTRY(parse_env_arg_label),
	  TEST_ENTRY(parse_stages_and_problems), TEST_ENTRY(parse_limits), TEST_ENTRY(shell_reader),
	  TEST_ENTRY(every_check_fires_and_not), TEST_ENTRY(check_table), TEST_ENTRY(from_tags),
	  TEST_ENTRY(user_root), TEST_ENTRY(run_package_managers), TEST_ENTRY(run_shell_checks),
	  TEST_ENTRY(secrets), TEST_ENTRY(copy_add_rules), TEST_ENTRY(other_checks), TEST_ENTRY(trivy_examples),
	  TEST_ENTRY(hadolint_rules_and_docs), TEST_ENTRY(audit_into_scan), TEST_ENTRY(config_directory),
	  TEST_ENTRY(dockerfile_names))
