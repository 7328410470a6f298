/*
 * sarif.c - SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
 *
 * One run, one tool (customs), one rule per finding id: a vulnerability id
 * ("CVE-2019-1543"), a secret rule ("secret/aws-access-key-id") or a
 * configuration check ("CS-IMG-001", "CS-DF-002"). Each finding is one
 * result: a vulnerability of one package, located at the package database
 * that lists the package; a secret, located at its file, line and column
 * (or at the image configuration member that holds it); a misconfiguration,
 * located at its Dockerfile line, else at its file in the image, else at
 * the image configuration. A suppressed finding (kept by --show-suppressed)
 * is a result with an external, accepted suppression. The policy verdict
 * goes into the invocation's properties, the base image into the run's.
 * docs/reports.md, "SARIF", gives the field mapping and GitHub's limits.
 *
 * Everything comes from the finished scan in its report order, so equal
 * scans and equal opts->now give equal bytes. Strings from the image pass
 * through four guards: invalid UTF-8 becomes U+FFFD (cJSON would copy it
 * raw), braces are doubled in message strings (SARIF §3.11.5 reserves
 * "{n}" for placeholders), Markdown gets untrusted values only inside code
 * spans or backslash-escaped, and URIs are percent-encoded or, for links
 * from the feeds, checked and dropped when they are not plain http(s) URIs.
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/sha256.h"
#include "core/version.h"

#include <cJSON.h>
#include <strings.h>

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* Where to read about keeping secrets out of images (helpUri of secret rules). */
#define SECRET_HELP_URI "https://docs.docker.com/build/building/secrets/"
/* uriBaseId of paths inside the scanned file system, and of config members. */
#define BASE_ROOTFS "ROOTFS"
#define BASE_CONFIG "IMAGECONFIG"
/* The partialFingerprints keys (docs/reports.md says how each is made). */
#define FP_CUSTOMS "customsFindingHash/v1"
#define FP_GITHUB "primaryLocationLineHash"
/* GitHub shows at most 1024 characters of a rule's descriptions. */
#define DESC_MAX 1000
/* Affected packages listed in one rule's help before "and N more". */
#define HELP_PKGS_MAX 20
/* Longest feed reference taken as a link. */
#define URI_MAX 2048

enum { KIND_VULN, KIND_SECRET, KIND_MISCONFIG };

/* One finding, in report order: vulnerabilities, secrets, then misconfigurations. */
typedef struct finding {
	int kind;
	size_t index;       /* into the scan's vulnerabilities, secrets or misconfigurations */
	const char *key;    /* vulnerability id, secret rule id or check id (borrowed) */
	size_t rule;        /* index into the rules */
	char hash[65];      /* sha256 hex of the finding's identity */
	unsigned occurrence; /* 1 + earlier findings with the same hash */
} finding;

/* One rule: the findings sharing a kind and key. */
typedef struct rule {
	int kind;
	const char *key;
	size_t *members; /* indexes into the findings, report order (owned) */
	size_t nmembers;
	int worst;       /* cs_severity_rank of the worst member */
	double score;    /* highest CVSS base score of the members, 0 none */
} rule;

typedef struct sarif_ctx {
	const cs_scan *s;
	finding *f;
	size_t nf;
	rule *rules;
	size_t nrules;
	bool oom; /* a buffer could not grow: the report is incomplete */
} sarif_ctx;

static void ck(sarif_ctx *c, int rc)
{
	if (rc < 0)
		c->oom = true;
}

/* --- text guards ----------------------------------------------------------- */

/*
 * Appends s with bytes that are not UTF-8 as U+FFFD; with message set, also
 * "{" and "}" doubled, as SARIF message strings must carry literal braces.
 */
static void put_clean(sarif_ctx *c, cs_buf *b, const char *s, bool message)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n = cs_rutil_utf8_len(p);

		if (!n) {
			ck(c, cs_buf_puts(b, "\xef\xbf\xbd"));
			p++;
		} else if (message && (*p == '{' || *p == '}')) {
			ck(c, cs_buf_append(b, p, 1));
			ck(c, cs_buf_append(b, p, 1));
			p++;
		} else {
			ck(c, cs_buf_append(b, p, n));
			p += n;
		}
	}
}

/* A JSON string of s made valid UTF-8; null for NULL. */
static cJSON *jstr(sarif_ctx *c, const char *s)
{
	cs_buf b;
	cJSON *j;

	if (!s)
		return cJSON_CreateNull();
	cs_buf_init(&b, 0);
	put_clean(c, &b, s, false);
	j = cJSON_CreateString(b.data);
	cs_buf_release(&b);
	return j;
}

/* A message (or multiformatMessageString): {"text": ..., "markdown": ...}. */
static cJSON *jmsg(sarif_ctx *c, const char *text, const char *markdown)
{
	cJSON *o = cJSON_CreateObject();
	cs_buf b;

	cs_buf_init(&b, 0);
	put_clean(c, &b, text, true);
	cJSON_AddStringToObject(o, "text", b.data);
	if (markdown) {
		cs_buf_reset(&b);
		put_clean(c, &b, markdown, true);
		cJSON_AddStringToObject(o, "markdown", b.data);
	}
	cs_buf_release(&b);
	return o;
}

/* Cuts b to at most max bytes on a character boundary, ending in "...". */
static void cut(sarif_ctx *c, cs_buf *b, size_t max)
{
	size_t n = max - 3;

	if (b->len <= max)
		return;
	while (n > 0 && ((unsigned char)b->data[n] & 0xc0) == 0x80)
		n--;
	b->len = n;
	b->data[n] = '\0';
	ck(c, cs_buf_puts(b, "..."));
}

/* Drops one trailing newline. */
static void chomp(cs_buf *b)
{
	if (b->len && b->data[b->len - 1] == '\n')
		b->data[--b->len] = '\0';
}

