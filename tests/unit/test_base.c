/*
 * test_base.c - the base image assessment (src/base/): the history boundary
 * on histories as the classic builder and BuildKit write them (and the
 * project's own sample and lang images), the catalog (longest prefix,
 * approval, malformed and absurd files, the atomic rewrite, `customs base
 * add`'s recording), end-of-life dates (the table against Debian's own
 * distro-info-data files, a date before and after), the analyzer on whole
 * scans (catalog, history, label, OS, the report time) and the split in
 * the table report.
 */
#include "core/compat.h"
#include "base/base.h"
#include "image/image.h"
#include "report/report.h"
#include "unit/catfix.h"

#include <time.h>

static cJSON *J(const char *text)
{
	cs_err err;
	cJSON *j;

	cs_err_clear(&err);
	j = cs_json_parse(text, strlen(text), "fixture", &err);
	if (!j) {
		fprintf(stderr, "  %s\n", err.msg);
		test_failures++;
	}
	return j;
}

/* Seconds since the epoch of a UTC time. */
static long long at(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (long long)timegm(&tm);
}

/* --- history steps ------------------------------------------------------------------ */

TEST(terminators_and_root_steps)
{
	static const struct {
		const char *created_by;
		bool term, root;
	} c[] = {
		{"/bin/sh -c #(nop)  CMD [\"bash\"]", true, false},
		{"/bin/sh -c #(nop) CMD [\"/bin/sh\"]", true, false},
		{"/bin/sh -c #(nop)  ENTRYPOINT [\"docker-entrypoint.sh\"]", true, false},
		{"CMD [\"bash\"]", true, false},
		{"cmd [\"bash\"]", true, false},
		{"ENTRYPOINT [\"/usr/bin/tini\", \"--\"]", true, false},
		{"CMD python3", true, false},
		{"CMD", true, false},
		{"CMDX [\"bash\"]", false, false},
		{"RUN /bin/sh -c echo CMD # buildkit", false, false},
		{"/bin/sh -c echo CMD", false, false},
		{"ENV CMD=1", false, false},
		{"/bin/sh -c #(nop) ADD file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in / ", false,
		 true},
		{"ADD alpine-minirootfs-3.19.1-x86_64.tar.gz / # buildkit", false, true},
		{"ADD rootfs.tar / # mmdebstrap --variant=minbase bookworm", false, true},
		{"COPY --from=build / / # buildkit", false, true},
		{"# debian.sh --arch 'amd64' out/ 'bookworm' '@1704672000'", false, true},
		{"/bin/sh -c #(nop) ADD file:abc in /usr/src/app ", false, false},
		{"COPY . /app # buildkit", false, false},
		{"ADD https://example.org/x.tar.gz /opt/ # buildkit", false, false},
		{"RUN /bin/sh -c tar -xf rootfs.tar -C / # buildkit", false, false},
		{"", false, false},
		{NULL, false, false},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(c); i++) {
		if (cs_base_is_terminator(c[i].created_by) != c[i].term ||
		    cs_base_is_root_step(c[i].created_by) != c[i].root) {
			fprintf(stderr, "  '%s': terminator %d root %d\n", c[i].created_by ? c[i].created_by : "(null)",
				cs_base_is_terminator(c[i].created_by), cs_base_is_root_step(c[i].created_by));
			test_failures++;
		}
	}
}

/* python:3.8-alpine as the classic builder wrote it, and an application on top. */
static const char docker_classic[] =
	"[{\"created\":\"2020-01-23T16:53:06Z\",\"created_by\":\"/bin/sh -c #(nop) ADD "
	"file:d48cac34fac385cbc1de6adfdd88300f76f9bbe346cd17e64fd834d042a98326 in / \"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"/bin/sh\\\"]\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c #(nop)  ENV LANG=C.UTF-8\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c apk add --no-cache ca-certificates\"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  ENV PYTHON_VERSION=3.8.1\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c set -ex && apk add --no-cache --virtual .fetch-deps gnupg tar xz && wget -O "
	"python.tar.xz \\\"https://www.python.org/ftp/python/3.8.1/Python-3.8.1.tar.xz\\\"\"},"
	"{\"created_by\":\"/bin/sh -c cd /usr/local/bin && ln -s idle3 idle && ln -s python3 python\"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  ENV PYTHON_PIP_VERSION=20.0.2\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c set -ex; wget -O get-pip.py https://bootstrap.pypa.io/get-pip.py; python "
	"get-pip.py\"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"python3\\\"]\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c #(nop) WORKDIR /app\",\"empty_layer\":true},"
	"{\"created_by\":\"/bin/sh -c #(nop) COPY file:8f2c4b1e in /app/requirements.txt \"},"
	"{\"created_by\":\"|1 PIP_INDEX=https://pypi.org/simple /bin/sh -c pip install -r requirements.txt\"},"
	"{\"created_by\":\"/bin/sh -c #(nop) COPY dir:1ab2c3d4 in /app \"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  ENTRYPOINT [\\\"python3\\\" \\\"app.py\\\"]\",\"empty_layer\":true}]";

/* The lang image's history, as scripts/build-lang.sh wrote it (BuildKit's spelling), on the sample image. */
static const char buildkit_lang[] =
	"[{\"created\":\"2025-05-20T00:01:00Z\",\"created_by\":\"ADD rootfs.tar / # mmdebstrap --variant=minbase "
	"--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr bookworm\"},"
	"{\"created_by\":\"CMD [\\\"bash\\\"]\",\"empty_layer\":true},"
	"{\"created_by\":\"ENV LANG=C.UTF-8\",\"empty_layer\":true},"
	"{\"created_by\":\"RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates "
	"curl python3 python3-venv python3-wheel-whl && rm -rf /var/lib/apt/lists/* # buildkit\"},"
	"{\"created_by\":\"RUN --mount=type=bind,from=build,source=/out,target=/build /bin/sh -c install -m 0755 "
	"/build/sampleapp /usr/local/bin/sampleapp # buildkit\"},"
	"{\"created_by\":\"ENV VIRTUAL_ENV=/app/venv PATH=/app/venv/bin:/usr/bin:/bin\",\"empty_layer\":true},"
	"{\"created_by\":\"RUN /bin/sh -c apt-get purge -y --auto-remove curl && rm -rf /usr/share/doc/* # buildkit\"},"
	"{\"created_by\":\"RUN /bin/sh -c rm -rf /app/plugins && mkdir /app/plugins # buildkit\"},"
	"{\"created_by\":\"WORKDIR /app\",\"empty_layer\":true},"
	"{\"created_by\":\"LABEL org.opencontainers.image.title=customs-sample "
	"org.opencontainers.image.base.name=debian:bookworm\",\"empty_layer\":true},"
	"{\"created_by\":\"USER app\",\"empty_layer\":true},"
	"{\"created_by\":\"CMD [\\\"/usr/local/bin/sampleapp\\\"]\",\"empty_layer\":true},"
	"{\"created_by\":\"USER root\",\"empty_layer\":true},"
	"{\"created_by\":\"COPY --from=node-build /app/node /app/node # buildkit\"},"
	"{\"created_by\":\"RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends "
	"libcommons-lang3-java libcommons-io-java # buildkit\"},"
	"{\"created_by\":\"RUN /bin/sh -c mkdir -p /app/java/lib # buildkit\"},"
	"{\"created_by\":\"COPY lang-webapp.war /app/java/webapps/lang-webapp.war # buildkit\"},"
	"{\"created_by\":\"USER app\",\"empty_layer\":true},"
	"{\"created_by\":\"LABEL org.opencontainers.image.title=customs-lang\",\"empty_layer\":true}]";

