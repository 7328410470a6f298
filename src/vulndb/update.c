/*
 * update.c - `customs db update` (see update.h): the feed table, fetching
 * with libcurl (or plain reads from a directory mirror), and the atomic
 * rebuild of the database.
 *
 * Two phases. Fetch: every selected feed is requested with the validators
 * its source stored last time and lands in a temporary directory next to
 * the database; a transport failure ends the update here, before any
 * database work. Build: the old database is copied into that directory,
 * each fetched feed replaces its source in the copy (one transaction per
 * feed: forget the source, import the file, or roll back when the file
 * gave nothing), and the copy is renamed over the old file. Until that
 * rename the old file is only read, so a failed, interrupted or killed
 * update leaves it as it was.
 */
#include "core/compat.h"
#include "vulndb/update.h"
#include "core/version.h"
#include "core/buf.h"
#include "core/strutil.h"
#include "vulndb/import.h"
#include "vulndb/store.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


/* ---- the feeds ---------------------------------------------------------------- */

#define OSV_ROOT "https://osv-vulnerabilities.storage.googleapis.com/"
#define SECDB_ROOT "https://secdb.alpinelinux.org/"
#define SALSA_ROOT "https://salsa.debian.org/security-tracker-team/security-tracker/-/raw/master/data/"
#define NVD_ROOT "https://nvd.nist.gov/feeds/json/cve/2.0/"

/* osv.dev's export of one ecosystem: <ECOSYSTEM>/all.zip */
#define OSV_FEED(label, eco) OSV_FEED_URL(label, eco, eco)
/* ... whose name needs escaping in a URL: "Rocky%20Linux" */
#define OSV_FEED_URL(label, eco, url) \
	{"osv-" label, OSV_ROOT url "/all.zip", "osv/" eco "/all.zip", "osv-" label "/all.zip", NULL}
/* Alpine secdb: one file per release and repository, each a source of its own */
#define SECDB_FEED(rel, repo)                                                                                 \
	{"alpine-secdb-" rel "-" repo, SECDB_ROOT rel "/" repo ".json", "alpine-secdb/" rel "/" repo ".json", \
	 "alpine-secdb/" rel "/" repo ".json", NULL}

/*
 * Every feed, once. "%Y" in a line makes one feed per year, 2002 to the
 * current one (NVD's yearly files; the 2002 file also holds 1999-2001).
 * Alpine: the releases still supported upstream, and edge.
 */
static const cs_vdb_feed feed_table[] = {
	OSV_FEED("debian", "Debian"),
	OSV_FEED("ubuntu", "Ubuntu"),
	OSV_FEED("alpine", "Alpine"),
	OSV_FEED("wolfi", "Wolfi"),
	OSV_FEED("chainguard", "Chainguard"),
	OSV_FEED("almalinux", "AlmaLinux"),
	OSV_FEED_URL("rocky", "Rocky Linux", "Rocky%20Linux"),
	OSV_FEED("suse", "SUSE"),
	OSV_FEED("opensuse", "openSUSE"),
	OSV_FEED_URL("photon", "Photon OS", "Photon%20OS"),
	OSV_FEED("mageia", "Mageia"),
	OSV_FEED("pypi", "PyPI"),
	OSV_FEED("npm", "npm"),
	OSV_FEED("go", "Go"),
	OSV_FEED("crates.io", "crates.io"),
	OSV_FEED("maven", "Maven"),
	OSV_FEED("rubygems", "RubyGems"),
	OSV_FEED("nuget", "NuGet"),
	OSV_FEED("packagist", "Packagist"),
	SECDB_FEED("v3.17", "main"),
	SECDB_FEED("v3.17", "community"),
	SECDB_FEED("v3.18", "main"),
	SECDB_FEED("v3.18", "community"),
	SECDB_FEED("v3.19", "main"),
	SECDB_FEED("v3.19", "community"),
	SECDB_FEED("v3.20", "main"),
	SECDB_FEED("v3.20", "community"),
	SECDB_FEED("v3.21", "main"),
	SECDB_FEED("v3.21", "community"),
	SECDB_FEED("v3.22", "main"),
	SECDB_FEED("v3.22", "community"),
	SECDB_FEED("edge", "main"),
	SECDB_FEED("edge", "community"),
	{"debian-tracker", "https://security-tracker.debian.org/tracker/data/json", "debian/json", "debian-tracker/json",
	 NULL},
	{"debian-list-dsa", SALSA_ROOT "DSA/list", "debian/DSA/list", "debian-list-dsa/list", NULL},
	{"debian-list-dla", SALSA_ROOT "DLA/list", "debian/DLA/list", "debian-list-dla/list", NULL},
	/* all.zip: an archive called "all" takes its directory's label, nvd-YYYY */
	{"nvd-%Y", NVD_ROOT "nvdcve-2.0-%Y.json.zip", "nvd/nvdcve-2.0-%Y.json.zip", "nvd-%Y/all.zip", NULL},
	{"kev", "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json", "kev.json",
	 "kev/known_exploited_vulnerabilities.json", "kev"},
	{"epss", "https://epss.cyentia.com/epss_scores-current.csv.gz", "epss/epss_scores-current.csv.gz",
	 "epss/epss_scores-current.csv.gz", "epss"},
};

