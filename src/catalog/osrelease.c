/*
 * osrelease.c - OS detection: release-file parsers and the "os-release"
 * analyzer.
 *
 * Pipeline place: the first analyzer (catalog/analyzers.def). During the
 * walk, parse() turns each release file of a layer into a cs_os kept in the
 * layer's state, keyed by path. In finish(), the merged view says which of
 * the candidate files the final image holds (symbolic links resolved, so
 * Debian's etc/os-release -> ../usr/lib/os-release finds the entry parsed
 * from usr/lib/os-release in the layer that wrote it); cs_osrel_combine
 * turns those answers into one, and the scan records it.
 *
 * Every byte read here comes from an image: lines are taken through a
 * bounded view, nothing relies on a terminating NUL, values are capped in
 * length and must be printable UTF-8 before they are kept.
 */
#include "core/compat.h"
#include "catalog/osrelease.h"

#include <sys/stat.h>

#include "core/log.h"
#include "core/strutil.h"
#include "core/view.h"
#include "scan/scan.h"

/* Longest value kept (PRETTY_NAME and the like), bytes. */
#define OSREL_VALUE_MAX 512
/* Longest "<name>" in "<name> release <version>" that we try to recognise. */
#define OSREL_RHNAME_MAX 64
/* Where Fedora points usr/lib/os-release (os-release-container...). */
#define OSREL_D_DIR "usr/lib/os.release.d/"

enum osrel_kind {
	K_OSREL,  /* KEY=value, os-release(5) */
	K_LSB,    /* KEY=value, DISTRIB_* keys */
	K_ALPINE, /* one line: "3.11.5" */
	K_RH,     /* one line: "<name> release <version> (<codename>)" */
	K_CPE,    /* one line: "cpe:/o:<vendor>:<product>:<version>..." */
	K_DEBIAN, /* one line: "12.11" or "bookworm/sid" */
};

static const struct {
	const char *path;
	enum osrel_kind kind;
} osrel_files[] = {
	{"etc/os-release", K_OSREL},
	{"usr/lib/os-release", K_OSREL},
	{"etc/lsb-release", K_LSB},
	{"etc/alpine-release", K_ALPINE},
	{"etc/centos-release", K_RH},
	{"etc/rocky-release", K_RH},
	{"etc/almalinux-release", K_RH},
	{"etc/oracle-release", K_RH},
	{"etc/fedora-release", K_RH},
	{"etc/redhat-release", K_RH},
	{"etc/system-release", K_RH},
	{"etc/system-release-cpe", K_CPE},
	{"etc/debian_version", K_DEBIAN},
};

_Static_assert(CS_ARRAY_LEN(osrel_files) == CS_OSREL_NPATHS, "CS_OSREL_NPATHS is stale");

/* Indexes of the files combine() treats specially. */
enum { IDX_ALPINE = 3, IDX_DEBIAN = CS_OSREL_NPATHS - 1 };

/*
 * os-release IDs whose family has another name in Trivy's vocabulary. IDs
 * not listed are their own family ("debian", "ubuntu", "alpine", "centos",
 * "rocky", "fedora", "sles", "photon", "wolfi", "chainguard", "echo",
 * "minimos", "azurelinux", "bottlerocket", "coreos"...).
 */
static const struct {
	const char *id;
	const char *family;
} osrel_id_map[] = {
	{"rhel", "redhat"},
	{"almalinux", "alma"},
	{"ol", "oracle"},
	{"amzn", "amazon"},
	{"opensuse-leap", "opensuse.leap"},
	{"opensuse", "opensuse.leap"}, /* Leap 42 said ID=opensuse */
	{"opensuse-tumbleweed", "opensuse.tumbleweed"},
	{"sled", "sles"},
	{"sle-micro", "slem"},
	{"sle-micro-rancher", "slem"},
	{"sl-micro", "slem"},
	{"mariner", "cbl-mariner"},
};

/*
 * "<name>" of a Red Hat style release line, lower-cased, to family. A name
 * not listed is "redhat": the file claims Red Hat compatibility (Trivy's
 * rule), e.g. "Red Hat Enterprise Linux Server".
 */
