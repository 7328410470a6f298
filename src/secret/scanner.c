/*
 * scanner.c - scans one file at a time against the engine (engine.c).
 *
 * Vectorscan reports "rule r matched, ending at byte `to`" and "keyword k
 * seen". Where a rule's gate is open, and only there, PCRE2 (JIT) re-runs
 * rule r on a window of the stream's recent bytes (the history plus the
 * block being fed) to recover the exact match, its start, and the capture
 * group holding the secret.
 *
 * Offsets are absolute in the file. The history keeps the last HIST bytes
 * before the current block, enough for a window of CS_SECRET_MAX_MATCH
 * bytes before a hit, a match of CS_SECRET_MAX_MATCH bytes after it, and
 * the line cursor that lags behind. A match that reaches the end of the
 * block is deferred (PCRE2 partial matching) until more bytes arrive or the
 * file ends, so findings never depend on block boundaries.
 */
#include "core/compat.h"
#include "secret/engine.h"

#include "secret/check.h"
#include "secret/engine_int.h"

#include <ctype.h>

#define MAXM ((uint64_t)CS_SECRET_MAX_MATCH)
#define CTX ((uint64_t)256)            /* bytes of left context PCRE2 sees before its start (\b) */
#define HIST (4 * CS_SECRET_MAX_MATCH) /* history kept before the current block, bytes */
#define BINARY_PROBE 8000              /* a NUL in the first bytes makes a file binary (as git) */
#define NONE UINT64_MAX
#define MATCH_LIMIT 2000000 /* PCRE2 backtracking steps per call; a hostile window cannot stall us */
#define MAX_INTERVALS 10000 /* exclude-block regions kept per file */

/* Per rule, per file. */
typedef struct rule_state {
	uint64_t gate_at;    /* end of the first keyword seen; 0: no gate; NONE: not yet */
	uint64_t closed_at;  /* last hit seen while the gate was closed, NONE */
	uint64_t covered;    /* hits ending at or before this are resolved */
	uint64_t floor;      /* end of the last match found: the next search starts there */
	uint64_t defer_to;   /* a hit waiting for more bytes (partial match), NONE */
	uint64_t defer_from; /* where its re-run starts */
	uint64_t defer_last; /* the last hit that came while one waited, 0: none */
	bool active;         /* applies to this file's path */
} rule_state;

typedef struct cand {
	uint32_t rule;
	uint64_t start, end;   /* the match */
	uint64_t sstart, send; /* from the first secret byte to the last */
	uint64_t line, col;
	char *shown;           /* redacted match, per-file arena */
} cand;

typedef struct interval {
	uint64_t from, to;
	int32_t owner;
} interval;

struct cs_secret_scanner {
	const cs_secret_engine *eng;
	hs_scratch_t *scratch[2], *bscratch;
	hs_stream_t *stream[2], *bstream;
	bool path_on;      /* some DB_PATH rule applies to this file: its stream runs */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit; /* grows to 1 MiB: the default 32 KiB can fail on a 8 KiB window */
	rule_state *rs;
	bool *gallow_on;   /* per global allow: its value check applies to this file */
	bool **rallow_on;  /* per rule, per own allow: idem */
	bool open;
	int err;           /* first failure inside a callback */
	uint64_t total;    /* bytes scanned so far */
	bool truncated;
	bool binary;
	/* The bytes at hand: history [hist_start, chunk_start), then the block. */
	uint8_t *hist;
	size_t hist_len;
	uint64_t hist_start;
	const uint8_t *chunk;
	size_t chunk_len;
	uint64_t chunk_start;
	bool eof;
	/*
	 * Line cursor: line and line start of byte cur_pos; never passes a
	 * possible match start. Hits of one stream come in offset order, so
	 * within a stream the cursor follows them; the block's other stream
	 * starts again from base, where the cursor stood when the block began.
	 */
	uint64_t cur_pos, cur_line, cur_lstart;
	uint64_t base_pos, base_line, base_lstart;
	uint8_t *win;      /* PCRE2 subject, copied from history and block */
	size_t win_cap;
	size_t win_dirty;     /* bytes of win written since the last wipe */
	uint32_t *deferred; /* rules with defer_to set */
	size_t ndeferred;
	uint64_t defer_floor; /* lowest defer_from, NONE */
	cand *cands;
	size_t ncands, cands_cap, dropped;
	interval *ivs;
	size_t nivs, ivs_cap;
	cs_arena arena;    /* per file: redacted strings */
};

/* ---- scanners ------------------------------------------------------------ */

