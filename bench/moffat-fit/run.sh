#!/usr/bin/env bash
# check_visit's Moffat fit (MoffatFitter.fit) on one core: 200 stars on a noisy image, 10 timed rounds after 5 warm-up
# rounds; prints the fits' mean FWHM and e1 and the best and median time per round.
#   bench/moffat-fit/run.sh   (needs ./lovoccs build, or mvn -o -pl shared-model/imaging compile)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -cp shared-model/imaging/target/classes -d "$WORK" bench/moffat-fit/MoffatBench.java
taskset -c 0 java -XX:ActiveProcessorCount=1 -Xmx1g -cp "shared-model/imaging/target/classes:$WORK" MoffatBench "$@"