static const struct {
	const char *name;
	const char *family;
} osrel_rh_names[] = {
	{"centos", "centos"},
	{"centos linux", "centos"},
	{"centos stream", "centos-stream"},
	{"rocky", "rocky"},
	{"rocky linux", "rocky"},
	{"alma", "alma"},
	{"almalinux", "alma"},
	{"alma linux", "alma"},
	{"oracle", "oracle"},
	{"oracle linux", "oracle"},
	{"oracle linux server", "oracle"},
	{"fedora", "fedora"},
	{"fedora linux", "fedora"},
	{"amazon linux", "amazon"},
	{"amazon linux ami", "amazon"},
	{"scientific linux", "scientific"},
	/* Its version is the OpenShift release, not a RHEL one. */
	{"red hat enterprise linux coreos", "rhcos"},
};

/* CPE vendor to family, for etc/system-release-cpe. */
static const struct {
	const char *vendor;
	const char *family;
} osrel_cpe_vendors[] = {
	{"redhat", "redhat"},
	{"centos", "centos"},
	{"fedoraproject", "fedora"},
	{"oracle", "oracle"},
	{"amazon", "amazon"},
	{"rocky", "rocky"},
	{"almalinux", "alma"},
	{"scientificlinux", "scientific"},
};

const char *cs_osrel_path(size_t i)
{
	return i < CS_OSREL_NPATHS ? osrel_files[i].path : NULL;
}

/* The format of path, or -1 when it is not a file we read. */
static int osrel_kind_of(const char *path)
{
	size_t i;

	/* Called for every entry of every layer: reject most paths at once. */
	if (strncmp(path, "etc/", 4) != 0 && strncmp(path, "usr/lib/", 8) != 0)
		return -1;
	for (i = 0; i < CS_OSREL_NPATHS; i++)
		if (strcmp(path, osrel_files[i].path) == 0)
			return (int)osrel_files[i].kind;
	if (cs_str_starts(path, OSREL_D_DIR) && path[sizeof(OSREL_D_DIR) - 1] != '\0' &&
	    strchr(path + sizeof(OSREL_D_DIR) - 1, '/') == NULL)
		return K_OSREL;
	return -1;
}

bool cs_osrel_wants_path(const char *path)
{
	return osrel_kind_of(path) >= 0;
}

/* --- character classes ------------------------------------------------ */

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char to_lower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c | 0x20);
	return c;
}

/* Control characters other than tab (NUL included) and DEL. */
static bool has_control(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return true;
	}
	return false;
}

/* Well-formed UTF-8: no overlongs, surrogates or code points past U+10FFFF. */
static bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t need, k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i - 1 < need)
			return false;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

/*
 * A version token: starts with a letter or digit, then letters, digits and
 * . _ ~ + - (and / when slash, for debian_version's "bookworm/sid").
 */
static bool version_ok(const char *p, size_t n, bool slash)
{
	size_t i;

	if (n == 0 || n > OSREL_VALUE_MAX || !is_alnum(p[0]))
		return false;
	for (i = 1; i < n; i++) {
		char c = p[i];

		if (!is_alnum(c) && c != '.' && c != '_' && c != '~' && c != '+' && c != '-' &&
		    !(slash && c == '/'))
			return false;
	}
	return true;
}

/*
 * Lower-cases an os-release style id into the arena. NULL when it is empty,
 * too long or holds characters an id may not have (os-release(5) allows
 * a-z, 0-9, "." "_" "-"; upper case is folded rather than refused).
 */
static char *id_dup(cs_arena *a, const char *p, size_t n, bool *nomem)
{
	char *out;
	size_t i;

	if (n == 0 || n > OSREL_VALUE_MAX)
		return NULL;
	for (i = 0; i < n; i++) {
		char c = to_lower(p[i]);

		if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
			return NULL;
	}
	out = cs_arena_alloc(a, n + 1);
	if (!out) {
		*nomem = true;
		return NULL;
	}
	for (i = 0; i < n; i++)
		out[i] = to_lower(p[i]);
	out[n] = '\0';
	return out;
}

/* Maps an os-release ID (already lower case) to its family. */
const char *cs_osrel_family(const char *id)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(osrel_id_map); i++)
		if (strcmp(id, osrel_id_map[i].id) == 0)
			return osrel_id_map[i].family;
	return id;
}

/* Copies [p, p + n) into the arena; *nomem on failure. n == 0 gives NULL. */
static const char *str_dup(cs_arena *a, const char *p, size_t n, bool *nomem)
{
	char *s;

	if (n == 0)
		return NULL;
	s = cs_arena_strndup(a, p, n);
	if (!s)
		*nomem = true;
	return s;
}

