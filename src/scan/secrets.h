/*
 * secrets.h - the secret scanner's place in a scan (engine: src/secret/).
 *
 * Every regular file of every layer, deleted or overwritten ones included,
 * is streamed through the engine in the same read that serves the
 * analyzers (a read tap, image/stream.h), so no file is read twice and
 * none is held whole for secrets. A walk owns one cs_secrets_walk (the
 * engine's per-thread scanner plus the findings of its layer); after the
 * walks the scan decides, from the merged view, which later layer hid each
 * finding's file. The image config (Env, Labels, Cmd, Entrypoint and every
 * history step) is scanned once as well.
 */
#ifndef CS_SCAN_SECRETS_H
#define CS_SCAN_SECRETS_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "scan/model.h"
#include "secret/engine.h"

#include <cjson/cJSON.h>

/*
 * Builds the engine: the built-in rules, plus the YAML file config_path
 * when not NULL (custom rules, disabled ids, allow rules). An error names
 * the file and what is wrong.
 */
int cs_secrets_engine(cs_secret_engine **out, const char *config_path, cs_err *err);

typedef struct cs_secrets_walk cs_secrets_walk;

/*
 * Per walk: findings are tagged with layer and allocated in a (the walk's
 * arena), or, when threaded, in the secrets walk's own arena (they live
 * until cs_secrets_walk_free). Threaded, the matching runs on a second
 * thread (a lane, started at the first file) that replays what the walker
 * feeds, so reading and matching overlap; the walker's calls below stay
 * the same, and cs_secrets_walk_done must be called when the walk ends.
 */
int cs_secrets_walk_new(cs_secrets_walk **out, const cs_secret_engine *eng, cs_arena *a, int layer, bool threaded,
			cs_err *err);
/*
 * The walk is over: waits for the lane to finish matching (a no-op without
 * one). Returns the lane's error, if any, merged into err. Findings are
 * complete only after this.
 */
int cs_secrets_walk_done(cs_secrets_walk *sw, cs_err *err);
void cs_secrets_walk_free(cs_secrets_walk *sw);

/* Whether path is to be scanned; when true, feed it with cs_secrets_tap, then call _end. */
bool cs_secrets_begin(cs_secrets_walk *sw, const char *path, uint64_t size);
/* A cs_tap_fn: arg is the cs_secrets_walk. */
int cs_secrets_tap(void *arg, const void *data, size_t len, cs_err *err);
/* Ends the file: its findings join the walk's. CS_ENOMEM or the engine's error. */
int cs_secrets_end(cs_secrets_walk *sw, cs_err *err);

/* The walk's findings so far. */
size_t cs_secrets_count(const cs_secrets_walk *sw);
cs_secret *cs_secrets_get(const cs_secrets_walk *sw, size_t i);

/*
 * Scans the image config: every Env entry, Labels, Cmd, Entrypoint and each
 * history created_by. Findings (layer -1, path "config:Env" and so on) are
 * passed to add(payload, finding), allocated in a. The history text that
 * holds a secret is rewritten in place (*created_by of the history entry is
 * not touched; see cs_secrets_redact).
 */
int cs_secrets_config(const cs_secret_engine *eng, const cJSON *config, cs_arena *a,
		      int (*add)(void *payload, cs_secret *f), void *payload, cs_err *err);

/*
 * text with every secret the engine finds in it replaced by its redacted
 * match (history lines repeat build arguments verbatim, and the report
 * prints them): a copy in a, or text itself when it holds none.
 */
const char *cs_secrets_redact(const cs_secret_engine *eng, cs_arena *a, const char *label, const char *text);

#endif
