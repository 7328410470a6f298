/*
 * test_audit.c - the image configuration audit (src/audit/audit.c,
 * image.c, shell.c, files.c):
 *
 *  - names: which environment and build-argument names hold secrets;
 *  - config: User, ExposedPorts (with CUSTOMS_AUDIT_PORTS), Healthcheck and
 *    Env, each check firing and not;
 *  - steps: one history step at a time, table-driven, in docker's and
 *    BuildKit's shapes: which checks fire, never the secret in a message;
 *    build arguments reported once; their values hidden in created_by;
 *  - shell: the splitter's commands, pipelines, quotes and redirections;
 *  - accounts: empty passwords (login shells only), duplicate UIDs, UID 0
 *    aliases, comments and NIS lines, NUL bytes, a huge file (capped);
 *  - scans of archives built here: files checks with the layer that wrote
 *    each file, setuid files deleted or cleared by a later layer (not
 *    reported), package ownership and merged /usr, history mapped to
 *    layers around empty_layer steps, caps with a summary, a root
 *    filesystem (no layers), the scanner turned off, hostile input (an
 *    account file over the cap, absurd history).
 */
#include "core/compat.h"

#include "audit/audit_int.h"
#include "core/json.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"

/* --- helpers ---------------------------------------------------------------------- */

/* The sorted distinct ids a collector holds, joined by ','. */
static void ids_of(const cs_audit *a, char *out, size_t n)
{
	const char *ids[64];
	size_t k = 0, i, j, used = 0;

	for (i = 0; i < a->found.len && k < 64; i++) {
		const cs_misconfig *m = a->found.items[i];

		for (j = 0; j < k && strcmp(ids[j], m->id); j++)
			;
		if (j == k)
			ids[k++] = m->id;
	}
	qsort(ids, k, sizeof(*ids), cf_cmp_str);
	out[0] = '\0';
	for (i = 0; i < k; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "", ids[i]);
}

/* Whether any message of a holds s. */
static bool message_has(const cs_audit *a, const char *s)
{
	size_t i;

	for (i = 0; i < a->found.len; i++)
		if (strstr(((const cs_misconfig *)a->found.items[i])->message, s))
			return true;
	return false;
}

/* The misconfigurations of scan s with id at path, counted. */
static size_t count_of(const cs_scan *s, const char *id, const char *path)
{
	size_t i, n = 0;

	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);

		n += strcmp(m->id, id) == 0 && (!path || cf_str_eq(m->path, path));
	}
	return n;
}

static const cs_misconfig *find(const cs_scan *s, const char *id, const char *path)
{
	size_t i;

	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);

		if (strcmp(m->id, id) == 0 && cf_str_eq(m->path, path))
			return m;
	}
	return NULL;
}

/* One entry of a layer: 'f' file (text, or len bytes), 'd' directory, 'l' symlink (data is the target). */
typedef struct ae {
	char kind;
	const char *path;
	const void *data;
	size_t len;
	unsigned mode;
} ae;

#define AF(p, t, m) {'f', (p), (t), 0, (m)}
#define AD(p, m) {'d', (p), NULL, 0, (m)}
#define AL(p, t) {'l', (p), (t), 0, 0777}
#define AEND {0, NULL, NULL, 0, 0}

/*
 * Writes a docker-save archive of the layers to path; extra is spliced into
 * the config object (",\"config\":{...},\"history\":[...]" or "").
 */
static bool write_image(const char *path, const ae *const *layers, size_t n, const char *extra)
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
	cs_buf_printf(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\"%s,\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[",
		      extra);
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"audit-test:1\"],\"Layers\":[");
	for (i = 0; i < n && ok; i++) {
		const ae *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++) {
			if (e->kind == 'd')
				tb_entry(&t, e->path, AE_IFDIR, e->mode ? e->mode : 0755, NULL, 0, NULL, NULL);
			else if (e->kind == 'l')
				tb_entry(&t, e->path, AE_IFLNK, 0777, NULL, 0, e->data, NULL);
			else
				tb_entry(&t, e->path, AE_IFREG, e->mode ? e->mode : 0644, e->data,
					 e->len ? e->len : strlen(e->data), NULL, NULL);
		}
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

/* Scans an image of the layers with the config extra; NULL (and a failure) when the scan fails. */
static cs_scan *scan_image(const char *what, const ae *const *layers, size_t n, const char *extra, unsigned scanners)
{
	char path[256];
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;

	if (!cf_tmpfile(path, sizeof(path), what, ".tar"))
		return NULL;
	if (write_image(path, layers, n, extra)) {
		cs_scan_opts_default(&o);
		o.scanners = scanners;
		o.jobs = 2;
		cs_err_clear(&err);
		if (cs_scan_run(&s, path, false, &o, &err) < 0) {
			fprintf(stderr, "  scan of '%s' failed: %s\n", what, err.msg);
			test_failures++;
			cs_scan_free(s);
			s = NULL;
		}
	}
	unlink(path);
	return s;
}

/* --- names -------------------------------------------------------------------------- */

TEST(secret_names)
{
	static const struct {
		const char *name;
		bool secret;
	} cases[] = {
		{"DB_PASSWORD", true},       {"POSTGRES_PASSWORD", true},  {"password", true},
		{"MYSQL_ROOT_PASS", true},   {"PASS", true},               {"SMTP_PASSWD", true},
		{"API_KEY", true},           {"STRIPE_APIKEY", true},      {"GITHUB_TOKEN", true},
		{"NPM_TOKEN", true},         {"SECRET_KEY_BASE", true},    {"AWS_SECRET_ACCESS_KEY", true},
		{"JWT_PRIVATE_KEY", true},   {"GPG_PASSPHRASE", true},     {"GOOGLE_CREDENTIALS", true},
		{"DB_PASSWORD_FILE", false}, {"TOKEN_URL", false},         {"AWS_ACCESS_KEY_ID", false},
		{"PASSTHROUGH", false},      {"PATH", false},              {"PWD", false},
		{"GPG_KEY", false},          {"PYTHON_SHA256", false},     {"COMPASS_HOME", false},
		{"SECRET_NAME", false},      {"TOKEN_TTL", false},         {"VAULT_TOKEN_PATH", false},
		{"", false},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++)
		if (cs_audit_secret_name(cases[i].name, strlen(cases[i].name)) != cases[i].secret) {
			fprintf(stderr, "  %s: want %s\n", cases[i].name, cases[i].secret ? "secret" : "not secret");
			test_failures++;
		}
}

/* --- config ------------------------------------------------------------------------- */

