/*
 * catfix.h - what the cataloger tests (test_apk.c ... test_dotnet.c) share:
 * the shared fixtures, files and temporary trees, programs run as oracles,
 * archives built on the fly (docker-save images, zips, ELF files), whole
 * scans and what they found, checks of a cs_langfile against expected
 * packages, and hostile-input drivers for a parser (exact-size copies,
 * truncation and byte flips, the fuzz corpus).
 *
 * Header-only (static inline, so each test binary takes what it uses) and
 * built on the harness in test.h: failures count in test_failures.
 * testutil.h, below it, stays free of the harness for the fuzz targets.
 */
#ifndef CS_CATFIX_H
#define CS_CATFIX_H

#include "core/compat.h"
#include "catalog/langcat.h"

#include <dirent.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/testutil.h"

/* --- strings and shared fixtures -------------------------------------------- */

/* NULL and "" are equal. */
static inline bool cf_str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static inline char *cf_shared_path(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/%s", test_shared(), rel);
	return buf;
}

/* A shared fixture (rel to ../shared), malloc'd; NULL (and a failure) when it cannot be read. */
static inline char *cf_read_shared(const char *rel, size_t *len)
{
	char path[8192];
	char *data = test_read_file(cf_shared_path(path, sizeof(path), rel), len);

	if (!data) {
		fprintf(stderr, "  cannot read fixture '%s'\n", path);
		test_failures++;
	}
	return data;
}

/* A JSON document read from path; NULL (and a failure, unless quiet) when it cannot be read or parsed. */
static inline cJSON *cf_read_json_file(const char *path, bool quiet)
{
	size_t len;
	char *text = test_read_file(path, &len);
	cJSON *j;
	cs_err err;

	if (!text) {
		if (!quiet) {
			fprintf(stderr, "  cannot read '%s'\n", path);
			test_failures++;
		}
		return NULL;
	}
	cs_err_clear(&err);
	j = cs_json_parse(text, len, cs_path_base(path), &err);
	free(text);
	if (!j) {
		fprintf(stderr, "  %s\n", err.msg);
		test_failures++;
	}
	return j;
}

/* A shared JSON fixture; NULL (and a failure) when it cannot be read or parsed. */
static inline cJSON *cf_read_json(const char *rel)
{
	char path[8192];

	return cf_read_json_file(cf_shared_path(path, sizeof(path), rel), false);
}

/* --- files and temporary trees ------------------------------------------------ */

/* Makes the directories above path (those there already are fine). */
static inline void cf_mkparents(const char *path)
{
	char dir[8192], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
}

/* Writes data[0..n) to path, its directories made; false on failure. */
static inline bool cf_write(const char *path, const void *data, size_t n)
{
	FILE *f;
	bool ok;

	cf_mkparents(path);
	if (!(f = fopen(path, "wb")))
		return false;
	ok = fwrite(data, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

/* Writes data[0..n) to root/rel (directories made); a failure counts. */
static inline void cf_put_bytes(const char *root, const char *rel, const void *data, size_t n)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!cf_write(path, data, n)) {
		fprintf(stderr, "  cannot write '%s'\n", path);
		test_failures++;
	}
}

/* Writes text to root/rel (directories made); a failure counts. */
static inline void cf_put(const char *root, const char *rel, const char *text)
{
	cf_put_bytes(root, rel, text, strlen(text));
}

/* Copies the file from (its bytes and permission bits) to root/rel; a failure counts. */
static inline void cf_copy(const char *from, const char *root, const char *rel)
{
	char to[8192];
	struct stat st;
	size_t len;
	char *data = test_read_file(from, &len);

	if (!data || stat(from, &st) != 0) {
		fprintf(stderr, "  cannot read '%s'\n", from);
		test_failures++;
		free(data);
		return;
	}
	snprintf(to, sizeof(to), "%s/%s", root, rel);
	CHECK(cf_write(to, data, len) && chmod(to, st.st_mode & 07777) == 0);
	free(data);
}

/* Copies the shared fixture rel to root/to; a failure counts. */
static inline void cf_copy_shared(const char *rel, const char *root, const char *to)
{
	char path[8192];

	cf_copy(cf_shared_path(path, sizeof(path), rel), root, to);
}

/* A fresh temporary directory in buf (a "/tmp/customs-test-<what>-XXXXXX" template); false (a failure) if not. */
static inline bool cf_tmpdir(char *buf, size_t n, const char *what)
{
	snprintf(buf, n, "/tmp/customs-test-%s-XXXXXX", what);
	if (!mkdtemp(buf)) {
		fprintf(stderr, "  cannot make a temporary directory\n");
		test_failures++;
		return false;
	}
	return true;
}

/* A fresh empty file "/tmp/customs-test-<what>-XXXXXX<suffix>", its name in buf; false (a failure) if not. */
static inline bool cf_tmpfile(char *buf, size_t n, const char *what, const char *suffix)
{
	int fd;

	snprintf(buf, n, "/tmp/customs-test-%s-XXXXXX%s", what, suffix);
	if ((fd = mkstemps(buf, (int)strlen(suffix))) < 0) {
		fprintf(stderr, "  cannot make a temporary file\n");
		test_failures++;
		return false;
	}
	close(fd);
	return true;
}

/*
 * One file of a tree, a layer or a zip built here: len bytes of data at
 * path; len 0 takes strlen(data) (text); data NULL is a directory; mode 0
 * is 0644. Lists of them end with a NULL path.
 */
typedef struct cf_entry {
	const char *path;
	const void *data;
	size_t len;
	unsigned mode;
} cf_entry;

