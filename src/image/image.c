/*
 * image.c - target parsing, format detection and shared image plumbing
 * (see image.h). The formats themselves are in docker.c and oci.c, the
 * config in config.c.
 */
#include "core/compat.h"
#include "image/image.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strutil.h"
#include "image/ref.h"
#include "image/registry.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Transports that later sources will serve; named so the error can say so. */
static const char *const later_transports[] = {
	"containers-storage", "dir",
};

void cs_image_free(cs_image *img)
{
	if (!img)
		return;
	cs_store_free(img->store);
	cJSON_Delete(img->config);
	cs_arena_release(&img->arena);
	free(img);
}

int cs_image_read_json(cs_image *img, const char *member, const char *digest, char got[CS_DIGEST_MAX],
		       cJSON **out, cs_err *err)
{
	cs_buf b;
	char what[512], mine[CS_DIGEST_MAX];
	int code;

	*out = NULL;
	if (cs_store_is_registry(img->store))
		snprintf(what, sizeof(what), "'%s' (%s)", cs_store_path(img->store), member);
	else
		snprintf(what, sizeof(what), "'%s%s%s'", cs_store_path(img->store),
			 cs_store_is_dir(img->store) ? "/" : ":", member);
	cs_buf_init(&b, 0);
	code = cs_store_read(img->store, member, img->lim.max_json, &b, err);
	if (code == CS_ENOTFOUND) {
		code = cs_err_set(err, CS_ENOTFOUND, "%s: missing", what);
		goto done;
	}
	if (code < 0)
		goto done;
	if (!got)
		got = mine;
	if (digest || got != mine) {
		if ((code = cs_sha256_buf(b.data, b.len, got)) < 0) {
			cs_err_set(err, code, "cannot hash %s", what);
			goto done;
		}
		if (digest && strcmp(got, digest) != 0) {
			code = cs_err_set(err, CS_EDIGEST, "%s: digest mismatch: expected %s, content is %s", what,
					  digest, got);
			goto done;
		}
	}
	*out = cs_json_parse(b.data, b.len, what, err);
	if (!*out)
		code = CS_EFORMAT;
done:
	cs_buf_release(&b);
	return code;
}

int cs_image_open_layer(cs_image *img, size_t i, cs_stream **out, cs_err *err)
{
	int code;

	if (i >= img->nlayers)
		return cs_err_set(err, CS_ENOTFOUND, "no layer %zu", i);
	code = cs_store_open(img->store, img->layers[i].member, out, err);
	if (code == CS_ENOTFOUND)
		code = cs_err_set(err, CS_ENOTFOUND, "layer %zu '%s': blob '%s' is missing from '%s'", i,
				  img->layers[i].digest[0] ? img->layers[i].digest : img->layers[i].member,
				  img->layers[i].member, cs_store_path(img->store));
	return code;
}

