/*
 * python.c - the python cataloger: installed distributions from their
 * core metadata (dist-info/METADATA, egg-info, PKG-INFO).
 *
 * Two halves. The first parses bytes (the metadata header, names, purls)
 * with no knowledge of scans: python.h documents it. The second is
 * cs_analyzer_python, built on the language-cataloger frame (langcat.h):
 * a "pypi" package for every metadata file the final image holds,
 * attributed to the lowest layer that held the same file with the same
 * name and version, and owned by the OS package (a Debian python3-*
 * package, say) whose file list has it.
 */
#include "core/compat.h"
#include "catalog/python.h"
#include "catalog/analyzer.h"
#include "catalog/catutil.h"
#include "catalog/langcat.h"
#include "catalog/zipread.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "core/view.h"
#include "scan/scan.h"

#include <strings.h>
#include <sys/stat.h>

/* --- helpers ----------------------------------------------------------- */

/* s ends with suffix, ASCII case ignored; n is strlen(s) or a prefix length. */
static bool ends_ci(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n > m && strncasecmp(s + n - m, suffix, m) == 0;
}

/* --- paths ---------------------------------------------------------------- */

int cs_python_kind(const char *path)
{
	const char *base = cs_path_base(path);
	size_t dirlen, plen;
	const char *dir;

	if (*base == '\0')
		return CS_PYTHON_NONE;
	if (ends_ci(base, strlen(base), ".egg-info"))
		return CS_PYTHON_EGG_INFO;
	if (ends_ci(base, strlen(base), ".egg"))
		return CS_PYTHON_EGG_ZIP;
	if (base == path)
		return CS_PYTHON_NONE;
	/* The parent directory: [dir, dir + dirlen). */
	dirlen = (size_t)(base - path) - 1;
	for (dir = path + dirlen; dir > path && dir[-1] != '/'; dir--)
		;
	plen = (size_t)(path + dirlen - dir);
	if (strcmp(base, "METADATA") == 0) {
		if (ends_ci(dir, plen, ".dist-info"))
			return CS_PYTHON_DIST_INFO;
		if (ends_ci(dir, plen, ".egg-info"))
			return CS_PYTHON_EGG_INFO_MD;
		return CS_PYTHON_NONE;
	}
	if (strcmp(base, "PKG-INFO") == 0) {
		if (ends_ci(dir, plen, ".egg-info"))
			return CS_PYTHON_EGG_INFO_DIR;
		if (plen == 8 && memcmp(dir, "EGG-INFO", 8) == 0 && dir > path &&
		    ends_ci(path, (size_t)(dir - path) - 1, ".egg"))
			return CS_PYTHON_EGG;
	}
	return CS_PYTHON_NONE;
}

/* --- the metadata header ---------------------------------------------------- */

enum { F_NAME, F_VERSION, F_MDVERSION, F_LICENSE, F_LEXPR, F_LFILE, F_CLASSIFIER, F_COUNT };

static const char *const field_names[F_COUNT] = {
	"Name", "Version", "Metadata-Version", "License", "License-Expression", "License-File", "Classifier",
};

typedef struct header {
	cs_arena *a;
	cs_buf val[F_COUNT - 1]; /* single-valued fields, continuations joined */
	bool seen[F_COUNT - 1];
	cs_buf cls;              /* the classifier being read */
	const char **licenses;   /* license classifiers, in order; arena array */
	size_t nlic, lcap;
	int cur;                 /* field the next continuation line belongs to; -1: one not kept */
} header;

/* The field a name (n bytes) is, or -1. */
static int field_of(const char *name, size_t n)
{
	int f;

	for (f = 0; f < F_COUNT; f++)
		if (strlen(field_names[f]) == n && strncasecmp(name, field_names[f], n) == 0)
			return f;
	return -1;
}

/* A header line's field name: printable ASCII but ':' and space (RFC 5322 ftext). */
static size_t field_name_len(const char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == ':')
			return i;
		if (c < 0x21 || c > 0x7e)
			return 0;
	}
	return 0;
}

/* The classifier read so far is complete: keep its license, if it names one. */
static int classifier_end(header *h)
{
	static const char prefix[] = "License :: ";
	const char *v = h->cls.data, *last;
	size_t n = h->cls.len;
	char *lic;

	if (h->cur != F_CLASSIFIER)
		return 0;
	h->cur = -1;
	if (!v || !cs_mem_starts(v, n, prefix) || memchr(v, '\0', n))
		return 0;
	/* The last " :: " component: "License :: OSI Approved :: MIT License" -> "MIT License". */
	for (last = v + n; last > v; last--)
		if (last - v >= 4 && memcmp(last - 4, " :: ", 4) == 0)
			break;
	if ((size_t)(v + n - last) == 12 && memcmp(last, "OSI Approved", 12) == 0)
		return 0;
	if (!(lic = cs_arena_strndup(h->a, last, (size_t)(v + n - last))))
		return CS_ENOMEM;
	if (h->nlic == h->lcap &&
	    !(h->licenses = cs_arena_grow(h->a, (void *)h->licenses, h->nlic, &h->lcap, sizeof(*h->licenses))))
		return CS_ENOMEM;
	h->licenses[h->nlic++] = lic;
	return 0;
}

