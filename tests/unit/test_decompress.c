/*
 * test_decompress.c - the blob decompressors (image/decompress.c).
 *
 * Data is compressed with the reference encoders (isa-l's deflate in gzip
 * mode, libzstd: testutil.h) and fed back through cs_decomp_step exactly as the
 * layer pipeline feeds it (layer.c's decode loop): input in chunks, output
 * into a buffer of fixed size, then calls with no input to flush, then
 * cs_decomp_end. Each case runs with large buffers and with one byte at a
 * time on either side, where streaming decoders usually break.
 */
#include "core/compat.h"
#include "image/decompress.h"
#include "core/buf.h"
#include "core/strutil.h"

#include <zstd.h>

#include "unit/test.h"
#include "unit/testutil.h"

/* --- fixtures ---------------------------------------------------------- */

/* Text-like bytes that compress well but not trivially. */
static void fill_text(uint8_t *p, size_t n)
{
	static const char *const words[] = {"Package: ", "libc6\n", "Version: ", "2.36-9+deb12u4\n",
					    "Status: install ok installed\n", "Architecture: amd64\n", "\n"};
	size_t o = 0, i = 0;

	while (o < n) {
		const char *w = words[(i * 5 + i / 7) % CS_ARRAY_LEN(words)];
		size_t m = strlen(w);

		if (m > n - o)
			m = n - o;
		memcpy(p + o, w, m);
		o += m;
		i++;
	}
}

/* a + b in one malloc'd buffer (both freed). */
static uint8_t *concat(uint8_t *a, size_t na, uint8_t *b, size_t nb, size_t *n)
{
	uint8_t *p = a && b ? malloc(na + nb + 1) : NULL;

	if (p) {
		memcpy(p, a, na);
		memcpy(p + na, b, nb);
		*n = na + nb;
	}
	free(a);
	free(b);
	return p;
}

/*
 * Decompresses in through a new decoder of kind, handing it at most in_chunk
 * bytes per call and out_cap bytes of room, the way layer.c's decoder
 * thread does. Returns the first failing code (step or end) with the
 * message in err; out receives everything produced.
 */
static int run(cs_comp kind, const uint8_t *in, size_t n, size_t in_chunk, size_t out_cap, cs_buf *out,
	       cs_err *err)
{
	cs_decomp *d = NULL;
	uint8_t *obuf = malloc(out_cap);
	size_t pos = 0;
	bool at_eof = false;
	int code;

	cs_buf_reset(out);
	cs_err_clear(err);
	if (!obuf)
		return CS_ENOMEM;
	if ((code = cs_decomp_new(&d, kind, err)) < 0)
		goto done;
	while (!at_eof) {
		size_t got = n - pos < in_chunk ? n - pos : in_chunk, left = got;
		const uint8_t *p = in + pos;

		pos += got;
		at_eof = got == 0;
		do {
			size_t produced = 0, before = left;

			if ((code = cs_decomp_step(d, &p, &left, obuf, out_cap, &produced, err)) < 0)
				goto done;
			if (produced > out_cap) {
				code = cs_err_set(err, CS_ERR, "produced %zu into %zu", produced, out_cap);
				goto done;
			}
			if (produced) {
				if ((code = cs_buf_append(out, obuf, produced)) < 0)
					goto done;
			} else if (!left) {
				break;
			} else if (left == before) {
				code = cs_err_set(err, CS_ERR, "no progress");
				goto done;
			}
		} while (left || at_eof);
	}
	code = cs_decomp_end(d, err);
done:
	cs_decomp_free(d);
	free(obuf);
	return code;
}

/* Chunk shapes every round trip goes through: {input chunk, output room}. */
static const size_t shapes[][2] = {
	{1u << 20, 1u << 20}, {1, 1u << 20}, {1u << 20, 1}, {1, 1}, {7, 13}, {4096, 65536}, {65536, 100},
};

/* Checks that blob decompresses to want under every shape. */
static void check_round_trip(cs_comp kind, const uint8_t *blob, size_t n, const uint8_t *want, size_t wn,
			     size_t max_slow, const char *label)
{
	cs_buf out;
	cs_err err;
	size_t i;

	cs_buf_init(&out, 0);
	for (i = 0; i < CS_ARRAY_LEN(shapes); i++) {
		int code;

		/* One byte at a time over megabytes is slow under ASan: cap it. */
		if ((shapes[i][0] < 64 || shapes[i][1] < 64) && wn > max_slow)
			continue;
		code = run(kind, blob, n, shapes[i][0], shapes[i][1], &out, &err);
		if (code != 0 || out.len != wn || (wn && memcmp(out.data, want, wn) != 0)) {
			fprintf(stderr, "  %s: shape {%zu,%zu}: code %d (%s), %zu bytes out, want %zu\n", label,
				shapes[i][0], shapes[i][1], code, err.msg, out.len, wn);
			test_failures++;
		}
	}
	cs_buf_release(&out);
}

