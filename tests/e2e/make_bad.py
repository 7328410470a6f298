#!/usr/bin/env python3
"""make_bad.py - small valid images and hostile variants for tests/e2e/run.sh.

    tests/e2e/make_bad.py OUTDIR

Builds, from scratch and deterministically (fixed mtimes, gzip mtime 0), a
tiny Debian-like image of two layers as an OCI layout, an OCI archive and a
docker archive, then breaks copies of it one way each: corrupt and truncated
compression, digest and size mismatches, missing blobs, malformed and
oversized JSON, path traversal through digests and tar names, hostile tar
headers, links, device nodes, decompression bombs, index loops. Every case is
listed in OUTDIR/cases.json with the command line to scan it and what the
scanner must do (see CASE FIELDS below); run.sh reads that file, so the
expectations live next to the fixtures that need them (curl's tests as data).

Only the Python standard library and the zstd command-line tool are used.

CASE FIELDS (cases.json: {"version":1, "cases":[...]})
  name     unique; also the fixture's file or directory name, so an error
           message that names the input contains it
  group    "small" (valid inputs), "hostile", "rootfs"
  cmd      "image" or "rootfs"
  target   the TARGET argument; @FX@ stands for OUTDIR's absolute path
  args     extra options before the target
  expect   ok        exit 0, no error line, report written
           fatal     exit 3, one error line naming the input, no report
           error     exit 3, one error line naming the input; a report may
                     or may not be written (layer-level damage: whether the
                     scan goes on is the scanner's choice)
           nonfatal  exit 3, one error line, report written with an error
                     diagnostic (one hostile entry inside a layer)
           tolerated exit 0 or 3, no crash; a report when 0
           select    exit 2 or 3, one error line (a reference, tag or
                     platform that the input does not have)
  needles  the error line must contain one of these
  regex    the error line must also match this (extended, case-insensitive)
  check    facts the report must show (when check_when allows): packages
           (sorted "name\tversion\tarch\tsource\tsource_version" rows),
           allowed_names, image_id, diff_ids, layer_digests, created_by,
           architecture, repo_tags, os_family, os_version_re, os_null,
           layer_index ({name: index}), layer_null, stderr_re, table_clean
  check_when "ok" (default: only after exit 0) or "report" (whenever a
           report was written)
  bounded  measure peak memory and time strictly (bombs)
  timeout  seconds before the run counts as hung
  note     why the case exists
"""

import gzip
import hashlib
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import threading
import zlib

MTIME = 1704067200  # 2024-01-01T00:00:00Z
TAG = "small"
REPO_TAG = "customs-e2e/small:1"

MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = {
    "none": "application/vnd.oci.image.layer.v1.tar",
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
}
REF_NAME = "org.opencontainers.image.ref.name"

CASES = []


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def hexof(digest):
    return digest.split(":", 1)[1]


