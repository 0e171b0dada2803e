#!/usr/bin/env bash
# CPU profile of a running service or S3Proxy with async-profiler (tools.profiler:async-profiler from Maven Central,
# fetched once into ~/.m2 and unpacked under .lovoccs/lib/async-profiler), attached with jcmd: unlike JFR's execution
# samples it sees native code and the kernel (memset, page clearing, socket and file copies), so a service's whole
# CPU is accounted for.
#   bench/profile-service/run.sh start isr|registry|ingestion|calibration|s3proxy|kafka
#   ... run the work (e.g. bench/process-ccd-services/run.sh 1-16, which restarts the isr worker: start after its
#       "[services] isr ready" line) ...
#   bench/profile-service/run.sh flat isr [N]      the N (default 40) hottest frames, printed from the service's log
#   bench/profile-service/run.sh traces isr [N]    the N (default 20) hottest stacks
#   bench/profile-service/run.sh stop isr
# The profile goes to the service's stdout, i.e. its log (.lovoccs/logs/<name>.log); this script prints the new part.
# jcmd passes one agent option per call (a comma-separated list arrives empty), hence one verb at a time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VERSION=4.1
verb=${1:-}; name=${2:-}; n=${3:-}
[ -n "$verb" ] && [ -n "$name" ] || { sed -n '2,12p' "$0"; exit 2; }
LIB=$ROOT/.lovoccs/lib/async-profiler/linux-x64/libasyncProfiler.so
if [ ! -f "$LIB" ]; then
  jar=$HOME/.m2/repository/tools/profiler/async-profiler/$VERSION/async-profiler-$VERSION.jar
  [ -f "$jar" ] || mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$VERSION >/dev/null \
    || { echo "[profile] cannot fetch tools.profiler:async-profiler:$VERSION from Maven Central" >&2; exit 1; }
  mkdir -p "$ROOT/.lovoccs/lib/async-profiler"
  (cd "$ROOT/.lovoccs/lib/async-profiler" && unzip -o -q "$jar" 'linux-x64/*')
fi
pidfile=$ROOT/.lovoccs/run/$name.pid
[ -f "$pidfile" ] || { echo "[profile] no pid file $pidfile: is '$name' running (./lovoccs stack up; ./lovoccs services up)?" >&2; exit 1; }
pid=$(cat "$pidfile")
log=$ROOT/.lovoccs/logs/$name.log
case "$verb" in
  start) opt=start ;;
  stop) opt=stop ;;
  flat) opt=flat=${n:-40} ;;
  traces) opt=traces=${n:-20} ;;
  *) echo "[profile] unknown verb '$verb' (start, flat, traces, stop)" >&2; exit 2 ;;
esac
before=$(wc -l < "$log" 2>/dev/null || echo 0)
out=$(jcmd "$pid" JVMTI.agent_load "$LIB" "$opt" 2>&1 | tail -1)
[ "$out" = "return code: 0" ] || { echo "[profile] jcmd $pid JVMTI.agent_load failed: $out (see $log)" >&2; exit 1; }
sleep 1
tail -n +"$((before + 1))" "$log"
