package org.lovoccs.simulator.instrument;

import org.lovoccs.imaging.ImageF;

/**
 * The brighter-fatter effect: charge already collected in a pixel repels incoming charge, so bright sources spread
 * more than faint ones. Following Antilogus et al. (2014) and Coulton et al. (2018), the collected charge Q (e-)
 * becomes {@code Q + dQ} with
 * <pre>
 *   dQ = 1/2 div( Q grad(K * Q) )
 * </pre>
 * where {@code K * Q} is the convolution of Q with the kernel K (units 1/e-) and the factor 1/2 accounts for the charge
 * building up linearly during the exposure. Discretely, across the edge between neighbouring pixels p and q the
 * charge {@code 1/2 (Q_p + Q_q)/2 (phi_q - phi_p)} moves from q to p (phi = K * Q), with 4-neighbour edges; every
 * transfer is taken from one pixel and given to the other, so the total charge is conserved exactly (up to float
 * rounding of the stored pixels). Nothing crosses the image border and the convolution replicates the edge pixels,
 * so a uniform image is left unchanged.
 *
 * <p>The kernel is a sum of two normalised, truncated Gaussians (separable, which keeps 2048 x 4096 well under a
 * second): {@code K = strength (G(sigma1) + weight G(sigma2))}. {@link #decam()} uses sigma1 = 1 px, sigma2 = 3 px,
 * weight 0.3, radius 9 px (the core Gaussian is cut at ceil(5 sigma1) = 5 px) and a strength that widens a 4-px-FWHM Gaussian star peaking at 150000 e- by about 1.5% in
 * FWHM; the widening is proportional to the star's flux, so a star peaking at 150 e- changes by ~2e-5.
 */
public final class BrighterFatter {

    /** Strength of {@link #decam()}, 1/e-. */
    public static final double DECAM_STRENGTH = 3.0e-6;
    private static final int STRIP = 256;

    private final double strength;
    private final double sigma1;
    private final double sigma2;
    private final double weight;
    private final int radius;
    private final double[] g1;
    private final double[] g2;

    /**
     * @param strength 1/e-, multiplies the normalised kernel shape
     * @param sigma1   core Gaussian sigma, px
     * @param sigma2   wide Gaussian sigma, px
     * @param weight   weight of the wide Gaussian
     * @param radius   truncation half-width, px (the kernel is (2 radius + 1)^2)
     */
    public BrighterFatter(double strength, double sigma1, double sigma2, double weight, int radius) {
        if (!(strength >= 0 && sigma1 > 0 && sigma2 > 0 && weight >= 0 && radius >= 1)) {
            throw new IllegalArgumentException("bad brighter-fatter kernel parameters");
        }
        this.strength = strength;
        this.sigma1 = sigma1;
        this.sigma2 = sigma2;
        this.weight = weight;
        this.radius = radius;
        this.g1 = gaussian(sigma1, Math.min(radius, (int) Math.ceil(5 * sigma1)), radius);
        this.g2 = gaussian(sigma2, radius, radius);
    }

    /** The DECam-like default described in the class comment. */
    public static BrighterFatter decam() {
        return new BrighterFatter(DECAM_STRENGTH, 1.0, 3.0, 0.3, 9);
    }

    /** Normalised Gaussian taps out to {@code cut}, zero beyond, in an array of 2 radius + 1. */
    private static double[] gaussian(double sigma, int cut, int radius) {
        double[] g = new double[2 * radius + 1];
        double sum = 0;
        for (int d = -cut; d <= cut; d++) {
            g[d + radius] = Math.exp(-0.5 * d * d / (sigma * sigma));
            sum += g[d + radius];
        }
        for (int k = 0; k < g.length; k++) {
            g[k] /= sum;
        }
        return g;
    }

    public double strength() {
        return strength;
    }

    public int radius() {
        return radius;
    }

