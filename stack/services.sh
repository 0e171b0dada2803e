#!/usr/bin/env bash
# Runs the LoVoCCS services as local processes against the embedded stack (stack/stack.sh):
#   stack/services.sh up [SERVICE...]     start (packaged quarkus-run.jar), wait until ready
#   stack/services.sh down [SERVICE...]   stop
#   stack/services.sh status              pid, port, readiness, log of each
# Logs: $LOVOCCS_HOME/logs/<service>.log; pids: $LOVOCCS_HOME/run/<service>.pid.
set -euo pipefail

STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$STACK_DIR/.." && pwd)
LOVOCCS_HOME=${LOVOCCS_HOME:-$REPO_ROOT/.lovoccs}
LOG_DIR=$LOVOCCS_HOME/logs
RUN_DIR=$LOVOCCS_HOME/run
READY_TIMEOUT=${LOVOCCS_SERVICE_START_TIMEOUT:-120}

# service:port, in start order (the registry first: it migrates the schema)
ALL_SERVICES=(registry:8080 ingestion:8081 isr:8082 calibration:8083)

log() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

port_of() {
  local s
  for s in "${ALL_SERVICES[@]}"; do
    [[ ${s%%:*} == "$1" ]] && { local var="LOVOCCS_${1^^}_PORT"; printf '%s' "${!var:-${s##*:}}"; return; }
  done
  die "unknown service '$1'; services: ${ALL_SERVICES[*]%%:*}"
}

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

