/*
 * importers.c - the importer table, generated from importers.def.
 */
#include "core/compat.h"
#include "vulndb/import.h"

const cs_vdb_importer *const cs_vdb_importers[CS_IMP_COUNT] = {
#define CS_IMPORTER(id) &cs_importer_##id,
#include "vulndb/importers.def"
#undef CS_IMPORTER
};
