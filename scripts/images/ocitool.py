#!/usr/bin/env python3
"""ocitool.py - the few OCI layout edits umoci 0.4.7 cannot do, for build-images.sh.

  ocitool.py add-layer LAYOUT TAG LAYER.tar CREATED CREATED_BY
      Appends LAYER.tar (an uncompressed tar, written as given: whiteout and
      opaque markers included) to the image tagged TAG as a gzip layer, with a
      history entry. umoci repack never writes opaque whiteouts, and
      `umoci insert --opaque` of umoci 0.4.7 writes a truncated tar (no end
      blocks, no padding), so the opaque layer is made here instead.

  ocitool.py make-index OUT TAG SRC_LAYOUT:SRC_TAG:OS/ARCH[/VARIANT]...
      Writes the OCI layout OUT whose tag TAG is an image index (one entry per
      source image, with its platform), the way `skopeo copy --all` stores a
      multi-platform tag: index.json -> index blob -> manifests. Blobs are
      hard-linked from the source layouts when possible.

  ocitool.py rebase-bundle BUNDLE LAYOUT TAG
      Points the umoci bundle BUNDLE (made by `umoci unpack`/`umoci repack
      --refresh-bundle`) at the image now tagged TAG. `umoci repack` builds on
      the manifest recorded in the bundle, not on the tag, so without this a
      `umoci config` (or add-layer) between two repacks is silently lost. Use it
      only when the tag differs from the bundle's image by config and history.

  ocitool.py layers LAYOUT TAG
      Prints one line per layer: index, media type, digest, diff_id, and the
      created_by of the history entry that made it (empty layers skipped).

Only the Python standard library is used.
"""
import gzip
import hashlib
import json
import os
import shutil
import sys

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
REF = "org.opencontainers.image.ref.name"


def die(msg):
    sys.stderr.write("ocitool: %s\n" % msg)
    sys.exit(1)


def blob_path(layout, digest):
    algo, hexd = digest.split(":", 1)
    return os.path.join(layout, "blobs", algo, hexd)


