/*
 * test_python.c - the python cataloger against Trivy, Python itself, dpkg
 * and the sample image.
 *
 * Oracles first:
 *
 *  - trivy_parser: every case of Trivy's packaging parser test
 *    (test-data/lang/trivy/python/packaging/expected.trivy.json): name,
 *    version and licenses exactly. Trivy's one license that is a file
 *    ("file://LICENSE.txt") is compared with our license_file.
 *  - trivy_analyzer: the directories of Trivy's packaging analyzer test,
 *    expectations transcribed from its packaging_test.go.
 *  - python_email: Python's own email parser, as importlib.metadata uses it
 *    (/usr/bin/python3, run by popen), on every fixture (Trivy's and
 *    syft's) and every installed distribution of the host's Debian
 *    dist-packages (and of the trees in $CUSTOMS_PYTHON_ROOTS, colon
 *    separated): the same name and version, and a refusal exactly where
 *    Python finds no Name or Version.
 *  - pep503: packaging.utils.canonicalize_name (Debian's python3-packaging)
 *    on a table of names, against cs_python_normalize.
 *  - debian_owned: a root filesystem made of the host's dpkg database, the
 *    .list files of the packages that own its dist-packages metadata and
 *    those metadata files, scanned end to end: each distribution's owner
 *    must be the package `dpkg -S` names.
 *  - sample_image: the project's sample image (scripts/build-images.sh),
 *    scanned from its OCI layout: the distributions of expected.python.tsv
 *    exactly, each in its layer, and Trivy's purls and layers when `make
 *    bench` left its inventory (trivy.sample.cdx.json) beside it.
 *
 * Then the header rules one by one, hostile input (truncation at every
 * byte, garbage, NULs, huge values), paths, purls, the layer rule through
 * multi-layer docker archives, and a replay of the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/python.h"

#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/testutil.h"
#include "unit/langfix.h"

#define PY_TRIVY "test-data/lang/trivy/python/packaging"
#define PY_TRIVY_AN "test-data/lang/trivy-analyzer/python/packaging/testdata"
#define PY_SYFT "test-data/lang/syft/python/testdata"
#define HOST_DIST "/usr/lib/python3/dist-packages"
#define PYTHON "/usr/bin/python3"

/* --- helpers ------------------------------------------------------------------ */

static char *shared_path(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/%s", test_shared(), rel);
	return buf;
}

static char *read_shared(const char *rel, size_t *len)
{
	char path[4096];
	char *data = test_read_file(shared_path(path, sizeof(path), rel), len);

	if (!data) {
		fprintf(stderr, "  cannot read fixture '%s'\n", path);
		test_failures++;
	}
	return data;
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Parses a C string; the return code is checked against want. */
static void parse_text(cs_python_meta *m, cs_arena *a, const char *text, int want)
{
	cs_err err;
	int rc;

	cs_err_clear(&err);
	rc = cs_python_parse_metadata(m, a, text, strlen(text), &err);
	if (rc != want) {
		fprintf(stderr, "  parse of \"%.60s\": %d (%s), expected %d\n", text, rc, err.msg, want);
		test_failures++;
	}
}

/* m's licenses must be the n strings of want. */
static void check_licenses(const char *label, const cs_python_meta *m, const char *const *want, size_t n)
{
	size_t i;

	if (m->nlicenses != n) {
		fprintf(stderr, "  %s: %zu licenses, expected %zu\n", label, m->nlicenses, n);
		test_failures++;
		return;
	}
	for (i = 0; i < n; i++)
		if (!str_eq(m->licenses[i], want[i])) {
			fprintf(stderr, "  %s: license %zu is \"%s\", expected \"%s\"\n", label, i, m->licenses[i],
				want[i]);
			test_failures++;
		}
}

/* Runs a shell command; its stdout (malloc'd, NUL-terminated) or NULL when it failed. */
static char *run(const char *cmd)
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

static cs_scan *scan_target(const char *target, bool rootfs)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	int rc;

	cs_scan_opts_default(&o);
	o.jobs = 2;
	cs_err_clear(&err);
	rc = cs_scan_run(&s, target, rootfs, &o, &err);
	if (rc < 0) {
		fprintf(stderr, "  scan of '%s' failed: %s\n", target, err.msg);
		test_failures++;
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

/* The pypi package found in found_in, or NULL. */
static const cs_package *scan_find_at(const cs_scan *s, const char *found_in)
{
	size_t i;

	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		if (strcmp(p->type, "pypi") == 0 && str_eq(p->found_in, found_in))
			return p;
	}
	return NULL;
}

static size_t count_type(const cs_scan *s, const char *type)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_package_count(s); i++)
		n += strcmp(cs_scan_package(s, i)->type, type) == 0;
	return n;
}

/* --- Trivy ------------------------------------------------------------------------ */

/* Every case of Trivy's parser test: name, version and licenses exactly. */
TEST(trivy_parser)
{
	size_t len;
	char *text = read_shared(PY_TRIVY "/expected.trivy.json", &len);
	const cJSON *c, *cases;
	cJSON *j;
	cs_err err;
	size_t ncases = 0;

	if (!text)
		return;
	cs_err_clear(&err);
	j = cs_json_parse(text, len, "expected.trivy.json", &err);
	free(text);
	CHECK(j != NULL);
	cases = cs_json_arr(j, "cases");
	cJSON_ArrayForEach(c, cases)
	{
		const char *input = cs_json_str(c, "input");
		const cJSON *want = cJSON_GetArrayItem(cs_json_arr(c, "packages"), 0), *l;
		cJSON *lic;
		char rel[1024];
		cs_python_meta m;
		cs_arena a;
		char *data;
		int rc;

		if (!input || !want)
			continue;
		snprintf(rel, sizeof(rel), PY_TRIVY "/%s", input);
		if (!(data = read_shared(rel, &len)))
			continue;
		cs_arena_init(&a);
		cs_err_clear(&err);
		rc = cs_python_parse_metadata(&m, &a, data, len, &err);
		CHECK_INT(rc, 0);
		if (rc == 0) {
			size_t i = 0, nwant = 0;

			CHECK_STR(m.name, cs_json_str(want, "Name"));
			CHECK_STR(m.version, cs_json_str(want, "Version"));
			lic = cJSON_GetObjectItemCaseSensitive(want, "Licenses");
			/* "nil" in the transcription: no license at all. */
			if (!cJSON_IsArray(lic))
				lic = NULL;
			else
				nwant = (size_t)cJSON_GetArraySize(lic);
			cJSON_ArrayForEach(l, lic)
			{
				const char *w = cJSON_GetStringValue(l);

				if (w && cs_str_starts(w, "file://")) {
					/* A file, not a license: ours keeps it apart. */
					CHECK_STR(m.license_file, w + 7);
					nwant--;
					continue;
				}
				if (i < m.nlicenses)
					CHECK_STR(m.licenses[i], w);
				i++;
			}
			if (m.nlicenses != nwant) {
				fprintf(stderr, "  %s: %zu licenses, Trivy has %zu\n", input, m.nlicenses, nwant);
				test_failures++;
			}
		}
		cs_arena_release(&a);
		free(data);
		ncases++;
	}
	CHECK_INT(ncases, 10);
	cJSON_Delete(j);
}

