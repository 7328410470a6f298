/*
 * fsview.h - the merged view of an image's layers.
 *
 * Layers are applied in order (0 first): whiteouts and opaque markers of a
 * layer hide what lower layers put there, then the layer's own entries are
 * added. For every path the view keeps the layer that last wrote it and,
 * if it is gone from the final image, the layer that deleted it, so
 * analyzers can tell what the final image holds and where each file came
 * from, deleted files included. Only metadata is kept, never content.
 */
#ifndef CS_FSVIEW_H
#define CS_FSVIEW_H

#include "core/compat.h"
#include "core/error.h"
#include "scan/scan.h"

typedef struct cs_fsview cs_fsview;

int cs_fsview_new(cs_fsview **out);
void cs_fsview_free(cs_fsview *v);

/* Hides path and everything under it (a ".wh.NAME" entry of layer). */
int cs_fsview_whiteout(cs_fsview *v, const char *path, int layer);
/* Hides everything lower layers put under dir (a ".wh..wh..opq" entry). */
int cs_fsview_opaque(cs_fsview *v, const char *dir, int layer);
/*
 * Records an entry of layer. link is a symlink's target as written, or a
 * hard link's clean target path (hardlink set). CS_ENOTFOUND when a hard
 * link's target is not present: the entry is then not added.
 */
int cs_fsview_add(cs_fsview *v, const char *path, uint32_t mode, uint64_t size, const char *link,
		  bool hardlink, int layer);

/*
 * Looks a path up, following symbolic links when follow is set (see
 * cs_scan_lookup). CS_ENOTFOUND when absent or deleted; CS_ELIMIT after
 * max_hops links (a loop). out is always written: for a deleted path it
 * describes the deleted entry (deleted_by >= 0), otherwise on CS_ENOTFOUND
 * its layer and deleted_by are -1.
 */
int cs_fsview_lookup(const cs_fsview *v, const char *path, bool follow, unsigned max_hops, cs_fsinfo *out,
		     char *resolved, size_t resolved_sz, cs_err *err);

/* Present children of dir in name order (see cs_scan_list_dir). */
int cs_fsview_list(const cs_fsview *v, const char *dir,
		   int (*fn)(const char *path, const cs_fsinfo *info, void *payload), void *payload);

/* Number of paths ever recorded (present or deleted). */
size_t cs_fsview_size(const cs_fsview *v);

#endif