/* A text file, a directory, the end of a list. */
#define CF_TEXT(path, text) {(path), (text), 0, 0}
#define CF_DIR(path) {(path), NULL, 0, 0}
#define CF_END {NULL, NULL, 0, 0}

static inline size_t cf_entry_len(const cf_entry *e)
{
	return e->len ? e->len : strlen((const char *)e->data);
}

/* Writes the entries under root (directories made, modes set); false at the first failure. */
static inline bool cf_write_tree(const char *root, const cf_entry *e)
{
	char path[8192];

	for (; e->path; e++) {
		snprintf(path, sizeof(path), "%s/%s", root, e->path);
		if (!e->data) {
			cf_mkparents(path);
			if (mkdir(path, 0755) != 0)
				return false;
			continue;
		}
		if (!cf_write(path, e->data, cf_entry_len(e)) || (e->mode && chmod(path, e->mode) != 0))
			return false;
	}
	return true;
}

/* --- programs ------------------------------------------------------------------- */

/* Runs a shell command: its stdout (malloc'd, NUL-terminated) and *status (pclose's); NULL if it did not run. */
static inline char *cf_capture(const char *cmd, int *status)
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
	*status = pclose(p);
	out[n] = '\0';
	return out;
}

/* Runs a shell command; its stdout (malloc'd, NUL-terminated) or NULL when it failed. */
static inline char *cf_run(const char *cmd)
{
	int status;
	char *out = cf_capture(cmd, &status);

	if (out && status != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Runs a shell command made from fmt; true when it exits 0. Its output goes where the test's goes. */
static inline bool cf_sh(const char *fmt, ...) CS_PRINTF(1, 2);

static inline bool cf_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/*
 * Runs the program text prog as "<runner> <file> < <input file>" (through
 * files: no shell quoting to get wrong); its stdout, or NULL when it failed.
 */
static inline char *cf_run_script(const char *runner, const char *prog, const char *input)
{
	char pp[] = "/tmp/customs-test-prog-XXXXXX", ip[] = "/tmp/customs-test-input-XXXXXX", cmd[8192];
	int pfd = mkstemp(pp), ifd = mkstemp(ip);
	char *out = NULL;

	if (pfd >= 0 && ifd >= 0 && write(pfd, prog, strlen(prog)) == (ssize_t)strlen(prog) &&
	    write(ifd, input, strlen(input)) == (ssize_t)strlen(input)) {
		snprintf(cmd, sizeof(cmd), "%s %s < %s", runner, pp, ip);
		out = cf_run(cmd);
	}
	if (pfd >= 0) {
		close(pfd);
		unlink(pp);
	}
	if (ifd >= 0) {
		close(ifd);
		unlink(ip);
	}
	return out;
}

/*
 * Compares our answers with an oracle's, line by line: labels names the
 * lines, who the oracle. same (NULL: byte equality) says whether two lines
 * agree. Prints the first ten differences; returns their number, one more
 * when an answer ends early.
 */
static inline size_t cf_diff_lines(const char *labels, const char *ours, const char *theirs, const char *who,
				   bool (*same)(const char *a, size_t an, const char *b, size_t bn))
{
	size_t ndiff = 0;

	while (*labels) {
		const char *nl = strchr(labels, '\n'), *na = strchr(ours, '\n'), *nb = strchr(theirs, '\n');

		if (!nl || !na || !nb) {
			fprintf(stderr, "  %s output ends early\n", !na ? "our" : who);
			return ndiff + 1;
		}
		if (same ? !same(ours, (size_t)(na - ours), theirs, (size_t)(nb - theirs))
			 : na - ours != nb - theirs || memcmp(ours, theirs, (size_t)(na - ours)) != 0) {
			if (ndiff++ < 10)
				fprintf(stderr, "  %.*s: ours \"%.*s\", %s \"%.*s\"\n", (int)(nl - labels), labels,
					(int)(na - ours), ours, who, (int)(nb - theirs), theirs);
		}
		labels = nl + 1, ours = na + 1, theirs = nb + 1;
	}
	return ndiff;
}

/* --- the host's dpkg --------------------------------------------------------------- */

/* The package dpkg -S's output out names as the owner of path, without its ":arch"; "" when none does. */
static inline void cf_dpkg_owner(const char *out, const char *path, char *owner, size_t n)
{
	const char *at = out;
	size_t plen = strlen(path);

	*owner = '\0';
	while (out && (at = strstr(at, path)) != NULL) {
		if (at[plen] == '\n' && at >= out + 2 && at[-2] == ':' && at[-1] == ' ') {
			const char *bol = at - 2;

			while (bol > out && bol[-1] != '\n')
				bol--;
			snprintf(owner, n, "%.*s", (int)strcspn(bol, ":"), bol);
			return;
		}
		at++;
	}
}

/*
 * A root filesystem for checking owners against the host's dpkg: root
 * gets each file of files (absolute paths, one a line) at its place, and,
 * on a host with dpkg, its os-release and status and the file list of
 * every package dpkg -S names as the owner of one. Returns dpkg -S's output
 * ("pkg[:arch]: path" lines; "" without dpkg; malloc'd), or NULL (a failure).
 */
static inline char *cf_dpkg_root(const char *root, const char *files)
{
	const char *line;
	char *owners;
	cs_buf cmd;

	cs_buf_init(&cmd, 0);
	cs_buf_puts(&cmd, "dpkg -S");
	for (line = files; *line;) {
		const char *nl = strchr(line, '\n');
		char path[4096];

		snprintf(path, sizeof(path), "%.*s", (int)(nl - line), line);
		cs_buf_printf(&cmd, " '%s'", path);
		cf_copy(path, root, path + 1);
		line = nl + 1;
	}
	/* Unowned files only on stderr. */
	cs_buf_puts(&cmd, " 2>/dev/null; true");
	if (access("/var/lib/dpkg/status", R_OK) != 0) {
		cs_buf_release(&cmd);
		return strdup("");
	}
	cf_copy("/etc/os-release", root, "etc/os-release");
	cf_copy("/var/lib/dpkg/status", root, "var/lib/dpkg/status");
	owners = cf_run(cmd.data);
	cs_buf_release(&cmd);
	CHECK(owners != NULL);
	/* The .list files of the owners, under the name dpkg keeps them. */
	for (line = owners; line && *line;) {
		const char *nl = strchr(line, '\n'), *colon = strstr(line, ": ");
		char list[4096];

		if (!nl)
			break;
		if (colon && colon < nl) {
			snprintf(list, sizeof(list), "/var/lib/dpkg/info/%.*s.list", (int)(colon - line), line);
			if (access(list, R_OK) != 0) {
				/* "pkg" for "pkg:amd64.list", or the other way round. */
				const char *ac = memchr(line, ':', (size_t)(colon - line));

				if (ac)
					snprintf(list, sizeof(list), "/var/lib/dpkg/info/%.*s.list", (int)(ac - line),
						 line);
				else
					snprintf(list, sizeof(list), "/var/lib/dpkg/info/%.*s:amd64.list",
						 (int)(colon - line), line);
			}
			cf_copy(list, root, list + 1);
		}
		line = nl + 1;
	}
	return owners;
}

/* --- what a parser found ---------------------------------------------------------- */

/* One expected package: licenses "a|b" (NULL: not compared, "": none), purl NULL: not compared. */
typedef struct cf_want {
	const char *name, *version, *licenses, *purl;
} cf_want;

/* The package of f with this name and version (NULL: any), or NULL. */
static inline const cs_langpkg *cf_find(const cs_langfile *f, const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < f->npkgs; i++)
		if (cf_str_eq(f->pkgs[i].name, name) && (!version || cf_str_eq(f->pkgs[i].version, version)))
			return &f->pkgs[i];
	return NULL;
}

/* p's licenses joined with '|'. */
static inline void cf_licenses(cs_buf *b, const cs_langpkg *p)
{
	size_t i;

	cs_buf_reset(b);
	for (i = 0; i < p->nlicenses; i++)
		cs_buf_printf(b, "%s%s", i ? "|" : "", p->licenses[i]);
}

/* p (a failure when NULL) must have the licenses want ("a|b", "" for none). */
static inline void cf_check_licenses(const char *label, const cs_langpkg *p, const char *want)
{
	cs_buf b;

	if (!p) {
		fprintf(stderr, "  %s: no package\n", label);
		test_failures++;
		return;
	}
	cs_buf_init(&b, 0);
	cf_licenses(&b, p);
	if (!cf_str_eq(b.data, want)) {
		fprintf(stderr, "  %s: %s licenses \"%s\", expected \"%s\"\n", label, p->name, b.data ? b.data : "",
			want);
		test_failures++;
	}
	cs_buf_release(&b);
}

/* f must hold exactly the n packages of want (any order), each field that want gives. */
static inline void cf_check(const char *label, const cs_langfile *f, const cf_want *want, size_t n)
{
	size_t i;

	if (f->npkgs != n) {
		fprintf(stderr, "  %s: %zu packages, expected %zu\n", label, f->npkgs, n);
		test_failures++;
		for (i = 0; i < f->npkgs; i++)
			fprintf(stderr, "    have %s %s\n", f->pkgs[i].name, f->pkgs[i].version);
	}
	for (i = 0; i < n; i++) {
		const cs_langpkg *p = cf_find(f, want[i].name, want[i].version);

		if (!p) {
			fprintf(stderr, "  %s: no %s %s\n", label, want[i].name, want[i].version);
			test_failures++;
			continue;
		}
		if (want[i].licenses)
			cf_check_licenses(label, p, want[i].licenses);
		if (want[i].purl && !cf_str_eq(p->purl, want[i].purl)) {
			fprintf(stderr, "  %s: %s purl \"%s\", expected \"%s\"\n", label, p->name,
				p->purl ? p->purl : "", want[i].purl);
			test_failures++;
		}
	}
}

/*
 * A package of Trivy's expected output ({"Name", "Version", "Licenses"})
 * as a cf_want: its licenses joined with '|' ("" for none), the purl
 * "pkg:<purl_type>/<name>@<version>" (purl_type NULL: not compared);
 * strings in a.
 */
static inline cf_want cf_trivy_want(const cJSON *pkg, cs_arena *a, const char *purl_type)
{
	const cJSON *l;
	cf_want w;
	cs_buf lic;

	cs_buf_init(&lic, 0);
	cJSON_ArrayForEach(l, cs_json_arr(pkg, "Licenses"))
		cs_buf_printf(&lic, "%s%s", lic.len ? "|" : "", cJSON_GetStringValue(l));
	w.name = cs_json_str(pkg, "Name");
	w.version = cs_json_str(pkg, "Version");
	w.licenses = cs_arena_strdup(a, lic.data ? lic.data : "");
	w.purl = purl_type ? cs_arena_printf(a, "pkg:%s/%s@%s", purl_type, w.name, w.version) : NULL;
	cs_buf_release(&lic);
	return w;
}

static inline int cf_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Compares f's packages with want[0..n) ("name@version" or, with purls,
 * "name@version purl", the purl "-" for none) as multisets.
 */
