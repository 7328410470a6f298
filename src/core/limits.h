/*
 * limits.h - every cap that keeps hostile input from exhausting the machine.
 *
 * One struct, filled with defaults by cs_limits_default and carried by the
 * scan; every reader of untrusted bytes checks against it.
 */
#ifndef CS_LIMITS_H
#define CS_LIMITS_H

#include "core/compat.h"

typedef struct cs_limits {
	uint64_t max_json;        /* bytes: manifest, index, config, manifest.json */
	uint64_t max_blob;        /* bytes: one compressed layer blob */
	uint64_t max_layer;       /* bytes: one uncompressed layer tar */
	uint64_t max_file;        /* bytes: one file handed whole to an analyzer */
	uint64_t max_entries;     /* tar entries in one layer */
	uint32_t max_ratio;       /* uncompressed:compressed ratio allowed ... */
	uint64_t ratio_floor;     /* ... once more than this many bytes came out */
	uint32_t max_layers;      /* layers in one image */
	uint32_t max_index_depth; /* nested OCI indexes */
	uint32_t max_symlinks;    /* hops when resolving a path in the merged view */
	uint64_t max_sbom;        /* bytes: one SBOM document (`customs sbom`) */
	uint64_t max_sbom_values; /* JSON values in one SBOM: bounds the parsed tree's memory */
	uint64_t max_sbom_packages; /* components or packages in one SBOM */
	uint32_t max_sbom_depth;  /* JSON nesting levels in one SBOM (CycloneDX components nest) */
} cs_limits;

void cs_limits_default(cs_limits *l);

#endif