typedef struct hist_case {
	const char *what;
	const char *history; /* JSON, or NULL for none */
	size_t nlayers;
	int known_last;
	int last;            /* want */
	const char *method;
	int end_entry;
	bool inherited;
} hist_case;

static void check_hist(const hist_case *c)
{
	cJSON *h = c->history ? J(c->history) : NULL;
	cs_base_history out;

	cs_base_read_history(&out, h, c->nlayers, c->known_last);
	if (out.last_layer != c->last || !cf_str_eq(out.method, c->method) || out.end_entry != c->end_entry ||
	    out.label_inherited != c->inherited) {
		fprintf(stderr, "  %s: last %d method %s end %d inherited %d; want %d %s %d %d\n", c->what,
			out.last_layer, out.method ? out.method : "-", out.end_entry, out.label_inherited, c->last,
			c->method ? c->method : "-", c->end_entry, c->inherited);
		test_failures++;
	}
	cJSON_Delete(h);
}

TEST(history_boundary)
{
	char sample[8192];
	const char *cut = strstr(buildkit_lang, ",{\"created_by\":\"USER root\"");
	hist_case c[] = {
		/* python's CMD closes the base: its 5 layers; the application's ENTRYPOINT has nothing after it */
		{"docker classic", docker_classic, 8, -1, 4, "history", 10, false},
		/* the sample's last CMD, then the lang image's steps; the base-name label is the sample's own */
		{"buildkit lang", buildkit_lang, 9, -1, 4, "history", 11, true},
		{"buildkit sample", sample, 5, -1, 0, "history", 1, false},
		{"debian official, buildkit",
		 "[{\"created_by\":\"# debian.sh --arch 'amd64' out/ 'bookworm' '@1704672000'\",\"comment\":\"debuerreotype "
		 "0.15\"},{\"created_by\":\"CMD [\\\"bash\\\"]\",\"comment\":\"buildkit.dockerfile.v0\",\"empty_layer\":true},"
		 "{\"created_by\":\"RUN /bin/sh -c apt-get update # buildkit\"},{\"created_by\":\"COPY app /app # buildkit\"}]",
		 3, -1, 0, "history", 1, false},
		/* a base image scanned by itself: its CMD has no layer after it, so the root layer is the base */
		{"alpine alone",
		 "[{\"created_by\":\"/bin/sh -c #(nop) ADD file:d48cac34 in / \"},{\"created_by\":\"/bin/sh -c #(nop)  CMD "
		 "[\\\"/bin/sh\\\"]\",\"empty_layer\":true}]",
		 1, -1, 0, "root-layer", 1, false},
		{"no terminator, root layer",
		 "[{\"created_by\":\"ADD rootfs.tar.gz / # buildkit\"},{\"created_by\":\"RUN /bin/sh -c make # buildkit\"},"
		 "{\"created_by\":\"COPY app /app # buildkit\"}]",
		 3, -1, 0, "root-layer", 0, false},
		{"no terminator, no root step",
		 "[{\"created_by\":\"RUN /bin/sh -c make # buildkit\"},{\"created_by\":\"COPY app /app # buildkit\"}]", 2, -1,
		 -1, NULL, -1, false},
		{"all empty, no layer",
		 "[{\"created_by\":\"ENV A=1\",\"empty_layer\":true},{\"created_by\":\"CMD [\\\"sh\\\"]\",\"empty_layer\":true}]",
		 0, -1, -1, NULL, -1, false},
		{"all empty, layers unaccounted",
		 "[{\"created_by\":\"CMD [\\\"sh\\\"]\",\"empty_layer\":true},{\"created_by\":\"ENV A=1\",\"empty_layer\":true}]",
		 2, -1, -1, NULL, -1, false},
		{"no history", NULL, 3, -1, -1, NULL, -1, false},
		{"history not an array", "{\"created_by\":\"ADD x /\"}", 1, -1, -1, NULL, -1, false},
		/* more steps with layers than diff_ids: a terminator past the last layer closes nothing */
		{"history longer than layers",
		 "[{\"created_by\":\"RUN a\"},{\"created_by\":\"RUN b\"},{\"created_by\":\"CMD [\\\"x\\\"]\","
		 "\"empty_layer\":true},{\"created_by\":\"RUN c\"}]",
		 2, -1, -1, NULL, -1, false},
		{"history longer, terminator inside",
		 "[{\"created_by\":\"ADD x /\"},{\"created_by\":\"CMD [\\\"x\\\"]\",\"empty_layer\":true},{\"created_by\":"
		 "\"RUN a\"},{\"created_by\":\"RUN b\"},{\"created_by\":\"RUN c\"}]",
		 2, -1, 0, "history", 1, false},
		/* fewer steps than diff_ids: the layers no step names come after the base */
		{"history shorter than layers",
		 "[{\"created_by\":\"ADD x /\"},{\"created_by\":\"CMD [\\\"x\\\"]\",\"empty_layer\":true}]", 3, -1, 0,
		 "history", 1, false},
		{"entries that are not objects",
		 "[42,null,{\"created_by\":\"RUN x\"},\"s\",{\"created_by\":\"CMD [\\\"sh\\\"]\",\"empty_layer\":true},"
		 "{\"created_by\":null},{\"empty_layer\":\"yes\"}]",
		 3, -1, 0, "history", 4, false},
		{"terminator first",
		 "[{\"created_by\":\"CMD [\\\"sh\\\"]\",\"empty_layer\":true},{\"created_by\":\"RUN a\"},{\"created_by\":\"RUN "
		 "b\"}]",
		 2, -1, -1, NULL, -1, false},
		/* the boundary from the catalog: only where the base's steps end, and whose the label is */
		{"catalog, lang on sample", buildkit_lang, 9, 4, 4, NULL, 11, true},
		{"catalog, lang on the root layer", buildkit_lang, 9, 0, 0, NULL, 1, false},
		{"catalog, the whole lang image", buildkit_lang, 9, 8, 8, NULL, 16, true},
		{"catalog, past the history", "[{\"created_by\":\"ADD x /\"}]", 3, 2, 2, NULL, -1, false},
	};
	size_t i;

	/* The sample image's history: the lang one up to its last sample step. */
	snprintf(sample, sizeof(sample), "%.*s]", cut ? (int)(cut - buildkit_lang) : 0, buildkit_lang);
	for (i = 0; i < CS_ARRAY_LEN(c); i++)
		check_hist(&c[i]);
}

/* A history longer than anyone writes is read up to its cap, without trouble. */
TEST(history_huge)
{
	cJSON *h = cJSON_CreateArray();
	cs_base_history out;
	size_t i;

	for (i = 0; i < CS_BASE_MAX_HISTORY + 50; i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddStringToObject(e, "created_by", i % 2 ? "CMD [\"x\"]" : "RUN x");
		if (i % 2)
			cJSON_AddBoolToObject(e, "empty_layer", true);
		cJSON_AddItemToArray(h, e);
	}
	cs_base_read_history(&out, h, 1000000, -1);
	/* the last terminator within the cap: after the 5000th layer */
	CHECK_INT(out.last_layer, CS_BASE_MAX_HISTORY / 2 - 1);
	CHECK_STR(out.method, "history");
	cJSON_Delete(h);
}

/* --- the catalog ---------------------------------------------------------------------- */

#define D(c) "sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c
#define DA D("a")
#define DB D("b")
#define DC D("c")
#define DD D("d")
#define DX D("e")

static cs_base_catalog *parse_ok(const char *text)
{
	cs_base_catalog *c = NULL;
	cs_err err;

	cs_err_clear(&err);
	if (cs_base_catalog_parse(&c, "base catalog 'test'", text, strlen(text), &err) < 0) {
		fprintf(stderr, "  %s\n", err.msg);
		test_failures++;
	}
	return c;
}

