/*
 * main.c - the customs command line: parse arguments, run a scan, write the
 * report, map the outcome to an exit code. Nothing else lives here.
 *
 * Exit codes (README): 0 done; 1 a failed gate or policy (--exit-code); 2 usage error;
 * 3 the input could not be read or held malformed or hostile content;
 * 4 internal or system error (out of memory, cannot write the output).
 */
#include "core/compat.h"
#include "cli/cli.h"
#include "base/base.h"
#include "core/log.h"
#include "core/version.h"
#include "match/vulns.h"
#include "policy/policy.h"
#include "report/report.h"
#include "sbom/sbom.h"
#include "scan/scan.h"
#include "vulndb/locate.h"
#include "vulndb/store.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


static const char usage_main[] =
	"usage: customs COMMAND [OPTIONS] ...\n"
	"\n"
	"Container image security scanner.\n"
	"\n"
	"Commands:\n"
	"  image TARGET     scan a container image\n"
	"  rootfs DIR       scan a root filesystem on disk\n"
	"  sbom FILE        scan a CycloneDX or SPDX JSON SBOM for vulnerabilities\n"
	"  config DIR|FILE  lint Dockerfiles\n"
	"  base add|list    the catalog of known and approved base images\n"
	"  db import|update|info  manage the vulnerability database\n"
	"  version          print the version\n"
	"  help [COMMAND]   show help for a command\n"
	"\n"
	"Run 'customs help image' for targets, options and examples.\n";

static const char usage_image[] =
	"usage: customs image [OPTIONS] TARGET\n"
	"\n"
	"Scan a container image layer by layer, streamed, without unpacking it.\n"
	"\n"
	"TARGET (skopeo-style transports):\n"
	"  docker-archive:PATH[:REF]  a `docker save` / `podman save` archive; REF is\n"
	"                             repo:tag or @N when it holds several images;\n"
	"                             PATH - (standard input) or a pipe is read in one pass\n"
	"  docker-daemon:NAME[:TAG]   an image of the local Docker daemon ($DOCKER_HOST,\n"
	"                             else /var/run/docker.sock), streamed, never saved\n"
	"  podman:NAME[:TAG]          the same from Podman's API socket ($CONTAINER_HOST)\n"
	"  oci:DIR[:TAG]              an OCI image layout directory\n"
	"  oci-archive:PATH[:TAG]     an OCI image layout in a tar archive\n"
	"  PATH                       any of the above, recognised by its content\n"
	"  [docker://]NAME[:TAG|@DIGEST]  an image in a registry: alpine:3.19,\n"
	"                             ghcr.io/org/app@sha256:...; an existing PATH\n"
	"                             wins over a bare NAME, docker:// forces the registry\n"
	"\n"
	"Options:\n"
	"  -f, --format NAME[=FILE]  report format, repeatable: one scan, several\n"
	"                         reports, each to its FILE (at most one without);\n"
	"                         see 'customs help formats' (default: table on a\n"
	"                         terminal, else json)\n"
	"  -o, --output FILE      write the report without =FILE to FILE instead of\n"
	"                         standard output\n"
	"      --platform P       os/arch[/variant] of a multi-platform image\n"
	"                         (default: linux/amd64, else the only one)\n"
	"      --scanners LIST    comma-separated: vuln,secret,config,base (default: all);\n"
	"                         the package inventory always runs\n"
	"      --db PATH          vulnerability database (default: $CUSTOMS_DB, else\n"
	"                         $XDG_CACHE_HOME/customs/db.sqlite); needed by vuln\n"
	"      --db-max-age DAYS  warn when the database is older (default 7, 0: never)\n"
	"      --secret-config FILE  YAML: custom secret rules, disabled rule ids, allow\n"
	"                         rules (docs/secrets.md)\n"
	"      --dockerfile PATH  also lint the Dockerfile the image was built from\n"
	"      --base-catalog FILE  known and approved base images (customs base add)\n"
	"  -j, --jobs N           layers walked at once (default: number of cores)\n"
	"\n"
	"Registries (docs/registry.md):\n"
	"      --username NAME    log in as NAME, the password read from standard input\n"
	"      --password-stdin   (required with --username; default: docker's and\n"
	"                         podman's auth files and credential helpers)\n"
	"      --insecure         no TLS verification; plain HTTP allowed (always\n"
	"                         allowed to 127.0.0.1, ::1 and localhost)\n"
	"      --ca-cert FILE     PEM certificates to trust besides the system's\n"
	"\n"
	"Policy (the exit code follows the verdict; without a gate or a policy,\n"
	"findings never change it):\n"
	"      --severity LIST    which severities count (critical,high,...)\n"
	"      --fixable-only     only findings with a fix count (alias --ignore-unfixed)\n"
	"      --fail-on SEV      fail when a counted finding is at or above SEV\n"
	"      --exit-code N      exit status of a failed gate or policy (default 1)\n"
	"      --policy FILE      a policy (YAML): rules with STOP, WARN or GO\n"
	"      --ignore-file FILE accepted findings (default ./.customsignore.yaml)\n"
	"      --show-suppressed  keep suppressed findings in the reports\n"
	"      --vex FILE         OpenVEX or CycloneDX VEX statements (repeatable)\n"
	"      --baseline FILE    an earlier JSON report: only what is new counts\n"
	"  -q, --quiet            no warnings or progress, errors only\n"
	"  -h, --help             this help\n"
	"\n"
	"Examples:\n"
	"  customs image app.tar\n"
	"  customs image docker-archive:images.tar:myorg/app:1.4\n"
	"  customs image docker-daemon:myorg/app:1.4\n"
	"  customs image --format json --output report.json oci:./layout:latest\n"
	"  customs image -f table -f sarif=app.sarif -f cyclonedx=app.cdx.json app.tar\n"
	"  customs image --platform linux/arm64 oci-archive:multi.tar\n"
	"  customs image alpine:3.19\n"
	"  echo \"$TOKEN\" | customs image --username ci --password-stdin ghcr.io/org/app:1\n"
	"\n"
	"Exit codes: 0 done, 1 a failed gate or policy (--exit-code), 2 usage error,\n"
	"3 unreadable or malformed input or no vulnerability database, 4 internal error.\n";