/* Checks that blob fails under every shape, with a message containing what. */
static void check_fails(cs_comp kind, const uint8_t *blob, size_t n, const char *what, const char *label)
{
	cs_buf out;
	cs_err err;
	size_t i;

	cs_buf_init(&out, 0);
	for (i = 0; i < CS_ARRAY_LEN(shapes); i++) {
		int code = run(kind, blob, n, shapes[i][0], shapes[i][1], &out, &err);

		if (code != CS_EFORMAT || !strstr(err.msg, what)) {
			fprintf(stderr, "  %s: shape {%zu,%zu}: code %d \"%s\", want CS_EFORMAT \"%s\"\n", label,
				shapes[i][0], shapes[i][1], code, err.msg, what);
			test_failures++;
		}
	}
	cs_buf_release(&out);
}

/*
 * Checks that every cut of blob (n bytes) fails with a message containing
 * what: byte by byte through the first head and the last tail bytes, every
 * stride bytes in between.
 */
static void check_cuts(cs_comp kind, const uint8_t *blob, size_t n, size_t head, size_t tail, size_t stride,
		       const char *what, const char *label)
{
	size_t cut;

	for (cut = 0; cut < n; cut += cut < head ? 1 : (cut > n - tail ? 1 : stride)) {
		cs_buf out;
		cs_err err;
		int code;

		cs_buf_init(&out, 0);
		code = run(kind, blob, cut, 4096, 4096, &out, &err);
		if (code != CS_EFORMAT || !strstr(err.msg, what)) {
			fprintf(stderr, "  %s cut at %zu of %zu: code %d \"%s\"\n", label, cut, n, code, err.msg);
			test_failures++;
		}
		cs_buf_release(&out);
	}
}

/* --- detection --------------------------------------------------------- */

TEST(detect_by_magic)
{
	static const uint8_t gz[] = {0x1f, 0x8b, 0x08, 0x00};
	static const uint8_t zs[] = {0x28, 0xb5, 0x2f, 0xfd};
	static const uint8_t tar[] = "etc/\0\0\0\0";

	CHECK_INT(cs_comp_detect(gz, 4), CS_COMP_GZIP);
	CHECK_INT(cs_comp_detect(gz, 2), CS_COMP_GZIP);
	CHECK_INT(cs_comp_detect(gz, 1), CS_COMP_NONE);
	CHECK_INT(cs_comp_detect(zs, 4), CS_COMP_ZSTD);
	CHECK_INT(cs_comp_detect(zs, 3), CS_COMP_NONE);
	CHECK_INT(cs_comp_detect(tar, 8), CS_COMP_NONE);
	CHECK_INT(cs_comp_detect(NULL, 0), CS_COMP_NONE);
	CHECK_STR(cs_comp_name(CS_COMP_GZIP), "gzip");
	CHECK_STR(cs_comp_name(CS_COMP_ZSTD), "zstd");
	CHECK_STR(cs_comp_name(CS_COMP_NONE), "none");
	CHECK_STR(cs_comp_name((cs_comp)42), "none");
}

/* --- pass-through ---------------------------------------------------------- */

TEST(none_passes_through)
{
	uint8_t data[10000];

	fill_random(data, sizeof(data), 1);
	check_round_trip(CS_COMP_NONE, data, sizeof(data), data, sizeof(data), SIZE_MAX, "none");
	check_round_trip(CS_COMP_NONE, data, 0, data, 0, SIZE_MAX, "none empty");
}

/* --- gzip ------------------------------------------------------------------ */

