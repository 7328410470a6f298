/*
 * version_maven.c - Maven artifact version ordering ("maven"), as Maven's
 * ComparableVersion does it.
 *
 * A version is lower-cased and cut into items at '.', at '-' and at every
 * change between digits and non-digits: runs of digits are numbers, other
 * runs are qualifiers, an empty piece between separators is 0. A '-', and
 * a change between digits and letters, opens a nested list that holds the
 * rest of the version, so "1.0-rc-1" is [1, 0, [rc, [1]]]. Each list then
 * loses its trailing "null" items (0, and the qualifiers "", "ga",
 * "final", "release"), skipping over a non-empty nested list at its end;
 * an emptied list goes too. Lists compare item by item, a missing item
 * comparing as null. Known qualifiers order alpha < beta < milestone < rc
 * = cr < snapshot < "" = ga = final = release < sp, before any other
 * qualifier, those in text order; "a1", "b1", "m1" are alpha-1, beta-1,
 * milestone-1. A number is newer than a qualifier or a list; a list is
 * newer than a qualifier. Numbers of up to 9 digits, up to 18 and longer
 * are three kinds (Java int, long, BigInteger) and a longer kind is always
 * newer, whatever the values: ComparableVersion's own corner, kept, since
 * it decides e.g. "1.0000000000.1" > "1.0.1" (the ten zeros are a long 0).
 *
 * The reference is ComparableVersion in Debian 12's maven-artifact 3.8.7
 * (package maven): parseVersion, parseItem, stripLeadingZeroes, the
 * compareTo of IntItem, LongItem, BigIntegerItem, StringItem (with
 * comparableQualifier) and ListItem, ListItem.normalize. It accepts every
 * string, so this never returns CS_EFORMAT. Known difference: Java works on
 * UTF-16 text, lower-cases with Locale.ENGLISH and takes every Unicode
 * decimal digit (Character.isDigit) as a digit; here only ASCII letters are
 * lower-cased and only ASCII digits are digits, every other byte being part
 * of a qualifier, compared byte by byte (UTF-8 order, which is UTF-16 order
 * except for characters above U+FFFF against U+E000..U+FFFF). See
 * docs/versions.md.
 *
 * Nothing is allocated and work is linear in the input: both versions are
 * read by a streaming tokenizer; the "is this null item or nested list
 * trailing?" questions that normalize() answers are answered by one first
 * pass (where the last non-null item is) and by looking ahead once over
 * each run of null items.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

enum { Q_ALPHA, Q_BETA, Q_MILESTONE, Q_RC, Q_SNAPSHOT, Q_RELEASE, Q_SP, Q_OTHER }; /* QUALIFIERS order */
enum { N_INT, N_LONG, N_BIG }; /* IntItem < LongItem < BigIntegerItem, whatever the values */

typedef struct item {
	bool num;        /* number, else qualifier */
	int kind;        /* N_* for a number, Q_* for a qualifier */
	const char *p;   /* number: digits without leading zeros; qualifier: its text */
	size_t n;        /* (borrowed, not terminated; not lower-cased) */
} item;

typedef struct event {
	enum { EV_ITEM, EV_PUSH, EV_END } type;
	item it;
	size_t seq; /* position in the event stream */
} event;

/* The state of ComparableVersion.parseVersion's loop, one character at a time. */
typedef struct tokenizer {
	const char *s;
	size_t n, i, start;
	bool is_digit;   /* the loop's isDigit */
	bool list_empty; /* the current list has no element yet */
	bool ended;
	size_t seq;
	event q[4]; /* events produced by the current character */
	size_t qhead, qlen;
} tokenizer;

/* Whether [p, p + n) is lit (lower-case ASCII) once lower-cased. */
static bool is_word(const char *p, size_t n, const char *lit)
{
	size_t i;

	if (strlen(lit) != n)
		return false;
	for (i = 0; i < n; i++)
		if (cs_vutil_lower(p[i]) != lit[i])
			return false;
	return true;
}

