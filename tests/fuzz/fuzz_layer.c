/*
 * fuzz_layer.c - libFuzzer target for the layer pipeline (image/layer.c,
 * image/decompress.c) and the merged view (image/fsview.c).
 *
 * The input is a layer blob: gzip, zstd or a plain tar, told apart by its
 * magic as for a real layer. It is walked with no declared digest, size or
 * diff_id; the callback reads every entry's content under a small cap and
 * applies the entry to a merged view, looking each path up again with
 * links followed. Limits are lowered so a bomb is cut short quickly. Any
 * crash, sanitizer report or broken contract (a success without digests,
 * a failure without a code) is a bug. Seeds: corpus/layer/.
 */
#include "core/compat.h"
#include "image/layer.h"
#include "core/buf.h"
#include "image/fsview.h"

#include <sys/stat.h>

#include "unit/testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct state {
	cs_fsview *view;
	cs_buf data;
	int layer; /* bumped after each whiteout run, as if layers were stacked */
} state;

static int on_entry(cs_layer_reader *r, const cs_entry *e, int kind, void *payload, cs_err *err)
{
	state *st = payload;
	cs_fsinfo info;
	cs_err lerr;
	char resolved[4096]; /* the longest path lookup can reach: never too small */
	int code;

	if (!e->path)
		abort();
	switch (kind) {
	case CS_ENTRY_WHITEOUT:
		cs_fsview_whiteout(st->view, e->path, st->layer + 1);
		return 0;
	case CS_ENTRY_OPAQUE:
		cs_fsview_opaque(st->view, e->path, st->layer + 1);
		return 0;
	case CS_ENTRY_BAD:
		return 0;
	case CS_ENTRY_NORMAL:
		break;
	default:
		abort();
	}
	if (S_ISREG(e->mode) && !e->hardlink) {
		code = cs_layer_read_data(r, &st->data, 65536, err);
		if (code < 0 && code != CS_ELIMIT)
			return code;
		if (code == 0 && st->data.len > 65536)
			abort();
	}
	code = cs_fsview_add(st->view, e->path, e->mode, e->size, e->link, e->hardlink, st->layer);
	if (code < 0 && code != CS_ENOTFOUND)
		return cs_err_set(err, code, "fsview");
	cs_err_clear(&lerr);
	code = cs_fsview_lookup(st->view, e->path, true, 40, &info, resolved, sizeof(resolved), &lerr);
	if (code == CS_ELIMIT && lerr.code == CS_OK)
		abort(); /* a loop is reported with a message */
	return 0;
}

static int count_cb(const char *path, const cs_fsinfo *info, void *payload)
{
	CS_UNUSED(path);
	if (info->deleted_by >= 0)
		abort(); /* listings hold present entries only */
	++*(size_t *)payload;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mem_stream m = mem_make(data, size, 0);
	cs_layer_expect exp;
	cs_layer_result res;
	cs_limits lim;
	cs_err err;
	state st;
	size_t n = 0;
	int code;

	m.uneven = true; /* short, uneven reads: the pipeline must not depend on read sizes */
	memset(&exp, 0, sizeof(exp));
	exp.label = "fuzz";
	cs_limits_default(&lim);
	lim.max_layer = 32u << 20;
	lim.ratio_floor = 1u << 20;
	lim.max_entries = 10000;
	memset(&st, 0, sizeof(st));
	cs_buf_init(&st.data, 0);
	if (cs_fsview_new(&st.view) < 0)
		return 0;
	cs_err_clear(&err);
	code = cs_layer_walk(&m.base, &exp, &lim, NULL, on_entry, &st, &res, &err);
	if (code > 0)
		abort();
	if (code == 0 && (!cs_digest_valid(res.digest) || !cs_digest_valid(res.diff_id) || res.blob_size != size))
		abort();
	if (code < 0 && err.code != CS_OK && err.code != code)
		abort(); /* the message belongs to another failure */
	cs_fsview_list(st.view, "", count_cb, &n);
	cs_fsview_free(st.view);
	cs_buf_release(&st.data);
	return 0;
}
