/*
 * audit.c - the configuration audit (--scanners config): how the image was
 * built and what that left in it. The analyzer keeps etc/passwd and
 * etc/shadow of each layer during the walk (parse()); finish() checks the
 * image config and history (image.c), the final file tree and the account
 * files (files.c), the Dockerfile given with --dockerfile (dockerfile.c),
 * and hands every finding to the scan. The check table below is what
 * docs/config-audit.md documents.
 */
#include "core/compat.h"
#include "audit/audit_int.h"
#include "audit/dockerfile.h"
#include "catalog/analyzer.h"
#include "core/log.h"
#include "scan/scan.h"

#include <ctype.h>
#include <sys/stat.h>

const cs_audit_check cs_audit_checks[AU_NCHECKS] = {
	[AU_ROOT_USER] = {"CS-IMG-001", "Image runs as root", "medium", "4.1",
			  "The image config names no user, or root (by name or UID 0), so its processes run as root "
			  "unless the runtime says otherwise: a compromised process starts with every privilege in "
			  "the container and is one kernel bug away from the host.",
			  "Create an unprivileged account in the image and name it with USER (by UID for "
			  "runtimes that check it: USER 10001)."},
	[AU_DENIED_PORT] = {"CS-IMG-002", "Remote-access port exposed", "medium", "5.8",
			    "The image exposes a port of a remote login service (22 ssh, 23 telnet, 3389 RDP, "
			    "or one listed in CUSTOMS_AUDIT_PORTS): containers are reached with the runtime's exec, "
			    "and a login daemon inside is one more service to patch and keys to manage.",
			    "Remove the EXPOSE and the daemon; use docker exec / kubectl exec to get a shell."},
	[AU_NO_HEALTHCHECK] = {"CS-IMG-003", "No HEALTHCHECK", "low", "4.6",
			       "The image config has no HEALTHCHECK (or HEALTHCHECK NONE): the runtime can only tell "
			       "whether the process is alive, not whether it still serves.",
			       "Add a HEALTHCHECK that probes the service (HEALTHCHECK CMD wget -q --spider "
			       "http://localhost:8080/health || exit 1), or rely on the orchestrator's probes and "
			       "ignore this check."},
	[AU_ENV_SECRET] = {"CS-IMG-004", "Secret in an environment variable", "high", "4.10",
			   "An environment variable whose name says it holds a secret (PASSWORD, SECRET, TOKEN, "
			   "API_KEY, PRIVATE_KEY...) has a value in the image config: anyone who can pull the image "
			   "reads it, and every container inherits it.",
			   "Pass secrets at run time (orchestrator secrets, a mounted file, VAR_FILE conventions), "
			   "never with ENV; rotate the value that was published."},
	[AU_HISTORY_SECRET] = {"CS-IMG-005", "Secret in the build history", "high", "4.10",
			       "A build argument or ENV step whose name says it holds a secret was recorded with its "
			       "value in the image history (docker history shows it), even when a later step unset it.",
			       "Use build secrets (RUN --mount=type=secret) instead of ARG or ENV for credentials; "
			       "rotate the value that was published."},
	[AU_ADD_REMOTE] = {"CS-IMG-010", "ADD of a remote URL", "medium", "4.9",
			   "A step ADDs a file straight from a URL: the download is not verified unless pinned, is "
			   "fetched again on every cache miss, and lands in the image as is.",
			   "Download with curl or wget in a RUN step that checks a known checksum (or use ADD "
			   "--checksum=sha256:...), or COPY the file from the build context."},
	[AU_PIPE_SHELL] = {"CS-IMG-011", "Download piped into a shell", "high", NULL,
			   "A RUN step pipes what curl or wget downloads straight into a shell or interpreter "
			   "(curl ... | sh): whatever the server sends at build time runs as root in the image, "
			   "unverified.",
			   "Download the script to a file, check its checksum or signature, then run it; better, "
			   "install from a package repository."},
	[AU_SUDO] = {"CS-IMG-012", "sudo in a build step", "medium", NULL,
		     "A RUN step uses sudo: build steps already run as the image's user, so sudo means the "
		     "image ships sudo and a sudoers policy that containers can use to regain root.",
		     "Switch users with USER around the steps that need root and drop sudo from the image."},
	[AU_APT_NO_YES] = {"CS-IMG-013", "apt-get install without -y", "low", NULL,
			   "A RUN step installs with apt-get or apt without -y (--yes, -qq): the build depends on "
			   "apt not asking, and stops as soon as a dependency change makes it ask.",
			   "Use apt-get install -y (or --yes)."},
	[AU_APT_RECOMMENDS] = {"CS-IMG-014", "apt-get install without --no-install-recommends", "low", NULL,
			       "A RUN step installs with apt-get or apt without --no-install-recommends: every "
			       "recommended package comes along, growing the image and its attack surface.",
			       "Add --no-install-recommends and name what is needed."},
	[AU_APT_LISTS] = {"CS-IMG-015", "apt lists not removed in the same step", "low", NULL,
			  "A RUN step runs apt-get update without removing /var/lib/apt/lists in the same step: "
			  "the package lists stay in that layer (tens of MB) even if a later step deletes them.",
			  "End the step with rm -rf /var/lib/apt/lists/* (or use a cache mount for it)."},
	[AU_APK_CACHE] = {"CS-IMG-016", "apk add without --no-cache", "low", NULL,
			  "A RUN step runs apk add without --no-cache: the package index is kept in "
			  "/var/cache/apk in that layer.",
			  "Use apk add --no-cache."},
	[AU_UPGRADE] = {"CS-IMG-017", "Package upgrade in a build step", "low", NULL,
			"A RUN step upgrades installed packages (apt-get upgrade or dist-upgrade, apk upgrade, yum or "
			"dnf update/upgrade, zypper update): what the image holds then depends on the day it was "
			"built, and the base image's vulnerabilities are patched in a layer on top instead of in the "
			"base.",
			"Rebuild on a patched base image; pin the versions a step needs."},
	[AU_UPDATE_ALONE] = {"CS-IMG-018", "Package index update alone in a step", "low", "4.7",
			     "A RUN step only updates the package index (apt-get update, apk update, yum makecache): "
			     "the builder caches that layer, so later installs can use a stale index long after it "
			     "was made.",
			     "Update and install in the same RUN step."},
	[AU_CHMOD_WORLD] = {"CS-IMG-019", "World-writable permissions set", "medium", NULL,
			    "A RUN step makes files world-writable (chmod 777, chmod -R 666, chmod o+w): any user "
			    "in the container may change them, binaries and configuration that root runs included.",
			    "Give ownership to the account that needs to write (chown) and keep modes at 755/644."},
	[AU_SETUID] = {"CS-IMG-020", "setuid or setgid file", "high", "4.8",
		       "A file in the image has the setuid or setgid bit: run by anyone, it runs with its owner's "
		       "(usually root's) or group's privileges. Severity: low when an OS package of the first layer "
		       "ships it (the base distribution's own su, passwd, mount...), medium when a package a later "
		       "layer installed ships it, high when no OS package claims it.",
		       "Remove the bits of what the application does not need (RUN find / -xdev -perm /6000 "
		       "-type f -exec chmod a-s {} +), and do not add setuid binaries."},
	[AU_WORLD_WRITABLE] = {"CS-IMG-021", "World-writable file or directory in a system directory", "high", NULL,
			       "A file or directory under /bin, /sbin, /lib*, /usr, /etc, /boot or /root is writable "
			       "by every user (sticky directories such as /tmp excepted): any process in the "
			       "container can replace what root executes or reads.",
			       "Fix the mode (chmod o-w) in the step that created it."},
	[AU_PKG_CACHE] = {"CS-IMG-022", "Package manager cache left in the image", "low", NULL,
			  "A package manager's download cache or index is still in the final image (apt archives "
			  "and lists, apk, yum/dnf, pip, npm, yarn): megabytes that serve no purpose at run time.",
			  "Clean in the step that fills it (rm -rf /var/lib/apt/lists/*, apk add --no-cache, "
			  "pip install --no-cache-dir, npm cache clean --force, dnf clean all)."},
	[AU_GIT_DIR] = {"CS-IMG-023", ".git directory in the image", "medium", NULL,
			"A .git directory was copied into the image: the whole history of the sources comes with "
			"it, with every secret ever committed and since removed.",
			"Add .git to .dockerignore, or copy only the build output."},
	[AU_SSH_HOST_KEY] = {"CS-IMG-024", "SSH host private key in the image", "high", NULL,
			     "An SSH host private key (etc/ssh/ssh_host_*_key) is baked into the image: every "
			     "container of it, everywhere, has the same host identity, and anyone who pulls the "
			     "image can impersonate them.",
			     "Do not run sshd in the container; if it must, generate host keys at start-up "
			     "(ssh-keygen -A) and remove them from the image."},
	[AU_AUTHORIZED_KEYS] = {"CS-IMG-025", "authorized_keys in the image", "medium", NULL,
				"An SSH authorized_keys file is baked into the image: whoever holds the matching "
				"private keys can log in to every container that runs an SSH daemon.",
				"Remove it; provide keys at run time if SSH access is really needed."},
	[AU_EMPTY_PASSWORD] = {"CS-IMG-026", "Account with an empty password", "high", NULL,
			       "An account that can log in has an empty password field in etc/shadow or "
			       "etc/passwd: su or any login service accepts it without a password.",
			       "Lock the account (passwd -l, or '!' / '*' in the password field) or remove it."},
	[AU_DUP_UID] = {"CS-IMG-027", "Duplicate UID", "medium", NULL,
			"Several accounts in etc/passwd share one UID: the kernel sees one user, so file ownership "
			"and audit trails cannot tell them apart.",
			"Give each account its own UID."},
	[AU_UID0] = {"CS-IMG-028", "UID 0 account other than root", "high", NULL,
		     "An account other than root has UID 0 in etc/passwd: it is root under another name, a "
		     "classic backdoor.",
		     "Remove the account or give it an unprivileged UID."},
};

