/*
 * fuzz_dockerstream.c - libFuzzer target for docker archives read in one
 * pass (image/dockerstream.c over the stream store of image/store.c, then
 * docker.c and config.c on what was kept).
 *
 * The input is the outer archive as a daemon would stream it, read in
 * short, uneven pieces. Every layer blob is read through to its end (the
 * layer pipeline has its own target, fuzz_layer); then manifest.json and
 * the config are read and the layers given their members, and each layer
 * is opened again the way the scan does for one that was kept in memory.
 * Any crash, sanitizer report or broken contract (a success whose layers
 * lack a member or a diff_id, a blob longer than its size, a failure
 * without a code) is a bug. Seeds: corpus/dockerstream/.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/sha256.h"

#include "unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mem_stream m = mem_make(data, size, 0);
	cs_image *img = NULL;
	cs_image_blob b;
	cs_stream *blob;
	cs_limits lim;
	cs_err err;
	uint8_t buf[4096];
	size_t i, got;
	int code;

	m.uneven = true;
	cs_limits_default(&lim);
	lim.max_json = 1u << 20;
	lim.max_entries = 10000;
	cs_err_clear(&err);
	if ((code = cs_image_open_stream(&img, "fuzz", &m.base, NULL, &lim, &err)) < 0) {
		if (err.code != code)
			abort();
		return 0;
	}
	while ((code = cs_image_next_blob(img, &b, &blob, &err)) > 0) {
		uint64_t total = 0;

		if (!b.member || (b.digest[0] && !cs_digest_valid(b.digest)))
			abort();
		while ((code = blob->read(blob, buf, sizeof(buf), &got, &err)) == 0 && got)
			total += got;
		cs_stream_close(blob);
		if (code < 0)
			break;
		if (total != b.size)
			abort(); /* a member is never cut short without an error */
	}
	if (code == 0) {
		code = cs_image_stream_done(img, &err);
		if (code == 0)
			for (i = 0; i < img->nlayers; i++) {
				cs_err lerr;

				if (!img->layers[i].member || !cs_digest_valid(img->layers[i].diff_id))
					abort();
				cs_err_clear(&lerr);
				if (cs_image_open_layer(img, i, &blob, &lerr) == 0) {
					while (blob->read(blob, buf, sizeof(buf), &got, &lerr) == 0 && got)
						;
					cs_stream_close(blob);
				}
				(void)cs_image_names_layer(img, img->layers[i].member);
			}
	}
	if (code < 0 && err.code != CS_OK && err.code != code)
		abort(); /* the message belongs to another failure */
	cs_image_free(img);
	return 0;
}
