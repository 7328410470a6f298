/*
 * rutil.c - helpers shared by the report writers (see rutil.h).
 */
#include "core/compat.h"
#include "report/rutil.h"
#include "base/base.h"
#include "core/purl.h"
#include "core/sha256.h"

#include <time.h>

const char *const cs_rutil_severities[CS_RUTIL_NSEVERITIES] = {"critical", "high", "medium", "low", "negligible",
							      "unknown"};

int cs_rutil_write_json(FILE *out, cJSON *doc, bool pretty, cs_err *err)
{
	char *text;
	int code = 0;

	if (!doc)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	if (!text)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (fputs(text, out) < 0 || fputc('\n', out) == EOF)
		code = cs_err_set(err, CS_EIO, "cannot write the report");
	free(text);
	return code;
}

void cs_rutil_time(long long t, char *buf, size_t sz)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, sz, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, sz, "1970-01-01T00:00:00Z");
}

size_t cs_rutil_utf8_len(const unsigned char *p)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF are not UTF-8 */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

void cs_rutil_xml_escape(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		size_t n;

		switch (*p) {
		case '&': fputs("&amp;", out); p++; continue;
		case '<': fputs("&lt;", out); p++; continue;
		case '>': fputs("&gt;", out); p++; continue;
		case '"': fputs("&quot;", out); p++; continue;
		case '\'': fputs("&#39;", out); p++; continue;
		default: break;
		}
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		if (!(n = cs_rutil_utf8_len(p))) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		fwrite(p, 1, n, out);
		p += n;
	}
}

const char *cs_rutil_short_step(const char *s)
{
	const char *nop;

	if (!s)
		return NULL;
	if ((nop = strstr(s, "#(nop) ")))
		s = nop + 7;
	else if (!strncmp(s, "/bin/sh -c ", 11))
		s += 11;
	while (*s == ' ')
		s++;
	return s;
}

char *cs_rutil_utf8_dup(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p);
	char *out, *w;

	/* each bad byte grows to 3 bytes at most */
	if (len > (SIZE_MAX - 1) / 3 || !(out = malloc(3 * len + 1)))
		return NULL;
	w = out;
	while (*p) {
		size_t n = cs_rutil_utf8_len(p);

		if (!n) {
			memcpy(w, "\xef\xbf\xbd", 3);
			w += 3;
			p++;
			continue;
		}
		memcpy(w, p, n);
		w += n;
		p += n;
	}
	*w = '\0';
	return out;
}

cJSON *cs_rutil_json_string(const char *s)
{
	char *clean = cs_rutil_utf8_dup(s);
	cJSON *j;

	if (!clean)
		return NULL;
	j = cJSON_CreateString(clean);
	free(clean);
	return j;
}

const char *cs_rutil_artifact_title(const cs_artifact *a)
{
	if (a->nrepo_tags > 0 && a->repo_tags[0] && *a->repo_tags[0])
		return a->repo_tags[0];
	return a->name ? a->name : "";
}

int cs_rutil_image_purl(char **out, cs_arena *arena, const cs_artifact *a)
{
	const char *rt, *colon, *slash, *first, *tag = NULL;
	char *repo, *name, *w;
	cs_purl_qualifier q[3];
	cs_purl pu = {0};

	*out = NULL;
	if (!cs_digest_valid(a->manifest_digest) || a->nrepo_tags == 0 || !a->repo_tags[0] || !*a->repo_tags[0])
		return 0;
	rt = a->repo_tags[0];
	colon = strrchr(rt, ':');
	slash = strrchr(rt, '/');
	if (colon && (!slash || colon > slash))
		tag = colon + 1;
	if (!(repo = cs_arena_strndup(arena, rt, tag ? (size_t)(colon - rt) : strlen(rt))))
		return CS_ENOMEM;
	/* the name is the repository's last component, lower case (purl-spec) */
	if (!(name = cs_arena_strdup(arena, strrchr(repo, '/') ? strrchr(repo, '/') + 1 : repo)))
		return CS_ENOMEM;
	for (w = name; *w; w++)
		if (*w >= 'A' && *w <= 'Z')
			*w = (char)(*w - 'A' + 'a');
	/* a registry host is a first component with a dot or a port (docker's rule); else no URL */
	first = strchr(repo, '/');
	q[0] = (cs_purl_qualifier){"arch", a->arch};
	q[1] = (cs_purl_qualifier){"repository_url",
				   first && (memchr(repo, '.', (size_t)(first - repo)) ||
					     memchr(repo, ':', (size_t)(first - repo)))
					   ? repo
					   : NULL};
	q[2] = (cs_purl_qualifier){"tag", tag};
	pu.type = "oci";
	pu.name = name;
	pu.version = a->manifest_digest;
	pu.qualifiers = q;
	pu.nqualifiers = 3;
	/* a name the purl builder refuses gives no purl rather than a wrong one */
	if (cs_purl_build(out, arena, &pu, NULL) < 0)
		*out = NULL;
	return 0;
}

