/*
 * dockerfile.c - the Dockerfile lint: the checks over a parsed Dockerfile
 * (audit/dfparse.h), RUN commands read by audit/dfshell.h.
 *
 * The checks are one constant table (ids are stable: reports, ignore files
 * and policies refer to them); docs/config-audit.md lists each with its
 * Hadolint and Trivy equivalents. The walk goes stage by stage, carrying
 * what a stage inherits from the stage it is built FROM (USER, SHELL,
 * WORKDIR, HEALTHCHECK, ENV), so the final stage's state is the image's.
 * Checks about what ends up in the image (caches left behind) only look at
 * the stages that ship: the final one and those it is built FROM.
 */
#include "core/compat.h"
#include "audit/dockerfile.h"

#include "audit/dfparse.h"
#include "audit/dfshell.h"
#include "core/buf.h"
#include "core/strutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <strings.h>

enum {
	DF_LATEST,
	DF_UNTAGGED,
	DF_ROOT,
	DF_WORKDIR_REL,
	DF_WORKDIR_SYS,
	DF_CD,
	DF_SUDO,
	DF_APT_YES,
	DF_APT_RECOMMENDS,
	DF_UPDATE_ALONE,
	DF_APT_LISTS,
	DF_APT,
	DF_APK_CACHE,
	DF_RPM_YES,
	DF_RPM_CLEAN,
	DF_PIP_CACHE,
	DF_UPGRADE,
	DF_DIST_UPGRADE,
	DF_ADD_COPY,
	DF_ADD_URL,
	DF_COPY_UNKNOWN,
	DF_COPY_SELF,
	DF_DUP_STAGE,
	DF_MULTI_CMD,
	DF_MULTI_ENTRYPOINT,
	DF_MULTI_HEALTHCHECK,
	DF_SHELL_FORM,
	DF_MAINTAINER,
	DF_PORT_RANGE,
	DF_PORT_REMOTE,
	DF_NO_HEALTHCHECK,
	DF_PIPEFAIL,
	DF_CURL_SH,
	DF_CHMOD,
	DF_SECRET_VALUE,
	DF_SECRET_ARG,
	DF_COPY_SLASH,
	DF_WGET_CURL,
	DF_PLATFORM,
	DF_COPY_REL,
	DF_SYNTAX,
	DF_NCHECKS
};

