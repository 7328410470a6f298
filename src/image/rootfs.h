/*
 * rootfs.h - walk a root filesystem on disk as if it were one layer.
 *
 * `customs rootfs DIR` feeds the same analyzers as an image layer: every
 * entry under dir, symbolic links reported and never followed, files read
 * only when an analyzer wants them. The walk stays on dir's filesystem (like
 * find -xdev), so /proc or a mounted volume is not read.
 */
#ifndef CS_ROOTFS_H
#define CS_ROOTFS_H

#include "core/compat.h"

#include <stdatomic.h>
#include "core/buf.h"
#include "core/error.h"
#include "core/limits.h"
#include "catalog/analyzer.h"
#include "image/stream.h"

typedef struct cs_rootfs_file cs_rootfs_file;

/* Called per entry; 0 goes on, negative stops the walk with that error. */
typedef int (*cs_rootfs_entry_fn)(cs_rootfs_file *f, const cs_entry *e, void *payload, cs_err *err);

/* Reads the current regular file into out (reset first); CS_ELIMIT past max. */
int cs_rootfs_read(cs_rootfs_file *f, cs_buf *out, uint64_t max, cs_err *err);
/* The same, also handing every block to tap; see cs_layer_read_tap(). */
int cs_rootfs_read_tap(cs_rootfs_file *f, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err);

/* Walks dir. *entries receives the number of entries seen. */
int cs_rootfs_walk(const char *dir, const cs_limits *lim, const atomic_int *cancel, cs_rootfs_entry_fn fn,
		   void *payload, uint64_t *entries, cs_err *err);

#endif
