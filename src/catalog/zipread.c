/*
 * zipread.c - zip archives in memory under limits (see zipread.h).
 */
#include "core/compat.h"
#include "catalog/zipread.h"

#include <archive.h>
#include <archive_entry.h>

/* Bytes asked of libarchive per read call: also the growth step of a buffer. */
#define READ_CHUNK (64u << 10)

struct cs_zip {
	struct archive *a;
	size_t len;           /* bytes of the archive */
	cs_zip_limits lim;
	uint64_t own_budget;  /* the budget when the caller gave none */
	uint64_t *budget;     /* bytes all reads sharing it may still produce */
	uint64_t out;         /* bytes read from this archive */
	uint64_t entries;     /* entries seen */
	const char *name;     /* the current entry's name, for messages */
	bool have_entry;      /* an entry is current and unread */
	bool eof;             /* cs_zip_next() saw the end */
	int failed;           /* the code cs_zip_next() returned for good, or 0 */
};

void cs_zip_limits_default(cs_zip_limits *l)
{
	l->max_entries = 200000;
	l->max_total = 1ull << 30;
	/* deflate tops out near 1032:1; real jars, mostly nested jars read back, are near 1:1. */
	l->max_ratio = 100;
	l->ratio_floor = 4u << 20;
}

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * The number of entries the end of central directory record declares
 * (the zip64 one when the classic record defers to it), into *n.
 * CS_EFORMAT when there is no end record at all: not a zip archive.
 * The record is searched backwards over the last 64 KiB + 22 bytes (its
 * comment is at most 65535 bytes), as every zip reader does.
 */
static int declared_entries(const uint8_t *p, size_t len, uint64_t *n, cs_err *err)
{
	size_t i, stop;

	*n = 0;
	if (len < 22)
		return cs_err_set(err, CS_EFORMAT, "not a zip archive: %zu bytes is too short", len);
	stop = len - 22 > 65535 ? len - 22 - 65535 : 0;
	for (i = len - 22;; i--) {
		if (memcmp(p + i, "PK\005\006", 4) == 0)
			break;
		if (i == stop)
			return cs_err_set(err, CS_EFORMAT, "not a zip archive: no end of central directory record");
	}
	*n = le16(p + i + 10);
	/* A zip64 archive: the locator just before the record points at the zip64 record. */
	if (i >= 20 && memcmp(p + i - 20, "PK\006\007", 4) == 0) {
		uint64_t at = le64(p + i - 20 + 8);

		/* With data prepended the offset is off; then only the entries actually seen count. */
		if (len >= 56 && at <= len - 56 && memcmp(p + at, "PK\006\006", 4) == 0)
			*n = le64(p + at + 32);
	}
	return 0;
}

