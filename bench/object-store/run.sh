#!/usr/bin/env bash
# The object store's cost for CCD-sized objects (a postISRCCD with a compressed mask is ~64 MB): PUT and GET through the
# project's ObjectStore (minio-java) against the running embedded S3 server, wall and CPU time of client and server.
#   bench/object-store/run.sh [MB] [ROUNDS]      (default 64 MB, 6 rounds)
# Needs ./lovoccs build and the stack up (./lovoccs stack up or any test/demo run).
set -euo pipefail
cd "$(dirname "$0")/../.."
MB=${1:-64}
ROUNDS=${2:-6}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mvn -o -q -pl shared-model/objectstore test-compile
mvn -o -q -pl shared-model/objectstore dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
eval "$(stack/stack.sh env)"
pid=$(pgrep -f "lovoccs.stack=s3proxy:$PWD/.lovoccs" | head -1 || true)
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), S3 server pid ${pid:-unknown}"
java -cp "shared-model/objectstore/target/test-classes:shared-model/objectstore/target/classes:$(cat "$WORK/cp.txt")" \
  org.lovoccs.objectstore.ObjectStoreBench "$MB" "$ROUNDS" "${pid:--1}"
