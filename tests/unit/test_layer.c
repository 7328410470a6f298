/*
 * test_layer.c - the per-layer pipeline (image/layer.c): blob -> decoder
 * thread (hash, inflate, hash) -> ring -> libarchive tar walk -> callback.
 *
 * Layer tars are written with libarchive's writer (PAX, GNU and ustar
 * formats), compressed with isa-l or libzstd, and walked from a memory
 * stream (all from testutil.h). Each walk is checked for what the callback
 * saw (kind, path, link, size), the content it read, the digests (against
 * sha256 of the blob and of the tar computed on the side) and the errors of
 * every kind of broken or hostile blob.
 */
#include "core/compat.h"
#include "image/layer.h"
#include "core/buf.h"
#include "core/sha256.h"
#include "core/strutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <isa-l/igzip_lib.h>
#include <sys/stat.h>

#include "unit/test.h"
#include "unit/testutil.h"

/* --- compressing --------------------------------------------------------- */

/* Compresses tar as c ('n' none, 'g' gzip, 'z' zstd) into a malloc'd blob. */
static uint8_t *compress(char c, const uint8_t *tar, size_t n, size_t *out_len)
{
	uint8_t *p;

	if (c == 'g')
		return gzip_make(tar, n, 1, out_len);
	if (c == 'z')
		return zstd_make(tar, n, 3, out_len);
	p = malloc(n ? n : 1);
	if (p) {
		memcpy(p, tar, n);
		*out_len = n;
	}
	return p;
}

/* --- walking ------------------------------------------------------------- */

/* What a walk saw, as one line per entry. */
typedef struct seen {
	cs_buf log;       /* "KIND path[ -> link] size" lines */
	cs_buf data;      /* content of the entry named want_path */
	const char *want_path;
	uint64_t max;     /* read limit for every regular file; 0: don't read */
	int read_code;    /* last cs_layer_read_data code of want_path */
	int read_fail;    /* reads that failed with CS_ELIMIT */
	int stop_at;      /* return an error at this 1-based entry (0: never) */
	int calls;
	atomic_int *cancel_at_first;
	bool read_twice;  /* read want_path twice */
	int second_read;
} seen;

static void seen_init(seen *s)
{
	memset(s, 0, sizeof(*s));
	cs_buf_init(&s->log, 0);
	cs_buf_init(&s->data, 0);
}

static void seen_release(seen *s)
{
	cs_buf_release(&s->log);
	cs_buf_release(&s->data);
}

static int on_entry(cs_layer_reader *r, const cs_entry *e, int kind, void *payload, cs_err *err)
{
	seen *s = payload;
	static const char kinds[] = "NWOB";
	char type = 'f';

	s->calls++;
	if (s->cancel_at_first)
		*s->cancel_at_first = 1;
	if (s->stop_at && s->calls == s->stop_at)
		return cs_err_set(err, CS_EUSAGE, "callback stops at '%s'", e->path);
	if (S_ISDIR(e->mode))
		type = 'd';
	else if (S_ISLNK(e->mode))
		type = 'l';
	else if (e->hardlink)
		type = 'h';
	else if (!S_ISREG(e->mode))
		type = '?';
	if (kind == CS_ENTRY_NORMAL)
		cs_buf_printf(&s->log, "N %c %s%s%s %llu\n", type, e->path, e->link ? " -> " : "",
			      e->link ? e->link : "", (unsigned long long)e->size);
	else
		cs_buf_printf(&s->log, "%c %s\n", kinds[kind], e->path);
	if (kind == CS_ENTRY_NORMAL && S_ISREG(e->mode) && !e->hardlink && s->max) {
		cs_buf tmp;
		bool want = s->want_path && strcmp(e->path, s->want_path) == 0;
		int code;

		cs_buf_init(&tmp, 0);
		code = cs_layer_read_data(r, want ? &s->data : &tmp, s->max, err);
		if (want) {
			s->read_code = code;
			if (s->read_twice) {
				cs_err dummy;

				cs_err_clear(&dummy);
				s->second_read = cs_layer_read_data(r, &tmp, s->max, &dummy);
			}
		}
		if (code == 0 && !want && tmp.len != e->size)
			code = cs_err_set(err, CS_ERR, "'%s': read %zu bytes of %llu", e->path, tmp.len,
					  (unsigned long long)e->size);
		cs_buf_release(&tmp);
		if (code == CS_ELIMIT) {
			s->read_fail++;
			return 0; /* as the scan does: skip the file, go on */
		}
		if (code < 0)
			return code;
	}
	return 0;
}

/* Walks the blob of m with default limits, expectations exp (NULL: none) and a cancel flag (NULL: none). */
static int walk_stream(mem_stream *m, const cs_layer_expect *exp, atomic_int *cancel, seen *s,
		       cs_layer_result *res, cs_err *err)
{
	cs_layer_expect none;
	cs_limits lim;

	memset(&none, 0, sizeof(none));
	cs_limits_default(&lim);
	cs_err_clear(err);
	return cs_layer_walk(&m->base, exp ? exp : &none, &lim, cancel, on_entry, s, res, err);
}

