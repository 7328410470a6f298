/*
 * test_fsview.c - the merged view of an image's layers (image/fsview.c).
 *
 * Layers are applied as the scan applies them: a layer's whiteouts and
 * opaque markers first, then its entries. The cases follow the OCI layer
 * rules (whiteouts hide lower layers only, an opaque directory hides what
 * lower layers put in it, a file replacing a directory replaces its
 * subtree) and the way a container resolves symbolic links inside the
 * image (relative, absolute, ".." clamped at the root, loops bounded).
 */
#include "core/compat.h"
#include "image/fsview.h"
#include "core/buf.h"

#include <sys/stat.h>

#include "unit/test.h"

#define DIR_MODE (S_IFDIR | 0755)
#define REG_MODE (S_IFREG | 0644)
#define LNK_MODE (S_IFLNK | 0777)

static void add_dir(cs_fsview *v, const char *path, int layer)
{
	CHECK_INT(cs_fsview_add(v, path, DIR_MODE, 0, NULL, false, layer), 0);
}

static void add_file(cs_fsview *v, const char *path, uint64_t size, int layer)
{
	CHECK_INT(cs_fsview_add(v, path, REG_MODE, size, NULL, false, layer), 0);
}

static void add_link(cs_fsview *v, const char *path, const char *target, int layer)
{
	CHECK_INT(cs_fsview_add(v, path, LNK_MODE, strlen(target), target, false, layer), 0);
}

/* Looks path up without following the last link; returns the code. */
static int look(const cs_fsview *v, const char *path, cs_fsinfo *info)
{
	cs_err err;

	cs_err_clear(&err);
	return cs_fsview_lookup(v, path, false, 40, info, NULL, 0, &err);
}

/* Checks that path is present, written by layer. */
static void check_present(const cs_fsview *v, const char *path, int layer, const char *where)
{
	cs_fsinfo info;
	int code = look(v, path, &info);

	if (code != 0 || info.layer != layer || info.deleted_by != -1) {
		fprintf(stderr, "  %s: '%s': code %d layer %d deleted_by %d, want present from layer %d\n", where,
			path, code, info.layer, info.deleted_by, layer);
		test_failures++;
	}
}

/* Checks that path is gone, deleted by deleted_by (-1: never there). */
static void check_gone(const cs_fsview *v, const char *path, int deleted_by, const char *where)
{
	cs_fsinfo info;
	int code = look(v, path, &info);

	if (code != CS_ENOTFOUND || info.deleted_by != deleted_by) {
		fprintf(stderr, "  %s: '%s': code %d deleted_by %d, want CS_ENOTFOUND deleted_by %d\n", where, path,
			code, info.deleted_by, deleted_by);
		test_failures++;
	}
}

/* Joins the listing of dir as "name:layer," for comparison. */
static int list_cb(const char *path, const cs_fsinfo *info, void *payload)
{
	cs_buf *b = payload;

	cs_buf_printf(b, "%s:%d,", path, info->layer);
	return 0;
}

static void check_list(const cs_fsview *v, const char *dir, const char *want)
{
	cs_buf b;

	cs_buf_init(&b, 0);
	CHECK_INT(cs_fsview_list(v, dir, list_cb, &b), 0);
	if (strcmp(b.data, want) != 0) {
		fprintf(stderr, "  list '%s' = \"%s\", want \"%s\"\n", dir, b.data, want);
		test_failures++;
	}
	cs_buf_release(&b);
}

/* Layer 0 of most cases: a small Debian-like tree. */
static cs_fsview *base_view(void)
{
	cs_fsview *v = NULL;

	CHECK_INT(cs_fsview_new(&v), 0);
	if (!v)
		return NULL;
	add_dir(v, "etc", 0);
	add_file(v, "etc/passwd", 100, 0);
	add_file(v, "etc/group", 50, 0);
	add_dir(v, "usr", 0);
	add_dir(v, "usr/lib", 0);
	add_file(v, "usr/lib/os-release", 200, 0);
	add_file(v, "usr/lib/x", 3, 0);
	add_dir(v, "var/lib/dpkg", 0); /* parents implied */
	add_file(v, "var/lib/dpkg/status", 1000, 0);
	add_file(v, "var/lib/dpkg/info/a.list", 10, 0);
	add_file(v, "var/lib/dpkg/info/b.list", 10, 0);
	return v;
}

