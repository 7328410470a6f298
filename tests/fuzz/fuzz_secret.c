/*
 * fuzz_secret.c - libFuzzer target for the secret engine and its YAML
 * config loader (src/secret/).
 *
 * The first byte picks the mode:
 *   3 (mod 4): the rest (up to 4 KiB) is a differential test of the two
 *         regex engines: for every built-in rule, each match PCRE2 finds
 *         (leftmost, non-overlapping) must end where Vectorscan, which
 *         reports every match end, reports one. Vectorscan is called
 *         as the engine calls it (hsops.h). This is how Debian's
 *         Vectorscan 5.4.9 was caught missing matches in its AVX-512 code.
 *   even: the rest is a file. It is scanned with the built-in rules (one
 *         engine per process) under a path chosen by the second byte (so
 *         path-scoped rules, allow rules and the code-file policy run
 *         too), once whole and once fed in pseudo-random blocks (1 byte to
 *         8 KiB, seeded by bytes 2..9). Both scans must give the same
 *         findings, and every finding must be sane: a known rule, line and
 *         column from 1, an offset inside the file, a bounded, printable
 *         match.
 *   odd:  the rest is a --secret-config YAML document, parsed; a failure
 *         must carry a one-line message naming the file. Engines are not
 *         built from fuzzed configs: compiling arbitrary regexes is
 *         Vectorscan's business and too slow for fuzzing.
 * Seeds: corpus/secret/.
 */
#include "core/compat.h"
#include "secret/config.h"
#include "secret/engine.h"
#include "secret/hsops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct hit {
	char rule[64];
	uint64_t line, col, off;
	char match[CS_SECRET_MAX_SHOWN + 8];
} hit;

typedef struct hits {
	hit v[CS_SECRET_MAX_FINDINGS];
	size_t n;
	size_t size; /* of the file, for the sanity checks */
} hits;

static int collect(const cs_secret_finding *f, void *payload)
{
	hits *h = payload;
	hit *x;
	const char *p;

	if (!f->rule_id || !cs_secret_builtin_find(f->rule_id) || f->line < 1 || f->column < 1 ||
	    f->offset >= h->size || !f->match || strlen(f->match) > CS_SECRET_MAX_SHOWN)
		abort();
	for (p = f->match; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			abort(); /* redacted matches are printable ASCII */
	if (h->n == CS_ARRAY_LEN(h->v))
		abort();
	x = &h->v[h->n++];
	snprintf(x->rule, sizeof(x->rule), "%s", f->rule_id);
	x->line = f->line;
	x->col = f->column;
	x->off = f->offset;
	snprintf(x->match, sizeof(x->match), "%s", f->match);
	return 0;
}

static const char *const paths[] = {
	"srv/app/app.env", "root/.pgpass", "etc/shadow", "root/.git-credentials", "home/u/.pypirc",
	"srv/app/settings.py", "usr/lib/python3/dist-packages/x/y.cfg", "usr/share/doc/x/README", "config:Env",
};

static cs_secret_engine *engine(void)
{
	static cs_secret_engine *eng;
	cs_err err;

	if (!eng) {
		cs_err_clear(&err);
		if (cs_secret_engine_new(&eng, NULL, &err) < 0)
			abort();
	}
	return eng;
}

/* xorshift64*: the block sizes, reproducible from the input. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static void scan_file(const uint8_t *data, size_t size)
{
	static hits whole, parts;
	static cs_secret_scanner *sc;
	const char *path;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	size_t i, off;
	cs_err err;

	if (!sc) {
		cs_err_clear(&err);
		if (cs_secret_scanner_new(&sc, engine(), &err) < 0)
			abort();
	}
	path = size ? paths[data[0] % CS_ARRAY_LEN(paths)] : paths[0];
	for (i = 1; i < 9 && i < size; i++)
		seed = seed * 131 + data[i];
	if (size > 9) {
		data += 9;
		size -= 9;
	} else {
		size = 0;
	}
	whole.n = parts.n = 0;
	whole.size = parts.size = size;
	if (!cs_secret_file_begin(sc, path, size))
		return;
	if (cs_secret_file_feed(sc, data, size) < 0 || cs_secret_file_end(sc, collect, &whole) < 0)
		abort(); /* no allocation fails here: an error is a bug */
	if (!cs_secret_file_begin(sc, path, size))
		abort();
	for (off = 0; off < size;) {
		size_t n = 1 + (size_t)(next(&seed) % 8192);

		if (n > size - off)
			n = size - off;
		if (cs_secret_file_feed(sc, data + off, n) < 0)
			abort();
		off += n;
	}
	if (cs_secret_file_end(sc, collect, &parts) < 0 || parts.n != whole.n)
		abort();
	for (i = 0; i < whole.n; i++)
		if (strcmp(whole.v[i].rule, parts.v[i].rule) || whole.v[i].line != parts.v[i].line ||
		    whole.v[i].col != parts.v[i].col || whole.v[i].off != parts.v[i].off ||
		    strcmp(whole.v[i].match, parts.v[i].match))
			abort(); /* findings must not depend on block boundaries */
}