/* The ids cs_audit_config finds in the config document json (with uid0 accounts). */
static void config_ids(const char *json, const char *ports, const char *uid0, char *out, size_t n)
{
	cs_arena arena;
	cs_audit a;
	cJSON *doc = cJSON_Parse(json);
	const char *names[1] = {uid0};

	CHECK(doc != NULL);
	cs_arena_init(&arena);
	cs_audit_init(&a, &arena);
	if (ports)
		CHECK_INT(cs_audit_add_ports(&a, ports), 0);
	if (uid0) {
		a.uid0 = names;
		a.nuid0 = 1;
	}
	cs_audit_config(&a, doc, 0);
	ids_of(&a, out, n);
	cs_audit_release(&a);
	cs_arena_release(&arena);
	cJSON_Delete(doc);
}

TEST(config)
{
	/* everything set right: only what the case adds fires */
#define OK_HC "\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"true\"]}"
	static const struct {
		const char *config;
		const char *ports;
		const char *uid0;
		const char *want;
	} cases[] = {
		{"{}", NULL, NULL, "CS-IMG-001,CS-IMG-003"},
		{"{\"config\":{\"User\":\"\"," OK_HC "}}", NULL, NULL, "CS-IMG-001"},
		{"{\"config\":{\"User\":\"root\"," OK_HC "}}", NULL, NULL, "CS-IMG-001"},
		{"{\"config\":{\"User\":\"0\"," OK_HC "}}", NULL, NULL, "CS-IMG-001"},
		{"{\"config\":{\"User\":\"00:0\"," OK_HC "}}", NULL, NULL, "CS-IMG-001"},
		{"{\"config\":{\"User\":\"root:wheel\"," OK_HC "}}", NULL, NULL, "CS-IMG-001"},
		{"{\"config\":{\"User\":\":1000\"," OK_HC "}}", NULL, NULL, "CS-IMG-001"},
		{"{\"config\":{\"User\":\"toor\"," OK_HC "}}", NULL, "toor", "CS-IMG-001"},
		{"{\"config\":{\"User\":\"app\"," OK_HC "}}", NULL, "toor", ""},
		{"{\"config\":{\"User\":\"1000:0\"," OK_HC "}}", NULL, NULL, ""},
		{"{\"config\":{\"User\":\"10\"," OK_HC "}}", NULL, NULL, ""},
		{"{\"config\":{\"User\":\"rootless\"," OK_HC "}}", NULL, NULL, ""},
		/* health checks */
		{"{\"config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[\"NONE\"]}}}", NULL, NULL, "CS-IMG-003"},
		{"{\"config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[]}}}", NULL, NULL, "CS-IMG-003"},
		{"{\"config\":{\"User\":\"app\",\"Healthcheck\":{\"Interval\":1}}}", NULL, NULL, "CS-IMG-003"},
		/* ports */
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"22/tcp\":{}}}}", NULL, NULL, "CS-IMG-002"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"3389/udp\":{}}}}", NULL, NULL, "CS-IMG-002"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"23\":{}}}}", NULL, NULL, "CS-IMG-002"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"20-30/tcp\":{}}}}", NULL, NULL, "CS-IMG-002"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"8080/tcp\":{},\"443/tcp\":{}}}}", NULL, NULL, ""},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"8080/tcp\":{}}}}", "8080,5900/tcp", NULL,
		 "CS-IMG-002"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"ExposedPorts\":{\"x22/tcp\":{},\"22x\":{},\"99999\":{},"
		 "\"30-20/tcp\":{}}}}",
		 NULL, NULL, ""},
		/* Env */
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"Env\":[\"DB_PASSWORD=x\"]}}", NULL, NULL, "CS-IMG-004"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"Env\":[\"API_KEY= abc \"]}}", NULL, NULL, "CS-IMG-004"},
		{"{\"config\":{\"User\":\"app\"," OK_HC ",\"Env\":[\"DB_PASSWORD=\",\"DB_PASSWORD_FILE=/run/secrets/db\","
		 "\"PASSWORD=/run/secrets/pw\",\"TOKEN=''\",\"AWS_ACCESS_KEY_ID=AKIA\",\"PATH=/bin\",\"=x\",\"NOEQUALS\",7]}}",
		 NULL, NULL, ""},
		/* not an object where one is expected: nothing crashes, defaults apply */
		{"{\"config\":[],\"history\":{}}", NULL, NULL, "CS-IMG-001,CS-IMG-003"},
		{"{\"config\":{\"User\":7,\"ExposedPorts\":[\"22/tcp\"],\"Env\":{\"A\":\"b\"},\"Healthcheck\":\"x\"}}", NULL,
		 NULL, "CS-IMG-001,CS-IMG-003"},
	};
	char got[512];
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		config_ids(cases[i].config, cases[i].ports, cases[i].uid0, got, sizeof(got));
		if (strcmp(got, cases[i].want)) {
			fprintf(stderr, "  config case %zu %s: got '%s', want '%s'\n", i, cases[i].config, got, cases[i].want);
			test_failures++;
		}
	}
#undef OK_HC
}

TEST(ports_spec)
{
	cs_arena arena;
	cs_audit a;
	size_t i;

	cs_arena_init(&arena);
	cs_audit_init(&a, &arena);
	CHECK_INT(a.nports, 3);
	CHECK_INT(cs_audit_add_ports(&a, "2375, 2376/tcp 5900,,"), 0);
	CHECK_INT(a.nports, 6);
	CHECK_INT(a.ports[5], 5900);
	CHECK_INT(cs_audit_add_ports(&a, "0,65536,abc,12x,1234567,80"), 5);
	CHECK_INT(a.nports, 7);
	for (i = 0; i < 100; i++)
		cs_audit_add_ports(&a, "81");
	CHECK_INT(a.nports, CS_AUDIT_MAX_PORTS);
	cs_audit_release(&a);
	cs_arena_release(&arena);
}

/* --- steps -------------------------------------------------------------------------- */

typedef struct step_case {
	const char *by;
	const char *want; /* ids, sorted, ',' separated */
} step_case;

static void step_ids(const char *by, const cJSON *env, char *out, size_t n)
{
	cs_arena arena;
	cs_audit a;

	cs_arena_init(&arena);
	cs_audit_init(&a, &arena);
	cs_audit_env(&a, env);
	cs_audit_step(&a, by, 3, 1);
	ids_of(&a, out, n);
	CHECK(!a.nomem);
	cs_audit_release(&a);
	cs_arena_release(&arena);
}

static void check_steps(const step_case *c, size_t n, const cJSON *env)
{
	char got[512];
	size_t i;

	for (i = 0; i < n; i++) {
		step_ids(c[i].by, env, got, sizeof(got));
		if (strcmp(got, c[i].want)) {
			fprintf(stderr, "  step '%s': got '%s', want '%s'\n", c[i].by, got, c[i].want);
			test_failures++;
		}
	}
}

