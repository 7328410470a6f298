/*
 * import.c - feeds on disk into the store (see import.h): walks paths,
 * reads archives in place with libarchive, offers each file to the
 * importers of importers.def and writes what they parse through a sink
 * that names the source, counts, and reports bad records.
 *
 * Transactions: one for the whole call (cs_vdb_begin nests, so a caller's
 * transaction is respected), one savepoint per archive. A store error or a
 * path that cannot be read undoes the whole call; a damaged archive undoes
 * only itself.
 */
#include "core/compat.h"
#include "vulndb/import.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/strutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_MAX_DEPTH 32      /* directory levels below a path */
#define IMPORT_READ_BLOCK 65536  /* bytes per read */

/* The state of one cs_vdb_import_paths call. */
typedef struct imp_run {
	cs_vdb *db;
	cs_vdb_import_stats *st;
	uint64_t max_file;
	cs_err *err;       /* the caller's: fatal errors only */
	int64_t *touched;  /* source ids written to, for cs_vdb_source_done; owned */
	size_t ntouched, cap;
} imp_run;

/* A directory tree, an archive, or a lone file: where records' source and names come from. */
typedef struct container {
	const char *display;          /* the directory or archive path, or the lone file's path */
	char sep;                     /* between display and a member name: '/', ':'; 0: a lone file */
	const char *label;            /* cs_vdb_path_label, NULL for a lone file */
	int64_t source[CS_IMP_COUNT]; /* source id per importer, 0 until first used */
} container;

/* What the sink of one file needs. */
typedef struct file_ctx {
	imp_run *run;
	container *c;
	int imp;          /* CS_IMP_* of the importer reading the file */
	const char *name; /* the file's name in its container */
	int64_t own;      /* per-file source id, 0 until made */
	bool store_failed; /* the sink returned a store error: fatal */
} file_ctx;

/* ---- names --------------------------------------------------------------- */

bool cs_vdb_is_archive_name(const char *name)
{
	static const char *const exts[] = {".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.zst", ".tar.bz2"};
	size_t n = strlen(name), i;

	for (i = 0; i < CS_ARRAY_LEN(exts); i++) {
		size_t m = strlen(exts[i]);

		if (n > m && strcasecmp(name + n - m, exts[i]) == 0)
			return true;
	}
	return false;
}

/* Length of name less its archive extension. */
static size_t archive_stem(const char *name, size_t n)
{
	static const char *const exts[] = {".tar.gz", ".tar.xz", ".tar.zst", ".tar.bz2", ".tgz", ".zip", ".tar"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(exts); i++) {
		size_t m = strlen(exts[i]);

		if (n > m && strncasecmp(name + n - m, exts[i], m) == 0)
			return n - m;
	}
	return n;
}

/* The last component of path[0..n) (trailing slashes ignored): *start and its length. */
static size_t last_component(const char *path, size_t n, size_t *start)
{
	size_t end;

	while (n > 1 && path[n - 1] == '/')
		n--;
	end = n;
	while (n > 0 && path[n - 1] != '/')
		n--;
	*start = n;
	return end - n;
}

static void put_label(char *out, size_t outsz, const char *p, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < outsz; i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)p[i]);

		out[k++] = (char)(isalnum(c) || c == '.' || c == '_' || c == '-' ? c : '-');
	}
	if (outsz)
		out[k] = '\0';
}

const char *cs_vdb_path_label(char *out, size_t outsz, const char *path, bool archive)
{
	char resolved[PATH_MAX];
	const char *p = path;
	size_t start, n;

	n = last_component(p, strlen(p), &start);
	if ((n == 1 && p[start] == '.') || (n == 2 && memcmp(p + start, "..", 2) == 0) || n == 0 ||
	    (n == 1 && p[start] == '/')) {
		if (realpath(path, resolved)) {
			p = resolved;
			n = last_component(p, strlen(p), &start);
		}
	}
	if (archive) {
		size_t stem = archive_stem(p + start, n);

		if (stem == 3 && strncasecmp(p + start, "all", 3) == 0 && start > 0) {
			size_t pstart, pn = last_component(p, start, &pstart);

			if (pn && !(pn == 1 && p[pstart] == '.')) {
				put_label(out, outsz, p + pstart, pn);
				return out;
			}
		}
		n = stem;
	}
	put_label(out, outsz, p + start, n);
	return out;
}

