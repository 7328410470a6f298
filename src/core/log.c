/*
 * log.c - one-line diagnostics on stderr (see log.h).
 */
#include "core/compat.h"
#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>

static int log_level = CS_LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static bool status_open; /* a cs_log_progress line is on the terminal */

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
	if (status_open) {
		fputs("\r\033[K", stderr);
		status_open = false;
	}
	fprintf(stderr, "customs: %s%s\n", names[level], line);
	pthread_mutex_unlock(&log_lock);
}

void cs_log_progress(const char *text)
{
	char line[512];
	size_t i;

	pthread_mutex_lock(&log_lock);
	if (text && *text) {
		snprintf(line, sizeof(line), "%s", text);
		for (i = 0; line[i]; i++)
			if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
				line[i] = '?';
		fprintf(stderr, "\rcustoms: %s\033[K", line);
		fflush(stderr);
		status_open = true;
	} else if (status_open) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		status_open = false;
	}
	pthread_mutex_unlock(&log_lock);
}