TEST(steps_apt_apk)
{
	static const step_case cases[] = {
		{"RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* # buildkit", ""},
		{"/bin/sh -c apt-get update && apt-get install curl", "CS-IMG-013,CS-IMG-014,CS-IMG-015"},
		{"/bin/sh -c apt-get install -y curl", "CS-IMG-014"},
		{"/bin/sh -c apt-get install --no-install-recommends curl", "CS-IMG-013"},
		{"/bin/sh -c apt install -qy --no-install-recommends curl", ""},
		{"/bin/sh -c apt-get -qq install --no-install-recommends curl", ""},
		{"/bin/sh -c apt-get --assume-yes -o APT::Install-Recommends=false install x", ""},
		{"/bin/sh -c DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends x", ""},
		{"/bin/sh -c aptitude install x", "CS-IMG-013"},
		{"RUN /bin/sh -c apt-get update # buildkit", "CS-IMG-018"},
		{"RUN /bin/sh -c set -eux; apt-get update # buildkit", "CS-IMG-018"},
		{"/bin/sh -c apt-get update && apt-get install -y --no-install-recommends x", "CS-IMG-015"},
		{"/bin/sh -c apt-get update && apt-get install -y --no-install-recommends x && apt-get clean", "CS-IMG-015"},
		{"/bin/sh -c apt-get update && apt-get install -y --no-install-recommends x; find /var/lib/apt/lists -delete", ""},
		{"RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt /bin/sh -c apt-get update && apt-get install -y --no-install-recommends x # buildkit", ""},
		{"RUN /bin/sh -c apk add --no-cache curl # buildkit", ""},
		{"RUN /bin/sh -c apk --no-cache add curl # buildkit", ""},
		{"RUN /bin/sh -c apk add curl # buildkit", "CS-IMG-016"},
		{"RUN /bin/sh -c apk add -t .deps curl && rm -rf /var/cache/apk/* # buildkit", ""},
		{"RUN /bin/sh -c apk update && apk add curl # buildkit", "CS-IMG-016"},
		{"RUN /bin/sh -c apk update # buildkit", "CS-IMG-018"},
		{"RUN --mount=type=cache,target=/var/cache/apk /bin/sh -c apk add curl # buildkit", ""},
		{"/bin/sh -c yum makecache", "CS-IMG-018"},
		{"/bin/sh -c zypper refresh", "CS-IMG-018"},
		/* upgrades */
		{"/bin/sh -c apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*", "CS-IMG-017"},
		{"/bin/sh -c apt-get -y dist-upgrade", "CS-IMG-017"},
		{"/bin/sh -c apt full-upgrade -y", "CS-IMG-017"},
		{"/bin/sh -c apk upgrade --no-cache", "CS-IMG-017"},
		{"/bin/sh -c apk add --no-cache --upgrade busybox", ""},
		{"/bin/sh -c yum -y update && yum clean all", "CS-IMG-017"},
		{"/bin/sh -c dnf upgrade -y", "CS-IMG-017"},
		{"/bin/sh -c microdnf update", "CS-IMG-017"},
		{"/bin/sh -c yum install -y --setopt=tsflags=nodocs httpd", ""},
		{"/bin/sh -c zypper -n up", "CS-IMG-017"},
		{"/bin/sh -c zypper -n install curl", ""},
	};

	check_steps(cases, CS_ARRAY_LEN(cases), NULL);
}

TEST(steps_pipes_sudo_chmod)
{
	static const step_case cases[] = {
		{"/bin/sh -c curl -fsSL https://x.invalid/i.sh | sh", "CS-IMG-011"},
		{"RUN /bin/sh -c curl -fsSL https://x.invalid/i.sh | sudo bash -s -- --yes # buildkit", "CS-IMG-011,CS-IMG-012"},
		{"/bin/sh -c wget -qO- https://x.invalid/i.sh | sh", "CS-IMG-011"},
		{"/bin/sh -c wget -O - https://x.invalid/i.sh | /bin/bash", "CS-IMG-011"},
		{"/bin/sh -c wget --output-document=- https://x.invalid/i.py | python3", "CS-IMG-011"},
		{"/bin/sh -c wget https://x.invalid/i.sh && sh i.sh", ""},
		{"/bin/sh -c wget -q https://x.invalid/i.sh | tee log", ""},
		{"/bin/sh -c sh -c \"$(curl -fsSL https://x.invalid/i.sh)\"", "CS-IMG-011"},
		{"/bin/bash -c bash <(curl -s https://x.invalid/i.sh)", "CS-IMG-011"},
		{"/bin/sh -c curl -s https://x.invalid/a 2>&1 | tee log", ""},
		{"/bin/sh -c curl -s https://x.invalid/a 2>&1 | sh", "CS-IMG-011"},
		{"/bin/sh -c curl -fsSL https://x.invalid/key | gpg --dearmor -o /k.gpg", ""},
		{"/bin/sh -c curl -s https://x.invalid/a | grep x | sh", "CS-IMG-011"},
		{"/bin/sh -c echo curl | sh", ""},
		{"/bin/sh -c echo 'curl x | sh' > /notes", ""},
		{"/bin/sh -c echo \"a;b\" && curl https://x.invalid|sh", "CS-IMG-011"},
		{"/bin/sh -c curl -o /i.sh https://x.invalid/i.sh && sha256sum -c sums && sh /i.sh", ""},
		{"/bin/sh -c (cd /tmp && curl -sL https://x.invalid/i.sh | bash)", "CS-IMG-011"},
		{"/bin/sh -c curl https://x.invalid/i.sh \\\n | sh", "CS-IMG-011"},
		{"/bin/sh -c sudo apt-get install -y --no-install-recommends x", "CS-IMG-012"},
		{"/bin/sh -c sudo -u app -E make", "CS-IMG-012"},
		{"/bin/sh -c env A=b sudo make", "CS-IMG-012"},
		{"/bin/sh -c apt-get install -y --no-install-recommends sudo && echo 'app ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/app", ""},
		{"/bin/sh -c chmod 777 /app", "CS-IMG-019"},
		{"/bin/sh -c chmod -R 777 /app", "CS-IMG-019"},
		{"/bin/sh -c chmod 0666 /app/log", "CS-IMG-019"},
		{"/bin/sh -c chmod a+rwx /app", "CS-IMG-019"},
		{"/bin/sh -c chmod u+x,o+w /app", "CS-IMG-019"},
		{"/bin/sh -c find /data -type d -exec chmod 0777 {} +", "CS-IMG-019"},
		{"/bin/sh -c chmod 1777 /scratch", ""},
		{"/bin/sh -c chmod a+rwxt /scratch", ""},
		{"/bin/sh -c chmod 755 /app && chmod +x /app/run && chmod u+s /app/x && chmod g+w /app", ""},
		{"/bin/sh -c chmod -R go-w /app", ""},
		{"/bin/sh -c chown 777 /app", ""},
		/* the exec form */
		{"RUN [\"/bin/sh\", \"-c\", \"curl https://x.invalid | sh\"] # buildkit", "CS-IMG-011"},
		{"RUN [\"apt-get\", \"install\", \"x\"] # buildkit", "CS-IMG-013,CS-IMG-014"},
		{"RUN [\"chmod\", \"777\", \"/it's\"] # buildkit", "CS-IMG-019"},
		{"RUN [\"not json # buildkit", ""},
	};

	check_steps(cases, CS_ARRAY_LEN(cases), NULL);
}

