/*
 * layer.c - the per-layer pipeline (see layer.h).
 *
 *   blob stream -> [decoder thread: sha256(blob), inflate, sha256(tar)]
 *               -> ring of RING_N buffers
 *               -> [caller: libarchive tar walk -> callback per entry]
 *
 * libarchive is given our inflated bytes through archive_read_open(), so it
 * only parses tar (GNU, PAX, sparse, base-256 sizes) and never decompresses.
 * The decoder always reads the blob to its end, even when the tar ends
 * early or is broken, so the digests can be checked: a digest mismatch is
 * the root cause to report, not the tar error it led to.
 */
#include "core/compat.h"
#include "image/layer.h"
#include "core/strutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <pthread.h>
#include <sys/stat.h>

#define RING_N 4               /* buffers between the threads */
#define RING_BUF (1u << 20)    /* bytes per buffer */
#define BLOB_CHUNK (1u << 20)  /* bytes per read of the blob */
#define PATH_MAX_TAR 4096      /* longest entry name or link target accepted (Linux PATH_MAX) */

typedef struct ring {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint8_t *buf[RING_N];  /* owned */
	size_t len[RING_N];
	int head, count;       /* filled buffers: [head, head + count) */
	bool eof;              /* decoder finished (ok or not) */
	bool cancel;           /* consumer gave up: decoder stops */
} ring;

struct cs_layer_reader {
	struct archive *a;
	ring r;
	int held;                       /* buffer index given to libarchive, -1 none */
	const cs_layer_expect *exp;
	const cs_limits *lim;
	const atomic_int *cancel;
	cs_stream *blob;
	cs_layer_result *res;
	cs_err dec_err;                 /* decoder's error, read after join */
	int dec_code;                   /* decoder's return code, read after join */
	const char *label;
	bool data_read;                 /* current entry's data consumed */
};

/* ---- ring --------------------------------------------------------------- */

static int ring_init(ring *r)
{
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < RING_N; i++)
		if (!(r->buf[i] = malloc(RING_BUF)))
			return CS_ENOMEM;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	return 0;
}

static void ring_release(ring *r)
{
	int i;

	for (i = 0; i < RING_N; i++)
		free(r->buf[i]);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
}

/* ---- decoder thread ------------------------------------------------------ */

/* Waits for a free buffer; -1 when the consumer cancelled. */
static int ring_acquire_free(ring *r)
{
	int slot;

	pthread_mutex_lock(&r->lock);
	/* The buffer the consumer holds is still counted until it is released. */
	while (!r->cancel && r->count >= RING_N)
		pthread_cond_wait(&r->cond, &r->lock);
	slot = r->cancel ? -1 : (r->head + r->count) % RING_N;
	pthread_mutex_unlock(&r->lock);
	return slot;
}