/* --- the collector --------------------------------------------------------- */

void cs_audit_init(cs_audit *a, cs_arena *arena)
{
	static const unsigned defaults[] = {22, 23, 3389};
	size_t i;

	memset(a, 0, sizeof(*a));
	a->arena = arena;
	cs_vec_init(&a->found);
	cs_map_init(&a->env_secrets);
	cs_map_init(&a->seen);
	for (i = 0; i < CS_ARRAY_LEN(defaults); i++)
		a->ports[a->nports++] = defaults[i];
}

void cs_audit_release(cs_audit *a)
{
	cs_vec_release(&a->found);
	cs_map_release(&a->env_secrets);
	cs_map_release(&a->seen);
}

size_t cs_audit_add_ports(cs_audit *a, const char *spec)
{
	size_t bad = 0;
	const char *p = spec;

	while (p && *p) {
		unsigned long v = 0;
		size_t nd = 0;

		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (isdigit((unsigned char)*p) && nd < 6)
			v = v * 10 + (unsigned long)(*p++ - '0'), nd++;
		if (*p == '/')
			while (*p && *p != ',' && *p != ' ' && *p != '\t')
				p++;
		if (nd == 0 || v == 0 || v > 65535 || (*p && *p != ',' && *p != ' ' && *p != '\t')) {
			bad++;
			while (*p && *p != ',' && *p != ' ' && *p != '\t')
				p++;
			continue;
		}
		if (a->nports < CS_AUDIT_MAX_PORTS)
			a->ports[a->nports++] = (unsigned)v;
		else
			bad++;
	}
	return bad;
}

