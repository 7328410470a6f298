/*
 * rpm.c - the rpm cataloger: Red Hat, Fedora, SUSE, Mariner, Amazon...
 * packages from rpm's database (rpmdb.sqlite, Packages, Packages.db).
 *
 * Two halves, as in apk.c and dpkg.c. The first parses bytes with no
 * knowledge of scans (rpm.h documents it): header blobs, the three
 * database formats that hold them, source rpm names, purls, vendors and
 * the layer index. The second is cs_analyzer_rpm: parse() reads each
 * database file of each layer on a worker thread and keeps the packages in
 * that layer's state; finish() emits the packages of the database the
 * final image holds, each attributed to the lowest layer whose database in
 * the same directory lists it.
 */
#include "core/compat.h"
#include "catalog/rpm.h"
#include "catalog/analyzer.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "scan/scan.h"

#include <isa-l/igzip_lib.h>
#include <sqlite3.h>
#include <strings.h>
#include <sys/stat.h>

/* --- byte helpers -------------------------------------------------------- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* A 16- or 32-bit field of a BerkeleyDB page in the database's byte order. */
static uint16_t rd16(const uint8_t *p, bool big)
{
	return big ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint32_t rd32(const uint8_t *p, bool big)
{
	return big ? be32(p) : le32(p);
}

/* --- header blobs ---------------------------------------------------------- */

/* rpm's data types (rpmtag.h rpmTagType). */
enum {
	RT_NULL,
	RT_CHAR,
	RT_INT8,
	RT_INT16,
	RT_INT32,
	RT_INT64,
	RT_STRING,
	RT_BIN,
	RT_STRING_ARRAY,
	RT_I18NSTRING,
};

/* The first tag rpm allows outside a region entry (HEADER_I18NTABLE). */
#define TAG_FIRST 100
/* Region tags: HEADERIMAGE, HEADERSIGNATURES, HEADERIMMUTABLE. */
#define TAG_IMAGE 61
#define TAG_SIGNATURES 62
#define TAG_IMMUTABLE 63
/* A region entry and its trailer: type BIN, count 16 (one index entry). */
#define REGION_COUNT 16

/* What a tag read here must be: one of the string types, or exactly one type. */
enum { C_STRING, C_INT32, C_INT64, C_BIN };

enum {
	X_NAME,
	X_VERSION,
	X_RELEASE,
	X_EPOCH,
	X_SIZE,
	X_LONGSIZE,
	X_VENDOR,
	X_LICENSE,
	X_ARCH,
	X_SOURCERPM,
	X_SIGMD5,
	X_OLDFILENAMES,
	X_DIRINDEXES,
	X_BASENAMES,
	X_DIRNAMES,
	X_COUNT
};

/* The tags read, in X_ order (numbers from rpmtag.h). */
static const struct {
	int32_t tag;
	uint8_t cls;
	const char *name;
} hdr_tags[X_COUNT] = {
	{1000, C_STRING, "NAME"},       {1001, C_STRING, "VERSION"},      {1002, C_STRING, "RELEASE"},
	{1003, C_INT32, "EPOCH"},       {1009, C_INT32, "SIZE"},          {5009, C_INT64, "LONGSIZE"},
	{1011, C_STRING, "VENDOR"},     {1014, C_STRING, "LICENSE"},      {1022, C_STRING, "ARCH"},
	{1044, C_STRING, "SOURCERPM"},  {261, C_BIN, "SIGMD5"},           {1027, C_STRING, "OLDFILENAMES"},
	{1116, C_INT32, "DIRINDEXES"},  {1117, C_STRING, "BASENAMES"},    {1118, C_STRING, "DIRNAMES"},
};

/* One index entry of a tag read here. */
typedef struct hent {
	uint32_t off;   /* into the data store */
	uint32_t count;
	uint32_t type;
	bool set;
} hent;

/* Longest file path kept, bytes: PATH_MAX on Linux. */
#define RPM_PATH_MAX 4096
/* Directories indexed per header: rpm's largest packages have a few thousand. */
#define RPM_MAX_DIRS ((uint32_t)1 << 20)

static int tag_index(int32_t tag)
{
	int i;

	for (i = 0; i < X_COUNT; i++)
		if (hdr_tags[i].tag == tag)
			return i;
	return -1;
}

static bool type_fits(int cls, uint32_t type)
{
	switch (cls) {
	case C_STRING:
		return type == RT_STRING || type == RT_STRING_ARRAY || type == RT_I18NSTRING;
	case C_INT32:
		return type == RT_INT32;
	case C_INT64:
		return type == RT_INT64;
	default:
		return type == RT_BIN;
	}
}

/*
 * Bytes the data of an entry takes at ds + off, or 0 when it does not fit
 * in the dl bytes of the data store (a string must end in a NUL there).
 */
static uint64_t data_len(uint32_t type, const uint8_t *ds, uint32_t off, uint32_t count, uint32_t dl)
{
	uint64_t n;
	uint32_t p, i;
	const uint8_t *nul;

	switch (type) {
	case RT_CHAR:
	case RT_INT8:
	case RT_BIN:
		n = count;
		break;
	case RT_INT16:
		n = (uint64_t)count * 2;
		break;
	case RT_INT32:
		n = (uint64_t)count * 4;
		break;
	case RT_INT64:
		n = (uint64_t)count * 8;
		break;
	case RT_STRING:
		if (count != 1)
			return 0;
		/* fall through */
	case RT_STRING_ARRAY:
	case RT_I18NSTRING:
		for (p = off, i = 0; i < count; i++) {
			if (p >= dl || !(nul = memchr(ds + p, '\0', dl - p)))
				return 0;
			p = (uint32_t)(nul - ds) + 1;
		}
		n = p - off;
		break;
	default:
		return 0;
	}
	return (uint64_t)off + n <= dl ? n : 0;
}

static int hdr_fail(cs_err *err, const char *fmt, ...) CS_PRINTF(2, 3);

static int hdr_fail(cs_err *err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cs_err_set(err, CS_EFORMAT, "%s", msg);
}

/* The name of a tag for messages: ours by name, others by number. */
static const char *tag_name(char *buf, size_t n, int32_t tag)
{
	int x = tag_index(tag);

	if (x >= 0)
		return hdr_tags[x].name;
	snprintf(buf, n, "%d", (int)tag);
	return buf;
}

/* The files of a header being gathered. */
typedef struct files_ctx {
	cs_arena *a;
	cs_rpm_header *h;
	size_t cap;
	size_t *budget;
} files_ctx;

/* Adds dir + base (dir may be empty) as a clean relative path, or counts it dropped. */
static int add_file(files_ctx *fc, const char *dir, size_t dlen, const char *base, size_t blen)
{
	char tmp[RPM_PATH_MAX + 1], *clean;
	size_t n, cost;

	while (dlen && *dir == '/')
		dir++, dlen--;
	if (!dlen)
		while (blen && *base == '/')
			base++, blen--;
	n = dlen + blen;
	cost = n + 1 + sizeof(char *);
	if (n == 0 || n > RPM_PATH_MAX || cost > *fc->budget) {
		fc->h->nfiles_dropped++;
		return 0;
	}
	memcpy(tmp, dir, dlen);
	memcpy(tmp + dlen, base, blen);
	tmp[n] = '\0';
	if (!(clean = cs_arena_alloc(fc->a, n + 1)))
		return CS_ENOMEM;
	if (cs_path_clean(tmp, clean) < 0 || *clean == '\0') {
		fc->h->nfiles_dropped++;
		return 0;
	}
	*fc->budget -= cost;
	if (fc->h->nfiles == fc->cap &&
	    !(fc->h->files = cs_arena_grow(fc->a, (void *)fc->h->files, fc->h->nfiles, &fc->cap,
					   sizeof(*fc->h->files))))
		return CS_ENOMEM;
	fc->h->files[fc->h->nfiles++] = clean;
	return 0;
}

/* BASENAMES joined to DIRNAMES through DIRINDEXES; a broken triple drops them all. */
static int header_files(files_ctx *fc, const uint8_t *ds, const hent *ent)
{
	const hent *bn = &ent[X_BASENAMES], *dn = &ent[X_DIRNAMES], *di = &ent[X_DIRINDEXES];
	uint32_t *dirs = NULL, i, p;
	const char *s;
	int rc = 0;

	if (!bn->set) {
		if (!ent[X_OLDFILENAMES].set)
			return 0;
		for (s = (const char *)ds + ent[X_OLDFILENAMES].off, i = 0; i < ent[X_OLDFILENAMES].count; i++) {
			size_t n = strlen(s);

			if ((rc = add_file(fc, "", 0, s, n)) < 0)
				return rc;
			s += n + 1;
		}
		return 0;
	}
	if (!dn->set || !di->set || di->count != bn->count || dn->count > RPM_MAX_DIRS) {
		fc->h->nfiles_dropped += bn->count;
		return 0;
	}
	/* Offsets of the directory names, for random access by index. */
	if (!(dirs = malloc((size_t)dn->count * sizeof(*dirs))))
		return CS_ENOMEM;
	for (p = dn->off, i = 0; i < dn->count; i++) {
		dirs[i] = p;
		p += (uint32_t)strlen((const char *)ds + p) + 1;
	}
	for (s = (const char *)ds + bn->off, i = 0; i < bn->count; i++) {
		uint32_t d = be32(ds + di->off + (size_t)i * 4);
		size_t n = strlen(s);

		if (d >= dn->count) {
			fc->h->nfiles_dropped++;
		} else {
			const char *dir = (const char *)ds + dirs[d];

			if ((rc = add_file(fc, dir, strlen(dir), s, n)) < 0)
				break;
		}
		s += n + 1;
	}
	free(dirs);
	return rc;
}

static const char *ent_str(const uint8_t *ds, const hent *e)
{
	return e->set ? (const char *)ds + e->off : NULL;
}

int cs_rpm_parse_header(cs_rpm_header *out, cs_arena *a, const void *blob, size_t len, size_t *path_budget,
			cs_err *err)
{
	const uint8_t *b = blob, *pe, *ds;
	uint32_t il, dl, i, start = 0, rdl = 0;
	int32_t region = 0;
	uint64_t end = 0;
	hent ent[X_COUNT];
	size_t need, local_budget;
	char tb[16];
	files_ctx fc;
	int x, rc;

	memset(out, 0, sizeof(*out));
	memset(ent, 0, sizeof(ent));
	if (len < 8)
		return hdr_fail(err, "header of %zu bytes: shorter than its 8-byte preamble", len);
	il = be32(b);
	dl = be32(b + 4);
	if (il < 1 || il > CS_RPM_MAX_TAGS)
		return hdr_fail(err, "header has %u index entries (1 to %u allowed)", il, CS_RPM_MAX_TAGS);
	if (dl > CS_RPM_MAX_DATA)
		return hdr_fail(err, "header data of %u bytes is over rpm's limit of %u", dl, CS_RPM_MAX_DATA);
	need = 8 + (size_t)il * 16 + dl;
	if (need > len)
		return hdr_fail(err, "header truncated: %zu bytes of the %zu it announces", len, need);
	pe = b + 8;
	ds = pe + (size_t)il * 16;

	/* A region (rpm >= 4: always) starts with its tag, whose trailer closes the region's data. */
	if (be32(pe) >= TAG_IMAGE && be32(pe) <= TAG_IMMUTABLE) {
		int32_t tag = (int32_t)be32(pe), ttag, toff;
		uint32_t off = be32(pe + 8);
		const uint8_t *t;

		if (be32(pe + 4) != RT_BIN || be32(pe + 12) != REGION_COUNT)
			return hdr_fail(err, "invalid region tag %d", (int)tag);
		if (off > dl || dl - off < REGION_COUNT)
			return hdr_fail(err, "invalid region offset %u", off);
		t = ds + off;
		ttag = (int32_t)be32(t);
		toff = (int32_t)be32(t + 8);
		/* Some old packages name HEADERIMAGE in a signature region's trailer (rpm fixes it up too). */
		if (tag == TAG_SIGNATURES && ttag == TAG_IMAGE)
			ttag = TAG_SIGNATURES;
		if (ttag != tag || be32(t + 4) != RT_BIN || be32(t + 12) != REGION_COUNT)
			return hdr_fail(err, "invalid region trailer");
		/* The trailer's offset is minus the size of the region's index. */
		if (toff >= 0 || toff == INT32_MIN || (uint32_t)-toff % 16 != 0 || (uint32_t)-toff / 16 > il)
			return hdr_fail(err, "invalid region size");
		region = tag;
		rdl = off + REGION_COUNT;
		start = 1;
	}

	for (i = start; i < il; i++) {
		const uint8_t *e = pe + (size_t)i * 16;
		int32_t tag = (int32_t)be32(e);
		uint32_t type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
		uint64_t n;

		if (off > dl)
			return hdr_fail(err, "entry %u (tag %s): offset %u past the data", i, tag_name(tb, sizeof(tb), tag),
					off);
		/* Data in entry order, no overlap: each byte is read once, so a header costs its size. */
		if (off < end)
			return hdr_fail(err, "entry %u (tag %s): data overlaps the entry before", i,
					tag_name(tb, sizeof(tb), tag));
		if (tag < TAG_FIRST)
			return hdr_fail(err, "entry %u: reserved tag %d", i, (int)tag);
		if (type < RT_CHAR || type > RT_I18NSTRING)
			return hdr_fail(err, "entry %u (tag %s): unknown type %u", i, tag_name(tb, sizeof(tb), tag), type);
		if (count < 1 || count > dl)
			return hdr_fail(err, "entry %u (tag %s): count %u out of range", i, tag_name(tb, sizeof(tb), tag),
					count);
		if ((type == RT_INT16 && off % 2) || (type == RT_INT32 && off % 4) || (type == RT_INT64 && off % 8))
			return hdr_fail(err, "entry %u (tag %s): misaligned offset %u", i,
					tag_name(tb, sizeof(tb), tag), off);
		if (!(n = data_len(type, ds, off, count, dl)))
			return hdr_fail(err, "entry %u (tag %s): data runs past the end of the header", i,
					tag_name(tb, sizeof(tb), tag));
		end = off + n;
		if (region && end > rdl - REGION_COUNT && off < rdl)
			return hdr_fail(err, "entry %u (tag %s): data overlaps the region trailer", i,
					tag_name(tb, sizeof(tb), tag));
		if ((x = tag_index(tag)) < 0)
			continue;
		if (!type_fits(hdr_tags[x].cls, type))
			return hdr_fail(err, "tag %s has type %u", hdr_tags[x].name, type);
		ent[x].off = off;
		ent[x].count = count;
		ent[x].type = type;
		ent[x].set = true;
	}

	for (x = X_NAME; x <= X_RELEASE; x++)
		if (!ent[x].set || ds[ent[x].off] == '\0')
			return hdr_fail(err, "header has no %s", hdr_tags[x].name);
	if (!(out->name = cs_arena_strdup(a, ent_str(ds, &ent[X_NAME]))) ||
	    !(out->version = cs_arena_strdup(a, ent_str(ds, &ent[X_VERSION]))) ||
	    !(out->release = cs_arena_strdup(a, ent_str(ds, &ent[X_RELEASE]))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (ent[X_EPOCH].set) {
		out->epoch = be32(ds + ent[X_EPOCH].off);
		out->has_epoch = true;
	}
	if (ent[X_LONGSIZE].set)
		out->size = be64(ds + ent[X_LONGSIZE].off);
	else if (ent[X_SIZE].set)
		out->size = be32(ds + ent[X_SIZE].off);
	if (ent[X_SIGMD5].set && ent[X_SIGMD5].count == sizeof(out->sigmd5)) {
		memcpy(out->sigmd5, ds + ent[X_SIGMD5].off, sizeof(out->sigmd5));
		out->has_sigmd5 = true;
	}
	if ((ent[X_ARCH].set && !(out->arch = cs_arena_strdup(a, ent_str(ds, &ent[X_ARCH])))) ||
	    (ent[X_SOURCERPM].set && !(out->sourcerpm = cs_arena_strdup(a, ent_str(ds, &ent[X_SOURCERPM])))) ||
	    (ent[X_LICENSE].set && !(out->license = cs_arena_strdup(a, ent_str(ds, &ent[X_LICENSE])))) ||
	    (ent[X_VENDOR].set && !(out->vendor = cs_arena_strdup(a, ent_str(ds, &ent[X_VENDOR])))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");

	local_budget = len > (SIZE_MAX - 65536) / 4 ? SIZE_MAX : len * 4 + 65536;
	fc.a = a;
	fc.h = out;
	fc.cap = 0;
	fc.budget = path_budget ? path_budget : &local_budget;
	if ((rc = header_files(&fc, ds, ent)) < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	return 0;
}

/* --- readers: common ------------------------------------------------------- */

/*
 * Bytes a reader may hand over or check beyond the file's own size. Real
 * records are distinct bytes of the file; hostile ones that share bytes
 * (overflow chains, ndb blobs, SQLite overflow pages) hit this cap.
 */
#define READ_SLACK ((uint64_t)1 << 20)

static bool work_ok(uint64_t *work, uint64_t n, size_t len)
{
	*work += n;
	return *work <= (uint64_t)len + READ_SLACK;
}

static int work_fail(cs_err *err, const char *what)
{
	return cs_err_set(err, CS_ELIMIT, "%s records add up to more than the file holds", what);
}

/* --- SQLite -------------------------------------------------------------- */

static const char sqlite_magic[16] = "SQLite format 3";

/* The progress handler's budget: virtual machine steps, counted per 1000. */
typedef struct sq_budget {
	uint64_t calls;
	uint64_t max;
} sq_budget;

static int sq_progress(void *p)
{
	sq_budget *b = p;

	return ++b->calls > b->max;
}

static int sq_error(sqlite3 *db, int rc, cs_err *err)
{
	if (rc == SQLITE_NOMEM)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading a SQLite rpmdb");
	if (rc == SQLITE_INTERRUPT)
		return cs_err_set(err, CS_ELIMIT, "reading the SQLite rpmdb took more work than its size allows");
	return cs_err_set(err, CS_EFORMAT, "cannot read SQLite rpmdb: %s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

int cs_rpm_each_sqlite(const void *data, size_t len, cs_rpm_blob_fn fn, void *payload, cs_err *err)
{
	static const uint8_t empty[1];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	sq_budget budget;
	uint64_t work = 0;
	int rc, src;

	if (len < 100 || memcmp(data, sqlite_magic, sizeof(sqlite_magic)) != 0)
		return cs_err_set(err, CS_EFORMAT, "not a SQLite database");
	if (len > (size_t)INT32_MAX)
		return cs_err_set(err, CS_ELIMIT, "SQLite rpmdb of %zu bytes is too large", len);
	src = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (src != SQLITE_OK) {
		rc = sq_error(db, src, err);
		goto done;
	}
	/* SQLite's defences for files from strangers ("Defense Against The Dark Arts"). */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, (int)(len < CS_RPM_MAX_BLOB ? len : CS_RPM_MAX_BLOB));
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 10);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 1);
	/*
	 * Steps, counted per 1000: about one per byte of the file, when a
	 * table scan takes tens per row of hundreds or thousands of bytes;
	 * small enough to end a crafted schema's costly expressions quickly.
	 */
	budget.calls = 0;
	budget.max = 1000 + len / 1000;
	sqlite3_progress_handler(db, 1000, sq_progress, &budget);

	if (!(copy = sqlite3_malloc64(len))) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory reading a SQLite rpmdb");
		goto done;
	}
	memcpy(copy, data, len);
	/*
	 * rpm keeps the database in WAL mode (header bytes 18 and 19 = 2),
	 * which an in-memory database cannot open: read it as a rollback
	 * journal database, which the main file's pages are.
	 */
	if (copy[18] == 2)
		copy[18] = 1;
	if (copy[19] == 2)
		copy[19] = 1;
	/* Frees copy, even on failure. */
	src = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
				  SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
	if (src != SQLITE_OK) {
		rc = sq_error(db, src, err);
		goto done;
	}
	if ((src = sqlite3_exec(db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL)) != SQLITE_OK ||
	    (src = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL)) != SQLITE_OK) {
		rc = sq_error(db, src, err);
		goto done;
	}
	rc = 0;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		/* The type first: it is only meaningful before the value is converted. */
		int type = sqlite3_column_type(st, 1);
		sqlite3_int64 hnum = sqlite3_column_int64(st, 0);
		const uint8_t *blob = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);

		if (type != SQLITE_BLOB) {
			rc = fn(hnum >= 0 && hnum <= UINT32_MAX ? (uint32_t)hnum : 0, NULL, 0, "blob is not a BLOB", payload);
		} else if (hnum < 0 || hnum > UINT32_MAX) {
			rc = fn(0, NULL, 0, "hnum out of range", payload);
		} else {
			if (!work_ok(&work, n, len)) {
				rc = work_fail(err, "SQLite rpmdb");
				goto done;
			}
			rc = fn((uint32_t)hnum, blob ? blob : empty, n, NULL, payload);
		}
		if (rc < 0)
			goto done;
	}
	if (src != SQLITE_DONE)
		rc = sq_error(db, src, err);
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

/* --- BerkeleyDB hash ------------------------------------------------------- */

/* Metadata page fields (db_page.h DBMETA, HMETA). */
#define BDB_HASH_MAGIC 0x061561u
#define BDB_BTREE_MAGIC 0x053162u
#define BDB_META_MAGIC 12
#define BDB_META_PAGESIZE 20
#define BDB_META_ENCRYPT 24
#define BDB_META_TYPE 25
#define BDB_META_FLAGS 26
#define BDB_META_LAST_PGNO 32
#define BDB_METAFLAG_CHKSUM 0x01
/* Page header fields (PAGE, 26 bytes). */
#define BDB_PG_NEXT 16
#define BDB_PG_ENTRIES 20
#define BDB_PG_HF_OFFSET 22
#define BDB_PG_TYPE 25
#define BDB_PAGE_HEADER 26
/* A checksummed page keeps 6 more bytes after the header (PG_CHKSUM). */
#define BDB_CHKSUM_BYTES 6
/* Page types. */
#define P_HASH_UNSORTED 2
#define P_OVERFLOW 7
#define P_HASHMETA 8
#define P_HASH 13
/* Hash item types. */
#define H_KEYDATA 1
#define H_DUPLICATE 2
#define H_OFFPAGE 3
#define H_OFFDUP 4
/* An off-page item: type, 3 unused bytes, first overflow page, total length. */
#define HOFFPAGE_SIZE 12

typedef struct bdb {
	const uint8_t *p;
	size_t len;
	bool big;          /* big-endian database */
	uint32_t pagesize;
	uint32_t npages;   /* pages present: min(last_pgno + 1, len / pagesize) */
	uint32_t overhead; /* bytes before a page's index or overflow data */
	uint8_t *used;     /* bitmap: overflow pages already part of a chain */
	cs_buf chain;      /* an overflow item reassembled */
	uint64_t work;
} bdb;

/* Gathers an overflow chain of tlen bytes from pgno into bd->chain; NULL, or why not. */
static const char *bdb_chain(bdb *bd, uint32_t pgno, uint32_t tlen, int *rc)
{
	uint32_t left = tlen;

	*rc = 0;
	cs_buf_reset(&bd->chain);
	if (tlen > CS_RPM_MAX_BLOB || tlen > bd->len)
		return "overflow item longer than the file";
	while (left > 0) {
		const uint8_t *pg;
		uint32_t n;

		if (pgno == 0 || pgno >= bd->npages)
			return "overflow page number out of range";
		if (bd->used[pgno / 8] & (1u << (pgno % 8)))
			return "overflow page used twice";
		bd->used[pgno / 8] |= (uint8_t)(1u << (pgno % 8));
		pg = bd->p + (size_t)pgno * bd->pagesize;
		if (pg[BDB_PG_TYPE] != P_OVERFLOW)
			return "overflow chain reaches a page of another type";
		n = rd16(pg + BDB_PG_HF_OFFSET, bd->big);
		if (n == 0 || n > bd->pagesize - bd->overhead || n > left)
			return "overflow page length out of range";
		if ((*rc = cs_buf_append(&bd->chain, pg + bd->overhead, n)) < 0)
			return NULL;
		left -= n;
		pgno = rd32(pg + BDB_PG_NEXT, bd->big);
	}
	return NULL;
}

/* The key/data pairs of one hash page. */
static int bdb_page(bdb *bd, uint32_t pgno, cs_rpm_blob_fn fn, void *payload, cs_err *err)
{
	const uint8_t *pg = bd->p + (size_t)pgno * bd->pagesize, *inp = pg + bd->overhead;
	uint32_t entries = rd16(pg + BDB_PG_ENTRIES, bd->big), i, lo;
	int rc;

	lo = bd->overhead + entries * 2;
	if (lo > bd->pagesize)
		return fn(0, NULL, 0, "hash page index larger than the page", payload);
	for (i = 0; i + 1 < entries; i += 2) {
		uint32_t koff = rd16(inp + i * 2, bd->big), doff = rd16(inp + (i + 1) * 2, bd->big);
		uint32_t kend = i == 0 ? bd->pagesize : rd16(inp + (i - 1) * 2, bd->big);
		uint32_t hnum = 0, dlen, klen;
		const uint8_t *blob = NULL;
		const char *bad = NULL;
		size_t n = 0;

		/* Items sit from the page's end down, in index order: each ends where the one before starts. */
		if (kend > bd->pagesize || koff < lo || koff >= kend || doff < lo || doff >= koff) {
			if ((rc = fn(0, NULL, 0, "hash item offset out of range", payload)) < 0)
				return rc;
			continue;
		}
		klen = kend - koff;
		dlen = koff - doff;
		if (pg[koff] != H_KEYDATA || klen != 5) {
			if ((rc = fn(0, NULL, 0, "hash key is not a 4-byte header number", payload)) < 0)
				return rc;
			continue;
		}
		hnum = rd32(pg + koff + 1, bd->big);
		if (hnum == 0)
			continue; /* rpm's record of the next header number */
		switch (pg[doff]) {
		case H_KEYDATA:
			blob = pg + doff + 1;
			n = dlen - 1;
			break;
		case H_OFFPAGE:
			if (dlen < HOFFPAGE_SIZE) {
				bad = "off-page item too short";
				break;
			}
			bad = bdb_chain(bd, rd32(pg + doff + 4, bd->big), rd32(pg + doff + 8, bd->big), &rc);
			if (rc < 0)
				return cs_err_set(err, rc, "out of memory reading a BerkeleyDB rpmdb");
			blob = (const uint8_t *)bd->chain.data;
			n = bd->chain.len;
			break;
		default:
			bad = "duplicate data items in the hash database";
			break;
		}
		if (bad) {
			rc = fn(hnum, NULL, 0, bad, payload);
		} else {
			if (!work_ok(&bd->work, n, bd->len))
				return work_fail(err, "BerkeleyDB rpmdb");
			rc = fn(hnum, blob, n, NULL, payload);
		}
		if (rc < 0)
			return rc;
	}
	if (entries % 2)
		return fn(0, NULL, 0, "hash page with a key and no data", payload);
	return 0;
}

int cs_rpm_each_bdb(const void *data, size_t len, cs_rpm_blob_fn fn, void *payload, cs_err *err)
{
	const uint8_t *p = data;
	bdb bd;
	uint32_t magic, last, pg;
	int rc = 0;

	if (len < 512)
		return cs_err_set(err, CS_EFORMAT, "not a BerkeleyDB database: %zu bytes", len);
	memset(&bd, 0, sizeof(bd));
	bd.p = p;
	bd.len = len;
	magic = le32(p + BDB_META_MAGIC);
	if (magic != BDB_HASH_MAGIC && magic != BDB_BTREE_MAGIC) {
		bd.big = true;
		magic = be32(p + BDB_META_MAGIC);
	}
	if (magic == BDB_BTREE_MAGIC)
		return cs_err_set(err, CS_EFORMAT, "a BerkeleyDB btree, not the hash database rpm keeps packages in");
	if (magic != BDB_HASH_MAGIC)
		return cs_err_set(err, CS_EFORMAT, "not a BerkeleyDB hash database");
	if (p[BDB_META_TYPE] != P_HASHMETA)
		return cs_err_set(err, CS_EFORMAT, "BerkeleyDB metadata page of type %u, not a hash", p[BDB_META_TYPE]);
	if (p[BDB_META_ENCRYPT] != 0)
		return cs_err_set(err, CS_EFORMAT, "encrypted BerkeleyDB database");
	bd.pagesize = rd32(p + BDB_META_PAGESIZE, bd.big);
	if (bd.pagesize < 512 || bd.pagesize > 65536 || (bd.pagesize & (bd.pagesize - 1)))
		return cs_err_set(err, CS_EFORMAT, "BerkeleyDB page size %u is not a power of two from 512 to 65536",
				  bd.pagesize);
	bd.overhead = BDB_PAGE_HEADER + (p[BDB_META_FLAGS] & BDB_METAFLAG_CHKSUM ? BDB_CHKSUM_BYTES : 0);
	last = rd32(p + BDB_META_LAST_PGNO, bd.big);
	bd.npages = (uint32_t)(len / bd.pagesize < (uint64_t)last + 1 ? len / bd.pagesize : (uint64_t)last + 1);
	if (!(bd.used = calloc((size_t)bd.npages / 8 + 1, 1)))
		return cs_err_set(err, CS_ENOMEM, "out of memory reading a BerkeleyDB rpmdb");
	cs_buf_init(&bd.chain, 0);
	for (pg = 1; pg < bd.npages && rc >= 0; pg++) {
		uint8_t type = p[(size_t)pg * bd.pagesize + BDB_PG_TYPE];

		if (type == P_HASH || type == P_HASH_UNSORTED)
			rc = bdb_page(&bd, pg, fn, payload, err);
	}
	free(bd.used);
	cs_buf_release(&bd.chain);
	return rc < 0 ? rc : 0;
}

/* --- ndb --------------------------------------------------------------------- */

/* rpm's lib/backend/ndb/rpmpkg.c, all little-endian. */
#define NDB_MAGIC 0x506d7052u      /* "RpmP" */
#define NDB_SLOT_MAGIC 0x746f6c53u /* "Slot" */
#define NDB_HEAD_MAGIC 0x53626c42u /* "BlbS" */
#define NDB_TAIL_MAGIC 0x45626c42u /* "BlbE" */
#define NDB_HEADER_SLOTNPAGES 12
#define NDB_PAGE 4096u
#define NDB_SLOT 16u
#define NDB_SLOT_START 2u /* the file header takes the first two slots */
#define NDB_BLK 16u
#define NDB_BLOBHEAD 16u
#define NDB_BLOBTAIL 12u

/* One used slot: checks its blob; NULL and *blob, *n set, or why not. */
static const char *ndb_blob(const uint8_t *p, size_t len, uint32_t slotnpages, const uint8_t *slot,
			    const uint8_t **blob, size_t *n, uint64_t *work, bool *over)
{
	uint32_t pkgidx = le32(slot + 4), blkoff = le32(slot + 8), blkcnt = le32(slot + 12), blen;
	uint64_t start = (uint64_t)blkoff * NDB_BLK, size = (uint64_t)blkcnt * NDB_BLK;
	const uint8_t *b, *tail;

	if (blkoff < (uint64_t)slotnpages * (NDB_PAGE / NDB_BLK))
		return "blob offset inside the slot pages";
	if (size < NDB_BLOBHEAD + NDB_BLOBTAIL || start > len || size > len - start)
		return "blob outside the file";
	if (!work_ok(work, size, len)) {
		*over = true;
		return NULL;
	}
	b = p + start;
	tail = b + size - NDB_BLOBTAIL;
	blen = le32(b + 12);
	if (le32(b) != NDB_HEAD_MAGIC || le32(tail + 8) != NDB_TAIL_MAGIC)
		return "bad blob magic";
	if (le32(b + 4) != pkgidx)
		return "blob of another package";
	if (blen > size - NDB_BLOBHEAD - NDB_BLOBTAIL || le32(tail + 4) != blen)
		return "bad blob length";
	if (isal_adler32(1, b, size - NDB_BLOBTAIL) != le32(tail))
		return "blob checksum mismatch";
	*blob = b + NDB_BLOBHEAD;
	*n = blen;
	return NULL;
}

int cs_rpm_each_ndb(const void *data, size_t len, cs_rpm_blob_fn fn, void *payload, cs_err *err)
{
	const uint8_t *p = data;
	uint32_t slotnpages;
	size_t nslots, s;
	uint64_t work = 0;
	cs_map seen;
	int rc = 0;

	if (len < 32 || le32(p) != NDB_MAGIC)
		return cs_err_set(err, CS_EFORMAT, "not an ndb rpmdb");
	if (le32(p + 4) != 0)
		return cs_err_set(err, CS_EFORMAT, "ndb rpmdb of unknown version %u", le32(p + 4));
	slotnpages = le32(p + NDB_HEADER_SLOTNPAGES);
	if (slotnpages == 0 || slotnpages > len / NDB_PAGE)
		return cs_err_set(err, CS_EFORMAT, "ndb rpmdb with %u slot pages in %zu bytes", slotnpages, len);
	nslots = (size_t)slotnpages * (NDB_PAGE / NDB_SLOT);
	cs_map_init(&seen);
	for (s = NDB_SLOT_START; s < nslots && rc >= 0; s++) {
		const uint8_t *slot = p + (size_t)s * NDB_SLOT, *blob = NULL;
		uint32_t pkgidx = le32(slot + 4);
		const char *bad;
		bool over = false;
		size_t n = 0;

		if (le32(slot) != NDB_SLOT_MAGIC) {
			static const uint8_t zero[NDB_SLOT];

			if (memcmp(slot, zero, NDB_SLOT) != 0)
				rc = fn(0, NULL, 0, "bad slot magic", payload);
			continue;
		}
		if (pkgidx == 0)
			continue; /* a free slot */
		/* The key is the slot's own 4 bytes of pkgidx, borrowed from the input. */
		if (cs_map_getn(&seen, (const char *)slot + 4, 4)) {
			rc = fn(pkgidx, NULL, 0, "package index in two slots", payload);
			continue;
		}
		if ((rc = cs_map_putn(&seen, (const char *)slot + 4, 4, (void *)1)) < 0) {
			rc = cs_err_set(err, CS_ENOMEM, "out of memory reading an ndb rpmdb");
			break;
		}
		bad = ndb_blob(p, len, slotnpages, slot, &blob, &n, &work, &over);
		if (over) {
			rc = work_fail(err, "ndb rpmdb");
			break;
		}
		rc = bad ? fn(pkgidx, NULL, 0, bad, payload) : fn(pkgidx, blob, n, NULL, payload);
	}
	cs_map_release(&seen);
	return rc < 0 ? rc : 0;
}

/* --- whole databases ------------------------------------------------------- */

int cs_rpm_detect(const void *data, size_t len)
{
	const uint8_t *p = data;

	if (len >= sizeof(sqlite_magic) && memcmp(p, sqlite_magic, sizeof(sqlite_magic)) == 0)
		return CS_RPM_SQLITE;
	if (len >= 4 && le32(p) == NDB_MAGIC)
		return CS_RPM_NDB;
	/* A btree (rpm's index files) too, for cs_rpm_each_bdb() to name it in its refusal. */
	if (len >= 16 && (le32(p + BDB_META_MAGIC) == BDB_HASH_MAGIC || be32(p + BDB_META_MAGIC) == BDB_HASH_MAGIC ||
			  le32(p + BDB_META_MAGIC) == BDB_BTREE_MAGIC || be32(p + BDB_META_MAGIC) == BDB_BTREE_MAGIC))
		return CS_RPM_BDB;
	return CS_RPM_UNKNOWN;
}

typedef struct db_ctx {
	cs_arena *a;
	cs_rpm_db *db;
	size_t cap;
	size_t path_budget;
} db_ctx;

static void db_skip(db_ctx *c, uint32_t hnum, const char *why)
{
	cs_rpm_db *db = c->db;

	if (db->nskipped++ > 0)
		return;
	db->skip_hnum = hnum;
	/* Out of memory here only loses the message; the count stays right. */
	db->skip_reason = cs_arena_strdup(c->a, why);
}

/* name NUL evr NUL arch, and the derived strings of a record. */
static int record_fill(cs_arena *a, cs_rpm_record *r)
{
	const cs_rpm_header *h = &r->h;
	const char *sn, *vr;
	size_t snlen, vrlen, nl, el, al;
	char *key;

	if (h->has_epoch && h->epoch > 0)
		r->evr = cs_arena_printf(a, "%u:%s-%s", h->epoch, h->version, h->release);
	else
		r->evr = cs_arena_printf(a, "%s-%s", h->version, h->release);
	if (!r->evr)
		return CS_ENOMEM;
	r->source_name = h->name;
	r->source_version = r->evr;
	if (h->sourcerpm && cs_rpm_split_source(h->sourcerpm, &sn, &snlen, &vr, &vrlen)) {
		r->source_name = cs_arena_strndup(a, sn, snlen);
		if (h->has_epoch && h->epoch > 0)
			r->source_version = cs_arena_printf(a, "%u:%.*s", h->epoch, (int)vrlen, vr);
		else
			r->source_version = cs_arena_strndup(a, vr, vrlen);
		if (!r->source_name || !r->source_version)
			return CS_ENOMEM;
	}
	nl = strlen(h->name);
	el = strlen(r->evr);
	al = h->arch ? strlen(h->arch) : 0;
	if (!(key = cs_arena_alloc(a, nl + el + al + 3)))
		return CS_ENOMEM;
	memcpy(key, h->name, nl);
	memcpy(key + nl + 1, r->evr, el);
	if (al)
		memcpy(key + nl + el + 2, h->arch, al);
	r->key = key;
	r->keylen = nl + el + al + 3;
	return 0;
}

static int db_blob(uint32_t hnum, const uint8_t *blob, size_t len, const char *bad, void *payload)
{
	db_ctx *c = payload;
	cs_rpm_db *db = c->db;
	cs_rpm_record r;
	cs_err herr;
	int rc;

	if (!blob) {
		db_skip(c, hnum, bad ? bad : "unreadable record");
		return 0;
	}
	memset(&r, 0, sizeof(r));
	cs_err_clear(&herr);
	rc = cs_rpm_parse_header(&r.h, c->a, blob, len, &c->path_budget, &herr);
	if (rc == CS_EFORMAT) {
		db_skip(c, hnum, herr.msg);
		return 0;
	}
	if (rc < 0 || (rc = record_fill(c->a, &r)) < 0)
		return CS_ENOMEM;
	r.hnum = hnum;
	db->nfiles_dropped += r.h.nfiles_dropped;
	if (db->nrecords == c->cap &&
	    !(db->records = cs_arena_grow(c->a, db->records, db->nrecords, &c->cap, sizeof(r))))
		return CS_ENOMEM;
	db->records[db->nrecords++] = r;
	return 0;
}

int cs_rpm_parse_db(cs_rpm_db *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	db_ctx c;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.db = out;
	c.path_budget = len > (SIZE_MAX - READ_SLACK) / 4 ? SIZE_MAX : len * 4 + READ_SLACK;
	if (len == 0)
		return cs_err_set(err, CS_EFORMAT, "empty file");
	out->format = cs_rpm_detect(data, len);
	switch (out->format) {
	case CS_RPM_SQLITE:
		rc = cs_rpm_each_sqlite(data, len, db_blob, &c, err);
		break;
	case CS_RPM_BDB:
		rc = cs_rpm_each_bdb(data, len, db_blob, &c, err);
		break;
	case CS_RPM_NDB:
		rc = cs_rpm_each_ndb(data, len, db_blob, &c, err);
		break;
	default:
		return cs_err_set(err, CS_EFORMAT, "not an rpm database (no SQLite, BerkeleyDB hash or ndb magic)");
	}
	if (rc == CS_ENOMEM)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading an rpm database");
	if (rc < 0)
		return rc;
	if (out->nrecords == 0 && out->nskipped > 0)
		return cs_err_set(err, CS_EFORMAT, "no readable package header: header %u: %s", out->skip_hnum,
				  out->skip_reason ? out->skip_reason : "malformed");
	return 0;
}

/* --- source rpm, purl, vendor --------------------------------------------- */

bool cs_rpm_split_source(const char *sourcerpm, const char **name, size_t *nlen, const char **vr, size_t *vrlen)
{
	size_t n = strlen(sourcerpm), i, dashes = 0, rel = 0, ver = 0;

	if (cs_str_ends(sourcerpm, ".src.rpm"))
		n -= 8;
	else if (cs_str_ends(sourcerpm, ".nosrc.rpm"))
		n -= 10;
	else
		return false;
	/* name-version-release: the last two '-' split it (a name may hold '-', the others not). */
	for (i = n; i > 0 && dashes < 2; i--) {
		if (sourcerpm[i - 1] != '-')
			continue;
		if (dashes++ == 0)
			rel = i - 1;
		else
			ver = i - 1;
	}
	if (dashes < 2 || ver == 0 || rel == ver + 1 || rel + 1 == n)
		return false;
	*name = sourcerpm;
	*nlen = ver;
	*vr = sourcerpm + ver + 1;
	*vrlen = n - ver - 1;
	return true;
}

int cs_rpm_purl(char **out, cs_arena *a, const cs_rpm_record *r, const cs_os *os, cs_err *err)
{
	cs_purl_qualifier q[3] = {{"arch", r->h.arch}, {"epoch", NULL}, {"distro", NULL}};
	char epoch[16];
	cs_purl p;

	memset(&p, 0, sizeof(p));
	p.type = "rpm";
	if (os && os->family && *os->family) {
		p.ns = os->family;
		if (os->version && *os->version &&
		    !(q[2].value = cs_arena_printf(a, "%s-%s", os->family, os->version)))
			return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	}
	if (r->h.has_epoch && r->h.epoch > 0) {
		snprintf(epoch, sizeof(epoch), "%u", r->h.epoch);
		q[1].value = epoch;
	}
	p.name = r->h.name;
	if (!(p.version = cs_arena_printf(a, "%s-%s", r->h.version, r->h.release)))
		return cs_err_set(err, CS_ENOMEM, "out of memory building a package url");
	p.qualifiers = q;
	p.nqualifiers = CS_ARRAY_LEN(q);
	return cs_purl_build(out, a, &p, err);
}

/*
 * The Vendor strings each family's own packages carry, as prefixes
 * (compared without case): "SUSE LLC <https://www.suse.com/>" starts with
 * "SUSE". Seen in the fixtures: "Red Hat, Inc." (UBI 8), "Microsoft
 * Corporation" (CBL-Mariner 2.0), "SUSE LLC <https://www.suse.com/>" (SLE
 * 15 BCI); the others are what those distributions' packages say. openSUSE
 * Leap ships SUSE's own binaries, so both names count for every SUSE family.
 */
static const struct {
	const char *family;
	const char *vendors[3];
} rpm_vendors[] = {
	{"redhat", {"Red Hat", NULL}},
	{"rhcos", {"Red Hat", NULL}},
	{"centos", {"CentOS", NULL}},
	{"centos-stream", {"CentOS", NULL}},
	{"rocky", {"Rocky Enterprise Software Foundation", "Rocky Linux", NULL}},
	{"alma", {"AlmaLinux", NULL}},
	{"fedora", {"Fedora Project", NULL}},
	{"oracle", {"Oracle America", NULL}},
	{"amazon", {"Amazon Linux", "Amazon.com", NULL}},
	{"sles", {"SUSE", "openSUSE", NULL}},
	{"slem", {"SUSE", "openSUSE", NULL}},
	{"opensuse.leap", {"SUSE", "openSUSE", NULL}},
	{"opensuse.tumbleweed", {"SUSE", "openSUSE", NULL}},
	{"cbl-mariner", {"Microsoft", NULL}},
	{"azurelinux", {"Microsoft", NULL}},
	{"photon", {"VMware", "Broadcom", NULL}},
};

bool cs_rpm_third_party(const cs_os *os, const char *vendor)
{
	size_t i, j;

	if (!os || !os->family || !vendor || !*vendor)
		return false;
	for (i = 0; i < CS_ARRAY_LEN(rpm_vendors); i++) {
		if (strcmp(rpm_vendors[i].family, os->family) != 0)
			continue;
		for (j = 0; rpm_vendors[i].vendors[j]; j++)
			if (strncasecmp(vendor, rpm_vendors[i].vendors[j], strlen(rpm_vendors[i].vendors[j])) == 0)
				return false;
		return true;
	}
	return false;
}

/* --- layer index ----------------------------------------------------------- */

void cs_rpm_layers_init(cs_rpm_layers *l)
{
	cs_map_init(&l->first);
	cs_arena_init(&l->keys);
}

void cs_rpm_layers_release(cs_rpm_layers *l)
{
	cs_map_release(&l->first);
	cs_arena_release(&l->keys);
}

/* dir NUL key, in a (the layers' key arena) or in buf (a lookup). */
static char *layer_key(cs_arena *a, char *buf, size_t bufsz, const char *dir, const cs_rpm_record *r, size_t *n)
{
	size_t dl = strlen(dir);
	char *k;

	*n = dl + 1 + r->keylen;
	if (a)
		k = cs_arena_alloc(a, *n);
	else
		k = *n <= bufsz ? buf : NULL;
	if (!k)
		return NULL;
	memcpy(k, dir, dl + 1);
	memcpy(k + dl + 1, r->key, r->keylen);
	return k;
}

int cs_rpm_layers_add(cs_rpm_layers *l, const char *dir, const cs_rpm_db *db, int layer)
{
	size_t i, n;

	for (i = 0; i < db->nrecords; i++) {
		const cs_rpm_record *r = &db->records[i];
		char buf[1024], *k = layer_key(NULL, buf, sizeof(buf), dir, r, &n);
		int have;

		if (k) {
			/* Most layers list a package already noted: look before copying the key. */
			have = cs_cat_first_get(&l->first, k, n);
			if (have >= 0 && have <= layer)
				continue;
		}
		if (!(k = layer_key(&l->keys, NULL, 0, dir, r, &n)) || cs_cat_first_note(&l->first, k, n, layer) < 0)
			return CS_ENOMEM;
	}
	return 0;
}

int cs_rpm_layers_first(const cs_rpm_layers *l, const char *dir, const cs_rpm_record *r)
{
	cs_buf b;
	size_t n;
	char buf[1024], *k = layer_key(NULL, buf, sizeof(buf), dir, r, &n);
	int got;

	if (k)
		return cs_cat_first_get(&l->first, k, n);
	/* A key longer than the stack buffer: rare, build it on the heap. */
	cs_buf_init(&b, 0);
	if (cs_buf_append(&b, dir, strlen(dir) + 1) < 0 || cs_buf_append(&b, r->key, r->keylen) < 0) {
		cs_buf_release(&b);
		return -1;
	}
	got = cs_cat_first_get(&l->first, b.data, b.len);
	cs_buf_release(&b);
	return got;
}

/* --- the analyzer ------------------------------------------------------------ */

/*
 * Where rpm keeps its database (%_dbpath): var/lib/rpm for most, and
 * usr/lib/sysimage/rpm for SUSE and Fedora 36+ (each usually with the
 * other as a symbolic link). finish() reads them in this order.
 */
static const char *const rpm_dirs[] = {"var/lib/rpm", "usr/lib/sysimage/rpm"};
/*
 * The backends' files, newest first: when a directory holds two (a
 * leftover Packages beside the rpmdb.sqlite it was converted to), the
 * newer is the one rpm uses.
 */
static const char *const rpm_files[] = {"rpmdb.sqlite", "Packages.db", "Packages"};

/* One database file of one layer, as parsed. */
typedef struct rpm_file {
	struct rpm_file *next; /* older files of the layer */
	const char *path;      /* clean path; walk arena */
	const char *dir;       /* its directory */
	const char *error;     /* why the file was refused whole, or NULL */
	cs_rpm_db db;
} rpm_file;

/* The per-layer state: what parse() found, newest file first. */
typedef struct rpm_layer {
	rpm_file *files;
} rpm_layer;

static bool rpm_wants(const char *path, uint32_t mode)
{
	size_t i, j, n;

	if (!S_ISREG(mode))
		return false;
	for (i = 0; i < CS_ARRAY_LEN(rpm_dirs); i++) {
		n = strlen(rpm_dirs[i]);
		if (strncmp(path, rpm_dirs[i], n) != 0 || path[n] != '/')
			continue;
		for (j = 0; j < CS_ARRAY_LEN(rpm_files); j++)
			if (strcmp(path + n + 1, rpm_files[j]) == 0)
				return true;
	}
	return false;
}

static int rpm_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, cs_err *err)
{
	cs_arena *a = cs_walk_arena(w);
	rpm_layer *layer;
	const char *slash;
	rpm_file *f;
	cs_err perr;
	int rc;

	if (!rpm_wants(e->path, e->mode))
		return 0;
	if (!(layer = cs_cat_layer_state(w, CS_AN_rpm, sizeof(*layer))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	slash = strrchr(e->path, '/');
	if (!(f = cs_arena_alloc(a, sizeof(*f))) || !(f->path = cs_arena_strdup(a, e->path)) ||
	    !(f->dir = cs_arena_strndup(a, e->path, (size_t)(slash - e->path))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_err_clear(&perr);
	rc = cs_rpm_parse_db(&f->db, a, data, len, &perr);
	if (rc == CS_ENOMEM) {
		cs_err_merge(err, &perr);
		return rc;
	}
	/*
	 * A refused file is kept with its reason and not reported here: only
	 * the copy the final image holds matters, and finish() knows which.
	 */
	if (rc < 0 && !(f->error = cs_arena_strdup(a, perr.msg[0] ? perr.msg : cs_err_name(rc))))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	f->next = layer->files;
	layer->files = f;
	return 0;
}

/* The file layer i parsed at path (the newest, if the tar held it twice), or NULL. */
static const rpm_file *layer_file(const cs_scan *s, int i, const char *path)
{
	const rpm_layer *l;
	const rpm_file *f;

	if (i < 0 || (size_t)i >= cs_scan_layer_count(s))
		return NULL;
	l = cs_scan_layer_state(s, (size_t)i, CS_AN_rpm);
	for (f = l ? l->files : NULL; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			return f;
	return NULL;
}

/* finish()'s working set. */
typedef struct rpm_fin {
	cs_scan *s;
	cs_rpm_layers first;
	cs_map emitted; /* record key -> record, across both directories */
} rpm_fin;

static int emit(rpm_fin *fx, const rpm_file *f, const cs_rpm_record *r, int layer)
{
	cs_arena *a = cs_scan_arena(fx->s);
	const cs_os *os = cs_scan_os(fx->s);
	cs_package *p;
	cs_err perr;
	char *purl = NULL;
	int rc, low;

	/* rpm's imported signing keys, not software (Trivy and syft skip them too). */
	if (strcmp(r->h.name, "gpg-pubkey") == 0)
		return 0;
	if (cs_map_getn(&fx->emitted, r->key, r->keylen))
		return 0;
	if ((rc = cs_map_putn(&fx->emitted, r->key, r->keylen, (void *)r)) < 0)
		return rc;
	if (!(p = cs_arena_alloc(a, sizeof(*p))))
		return CS_ENOMEM;
	/* Strings are borrowed from the walk arena, which lives as long as the scan. */
	p->type = "rpm";
	p->name = r->h.name;
	p->version = r->evr;
	p->arch = r->h.arch;
	p->source_name = r->source_name;
	p->source_version = r->source_version;
	p->vendor = r->h.vendor && *r->h.vendor ? r->h.vendor : NULL;
	p->third_party = cs_rpm_third_party(os, p->vendor);
	p->installed_size = r->h.size;
	p->found_in = f->path;
	low = cs_rpm_layers_first(&fx->first, f->dir, r);
	p->layer = low >= 0 && low < layer ? low : layer;
	p->files = r->h.files;
	p->nfiles = r->h.nfiles;
	if (r->h.license && *r->h.license) {
		const char **lic = cs_arena_alloc(a, sizeof(*lic));

		if (!lic)
			return CS_ENOMEM;
		lic[0] = r->h.license;
		p->licenses = lic;
		p->nlicenses = 1;
	}
	cs_err_clear(&perr);
	rc = cs_rpm_purl(&purl, a, r, os, &perr);
	if ((rc = cs_cat_set_purl(fx->s, p, rc, purl, &perr)) < 0)
		return rc;
	return cs_scan_add_package(fx->s, p);
}

/* Emits the packages of the database file the final image has at path. */
static int emit_file(rpm_fin *fx, const char *path, int layer)
{
	const rpm_file *f = layer_file(fx->s, layer, path);
	size_t i;
	int rc;

	if (!f) {
		/* Too large, or reached through a link to a path parse() was never offered. */
		cs_scan_diag(fx->s, CS_LOG_WARN, "rpm database '%s' was not read", path);
		return 0;
	}
	if (f->error) {
		cs_scan_diag(fx->s, CS_LOG_WARN, "cannot read rpm database '%s': %s", path, f->error);
		return 0;
	}
	if (f->db.nskipped > 0)
		cs_scan_diag(fx->s, CS_LOG_WARN, "skipped %zu unreadable package headers of '%s', the first (header %u): %s",
			     f->db.nskipped, path, f->db.skip_hnum,
			     f->db.skip_reason ? f->db.skip_reason : "malformed");
	for (i = 0; i < f->db.nrecords; i++)
		if ((rc = emit(fx, f, &f->db.records[i], layer)) < 0)
			return rc;
	return 0;
}

/*
 * Per directory, the newest backend's file the final image holds as a
 * regular file (links followed); a directory reached twice through a link
 * is read once. Every layer's copies feed the layer index.
 */
static int rpm_finish(cs_scan *s, cs_err *err)
{
	rpm_fin fx;
	char resolved[4096], done[CS_ARRAY_LEN(rpm_dirs)][4096];
	size_t i, j, k, ndone = 0;
	int rc = 0;

	memset(&fx, 0, sizeof(fx));
	fx.s = s;
	cs_rpm_layers_init(&fx.first);
	cs_map_init(&fx.emitted);
	for (i = 0; i < cs_scan_layer_count(s); i++) {
		const rpm_layer *l = cs_scan_layer_state(s, i, CS_AN_rpm);
		const rpm_file *f;

		for (f = l ? l->files : NULL; f; f = f->next)
			if (!f->error && (rc = cs_rpm_layers_add(&fx.first, f->dir, &f->db, (int)i)) < 0)
				goto done;
	}
	for (i = 0; i < CS_ARRAY_LEN(rpm_dirs); i++) {
		for (j = 0; j < CS_ARRAY_LEN(rpm_files); j++) {
			char path[256];
			cs_fsinfo info;
			cs_err lerr;
			bool seen = false;

			snprintf(path, sizeof(path), "%s/%s", rpm_dirs[i], rpm_files[j]);
			cs_err_clear(&lerr);
			rc = cs_scan_lookup(s, path, true, &info, resolved, sizeof(resolved), &lerr);
			if (rc < 0 || !S_ISREG(info.mode)) {
				if (rc < 0 && rc != CS_ENOTFOUND)
					cs_scan_diag(s, CS_LOG_WARN, "cannot look up '%s': %s", path,
						     lerr.msg[0] ? lerr.msg : cs_err_name(rc));
				rc = 0;
				continue;
			}
			for (k = 0; k < ndone; k++)
				seen = seen || strcmp(done[k], resolved) == 0;
			if (!seen) {
				snprintf(done[ndone++], sizeof(done[0]), "%s", resolved);
				if ((rc = emit_file(&fx, resolved, info.layer)) < 0)
					goto done;
			}
			break;
		}
	}
done:
	cs_rpm_layers_release(&fx.first);
	cs_map_release(&fx.emitted);
	return cs_cat_finish_err(err, rc, "rpm packages");
}

const cs_analyzer cs_analyzer_rpm = {
	.name = "rpm",
	.scanners = 0,
	.max_size = CS_RPM_MAX_SIZE,
	.wants = rpm_wants,
	.parse = rpm_parse,
	.finish = rpm_finish,
};