int cs_secret_scanner_new(cs_secret_scanner **out, const cs_secret_engine *e, cs_err *err)
{
	cs_secret_scanner *sc = calloc(1, sizeof(*sc));
	size_t i;

	*out = NULL;
	if (!sc)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	sc->eng = e;
	cs_arena_init(&sc->arena);
	sc->win_cap = (size_t)(3 * MAXM + 2 * CTX);
	sc->hist = malloc(2 * HIST);
	sc->win = malloc(sc->win_cap);
	sc->rs = calloc(e->nrules ? e->nrules : 1, sizeof(*sc->rs));
	sc->deferred = calloc(e->nrules ? e->nrules : 1, sizeof(*sc->deferred));
	sc->gallow_on = calloc(e->nallows ? e->nallows : 1, sizeof(*sc->gallow_on));
	sc->rallow_on = calloc(e->nrules ? e->nrules : 1, sizeof(*sc->rallow_on));
	sc->md = pcre2_match_data_create(e->max_captures + 1, NULL);
	sc->mctx = pcre2_match_context_create(NULL);
	sc->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (!sc->hist || !sc->win || !sc->rs || !sc->deferred || !sc->gallow_on || !sc->rallow_on || !sc->md ||
	    !sc->mctx || !sc->jit)
		goto nomem;
	pcre2_set_match_limit(sc->mctx, MATCH_LIMIT);
	pcre2_jit_stack_assign(sc->mctx, NULL, sc->jit);
	for (i = 0; i < e->nrules; i++)
		if (e->rules[i].nallows && !(sc->rallow_on[i] = calloc(e->rules[i].nallows, sizeof(bool))))
			goto nomem;
	for (i = 0; i < 2; i++)
		if (e->db[i] && (hs_clone_scratch(e->scratch[i], &sc->scratch[i]) != HS_SUCCESS ||
				 sc->eng->hs->open_stream(e->db[i], 0, &sc->stream[i]) != HS_SUCCESS))
			goto nomem;
	if (e->bdb && (hs_clone_scratch(e->bscratch, &sc->bscratch) != HS_SUCCESS ||
		       sc->eng->hs->open_stream(e->bdb, 0, &sc->bstream) != HS_SUCCESS))
		goto nomem;
	*out = sc;
	return 0;
nomem:
	cs_secret_scanner_free(sc);
	return cs_err_set(err, CS_ENOMEM, "out of memory for a secret scanner");
}

void cs_secret_scanner_free(cs_secret_scanner *sc)
{
	size_t i;

	if (!sc)
		return;
	for (i = 0; i < 2; i++) {
		if (sc->stream[i])
			sc->eng->hs->close_stream(sc->stream[i], sc->scratch[i], NULL, NULL);
		hs_free_scratch(sc->scratch[i]);
	}
	if (sc->bstream)
		sc->eng->hs->close_stream(sc->bstream, sc->bscratch, NULL, NULL);
	hs_free_scratch(sc->bscratch);
	pcre2_match_data_free(sc->md);
	pcre2_match_context_free(sc->mctx);
	pcre2_jit_stack_free(sc->jit);
	if (sc->hist)
		explicit_bzero(sc->hist, 2 * HIST);
	if (sc->win)
		explicit_bzero(sc->win, sc->win_cap);
	free(sc->hist);
	free(sc->win);
	for (i = 0; sc->rallow_on && i < sc->eng->nrules; i++)
		free(sc->rallow_on[i]);
	free(sc->rallow_on);
	free(sc->gallow_on);
	free(sc->rs);
	free(sc->deferred);
	free(sc->cands);
	free(sc->ivs);
	cs_arena_release(&sc->arena);
	free(sc);
}

/* ---- bytes at hand ------------------------------------------------------- */

/* Pointer to absolute offset a and the contiguous bytes after it, or NULL when not held. */
static const uint8_t *at(const cs_secret_scanner *sc, uint64_t a, size_t *avail)
{
	if (a >= sc->hist_start && a < sc->chunk_start) {
		*avail = (size_t)(sc->chunk_start - a);
		return sc->hist + (a - sc->hist_start);
	}
	if (sc->chunk && a >= sc->chunk_start && a < sc->chunk_start + sc->chunk_len) {
		*avail = (size_t)(sc->chunk_start + sc->chunk_len - a);
		return sc->chunk + (a - sc->chunk_start);
	}
	*avail = 0;
	return NULL;
}

/* Copies [a, b) into dst; returns the bytes copied (fewer only if not held). */
static size_t copy_range(const cs_secret_scanner *sc, uint8_t *dst, uint64_t a, uint64_t b)
{
	size_t done = 0;

	while (a < b) {
		size_t avail, n;
		const uint8_t *p = at(sc, a, &avail);

		if (!p)
			break;
		n = avail < b - a ? avail : (size_t)(b - a);
		memcpy(dst + done, p, n);
		done += n;
		a += n;
	}
	return done;
}

