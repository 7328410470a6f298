#!/usr/bin/env python3
"""build-secrets.py OUTDIR - the secrets test image, written by hand.

    scripts/build-secrets.py "$tmp/secrets"

Writes, in OUTDIR (created; must not exist or be empty):

  oci/             OCI image layout, tag `secrets`: five layers of mixed
                   compression (gzip, zstd, plain tar) and a config whose Env
                   and history carry secrets
  secrets.docker.tar  the same image as a docker-archive (the same layer
                   blobs, RepoTags customs/secrets:1)
  expected.json    what customs must report: {"findings": [[rule_id, path,
                   layer index or null, removed_in_layer index or null], ...],
                   "diff_ids": [...], "raw": [every planted secret, in full]}

No daemon and no network: python3's tarfile and gzip, and the zstd command
line tool. The secrets are fake but shaped like the real formats (random
characters from a fixed seed, so the image is the same bytes on every run);
none is a documented placeholder or EXAMPLE key. What each layer holds and
why is told in docs/test-images.md ("The secrets image").
"""
import base64
import io
import json
import os
import random
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ocibuild  # noqa: E402

EPOCH = 1700000000
rng = random.Random("customs secrets image v1")
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def rand(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def pem(label, nbytes):
    body = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(nbytes))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


# The secrets (raw values, for the "never printed" check).
rsa_key = pem("RSA PRIVATE KEY", 1190)                      # private-key-rsa
ssh_key = pem("OPENSSH PRIVATE KEY", 400)                   # private-key-openssh
github = "ghp_" + rand(36)                                  # github-pat
slack = "xoxb-%s-%s-%s" % (rand(12, "0123456789"), rand(13, "0123456789"), rand(24))  # slack-bot-token
gitlab = "glpat-" + rand(20)                                # gitlab-pat
sendgrid = "SG.%s.%s" % (rand(22), rand(43))                # sendgrid-api-key
db_pw = rand(18)
db_url = "postgresql://app:%s@db.internal:5432/orders" % db_pw  # database-url
aws_id = "AKIA" + rand(16, UPNUM)                           # aws-access-key-id
stripe = "sk_live_" + rand(32)                              # stripe-secret-key (config Env)
npm = "npm_" + rand(36)                                     # npm-access-token (history)

# the secret part of each (what must never be printed); for PEM keys the
# first base64 line of the body is what the rule captures
def first_body_line(k):
    return k.splitlines()[1]


RAW = [first_body_line(rsa_key), first_body_line(ssh_key), github, slack, gitlab, sendgrid,
       db_pw, aws_id, stripe, npm]

# A path longer than ustar's 100-byte name + 155-byte prefix can hold: only
# a PAX header carries it.
LONG_DIR = "opt/vendor/" + "/".join("component-%02d-%s" % (i, "x" * 4) for i in range(16))
LONG_PATH = LONG_DIR + "/credentials/aws-credentials.ini"
assert len(LONG_PATH) > 256


class Layer:
    def __init__(self):
        self.buf = io.BytesIO()
        self.tar = tarfile.open(fileobj=self.buf, mode="w", format=tarfile.PAX_FORMAT)
        self.dirs = set()

    def _info(self, name, kind):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mtime = EPOCH
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = "root"
        ti.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
        return ti

    def dir(self, path):
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.dirs:
                self.dirs.add(d)
                self.tar.addfile(self._info(d + "/", tarfile.DIRTYPE))

    def file(self, path, data, mode=0o644):
        if "/" in path:
            self.dir(path.rsplit("/", 1)[0])
        if isinstance(data, str):
            data = data.encode()
        ti = self._info(path, tarfile.REGTYPE)
        ti.mode = mode
        ti.size = len(data)
        self.tar.addfile(ti, io.BytesIO(data))

    def hardlink(self, path, target):
        ti = self._info(path, tarfile.LNKTYPE)
        ti.linkname = target
        self.tar.addfile(ti)

    def whiteout(self, path):
        d, b = path.rsplit("/", 1)
        self.file(d + "/.wh." + b, b"")

    def opaque(self, d):
        self.file(d + "/.wh..wh..opq", b"")

    def done(self):
        self.tar.close()
        return self.buf.getvalue()


# ---------------------------------------------------------------- layers
layers = []   # (tar bytes, compression, created_by)

# 0 (gzip): a base; the private key (deleted by layer 1); a token file and a
# hard link to it in the same layer; clean configuration beside them.
L = Layer()
L.file("etc/os-release", 'PRETTY_NAME="Customs secrets test image"\nID=customs-test\n')
L.file("etc/hostname", "secrets\n")
L.file("opt/app/deploy_key", rsa_key, 0o600)
L.file("opt/app/config.yaml", "listen: 0.0.0.0:8080\nlog_level: info\nworkers: 4\n")
L.file("srv/app/github-token.txt", "# CI token for the release job\nGITHUB_TOKEN=%s\n" % github, 0o600)
L.hardlink("srv/app/token.link", "srv/app/github-token.txt")
L.file("srv/app/README", "Run ./start.sh; credentials come from the environment.\n")
layers.append((L.done(), "gzip", "ADD rootfs.tar / # buildkit"))

