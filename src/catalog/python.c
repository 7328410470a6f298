/*
 * python.c - the python cataloger: installed distributions from their
 * core metadata (dist-info/METADATA, egg-info, PKG-INFO).
 *
 * Two halves. The first parses bytes (the metadata header, names, purls,
 * the layer index) with no knowledge of scans: python.h documents it. The
 * second is cs_analyzer_python: parse() runs per metadata file per layer on
 * a worker thread and keeps what it parsed in that layer's state; finish()
 * runs after the OS catalogers (analyzers.def order), once the merged view
 * exists, and emits a "pypi" package for every metadata file the final
 * image holds, attributed to the lowest layer that held the same file with
 * the same name and version, and owned by the OS package (a Debian
 * python3-* package, say) whose file list has it.
 */
#include "core/compat.h"
#include "catalog/python.h"
#include "catalog/analyzer.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "core/view.h"
#include "scan/scan.h"

#include <strings.h>
#include <sys/stat.h>

/* --- helpers ----------------------------------------------------------- */

/* A control byte (NUL, newline and tab included) or DEL. */
static bool has_control(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return true;
	return false;
}

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
	if (has_control(name, nlen))
		return cs_err_set(err, CS_EFORMAT, "control byte in the 'Name' field");
	if (!h->seen[F_VERSION] || vlen == 0)
		return cs_err_set(err, CS_EFORMAT, "no 'Version' field for '%.*s'", nlen > 64 ? 64 : (int)nlen,
				  name);
	if (has_control(version, vlen))
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

/* --- layer index ------------------------------------------------------------- */

void cs_python_layers_init(cs_python_layers *l)
{
	cs_map_init(&l->first);
	cs_arena_init(&l->keys);
}

void cs_python_layers_release(cs_python_layers *l)
{
	cs_map_release(&l->first);
	cs_arena_release(&l->keys);
}

/* path NUL name NUL version NUL into buf; its length (NULs but the last) in *n. */
static int layer_key(cs_buf *b, const char *path, const cs_python_meta *m)
{
	int rc;

	cs_buf_reset(b);
	if ((rc = cs_buf_append(b, path, strlen(path) + 1)) < 0)
		return rc;
	return cs_buf_append(b, m->key, m->keylen);
}

int cs_python_layers_add(cs_python_layers *l, const char *path, const cs_python_meta *m, int layer)
{
	cs_buf b;
	char *key;
	int have, rc;

	cs_buf_init(&b, 0);
	if ((rc = layer_key(&b, path, m)) < 0)
		goto done;
	have = cs_cat_first_get(&l->first, b.data, b.len);
	if (have >= 0 && have <= layer)
		goto done;
	if (have < 0) {
		if (!(key = cs_arena_alloc(&l->keys, b.len))) {
			rc = CS_ENOMEM;
			goto done;
		}
		memcpy(key, b.data, b.len);
	} else {
		key = b.data; /* the map keeps the key it has */
	}
	rc = cs_cat_first_note(&l->first, key, b.len, layer);
done:
	cs_buf_release(&b);
	return rc;
}

int cs_python_layers_first(const cs_python_layers *l, const char *path, const cs_python_meta *m)
{
	cs_buf b;
	int first = -1;

	cs_buf_init(&b, 0);
	if (layer_key(&b, path, m) == 0)
		first = cs_cat_first_get(&l->first, b.data, b.len);
	cs_buf_release(&b);
	return first;
}

/* --- the analyzer -------------------------------------------------------------- */

/* One metadata file of one layer, as parsed. */
typedef struct py_file {
	struct py_file *next; /* older files of the layer */
	const char *path;     /* clean path; walk arena */
	int kind;             /* CS_PYTHON_* */
	const char *error;    /* why it was refused, or NULL */
	cs_python_meta meta;
} py_file;

/* The per-layer state: what parse() found, newest file first. */
typedef struct py_layer {
	py_file *files;
} py_layer;

static bool python_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_python_kind(path) != CS_PYTHON_NONE;
}

