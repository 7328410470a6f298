/*
 * engine.h - finds secrets in a stream of bytes, one pass, at memory speed.
 *
 * Three objects:
 *
 *   cs_secret_engine   built once per process from the built-in rules and
 *                      an optional config: one Vectorscan streaming database
 *                      holding every rule's regex and every rule's keywords,
 *                      the PCRE2 (JIT) code of each rule, the allow rules.
 *                      Immutable once built; share it between threads.
 *   cs_secret_scanner  per thread: Vectorscan scratch, PCRE2 match data,
 *                      the stream of the file being scanned and a 16 KiB
 *                      history of its last bytes. Not thread-safe; one file
 *                      at a time.
 *   cs_secret_finding  what a callback receives: rule, line, column and the
 *                      match with the secret redacted.
 *
 * Use per file (the walker reads tar entries in blocks; a file is never
 * held whole):
 *
 *     if (cs_secret_file_begin(sc, path, size)) {
 *             while ((n = read_block(buf)) > 0)
 *                     if ((rc = cs_secret_file_feed(sc, buf, n)) < 0) ...
 *             rc = cs_secret_file_end(sc, on_finding, payload);
 *     }
 *
 * How a finding is made (docs/secrets.md has the why):
 *  1. Vectorscan reports, without start of match, the end offset of every
 *     match of every rule and the first occurrence of each keyword.
 *  2. The gate: a rule's hit counts only if one of its keywords ended at or
 *     before the hit's end (rules without keywords have no gate).
 *  3. Only there, PCRE2 re-runs that one rule on a window of the stream
 *     around the hit (up to CS_SECRET_MAX_MATCH bytes either side, from the
 *     history and the current block) and finds the exact match, its start
 *     and the secret's capture group. A match still growing at the end of a
 *     block waits for the next block (PCRE2 partial matching), so the
 *     findings do not depend on how the file was cut into blocks.
 *  4. The secret must pass the value checks (allow rules, placeholders,
 *     entropy, shape for generic rules); the finding keeps only the match
 *     with the secret redacted, never the secret.
 *  5. At the end of the file, binary files keep only high-confidence rules
 *     (CS_SR_BIN; a file is binary when its first 8000 bytes hold a NUL
 *     byte), exclude blocks are applied, and of findings whose secrets
 *     overlap only the one of the earliest rule in precedence order stays.
 *
 * Rules with a path condition live in a second database whose stream only
 * runs for the files they apply to. Matches are bounded: a match longer
 * than CS_SECRET_MAX_MATCH bytes is not confirmed. Bytes past the
 * configured size cap (default 64 MiB) are not scanned;
 * cs_secret_file_truncated() says so.
 */
#ifndef CS_SECRET_ENGINE_H
#define CS_SECRET_ENGINE_H

#include "core/compat.h"
#include "core/error.h"
#include "secret/config.h"
#include "secret/rules.h"

/* Longest match PCRE2 confirms, bytes (also the look-back window). */
#define CS_SECRET_MAX_MATCH 4096
/* Default cap on the bytes scanned per file. */
#define CS_SECRET_DEFAULT_MAX_FILE ((uint64_t)64 << 20)
/* Findings kept per file; more are counted, not delivered. */
#define CS_SECRET_MAX_FINDINGS 1000
/* Longest redacted match delivered, bytes (longer ones are cut to end with "..."). */
#define CS_SECRET_MAX_SHOWN 160

typedef struct cs_secret_engine cs_secret_engine;
typedef struct cs_secret_scanner cs_secret_scanner;

typedef struct cs_secret_finding {
	const char *rule_id;        /* borrowed from the engine: valid while it lives */
	const char *category;       /* idem */
	const char *title;          /* idem */
	cs_secret_severity severity;
	const char *severity_name;  /* "high": cs_secret_severity_name(severity) */
	uint64_t line;              /* 1-based line of the match start */
	uint64_t column;            /* 1-based byte column of the match start */
	uint64_t offset;            /* byte offset of the match start in the file */
	uint64_t length;            /* bytes of the match in the file (for redacting text in place) */
	/*
	 * The match, each secret capture replaced by its first and last few
	 * bytes around "*****" (cs_secret_redact_keep; short secrets are all
	 * stars), control bytes shown as '.', at most CS_SECRET_MAX_SHOWN
	 * bytes. Borrowed: valid during the callback only.
	 */
	const char *match;
} cs_secret_finding;