#define NVD_FIRST_YEAR 2002

/* s with every "%Y" replaced by year, in a; s itself when it has none. */
static const char *with_year(cs_arena *a, const char *s, int year)
{
	cs_buf b = CS_BUF_INIT;
	const char *p, *q;
	char *out;

	if (!s || !strstr(s, "%Y"))
		return s;
	for (p = s; (q = strstr(p, "%Y")); p = q + 2)
		if (cs_buf_append(&b, p, (size_t)(q - p)) < 0 || cs_buf_printf(&b, "%04d", year) < 0)
			goto oom;
	if (cs_buf_puts(&b, p) < 0)
		goto oom;
	out = cs_arena_strdup(a, b.data);
	cs_buf_release(&b);
	return out;
oom:
	cs_buf_release(&b);
	return NULL;
}

int cs_vdb_feeds_default(const cs_vdb_feed **out, size_t *n, int year, cs_arena *a)
{
	size_t i, k = 0, cap = 0;
	cs_vdb_feed *v;
	int y;

	if (year < NVD_FIRST_YEAR)
		year = NVD_FIRST_YEAR;
	for (i = 0; i < CS_ARRAY_LEN(feed_table); i++)
		cap += strstr(feed_table[i].name, "%Y") ? (size_t)(year - NVD_FIRST_YEAR + 1) : 1;
	if (!(v = cs_arena_calloc(a, cap, sizeof(*v))))
		return CS_ENOMEM;
	for (i = 0; i < CS_ARRAY_LEN(feed_table); i++) {
		const cs_vdb_feed *f = &feed_table[i];

		if (!strstr(f->name, "%Y")) {
			v[k++] = *f;
			continue;
		}
		for (y = NVD_FIRST_YEAR; y <= year; y++, k++) {
			v[k] = *f;
			v[k].name = with_year(a, f->name, y);
			v[k].url = with_year(a, f->url, y);
			v[k].path = with_year(a, f->path, y);
			v[k].import_as = with_year(a, f->import_as, y);
			if (!v[k].name || !v[k].url || !v[k].path || !v[k].import_as)
				return CS_ENOMEM;
		}
	}
	*out = v;
	*n = k;
	return 0;
}

bool cs_vdb_feed_matches(const char *name, const char *selector)
{
	size_t n = strlen(selector);

	return n && strncmp(name, selector, n) == 0 && (name[n] == '\0' || name[n] == '-');
}

const char *cs_vdb_feed_state_name(cs_vdb_feed_state s)
{
	static const char *const names[CS_FEED_NSTATES] = {"not reached", "fetched",  "updated", "unchanged",
							   "not found",   "unusable", "failed"};

	return (unsigned)s < CS_FEED_NSTATES ? names[s] : "?";
}

/* ---- state of one update --------------------------------------------------------- */

enum { MIRROR_NONE, MIRROR_DIR, MIRROR_URL };

/*
 * root/path for a URL mirror, path percent-encoded where a URL needs it
 * ("osv/Rocky Linux/all.zip" -> "osv/Rocky%20Linux/all.zip"). NULL: no memory.
 */