TEST(gzip_round_trips)
{
	size_t sizes[] = {0, 1, 100, 65536, 3u << 20};
	size_t i;
	int level;

	for (i = 0; i < CS_ARRAY_LEN(sizes); i++)
		for (level = 0; level <= 1; level++) {
			size_t n = sizes[i], gn = 0;
			uint8_t *rnd = malloc(n + 1), *txt = malloc(n + 1), *gz;
			char label[64];

			CHECK(rnd && txt);
			if (!rnd || !txt) {
				free(rnd);
				free(txt);
				return;
			}
			fill_random(rnd, n, i + 1);
			fill_text(txt, n);
			gz = gzip_make(rnd, n, level, &gn);
			CHECK(gz != NULL);
			snprintf(label, sizeof(label), "gzip random %zu level %d", n, level);
			if (gz)
				check_round_trip(CS_COMP_GZIP, gz, gn, rnd, n, 70000, label);
			free(gz);
			gz = gzip_make(txt, n, level, &gn);
			CHECK(gz != NULL);
			snprintf(label, sizeof(label), "gzip text %zu level %d", n, level);
			if (gz) {
				if (n >= 65536)
					CHECK(gn < n / 4); /* it did compress */
				check_round_trip(CS_COMP_GZIP, gz, gn, txt, n, 70000, label);
			}
			free(gz);
			free(rnd);
			free(txt);
		}
}

TEST(gzip_multi_member)
{
	uint8_t a[5000], b[7000], both[12000];
	size_t na = 0, nb = 0, n = 0;
	uint8_t *blob, *ga, *gb;

	fill_text(a, sizeof(a));
	fill_random(b, sizeof(b), 9);
	memcpy(both, a, sizeof(a));
	memcpy(both + sizeof(a), b, sizeof(b));
	ga = gzip_make(a, sizeof(a), 1, &na);
	gb = gzip_make(b, sizeof(b), 0, &nb);
	blob = concat(ga, na, gb, nb, &n);
	CHECK(blob != NULL);
	if (blob)
		check_round_trip(CS_COMP_GZIP, blob, n, both, sizeof(both), SIZE_MAX, "two members");
	free(blob);

	/* An empty member between two others. */
	{
		size_t ne = 0, n2 = 0;
		uint8_t *three, *ge;

		ga = gzip_make(a, sizeof(a), 1, &na);
		ge = gzip_make(a, 0, 1, &ne);
		three = concat(ga, na, ge, ne, &n);
		gb = gzip_make(b, sizeof(b), 1, &nb);
		three = concat(three, n, gb, nb, &n2);
		CHECK(three != NULL);
		if (three)
			check_round_trip(CS_COMP_GZIP, three, n2, both, sizeof(both), SIZE_MAX, "empty member");
		free(three);
	}
}

TEST(gzip_zero_padding)
{
	uint8_t data[3000];
	size_t gn = 0;
	uint8_t *gz, *padded;

	fill_text(data, sizeof(data));
	gz = gzip_make(data, sizeof(data), 1, &gn);
	CHECK(gz != NULL);
	if (!gz)
		return;
	/* Some tools pad blobs to a block boundary with zeros: accepted. */
	padded = calloc(1, gn + 1024);
	CHECK(padded != NULL);
	if (padded) {
		memcpy(padded, gz, gn);
		check_round_trip(CS_COMP_GZIP, padded, gn + 1024, data, sizeof(data), SIZE_MAX, "zero padding");
		check_round_trip(CS_COMP_GZIP, padded, gn + 1, data, sizeof(data), SIZE_MAX, "one zero");
		/* A new member after padding is garbage, not content. */
		padded[gn + 100] = 0x1f;
		check_fails(CS_COMP_GZIP, padded, gn + 1024, "trailing garbage", "member after padding");
		free(padded);
	}
	free(gz);
}

TEST(gzip_trailing_garbage)
{
	uint8_t data[3000];
	size_t gn = 0;
	uint8_t *gz, *bad;

	fill_text(data, sizeof(data));
	gz = gzip_make(data, sizeof(data), 1, &gn);
	CHECK(gz != NULL);
	if (!gz)
		return;
	bad = malloc(gn + 16);
	CHECK(bad != NULL);
	if (bad) {
		memcpy(bad, gz, gn);
		memcpy(bad + gn, "GARBAGE!GARBAGE!", 16);
		check_fails(CS_COMP_GZIP, bad, gn + 16, "trailing garbage", "garbage");
		/* Garbage that starts like a gzip member: a bad header. */
		memcpy(bad + gn, "\x1f\x8b\xff\xff", 4);
		check_fails(CS_COMP_GZIP, bad, gn + 16, "gzip", "bad second header");
		free(bad);
	}
	free(gz);
}