static inline void cf_check_ids(const char *label, const cs_langfile *f, const char *const *want, size_t n,
				bool purls)
{
	char **got = calloc(f->npkgs + 1, sizeof(*got));
	const char **exp = calloc(n + 1, sizeof(*exp));
	size_t i;
	bool same;

	if (!got || !exp) {
		test_failures++;
		free(got);
		free(exp);
		return;
	}
	for (i = 0; i < f->npkgs; i++) {
		const cs_langpkg *p = &f->pkgs[i];
		size_t m = strlen(p->name) + strlen(p->version) + (p->purl ? strlen(p->purl) : 1) + 3;

		if (!(got[i] = malloc(m)))
			abort();
		if (purls)
			snprintf(got[i], m, "%s@%s %s", p->name, p->version, p->purl ? p->purl : "-");
		else
			snprintf(got[i], m, "%s@%s", p->name, p->version);
	}
	memcpy(exp, want, n * sizeof(*exp));
	qsort(got, f->npkgs, sizeof(*got), cf_cmp_str);
	qsort(exp, n, sizeof(*exp), cf_cmp_str);
	same = f->npkgs == n;
	for (i = 0; same && i < n; i++)
		same = strcmp(got[i], exp[i]) == 0;
	if (!same) {
		fprintf(stderr, "  %s: got %zu packages, expected %zu\n", label, f->npkgs, n);
		for (i = 0; i < f->npkgs || i < n; i++)
			fprintf(stderr, "    %-60s %s\n", i < f->npkgs ? got[i] : "", i < n ? exp[i] : "");
		test_failures++;
	}
	for (i = 0; i < f->npkgs; i++)
		free(got[i]);
	free(got);
	free(exp);
}

