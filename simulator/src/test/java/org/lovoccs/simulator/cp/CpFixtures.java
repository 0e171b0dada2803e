package org.lovoccs.simulator.cp;

import java.util.Iterator;
import java.util.List;

import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.simulator.AmpTruth;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.SimulatedCcd;
import org.lovoccs.simulator.campaign.CampaignPlanner;
import org.lovoccs.simulator.campaign.CampaignSpec;
import org.lovoccs.simulator.campaign.PlannedExposure;
import org.lovoccs.simulator.instrument.Defect;
import org.lovoccs.simulator.instrument.InstrumentModel;

/** Calibration exposures of one CCD from the campaign planner, simulated lazily with the full instrument signature. */
public final class CpFixtures {

    static final double RA = 10.4583;
    static final double DEC = -9.3031;
    static final RawExposureSimulator SIMULATOR = new RawExposureSimulator();

    private CpFixtures() {
    }

    /** A campaign of {@code nights} nights with {@code zeros} zeros and {@code flats} dome flats per band a night. */
    static CampaignSpec spec(long seed, int nights, int zeros, int flats, List<Band> bands) {
        return CampaignSpec.preset(CampaignSpec.Scale.TEST, "CP", RA, DEC).seed(seed).bands(bands).nights(nights)
                .zerosPerNight(zeros).flatsPerBandPerNight(Math.max(1, flats)).build();
    }

    static List<PlannedExposure> planned(CampaignSpec spec, ObsType type, Band band) {
        return CampaignPlanner.plan(spec).stream().filter(e -> e.obsType() == type)
                .filter(e -> band == null || e.band() == band).toList();
    }

    /** The raws of {@code exposures} on CCD {@code ccd}, simulated one at a time as the iterator is consumed. */
    public static Iterable<RawCcd> raws(List<PlannedExposure> exposures, long instrumentSeed, int ccd) {
        return raws(SIMULATOR, exposures, instrumentSeed, ccd);
    }

    /** The same with another simulator (e.g. {@link RawExposureSimulator#withBrighterFatter}). */
    static Iterable<RawCcd> raws(RawExposureSimulator simulator, List<PlannedExposure> exposures,
                                 long instrumentSeed, int ccd) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < exposures.size();
            }

            @Override
            public RawCcd next() {
                SimulatedCcd c = simulator.simulateCcd(new ExposureScene("CP", exposures.get(i++), null,
                        instrumentSeed, true), ccd);
                return c.toRawCcd();
            }
        };
    }

    /** The true 2-D bias structure in electrons on the assembled grid (ADU structure x each amplifier's gain). */
    static float[] trueBiasElectrons(InstrumentModel model, List<AmpTruth> amps) {
        float[] adu = model.biasStructure().image().array();
        int w = model.width();
        for (AmpTruth a : amps) {
            PixelBox b = a.assembledBox();
            for (int y = b.y0(); y <= b.maxY(); y++) {
                for (int x = b.x0(); x <= b.maxX(); x++) {
                    adu[y * w + x] = (float) (adu[y * w + x] * a.gain());
                }
            }
        }
        return adu;
    }

    /** True where a pixel is in one of the CCD's defects (bad columns, hot pixels). */
    static boolean[] defectPixels(InstrumentModel model) {
        int w = model.width();
        boolean[] d = new boolean[w * model.height()];
        for (Defect defect : model.defects().all()) {
            PixelBox b = defect.box();
            for (int y = Math.max(0, b.y0()); y <= Math.min(model.height() - 1, b.maxY()); y++) {
                for (int x = Math.max(0, b.x0()); x <= Math.min(w - 1, b.maxX()); x++) {
                    d[y * w + x] = true;
                }
            }
        }
        return d;
    }

    /** The amplifiers' truth (boxes and gains) of CCD {@code ccd}, from one simulated zero. */
    static List<AmpTruth> amps(PlannedExposure zero, long instrumentSeed, int ccd) {
        return SIMULATOR.simulateCcd(new ExposureScene("CP", zero, null, instrumentSeed, true), ccd).truth()
                .amplifiers();
    }
}