/* Trivy's analyzer test (pkg/fanal/analyzer/language/python/packaging/packaging_test.go). */
TEST(trivy_analyzer)
{
	static const struct {
		const char *file, *name, *version, *license, *license_file;
	} cases[] = {
		{"happy-egg/distlib-0.3.1.egg-info/PKG-INFO", "distlib", "0.3.1", "Python license", NULL},
		{"classifier-license-egg/setuptools-51.3.3.egg-info/PKG-INFO", "setuptools", "51.3.3", "MIT License",
		 NULL},
		{"classifier-license-dist/setuptools-51.3.3.dist-info/METADATA", "setuptools", "51.3.3", "MIT License",
		 NULL},
		{"happy-dist/distlib-0.3.1.dist-info/METADATA", "distlib", "0.3.1", "Python license", NULL},
		/*
		 * Trivy reports the licenses its classifier finds in the text of
		 * the License-File (BeOpen, CNRI-Python-GPL-Compatible...); we do
		 * not read license texts, and keep the file's name.
		 */
		{"license-file-dist/typing_extensions-4.4.0.dist-info/METADATA", "typing_extensions", "4.4.0", NULL,
		 "licenses/LICENSE.txt"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char rel[1024];
		size_t len;
		char *data;
		cs_python_meta m;
		cs_arena a;
		cs_err err;

		snprintf(rel, sizeof(rel), PY_TRIVY_AN "/%s", cases[i].file);
		CHECK(cs_python_kind(rel) != CS_PYTHON_NONE);
		if (!(data = read_shared(rel, &len)))
			continue;
		cs_arena_init(&a);
		cs_err_clear(&err);
		CHECK_INT(cs_python_parse_metadata(&m, &a, data, len, &err), 0);
		CHECK_STR(m.name, cases[i].name);
		CHECK_STR(m.version, cases[i].version);
		check_licenses(cases[i].file, &m, &cases[i].license, cases[i].license ? 1 : 0);
		CHECK_STR(m.license_file, cases[i].license_file);
		cs_arena_release(&a);
		free(data);
	}
}

/* --- Python's own parser ------------------------------------------------------------- */

/*
 * Reads each file named on stdin (one per line) as importlib.metadata does
 * (email.message_from_string) and prints "name<TAB>version", whitespace
 * collapsed, "" for a field Python does not find.
 */
static const char python_oracle[] = "import sys, email\n"
				    "def norm(v):\n"
				    "    return ' '.join(str(v).split()) if v is not None else ''\n"
				    "for path in sys.stdin.read().split('\\n'):\n"
				    "    if not path: continue\n"
				    "    with open(path, 'rb') as f: text = f.read().decode('utf-8', 'surrogateescape')\n"
				    "    m = email.message_from_string(text)\n"
				    "    print(norm(m.get('Name')) + '\\t' + norm(m.get('Version')))\n";

/* The metadata files under a directory tree, collected by nftw. */
static cs_buf *walk_files;

static int walk_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	CS_UNUSED(ftw);
	if (flag == FTW_F && S_ISREG(sb->st_mode) && cs_python_kind(path) != CS_PYTHON_NONE &&
	    !strstr(path, "\t") && !strstr(path, "\n")) {
		cs_buf_puts(walk_files, path);
		cs_buf_putc(walk_files, '\n');
	}
	return 0;
}

/* Our name and version, whitespace collapsed like the oracle's; "" "" when refused. */
static void ours_line(cs_buf *out, const char *path)
{
	size_t len;
	char *data = test_read_file(path, &len);
	cs_python_meta m;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	cs_err_clear(&err);
	if (data && cs_python_parse_metadata(&m, &a, data, len, &err) == 0)
		cs_buf_printf(out, "%s\t%s\n", m.name, m.version);
	else
		cs_buf_puts(out, "\t\n");
	cs_arena_release(&a);
	free(data);
}

/* A line "name<TAB>version" with either empty: a refusal, however it is written. */
static bool refused(const char *line, size_t n)
{
	const char *tab = memchr(line, '\t', n);

	return !tab || tab == line || tab + 1 == line + n;
}