/* s is not empty and holds no control byte. */
static inline bool cf_clean(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Every package of f must be well formed: what the frame and reports rely on. */
static inline void cf_check_sane(const cs_langfile *f)
{
	size_t i, j;

	for (i = 0; i < f->npkgs; i++) {
		const cs_langpkg *p = &f->pkgs[i];
		bool ok = cf_clean(p->name) && cf_clean(p->version) && (!p->purl || cf_clean(p->purl)) &&
			  (p->nlicenses == 0 || p->licenses);

		for (j = 0; ok && j < p->nlicenses; j++)
			ok = p->licenses[j] != NULL;
		if (!ok) {
			fprintf(stderr, "  malformed package %zu\n", i);
			test_failures++;
			return;
		}
	}
}

/* --- what an analyzer wants ----------------------------------------------------------- */

/* A path, a mode and whether the analyzer wants such an entry. */
typedef struct cf_wants_case {
	const char *path;
	uint32_t mode;
	bool want;
} cf_wants_case;

/* an's wants() must answer each case as it says. */
static inline void cf_check_wants(const cs_analyzer *an, const cf_wants_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (an->wants(c[i].path, c[i].mode) != c[i].want) {
			fprintf(stderr, "  %s: wants('%s', %o) != %d\n", an->name, c[i].path, (unsigned)c[i].mode,
				c[i].want);
			test_failures++;
		}
}

/* A path and the kind a language cataloger's kind() gives it (0 for none, in every one). */
typedef struct cf_kind_case {
	const char *path;
	int kind;
} cf_kind_case;

/* kind() must give each path its kind, and an must want the regular files of a kind, never a link or a directory. */
static inline void cf_check_kinds(int (*kind)(const char *path), const cs_analyzer *an, const cf_kind_case *c,
				  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int k = kind(c[i].path);

		if (k != c[i].kind) {
			fprintf(stderr, "  kind('%s') == %d, expected %d\n", c[i].path, k, c[i].kind);
			test_failures++;
		}
		if (an->wants(c[i].path, S_IFREG | 0644) != (c[i].kind != 0) || an->wants(c[i].path, S_IFLNK | 0777) ||
		    an->wants(c[i].path, S_IFDIR | 0755)) {
			fprintf(stderr, "  %s: wants('%s') is not what its kind says\n", an->name, c[i].path);
			test_failures++;
		}
	}
}

/* --- driving a parser ----------------------------------------------------------------- */

/* How a parser is called and what it may answer besides 0 and CS_EFORMAT (with a message). */
enum {
	CF_NUL = 1,      /* the copy ends in the NUL the walker adds (data[len] is readable) */
	CF_NOTFOUND = 2, /* CS_ENOTFOUND: not this kind of file after all */
	CF_LIMIT = 4,    /* CS_ELIMIT, with a message */
	CF_LOCKFILE = 8, /* what it reads is a lockfile (cs_langfile.lockfile) */
};

/* A cs_langfile parser and its flags. */
typedef struct cf_parser {
	cs_langcat_parse_fn parse;
	unsigned flags;
} cf_parser;

/*
 * Runs p on data[0..len) copied to a buffer of exactly len bytes (len + 1,
 * the last a NUL, with CF_NUL), so ASan sees any over-read. Checks that a
 * result is sane, that a refusal says why and that the code is one p may
 * answer. Returns the code; *f holds the result (from a) for the caller.
 */
static inline int cf_parse_copy(const cf_parser *p, const char *path, const void *data, size_t len, cs_langfile *f,
				cs_arena *a, cs_err *err)
{
	size_t extra = (p->flags & CF_NUL) ? 1 : 0;
	char *copy = malloc(len + extra > 0 ? len + extra : 1);
	int rc;

	if (!copy)
		return CS_ENOMEM;
	memcpy(copy, data, len);
	if (extra)
		copy[len] = '\0';
	cs_err_clear(err);
	memset(f, 0, sizeof(*f));
	rc = p->parse(f, a, path, copy, len, err);
	if (rc == 0) {
		cf_check_sane(f);
		if ((p->flags & CF_LOCKFILE) && !f->lockfile) {
			fprintf(stderr, "  %s: not a lockfile\n", path);
			test_failures++;
		}
	} else if (rc == CS_ENOTFOUND && (p->flags & CF_NOTFOUND)) {
		/* quietly not this kind of file */
	} else if (rc != CS_EFORMAT && !(rc == CS_ELIMIT && (p->flags & CF_LIMIT))) {
		fprintf(stderr, "  %s: unexpected code %d\n", path, rc);
		test_failures++;
	} else if (!err->msg[0]) {
		fprintf(stderr, "  %s: refused without a message\n", path);
		test_failures++;
	}
	free(copy);
	return rc;
}

