/*
 * java.h - Java archives (jar, war, ear...), as a pure parsing API.
 *
 * The java cataloger (java.c) opens every Java archive in the image:
 *
 *   .jar .war .ear .par .sar   libraries, web and enterprise applications
 *   .jpi .hpi                  Jenkins plugins
 *
 * and the archives nested in them (WEB-INF/lib/x.jar of a war, lib/ of an
 * ear, BOOT-INF/lib/ of a Spring Boot jar: any entry with one of these
 * extensions), in memory, down to a depth limit. In each archive:
 *
 *   - every pom.properties (maven-archiver writes one per artifact at
 *     META-INF/maven/<groupId>/<artifactId>/pom.properties; a shaded "fat"
 *     jar carries those of everything it absorbed) is one package;
 *   - when none of them is the archive's own (none has the artifactId its
 *     file name gives, or the archive has none at all when the name gives
 *     nothing), the archive is identified from its file name and the main
 *     section of META-INF/MANIFEST.MF (cs_java_identify);
 *   - META-INF/maven/<g>/<a>/pom.xml gives licenses to the pom.properties
 *     package of the same groupId and artifactId, and a groupId to an
 *     archive identified by name;
 *   - the manifest's licenses (Jenkins Plugin-License-Name, else OSGi
 *     Bundle-License) go to the archive's own package when it has exactly
 *     one and no license yet.
 *
 * Packages are "maven": name "groupId:artifactId", purl
 * pkg:maven/<groupId>/<artifactId>@<version>. The parsers here know
 * nothing of scans or layers, so unit tests and the fuzz target call them
 * on plain bytes; results come from the caller's arena.
 */
#ifndef CS_JAVA_H
#define CS_JAVA_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "catalog/zipread.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "java"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_java;

/* Largest top-level archive read, bytes: 256 MiB (the analyzer's max_size). */
#define CS_JAVA_MAX_SIZE (256ull << 20)

/* True when name (a path or a base name) ends with a Java archive extension, ASCII case ignored. */
bool cs_java_is_archive(const char *name);

/* A Maven coordinate without packaging. Strings hold no control byte. */
typedef struct cs_java_gav {
	const char *group_id;
	const char *artifact_id;
	const char *version;
} cs_java_gav;

/*
 * Parses a pom.properties file as java.util.Properties reads it: "key=value",
 * "key: value" or "key value", '#' and '!' comments, backslash escapes
 * (\uXXXX written as UTF-8) and line continuations; the value keeps '=' and
 * ':' after the separator ("artifactId: a=b" is "a=b"). Values are trimmed.
 * A key given twice keeps the last value.
 * Returns 0; CS_EFORMAT (message in err) when groupId, artifactId or
 * version is missing, empty or holds a control byte; CS_ENOMEM.
 */
int cs_java_parse_pom_properties(cs_java_gav *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/* The attributes of a manifest's main section that identify an archive. NULL: absent. */
typedef struct cs_java_manifest {
	const char *impl_title, *impl_version, *impl_vendor, *impl_vendor_id;
	const char *spec_title, *spec_version, *spec_vendor;
	const char *bundle_name, *bundle_symbolic_name, *bundle_version, *bundle_license;
	const char *automatic_module_name;
	const char *group_id;       /* Jenkins plugins: Group-Id */
	const char *short_name;     /* Jenkins plugins: Short-Name (the artifactId) */
	const char *plugin_version; /* Jenkins plugins: Plugin-Version */
	bool weave_classes;         /* Weave-Classes: a New Relic instrumentation module, not the library */
	const char **licenses;      /* Plugin-License-Name[-N] in order, else Bundle-License entries */
	size_t nlicenses;
} cs_java_manifest;

/*
 * Parses the main section of a MANIFEST.MF (the JAR File Specification's
 * format): lines end with CRLF, LF or CR; a line starting with one space
 * continues the previous one (the space dropped, nothing inserted); the
 * main section ends at the first empty line (the sections after it describe
 * entries, not the archive). Attribute names are compared ignoring ASCII
 * case, as java.util.jar.Attributes.Name does; a repeated one keeps its
 * last value; values are trimmed. Values that are OSGi localization keys
 * ("%bundleName"), empty, or hold a control byte are ignored. A leading
 * UTF-8 byte order mark is skipped.
 *
 * Bundle-License entries (comma-separated, quotes respected, ";link=..."
 * attributes dropped) are kept as written, except a few well-known license
 * URLs given as their SPDX id ("https://www.apache.org/licenses/LICENSE-2.0.txt"
 * -> "Apache-2.0") and "<<EXTERNAL>>", which is skipped.
 * Returns 0 or CS_ENOMEM: any byte sequence is some manifest.
 */
int cs_java_parse_manifest(cs_java_manifest *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Splits an archive's base name the way Trivy does ("spring-core-5.3.4-SNAPSHOT.jar"
 * -> "spring-core", "5.3.4-SNAPSHOT"): at the last '-' that is followed by
 * a digit, with no blank after it, and preceded by a non-empty artifactId
 * of letters, digits, '.', '_' and '-' whose last character is not '-'.
 * The extension is any of cs_java_is_archive's. Returns false (outputs
 * NULL) when the name has no such split; else true, strings from a.
 */
