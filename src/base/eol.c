/*
 * eol.c - when an OS release stops getting security updates (see base.h).
 *
 * Debian and Ubuntu: Debian's distro-info-data CSV files when the machine
 * has them (they are updated in stable point releases, so they may know a
 * newer release or a moved date), then the table below. Other families:
 * the table only. The date is the last day of security updates that come
 * with the distribution at no extra cost: Debian LTS (not the paid ELTS),
 * Ubuntu's standard support (not ESM, which needs Ubuntu Pro), Red Hat's
 * Maintenance Support (not ELS). Sources: docs/base-image.md.
 */
#include "core/compat.h"
#include "base/base.h"

#include <ctype.h>
#include <time.h>

typedef struct eol_row {
	const char *family;   /* as cs_os names it */
	const char *release;  /* cs_base_release_key's answer */
	const char *codename; /* Debian and Ubuntu series, or NULL */
	const char *date;     /* last day of security support */
} eol_row;

static const eol_row eol_table[] = {
	/* Debian: distro-info-data 0.58+deb12u6 debian.csv, eol-lts where given, else eol. */
	{"debian", "1.1", "buzz", "1997-06-05"},
	{"debian", "1.2", "rex", "1998-06-05"},
	{"debian", "1.3", "bo", "1999-03-09"},
	{"debian", "2.0", "hamm", "2000-03-09"},
	{"debian", "2.1", "slink", "2000-10-30"},
	{"debian", "2.2", "potato", "2003-06-30"},
	{"debian", "3.0", "woody", "2006-06-30"},
	{"debian", "3.1", "sarge", "2008-03-31"},
	{"debian", "4.0", "etch", "2010-02-15"},
	{"debian", "5.0", "lenny", "2012-02-06"},
	{"debian", "6.0", "squeeze", "2016-02-29"},
	{"debian", "7", "wheezy", "2018-05-31"},
	{"debian", "8", "jessie", "2020-06-30"},
	{"debian", "9", "stretch", "2022-06-30"},
	{"debian", "10", "buster", "2024-06-30"},
	{"debian", "11", "bullseye", "2026-08-31"},
	{"debian", "12", "bookworm", "2028-06-30"},
	{"debian", "13", "trixie", "2030-06-30"},
	/* Ubuntu: distro-info-data 0.58+deb12u6 ubuntu.csv, the later of eol and eol-server. */
	{"ubuntu", "4.10", "warty", "2006-04-30"},
	{"ubuntu", "5.04", "hoary", "2006-10-31"},
	{"ubuntu", "5.10", "breezy", "2007-04-13"},
	{"ubuntu", "6.06", "dapper", "2011-06-01"},
	{"ubuntu", "6.10", "edgy", "2008-04-25"},
	{"ubuntu", "7.04", "feisty", "2008-10-19"},
	{"ubuntu", "7.10", "gutsy", "2009-04-18"},
	{"ubuntu", "8.04", "hardy", "2013-05-09"},
	{"ubuntu", "8.10", "intrepid", "2010-04-30"},
	{"ubuntu", "9.04", "jaunty", "2010-10-23"},
	{"ubuntu", "9.10", "karmic", "2011-04-30"},
	{"ubuntu", "10.04", "lucid", "2015-04-30"},
	{"ubuntu", "10.10", "maverick", "2012-04-10"},
	{"ubuntu", "11.04", "natty", "2012-10-28"},
	{"ubuntu", "11.10", "oneiric", "2013-05-09"},
	{"ubuntu", "12.04", "precise", "2017-04-28"},
	{"ubuntu", "12.10", "quantal", "2014-05-16"},
	{"ubuntu", "13.04", "raring", "2014-01-27"},
	{"ubuntu", "13.10", "saucy", "2014-07-17"},
	{"ubuntu", "14.04", "trusty", "2019-04-25"},
	{"ubuntu", "14.10", "utopic", "2015-07-23"},
	{"ubuntu", "15.04", "vivid", "2016-02-04"},
	{"ubuntu", "15.10", "wily", "2016-07-28"},
	{"ubuntu", "16.04", "xenial", "2021-04-30"},
	{"ubuntu", "16.10", "yakkety", "2017-07-20"},
	{"ubuntu", "17.04", "zesty", "2018-01-13"},
	{"ubuntu", "17.10", "artful", "2018-07-19"},
	{"ubuntu", "18.04", "bionic", "2023-05-31"},
	{"ubuntu", "18.10", "cosmic", "2019-07-18"},
	{"ubuntu", "19.04", "disco", "2020-01-23"},
	{"ubuntu", "19.10", "eoan", "2020-07-17"},
	{"ubuntu", "20.04", "focal", "2025-05-29"},
	{"ubuntu", "20.10", "groovy", "2021-07-22"},
	{"ubuntu", "21.04", "hirsute", "2022-01-20"},
	{"ubuntu", "21.10", "impish", "2022-07-14"},
	{"ubuntu", "22.04", "jammy", "2027-06-01"},
	{"ubuntu", "22.10", "kinetic", "2023-07-20"},
	{"ubuntu", "23.04", "lunar", "2024-01-25"},
	{"ubuntu", "23.10", "mantic", "2024-07-11"},
	{"ubuntu", "24.04", "noble", "2029-05-31"},
	{"ubuntu", "24.10", "oracular", "2025-07-10"},
	{"ubuntu", "25.04", "plucky", "2026-01-15"},
	{"ubuntu", "25.10", "questing", "2026-07-09"},
	{"ubuntu", "26.04", "resolute", "2031-05-29"},
	/* Alpine: alpinelinux.org/releases, "end of support" of the main repository. */
	{"alpine", "2.0", NULL, "2012-04-01"},
	{"alpine", "2.1", NULL, "2012-11-01"},
	{"alpine", "2.2", NULL, "2013-05-01"},
	{"alpine", "2.3", NULL, "2013-11-01"},
	{"alpine", "2.4", NULL, "2014-05-01"},
	{"alpine", "2.5", NULL, "2014-11-01"},
	{"alpine", "2.6", NULL, "2015-05-01"},
	{"alpine", "2.7", NULL, "2015-11-01"},
	{"alpine", "3.0", NULL, "2016-05-01"},
	{"alpine", "3.1", NULL, "2016-11-01"},
	{"alpine", "3.2", NULL, "2017-05-01"},
	{"alpine", "3.3", NULL, "2017-11-01"},
	{"alpine", "3.4", NULL, "2018-05-01"},
	{"alpine", "3.5", NULL, "2018-11-01"},
	{"alpine", "3.6", NULL, "2019-05-01"},
	{"alpine", "3.7", NULL, "2019-11-01"},
	{"alpine", "3.8", NULL, "2020-05-01"},
	{"alpine", "3.9", NULL, "2020-11-01"},
	{"alpine", "3.10", NULL, "2021-05-01"},
	{"alpine", "3.11", NULL, "2021-11-01"},
	{"alpine", "3.12", NULL, "2022-05-01"},
	{"alpine", "3.13", NULL, "2022-11-01"},
	{"alpine", "3.14", NULL, "2023-05-01"},
	{"alpine", "3.15", NULL, "2023-11-01"},
	{"alpine", "3.16", NULL, "2024-05-23"},
	{"alpine", "3.17", NULL, "2024-11-22"},
	{"alpine", "3.18", NULL, "2025-05-09"},
	{"alpine", "3.19", NULL, "2025-11-01"},
	{"alpine", "3.20", NULL, "2026-04-01"},
	{"alpine", "3.21", NULL, "2026-11-01"},
	{"alpine", "3.22", NULL, "2027-05-01"},
	{"alpine", "3.23", NULL, "2027-11-01"},
	/* Red Hat Enterprise Linux: the Red Hat Enterprise Linux Life Cycle, end of Maintenance Support. */
	{"redhat", "5", NULL, "2017-03-31"},
	{"redhat", "6", NULL, "2020-11-30"},
	{"redhat", "7", NULL, "2024-06-30"},
	{"redhat", "8", NULL, "2029-05-31"},
	{"redhat", "9", NULL, "2032-05-31"},
	{"redhat", "10", NULL, "2035-05-31"},
	/* CentOS Linux: the CentOS project's end of life (8 cut short for CentOS Stream). */
	{"centos", "5", NULL, "2017-03-31"},
	{"centos", "6", NULL, "2020-11-30"},
	{"centos", "7", NULL, "2024-06-30"},
	{"centos", "8", NULL, "2021-12-31"},
	/* CentOS Stream: centos.org, expected end of builds. */
	{"centos-stream", "8", NULL, "2024-05-31"},
	{"centos-stream", "9", NULL, "2027-05-31"},
	/* AlmaLinux: its release wiki, end of security support. */
	{"alma", "8", NULL, "2029-03-01"},
	{"alma", "9", NULL, "2032-05-31"},
	/* Rocky Linux: wiki.rockylinux.org/rocky/version, end of life. */
	{"rocky", "8", NULL, "2029-05-31"},
	{"rocky", "9", NULL, "2032-05-31"},
	/* Amazon Linux: the AWS announcements and FAQs (1 = the Amazon Linux AMI 20xx.yy). */
	{"amazon", "1", NULL, "2023-12-31"},
	{"amazon", "2", NULL, "2026-06-30"},
	{"amazon", "2023", NULL, "2029-06-30"},
};