static const char usage_rootfs[] =
	"usage: customs rootfs [OPTIONS] DIR\n"
	"\n"
	"Scan an unpacked root filesystem (a chroot, a mounted image, a build output).\n"
	"Symbolic links are never followed and other mounted filesystems are skipped.\n"
	"\n"
	"Options: as for 'customs image' (no --platform).\n"
	"\n"
	"Examples:\n"
	"  customs rootfs /srv/chroot/bookworm\n"
	"  customs rootfs --format json -o inventory.json ./rootfs\n";

static const char usage_sbom[] =
	"usage: customs sbom [OPTIONS] FILE\n"
	"\n"
	"Match the packages of a CycloneDX (1.4-1.6) or SPDX (2.2-2.3) JSON SBOM\n"
	"against the vulnerability database, through the same matcher as an image\n"
	"scan, and write the same reports.\n"
	"\n"
	"Options: --format, --output, --db, --db-max-age, --quiet as for 'customs image'.\n"
	"\n"
	"Examples:\n"
	"  customs sbom app.cdx.json\n"
	"  customs sbom -f sarif=app.sarif app.spdx.json\n";

/* One report to write: a format and where (NULL: standard output). */
typedef struct output {
	const cs_report_writer *w;
	const char *path;
} output;

#define MAX_OUTPUTS 16