TEST(add_and_implied_parents)
{
	cs_fsview *v = base_view();
	cs_fsinfo info;

	if (!v)
		return;
	check_present(v, "etc/passwd", 0, "base");
	CHECK_INT(look(v, "etc/passwd", &info), 0);
	CHECK_INT(info.size, 100);
	CHECK(S_ISREG(info.mode));
	CHECK(info.link == NULL);
	/* Parents never listed in the tar are directories with layer -1. */
	CHECK_INT(look(v, "var", &info), 0);
	CHECK_INT(info.layer, -1);
	CHECK(S_ISDIR(info.mode));
	CHECK_INT(look(v, "var/lib/dpkg/info", &info), 0);
	CHECK_INT(info.layer, -1);
	/* The root is always there. */
	CHECK_INT(look(v, "", &info), 0);
	CHECK(S_ISDIR(info.mode));
	check_gone(v, "etc/shadow", -1, "base");
	check_gone(v, "nothing/at/all", -1, "base");
	/* A file is not a directory. */
	check_gone(v, "etc/passwd/x", -1, "base");
	/* Every path recorded once, implied ones included. */
	CHECK_INT(cs_fsview_size(v), 14);
	/* A later write replaces the record, keeps the count. */
	add_file(v, "etc/passwd", 120, 3);
	CHECK_INT(look(v, "etc/passwd", &info), 0);
	CHECK_INT(info.layer, 3);
	CHECK_INT(info.size, 120);
	CHECK_INT(cs_fsview_size(v), 14);
	cs_fsview_free(v);
	cs_fsview_free(NULL);
}

TEST(whiteout_file_and_subtree)
{
	cs_fsview *v = base_view();
	cs_fsinfo info;

	if (!v)
		return;
	/* Layer 1 deletes a file and a whole directory. */
	CHECK_INT(cs_fsview_whiteout(v, "etc/passwd", 1), 0);
	CHECK_INT(cs_fsview_whiteout(v, "var/lib/dpkg", 1), 0);
	CHECK_INT(cs_fsview_whiteout(v, "not/there", 1), 0); /* harmless */
	CHECK_INT(cs_fsview_whiteout(v, "", 1), 0);          /* the root stays */
	check_gone(v, "etc/passwd", 1, "layer 1");
	check_present(v, "etc/group", 0, "layer 1");
	check_gone(v, "var/lib/dpkg", 1, "layer 1");
	check_gone(v, "var/lib/dpkg/status", 1, "layer 1");
	check_gone(v, "var/lib/dpkg/info/a.list", 1, "layer 1");
	check_present(v, "var/lib", -1, "layer 1");
	check_present(v, "", -1, "layer 1");
	/* The deleted entry keeps the layer that wrote it. */
	CHECK_INT(look(v, "var/lib/dpkg/status", &info), CS_ENOTFOUND);
	CHECK_INT(info.layer, 0);
	CHECK_INT(info.size, 1000);
	/* A second deletion does not move the blame. */
	CHECK_INT(cs_fsview_whiteout(v, "var/lib/dpkg", 2), 0);
	check_gone(v, "var/lib/dpkg/status", 1, "layer 2");

	/* Layer 2 writes one file back: it and its parents return, not its siblings. */
	add_file(v, "var/lib/dpkg/status", 1100, 2);
	add_file(v, "etc/passwd", 90, 2);
	check_present(v, "var/lib/dpkg/status", 2, "layer 2");
	check_present(v, "var/lib/dpkg", 2, "layer 2");
	check_gone(v, "var/lib/dpkg/info", 1, "layer 2");
	check_gone(v, "var/lib/dpkg/info/b.list", 1, "layer 2");
	check_present(v, "etc/passwd", 2, "layer 2");
	CHECK_INT(look(v, "etc/passwd", &info), 0);
	CHECK_INT(info.size, 90);
	check_list(v, "var/lib/dpkg", "var/lib/dpkg/status:2,");
	cs_fsview_free(v);
}