static char *mirror_url(cs_arena *a, const char *root, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(root), m = strlen(path), o;
	char *out = cs_arena_alloc(a, n + 1 + 3 * m + 1);
	const char *p;

	if (!out)
		return NULL;
	memcpy(out, root, n);
	o = n;
	out[o++] = '/';
	for (p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (isalnum(c) || strchr("/-._~", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return out;
}

/* What the update keeps per selected feed beside its public result. */
typedef struct job {
	cs_vdb_feed_result *r;
	const cs_vdb_source_info *prev; /* the source as the old database has it, or NULL */
	char *stage;                    /* <tmp>/feeds/<k>: the feed's own directory */
	char *dir;                      /* stage + the first component of import_as: what is imported */
	bool fetched;                   /* a file waits under dir */
	const char *first_bad, *last_bad; /* reports of the import, for an unusable feed */
} job;

typedef struct upd {
	const cs_vdb_update_opts *o;
	cs_vdb_update_result *res;
	cs_arena *a;
	cs_err *err;
	int mirror;               /* MIRROR_* */
	char root[PATH_MAX];      /* the mirror directory (resolved) or URL, without a trailing '/' */
	char tmp[PATH_MAX];       /* the temporary directory next to the database; "" until made */
	CURL *curl;
	char curl_err[CURL_ERROR_SIZE];
	/* the transfer under way */
	job *cur;
	int fd;
	uint64_t max;
	bool too_big, write_failed;
	int write_errno;
	char etag[256], last_modified[128];
	struct timespec last_tick;
} upd;

static bool cancelled(const upd *u)
{
	return u->o->cancel && *u->o->cancel;
}

static int interrupted(upd *u)
{
	return cs_err_set(u->err, CS_ERR, "interrupted: the database was left as it was");
}

static void progress(upd *u, int event, const job *j)
{
	if (u->o->progress)
		u->o->progress(u->o->payload, event, j->r);
}

static int oom(upd *u)
{
	cs_err_set(u->err, CS_ENOMEM, "out of memory");
	return CS_ENOMEM; /* spelled out, for the analyzer (see select_feeds) */
}

/* ---- files --------------------------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	CS_UNUSED(sb);
	CS_UNUSED(flag);
	CS_UNUSED(ftw);
	remove(path);
	return 0;
}

/* Removes path and everything below it, links not followed. */
static void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates every missing directory of path[0..n) (mode 0755 before umask). */
static int mkdir_p(upd *u, const char *path, size_t n)
{
	char buf[PATH_MAX];
	size_t i;

	if (n >= sizeof(buf))
		return cs_err_set(u->err, CS_ELIMIT, "path too long: '%.*s'", (int)n, path);
	memcpy(buf, path, n);
	buf[n] = '\0';
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return cs_err_set(u->err, CS_EIO, "cannot create directory '%s': %s", buf, strerror(errno));
		if (i < n)
			buf[i] = '/';
	}
	return 0;
}

/* Copies file src to the new file dst (created 0600, must not exist). */
static int copy_file(upd *u, const char *src, const char *dst)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, code = 0;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return cs_err_set(u->err, CS_EIO, "cannot read '%s': %s", src, strerror(errno));
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		code = cs_err_set(u->err, CS_EIO, "cannot create '%s': %s", dst, strerror(errno));
		goto done;
	}
	/* the kernel's copy first (reflinks and server-side copies where the file system can), then
	 * read and write from wherever it stopped */
	while ((n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0)) != 0) {
		if (n > 0 || errno == EINTR)
			continue;
		if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
			break;
		code = cs_err_set(u->err, CS_EIO, "cannot copy '%s': %s", src, strerror(errno));
		goto done;
	}
	while (n != 0) {
		ssize_t w = 0, m;

		if ((n = read(in, buf, sizeof(buf))) < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			code = cs_err_set(u->err, CS_EIO, "cannot read '%s': %s", src, strerror(errno));
			goto done;
		}
		while (w < n) {
			if ((m = write(out, buf + w, (size_t)(n - w))) < 0 && errno == EINTR)
				continue;
			if (m < 0) {
				code = cs_err_set(u->err, CS_EIO, "cannot write '%s': %s", dst, strerror(errno));
				goto done;
			}
			w += m;
		}
	}
	if (close(out) < 0)
		code = cs_err_set(u->err, CS_EIO, "cannot write '%s': %s", dst, strerror(errno));
	out = -1;
done:
	if (out >= 0)
		close(out);
	close(in);
	return code;
}

/* An HTTP date (RFC 9110 IMF-fixdate) of t. */
static void http_date(char out[64], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm))
		snprintf(out, 64, "Thu, 01 Jan 1970 00:00:00 GMT");
}

/* ---- HTTP ------------------------------------------------------------------------------ */

/* Copies the value of header line p[0..n) into out when it is called name; true when it was. */
static bool header_value(const char *p, size_t n, const char *name, char *out, size_t outsz)
{
	size_t m = strlen(name), i;

	if (n <= m || strncasecmp(p, name, m) != 0 || p[m] != ':')
		return false;
	p += m + 1;
	n -= m + 1;
	cs_mem_trim(&p, &n);
	while (n && (p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	cs_mem_trim(&p, &n);
	out[0] = '\0';
	if (n == 0 || n >= outsz)
		return true; /* absent or too long to send back: not kept */
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return true;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

static size_t on_header(char *p, size_t size, size_t n, void *payload)
{
	upd *u = payload;
	size_t len = size * n;

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or a 1xx): only the last one's validators count */
		u->etag[0] = u->last_modified[0] = '\0';
		return len;
	}
	if (!header_value(p, len, "etag", u->etag, sizeof(u->etag)))
		header_value(p, len, "last-modified", u->last_modified, sizeof(u->last_modified));
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *payload)
{
	upd *u = payload;
	size_t len = size * n, done = 0;

	if (u->cur->r->bytes + len > u->max) {
		u->too_big = true;
		return 0;
	}
	while (done < len) {
		ssize_t w = write(u->fd, p + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			u->write_failed = true;
			u->write_errno = errno;
			return 0;
		}
		done += (size_t)w;
	}
	u->cur->r->bytes += len;
	return len;
}

static int on_xfer(void *payload, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	upd *u = payload;
	struct timespec now;

	CS_UNUSED(dlnow);
	CS_UNUSED(ultotal);
	CS_UNUSED(ulnow);
	if (cancelled(u))
		return 1;
	if (dltotal > 0)
		u->cur->r->total = (uint64_t)dltotal;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((now.tv_sec - u->last_tick.tv_sec) * 1000 + (now.tv_nsec - u->last_tick.tv_nsec) / 1000000 >= 200) {
		u->last_tick = now;
		progress(u, CS_UPD_DOWNLOADING, u->cur);
	}
	return 0;
}

/* Errors worth another request: the network or the server had a bad moment. */
static bool transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* The wait before retry attempt + 1: first doubled attempt times, at most a minute. */
static long backoff(long first, unsigned attempt)
{
	long ms = first;

	while (attempt-- > 0 && ms < 60000)
		ms *= 2;
	return ms < 60000 ? ms : 60000;
}

/* Sleeps ms milliseconds, waking early when cancelled. */
static void nap(upd *u, long ms)
{
	while (ms > 0 && !cancelled(u)) {
		long step = ms < 100 ? ms : 100;
		struct timespec ts = {0, step * 1000000L};

		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static int setup_curl(upd *u)
{
	const cs_vdb_update_opts *o = u->o;
	CURL *c;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c = curl_easy_init())) {
		curl_global_cleanup();
		return cs_err_set(u->err, CS_ENOMEM, "cannot start libcurl");
	}
	u->curl = c;
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, u->curl_err);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout > 0 ? o->connect_timeout : 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit > 0 ? o->low_speed_limit : 1000L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->low_speed_time > 0 ? o->low_speed_time : 60L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	{
		char ua[128];

		snprintf(ua, sizeof(ua), "customs/%s", cs_version());
		curl_easy_setopt(c, CURLOPT_USERAGENT, ua);
	}
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)u->max);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, u);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, u);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xfer);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, u);
	return 0;
}