/* Walks blob (n bytes, reads of at most chunk bytes, 0: any) the same way, with no cancel flag. */
static int walk(const uint8_t *blob, size_t n, size_t chunk, const cs_layer_expect *exp, seen *s,
		cs_layer_result *res, cs_err *err)
{
	mem_stream m = mem_make(blob, n, chunk);

	return walk_stream(&m, exp, NULL, s, res, err);
}

/* --- fixtures ------------------------------------------------------------ */

/* The basic layer every format test uses. */
static uint8_t *basic_tar(char fmt, size_t *n)
{
	tarb t;

	tb_open(&t, fmt);
	tb_dir(&t, "etc/");
	tb_file(&t, "etc/os-release", "ID=debian\nVERSION_ID=12\n");
	tb_dir(&t, "usr");
	tb_dir(&t, "usr/lib");
	tb_file(&t, "usr/lib/libx.so.1", "ELF-ish");
	tb_symlink(&t, "lib", "usr/lib");
	tb_symlink(&t, "etc/abs", "/usr/lib/libx.so.1");
	tb_hardlink(&t, "usr/lib/libx.so.1.0", "usr/lib/libx.so.1");
	tb_file(&t, "./etc//motd", "hello\n");
	tb_file(&t, "empty", "");
	return tb_close(&t, n);
}

static const char basic_log[] = "N d etc 0\n"
				"N f etc/os-release 24\n"
				"N d usr 0\n"
				"N d usr/lib 0\n"
				"N f usr/lib/libx.so.1 7\n"
				"N l lib -> usr/lib 0\n"
				"N l etc/abs -> /usr/lib/libx.so.1 0\n"
				"N h usr/lib/libx.so.1.0 -> usr/lib/libx.so.1 0\n"
				"N f etc/motd 6\n"
				"N f empty 0\n";

/* --- tests --------------------------------------------------------------- */

TEST(walk_formats_and_compressions)
{
	static const char fmts[] = "pgu", comps[] = "ngz";
	size_t f, c;

	for (f = 0; f < 3; f++) {
		size_t tn = 0;
		uint8_t *tar = basic_tar(fmts[f], &tn);

		CHECK(tar != NULL);
		if (!tar)
			continue;
		for (c = 0; c < 3; c++) {
			size_t bn = 0;
			uint8_t *blob = compress(comps[c], tar, tn, &bn);
			char want_digest[CS_DIGEST_MAX], want_diff[CS_DIGEST_MAX];
			cs_layer_result res;
			cs_err err;
			seen s;
			int code;

			CHECK(blob != NULL);
			if (!blob)
				continue;
			cs_sha256_buf(blob, bn, want_digest);
			cs_sha256_buf(tar, tn, want_diff);
			seen_init(&s);
			s.max = 1 << 20;
			s.want_path = "etc/os-release";
			code = walk(blob, bn, 0, NULL, &s, &res, &err);
			if (code != 0)
				fprintf(stderr, "  format %c comp %c: %s\n", fmts[f], comps[c], err.msg);
			CHECK_INT(code, 0);
			CHECK_STR(s.log.data, basic_log);
			CHECK_STR(s.data.data, "ID=debian\nVERSION_ID=12\n");
			CHECK_STR(res.digest, want_digest);
			CHECK_STR(res.diff_id, want_diff);
			CHECK_INT(res.blob_size, bn);
			CHECK_INT(res.tar_size, tn);
			CHECK_INT(res.entries, 10);
			CHECK_INT(res.comp, c == 0 ? CS_COMP_NONE : c == 1 ? CS_COMP_GZIP : CS_COMP_ZSTD);
			seen_release(&s);

			/* The same with the declared values: passes. */
			{
				cs_layer_expect exp = {"layer 0", want_digest, bn, want_diff};

				seen_init(&s);
				CHECK_INT(walk(blob, bn, 0, &exp, &s, &res, &err), 0);
				seen_release(&s);
			}
			free(blob);
		}
		free(tar);
	}
}

/* Short reads of the blob: 1 byte, then odd sizes. */
TEST(walk_short_reads)
{
	static const size_t chunks[] = {1, 3, 511, 513, 4097};
	size_t tn = 0, i;
	uint8_t *tar = basic_tar('p', &tn);

	CHECK(tar != NULL);
	if (!tar)
		return;
	for (i = 0; i < CS_ARRAY_LEN(chunks); i++) {
		static const char comps[] = "ngz";
		size_t c;

		for (c = 0; c < 3; c++) {
			size_t bn = 0;
			uint8_t *blob = compress(comps[c], tar, tn, &bn);
			cs_layer_result res;
			cs_err err;
			seen s;

			if (!blob)
				continue;
			seen_init(&s);
			s.max = 100;
			CHECK_INT(walk(blob, bn, chunks[i], NULL, &s, &res, &err), 0);
			CHECK_STR(s.log.data, basic_log);
			CHECK_INT(res.tar_size, tn);
			seen_release(&s);
			free(blob);
		}
	}
	free(tar);
}