/*
 * Newline bytes in [p, p + n), eight at a time: every line of every file
 * is counted, so this is on the hot path (memchr per line is slower on
 * short lines). A byte is '\n' when it is zero after XOR with 0x0a.
 */
static uint64_t newlines(const uint8_t *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, low7 = 0x7f7f7f7f7f7f7f7full;
	uint64_t count = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w, t;

		memcpy(&w, p + i, 8);
		w ^= ones * '\n';
		t = ((w & low7) + low7) | w; /* high bit set in each non-zero byte */
		count += (((~t >> 7) & ones) * ones) >> 56;
	}
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}

/* Newlines in [a, b): count and offset of the last one. */
static void count_nl(const cs_secret_scanner *sc, uint64_t a, uint64_t b, uint64_t *nl, uint64_t *last)
{
	while (a < b) {
		size_t avail, n;
		const uint8_t *p = at(sc, a, &avail), *q;
		uint64_t k;

		if (!p)
			break;
		n = avail < b - a ? avail : (size_t)(b - a);
		if ((k = newlines(p, n)) > 0) {
			*nl += k;
			q = memrchr(p, '\n', n);
			*last = a + (uint64_t)(q - p);
		}
		a += n;
	}
}

static void cursor_advance(cs_secret_scanner *sc, uint64_t target)
{
	uint64_t nl = 0, last = 0;

	if (target > sc->defer_floor)
		target = sc->defer_floor;
	if (target <= sc->cur_pos)
		return;
	count_nl(sc, sc->cur_pos, target, &nl, &last);
	if (nl) {
		sc->cur_line += nl;
		sc->cur_lstart = last + 1;
	}
	sc->cur_pos = target;
}

/* Back to where the cursor stood at the start of the block (before another stream's hits). */
static void cursor_rewind(cs_secret_scanner *sc)
{
	sc->cur_pos = sc->base_pos;
	sc->cur_line = sc->base_line;
	sc->cur_lstart = sc->base_lstart;
}

/* Line and column of absolute offset s (s is never behind the cursor by construction). */
static void line_of(const cs_secret_scanner *sc, uint64_t s, uint64_t *line, uint64_t *col)
{
	uint64_t nl = 0, last = 0;

	if (s < sc->cur_pos) { /* cannot happen; stay sane if it does */
		*line = sc->cur_line;
		*col = 1;
		return;
	}
	count_nl(sc, sc->cur_pos, s, &nl, &last);
	*line = sc->cur_line + nl;
	*col = s - (nl ? last + 1 : sc->cur_lstart) + 1;
}

/* Keeps the last HIST bytes fed (and possibly up to HIST more). */
static void hist_push(cs_secret_scanner *sc, const uint8_t *data, size_t len)
{
	if (len >= HIST) {
		memcpy(sc->hist, data + len - HIST, HIST);
		sc->hist_start = sc->chunk_start + len - HIST;
		sc->hist_len = HIST;
		return;
	}
	if (sc->hist_len + len > 2 * HIST) {
		size_t keep = HIST - len;

		memmove(sc->hist, sc->hist + sc->hist_len - keep, keep);
		sc->hist_start += sc->hist_len - keep;
		sc->hist_len = keep;
	}
	memcpy(sc->hist + sc->hist_len, data, len);
	sc->hist_len += len;
}

/* ---- confirming ---------------------------------------------------------- */

static bool re_matches(const cs_secret_scanner *sc, pcre2_code *re, const char *s, size_t n)
{
	return pcre2_match(re, (PCRE2_SPTR)s, n, 0, 0, sc->md, sc->mctx) >= 0;
}

typedef struct span {
	size_t a, b; /* relative to the window */
} span;

/* Every check on one secret value; true: it is a finding. */
static bool value_ok(cs_secret_scanner *sc, uint32_t ri, const char *v, size_t n)
{
	const cs_secret_engine *e = sc->eng;
	const rule_c *rc = &e->rules[ri];
	size_t i;

	if (n == 0)
		return false;
	if (e->placeholders && cs_secret_is_placeholder(v, n))
		return false;
	if ((rc->r.flags & CS_SR_GENERIC) && e->placeholders && !cs_secret_generic_ok(v, n, rc->r.flags))
		return false;
	if (rc->r.entropy > 0 && cs_secret_entropy(v, n) < rc->r.entropy)
		return false;
	for (i = 0; i < rc->nallows; i++)
		if (sc->rallow_on[ri][i] && re_matches(sc, rc->allows[i].value, v, n))
			return false;
	for (i = 0; i < e->nallows; i++)
		if (sc->gallow_on[i] && (!e->allows[i].rule_flags || (rc->r.flags & e->allows[i].rule_flags)) &&
		    re_matches(sc, e->allows[i].value, v, n))
			return false;
	return true;
}