/* Receives one finding; a negative return stops delivery and is returned. */
typedef int (*cs_secret_cb)(const cs_secret_finding *f, void *payload);

/*
 * Builds the engine from the built-in rules and cfg (NULL: built-ins
 * only, default limits). cfg is only read during the call. Compiles one
 * Vectorscan database (a few hundred milliseconds), so build it once per
 * process. A custom regex that Vectorscan cannot compile as written (e.g.
 * look-around) is compiled in prefilter mode and PCRE2 decides; one that
 * neither accepts is an error naming the config file and the rule.
 * CS_EFORMAT, CS_ENOMEM, CS_ERR.
 */
int cs_secret_engine_new(cs_secret_engine **out, const cs_secret_config *cfg, cs_err *err);
void cs_secret_engine_free(cs_secret_engine *eng);

/* Rules the engine runs (built-in and custom, after disable/enable). */
size_t cs_secret_engine_rule_count(const cs_secret_engine *eng);
/* The i-th rule, in precedence order; NULL past the end. Borrowed. */
const cs_secret_rule *cs_secret_engine_rule(const cs_secret_engine *eng, size_t i);

/* A scanner for one thread. eng must outlive it. CS_ENOMEM, CS_ERR. */
int cs_secret_scanner_new(cs_secret_scanner **out, const cs_secret_engine *eng, cs_err *err);
void cs_secret_scanner_free(cs_secret_scanner *sc);

/*
 * Starts a file. path is the clean path inside the image ("etc/app.env",
 * or a label such as "config:Env") and decides the path allow rules and
 * path-scoped rules; size may be 0 when unknown. Returns false when the
 * file need not be read at all (a global allow rule covers the path, or
 * no rule applies to it): then do not call feed or end. Ends any file
 * still open (its findings are dropped).
 */
bool cs_secret_file_begin(cs_secret_scanner *sc, const char *path, uint64_t size);

/*
 * Whether cs_secret_file_begin would say yes to path, without starting the
 * file (no stream is reset): for a reader that hands the scanning to
 * another thread's scanner. Ends any file still open.
 */
bool cs_secret_file_wanted(cs_secret_scanner *sc, const char *path, uint64_t size);

/*
 * Scans the next len bytes of the file. Blocks may have any size,
 * including 0 and 1. CS_ENOMEM or CS_ERR (the scanner failed; the file's
 * findings are lost), 0 otherwise.
 */
int cs_secret_file_feed(cs_secret_scanner *sc, const void *data, size_t len);

/*
 * Finishes the file and calls cb once per finding, in offset order (cb
 * NULL: the findings are dropped, e.g. when the walker abandons a file).
 * Returns the number of findings, or a negative code (cb's negative
 * return, CS_ENOMEM, CS_ERR). The scanner's copy of the file's last bytes
 * is wiped. The scanner is then ready for the next begin.
 */
int cs_secret_file_end(cs_secret_scanner *sc, cs_secret_cb cb, void *payload);

/* True when the file just ended had more bytes than the size cap. */
bool cs_secret_file_truncated(const cs_secret_scanner *sc);
/* Findings of the file just ended that were dropped past CS_SECRET_MAX_FINDINGS. */
size_t cs_secret_file_dropped(const cs_secret_scanner *sc);

/*
 * Scans one small in-memory string as a whole file named label (an image
 * config Env entry, a history created_by): begin + feed + end. Returns as
 * cs_secret_file_end; 0 when label is allowed.
 */
int cs_secret_scan_buffer(cs_secret_scanner *sc, const char *label, const void *data, size_t len,
			  cs_secret_cb cb, void *payload);

#endif
