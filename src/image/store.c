/*
 * store.c - named files in a directory or a tar archive (see store.h).
 *
 * The tar side uses libarchive for the container format (GNU, PAX, long
 * names) and its whole-archive filters (gzip, zstd, xz): an archive is
 * indexed in one pass and each large member is streamed by opening the file
 * again and skipping to it, which costs only header reads on a plain tar.
 *
 * A stream store (cs_store_open_stream) reads a tar that cannot be opened
 * again (a daemon's HTTP body, a pipe) in its one pass: the caller takes
 * each regular member as it comes, streaming it or keeping it in memory;
 * the members kept are then read like those of any other store.
 */
#include "core/compat.h"
#include "image/store.h"
#include "core/map.h"
#include "core/strutil.h"
#include "core/vec.h"
#include "image/registry.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORE_CACHE_MEMBER (1u << 20)  /* members this small are kept in memory */
#define STORE_CACHE_TOTAL (64u << 20)  /* ... up to this much in all */
#define STORE_READ_BLOCK (1u << 20)    /* libarchive read size on the archive file */
#define STORE_MAX_LINKS 8              /* member symlink hops */
#define STORE_HEAD 512                 /* bytes of a streamed member shown by cs_store_peek */

enum { MEMBER_FILE, MEMBER_DIR, MEMBER_SYMLINK, MEMBER_HARDLINK, MEMBER_OTHER };

typedef struct member {
	char *name;      /* clean path; owned */
	char *link;      /* clean target of a symlink or hard link; owned */
	int type;        /* MEMBER_* */
	uint64_t size;   /* bytes of content */
	size_t ordinal;  /* position in the archive, 0-based */
	uint8_t *data;   /* cached content or NULL; owned */
	bool passed;     /* stream stores: the content went by without being kept */
} member;

struct cs_store {
	char *path;      /* owned */
	bool is_dir;
	int dirfd;       /* directory stores */
	cs_vec members;  /* tar stores: member *, owned */
	cs_map by_name;  /* name -> member *, last one wins as in tar */
	cs_limits lim;
	/* stream stores only */
	cs_stream *src;      /* the archive's bytes; owned */
	struct archive *sa;  /* the one pass over src */
	uint8_t *src_buf;    /* STORE_READ_BLOCK bytes handed to libarchive; owned */
	cs_err src_err;      /* src's own failure: the root cause of libarchive's */
	member *cur;         /* the regular member being read, or NULL */
	uint64_t cur_left;   /* bytes of cur not yet taken from sa */
	uint8_t head[STORE_HEAD]; /* the first bytes of cur */
	size_t head_len;
	bool streaming;      /* a stream of cur is open */
	bool ended;          /* sa reached the end of the archive */
	uint64_t cached;     /* bytes kept in memory so far */
	cs_registry *reg; /* registry stores: everything goes there */
};

const char *cs_store_path(const cs_store *st)
{
	return st->path;
}

bool cs_store_is_dir(const cs_store *st)
{
	return st->is_dir;
}

bool cs_store_is_registry(const cs_store *st)
{
	return st->reg != NULL;
}

void cs_store_free(cs_store *st)
{
	size_t i;

	if (!st)
		return;
	if (st->dirfd >= 0)
		close(st->dirfd);
	if (st->sa)
		archive_read_free(st->sa);
	cs_stream_close(st->src);
	free(st->src_buf);
	cs_registry_free(st->reg);
	for (i = 0; i < st->members.len; i++) {
		member *m = st->members.items[i];

		free(m->name);
		free(m->link);
		free(m->data);
		free(m);
	}
	cs_vec_release(&st->members);
	cs_map_release(&st->by_name);
	free(st->path);
	free(st);
}

static cs_store *store_new(const char *path)
{
	cs_store *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->path = strdup(path);
	st->dirfd = -1;
	cs_vec_init(&st->members);
	cs_map_init(&st->by_name);
	cs_limits_default(&st->lim);
	if (!st->path) {
		free(st);
		return NULL;
	}
	return st;
}

