package org.lovoccs.imaging.isr;

import java.util.List;

import nom.tam.fits.Header;
import org.lovoccs.imaging.MaskedImage;

/**
 * Output of {@link IsrTask#run}.
 *
 * @param exposure     image in electrons, mask, variance in e-^2 (see {@link IsrTask})
 * @param metadata     keywords for the postISRCCD primary HDU (see {@link PostIsrCcd#metadata()})
 * @param wcs          the raw HDU's WCS keywords with CRPIX moved to the output pixel grid (empty if the raw had none)
 * @param amplifiers   per-amplifier measurements, in assembled-x order
 * @param stepsApplied names of the steps applied, in order: overscan, gain, assemble, variance, saturation
 */
public record IsrResult(MaskedImage exposure, Header metadata, Header wcs, List<AmpIsrStats> amplifiers,
                        List<String> stepsApplied) {

    public IsrResult {
        amplifiers = List.copyOf(amplifiers);
        stepsApplied = List.copyOf(stepsApplied);
    }

    /** The statistics of amplifier {@code name}. */
    public AmpIsrStats amplifier(String name) {
        return amplifiers.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no amplifier " + name));
    }

    /** The data product to persist with {@link PostIsrCcdFormatter}. */
    /** The postISRCCD, its primary header recording the ISR steps applied ({@link #STEPS_KEYWORD}). */
    public PostIsrCcd toPostIsrCcd() {
        org.lovoccs.imaging.fits.FitsHeaders.add(metadata, STEPS_KEYWORD, String.join(",", stepsApplied),
                "ISR steps applied, in order");
        return new PostIsrCcd(exposure, metadata, wcs);
    }

    /** The postISRCCD keyword listing the ISR steps applied, e.g. {@code overscan,gain,assemble,variance,saturation}. */
    public static final String STEPS_KEYWORD = "ISRSTEPS";
}