static const char *match_name(const cs_base_catalog *c, const char *const *ids, size_t n)
{
	const cs_base_image *m = cs_base_catalog_match(c, ids, n);

	return m ? m->name : NULL;
}

TEST(catalog_longest_prefix)
{
	cs_base_catalog *c = parse_ok("{\"version\": 1, \"images\": ["
				      "{\"name\": \"debian\", \"tag\": \"12\", \"diff_ids\": [\"" DA "\"]},"
				      "{\"name\": \"python\", \"tag\": \"3.12\", \"diff_ids\": [\"" DA "\", \"" DB
				      "\", \"" DC "\"], \"approved\": true},"
				      "{\"name\": \"other\", \"diff_ids\": [\"" DX "\", \"" DB "\"]}]}");
	const char *img1[] = {DA, DB, DC, DD}, *img2[] = {DA, DD}, *img3[] = {DD, DA}, *img4[] = {DA, DB};

	if (!c)
		return;
	CHECK_INT(c->nimages, 3);
	CHECK_STR(match_name(c, img1, 4), "python");
	CHECK(cs_base_catalog_match(c, img1, 4)->approved);
	CHECK_STR(match_name(c, img1, 3), "python"); /* the image is the base itself */
	CHECK_STR(match_name(c, img2, 2), "debian");
	CHECK(!cs_base_catalog_match(c, img2, 2)->approved);
	CHECK_STR(match_name(c, img3, 2), NULL);
	CHECK_STR(match_name(c, img4, 2), "debian"); /* python is longer than the image */
	CHECK_STR(match_name(c, img1, 0), NULL);
	cs_base_catalog_free(c);
}

TEST(catalog_ties)
{
	/* the same layers under two names: the approved one, else the first */
	cs_base_catalog *c = parse_ok("[{\"name\": \"first\", \"diff_ids\": [\"" DA "\"]},"
				      "{\"name\": \"second\", \"diff_ids\": [\"" DA "\"], \"approved\": true},"
				      "{\"name\": \"third\", \"diff_ids\": [\"" DA "\"], \"approved\": true}]");
	cs_base_catalog *d = parse_ok("[{\"name\": \"first\", \"diff_ids\": [\"" DA "\"]},"
				      "{\"name\": \"second\", \"diff_ids\": [\"" DA "\"]}]");
	const char *img[] = {DA, DB};

	if (c)
		CHECK_STR(match_name(c, img, 2), "second");
	if (d)
		CHECK_STR(match_name(d, img, 2), "first");
	cs_base_catalog_free(c);
	cs_base_catalog_free(d);
}

TEST(catalog_yaml)
{
	cs_base_catalog *c = parse_ok("# approved bases\n"
				      "images:\n"
				      "  - name: debian\n"
				      "    tag: 12-slim\n"
				      "    digest: " DD "\n"
				      "    diff_ids: [" DA "]\n"
				      "    approved: true\n"
				      "  - name: alpine\n"
				      "    tag: \"3.10\"\n"
				      "    diff_ids:\n"
				      "      - " DB "\n"
				      "    approved: no\n"
				      "    owner: platform-team\n");
	cs_arena a;

	if (!c)
		return;
	cs_arena_init(&a);
	CHECK_INT(c->nimages, 2);
	CHECK(c->images[0].approved);
	CHECK(!c->images[1].approved);
	CHECK_STR(c->images[0].digest, DD);
	CHECK_STR(cs_base_image_label(&a, &c->images[0]), "debian:12-slim");
	CHECK_STR(cs_base_image_label(&a, &c->images[1]), "alpine:3.10");
	/* written back as booleans, the field customs does not know kept */
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(c->doc, "images"), 0),
					       "approved")));
	CHECK_STR(cs_json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(c->doc, "images"), 1), "owner"), "platform-team");
	cs_arena_release(&a);
	cs_base_catalog_free(c);
	/* blank is an empty catalog */
	c = parse_ok(" \n\t");
	CHECK(c && c->nimages == 0);
	cs_base_catalog_free(c);
	c = parse_ok("\xef\xbb\xbf{\"images\": []}");
	CHECK(c && c->nimages == 0);
	cs_base_catalog_free(c);
}

TEST(catalog_labels)
{
	static const struct {
		const char *name, *tag, *want;
	} c[] = {
		{"debian", "12", "debian:12"},
		{"debian:12", "12", "debian:12"},
		{"docker.io/customs/sample", "1", "docker.io/customs/sample:1"},
		{"localhost:5000/x", NULL, "localhost:5000/x"},
		{"x:1", "2", "x:1:2"},
	};
	cs_arena a;
	size_t i;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(c); i++) {
		cs_base_image img = {c[i].name, c[i].tag, NULL, NULL, 0, false};

		CHECK_STR(cs_base_image_label(&a, &img), c[i].want);
	}
	cs_arena_release(&a);
}