/* StringItem's constructor and comparableQualifier(): the qualifier's rank. */
static int qualifier_kind(const char *p, size_t n, bool followed_by_digit)
{
	static const struct {
		const char *word;
		int kind;
	} known[] = {
		{"alpha", Q_ALPHA},       {"beta", Q_BETA},   {"milestone", Q_MILESTONE}, {"rc", Q_RC},
		{"cr", Q_RC},             {"snapshot", Q_SNAPSHOT}, {"ga", Q_RELEASE},   {"final", Q_RELEASE},
		{"release", Q_RELEASE},   {"sp", Q_SP},
	};
	size_t i;

	if (followed_by_digit && n == 1) {
		switch (cs_vutil_lower(*p)) {
		case 'a': return Q_ALPHA;
		case 'b': return Q_BETA;
		case 'm': return Q_MILESTONE;
		}
	}
	for (i = 0; i < CS_ARRAY_LEN(known); i++)
		if (is_word(p, n, known[i].word))
			return known[i].kind;
	return Q_OTHER;
}

/* parseItem(): a number's kind comes from stripLeadingZeroes(), which keeps an all-zero run whole. */
static item make_item(bool digits, const char *p, size_t n, bool followed_by_digit)
{
	item it = {digits, 0, p, n};
	size_t z = 0;

	if (!digits) {
		it.kind = qualifier_kind(p, n, followed_by_digit);
		return it;
	}
	while (z < n && p[z] == '0')
		z++;
	it.p = p + z;
	it.n = n - z;
	z = z == n ? n : it.n; /* length Java sees */
	it.kind = z <= 9 ? N_INT : z <= 18 ? N_LONG : N_BIG;
	return it;
}

static bool is_null(const item *it)
{
	return it->num ? it->n == 0 : it->kind == Q_RELEASE;
}

static void emit(tokenizer *t, int type, item it)
{
	event *e = &t->q[t->qlen++];

	e->type = type;
	e->it = it;
	e->seq = t->seq++;
	if (type == EV_ITEM)
		t->list_empty = false;
	else if (type == EV_PUSH)
		t->list_empty = true;
}

static void emit_piece(tokenizer *t)
{
	static const item zero = {true, N_INT, "", 0}; /* IntItem.ZERO */

	if (t->i == t->start)
		emit(t, EV_ITEM, zero);
	else
		emit(t, EV_ITEM, make_item(t->is_digit, t->s + t->start, t->i - t->start, false));
}

/* Runs the parse loop over the next character (or the end), queueing its events. */
static void step(tokenizer *t)
{
	static const item none = {false, 0, NULL, 0};
	char c;

	if (t->i == t->n) {
		if (t->n > t->start) {
			if (!t->is_digit && !t->list_empty)
				emit(t, EV_PUSH, none);
			emit(t, EV_ITEM, make_item(t->is_digit, t->s + t->start, t->n - t->start, false));
		}
		emit(t, EV_END, none);
		t->ended = true;
		return;
	}
	c = t->s[t->i];
	if (c == '.' || c == '-') {
		emit_piece(t);
		t->start = t->i + 1;
		if (c == '-')
			emit(t, EV_PUSH, none);
	} else if (cs_vutil_is_digit(c)) {
		if (!t->is_digit && t->i > t->start) {
			/* 1.0.0.X1 < 1.0.0-X2: ".X1" is read as "-X-1" */
			if (!t->list_empty)
				emit(t, EV_PUSH, none);
			emit(t, EV_ITEM, make_item(false, t->s + t->start, t->i - t->start, true));
			t->start = t->i;
			emit(t, EV_PUSH, none);
		}
		t->is_digit = true;
	} else {
		if (t->is_digit && t->i > t->start) {
			emit(t, EV_ITEM, make_item(true, t->s + t->start, t->i - t->start, false));
			t->start = t->i;
			emit(t, EV_PUSH, none);
		}
		t->is_digit = false;
	}
	t->i++;
}

static void tok_init(tokenizer *t, const char *s)
{
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->n = strlen(s);
	t->list_empty = true;
}

static event tok_next(tokenizer *t)
{
	while (t->qhead == t->qlen) {
		if (t->ended)
			return t->q[t->qlen - 1]; /* EV_END again */
		t->qhead = t->qlen = 0;
		step(t);
	}
	return t->q[t->qhead++];
}

/*
 * One version read as normalized lists: the elements of the current list
 * one by one, a nested list being entered when it is returned.
 */
typedef struct cursor {
	tokenizer tok;
	size_t last_real;  /* seq of the last non-null item + 1, 0 when none */
	size_t kept_nulls; /* null items ahead known to be followed by a real one */
	bool done;         /* nothing non-null is left: every list ends here */
} cursor;

enum { EL_NONE, EL_ITEM, EL_LIST };