TEST(opaque_directory)
{
	cs_fsview *v = base_view();

	if (!v)
		return;
	/* Layer 1: "var/lib/dpkg/.wh..wh..opq" and a new file in the same directory. */
	CHECK_INT(cs_fsview_opaque(v, "var/lib/dpkg", 1), 0);
	add_file(v, "var/lib/dpkg/new", 5, 1);
	check_present(v, "var/lib/dpkg", 0, "opaque");
	check_gone(v, "var/lib/dpkg/status", 1, "opaque");
	check_gone(v, "var/lib/dpkg/info", 1, "opaque");
	check_gone(v, "var/lib/dpkg/info/a.list", 1, "opaque");
	check_present(v, "var/lib/dpkg/new", 1, "opaque");
	check_list(v, "var/lib/dpkg", "var/lib/dpkg/new:1,");
	/* Opaque on a directory nobody wrote: nothing happens. */
	CHECK_INT(cs_fsview_opaque(v, "no/such/dir", 1), 0);
	/* Opaque root (".wh..wh..opq" at the top) hides every lower entry. */
	CHECK_INT(cs_fsview_opaque(v, "", 2), 0);
	add_file(v, "only", 1, 2);
	check_gone(v, "etc/group", 2, "opaque root");
	check_gone(v, "var/lib/dpkg/new", 2, "opaque root");
	check_present(v, "only", 2, "opaque root");
	check_list(v, "", "only:2,");
	cs_fsview_free(v);
}

TEST(file_replaces_directory)
{
	cs_fsview *v = base_view();
	cs_fsinfo info;

	if (!v)
		return;
	/* Layer 1 writes usr/lib as a file (or a symlink, as usrmerge does). */
	add_file(v, "usr/lib", 7, 1);
	CHECK_INT(look(v, "usr/lib", &info), 0);
	CHECK(S_ISREG(info.mode));
	CHECK_INT(info.layer, 1);
	check_gone(v, "usr/lib/os-release", 1, "file over dir");
	check_gone(v, "usr/lib/x", 1, "file over dir");
	/* A directory over a directory keeps the children. */
	add_dir(v, "etc", 1);
	check_present(v, "etc/passwd", 0, "dir over dir");
	/* Layer 2 writes below the file: it becomes a directory again. */
	add_file(v, "usr/lib/y", 1, 2);
	CHECK_INT(look(v, "usr/lib", &info), 0);
	CHECK(S_ISDIR(info.mode));
	check_present(v, "usr/lib/y", 2, "dir again");
	check_gone(v, "usr/lib/x", 1, "dir again");
	/* A symlink over a directory hides it too; the old path now leads through the link. */
	add_link(v, "var/lib/dpkg", "/elsewhere", 3);
	CHECK_INT(look(v, "var/lib/dpkg", &info), 0);
	CHECK(S_ISLNK(info.mode));
	check_gone(v, "var/lib/dpkg/status", -1, "link over dir");
	check_list(v, "var/lib", "var/lib/dpkg:3,");
	cs_fsview_free(v);
}