TEST(steps_add_and_secrets)
{
	static const step_case cases[] = {
		{"ADD https://example.invalid/x.tgz /opt/ # buildkit", "CS-IMG-010"},
		{"ADD --chown=1000:1000 --checksum=sha256:00 http://example.invalid/a /b # buildkit", "CS-IMG-010"},
		{"ADD [\"https://example.invalid/a\", \"/b\"] # buildkit", "CS-IMG-010"},
		{"/bin/sh -c #(nop) ADD https://example.invalid/x in /x ", "CS-IMG-010"},
		{"/bin/sh -c #(nop) ADD file:0123abcd in / ", ""},
		{"ADD rootfs.tar / # mmdebstrap --variant=minbase https://deb.debian.org/debian", ""},
		{"ADD app.tar.gz https://mistaken-destination.invalid/ # buildkit", ""},
		{"COPY https://example.invalid/a /b # buildkit", ""},
		{"/bin/sh -c #(nop) COPY file:0123 in /app ", ""},
		/* secrets */
		{"|1 DB_PASSWORD=s3cr3tv4lue /bin/sh -c make", "CS-IMG-005"},
		{"RUN |2 API_TOKEN=abcdef OTHER=x /bin/sh -c make # buildkit", "CS-IMG-005"},
		{"RUN --network=none |1 NPM_TOKEN=npm_abc /bin/sh -c npm ci # buildkit", "CS-IMG-005"},
		{"|1 DB_PASSWORD= /bin/sh -c make", ""},
		{"|2 VERSION=1.2 DB_PASSWORD_FILE=/run/secrets/db /bin/sh -c make", ""},
		{"|1 SECRET /bin/sh -c make", ""},
		{"ENV SECRET_KEY=abc", "CS-IMG-005"},
		{"ENV A=1 B=2 GITHUB_TOKEN=ghp_x", "CS-IMG-005"},
		{"/bin/sh -c #(nop)  ENV PASSWORD=hunter2", "CS-IMG-005"},
		{"ENV SECRET_KEY abc def", "CS-IMG-005"},
		{"ENV SECRET_KEY", ""},
		{"ENV SECRET_KEY=", ""},
		{"ARG GITHUB_TOKEN", ""},
		{"ARG GITHUB_TOKEN=abc", "CS-IMG-005"},
		{"ENV KEPT_PASSWORD=abc", ""}, /* left to CS-IMG-004: the final Env holds it */
		/* not a step in any shape: nothing */
		{"", ""},
		{"   ", ""},
		{"RUN", ""},
		{"|", ""},
		{"|99999999999999999999999 A=b", ""},
		{"/bin/sh -c", ""},
		{"/bin/sh -c #(nop)", ""},
		{"/bin/sh -c #(nop) ", ""},
		{"ADD", ""},
		{"ADD https://only-one-word.invalid", ""},
		{"ENVIRONMENTALLY_LONG_INSTRUCTION_NAME x", ""},
		{"\xff\xfe RUN \x01", ""},
		{"RUN /bin/sh -c '''\"\"\"\\", ""},
		{"RUN /bin/sh -c curl x |", ""},
		{"RUN /bin/sh -c | sh", ""},
		{"RUN /bin/sh -c ;;;&&&|||", ""},
	};
	cJSON *env = cJSON_Parse("[\"KEPT_PASSWORD=abc\",\"PATH=/bin\"]");

	check_steps(cases, CS_ARRAY_LEN(cases), env);
	cJSON_Delete(env);
}

/* Messages never hold a secret or the path, query or password of an ADD URL. */
TEST(messages)
{
	cs_arena arena;
	cs_audit a;
	const char *red;

	cs_arena_init(&arena);
	cs_audit_init(&a, &arena);
	cs_audit_step(&a, "ADD https://user:pw0rd@example.invalid:8443/a/b?token=T0K3N /x # buildkit", 4, 2);
	cs_audit_step(&a, "|1 DB_PASSWORD=s3cr3tv4lue /bin/sh -c make", 5, 3);
	cs_audit_step(&a, "|1 DB_PASSWORD=s3cr3tv4lue /bin/sh -c make install", 6, 4);
	cs_audit_step(&a, "ENV SETUP_TOKEN=t0k3nv4lue", 7, -1);
	CHECK_INT(a.found.len, 3); /* the build argument once, not once per step */
	CHECK(message_has(&a, "https://example.invalid:8443"));
	CHECK(!message_has(&a, "pw0rd") && !message_has(&a, "T0K3N") && !message_has(&a, "/a/b"));
	CHECK(message_has(&a, "DB_PASSWORD") && message_has(&a, "SETUP_TOKEN"));
	CHECK(!message_has(&a, "s3cr3tv4lue") && !message_has(&a, "t0k3nv4lue"));
	CHECK_INT(((const cs_misconfig *)a.found.items[1])->layer, 3);
	CHECK_STR(((const cs_misconfig *)a.found.items[1])->path, "config:history[5]");
	CHECK_INT(((const cs_misconfig *)a.found.items[2])->layer, -1);

	/* created_by: the values hidden, the rest as written */
	red = cs_audit_redact_args(&a, "RUN |3 DB_PASSWORD=s3cr3t V=1 API_KEY=k3y /bin/sh -c make # buildkit");
	CHECK_STR(red, "RUN |3 DB_PASSWORD=***** V=1 API_KEY=***** /bin/sh -c make # buildkit");
	red = cs_audit_redact_args(&a, "|1 DB_PASSWORD=s3cr3t /bin/sh -c make");
	CHECK_STR(red, "|1 DB_PASSWORD=***** /bin/sh -c make");
	CHECK(cs_audit_redact_args(&a, "|1 VERSION=1 /bin/sh -c make") == NULL);
	CHECK(cs_audit_redact_args(&a, "RUN /bin/sh -c make # buildkit") == NULL);
	CHECK(cs_audit_redact_args(&a, "|") == NULL);
	cs_audit_release(&a);
	cs_arena_release(&arena);
}

/* --- shell -------------------------------------------------------------------------- */

