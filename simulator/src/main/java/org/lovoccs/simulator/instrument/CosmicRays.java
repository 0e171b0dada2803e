package org.lovoccs.simulator.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.random.PoissonSampler;

/**
 * Cosmic rays of one CCD in one exposure, from {@code stream(exposureSeed, COSMIC_RAYS, ccdNum)}.
 *
 * <p>Rate: {@link #RATE_PER_CM2_PER_S} = 0.025 events cm^-2 s^-1 (1.5 per cm^2 per minute): the sea-level muon flux
 * through a horizontal surface is about 1 cm^-2 min^-1; the 2200 m altitude of CTIO, secondaries and the radioactivity
 * of the dewar and CCD materials raise it. This is an adopted round figure, not a DECam measurement. A 2048 x 4096 CCD
 * of 15 um pixels (18.9 cm^2) gets about 42 events in 90 s. Event start points are uniform on the CCD; tracks may leave
 * it (their charge beyond the edge is lost).
 *
 * <p>Tracks (the CCDs are {@link #THICKNESS_UM} = 250 um thick): 80% muons, straight, zenith angle theta with
 * {@code cos theta = U^(1/4)} (flux through a horizontal surface ~ cos^3 theta), projected length
 * {@code 250 um tan(theta) / 15 um} px (a vertical muon is a spot; ~1% are longer than 50 px), charge 70 e-/um of path
 * (most probable energy loss of a minimum-ionising particle in silicon) times a Landau-like factor
 * {@code 1 + 0.12 X}, X Moyal-distributed ({@code X = -ln Z^2}, Z standard normal), floored at 0.5. 20% worms:
 * low-energy electrons, a random walk of 5-40 steps of 1 px with turns of 0.5 rad rms, 3000-30000 e- in total.
 * The charge is spread evenly along the track in steps of 0.2 px and each step deposited bilinearly on the 4 nearest
 * pixel centres, giving thousands of e- per pixel.
 */
public final class CosmicRays {

    /** Adopted event rate, cm^-2 s^-1. */
    public static final double RATE_PER_CM2_PER_S = 0.025;
    /** CCD thickness, um. */
    public static final double THICKNESS_UM = 250.0;
    /** Most probable charge per um of muon path, e-. */
    public static final double ELECTRONS_PER_UM = 70.0;

    private CosmicRays() {
    }

    /**
     * Truth of the cosmic rays added to one CCD.
     *
     * @param hits      the events
     * @param pixels    assembled pixel indices {@code y * width + x} that received charge, increasing
     * @param electrons charge added to each of {@code pixels}, e-
     */
    public record Result(List<CosmicRayHit> hits, int[] pixels, float[] electrons) {
        public Result {
            hits = List.copyOf(hits);
        }

        /** Total charge that landed on the CCD, e-. */
        public double totalElectrons() {
            double s = 0;
            for (float e : electrons) {
                s += e;
            }
            return s;
        }
    }

    /** Expected number of events on a {@code width x height} CCD in {@code exptime} seconds. */
    public static double expectedCount(int width, int height, double exptimeSeconds) {
        double cm = DecamCamera.PIXEL_SIZE_MM / 10.0;
        return RATE_PER_CM2_PER_S * width * cm * height * cm * exptimeSeconds;
    }

    /** Draws the events of one CCD and exposure without rendering them. */
    public static List<CosmicRayHit> drawHits(long exposureSeed, int ccdNum, int width, int height,
                                              double exptimeSeconds) {
        SplittableRandom rng = InstrumentStreams.stream(exposureSeed, InstrumentStreams.COSMIC_RAYS, ccdNum);
        long n = new PoissonSampler().sample(rng, expectedCount(width, height, exptimeSeconds));
        List<CosmicRayHit> hits = new ArrayList<>();
        double pixelUm = DecamCamera.PIXEL_SIZE_MM * 1000.0;
        for (long k = 0; k < n; k++) {
            double x0 = -0.5 + width * rng.nextDouble();
            double y0 = -0.5 + height * rng.nextDouble();
            double dir = 2 * Math.PI * rng.nextDouble();
            if (rng.nextDouble() < 0.8) {
                double cos = Math.pow(rng.nextDouble(), 0.25);
                cos = Math.max(cos, 0.01);
                double tan = Math.sqrt(1 - cos * cos) / cos;
                double len = THICKNESS_UM * tan / pixelUm;
                double pathUm = THICKNESS_UM / cos;
                double z = rng.nextGaussian();
                double moyal = -Math.log(Math.max(z * z, 1e-300));
                double factor = Math.max(0.5, 1.0 + 0.12 * moyal);
                hits.add(new CosmicRayHit(CosmicRayHit.Kind.MUON,
                        new double[] {x0, x0 + len * Math.cos(dir)}, new double[] {y0, y0 + len * Math.sin(dir)},
                        ELECTRONS_PER_UM * pathUm * factor));
            } else {
                int steps = 5 + rng.nextInt(36);
                double[] xs = new double[steps + 1];
                double[] ys = new double[steps + 1];
                xs[0] = x0;
                ys[0] = y0;
                for (int s = 1; s <= steps; s++) {
                    dir += 0.5 * rng.nextGaussian();
                    xs[s] = xs[s - 1] + Math.cos(dir);
                    ys[s] = ys[s - 1] + Math.sin(dir);
                }
                hits.add(new CosmicRayHit(CosmicRayHit.Kind.WORM, xs, ys, 3000.0 + 27000.0 * rng.nextDouble()));
            }
        }
        return hits;
    }

