/*
 * dotnet.c - the dotnet cataloger: *.deps.json and packages.lock.json.
 *
 * The parsers (dotnet.h) turn bytes into cs_langpkg records; the langcat
 * frame (langcat.h) does the rest: layers, the final image's copy, the
 * lowest layer, the owning OS package and lockfiles for root filesystems
 * only.
 */
#include "core/compat.h"
#include "catalog/dotnet.h"
#include "catalog/catutil.h"
#include "core/json.h"
#include "core/map.h"
#include "core/strutil.h"

#include <strings.h>
#include <sys/stat.h>

#define RUNTIMEPACK "runtimepack."

/* --- paths ------------------------------------------------------------------ */

int cs_dotnet_kind(const char *path)
{
	const char *base = cs_path_base(path);
	size_t n = strlen(base);

	if (strcmp(base, "packages.lock.json") == 0)
		return CS_DOTNET_LOCK;
	if (n > 10 && strcmp(base + n - 10, ".deps.json") == 0)
		return CS_DOTNET_DEPS;
	return CS_DOTNET_NONE;
}

/* --- packages --------------------------------------------------------------------- */

/*
 * Adds name[0..nlen) at version[0..vlen) with its pkg:nuget purl, unless
 * already there; a half that is empty or holds a control byte is counted
 * in nbad instead. Returns 0 or CS_ENOMEM.
 */
static int add_pkg(cs_cat_pkgset *s, const char *name, size_t nlen, const char *version, size_t vlen)
{
	cs_langpkg *p;

	if (nlen == 0 || vlen == 0 || cs_cat_has_control(name, nlen) || cs_cat_has_control(version, vlen)) {
		s->out->nbad++;
		return 0;
	}
	return cs_cat_pkgset_add(s, name, nlen, version, vlen, &p);
}

static int finish(int rc, cJSON *j, cs_cat_pkgset *s, cs_err *err)
{
	if (s)
		cs_cat_pkgset_release(s);
	cJSON_Delete(j);
	if (rc == CS_ENOMEM)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading .NET packages");
	return rc;
}

/* --- deps.json ----------------------------------------------------------------------- */

/* Whether a target entry says the library brings something to load. */
static bool has_runtime_assets(const cJSON *entry)
{
	static const char *const kinds[] = {"runtime", "runtimeTargets", "native"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(kinds); i++) {
		const cJSON *v = cJSON_IsObject(entry) ? cJSON_GetObjectItemCaseSensitive(entry, kinds[i]) : NULL;

		if (v && !cJSON_IsNull(v))
			return true;
	}
	return false;
}

int cs_dotnet_parse_deps(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const cJSON *libs, *targets, *target = NULL, *lib, *t;
	const char *tname;
	cs_map in_target; /* key -> its entry in the runtime target */
	cs_cat_pkgset s;
	cJSON *j;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!(j = cs_cat_json(data, len, "deps.json", ".NET packages", err)))
		return err->code == CS_ENOMEM ? CS_ENOMEM : CS_EFORMAT;
	if (!cJSON_IsObject(j))
		return finish(cs_err_set(err, CS_EFORMAT, "not a JSON object"), j, NULL, err);
	if (!(libs = cs_json_obj(j, "libraries")))
		return finish(0, j, NULL, err);
	tname = cs_json_str(cs_json_obj(j, "runtimeTarget"), "name");
	targets = cs_json_obj(j, "targets");
	if (tname && targets)
		target = cs_json_obj(targets, tname);
	cs_cat_pkgset_init(&s, out, a, "nuget");
	/* The target's entries by key: one pass, so a huge file stays linear. */
	cs_map_init(&in_target);
	cJSON_ArrayForEach(t, target)
	{
		if (!t->string || cs_map_get(&in_target, t->string))
			continue;
		if ((rc = cs_map_put(&in_target, t->string, (void *)t)) < 0)
			goto out;
	}
	cJSON_ArrayForEach(lib, libs)
	{
		const char *key = lib->string, *slash, *type, *name;
		const cJSON *entry;
		size_t klen;

		if (!key || !cJSON_IsObject(lib) || !(slash = strchr(key, '/'))) {
			out->nbad++;
			continue;
		}
		type = cs_json_str(lib, "type");
		if (!type || (strcasecmp(type, "package") != 0 && strcasecmp(type, "runtimepack") != 0))
			continue;
		entry = target ? cs_map_get(&in_target, key) : NULL;
		if (entry && !has_runtime_assets(entry))
			continue;
		name = key;
		if (strcasecmp(type, "runtimepack") == 0 && cs_str_starts(key, RUNTIMEPACK) &&
		    slash > key + strlen(RUNTIMEPACK))
			name += strlen(RUNTIMEPACK);
		klen = strlen(key);
		if ((rc = add_pkg(&s, name, (size_t)(slash - name), slash + 1, klen - (size_t)(slash + 1 - key))) < 0)
			goto out;
	}
out:
	cs_map_release(&in_target);
	return finish(rc, j, &s, err);
}

/* --- packages.lock.json ---------------------------------------------------------------- */

int cs_dotnet_parse_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const cJSON *deps, *fw, *dep;
	cs_cat_pkgset s;
	cJSON *j;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	if (!(j = cs_cat_json(data, len, "packages.lock.json", ".NET packages", err)))
		return err->code == CS_ENOMEM ? CS_ENOMEM : CS_EFORMAT;
	if (!cJSON_IsObject(j))
		return finish(cs_err_set(err, CS_EFORMAT, "not a JSON object"), j, NULL, err);
	deps = cs_json_obj(j, "dependencies");
	cs_cat_pkgset_init(&s, out, a, "nuget");
	cJSON_ArrayForEach(fw, deps)
	{
		if (!cJSON_IsObject(fw)) {
			out->nbad++;
			continue;
		}
		cJSON_ArrayForEach(dep, fw)
		{
			const char *type = cs_json_str(dep, "type"), *resolved = cs_json_str(dep, "resolved");

			/* Another project of the solution, not a package. */
			if (type && strcasecmp(type, "Project") == 0)
				continue;
			if (!dep->string || !resolved) {
				out->nbad++;
				continue;
			}
			if ((rc = add_pkg(&s, dep->string, strlen(dep->string), resolved, strlen(resolved))) < 0)
				goto out;
		}
	}
out:
	return finish(rc, j, &s, err);
}

/* --- the analyzer ---------------------------------------------------------------- */

int cs_dotnet_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err)
{
	switch (cs_dotnet_kind(path)) {
	case CS_DOTNET_DEPS:
		return cs_dotnet_parse_deps(out, a, data, len, err);
	case CS_DOTNET_LOCK:
		return cs_dotnet_parse_lock(out, a, data, len, err);
	default:
		return CS_ENOTFOUND;
	}
}

static bool dotnet_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_dotnet_kind(path) != CS_DOTNET_NONE;
}

static const cs_langcat dotnet_cat = {CS_AN_dotnet, "nuget", ".NET packages", cs_dotnet_parse_file, NULL};
CS_LANGCAT_ANALYZER(dotnet, "dotnet", dotnet_wants, 0, dotnet_cat);