/* True when the stored validators were taken from this very URL (not another mirror's). */
static bool same_origin(const job *j)
{
	return j->prev && j->prev->url && strcmp(j->prev->url, j->r->from) == 0;
}

static bool compressed_name(const char *name)
{
	return cs_str_ends(name, ".zip") || cs_str_ends(name, ".gz") || cs_str_ends(name, ".zst") ||
	       cs_str_ends(name, ".xz") || cs_str_ends(name, ".bz2");
}

/*
 * Fetches j->r->from into dest with curl: conditional when the source has
 * validators from the same URL, retried on 5xx, 429 and transient errors.
 * Sets the state; returns negative only when the update must stop.
 */
static int fetch_http(upd *u, job *j, const char *dest)
{
	cs_vdb_feed_result *r = j->r;
	const cs_vdb_update_opts *o = u->o;
	unsigned retries = o->retries ? o->retries : 3, attempt;
	long delay = o->retry_delay_ms ? (long)o->retry_delay_ms : 1000L;
	struct curl_slist *hdrs = NULL;
	char line[512], why[CURL_ERROR_SIZE + 128];
	CURL *c = u->curl;
	int code = 0;

	/* validators only go back where they came from: another mirror's would prove nothing */
	if (same_origin(j) && !o->force) {
		const char *const v[2][2] = {{"If-None-Match", j->prev->etag}, {"If-Modified-Since", j->prev->last_modified}};
		struct curl_slist *more;
		int i;

		for (i = 0; i < 2; i++) {
			if (!v[i][1])
				continue;
			snprintf(line, sizeof(line), "%s: %s", v[i][0], v[i][1]);
			if (!(more = curl_slist_append(hdrs, line))) {
				curl_slist_free_all(hdrs);
				return oom(u);
			}
			hdrs = more;
		}
	}
	u->fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (u->fd < 0) {
		curl_slist_free_all(hdrs);
		return cs_err_set(u->err, CS_EIO, "cannot create '%s': %s", dest, strerror(errno));
	}
	curl_easy_setopt(c, CURLOPT_URL, r->from);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	/* never from https down to http */
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, cs_str_starts(r->from, "https:") ? "https" : "http,https");
	/* compressed transfer for plain files only: a server that labels a .gz as gzip-encoded must not
	 * get it unpacked behind the importer's back */
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, compressed_name(r->from) ? NULL : "");
	for (attempt = 0;; attempt++) {
		CURLcode rc;
		curl_off_t retry_after = -1;
		bool retry;

		if (ftruncate(u->fd, 0) < 0 || lseek(u->fd, 0, SEEK_SET) < 0) {
			code = cs_err_set(u->err, CS_EIO, "cannot write '%s': %s", dest, strerror(errno));
			break;
		}
		r->bytes = r->total = 0;
		r->http_status = 0;
		u->too_big = u->write_failed = false;
		u->etag[0] = u->last_modified[0] = u->curl_err[0] = '\0';
		u->cur = j;
		rc = curl_easy_perform(c);
		r->requests++;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->http_status);
		if (rc == CURLE_ABORTED_BY_CALLBACK || cancelled(u)) {
			code = interrupted(u);
			break;
		}
		if (u->write_failed) {
			code = cs_err_set(u->err, CS_EIO, "cannot write '%s': %s", dest, strerror(u->write_errno));
			break;
		}
		if (rc == CURLE_OK) {
			long s = r->http_status;

			if (s >= 200 && s < 300) {
				r->etag = u->etag[0] ? cs_arena_strdup(u->a, u->etag) : NULL;
				r->last_modified = u->last_modified[0] ? cs_arena_strdup(u->a, u->last_modified) : NULL;
				j->fetched = true;
				r->state = CS_FEED_FETCHED;
				break;
			}
			if (s == 304 && hdrs) { /* only an answer to our validators means "unchanged" */
				r->state = CS_FEED_UNCHANGED;
				break;
			}
			if (s == 404 || s == 410) {
				r->state = CS_FEED_MISSING;
				snprintf(why, sizeof(why), "HTTP %ld", s);
				r->why = cs_arena_strdup(u->a, why);
				break;
			}
			retry = s == 408 || s == 429 || s >= 500;
			snprintf(why, sizeof(why), "HTTP %ld", s);
		} else if (u->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
			retry = false;
			snprintf(why, sizeof(why), "larger than %llu bytes", (unsigned long long)u->max);
		} else {
			retry = transient(rc);
			snprintf(why, sizeof(why), "%s", u->curl_err[0] ? u->curl_err : curl_easy_strerror(rc));
		}
		curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after);
		if (retry && attempt < retries && retry_after > 60) {
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " (the server asks to retry after %lld s)",
				 (long long)retry_after);
			retry = false;
		}
		if (!retry || attempt >= retries) {
			r->state = CS_FEED_FAILED;
			if (r->requests > 1)
				snprintf(why + strlen(why), sizeof(why) - strlen(why), ", %u requests", r->requests);
			r->why = cs_arena_strdup(u->a, why);
			code = cs_err_set(u->err, CS_EIO, "cannot download source '%s' from '%s': %s", r->feed->name,
					  r->from, why);
			break;
		}
		nap(u, retry_after > 0 ? (long)retry_after * 1000L : backoff(delay, attempt));
		if (cancelled(u)) {
			code = interrupted(u);
			break;
		}
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hdrs);
	close(u->fd);
	u->fd = -1;
	return code;
}