/* ---- differential: Vectorscan against PCRE2, rule by rule ---------------- */

#include <hs/hs.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

typedef struct diff_rule {
	hs_database_t *db;
	pcre2_code *re;
} diff_rule;

static diff_rule *diff_rules;
static hs_scratch_t *diff_scratch;
static uint8_t *ends; /* ends[i]: Vectorscan reported a match ending at i */

static void diff_init(void)
{
	size_t i;

	diff_rules = calloc(cs_secret_builtin_count, sizeof(*diff_rules));
	ends = calloc(4097, 1);
	if (!diff_rules || !ends)
		abort();
	for (i = 0; i < cs_secret_builtin_count; i++) {
		hs_compile_error_t *ce = NULL;
		int ec;
		PCRE2_SIZE eo;

		if (hs_compile(cs_secret_builtin_rules[i].regex, 0, HS_MODE_BLOCK, &cs_hs_ops_get()->platform,
			       &diff_rules[i].db, &ce) != HS_SUCCESS ||
		    hs_alloc_scratch(diff_rules[i].db, &diff_scratch) != HS_SUCCESS)
			abort();
		diff_rules[i].re = pcre2_compile((PCRE2_SPTR)cs_secret_builtin_rules[i].regex, PCRE2_ZERO_TERMINATED,
						 PCRE2_NEVER_UTF | PCRE2_NEVER_UCP, &ec, &eo, NULL);
		if (!diff_rules[i].re)
			abort();
		pcre2_jit_compile(diff_rules[i].re, PCRE2_JIT_COMPLETE);
	}
}

static int diff_end(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ctx)
{
	CS_UNUSED(id);
	CS_UNUSED(from);
	CS_UNUSED(flags);
	CS_UNUSED(ctx);
	if (to <= 4096)
		ends[to] = 1;
	return 0;
}

static void differential(const uint8_t *data, size_t size)
{
	pcre2_match_data *md;
	size_t i;

	if (size > 4096)
		size = 4096;
	if (!diff_rules)
		diff_init();
	md = pcre2_match_data_create(16, NULL);
	for (i = 0; md && i < cs_secret_builtin_count; i++) {
		PCRE2_SIZE off = 0;

		memset(ends, 0, size + 1);
		if (cs_hs_ops_get()->scan(diff_rules[i].db, (const char *)data, (unsigned)size, 0, diff_scratch, diff_end,
					  NULL) != HS_SUCCESS)
			abort();
		while (off <= size && pcre2_match(diff_rules[i].re, data, size, off, 0, md, NULL) >= 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

			if (ov[1] > ov[0] && !ends[ov[1]]) {
				fprintf(stderr, "fuzz_secret: rule %s: PCRE2 matches [%zu, %zu), Vectorscan reports no end there\n",
					cs_secret_builtin_rules[i].id, (size_t)ov[0], (size_t)ov[1]);
				abort();
			}
			off = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
		}
	}
	pcre2_match_data_free(md);
}

static void parse_config(const uint8_t *data, size_t size)
{
	cs_secret_config *cfg = NULL;
	cs_err err;
	int rc;

	cs_err_clear(&err);
	rc = cs_secret_config_parse(&cfg, "fuzz.yaml", (const char *)data, size, &err);
	if (rc == 0) {
		if (!cfg)
			abort();
		cs_secret_config_free(cfg);
	} else if (cfg || !strstr(err.msg, "fuzz.yaml") || strchr(err.msg, '\n') ||
		   (rc != CS_EFORMAT && rc != CS_ELIMIT && rc != CS_ENOMEM)) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if ((data[0] & 3) == 3)
		differential(data + 1, size - 1);
	else if (data[0] & 1)
		parse_config(data + 1, size - 1);
	else
		scan_file(data + 1, size - 1);
	return 0;
}