static const cs_df_check checks[DF_NCHECKS] = {
	[DF_LATEST] = {"CS-DF-001", "FROM uses the 'latest' tag", "medium", NULL,
		"An image tagged 'latest' changes whenever its publisher pushes a new one: the same Dockerfile "
		"builds a different image from one day to the next, and a rebuild can pull in breaking or "
		"vulnerable changes unnoticed. An image named through an ARG is checked after substituting the "
		"ARG's default; 'scratch' and earlier stages are not images.",
		"Pin a version tag (debian:12.5) or, better, a digest (debian@sha256:...).", "DL3007", "DS-0001"},
	[DF_UNTAGGED] = {"CS-DF-002", "FROM image without a tag or digest", "medium", NULL,
		"An image named without a tag or digest means its 'latest' tag, with the same drift: every build "
		"may start from a different base. 'scratch', earlier stages and images named through an ARG "
		"without a default are not reported.",
		"Pin a version tag (debian:12.5) or, better, a digest (debian@sha256:...).", "DL3006", "DS-0001"},
	[DF_ROOT] = {"CS-DF-003", "Image runs as root", "high", "4.1",
		"The last USER of the final stage is root (or UID 0), or the final stage sets no USER at all and "
		"so runs as its base image's user, root for most bases. A process running as root in a container "
		"keeps root's power over everything a breakout, a mounted volume or a shared namespace exposes.",
		"Create an unprivileged user (useradd -r app) and end the final stage with USER app (or a "
		"numeric UID).",
		"DL3002", "DS-0002"},
	[DF_WORKDIR_REL] = {"CS-DF-004", "WORKDIR path is relative", "low", NULL,
		"A relative WORKDIR is resolved against the previous one, which the base image may set or change, "
		"so where the following instructions run is not visible from the Dockerfile.",
		"Use an absolute path (WORKDIR /app).", "DL3000", "DS-0009"},
	[DF_WORKDIR_SYS] = {"CS-DF-005", "WORKDIR in a system directory", "high", NULL,
		"A WORKDIR under /proc, /boot, /dev, /initrd or /lost+found puts the application where the kernel "
		"or the runtime mounts special filesystems; a process working there can reach host interfaces.",
		"Use an application directory such as /app or /srv/app.", NULL, "DS-0030"},
	[DF_CD] = {"CS-DF-006", "RUN changes directory with cd", "low", NULL,
		"cd in a RUN lasts for that RUN only; the next instructions still run in the old directory, a "
		"common source of confusion. WORKDIR sets the directory for every later instruction and creates it.",
		"Use WORKDIR DIR, or the command's own directory option (make -C DIR, git -C DIR).", "DL3003",
		"DS-0013"},
	[DF_SUDO] = {"CS-DF-007", "RUN uses sudo", "medium", NULL,
		"A build runs as the current USER with no terminal; sudo adds a setuid program and its "
		"configuration to the image, behaves unlike plain root (environment reset, tty requirements), and "
		"hints that the image hands root to its user at run time.",
		"Run the step as root before switching USER (USER root ... USER app); use gosu or su-exec where "
		"a privilege drop is needed at run time.",
		"DL3004", "DS-0010"},
	[DF_APT_YES] = {"CS-DF-008", "apt-get without -y", "low", NULL,
		"apt-get install, upgrade and remove ask for confirmation; in a build nobody answers, and the step "
		"fails.",
		"Add -y (or --yes, -qq).", "DL3014", "DS-0021"},
	[DF_APT_RECOMMENDS] = {"CS-DF-009", "apt-get install without --no-install-recommends", "low", "4.3",
		"apt installs every recommended package by default, which often doubles an image and adds "
		"software (and vulnerabilities) nobody asked for. Not reported once a RUN of the stage configured "
		"APT::Install-Recommends.",
		"Add --no-install-recommends and list what is really needed.", "DL3015", "DS-0029"},
	[DF_UPDATE_ALONE] = {"CS-DF-010", "Package index updated without an install in the same RUN", "medium", "4.7",
		"A RUN that updates the package index (apt-get update, apk update, yum/dnf/zypper update) without "
		"installing in the same RUN becomes a cached layer: after the Dockerfile changes, a later install "
		"reuses the stale index, installs outdated packages or fails when the mirror dropped them.",
		"Update and install in one RUN: apt-get update && apt-get install -y ...", NULL, "DS-0017"},
	[DF_APT_LISTS] = {"CS-DF-011", "apt lists left in the image", "low", NULL,
		"apt-get update downloads the package lists into /var/lib/apt/lists (tens of MB); unless the same "
		"RUN deletes them they stay in that layer for good, whatever later RUNs remove. Only stages that "
		"end up in the image are checked; a cache mount on the lists is fine.",
		"End the RUN with rm -rf /var/lib/apt/lists/* (or RUN --mount=type=cache,target=/var/lib/apt/lists).",
		"DL3009", NULL},
	[DF_APT] = {"CS-DF-012", "apt used instead of apt-get", "low", NULL,
		"apt is the interactive front end: its command-line interface is not stable, and it says so when "
		"used in scripts. apt-get and apt-cache are the tools meant for scripts.",
		"Use apt-get (or apt-cache).", "DL3027", NULL},
	[DF_APK_CACHE] = {"CS-DF-013", "apk add without --no-cache", "low", NULL,
		"apk add keeps the downloaded index in /var/cache/apk unless --no-cache is given, and it stays in "
		"the layer. Not reported when the same RUN removes /var/cache/apk, or for a cache mount; only "
		"stages that end up in the image are checked.",
		"Use apk add --no-cache (no separate apk update is needed).", "DL3019", "DS-0025"},
	[DF_RPM_YES] = {"CS-DF-014", "yum, dnf or zypper without a non-interactive switch", "low", NULL,
		"yum and dnf ask for confirmation without -y, zypper without -n (--non-interactive) or -y; in a "
		"build nobody answers and the step fails. microdnf does not ask.",
		"Add -y (yum, dnf) or -n / -y (zypper).", "DL3030, DL3038, DL3034", NULL},
	[DF_RPM_CLEAN] = {"CS-DF-015", "yum, dnf, microdnf or zypper cache not cleaned", "low", NULL,
		"Package metadata and downloaded packages stay in /var/cache/yum, /var/cache/dnf or "
		"/var/cache/zypp unless the RUN that installed them cleans up. Only stages that end up in the "
		"image are checked; a cache mount is fine.",
		"End the RUN with yum clean all, dnf clean all, microdnf clean all or zypper clean -a (or remove "
		"the cache directory).",
		"DL3032, DL3040, DL3036", "DS-0015, DS-0019, DS-0027, DS-0020"},
	[DF_PIP_CACHE] = {"CS-DF-016", "pip install without --no-cache-dir", "low", NULL,
		"pip keeps the packages it downloaded and the wheels it built in ~/.cache/pip, and they stay in "
		"the layer. Not reported with ENV PIP_NO_CACHE_DIR, a cache mount, or when the RUN removes "
		"~/.cache; only stages that end up in the image are checked.",
		"Add --no-cache-dir, or set ENV PIP_NO_CACHE_DIR=1.", "DL3042", NULL},
	[DF_UPGRADE] = {"CS-DF-017", "Packages upgraded inside the image", "low", NULL,
		"apt-get upgrade, apk upgrade, or yum/dnf/zypper update without package names upgrade whatever "
		"the base image ships at build time: the result depends on the day of the build, and it hides "
		"that the base image itself is out of date.",
		"Rebuild on a patched base image (or pin a newer one); install the specific fixed versions when "
		"one package needs a fix.",
		NULL, NULL},
	[DF_DIST_UPGRADE] = {"CS-DF-018", "Distribution upgrade inside the image", "medium", NULL,
		"apt-get dist-upgrade (full-upgrade), zypper dist-upgrade or dnf distro-sync may move packages "
		"across releases and remove others, turning the base image into something its publisher never "
		"tested.",
		"Use a base image of the release you want.", "DL3035", "DS-0024"},
	[DF_ADD_COPY] = {"CS-DF-019", "ADD used to copy local files", "low", "4.9",
		"ADD also unpacks archives and fetches URLs; for plain files that magic is a trap (a file that "
		"happens to be a tar archive gets extracted). COPY does only what it says. Local archives "
		"(.tar, .tar.gz, .tgz, .tar.bz2, .tar.xz, .tar.zst...), which ADD is meant for, and URLs (CS-DF-020) "
		"are not reported here.",
		"Use COPY.", "DL3020", "DS-0005"},
	[DF_ADD_URL] = {"CS-DF-020", "ADD fetches a remote URL", "medium", "4.9",
		"ADD https://... or a Git URL downloads at build time whatever the server returns, unchecked: "
		"the content can change or be tampered with. Not reported with ADD --checksum=sha256:..., or for "
		"a Git URL pinned to a commit (#<40 hex digits>).",
		"Use ADD --checksum=sha256:..., or download in a RUN and verify a checksum or signature.", NULL, NULL},
	[DF_COPY_UNKNOWN] = {"CS-DF-021", "COPY --from names no earlier stage", "medium", NULL,
		"COPY --from=NAME copies from the earlier stage called NAME; when there is none, BuildKit pulls an "
		"image called NAME (tag 'latest'), so a typo silently copies from a registry image. Image "
		"references with a tag, digest, registry or path are not reported.",
		"Name an earlier stage (FROM ... AS NAME), or give a pinned image reference (--from=image:tag).",
		"DL3022", NULL},
	[DF_COPY_SELF] = {"CS-DF-022", "COPY --from refers to its own stage", "medium", NULL,
		"A stage cannot copy from itself (or from a later stage): the build fails.",
		"Copy from an earlier stage, or use a plain COPY.", "DL3023", "DS-0006"},
	[DF_DUP_STAGE] = {"CS-DF-023", "Two stages have the same name", "medium", NULL,
		"Stage names must be unique (case does not count): BuildKit refuses the Dockerfile, and COPY "
		"--from would be ambiguous.",
		"Rename one of the stages.", "DL3024", "DS-0012"},
	[DF_MULTI_CMD] = {"CS-DF-024", "More than one CMD in a stage", "low", NULL,
		"Only the last CMD of a stage takes effect; the earlier ones are dead code that misleads readers.",
		"Keep one CMD per stage.", "DL4003", "DS-0016"},
	[DF_MULTI_ENTRYPOINT] = {"CS-DF-025", "More than one ENTRYPOINT in a stage", "low", NULL,
		"Only the last ENTRYPOINT of a stage takes effect; the earlier ones are dead code that misleads "
		"readers.",
		"Keep one ENTRYPOINT per stage.", "DL4004", "DS-0007"},
	[DF_MULTI_HEALTHCHECK] = {"CS-DF-026", "More than one HEALTHCHECK in a stage", "low", NULL,
		"Only the last HEALTHCHECK of a stage takes effect; the earlier ones are dead code that misleads "
		"readers.",
		"Keep one HEALTHCHECK per stage.", "DL3012", "DS-0023"},
	[DF_SHELL_FORM] = {"CS-DF-027", "CMD or ENTRYPOINT in shell form", "low", NULL,
		"The shell form runs the command under /bin/sh -c: the application is not PID 1, gets no SIGTERM "
		"on docker stop and is killed after the timeout; an ENTRYPOINT in shell form also ignores CMD and "
		"the arguments given to docker run.",
		"Use the JSON form: CMD [\"executable\", \"arg\"].", "DL3025", NULL},
	[DF_MAINTAINER] = {"CS-DF-028", "MAINTAINER is deprecated", "low", NULL,
		"MAINTAINER has been deprecated since Docker 1.13; labels carry the same information where tools "
		"look for it.",
		"Use LABEL org.opencontainers.image.authors=\"...\".", "DL4000", "DS-0022"},
	[DF_PORT_RANGE] = {"CS-DF-029", "EXPOSE of an invalid port", "medium", NULL,
		"Ports run from 0 to 65535 with a protocol of tcp, udp or sctp; anything else fails the build or "
		"leaves meaningless metadata. Ports given through variables are not checked.",
		"Expose PORT[/tcp|udp|sctp] or a range LOW-HIGH within 0-65535.", "DL3011", "DS-0008"},
	[DF_PORT_REMOTE] = {"CS-DF-030", "EXPOSE of a remote-login port", "medium", NULL,
		"Port 22 (SSH), 23 (telnet) or 3389 (RDP) means the container runs a remote-login service: one "
		"more daemon, more credentials, more attack surface. Containers are entered with docker exec or "
		"kubectl exec.",
		"Remove the service and its EXPOSE.", NULL, "DS-0004"},
	[DF_NO_HEALTHCHECK] = {"CS-DF-031", "No HEALTHCHECK", "low", "4.6",
		"Without a HEALTHCHECK the engine only knows whether the process runs, not whether it works, so "
		"a hung service is never restarted by what honours the image's healthcheck. Checked on the final "
		"stage and the stages it is built FROM.",
		"Add HEALTHCHECK CMD ... (or HEALTHCHECK NONE to say that none is wanted).", "DL3057", "DS-0026"},
	[DF_PIPEFAIL] = {"CS-DF-032", "RUN with a pipe but no pipefail", "low", NULL,
		"A RUN fails only when the last command of a pipeline fails: in 'curl URL | tar x' a failed "
		"download goes unnoticed and the build succeeds with a broken layer. Not reported when SHELL sets "
		"-o pipefail, the RUN starts with set -o pipefail, or the shell is not a POSIX one (pwsh, cmd).",
		"Set SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before the RUN, or start it with set -o "
		"pipefail &&.",
		"DL4006", NULL},
	[DF_CURL_SH] = {"CS-DF-033", "Remote script piped to a shell", "high", "4.11",
		"curl URL | sh (wget -O- URL | bash, sh -c \"$(curl URL)\", bash <(curl URL)) runs whatever the "
		"server sends, unverified, in the build: a compromised or spoofed server owns the image.",
		"Download the script, verify its checksum or signature, then run it; or install the software from "
		"a package repository.",
		NULL, NULL},
	[DF_CHMOD] = {"CS-DF-034", "World-writable permissions", "medium", NULL,
		"chmod 777 (or 666, o+w, COPY/ADD --chmod=777) lets every user and process in the container change "
		"the files, including programs that root runs later. Modes with the sticky bit (1777, shared "
		"directories like /tmp) are not reported.",
		"Give the files to the user that must write them (chown, COPY --chown) and use 755/644.", NULL,
		NULL},
	[DF_SECRET_VALUE] = {"CS-DF-035", "Secret in ENV or an ARG default", "high", "4.10",
		"ENV values are stored in the image config and ARG defaults in its history: anyone who can pull "
		"the image reads them (docker inspect, docker history). Names that look like secrets (PASSWORD, "
		"TOKEN, SECRET, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS...) with a value are reported; the "
		"value is never shown. Names ending in _FILE, _PATH, _DIR, _URL and the like are not.",
		"Pass build secrets with RUN --mount=type=secret and run-time secrets through the orchestrator or "
		"a mounted file (the *_FILE convention).",
		"DL3064", "DS-0031"},
	[DF_SECRET_ARG] = {"CS-DF-036", "Secret passed as a build argument", "medium", "4.10",
		"A build argument's value is recorded in the image history of every RUN that uses it (docker "
		"history shows it), even when the ARG has no default.",
		"Use RUN --mount=type=secret,id=NAME with docker build --secret id=NAME,...", "DL3064", "DS-0031"},
	[DF_COPY_SLASH] = {"CS-DF-037", "Several sources copied to a destination without '/'", "medium", NULL,
		"With more than one source, COPY and ADD need a directory as destination, written with a trailing "
		"'/'; otherwise the build fails.",
		"End the destination with '/'.", "DL3021", "DS-0011"},
	[DF_WGET_CURL] = {"CS-DF-038", "Both wget and curl used in a stage", "low", NULL,
		"Two tools for the same job mean two packages, with their dependencies and vulnerabilities, in the "
		"image.",
		"Use one of them.", "DL4001", "DS-0014"},
	[DF_PLATFORM] = {"CS-DF-039", "FROM --platform pinned to one platform", "low", NULL,
		"FROM --platform=linux/amd64 forces that platform whatever is being built: a multi-platform build "
		"silently produces amd64 content for every platform. Values with variables ($BUILDPLATFORM, "
		"$TARGETPLATFORM) are not reported.",
		"Drop --platform, or use --platform=$BUILDPLATFORM for build stages.", "DL3029", NULL},
	[DF_COPY_REL] = {"CS-DF-040", "COPY to a relative destination without WORKDIR", "low", NULL,
		"A relative destination is resolved against the working directory, which the base image chooses "
		"when the stage sets no WORKDIR, so the files land somewhere the Dockerfile does not show.",
		"Set WORKDIR first, or use an absolute destination.", "DL3045", NULL},
	[DF_SYNTAX] = {"CS-DF-041", "Instruction that BuildKit refuses", "medium", NULL,
		"An unknown instruction, an instruction other than ARG before the first FROM, a missing argument, "
		"an unclosed heredoc, ONBUILD FROM/MAINTAINER/ONBUILD, a FROM that is not 'image [AS name]', a "
		"file without FROM: BuildKit fails on these, and the other checks may see an incomplete picture.",
		"Fix the instruction.", "DL3061, DL3043", NULL},
};

const cs_df_check *cs_dockerfile_check_at(size_t i)
{
	return i < DF_NCHECKS ? &checks[i] : NULL;
}

const cs_df_check *cs_dockerfile_check_find(const char *id)
{
	size_t i;

	for (i = 0; i < DF_NCHECKS; i++)
		if (!strcmp(checks[i].id, id))
			return &checks[i];
	return NULL;
}

/* ------------------------------------------------------------------ state */

/* What a stage has set so far; a stage built FROM another starts with its state. */
typedef struct sstate {
	const cs_df_instr *user; /* last USER, or NULL */
	bool healthcheck;        /* a HEALTHCHECK (NONE included) */
	bool shell_pipefail;     /* SHELL sets -o pipefail */
	bool shell_posix;        /* the shell is a POSIX one (default /bin/sh) */
	bool workdir;            /* a WORKDIR was set */
	bool pip_no_cache;       /* ENV PIP_NO_CACHE_DIR */
	bool no_recommends;      /* APT::Install-Recommends configured by a RUN */
} sstate;

typedef struct stage_info {
	int parent;       /* the earlier stage this one is built FROM, or -1 */
	bool ships;       /* its files end up in the final image */
	sstate end;       /* its state after its last instruction */
} stage_info;

