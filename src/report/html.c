/*
 * html.c - one self-contained HTML page: header, the policy verdict when a
 * gate or policy ran, summary cards, the base image, inline SVG charts
 * drawn here (findings per layer, the base image against the application
 * layers, the worst packages) and the findings table (vulnerabilities,
 * secrets, misconfigurations; suppressed ones marked), rendered here with a
 * small script that only filters and sorts it.
 *
 * The page loads nothing: no external script, style, font or image, and a
 * Content-Security-Policy that names the one inline script and the one
 * style sheet by their SHA-256 forbids every other load, so a hostile
 * string that escaped the escaping still could not fetch or run anything.
 * Every image-derived string goes through cs_rutil_xml_escape; the data
 * behind the page is embedded once as JSON (html_data below) with <, > and
 * & written as \u escapes, so nothing in it can close its script element.
 *
 * Order of the file: the page's style and script (the only constants), the
 * numbers counted once (stats), small writers for each part of the page,
 * and cs_report_html putting them together.
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "base/base.h"
#include "core/sha256.h"
#include "core/version.h"

#include <cJSON.h>
#include <strings.h>

/* --- the page's style and script ---------------------------------------- */

/*
 * The palette lives here only: each .sev-* class sets --c (the fill) and
 * --ink (text on it), and badges, cards, legends and chart segments read
 * them. The six colours differ in lightness as well as in hue (dark red,
 * orange, yellow, blue, light blue, grey), so they stay apart for the
 * usual kinds of colour blindness, and the severity is always written out
 * as well.
 */
static const char page_css[] =
	":root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;"
	"--link:#0550ae}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--panel:#151b23;"
	"--line:#3d444d;--link:#4493f8}}\n"
	".sev-critical{--c:#8b0000;--ink:#fff}.sev-high{--c:#e66100;--ink:#000}.sev-medium{--c:#f5c710;--ink:#000}\n"
	".sev-low{--c:#2f6db5;--ink:#fff}.sev-negligible{--c:#9ecae1;--ink:#000}.sev-unknown{--c:#a0a0a0;--ink:#000}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;"
	"color:var(--fg);background:var(--bg)}\n"
	"main{max-width:72rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.5rem;margin:.1rem 0 .7rem;overflow-wrap:anywhere}\n"
	"h2{font-size:1.15rem;margin:1.6rem 0 .6rem}\n"
	"h3{font-size:1rem;margin:0 0 .4rem}\n"
	"a{color:var(--link)}\n"
	"code{font:.88em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}\n"
	".eyebrow{margin:0;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.06em}\n"
	".meta{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem 1.2rem;margin:0}\n"
	".meta div{min-width:0}.meta dt{color:var(--muted);font-size:.8rem}\n"
	".meta dd{margin:0;overflow-wrap:anywhere}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(7.5rem,1fr));gap:.6rem;margin:.6rem 0}\n"
	".card{background:var(--panel);border:1px solid var(--line);border-left:.5rem solid var(--c,var(--line));"
	"border-radius:.4rem;padding:.45rem .7rem}\n"
	".card .n{display:block;font-size:1.6rem;font-weight:650;line-height:1.2}.card.zero .n{color:var(--muted)}\n"
	".card .l{color:var(--muted);font-size:.85rem}\n"
	".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:1rem}\n"
	"figure{margin:0;min-width:0;background:var(--panel);border:1px solid var(--line);border-radius:.4rem;"
	"padding:.7rem}\n"
	"figcaption{color:var(--muted);font-size:.85rem;margin-top:.4rem}\n"
	"svg.chart{display:block;width:100%;height:auto}\n"
	"svg .lbl{font-size:13px;fill:var(--fg)}svg .tot{font-size:13px;font-weight:600;fill:var(--fg);text-anchor:end}\n"
	"svg .track{fill:var(--line);opacity:.5}svg .seg{fill:var(--c);stroke:var(--panel);stroke-width:1}\n"
	"svg .in{font-size:11px;font-weight:600;text-anchor:middle;fill:var(--ink)}\n"
	".legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem;padding:0;margin:0 0 .6rem;list-style:none;"
	"font-size:.85rem}\n"
	".legend li::before{content:\"\";display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;"
	"vertical-align:-.1rem;border-radius:.15rem;background:var(--c)}\n"
	".controls{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center;margin:.4rem 0 .6rem}\n"
	".controls fieldset{display:flex;flex-wrap:wrap;gap:.2rem .8rem;border:0;padding:0;margin:0}\n"
	".controls legend{float:left;margin-right:.4rem;color:var(--muted);font-size:.85rem}\n"
	".controls label{white-space:nowrap}\n"
	".controls input[type=search]{flex:1 1 14rem;font:inherit;padding:.3rem .5rem;color:inherit;"
	"background:var(--bg);border:1px solid var(--line);border-radius:.3rem}\n"
	".status{color:var(--muted);font-size:.85rem;margin:.2rem 0}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;width:100%;font-size:.9rem}\n"
	"th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}\n"
	"td{overflow-wrap:anywhere;min-width:4.5rem}\n"
	".id{white-space:nowrap}th{white-space:nowrap}th button{all:unset;cursor:pointer;font-weight:600}\n"
	"th button:focus-visible{outline:2px solid var(--link)}\n"
	"th[aria-sort=ascending] button::after{content:\" \\25B2\"}"
	"th[aria-sort=descending] button::after{content:\" \\25BC\"}\n"
	".badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;"
	"white-space:nowrap;background:var(--c);color:var(--ink)}\n"
	".sub{color:var(--muted);font-size:.8rem}.muted{color:var(--muted)}\n"
	".verdict{background:var(--panel);border:1px solid var(--line);border-left:.5rem solid var(--c);"
	"border-radius:.4rem;padding:.6rem .9rem;margin:.8rem 0}\n"
	".verdict h2{margin:0 0 .3rem}.verdict ul{margin:.3rem 0 0;padding-left:1.2rem}\n"
	".v-pass{--c:#1a7f37;--ink:#fff}.v-warn{--c:#f5c710;--ink:#000}.v-fail{--c:#8b0000;--ink:#fff}\n"
	".a-stop{--c:#8b0000;--ink:#fff}.a-warn{--c:#f5c710;--ink:#000}.a-go{--c:#a0a0a0;--ink:#000}\n"
	".eol{--c:#8b0000;--ink:#fff}\n"
	"tr.sup td{opacity:.65}tr.sup td:nth-child(2){opacity:1}\n"
	".tag{display:inline-block;padding:0 .4rem;border:1px dashed var(--muted);border-radius:.3rem;"
	"font-size:.75rem;color:var(--muted);white-space:nowrap}\n"
	"details{margin-top:1.2rem}footer{margin-top:2rem;color:var(--muted);font-size:.8rem}\n"
	"@media (max-width:40rem){main{padding:.6rem}table{font-size:.82rem}th,td{padding:.3rem}}\n"
	"@media print{.controls{display:none}main{max-width:none;padding:0}body{font-size:10pt}"
	"figure,.card,tr{break-inside:avoid}.scroll{overflow:visible}a{color:inherit;text-decoration:none}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/*
 * Filters (severity, kind and, when some findings are suppressed, status
 * check boxes; a text box) and sorts (header buttons) the rows the writer
 * rendered; a row whose value has no check box is not filtered by it. No
 * data comes from the script, so the page reads the same without it. Only DOM calls that treat text as
 * text (textContent, attributes): no eval, no innerHTML.
 */