TEST(long_names)
{
	char longdir[160], longname[600], target[400];
	static const char fmts[] = "pg";
	size_t f;

	memset(longdir, 'd', 150);
	longdir[150] = '\0';
	snprintf(longname, sizeof(longname), "%s/%0200d", longdir, 7);
	memset(target, 't', 250);
	target[250] = '\0';
	for (f = 0; f < 2; f++) {
		tarb t;
		size_t tn = 0;
		uint8_t *tar;
		cs_layer_result res;
		cs_err err;
		seen s;
		char want[2048];

		tb_open(&t, fmts[f]);
		tb_file(&t, longname, "long");
		tb_symlink(&t, "short", target);
		tb_hardlink(&t, "hl", longname);
		tar = tb_close(&t, &tn);
		CHECK(tar != NULL);
		if (!tar)
			continue;
		seen_init(&s);
		s.max = 100;
		s.want_path = longname;
		CHECK_INT(walk(tar, tn, 0, NULL, &s, &res, &err), 0);
		snprintf(want, sizeof(want), "N f %s 4\nN l short -> %s 0\nN h hl -> %s 0\n", longname, target,
			 longname);
		CHECK_STR(s.log.data, want);
		CHECK_STR(s.data.data, "long");
		seen_release(&s);
		free(tar);
	}
}

/* A name longer than PATH_MAX: reported as bad, shortened, walk goes on. */
TEST(overlong_name)
{
	char *name = malloc(5000);
	tarb t;
	size_t tn = 0;
	uint8_t *tar;
	cs_layer_result res;
	cs_err err;
	seen s;

	CHECK(name != NULL);
	if (!name)
		return;
	memset(name, 'n', 4999);
	name[4999] = '\0';
	name[100] = '/';
	tb_open(&t, 'p');
	tb_file(&t, name, "x");
	tb_file(&t, "after", "y");
	tar = tb_close(&t, &tn);
	free(name);
	CHECK(tar != NULL);
	if (!tar)
		return;
	seen_init(&s);
	s.max = 100;
	CHECK_INT(walk(tar, tn, 0, NULL, &s, &res, &err), 0);
	CHECK(cs_str_starts(s.log.data, "B nnnn"));
	CHECK(strstr(s.log.data, "...\nN f after 1\n") != NULL);
	seen_release(&s);
	free(tar);
}

/* Closes t and walks its tar, reading files of up to 100 bytes: the walk must pass and see want. */
static void check_walk_log(tarb *t, const char *want)
{
	size_t tn = 0;
	uint8_t *tar = tb_close(t, &tn);
	cs_layer_result res;
	cs_err err;
	seen s;

	CHECK(tar != NULL);
	if (!tar)
		return;
	seen_init(&s);
	s.max = 100;
	CHECK_INT(walk(tar, tn, 0, NULL, &s, &res, &err), 0);
	CHECK_STR(s.log.data, want);
	seen_release(&s);
	free(tar);
}

TEST(whiteouts)
{
	tarb t;

	tb_open(&t, 'p');
	tb_file(&t, "etc/.wh.passwd", "");
	tb_file(&t, ".wh.toplevel", "");
	tb_dir(&t, "var/cache");
	tb_file(&t, "var/cache/.wh..wh..opq", "");
	tb_file(&t, ".wh..wh..opq", "");
	tb_file(&t, "var/cache/new", "n");
	/* aufs bookkeeping: the link directory and what is in it are not content */
	tb_dir(&t, ".wh..wh.plnk");
	tb_file(&t, ".wh..wh.plnk/1234.5678", "hidden");
	tb_file(&t, ".wh..wh.aufs", "");
	tb_dir(&t, ".wh..wh.orph");
	tb_file(&t, "usr/.wh..wh.aufs", "");
	/* not whiteouts */
	tb_file(&t, "usr/x.wh.y", "");
	tb_file(&t, "usr/.whx", "");
	check_walk_log(&t, "W etc/passwd\n"
			   "W toplevel\n"
			   "N d var/cache 0\n"
			   "O var/cache\n"
			   "O \n"
			   "N f var/cache/new 1\n"
			   "N f usr/x.wh.y 0\n"
			   "N f usr/.whx 0\n");
}

TEST(bad_names)
{
	tarb t;

	tb_open(&t, 'p');
	tb_file(&t, "../escape", "x");
	tb_file(&t, "/abs/path", "x");
	tb_file(&t, "a/../../b", "x");
	tb_hardlink(&t, "innocent", "../../etc/shadow");
	tb_hardlink(&t, "innocent2", "/etc/shadow");
	tb_symlink(&t, "sym", "../../../../etc/shadow"); /* symlink targets may point anywhere */
	tb_file(&t, "ok", "fine");
	check_walk_log(&t, "B ../escape\n"
			   "B /abs/path\n"
			   "B a/../../b\n"
			   "B innocent\n"
			   "B innocent2\n"
			   "N l sym -> ../../../../etc/shadow 0\n"
			   "N f ok 4\n");
}