void cs_audit_emit(cs_audit *a, int check, const char *severity, const char *path, int layer, const char *fmt,
		   ...)
{
	const cs_audit_check *c = &cs_audit_checks[check];
	cs_misconfig *m;
	va_list ap;

	if (++a->count[check] > CS_AUDIT_CAP)
		return;
	if (!(m = cs_arena_calloc(a->arena, 1, sizeof(*m)))) {
		a->nomem = true;
		return;
	}
	m->id = c->id;
	m->title = c->title;
	m->severity = severity ? severity : c->severity;
	m->cis = c->cis;
	m->description = c->description;
	m->resolution = c->resolution;
	m->layer = layer;
	if (path && !(m->path = cs_arena_strdup(a->arena, path)))
		a->nomem = true;
	va_start(ap, fmt);
	m->message = cs_arena_vprintf(a->arena, fmt, ap);
	va_end(ap);
	if (!m->message || cs_vec_push(&a->found, m) < 0)
		a->nomem = true;
}

void cs_audit_summaries(cs_audit *a)
{
	int i;

	for (i = 0; i < AU_NCHECKS; i++) {
		size_t n = a->count[i];

		if (n <= CS_AUDIT_CAP)
			continue;
		/* Counted past the cap already: add the summary directly. */
		a->count[i] = 0;
		cs_audit_emit(a, i, NULL, NULL, -1, "%zu more findings of this check are not listed (the first %d are)",
			      n - CS_AUDIT_CAP, CS_AUDIT_CAP);
		a->count[i] = n;
	}
}

