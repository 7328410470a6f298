/*
 * files.c - the audit of what the final image holds (see audit_int.h): one
 * walk of the merged view for modes and names (setuid/setgid files,
 * world-writable entries in system directories, package caches, .git
 * directories, SSH host keys, authorized_keys), and the account files the
 * analyzer kept (empty passwords, duplicate UIDs, UID 0 aliases of root).
 *
 * Files a later layer deleted are not reported: the final image is what
 * runs, and a setuid bit on a file nobody can reach grants nothing (the
 * bytes of deleted files are the secret scanner's business). A file is
 * attributed to the layer that last wrote it.
 */
#include "core/compat.h"
#include "audit/audit_int.h"
#include "core/log.h"
#include "core/strutil.h"
#include "scan/scan.h"

#include <ctype.h>
#include <sys/stat.h>

/* Directories deeper than this are not walked (real trees stay far below). */
#define MAX_DEPTH 128

/* --- the file tree -------------------------------------------------------------- */

enum { CACHE_ANY, CACHE_DEB, CACHE_LISTS };

/* Package caches found by their full path... */
static const struct {
	const char *dir;
	const char *what;
	int kind;
} cache_dirs[] = {
	{"var/cache/apt/archives", "apt package archives", CACHE_DEB},
	{"var/lib/apt/lists", "apt package lists", CACHE_LISTS},
	{"var/cache/apk", "apk cache", CACHE_ANY},
	{"var/cache/yum", "yum cache", CACHE_ANY},
	{"var/cache/dnf", "dnf cache", CACHE_ANY},
};

/* ...or by their last two components, under any home directory. */
static const struct {
	const char *tail;
	const char *what;
} cache_tails[] = {
	{"/.cache/pip", "pip cache"},
	{"/.npm/_cacache", "npm cache"},
	{"/.cache/yarn", "yarn cache"},
};

typedef struct walk {
	cs_audit *a;
	cs_scan *s;
	bool rootfs;
	unsigned depth;
	const char *cache_dir;  /* the cache being walked, or NULL */
	const char *cache_what;
	int cache_kind;
	size_t cache_files;
	uint64_t cache_bytes;
	int cache_layer;        /* the last layer that wrote into it */
	bool deep_noted;
} walk;

static int layer_of(const walk *w, int layer)
{
	return w->rootfs ? -1 : layer;
}

/* Which cache a directory is, or -1 (what and kind set). */
static bool cache_of(const char *path, const char **what, int *kind)
{
	size_t i, n = strlen(path);
	char slashed[4096];

	for (i = 0; i < CS_ARRAY_LEN(cache_dirs); i++)
		if (strcmp(path, cache_dirs[i].dir) == 0) {
			*what = cache_dirs[i].what;
			*kind = cache_dirs[i].kind;
			return true;
		}
	if (n + 2 > sizeof(slashed))
		return false;
	/* "/" + path, so a cache at the top of the tree (".cache/pip") has its tail too */
	slashed[0] = '/';
	memcpy(slashed + 1, path, n + 1);
	for (i = 0; i < CS_ARRAY_LEN(cache_tails); i++)
		if (cs_str_ends(slashed, cache_tails[i].tail)) {
			*what = cache_tails[i].what;
			*kind = CACHE_ANY;
			return true;
		}
	return false;
}

/* Under /bin, /sbin, /lib*, /usr, /etc, /boot or /root: where only root should write. */
static bool system_path(const char *path)
{
	static const char *const tops[] = {"bin", "boot", "etc", "lib", "lib32", "lib64", "libx32", "sbin", "usr",
					   "root"};
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : strlen(path), i;

	for (i = 0; i < CS_ARRAY_LEN(tops); i++)
		if (strlen(tops[i]) == n && memcmp(path, tops[i], n) == 0)
			return true;
	return false;
}