/* Each malformed catalog: its code and a single line naming the file and what is wrong. */
TEST(catalog_malformed)
{
	static const struct {
		const char *text;
		int code;
		const char *says;
	} c[] = {
		{"{\"images\": [", CS_EFORMAT, "malformed JSON"},
		{"{\"images\": []} x", CS_EFORMAT, "trailing"},
		{"{\"images\": {}}", CS_EFORMAT, "no 'images' array"},
		{"{\"bases\": []}", CS_EFORMAT, "no 'images' array"},
		{"\"debian\"", CS_EFORMAT, "not an object"},
		{"just words", CS_EFORMAT, "not an object"},
		{"[42]", CS_EFORMAT, "images[0] is not an object"},
		{"[{\"diff_ids\": [\"" DA "\"]}]", CS_EFORMAT, "images[0] has no 'name'"},
		{"[{\"name\": 7, \"diff_ids\": [\"" DA "\"]}]", CS_EFORMAT, "images[0].name is not"},
		{"[{\"name\": \"\", \"diff_ids\": [\"" DA "\"]}]", CS_EFORMAT, "images[0].name is not"},
		{"[{\"name\": \"a\\u001b[2Jb\", \"diff_ids\": [\"" DA "\"]}]", CS_EFORMAT, "control characters"},
		{"[{\"name\": \"x\"}]", CS_EFORMAT, "images[0] has no 'diff_ids'"},
		{"[{\"name\": \"x\", \"diff_ids\": []}]", CS_EFORMAT, "has no 'diff_ids'"},
		{"[{\"name\": \"x\", \"diff_ids\": \"" DA "\"}]", CS_EFORMAT, "has no 'diff_ids'"},
		{"[{\"name\": \"x\", \"diff_ids\": [\"" DA "\", \"sha256:abc\"]}]", CS_EFORMAT,
		 "images[0].diff_ids[1] is not a sha256 digest"},
		{"[{\"name\": \"x\", \"diff_ids\": [\"" DA "\", 5]}]", CS_EFORMAT, "diff_ids[1]"},
		{"[{\"name\": \"x\", \"digest\": \"md5:x\", \"diff_ids\": [\"" DA "\"]}]", CS_EFORMAT,
		 "images[0].digest is not a sha256 digest"},
		{"[{\"name\": \"x\", \"diff_ids\": [\"" DA "\"], \"approved\": \"maybe\"}]", CS_EFORMAT,
		 "images[0].approved is not true or false"},
		{"[{\"name\": \"x\", \"diff_ids\": [\"" DA "\"], \"approved\": 1}]", CS_EFORMAT, "approved"},
		{"images:\n  - &a {name: x}\n  - *a\n", CS_EFORMAT, "aliases"},
		{"images: [\n", CS_EFORMAT, "malformed YAML"},
		{"images:\n- name: x\n  diff_ids: [[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]\n", CS_ELIMIT, "nested deeper"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(c); i++) {
		cs_base_catalog *cat = NULL;
		cs_err err;
		int rc;

		cs_err_clear(&err);
		rc = cs_base_catalog_parse(&cat, "base catalog 'bases.json'", c[i].text, strlen(c[i].text), &err);
		if (rc != c[i].code || cat || !strstr(err.msg, "base catalog 'bases.json'") ||
		    !strstr(err.msg, c[i].says) || strchr(err.msg, '\n')) {
			fprintf(stderr, "  case %zu: rc %d, '%s'\n", i, rc, err.msg);
			test_failures++;
		}
		cs_base_catalog_free(cat);
	}
}

/* Sizes nobody needs: refused with CS_ELIMIT and a message, never a crash or a stall. */
TEST(catalog_absurd_sizes)
{
	cs_base_catalog *c = NULL;
	cs_buf b;
	cs_err err;
	char *big;
	size_t i;

	/* a file over the cap */
	big = malloc(CS_BASE_CATALOG_MAX + 2);
	if (!big)
		return;
	memset(big, ' ', CS_BASE_CATALOG_MAX + 1);
	big[CS_BASE_CATALOG_MAX + 1] = '\0';
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_parse(&c, "base catalog 'big'", big, CS_BASE_CATALOG_MAX + 1, &err), CS_ELIMIT);
	CHECK(strstr(err.msg, "larger than 16 MiB") != NULL);
	free(big);
	/* too many images */
	cs_buf_init(&b, 0);
	cs_buf_puts(&b, "[");
	for (i = 0; i <= CS_BASE_CATALOG_MAX_IMAGES; i++)
		cs_buf_printf(&b, "%s{\"name\":\"n%zu\",\"diff_ids\":[\"" DA "\"]}", i ? "," : "", i);
	cs_buf_puts(&b, "]");
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_parse(&c, "base catalog 'many'", b.data, b.len, &err), CS_ELIMIT);
	CHECK(strstr(err.msg, "more than 10000 images") != NULL);
	/* too many layers in one */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "[{\"name\":\"deep\",\"diff_ids\":[");
	for (i = 0; i <= CS_BASE_CATALOG_MAX_LAYERS; i++)
		cs_buf_printf(&b, "%s\"" DA "\"", i ? "," : "");
	cs_buf_puts(&b, "]}]");
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_parse(&c, "base catalog 'tall'", b.data, b.len, &err), CS_ELIMIT);
	CHECK(strstr(err.msg, "more than 1000 diff_ids") != NULL);
	/* a name longer than any reference */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "[{\"name\":\"");
	for (i = 0; i <= CS_BASE_CATALOG_MAX_STR; i++)
		cs_buf_puts(&b, "n");
	cs_buf_puts(&b, "\",\"diff_ids\":[\"" DA "\"]}]");
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_parse(&c, "base catalog 'long'", b.data, b.len, &err), CS_ELIMIT);
	CHECK(strstr(err.msg, "images[0].name is longer than 512 bytes") != NULL);
	/* a NUL byte inside */
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_parse(&c, "base catalog 'nul'", "[]\0[]", 5, &err), CS_EFORMAT);
	CHECK(c == NULL);
	cs_buf_release(&b);
}

TEST(catalog_put_save_load)
{
	char dir[256], path[512], tmpl[600];
	const char *ids1[] = {DA, DB}, *ids2[] = {DA}, *ids3[] = {DC};
	cs_base_image a = {"example/app-base", "1", DD, ids1, 2, true};
	cs_base_image b = {"debian", "12", NULL, ids2, 1, false};
	cs_base_catalog *c = NULL;
	cs_err err;
	DIR *d;
	struct dirent *de;
	size_t n;
	char *text;

	if (!cf_tmpdir(dir, sizeof(dir), "base"))
		return;
	snprintf(path, sizeof(path), "%s/nested/dir/bases.json", dir);
	cs_err_clear(&err);
	/* a catalog that does not exist yet: empty when asked so, an error otherwise */
	CHECK_INT(cs_base_catalog_load(&c, path, false, &err), CS_ENOTFOUND);
	CHECK(strstr(err.msg, "cannot read base catalog '") && strstr(err.msg, "bases.json'"));
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_load(&c, path, true, &err), 0);
	if (!c)
		goto out;
	CHECK_INT(c->nimages, 0);
	CHECK_INT(cs_base_catalog_put(c, &a, &err), 0);
	CHECK_INT(cs_base_catalog_put(c, &b, &err), 0);
	CHECK_INT(c->nimages, 2);
	/* the same digest again: replaced, not added */
	a.approved = false;
	a.tag = "2";
	CHECK_INT(cs_base_catalog_put(c, &a, &err), 0);
	/* no digest: the same layers are the same image */
	b.approved = true;
	CHECK_INT(cs_base_catalog_put(c, &b, &err), 0);
	CHECK_INT(c->nimages, 2);
	CHECK_INT(cs_base_catalog_save(c, path, &err), 0);
	cs_base_catalog_free(c);
	c = NULL;
	/* what was written reads back the same, and is JSON */
	text = test_read_file(path, &n);
	CHECK(text && text[0] == '{' && text[n - 1] == '\n');
	free(text);
	CHECK_INT(cs_base_catalog_load(&c, path, false, &err), 0);
	if (!c)
		goto out;
	CHECK_INT(c->nimages, 2);
	CHECK_STR(c->images[0].name, "example/app-base");
	CHECK_STR(c->images[0].tag, "2");
	CHECK_STR(c->images[0].digest, DD);
	CHECK(!c->images[0].approved);
	CHECK_INT(c->images[0].ndiff_ids, 2);
	CHECK_STR(c->images[1].name, "debian");
	CHECK_STR(c->images[1].digest, NULL);
	CHECK(c->images[1].approved);
	CHECK_STR(match_name(c, ids1, 2), "example/app-base");
	CHECK_STR(match_name(c, ids3, 1), NULL);
	/* no temporary file is left beside it */
	snprintf(tmpl, sizeof(tmpl), "%s/nested/dir", dir);
	if ((d = opendir(tmpl))) {
		n = 0;
		while ((de = readdir(d)))
			n += de->d_name[0] != '.';
		closedir(d);
		CHECK_INT(n, 1);
	}
	/* a directory where the file should go: an error, and the old catalog stays */
	snprintf(tmpl, sizeof(tmpl), "%s/nested", dir);
	cs_err_clear(&err);
	CHECK_INT(cs_base_catalog_save(c, tmpl, &err), CS_EIO);
	CHECK(strstr(err.msg, "cannot write") != NULL);
out:
	cs_base_catalog_free(c);
	rm_tree(dir);
}