/* cf_parse_copy with its own arena, result and error. */
static inline int cf_parse_exact(const cf_parser *p, const char *path, const void *data, size_t len)
{
	cs_langfile f;
	cs_arena a;
	cs_err err;
	int rc;

	cs_arena_init(&a);
	rc = cf_parse_copy(p, path, data, len, &f, &a, &err);
	cs_arena_release(&a);
	return rc;
}

/* Parses a shared fixture as the file at path; CS_EIO (and a failure) when it cannot be read. */
static inline int cf_parse_fixture(cs_langcat_parse_fn parse, cs_langfile *f, cs_arena *a, const char *rel,
				   const char *path, cs_err *err)
{
	size_t len;
	char *data = cf_read_shared(rel, &len);
	int rc;

	memset(f, 0, sizeof(*f));
	if (!data)
		return CS_EIO;
	cs_err_clear(err);
	rc = parse(f, a, path, data, len, err);
	free(data);
	return rc;
}

/* Parses a C string as the file at path. */
static inline int cf_parse_text(cs_langcat_parse_fn parse, cs_langfile *f, cs_arena *a, const char *path,
				const char *text, cs_err *err)
{
	cs_err_clear(err);
	return parse(f, a, path, text, strlen(text), err);
}

/* A shared fixture and the packages it must give (see cf_check_ids, purls compared). */
typedef struct cf_ids_case {
	const char *rel;
	const char *const *want;
	size_t n;
} cf_ids_case;

/* Each fixture, parsed by p as the file at path, must give exactly its packages, none malformed. */
static inline void cf_check_ids_fixtures(const cf_parser *p, const char *path, const cf_ids_case *c, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		char *data = cf_read_shared(c[i].rel, &len);
		cs_langfile f;
		cs_arena a;
		cs_err err;

		if (!data)
			continue;
		cs_arena_init(&a);
		CHECK_INT(cf_parse_copy(p, path, data, len, &f, &a, &err), 0);
		cf_check_ids(c[i].rel, &f, c[i].want, c[i].n, true);
		CHECK_INT(f.nbad, 0);
		cs_arena_release(&a);
		free(data);
	}
}

/*
 * Trivy's parser test cases (dir/expected.trivy.json: "cases", each an
 * "input" file of dir and the "packages" Trivy finds in it): each input,
 * parsed by parse as the file at path, must hold exactly those packages
 * (cf_trivy_want, purls of purl_type), none malformed, and be a lockfile
 * or not as lockfile says. Returns the number of cases.
 */
static inline size_t cf_trivy_cases(cs_langcat_parse_fn parse, const char *dir, const char *path,
				    const char *purl_type, bool lockfile)
{
	char rel[1024];
	const cJSON *c, *p;
	size_t ncases = 0;
	cJSON *j;

	snprintf(rel, sizeof(rel), "%s/expected.trivy.json", dir);
	if (!(j = cf_read_json(rel)))
		return 0;
	cJSON_ArrayForEach(c, cs_json_arr(j, "cases"))
	{
		const char *input = cs_json_str(c, "input");
		cf_want want[64];
		size_t n = 0;
		cs_langfile f;
		cs_arena a;
		cs_err err;

		if (!input)
			continue;
		cs_arena_init(&a);
		cJSON_ArrayForEach(p, cs_json_arr(c, "packages"))
		{
			if (n < CS_ARRAY_LEN(want))
				want[n++] = cf_trivy_want(p, &a, purl_type);
		}
		snprintf(rel, sizeof(rel), "%s/%s", dir, input);
		CHECK_INT(cf_parse_fixture(parse, &f, &a, rel, path, &err), 0);
		CHECK(f.lockfile == lockfile);
		CHECK_INT(f.nbad, 0);
		cf_check(input, &f, want, n);
		cs_arena_release(&a);
		ncases++;
	}
	cJSON_Delete(j);
	return ncases;
}

/* One try of a hostile-input driver: data[0..len) through a parser, checked as the caller likes. */
typedef void (*cf_try_fn)(const char *data, size_t len, void *payload);

/*
 * Every prefix of data up to ncut bytes long, then each of its first nflip
 * bytes changed in turn (to NUL, to 0x80 or flipped), each through try.
 */
static inline void cf_cut_flip(cf_try_fn try_, void *payload, char *data, size_t len, size_t ncut, size_t nflip)
{
	size_t i;

	for (i = 0; i <= len && i <= ncut; i++)
		try_(data, i, payload);
	for (i = 0; i < len && i < nflip; i++) {
		char saved = data[i];

		data[i] = (char)(i % 7 == 0 ? 0 : i % 5 == 0 ? 0x80 : saved ^ 0x55);
		try_(data, len, payload);
		data[i] = saved;
	}
}

/* Each byte of data[from..to) set in turn to 0x00, 0xff, 0x7f and 0x80 (then restored), data through try each time. */
static inline void cf_poke(cf_try_fn try_, void *payload, char *data, size_t len, size_t from, size_t to)
{
	static const uint8_t vals[] = {0x00, 0xff, 0x7f, 0x80};
	size_t i, v;

	for (i = from; i < to && i < len; i++) {
		char keep = data[i];

		for (v = 0; v < CS_ARRAY_LEN(vals); v++) {
			data[i] = (char)vals[v];
			try_(data, len, payload);
		}
		data[i] = keep;
	}
}

