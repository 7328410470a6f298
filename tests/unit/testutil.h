/*
 * testutil.h - fixtures that unit tests and fuzz targets build for
 * themselves: layer blobs in memory, tars, gzip and zstd streams,
 * pseudo-random bytes, temporary trees.
 *
 * Header-only (static inline) like test.h, and independent of it: the
 * fuzz targets include this file but not the harness, so nothing here
 * counts a failed check. Failures come back as NULL or a flag, for the
 * caller to CHECK or abort on.
 */
#ifndef CS_TESTUTIL_H
#define CS_TESTUTIL_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/error.h"
#include "image/stream.h"

#include <archive.h>
#include <archive_entry.h>
#include <ftw.h>
#include <isa-l/igzip_lib.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <zstd.h>

/* --- a blob in memory as a cs_stream ------------------------------------- */

typedef struct mem_stream {
	cs_stream base;
	const uint8_t *p; /* borrowed */
	size_t len, pos;
	size_t chunk;     /* most bytes one read returns */
	bool uneven;      /* also at most 1 + pos % 4093: read sizes that keep changing */
	size_t fail_at;   /* a read at or past this offset fails (SIZE_MAX: never) */
	bool fail_silent; /* ... without a message */
	atomic_int *flag; /* set to 1 by a read at or past flag_at */
	size_t flag_at;
} mem_stream;

static inline int mem_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	mem_stream *m = (mem_stream *)s;
	size_t n = m->len - m->pos;

	*got = 0;
	if (m->flag && m->pos >= m->flag_at)
		*m->flag = 1;
	if (m->pos >= m->fail_at)
		return m->fail_silent ? CS_EIO : cs_err_set(err, CS_EIO, "cannot read 'blob': injected failure");
	if (n > cap)
		n = cap;
	if (n > m->chunk)
		n = m->chunk;
	if (m->uneven && n > 1 + m->pos % 4093)
		n = 1 + m->pos % 4093;
	memcpy(buf, m->p + m->pos, n);
	m->pos += n;
	*got = n;
	return 0;
}

static inline void mem_close(cs_stream *s)
{
	CS_UNUSED(s); /* lives on the stack */
}

/* A stream over p[0..len) whose reads return at most chunk bytes (0: no limit). */
static inline mem_stream mem_make(const uint8_t *p, size_t len, size_t chunk)
{
	mem_stream m;

	memset(&m, 0, sizeof(m));
	m.base.read = mem_read;
	m.base.close = mem_close;
	m.p = p;
	m.len = len;
	m.chunk = chunk ? chunk : SIZE_MAX;
	m.fail_at = SIZE_MAX;
	return m;
}

/* --- writing tars with libarchive ----------------------------------------- */

typedef struct tarb {
	struct archive *a;
	cs_buf out;
	bool failed; /* some entry could not be written: tb_close returns NULL */
} tarb;

static inline la_ssize_t tb_write_cb(struct archive *a, void *payload, const void *p, size_t n)
{
	tarb *t = payload;

	CS_UNUSED(a);
	if (cs_buf_append(&t->out, p, n) < 0)
		return -1;
	return (la_ssize_t)n;
}

/* Starts a tar in memory; fmt: 'p' pax, 'g' GNU, 'u' ustar. */
static inline void tb_open(tarb *t, char fmt)
{
	memset(t, 0, sizeof(*t));
	cs_buf_init(&t->out, 0);
	t->a = archive_write_new();
	if (fmt == 'g')
		archive_write_set_format_gnutar(t->a);
	else if (fmt == 'u')
		archive_write_set_format_ustar(t->a);
	else
		archive_write_set_format_pax_restricted(t->a);
	archive_write_set_bytes_in_last_block(t->a, 1);
	if (archive_write_open2(t->a, t, NULL, tb_write_cb, NULL, NULL) != ARCHIVE_OK)
		t->failed = true;
}

/* Adds one entry of n bytes of data, a symbolic link or a hard link (size 0). */
static inline void tb_entry(tarb *t, const char *path, unsigned type, unsigned perm, const void *data, size_t n,
			    const char *symlink, const char *hardlink)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, type);
	archive_entry_set_perm(e, perm);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (symlink)
		archive_entry_set_symlink(e, symlink);
	if (hardlink) {
		archive_entry_set_hardlink(e, hardlink);
		archive_entry_set_size(e, 0);
	}
	if (archive_write_header(t->a, e) != ARCHIVE_OK) {
		fprintf(stderr, "  tar writer: %s: %s\n", path, archive_error_string(t->a));
		t->failed = true;
	}
	if (n && !hardlink && archive_write_data(t->a, data, n) != (la_ssize_t)n)
		t->failed = true;
	archive_entry_free(e);
}