typedef struct cli {
	bool rootfs;
	bool sbom;
	const cs_cli_source *src; /* a command of config.c & co., or NULL */
	output outs[MAX_OUTPUTS];
	size_t nout;
	const char *output;
	const char *target;
	const char *db;       /* --db, or NULL */
	cs_policy_opts policy;
	long db_max_age;      /* days; 0 never warns */
	bool quiet;
	bool password_stdin;  /* --password-stdin */
	char password[4096];  /* read from standard input; wiped before exit */
	cs_scan_opts opts;
	char base_catalog[4096]; /* the default base catalog, when it exists */
} cli;

#define usage_error cs_cli_usage_error

int cs_cli_usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cs_error("%s (see 'customs help')", msg);
	return EXIT_USAGE;
}

static int parse_scanners(const char *list, unsigned *out)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"vuln", CS_SCANNER_VULN}, {"secret", CS_SCANNER_SECRET}, {"config", CS_SCANNER_CONFIG},
		     {"base", CS_SCANNER_BASE}};
	const char *p = list;

	*out = 0;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p), i;
		bool found = false;

		for (i = 0; i < CS_ARRAY_LEN(names); i++)
			if (strlen(names[i].name) == n && !memcmp(names[i].name, p, n)) {
				*out |= names[i].bit;
				found = true;
			}
		if (!found)
			return -1;
		p += n + (end ? 1 : 0);
	}
	return 0;
}

/* --format NAME[=FILE]: one more report of this scan. */
static int add_format(cli *c, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[64];
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
	const cs_report_writer *w;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, arg, n);
	name[n] = '\0';
	if (!(w = cs_report_find(name))) {
		usage_error("unknown format '%s' (%s)", name, cs_report_names());
		return -1;
	}
	if (eq && !eq[1]) {
		usage_error("--format %s= needs a file name after '='", name);
		return -1;
	}
	if (c->nout == MAX_OUTPUTS) {
		usage_error("at most %d --format options", MAX_OUTPUTS);
		return -1;
	}
	c->outs[c->nout].w = w;
	c->outs[c->nout].path = eq ? eq + 1 : NULL;
	c->nout++;
	return 0;
}

/*
 * After the options: the report without a file of its own goes to
 * --output or standard output; there is at most one such, and no two
 * reports share a file. Without --format: table on a terminal, else json.
 */
static int settle_outputs(cli *c)
{
	size_t i, j, bare = 0;

	if (!c->nout) {
		bool tty = !c->output && isatty(STDOUT_FILENO);

		c->outs[0].w = cs_report_find(tty ? "table" : "json");
		c->nout = 1;
	}
	for (i = 0; i < c->nout; i++)
		if (!c->outs[i].path) {
			if (bare++)
				return usage_error("only one report can go to %s: give the others a file (--format %s=FILE)",
						   c->output ? c->output : "standard output", c->outs[i].w->name);
			c->outs[i].path = c->output;
		}
	if (c->output && !bare)
		return usage_error("--output '%s': every --format already names its file", c->output);
	for (i = 0; i < c->nout; i++)
		for (j = 0; j < i; j++)
			if (c->outs[i].path && c->outs[j].path && !strcmp(c->outs[i].path, c->outs[j].path))
				return usage_error("two reports would write '%s'", c->outs[i].path);
	return 0;
}

