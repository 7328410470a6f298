/*
 * langfix.h - helpers the language cataloger tests (test_gem.c,
 * test_composer.c, test_dotnet.c) share: reading the shared fixtures,
 * running an oracle program, comparing a cs_langfile with expected
 * packages, hostile-input drivers for a langcat parser, and whole scans
 * (root filesystem directories, docker archives built on the fly).
 *
 * Header-only (static, so each test binary takes what it uses) and built
 * on the harness in test.h: failures count in test_failures.
 */
#ifndef CS_LANGFIX_H
#define CS_LANGFIX_H

#include "core/compat.h"
#include "catalog/langcat.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/sha256.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/testutil.h"

/* --- fixtures and programs ------------------------------------------------ */

static inline char *lf_shared_path(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/%s", test_shared(), rel);
	return buf;
}

/* A shared fixture, malloc'd; NULL (and a failure) when it cannot be read. */
static inline char *lf_read_shared(const char *rel, size_t *len)
{
	char path[4096];
	char *data = test_read_file(lf_shared_path(path, sizeof(path), rel), len);

	if (!data) {
		fprintf(stderr, "  cannot read fixture '%s'\n", path);
		test_failures++;
	}
	return data;
}

static inline bool lf_str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Runs a shell command; its stdout (malloc'd, NUL-terminated) or NULL when it failed. */
static inline char *lf_run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *out = NULL;
	size_t cap = 0, n = 0, got;

	if (!p)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *np = realloc(out, (cap += 65536) + 1);

			if (!np) {
				free(out);
				pclose(p);
				return NULL;
			}
			out = np;
		}
		got = fread(out + n, 1, cap - n, p);
		n += got;
	} while (got > 0);
	if (pclose(p) != 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

/* Writes text to path (directories made); false on failure. */
static inline bool lf_write(const char *path, const void *data, size_t n)
{
	char dir[4096], *slash;
	FILE *f;
	bool ok;

	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	if (!(f = fopen(path, "wb")))
		return false;
	ok = fwrite(data, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

/* Copies the file from to root/rel. */
static inline void lf_copy(const char *from, const char *root, const char *rel)
{
	char to[4096];
	size_t len;
	char *data = test_read_file(from, &len);

	if (!data) {
		fprintf(stderr, "  cannot read '%s'\n", from);
		test_failures++;
		return;
	}
	snprintf(to, sizeof(to), "%s/%s", root, rel);
	CHECK(lf_write(to, data, len));
	free(data);
}

/* --- comparing results ---------------------------------------------------- */

/* One expected package: licenses "a|b" (NULL: not compared, "": none). */
typedef struct lf_want {
	const char *name, *version, *licenses, *purl;
} lf_want;

/* The package of f with this name and version, or NULL. */
static inline const cs_langpkg *lf_find(const cs_langfile *f, const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < f->npkgs; i++)
		if (lf_str_eq(f->pkgs[i].name, name) && lf_str_eq(f->pkgs[i].version, version))
			return &f->pkgs[i];
	return NULL;
}

/* p's licenses joined with '|'. */
static inline void lf_licenses(cs_buf *b, const cs_langpkg *p)
{
	size_t i;

	cs_buf_reset(b);
	for (i = 0; i < p->nlicenses; i++)
		cs_buf_printf(b, "%s%s", i ? "|" : "", p->licenses[i]);
}

/* f must hold exactly the n packages of want (any order), each field that want gives. */
static inline void lf_check(const char *label, const cs_langfile *f, const lf_want *want, size_t n)
{
	cs_buf b;
	size_t i;

	cs_buf_init(&b, 0);
	if (f->npkgs != n) {
		fprintf(stderr, "  %s: %zu packages, expected %zu\n", label, f->npkgs, n);
		test_failures++;
		for (i = 0; i < f->npkgs; i++)
			fprintf(stderr, "    have %s %s\n", f->pkgs[i].name, f->pkgs[i].version);
	}
	for (i = 0; i < n; i++) {
		const cs_langpkg *p = lf_find(f, want[i].name, want[i].version);

		if (!p) {
			fprintf(stderr, "  %s: no %s %s\n", label, want[i].name, want[i].version);
			test_failures++;
			continue;
		}
		if (want[i].licenses) {
			lf_licenses(&b, p);
			if (!lf_str_eq(b.data, want[i].licenses)) {
				fprintf(stderr, "  %s: %s licenses \"%s\", expected \"%s\"\n", label, p->name,
					b.data ? b.data : "", want[i].licenses);
				test_failures++;
			}
		}
		if (want[i].purl && !lf_str_eq(p->purl, want[i].purl)) {
			fprintf(stderr, "  %s: %s purl \"%s\", expected \"%s\"\n", label, p->name, p->purl ? p->purl : "",
				want[i].purl);
			test_failures++;
		}
	}
	cs_buf_release(&b);
}

/* Every package of f must be well formed: what the frame and reports rely on. */
static inline void lf_check_sane(const cs_langfile *f)
{
	size_t i, j;

	for (i = 0; i < f->npkgs; i++) {
		const cs_langpkg *p = &f->pkgs[i];
		bool ok = p->name && *p->name && p->version && *p->version && (p->nlicenses == 0 || p->licenses);

		for (j = 0; ok && p->name[j]; j++)
			ok = (unsigned char)p->name[j] >= 0x20 && p->name[j] != 0x7f;
		for (j = 0; ok && p->version[j]; j++)
			ok = (unsigned char)p->version[j] >= 0x20 && p->version[j] != 0x7f;
		for (j = 0; ok && j < p->nlicenses; j++)
			ok = p->licenses[j] != NULL;
		if (!ok) {
			fprintf(stderr, "  malformed package %zu\n", i);
			test_failures++;
			return;
		}
	}
}

/* --- hostile input --------------------------------------------------------- */

/*
 * Runs parse on len bytes copied to a buffer of exactly len + 1 bytes (the
 * NUL the walker adds; ASan sees any overread); checks the result is sane,
 * that a refusal says why, and that the code is one the frame expects.
 */
static inline int lf_parse_exact(cs_langcat_parse_fn parse, const char *path, const char *data, size_t len)
{
	char *copy = malloc(len + 1);
	cs_langfile f;
	cs_arena a;
	cs_err err;
	int rc;

	if (!copy)
		return CS_ENOMEM;
	memcpy(copy, data, len);
	copy[len] = '\0';
	cs_arena_init(&a);
	cs_err_clear(&err);
	memset(&f, 0, sizeof(f));
	rc = parse(&f, &a, path, copy, len, &err);
	if (rc == 0)
		lf_check_sane(&f);
	else if (rc != CS_EFORMAT && rc != CS_ELIMIT) {
		fprintf(stderr, "  %s: unexpected code %d\n", path, rc);
		test_failures++;
	} else if (!err.msg[0]) {
		fprintf(stderr, "  %s: refused without a message\n", path);
		test_failures++;
	}
	cs_arena_release(&a);
	free(copy);
	return rc;
}

/* Every prefix of data (up to max bytes), then each of its first max bytes changed in turn. */
static inline void lf_truncate_flip(cs_langcat_parse_fn parse, const char *path, char *data, size_t len, size_t max)
{
	size_t i;

	for (i = 0; i <= len && i <= max; i++)
		lf_parse_exact(parse, path, data, i);
	for (i = 0; i < len && i < max; i++) {
		char saved = data[i];

		data[i] = (char)(i % 7 == 0 ? 0 : i % 5 == 0 ? 0x80 : saved ^ 0x55);
		lf_parse_exact(parse, path, data, len);
		data[i] = saved;
	}
}

/* Replays tests/fuzz/corpus/<name> through parse, each file whole and truncated at every byte. */
static inline void lf_replay_corpus(const char *name, cs_langcat_parse_fn parse, const char *const *paths,
				    size_t npaths)
{
	char dir[256];
	DIR *d;
	struct dirent *de;
	size_t n = 0, i, k;

	snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
	d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t len;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!(data = test_read_file(path, &len)))
			continue;
		for (k = 0; k < npaths; k++)
			for (i = 0; i <= len; i++)
				lf_parse_exact(parse, paths[k], data, i);
		free(data);
		n++;
	}
	closedir(d);
	CHECK(n > 0);
}