static void ring_push(ring *r, size_t len)
{
	pthread_mutex_lock(&r->lock);
	r->len[(r->head + r->count) % RING_N] = len;
	r->count++;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static void ring_finish(ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->eof = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static int check_limits(cs_layer_reader *rd, uint64_t in, uint64_t out, cs_err *err)
{
	const cs_limits *l = rd->lim;

	if (out > l->max_layer)
		return cs_err_set(err, CS_ELIMIT, "%s: uncompressed size passes the %llu-byte limit",
				  rd->label, (unsigned long long)l->max_layer);
	if (out > l->ratio_floor && in && out / in > l->max_ratio)
		return cs_err_set(err, CS_ELIMIT,
				  "%s: decompression bomb: %llu bytes from %llu (ratio limit %u:1)", rd->label,
				  (unsigned long long)out, (unsigned long long)in, l->max_ratio);
	return 0;
}

static int decode(cs_layer_reader *rd, cs_err *err)
{
	cs_layer_result *res = rd->res;
	ring *r = &rd->r;
	cs_sha256 hb = {NULL}, ht = {NULL};
	cs_decomp *dec = NULL;
	uint8_t *in = NULL;
	int code = 0;
	bool at_eof = false;
	/*
	 * An uncompressed blob is its own tar: one sha256 gives both the digest
	 * and the diff_id (half the hashing of a docker-archive layer).
	 */
	bool plain = false;
	size_t held = 0; /* bytes kept in `in` until the magic can be told */

	in = malloc(BLOB_CHUNK);
	if (!in)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if ((code = cs_sha256_init(&hb)) < 0 || (code = cs_sha256_init(&ht)) < 0) {
		cs_err_set(err, code, "cannot start sha256");
		goto done;
	}
	while (!at_eof) {
		const uint8_t *p = in;
		size_t got = 0, left;

		if (rd->cancel && *rd->cancel) {
			code = CS_ERR;
			goto done;
		}
		if ((code = rd->blob->read(rd->blob, in + held, BLOB_CHUNK - held, &got, err)) < 0) {
			cs_err_prefix(err, "%s: ", rd->label);
			goto done;
		}
		at_eof = got == 0;
		if (!plain)
			cs_sha256_update(&hb, in + held, got);
		res->blob_size += got;
		if (rd->lim->max_blob && res->blob_size > rd->lim->max_blob) {
			code = cs_err_set(err, CS_ELIMIT, "%s: blob passes the %llu-byte limit", rd->label,
					  (unsigned long long)rd->lim->max_blob);
			goto done;
		}
		if (rd->exp->size && res->blob_size > rd->exp->size) {
			code = cs_err_set(err, CS_EDIGEST, "%s: blob is larger than the %llu bytes the manifest declares",
					  rd->label, (unsigned long long)rd->exp->size);
			goto done;
		}
		if (!dec) {
			/* A short first read must not hide the magic: wait for 4 bytes or the end. */
			held += got;
			if (held < 4 && !at_eof)
				continue;
			res->comp = cs_comp_detect(in, held);
			plain = res->comp == CS_COMP_NONE;
			if ((code = cs_decomp_new(&dec, res->comp, err)) < 0)
				goto done;
			got = held;
			held = 0;
		}
		left = got;
		/* At the end, call once more with no input to flush the decoder. */
		do {
			size_t produced = 0;
			int slot = ring_acquire_free(r);
			size_t before = left;

			if (slot < 0) {
				code = CS_ERR;
				goto done;
			}
			if ((code = cs_decomp_step(dec, &p, &left, r->buf[slot], RING_BUF, &produced, err)) < 0) {
				cs_err_prefix(err, "%s: ", rd->label);
				goto done;
			}
			if (produced) {
				cs_sha256_update(&ht, r->buf[slot], produced);
				res->tar_size += produced;
				if ((code = check_limits(rd, res->blob_size, res->tar_size, err)) < 0)
					goto done;
				ring_push(r, produced);
			} else if (!left) {
				break;
			} else if (left == before) {
				code = cs_err_set(err, CS_EFORMAT, "%s: compressed stream makes no progress",
						  rd->label);
				goto done;
			}
		} while (left || at_eof);
	}
	if ((code = cs_decomp_end(dec, err)) < 0) {
		cs_err_prefix(err, "%s: ", rd->label);
		goto done;
	}
	cs_sha256_final(&ht, res->diff_id);
	if (plain)
		memcpy(res->digest, res->diff_id, sizeof(res->digest));
	else
		cs_sha256_final(&hb, res->digest);
	if (rd->exp->size && res->blob_size != rd->exp->size) {
		code = cs_err_set(err, CS_EDIGEST, "%s: blob is %llu bytes, the manifest declares %llu",
				  rd->label, (unsigned long long)res->blob_size,
				  (unsigned long long)rd->exp->size);
	} else if (rd->exp->digest && strcmp(rd->exp->digest, res->digest) != 0) {
		code = cs_err_set(err, CS_EDIGEST, "%s: digest mismatch: the manifest says %s, the content is %s",
				  rd->label, rd->exp->digest, res->digest);
	} else if (rd->exp->diff_id && strcmp(rd->exp->diff_id, res->diff_id) != 0) {
		code = cs_err_set(err, CS_EDIGEST,
				  "%s: diff_id mismatch: the config says %s, the uncompressed content is %s",
				  rd->label, rd->exp->diff_id, res->diff_id);
	}
done:
	cs_sha256_release(&hb);
	cs_sha256_release(&ht);
	cs_decomp_free(dec);
	free(in);
	return code;
}

static void *decoder_main(void *arg)
{
	cs_layer_reader *rd = arg;

	rd->dec_code = decode(rd, &rd->dec_err);
	ring_finish(&rd->r);
	return NULL;
}

/* ---- consumer side: libarchive callbacks ----------------------------------- */

static void ring_release_held(cs_layer_reader *rd)
{
	ring *r = &rd->r;

	if (rd->held < 0)
		return;
	pthread_mutex_lock(&r->lock);
	r->head = (r->head + 1) % RING_N;
	r->count--;
	rd->held = -1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static la_ssize_t ar_read(struct archive *a, void *payload, const void **out)
{
	cs_layer_reader *rd = payload;
	ring *r = &rd->r;
	la_ssize_t n;

	CS_UNUSED(a);
	/* The buffer handed out last time stays in the ring until now. */
	ring_release_held(rd);
	pthread_mutex_lock(&r->lock);
	while (r->count == 0 && !r->eof && !r->cancel)
		pthread_cond_wait(&r->cond, &r->lock);
	if (r->count == 0 || r->cancel) {
		pthread_mutex_unlock(&r->lock);
		return 0;
	}
	rd->held = r->head;
	*out = r->buf[r->head];
	n = (la_ssize_t)r->len[r->head];
	pthread_mutex_unlock(&r->lock);
	return n;
}

/* Discards the rest of the stream so the decoder reaches the end. */
static void drain(cs_layer_reader *rd)
{
	const void *p;

	while (ar_read(rd->a, rd, &p) > 0)
		;
	ring_release_held(rd);
}

static void cancel(cs_layer_reader *rd)
{
	ring *r = &rd->r;

	pthread_mutex_lock(&r->lock);
	r->cancel = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

int cs_layer_read_data(cs_layer_reader *rd, cs_buf *out, uint64_t max, cs_err *err)
{
	return cs_layer_read_tap(rd, out, max, NULL, NULL, err);
}

int cs_layer_read_tap(cs_layer_reader *rd, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err)
{
	bool keep = true;
	const void *p;
	size_t n;
	la_int64_t off;
	int r, code;

	cs_buf_reset(out);
	if (rd->data_read)
		return cs_err_set(err, CS_ERR, "entry content read twice");
	rd->data_read = true;
	for (;;) {
		r = archive_read_data_block(rd->a, &p, &n, &off);
		if (r == ARCHIVE_EOF)
			return keep ? 0 : CS_ELIMIT;
		if (r < ARCHIVE_WARN)
			return cs_err_set(err, CS_EFORMAT, "%s: %s", rd->label, archive_error_string(rd->a));
		if (tap && n && (code = tap(tap_arg, p, n, err)) < 0)
			return code;
		if (!keep)
			continue;
		if (off < 0 || (uint64_t)off > max || n > max - (uint64_t)off) {
			/* Too big for the caller: hand back nothing; the rest is skipped (or only tapped). */
			cs_buf_reset(out);
			if (!tap)
				return CS_ELIMIT;
			keep = false;
			continue;
		}
		if ((uint64_t)off > out->len) {
			/* A hole in a sparse file reads as zeros. */
			size_t gap = (size_t)off - out->len;

			if ((code = cs_buf_grow(out, gap)) < 0)
				return cs_err_set(err, code, "%s: cannot hold entry", rd->label);
			memset(out->data + out->len, 0, gap);
			out->len += gap;
			out->data[out->len] = '\0';
		}
		if ((code = cs_buf_append(out, p, n)) < 0)
			return cs_err_set(err, code, "%s: cannot hold entry", rd->label);
	}
}

/* Turns a libarchive entry into a cs_entry; kind says what to do with it. */
static int convert_entry(struct archive_entry *ae, char *path, size_t pathsz, char *link, size_t linksz,
			 cs_entry *e, int *kind)
{
	const char *raw = archive_entry_pathname(ae), *base;
	size_t n;

	memset(e, 0, sizeof(*e));
	*kind = CS_ENTRY_NORMAL;
	if (!raw)
		raw = "";
	n = strlen(raw);
	if (n + 1 > pathsz) {
		/* No Linux file can have this name: report it, shortened. */
		snprintf(path, pathsz, "%.200s...", raw);
		e->path = path;
		*kind = CS_ENTRY_BAD;
		return 0;
	}
	if (cs_path_clean(raw, path) < 0) {
		memcpy(path, raw, n + 1);
		e->path = path;
		*kind = CS_ENTRY_BAD;
		return 0;
	}
	/* aufs keeps its bookkeeping in top-level ".wh..wh.*" directories (hard link targets, orphans). */
	if (strncmp(path, ".wh..wh.", 8) == 0 && strcmp(path, ".wh..wh..opq") != 0)
		return CS_ENOTFOUND;
	e->path = path;
	e->mode = (uint32_t)archive_entry_mode(ae);
	e->size = archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0;
	if (archive_entry_hardlink(ae)) {
		const char *t = archive_entry_hardlink(ae);

		if (strlen(t) + 1 > linksz || cs_path_clean(t, link) < 0) {
			memcpy(path, raw, n + 1);
			*kind = CS_ENTRY_BAD;
			return 0;
		}
		e->link = link;
		e->hardlink = true;
	} else if (archive_entry_filetype(ae) == AE_IFLNK && archive_entry_symlink(ae)) {
		const char *t = archive_entry_symlink(ae);

		if (strlen(t) + 1 > linksz) {
			*kind = CS_ENTRY_BAD;
			return 0;
		}
		memcpy(link, t, strlen(t) + 1);
		e->link = link;
	}
	base = cs_path_base(path);
	if (strncmp(base, ".wh.", 4) == 0) {
		size_t dirlen = (size_t)(base - path);

		if (strcmp(base, ".wh..wh..opq") == 0) {
			*kind = CS_ENTRY_OPAQUE;
			path[dirlen ? dirlen - 1 : 0] = '\0';
		} else if (strncmp(base, ".wh..wh.", 8) == 0) {
			return CS_ENOTFOUND; /* aufs bookkeeping, not content */
		} else {
			*kind = CS_ENTRY_WHITEOUT;
			memmove(path + dirlen, base + 4, strlen(base + 4) + 1);
		}
	}
	return 0;
}

static int walk_entries(cs_layer_reader *rd, cs_layer_entry_fn fn, void *payload, cs_err *err)
{
	struct archive_entry *ae;
	char *path = NULL, *link = NULL;
	int r, code = 0;

	path = malloc(PATH_MAX_TAR);
	link = malloc(PATH_MAX_TAR);
	if (!path || !link) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	for (;;) {
		cs_entry e;
		int kind;

		if (rd->cancel && *rd->cancel) {
			code = CS_ERR;
			break;
		}
		r = archive_read_next_header(rd->a, &ae);
		if (r == ARCHIVE_EOF)
			break;
		/* ARCHIVE_RETRY is a damaged header libarchive would skip: a layer is not repaired. */
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			const char *msg = archive_error_string(rd->a);

			code = cs_err_set(err, CS_EFORMAT, "%s: broken tar: %s", rd->label,
					  msg ? msg : "unreadable header");
			break;
		}
		if (++rd->res->entries > rd->lim->max_entries) {
			code = cs_err_set(err, CS_ELIMIT, "%s: more than %llu entries", rd->label,
					  (unsigned long long)rd->lim->max_entries);
			break;
		}
		code = convert_entry(ae, path, PATH_MAX_TAR, link, PATH_MAX_TAR, &e, &kind);
		if (code == CS_ENOTFOUND) {
			code = 0;
			continue;
		}
		if (code < 0) {
			code = cs_err_set(err, CS_ELIMIT, "%s: entry name longer than %d bytes", rd->label,
					  PATH_MAX_TAR);
			break;
		}
		rd->data_read = false;
		if ((code = fn(rd, &e, kind, payload, err)) < 0)
			break;
	}
done:
	free(path);
	free(link);
	return code;
}

int cs_layer_walk(cs_stream *blob, const cs_layer_expect *exp, const cs_limits *lim,
		  const atomic_int *cancel_flag, cs_layer_entry_fn fn, void *payload, cs_layer_result *res,
		  cs_err *err)
{
	cs_layer_reader rd;
	pthread_t th;
	bool started = false;
	cs_err walk_err;
	int code = 0, wcode = 0;

	memset(res, 0, sizeof(*res));
	memset(&rd, 0, sizeof(rd));
	cs_err_clear(&rd.dec_err);
	cs_err_clear(&walk_err);
	rd.held = -1;
	rd.exp = exp;
	rd.lim = lim;
	rd.cancel = cancel_flag;
	rd.blob = blob;
	rd.res = res;
	rd.label = exp->label ? exp->label : "layer";
	if ((code = ring_init(&rd.r)) < 0) {
		cs_err_set(err, code, "out of memory");
		goto done;
	}
	rd.a = archive_read_new();
	if (!rd.a) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	archive_read_support_format_tar(rd.a);
	archive_read_support_format_gnutar(rd.a);
	if (pthread_create(&th, NULL, decoder_main, &rd) != 0) {
		code = cs_err_set(err, CS_ERR, "cannot start a thread");
		goto done;
	}
	started = true;
	if (archive_read_open(rd.a, &rd, NULL, ar_read, NULL) != ARCHIVE_OK) {
		const char *msg = archive_error_string(rd.a);

		wcode = cs_err_set(&walk_err, CS_EFORMAT, "%s: not a tar archive%s%s", rd.label,
				   msg ? ": " : "", msg ? msg : "");
	} else {
		wcode = walk_entries(&rd, fn, payload, &walk_err);
	}
	/*
	 * A callback failure or a cancelled scan stops the decoder; otherwise it
	 * reads to the end of the blob so the digests can be checked.
	 */
	if (wcode < 0 && walk_err.code != CS_EFORMAT)
		cancel(&rd);
	else
		drain(&rd);
	pthread_join(th, NULL);
	started = false;
	/* Root cause first: corrupt or mismatched data explains a broken tar. */
	if (rd.dec_err.code != CS_OK && !(wcode < 0 && walk_err.code != CS_EFORMAT)) {
		cs_err_merge(err, &rd.dec_err);
		code = rd.dec_err.code;
	} else if (rd.dec_code < 0 && !(wcode < 0 && walk_err.code != CS_EFORMAT)) {
		/* Cancelled, or the stream failed without a message: the blob was not verified. */
		code = rd.dec_code;
	} else if (wcode < 0) {
		cs_err_merge(err, &walk_err);
		code = wcode;
	}
done:
	if (started) {
		cancel(&rd);
		pthread_join(th, NULL);
	}
	if (rd.a)
		archive_read_free(rd.a);
	ring_release(&rd.r);
	return code;
}