TEST(python_email)
{
	char listpath[] = "/tmp/customs-test-python-XXXXXX";
	char cmd[8192], rel[4096];
	cs_buf files, ours;
	char *theirs = NULL, *line;
	size_t nfiles = 0, ndiff = 0;
	int fd;
	FILE *f;

	if (access(PYTHON, X_OK) != 0) {
		fprintf(stderr, "  skipped: no %s\n", PYTHON);
		return;
	}
	cs_buf_init(&files, 0);
	cs_buf_init(&ours, 0);
	walk_files = &files;
	nftw(shared_path(rel, sizeof(rel), PY_TRIVY), walk_one, 16, FTW_PHYS);
	nftw(shared_path(rel, sizeof(rel), PY_TRIVY_AN), walk_one, 16, FTW_PHYS);
	nftw(shared_path(rel, sizeof(rel), PY_SYFT), walk_one, 16, FTW_PHYS);
	/* Trivy's fixtures are named "<x>.METADATA": not metadata paths, but metadata all the same. */
	{
		DIR *d = opendir(shared_path(rel, sizeof(rel), PY_TRIVY "/testdata"));
		struct dirent *de;

		while (d && (de = readdir(d)) != NULL)
			if (cs_str_ends(de->d_name, ".METADATA") || cs_str_ends(de->d_name, ".PKG-INFO"))
				cs_buf_printf(&files, "%s/%s\n", rel, de->d_name);
		if (d)
			closedir(d);
	}
	nftw(HOST_DIST, walk_one, 16, FTW_PHYS);
	/* More trees on request: CUSTOMS_PYTHON_ROOTS=/dir1:/dir2 (any site-packages). */
	if (getenv("CUSTOMS_PYTHON_ROOTS")) {
		char roots[4096], *r, *save = NULL;

		snprintf(roots, sizeof(roots), "%s", getenv("CUSTOMS_PYTHON_ROOTS"));
		for (r = roots; (r = strtok_r(r, ":", &save)) != NULL; r = NULL)
			nftw(r, walk_one, 16, FTW_PHYS);
	}
	walk_files = NULL;
	fd = mkstemp(listpath);
	CHECK(fd >= 0);
	if (fd < 0)
		goto done;
	f = fdopen(fd, "w");
	if (f) {
		fwrite(files.data, 1, files.len, f);
		fclose(f);
	}
	{
		/* The program through a file too: no shell quoting to get wrong. */
		char prog[] = "/tmp/customs-test-python-oracle-XXXXXX";
		int pfd = mkstemp(prog);
		FILE *pf = pfd >= 0 ? fdopen(pfd, "w") : NULL;

		if (pf) {
			fputs(python_oracle, pf);
			fclose(pf);
			snprintf(cmd, sizeof(cmd), "%s %s < %s", PYTHON, prog, listpath);
			theirs = run(cmd);
		}
		if (pfd >= 0)
			unlink(prog);
	}
	unlink(listpath);
	CHECK(theirs != NULL);
	if (!theirs)
		goto done;
	for (line = files.data; line && *line;) {
		char *nl = strchr(line, '\n');

		*nl = '\0';
		ours_line(&ours, line);
		*nl = '\n';
		line = nl + 1;
		nfiles++;
	}
	{
		char *a = ours.data, *b = theirs, *p = files.data;

		while (a && b && p && *p) {
			char *na = strchr(a, '\n'), *nb = strchr(b, '\n'), *np = strchr(p, '\n');

			if (!na || !nb || !np)
				break;
			if (refused(a, (size_t)(na - a)) ? !refused(b, (size_t)(nb - b))
							 : (na - a != nb - b || memcmp(a, b, (size_t)(na - a)) != 0)) {
				if (ndiff++ < 10)
					fprintf(stderr, "  %.*s: ours \"%.*s\", python \"%.*s\"\n", (int)(np - p), p,
						(int)(na - a), a, (int)(nb - b), b);
			}
			a = na + 1, b = nb + 1, p = np + 1;
		}
	}
	CHECK_INT(ndiff, 0);
	fprintf(stderr, "  %zu metadata files read as Python reads them\n", nfiles);
	/* 10 + 5 + 12 fixtures at least, the host's on top. */
	CHECK(nfiles >= 27);
done:
	free(theirs);
	cs_buf_release(&files);
	cs_buf_release(&ours);
}

/* --- the header rules -------------------------------------------------------------- */

TEST(header_rules)
{
	cs_arena a;
	cs_python_meta m;

	cs_arena_init(&a);
	/* Continuations, first value wins, case-insensitive names, CRLF, trailing blanks. */
	parse_text(&m, &a,
		   "Metadata-Version: 2.1\r\nNAME:  Foo_Bar  \r\nversion: 1.0.post1\r\nName: other\r\n"
		   "License: Some license\r\n   that goes on\r\n\tand on\r\n\r\nName: body\r\n",
		   0);
	CHECK_STR(m.name, "Foo_Bar");
	CHECK_STR(m.version, "1.0.post1");
	CHECK_STR(m.metadata_version, "2.1");
	CHECK_STR(m.license, "Some license that goes on and on");
	CHECK_INT(m.nlicenses, 1);
	CHECK_INT(m.keylen, strlen("Foo_Bar") + strlen("1.0.post1") + 2);
	/* The body is never read: a Version there does not count. */
	parse_text(&m, &a, "Name: x\n\nVersion: 1\n", CS_EFORMAT);
	/* A line that is no header ends the header, as in Python's parser. */
	parse_text(&m, &a, "Name: x\nnot a header\nVersion: 1\n", CS_EFORMAT);
	parse_text(&m, &a, "Name: x\nBad Field: y\nVersion: 1\n", CS_EFORMAT);
	/* A byte order mark, no final newline. */
	parse_text(&m, &a, "\xef\xbb\xbfName: bom\nVersion: 2", 0);
	CHECK_STR(m.name, "bom");
	CHECK_STR(m.version, "2");
	/* Licenses: the expression wins, then classifiers (OSI Approved alone skipped), then License. */
	parse_text(&m, &a,
		   "Name: a\nVersion: 1\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n"
		   "License-Expression: MIT OR Apache-2.0\nLicense-File: LICENSE\nLicense-File: NOTICE\n",
		   0);
	{
		static const char *const want[] = {"MIT OR Apache-2.0"};

		check_licenses("expression", &m, want, 1);
		CHECK_STR(m.license_file, "LICENSE");
		CHECK_STR(m.license_expression, "MIT OR Apache-2.0");
	}
	parse_text(&m, &a,
		   "Name: a\nVersion: 1\nLicense: BSD\nClassifier: License :: OSI Approved\n"
		   "Classifier: Programming Language :: Python\nClassifier: License :: OSI Approved :: BSD License\n"
		   "Classifier: License :: Public Domain\nClassifier: License :: Other/Proprietary\n  License\n",
		   0);
	{
		static const char *const want[] = {"BSD License", "Public Domain", "Other/Proprietary License"};

		check_licenses("classifiers", &m, want, 3);
		CHECK_STR(m.license, "BSD");
	}
	parse_text(&m, &a, "Name: a\nVersion: 1\nClassifier: License :: OSI Approved\nLicense: UNKNOWN\n", 0);
	{
		static const char *const want[] = {"UNKNOWN"};

		check_licenses("license", &m, want, 1);
	}
	parse_text(&m, &a, "Name: a\nVersion: 1\nLicense:\nClassifier: Topic :: License\n", 0);
	CHECK_INT(m.nlicenses, 0);
	CHECK(m.license == NULL && m.licenses == NULL);
	/* Missing or empty fields, control bytes. */
	parse_text(&m, &a, "", CS_EFORMAT);
	parse_text(&m, &a, "Version: 1\n", CS_EFORMAT);
	parse_text(&m, &a, "Name: x\n", CS_EFORMAT);
	parse_text(&m, &a, "Name: \nVersion: 1\n", CS_EFORMAT);
	parse_text(&m, &a, "Name: x\x01y\nVersion: 1\n", CS_EFORMAT);
	parse_text(&m, &a, "Name: x\nVersion: 1\x7f\n", CS_EFORMAT);
	/* A continuation before any field, and of a field not kept, is ignored. */
	parse_text(&m, &a, " stray\nName: x\nSummary: s\n  more\nVersion: 1\n", 0);
	CHECK_STR(m.name, "x");
	/* A continued name is joined (textproto's rule; Python keeps the fold). */
	parse_text(&m, &a, "Name: a\n b\nVersion: 1\n", 0);
	CHECK_STR(m.name, "a b");
	{
		static const char nul[] = "Name: x\nVersion: 1\nLicense: a\0b\n";
		cs_err err;

		cs_err_clear(&err);
		CHECK_INT(cs_python_parse_metadata(&m, &a, nul, sizeof(nul) - 1, &err), 0);
		CHECK(m.license == NULL && m.nlicenses == 0);
		cs_err_clear(&err);
		CHECK_INT(cs_python_parse_metadata(&m, &a, "Name: x\0y\nVersion: 1\n", 21, &err), CS_EFORMAT);
		CHECK(strstr(err.msg, "'Name'") != NULL);
	}
	cs_arena_release(&a);
}