const char *cs_vdb_source_name(char *out, size_t outsz, const char *importer, const char *label)
{
	size_t m = strlen(importer);

	if (!label || !*label)
		snprintf(out, outsz, "%s", importer);
	else if (strncmp(label, importer, m) == 0 && (label[m] == '\0' || label[m] == '-'))
		snprintf(out, outsz, "%s", label);
	else
		snprintf(out, outsz, "%s-%s", importer, label);
	return out;
}

/* ---- reporting and the sink --------------------------------------------------- */

static void report(imp_run *r, const char *file, const char *why)
{
	r->st->bad++;
	if (r->st->on_bad)
		r->st->on_bad(r->st->payload, file, why);
	else
		cs_warn("'%s': skipped: %s", file, why);
}

/* The name a user knows a member by: "dir/rel", "archive.zip:member", or the lone file's path. */
static void display_name(char *out, size_t outsz, const container *c, const char *name)
{
	if (!c->sep)
		snprintf(out, outsz, "%s", c->display);
	else
		snprintf(out, outsz, "%s%c%s", c->display, c->sep, name);
}

static int touch(imp_run *r, int64_t id, cs_err *err)
{
	size_t i;

	for (i = 0; i < r->ntouched; i++)
		if (r->touched[i] == id)
			return 0;
	if (r->ntouched == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 8;
		int64_t *p = realloc(r->touched, ncap * sizeof(*p));

		if (!p)
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		r->touched = p;
		r->cap = ncap;
	}
	r->touched[r->ntouched++] = id;
	return 0;
}

/*
 * "v3.11/main.json" -> "v3.11-main": the parent directory and the stem of a
 * file name, for per-file sources.
 */
static void file_label(char *out, size_t outsz, const char *name)
{
	const char *base = strrchr(name, '/'), *dir = name, *dot;
	size_t dirlen = 0;

	if (base) {
		const char *prev = base;

		while (prev > name && prev[-1] != '/')
			prev--;
		dir = prev;
		dirlen = (size_t)(base - prev);
		base++;
	} else {
		base = name;
	}
	dot = strchr(base, '.');
	snprintf(out, outsz, "%.*s%s%.*s", (int)dirlen, dir, dirlen ? "-" : "",
		 (int)(dot ? (size_t)(dot - base) : strlen(base)), base);
}

/* The source id the current file's records go to, created on first use. */
static int file_source(file_ctx *f, int64_t *id, cs_err *err)
{
	char name[256], label[256], full[600];
	int code;

	if (cs_vdb_importers[f->imp]->per_file_source) {
		if (!f->own) {
			cs_vdb_source_name(name, sizeof(name), cs_vdb_importers[f->imp]->name, f->c->label);
			file_label(label, sizeof(label), f->name);
			snprintf(full, sizeof(full), "%s-%s", name, label);
			if ((code = cs_vdb_source(f->run->db, full, NULL, &f->own, err)) < 0 ||
			    (code = touch(f->run, f->own, err)) < 0)
				return code;
		}
		*id = f->own;
		return 0;
	}
	if (!f->c->source[f->imp]) {
		cs_vdb_source_name(name, sizeof(name), cs_vdb_importers[f->imp]->name, f->c->label);
		if ((code = cs_vdb_source(f->run->db, name, NULL, &f->c->source[f->imp], err)) < 0 ||
		    (code = touch(f->run, f->c->source[f->imp], err)) < 0)
			return code;
	}
	*id = f->c->source[f->imp];
	return 0;
}

static int stored(file_ctx *f, int code)
{
	if (code < 0) {
		f->store_failed = true;
		return code;
	}
	f->run->st->records++;
	f->run->st->per[f->imp].records++;
	return 0;
}

static int sink_advisory(void *payload, const cs_vdb_advisory *a, cs_err *err)
{
	file_ctx *f = payload;
	int64_t src;
	int code;

	if ((code = file_source(f, &src, err)) < 0)
		return stored(f, code);
	return stored(f, cs_vdb_put_advisory(f->run->db, src, a, err));
}

static int sink_kev(void *payload, const cs_vdb_kev *k, cs_err *err)
{
	file_ctx *f = payload;
	int64_t src;
	int code;

	if ((code = file_source(f, &src, err)) < 0)
		return stored(f, code);
	return stored(f, cs_vdb_put_kev(f->run->db, k, err));
}

