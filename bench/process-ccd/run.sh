#!/usr/bin/env bash
# process_ccd's wall time per CCD (FullIsr, characterizeImage, calibrate, calexp formatting) on one full simulated
# DECam CCD with the whole instrument signature; simulation and master calibrations not timed.
#   bench/process-ccd/run.sh [REPETITIONS]     (default 3)
#   ONE_CORE=1 bench/process-ccd/run.sh 5       one CCD on one core, as the service runs it (taskset -c 0 and
#                                               -XX:ActiveProcessorCount=1)
# Needs: Maven offline repository populated (mvn -o), a JDK 17+. Maven options (e.g. a private repository,
# MAVEN_OPTS=-Dmaven.repo.local=DIR) pass through MAVEN_OPTS; extra JVM options through BENCH_JAVA_OPTS.
# BENCH_JAVA_OPTS=-Dlovoccs.simd=false runs the scalar loops instead of the SIMD ones (same bits);
# BENCH_JAVA_OPTS=-Dbench.kernel=false skips the measured-kernel variants after the main rounds.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mvn -o -q -pl shared-model/imaging,simulator -am test-compile
mvn -o -q -pl simulator dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="simulator/target/test-classes:simulator/target/classes:shared-model/imaging/target/classes:$(cat "$WORK/cp.txt")"
echo "== $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
PREFIX=()
# the JDK's Vector API, as the services run (the pixel loops' SIMD form; -Dlovoccs.simd=false in BENCH_JAVA_OPTS for
# the scalar form, the same bits)
JOPTS=(-Xmx6g --add-modules jdk.incubator.vector)
if [ "${ONE_CORE:-0}" = 1 ]; then
  PREFIX=(taskset -c 0)
  JOPTS+=(-XX:ActiveProcessorCount=1)
fi
# shellcheck disable=SC2206
JOPTS+=(${BENCH_JAVA_OPTS:-})
"${PREFIX[@]}" java "${JOPTS[@]}" -cp "$CP" org.lovoccs.simulator.isr.ProcessCcdBench "$REPS"