/* Digits at s: how many (0 when none), at most max. */
static size_t digits(const char *s, size_t max)
{
	size_t n = 0;

	while (n <= max && isdigit((unsigned char)s[n]))
		n++;
	return n > max ? 0 : n;
}

bool cs_base_release_key(const char *family, const char *version, char *out, size_t outsz)
{
	size_t a, b = 0;

	if (!family || !version || outsz < 16)
		return false;
	if (!(a = digits(version, 4)))
		return false;
	if (version[a] == '.')
		b = digits(version + a + 1, 4);
	if (!strcmp(family, "debian")) {
		/* Until 6.0 a release was "major.minor"; from 7 on the major alone. */
		if (a == 1 && version[0] < '7') {
			if (!b)
				return false;
			snprintf(out, outsz, "%.*s", (int)(a + 1 + b), version);
		} else {
			snprintf(out, outsz, "%.*s", (int)a, version);
		}
		return true;
	}
	if (!strcmp(family, "ubuntu") || !strcmp(family, "alpine")) {
		if (!b)
			return false;
		snprintf(out, outsz, "%.*s", (int)(a + 1 + b), version);
		return true;
	}
	if (!strcmp(family, "redhat") || !strcmp(family, "centos") || !strcmp(family, "alma") ||
	    !strcmp(family, "rocky") || !strcmp(family, "centos-stream")) {
		snprintf(out, outsz, "%.*s", (int)a, version);
		return true;
	}
	if (!strcmp(family, "amazon")) {
		/* 2, 2023 (and 2022, its preview name); the first Amazon Linux versions were years: 2018.03. */
		if ((a == 1 && version[0] == '2') || (a == 4 && !strncmp(version, "202", 3) && version[3] >= '2'))
			snprintf(out, outsz, "%.*s", (int)a, version);
		else if (a == 4 && !strncmp(version, "20", 2) && b)
			snprintf(out, outsz, "1");
		else
			return false;
		return true;
	}
	return false;
}

