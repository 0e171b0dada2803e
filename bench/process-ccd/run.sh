#!/usr/bin/env bash
# process_ccd's wall time per CCD (FullIsr, characterizeImage, calibrate, calexp formatting) on one full simulated
# DECam CCD with the whole instrument signature; simulation and master calibrations not timed.
#   bench/process-ccd/run.sh [REPETITIONS]     (default 3)
# Needs: Maven offline repository populated (mvn -o), a JDK 17+.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mvn -o -q -pl shared-model/imaging,simulator -am test-compile
mvn -o -q -pl simulator dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="simulator/target/test-classes:simulator/target/classes:shared-model/imaging/target/classes:$(cat "$WORK/cp.txt")"
echo "== $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx6g -cp "$CP" org.lovoccs.simulator.isr.ProcessCcdBench "$REPS"