/* --- KEY=value files: os-release, lsb-release -------------------------- */

/* The fields we keep, in both KEY=value formats. */
enum { F_ID, F_VERSION, F_PRETTY, F_NAME, F_CODENAME, F_CODENAME2, F_NFIELDS };

static const char *const osrel_keys[F_NFIELDS] = {
	"ID", "VERSION_ID", "PRETTY_NAME", "NAME", "VERSION_CODENAME", "UBUNTU_CODENAME",
};
static const char *const lsb_keys[F_NFIELDS] = {
	"DISTRIB_ID", "DISTRIB_RELEASE", "DISTRIB_DESCRIPTION", NULL, "DISTRIB_CODENAME", NULL,
};

typedef struct kv_field {
	size_t n;                    /* bytes in v */
	bool set;                    /* assigned at least once */
	char v[OSREL_VALUE_MAX + 1]; /* decoded value, NUL-terminated */
} kv_field;

static bool dq_escapable(char c)
{
	return c == '\\' || c == '"' || c == '$' || c == '`';
}

/*
 * Decodes the value part of an assignment the way a POSIX shell reads one
 * word: '...' is literal, "..." honours \\ \" \$ \`, an unquoted backslash
 * escapes the next byte, an unquoted '#' after a blank starts a comment and
 * unquoted trailing blanks are dropped. Writes at most cap bytes to out and
 * the decoded length (which may exceed cap) to *outlen. Returns NULL, or
 * the reason the value is malformed.
 */
static const char *decode_value(const char *p, size_t n, char *out, size_t cap, size_t *outlen)
{
	size_t i = 0, o = 0, keep = 0;
	bool blank_before = true;

#define EMIT(ch)                                                                              \
	do {                                                                                  \
		if (o < cap)                                                                  \
			out[o] = (ch);                                                        \
		o++;                                                                          \
	} while (0)

	while (i < n) {
		char c = p[i];

		if (c == '\'') {
			const char *end = memchr(p + i + 1, '\'', n - i - 1);
			size_t k;

			if (!end)
				return "unterminated single quote";
			for (k = i + 1; k < (size_t)(end - p); k++)
				EMIT(p[k]);
			i = (size_t)(end - p) + 1;
			keep = o;
			blank_before = false;
		} else if (c == '"') {
			for (i++;; i++) {
				if (i >= n)
					return "unterminated double quote";
				if (p[i] == '"')
					break;
				if (p[i] == '\\' && i + 1 < n && dq_escapable(p[i + 1]))
					i++;
				EMIT(p[i]);
			}
			i++;
			keep = o;
			blank_before = false;
		} else if (c == '\\') {
			/* A final backslash would continue the line: not supported, dropped. */
			if (i + 1 < n)
				EMIT(p[i + 1]);
			i += 2;
			keep = o;
			blank_before = false;
		} else if (c == '#' && blank_before) {
			break;
		} else {
			EMIT(c);
			i++;
			blank_before = c == ' ' || c == '\t';
			if (!blank_before)
				keep = o;
		}
	}
#undef EMIT
	*outlen = keep;
	return NULL;
}

/*
 * Reads every KEY=value line of data into fields (keys[i] names field i; a
 * NULL key is not read). A later assignment replaces an earlier one, as in
 * a shell. Malformed lines are skipped (systemd does the same) unless no
 * line at all is an assignment: then the file is not of this format.
 * Returns 0, CS_ENOTFOUND for a file with nothing but blanks and comments,
 * or CS_EFORMAT with the first bad line named in err.
 */