/* Appends one shown byte: printable ASCII as is, anything else as '.'. */
static void shown_put(char *out, size_t *len, unsigned char c)
{
	out[(*len)++] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
}

/*
 * The match [ma, mb) of the window with each span replaced by its ends
 * around "*****", then cut to CS_SECRET_MAX_SHOWN bytes ending in "...":
 * cutting only removes bytes, so it never shows more of a secret.
 */
static char *redact(cs_arena *a, const uint8_t *w, size_t ma, size_t mb, span *sp, size_t nsp)
{
	char *out = cs_arena_alloc(a, (mb - ma) + 16 * nsp + 8);
	size_t len = 0, i = ma, k = 0, j;

	if (!out)
		return NULL;
	while (i < mb) {
		if (k < nsp && i == sp[k].a) {
			size_t n = sp[k].b - sp[k].a, keep = cs_secret_redact_keep(n);

			for (j = 0; j < keep; j++)
				shown_put(out, &len, w[sp[k].a + j]);
			memcpy(out + len, "*****", 5);
			len += 5;
			for (j = n - keep; j < n; j++)
				shown_put(out, &len, w[sp[k].a + j]);
			i = sp[k].b;
			k++;
			continue;
		}
		shown_put(out, &len, w[i++]);
	}
	while (len && mb > ma && (w[mb - 1] == '\n' || w[mb - 1] == '\r') && out[len - 1] == '.') {
		len--; /* a line end the pattern consumed as a boundary is not worth showing */
		mb--;
	}
	if (len > CS_SECRET_MAX_SHOWN) {
		len = CS_SECRET_MAX_SHOWN - 3;
		memcpy(out + len, "...", 3);
		len += 3;
	}
	out[len] = '\0';
	return out;
}

static int span_cmp(const void *x, const void *y)
{
	const span *a = x, *b = y;

	return a->a < b->a ? -1 : a->a > b->a;
}

/* A confirmed match [s, e) in the window starting at ws: check, redact, keep. */
static void emit(cs_secret_scanner *sc, uint32_t ri, uint64_t ws, size_t ms, size_t me)
{
	const rule_c *rc = &sc->eng->rules[ri];
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
	span sp[CS_SECRET_MAX_GROUPS + 1];
	size_t nsp = 0, i, out;
	cand *c;

	for (i = 0; i < rc->ngroups; i++) {
		int g = rc->groups[i];

		if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] > ov[2 * g]) {
			sp[nsp].a = ov[2 * g];
			sp[nsp].b = ov[2 * g + 1];
			nsp++;
		}
	}
	if (rc->ngroups == 0) {
		sp[0].a = ms;
		sp[0].b = me;
		nsp = 1;
	}
	if (nsp == 0)
		return; /* the secret groups did not take part */
	qsort(sp, nsp, sizeof(*sp), span_cmp);
	for (i = 1, out = 1; i < nsp; i++) { /* merge overlaps: each byte shown once */
		if (sp[i].a < sp[out - 1].b) {
			if (sp[i].b > sp[out - 1].b)
				sp[out - 1].b = sp[i].b;
		} else {
			sp[out++] = sp[i];
		}
	}
	nsp = out;
	for (i = 0; i < nsp; i++)
		if (!value_ok(sc, ri, (const char *)sc->win + sp[i].a, sp[i].b - sp[i].a))
			return;
	if ((rc->r.flags & CS_SR_KEYED) && sc->eng->placeholders) {
		/* The key: the match up to the value, and the rest of its name
		 * before the match ("hashed_" in "hashed_secret"). */
		size_t ks = ms;

		while (ks > 0 && ms - ks < 64 && (isalnum(sc->win[ks - 1]) || strchr("_.-", sc->win[ks - 1])))
			ks--;
		if (!cs_secret_generic_key_ok((const char *)sc->win + ks, sp[0].a - ks))
			return;
	}
	if (sc->ncands == CS_SECRET_MAX_FINDINGS) {
		sc->dropped++;
		return;
	}
	if (sc->ncands == sc->cands_cap) {
		size_t cap = sc->cands_cap ? sc->cands_cap * 2 : 16;
		cand *p = realloc(sc->cands, cap * sizeof(*p));

		if (!p) {
			sc->err = CS_ENOMEM;
			return;
		}
		sc->cands = p;
		sc->cands_cap = cap;
	}
	c = &sc->cands[sc->ncands];
	c->rule = ri;
	c->start = ws + ms;
	c->end = ws + me;
	c->sstart = ws + sp[0].a;
	c->send = ws + sp[nsp - 1].b;
	line_of(sc, c->start, &c->line, &c->col);
	if (!(c->shown = redact(&sc->arena, sc->win, ms, me, sp, nsp))) {
		sc->err = CS_ENOMEM;
		return;
	}
	sc->ncands++;
}