/* What `customs base add` records: the config digest, the diff_ids, the repo tag split into name and tag. */
TEST(catalog_record_round_trip)
{
	static const cf_entry l0[] = {CF_TEXT("etc/os-release", "ID=alpine\nVERSION_ID=3.10.4\n"), CF_END};
	static const cf_entry l1[] = {CF_TEXT("app/main.py", "print(1)\n"), CF_END};
	const cf_entry *layers[] = {l0, l1};
	char dir[256], tar[512], path[512], digest[CS_DIGEST_MAX];
	cs_base_catalog *c = NULL;
	const cs_base_image *rec = NULL;
	cs_image *img = NULL;
	cs_limits lim;
	cs_err err;

	if (!cf_tmpdir(dir, sizeof(dir), "base-record"))
		return;
	snprintf(tar, sizeof(tar), "%s/app.tar", dir);
	snprintf(path, sizeof(path), "%s/bases.json", dir);
	if (!cf_docker_write(tar, layers, 2))
		goto out;
	cs_limits_default(&lim);
	cs_err_clear(&err);
	if (cs_image_open(&img, tar, NULL, &lim, &err) < 0) {
		fprintf(stderr, "  %s\n", err.msg);
		test_failures++;
		goto out;
	}
	snprintf(digest, sizeof(digest), "%s", img->config_digest);
	CHECK_INT(cs_base_catalog_load(&c, path, true, &err), 0);
	CHECK_INT(cs_base_catalog_record(c, tar, NULL, NULL, true, &rec, &err), 0);
	CHECK(rec != NULL);
	if (rec) {
		CHECK_STR(rec->name, "customs-test");
		CHECK_STR(rec->tag, "1");
		CHECK_STR(rec->digest, digest);
		CHECK(rec->approved);
	}
	CHECK_INT(cs_base_catalog_save(c, path, &err), 0);
	cs_base_catalog_free(c);
	c = NULL;
	/* again under a name of its own: the same digest, so the same entry */
	CHECK_INT(cs_base_catalog_load(&c, path, false, &err), 0);
	CHECK_INT(cs_base_catalog_record(c, tar, NULL, "registry.example:5000/base/alpine:3.10", false, &rec, &err), 0);
	CHECK_INT(cs_base_catalog_save(c, path, &err), 0);
	cs_base_catalog_free(c);
	c = NULL;
	CHECK_INT(cs_base_catalog_load(&c, path, false, &err), 0);
	if (c) {
		const char *ids[] = {img->layers[0].diff_id, img->layers[1].diff_id, DA};

		CHECK_INT(c->nimages, 1);
		CHECK_STR(c->images[0].name, "registry.example:5000/base/alpine");
		CHECK_STR(c->images[0].tag, "3.10");
		CHECK(!c->images[0].approved);
		CHECK_INT(c->images[0].ndiff_ids, 2);
		CHECK(cs_base_catalog_match(c, ids, 3) == &c->images[0]);
		CHECK(cs_base_catalog_match(c, ids, 1) == NULL);
		/* an image that is not there: the image's own error */
		cs_err_clear(&err);
		CHECK(cs_base_catalog_record(c, "/nonexistent/x.tar", NULL, NULL, false, &rec, &err) < 0);
		CHECK(strstr(err.msg, "/nonexistent/x.tar") != NULL);
		CHECK_INT(c->nimages, 1);
	}
out:
	cs_base_catalog_free(c);
	cs_image_free(img);
	rm_tree(dir);
}