typedef struct cf_exact_try {
	const cf_parser *p;
	const char *path;
} cf_exact_try;

static inline void cf_exact_try_one(const char *data, size_t len, void *payload)
{
	const cf_exact_try *t = payload;

	cf_parse_exact(t->p, t->path, data, len);
}

/* cf_cut_flip through cf_parse_exact of p as the file at path. */
static inline void cf_truncate_flip(const cf_parser *p, const char *path, char *data, size_t len, size_t ncut,
				    size_t nflip)
{
	cf_exact_try t = {p, path};

	cf_cut_flip(cf_exact_try_one, &t, data, len, ncut, nflip);
}

/* A shared fixture and the path it is parsed as. */
typedef struct cf_fixture {
	const char *rel, *path;
} cf_fixture;

/* cf_truncate_flip of p on each of n fixtures (one that cannot be read is a failure). */
static inline void cf_truncate_flip_fixtures(const cf_parser *p, const cf_fixture *fx, size_t n, size_t ncut,
					     size_t nflip)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		char *data = cf_read_shared(fx[i].rel, &len);

		if (data)
			cf_truncate_flip(p, fx[i].path, data, len, ncut, nflip);
		free(data);
	}
}

/* What cf_garbage takes for any answer (cf_parse_exact still checks it). */
#define CF_ANY 1

/*
 * rounds blocks of size pseudo-random bytes (fill_random, seeds seed,
 * seed + 1, ...), the i-th cut short by i * shrink bytes, each through p
 * as the file at path: each answer must be want (or CF_ANY).
 */
static inline void cf_garbage(const cf_parser *p, const char *path, size_t size, size_t shrink, size_t rounds,
			      uint64_t seed, int want)
{
	uint8_t *buf = malloc(size);
	size_t i;

	if (!buf)
		abort();
	for (i = 0; i < rounds; i++) {
		int rc;

		fill_random(buf, size, seed + i);
		rc = cf_parse_exact(p, path, buf, size - i * shrink);
		if (want != CF_ANY && rc != want) {
			fprintf(stderr, "  %s: random bytes (seed %llu) answered %d, expected %d\n", path,
				(unsigned long long)(seed + i), rc, want);
			test_failures++;
		}
	}
	free(buf);
}

/* One file of a corpus: its name, its bytes (malloc'd, NUL-terminated; the callee may change them). */
typedef void (*cf_file_fn)(const char *name, char *data, size_t len, void *payload);

/* Calls fn on each file of tests/fuzz/corpus/<name>; the number of files (a failure when there is no folder). */
static inline size_t cf_corpus(const char *name, cf_file_fn fn, void *payload)
{
	char dir[256];
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
	d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t len;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!(data = test_read_file(path, &len)))
			continue;
		fn(de->d_name, data, len, payload);
		free(data);
		n++;
	}
	closedir(d);
	return n;
}

typedef struct cf_replay {
	const cf_parser *p;
	const char *const *paths;
	size_t npaths, cuts;
} cf_replay;

static inline void cf_replay_one(const char *name, char *data, size_t len, void *payload)
{
	const cf_replay *r = payload;
	size_t i, k, step = r->cuts ? 1 + len / r->cuts : 1;

	CS_UNUSED(name);
	for (k = 0; k < r->npaths; k++)
		for (i = 0; i <= len; i += step)
			cf_parse_exact(r->p, r->paths[k], data, i);
}

/*
 * Replays tests/fuzz/corpus/<name> through p as each of paths, every file
 * whole and cut short: at every byte, or (cuts not 0) at about cuts places.
 */
static inline void cf_replay_corpus(const char *name, const cf_parser *p, const char *const *paths, size_t npaths,
				    size_t cuts)
{
	cf_replay r = {p, paths, npaths, cuts};

	CHECK(cf_corpus(name, cf_replay_one, &r) > 0);
}

/* --- archives built here ----------------------------------------------------------------- */

/* Writes a docker-save archive to path; layers[i] is a NULL-path-terminated list (a failure counts). */
static inline bool cf_docker_write(const char *path, const cf_entry *const *layers, size_t n)
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
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"customs-test:1\"],\"Layers\":[");
	for (i = 0; i < n && ok; i++) {
		const cf_entry *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++) {
			unsigned mode = e->mode ? e->mode : 0644;

			if (e->data)
				tb_entry(&t, e->path, AE_IFREG, mode, e->data, cf_entry_len(e), NULL, NULL);
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
	ok = ok && blob && cf_write(path, blob, bn);
	free(blob);
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

/* A zip archive built in memory with libarchive's writer. */
typedef struct cf_zip {
	struct archive *a;
	cs_buf out;
	bool failed;
} cf_zip;

static inline la_ssize_t cf_zip_write_cb(struct archive *a, void *payload, const void *p, size_t n)
{
	cf_zip *z = payload;

	CS_UNUSED(a);
	if (cs_buf_append(&z->out, p, n) < 0)
		return -1;
	return (la_ssize_t)n;
}

static inline void cf_zip_open(cf_zip *z)
{
	memset(z, 0, sizeof(*z));
	cs_buf_init(&z->out, 0);
	z->a = archive_write_new();
	archive_write_set_format_zip(z->a);
	archive_write_set_bytes_in_last_block(z->a, 1);
	if (archive_write_open2(z->a, z, NULL, cf_zip_write_cb, NULL, NULL) != ARCHIVE_OK)
		z->failed = true;
}

/* One file entry; stored (not deflated) when store is true. */
static inline void cf_zip_add(cf_zip *z, const char *path, const void *data, size_t n, bool store)
{
	struct archive_entry *e = archive_entry_new();

	if (store)
		archive_write_zip_set_compression_store(z->a);
	else
		archive_write_zip_set_compression_deflate(z->a);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (archive_write_header(z->a, e) != ARCHIVE_OK) {
		fprintf(stderr, "  zip writer: %s: %s\n", path, archive_error_string(z->a));
		z->failed = true;
	}
	if (n && archive_write_data(z->a, data, n) != (la_ssize_t)n)
		z->failed = true;
	archive_entry_free(e);
}

static inline void cf_zip_text(cf_zip *z, const char *path, const char *text)
{
	cf_zip_add(z, path, text, strlen(text), false);
}

static inline void cf_zip_dir(cf_zip *z, const char *path)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (archive_write_header(z->a, e) != ARCHIVE_OK)
		z->failed = true;
	archive_entry_free(e);
}

