/*
 * locate.h - where the vulnerability database lives.
 *
 * --db PATH wins, then $CUSTOMS_DB, then $XDG_CACHE_HOME/customs/db.sqlite,
 * then ~/.cache/customs/db.sqlite.
 */
#ifndef CS_VDB_LOCATE_H
#define CS_VDB_LOCATE_H

#include "core/compat.h"

/* Writes the path to use into out (outsz bytes); option may be NULL. Returns out. */
const char *cs_vdb_locate(const char *option, char *out, size_t outsz);

/*
 * Age in seconds of a database built at built_at (RFC 3339 UTC, as
 * cs_vdb_get_info reports it) at time now; -1 when built_at is unreadable.
 */
long long cs_vdb_age(const char *built_at, long long now);

#endif