TEST(hard_links)
{
	cs_fsview *v = base_view();
	cs_fsinfo info;

	if (!v)
		return;
	/* A hard link takes mode and size from its target. */
	CHECK_INT(cs_fsview_add(v, "usr/bin/passwd-copy", 0, 0, "etc/passwd", true, 1), 0);
	CHECK_INT(look(v, "usr/bin/passwd-copy", &info), 0);
	CHECK_INT(info.size, 100);
	CHECK_INT(info.mode, REG_MODE);
	CHECK_INT(info.layer, 1);
	CHECK(info.link == NULL);
	/* To a symlink: a second link with the same target. */
	add_link(v, "lnk", "etc/group", 0);
	CHECK_INT(cs_fsview_add(v, "lnk2", 0, 0, "lnk", true, 1), 0);
	CHECK_INT(look(v, "lnk2", &info), 0);
	CHECK(S_ISLNK(info.mode));
	CHECK_STR(info.link, "etc/group");
	/* Missing, deleted and directory targets are refused, and nothing is added. */
	CHECK_INT(cs_fsview_add(v, "h1", 0, 0, "etc/shadow", true, 1), CS_ENOTFOUND);
	check_gone(v, "h1", -1, "missing target");
	CHECK_INT(cs_fsview_whiteout(v, "etc/group", 2), 0);
	CHECK_INT(cs_fsview_add(v, "h2", 0, 0, "etc/group", true, 2), CS_ENOTFOUND);
	check_gone(v, "h2", -1, "deleted target");
	CHECK_INT(cs_fsview_add(v, "h3", 0, 0, "etc", true, 2), CS_ENOTFOUND);
	check_gone(v, "h3", -1, "directory target");
	cs_fsview_free(v);
}

/* Looks path up following links; checks the code, resolved path and layer. */
static void check_follow(const cs_fsview *v, const char *path, int code, const char *resolved, int layer)
{
	char res[4096];
	cs_fsinfo info;
	cs_err err;
	int got;

	cs_err_clear(&err);
	res[0] = '\0';
	got = cs_fsview_lookup(v, path, true, 40, &info, res, sizeof(res), &err);
	if (got != code || (code == 0 && (strcmp(res, resolved) != 0 || info.layer != layer))) {
		fprintf(stderr, "  follow '%s': code %d resolved '%s' layer %d, want %d '%s' %d\n", path, got, res,
			info.layer, code, resolved ? resolved : "", layer);
		test_failures++;
	}
	if (code == CS_ELIMIT && !strstr(err.msg, "too many levels of symbolic links")) {
		fprintf(stderr, "  follow '%s': message \"%s\"\n", path, err.msg);
		test_failures++;
	}
}

/* Following a hard link leads to the name and layer its content was read under. */
TEST(hard_link_content)
{
	cs_fsview *v = base_view();
	cs_fsinfo info;
	char resolved[256];
	cs_err err;

	if (!v)
		return;
	cs_err_clear(&err);
	CHECK_INT(cs_fsview_add(v, "etc/os-release", 0, 0, "usr/lib/os-release", true, 1), 0);
	CHECK_INT(cs_fsview_add(v, "etc/os-release2", 0, 0, "etc/os-release", true, 2), 0);
	CHECK_INT(cs_fsview_lookup(v, "etc/os-release", true, 40, &info, resolved, sizeof(resolved), &err), 0);
	CHECK_STR(resolved, "usr/lib/os-release");
	CHECK_INT(info.layer, 0);
	/* A chain leads to the first name; without follow the link itself answers. */
	CHECK_INT(cs_fsview_lookup(v, "etc/os-release2", true, 40, &info, resolved, sizeof(resolved), &err), 0);
	CHECK_STR(resolved, "usr/lib/os-release");
	CHECK_INT(info.layer, 0);
	CHECK_INT(cs_fsview_lookup(v, "etc/os-release2", false, 40, &info, resolved, sizeof(resolved), &err), 0);
	CHECK_STR(resolved, "etc/os-release2");
	CHECK_INT(info.layer, 2);
	/* Overwriting the target later does not change what the link holds. */
	add_file(v, "usr/lib/os-release", 7, 3);
	CHECK_INT(cs_fsview_lookup(v, "etc/os-release", true, 40, &info, resolved, sizeof(resolved), &err), 0);
	CHECK_STR(resolved, "usr/lib/os-release");
	CHECK_INT(info.layer, 0);
	CHECK_INT(info.size, 200);
	cs_fsview_free(v);
}

