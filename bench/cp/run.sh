#!/usr/bin/env bash
# Master bias and master flat build times for one 2048 x 4096 DECam CCD (imaging's cp package), from simulated raws
# held in memory (the simulation is not timed).
#   bench/cp/run.sh [ZEROS] [FLATS] [REPETITIONS]     (defaults 20 10 3)
# Needs: Maven offline repository populated (mvn -o), a JDK 17+.
set -euo pipefail
cd "$(dirname "$0")/../.."
ZEROS="${1:-20}"; FLATS="${2:-10}"; REPS="${3:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mvn -o -q -pl shared-model/imaging,simulator -am test-compile
mvn -o -q -pl simulator dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="simulator/target/test-classes:simulator/target/classes:shared-model/imaging/target/classes:$(cat "$WORK/cp.txt")"
echo "== $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Xmx6g -cp "$CP" org.lovoccs.simulator.cp.CpBench "$ZEROS" "$FLATS" "$REPS"