static const char page_js[] =
	"(function () {\n"
	"\"use strict\";\n"
	"var table = document.getElementById(\"findings\"), ctl = document.getElementById(\"controls\");\n"
	"if (!table || !ctl) return;\n"
	"var body = table.tBodies[0], q = document.getElementById(\"q\");\n"
	"var shown = document.getElementById(\"shown\"), none = document.getElementById(\"none\");\n"
	"var boxes = ctl.querySelectorAll(\"input[type=checkbox]\");\n"
	"var items = Array.prototype.map.call(body.rows, function (r) {\n"
	"  return {r: r, t: r.textContent.toLowerCase(), i: 0};\n"
	"});\n"
	"var coll = new Intl.Collator(undefined, {numeric: true, sensitivity: \"base\"});\n"
	"function apply() {\n"
	"  var on = {}, n = 0, words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);\n"
	"  boxes.forEach(function (b) { on[b.value] = b.checked; });\n"
	"  items.forEach(function (it) {\n"
	"    var ok = on[\"sev:\" + it.r.dataset.sev] !== false && on[\"kind:\" + it.r.dataset.kind] !== false &&\n"
	"      on[\"sup:\" + it.r.dataset.sup] !== false &&\n"
	"      words.every(function (w) { return it.t.indexOf(w) >= 0; });\n"
	"    it.r.hidden = !ok;\n"
	"    if (ok) n++;\n"
	"  });\n"
	"  shown.textContent = String(n);\n"
	"  none.hidden = n > 0;\n"
	"}\n"
	"function key(r, c) {\n"
	"  var td = r.cells[c];\n"
	"  return td.hasAttribute(\"data-v\") ? td.getAttribute(\"data-v\") : td.textContent;\n"
	"}\n"
	"function sort(th) {\n"
	"  var c = th.cellIndex, dir = th.getAttribute(\"aria-sort\") === \"ascending\" ? -1 : 1;\n"
	"  table.tHead.querySelectorAll(\"th\").forEach(function (h) { h.removeAttribute(\"aria-sort\"); });\n"
	"  th.setAttribute(\"aria-sort\", dir > 0 ? \"ascending\" : \"descending\");\n"
	"  items.forEach(function (it, i) { it.i = i; });\n"
	"  items.sort(function (a, b) { return dir * coll.compare(key(a.r, c), key(b.r, c)) || a.i - b.i; });\n"
	"  items.forEach(function (it) { body.appendChild(it.r); });\n"
	"}\n"
	"boxes.forEach(function (b) { b.addEventListener(\"change\", apply); });\n"
	"q.addEventListener(\"input\", apply);\n"
	"table.tHead.querySelectorAll(\"th button\").forEach(function (b) {\n"
	"  b.addEventListener(\"click\", function () { sort(b.parentNode); });\n"
	"});\n"
	"ctl.hidden = false;\n"
	"apply();\n"
	"})();\n";

#define NSEV CS_RUTIL_NSEVERITIES
#define TOP_N 10       /* packages in the worst-packages chart */
#define LABEL_CHARS 60 /* characters of a chart label before it is cut */
#define TIP_CHARS 300  /* characters of a tooltip before it is cut */

/* Display names, in cs_rutil_severities order. */
static const char *const sev_title[NSEV] = {"Critical", "High", "Medium", "Low", "Negligible", "Unknown"};

/* --- the numbers, counted once ------------------------------------------ */

typedef struct sevcount {
	size_t n[NSEV]; /* findings per severity, cs_rutil_severities order */
} sevcount;

typedef struct pkgstat {
	const cs_package *p; /* borrowed from the scan */
	sevcount c;
	size_t total;
	int worst; /* severity index of its worst finding */
} pkgstat;

/* The kinds of rows, in the order equal severities are listed. */
enum { ROW_VULN, ROW_SECRET, ROW_CONFIG };

/* One row of the findings table: a vulnerability, a secret or a misconfiguration. */
typedef struct row {
	int kind;                 /* ROW_*: which one of v, f, m is set */
	const cs_vuln *v;
	const cs_secret *f;
	const cs_misconfig *m;
	const cs_suppression *sup; /* the finding's suppression (kind NULL: it counts) */
	int sev;                  /* severity index: 0 critical .. 5 unknown */
	size_t order;             /* position in the scan's own order: the last tie-break */
} row;

/*
 * Suppressed findings (present only with --show-suppressed) are rows of the
 * table, marked, and nothing else: the cards, the charts and the split
 * count the findings that count.
 */
typedef struct stats {
	sevcount all;           /* every finding that counts, all kinds */
	size_t vulns, secrets, misconfigs, fixable; /* that count */
	size_t suppressed;      /* rows of suppressed findings */
	size_t rows_of[3];      /* rows per ROW_* kind, suppressed ones included */
	bool layered;           /* an image with layers (not a root filesystem or an SBOM) */
	size_t nlayers;
	sevcount *layer;        /* [nlayers], malloc'd */
	size_t *layer_pkgs;     /* packages introduced per layer, [nlayers], malloc'd */
	sevcount config;        /* secrets and misconfigurations of the image config (no layer) */
	sevcount dockerfile;    /* misconfigurations of the Dockerfile */
	sevcount nolayer;       /* vulnerabilities of packages whose layer is unknown */
	size_t nbase;           /* layers counted as the base in the split (base_layer_count) */
	bool real_base;         /* nbase is where the base image ends, not the first-layer fallback */
	sevcount base, later;   /* the split: layers [0, nbase) and [nbase, nlayers) */
	pkgstat *top;           /* the worst packages, malloc'd */
	size_t ntop;
	row *rows;              /* the table, worst first, malloc'd */
	size_t nrows;
} stats;

/* Index of a severity word in cs_rutil_severities; anything else is "unknown". */
static int sev_index(const char *s)
{
	int i;

	for (i = 0; s && i < NSEV; i++)
		if (!strcmp(s, cs_rutil_severities[i]))
			return i;
	return NSEV - 1;
}

static size_t sev_total(const sevcount *c)
{
	size_t i, n = 0;

	for (i = 0; i < NSEV; i++)
		n += c->n[i];
	return n;
}

static void sev_add(sevcount *into, const sevcount *c)
{
	size_t i;

	for (i = 0; i < NSEV; i++)
		into->n[i] += c->n[i];
}

/*
 * How many of the first layers are the base image: where the base
 * assessment (cs_scan_base) says it ends, from a catalog match or the
 * history. When it found no boundary (or did not run), the split falls
 * back to the first layer, which is the base OS layer of most images but
 * not of all, and is labelled so ("first layer" against "later layers";
 * the data says basis "first-layer" instead of "base-image"). *real tells
 * which.
 */
static size_t base_layer_count(const cs_scan *s, bool *real)
{
	const cs_base *b = cs_scan_base(s);
	size_t n = cs_scan_layer_count(s);

	*real = b && b->last_layer >= 0;
	if (*real)
		return (size_t)b->last_layer + 1 < n ? (size_t)b->last_layer + 1 : n;
	return n ? 1 : 0;
}