/* Refuses names that could leave the store. */
static int check_name(const cs_store *st, const char *name, cs_err *err)
{
	char *clean = malloc(strlen(name) + 1);
	int ok;

	if (!clean)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	ok = cs_path_clean(name, clean) == 0 && strcmp(clean, name) == 0 && *name;
	free(clean);
	if (!ok)
		return cs_err_set(err, CS_EFORMAT, "'%s': refusing member name '%s'", st->path, name);
	return 0;
}

/* ---- file streams (directory members) --------------------------------- */

typedef struct fd_stream {
	cs_stream base;
	int fd;
	char *name; /* for messages; owned */
} fd_stream;

static int fd_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	fd_stream *f = (fd_stream *)s;
	ssize_t n;

	do
		n = read(f->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return cs_err_set(err, CS_EIO, "cannot read '%s': %s", f->name, strerror(errno));
	*got = (size_t)n;
	return 0;
}

static void fd_close(cs_stream *s)
{
	fd_stream *f = (fd_stream *)s;

	close(f->fd);
	free(f->name);
	free(f);
}

int cs_stream_open_fd(cs_stream **out, int fd, const char *name, cs_err *err)
{
	fd_stream *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f || !(f->name = strdup(name))) {
		free(f);
		close(fd);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	f->base.read = fd_read;
	f->base.close = fd_close;
	f->fd = fd;
	*out = &f->base;
	return 0;
}

static int dir_open_fd(cs_store *st, const char *name, int *fd, struct stat *sb, cs_err *err)
{
	int err2;

	if ((err2 = check_name(st, name, err)) < 0)
		return err2;
	*fd = openat(st->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return CS_ENOTFOUND;
		return cs_err_set(err, CS_EIO, "cannot open '%s/%s': %s", st->path, name, strerror(errno));
	}
	if (fstat(*fd, sb) < 0 || !S_ISREG(sb->st_mode)) {
		close(*fd);
		return cs_err_set(err, CS_EFORMAT, "'%s/%s': not a regular file", st->path, name);
	}
	return 0;
}

int cs_store_open_dir(cs_store **out, const char *dir, cs_err *err)
{
	cs_store *st;

	*out = NULL;
	st = store_new(dir);
	if (!st)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	st->is_dir = true;
	st->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		int code = errno == ENOENT ? CS_ENOTFOUND : CS_EIO;

		cs_err_set(err, code, "cannot open '%s': %s", dir, strerror(errno));
		cs_store_free(st);
		return code;
	}
	*out = st;
	return 0;
}

/* ---- registries -------------------------------------------------------- */