/* --- whole scans ------------------------------------------------------------- */

static inline cs_scan *lf_scan(const char *target, bool rootfs)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;

	cs_scan_opts_default(&o);
	o.jobs = 2;
	cs_err_clear(&err);
	if (cs_scan_run(&s, target, rootfs, &o, &err) < 0) {
		fprintf(stderr, "  scan of '%s' failed: %s\n", target, err.msg);
		test_failures++;
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

/* The package of this type read from found_in with this name, or NULL. */
static inline const cs_package *lf_scan_find(const cs_scan *s, const char *type, const char *found_in,
					     const char *name)
{
	size_t i;

	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		if (strcmp(p->type, type) == 0 && lf_str_eq(p->found_in, found_in) && (!name || lf_str_eq(p->name, name)))
			return p;
	}
	return NULL;
}

static inline size_t lf_count_type(const cs_scan *s, const char *type)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_package_count(s); i++)
		n += strcmp(cs_scan_package(s, i)->type, type) == 0;
	return n;
}

/* Whether some diagnostic holds both strings. */
static inline bool lf_diag_has(const cs_scan *s, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < cs_scan_diag_count(s); i++) {
		int level;
		const char *msg = cs_scan_diag_get(s, i, &level);

		if (strstr(msg, a) && (!b || strstr(msg, b)))
			return true;
	}
	return false;
}

