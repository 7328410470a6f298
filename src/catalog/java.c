/*
 * java.c - the java cataloger: Maven artifacts in Java archives (jar, war,
 * ear, par, sar, and Jenkins' jpi/hpi), nested archives included.
 *
 * Two halves. The first parses bytes with no knowledge of scans: the
 * pom.properties and MANIFEST.MF formats, file names, pom.xml licenses and
 * the walk through an archive and the archives inside it, in memory, under
 * the limits of cs_java_limits (java.h documents it). The second is one
 * line: the langcat frame (langcat.h) runs the parser per archive per
 * layer and emits "maven" packages for the archives the final image holds.
 */
#include "core/compat.h"
#include "catalog/java.h"
#include "catalog/catutil.h"
#include "catalog/langcat.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/purl.h"
#include "core/strutil.h"

#include <strings.h>
#include <sys/stat.h>

/* --- helpers ------------------------------------------------------------------ */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f';
}

/* Trims blanks (space, tab, form feed) from both ends of [*p, *p + *n). */
static void trim(const char **p, size_t *n)
{
	while (*n && is_blank(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_blank((*p)[*n - 1]))
		(*n)--;
}

/* An arena copy of [p, p + n) trimmed, or NULL (in *out) when empty or holding a control byte. */
static int keep_value(const char **out, cs_arena *a, const char *p, size_t n)
{
	trim(&p, &n);
	*out = NULL;
	if (n == 0 || cs_cat_has_control(p, n))
		return 0;
	if (!(*out = cs_arena_strndup(a, p, n)))
		return CS_ENOMEM;
	return 0;
}

/* Appends s to an arena array of strings. */
static int push_str(const char ***arr, size_t *n, size_t *cap, cs_arena *a, const char *s)
{
	if (*n == *cap) {
		const char **grown = cs_arena_grow(a, (void *)*arr, *n, cap, sizeof(**arr));

		if (!grown)
			return CS_ENOMEM;
		*arr = grown;
	}
	(*arr)[(*n)++] = s;
	return 0;
}

/* Appends the UTF-8 form of code point c (< 0x10000) to b. */
static int put_utf8(cs_buf *b, unsigned c)
{
	char u[3];
	size_t n;

	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	}
	return cs_buf_append(b, u, n);
}

/*
 * The next line of [p, p + len) from *pos: ends at LF, CRLF or a lone CR
 * (the manifest and properties grammars allow all three). False at the end.
 */
static bool next_line(const char *p, size_t len, size_t *pos, const char **line, size_t *n)
{
	size_t i = *pos;

	if (i >= len)
		return false;
	*line = p + i;
	while (i < len && p[i] != '\n' && p[i] != '\r')
		i++;
	*n = (size_t)(p + i - *line);
	if (i < len)
		i += p[i] == '\r' && i + 1 < len && p[i + 1] == '\n' ? 2 : 1;
	*pos = i;
	return true;
}

static const char java_exts[][5] = {".jar", ".war", ".ear", ".par", ".sar", ".jpi", ".hpi"};

bool cs_java_is_archive(const char *name)
{
	size_t n = strlen(name), i;

	if (n < 5)
		return false;
	for (i = 0; i < CS_ARRAY_LEN(java_exts); i++)
		if (strncasecmp(name + n - 4, java_exts[i], 4) == 0)
			return name[n - 5] != '/';
	return false;
}

/* --- pom.properties ----------------------------------------------------------- */

/*
 * Unescapes a java.util.Properties key or value [p, p + n) into b: \t \n
 * \r \f, \uXXXX (written as UTF-8), and a backslash before any other
 * character stands for that character. A malformed \u is kept as written
 * (Java refuses the whole file; one bad value is enough to lose here).
 */
static int prop_unescape(cs_buf *b, const char *p, size_t n)
{
	size_t i;
	int rc;

	cs_buf_reset(b);
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '\\' && i + 1 < n) {
			c = p[++i];
			if (c == 'u' && i + 4 < n && cs_cat_hex_digit(p[i + 1]) >= 0 &&
			    cs_cat_hex_digit(p[i + 2]) >= 0 && cs_cat_hex_digit(p[i + 3]) >= 0 &&
			    cs_cat_hex_digit(p[i + 4]) >= 0) {
				unsigned u = (unsigned)(cs_cat_hex_digit(p[i + 1]) << 12 |
							cs_cat_hex_digit(p[i + 2]) << 8 |
							cs_cat_hex_digit(p[i + 3]) << 4 | cs_cat_hex_digit(p[i + 4]));

				if ((rc = put_utf8(b, u)) < 0)
					return rc;
				i += 4;
				continue;
			}
			c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'f' ? '\f' : c;
		}
		if ((rc = cs_buf_putc(b, c)) < 0)
			return rc;
	}
	return 0;
}

/* A natural line ends with an odd number of backslashes: the logical line goes on. */
static bool continues(const char *line, size_t n)
{
	size_t k = 0;

	while (k < n && line[n - 1 - k] == '\\')
		k++;
	return k % 2 == 1;
}

