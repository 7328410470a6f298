/*
 * log.c - one-line diagnostics on stderr (see log.h).
 */
#include "core/compat.h"
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>

static int log_level = CS_LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void cs_log_set_level(int level)
{
	log_level = level;
}

int cs_log_level(void)
{
	return log_level;
}

void cs_log(int level, const char *fmt, ...)
{
	static const char *const names[] = {"error: ", "warning: ", "", "debug: "};
	char line[2048];
	va_list ap;
	size_t i;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One line per message: hostile names must not forge extra lines. */
	for (i = 0; line[i]; i++)
		if (line[i] == '\n' || line[i] == '\r' || line[i] == '\033')
			line[i] = '?';
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "customs: %s%s\n", names[level], line);
	pthread_mutex_unlock(&log_lock);
}