static bool valid_date(const char *d, size_t n)
{
	size_t i;
	int mon, day;

	if (n != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)d[i]))
			return false;
	mon = (d[5] - '0') * 10 + (d[6] - '0');
	day = (d[8] - '0') * 10 + (d[9] - '0');
	return mon >= 1 && mon <= 12 && day >= 1 && day <= 31;
}

/* Field k (0-based) of a comma-separated line [p, end): its start in *f and length in *n; false if absent. */
static bool csv_field(const char *p, const char *end, int k, const char **f, size_t *n)
{
	const char *q;

	for (; k > 0; k--) {
		if (!(q = memchr(p, ',', (size_t)(end - p))))
			return false;
		p = q + 1;
	}
	q = memchr(p, ',', (size_t)(end - p));
	*f = p;
	*n = (size_t)((q ? q : end) - p);
	while (*n && (p[*n - 1] == '\r' || p[*n - 1] == ' '))
		(*n)--;
	return true;
}

/* The column named name in the header line [p, end), or -1. */
static int csv_column(const char *p, const char *end, const char *name)
{
	const char *f;
	size_t n, len = strlen(name);
	int k;

	for (k = 0; k < 64 && csv_field(p, end, k, &f, &n); k++)
		if (n == len && !memcmp(f, name, len))
			return k;
	return -1;
}

/* The date in column col of the line, when valid; copied to out. */
static bool csv_date(const char *p, const char *end, int col, char out[11])
{
	const char *f;
	size_t n;

	if (col < 0 || !csv_field(p, end, col, &f, &n) || !valid_date(f, n))
		return false;
	memcpy(out, f, 10);
	out[10] = '\0';
	return true;
}