TEST(symlink_resolution)
{
	cs_fsview *v = base_view();
	cs_fsinfo info;
	char res[64];
	cs_err err;

	if (!v)
		return;
	add_link(v, "lib", "usr/lib", 1);
	add_link(v, "lib64", "/usr/lib", 1);
	add_link(v, "etc/os-release", "../usr/lib/os-release", 1);
	add_link(v, "etc/abs", "/usr/lib/x", 1);
	add_link(v, "etc/up", "../../../../usr/lib/x", 1);
	add_link(v, "etc/dot", "./group", 1);
	add_link(v, "etc/chain1", "chain2", 1);
	add_link(v, "etc/chain2", "/lib/x", 1);
	add_link(v, "etc/root", "/", 1);
	add_link(v, "dangling", "no/such/file", 1);
	add_link(v, "a", "b", 1);
	add_link(v, "b", "a", 1);
	add_link(v, "self", "self", 1);
	add_link(v, "dirloop", "dirloop/x", 1);
	add_link(v, "through-file", "etc/passwd/x", 1);

	check_follow(v, "etc/os-release", 0, "usr/lib/os-release", 0);
	check_follow(v, "etc/abs", 0, "usr/lib/x", 0);
	check_follow(v, "etc/up", 0, "usr/lib/x", 0);
	check_follow(v, "etc/dot", 0, "etc/group", 0);
	check_follow(v, "etc/chain1", 0, "usr/lib/x", 0);
	/* Links in directory components, relative and absolute. */
	check_follow(v, "lib/x", 0, "usr/lib/x", 0);
	check_follow(v, "lib64/os-release", 0, "usr/lib/os-release", 0);
	check_follow(v, "etc/root/etc/passwd", 0, "etc/passwd", 0);
	check_follow(v, "etc/root", 0, "", -1);
	check_follow(v, "lib", 0, "usr/lib", 0);
	check_follow(v, "dangling", CS_ENOTFOUND, NULL, 0);
	check_follow(v, "lib/missing", CS_ENOTFOUND, NULL, 0);
	check_follow(v, "through-file", CS_ENOTFOUND, NULL, 0);
	check_follow(v, "a", CS_ELIMIT, NULL, 0);
	check_follow(v, "self", CS_ELIMIT, NULL, 0);
	check_follow(v, "dirloop", CS_ELIMIT, NULL, 0);
	check_follow(v, "a/x", CS_ELIMIT, NULL, 0);

	/* Without follow the last link is the answer, but inner ones are followed. */
	CHECK_INT(look(v, "etc/os-release", &info), 0);
	CHECK(S_ISLNK(info.mode));
	CHECK_STR(info.link, "../usr/lib/os-release");
	CHECK_INT(info.layer, 1);
	CHECK_INT(look(v, "lib/x", &info), 0);
	CHECK_INT(info.size, 3);
	CHECK_INT(look(v, "a", &info), 0);
	CHECK_INT(look(v, "dangling", &info), 0);

	/* The hop budget: chain1 -> chain2 -> lib -> usr/lib needs 3. */
	cs_err_clear(&err);
	CHECK_INT(cs_fsview_lookup(v, "etc/chain1", true, 3, &info, res, sizeof(res), &err), 0);
	cs_err_clear(&err);
	CHECK_INT(cs_fsview_lookup(v, "etc/chain1", true, 2, &info, res, sizeof(res), &err), CS_ELIMIT);
	CHECK(strstr(err.msg, "'etc/chain1': too many levels of symbolic links") != NULL);
	/* A resolved path that does not fit the caller's buffer. */
	cs_err_clear(&err);
	CHECK_INT(cs_fsview_lookup(v, "etc/os-release", true, 40, &info, res, 5, &err), CS_ELIMIT);
	/* A deleted link target is gone; deleting the link itself too. */
	CHECK_INT(cs_fsview_whiteout(v, "usr/lib/os-release", 2), 0);
	check_follow(v, "etc/os-release", CS_ENOTFOUND, NULL, 0);
	CHECK_INT(cs_fsview_whiteout(v, "lib", 2), 0);
	check_follow(v, "lib/x", CS_ENOTFOUND, NULL, 0);
	check_follow(v, "lib64/x", 0, "usr/lib/x", 0);
	cs_fsview_free(v);
}