typedef struct lint {
	const cs_dockerfile *df;
	cs_arena *a;
	cs_df_emit_fn emit;
	void *payload;
	cs_err *err;
	int rc;
	stage_info *st;
	const char **argn, **argv; /* global ARGs (before the first FROM): names and defaults (NULL: none) */
	size_t nargs, capargs;
	bool windows;               /* escape=` or a Windows base: no POSIX shell by default */
} lint;

/* Replaces control bytes and invalid UTF-8 in s with '?' (messages go to terminals and JSON). */
static void sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t n = 0, k;

		if (*p < 0x20 || *p == 0x7f) {
			*p = *p == '\t' ? ' ' : '?';
			p++;
			continue;
		}
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3;
		for (k = 1; n && k <= n; k++)
			if ((p[k] & 0xc0) != 0x80)
				n = 0;
		/* overlong 3-byte, surrogates, beyond U+10FFFF */
		if (n == 2 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
			n = 0;
		if (n == 3 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
			n = 0;
		if (!n) {
			*p++ = '?';
			continue;
		}
		p += n + 1;
	}
}

/* s cut to about 60 bytes (at a character boundary) with "...", for messages. */
static const char *snip(lint *L, const char *s)
{
	size_t n = strlen(s), cut = 60;
	char *o;

	if (n <= cut + 3)
		return s;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	o = cs_arena_printf(L->a, "%.*s...", (int)cut, s);
	return o ? o : "";
}

static void report(lint *L, int id, uint64_t line, const char *fmt, ...) CS_PRINTF(4, 5);

static void report(lint *L, int id, uint64_t line, const char *fmt, ...)
{
	cs_df_finding f;
	char *body, *msg;
	va_list ap;
	int rc;

	if (L->rc < 0)
		return;
	va_start(ap, fmt);
	body = cs_arena_vprintf(L->a, fmt, ap);
	va_end(ap);
	msg = body ? (line ? cs_arena_printf(L->a, "line %llu: %s", (unsigned long long)line, body)
			   : cs_arena_strdup(L->a, body))
		   : NULL;
	if (!msg) {
		L->rc = cs_err_set(L->err, CS_ENOMEM, "out of memory");
		return;
	}
	sanitize(msg);
	f.check = &checks[id];
	f.line = line;
	f.message = msg;
	if ((rc = L->emit(&f, L->payload)) < 0)
		L->rc = cs_err_set(L->err, rc, "%s", rc == CS_ENOMEM ? "out of memory" : "cannot record a finding");
}