static bool streq(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/*
 * Markdown: s as a code span, which GitHub shows verbatim (no links, no
 * HTML, no emphasis); the fence is one backtick longer than any run inside.
 * Line breaks and other controls become spaces.
 */
static void md_code(sarif_ctx *c, cs_buf *b, const char *s)
{
	size_t run = 0, longest = 0, i;
	const char *p;

	s = s && *s ? s : "-";
	for (p = s; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i <= longest; i++)
		ck(c, cs_buf_putc(b, '`'));
	if (s[0] == '`' || s[strlen(s) - 1] == '`' || s[0] == ' ')
		ck(c, cs_buf_putc(b, ' '));
	for (p = s; *p; p++)
		ck(c, cs_buf_putc(b, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p));
	if (s[0] == '`' || s[strlen(s) - 1] == '`' || s[0] == ' ')
		ck(c, cs_buf_putc(b, ' '));
	for (i = 0; i <= longest; i++)
		ck(c, cs_buf_putc(b, '`'));
}

/* Markdown: s as prose, every ASCII punctuation mark that Markdown uses backslash-escaped. */
static void md_text(sarif_ctx *c, cs_buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			ck(c, cs_buf_putc(b, ' '));
		else if (*p < 0x80 && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`|~", *p))
			ck(c, cs_buf_printf(b, "\\%c", *p));
		else
			ck(c, cs_buf_putc(b, (char)*p));
	}
}

/* --- URIs ------------------------------------------------------------------ */

static bool is_unreserved(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
	       ch == '.' || ch == '_' || ch == '~';
}

static bool is_hex(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/*
 * A path of the scanned file system (or a Dockerfile's path as given) as a
 * relative URI reference: leading slashes and "./" dropped, "/" kept,
 * unreserved characters and the sub-delimiters and "@" that RFC 3986
 * allows in a path segment kept, every other byte (":", which would read
 * as a scheme in a first segment, "%", "#", "?", space, non-ASCII, ...)
 * percent-encoded.
 */
static void put_uri_path(sarif_ctx *c, cs_buf *b, const char *path)
{
	const unsigned char *p = (const unsigned char *)(path ? path : "");
	size_t start = b->len;

	/* "./Dockerfile" is "Dockerfile": viewers match the URI against the repository's paths */
	while (*p == '/' || (p[0] == '.' && p[1] == '/'))
		p += *p == '/' ? 1 : 2;
	for (; *p; p++) {
		if (is_unreserved(*p) || *p == '/' || strchr("!$&'()*+,;=@", *p) != NULL)
			ck(c, cs_buf_putc(b, (char)*p));
		else
			ck(c, cs_buf_printf(b, "%%%02X", *p));
	}
	if (b->len == start)
		ck(c, cs_buf_putc(b, '.'));
}

/*
 * True when u is a plain absolute http(s) URI that every URI parser takes
 * as one (JSON Schema "uri" included): a host of unreserved characters,
 * sub-delimiters and percent escapes, an optional numeric port, then only
 * characters RFC 3986 allows, with well-formed escapes and at most one "#".
 * Feed references that are not (spaces, brackets, raw non-ASCII) are not
 * used as links.
 */
static bool uri_ok(const char *u)
{
	const unsigned char *p;
	bool fragment = false, port = false, host = false;

	if (!u || strlen(u) > URI_MAX)
		return false;
	if (!strncasecmp(u, "https://", 8))
		p = (const unsigned char *)u + 8;
	else if (!strncasecmp(u, "http://", 7))
		p = (const unsigned char *)u + 7;
	else
		return false;
	for (; *p && *p != '/' && *p != '?' && *p != '#'; p++) {
		if (*p == '@') {
			port = host = false; /* what came before was userinfo */
		} else if (*p == ':') {
			port = true;
		} else if (port) {
			if (!(*p >= '0' && *p <= '9'))
				return false;
		} else if (*p == '%') {
			if (!is_hex(p[1]) || !is_hex(p[2]))
				return false;
			p += 2;
			host = true;
		} else if (is_unreserved(*p) || strchr("!$&'()*+,;=", *p)) {
			host = true;
		} else {
			return false;
		}
	}
	if (!host)
		return false;
	for (; *p; p++) {
		if (*p == '%') {
			if (!is_hex(p[1]) || !is_hex(p[2]))
				return false;
			p += 2;
		} else if (*p == '#') {
			if (fragment)
				return false;
			fragment = true;
		} else if (!is_unreserved(*p) && !strchr("!$&'()*+,;=:@/?", *p)) {
			return false;
		}
	}
	return true;
}

/* Markdown: a checked link as an autolink, anything else as a code span. */
static void md_link(sarif_ctx *c, cs_buf *b, const char *u)
{
	if (uri_ok(u))
		ck(c, cs_buf_printf(b, "<%s>", u));
	else
		md_code(c, b, u);
}

/* The first reference that is a usable link, else an advisory page for the id. */
static void help_uri(sarif_ctx *c, cs_buf *b, const cs_vuln *v)
{
	const char *id = v->id ? v->id : "";
	size_t i;

	for (i = 0; i < v->nreferences; i++)
		if (uri_ok(v->references[i])) {
			ck(c, cs_buf_puts(b, v->references[i]));
			return;
		}
	if (!strncmp(id, "CVE-", 4))
		ck(c, cs_buf_puts(b, "https://nvd.nist.gov/vuln/detail/"));
	else if (!strncmp(id, "GHSA-", 5))
		ck(c, cs_buf_puts(b, "https://github.com/advisories/"));
	else
		ck(c, cs_buf_puts(b, "https://osv.dev/vulnerability/"));
	/* one path segment: "/" encoded too */
	for (; *id; id++) {
		if (is_unreserved((unsigned char)*id))
			ck(c, cs_buf_putc(b, *id));
		else
			ck(c, cs_buf_printf(b, "%%%02X", (unsigned char)*id));
	}
}

/* --- small facts ------------------------------------------------------------ */

/* SARIF level of a severity: critical/high error, medium warning, the rest note. */
static const char *level_of(int rank)
{
	return rank >= 4 ? "error" : rank == 3 ? "warning" : "note";
}

static const char *severity_name(int rank)
{
	static const char *const names[] = {"unknown", "negligible", "low", "medium", "high", "critical"};

	return rank >= 0 && rank < (int)CS_ARRAY_LEN(names) ? names[rank] : "unknown";
}

/*
 * GitHub's security-severity: the highest CVSS base score, else a fixed
 * score inside GitHub's band for the severity (critical > 9.0, high 7.0-8.9,
 * medium 4.0-6.9, low 0.1-3.9); 0.0, "no security severity" to GitHub, for
 * negligible and unknown.
 */
static void security_severity(char *out, size_t n, const rule *r)
{
	static const double mapped[] = {0.0, 0.0, 2.0, 5.5, 8.0, 9.5};
	double score = r->score > 0 ? r->score : mapped[r->worst];

	if (score > 10.0)
		score = 10.0;
	snprintf(out, n, "%.1f", score);
}

/* True for a Semantic Versioning 2.0 string (numeric parts without leading zeros). */
static bool semver_ok(const char *v)
{
	const char *p = v;
	int part;

	for (part = 0; part < 3; part++) {
		const char *d = p;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p == d || (*d == '0' && p - d > 1))
			return false;
		if (part < 2 && *p++ != '.')
			return false;
	}
	if (*p == '-' || *p == '+') {
		bool build = *p == '+';

		for (;;) {
			const char *id = ++p;
			bool digits = true;

			while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       *p == '-') {
				if (!(*p >= '0' && *p <= '9'))
					digits = false;
				p++;
			}
			if (p == id || (!build && digits && *id == '0' && p - id > 1))
				return false;
			if (*p == '.')
				continue;
			if (*p == '+' && !build) {
				build = true;
				continue;
			}
			break;
		}
	}
	return *p == '\0';
}

static const cs_layer *layer_at(const cs_scan *s, int index)
{
	return index >= 0 ? cs_scan_layer(s, (size_t)index) : NULL;
}

/* {"index": 0, "diff_id": "sha256:..."}, or null. */
static cJSON *layer_json(sarif_ctx *c, int index)
{
	const cs_layer *l = layer_at(c->s, index);
	cJSON *o;

	if (!l)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", l->index);
	cJSON_AddItemToObject(o, "diff_id", jstr(c, l->diff_id));
	return o;
}

/* "Layer: 2 (sha256:77d8...)\nCreated by: RUN ...\n", for messages. */
static void put_layer(sarif_ctx *c, cs_buf *b, int index)
{
	const cs_layer *l = layer_at(c->s, index);

	if (!l)
		return;
	ck(c, cs_buf_printf(b, "Layer: %d (%s)\n", l->index, l->diff_id));
	if (l->created_by && *l->created_by)
		ck(c, cs_buf_printf(b, "Created by: %s\n", l->created_by));
}

static bool is_config_path(const char *path)
{
	return path && !strncmp(path, "config:", 7);
}

static bool is_config(const cs_secret *x)
{
	return is_config_path(x->path);
}

/* --- findings and rules ------------------------------------------------------ */

static const cs_vuln *vuln_of(const sarif_ctx *c, const finding *f)
{
	return cs_scan_vuln(c->s, f->index);
}

static const cs_secret *secret_of(const sarif_ctx *c, const finding *f)
{
	return cs_scan_secret(c->s, f->index);
}

static const cs_misconfig *misconfig_of(const sarif_ctx *c, const finding *f)
{
	return cs_scan_misconfig(c->s, f->index);
}

/* A Dockerfile finding's message without the "line N: " it starts with. */
static const char *without_line(const char *msg)
{
	const char *p = msg;

	if (!msg || strncmp(msg, "line ", 5) != 0)
		return msg;
	for (p = msg + 5; *p >= '0' && *p <= '9'; p++)
		;
	return p > msg + 5 && p[0] == ':' && p[1] == ' ' ? p + 2 : msg;
}

/* Appends s and its terminator: identity fields cannot run into each other. */
static void put_field(sarif_ctx *c, cs_buf *b, const char *s)
{
	ck(c, cs_buf_append(b, s ? s : "", s ? strlen(s) + 1 : 1));
}

/*
 * The identity of a finding, what stays the same from one scan of an image
 * to the next while the finding does: the vulnerability, the package's
 * type, name, version and architecture and the file listing it; the secret's
 * rule, file and redacted match (not its line, which moves as the file is
 * edited, nor its layer, which changes with every rebuild); the
 * misconfiguration's check, Dockerfile, file and message (without the
 * "line N: " a Dockerfile finding's message starts with, for the same
 * reason).
 */
static void identity(sarif_ctx *c, const finding *f, char out[65])
{
	char digest[CS_DIGEST_MAX];
	cs_buf b;

	cs_buf_init(&b, 0);
	if (f->kind == KIND_VULN) {
		const cs_vuln *v = vuln_of(c, f);
		const cs_package *p = v->package;

		put_field(c, &b, "vulnerability");
		put_field(c, &b, v->id);
		put_field(c, &b, p ? p->type : NULL);
		put_field(c, &b, p ? p->name : NULL);
		put_field(c, &b, p ? p->version : NULL);
		put_field(c, &b, p ? p->arch : NULL);
		put_field(c, &b, p ? p->found_in : NULL);
	} else if (f->kind == KIND_SECRET) {
		const cs_secret *x = secret_of(c, f);

		put_field(c, &b, "secret");
		put_field(c, &b, x->rule_id);
		put_field(c, &b, x->path);
		put_field(c, &b, x->match);
	} else {
		const cs_misconfig *m = misconfig_of(c, f);

		put_field(c, &b, "misconfiguration");
		put_field(c, &b, m->id);
		put_field(c, &b, m->dockerfile);
		put_field(c, &b, m->path);
		put_field(c, &b, without_line(m->message));
	}
	if (cs_sha256_buf(b.data, b.len, digest) < 0)
		c->oom = true;
	snprintf(out, 65, "%s", strncmp(digest, "sha256:", 7) ? "" : digest + 7);
	cs_buf_release(&b);
}

static int cmp_key(const sarif_ctx *c, size_t a, size_t b)
{
	const finding *x = &c->f[a], *y = &c->f[b];

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* qsort has no payload argument: sort (finding pointer) pairs instead. */
typedef struct fref {
	const finding *f;
	size_t i;
} fref;

static int fref_by_key(const void *a, const void *b)
{
	const fref *x = a, *y = b;
	int d;

	if (x->f->kind != y->f->kind)
		return x->f->kind < y->f->kind ? -1 : 1;
	if ((d = strcmp(x->f->key, y->f->key)) != 0)
		return d;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int fref_by_hash(const void *a, const void *b)
{
	const fref *x = a, *y = b;
	int d;

	if ((d = strcmp(x->f->hash, y->f->hash)) != 0)
		return d;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Collects the findings in report order, groups them into rules sorted by
 * kind then id, and numbers findings with equal identities (1, 2, ... in
 * report order) so every fingerprint is unique.
 */
static int collect(sarif_ctx *c, cs_err *err)
{
	size_t nv = cs_scan_vuln_count(c->s), ns = cs_scan_secret_count(c->s), nm = cs_scan_misconfig_count(c->s), i, j;
	fref *refs = NULL;

	c->nf = nv + ns + nm;
	if (!c->nf)
		return 0;
	c->f = calloc(c->nf, sizeof(*c->f));
	c->rules = calloc(c->nf, sizeof(*c->rules));
	refs = calloc(c->nf, sizeof(*refs));
	if (!c->f || !c->rules || !refs) {
		free(refs);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	for (i = 0; i < c->nf; i++) {
		finding *f = &c->f[i];

		if (i < nv) {
			const cs_vuln *v = cs_scan_vuln(c->s, i);

			f->kind = KIND_VULN;
			f->index = i;
			f->key = v->id && *v->id ? v->id : "unknown-vulnerability";
		} else if (i < nv + ns) {
			const cs_secret *x = cs_scan_secret(c->s, i - nv);

			f->kind = KIND_SECRET;
			f->index = i - nv;
			f->key = x->rule_id && *x->rule_id ? x->rule_id : "unknown-rule";
		} else {
			const cs_misconfig *m = cs_scan_misconfig(c->s, i - nv - ns);

			f->kind = KIND_MISCONFIG;
			f->index = i - nv - ns;
			f->key = m->id && *m->id ? m->id : "unknown-check";
		}
		identity(c, f, f->hash);
		refs[i].f = f;
		refs[i].i = i;
	}

	qsort(refs, c->nf, sizeof(*refs), fref_by_hash);
	for (i = 0; i < c->nf; i++)
		c->f[refs[i].i].occurrence =
			i > 0 && !strcmp(refs[i].f->hash, refs[i - 1].f->hash) ? c->f[refs[i - 1].i].occurrence + 1 : 1;

	qsort(refs, c->nf, sizeof(*refs), fref_by_key);
	for (i = 0; i < c->nf; i = j) {
		rule *r = &c->rules[c->nrules];

		for (j = i + 1; j < c->nf && !cmp_key(c, refs[i].i, refs[j].i); j++)
			;
		r->kind = refs[i].f->kind;
		r->key = refs[i].f->key;
		if (!(r->members = calloc(j - i, sizeof(*r->members)))) {
			free(refs);
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		}
		for (; i < j; i++) {
			finding *f = &c->f[refs[i].i];
			int rank;

			r->members[r->nmembers++] = refs[i].i;
			f->rule = c->nrules;
			if (f->kind == KIND_VULN) {
				const cs_vuln *v = vuln_of(c, f);
				size_t k;

				rank = cs_severity_rank(v->severity);
				for (k = 0; k < v->ncvss; k++)
					if (v->cvss[k].score > r->score && v->cvss[k].score <= 10.0)
						r->score = v->cvss[k].score;
			} else if (f->kind == KIND_SECRET) {
				rank = cs_severity_rank(secret_of(c, f)->severity);
			} else {
				rank = cs_severity_rank(misconfig_of(c, f)->severity);
			}
			if (rank > r->worst)
				r->worst = rank;
		}
		c->nrules++;
	}
	free(refs);
	return 0;
}

/* --- rules ------------------------------------------------------------------ */

/* "- upgrade PKG (VERSION) to FIXED" or what stands in the way, text and Markdown. */
static void fix_line(sarif_ctx *c, cs_buf *t, cs_buf *m, const cs_vuln *v)
{
	const cs_package *p = v->package;
	const char *name = p && p->name ? p->name : "?";
	const char *installed = p && p->version ? p->version : v->installed_version;
	const char *status = v->status ? v->status : "";

	ck(c, cs_buf_puts(m, "- "));
	if (v->fixed_version && *v->fixed_version) {
		ck(c, cs_buf_printf(t, "- upgrade %s (installed %s) to %s\n", name, installed ? installed : "?",
				    v->fixed_version));
		ck(c, cs_buf_puts(m, "upgrade "));
		md_code(c, m, name);
		ck(c, cs_buf_puts(m, " (installed "));
		md_code(c, m, installed);
		ck(c, cs_buf_puts(m, ") to "));
		md_code(c, m, v->fixed_version);
		ck(c, cs_buf_puts(m, "\n"));
		return;
	}
	ck(c, cs_buf_printf(t, "- %s %s: no fix yet", name, installed ? installed : "?"));
	md_code(c, m, name);
	ck(c, cs_buf_puts(m, " "));
	md_code(c, m, installed);
	ck(c, cs_buf_puts(m, ": no fix yet"));
	if (!strcmp(status, "will_not_fix") || !strcmp(status, "end_of_life")) {
		const char *why = status[0] == 'w' ? ", and the distribution will not fix it"
						   : ", and the release is past its end of life";

		ck(c, cs_buf_puts(t, why));
		ck(c, cs_buf_puts(m, why));
	}
	ck(c, cs_buf_puts(t, "\n"));
	ck(c, cs_buf_puts(m, "\n"));
}

/*
 * The member of r that best describes the vulnerability: the first (worst)
 * one with a title, references and aliases, else with most of them. Feeds
 * differ in what they give for one id.
 */
static const cs_vuln *describer(const sarif_ctx *c, const rule *r)
{
	const cs_vuln *best = NULL;
	int best_score = -1;
	size_t i;

	for (i = 0; i < r->nmembers; i++) {
		const cs_vuln *v = vuln_of(c, &c->f[r->members[i]]);
		int score = (v->title && *v->title ? 4 : 0) + (v->nreferences ? 2 : 0) + (v->naliases ? 1 : 0);

		if (score > best_score)
			best = v, best_score = score;
	}
	return best;
}

static cJSON *vuln_rule(sarif_ctx *c, const rule *r)
{
	const cs_vuln *v0 = describer(c, r);
	const cs_package *p0 = vuln_of(c, &c->f[r->members[0]])->package;
	cJSON *o = cJSON_CreateObject(), *props, *tags, *cfg;
	cs_buf t, m;
	char score[16];
	size_t i, k, shown = 0;

	cs_buf_init(&t, 0);
	cs_buf_init(&m, 0);
	cJSON_AddItemToObject(o, "id", jstr(c, r->key));
	cJSON_AddStringToObject(o, "name", "PackageVulnerability");

	if (v0->title && *v0->title)
		ck(c, cs_buf_printf(&t, "%s: %s", r->key, v0->title));
	else
		ck(c, cs_buf_printf(&t, "%s in %s%s", r->key, p0 && p0->name ? p0->name : "a package",
				    r->nmembers > 1 ? " and other packages" : ""));
	cut(c, &t, DESC_MAX);
	cJSON_AddItemToObject(o, "shortDescription", jmsg(c, t.data, NULL));

	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "%s%s%s. Severity %s", r->key, v0->title && *v0->title ? ": " : "",
			    v0->title ? v0->title : "", severity_name(r->worst)));
	if (r->score > 0)
		ck(c, cs_buf_printf(&t, ", highest CVSS base score %.1f", r->score));
	ck(c, cs_buf_puts(&t, ". Affected packages:"));
	for (i = 0; i < r->nmembers; i++) {
		const cs_package *p = vuln_of(c, &c->f[r->members[i]])->package;

		ck(c, cs_buf_printf(&t, "%s %s %s", i ? "," : "", p && p->name ? p->name : "?",
				    p && p->version ? p->version : "?"));
	}
	ck(c, cs_buf_puts(&t, "."));
	if (v0->naliases) {
		ck(c, cs_buf_puts(&t, " Also known as"));
		for (k = 0; k < v0->naliases; k++)
			ck(c, cs_buf_printf(&t, "%s %s", k ? "," : "", v0->aliases[k]));
		ck(c, cs_buf_puts(&t, "."));
	}
	cut(c, &t, DESC_MAX);
	cJSON_AddItemToObject(o, "fullDescription", jmsg(c, t.data, NULL));

	/* help: the fix for each affected package, then the references */
	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "Vulnerability %s, severity %s", r->key, severity_name(r->worst)));
	ck(c, cs_buf_puts(&m, "**Vulnerability** "));
	md_code(c, &m, r->key);
	ck(c, cs_buf_printf(&m, ", severity %s", severity_name(r->worst)));
	if (r->score > 0) {
		ck(c, cs_buf_printf(&t, ", CVSS %.1f", r->score));
		ck(c, cs_buf_printf(&m, ", CVSS %.1f", r->score));
	}
	ck(c, cs_buf_puts(&t, "\n"));
	ck(c, cs_buf_puts(&m, "\n\n"));
	if (v0->title && *v0->title) {
		ck(c, cs_buf_printf(&t, "%s\n", v0->title));
		md_text(c, &m, v0->title);
		ck(c, cs_buf_puts(&m, "\n\n"));
	}
	ck(c, cs_buf_puts(&t, "\nFix:\n"));
	ck(c, cs_buf_puts(&m, "**Fix**\n\n"));
	for (i = 0; i < r->nmembers; i++) {
		const cs_vuln *v = vuln_of(c, &c->f[r->members[i]]);

		/* a package in two places needs one line */
		for (k = 0; k < i; k++) {
			const cs_vuln *w = vuln_of(c, &c->f[r->members[k]]);

			if (v->package && w->package && streq(v->package->name, w->package->name) &&
			    streq(v->package->version, w->package->version) && streq(v->fixed_version, w->fixed_version))
				break;
		}
		if (k < i)
			continue;
		if (shown++ == HELP_PKGS_MAX) {
			ck(c, cs_buf_puts(&t, "- and more: see the results\n"));
			ck(c, cs_buf_puts(&m, "- and more: see the results\n"));
			break;
		}
		fix_line(c, &t, &m, v);
	}
	if (v0->nreferences) {
		ck(c, cs_buf_puts(&t, "\nReferences:\n"));
		ck(c, cs_buf_puts(&m, "\n**References**\n\n"));
		for (k = 0; k < v0->nreferences; k++) {
			ck(c, cs_buf_printf(&t, "- %s\n", v0->references[k]));
			ck(c, cs_buf_puts(&m, "- "));
			md_link(c, &m, v0->references[k]);
			ck(c, cs_buf_puts(&m, "\n"));
		}
	}
	cJSON_AddItemToObject(o, "help", jmsg(c, t.data, m.data));

	cs_buf_reset(&t);
	help_uri(c, &t, v0);
	cJSON_AddStringToObject(o, "helpUri", t.data);

	cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level", level_of(r->worst));
	props = cJSON_AddObjectToObject(o, "properties");
	security_severity(score, sizeof(score), r);
	cJSON_AddStringToObject(props, "security-severity", score);
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("vulnerability"));
	cJSON_AddItemToArray(tags, cJSON_CreateString(severity_name(r->worst)));
	cs_buf_release(&t);
	cs_buf_release(&m);
	return o;
}

static cJSON *secret_rule(sarif_ctx *c, const rule *r)
{
	const cs_secret *x = secret_of(c, &c->f[r->members[0]]);
	const char *title = x->title && *x->title ? x->title : r->key;
	const char *category = x->category && *x->category ? x->category : NULL;
	cJSON *o = cJSON_CreateObject(), *props, *tags, *cfg;
	cs_buf t, m;
	char score[16];

	cs_buf_init(&t, 0);
	cs_buf_init(&m, 0);
	ck(c, cs_buf_printf(&t, "secret/%s", r->key));
	cJSON_AddItemToObject(o, "id", jstr(c, t.data));
	cJSON_AddStringToObject(o, "name", "ExposedSecret");

	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "%s in the image", title));
	cut(c, &t, DESC_MAX);
	cJSON_AddItemToObject(o, "shortDescription", jmsg(c, t.data, NULL));

	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t,
			    "A secret matching rule %s (%s, category %s, severity %s) is stored in the image. "
			    "Anyone who can pull the image can read it from the layer that added it, even when a "
			    "later layer deleted or replaced the file.",
			    r->key, title, category ? category : "none", severity_name(r->worst)));
	cut(c, &t, DESC_MAX);
	cJSON_AddItemToObject(o, "fullDescription", jmsg(c, t.data, NULL));

	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "Secret: %s (rule %s), severity %s\n\n", title, r->key, severity_name(r->worst)));
	ck(c, cs_buf_puts(&t,
			  "Fix:\n"
			  "- rotate the secret: revoke it where it was issued and issue a new one; it was published "
			  "with the image\n"
			  "- remove it from the image: deleting the file in a later layer is not enough, rebuild "
			  "without it (build secrets, e.g. RUN --mount=type=secret, instead of COPY, ENV or ARG)\n"
			  "- then rebuild and push every tag that held it\n"));
	ck(c, cs_buf_puts(&m, "**Secret: "));
	md_text(c, &m, title);
	ck(c, cs_buf_puts(&m, "** (rule "));
	md_code(c, &m, r->key);
	ck(c, cs_buf_printf(&m, "), severity %s\n\n", severity_name(r->worst)));
	ck(c, cs_buf_puts(&m, "**Fix**\n\n"
			      "- **Rotate** the secret: revoke it where it was issued and issue a new one; it was "
			      "published with the image.\n"
			      "- **Remove** it from the image: deleting the file in a later layer is not enough, "
			      "rebuild without it (build secrets, e.g. `RUN --mount=type=secret`, instead of `COPY`, "
			      "`ENV` or `ARG`).\n"
			      "- Then rebuild and push every tag that held it.\n\n"
			      "See <" SECRET_HELP_URI ">.\n"));
	cJSON_AddItemToObject(o, "help", jmsg(c, t.data, m.data));
	cJSON_AddStringToObject(o, "helpUri", SECRET_HELP_URI);

	cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level", level_of(r->worst));
	props = cJSON_AddObjectToObject(o, "properties");
	security_severity(score, sizeof(score), r);
	cJSON_AddStringToObject(props, "security-severity", score);
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("secret"));
	/* tags are unique (the schema says so): a category named like one is left out */
	if (category && strcmp(category, "security") != 0 && strcmp(category, "secret") != 0)
		cJSON_AddItemToArray(tags, jstr(c, category));
	cs_buf_release(&t);
	cs_buf_release(&m);
	return o;
}

/*
 * A configuration check: its title and description, the fix (the check's
 * resolution) and its CIS Docker Benchmark item, from the rule's first
 * (worst) member; all members share the check's text.
 */
static cJSON *misconfig_rule(sarif_ctx *c, const rule *r)
{
	const cs_misconfig *m = misconfig_of(c, &c->f[r->members[0]]);
	const char *title = m->title && *m->title ? m->title : r->key;
	bool cis = m->cis && *m->cis;
	cJSON *o = cJSON_CreateObject(), *props, *tags, *cfg;
	cs_buf t, m_;
	char score[16];

	cs_buf_init(&t, 0);
	cs_buf_init(&m_, 0);
	cJSON_AddItemToObject(o, "id", jstr(c, r->key));
	cJSON_AddStringToObject(o, "name", m->dockerfile ? "DockerfileMisconfiguration" : "ImageMisconfiguration");

	ck(c, cs_buf_puts(&t, title));
	cut(c, &t, DESC_MAX);
	cJSON_AddItemToObject(o, "shortDescription", jmsg(c, t.data, NULL));

	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "%s.", title));
	if (m->description && *m->description)
		ck(c, cs_buf_printf(&t, " %s", m->description));
	if (cis)
		ck(c, cs_buf_printf(&t, " CIS Docker Benchmark %s.", m->cis));
	cut(c, &t, DESC_MAX);
	cJSON_AddItemToObject(o, "fullDescription", jmsg(c, t.data, NULL));

	/* help: what the check is about, then the fix */
	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "Misconfiguration %s: %s, severity %s\n", r->key, title, severity_name(r->worst)));
	ck(c, cs_buf_puts(&m_, "**Misconfiguration** "));
	md_code(c, &m_, r->key);
	ck(c, cs_buf_puts(&m_, ": "));
	md_text(c, &m_, title);
	ck(c, cs_buf_printf(&m_, ", severity %s\n\n", severity_name(r->worst)));
	if (m->description && *m->description) {
		ck(c, cs_buf_printf(&t, "\n%s\n", m->description));
		md_text(c, &m_, m->description);
		ck(c, cs_buf_puts(&m_, "\n\n"));
	}
	if (m->resolution && *m->resolution) {
		ck(c, cs_buf_printf(&t, "\nFix:\n%s\n", m->resolution));
		ck(c, cs_buf_puts(&m_, "**Fix**\n\n"));
		md_text(c, &m_, m->resolution);
		ck(c, cs_buf_puts(&m_, "\n\n"));
	}
	if (cis) {
		ck(c, cs_buf_printf(&t, "\nCIS Docker Benchmark: %s\n", m->cis));
		ck(c, cs_buf_puts(&m_, "**CIS Docker Benchmark** "));
		md_code(c, &m_, m->cis);
		ck(c, cs_buf_puts(&m_, "\n"));
	}
	cJSON_AddItemToObject(o, "help", jmsg(c, t.data, m_.data));

	cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
	cJSON_AddStringToObject(cfg, "level", level_of(r->worst));
	props = cJSON_AddObjectToObject(o, "properties");
	security_severity(score, sizeof(score), r);
	cJSON_AddStringToObject(props, "security-severity", score);
	tags = cJSON_AddArrayToObject(props, "tags");
	cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
	cJSON_AddItemToArray(tags, cJSON_CreateString("misconfiguration"));
	cJSON_AddItemToArray(tags, cJSON_CreateString(severity_name(r->worst)));
	if (cis) {
		/* the "external/<taxonomy>/<id>" form CodeQL uses for CWE tags */
		cs_buf_reset(&t);
		ck(c, cs_buf_printf(&t, "external/cis-docker-benchmark/%s", m->cis));
		cJSON_AddItemToArray(tags, jstr(c, t.data));
		cJSON_AddItemToObject(props, "cis", jstr(c, m->cis));
	}
	cs_buf_release(&t);
	cs_buf_release(&m_);
	return o;
}

/* --- results ---------------------------------------------------------------- */

/*
 * A suppressed finding's suppressions (result.suppressions): one external
 * suppression, accepted, justified by the reason the ignore entry, VEX
 * statement or baseline gave; which of them, and the file, as properties.
 * Viewers (GitHub among them) show such a result as dismissed, not open.
 */
static void add_suppressions(sarif_ctx *c, cJSON *res, const cs_suppression *u)
{
	cJSON *arr, *o, *props;

	if (!u->kind)
		return;
	arr = cJSON_AddArrayToObject(res, "suppressions");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", "external");
	cJSON_AddStringToObject(o, "status", "accepted");
	cJSON_AddItemToObject(o, "justification", jstr(c, u->reason && *u->reason ? u->reason : u->kind));
	props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddItemToObject(props, "suppressed_by", jstr(c, u->kind));
	if (u->source && *u->source)
		cJSON_AddItemToObject(props, "source", jstr(c, u->source));
	cJSON_AddItemToArray(arr, o);
}

static void add_fingerprints(cJSON *res, const finding *f)
{
	cJSON *fp = cJSON_AddObjectToObject(res, "partialFingerprints");
	char buf[96];

	snprintf(buf, sizeof(buf), "%s:%u", f->hash, f->occurrence);
	cJSON_AddStringToObject(fp, FP_CUSTOMS, buf);
	snprintf(buf, sizeof(buf), "%.16s:%u", f->hash, f->occurrence);
	cJSON_AddStringToObject(fp, FP_GITHUB, buf);
}

/* physicalLocation of path: a relative URI under ROOTFS, or the SBOM/directory named by the artifact. */
static cJSON *physical(sarif_ctx *c, const char *path, const char *base, uint64_t line, uint64_t column)
{
	cJSON *pl = cJSON_CreateObject(), *al, *reg;
	cs_buf b;

	cs_buf_init(&b, 0);
	al = cJSON_AddObjectToObject(pl, "artifactLocation");
	if (base) {
		put_uri_path(c, &b, path);
		cJSON_AddStringToObject(al, "uri", b.data);
		cJSON_AddStringToObject(al, "uriBaseId", base);
	} else if (path && path[0] == '/') {
		ck(c, cs_buf_puts(&b, "file:///"));
		put_uri_path(c, &b, path);
		cJSON_AddStringToObject(al, "uri", b.data);
	} else {
		put_uri_path(c, &b, path);
		cJSON_AddStringToObject(al, "uri", b.data);
	}
	reg = cJSON_AddObjectToObject(pl, "region");
	cJSON_AddNumberToObject(reg, "startLine", (double)(line ? line : 1));
	if (column)
		cJSON_AddNumberToObject(reg, "startColumn", (double)column);
	cs_buf_release(&b);
	return pl;
}

static cJSON *vuln_result(sarif_ctx *c, const finding *f)
{
	const cs_vuln *v = vuln_of(c, f);
	const cs_package *p = v->package;
	const cs_layer *l = p ? layer_at(c->s, p->layer) : NULL;
	const char *name = p && p->name ? p->name : "?";
	const char *version = p && p->version ? p->version : "?";
	const char *fixed = v->fixed_version && *v->fixed_version ? v->fixed_version : NULL;
	const char *sev = v->severity ? v->severity : "unknown";
	cJSON *o = cJSON_CreateObject(), *locs, *loc, *props, *cvss;
	cs_buf t;
	size_t k;

	cs_buf_init(&t, 0);
	cJSON_AddItemToObject(o, "ruleId", jstr(c, f->key));
	cJSON_AddNumberToObject(o, "ruleIndex", (double)f->rule);
	cJSON_AddStringToObject(o, "level", level_of(cs_severity_rank(v->severity)));

	ck(c, cs_buf_printf(&t, "Package %s %s is affected by %s (severity %s)", name, version, f->key, sev));
	if (fixed)
		ck(c, cs_buf_printf(&t, "; fixed in %s", fixed));
	else
		ck(c, cs_buf_printf(&t, "; no fix yet (%s)", v->status ? v->status : "unknown"));
	ck(c, cs_buf_printf(&t, ".\nPackage: %s\nInstalled version: %s\n", name, version));
	if (v->installed_version && strcmp(v->installed_version, version) != 0)
		ck(c, cs_buf_printf(&t, "Version compared: %s (source package %s)\n", v->installed_version,
				    p && p->source_name ? p->source_name : name));
	ck(c, cs_buf_printf(&t, "Fixed version: %s\n", fixed ? fixed : "none yet"));
	if (p && p->found_in)
		ck(c, cs_buf_printf(&t, "Listed in: %s\n", p->found_in));
	put_layer(c, &t, p ? p->layer : -1);
	chomp(&t);
	cJSON_AddItemToObject(o, "message", jmsg(c, t.data, NULL));

	locs = cJSON_AddArrayToObject(o, "locations");
	loc = cJSON_CreateObject();
	if (p && p->found_in && *p->found_in) {
		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, p->found_in, BASE_ROOTFS, 1, 0));
	} else {
		/* no file inside (an SBOM's package): the input itself */
		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, cs_scan_artifact(c->s)->name, NULL, 1, 0));
	}
	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "%s %s", name, version));
	cJSON_AddItemToObject(loc, "message", jmsg(c, t.data, NULL));
	cJSON_AddItemToArray(locs, loc);

	add_fingerprints(o, f);
	add_suppressions(c, o, &v->suppressed);

	props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddItemToObject(props, "package_name", jstr(c, p ? p->name : NULL));
	cJSON_AddItemToObject(props, "package_version", jstr(c, p ? p->version : NULL));
	cJSON_AddItemToObject(props, "package_type", jstr(c, p ? p->type : NULL));
	cJSON_AddItemToObject(props, "purl", jstr(c, p ? p->purl : NULL));
	cJSON_AddItemToObject(props, "installed_version", jstr(c, v->installed_version));
	cJSON_AddItemToObject(props, "fixed_version", jstr(c, fixed ? fixed : ""));
	cJSON_AddItemToObject(props, "status", jstr(c, v->status));
	cJSON_AddItemToObject(props, "severity", jstr(c, sev));
	cJSON_AddItemToObject(props, "severity_source", jstr(c, v->severity_source));
	cvss = cJSON_AddArrayToObject(props, "cvss");
	for (k = 0; k < v->ncvss; k++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddItemToObject(e, "version", jstr(c, v->cvss[k].version));
		cJSON_AddItemToObject(e, "vector", jstr(c, v->cvss[k].vector));
		cJSON_AddNumberToObject(e, "score", v->cvss[k].score);
		cJSON_AddItemToObject(e, "source", jstr(c, v->cvss[k].source));
		cJSON_AddItemToArray(cvss, e);
	}
	cJSON_AddItemToObject(props, "data_source", jstr(c, v->data_source));
	cJSON_AddItemToObject(props, "found_in", jstr(c, p ? p->found_in : NULL));
	cJSON_AddItemToObject(props, "layer", layer_json(c, p ? p->layer : -1));
	cJSON_AddItemToObject(props, "created_by", jstr(c, l ? l->created_by : NULL));
	if (v->kev >= 0)
		cJSON_AddBoolToObject(props, "kev", v->kev > 0);
	if (v->epss_score >= 0) {
		cJSON *e = cJSON_AddObjectToObject(props, "epss");

		cJSON_AddNumberToObject(e, "score", v->epss_score);
		cJSON_AddNumberToObject(e, "percentile", v->epss_percentile);
	}
	cs_buf_release(&t);
	return o;
}

static cJSON *secret_result(sarif_ctx *c, const finding *f)
{
	const cs_secret *x = secret_of(c, f);
	const cs_layer *l = layer_at(c->s, x->layer), *r;
	const char *title = x->title && *x->title ? x->title : f->key;
	const char *path = x->path ? x->path : "";
	cJSON *o = cJSON_CreateObject(), *locs, *loc, *props;
	cs_buf t;

	cs_buf_init(&t, 0);
	ck(c, cs_buf_printf(&t, "secret/%s", f->key));
	cJSON_AddItemToObject(o, "ruleId", jstr(c, t.data));
	cJSON_AddNumberToObject(o, "ruleIndex", (double)f->rule);
	cJSON_AddStringToObject(o, "level", level_of(cs_severity_rank(x->severity)));

	cs_buf_reset(&t);
	ck(c, cs_buf_printf(&t, "%s (severity %s) in %s%s, line %llu, column %llu: %s (redacted).\n", title,
			    x->severity ? x->severity : "unknown", is_config(x) ? "the image configuration, " : "",
			    path, (unsigned long long)x->line, (unsigned long long)x->column,
			    x->match ? x->match : ""));
	put_layer(c, &t, x->layer);
	if ((r = layer_at(c->s, x->removed_in)) != NULL)
		ck(c, cs_buf_printf(&t, "Removed in layer: %d (%s), yet still readable in the layer that added it\n",
				    r->index, r->diff_id));
	chomp(&t);
	cJSON_AddItemToObject(o, "message", jmsg(c, t.data, NULL));

	locs = cJSON_AddArrayToObject(o, "locations");
	loc = cJSON_CreateObject();
	if (is_config(x)) {
		cJSON *ll = cJSON_AddArrayToObject(loc, "logicalLocations"), *one = cJSON_CreateObject();

		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, path, BASE_CONFIG, x->line, x->column));
		cJSON_AddItemToObject(one, "name", jstr(c, path + 7));
		cJSON_AddItemToObject(one, "fullyQualifiedName", jstr(c, path));
		cJSON_AddStringToObject(one, "kind", "property");
		cJSON_AddItemToArray(ll, one);
	} else {
		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, path, BASE_ROOTFS, x->line, x->column));
	}
	cJSON_AddItemToObject(loc, "message", jmsg(c, title, NULL));
	cJSON_AddItemToArray(locs, loc);

	add_fingerprints(o, f);
	add_suppressions(c, o, &x->suppressed);

	props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddItemToObject(props, "rule_id", jstr(c, x->rule_id));
	cJSON_AddItemToObject(props, "category", jstr(c, x->category));
	cJSON_AddItemToObject(props, "severity", jstr(c, x->severity));
	cJSON_AddItemToObject(props, "path", jstr(c, x->path));
	cJSON_AddItemToObject(props, "match", jstr(c, x->match));
	cJSON_AddItemToObject(props, "layer", layer_json(c, x->layer));
	cJSON_AddItemToObject(props, "created_by", jstr(c, l ? l->created_by : NULL));
	cJSON_AddItemToObject(props, "removed_in_layer", layer_json(c, x->removed_in));
	cs_buf_release(&t);
	return o;
}

/*
 * A misconfiguration: at its Dockerfile line (the path as given, relative
 * to where customs ran, which in CI is the repository's checkout), else at
 * its file in the image (ROOTFS), else at the image configuration
 * (IMAGECONFIG: the member named by a "config:" path, or the whole config),
 * with a logical location naming the config member.
 */
static cJSON *misconfig_result(sarif_ctx *c, const finding *f)
{
	const cs_misconfig *m = misconfig_of(c, f);
	const cs_layer *l = layer_at(c->s, m->layer);
	const char *title = m->title && *m->title ? m->title : f->key;
	const char *sev = m->severity ? m->severity : "unknown";
	cJSON *o = cJSON_CreateObject(), *locs, *loc, *props;
	cs_buf t;

	cs_buf_init(&t, 0);
	cJSON_AddItemToObject(o, "ruleId", jstr(c, f->key));
	cJSON_AddNumberToObject(o, "ruleIndex", (double)f->rule);
	cJSON_AddStringToObject(o, "level", level_of(cs_severity_rank(m->severity)));

	ck(c, cs_buf_printf(&t, "%s (severity %s)", title, sev));
	if (m->message && *m->message)
		ck(c, cs_buf_printf(&t, ": %s", m->message));
	ck(c, cs_buf_puts(&t, ".\n"));
	if (m->dockerfile)
		ck(c, cs_buf_printf(&t, "Dockerfile: %s, line %llu\n", m->dockerfile, (unsigned long long)m->line));
	if (m->path && *m->path)
		ck(c, cs_buf_printf(&t, "%s: %s\n", is_config_path(m->path) ? "Image configuration" : "File", m->path));
	put_layer(c, &t, m->layer);
	if (m->resolution && *m->resolution)
		ck(c, cs_buf_printf(&t, "Fix: %s\n", m->resolution));
	chomp(&t);
	cJSON_AddItemToObject(o, "message", jmsg(c, t.data, NULL));

	locs = cJSON_AddArrayToObject(o, "locations");
	loc = cJSON_CreateObject();
	if (m->dockerfile) {
		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, m->dockerfile, NULL, m->line, 0));
	} else if (m->path && *m->path && !is_config_path(m->path)) {
		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, m->path, BASE_ROOTFS, 1, 0));
	} else {
		const char *member = m->path && *m->path ? m->path : "config";
		cJSON *ll = cJSON_AddArrayToObject(loc, "logicalLocations"), *one = cJSON_CreateObject();

		cJSON_AddItemToObject(loc, "physicalLocation", physical(c, member, BASE_CONFIG, 1, 0));
		cJSON_AddItemToObject(one, "name", jstr(c, is_config_path(member) ? member + 7 : member));
		cJSON_AddItemToObject(one, "fullyQualifiedName", jstr(c, member));
		cJSON_AddStringToObject(one, "kind", is_config_path(member) ? "property" : "object");
		cJSON_AddItemToArray(ll, one);
	}
	cJSON_AddItemToObject(loc, "message", jmsg(c, title, NULL));
	cJSON_AddItemToArray(locs, loc);

	add_fingerprints(o, f);
	add_suppressions(c, o, &m->suppressed);

	props = cJSON_AddObjectToObject(o, "properties");
	cJSON_AddStringToObject(props, "kind", "misconfiguration");
	cJSON_AddItemToObject(props, "check_id", jstr(c, m->id));
	cJSON_AddItemToObject(props, "severity", jstr(c, sev));
	cJSON_AddItemToObject(props, "cis", jstr(c, m->cis));
	cJSON_AddItemToObject(props, "path", jstr(c, m->path));
	cJSON_AddItemToObject(props, "dockerfile", jstr(c, m->dockerfile));
	if (m->dockerfile)
		cJSON_AddNumberToObject(props, "line", (double)m->line);
	cJSON_AddItemToObject(props, "layer", layer_json(c, m->layer));
	cJSON_AddItemToObject(props, "created_by", jstr(c, l ? l->created_by : NULL));
	cs_buf_release(&t);
	return o;
}

/* --- the run ---------------------------------------------------------------- */

static cJSON *driver_json(sarif_ctx *c)
{
	const char *version = cs_version();
	const char *sv = version[0] == 'v' ? version + 1 : version;
	cJSON *d = cJSON_CreateObject(), *rules;
	size_t i;

	cJSON_AddStringToObject(d, "name", "customs");
	cJSON_AddStringToObject(d, "fullName", "customs container image scanner");
	cJSON_AddItemToObject(d, "version", jstr(c, version));
	if (semver_ok(sv))
		cJSON_AddStringToObject(d, "semanticVersion", sv);
	rules = cJSON_AddArrayToObject(d, "rules");
	for (i = 0; i < c->nrules; i++)
		cJSON_AddItemToArray(rules, c->rules[i].kind == KIND_VULN     ? vuln_rule(c, &c->rules[i])
					    : c->rules[i].kind == KIND_SECRET ? secret_rule(c, &c->rules[i])
									      : misconfig_rule(c, &c->rules[i]));
	return d;
}

/* True when a location is under IMAGECONFIG: a config secret, or a misconfiguration of the config. */
static bool has_config_location(const sarif_ctx *c)
{
	size_t i;

	for (i = 0; i < cs_scan_secret_count(c->s); i++)
		if (is_config(cs_scan_secret(c->s, i)))
			return true;
	for (i = 0; i < cs_scan_misconfig_count(c->s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(c->s, i);

		if (!m->dockerfile && (!m->path || !*m->path || is_config_path(m->path)))
			return true;
	}
	return false;
}

/*
 * The bases of relative locations. They name no URI: an image's file system
 * exists on no disk, so the description says what the paths are relative to.
 */
static cJSON *bases_json(sarif_ctx *c)
{
	const cs_artifact *a = cs_scan_artifact(c->s);
	cJSON *o = cJSON_CreateObject(), *b;
	cs_buf t;

	cs_buf_init(&t, 0);
	if (a->type && !strcmp(a->type, "sbom"))
		ck(c, cs_buf_printf(&t, "The root of the file system that the SBOM %s describes",
				    a->name ? a->name : "?"));
	else if (cs_scan_is_rootfs(c->s))
		ck(c, cs_buf_printf(&t, "The root of the scanned file system: %s", a->name ? a->name : "?"));
	else
		ck(c, cs_buf_printf(&t, "The root of the file system of the image %s, its layers applied in order",
				    a->name ? a->name : "?"));
	b = cJSON_AddObjectToObject(o, BASE_ROOTFS);
	cJSON_AddItemToObject(b, "description", jmsg(c, t.data, NULL));
	if (has_config_location(c)) {
		cs_buf_reset(&t);
		ck(c, cs_buf_printf(&t,
				    "The configuration of the image %s (%s): config:NAME is its member NAME, "
				    "history[N].created_by the N-th history entry's step, config the whole document",
				    a->name ? a->name : "?", a->image_id ? a->image_id : "no digest"));
		b = cJSON_AddObjectToObject(o, BASE_CONFIG);
		cJSON_AddItemToObject(b, "description", jmsg(c, t.data, NULL));
	}
	cs_buf_release(&t);
	return o;
}

/*
 * The policy verdict, as invocation properties: {"policy": NAME, "verdict":
 * "pass"|"warn"|"fail", "hits": [{rule, gate, trigger, action, message}]}.
 * It is not executionSuccessful's business: that says whether the scan ran
 * to completion, and a failed policy is a finding about the image.
 */
static void policy_properties(sarif_ctx *c, cJSON *inv)
{
	const cs_policy_result *r = cs_scan_policy(c->s);
	cJSON *props, *hits;
	size_t i;

	if (!r)
		return;
	props = cJSON_AddObjectToObject(inv, "properties");
	cJSON_AddItemToObject(props, "policy", jstr(c, r->name));
	cJSON_AddItemToObject(props, "verdict", jstr(c, r->verdict));
	hits = cJSON_AddArrayToObject(props, "hits");
	for (i = 0; i < r->nhits; i++) {
		const cs_policy_hit *h = &r->hits[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddItemToObject(x, "rule", jstr(c, h->rule));
		cJSON_AddItemToObject(x, "gate", jstr(c, h->gate));
		cJSON_AddItemToObject(x, "trigger", jstr(c, h->trigger));
		cJSON_AddItemToObject(x, "action", jstr(c, h->action));
		cJSON_AddItemToObject(x, "message", jstr(c, h->message));
		cJSON_AddItemToArray(hits, x);
	}
}

static cJSON *invocation_json(sarif_ctx *c, const cs_report_opts *o)
{
	cJSON *inv = cJSON_CreateObject(), *notes;
	char when[32];
	size_t i;

	cJSON_AddBoolToObject(inv, "executionSuccessful", cs_scan_error_count(c->s) == 0);
	cs_rutil_time(o ? o->now : 0, when, sizeof(when));
	cJSON_AddStringToObject(inv, "endTimeUtc", when);
	policy_properties(c, inv);
	if (!cs_scan_diag_count(c->s))
		return inv;
	notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
	for (i = 0; i < cs_scan_diag_count(c->s); i++) {
		int level;
		const char *msg = cs_scan_diag_get(c->s, i, &level);
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "level", level == CS_LOG_ERROR ? "error" : "warning");
		cJSON_AddItemToObject(n, "message", jmsg(c, msg, NULL));
		cJSON_AddItemToArray(notes, n);
	}
	return inv;
}

/*
 * The base image, as customs' JSON report has it (name, how its boundary
 * was found, OS, end of life, layers, approval, and the split of the
 * vulnerabilities: base, application, fixed by rebuilding on a patched base).
 */
static void base_properties(sarif_ctx *c, cJSON *p)
{
	if (cs_scan_base(c->s))
		cJSON_AddItemToObject(p, "base", cs_rutil_base_json(c->s));
}

/* What was scanned, for people and tools reading the log (GitHub ignores it). */
static cJSON *run_properties(sarif_ctx *c)
{
	const cs_artifact *a = cs_scan_artifact(c->s);
	const cs_os *os = cs_scan_os(c->s);
	cJSON *p = cJSON_CreateObject(), *tags = cJSON_CreateArray();
	size_t i;

	cJSON_AddItemToObject(p, "artifact_name", jstr(c, a->name));
	cJSON_AddItemToObject(p, "artifact_type", jstr(c, a->type));
	cJSON_AddItemToObject(p, "image_id", jstr(c, a->image_id));
	cJSON_AddItemToObject(p, "manifest_digest", jstr(c, a->manifest_digest));
	for (i = 0; i < a->nrepo_tags; i++)
		cJSON_AddItemToArray(tags, jstr(c, a->repo_tags[i]));
	cJSON_AddItemToObject(p, "repo_tags", tags);
	cJSON_AddItemToObject(p, "architecture", jstr(c, a->arch));
	cJSON_AddItemToObject(p, "os_family", jstr(c, os ? os->family : NULL));
	cJSON_AddItemToObject(p, "os_version", jstr(c, os ? os->version : NULL));
	base_properties(c, p);
	return p;
}

/*
 * automationDetails.id "customs/IMAGE/": GitHub reads the part before the
 * last "/" as the analysis category, so scans of different images of one
 * repository keep separate alerts. IMAGE is the first repository tag when
 * the image has one (the same on every machine), else the name given.
 */
static cJSON *automation_json(sarif_ctx *c)
{
	const cs_artifact *a = cs_scan_artifact(c->s);
	const char *what = a->nrepo_tags ? a->repo_tags[0] : a->name;
	cJSON *o = cJSON_CreateObject();
	cs_buf t;

	cs_buf_init(&t, 0);
	ck(c, cs_buf_printf(&t, "customs/%s/", what && *what ? what : "unnamed"));
	cJSON_AddItemToObject(o, "id", jstr(c, t.data));
	cs_buf_release(&t);
	return o;
}

int cs_report_sarif(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	sarif_ctx c = {s, NULL, 0, NULL, 0, false};
	cJSON *root = NULL, *run, *tool, *results;
	int code;
	size_t i;

	if ((code = collect(&c, err)) < 0)
		goto done;
	if (!(root = cJSON_CreateObject())) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
	cJSON_AddStringToObject(root, "version", "2.1.0");
	run = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
	tool = cJSON_AddObjectToObject(run, "tool");
	cJSON_AddItemToObject(tool, "driver", driver_json(&c));
	cJSON_AddItemToObject(run, "automationDetails", automation_json(&c));
	cJSON_AddItemToObject(run, "originalUriBaseIds", bases_json(&c));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), invocation_json(&c, o));
	results = cJSON_AddArrayToObject(run, "results");
	for (i = 0; i < c.nf; i++)
		cJSON_AddItemToArray(results, c.f[i].kind == KIND_VULN	  ? vuln_result(&c, &c.f[i])
					      : c.f[i].kind == KIND_SECRET ? secret_result(&c, &c.f[i])
									   : misconfig_result(&c, &c.f[i]));
	/* secret columns count bytes; on ASCII lines, as here almost always, the same as code points */
	cJSON_AddStringToObject(run, "columnKind", "unicodeCodePoints");
	cJSON_AddItemToObject(run, "properties", run_properties(&c));
	if (c.oom) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	code = cs_rutil_write_json(out, root, true, err);
	root = NULL; /* deleted by the writer */
done:
	cJSON_Delete(root);
	for (i = 0; i < c.nrules; i++)
		free(c.rules[i].members);
	free(c.rules);
	free(c.f);
	return code;
}
