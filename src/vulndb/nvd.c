/*
 * nvd.c - importer for NVD CVE API 2.0 responses and the 2.0 JSON feeds
 * (nvdcve-2.0-<year>.json), both shaped
 *
 *   {"resultsPerPage": 2000, ..., "format": "NVD_CVE", "version": "2.0",
 *    "vulnerabilities": [{"cve": {"id": "CVE-2023-27314", "published": ...,
 *        "lastModified": ..., "vulnStatus": "Analyzed",
 *        "descriptions": [{"lang": "en", "value": "..."}],
 *        "metrics": {"cvssMetricV31": [{"source": "nvd@nist.gov", "type": "Primary",
 *                    "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/...",
 *                                 "baseScore": 7.5, "baseSeverity": "HIGH"}}], ...},
 *        "references": [{"url": "..."}]}}]}
 *
 * NVD is enrichment: each CVE becomes one advisory with its English
 * description, CVSS entries, an overall severity and references, and no
 * affected packages (CPE configurations are not matched). Rejected CVEs
 * are marked withdrawn. The "vulnerabilities" array is split and each
 * element parsed alone, so a yearly feed of hundreds of MB never becomes
 * one cJSON tree.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include "core/json.h"
#include "core/strutil.h"

#include <math.h>
#include <strings.h>

static bool nvd_detect(const char *name, const uint8_t *head, size_t n)
{
	const char *base = cs_feed_base(name);

	if (cs_feed_has(head, n, "\"NVD_CVE\"") || cs_feed_has(head, n, "\"resultsPerPage\""))
		return true;
	return cs_str_starts(base, "nvdcve-2") && cs_feed_ends(base, ".json") && cs_feed_has(head, n, "{");
}

/* The metric lists, in the order they are kept and searched for a severity. */
static const struct {
	const char *key;
	const char *version; /* when cvssData has none */
} metric_lists[] = {
	{"cvssMetricV31", "3.1"},
	{"cvssMetricV40", "4.0"},
	{"cvssMetricV30", "3.0"},
	{"cvssMetricV2", "2.0"},
};

/* "HIGH" -> "high"; NULL for "NONE" and anything unknown. */
static const char *severity_word(const char *s)
{
	static const char *const words[] = {"critical", "high", "medium", "low"};
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < CS_ARRAY_LEN(words); i++)
		if (strcasecmp(s, words[i]) == 0)
			return words[i];
	return NULL;
}

typedef struct nvd_state {
	cs_arena a; /* per CVE: released after each record, so memory follows the largest CVE */
	cs_feed_report rep;
	cs_vdb_cvss *cvss; /* reused per CVE; malloc'd */
	size_t ccvss;
	const char **refs; /* reused per CVE; malloc'd */
	size_t crefs;
} nvd_state;

static int push_cvss(nvd_state *st, size_t n, const cs_vdb_cvss *c)
{
	if (n == st->ccvss) {
		size_t cap = st->ccvss ? st->ccvss * 2 : 8;
		cs_vdb_cvss *p = cap < SIZE_MAX / sizeof(*p) ? realloc(st->cvss, cap * sizeof(*p)) : NULL;

		if (!p)
			return CS_ENOMEM;
		st->cvss = p;
		st->ccvss = cap;
	}
	st->cvss[n] = *c;
	return 0;
}

static int push_ref(nvd_state *st, size_t n, const char *url)
{
	if (n == st->crefs) {
		size_t cap = st->crefs ? st->crefs * 2 : 16;
		const char **p = cap < SIZE_MAX / sizeof(*p) ? realloc(st->refs, cap * sizeof(*p)) : NULL;

		if (!p)
			return CS_ENOMEM;
		st->refs = p;
		st->crefs = cap;
	}
	st->refs[n] = url;
	return 0;
}

/*
 * Reads the metrics into st->cvss (count in *n) and picks the overall
 * severity: NVD's own ("Primary") score first, v3.1, v4.0, v3.0, then v2;
 * the CNA's ("Secondary") in the same order when NVD has none.
 */
static int read_metrics(nvd_state *st, const char *id, const cJSON *metrics, size_t *n, const char **severity)
{
	const char *best[2][CS_ARRAY_LEN(metric_lists)];
	size_t l, k;

	memset(best, 0, sizeof(best));
	*n = 0;
	*severity = NULL;
	for (l = 0; l < CS_ARRAY_LEN(metric_lists); l++) {
		const cJSON *list = cs_json_arr(metrics, metric_lists[l].key), *m;

		cJSON_ArrayForEach(m, list)
		{
			const cJSON *data = cs_json_obj(m, "cvssData"), *score = cJSON_GetObjectItemCaseSensitive(data, "baseScore");
			const char *vector = cs_json_str(data, "vectorString"), *version = cs_json_str(data, "version");
			const char *src = cs_json_str(m, "source"), *type = cs_json_str(m, "type");
			const char *sev = severity_word(cs_json_str(data, "baseSeverity"));
			bool primary = (type && strcmp(type, "Primary") == 0) || (src && strcmp(src, "nvd@nist.gov") == 0);
			cs_vdb_cvss c;

			if (!vector || !cs_feed_token(vector, strlen(vector), 512)) {
				cs_feed_bad(&st->rep, "%s: %s entry without a valid vectorString (entry skipped)", id,
					    metric_lists[l].key);
				continue;
			}
			if (!sev) /* v2 keeps its severity beside cvssData */
				sev = severity_word(cs_json_str(m, "baseSeverity"));
			c.version = version && cs_feed_token(version, strlen(version), 8) ? version : metric_lists[l].version;
			c.vector = vector;
			c.score = cJSON_IsNumber(score) && isfinite(score->valuedouble) && score->valuedouble >= 0 &&
					  score->valuedouble <= 10
				  ? score->valuedouble
				  : -1;
			c.source = primary ? "nvd" : src && cs_feed_token(src, strlen(src), CS_FEED_MAX_NAME) ? src : "unknown";
			if (push_cvss(st, *n, &c) < 0)
				return CS_ENOMEM;
			(*n)++;
			if (sev && !best[primary ? 0 : 1][l])
				best[primary ? 0 : 1][l] = sev;
		}
	}
	for (k = 0; k < 2 && !*severity; k++)
		for (l = 0; l < CS_ARRAY_LEN(metric_lists) && !*severity; l++)
			*severity = best[k][l];
	return 0;
}

