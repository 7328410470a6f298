/*
 * test_core.c - the core utilities every stage stands on: arena, bounded
 * buffer, map, vector, bounded view, path and number helpers, SHA-256,
 * digest validation and the typed JSON getters.
 *
 * Path handling is where a hostile archive tries to escape the root, so
 * cs_path_clean and cs_path_resolve_link are checked from tables that
 * include the escape attempts.
 */
#include "core/compat.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"
#include "core/map.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "core/vec.h"
#include "core/view.h"

#include <stdint.h>

#include "unit/test.h"

/* --- arena ------------------------------------------------------------- */

TEST(arena_many_allocations)
{
	cs_arena a;
	char *ptrs[20000];
	size_t i;
	bool ok = true;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(ptrs); i++) {
		ptrs[i] = cs_arena_alloc(&a, 1 + i % 100);
		CHECK(ptrs[i] != NULL);
		if (!ptrs[i])
			break;
		CHECK(((uintptr_t)ptrs[i] & 15) == 0);
		/* Zeroed, then filled so overlapping objects would show. */
		if (ptrs[i][0] != 0)
			ok = false;
		memset(ptrs[i], (int)(i & 0x7f), 1 + i % 100);
	}
	for (i = 0; i < CS_ARRAY_LEN(ptrs); i++) {
		size_t j;

		for (j = 0; j < 1 + i % 100; j++)
			if (ptrs[i][j] != (char)(i & 0x7f))
				ok = false;
	}
	CHECK(ok);
	CHECK(a.used >= CS_ARRAY_LEN(ptrs));
	cs_arena_release(&a);
	CHECK(a.head == NULL);
	CHECK_INT(a.used, 0);
	/* Reusable after release. */
	CHECK(cs_arena_alloc(&a, 10) != NULL);
	cs_arena_release(&a);
}

TEST(arena_large_objects)
{
	cs_arena a;
	char *small1, *big, *small2, *huge;

	cs_arena_init(&a);
	small1 = cs_arena_alloc(&a, 10);
	big = cs_arena_alloc(&a, 200000);
	small2 = cs_arena_alloc(&a, 10);
	huge = cs_arena_alloc(&a, 3u << 20);
	CHECK(small1 && big && small2 && huge);
	if (small1 && big && small2 && huge) {
		size_t i;
		bool zero = true;

		for (i = 0; i < 200000; i++)
			if (big[i])
				zero = false;
		CHECK(zero);
		memset(big, 'b', 200000);
		memset(huge, 'h', 3u << 20);
		memcpy(small1, "small one", 10);
		memcpy(small2, "small two", 10);
		CHECK_STR(small1, "small one");
		CHECK_STR(small2, "small two");
		CHECK(big[199999] == 'b' && huge[(3u << 20) - 1] == 'h');
	}
	/* Zero bytes still gives a distinct pointer; overflowing sizes fail. */
	CHECK(cs_arena_alloc(&a, 0) != NULL);
	CHECK(cs_arena_alloc(&a, SIZE_MAX) == NULL);
	CHECK(cs_arena_alloc(&a, SIZE_MAX - 8) == NULL);
	CHECK(cs_arena_calloc(&a, SIZE_MAX / 2, 4) == NULL);
	CHECK(cs_arena_calloc(&a, 0, 8) != NULL);
	cs_arena_release(&a);
}

