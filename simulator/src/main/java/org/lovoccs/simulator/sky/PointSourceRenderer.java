package org.lovoccs.simulator.sky;

import org.lovoccs.imaging.ImageF;

/**
 * Adds PSF-shaped point sources to an image of expected electrons.
 *
 * <p>Pixel (i, j) covers {@code [i - 0.5, i + 0.5) x [j - 0.5, j + 0.5)}. Its value is the PSF integrated over the
 * pixel, approximated by the mean of 5x5 samples within 3 FWHM of the centre and by the value at the pixel centre
 * further out. Pixels whose centres are beyond {@link Psf#renderRadius()} are left untouched.
 */
public final class PointSourceRenderer {

    private static final int OVERSAMPLE = 5;
    private static final double INNER_RADIUS_FWHM = 3.0;

    private PointSourceRenderer() {
    }

    /** Adds a source of {@code flux} (image units) centred at ({@code x}, {@code y}) to {@code image}. */
    public static void add(ImageF image, Psf psf, double x, double y, double flux) {
        double radius = psf.renderRadius();
        double inner = INNER_RADIUS_FWHM * psf.fwhmPixels();
        double inner2 = inner * inner;
        double radius2 = radius * radius;
        int i0 = Math.max(0, (int) Math.ceil(x - radius));
        int i1 = Math.min(image.width() - 1, (int) Math.floor(x + radius));
        int j0 = Math.max(0, (int) Math.ceil(y - radius));
        int j1 = Math.min(image.height() - 1, (int) Math.floor(y + radius));
        float[] a = image.array();
        double step = 1.0 / OVERSAMPLE;
        double weight = flux / (OVERSAMPLE * OVERSAMPLE);
        for (int j = j0; j <= j1; j++) {
            double dy = j - y;
            int row = image.index(0, j);
            for (int i = i0; i <= i1; i++) {
                double dx = i - x;
                double r2 = dx * dx + dy * dy;
                if (r2 > radius2) {
                    continue;
                }
                double v;
                if (r2 < inner2) {
                    double s = 0;
                    for (int sy = 0; sy < OVERSAMPLE; sy++) {
                        double ddy = dy + (sy + 0.5) * step - 0.5;
                        for (int sx = 0; sx < OVERSAMPLE; sx++) {
                            double ddx = dx + (sx + 0.5) * step - 0.5;
                            s += psf.value(ddx, ddy);
                        }
                    }
                    v = s * weight;
                } else {
                    v = psf.value(dx, dy) * flux;
                }
                a[row + i] += (float) v;
            }
        }
    }
}
