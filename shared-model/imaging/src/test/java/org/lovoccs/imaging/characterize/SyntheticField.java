package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.ImageF;
import org.lovoccs.imaging.Mask;
import org.lovoccs.imaging.MaskedImage;

/**
 * A field of elliptical Gaussian stars, pixel-integrated (erf per axis on the principal frame is not separable for an
 * elliptical Gaussian, so 4x4 sub-pixel sampling is used), whose sigma grows linearly with x, on a sloped sky with
 * Gaussian noise of the right variance. The true (pixel-convolved) covariance at (x, y) is
 * {@code sigma(x)^2 (I + shear) + 1/12 I} up to the 4x4 sampling.
 */
final class SyntheticField {

    final int width;
    final int height;
    final double sigma0;
    final double sigmaSlope;
    final double e1;
    final double e2;
    final List<double[]> stars = new ArrayList<>();
    final MaskedImage image;

    SyntheticField(long seed, int width, int height, int count, double sigma0, double sigmaSlope, double e1,
                   double e2, double sky) {
        this.width = width;
        this.height = height;
        this.sigma0 = sigma0;
        this.sigmaSlope = sigmaSlope;
        this.e1 = e1;
        this.e2 = e2;
        SplittableRandom rng = new SplittableRandom(seed);
        ImageF expected = new ImageF(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                expected.set(x, y, (float) (sky * (1 + 0.05 * x / width)));
            }
        }
        for (int i = 0; i < count; i++) {
            double x = rng.nextDouble() * (width - 1);
            double y = rng.nextDouble() * (height - 1);
            double flux = 2000 * Math.pow(10, 2.5 * rng.nextDouble());
            stars.add(new double[] {x, y, flux});
            addStar(expected, x, y, flux);
        }
        ImageF img = new ImageF(width, height);
        ImageF var = new ImageF(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double e = expected.get(x, y);
                img.set(x, y, (float) (e + Math.sqrt(e) * rng.nextGaussian()));
                var.set(x, y, (float) e);
            }
        }
        image = new MaskedImage(img, new Mask(width, height), var);
    }

    /** The true covariance {xx, yy, xy} of the continuous PSF at (x, y). */
    double[] covariance(double x) {
        double s = sigma0 + sigmaSlope * x / width;
        double s2 = s * s;
        double n = 1 / Math.sqrt(1 - e1 * e1 - e2 * e2);
        return new double[] {s2 * (1 + e1) * n, s2 * (1 - e1) * n, s2 * e2 * n};
    }

    private void addStar(ImageF img, double xc, double yc, double flux) {
        double[] c = covariance(xc);
        double det = c[0] * c[1] - c[2] * c[2];
        double ixx = c[1] / det;
        double iyy = c[0] / det;
        double ixy = -c[2] / det;
        double norm = flux / (2 * Math.PI * Math.sqrt(det)) / 16.0;
        int r = (int) Math.ceil(6 * Math.sqrt(Math.max(c[0], c[1])));
        for (int y = Math.max(0, (int) yc - r); y <= Math.min(height - 1, (int) yc + r + 1); y++) {
            for (int x = Math.max(0, (int) xc - r); x <= Math.min(width - 1, (int) xc + r + 1); x++) {
                double s = 0;
                for (int sy = 0; sy < 4; sy++) {
                    double dy = y - yc + (sy + 0.5) / 4 - 0.5;
                    for (int sx = 0; sx < 4; sx++) {
                        double dx = x - xc + (sx + 0.5) / 4 - 0.5;
                        s += Math.exp(-0.5 * (ixx * dx * dx + 2 * ixy * dx * dy + iyy * dy * dy));
                    }
                }
                img.set(x, y, (float) (img.get(x, y) + norm * s));
            }
        }
    }
}
