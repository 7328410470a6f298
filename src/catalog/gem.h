/*
 * gem.h - Ruby gems: installed gemspecs and Gemfile.lock, as pure parsers.
 *
 * The gem cataloger (gem.c) reads two kinds of file:
 *
 *   .../specifications/[...]/<name>-<version>.gemspec
 *       the specification RubyGems writes for every installed gem
 *       (usr/lib/ruby/gems/3.1.0/specifications/, its default/ subdirectory
 *       for the gems bundled with Ruby, Debian's
 *       usr/share/rubygems-integration/all/specifications/, a bundle's
 *       vendor/bundle/ruby/3.1.0/specifications/...);
 *   Gemfile.lock (and Gemfile.next.lock)
 *       what Bundler resolved for an application: a lockfile, reported for
 *       root filesystem scans only (see langcat.h).
 *
 * A gemspec is Ruby code (Gem::Specification#to_ruby's output). It is not
 * evaluated: like Trivy, the parser reads the assignments to the block
 * variable of `Gem::Specification.new do |s|` line by line, and only when
 * their values are literals (strings, %q strings, arrays of them,
 * Gem::Version.new("...")). The parsers know nothing of scans or layers;
 * results come from the caller's arena.
 */
#ifndef CS_GEM_H
#define CS_GEM_H

#include "core/compat.h"
#include "catalog/analyzer.h"
#include "catalog/langcat.h"
#include "core/arena.h"
#include "core/error.h"

/* The analyzer (name "gem"), listed in catalog/analyzers.def. */
extern const cs_analyzer cs_analyzer_gem;

/* What a path names (cs_gem_kind). */
enum {
	CS_GEM_NONE = 0,
	CS_GEM_SPEC, /* a "specifications" directory above, a name ending in ".gemspec" */
	CS_GEM_LOCK, /* Gemfile.lock, Gemfile.next.lock */
};

/* Classifies a clean relative path; no I/O (cheap enough for wants()). */
int cs_gem_kind(const char *path);

/*
 * Parses an installed gemspec into one package: name, version (surrounding
 * blanks trimmed, as Gem::Version does), licenses (the last of `licenses =`
 * and `license =` wins, as both set the same attribute; a lone string given
 * to `licenses =` is one license, as RubyGems' Array() makes it) and
 * pkg:gem/<name>@<version>.
 *
 * The block variable is the one between bars on the `Gem::Specification.new`
 * line; only `<var>.<attr> = <value>` lines count (another receiver is not
 * the specification: Trivy's "malformed variable name" case). A later
 * assignment replaces an earlier one. A value that is not a literal
 * (`Foo::VERSION`, an interpolating string) is not guessed: the assignment
 * is ignored. Reading stops at a second `Gem::Specification.new`. Comments,
 * =begin/=end blocks, a UTF-8 byte order mark and CRLF are handled.
 *
 * Returns 0; CS_EFORMAT (message in err) when there is no specification
 * block, or no literal non-empty name or version, or either holds a control
 * byte; CS_ENOMEM.
 */
int cs_gem_parse_spec(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/*
 * Parses a Gemfile.lock: the specs of the GEM, GIT, PATH and PLUGIN SOURCE
 * sections (Bundler's sources; syft reads the same), each a line indented
 * by exactly four spaces: "name (version)" or "name (version-platform)".
 * The platform is dropped (RubyGems versions hold no '-'; Trivy drops it
 * too), and a gem listed for several platforms counts once. A spec line of
 * another shape is counted in out->nbad. out->lockfile is set. A file with
 * no such section yields no package and no error (Trivy's "malformed"
 * case). Returns 0 or CS_ENOMEM.
 */
int cs_gem_parse_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err);

/* The cataloger's parser: by cs_gem_kind(path); CS_ENOTFOUND for other paths. */
int cs_gem_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err);

#endif
