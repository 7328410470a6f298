/*
 * rootfs.c - depth-first walk of a directory tree with openat(), never
 * following symbolic links (see rootfs.h).
 */
#include "core/compat.h"
#include "image/rootfs.h"
#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROOTFS_MAX_DEPTH 256

struct cs_rootfs_file {
	int dirfd;          /* directory holding the entry */
	const char *name;   /* entry name in dirfd */
	const char *path;   /* for messages */
};

typedef struct walker {
	const cs_limits *lim;
	const atomic_int *cancel;
	cs_rootfs_entry_fn fn;
	void *payload;
	uint64_t entries;
	dev_t dev;
	char path[4096];    /* clean relative path of the current entry */
	const char *root;
} walker;

int cs_rootfs_read(cs_rootfs_file *f, cs_buf *out, uint64_t max, cs_err *err)
{
	return cs_rootfs_read_tap(f, out, max, NULL, NULL, err);
}

int cs_rootfs_read_tap(cs_rootfs_file *f, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err)
{
	char chunk[65536];
	struct stat sb;
	bool keep = true;
	ssize_t n;
	int fd, code = 0;

	cs_buf_reset(out);
	fd = openat(f->dirfd, f->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return cs_err_set(err, CS_EIO, "cannot open '%s': %s", f->path, strerror(errno));
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return cs_err_set(err, CS_EIO, "'%s': not a regular file", f->path);
	}
	if ((uint64_t)sb.st_size > max) {
		if (!tap) {
			close(fd);
			return CS_ELIMIT;
		}
		keep = false;
	}
	for (;;) {
		do
			n = read(fd, chunk, sizeof(chunk));
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			code = cs_err_set(err, CS_EIO, "cannot read '%s': %s", f->path, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		if (tap && (code = tap(tap_arg, chunk, (size_t)n, err)) < 0)
			break;
		if (!keep)
			continue;
		if (out->len + (size_t)n > max) {
			cs_buf_reset(out);
			if (!tap) {
				code = CS_ELIMIT;
				break;
			}
			keep = false;
			continue;
		}
		if ((code = cs_buf_append(out, chunk, (size_t)n)) < 0) {
			cs_err_set(err, code, "cannot hold '%s'", f->path);
			break;
		}
	}
	close(fd);
	return code == 0 && !keep ? CS_ELIMIT : code;
}

static int walk_dir(walker *wk, int dirfd, size_t plen, unsigned depth, cs_err *err)
{
	DIR *d;
	struct dirent *de;
	int code = 0;

	if (depth > ROOTFS_MAX_DEPTH) {
		cs_warn("'%s/%s': deeper than %d levels, not walked", wk->root, wk->path, ROOTFS_MAX_DEPTH);
		close(dirfd);
		return 0;
	}
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return cs_err_set(err, CS_EIO, "cannot read '%s/%s': %s", wk->root, wk->path, strerror(errno));
	}
	while (code == 0 && (errno = 0, de = readdir(d))) {
		struct stat sb;
		char link[4096];
		size_t nlen = strlen(de->d_name);
		cs_entry e;
		cs_rootfs_file f;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (wk->cancel && *wk->cancel)
			break;
		if (plen + nlen + 2 > sizeof(wk->path)) {
			cs_warn("'%s/%s/%s': path too long, skipped", wk->root, wk->path, de->d_name);
			continue;
		}
		if (plen)
			wk->path[plen] = '/';
		memcpy(wk->path + plen + (plen ? 1 : 0), de->d_name, nlen + 1);
		if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			cs_warn("cannot stat '%s/%s': %s", wk->root, wk->path, strerror(errno));
			continue;
		}
		if (++wk->entries > wk->lim->max_entries) {
			code = cs_err_set(err, CS_ELIMIT, "'%s': more than %llu entries", wk->root,
					  (unsigned long long)wk->lim->max_entries);
			break;
		}
		memset(&e, 0, sizeof(e));
		e.path = wk->path;
		e.mode = (uint32_t)sb.st_mode;
		e.size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
		if (S_ISLNK(sb.st_mode)) {
			ssize_t n = readlinkat(dirfd, de->d_name, link, sizeof(link) - 1);

			if (n >= 0) {
				link[n] = '\0';
				e.link = link;
			}
		}
		f.dirfd = dirfd;
		f.name = de->d_name;
		f.path = wk->path;
		if ((code = wk->fn(&f, &e, wk->payload, err)) < 0)
			break;
		if (S_ISDIR(sb.st_mode) && sb.st_dev == wk->dev) {
			int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0) {
				cs_warn("cannot open '%s/%s': %s", wk->root, wk->path, strerror(errno));
				continue;
			}
			code = walk_dir(wk, sub, strlen(wk->path), depth + 1, err);
		}
		wk->path[plen] = '\0';
	}
	if (code == 0 && errno != 0 && !de)
		code = cs_err_set(err, CS_EIO, "cannot read '%s/%s': %s", wk->root, wk->path, strerror(errno));
	closedir(d);
	return code;
}

int cs_rootfs_walk(const char *dir, const cs_limits *lim, const atomic_int *cancel, cs_rootfs_entry_fn fn,
		   void *payload, uint64_t *entries, cs_err *err)
{
	walker wk;
	struct stat sb;
	int fd, code;

	memset(&wk, 0, sizeof(wk));
	wk.lim = lim;
	wk.cancel = cancel;
	wk.fn = fn;
	wk.payload = payload;
	wk.root = dir;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cs_err_set(err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot open '%s': %s", dir,
				  errno == ENOTDIR ? "not a directory" : strerror(errno));
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return cs_err_set(err, CS_EIO, "cannot stat '%s': %s", dir, strerror(errno));
	}
	wk.dev = sb.st_dev;
	code = walk_dir(&wk, fd, 0, 0, err);
	*entries = wk.entries;
	return code;
}