bool cs_rutil_os_package(const cs_package *p)
{
	return p->type && (!strcmp(p->type, "deb") || !strcmp(p->type, "apk") || !strcmp(p->type, "rpm"));
}

typedef struct pkg_slot {
	const cs_package *p;
	long index;
} pkg_slot;

static int slot_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const pkg_slot *)a)->p, y = (uintptr_t)((const pkg_slot *)b)->p;

	return x < y ? -1 : x > y;
}

int cs_rutil_package_indexes(const cs_scan *s, const cs_package *const *want, size_t n, long *out)
{
	size_t np = cs_scan_package_count(s), i;
	pkg_slot *slots;

	/* one more slot than needed: malloc(0) may return NULL */
	if (!(slots = calloc(np + 1, sizeof(*slots))))
		return CS_ENOMEM;
	/* the wanted pointers point into the scan: sorted by address, found by bsearch */
	for (i = 0; i < np; i++) {
		slots[i].p = cs_scan_package(s, i);
		slots[i].index = (long)i;
	}
	qsort(slots, np, sizeof(*slots), slot_cmp);
	for (i = 0; i < n; i++) {
		pkg_slot key = {want[i], 0}, *hit;

		hit = want[i] ? bsearch(&key, slots, np, sizeof(*slots), slot_cmp) : NULL;
		out[i] = hit ? hit->index : -1;
	}
	free(slots);
	return 0;
}

int cs_rutil_owner_indexes(const cs_scan *s, long **out)
{
	size_t n = cs_scan_package_count(s), i;
	const cs_package **owners;
	long *idx;

	*out = NULL;
	owners = calloc(n + 1, sizeof(*owners));
	idx = calloc(n + 1, sizeof(*idx));
	if (!owners || !idx) {
		free(owners);
		free(idx);
		return CS_ENOMEM;
	}
	for (i = 0; i < n; i++)
		owners[i] = cs_scan_package(s, i)->owner;
	if (cs_rutil_package_indexes(s, owners, n, idx) < 0) {
		free(owners);
		free(idx);
		return CS_ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (idx[i] == (long)i)
			idx[i] = -1;
	free(owners);
	*out = idx;
	return 0;
}

static void hash_str(cs_sha256 *h, const char *s)
{
	/* the terminator too, so ("ab", "c") and ("a", "bc") differ */
	cs_sha256_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

int cs_rutil_scan_uuid(const cs_scan *s, const char *salt, long long now, char out[37], cs_err *err)
{
	const cs_artifact *a = cs_scan_artifact(s);
	char digest[CS_DIGEST_MAX], num[32];
	const char *hex;
	int nibble;
	cs_sha256 h;
	size_t i;

	if (cs_sha256_init(&h) < 0)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	hash_str(&h, salt);
	snprintf(num, sizeof(num), "%lld", now);
	hash_str(&h, num);
	hash_str(&h, a->name);
	hash_str(&h, a->image_id);
	hash_str(&h, a->manifest_digest);
	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		hash_str(&h, p->purl);
		hash_str(&h, p->found_in);
		snprintf(num, sizeof(num), "%d", p->layer);
		hash_str(&h, num);
	}
	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);

		hash_str(&h, v->id);
		hash_str(&h, v->package->purl);
	}
	cs_sha256_final(&h, digest);
	hex = digest + 7; /* after "sha256:" */
	nibble = hex[16] <= '9' ? hex[16] - '0' : hex[16] - 'a' + 10;
	/* RFC 4122 4.3: version 5 in the high nibble of byte 6, variant 10 in byte 8 */
	snprintf(out, 37, "%.8s-%.4s-5%.3s-%c%.3s-%.12s", hex, hex + 8, hex + 13, "89ab"[nibble & 3], hex + 17,
		 hex + 20);
	return 0;
}

cJSON *cs_jb_str(cs_jb *b, const char *s)
{
	cJSON *j = cs_rutil_json_string(s);

	if (!j)
		b->oom = true;
	return j;
}