/* One logical line "key<sep>value" (escapes still in): keeps groupId, artifactId and version. */
static int prop_line(cs_java_gav *out, cs_arena *a, cs_buf *tmp, const char *l, size_t n)
{
	size_t k = 0, v;
	const char **slot;
	int rc;

	while (k < n && l[k] != '=' && l[k] != ':' && !is_blank(l[k]))
		k += l[k] == '\\' && k + 1 < n ? 2 : 1;
	if (k > n)
		k = n;
	v = k;
	while (v < n && is_blank(l[v]))
		v++;
	if (v < n && (l[v] == '=' || l[v] == ':'))
		v++;
	while (v < n && is_blank(l[v]))
		v++;
	if ((rc = prop_unescape(tmp, l, k)) < 0)
		return rc;
	if (strcmp(tmp->data, "groupId") == 0)
		slot = &out->group_id;
	else if (strcmp(tmp->data, "artifactId") == 0)
		slot = &out->artifact_id;
	else if (strcmp(tmp->data, "version") == 0)
		slot = &out->version;
	else
		return 0;
	if ((rc = prop_unescape(tmp, l + v, n - v)) < 0)
		return rc;
	/* An unescaped NUL would cut the string short: keep_value refuses control bytes. */
	return keep_value(slot, a, tmp->data, tmp->len);
}

int cs_java_parse_pom_properties(cs_java_gav *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const char *p = data, *line;
	cs_buf logical, tmp;
	size_t pos = 0, n;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	cs_buf_init(&logical, 0);
	cs_buf_init(&tmp, 0);
	while (next_line(p, len, &pos, &line, &n)) {
		/* Leading blanks go; trailing ones stay (a "\\ " does not continue) and leave with the value's. */
		while (n && is_blank(*line)) {
			line++;
			n--;
		}
		if (n == 0 || line[0] == '#' || line[0] == '!')
			continue;
		cs_buf_reset(&logical);
		for (;;) {
			bool more = continues(line, n);

			if ((rc = cs_buf_append(&logical, line, more ? n - 1 : n)) < 0)
				goto done;
			if (!more || !next_line(p, len, &pos, &line, &n))
				break;
			while (n && is_blank(*line)) {
				line++;
				n--;
			}
		}
		if ((rc = prop_line(out, a, &tmp, logical.data, logical.len)) < 0)
			goto done;
	}
	if (!out->group_id || !out->artifact_id || !out->version)
		rc = cs_err_set(err, CS_EFORMAT, "pom.properties without %s",
				!out->group_id ? "a groupId" : !out->artifact_id ? "an artifactId" : "a version");
done:
	cs_buf_release(&logical);
	cs_buf_release(&tmp);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing pom.properties");
	return rc;
}

/* --- MANIFEST.MF ----------------------------------------------------------------- */

enum {
	M_IMPL_TITLE, M_IMPL_VERSION, M_IMPL_VENDOR, M_IMPL_VENDOR_ID,
	M_SPEC_TITLE, M_SPEC_VERSION, M_SPEC_VENDOR,
	M_BUNDLE_NAME, M_BUNDLE_SYMBOLIC_NAME, M_BUNDLE_VERSION, M_BUNDLE_LICENSE,
	M_AUTOMATIC_MODULE_NAME, M_GROUP_ID, M_SHORT_NAME, M_PLUGIN_VERSION, M_WEAVE_CLASSES,
	M_COUNT
};

static const char *const manifest_names[M_COUNT] = {
	"Implementation-Title", "Implementation-Version", "Implementation-Vendor", "Implementation-Vendor-Id",
	"Specification-Title", "Specification-Version", "Specification-Vendor",
	"Bundle-Name", "Bundle-SymbolicName", "Bundle-Version", "Bundle-License",
	"Automatic-Module-Name", "Group-Id", "Short-Name", "Plugin-Version", "Weave-Classes",
};

static const char **manifest_slot(cs_java_manifest *m, int f)
{
	switch (f) {
	case M_IMPL_TITLE: return &m->impl_title;
	case M_IMPL_VERSION: return &m->impl_version;
	case M_IMPL_VENDOR: return &m->impl_vendor;
	case M_IMPL_VENDOR_ID: return &m->impl_vendor_id;
	case M_SPEC_TITLE: return &m->spec_title;
	case M_SPEC_VERSION: return &m->spec_version;
	case M_SPEC_VENDOR: return &m->spec_vendor;
	case M_BUNDLE_NAME: return &m->bundle_name;
	case M_BUNDLE_SYMBOLIC_NAME: return &m->bundle_symbolic_name;
	case M_BUNDLE_VERSION: return &m->bundle_version;
	case M_BUNDLE_LICENSE: return &m->bundle_license;
	case M_AUTOMATIC_MODULE_NAME: return &m->automatic_module_name;
	case M_GROUP_ID: return &m->group_id;
	case M_SHORT_NAME: return &m->short_name;
	case M_PLUGIN_VERSION: return &m->plugin_version;
	default: return NULL;
	}
}

typedef struct manifest_state {
	cs_java_manifest *m;
	cs_arena *a;
	const char **plugin_lic; /* Plugin-License-Name[-N], in order */
	size_t nplugin, plugin_cap;
} manifest_state;

/* [p, p + n) names Plugin-License-Name or Plugin-License-Name-<anything>. */
static bool is_plugin_license(const char *p, size_t n)
{
	static const char key[] = "Plugin-License-Name";
	size_t k = sizeof(key) - 1;

	return n >= k && strncasecmp(p, key, k) == 0 && (n == k || (n > k + 1 && p[k] == '-'));
}

