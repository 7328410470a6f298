/*
 * test_match.c - OSV range semantics of cs_match_affected, on a toy scheme
 * (dotted decimal numbers) so the rules are tested apart from any real
 * ecosystem's ordering.
 */
#include "core/compat.h"
#include "match/match.h"
#include "unit/test.h"

/* Dotted decimals; anything else is not a version. */
static int toy_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	const char *s[2] = {a, b};
	int i;

	for (i = 0; i < 2; i++) {
		const char *p = s[i];

		if (!*p)
			return cs_err_set(err, CS_EFORMAT, "'%s' is not a version", s[i]);
		for (; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '.'))
				return cs_err_set(err, CS_EFORMAT, "'%s' is not a version", s[i]);
	}
	while (*a || *b) {
		unsigned long x = strtoul(a, (char **)&a, 10), y = strtoul(b, (char **)&b, 10);

		if (x != y) {
			*out = x < y ? -1 : 1;
			return 0;
		}
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	*out = 0;
	return 0;
}

static const cs_version_scheme toy = {"toy", toy_cmp};

static cs_match_result eval(const char *v, const char *status, const cs_vdb_range *r, size_t nr,
			    const char *const *vers, size_t nv, int *code)
{
	cs_match_result m;
	cs_err err;

	cs_err_clear(&err);
	*code = cs_match_affected(&toy, v, status, r, nr, vers, nv, &m, &err);
	return m;
}

TEST(introduced_fixed)
{
	static const cs_vdb_range r[] = {{"1.0", "1.5", NULL, NULL}};
	int code;

	CHECK(!eval("0.9", NULL, r, 1, NULL, 0, &code).affected);
	CHECK(eval("1.0", NULL, r, 1, NULL, 0, &code).affected);
	CHECK(eval("1.4.9", NULL, r, 1, NULL, 0, &code).affected);
	CHECK_STR(eval("1.4.9", NULL, r, 1, NULL, 0, &code).fixed, "1.5");
	CHECK_STR(eval("1.4.9", NULL, r, 1, NULL, 0, &code).status, CS_VDB_FIXED);
	CHECK(!eval("1.5", NULL, r, 1, NULL, 0, &code).affected);
	CHECK(!eval("2", NULL, r, 1, NULL, 0, &code).affected);
	CHECK_INT(code, 0);
}

TEST(open_start_and_last_affected)
{
	static const cs_vdb_range zero[] = {{"0", "2.0", NULL, NULL}};
	static const cs_vdb_range none[] = {{NULL, NULL, "3.1", NULL}};
	int code;

	CHECK(eval("0.0.1", NULL, zero, 1, NULL, 0, &code).affected);
	CHECK(!eval("2.0", NULL, zero, 1, NULL, 0, &code).affected);
	CHECK(eval("3.1", NULL, none, 1, NULL, 0, &code).affected);
	CHECK(eval("3.1", NULL, none, 1, NULL, 0, &code).fixed == NULL);
	CHECK(!eval("3.1.1", NULL, none, 1, NULL, 0, &code).affected);
}

TEST(limit_and_several_ranges)
{
	static const cs_vdb_range r[] = {{"1.0", NULL, NULL, "1.9"}, {"2.0", "2.3", NULL, NULL}};
	int code;

	CHECK(eval("1.8", NULL, r, 2, NULL, 0, &code).affected);
	CHECK(!eval("1.9", NULL, r, 2, NULL, 0, &code).affected);
	CHECK(eval("2.2", NULL, r, 2, NULL, 0, &code).affected);
	CHECK_STR(eval("2.2", NULL, r, 2, NULL, 0, &code).fixed, "2.3");
	CHECK(!eval("2.3", NULL, r, 2, NULL, 0, &code).affected);
}

