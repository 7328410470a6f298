#!/usr/bin/env bash
# build-lang.sh - builds the "lang" test image: the sample image of
# build-images.sh with a Node application, Debian's Java libraries, a copied
# jar and a war on top, for the language catalogers' end-to-end tests
# (tests/e2e/lang.sh) and the comparison with Trivy (scripts/compare-trivy.sh).
# No container daemon: umoci, chroot, skopeo, and npm on the host.
#
#   dir=$(scripts/build-lang.sh | tail -1)
#
# The last line on stdout is ${CUSTOMS_CACHE:-$HOME/.cache/customs}/images/
# lang-<key>, <key> being the first 16 hex digits of a sha256 over this
# script, the files it uses (build-common.sh, lang/, images/chroot.sh,
# images/ocitool.py) and the sample image's own key, so a new sample image
# makes a new lang image. Cached, locked and logged as build-common.sh says.
# Needs root (umoci unpack, chroot), the Debian mirror (apt in the chroot)
# and the npm registry (npm install on the host).
#
# Layers, on top of the sample's 5 (FROM customs/sample:1; USER root first,
# USER app again at the end):
#   6  COPY --from=node-build /app/node: scripts/lang/node/package.json
#      installed with `npm install --omit=dev` (package-lock.json kept; the
#      devDependency left out; a nested node_modules duplicate at another
#      version; a scoped package with a package.json that is not a package)
#   7  apt-get install libcommons-lang3-java libcommons-io-java (jars in
#      /usr/share/java owned by dpkg, reached through symlinks too)
#   8  cp of commons-lang3.jar to /app/java/lib (a jar no package owns)
#   9  COPY lang-webapp.war: a war made here with python3 zipfile, holding
#      that jar under WEB-INF/lib (a nested jar)
# Outputs and oracles, all computed from this very build: see the README it
# writes and docs/test-images.md ("The lang image").
set -euo pipefail
umask 022
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec 3>&1 1>&2 # stdout carries the result path only

img_name=lang
# shellcheck source=scripts/build-common.sh
. "$here/build-common.sh"

# The base: the sample image (built first when it is not cached; that needs root).
sample=$("$here/build-images.sh" | tail -1) || die "scripts/build-images.sh failed"
[ -f "$sample/complete" ] || die "no sample image in '$sample'"
img_cache "$(
	cd "$here"
	{
		cat build-lang.sh build-common.sh images/chroot.sh images/ocitool.py
		find lang -type f -print | sort | while IFS= read -r f; do
			printf '\n==> %s <==\n' "$f"
			cat "$f"
		done
		printf '\n==> sample <==\n%s\n' "${sample##*/}"
	} | sha256sum | cut -c1-16
)"
img_require skopeo npm go python3 dpkg-query tar gzip
img_begin

# The sample's times (2025-05-20, one minute per step) go on after its 12 steps.
export SOURCE_DATE_EPOCH=1747699200

oci=$out/oci
bundle=$work/bundle
rootfs=$bundle/rootfs
img_tag=lang
img=$oci:$img_tag
lang_pkgs="libcommons-lang3-java libcommons-io-java"