int cs_platform_parse(const char *p, char os[64], char arch[64], char variant[64], cs_err *err)
{
	const char *s1 = strchr(p, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
	size_t alen;

	if (!s1 || s1 == p || !s1[1] || s1[1] == '/' || (s2 && (!s2[1] || strchr(s2 + 1, '/'))) ||
	    (size_t)(s1 - p) >= 64 || strlen(s1 + 1) >= 64)
		return cs_err_set(err, CS_EUSAGE, "'%s': a platform is os/arch[/variant], like linux/arm64/v8", p);
	alen = s2 ? (size_t)(s2 - s1 - 1) : strlen(s1 + 1);
	snprintf(os, 64, "%.*s", (int)(s1 - p), p);
	snprintf(arch, 64, "%.*s", (int)alen, s1 + 1);
	snprintf(variant, 64, "%s", s2 ? s2 + 1 : "");
	if (!strcmp(arch, "x86_64") || !strcmp(arch, "x86-64"))
		snprintf(arch, 64, "amd64");
	else if (!strcmp(arch, "aarch64"))
		snprintf(arch, 64, "arm64");
	return 0;
}

/* Splits "PATH[:REF]" at the first ':' (as skopeo does). */
static void split_ref(cs_arena *a, const char *s, const char **path, const char **ref)
{
	const char *colon = strchr(s, ':');

	if (colon) {
		*path = cs_arena_strndup(a, s, (size_t)(colon - s));
		*ref = colon[1] ? cs_arena_strdup(a, colon + 1) : NULL;
	} else {
		*path = cs_arena_strdup(a, s);
		*ref = NULL;
	}
}

/* The later transport target is written in, or NULL. */
static const char *later_transport(const char *target)
{
	const char *colon = strchr(target, ':');
	size_t i, n = colon ? (size_t)(colon - target) : 0;

	for (i = 0; colon && i < CS_ARRAY_LEN(later_transports); i++)
		if (strlen(later_transports[i]) == n && memcmp(later_transports[i], target, n) == 0)
			return later_transports[i];
	return NULL;
}

static bool looks_like_scheme(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-' || (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

/* A path that can only be read once, front to back: "-" (standard input), a pipe, a character device. */
static bool is_stream_path(const char *path)
{
	struct stat sb;

	if (!strcmp(path, "-"))
		return true;
	return stat(path, &sb) == 0 && (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode));
}

/* The streamed-image side of an image already named and limited: src (owned) as its stream store. */
static int stream_into(cs_image *img, const char *label, cs_stream *src, const char *ref, cs_err *err)
{
	int code;

	if ((code = cs_store_open_stream(&img->store, label, src, &img->lim, err)) < 0)
		return code;
	img->transport = "docker-archive";
	img->streamed = true;
	img->ref = ref;
	return 0;
}

/* A docker archive from a pipe: a streamed image. */
static int open_pipe(cs_image *img, const char *path, const char *ref, cs_err *err)
{
	bool in = !strcmp(path, "-");
	cs_stream *s;
	int fd, code;

	if (img->transport && strcmp(img->transport, "docker-archive") != 0)
		return cs_err_set(err, CS_EUSAGE, "'%s': only a docker archive can be read from a pipe, not %s",
				  img->name, img->transport);
	if (in && isatty(STDIN_FILENO))
		return cs_err_set(err, CS_EUSAGE, "'%s': standard input is a terminal, not a docker archive",
				  img->name);
	fd = in ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cs_err_set(err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot open '%s': %s",
				  in ? "standard input" : path, strerror(errno));
	if ((code = cs_stream_open_fd(&s, fd, in ? "standard input" : path, err)) < 0)
		return code;
	return stream_into(img, in ? "standard input" : path, s, ref, err);
}

static int open_store(cs_image *img, const char *path, bool want_dir, const cs_limits *lim, cs_err *err)
{
	struct stat sb;

	if (stat(path, &sb) < 0)
		return cs_err_set(err, errno == ENOENT ? CS_ENOTFOUND : CS_EIO, "cannot open '%s': %s", path,
				  strerror(errno));
	if (want_dir && !S_ISDIR(sb.st_mode))
		return cs_err_set(err, CS_EFORMAT, "'%s': not a directory (an OCI layout is a directory)", path);
	if (S_ISDIR(sb.st_mode))
		return cs_store_open_dir(&img->store, path, err);
	if (!S_ISREG(sb.st_mode))
		return cs_err_set(err, CS_EFORMAT, "'%s': not a regular file or directory", path);
	return cs_store_open_tar(&img->store, path, lim, err);
}

int cs_image_loaded(cs_image *img, const char *what, cs_err *err)
{
	char pos[64], parch[64], pvariant[64];

	if (img->nlayers > img->lim.max_layers)
		return cs_err_set(err, CS_ELIMIT, "'%s': %zu layers, more than the %u allowed", what, img->nlayers,
				  img->lim.max_layers);
	/*
	 * An index was resolved by platform already; a single image must match
	 * it. Configs often omit the variant an index states (arm64 is v8), so
	 * only a variant both sides name can disagree.
	 */
	if (img->platform && img->os && img->arch &&
	    cs_platform_parse(img->platform, pos, parch, pvariant, NULL) == 0) {
		char ios[64], iarch[64], ivar[64];
		char whole[200];

		snprintf(whole, sizeof(whole), "%s/%s%s%s", img->os, img->arch, img->variant ? "/" : "",
			 img->variant ? img->variant : "");
		if (cs_platform_parse(whole, ios, iarch, ivar, NULL) == 0 &&
		    (strcmp(ios, pos) || strcmp(iarch, parch) || (pvariant[0] && ivar[0] && strcmp(ivar, pvariant))))
			return cs_err_set(err, CS_ENOTFOUND, "'%s': the image is %s, not %s", what, whole,
					  img->platform);
	}
	return 0;
}

static cs_image *image_new(const char *name, const cs_limits *lim)
{
	cs_image *img = calloc(1, sizeof(*img));

	if (!img)
		return NULL;
	cs_arena_init(&img->arena);
	if (lim)
		img->lim = *lim;
	else
		cs_limits_default(&img->lim);
	if (!(img->name = cs_arena_strdup(&img->arena, name))) {
		cs_image_free(img);
		return NULL;
	}
	return img;
}

int cs_image_open_stream(cs_image **out, const char *name, cs_stream *src, const char *ref, const cs_limits *lim,
			 cs_err *err)
{
	cs_image *img = image_new(name, lim);
	int code;

	*out = NULL;
	if (!img) {
		cs_stream_close(src);
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	}
	if (ref && !(ref = cs_arena_strdup(&img->arena, ref))) {
		cs_stream_close(src);
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
	} else {
		code = stream_into(img, name, src, ref, err);
	}
	if (code < 0) {
		cs_image_free(img);
		return code;
	}
	*out = img;
	return 0;
}

/*
 * A bare target that does not exist but is written like a file (an
 * absolute or ./ path, an archive's extension) is not sent to a registry:
 * "app.tar" misspelt must not become docker.io/library/app.tar:latest.
 */
static bool looks_like_path(const char *t)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz", ".tar.bz2", ".oci"};
	size_t i;

	if (t[0] == '/' || t[0] == '.' || t[0] == '~')
		return true;
	for (i = 0; i < CS_ARRAY_LEN(ext); i++)
		if (cs_str_ends(t, ext[i]))
			return true;
	return false;
}