TEST(sparse_file)
{
	tarb t;
	struct archive_entry *e;
	uint8_t *logical, *tar;
	size_t tn = 0, size = 3 * 65536;
	cs_layer_result res;
	cs_err err;
	seen s;

	logical = calloc(1, size);
	CHECK(logical != NULL);
	if (!logical)
		return;
	memset(logical + 65536, 'D', 1000);
	memset(logical + size - 10, 'E', 10);
	tb_open(&t, 'p');
	e = archive_entry_new();
	archive_entry_set_pathname(e, "sparse");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_sparse_add_entry(e, 65536, 1000);
	archive_entry_sparse_add_entry(e, (la_int64_t)size - 10, 10);
	CHECK_INT(archive_write_header(t.a, e), ARCHIVE_OK);
	CHECK_INT(archive_write_data(t.a, logical, size), size);
	archive_entry_free(e);
	tb_file(&t, "after", "a");
	tar = tb_close(&t, &tn);
	CHECK(tar != NULL);
	if (tar) {
		/* The holes are not stored. */
		CHECK(tn < size / 2);
		seen_init(&s);
		s.max = 1 << 20;
		s.want_path = "sparse";
		CHECK_INT(walk(tar, tn, 0, NULL, &s, &res, &err), 0);
		CHECK_INT(s.read_code, 0);
		CHECK_INT(s.data.len, size);
		CHECK(s.data.len == size && memcmp(s.data.data, logical, size) == 0);
		CHECK(strstr(s.log.data, "N f after 1\n") != NULL);
		seen_release(&s);
		free(tar);
	}
	free(logical);
}

/* A file larger than a ring buffer (1 MiB) spans several of them. */
TEST(big_file_spans_buffers)
{
	size_t big = (3u << 20) + 12345, tn = 0;
	uint8_t *content = malloc(big), *tar;
	static const char comps[] = "ngz";
	size_t c;
	tarb t;

	CHECK(content != NULL);
	if (!content)
		return;
	fill_random(content, big, 42);
	tb_open(&t, 'p');
	tb_file(&t, "before", "b");
	tb_entry(&t, "big", AE_IFREG, 0644, content, big, NULL, NULL);
	tb_file(&t, "after", "a");
	tar = tb_close(&t, &tn);
	CHECK(tar != NULL);
	for (c = 0; tar && c < 3; c++) {
		size_t bn = 0;
		uint8_t *blob = compress(comps[c], tar, tn, &bn);
		cs_layer_result res;
		cs_err err;
		seen s;

		CHECK(blob != NULL);
		if (!blob)
			continue;
		/* Read whole. */
		seen_init(&s);
		s.max = 4u << 20;
		s.want_path = "big";
		CHECK_INT(walk(blob, bn, 100000, NULL, &s, &res, &err), 0);
		CHECK_INT(s.read_code, 0);
		CHECK(s.data.len == big && memcmp(s.data.data, content, big) == 0);
		CHECK_STR(s.log.data, "N f before 1\nN f big 3158073\nN f after 1\n");
		seen_release(&s);

		/* Over the limit: CS_ELIMIT, and the walk goes on to the next entry. */
		seen_init(&s);
		s.max = 1u << 20;
		s.want_path = "big";
		CHECK_INT(walk(blob, bn, 0, NULL, &s, &res, &err), 0);
		CHECK_INT(s.read_code, CS_ELIMIT);
		CHECK_INT(s.read_fail, 1);
		CHECK_STR(s.log.data, "N f before 1\nN f big 3158073\nN f after 1\n");
		CHECK_INT(res.tar_size, tn);
		seen_release(&s);

		/* Just at the limit: fits. */
		seen_init(&s);
		s.max = big;
		s.want_path = "big";
		CHECK_INT(walk(blob, bn, 0, NULL, &s, &res, &err), 0);
		CHECK_INT(s.read_code, 0);
		CHECK_INT(s.data.len, big);
		seen_release(&s);
		seen_init(&s);
		s.max = big - 1;
		s.want_path = "big";
		CHECK_INT(walk(blob, bn, 0, NULL, &s, &res, &err), 0);
		CHECK_INT(s.read_code, CS_ELIMIT);
		seen_release(&s);
		free(blob);
	}
	free(tar);
	free(content);
}

TEST(read_twice_refused)
{
	size_t tn = 0;
	uint8_t *tar = basic_tar('p', &tn);
	cs_layer_result res;
	cs_err err;
	seen s;

	CHECK(tar != NULL);
	if (!tar)
		return;
	seen_init(&s);
	s.max = 100;
	s.want_path = "etc/motd";
	s.read_twice = true;
	CHECK_INT(walk(tar, tn, 0, NULL, &s, &res, &err), 0);
	CHECK_INT(s.read_code, 0);
	CHECK_INT(s.second_read, CS_ERR);
	CHECK_STR(s.data.data, "hello\n");
	seen_release(&s);
	free(tar);
}

