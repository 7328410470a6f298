/*
 * gomod.c - the gomod cataloger: Go modules from go.mod and go.sum files
 * (gomod.h describes what is read and reported).
 *
 * go.mod is read in the go command's two steps: a lexer and parser that
 * turn the text into lines and blocks of tokens (x/mod/modfile read.go),
 * then the directives checked one by one (rule.go), with semantic version
 * canonicalisation and the path/major-version check of x/mod/module. The
 * first error refuses the file, as modfile.Parse refuses it (it collects
 * them all; one is enough here). go.sum is a list of lines. The analyzer
 * wants both; a go.sum with a go.mod beside it in the final image is
 * passed over (the langcat frame's skip()).
 */
#include "core/compat.h"
#include "catalog/gomod.h"
#include "catalog/catutil.h"
#include "catalog/gobin.h"
#include "core/map.h"
#include "core/strutil.h"
#include "scan/scan.h"

#include <stdarg.h>
#include <sys/stat.h>

/* --- semantic versions (x/mod/semver) ---------------------------------------------------- */

typedef struct semver {
	const char *major, *minor, *patch; /* digit runs inside the string */
	size_t nmajor, nminor, npatch;
	const char *pre, *build;           /* "-..." and "+..." parts, or NULL */
	size_t npre, nbuild;
	bool short_minor, short_patch;     /* "v1", "v1.2": the missing parts are 0 */
} semver;

/* A number without leading zeros; its length, or 0. */
static size_t sv_num(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	if (i > 1 && p[0] == '0')
		return 0;
	return i;
}

static bool sv_ident_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Dot-separated identifiers after the '-' or '+' at p; numeric ones without leading zeros when pre. */
static size_t sv_idents(const char *p, size_t n, bool pre)
{
	size_t i = 1, start;

	for (;;) {
		bool digits = true;

		start = i;
		while (i < n && sv_ident_char(p[i])) {
			digits &= p[i] >= '0' && p[i] <= '9';
			i++;
		}
		if (i == start || (pre && digits && i - start > 1 && p[start] == '0'))
			return 0;
		if (i < n && p[i] == '.') {
			i++;
			continue;
		}
		return i;
	}
}

static bool sv_parse(semver *v, const char *s, size_t n)
{
	size_t i = 1, k;

	memset(v, 0, sizeof(*v));
	if (n < 2 || s[0] != 'v' || !(k = sv_num(s + i, n - i)))
		return false;
	v->major = s + i;
	v->nmajor = k;
	i += k;
	if (i == n) {
		v->short_minor = v->short_patch = true;
		return true;
	}
	if (s[i] != '.' || !(k = sv_num(s + i + 1, n - i - 1)))
		return false;
	v->minor = s + i + 1;
	v->nminor = k;
	i += 1 + k;
	if (i == n) {
		v->short_patch = true;
		return true;
	}
	if (s[i] != '.' || !(k = sv_num(s + i + 1, n - i - 1)))
		return false;
	v->patch = s + i + 1;
	v->npatch = k;
	i += 1 + k;
	if (i < n && s[i] == '-') {
		if (!(k = sv_idents(s + i, n - i, true)))
			return false;
		v->pre = s + i;
		v->npre = k;
		i += k;
	}
	if (i < n && s[i] == '+') {
		if (!(k = sv_idents(s + i, n - i, false)))
			return false;
		v->build = s + i;
		v->nbuild = k;
		i += k;
	}
	return i == n;
}

/* module.CanonicalVersion: vMAJOR.MINOR.PATCH[-pre], "+incompatible" kept; NULL when invalid. */
static char *sv_canonical(cs_arena *a, const char *s, size_t n, semver *v)
{
	bool incompatible;

	if (!sv_parse(v, s, n))
		return NULL;
	incompatible = v->nbuild == 13 && memcmp(v->build, "+incompatible", 13) == 0;
	return cs_arena_printf(a, "v%.*s.%.*s.%.*s%.*s%s", (int)v->nmajor, v->major,
			       v->short_minor ? 1 : (int)v->nminor, v->short_minor ? "0" : v->minor,
			       v->short_patch ? 1 : (int)v->npatch, v->short_patch ? "0" : v->patch, (int)v->npre,
			       v->pre ? v->pre : "", incompatible ? "+incompatible" : "");
}

/* --- the lexer and parser (modfile/read.go) ----------------------------------------------- */

enum { T_EOF, T_NL, T_COMMENT, T_EOLCOMMENT, T_LPAREN, T_RPAREN, T_PUNCT, T_IDENT, T_STRING };

typedef struct gtok {
	int kind;
	const char *p; /* its text: a comment from "//" to before its newline */
	size_t n;
	unsigned line;
} gtok;

typedef struct gparse {
	const char *p, *end, *data;
	unsigned line;
	gtok la;        /* the next token */
	cs_arena *a;
	cs_err *err;
	cs_gomod_file *f;
	size_t rcap, pcap;
	gtok *toks;     /* the statement being read; malloc'd */
	size_t ntoks, tcap;
} gparse;

