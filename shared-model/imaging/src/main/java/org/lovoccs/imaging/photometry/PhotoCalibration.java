package org.lovoccs.imaging.photometry;

/**
 * The photometric calibration of one CCD exposure.
 *
 * @param zeroPoint      AB magnitude of a source giving 1 e-/s in total flux (aperture-corrected), mag
 * @param zeroPointErr   its 1-sigma error: the weighted mean's, scaled up by sqrt(chi^2/dof) when the scatter
 *                       exceeds the stated errors
 * @param exptime        exposure time, s
 * @param matched        sources matched to the reference catalogue
 * @param used           matches used (in the magnitude and S/N window, not clipped)
 * @param rmsMag         rms of the used stars' zero points about the mean, mag
 */
public record PhotoCalibration(double zeroPoint, double zeroPointErr, double exptime, int matched, int used,
                               double rmsMag) {

    /** AB zero point of the exposure (magnitude of a source giving 1 e- in total), mag. */
    public double exposureZeroPoint() {
        return zeroPoint + 2.5 * Math.log10(exptime);
    }

    /** LSST's PhotoCalib calibrationMean: nJy per electron (AB: 0 mag = 3631 Jy, i.e. m = 31.4 - 2.5 log10 nJy). */
    public double nanojanskyPerElectron() {
        return Math.pow(10, (31.4 - exposureZeroPoint()) / 2.5);
    }

    /** AB magnitude of a source with {@code electrons} of total flux in this exposure. */
    public double magnitude(double electrons) {
        return exposureZeroPoint() - 2.5 * Math.log10(electrons);
    }
}
