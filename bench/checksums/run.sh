#!/usr/bin/env bash
# SHA-256, MD5 and CRC32C of 100 MB on one core (the registry's checksum, S3's ETag, and a cheap one to compare).
#   bench/checksums/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
javac -d "$WORK" bench/checksums/ChecksumBench.java
taskset -c 0 java -XX:ActiveProcessorCount=1 -Xmx512m -cp "$WORK" ChecksumBench