TEST(shell_split)
{
	cs_arena a;
	cs_sh_cmd *c = NULL;
	char name[32];
	int n;
	const char *text = "A=1 B=2 make -j2 && curl -s 'https://x.invalid/a b' 2>&1 | sudo sh -s; echo \"x|y\" # c | d\n"
			   "tar \\\n  -xf x.tar & wait || true";

	cs_arena_init(&a);
	n = cs_sh_split(&a, text, strlen(text), &c);
	CHECK_INT(n, 7);
	if (n == 7) {
		CHECK_INT(c[0].argc, 2); /* assignments dropped */
		CHECK_STR(c[0].argv[0], "make");
		CHECK_STR(c[1].argv[2], "https://x.invalid/a b");
		CHECK_STR(c[1].argv[3], "2>&1");
		CHECK_INT(c[1].stage, 0);
		CHECK_INT(c[2].pipeline, c[1].pipeline);
		CHECK_INT(c[2].stage, 1);
		CHECK_STR(c[3].argv[1], "x|y");
		CHECK_INT(c[3].argc, 2); /* the comment is gone */
		CHECK_STR(c[4].argv[1], "-xf"); /* a continued line */
		CHECK_STR(c[5].argv[0], "wait");
		CHECK_STR(c[6].argv[0], "true");
		CHECK(c[4].pipeline != c[3].pipeline);
	}
	CHECK_STR(cs_sh_name("/usr/bin/curl", name, sizeof(name)), "curl");
	CHECK_STR(cs_sh_name("$(curl", name, sizeof(name)), "curl");
	CHECK_STR(cs_sh_name("sh)", name, sizeof(name)), "sh");
	CHECK_STR(cs_sh_name("`wget`", name, sizeof(name)), "wget");
	CHECK_STR(cs_sh_name("a-very-long-command-name-indeed", name, 8), "a-very-");
	CHECK_STR(cs_sh_name("", name, sizeof(name)), "");
	/* only assignments, only operators, unterminated quotes */
	CHECK_INT(cs_sh_split(&a, "A=1", 3, &c), 0);
	CHECK_INT(cs_sh_split(&a, ";;&&||", 6, &c), 0);
	CHECK_INT(cs_sh_split(&a, "echo 'abc", 9, &c), 1);
	CHECK_INT(cs_sh_split(&a, "echo \"abc\\", 10, &c), 1);
	CHECK_INT(cs_sh_split(&a, "", 0, &c), 0);
	cs_arena_release(&a);
}

/* Past CS_SH_MAX_CMDS commands the rest is not read; no crash, no blow-up. */
TEST(shell_caps)
{
	cs_arena a;
	cs_sh_cmd *c = NULL;
	cs_buf b;
	size_t i;

	cs_arena_init(&a);
	cs_buf_init(&b, 0);
	for (i = 0; i < CS_SH_MAX_CMDS + 100; i++)
		cs_buf_puts(&b, "a b c;");
	CHECK_INT(cs_sh_split(&a, b.data, b.len, &c), CS_SH_MAX_CMDS);
	cs_buf_reset(&b);
	for (i = 0; i < CS_SH_MAX_WORDS + 100; i++)
		cs_buf_puts(&b, "w ");
	CHECK_INT(cs_sh_split(&a, b.data, b.len, &c), 1);
	CHECK(c[0].argc <= CS_SH_MAX_WORDS);
	cs_buf_release(&b);
	cs_arena_release(&a);
}

/* --- accounts ----------------------------------------------------------------------- */

static void accounts_ids(const char *pw, size_t plen, const char *sh, size_t slen, char *out, size_t n, cs_audit *a,
			 cs_arena *arena)
{
	cs_arena_init(arena);
	cs_audit_init(a, arena);
	cs_audit_accounts(a, pw, plen, 2, sh, slen, 3);
	ids_of(a, out, n);
}

TEST(accounts)
{
	static const char pw[] = "root:x:0:0:root:/root:/bin/bash\n"
				 "# a comment: ignored\n"
				 "+nis::::::\n"
				 "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
				 "toor:x:0:0::/root:/bin/sh\n"
				 "app:x:1000:1000::/app:/bin/sh\n"
				 "app2:x:1000:1000::/app:/bin/sh\n"
				 "app3:x:1000:1000::/app:/bin/sh\r\n"
				 "nopw::1001:1001::/x:/bin/sh\n"
				 "nopw-nologin::1002:1002::/x:/bin/false\n"
				 "svc:x:1003:1003::/srv:/sbin/nologin\n"
				 "short:x:1004\n"
				 "baduid:x:12345678901:1::/:/bin/sh\n"
				 "neguid:x:-1:1::/:/bin/sh\n"
				 "::\n"
				 "\n";
	static const char sh[] = "root:*:19000:0:::::\n"
				 "toor::19000:0:::::\n"
				 "svc::19000:0:::::\n"
				 "ghost::19000:0:::::\n"
				 "app:!:19000::::::\n";
	cs_arena arena;
	cs_audit a;
	char got[256];
	size_t i, uid0 = 0, empty = 0, dup = 0;

	accounts_ids(pw, strlen(pw), sh, strlen(sh), got, sizeof(got), &a, &arena);
	CHECK_STR(got, "CS-IMG-026,CS-IMG-027,CS-IMG-028");
	for (i = 0; i < a.found.len; i++) {
		const cs_misconfig *m = a.found.items[i];

		uid0 += strcmp(m->id, "CS-IMG-028") == 0;
		dup += strcmp(m->id, "CS-IMG-027") == 0;
		empty += strcmp(m->id, "CS-IMG-026") == 0;
		CHECK_INT(m->layer, strcmp(m->path, "etc/shadow") == 0 ? 3 : 2);
	}
	CHECK_INT(uid0, 1);  /* toor */
	CHECK_INT(dup, 1);   /* UID 1000: one finding for the three */
	CHECK_INT(empty, 3); /* nopw (passwd), toor and ghost (shadow): not svc, not nopw-nologin */
	CHECK(message_has(&a, "'app', 'app2', 'app3'"));
	CHECK(message_has(&a, "'ghost'") && !message_has(&a, "'svc'"));
	CHECK_INT(a.nuid0, 1);
	CHECK(a.nuid0 == 1 && strcmp(a.uid0[0], "toor") == 0);
	cs_audit_release(&a);
	cs_arena_release(&arena);

	/* NUL bytes inside: lines are read by length; a NUL inside a name is its own byte */
	{
		static const char nul[] = "root:x:0:0::/root:/bin/sh\nev\0l:x:0:0::/:/bin/sh\nx:x:5:5::/:/bin/sh\0\n";

		accounts_ids(nul, sizeof(nul) - 1, "ev\0l::1:::::\n", 13, got, sizeof(got), &a, &arena);
		CHECK_STR(got, "CS-IMG-026,CS-IMG-028");
		cs_audit_release(&a);
		cs_arena_release(&arena);
	}
	/* none, or empty files: nothing */
	accounts_ids(NULL, 0, NULL, 0, got, sizeof(got), &a, &arena);
	CHECK_STR(got, "");
	cs_audit_release(&a);
	cs_arena_release(&arena);
	accounts_ids("", 0, "", 0, got, sizeof(got), &a, &arena);
	CHECK_STR(got, "");
	cs_audit_release(&a);
	cs_arena_release(&arena);
}