/* --- secret-looking names --------------------------------------------------- */

/* Whether the upper-cased name holds word (case-insensitive substring). */
static bool has_word(const char *name, size_t n, const char *word)
{
	size_t w = strlen(word), i, j;

	for (i = 0; i + w <= n; i++) {
		for (j = 0; j < w && toupper((unsigned char)name[i + j]) == word[j]; j++)
			;
		if (j == w)
			return true;
	}
	return false;
}

bool cs_audit_secret_name(const char *name, size_t n)
{
	/* What the name says it holds... */
	static const char *const words[] = {"PASSWORD", "PASSWD",   "PASSPHRASE", "SECRET",    "TOKEN",
					    "API_KEY",  "APIKEY",   "PRIVATE_KEY", "PRIVATEKEY", "ACCESS_KEY",
					    "ACCESSKEY", "AUTH_KEY", "CREDENTIAL"};
	/* ...unless its last part says it is about the secret, not the secret. */
	static const char *const not_last[] = {"FILE",   "PATH",    "DIR",  "URL",     "URI",    "ENDPOINT", "HOST",
					       "PORT",   "USER",    "USERNAME", "NAME", "ID",  "LENGTH", "TTL",
					       "TIMEOUT", "TYPE",   "EXPIRY", "EXPIRES", "HEADER", "LOCATION",
					       "ENABLED", "REGION", "ALGORITHM", "VERSION"};
	const char *last = name;
	size_t i, ln;
	bool hit = false;

	for (i = 0; i < CS_ARRAY_LEN(words) && !hit; i++)
		hit = has_word(name, n, words[i]);
	/* PASS alone as a part: DB_PASS, MYSQL_ROOT_PASS (not PASSTHROUGH). */
	if (!hit && n >= 4) {
		for (i = 0; i + 4 <= n && !hit; i++)
			hit = (i == 0 || name[i - 1] == '_') && has_word(name + i, 4, "PASS") &&
			      (i + 4 == n || name[i + 4] == '_');
	}
	if (!hit)
		return false;
	for (i = 0; i < n; i++)
		if (name[i] == '_' || name[i] == '-' || name[i] == '.')
			last = name + i + 1;
	ln = (size_t)(name + n - last);
	for (i = 0; i < CS_ARRAY_LEN(not_last); i++)
		if (ln == strlen(not_last[i]) && has_word(last, ln, not_last[i]))
			return false;
	return true;
}

/* --- the analyzer ----------------------------------------------------------- */

/* The account files of one layer, as its walk read them (walk arena). */
typedef struct audit_layer {
	const char *passwd, *shadow;
	size_t plen, slen;
} audit_layer;

static bool audit_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && (strcmp(path, "etc/passwd") == 0 || strcmp(path, "etc/shadow") == 0);
}

