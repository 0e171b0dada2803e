#!/usr/bin/env bash
# BackgroundOffset.measure (calibrate's clipped mean of the calexp's sky) on one 2048 x 4096 CCD, one core: the offset
# it finds and the best and median time of 15 runs after 5 warm-up runs.
#   bench/background-offset/run.sh   (needs ./lovoccs build, or mvn -o -pl shared-model/imaging compile)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -cp shared-model/imaging/target/classes -d "$WORK" bench/background-offset/OffsetBench.java
taskset -c 0 java -XX:ActiveProcessorCount=1 -Xmx2g -cp "shared-model/imaging/target/classes:$WORK" OffsetBench "$@"