static void defer(cs_secret_scanner *sc, uint32_t ri, uint64_t to, uint64_t from)
{
	rule_state *st = &sc->rs[ri];

	st->defer_to = to;
	st->defer_from = from;
	sc->deferred[sc->ndeferred++] = ri;
	if (from < sc->defer_floor)
		sc->defer_floor = from;
}

/*
 * Re-runs rule ri with PCRE2 to find the match that Vectorscan saw end at
 * `to`, searching from `from` (NONE: CS_SECRET_MAX_MATCH before `to`).
 */
static void confirm(cs_secret_scanner *sc, uint32_t ri, uint64_t to, uint64_t from)
{
	const rule_c *rc = &sc->eng->rules[ri];
	rule_state *st = &sc->rs[ri];
	uint64_t avail = sc->chunk_start + sc->chunk_len;
	uint64_t lo = from != NONE ? from : (to > MAXM ? to - MAXM : 0);
	uint64_t ws, we;
	uint32_t opts = 0;
	bool limited = false;
	size_t wlen, off;

	if (lo < st->floor)
		lo = st->floor;
	if (lo < sc->hist_start)
		lo = sc->hist_start;
	ws = lo > CTX ? lo - CTX : 0;
	if (ws < sc->hist_start)
		ws = sc->hist_start;
	we = to + MAXM;
	if (we < avail)
		limited = true;
	else
		we = avail;
	if (lo >= we) {
		st->covered = to;
		return;
	}
	wlen = copy_range(sc, sc->win, ws, we);
	if (wlen > sc->win_dirty)
		sc->win_dirty = wlen;
	if (ws > 0)
		opts |= PCRE2_NOTBOL;
	if (!sc->eof || limited)
		opts |= PCRE2_NOTEOL;
	if (!sc->eof && !limited)
		opts |= PCRE2_PARTIAL_HARD;
	off = (size_t)(lo - ws);
	for (;;) {
		int m = pcre2_match(rc->re, sc->win, wlen, off, opts, sc->md, sc->mctx);
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
		uint64_t s, e;

		if (m == PCRE2_ERROR_PARTIAL) {
			if (ws + ov[0] >= to) {
				/* A later match still growing, not the hit's: it has
				 * hits of its own to come. */
				st->covered = to;
				return;
			}
			defer(sc, ri, to, ws + ov[0]);
			return;
		}
		if (m < 0) {
			st->covered = to;
			return;
		}
		s = ws + ov[0];
		e = ws + ov[1];
		if (s >= to) {
			st->covered = to;
			return;
		}
		if (e == s || e < to) {
			/*
			 * A match before the hit's: it counts if its own end came
			 * after the gate opened and after what is resolved (a hit
			 * of it may have waited behind a partial match, or been
			 * lost by Vectorscan); empty matches never count.
			 */
			size_t next = e > s ? ov[1] : ov[1] + 1;

			if (e > s && e >= st->gate_at && e > st->covered) {
				st->floor = e;
				emit(sc, ri, ws, ov[0], ov[1]);
			}
			off = next;
			if (off >= wlen) {
				st->covered = to;
				return;
			}
			continue;
		}
		st->covered = st->floor = e;
		emit(sc, ri, ws, ov[0], ov[1]);
		return;
	}
}

/* A hit of rule ri ending at `to` with the gate open. */
static void hit(cs_secret_scanner *sc, uint32_t ri, uint64_t to)
{
	rule_state *st = &sc->rs[ri];

	if (!st->active || to <= st->covered)
		return;
	if (st->defer_to != NONE) { /* re-run once the waiting one is resolved */
		if (to > st->defer_last)
			st->defer_last = to;
		return;
	}
	if (sc->binary && !(sc->eng->rules[ri].r.flags & CS_SR_BIN))
		return;
	cursor_advance(sc, to > MAXM + CTX ? to - MAXM - CTX : 0);
	confirm(sc, ri, to, NONE);
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	cs_secret_scanner *sc = ctx;
	const cs_secret_engine *e = sc->eng;

	CS_UNUSED(from);
	CS_UNUSED(flags);
	if (id >= e->nrules) { /* a keyword: opens its rule's gate */
		uint32_t ri = e->kw_rule[id - e->nrules];
		rule_state *st = &sc->rs[ri];

		if (st->gate_at == NONE) {
			st->gate_at = to;
			if (st->closed_at == to) /* the rule matched at this very byte, just before */
				hit(sc, ri, to);
		}
	} else if (sc->rs[id].gate_at > to) {
		sc->rs[id].closed_at = to;
	} else {
		hit(sc, id, to);
	}
	return sc->err ? 1 : 0;
}