static int python_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err)
{
	cs_arena *a = cs_walk_arena(w);
	void **slot = cs_walk_state(w, CS_AN_python);
	py_layer *layer = *slot;
	py_file *f;
	cs_err perr;
	int kind = cs_python_kind(e->path), rc;

	if (!S_ISREG(e->mode) || kind == CS_PYTHON_NONE)
		return 0;
	if (!layer) {
		if (!(layer = cs_arena_alloc(a, sizeof(*layer))))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		*slot = layer;
	}
	if (!(f = cs_arena_alloc(a, sizeof(*f))) || !(f->path = cs_arena_strdup(a, e->path)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	f->kind = kind;
	cs_err_clear(&perr);
	rc = cs_python_parse_metadata(&f->meta, a, data, len, &perr);
	if (rc < 0 && rc != CS_EFORMAT) {
		cs_err_merge(err, &perr);
		return rc;
	}
	/* Refused files are reported by finish(), for the copy the final image holds. */
	if (rc == CS_EFORMAT && !(f->error = cs_arena_strdup(a, perr.msg)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	f->next = layer->files;
	layer->files = f;
	return 0;
}

/*
 * An egg-info directory may hold both PKG-INFO and METADATA: importlib
 * reads METADATA first, so PKG-INFO only counts when the final image has
 * no METADATA beside it.
 */
static bool shadowed(const cs_scan *s, const py_file *f)
{
	char sib[4096];
	size_t dirlen = (size_t)(cs_path_base(f->path) - f->path);
	cs_fsinfo info;
	cs_err lerr;

	if (f->kind != CS_PYTHON_EGG_INFO_DIR || dirlen + sizeof("METADATA") > sizeof(sib))
		return false;
	memcpy(sib, f->path, dirlen);
	memcpy(sib + dirlen, "METADATA", sizeof("METADATA"));
	cs_err_clear(&lerr);
	return cs_scan_lookup(s, sib, false, &info, NULL, 0, &lerr) == 0 && S_ISREG(info.mode);
}

static int emit(cs_scan *s, const cs_python_layers *first, const py_file *f, int layer)
{
	cs_arena *a = cs_scan_arena(s);
	const cs_python_meta *m = &f->meta;
	cs_package *p;
	cs_err perr;
	char *purl = NULL;
	int rc, low;

	if (!(p = cs_arena_alloc(a, sizeof(*p))))
		return CS_ENOMEM;
	/* Strings are borrowed from the walk arena, which lives as long as the scan. */
	p->type = "pypi";
	p->name = m->name;
	p->version = m->version;
	p->source_name = m->name;
	p->source_version = m->version;
	p->found_in = f->path;
	low = cs_python_layers_first(first, f->path, m);
	p->layer = low >= 0 ? low : layer;
	p->licenses = m->licenses;
	p->nlicenses = m->nlicenses;
	p->owner = cs_scan_file_owner(s, f->path);
	cs_err_clear(&perr);
	rc = cs_python_purl(&purl, a, m, &perr);
	if ((rc = cs_cat_set_purl(s, p, rc, purl, &perr)) < 0)
		return rc;
	return cs_scan_add_package(s, p);
}

/*
 * Emits a package for each metadata file of the final image: a file parsed
 * in layer i counts when the merged view says layer i wrote the path last
 * (so a file deleted or replaced later does not). Every layer's copies feed
 * the layer index first.
 */
static int python_finish(cs_scan *s, cs_err *err)
{
	cs_python_layers first;
	cs_map done;
	size_t i, nlayers = cs_scan_layer_count(s);
	int rc = 0;

	cs_python_layers_init(&first);
	cs_map_init(&done);
	for (i = 0; i < nlayers; i++) {
		const py_layer *l = cs_scan_layer_state(s, i, CS_AN_python);
		const py_file *f;

		for (f = l ? l->files : NULL; f; f = f->next)
			if (!f->error && (rc = cs_python_layers_add(&first, f->path, &f->meta, (int)i)) < 0)
				goto out;
	}
	for (i = 0; i < nlayers; i++) {
		const py_layer *l = cs_scan_layer_state(s, i, CS_AN_python);
		const py_file *f;

		for (f = l ? l->files : NULL; f; f = f->next) {
			if (!cs_cat_is_final(s, f->path, (int)i))
				continue;
			/* The tar held the path twice: the newest copy (first in the list) is the one. */
			if (cs_map_get(&done, f->path))
				continue;
			if ((rc = cs_map_put(&done, f->path, (void *)f)) < 0)
				goto out;
			if (shadowed(s, f))
				continue;
			if (f->error) {
				cs_scan_diag(s, CS_LOG_WARN, "cannot read python metadata '%s': %s", f->path, f->error);
				continue;
			}
			if ((rc = emit(s, &first, f, (int)i)) < 0)
				goto out;
		}
	}
out:
	cs_map_release(&done);
	cs_python_layers_release(&first);
	return cs_cat_finish_err(err, rc, "python packages");
}

const cs_analyzer cs_analyzer_python = {
	.name = "python",
	.scanners = 0,
	.max_size = 0,
	.wants = python_wants,
	.parse = python_parse,
	.finish = python_finish,
};