int cs_zip_open(cs_zip **out, const void *data, size_t len, const cs_zip_limits *lim, uint64_t *budget,
		cs_err *err)
{
	cs_zip *z;
	uint64_t n;
	int rc;

	*out = NULL;
	if ((rc = declared_entries(data, len, &n, err)) < 0)
		return rc;
	if (!(z = calloc(1, sizeof(*z))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (lim)
		z->lim = *lim;
	else
		cs_zip_limits_default(&z->lim);
	if (n > z->lim.max_entries) {
		rc = cs_err_set(err, CS_ELIMIT, "the archive lists %llu entries, more than %llu",
				(unsigned long long)n, (unsigned long long)z->lim.max_entries);
		free(z);
		return rc;
	}
	z->len = len;
	z->own_budget = z->lim.max_total;
	z->budget = budget ? budget : &z->own_budget;
	if (!(z->a = archive_read_new())) {
		free(z);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	/*
	 * The seekable reader only: it reads the central directory, as the JVM
	 * does. The streaming one would also take local headers alone, which is
	 * how a truncated or doctored jar shows different entries to us than
	 * to Java.
	 */
	archive_read_support_format_zip_seekable(z->a);
	if (archive_read_open_memory(z->a, data, len) != ARCHIVE_OK) {
		rc = cs_err_set(err, CS_EFORMAT, "not a zip archive: %s",
				archive_error_string(z->a) ? archive_error_string(z->a) : "unrecognized format");
		cs_zip_close(z);
		return rc;
	}
	*out = z;
	return 0;
}

int cs_zip_next(cs_zip *z, cs_zip_entry *out, cs_err *err)
{
	struct archive_entry *ae;
	const char *name;
	int r;

	memset(out, 0, sizeof(*out));
	z->have_entry = false;
	if (z->failed)
		return cs_err_set(err, z->failed, "the archive cannot be read further");
	if (z->eof)
		return 0;
	r = archive_read_next_header(z->a, &ae);
	if (r == ARCHIVE_EOF) {
		z->eof = true;
		return 0;
	}
	if (r < ARCHIVE_WARN) {
		const char *msg = archive_error_string(z->a);

		z->failed = CS_EFORMAT;
		return cs_err_set(err, CS_EFORMAT, "damaged archive: %s", msg ? msg : "unreadable entry");
	}
	if (++z->entries > z->lim.max_entries) {
		z->failed = CS_ELIMIT;
		return cs_err_set(err, CS_ELIMIT, "the archive holds more than %llu entries",
				  (unsigned long long)z->lim.max_entries);
	}
	/*
	 * The name as stored: libarchive converts it to the locale's charset
	 * and gives NULL when it cannot; the UTF-8 form is the fallback (zip
	 * names are UTF-8 or CP437, and what we look for is ASCII anyway).
	 */
	name = archive_entry_pathname(ae);
	if (!name)
		name = archive_entry_pathname_utf8(ae);
	out->name = name ? name : "";
	out->size = archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0 ? (uint64_t)archive_entry_size(ae) : 0;
	out->is_dir = archive_entry_filetype(ae) == AE_IFDIR ||
		      (*out->name && out->name[strlen(out->name) - 1] == '/');
	z->name = out->name;
	z->have_entry = true;
	return 1;
}

/* The most bytes one read may produce: the ratio's cap, within the budget left. */
static uint64_t allowance(const cs_zip *z)
{
	uint64_t ratio_cap;

	if (z->lim.max_ratio && z->len > (UINT64_MAX - z->lim.ratio_floor) / z->lim.max_ratio)
		ratio_cap = UINT64_MAX;
	else
		ratio_cap = (uint64_t)z->lim.max_ratio * z->len + z->lim.ratio_floor;
	return ratio_cap < *z->budget ? ratio_cap : *z->budget;
}

int cs_zip_read(cs_zip *z, cs_buf *b, size_t max, cs_err *err)
{
	uint64_t allow;
	bool by_size;
	int rc;

	cs_buf_reset(b);
	if (!z->have_entry)
		return cs_err_set(err, CS_EFORMAT, "no entry to read");
	z->have_entry = false;
	allow = allowance(z);
	by_size = max < allow;
	if (by_size)
		allow = max;
	for (;;) {
		/* Room for one byte past the allowance, to tell "exactly" from "more". */
		uint64_t rem = allow - b->len;
		size_t want = rem >= READ_CHUNK ? READ_CHUNK : (size_t)rem + 1;
		la_ssize_t n;

		if ((rc = cs_buf_grow(b, want)) < 0) {
			cs_buf_reset(b);
			if (rc == CS_ELIMIT)
				return cs_err_set(err, CS_ELIMIT, "entry '%s' is too large for the buffer", z->name);
			return cs_err_set(err, CS_ENOMEM, "out of memory reading entry '%s'", z->name);
		}
		n = archive_read_data(z->a, b->data + b->len, want);
		if (n < 0) {
			const char *msg = archive_error_string(z->a);

			cs_buf_reset(b);
			/* libarchive cannot go on after a fatal error: no further entry either. */
			if (n == ARCHIVE_FATAL)
				z->failed = CS_EFORMAT;
			return cs_err_set(err, CS_EFORMAT, "cannot read entry '%s': %s", z->name,
					  msg ? msg : "damaged data");
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		z->out += (uint64_t)n;
		*z->budget -= (uint64_t)n <= *z->budget ? (uint64_t)n : *z->budget;
		if (b->len > allow) {
			cs_buf_reset(b);
			if (by_size)
				return cs_err_set(err, CS_ELIMIT, "entry '%s' is larger than %zu bytes", z->name, max);
			if (*z->budget == 0)
				return cs_err_set(err, CS_ELIMIT,
						  "entry '%s': the archive inflates past its budget of uncompressed bytes",
						  z->name);
			return cs_err_set(err, CS_ELIMIT,
					  "entry '%s': the archive inflates more than %u times its size (a zip bomb?)",
					  z->name, z->lim.max_ratio);
		}
	}
	b->data[b->len] = '\0';
	return 0;
}

uint64_t cs_zip_bytes_read(const cs_zip *z)
{
	return z->out;
}

void cs_zip_close(cs_zip *z)
{
	if (!z)
		return;
	if (z->a)
		archive_read_free(z->a);
	free(z);
}