/* ---- the fetch phase ---------------------------------------------------------------------- */

/*
 * A directory mirror: the file is linked into the stage, not copied. Its
 * size and modification time stand in for an ETag, so an unchanged mirror
 * file is not imported again.
 */
static int fetch_file(upd *u, job *j, const char *src, const char *dest)
{
	cs_vdb_feed_result *r = j->r;
	char etag[96], date[64];
	struct stat sb;

	if (stat(src, &sb) < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			r->state = CS_FEED_MISSING;
			r->why = "not in the mirror";
			return 0;
		}
		r->state = CS_FEED_FAILED;
		r->why = cs_arena_strdup(u->a, strerror(errno));
		return cs_err_set(u->err, CS_EIO, "cannot read source '%s' from '%s': %s", r->feed->name, src,
				  strerror(errno));
	}
	if (!S_ISREG(sb.st_mode)) {
		r->state = CS_FEED_FAILED;
		r->why = "not a regular file";
		return cs_err_set(u->err, CS_EIO, "cannot read source '%s' from '%s': not a regular file", r->feed->name,
				  src);
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx.%09ld\"", (unsigned long long)sb.st_size,
		 (unsigned long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec);
	http_date(date, sb.st_mtim.tv_sec);
	r->bytes = r->total = (uint64_t)sb.st_size;
	if (!u->o->force && same_origin(j) && j->prev->etag && strcmp(j->prev->etag, etag) == 0) {
		r->state = CS_FEED_UNCHANGED;
		return 0;
	}
	if (symlink(src, dest) < 0)
		return cs_err_set(u->err, CS_EIO, "cannot link '%s' to '%s': %s", dest, src, strerror(errno));
	r->etag = cs_arena_strdup(u->a, etag);
	r->last_modified = cs_arena_strdup(u->a, date);
	j->fetched = true;
	r->state = CS_FEED_FETCHED;
	return 0;
}

static int fetch_one(upd *u, job *j, size_t k)
{
	const cs_vdb_feed *f = j->r->feed;
	const char *slash = strchr(f->import_as, '/');
	char *dest;
	int code;

	if (!slash || slash == f->import_as || strstr(f->import_as, "..") || f->import_as[0] == '/')
		return cs_err_set(u->err, CS_EUSAGE, "source '%s': bad import path '%s'", f->name, f->import_as);
	j->stage = cs_arena_printf(u->a, "%s/feeds/%zu", u->tmp, k);
	j->dir = j->stage ? cs_arena_printf(u->a, "%s/%.*s", j->stage, (int)(slash - f->import_as), f->import_as) : NULL;
	dest = j->stage ? cs_arena_printf(u->a, "%s/%s", j->stage, f->import_as) : NULL;
	if (!j->dir || !dest)
		return oom(u);
	if (u->mirror == MIRROR_DIR)
		j->r->from = cs_arena_printf(u->a, "file://%s/%s", u->root, f->path);
	else if (u->mirror == MIRROR_URL)
		j->r->from = mirror_url(u->a, u->root, f->path);
	else
		j->r->from = f->url;
	if (!j->r->from)
		return oom(u);
	if ((code = mkdir_p(u, dest, (size_t)(strrchr(dest, '/') - dest))) < 0)
		return code;
	if (u->mirror == MIRROR_DIR)
		code = fetch_file(u, j, j->r->from + strlen("file://"), dest);
	else
		code = fetch_http(u, j, dest);
	return code;
}

/* ---- the build phase ---------------------------------------------------------------------- */

