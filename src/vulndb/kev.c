/*
 * kev.c - importer for CISA's Known Exploited Vulnerabilities catalog
 * (known_exploited_vulnerabilities.json):
 *
 *   {"title": "CISA Catalog of Known Exploited Vulnerabilities",
 *    "catalogVersion": "2024.01.02", "dateReleased": "...", "count": 1050,
 *    "vulnerabilities": [{"cveID": "CVE-2021-44228", "vendorProject": "Apache",
 *        "product": "Log4j2", "dateAdded": "2021-12-10", "dueDate": "2021-12-24",
 *        "knownRansomwareCampaignUse": "Known", ...}]}
 *
 * Each entry goes to sink->kev: the CVE, the dates (YYYY-MM-DD, NULL when
 * absent or malformed) and whether ransomware campaigns are known to use
 * it ("Known"; "Unknown" is false). An entry without a valid cveID is
 * reported and skipped.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include "core/json.h"

#include <strings.h>

static bool kev_detect(const char *name, const uint8_t *head, size_t n)
{
	if (cs_feed_has(head, n, "\"catalogVersion\"") || cs_feed_has(head, n, "Known Exploited Vulnerabilities"))
		return true;
	return strcmp(cs_feed_base(name), "known_exploited_vulnerabilities.json") == 0;
}

/* s when it is a plain date "YYYY-MM-DD", else NULL. */
static const char *plain_date(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return NULL;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return NULL;
	return s;
}

static int kev_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		      cs_arena *scratch, cs_err *err)
{
	cs_feed_report rep;
	cs_feed_part *top = NULL, *elems = NULL;
	const cs_feed_part *vulns = NULL;
	size_t ntop = 0, nelems = 0, i;
	int rc;

	CS_UNUSED(scratch);
	cs_feed_report_init(&rep, sink, name);
	if ((rc = cs_feed_json_split((const char *)data, len, true, name, &top, &ntop, err)) < 0)
		goto done;
	for (i = 0; i < ntop; i++)
		if (top[i].klen == 15 && memcmp(top[i].key, "vulnerabilities", 15) == 0)
			vulns = &top[i];
	if (!vulns || vulns->val[0] != '[') {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': not a KEV catalog (no 'vulnerabilities' list)", name);
		goto done;
	}
	if ((rc = cs_feed_json_split(vulns->val, vulns->vlen, false, name, &elems, &nelems, err)) < 0)
		goto done;
	for (i = 0; i < nelems; i++) {
		cJSON *e = cs_feed_json_parse(&elems[i]);
		const char *cve = cs_json_str(e, "cveID"), *use = cs_json_str(e, "knownRansomwareCampaignUse");
		cs_vdb_kev k;

		if (!cve || !cs_feed_is_cve(cve, strlen(cve))) {
			cs_feed_bad(&rep, "vulnerabilities[%zu]: %s", i,
				    !e ? "malformed JSON" : !cJSON_IsObject(e) ? "not an object" : "no valid cveID");
			cJSON_Delete(e);
			continue;
		}
		k.cve = cve;
		k.date_added = plain_date(cs_json_str(e, "dateAdded"));
		k.due_date = plain_date(cs_json_str(e, "dueDate"));
		k.ransomware = use && strcasecmp(use, "Known") == 0;
		rc = sink->kev(sink->payload, &k, err);
		cJSON_Delete(e);
		if (rc < 0)
			goto done;
	}
	cs_feed_report_done(&rep);
done:
	free(top);
	free(elems);
	return rc;
}

const cs_vdb_importer cs_importer_kev = {"kev", kev_detect, kev_import, false};