/* One unfolded attribute line "Name: value" of the main section. */
static int manifest_attr(manifest_state *st, const char *l, size_t n)
{
	const char *colon = memchr(l, ':', n), *v;
	size_t namelen, vlen;
	const char *value;
	int f, rc;

	if (!colon || colon == l)
		return 0;
	namelen = (size_t)(colon - l);
	v = colon + 1;
	vlen = n - namelen - 1;
	trim(&v, &vlen);
	/* OSGi localization keys ("%bundleName") name a value kept elsewhere (Trivy skips them too). */
	if (vlen == 0 || v[0] == '%')
		return 0;
	if ((rc = keep_value(&value, st->a, v, vlen)) < 0 || !value)
		return rc;
	if (is_plugin_license(l, namelen))
		return push_str(&st->plugin_lic, &st->nplugin, &st->plugin_cap, st->a, value);
	for (f = 0; f < M_COUNT; f++)
		if (strlen(manifest_names[f]) == namelen && strncasecmp(l, manifest_names[f], namelen) == 0)
			break;
	if (f == M_WEAVE_CLASSES)
		st->m->weave_classes = true;
	else if (f < M_COUNT)
		*manifest_slot(st->m, f) = value; /* a repeated attribute: the last wins, as in java.util.jar */
	return 0;
}

/* A license URL, lower-cased, without scheme, "www.", trailing '/' and extension, into buf. */
static void url_key(char *buf, size_t bufsz, const char *url)
{
	size_t n = 0, i;
	static const char *const exts[] = {".txt", ".html", ".htm", ".php"};

	if (strncasecmp(url, "https://", 8) == 0)
		url += 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		url += 7;
	if (strncasecmp(url, "www.", 4) == 0)
		url += 4;
	for (; *url && n + 1 < bufsz; url++)
		buf[n++] = (char)(*url >= 'A' && *url <= 'Z' ? *url - 'A' + 'a' : *url);
	buf[n] = '\0';
	while (n && buf[n - 1] == '/')
		buf[--n] = '\0';
	for (i = 0; i < CS_ARRAY_LEN(exts); i++) {
		size_t e = strlen(exts[i]);

		if (n > e && strcmp(buf + n - e, exts[i]) == 0) {
			buf[n -= e] = '\0';
			break;
		}
	}
}

/*
 * The SPDX id of a well-known license URL, or NULL. A handful of the URLs
 * Bundle-License headers actually carry; anything else is reported as written.
 */
static const char *license_by_url(const char *url)
{
	static const struct {
		const char *key, *id;
	} known[] = {
		{"apache.org/licenses/license-2.0", "Apache-2.0"},
		{"opensource.org/licenses/apache-2.0", "Apache-2.0"},
		{"opensource.org/licenses/mit", "MIT"},
		{"opensource.org/licenses/mit-license", "MIT"},
		{"eclipse.org/legal/epl-v10", "EPL-1.0"},
		{"eclipse.org/legal/epl-2.0", "EPL-2.0"},
		{"eclipse.org/org/documents/edl-v10", "BSD-3-Clause"},
		{"opensource.org/licenses/bsd-3-clause", "BSD-3-Clause"},
	};
	char key[128];
	size_t i;

	url_key(key, sizeof(key), url);
	for (i = 0; i < CS_ARRAY_LEN(known); i++)
		if (strcmp(key, known[i].key) == 0)
			return known[i].id;
	return NULL;
}

/*
 * The end of the field of s that starts at p: the next sep outside double
 * quotes (a backslash escapes inside them), or the terminator.
 */
static const char *field_end(const char *p, char sep)
{
	bool quoted = false;

	for (; *p; p++) {
		if (*p == '\\' && quoted && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == sep && !quoted)
			break;
	}
	return p;
}