/* Bad records of the feed being imported: named as in its stage, counted, passed on. */
static void on_import_bad(void *payload, const char *file, const char *why)
{
	upd *u = payload;
	job *j = u->cur;
	size_t n = strlen(j->stage);

	if (strncmp(file, j->stage, n) == 0 && file[n] == '/')
		file += n + 1;
	j->last_bad = cs_arena_printf(u->a, "%s: %s", file, why);
	if (!j->first_bad)
		j->first_bad = j->last_bad;
	if (u->o->on_bad)
		u->o->on_bad(u->o->payload, j->r->feed->name, file, why);
}

/*
 * Replaces the feed's source in db by what was fetched, in one transaction:
 * the source and (for KEV/EPSS) its table are emptied, the file imported,
 * the validators stored. When the file gave nothing usable (a damaged
 * archive, a document that does not parse, nothing an importer knows) the
 * transaction is rolled back and the previous records stay.
 */
static int import_one(upd *u, cs_vdb *db, job *j)
{
	cs_vdb_feed_result *r = j->r;
	const cs_vdb_feed *f = r->feed;
	const char *paths[1] = {j->dir};
	cs_vdb_import_stats st;
	int64_t id;
	int code;

	memset(&st, 0, sizeof(st));
	st.on_bad = on_import_bad;
	st.payload = u;
	u->cur = j;
	progress(u, CS_UPD_IMPORTING, j);
	if ((code = cs_vdb_begin(db, u->err)) < 0)
		return code;
	if ((code = cs_vdb_source_delete(db, f->name, u->err)) < 0 ||
	    (f->table && (code = cs_vdb_clear_table(db, f->table, u->err)) < 0) ||
	    (code = cs_vdb_import_paths(db, paths, 1, &st, u->err)) < 0)
		goto fail;
	r->records = st.records;
	r->bad = st.bad;
	if (st.failed || st.files == st.unknown || (st.records == 0 && st.bad > 0)) {
		cs_vdb_rollback(db);
		r->state = CS_FEED_UNUSABLE;
		if (st.files == st.unknown)
			r->why = "no importer recognises it";
		else if (st.failed) /* the archive's damage is its last report */
			r->why = j->last_bad;
		else
			r->why = j->first_bad;
		if (!r->why)
			r->why = "no record could be read";
		r->records = 0;
	} else {
		if ((code = cs_vdb_source(db, f->name, r->from, &id, u->err)) < 0 ||
		    (code = cs_vdb_source_done(db, id, r->etag, r->last_modified, u->err)) < 0 ||
		    (code = cs_vdb_commit(db, u->err)) < 0)
			goto fail;
		r->state = CS_FEED_UPDATED;
	}
	rm_tree(j->stage);
	progress(u, CS_UPD_IMPORTED, j);
	return 0;
fail:
	cs_vdb_rollback(db);
	cs_err_prefix(u->err, "source '%s': ", f->name);
	return code;
}

/*
 * The old database, when path holds one: opened for writing, which also
 * rolls back a journal an interrupted import left. NULL (and 0) when there
 * is no file, an empty one, or a database of another schema version (it
 * is rebuilt: out->rebuilt says why). Anything but an SQLite file is
 * refused, so that --db pointed at the wrong file never replaces it.
 */
static int open_old(upd *u, const char *path, cs_vdb **out, mode_t *mode)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	struct stat sb;
	cs_err e;
	ssize_t n;
	int fd, code;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			return 0;
		return cs_err_set(u->err, CS_EIO, "cannot open database '%s': %s", path, strerror(errno));
	}
	if (!S_ISREG(sb.st_mode))
		return cs_err_set(u->err, CS_EUSAGE, "database '%s' is not a file", path);
	*mode = sb.st_mode & 07777;
	if (sb.st_size == 0)
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return cs_err_set(u->err, CS_EIO, "cannot open database '%s': %s", path, strerror(errno));
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n != (ssize_t)sizeof(head) || memcmp(head, magic, sizeof(magic)) != 0)
		return cs_err_set(u->err, CS_EFORMAT, "'%s' is not a customs vulnerability database: not replacing it",
				  path);
	cs_err_clear(&e);
	code = cs_vdb_open(out, path, true, &e);
	if (code == CS_EFORMAT) {
		u->res->rebuilt = cs_arena_strdup(u->a, e.msg);
		return 0;
	}
	if (code < 0)
		cs_err_merge(u->err, &e);
	return code;
}

/* Copies the old database under a write lock, so that no import commits into it halfway through the copy. */
static int copy_old(upd *u, cs_vdb *old, const char *path, const char *dst)
{
	int code;

	if ((code = cs_vdb_begin(old, u->err)) < 0)
		return code;
	code = copy_file(u, path, dst);
	cs_vdb_rollback(old);
	return code;
}

static int fsync_dir(upd *u, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return cs_err_set(u->err, CS_EIO, "cannot sync directory '%s': %s", dir, strerror(e));
	}
	close(fd);
	return 0;
}

/* ---- the entry point ------------------------------------------------------------------------ */

