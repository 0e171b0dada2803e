package org.lovoccs.simulator.instrument;

import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.ImageF;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.RawLayout;

/**
 * The static instrument signature of one DECam CCD for one campaign, determined by (instrumentSeed, ccdNum): flat
 * field, fringe pattern, defects, non-linearity, bias structure, crosstalk and brighter-fatter kernel. Images are
 * computed on demand (2048 x 4096 floats = 32 MB each) and not cached: callers cache what they reuse.
 *
 * <p>Flat field {@link #flat(Band)} = {@link LargeScaleIllumination} (focal-plane function, mean 1 over the camera)
 * x (1 + s_b p(x, y)), where p is a fixed unit-normal pattern per pixel of the CCD (pixel response non-uniformity,
 * the same in every band) and the rms {@code s_b = prnuRms(band)} is a CCD factor in [0.8, 1.2] times the band's
 * nominal (u 1.0%, g 0.8%, r 0.7%, i 0.6%, z 0.6%, Y 0.7%). Gains are not in the flat (they are in AmpTruth).
 */
public final class InstrumentModel {

    private final long instrumentSeed;
    private final DecamCcd ccd;
    private final List<ReadoutAmp> amps;
    private final LargeScaleIllumination illumination;
    private final FringeModel fringes;
    private final double prnuScale;

    /**
     * @param instrumentSeed campaign seed
     * @param camera         the camera (CCD positions; the illumination's normalisation)
     * @param ccdNum         the CCD
     * @param layout         raw layout (amplifier placement and readout directions)
     */
    public InstrumentModel(long instrumentSeed, DecamCamera camera, int ccdNum, RawLayout layout) {
        this.instrumentSeed = instrumentSeed;
        this.ccd = camera.ccd(ccdNum);
        this.amps = ReadoutAmp.fromLayout(layout);
        if (layout.assembledWidth() != DecamCamera.CCD_WIDTH || layout.assembledHeight() != DecamCamera.CCD_HEIGHT) {
            throw new IllegalArgumentException("layout is not 2048 x 4096");
        }
        this.illumination = new LargeScaleIllumination(instrumentSeed, camera);
        this.fringes = new FringeModel(instrumentSeed);
        this.prnuScale = 0.8 + 0.4 * InstrumentStreams.stream(instrumentSeed, InstrumentStreams.PIXEL_RESPONSE,
                ccdNum, -1).nextDouble();
    }

    /** The standard camera and DECam raw layout. */
    public static InstrumentModel of(long instrumentSeed, int ccdNum) {
        return new InstrumentModel(instrumentSeed, DecamCamera.standard(), ccdNum, RawLayout.decam());
    }

    public long instrumentSeed() {
        return instrumentSeed;
    }

    public DecamCcd ccd() {
        return ccd;
    }

    /** Amplifiers in assembled coordinates with readout directions. */
    public List<ReadoutAmp> amps() {
        return amps;
    }

    public int width() {
        return DecamCamera.CCD_WIDTH;
    }

    public int height() {
        return DecamCamera.CCD_HEIGHT;
    }

    public LargeScaleIllumination illumination() {
        return illumination;
    }

    /** The large-scale illumination of this CCD alone (no pixel response). */
    public ImageF illuminationImage(Band band) {
        return illumination.image(band, ccd);
    }

    /** RMS of the pixel response non-uniformity in {@code band} (fraction). */
    public double prnuRms(Band band) {
        double nominal = switch (band) {
            case U -> 0.010;
            case G -> 0.008;
            case R -> 0.007;
            case I, Z -> 0.006;
            case Y -> 0.007;
        };
        return nominal * prnuScale;
    }

    /** The flat field in {@code band}: illumination x (1 + prnuRms(band) p). About 0.3 s. */
    public ImageF flat(Band band) {
        ImageF flat = illumination.image(band, ccd);
        float[] a = flat.array();
        double s = prnuRms(band);
        int w = width();
        for (int y = 0; y < height(); y++) {
            SplittableRandom rng = InstrumentStreams.stream(instrumentSeed, InstrumentStreams.PIXEL_RESPONSE,
                    ccd.number(), y);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                a[base + x] = (float) (a[base + x] * (1.0 + s * rng.nextGaussian()));
            }
        }
        return flat;
    }

    /** The campaign's fringe model (focal-plane function). */
    public FringeModel fringes() {
        return fringes;
    }

    /** The unit-rms fringe pattern on this CCD; an exposure adds {@link FringeModel#amplitudeElectrons} times it. */
    public ImageF fringePattern() {
        return fringes.image(ccd);
    }

    /** The CCD's cosmetic defects. */
    public Defects defects() {
        return Defects.draw(instrumentSeed, ccd.number(), width(), height());
    }

    /** The non-linearity of amplifier {@code amp}. */
    public NonLinearity nonLinearity(String amp) {
        ccd.amplifier(amp);
        return NonLinearity.draw(instrumentSeed, ccd.number(), amp);
    }

    /** The fixed 2-D bias structure (ADU, data pixels only). */
    public BiasStructure biasStructure() {
        return BiasStructure.draw(instrumentSeed, ccd.number(), width(), height(), amps);
    }

    /** DECam's measured crosstalk between this CCD's amplifiers (not drawn: the same in every campaign). */
    public List<CrosstalkTerm> intraCcdCrosstalk() {
        return CrosstalkTable.decam().intraCcd(ccd.number());
    }

    /**
     * DECam's measured crosstalk into this CCD from the amplifiers of other CCDs (not drawn; applied when the source
     * CCD is simulated in the same exposure, {@link InterCcdCrosstalk}).
     */
    public List<CrosstalkTerm> interCcdCrosstalk() {
        return CrosstalkTable.decam().interCcd(ccd.number());
    }

    /** The brighter-fatter operator (the same for every CCD). */
    public BrighterFatter brighterFatter() {
        return BrighterFatter.decam();
    }

    /** Full well of amplifier {@code amp}, e- (SATURAT x GAIN). */
    public double fullWellElectrons(String amp) {
        return BleedTrails.fullWellElectrons(ccd.amplifier(amp));
    }
}