/* --- paths ---------------------------------------------------------------------------- */

TEST(kinds_and_wants)
{
	static const struct {
		const char *path;
		int kind;
	} cases[] = {
		{"usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", CS_PYTHON_EGG_INFO_DIR},
		{"usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA", CS_PYTHON_DIST_INFO},
		{"usr/lib/python3/dist-packages/PyGObject-3.42.2.egg-info", CS_PYTHON_EGG_INFO},
		{"app/venv/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA", CS_PYTHON_DIST_INFO},
		{"x/Foo-1.0.DIST-INFO/METADATA", CS_PYTHON_DIST_INFO},
		{"Amazon/AWSCLIV2/cryptography-3.3.2-py3.8.egg-info/METADATA", CS_PYTHON_EGG_INFO_MD},
		{"python2.7/site-packages/cssutils-1.0-py2.7.egg/EGG-INFO/PKG-INFO", CS_PYTHON_EGG},
		{"wrapt-1.12.1.egg-info", CS_PYTHON_EGG_INFO},
		{"a.dist-info/METADATA", CS_PYTHON_DIST_INFO},
		{"python3.8/site-packages/wrapt-1.12.1.dist-info/LICENSE", CS_PYTHON_NONE},
		{"random/PKG-INFO", CS_PYTHON_NONE},
		{"PKG-INFO", CS_PYTHON_NONE},
		{"METADATA", CS_PYTHON_NONE},
		{"x/.dist-info/METADATA", CS_PYTHON_NONE},
		{".egg-info", CS_PYTHON_NONE},
		{"x/dist-info/METADATA", CS_PYTHON_NONE},
		{"x/foo.dist-info/metadata", CS_PYTHON_NONE},
		{"x/EGG-INFO/PKG-INFO", CS_PYTHON_NONE},
		{"EGG-INFO/PKG-INFO", CS_PYTHON_NONE},
		{"x/a.egg/EGG-INFO/METADATA", CS_PYTHON_NONE},
		{"x/a.egg-info/RECORD", CS_PYTHON_NONE},
		{"usr/lib/python3/site-packages/cssutils-1.0-py3.11.egg", CS_PYTHON_EGG_ZIP},
		{"Foo-1.0.EGG", CS_PYTHON_EGG_ZIP},
		{"x/eggs/egg", CS_PYTHON_NONE},
		{"", CS_PYTHON_NONE},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		int k = cs_python_kind(cases[i].path);

		if (k != cases[i].kind) {
			fprintf(stderr, "  kind('%s') == %d, expected %d\n", cases[i].path, k, cases[i].kind);
			test_failures++;
		}
		CHECK(cs_analyzer_python.wants(cases[i].path, S_IFREG | 0644) == (cases[i].kind != CS_PYTHON_NONE));
	}
	/* Only regular files: an egg-info directory is never read as one. */
	CHECK(!cs_analyzer_python.wants("a/x.egg-info", S_IFDIR | 0755));
	CHECK(!cs_analyzer_python.wants("a/x.dist-info/METADATA", S_IFLNK | 0777));
	CHECK(strcmp(cs_analyzer_python.name, "python") == 0 && cs_analyzer_python.finish != NULL);
}

/* --- names and purls ---------------------------------------------------------------- */

static const char *const pep503_names[] = {
	"Foo__Bar.baz", "charset_normalizer", "charset-normalizer", "PyYAML", "zope.interface", "a-_.-b",
	"-leading", "trailing.", "lazr.restfulclient", "typing_extensions", "X", "ALLCAPS_1.2", "π-pkg",
};

TEST(pep503)
{
	static const char *const want[] = {
		"foo-bar-baz", "charset-normalizer", "charset-normalizer", "pyyaml", "zope-interface", "a-b",
		"-leading", "trailing-", "lazr-restfulclient", "typing-extensions", "x", "allcaps-1-2", "π-pkg",
	};
	cs_arena a;
	size_t i;
	cs_buf in;
	char *theirs;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(pep503_names); i++)
		CHECK_STR(cs_python_normalize(&a, pep503_names[i]), want[i]);
	/* The same table through packaging.utils.canonicalize_name. */
	if (access(PYTHON, X_OK) == 0) {
		char cmd[8192];

		cs_buf_init(&in, 0);
		for (i = 0; i < CS_ARRAY_LEN(pep503_names); i++)
			cs_buf_printf(&in, "%s%s", i ? "," : "", pep503_names[i]);
		snprintf(cmd, sizeof(cmd),
			 "%s -c 'import sys; from packaging.utils import canonicalize_name as c; "
			 "print(\"\\n\".join(c(n) for n in sys.argv[1].split(\",\")))' '%s' 2>/dev/null",
			 PYTHON, in.data);
		theirs = run(cmd);
		if (!theirs) {
			fprintf(stderr, "  skipped: no python3-packaging\n");
		} else {
			char *line = theirs;

			for (i = 0; i < CS_ARRAY_LEN(pep503_names) && line; i++) {
				char *nl = strchr(line, '\n');

				if (nl)
					*nl = '\0';
				CHECK_STR(cs_python_normalize(&a, pep503_names[i]), line);
				line = nl ? nl + 1 : NULL;
			}
			free(theirs);
		}
		cs_buf_release(&in);
	}
	cs_arena_release(&a);
}