static int select_feeds(upd *u, job **out)
{
	const cs_vdb_update_opts *o = u->o;
	const cs_vdb_feed *feeds = o->feeds;
	size_t nfeeds = o->nfeeds, i, k, n = 0;
	cs_vdb_feed_result *res;
	job *jobs;

	if (!feeds) {
		time_t now = time(NULL);
		struct tm tm;

		if (!gmtime_r(&now, &tm) || cs_vdb_feeds_default(&feeds, &nfeeds, tm.tm_year + 1900, u->a) < 0)
			return oom(u);
	}
	/* the codes spelled out below: the analyzer cannot see that cs_err_set returns its code */
	if (nfeeds == 0) {
		cs_err_set(u->err, CS_EUSAGE, "no source to update");
		return CS_EUSAGE;
	}
	for (k = 0; k < o->nselect; k++) {
		for (i = 0; i < nfeeds && !cs_vdb_feed_matches(feeds[i].name, o->select[k]); i++)
			;
		if (i == nfeeds) {
			cs_err_set(u->err, CS_EUSAGE, "unknown source '%s' (see 'customs db update --list')", o->select[k]);
			return CS_EUSAGE;
		}
	}
	res = cs_arena_calloc(u->a, nfeeds, sizeof(*res));
	jobs = cs_arena_calloc(u->a, nfeeds, sizeof(*jobs));
	if (!res || !jobs)
		return oom(u);
	for (i = 0; i < nfeeds; i++) {
		bool take = o->nselect == 0, exact = false;

		for (k = 0; k < o->nselect; k++) {
			take = take || cs_vdb_feed_matches(feeds[i].name, o->select[k]);
			exact = exact || strcmp(feeds[i].name, o->select[k]) == 0;
		}
		if (!take)
			continue;
		res[n].feed = &feeds[i];
		res[n].required = exact;
		jobs[n].r = &res[n];
		n++;
	}
	u->res->feeds = res;
	u->res->nfeeds = n;
	*out = jobs;
	return 0;
}

static int setup_mirror(upd *u)
{
	const char *m = u->o->mirror;
	size_t n;
	struct stat sb;

	if (!m || !*m) {
		u->mirror = MIRROR_NONE;
		return 0;
	}
	if (cs_str_starts(m, "http://") || cs_str_starts(m, "https://")) {
		u->mirror = MIRROR_URL;
		snprintf(u->root, sizeof(u->root), "%s", m);
	} else {
		u->mirror = MIRROR_DIR;
		if (cs_str_starts(m, "file://"))
			m += strlen("file://");
		if (!realpath(m, u->root) || stat(u->root, &sb) < 0)
			return cs_err_set(u->err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot read mirror '%s': %s",
					  m, strerror(errno));
		if (!S_ISDIR(sb.st_mode))
			return cs_err_set(u->err, CS_EUSAGE,
					  "mirror '%s' is neither a directory nor an http:// or https:// URL", m);
	}
	n = strlen(u->root);
	while (n > 1 && u->root[n - 1] == '/')
		u->root[--n] = '\0';
	return 0;
}

/* The file to replace (a symbolic link's target) and its directory, created when missing. */
static int resolve_target(upd *u, const char *path, char *target, char *dir)
{
	struct stat sb;
	char *slash;

	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		if (!realpath(path, target))
			return cs_err_set(u->err, CS_EIO, "cannot resolve database '%s': %s", path, strerror(errno));
	} else if (snprintf(target, PATH_MAX, "%s", path) >= PATH_MAX) {
		return cs_err_set(u->err, CS_ELIMIT, "path too long: '%s'", path);
	}
	snprintf(dir, PATH_MAX, "%s", target);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, PATH_MAX, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return mkdir_p(u, dir, strlen(dir));
}

static void count_states(cs_vdb_update_result *res)
{
	size_t i;

	memset(res->count, 0, sizeof(res->count));
	res->records = res->bad = 0;
	res->bytes = 0;
	for (i = 0; i < res->nfeeds; i++) {
		res->count[res->feeds[i].state]++;
		res->records += res->feeds[i].records;
		res->bad += res->feeds[i].bad;
		if (res->feeds[i].state == CS_FEED_FETCHED || res->feeds[i].state == CS_FEED_UPDATED ||
		    res->feeds[i].state == CS_FEED_UNUSABLE)
			res->bytes += res->feeds[i].bytes;
	}
}

static int fetch_all(upd *u, job *jobs)
{
	size_t i, k, n = u->res->nfeeds, missing = 0;
	int code;

	for (i = 0; i < n; i++) {
		cs_vdb_feed_result *r = jobs[i].r;

		if (cancelled(u))
			return interrupted(u);
		code = fetch_one(u, &jobs[i], i);
		progress(u, CS_UPD_DOWNLOADED, &jobs[i]);
		if (code < 0)
			return code;
		if (r->state == CS_FEED_MISSING) {
			missing++;
			if (r->required)
				return cs_err_set(u->err, CS_ENOTFOUND, "source '%s' not found at '%s' (%s)",
						  r->feed->name, r->from, r->why);
		}
	}
	if (missing == n)
		return cs_err_set(u->err, CS_ENOTFOUND, "none of the %zu sources was found%s%s", n,
				  u->mirror != MIRROR_NONE ? " in the mirror " : "",
				  u->mirror != MIRROR_NONE ? u->o->mirror : "");
	/* a family asked for by name ("osv") needs one of its feeds at least */
	for (k = 0; k < u->o->nselect; k++) {
		const char *sel = u->o->select[k];
		size_t found = 0, named = 0;

		for (i = 0; i < n; i++) {
			if (!cs_vdb_feed_matches(jobs[i].r->feed->name, sel))
				continue;
			named++;
			found += jobs[i].r->state != CS_FEED_MISSING;
		}
		if (named && !found)
			return cs_err_set(u->err, CS_ENOTFOUND, "no source of '%s' was found (%zu tried)", sel, named);
	}
	return 0;
}