# 1 (zstd): deletes the key; a Slack bot token in a zstd layer.
L = Layer()
L.whiteout("opt/app/deploy_key")
L.file("etc/notify/slack.conf", "[slack]\nchannel = #deploys\nbot_token = %s\n" % slack)
layers.append((L.done(), "zstd", "RUN /bin/sh -c rm -f /opt/app/deploy_key && install-notify # buildkit"))

# 2 (gzip): a GitLab token overwritten by layer 3; a SendGrid key in a
# directory that layer 4 makes opaque; an OpenSSH key nobody removes. Its
# created_by carries the npm token (a build argument).
L = Layer()
L.file("etc/app/api.env", "GITLAB_URL=https://gitlab.internal\nGITLAB_TOKEN=%s\n" % gitlab)
L.file("var/lib/appdata/mail.ini", "[mail]\nprovider = sendgrid\napi_key = %s\n" % sendgrid)
L.file("root/.ssh/id_ed25519", ssh_key, 0o600)
layers.append((L.done(), "gzip",
               "RUN |1 NPM_TOKEN=%s /bin/sh -c npm ci --omit=dev && npm cache clean --force # buildkit" % npm))

# 3 (plain tar): overwrites api.env with clean content.
L = Layer()
L.file("etc/app/api.env", "GITLAB_URL=https://gitlab.internal\nGITLAB_TOKEN_FILE=/run/secrets/gitlab\n")
layers.append((L.done(), "none", "RUN /bin/sh -c sed -i /GITLAB_TOKEN=/d /etc/app/api.env # buildkit"))

# 4 (gzip): /var/lib/appdata made opaque (hides layer 2's mail.ini) with a
# new file holding a database URL inside it; a file under a long PAX name.
L = Layer()
L.dir("var/lib/appdata")
L.opaque("var/lib/appdata")
L.file("var/lib/appdata/db.env", "DATABASE_URL=%s\nPOOL_SIZE=10\n" % db_url)
L.file(LONG_PATH, "[default]\naws_access_key_id = %s\nregion = eu-west-1\n" % aws_id)
layers.append((L.done(), "gzip", "RUN /bin/sh -c rm -rf /var/lib/appdata && mkdir /var/lib/appdata && vendor-install # buildkit"))

EXPECTED = [
    ["private-key-rsa", "opt/app/deploy_key", 0, 1],
    ["github-pat", "srv/app/github-token.txt", 0, None],
    ["slack-bot-token", "etc/notify/slack.conf", 1, None],
    ["gitlab-pat", "etc/app/api.env", 2, 3],
    ["sendgrid-api-key", "var/lib/appdata/mail.ini", 2, 4],
    ["private-key-openssh", "root/.ssh/id_ed25519", 2, None],
    ["database-url", "var/lib/appdata/db.env", 4, None],
    ["aws-access-key-id", LONG_PATH, 4, None],
    ["stripe-secret-key", "config:Env", None, None],
    ["stripe-secret-key", "config:history[6].created_by", None, None],
    ["npm-access-token", "config:history[3].created_by", None, None],
]

# ---------------------------------------------------------------- blobs
out = sys.argv[1] if len(sys.argv) == 2 else sys.exit("usage: build-secrets.py OUTDIR")
os.makedirs(out, exist_ok=True)
if os.listdir(out):
    sys.exit("build-secrets.py: %s is not empty" % out)
created = "2024-05-01T12:00:00Z"
history = [
    {"created": created, "created_by": layers[0][2]},                                    # 0 -> layer 0
    {"created": created, "created_by": layers[1][2]},                                    # 1 -> layer 1
    {"created": created, "created_by": "ARG NPM_TOKEN", "empty_layer": True},           # 2
    {"created": created, "created_by": layers[2][2]},                                    # 3 -> layer 2
    {"created": created, "created_by": layers[3][2]},                                    # 4 -> layer 3
    {"created": created, "created_by": layers[4][2]},                                    # 5 -> layer 4
    {"created": created, "created_by": "ENV STRIPE_API_KEY=%s" % stripe, "empty_layer": True},  # 6
    {"created": created, "created_by": 'CMD ["/srv/app/start.sh"]', "empty_layer": True},     # 7
]


def make_config(diff_ids):
    return {
        "created": created,
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "STRIPE_API_KEY=%s" % stripe, "APP_ENV=production"],
            "Cmd": ["/srv/app/start.sh"],
            "Labels": {"org.opencontainers.image.title": "customs secrets test image"},
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }


diff_ids = ocibuild.write_image(out, "secrets", "customs/secrets:1", [(tar, comp) for tar, comp, _ in layers],
                                 make_config)

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump({"findings": EXPECTED, "diff_ids": diff_ids, "raw": RAW,
               "compression": [c for _, c, _ in layers]}, f, indent=1)
print(out)