static int kv_read(const char *path, const uint8_t *data, size_t len, const char *const keys[],
		   kv_field fields[], cs_err *err)
{
	cs_view v = cs_view_make(data, len);
	const char *line, *why = NULL;
	size_t n, lineno = 0, bad_line = 0, good = 0, content = 0;
	char scratch[OSREL_VALUE_MAX + 1];

	while (cs_view_line(&v, &line, &n)) {
		const char *key, *val;
		size_t klen = 0, vlen, dlen = 0, f;
		const char *bad;
		kv_field *field = NULL;

		lineno++;
		cs_mem_trim(&line, &n);
		if (n == 0 || line[0] == '#')
			continue;
		content++;
		if (has_control(line, n)) {
			bad = "unprintable character";
			goto bad_line;
		}
		key = line;
		while (klen < n && (is_alnum(key[klen]) || key[klen] == '_'))
			klen++;
		val = key + klen;
		vlen = n - klen;
		cs_mem_trim(&val, &vlen);
		if (klen == 0 || is_digit(key[0]) || vlen == 0 || val[0] != '=') {
			bad = "expected KEY=value";
			goto bad_line;
		}
		val++;
		vlen--;
		cs_mem_trim(&val, &vlen);
		for (f = 0; f < F_NFIELDS; f++)
			if (keys[f] && strlen(keys[f]) == klen && memcmp(keys[f], key, klen) == 0)
				field = &fields[f];
		bad = decode_value(val, vlen, scratch, sizeof(scratch) - 1, &dlen);
		if (!bad && field && dlen > OSREL_VALUE_MAX)
			bad = "value too long";
		if (!bad && field && !utf8_valid(scratch, dlen))
			bad = "value is not UTF-8";
		if (bad)
			goto bad_line;
		if (field) {
			memcpy(field->v, scratch, dlen);
			field->v[dlen] = '\0';
			field->n = dlen;
			field->set = true;
		}
		good++;
		continue;
bad_line:
		/* Skipped; an earlier good assignment of the same key stays. */
		if (!why) {
			why = bad;
			bad_line = lineno;
		}
	}
	if (good)
		return 0;
	if (content == 0)
		return CS_ENOTFOUND;
	return cs_err_set(err, CS_EFORMAT, "'%s': line %zu: %s", path, bad_line, why);
}

/* A field's value, or NULL when unset or empty. */
static const kv_field *kv_get(const kv_field fields[], int f)
{
	return fields[f].set && fields[f].n ? &fields[f] : NULL;
}

static int parse_kv(cs_os *out, const char *path, enum osrel_kind kind, const uint8_t *data,
		    size_t len, cs_arena *arena, cs_err *err)
{
	kv_field fields[F_NFIELDS];
	const kv_field *id, *ver, *name, *code;
	const char *lid;
	bool nomem = false;
	int rc;

	memset(fields, 0, sizeof(fields));
	rc = kv_read(path, data, len, kind == K_OSREL ? osrel_keys : lsb_keys, fields, err);
	if (rc < 0)
		return rc;
	id = kv_get(fields, F_ID);
	lid = id ? id_dup(arena, id->v, id->n, &nomem) : NULL;
	if (!lid)
		return nomem ? cs_err_set(err, CS_ENOMEM, "'%s': out of memory", path) : CS_ENOTFOUND;
	out->family = cs_osrel_family(lid);
	name = kv_get(fields, F_NAME);
	/* Trivy tells CentOS Stream from CentOS by NAME alone. */
	if (strcmp(out->family, "centos") == 0 && name && strcmp(name->v, "CentOS Stream") == 0)
		out->family = "centos-stream";
	ver = kv_get(fields, F_VERSION);
	if (ver && version_ok(ver->v, ver->n, false))
		out->version = str_dup(arena, ver->v, ver->n, &nomem);
	if (!kv_get(fields, F_PRETTY))
		out->name = name ? str_dup(arena, name->v, name->n, &nomem) : NULL;
	else
		out->name = str_dup(arena, fields[F_PRETTY].v, fields[F_PRETTY].n, &nomem);
	code = kv_get(fields, F_CODENAME);
	if (!code)
		code = kv_get(fields, F_CODENAME2);
	if (code && version_ok(code->v, code->n, false))
		out->codename = str_dup(arena, code->v, code->n, &nomem);
	if (nomem)
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", path);
	return 0;
}

/* --- one-line files ---------------------------------------------------- */

/*
 * The first non-blank line of data, trimmed. CS_ENOTFOUND when there is
 * none, CS_EFORMAT when it holds control characters or is too long.
 */
static int first_line(const char *path, const uint8_t *data, size_t len, const char **line,
		      size_t *n, cs_err *err)
{
	cs_view v = cs_view_make(data, len);
	size_t lineno = 0;

	while (cs_view_line(&v, line, n)) {
		lineno++;
		cs_mem_trim(line, n);
		if (*n == 0)
			continue;
		if (has_control(*line, *n))
			return cs_err_set(err, CS_EFORMAT, "'%s': line %zu: unprintable character",
					  path, lineno);
		if (*n > OSREL_VALUE_MAX)
			return cs_err_set(err, CS_EFORMAT, "'%s': line %zu: line too long", path,
					  lineno);
		return 0;
	}
	return CS_ENOTFOUND;
}