/* Bundle-License: "id-or-url[;link=...][;description=...], ..." (OSGi core, 3.2.1.7). */
static int bundle_licenses(manifest_state *st, const char ***out, size_t *n, size_t *cap)
{
	const char *p = st->m->bundle_license;
	int rc;

	while (p && *p) {
		const char *end = field_end(p, ','), *name_end = field_end(p, ';'), *s = p;
		size_t len;

		if (name_end > end)
			name_end = end;
		while (s < name_end && (*s == ' ' || *s == '"'))
			s++;
		len = (size_t)(name_end - s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '"'))
			len--;
		if (len && !(len == 12 && memcmp(s, "<<EXTERNAL>>", 12) == 0)) {
			char *name = cs_arena_strndup(st->a, s, len);
			const char *id;

			if (!name)
				return CS_ENOMEM;
			id = license_by_url(name);
			if ((rc = push_str(out, n, cap, st->a, id ? id : name)) < 0)
				return rc;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int cs_java_parse_manifest(cs_java_manifest *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const char *p = data, *line;
	size_t pos = 0, n, lcap = 0;
	manifest_state st;
	cs_buf attr;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.m = out;
	st.a = a;
	cs_buf_init(&attr, 0);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (next_line(p, len, &pos, &line, &n)) {
		if (n == 0)
			break; /* the end of the main section */
		if (line[0] == ' ') {
			/* A continuation: the value goes on without the space (java.util.jar.Attributes). */
			if (attr.len && (rc = cs_buf_append(&attr, line + 1, n - 1)) < 0)
				goto done;
			continue;
		}
		if (attr.len && (rc = manifest_attr(&st, attr.data, attr.len)) < 0)
			goto done;
		cs_buf_reset(&attr);
		if ((rc = cs_buf_append(&attr, line, n)) < 0)
			goto done;
	}
	if (attr.len && (rc = manifest_attr(&st, attr.data, attr.len)) < 0)
		goto done;
	/* Trivy's precedence: Jenkins' license names, else the OSGi header. */
	if (st.nplugin) {
		out->licenses = st.plugin_lic;
		out->nlicenses = st.nplugin;
	} else if ((rc = bundle_licenses(&st, &out->licenses, &out->nlicenses, &lcap)) < 0) {
		goto done;
	}
done:
	cs_buf_release(&attr);
	if (rc < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory parsing a manifest");
	return 0;
}

/* --- file names and identification ------------------------------------------- */

static bool is_artifact_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-';
}

bool cs_java_split_filename(const char **artifact, const char **version, cs_arena *a, const char *base)
{
	size_t n = strlen(base), i, head_ok = 0, blank_end = 0;

	*artifact = *version = NULL;
	if (!cs_java_is_archive(base))
		return false;
	n -= 4; /* the extension */
	if (cs_cat_has_control(base, n))
		return false;
	/* base[0..head_ok) are artifactId characters; base[blank_end..n) holds no blank. */
	while (head_ok < n && is_artifact_char(base[head_ok]))
		head_ok++;
	for (i = 0; i < n; i++)
		if (base[i] == ' ')
			blank_end = i + 1;
	/*
	 * Trivy's ^([a-zA-Z0-9._-]*[^-*])-(\d\S*).jar$ with its greedy first
	 * group: the last '-' followed by a digit whose tail has no blank, after
	 * a head of artifactId characters and one more that is not '-' or '*'.
	 */
	for (i = n; i-- > 1;) {
		if (base[i] != '-' || i + 1 >= n || base[i + 1] < '0' || base[i + 1] > '9')
			continue;
		if (i + 1 < blank_end)
			return false; /* a blank in the tail: every split before it has one too */
		if (base[i - 1] == '-' || base[i - 1] == '*' || head_ok < i - 1)
			continue;
		*artifact = cs_arena_strndup(a, base, i);
		*version = cs_arena_strndup(a, base + i + 1, n - i - 1);
		if (!*artifact || !*version) {
			*artifact = *version = NULL;
			return false;
		}
		return true;
	}
	return false;
}

bool cs_java_plausible_group(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!is_artifact_char(*s))
			return false;
	return true;
}

/* s less its last dotted component ("org.springframework.core" -> "org.springframework"), or NULL. */
static const char *drop_last_component(cs_arena *a, const char *s)
{
	const char *semi, *dot;
	size_t n;

	if (!s)
		return NULL;
	/* Bundle-SymbolicName may carry directives: "org.eclipse.x; singleton:=true". */
	semi = strchr(s, ';');
	n = semi ? (size_t)(semi - s) : strlen(s);
	while (n && is_blank(s[n - 1]))
		n--;
	for (dot = s + n; dot > s && dot[-1] != '.'; dot--)
		;
	if (dot <= s + 1)
		return NULL;
	return cs_arena_strndup(a, s, (size_t)(dot - 1 - s));
}

/* The first word of s ("1.0-SNAPSHOT (private-07/09/2020 13:30-?)" -> "1.0-SNAPSHOT"). */
static const char *first_word(cs_arena *a, const char *s)
{
	size_t n = 0;

	if (!s)
		return NULL;
	while (s[n] && !is_blank(s[n]))
		n++;
	return n ? cs_arena_strndup(a, s, n) : NULL;
}

bool cs_java_identify(cs_java_gav *out, cs_arena *a, const char *base, const cs_java_manifest *m,
		      const cs_java_pomxml *poms, size_t n)
{
	static const cs_java_manifest none;
	const char *file_artifact, *file_version, *artifact = NULL, *version = NULL, *group = NULL;
	const char *cand[8];
	bool jenkins;
	size_t i, k = 0;

	memset(out, 0, sizeof(*out));
	if (!m)
		m = &none;
	if (m->weave_classes)
		return false;
	jenkins = m->group_id != NULL;
	if (cs_java_split_filename(&file_artifact, &file_version, a, base)) {
		artifact = file_artifact;
		version = file_version;
	} else {
		artifact = jenkins && m->short_name ? m->short_name
			   : m->impl_title           ? m->impl_title
			   : m->spec_title           ? m->spec_title
						     : m->bundle_name;
		version = jenkins && m->plugin_version ? first_word(a, m->plugin_version)
			  : m->impl_version           ? m->impl_version
			  : m->spec_version           ? m->spec_version
						      : m->bundle_version;
	}
	if (!artifact || !version)
		return false;
	cand[k++] = m->group_id;
	cand[k++] = m->impl_vendor_id;
	for (i = 0; i < n && poms; i++)
		if (poms[i].artifact_id && strcmp(poms[i].artifact_id, artifact) == 0) {
			cand[k++] = poms[i].group_id;
			break;
		}
	cand[k++] = drop_last_component(a, m->bundle_symbolic_name);
	cand[k++] = drop_last_component(a, m->automatic_module_name);
	cand[k++] = m->impl_vendor;
	cand[k++] = m->spec_vendor;
	for (i = 0; i < k && !group; i++)
		if (cs_java_plausible_group(cand[i]))
			group = cand[i];
	if (!group)
		return false;
	/* "com.fasterxml.jackson.core.jackson-core-2.15.2.jar": the artifactId is "jackson-core". */
	if (artifact == file_artifact) {
		size_t g = strlen(group);

		if (strncmp(artifact, group, g) == 0 && artifact[g] == '.' && artifact[g + 1])
			artifact += g + 1;
	}
	out->group_id = group;
	out->artifact_id = artifact;
	out->version = version;
	return true;
}

/* --- pom.xml licenses ---------------------------------------------------------- */

/* Appends the XML text [p, p + n) to b with entities decoded; false on a malformed reference. */
static int xml_text(cs_buf *b, const char *p, size_t n)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
	size_t i, e;
	int rc;

	for (i = 0; i < n; i++) {
		if (p[i] != '&') {
			if ((rc = cs_buf_putc(b, p[i])) < 0)
				return rc;
			continue;
		}
		for (e = 0; e < CS_ARRAY_LEN(ents); e++)
			if (cs_mem_starts(p + i + 1, n - i - 1, ents[e].name))
				break;
		if (e < CS_ARRAY_LEN(ents)) {
			if ((rc = cs_buf_putc(b, ents[e].c)) < 0)
				return rc;
			i += strlen(ents[e].name);
		} else if (i + 2 < n && p[i + 1] == '#') {
			size_t j = i + 2;
			unsigned long c = 0;
			bool hex = p[j] == 'x';

			for (j += hex; j < n && p[j] != ';' && c < 0x110000; j++) {
				int d = hex ? cs_cat_hex_digit(p[j]) : (p[j] >= '0' && p[j] <= '9' ? p[j] - '0' : -1);

				if (d < 0)
					break;
				c = c * (hex ? 16 : 10) + (unsigned long)d;
			}
			if (j >= n || p[j] != ';' || c == 0 || c >= 0x10000)
				c = '?'; /* outside what a license name needs: kept visible, not decoded */
			if ((rc = put_utf8(b, (unsigned)c)) < 0)
				return rc;
			while (i < n && p[i] != ';')
				i++;
		} else if ((rc = cs_buf_putc(b, '&')) < 0) {
			return rc;
		}
	}
	return 0;
}