TEST(purls)
{
	cs_arena a;
	cs_python_meta m;
	char *purl;
	cs_err err;

	cs_arena_init(&a);
	parse_text(&m, &a, "Name: Charset_Normalizer\nVersion: 3.0.1\n", 0);
	cs_err_clear(&err);
	CHECK_INT(cs_python_purl(&purl, &a, &m, &err), 0);
	CHECK_STR(purl, "pkg:pypi/charset-normalizer@3.0.1");
	parse_text(&m, &a, "Name: zope.interface\nVersion: 5.4.0+local.1\n", 0);
	CHECK_INT(cs_python_purl(&purl, &a, &m, &err), 0);
	CHECK_STR(purl, "pkg:pypi/zope-interface@5.4.0%2Blocal.1");
	parse_text(&m, &a, "Name: odd name\nVersion: 1.0 beta\n", 0);
	CHECK_INT(cs_python_purl(&purl, &a, &m, &err), 0);
	CHECK_STR(purl, "pkg:pypi/odd%20name@1.0%20beta");
	cs_arena_release(&a);
}

/* --- egg archives ---------------------------------------------------------------------- */

/* A zip archive in b holding the given entries (name, content; NULL name ends). */
static bool zip_make(cs_buf *b, const char *const *entries)
{
	struct archive *w = archive_write_new();
	size_t used = 0, cap = 1 << 20;
	bool ok = w != NULL;

	cs_buf_reset(b);
	if (ok && cs_buf_grow(b, cap) < 0)
		ok = false;
	ok = ok && archive_write_set_format_zip(w) == ARCHIVE_OK &&
	     archive_write_open_memory(w, b->data, cap, &used) == ARCHIVE_OK;
	for (; ok && entries[0]; entries += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = strlen(entries[1]);

		archive_entry_set_pathname(e, entries[0]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)n);
		ok = archive_write_header(w, e) == ARCHIVE_OK && archive_write_data(w, entries[1], n) == (la_ssize_t)n;
		archive_entry_free(e);
	}
	ok = ok && archive_write_close(w) == ARCHIVE_OK;
	archive_write_free(w);
	b->len = ok ? used : 0;
	return ok;
}

/*
 * Eggs as easy_install leaves them: zip archives in site-packages. The one
 * with EGG-INFO/PKG-INFO is a package (found in "<egg>!EGG-INFO/PKG-INFO");
 * an egg without it is nothing; a damaged one is a warning naming it, and
 * the scan goes on.
 */
TEST(egg_archives)
{
	static const char *const good[] = {
		"EGG-INFO/PKG-INFO", "Metadata-Version: 1.1\nName: cssutils\nVersion: 1.0\nLicense: LGPL 3\n",
		"EGG-INFO/top_level.txt", "cssutils\n",
		"cssutils/__init__.py", "",
		NULL, NULL,
	};
	static const char *const bare[] = {"mod/__init__.py", "", NULL, NULL};
	static const char *const broken[] = {"EGG-INFO/PKG-INFO", "Metadata-Version: 1.1\nVersion: 2\n", NULL, NULL};
	const char *site = "usr/lib/python3/site-packages";
	char root[64], path[4096];
	const cs_package *p;
	cs_scan *s;
	cs_buf b;

	cs_buf_init(&b, 0);
	if (!lf_tmpdir(root, sizeof(root), "egg"))
		return;
	CHECK(zip_make(&b, good));
	snprintf(path, sizeof(path), "%s/%s/cssutils-1.0-py3.11.egg", root, site);
	CHECK(lf_write(path, b.data, b.len));
	/* the same archive cut short: a damaged zip */
	snprintf(path, sizeof(path), "%s/%s/cut-1.0-py3.11.egg", root, site);
	CHECK(lf_write(path, b.data, b.len / 2));
	CHECK(zip_make(&b, bare));
	snprintf(path, sizeof(path), "%s/%s/bare-1.0-py3.11.egg", root, site);
	CHECK(lf_write(path, b.data, b.len));
	CHECK(zip_make(&b, broken));
	snprintf(path, sizeof(path), "%s/%s/noname-2-py3.11.egg", root, site);
	CHECK(lf_write(path, b.data, b.len));
	snprintf(path, sizeof(path), "%s/%s/text.egg", root, site);
	CHECK(lf_write(path, "not a zip\n", 10));

	if ((s = scan_target(root, true)) != NULL) {
		CHECK_INT(count_type(s, "pypi"), 1);
		p = scan_find_at(s, "usr/lib/python3/site-packages/cssutils-1.0-py3.11.egg!EGG-INFO/PKG-INFO");
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->name, "cssutils");
			CHECK_STR(p->version, "1.0");
			CHECK_STR(p->purl, "pkg:pypi/cssutils@1.0");
			CHECK_INT(p->nlicenses, 1);
			if (p->nlicenses == 1)
				CHECK_STR(p->licenses[0], "LGPL 3");
		}
		CHECK(lf_diag_has(s, "cut-1.0-py3.11.egg", "egg archive: "));
		CHECK(lf_diag_has(s, "noname-2-py3.11.egg", "Name"));
		CHECK(lf_diag_has(s, "text.egg", "egg archive: "));
		CHECK(!lf_diag_has(s, "bare-1.0", NULL));
		cs_scan_free(s);
	}
	rm_tree(root);
	cs_buf_release(&b);
}

/* --- hostile input -------------------------------------------------------------------- */