static bool kw(const cs_df_instr *in, const char *k)
{
	return !strcmp(in->keyword, k);
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static bool is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* s equals prefix, or starts with prefix followed by '/' or a glob. */
static bool path_under(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(s, prefix, n) && (s[n] == '\0' || s[n] == '/' || s[n] == '*');
}

/* ---------------------------------------------------------- FROM and ARG */

/* A global ARG's default: *found tells whether the ARG exists; NULL when it has no default. */
static const char *garg(const lint *L, const char *name, size_t n, bool *found)
{
	size_t i;

	*found = false;
	for (i = L->nargs; i-- > 0;)
		if (strlen(L->argn[i]) == n && !strncmp(L->argn[i], name, n)) {
			*found = true;
			return L->argv[i];
		}
	return NULL;
}

/*
 * FROM's image with the global ARGs' defaults substituted ($N, ${N},
 * ${N:-word}, ${N-word}, ${N:+word}, ${N+word}); NULL when a variable has no
 * value to substitute (a --build-arg decides). *changed: something was.
 */
static const char *expand(lint *L, const char *s, bool *changed)
{
	cs_buf b = CS_BUF_INIT;
	const char *p = s, *r = NULL;
	bool ok = true;

	*changed = false;
	cs_buf_init(&b, 4096);
	while (*p && ok) {
		const char *name, *word = NULL, *val;
		size_t nn, wn = 0;
		char op = 0;
		bool colon = false, found;

		if (*p == L->df->escape && p[1] == '$') {
			ok = cs_buf_putc(&b, '$') == 0;
			p += 2;
			continue;
		}
		if (*p != '$' || !(p[1] == '{' || isalpha((unsigned char)p[1]) || p[1] == '_')) {
			ok = cs_buf_putc(&b, *p++) == 0;
			continue;
		}
		if (p[1] == '{') {
			const char *end = strchr(p, '}');

			if (!end) {
				ok = false;
				break;
			}
			name = p + 2;
			nn = 0;
			while (name + nn < end && (isalnum((unsigned char)name[nn]) || name[nn] == '_'))
				nn++;
			if (name[nn] == ':') {
				colon = true;
				nn++;
			}
			if (name + nn < end) {
				op = name[nn];
				word = name + nn + 1;
				wn = (size_t)(end - word);
			}
			if (colon)
				nn--;
			if ((op && op != '-' && op != '+') || (colon && !op) || !nn) {
				ok = false;
				break;
			}
			p = end + 1;
		} else {
			name = p + 1;
			nn = 0;
			while (isalnum((unsigned char)name[nn]) || name[nn] == '_')
				nn++;
			p = name + nn;
		}
		*changed = true;
		val = garg(L, name, nn, &found);
		if (op == '-') {
			if (!found || !val || (colon && !*val)) {
				val = cs_arena_strndup(L->a, word, wn);
				if (val && strchr(val, '$'))
					val = NULL; /* nested variables: not worth guessing */
			}
		} else if (op == '+') {
			val = found && val && (!colon || *val) ? cs_arena_strndup(L->a, word, wn) : "";
		}
		if (!val) {
			ok = false;
			break;
		}
		ok = cs_buf_puts(&b, val) == 0;
	}
	if (ok)
		r = cs_arena_strndup(L->a, b.data ? b.data : "", b.len);
	cs_buf_release(&b);
	return r;
}

/* The earlier stage (before k) called name, or -1. Names are case-insensitive. */
static int stage_named(const lint *L, size_t k, const char *name)
{
	size_t j;

	for (j = k; j-- > 0;)
		if (L->df->stages[j].name && !strcasecmp(L->df->stages[j].name, name))
			return (int)j;
	return -1;
}

static int add_garg(lint *L, const char *word)
{
	const char *eq = strchr(word, '=');

	if (L->nargs == L->capargs) {
		size_t cap = L->capargs;
		const char **nn = cs_arena_grow(L->a, L->argn, L->nargs, &cap, sizeof(*nn));
		const char **nv = cs_arena_grow(L->a, L->argv, L->nargs, &L->capargs, sizeof(*nv));

		if (!nn || !nv)
			return cs_err_set(L->err, CS_ENOMEM, "out of memory");
		L->argn = nn;
		L->argv = nv;
	}
	L->argn[L->nargs] = eq ? cs_arena_strndup(L->a, word, (size_t)(eq - word)) : word;
	L->argv[L->nargs] = eq ? eq + 1 : NULL;
	if (!L->argn[L->nargs])
		return cs_err_set(L->err, CS_ENOMEM, "out of memory");
	L->nargs++;
	return 0;
}

/* FROM of stage k: its parent stage, the image's tag, --platform, a duplicate name. */
static void check_from(lint *L, size_t k)
{
	const cs_df_stage *st = &L->df->stages[k];
	const char *image = st->image, *tag, *slash, *colon;
	bool changed = false;
	int j;

	if (st->name && (j = stage_named(L, k, st->name)) >= 0)
		report(L, DF_DUP_STAGE, st->line, "stage name '%s' is already used by the stage at line %llu",
		       snip(L, st->name), (unsigned long long)L->df->stages[j].line);
	if (st->platform && !strchr(st->platform, '$'))
		report(L, DF_PLATFORM, st->line, "FROM --platform=%s pins the platform", snip(L, st->platform));
	L->st[k].parent = -1;
	if (!*image)
		return;
	if ((j = stage_named(L, k, image)) >= 0) {
		L->st[k].parent = j;
		return;
	}
	if (!(image = expand(L, image, &changed)))
		return; /* decided by a --build-arg */
	if (changed && (j = stage_named(L, k, image)) >= 0) {
		L->st[k].parent = j;
		return;
	}
	if (!strcasecmp(image, "scratch") || strchr(image, '@') || !*image)
		return;
	slash = strrchr(image, '/');
	colon = strrchr(image, ':');
	tag = colon && (!slash || colon > slash) ? colon + 1 : NULL;
	if (!tag)
		report(L, DF_UNTAGGED, st->line, "FROM '%s'%s%s%s has no tag or digest: it means '%s:latest'",
		       snip(L, st->image), changed ? " (" : "", changed ? snip(L, image) : "", changed ? ")" : "",
		       snip(L, image));
	else if (!strcmp(tag, "latest"))
		report(L, DF_LATEST, st->line, "FROM '%s'%s%s%s uses the 'latest' tag", snip(L, st->image),
		       changed ? " (" : "", changed ? snip(L, image) : "", changed ? ")" : "");
}

/* --------------------------------------------------------- secrets (names) */

/*
 * Does an ENV or ARG name look like it holds a secret? Split on '_', '-'
 * and '.', upper-cased: a secret word (PASSWORD, TOKEN, SECRET, ...) or
 * pair (API KEY, PRIVATE KEY, ACCESS KEY), unless the last part says the
 * variable holds where or what the secret is (FILE, PATH, URL, NAME...).
 */
static bool secret_name(const char *name)
{
	static const char *const words[] = {"PASSWORD", "PASSWD", "PASS", "PASSPHRASE", "SECRET", "SECRETS",
					    "TOKEN", "APIKEY", "PRIVATEKEY", "CREDENTIALS", "CREDENTIAL",
					    "AUTHTOKEN", "ACCESSTOKEN", NULL};
	static const char *const pair_first[] = {"API", "PRIVATE", "ACCESS", "SECRET", "CLIENT", "AUTH",
						 "ENCRYPTION", "SIGNING", "MASTER", NULL};
	static const char *const not_last[] = {"FILE", "PATH", "DIR", "URL", "URI", "HOST", "PORT", "NAME",
					       "LENGTH", "SIZE", "TYPE", "ENABLED", "MODE", "HEADER", "FORMAT",
					       "EXPIRY", "TTL", "VERSION", "POLICY", "PREFIX", "SUFFIX", "PATTERN",
					       "LOCATION", "ENDPOINT", "SERVER", "ID", "REGEX", "HINT", NULL};
	/* switches about a secret, not secrets: MYSQL_ALLOW_EMPTY_PASSWORD=yes */
	static const char *const switches[] = {"ALLOW", "EMPTY", "RANDOM", "GENERATE", "REQUIRE", "SKIP",
					       "DISABLE", "ENABLE", "NO", NULL};
	char up[128], *parts[16];
	size_t n = strlen(name), i, np = 0;

	if (!n || n >= sizeof(up))
		return false;
	/* names that the big clouds document as credentials, whatever their last part */
	if (!strcasecmp(name, "AWS_ACCESS_KEY_ID"))
		return true;
	for (i = 0; i <= n; i++)
		up[i] = (char)toupper((unsigned char)name[i]);
	parts[np++] = up;
	for (i = 0; i < n && np < CS_ARRAY_LEN(parts); i++)
		if (up[i] == '_' || up[i] == '-' || up[i] == '.') {
			up[i] = '\0';
			parts[np++] = up + i + 1;
		}
	if (is_one_of(parts[np - 1], not_last))
		return false;
	for (i = 0; i < np; i++)
		if (is_one_of(parts[i], switches))
			return false;
	for (i = 0; i < np; i++) {
		if (is_one_of(parts[i], words) || strstr(parts[i], "PASSWORD"))
			return true;
		if (i + 1 < np && !strcmp(parts[i + 1], "KEY") && is_one_of(parts[i], pair_first))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ RUN commands */

/* One simple command of a RUN, seen past its wrappers (sudo, env, nice...). */
typedef struct cmdv {
	const cs_sh_cmd *c;
	const char *prog;        /* basename of the program ("apt-get"), "" when none */
	const char *const *args; /* the program's arguments */
	size_t nargs;
	bool sudo;               /* run through sudo or doas */
	bool top;                /* in the RUN's own script, not in an `sh -c` string */
} cmdv;

#define MAX_RUN_CMDS 8192u
#define MAX_SH_DEPTH 3

typedef struct run {
	const cs_df_instr *in;
	cmdv *v;
	size_t n, cap;
	unsigned npipelines;
	bool top_pipe;       /* a pipe in the RUN's own script */
	bool pipefail_first; /* `set -o pipefail` came before that pipe */
} run;

static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", NULL};

static bool is_assign_word(const char *w)
{
	if (!isalpha((unsigned char)*w) && *w != '_')
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

/* prog is base followed only by digits and dots (python3.11, pip3). */
static bool prog_is(const char *prog, const char *base_name)
{
	size_t n = strlen(base_name);

	if (strncmp(prog, base_name, n))
		return false;
	for (prog += n; *prog; prog++)
		if (!isdigit((unsigned char)*prog) && *prog != '.')
			return false;
	return true;
}

static cmdv view(const cs_sh_cmd *c)
{
	static const char *const plain[] = {"nohup", "exec", "command", "builtin", "eatmydata", "chronic",
					    "time", "stdbuf", NULL};
	const char *const *a = c->argv;
	size_t k = 0, argc = c->argc;
	cmdv v;

	memset(&v, 0, sizeof(v));
	v.c = c;
	while (k < argc) {
		const char *p = base(a[k]);

		if (!strcmp(p, "sudo") || !strcmp(p, "doas")) {
			v.sudo = true;
			for (k++; k < argc && (a[k][0] == '-' || is_assign_word(a[k])); k++) {
				if (!strcmp(a[k], "--")) {
					k++;
					break;
				}
				if (a[k][0] == '-' && a[k][1] && !a[k][2] && strchr("ughpCDrtUTc", a[k][1]) && k + 1 < argc)
					k++;
			}
		} else if (!strcmp(p, "env")) {
			for (k++; k < argc && (a[k][0] == '-' || is_assign_word(a[k])); k++)
				if ((!strcmp(a[k], "-u") || !strcmp(a[k], "-C")) && k + 1 < argc)
					k++;
		} else if (!strcmp(p, "nice") || !strcmp(p, "ionice")) {
			for (k++; k < argc && a[k][0] == '-'; k++)
				if ((!strcmp(a[k], "-n") || !strcmp(a[k], "-c")) && k + 1 < argc)
					k++;
		} else if (!strcmp(p, "timeout")) {
			for (k++; k < argc && a[k][0] == '-'; k++)
				if ((!strcmp(a[k], "-s") || !strcmp(a[k], "-k")) && k + 1 < argc)
					k++;
			if (k < argc)
				k++; /* the duration */
		} else if (is_one_of(p, plain)) {
			for (k++; k < argc && a[k][0] == '-'; k++)
				;
		} else {
			break;
		}
	}
	if (k < argc) {
		v.prog = base(a[k]);
		v.args = a + k + 1;
		v.nargs = argc - k - 1;
	} else {
		static const char *const none[1];

		v.prog = "";
		v.args = none;
		v.nargs = 0;
	}
	return v;
}

/* The script of `sh -c SCRIPT` (any POSIX shell, options before -c), or NULL. */
static const char *dash_c(const cmdv *v)
{
	size_t i;
	bool c = false;

	for (i = 0; i < v->nargs; i++) {
		const char *a = v->args[i];

		if (!strcmp(a, "-o") || !strcmp(a, "+o")) {
			i++;
			continue;
		}
		if (a[0] == '-' && a[1] == '-') {
			if (!a[2])
				return NULL;
			continue;
		}
		if (a[0] == '-' || a[0] == '+') {
			c = c || (a[0] == '-' && strchr(a + 1, 'c'));
			continue;
		}
		return c ? a : NULL;
	}
	return NULL;
}

/* A heredoc body that a POSIX shell runs: no shebang, or one naming a shell. */
static bool shell_body(const char *body)
{
	char prog[64];
	size_t n = 0;
	const char *p;

	if (body[0] != '#' || body[1] != '!')
		return true;
	p = body + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && n + 1 < sizeof(prog))
		prog[n++] = *p++;
	prog[n] = '\0';
	if (!strcmp(base(prog), "env")) {
		n = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && n + 1 < sizeof(prog))
			prog[n++] = *p++;
		prog[n] = '\0';
	}
	return is_one_of(base(prog), shells);
}

static bool sets_pipefail(const cmdv *v)
{
	size_t i;

	for (i = 1; i < v->nargs; i++)
		if (!strcmp(v->args[i], "pipefail") && v->args[i - 1][0] == '-' && strchr(v->args[i - 1], 'o'))
			return true;
	return false;
}

static void collect(lint *L, run *r, const char *text, int depth, bool top);

static void add_cmd(lint *L, run *r, const cs_sh_cmd *c, int depth, bool top)
{
	cmdv v = view(c);
	const char *script;
	size_t i;

	if (L->rc < 0 || r->n >= MAX_RUN_CMDS)
		return;
	if (r->n == r->cap) {
		cmdv *nv = cs_arena_grow(L->a, r->v, r->n, &r->cap, sizeof(*nv));

		if (!nv) {
			L->rc = cs_err_set(L->err, CS_ENOMEM, "out of memory");
			return;
		}
		r->v = nv;
	}
	v.top = top;
	r->v[r->n++] = v;
	if (top && !strcmp(v.prog, "set") && sets_pipefail(&v) && !r->top_pipe)
		r->pipefail_first = true;
	if (top && c->pipe_out)
		r->top_pipe = true;
	if (depth >= MAX_SH_DEPTH)
		return;
	if (is_one_of(v.prog, shells) && (script = dash_c(&v))) {
		collect(L, r, script, depth + 1, false);
		return;
	}
	/* `RUN <<EOF` or `RUN bash <<EOF`: the body is the script */
	if (depth == 0 && c->heredoc && (!*v.prog || is_one_of(v.prog, shells)))
		for (i = 0; i < r->in->nheredocs; i++)
			if (!strcmp(r->in->heredocs[i].word, c->heredoc)) {
				if (shell_body(r->in->heredocs[i].body))
					collect(L, r, r->in->heredocs[i].body, depth + 1, top);
				break;
			}
}

static void collect(lint *L, run *r, const char *text, int depth, bool top)
{
	cs_sh_script s;
	size_t i;

	if (L->rc < 0)
		return;
	memset(&s, 0, sizeof(s));
	s.npipelines = r->npipelines;
	if (cs_sh_parse(&s, text, strlen(text), L->a) < 0) {
		L->rc = cs_err_set(L->err, CS_ENOMEM, "out of memory");
		return;
	}
	r->npipelines = s.npipelines;
	for (i = 0; i < s.ncmds; i++)
		add_cmd(L, r, &s.cmds[i], depth, top);
}

/* Reads a RUN (shell form, exec form, heredoc scripts) into r. */
static void run_read(lint *L, run *r, const cs_df_instr *in)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	if (in->json) {
		cs_sh_cmd *c = cs_arena_alloc(L->a, sizeof(*c));

		if (!c) {
			L->rc = cs_err_set(L->err, CS_ENOMEM, "out of memory");
			return;
		}
		c->argv = in->args;
		c->argc = in->nargs;
		c->pipeline = ++r->npipelines;
		add_cmd(L, r, c, 0, true);
		return;
	}
	collect(L, r, in->text, 0, true);
}

/* The command as text for messages: "apt-get install curl". */
static const char *cmd_text(lint *L, const cmdv *v)
{
	cs_buf b = CS_BUF_INIT;
	const char *r;
	size_t i;

	cs_buf_init(&b, 512);
	if (v->sudo)
		(void)cs_buf_puts(&b, "sudo ");
	(void)cs_buf_puts(&b, v->prog);
	for (i = 0; i < v->nargs && b.len < 200; i++)
		(void)cs_buf_printf(&b, " %s", v->args[i]);
	r = cs_arena_strndup(L->a, b.data ? b.data : "", b.len);
	r = r ? snip(L, r) : "";
	cs_buf_release(&b);
	return r;
}

/* Index of the first operand in args[from..], skipping options and the values of those in with_value. */
static size_t operand(const cmdv *v, size_t from, const char *const *with_value)
{
	size_t i;

	for (i = from; i < v->nargs; i++) {
		const char *a = v->args[i];

		if (a[0] != '-' || !a[1])
			return i;
		if (!strcmp(a, "--"))
			return i + 1;
		if (!strchr(a, '=') && is_one_of(a, with_value))
			i++;
	}
	return v->nargs;
}

static const char *arg_at(const cmdv *v, size_t i)
{
	return i < v->nargs ? v->args[i] : "";
}

/* An argument equal to opt, or opt=VALUE. */
static bool has_opt(const cmdv *v, const char *opt)
{
	size_t i, n = strlen(opt);

	for (i = 0; i < v->nargs; i++)
		if (!strncmp(v->args[i], opt, n) && (v->args[i][n] == '\0' || v->args[i][n] == '='))
			return true;
	return false;
}

/* A short-option bundle (-fmy) with letter c; letters in stop take a value and end the bundle. */
static bool has_short(const cmdv *v, char c, const char *stop)
{
	size_t i;

	for (i = 0; i < v->nargs; i++) {
		const char *p = v->args[i];

		if (p[0] != '-' || p[1] == '-')
			continue;
		for (p++; isalpha((unsigned char)*p); p++) {
			if (*p == c)
				return true;
			if (strchr(stop, *p))
				break;
		}
	}
	return false;
}

static bool truthy(const char *s)
{
	return !strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "yes") || !strcasecmp(s, "on");
}