/* A passwd of 1 MB: many UID 0 and duplicate accounts, all capped with a summary; quick. */
TEST(accounts_huge)
{
	cs_buf pw, sh;
	cs_arena arena;
	cs_audit a;
	char got[256];
	size_t i, listed = 0;
	bool summary = false;

	cs_buf_init(&pw, 0);
	cs_buf_init(&sh, 0);
	for (i = 0; pw.len < (1 << 20) - 64; i++) {
		cs_buf_printf(&pw, "u%zu:x:%zu:0::/:/bin/sh\n", i, i % 3 == 0 ? 0 : 1000 + i / 2);
		cs_buf_printf(&sh, "u%zu::1:::::\n", i);
	}
	accounts_ids(pw.data, pw.len, sh.data, sh.len, got, sizeof(got), &a, &arena);
	CHECK_STR(got, "CS-IMG-026,CS-IMG-027,CS-IMG-028");
	cs_audit_summaries(&a);
	for (i = 0; i < a.found.len; i++) {
		const cs_misconfig *m = a.found.items[i];

		if (strcmp(m->id, "CS-IMG-028") == 0) {
			listed++;
			summary |= strstr(m->message, "more findings of this check are not listed") != NULL;
		}
	}
	CHECK_INT(listed, CS_AUDIT_CAP + 1);
	CHECK(summary);
	CHECK(a.found.len <= 3 * (CS_AUDIT_CAP + 1));
	CHECK(a.nuid0 <= 16);
	cs_audit_release(&a);
	cs_arena_release(&arena);
	cs_buf_release(&pw);
	cs_buf_release(&sh);
}

/* --- scans of archives -------------------------------------------------------------- */

#define APK_DB(files)                                                                                       \
	"C:Q1abcdefabcdefabcdefabcdefabcdef=\nP:bbsuid\nV:1.36.1-r5\nA:x86_64\nS:1\nI:1\nT:t\nU:u\nL:MIT\n" files \
	"\n"

