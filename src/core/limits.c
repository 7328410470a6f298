/*
 * limits.c - default resource caps (see limits.h).
 */
#include "core/compat.h"
#include "core/limits.h"

void cs_limits_default(cs_limits *l)
{
	l->max_json = 16u << 20;
	l->max_blob = 64ull << 30;
	l->max_layer = 128ull << 30;
	l->max_file = 64u << 20;
	l->max_entries = 2000000;
	/* gzip tops out near 1032:1; only a crafted stream goes far past it. */
	l->max_ratio = 2000;
	l->ratio_floor = 64u << 20;
	l->max_layers = 1000;
	l->max_index_depth = 8;
	l->max_symlinks = 40;
	/*
	 * The largest real SBOMs (images with tens of thousands of packages)
	 * are tens of MiB with a few million JSON values; a parsed value costs
	 * about 80 bytes, so 8M values cap the tree near 640 MiB.
	 */
	l->max_sbom = 256u << 20;
	l->max_sbom_values = 8u << 20;
	l->max_sbom_packages = 500000;
	l->max_sbom_depth = 64;
}