static int sink_epss(void *payload, const cs_vdb_epss *e, cs_err *err)
{
	file_ctx *f = payload;
	int64_t src;
	int code;

	if ((code = file_source(f, &src, err)) < 0)
		return stored(f, code);
	return stored(f, cs_vdb_put_epss(f->run->db, e, err));
}

static void sink_bad(void *payload, const char *file, const char *why)
{
	file_ctx *f = payload;
	char disp[PATH_MAX + 256];

	f->run->st->per[f->imp].bad++;
	display_name(disp, sizeof(disp), f->c, file);
	report(f->run, disp, why);
}

/*
 * Offers one file (data[len] is NUL) called name within c to the
 * importers. Returns 0, or a negative code that ends the whole import (a
 * store error, out of memory).
 */
static int offer(imp_run *r, container *c, const char *name, const uint8_t *data, size_t len)
{
	cs_vdb_sink sink = {sink_advisory, sink_kev, sink_epss, sink_bad, NULL};
	size_t head = len < CS_VDB_IMPORT_HEAD ? len : CS_VDB_IMPORT_HEAD;
	file_ctx f;
	cs_arena scratch;
	cs_err ferr;
	int i, code;

	r->st->files++;
	for (i = 0; i < CS_IMP_COUNT; i++)
		if (cs_vdb_importers[i]->detect(name, data, head))
			break;
	if (i == CS_IMP_COUNT) {
		r->st->unknown++;
		return 0;
	}
	memset(&f, 0, sizeof(f));
	f.run = r;
	f.c = c;
	f.imp = i;
	f.name = name;
	sink.payload = &f;
	r->st->per[i].files++;
	cs_arena_init(&scratch);
	cs_err_clear(&ferr);
	code = cs_vdb_importers[i]->import(name, data, len, &sink, &scratch, &ferr);
	cs_arena_release(&scratch);
	if (code < 0) {
		char disp[PATH_MAX + 256];

		if (f.store_failed || code == CS_ENOMEM) {
			cs_err_merge(r->err, &ferr);
			if (!ferr.msg[0])
				cs_err_set(r->err, code, "cannot import '%s'", name);
			return code;
		}
		/* the file as a whole is unusable: one bad file, the import goes on */
		r->st->per[i].bad++;
		display_name(disp, sizeof(disp), c, name);
		report(r, disp, ferr.msg[0] ? ferr.msg : cs_err_name(code));
	}
	return 0;
}

/* ---- files ------------------------------------------------------------------- */

/*
 * Reads file path whole into *out (malloc'd, NUL-terminated). CS_ELIMIT
 * past max bytes, CS_EIO with the reason in why.
 */
static int read_file(const char *path, uint64_t max, uint8_t **out, size_t *len, char *why, size_t whysz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); /* never hang on a FIFO swapped in */
	struct stat sb;
	cs_buf b = CS_BUF_INIT;
	int code = 0;

	*out = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(why, whysz, "cannot open: %s", strerror(errno));
		return CS_EIO;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(why, whysz, "not a regular file");
		close(fd);
		return CS_EIO;
	}
	if ((uint64_t)sb.st_size > max) {
		snprintf(why, whysz, "larger than %llu bytes", (unsigned long long)max);
		close(fd);
		return CS_ELIMIT;
	}
	/* no cap on the buffer itself: max is checked after each block, so a file that grew
	 * since fstat costs at most one block more */
	cs_buf_init(&b, 0);
	for (;;) {
		ssize_t n;

		if (b.len > max) {
			snprintf(why, whysz, "larger than %llu bytes", (unsigned long long)max);
			code = CS_ELIMIT;
			break;
		}
		if ((code = cs_buf_grow(&b, IMPORT_READ_BLOCK)) < 0) {
			snprintf(why, whysz, "out of memory");
			break;
		}
		n = read(fd, b.data + b.len, IMPORT_READ_BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whysz, "cannot read: %s", strerror(errno));
			code = CS_EIO;
			break;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.data[b.len] = '\0';
	}
	close(fd);
	if (code < 0) {
		cs_buf_release(&b);
		return code;
	}
	*out = (uint8_t *)cs_buf_detach(&b, len);
	return 0;
}