TEST(files_in_layers)
{
	static const ae l0[] = {
		AF("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n", 0),
		AF("lib/apk/db/installed", APK_DB("F:bin\nR:bbsuid\nF:usr/bin\nR:mount\n"), 0),
		AF("bin/bbsuid", "x", 04755),                /* a package's, layer 0: low */
		AL("bin/mount", "/usr/bin/mount"),
		AF("usr/bin/mount", "x", 04755),             /* the package says usr/bin/mount: low */
		AF("usr/bin/orphan", "x", 02755),            /* no package: high */
		AF("usr/bin/gone", "x", 04755),              /* deleted by layer 1: not reported */
		AF("usr/bin/cleared", "x", 04755),           /* bit cleared by layer 1: not reported */
		AD("tmp", 01777),
		AF("etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0),
		AEND,
	};
	static const ae l1[] = {
		AF("usr/bin/.wh.gone", "", 0),
		AF("usr/bin/cleared", "x", 0755),
		AF("usr/local/bin/tool", "x", 0777),         /* world-writable file */
		AD("usr/local/share/drop", 0777),            /* world-writable directory */
		AD("usr/local/share/spool", 01777),          /* sticky: fine */
		AD("opt/data", 0777),                        /* not a system directory */
		AF("opt/data/f", "x", 0666),
		AF("etc/ssh/ssh_host_rsa_key", "k", 0600),
		AF("etc/ssh/ssh_host_rsa_key.pub", "p", 0),
		AF("home/u/.ssh/authorized_keys", "ssh-ed25519 AAAA u@h\n", 0),
		AF("app/.git/HEAD", "ref: refs/heads/main\n", 0),
		AF("app/.git/hooks/x", "x", 04755),          /* inside .git: not walked */
		AF("app/vendor/.git", "gitdir: ../.git/modules/v\n", 0), /* a file, not a directory */
		AF("var/lib/apt/lists/lock", "", 0),         /* the lock alone: no cache */
		AF("var/cache/apt/archives/curl.deb", "deb", 0),
		AF("var/cache/apt/archives/partial/x.deb", "deb", 0),
		AF("root/.cache/pip/http/a/b", "cached", 0),
		AF(".npm/_cacache/index", "i", 0),
		AD("var/cache/apk", 0),                      /* empty: no cache */
		AEND,
	};
	static const ae l2[] = {
		AF("usr/sbin/late", "x", 04755),             /* no package, layer 2: high */
		AF("lib/apk/db/installed", APK_DB("F:bin\nR:bbsuid\nF:usr/bin\nR:mount\nF:usr/sbin\nR:late\n"), 0),
		AF("bin/bbsuid", "y", 04755),                /* rewritten by layer 2: medium, layer 2 */
		AEND,
	};
	const ae *const layers[] = {l0, l1, l2};
	const cs_misconfig *m;
	cs_scan *s = scan_image("audit-files", layers, 3, "", CS_SCANNER_CONFIG);

	if (!s)
		return;
	CHECK(cs_scan_config_ran(s));
	CHECK((m = find(s, "CS-IMG-020", "bin/bbsuid")) != NULL);
	if (m) {
		CHECK_STR(m->severity, "medium");
		CHECK_INT(m->layer, 2);
		CHECK_STR(m->cis, "4.8");
	}
	CHECK((m = find(s, "CS-IMG-020", "usr/bin/mount")) != NULL);
	if (m) {
		CHECK_STR(m->severity, "low");
		CHECK_INT(m->layer, 0);
		CHECK(strstr(m->message, "bbsuid") != NULL);
	}
	CHECK((m = find(s, "CS-IMG-020", "usr/bin/orphan")) != NULL);
	if (m) {
		CHECK_STR(m->severity, "high");
		CHECK(strstr(m->message, "setgid") != NULL);
	}
	CHECK((m = find(s, "CS-IMG-020", "usr/sbin/late")) != NULL);
	if (m) {
		/* the package database of layer 2 lists it: a package the build installed */
		CHECK_STR(m->severity, "medium");
		CHECK_INT(m->layer, 2);
	}
	CHECK_INT(count_of(s, "CS-IMG-020", NULL), 4);
	CHECK_INT(count_of(s, "CS-IMG-020", "usr/bin/gone"), 0);
	CHECK_INT(count_of(s, "CS-IMG-020", "usr/bin/cleared"), 0);
	CHECK_INT(count_of(s, "CS-IMG-020", "app/.git/hooks/x"), 0);
	CHECK((m = find(s, "CS-IMG-021", "usr/local/bin/tool")) != NULL);
	if (m)
		CHECK_INT(m->layer, 1);
	CHECK(find(s, "CS-IMG-021", "usr/local/share/drop") != NULL);
	CHECK_INT(count_of(s, "CS-IMG-021", NULL), 2);
	CHECK((m = find(s, "CS-IMG-024", "etc/ssh/ssh_host_rsa_key")) != NULL);
	CHECK_INT(count_of(s, "CS-IMG-024", NULL), 1);
	CHECK(find(s, "CS-IMG-025", "home/u/.ssh/authorized_keys") != NULL);
	CHECK((m = find(s, "CS-IMG-023", "app/.git")) != NULL);
	CHECK_INT(count_of(s, "CS-IMG-023", NULL), 1);
	CHECK((m = find(s, "CS-IMG-022", "var/cache/apt/archives")) != NULL);
	if (m)
		CHECK(strstr(m->message, "2 files") != NULL);
	CHECK(find(s, "CS-IMG-022", "root/.cache/pip") != NULL);
	CHECK(find(s, "CS-IMG-022", ".npm/_cacache") != NULL);
	CHECK_INT(count_of(s, "CS-IMG-022", NULL), 3);
	/* no config in the archive: the config checks still run (no User, no health check) */
	CHECK(find(s, "CS-IMG-001", "config:User") != NULL);
	CHECK(find(s, "CS-IMG-003", "config:Healthcheck") != NULL);
	CHECK_INT(count_of(s, "CS-IMG-026", NULL) + count_of(s, "CS-IMG-027", NULL) + count_of(s, "CS-IMG-028", NULL), 0);
	cs_scan_free(s);
}

/* The account files of the final image, with the layer that wrote each; a later layer's clean copy wins. */
TEST(accounts_in_layers)
{
	static const ae l0[] = {
		AF("etc/passwd", "root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\n", 0),
		AF("etc/shadow", "root:::::::\n", 0640),
		AEND,
	};
	static const ae l1[] = {
		AF("etc/shadow", "root:*:::::::\n", 0640),
		AEND,
	};
	static const ae l2[] = {AF("etc/motd", "hi\n", 0), AEND};
	const ae *const layers[] = {l0, l1, l2};
	const cs_misconfig *m;
	cs_scan *s = scan_image("audit-accounts", layers, 3,
				",\"config\":{\"User\":\"toor\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}}",
				CS_SCANNER_CONFIG);

	if (!s)
		return;
	CHECK_INT(count_of(s, "CS-IMG-026", NULL), 0); /* root's empty password was fixed by layer 1 */
	CHECK((m = find(s, "CS-IMG-028", "etc/passwd")) != NULL);
	if (m)
		CHECK_INT(m->layer, 0);
	/* User names an account with UID 0 */
	CHECK((m = find(s, "CS-IMG-001", "config:User")) != NULL);
	if (m)
		CHECK(strstr(m->message, "UID 0") != NULL);
	cs_scan_free(s);
}

/* History steps mapped to layers around empty_layer steps; past the last layer, none. */
TEST(history_layers)
{
	static const ae l0[] = {AF("a", "a", 0), AEND};
	static const ae l1[] = {AF("b", "b", 0), AEND};
	const ae *const layers[] = {l0, l1};
	const cs_misconfig *m;
	cs_scan *s = scan_image(
		"audit-history", layers, 2,
		",\"config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]},\"ExposedPorts\":{\"22/tcp\":{}}},"
		"\"history\":[{\"created_by\":\"ENV GITHUB_TOKEN=ghp_zzz\",\"empty_layer\":true},"
		"{\"created_by\":\"/bin/sh -c apk add curl\"},"
		"7,"
		"{\"created_by\":\"ARG X\",\"empty_layer\":true},"
		"{\"created_by\":\"|1 DB_PASSWORD=pw /bin/sh -c chmod 777 /b\"},"
		"{\"created_by\":\"/bin/sh -c sudo make\"}]",
		CS_SCANNER_CONFIG);

	if (!s)
		return;
	CHECK((m = find(s, "CS-IMG-005", "config:history[0]")) != NULL);
	if (m)
		CHECK_INT(m->layer, -1);
	CHECK((m = find(s, "CS-IMG-016", "config:history[1]")) != NULL);
	if (m)
		CHECK_INT(m->layer, 0);
	CHECK((m = find(s, "CS-IMG-019", "config:history[4]")) != NULL);
	if (m)
		CHECK_INT(m->layer, 1);
	CHECK((m = find(s, "CS-IMG-005", "config:history[4]")) != NULL);
	if (m)
		CHECK_INT(m->layer, 1);
	/* a step past the layers owns none */
	CHECK((m = find(s, "CS-IMG-012", "config:history[5]")) != NULL);
	if (m)
		CHECK_INT(m->layer, -1);
	CHECK(find(s, "CS-IMG-002", "config:ExposedPorts") != NULL);
	CHECK_INT(count_of(s, "CS-IMG-001", NULL) + count_of(s, "CS-IMG-003", NULL), 0);
	/* the build argument's value is gone from the layer's created_by */
	CHECK_STR(cs_scan_layer(s, 1)->created_by, "|1 DB_PASSWORD=***** /bin/sh -c chmod 777 /b");
	CHECK_STR(cs_scan_layer(s, 0)->created_by, "/bin/sh -c apk add curl");
	/* sorted: the config's first, then by layer */
	CHECK_INT(cs_scan_misconfig(s, 0)->layer, -1);
	CHECK_INT(cs_scan_misconfig(s, cs_scan_misconfig_count(s) - 1)->layer, 1);
	cs_scan_free(s);
}

/* More instances than the cap: CS_AUDIT_CAP listed, then one summary. */
TEST(caps)
{
	static char paths[200][32];
	static ae l0[202];
	const ae *const layers[] = {l0};
	const cs_misconfig *m;
	size_t i;
	cs_scan *s;

	for (i = 0; i < 200; i++) {
		snprintf(paths[i], sizeof(paths[i]), "usr/bin/s%03zu", i);
		l0[i] = (ae){'f', paths[i], "x", 1, 04755};
	}
	l0[200] = (ae)AEND;
	s = scan_image("audit-caps", layers, 1, "", CS_SCANNER_CONFIG);
	if (!s)
		return;
	CHECK_INT(count_of(s, "CS-IMG-020", NULL), CS_AUDIT_CAP + 1);
	CHECK((m = find(s, "CS-IMG-020", NULL)) != NULL);
	if (m) {
		CHECK(strstr(m->message, "150 more") != NULL);
		CHECK_INT(m->layer, -1);
	}
	cs_scan_free(s);
}

/* Hostile input: an account file past the analyzer's cap is skipped with a warning; absurd history is read without harm. */
TEST(hostile)
{
	static const ae l1[] = {AF("etc/shadow", "root::1:::::\n", 0), AEND};
	ae l0[3] = {AEND, AEND, AEND};
	const ae *const layers[] = {l0, l1};
	cs_buf big, hist;
	cs_scan *s;
	size_t i;

	cs_buf_init(&big, 0);
	while (big.len <= (1 << 20))
		cs_buf_puts(&big, "toor:x:0:0::/:/bin/sh\n");
	l0[0] = (ae){'f', "etc/passwd", big.data, big.len, 0644};
	cs_buf_init(&hist, 0);
	cs_buf_puts(&hist, ",\"config\":{\"User\":\"app\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"]}},\"history\":[");
	for (i = 0; i < 20000; i++)
		cs_buf_printf(&hist, "%s{\"created_by\":\"/bin/sh -c %s\",\"empty_layer\":%s}", i ? "," : "",
			      i % 2 ? "curl x | sh; chmod 777 /x; sudo a" : "|9999999999 A",
			      i > 2 ? "true" : "false");
	cs_buf_puts(&hist, ",{\"created_by\":\"");
	for (i = 0; i < 200000; i++)
		cs_buf_puts(&hist, "a|");
	cs_buf_puts(&hist, "\"}]");
	s = scan_image("audit-hostile", layers, 2, hist.data, CS_SCANNER_CONFIG);
	if (s) {
		CHECK(cf_diag_has(s, "etc/passwd", "analyzed"));
		/* no passwd content: root's empty password in shadow still counts (no account says otherwise) */
		CHECK_INT(count_of(s, "CS-IMG-026", "etc/shadow"), 1);
		CHECK_INT(count_of(s, "CS-IMG-028", NULL), 0);
		/* every check capped */
		CHECK_INT(count_of(s, "CS-IMG-011", NULL), CS_AUDIT_CAP + 1);
		CHECK_INT(count_of(s, "CS-IMG-012", NULL), CS_AUDIT_CAP + 1);
		CHECK(cs_scan_misconfig_count(s) < 4 * (CS_AUDIT_CAP + 1));
	}
	cs_scan_free(s);
	cs_buf_release(&big);
	cs_buf_release(&hist);
}