static int gerr(gparse *g, unsigned line, const char *fmt, ...) CS_PRINTF(3, 4);

static int gerr(gparse *g, unsigned line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cs_err_set(g->err, CS_EFORMAT, "line %u: %s", line, msg);
}

/* Up to 64 bytes of a token for a message, non-printing bytes as '?'. */
static const char *show(char *buf, size_t bufsz, const char *p, size_t n)
{
	size_t i, k = n < 64 ? n : 64;

	if (k >= bufsz)
		k = bufsz - 1;
	for (i = 0; i < k; i++)
		buf[i] = (unsigned char)p[i] < 0x20 || p[i] == 0x7f ? '?' : p[i];
	buf[k] = '\0';
	return buf;
}

/*
 * The length of the UTF-8 sequence at p that Go's unicode.IsSpace accepts
 * or that IsPrint refuses among the common ones (C1 controls, no-break and
 * other spaces, the byte order mark), else 0: such runes end an
 * identifier, and the lexer refuses them. Other bytes >= 0x80, invalid
 * UTF-8 included (Go decodes it as U+FFFD, which prints), are identifier
 * bytes.
 */
static size_t odd_rune(const unsigned char *p, const unsigned char *end)
{
	if (end - p >= 2 && p[0] == 0xc2 && (p[1] <= 0x9f || p[1] == 0xa0 || p[1] == 0xad))
		return 2;
	if (end - p >= 3 && p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3;
	if (end - p >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] <= 0x8f || (p[2] >= 0xa8 && p[2] <= 0xaf)))
		return 3;
	if (end - p >= 3 && p[0] == 0xe2 && p[1] == 0x81 && (p[2] == 0x9f || (p[2] >= 0xa0 && p[2] <= 0xaf)))
		return 3;
	if (end - p >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	if (end - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return 3;
	return 0;
}

/* An identifier byte: printable, not a blank, not ( ) [ ] { } , */
static bool ident_at(const gparse *g, const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c >= 0x80)
		return odd_rune((const unsigned char *)p, (const unsigned char *)g->end) == 0;
	return c > 0x20 && c < 0x7f && !strchr("()[]{},", c);
}

/* Reads the next token into g->la. */
static int lex(gparse *g)
{
	gtok *t = &g->la;
	char b[80];

	for (;;) {
		if (g->p < g->end && (*g->p == ' ' || *g->p == '\t' || *g->p == '\r')) {
			g->p++;
			continue;
		}
		if (g->end - g->p >= 2 && g->p[0] == '/' && g->p[1] == '/') {
			const char *s = g->p, *q = g->p;
			bool suffix = false;

			/* A comment with text before it on its line ends a statement; one alone is a line. */
			while (q > g->data && q[-1] != '\n') {
				q--;
				if (!strchr(" \t\r\v\f", *q))
					suffix = true;
			}
			while (g->p < g->end && *g->p != '\n')
				g->p++;
			t->kind = suffix ? T_EOLCOMMENT : T_COMMENT;
			t->p = s;
			t->n = (size_t)(g->p - s);
			t->line = g->line;
			if (g->p < g->end) {
				g->p++;
				g->line++;
			}
			return 0;
		}
		if (g->end - g->p >= 2 && g->p[0] == '/' && g->p[1] == '*')
			return gerr(g, g->line, "mod files must use // comments (not /* */ comments)");
		break;
	}
	t->p = g->p;
	t->line = g->line;
	t->n = 1;
	if (g->p == g->end) {
		t->kind = T_EOF;
		t->n = 0;
		return 0;
	}
	switch (*g->p) {
	case '\n':
		t->kind = T_NL;
		g->p++;
		g->line++;
		return 0;
	case '(':
		t->kind = T_LPAREN;
		g->p++;
		return 0;
	case ')':
		t->kind = T_RPAREN;
		g->p++;
		return 0;
	case '[': case ']': case '{': case '}': case ',':
		t->kind = T_PUNCT;
		g->p++;
		return 0;
	case '"': case '`': {
		char q = *g->p++;

		for (;;) {
			if (g->p == g->end)
				return gerr(g, t->line, "unexpected EOF in string");
			if (*g->p == '\n')
				return gerr(g, t->line, "unexpected newline in string");
			if (*g->p == q) {
				g->p++;
				break;
			}
			if (*g->p == '\\' && q != '`') {
				/* Any byte may follow: strconv.Unquote judges the escape later. */
				if (++g->p == g->end)
					return gerr(g, t->line, "unexpected EOF in string");
				if (*g->p == '\n')
					g->line++;
			}
			g->p++;
		}
		t->kind = T_STRING;
		t->n = (size_t)(g->p - t->p);
		return 0;
	}
	}
	if (!ident_at(g, g->p))
		return gerr(g, g->line, "unexpected input character '%s'",
			    show(b, sizeof(b), g->p, 1));
	while (g->p < g->end && ident_at(g, g->p)) {
		if (g->end - g->p >= 2 && g->p[0] == '/' && g->p[1] == '/')
			break;
		if (g->end - g->p >= 2 && g->p[0] == '/' && g->p[1] == '*')
			return gerr(g, g->line, "mod files must use // comments (not /* */ comments)");
		g->p++;
	}
	t->kind = T_IDENT;
	t->n = (size_t)(g->p - t->p);
	return 0;
}