int cs_store_open_registry(cs_store **out, const char *label, const struct cs_ref *ref,
			   const struct cs_registry_opts *o, const cs_limits *lim, cs_err *err)
{
	cs_store *st;
	int code;

	*out = NULL;
	if (!(st = store_new(label)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (lim)
		st->lim = *lim;
	if ((code = cs_registry_open(&st->reg, label, ref, o, &st->lim, err)) < 0) {
		cs_store_free(st);
		return code;
	}
	*out = st;
	return 0;
}

void cs_store_plan(cs_store *st, size_t layers, uint64_t bytes)
{
	if (st->reg)
		cs_registry_plan(st->reg, layers, bytes);
}

/* ---- tar archives ------------------------------------------------------ */

static struct archive *tar_new_reader(void)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	return a;
}

static int tar_fail(cs_store *st, struct archive *a, cs_err *err)
{
	const char *msg = archive_error_string(a);

	return cs_err_set(err, CS_EFORMAT, "'%s': not a readable tar archive: %s", st->path,
			  msg ? msg : "unknown error");
}

/*
 * A record for entry e (content not read) in *out; *out stays NULL for a
 * name no image format can name (never looked up).
 */
static int member_new(struct archive_entry *e, size_t ordinal, member **out, cs_err *err)
{
	const char *raw = archive_entry_pathname(e);
	member *m;
	char *clean;

	*out = NULL;
	if (!raw)
		return 0;
	clean = malloc(strlen(raw) + 1);
	if (!clean)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (cs_path_clean(raw, clean) < 0 || !*clean) {
		free(clean);
		return 0;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		free(clean);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	m->name = clean;
	m->ordinal = ordinal;
	m->size = archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
	if (archive_entry_hardlink(e)) {
		const char *t = archive_entry_hardlink(e);

		m->type = MEMBER_HARDLINK;
		m->link = malloc(strlen(t) + 1);
		if (m->link && cs_path_clean(t, m->link) < 0)
			m->link[0] = '\0';
	} else if (archive_entry_filetype(e) == AE_IFLNK) {
		const char *t = archive_entry_symlink(e);
		char buf[4096];

		m->type = MEMBER_SYMLINK;
		if (t && cs_path_resolve_link(clean, t, buf, sizeof(buf)) == 0)
			m->link = strdup(buf);
	} else if (archive_entry_filetype(e) == AE_IFREG) {
		m->type = MEMBER_FILE;
	} else if (archive_entry_filetype(e) == AE_IFDIR) {
		m->type = MEMBER_DIR;
	} else {
		m->type = MEMBER_OTHER;
	}
	if ((m->type == MEMBER_HARDLINK || m->type == MEMBER_SYMLINK) && !m->link) {
		m->type = MEMBER_OTHER;
	}
	*out = m;
	return 0;
}

static void member_free(member *m)
{
	free(m->name);
	free(m->link);
	free(m->data);
	free(m);
}

/* Adds m to the store, which owns it from then on (freed here on failure). */
static int store_add(cs_store *st, member *m, cs_err *err)
{
	int code;

	if ((code = cs_vec_push(&st->members, m)) < 0) {
		member_free(m);
		return cs_err_set(err, code, "out of memory");
	}
	if ((code = cs_map_put(&st->by_name, m->name, m)) < 0)
		return cs_err_set(err, code, "out of memory");
	return 0;
}

static int tar_add_member(cs_store *st, struct archive *a, struct archive_entry *e, size_t ordinal,
			  uint64_t *cached, cs_err *err)
{
	member *m;
	int code;

	if ((code = member_new(e, ordinal, &m, err)) < 0 || !m)
		return code;
	if ((code = store_add(st, m, err)) < 0)
		return code;
	if (m->type == MEMBER_FILE && m->size <= STORE_CACHE_MEMBER && *cached + m->size <= STORE_CACHE_TOTAL) {
		la_ssize_t n;
		size_t off = 0;

		m->data = malloc(m->size + 1);
		if (!m->data)
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		while (off < m->size) {
			n = archive_read_data(a, m->data + off, m->size - off);
			if (n < 0)
				return tar_fail(st, a, err);
			if (n == 0)
				return cs_err_set(err, CS_EFORMAT, "'%s': member '%s' is truncated", st->path, m->name);
			off += (size_t)n;
		}
		*cached += m->size;
	}
	return 0;
}

int cs_store_open_tar(cs_store **out, const char *path, const cs_limits *lim, cs_err *err)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	cs_store *st;
	uint64_t cached = 0;
	size_t ordinal = 0;
	int r, code = 0, fd = -1;

	*out = NULL;
	st = store_new(path);
	if (!st)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (lim)
		st->lim = *lim;
	a = tar_new_reader();
	if (!a) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	/* Opened here so that errno speaks for the file; libarchive's failures are then about format. */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		code = errno == ENOENT ? CS_ENOTFOUND : CS_EIO;
		cs_err_set(err, code, "cannot open '%s': %s", path, strerror(errno));
		goto done;
	}
	if (archive_read_open_fd(a, fd, STORE_READ_BLOCK) != ARCHIVE_OK) {
		code = tar_fail(st, a, err);
		goto done;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		if ((code = tar_add_member(st, a, e, ordinal++, &cached, err)) < 0)
			goto done;
	}
	if (r != ARCHIVE_EOF) {
		code = tar_fail(st, a, err);
		goto done;
	}
done:
	if (a)
		archive_read_free(a);
	if (fd >= 0)
		close(fd);
	if (code < 0) {
		cs_store_free(st);
		return code;
	}
	*out = st;
	return 0;
}

/* Follows member links to a regular file; NULL when absent or dangling. */
static member *tar_find(cs_store *st, const char *name)
{
	member *m = cs_map_get(&st->by_name, name);
	int hops = 0;

	while (m && (m->type == MEMBER_SYMLINK || m->type == MEMBER_HARDLINK)) {
		if (++hops > STORE_MAX_LINKS)
			return NULL;
		m = cs_map_get(&st->by_name, m->link);
	}
	return m && m->type == MEMBER_FILE ? m : NULL;
}