def jdump(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


def nested_array(depth):
    return b"[" * depth + b"]" * depth


# ---------------------------------------------------------------- tar layers

def tar_bytes(entries):
    """A tar (PAX) of entries: (kind, name, ...) tuples, see add_entry."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            add_entry(tf, e)
    return buf.getvalue()


def add_entry(tf, e):
    kind, name = e[0], e[1]
    ti = tarfile.TarInfo(name)
    ti.mtime = MTIME
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    data = None
    if kind == "dir":
        ti.type, ti.mode = tarfile.DIRTYPE, 0o755
    elif kind == "file":
        data = e[2]
        ti.type, ti.size = tarfile.REGTYPE, len(data)
        ti.mode = e[3] if len(e) > 3 else 0o644
    elif kind == "symlink":
        ti.type, ti.linkname, ti.mode = tarfile.SYMTYPE, e[2], 0o777
    elif kind == "hardlink":
        ti.type, ti.linkname, ti.mode = tarfile.LNKTYPE, e[2], 0o644
    elif kind in ("chr", "blk"):
        ti.type = tarfile.CHRTYPE if kind == "chr" else tarfile.BLKTYPE
        ti.devmajor, ti.devminor, ti.mode = e[2], e[3], 0o660
    elif kind == "fifo":
        ti.type, ti.mode = tarfile.FIFOTYPE, 0o644
    else:
        raise ValueError(kind)
    tf.addfile(ti, io.BytesIO(data) if data is not None else None)


def raw_header(name, size_field, typeflag=b"0", linkname=b""):
    """One ustar header block with a caller-chosen 12-byte size field."""
    assert len(size_field) == 12
    h = bytearray(512)
    h[0:len(name)] = name
    h[100:108] = b"0000644\0"
    h[108:116] = b"0000000\0"
    h[116:124] = b"0000000\0"
    h[124:136] = size_field
    h[136:148] = b"%011o\0" % MTIME
    h[148:156] = b" " * 8
    h[156:157] = typeflag
    h[157:157 + len(linkname)] = linkname
    h[257:263] = b"ustar\0"
    h[263:265] = b"00"
    h[265:269] = b"root"
    h[297:301] = b"root"
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def strip_end(tar):
    """tar without its end-of-archive zero blocks and record padding."""
    end = len(tar)
    while end >= 512 and tar[end - 512:end] == bytes(512):
        end -= 512
    return tar[:end]


# ------------------------------------------------------- the small image

OS_RELEASE = b"""PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
"""

PKG_BASE_FILES = b"""Package: base-files
Essential: yes
Status: install ok installed
Priority: required
Section: admin
Installed-Size: 391
Maintainer: Santiago Vila <sanvila@debian.org>
Architecture: amd64
Multi-Arch: foreign
Version: 12.4+deb12u5
Replaces: base, dpkg (<= 1.15.0), miscutils
Provides: base
Conffiles:
 /etc/debian_version 1ea5a2d9d0e8a7a5ab6e1c4b5a3d1e53
Description: Debian base system miscellaneous files
 This package contains the basic filesystem hierarchy of a Debian system, and
 several important miscellaneous files.
Homepage: https://tracker.debian.org/pkg/base-files
"""

PKG_LIBC6 = b"""Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12987
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
"""

PKG_LIBGMP = b"""Package: libgmp10
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 855
Maintainer: Debian Science Team <debian-science-maintainers@lists.alioth.debian.org>
Architecture: amd64
Multi-Arch: same
Source: gmp (2:6.2.1+dfsg1-1.1)
Version: 2:6.2.1+dfsg1-1.1+b1
Depends: libc6 (>= 2.14)
Description: Multiprecision arithmetic library
 GNU MP is a programmer's library for arbitrary precision arithmetic.
"""

# Removed but not purged: dpkg-query -W would list it, an inventory must not.
PKG_OLD = b"""Package: oldpkg
Status: deinstall ok config-files
Priority: optional
Section: misc
Installed-Size: 10
Maintainer: Nobody <nobody@example.org>
Architecture: all
Version: 1.0-1
Conffiles:
 /etc/oldpkg.conf 0123456789abcdef0123456789abcdef
Description: a package whose configuration files are all that is left
"""

PKG_LIBZSTD = b"""Package: libzstd1
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 875
Maintainer: Debian Med Packaging Team <debian-med-packaging@lists.alioth.debian.org>
Architecture: amd64
Multi-Arch: same
Source: libzstd
Version: 1.5.4+dfsg2-5
Depends: libc6 (>= 2.34)
Description: fast lossless compression algorithm
 Zstd, short for Zstandard, is a fast lossless compression algorithm.
"""

PKG_INIMAGE = b"""Package: inimage
Status: install ok installed
Architecture: amd64
Version: 1.0-1
Maintainer: Nobody <nobody@example.org>
Description: the only package of a status file reached through a link
"""

STATUS_L0 = b"\n".join([PKG_BASE_FILES, PKG_LIBC6, PKG_LIBGMP, PKG_OLD])
STATUS_L1 = b"\n".join([PKG_BASE_FILES, PKG_LIBC6, PKG_LIBGMP, PKG_LIBZSTD, PKG_OLD])

ROWS_L0 = [
    "base-files\t12.4+deb12u5\tamd64\tbase-files\t12.4+deb12u5",
    "libc6\t2.36-9+deb12u4\tamd64\tglibc\t2.36-9+deb12u4",
    "libgmp10\t2:6.2.1+dfsg1-1.1+b1\tamd64\tgmp\t2:6.2.1+dfsg1-1.1",
]
ROWS_ALL = sorted(ROWS_L0 + ["libzstd1\t1.5.4+dfsg2-5\tamd64\tlibzstd\t1.5.4+dfsg2-5"])
LAYER_INDEX = {"base-files": 0, "libc6": 0, "libgmp10": 0, "libzstd1": 1}
UNIVERSE = ["base-files", "libc6", "libgmp10", "libzstd1", "inimage", "oldpkg"]

CREATED_BY = [
    "/bin/sh -c #(nop) ADD file:5c0ffee0c0ffee0c0ffee in / ",
    "/bin/sh -c apt-get install -y --no-install-recommends libzstd1",
    "/bin/sh -c #(nop) COPY extra /extra",
]


def filler(seed, size):
    """Deterministic text that gzip shrinks about 3:1, so a corrupted byte
    lands in the middle of real deflate data."""
    rnd = random.Random(seed)
    words = [b"layer", b"debian", b"package", b"scanner", b"digest", b"tar",
             b"gzip", b"zstd", b"bookworm", b"config", b"manifest", b"index"]
    out = bytearray()
    while len(out) < size:
        out += rnd.choice(words) + (b"\n" if rnd.random() < 0.1 else b" ")
        if rnd.random() < 0.05:
            out += b"%08x " % rnd.getrandbits(32)
    return bytes(out[:size])


def l0_entries():
    return [
        ("dir", "etc"), ("dir", "usr"), ("dir", "usr/lib"), ("dir", "usr/share"),
        ("dir", "usr/share/doc"), ("dir", "usr/share/doc/base-files"),
        ("dir", "var"), ("dir", "var/lib"), ("dir", "var/lib/dpkg"),
        ("file", "usr/lib/os-release", OS_RELEASE),
        ("symlink", "etc/os-release", "../usr/lib/os-release"),
        ("file", "etc/debian_version", b"12.5\n"),
        ("file", "etc/oldpkg.conf", b"# left behind\n"),
        ("file", "usr/share/doc/base-files/README", filler(1, 96 * 1024)),
        ("file", "var/lib/dpkg/status", STATUS_L0),
    ]


def l1_entries(status=STATUS_L1):
    return [
        ("dir", "usr/lib/x86_64-linux-gnu"),
        ("file", "usr/lib/x86_64-linux-gnu/libzstd.so.1.5.4", filler(2, 64 * 1024), 0o644),
        ("symlink", "usr/lib/x86_64-linux-gnu/libzstd.so.1", "libzstd.so.1.5.4"),
        ("file", "var/lib/dpkg/status", status),
    ]


L0 = tar_bytes(l0_entries())
L1 = tar_bytes(l1_entries())


def std_config(diff_ids, arch="amd64", variant=None, created_by=None):
    cbs = created_by or CREATED_BY
    hist = []
    for i, _ in enumerate(diff_ids):
        hist.append({"created": "2024-01-0%dT00:00:00Z" % (i + 1),
                     "created_by": cbs[i % len(cbs)]})
        if i == 0:
            hist.append({"created": "2024-01-01T00:00:01Z",
                         "created_by": "/bin/sh -c #(nop)  ENV LANG=C.UTF-8",
                         "empty_layer": True})
    hist.append({"created": "2024-01-09T00:00:00Z",
                 "created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": True})
    cfg = {
        "created": "2024-01-09T00:00:00Z",
        "architecture": arch,
        "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "LANG=C.UTF-8"],
                   "Cmd": ["bash"]},
        "rootfs": {"type": "layers", "diff_ids": list(diff_ids)},
        "history": hist,
    }
    if variant:
        cfg["variant"] = variant
    return cfg


def compress(data, comp):
    if comp == "none":
        return data
    if comp == "gzip":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        return c.compress(data) + c.flush()
    if comp == "zstd":
        return subprocess.run(["zstd", "-q", "-c", "-19", "--no-progress"], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    raise ValueError(comp)


class Layout:
    """An OCI image layout in memory: blobs by file name, index.json bytes."""

    def __init__(self):
        self.blobs = {}      # "sha256:hex" (the file name) -> bytes
        self.index = None    # bytes of index.json, None to leave it out
        self.oci_layout = b'{"imageLayoutVersion":"1.0.0"}'

    def put(self, data):
        d = sha(data)
        self.blobs[d] = data
        return d

    def files(self):
        out = [("oci-layout", self.oci_layout)]
        for name, data in self.blobs.items():
            alg, hx = name.split(":", 1)
            out.append(("blobs/%s/%s" % (alg, hx), data))
        if self.index is not None:
            out.append(("index.json", self.index))
        return out

    def write_dir(self, path):
        os.makedirs(os.path.join(path, "blobs", "sha256"))
        for name, data in self.files():
            with open(os.path.join(path, name), "wb") as f:
                f.write(data)

    def write_tar(self, path):
        write_tar(path, self.files(), dirs=["blobs", "blobs/sha256"])


def write_tar(path, files, dirs=(), outer="none"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for d in dirs:
            add_entry(tf, ("dir", d))
        for name, data in files:
            add_entry(tf, ("file", name, data))
    data = buf.getvalue()
    if outer == "gzip":
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)


class Image:
    """What a fixture builder made: digests to check reports against."""

    def __init__(self):
        self.layer_digests, self.diff_ids, self.media_types = [], [], []
        self.config_digest = self.manifest_digest = None
        self.manifest_desc = None


def oci_image(L, layers, comps=None, pre=None, post=None, cfg=None, cfg_raw=None,
              man=None, man_raw=None, arch="amd64", variant=None, tag=TAG):
    """Adds one image to layout L.

    layers: uncompressed tar bytes; comps: compression per layer (gzip).
    pre(i, blob) -> blob changes a layer blob before it is digested;
    post(i, blob) -> blob|None changes what is stored under that digest
    (None: nothing is). cfg(dict) and man(dict) edit the config and the
    manifest before they are serialised; cfg_raw and man_raw replace the
    bytes outright. Returns an Image; L.index is set to an index of it.
    """
    img = Image()
    comps = comps or ["gzip"] * len(layers)
    descs = []
    for i, t in enumerate(layers):
        blob = compress(t, comps[i])
        img.diff_ids.append(sha(t))
        if pre:
            blob = pre(i, blob)
        d = {"mediaType": MT_LAYER[comps[i]], "digest": sha(blob), "size": len(blob)}
        stored = post(i, blob) if post else blob
        if stored is not None:
            L.blobs[d["digest"]] = stored
        descs.append(d)
        img.layer_digests.append(d["digest"])
        img.media_types.append(d["mediaType"])
    config = std_config(img.diff_ids, arch=arch, variant=variant)
    if cfg:
        cfg(config)
    cb = cfg_raw if cfg_raw is not None else jdump(config)
    img.config_digest = L.put(cb)
    manifest = {"schemaVersion": 2, "mediaType": MT_MANIFEST,
                "config": {"mediaType": MT_CONFIG, "digest": img.config_digest, "size": len(cb)},
                "layers": descs}
    if man:
        man(manifest)
    mb = man_raw if man_raw is not None else jdump(manifest)
    img.manifest_digest = L.put(mb)
    platform = {"architecture": arch, "os": "linux"}
    if variant:
        platform["variant"] = variant
    img.manifest_desc = {"mediaType": MT_MANIFEST, "digest": img.manifest_digest,
                         "size": len(mb), "platform": platform}
    desc = dict(img.manifest_desc)
    desc["annotations"] = {REF_NAME: tag}
    L.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [desc]})
    return img


def docker_archive(path, layers, cfg=None, cfg_raw=None, man=None, man_raw=None,
                   stored=None, tags=(REPO_TAG,), outer="none"):
    """Writes a docker archive (skopeo's layout: <hex>.tar layers, <hex>.json
    config, manifest.json last). stored(i, tar) -> bytes|None changes what is
    stored for layer i. Returns an Image (layer digests = diff_ids)."""
    img = Image()
    files, names = [], []
    for i, t in enumerate(layers):
        img.diff_ids.append(sha(t))
        n = hexof(sha(t)) + ".tar"
        names.append(n)
        s = stored(i, t) if stored else t
        if s is not None:
            files.append((n, s))
    config = std_config(img.diff_ids)
    if cfg:
        cfg(config)
    cb = cfg_raw if cfg_raw is not None else jdump(config)
    img.config_digest = sha(cb)
    cname = hexof(img.config_digest) + ".json"
    files.append((cname, cb))
    manifest = [{"Config": cname, "RepoTags": list(tags), "Layers": names}]
    if man:
        man(manifest)
    files.append(("manifest.json", man_raw if man_raw is not None else jdump(manifest)))
    write_tar(path, files, outer=outer)
    return img


# ------------------------------------------------------------ case registry

def case(name, target, expect, group="hostile", cmd="image", args=(), needles=None,
         regex=None, check=None, check_when="ok", bounded=False, timeout=None, note=""):
    c = {"name": name, "group": group, "cmd": cmd, "target": target, "args": list(args),
         "expect": expect, "needles": needles or [name], "note": note}
    if regex:
        c["regex"] = regex
    if check:
        c["check"] = check
    if check_when != "ok":
        c["check_when"] = check_when
    if bounded:
        c["bounded"] = True
    if timeout:
        c["timeout"] = timeout
    assert not any(x["name"] == name for x in CASES), name
    CASES.append(c)


def good_check(img, rows=ROWS_ALL, created_by=2, repo_tags=None, digests=True):
    chk = {"packages": rows, "allowed_names": UNIVERSE, "image_id": img.config_digest,
           "diff_ids": img.diff_ids, "created_by": CREATED_BY[:created_by],
           "architecture": "amd64", "os_family": "debian", "os_version_re": "^12(\\.[0-9]+)*$",
           "layer_index": LAYER_INDEX}
    if digests:
        chk["layer_digests"] = img.layer_digests
    if repo_tags is not None:
        chk["repo_tags"] = repo_tags
    return chk


# -------------------------------------------------------------- the cases

def main():
    if len(sys.argv) != 2:
        print("usage: make_bad.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for tool in ("zstd",):
        if shutil.which(tool) is None:
            print("make_bad.py: '%s' not found (scripts/deps.sh test)" % tool, file=sys.stderr)
            return 1

    def P(name):
        return os.path.join(out, name)

    def oci_dir(name, *a, **kw):
        L = Layout()
        img = oci_image(L, *a, **kw)
        L.write_dir(P(name))
        return L, img

    FX = "@FX@/"
    O = "oci:" + FX
    OA = "oci-archive:" + FX
    D = "docker-archive:" + FX

    # ---- valid images, every transport ----------------------------------
    L, good = oci_dir("good-oci", [L0, L1])
    L.write_tar(P("good-oci.tar"))
    chk = good_check(good)
    case("good-oci", O + "good-oci:" + TAG, "ok", "small", check=chk,
         note="OCI layout, gzip layers, tag given")
    case("good-oci-notag", O + "good-oci", "ok", "small", check=chk,
         note="OCI layout with one manifest and no tag asked for")
    case("good-oci-bare", FX + "good-oci", "ok", "small", check=chk,
         note="a directory with oci-layout is auto-detected")
    case("good-oci-archive", OA + "good-oci.tar:" + TAG, "ok", "small", check=chk)
    case("good-oci-archive-bare", FX + "good-oci.tar", "ok", "small", check=chk,
         note="a tar with oci-layout and index.json is auto-detected")

    _, zimg = oci_dir("good-oci-zstd", [L0, L1], comps=["zstd", "zstd"])
    case("good-oci-zstd", O + "good-oci-zstd:" + TAG, "ok", "small", check=good_check(zimg))
    _, pimg = oci_dir("good-oci-plain", [L0, L1], comps=["none", "none"])
    case("good-oci-plain", O + "good-oci-plain", "ok", "small", check=good_check(pimg))
    _, mimg = oci_dir("good-oci-mixed", [L0, L1], comps=["zstd", "gzip"])
    case("good-oci-mixed", FX + "good-oci-mixed", "ok", "small", check=good_check(mimg),
         note="one zstd and one gzip layer in the same image")

    # index -> index -> manifest: nesting the spec allows, well under the limit
    L = Layout()
    img = oci_image(L, [L0, L1])
    inner = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [img.manifest_desc]})
    d = L.put(inner)
    L.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
        {"mediaType": MT_INDEX, "digest": d, "size": len(inner), "annotations": {REF_NAME: TAG}}]})
    L.write_dir(P("good-oci-nested"))
    case("good-oci-nested", O + "good-oci-nested:" + TAG, "ok", "small", check=good_check(img),
         note="an index whose entry is another index (depth 2)")

    dimg = docker_archive(P("good-docker.tar"), [L0, L1])
    docker_archive(P("good-docker.tar.gz"), [L0, L1], outer="gzip")
    dchk = good_check(dimg, repo_tags=[REPO_TAG], digests=False)
    case("good-docker", D + "good-docker.tar", "ok", "small", check=dchk)
    case("good-docker-ref", D + "good-docker.tar:" + REPO_TAG, "ok", "small", check=dchk,
         note="a REF with a colon in it")
    case("good-docker-at0", D + "good-docker.tar:@0", "ok", "small", check=dchk)
    case("good-docker-bare", FX + "good-docker.tar", "ok", "small", check=dchk,
         note="a tar with manifest.json is auto-detected")
    case("good-docker-gz-bare", FX + "good-docker.tar.gz", "ok", "small", check=dchk,
         note="a gzip-compressed docker archive (docker save | gzip)")
    case("good-docker-gz", D + "good-docker.tar.gz", "ok", "small", check=dchk)

    # a two-platform index: amd64 and arm64/v8 (configs differ by architecture)
    # (as skopeo copy --all writes it: index.json -> image index -> manifests)
    L = Layout()
    arm = oci_image(L, [L0, L1], arch="arm64", variant="v8")
    amd = oci_image(L, [L0, L1], arch="amd64")
    inner = jdump({"schemaVersion": 2, "mediaType": MT_INDEX,
                   "manifests": [arm.manifest_desc, amd.manifest_desc]})
    L.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
        {"mediaType": MT_INDEX, "digest": L.put(inner), "size": len(inner),
         "annotations": {REF_NAME: "multi"}}]})
    L.write_dir(P("good-multi"))

    def plat_check(img, arch):
        return {"image_id": img.config_digest, "architecture": arch,
                "allowed_names": UNIVERSE, "diff_ids": img.diff_ids}
    case("multi-default", O + "good-multi:multi", "ok", "small", check=plat_check(amd, "amd64"),
         note="arm64 is listed first; the default is the host's platform, linux/amd64")
    case("multi-amd64", O + "good-multi:multi", "ok", "small", args=["--platform", "linux/amd64"],
         check=plat_check(amd, "amd64"))
    case("multi-arm64", O + "good-multi:multi", "ok", "small", args=["--platform", "linux/arm64"],
         check=plat_check(arm, "arm64"), note="linux/arm64 matches the arm64/v8 entry")
    case("multi-arm64-v8", O + "good-multi:multi", "ok", "small",
         args=["--platform", "linux/arm64/v8"], check=plat_check(arm, "arm64"))
    case("multi-s390x", O + "good-multi:multi", "select", "small",
         args=["--platform", "linux/s390x"], needles=["s390x", "good-multi"],
         regex="linux/arm64.*linux/amd64|linux/amd64.*linux/arm64",
         note="the error lists the platforms that are there")

    # rootfs
    os.makedirs(P("good-rootfs"))
    for e in l0_entries() + l1_entries():
        p = P("good-rootfs/" + e[1])
        if e[0] == "dir":
            os.makedirs(p, exist_ok=True)
        elif e[0] == "file":
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(e[2])
        elif e[0] == "symlink":
            os.makedirs(os.path.dirname(p), exist_ok=True)
            os.symlink(e[2], p)
    case("good-rootfs", FX + "good-rootfs", "ok", "small", cmd="rootfs",
         check={"packages": ROWS_ALL, "allowed_names": UNIVERSE, "os_family": "debian",
                "os_version_re": "^12(\\.[0-9]+)*$", "layer_null": True})
    os.makedirs(P("rootfs-empty"))
    case("rootfs-empty", FX + "rootfs-empty", "ok", "small", cmd="rootfs",
         check={"packages": [], "os_null": True},
         note="an empty directory is an empty root filesystem, not an error")

    # references that are not there
    case("ref-missing", D + "good-docker.tar:nope/nope:1", "select", "small",
         needles=["nope/nope:1"], note="REF not in manifest.json")
    case("ref-out-of-range", D + "good-docker.tar:@5", "select", "small", needles=["@5", "5"])
    case("tag-missing", O + "good-oci:nope", "select", "small", needles=["nope"])

    # ---- whole files ------------------------------------------------------
    open(P("empty-file"), "wb").close()
    case("empty-file", FX + "empty-file", "fatal", note="zero bytes, auto-detect")
    case("empty-file-docker", D + "empty-file", "fatal", needles=["empty-file"])
    case("empty-file-oci-archive", OA + "empty-file", "fatal", needles=["empty-file"])
    with open(P("random-file"), "wb") as f:
        f.write(random.Random(7).randbytes(4096))
    case("random-file", FX + "random-file", "fatal", note="not a tar, not gzip")
    with open(P("random-file.gz"), "wb") as f:
        f.write(gzip.compress(random.Random(8).randbytes(4096), mtime=0))
    case("random-gz", FX + "random-file.gz", "fatal", needles=["random-file.gz"],
         note="gzip around something that is not a tar")
    os.makedirs(P("empty-dir"))
    case("empty-dir", FX + "empty-dir", "fatal", note="a directory without oci-layout (image)")
    case("empty-dir-oci", O + "empty-dir", "fatal", needles=["empty-dir"])
    gz = open(P("good-docker.tar.gz"), "rb").read()
    with open(P("outer-gz-truncated.tar.gz"), "wb") as f:
        f.write(gz[:len(gz) // 2])
    case("outer-gz-truncated", FX + "outer-gz-truncated.tar.gz", "error",
         note="docker save | gzip, cut in half; manifest.json is at the end")

    # ---- compression --------------------------------------------------------
    def flip(i, blob):
        if i != 1:
            return blob
        b = bytearray(blob)
        mid = len(b) // 2
        for k in range(mid, mid + 32):
            b[k] ^= 0x5A
        return bytes(b)

    def cut(i, blob):
        return blob[:len(blob) // 2] if i == 1 else blob

    _, img = oci_dir("gzip-corrupt", [L0, L1], pre=flip)
    lay = [hexof(img.layer_digests[1])[:12]]
    case("gzip-corrupt", O + "gzip-corrupt", "error", needles=["gzip-corrupt"] + lay,
         note="32 bytes flipped mid-stream in layer 1; blob digest matches the damage")
    _, img = oci_dir("gzip-truncated", [L0, L1], pre=cut)
    case("gzip-truncated", O + "gzip-truncated", "error",
         needles=["gzip-truncated", hexof(img.layer_digests[1])[:12]])
    _, img = oci_dir("zstd-corrupt", [L0, L1], comps=["zstd", "zstd"], pre=flip)
    case("zstd-corrupt", O + "zstd-corrupt", "error",
         needles=["zstd-corrupt", hexof(img.layer_digests[1])[:12]])
    _, img = oci_dir("zstd-truncated", [L0, L1], comps=["zstd", "zstd"], pre=cut)
    case("zstd-truncated", O + "zstd-truncated", "error",
         needles=["zstd-truncated", hexof(img.layer_digests[1])[:12]])

    rnd = random.Random(9).randbytes(8192)
    _, img = oci_dir("layer-not-tar", [L0, rnd], comps=["gzip", "none"])
    case("layer-not-tar", O + "layer-not-tar", "error",
         needles=["layer-not-tar", hexof(img.layer_digests[1])[:12]],
         note="an uncompressed layer that is random bytes")
    _, img = oci_dir("layer-gzip-not-tar", [L0, rnd])
    case("layer-gzip-not-tar", O + "layer-gzip-not-tar", "error",
         needles=["layer-gzip-not-tar", hexof(img.layer_digests[1])[:12]])

    def lz4(m):
        m["layers"][1]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+lz4"
    _, img = oci_dir("layer-unknown-mediatype", [L0, L1], man=lz4)
    case("layer-unknown-mediatype", O + "layer-unknown-mediatype", "tolerated",
         needles=["layer-unknown-mediatype", "lz4", hexof(img.layer_digests[1])[:12]],
         check={"allowed_names": UNIVERSE},
         note="declared tar+lz4, content gzip: refusing the media type and sniffing the "
              "content are both defensible")

    _, img = oci_dir("zero-length-gzip-layer", [L0, L1], pre=lambda i, b: b"" if i == 1 else b)
    case("zero-length-gzip-layer", O + "zero-length-gzip-layer", "error",
         needles=["zero-length-gzip-layer", hexof(img.layer_digests[1])[:12]],
         note="a 0-byte blob declared tar+gzip")
    docker_archive(P("zero-length-layer.tar"), [L0, b""])
    case("zero-length-layer", D + "zero-length-layer.tar", "tolerated",
         check={"allowed_names": UNIVERSE},
         note="a 0-byte uncompressed layer: an empty tar stream or an error, both defensible")

    # bombs: generated streaming, never held whole in memory
    d = bomb_oci("gzip-bomb", P("gzip-bomb"), "gzip")
    case("gzip-bomb", O + "gzip-bomb", "tolerated", bounded=True, timeout=600,
         needles=["gzip-bomb", hexof(d)[:12]],
         check={"allowed_names": UNIVERSE},
         note="2 GiB of zeros in one file, gzip -9 (~2 MiB, 1030:1, correct digests): either "
              "refused by a limit or streamed in bounded memory")
    d = bomb_oci("zstd-bomb", P("zstd-bomb"), "zstd")
    case("zstd-bomb", O + "zstd-bomb", "error", bounded=True, timeout=600,
         needles=["zstd-bomb", hexof(d)[:12]],
         regex="ratio|limit|bomb|too (large|big)|exceed",
         note="2 GiB of zeros in ~70 KiB of zstd (30000:1): past the 2000:1 ratio limit")
    big_status_oci(P("big-dpkg-status"))
    case("big-dpkg-status", O + "big-dpkg-status", "tolerated", bounded=True, timeout=300,
         check={"allowed_names": UNIVERSE},
         note="var/lib/dpkg/status of 96 MiB (past the 64 MiB max_file): must not be "
              "read whole; a warning or error, no OOM")

    # ---- hostile tar headers (docker archive: the layer bytes are the tar) ---
    l1_body = strip_end(L1)
    trunc = L1[:len(l1_body) - 700]
    docker_archive(P("tar-truncated.tar"), [L0, trunc])
    case("tar-truncated", D + "tar-truncated.tar", "error",
         needles=["tar-truncated", hexof(sha(trunc))[:12]],
         note="layer tar cut inside the last member's data; diff_id matches the cut bytes")
    _, img = oci_dir("tar-truncated-gzip", [L0, trunc])
    case("tar-truncated-gzip", O + "tar-truncated-gzip", "error",
         needles=["tar-truncated-gzip", hexof(img.layer_digests[1])[:12]],
         note="a complete gzip stream around a truncated tar")

    def huge(size_field, name):
        t = strip_end(L0) + raw_header(b"big", size_field) + b"x" * 512
        docker_archive(P(name + ".tar"), [L0, t])
        return hexof(sha(t))[:12]
    h = huge(b"77777777777\0", "tar-size-octal-8g")
    case("tar-size-octal-8g", D + "tar-size-octal-8g.tar", "error",
         needles=["tar-size-octal-8g", h], note="size field says 8 GiB, 512 bytes follow")
    h = huge(b"\x80" + (1 << 62).to_bytes(11, "big"), "tar-size-base256-huge")
    case("tar-size-base256-huge", D + "tar-size-base256-huge.tar", "error",
         needles=["tar-size-base256-huge", h], note="base-256 size of 2^62")
    h = huge(b"\xff" * 12, "tar-size-base256-negative")
    case("tar-size-base256-negative", D + "tar-size-base256-negative.tar", "error",
         needles=["tar-size-base256-negative", h], note="base-256 size of -1")
    bad = bytearray(L1)
    bad[148:156] = b"0000000\0"  # first header's checksum
    docker_archive(P("tar-bad-checksum.tar"), [L0, bytes(bad)])
    case("tar-bad-checksum", D + "tar-bad-checksum.tar", "error",
         needles=["tar-bad-checksum", hexof(sha(bytes(bad)))[:12]])

    # ---- digests, sizes, missing pieces ---------------------------------
    other = compress(tar_bytes([("file", "other", b"other\n")]), "gzip")
    _, img = oci_dir("blob-digest-mismatch", [L0, L1],
                     post=lambda i, b: other if i == 1 else b)
    case("blob-digest-mismatch", O + "blob-digest-mismatch", "error",
         needles=["blob-digest-mismatch", hexof(img.layer_digests[1])[:12]],
         regex="digest|mismatch|sha256", note="blob file holds other (valid gzip) content")

    def grow(m):
        m["layers"][1]["size"] += 1
    _, img = oci_dir("blob-size-mismatch", [L0, L1], man=grow)
    case("blob-size-mismatch", O + "blob-size-mismatch", "error",
         needles=["blob-size-mismatch", hexof(img.layer_digests[1])[:12]],
         regex="size|bytes|length|declare")

    def bad_diffid(c):
        c["rootfs"]["diff_ids"][1] = sha(b"not this layer")
    _, img = oci_dir("diffid-mismatch", [L0, L1], cfg=bad_diffid)
    case("diffid-mismatch", O + "diffid-mismatch", "error",
         needles=["diffid-mismatch", hexof(img.layer_digests[1])[:12],
                  hexof(img.diff_ids[1])[:12]],
         regex="diff.?id|digest|mismatch")
    docker_archive(P("diffid-mismatch-docker.tar"), [L0, L1], cfg=bad_diffid)
    case("diffid-mismatch-docker", D + "diffid-mismatch-docker.tar", "error",
         needles=["diffid-mismatch-docker", hexof(sha(L1))[:12]],
         regex="diff.?id|digest|mismatch")

    def drop_one(c):
        del c["rootfs"]["diff_ids"][1]
    oci_dir("diffid-count", [L0, L1], cfg=drop_one)
    case("diffid-count", O + "diffid-count", "fatal",
         note="two layers in the manifest, one diff_id in the config")

    _, img = oci_dir("missing-blob", [L0, L1], post=lambda i, b: None if i == 1 else b)
    case("missing-blob", O + "missing-blob", "error",
         needles=["missing-blob", hexof(img.layer_digests[1])[:12]])
    docker_archive(P("missing-layer-docker.tar"), [L0, L1],
                   stored=lambda i, t: None if i == 1 else t)
    case("missing-layer-docker", D + "missing-layer-docker.tar", "error",
         needles=["missing-layer-docker", hexof(sha(L1))[:12]])

    L = Layout()
    img = oci_image(L, [L0, L1])
    del L.blobs[img.config_digest]
    L.write_dir(P("missing-config"))
    case("missing-config", O + "missing-config", "fatal",
         needles=["missing-config", hexof(img.config_digest)[:12]])
    docker_archive(P("missing-config-docker.tar"), [L0, L1],
                   man=lambda m: m[0].__setitem__("Config", "0" * 64 + ".json"))
    case("missing-config-docker", D + "missing-config-docker.tar", "fatal")

    L = Layout()
    img = oci_image(L, [L0, L1])
    del L.blobs[img.manifest_digest]
    L.write_dir(P("missing-manifest"))
    case("missing-manifest", O + "missing-manifest", "fatal",
         needles=["missing-manifest", hexof(img.manifest_digest)[:12]])
    L = Layout()
    oci_image(L, [L0, L1])
    L.index = None
    L.write_dir(P("missing-index"))
    case("missing-index", O + "missing-index", "fatal", note="no index.json")
    write_tar(P("missing-manifest-json.tar"), [(hexof(sha(L0)) + ".tar", L0)])
    case("missing-manifest-json", D + "missing-manifest-json.tar", "fatal")

    L = Layout()
    img = oci_image(L, [L0, L1])
    L.blobs[img.config_digest] = L.blobs[img.config_digest].replace(b'"amd64"', b'"arm64"')
    L.write_dir(P("config-digest-mismatch"))
    case("config-digest-mismatch", O + "config-digest-mismatch", "fatal",
         needles=["config-digest-mismatch", hexof(img.config_digest)[:12]],
         regex="digest|mismatch|sha256")
    L = Layout()
    img = oci_image(L, [L0, L1])
    L.blobs[img.manifest_digest] = L.blobs[img.manifest_digest].replace(
        b'"schemaVersion":2', b'"schemaVersion":2 ')
    L.write_dir(P("manifest-digest-mismatch"))
    case("manifest-digest-mismatch", O + "manifest-digest-mismatch", "fatal",
         needles=["manifest-digest-mismatch", hexof(img.manifest_digest)[:12]],
         regex="digest|mismatch|sha256")

    # ---- malformed JSON: docker manifest.json -----------------------------
    good_manifest = [{"Config": hexof(dimg.config_digest) + ".json",
                      "RepoTags": [REPO_TAG],
                      "Layers": [hexof(x) + ".tar" for x in dimg.diff_ids]}]
    gm = jdump(good_manifest)
    bad_manifests = {
        "docker-manifest-truncated": gm[:len(gm) // 2],
        "docker-manifest-object": jdump(good_manifest[0]),
        "docker-manifest-layers-string": jdump([dict(good_manifest[0], Layers="x.tar")]),
        "docker-manifest-config-number": gm.replace(
            b'"' + good_manifest[0]["Config"].encode() + b'"', b"12345678901234567890123"),
        "docker-manifest-nested": nested_array(100000),
        "docker-manifest-empty": b"[]",
        "docker-manifest-null-config": jdump([{"Config": None, "Layers": []}]),
    }
    for name, raw in bad_manifests.items():
        docker_archive(P(name + ".tar"), [L0, L1], man_raw=raw)
        case(name, D + name + ".tar", "fatal", needles=[name, "manifest.json"])
    json.loads(bad_manifests["docker-manifest-layers-string"])  # self-check: still JSON
    # manifest.json of 2 GiB first in the archive, the tar itself sparse
    sparse_tar(P("docker-manifest-sparse-2g.tar"), "manifest.json", 2 << 30, b"[",
               [(hexof(x) + ".tar", t) for x, t in zip(dimg.diff_ids, [L0, L1])] +
               [(hexof(dimg.config_digest) + ".json", jdump(std_config(dimg.diff_ids)))])
    case("docker-manifest-sparse-2g", D + "docker-manifest-sparse-2g.tar", "fatal", bounded=True,
         needles=["docker-manifest-sparse-2g", "manifest.json"],
         note="manifest.json is a 2 GiB member: refused by its size, not read")

    # ---- malformed JSON: index.json ----------------------------------------
    L = Layout()
    img = oci_image(L, [L0, L1])
    gi = L.index
    bad_indexes = {
        "index-truncated": gi[:len(gi) // 2],
        "index-manifests-string": jdump({"schemaVersion": 2, "manifests": "sha256:abc"}),
        "index-nested": b'{"schemaVersion":2,"manifests":' + nested_array(100000) + b"}",
        "index-schemaversion-huge": gi.replace(b'"schemaVersion":2', b'"schemaVersion":1e400'),
        "index-size-huge": gi.replace(b'"size":%d' % img.manifest_desc["size"],
                                      b'"size":99999999999999999999999999'),
        "index-empty": jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": []}),
        "index-not-object": b'"index"',
    }
    for name, raw in bad_indexes.items():
        L.index = raw
        L.write_dir(P(name))
        if name == "index-schemaversion-huge":
            case(name, O + name, "tolerated", needles=[name, "index.json"],
                 check={"allowed_names": UNIVERSE},
                 note="1e400 where 2 belongs: rejecting it or ignoring a field the scan "
                      "does not need are both fine; parsing it must not crash")
        else:
            case(name, O + name, "fatal", needles=[name, "index.json"])
    L.index = gi

    # 2 GiB files that cost no disk (sparse): whoever reads one whole before
    # checking its size is caught by the memory bound
    L = Layout()
    img = oci_image(L, [L0, L1])
    L.write_dir(P("index-sparse-2g"))
    sparse(P("index-sparse-2g/index.json"), b'{"schemaVersion":2,"manifests":[', 2 << 30)
    case("index-sparse-2g", O + "index-sparse-2g", "fatal", bounded=True,
         needles=["index-sparse-2g", "index.json"],
         note="index.json of 2 GiB (NUL bytes after a JSON prefix): refused by size, not read")
    L = Layout()
    h = hashlib.sha256()
    z = bytes(1 << 20)
    for _ in range(2048):
        h.update(z)
    big_cfg = "sha256:" + h.hexdigest()

    def sparse_cfg(m):
        m["config"] = {"mediaType": MT_CONFIG, "digest": big_cfg, "size": 2 << 30}
    img = oci_image(L, [L0, L1], man=sparse_cfg)
    L.write_dir(P("config-sparse-2g"))
    sparse(P("config-sparse-2g/blobs/sha256/" + hexof(big_cfg)), b"", 2 << 30)
    case("config-sparse-2g", O + "config-sparse-2g", "fatal", bounded=True,
         needles=["config-sparse-2g", hexof(big_cfg)[:12]],
         note="a config blob of 2 GiB with a correct digest and size: refused by size")

    # ---- malformed JSON: the manifest blob (digests kept correct) -----------
    gman = L.blobs[img.manifest_digest]
    layer1 = jdump(json.loads(gman)["layers"][1])
    bad_mans = {
        "manifest-truncated": ("fatal", gman[:len(gman) // 2]),
        "manifest-layers-string": ("fatal", jdump(dict(json.loads(gman), layers="sha256:x"))),
        "manifest-nested": ("fatal", gman.replace(b'"layers":[', b'"layers":[' +
                                                  nested_array(100000) + b",", 1)),
        "manifest-config-missing": ("fatal", jdump({k: v for k, v in json.loads(gman).items()
                                                    if k != "config"})),
        "manifest-size-huge": ("error", gman.replace(layer1, layer1.replace(
            b'"size":', b'"size":99999999999999999999999999,"x":'))),
        "manifest-size-inf": ("error", gman.replace(layer1, layer1.replace(
            b'"size":', b'"size":1e400,"x":'))),
        "manifest-size-negative": ("error", gman.replace(layer1, layer1.replace(
            b'"size":', b'"size":-1,"x":'))),
    }
    for name, (exp, raw) in bad_mans.items():
        assert raw != gman, name
        L2 = Layout()
        L2.blobs = {k: v for k, v in L.blobs.items() if k != img.manifest_digest}
        md = L2.put(raw)
        L2.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
            {"mediaType": MT_MANIFEST, "digest": md, "size": len(raw),
             "annotations": {REF_NAME: TAG}}]})
        L2.write_dir(P(name))
        case(name, O + name, exp, needles=[name, hexof(md)[:12], hexof(img.layer_digests[1])[:12]])
    json.loads(bad_mans["manifest-size-huge"][1])  # self-check: still JSON

    # ---- malformed config (digests kept correct) ---------------------------
    gcfg = jdump(std_config(img.diff_ids))
    bad_cfgs = {
        "config-truncated": ("fatal", gcfg[:len(gcfg) // 2]),
        "config-diffids-string": ("fatal", gcfg.replace(b'"diff_ids":[', b'"diff_ids":"x","y":[')),
        "config-nested": ("fatal", gcfg.replace(b'"rootfs":', b'"deep":' + nested_array(100000)
                                                + b',"rootfs":')),
        "config-not-object": ("fatal", b"[1,2,3]"),
        "config-history-number": ("tolerated", gcfg.replace(b'"history":[', b'"history":7,"h":[')),
    }
    for name, (exp, raw) in bad_cfgs.items():
        _, cimg = oci_dir(name, [L0, L1], cfg_raw=raw)
        case(name, O + name, exp, needles=[name, hexof(cimg.config_digest)[:12]],
             check={"allowed_names": UNIVERSE},
             note="history is informational: ignoring it with a warning is fine"
             if exp == "tolerated" else "")

    # ---- path traversal through digests and archive paths ----------------
    trav = "sha256:../../../../../../../../../../etc/passwd"
    _, img = oci_dir("digest-traversal-layer", [L0, L1],
                     man=lambda m: m["layers"][1].__setitem__("digest", trav))
    case("digest-traversal-layer", O + "digest-traversal-layer", "error",
         needles=["digest-traversal-layer", "passwd", "digest"],
         note="a layer digest that is a relative path out of blobs/")
    _, img = oci_dir("digest-traversal-config", [L0, L1],
                     man=lambda m: m["config"].__setitem__("digest", "sha256:../../index.json"))
    case("digest-traversal-config", O + "digest-traversal-config", "fatal",
         needles=["digest-traversal-config", "index.json", "digest"])
    L = Layout()
    img = oci_image(L, [L0, L1])
    L.index = L.index.replace(img.manifest_digest.encode(),
                              b"sha256:../../../../../../../../../../etc/hostname")
    L.write_dir(P("digest-traversal-index"))
    case("digest-traversal-index", O + "digest-traversal-index", "fatal",
         needles=["digest-traversal-index", "hostname", "digest"])
    L = Layout()
    img = oci_image(L, [L0, L1])
    L.write_tar(P("digest-traversal-archive.tar"))
    L.index = L.index.replace(img.manifest_digest.encode(), b"sha256:../oci-layout")
    L.write_tar(P("digest-traversal-archive.tar"))
    case("digest-traversal-archive", OA + "digest-traversal-archive.tar", "fatal",
         needles=["digest-traversal-archive", "oci-layout", "digest"])
    _, img = oci_dir("digest-short-hex", [L0, L1],
                     man=lambda m: m["layers"][1].__setitem__("digest", "sha256:1234"))
    case("digest-short-hex", O + "digest-short-hex", "error",
         needles=["digest-short-hex", "sha256:1234", "digest"])
    _, img = oci_dir("digest-unknown-algorithm", [L0, L1],
                     man=lambda m: m["layers"][1].__setitem__("digest", "md5:" + "0" * 32))
    case("digest-unknown-algorithm", O + "digest-unknown-algorithm", "error",
         needles=["digest-unknown-algorithm", "md5"])

    def dm_trav(m):
        m[0]["Layers"][1] = "../../../../../../../../../../etc/passwd"
    docker_archive(P("docker-layer-traversal.tar"), [L0, L1], man=dm_trav)
    case("docker-layer-traversal", D + "docker-layer-traversal.tar", "error",
         needles=["docker-layer-traversal", "passwd"])
    docker_archive(P("docker-config-absolute.tar"), [L0, L1],
                   man=lambda m: m[0].__setitem__("Config", "/etc/hostname"))
    case("docker-config-absolute", D + "docker-config-absolute.tar", "fatal",
         needles=["docker-config-absolute", "hostname"])

    # ---- hostile tar entries (layer 1 = its usual content + one entry) ----
    entry_check = {"packages": ROWS_ALL, "allowed_names": UNIVERSE}

    def entry_case(name, extra, expect, note, check=entry_check, when="report", layer=None):
        t = layer if layer is not None else tar_bytes(l1_entries() + extra)
        _, img = oci_dir(name, [L0, t])
        case(name, O + name, expect, needles=[name, hexof(img.layer_digests[1])[:12]],
             check=check, check_when=when, note=note)

    entry_case("entry-dotdot", [("file", "../../escape", b"escaped\n")], "nonfatal",
               "a member named ../../escape; the rest of the layer is still scanned")
    entry_case("entry-dotdot-inner", [("file", "usr/../../../escape", b"escaped\n")],
               "nonfatal", "the .. is in the middle of the name")
    entry_case("entry-absolute", [("file", "/abs/path", b"absolute\n")], "nonfatal",
               "a member named /abs/path")
    entry_case("hardlink-missing", [("hardlink", "usr/bin/ln", "usr/bin/not-there")],
               "nonfatal", "a hard link to a member that does not exist")
    entry_case("hardlink-escape", [("hardlink", "etc/passwd-link",
                                    "../../../../../../../../../../etc/passwd")],
               "nonfatal", "a hard link whose target climbs out of the root")
    entry_case("symlink-loop", [("symlink", "etc/os-release", "os-release2"),
                                ("symlink", "etc/os-release2", "os-release")],
               "tolerated", "etc/os-release -> os-release2 -> os-release",
               check={"allowed_names": UNIVERSE})
    entry_case("devices", [("dir", "dev"), ("chr", "dev/null", 1, 3), ("chr", "dev/zero", 1, 5),
                           ("blk", "dev/sda", 8, 0), ("fifo", "run-fifo")],
               "tolerated", "char, block and fifo members are not content", when="report")
    entry_case("fifo-dpkg-status", [("fifo", "var/lib/dpkg/status")], "tolerated",
               "var/lib/dpkg/status is a fifo in the top layer",
               check={"allowed_names": UNIVERSE})
    entry_case("chardev-dpkg-status", [("chr", "var/lib/dpkg/status", 1, 5)], "tolerated",
               "var/lib/dpkg/status is /dev/zero's device node",
               check={"allowed_names": UNIVERSE})
    entry_case("symlink-status-climb",
               [("file", "etc/dpkg-real", PKG_INIMAGE),
                ("symlink", "var/lib/dpkg/status", "../../../../../../../../../../etc/dpkg-real")],
               "tolerated", "a symlink that climbs past / must stay inside the image",
               check={"allowed_names": UNIVERSE})
    entry_case("symlink-status-devzero", [("symlink", "var/lib/dpkg/status", "/dev/zero")],
               "tolerated", "the status file is a symlink to /dev/zero (absent in the image)",
               check={"allowed_names": UNIVERSE})
    entry_case("entry-through-symlink",
               [("symlink", "etc/evil", "../../../../../../../../../tmp"),
                ("file", "etc/evil/escape", b"escaped\n")],
               "tolerated", "a member written through a symlink that points out",
               check={"allowed_names": UNIVERSE})
    entry_case("whiteout-dotdot", [("file", "etc/.wh...", b"")], "tolerated",
               "a whiteout of '..' must not delete the parent of etc/")
    entry_case("whiteout-traversal", [("file", "etc/.wh.../../../escape", b"")], "tolerated",
               "a whiteout whose name climbs out", check={"allowed_names": UNIVERSE})
    entry_case("long-name", [("file", "a/" + "b" * 100000, b"long\n")], "tolerated",
               "a PAX path of 100000 bytes", when="report")
    entry_case("dpkg-status-garbage", [], "tolerated", "64 KiB of random bytes as the status file",
               check={"allowed_names": UNIVERSE},
               layer=tar_bytes(l1_entries(status=random.Random(11).randbytes(65536))))

    nasty = (STATUS_L1 + b"\nPackage: evil\x1b]0;pwned\x07\nStatus: install ok installed\n"
             b"Architecture: amd64\nVersion: 1.0\x1b[31m-1\nMaintainer: \xff\xfe\xc3\x28 <x@y>\n"
             b"Description: nul \x00 inside\n")

    def nasty_cfg(c):
        c["history"][0]["created_by"] = "/bin/sh -c echo \u001b[2J\u0007 \"quoted\" \\ \u2603"
    t = tar_bytes(l1_entries(status=nasty))
    oci_dir("nasty-strings", [L0, t], cfg=nasty_cfg)
    case("nasty-strings", O + "nasty-strings", "tolerated",
         check={"table_clean": True, "allowed_names": UNIVERSE + ["evil\x1b]0;pwned\x07"]},
         check_when="report",
         note="escape sequences, invalid UTF-8 and NUL in package fields and created_by: "
              "the JSON stays valid UTF-8, the table has no control bytes")

    # ---- index loops and depth ---------------------------------------------
    L = Layout()
    img = oci_image(L, [L0, L1])
    fake = sha(b"self")
    size = 0
    while True:  # the blob holds its own size: find the fixed point
        blob = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
            {"mediaType": MT_INDEX, "digest": fake, "size": size}]})
        if len(blob) == size:
            break
        size = len(blob)
    L.blobs[fake] = blob
    L.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
        {"mediaType": MT_INDEX, "digest": fake, "size": len(blob),
         "annotations": {REF_NAME: TAG}}]})
    L.write_dir(P("index-self"))
    case("index-self", O + "index-self", "fatal", needles=["index-self", hexof(fake)[:12]],
         note="an index blob whose one entry is itself (so its digest cannot match)")

    L = Layout()
    img = oci_image(L, [L0, L1])
    cur = img.manifest_desc
    for _ in range(50):
        b = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [cur]})
        cur = {"mediaType": MT_INDEX, "digest": L.put(b), "size": len(b)}
    cur = dict(cur, annotations={REF_NAME: TAG})
    L.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [cur]})
    L.write_dir(P("index-nested-50"))
    case("index-nested-50", O + "index-nested-50", "fatal",
         regex="depth|nest|deep|limit|too many", note="50 indexes deep, correct digests")

    # ---- rootfs mode: links must resolve inside the directory -------------
    def rootfs(name, links=(), files=(), fifos=()):
        r = P(name)
        os.makedirs(r)
        for path, data in files:
            os.makedirs(os.path.dirname(os.path.join(r, path)), exist_ok=True)
            with open(os.path.join(r, path), "wb") as f:
                f.write(data)
        for path, target in links:
            os.makedirs(os.path.dirname(os.path.join(r, path)), exist_ok=True)
            os.symlink(target, os.path.join(r, path))
        for path in fifos:
            os.makedirs(os.path.dirname(os.path.join(r, path)), exist_ok=True)
            os.mkfifo(os.path.join(r, path))
    rootfs("rootfs-status-abs", links=[("var/lib/dpkg/status", "/var/lib/dpkg/status")])
    case("rootfs-status-abs", FX + "rootfs-status-abs", "tolerated", "rootfs", cmd="rootfs",
         check={"allowed_names": UNIVERSE}, timeout=60,
         note="status -> /var/lib/dpkg/status: a loop inside the root, the host's "
              "database outside it; the host's packages must not appear")
    rootfs("rootfs-status-climb",
           links=[("var/lib/dpkg/status", "../../../../../../../../../../var/lib/dpkg/status")])
    case("rootfs-status-climb", FX + "rootfs-status-climb", "tolerated", "rootfs", cmd="rootfs",
         check={"allowed_names": UNIVERSE}, timeout=60)
    rootfs("rootfs-os-release-abs", links=[("etc/os-release", "/etc/os-release")])
    case("rootfs-os-release-abs", FX + "rootfs-os-release-abs", "tolerated", "rootfs",
         cmd="rootfs", check={"os_null": True}, timeout=60,
         note="etc/os-release -> /etc/os-release must not read the host's (Debian) file")
    rootfs("rootfs-status-devzero", links=[("var/lib/dpkg/status", "/dev/zero")])
    case("rootfs-status-devzero", FX + "rootfs-status-devzero", "tolerated", "rootfs",
         cmd="rootfs", check={"allowed_names": UNIVERSE}, bounded=True, timeout=60,
         note="status -> /dev/zero: absent inside the root, endless on the host")
    rootfs("rootfs-status-fifo", files=[("etc/os-release", OS_RELEASE)],
           fifos=["var/lib/dpkg/status"])
    case("rootfs-status-fifo", FX + "rootfs-status-fifo", "tolerated", "rootfs", cmd="rootfs",
         check={"allowed_names": UNIVERSE}, timeout=60,
         note="a fifo where the status file should be: opening it would block forever")
    rootfs("rootfs-link-loop", links=[("etc/os-release", "os-release2"),
                                      ("etc/os-release2", "os-release"),
                                      ("var/lib/dpkg", "../../var/lib/dpkg")])
    case("rootfs-link-loop", FX + "rootfs-link-loop", "tolerated", "rootfs", cmd="rootfs",
         check={"allowed_names": UNIVERSE}, timeout=60)

    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump({"version": 1, "cases": CASES}, f, indent=1)
        f.write("\n")
    names = [c["name"] for c in CASES]
    for bad_name in ("escape", "abs"):
        assert bad_name not in names
    print("make_bad.py: %d cases in %s" % (len(CASES), out), file=sys.stderr)
    return 0


# ------------------------------------------------------------------ bombs

def stream_zeros_tar(write, name, size, prefix=None):
    """Writes a tar of prefix entries plus one member of `size` zero bytes,
    in 1 MiB pieces, through write()."""
    if prefix:
        write(strip_end(prefix))
    ti = tarfile.TarInfo(name)
    ti.size, ti.mtime, ti.mode = size, MTIME, 0o644
    write(ti.tobuf(tarfile.PAX_FORMAT))
    z = bytes(1 << 20)
    left = size
    while left:
        n = min(left, len(z))
        write(z[:n] if n < len(z) else z)
        left -= n
    pad = (-size) % 512
    write(bytes(pad + 1024))


def compressed_stream(comp, produce):
    """Runs produce(write) and returns (compressed bytes, sha256 of the
    uncompressed stream); memory stays at the size of the output."""
    h = hashlib.sha256()
    if comp == "gzip":
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        parts = []

        def write(b):
            h.update(b)
            parts.append(c.compress(b))
        produce(write)
        parts.append(c.flush())
        return b"".join(parts), "sha256:" + h.hexdigest()
    p = subprocess.Popen(["zstd", "-q", "-c", "-3", "--no-progress"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    got = []
    t = threading.Thread(target=lambda: got.append(p.stdout.read()))
    t.start()

    def write(b):
        h.update(b)
        p.stdin.write(b)
    produce(write)
    p.stdin.close()
    t.join()
    if p.wait() != 0:
        raise RuntimeError("zstd failed")
    return got[0], "sha256:" + h.hexdigest()


def bomb_oci(name, path, comp, size=2 << 30, member="zeros"):
    """An OCI layout whose layer 1 is `size` zeros in one member, with
    correct digests, so only the amount of data is hostile."""
    blob, diff_id = compressed_stream(comp, lambda w: stream_zeros_tar(w, member, size))
    L = Layout()
    l0 = compress(L0, comp)
    descs = [{"mediaType": MT_LAYER[comp], "digest": L.put(l0), "size": len(l0)},
             {"mediaType": MT_LAYER[comp], "digest": L.put(blob), "size": len(blob)}]
    cb = jdump(std_config([sha(L0), diff_id]))
    mb = jdump({"schemaVersion": 2, "mediaType": MT_MANIFEST,
                "config": {"mediaType": MT_CONFIG, "digest": L.put(cb), "size": len(cb)},
                "layers": descs})
    L.index = jdump({"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
        {"mediaType": MT_MANIFEST, "digest": L.put(mb), "size": len(mb),
         "annotations": {REF_NAME: TAG}}]})
    L.write_dir(path)
    return descs[1]["digest"]


def sparse(path, prefix, size):
    """A file of `size` bytes: prefix, then a hole (reads as NUL bytes)."""
    with open(path, "wb") as f:
        f.write(prefix)
        f.truncate(size)


def sparse_tar(path, big_name, big_size, big_prefix, files):
    """A tar whose first member is `big_size` bytes of which only the prefix
    is written (a hole on disk), followed by ordinary members."""
    ti = tarfile.TarInfo(big_name)
    ti.size, ti.mtime, ti.mode = big_size, MTIME, 0o644
    rest = io.BytesIO()
    with tarfile.open(fileobj=rest, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in files:
            add_entry(tf, ("file", name, data))
    with open(path, "wb") as f:
        f.write(ti.tobuf(tarfile.PAX_FORMAT))
        f.write(big_prefix)
        f.seek(big_size - len(big_prefix) + (-big_size) % 512, os.SEEK_CUR)
        f.write(rest.getvalue())


def big_status_oci(path):
    bomb_oci(None, path, "gzip", size=96 << 20, member="var/lib/dpkg/status")


if __name__ == "__main__":
    sys.exit(main())
