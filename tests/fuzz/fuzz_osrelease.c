/*
 * fuzz_osrelease.c - libFuzzer target for the release-file parsers.
 *
 * Feeds the input to cs_osrel_parse once as each candidate file (every
 * format: KEY=value, one-line release files, CPE, debian_version), each time
 * with a fresh arena, then combines the answers as finish() would. Any
 * crash, sanitizer report or broken contract (success without a family, a
 * format error without a message) is a bug. Seeds: corpus/osrelease/.
 */
#include "core/compat.h"
#include "catalog/osrelease.h"

#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cs_arena arenas[CS_OSREL_NPATHS];
	cs_os parsed[CS_OSREL_NPATHS], os;
	const cs_os *found[CS_OSREL_NPATHS] = {NULL};
	size_t i;

	for (i = 0; i < CS_OSREL_NPATHS; i++) {
		cs_err err;
		int rc;

		cs_arena_init(&arenas[i]);
		cs_err_clear(&err);
		rc = cs_osrel_parse(&parsed[i], cs_osrel_path(i), data, size, &arenas[i], &err);
		if (rc == 0) {
			if (!parsed[i].family || !*parsed[i].family || !parsed[i].found_in)
				abort();
			found[i] = &parsed[i];
		} else if ((rc == CS_EFORMAT && err.msg[0] == '\0') ||
			   (rc != CS_EFORMAT && rc != CS_ENOTFOUND && rc != CS_ENOMEM)) {
			abort();
		}
	}
	if (cs_osrel_combine(&os, found) == 0 && (!os.family || !os.found_in))
		abort();
	for (i = 0; i < CS_OSREL_NPATHS; i++)
		cs_arena_release(&arenas[i]);
	return 0;
}