/*
 * The OS package that ships path. Package file lists name files where the
 * package put them (bin/su), a merged-/usr image holds them in usr/ (and
 * the other way round), so both names are asked.
 */
static const cs_package *owner_of(cs_scan *s, const char *path)
{
	static const char *const merged[] = {"bin/", "sbin/", "lib/", "lib32/", "lib64/", "libx32/"};
	const cs_package *p = cs_scan_file_owner(s, path);
	char alt[4096];
	size_t i;

	if (p)
		return p;
	for (i = 0; i < CS_ARRAY_LEN(merged); i++) {
		if (cs_str_starts(path, "usr/") && cs_str_starts(path + 4, merged[i]))
			return cs_scan_file_owner(s, path + 4);
		if (cs_str_starts(path, merged[i]) && strlen(path) + 5 <= sizeof(alt)) {
			snprintf(alt, sizeof(alt), "usr/%s", path);
			return cs_scan_file_owner(s, alt);
		}
	}
	return NULL;
}

static void check_setuid(walk *w, const char *path, const cs_fsinfo *info)
{
	const cs_package *p = owner_of(w->s, path);
	unsigned perm = info->mode & 07777;
	const char *bits = (info->mode & S_ISUID) && (info->mode & S_ISGID) ? "setuid and setgid"
			   : (info->mode & S_ISUID)                            ? "setuid"
									       : "setgid";
	const char *sev = !p ? "high" : info->layer > 0 && !w->rootfs ? "medium" : "low";

	if (p)
		cs_audit_emit(w->a, AU_SETUID, sev, path, layer_of(w, info->layer), "%s file (mode %04o) of package %.64s",
			      bits, perm, p->name);
	else
		cs_audit_emit(w->a, AU_SETUID, sev, path, layer_of(w, info->layer),
			      "%s file (mode %04o) that no OS package ships", bits, perm);
}

static int visit(const char *path, const cs_fsinfo *info, void *payload);

static int visit_dir(walk *w, const char *path, const cs_fsinfo *info)
{
	const char *base = cs_path_base(path), *what = NULL;
	int kind = CACHE_ANY, rc;
	bool cache;

	if (strcmp(base, ".git") == 0) {
		/* Not walked further: its objects are history, not what runs. */
		cs_audit_emit(w->a, AU_GIT_DIR, NULL, path, layer_of(w, info->layer), "a git repository's metadata");
		return 0;
	}
	if ((info->mode & S_IWOTH) && !(info->mode & S_ISVTX) && system_path(path))
		cs_audit_emit(w->a, AU_WORLD_WRITABLE, NULL, path, layer_of(w, info->layer),
			      "directory with mode %04o: anyone can add or replace files in it", info->mode & 07777);
	if (w->depth >= MAX_DEPTH) {
		if (!w->deep_noted)
			cs_scan_diag(w->s, CS_LOG_WARN, "configuration audit: directories deeper than %d levels (under '%.200s') not checked",
				     MAX_DEPTH, path);
		w->deep_noted = true;
		return 0;
	}
	cache = !w->cache_dir && cache_of(path, &what, &kind);
	if (cache) {
		w->cache_dir = path;
		w->cache_what = what;
		w->cache_kind = kind;
		w->cache_files = 0;
		w->cache_bytes = 0;
		w->cache_layer = -1;
	}
	w->depth++;
	rc = cs_scan_list_dir(w->s, path, visit, w);
	w->depth--;
	if (cache) {
		if (w->cache_files)
			cs_audit_emit(w->a, AU_PKG_CACHE, NULL, path, layer_of(w, w->cache_layer),
				      "%s: %zu file%s, %llu bytes", w->cache_what, w->cache_files,
				      w->cache_files == 1 ? "" : "s", (unsigned long long)w->cache_bytes);
		w->cache_dir = NULL;
	}
	return rc;
}