TEST(catalog_default_path)
{
	char buf[4096], *old_env = getenv("CUSTOMS_BASE_CATALOG") ? strdup(getenv("CUSTOMS_BASE_CATALOG")) : NULL,
			*old_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL,
			*old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	setenv("CUSTOMS_BASE_CATALOG", "/srv/bases.yaml", 1);
	CHECK_STR(cs_base_catalog_default(buf, sizeof(buf)), "/srv/bases.yaml");
	unsetenv("CUSTOMS_BASE_CATALOG");
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	CHECK_STR(cs_base_catalog_default(buf, sizeof(buf)), "/x/conf/customs/base-catalog.json");
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	CHECK_STR(cs_base_catalog_default(buf, sizeof(buf)), "/home/u/.config/customs/base-catalog.json");
	if (old_env)
		setenv("CUSTOMS_BASE_CATALOG", old_env, 1);
	if (old_xdg)
		setenv("XDG_CONFIG_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	else
		unsetenv("HOME");
	free(old_env);
	free(old_xdg);
	free(old_home);
}

/* --- end of life ----------------------------------------------------------------------------- */

TEST(release_keys)
{
	static const struct {
		const char *family, *version, *want; /* want NULL: no key */
	} c[] = {
		{"debian", "12", "12"},
		{"debian", "12.11", "12"},
		{"debian", "10.13", "10"},
		{"debian", "6.0.10", "6.0"},
		{"debian", "5.0", "5.0"},
		{"debian", "6", NULL},
		{"debian", "trixie/sid", NULL},
		{"ubuntu", "22.04", "22.04"},
		{"ubuntu", "22.04.3", "22.04"},
		{"ubuntu", "22", NULL},
		{"alpine", "3.11.5", "3.11"},
		{"alpine", "3.22.0_alpha20250108", "3.22"},
		{"alpine", "edge", NULL},
		{"redhat", "9.4", "9"},
		{"centos", "7", "7"},
		{"alma", "8.10", "8"},
		{"rocky", "9.5", "9"},
		{"centos-stream", "9", "9"},
		{"amazon", "2", "2"},
		{"amazon", "2023", "2023"},
		{"amazon", "2023.4.20240528", "2023"},
		{"amazon", "2018.03", "1"},
		{"amazon", "2017.09", "1"},
		{"amazon", "2018", NULL},
		{"amazon", "3", NULL},
		{"fedora", "40", NULL},
		{"debian", "99999999999999999999", NULL},
		{"debian", NULL, NULL},
		{NULL, "12", NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(c); i++) {
		char key[32] = "";
		bool ok = cs_base_release_key(c[i].family, c[i].version, key, sizeof(key));

		if (ok != (c[i].want != NULL) || (ok && strcmp(key, c[i].want))) {
			fprintf(stderr, "  %s %s: %s '%s'\n", c[i].family ? c[i].family : "-",
				c[i].version ? c[i].version : "-", ok ? "key" : "none", key);
			test_failures++;
		}
	}
}

/* The table without the machine's files (""). */
static const char *table_date(const char *family, const char *version, const char *codename)
{
	static cs_base_eol e;

	return cs_base_eol_find(&e, family, version, codename, "") ? e.date : NULL;
}

TEST(eol_table)
{
	/* the Alpine branches the e2e images are (alpinelinux.org/releases) */
	CHECK_STR(table_date("alpine", "3.10.4", NULL), "2021-05-01");
	CHECK_STR(table_date("alpine", "3.11.5", NULL), "2021-11-01");
	CHECK_STR(table_date("debian", "12.11", "bookworm"), "2028-06-30");
	CHECK_STR(table_date("debian", NULL, "bookworm"), "2028-06-30");
	CHECK_STR(table_date("debian", NULL, "sid"), NULL);
	CHECK_STR(table_date("ubuntu", "22.04", "jammy"), "2027-06-01");
	CHECK_STR(table_date("redhat", "8.9", NULL), "2029-05-31");
	CHECK_STR(table_date("centos", "8.5.2111", NULL), "2021-12-31");
	CHECK_STR(table_date("alma", "9.3", NULL), "2032-05-31");
	CHECK_STR(table_date("rocky", "8.10", NULL), "2029-05-31");
	CHECK_STR(table_date("amazon", "2018.03", NULL), "2023-12-31");
	CHECK_STR(table_date("amazon", "2023", NULL), "2029-06-30");
	CHECK_STR(table_date("alpine", "3.99.0", NULL), NULL);
	CHECK_STR(table_date("wolfi", "20230201", NULL), NULL);
	CHECK_STR(table_date(NULL, NULL, NULL), NULL);
}

TEST(eol_before_and_after)
{
	/* supported through the last day, past from the next one (UTC) */
	CHECK_INT(cs_base_eol_past("2021-05-01", at(2021, 4, 30, 12, 0, 0)), 0);
	CHECK_INT(cs_base_eol_past("2021-05-01", at(2021, 5, 1, 23, 59, 59)), 0);
	CHECK_INT(cs_base_eol_past("2021-05-01", at(2021, 5, 2, 0, 0, 0)), 1);
	CHECK_INT(cs_base_eol_past("2021-11-01", at(2026, 1, 1, 0, 0, 0)), 1);
	CHECK_INT(cs_base_eol_past("2028-06-30", at(2025, 5, 20, 0, 0, 0)), 0);
	CHECK_INT(cs_base_eol_past("2028-6-30", 0), -1);
	CHECK_INT(cs_base_eol_past("2028-13-01", 0), -1);
	CHECK_INT(cs_base_eol_past("", 0), -1);
	CHECK_INT(cs_base_eol_past(NULL, 0), -1);
}

TEST(distro_info_csv)
{
	static const char deb[] = "version,codename,series,created,release,eol,eol-lts,eol-elts\n"
				  "10,Buster,buster,2017-06-17,2019-07-06,2022-09-10,2024-06-30,2029-06-30\n"
				  "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-06-10\n"
				  "14,Forky,forky,2025-08-09\n"
				  ",Sid,sid,1993-08-16\n";
	static const char ubu[] = "version,codename,series,created,release,eol,eol-server,eol-esm\r\n"
				  "16.04 LTS,Xenial Xerus,xenial,2015-10-22,2016-04-21,2021-04-30,2021-04-30,2026-04-23\r\n"
				  "12.04 LTS,Precise Pangolin,precise,2011-10-13,2012-04-26,2015-04-30,2017-04-28,2019-04-28\r\n"
				  "23.10,Mantic Minotaur,mantic,2023-04-20,2023-10-12,2024-07-11\r\n";
	char d[11];

	CHECK(cs_distro_info_find(deb, strlen(deb), true, "10", NULL, d) && !strcmp(d, "2024-06-30")); /* eol-lts */
	CHECK(cs_distro_info_find(deb, strlen(deb), true, "12", NULL, d) && !strcmp(d, "2026-06-10")); /* no lts yet */
	CHECK(cs_distro_info_find(deb, strlen(deb), true, NULL, "bookworm", d) && !strcmp(d, "2026-06-10"));
	CHECK(!cs_distro_info_find(deb, strlen(deb), true, "14", NULL, d));
	CHECK(!cs_distro_info_find(deb, strlen(deb), true, NULL, "sid", d));
	CHECK(!cs_distro_info_find(deb, strlen(deb), true, "1", NULL, d)); /* not "10" */
	CHECK(!cs_distro_info_find(deb, strlen(deb), true, NULL, NULL, d));
	CHECK(cs_distro_info_find(ubu, strlen(ubu), false, "16.04", NULL, d) && !strcmp(d, "2021-04-30"));
	CHECK(cs_distro_info_find(ubu, strlen(ubu), false, "12.04", NULL, d) && !strcmp(d, "2017-04-28"));
	CHECK(cs_distro_info_find(ubu, strlen(ubu), false, NULL, "mantic", d) && !strcmp(d, "2024-07-11"));
	CHECK(!cs_distro_info_find(ubu, strlen(ubu), false, "16", NULL, d));
	/* no header, a header without the columns, garbage */
	CHECK(!cs_distro_info_find(deb + 60, strlen(deb) - 60, true, "12", NULL, d));
	CHECK(!cs_distro_info_find("a,b,c\n12,x,y\n", 13, true, "12", NULL, d));
	CHECK(!cs_distro_info_find("version,series,eol\n12,bookworm,2026-6-10\n", 41, true, "12", NULL, d));
	CHECK(!cs_distro_info_find("", 0, true, "12", NULL, d));
}

/* The files first, the table after; a file that does not know a release leaves it to the table. */
TEST(eol_files_first)
{
	char dir[256];
	cs_base_eol e;

	if (!cf_tmpdir(dir, sizeof(dir), "distro-info"))
		return;
	cf_put(dir, "debian.csv", "version,codename,series,created,release,eol,eol-lts\n"
				  "12,Bookworm,bookworm,2021-08-14,2023-06-10,2026-06-10,2030-01-01\n");
	CHECK(cs_base_eol_find(&e, "debian", "12.5", NULL, dir));
	CHECK_STR(e.date, "2030-01-01");
	CHECK_STR(e.source, "distro-info-data");
	CHECK_STR(e.release, "12");
	CHECK(cs_base_eol_find(&e, "debian", "11", NULL, dir));
	CHECK_STR(e.date, "2026-08-31");
	CHECK_STR(e.source, "built-in");
	/* no ubuntu.csv there: the table */
	CHECK(cs_base_eol_find(&e, "ubuntu", "20.04", NULL, dir));
	CHECK_STR(e.date, "2025-05-29");
	CHECK_STR(e.source, "built-in");
	/* by codename */
	CHECK(cs_base_eol_find(&e, "debian", NULL, "bookworm", dir));
	CHECK_STR(e.release, "bookworm");
	CHECK_STR(e.date, "2030-01-01");
	rm_tree(dir);
}

/*
 * The oracle: Debian's own distro-info-data on this machine. Every release
 * the built-in table has must have the file's date (a table gone stale
 * fails here: update it from the file).
 */
TEST(eol_table_agrees_with_distro_info)
{
	static const char *const files[] = {CS_DISTRO_INFO_DIR "/debian.csv", CS_DISTRO_INFO_DIR "/ubuntu.csv"};
	size_t f, checked = 0;

	for (f = 0; f < 2; f++) {
		const char *family = f == 0 ? "debian" : "ubuntu";
		size_t len;
		char *csv = test_read_file(files[f], &len);
		const char *line, *nl;

		if (!csv) {
			fprintf(stderr, "  note: %s absent (install distro-info-data): the table is not checked\n",
				files[f]);
			continue;
		}
		for (line = csv; *line; line = nl ? nl + 1 : line + strlen(line)) {
			char version[32] = "", key[32], want[11];
			cs_base_eol mine;

			nl = strchr(line, '\n');
			if (sscanf(line, "%31[0-9.]", version) != 1 ||
			    !cs_base_release_key(family, version, key, sizeof(key)) ||
			    !cs_distro_info_find(csv, len, f == 0, key, NULL, want))
				continue;
			if (!cs_base_eol_find(&mine, family, version, NULL, "")) {
				/* a release newer than the table: the file knows it, the product works with it */
				fprintf(stderr, "  note: %s %s (%s) is not in the built-in table\n", family, key, want);
				continue;
			}
			checked++;
			if (strcmp(mine.date, want)) {
				fprintf(stderr, "  %s %s: table %s, %s %s: update the table in src/base/eol.c\n", family,
					key, mine.date, files[f], want);
				test_failures++;
			}
		}
		free(csv);
	}
	if (checked)
		CHECK(checked >= 50);
}

/* --- whole scans ------------------------------------------------------------------------- */

/* Writes a docker-save archive whose config has this history and these labels (JSON, or NULL). */
static bool write_image(const char *path, const cf_entry *const *layers, size_t n, const char *history,
			const char *labels)
{
	tarb outer, t;
	cs_buf cfg, man;
	char name[64], digest[CS_DIGEST_MAX];
	uint8_t *blob;
	size_t i, bn;
	bool ok = true;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&man, 0);
	tb_open(&outer, 'p');
	cs_buf_printf(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":%s},\"history\":%s,"
			    "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
		      labels ? labels : "null", history ? history : "[]");
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"example/app:1\"],\"Layers\":[");
	for (i = 0; i < n && ok; i++) {
		const cf_entry *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++)
			tb_entry(&t, e->path, AE_IFREG, 0644, e->data, cf_entry_len(e), NULL, NULL);
		if (!(blob = tb_close(&t, &bn))) {
			ok = false;
			break;
		}
		cs_sha256_buf(blob, bn, digest);
		snprintf(name, sizeof(name), "l%zu/layer.tar", i);
		tb_entry(&outer, name, AE_IFREG, 0644, blob, bn, NULL, NULL);
		free(blob);
		cs_buf_printf(&cfg, "%s\"%s\"", i ? "," : "", digest);
		cs_buf_printf(&man, "%s\"%s\"", i ? "," : "", name);
	}
	cs_buf_puts(&cfg, "]}}");
	cs_buf_puts(&man, "]}]");
	tb_entry(&outer, "config.json", AE_IFREG, 0644, cfg.data, cfg.len, NULL, NULL);
	tb_entry(&outer, "manifest.json", AE_IFREG, 0644, man.data, man.len, NULL, NULL);
	blob = tb_close(&outer, &bn);
	ok = ok && blob && cf_write(path, blob, bn);
	free(blob);
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	CHECK(ok);
	return ok;
}

