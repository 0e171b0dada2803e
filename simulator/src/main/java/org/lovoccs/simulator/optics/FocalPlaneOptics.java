package org.lovoccs.simulator.optics;

/**
 * The true optical mapping of the DECam focal plane onto the sky's tangent plane at the optical axis.
 *
 * <p>Focal-plane coordinates (x, y) are in mm as in obs_decam's chip-centre table, with the optical axis at (0, 0).
 * The ideal (distortion-free) mapping sends focal-plane y to tangent-plane xi (toward increasing RA, East) and x to
 * eta (North), at {@link #plateScaleArcsecPerMm()}; this is the orientation of the raw headers' CD matrix
 * (CD1_2 = CD2_1 = scale), which has the parity of a sky image. The distortion is radial about the optical axis:
 * a point at radius r is moved outward by the factor {@code D(r) = 1 + cubic (r/R)^2 + quintic (r/R)^4}, with
 * {@code R = referenceRadiusMm}. A radial polynomial of this order is exactly a third/fifth-order polynomial in pixel
 * coordinates on each CCD, so TPV or SIP headers of order 3-5 describe it.
 *
 * @param plateScaleArcsecPerMm  scale on the optical axis, arcsec per mm (DECam: 0.263"/15 um)
 * @param cubic                  fractional scale change at R from the r^2 term
 * @param quintic                fractional scale change at R from the r^4 term
 * @param referenceRadiusMm      R, mm
 */
public record FocalPlaneOptics(double plateScaleArcsecPerMm, double cubic, double quintic, double referenceRadiusMm) {

    /** DECam's nominal plate scale, arcsec per mm. */
    public static final double DECAM_PLATE_SCALE = 0.263 / 0.015;

    public FocalPlaneOptics {
        if (!(plateScaleArcsecPerMm > 0) || !(referenceRadiusMm > 0)) {
            throw new IllegalArgumentException("plate scale and reference radius must be > 0");
        }
        if (Math.abs(cubic) > 0.2 || Math.abs(quintic) > 0.2) {
            throw new IllegalArgumentException("distortion terms must be within +-0.2 (a fraction of the scale), got "
                    + cubic + ", " + quintic);
        }
    }

    /**
     * DECam-like distortion: the scale grows by 0.25% + 0.05% toward the edge of the field (R = 200 mm, about 0.97
     * deg), moving the corner CCDs by about 10" from the ideal mapping, the order of DECam's measured distortion.
     */
    public static FocalPlaneOptics decam() {
        return new FocalPlaneOptics(DECAM_PLATE_SCALE, 0.0025, 0.0005, 200.0);
    }

    /** No distortion at DECam's plate scale. */
    public static FocalPlaneOptics ideal() {
        return new FocalPlaneOptics(DECAM_PLATE_SCALE, 0.0, 0.0, 200.0);
    }

    /** The radial distortion factor D at focal-plane radius {@code rMm}. */
    public double distortionFactor(double rMm) {
        double u = (rMm / referenceRadiusMm) * (rMm / referenceRadiusMm);
        return 1.0 + cubic * u + quintic * u * u;
    }

    /** Tangent-plane position (xi East, eta North), arcsec, of focal-plane point (xMm, yMm). */
    public double[] toTangentArcsec(double xMm, double yMm) {
        double f = plateScaleArcsecPerMm * distortionFactor(Math.hypot(xMm, yMm));
        return new double[] {f * yMm, f * xMm};
    }

    /** The focal-plane point (mm) that images tangent-plane position (xi, eta) arcsec; inverse of the above. */
    public double[] toFocalPlaneMm(double xiArcsec, double etaArcsec) {
        double rAngle = Math.hypot(xiArcsec, etaArcsec);
        double r = rAngle / plateScaleArcsecPerMm;
        for (int i = 0; i < 20 && rAngle > 0; i++) {
            double g = plateScaleArcsecPerMm * r * distortionFactor(r) - rAngle;
            double u = r / referenceRadiusMm;
            double dg = plateScaleArcsecPerMm * (1.0 + 3.0 * cubic * u * u + 5.0 * quintic * u * u * u * u);
            double step = g / dg;
            r -= step;
            if (Math.abs(step) < 1e-12) {
                break;
            }
        }
        double f = plateScaleArcsecPerMm * distortionFactor(r);
        return new double[] {etaArcsec / f, xiArcsec / f};
    }
}