/* The blob's digest, size and diff_id against what the image declares. */
TEST(expectations)
{
	size_t tn = 0, bn = 0;
	uint8_t *tar = basic_tar('p', &tn), *blob;
	char digest[CS_DIGEST_MAX], diff_id[CS_DIGEST_MAX];
	static const char wrong[] = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
	cs_layer_result res;
	cs_err err;
	seen s;

	CHECK(tar != NULL);
	if (!tar)
		return;
	blob = gzip_make(tar, tn, 1, &bn);
	CHECK(blob != NULL);
	if (!blob) {
		free(tar);
		return;
	}
	cs_sha256_buf(blob, bn, digest);
	cs_sha256_buf(tar, tn, diff_id);
	{
		cs_layer_expect exp = {"layer 3 'sha256:00..'", wrong, bn, diff_id};

		seen_init(&s);
		CHECK_INT(walk(blob, bn, 0, &exp, &s, &res, &err), CS_EDIGEST);
		CHECK(strstr(err.msg, "digest mismatch") != NULL);
		CHECK(cs_str_starts(err.msg, "layer 3 'sha256:00..': "));
		CHECK(strstr(err.msg, digest) != NULL);
		/* The walk itself went through: the check is on the whole blob. */
		CHECK_STR(s.log.data, basic_log);
		CHECK_STR(res.digest, digest);
		seen_release(&s);
	}
	{
		cs_layer_expect exp = {"l", digest, bn + 1, diff_id};

		seen_init(&s);
		CHECK_INT(walk(blob, bn, 0, &exp, &s, &res, &err), CS_EDIGEST);
		CHECK(strstr(err.msg, "the manifest declares") != NULL);
		seen_release(&s);
	}
	{
		cs_layer_expect exp = {"l", digest, bn - 1, diff_id};

		seen_init(&s);
		CHECK_INT(walk(blob, bn, 0, &exp, &s, &res, &err), CS_EDIGEST);
		CHECK(strstr(err.msg, "larger than") != NULL);
		seen_release(&s);
	}
	{
		cs_layer_expect exp = {"l", digest, bn, wrong};

		seen_init(&s);
		CHECK_INT(walk(blob, bn, 0, &exp, &s, &res, &err), CS_EDIGEST);
		CHECK(strstr(err.msg, "diff_id mismatch") != NULL);
		CHECK(strstr(err.msg, diff_id) != NULL);
		seen_release(&s);
	}
	/* A mismatch explains a broken tar: it is the error reported. */
	{
		cs_layer_expect exp = {"l", wrong, 0, NULL};
		uint8_t *junk = malloc(5000);

		CHECK(junk != NULL);
		if (junk) {
			fill_random(junk, 5000, 5);
			seen_init(&s);
			CHECK_INT(walk(junk, 5000, 0, &exp, &s, &res, &err), CS_EDIGEST);
			CHECK(strstr(err.msg, "digest mismatch") != NULL);
			seen_release(&s);
			free(junk);
		}
	}
	free(blob);
	free(tar);
}

/* Checks that walking blob fails with code and a message containing what. */
static void check_walk_fails(const uint8_t *blob, size_t n, int code, const char *what, const char *label)
{
	cs_layer_result res;
	cs_err err;
	seen s;
	int got;

	seen_init(&s);
	s.max = 1 << 20;
	got = walk(blob, n, 0, NULL, &s, &res, &err);
	if (got != code || !strstr(err.msg, what)) {
		fprintf(stderr, "  %s: code %d \"%s\", want %d \"%s\"\n", label, got, err.msg, code, what);
		test_failures++;
	}
	seen_release(&s);
}

TEST(truncated_blobs)
{
	size_t tn = 0, gn = 0, zn = 0, cut;
	uint8_t *tar = basic_tar('p', &tn), *gz, *zs;

	CHECK(tar != NULL);
	if (!tar)
		return;
	gz = gzip_make(tar, tn, 1, &gn);
	zs = zstd_make(tar, tn, 3, &zn);
	CHECK(gz && zs);
	/* From 2 bytes on: a single 0x1f is not a gzip magic yet. */
	for (cut = 2; gz && cut < gn; cut += cut > gn - 20 ? 1 : 37)
		check_walk_fails(gz, cut, CS_EFORMAT, "truncated gzip stream", "gzip cut");
	for (cut = 4; zs && cut < zn; cut += cut > zn - 20 ? 1 : 37)
		check_walk_fails(zs, cut, CS_EFORMAT, "truncated zstd stream", "zstd cut");
	/* A plain tar cut inside an entry. */
	check_walk_fails(tar, 1024 + 100, CS_EFORMAT, "runcated", "tar cut in data");
	check_walk_fails(tar, 1024 + 512 + 100, CS_EFORMAT, "broken tar", "tar cut in header");
	free(gz);
	free(zs);
	free(tar);
}

TEST(corrupt_tar_header)
{
	size_t tn = 0;
	uint8_t *tar = basic_tar('u', &tn);

	CHECK(tar != NULL);
	if (!tar)
		return;
	/* The second header (after etc/ at 0): its checksum no longer matches. */
	tar[512 + 10] ^= 0x20;
	check_walk_fails(tar, tn, CS_EFORMAT, "broken tar", "bad checksum");
	/* The first header: the archive is not recognised at all. */
	tar[512 + 10] ^= 0x20;
	tar[5] ^= 0x20;
	check_walk_fails(tar, tn, CS_EFORMAT, "", "bad first header");
	free(tar);
}