/* Finishes the zip: malloc'd bytes in *n, or NULL (a failure counts). */
static inline uint8_t *cf_zip_close(cf_zip *z, size_t *n)
{
	if (archive_write_close(z->a) != ARCHIVE_OK)
		z->failed = true;
	archive_write_free(z->a);
	if (z->failed) {
		cs_buf_release(&z->out);
		fprintf(stderr, "  zip writer failed\n");
		test_failures++;
		return NULL;
	}
	return (uint8_t *)cs_buf_detach(&z->out, n);
}

/* A zip of the entries (deflated; directories for NULL data): malloc'd bytes in *n, or NULL (a failure). */
static inline uint8_t *cf_zip_entries(const cf_entry *e, size_t *n)
{
	cf_zip z;

	cf_zip_open(&z);
	for (; e->path; e++) {
		if (e->data)
			cf_zip_add(&z, e->path, e->data, cf_entry_len(e), false);
		else
			cf_zip_dir(&z, e->path);
	}
	return cf_zip_close(&z, n);
}

/* Stores v as an n-byte integer at p + off, big-endian when be. */
static inline void cf_put_uint(uint8_t *p, size_t off, unsigned n, bool be, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++)
		p[off + (be ? n - 1 - i : i)] = (uint8_t)(v >> (8 * i));
}

/* What cf_elf_make builds; the last three fields are set by it (where things went, for tampering). */
typedef struct cf_elf {
	bool is64, be;
	unsigned machine;    /* e_machine */
	const char *section; /* the one named section, holding the bytes; NULL: no section headers */
	uint32_t type;       /* its sh_type and sh_flags */
	uint64_t flags;
	bool segment;        /* the bytes in a writable PT_LOAD segment at file offset CF_ELF_SEG_OFF */
	uint64_t vaddr;      /* the segment's (and the section's) address */
	size_t payload;      /* set: file offset of the bytes */
	size_t shoff;        /* set: section header table (0: none) */
	size_t shentsize;    /* set: its entry size */
} cf_elf;

#define CF_ELF_SEG_OFF 0x100

/*
 * A minimal ELF executable holding payload[0..n): the header, with
 * e->segment one program header, the bytes (at CF_ELF_SEG_OFF with a
 * segment, else right after the header), and with e->section the names'
 * string table and three section headers (null, e->section, .shstrtab).
 * malloc'd, *len bytes; NULL when out of memory.
 */
static inline uint8_t *cf_elf_make(cf_elf *e, const void *payload, size_t n, size_t *len)
{
	const bool is64 = e->is64, be = e->be;
	const unsigned w = is64 ? 8 : 4;
	size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, sh = is64 ? 64 : 40;
	size_t at = e->segment ? CF_ELF_SEG_OFF : eh, sn = e->section ? strlen(e->section) + 1 : 0;
	size_t strtab = (at + n + 7) & ~(size_t)7, strn = 1 + sn + sizeof(".shstrtab");
	size_t shoff = (strtab + strn + 7) & ~(size_t)7, total = e->section ? shoff + 3 * sh : at + n, i;
	uint8_t *p = calloc(1, total);

	if (!p)
		return NULL;
	memcpy(p, "\x7f" "ELF", 4);
	p[4] = is64 ? 2 : 1;
	p[5] = be ? 2 : 1;
	p[6] = 1;
	cf_put_uint(p, 16, 2, be, 2); /* ET_EXEC */
	cf_put_uint(p, 18, 2, be, e->machine);
	cf_put_uint(p, 20, 4, be, 1);
	cf_put_uint(p, is64 ? 52 : 40, 2, be, eh);           /* e_ehsize */
	cf_put_uint(p, is64 ? 58 : 46, 2, be, sh);           /* e_shentsize */
	if (e->segment) {
		cf_put_uint(p, is64 ? 32 : 28, w, be, eh);   /* e_phoff */
		cf_put_uint(p, is64 ? 54 : 42, 2, be, ph);   /* e_phentsize */
		cf_put_uint(p, is64 ? 56 : 44, 2, be, 1);    /* e_phnum */
		cf_put_uint(p, eh, 4, be, 1);                /* PT_LOAD */
		cf_put_uint(p, eh + (is64 ? 4 : 24), 4, be, 6); /* PF_R | PF_W */
		cf_put_uint(p, eh + (is64 ? 8 : 4), w, be, CF_ELF_SEG_OFF);
		cf_put_uint(p, eh + (is64 ? 16 : 8), w, be, e->vaddr);
		cf_put_uint(p, eh + (is64 ? 24 : 12), w, be, e->vaddr);
		cf_put_uint(p, eh + (is64 ? 32 : 16), w, be, n);
		cf_put_uint(p, eh + (is64 ? 40 : 20), w, be, n);
		cf_put_uint(p, eh + (is64 ? 48 : 28), w, be, 0x1000);
	}
	memcpy(p + at, payload, n);
	if (e->section) {
		cf_put_uint(p, is64 ? 40 : 32, w, be, shoff); /* e_shoff */
		cf_put_uint(p, is64 ? 60 : 48, 2, be, 3);     /* e_shnum */
		cf_put_uint(p, is64 ? 62 : 50, 2, be, 2);     /* e_shstrndx */
		memcpy(p + strtab + 1, e->section, sn);
		memcpy(p + strtab + 1 + sn, ".shstrtab", sizeof(".shstrtab"));
		for (i = 1; i < 3; i++) {
			size_t b = shoff + i * sh;

			/* sh_name, sh_type (STRTAB for the names), sh_flags, sh_addr, sh_offset, sh_size */
			cf_put_uint(p, b, 4, be, i == 1 ? 1 : 1 + sn);
			cf_put_uint(p, b + 4, 4, be, i == 1 ? e->type : 3);
			cf_put_uint(p, b + 8, w, be, i == 1 ? e->flags : 0);
			cf_put_uint(p, b + (is64 ? 16 : 12), w, be, i == 1 ? e->vaddr : 0);
			cf_put_uint(p, b + (is64 ? 24 : 16), w, be, i == 1 ? at : strtab);
			cf_put_uint(p, b + (is64 ? 32 : 20), w, be, i == 1 ? n : strn);
		}
	}
	e->payload = at;
	e->shoff = e->section ? shoff : 0;
	e->shentsize = sh;
	*len = total;
	return p;
}