static void visit_file(walk *w, const char *path, const cs_fsinfo *info)
{
	const char *base = cs_path_base(path);

	if (info->mode & (S_ISUID | S_ISGID))
		check_setuid(w, path, info);
	if ((info->mode & S_IWOTH) && system_path(path))
		cs_audit_emit(w->a, AU_WORLD_WRITABLE, NULL, path, layer_of(w, info->layer),
			      "file with mode %04o: anyone can change it", info->mode & 07777);
	if (cs_str_starts(path, "etc/ssh/ssh_host_") && cs_str_ends(path, "_key"))
		cs_audit_emit(w->a, AU_SSH_HOST_KEY, NULL, path, layer_of(w, info->layer), "SSH host private key");
	if (strcmp(base, "authorized_keys") == 0 || strcmp(base, "authorized_keys2") == 0)
		cs_audit_emit(w->a, AU_AUTHORIZED_KEYS, NULL, path, layer_of(w, info->layer),
			      "SSH authorized_keys file (%llu bytes)", (unsigned long long)info->size);
	if (w->cache_dir) {
		bool counts = w->cache_kind == CACHE_ANY ? info->size > 0
			      : w->cache_kind == CACHE_DEB ? cs_str_ends(base, ".deb")
							   : strcmp(base, "lock") != 0;

		if (counts) {
			w->cache_files++;
			w->cache_bytes += info->size;
			if (info->layer > w->cache_layer)
				w->cache_layer = info->layer;
		}
	}
}

static int visit(const char *path, const cs_fsinfo *info, void *payload)
{
	walk *w = payload;

	if (w->a->nomem)
		return CS_ENOMEM;
	if (S_ISDIR(info->mode))
		return visit_dir(w, path, info);
	if (S_ISREG(info->mode))
		visit_file(w, path, info);
	/* Symbolic links are 0777 by nature and lead elsewhere: not followed. */
	return 0;
}

int cs_audit_files(cs_audit *a, cs_scan *s)
{
	walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.a = a;
	w.s = s;
	w.rootfs = cs_scan_is_rootfs(s);
	rc = cs_scan_list_dir(s, "", visit, &w);
	return rc < 0 || a->nomem ? CS_ENOMEM : 0;
}

/* --- the account files ---------------------------------------------------------- */

typedef struct account {
	const char *name; /* points into the file's bytes; nlen bytes */
	size_t nlen;
	uint32_t uid;
	bool has_uid;
	bool login;       /* the shell lets it log in */
} account;

/* Splits line[0..n) at ':' into at most max fields; returns how many. */
static size_t fields(const char *line, size_t n, const char **f, size_t *fl, size_t max)
{
	size_t k = 0;
	const char *p = line, *end = line + n;

	while (k < max) {
		const char *c = memchr(p, ':', (size_t)(end - p));

		f[k] = p;
		fl[k] = c ? (size_t)(c - p) : (size_t)(end - p);
		k++;
		if (!c)
			break;
		p = c + 1;
	}
	return k;
}

/* Calls fn on each line of text that is not blank, a comment or an NIS +/- entry. */
static void each_line(const char *text, size_t len, void (*fn)(void *ctx, const char *line, size_t n), void *ctx)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && p[n - 1] == '\r')
			n--;
		if (n && p[0] != '#' && p[0] != '+' && p[0] != '-')
			fn(ctx, p, n);
		p = nl ? nl + 1 : end;
	}
}

static bool login_shell(const char *sh, size_t n)
{
	static const char *const nologin[] = {"nologin", "false", "sync", "shutdown", "halt"};
	const char *base = sh;
	size_t i;

	if (n == 0)
		return true; /* login(1) takes /bin/sh */
	for (i = 0; i < n; i++)
		if (sh[i] == '/')
			base = sh + i + 1;
	for (i = 0; i < CS_ARRAY_LEN(nologin); i++)
		if ((size_t)(sh + n - base) == strlen(nologin[i]) && memcmp(base, nologin[i], strlen(nologin[i])) == 0)
			return false;
	return true;
}

