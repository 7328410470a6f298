/*
 * fuzz_audit.c - libFuzzer target for the image audit's parsers of
 * untrusted text (src/audit/image.c, shell.c, files.c).
 *
 * Each input is tried four ways:
 *   1. as one history created_by: cs_audit_step, then cs_audit_redact_args
 *      (a result, when there is one, hides every value with "*****" and is
 *      never longer than the input plus five bytes per build argument);
 *   2. as shell text: cs_sh_split (every command has a word, pipelines
 *      never go back);
 *   3. as etc/passwd and etc/shadow (split at the first NUL, or the whole
 *      input as both): cs_audit_accounts;
 *   4. as an image config document: cs_audit_config with 0 to 3 layers.
 * After all of them the findings are bounded by the caps (summaries
 * included) and each has an id, a severity and a message. A crash, a
 * sanitizer report or a broken contract is a bug. Seeds: corpus/audit/.
 */
#include "core/compat.h"
#include "audit/audit_int.h"
#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena arena;
	cs_audit a;
	cs_sh_cmd *cmds = NULL;
	char *text = malloc(size + 1);
	const char *red, *nul;
	cJSON *doc;
	int n, i;
	size_t k;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	cs_arena_init(&arena);
	cs_audit_init(&a, &arena);

	/* 1 */
	cs_audit_step(&a, text, 7, (int)(size % 3) - 1);
	if ((red = cs_audit_redact_args(&a, text)) != NULL && !strstr(red, "*****"))
		abort();

	/* 2 */
	n = cs_sh_split(&arena, (const char *)data, size, &cmds);
	if (n < 0 && n != CS_ENOMEM)
		abort();
	for (i = 0; i < n; i++)
		if (cmds[i].argc == 0 || !cmds[i].argv[0] || (i && cmds[i].pipeline < cmds[i - 1].pipeline))
			abort();

	/* 3 */
	nul = memchr(data, '\0', size);
	if (nul)
		cs_audit_accounts(&a, (const char *)data, (size_t)(nul - (const char *)data), 1,
				  nul + 1, size - (size_t)(nul - (const char *)data) - 1, 2);
	else
		cs_audit_accounts(&a, (const char *)data, size, 1, (const char *)data, size, 2);

	/* 4 */
	if ((doc = cJSON_ParseWithLength((const char *)data, size)) != NULL) {
		cs_audit_config(&a, doc, size % 4);
		cJSON_Delete(doc);
	}

	cs_audit_summaries(&a);
	if (a.found.len > (size_t)AU_NCHECKS * (CS_AUDIT_CAP + 1))
		abort();
	for (k = 0; k < a.found.len; k++) {
		const cs_misconfig *m = a.found.items[k];

		if (!m->id || !m->severity || !m->message)
			abort();
	}
	cs_audit_release(&a);
	cs_arena_release(&arena);
	free(text);
	return 0;
}
