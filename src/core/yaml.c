/*
 * yaml.c - YAML to cJSON over libyaml's event stream (see yaml.h).
 *
 * Events arrive in document order; a stack of open collections says where
 * the next node goes. A mapping alternates key and value events, so the
 * key scalar waits on the stack until its value has been built.
 */
#include "core/compat.h"
#include "core/yaml.h"

#include <assert.h>
#include <yaml.h>

typedef struct level {
	cJSON *node; /* the open mapping or sequence (owned by the tree) */
	char *key;   /* mapping: the key waiting for its value (malloc'd), or NULL */
} level;

typedef struct reader {
	const cs_yaml_opts *opts;
	level *stack; /* opts->max_depth levels */
	size_t depth; /* open collections */
	cJSON *doc;   /* the current document's root, or NULL before it */
	cJSON *docs;  /* all_documents: the finished documents */
	bool done;    /* nothing more to read */
	cs_err *err;
} reader;

static int nomem(reader *r)
{
	return cs_err_set(r->err, CS_ENOMEM, "%s: out of memory", r->opts->what);
}

static bool is_null_word(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (n == 0 || (n == 1 && v[0] == '~') ||
		(n == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0 || memcmp(v, "NULL", 4) == 0)));
}

/* Attaches node (owned from here on) under the innermost open collection, or as the document. */
static int attach(reader *r, cJSON *node)
{
	level *top = r->depth ? &r->stack[r->depth - 1] : NULL;

	if (!top) {
		if (r->doc) { /* one document has one root node */
			cJSON_Delete(node);
			return cs_err_set(r->err, CS_EFORMAT, "%s: malformed YAML: second root node", r->opts->what);
		}
		r->doc = node;
	} else if (cJSON_IsArray(top->node)) {
		cJSON_AddItemToArray(top->node, node);
	} else {
		assert(top->key); /* the callers saw to it */
		if (!cJSON_AddItemToObject(top->node, top->key, node)) {
			cJSON_Delete(node);
			return nomem(r);
		}
		free(top->key);
		top->key = NULL;
	}
	return 0;
}

/* Takes one event into the tree; sets r->done after the last one wanted. */
static int take(reader *r, const yaml_event_t *ev)
{
	level *top = r->depth ? &r->stack[r->depth - 1] : NULL;
	const char *what = r->opts->what;
	cJSON *node;
	int rc;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (top && cJSON_IsObject(top->node) && !top->key) {
			if (!(top->key = strdup((const char *)ev->data.scalar.value)))
				return nomem(r);
			return 0;
		}
		node = is_null_word(ev) ? cJSON_CreateNull() : cJSON_CreateString((const char *)ev->data.scalar.value);
		if (!node)
			return nomem(r);
		if ((rc = attach(r, node)) < 0)
			return rc;
		if (!r->opts->all_documents && !r->depth)
			r->done = true; /* the first document is one scalar */
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (top && cJSON_IsObject(top->node) && !top->key)
			return cs_err_set(r->err, CS_EFORMAT, "%s: YAML mapping keys must be scalars (line %zu)", what,
					  (size_t)ev->start_mark.line + 1);
		if (r->depth == r->opts->max_depth)
			return cs_err_set(r->err, CS_ELIMIT, "%s: YAML nested deeper than %zu (line %zu)", what,
					  r->opts->max_depth, (size_t)ev->start_mark.line + 1);
		node = ev->type == YAML_MAPPING_START_EVENT ? cJSON_CreateObject() : cJSON_CreateArray();
		if (!node)
			return nomem(r);
		if ((rc = attach(r, node)) < 0)
			return rc;
		r->stack[r->depth].node = node;
		r->stack[r->depth].key = NULL;
		r->depth++;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (!top) /* libyaml pairs them; never trust that blindly */
			return cs_err_set(r->err, CS_EFORMAT, "%s: malformed YAML: unbalanced collection", what);
		free(top->key);
		r->depth--;
		if (!r->opts->all_documents && !r->depth)
			r->done = true; /* the first document's root collection is complete */
		return 0;
	case YAML_ALIAS_EVENT:
		return cs_err_set(r->err, CS_EFORMAT, "%s: YAML aliases are not supported (line %zu)", what,
				  (size_t)ev->start_mark.line + 1);
	case YAML_DOCUMENT_END_EVENT:
		if (!r->opts->all_documents) {
			r->done = true;
			return 0;
		}
		if (r->depth) /* libyaml closes collections first; never trust that blindly */
			return cs_err_set(r->err, CS_EFORMAT, "%s: malformed YAML: unbalanced document", what);
		if (!r->doc && !(r->doc = cJSON_CreateNull())) /* an empty document */
			return nomem(r);
		cJSON_AddItemToArray(r->docs, r->doc);
		r->doc = NULL;
		return 0;
	case YAML_STREAM_END_EVENT:
		r->done = true;
		return 0;
	default: /* stream and document start */
		return 0;
	}
}

int cs_yaml_parse(cJSON **out, const char *data, size_t len, const cs_yaml_opts *opts, cs_err *err)
{
	reader r = {.opts = opts, .err = err};
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;

	assert(opts->max_depth > 0);
	*out = NULL;
	if (!(r.stack = malloc(opts->max_depth * sizeof(*r.stack))))
		return nomem(&r);
	if (opts->all_documents && !(r.docs = cJSON_CreateArray())) {
		free(r.stack);
		return nomem(&r);
	}
	if (!yaml_parser_initialize(&parser)) {
		rc = nomem(&r);
		goto done;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!r.done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = cs_err_set(err, parser.error == YAML_MEMORY_ERROR ? CS_ENOMEM : CS_EFORMAT,
					"%s: malformed YAML at line %zu, column %zu: %s", opts->what,
					(size_t)parser.problem_mark.line + 1, (size_t)parser.problem_mark.column + 1,
					parser.problem ? parser.problem : "parse error");
			break;
		}
		rc = take(&r, &ev);
		yaml_event_delete(&ev);
		if (rc < 0)
			break;
	}
	yaml_parser_delete(&parser);
	if (rc == 0 && opts->all_documents) {
		*out = r.docs;
		r.docs = NULL;
	} else if (rc == 0) {
		if (!r.doc && !(r.doc = cJSON_CreateNull())) /* an empty stream */
			rc = nomem(&r);
		*out = r.doc;
		r.doc = NULL;
	}
done:
	while (r.depth) /* after an error or a malformed event stream */
		free(r.stack[--r.depth].key);
	free(r.stack);
	cJSON_Delete(r.doc);
	cJSON_Delete(r.docs);
	return rc;
}