/* Parses len bytes copied to a buffer of exactly that size (ASan sees any overread). */
static int parse_exact(const char *data, size_t len, cs_python_meta *m, cs_arena *a)
{
	char *copy = malloc(len ? len : 1);
	cs_err err;
	int rc;

	if (!copy)
		return CS_ENOMEM;
	memcpy(copy, data, len);
	cs_err_clear(&err);
	rc = cs_python_parse_metadata(m, a, copy, len, &err);
	if (rc == 0 && (!m->name || !*m->name || !m->version || !*m->version ||
			strlen(m->name) + strlen(m->version) + 2 != m->keylen)) {
		fprintf(stderr, "  accepted a record without name or version\n");
		test_failures++;
	}
	if (rc < 0 && rc != CS_EFORMAT) {
		fprintf(stderr, "  unexpected code %d\n", rc);
		test_failures++;
	}
	free(copy);
	return rc;
}

TEST(truncated_everywhere)
{
	size_t len, i;
	char *data = read_shared(PY_TRIVY "/testdata/pyphen-0.14.0.METADATA", &len);
	cs_arena a;
	cs_python_meta m;

	if (!data)
		return;
	for (i = 0; i <= len && i < 4096; i++) {
		cs_arena_init(&a);
		parse_exact(data, i, &m, &a);
		cs_arena_release(&a);
	}
	/* Every byte flipped in turn over the header. */
	for (i = 0; i < len && i < 1024; i++) {
		char saved = data[i];

		data[i] = (char)(i % 7 == 0 ? 0 : saved ^ 0x55);
		cs_arena_init(&a);
		parse_exact(data, len, &m, &a);
		cs_arena_release(&a);
		data[i] = saved;
	}
	free(data);
}

TEST(garbage)
{
	uint8_t buf[8192];
	cs_arena a;
	cs_python_meta m;
	size_t i;

	for (i = 0; i < 64; i++) {
		fill_random(buf, sizeof(buf), i + 1);
		cs_arena_init(&a);
		CHECK_INT(parse_exact((const char *)buf, sizeof(buf) - i * 100, &m, &a), CS_EFORMAT);
		cs_arena_release(&a);
	}
	/* Huge values and many classifiers: linear, bounded by the input. */
	{
		cs_buf b;

		cs_buf_init(&b, 0);
		cs_buf_puts(&b, "Name: big\nVersion: 1\nLicense: ");
		for (i = 0; i < 100000; i++)
			cs_buf_puts(&b, "x");
		cs_buf_putc(&b, '\n');
		for (i = 0; i < 20000; i++)
			cs_buf_puts(&b, "Classifier: License :: OSI Approved :: MIT License\n   continued\n");
		cs_arena_init(&a);
		CHECK_INT(parse_exact(b.data, b.len, &m, &a), 0);
		CHECK_INT(m.nlicenses, 20000);
		CHECK_INT(strlen(m.license), 100000);
		cs_arena_release(&a);
		cs_buf_release(&b);
	}
}

/* --- whole scans ----------------------------------------------------------------------- */

/* One entry of a built layer: data NULL and mode 0 for a directory. */
typedef struct entry_spec {
	const char *path;
	const char *text;
} entry_spec;

/* Writes a docker-save archive; layers[i] is a NULL-path-terminated entry list. */
static bool docker_write(const char *path, const entry_spec *const *layers, size_t n)
{
	tarb outer, t;
	cs_buf cfg, man;
	char name[64], digest[CS_DIGEST_MAX];
	uint8_t *blob;
	size_t i, bn;
	bool ok = true;
	FILE *f;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&man, 0);
	tb_open(&outer, 'p');
	cs_buf_puts(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"python-test:1\"],\"Layers\":[");
	for (i = 0; i < n; i++) {
		const entry_spec *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++) {
			if (e->text)
				tb_file(&t, e->path, e->text);
			else
				tb_dir(&t, e->path);
		}
		if (!(blob = tb_close(&t, &bn)))
			return false;
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
	ok = blob != NULL && (f = fopen(path, "wb")) != NULL;
	if (ok) {
		ok = fwrite(blob, 1, bn, f) == bn;
		ok = fclose(f) == 0 && ok;
	}
	free(blob);
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

#define SP "usr/lib/python3.11/site-packages/"
#define MD_REQ_228 "Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nLicense: Apache 2.0\n\nbody\n"
#define MD_REQ_231 "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nbody\n"
#define MD_SIX "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n"
#define MD_IDNA "Metadata-Version: 2.1\nName: idna\nVersion: 3.4\n"

/*
 * Four layers: a distribution rewritten unchanged keeps its first layer,
 * an upgrade (a new path) starts a new one, a deleted one is gone, a
 * damaged final copy is a warning and no package, and a PKG-INFO beside a
 * METADATA in one egg-info directory counts once.
 */
TEST(scan_layers)
{
	static const entry_spec l0[] = {
		{"etc/os-release", "ID=debian\nVERSION_ID=12\n"},
		{SP "requests-2.28.1.dist-info/METADATA", MD_REQ_228},
		{SP "six-1.16.0.egg-info", MD_SIX},
		{SP "idna-3.4.dist-info/METADATA", MD_IDNA},
		{"opt/eggs/x-1.0-py3.11.egg/EGG-INFO/PKG-INFO", "Name: x\nVersion: 1.0\n"},
		{NULL, NULL},
	};
	static const entry_spec l1[] = {
		/* Rewritten with the same name and version (pip --force-reinstall). */
		{SP "six-1.16.0.egg-info", MD_SIX "Summary: again\n"},
		{SP "both.egg-info/PKG-INFO", "Name: both\nVersion: 0.1\n"},
		{SP "both.egg-info/METADATA", "Name: both\nVersion: 0.1\n"},
		{NULL, NULL},
	};
	static const entry_spec l2[] = {
		/* pip upgrades: the old dist-info goes, a new one comes. */
		{SP ".wh.requests-2.28.1.dist-info", ""},
		{SP "requests-2.31.0.dist-info/METADATA", MD_REQ_231},
		{SP "idna-3.4.dist-info/METADATA", "garbage\n"},
		{NULL, NULL},
	};
	const entry_spec *const layers[] = {l0, l1, l2};
	char path[] = "/tmp/customs-test-python-XXXXXX.tar";
	const cs_package *p;
	cs_scan *s;
	int fd = mkstemps(path, 4);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	if (!docker_write(path, layers, 3))
		goto done;
	s = scan_target(path, false);
	if (s) {
		CHECK_INT(count_type(s, "pypi"), 4);
		CHECK(scan_find_at(s, SP "requests-2.28.1.dist-info/METADATA") == NULL);
		p = scan_find_at(s, SP "requests-2.31.0.dist-info/METADATA");
		CHECK(p && p->layer == 2 && str_eq(p->version, "2.31.0") && p->owner == NULL);
		if (p) {
			CHECK_STR(p->purl, "pkg:pypi/requests@2.31.0");
			CHECK(p->nlicenses == 1 && str_eq(p->licenses[0], "Apache 2.0"));
		}
		p = scan_find_at(s, SP "six-1.16.0.egg-info");
		CHECK(p && p->layer == 0 && str_eq(p->name, "six"));
		p = scan_find_at(s, "opt/eggs/x-1.0-py3.11.egg/EGG-INFO/PKG-INFO");
		CHECK(p && p->layer == 0);
		CHECK(scan_find_at(s, SP "both.egg-info/METADATA") != NULL);
		CHECK(scan_find_at(s, SP "both.egg-info/PKG-INFO") == NULL);
		CHECK(scan_find_at(s, SP "idna-3.4.dist-info/METADATA") == NULL);
		CHECK_INT(cs_scan_error_count(s), 0);
		{
			size_t i;
			bool warned = false;

			for (i = 0; i < cs_scan_diag_count(s); i++) {
				int level;
				const char *msg = cs_scan_diag_get(s, i, &level);

				warned |= strstr(msg, "idna-3.4.dist-info/METADATA") && strstr(msg, "'Name'");
			}
			CHECK(warned);
		}
		cs_scan_free(s);
	}
done:
	unlink(path);
}

