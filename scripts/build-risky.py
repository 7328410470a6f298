#!/usr/bin/env python3
"""build-risky.py OUTDIR - the configuration audit's test image, written by hand.

    scripts/build-risky.py "$tmp/risky"

Writes, in OUTDIR (created; must not exist or be empty):

  oci/             OCI image layout, tag `risky`: ten gzip layers and a config
                   with every risky setting the audit checks (docs/config-audit.md)
  risky.docker.tar the same image as a docker-archive (the same layer blobs,
                   RepoTags customs/risky:1)
  expected.json    what `customs image --scanners config` must report:
                   {"findings": [[id, path, layer index or null, severity], ...],
                    "diff_ids": [...], "raw": [values that must never be printed]}

No daemon and no network: python3's tarfile and gzip only; every byte is
fixed (mtimes, a seeded generator), so the image is the same on every run.
The history is written the way docker (`/bin/sh -c #(nop) ...`, `|1 A=b
/bin/sh -c ...`) and BuildKit (`RUN ... # buildkit`) write it. What each
layer holds and why is told in docs/test-images.md ("The risky image").
"""
import gzip
import hashlib
import io
import json
import os
import random
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ocibuild  # noqa: E402

EPOCH = 1700000000
rng = random.Random("customs risky image v1")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rand(n):
    return "".join(rng.choice(ALNUM) for _ in range(n))


# values that must never appear in a report
DB_PASSWORD = rand(20)        # config Env (CS-IMG-004)
BUILD_PASSWORD = rand(16)     # build argument of a RUN step (CS-IMG-005)
SETUP_TOKEN = rand(24)        # ENV step later emptied (CS-IMG-005)
RAW = [DB_PASSWORD, BUILD_PASSWORD, SETUP_TOKEN]


class Layer:
    def __init__(self):
        self.buf = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buf, mode="w", format=tarfile.PAX_FORMAT)
        self.dirs = set()

    def _info(self, name, kind, mode):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mtime = EPOCH
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = "root"
        ti.mode = mode
        return ti

    def dir(self, path, mode=0o755):
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            last = i == len(parts)
            if d not in self.dirs:
                self.dirs.add(d)
                self.tar.addfile(self._info(d + "/", tarfile.DIRTYPE, mode if last else 0o755))

    def file(self, path, data, mode=0o644):
        if "/" in path:
            self.dir(path.rsplit("/", 1)[0])
        if isinstance(data, str):
            data = data.encode()
        ti = self._info(path, tarfile.REGTYPE, mode)
        ti.size = len(data)
        self.tar.addfile(ti, io.BytesIO(data))

    def symlink(self, path, target):
        if "/" in path:
            self.dir(path.rsplit("/", 1)[0])
        ti = self._info(path, tarfile.SYMTYPE, 0o777)
        ti.linkname = target
        self.tar.addfile(ti)

    def whiteout(self, path):
        d, b = path.rsplit("/", 1)
        self.file(d + "/.wh." + b, b"")

    def done(self):
        self.tar.close()
        return self.buf.getvalue()


def elf_stub(name):
    """Bytes that look like a small binary (content does not matter to the audit)."""
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + ("customs risky test stub: %s\n" % name).encode()


def apk_db(pkgs):
    out = []
    for name, ver, files in pkgs:
        out += ["C:Q1" + hashlib.sha1((name + ver).encode()).hexdigest()[:27] + "=", "P:" + name, "V:" + ver,
                "A:x86_64", "S:1000", "I:4096", "T:" + name, "U:https://example.invalid/", "L:MIT",
                "o:" + name, "m:Customs Tests <tests@example.invalid>", "t:1700000000", "c:0000000000"]
        cur = None
        for f in files:
            d, b = f.rsplit("/", 1)
            if d != cur:
                out.append("F:" + d)
                cur = d
            out.append("R:" + b)
        out.append("")
    return "\n".join(out) + "\n"


