package org.lovoccs.simulator.optics;

import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;

/**
 * The true pixel-to-sky mapping of one exposure: the optics' distortion, the true boresight (the commanded pointing
 * plus the telescope's pointing error) and a small rotation of the focal plane about the optical axis.
 *
 * <p>Pixel (i, j) of a CCD's assembled grid (0-based, pixel centres at integers) sits at focal-plane position
 * {@code (xMinMm + (i + 0.5) * 0.015, yMinMm + (j + 0.5) * 0.015)}. The raw header's TAN WCS is what the telescope
 * believes (commanded pointing, no distortion, no rotation); this class is what really happened, so astrometric
 * calibration has arcseconds of pointing error and a distortion to recover.
 *
 * @param boresightRaDeg   true RA of the optical axis, degrees
 * @param boresightDecDeg  true Dec of the optical axis, degrees
 * @param rotationArcsec   rotation of the focal plane on the sky, arcsec, counter-clockwise from North to East
 * @param optics           the focal plane's optical mapping
 */
public record ExposureAstrometry(double boresightRaDeg, double boresightDecDeg, double rotationArcsec,
                                 FocalPlaneOptics optics) {

    private static final double PIXEL_MM = DecamCamera.PIXEL_SIZE_MM;

    /** Focal-plane position (mm) of assembled pixel (x, y) of {@code ccd}. */
    public static double[] focalPlaneMm(DecamCcd ccd, double x, double y) {
        return new double[] {ccd.xMinMm() + (x + 0.5) * PIXEL_MM, ccd.yMinMm() + (y + 0.5) * PIXEL_MM};
    }

    /** True (ra, dec), degrees, of assembled pixel (x, y) of {@code ccd}. */
    public double[] pixelToSky(DecamCcd ccd, double x, double y) {
        double[] fp = focalPlaneMm(ccd, x, y);
        double[] t = optics.toTangentArcsec(fp[0], fp[1]);
        double[] r = rotate(t[0], t[1], rotationArcsec);
        return Gnomonic.toSky(boresightRaDeg, boresightDecDeg, r[0], r[1]);
    }

    /** The assembled pixel (x, y) of {@code ccd} where (ra, dec) falls (may lie outside the CCD). */
    public double[] skyToPixel(DecamCcd ccd, double raDeg, double decDeg) {
        double[] t = Gnomonic.toTangent(boresightRaDeg, boresightDecDeg, raDeg, decDeg);
        double[] r = rotate(t[0], t[1], -rotationArcsec);
        double[] fp = optics.toFocalPlaneMm(r[0], r[1]);
        return new double[] {(fp[0] - ccd.xMinMm()) / PIXEL_MM - 0.5, (fp[1] - ccd.yMinMm()) / PIXEL_MM - 0.5};
    }

    /**
     * The local linear map from pixel offsets to sky offsets at pixel (x, y): {@code {dxi/dx, dxi/dy, deta/dx,
     * deta/dy}} in arcsec per pixel, with xi toward East and eta toward North in the tangent plane AT THE POINT (not at
     * the boresight), so shapes defined on the sky map to the pixel grid without the projection's rotation.
     */
    public double[] localJacobian(DecamCcd ccd, double x, double y) {
        double[] centre = pixelToSky(ccd, x, y);
        double h = 1.0;
        double[] px = Gnomonic.toTangent(centre[0], centre[1], pixelToSky(ccd, x + h, y)[0],
                pixelToSky(ccd, x + h, y)[1]);
        double[] mx = Gnomonic.toTangent(centre[0], centre[1], pixelToSky(ccd, x - h, y)[0],
                pixelToSky(ccd, x - h, y)[1]);
        double[] py = Gnomonic.toTangent(centre[0], centre[1], pixelToSky(ccd, x, y + h)[0],
                pixelToSky(ccd, x, y + h)[1]);
        double[] my = Gnomonic.toTangent(centre[0], centre[1], pixelToSky(ccd, x, y - h)[0],
                pixelToSky(ccd, x, y - h)[1]);
        return new double[] {(px[0] - mx[0]) / (2 * h), (py[0] - my[0]) / (2 * h), (px[1] - mx[1]) / (2 * h),
                (py[1] - my[1]) / (2 * h)};
    }

    private static double[] rotate(double xi, double eta, double angleArcsec) {
        double a = Math.toRadians(angleArcsec / 3600.0);
        double c = Math.cos(a);
        double s = Math.sin(a);
        return new double[] {c * xi - s * eta, s * xi + c * eta};
    }
}