bool cs_distro_info_find(const char *csv, size_t len, bool debian, const char *release, const char *codename,
			 char date[11])
{
	const char *p = csv, *end = csv + len, *nl;
	int cv = -1, cs = -1, ce = -1, cx = -1;
	bool header = true;

	if ((!release || !*release) && (!codename || !*codename))
		return false;
	for (; p < end; p = nl + 1) {
		const char *f;
		size_t n, rl;
		char a[11], b[11];
		bool ha, hb;

		if (!(nl = memchr(p, '\n', (size_t)(end - p))))
			nl = end;
		if (nl - p > 4096)
			continue;
		if (header) {
			header = false;
			cv = csv_column(p, nl, "version");
			cs = csv_column(p, nl, "series");
			ce = csv_column(p, nl, "eol");
			cx = csv_column(p, nl, debian ? "eol-lts" : "eol-server");
			if (cv < 0 || cs < 0 || ce < 0)
				return false;
			continue;
		}
		if (release && *release) {
			rl = strlen(release);
			/* Ubuntu writes "22.04 LTS". */
			if (!csv_field(p, nl, cv, &f, &n) || n < rl || memcmp(f, release, rl) ||
			    (n > rl && f[rl] != ' '))
				continue;
		} else if (!csv_field(p, nl, cs, &f, &n) || n != strlen(codename) || memcmp(f, codename, n)) {
			continue;
		}
		ha = csv_date(p, nl, ce, a);
		hb = csv_date(p, nl, cx, b);
		if (!ha && !hb)
			return false;
		if (debian)
			memcpy(date, hb ? b : a, 11);
		else
			memcpy(date, !hb || (ha && strcmp(a, b) > 0) ? a : b, 11);
		return true;
	}
	return false;
}

/* Reads dir/name (at most CS_DISTRO_INFO_MAX bytes); malloc'd, or NULL. */
static char *read_small(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) || !(f = fopen(path, "rb")))
		return NULL;
	if ((buf = malloc(CS_DISTRO_INFO_MAX + 1))) {
		*len = fread(buf, 1, CS_DISTRO_INFO_MAX + 1, f);
		if (ferror(f) || *len > CS_DISTRO_INFO_MAX) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

bool cs_base_eol_find(cs_base_eol *out, const char *family, const char *version, const char *codename,
		      const char *distro_info_dir)
{
	char key[32];
	bool have_key, debian, found = false;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!family)
		return false;
	have_key = cs_base_release_key(family, version, key, sizeof(key));
	if (!have_key && (!codename || !*codename || strlen(codename) >= sizeof(out->release)))
		return false;
	debian = !strcmp(family, "debian");
	if (!distro_info_dir)
		distro_info_dir = CS_DISTRO_INFO_DIR;
	if ((debian || !strcmp(family, "ubuntu")) && *distro_info_dir) {
		size_t len = 0;
		char *csv = read_small(distro_info_dir, debian ? "debian.csv" : "ubuntu.csv", &len);

		if (csv && cs_distro_info_find(csv, len, debian, have_key ? key : NULL, have_key ? NULL : codename,
					       out->date)) {
			out->source = "distro-info-data";
			found = true;
		}
		free(csv);
	}
	for (i = 0; !found && i < CS_ARRAY_LEN(eol_table); i++) {
		const eol_row *r = &eol_table[i];

		if (strcmp(r->family, family))
			continue;
		if (have_key ? !strcmp(r->release, key) : r->codename && !strcmp(r->codename, codename)) {
			snprintf(out->date, sizeof(out->date), "%s", r->date);
			out->source = "built-in";
			found = true;
		}
	}
	if (found)
		snprintf(out->release, sizeof(out->release), "%s", have_key ? key : codename);
	return found;
}

int cs_base_eol_past(const char *date, long long now)
{
	char today[32];
	struct tm tm;
	time_t t = (time_t)now;

	if (!date || !valid_date(date, strlen(date)) || !gmtime_r(&t, &tm) ||
	    !strftime(today, sizeof(today), "%Y-%m-%d", &tm) || strlen(today) != 10)
		return -1;
	/* Supported through the day itself: past only from the next one (UTC). */
	return strcmp(today, date) > 0;
}