    /**
     * The kernel K (1/e-) as a (2 radius + 1)^2 row-major array, element {@code (dy + radius) * (2 radius + 1) + dx +
     * radius}.
     */
    public double[] kernel() {
        int n = 2 * radius + 1;
        double[] k = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                k[j * n + i] = strength * (g1[j] * g1[i] + weight * g2[j] * g2[i]);
            }
        }
        return k;
    }

    /** Redistributes the charge of {@code electrons} (e- per pixel, modified in place). */
    public void apply(ImageF electrons) {
        if (strength == 0) {
            return;
        }
        int w = electrons.width();
        int h = electrons.height();
        float[] phi = potential(electrons);
        float[] a = electrons.array();
        float[] prev = new float[w];
        float[] cur = new float[w];
        for (int y = 0; y < h; y++) {
            int base = electrons.index(0, y);
            System.arraycopy(a, base, cur, 0, w);
            int pBase = y * w;
            int below = y > 0 ? electrons.index(0, y - 1) : -1;
            int above = y + 1 < h ? electrons.index(0, y + 1) : -1;
            for (int x = 0; x < w; x++) {
                double q = cur[x];
                double f = phi[pBase + x];
                double d = 0;
                if (x > 0) {
                    d += (q + cur[x - 1]) * (phi[pBase + x - 1] - f);
                }
                if (x + 1 < w) {
                    d += (q + cur[x + 1]) * (phi[pBase + x + 1] - f);
                }
                if (y > 0) {
                    d += (q + prev[x]) * (phi[pBase - w + x] - f);
                }
                if (y + 1 < h) {
                    d += (q + a[above + x]) * (phi[pBase + w + x] - f);
                }
                a[base + x] = (float) (q + 0.25 * d);
            }
            float[] t = prev;
            prev = cur;
            cur = t;
        }
    }

    /** phi = K * Q, contiguous w x h, computed in strips with the image edges replicated. */
    private float[] potential(ImageF q) {
        int w = q.width();
        int h = q.height();
        float[] src = q.array();
        float[] phi = new float[w * h];
        int r = radius;
        int r1 = r1();
        int rows = STRIP + 2 * r;
        float[] h1 = new float[rows * w];
        float[] h2 = new float[rows * w];
        double[] padded = new double[w + 2 * r];
        double[] acc = new double[w];
        double[] c1 = new double[2 * r1 + 1];
        for (int d = -r1; d <= r1; d++) {
            c1[d + r1] = g1[d + r];
        }
        for (int y0 = 0; y0 < h; y0 += STRIP) {
            int y1 = Math.min(h, y0 + STRIP);
            for (int yy = y0 - r; yy < y1 + r; yy++) {
                int sy = Math.min(h - 1, Math.max(0, yy));
                int sBase = q.index(0, sy);
                for (int x = 0; x < w + 2 * r; x++) {
                    int sx = Math.min(w - 1, Math.max(0, x - r));
                    padded[x] = src[sBase + sx];
                }
                int tBase = (yy - y0 + r) * w;
                for (int x = 0; x < w; x++) {
                    double s1 = 0;
                    int o1 = x + r - r1;
                    for (int k = 0; k < c1.length; k++) {
                        s1 += c1[k] * padded[o1 + k];
                    }
                    double s2 = 0;
                    for (int k = 0; k < g2.length; k++) {
                        s2 += g2[k] * padded[x + k];
                    }
                    h1[tBase + x] = (float) s1;
                    h2[tBase + x] = (float) s2;
                }
            }
            for (int y = y0; y < y1; y++) {
                java.util.Arrays.fill(acc, 0.0);
                for (int d = -r1; d <= r1; d++) {
                    double c = g1[d + r];
                    int t = (y + d - y0 + r) * w;
                    for (int x = 0; x < w; x++) {
                        acc[x] += c * h1[t + x];
                    }
                }
                for (int d = -r; d <= r; d++) {
                    double c = weight * g2[d + r];
                    int t = (y + d - y0 + r) * w;
                    for (int x = 0; x < w; x++) {
                        acc[x] += c * h2[t + x];
                    }
                }
                int out = y * w;
                for (int x = 0; x < w; x++) {
                    phi[out + x] = (float) (strength * acc[x]);
                }
            }
        }
        return phi;
    }

    /** Half-width of the core Gaussian: ceil(5 sigma1), at most the radius (it is zero beyond). */
    private int r1() {
        return Math.min(radius, (int) Math.ceil(5 * sigma1));
    }

    @Override
    public String toString() {
        return "BrighterFatter[strength=" + strength + "/e-, sigma=" + sigma1 + "," + sigma2 + " px, weight=" + weight
                + ", radius=" + radius + "]";
    }
}
