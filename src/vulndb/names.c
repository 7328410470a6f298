/*
 * names.c - ecosystems: which ones customs knows, their version scheme, and
 * how their package names are normalized (see vulndb.h).
 *
 * The ecosystem names are OSV's (schemas/osv/ecosystems.json), plus a few
 * distribution names OSV does not list but distro feeds use. An ecosystem
 * string is "<base>" or "<base>:<suffix>" ("Debian:12", "Ubuntu:Pro:18.04:LTS",
 * "Maven:https://maven.google.com"); only the base decides. "Root" is
 * hierarchical ("Root:Alpine:3.18", "Root:PyPI"): its suffix is an
 * ecosystem again.
 */
#include "core/compat.h"
#include "vulndb/vulndb.h"

#include <ctype.h>

enum { NAME_ASIS, NAME_PEP503, NAME_LOWER };

typedef struct eco_info {
	const char *base;   /* OSV ecosystem name, case-sensitive */
	const char *scheme; /* match/version.h scheme, NULL: no comparator */
	int names;          /* NAME_*: how package names are normalized */
} eco_info;

/*
 * Sorted by nothing in particular; small enough for a linear scan. Schemes
 * follow what each ecosystem's documentation says its versions are:
 * apk-based distributions (Wolfi, Chainguard, MinimOS, Alpaquita and
 * BellSoft's containers built on it) compare as apk; registries that
 * require Semantic Versioning (Hex, Pub, Julia, SwiftURL tags, VS Code
 * extensions, Kubernetes releases) as semver. Where versions follow no one
 * scheme (Bitnami, Android, Linux, OSS-Fuzz, GitHub Actions tags...) the
 * scheme is NULL and matching must rely on explicit versions lists.
 */
static const eco_info ecosystems[] = {
	/* Debian family */
	{"Debian", "deb", NAME_ASIS},
	{"Ubuntu", "deb", NAME_ASIS},
	/* apk family */
	{"Alpine", "apk", NAME_ASIS},
	{"Wolfi", "apk", NAME_ASIS},
	{"Chainguard", "apk", NAME_ASIS},
	{"MinimOS", "apk", NAME_ASIS},
	{"Alpaquita", "apk", NAME_ASIS},
	{"BellSoft Hardened Containers", "apk", NAME_ASIS},
	/* rpm family */
	{"Red Hat", "rpm", NAME_ASIS},
	{"Rocky Linux", "rpm", NAME_ASIS},
	{"AlmaLinux", "rpm", NAME_ASIS},
	{"SUSE", "rpm", NAME_ASIS},
	{"openSUSE", "rpm", NAME_ASIS},
	{"Azure Linux", "rpm", NAME_ASIS},
	{"Photon OS", "rpm", NAME_ASIS},
	{"openEuler", "rpm", NAME_ASIS},
	{"Mageia", "rpm", NAME_ASIS},
	/* distribution names outside OSV's list, used by distro feeds */
	{"Mariner", "rpm", NAME_ASIS},
	{"CBL-Mariner", "rpm", NAME_ASIS},
	{"Amazon Linux", "rpm", NAME_ASIS},
	{"Oracle Linux", "rpm", NAME_ASIS},
	{"CentOS", "rpm", NAME_ASIS},
	{"Fedora", "rpm", NAME_ASIS},
	/* language registries */
	{"PyPI", "pep440", NAME_PEP503},
	{"Go", "go", NAME_ASIS},
	{"npm", "semver", NAME_ASIS},
	{"crates.io", "cargo", NAME_ASIS},
	{"Maven", "maven", NAME_ASIS},
	{"RubyGems", "gem", NAME_ASIS},
	{"NuGet", "nuget", NAME_LOWER},
	{"Packagist", "composer", NAME_LOWER},
	{"Hex", "semver", NAME_ASIS},
	{"Pub", "semver", NAME_ASIS},
	{"Julia", "semver", NAME_ASIS},
	{"SwiftURL", "semver", NAME_ASIS},
	{"VSCode", "semver", NAME_ASIS},
	{"Kubernetes", "semver", NAME_ASIS},
	/* known, but with no comparator */
	{"Android", NULL, NAME_ASIS},
	{"Bioconductor", NULL, NAME_ASIS},
	{"Bitnami", NULL, NAME_ASIS},
	{"CleanStart", NULL, NAME_ASIS},
	{"ConanCenter", NULL, NAME_ASIS},
	{"CRAN", NULL, NAME_ASIS},
	{"Docker Hardened Images", NULL, NAME_ASIS},
	{"Echo", NULL, NAME_ASIS},
	{"FreeBSD", NULL, NAME_ASIS},
	{"GHC", NULL, NAME_ASIS},
	{"GitHub Actions", NULL, NAME_ASIS},
	{"Hackage", NULL, NAME_ASIS},
	{"Linux", NULL, NAME_ASIS},
	{"opam", NULL, NAME_ASIS},
	{"OSS-Fuzz", NULL, NAME_ASIS},
	{"TuxCare", NULL, NAME_ASIS},
};

/* The table entry for ecosystem, following "Root:" prefixes; NULL when unknown. */
static const eco_info *eco_find(const char *ecosystem)
{
	int hops;

	if (!ecosystem)
		return NULL;
	for (hops = 0; hops < 4; hops++) {
		const char *colon = strchr(ecosystem, ':');
		size_t n = colon ? (size_t)(colon - ecosystem) : strlen(ecosystem), i;

		if (n == 4 && memcmp(ecosystem, "Root", 4) == 0) {
			if (!colon)
				return NULL;
			ecosystem = colon + 1;
			continue;
		}
		for (i = 0; i < CS_ARRAY_LEN(ecosystems); i++)
			if (strlen(ecosystems[i].base) == n && memcmp(ecosystems[i].base, ecosystem, n) == 0)
				return &ecosystems[i];
		return NULL;
	}
	return NULL;
}

bool cs_vdb_ecosystem_known(const char *ecosystem)
{
	return eco_find(ecosystem) != NULL;
}

const char *cs_vdb_scheme(const char *ecosystem)
{
	const eco_info *e = eco_find(ecosystem);

	return e ? e->scheme : NULL;
}

size_t cs_vdb_normalize_into(char *out, size_t outsz, const char *ecosystem, const char *name)
{
	const eco_info *e = eco_find(ecosystem);
	int kind = e ? e->names : NAME_ASIS;
	size_t i, n = 0;

	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (kind == NAME_PEP503 && (c == '-' || c == '_' || c == '.')) {
			/* a run of separators becomes one '-' */
			while (name[i + 1] == '-' || name[i + 1] == '_' || name[i + 1] == '.')
				i++;
			c = '-';
		} else if (kind != NAME_ASIS && c < 0x80) {
			c = (unsigned char)tolower(c);
		}
		if (out && n + 1 < outsz)
			out[n] = (char)c;
		n++;
	}
	if (out && outsz)
		out[n < outsz ? n : outsz - 1] = '\0';
	return n;
}

const char *cs_vdb_normalize_name(cs_arena *a, const char *ecosystem, const char *name)
{
	size_t n = cs_vdb_normalize_into(NULL, 0, ecosystem, name);
	char *out = cs_arena_alloc(a, n + 1);

	if (!out)
		return NULL;
	cs_vdb_normalize_into(out, n + 1, ecosystem, name);
	return out;
}