/* Reads and offers one file; only fatal errors come back. */
static int import_file(imp_run *r, container *c, const char *path, const char *name)
{
	char why[300], disp[PATH_MAX + 256];
	uint8_t *data;
	size_t len;
	int code;

	code = read_file(path, r->max_file, &data, &len, why, sizeof(why));
	if (code == CS_ENOMEM)
		return cs_err_set(r->err, CS_ENOMEM, "out of memory");
	if (code < 0) {
		r->st->files++;
		display_name(disp, sizeof(disp), c, name);
		report(r, disp, why);
		return 0;
	}
	code = offer(r, c, name, data, len);
	free(data);
	return code;
}

/* ---- archives ----------------------------------------------------------------- */

static void set_damage(char *out, size_t outsz, struct archive *a)
{
	const char *s = archive_error_string(a);

	snprintf(out, outsz, "%s", s && *s ? s : "unreadable archive");
}

/*
 * Imports every regular member of archive path under one savepoint.
 * Damage (truncation, a bad checksum, a member it cannot decompress)
 * rolls the archive back and is reported; only fatal errors come back.
 */
static int import_archive(imp_run *r, const char *path, const char *display)
{
	char label[256], why[600];
	container c;
	struct archive *a = NULL;
	struct archive_entry *e;
	cs_buf b = CS_BUF_INIT;
	size_t records0 = r->st->records, touched0 = r->ntouched, per0[CS_IMP_COUNT];
	char damage[300] = ""; /* what libarchive said about the damage; "" while none */
	int code, rc, i;

	for (i = 0; i < CS_IMP_COUNT; i++)
		per0[i] = r->st->per[i].records;
	memset(&c, 0, sizeof(c));
	c.display = display;
	c.sep = ':';
	c.label = cs_vdb_path_label(label, sizeof(label), path, true);
	if ((code = cs_vdb_begin(r->db, r->err)) < 0)
		return code;
	a = archive_read_new();
	if (!a) {
		cs_vdb_rollback(r->db);
		return cs_err_set(r->err, CS_ENOMEM, "out of memory");
	}
	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_bzip2(a);
	cs_buf_init(&b, 0); /* r->max_file is checked after each block */
	if (archive_read_open_filename(a, path, 1 << 20) != ARCHIVE_OK) {
		set_damage(damage, sizeof(damage), a);
		goto done;
	}
	for (;;) {
		const char *raw;
		char *name;

		rc = archive_read_next_header(a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc < ARCHIVE_WARN) {
			set_damage(damage, sizeof(damage), a);
			break;
		}
		raw = archive_entry_pathname(e);
		if (archive_entry_filetype(e) != AE_IFREG || !raw)
			continue; /* the next header skips the data */
		name = malloc(strlen(raw) + 1);
		if (!name) {
			code = cs_err_set(r->err, CS_ENOMEM, "out of memory");
			break;
		}
		if (cs_path_clean(raw, name) < 0 || !*name) {
			snprintf(name, strlen(raw) + 1, "%s", raw); /* offered as-is: it names nothing on disk */
		}
		if (archive_entry_size_is_set(e) && (uint64_t)archive_entry_size(e) > r->max_file) {
			char disp[PATH_MAX + 256];

			r->st->files++;
			display_name(disp, sizeof(disp), &c, name);
			snprintf(why, sizeof(why), "larger than %llu bytes", (unsigned long long)r->max_file);
			report(r, disp, why);
			free(name);
			continue;
		}
		cs_buf_reset(&b);
		for (;;) {
			la_ssize_t n;

			if (b.len > r->max_file) {
				code = CS_ELIMIT;
				break;
			}
			if ((code = cs_buf_grow(&b, IMPORT_READ_BLOCK)) < 0)
				break;
			n = archive_read_data(a, b.data + b.len, IMPORT_READ_BLOCK);
			if (n < 0) {
				set_damage(damage, sizeof(damage), a);
				break;
			}
			if (n == 0)
				break;
			b.len += (size_t)n;
			b.data[b.len] = '\0';
		}
		if (code == CS_ELIMIT) {
			char disp[PATH_MAX + 256];

			r->st->files++;
			display_name(disp, sizeof(disp), &c, name);
			snprintf(why, sizeof(why), "larger than %llu bytes", (unsigned long long)r->max_file);
			report(r, disp, why);
			code = 0;
			free(name);
			continue;
		}
		if (code < 0) {
			cs_err_set(r->err, code, "out of memory");
			free(name);
			break;
		}
		if (damage[0]) {
			free(name);
			break;
		}
		code = offer(r, &c, name, (const uint8_t *)(b.data ? b.data : ""), b.len);
		free(name);
		if (code < 0)
			break;
	}
done:
	if (code < 0) {
		/* fatal: the caller rolls everything back */
		cs_vdb_rollback(r->db);
	} else if (damage[0]) {
		size_t lost = r->st->records - records0;

		cs_vdb_rollback(r->db);
		r->ntouched = touched0; /* sources first written here are gone again */
		r->st->records = records0;
		for (i = 0; i < CS_IMP_COUNT; i++)
			r->st->per[i].records = per0[i];
		r->st->failed++;
		snprintf(why, sizeof(why), "damaged archive, nothing of it imported (%zu records rolled back): %s",
			 lost, damage);
		report(r, display, why);
	} else {
		code = cs_vdb_commit(r->db, r->err);
		if (code < 0)
			cs_vdb_rollback(r->db);
	}
	archive_read_free(a);
	cs_buf_release(&b);
	return code;
}