# ---------------------------------------------------------------- base
# The sample's layout, blobs hard-linked (never written in place), its one
# manifest tagged lang; then unpacked as the bundle the new layers are made in.
step "base: the sample image ($sample)"
mkdir -p "$oci/blobs/sha256"
cp "$sample/oci/oci-layout" "$oci/"
if ! cp -l "$sample"/oci/blobs/sha256/* "$oci/blobs/sha256/" 2>/dev/null; then
	rm -f "$oci"/blobs/sha256/* # (never cp onto a hard link: that writes the sample's blob)
	cp "$sample"/oci/blobs/sha256/* "$oci/blobs/sha256/"
fi
jq -c --arg t "$img_tag" '.manifests |= map(select(.annotations["org.opencontainers.image.ref.name"] == "sample")
	| .annotations["org.opencontainers.image.ref.name"] = $t)' "$sample/oci/index.json" >"$oci/index.json"
[ "$(jq '.manifests | length' "$oci/index.json")" = 1 ] || die "the sample layout has no tag 'sample'"
while IFS=$'\t' read -r _ _ _ _ purpose; do
	img_purposes+=("$purpose	sample")
done < <(tail -n +2 "$sample/layers.tsv")
[ ${#img_purposes[@]} = 5 ] || die "the sample has ${#img_purposes[@]} layers in its layers.tsv, want 5"
run umoci unpack --image "$img" "$bundle"
img_config_step "$(ts 13)" 'USER root' --config.user root

# ---------------------------------------------------------------- layer 6
# npm runs on the build host (the image has no Node.js), as a build stage
# would; no package's install scripts run (--ignore-scripts), and the npm
# cache is customs' own.
step "layer 6: Node application /app/node (npm install --omit=dev)"
nodeapp=$work/node-build/app/node
mkdir -p "$nodeapp"
cp "$here/lang/node/package.json" "$nodeapp/"
npm_flags=(--no-audit --no-fund --no-update-notifier --ignore-scripts --cache "$cache/npm" --loglevel=warn)
(cd "$nodeapp" && run npm install --omit=dev "${npm_flags[@]}") || die "npm install failed"
nm=$nodeapp/node_modules
[ -f "$nodeapp/package-lock.json" ] || die "npm install wrote no package-lock.json"
[ ! -e "$nm/is-number" ] || die "the devDependency is-number was installed despite --omit=dev"
jq -e '.packages["node_modules/is-number"].dev == true' "$nodeapp/package-lock.json" >/dev/null ||
	die "package-lock.json does not list the devDependency is-number as dev"
top_ms=$(jq -r .version "$nm/ms/package.json")
nested_ms=$(jq -r .version "$nm/send/node_modules/ms/package.json" 2>/dev/null) ||
	die "no nested node_modules/send/node_modules/ms: the duplicate this image is for"
[ "$top_ms" != "$nested_ms" ] || die "ms $top_ms twice: not a duplicate at another version"
[ "$(jq -r '.name // "none"' "$nm/@babel/runtime/helpers/esm/package.json")" = none ] ||
	die "@babel/runtime/helpers/esm/package.json is a package after all"
mkdir -p "$rootfs/app/node"
cp -a "$nodeapp/." "$rootfs/app/node/"
img_repack "$(ts 14)" "COPY --from=node-build /app/node /app/node # buildkit" \
	"application: Node.js app /app/node, npm install --omit=dev in a build stage (express $(jq -r .version "$nm/express/package.json"), ms $top_ms and send's own ms $nested_ms, @babel/runtime, @hapi/hoek, minimist; devDependency is-number left out), package-lock.json kept	node"

# ---------------------------------------------------------------- layer 7
step "layer 7: apt-get install $lang_pkgs"
in_chroot "$rootfs" "
apt-get update -qq
apt-get install -y -qq --no-install-recommends $lang_pkgs
apt-get clean
rm -rf /var/lib/apt/lists/*"
if [ ! -f "$rootfs/usr/share/java/commons-lang3.jar" ] || [ -L "$rootfs/usr/share/java/commons-lang3.jar" ]; then
	die "libcommons-lang3-java has no regular file /usr/share/java/commons-lang3.jar"
fi
img_repack "$(ts 15)" "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends $lang_pkgs && rm -rf /var/lib/apt/lists/* # buildkit" \
	"packages: Debian's Java libraries, jars in /usr/share/java owned by dpkg (and symlinks to them in /usr/share/java and /usr/share/maven-repo)	java-deb"

# ---------------------------------------------------------------- layer 8
# The version in the copy's name is Debian's upstream version (3.12.0-2+deb12u1 -> 3.12.0).
lang3_deb=$(dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f '${Version}' libcommons-lang3-java)
lang3_up=$(sed -e 's/^[0-9]*://' -e 's/-[^-]*$//' <<<"$lang3_deb")
lang3_jar=commons-lang3-$lang3_up.jar
step "layer 8: cp commons-lang3.jar /app/java/lib/$lang3_jar"
install -D -m 0644 "$rootfs/usr/share/java/commons-lang3.jar" "$rootfs/app/java/lib/$lang3_jar"
img_repack "$(ts 16)" "RUN /bin/sh -c mkdir -p /app/java/lib && cp /usr/share/java/commons-lang3.jar /app/java/lib/$lang3_jar # buildkit" \
	"application: a copy of Debian's commons-lang3 jar that no package owns	java-copy"

# ---------------------------------------------------------------- layer 9
step "layer 9: COPY lang-webapp.war (WEB-INF/lib/$lang3_jar inside)"
python3 - "$work/lang-webapp.war" "$rootfs/usr/share/java/commons-lang3.jar" "WEB-INF/lib/$lang3_jar" "$SOURCE_DATE_EPOCH" <<'EOF'
# A war as maven-war-plugin lays it out: directories, the manifest, web.xml
# and the library jar, all deflated, with fixed times.
import sys, time, zipfile
war, jar, inner, epoch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
when = time.gmtime(epoch)[:6]
def add(z, name, data=b""):
    zi = zipfile.ZipInfo(name, when)
    zi.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    zi.external_attr = ((0o40755 if name.endswith("/") else 0o100644) << 16) | (0x10 if name.endswith("/") else 0)
    z.writestr(zi, data)
with open(jar, "rb") as f:
    jar_bytes = f.read()
with zipfile.ZipFile(war, "w") as z:
    add(z, "META-INF/")
    add(z, "META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\r\nCreated-By: customs scripts/build-lang.sh\r\n\r\n")
    add(z, "WEB-INF/")
    add(z, "WEB-INF/web.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="5.0">\n'
        b'  <display-name>customs lang webapp</display-name>\n</web-app>\n')
    add(z, "WEB-INF/lib/")
    add(z, inner, jar_bytes)
EOF
install -D -m 0644 "$work/lang-webapp.war" "$rootfs/app/java/webapps/lang-webapp.war"
img_repack "$(ts 17)" "COPY lang-webapp.war /app/java/webapps/lang-webapp.war # buildkit" \
	"application: a war holding the commons-lang3 jar under WEB-INF/lib (nested jar)	java-war"

# The bundle's root filesystem is now the final one (config steps change no
# file): it is kept as rootfs/, and the bundle is done with.
mv "$rootfs" "$out/rootfs"
rm -rf "$bundle"
img_config_step "$(ts 18)" 'USER app' --config.user app
img_config_step "$(ts 19)" 'LABEL org.opencontainers.image.title=customs-lang' \
	--created "$(ts 19)" --config.label org.opencontainers.image.title=customs-lang \
	--config.label org.opencontainers.image.description="customs lang image (scripts/build-lang.sh)"
run umoci gc --layout "$oci"

# ---------------------------------------------------------------- checks
step "checking the image"
img_layers_tsv $'purpose\tid' >"$out/layers.tsv"
[ "$(tail -n +2 "$out/layers.tsv" | wc -l)" = 9 ] || die "expected 9 layers: $(cut -f1,4 "$out/layers.tsv")"
layer_has() { # ID PATH: layer ID's tar holds PATH
	local d
	d=$(awk -F'\t' -v id="$1" '$6 == id { print $2 }' "$out/layers.tsv")
	gzip -dc "$oci/blobs/sha256/${d#sha256:}" | tar -t >"$work/layer.list"
	grep -qxF "$2" "$work/layer.list" || die "layer $1 lacks $2"
}
layer_has node app/node/node_modules/send/node_modules/ms/package.json
layer_has node app/node/package-lock.json
layer_has java-deb usr/share/java/commons-lang3.jar
layer_has java-copy "app/java/lib/$lang3_jar"
layer_has java-war app/java/webapps/lang-webapp.war

# ---------------------------------------------------------------- oracles
step "oracles: dpkg-query, npm ls, pip list, go version -m, jars"
fr=$out/rootfs
dpkg_tsv "$fr" >"$out/expected.dpkg-query.tsv"
(cd "$fr/app/node" && npm ls --all --json --omit=dev) >"$out/npm-ls.json" 2>>"$logf" ||
	die "npm ls reports problems in /app/node: $(jq -c '.problems // .error // empty' "$out/npm-ls.json" | head -c 300)"
jq -e '.dependencies.express.version' "$out/npm-ls.json" >/dev/null || die "npm ls shows no express"
# pip inside the image, without writing bytecode or a cache into it
touch "$work/stamp"
in_chroot "$fr" "PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 /app/venv/bin/pip list --format json --disable-pip-version-check >/tmp/customs-pip-list.json"
mv "$fr/tmp/customs-pip-list.json" "$out/pip-list.json"
changed=$(find "$fr" -xdev -newer "$work/stamp" ! -path "$fr/tmp" ! -path "$fr/etc" | head -3)
[ -z "$changed" ] || die "pip list changed the root filesystem: $changed"
jq -e 'map(.name) | index("requests")' "$out/pip-list.json" >/dev/null || die "pip list shows no requests"
go version -m "$fr/usr/local/bin/sampleapp" | sed "1s|^$fr/|/|" >"$out/go-version-m.txt"
# java.tsv: every jar, war and ear in the image (regular files; jars nested in
# them as OUTER!INNER), each pom.properties in it, the layer of the outer
# file, and the Debian package owning it with its version and upstream version.
python3 - "$fr" "$out/layers.tsv" >"$out/java.tsv" <<'EOF'
import io, os, re, subprocess, sys, zipfile
root, layers_tsv = sys.argv[1], sys.argv[2]
ids = {}
with open(layers_tsv) as f:
    next(f)
    for line in f:
        c = line.rstrip("\n").split("\t")
        ids[c[5]] = c[0]
LAYER = [("usr/share/java/", "java-deb"), ("app/java/lib/", "java-copy"), ("app/java/webapps/", "java-war")]
def layer_of(path):
    for prefix, i in LAYER:
        if path.startswith(prefix):
            return ids[i]
    sys.exit("java.tsv: no layer known for %s" % path)
def owner(path):
    r = subprocess.run(["dpkg-query", "--admindir=" + os.path.join(root, "var/lib/dpkg"), "-S", "/" + path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return "-", "-", "-"
    pkg = r.stdout.split(":", 1)[0].strip()
    ver = subprocess.run(["dpkg-query", "--admindir=" + os.path.join(root, "var/lib/dpkg"), "-W", "-f", "${Version}", pkg],
                         capture_output=True, text=True, check=True).stdout
    return pkg, ver, re.sub(r"-[^-]*$", "", re.sub(r"^[0-9]+:", "", ver))
rows = []
def poms(z):
    for n in sorted(z.namelist()):
        if re.fullmatch(r"META-INF/maven/[^/]+/[^/]+/pom\.properties", n):
            p = {}
            for line in z.read(n).decode("utf-8").splitlines():
                if "=" in line and not line.startswith("#"):
                    k, v = line.split("=", 1)
                    p[k.strip()] = v.strip()
            yield "%s:%s" % (p["groupId"], p["artifactId"]), p["version"]
def walk_zip(label, z, layer, own):
    for name, ver in poms(z):
        rows.append((label, layer, name, ver) + own)
    for n in sorted(z.namelist()):
        if n.endswith((".jar", ".war", ".ear")):
            with zipfile.ZipFile(io.BytesIO(z.read(n))) as inner:
                walk_zip(label + "!" + n, inner, layer, own)
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for fn in sorted(filenames):
        full = os.path.join(dirpath, fn)
        if not fn.endswith((".jar", ".war", ".ear")) or os.path.islink(full):
            continue
        rel = os.path.relpath(full, root)
        with zipfile.ZipFile(full) as z:
            walk_zip(rel, z, layer_of(rel), owner(rel))
print("path\tlayer\tname\tversion\tdeb_package\tdeb_version\tdeb_upstream_version")
for r in rows:
    print("\t".join(r))
EOF
awk -F'\t' 'NR > 1 && $5 != "-" && $4 != $7 { bad = bad " " $1 " (pom.properties " $4 ", Debian " $6 ")" }
	END { if (bad != "") { print "jar versions differ from their Debian upstream versions:" bad; exit 1 } }' \
	"$out/java.tsv" >&2 || die "java.tsv"
for want in "usr/share/java/commons-lang3.jar	.*	libcommons-lang3-java" "app/java/lib/$lang3_jar	.*	-" \
	"app/java/webapps/lang-webapp.war!WEB-INF/lib/$lang3_jar	.*	-"; do
	grep -q "^${want%%	*}	[0-9]*	org.apache.commons:commons-lang3	$lang3_up	${want##*	}	" "$out/java.tsv" ||
		die "java.tsv lacks commons-lang3 $lang3_up at ${want%%	*}: $(cat "$out/java.tsv")"
done

# ---------------------------------------------------------------- variants
step "docker-archive"
run skopeo --insecure-policy copy --quiet "oci:$img" "docker-archive:$out/lang.docker.tar:customs/lang:1"
[ "$(skopeo --insecure-policy inspect "docker-archive:$out/lang.docker.tar" | jq '.Layers | length')" = 9 ] ||
	die "the docker-archive does not load with 9 layers"

cat >"$out/README" <<EOF
customs lang test image, built by scripts/build-lang.sh (key $img_key)
on $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(($(date +%s) - t0)) s, on top of the sample image
$sample. See docs/test-images.md ("The lang image").

One image, "lang": linux/amd64, 9 layers (layers.tsv: index, digest, diff_id,
created_by, purpose, id).
  oci/                    OCI layout, tag lang, gzip layers
  lang.docker.tar         docker-archive, customs/lang:1, uncompressed layers
  rootfs/                 the final root filesystem
Oracles:
  expected.dpkg-query.tsv dpkg-query on rootfs/: Package Version Architecture source:Package source:Version
  npm-ls.json             npm ls --all --json --omit=dev in rootfs/app/node
  pip-list.json           /app/venv/bin/pip list --format json, run chrooted in rootfs/
  go-version-m.txt        go version -m /usr/local/bin/sampleapp
  java.tsv                every jar (nested ones as OUTER!INNER) with its pom.properties
                          coordinates, layer index, owning Debian package, its
                          version and upstream version (- when not owned)
  layers.tsv              the layers; id: sample, node, java-deb, java-copy, java-war
EOF
img_done