/* The local name of a tag name [p, p + n) ("pom:name" -> "name") equals s. */
static bool local_is(const char *p, size_t n, const char *s)
{
	const char *c = memchr(p, ':', n);

	if (c) {
		n -= (size_t)(c + 1 - p);
		p = c + 1;
	}
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

/* Where we are: 1 <project>, 2 <licenses>, 3 <license>, 4 <name>, matched level by level. */
static const char *const lic_path[] = {"project", "licenses", "license", "name"};

int cs_java_pom_licenses(const char ***out, size_t *nout, cs_arena *a, const void *data, size_t len)
{
	const char *p = data, *end = p + len;
	size_t depth = 0, matched = 0, cap = 0; /* matched: leading levels of lic_path we are inside */
	cs_buf text;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	cs_buf_init(&text, 0);
	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));

		if (matched == 4 && (rc = xml_text(&text, p, (size_t)((lt ? lt : end) - p))) < 0)
			goto done;
		if (!lt)
			break;
		p = lt + 1;
		if (cs_mem_starts(p, (size_t)(end - p), "!--")) {
			const char *c = memmem(p + 3, (size_t)(end - p - 3), "-->", 3);

			p = c ? c + 3 : end;
		} else if (cs_mem_starts(p, (size_t)(end - p), "![CDATA[")) {
			const char *c = memmem(p + 8, (size_t)(end - p - 8), "]]>", 3);

			if (!c)
				break;
			if (matched == 4 && (rc = cs_buf_append(&text, p + 8, (size_t)(c - p - 8))) < 0)
				goto done;
			p = c + 3;
		} else if (p < end && (*p == '?' || *p == '!')) {
			/* A processing instruction or a declaration (DOCTYPE, its internal subset included). */
			int brackets = 0;

			for (; p < end && (*p != '>' || brackets > 0); p++)
				brackets += *p == '[' ? 1 : *p == ']' ? -1 : 0;
			p += p < end;
		} else if (p < end && *p == '/') {
			p++;
			if (depth == 0)
				break; /* an end tag with nothing open: not a document we read on */
			if (matched == depth) {
				if (matched == 4) {
					const char *v = text.data;
					size_t n = text.len;
					const char *lic;
					char *q;

					size_t o = 0;

					/* Runs of blanks (line breaks included) collapse to single spaces. */
					for (q = text.data; q < text.data + text.len; q++) {
						char ch = *q == '\n' || *q == '\r' || *q == '\t' ? ' ' : *q;

						if (ch != ' ' || (o && text.data[o - 1] != ' '))
							text.data[o++] = ch;
					}
					n = o;
					trim(&v, &n);
					if ((rc = keep_value(&lic, a, v, n)) < 0)
						goto done;
					if (lic && (rc = push_str(out, nout, &cap, a, lic)) < 0)
						goto done;
					cs_buf_reset(&text);
				}
				matched--;
			}
			depth--;
			if (depth == 0)
				break; /* </project>: the rest is not the document */
			while (p < end && *p != '>')
				p++;
			p += p < end;
		} else {
			const char *name = p;
			size_t nlen;
			bool empty;

			while (p < end && *p != '>' && *p != '/' && !is_blank(*p) && *p != '\n' && *p != '\r')
				p++;
			nlen = (size_t)(p - name);
			/* Attributes: skip to the '>' that is not inside quotes. */
			for (char q = 0; p < end && (q || *p != '>'); p++)
				q = q ? (*p == q ? 0 : q) : (*p == '"' || *p == '\'' ? *p : 0);
			if (p >= end)
				break;
			empty = p[-1] == '/';
			p++;
			if (nlen == 0)
				break;
			if (depth == 0 && !local_is(name, nlen, "project"))
				break; /* not a POM */
			if (!empty) {
				if (matched == depth && depth < 4 && local_is(name, nlen, lic_path[depth])) {
					matched++;
					if (matched == 4)
						cs_buf_reset(&text);
				}
				if (++depth > 256)
					break;
			}
		}
	}