static int on_block(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	cs_secret_scanner *sc = ctx;
	int32_t owner = sc->eng->block_owner[id];
	interval *last = sc->nivs ? &sc->ivs[sc->nivs - 1] : NULL;

	CS_UNUSED(flags);
	if (last && last->from == from && last->owner == owner) {
		if (to > last->to)
			last->to = to; /* the same block growing */
		return 0;
	}
	if (sc->nivs == MAX_INTERVALS)
		return 0;
	if (sc->nivs == sc->ivs_cap) {
		size_t cap = sc->ivs_cap ? sc->ivs_cap * 2 : 16;
		interval *p = realloc(sc->ivs, cap * sizeof(*p));

		if (!p) {
			sc->err = CS_ENOMEM;
			return 1;
		}
		sc->ivs = p;
		sc->ivs_cap = cap;
	}
	sc->ivs[sc->nivs].from = from;
	sc->ivs[sc->nivs].to = to;
	sc->ivs[sc->nivs].owner = owner;
	sc->nivs++;
	return 0;
}

/* Re-runs the hits that waited for this block (or for the end of the file). */
static void resume_deferred(cs_secret_scanner *sc)
{
	uint32_t list[64], *l = list;
	size_t n = sc->ndeferred, i;

	if (!n)
		return;
	if (n > CS_ARRAY_LEN(list) && !(l = malloc(n * sizeof(*l)))) {
		sc->err = CS_ENOMEM;
		return;
	}
	memcpy(l, sc->deferred, n * sizeof(*l));
	sc->ndeferred = 0;
	sc->defer_floor = NONE;
	for (i = 0; i < n; i++) {
		rule_state *st = &sc->rs[l[i]];
		uint64_t to = st->defer_to, from = st->defer_from;

		st->defer_to = NONE;
		confirm(sc, l[i], to, from);
		if (st->defer_to == NONE && st->defer_last > st->covered) {
			uint64_t last = st->defer_last;

			st->defer_last = 0;
			confirm(sc, l[i], last, NONE);
		}
	}
	if (l != list)
		free(l);
}

/* ---- files --------------------------------------------------------------- */

static bool path_matches(const cs_secret_scanner *sc, pcre2_code *re, const char *path)
{
	return pcre2_match(re, (PCRE2_SPTR)path, PCRE2_ZERO_TERMINATED, 0, 0, sc->md, sc->mctx) >= 0;
}

static void file_reset(cs_secret_scanner *sc)
{
	if (sc->hist)
		explicit_bzero(sc->hist, sc->hist_len);
	/* only what a confirmation copied there: most files never use it */
	explicit_bzero(sc->win, sc->win_dirty);
	sc->win_dirty = 0;
	sc->open = false;
	sc->path_on = false;
	sc->err = 0;
	sc->total = 0;
	sc->truncated = false;
	sc->binary = false;
	sc->hist_len = 0;
	sc->hist_start = 0;
	sc->chunk = NULL;
	sc->chunk_len = 0;
	sc->chunk_start = 0;
	sc->eof = false;
	sc->cur_pos = sc->base_pos = 0;
	sc->cur_line = sc->base_line = 1;
	sc->cur_lstart = sc->base_lstart = 0;
	sc->ndeferred = 0;
	sc->defer_floor = NONE;
	sc->ncands = 0;
	sc->dropped = 0;
	sc->nivs = 0;
	cs_arena_release(&sc->arena);
}