/* --- Debian's python3-* packages ------------------------------------------------------ */

static void copy_file(const char *from, const char *root, const char *rel)
{
	char to[4096], *slash;
	size_t len;
	char *data = test_read_file(from, &len);
	FILE *f;

	if (!data) {
		fprintf(stderr, "  cannot read '%s'\n", from);
		test_failures++;
		return;
	}
	snprintf(to, sizeof(to), "%s/%s", root, rel);
	for (slash = strchr(to + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(to, 0755);
		*slash = '/';
	}
	f = fopen(to, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(data, 1, len, f) == len);
		fclose(f);
	}
	free(data);
}

/*
 * The host's Debian dist-packages: every installed distribution there is
 * reported, owned by the package dpkg -S names (or by none when dpkg
 * knows no owner), with Python's name and version.
 */
TEST(debian_owned)
{
	char root[] = "/tmp/customs-test-python-XXXXXX";
	cs_buf files, cmd;
	char *owners = NULL, *line;
	cs_scan *s = NULL;
	size_t nfiles = 0, nowned = 0;

	if (access(HOST_DIST, R_OK) != 0 || access("/var/lib/dpkg/status", R_OK) != 0) {
		fprintf(stderr, "  skipped: no Debian dist-packages on this host\n");
		return;
	}
	cs_buf_init(&files, 0);
	cs_buf_init(&cmd, 0);
	walk_files = &files;
	nftw(HOST_DIST, walk_one, 16, FTW_PHYS);
	walk_files = NULL;
	if (files.len == 0) {
		fprintf(stderr, "  skipped: no distribution in %s\n", HOST_DIST);
		goto done;
	}
	if (!mkdtemp(root)) {
		test_failures++;
		goto done;
	}
	copy_file("/etc/os-release", root, "etc/os-release");
	copy_file("/var/lib/dpkg/status", root, "var/lib/dpkg/status");
	/* dpkg -S: "pkg[:arch]: path" for each owned file; unowned ones only on stderr. */
	cs_buf_puts(&cmd, "dpkg -S");
	for (line = files.data; *line;) {
		char *nl = strchr(line, '\n');

		cs_buf_printf(&cmd, " '%.*s'", (int)(nl - line), line);
		copy_file((*nl = '\0', line), root, line + 1);
		*nl = '\n';
		line = nl + 1;
		nfiles++;
	}
	cs_buf_puts(&cmd, " 2>/dev/null; true");
	owners = run(cmd.data);
	CHECK(owners != NULL);
	if (!owners)
		goto done;
	/* The .list files of the owners, under the name dpkg keeps them. */
	for (line = owners; *line;) {
		char *nl = strchr(line, '\n'), *colon = strstr(line, ": ");
		char list[4096], rel[4096];

		if (!nl)
			break;
		if (colon && colon < nl) {
			snprintf(list, sizeof(list), "/var/lib/dpkg/info/%.*s.list", (int)(colon - line), line);
			if (access(list, R_OK) != 0) {
				/* "pkg" for "pkg:amd64.list", or the other way round. */
				char *ac = memchr(line, ':', (size_t)(colon - line));

				if (ac)
					snprintf(list, sizeof(list), "/var/lib/dpkg/info/%.*s.list", (int)(ac - line), line);
				else
					snprintf(list, sizeof(list), "/var/lib/dpkg/info/%.*s:amd64.list",
						 (int)(colon - line), line);
			}
			snprintf(rel, sizeof(rel), "%s", list + 1);
			copy_file(list, root, rel);
		}
		line = nl + 1;
	}
	s = scan_target(root, true);
	if (!s)
		goto done;
	for (line = files.data; *line;) {
		char *nl = strchr(line, '\n'), want[1024] = "", *at;
		const cs_package *p;

		*nl = '\0';
		/* The owner dpkg names for this path, without its ":arch". */
		at = strstr(owners, line);
		while (at && !(at[strlen(line)] == '\n' && at >= owners + 2 && at[-2] == ':' && at[-1] == ' '))
			at = strstr(at + 1, line);
		if (at) {
			char *bol = at - 2;

			while (bol > owners && bol[-1] != '\n')
				bol--;
			snprintf(want, sizeof(want), "%.*s", (int)(strcspn(bol, ":")), bol);
		}
		p = scan_find_at(s, line + 1);
		if (!p) {
			/* Python refuses it too (the email oracle checks that); just say so. */
			fprintf(stderr, "  note: no package from '%s'\n", line);
		} else if (!str_eq(p->owner ? p->owner->name : "", want)) {
			fprintf(stderr, "  %s: owner '%s', dpkg says '%s'\n", line, p->owner ? p->owner->name : "",
				want);
			test_failures++;
		} else if (*want) {
			nowned++;
			CHECK_STR(p->owner->type, "deb");
		}
		*nl = '\n';
		line = nl + 1;
	}
	CHECK(nowned > 0);
	fprintf(stderr, "  %zu distributions in %s, %zu owned by Debian packages\n", nfiles, HOST_DIST, nowned);
done:
	cs_scan_free(s);
	if (root[strlen(root) - 1] != 'X')
		rm_tree(root);
	free(owners);
	cs_buf_release(&files);
	cs_buf_release(&cmd);
}