/* apt's -o KEY=VALUE (also -oKEY=VALUE, --option=KEY=VALUE) with a value that is true (or false). */
static bool apt_opt(const cmdv *v, const char *key, bool want)
{
	size_t i, n = strlen(key);

	for (i = 0; i < v->nargs; i++) {
		const char *a = v->args[i], *val = NULL;

		if (!strcmp(a, "-o") || !strcmp(a, "--option"))
			val = arg_at(v, i + 1);
		else if (!strncmp(a, "-o", 2) && a[2] != '-')
			val = a + 2;
		else if (!strncmp(a, "--option=", 9))
			val = a + 9;
		if (val && !strncasecmp(val, key, n) && val[n] == '=' && truthy(val + n + 1) == want)
			return true;
	}
	return false;
}

static bool apt_yes(const cmdv *v)
{
	size_t i, q = 0;

	for (i = 0; i < v->nargs; i++) {
		const char *a = v->args[i], *p;

		if (!strcmp(a, "--yes") || !strcmp(a, "--assume-yes") || !strcmp(a, "--force-yes"))
			return true;
		if (!strcmp(a, "--quiet"))
			q++;
		if ((!strncmp(a, "-q=", 3) && strtol(a + 3, NULL, 10) >= 2) ||
		    (!strncmp(a, "--quiet=", 8) && strtol(a + 8, NULL, 10) >= 2))
			return true;
		if (a[0] != '-' || a[1] == '-')
			continue;
		for (p = a + 1; isalpha((unsigned char)*p); p++) {
			if (*p == 'y')
				return true;
			if (*p == 'q')
				q++;
			if (strchr("octa", *p))
				break;
		}
	}
	/* -qq implies -y (apt-get(8)) */
	return q >= 2 || apt_opt(v, "APT::Get::Assume-Yes", true);
}

/* Is there a cache mount (RUN --mount=type=cache,target=...) on or above/below path? */
static bool cache_mount(const cs_df_instr *in, const char *path)
{
	size_t i;

	for (i = 0; i < in->nflags; i++) {
		const char *p = in->flags[i].value, *target = NULL;
		bool cache = false;
		size_t tn = 0;

		if (strcmp(in->flags[i].name, "mount") || !p)
			continue;
		while (*p) {
			const char *end = strchr(p, ','), *eq;
			size_t n = end ? (size_t)(end - p) : strlen(p);

			eq = memchr(p, '=', n);
			if (eq && (size_t)(eq - p) == 4 && !strncmp(p, "type", 4))
				cache = n == 10 && !strncmp(eq + 1, "cache", 5);
			if (eq && (((size_t)(eq - p) == 6 && (!strncmp(p, "target", 6))) ||
				   ((size_t)(eq - p) == 3 && !strncmp(p, "dst", 3)) ||
				   ((size_t)(eq - p) == 11 && !strncmp(p, "destination", 11)))) {
				target = eq + 1;
				tn = n - (size_t)(eq + 1 - p);
			}
			p += n + (end ? 1 : 0);
		}
		if (cache && target) {
			size_t pn = strlen(path);

			while (tn > 1 && target[tn - 1] == '/')
				tn--;
			if ((tn <= pn && !strncmp(path, target, tn) && (path[tn] == '\0' || path[tn] == '/')) ||
			    (pn <= tn && !strncmp(target, path, pn) && (target[pn] == '\0' || target[pn] == '/')))
				return true;
		}
	}
	return false;
}

/* Does the RUN remove something at or under one of the paths (rm -rf /var/lib/apt/lists/...)? */
static bool run_removes(const run *r, const char *const *paths)
{
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		const cmdv *v = &r->v[i];

		if (strcmp(v->prog, "rm"))
			continue;
		for (j = 0; j < v->nargs; j++) {
			const char *const *p;

			for (p = paths; *p; p++)
				if (path_under(v->args[j], *p))
					return true;
		}
	}
	return false;
}

/* chmod mode (or --chmod value) that adds write for others, without the sticky bit. */
static bool world_writable(const char *m)
{
	size_t n = strlen(m), i;

	if (n >= 3 && n <= 4 && strspn(m, "01234567") == n) {
		unsigned long mode = strtoul(m, NULL, 8);

		return (mode & 02) && !(mode & 01000);
	}
	/* symbolic: follow the clauses in order, as chmod applies them */
	bool ow = false, sticky = false;

	while (*m) {
		const char *end = strchr(m, ',');
		size_t k = end ? (size_t)(end - m) : strlen(m);
		bool others = false;
		char op = 0;

		for (i = 0; i < k && strchr("ugoa", m[i]); i++)
			others = others || m[i] == 'o' || m[i] == 'a';
		for (; i < k; i++) {
			if (m[i] == '+' || m[i] == '-' || m[i] == '=') {
				op = m[i];
				if (op == '=' && others)
					ow = false;
				if (op == '=')
					sticky = sticky && !others;
			} else if (m[i] == 'w' && others && op) {
				ow = op != '-';
			} else if (m[i] == 't' && op) {
				sticky = op != '-';
			}
		}
		m += k + (end ? 1 : 0);
	}
	return ow && !sticky;
}

/* "$(curl", "`wget", "<(curl" inside a word: a download run by whatever gets the word. */
static bool fetch_substitution(const char *w)
{
	const char *p;

	for (p = w; *p; p++) {
		const char *q;

		if (!((p[0] == '$' && p[1] == '(') || (p[0] == '<' && p[1] == '(') || p[0] == '`'))
			continue;
		q = p + (p[0] == '`' ? 1 : 2);
		while (*q == ' ' || *q == '\t')
			q++;
		if (!strncmp(q, "curl", 4) || !strncmp(q, "wget", 4))
			return true;
	}
	return false;
}

static bool is_interpreter(const char *prog)
{
	static const char *const langs[] = {"perl", "ruby", "node", "php", NULL};

	return is_one_of(prog, shells) || prog_is(prog, "python") || is_one_of(prog, langs);
}

enum { PM_APT, PM_APK, PM_YUM, PM_DNF, PM_ZYPPER, PM_N };

static const char *const apt_val[] = {"-o", "-c", "-t", "-a", "--option", "--config-file", "--target-release",
				      "--default-release", "--host-architecture", NULL};
static const char *const apk_val[] = {"-X", "--repository", "-p", "--root", "--arch", "--keys-dir",
				      "--repositories-file", "--cache-dir", "-t", "--virtual", "--progress-fd",
				      "--cache-max-age", NULL};
static const char *const yum_val[] = {"-c", "--config", "--installroot", "--releasever", "--enablerepo",
				      "--disablerepo", "-x", "--exclude", "--setopt", "-d", "--debuglevel", "-e",
				      "--errorlevel", "--repo", "--repoid", "--rpmverbosity", "--color",
				      "--downloaddir", "--destdir", "--forcearch", "--disableplugin",
				      "--enableplugin", "-R", "--randomwait", "--advisory", "--cve", NULL};
static const char *const zypper_val[] = {"-R", "--root", "-c", "--config", "-D", "--reposd-dir", "-C",
					 "--cache-dir", "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir",
					 "--userdata", "-r", "--repo", "-t", "--type", "--from", NULL};
static const char *const pip_val[] = {"--log", "--proxy", "--cache-dir", "--python", "--timeout",
				      "--retries", "--exists-action", "--cert", "--client-cert", "--trusted-host",
				      "--keyring-provider", "--use-feature", "--use-deprecated", NULL};

/* Package manager family of a program, or -1. */
static int pm_of(const char *prog)
{
	if (!strcmp(prog, "apt-get") || !strcmp(prog, "apt"))
		return PM_APT;
	if (!strcmp(prog, "apk"))
		return PM_APK;
	if (!strcmp(prog, "yum"))
		return PM_YUM;
	if (!strcmp(prog, "dnf") || !strcmp(prog, "microdnf") || !strcmp(prog, "dnf5"))
		return PM_DNF;
	if (!strcmp(prog, "zypper"))
		return PM_ZYPPER;
	return -1;
}

static const char *const *pm_val(int pm)
{
	switch (pm) {
	case PM_APT: return apt_val;
	case PM_APK: return apk_val;
	case PM_ZYPPER: return zypper_val;
	default: return yum_val;
	}
}

/* Number of operands (package names) in args[from..]. */
static size_t operands(const cmdv *v, size_t from, const char *const *with_value)
{
	size_t n = 0, i = from;

	while ((i = operand(v, i, with_value)) < v->nargs) {
		n++;
		i++;
	}
	return n;
}

/* `pip`, `pip3`, `python3 -m pip`: *from is the index of pip's first argument. */
static bool pip_args(const cmdv *v, size_t *from)
{
	size_t i;

	if (prog_is(v->prog, "pip")) {
		*from = 0;
		return true;
	}
	if (!prog_is(v->prog, "python"))
		return false;
	for (i = 0; i < v->nargs; i++) {
		if (!strcmp(v->args[i], "-mpip")) {
			*from = i + 1;
			return true;
		}
		if (!strcmp(v->args[i], "-m") && i + 1 < v->nargs && !strcmp(v->args[i + 1], "pip")) {
			*from = i + 2;
			return true;
		}
		if (v->args[i][0] != '-')
			return false;
	}
	return false;
}

static bool assigns(const cs_sh_cmd *c, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < c->nassign; i++)
		if (!strncmp(c->assign[i], name, n) && c->assign[i][n] == '=')
			return true;
	return false;
}