done:
	cs_buf_release(&text);
	return rc == CS_ENOMEM || rc == CS_ELIMIT ? CS_ENOMEM : 0;
}

/* --- the walk through an archive -------------------------------------------------- */

void cs_java_limits_default(cs_java_limits *l)
{
	l->max_depth = 4;
	l->max_total = 1ull << 30;
	l->max_nested_size = 256u << 20;
	l->max_meta = 4u << 20;
	l->max_archives = 4096;
	cs_zip_limits_default(&l->zip);
}

/* One package already reported for this file: for de-duplication. */
typedef struct seen_pkg {
	size_t index;   /* into out->pkgs */
	unsigned depth; /* nesting depth where it was found */
} seen_pkg;

/* One top-level file being parsed. */
typedef struct jctx {
	cs_langfile *out;
	cs_arena *a;
	size_t cap;             /* of out->pkgs */
	const cs_java_limits *lim;
	uint64_t budget;        /* uncompressed bytes still allowed, shared by every archive of the file */
	size_t narchives;       /* nested archives opened */
	cs_map seen;            /* "name\0version" -> seen_pkg */
	cs_buf meta;            /* the metadata entry being parsed */
} jctx;

/* One archive (the file or one nested in it) being read. */
typedef struct jar {
	const char *base;       /* its file name */
	const char *location;   /* its path inside the file, NULL for the file itself */
	unsigned depth;
	cs_java_manifest m;
	bool have_manifest;
	cs_java_gav *poms;      /* its pom.properties */
	size_t npoms, pcap;
	cs_java_pomxml *xmls;   /* its META-INF/maven/<g>/<a>/pom.xml */
	size_t nxmls, xcap;
} jar;

/*
 * Reports g:a@v found at location (depth deep); returns its index in
 * out->pkgs (an earlier copy's when the same name and version was seen:
 * then the shallower of the two keeps its location and licenses).
 */
static int add_package(jctx *c, const cs_java_gav *g, const char *location, unsigned depth,
		       const char **licenses, size_t nlicenses, size_t *index)
{
	size_t glen = strlen(g->group_id), alen = strlen(g->artifact_id), vlen = strlen(g->version);
	seen_pkg *s;
	cs_langpkg *p;
	cs_purl purl;
	cs_err perr;
	char *key, *purl_s;
	int rc;

	if (!(key = cs_arena_alloc(c->a, glen + alen + vlen + 3)))
		return CS_ENOMEM;
	memcpy(key, g->group_id, glen);
	key[glen] = ':';
	memcpy(key + glen + 1, g->artifact_id, alen + 1);
	memcpy(key + glen + alen + 2, g->version, vlen + 1);
	if ((s = cs_map_getn(&c->seen, key, glen + alen + vlen + 2)) != NULL) {
		p = &c->out->pkgs[s->index];
		if (depth < s->depth) {
			s->depth = depth;
			p->location = location;
			p->licenses = licenses;
			p->nlicenses = nlicenses;
		}
		*index = s->index;
		return 0;
	}
	if (!(s = cs_arena_alloc(c->a, sizeof(*s))) || !(p = cs_langfile_add(c->out, &c->cap, c->a)))
		return CS_ENOMEM;
	memset(p, 0, sizeof(*p));
	s->index = c->out->npkgs - 1;
	s->depth = depth;
	p->name = key;
	p->version = key + glen + alen + 2;
	p->location = location;
	p->licenses = licenses;
	p->nlicenses = nlicenses;
	memset(&purl, 0, sizeof(purl));
	purl.type = "maven";
	purl.ns = g->group_id;
	purl.name = g->artifact_id;
	purl.version = g->version;
	cs_err_clear(&perr);
	if ((rc = cs_purl_build(&purl_s, c->a, &purl, &perr)) == CS_ENOMEM)
		return rc;
	p->purl = rc < 0 ? NULL : purl_s;
	if ((rc = cs_map_putn(&c->seen, key, glen + alen + vlen + 2, s)) < 0)
		return rc;
	*index = s->index;
	return 0;
}

/* "META-INF/maven/<g>/<a>/pom.xml" -> g, a (arena copies); false for any other name. */
static bool pomxml_path(const char *name, cs_arena *a, const char **g, const char **art, bool *nomem)
{
	static const char pre[] = "META-INF/maven/", suf[] = "/pom.xml";
	size_t n = strlen(name), pl = sizeof(pre) - 1, sl = sizeof(suf) - 1;
	const char *mid, *slash;

	*nomem = false;
	if (n <= pl + sl || strncmp(name, pre, pl) != 0 || strcmp(name + n - sl, suf) != 0)
		return false;
	mid = name + pl;
	slash = memchr(mid, '/', (size_t)(name + n - sl - mid));
	if (!slash || slash == mid || slash + 1 >= name + n - sl || memchr(slash + 1, '/', (size_t)(name + n - sl - slash - 1)))
		return false;
	if (cs_cat_has_control(mid, (size_t)(name + n - sl - mid)))
		return false;
	*g = cs_arena_strndup(a, mid, (size_t)(slash - mid));
	*art = cs_arena_strndup(a, slash + 1, (size_t)(name + n - sl - slash - 1));
	*nomem = !*g || !*art;
	return !*nomem;
}

