#!/usr/bin/env bash
# Detection + measurement throughput on a 2048 x 4096 float image: ours (Java, imaging's characterize package) and
# SExtractor's (Debian source-extractor) on the same file, same machine, same run.
#   bench/characterize/run.sh [REPETITIONS]
# Needs: Maven offline repository populated (mvn -o), a JDK 17+, source-extractor (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if ! command -v source-extractor >/dev/null 2>&1; then
  apt-get install -y source-extractor >/dev/null
fi

mvn -o -q -pl shared-model/imaging -am test-compile
mvn -o -q -pl shared-model/imaging dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="shared-model/imaging/target/test-classes:shared-model/imaging/target/classes:$(cat "$WORK/cp.txt")"

echo "== Java: background + detection + measurement (and the whole Characterizer.run), $(nproc) cores"
java -cp "$CP" org.lovoccs.imaging.characterize.CharacterizeBench "$WORK/image.fits" "$REPS" | tee "$WORK/java.txt"
echo "== Java on one core (-XX:ActiveProcessorCount=1), for a like-for-like comparison with single-threaded SExtractor"
java -XX:ActiveProcessorCount=1 -cp "$CP" org.lovoccs.imaging.characterize.CharacterizeBench "$WORK/image1.fits" "$REPS" \
  | grep RESULT | sed 's/RESULT java/RESULT java (1 core)/'


# SExtractor with the equivalent settings: 128 px meshes, 3x3 filter, Gaussian detection filter of the PSF's FWHM
# (sigma 1.8 px -> FWHM 4.2 px; gauss_4.0_7x7 is Debian's nearest), threshold so that the smoothed-noise 5 sigma
# matches (5 x noise factor of the kernel in pixel sigmas is about 1.3), minimum area 5, deblending on, the
# parameters of our catalogue (centroid, windowed centroid, moments, aperture flux, flags).
cat > "$WORK/bench.param" <<'P'
NUMBER
X_IMAGE
Y_IMAGE
XWIN_IMAGE
YWIN_IMAGE
X2_IMAGE
Y2_IMAGE
XY_IMAGE
FLUX_APER(1)
FLUXERR_APER(1)
FLUX_MAX
ISOAREA_IMAGE
FLAGS
P
SEXCONF=/usr/share/source-extractor
THREADS=1  # Debian builds SExtractor single-threaded (NTHREADS != 1 is ignored with a warning)
best=""
for i in $(seq 0 "$REPS"); do
  t0=$(date +%s.%N)
  source-extractor "$WORK/image.fits" -c "$SEXCONF/default.sex" -PARAMETERS_NAME "$WORK/bench.param" \
    -FILTER_NAME "$SEXCONF/gauss_4.0_7x7.conv" -FILTER Y -BACK_SIZE 128 -BACK_FILTERSIZE 3 \
    -DETECT_THRESH 1.3 -ANALYSIS_THRESH 1.3 -DETECT_MINAREA 5 -PHOT_APERTURES 24 \
    -CATALOG_NAME "$WORK/sex.cat" -CATALOG_TYPE ASCII_HEAD -CHECKIMAGE_TYPE NONE -VERBOSE_TYPE QUIET \
    -NTHREADS "$THREADS" -STARNNW_NAME "$SEXCONF/default.nnw"
  t1=$(date +%s.%N)
  dt=$(echo "$t1 - $t0" | bc -l)
  n=$(grep -vc '^#' "$WORK/sex.cat")
  echo "round $i: source-extractor $dt s ($n sources)"
  if [ "$i" -gt 0 ]; then
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  fi
done
printf 'RESULT source-extractor %s (NTHREADS=%s) best %.3f s = %.1f Mpix/s (%d sources)\n' \
  "$(source-extractor -v 2>&1 | head -1 | sed 's/^.*version //')" "$THREADS" "$best" \
  "$(echo "2048*4096/1000000/$best" | bc -l)" "$n"
