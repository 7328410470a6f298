/*
 * log.h - diagnostics on stderr.
 *
 * One line per message, prefixed "customs: warning: " or "customs: error: ".
 * Thread-safe. --quiet hides warnings and progress, never errors.
 */
#ifndef CS_LOG_H
#define CS_LOG_H

#include "core/compat.h"

enum { CS_LOG_ERROR = 0, CS_LOG_WARN = 1, CS_LOG_INFO = 2, CS_LOG_DEBUG = 3 };

/* Messages above level are dropped; the default is CS_LOG_WARN. */
void cs_log_set_level(int level);
int cs_log_level(void);
void cs_log(int level, const char *fmt, ...) CS_PRINTF(2, 3);

/*
 * Draws text as a status line on stderr ("\rcustoms: text", no newline),
 * replacing the previous one; NULL or "" erases it. The next message
 * erases it first, so a progress line never runs into an error. For
 * terminals only: the caller decides (isatty, --quiet).
 */
void cs_log_progress(const char *text);

#define cs_error(...) cs_log(CS_LOG_ERROR, __VA_ARGS__)
#define cs_warn(...) cs_log(CS_LOG_WARN, __VA_ARGS__)
#define cs_info(...) cs_log(CS_LOG_INFO, __VA_ARGS__)
#define cs_debug(...) cs_log(CS_LOG_DEBUG, __VA_ARGS__)

#endif
