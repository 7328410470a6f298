/*
 * report.c - the table of report writers (see report.h).
 */
#include "core/compat.h"
#include "report/report.h"

static const cs_report_writer writers[] = {
	{"table", cs_report_table},
	{"json", cs_report_json},
};

const cs_report_writer *cs_report_find(const char *name)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(writers); i++)
		if (!strcmp(writers[i].name, name))
			return &writers[i];
	return NULL;
}

const char *cs_report_names(void)
{
	return "table, json";
}