static int parse_args(cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
		{"platform", required_argument, NULL, 'P'}, {"scanners", required_argument, NULL, 'S'},
		{"jobs", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
		{"db", required_argument, NULL, 'D'}, {"db-max-age", required_argument, NULL, 'A'},
		{"secret-config", required_argument, NULL, 'C'},
		{"dockerfile", required_argument, NULL, 'F'}, {"base-catalog", required_argument, NULL, 'B'},
		{"severity", required_argument, NULL, 1000}, {"fixable-only", no_argument, NULL, 1001},
		{"ignore-unfixed", no_argument, NULL, 1001}, {"fail-on", required_argument, NULL, 1002},
		{"exit-code", required_argument, NULL, 1003}, {"policy", required_argument, NULL, 1004},
		{"ignore-file", required_argument, NULL, 1005}, {"show-suppressed", no_argument, NULL, 1006},
		{"vex", required_argument, NULL, 1007}, {"baseline", required_argument, NULL, 1008},
		{"username", required_argument, NULL, 1100}, {"password-stdin", no_argument, NULL, 1101},
		{"insecure", no_argument, NULL, 1102}, {"ca-cert", required_argument, NULL, 1103},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:o:j:qh", longopts, NULL)) != -1) {
		/* a source command (config) reads no image and no vulnerability database */
		if (c->src && ch > 0 && ch < 128 && strchr("PSjDACFB", ch)) {
			const struct option *lo;

			for (lo = longopts; lo->name && lo->val != ch; lo++)
				;
			return usage_error("%s: --%s applies to image scans only", c->src->name, lo->name ? lo->name : "?");
		}
		switch (ch) {
		case 'f':
			if (add_format(c, optarg) < 0)
				return EXIT_USAGE;
			break;
		case 'o':
			c->output = optarg;
			break;
		case 'P':
			if (c->rootfs || c->sbom)
				return usage_error("%s: --platform applies to images only", c->sbom ? "sbom" : "rootfs");
			c->opts.platform = optarg;
			break;
		case 'S':
			if (parse_scanners(optarg, &c->opts.scanners) < 0)
				return usage_error("unknown scanner in '%s' (vuln, secret, config, base)", optarg);
			break;
		case 'j': {
			char *end;
			long n;

			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 16)
				return usage_error("--jobs takes a number from 1 to 16, not '%s'", optarg);
			c->opts.jobs = (int)n;
			break;
		}
		case 'q':
			c->quiet = true;
			break;
		case 'D':
			c->db = optarg;
			break;
		case 'C':
			c->opts.secret_config = optarg;
			break;
		case 'F':
			c->opts.dockerfile = optarg;
			break;
		case 'B':
			c->opts.base_catalog = optarg;
			break;
		case 1000:
			c->policy.severities = optarg;
			break;
		case 1001:
			c->policy.fixable_only = true;
			break;
		case 1002:
			c->policy.fail_on = optarg;
			break;
		case 1003: {
			char *end;
			long n;

			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 0 || n > 255)
				return usage_error("--exit-code takes a number from 0 to 255, not '%s'", optarg);
			c->policy.exit_code = (int)n;
			break;
		}
		case 1004:
			c->policy.policy_file = optarg;
			break;
		case 1005:
			c->policy.ignore_file = optarg;
			break;
		case 1006:
			c->policy.show_suppressed = true;
			break;
		case 1007:
			if (c->policy.nvex == CS_POLICY_MAX_VEX)
				return usage_error("at most %d --vex files", CS_POLICY_MAX_VEX);
			c->policy.vex[c->policy.nvex++] = optarg;
			break;
		case 1008:
			c->policy.baseline = optarg;
			break;
		case 1100:
			if (!*optarg)
				return usage_error("--username needs a name");
			c->opts.registry.username = optarg;
			break;
		case 1101:
			c->password_stdin = true;
			break;
		case 1102:
			c->opts.registry.insecure = true;
			break;
		case 1103:
			c->opts.registry.ca_cert = optarg;
			break;
		case 'A': {
			char *end;
			long n;

			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 0 || n > 36500)
				return usage_error("--db-max-age takes a number of days, not '%s'", optarg);
			c->db_max_age = n;
			break;
		}
		case 'h':
			fputs(c->src ? c->src->usage : c->sbom ? usage_sbom : c->rootfs ? usage_rootfs : usage_image, stdout);
			return -1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!c->opts.registry.username != !c->password_stdin)
		return usage_error("--username and --password-stdin go together");
	if (optind >= argc)
		return usage_error("missing %s", c->src ? c->src->operand
					: c->rootfs ? "DIR" : c->sbom ? "FILE" : "TARGET");
	if (optind + 1 < argc)
		return usage_error("unexpected argument '%s'", argv[optind + 1]);
	c->target = argv[optind];
	return settle_outputs(c);
}