static bool is_eol(int kind)
{
	return kind == T_EOF || kind == T_EOLCOMMENT || kind == T_NL;
}

/* Appends t to the statement's tokens. */
static int push(gparse *g, const gtok *t)
{
	if (g->ntoks == g->tcap) {
		size_t ncap = g->tcap ? g->tcap * 2 : 16;
		gtok *grown = realloc(g->toks, ncap * sizeof(*grown));

		if (!grown)
			return cs_err_set(g->err, CS_ENOMEM, "out of memory reading a go.mod");
		g->toks = grown;
		g->tcap = ncap;
	}
	g->toks[g->ntoks++] = *t;
	return 0;
}

/* Appends the lookahead to the statement's tokens and reads the next. */
static int take(gparse *g)
{
	int rc = push(g, &g->la);

	return rc < 0 ? rc : lex(g);
}

/* --- the directives (modfile/rule.go) ------------------------------------------------------ */

static int put_rune(char *o, uint32_t u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | (u >> 6));
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | (u >> 12));
		o[1] = (char)(0x80 | ((u >> 6) & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (u >> 18));
	o[1] = (char)(0x80 | ((u >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((u >> 6) & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/* Go's strconv.Unquote of a "double-quoted" token; NULL when it is no valid Go string. */
static char *unquote(cs_arena *a, const char *p, size_t n)
{
	char *out = cs_arena_alloc(a, n + 1), *o = out; /* escapes never lengthen the text */
	size_t i;

	if (!out || n < 2)
		return NULL;
	for (i = 1; i < n - 1;) {
		char c = p[i++];
		uint32_t u = 0;
		int k, d, len;

		if (c != '\\') {
			if (c == '"')
				return NULL;
			*o++ = c;
			continue;
		}
		c = p[i++];
		switch (c) {
		case 'a': *o++ = '\a'; continue;
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'v': *o++ = '\v'; continue;
		case '\\': *o++ = '\\'; continue;
		case '"': *o++ = '"'; continue;
		case 'x': len = 2; break;
		case 'u': len = 4; break;
		case 'U': len = 8; break;
		default:
			if (c < '0' || c > '7' || n - 1 - i < 2)
				return NULL;
			for (k = -1; k < 2; k++) {
				d = p[i + k] - '0';
				if (d < 0 || d > 7)
					return NULL;
				u = u * 8 + (uint32_t)d;
			}
			if (u > 255)
				return NULL;
			i += 2;
			*o++ = (char)u;
			continue;
		}
		if (n - 1 - i < (size_t)len)
			return NULL;
		for (k = 0; k < len; k++) {
			if ((d = cs_cat_hex_digit(p[i + k])) < 0)
				return NULL;
			u = u << 4 | (uint32_t)d;
		}
		i += (size_t)len;
		if (c == 'x') {
			*o++ = (char)u;
			continue;
		}
		if (u > 0x10ffff || (u >= 0xd800 && u <= 0xdfff))
			return NULL;
		o += put_rune(o, u);
	}
	*o = '\0';
	return out;
}

/* modfile's parseString: a quoted token unquoted, a bare one as it is. */
static int string_arg(gparse *g, const gtok *t, const char **out)
{
	char b[80];

	*out = NULL;
	if (t->n && t->p[0] == '"') {
		if (!(*out = unquote(g->a, t->p, t->n)))
			return gerr(g, t->line, "invalid quoted string: %s", show(b, sizeof(b), t->p, t->n));
		return 0;
	}
	if (memchr(t->p, '"', t->n) || memchr(t->p, '\'', t->n) || memchr(t->p, '`', t->n))
		return gerr(g, t->line, "invalid quoted string: unquoted string cannot contain quote");
	if (!(*out = cs_arena_strndup(g->a, t->p, t->n)))
		return cs_err_set(g->err, CS_ENOMEM, "out of memory reading a go.mod");
	return 0;
}

/* modfile's parseVersion: the token as a canonical version. */
static int version_arg(gparse *g, const char *verb, const char *path, const gtok *t, const char **out, semver *v)
{
	const char *s;
	char b[80];
	int rc;

	if ((rc = string_arg(g, t, &s)) < 0)
		return rc;
	if (!(*out = sv_canonical(g->a, s, strlen(s), v)))
		return gerr(g, t->line, "%s %s: version \"%s\" invalid: must be of the form v1.2.3", verb,
			    show(b, sizeof(b), path, strlen(path)), s);
	return 0;
}

/* module.SplitPathVersion's major version suffix ("/v2", ".v1"); false when the path's suffix is malformed. */
static bool path_major(const char *path, const char **major)
{
	size_t n = strlen(path), i = n;
	bool dot = false;

	*major = "";
	if (cs_str_starts(path, "gopkg.in/")) {
		if (cs_str_ends(path, "-unstable"))
			i -= 9;
		while (i > 0 && path[i - 1] >= '0' && path[i - 1] <= '9')
			i--;
		if (i <= 1 || path[i - 1] != 'v' || path[i - 2] != '.')
			return false;
		*major = path + i - 2;
		return !(strlen(*major) <= 2 || ((*major)[2] == '0' && strcmp(*major, ".v0") != 0));
	}
	while (i > 0 && ((path[i - 1] >= '0' && path[i - 1] <= '9') || path[i - 1] == '.')) {
		dot |= path[i - 1] == '.';
		i--;
	}
	if (i <= 1 || i == n || path[i - 1] != 'v' || path[i - 2] != '/')
		return true;
	*major = path + i - 2;
	if (dot || n - (i - 2) <= 2 || (*major)[2] == '0' || strcmp(*major, "/v1") == 0) {
		*major = "";
		return false;
	}
	return true;
}

/* module.CheckPathMajor for the canonical version v (parsed as sv). */
static int check_major(gparse *g, unsigned line, const char *verb, const char *path, const char *version,
		       const semver *sv)
{
	const char *major, *want;
	size_t wn;
	char b[80];

	if (!path_major(path, &major))
		return gerr(g, line, "%s %s: invalid module path", verb, show(b, sizeof(b), path, strlen(path)));
	wn = strlen(major);
	if (major[0] == '.' && cs_str_ends(major, "-unstable"))
		wn -= 9;
	if (cs_str_starts(version, "v0.0.0-") && wn == 3 && !memcmp(major, ".v1", 3))
		return 0;
	if (!*major) {
		if ((sv->nmajor == 1 && (sv->major[0] == '0' || sv->major[0] == '1')) ||
		    cs_str_ends(version, "+incompatible"))
			return 0;
		want = "v0 or v1";
		wn = strlen(want);
	} else {
		if (wn - 1 == sv->nmajor + 1 && major[1] == 'v' && !memcmp(major + 2, sv->major, sv->nmajor))
			return 0;
		want = major + 1;
		wn -= 1;
	}
	return gerr(g, line, "%s %s: version \"%s\" invalid: should be %.*s, not v%.*s", verb,
		    show(b, sizeof(b), path, strlen(path)), version, (int)wn, want, (int)sv->nmajor, sv->major);
}

/* modfile.IsDirectoryPath, as of Go 1.22 ("." and ".." too). */
static bool directory_path(const char *p)
{
	return strcmp(p, ".") == 0 || strcmp(p, "..") == 0 || cs_str_starts(p, "./") || cs_str_starts(p, "../") ||
	       p[0] == '/' || cs_str_starts(p, ".\\") || cs_str_starts(p, "..\\") || p[0] == '\\' ||
	       (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':');
}

static bool tok_is(const gtok *t, const char *s)
{
	return t->n == strlen(s) && memcmp(t->p, s, t->n) == 0;
}

/* A "// indirect" or "// indirect; ..." comment (modfile's isIndirect). */
static bool indirect_comment(const gtok *c)
{
	const char *p = c->p + 2, *end = c->p + c->n, *w;
	size_t n;

	while (p < end && strchr(" \t\r\v\f", *p))
		p++;
	w = p;
	while (p < end && !strchr(" \t\r\v\f", *p))
		p++;
	n = (size_t)(p - w);
	while (p < end && strchr(" \t\r\v\f", *p))
		p++;
	if (n == 8 && !memcmp(w, "indirect", 8))
		return p == end;
	return n == 9 && !memcmp(w, "indirect;", 9);
}

/* ^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$ (modfile.GoVersionRE). */
static bool go_version_ok(const char *s)
{
	size_t n = strlen(s), i, k;

	if (!n || s[0] == '0' || !(i = sv_num(s, n)) || i == n || s[i] != '.' || !(k = sv_num(s + i + 1, n - i - 1)))
		return false;
	i += 1 + k;
	if (i < n && s[i] == '.') {
		if (!(k = sv_num(s + i + 1, n - i - 1)))
			return false;
		i += 1 + k;
	}
	if (i == n)
		return true;
	for (k = i; i < n && s[i] >= 'a' && s[i] <= 'z'; i++)
		;
	if (i == k || i == n)
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i == n;
}

/*
 * retract VERSION, or retract [LOW, HIGH]: the shape checked, nothing kept
 * (modfile's parseVersionInterval). The versions are only unquoted:
 * modfile.Parse reads them through dontFixRetract, which accepts any.
 */
static int retract(gparse *g, unsigned line, const gtok *args, size_t nargs)
{
	const char *v;
	char b[80];
	size_t used = 1;
	int rc;

	if (nargs == 0 || tok_is(&args[0], "("))
		return gerr(g, line, "expected '[' or version");
	if (tok_is(&args[0], "[")) {
		if (nargs < 2)
			return gerr(g, line, "expected version after '['");
		if ((rc = string_arg(g, &args[1], &v)) < 0)
			return rc;
		if (nargs < 3 || !tok_is(&args[2], ","))
			return gerr(g, line, "expected ',' after version");
		if (nargs < 4)
			return gerr(g, line, "expected version after ','");
		if ((rc = string_arg(g, &args[3], &v)) < 0)
			return rc;
		if (nargs < 5 || !tok_is(&args[4], "]"))
			return gerr(g, line, "expected ']' after version");
		used = 5;
	} else if ((rc = string_arg(g, &args[0], &v)) < 0) {
		return rc;
	}
	if (nargs > used)
		return gerr(g, line, "unexpected token after version: \"%s\"", show(b, sizeof(b), args[used].p, args[used].n));
	return 0;
}

/*
 * One directive: verb, args[0..nargs) on a line whose end-of-line comment
 * is eol (or NULL).
 */
static int directive(gparse *g, const gtok *verbtok, const gtok *args, size_t nargs, const gtok *eol)
{
	cs_gomod_file *f = g->f;
	unsigned line = verbtok->line;
	char verb[16], b[80];
	const char *s;
	semver sv;
	int rc;

	if (verbtok->n >= sizeof(verb)) {
		return gerr(g, line, "unknown directive: %s", show(b, sizeof(b), verbtok->p, verbtok->n));
	}
	memcpy(verb, verbtok->p, verbtok->n);
	verb[verbtok->n] = '\0';
	if (!strcmp(verb, "module")) {
		if (f->module)
			return gerr(g, line, "repeated module statement");
		if (nargs != 1)
			return gerr(g, line, "usage: module module/path");
		return string_arg(g, &args[0], &f->module);
	}
	if (!strcmp(verb, "go") || !strcmp(verb, "toolchain")) {
		bool go = verb[0] == 'g' && verb[1] == 'o' && !verb[2];
		const char **slot = go ? &f->go : &f->toolchain;

		if (*slot)
			return gerr(g, line, "repeated %s statement", verb);
		if (nargs != 1)
			return gerr(g, line, "%s directive expects exactly one argument", verb);
		if (!(s = cs_arena_strndup(g->a, args[0].p, args[0].n)))
			return cs_err_set(g->err, CS_ENOMEM, "out of memory reading a go.mod");
		if (go && !go_version_ok(s))
			return gerr(g, line, "invalid go version '%s': must match format 1.23.0",
				    show(b, sizeof(b), s, strlen(s)));
		if (!go && strcmp(s, "default") != 0 && strcmp(s, "go1") != 0 && !cs_str_starts(s, "go1."))
			return gerr(g, line, "invalid toolchain version '%s': must match format go1.23.0 or default",
				    show(b, sizeof(b), s, strlen(s)));
		*slot = s;
		return 0;
	}
	if (!strcmp(verb, "require") || !strcmp(verb, "exclude")) {
		const char *path, *version;

		if (nargs != 2)
			return gerr(g, line, "usage: %s module/path v1.2.3", verb);
		if ((rc = string_arg(g, &args[0], &path)) < 0 || (rc = version_arg(g, verb, path, &args[1], &version, &sv)) < 0 ||
		    (rc = check_major(g, line, verb, path, version, &sv)) < 0)
			return rc;
		if (verb[0] == 'e') {
			f->nexcludes++;
			return 0;
		}
		if (f->nrequires == g->rcap &&
		    !(f->requires = cs_arena_grow(g->a, f->requires, f->nrequires, &g->rcap, sizeof(*f->requires))))
			return cs_err_set(g->err, CS_ENOMEM, "out of memory reading a go.mod");
		f->requires[f->nrequires++] = (cs_gomod_require){path, version, eol && indirect_comment(eol)};
		return 0;
	}
	if (!strcmp(verb, "replace")) {
		size_t arrow = nargs >= 2 && tok_is(&args[1], "=>") ? 1 : 2;
		cs_gomod_replace r = {NULL, "", NULL, ""};

		if (nargs < arrow + 2 || nargs > arrow + 3 || !tok_is(&args[arrow], "=>"))
			return gerr(g, line, "usage: replace module/path [v1.2.3] => other/module v1.4\n"
					     "\t or replace module/path [v1.2.3] => ../local/directory");
		if ((rc = string_arg(g, &args[0], &r.old_path)) < 0)
			return rc;
		{
			const char *major;

			if (!path_major(r.old_path, &major))
				return gerr(g, line, "replace %s: invalid module path",
					    show(b, sizeof(b), r.old_path, strlen(r.old_path)));
		}
		if (arrow == 2 && ((rc = version_arg(g, verb, r.old_path, &args[1], &r.old_version, &sv)) < 0 ||
				   (rc = check_major(g, line, verb, r.old_path, r.old_version, &sv)) < 0))
			return rc;
		if ((rc = string_arg(g, &args[arrow + 1], &r.new_path)) < 0)
			return rc;
		if (nargs == arrow + 2) {
			if (!directory_path(r.new_path)) {
				if (strchr(r.new_path, '@'))
					return gerr(g, line, "replacement module must match format 'path version', not 'path@version'");
				return gerr(g, line, "replacement module without version must be directory path (rooted or starting with . or ..)");
			}
			if (strchr(r.new_path, '\\'))
				return gerr(g, line, "replacement directory appears to be Windows path (on a non-windows system)");
		} else {
			if ((rc = version_arg(g, verb, r.new_path, &args[arrow + 2], &r.new_version, &sv)) < 0)
				return rc;
			if (directory_path(r.new_path))
				return gerr(g, line, "replacement module directory path \"%s\" cannot have version",
					    show(b, sizeof(b), r.new_path, strlen(r.new_path)));
		}
		if (f->nreplaces == g->pcap &&
		    !(f->replaces = cs_arena_grow(g->a, f->replaces, f->nreplaces, &g->pcap, sizeof(*f->replaces))))
			return cs_err_set(g->err, CS_ENOMEM, "out of memory reading a go.mod");
		f->replaces[f->nreplaces++] = r;
		return 0;
	}
	if (!strcmp(verb, "retract"))
		return retract(g, line, args, nargs);
	/* Read, not needed: debug settings, tools, ignored directories. */
	if (!strcmp(verb, "godebug") || !strcmp(verb, "tool") || !strcmp(verb, "ignore"))
		return 0;
	return gerr(g, line, "unknown directive: %s", show(b, sizeof(b), verbtok->p, verbtok->n));
}

static bool block_verb(const gtok *t)
{
	static const char *const verbs[] = {"module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(verbs); i++)
		if (tok_is(t, verbs[i]))
			return true;
	return false;
}

/* Reads the tokens of one line into g->toks (cleared first) up to its end; *eol the comment that ends it. */
static int read_line(gparse *g, gtok *eol, bool *has_eol)
{
	int rc;

	g->ntoks = 0;
	*has_eol = false;
	while (!is_eol(g->la.kind))
		if ((rc = take(g)) < 0)
			return rc;
	if (g->la.kind == T_EOLCOMMENT) {
		*eol = g->la;
		*has_eol = true;
	}
	return 0;
}

/* A block "verb (" ... ")" after its '(' and end of line. */
static int parse_block(gparse *g, const gtok *verbs, size_t nverbs, unsigned start)
{
	gtok verb = verbs[0], eol;
	bool has_eol;
	char b[80];
	int rc;

	if (nverbs > 1 || !block_verb(&verb)) {
		size_t n = (size_t)(verbs[nverbs - 1].p + verbs[nverbs - 1].n - verbs[0].p);

		return gerr(g, start, "unknown block type: %s", show(b, sizeof(b), verbs[0].p, n));
	}
	for (;;) {
		switch (g->la.kind) {
		case T_EOLCOMMENT: case T_NL: case T_COMMENT:
			if ((rc = lex(g)) < 0)
				return rc;
			continue;
		case T_EOF:
			return gerr(g, g->la.line, "syntax error (unterminated block started at line %u)", start);
		case T_RPAREN:
			if ((rc = lex(g)) < 0)
				return rc;
			if (!is_eol(g->la.kind))
				return gerr(g, g->la.line, "syntax error (expected newline after closing paren)");
			return lex(g);
		default:
			if ((rc = read_line(g, &eol, &has_eol)) < 0 ||
			    (rc = directive(g, &verb, g->toks, g->ntoks, has_eol ? &eol : NULL)) < 0)
				return rc;
			if ((rc = lex(g)) < 0) /* the end of the line */
				return rc;
		}
	}
}

/*
 * One statement from its first token (modfile's parseStmt): the tokens up
 * to the end of the line, or up to a '(' that ends the line and opens a
 * block. "( )" ending a line is an empty block; a '(' elsewhere is a token.
 */
static int statement(gparse *g)
{
	unsigned start = g->la.line;
	gtok eol;
	int rc;

	g->ntoks = 0;
	if ((rc = take(g)) < 0)
		return rc;
	while (!is_eol(g->la.kind)) {
		gtok lp = g->la;

		if (lp.kind != T_LPAREN) {
			if ((rc = take(g)) < 0)
				return rc;
			continue;
		}
		if ((rc = lex(g)) < 0)
			return rc;
		if (is_eol(g->la.kind)) {
			gtok *verbs = g->toks;
			size_t nverbs = g->ntoks;

			/* The block's lines reuse the token array: keep the verb apart. */
			g->toks = NULL;
			g->ntoks = g->tcap = 0;
			rc = parse_block(g, verbs, nverbs, start);
			free(verbs);
			return rc;
		}
		if (g->la.kind == T_RPAREN) {
			gtok rp = g->la;

			if ((rc = lex(g)) < 0)
				return rc;
			if (is_eol(g->la.kind)) { /* an empty block: its verb is checked all the same */
				char b[80];
				size_t n = (size_t)(g->toks[g->ntoks - 1].p + g->toks[g->ntoks - 1].n - g->toks[0].p);

				if (g->ntoks > 1 || !block_verb(&g->toks[0]))
					return gerr(g, start, "unknown block type: %s", show(b, sizeof(b), g->toks[0].p, n));
				return lex(g);
			}
			if ((rc = push(g, &lp)) < 0 || (rc = push(g, &rp)) < 0)
				return rc;
			continue;
		}
		if ((rc = push(g, &lp)) < 0)
			return rc;
	}
	eol = g->la;
	if ((rc = directive(g, &g->toks[0], g->toks + 1, g->ntoks - 1, eol.kind == T_EOLCOMMENT ? &eol : NULL)) < 0)
		return rc;
	return lex(g); /* the end of the line */
}

int cs_gomod_read(cs_gomod_file *out, cs_arena *a, const char *data, size_t len, cs_err *err)
{
	gparse g;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	g.p = g.data = data;
	g.end = data + len;
	g.line = 1;
	g.a = a;
	g.err = err;
	g.f = out;
	rc = lex(&g);
	while (rc == 0 && g.la.kind != T_EOF) {
		if (g.la.kind == T_NL || g.la.kind == T_COMMENT || g.la.kind == T_EOLCOMMENT)
			rc = lex(&g);
		else
			rc = statement(&g);
	}
	free(g.toks);
	return rc;
}

/* --- packages ------------------------------------------------------------------------------- */

/* A string fit for a package field: not empty, no control byte. */
static bool clean(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int add(cs_langfile *out, size_t *cap, cs_arena *a, const char *name, const char *version, cs_err *err)
{
	cs_langpkg *p;
	char *purl = NULL;
	cs_err perr;
	int rc;

	if (!clean(name) || !clean(version)) {
		out->nbad++;
		return 0;
	}
	if (!(p = cs_langfile_add(out, cap, a)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	p->name = name;
	p->version = version;
	cs_err_clear(&perr);
	rc = cs_gobin_purl(&purl, a, name, version, &perr);
	if (rc == CS_ENOMEM)
		return cs_err_set(err, rc, "out of memory");
	p->purl = rc == 0 ? purl : NULL;
	return 0;
}

/*
 * "1.22" -> true when it is at least 1.21, as Trivy's lessThan() reads a
 * MAJOR.MINOR pair (anything else is not less).
 */
static bool before_121(const char *mm, size_t n)
{
	uint64_t major, minor;
	const char *dot = memchr(mm, '.', n);

	if (!dot || memchr(dot + 1, '.', n - (size_t)(dot + 1 - mm)) || !cs_parse_u64(mm, (size_t)(dot - mm), &major) ||
	    !cs_parse_u64(dot + 1, n - (size_t)(dot + 1 - mm), &minor))
		return false;
	return major <= 1 && minor < 21;
}

/* The toolchain a go.mod asks for, "go1.22.5", or NULL (see cs_gomod_packages). */
static char *stdlib_version(cs_arena *a, const cs_gomod_file *f)
{
	const char *g = f->go, *rc;
	size_t n;

	if (f->toolchain && cs_str_starts(f->toolchain, "go1")) {
		n = strcspn(f->toolchain, "-");
		return cs_arena_strndup(a, f->toolchain, n);
	}
	if (!g)
		return NULL;
	if ((rc = strstr(g, "rc")) != NULL || strchr(strchr(g, '.') + 1, '.')) {
		/* 1.N.P and 1.NrcR name a release; the language version is their 1.N. */
		const char *mm_end = rc ? rc : strchr(strchr(g, '.') + 1, '.');

		if (before_121(g, (size_t)(mm_end - g)))
			return NULL;
		return cs_arena_printf(a, "go%s", g);
	}
	if (before_121(g, strlen(g)))
		return NULL;
	return cs_arena_printf(a, "go%s.0", g);
}

/* One module of the build list being assembled. */
typedef struct entry {
	const char *path, *version;
	bool alive;
} entry;

int cs_gomod_packages(cs_langfile *out, cs_arena *a, const cs_gomod_file *f, cs_err *err)
{
	entry *e = NULL;
	size_t cap = 0, i, j;
	cs_map by_path;
	char *std;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	cs_map_init(&by_path);
	if (f->module && (rc = add(out, &cap, a, f->module, "(devel)", err)) < 0)
		goto done;
	if ((std = stdlib_version(a, f)) != NULL && (rc = add(out, &cap, a, "stdlib", std, err)) < 0)
		goto done;
	if (f->nrequires && !(e = cs_arena_calloc(a, f->nrequires, sizeof(*e)))) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	/* Keyed by path, the last require of a path winning, as in Trivy's map. */
	for (i = j = 0; i < f->nrequires; i++) {
		entry *have = cs_map_get(&by_path, f->requires[i].path);

		if (!have) {
			have = &e[j++];
			if ((rc = cs_map_put(&by_path, f->requires[i].path, have)) < 0) {
				rc = cs_err_set(err, rc, "out of memory");
				goto done;
			}
		}
		*have = (entry){f->requires[i].path, f->requires[i].version, true};
	}
	for (i = 0; i < f->nreplaces; i++) {
		const cs_gomod_replace *r = &f->replaces[i];
		entry *old = cs_map_get(&by_path, r->old_path), *to;

		if (!old || !old->alive || (*r->old_version && strcmp(old->version, r->old_version) != 0))
			continue;
		old->alive = false;
		if (!*r->new_version)
			continue; /* a local directory: no module version to report */
		/* The replacement takes the place of a require of its path, or the old one's slot. */
		to = cs_map_get(&by_path, r->new_path);
		if (!to)
			to = old;
		if ((rc = cs_map_put(&by_path, r->new_path, to)) < 0) {
			rc = cs_err_set(err, rc, "out of memory");
			goto done;
		}
		*to = (entry){r->new_path, r->new_version, true};
	}
	for (i = 0; i < j; i++)
		if (e[i].alive && (rc = add(out, &cap, a, e[i].path, e[i].version, err)) < 0)
			goto done;
done:
	cs_map_release(&by_path);
	return rc;
}

int cs_gomod_parse_mod(cs_langfile *out, cs_arena *a, const char *data, size_t len, cs_err *err)
{
	cs_gomod_file f;
	int rc;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	if ((rc = cs_gomod_read(&f, a, data, len, err)) < 0)
		return rc;
	return cs_gomod_packages(out, a, &f, err);
}

/* --- go.sum ------------------------------------------------------------------------------------ */

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int cs_gomod_parse_sum(cs_langfile *out, cs_arena *a, const char *data, size_t len, cs_err *err)
{
	const char *p = data, *end = data + len;
	entry *e = NULL;
	size_t ecap = 0, n = 0, cap = 0, i;
	cs_map by_path;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	cs_map_init(&by_path);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		const char *f0, *f1;
		size_t n0, n1;
		char *path, *version;
		entry *have;

		while (p < le && blank(*p))
			p++;
		f0 = p;
		while (p < le && !blank(*p))
			p++;
		n0 = (size_t)(p - f0);
		while (p < le && blank(*p))
			p++;
		f1 = p;
		while (p < le && !blank(*p))
			p++;
		n1 = (size_t)(p - f1);
		p = nl ? nl + 1 : end;
		if (!n0 || !n1)
			continue;
		if (n1 >= 7 && !memcmp(f1 + n1 - 7, "/go.mod", 7))
			n1 -= 7;
		if (!(path = cs_arena_strndup(a, f0, n0)) || !(version = cs_arena_strndup(a, f1, n1))) {
			rc = cs_err_set(err, CS_ENOMEM, "out of memory");
			goto done;
		}
		if (!(have = cs_map_get(&by_path, path))) {
			if (n == ecap && !(e = cs_arena_grow(a, e, n, &ecap, sizeof(*e)))) {
				rc = cs_err_set(err, CS_ENOMEM, "out of memory");
				goto done;
			}
			/* The map holds indexes: the array moves as it grows. */
			if ((rc = cs_map_put(&by_path, path, (void *)(uintptr_t)(n + 1))) < 0) {
				rc = cs_err_set(err, rc, "out of memory");
				goto done;
			}
			have = (void *)(uintptr_t)(++n);
		}
		e[(uintptr_t)have - 1] = (entry){path, version, true};
	}
	for (i = 0; i < n; i++)
		if ((rc = add(out, &cap, a, e[i].path, e[i].version, err)) < 0)
			goto done;
done:
	cs_map_release(&by_path);
	return rc;
}

/* --- the analyzer -------------------------------------------------------------------------- */

int cs_gomod_parse(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err)
{
	const char *base = cs_path_base(path);

	memset(out, 0, sizeof(*out));
	if (strcmp(base, "go.mod") == 0)
		return cs_gomod_parse_mod(out, a, data, len, err);
	if (strcmp(base, "go.sum") == 0)
		return cs_gomod_parse_sum(out, a, data, len, err);
	return CS_ENOTFOUND;
}

static bool gomod_wants(const char *path, uint32_t mode)
{
	const char *base = cs_path_base(path);

	return S_ISREG(mode) && (strcmp(base, "go.mod") == 0 || strcmp(base, "go.sum") == 0);
}

/* A go.sum is passed over when the final image has a go.mod (a regular file, which gomod reads) beside it. */
static bool gomod_skip(cs_scan *s, const char *path)
{
	const char *base = cs_path_base(path);
	size_t dir = (size_t)(base - path);
	cs_fsinfo info;
	cs_err err;
	char *mod;
	bool skip;

	if (strcmp(base, "go.sum") != 0 || !(mod = malloc(dir + sizeof("go.mod"))))
		return false;
	memcpy(mod, path, dir);
	memcpy(mod + dir, "go.mod", sizeof("go.mod"));
	cs_err_clear(&err);
	skip = cs_scan_lookup(s, mod, false, &info, NULL, 0, &err) == 0 && S_ISREG(info.mode);
	free(mod);
	return skip;
}

static const cs_langcat gomod_cat = {CS_AN_gomod, "golang", "go modules", cs_gomod_parse, gomod_skip};

CS_LANGCAT_ANALYZER(gomod, "gomod", gomod_wants, CS_GOMOD_MAX_SIZE, gomod_cat);
