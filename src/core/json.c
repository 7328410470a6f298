/*
 * json.c - typed getters over cJSON (see json.h).
 */
#include "core/compat.h"
#include "core/json.h"

cJSON *cs_json_parse(const char *data, size_t len, const char *what, cs_err *err)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(data, len, &end, false);

	/* cJSON stops after the first value; anything but white space after it is malformed. */
	while (j && end && end < data + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (j && end && end < data + len) {
		cs_err_set(err, CS_EFORMAT, "%s: malformed JSON: trailing characters at byte %ld", what,
			   (long)(end - data));
		cJSON_Delete(j);
		return NULL;
	}
	if (!j) {
		const char *at = cJSON_GetErrorPtr();
		long off = at && at >= data && at <= data + len ? (long)(at - data) : -1;

		if (off >= 0)
			cs_err_set(err, CS_EFORMAT, "%s: malformed JSON near byte %ld", what, off);
		else
			cs_err_set(err, CS_EFORMAT, "%s: malformed JSON", what);
	}
	return j;
}

const char *cs_json_str(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *cs_json_arr(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;

	return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *cs_json_obj(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;

	return cJSON_IsObject(v) ? v : NULL;
}

bool cs_json_u64(const cJSON *obj, const char *name, uint64_t *out)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
	double d;

	if (!cJSON_IsNumber(v))
		return false;
	d = v->valuedouble;
	if (!(d >= 0 && d <= 9007199254740992.0) || d != (double)(uint64_t)d)
		return false;
	*out = (uint64_t)d;
	return true;
}

bool cs_json_true(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;

	return cJSON_IsTrue(v);
}
