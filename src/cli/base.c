/*
 * base.c - `customs base add|list`: the catalog of known and approved base
 * images that scans match an image's leading layers against
 * (base/base.h, docs/base-image.md). Arguments in, catalog calls, one line
 * or one table out.
 */
#include "core/compat.h"
#include "cli/cli.h"
#include "base/base.h"
#include "core/log.h"

#include <getopt.h>

const char cs_cli_usage_base[] =
	"usage: customs base add [--catalog FILE] [--name NAME[:TAG]] [--approved] [--platform P] IMAGE\n"
	"       customs base list [--catalog FILE]\n"
	"\n"
	"The catalog of known base images. A scan whose image starts with the layers\n"
	"of a catalog entry reports that entry as its base (the longest match wins),\n"
	"with its name and whether it is approved; without a match the base is found\n"
	"from the image's history.\n"
	"\n"
	"  add IMAGE        record IMAGE (any target 'customs image' takes): its config\n"
	"                   digest and layer diff_ids, under --name or its first repo\n"
	"                   tag; an entry with the same digest is replaced. The file is\n"
	"                   created when missing and replaced atomically.\n"
	"  list             print the catalog's entries\n"
	"\n"
	"Options:\n"
	"  --catalog FILE     the catalog, JSON or YAML (default: $CUSTOMS_BASE_CATALOG,\n"
	"                     else $XDG_CONFIG_HOME/customs/base-catalog.json, else\n"
	"                     ~/.config/customs/base-catalog.json; scans read the same\n"
	"                     default, or --base-catalog FILE)\n"
	"  --name NAME[:TAG]  the name to record (default: the image's first repo tag)\n"
	"  --approved         mark the image approved (policies can require an approved base)\n"
	"  --platform P       os/arch[/variant] of a multi-platform image\n"
	"\n"
	"Examples:\n"
	"  customs base add --approved --name debian:12-slim docker-archive:debian.tar\n"
	"  customs base list\n"
	"  customs image --base-catalog bases.json app.tar\n";

typedef struct base_args {
	const char *catalog;
	const char *name;
	const char *platform;
	bool approved;
	char path[4096];
} base_args;

static int parse(int argc, char **argv, base_args *a)
{
	static const struct option longopts[] = {{"catalog", required_argument, NULL, 'c'},
						 {"name", required_argument, NULL, 'n'},
						 {"approved", no_argument, NULL, 'a'},
						 {"platform", required_argument, NULL, 'p'},
						 {"help", no_argument, NULL, 'h'},
						 {NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			a->catalog = optarg;
			break;
		case 'n':
			a->name = optarg;
			break;
		case 'a':
			a->approved = true;
			break;
		case 'p':
			a->platform = optarg;
			break;
		case 'h':
			fputs(cs_cli_usage_base, stdout);
			return -1;
		default:
			if (optopt && strchr("cnp", optopt))
				return cs_cli_usage_error("option '%s' needs a value", argv[optind - 1]);
			return cs_cli_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!a->catalog)
		a->catalog = cs_base_catalog_default(a->path, sizeof(a->path));
	return 0;
}

static int base_add(base_args *a, const char *target)
{
	cs_base_catalog *cat = NULL;
	const cs_base_image *rec;
	cs_arena ar;
	cs_err err;
	int code = EXIT_OK;

	cs_err_clear(&err);
	cs_arena_init(&ar);
	if (cs_base_catalog_load(&cat, a->catalog, true, &err) < 0 ||
	    cs_base_catalog_record(cat, target, a->platform, a->name, a->approved, &rec, &err) < 0) {
		if (err.code == CS_EUSAGE)
			code = cs_cli_usage_error("%s", err.msg);
		else
			cs_error("%s", err.msg);
		code = code != EXIT_OK ? code : cs_cli_exit_for(err.code);
	} else if (cs_base_catalog_save(cat, a->catalog, &err) < 0) {
		cs_error("%s", err.msg);
		code = EXIT_INTERNAL; /* the input was fine: the output cannot be written */
	} else {
		printf("recorded %s (%zu layer%s, %s) in %s\n", cs_base_image_label(&ar, rec), rec->ndiff_ids,
		       rec->ndiff_ids == 1 ? "" : "s", rec->approved ? "approved" : "not approved", a->catalog);
	}
	cs_base_catalog_free(cat);
	cs_arena_release(&ar);
	return code;
}

static int base_list(base_args *a)
{
	cs_base_catalog *cat = NULL;
	cs_arena ar;
	cs_err err;
	size_t i;

	cs_err_clear(&err);
	if (cs_base_catalog_load(&cat, a->catalog, false, &err) < 0) {
		cs_error("%s", err.msg);
		return cs_cli_exit_for(err.code);
	}
	cs_arena_init(&ar);
	printf("%-40s %-8s %6s  %s\n", "NAME", "APPROVED", "LAYERS", "DIGEST");
	for (i = 0; i < cat->nimages; i++) {
		const cs_base_image *img = &cat->images[i];

		printf("%-40s %-8s %6zu  %.19s\n", cs_base_image_label(&ar, img), img->approved ? "yes" : "no",
		       img->ndiff_ids, img->digest ? img->digest : "-");
	}
	printf("\n%zu image%s in %s\n", cat->nimages, cat->nimages == 1 ? "" : "s", a->catalog);
	cs_arena_release(&ar);
	cs_base_catalog_free(cat);
	return EXIT_OK;
}

int cs_cli_base(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	base_args a;
	int r;

	memset(&a, 0, sizeof(a));
	if (!sub)
		return cs_cli_usage_error("'customs base' needs a command: add or list");
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help")) {
		fputs(cs_cli_usage_base, stdout);
		return EXIT_OK;
	}
	if (strcmp(sub, "add") && strcmp(sub, "list"))
		return cs_cli_usage_error("unknown base command '%s' (add, list)", sub);
	if ((r = parse(argc - 1, argv + 1, &a)) != 0)
		return r < 0 ? EXIT_OK : r;
	if (!strcmp(sub, "list")) {
		if (optind != argc - 1)
			return cs_cli_usage_error("'customs base list' takes no argument");
		return base_list(&a);
	}
	if (optind != argc - 2)
		return cs_cli_usage_error("'customs base add' takes one IMAGE");
	return base_add(&a, argv[argc - 1]);
}
