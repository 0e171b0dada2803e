package org.lovoccs.simulator.instrument;

import java.util.Optional;
import java.util.SplittableRandom;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

/**
 * A satellite trail of one exposure: a straight line across the focal plane with a Gaussian cross-section, defined in
 * focal-plane mm so it continues from CCD to CCD. A pixel at perpendicular distance d (px) from the line gains
 * {@code peakElectrons exp(-d^2 / (2 sigma^2))} e- (value at the pixel centre).
 *
 * @param xMm           focal-plane x of a point on the line, mm
 * @param yMm           focal-plane y of that point, mm
 * @param angleRad      direction of the line from the focal-plane x axis, radians in [0, pi)
 * @param sigmaPx       Gaussian sigma of the cross-section, px
 * @param peakElectrons surface brightness on the line, e- per pixel
 */
public record SatelliteTrail(double xMm, double yMm, double angleRad, double sigmaPx, double peakElectrons) {

    /**
     * With probability {@code probability}, the trail of the exposure (from {@code stream(exposureSeed, SATELLITE)}):
     * through a point uniform in |x|, |y| < 200 mm, direction uniform, sigma uniform in [1, 3] px, peak log-uniform in
     * [100, 10000] e-.
     */
    public static Optional<SatelliteTrail> draw(long exposureSeed, double probability) {
        SplittableRandom rng = InstrumentStreams.stream(exposureSeed, InstrumentStreams.SATELLITE);
        if (rng.nextDouble() >= probability) {
            return Optional.empty();
        }
        return Optional.of(new SatelliteTrail(400 * (rng.nextDouble() - 0.5), 400 * (rng.nextDouble() - 0.5),
                Math.PI * rng.nextDouble(), 1.0 + 2.0 * rng.nextDouble(), 100.0 * Math.pow(100.0, rng.nextDouble())));
    }

    /** Signed perpendicular distance (px) of assembled pixel centre (x, y) of {@code ccd} from the line. */
    public double distancePx(DecamCcd ccd, double x, double y) {
        double p = DecamCamera.PIXEL_SIZE_MM;
        double dx = ccd.xMinMm() + (x + 0.5) * p - xMm;
        double dy = ccd.yMinMm() + (y + 0.5) * p - yMm;
        return (-Math.sin(angleRad) * dx + Math.cos(angleRad) * dy) / p;
    }

    /**
     * Adds the trail to an assembled electrons image of {@code ccd}, out to 6 sigma.
     *
     * @return the number of pixels changed (0 if the trail misses the CCD)
     */
    public int addTo(ImageF electrons, DecamCcd ccd) {
        int w = electrons.width();
        int h = electrons.height();
        float[] a = electrons.array();
        double reach = 6 * sigmaPx;
        double sin = Math.sin(angleRad);
        int changed = 0;
        for (int y = 0; y < h; y++) {
            // d(x) = d(0) - sin * x  (in px)
            double d0 = distancePx(ccd, 0, y);
            int x0 = 0;
            int x1 = w - 1;
            if (Math.abs(sin) > 1e-12) {
                double xa = (d0 - reach) / sin;
                double xb = (d0 + reach) / sin;
                x0 = (int) Math.max(0, Math.floor(Math.min(xa, xb)));
                x1 = (int) Math.min(w - 1, Math.ceil(Math.max(xa, xb)));
            } else if (Math.abs(d0) > reach) {
                continue;
            }
            int base = electrons.index(0, y);
            for (int x = x0; x <= x1; x++) {
                double d = d0 - sin * x;
                if (Math.abs(d) <= reach) {
                    a[base + x] += (float) (peakElectrons * Math.exp(-0.5 * d * d / (sigmaPx * sigmaPx)));
                    changed++;
                }
            }
        }
        return changed;
    }
}
