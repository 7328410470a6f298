/*
 * rootfs.c - depth-first walk of a directory tree with openat(), never
 * following symbolic links (see rootfs.h).
 */
#include "core/compat.h"
#include "image/rootfs.h"
#include "core/arena.h"
#include "core/map.h"
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
	/*
	 * Regular files with more than one name: "dev:ino" -> the first name
	 * met. Later names are reported as hard links to it, as a tar archive
	 * of the same tree would store them, so their content is read (and its
	 * secrets reported) once.
	 */
	cs_map inodes;
	cs_arena names;
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

/* A file met again under another name becomes a hard link to the first (e->hardlink, e->link). */
static int first_name(walker *wk, const struct stat *sb, cs_entry *e)
{
	char key[64];
	const char *first;
	char *copy;
	char *kcopy;

	snprintf(key, sizeof(key), "%llx:%llx", (unsigned long long)sb->st_dev, (unsigned long long)sb->st_ino);
	if ((first = cs_map_get(&wk->inodes, key)) != NULL) {
		e->hardlink = true;
		e->link = first;
		return 0;
	}
	if (!(copy = cs_arena_strdup(&wk->names, wk->path)) || !(kcopy = cs_arena_strdup(&wk->names, key)))
		return CS_ENOMEM;
	return cs_map_put(&wk->inodes, kcopy, copy);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The names in d, sorted (so the walk, and which name of a hard-linked file
 * comes first, do not depend on the filesystem's directory order), in *out
 * (free each and the array). CS_EIO or CS_ENOMEM with the message in err.
 */
static int read_names(walker *wk, DIR *d, char ***out, size_t *n, cs_err *err)
{
	struct dirent *de;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));

			if (!nv)
				goto oom;
			v = nv;
		}
		if (!(v[*n] = strdup(de->d_name)))
			goto oom;
		(*n)++;
	}
	if (errno != 0) {
		int e = errno;

		*out = v;
		return cs_err_set(err, CS_EIO, "cannot read '%s/%s': %s", wk->root, wk->path, strerror(e));
	}
	if (*n)
		qsort(v, *n, sizeof(*v), name_cmp);
	*out = v;
	return 0;
oom:
	*out = v;
	return cs_err_set(err, CS_ENOMEM, "out of memory");
}

static int walk_dir(walker *wk, int dirfd, size_t plen, unsigned depth, cs_err *err)
{
	DIR *d;
	char **names = NULL;
	size_t nnames = 0, i;
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
	code = read_names(wk, d, &names, &nnames, err);
	for (i = 0; code == 0 && i < nnames; i++) {
		const char *name = names[i];
		struct stat sb;
		char link[4096];
		size_t nlen = strlen(name);
		cs_entry e;
		cs_rootfs_file f;

		if (wk->cancel && *wk->cancel)
			break;
		if (plen + nlen + 2 > sizeof(wk->path)) {
			cs_warn("'%s/%s/%s': path too long, skipped", wk->root, wk->path, name);
			continue;
		}
		if (plen)
			wk->path[plen] = '/';
		memcpy(wk->path + plen + (plen ? 1 : 0), name, nlen + 1);
		if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
			cs_warn("cannot stat '%s/%s': %s", wk->root, wk->path, strerror(errno));
			wk->path[plen] = '\0';
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
		if (S_ISREG(sb.st_mode) && sb.st_nlink > 1 && (code = first_name(wk, &sb, &e)) < 0) {
			code = cs_err_set(err, code, "out of memory");
			break;
		}
		if (S_ISLNK(sb.st_mode)) {
			ssize_t n = readlinkat(dirfd, name, link, sizeof(link) - 1);

			if (n >= 0) {
				link[n] = '\0';
				e.link = link;
			}
		}
		f.dirfd = dirfd;
		f.name = name;
		f.path = wk->path;
		if ((code = wk->fn(&f, &e, wk->payload, err)) < 0)
			break;
		if (S_ISDIR(sb.st_mode) && sb.st_dev == wk->dev) {
			int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub < 0) {
				cs_warn("cannot open '%s/%s': %s", wk->root, wk->path, strerror(errno));
				wk->path[plen] = '\0';
				continue;
			}
			code = walk_dir(wk, sub, strlen(wk->path), depth + 1, err);
		}
		wk->path[plen] = '\0';
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
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
	cs_map_init(&wk.inodes);
	cs_arena_init(&wk.names);
	code = walk_dir(&wk, fd, 0, 0, err);
	cs_map_release(&wk.inodes);
	cs_arena_release(&wk.names);
	*entries = wk.entries;
	return code;
}