#define exit_for cs_cli_exit_for

int cs_cli_exit_for(int code)
{
	switch (code) {
	case CS_EUSAGE: return EXIT_USAGE;
	case CS_ENOMEM: return EXIT_INTERNAL;
	default: return EXIT_INPUT;
	}
}

static int terminal_width(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Opens the vulnerability database read-only; warns when it is stale. */
static int open_db(cli *c, cs_vdb **out)
{
	char path[4096];
	cs_vdb_info info;
	cs_arena a;
	cs_err err;
	int code;

	cs_err_clear(&err);
	cs_vdb_locate(c->db, path, sizeof(path));
	code = cs_vdb_open(out, path, false, &err);
	if (code == CS_ENOTFOUND) {
		cs_error("no vulnerability database at '%s': import one with 'customs db import PATH...', "
			 "name it with --db or $CUSTOMS_DB, or leave vuln out of --scanners",
			 path);
		return EXIT_INPUT;
	}
	if (code < 0) {
		cs_error("%s", err.msg);
		return exit_for(code);
	}
	cs_arena_init(&a);
	if (cs_vdb_get_info(&info, *out, &a, &err) == 0) {
		long long now = (long long)time(NULL), age = cs_vdb_age(info.built_at, now);

		/* The policy's database gate judges the same build time. */
		c->policy.db_built = age >= 0 ? now - age : 0;
		if (c->db_max_age > 0 && !info.built_at)
			cs_warn("the vulnerability database '%s' is empty", path);
		else if (c->db_max_age > 0 && age > c->db_max_age * 86400LL)
			cs_warn("the vulnerability database '%s' is %lld days old (built %s); update it", path,
				age / 86400, info.built_at);
	}
	cs_arena_release(&a);
	return EXIT_OK;
}

/*
 * --password-stdin: the first line of standard input (as docker login
 * reads it), without its line end. Never echoed, wiped when done.
 */
static int read_password(cli *c)
{
	size_t n = 0;
	ssize_t got;

	while (n < sizeof(c->password) - 1) {
		do
			got = read(STDIN_FILENO, c->password + n, sizeof(c->password) - 1 - n);
		while (got < 0 && errno == EINTR);
		if (got <= 0)
			break;
		n += (size_t)got;
		if (memchr(c->password, '\n', n))
			break;
	}
	c->password[n] = '\0';
	c->password[strcspn(c->password, "\r\n")] = '\0';
	if (!c->password[0]) {
		cs_error("--password-stdin: no password on standard input");
		return EXIT_USAGE;
	}
	c->opts.registry.password = c->password;
	return EXIT_OK;
}

/* The report time: $SOURCE_DATE_EPOCH when set (reproducible reports), else now. */
static long long report_time(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long t;

	if (e && *e) {
		errno = 0;
		t = strtoll(e, &end, 10);
		if (!errno && !*end && t >= 0)
			return t;
		cs_warn("SOURCE_DATE_EPOCH '%.32s' is not a number of seconds; using the current time", e);
	}
	return (long long)time(NULL);
}

/*
 * Writes one report. A regular file is written beside its final name and
 * renamed into place only when complete: a failed write never leaves a
 * truncated report that looks finished. Anything else that already exists
 * (/dev/null, a FIFO, /dev/stdout) is written in place: renaming over a
 * device would replace it.
 */
static int write_output(const output *o, const cs_scan *s, const cs_report_opts *base)
{
	cs_report_opts ro = *base;
	char tmp[4096];
	FILE *out = stdout;
	struct stat st;
	bool direct = false;
	cs_err err;
	int fd = -1, rc = EXIT_OK;

	cs_err_clear(&err);
	if (!o->path) {
		if (isatty(STDOUT_FILENO)) {
			const char *nc = getenv("NO_COLOR");

			ro.color = !(nc && *nc);
			ro.width = terminal_width();
		}
	} else if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (!(out = fopen(o->path, "w"))) {
			cs_error("cannot write '%s': %s", o->path, strerror(errno));
			return EXIT_INTERNAL;
		}
		direct = true;
	} else {
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.customs-XXXXXX", o->path) >= sizeof(tmp)) {
			cs_error("cannot write '%s': name too long", o->path);
			return EXIT_INTERNAL;
		}
		if ((fd = mkstemp(tmp)) < 0 || !(out = fdopen(fd, "w"))) {
			cs_error("cannot write '%s': %s", o->path, strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			return EXIT_INTERNAL;
		}
		/* mkstemp makes 0600; a report is as readable as any file the user writes. */
		{
			mode_t um = umask(0);

			umask(um);
			(void)fchmod(fd, 0666 & ~um);
		}
	}
	if (o->w->write(out, s, &ro, &err) < 0 || fflush(out) != 0 || ferror(out)) {
		cs_error("%s%s%s", o->path ? o->path : "", o->path ? ": " : "",
			 err.msg[0] ? err.msg : "cannot write the report");
		rc = err.code == CS_ENOMEM || err.code == CS_EIO || !err.msg[0] ? EXIT_INTERNAL : exit_for(err.code);
	}
	if (direct) {
		if (fclose(out) != 0 && rc == EXIT_OK) {
			cs_error("cannot write '%s': %s", o->path, strerror(errno));
			rc = EXIT_INTERNAL;
		}
	} else if (o->path) {
		if (fclose(out) != 0 && rc == EXIT_OK) {
			cs_error("cannot write '%s': %s", o->path, strerror(errno));
			rc = EXIT_INTERNAL;
		}
		if (rc == EXIT_OK && rename(tmp, o->path) != 0) {
			cs_error("cannot write '%s': %s", o->path, strerror(errno));
			rc = EXIT_INTERNAL;
		}
		if (rc != EXIT_OK)
			unlink(tmp);
	}
	return rc;
}