/* One element of "vulnerabilities". The strings stay in elem until the sink returns. */
static int read_cve(nvd_state *st, const cJSON *elem, size_t index, const char *file, const cs_vdb_sink *sink,
		    cs_err *err)
{
	const cJSON *cve = cs_json_obj(elem, "cve"), *d, *r;
	const char *id = cs_json_str(cve, "id"), *status = cs_json_str(cve, "vulnStatus"), *desc = NULL;
	cs_vdb_advisory rec;
	size_t ncvss = 0, nrefs = 0;

	if (!cve || !id || !cs_feed_is_cve(id, strlen(id))) {
		cs_feed_bad(&st->rep, "vulnerabilities[%zu]: no 'cve' object with a valid id", index);
		return 0;
	}
	memset(&rec, 0, sizeof(rec));
	rec.id = id;
	rec.file = file;
	rec.published = cs_feed_rfc3339(&st->a, cs_json_str(cve, "published"));
	rec.modified = cs_feed_rfc3339(&st->a, cs_json_str(cve, "lastModified"));
	cJSON_ArrayForEach(d, cs_json_arr(cve, "descriptions"))
	{
		const char *lang = cs_json_str(d, "lang"), *value = cs_json_str(d, "value");

		if (lang && value && strcmp(lang, "en") == 0) {
			desc = value;
			break;
		}
	}
	if (desc && !(rec.details = cs_feed_text(&st->a, desc, strlen(desc))))
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
	if ((status && strcmp(status, "Rejected") == 0) || (desc && cs_str_starts(desc, "** REJECT **")))
		rec.withdrawn = rec.modified ? rec.modified : rec.published ? rec.published : "1970-01-01T00:00:00Z";
	if (read_metrics(st, id, cs_json_obj(cve, "metrics"), &ncvss, &rec.severity) < 0)
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
	rec.cvss = st->cvss;
	rec.ncvss = ncvss;
	cJSON_ArrayForEach(r, cs_json_arr(cve, "references"))
	{
		const char *url = cs_json_str(r, "url");

		if (!url || !cs_feed_token(url, strlen(url), 4096))
			continue; /* a broken link is dropped, the CVE kept */
		if (push_ref(st, nrefs, url) < 0)
			return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
		nrefs++;
	}
	rec.references = st->refs;
	rec.nreferences = nrefs;
	return sink->advisory(sink->payload, &rec, err);
}

static int nvd_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		      cs_arena *scratch, cs_err *err)
{
	nvd_state st;
	cs_feed_part *top = NULL, *elems = NULL;
	size_t ntop = 0, nelems = 0, i;
	const cs_feed_part *vulns = NULL;
	int rc;

	CS_UNUSED(scratch);
	memset(&st, 0, sizeof(st));
	cs_arena_init(&st.a);
	cs_feed_report_init(&st.rep, sink, name);
	if ((rc = cs_feed_json_split((const char *)data, len, true, name, &top, &ntop, err)) < 0)
		goto done;
	for (i = 0; i < ntop; i++)
		if (top[i].klen == 15 && memcmp(top[i].key, "vulnerabilities", 15) == 0)
			vulns = &top[i];
	if (!vulns) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': not an NVD CVE document (no 'vulnerabilities' list)", name);
		goto done;
	}
	if (vulns->val[0] != '[') {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': 'vulnerabilities' is not a list", name);
		goto done;
	}
	if ((rc = cs_feed_json_split(vulns->val, vulns->vlen, false, name, &elems, &nelems, err)) < 0)
		goto done;
	for (i = 0; i < nelems; i++) {
		cJSON *elem = cs_feed_json_parse(&elems[i]);

		if (!cJSON_IsObject(elem)) {
			cs_feed_bad(&st.rep, "vulnerabilities[%zu]: %s", i, elem ? "not an object" : "malformed JSON");
			cJSON_Delete(elem);
			continue;
		}
		rc = read_cve(&st, elem, i, name, sink, err);
		cJSON_Delete(elem);
		cs_arena_release(&st.a);
		if (rc < 0)
			goto done;
	}
	cs_feed_report_done(&st.rep);
done:
	free(top);
	free(elems);
	free(st.cvss);
	free(st.refs);
	cs_arena_release(&st.a);
	return rc;
}

const cs_vdb_importer cs_importer_nvd = {"nvd", nvd_detect, nvd_import, false};
