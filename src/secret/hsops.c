/*
 * hsops.c - picks the Vectorscan scanning entry points (see hsops.h).
 */
#include "core/compat.h"
#include "secret/hsops.h"

#include <pthread.h>

#if defined(__x86_64__) && defined(__GNUC__)
/* Exported by the x86 fat runtime only; NULL elsewhere (weak). */
extern hs_error_t avx2_hs_open_stream(const hs_database_t *, unsigned, hs_stream_t **) __attribute__((weak));
extern hs_error_t avx2_hs_reset_stream(hs_stream_t *, unsigned, hs_scratch_t *, match_event_handler, void *)
	__attribute__((weak));
extern hs_error_t avx2_hs_scan_stream(hs_stream_t *, const char *, unsigned, unsigned, hs_scratch_t *,
				      match_event_handler, void *) __attribute__((weak));
extern hs_error_t avx2_hs_close_stream(hs_stream_t *, hs_scratch_t *, match_event_handler, void *)
	__attribute__((weak));
extern hs_error_t avx2_hs_scan(const hs_database_t *, const char *, unsigned, unsigned, hs_scratch_t *,
			       match_event_handler, void *) __attribute__((weak));
#endif

static cs_hs_ops ops;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void choose(void)
{
	const char *env = getenv("CUSTOMS_VECTORSCAN_DISPATCH");

	ops.name = "default";
	ops.open_stream = hs_open_stream;
	ops.reset_stream = hs_reset_stream;
	ops.scan_stream = hs_scan_stream;
	ops.close_stream = hs_close_stream;
	ops.scan = hs_scan;
	if (hs_populate_platform(&ops.platform) != HS_SUCCESS)
		memset(&ops.platform, 0, sizeof(ops.platform));
#if defined(__x86_64__) && defined(__GNUC__)
	if ((!env || strcmp(env, "default") != 0) && avx2_hs_open_stream && avx2_hs_reset_stream &&
	    avx2_hs_scan_stream && avx2_hs_close_stream && avx2_hs_scan && __builtin_cpu_supports("avx2")) {
		ops.name = "avx2";
		ops.open_stream = avx2_hs_open_stream;
		ops.reset_stream = avx2_hs_reset_stream;
		ops.scan_stream = avx2_hs_scan_stream;
		ops.close_stream = avx2_hs_close_stream;
		ops.scan = avx2_hs_scan;
		ops.platform.cpu_features &= ~(unsigned long long)(HS_CPU_FEATURES_AVX512 | HS_CPU_FEATURES_AVX512VBMI);
	}
#else
	CS_UNUSED(env);
#endif
}

const cs_hs_ops *cs_hs_ops_get(void)
{
	pthread_once(&once, choose);
	return &ops;
}