static void cursor_init(cursor *c, const char *s)
{
	event e;

	tok_init(&c->tok, s);
	c->last_real = 0;
	while ((e = tok_next(&c->tok)).type != EV_END)
		if (e.type == EV_ITEM && !is_null(&e.it))
			c->last_real = e.seq + 1;
	tok_init(&c->tok, s);
	c->kept_nulls = 0;
	c->done = false;
}

/* The next element of the current list: EL_ITEM (in *out), EL_LIST (now entered) or EL_NONE. */
static int cursor_next(cursor *c, item *out)
{
	tokenizer ahead, before;
	event e, f;
	size_t k;

	while (!c->done) {
		e = tok_next(&c->tok);
		if (e.type == EV_END || (e.type == EV_PUSH && e.seq >= c->last_real)) {
			c->done = true; /* the nested list is empty, so removed */
			break;
		}
		if (e.type == EV_PUSH)
			return EL_LIST;
		*out = e.it;
		if (!is_null(&e.it))
			return EL_ITEM;
		if (c->kept_nulls > 0) {
			c->kept_nulls--;
			return EL_ITEM;
		}
		/* a run of null items: kept if a real item follows in this list */
		ahead = c->tok;
		for (k = 0;; k++) {
			before = ahead;
			f = tok_next(&ahead);
			if (f.type != EV_ITEM || !is_null(&f.it))
				break;
		}
		if (f.type == EV_ITEM) {
			c->kept_nulls = k;
			return EL_ITEM;
		}
		c->tok = before; /* trailing: drop them, then read the '-' or the end */
	}
	return EL_NONE;
}

static int cmp_text(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (i = 0; i < an && i < bn; i++)
		if (cs_vutil_lower(a[i]) != cs_vutil_lower(b[i]))
			return (unsigned char)cs_vutil_lower(a[i]) < (unsigned char)cs_vutil_lower(b[i]) ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* Item.compareTo(Item) for two items. */
static int cmp_items(const item *a, const item *b)
{
	if (a->num != b->num)
		return a->num ? 1 : -1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->num) {
		if (a->n != b->n)
			return a->n < b->n ? -1 : 1;
		return a->n ? cs_vutil_sign(memcmp(a->p, b->p, a->n)) : 0;
	}
	return a->kind == Q_OTHER ? cmp_text(a->p, a->n, b->p, b->n) : 0;
}

/* Item.compareTo(null): how the item compares with a missing one. */
static int cmp_item_null(const item *a)
{
	if (a->num)
		return a->n > 0;
	return a->kind < Q_RELEASE ? -1 : a->kind > Q_RELEASE;
}

/* ListItem.compareTo(null) for the rest of c's current list: first non-zero element. */
static int cmp_rest_null(cursor *c)
{
	item it;
	int el, r;

	while ((el = cursor_next(c, &it)) != EL_NONE)
		if (el == EL_ITEM && (r = cmp_item_null(&it)) != 0)
			return r;
	return 0;
}

static int maven_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	cursor ca, cb;
	item x, y;
	int ea, eb, c = 0;

	CS_UNUSED(err);
	cursor_init(&ca, a);
	cursor_init(&cb, b);
	for (;;) {
		ea = cursor_next(&ca, &x);
		eb = cursor_next(&cb, &y);
		if (ea == EL_NONE && eb == EL_NONE)
			break;
		if (ea == EL_NONE || eb == EL_NONE) {
			/* l.compareTo(null), or -1 * r.compareTo(null), for each remaining element */
			cursor *rest = ea == EL_NONE ? &cb : &ca;
			int el = ea == EL_NONE ? eb : ea;
			const item *first = ea == EL_NONE ? &y : &x;

			c = el == EL_ITEM ? cmp_item_null(first) : 0; /* an entered list: read on */
			if (c == 0)
				c = cmp_rest_null(rest);
			if (ea == EL_NONE)
				c = -c;
			break;
		}
		if (ea == EL_ITEM && eb == EL_ITEM) {
			if ((c = cmp_items(&x, &y)) != 0)
				break;
			continue;
		}
		if (ea == EL_LIST && eb == EL_LIST)
			continue; /* both nested lists are entered: compare them */
		/* an item against a list: a number is newer, a qualifier older */
		c = ea == EL_ITEM ? (x.num ? 1 : -1) : (y.num ? -1 : 1);
		break;
	}
	*out = c;
	return 0;
}

const cs_version_scheme cs_version_maven = {"maven", maven_cmp};