/* etc/alpine-release ("3.11.5") and etc/debian_version ("12.11", "bookworm/sid"). */
static int parse_token(cs_os *out, const char *path, enum osrel_kind kind, const uint8_t *data,
		       size_t len, cs_arena *arena, cs_err *err)
{
	const char *line;
	size_t n;
	bool nomem = false;
	int rc;

	if ((rc = first_line(path, data, len, &line, &n, err)) < 0)
		return rc;
	if (!version_ok(line, n, kind == K_DEBIAN) || (kind == K_ALPINE && !is_digit(line[0])))
		return cs_err_set(err, CS_EFORMAT, "'%s': line does not hold a version", path);
	out->family = kind == K_ALPINE ? "alpine" : "debian";
	out->version = str_dup(arena, line, n, &nomem);
	if (nomem)
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", path);
	return 0;
}

/*
 * etc/redhat-release and its kin: "<name> release <version> (<codename>)",
 * e.g. "CentOS Linux release 7.6.1810 (Core)". The version is the run of
 * digits and dots after the first " release " followed by a digit. The
 * family comes from <name>, except in etc/oracle-release, which is Oracle's
 * whatever it says.
 */
static int parse_rh(cs_os *out, const char *path, const uint8_t *data, size_t len,
		    cs_arena *arena, cs_err *err)
{
	static const char sep[] = " release ";
	const size_t seplen = sizeof(sep) - 1;
	const char *line, *at = NULL, *ver, *name;
	size_t n, i, vlen = 0, nlen;
	char lower[OSREL_RHNAME_MAX + 1];
	bool nomem = false;
	int rc;

	if ((rc = first_line(path, data, len, &line, &n, err)) < 0)
		return rc;
	for (i = 1; i + seplen < n; i++) {
		if (memcmp(line + i, sep, seplen) == 0 && is_digit(line[i + seplen])) {
			at = line + i;
			break;
		}
	}
	if (!at || !utf8_valid(line, n))
		return cs_err_set(err, CS_EFORMAT, "'%s': expected '<name> release <version>'", path);
	ver = at + seplen;
	while (ver + vlen < line + n && (is_digit(ver[vlen]) || ver[vlen] == '.'))
		vlen++;
	while (ver[vlen - 1] == '.')
		vlen--;
	name = line;
	nlen = (size_t)(at - line);
	cs_mem_trim(&name, &nlen);

	out->family = "redhat";
	if (strcmp(path, "etc/oracle-release") == 0) {
		out->family = "oracle";
	} else if (nlen <= OSREL_RHNAME_MAX) {
		for (i = 0; i < nlen; i++)
			lower[i] = to_lower(name[i]);
		lower[nlen] = '\0';
		for (i = 0; i < CS_ARRAY_LEN(osrel_rh_names); i++)
			if (strcmp(lower, osrel_rh_names[i].name) == 0)
				out->family = osrel_rh_names[i].family;
	}
	out->version = str_dup(arena, ver, vlen, &nomem);
	out->name = str_dup(arena, line, n, &nomem);
	if (nomem)
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", path);
	return 0;
}

/*
 * etc/system-release-cpe: "cpe:/o:centos:linux:6:GA" (CPE 2.2) or
 * "cpe:2.3:o:amazon:amazon_linux:2" (CPE 2.3). The vendor names the family,
 * the version field must start with a digit.
 */
static int parse_cpe(cs_os *out, const char *path, const uint8_t *data, size_t len,
		     cs_arena *arena, cs_err *err)
{
	const char *line, *f[3], *p, *end;
	size_t n, fl[3], i;
	const char *lvendor;
	bool nomem = false;
	int rc;

	if ((rc = first_line(path, data, len, &line, &n, err)) < 0)
		return rc;
	if (cs_mem_starts(line, n, "cpe:/o:"))
		p = line + 7;
	else if (cs_mem_starts(line, n, "cpe:2.3:o:"))
		p = line + 10;
	else
		return cs_err_set(err, CS_EFORMAT, "'%s': not an operating system CPE", path);
	end = line + n;
	/* vendor, product, version: each ends at ':' or at the end of the line */
	for (i = 0; i < 3; i++) {
		const char *c = memchr(p, ':', (size_t)(end - p));

		f[i] = p;
		fl[i] = c ? (size_t)(c - p) : (size_t)(end - p);
		if (!c && i < 2)
			return cs_err_set(err, CS_EFORMAT, "'%s': CPE has no version", path);
		p = c ? c + 1 : end;
	}
	if (!version_ok(f[2], fl[2], false) || !is_digit(f[2][0]))
		return cs_err_set(err, CS_EFORMAT, "'%s': CPE has no version", path);
	lvendor = id_dup(arena, f[0], fl[0], &nomem);
	if (!lvendor)
		return nomem ? cs_err_set(err, CS_ENOMEM, "'%s': out of memory", path)
			     : cs_err_set(err, CS_EFORMAT, "'%s': bad CPE vendor", path);
	out->family = lvendor;
	for (i = 0; i < CS_ARRAY_LEN(osrel_cpe_vendors); i++)
		if (strcmp(lvendor, osrel_cpe_vendors[i].vendor) == 0)
			out->family = osrel_cpe_vendors[i].family;
	out->version = str_dup(arena, f[2], fl[2], &nomem);
	if (nomem)
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", path);
	return 0;
}