/* Appends a trimmed piece of a value: a space first when the value is not empty. */
static int value_add(cs_buf *b, const char *p, size_t n)
{
	int rc;

	cs_cat_trim(&p, &n, " \t\r");
	if (n == 0)
		return 0;
	if (b->len && (rc = cs_buf_putc(b, ' ')) < 0)
		return rc;
	return cs_buf_append(b, p, n);
}

/* One "Field: value" line. */
static int header_field(header *h, const char *line, size_t n, size_t namelen)
{
	int f = field_of(line, namelen), rc;

	if ((rc = classifier_end(h)) < 0)
		return rc;
	h->cur = -1;
	if (f < 0)
		return 0;
	if (f == F_CLASSIFIER) {
		cs_buf_reset(&h->cls);
		h->cur = f;
		return value_add(&h->cls, line + namelen + 1, n - namelen - 1);
	}
	if (h->seen[f])
		return 0; /* the first value wins */
	h->seen[f] = true;
	h->cur = f;
	return value_add(&h->val[f], line + namelen + 1, n - namelen - 1);
}

/* A field's value as an arena string, or NULL when absent or empty. */
static int field_str(header *h, int f, const char **out)
{
	*out = NULL;
	if (!h->seen[f] || h->val[f].len == 0)
		return 0;
	/* A NUL inside would cut the string: such a value is left out. */
	if (memchr(h->val[f].data, '\0', h->val[f].len))
		return 0;
	if (!(*out = cs_arena_strndup(h->a, h->val[f].data, h->val[f].len)))
		return CS_ENOMEM;
	return 0;
}

static int build_meta(header *h, cs_python_meta *out, cs_err *err)
{
	const char *name = h->val[F_NAME].data, *version = h->val[F_VERSION].data;
	size_t nlen = h->val[F_NAME].len, vlen = h->val[F_VERSION].len;
	char *key;
	int rc;

	if (!h->seen[F_NAME] || nlen == 0)
		return cs_err_set(err, CS_EFORMAT, "no 'Name' field");
	if (cs_cat_has_control(name, nlen))
		return cs_err_set(err, CS_EFORMAT, "control byte in the 'Name' field");
	if (!h->seen[F_VERSION] || vlen == 0)
		return cs_err_set(err, CS_EFORMAT, "no 'Version' field for '%.*s'", nlen > 64 ? 64 : (int)nlen,
				  name);
	if (cs_cat_has_control(version, vlen))
		return cs_err_set(err, CS_EFORMAT, "control byte in the 'Version' field");
	/* One block: "name\0version\0", the key and the two strings. */
	if (nlen > SIZE_MAX - vlen - 2 || !(key = cs_arena_alloc(h->a, nlen + vlen + 2)))
		return CS_ENOMEM;
	memcpy(key, name, nlen);
	memcpy(key + nlen + 1, version, vlen);
	out->name = key;
	out->version = key + nlen + 1;
	out->key = key;
	out->keylen = nlen + vlen + 2;
	if ((rc = field_str(h, F_MDVERSION, &out->metadata_version)) < 0 ||
	    (rc = field_str(h, F_LICENSE, &out->license)) < 0 ||
	    (rc = field_str(h, F_LEXPR, &out->license_expression)) < 0 ||
	    (rc = field_str(h, F_LFILE, &out->license_file)) < 0)
		return rc;
	if (out->license_expression) {
		if (!(out->licenses = cs_arena_alloc(h->a, sizeof(*out->licenses))))
			return CS_ENOMEM;
		out->licenses[0] = out->license_expression;
		out->nlicenses = 1;
	} else if (h->nlic) {
		out->licenses = h->licenses;
		out->nlicenses = h->nlic;
	} else if (out->license) {
		if (!(out->licenses = cs_arena_alloc(h->a, sizeof(*out->licenses))))
			return CS_ENOMEM;
		out->licenses[0] = out->license;
		out->nlicenses = 1;
	}
	return 0;
}

int cs_python_parse_metadata(cs_python_meta *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	cs_view v = cs_view_make(data, len);
	header h;
	const char *line;
	size_t n, i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	h.a = a;
	h.cur = -1;
	for (i = 0; i < CS_ARRAY_LEN(h.val); i++)
		cs_buf_init(&h.val[i], 0);
	cs_buf_init(&h.cls, 0);
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		cs_view_skip(&v, 3);
	while (cs_view_line(&v, &line, &n)) {
		size_t namelen;

		if (n == 0)
			break; /* the end of the header: the body is the description */
		if (line[0] == ' ' || line[0] == '\t') {
			if (h.cur == F_CLASSIFIER)
				rc = value_add(&h.cls, line, n);
			else if (h.cur >= 0)
				rc = value_add(&h.val[h.cur], line, n);
			if (rc < 0)
				goto done;
			continue;
		}
		if ((namelen = field_name_len(line, n)) == 0)
			break; /* not a header line: Python's parser takes it as the body */
		if ((rc = header_field(&h, line, n, namelen)) < 0)
			goto done;
	}
	if ((rc = classifier_end(&h)) < 0)
		goto done;
	rc = build_meta(&h, out, err);
done:
	for (i = 0; i < CS_ARRAY_LEN(h.val); i++)
		cs_buf_release(&h.val[i]);
	cs_buf_release(&h.cls);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing python metadata");
	return rc;
}

