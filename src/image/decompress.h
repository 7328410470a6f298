/*
 * decompress.h - layer blob decompression, chosen by magic bytes.
 *
 * gzip uses isa-l's igzip (about twice zlib's speed), zstd uses libzstd with
 * a capped window so a hostile frame cannot demand gigabytes; "none" passes
 * bytes through. The media type in a manifest is advisory: the first bytes
 * decide.
 */
#ifndef CS_DECOMPRESS_H
#define CS_DECOMPRESS_H

#include "core/compat.h"
#include "core/error.h"

typedef enum cs_comp { CS_COMP_NONE = 0, CS_COMP_GZIP, CS_COMP_ZSTD } cs_comp;

/* "none", "gzip", "zstd". */
const char *cs_comp_name(cs_comp c);

/* Detects gzip or zstd from the first bytes (4 suffice); anything else is NONE. */
cs_comp cs_comp_detect(const uint8_t *p, size_t n);

typedef struct cs_decomp cs_decomp;

int cs_decomp_new(cs_decomp **out, cs_comp kind, cs_err *err);
void cs_decomp_free(cs_decomp *d);

/*
 * Decompresses from *in (advancing *in and *in_len past what was consumed)
 * into out, at most cap bytes, the count in *produced. Call again while
 * input remains or output filled up. CS_EFORMAT on corrupt data.
 */
int cs_decomp_step(cs_decomp *d, const uint8_t **in, size_t *in_len, uint8_t *out, size_t cap,
		   size_t *produced, cs_err *err);

/* After the last input: CS_EFORMAT when the compressed stream is incomplete. */
int cs_decomp_end(cs_decomp *d, cs_err *err);

#endif