static int audit_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err)
{
	audit_layer **slot = (audit_layer **)cs_walk_state(w, CS_AN_audit);
	char *copy;

	if (!*slot && !(*slot = cs_arena_alloc(cs_walk_arena(w), sizeof(**slot))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* The bytes as they are, NULs included: the account parser takes a length. */
	if (!(copy = cs_arena_alloc(cs_walk_arena(w), len + 1)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	memcpy(copy, data, len);
	/* A later entry of the same path in one layer replaces the earlier. */
	if (strcmp(e->path, "etc/passwd") == 0) {
		(*slot)->passwd = copy;
		(*slot)->plen = len;
	} else {
		(*slot)->shadow = copy;
		(*slot)->slen = len;
	}
	return 0;
}

/*
 * The content of path as the final image holds it: looked up in the merged
 * view, then taken from the walk state of the layer that wrote it. NULL
 * when absent, or when it is a link to a file read under another name.
 */
static const char *final_content(cs_scan *s, const char *path, size_t *len, int *layer)
{
	cs_fsinfo info;
	char resolved[64];
	const audit_layer *l;
	cs_err err;

	cs_err_clear(&err);
	if (cs_scan_lookup(s, path, true, &info, resolved, sizeof(resolved), &err) != 0 || !S_ISREG(info.mode) ||
	    strcmp(resolved, path) != 0 || info.layer < 0)
		return NULL;
	l = cs_scan_layer_state(s, (size_t)info.layer, CS_AN_audit);
	if (!l)
		return NULL;
	*layer = cs_scan_is_rootfs(s) ? -1 : info.layer;
	if (strcmp(path, "etc/passwd") == 0) {
		*len = l->plen;
		return l->passwd;
	}
	*len = l->slen;
	return l->shadow;
}

static int audit_finish(cs_scan *s, cs_err *err)
{
	const char *df = cs_scan_options(s)->dockerfile, *ports = getenv("CUSTOMS_AUDIT_PORTS"), *pw, *sh;
	size_t plen = 0, slen = 0, bad, i;
	int player = -1, slayer = -1, code;
	cs_audit a;

	cs_audit_init(&a, cs_scan_arena(s));
	if (ports && (bad = cs_audit_add_ports(&a, ports)) > 0)
		cs_scan_diag(s, CS_LOG_WARN, "CUSTOMS_AUDIT_PORTS: %zu entries are not port numbers (1-65535) or past %d ports; ignored",
			     bad, CS_AUDIT_MAX_PORTS);
	pw = final_content(s, "etc/passwd", &plen, &player);
	sh = final_content(s, "etc/shadow", &slen, &slayer);
	cs_audit_accounts(&a, pw, plen, player, sh, slen, slayer);
	if (cs_scan_image_config(s))
		cs_audit_config(&a, cs_scan_image_config(s), cs_scan_layer_count(s));
	if ((code = cs_audit_files(&a, s)) < 0) {
		cs_audit_release(&a);
		return cs_err_set(err, code, "configuration audit: out of memory");
	}
	cs_audit_summaries(&a);
	for (i = 0; i < a.nlayers; i++)
		if (a.created_by[i])
			cs_scan_set_layer_created_by(s, i, a.created_by[i]);
	for (i = 0; i < a.found.len && !a.nomem; i++)
		if (cs_scan_add_misconfig(s, a.found.items[i]) < 0)
			a.nomem = true;
	code = a.nomem ? CS_ENOMEM : 0;
	cs_audit_release(&a);
	if (code < 0)
		return cs_err_set(err, code, "configuration audit: out of memory");
	if (df && (code = cs_dockerfile_audit(s, df, err)) < 0)
		return code;
	cs_scan_set_config_ran(s);
	cs_scan_sort_misconfigs(s);
	return 0;
}

const cs_analyzer cs_analyzer_audit = {
	.name = "audit",
	.scanners = CS_SCANNER_CONFIG,
	/* Account files are small; a bigger one is hostile and skipped with a warning. */
	.max_size = 1 << 20,
	.wants = audit_wants,
	.parse = audit_parse,
	.finish = audit_finish,
};