static inline void tb_file(tarb *t, const char *path, const char *text)
{
	tb_entry(t, path, AE_IFREG, 0644, text, strlen(text), NULL, NULL);
}

static inline void tb_dir(tarb *t, const char *path)
{
	tb_entry(t, path, AE_IFDIR, 0755, NULL, 0, NULL, NULL);
}

static inline void tb_symlink(tarb *t, const char *path, const char *target)
{
	tb_entry(t, path, AE_IFLNK, 0777, NULL, 0, target, NULL);
}

static inline void tb_hardlink(tarb *t, const char *path, const char *target)
{
	tb_entry(t, path, AE_IFREG, 0644, NULL, 0, NULL, target);
}

/* Finishes the archive; returns the tar (malloc'd, n bytes) or NULL if any step failed. */
static inline uint8_t *tb_close(tarb *t, size_t *n)
{
	uint8_t *p;

	if (archive_write_close(t->a) != ARCHIVE_OK)
		t->failed = true;
	archive_write_free(t->a);
	p = t->failed ? NULL : (uint8_t *)cs_buf_detach(&t->out, n);
	cs_buf_release(&t->out);
	return p;
}

/* --- compressing with the reference encoders ------------------------------ */

/*
 * in[0..n) deflated by isa-l at level 0 or 1 in the wrapper flag names
 * (IGZIP_GZIP, IGZIP_ZLIB): a malloc'd stream, NULL on failure.
 */
static inline uint8_t *deflate_make(const uint8_t *in, size_t n, int level, int flag, size_t *out_len)
{
	struct isal_zstream zs;
	size_t cap = n + n / 2 + 1024; /* level 0 expands random data by ~14% */
	uint8_t *out = malloc(cap), *lvl = NULL;

	if (!out)
		return NULL;
	isal_deflate_init(&zs);
	zs.gzip_flag = (uint16_t)flag;
	zs.level = (uint32_t)level;
	if (level > 0) {
		lvl = malloc(ISAL_DEF_LVL1_DEFAULT);
		if (!lvl) {
			free(out);
			return NULL;
		}
		zs.level_buf = lvl;
		zs.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
	}
	zs.end_of_stream = 1;
	zs.flush = NO_FLUSH;
	zs.next_in = (uint8_t *)in;
	zs.avail_in = (uint32_t)n;
	zs.next_out = out;
	zs.avail_out = (uint32_t)cap;
	if (isal_deflate(&zs) != COMP_OK || zs.internal_state.state != ZSTATE_END) {
		free(out);
		free(lvl);
		return NULL;
	}
	*out_len = zs.total_out;
	free(lvl);
	return out;
}

/* gzip of in[0..n) with isa-l, level 0 or 1: a malloc'd stream, NULL on failure. */
static inline uint8_t *gzip_make(const uint8_t *in, size_t n, int level, size_t *out_len)
{
	return deflate_make(in, n, level, IGZIP_GZIP, out_len);
}

/* zlib (RFC 1950) of in[0..n) with isa-l at level 1: a malloc'd stream, NULL on failure. */
static inline uint8_t *zlib_make(const void *in, size_t n, size_t *out_len)
{
	return deflate_make(in, n, 1, IGZIP_ZLIB, out_len);
}

/* One zstd frame of in[0..n) at level: a malloc'd stream, NULL on failure. */
static inline uint8_t *zstd_make(const uint8_t *in, size_t n, int level, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(n), r;
	uint8_t *out = malloc(cap);

	if (!out)
		return NULL;
	r = ZSTD_compress(out, cap, in, n, level);
	if (ZSTD_isError(r)) {
		free(out);
		return NULL;
	}
	*out_len = r;
	return out;
}

/* --- other fixtures --------------------------------------------------------- */

/* Deterministic pseudo-random bytes (xorshift64); seed 0, which xorshift never leaves, is replaced. */
static inline void fill_random(uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t x = seed ? seed : 88172645463325252ull;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (uint8_t)x;
	}
}

static inline int rm_tree_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	CS_UNUSED(sb);
	CS_UNUSED(flag);
	CS_UNUSED(ftw);
	return remove(path);
}

/* Removes dir and everything below it, links not followed; 0, or -1 at the first entry that stays. */
static inline int rm_tree(const char *dir)
{
	return nftw(dir, rm_tree_one, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