/* A config of many secret names, in Env and in history: linear work, capped findings. */
TEST(hostile_config)
{
	cs_buf b;
	cs_arena arena;
	cs_audit a;
	cJSON *doc;
	size_t i, n = 0;

	cs_buf_init(&b, 0);
	cs_buf_puts(&b, "{\"config\":{\"Env\":[");
	for (i = 0; i < 100000; i++)
		cs_buf_printf(&b, "%s\"P%zu_PASSWORD=x\"", i ? "," : "", i);
	cs_buf_puts(&b, "]},\"history\":[");
	for (i = 0; i < 100000; i++)
		cs_buf_printf(&b, "%s{\"created_by\":\"ENV P%zu_PASSWORD=x Q%zu_TOKEN=y\",\"empty_layer\":true},"
			      "{\"created_by\":\"|2 R%zu_TOKEN=z P%zu_PASSWORD=w /bin/sh -c a\"}",
			      i ? "," : "", i, i, i, i);
	cs_buf_puts(&b, "]}");
	doc = cJSON_Parse(b.data);
	CHECK(doc != NULL);
	cs_arena_init(&arena);
	cs_audit_init(&a, &arena);
	cs_audit_config(&a, doc, 3);
	CHECK(!a.nomem);
	/* every Env name; Q and R once each (P's ENV is left to Env, its build argument reported) */
	CHECK_INT(a.count[AU_ENV_SECRET], 100000);
	CHECK_INT(a.count[AU_HISTORY_SECRET], 300000);
	cs_audit_summaries(&a);
	for (i = 0; i < a.found.len; i++)
		n += strcmp(((const cs_misconfig *)a.found.items[i])->id, "CS-IMG-005") == 0;
	CHECK_INT(n, CS_AUDIT_CAP + 1);
	cs_audit_release(&a);
	cs_arena_release(&arena);
	cJSON_Delete(doc);
	cs_buf_release(&b);
}

/* A root filesystem: no config, no layers; the file checks run. */
TEST(rootfs)
{
	char root[64], path[4096];
	cs_scan *s;
	const cs_misconfig *m;
	static const cf_entry tree[] = {
		CF_TEXT("etc/passwd", "root:x:0:0::/root:/bin/sh\nadmin:x:0:0::/:/bin/sh\n"),
		CF_TEXT("usr/bin/x", "x"),
		CF_END,
	};

	if (!cf_tmpdir(root, sizeof(root), "audit-rootfs"))
		return;
	CHECK(cf_write_tree(root, tree));
	snprintf(path, sizeof(path), "%s/usr/bin/x", root);
	CHECK(chmod(path, 04755) == 0);
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK((m = find(s, "CS-IMG-020", "usr/bin/x")) != NULL);
		if (m) {
			CHECK_INT(m->layer, -1);
			CHECK_STR(m->severity, "high");
		}
		CHECK((m = find(s, "CS-IMG-028", "etc/passwd")) != NULL);
		if (m)
			CHECK_INT(m->layer, -1);
		CHECK_INT(count_of(s, "CS-IMG-001", NULL) + count_of(s, "CS-IMG-003", NULL), 0);
	}
	cs_scan_free(s);
	rm_tree(root);
}

/* Without "config" in the scanners: no audit. */
TEST(scanner_off)
{
	static const ae l0[] = {AF("usr/bin/x", "x", 04755), AEND};
	const ae *const layers[] = {l0};
	cs_scan *s = scan_image("audit-off", layers, 1, "", CS_SCANNER_SECRET);

	if (!s)
		return;
	CHECK(!cs_scan_config_ran(s));
	CHECK_INT(cs_scan_misconfig_count(s), 0);
	cs_scan_free(s);
}

/* Every check has an id in order, a title, a severity, a description and a resolution. */
TEST(table)
{
	size_t i;

	for (i = 0; i < AU_NCHECKS; i++) {
		const cs_audit_check *c = &cs_audit_checks[i];

		CHECK(c->id && strncmp(c->id, "CS-IMG-0", 8) == 0);
		CHECK(c->title && *c->title && c->description && *c->description && c->resolution && *c->resolution);
		CHECK(c->severity && cs_severity_rank(c->severity) >= 2);
		if (i && c->id && cs_audit_checks[i - 1].id)
			CHECK(strcmp(cs_audit_checks[i - 1].id, c->id) < 0);
	}
}

TEST_MAIN(TEST_ENTRY(secret_names), TEST_ENTRY(config), TEST_ENTRY(ports_spec), TEST_ENTRY(steps_apt_apk),
	  TEST_ENTRY(steps_pipes_sudo_chmod), TEST_ENTRY(steps_add_and_secrets), TEST_ENTRY(messages),
	  TEST_ENTRY(shell_split), TEST_ENTRY(shell_caps), TEST_ENTRY(accounts), TEST_ENTRY(accounts_huge),
	  TEST_ENTRY(files_in_layers), TEST_ENTRY(accounts_in_layers), TEST_ENTRY(history_layers), TEST_ENTRY(caps),
	  TEST_ENTRY(hostile), TEST_ENTRY(hostile_config), TEST_ENTRY(rootfs), TEST_ENTRY(scanner_off), TEST_ENTRY(table))