static int row_cmp(const void *a, const void *b)
{
	const row *x = a, *y = b;

	if (x->sev != y->sev)
		return x->sev - y->sev;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int vuln_by_package(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(const cs_vuln *const *)a)->package;
	uintptr_t y = (uintptr_t)(*(const cs_vuln *const *)b)->package;

	return x < y ? -1 : x > y;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Worst first, then most findings, then by name: equal scans give equal charts. */
static int pkgstat_cmp(const void *a, const void *b)
{
	const pkgstat *x = a, *y = b;
	int c, i;

	if (x->worst != y->worst)
		return x->worst - y->worst;
	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	if ((c = cmp_str(x->p->name, y->p->name)) || (c = cmp_str(x->p->version, y->p->version)) ||
	    (c = cmp_str(x->p->type, y->p->type)) || (c = cmp_str(x->p->found_in, y->p->found_in)))
		return c;
	for (i = 0; i < NSEV; i++)
		if (x->c.n[i] != y->c.n[i])
			return x->c.n[i] < y->c.n[i] ? 1 : -1;
	return 0;
}

/* The packages with findings, worst first, the first TOP_N kept in st->top. */
static int count_packages(stats *st, const cs_scan *s)
{
	size_t n = cs_scan_vuln_count(s), i, ng = 0;
	const cs_vuln **v;
	pkgstat *g;

	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	g = calloc(n, sizeof(*g));
	if (!v || !g) {
		free(v);
		free(g);
		return CS_ENOMEM;
	}
	for (i = 0, n = 0; i < cs_scan_vuln_count(s); i++)
		if (!cs_scan_vuln(s, i)->suppressed.kind)
			v[n++] = cs_scan_vuln(s, i);
	qsort(v, n, sizeof(*v), vuln_by_package);
	for (i = 0; i < n; i++) {
		int sev = sev_index(v[i]->severity);

		if (!ng || g[ng - 1].p != v[i]->package) {
			g[ng].p = v[i]->package;
			g[ng].worst = sev;
			ng++;
		}
		g[ng - 1].c.n[sev]++;
		g[ng - 1].total++;
		if (sev < g[ng - 1].worst)
			g[ng - 1].worst = sev;
	}
	free(v);
	qsort(g, ng, sizeof(*g), pkgstat_cmp);
	st->top = g;
	st->ntop = ng < TOP_N ? ng : TOP_N;
	return 0;
}

/* Per-layer counts and the base/later split. */
static int count_layers(stats *st, const cs_scan *s)
{
	size_t i;

	st->layered = !cs_scan_is_rootfs(s);
	st->nlayers = st->layered ? cs_scan_layer_count(s) : 0;
	if (!st->nlayers)
		return 0;
	st->layer = calloc(st->nlayers, sizeof(*st->layer));
	st->layer_pkgs = calloc(st->nlayers, sizeof(*st->layer_pkgs));
	if (!st->layer || !st->layer_pkgs)
		return CS_ENOMEM;
	for (i = 0; i < cs_scan_package_count(s); i++) {
		int l = cs_scan_package(s, i)->layer;

		if (l >= 0 && (size_t)l < st->nlayers)
			st->layer_pkgs[l]++;
	}
	for (i = 0; i < st->nrows; i++) {
		const row *r = &st->rows[i];
		int l = r->v ? r->v->package->layer : r->f ? r->f->layer : r->m->layer;

		if (r->sup->kind)
			continue;
		if (l >= 0 && (size_t)l < st->nlayers)
			st->layer[l].n[r->sev]++;
		else if (r->m && r->m->dockerfile)
			st->dockerfile.n[r->sev]++;
		else if (r->v)
			st->nolayer.n[r->sev]++;
		else
			st->config.n[r->sev]++;
	}
	st->nbase = base_layer_count(s, &st->real_base);
	for (i = 0; i < st->nlayers; i++)
		sev_add(i < st->nbase ? &st->base : &st->later, &st->layer[i]);
	return 0;
}

static void stats_free(stats *st)
{
	free(st->layer);
	free(st->layer_pkgs);
	free(st->top);
	free(st->rows);
}

/* Counts everything the page shows. CS_ENOMEM. */
static int stats_count(stats *st, const cs_scan *s)
{
	size_t nv = cs_scan_vuln_count(s), ns = cs_scan_secret_count(s), nm = cs_scan_misconfig_count(s), i;
	int code;

	memset(st, 0, sizeof(*st));
	st->nrows = nv + ns + nm;
	if (st->nrows && !(st->rows = calloc(st->nrows, sizeof(*st->rows))))
		return CS_ENOMEM;
	for (i = 0; i < nv; i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);

		st->rows[i] = (row){ROW_VULN, v, NULL, NULL, &v->suppressed, sev_index(v->severity), i};
		if (!v->suppressed.kind && v->fixed_version && *v->fixed_version)
			st->fixable++;
	}
	for (i = 0; i < ns; i++) {
		const cs_secret *f = cs_scan_secret(s, i);

		st->rows[nv + i] = (row){ROW_SECRET, NULL, f, NULL, &f->suppressed, sev_index(f->severity), nv + i};
	}
	for (i = 0; i < nm; i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);

		st->rows[nv + ns + i] =
			(row){ROW_CONFIG, NULL, NULL, m, &m->suppressed, sev_index(m->severity), nv + ns + i};
	}
	for (i = 0; i < st->nrows; i++) {
		const row *r = &st->rows[i];

		st->rows_of[r->kind]++;
		if (r->sup->kind) {
			st->suppressed++;
			continue;
		}
		st->all.n[r->sev]++;
		if (r->kind == ROW_VULN)
			st->vulns++;
		else if (r->kind == ROW_SECRET)
			st->secrets++;
		else
			st->misconfigs++;
	}
	if (st->nrows)
		qsort(st->rows, st->nrows, sizeof(*st->rows), row_cmp);
	if ((code = count_layers(st, s)) < 0)
		return code;
	return count_packages(st, s);
}

/* --- small writers ------------------------------------------------------ */

static void esc(FILE *out, const char *s)
{
	cs_rutil_xml_escape(out, s);
}

/* Writes s escaped, cut to at most max characters (code points) with "…" when longer. */
static void esc_cut(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t chars = 0, cut = 0, off = 0;
	char *head;

	while (p[off] && chars <= max) {
		size_t n = cs_rutil_utf8_len(p + off);

		off += n ? n : 1; /* a stray byte counts as one character (U+FFFD) */
		if (++chars == max - 1)
			cut = off;
	}
	if (chars <= max) {
		esc(out, s);
		return;
	}
	if (!(head = strndup((const char *)p, cut))) {
		esc(out, "…"); /* out of memory: the label is lost, the page is not */
		return;
	}
	esc(out, head);
	fputs("…", out);
	free(head);
}

/* http(s) URLs only become links: a javascript: or data: reference from a feed stays text. */
static bool is_web_url(const char *u)
{
	return u && (!strncasecmp(u, "https://", 8) || !strncasecmp(u, "http://", 7));
}

/* "sha256-<base64>" of text, for the Content-Security-Policy. */
static int csp_hash(const char *text, char out[64])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char hex[CS_DIGEST_MAX];
	unsigned char d[33] = {0};
	size_t i, o;

	if (cs_sha256_buf(text, strlen(text), hex) < 0)
		return CS_ENOMEM;
	for (i = 0; i < 32; i++) {
		unsigned hi, lo;

		if (sscanf(hex + 7 + 2 * i, "%1x%1x", &hi, &lo) != 2)
			return CS_ERR;
		d[i] = (unsigned char)(hi << 4 | lo);
	}
	o = (size_t)snprintf(out, 64, "sha256-");
	for (i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < 32 ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return 0;
}

static const char *target_kind(const cs_scan *s)
{
	const char *t = cs_scan_artifact(s)->type;

	if (t && !strcmp(t, "rootfs"))
		return "root filesystem";
	if (t && !strcmp(t, "sbom"))
		return "SBOM";
	return "image";
}

/* --- the parts of the page ---------------------------------------------- */

static int write_head(FILE *out, const cs_scan *s)
{
	char js[64], css[64];
	int code;

	if ((code = csp_hash(page_js, js)) < 0 || (code = csp_hash(page_css, css)) < 0)
		return code;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
	/* before anything that could load: the policy applies from here on */
	fprintf(out,
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src '%s'; "
		"style-src '%s'; img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; "
		"form-action 'none'\">\n",
		js, css);
	fputs("<meta name=\"referrer\" content=\"no-referrer\">\n", out);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
	fprintf(out, "<meta name=\"generator\" content=\"customs %s\">\n", cs_version());
	fputs("<title>customs: ", out);
	esc_cut(out, cs_scan_artifact(s)->name, 120);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n", page_css);
	return 0;
}

static void meta_item(FILE *out, const char *term, const char *value, bool code)
{
	fprintf(out, "<div><dt>%s</dt><dd>%s", term, code ? "<code>" : "");
	esc(out, value && *value ? value : "-");
	fprintf(out, "%s</dd></div>\n", code ? "</code>" : "");
}

static void write_header(FILE *out, const cs_scan *s, const cs_report_opts *o, const stats *st)
{
	const cs_artifact *a = cs_scan_artifact(s);
	const cs_os *os = cs_scan_os(s);
	char when[32], num[32];
	size_t i;

	cs_rutil_time(o ? o->now : 0, when, sizeof(when));
	fprintf(out, "<header>\n<p class=\"eyebrow\">customs %s report</p>\n<h1>", target_kind(s));
	esc(out, a->name);
	fputs("</h1>\n<dl class=\"meta\">\n", out);
	if (a->image_id)
		meta_item(out, "Image ID", a->image_id, true);
	if (a->nrepo_tags) {
		fputs("<div><dt>Tags</dt><dd>", out);
		for (i = 0; i < a->nrepo_tags; i++) {
			fputs(i ? ", <code>" : "<code>", out);
			esc(out, a->repo_tags[i]);
			fputs("</code>", out);
		}
		fputs("</dd></div>\n", out);
	}
	fputs("<div><dt>Operating system</dt><dd>", out);
	if (os) {
		esc(out, os->name ? os->name : os->family);
		if (os->family && os->version) {
			fputs(" <span class=\"muted\">(", out);
			esc(out, os->family);
			fputc(' ', out);
			esc(out, os->version);
			fputs(")</span>", out);
		}
	} else {
		fputs("not detected", out);
	}
	fputs("</dd></div>\n", out);
	if (a->os && a->arch) {
		fputs("<div><dt>Platform</dt><dd>", out);
		esc(out, a->os);
		fputc('/', out);
		esc(out, a->arch);
		if (a->variant) {
			fputc('/', out);
			esc(out, a->variant);
		}
		fputs("</dd></div>\n", out);
	}
	if (st->layered) {
		snprintf(num, sizeof(num), "%zu", st->nlayers);
		meta_item(out, "Layers", num, false);
	}
	snprintf(num, sizeof(num), "%zu", cs_scan_package_count(s));
	meta_item(out, "Packages", num, false);
	fprintf(out, "<div><dt>Report time</dt><dd><time datetime=\"%s\">%s</time></dd></div>\n", when, when);
	meta_item(out, "customs version", cs_version(), false);
	fputs("</dl>\n</header>\n", out);
}