static int run_scan(cli *c)
{
	cs_report_opts ro;
	cs_vdb *db = NULL;
	cs_scan *s = NULL;
	cs_err err;
	size_t i;
	int code, rc = EXIT_OK;

	if (c->quiet)
		cs_log_set_level(CS_LOG_ERROR);
	if (c->password_stdin && (rc = read_password(c)) != EXIT_OK)
		return rc;
	c->opts.registry.progress = !c->quiet && isatty(STDERR_FILENO);
	memset(&ro, 0, sizeof(ro));
	ro.width = 80;
	ro.now = report_time();
	/* End of life is judged at the report's time; the default catalog applies when it exists. */
	c->opts.now = ro.now;
	if (!c->opts.base_catalog && access(cs_base_catalog_default(c->base_catalog, sizeof(c->base_catalog)), F_OK) == 0)
		c->opts.base_catalog = c->base_catalog;
	cs_err_clear(&err);
	/* Gates, policy, ignore, VEX and baseline files first: a mistake there fails before a long scan. */
	if ((code = cs_policy_check(&c->policy, &err)) < 0) {
		cs_error("%s", err.msg);
		return exit_for(code);
	}
	/* Open the database first: a missing one fails before a long scan. */
	if ((c->opts.scanners & CS_SCANNER_VULN) && (code = open_db(c, &db)) != EXIT_OK)
		return code;
	if (c->src)
		code = c->src->scan(&s, c->target, &c->opts, &err);
	else if (c->sbom)
		code = cs_sbom_scan(&s, c->target, &c->opts, &err);
	else
		code = cs_scan_run(&s, c->target, c->rootfs, &c->opts, &err);
	if (code == 0 && db)
		code = cs_match_scan(s, db, &err);
	cs_vdb_close(db);
	c->policy.now = ro.now;
	if (code == 0)
		code = cs_policy_apply(s, &c->policy, &err);
	if (code < 0) {
		cs_error("%s", err.msg[0] ? err.msg : cs_err_name(code));
		cs_scan_free(s);
		return exit_for(code);
	}
	/* Outputs are opened only now: a failed scan leaves no file behind. */
	for (i = 0; i < c->nout; i++) {
		int r = write_output(&c->outs[i], s, &ro);

		if (r != EXIT_OK && rc == EXIT_OK)
			rc = r;
	}
	if (rc == EXIT_OK && cs_scan_error_count(s))
		rc = EXIT_INPUT;
	/* The verdict decides last: a failed gate with a complete report. */
	if (rc == EXIT_OK && cs_scan_policy(s) && !strcmp(cs_scan_policy(s)->verdict, "fail"))
		rc = c->policy.exit_code;
	cs_scan_free(s);
	return rc;
}