/* Per-stage accumulators of the walk. */
typedef struct acc {
	const cs_df_instr *cmd, *entrypoint, *healthcheck; /* the last one seen */
	uint64_t curl_line, wget_line;                     /* first RUN using each */
	bool wget_curl;                                    /* reported */
} acc;

static bool first(bool *once, int id)
{
	if (once[id])
		return false;
	once[id] = true;
	return true;
}

static void check_run(lint *L, size_t k, sstate *s, acc *ac, const cs_df_instr *in)
{
	static const char *const update_words[] = {"update", "up", NULL};
	static const char *const install_words[] = {"install", "upgrade", "add", "reinstall", "groupinstall",
						    "localinstall", "source-install", "in", "si", "dist-upgrade",
						    "full-upgrade", "dup", NULL};
	static const char *const apt_prompting[] = {"install", "upgrade", "dist-upgrade", "full-upgrade", "remove",
						    "purge", "autoremove", "autopurge", "build-dep", "reinstall", NULL};
	static const char *const rpm_prompting[] = {"install", "reinstall", "remove", "erase", "update", "upgrade",
						    "downgrade", "groupinstall", "groupupdate", "groupremove",
						    "localinstall", "localupdate", "autoremove", "distro-sync",
						    "distrosync", "dsync", "swap", "update-minimal", "upgrade-minimal",
						    NULL};
	static const char *const rpm_installing[] = {"install", "reinstall", "update", "upgrade", "downgrade",
						     "groupinstall", "groupupdate", "localinstall", "localupdate",
						     "distro-sync", "distrosync", "dsync", "update-minimal",
						     "upgrade-minimal", NULL};
	static const char *const group_words[] = {"install", "remove", "erase", "update", "upgrade", "enable",
						  "disable", "reset", NULL};
	static const char *const rpm_upgrade[] = {"update", "upgrade", "update-minimal", "upgrade-minimal", NULL};
	static const char *const rpm_dist[] = {"distro-sync", "distrosync", "dsync", NULL};
	static const char *const zyp_prompting[] = {"install", "in", "remove", "rm", "update", "up", "dist-upgrade",
						    "dup", "patch", "source-install", "si", "install-new-recommends",
						    "inr", NULL};
	static const char *const zyp_installing[] = {"install", "in", "update", "up", "dist-upgrade", "dup",
						     "patch", "source-install", "si", "install-new-recommends", "inr",
						     NULL};
	static const char *const apt_lists[] = {"/var/lib/apt/lists", NULL};
	static const char *const apk_cache[] = {"/var/cache/apk", "/etc/apk/cache", NULL};
	static const char *const rpm_cache[] = {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", NULL};
	static const char *const zyp_cache[] = {"/var/cache/zypp", NULL};
	static const char *const pip_cache[] = {"/root/.cache", "~/.cache", "$HOME/.cache", "${HOME}/.cache", NULL};
	bool once[DF_NCHECKS] = {false};
	bool ships = L->st[k].ships, rpm_clean = false, zyp_clean = false, recommends_conf = false;
	bool rm_lists, rm_apk, rm_rpm, rm_zyp, rm_pip;
	const cmdv *rpm_need = NULL, *zyp_need = NULL;
	long upd[PM_N], inst[PM_N];
	uint64_t line = in->line;
	size_t i, j;
	int pm;
	run r;

	run_read(L, &r, in);
	if (L->rc < 0)
		return;
	for (pm = 0; pm < PM_N; pm++)
		upd[pm] = inst[pm] = -1;
	/* what the RUN removes, once: the checks below ask for each command */
	rm_lists = run_removes(&r, apt_lists);
	rm_apk = run_removes(&r, apk_cache);
	rm_rpm = run_removes(&r, rpm_cache);
	rm_zyp = run_removes(&r, zyp_cache);
	rm_pip = run_removes(&r, pip_cache);
	for (i = 0; i < r.n; i++) {
		const cmdv *v = &r.v[i];
		const char *sub, *sub2 = "";
		size_t sc, from;

		for (j = 0; j < v->nargs; j++)
			if (strcasestr(v->args[j], "APT::Install-Recommends") &&
			    (strcasestr(v->args[j], "false") || strstr(v->args[j], "0")))
				recommends_conf = true;
		if (v->sudo && first(once, DF_SUDO))
			report(L, DF_SUDO, line, "'%s' runs through sudo", cmd_text(L, v));
		if (!strcmp(v->prog, "cd") && first(once, DF_CD))
			report(L, DF_CD, line, "'%s' changes the directory for this RUN only", cmd_text(L, v));
		if (!strcmp(v->prog, "chmod") && (sc = operand(v, 0, (const char *const[]){"--reference", NULL})) < v->nargs &&
		    world_writable(v->args[sc]) && first(once, DF_CHMOD))
			report(L, DF_CHMOD, line, "'%s' makes files writable by every user", cmd_text(L, v));
		if (!strcmp(v->prog, "curl") && !ac->curl_line)
			ac->curl_line = line;
		if (!strcmp(v->prog, "wget") && !ac->wget_line)
			ac->wget_line = line;
		if (is_interpreter(v->prog) || !strcmp(v->prog, "eval") || !strcmp(v->prog, "source") ||
		    !strcmp(v->prog, "."))
			for (j = 0; j < v->nargs; j++)
				if (fetch_substitution(v->args[j]) && first(once, DF_CURL_SH)) {
					report(L, DF_CURL_SH, line, "'%s' runs a downloaded script", cmd_text(L, v));
					break;
				}
		if ((!strcmp(v->prog, "curl") || !strcmp(v->prog, "wget")) && v->c->pipe_out)
			for (j = i + 1; j < r.n; j++)
				if (r.v[j].c->pipeline == v->c->pipeline && is_interpreter(r.v[j].prog) &&
				    first(once, DF_CURL_SH)) {
					report(L, DF_CURL_SH, line, "'%s | %s' runs a downloaded script", cmd_text(L, v),
					       cmd_text(L, &r.v[j]));
					break;
				}
		if (pip_args(v, &from) && !strcmp(arg_at(v, operand(v, from, pip_val)), "install") && ships &&
		    !has_opt(v, "--no-cache-dir") && !s->pip_no_cache && !assigns(v->c, "PIP_NO_CACHE_DIR") &&
		    !rm_pip && !cache_mount(in, "/root/.cache") && first(once, DF_PIP_CACHE))
			report(L, DF_PIP_CACHE, line, "'%s' keeps pip's cache in the layer", cmd_text(L, v));
		if ((pm = pm_of(v->prog)) < 0)
			continue;
		sc = operand(v, 0, pm_val(pm));
		sub = arg_at(v, sc);
		if (is_one_of(sub, update_words)) {
			if (upd[pm] < 0)
				upd[pm] = (long)i;
		} else if (is_one_of(sub, install_words)) {
			inst[pm] = (long)i;
		}
		switch (pm) {
		case PM_APT:
			if (!strcmp(v->prog, "apt") && *sub && first(once, DF_APT))
				report(L, DF_APT, line, "'%s': apt is meant for people, apt-get for scripts", cmd_text(L, v));
			if (is_one_of(sub, apt_prompting) && !apt_yes(v) && first(once, DF_APT_YES))
				report(L, DF_APT_YES, line, "'%s' has no -y", cmd_text(L, v));
			if (!strcmp(sub, "install") && !has_opt(v, "--no-install-recommends") &&
			    !apt_opt(v, "APT::Install-Recommends", false) && !s->no_recommends && !recommends_conf &&
			    first(once, DF_APT_RECOMMENDS))
				report(L, DF_APT_RECOMMENDS, line, "'%s' installs the recommended packages too",
				       cmd_text(L, v));
			if (!strcmp(sub, "upgrade") && first(once, DF_UPGRADE))
				report(L, DF_UPGRADE, line, "'%s' upgrades the base image's packages", cmd_text(L, v));
			if ((!strcmp(sub, "dist-upgrade") || !strcmp(sub, "full-upgrade")) && first(once, DF_DIST_UPGRADE))
				report(L, DF_DIST_UPGRADE, line, "'%s' upgrades the distribution", cmd_text(L, v));
			break;
		case PM_APK:
			if (!strcmp(sub, "add") && ships && !has_opt(v, "--no-cache") && !rm_apk &&
			    !cache_mount(in, "/var/cache/apk") && !cache_mount(in, "/etc/apk/cache") &&
			    first(once, DF_APK_CACHE))
				report(L, DF_APK_CACHE, line, "'%s' keeps the package index in /var/cache/apk",
				       cmd_text(L, v));
			if (!strcmp(sub, "upgrade") && !operands(v, sc + 1, apk_val) && first(once, DF_UPGRADE))
				report(L, DF_UPGRADE, line, "'%s' upgrades the base image's packages", cmd_text(L, v));
			break;
		case PM_YUM:
		case PM_DNF:
			if (!strcmp(sub, "group") || !strcmp(sub, "groups") || !strcmp(sub, "module"))
				sub2 = arg_at(v, operand(v, sc + 1, yum_val));
			if ((is_one_of(sub, rpm_prompting) || is_one_of(sub2, group_words)) &&
			    strcmp(v->prog, "microdnf") && !has_short(v, 'y', "cdexR") && !has_opt(v, "--assumeyes") &&
			    !has_opt(v, "--setopt=assumeyes") && first(once, DF_RPM_YES))
				report(L, DF_RPM_YES, line, "'%s' has no -y", cmd_text(L, v));
			if (is_one_of(sub, rpm_installing) || !strcmp(sub2, "install"))
				rpm_need = rpm_need ? rpm_need : v;
			if (!strcmp(sub, "clean") && !strcmp(arg_at(v, operand(v, sc + 1, yum_val)), "all"))
				rpm_clean = true;
			if (is_one_of(sub, rpm_upgrade) && !operands(v, sc + 1, yum_val) && first(once, DF_UPGRADE))
				report(L, DF_UPGRADE, line, "'%s' upgrades the base image's packages", cmd_text(L, v));
			if (is_one_of(sub, rpm_dist) && first(once, DF_DIST_UPGRADE))
				report(L, DF_DIST_UPGRADE, line, "'%s' upgrades the distribution", cmd_text(L, v));
			break;
		case PM_ZYPPER:
			if (is_one_of(sub, zyp_prompting) && !has_opt(v, "--non-interactive") && !has_opt(v, "--no-confirm") &&
			    !has_short(v, 'n', "RcDCrt") && !has_short(v, 'y', "RcDCrt") && first(once, DF_RPM_YES))
				report(L, DF_RPM_YES, line, "'%s' has no -n (--non-interactive) or -y", cmd_text(L, v));
			if (is_one_of(sub, zyp_installing))
				zyp_need = zyp_need ? zyp_need : v;
			if (!strcmp(sub, "clean") || !strcmp(sub, "cc"))
				zyp_clean = true;
			if ((!strcmp(sub, "update") || !strcmp(sub, "up") || !strcmp(sub, "patch")) &&
			    !operands(v, sc + 1, zypper_val) && first(once, DF_UPGRADE))
				report(L, DF_UPGRADE, line, "'%s' upgrades the base image's packages", cmd_text(L, v));
			if ((!strcmp(sub, "dist-upgrade") || !strcmp(sub, "dup")) && first(once, DF_DIST_UPGRADE))
				report(L, DF_DIST_UPGRADE, line, "'%s' upgrades the distribution", cmd_text(L, v));
			break;
		}
	}
	for (pm = 0; pm < PM_N; pm++)
		if (upd[pm] >= 0 && inst[pm] < upd[pm] && first(once, DF_UPDATE_ALONE))
			report(L, DF_UPDATE_ALONE, line, "'%s' updates the package index without installing in the same RUN",
			       cmd_text(L, &r.v[upd[pm]]));
	if (upd[PM_APT] >= 0 && ships && !rm_lists && !cache_mount(in, "/var/lib/apt/lists"))
		report(L, DF_APT_LISTS, line, "'%s' leaves /var/lib/apt/lists in the layer",
		       cmd_text(L, &r.v[upd[PM_APT]]));
	if (rpm_need && ships && !rpm_clean && !rm_rpm && !cache_mount(in, "/var/cache/yum") &&
	    !cache_mount(in, "/var/cache/dnf"))
		report(L, DF_RPM_CLEAN, line, "'%s' without '%s clean all' in the same RUN", cmd_text(L, rpm_need),
		       rpm_need->prog);
	if (zyp_need && ships && !zyp_clean && !rm_zyp && !cache_mount(in, "/var/cache/zypp"))
		report(L, DF_RPM_CLEAN, line, "'%s' without 'zypper clean' in the same RUN", cmd_text(L, zyp_need));
	if (r.top_pipe && !in->json && s->shell_posix && !s->shell_pipefail && !r.pipefail_first) {
		for (i = 0; i < r.n && !(r.v[i].top && r.v[i].c->pipe_out); i++)
			;
		report(L, DF_PIPEFAIL, line, "'%s | ...' pipes without pipefail: only the last command's failure fails the build",
		       i < r.n ? cmd_text(L, &r.v[i]) : "");
	}
	if (ac->curl_line && ac->wget_line && !ac->wget_curl) {
		ac->wget_curl = true;
		report(L, DF_WGET_CURL, line, "the stage uses both curl (line %llu) and wget (line %llu)",
		       (unsigned long long)ac->curl_line, (unsigned long long)ac->wget_line);
	}
	if (recommends_conf)
		s->no_recommends = true;
}

/* --------------------------------------------------------- other instructions */

static bool relative_path(const char *p)
{
	return !(p[0] == '/' || p[0] == '$' || p[0] == '\\' || (isalpha((unsigned char)p[0]) && p[1] == ':'));
}

static bool is_archive(const char *src)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tb2", ".tar.xz",
					  ".txz", ".tar.zst", ".tzst", ".tar.lzma", ".tlz", ".tar.z", ".taz", NULL};
	size_t n = strlen(src), k;
	const char *const *e;

	for (e = ext; *e; e++)
		if (n >= (k = strlen(*e)) && !strcasecmp(src + n - k, *e))
			return true;
	return false;
}