/* One file of a built layer (text NULL: a directory). */
typedef struct lf_entry {
	const char *path;
	const char *text;
} lf_entry;

/* Writes a docker-save archive to path; layers[i] is a NULL-path-terminated list. */
static inline bool lf_docker_write(const char *path, const lf_entry *const *layers, size_t n)
{
	tarb outer, t;
	cs_buf cfg, man;
	char name[64], digest[CS_DIGEST_MAX];
	uint8_t *blob;
	size_t i, bn;
	bool ok = true;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&man, 0);
	tb_open(&outer, 'p');
	cs_buf_puts(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"lang-test:1\"],\"Layers\":[");
	for (i = 0; i < n && ok; i++) {
		const lf_entry *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++) {
			if (e->text)
				tb_file(&t, e->path, e->text);
			else
				tb_dir(&t, e->path);
		}
		if (!(blob = tb_close(&t, &bn))) {
			ok = false;
			break;
		}
		cs_sha256_buf(blob, bn, digest);
		snprintf(name, sizeof(name), "l%zu/layer.tar", i);
		tb_entry(&outer, name, AE_IFREG, 0644, blob, bn, NULL, NULL);
		free(blob);
		cs_buf_printf(&cfg, "%s\"%s\"", i ? "," : "", digest);
		cs_buf_printf(&man, "%s\"%s\"", i ? "," : "", name);
	}
	cs_buf_puts(&cfg, "]}}");
	cs_buf_puts(&man, "]}]");
	tb_entry(&outer, "config.json", AE_IFREG, 0644, cfg.data, cfg.len, NULL, NULL);
	tb_entry(&outer, "manifest.json", AE_IFREG, 0644, man.data, man.len, NULL, NULL);
	blob = tb_close(&outer, &bn);
	ok = ok && blob && lf_write(path, blob, bn);
	free(blob);
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

/* A fresh temporary directory in buf (a "/tmp/customs-test-<what>-XXXXXX" template); false on failure. */
static inline bool lf_tmpdir(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "/tmp/customs-test-%s-XXXXXX", what);
	if (!mkdtemp(buf)) {
		fprintf(stderr, "  cannot make a temporary directory\n");
		test_failures++;
		return false;
	}
	return true;
}

#endif