/* --- whole scans ------------------------------------------------------------------------- */

/* Scans target (a directory when rootfs) with jobs workers; NULL (and a failure) when the scan fails. */
static inline cs_scan *cf_scan(const char *target, bool rootfs, int jobs)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;

	cs_scan_opts_default(&o);
	o.jobs = jobs;
	cs_err_clear(&err);
	if (cs_scan_run(&s, target, rootfs, &o, &err) < 0) {
		fprintf(stderr, "  scan of '%s' failed: %s\n", target, err.msg);
		test_failures++;
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

/* Scans a docker-save archive of the layers (see cf_docker_write), written to a temporary file and removed. */
static inline cs_scan *cf_scan_layers(const char *what, const cf_entry *const *layers, size_t n, int jobs)
{
	char path[256];
	cs_scan *s = NULL;

	if (!cf_tmpfile(path, sizeof(path), what, ".tar"))
		return NULL;
	if (cf_docker_write(path, layers, n))
		s = cf_scan(path, false, jobs);
	unlink(path);
	return s;
}

/* Whether p is of type, from found_in, named name; NULL for any of them matches all. */
static inline bool cf_pkg_is(const cs_package *p, const char *type, const char *found_in, const char *name)
{
	return (!type || strcmp(p->type, type) == 0) && (!found_in || cf_str_eq(p->found_in, found_in)) &&
	       (!name || cf_str_eq(p->name, name));
}

/* The first package of s of this type, from found_in, named name (NULL: any), or NULL. */
static inline const cs_package *cf_scan_find(const cs_scan *s, const char *type, const char *found_in,
					     const char *name)
{
	size_t i;

	for (i = 0; i < cs_scan_package_count(s); i++)
		if (cf_pkg_is(cs_scan_package(s, i), type, found_in, name))
			return cs_scan_package(s, i);
	return NULL;
}

/* How many packages of s are of this type and from found_in (NULL: any). */
static inline size_t cf_scan_count(const cs_scan *s, const char *type, const char *found_in)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_package_count(s); i++)
		n += cf_pkg_is(cs_scan_package(s, i), type, found_in, NULL);
	return n;
}

/* Whether some diagnostic holds a and (unless NULL) b. */
static inline bool cf_diag_has(const cs_scan *s, const char *a, const char *b)
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

/* --- the sample image (scripts/build-images.sh) ------------------------------------------------ */

/* The sample image's directory (malloc'd), built when needed; NULL (and a failure) when it cannot be. */
static inline char *cf_sample_dir(void)
{
	char *out = cf_run("scripts/build-images.sh 2>/dev/null | tail -1");
	size_t n;

	if (!out || !*out) {
		fprintf(stderr, "  cannot build the sample image (scripts/build-images.sh)\n");
		test_failures++;
		free(out);
		return NULL;
	}
	n = strlen(out);
	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return out;
}

/* Trivy's CycloneDX inventory of the sample (made by make bench), or NULL with a note. */
static inline cJSON *cf_sample_trivy(const char *dir)
{
	char path[4096];
	cJSON *cdx;

	snprintf(path, sizeof(path), "%s/trivy.sample.cdx.json", dir);
	if (!(cdx = cf_read_json_file(path, true)))
		fprintf(stderr, "  note: no trivy.sample.cdx.json (make bench): Trivy's inventory not compared\n");
	return cdx;
}

/* The component of a CycloneDX document with this purl, or NULL. */
static inline const cJSON *cf_cdx_component(const cJSON *cdx, const char *purl)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cs_json_arr(cdx, "components"))
	{
		const char *p = cs_json_str(c, "purl");

		if (p && strcmp(p, purl) == 0)
			return c;
	}
	return NULL;
}

/* The value of a CycloneDX component's property, or NULL. */
static inline const char *cf_cdx_property(const cJSON *c, const char *name)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cs_json_arr(c, "properties"))
	{
		const char *n = cs_json_str(p, "name");

		if (n && strcmp(n, name) == 0)
			return cs_json_str(p, "value");
	}
	return NULL;
}

#endif