static bool is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) || !strncasecmp(s, "ftp://", 6) ||
	       !strncmp(s, "git@", 4) || !strncmp(s, "git://", 6) || !strncmp(s, "ssh://", 6);
}

/* A Git URL pinned to a commit: ...#<40 or 64 hex digits>. */
static bool git_pinned(const char *s)
{
	const char *h = strrchr(s, '#');
	size_t n;

	if (!h)
		return false;
	n = strspn(h + 1, "0123456789abcdefABCDEF");
	return (n == 40 || n == 64) && !h[1 + n];
}

static void check_chmod_flag(lint *L, const cs_df_instr *in)
{
	const char *m = cs_df_flag_value(in, "chmod", NULL);

	if (m && world_writable(m))
		report(L, DF_CHMOD, in->line, "%s --chmod=%s makes files writable by every user", in->keyword, snip(L, m));
}

/* COPY and ADD with several sources need a directory destination. */
static void check_dest_slash(lint *L, const cs_df_instr *in)
{
	const char *dest;
	size_t n;

	if (in->nargs < 3)
		return;
	dest = in->args[in->nargs - 1];
	n = strlen(dest);
	if (!n || dest[n - 1] == '/' || (L->df->escape == '`' && dest[n - 1] == '\\') || strchr(dest, '$'))
		return;
	report(L, DF_COPY_SLASH, in->line, "%s of %zu sources to '%s', which does not end with '/'", in->keyword,
	       in->nargs - 1, snip(L, dest));
}

static void check_add(lint *L, const cs_df_instr *in)
{
	bool checksum = cs_df_flag_value(in, "checksum", NULL) != NULL;
	size_t i;

	for (i = 0; i + 1 < in->nargs; i++) {
		const char *src = in->args[i];

		if (is_url(src)) {
			bool git = !strncmp(src, "git@", 4) || !strncmp(src, "git://", 6) || strstr(src, ".git");

			if (!(git ? git_pinned(src) : checksum))
				report(L, DF_ADD_URL, in->line, "ADD fetches '%s' without a %s", snip(L, src),
				       git ? "pinned commit" : "--checksum");
		} else if (!strchr(src, '$') && !is_archive(src)) {
			report(L, DF_ADD_COPY, in->line, "ADD '%s' copies a local file or directory", snip(L, src));
			break;
		}
	}
	check_chmod_flag(L, in);
	check_dest_slash(L, in);
}

static void check_copy(lint *L, size_t k, const sstate *s, const cs_df_instr *in, bool onbuild)
{
	const char *from = cs_df_flag_value(in, "from", NULL), *name = L->df->stages[k].name;
	size_t j;

	if (from && *from && !onbuild && !strchr(from, '$')) {
		if (strspn(from, "0123456789") == strlen(from)) {
			unsigned long idx = strtoul(from, NULL, 10);

			if (idx >= k)
				report(L, DF_COPY_SELF, in->line, "COPY --from=%s names %s", snip(L, from),
				       idx == k ? "its own stage" : "a later stage");
		} else if (name && !strcasecmp(name, from)) {
			report(L, DF_COPY_SELF, in->line, "COPY --from=%s names its own stage", snip(L, from));
		} else if (stage_named(L, k, from) < 0 && !strpbrk(from, ":/@.")) {
			bool later = false;

			for (j = k + 1; j < L->df->nstages; j++)
				later = later || (L->df->stages[j].name && !strcasecmp(L->df->stages[j].name, from));
			report(L, later ? DF_COPY_SELF : DF_COPY_UNKNOWN, in->line,
			       later ? "COPY --from=%s names a later stage"
				     : "COPY --from=%s: no earlier stage has that name, so an image '%s:latest' is pulled",
			       snip(L, from), snip(L, from));
		}
	}
	check_chmod_flag(L, in);
	check_dest_slash(L, in);
	if (!onbuild && in->nargs >= 2 && !s->workdir && relative_path(in->args[in->nargs - 1]))
		report(L, DF_COPY_REL, in->line, "COPY to '%s' with no WORKDIR set in the stage",
		       snip(L, in->args[in->nargs - 1]));
}

static void check_expose(lint *L, const cs_df_instr *in)
{
	size_t i;

	for (i = 0; i < in->nargs; i++) {
		const char *a = in->args[i], *slash = strchr(a, '/'), *dash;
		size_t n = slash ? (size_t)(slash - a) : strlen(a);
		uint64_t lo = 0, hi = 0;
		bool ok;

		if (strchr(a, '$'))
			continue;
		dash = memchr(a, '-', n);
		ok = dash ? cs_parse_u64(a, (size_t)(dash - a), &lo) && cs_parse_u64(dash + 1, n - (size_t)(dash - a) - 1, &hi)
			  : cs_parse_u64(a, n, &lo);
		if (!dash)
			hi = lo;
		ok = ok && n <= 11 && lo <= hi && hi <= 65535;
		if (slash)
			ok = ok && (!strcasecmp(slash + 1, "tcp") || !strcasecmp(slash + 1, "udp") ||
				    !strcasecmp(slash + 1, "sctp"));
		if (!ok)
			report(L, DF_PORT_RANGE, in->line, "EXPOSE '%s' is not a port (or range) from 0 to 65535%s",
			       snip(L, a), slash ? " with protocol tcp, udp or sctp" : "");
		else if (!dash && (lo == 22 || lo == 23 || lo == 3389))
			report(L, DF_PORT_REMOTE, in->line, "EXPOSE %s: the port of %s", snip(L, a),
			       lo == 22 ? "SSH" : lo == 23 ? "telnet" : "RDP");
	}
}

/* ARG words: a secret-looking name with a default, or without. */
static void check_arg(lint *L, const cs_df_instr *in)
{
	size_t i;

	for (i = 0; i < in->nargs; i++) {
		const char *w = in->args[i], *eq = strchr(w, '=');
		char *name = eq ? cs_arena_strndup(L->a, w, (size_t)(eq - w)) : (char *)w;

		if (!name) {
			L->rc = cs_err_set(L->err, CS_ENOMEM, "out of memory");
			return;
		}
		if (!secret_name(name))
			continue;
		if (eq && eq[1])
			report(L, DF_SECRET_VALUE, in->line, "ARG %s has a default value, recorded in the image history",
			       snip(L, name));
		else
			report(L, DF_SECRET_ARG, in->line,
			       "build argument %s: its value is recorded in the history of the RUNs that use it",
			       snip(L, name));
	}
}

static void check_env(lint *L, sstate *s, const cs_df_instr *in, bool onbuild)
{
	size_t i;

	for (i = 0; i + 1 < in->nargs; i += 2) {
		if (secret_name(in->args[i]) && *in->args[i + 1])
			report(L, DF_SECRET_VALUE, in->line, "ENV %s sets a value, stored in the image config",
			       snip(L, in->args[i]));
		if (!onbuild && !strcmp(in->args[i], "PIP_NO_CACHE_DIR"))
			s->pip_no_cache = true;
	}
}