/* One summary card; stat names the number for tests (data-stat), NULL for none. */
static void card(FILE *out, const char *cls, const char *stat, const char *label, size_t n, bool known)
{
	fprintf(out, "<div class=\"card%s%s%s\">", cls ? " " : "", cls ? cls : "", known && !n ? " zero" : "");
	if (known)
		fprintf(out, "<span class=\"n\" data-stat=\"%s\">%zu</span>", stat, n);
	else
		fputs("<span class=\"n\">&#8212;</span>", out);
	fprintf(out, "<span class=\"l\">%s%s</span></div>\n", label, known ? "" : " (not scanned)");
}

static void write_cards(FILE *out, const cs_scan *s, const stats *st)
{
	bool vulns = cs_scan_matched(s), secrets = cs_scan_secrets_ran(s);
	bool config = cs_scan_config_ran(s) || st->rows_of[ROW_CONFIG];
	char cls[32];
	int i;

	fputs("<section aria-labelledby=\"h-summary\">\n<h2 id=\"h-summary\">Summary</h2>\n", out);
	fputs("<div class=\"cards\" role=\"group\" aria-label=\"findings by severity\">\n", out);
	for (i = 0; i < NSEV; i++) {
		snprintf(cls, sizeof(cls), "sev-%s", cs_rutil_severities[i]);
		card(out, cls, cs_rutil_severities[i], sev_title[i], st->all.n[i], true);
	}
	fputs("</div>\n<div class=\"cards\" role=\"group\" aria-label=\"findings by kind\">\n", out);
	card(out, NULL, "findings", "Findings", st->nrows - st->suppressed, true);
	card(out, NULL, "vulnerabilities", "Vulnerabilities", st->vulns, vulns);
	card(out, NULL, "fixable", "Fixable", st->fixable, vulns);
	card(out, NULL, "secrets", "Secrets", st->secrets, secrets);
	card(out, NULL, "misconfigurations", "Misconfigurations", st->misconfigs, config);
	card(out, NULL, "packages", "Packages", cs_scan_package_count(s), true);
	if (st->suppressed)
		card(out, NULL, "suppressed", "Suppressed (not counted)", st->suppressed, true);
	fputs("</div>\n</section>\n", out);
}

/* "STOP", "WARN", "GO": a policy action as policy files write it. */
static const char *action_word(const char *a)
{
	if (!a)
		return "?";
	return !strcmp(a, "stop") ? "STOP" : !strcmp(a, "warn") ? "WARN" : !strcmp(a, "go") ? "GO" : a;
}

/*
 * The policy verdict, first thing after the header: PASS, WARN or FAIL in
 * the verdict's colour, the policy's name, and every rule that fired with
 * its action and message. Nothing when no gate or policy ran.
 */
