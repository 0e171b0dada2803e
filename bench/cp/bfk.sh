#!/usr/bin/env bash
# Brighter-fatter kernel measurement time for pairs of 2048 x 4096 DECam flats already through ISR and bias
# subtraction, held in memory (simulation and ISR not timed).
#   bench/cp/bfk.sh [PAIRS] [REPETITIONS]     (defaults 2 3)
# Needs: Maven offline repository populated (mvn -o), a JDK 17+.
set -euo pipefail
cd "$(dirname "$0")/../.."
PAIRS="${1:-2}"; REPS="${2:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mvn -o -q -pl shared-model/imaging,simulator -am test-compile
mvn -o -q -pl simulator dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="simulator/target/test-classes:simulator/target/classes:shared-model/imaging/target/classes:$(cat "$WORK/cp.txt")"
echo "== $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Xmx6g -cp "$CP" org.lovoccs.simulator.cp.BfkBench "$PAIRS" "$REPS"