TEST(gzip_truncated)
{
	uint8_t data[20000];
	size_t gn = 0;
	uint8_t *gz;

	fill_random(data, sizeof(data), 3);
	gz = gzip_make(data, sizeof(data), 1, &gn);
	CHECK(gz != NULL);
	if (!gz)
		return;
	/* Cut in the header, the deflate data and the 8-byte trailer. */
	check_cuts(CS_COMP_GZIP, gz, gn, 20, 12, 997, "truncated gzip stream", "gzip");
	free(gz);
}

TEST(gzip_corrupt)
{
	uint8_t data[20000];
	size_t gn = 0;
	uint8_t *gz;

	fill_text(data, sizeof(data));
	gz = gzip_make(data, sizeof(data), 1, &gn);
	CHECK(gz != NULL);
	if (!gz)
		return;
	/* A flipped CRC byte in the trailer. */
	gz[gn - 6] ^= 0x55;
	check_fails(CS_COMP_GZIP, gz, gn, "checksum", "crc");
	gz[gn - 6] ^= 0x55;
	/* A wrong ISIZE. */
	gz[gn - 2] ^= 0x01;
	check_fails(CS_COMP_GZIP, gz, gn, "gzip", "isize");
	gz[gn - 2] ^= 0x01;
	/* An unknown compression method in the header. */
	gz[2] = 7;
	check_fails(CS_COMP_GZIP, gz, gn, "gzip", "method");
	free(gz);

	/* Random bytes behind a gzip magic. */
	{
		uint8_t junk[5000];
		cs_buf out;
		cs_err err;
		int code;

		fill_random(junk, sizeof(junk), 77);
		junk[0] = 0x1f;
		junk[1] = 0x8b;
		junk[2] = 8;
		junk[3] = 0;
		cs_buf_init(&out, 0);
		code = run(CS_COMP_GZIP, junk, sizeof(junk), 1u << 20, 1u << 20, &out, &err);
		CHECK_INT(code, CS_EFORMAT);
		CHECK(err.msg[0] != '\0');
		cs_buf_release(&out);
	}
}

TEST(gzip_empty_input)
{
	cs_buf out;
	cs_err err;

	cs_buf_init(&out, 0);
	CHECK_INT(run(CS_COMP_GZIP, (const uint8_t *)"", 0, 100, 100, &out, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "truncated gzip stream") != NULL);
	CHECK_INT(run(CS_COMP_ZSTD, (const uint8_t *)"", 0, 100, 100, &out, &err), CS_EFORMAT);
	CHECK(strstr(err.msg, "truncated zstd stream") != NULL);
	cs_buf_release(&out);
}

/* --- zstd ------------------------------------------------------------------- */

TEST(zstd_round_trips)
{
	size_t sizes[] = {0, 1, 100, 65536, 3u << 20};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(sizes); i++) {
		size_t n = sizes[i], zn = 0;
		uint8_t *rnd = malloc(n + 1), *txt = malloc(n + 1), *z;
		char label[64];

		CHECK(rnd && txt);
		if (!rnd || !txt) {
			free(rnd);
			free(txt);
			return;
		}
		fill_random(rnd, n, i + 11);
		fill_text(txt, n);
		z = zstd_make(rnd, n, 3, &zn);
		CHECK(z != NULL);
		snprintf(label, sizeof(label), "zstd random %zu", n);
		if (z)
			check_round_trip(CS_COMP_ZSTD, z, zn, rnd, n, 70000, label);
		free(z);
		z = zstd_make(txt, n, 19, &zn);
		CHECK(z != NULL);
		snprintf(label, sizeof(label), "zstd text %zu", n);
		if (z)
			check_round_trip(CS_COMP_ZSTD, z, zn, txt, n, 70000, label);
		free(z);
		free(rnd);
		free(txt);
	}
}

