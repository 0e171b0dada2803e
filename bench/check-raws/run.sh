#!/usr/bin/env bash
# check_raws rate: ./lovoccs check-raws against Debian's fitsverify on the same raw files, warm page cache.
#   bench/check-raws/run.sh DIR [PARALLEL] [REPETITIONS]     (defaults: cores, 2)
# DIR holds *.fits / *.fits.fz raws, e.g. full 62-CCD raws from
#   ./lovoccs simulate --out /tmp/sim --scale full --bands r --nights 1 --visits 2 --zeros 0 --flats 0 --fpack
# (and funpack -O X.fits X.fits.fz for plain ones). Nothing in DIR is moved (no --quarantine).
# Needs: the CLI jar (mvn -o -q -pl cli -am package -DskipTests), /usr/bin/fitsverify (apt-get install fitsverify).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:?usage: bench/check-raws/run.sh DIR [PARALLEL] [REPETITIONS]}
P=${2:-$(nproc)}; REPS=${3:-2}
JAR=$ROOT/cli/target/lovoccs-cli-0.1.0-SNAPSHOT.jar
mapfile -t FILES < <(find "$DIR" -type f \( -name '*.fits' -o -name '*.fits.fz' \) | sort)
BYTES=$(cat "${FILES[@]}" | wc -c)   # also warms the page cache
N=${#FILES[@]}
echo "== ${N} files, $((BYTES / 1000000)) MB in $DIR; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
rate() { awk -v s="$1" -v n="$N" -v b="$BYTES" 'BEGIN { printf "%.1f s  %.2f raws/s  %.0f MB/s", s, n / s, b / 1e6 / s }'; }
timed() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'; }
for r in $(seq "$REPS"); do
  echo "-- repetition $r"
  echo "check-raws --parallel 1      $(rate "$(timed java -jar "$JAR" check-raws "$DIR" --parallel 1)")"
  echo "check-raws --parallel $P      $(rate "$(timed java -jar "$JAR" check-raws "$DIR" --parallel "$P")")"
  echo "fitsverify (one process)     $(rate "$(timed fitsverify -q "${FILES[@]}")")"
  echo "fitsverify (xargs -P $P)      $(rate "$(timed sh -c "printf '%s\n' \"\$@\" | xargs -P $P -n 1 fitsverify -q" sh "${FILES[@]}")")"
done
echo "-- check-raws summary line (last run):"
java -jar "$JAR" check-raws "$DIR" --parallel "$P" | tail -1