bool cs_java_split_filename(const char **artifact, const char **version, cs_arena *a, const char *base);

/* A groupId candidate that is one: letters, digits, '.', '_' and '-' only, not empty. */
bool cs_java_plausible_group(const char *s);

/* The META-INF/maven/<g>/<a>/pom.xml files of an archive, as hints for cs_java_identify. */
typedef struct cs_java_pomxml {
	const char *group_id, *artifact_id;
	const char **licenses; /* <licenses><license><name> of the pom.xml, when read */
	size_t nlicenses;
} cs_java_pomxml;

/*
 * Identifies an archive that has no pom.properties of its own, from its
 * base name, its manifest m (may be NULL) and its pom.xml hints (n of them):
 *
 *   artifactId, version: the file name's (cs_java_split_filename), else
 *       the manifest's: Jenkins Short-Name and Plugin-Version (first word)
 *       when Group-Id is given, then Implementation-Title/-Version,
 *       Specification-Title/-Version, Bundle-Name/-Version (Trivy's order);
 *   groupId: the first plausible one of Jenkins Group-Id,
 *       Implementation-Vendor-Id, the <g> of a pom.xml whose <a> is the
 *       artifactId, Bundle-SymbolicName and Automatic-Module-Name less
 *       their last dotted component, Implementation-Vendor,
 *       Specification-Vendor; an artifactId from the file name that starts
 *       with "<groupId>." loses that prefix (sbt's and Gradle caches' naming:
 *       "com.fasterxml.jackson.core.jackson-core-2.15.2.jar").
 *
 * Returns true with *out filled when all three are found and m does not
 * mark a New Relic instrumentation module (Weave-Classes); false otherwise.
 */
bool cs_java_identify(cs_java_gav *out, cs_arena *a, const char *base, const cs_java_manifest *m,
		      const cs_java_pomxml *poms, size_t n);

/*
 * Extracts the license names of a pom.xml: the text of each
 * <project><licenses><license><name>, entities and CDATA decoded, blanks
 * collapsed; comments and other elements skipped. A pom.xml that is not
 * well-formed enough to reach them gives none. Returns 0 or CS_ENOMEM.
 */
int cs_java_pom_licenses(const char ***out, size_t *n, cs_arena *a, const void *data, size_t len);

/* Limits on one top-level archive and everything nested in it. */
typedef struct cs_java_limits {
	unsigned max_depth;      /* nested archives more than this deep are not opened: 4 */
	uint64_t max_total;      /* uncompressed bytes read for one top-level file: 1 GiB */
	size_t max_nested_size;  /* one nested archive: 256 MiB */
	size_t max_meta;         /* one MANIFEST.MF, pom.properties or pom.xml: 4 MiB */
	size_t max_archives;     /* nested archives opened for one file: 4096 */
	cs_zip_limits zip;       /* per archive: entries, ratio (cs_zip_limits_default) */
} cs_java_limits;

void cs_java_limits_default(cs_java_limits *l);

/*
 * Parses the Java archive data[0..len) found at path (its base name is
 * the file name identification uses) into out, under lim (NULL: the
 * defaults). Packages found in a nested archive carry its path inside the
 * file as location ("WEB-INF/lib/a.jar", deeper ones joined with '!':
 * "lib/b.war!WEB-INF/lib/a.jar"). The same name and version found twice
 * in one file is reported once, where it is least deeply nested.
 *
 * A nested archive that is damaged, too large, too deep or past the budget,
 * and a pom.properties without the three coordinates, count in out->nbad;
 * the rest is still reported. Returns 0; CS_EFORMAT (not a zip archive,
 * damaged central directory) or CS_ELIMIT (too many entries) for the
 * top-level archive itself, message in err; CS_ENOMEM.
 */
int cs_java_parse_archive(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
			  const cs_java_limits *lim, cs_err *err);

/* cs_java_parse_archive with the default limits: the cataloger's parser. */
int cs_java_parse(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err);

#endif