TEST(trailing_data_after_tar)
{
	size_t tn = 0, bn = 0;
	uint8_t *tar = basic_tar('p', &tn), *padded, *blob;
	size_t pn;

	CHECK(tar != NULL);
	if (!tar)
		return;
	/* The end-of-archive blocks, then a megabyte more of zeros: fine. */
	pn = tn + (1u << 20) + 777;
	padded = calloc(1, pn);
	CHECK(padded != NULL);
	if (padded) {
		cs_layer_result res;
		cs_err err;
		seen s;
		char diff_id[CS_DIGEST_MAX];

		memcpy(padded, tar, tn);
		blob = gzip_make(padded, pn, 1, &bn);
		CHECK(blob != NULL);
		seen_init(&s);
		s.max = 100;
		CHECK_INT(walk(blob, bn, 0, NULL, &s, &res, &err), 0);
		CHECK_STR(s.log.data, basic_log);
		/* The diff_id covers the whole stream, padding included. */
		cs_sha256_buf(padded, pn, diff_id);
		CHECK_STR(res.diff_id, diff_id);
		CHECK_INT(res.tar_size, pn);
		seen_release(&s);
		free(blob);
		free(padded);
	}
	/* A tar with its end marker missing: libarchive accepts the end of data. */
	{
		cs_layer_result res;
		cs_err err;
		seen s;
		tarb t;
		size_t n1 = 0;
		uint8_t *one;

		tb_open(&t, 'u');
		tb_file(&t, "a", "x");
		one = tb_close(&t, &n1);
		CHECK(one != NULL);
		if (one) {
			seen_init(&s);
			CHECK_INT(walk(one, 1024, 0, NULL, &s, &res, &err), 0);
			CHECK_STR(s.log.data, "N f a 1\n");
			seen_release(&s);
			free(one);
		}
	}
	free(tar);
}

TEST(not_a_layer)
{
	uint8_t junk[20000];
	static const uint8_t zeros[4096];

	check_walk_fails((const uint8_t *)"", 0, CS_EFORMAT, "", "empty blob");
	fill_random(junk, sizeof(junk), 1234);
	check_walk_fails(junk, sizeof(junk), CS_EFORMAT, "", "random bytes");
	check_walk_fails(junk, 1, CS_EFORMAT, "", "one byte");
	/* gzip of random bytes: inflates fine, the tar is what is broken */
	{
		size_t gn = 0;
		uint8_t *gz = gzip_make(junk, sizeof(junk), 1, &gn);

		CHECK(gz != NULL);
		if (gz)
			check_walk_fails(gz, gn, CS_EFORMAT, "", "gzip of random bytes");
		free(gz);
	}
	/* Junk behind the magic of each compressor. */
	junk[0] = 0x1f;
	junk[1] = 0x8b;
	junk[2] = 8;
	check_walk_fails(junk, sizeof(junk), CS_EFORMAT, "", "gzip magic, junk");
	memcpy(junk, "\x28\xb5\x2f\xfd", 4);
	check_walk_fails(junk, sizeof(junk), CS_EFORMAT, "corrupt zstd stream", "zstd magic, junk");
	/* All zeros is an empty tar: no entries, no error. */
	{
		cs_layer_result res;
		cs_err err;
		seen s;

		seen_init(&s);
		CHECK_INT(walk(zeros, sizeof(zeros), 0, NULL, &s, &res, &err), 0);
		CHECK_INT(s.calls, 0);
		seen_release(&s);
	}
}

TEST(stream_read_error)
{
	size_t tn = 0;
	uint8_t *tar = basic_tar('p', &tn);
	mem_stream m;
	cs_layer_expect exp;
	cs_layer_result res;
	cs_err err;
	seen s;

	CHECK(tar != NULL);
	if (!tar)
		return;
	memset(&exp, 0, sizeof(exp));
	exp.label = "layer 1";
	m = mem_make(tar, tn, 1000);
	m.fail_at = 2000;
	seen_init(&s);
	CHECK_INT(walk_stream(&m, &exp, NULL, &s, &res, &err), CS_EIO);
	CHECK_STR(err.msg, "layer 1: cannot read 'blob': injected failure");
	seen_release(&s);

	/* Failing after the tar's end, without a message: still a failure. */
	{
		uint8_t *padded = calloc(1, tn + 100000);

		CHECK(padded != NULL);
		if (padded) {
			memcpy(padded, tar, tn);
			m = mem_make(padded, tn + 100000, 1000);
			m.fail_at = tn + 50000;
			m.fail_silent = true;
			seen_init(&s);
			CHECK_INT(walk_stream(&m, &exp, NULL, &s, &res, &err), CS_EIO);
			CHECK_STR(s.log.data, basic_log);
			seen_release(&s);
			free(padded);
		}
	}
	free(tar);
}

