/*
 * dfconfig.c - `customs config DIR|FILE`: find the Dockerfiles under a
 * directory (or take the one file given), lint each into an inventory scan
 * of type "config", so the policy stage and every report writer handle
 * the findings as for an image.
 *
 * The walk is deterministic (names sorted), never follows a symbolic link
 * to a directory, lints a linked file only when it stays inside DIR, skips
 * version-control and dependency directories, and is bounded in depth,
 * entries and files. A file that cannot be read or is no Dockerfile is an
 * error diagnostic (exit 3 after the report); the others are still linted.
 */
#include "core/compat.h"
#include "audit/dockerfile.h"

#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64
#define MAX_ENTRIES 1000000u /* directory entries looked at */
#define MAX_FILES 10000u     /* Dockerfiles linted */

typedef struct walk {
	cs_scan *s;
	const char *root_real; /* realpath of DIR */
	size_t entries, files;
	bool stopped;          /* a limit was hit (reported once) */
	cs_err *err;
} walk;

bool cs_dockerfile_name(const char *name)
{
	static const char *const not_ext[] = {".dockerignore", ".md", ".txt", ".orig", ".rej", ".bak", ".swp",
					      ".swo", ".sh", ".py", ".json", ".yml", ".yaml", ".lock", NULL};
	static const char *const stems[] = {"dockerfile", "containerfile", NULL};
	const char *const *p;
	size_t n = strlen(name);

	for (p = not_ext; *p; p++) {
		size_t k = strlen(*p);

		if (n > k && !strcasecmp(name + n - k, *p))
			return false;
	}
	if (n && name[n - 1] == '~')
		return false;
	for (p = stems; *p; p++) {
		size_t k = strlen(*p);

		if (n == k && !strcasecmp(name, *p))
			return true; /* Dockerfile */
		if (n > k + 1 && !strncasecmp(name, *p, k) && name[k] == '.')
			return true; /* Dockerfile.dev */
		if (n > k + 1 && !strcasecmp(name + n - k, *p) && name[n - k - 1] == '.')
			return true; /* app.Dockerfile */
	}
	return false;
}

static int lint_one(walk *w, const char *path)
{
	cs_dockerfile_sink sink;
	cs_arena tmp;
	cs_err err;
	int rc;

	if (w->files >= MAX_FILES) {
		if (!w->stopped)
			cs_scan_diag(w->s, CS_LOG_WARN, "more than %u Dockerfiles: the others are not linted", MAX_FILES);
		w->stopped = true;
		return 0;
	}
	w->files++;
	sink.scan = w->s;
	if (!(sink.path = cs_arena_strdup(cs_scan_arena(w->s), path)))
		return cs_err_set(w->err, CS_ENOMEM, "out of memory");
	cs_err_clear(&err);
	cs_arena_init(&tmp);
	rc = cs_dockerfile_lint_file(path, &tmp, cs_dockerfile_to_scan, &sink, &err);
	cs_arena_release(&tmp);
	if (rc == CS_ENOMEM)
		return cs_err_set(w->err, rc, "out of memory");
	if (rc < 0)
		cs_scan_diag(w->s, CS_LOG_ERROR, "%s", err.msg);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool skip_dir(const char *name)
{
	return !strcmp(name, ".git") || !strcmp(name, ".hg") || !strcmp(name, ".svn") ||
	       !strcmp(name, "node_modules");
}

/* A symbolic link to a file is linted only when it resolves inside DIR. */
static bool link_inside(const walk *w, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(w->root_real);

	if (!realpath(path, real))
		return false;
	return !strncmp(real, w->root_real, n) && (real[n] == '/' || real[n] == '\0' || n == 1);
}

static int walk_dir(walk *w, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (depth > MAX_DEPTH) {
		cs_scan_diag(w->s, CS_LOG_WARN, "'%s': more than %d directories deep, not searched", dir, MAX_DEPTH);
		return 0;
	}
	if (!(d = opendir(dir))) {
		cs_scan_diag(w->s, CS_LOG_ERROR, "cannot read directory '%s': %s", dir, strerror(errno));
		return 0;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->entries > MAX_ENTRIES) {
			if (!w->stopped)
				cs_scan_diag(w->s, CS_LOG_WARN, "more than %u directory entries: the search stopped", MAX_ENTRIES);
			w->stopped = true;
			break;
		}
		if (n == cap) {
			char **nn = realloc(names, (cap ? cap * 2 : 64) * sizeof(*names));

			if (!nn) {
				rc = cs_err_set(w->err, CS_ENOMEM, "out of memory");
				goto done;
			}
			names = nn;
			cap = cap ? cap * 2 : 64;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = cs_err_set(w->err, CS_ENOMEM, "out of memory");
			goto done;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && rc == 0 && !w->stopped; i++) {
		size_t dl = strlen(dir);
		char *path = malloc(dl + strlen(names[i]) + 2);
		struct stat st;

		if (!path) {
			rc = cs_err_set(w->err, CS_ENOMEM, "out of memory");
			break;
		}
		memcpy(path, dir, dl);
		path[dl] = '/';
		memcpy(path + dl + (dl && dir[dl - 1] == '/' ? 0 : 1), names[i], strlen(names[i]) + 1);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode) && !skip_dir(names[i]))
				rc = walk_dir(w, path, depth + 1);
			else if (S_ISREG(st.st_mode) && cs_dockerfile_name(names[i]))
				rc = lint_one(w, path);
			else if (S_ISLNK(st.st_mode) && cs_dockerfile_name(names[i]) && stat(path, &st) == 0 &&
				 S_ISREG(st.st_mode)) {
				if (link_inside(w, path))
					rc = lint_one(w, path);
				else
					cs_scan_diag(w->s, CS_LOG_WARN, "'%s' links out of '%s': not linted", path, w->root_real);
			}
		}
		free(path);
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

int cs_dockerfile_config_scan(cs_scan **out, const char *target, const cs_scan_opts *opts, cs_err *err)
{
	cs_artifact art;
	struct stat st;
	cs_scan *s;
	int rc;

	if ((rc = cs_scan_new_inventory(out, opts, err)) < 0)
		return rc;
	s = *out;
	memset(&art, 0, sizeof(art));
	art.name = cs_arena_strdup(cs_scan_arena(s), target);
	art.type = "config";
	if (!art.name)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_scan_set_artifact(s, &art);
	if (stat(target, &st) != 0)
		return cs_err_set(err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot read '%s': %s", target,
				  strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		char real[PATH_MAX];
		walk w;

		if (!realpath(target, real))
			return cs_err_set(err, CS_EIO, "cannot read '%s': %s", target, strerror(errno));
		memset(&w, 0, sizeof(w));
		w.s = s;
		w.root_real = real;
		w.err = err;
		if ((rc = walk_dir(&w, target, 0)) < 0)
			return rc;
		if (!w.files)
			cs_scan_diag(s, CS_LOG_WARN, "no Dockerfile in '%s' (Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*)",
				     target);
	} else {
		cs_dockerfile_sink sink;
		cs_arena tmp;

		/* one file, named by the user: lint it whatever its name; unreadable is fatal */
		sink.scan = s;
		sink.path = art.name;
		cs_arena_init(&tmp);
		rc = cs_dockerfile_lint_file(target, &tmp, cs_dockerfile_to_scan, &sink, err);
		cs_arena_release(&tmp);
		if (rc < 0)
			return rc;
	}
	cs_scan_set_config_ran(s);
	cs_scan_sort_misconfigs(s);
	cs_scan_inventory_done(s);
	return 0;
}
