package org.lovoccs.imaging.characterize;

/**
 * How PSF stars are chosen and the PSF is modelled (PSFEx-like pixel basis).
 *
 * @param kernelSize          side of the model kernel, pixels (odd; PSFEx PSF_SIZE)
 * @param spatialOrder        highest degree of the polynomial in (x, y) of each kernel pixel (PSFEx PSFVAR_DEGREES);
 *                            the fit uses the degree up to it that predicts the stars best (leave-one-out)
 * @param minSnr              minimum aperture S/N of a PSF star
 * @param sizeClip            stars lie within this fractional distance of the stellar-locus size ln(Ixx + Iyy)
 * @param isolationRadius     no other source within this many pixels
 * @param maxStars            at most this many (the brightest) stars are used
 * @param rejectionSigma      stars whose residual chi^2 exceeds median + rejectionSigma x 1.4826 MAD are dropped
 * @param rejectionIterations rounds of rejection
 * @param accuracy            relative accuracy floor of a star's normalised pixels (PSFEx PSF_ACCURACY), which caps
 *                            the weight of the brightest stars
 */
public record PsfConfig(int kernelSize, int spatialOrder, double minSnr, double sizeClip, double isolationRadius,
                        int maxStars, double rejectionSigma, int rejectionIterations, double accuracy) {

    public PsfConfig {
        if (kernelSize < 5 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("kernelSize must be odd and >= 5, got " + kernelSize);
        }
        if (spatialOrder < 0 || spatialOrder > 4) {
            throw new IllegalArgumentException("spatialOrder must be 0-4, got " + spatialOrder);
        }
        if (!(minSnr > 0) || !(sizeClip > 0) || isolationRadius < 0 || maxStars < 1 || rejectionIterations < 0
                || !(rejectionSigma > 0) || !(accuracy > 0)) {
            throw new IllegalArgumentException("bad PSF configuration: minSnr " + minSnr + ", sizeClip " + sizeClip
                    + ", isolationRadius " + isolationRadius + ", maxStars " + maxStars + ", rejectionSigma "
                    + rejectionSigma + ", rejectionIterations " + rejectionIterations + ", accuracy " + accuracy);
        }
    }

    /** 25 px kernel, degree 2, S/N > 50, sizes within 10%, isolated by 10 px, 300 stars, 3-sigma rejection x3. */
    public static PsfConfig defaults() {
        return new PsfConfig(25, 2, 50.0, 0.10, 10.0, 300, 3.0, 3, 0.002);
    }
}