int cs_osrel_parse(cs_os *out, const char *path, const uint8_t *data, size_t len, cs_arena *arena,
		   cs_err *err)
{
	int kind = osrel_kind_of(path);
	int rc;

	memset(out, 0, sizeof(*out));
	out->layer = -1;
	if (kind < 0)
		return cs_err_set(err, CS_EUSAGE, "'%s': not an OS release file", path);
	if (!data)
		len = 0;
	switch ((enum osrel_kind)kind) {
	case K_OSREL:
	case K_LSB:
		rc = parse_kv(out, path, (enum osrel_kind)kind, data, len, arena, err);
		break;
	case K_ALPINE:
	case K_DEBIAN:
		rc = parse_token(out, path, (enum osrel_kind)kind, data, len, arena, err);
		break;
	case K_RH:
		rc = parse_rh(out, path, data, len, arena, err);
		break;
	case K_CPE:
	default:
		rc = parse_cpe(out, path, data, len, arena, err);
		break;
	}
	if (rc < 0) {
		memset(out, 0, sizeof(*out));
		out->layer = -1;
		return rc;
	}
	out->found_in = path;
	return 0;
}

/* --- combining answers ------------------------------------------------ */

/* "12", "12.11", "6.0.10": what debian_version holds on a stable release. */
static bool point_release(const char *v)
{
	if (!is_digit(*v))
		return false;
	for (;;) {
		while (is_digit(*v))
			v++;
		if (*v == '\0')
			return true;
		if (*v != '.' || !is_digit(v[1]))
			return false;
		v++;
	}
}

/* Same leading number: "12" and "12.11", not "12" and "13.5". */
static bool same_major(const char *a, const char *b)
{
	size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");

	return na == nb && na > 0 && memcmp(a, b, na) == 0;
}

static bool same_family(const cs_os *a, const cs_os *b)
{
	return a && b && a->family && b->family && strcmp(a->family, b->family) == 0;
}

int cs_osrel_combine(cs_os *out, const cs_os *const found[CS_OSREL_NPATHS])
{
	const cs_os *alp = found[IDX_ALPINE], *deb = found[IDX_DEBIAN];
	size_t i, primary = CS_OSREL_NPATHS;

	for (i = 0; i < CS_OSREL_NPATHS && primary == CS_OSREL_NPATHS; i++)
		if (found[i] && found[i]->family)
			primary = i;
	if (primary == CS_OSREL_NPATHS)
		return CS_ENOTFOUND;
	*out = *found[primary];

	if (primary != IDX_ALPINE && same_family(out, alp) && alp->version)
		out->version = alp->version;
	if (primary != IDX_DEBIAN && same_family(out, deb) && deb->version &&
	    point_release(deb->version) && (!out->version || same_major(out->version, deb->version)))
		out->version = deb->version;

	for (i = primary + 1; i < CS_OSREL_NPATHS; i++) {
		const cs_os *o = found[i];

		if (!same_family(out, o))
			continue;
		if (!out->version)
			out->version = o->version;
		if (!out->name)
			out->name = o->name;
		if (!out->codename)
			out->codename = o->codename;
	}
	return 0;
}

/* --- the analyzer ------------------------------------------------------ */

/* One release file parsed in one layer; a layer's files form a list. */
typedef struct osrel_file {
	struct osrel_file *next; /* older entry of the same layer, or NULL */
	const char *path;        /* clean path in the layer; walk arena */
	int rc;                  /* cs_osrel_parse result: 0, CS_ENOTFOUND, CS_EFORMAT */
	cs_os os;                /* the answer when rc == 0; walk arena */
} osrel_file;