ready() { curl -fsS -m 2 "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1; }

# the orchestrator's pipeline the registry is to plan from (LOVOCCS_ORCHESTRATOR_PIPELINE, else the bundled default)
pipeline_wanted() { printf '%s\n' "${LOVOCCS_ORCHESTRATOR_PIPELINE:-LoVoCCS-orchestrator.yaml}"; }

# JVM options: LOVOCCS_<SERVICE>_JAVA_OPTS, else LOVOCCS_SERVICE_JAVA_OPTS, else the service's default heap (the isr
# worker runs LOVOCCS_ISR_CONCURRENCY (2) quanta side by side, each holding a raw CCD, its master bias, flat and fringe
# frame and the output at once: 3 GB, committed and touched at start, because a heap that grows and shrinks has the
# kernel zero its pages again each time: 3.7% of the worker's CPU in a profile, docs/benchmarks.md)
java_opts() {
  local var="LOVOCCS_${1^^}_JAVA_OPTS" def=-Xmx768m
  [[ $1 == isr ]] && def="-Xmx3g -Xms3g -XX:+AlwaysPreTouch"
  printf '%s\n' "${!var:-${LOVOCCS_SERVICE_JAVA_OPTS:-$def}}"
}

# Every service runs with the JDK's Vector API (--add-modules jdk.incubator.vector, an incubator module in JDK 17): the
# detection smoothing's and brighter-fatter correction's loops then take their SIMD form, the same bits, 2-3x faster
# (org.lovoccs.imaging.simd.Simd; the isr worker logs which form it runs; -Dlovoccs.simd=false in its JAVA_OPTS turns
# it off). The JVM prints "WARNING: Using incubator modules" at start for it.

selected() { if (($#)); then printf '%s\n' "$@"; else printf '%s\n' "${ALL_SERVICES[@]%%:*}"; fi; }

up() {
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  # the stack first (quick when it runs): it also refuses a registry database that is not this object store's
  "$STACK_DIR/stack.sh" up >/dev/null || die "the stack is not up (see above); the services need it: ./lovoccs stack up"
  eval "$("$STACK_DIR/stack.sh" env)"
  # ingestion asks the registry which raws it holds (butler ingest-raws): point it at this stack's registry
  export LOVOCCS_REGISTRY_URL=${LOVOCCS_REGISTRY_URL:-http://127.0.0.1:$(port_of registry)}
  local java=${JAVA_HOME:+$JAVA_HOME/bin/}java svc
  for svc in $(selected "$@"); do
    local port pidf=$RUN_DIR/$svc.pid logf=$LOG_DIR/$svc.log jar=$REPO_ROOT/services/$svc/target/quarkus-app/quarkus-run.jar
    port=$(port_of "$svc")
    if pid_alive "$pidf" && [[ -f $jar && $jar -nt $pidf ]]; then
      log "$svc was built after it started: restarting it"; down "$svc"
    fi
    if [[ $svc == registry ]] && pid_alive "$pidf" \
        && [[ "$(cat "$RUN_DIR/registry.pipeline" 2>/dev/null)" != "$(pipeline_wanted)" ]]; then
      log "registry plans from $(cat "$RUN_DIR/registry.pipeline" 2>/dev/null || echo '?'), not $(pipeline_wanted): restarting it"
      down registry
    fi
    if pid_alive "$pidf" && ready "$port"; then log "$svc already running (pid $(cat "$pidf"), port $port)"; continue; fi
    [[ -f $jar ]] || die "$jar is missing: build first with './lovoccs build'"
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then
      die "port $port for $svc is taken by another process ($(ss -ltnp "sport = :$port" 2>/dev/null | awk 'NR==2{print $NF}')); set LOVOCCS_${svc^^}_PORT to another port"
    fi
    [[ -f $logf ]] && mv -f "$logf" "$logf.1"
    local t0=$SECONDS
    # a worker's local copy of the calibrations it reads (DatasetCache), beside the stack's data: `./lovoccs clean`
    # removes it with them
    QUARKUS_HTTP_PORT=$port KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS \
      LOVOCCS_WORKER_CACHE_DIR=${LOVOCCS_WORKER_CACHE_DIR:-$LOVOCCS_HOME/data/cache/$svc} \
      setsid nohup "$java" --add-modules jdk.incubator.vector $(java_opts "$svc") -jar "$jar" >"$logf" 2>&1 </dev/null &
    echo $! >"$pidf"
    [[ $svc == registry ]] && pipeline_wanted >"$RUN_DIR/registry.pipeline"
    while ! ready "$port"; do
      if ! pid_alive "$pidf"; then
        printf '[services] ERROR: %s exited during start; last lines of %s:\n' "$svc" "$logf" >&2
        tail -n 25 "$logf" >&2; exit 1
      fi
      if (( SECONDS - t0 > READY_TIMEOUT )); then
        printf '[services] ERROR: %s not ready after %ss; log: %s\n' "$svc" "$READY_TIMEOUT" "$logf" >&2
        tail -n 25 "$logf" >&2; exit 1
      fi
      sleep 0.5
    done
    log "$svc ready on http://127.0.0.1:$port in $((SECONDS - t0))s (pid $(cat "$pidf"), log $logf)"
  done
}

down() {
  local svc
  for svc in $(selected "$@" | tac); do
    local pidf=$RUN_DIR/$svc.pid
    if pid_alive "$pidf"; then
      local pid; pid=$(cat "$pidf"); kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
      log "$svc stopped"
    fi
    rm -f "$pidf"
  done
}

status() {
  local rc=0 svc
  for svc in $(selected "$@"); do
    local port; port=$(port_of "$svc")
    if pid_alive "$RUN_DIR/$svc.pid" && ready "$port"; then
      printf '%-10s up    http://127.0.0.1:%s  pid %s  log %s\n' "$svc" "$port" "$(cat "$RUN_DIR/$svc.pid")" "$LOG_DIR/$svc.log"
    else
      printf '%-10s down  http://127.0.0.1:%s  log %s\n' "$svc" "$port" "$LOG_DIR/$svc.log"; rc=1
    fi
  done
  return $rc
}

cmd=${1:-status}; shift || true
case $cmd in
  up) up "$@" ;; down) down "$@" ;; status) status "$@" ;;
  *) die "usage: $0 up|down|status [SERVICE...]" ;;
esac
