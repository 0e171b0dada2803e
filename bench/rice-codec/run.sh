#!/usr/bin/env bash
# RICE_1 tile coding (RiceCodec, what postISRCCD's and icExp's masks and step0's overscanRaw are written with): a
# SHA-256 digest of the coded bytes of test tiles (1-, 2- and 4-byte pixels, amplitudes 0 to 3e9, short and long
# tiles; each also decoded and checked) and the best of 5 times to code a 2048 x 4096 noise plane on one core.
#   bench/rice-codec/run.sh        (needs ./lovoccs build, or mvn -o -pl shared-model/imaging compile)
# A change of the coder that keeps the files the same keeps the digest.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -cp shared-model/imaging/target/classes -d "$WORK" bench/rice-codec/RiceDigest.java
taskset -c 0 java -XX:ActiveProcessorCount=1 -cp "shared-model/imaging/target/classes:$WORK" RiceDigest