static int build(upd *u, job *jobs, cs_vdb *old, const char *target, const char *dir, mode_t mode, bool have_mode)
{
	cs_vdb_update_result *res = u->res;
	char newdb[PATH_MAX + 16];
	cs_vdb *db = NULL;
	bool written = false;
	size_t i;
	int code;

	snprintf(newdb, sizeof(newdb), "%s/db.sqlite", u->tmp);
	if (old && (code = copy_old(u, old, target, newdb)) < 0)
		return code;
	if ((code = cs_vdb_open(&db, newdb, true, u->err)) < 0)
		return code;
	for (i = 0; i < res->nfeeds && code == 0; i++) {
		if (!jobs[i].fetched)
			continue;
		if (cancelled(u))
			code = interrupted(u);
		else
			code = import_one(u, db, &jobs[i]);
		if (code == 0 && jobs[i].r->state == CS_FEED_UPDATED)
			written = true;
	}
	/* feeds found unchanged: the database is current for them too, and its build time says so */
	if (code == 0 && (code = cs_vdb_begin(db, u->err)) == 0) {
		for (i = 0; i < res->nfeeds && code == 0; i++) {
			int64_t id;

			if (jobs[i].r->state != CS_FEED_UNCHANGED)
				continue;
			code = cs_vdb_source(db, jobs[i].r->feed->name, jobs[i].r->from, &id, u->err);
			written = true;
		}
		if (code == 0)
			code = cs_vdb_commit(db, u->err);
		else
			cs_vdb_rollback(db);
	}
	cs_vdb_close(db);
	if (code < 0 || !written)
		return code; /* nothing new (every fetched feed unusable): the old file stays */
	if (have_mode && chmod(newdb, mode) < 0)
		return cs_err_set(u->err, CS_EIO, "cannot set the mode of '%s': %s", newdb, strerror(errno));
	if (cancelled(u))
		return interrupted(u);
	if (rename(newdb, target) < 0)
		return cs_err_set(u->err, CS_EIO, "cannot replace database '%s': %s", target, strerror(errno));
	res->replaced = true;
	return fsync_dir(u, dir);
}

int cs_vdb_update(cs_vdb_update_result *out, const char *path, const cs_vdb_update_opts *opts, cs_arena *a,
		  cs_err *err)
{
	static const cs_vdb_update_opts none;
	char target[PATH_MAX], dir[PATH_MAX];
	cs_vdb *old = NULL;
	cs_vdb_info info;
	mode_t mode = 0644;
	job *jobs = NULL;
	upd u;
	size_t i, k;
	int code;

	memset(out, 0, sizeof(*out));
	memset(&u, 0, sizeof(u));
	u.o = opts ? opts : &none;
	u.res = out;
	u.a = a;
	u.err = err;
	u.fd = -1;
	u.max = u.o->max_bytes ? u.o->max_bytes : (4ull << 30);
	if ((code = select_feeds(&u, &jobs)) < 0 || (code = setup_mirror(&u)) < 0 ||
	    (code = resolve_target(&u, path, target, dir)) < 0 || (code = open_old(&u, target, &old, &mode)) < 0)
		goto done;
	if (old) {
		if ((code = cs_vdb_get_info(&info, old, a, err)) < 0)
			goto done;
		for (i = 0; i < out->nfeeds; i++)
			for (k = 0; k < info.nsources; k++)
				if (strcmp(info.sources[k].name, out->feeds[i].feed->name) == 0)
					jobs[i].prev = &info.sources[k];
	}
	snprintf(u.tmp, sizeof(u.tmp), "%s/.customs-update-XXXXXX", dir);
	if (!mkdtemp(u.tmp)) {
		code = cs_err_set(err, CS_EIO, "cannot create a temporary directory in '%s': %s", dir, strerror(errno));
		u.tmp[0] = '\0';
		goto done;
	}
	if (u.mirror != MIRROR_DIR && (code = setup_curl(&u)) < 0)
		goto done;
	if ((code = fetch_all(&u, jobs)) < 0)
		goto done;
	code = build(&u, jobs, old, target, dir, mode, old != NULL);
done:
	count_states(out);
	cs_vdb_close(old);
	if (u.curl) {
		curl_easy_cleanup(u.curl);
		curl_global_cleanup();
	}
	if (u.tmp[0])
		rm_tree(u.tmp);
	return code;
}
