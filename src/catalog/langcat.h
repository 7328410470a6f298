/*
 * langcat.h - the common half of every language cataloger.
 *
 * A language cataloger reads one kind of file (a package.json, a jar, a
 * Cargo.lock, a Go executable) and finds packages in it. What differs
 * between ecosystems is only that reading: a pure function from bytes to a
 * list of packages, which unit tests and fuzz targets call directly. The
 * rest is the same for all of them and lives here:
 *
 *   parse()  on a worker thread, per wanted file per layer: runs the
 *            ecosystem's parser and keeps its result in the layer's state;
 *   finish() on the main thread, once the merged view exists: for every
 *            file the final image holds (a file deleted or replaced by a
 *            later layer does not count), emits its packages, each
 *            attributed to the lowest layer that held the same file with
 *            the same package, owned by the OS package whose file list has
 *            the file, with its package URL; files the parser refused are
 *            reported as warnings naming the file, and the scan goes on.
 *
 * A cataloger is then a wants() test, a parser and one line:
 *
 *     static const cs_langcat npm = { CS_AN_npm, "npm", "node packages", npm_parse_file, NULL };
 *     CS_LANGCAT_ANALYZER(npm, "npm", npm_wants, 0, npm);
 */
#ifndef CS_LANGCAT_H
#define CS_LANGCAT_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "core/arena.h"
#include "core/error.h"

/* One package a parser found. Strings hold no NUL and no control byte. */
typedef struct cs_langpkg {
	const char *name;     /* as the ecosystem names it: "@babel/core", "org.slf4j:slf4j-api" */
	const char *version;
	const char *purl;     /* the package URL, or NULL when there is none */
	const char *purl_error; /* why building it failed (a warning), or NULL: none on purpose (a path crate) */
	const char *arch;     /* or NULL */
	const char **licenses; /* as the metadata gives them; may be NULL */
	size_t nlicenses;
	/*
	 * Where inside the file the package was read, when that is not the
	 * file itself (a jar nested in a war: "WEB-INF/lib/a.jar"), else NULL.
	 * The report's found_in is then "<file>!<location>" (as in jar URLs).
	 */
	const char *location;
} cs_langpkg;

/* What a parser found in one file. */
typedef struct cs_langfile {
	cs_langpkg *pkgs; /* arena array */
	size_t npkgs;
	/*
	 * A lockfile (package-lock.json, Cargo.lock, go.mod...) says what a
	 * build would install, not what is installed: its packages are reported
	 * for directories (customs rootfs) only, the way Trivy and Syft treat
	 * images.
	 */
	bool lockfile;
	size_t nbad;      /* entries skipped as malformed: one warning for the file */
} cs_langfile;

/*
 * An ecosystem's parser: reads data[0..len) (data[len] is a NUL byte)
 * found at path (clean, relative) and fills out from arena a.
 * Returns 0; CS_ENOTFOUND when the file is not of this kind after all
 * (ignored silently: a script among executables); CS_EFORMAT with a
 * message when it is but cannot be read (reported for the final copy,
 * the scan goes on); CS_ELIMIT likewise; CS_ENOMEM.
 */
typedef int (*cs_langcat_parse_fn)(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
				    cs_err *err);

typedef struct cs_langcat {
	int id;             /* CS_AN_<id>: the analyzer's state slot */
	const char *type;   /* package type in the report: "npm", "cargo", "maven" */
	const char *what;   /* plural noun for messages: "node packages" */
	cs_langcat_parse_fn parse;
	/*
	 * Optional: true when the final image's copy of path is to be passed
	 * over (python: an egg-info PKG-INFO beside a METADATA). NULL: never.
	 */
	bool (*skip)(cs_scan *s, const char *path);
} cs_langcat;

/* The analyzer's parse() and finish() bodies. */
int cs_langcat_parse(const cs_langcat *c, cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len,
		     cs_err *err);
int cs_langcat_finish(const cs_langcat *c, cs_scan *s, cs_err *err);

/*
 * Defines `const cs_analyzer cs_analyzer_<id>` (listed in analyzers.def)
 * from a wants() function, a size limit (0: the scan's) and a cs_langcat.
 */
#define CS_LANGCAT_ANALYZER(id, name_, wants_, max_size_, cat)                                          \
	static int id##_langcat_parse(cs_walk *w, const cs_entry *e, const uint8_t *data, size_t len, \
				      cs_err *err)                                                      \
	{                                                                                               \
		return cs_langcat_parse(&(cat), w, e, data, len, err);                                   \
	}                                                                                               \
	static int id##_langcat_finish(cs_scan *s, cs_err *err)                                         \
	{                                                                                               \
		return cs_langcat_finish(&(cat), s, err);                                                \
	}                                                                                               \
	const cs_analyzer cs_analyzer_##id = {                                                          \
		.name = (name_),                                                                        \
		.scanners = 0,                                                                          \
		.max_size = (max_size_),                                                                \
		.wants = (wants_),                                                                      \
		.parse = id##_langcat_parse,                                                            \
		.finish = id##_langcat_finish,                                                          \
	}

/*
 * Helpers for parsers: appending to a growing package array (doubling,
 * from the arena). cs_langfile_add() returns a zeroed slot or NULL when out
 * of memory; *cap is the caller's capacity counter (start at 0).
 */
cs_langpkg *cs_langfile_add(cs_langfile *f, size_t *cap, cs_arena *a);

#endif
