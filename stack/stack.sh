#!/usr/bin/env bash
# LoVoCCS embedded stack: Kafka (KRaft, single node), S3Proxy (filesystem) and PostgreSQL,
# run as plain processes from Maven Central jars and Debian's PostgreSQL. No Docker needed.
#
#   stack/stack.sh up       fetch jars if missing, start what is not running, wait until healthy
#   stack/stack.sh down     stop what this script started (never the machine's system PostgreSQL)
#   stack/stack.sh status   show each server; exit 0 only if all are healthy
#   stack/stack.sh env      print `export VAR=value` lines: eval "$(stack/stack.sh env)"
#   stack/stack.sh fetch    only fetch the jars
#
# Everything (jars, data, logs, pid files) lives under $LOVOCCS_HOME (default <repo>/.lovoccs).
# See stack/README.md for ports and variables.
set -euo pipefail

STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$STACK_DIR/.." && pwd)

LOVOCCS_HOME=${LOVOCCS_HOME:-$REPO_ROOT/.lovoccs}
KAFKA_PORT=${LOVOCCS_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${LOVOCCS_KAFKA_CONTROLLER_PORT:-19093}
S3_PORT=${LOVOCCS_S3_PORT:-19000}
S3_ACCESS_KEY=${LOVOCCS_S3_ACCESS_KEY:-lovoccs}
S3_SECRET_KEY=${LOVOCCS_S3_SECRET_KEY:-lovoccs-secret}
PG_HOST=${LOVOCCS_PG_HOST:-127.0.0.1}
PG_PORT=${LOVOCCS_PG_PORT:-5432}
PG_DB=${LOVOCCS_PG_DB:-lovoccs}
PG_USER=${LOVOCCS_PG_USER:-postgres}
PG_PASSWORD=${LOVOCCS_PG_PASSWORD:-postgres}
KAFKA_TIMEOUT=${LOVOCCS_KAFKA_START_TIMEOUT:-60}
S3_TIMEOUT=${LOVOCCS_S3_START_TIMEOUT:-30}
PG_TIMEOUT=${LOVOCCS_PG_START_TIMEOUT:-30}
KAFKA_HEAP=${LOVOCCS_KAFKA_HEAP:--Xms256m -Xmx512m}
# C1 only: Kafka reaches "started" ~40% sooner on 2 busy cores; plenty for a dev/test broker.
KAFKA_JVM_OPTS=${LOVOCCS_KAFKA_JVM_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseG1GC -XX:MaxGCPauseMillis=20}
# S3Proxy holds a signed PUT's whole body in memory to check its signature: up to 100 MB each (ObjectStore's
# single-PUT limit), several at once
S3_HEAP=${LOVOCCS_S3_HEAP:--Xms64m -Xmx1g}
BIND=127.0.0.1

LIB_DIR=$LOVOCCS_HOME/lib
DATA_DIR=$LOVOCCS_HOME/data
LOG_DIR=$LOVOCCS_HOME/logs
RUN_DIR=$LOVOCCS_HOME/run
CONF_DIR=$LOVOCCS_HOME/conf

KAFKA_LOG=$LOG_DIR/kafka.log
S3_LOG=$LOG_DIR/s3proxy.log
PG_LOG=$LOG_DIR/postgres.log
KAFKA_PID=$RUN_DIR/kafka.pid
S3_PID=$RUN_DIR/s3proxy.pid
PG_PID=$RUN_DIR/postgres.pid
PG_DATA=$DATA_DIR/pg

# ---------------------------------------------------------------------------------------------
# small helpers

log() { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

now() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then printf '%s' "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Is anything listening on 127.0.0.1:$1 (or on a wildcard address with that port)?
port_listening() {
  local port=$1 out
  if command -v ss >/dev/null 2>&1; then
    out=$(ss -Hltn "sport = :$port" 2>/dev/null || true)
    [[ -n $out ]] && return 0
  fi
  (exec 3<>"/dev/tcp/$BIND/$port") 2>/dev/null
}

# What holds a listening port, as far as `ss -ltnp` can tell ("" when it cannot).
port_holder() {
  local port=$1 out
  command -v ss >/dev/null 2>&1 || return 0
  out=$(ss -Hltnp "sport = :$port" 2>/dev/null || true)
  [[ -n $out ]] || return 0
  out=$(printf '%s\n' "$out" | grep -o 'users:(([^)]*))' | head -n 1 || true)
  printf '%s' "$out"
}

# Pids listening on the port, as far as ss can tell.
port_pids() {
  local port=$1 out
  command -v ss >/dev/null 2>&1 || return 0
  out=$(ss -Hltnp "sport = :$port" 2>/dev/null || true)
  printf '%s\n' "$out" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true
}

port_taken_error() { # port envvar what
  local port=$1 var=$2 what=$3 holder
  holder=$(port_holder "$port")
  printf '[stack] ERROR: port %s (%s) on %s is already in use by something that is not this stack'"'"'s %s.\n' \
    "$port" "$what" "$BIND" "$what" >&2
  if [[ -n $holder ]]; then
    printf '[stack]        held by: %s\n' "$holder" >&2
  else
    printf '[stack]        (ss -ltnp could not tell which process holds it)\n' >&2
  fi
  printf '[stack]        stop that process, or choose another port: export %s=<port>\n' "$var" >&2
  exit 1
}

read_pid() {
  if [[ -f $1 ]]; then tr -dc '0-9' <"$1"; fi
  return 0
}

# Is pid $1 alive and one of ours (its command line carries the marker $2)?
pid_is_ours() {
  local pid=$1 marker=$2
  [[ -n $pid ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r /proc/$pid/cmdline ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

print_log_tail() {
  local file=$1
  printf '[stack]        log file: %s\n' "$file" >&2
  if [[ -s $file ]]; then
    printf '[stack]        last 20 lines:\n' >&2
    tail -n 20 "$file" | sed 's/^/    | /' >&2
  else
    printf '[stack]        (the log file is empty or missing)\n' >&2
  fi
}

find_java() {
  local java
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    java=$JAVA_HOME/bin/java
  elif command -v java >/dev/null 2>&1; then
    java=$(command -v java)
  else
    die "no java found: set JAVA_HOME or put java (17 or newer) on PATH (e.g. apt-get install openjdk-17-jdk-headless)"
  fi
  local ver
  ver=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ { print $2 }')
  ver=${ver#1.}
  if [[ -n $ver && $ver =~ ^[0-9]+$ && $ver -lt 17 ]]; then
    die "$java is Java $ver; Kafka 4 and S3Proxy 4 need Java 17 or newer (set JAVA_HOME)"
  fi
  JAVA=$java
}

find_mvn() {
  if [[ -x $REPO_ROOT/mvnw ]]; then
    MVN=$REPO_ROOT/mvnw
  elif command -v mvn >/dev/null 2>&1; then
    MVN=$(command -v mvn)
  else
    die "neither $REPO_ROOT/mvnw nor mvn on PATH: cannot fetch the server jars (apt-get install maven)"
  fi
}

ensure_dirs() {
  mkdir -p "$LIB_DIR" "$DATA_DIR/kafka" "$DATA_DIR/s3" "$LOG_DIR" "$RUN_DIR" "$CONF_DIR"
}

# Rotate a server's log so that health checks only read this run's lines.
rotate_log() {
  local file=$1
  if [[ -f $file && ! -L $file ]]; then mv -f "$file" "$file.prev"; fi
  : >"$file"
}

# Shell code that closes every inherited descriptor above 2, so that a server does not keep
# the caller's pipes (a CI runner waiting for EOF) or the stack lock open.
# shellcheck disable=SC2016 # expanded by the inner shell
CLOSE_FDS='for f in /proc/$$/fd/*; do n=${f##*/}; if [ "$n" -gt 2 ] 2>/dev/null; then eval "exec $n>&-"; fi; done'

# Run a command with only stdin/stdout/stderr open.
exec_clean() { # cmd...
  bash -c "$CLOSE_FDS; exec \"\$@\"" lovoccs-exec "$@"
}

# Start a java server detached from this shell: own session, stdin from /dev/null, output to
# its log, no other inherited descriptors, pid written by the process itself just before it
# becomes java.
spawn_detached() { # pidfile logfile cmd...
  local pidfile=$1 logfile=$2
  shift 2
  local launcher=(bash -c "$CLOSE_FDS; echo \$\$ >\"\$0\"; exec \"\$@\"" "$pidfile" "$@")
  rm -f "$pidfile"
  if command -v setsid >/dev/null 2>&1; then
    setsid "${launcher[@]}" </dev/null >>"$logfile" 2>&1 9>&- &
  else
    nohup "${launcher[@]}" </dev/null >>"$logfile" 2>&1 9>&- &
  fi
  local i
  for i in $(seq 1 50); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "could not start $* (no pid file $pidfile)"
}

# Stop a pid: SIGTERM, wait up to $2 seconds, then SIGKILL.
stop_pid() { # pid timeout name
  local pid=$1 timeout=$2 name=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  warn "$name (pid $pid) did not stop within ${timeout}s after SIGTERM: sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

# Serialise concurrent up/down calls on the same LOVOCCS_HOME. Servers are started with fd 9
# closed (9>&-) so that they do not keep holding the lock.
take_lock() {
  mkdir -p "$RUN_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/stack.lock"
    flock -w 300 9 || die "another stack.sh is still running (lock $RUN_DIR/stack.lock)"
  fi
}

# ---------------------------------------------------------------------------------------------
# jars

fetch_jars() { # name
  local name=$1 pom=$STACK_DIR/$1/pom.xml dest=$LIB_DIR/$1
  local stamp want
  want=$(cksum <"$pom" | awk '{ print $1 "-" $2 }')
  stamp=$dest/.fetched
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]] && compgen -G "$dest/*.jar" >/dev/null; then
    return 0
  fi
  find_mvn
  local tmp=$LIB_DIR/.$name.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "fetching $name jars: $MVN -q -B -Dstyle.color=never -f ${pom#"$REPO_ROOT"/} dependency:copy-dependencies -DoutputDirectory=$tmp"
  local t0
  t0=$(now)
  # Maven 3.8 prints stray colour codes even in batch mode: filter them out.
  if ! (cd "$REPO_ROOT" && "$MVN" -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies \
    -DoutputDirectory="$tmp" 2>&1 | sed -u -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d'); then
    rm -rf "$tmp"
    die "fetching the $name jars with Maven failed (see the output above); Maven Central must be reachable"
  fi
  rm -rf "$dest"
  mv "$tmp" "$dest"
  printf '%s\n' "$want" >"$stamp"
  log "fetched $name jars: $(find "$dest" -name '*.jar' | wc -l) jars, $(du -sh "$dest" | cut -f1) in $(elapsed "$t0") s -> $dest"
}

# ---------------------------------------------------------------------------------------------
# Kafka

KAFKA_MARKER="-Dlovoccs.stack=kafka:$LOVOCCS_HOME"

kafka_healthy() {
  pid_is_ours "$(read_pid "$KAFKA_PID")" "$KAFKA_MARKER" && port_listening "$KAFKA_PORT"
}

kafka_write_config() {
  mkdir -p "$CONF_DIR/kafka"
  cat >"$CONF_DIR/kafka/server.properties" <<EOF
# Written by stack/stack.sh on every start: edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$BIND:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$BIND:$KAFKA_PORT,CONTROLLER://$BIND:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$BIND:$KAFKA_PORT,CONTROLLER://$BIND:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA_DIR/kafka
num.partitions=2
auto.create.topics.enable=true
default.replication.factor=1
offsets.topic.replication.factor=1
# Fewer internal partitions than the default 50: the first consumer group joins faster on 2 cores.
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
EOF
}

kafka_start() {
  local props=$CONF_DIR/kafka/server.properties cp="$LIB_DIR/kafka/*"
  kafka_write_config
  local jvm_common=(-Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$STACK_DIR/kafka/log4j2.properties"
    "-Dkafka.logs.dir=$LOG_DIR")
  if [[ ! -f $DATA_DIR/kafka/meta.properties ]]; then
    local cid
    # A random UUID in Kafka's URL-safe base64; like Kafka, avoid a leading '-' (option-like).
    cid=-
    while [[ $cid == -* ]]; do cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); done
    log "kafka: formatting storage $DATA_DIR/kafka (cluster id $cid)"
    if ! "$JAVA" -Xmx256m "${jvm_common[@]}" -cp "$cp" kafka.tools.StorageTool \
      format --standalone --cluster-id="$cid" --config="$props" >"$LOG_DIR/kafka-format.log" 2>&1; then
      printf '[stack] ERROR: kafka: formatting the storage failed\n' >&2
      print_log_tail "$LOG_DIR/kafka-format.log"
      exit 1
    fi
  fi
  rotate_log "$KAFKA_LOG"
  # shellcheck disable=SC2086 # KAFKA_HEAP holds several JVM options
  spawn_detached "$KAFKA_PID" "$KAFKA_LOG" "$JAVA" $KAFKA_HEAP $KAFKA_JVM_OPTS \
    "$KAFKA_MARKER" "${jvm_common[@]}" -cp "$cp" kafka.Kafka "$props"
}

kafka_check() { # 0 healthy, 1 not yet
  port_listening "$KAFKA_PORT" && grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# S3Proxy

S3_MARKER="-Dlovoccs.stack=s3proxy:$LOVOCCS_HOME"

# Does an HTTP server answer on the S3 port (any status: 403 without credentials is normal)?
s3_answers() {
  local code line
  if command -v curl >/dev/null 2>&1; then
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$BIND:$S3_PORT/" 2>/dev/null || true)
    [[ -n $code && $code != 000 ]]
  else
    { exec 3<>"/dev/tcp/$BIND/$S3_PORT"; } 2>/dev/null || return 1
    printf 'HEAD / HTTP/1.0\r\nHost: %s\r\n\r\n' "$BIND:$S3_PORT" >&3
    line=""
    read -r -t 2 line <&3 || true
    exec 3>&-
    [[ $line == HTTP/* ]]
  fi
}

s3_healthy() {
  pid_is_ours "$(read_pid "$S3_PID")" "$S3_MARKER" && s3_answers
}

s3_start() {
  mkdir -p "$CONF_DIR/s3proxy" "$DATA_DIR/s3"
  local conf=$CONF_DIR/s3proxy/s3proxy.conf
  cat >"$conf" <<EOF
# Written by stack/stack.sh on every start: edit the script, not this file.
s3proxy.endpoint=http://$BIND:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$DATA_DIR/s3
jclouds.identity=$S3_ACCESS_KEY
jclouds.credential=$S3_SECRET_KEY
EOF
  chmod 600 "$conf"
  rotate_log "$S3_LOG"
  # shellcheck disable=SC2086
  spawn_detached "$S3_PID" "$S3_LOG" "$JAVA" $S3_HEAP -XX:+UseSerialGC "$S3_MARKER" \
    -Djava.awt.headless=true "-Dlogback.configurationFile=$STACK_DIR/s3proxy/logback.xml" \
    -cp "$LIB_DIR/s3proxy/*" org.gaul.s3proxy.Main --properties "$conf"
}

s3_check() { s3_answers; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL

pg_local_host() { [[ $PG_HOST == 127.0.0.1 || $PG_HOST == localhost || $PG_HOST == ::1 ]]; }

# Directory with the server binaries (initdb, pg_ctl, postgres), "" when there are none.
pg_bindir() {
  local d ver=""
  [[ -f $PG_DATA/PG_VERSION ]] && ver=$(cat "$PG_DATA/PG_VERSION")
  if [[ -n $ver && -x /usr/lib/postgresql/$ver/bin/initdb ]]; then
    printf '%s' "/usr/lib/postgresql/$ver/bin"
    return 0
  fi
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k4 -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then printf '%s' "$d"; return 0; fi
  done
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]]; then printf '%s' "$d"; return 0; fi
  fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v initdb)")")
    [[ -x $d/pg_ctl ]] && printf '%s' "$d"
  fi
  return 0
}

# A client tool (psql, pg_isready): PATH first, then the server binaries' folder.
pg_tool() {
  local tool=$1 d
  if command -v "$tool" >/dev/null 2>&1; then command -v "$tool"; return 0; fi
  d=$(pg_bindir)
  if [[ -n $d && -x $d/$tool ]]; then printf '%s' "$d/$tool"; return 0; fi
  return 1
}

pg_no_binaries() {
  die "no PostgreSQL binaries found (need $1). Install them: apt-get install postgresql"
}

pg_ready() {
  local isready
  isready=$(pg_tool pg_isready) || return 1
  "$isready" -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
}

pg_ours_pid() { # pid of our private cluster's postmaster, "" if not running
  local pid=""
  [[ -f $PG_DATA/postmaster.pid ]] && pid=$(head -n 1 "$PG_DATA/postmaster.pid" | tr -dc '0-9')
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then printf '%s' "$pid"; fi
  return 0
}

# The user that owns and runs the private cluster: the current user, or postgres (or nobody)
# when running as root, since initdb and postgres refuse to run as root.
pg_run_user() {
  if [[ $(id -u) -ne 0 ]]; then id -un; return 0; fi
  if id postgres >/dev/null 2>&1; then printf 'postgres'; else printf 'nobody'; fi
}

as_pg_user() { # cmd args...
  local user
  user=$(pg_run_user)
  if [[ $user == "$(id -un)" ]]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$user" -- "$@"
  else
    local cmd
    cmd=$(printf '%q ' "$@")
    su "$user" -s /bin/sh -c "$cmd"
  fi
}

# Make the private cluster's folder, owned by the user that runs it. As root that user is
# postgres, which may be unable to reach $LOVOCCS_HOME (e.g. a clone under /root, mode 700):
# the cluster then lives in /var/tmp/lovoccs-pg-<id>, linked from $LOVOCCS_HOME/data/pg and
# logs/postgres.log, so that removing $LOVOCCS_HOME/data still resets it.
PG_DATA_REAL=$PG_DATA
PG_LOG_REAL=$PG_LOG
pg_private_dirs() { # user
  local user=$1 alt
  mkdir -p "$DATA_DIR" "$LOG_DIR"
  if [[ -L $PG_DATA && ! -d $PG_DATA ]]; then rm -f "$PG_DATA"; fi # dangling link
  if [[ ! -e $PG_DATA ]]; then
    mkdir -p "$PG_DATA"
    if [[ $(id -u) -eq 0 ]]; then
      chown "$user" "$PG_DATA"
      chmod 700 "$PG_DATA"
      if ! as_pg_user test -w "$PG_DATA" 2>/dev/null; then
        rmdir "$PG_DATA"
        alt=/var/tmp/lovoccs-pg-$(printf '%s' "$LOVOCCS_HOME" | cksum | cut -d' ' -f1)
        log "postgres: user $user cannot reach $DATA_DIR (a parent folder is not searchable by it); the private cluster goes to $alt, linked from $PG_DATA"
        rm -rf "$alt"
        mkdir -p "$alt/data"
        chown "$user" "$alt/data"
        chmod 700 "$alt/data"
        ln -s "$alt/data" "$PG_DATA"
      fi
    fi
  fi
  if [[ -L $PG_DATA ]]; then
    PG_DATA_REAL=$(readlink -f "$PG_DATA")
    PG_LOG_REAL=$(dirname "$PG_DATA_REAL")/postgres.log
    rm -f "$PG_LOG"
    ln -s "$PG_LOG_REAL" "$PG_LOG"
  elif [[ $(id -u) -eq 0 ]] && ! as_pg_user test -w "$PG_DATA" 2>/dev/null; then
    die "postgres: user '$user' cannot write $PG_DATA (a parent folder is not searchable by it, or the folder belongs to someone else). Remove $PG_DATA to let the stack place the cluster elsewhere, or run a PostgreSQL on $PG_HOST:$PG_PORT yourself."
  fi
}

# Sets PG_MODE: external (answering already), debian (pg_ctlcluster started), private (ours).
PG_MODE=""
PG_STARTED_AT=""

pg_start() {
  if pg_ready; then
    if [[ -n $(pg_ours_pid) ]]; then PG_MODE=private; else PG_MODE=external; fi
    return 0
  fi
  if ! pg_local_host; then
    die "PostgreSQL at $PG_HOST:$PG_PORT does not answer (pg_isready), and that host is not this machine, so the stack cannot start it. Check LOVOCCS_PG_HOST / LOVOCCS_PG_PORT."
  fi
  if [[ -z $(pg_tool pg_isready || true) ]]; then pg_no_binaries pg_isready; fi
  if port_listening "$PG_PORT"; then
    port_taken_error "$PG_PORT" LOVOCCS_PG_PORT "PostgreSQL"
  fi
  PG_STARTED_AT=$(now)

  # Debian's own cluster on that port, if it exists.
  if command -v pg_lsclusters >/dev/null 2>&1 && command -v pg_ctlcluster >/dev/null 2>&1 && [[ -z $(pg_ours_pid) ]]; then
    local line ver name port
    while read -r ver name port _; do
      [[ $name == main && $port == "$PG_PORT" ]] || continue
      line=$ver
    done < <(pg_lsclusters -h 2>/dev/null || true)
    if [[ -n ${line:-} ]]; then
      log "postgres: starting Debian's cluster: pg_ctlcluster --skip-systemctl-redirect $line main start"
      if exec_clean pg_ctlcluster --skip-systemctl-redirect "$line" main start </dev/null 9>&-; then
        PG_MODE=debian
        PG_LOG=$(pg_lsclusters -h 2>/dev/null | awk -v v="$line" '$1 == v && $2 == "main" { print $7 }')
        PG_LOG=${PG_LOG:-/var/log/postgresql/postgresql-$line-main.log}
        return 0
      fi
      warn "pg_ctlcluster $line main start failed: making a private cluster under $PG_DATA instead"
    fi
  fi

  # A private cluster under $LOVOCCS_HOME/data/pg.
  local bindir user
  bindir=$(pg_bindir)
  [[ -n $bindir ]] || pg_no_binaries "initdb and pg_ctl"
  user=$(pg_run_user)
  pg_private_dirs "$user"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    log "postgres: initdb of a private cluster in $PG_DATA (as user $user, trust auth, superuser $PG_USER)"
    if ! as_pg_user "$bindir/initdb" -D "$PG_DATA_REAL" -U "$PG_USER" --auth=trust -E UTF8 --locale=C \
      </dev/null >"$LOG_DIR/postgres-initdb.log" 2>&1; then
      printf '[stack] ERROR: postgres: initdb failed\n' >&2
      print_log_tail "$LOG_DIR/postgres-initdb.log"
      exit 1
    fi
  fi
  rotate_log "$PG_LOG_REAL"
  if [[ $(id -u) -eq 0 ]]; then chown "$user" "$PG_LOG_REAL"; fi
  log "postgres: starting the private cluster $PG_DATA on $BIND:$PG_PORT, log $PG_LOG"
  # -W: do not wait here; pg_wait polls pg_isready while the java servers start too.
  if ! as_pg_user bash -c "$CLOSE_FDS; exec \"\$@\"" lovoccs-exec "$bindir/pg_ctl" -D "$PG_DATA_REAL" -l "$PG_LOG_REAL" -W \
    -o "-p $PG_PORT -c listen_addresses=$BIND -c unix_socket_directories=''" start </dev/null >/dev/null 2>&1 9>&-; then
    printf '[stack] ERROR: postgres: pg_ctl start failed\n' >&2
    print_log_tail "$PG_LOG"
    exit 1
  fi
  PG_MODE=private
}

pg_wait() {
  local t0=$PG_STARTED_AT deadline i=0
  deadline=$(($(date +%s) + PG_TIMEOUT))
  while ! pg_ready; do
    if [[ $PG_MODE == private ]] && ((i > 20)) && [[ -z $(pg_ours_pid) ]]; then
      printf '[stack] ERROR: postgres exited during start-up\n' >&2
      print_log_tail "$PG_LOG"
      exit 1
    fi
    if (($(date +%s) >= deadline)); then
      printf '[stack] ERROR: postgres did not answer pg_isready on %s:%s within %ss\n' "$PG_HOST" "$PG_PORT" "$PG_TIMEOUT" >&2
      print_log_tail "$PG_LOG"
      exit 1
    fi
    i=$((i + 1))
    sleep 0.2
  done
  if [[ $PG_MODE == private ]]; then pg_ours_pid >"$PG_PID"; fi
  log "postgres ok   $PG_HOST:$PG_PORT ($PG_MODE cluster, started in $(elapsed "$t0") s)"
}

pg_prepare_db() {
  local psql exists
  psql=$(pg_tool psql) || pg_no_binaries psql
  local args=(-X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1)
  exists=$(PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -tA \
    -c "SELECT 1 FROM pg_database WHERE datname = '${PG_DB//\'/\'\'}'") ||
    die "postgres: cannot connect to $PG_HOST:$PG_PORT as $PG_USER (check LOVOCCS_PG_USER / LOVOCCS_PG_PASSWORD)"
  if [[ $exists != 1 ]]; then
    log "postgres: creating database $PG_DB"
    PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -c "CREATE DATABASE \"${PG_DB//\"/\"\"}\"" ||
      die "postgres: could not create database $PG_DB"
  fi
  pg_pair_with_object_store "$psql" "${args[@]}"
  if ! PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d "$PG_DB" \
    -c 'CREATE EXTENSION IF NOT EXISTS btree_gist' >/dev/null 2>"$LOG_DIR/postgres-extension.log"; then
    warn "postgres: CREATE EXTENSION btree_gist failed in $PG_DB (EXCLUDE constraints on ranges need it; Debian ships it with the server package): $(tr '\n' ' ' <"$LOG_DIR/postgres-extension.log")"
  fi
}

# The registry (PostgreSQL) and the pixels (S3Proxy's files under $DATA_DIR/s3) belong together: a registry row
# whose object is gone fails every task that reads it, long after the cause. The pair shares an identity: a
# random id in $REPO_ID_FILE and in the database's comment. A database paired with another data directory (a
# fresh clone or a wiped .lovoccs on a machine whose system PostgreSQL kept an older registry) is refused with
# what to do, or, with LOVOCCS_STACK_FOREIGN_DB=recreate (the test suite), dropped and created empty.
REPO_ID_FILE=$DATA_DIR/repository-id
pg_pair_with_object_store() {
  local psql=$1; shift
  local -a args=("$@")
  local q_db=${PG_DB//\'/\'\'} data_id="" db_comment db_id="" has_registry has_objects=no
  [[ -s $REPO_ID_FILE ]] && data_id=$(<"$REPO_ID_FILE")
  db_comment=$(PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -tA \
    -c "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$q_db'")
  [[ $db_comment =~ lovoccs-repository:([0-9a-f-]+) ]] && db_id=${BASH_REMATCH[1]}
  [[ -n $data_id && $db_id == "$data_id" ]] && return 0
  has_registry=$(PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d "$PG_DB" -tA \
    -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
  [[ -n $(find "$DATA_DIR/s3" -mindepth 2 -print -quit 2>/dev/null) ]] && has_objects=yes
  local foreign=""
  if [[ -n $db_id ]]; then
    foreign="it is paired with the object store of repository $db_id, and $DATA_DIR holds ${data_id:-no repository yet}"
  elif ((has_registry > 0)) && [[ $has_objects == no ]]; then
    foreign="it holds a registry ($has_registry tables) but the object store under $DATA_DIR/s3 is empty"
  fi
  if [[ -n $foreign ]]; then
    if [[ ${LOVOCCS_STACK_FOREIGN_DB:-refuse} != recreate ]]; then
      die "postgres: the database $PG_DB at $PG_HOST:$PG_PORT does not belong to this stack's object store: $foreign. \
Its datasets' pixels are not here, so every task reading them would fail. Either give this stack its own database \
(LOVOCCS_PG_DB=lovoccs_other ./lovoccs ...), or, if that registry is no longer wanted, drop it \
(psql -h $PG_HOST -p $PG_PORT -U $PG_USER -c 'DROP DATABASE \"$PG_DB\"') and run this again."
    fi
    local running="" s
    for s in "$RUN_DIR"/*.pid; do
      [[ -f $s && $s != "$KAFKA_PID" && $s != "$S3_PID" && $s != "$PG_PID" ]] || continue
      kill -0 "$(cat "$s")" 2>/dev/null && running+=" $(basename "$s" .pid)"
    done
    [[ -z $running ]] || die "postgres: the database $PG_DB is to be recreated ($foreign), but services run against it:$running. Stop them first: stack/services.sh down"
    warn "postgres: dropping the database $PG_DB and creating it empty: $foreign (LOVOCCS_STACK_FOREIGN_DB=recreate)"
    PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres \
      -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$q_db' AND pid <> pg_backend_pid()" >/dev/null
    PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -c "DROP DATABASE \"${PG_DB//\"/\"\"}\"" ||
      die "postgres: could not drop database $PG_DB"
    PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -c "CREATE DATABASE \"${PG_DB//\"/\"\"}\"" ||
      die "postgres: could not create database $PG_DB"
  elif [[ -z $db_id && $has_registry -gt 0 ]]; then
    log "postgres: pairing the existing registry in $PG_DB with the object store under $DATA_DIR/s3"
  fi
  [[ -n $data_id && -z $foreign ]] || data_id=$(cat /proc/sys/kernel/random/uuid)
  printf '%s\n' "$data_id" >"$REPO_ID_FILE"
  PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres \
    -c "COMMENT ON DATABASE \"${PG_DB//\"/\"\"}\" IS 'lovoccs-repository:$data_id data:${DATA_DIR//\'/\'\'}'" >/dev/null ||
    die "postgres: could not record the repository id on database $PG_DB"
}

# ---------------------------------------------------------------------------------------------
# waiting for the java servers

# wait_java name pidfile logfile timeout check-function t0
wait_java() {
  local name=$1 pidfile=$2 logfile=$3 timeout=$4 check=$5 t0=$6 pid deadline
  pid=$(read_pid "$pidfile")
  deadline=$(($(date +%s) + timeout))
  while ! "$check"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
      printf '[stack] ERROR: %s exited during start-up (pid %s)\n' "$name" "$pid" >&2
      print_log_tail "$logfile"
      return 1
    fi
    if (($(date +%s) >= deadline)); then
      printf '[stack] ERROR: %s did not become healthy within %ss; stopping it (pid %s)\n' "$name" "$timeout" "$pid" >&2
      stop_pid "$pid" 10 "$name"
      rm -f "$pidfile"
      print_log_tail "$logfile"
      return 1
    fi
    sleep 0.2
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# subcommands

cmd_fetch() {
  ensure_dirs
  fetch_jars kafka
  fetch_jars s3proxy
}

cmd_up() {
  local t_all
  t_all=$(now)
  ensure_dirs
  take_lock
  find_java
  fetch_jars kafka
  fetch_jars s3proxy

  # Which java servers need starting? A pid of ours that is still starting is waited for.
  local kafka_state s3_state
  if kafka_healthy && kafka_check; then
    kafka_state=running
  elif pid_is_ours "$(read_pid "$KAFKA_PID")" "$KAFKA_MARKER"; then
    kafka_state=starting
  else
    rm -f "$KAFKA_PID"
    kafka_state=start
    port_listening "$KAFKA_PORT" && port_taken_error "$KAFKA_PORT" LOVOCCS_KAFKA_PORT "Kafka"
    port_listening "$KAFKA_CONTROLLER_PORT" &&
      port_taken_error "$KAFKA_CONTROLLER_PORT" LOVOCCS_KAFKA_CONTROLLER_PORT "Kafka controller"
  fi
  if s3_healthy; then
    s3_state=running
  elif pid_is_ours "$(read_pid "$S3_PID")" "$S3_MARKER"; then
    s3_state=starting
  else
    rm -f "$S3_PID"
    s3_state=start
    port_listening "$S3_PORT" && port_taken_error "$S3_PORT" LOVOCCS_S3_PORT "S3Proxy"
  fi

  # PostgreSQL first (it may fail for want of binaries before anything else is started), then
  # the java servers; all three start in parallel and are waited for afterwards.
  pg_start
  local t_kafka t_s3
  t_kafka=$(now)
  if [[ $kafka_state == start ]]; then log "kafka: starting on $BIND:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT), log $KAFKA_LOG"; kafka_start; fi
  t_s3=$(now)
  if [[ $s3_state == start ]]; then log "s3proxy: starting on $BIND:$S3_PORT, log $S3_LOG"; s3_start; fi

  if [[ -n $PG_STARTED_AT ]]; then
    pg_wait
  else
    log "postgres ok   $PG_HOST:$PG_PORT (already running, $PG_MODE)"
  fi
  pg_prepare_db

  local failed=0
  case $s3_state in
  running) log "s3proxy ok    http://$BIND:$S3_PORT (already running, pid $(read_pid "$S3_PID"))" ;;
  *)
    if wait_java s3proxy "$S3_PID" "$S3_LOG" "$S3_TIMEOUT" s3_check "$t_s3"; then
      log "s3proxy ok    http://$BIND:$S3_PORT (pid $(read_pid "$S3_PID"), started in $(elapsed "$t_s3") s)"
    else failed=1; fi
    ;;
  esac
  case $kafka_state in
  running) log "kafka ok      $BIND:$KAFKA_PORT (already running, pid $(read_pid "$KAFKA_PID"))" ;;
  *)
    if wait_java kafka "$KAFKA_PID" "$KAFKA_LOG" "$KAFKA_TIMEOUT" kafka_check "$t_kafka"; then
      log "kafka ok      $BIND:$KAFKA_PORT (pid $(read_pid "$KAFKA_PID"), started in $(elapsed "$t_kafka") s)"
    else failed=1; fi
    ;;
  esac
  if ((failed != 0)); then
    printf '[stack] ERROR: the stack is not fully up; "%s down" stops what did start\n' "$0" >&2
    exit 1
  fi
  log "stack up in $(elapsed "$t_all") s. Clients: eval \"\$($0 env)\""
}

cmd_down() {
  take_lock
  local pid
  local -a names=() pids=()
  pid=$(read_pid "$KAFKA_PID")
  if pid_is_ours "$pid" "$KAFKA_MARKER"; then names+=(kafka); pids+=("$pid"); kill -TERM "$pid" 2>/dev/null || true
  else log "kafka: not running"; fi
  pid=$(read_pid "$S3_PID")
  if pid_is_ours "$pid" "$S3_MARKER"; then names+=(s3proxy); pids+=("$pid"); kill -TERM "$pid" 2>/dev/null || true
  else log "s3proxy: not running"; fi

  # PostgreSQL: only our private cluster, never the machine's own.
  pid=$(pg_ours_pid)
  if [[ -n $pid ]]; then
    log "postgres: stopping the private cluster $PG_DATA (pid $pid)"
    local bindir
    bindir=$(pg_bindir)
    if [[ -z $bindir ]] || ! as_pg_user "$bindir/pg_ctl" -D "$PG_DATA" -m fast -t 30 stop >/dev/null 2>&1; then
      kill -INT "$pid" 2>/dev/null || true
      stop_pid "$pid" 20 postgres
    fi
    log "postgres: stopped"
  else
    log "postgres: no private cluster running (a system PostgreSQL, if any, is left alone)"
  fi
  rm -f "$PG_PID"

  local i
  for i in "${!pids[@]}"; do
    local t=30
    [[ ${names[$i]} == s3proxy ]] && t=10
    stop_pid "${pids[$i]}" "$t" "${names[$i]}"
    log "${names[$i]}: stopped (pid ${pids[$i]})"
  done
  rm -f "$KAFKA_PID" "$S3_PID"
}

cmd_status() {
  local ok=0 pid
  printf '%-9s %-24s %-6s %-8s %s\n' SERVER ADDRESS STATE PID LOG
  pid=$(read_pid "$KAFKA_PID")
  if kafka_healthy && kafka_check; then
    printf '%-9s %-24s %-6s %-8s %s\n' kafka "$BIND:$KAFKA_PORT" up "$pid" "$KAFKA_LOG"
  else
    ok=1
    printf '%-9s %-24s %-6s %-8s %s\n' kafka "$BIND:$KAFKA_PORT" down - "$KAFKA_LOG"
  fi
  pid=$(read_pid "$S3_PID")
  if s3_healthy; then
    printf '%-9s %-24s %-6s %-8s %s\n' s3proxy "http://$BIND:$S3_PORT" up "$pid" "$S3_LOG"
  else
    ok=1
    printf '%-9s %-24s %-6s %-8s %s\n' s3proxy "http://$BIND:$S3_PORT" down - "$S3_LOG"
  fi
  pid=$(pg_ours_pid)
  if pg_ready; then
    if [[ -n $pid ]]; then
      printf '%-9s %-24s %-6s %-8s %s\n' postgres "$PG_HOST:$PG_PORT/$PG_DB" up "$pid" "$PG_LOG"
    else
      printf '%-9s %-24s %-6s %-8s %s\n' postgres "$PG_HOST:$PG_PORT/$PG_DB" up "-" "(not ours: system/external PostgreSQL)"
    fi
  else
    ok=1
    printf '%-9s %-24s %-6s %-8s %s\n' postgres "$PG_HOST:$PG_PORT/$PG_DB" down - "$PG_LOG"
  fi
  return $ok
}

cmd_env() {
  local v
  emit() { printf 'export %s=%q\n' "$1" "$2"; }
  emit LOVOCCS_HOME "$LOVOCCS_HOME"
  emit KAFKA_BOOTSTRAP_SERVERS "$BIND:$KAFKA_PORT"
  emit LOVOCCS_S3_ENDPOINT "http://$BIND:$S3_PORT"
  emit LOVOCCS_S3_ACCESS_KEY "$S3_ACCESS_KEY"
  emit LOVOCCS_S3_SECRET_KEY "$S3_SECRET_KEY"
  # where the embedded S3 server keeps its objects: clients tell a full disk from other server errors by it
  emit LOVOCCS_S3_STORE_DIR "$DATA_DIR/s3"
  v=$PG_HOST
  [[ $v == *:* ]] && v="[$v]"
  emit QUARKUS_DATASOURCE_REACTIVE_URL "postgresql://$v:$PG_PORT/$PG_DB"
  emit QUARKUS_DATASOURCE_JDBC_URL "jdbc:postgresql://$v:$PG_PORT/$PG_DB"
  emit QUARKUS_DATASOURCE_USERNAME "$PG_USER"
  emit QUARKUS_DATASOURCE_PASSWORD "$PG_PASSWORD"
  # the services' addresses follow LOVOCCS_<SERVICE>_PORT (stack/services.sh) unless a URL is given
  emit LOVOCCS_REGISTRY_URL "${LOVOCCS_REGISTRY_URL:-http://$BIND:${LOVOCCS_REGISTRY_PORT:-8080}}"
  emit LOVOCCS_INGESTION_URL "${LOVOCCS_INGESTION_URL:-http://$BIND:${LOVOCCS_INGESTION_PORT:-8081}}"
  emit LOVOCCS_ISR_URL "${LOVOCCS_ISR_URL:-http://$BIND:${LOVOCCS_ISR_PORT:-8082}}"
  emit LOVOCCS_CALIBRATION_URL "${LOVOCCS_CALIBRATION_URL:-http://$BIND:${LOVOCCS_CALIBRATION_PORT:-8083}}"
}

# Stops the stack and removes what it holds: the data directory (Kafka topics, S3 buckets, a private PostgreSQL) and
# the registry database paired with it in an external PostgreSQL (a database paired with another data directory is
# left alone). The jars and logs stay.
cmd_reset() {
  cmd_down
  local data_id="" psql comment q_db=${PG_DB//\'/\'\'}
  [[ -s $REPO_ID_FILE ]] && data_id=$(<"$REPO_ID_FILE")
  if [[ -n $data_id ]] && pg_ready && psql=$(pg_tool psql); then
    local args=(-X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1)
    comment=$(PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -tA \
      -c "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$q_db'") || comment=""
    if [[ $comment == *"lovoccs-repository:$data_id"* ]]; then
      PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres \
        -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$q_db' AND pid <> pg_backend_pid()" >/dev/null
      PGPASSWORD=$PG_PASSWORD "$psql" "${args[@]}" -d postgres -c "DROP DATABASE \"${PG_DB//\"/\"\"}\"" ||
        die "postgres: could not drop database $PG_DB"
      log "postgres: dropped the registry database $PG_DB (paired with $DATA_DIR)"
    elif [[ -n $comment ]]; then
      log "postgres: database $PG_DB is paired with another data directory; left alone"
    fi
  fi
  local size
  size=$(du -sh "$DATA_DIR" 2>/dev/null | cut -f1 || true)
  rm -rf "$DATA_DIR"
  log "removed $DATA_DIR (${size:-empty}); the next up starts empty"
}

usage() {
  cat <<EOF
usage: $0 up|down|status|env|fetch|reset
  up      fetch the server jars if missing, start Kafka, S3Proxy and PostgreSQL, wait until healthy
  down    stop the servers this stack started (never the machine's system PostgreSQL)
  status  print each server; exit 0 only if all are healthy
  env     print export lines for clients: eval "\$($0 env)"
  fetch   only fetch the jars into \$LOVOCCS_HOME/lib
  reset   down, then remove the data (Kafka topics, S3 buckets, a private PostgreSQL) and the registry database
          paired with it; everything processed is gone
Data, logs, pids and jars: \$LOVOCCS_HOME (now $LOVOCCS_HOME). See stack/README.md.
EOF
}

# the commands take no arguments: "reset --help" prints this help instead of removing the data, and a stray word is
# refused before anything is stopped or removed
if (($# > 1)); then
  case $2 in
  -h | --help | help) usage; exit 0 ;;
  *) printf 'stack.sh: %s takes no arguments (got: %s)\n' "$1" "${*:2}" >&2; usage >&2; exit 2 ;;
  esac
fi

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
env) cmd_env ;;
fetch) cmd_fetch ;;
reset) cmd_reset ;;
-h | --help | help) usage ;;
*)
  usage >&2
  exit 2
  ;;
esac