/* Decides which rules apply to path (the rule states); false when none does. */
static bool file_select(cs_secret_scanner *sc, const char *path)
{
	const cs_secret_engine *e = sc->eng;
	size_t i, j;
	unsigned off_flags = 0; /* rules with these flags do not apply to this path */
	bool any = false;

	if (!e->db[DB_MAIN] && !e->db[DB_PATH])
		return false;
	for (i = 0; i < e->nallows; i++) {
		const allow_c *a = &e->allows[i];
		bool on = !a->path || path_matches(sc, a->path, path);

		if (on && !a->value && !a->rule_flags)
			return false; /* the whole file is allowed */
		if (on && !a->value)
			off_flags |= a->rule_flags;
		sc->gallow_on[i] = on && a->value;
	}
	for (i = 0; i < e->nrules; i++) {
		const rule_c *rc = &e->rules[i];
		rule_state *st = &sc->rs[i];

		st->active = !(rc->r.flags & off_flags) && (!rc->path || path_matches(sc, rc->path, path));
		for (j = 0; j < rc->nallows; j++) {
			bool on = !rc->allows[j].path || path_matches(sc, rc->allows[j].path, path);

			if (on && !rc->allows[j].value)
				st->active = false;
			sc->rallow_on[i][j] = on && rc->allows[j].value;
		}
		st->gate_at = rc->gated ? NONE : 0;
		st->closed_at = NONE;
		st->covered = 0;
		st->floor = 0;
		st->defer_to = NONE;
		st->defer_last = 0;
		any = any || st->active;
		sc->path_on = sc->path_on || (st->active && rc->path);
	}
	return any;
}

bool cs_secret_file_wanted(cs_secret_scanner *sc, const char *path, uint64_t size)
{
	bool any;

	CS_UNUSED(size);
	file_reset(sc);
	any = file_select(sc, path);
	sc->path_on = false;
	return any;
}

bool cs_secret_file_begin(cs_secret_scanner *sc, const char *path, uint64_t size)
{
	CS_UNUSED(size);
	file_reset(sc);
	if (!file_select(sc, path))
		return false;
	if ((sc->stream[DB_MAIN] && sc->eng->hs->reset_stream(sc->stream[DB_MAIN], 0, NULL, NULL, NULL) != HS_SUCCESS) ||
	    (sc->path_on && sc->eng->hs->reset_stream(sc->stream[DB_PATH], 0, NULL, NULL, NULL) != HS_SUCCESS) ||
	    (sc->bstream && sc->eng->hs->reset_stream(sc->bstream, 0, NULL, NULL, NULL) != HS_SUCCESS))
		return false;
	sc->open = true;
	return true;
}

/* One block of at most 1 GiB (Vectorscan takes an unsigned length). */
static int feed_block(cs_secret_scanner *sc, const uint8_t *p, size_t len)
{
	const cs_secret_engine *e = sc->eng;
	const cs_hs_ops *hs = e->hs;
	hs_error_t hr;

	if (sc->total + len > e->max_file) {
		len = (size_t)(e->max_file - sc->total);
		sc->truncated = true;
	}
	if (len == 0)
		return 0;
	if (sc->total < BINARY_PROBE && !sc->binary) {
		size_t n = BINARY_PROBE - sc->total < len ? (size_t)(BINARY_PROBE - sc->total) : len;

		sc->binary = memchr(p, 0, n) != NULL;
	}
	sc->chunk = p;
	sc->chunk_len = len;
	sc->chunk_start = sc->total;
	resume_deferred(sc);
	hr = HS_SUCCESS;
	if (sc->stream[DB_MAIN])
		hr = hs->scan_stream(sc->stream[DB_MAIN], (const char *)p, (unsigned)len, 0, sc->scratch[DB_MAIN],
				     on_match, sc);
	cursor_rewind(sc);
	if (hr == HS_SUCCESS && sc->path_on)
		hr = hs->scan_stream(sc->stream[DB_PATH], (const char *)p, (unsigned)len, 0, sc->scratch[DB_PATH],
				     on_match, sc);
	cursor_rewind(sc);
	if (hr == HS_SUCCESS && sc->bstream)
		hr = hs->scan_stream(sc->bstream, (const char *)p, (unsigned)len, 0, sc->bscratch, on_block, sc);
	if (!sc->err && hr != HS_SUCCESS)
		sc->err = CS_ERR;
	cursor_advance(sc, sc->chunk_start + len > 2 * MAXM + CTX ? sc->chunk_start + len - 2 * MAXM - CTX : 0);
	sc->base_pos = sc->cur_pos;
	sc->base_line = sc->cur_line;
	sc->base_lstart = sc->cur_lstart;
	hist_push(sc, p, len);
	sc->total += len;
	sc->chunk = NULL;
	sc->chunk_len = 0;
	sc->chunk_start = sc->total;
	if (sc->err) {
		int rc = sc->err;

		file_reset(sc);
		sc->err = rc;
		return rc;
	}
	return 0;
}

int cs_secret_file_feed(cs_secret_scanner *sc, const void *data, size_t len)
{
	const uint8_t *p = data;
	int rc = 0;

	if (!sc->open)
		return sc->err;
	while (len && rc == 0 && sc->open) {
		size_t n = len > ((size_t)1 << 30) ? ((size_t)1 << 30) : len;

		rc = feed_block(sc, p, n);
		p += n;
		len -= n;
	}
	return rc;
}

