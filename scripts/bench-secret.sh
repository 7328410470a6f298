#!/bin/sh
# bench-secret.sh - throughput of the secret engine alone (no tar, no
# inflate) over real files: reads each file in 64 KiB blocks, as a layer
# walk would, and prints findings, wall MB/s (reads included) and the MB/s
# of the time spent inside the engine.
#
#   scripts/bench-secret.sh [--threads N] [--show] [--root DIR] [PATH...]   (default: /usr)
#
# The numbers are printed, never asserted. Needs build/libcustoms.a (built
# here with make if missing) and the build dependencies (scripts/deps.sh).
set -eu
cd "$(dirname "$0")/.."
[ -f build/libcustoms.a ] || make -s -j2 build/libcustoms.a
pkgs="libarchive libisal libzstd libcrypto libcjson sqlite3 yaml-0.1 libcurl libhs libpcre2-8"
# shellcheck disable=SC2046
cc -std=c11 -O2 -Isrc -Itests $(pkg-config --cflags $pkgs) tests/bench/secret_bench.c build/libcustoms.a \
	-o build/secret_bench $(pkg-config --libs $pkgs) -lpthread -lm
[ $# -gt 0 ] || set -- --threads 2 /usr
exec build/secret_bench "$@"
