#!/usr/bin/env bash
# process_ccd of one DECam exposure through the running services (issue 7's goal: a 62-CCD exposure in under a minute
# on 2 cores). Simulates a campaign of one r exposure with one zero and two dome flats per CCD, lands it, declares the
# cluster complete and times, from the registry's quantum table:
#   - the exposure: the first science ISR's start to the last CCD's check_visit finished (isr, characterizeImage,
#     calibrate, checkVisit; the master calibrations are made first and not counted);
#   - each task's mean time start to finish and its read share, and how many quanta ran at once in the isr worker.
#
#   bench/process-ccd-services/run.sh [CCDS]            CCDS as simulate's --ccds (default 1-62)
#   LOVOCCS_ISR_CONCURRENCY=1 bench/process-ccd-services/run.sh 1-16     one quantum at a time, for comparison
#   BENCH_CONFIG='isr:brighterFatterKernelTolerance=0' bench/process-ccd-services/run.sh 1-16
#                                                    the cluster's config overrides (space-separated), for an A/B
#   BENCH_LATE_VISIT=2 bench/process-ccd-services/run.sh 1-62
#                                                    issue 7's case exactly: simulates 2 more r visits and lands each
#                                                    only after the one before has been processed, when the
#                                                    calibration products exist and the worker is warm, and times each
#                                                    such exposure alone, from its landing to its last check_visit,
#                                                    with the CPU every process spent meanwhile
#   BENCH_PROFILE=isr BENCH_LATE_VISIT=2 ...        and profiles that service (bench/profile-service) during the last
#   BENCH_KEEP=1 BENCH_LATE_VISIT=5 BENCH_LATE_LAND=1 ...   lands one of the 5 and prints the others, for A/B runs on
#                                                    the same data: after changing the isr worker (stack/services.sh
#                                                    down isr; LOVOCCS_ISR_JAVA_OPTS=... stack/services.sh up isr),
#   bench/process-ccd-services/run.sh --land-visit CLUSTER FILE    lands and times one of them
#   Before each such landing it waits (at most BENCH_SETTLE_MAX s, 120) for the kernel to write back what the run
#   wrote and the cores to idle, and says so.
#
# Starts the stack and the services if they are not up, and restarts the isr worker so that it runs with this
# concurrency, and the registry so that it plans from this benchmark's pipeline (the default one without cpSky: the
# science CCDs are not ISR-processed twice). Needs ./lovoccs build first. Disk: about 1.2 GB per CCD (raws, products);
# the campaign is removed afterwards unless BENCH_KEEP=1; `./lovoccs clean` reclaims the object store.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CCDS=${1:-1-62}
[[ $CCDS == --land-visit ]] && CCDS=-
export LOVOCCS_ISR_CONCURRENCY=${LOVOCCS_ISR_CONCURRENCY:-2}
export LOVOCCS_ORCHESTRATOR_PIPELINE=$ROOT/bench/process-ccd-services/pipeline.yaml
# and so science raws start step1 and cpFringe only (the default routes name cpSky too)
export LOVOCCS_ORCHESTRATOR_ROUTES='zero:cpBias;dome flat:cpFlat;object:step0,step1,cpFringe'
say() { printf '[bench] %s\n' "$*"; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

ls "$ROOT"/cli/target/lovoccs-cli-*.jar >/dev/null 2>&1 || die "the project is not built: run ./lovoccs build first"
"$ROOT/stack/stack.sh" up >/dev/null
eval "$("$ROOT/stack/stack.sh" env)"
# the isr worker with this run's concurrency (services.sh starts only what is not running)
if [[ ${1:-} != --land-visit ]]; then
  "$ROOT/stack/services.sh" down isr >/dev/null 2>&1 || true
fi
"$ROOT/stack/services.sh" up
PSQL=(psql -h 127.0.0.1 -U "${QUARKUS_DATASOURCE_USERNAME:-postgres}" -d "${QUARKUS_DATASOURCE_JDBC_URL##*/}" -qAtX)
"${PSQL[@]}" -c 'SELECT 1' >/dev/null || die "cannot query the registry database with psql (${PSQL[*]})"

# CPU time, in clock ticks, of the machine (all cores, /proc/stat: everything but idle and iowait) and of each process
# with a pid file under $LOVOCCS_HOME/run (the services, Kafka, S3Proxy, PostgreSQL's postmaster with the backends it
# has reaped), so that the work is counted in core-seconds, whatever ran it
cpu_ticks() {
  awk '/^cpu /{print "machine", $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
  local f pid
  for f in "$LOVOCCS_HOME"/run/*.pid; do
    pid=$(cat "$f" 2>/dev/null) || continue
    [[ -r /proc/$pid/stat ]] || continue
    # fields after the command's closing parenthesis: utime stime cutime cstime are the 12th-15th
    sed 's/^.*) //' "/proc/$pid/stat" | awk -v n="$(basename "$f" .pid)" '{print n, $12 + $13 + $14 + $15}'
  done
  # PostgreSQL's backends live as long as their pools' connections, so their parent has not reaped them: counted here
  # by name (every postgres process but those with a pid file above), with whatever else runs as postgres on the
  # machine (the registry's database is the only one busy during a bench)
  local listed
  listed=" $(cat "$LOVOCCS_HOME"/run/*.pid 2>/dev/null | tr '\n' ' ') "
  for pid in $(pgrep -x postgres 2>/dev/null); do
    [[ $listed == *" $pid "* ]] && continue
    sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null || true
  done | awk '{s += $12 + $13} END {print "pg-backends", s + 0}'
}
hz=$(getconf CLK_TCK)
# cpu_table BEFORE AFTER N: each process's CPU between two cpu_ticks readings, and per CCD
cpu_table() {
  join <(sort <<<"$1") <(sort <<<"$2") | awk -v hz="$hz" -v n="$3" '
    {d = ($3 - $2) / hz; if ($1 == "machine") m = d; else { s += d; printf "  %-12s %8.1f  (%.2f per CCD)\n", $1, d, d / n } }
    END { printf "  %-12s %8.1f  (%.2f per CCD)\n  %-12s %8.1f  (%.2f per CCD)\n", "other", m - s, (m - s) / n,
          "machine", m, m / n }'
}

# Waits, at most BENCH_SETTLE_MAX seconds (120), until the kernel has written back what the run before wrote (dirty and
# writeback pages under 256 MB) and the machine is idle (the last 10 s under 10% busy), so that a timed visit does not
# share the cores with the flushing of the simulation's or the last visit's gigabytes: the figures moved with it
# (docs/benchmarks.md, the dataset cache). Says how long it waited and what was left if it gave up.
settle() {
  local t0=$SECONDS dirty busy a b
  while :; do
    dirty=$(awk '/^(Dirty|Writeback):/ {s += $2} END {print int(s / 1024)}' /proc/meminfo)
    a=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
    sleep 10
    b=$(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
    busy=$(awk -v a="$a" -v b="$b" 'BEGIN {split(a, x, " "); split(b, y, " "); t = y[2] - x[2];
      printf "%d", (t > 0 ? 100 * (y[1] - x[1]) / t : 0)}')
    if ((dirty < 256 && busy < 10)); then
      say "machine settled in $((SECONDS - t0)) s (dirty pages ${dirty} MB, ${busy}% busy over 10 s)"
      return
    fi
    if ((SECONDS - t0 >= ${BENCH_SETTLE_MAX:-120})); then
      say "machine not settled after $((SECONDS - t0)) s (dirty pages ${dirty} MB, ${busy}% busy over 10 s): timing anyway"
      return
    fi
  done
}

# Lands one more visit of a cluster whose calibration products exist and times it alone, from its landing to its last
# check_visit, with the CPU every process spent meanwhile: time_visit LABEL FILE LAST (LAST=1: profile BENCH_PROFILE)
time_visit() {
  local label=$1 file=$2 last=$3 worker=${4:-worker warm}
  local profiling= mark cpu0 cpu1 t_land t_wait open checked bad n_ok2 from_land from_first from_isr busy2
  if [[ -n ${BENCH_PROFILE:-} && $last == 1 ]]; then
    profiling=$BENCH_PROFILE
    "$ROOT/bench/profile-service/run.sh" start "$profiling" >/dev/null
  fi
  settle
  say "landing visit $label ($(basename "$file")) on the processed cluster${profiling:+, profiling $profiling}"
  mark=$("${PSQL[@]}" -c "SELECT now()")
  cpu0=$(cpu_ticks)
  t_land=$("${PSQL[@]}" -c "SELECT extract(epoch FROM now())")
  ./lovoccs land "$cluster" "$file" | tail -n 1
  t_wait=$SECONDS
  while :; do
    read -r open checked bad < <("${PSQL[@]}" -F ' ' -c "SELECT count(*) FILTER (WHERE state NOT IN ('done', 'failed', 'dep_fail')),
        count(*) FILTER (WHERE task_label = 'checkVisit' AND state IN ('done', 'failed', 'dep_fail')),
        count(*) FILTER (WHERE state IN ('failed', 'dep_fail'))
      FROM quantum WHERE cluster = '$cluster' AND created_at > '$mark'")
    if ((checked >= n_ccd1 && open == 0)); then break; fi
    ((open == 0 && bad > 0)) && die "visit $label: $bad quanta failed or dep_fail and none is open: ./lovoccs status $cluster"
    ((SECONDS - t_wait > 1800)) && die "visit $label: $checked of $n_ccd1 CCDs through check_visit after 30 min, $open quanta open: ./lovoccs status $cluster"
    printf '\r[bench] visit %s: %d of %d CCDs through check_visit ' "$label" "$checked" "$n_ccd1"
    sleep 2
  done
  printf '\n'
  cpu1=$(cpu_ticks)
  if [[ -n $profiling ]]; then
    "$ROOT/bench/profile-service/run.sh" stop "$profiling" >/dev/null
    "$ROOT/bench/profile-service/run.sh" flat "$profiling" 60
  fi
  say "visit $label, per task (quanta, mean start to finish, mean read, mean write; seconds)"
  "${PSQL[@]}" -F $'\t' -c "SELECT task_label, count(*) FILTER (WHERE state = 'done'),
      count(*) FILTER (WHERE state <> 'done'),
      round(avg(extract(epoch FROM finished_at - started_at)) FILTER (WHERE state = 'done'), 2),
      round(avg((metrics->>'readSeconds')::numeric), 2), round(avg((metrics->>'writeSeconds')::numeric), 2)
    FROM quantum WHERE cluster = '$cluster' AND created_at > '$mark' GROUP BY 1 ORDER BY min(started_at)" \
    | awk -F'\t' 'BEGIN{printf "%-22s %5s %6s %8s %6s %6s\n","task","done","other","mean","read","write"}
                  {printf "%-22s %5s %6s %8s %6s %6s\n",$1,$2,$3,$4,$5,$6}'
  read -r n_ok2 from_land from_first from_isr busy2 < <("${PSQL[@]}" -F ' ' -c "SELECT
      count(*) FILTER (WHERE task_label = 'checkVisit' AND state = 'done'),
      round((extract(epoch FROM max(finished_at) FILTER (WHERE task_label = 'checkVisit')) - $t_land)::numeric, 1),
      round(extract(epoch FROM max(finished_at) FILTER (WHERE task_label = 'checkVisit') - min(started_at))::numeric, 1),
      round(extract(epoch FROM max(finished_at) FILTER (WHERE task_label = 'checkVisit')
        - min(started_at) FILTER (WHERE task_label = 'isr'))::numeric, 1),
      round(sum(extract(epoch FROM finished_at - started_at))::numeric, 1)
    FROM quantum WHERE cluster = '$cluster' AND created_at > '$mark'")
  say "CPU while visit $label was processed, core-seconds (all cores; the machine's includes this script):"
  cpu_table "$cpu0" "$cpu1" "$n_ccd1"
  say "RESULT visit $label landed on the processed cluster, $n_ccd1 CCDs ($n_ok2 through check_visit), calibrations" \
    "made, $worker${profiling:+, $profiling profiled}: ${from_land} s from landing to the last check_visit," \
    "${from_first} s from its first quantum's start (${from_isr} s from the first isr's);" \
    "$(awk -v w="$from_land" -v n="$n_ccd1" 'BEGIN{printf "%.2f s per CCD, a 62-CCD exposure at this rate: %.0f s", w/n, 62*w/n}');" \
    "quanta busy ${busy2} s; load after $(cut -d' ' -f1-3 /proc/loadavg)"
}

if [[ ${1:-} == --land-visit ]]; then
  # bench/process-ccd-services/run.sh --land-visit CLUSTER FILE: one more visit of an earlier run's cluster (its raw
  # kept by BENCH_KEEP=1 BENCH_LATE_LAND=...), on the services as they run now (restart the isr worker with other
  # LOVOCCS_ISR_JAVA_OPTS or code first, for an A/B on the same data)
  cluster=${2:?--land-visit CLUSTER FILE}
  [[ -f ${3:-} ]] || die "no raw file '${3:-}' to land"
  n_ccd1=$("${PSQL[@]}" -c "SELECT count(DISTINCT data_id->>'detector') FROM quantum WHERE cluster = '$cluster'
    AND task_label = 'isr'")
  ((n_ccd1 > 0)) || die "cluster $cluster has no isr quanta: run the bench on it first"
  say "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); cluster $cluster, $n_ccd1 CCDs; isr worker: $(tr '\0' ' ' < "/proc/$(cat "$LOVOCCS_HOME/run/isr.pid")/cmdline" | grep -o -- '-X[^ ]*' | tr '\n' ' ')"
  up=$(ps -o etimes= -p "$(cat "$LOVOCCS_HOME/run/isr.pid")" | tr -d ' ')
  time_visit "$(basename "$3")" "$3" 1 "the isr worker as it runs (up ${up} s before the landing: cold if restarted just before)"
  exit 0
fi

load0=$(cut -d' ' -f1-3 /proc/loadavg)
# BENCH_CLUSTER=NAME goes on with a cluster whose raws landed and refcats were ingested by an earlier run that stopped
cluster=${BENCH_CLUSTER:-PCB$(printf '%x' "$(date +%s)" | tr a-f A-F)}
say "$(nproc) cores, load $load0; cluster $cluster, CCDs $CCDS, isr concurrency $LOVOCCS_ISR_CONCURRENCY${BENCH_CONFIG:+, config $BENCH_CONFIG}"
if [[ -z ${BENCH_CLUSTER:-} ]]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/lovoccs-bench-XXXXXX")
  [[ ${BENCH_KEEP:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
  config=(-c selectVisit:minGoodDetectors=1)
  for c in ${BENCH_CONFIG:-}; do config+=(-c "$c"); done
  late=${BENCH_LATE_VISIT:-0}
  # about 0.7 GB per CCD for the first visit and its calibrations (raws written here, landed, ingested, products) and
  # 0.15 GB per CCD for each later visit (measured: 67 GB for 62 CCDs and 4 later visits): refuse before simulating
  # rather than fill the disk half-way; and 0.14 GB per CCD for the isr worker's dataset cache (the master bias and
  # flat of each CCD, under $LOVOCCS_HOME/data/cache/isr, unless LOVOCCS_WORKER_CACHE_MAX_GB=0)
  n_spec=$(tr ',' '\n' <<<"$CCDS" | awk -F- '{n += (NF == 2 ? $2 - $1 + 1 : 1)} END {print n}')
  cache_gb=0.14
  [[ ${LOVOCCS_WORKER_CACHE_MAX_GB:-} == 0 ]] && cache_gb=0
  need=$(awk -v n="$n_spec" -v l="$late" -v c="$cache_gb" 'BEGIN {printf "%d", n * (0.7 + 0.15 * l + c) + 2}')
  for dir in "$WORK" "$LOVOCCS_HOME"; do
    free=$(df -P -BG "$dir" | awk 'NR == 2 {sub("G", "", $4); print $4}')
    ((free >= need)) || die "about $need GB of disk needed for $n_spec CCDs and $late later visits, $free GB free under $dir: ./lovoccs clean, or fewer CCDs"
  done
  ./lovoccs cluster create "$cluster" --ra 10.4583 --dec -9.3031 --z 0.055 "${config[@]}" >/dev/null
  t_sim=$SECONDS
  if ((late > 0)); then
    # every visit written, nothing landed yet: the calibration exposures and the first visit now, the others later
    ./lovoccs simulate --scale full --cluster "$cluster" --bands r --nights 1 --visits $((1 + late)) --zeros 1 \
      --flats 2 --ccds "$CCDS" --first-expnum $(( 2000001 + ($(date +%s) % 100000) * 100 )) --out "$WORK" | tail -n 3
    mapfile -t science < <(find "$WORK/raw" -name 'c4d_*_ori.fits*' | sort)
    ((${#science[@]} == 1 + late)) || die "expected $((1 + late)) science raws under $WORK/raw, found ${#science[@]}"
    mapfile -t calibs < <(find "$WORK/calib" -name 'c4d_*_ori.fits*' | sort)
    ((${#calibs[@]} > 0)) || die "no calibration exposures under $WORK/calib"
    ./lovoccs land "$cluster" "${calibs[@]}" "${science[0]}" | tail -n 1
  else
    ./lovoccs simulate --scale full --cluster "$cluster" --bands r --nights 1 --visits 1 --zeros 1 --flats 2 \
      --ccds "$CCDS" --first-expnum $(( 2000001 + ($(date +%s) % 100000) * 100 )) --out "$WORK" --land --land-calibs \
      | tail -n 3
  fi
  say "simulated and landed in $((SECONDS - t_sim)) s"
  for refcat in "$WORK"/refcats/*.fits; do
    ./lovoccs butler ingest-refcat "$(basename "$refcat" .fits)" "$refcat" --collection "refcats/$cluster" >/dev/null
  done
fi
./lovoccs butler write-curated-calibrations --collection DECam/calib/curated/bench >/dev/null 2>&1 || true
cpu0=$(cpu_ticks)
./lovoccs cluster complete "$cluster" --wait 900 | tail -n 2

say "waiting for every quantum of $cluster to finish"
t_wait=$SECONDS
while :; do
  open=$("${PSQL[@]}" -c "SELECT count(*) FROM quantum WHERE cluster = '$cluster' AND state NOT IN ('done', 'failed', 'dep_fail')")
  total=$("${PSQL[@]}" -c "SELECT count(*) FROM quantum WHERE cluster = '$cluster'")
  checked=$("${PSQL[@]}" -c "SELECT count(*) FROM quantum WHERE cluster = '$cluster' AND task_label = 'checkVisit' AND state IN ('done', 'failed', 'dep_fail')")
  if ((total > 0 && open == 0 && checked > 0)); then break; fi
  ((SECONDS - t_wait > 3600)) && die "still $open of $total quanta open after an hour: ./lovoccs status $cluster"
  printf '\r[bench] %d of %d quanta finished ' $((total - open)) "$total"
  sleep 5
done
printf '\n'
cpu1=$(cpu_ticks)
./lovoccs status "$cluster" | tail -n 20

say "per task (quanta, mean start to finish, mean read, mean write; seconds; inputs read from the job's memory)"
"${PSQL[@]}" -F $'\t' -c "SELECT task_label, count(*) FILTER (WHERE state = 'done'),
    count(*) FILTER (WHERE state <> 'done'),
    round(avg(extract(epoch FROM finished_at - started_at)) FILTER (WHERE state = 'done'), 2),
    round(avg((metrics->>'readSeconds')::numeric), 2), round(avg((metrics->>'writeSeconds')::numeric), 2),
    round(avg((metrics->>'inputsFromMemory')::numeric), 1)
  FROM quantum WHERE cluster = '$cluster' GROUP BY 1 ORDER BY min(started_at)" \
  | awk -F'\t' 'BEGIN{printf "%-22s %5s %6s %8s %6s %6s %7s\n","task","done","other","mean","read","write","memory"}
                {printf "%-22s %5s %6s %8s %6s %6s %7s\n",$1,$2,$3,$4,$5,$6,$7}'
science=$("${PSQL[@]}" -F ' ' -c "SELECT count(*) FILTER (WHERE task_label = 'checkVisit' AND state = 'done'),
    round(extract(epoch FROM max(finished_at) FILTER (WHERE task_label IN ('isr', 'characterizeImage', 'calibrate',
      'checkVisit')) - min(started_at) FILTER (WHERE task_label = 'isr'))::numeric, 1),
    round(sum(extract(epoch FROM finished_at - started_at)) FILTER (WHERE task_label IN ('isr', 'characterizeImage',
      'calibrate', 'checkVisit'))::numeric, 1)
  FROM quantum WHERE cluster = '$cluster'")
read -r n_ok wall busy <<<"$science"
# the most quanta the isr worker ran at once (start and finish are both its clock)
most=$("${PSQL[@]}" -c "WITH e AS (SELECT started_at AS t, 1 AS d FROM quantum WHERE cluster = '$cluster' AND service = 'isr'
      AND finished_at IS NOT NULL UNION ALL SELECT finished_at, -1 FROM quantum WHERE cluster = '$cluster'
      AND service = 'isr' AND finished_at IS NOT NULL)
  SELECT max(r) FROM (SELECT sum(d) OVER (ORDER BY t, d) AS r FROM e) x")
isr_pid=$(cat "$LOVOCCS_HOME/run/isr.pid" 2>/dev/null || true)
peak=$( [[ -n $isr_pid ]] && awk '/VmHWM/{printf "%.1f GB", $2/1048576}' "/proc/$isr_pid/status" 2>/dev/null || echo '?')
n_ccd=$("${PSQL[@]}" -c "SELECT count(*) FROM quantum WHERE cluster = '$cluster' AND task_label = 'isr'")
# the science alone: from the moment the last calibration quantum (bias, flat, kernel and their ISR) finished, the
# CCDs whose check_visit had not finished yet and the wall time they took
after=$("${PSQL[@]}" -F ' ' -c "WITH c AS (SELECT max(finished_at) AS t FROM quantum WHERE cluster = '$cluster'
      AND task_label NOT IN ('isrForCrosstalkSources', 'isr', 'characterizeImage', 'calibrate', 'checkVisit',
      'plotVisitSeeing', 'selectVisit'))
  SELECT count(*) FILTER (WHERE q.finished_at > c.t),
    round(extract(epoch FROM max(q.finished_at) - min(c.t))::numeric, 1)
  FROM quantum q, c WHERE q.cluster = '$cluster' AND q.task_label = 'checkVisit'")
read -r n_after t_after <<<"$after"
say "CPU from 'cluster complete' to the last quantum, core-seconds (all cores; the machine's includes this script):"
cpu_table "$cpu0" "$cpu1" "$n_ccd"
say "after the last calibration quantum finished: $n_after CCDs still to pass check_visit, done in ${t_after} s" \
  "($(awk -v w="$t_after" -v n="$n_after" 'BEGIN{ if (n > 0) printf "%.2f s per CCD", w/n; else print "none"}'))"
say "RESULT process_ccd through the services, $n_ccd CCDs ($n_ok through check_visit): ${wall} s from the first science" \
  "ISR's start to the last check_visit ($(awk -v w="$wall" -v n="$n_ccd" 'BEGIN{printf "%.2f", w/n}') s per CCD;" \
  "a 62-CCD exposure at this rate: $(awk -v w="$wall" -v n="$n_ccd" 'BEGIN{printf "%.0f", 62*w/n}') s);" \
  "quanta busy ${busy} s in all; isr concurrency $LOVOCCS_ISR_CONCURRENCY (at most $most at once);" \
  "isr worker peak RSS $peak; load before $load0, after $(cut -d' ' -f1-3 /proc/loadavg)"

(( ${late:-0} > 0 )) || exit 0

# The later visits, each landed once the one before has been processed, with the calibration products made and the
# worker warm: issue 7's "a full 62-CCD exposure processed in under a minute on 2 cores", measured on its own
n_ccd1=$n_ccd
landing=${BENCH_LATE_LAND:-$late}
for ((v = 1; v <= landing && v <= late; v++)); do
  time_visit $((v + 1)) "${science[v]}" $((v == landing ? 1 : 0))
done
if ((landing < late)); then
  say "not landed, for later A/B runs with --land-visit (BENCH_KEEP=1 keeps them):"
  for ((v = landing + 1; v <= late; v++)); do say "  $cluster ${science[v]}"; done
fi
