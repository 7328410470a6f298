/*
 * analyzers.c - the analyzer table, generated from analyzers.def.
 */
#include "core/compat.h"
#include "catalog/analyzer.h"

#define CS_ANALYZER(id) extern const cs_analyzer cs_analyzer_##id;
#include "catalog/analyzers.def"
#undef CS_ANALYZER

const cs_analyzer *const cs_analyzers[CS_AN_COUNT] = {
#define CS_ANALYZER(id) &cs_analyzer_##id,
#include "catalog/analyzers.def"
#undef CS_ANALYZER
};