static int read_archive(jctx *c, const uint8_t *data, size_t len, const char *base, const char *location,
			unsigned depth, cs_err *err);

/* A nested archive, the current entry of z: read it whole and walk it. Failures count in nbad. */
static int nested(jctx *c, cs_zip *z, const jar *j, const char *name, uint64_t size)
{
	const char *loc;
	cs_buf data;
	cs_err nerr;
	int rc;

	/*
	 * An archive whose declared size is past what may still be read is
	 * passed over before inflating anything, so the small metadata files
	 * usually stored after WEB-INF/lib (META-INF/maven/) still fit.
	 */
	if (j->depth >= c->lim->max_depth || c->narchives >= c->lim->max_archives ||
	    cs_cat_has_control(name, strlen(name)) || size > c->lim->max_nested_size || size > c->budget) {
		c->out->nbad++;
		return 0;
	}
	c->narchives++;
	cs_buf_init(&data, 0);
	cs_err_clear(&nerr);
	rc = cs_zip_read(z, &data, c->lim->max_nested_size, &nerr);
	if (rc == 0) {
		loc = j->location ? cs_arena_printf(c->a, "%s!%s", j->location, name) : cs_arena_strdup(c->a, name);
		rc = loc ? read_archive(c, (const uint8_t *)data.data, data.len, cs_path_base(name), loc, j->depth + 1, &nerr)
			 : CS_ENOMEM;
	}
	cs_buf_release(&data);
	if (rc == CS_ENOMEM)
		return rc;
	if (rc < 0)
		c->out->nbad++;
	return 0;
}

/* One entry of j (current in z): metadata is parsed, nested archives walked. */
static int entry(jctx *c, cs_zip *z, jar *j, const cs_zip_entry *e)
{
	const char *base = cs_path_base(e->name), *g, *art;
	cs_err perr;
	bool nomem;
	int rc;

	cs_err_clear(&perr);
	if (strcmp(base, "pom.properties") == 0) {
		cs_java_gav gav;

		if ((rc = cs_zip_read(z, &c->meta, c->lim->max_meta, &perr)) == 0)
			rc = cs_java_parse_pom_properties(&gav, c->a, c->meta.data, c->meta.len, &perr);
		if (rc == 0) {
			if (j->npoms == j->pcap &&
			    !(j->poms = cs_arena_grow(c->a, j->poms, j->npoms, &j->pcap, sizeof(*j->poms))))
				return CS_ENOMEM;
			j->poms[j->npoms++] = gav;
		}
	} else if (strcasecmp(e->name, "META-INF/MANIFEST.MF") == 0) {
		if ((rc = cs_zip_read(z, &c->meta, c->lim->max_meta, &perr)) == 0 &&
		    (rc = cs_java_parse_manifest(&j->m, c->a, c->meta.data, c->meta.len, &perr)) == 0)
			j->have_manifest = true;
	} else if (pomxml_path(e->name, c->a, &g, &art, &nomem)) {
		cs_java_pomxml *x;

		if (j->nxmls == j->xcap && !(j->xmls = cs_arena_grow(c->a, j->xmls, j->nxmls, &j->xcap, sizeof(*j->xmls))))
			return CS_ENOMEM;
		x = &j->xmls[j->nxmls++];
		memset(x, 0, sizeof(*x));
		x->group_id = g;
		x->artifact_id = art;
		if ((rc = cs_zip_read(z, &c->meta, c->lim->max_meta, &perr)) == 0)
			rc = cs_java_pom_licenses(&x->licenses, &x->nlicenses, c->a, c->meta.data, c->meta.len);
	} else if (nomem) {
		return CS_ENOMEM;
	} else if (cs_java_is_archive(e->name)) {
		return nested(c, z, j, e->name, e->size);
	} else {
		return 0;
	}
	if (rc == CS_ENOMEM)
		return rc;
	if (rc < 0)
		c->out->nbad++;
	return 0;
}

/* The licenses of the pom.xml with the same groupId and artifactId, or none. */
static const cs_java_pomxml *pomxml_for(const jar *j, const cs_java_gav *g)
{
	size_t i;

	for (i = 0; i < j->nxmls; i++)
		if (strcmp(j->xmls[i].group_id, g->group_id) == 0 && strcmp(j->xmls[i].artifact_id, g->artifact_id) == 0)
			return &j->xmls[i];
	return NULL;
}

/* a and b are equal once lower-cased with '.' and '_' read as '-', over n bytes of a. */
static bool same_loose(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char x = a[i] == '.' || a[i] == '_' ? '-' : a[i], y = b[i] == '.' || b[i] == '_' ? '-' : b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y || !y)
			return false;
	}
	return true;
}

/*
 * g is the pom.properties of the archive named base, whose name splits
 * into artifact fa: its artifactId is fa (Trivy's test), or fa is
 * "<groupId>.<artifactId>" (sbt, Gradle caches), or the name starts with
 * the artifactId and a separator once '.' and '_' count as '-' (Debian's
 * geronimo-annotation-1.3-spec.jar for geronimo-annotation_1.3_spec).
 */
