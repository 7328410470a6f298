/*
 * decompress.c - gzip (isa-l), zstd and pass-through (see decompress.h).
 */
#include "core/compat.h"
#include "image/decompress.h"

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#define ZSTD_WINDOW_LOG_MAX 27 /* 128 MiB: zstd's default limit, kept explicit */

struct cs_decomp {
	cs_comp kind;
	bool started;       /* any input seen */
	bool member_done;   /* gzip: between members; zstd: frame complete */
	bool zero_tail;     /* gzip: only zero padding after the last member */
	struct inflate_state *gz;
	ZSTD_DCtx *zs;
};

const char *cs_comp_name(cs_comp c)
{
	switch (c) {
	case CS_COMP_GZIP: return "gzip";
	case CS_COMP_ZSTD: return "zstd";
	default: return "none";
	}
}

cs_comp cs_comp_detect(const uint8_t *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return CS_COMP_GZIP;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return CS_COMP_ZSTD;
	return CS_COMP_NONE;
}

int cs_decomp_new(cs_decomp **out, cs_comp kind, cs_err *err)
{
	cs_decomp *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	d->kind = kind;
	if (kind == CS_COMP_GZIP) {
		d->gz = malloc(sizeof(*d->gz));
		if (!d->gz)
			goto nomem;
		isal_inflate_init(d->gz);
		d->gz->crc_flag = ISAL_GZIP;
	} else if (kind == CS_COMP_ZSTD) {
		d->zs = ZSTD_createDCtx();
		if (!d->zs)
			goto nomem;
		ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX);
	}
	*out = d;
	return 0;
nomem:
	cs_decomp_free(d);
	return cs_err_set(err, CS_ENOMEM, "out of memory");
}

void cs_decomp_free(cs_decomp *d)
{
	if (!d)
		return;
	free(d->gz);
	ZSTD_freeDCtx(d->zs);
	free(d);
}

static const char *gz_reason(int r)
{
	switch (r) {
	case ISAL_INVALID_WRAPPER: return "invalid gzip header";
	case ISAL_INCORRECT_CHECKSUM: return "gzip checksum mismatch";
	case ISAL_UNSUPPORTED_METHOD: return "unsupported gzip method";
	case ISAL_NEED_DICT: return "gzip stream needs a dictionary";
	default: return "corrupt deflate data";
	}
}

static int gz_step(cs_decomp *d, const uint8_t **in, size_t *in_len, uint8_t *out, size_t cap,
		   size_t *produced, cs_err *err)
{
	struct inflate_state *s = d->gz;
	int r;

	*produced = 0;
	while (*produced < cap) {
		if (d->member_done && !*in_len)
			break;
		if (d->member_done) {
			/* Another member follows, or zero padding ends the blob. */
			if (**in == 0) {
				d->zero_tail = true;
				(*in)++;
				(*in_len)--;
				continue;
			}
			if (d->zero_tail || **in != 0x1f)
				return cs_err_set(err, CS_EFORMAT, "trailing garbage after gzip stream");
			isal_inflate_reset(s);
			s->crc_flag = ISAL_GZIP;
			d->member_done = false;
		}
		s->next_in = (uint8_t *)*in;
		s->avail_in = (uint32_t)(*in_len > UINT32_MAX ? UINT32_MAX : *in_len);
		s->next_out = out + *produced;
		s->avail_out = (uint32_t)(cap - *produced > UINT32_MAX ? UINT32_MAX : cap - *produced);
		{
			uint32_t before_in = s->avail_in, before_out = s->avail_out;

			r = isal_inflate(s);
			*in += before_in - s->avail_in;
			*in_len -= before_in - s->avail_in;
			*produced += before_out - s->avail_out;
			if (r < 0)
				return cs_err_set(err, CS_EFORMAT, "%s", gz_reason(r));
			if (s->block_state == ISAL_BLOCK_FINISH)
				d->member_done = true;
			else if (before_in == s->avail_in && before_out == s->avail_out)
				break; /* needs more input than this call holds */
		}
	}
	return 0;
}

static int zs_step(cs_decomp *d, const uint8_t **in, size_t *in_len, uint8_t *out, size_t cap,
		   size_t *produced, cs_err *err)
{
	ZSTD_inBuffer ib = {*in, *in_len, 0};
	ZSTD_outBuffer ob = {out, cap, 0};
	size_t r;

	while (ib.pos < ib.size && ob.pos < ob.size) {
		r = ZSTD_decompressStream(d->zs, &ob, &ib);
		if (ZSTD_isError(r))
			return cs_err_set(err, CS_EFORMAT, "corrupt zstd stream: %s", ZSTD_getErrorName(r));
		d->member_done = r == 0;
	}
	/* Output may still be buffered inside the context with no input left. */
	while (ob.pos < ob.size && ib.pos == ib.size && !d->member_done) {
		size_t before = ob.pos;

		r = ZSTD_decompressStream(d->zs, &ob, &ib);
		if (ZSTD_isError(r))
			return cs_err_set(err, CS_EFORMAT, "corrupt zstd stream: %s", ZSTD_getErrorName(r));
		d->member_done = r == 0;
		if (ob.pos == before)
			break;
	}
	*in += ib.pos;
	*in_len -= ib.pos;
	*produced = ob.pos;
	return 0;
}

int cs_decomp_step(cs_decomp *d, const uint8_t **in, size_t *in_len, uint8_t *out, size_t cap,
		   size_t *produced, cs_err *err)
{
	if (*in_len)
		d->started = true;
	switch (d->kind) {
	case CS_COMP_GZIP:
		return gz_step(d, in, in_len, out, cap, produced, err);
	case CS_COMP_ZSTD:
		return zs_step(d, in, in_len, out, cap, produced, err);
	default: {
		size_t n = *in_len < cap ? *in_len : cap;

		memcpy(out, *in, n);
		*in += n;
		*in_len -= n;
		*produced = n;
		return 0;
	}
	}
}

int cs_decomp_end(cs_decomp *d, cs_err *err)
{
	if (d->kind == CS_COMP_NONE)
		return 0;
	if (!d->started || !d->member_done)
		return cs_err_set(err, CS_EFORMAT, "truncated %s stream", cs_comp_name(d->kind));
	return 0;
}
