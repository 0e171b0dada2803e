package org.lovoccs.simulator.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.simulator.random.PoissonSampler;

/**
 * The fixed cosmetic defects of one CCD, drawn from {@code stream(instrumentSeed, DEFECTS, ccdNum)}.
 *
 * <p>Counts per CCD (typical of a good DECam CCD): bad columns ~ Poisson(2.5), each 1 px wide (80%) or 2 px; 60% are
 * dead (response uniform in [0, 0.3]) and 40% hot (dark current uniform in [1, 10] e-/s per pixel). Half cover the
 * whole column; the other half are partial, from a charge trap at row {@code y_t} (uniform 200-3900) to the far end of
 * the column (rows {@code y_t..4095}): the amplifiers read rows from row 0, so every pixel beyond the trap has its
 * charge transferred through it. Hot pixels ~ Poisson(30), dark current log-uniform in [1, 100] e-/s.
 */
public final class Defects {

    private final List<Defect> defects;

    public Defects(List<Defect> defects) {
        this.defects = List.copyOf(defects);
    }

    /** Draws the defects of CCD {@code ccdNum} of a {@code width x height} assembled CCD. */
    public static Defects draw(long instrumentSeed, int ccdNum, int width, int height) {
        SplittableRandom rng = InstrumentStreams.stream(instrumentSeed, InstrumentStreams.DEFECTS, ccdNum);
        PoissonSampler poisson = new PoissonSampler();
        List<Defect> out = new ArrayList<>();
        long columns = poisson.sample(rng, 2.5);
        for (long k = 0; k < columns; k++) {
            int w = rng.nextDouble() < 0.8 ? 1 : 2;
            int x = rng.nextInt(width - w + 1);
            boolean partial = rng.nextBoolean();
            int y0 = partial ? 200 + rng.nextInt(Math.max(1, Math.min(height, 3901) - 200)) : 0;
            y0 = Math.min(y0, height - 1);
            PixelBox box = new PixelBox(x, y0, w, height - y0);
            if (rng.nextDouble() < 0.6) {
                out.add(new Defect(box, Defect.Kind.DEAD_COLUMN, 0.3 * rng.nextDouble(), 0.0));
            } else {
                out.add(new Defect(box, Defect.Kind.HOT_COLUMN, 1.0, 1.0 + 9.0 * rng.nextDouble()));
            }
        }
        long hot = poisson.sample(rng, 30.0);
        for (long k = 0; k < hot; k++) {
            int x = rng.nextInt(width);
            int y = rng.nextInt(height);
            out.add(new Defect(new PixelBox(x, y, 1, 1), Defect.Kind.HOT_PIXEL, 1.0,
                    Math.exp(Math.log(100.0) * rng.nextDouble())));
        }
        return new Defects(out);
    }

    /** All defects, columns first. */
    public List<Defect> all() {
        return defects;
    }

    /** The boxes of bad columns (dead or hot). */
    public List<PixelBox> badColumns() {
        return defects.stream().filter(Defect::isColumn).map(Defect::box).toList();
    }

    /** The boxes (1 x 1) of hot pixels. */
    public List<PixelBox> hotPixels() {
        return defects.stream().filter(d -> !d.isColumn()).map(Defect::box).toList();
    }

    /**
     * Applies the defects to an electrons image of the assembled CCD (meant for the expected charge, before the
     * Poisson draw): first every pixel of every defect is multiplied by its response, then each defect adds
     * {@code darkElectronsPerSecond * exptime} to its pixels (so overlapping hot defects add up).
     *
     * @param exptimeSeconds exposure (dark) time; 0 for a zero
     */
    public void applyTo(ImageF electrons, double exptimeSeconds) {
        float[] a = electrons.array();
        for (Defect d : defects) {
            if (d.response() != 1.0) {
                forEach(electrons, d.box(), i -> a[i] = (float) (a[i] * d.response()));
            }
        }
        for (Defect d : defects) {
            double add = d.darkElectronsPerSecond() * exptimeSeconds;
            if (add != 0.0) {
                forEach(electrons, d.box(), i -> a[i] = (float) (a[i] + add));
            }
        }
    }

    private interface IndexAction {
        void at(int index);
    }

    private static void forEach(ImageF image, PixelBox box, IndexAction action) {
        PixelBox b = clip(box, image.bbox());
        for (int y = b.y0(); y <= b.maxY(); y++) {
            int base = image.index(b.x0(), y);
            for (int x = 0; x < b.width(); x++) {
                action.at(base + x);
            }
        }
    }

    private static PixelBox clip(PixelBox box, PixelBox bounds) {
        int x0 = Math.max(box.x0(), bounds.x0());
        int y0 = Math.max(box.y0(), bounds.y0());
        int x1 = Math.min(box.maxX(), bounds.maxX());
        int y1 = Math.min(box.maxY(), bounds.maxY());
        return new PixelBox(x0, y0, Math.max(0, x1 - x0 + 1), Math.max(0, y1 - y0 + 1));
    }

    /** A mask of the assembled CCD: 1 where any defect lies, else 0 (row-major, {@code width * height}). */
    public byte[] mask(int width, int height) {
        byte[] m = new byte[width * height];
        PixelBox bounds = PixelBox.ofSize(width, height);
        for (Defect d : defects) {
            PixelBox b = clip(d.box(), bounds);
            for (int y = b.y0(); y <= b.maxY(); y++) {
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    m[y * width + x] = 1;
                }
            }
        }
        return m;
    }
}