/* ---- directories -------------------------------------------------------------- */

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * Walks dir (rel: its path below the container's root, "" at the root)
 * in byte order of names; only fatal errors come back.
 */
static int walk(imp_run *r, container *c, const char *dir, const char *rel, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int code = 0;

	if (depth > IMPORT_MAX_DEPTH) {
		report(r, dir, "directory nested too deep: skipped");
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return cs_err_set(r->err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot read directory '%s': %s",
				  dir, strerror(errno));
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **p = realloc(names, ncap * sizeof(*p));

			if (!p) {
				code = cs_err_set(r->err, CS_ENOMEM, "out of memory");
				goto done;
			}
			names = p;
			cap = ncap;
		}
		if (!(names[n] = strdup(de->d_name))) {
			code = cs_err_set(r->err, CS_ENOMEM, "out of memory");
			goto done;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n && code == 0; i++) {
		char *full = NULL, *sub = NULL;
		struct stat sb;

		if (asprintf(&full, "%s/%s", dir, names[i]) < 0 ||
		    asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0) {
			free(full);
			code = cs_err_set(r->err, CS_ENOMEM, "out of memory");
			break;
		}
		if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (names[i][0] != '.')
				code = walk(r, c, full, sub, depth + 1);
		} else if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode)) {
			/* symbolic links to files are followed, to directories not */
			if (cs_vdb_is_archive_name(names[i])) {
				char disp[PATH_MAX + 256];

				snprintf(disp, sizeof(disp), "%s/%s", c->display, sub);
				code = import_archive(r, full, disp);
			} else {
				code = import_file(r, c, full, sub);
			}
		}
		free(full);
		free(sub);
	}
done:
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return code;
}

/* ---- the entry point ------------------------------------------------------------- */

static int import_path(imp_run *r, const char *path)
{
	char label[256];
	container c;
	struct stat sb;

	if (stat(path, &sb) < 0)
		return cs_err_set(r->err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot import '%s': %s", path,
				  strerror(errno));
	memset(&c, 0, sizeof(c));
	c.display = path;
	if (S_ISDIR(sb.st_mode)) {
		c.sep = '/';
		c.label = cs_vdb_path_label(label, sizeof(label), path, false);
		return walk(r, &c, path, "", 0);
	}
	if (!S_ISREG(sb.st_mode))
		return cs_err_set(r->err, CS_EUSAGE, "cannot import '%s': not a file or directory", path);
	if (cs_vdb_is_archive_name(path))
		return import_archive(r, path, path);
	return import_file(r, &c, path, cs_path_base(path));
}

int cs_vdb_import_paths(cs_vdb *db, const char *const *paths, size_t n, cs_vdb_import_stats *stats, cs_err *err)
{
	cs_vdb_import_stats local;
	imp_run r;
	size_t i;
	int code;

	if (!stats) {
		memset(&local, 0, sizeof(local));
		stats = &local;
	}
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.st = stats;
	r.err = err;
	r.max_file = stats->max_file ? stats->max_file : CS_VDB_IMPORT_MAX_FILE;
	if ((code = cs_vdb_begin(db, err)) < 0)
		return code;
	for (i = 0; i < n && code == 0; i++)
		code = import_path(&r, paths[i]);
	for (i = 0; i < r.ntouched && code == 0; i++)
		code = cs_vdb_source_done(db, r.touched[i], NULL, NULL, err);
	if (code == 0)
		code = cs_vdb_commit(db, err);
	if (code < 0)
		cs_vdb_rollback(db);
	else
		stats->sources += r.ntouched;
	free(r.touched);
	return code;
}
