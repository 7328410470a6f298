/*
 * test_scan_secrets.c - the secret scanner inside a scan (src/scan/secrets.c,
 * the read taps of image/layer.c and image/rootfs.c), on docker archives
 * and root filesystems built by the test:
 *
 *  - layers: a key in a file the next layer deletes and a token in a file a
 *    later layer rewrites are reported in the layer that wrote them, with the
 *    layer that hid them; a clean layer adds nothing;
 *  - past the analyzers' size cap: a file too big for the python cataloger
 *    is still streamed whole through the secret scanner (one read for both);
 *  - rootfs: no layers, no removed_in;
 *  - scanners: without "secret" nothing is scanned;
 *  - lane: matching on a second thread (the default) finds exactly what the
 *    walker's own thread finds with --jobs 1, over many small files, files
 *    bigger than the lane's ring (so the walker waits for room) and secrets
 *    split across the lane's records.
 */
#include "core/compat.h"

#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"

#define KEY_ID "AKIAZ3MSJV4WWNKWW5FG"
#define KEY_SECRET "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"
#define GH_TOKEN "ghp_R8tYq2LmZ4xW7vN1cK9pB3sD6fH0jG5aE2uQ"

/* The finding of rule at path, or NULL. */
static const cs_secret *find(const cs_scan *s, const char *rule, const char *path)
{
	size_t i;

	for (i = 0; i < cs_scan_secret_count(s); i++) {
		const cs_secret *f = cs_scan_secret(s, i);

		if (strcmp(f->rule_id, rule) == 0 && strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

/* No finding anywhere shows the secret. */
static void check_redacted(const cs_scan *s, const char *secret)
{
	size_t i;

	for (i = 0; i < cs_scan_secret_count(s); i++)
		CHECK(strstr(cs_scan_secret(s, i)->match, secret) == NULL);
}

TEST(layers)
{
	static const cf_entry l0[] = {
		CF_DIR("app/"),
		CF_TEXT("app/creds", "[default]\naws_access_key_id = " KEY_ID "\naws_secret_access_key = " KEY_SECRET "\n"),
		CF_TEXT("app/token.txt", "GITHUB_TOKEN=" GH_TOKEN "\n"),
		CF_END,
	};
	static const cf_entry l1[] = {
		CF_TEXT("app/.wh.creds", ""),
		CF_TEXT("app/token.txt", "GITHUB_TOKEN=\n"),
		CF_END,
	};
	static const cf_entry l2[] = {CF_TEXT("etc/motd", "hello\n"), CF_END};
	const cf_entry *const layers[] = {l0, l1, l2};
	const cs_secret *f;
	cs_scan *s = cf_scan_layers("secrets", layers, 3, 2);

	if (!s)
		return;
	CHECK(cs_scan_secrets_ran(s));
	CHECK_INT(cs_scan_secret_count(s), 3);
	CHECK((f = find(s, "aws-access-key-id", "app/creds")) != NULL);
	if (f) {
		CHECK_INT(f->layer, 0);
		CHECK_INT(f->removed_in, 1); /* deleted by layer 1: still in the image */
		CHECK_INT(f->line, 2);
	}
	CHECK((f = find(s, "aws-secret-access-key", "app/creds")) != NULL);
	if (f)
		CHECK_INT(f->removed_in, 1);
	CHECK((f = find(s, "github-pat", "app/token.txt")) != NULL);
	if (f) {
		CHECK_INT(f->layer, 0);
		CHECK_INT(f->removed_in, 1); /* rewritten clean by layer 1 */
	}
	check_redacted(s, KEY_SECRET);
	check_redacted(s, GH_TOKEN + 8);
	cs_scan_free(s);
}

/*
 * A file over the analyzers' cap: the python cataloger skips it, the secret
 * scanner reads it all. (An egg-info file outside site-packages: metadata
 * inside third-party trees is documentation the "vendored-docs" allow rule
 * passes over, docs/secrets.md.)
 */
TEST(past_the_cap)
{
	char root[64], path[4096];
	cs_buf big;
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	size_t i;

	if (!cf_tmpdir(root, sizeof(root), "secret-cap"))
		return;
	cs_buf_init(&big, 0);
	cs_buf_puts(&big, "Metadata-Version: 2.1\nName: big\nVersion: 1.0\n\n");
	for (i = 0; i < 2000; i++)
		cs_buf_puts(&big, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n");
	cs_buf_puts(&big, "token: " GH_TOKEN "\n");
	snprintf(path, sizeof(path), "%s/app/big-1.0.egg-info", root);
	CHECK(cf_write(path, big.data, big.len));
	cs_scan_opts_default(&o);
	o.limits.max_file = 4096;
	cs_err_clear(&err);
	CHECK_INT(cs_scan_run(&s, root, true, &o, &err), 0);
	if (s) {
		const cs_secret *f = find(s, "github-pat", "app/big-1.0.egg-info");

		CHECK(f != NULL);
		if (f) {
			CHECK_INT(f->line, 2005);
			CHECK_INT(f->layer, -1);
			CHECK_INT(f->removed_in, -1);
		}
		CHECK(cf_diag_has(s, "app/big-1.0.egg-info", "analyzed"));
		CHECK_INT(cf_scan_count(s, "pypi", NULL), 0);
	}
	cs_scan_free(s);
	/* Without the secret scanner: nothing scanned, nothing reported. */
	s = NULL;
	o.scanners = CS_SCANNER_VULN;
	CHECK_INT(cs_scan_run(&s, root, true, &o, &err), 0);
	if (s) {
		CHECK(!cs_scan_secrets_ran(s));
		CHECK_INT(cs_scan_secret_count(s), 0);
	}
	cs_scan_free(s);
	cs_buf_release(&big);
	rm_tree(root);
}

/* "rule path line column" of every finding, one a line. */
static void findings_text(const cs_scan *s, cs_buf *out)
{
	size_t i;

	for (i = 0; i < cs_scan_secret_count(s); i++) {
		const cs_secret *f = cs_scan_secret(s, i);

		cs_buf_printf(out, "%s %s %llu %llu %s\n", f->rule_id, f->path, (unsigned long long)f->line,
			      (unsigned long long)f->column, f->match);
	}
}

TEST(lane)
{
	char root[64], path[4096];
	cs_buf big, one, four;
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	size_t i, n = 0;

	if (!cf_tmpdir(root, sizeof(root), "secret-lane"))
		return;
	/* 400 small files, every seventh with a secret */
	for (i = 0; i < 400; i++) {
		snprintf(path, sizeof(path), "%s/etc/conf.d/f%03zu.env", root, i);
		CHECK(cf_write(path, i % 7 ? "NAME=value\n" : "AWS_ACCESS_KEY_ID=" KEY_ID "\n",
			       i % 7 ? 11 : strlen("AWS_ACCESS_KEY_ID=" KEY_ID "\n")));
		n += i % 7 == 0;
	}
	/* 9 MiB: more than the lane's ring and its records, a token at the end of each MiB */
	cs_buf_init(&big, 0);
	while (big.len < (9u << 20)) {
		size_t target = big.len + (1u << 20) - 50;

		while (big.len < target)
			cs_buf_puts(&big, "lorem ipsum dolor sit amet consectetur adipiscing\n");
		cs_buf_puts(&big, "token: " GH_TOKEN "\n");
		n++;
	}
	snprintf(path, sizeof(path), "%s/srv/big.log", root);
	CHECK(cf_write(path, big.data, big.len));
	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_SECRET;
	cs_buf_init(&one, 0);
	cs_buf_init(&four, 0);
	o.jobs = 1;
	cs_err_clear(&err);
	CHECK_INT(cs_scan_run(&s, root, true, &o, &err), 0);
	if (s)
		findings_text(s, &one);
	CHECK_INT(s ? cs_scan_secret_count(s) : 0, n);
	cs_scan_free(s);
	s = NULL;
	o.jobs = 4;
	CHECK_INT(cs_scan_run(&s, root, true, &o, &err), 0);
	if (s)
		findings_text(s, &four);
	cs_scan_free(s);
	CHECK_INT(one.len, four.len);
	CHECK(one.len && four.len == one.len && !memcmp(one.data, four.data, one.len));
	cs_buf_release(&big);
	cs_buf_release(&one);
	cs_buf_release(&four);
	rm_tree(root);
}

TEST_MAIN(TEST_ENTRY(layers), TEST_ENTRY(past_the_cap), TEST_ENTRY(lane))