const char *cs_jb_chk(cs_jb *b, const char *s)
{
	if (!s)
		b->oom = true;
	return s;
}

cJSON *cs_jb_add(cs_jb *b, cJSON *obj, const char *key, cJSON *item)
{
	if (!item || !obj || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		b->oom = true;
		return NULL;
	}
	return item;
}

cJSON *cs_jb_push(cs_jb *b, cJSON *arr, cJSON *item)
{
	if (!item || !arr || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		b->oom = true;
		return NULL;
	}
	return item;
}

void cs_jb_add_str(cs_jb *b, cJSON *obj, const char *key, const char *s)
{
	if (s && *s)
		cs_jb_add(b, obj, key, cs_jb_str(b, s));
}

cJSON *cs_jb_obj(cs_jb *b)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		b->oom = true;
	return o;
}

cJSON *cs_jb_arr(cs_jb *b)
{
	cJSON *o = cJSON_CreateArray();

	if (!o)
		b->oom = true;
	return o;
}

void cs_rutil_vex_reason(const cs_suppression *u, char *buf, size_t n, const char **status, const char **detail)
{
	const char *r = u->reason ? u->reason : "";
	size_t w = strspn(r, "abcdefghijklmnopqrstuvwxyz_");

	*status = NULL;
	*detail = *r ? r : NULL;
	if (!u->kind || strcmp(u->kind, "vex") != 0 || w == 0 || w >= n || (r[w] != '\0' && r[w] != ':'))
		return;
	memcpy(buf, r, w);
	buf[w] = '\0';
	*status = buf;
	r += w;
	if (*r == ':')
		r++;
	while (*r == ' ')
		r++;
	*detail = *r ? r : NULL;
}

cJSON *cs_rutil_str_or_null(const char *s)
{
	return s && *s ? cs_rutil_json_string(s) : cJSON_CreateNull();
}

cJSON *cs_rutil_policy_json(const cs_scan *s)
{
	const cs_policy_result *r = cs_scan_policy(s);
	cJSON *o, *hits;
	size_t i;

	if (!r)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "name", cs_rutil_str_or_null(r->name));
	cJSON_AddItemToObject(o, "verdict", cs_rutil_str_or_null(r->verdict));
	hits = cJSON_AddArrayToObject(o, "hits");
	for (i = 0; i < r->nhits; i++) {
		const cs_policy_hit *h = &r->hits[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddItemToObject(x, "rule", cs_rutil_str_or_null(h->rule));
		cJSON_AddItemToObject(x, "gate", cs_rutil_str_or_null(h->gate));
		cJSON_AddItemToObject(x, "trigger", cs_rutil_str_or_null(h->trigger));
		cJSON_AddItemToObject(x, "action", cs_rutil_str_or_null(h->action));
		cJSON_AddItemToObject(x, "message", cs_rutil_str_or_null(h->message));
		cJSON_AddItemToArray(hits, x);
	}
	return o;
}

cJSON *cs_rutil_base_json(const cs_scan *s)
{
	const cs_base *b = cs_scan_base(s);
	cJSON *o, *layers, *f;
	cs_base_split split;

	if (!b)
		return cJSON_CreateNull();
	cs_base_split_vulns(s, b, &split);
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "name", cs_rutil_str_or_null(b->name));
	cJSON_AddItemToObject(o, "method", cs_rutil_str_or_null(b->method));
	cJSON_AddItemToObject(o, "os", cs_rutil_str_or_null(b->os));
	if (b->eol < 0)
		cJSON_AddNullToObject(o, "eol");
	else
		cJSON_AddBoolToObject(o, "eol", b->eol > 0);
	cJSON_AddItemToObject(o, "eol_date", cs_rutil_str_or_null(b->eol_date));
	if (b->last_layer >= 0) {
		layers = cJSON_CreateArray();
		cJSON_AddItemToArray(layers, cJSON_CreateNumber(b->first_layer));
		cJSON_AddItemToArray(layers, cJSON_CreateNumber(b->last_layer));
	} else {
		layers = cJSON_CreateNull();
	}
	cJSON_AddItemToObject(o, "layers", layers);
	cJSON_AddBoolToObject(o, "approved", b->approved);
	f = cJSON_AddObjectToObject(o, "findings");
	cJSON_AddNumberToObject(f, "base", (double)split.base);
	cJSON_AddNumberToObject(f, "application", (double)split.application);
	cJSON_AddNumberToObject(f, "fixed_by_rebuild", (double)split.fixed_by_rebuild);
	return o;
}