/* Two fixes listed for one vulnerability: the higher one ends it; an open range means no fix. */
TEST(overlapping_ranges)
{
	static const cs_vdb_range two[] = {{"0", "1.2", NULL, NULL}, {"0", "1.5", NULL, NULL}};
	static const cs_vdb_range open[] = {{"0", "1.2", NULL, NULL}, {"1.0", NULL, NULL, NULL}};
	int code;

	CHECK_STR(eval("1.1", NULL, two, 2, NULL, 0, &code).fixed, "1.5");
	CHECK_STR(eval("1.3", NULL, two, 2, NULL, 0, &code).fixed, "1.5");
	CHECK(!eval("1.5", NULL, two, 2, NULL, 0, &code).affected);
	CHECK(eval("1.1", NULL, open, 2, NULL, 0, &code).affected);
	CHECK(eval("1.1", NULL, open, 2, NULL, 0, &code).fixed == NULL);
	CHECK_STR(eval("1.1", CS_VDB_NOT_FIXED, open, 2, NULL, 0, &code).status, CS_VDB_NOT_FIXED);
	CHECK_STR(eval("0.5", NULL, open, 2, NULL, 0, &code).fixed, "1.2");
}

TEST(versions_list)
{
	static const char *const v[] = {"1.1", "1.3", "not-a-version"};
	int code;

	CHECK(eval("1.3", NULL, NULL, 0, v, 3, &code).affected);
	CHECK(!eval("1.2", NULL, NULL, 0, v, 3, &code).affected);
	CHECK_INT(code, 0);
}

/* PyPA lists versions and ranges both: the range still names the fix. */
TEST(versions_and_ranges_give_fixed)
{
	static const cs_vdb_range r[] = {{"0", "1.26.17", NULL, NULL}};
	static const char *const v[] = {"1.26.12", "1.26.16"};
	int code;

	CHECK(eval("1.26.12", NULL, r, 1, v, 2, &code).affected);
	CHECK_STR(eval("1.26.12", NULL, r, 1, v, 2, &code).fixed, "1.26.17");
	CHECK_STR(eval("1.26.12", NULL, r, 1, v, 2, &code).status, CS_VDB_FIXED);
	/* Listed but outside every range: affected, fix unknown. */
	CHECK(eval("1.26.16", NULL, r, 0, v, 2, &code).affected);
	CHECK(eval("1.26.16", NULL, r, 0, v, 2, &code).fixed == NULL);
	CHECK(!eval("1.26.17", NULL, r, 1, v, 2, &code).affected);
}

TEST(status_without_ranges)
{
	int code;

	CHECK(eval("1.0", CS_VDB_NOT_FIXED, NULL, 0, NULL, 0, &code).affected);
	CHECK_STR(eval("1.0", CS_VDB_NOT_FIXED, NULL, 0, NULL, 0, &code).status, CS_VDB_NOT_FIXED);
	CHECK(eval("1.0", CS_VDB_WILL_NOT_FIX, NULL, 0, NULL, 0, &code).affected);
	CHECK(eval("1.0", CS_VDB_END_OF_LIFE, NULL, 0, NULL, 0, &code).affected);
	CHECK(!eval("1.0", CS_VDB_NOT_AFFECTED, NULL, 0, NULL, 0, &code).affected);
	CHECK(!eval("1.0", CS_VDB_FIXED, NULL, 0, NULL, 0, &code).affected);
}

TEST(not_comparable_is_not_affected)
{
	static const cs_vdb_range r[] = {{"1.0", "1.5", NULL, NULL}};
	int code;

	CHECK(!eval("1.x", NULL, r, 1, NULL, 0, &code).affected);
	CHECK_INT(code, CS_EFORMAT);
}

TEST_MAIN(TEST_ENTRY(introduced_fixed), TEST_ENTRY(open_start_and_last_affected), TEST_ENTRY(limit_and_several_ranges), TEST_ENTRY(overlapping_ranges),
	  TEST_ENTRY(versions_list), TEST_ENTRY(versions_and_ranges_give_fixed), TEST_ENTRY(status_without_ranges), TEST_ENTRY(not_comparable_is_not_affected))