int cs_cli_run_source(int argc, char **argv, const cs_cli_source *src)
{
	cli c;
	int r;

	memset(&c, 0, sizeof(c));
	cs_policy_opts_default(&c.policy);
	cs_scan_opts_default(&c.opts);
	c.src = src;
	c.opts.scanners = src->scanners;
	r = parse_args(&c, argc, argv);
	if (r < 0)
		return EXIT_OK; /* --help */
	if (r > 0)
		return r;
	return run_scan(&c);
}

static void print_formats(void)
{
	const cs_report_writer *w;
	size_t i;

	fputs("Report formats (--format NAME[=FILE], repeatable):\n", stdout);
	for (i = 0; (w = cs_report_at(i)); i++)
		printf("  %-12s %s\n", w->name, w->description);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	cli c;
	int r;

	memset(&c, 0, sizeof(c));
	c.db_max_age = 7;
	cs_policy_opts_default(&c.policy);
	cs_scan_opts_default(&c.opts);
	if (!cmd) {
		fputs(usage_main, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("customs %s\n", cs_version());
		return EXIT_OK;
	}
	if (!strcmp(cmd, "help")) {
		const char *topic = argc > 2 ? argv[2] : NULL;

		if (!topic)
			fputs(usage_main, stdout);
		else if (!strcmp(topic, "image"))
			fputs(usage_image, stdout);
		else if (!strcmp(topic, "rootfs"))
			fputs(usage_rootfs, stdout);
		else if (!strcmp(topic, "sbom"))
			fputs(usage_sbom, stdout);
		else if (!strcmp(topic, "formats"))
			print_formats();
		else if (!strcmp(topic, "db"))
			fputs(cs_cli_usage_db, stdout);
		else if (!strcmp(topic, "config"))
			fputs(cs_cli_usage_config, stdout);
		else if (!strcmp(topic, "base"))
			fputs(cs_cli_usage_base, stdout);
		else if (!strcmp(topic, "version") || !strcmp(topic, "help"))
			fputs(usage_main, stdout);
		else
			return usage_error("no help for '%s'", topic);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "db"))
		return cs_cli_db(argc - 1, argv + 1);
	if (!strcmp(cmd, "config"))
		return cs_cli_config(argc - 1, argv + 1);
	if (!strcmp(cmd, "base"))
		return cs_cli_base(argc - 1, argv + 1);
	if (strcmp(cmd, "image") && strcmp(cmd, "rootfs") && strcmp(cmd, "sbom"))
		return usage_error("unknown command '%s'", cmd);
	c.rootfs = !strcmp(cmd, "rootfs");
	c.sbom = !strcmp(cmd, "sbom");
	/* An SBOM holds packages only: vulnerabilities are all there is to find. */
	if (c.sbom)
		c.opts.scanners = CS_SCANNER_VULN;
	r = parse_args(&c, argc - 1, argv + 1);
	if (r < 0)
		return EXIT_OK; /* --help */
	if (r > 0)
		return r;
	r = run_scan(&c);
	explicit_bzero(c.password, sizeof(c.password));
	return r;
}