typedef struct accounts {
	cs_audit *a;
	cs_arena scratch;
	account *list;      /* in file order */
	size_t n, cap;
	account *by_name;   /* the same, sorted by name, for the shadow lines */
	int layer;
} accounts;

static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : an < bn ? -1 : an > bn;
}

static int by_name(const void *x, const void *y)
{
	const account *a = x, *b = y;
	int c = name_cmp(a->name, a->nlen, b->name, b->nlen);

	/* names point into the file: equal names keep file order, the first is found */
	if (c == 0 && a->name != b->name)
		c = (uintptr_t)a->name < (uintptr_t)b->name ? -1 : 1;
	return c;
}

/* The account of etc/passwd named name (the first of its name), or NULL. */
static const account *find_account(const accounts *ac, const char *name, size_t n)
{
	size_t lo = 0, hi = ac->by_name ? ac->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (name_cmp(ac->by_name[mid].name, ac->by_name[mid].nlen, name, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (ac->by_name ? ac->n : 0) && name_cmp(ac->by_name[lo].name, ac->by_name[lo].nlen, name, n) == 0
		       ? &ac->by_name[lo]
		       : NULL;
}

static void passwd_line(void *ctx, const char *line, size_t n)
{
	accounts *ac = ctx;
	const char *f[7];
	size_t fl[7], k = fields(line, n, f, fl, 7);
	account *acc;
	uint64_t uid;

	if (k < 3 || fl[0] == 0)
		return;
	if (ac->n == ac->cap) {
		account *grown = cs_arena_grow(&ac->scratch, ac->list, ac->n, &ac->cap, sizeof(*grown));

		if (!grown) {
			ac->a->nomem = true;
			return;
		}
		ac->list = grown;
	}
	acc = &ac->list[ac->n++];
	acc->name = f[0];
	acc->nlen = fl[0];
	acc->has_uid = fl[2] && fl[2] <= 10 && cs_parse_u64(f[2], fl[2], &uid) && uid <= UINT32_MAX;
	acc->uid = acc->has_uid ? (uint32_t)uid : 0;
	/* the shell is the last of 7 fields; a shorter line has none (login(1) takes /bin/sh) */
	acc->login = k < 7 || login_shell(f[6], fl[6]);
	if (fl[1] == 0 && acc->login)
		cs_audit_emit(ac->a, AU_EMPTY_PASSWORD, NULL, "etc/passwd", ac->layer,
			      "account '%.*s' has an empty password field in etc/passwd", (int)(fl[0] > 32 ? 32 : fl[0]),
			      f[0]);
}

typedef struct shadow_ctx {
	accounts *ac;
	int layer;
} shadow_ctx;

static void shadow_line(void *ctx, const char *line, size_t n)
{
	shadow_ctx *sc = ctx;
	const char *f[2];
	size_t fl[2], k = fields(line, n, f, fl, 2);
	const account *acc;

	if (k < 2 || fl[0] == 0 || fl[1] != 0)
		return;
	/* An account etc/passwd does not list, or lists with a shell, can log in. */
	if ((acc = find_account(sc->ac, f[0], fl[0])) != NULL && !acc->login)
		return;
	cs_audit_emit(sc->ac->a, AU_EMPTY_PASSWORD, NULL, "etc/shadow", sc->layer,
		      "account '%.*s' has an empty password in etc/shadow", (int)(fl[0] > 32 ? 32 : fl[0]), f[0]);
}

static int by_uid(const void *x, const void *y)
{
	const account *a = x, *b = y;
	size_t n = a->nlen < b->nlen ? a->nlen : b->nlen;
	int c;

	if (a->uid != b->uid)
		return a->uid < b->uid ? -1 : 1;
	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	return a->nlen < b->nlen ? -1 : a->nlen > b->nlen;
}

/* Duplicate UIDs (one finding per UID) and UID 0 accounts besides root. */
static void uid_checks(accounts *ac)
{
	account *sorted;
	size_t i, j, m = 0;

	if (!ac->n)
		return;
	if (!(sorted = cs_arena_calloc(&ac->scratch, ac->n, sizeof(*sorted)))) {
		ac->a->nomem = true;
		return;
	}
	for (i = 0; i < ac->n; i++)
		if (ac->list[i].has_uid)
			sorted[m++] = ac->list[i];
	qsort(sorted, m, sizeof(*sorted), by_uid);
	for (i = 0; i < m; i = j) {
		char names[160];
		size_t used = 0, shown = 0;

		for (j = i + 1; j < m && sorted[j].uid == sorted[i].uid; j++)
			;
		if (sorted[i].uid == 0) {
			size_t k;

			for (k = i; k < j; k++) {
				const account *x = &sorted[k];
				const char **grown;

				if (x->nlen == 4 && memcmp(x->name, "root", 4) == 0)
					continue;
				cs_audit_emit(ac->a, AU_UID0, NULL, "etc/passwd", ac->layer, "account '%.*s' has UID 0",
					      (int)(x->nlen > 32 ? 32 : x->nlen), x->name);
				/* kept for the User check, a few are enough */
				if (ac->a->nuid0 < 16) {
					grown = cs_arena_calloc(ac->a->arena, ac->a->nuid0 + 1, sizeof(*grown));
					if (!grown || !(grown[ac->a->nuid0] = cs_arena_strndup(ac->a->arena, x->name, x->nlen))) {
						ac->a->nomem = true;
						continue;
					}
					if (ac->a->nuid0)
						memcpy(grown, ac->a->uid0, ac->a->nuid0 * sizeof(*grown));
					ac->a->uid0 = grown;
					ac->a->nuid0++;
				}
			}
			continue;
		}
		if (j - i < 2)
			continue;
		names[0] = '\0';
		for (shown = 0; shown < 4 && i + shown < j; shown++) {
			const account *x = &sorted[i + shown];
			int wrote = snprintf(names + used, sizeof(names) - used, "%s'%.*s'", shown ? ", " : "",
					     (int)(x->nlen > 24 ? 24 : x->nlen), x->name);

			if (wrote < 0 || (size_t)wrote >= sizeof(names) - used)
				break;
			used += (size_t)wrote;
		}
		if (j - i > shown)
			cs_audit_emit(ac->a, AU_DUP_UID, NULL, "etc/passwd", ac->layer,
				      "UID %u is shared by %zu accounts: %s and %zu more", sorted[i].uid, j - i, names,
				      j - i - shown);
		else
			cs_audit_emit(ac->a, AU_DUP_UID, NULL, "etc/passwd", ac->layer, "UID %u is shared by %s",
				      sorted[i].uid, names);
	}
}

void cs_audit_accounts(cs_audit *a, const char *passwd, size_t plen, int player, const char *shadow, size_t slen,
		       int slayer)
{
	accounts ac;
	shadow_ctx sc;

	memset(&ac, 0, sizeof(ac));
	ac.a = a;
	ac.layer = player;
	cs_arena_init(&ac.scratch);
	if (passwd) {
		each_line(passwd, plen, passwd_line, &ac);
		uid_checks(&ac);
	}
	if (shadow) {
		if (ac.n && (ac.by_name = cs_arena_calloc(&ac.scratch, ac.n, sizeof(*ac.by_name)))) {
			memcpy(ac.by_name, ac.list, ac.n * sizeof(*ac.by_name));
			qsort(ac.by_name, ac.n, sizeof(*ac.by_name), by_name);
		} else if (ac.n) {
			a->nomem = true;
		}
		sc.ac = &ac;
		sc.layer = slayer;
		each_line(shadow, slen, shadow_line, &sc);
	}
	cs_arena_release(&ac.scratch);
}