static bool user_is_root(const cs_df_instr *in)
{
	const char *u = in->nargs ? in->args[0] : "";
	size_t n = strcspn(u, ":");

	return (n == 4 && !strncmp(u, "root", 4)) || (n == 1 && u[0] == '0');
}

static void check_instr(lint *L, size_t k, sstate *s, acc *ac, const cs_df_instr *in, bool onbuild);

static void check_onbuild(lint *L, size_t k, const sstate *s, const cs_df_instr *in)
{
	const cs_df_instr *sub = in->sub;
	sstate copy = *s;
	acc scratch;

	if (!sub)
		return;
	if (kw(sub, "FROM") || kw(sub, "ONBUILD") || kw(sub, "MAINTAINER")) {
		report(L, DF_SYNTAX, in->line, "ONBUILD %s is not allowed", sub->keyword);
		return;
	}
	/* the trigger runs in a later build: check what it does, keep this stage's state */
	memset(&scratch, 0, sizeof(scratch));
	scratch.wget_curl = true;
	check_instr(L, k, &copy, &scratch, sub, true);
}

static void check_instr(lint *L, size_t k, sstate *s, acc *ac, const cs_df_instr *in, bool onbuild)
{
	if (kw(in, "RUN")) {
		check_run(L, k, s, ac, in);
	} else if (kw(in, "ADD")) {
		check_add(L, in);
	} else if (kw(in, "COPY")) {
		check_copy(L, k, s, in, onbuild);
	} else if (kw(in, "ENV")) {
		check_env(L, s, in, onbuild);
	} else if (kw(in, "ARG")) {
		check_arg(L, in);
	} else if (kw(in, "EXPOSE")) {
		check_expose(L, in);
	} else if (kw(in, "MAINTAINER")) {
		report(L, DF_MAINTAINER, in->line, "MAINTAINER is deprecated");
	} else if (kw(in, "ONBUILD")) {
		check_onbuild(L, k, s, in);
	} else if (kw(in, "WORKDIR") && in->nargs) {
		static const char *const sys[] = {"/proc", "/boot", "/dev", "/initrd", "/lost+found", NULL};
		const char *const *p;

		if (relative_path(in->args[0]))
			report(L, DF_WORKDIR_REL, in->line, "WORKDIR '%s' is relative", snip(L, in->args[0]));
		for (p = sys; *p; p++)
			if (path_under(in->args[0], *p)) {
				report(L, DF_WORKDIR_SYS, in->line, "WORKDIR '%s' is under %s", snip(L, in->args[0]), *p);
				break;
			}
		s->workdir = true;
	} else if (onbuild) {
		return; /* the rest sets state the later build owns */
	} else if (kw(in, "USER") && in->nargs) {
		s->user = in;
	} else if (kw(in, "SHELL") && in->json && in->nargs) {
		size_t i;

		s->shell_posix = is_one_of(base(in->args[0]), shells);
		s->shell_pipefail = false;
		for (i = 1; i < in->nargs; i++)
			if (!strcmp(in->args[i], "pipefail") && in->args[i - 1][0] == '-' && strchr(in->args[i - 1], 'o'))
				s->shell_pipefail = true;
	} else if (kw(in, "CMD") || kw(in, "ENTRYPOINT") || kw(in, "HEALTHCHECK")) {
		const cs_df_instr **last = kw(in, "CMD") ? &ac->cmd : kw(in, "ENTRYPOINT") ? &ac->entrypoint
											   : &ac->healthcheck;
		int id = kw(in, "CMD") ? DF_MULTI_CMD : kw(in, "ENTRYPOINT") ? DF_MULTI_ENTRYPOINT : DF_MULTI_HEALTHCHECK;

		if (*last)
			report(L, id, (*last)->line, "this %s is overridden by the one at line %llu", in->keyword,
			       (unsigned long long)in->line);
		*last = in;
		if (kw(in, "HEALTHCHECK"))
			s->healthcheck = true;
		else if (!in->json && in->nargs)
			report(L, DF_SHELL_FORM, in->line, "%s %s is in shell form", in->keyword, snip(L, in->text));
	}
}

/* Windows bases run cmd or PowerShell, not a POSIX shell. */
static bool windows_image(const char *image)
{
	return strcasestr(image, "windows") || strcasestr(image, "nanoserver") || strcasestr(image, "servercore");
}

static void walk_stage(lint *L, size_t k)
{
	const cs_df_stage *st = &L->df->stages[k];
	int parent = L->st[k].parent;
	sstate s;
	acc ac;
	size_t i;

	memset(&ac, 0, sizeof(ac));
	if (parent >= 0) {
		s = L->st[parent].end;
	} else {
		memset(&s, 0, sizeof(s));
		s.shell_posix = !L->windows && !windows_image(st->image);
	}
	for (i = st->first + 1; i < st->end && L->rc == 0; i++)
		check_instr(L, k, &s, &ac, &L->df->instrs[i], false);
	L->st[k].end = s;
}

static void lint_run(lint *L)
{
	const cs_dockerfile *df = L->df;
	size_t i, k;

	for (i = 0; i < df->nproblems; i++)
		report(L, DF_SYNTAX, df->problems[i].line, "%s", df->problems[i].message);
	for (i = 0; i < df->ninstrs && df->instrs[i].stage < 0; i++)
		if (kw(&df->instrs[i], "ARG")) {
			for (k = 0; k < df->instrs[i].nargs && L->rc == 0; k++)
				L->rc = add_garg(L, df->instrs[i].args[k]);
			check_arg(L, &df->instrs[i]);
		}
	if (!df->nstages || L->rc < 0)
		return;
	if (!(L->st = cs_arena_calloc(L->a, df->nstages, sizeof(*L->st)))) {
		L->rc = cs_err_set(L->err, CS_ENOMEM, "out of memory");
		return;
	}
	for (k = 0; k < df->nstages; k++)
		check_from(L, k);
	L->st[df->nstages - 1].ships = true;
	for (k = df->nstages; k-- > 0;)
		if (L->st[k].ships && L->st[k].parent >= 0)
			L->st[L->st[k].parent].ships = true;
	for (k = 0; k < df->nstages && L->rc == 0; k++)
		walk_stage(L, k);
	k = df->nstages - 1;
	if (!L->st[k].end.user)
		report(L, DF_ROOT, df->stages[k].line,
		       "the final stage (FROM '%s') sets no USER: it runs as its base image's user, root unless the base sets another",
		       snip(L, df->stages[k].image));
	else if (user_is_root(L->st[k].end.user))
		report(L, DF_ROOT, L->st[k].end.user->line, "USER %s is the last USER of the final stage",
		       snip(L, L->st[k].end.user->args[0]));
	if (!L->st[k].end.healthcheck)
		report(L, DF_NO_HEALTHCHECK, df->stages[k].line, "the final stage (FROM '%s') has no HEALTHCHECK",
		       snip(L, df->stages[k].image));
}

/* ------------------------------------------------------------------- API */

int cs_dockerfile_lint(const char *path, const char *data, size_t len, cs_arena *a, cs_df_emit_fn emit,
		       void *payload, cs_err *err)
{
	cs_dockerfile df;
	lint L;
	int rc;

	if ((rc = cs_df_parse(&df, data, len, a, err)) < 0) {
		cs_err_prefix(err, "Dockerfile '%s': ", path);
		return rc;
	}
	memset(&L, 0, sizeof(L));
	L.df = &df;
	L.a = a;
	L.emit = emit;
	L.payload = payload;
	L.err = err;
	L.windows = df.escape == '`';
	lint_run(&L);
	if (L.rc < 0)
		cs_err_prefix(err, "Dockerfile '%s': ", path);
	return L.rc;
}

int cs_dockerfile_lint_file(const char *path, cs_arena *a, cs_df_emit_fn emit, void *payload, cs_err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	if (!f)
		return cs_err_set(err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot read Dockerfile '%s': %s", path,
				  strerror(errno));
	if (!(buf = malloc(CS_DF_MAX_FILE + 1))) {
		fclose(f);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, CS_DF_MAX_FILE + 1, f);
	if (ferror(f))
		rc = cs_err_set(err, CS_EIO, "cannot read Dockerfile '%s': %s", path,
				errno == EISDIR ? "is a directory" : strerror(errno));
	else
		rc = cs_dockerfile_lint(path, buf, n, a, emit, payload, err); /* n > max: the limit error */
	fclose(f);
	free(buf);
	return rc;
}

int cs_dockerfile_to_scan(const cs_df_finding *f, void *payload)
{
	cs_dockerfile_sink *sink = payload;
	cs_arena *a = cs_scan_arena(sink->scan);
	const cs_df_check *c = f->check;
	cs_misconfig *m = cs_arena_alloc(a, sizeof(*m));

	if (!m)
		return CS_ENOMEM;
	m->id = c->id;
	m->title = c->title;
	m->severity = c->severity;
	m->cis = c->cis;
	m->resolution = c->resolution;
	if (c->hadolint || c->trivy)
		m->description = cs_arena_printf(a, "%s Equivalent: %s%s%s%s%s.", c->description,
						 c->hadolint ? "Hadolint " : "", c->hadolint ? c->hadolint : "",
						 c->hadolint && c->trivy ? "; " : "", c->trivy ? "Trivy " : "",
						 c->trivy ? c->trivy : "");
	else
		m->description = c->description;
	m->message = cs_arena_strdup(a, f->message);
	m->path = NULL;
	m->layer = -1;
	m->dockerfile = sink->path;
	m->line = f->line;
	if (!m->description || !m->message)
		return CS_ENOMEM;
	return cs_scan_add_misconfig(sink->scan, m);
}

int cs_dockerfile_audit(cs_scan *s, const char *path, cs_err *err)
{
	cs_dockerfile_sink sink;
	cs_arena tmp;
	int rc;

	sink.scan = s;
	if (!(sink.path = cs_arena_strdup(cs_scan_arena(s), path)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	/* the parse is scratch: only the findings are copied into the scan */
	cs_arena_init(&tmp);
	rc = cs_dockerfile_lint_file(path, &tmp, cs_dockerfile_to_scan, &sink, err);
	cs_arena_release(&tmp);
	return rc;
}
