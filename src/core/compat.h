/*
 * compat.h - the first header every customs source includes.
 *
 * Sets the POSIX feature level, pulls in the standard types every module
 * uses, and bans the C library functions we never call (see banned.h).
 */
#ifndef CS_COMPAT_H
#define CS_COMPAT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* pthread, memmem, strnlen, openat flags */
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CS_UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define CS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CS_PRINTF(f, a)
#endif

#include "core/banned.h"

#endif