static void write_verdict(FILE *out, const cs_scan *s)
{
	const cs_policy_result *r = cs_scan_policy(s);
	const char *v = r && r->verdict ? r->verdict : "";
	const char *cls = !strcmp(v, "fail") ? "v-fail" : !strcmp(v, "warn") ? "v-warn" : "v-pass";
	const char *word = !strcmp(v, "fail")	? "FAIL"
			   : !strcmp(v, "warn") ? "WARN"
			   : !strcmp(v, "pass") ? "PASS"
						: NULL;
	size_t i;

	if (!r)
		return;
	fprintf(out, "<section class=\"verdict %s\" aria-labelledby=\"h-verdict\" data-verdict=\"", cls);
	esc(out, v);
	fprintf(out, "\">\n<h2 id=\"h-verdict\">Policy verdict: <span class=\"badge %s\">", cls);
	esc(out, word ? word : v);
	fputs("</span></h2>\n<p>Policy <strong>", out);
	esc(out, r->name ? r->name : "-");
	fprintf(out, "</strong>: %zu rule%s fired.", r->nhits, r->nhits == 1 ? "" : "s");
	if (!strcmp(v, "fail"))
		fputs(" The image fails the policy: customs exits with the failure exit code.", out);
	fputs("</p>\n", out);
	if (r->nhits) {
		fputs("<ul>\n", out);
		for (i = 0; i < r->nhits; i++) {
			const cs_policy_hit *h = &r->hits[i];
			const char *a = h->action ? h->action : "";

			fprintf(out, "<li><span class=\"badge a-%s\">",
				!strcmp(a, "stop") ? "stop" : !strcmp(a, "warn") ? "warn" : "go");
			esc(out, action_word(h->action));
			fputs("</span> <code>", out);
			esc(out, h->rule);
			fputs("</code> <span class=\"muted\">(", out);
			esc(out, h->gate);
			fputc('/', out);
			esc(out, h->trigger);
			fputs(")</span>: ", out);
			esc(out, h->message);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	fputs("</section>\n", out);
}

/*
 * The base image: its name (or that it is unknown), how its boundary was
 * found and whether a catalog approves it, its OS and end of life, the
 * layers it made, and how many of the vulnerabilities it brought
 * (cs_base_split_vulns, the same numbers as the JSON and table reports).
 */
static void write_base(FILE *out, const cs_scan *s)
{
	const cs_base *b = cs_scan_base(s);
	cs_base_split sp;
	char num[64];

	if (!b)
		return;
	fputs("<section aria-labelledby=\"h-base\">\n<h2 id=\"h-base\">Base image</h2>\n<dl class=\"meta\">\n", out);
	fputs("<div><dt>Name</dt><dd>", out);
	if (b->name) {
		fputs("<code>", out);
		esc(out, b->name);
		fputs("</code>", out);
	} else {
		fputs("unknown", out);
	}
	fputs("</dd></div>\n", out);
	fputs("<div><dt>Found by</dt><dd>", out);
	esc(out, b->method ? b->method : "-");
	if (b->method && !strcmp(b->method, "catalog"))
		fputs(b->approved ? ", approved" : ", <strong>not approved</strong>", out);
	fputs("</dd></div>\n", out);
	fputs("<div><dt>Operating system</dt><dd>", out);
	esc(out, b->os ? b->os : "-");
	fputs("</dd></div>\n<div><dt>End of life</dt><dd>", out);
	if (b->eol > 0) {
		fputs("<span class=\"badge eol\" data-eol=\"true\">END OF LIFE</span> support ended ", out);
		esc(out, b->eol_date ? b->eol_date : "?");
	} else if (b->eol == 0) {
		fputs("<span data-eol=\"false\">supported</span> until ", out);
		esc(out, b->eol_date ? b->eol_date : "?");
	} else {
		fputs("<span data-eol=\"unknown\">unknown</span>", out);
	}
	fputs("</dd></div>\n", out);
	if (b->last_layer >= 0 && !cs_scan_is_rootfs(s)) {
		snprintf(num, sizeof(num), "#%d to #%d of %zu", b->first_layer, b->last_layer, cs_scan_layer_count(s));
		meta_item(out, "Layers", num, false);
	}
	fputs("</dl>\n", out);
	if (cs_scan_matched(s) && b->last_layer >= 0) {
		cs_base_split_vulns(s, b, &sp);
		fprintf(out,
			"<p id=\"base-split\"><strong>%zu of %zu vulnerabilities come from the base</strong>; "
			"rebuilding on a patched base fixes %zu.</p>\n",
			sp.base, sp.base + sp.application, sp.fixed_by_rebuild);
	}
	fputs("</section>\n", out);
}

static void legend(FILE *out)
{
	int i;

	fputs("<ul class=\"legend\" aria-label=\"severity colours\">", out);
	for (i = 0; i < NSEV; i++)
		fprintf(out, "<li class=\"sev-%s\">%s</li>", cs_rutil_severities[i], sev_title[i]);
	fputs("</ul>\n", out);
}

/* One bar of a chart: a label (ours, then image-derived text) and its counts. */
typedef struct bar {
	char head[64];    /* our part of the label: "#3", "First layer" */
	const char *text; /* image-derived rest of the label, or NULL */
	const char *note; /* image-derived, after the text (a package's version), or NULL */
	sevcount c;
} bar;

/*
 * Chart geometry. Bars are laid out in percentages of the chart's width
 * (tenths of a percent here) and text in pixels, so the bars stretch with
 * the page while the labels keep their size on a phone and on a monitor.
 */
#define CH_BAR 880 /* the longest bar: 88.0% of the width; its total is written after it */
#define CH_ROW 42  /* pixels per labelled bar */

/* A tenths-of-a-percent value as a percentage, written without the locale's help. */
static void pct(FILE *out, size_t v)
{
	fprintf(out, "%zu.%zu%%", v / 10, v % 10);
}

static void bar_tip(FILE *out, const bar *b)
{
	size_t i, total = sev_total(&b->c);
	bool first = true;

	fputs("<title>", out);
	esc(out, b->head);
	if (b->text) {
		fputc(' ', out);
		esc_cut(out, b->text, TIP_CHARS);
	}
	fprintf(out, ": %zu finding%s", total, total == 1 ? "" : "s");
	for (i = 0; i < NSEV; i++) {
		if (!b->c.n[i])
			continue;
		fprintf(out, "%s%zu %s", first ? " (" : ", ", b->c.n[i], cs_rutil_severities[i]);
		first = false;
	}
	fprintf(out, "%s</title>", first ? "" : ")");
}

/* The severity segments of one bar, scaled so that max findings fill CH_BAR. */
static void bar_segments(FILE *out, const bar *b, size_t y, size_t max)
{
	size_t cum = 0, x0 = 0, i;

	for (i = 0; i < NSEV; i++) {
		size_t x1, w;
		char digits[24];

		if (!b->c.n[i])
			continue;
		cum += b->c.n[i];
		/* ends from the running sum, so rounding never leaves a gap */
		x1 = cum * CH_BAR / max;
		w = x1 - x0;
		fprintf(out, "<rect class=\"seg sev-%s\" x=\"", cs_rutil_severities[i]);
		pct(out, x0);
		fprintf(out, "\" y=\"%zu\" width=\"", y);
		pct(out, w);
		fputs("\" height=\"18\"/>", out);
		/*
		 * The count inside the segment when it fits (on a chart at least
		 * 300 pixels wide), so the bar reads without the colours.
		 */
		snprintf(digits, sizeof(digits), "%zu", b->c.n[i]);
		if (w >= (strlen(digits) * 2 + 4) * 10) {
			fprintf(out, "<text class=\"in sev-%s\" x=\"", cs_rutil_severities[i]);
			pct(out, x0 + w / 2);
			fprintf(out, "\" y=\"%zu\">%s</text>", y + 13, digits);
		}
		x0 = x1;
	}
}

/* A horizontal stacked bar chart, one labelled bar per entry. */
static void chart(FILE *out, const char *id, const char *title, const bar *b, size_t n)
{
	size_t i, max = 1;

	for (i = 0; i < n; i++)
		if (sev_total(&b[i].c) > max)
			max = sev_total(&b[i].c);
	fprintf(out, "<svg class=\"chart\" width=\"100%%\" height=\"%zu\" role=\"img\" aria-labelledby=\"%s\">",
		n * CH_ROW + 2, id);
	fprintf(out, "<title id=\"%s\">%s</title>\n", id, title);
	for (i = 0; i < n; i++) {
		size_t y = i * CH_ROW;

		fputs("<g>", out);
		bar_tip(out, &b[i]);
		fprintf(out, "<text class=\"lbl\" x=\"0\" y=\"%zu\">", y + 14);
		esc(out, b[i].head);
		if (b[i].text) {
			fputc(' ', out);
			esc_cut(out, b[i].text, LABEL_CHARS);
		}
		if (b[i].note) {
			fputc(' ', out);
			esc_cut(out, b[i].note, LABEL_CHARS);
		}
		fprintf(out, "</text><rect class=\"track\" x=\"0\" y=\"%zu\" width=\"", y + 20);
		pct(out, CH_BAR);
		fputs("\" height=\"18\"/>", out);
		bar_segments(out, &b[i], y + 20, max);
		fprintf(out, "<text class=\"tot\" x=\"100%%\" y=\"%zu\">%zu</text></g>\n", y + 34,
			sev_total(&b[i].c));
	}
	fputs("</svg>\n", out);
}

/* Findings per layer, plus the config and unknown-layer bars when they hold any. */
static int chart_layers(FILE *out, const cs_scan *s, const stats *st)
{
	size_t n = 0, i;
	bar *b;

	fputs("<figure>\n<h3 id=\"h-layers\">Findings by layer</h3>\n", out);
	if (!st->layered) {
		bar whole = {{0}, NULL, NULL, st->all};

		snprintf(whole.head, sizeof(whole.head), "Whole %s", target_kind(s));
		chart(out, "c-layers", "Findings by severity", &whole, 1);
		fprintf(out, "<figcaption>A %s has no layers: every finding is counted in one bar.</figcaption>\n",
			target_kind(s));
		fputs("</figure>\n", out);
		return 0;
	}
	if (!(b = calloc(st->nlayers + 3, sizeof(*b))))
		return CS_ENOMEM;
	for (i = 0; i < st->nlayers; i++, n++) {
		snprintf(b[n].head, sizeof(b[n].head), "#%zu (%zu package%s)", i, st->layer_pkgs[i],
			 st->layer_pkgs[i] == 1 ? "" : "s");
		b[n].text = cs_rutil_short_step(cs_scan_layer(s, i)->created_by);
		b[n].c = st->layer[i];
	}
	if (sev_total(&st->config)) {
		snprintf(b[n].head, sizeof(b[n].head), "Image config (environment, history)");
		b[n++].c = st->config;
	}
	if (sev_total(&st->dockerfile)) {
		snprintf(b[n].head, sizeof(b[n].head), "Dockerfile");
		b[n++].c = st->dockerfile;
	}
	if (sev_total(&st->nolayer)) {
		snprintf(b[n].head, sizeof(b[n].head), "Layer not known");
		b[n++].c = st->nolayer;
	}
	chart(out, "c-layers", "Findings by severity in each layer", b, n);
	fputs("<figcaption>One bar per layer, labelled with the build step that made it; the bars share one "
	      "scale.</figcaption>\n</figure>\n",
	      out);
	free(b);
	return 0;
}

/* "#0" or "#0 to #3". */
static void layer_range(char *buf, size_t n, size_t first, size_t last)
{
	if (first == last)
		snprintf(buf, n, "#%zu", first);
	else
		snprintf(buf, n, "#%zu to #%zu", first, last);
}

/*
 * The split (see base_layer_count): the base image's layers against the
 * application's when the base assessment found the boundary, else the
 * first layer against the later ones, labelled as such.
 */
static void chart_split(FILE *out, const cs_scan *s, const stats *st)
{
	const cs_base *base = cs_scan_base(s);
	bar b[2];
	char range[48];
	size_t n = 0;

	if (!st->layered || !st->nlayers)
		return;
	memset(b, 0, sizeof(b));
	if (st->real_base)
		fputs("<figure>\n<h3 id=\"h-split\">Base image and application</h3>\n", out);
	else
		fputs("<figure>\n<h3 id=\"h-split\">First layer and later layers</h3>\n", out);
	layer_range(range, sizeof(range), 0, st->nbase - 1);
	snprintf(b[n].head, sizeof(b[n].head), "%s (%s)", st->real_base ? "Base image" : "First layer", range);
	b[n++].c = st->base;
	if (st->nlayers > st->nbase) {
		layer_range(range, sizeof(range), st->nbase, st->nlayers - 1);
		snprintf(b[n].head, sizeof(b[n].head), "%s (%s)", st->real_base ? "Application" : "Later layers",
			 range);
		b[n++].c = st->later;
	}
	if (st->real_base) {
		chart(out, "c-split", "Findings in the base image's layers and in the application's", b, n);
		fputs("<figcaption>The base image ends at layer ", out);
		fprintf(out, "#%zu, found by ", st->nbase - 1);
		esc(out, base->method ? base->method : "the base assessment");
		fputs(" (see Base image above).", out);
		if (n == 1)
			fputs(" Every layer is the base image's.", out);
	} else {
		chart(out, "c-split", "Findings in the first layer and in the later layers", b, n);
		fputs("<figcaption>customs found no base image boundary for this image (no catalog match, no build "
		      "history that shows one), so this splits at the first layer, which is usually the base "
		      "image's operating system: a fallback, not a verdict on the base image.",
		      out);
		if (n == 1)
			fputs(" This image has a single layer.", out);
	}
	if (sev_total(&st->config) || sev_total(&st->nolayer) || sev_total(&st->dockerfile))
		fprintf(out, " Findings outside the layers (%zu) are in neither bar.",
			sev_total(&st->config) + sev_total(&st->nolayer) + sev_total(&st->dockerfile));
	fputs("</figcaption>\n</figure>\n", out);
}

static int chart_packages(FILE *out, const stats *st)
{
	bar *b;
	size_t i;

	fputs("<figure>\n<h3 id=\"h-packages\">Worst packages</h3>\n", out);
	if (!st->ntop) {
		fputs("<p class=\"muted\">No package has a known vulnerability.</p>\n</figure>\n", out);
		return 0;
	}
	if (!(b = calloc(st->ntop, sizeof(*b))))
		return CS_ENOMEM;
	for (i = 0; i < st->ntop; i++) {
		/* the name is image-derived: it goes in text (escaped), the head stays ours */
		snprintf(b[i].head, sizeof(b[i].head), "%zu.", i + 1);
		b[i].text = st->top[i].p->name;
		b[i].note = st->top[i].p->version;
		b[i].c = st->top[i].c;
	}
	chart(out, "c-packages", "Packages with the worst vulnerabilities", b, st->ntop);
	fprintf(out, "<figcaption>Up to %d packages, ordered by their worst severity, then by the number of "
		     "vulnerabilities.</figcaption>\n</figure>\n",
		TOP_N);
	free(b);
	return 0;
}

static int write_charts(FILE *out, const cs_scan *s, const stats *st)
{
	int code;

	fputs("<section aria-labelledby=\"h-charts\">\n<h2 id=\"h-charts\">Where the findings are</h2>\n", out);
	legend(out);
	fputs("<div class=\"charts\">\n", out);
	if ((code = chart_layers(out, s, st)) < 0)
		return code;
	chart_split(out, s, st);
	if ((code = chart_packages(out, st)) < 0)
		return code;
	fputs("</div>\n</section>\n", out);
	return 0;
}

/*
 * The layer cell: its index (sort key index + 1, so the config sorts
 * first) and the step as a tooltip. A secret outside the layers of an
 * image is in its config; a package's unknown layer is "-".
 */
static void layer_cell(FILE *out, const cs_scan *s, const stats *st, int layer, int removed_in, bool secret)
{
	const cs_layer *l = st->layered && layer >= 0 ? cs_scan_layer(s, (size_t)layer) : NULL;

	fprintf(out, "<td data-v=\"%d\"", layer + 1);
	if (l && l->created_by) {
		fputs(" title=\"", out);
		esc_cut(out, cs_rutil_short_step(l->created_by), TIP_CHARS);
		fputc('"', out);
	}
	if (l)
		fprintf(out, ">#%d", layer);
	else if (st->layered && secret)
		fputs(">config", out);
	else
		fputs(">-", out);
	if (removed_in >= 0)
		fprintf(out, "<div class=\"sub\">deleted in #%d, still in the image</div>", removed_in);
	fputs("</td>", out);
}

static void sev_cell(FILE *out, int sev)
{
	fprintf(out, "<td data-v=\"%d\"><span class=\"badge sev-%s\">%s</span></td>", NSEV - 1 - sev,
		cs_rutil_severities[sev], sev_title[sev]);
}

/* <tr> with what the filters read: severity, kind, suppressed (marked, and dimmed by the style). */
static void row_open(FILE *out, const row *r, const char *kind)
{
	fprintf(out, "<tr%s data-sev=\"%s\" data-kind=\"%s\" data-sup=\"%d\">", r->sup->kind ? " class=\"sup\"" : "",
		cs_rutil_severities[r->sev], kind, r->sup->kind != NULL);
}

/* In the ID cell of a suppressed finding: which kind of suppression, and why (the reason, the file). */
static void sup_note(FILE *out, const row *r)
{
	const cs_suppression *u = r->sup;

	if (!u->kind)
		return;
	fputs("<div><span class=\"tag\">suppressed: ", out);
	esc(out, u->kind);
	fputs("</span></div><div class=\"sub\">", out);
	esc_cut(out, u->reason && *u->reason ? u->reason : u->kind, 200);
	if (u->source && *u->source) {
		fputs(" (", out);
		esc_cut(out, u->source, 120);
		fputc(')', out);
	}
	fputs("</div>", out);
}

static void vuln_row(FILE *out, const cs_scan *s, const stats *st, const row *r)
{
	const cs_vuln *v = r->v;
	const char *url = v->nreferences ? v->references[0] : NULL;

	row_open(out, r, "vuln");
	sev_cell(out, r->sev);
	fputs("<td><span class=\"id\">", out);
	if (is_web_url(url)) {
		fputs("<a rel=\"noopener noreferrer\" href=\"", out);
		esc(out, url);
		fputs("\">", out);
		esc(out, v->id);
		fputs("</a>", out);
	} else {
		esc(out, v->id);
	}
	fputs("</span>", out);
	if (v->title) {
		fputs("<div class=\"sub\">", out);
		esc_cut(out, v->title, 200);
		fputs("</div>", out);
	}
	sup_note(out, r);
	fputs("</td><td>", out);
	esc(out, v->package->name);
	fputs("</td><td>", out);
	esc(out, v->installed_version);
	fputs("</td><td>", out);
	if (v->fixed_version && *v->fixed_version) {
		esc(out, v->fixed_version);
	} else {
		fputs("<span class=\"muted\">", out);
		esc(out, v->status ? v->status : "not fixed");
		fputs("</span>", out);
	}
	fputs("</td>", out);
	layer_cell(out, s, st, v->package->layer, -1, false);
	fputs("<td>", out);
	esc(out, v->package->found_in);
	fputs("</td></tr>\n", out);
}

/* A secret's row: the redacted match in the "installed" column, never the secret. */
static void secret_row(FILE *out, const cs_scan *s, const stats *st, const row *r)
{
	const cs_secret *f = r->f;

	row_open(out, r, "secret");
	sev_cell(out, r->sev);
	fputs("<td><span class=\"id\">", out);
	esc(out, f->rule_id);
	fputs("</span>", out);
	if (f->title) {
		fputs("<div class=\"sub\">", out);
		esc_cut(out, f->title, 200);
		fputs("</div>", out);
	}
	sup_note(out, r);
	fputs("</td><td><span class=\"muted\">secret</span> ", out);
	esc(out, f->category);
	fputs("</td><td><code>", out);
	esc(out, f->match);
	fputs("</code></td><td><span class=\"muted\">-</span></td>", out);
	layer_cell(out, s, st, f->layer, f->removed_in, true);
	fputs("<td>", out);
	esc(out, f->path);
	if (f->line)
		fprintf(out, ":%llu", (unsigned long long)f->line);
	fputs("</td></tr>\n", out);
}

/*
 * A misconfiguration's row: "config" and its CIS item where the package
 * goes, what was found where the version goes, the fix where the fixed
 * version goes, the layer (or Dockerfile, or config), and the Dockerfile
 * line or the file.
 */
static void misconfig_row(FILE *out, const cs_scan *s, const stats *st, const row *r)
{
	const cs_misconfig *m = r->m;
	const cs_layer *l = st->layered && m->layer >= 0 ? cs_scan_layer(s, (size_t)m->layer) : NULL;

	row_open(out, r, "config");
	sev_cell(out, r->sev);
	fputs("<td><span class=\"id\">", out);
	esc(out, m->id);
	fputs("</span>", out);
	if (m->title) {
		fputs("<div class=\"sub\">", out);
		esc_cut(out, m->title, 200);
		fputs("</div>", out);
	}
	sup_note(out, r);
	fputs("</td><td><span class=\"muted\">config</span>", out);
	if (m->cis && *m->cis) {
		fputs(" CIS ", out);
		esc(out, m->cis);
	}
	fputs("</td><td>", out);
	esc_cut(out, m->message && *m->message ? m->message : m->title, 300);
	fputs("</td><td><span class=\"muted\">", out);
	esc_cut(out, m->resolution ? m->resolution : "-", 300);
	fputs("</span></td>", out);
	if (l || !st->layered) {
		layer_cell(out, s, st, m->layer, -1, false);
	} else {
		/* sorts with the config, before layer #0 */
		fprintf(out, "<td data-v=\"0\">%s</td>", m->dockerfile ? "Dockerfile" : "config");
	}
	fputs("<td>", out);
	if (m->dockerfile) {
		esc(out, m->dockerfile);
		if (m->line)
			fprintf(out, ":%llu", (unsigned long long)m->line);
	} else {
		esc(out, m->path && *m->path ? m->path : "-");
	}
	fputs("</td></tr>\n", out);
}

static void controls(FILE *out, const cs_scan *s, const stats *st)
{
	int i;

	/* hidden until the script runs: without it there is nothing to filter with */
	fputs("<div class=\"controls\" id=\"controls\" hidden>\n<fieldset><legend>Severity</legend>", out);
	for (i = 0; i < NSEV; i++) {
		size_t n = 0, k;

		/* rows, suppressed ones included: what ticking the box shows or hides */
		for (k = 0; k < st->nrows; k++)
			n += st->rows[k].sev == i;
		fprintf(out, "<label><input type=\"checkbox\" value=\"sev:%s\" checked> %s (%zu)</label>",
			cs_rutil_severities[i], sev_title[i], n);
	}
	fprintf(out, "</fieldset>\n<fieldset><legend>Kind</legend>"
		     "<label><input type=\"checkbox\" value=\"kind:vuln\" checked> Vulnerabilities (%zu)</label>"
		     "<label><input type=\"checkbox\" value=\"kind:secret\" checked> Secrets (%zu)</label>",
		st->rows_of[ROW_VULN], st->rows_of[ROW_SECRET]);
	if (cs_scan_config_ran(s) || st->rows_of[ROW_CONFIG])
		fprintf(out,
			"<label><input type=\"checkbox\" value=\"kind:config\" checked> Misconfigurations (%zu)</label>",
			st->rows_of[ROW_CONFIG]);
	fputs("</fieldset>\n", out);
	if (st->suppressed)
		fprintf(out, "<fieldset><legend>Status</legend>"
			     "<label><input type=\"checkbox\" value=\"sup:0\" checked> Counted (%zu)</label>"
			     "<label><input type=\"checkbox\" value=\"sup:1\" checked> Suppressed (%zu)</label>"
			     "</fieldset>\n",
			st->nrows - st->suppressed, st->suppressed);
	fputs("<input type=\"search\" id=\"q\" placeholder=\"Filter: id, package, path...\" "
	      "aria-label=\"filter the findings by text\">\n</div>\n",
	      out);
}

static void write_table(FILE *out, const cs_scan *s, const stats *st)
{
	static const char *const cols[] = {"Severity", "ID", "Package", "Installed", "Fixed", "Layer", "Path"};
	size_t i;

	fputs("<section aria-labelledby=\"h-findings\">\n<h2 id=\"h-findings\">Findings</h2>\n", out);
	if (!cs_scan_matched(s))
		fputs("<p class=\"muted\">Vulnerabilities were not scanned for.</p>\n", out);
	if (!cs_scan_secrets_ran(s))
		fputs("<p class=\"muted\">Secrets were not scanned for.</p>\n", out);
	if (!cs_scan_config_ran(s) && !st->rows_of[ROW_CONFIG])
		fputs("<p class=\"muted\">The configuration was not audited.</p>\n", out);
	if (!st->nrows) {
		fputs("<p>No findings.</p>\n</section>\n", out);
		return;
	}
	controls(out, s, st);
	fprintf(out, "<p class=\"status\" aria-live=\"polite\"><span id=\"shown\">%zu</span> of %zu findings shown, "
		     "worst first%s.</p>\n",
		st->nrows, st->nrows, st->suppressed ? "; suppressed ones are marked and not counted above" : "");
	fputs("<div class=\"scroll\"><table id=\"findings\">\n<thead><tr>", out);
	for (i = 0; i < CS_ARRAY_LEN(cols); i++)
		fprintf(out, "<th scope=\"col\"%s><button type=\"button\">%s</button></th>",
			i == 0 ? " aria-sort=\"descending\"" : "", cols[i]);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (i = 0; i < st->nrows; i++) {
		if (st->rows[i].v)
			vuln_row(out, s, st, &st->rows[i]);
		else if (st->rows[i].f)
			secret_row(out, s, st, &st->rows[i]);
		else
			misconfig_row(out, s, st, &st->rows[i]);
	}
	fputs("</tbody>\n<tfoot><tr id=\"none\" hidden><td colspan=\"7\" class=\"muted\">No finding matches the "
	      "filter.</td></tr></tfoot>\n</table></div>\n</section>\n",
	      out);
}

static void write_diagnostics(FILE *out, const cs_scan *s)
{
	size_t n = cs_scan_diag_count(s), i;

	if (!n)
		return;
	fprintf(out, "<details>\n<summary>%zu diagnostic%s from the scan (%zu error%s)</summary>\n<ul>\n", n,
		n == 1 ? "" : "s", cs_scan_error_count(s), cs_scan_error_count(s) == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		int level;
		const char *msg = cs_scan_diag_get(s, i, &level);

		fprintf(out, "<li><strong>%s</strong>: ", level == 0 ? "error" : "warning");
		esc(out, msg);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n</details>\n", out);
}

/* --- the data block ----------------------------------------------------- */

static cJSON *str_or_null(const char *s)
{
	return s && *s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *sev_json(const sevcount *c)
{
	cJSON *o = cJSON_CreateObject();
	int i;

	for (i = 0; i < NSEV; i++)
		cJSON_AddNumberToObject(o, cs_rutil_severities[i], (double)c->n[i]);
	return o;
}

static cJSON *layers_data(const cs_scan *s, const stats *st)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < st->nlayers; i++) {
		const cs_layer *l = cs_scan_layer(s, i);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "index", (double)i);
		cJSON_AddItemToObject(o, "diff_id", str_or_null(l->diff_id));
		cJSON_AddItemToObject(o, "step", str_or_null(cs_rutil_short_step(l->created_by)));
		cJSON_AddNumberToObject(o, "packages", (double)st->layer_pkgs[i]);
		cJSON_AddItemToObject(o, "severity", sev_json(&st->layer[i]));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *split_data(const stats *st)
{
	cJSON *o;

	if (!st->layered)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "basis", st->real_base ? "base-image" : "first-layer");
	cJSON_AddNumberToObject(o, "base_layers", (double)st->nbase);
	cJSON_AddItemToObject(o, "base", sev_json(&st->base));
	cJSON_AddItemToObject(o, "later", sev_json(&st->later));
	cJSON_AddItemToObject(o, "config", sev_json(&st->config));
	cJSON_AddItemToObject(o, "dockerfile", sev_json(&st->dockerfile));
	cJSON_AddItemToObject(o, "unknown_layer", sev_json(&st->nolayer));
	return o;
}

/* The base image as the page shows it, with the split of the vulnerabilities; null without one. */
static cJSON *base_data(const cs_scan *s)
{
	const cs_base *b = cs_scan_base(s);
	cJSON *o, *f;
	cs_base_split sp;

	if (!b)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "name", str_or_null(b->name));
	cJSON_AddItemToObject(o, "method", str_or_null(b->method));
	cJSON_AddItemToObject(o, "os", str_or_null(b->os));
	cJSON_AddItemToObject(o, "eol", b->eol < 0 ? cJSON_CreateNull() : cJSON_CreateBool(b->eol > 0));
	cJSON_AddItemToObject(o, "eol_date", str_or_null(b->eol_date));
	cJSON_AddNumberToObject(o, "first_layer", b->first_layer);
	cJSON_AddNumberToObject(o, "last_layer", b->last_layer);
	cJSON_AddBoolToObject(o, "approved", b->approved);
	if (cs_scan_matched(s) && b->last_layer >= 0) {
		cs_base_split_vulns(s, b, &sp);
		f = cJSON_AddObjectToObject(o, "vulnerabilities");
		cJSON_AddNumberToObject(f, "base", (double)sp.base);
		cJSON_AddNumberToObject(f, "application", (double)sp.application);
		cJSON_AddNumberToObject(f, "fixed_by_rebuild", (double)sp.fixed_by_rebuild);
	} else {
		cJSON_AddNullToObject(o, "vulnerabilities");
	}
	return o;
}

static cJSON *top_data(const stats *st)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < st->ntop; i++) {
		const pkgstat *g = &st->top[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "name", str_or_null(g->p->name));
		cJSON_AddItemToObject(o, "version", str_or_null(g->p->version));
		cJSON_AddItemToObject(o, "type", str_or_null(g->p->type));
		cJSON_AddStringToObject(o, "worst", cs_rutil_severities[g->worst]);
		cJSON_AddNumberToObject(o, "findings", (double)g->total);
		cJSON_AddItemToObject(o, "severity", sev_json(&g->c));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/* One table row as data, in the table's order. */
static cJSON *finding_data(const row *r)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "kind", r->v ? "vulnerability" : r->f ? "secret" : "misconfiguration");
	cJSON_AddStringToObject(o, "severity", cs_rutil_severities[r->sev]);
	if (r->m) {
		const cs_misconfig *m = r->m;

		cJSON_AddItemToObject(o, "id", str_or_null(m->id));
		cJSON_AddItemToObject(o, "title", str_or_null(m->title));
		cJSON_AddItemToObject(o, "cis", str_or_null(m->cis));
		cJSON_AddItemToObject(o, "message", str_or_null(m->message));
		cJSON_AddNumberToObject(o, "layer", m->layer);
		cJSON_AddItemToObject(o, "path", str_or_null(m->path));
		cJSON_AddItemToObject(o, "dockerfile", str_or_null(m->dockerfile));
		cJSON_AddNumberToObject(o, "line", (double)m->line);
	} else if (r->v) {
		const cs_vuln *v = r->v;

		cJSON_AddItemToObject(o, "id", str_or_null(v->id));
		cJSON_AddItemToObject(o, "url", str_or_null(v->nreferences && is_web_url(v->references[0])
								    ? v->references[0]
								    : NULL));
		cJSON_AddItemToObject(o, "package", str_or_null(v->package->name));
		cJSON_AddItemToObject(o, "installed", str_or_null(v->installed_version));
		cJSON_AddItemToObject(o, "fixed", str_or_null(v->fixed_version));
		cJSON_AddItemToObject(o, "status", str_or_null(v->status));
		cJSON_AddNumberToObject(o, "layer", v->package->layer);
		cJSON_AddItemToObject(o, "path", str_or_null(v->package->found_in));
	} else {
		const cs_secret *f = r->f;

		cJSON_AddItemToObject(o, "id", str_or_null(f->rule_id));
		cJSON_AddItemToObject(o, "category", str_or_null(f->category));
		cJSON_AddItemToObject(o, "match", str_or_null(f->match));
		cJSON_AddNumberToObject(o, "layer", f->layer);
		cJSON_AddNumberToObject(o, "removed_in", f->removed_in);
		cJSON_AddItemToObject(o, "path", str_or_null(f->path));
		cJSON_AddNumberToObject(o, "line", (double)f->line);
	}
	if (r->sup->kind) {
		cJSON *u = cJSON_AddObjectToObject(o, "suppressed");

		cJSON_AddItemToObject(u, "kind", str_or_null(r->sup->kind));
		cJSON_AddItemToObject(u, "reason", str_or_null(r->sup->reason));
		cJSON_AddItemToObject(u, "source", str_or_null(r->sup->source));
	} else {
		cJSON_AddNullToObject(o, "suppressed");
	}
	return o;
}

