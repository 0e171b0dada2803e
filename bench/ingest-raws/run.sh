#!/usr/bin/env bash
# butler ingest-raws rate (raws/s, MB/s), copy and direct, beside check-raws on the same files.
#   bench/ingest-raws/run.sh CAMPAIGN_DIR [PARALLEL]        (default: cores)
# CAMPAIGN_DIR is a simulated campaign, e.g. from
#   ./lovoccs simulate --scale demo --cluster BENCH --zeros 1 --flats 1 --out /tmp/bench/BENCH
# check-raws reads its raw/ and calib/ raws hard-linked into one folder (it takes one folder; nothing is copied);
# ingest-raws reads them in place (direct registers them there: keep the campaign folder while the RUN exists).
# Needs the stack and the registry and ingestion services (./lovoccs stack up; ./lovoccs services up); stop the
# workers first (./lovoccs services down isr calibration) so that processing the ingested raws does not compete.
# Each mode ingests into a RUN of its own (DECam/raw/bench-<stamp>-copy, -direct), so each ingests every raw anew;
# the last line is a second copy run, which finds every raw already present. Remove the RUNs afterwards with
#   ./lovoccs butler remove-runs 'DECam/raw/bench-*' --no-confirm
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${1:?usage: bench/ingest-raws/run.sh CAMPAIGN_DIR [PARALLEL]}
P=${2:-$(nproc)}
DIR=$(cd "$DIR" && pwd)
SET=$(mktemp -d "${TMPDIR:-/tmp}/ingest-bench.XXXXXX")
trap 'rm -rf "$SET"' EXIT
cp -al "$DIR/raw" "$DIR/calib" "$SET/"
mapfile -t FILES < <(find "$SET" -type f \( -name '*.fits' -o -name '*.fits.fz' \) | sort)
BYTES=$(cat "${FILES[@]}" | wc -c)   # also warms the page cache
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
CLUSTER=BENCH${STAMP//[^0-9]/}
echo "== ${#FILES[@]} raws, $((BYTES / 1000000)) MB from $DIR; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "-- check-raws --parallel $P"
"$ROOT/lovoccs" check-raws "$SET" --parallel "$P" | tail -1
for mode in copy direct; do
  echo "-- butler ingest-raws -t $mode -j $P"
  "$ROOT/lovoccs" butler ingest-raws "$CLUSTER" "$DIR/raw" "$DIR/calib" -t "$mode" -j "$P" --output-run "DECam/raw/bench-$STAMP-$mode" \
    --progress 30 2>/dev/null | grep '^ingest-raws: .* raws (' || true
done
echo "-- butler ingest-raws -t copy -j $P again (already present)"
"$ROOT/lovoccs" butler ingest-raws "$CLUSTER" "$DIR/raw" "$DIR/calib" -t copy -j "$P" --output-run "DECam/raw/bench-$STAMP-copy" \
  2>/dev/null | grep '^ingest-raws: .* raws (' || true