TEST(arena_strings)
{
	cs_arena a;
	char big[5000];
	char *s;

	cs_arena_init(&a);
	CHECK_STR(cs_arena_strdup(&a, "hello"), "hello");
	CHECK_STR(cs_arena_strdup(&a, ""), "");
	CHECK(cs_arena_strdup(&a, NULL) == NULL);
	CHECK_STR(cs_arena_strndup(&a, "hello world", 5), "hello");
	/* strndup stops at a terminator before n. */
	CHECK_STR(cs_arena_strndup(&a, "hi", 100), "hi");
	CHECK_STR(cs_arena_printf(&a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s = cs_arena_printf(&a, "<%s>", big);
	CHECK(s && strlen(s) == sizeof(big) + 1 && s[0] == '<' && s[sizeof(big)] == '>');
	cs_arena_release(&a);
}

/* --- buf --------------------------------------------------------------- */

TEST(buf_basic)
{
	cs_buf b;
	char *p;
	size_t n = 99;
	int i;

	cs_buf_init(&b, 0);
	CHECK_STR(b.data, "");
	CHECK_INT(b.len, 0);
	CHECK_INT(cs_buf_puts(&b, "abc"), 0);
	CHECK_INT(cs_buf_putc(&b, 'd'), 0);
	CHECK_INT(cs_buf_append(&b, "\0e", 2), 0);
	CHECK_INT(b.len, 6);
	CHECK(memcmp(b.data, "abcd\0e", 7) == 0);
	cs_buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	for (i = 0; i < 1000; i++)
		CHECK_INT(cs_buf_printf(&b, "%d,", i), 0);
	CHECK(cs_str_starts(b.data, "0,1,2,"));
	CHECK(cs_str_ends(b.data, ",998,999,"));
	CHECK_INT(strlen(b.data), b.len);
	p = cs_buf_detach(&b, &n);
	CHECK(p != NULL);
	CHECK_INT(n, strlen(p));
	CHECK_INT(b.len, 0);
	CHECK_INT(b.cap, 0);
	CHECK_STR(b.data, "");
	free(p);
	/* Detaching an empty buffer still gives a free()-able string. */
	p = cs_buf_detach(&b, &n);
	CHECK(p != NULL && p[0] == '\0' && n == 0);
	free(p);
	cs_buf_release(&b);
	cs_buf_release(&b); /* twice is fine */
}

TEST(buf_limit)
{
	cs_buf b;

	cs_buf_init(&b, 10);
	CHECK_INT(cs_buf_append(&b, "0123456789", 10), 0);
	CHECK_INT(cs_buf_putc(&b, 'x'), CS_ELIMIT);
	CHECK_INT(b.len, 10);
	CHECK_STR(b.data, "0123456789");
	CHECK_INT(cs_buf_printf(&b, "%d", 1), CS_ELIMIT);
	CHECK_INT(cs_buf_grow(&b, SIZE_MAX), CS_ELIMIT);
	CHECK_INT(b.len, 10);
	cs_buf_reset(&b);
	CHECK_INT(cs_buf_printf(&b, "%s", "0123456789A"), CS_ELIMIT);
	CHECK_INT(cs_buf_printf(&b, "%s", "0123456789"), 0);
	CHECK_STR(b.data, "0123456789");
	cs_buf_release(&b);

	/* The static initializer behaves as max 0 (unbounded but sane). */
	{
		cs_buf z = CS_BUF_INIT;

		CHECK_INT(cs_buf_grow(&z, SIZE_MAX), CS_ELIMIT);
		CHECK_INT(cs_buf_puts(&z, "ok"), 0);
		CHECK_STR(z.data, "ok");
		cs_buf_release(&z);
	}
}

/* --- map --------------------------------------------------------------- */

TEST(map_many_keys)
{
	cs_map m;
	cs_arena a;
	static int vals[10000];
	char key[32];
	size_t i;
	bool ok = true;

	cs_map_init(&m);
	cs_arena_init(&a);
	CHECK(cs_map_get(&m, "nothing") == NULL); /* empty map */
	for (i = 0; i < 10000; i++) {
		char *k;

		snprintf(key, sizeof(key), "key-%zu", i);
		k = cs_arena_strdup(&a, key);
		vals[i] = (int)i;
		if (!k || cs_map_put(&m, k, &vals[i]) < 0)
			ok = false;
	}
	CHECK(ok);
	CHECK_INT(m.len, 10000);
	for (i = 0; i < 10000; i++) {
		int *v;

		snprintf(key, sizeof(key), "key-%zu", i);
		v = cs_map_get(&m, key);
		if (!v || *v != (int)i)
			ok = false;
	}
	CHECK(ok);
	CHECK(cs_map_get(&m, "key-10000") == NULL);
	CHECK(cs_map_get(&m, "key-") == NULL);
	CHECK(cs_map_get(&m, "") == NULL);
	/* Replacing keeps the count. */
	CHECK_INT(cs_map_put(&m, "key-5", &vals[7]), 0);
	CHECK_INT(m.len, 10000);
	CHECK(cs_map_get(&m, "key-5") == &vals[7]);
	/* Length-delimited keys: a prefix of a longer string. */
	CHECK(cs_map_getn(&m, "key-12345", 6) == &vals[12]);
	CHECK_INT(cs_map_putn(&m, "key-77xyz", 6, &vals[1]), 0);
	CHECK(cs_map_get(&m, "key-77") == &vals[1]);
	/* The empty key is a key like any other. */
	CHECK_INT(cs_map_put(&m, "", &vals[3]), 0);
	CHECK(cs_map_get(&m, "") == &vals[3]);
	cs_map_release(&m);
	CHECK(cs_map_get(&m, "key-1") == NULL);
	cs_arena_release(&a);
}

/* --- vec --------------------------------------------------------------- */

static int cmp_int_ptr(const void *a, const void *b)
{
	int x = **(int *const *)a, y = **(int *const *)b;

	return (x > y) - (x < y);
}

TEST(vec_push_sort)
{
	cs_vec v = CS_VEC_INIT;
	static int vals[1000];
	size_t i;
	bool ok = true;

	for (i = 0; i < 1000; i++) {
		vals[i] = (int)((i * 7919) % 1000);
		CHECK_INT(cs_vec_push(&v, &vals[i]), 0);
	}
	CHECK_INT(v.len, 1000);
	CHECK(cs_vec_get(&v, 0) == &vals[0]);
	CHECK(cs_vec_get(&v, 1000) == NULL);
	cs_vec_sort(&v, cmp_int_ptr);
	for (i = 0; i < 1000; i++)
		if (*(int *)cs_vec_get(&v, i) != (int)i)
			ok = false;
	CHECK(ok);
	cs_vec_release(&v);
	CHECK_INT(v.len, 0);
	CHECK(cs_vec_get(&v, 0) == NULL);
	cs_vec_sort(&v, cmp_int_ptr); /* empty: no-op */
}

/* --- view -------------------------------------------------------------- */

TEST(view_integers)
{
	static const uint8_t b[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
	cs_view v = cs_view_make(b, sizeof(b));
	uint32_t u = 0;
	uint8_t c = 0;
	const uint8_t *p = NULL;

	CHECK(cs_view_u32be(&v, &u));
	CHECK_INT(u, 0x01020304);
	CHECK_INT(v.pos, 4);
	/* Three bytes left: a u32 fails and does not move. */
	u = 7;
	CHECK(!cs_view_u32le(&v, &u));
	CHECK(!cs_view_u32be(&v, &u));
	CHECK_INT(u, 7);
	CHECK_INT(v.pos, 4);
	CHECK(!cs_view_skip(&v, 4));
	CHECK(!cs_view_take(&v, 4, &p));
	CHECK(cs_view_u8(&v, &c));
	CHECK_INT(c, 5);
	CHECK(cs_view_take(&v, 2, &p));
	CHECK(p == b + 5);
	CHECK_INT(cs_view_left(&v), 0);
	CHECK(!cs_view_u8(&v, &c));
	CHECK(cs_view_skip(&v, 0));

	v = cs_view_make(b, sizeof(b));
	CHECK(cs_view_u32le(&v, &u));
	CHECK_INT(u, 0x04030201);
	CHECK(cs_view_skip(&v, 3));
	CHECK(!cs_view_skip(&v, SIZE_MAX));

	v = cs_view_make(NULL, 0);
	CHECK(!cs_view_u8(&v, &c));
	CHECK(!cs_view_u32be(&v, &u));
}

/* Splits a buffer with cs_view_line, joining the lines with '|'. */
static void lines_of(const char *p, size_t n, char *out, size_t outsz)
{
	cs_view v = cs_view_make(p, n);
	const char *line;
	size_t len, o = 0;

	out[0] = '\0';
	while (cs_view_line(&v, &line, &len)) {
		size_t i;

		if (o + len + 2 >= outsz)
			break;
		for (i = 0; i < len; i++)
			out[o++] = line[i] ? line[i] : '0'; /* NUL shows as '0' */
		out[o++] = '|';
		out[o] = '\0';
	}
}

TEST(view_lines)
{
	char out[256];

	lines_of("a\nbb\n", 5, out, sizeof(out));
	CHECK_STR(out, "a|bb|");
	lines_of("a\r\nbb\r\n", 7, out, sizeof(out));
	CHECK_STR(out, "a|bb|");
	lines_of("a\nlast", 6, out, sizeof(out));
	CHECK_STR(out, "a|last|");
	lines_of("\n\n", 2, out, sizeof(out));
	CHECK_STR(out, "||");
	lines_of("", 0, out, sizeof(out));
	CHECK_STR(out, "");
	lines_of("x\0y\nz\0", 6, out, sizeof(out));
	CHECK_STR(out, "x0y|z0|");
	/* A lone CR at the end of an unterminated line is stripped too. */
	lines_of("a\r", 2, out, sizeof(out));
	CHECK_STR(out, "a|");
	/* A CR in the middle stays. */
	lines_of("a\rb\n", 4, out, sizeof(out));
	CHECK_STR(out, "a\rb|");
	lines_of("\r\n", 2, out, sizeof(out));
	CHECK_STR(out, "|");
}

/* --- strutil ----------------------------------------------------------- */

TEST(str_helpers)
{
	const char *p = "  \tx y \t ";
	size_t n = strlen(p);

	CHECK(cs_str_starts("etc/passwd", "etc/"));
	CHECK(!cs_str_starts("et", "etc/"));
	CHECK(cs_str_starts("x", ""));
	CHECK(cs_str_ends("a.json", ".json"));
	CHECK(!cs_str_ends("json", ".json"));
	CHECK(cs_mem_starts("abcdef", 3, "abc"));
	CHECK(!cs_mem_starts("abcdef", 2, "abc"));
	cs_mem_trim(&p, &n);
	CHECK_INT(n, 3);
	CHECK(memcmp(p, "x y", 3) == 0);
	p = " \t ";
	n = 3;
	cs_mem_trim(&p, &n);
	CHECK_INT(n, 0);
	CHECK_STR(cs_path_base("etc/os-release"), "os-release");
	CHECK_STR(cs_path_base("file"), "file");
	CHECK_STR(cs_path_base(""), "");
}

TEST(parse_u64)
{
	static const struct {
		const char *in;
		bool ok;
		uint64_t v;
	} cases[] = {
		{"0", true, 0},
		{"42", true, 42},
		{"0042", true, 42},
		{"18446744073709551615", true, UINT64_MAX},
		{"18446744073709551616", false, 0},
		{"18446744073709551620", false, 0},
		{"99999999999999999999", false, 0},
		{"100000000000000000000", false, 0},
		{"", false, 0},
		{"-1", false, 0},
		{"+1", false, 0},
		{" 1", false, 0},
		{"1 ", false, 0},
		{"1a", false, 0},
		{"0x10", false, 0},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		uint64_t v = 12345;
		bool ok = cs_parse_u64(cases[i].in, strlen(cases[i].in), &v);

		if (ok != cases[i].ok || (ok && v != cases[i].v)) {
			fprintf(stderr, "  cs_parse_u64(\"%s\") = %d %llu\n", cases[i].in, ok,
				(unsigned long long)v);
			test_failures++;
		}
		if (!ok && v != 12345) {
			fprintf(stderr, "  cs_parse_u64(\"%s\") wrote on failure\n", cases[i].in);
			test_failures++;
		}
	}
	/* n bounds the digits: the rest of the string is not read. */
	{
		uint64_t v = 0;

		CHECK(cs_parse_u64("123xyz", 3, &v));
		CHECK_INT(v, 123);
	}
}

TEST(path_clean)
{
	static const struct {
		const char *in;
		int code;
		const char *out;
	} cases[] = {
		{"./etc//os-release", 0, "etc/os-release"},
		{"etc/os-release", 0, "etc/os-release"},
		{"./", 0, ""},
		{".", 0, ""},
		{"", 0, ""},
		{"a/./b/", 0, "a/b"},
		{"a//b//", 0, "a/b"},
		{"./././a", 0, "a"},
		{"a/..b", 0, "a/..b"},
		{"a/b..", 0, "a/b.."},
		{"...", 0, "..."},
		{".wh..wh..opq", 0, ".wh..wh..opq"},
		{"usr/lib/.hidden", 0, "usr/lib/.hidden"},
		{"../x", CS_EFORMAT, NULL},
		{"..", CS_EFORMAT, NULL},
		{"a/..", CS_EFORMAT, NULL},
		{"a/../b", CS_EFORMAT, NULL},
		{"a/../../x", CS_EFORMAT, NULL},
		{"./../x", CS_EFORMAT, NULL},
		{"a/b/../", CS_EFORMAT, NULL},
		{"/abs", CS_EFORMAT, NULL},
		{"/", CS_EFORMAT, NULL},
		{"//etc/passwd", CS_EFORMAT, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char out[256];
		int code;

		memset(out, '#', sizeof(out));
		code = cs_path_clean(cases[i].in, out);
		if (code != cases[i].code || (code == 0 && strcmp(out, cases[i].out) != 0)) {
			fprintf(stderr, "  cs_path_clean(\"%s\") = %d \"%s\", expected %d \"%s\"\n",
				cases[i].in, code, code == 0 ? out : "", cases[i].code,
				cases[i].out ? cases[i].out : "");
			test_failures++;
		}
		/* out must fit in strlen(in) + 1 bytes. */
		if (code == 0 && strlen(out) > strlen(cases[i].in)) {
			fprintf(stderr, "  cs_path_clean(\"%s\") grew\n", cases[i].in);
			test_failures++;
		}
	}
}

/* An exact-size output buffer: ASan catches a write past strlen(in) + 1. */
TEST(path_clean_exact_buffer)
{
	static const char *const ins[] = {"./etc//os-release", "a", "./", "x/y/z/", "a/..b/./c"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(ins); i++) {
		char *out = malloc(strlen(ins[i]) + 1);

		CHECK(out != NULL);
		if (out) {
			CHECK_INT(cs_path_clean(ins[i], out), 0);
			free(out);
		}
	}
}

TEST(path_resolve_link)
{
	static const struct {
		const char *link, *target;
		int code;
		const char *out;
	} cases[] = {
		/* relative targets start from the link's directory */
		{"etc/os-release", "../usr/lib/os-release", 0, "usr/lib/os-release"},
		{"lib", "usr/lib", 0, "usr/lib"},
		{"usr/bin/python3", "python3.11", 0, "usr/bin/python3.11"},
		{"a/b/c", "./d", 0, "a/b/d"},
		{"a/b/c", "d//e/", 0, "a/b/d/e"},
		{"a/b/c", ".", 0, "a/b"},
		{"a/b/c", "..", 0, "a"},
		/* absolute targets start again at the root */
		{"a/b/c", "/usr/lib/x", 0, "usr/lib/x"},
		{"a/b/c", "/", 0, ""},
		{"a/b/c", "//x//y", 0, "x/y"},
		/* ".." never goes above the root */
		{"a/b", "../../../../etc/passwd", 0, "etc/passwd"},
		{"x", "../../etc", 0, "etc"},
		{"a/b", "/../../etc", 0, "etc"},
		{"a/b/c", "../../..", 0, ""},
		{"a/b/c", "x/../../y", 0, "a/y"},
		{"a", "", 0, ""},
		{"d/a", "", 0, "d"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char out[256];
		int code;

		memset(out, '#', sizeof(out));
		code = cs_path_resolve_link(cases[i].link, cases[i].target, out, sizeof(out));
		if (code != cases[i].code || (code == 0 && strcmp(out, cases[i].out) != 0)) {
			fprintf(stderr, "  cs_path_resolve_link(\"%s\", \"%s\") = %d \"%s\", expected %d \"%s\"\n",
				cases[i].link, cases[i].target, code, code == 0 ? out : "", cases[i].code,
				cases[i].out ? cases[i].out : "");
			test_failures++;
		}
	}
}

TEST(path_resolve_link_limits)
{
	char out[8], big[6000];
	char *heap;

	/* "abc/defg" needs 9 bytes. */
	CHECK_INT(cs_path_resolve_link("abc/x", "defg", out, sizeof(out)), CS_ELIMIT);
	CHECK_INT(cs_path_resolve_link("x", "1234567", out, sizeof(out)), 0);
	CHECK_STR(out, "1234567");
	CHECK_INT(cs_path_resolve_link("x", "12345678", out, sizeof(out)), CS_ELIMIT);
	CHECK_INT(cs_path_resolve_link("x", "y", out, 0), CS_ELIMIT);
	/* An output of exactly the right size, on the heap for ASan. */
	heap = malloc(9);
	CHECK(heap != NULL);
	if (heap) {
		CHECK_INT(cs_path_resolve_link("abc/x", "defg", heap, 9), 0);
		CHECK_STR(heap, "abc/defg");
		free(heap);
	}
	/* A long result does not fit in a path-sized buffer. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	{
		char path[4096];

		CHECK_INT(cs_path_resolve_link("l", big, path, sizeof(path)), CS_ELIMIT);
		/* But ".." undoing it keeps it short. */
		big[10] = '/';
		memcpy(big + 11, "..", 2);
		big[13] = '\0';
		CHECK_INT(cs_path_resolve_link("l", big, path, sizeof(path)), 0);
		CHECK_STR(path, "");
	}
}

/* --- sha256 and digests -------------------------------------------------- */

TEST(sha256_vectors)
{
	char d[CS_DIGEST_MAX];
	cs_sha256 h;
	static const char million_a[] =
		"sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	char *buf;
	size_t i;

	CHECK_INT(cs_sha256_buf("abc", 3, d), 0);
	CHECK_STR(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(cs_sha256_buf("", 0, d), 0);
	CHECK_STR(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_INT(cs_sha256_buf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d), 0);
	CHECK_STR(d, "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	CHECK(cs_digest_valid(d));
	/* Streaming in uneven pieces equals one shot. */
	buf = malloc(1000000);
	CHECK(buf != NULL);
	if (buf) {
		memset(buf, 'a', 1000000);
		CHECK_INT(cs_sha256_init(&h), 0);
		for (i = 0; i < 1000000;) {
			size_t n = 1 + (i * 31) % 9973;

			if (n > 1000000 - i)
				n = 1000000 - i;
			cs_sha256_update(&h, buf + i, n);
			i += n;
		}
		cs_sha256_update(&h, buf, 0);
		cs_sha256_final(&h, d);
		CHECK_STR(d, million_a);
		CHECK(h.md == NULL);
		cs_sha256_release(&h); /* released twice is fine */
		free(buf);
	}
	/* Releasing without a digest does not leak. */
	CHECK_INT(cs_sha256_init(&h), 0);
	cs_sha256_update(&h, "x", 1);
	cs_sha256_release(&h);
}

TEST(digest_valid)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true},
		{"sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", false},
		{"sha256:Ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", false},
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0", false},
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad/", false},
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\n", false},
		{"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2001g5d", false},
		{"sha256:", false},
		{"sha256:abc", false},
		{"sha256:../../x", false},
		{"sha256:../../../etc/passwd", false},
		{"SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
		{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
		{"md5:d41d8cd98f00b204e9800998ecf8427e", false},
		{"sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		 "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
		 true},
		{"sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce", false},
		{"", false},
		{NULL, false},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++)
		if (cs_digest_valid(cases[i].s) != cases[i].ok) {
			fprintf(stderr, "  cs_digest_valid(\"%s\") != %d\n", cases[i].s ? cases[i].s : "(null)",
				cases[i].ok);
			test_failures++;
		}
}

/* A short digest must not be read past its terminator: heap copy for ASan. */
TEST(digest_valid_short_heap)
{
	static const char *const ins[] = {"sha256:", "sha256:ab", "sha512:00", "sha"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(ins); i++) {
		char *s = strdup(ins[i]);

		CHECK(s != NULL);
		if (s) {
			CHECK(!cs_digest_valid(s));
			free(s);
		}
	}
}

/* --- json ------------------------------------------------------------------ */

TEST(json_getters)
{
	static const char doc[] = "{\"s\":\"str\",\"n\":12,\"z\":0,\"neg\":-1,\"frac\":1.5,"
				  "\"big\":9007199254740994,\"max\":9007199254740992,\"huge\":1e300,"
				  "\"ns\":\"12\",\"a\":[1,2],\"o\":{\"k\":true},\"t\":true,\"f\":false,"
				  "\"nul\":null,\"negzero\":-0}";
	cs_err err;
	cJSON *j, *arr;
	uint64_t v = 77;

	cs_err_clear(&err);
	j = cs_json_parse(doc, strlen(doc), "'doc'", &err);
	CHECK(j != NULL);
	CHECK_INT(err.code, 0);
	if (!j)
		return;
	CHECK_STR(cs_json_str(j, "s"), "str");
	CHECK(cs_json_str(j, "n") == NULL);
	CHECK(cs_json_str(j, "missing") == NULL);
	CHECK(cs_json_str(NULL, "s") == NULL);
	CHECK(cs_json_arr(j, "a") != NULL);
	CHECK(cs_json_arr(j, "o") == NULL);
	CHECK(cs_json_obj(j, "o") != NULL);
	CHECK(cs_json_obj(j, "a") == NULL);
	CHECK(cs_json_true(cs_json_obj(j, "o"), "k"));
	CHECK(cs_json_true(j, "t"));
	CHECK(!cs_json_true(j, "f"));
	CHECK(!cs_json_true(j, "n"));
	CHECK(!cs_json_true(j, "missing"));

	CHECK(cs_json_u64(j, "n", &v));
	CHECK_INT(v, 12);
	CHECK(cs_json_u64(j, "z", &v));
	CHECK_INT(v, 0);
	CHECK(cs_json_u64(j, "max", &v));
	CHECK_INT(v, 9007199254740992ull);
	v = 77;
	CHECK(!cs_json_u64(j, "neg", &v));
	CHECK(!cs_json_u64(j, "frac", &v));
	CHECK(!cs_json_u64(j, "big", &v));
	CHECK(!cs_json_u64(j, "huge", &v));
	CHECK(!cs_json_u64(j, "ns", &v));
	CHECK(!cs_json_u64(j, "nul", &v));
	CHECK(!cs_json_u64(j, "missing", &v));
	CHECK(!cs_json_u64(NULL, "n", &v));
	CHECK_INT(v, 77);
	/* -0 is zero. */
	CHECK(cs_json_u64(j, "negzero", &v));
	CHECK_INT(v, 0);
	/* Getters on a non-object (an array) find nothing. */
	arr = cJSON_GetObjectItemCaseSensitive(j, "a");
	CHECK(cs_json_str(arr, "0") == NULL);
	CHECK(!cs_json_u64(arr, "0", &v));
	cJSON_Delete(j);
}

TEST(json_parse_errors)
{
	static const char *const bad[] = {"", "{", "{\"a\":}", "[1,2", "nul", "{\"a\":1}x", "\"\\u12\""};
	size_t i;
	char deep[3000];
	cs_err err;
	cJSON *j;

	for (i = 0; i < CS_ARRAY_LEN(bad); i++) {
		cs_err_clear(&err);
		j = cs_json_parse(bad[i], strlen(bad[i]), "'x.json'", &err);
		if (j) {
			fprintf(stderr, "  cs_json_parse(\"%s\") succeeded\n", bad[i]);
			test_failures++;
			cJSON_Delete(j);
		}
		CHECK_INT(err.code, CS_EFORMAT);
		CHECK(strstr(err.msg, "'x.json': malformed JSON") != NULL);
	}
	/* Length bounds the parse: the bytes after len are not JSON. */
	cs_err_clear(&err);
	j = cs_json_parse("{\"a\":1}garbage", 7, "'x'", &err);
	CHECK(j != NULL);
	cJSON_Delete(j);
	/* Nesting past cJSON's limit is an error, not a stack overflow. */
	memset(deep, '[', sizeof(deep));
	cs_err_clear(&err);
	j = cs_json_parse(deep, sizeof(deep), "'deep'", &err);
	CHECK(j == NULL);
	CHECK_INT(err.code, CS_EFORMAT);
	cJSON_Delete(j);
}

/* --- errors ---------------------------------------------------------------- */

TEST(error_first_wins)
{
	cs_err e;
	char longmsg[2000];

	cs_err_clear(&e);
	CHECK_INT(e.code, CS_OK);
	CHECK_INT(cs_err_set(&e, CS_EFORMAT, "bad '%s'", "x"), CS_EFORMAT);
	CHECK_INT(cs_err_set(&e, CS_EIO, "later"), CS_EIO);
	CHECK_INT(e.code, CS_EFORMAT);
	CHECK_STR(e.msg, "bad 'x'");
	cs_err_prefix(&e, "layer %d: ", 2);
	CHECK_STR(e.msg, "layer 2: bad 'x'");
	CHECK_INT(cs_err_set(NULL, CS_ELIMIT, "nobody listens"), CS_ELIMIT);
	{
		cs_err d;

		cs_err_clear(&d);
		cs_err_prefix(&d, "nothing: ");
		CHECK_STR(d.msg, "");
		cs_err_merge(&d, &e);
		CHECK_INT(d.code, CS_EFORMAT);
		CHECK_STR(d.msg, "layer 2: bad 'x'");
	}
	/* A prefix on a full message stays within the buffer. */
	memset(longmsg, 'm', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	cs_err_clear(&e);
	cs_err_set(&e, CS_ERR, "%s", longmsg);
	CHECK_INT(strlen(e.msg), CS_ERR_MSG_MAX - 1);
	cs_err_prefix(&e, "prefix: ");
	CHECK_INT(strlen(e.msg), CS_ERR_MSG_MAX - 1);
	CHECK(cs_str_starts(e.msg, "prefix: mmm"));
	CHECK_STR(cs_err_name(CS_EDIGEST), "digest mismatch");
	CHECK_STR(cs_err_name(-999), "error");
}

TEST_MAIN(TEST_ENTRY(arena_many_allocations), TEST_ENTRY(arena_large_objects), TEST_ENTRY(arena_strings),
	  TEST_ENTRY(buf_basic), TEST_ENTRY(buf_limit), TEST_ENTRY(map_many_keys), TEST_ENTRY(vec_push_sort),
	  TEST_ENTRY(view_integers), TEST_ENTRY(view_lines), TEST_ENTRY(str_helpers), TEST_ENTRY(parse_u64),
	  TEST_ENTRY(path_clean), TEST_ENTRY(path_clean_exact_buffer), TEST_ENTRY(path_resolve_link),
	  TEST_ENTRY(path_resolve_link_limits), TEST_ENTRY(sha256_vectors), TEST_ENTRY(digest_valid),
	  TEST_ENTRY(digest_valid_short_heap), TEST_ENTRY(json_getters), TEST_ENTRY(json_parse_errors),
	  TEST_ENTRY(error_first_wins))