/* --- names and purls --------------------------------------------------------- */

char *cs_python_normalize(cs_arena *a, const char *name)
{
	size_t n = strlen(name), i, o = 0;
	char *out = cs_arena_alloc(a, n + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (c == '-' || c == '_' || c == '.') {
			if (o == 0 || out[o - 1] != '-')
				out[o++] = '-';
			continue;
		}
		out[o++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[o] = '\0';
	return out;
}

int cs_python_purl(char **out, cs_arena *a, const cs_python_meta *m, cs_err *err)
{
	cs_purl p;
	char *name = cs_python_normalize(a, m->name);

	if (!name)
		return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	memset(&p, 0, sizeof(p));
	p.type = "pypi";
	p.name = name;
	p.version = m->version;
	return cs_purl_build(out, a, &p, err);
}

/* --- the analyzer -------------------------------------------------------------- */

static bool python_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_python_kind(path) != CS_PYTHON_NONE;
}

/* One package from parsed metadata, read at location inside the file (or NULL). */
static int add_meta(cs_langfile *out, cs_arena *a, const cs_python_meta *m, const char *location, cs_err *err)
{
	cs_langpkg *p;
	char *purl = NULL;
	size_t cap = 0;
	int rc;

	if (!(p = cs_langfile_add(out, &cap, a)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	p->name = m->name;
	p->version = m->version;
	p->licenses = m->licenses;
	p->nlicenses = m->nlicenses;
	p->location = location;
	rc = cs_python_purl(&purl, a, m, err);
	return cs_cat_langpkg_purl(p, a, rc, purl, err);
}

/*
 * An egg archive (a zip, as setuptools' bdist_egg and easy_install leave
 * them in site-packages): its EGG-INFO/PKG-INFO. An archive without one
 * is no distribution (CS_ENOTFOUND); one that is not a zip, or whose entry
 * cannot be read within the limits, is refused.
 */
static int parse_egg(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	static const char entry[] = "EGG-INFO/PKG-INFO";
	cs_python_meta m;
	cs_zip_entry ze;
	cs_zip *z = NULL;
	cs_buf b;
	int rc;

	cs_buf_init(&b, 0);
	if ((rc = cs_zip_open(&z, data, len, NULL, NULL, err)) < 0)
		goto done;
	while ((rc = cs_zip_next(z, &ze, err)) == 1)
		if (!ze.is_dir && strcmp(ze.name, entry) == 0)
			break;
	if (rc == 0)
		rc = CS_ENOTFOUND;
	if (rc < 0)
		goto done;
	if ((rc = cs_zip_read(z, &b, CS_PYTHON_MAX_METADATA, err)) < 0)
		goto done;
	if ((rc = cs_python_parse_metadata(&m, a, b.data, b.len, err)) < 0)
		goto done;
	rc = add_meta(out, a, &m, entry, err);
done:
	if (rc < 0 && rc != CS_ENOTFOUND && rc != CS_ENOMEM)
		cs_err_prefix(err, "egg archive: ");
	cs_zip_close(z);
	cs_buf_release(&b);
	return rc;
}

/* The langcat parser: one metadata file (or egg archive), one package. */
static int python_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
			     cs_err *err)
{
	cs_python_meta m;
	int kind = cs_python_kind(path), rc;

	if (kind == CS_PYTHON_NONE)
		return CS_ENOTFOUND;
	if (kind == CS_PYTHON_EGG_ZIP)
		return parse_egg(out, a, data, len, err);
	if ((rc = cs_python_parse_metadata(&m, a, data, len, err)) < 0)
		return rc;
	return add_meta(out, a, &m, NULL, err);
}

/*
 * An egg-info directory may hold both PKG-INFO and METADATA: importlib
 * reads METADATA first, so PKG-INFO only counts when the final image has
 * no METADATA beside it.
 */
static bool shadowed(cs_scan *s, const char *path)
{
	char sib[4096];
	size_t dirlen = (size_t)(cs_path_base(path) - path);
	cs_fsinfo info;
	cs_err lerr;

	if (cs_python_kind(path) != CS_PYTHON_EGG_INFO_DIR || dirlen + sizeof("METADATA") > sizeof(sib))
		return false;
	memcpy(sib, path, dirlen);
	memcpy(sib + dirlen, "METADATA", sizeof("METADATA"));
	cs_err_clear(&lerr);
	return cs_scan_lookup(s, sib, false, &info, NULL, 0, &lerr) == 0 && S_ISREG(info.mode);
}

static const cs_langcat python_cat = {
	.id = CS_AN_python,
	.type = "pypi",
	.what = "python metadata",
	.parse = python_parse_file,
	.skip = shadowed,
};

CS_LANGCAT_ANALYZER(python, "python", python_wants, 0, python_cat);