typedef struct tar_stream {
	cs_stream base;
	struct archive *a;
	char *label; /* "archive:member" for messages; owned */
	uint64_t left; /* bytes of the member still to read */
} tar_stream;

static int tar_stream_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	tar_stream *t = (tar_stream *)s;
	la_ssize_t n;

	*got = 0;
	if (t->left == 0)
		return 0;
	if (cap > t->left)
		cap = (size_t)t->left;
	n = archive_read_data(t->a, buf, cap);
	if (n < 0)
		return cs_err_set(err, CS_EFORMAT, "cannot read '%s': %s", t->label,
				  archive_error_string(t->a));
	if (n == 0)
		return cs_err_set(err, CS_EFORMAT, "cannot read '%s': archive member is truncated",
				  t->label);
	t->left -= (uint64_t)n;
	*got = (size_t)n;
	return 0;
}

static void tar_stream_close(cs_stream *s)
{
	tar_stream *t = (tar_stream *)s;

	if (t->a)
		archive_read_free(t->a);
	free(t->label);
	free(t);
}

static int tar_open_member(cs_store *st, member *m, cs_stream **out, cs_err *err)
{
	struct archive_entry *e;
	tar_stream *t;
	size_t i;
	int r;

	if (m->data)
		return cs_stream_open_mem(m->data, (size_t)m->size, out, err);
	t = calloc(1, sizeof(*t));
	if (!t)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	t->base.read = tar_stream_read;
	t->base.close = tar_stream_close;
	t->left = m->size;
	t->label = malloc(strlen(st->path) + strlen(m->name) + 2);
	t->a = tar_new_reader();
	if (!t->label || !t->a) {
		tar_stream_close(&t->base);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	snprintf(t->label, strlen(st->path) + strlen(m->name) + 2, "%s:%s", st->path, m->name);
	if (archive_read_open_filename(t->a, st->path, STORE_READ_BLOCK) != ARCHIVE_OK) {
		cs_err_set(err, CS_EIO, "cannot open '%s': %s", st->path, archive_error_string(t->a));
		tar_stream_close(&t->base);
		return CS_EIO;
	}
	for (i = 0; i <= m->ordinal; i++) {
		r = archive_read_next_header(t->a, &e);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			cs_err_set(err, CS_EFORMAT, "cannot read '%s': archive changed while reading",
				   t->label);
			tar_stream_close(&t->base);
			return CS_EFORMAT;
		}
	}
	*out = &t->base;
	return 0;
}

/* ---- stream stores --------------------------------------------------------- */

static la_ssize_t src_read(struct archive *a, void *payload, const void **buf)
{
	cs_store *st = payload;
	size_t got = 0;

	if (st->src->read(st->src, st->src_buf, STORE_READ_BLOCK, &got, &st->src_err) < 0) {
		if (st->src_err.code == CS_OK)
			cs_err_set(&st->src_err, CS_EIO, "'%s': read error", st->path);
		archive_set_error(a, EIO, "%s", st->src_err.msg);
		return -1;
	}
	*buf = st->src_buf;
	return (la_ssize_t)got;
}

/* libarchive failed: the source's own error is the root cause when there is one. */
static int stream_fail(cs_store *st, const char *name, cs_err *err)
{
	const char *msg = archive_error_string(st->sa);

	if (st->src_err.code != CS_OK) {
		cs_err_merge(err, &st->src_err);
		return st->src_err.code;
	}
	if (name)
		return cs_err_set(err, CS_EFORMAT, "'%s': cannot read member '%s': %s", st->path, name,
				  msg ? msg : "unknown error");
	return tar_fail(st, st->sa, err);
}