/* The numbers and rows the page shows, as one JSON document (documented in docs/reports.md). */
static cJSON *html_data(const cs_scan *s, const cs_report_opts *o, const stats *st)
{
	const cs_artifact *a = cs_scan_artifact(s);
	const cs_os *os = cs_scan_os(s);
	cJSON *root = cJSON_CreateObject(), *x, *arr;
	char when[32];
	size_t i;

	cs_rutil_time(o ? o->now : 0, when, sizeof(when));
	cJSON_AddStringToObject(root, "format", "customs-html-data");
	cJSON_AddNumberToObject(root, "version", 1);
	x = cJSON_AddObjectToObject(root, "tool");
	cJSON_AddStringToObject(x, "name", "customs");
	cJSON_AddStringToObject(x, "version", cs_version());
	cJSON_AddStringToObject(root, "generated", when);
	x = cJSON_AddObjectToObject(root, "artifact");
	cJSON_AddItemToObject(x, "name", str_or_null(a->name));
	cJSON_AddItemToObject(x, "type", str_or_null(a->type));
	cJSON_AddItemToObject(x, "image_id", str_or_null(a->image_id));
	cJSON_AddItemToObject(x, "os_family", str_or_null(os ? os->family : NULL));
	cJSON_AddItemToObject(x, "os_version", str_or_null(os ? os->version : NULL));
	cJSON_AddItemToObject(x, "layers", st->layered ? cJSON_CreateNumber((double)st->nlayers) : cJSON_CreateNull());
	x = cJSON_AddObjectToObject(root, "scanned");
	cJSON_AddBoolToObject(x, "vulnerabilities", cs_scan_matched(s));
	cJSON_AddBoolToObject(x, "secrets", cs_scan_secrets_ran(s));
	cJSON_AddBoolToObject(x, "config", cs_scan_config_ran(s));
	x = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(x, "findings", (double)(st->nrows - st->suppressed));
	cJSON_AddNumberToObject(x, "vulnerabilities", (double)st->vulns);
	cJSON_AddNumberToObject(x, "fixable", (double)st->fixable);
	cJSON_AddNumberToObject(x, "secrets", (double)st->secrets);
	cJSON_AddNumberToObject(x, "misconfigurations", (double)st->misconfigs);
	cJSON_AddNumberToObject(x, "suppressed", (double)st->suppressed);
	cJSON_AddNumberToObject(x, "packages", (double)cs_scan_package_count(s));
	cJSON_AddItemToObject(x, "severity", sev_json(&st->all));
	cJSON_AddItemToObject(root, "policy", cs_rutil_policy_json(s));
	cJSON_AddItemToObject(root, "base", base_data(s));
	cJSON_AddItemToObject(root, "layers", layers_data(s, st));
	cJSON_AddItemToObject(root, "split", split_data(st));
	cJSON_AddItemToObject(root, "top_packages", top_data(st));
	arr = cJSON_AddArrayToObject(root, "findings");
	for (i = 0; i < st->nrows; i++)
		cJSON_AddItemToArray(arr, finding_data(&st->rows[i]));
	return root;
}