static bool osrel_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_osrel_wants_path(path);
}

/*
 * Keeps the answer (or the failure) for e->path in the layer's list, newest
 * first, so a path written twice in one tar resolves to its last copy.
 * A malformed file is reported (CS_EFORMAT); a file naming no OS is not.
 */
static int osrel_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err)
{
	cs_arena *arena = cs_walk_arena(w);
	void **slot = cs_walk_state(w, CS_AN_osrelease);
	osrel_file *f = cs_arena_alloc(arena, sizeof(*f));
	char *path = cs_arena_strdup(arena, e->path);
	size_t plen = strlen(e->path);
	const char *msg;
	cs_err perr;
	int rc;

	if (!f || !path)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_err_clear(&perr);
	rc = cs_osrel_parse(&f->os, path, data, len, arena, &perr);
	f->path = path;
	f->rc = rc;
	f->next = *slot;
	*slot = f;
	if (rc == 0 || rc == CS_ENOTFOUND)
		return 0;
	/* The scan names the file already: drop our "'path': " prefix. */
	msg = perr.msg;
	if (msg[0] == '\'' && strncmp(msg + 1, e->path, plen) == 0 &&
	    strncmp(msg + 1 + plen, "': ", 3) == 0)
		msg += plen + 4;
	return cs_err_set(err, rc, "%s", msg[0] ? msg : cs_err_name(rc));
}

static const osrel_file *osrel_find(const osrel_file *f, const char *path)
{
	for (; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

/* Copies *field into the scan arena (NULL stays NULL). */
static int osrel_keep(cs_arena *a, const char **field)
{
	if (*field && !(*field = cs_arena_strdup(a, *field)))
		return CS_ENOMEM;
	return 0;
}

/*
 * Looks each candidate up in the final image, following links, and takes
 * the answer parsed from the file actually reached in the layer that wrote
 * it. A link loop is an error diagnostic; detection goes on without that
 * file. No OS found is not an error.
 */
static int osrel_finish(cs_scan *s, cs_err *err)
{
	cs_os local[CS_OSREL_NPATHS], os;
	const cs_os *found[CS_OSREL_NPATHS] = {NULL};
	char resolved[4096];
	cs_arena *arena = cs_scan_arena(s);
	size_t i;

	for (i = 0; i < CS_OSREL_NPATHS; i++) {
		const char *path = osrel_files[i].path;
		const osrel_file *f;
		cs_fsinfo info;
		cs_err lerr;
		int rc;

		cs_err_clear(&lerr);
		resolved[0] = '\0';
		rc = cs_scan_lookup(s, path, true, &info, resolved, sizeof(resolved), &lerr);
		if (rc == CS_ENOTFOUND)
			continue;
		if (rc == CS_ELIMIT) {
			cs_scan_diag(s, CS_LOG_ERROR,
				     "os detection: cannot resolve '%s': too many levels of "
				     "symbolic links",
				     path);
			continue;
		}
		if (rc < 0) {
			cs_scan_diag(s, CS_LOG_WARN, "os detection: cannot resolve '%s': %s", path,
				     cs_err_name(rc));
			continue;
		}
		if (info.layer < 0 || resolved[0] == '\0')
			continue;
		f = osrel_find(cs_scan_layer_state(s, (size_t)info.layer, CS_AN_osrelease), resolved);
		if (!f || f->rc != 0)
			continue;
		local[i] = f->os;
		local[i].layer = info.layer;
		found[i] = &local[i];
	}
	if (cs_osrel_combine(&os, found) < 0)
		return 0;
	if (osrel_keep(arena, &os.family) < 0 || osrel_keep(arena, &os.version) < 0 ||
	    osrel_keep(arena, &os.name) < 0 || osrel_keep(arena, &os.codename) < 0 ||
	    osrel_keep(arena, &os.found_in) < 0)
		return cs_err_set(err, CS_ENOMEM, "os detection: out of memory");
	cs_scan_set_os(s, &os);
	return 0;
}

const cs_analyzer cs_analyzer_osrelease = {
	.name = "os-release",
	.scanners = 0,
	.max_size = (uint64_t)64 * 1024,
	.wants = osrel_wants,
	.parse = osrel_parse,
	.finish = osrel_finish,
};