int cs_store_open_stream(cs_store **out, const char *label, cs_stream *src, const cs_limits *lim, cs_err *err)
{
	cs_store *st;
	int code = 0;

	*out = NULL;
	st = store_new(label);
	if (!st) {
		cs_stream_close(src);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	st->src = src;
	cs_err_clear(&st->src_err);
	if (lim)
		st->lim = *lim;
	if (!(st->src_buf = malloc(STORE_READ_BLOCK)) || !(st->sa = tar_new_reader())) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	if (archive_read_open(st->sa, st, NULL, src_read, NULL) != ARCHIVE_OK)
		code = stream_fail(st, NULL, err);
done:
	if (code < 0) {
		cs_store_free(st);
		return code;
	}
	*out = st;
	return 0;
}

/* Takes up to cap bytes of the current member from the archive. */
static int cur_read(cs_store *st, uint8_t *buf, size_t cap, size_t *got, cs_err *err)
{
	la_ssize_t n;

	*got = 0;
	if (cap > st->cur_left)
		cap = (size_t)st->cur_left;
	if (!cap)
		return 0;
	n = archive_read_data(st->sa, buf, cap);
	if (n < 0)
		return stream_fail(st, st->cur->name, err);
	if (n == 0)
		return cs_err_set(err, CS_EFORMAT, "'%s': member '%s' is truncated", st->path, st->cur->name);
	st->cur_left -= (uint64_t)n;
	*got = (size_t)n;
	return 0;
}

int cs_store_next(cs_store *st, const char **name, uint64_t *size, cs_err *err)
{
	struct archive_entry *e;
	member *m;
	size_t got;
	int r, code;

	*name = NULL;
	*size = 0;
	if (!st->sa || st->streaming)
		return cs_err_set(err, CS_ERR, "'%s': cs_store_next misused", st->path);
	if (st->ended)
		return 0;
	if (st->cur) {
		/* what the caller did not take is read through: the stream cannot seek */
		st->cur = NULL;
		if (archive_read_data_skip(st->sa) != ARCHIVE_OK)
			return stream_fail(st, NULL, err);
	}
	for (;;) {
		r = archive_read_next_header(st->sa, &e);
		if (r == ARCHIVE_EOF) {
			st->ended = true;
			return 0;
		}
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return stream_fail(st, NULL, err);
		if (st->members.len >= st->lim.max_entries)
			return cs_err_set(err, CS_ELIMIT, "'%s': more than %llu members", st->path,
					  (unsigned long long)st->lim.max_entries);
		if ((code = member_new(e, st->members.len, &m, err)) < 0)
			return code;
		if (!m)
			continue;
		if ((code = store_add(st, m, err)) < 0)
			return code;
		if (m->type != MEMBER_FILE)
			continue;
		m->passed = true; /* until kept */
		st->cur = m;
		st->cur_left = m->size;
		st->head_len = 0;
		while (st->head_len < STORE_HEAD && st->cur_left) {
			if ((code = cur_read(st, st->head + st->head_len, STORE_HEAD - st->head_len, &got, err)) < 0)
				return code;
			st->head_len += got;
		}
		*name = m->name;
		*size = m->size;
		return 1;
	}
}

void cs_store_peek(const cs_store *st, const uint8_t **head, size_t *len)
{
	*head = st->head;
	*len = st->cur ? st->head_len : 0;
}

int cs_store_keep(cs_store *st, cs_err *err)
{
	member *m = st->cur;
	size_t off, got;
	int code;

	if (!m || st->streaming || m->data || m->size != st->cur_left + st->head_len)
		return cs_err_set(err, CS_ERR, "'%s': cs_store_keep misused", st->path);
	if (m->size > STORE_CACHE_TOTAL - st->cached)
		return cs_err_set(err, CS_ELIMIT, "'%s': the members kept in memory pass %u MiB at '%s'",
				  st->path, STORE_CACHE_TOTAL >> 20, m->name);
	if (!(m->data = malloc(m->size + 1)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	memcpy(m->data, st->head, st->head_len);
	off = st->head_len;
	while (off < m->size) {
		if ((code = cur_read(st, m->data + off, (size_t)(m->size - off), &got, err)) < 0)
			return code;
		off += got;
	}
	st->cached += m->size;
	m->passed = false;
	return 0;
}

typedef struct cur_stream {
	cs_stream base;
	cs_store *st;
	size_t head_pos; /* bytes of st->head handed out */
} cur_stream;

static int cur_stream_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	cur_stream *c = (cur_stream *)s;
	cs_store *st = c->st;

	*got = 0;
	if (c->head_pos < st->head_len) {
		size_t n = st->head_len - c->head_pos;

		if (n > cap)
			n = cap;
		memcpy(buf, st->head + c->head_pos, n);
		c->head_pos += n;
		*got = n;
		return 0;
	}
	return cur_read(st, buf, cap, got, err);
}

static void cur_stream_close(cs_stream *s)
{
	cur_stream *c = (cur_stream *)s;

	c->st->streaming = false;
	free(c);
}

int cs_store_stream(cs_store *st, cs_stream **out, cs_err *err)
{
	cur_stream *c;

	*out = NULL;
	if (!st->cur || st->streaming || st->cur->data || st->cur->size != st->cur_left + st->head_len)
		return cs_err_set(err, CS_ERR, "'%s': cs_store_stream misused", st->path);
	if (!(c = calloc(1, sizeof(*c))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	c->base.read = cur_stream_read;
	c->base.close = cur_stream_close;
	c->st = st;
	st->streaming = true;
	*out = &c->base;
	return 0;
}

const char *cs_store_canonical(cs_store *st, const char *name)
{
	member *m;

	if (st->is_dir)
		return name;
	m = tar_find(st, name);
	return m ? m->name : NULL;
}

/* ---- the common interface ---------------------------------------------- */

bool cs_store_has(cs_store *st, const char *name)
{
	uint64_t size;

	return cs_store_size(st, name, &size, NULL) == 0;
}

int cs_store_size(cs_store *st, const char *name, uint64_t *size, cs_err *err)
{
	if (st->reg)
		return cs_registry_size(st->reg, name, size, err);
	if (st->is_dir) {
		struct stat sb;
		int fd, code;

		if ((code = dir_open_fd(st, name, &fd, &sb, err)) < 0)
			return code;
		close(fd);
		*size = (uint64_t)sb.st_size;
		return 0;
	} else {
		member *m = tar_find(st, name);

		if (!m)
			return CS_ENOTFOUND;
		*size = m->size;
		return 0;
	}
}

int cs_store_open(cs_store *st, const char *name, cs_stream **out, cs_err *err)
{
	*out = NULL;
	if (st->reg)
		return cs_registry_open_member(st->reg, name, out, err);
	if (st->is_dir) {
		struct stat sb;
		fd_stream *f;
		int fd, code;

		if ((code = dir_open_fd(st, name, &fd, &sb, err)) < 0)
			return code;
		f = calloc(1, sizeof(*f));
		if (!f || !(f->name = malloc(strlen(st->path) + strlen(name) + 2))) {
			free(f);
			close(fd);
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		}
		snprintf(f->name, strlen(st->path) + strlen(name) + 2, "%s/%s", st->path, name);
		f->base.read = fd_read;
		f->base.close = fd_close;
		f->fd = fd;
		*out = &f->base;
		return 0;
	} else {
		member *m;
		int code;

		if ((code = check_name(st, name, err)) < 0)
			return code;
		m = tar_find(st, name);
		if (!m)
			return CS_ENOTFOUND;
		if (st->sa && !m->data)
			return cs_err_set(err, CS_EFORMAT, "'%s': member '%s' went by in the stream and was not kept",
					  st->path, name);
		return tar_open_member(st, m, out, err);
	}
}

int cs_store_read(cs_store *st, const char *name, uint64_t max, cs_buf *out, cs_err *err)
{
	cs_stream *s = NULL;
	uint64_t size;
	char chunk[65536];
	size_t got;
	int code;

	cs_buf_reset(out);
	if (st->reg)
		return cs_registry_read(st->reg, name, max, out, err);
	if ((code = cs_store_size(st, name, &size, err)) < 0)
		return code;
	if (size > max)
		return cs_err_set(err, CS_ELIMIT, "'%s': '%s' is %llu bytes, more than the %llu allowed",
				  st->path, name, (unsigned long long)size, (unsigned long long)max);
	if ((code = cs_store_open(st, name, &s, err)) < 0)
		return code;
	for (;;) {
		if ((code = s->read(s, chunk, sizeof(chunk), &got, err)) < 0 || got == 0)
			break;
		if (out->len + got > max) {
			code = cs_err_set(err, CS_ELIMIT, "'%s': '%s' is larger than the %llu bytes allowed",
					  st->path, name, (unsigned long long)max);
			break;
		}
		if ((code = cs_buf_append(out, chunk, got)) < 0) {
			cs_err_set(err, code, "'%s': cannot hold '%s'", st->path, name);
			break;
		}
	}
	cs_stream_close(s);
	return code;
}