PASSWD_BASE = ("root:x:0:0:root:/root:/bin/sh\n"
               "daemon:x:2:2:daemon:/sbin:/sbin/nologin\n"
               "nobody:x:65534:65534:nobody:/:/sbin/nologin\n")
SHADOW_BASE = ("root:*:19000:0:::::\n"
               "daemon:!:19000:0:::::\n"
               "nobody:!:19000:0:::::\n")
BASE_PKGS = [("busybox", "1.36.1-r5", ["bin/busybox", "bin/sh"]),
             ("bbsuid", "1.36.1-r5", ["bin/bbsuid"])]

# ---------------------------------------------------------------- layers
layers = []   # (tar bytes, created_by)

# 0: a small base (docker's ADD of a root filesystem): an apk database whose
# bbsuid package ships a setuid binary (low: the base distribution's own),
# clean accounts, /tmp sticky and world-writable (never reported).
L = Layer()
L.file("etc/os-release", 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n')
L.file("etc/passwd", PASSWD_BASE)
L.file("etc/shadow", SHADOW_BASE, 0o640)
L.file("bin/busybox", elf_stub("busybox"), 0o755)
L.symlink("bin/sh", "/bin/busybox")
L.file("bin/bbsuid", elf_stub("bbsuid"), 0o4755)
L.file("lib/apk/db/installed", apk_db(BASE_PKGS))
L.dir("tmp", 0o1777)
L.dir("usr/local/bin")
L.dir("var/cache/apk")
layers.append((L.done(), "/bin/sh -c #(nop) ADD file:%s in / " % hashlib.sha256(b"risky base").hexdigest()))

# 1: the package index updated alone (CIS 4.7); the lists stay.
L = Layer()
L.file("var/lib/apt/lists/lock", b"")
L.file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", "Origin: Debian\nSuite: stable\n" * 40)
layers.append((L.done(), "RUN /bin/sh -c apt-get update # buildkit"))

# 2: apt-get install without -y, without --no-install-recommends, lists kept.
L = Layer()
L.file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", rand(3000))
L.file("usr/bin/curl", elf_stub("curl"), 0o755)
layers.append((L.done(), "RUN /bin/sh -c apt-get update && apt-get install curl # buildkit"))

# 3: docker's RUN with a build argument holding a password; curl | sh;
# chmod 777 on a tool and a directory (world-writable in usr/local); a
# sticky world-writable directory beside them (never reported).
L = Layer()
L.file("usr/local/bin/tool", "#!/bin/sh\necho tool\n", 0o777)
L.dir("usr/local/share/drop", 0o777)
L.dir("usr/local/share/spool", 0o1777)
layers.append((L.done(), "|1 BUILD_PASSWORD=%s /bin/sh -c curl -fsSL https://get.example.invalid/install.sh | sh "
                         "&& chmod 777 /usr/local/bin/tool /usr/local/share/drop && chmod 1777 /usr/local/share/spool"
                         % BUILD_PASSWORD))

# 4: ADD of a remote URL (the path and query carry a token: only the host is
# printed).
L = Layer()
L.file("opt/agent/agent.tar.gz", gzip.compress(b"agent", 6, mtime=0))
layers.append((L.done(), "ADD https://downloads.example.invalid/agent.tar.gz?token=%s /opt/agent/ # buildkit"
               % SETUP_TOKEN[:8]))

# 5: the build context copied whole: a .git directory comes along.
L = Layer()
L.file("src/app/main.py", "print('hello')\n")
L.file("src/app/.git/HEAD", "ref: refs/heads/main\n")
L.file("src/app/.git/config", "[core]\n\trepositoryformatversion = 0\n")
L.file("src/app/.git/objects/ab/cdef0123456789", rand(200))
layers.append((L.done(), "COPY . /src # buildkit"))

# 6: sudo installs a setuid helper no package ships (high) and another one
# that layer 7 deletes again (not reported: gone from the final image).
L = Layer()
L.file("usr/local/bin/helper", elf_stub("helper"), 0o4755)
L.file("usr/local/bin/old-helper", elf_stub("old-helper"), 0o6755)
layers.append((L.done(), "RUN /bin/sh -c sudo install -m 4755 /src/app/helper /usr/local/bin/helper "
                         "&& install -m 6755 /src/app/old /usr/local/bin/old-helper # buildkit"))

# 7: accounts: toor with UID 0 and an empty password, two accounts sharing
# UID 1000, a service account with an empty password but no login shell
# (never reported); root's authorized_keys; the old helper deleted.
L = Layer()
L.file("etc/passwd", PASSWD_BASE + "toor:x:0:0:toor:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"
       "deploy:x:1000:1000::/home/deploy:/bin/sh\nsvc:x:1001:1001::/srv:/sbin/nologin\n")
L.file("etc/shadow", SHADOW_BASE + "toor::19000:0:99999:7:::\napp:!:19000:0:::::\ndeploy:!:19000:0:::::\n"
       "svc::19000:0:::::\n", 0o640)
L.file("root/.ssh/authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s deploy@ci\n" % rand(43))
L.whiteout("usr/local/bin/old-helper")
layers.append((L.done(), "RUN /bin/sh -c useradd -o -u 0 -g 0 toor && passwd -d toor && useradd app "
                         "&& useradd -o -u 1000 deploy && mkdir -p /root/.ssh "
                         "&& cp /src/app/id.pub /root/.ssh/authorized_keys && rm /usr/local/bin/old-helper # buildkit"))

# 8: apk add without --no-cache (the index stays in /var/cache/apk), an
# upgrade, and sudo from a package: its setuid binary is medium.
L = Layer()
L.file("var/cache/apk/APKINDEX.5022a8a2.tar.gz", gzip.compress(rand(500).encode(), 6, mtime=0))
L.file("usr/bin/sudo", elf_stub("sudo"), 0o4111)
L.file("lib/apk/db/installed", apk_db(BASE_PKGS + [("sudo", "1.9.15_p5-r0", ["usr/bin/sudo"])]))
layers.append((L.done(), "RUN /bin/sh -c apk add sudo && apk upgrade # buildkit"))

# 9: an SSH server with its host keys baked in (the .pub halves are fine).
L = Layer()
L.file("etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\n(test stub, not a key)\n"
       "-----END OPENSSH PRIVATE KEY-----\n", 0o600)
L.file("etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s root@risky\n" % rand(43))
L.file("etc/ssh/sshd_config", "PermitRootLogin yes\n")
layers.append((L.done(), "RUN /bin/sh -c apk add --no-cache openssh-server && ssh-keygen -A # buildkit"))

H = "config:history[%d]"
# [id, path, layer, severity]; history indexes are those of `history` below
EXPECTED = [
    ["CS-IMG-001", "config:User", None, "medium"],
    ["CS-IMG-002", "config:ExposedPorts", None, "medium"],
    ["CS-IMG-003", "config:Healthcheck", None, "low"],
    ["CS-IMG-004", "config:Env", None, "high"],
    ["CS-IMG-005", H % 5, 3, "high"],            # build argument BUILD_PASSWORD
    ["CS-IMG-005", H % 9, None, "high"],         # ENV SETUP_TOKEN, emptied by a later ENV
    ["CS-IMG-018", H % 2, 1, "low"],             # apt-get update alone
    ["CS-IMG-013", H % 4, 2, "low"],
    ["CS-IMG-014", H % 4, 2, "low"],
    ["CS-IMG-015", H % 4, 2, "low"],
    ["CS-IMG-022", "var/lib/apt/lists", 2, "low"],
    ["CS-IMG-011", H % 5, 3, "high"],            # curl | sh
    ["CS-IMG-019", H % 5, 3, "medium"],          # chmod 777
    ["CS-IMG-021", "usr/local/bin/tool", 3, "high"],
    ["CS-IMG-021", "usr/local/share/drop", 3, "high"],
    ["CS-IMG-010", H % 6, 4, "medium"],          # ADD https://...
    ["CS-IMG-023", "src/app/.git", 5, "medium"],
    ["CS-IMG-012", H % 10, 6, "medium"],         # sudo
    ["CS-IMG-020", "usr/local/bin/helper", 6, "high"],
    ["CS-IMG-020", "bin/bbsuid", 0, "low"],
    ["CS-IMG-020", "usr/bin/sudo", 8, "medium"],
    ["CS-IMG-025", "root/.ssh/authorized_keys", 7, "medium"],
    ["CS-IMG-026", "etc/shadow", 7, "high"],     # toor
    ["CS-IMG-027", "etc/passwd", 7, "medium"],   # app and deploy: UID 1000
    ["CS-IMG-028", "etc/passwd", 7, "high"],     # toor: UID 0
    ["CS-IMG-016", H % 12, 8, "low"],            # apk add without --no-cache
    ["CS-IMG-017", H % 12, 8, "low"],            # apk upgrade
    ["CS-IMG-022", "var/cache/apk", 8, "low"],
    ["CS-IMG-024", "etc/ssh/ssh_host_ed25519_key", 9, "high"],
]

# ---------------------------------------------------------------- blobs
out = sys.argv[1] if len(sys.argv) == 2 else sys.exit("usage: build-risky.py OUTDIR")
os.makedirs(out, exist_ok=True)
if os.listdir(out):
    sys.exit("build-risky.py: %s is not empty" % out)
created = "2024-05-01T12:00:00Z"


def step(by, empty=False):
    h = {"created": created, "created_by": by}
    if empty:
        h["empty_layer"] = True
    return h


history = [
    step(layers[0][1]),                                                     # 0 -> layer 0
    step('/bin/sh -c #(nop)  CMD ["/bin/sh"]', True),                       # 1
    step(layers[1][1]),                                                     # 2 -> layer 1
    step("ARG BUILD_PASSWORD", True),                                       # 3 (no value: nothing)
    step(layers[2][1]),                                                     # 4 -> layer 2
    step(layers[3][1]),                                                     # 5 -> layer 3
    step(layers[4][1]),                                                     # 6 -> layer 4
    step(layers[5][1]),                                                     # 7 -> layer 5
    step("ENV DB_PASSWORD=%s" % DB_PASSWORD, True),                         # 8 (left to config:Env)
    step("ENV SETUP_TOKEN=%s" % SETUP_TOKEN, True),                         # 9 -> CS-IMG-005
    step(layers[6][1]),                                                     # 10 -> layer 6
    step(layers[7][1]),                                                     # 11 -> layer 7
    step(layers[8][1]),                                                     # 12 -> layer 8
    step("ENV SETUP_TOKEN=", True),                                         # 13
    step(layers[9][1]),                                                     # 14 -> layer 9
    step("EXPOSE map[22/tcp:{} 8080/tcp:{}]", True),                        # 15
    step('CMD ["/usr/sbin/sshd", "-D"]', True),                             # 16
]
# the history indexes EXPECTED names are those of the steps above
for hi, li in ((2, 1), (4, 2), (5, 3), (6, 4), (10, 6), (12, 8)):
    assert history[hi]["created_by"] == layers[li][1]


def make_config(diff_ids):
    return {
        "created": created,
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "User": "",
            "ExposedPorts": {"22/tcp": {}, "8080/tcp": {}},
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "DB_PASSWORD=%s" % DB_PASSWORD, "DB_PASSWORD_FILE=/run/secrets/db", "SETUP_TOKEN=",
                    "APP_ENV=production"],
            "Cmd": ["/usr/sbin/sshd", "-D"],
            "Labels": {"org.opencontainers.image.title": "customs risky test image"},
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }


diff_ids = ocibuild.write_image(out, "risky", "customs/risky:1", [(tar, "gzip") for tar, _ in layers], make_config)

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump({"findings": EXPECTED, "diff_ids": diff_ids, "raw": RAW}, f, indent=1)
print(out)