/* Opens img->store on the registry refstr names; img->transport is "docker". */
static int open_registry(cs_image *img, const char *label, const char *refstr, const cs_registry_opts *reg,
			 const cs_limits *lim, cs_err *err)
{
	char canon[CS_REF_NAME_MAX * 2 + 160];
	cs_ref ref;
	int code;

	if ((code = cs_ref_parse(&ref, refstr, err)) < 0)
		return CS_EUSAGE;
	img->transport = "docker";
	if ((code = cs_store_open_registry(&img->store, label, &ref, reg, lim, err)) < 0)
		return code;
	/* the tag it was pulled by, as docker lists it */
	if (ref.tag[0]) {
		snprintf(canon, sizeof(canon), "%s/%s:%s", ref.domain, ref.repo, ref.tag);
		img->repo_tags = cs_arena_calloc(&img->arena, 1, sizeof(*img->repo_tags));
		if (!img->repo_tags || !(img->repo_tags[0] = cs_arena_strdup(&img->arena, canon)))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		img->nrepo_tags = 1;
	}
	return 0;
}

int cs_image_open(cs_image **out, const char *target, const char *platform, const cs_limits *lim,
		  cs_err *err)
{
	return cs_image_open_reg(out, target, platform, lim, NULL, err);
}

int cs_image_open_reg(cs_image **out, const char *target, const char *platform, const cs_limits *lim,
		      const cs_registry_opts *reg, cs_err *err)
{
	cs_image *img;
	const char *path = NULL, *ref = NULL, *colon;
	char pos[64], parch[64], pvariant[64];
	const char *later;
	struct stat sb;
	int code = 0;
	size_t i;
	cs_ref probe;

	*out = NULL;
	img = image_new(target, lim);
	if (!img)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (platform && (code = cs_platform_parse(platform, pos, parch, pvariant, err)) < 0)
		goto done;
	img->platform = platform ? cs_arena_strdup(&img->arena, platform) : NULL;
	colon = strchr(target, ':');

	if (cs_str_starts(target, "docker-daemon:") || cs_str_starts(target, "podman:")) {
		img->transport = target[0] == 'p' ? "podman" : "docker-daemon";
		code = cs_daemon_open(img, img->transport, colon + 1, err);
		goto done;
	} else if (cs_str_starts(target, "docker-archive:")) {
		img->transport = "docker-archive";
		split_ref(&img->arena, target + 15, &path, &ref);
	} else if (cs_str_starts(target, "oci-archive:")) {
		img->transport = "oci-archive";
		split_ref(&img->arena, target + 12, &path, &ref);
	} else if (cs_str_starts(target, "oci:")) {
		img->transport = "oci";
		split_ref(&img->arena, target + 4, &path, &ref);
	} else if (cs_str_starts(target, "docker://")) {
		if ((code = open_registry(img, target, target + 9, reg, lim, err)) < 0)
			goto done;
	} else if (cs_str_starts(target, "docker:")) {
		code = cs_err_set(err, CS_EUSAGE, "'%s': the docker transport is written docker://NAME", target);
		goto done;
	} else if (stat(target, &sb) == 0) {
		path = target; /* an existing file or directory wins over a reference */
	} else if ((later = later_transport(target))) {
		code = cs_err_set(err, CS_EUSAGE,
				  "'%s': the %s transport is not supported yet (use docker://, docker-archive:, oci:, oci-archive: or a path)",
				  target, later);
		goto done;
	} else if (!looks_like_path(target) && cs_ref_parse(&probe, target, NULL) == 0) {
		if ((code = open_registry(img, target, target, reg, lim, err)) < 0)
			goto done;
	} else if (!colon || !looks_like_scheme(target, (size_t)(colon - target))) {
		path = target;
	} else {
		code = cs_err_set(err, CS_EUSAGE,
				  "'%s': no such file, not an image reference, and '%.*s' is not a known transport (use docker://, docker-archive:, oci:, oci-archive: or a path)",
				  target, (int)(colon - target), target);
		goto done;
	}
	if (img->store) {
		/* a registry: presented as an OCI layout, read by the same parser */
		path = target;
	} else if (!path || !*path) {
		code = cs_err_set(err, CS_EUSAGE, "'%s': no path given", target);
		goto done;
	} else if (is_stream_path(path)) {
		code = open_pipe(img, path, ref, err);
		goto done;
	} else if ((code = open_store(img, path, img->transport && !strcmp(img->transport, "oci"), lim, err)) < 0) {
		goto done;
	}

	if (!img->transport) {
		/* A bare path: the files inside say which format it is. */
		if (cs_store_has(img->store, "oci-layout") || (!cs_store_is_dir(img->store) &&
							       cs_store_has(img->store, "index.json")))
			img->transport = cs_store_is_dir(img->store) ? "oci" : "oci-archive";
		else if (cs_store_has(img->store, "manifest.json"))
			img->transport = "docker-archive";
		else {
			code = cs_err_set(err, CS_EFORMAT,
					  "'%s': not a container image (no manifest.json, oci-layout or index.json)%s",
					  path, cs_store_is_dir(img->store) ? "; for a root filesystem use 'customs rootfs'" : "");
			goto done;
		}
	}
	if (!strcmp(img->transport, "docker-archive"))
		code = cs_docker_load(img, ref, err);
	else
		code = cs_oci_load(img, ref, platform, err);
	if (code < 0)
		goto done;
	if (cs_store_is_registry(img->store)) {
		uint64_t bytes = 0;

		for (i = 0; i < img->nlayers; i++)
			bytes += img->layers[i].size;
		cs_store_plan(img->store, img->nlayers, bytes);
	}
	code = cs_image_loaded(img, path, err);
done:
	if (code < 0) {
		cs_image_free(img);
		return code;
	}
	*out = img;
	return 0;
}
