/*
 * hsops.h - which Vectorscan scanning code the secret engine calls.
 *
 * Vectorscan's x86 "fat runtime" carries one copy of its scanning code per
 * instruction set (core2, corei7, avx2, avx512...) and dispatches to the
 * best one the CPU has. On AVX-512 machines, Debian's Vectorscan 5.4.9
 * silently misses matches: a two-position pattern such as `D[:=]` is not
 * reported when its bytes fall in a 20-byte span of each 64-byte block of
 * memory (the accelerator bugs fixed upstream after 5.4.9, see
 * VectorCamp/vectorscan #325, #358, #375, #402). The AVX2 copy is correct,
 * and the fat runtime exports it as avx2_hs_*: where those entry points
 * exist and the CPU has AVX2, the engine calls them directly and compiles
 * its databases without AVX-512 features. Elsewhere (arm64, builds without
 * the fat runtime) the public entry points are used.
 *
 * CUSTOMS_VECTORSCAN_DISPATCH=default forces the public entry points (to
 * reproduce the bug); =avx2 is the default choice where possible.
 */
#ifndef CS_SECRET_HSOPS_H
#define CS_SECRET_HSOPS_H

#include "core/compat.h"

#include <hs/hs.h>

typedef struct cs_hs_ops {
	const char *name; /* "avx2" or "default" */
	hs_error_t (*open_stream)(const hs_database_t *db, unsigned flags, hs_stream_t **stream);
	hs_error_t (*reset_stream)(hs_stream_t *id, unsigned flags, hs_scratch_t *scratch, match_event_handler cb,
				   void *ctx);
	hs_error_t (*scan_stream)(hs_stream_t *id, const char *data, unsigned length, unsigned flags,
				  hs_scratch_t *scratch, match_event_handler cb, void *ctx);
	hs_error_t (*close_stream)(hs_stream_t *id, hs_scratch_t *scratch, match_event_handler cb, void *ctx);
	hs_error_t (*scan)(const hs_database_t *db, const char *data, unsigned length, unsigned flags,
			   hs_scratch_t *scratch, match_event_handler cb, void *ctx);
	/* The platform databases must be compiled for (no AVX-512 with "avx2"). */
	hs_platform_info_t platform;
} cs_hs_ops;

/* The choice for this process (decided once, thread-safe). Never NULL. */
const cs_hs_ops *cs_hs_ops_get(void);

#endif