static const cf_entry alpine_l0[] = {CF_TEXT("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.10.4\n"),
				     CF_TEXT("etc/alpine-release", "3.10.4\n"), CF_END};
static const cf_entry app_l1[] = {CF_TEXT("app/requirements.txt", "flask\n"), CF_END};
static const cf_entry app_l2[] = {CF_TEXT("app/main.py", "print('hello')\n"), CF_END};

static const char app_history[] =
	"[{\"created_by\":\"/bin/sh -c #(nop) ADD file:d48cac34 in / \"},"
	"{\"created_by\":\"/bin/sh -c #(nop)  CMD [\\\"/bin/sh\\\"]\",\"empty_layer\":true},"
	"{\"created_by\":\"LABEL org.opencontainers.image.base.name=docker.io/library/alpine:3.10\",\"empty_layer\":true},"
	"{\"created_by\":\"COPY requirements.txt /app/ # buildkit\"},"
	"{\"created_by\":\"COPY main.py /app/ # buildkit\"}]";

/* Scans the image at path with a catalog (or NULL) at the time now; NULL (and the message in err) on failure. */
static cs_scan *scan_at(const char *path, const char *catalog, long long now, cs_err *err)
{
	cs_scan *s = NULL;
	cs_scan_opts o;

	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_BASE;
	o.base_catalog = catalog;
	o.now = now;
	cs_err_clear(err);
	if (cs_scan_run(&s, path, false, &o, err) < 0) {
		cs_scan_free(s);
		return NULL;
	}
	return s;
}

TEST(scan_history_label_eol)
{
	const cf_entry *layers[] = {alpine_l0, app_l1, app_l2};
	char dir[256], tar[512];
	const cs_base *b;
	cs_scan *s;
	cs_err err;

	if (!cf_tmpdir(dir, sizeof(dir), "base-scan"))
		return;
	snprintf(tar, sizeof(tar), "%s/app.tar", dir);
	if (!write_image(tar, layers, 3, app_history,
			 "{\"org.opencontainers.image.base.name\":\"docker.io/library/alpine:3.10\"}"))
		goto out;
	/* the day alpine 3.10 ended: still supported */
	s = scan_at(tar, NULL, at(2021, 5, 1, 12, 0, 0), &err);
	CHECK(s != NULL);
	if (s && (b = cs_scan_base(s))) {
		CHECK_STR(b->method, "history");
		CHECK_INT(b->first_layer, 0);
		CHECK_INT(b->last_layer, 0);
		/* the label was set after the base ended: the application's own word */
		CHECK_STR(b->name, "docker.io/library/alpine:3.10");
		CHECK_STR(b->os, "alpine 3.10.4");
		CHECK_STR(b->eol_date, "2021-05-01");
		CHECK_INT(b->eol, 0);
		CHECK(!b->approved);
	} else {
		CHECK(!"no base");
	}
	cs_scan_free(s);
	/* the day after */
	s = scan_at(tar, NULL, at(2021, 5, 2, 0, 0, 0), &err);
	CHECK(s && cs_scan_base(s) && cs_scan_base(s)->eol == 1);
	cs_scan_free(s);
	/* without the base scanner: no assessment */
	{
		cs_scan_opts o;

		cs_scan_opts_default(&o);
		o.scanners = CS_SCANNER_SECRET;
		s = NULL;
		cs_err_clear(&err);
		CHECK_INT(cs_scan_run(&s, tar, false, &o, &err), 0);
		CHECK(s && !cs_scan_base(s));
		cs_scan_free(s);
	}
out:
	rm_tree(dir);
}

TEST(scan_label_inherited)
{
	const cf_entry *layers[] = {alpine_l0, app_l1, app_l2};
	/* the label was set by the base's own build, before its CMD: it names the base's base */
	static const char hist[] =
		"[{\"created_by\":\"ADD rootfs.tar / # buildkit\"},"
		"{\"created_by\":\"LABEL org.opencontainers.image.base.name=scratch\",\"empty_layer\":true},"
		"{\"created_by\":\"CMD [\\\"/bin/sh\\\"]\",\"empty_layer\":true},"
		"{\"created_by\":\"COPY requirements.txt /app/ # buildkit\"},"
		"{\"created_by\":\"COPY main.py /app/ # buildkit\"}]";
	char dir[256], tar[512];
	cs_scan *s;
	cs_err err;

	if (!cf_tmpdir(dir, sizeof(dir), "base-label"))
		return;
	snprintf(tar, sizeof(tar), "%s/app.tar", dir);
	if (write_image(tar, layers, 3, hist, "{\"org.opencontainers.image.base.name\":\"scratch\"}") &&
	    (s = scan_at(tar, NULL, at(2025, 1, 1, 0, 0, 0), &err))) {
		CHECK_STR(cs_scan_base(s)->name, "alpine:3.10"); /* the OS release instead */
		CHECK_INT(cs_scan_base(s)->eol, 1);
		cs_scan_free(s);
	}
	rm_tree(dir);
}