/* --- limits ---------------------------------------------------------------- */

/* A gzip stream of a tar header and size bytes of zeros, deflated as it is read. */
typedef struct bomb_stream {
	cs_stream base;
	struct isal_zstream zs;
	uint8_t *lvl;
	uint8_t header[512];
	uint8_t zeros[65536];
	uint64_t fed, total; /* bytes given to the deflater, bytes to give */
} bomb_stream;

static int bomb_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	bomb_stream *b = (bomb_stream *)s;

	CS_UNUSED(err);
	b->zs.next_out = buf;
	b->zs.avail_out = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
	while (b->zs.avail_out > 0 && b->zs.internal_state.state != ZSTATE_END) {
		if (b->zs.avail_in == 0 && !b->zs.end_of_stream) {
			if (b->fed == 0) {
				b->zs.next_in = b->header;
				b->zs.avail_in = sizeof(b->header);
			} else {
				uint64_t left = b->total - b->fed;

				b->zs.next_in = b->zeros;
				b->zs.avail_in = (uint32_t)(left < sizeof(b->zeros) ? left : sizeof(b->zeros));
			}
			b->fed += b->zs.avail_in;
			if (b->fed >= b->total)
				b->zs.end_of_stream = 1;
		}
		if (isal_deflate(&b->zs) != COMP_OK)
			return cs_err_set(err, CS_ERR, "deflate failed");
	}
	*got = cap - b->zs.avail_out;
	return 0;
}

static void bomb_close(cs_stream *s)
{
	CS_UNUSED(s);
}