TEST(zstd_multiple_frames)
{
	uint8_t a[5000], b[7000], both[12000];
	size_t na = 0, nb = 0, n = 0, n2 = 0;
	uint8_t *blob, *za, *zb;
	/* A skippable frame (magic 0x184D2A50, 4-byte length, payload) between them. */
	static const uint8_t skip[] = {0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'};
	uint8_t *sk = malloc(sizeof(skip));

	fill_text(a, sizeof(a));
	fill_random(b, sizeof(b), 5);
	memcpy(both, a, sizeof(a));
	memcpy(both + sizeof(a), b, sizeof(b));
	za = zstd_make(a, sizeof(a), 3, &na);
	zb = zstd_make(b, sizeof(b), 1, &nb);
	blob = concat(za, na, zb, nb, &n);
	CHECK(blob != NULL);
	if (blob)
		check_round_trip(CS_COMP_ZSTD, blob, n, both, sizeof(both), SIZE_MAX, "two frames");
	free(blob);

	if (sk)
		memcpy(sk, skip, sizeof(skip));
	za = zstd_make(a, sizeof(a), 3, &na);
	blob = concat(za, na, sk, sizeof(skip), &n);
	zb = zstd_make(b, sizeof(b), 1, &nb);
	blob = concat(blob, n, zb, nb, &n2);
	CHECK(blob != NULL);
	if (blob)
		check_round_trip(CS_COMP_ZSTD, blob, n2, both, sizeof(both), SIZE_MAX, "skippable frame");
	free(blob);
}

TEST(zstd_truncated)
{
	uint8_t data[50000];
	size_t zn = 0;
	uint8_t *z;

	fill_random(data, sizeof(data), 8);
	z = zstd_make(data, sizeof(data), 3, &zn);
	CHECK(z != NULL);
	if (!z)
		return;
	check_cuts(CS_COMP_ZSTD, z, zn, 16, 8, 1499, "truncated zstd stream", "zstd");
	free(z);

	/* A complete frame followed by the start of another. */
	{
		size_t n = 0, n2 = 0;
		uint8_t *two = zstd_make(data, 1000, 3, &n);

		z = zstd_make(data, 1000, 3, &n2);
		two = concat(two, n, z, 3, &n);
		CHECK(two != NULL);
		if (two)
			check_fails(CS_COMP_ZSTD, two, n, "truncated zstd stream", "partial second frame");
		free(two);
	}
}

TEST(zstd_corrupt)
{
	uint8_t data[20000];
	size_t zn = 0;
	uint8_t *z, *bad;

	fill_text(data, sizeof(data));
	z = zstd_make(data, sizeof(data), 3, &zn);
	CHECK(z != NULL);
	if (!z)
		return;
	/* Garbage after a complete frame is not another frame. */
	bad = malloc(zn + 8);
	CHECK(bad != NULL);
	if (bad) {
		memcpy(bad, z, zn);
		memcpy(bad + zn, "GARBAGE!", 8);
		check_fails(CS_COMP_ZSTD, bad, zn + 8, "corrupt zstd stream", "garbage");
		free(bad);
	}
	/* A reserved bit in the frame header descriptor. */
	z[4] |= 0x08;
	check_fails(CS_COMP_ZSTD, z, zn, "corrupt zstd stream", "reserved bit");
	free(z);

	/* Random bytes behind a zstd magic. */
	{
		uint8_t junk[5000];

		fill_random(junk, sizeof(junk), 99);
		memcpy(junk, "\x28\xb5\x2f\xfd\x00", 5);
		check_fails(CS_COMP_ZSTD, junk, sizeof(junk), "zstd", "junk");
	}
}

/* A frame that declares a window larger than the decoder allows (2^27). */
TEST(zstd_window_limit)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	uint8_t data[1000], out[2000];
	ZSTD_inBuffer ib = {data, sizeof(data), 0};
	ZSTD_outBuffer ob = {out, sizeof(out), 0};
	size_t r;

	CHECK(cc != NULL);
	if (!cc)
		return;
	fill_text(data, sizeof(data));
	ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, 29);
	/* Continue first, so the size is unknown and the window is not shrunk. */
	r = ZSTD_compressStream2(cc, &ob, &ib, ZSTD_e_continue);
	CHECK(!ZSTD_isError(r));
	do
		r = ZSTD_compressStream2(cc, &ob, &ib, ZSTD_e_end);
	while (!ZSTD_isError(r) && r != 0);
	CHECK(!ZSTD_isError(r));
	ZSTD_freeCCtx(cc);
	check_fails(CS_COMP_ZSTD, out, ob.pos, "corrupt zstd stream", "window 2^29");
}

TEST_MAIN(TEST_ENTRY(detect_by_magic), TEST_ENTRY(none_passes_through), TEST_ENTRY(gzip_round_trips),
	  TEST_ENTRY(gzip_multi_member), TEST_ENTRY(gzip_zero_padding), TEST_ENTRY(gzip_trailing_garbage),
	  TEST_ENTRY(gzip_truncated), TEST_ENTRY(gzip_corrupt), TEST_ENTRY(gzip_empty_input),
	  TEST_ENTRY(zstd_round_trips), TEST_ENTRY(zstd_multiple_frames), TEST_ENTRY(zstd_truncated),
	  TEST_ENTRY(zstd_corrupt), TEST_ENTRY(zstd_window_limit))
