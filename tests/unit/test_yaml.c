/*
 * test_yaml.c - the YAML reader (core/yaml.h): documents, scalar typing,
 * aliases, the depth limit and the messages for malformed input.
 *
 * Each case is a stream, the options, and either the tree as compact JSON
 * or the error code and the message expected.
 */
#include "core/compat.h"
#include "core/yaml.h"

#include "unit/test.h"

typedef struct yaml_case {
	const char *in;
	bool all;         /* all_documents */
	size_t depth;     /* max_depth */
	int rc;           /* expected return */
	const char *want; /* rc 0: the tree as compact JSON; else: the message */
} yaml_case;

static void run(const yaml_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const yaml_case *c = &cases[i];
		const cs_yaml_opts opts = {.what = "t.yaml", .max_depth = c->depth, .all_documents = c->all};
		cJSON *tree = (cJSON *)1;
		cs_err err;
		char *json;
		int rc;

		cs_err_clear(&err);
		rc = cs_yaml_parse(&tree, c->in, strlen(c->in), &opts, &err);
		if (rc != c->rc)
			fprintf(stderr, "  case %zu: %s\n", i, err.msg);
		CHECK_INT(rc, c->rc);
		if (rc < 0) {
			CHECK(tree == NULL);
			CHECK_INT(err.code, c->rc);
			CHECK_STR(err.msg, c->want);
			continue;
		}
		json = cJSON_PrintUnformatted(tree);
		CHECK_STR(json, c->want);
		free(json);
		cJSON_Delete(tree);
	}
}

TEST(scalars)
{
	static const yaml_case cases[] = {
		/* Only the plain null words are null; nothing is a number or a boolean. */
		{"a: 1.10\nb: true\nc: ~\nd:\ne: 'null'\nf: 0\ng: Null\nh: \"\"\ni: NULL\nj: nil\nk: 5.4\n", false,
		 8, 0,
		 "{\"a\":\"1.10\",\"b\":\"true\",\"c\":null,\"d\":null,\"e\":\"null\",\"f\":\"0\",\"g\":null,"
		 "\"h\":\"\",\"i\":null,\"j\":\"nil\",\"k\":\"5.4\"}"},
		{"[x, null, \"null\", '~', ~, nULL]", true, 8, 0, "[[\"x\",null,\"null\",\"~\",null,\"nULL\"]]"},
		/* Keys are scalars kept as written, a null word included. */
		{"null: 1\n'2': {3: [4]}\n", false, 8, 0, "{\"null\":\"1\",\"2\":{\"3\":[\"4\"]}}"},
		{"plain\n", false, 8, 0, "\"plain\""},
		{"|\n  two\n  lines\n", false, 8, 0, "\"two\\nlines\\n\""},
	};

	run(cases, CS_ARRAY_LEN(cases));
}

TEST(documents)
{
	static const yaml_case cases[] = {
		{"a: 1\n---\nb: 2\n", false, 8, 0, "{\"a\":\"1\"}"},
		{"a: 1\n---\nb: 2\n", true, 8, 0, "[{\"a\":\"1\"},{\"b\":\"2\"}]"},
		{"", false, 8, 0, "null"},
		{"", true, 8, 0, "[]"},
		{"# only a comment\n", true, 8, 0, "[]"},
		{"---\n...\n---\nx\n", true, 8, 0, "[null,\"x\"]"},
		{"---\n...\n---\nx\n", false, 8, 0, "null"},
		/* The first document only: a broken second one is never read... */
		{"[a]\n--- ]\n", false, 8, 0, "[\"a\"]"},
		/* ...while every document is: */
		{"[a]\n--- ]\n", true, 8, CS_EFORMAT,
		 "t.yaml: malformed YAML at line 2, column 5: did not find expected node content"},
	};

	run(cases, CS_ARRAY_LEN(cases));
}

TEST(aliases_refused)
{
	static const yaml_case cases[] = {
		{"a: &x 1\nb: *x\n", false, 8, CS_EFORMAT, "t.yaml: YAML aliases are not supported (line 2)"},
		{"- &x [1]\n- *x\n", true, 8, CS_EFORMAT, "t.yaml: YAML aliases are not supported (line 2)"},
		/* An anchor alone is harmless. */
		{"a: &x 1\n", false, 8, 0, "{\"a\":\"1\"}"},
	};

	run(cases, CS_ARRAY_LEN(cases));
}

TEST(depth_limit)
{
	static const yaml_case cases[] = {
		{"[[[1]]]", false, 3, 0, "[[[\"1\"]]]"},
		{"[[[1]]]", false, 2, CS_ELIMIT, "t.yaml: YAML nested deeper than 2 (line 1)"},
		{"a:\n  b:\n    c: [1]\n", true, 3, CS_ELIMIT, "t.yaml: YAML nested deeper than 3 (line 3)"},
		{"a:\n  b:\n    c: [1]\n", true, 4, 0, "[{\"a\":{\"b\":{\"c\":[\"1\"]}}}]"},
		{"x", false, 1, 0, "\"x\""},
	};

	run(cases, CS_ARRAY_LEN(cases));
}

TEST(malformed)
{
	static const yaml_case cases[] = {
		{"a: b: c\n", false, 8, CS_EFORMAT,
		 "t.yaml: malformed YAML at line 1, column 5: mapping values are not allowed in this context"},
		{"a: [1, 2\n", true, 8, CS_EFORMAT,
		 "t.yaml: malformed YAML at line 2, column 1: did not find expected ',' or ']'"},
		{"a: 'open\n", false, 8, CS_EFORMAT,
		 "t.yaml: malformed YAML at line 2, column 1: found unexpected end of stream"},
		/* Keys must be scalars: a collection key is refused where it starts. */
		{"? [a]\n: b\n", false, 8, CS_EFORMAT, "t.yaml: YAML mapping keys must be scalars (line 1)"},
	};

	run(cases, CS_ARRAY_LEN(cases));
}

/* A stream far deeper than the limit ends in CS_ELIMIT, not a stack overflow, and frees what it built. */
TEST(deep_stream)
{
	const cs_yaml_opts opts = {.what = "deep", .max_depth = 64, .all_documents = true};
	char buf[10000];
	cJSON *tree;
	cs_err err;

	memset(buf, '[', sizeof(buf));
	cs_err_clear(&err);
	CHECK_INT(cs_yaml_parse(&tree, buf, sizeof(buf), &opts, &err), CS_ELIMIT);
	CHECK(tree == NULL);
	CHECK_STR(err.msg, "deep: YAML nested deeper than 64 (line 1)");
}

TEST_MAIN(TEST_ENTRY(scalars), TEST_ENTRY(documents), TEST_ENTRY(aliases_refused), TEST_ENTRY(depth_limit),
	  TEST_ENTRY(malformed), TEST_ENTRY(deep_stream))