/*
 * Writes cJSON's text for inside a <script> element: <, > and & become \u
 * escapes (they only occur inside strings, where JSON allows that), so
 * neither "</script" nor "<!--" can appear, and bytes that are not UTF-8
 * (cJSON copies strings as they are) become \ufffd.
 */
static void put_script_json(FILE *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	while (*p) {
		size_t n;

		if (*p == '<' || *p == '>' || *p == '&') {
			fprintf(out, "\\u%04x", *p++);
			continue;
		}
		if (!(n = cs_rutil_utf8_len(p))) {
			fputs("\\ufffd", out);
			p++;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
}

static int write_data(FILE *out, const cs_scan *s, const cs_report_opts *o, const stats *st)
{
	cJSON *doc = html_data(s, o, st);
	char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;

	cJSON_Delete(doc);
	if (!text)
		return CS_ENOMEM;
	fputs("<script type=\"application/json\" id=\"customs-data\">", out);
	put_script_json(out, text);
	fputs("</script>\n", out);
	free(text);
	return 0;
}

int cs_report_html(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	stats st;
	int code;

	if ((code = stats_count(&st, s)) < 0)
		goto done;
	if ((code = write_head(out, s)) < 0)
		goto done;
	fputs("<body>\n<main>\n", out);
	write_header(out, s, o, &st);
	write_verdict(out, s);
	write_cards(out, s, &st);
	write_base(out, s);
	if ((code = write_charts(out, s, &st)) < 0)
		goto done;
	write_table(out, s, &st);
	write_diagnostics(out, s);
	fprintf(out, "<footer>Written by customs %s. This page is self-contained: it loads nothing from the "
		     "network; the data behind it is in the script element <code>customs-data</code>.</footer>\n",
		cs_version());
	fputs("</main>\n", out);
	if ((code = write_data(out, s, o, &st)) < 0)
		goto done;
	fprintf(out, "<script>%s</script>\n</body>\n</html>\n", page_js);
done:
	stats_free(&st);
	if (code < 0)
		return cs_err_set(err, code, code == CS_ENOMEM ? "out of memory" : "cannot write the HTML report");
	if (ferror(out))
		return cs_err_set(err, CS_EIO, "cannot write the report");
	return 0;
}