static bool is_own_pom(const cs_java_gav *g, const char *base, const char *fa)
{
	size_t glen = strlen(g->group_id), alen = strlen(g->artifact_id);

	if (strcmp(g->artifact_id, fa) == 0)
		return true;
	if (strncmp(fa, g->group_id, glen) == 0 && fa[glen] == '.' && strcmp(fa + glen + 1, g->artifact_id) == 0)
		return true;
	return strlen(base) >= alen + 4 && same_loose(g->artifact_id, base, alen) &&
	       (base[alen] == '-' || base[alen] == '.' || base[alen] == '_');
}

/* After the walk: j's own packages (its pom.properties, else its name and manifest), and their licenses. */
static int own_packages(jctx *c, jar *j)
{
	const char *fa, *fv;
	bool named = cs_java_split_filename(&fa, &fv, c->a, j->base), own = false, several = false;
	size_t i, idx, first = SIZE_MAX;
	cs_java_gav id;
	int rc;

	for (i = 0; i < j->npoms; i++) {
		const cs_java_gav *g = &j->poms[i];
		const cs_java_pomxml *x = pomxml_for(j, g);

		if ((rc = add_package(c, g, j->location, j->depth, x ? x->licenses : NULL, x ? x->nlicenses : 0,
				      &idx)) < 0)
			return rc;
		several |= first != SIZE_MAX && idx != first;
		first = first == SIZE_MAX ? idx : first;
		own |= named && is_own_pom(g, j->base, fa);
	}
	if (!own && cs_java_identify(&id, c->a, j->base, j->have_manifest ? &j->m : NULL, j->xmls, j->nxmls)) {
		/*
		 * An archive whose name gives no version but that has
		 * pom.properties (Debian's unversioned guice.jar with the cglib it
		 * embeds): the manifest names the archive itself when its artifactId
		 * is one and no pom.properties shares its version; otherwise it
		 * most likely describes one of them under a display title.
		 */
		bool take = named || j->npoms == 0;

		if (!take) {
			take = cs_java_plausible_group(id.artifact_id);
			for (i = 0; i < j->npoms && take; i++)
				take = strcmp(j->poms[i].version, id.version) != 0;
		}
		/*
		 * No pom.xml licenses here, as in Trivy: maven-archiver writes
		 * pom.xml and pom.properties together, so a pom.xml without its
		 * pom.properties is not evidence about this archive's license.
		 */
		if (take && (rc = add_package(c, &id, j->location, j->depth, NULL, 0, &idx)) < 0)
			return rc;
		if (take) {
			several |= first != SIZE_MAX && idx != first;
			first = first == SIZE_MAX ? idx : first;
		}
	}
	/* The manifest speaks for the archive: only an archive with one package of its own gets its licenses. */
	if (first != SIZE_MAX && !several && j->m.nlicenses && c->out->pkgs[first].nlicenses == 0) {
		c->out->pkgs[first].licenses = j->m.licenses;
		c->out->pkgs[first].nlicenses = j->m.nlicenses;
	}
	return 0;
}

/*
 * Walks one archive. For the file itself (depth 0) an archive that cannot
 * be opened or listed is an error; a nested one returns it to nested(),
 * which counts it. A failure after some entries were read counts in nbad
 * and what was found is kept.
 */
static int read_archive(jctx *c, const uint8_t *data, size_t len, const char *base, const char *location,
			unsigned depth, cs_err *err)
{
	cs_zip *z = NULL;
	cs_zip_entry e;
	uint64_t seen = 0;
	cs_err zerr;
	jar j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.base = base;
	j.location = location;
	j.depth = depth;
	if ((rc = cs_zip_open(&z, data, len, &c->lim->zip, &c->budget, err)) < 0)
		return rc;
	cs_err_clear(&zerr);
	while ((rc = cs_zip_next(z, &e, &zerr)) > 0) {
		seen++;
		if (!e.is_dir && (rc = entry(c, z, &j, &e)) < 0)
			break;
	}
	if (rc < 0 && rc != CS_ENOMEM && seen > 0) {
		c->out->nbad++;
		rc = 0;
	}
	cs_zip_close(z);
	if (rc == 0)
		rc = own_packages(c, &j);
	if (rc == CS_ENOMEM)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading a java archive");
	if (rc < 0)
		cs_err_merge(err, &zerr);
	return rc;
}

int cs_java_parse_archive(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
			  const cs_java_limits *lim, cs_err *err)
{
	cs_java_limits defaults;
	jctx c;
	int rc;

	if (!lim) {
		cs_java_limits_default(&defaults);
		lim = &defaults;
	}
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.a = a;
	c.lim = lim;
	c.budget = lim->max_total;
	cs_map_init(&c.seen);
	cs_buf_init(&c.meta, 0);
	rc = read_archive(&c, data, len, cs_path_base(path), NULL, 0, err);
	cs_buf_release(&c.meta);
	cs_map_release(&c.seen);
	return rc;
}

int cs_java_parse(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err)
{
	return cs_java_parse_archive(out, a, path, data, len, NULL, err);
}

/* --- the analyzer ----------------------------------------------------------------------- */

static bool java_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_java_is_archive(path);
}

static const cs_langcat java_cat = {CS_AN_java, "maven", "java packages", cs_java_parse, NULL};

CS_LANGCAT_ANALYZER(java, "java", java_wants, CS_JAVA_MAX_SIZE, java_cat);