    /**
     * Draws the events of CCD {@code ccdNum} in the exposure and adds their charge to {@code electrons} (the
     * assembled CCD, e-; meant for the Poisson-drawn charge, before read-out).
     */
    public static Result addTo(ImageF electrons, long exposureSeed, int ccdNum, double exptimeSeconds) {
        int w = electrons.width();
        int h = electrons.height();
        List<CosmicRayHit> hits = drawHits(exposureSeed, ccdNum, w, h, exptimeSeconds);
        Map<Integer, double[]> deposit = new HashMap<>();
        for (CosmicRayHit hit : hits) {
            render(hit, w, h, deposit);
        }
        int[] pixels = deposit.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        float[] e = new float[pixels.length];
        float[] a = electrons.array();
        for (int k = 0; k < pixels.length; k++) {
            e[k] = (float) deposit.get(pixels[k])[0];
            int x = pixels[k] % w;
            int y = pixels[k] / w;
            int idx = electrons.index(x, y);
            a[idx] += e[k];
        }
        return new Result(hits, pixels, e);
    }

    private static void render(CosmicRayHit hit, int w, int h, Map<Integer, double[]> deposit) {
        double[] xs = hit.xs();
        double[] ys = hit.ys();
        double length = hit.lengthPx();
        int steps = Math.max(1, (int) Math.ceil(length / 0.2));
        double q = hit.electrons() / steps;
        double[] seg = new double[xs.length];
        for (int k = 1; k < xs.length; k++) {
            seg[k] = seg[k - 1] + Math.hypot(xs[k] - xs[k - 1], ys[k] - ys[k - 1]);
        }
        int s = 1;
        for (int k = 0; k < steps; k++) {
            double t = (k + 0.5) / steps * length;
            double x;
            double y;
            if (xs.length == 1 || length == 0) {
                x = xs[0];
                y = ys[0];
            } else {
                while (s < xs.length - 1 && seg[s] < t) {
                    s++;
                }
                double f = seg[s] > seg[s - 1] ? (t - seg[s - 1]) / (seg[s] - seg[s - 1]) : 0.0;
                x = xs[s - 1] + f * (xs[s] - xs[s - 1]);
                y = ys[s - 1] + f * (ys[s] - ys[s - 1]);
            }
            int i0 = (int) Math.floor(x);
            int j0 = (int) Math.floor(y);
            double fx = x - i0;
            double fy = y - j0;
            add(deposit, w, h, i0, j0, q * (1 - fx) * (1 - fy));
            add(deposit, w, h, i0 + 1, j0, q * fx * (1 - fy));
            add(deposit, w, h, i0, j0 + 1, q * (1 - fx) * fy);
            add(deposit, w, h, i0 + 1, j0 + 1, q * fx * fy);
        }
    }

    private static void add(Map<Integer, double[]> deposit, int w, int h, int x, int y, double q) {
        if (x < 0 || y < 0 || x >= w || y >= h || q <= 0) {
            return;
        }
        deposit.computeIfAbsent(y * w + x, k -> new double[1])[0] += q;
    }

    /** The pixels of {@code result} as a row-major mask of {@code width * height} (true where charge was added). */
    public static boolean[] mask(Result result, int width, int height) {
        boolean[] m = new boolean[width * height];
        Arrays.stream(result.pixels()).forEach(p -> m[p] = true);
        return m;
    }
}
