package org.lovoccs.imaging.calibrate;

import nom.tam.fits.Header;
import org.lovoccs.imaging.characterize.PsfModel;
import org.lovoccs.imaging.characterize.PsfModelFormatter;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A calexp as FITS: the postISRCCD layout (primary HDU with the metadata, then IMAGE, MASK, VARIANCE) with the fitted
 * WCS in standard keywords on the IMAGE HDU (RA---TAN-SIP/DEC--TAN-SIP, so any FITS reader, astropy or ds9, places it
 * on the sky), the photometric calibration in the primary header (MAGZERO: AB magnitude of 1 e-/s; EXPZERO: of 1 e-
 * in the exposure; FLUXMAG0: electrons of a zero-magnitude source; PHOTCALM: nJy per electron, LSST's
 * calibrationMean) with the aperture correction and astrometric fit's figures, then the PSF model's PSF_BASIS HDU.
 */
public final class CalexpFormatter {

    private CalexpFormatter() {
    }

    /** The calexp's bytes; {@code metadata} is the postISRCCD's primary header (copied, not changed). */
    public static byte[] toBytes(CalibrateResult r, Header metadata) throws IOException {
        return toBytes(exposure(r, metadata), r.psf());
    }

    /** The calexp's bytes: {@code exposure} ({@link #exposure}) followed by the PSF model's HDU. */
    public static byte[] toBytes(PostIsrCcd exposure, PsfModel psf) throws IOException {
        ByteArrayOutputStream psfBytes = new ByteArrayOutputStream();
        PsfModelFormatter.write(psf, psfBytes);
        return PostIsrCcdFormatter.toBytes(exposure, false, FitsHduIndex.extensions(psfBytes.toByteArray()));
    }

    /**
     * The calexp's exposure with the headers its file gets: {@code metadata} (copied, not changed) with the
     * photometric calibration's and the fits' cards, and the fitted WCS for the IMAGE HDU.
     */
    public static PostIsrCcd exposure(CalibrateResult r, Header metadata) {
        Header meta = new Header();
        if (metadata != null) {
            var it = metadata.iterator();
            while (it.hasNext()) {
                FitsHeaders.put(meta, it.next().copy());
            }
        }
        var photo = r.photoCalib();
        FitsHeaders.add(meta, "MAGZERO", photo.zeroPoint(), "AB mag of 1 e-/s (aperture-corrected flux)");
        FitsHeaders.add(meta, "MAGZERR", photo.zeroPointErr(), "1-sigma error of MAGZERO");
        FitsHeaders.add(meta, "EXPZERO", photo.exposureZeroPoint(), "AB mag of 1 e- in this exposure");
        FitsHeaders.add(meta, "FLUXMAG0", Math.pow(10, 0.4 * photo.exposureZeroPoint()),
                "[electron] flux of a 0th-magnitude (AB) source");
        FitsHeaders.add(meta, "PHOTCALM", photo.nanojanskyPerElectron(), "[nJy/electron] PhotoCalib mean");
        FitsHeaders.add(meta, "PHOTNSTR", photo.used(), "stars used for the zero point");
        FitsHeaders.add(meta, "PHOTRMS", photo.rmsMag(), "[mag] their rms about the zero point");
        var ap = r.calibration().apCorr();
        FitsHeaders.add(meta, "APCORR", ap.at(0.5 * (r.exposure().width() - 1), 0.5 * (r.exposure().height() - 1)),
                "aperture correction at the CCD centre");
        FitsHeaders.add(meta, "APCRAD", ap.largeRadius(), "[pixel] radius the correction reaches");
        FitsHeaders.add(meta, "BKGOFFS", r.calibration().backgroundOffset(), "[electron] background offset");
        var a = r.astrometry();
        FitsHeaders.add(meta, "ASTRMS", a.rmsArcsec() * 1000.0, "[mas] astrometric fit rms");
        FitsHeaders.add(meta, "ASTNSTR", a.used(), "reference stars used in the WCS fit");
        Header wcs = new Header();
        a.wcs().addTo(wcs);
        return new PostIsrCcd(r.exposure(), meta, wcs);
    }
}