def read_json_blob(layout, desc):
    with open(blob_path(layout, desc["digest"]), "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != desc["digest"].split(":", 1)[1]:
        die("blob %s does not match its digest" % desc["digest"])
    return json.loads(data)


def write_blob(layout, data):
    """Stores bytes as a blob; returns its descriptor fields (digest, size)."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    path = blob_path(layout, digest)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path):
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    return digest, len(data)


def dump(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


def load_index(layout):
    with open(os.path.join(layout, "index.json")) as f:
        return json.load(f)


def save_index(layout, index):
    tmp = os.path.join(layout, "index.json.tmp")
    with open(tmp, "wb") as f:
        f.write(dump(index))
    os.replace(tmp, os.path.join(layout, "index.json"))


def find_tag(index, tag):
    for i, desc in enumerate(index.get("manifests", [])):
        if desc.get("annotations", {}).get(REF) == tag:
            return i, desc
    die("tag '%s' not found" % tag)


def add_layer(layout, tag, tar_path, created, created_by):
    index = load_index(layout)
    pos, mdesc = find_tag(index, tag)
    if mdesc.get("mediaType") != MT_MANIFEST:
        die("tag '%s' is not an image manifest" % tag)
    manifest = read_json_blob(layout, mdesc)
    config = read_json_blob(layout, manifest["config"])

    diff = hashlib.sha256()
    with open(tar_path, "rb") as f:
        tar = f.read()
    diff.update(tar)
    # mtime=0 and no file name in the gzip header, like `gzip -n`.
    gz = gzip.compress(tar, compresslevel=6, mtime=0)
    ldigest, lsize = write_blob(layout, gz)

    config.setdefault("rootfs", {"type": "layers", "diff_ids": []})
    config["rootfs"]["diff_ids"].append("sha256:" + diff.hexdigest())
    config.setdefault("history", []).append({"created": created, "created_by": created_by})
    config["created"] = created
    cdigest, csize = write_blob(layout, dump(config))

    manifest["config"]["digest"], manifest["config"]["size"] = cdigest, csize
    manifest["layers"].append({"mediaType": MT_LAYER_GZIP, "digest": ldigest, "size": lsize})
    mdigest, msize = write_blob(layout, dump(manifest))

    mdesc["digest"], mdesc["size"] = mdigest, msize
    index["manifests"][pos] = mdesc
    save_index(layout, index)


def link_blob(src_layout, dst_layout, digest):
    src, dst = blob_path(src_layout, digest), blob_path(dst_layout, digest)
    if os.path.exists(dst):
        return
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def make_index(out, tag, sources):
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    entries = []
    for spec in sources:
        try:
            layout, stag, plat = spec.rsplit(":", 2)
        except ValueError:
            die("bad source '%s' (want LAYOUT:TAG:OS/ARCH[/VARIANT])" % spec)
        parts = plat.split("/")
        if len(parts) not in (2, 3):
            die("bad platform '%s'" % plat)
        _, mdesc = find_tag(load_index(layout), stag)
        manifest = read_json_blob(layout, mdesc)
        config = read_json_blob(layout, manifest["config"])
        if (config.get("os"), config.get("architecture")) != (parts[0], parts[1]):
            die("%s: config says %s/%s, not %s" % (spec, config.get("os"), config.get("architecture"), plat))
        for d in [mdesc, manifest["config"]] + manifest["layers"]:
            link_blob(layout, out, d["digest"])
        platform = {"architecture": parts[1], "os": parts[0]}
        if len(parts) == 3:
            platform["variant"] = parts[2]
        entries.append({"mediaType": MT_MANIFEST, "digest": mdesc["digest"],
                        "size": mdesc["size"], "platform": platform})
    idigest, isize = write_blob(out, dump({"schemaVersion": 2, "mediaType": MT_INDEX,
                                           "manifests": entries}))
    save_index(out, {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": [
        {"mediaType": MT_INDEX, "digest": idigest, "size": isize, "annotations": {REF: tag}}]})
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')


def rebase_bundle(bundle, layout, tag):
    _, mdesc = find_tag(load_index(layout), tag)
    meta_path = os.path.join(bundle, "umoci.json")
    with open(meta_path) as f:
        meta = json.load(f)
    walk = meta["from_descriptor_path"]["descriptor_walk"]
    if len(walk) != 1:
        die("%s: expected a single-manifest descriptor walk" % meta_path)
    old = walk[0]["digest"].split(":", 1)[1]
    walk[0] = mdesc
    new = mdesc["digest"].split(":", 1)[1]
    if old != new:
        os.rename(os.path.join(bundle, "sha256_%s.mtree" % old),
                  os.path.join(bundle, "sha256_%s.mtree" % new))
    with open(meta_path + ".tmp", "w") as f:
        json.dump(meta, f)
    os.replace(meta_path + ".tmp", meta_path)


def layers(layout, tag):
    _, mdesc = find_tag(load_index(layout), tag)
    manifest = read_json_blob(layout, mdesc)
    config = read_json_blob(layout, manifest["config"])
    made = [h for h in config.get("history", []) if not h.get("empty_layer")]
    diff_ids = config["rootfs"]["diff_ids"]
    if not (len(made) == len(diff_ids) == len(manifest["layers"])):
        die("%d layers, %d diff_ids, %d non-empty history entries"
            % (len(manifest["layers"]), len(diff_ids), len(made)))
    for i, (l, d, h) in enumerate(zip(manifest["layers"], diff_ids, made), 1):
        print("\t".join([str(i), l["mediaType"], l["digest"], d, h.get("created_by", "")]))


def main(argv):
    if len(argv) == 7 and argv[1] == "add-layer":
        add_layer(*argv[2:])
    elif len(argv) >= 5 and argv[1] == "make-index":
        make_index(argv[2], argv[3], argv[4:])
    elif len(argv) == 5 and argv[1] == "rebase-bundle":
        rebase_bundle(argv[2], argv[3], argv[4])
    elif len(argv) == 4 and argv[1] == "layers":
        layers(argv[2], argv[3])
    else:
        die("usage: see the comment at the top of %s" % argv[0])


if __name__ == "__main__":
    main(sys.argv)
