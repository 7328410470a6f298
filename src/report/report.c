/*
 * report.c - the table of report writers (see report.h, formats.def).
 */
#include "core/compat.h"
#include "report/report.h"

static const cs_report_writer writers[] = {
#define CS_REPORT_FORMAT(id, name, desc) {name, desc, cs_report_##id},
#include "report/formats.def"
#undef CS_REPORT_FORMAT
};

const cs_report_writer *cs_report_find(const char *name)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(writers); i++)
		if (!strcmp(writers[i].name, name))
			return &writers[i];
	return NULL;
}

const cs_report_writer *cs_report_at(size_t i)
{
	return i < CS_ARRAY_LEN(writers) ? &writers[i] : NULL;
}

const char *cs_report_names(void)
{
	/* ", table, json, ...": the first separator is skipped. */
	static const char names[] =
#define CS_REPORT_FORMAT(id, name, desc) ", " name
#include "report/formats.def"
#undef CS_REPORT_FORMAT
		;

	return names + 2;
}
