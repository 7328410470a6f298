"""ocibuild.py - writes a test image as an OCI layout and a docker archive,
byte for byte the same on every run (the test image scripts share it).

    write_image(out, name, repo_tag, layers, make_config)

layers: (uncompressed tar bytes, compression) pairs, compression "gzip",
"zstd" or "none". make_config(diff_ids) returns the image config (a dict).
Writes OUT/oci (an OCI layout whose one manifest is named NAME) and
OUT/NAME.docker.tar (the same blobs as a docker archive tagged REPO_TAG),
and returns the diff_ids.
"""
import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile

EPOCH = 1700000000
MEDIA = {"gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
         "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
         "none": "application/vnd.oci.image.layer.v1.tar"}


def compress(tar, comp):
    if comp == "gzip":
        return gzip.compress(tar, 6, mtime=0)
    if comp == "zstd":
        blob = subprocess.run(["zstd", "-q", "-c", "-19"], input=tar, stdout=subprocess.PIPE, check=True).stdout
        assert blob[:4] == b"\x28\xb5\x2f\xfd"
        return blob
    return tar


def write_image(out, name, repo_tag, layers, make_config):
    blobdir = os.path.join(out, "oci", "blobs", "sha256")
    os.makedirs(blobdir)

    def put(data):
        d = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobdir, d), "wb") as f:
            f.write(data)
        return "sha256:" + d, len(data)

    descs, diff_ids, blobs = [], [], []
    for tar, comp in layers:
        diff_ids.append("sha256:" + hashlib.sha256(tar).hexdigest())
        blob = compress(tar, comp)
        digest, size = put(blob)
        blobs.append(blob)
        descs.append({"mediaType": MEDIA[comp], "digest": digest, "size": size})
    config_bytes = json.dumps(make_config(diff_ids), indent=1, sort_keys=True).encode()
    cfg_digest, cfg_size = put(config_bytes)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg_size},
        "layers": descs,
    }
    m_digest, m_size = put(json.dumps(manifest, indent=1).encode())
    with open(os.path.join(out, "oci", "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(out, "oci", "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": m_digest,
                                  "size": m_size,
                                  "annotations": {"org.opencontainers.image.ref.name": name}}]}, f, indent=1)

    # docker-archive: the same blobs (docker load reads compressed layers too)
    with tarfile.open(os.path.join(out, name + ".docker.tar"), "w", format=tarfile.PAX_FORMAT) as t:
        def add(member, data):
            ti = tarfile.TarInfo(member)
            ti.size, ti.mtime, ti.mode = len(data), EPOCH, 0o644
            t.addfile(ti, io.BytesIO(data))
        names = []
        for blob in blobs:
            n = "blobs/sha256/" + hashlib.sha256(blob).hexdigest()
            add(n, blob)
            names.append(n)
        add(cfg_digest.replace("sha256:", "blobs/sha256/"), config_bytes)
        add("manifest.json", json.dumps([{"Config": cfg_digest.replace("sha256:", "blobs/sha256/"),
                                          "RepoTags": [repo_tag], "Layers": names}]).encode())
    return diff_ids