/* A ustar header for one regular file "zeros" of size bytes, made by hand. */
static void ustar_header(uint8_t h[512], const char *name, uint64_t size)
{
	unsigned sum = 0;
	size_t i;

	memset(h, 0, 512);
	snprintf((char *)h, 100, "%s", name);
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011llo", (unsigned long long)size);
	snprintf((char *)h + 136, 12, "%011o", 1700000000u);
	h[156] = '0';
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

static bomb_stream *bomb_new(uint64_t zeros)
{
	bomb_stream *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->base.read = bomb_read;
	b->base.close = bomb_close;
	b->lvl = malloc(ISAL_DEF_LVL1_DEFAULT);
	if (!b->lvl) {
		free(b);
		return NULL;
	}
	/* A real header for one file of that size: the walk sees a plausible layer. */
	ustar_header(b->header, "zeros", zeros);
	isal_deflate_init(&b->zs);
	b->zs.gzip_flag = IGZIP_GZIP;
	b->zs.level = 1;
	b->zs.level_buf = b->lvl;
	b->zs.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
	b->total = 512 + zeros + 1024;
	return b;
}

static void bomb_free(bomb_stream *b)
{
	if (b) {
		free(b->lvl);
		free(b);
	}
}

TEST(decompression_bomb)
{
	bomb_stream *b = bomb_new(300ull << 20);
	cs_layer_expect exp;
	cs_layer_result res;
	cs_limits lim;
	cs_err err;
	seen s;
	int code;

	CHECK(b != NULL);
	if (!b)
		return;
	memset(&exp, 0, sizeof(exp));
	exp.label = "layer 0";
	cs_limits_default(&lim);
	lim.ratio_floor = 1u << 20;
	lim.max_ratio = 100;
	cs_err_clear(&err);
	seen_init(&s);
	code = cs_layer_walk(&b->base, &exp, &lim, NULL, on_entry, &s, &res, &err);
	CHECK_INT(code, CS_ELIMIT);
	CHECK(strstr(err.msg, "decompression bomb") != NULL);
	CHECK(cs_str_starts(err.msg, "layer 0: "));
	/* It stopped early, far from the 300 MB. */
	CHECK(res.tar_size < (100u << 20));
	seen_release(&s);
	bomb_free(b);
}

/* Walks tar under lim, which must stop it: CS_ELIMIT, a message containing what; returns the callbacks made. */
static int walk_over_limit(const uint8_t *tar, size_t tn, const cs_limits *lim, const char *what)
{
	mem_stream m = mem_make(tar, tn, 0);
	cs_layer_expect exp;
	cs_layer_result res;
	cs_err err;
	seen s;
	int before = test_failures, calls;

	memset(&exp, 0, sizeof(exp));
	exp.label = "layer 0";
	cs_err_clear(&err);
	seen_init(&s);
	CHECK_INT(cs_layer_walk(&m.base, &exp, lim, NULL, on_entry, &s, &res, &err), CS_ELIMIT);
	CHECK(strstr(err.msg, what) != NULL);
	if (test_failures != before)
		fprintf(stderr, "  ^ in case '%s'\n", what);
	calls = s.calls;
	seen_release(&s);
	return calls;
}

TEST(size_and_entry_limits)
{
	size_t tn = 0;
	uint8_t *tar = basic_tar('p', &tn);
	cs_limits lim;

	CHECK(tar != NULL);
	if (!tar)
		return;
	cs_limits_default(&lim);
	lim.max_layer = 1000;
	walk_over_limit(tar, tn, &lim, "uncompressed size passes the 1000-byte limit");
	cs_limits_default(&lim);
	lim.max_blob = 1000;
	walk_over_limit(tar, tn, &lim, "blob passes the 1000-byte limit");
	cs_limits_default(&lim);
	lim.max_entries = 3;
	CHECK_INT(walk_over_limit(tar, tn, &lim, "more than 3 entries"), 3);
	free(tar);
}

/* --- stopping ---------------------------------------------------------------- */

TEST(callback_error_stops_walk)
{
	size_t big = 5u << 20, tn = 0, bn = 0;
	uint8_t *content = calloc(1, big), *tar, *blob;
	cs_layer_result res;
	cs_err err;
	seen s;
	tarb t;

	CHECK(content != NULL);
	if (!content)
		return;
	/* Enough data after the stop that the decoder is still busy (ring full). */
	tb_open(&t, 'p');
	tb_file(&t, "one", "1");
	tb_file(&t, "two", "2");
	tb_entry(&t, "big", AE_IFREG, 0644, content, big, NULL, NULL);
	tb_entry(&t, "big2", AE_IFREG, 0644, content, big, NULL, NULL);
	tar = tb_close(&t, &tn);
	CHECK(tar != NULL);
	blob = tar ? gzip_make(tar, tn, 1, &bn) : NULL;
	CHECK(blob != NULL);
	if (blob) {
		seen_init(&s);
		s.stop_at = 2;
		CHECK_INT(walk(blob, bn, 0, NULL, &s, &res, &err), CS_EUSAGE);
		CHECK_STR(err.msg, "callback stops at 'two'");
		CHECK_INT(s.calls, 2);
		seen_release(&s);

		/* The same on a plain tar, where blob reads are the whole story. */
		seen_init(&s);
		s.stop_at = 1;
		CHECK_INT(walk(tar, tn, 4096, NULL, &s, &res, &err), CS_EUSAGE);
		CHECK_INT(s.calls, 1);
		seen_release(&s);
	}
	free(blob);
	free(tar);
	free(content);
}

TEST(cancel_flag)
{
	size_t tn = 0;
	uint8_t *tar = basic_tar('p', &tn);
	mem_stream m;
	cs_layer_result res;
	cs_err err;
	atomic_int cancel = 1;
	seen s;

	CHECK(tar != NULL);
	if (!tar)
		return;

	/* Cancelled before the start: nothing is seen. */
	m = mem_make(tar, tn, 0);
	seen_init(&s);
	CHECK_INT(walk_stream(&m, NULL, &cancel, &s, &res, &err), CS_ERR);
	CHECK_INT(s.calls, 0);
	seen_release(&s);

	/* Cancelled by the first callback: the walk stops after it. */
	cancel = 0;
	m = mem_make(tar, tn, 0);
	seen_init(&s);
	s.cancel_at_first = &cancel;
	CHECK_INT(walk_stream(&m, NULL, &cancel, &s, &res, &err), CS_ERR);
	CHECK_INT(s.calls, 1);
	seen_release(&s);

	/* Not cancelled: a zero flag changes nothing. */
	cancel = 0;
	m = mem_make(tar, tn, 0);
	seen_init(&s);
	CHECK_INT(walk_stream(&m, NULL, &cancel, &s, &res, &err), 0);
	CHECK_STR(s.log.data, basic_log);
	seen_release(&s);

	/*
	 * Cancelled while the rest of the blob is read (the tar walk may be done
	 * by then): the blob is not verified, so the walk cannot succeed.
	 */
	{
		size_t pn = tn + (4u << 20);
		uint8_t *padded = calloc(1, pn);

		CHECK(padded != NULL);
		if (padded) {
			memcpy(padded, tar, tn);
			cancel = 0;
			m = mem_make(padded, pn, 65536);
			m.flag = &cancel;
			m.flag_at = tn + (3u << 20);
			seen_init(&s);
			CHECK_INT(walk_stream(&m, NULL, &cancel, &s, &res, &err), CS_ERR);
			seen_release(&s);
			free(padded);
		}
	}
	free(tar);
}

TEST_MAIN(TEST_ENTRY(walk_formats_and_compressions), TEST_ENTRY(walk_short_reads), TEST_ENTRY(long_names),
	  TEST_ENTRY(overlong_name), TEST_ENTRY(whiteouts), TEST_ENTRY(bad_names), TEST_ENTRY(sparse_file),
	  TEST_ENTRY(big_file_spans_buffers), TEST_ENTRY(read_twice_refused), TEST_ENTRY(expectations),
	  TEST_ENTRY(truncated_blobs), TEST_ENTRY(corrupt_tar_header), TEST_ENTRY(trailing_data_after_tar),
	  TEST_ENTRY(not_a_layer), TEST_ENTRY(stream_read_error), TEST_ENTRY(decompression_bomb),
	  TEST_ENTRY(size_and_entry_limits), TEST_ENTRY(callback_error_stops_walk), TEST_ENTRY(cancel_flag))
