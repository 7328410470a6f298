/*
 * fuzz_dockerfile.c - libFuzzer target for the Dockerfile lint: the parser
 * (audit/dfparse.c), the shell reader (audit/dfshell.c) and every check.
 *
 * Lints the input as a Dockerfile, then reads it as a shell script. Any
 * crash, sanitizer report or broken contract (a finding without a check or
 * message, a message with control bytes, a line past the end of the input,
 * a failure without a message or with an unexpected code) is a bug.
 * Seeds: corpus/dockerfile/ (real Dockerfiles, Trivy's examples, odd syntax).
 */
#include "core/compat.h"
#include "audit/dockerfile.h"

#include "audit/dfparse.h"
#include "audit/dfshell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct ctx {
	uint64_t lines; /* physical lines in the input */
} ctx;

static int check_finding(const cs_df_finding *f, void *payload)
{
	const ctx *c = payload;
	const unsigned char *p;

	if (!f->check || !f->check->id || !f->message || f->line > c->lines + 1)
		abort();
	for (p = (const unsigned char *)f->message; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena a;
	cs_err err;
	cs_sh_script s;
	ctx c = {1};
	size_t i;
	int rc;

	for (i = 0; i < size; i++)
		c.lines += data[i] == '\n';
	cs_arena_init(&a);
	cs_err_clear(&err);
	rc = cs_dockerfile_lint("fuzz", (const char *)data, size, &a, check_finding, &c, &err);
	if (rc < 0 && (!err.msg[0] || (rc != CS_EFORMAT && rc != CS_ELIMIT && rc != CS_ENOMEM)))
		abort();
	memset(&s, 0, sizeof(s));
	if (cs_sh_parse(&s, (const char *)data, size, &a) == 0) {
		for (i = 0; i < s.ncmds; i++)
			if ((s.cmds[i].argc && !s.cmds[i].argv[0]) || s.cmds[i].pipeline == 0 ||
			    s.cmds[i].pipeline > s.npipelines)
				abort();
	}
	cs_arena_release(&a);
	return 0;
}