static int cand_cmp(const void *x, const void *y)
{
	const cand *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static int cand_by_rule(const void *x, const void *y)
{
	const cand *a = x, *b = y;

	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

/*
 * Drops candidates the file-level policies reject, keeps one finding per
 * secret, and sorts the rest by offset. One secret, one finding: rules
 * are taken in precedence order and a candidate is kept only if its secret
 * overlaps no kept one, so the result depends on the candidates alone,
 * not on the order they were found in (which depends on block sizes).
 */
static void finalize(cs_secret_scanner *sc)
{
	const cs_secret_engine *e = sc->eng;
	size_t i, j, n = 0;

	for (i = 0; i < sc->ncands; i++) {
		cand *c = &sc->cands[i];
		bool keep = !sc->binary || (e->rules[c->rule].r.flags & CS_SR_BIN);

		for (j = 0; keep && j < sc->nivs; j++)
			if ((sc->ivs[j].owner < 0 || (uint32_t)sc->ivs[j].owner == c->rule) &&
			    c->sstart >= sc->ivs[j].from && c->send <= sc->ivs[j].to)
				keep = false;
		if (keep)
			sc->cands[n++] = *c;
	}
	if (n > 1)
		qsort(sc->cands, n, sizeof(*sc->cands), cand_by_rule);
	sc->ncands = 0;
	for (i = 0; i < n; i++) {
		const cand *c = &sc->cands[i];
		bool keep = true;

		for (j = 0; keep && j < sc->ncands; j++)
			keep = !(c->sstart < sc->cands[j].send && sc->cands[j].sstart < c->send);
		if (keep)
			sc->cands[sc->ncands++] = *c;
	}
	if (sc->ncands > 1)
		qsort(sc->cands, sc->ncands, sizeof(*sc->cands), cand_cmp);
}

int cs_secret_file_end(cs_secret_scanner *sc, cs_secret_cb cb, void *payload)
{
	const cs_secret_engine *e = sc->eng;
	const cs_hs_ops *hs = e->hs;
	size_t i;
	int rc = 0, delivered = 0;

	if (!sc->open)
		return sc->err;
	sc->eof = true;
	sc->chunk = NULL;
	sc->chunk_len = 0;
	sc->chunk_start = sc->total;
	resume_deferred(sc);
	/* A reset with scratch reports the matches that end at the end of the data ($, \b). */
	if (sc->stream[DB_MAIN] &&
	    hs->reset_stream(sc->stream[DB_MAIN], 0, sc->scratch[DB_MAIN], on_match, sc) != HS_SUCCESS && !sc->err)
		sc->err = CS_ERR;
	cursor_rewind(sc);
	if (sc->path_on && hs->reset_stream(sc->stream[DB_PATH], 0, sc->scratch[DB_PATH], on_match, sc) != HS_SUCCESS &&
	    !sc->err)
		sc->err = CS_ERR;
	if (sc->bstream && hs->reset_stream(sc->bstream, 0, sc->bscratch, on_block, sc) != HS_SUCCESS && !sc->err)
		sc->err = CS_ERR;
	if (sc->err) {
		rc = sc->err;
		goto done;
	}
	finalize(sc);
	for (i = 0; i < sc->ncands && rc >= 0; i++) {
		const cand *c = &sc->cands[i];
		const cs_secret_rule *r = &e->rules[c->rule].r;
		cs_secret_finding f = {
			.rule_id = r->id,
			.category = r->category,
			.title = r->title,
			.severity = r->severity,
			.severity_name = cs_secret_severity_name(r->severity),
			.line = c->line,
			.column = c->col,
			.offset = c->start,
			.length = c->end - c->start,
			.match = c->shown,
		};

		if (cb && (rc = cb(&f, payload)) < 0)
			break;
		rc = 0;
		delivered++;
	}
done:
	{
		bool truncated = sc->truncated;
		size_t dropped = sc->dropped;

		file_reset(sc);
		sc->truncated = truncated;
		sc->dropped = dropped;
	}
	return rc < 0 ? rc : delivered;
}

bool cs_secret_file_truncated(const cs_secret_scanner *sc)
{
	return sc->truncated;
}

size_t cs_secret_file_dropped(const cs_secret_scanner *sc)
{
	return sc->dropped;
}

int cs_secret_scan_buffer(cs_secret_scanner *sc, const char *label, const void *data, size_t len,
			  cs_secret_cb cb, void *payload)
{
	int rc;

	if (!cs_secret_file_begin(sc, label, len))
		return 0;
	if ((rc = cs_secret_file_feed(sc, data, len)) < 0)
		return rc;
	return cs_secret_file_end(sc, cb, payload);
}
