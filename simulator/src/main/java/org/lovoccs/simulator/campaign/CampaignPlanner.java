package org.lovoccs.simulator.campaign;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.CtioSite;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.PsfProfile;
import org.lovoccs.simulator.instrument.FringeModel;
import org.lovoccs.simulator.instrument.SatelliteTrail;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.simulator.optics.FocalPlaneOptics;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.simulator.random.RandomStreams;
import org.lovoccs.simulator.sky.PsfField;

/**
 * Lays out a campaign night by night: calibrations in the afternoon (zeros, then dome flats per band, from 21:00
 * UTC, 18:00 in Chile), then the science visits centred on the cluster's transit over CTIO, band after band, each
 * visit dithered on a circle around the cluster and pointed with a random error. Seeing, clouds, PSF pattern and
 * pointing errors are drawn per exposure from the campaign seed, so the plan is deterministic. Daylight is not
 * modelled: science starts at the transit whatever the season, so choose the first night accordingly.
 */
public final class CampaignPlanner {

    private static final long STREAM_EXPOSURE = 101;
    private static final Duration OVERHEAD = Duration.ofSeconds(30);
    private static final double ROTATION_RMS_ARCSEC = 20.0;

    private CampaignPlanner() {
    }

    public static List<PlannedExposure> plan(CampaignSpec spec) {
        List<PlannedExposure> out = new ArrayList<>();
        int expnum = spec.firstExpnum();
        FocalPlaneOptics optics = FocalPlaneOptics.decam();
        for (int night = 0; night < spec.nights(); night++) {
            Instant afternoon = spec.firstNight().plusDays(night).atTime(21, 0).toInstant(ZoneOffset.UTC);
            Instant t = afternoon;
            for (int k = 0; k < spec.zerosPerNight(); k++) {
                out.add(calibration(spec, expnum++, ObsType.ZERO, spec.bands().get(0), t, night, k, optics));
                t = t.plus(OVERHEAD);
            }
            for (Band band : spec.bands()) {
                for (int k = 0; k < spec.flatsPerBandPerNight(); k++) {
                    out.add(calibration(spec, expnum++, ObsType.DOME_FLAT, band, t, night, k, optics));
                    t = t.plus(Duration.ofSeconds(10)).plus(OVERHEAD);
                }
            }
            // science: centred on the transit after the afternoon
            Duration total = Duration.ZERO;
            for (Band band : spec.bands()) {
                Duration each = Duration.ofMillis((long) (ObservingConditions.defaultExptime(band) * 1000))
                        .plus(OVERHEAD);
                total = total.plus(each.multipliedBy(spec.visitsPerBandPerNight()));
            }
            Instant transit = CtioSite.nextTransit(spec.raDeg(), afternoon);
            t = transit.minus(total.dividedBy(2));
            int visitIndex = 0;
            int visitsTonight = spec.bands().size() * spec.visitsPerBandPerNight();
            for (Band band : spec.bands()) {
                for (int v = 0; v < spec.visitsPerBandPerNight(); v++) {
                    double exptime = ObservingConditions.defaultExptime(band);
                    out.add(science(spec, expnum++, band, t, exptime, night, v,
                            night * visitsTonight + visitIndex++, optics));
                    t = t.plus(Duration.ofMillis((long) (exptime * 1000))).plus(OVERHEAD);
                }
            }
        }
        return out;
    }

    private static PlannedExposure science(CampaignSpec spec, int expnum, Band band, Instant t, double exptime,
                                           int night, int visit, int ditherIndex, FocalPlaneOptics optics) {
        long seed = RandomStreams.stream(spec.seed(), STREAM_EXPOSURE, expnum).nextLong();
        SplittableRandom rng = RandomStreams.stream(spec.seed(), STREAM_EXPOSURE, expnum, 1);
        // dither: the first visit on the cluster, then around a circle (golden-angle steps)
        double ditherAngle = ditherIndex * 2.39996323;
        double ditherR = ditherIndex == 0 ? 0 : spec.ditherArcsec();
        double[] commanded = Gnomonic.toSky(spec.raDeg(), spec.decDeg(), ditherR * Math.cos(ditherAngle),
                ditherR * Math.sin(ditherAngle));
        double[] truth = Gnomonic.toSky(commanded[0], commanded[1], spec.pointingErrorArcsec() * rng.nextGaussian(),
                spec.pointingErrorArcsec() * rng.nextGaussian());
        ExposureAstrometry astrometry = new ExposureAstrometry(truth[0], truth[1],
                ROTATION_RMS_ARCSEC * rng.nextGaussian(), optics);
        double seeing = spec.seeingMinArcsec() + (spec.seeingMaxArcsec() - spec.seeingMinArcsec()) * rng.nextDouble();
        PsfField psf = PsfField.draw(rng, PsfProfile.DEFAULT, seeing, DecamCamera.PIXEL_SCALE_ARCSEC);
        double airmass = CtioSite.airmass(commanded[0], commanded[1], t);
        double clouds = rng.nextDouble() < 0.7 ? 0.0 : 0.1 * rng.nextDouble();
        double zp = ObservingConditions.zeroPoint(band, airmass, clouds);
        double sky = ObservingConditions.skyElectrons(band, zp, exptime, DecamCamera.PIXEL_SCALE_ARCSEC)
                * (0.9 + 0.2 * rng.nextDouble());
        double fringe = FringeModel.amplitudeElectrons(seed, band, sky);
        boolean satellite = SatelliteTrail.draw(seed, spec.satelliteProbability()).isPresent();
        return new PlannedExposure(expnum, ObsType.SCIENCE, band, t, exptime, night, visit, commanded[0],
                commanded[1], astrometry, psf, airmass, clouds, zp, sky, fringe, satellite, seed);
    }

    private static PlannedExposure calibration(CampaignSpec spec, int expnum, ObsType type, Band band, Instant t,
                                               int night, int index, FocalPlaneOptics optics) {
        long seed = RandomStreams.stream(spec.seed(), STREAM_EXPOSURE, expnum).nextLong();
        SplittableRandom rng = RandomStreams.stream(spec.seed(), STREAM_EXPOSURE, expnum, 1);
        // the telescope parks at the zenith for calibrations
        double ra = CtioSite.localSiderealTimeDeg(t);
        double dec = CtioSite.LATITUDE_DEG;
        ExposureAstrometry astrometry = new ExposureAstrometry(ra, dec, 0.0, optics);
        double exptime = type == ObsType.ZERO ? 0.0 : 10.0;
        double level = type == ObsType.DOME_FLAT ? 20_000.0 * (0.95 + 0.1 * rng.nextDouble()) : 0.0;
        return new PlannedExposure(expnum, type, band, t, exptime, night, index, ra, dec, astrometry, null, 1.0, 0.0,
                Double.NaN, level, 0.0, false, seed);
    }
}