/* --- the sample image ------------------------------------------------------------------- */

/* The sample image's cache directory (built if need be), or NULL. */
static char *sample_dir(void)
{
	char *out = run("scripts/build-images.sh 2>/dev/null | tail -1");
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

/* The Trivy component of the sample with this purl, or NULL. */
static const cJSON *trivy_component(const cJSON *cdx, const char *purl)
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

static const char *trivy_property(const cJSON *c, const char *name)
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

TEST(sample_image)
{
	/* Layers of the sample (layers.tsv, 1-based there): the venv in 3, /app/plugins replaced in 5. */
	static const struct {
		const char *name, *license;
		int layer;
	} known[] = {
		{"certifi", "Mozilla Public License 2.0 (MPL 2.0)", 2}, {"charset-normalizer", "MIT License", 2},
		{"idna", "BSD License", 2},      {"pip", "MIT License", 2},
		{"requests", "Apache Software License", 2}, {"setuptools", "MIT License", 2},
		{"urllib3", "MIT License", 2},   {"wheel", "MIT License", 4},
	};
	char *dir = sample_dir(), path[4096], *tsv = NULL, *line, *cdxtext;
	cJSON *cdx = NULL;
	cs_scan *s = NULL;
	size_t nrows = 0, i, len;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/expected.python.tsv", dir);
	tsv = test_read_file(path, NULL);
	CHECK(tsv != NULL);
	snprintf(path, sizeof(path), "%s/trivy.sample.cdx.json", dir);
	if ((cdxtext = test_read_file(path, &len)) != NULL) {
		cs_err err;

		cs_err_clear(&err);
		cdx = cs_json_parse(cdxtext, len, "trivy.sample.cdx.json", &err);
		free(cdxtext);
	} else {
		fprintf(stderr, "  note: no trivy.sample.cdx.json (make bench): Trivy's purls not compared\n");
	}
	snprintf(path, sizeof(path), "oci:%s/oci:sample", dir);
	if (!tsv || !(s = scan_target(path, false)))
		goto done;
	for (line = strchr(tsv, '\n'); line && line[1];) {
		char name[256], version[256], where[2048], found_in[4096];
		const cs_package *p;

		line++;
		if (sscanf(line, "%255[^\t]\t%255[^\t]\t%2047[^\n]", name, version, where) != 3)
			break;
		nrows++;
		snprintf(found_in, sizeof(found_in), "%s/METADATA", where + 1);
		p = scan_find_at(s, found_in);
		if (!p) {
			fprintf(stderr, "  %s %s: no package from '%s'\n", name, version, found_in);
			test_failures++;
		} else {
			CHECK_STR(p->name, name);
			CHECK_STR(p->version, version);
			CHECK(p->owner == NULL);
			for (i = 0; i < CS_ARRAY_LEN(known); i++)
				if (strcmp(known[i].name, name) == 0) {
					CHECK_INT(p->layer, known[i].layer);
					CHECK(p->nlicenses == 1 && str_eq(p->licenses[0], known[i].license));
				}
			if (cdx) {
				const cJSON *c = trivy_component(cdx, p->purl);
				const cs_layer *l = cs_scan_layer(s, (size_t)p->layer);

				if (!c) {
					fprintf(stderr, "  %s: Trivy has no component '%s'\n", name, p->purl);
					test_failures++;
				} else {
					CHECK_STR(cs_json_str(c, "name"), name);
					CHECK_STR(cs_json_str(c, "version"), version);
					CHECK_STR(trivy_property(c, "aquasecurity:trivy:FilePath"), found_in);
					CHECK(l && str_eq(trivy_property(c, "aquasecurity:trivy:LayerDiffID"), l->diff_id));
				}
			}
		}
		line = strchr(line, '\n');
	}
	CHECK_INT(nrows, 8);
	/* Nothing else: six was hidden by layer 5's opaque /app/plugins. */
	CHECK_INT(count_type(s, "pypi"), nrows);
	/* Debian's own python3 packages: anything in dist-packages must be owned (none in this image). */
	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		if (strcmp(p->type, "pypi") == 0 && cs_str_starts(p->found_in, "usr/lib/python3/dist-packages/"))
			CHECK(p->owner != NULL && strcmp(p->owner->type, "deb") == 0);
	}
	if (cdx) {
		/* And Trivy has no pypi component we lack. */
		const cJSON *c;
		size_t ntrivy = 0;

		cJSON_ArrayForEach(c, cs_json_arr(cdx, "components"))
		{
			const char *purl = cs_json_str(c, "purl");

			ntrivy += purl && cs_str_starts(purl, "pkg:pypi/");
		}
		CHECK_INT(ntrivy, nrows);
	}
done:
	cs_scan_free(s);
	cJSON_Delete(cdx);
	free(tsv);
	free(dir);
}

/* --- the fuzz corpus ------------------------------------------------------------------- */

TEST(fuzz_corpus)
{
	DIR *d = opendir("tests/fuzz/corpus/python");
	struct dirent *de;
	size_t n = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		size_t len, i;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "tests/fuzz/corpus/python/%s", de->d_name);
		if (!(data = test_read_file(path, &len)))
			continue;
		for (i = 0; i <= len; i++) {
			cs_arena a;
			cs_python_meta m;

			cs_arena_init(&a);
			parse_exact(data, i, &m, &a);
			cs_arena_release(&a);
		}
		free(data);
		n++;
	}
	closedir(d);
	CHECK(n > 0);
}

TEST_MAIN(TEST_ENTRY(trivy_parser), TEST_ENTRY(trivy_analyzer), TEST_ENTRY(python_email), TEST_ENTRY(header_rules),
	  TEST_ENTRY(kinds_and_wants), TEST_ENTRY(egg_archives), TEST_ENTRY(pep503), TEST_ENTRY(purls), 
	  TEST_ENTRY(truncated_everywhere), TEST_ENTRY(garbage), TEST_ENTRY(scan_layers), TEST_ENTRY(debian_owned),
	  TEST_ENTRY(sample_image), TEST_ENTRY(fuzz_corpus))