TEST(scan_catalog)
{
	const cf_entry *layers[] = {alpine_l0, app_l1, app_l2};
	char dir[256], tar[512], cat[512], text[4096];
	cs_image *img = NULL;
	cs_limits lim;
	cs_scan *s;
	cs_err err;

	if (!cf_tmpdir(dir, sizeof(dir), "base-cat"))
		return;
	snprintf(tar, sizeof(tar), "%s/app.tar", dir);
	snprintf(cat, sizeof(cat), "%s/bases.yaml", dir);
	cs_limits_default(&lim);
	cs_err_clear(&err);
	if (!write_image(tar, layers, 3, app_history, "{\"org.opencontainers.image.base.name\":\"alpine:3.10\"}") ||
	    cs_image_open(&img, tar, NULL, &lim, &err) < 0)
		goto out;
	/* the root layer approved, the first two layers (a base built on it) known but not approved */
	snprintf(text, sizeof(text),
		 "images:\n"
		 "  - {name: alpine, tag: \"3.10\", diff_ids: [%s], approved: true}\n"
		 "  - {name: example/python-base, tag: \"1\", diff_ids: [%s, %s]}\n",
		 img->layers[0].diff_id, img->layers[0].diff_id, img->layers[1].diff_id);
	cf_put(dir, "bases.yaml", text);
	s = scan_at(tar, cat, at(2020, 1, 1, 0, 0, 0), &err);
	CHECK(s != NULL);
	if (s) {
		const cs_base *b = cs_scan_base(s);

		CHECK_STR(b->method, "catalog");
		CHECK_STR(b->name, "example/python-base:1");
		CHECK_INT(b->last_layer, 1);
		CHECK(!b->approved);
		CHECK_INT(b->eol, 0);
		cs_scan_free(s);
	}
	/* only the root entry: it matches, approved */
	snprintf(text, sizeof(text), "[{\"name\": \"alpine\", \"tag\": \"3.10\", \"diff_ids\": [\"%s\"], \"approved\": true}]",
		 img->layers[0].diff_id);
	cf_put(dir, "bases.yaml", text);
	s = scan_at(tar, cat, 0, &err);
	if (s) {
		CHECK_STR(cs_scan_base(s)->name, "alpine:3.10");
		CHECK_INT(cs_scan_base(s)->last_layer, 0);
		CHECK(cs_scan_base(s)->approved);
		CHECK_INT(cs_scan_base(s)->eol, 1); /* 0: the clock, long past 2021 */
		cs_scan_free(s);
	} else {
		CHECK(!"scan failed");
	}
	/* no entry matches: the history decides */
	cf_put(dir, "bases.yaml", "[{\"name\": \"other\", \"diff_ids\": [\"" DA "\"], \"approved\": true}]");
	s = scan_at(tar, cat, 0, &err);
	if (s) {
		CHECK_STR(cs_scan_base(s)->method, "history");
		CHECK(!cs_scan_base(s)->approved);
		cs_scan_free(s);
	}
	/* a malformed catalog fails the scan with one line naming it */
	cf_put(dir, "bases.yaml", "[{\"name\": \"other\", \"diff_ids\": [\"sha256:12\"]}]");
	s = scan_at(tar, cat, 0, &err);
	CHECK(s == NULL);
	CHECK(strstr(err.msg, "base catalog '") && strstr(err.msg, "bases.yaml'") && strstr(err.msg, "diff_ids[0]"));
	/* and a missing one too */
	s = scan_at(tar, "/nonexistent/bases.json", 0, &err);
	CHECK(s == NULL && err.code == CS_ENOTFOUND && strstr(err.msg, "/nonexistent/bases.json"));
out:
	cs_image_free(img);
	rm_tree(dir);
}

TEST(scan_rootfs)
{
	char dir[256];
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;

	if (!cf_tmpdir(dir, sizeof(dir), "base-rootfs"))
		return;
	cf_put(dir, "etc/os-release", "ID=ubuntu\nVERSION_ID=\"18.04\"\nVERSION_CODENAME=bionic\n");
	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_BASE;
	o.now = at(2024, 1, 1, 0, 0, 0);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_run(&s, dir, true, &o, &err), 0);
	if (s && cs_scan_base(s)) {
		const cs_base *b = cs_scan_base(s);

		CHECK_INT(b->last_layer, -1); /* no layers to split */
		CHECK_STR(b->method, NULL);
		CHECK_STR(b->name, "ubuntu:18.04");
		CHECK_STR(b->eol_date, "2023-05-31");
		CHECK_INT(b->eol, 1);
	}
	cs_scan_free(s);
	rm_tree(dir);
}

/* --- the split and the table ------------------------------------------------------------- */

static cs_package *pkg_at(cs_scan *s, const char *name, int layer)
{
	cs_package *p = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*p));

	p->type = "apk";
	p->name = p->source_name = name;
	p->version = p->source_version = "1.0-r0";
	p->layer = layer;
	cs_scan_add_package(s, p);
	return p;
}

static void vuln_of(cs_scan *s, const cs_package *p, const char *id, const char *fixed, bool suppressed)
{
	cs_vuln *v = cs_arena_calloc(cs_scan_arena(s), 1, sizeof(*v));

	v->id = id;
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = fixed;
	v->status = fixed ? "fixed" : "affected";
	v->severity = "high";
	v->kev = -1;
	v->epss_score = v->epss_percentile = -1;
	if (suppressed) {
		v->suppressed.kind = "ignore";
		v->suppressed.reason = "accepted";
	}
	cs_scan_add_vuln(s, v);
}

TEST(split_and_table)
{
	const cf_entry *layers[] = {alpine_l0, app_l1, app_l2};
	char dir[256], tar[512];
	cs_report_opts ro = {false, 100, 0};
	cs_base_split sp;
	cs_scan *s;
	cs_err err;
	char *text = NULL;
	size_t len;
	FILE *f;

	if (!cf_tmpdir(dir, sizeof(dir), "base-split"))
		return;
	snprintf(tar, sizeof(tar), "%s/app.tar", dir);
	if (!write_image(tar, layers, 3, app_history, NULL) || !(s = scan_at(tar, NULL, at(2025, 1, 1, 0, 0, 0), &err)))
		goto out;
	{
		cs_package *musl = pkg_at(s, "musl", 0), *ssl = pkg_at(s, "libssl1.1", 0), *flask = pkg_at(s, "flask", 2),
			   *lost = pkg_at(s, "unknown-layer", -1);

		vuln_of(s, musl, "CVE-2019-14697", "1.1.22-r3", false);
		vuln_of(s, ssl, "CVE-2019-1549", "1.1.1d-r0", false);
		vuln_of(s, ssl, "CVE-2019-1563", NULL, false);
		vuln_of(s, ssl, "CVE-2019-1547", "1.1.1d-r0", true); /* suppressed: counts nowhere */
		vuln_of(s, flask, "CVE-2023-30861", "2.3.2", false);
		vuln_of(s, lost, "CVE-2000-0001", "2", false);
	}
	cs_scan_sort_vulns(s);
	cs_base_split_vulns(s, cs_scan_base(s), &sp);
	CHECK_INT(sp.base, 3);
	CHECK_INT(sp.application, 2);
	CHECK_INT(sp.fixed_by_rebuild, 2);
	/* no base: everything is the application's */
	cs_base_split_vulns(s, NULL, &sp);
	CHECK_INT(sp.base, 0);
	CHECK_INT(sp.application, 5);
	f = open_memstream(&text, &len);
	cs_err_clear(&err);
	CHECK_INT(cs_report_table(f, s, &ro, &err), 0);
	fclose(f);
	CHECK(text && strstr(text, "\nBase image\n  Name      alpine:3.10 (history)\n"));
	CHECK(text && strstr(text, "  OS        alpine 3.10.4, END OF LIFE (support ended 2021-05-01)\n"));
	CHECK(text && strstr(text, "  Layers    0-0 of 3\n"));
	CHECK(text && strstr(text, "  3 of 5 vulnerabilities come from the base; rebuilding on a patched base fixes 2\n"));
	if (test_failures && text)
		fprintf(stderr, "%s", text);
	free(text);
	cs_scan_free(s);
out:
	rm_tree(dir);
}

TEST_MAIN(TEST_ENTRY(terminators_and_root_steps), TEST_ENTRY(history_boundary), TEST_ENTRY(history_huge),
	  TEST_ENTRY(catalog_longest_prefix), TEST_ENTRY(catalog_ties), TEST_ENTRY(catalog_yaml),
	  TEST_ENTRY(catalog_labels), TEST_ENTRY(catalog_malformed), TEST_ENTRY(catalog_absurd_sizes),
	  TEST_ENTRY(catalog_put_save_load), TEST_ENTRY(catalog_record_round_trip), TEST_ENTRY(catalog_default_path),
	  TEST_ENTRY(release_keys), TEST_ENTRY(eol_table), TEST_ENTRY(eol_before_and_after), TEST_ENTRY(distro_info_csv),
	  TEST_ENTRY(eol_files_first), TEST_ENTRY(eol_table_agrees_with_distro_info), TEST_ENTRY(scan_history_label_eol),
	  TEST_ENTRY(scan_label_inherited), TEST_ENTRY(scan_catalog), TEST_ENTRY(scan_rootfs),
	  TEST_ENTRY(split_and_table))