TEST(long_paths)
{
	cs_fsview *v = NULL;
	char *p = malloc(5000), res[16];
	cs_fsinfo info;
	cs_err err;
	size_t i;

	CHECK_INT(cs_fsview_new(&v), 0);
	if (!v || !p) {
		cs_fsview_free(v);
		free(p);
		return;
	}
	/* A deep path (the walker allows names up to 4095 bytes). */
	for (i = 0; i < 4000; i += 2) {
		p[i] = 'd';
		p[i + 1] = '/';
	}
	p[3999] = '\0';
	add_file(v, p, 1, 0);
	CHECK_INT(look(v, p, &info), 0);
	CHECK_INT(cs_fsview_whiteout(v, "d", 1), 0);
	CHECK_INT(look(v, p, &info), CS_ENOTFOUND);
	CHECK_INT(info.deleted_by, 1);
	/* Longer than any path: not found, no overflow. */
	memset(p, 'x', 4999);
	p[4999] = '\0';
	cs_err_clear(&err);
	CHECK_INT(cs_fsview_lookup(v, p, true, 40, &info, res, sizeof(res), &err), CS_ENOTFOUND);
	/* A link whose expansion would pass the limit. */
	memset(p, 'y', 4000);
	p[4000] = '\0';
	add_link(v, "big", p, 1);
	memcpy(p, "big/", 4);
	memset(p + 4, 'z', 200);
	p[204] = '\0';
	cs_err_clear(&err);
	CHECK_INT(cs_fsview_lookup(v, p, true, 40, &info, NULL, 0, &err), CS_ENOTFOUND);
	free(p);
	cs_fsview_free(v);
}

/* Stops the listing at the second entry. */
static int list_stop(const char *path, const cs_fsinfo *info, void *payload)
{
	int *n = payload;

	CS_UNUSED(path);
	CS_UNUSED(info);
	return ++*n == 2 ? 7 : 0;
}

TEST(list_order)
{
	cs_fsview *v = base_view();
	int n = 0;

	if (!v)
		return;
	add_file(v, "etc/zzz", 1, 1);
	add_file(v, "etc/aaa", 1, 1);
	add_file(v, "etc/Mixed", 1, 1);
	add_file(v, "etc/sub/deep", 1, 1);
	CHECK_INT(cs_fsview_whiteout(v, "etc/group", 1), 0);
	/* Name order (bytes), deleted ones left out, only direct children. */
	check_list(v, "etc", "etc/Mixed:1,etc/aaa:1,etc/passwd:0,etc/sub:-1,etc/zzz:1,");
	check_list(v, "", "etc:0,usr:0,var:-1,");
	/* Absent, deleted or non-directories list nothing. */
	check_list(v, "nope", "");
	check_list(v, "etc/passwd", "");
	CHECK_INT(cs_fsview_whiteout(v, "usr", 2), 0);
	check_list(v, "usr/lib", "");
	/* A non-zero return stops the listing and is passed on. */
	CHECK_INT(cs_fsview_list(v, "etc", list_stop, &n), 7);
	CHECK_INT(n, 2);
	cs_fsview_free(v);
}

TEST_MAIN(TEST_ENTRY(add_and_implied_parents), TEST_ENTRY(whiteout_file_and_subtree), TEST_ENTRY(opaque_directory),
	  TEST_ENTRY(file_replaces_directory), TEST_ENTRY(hard_links), TEST_ENTRY(hard_link_content), TEST_ENTRY(symlink_resolution),
	  TEST_ENTRY(long_paths), TEST_ENTRY(list_order))
