package org.lovoccs.simulator.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.AmpTruth;
import org.lovoccs.simulator.CcdTruth;
import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.catalog.FitsTableBuilder;
import org.lovoccs.simulator.instrument.Defect;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.instrument.NonLinearity;
import org.lovoccs.simulator.optics.ExposureAstrometry;
import org.lovoccs.simulator.optics.FocalPlaneOptics;
import org.lovoccs.imaging.wcs.Gnomonic;
import org.lovoccs.simulator.sky.PsfField;

/** The campaign's truth tables about exposures and CCDs (FITS binary tables, units in TUNITn). */
final class TruthTables {

    private TruthTables() {
    }

    /** truth/exposures.fits: one row per exposure. */
    static void writeExposures(List<PlannedExposure> plan, CampaignSpec spec, Path dir, Consumer<WrittenFile> record)
            throws IOException {
        int n = plan.size();
        long[] expnum = new long[n];
        String[] obstype = new String[n];
        String[] band = new String[n];
        String[] dateObs = new String[n];
        String[] file = new String[n];
        double[] exptime = new double[n];
        int[] night = new int[n];
        int[] visit = new int[n];
        double[] raCmd = new double[n];
        double[] decCmd = new double[n];
        double[] raTrue = new double[n];
        double[] decTrue = new double[n];
        double[] pointingError = new double[n];
        double[] rotation = new double[n];
        double[] airmass = new double[n];
        double[] clouds = new double[n];
        double[] zp = new double[n];
        double[] sky = new double[n];
        double[] seeing = new double[n];
        double[] growth = new double[n];
        double[] g1 = new double[n];
        double[] g2 = new double[n];
        double[] gOpt = new double[n];
        double[] beta = new double[n];
        double[] fringe = new double[n];
        boolean[] satellite = new boolean[n];
        long[] seed = new long[n];
        for (int i = 0; i < n; i++) {
            PlannedExposure e = plan.get(i);
            expnum[i] = e.expnum();
            obstype[i] = e.obsType().headerValue();
            band[i] = e.band().bandName();
            dateObs[i] = e.dateObs().toString();
            file[i] = e.fileName(spec.rice());
            exptime[i] = e.exptime();
            night[i] = e.night();
            visit[i] = e.visit();
            raCmd[i] = e.commandedRaDeg();
            decCmd[i] = e.commandedDecDeg();
            raTrue[i] = e.astrometry().boresightRaDeg();
            decTrue[i] = e.astrometry().boresightDecDeg();
            double[] d = Gnomonic.toTangent(raCmd[i], decCmd[i], raTrue[i], decTrue[i]);
            pointingError[i] = Math.hypot(d[0], d[1]);
            rotation[i] = e.astrometry().rotationArcsec();
            airmass[i] = e.airmass();
            clouds[i] = e.cloudsMag();
            zp[i] = e.zeroPoint();
            sky[i] = e.skyElectrons();
            PsfField p = e.psf();
            seeing[i] = p == null ? Double.NaN : p.seeingFwhmArcsec();
            growth[i] = p == null ? Double.NaN : p.fwhmGrowth();
            g1[i] = p == null ? Double.NaN : p.g1Atmosphere();
            g2[i] = p == null ? Double.NaN : p.g2Atmosphere();
            gOpt[i] = p == null ? Double.NaN : p.gOptical();
            beta[i] = p == null ? Double.NaN : p.profile().beta();
            fringe[i] = e.fringeAmplitude();
            satellite[i] = e.satellite();
            seed[i] = e.seed();
        }
        FocalPlaneOptics optics = FocalPlaneOptics.decam();
        FitsTableBuilder t = new FitsTableBuilder("EXPOSURES", n)
                .longs("expnum", "", "EXPNUM", expnum)
                .strings("obstype", "OBSTYPE", obstype)
                .strings("band", "band", band)
                .strings("date_obs", "DATE-OBS, UTC", dateObs)
                .strings("file", "raw file name", file)
                .doubles("exptime", "s", "exposure time", exptime)
                .ints("night", "", "night index from 0", night)
                .ints("visit", "", "visit index within night and band", visit)
                .doubles("ra_commanded", "deg", "telescope RA (raw header)", raCmd)
                .doubles("dec_commanded", "deg", "telescope Dec (raw header)", decCmd)
                .doubles("ra_true", "deg", "true RA of the optical axis", raTrue)
                .doubles("dec_true", "deg", "true Dec of the optical axis", decTrue)
                .doubles("pointing_error", "arcsec", "true - commanded boresight separation", pointingError)
                .doubles("rotation", "arcsec", "focal-plane rotation on the sky, N through E", rotation)
                .doubles("airmass", "", "airmass at start", airmass)
                .doubles("clouds", "mag", "grey cloud extinction", clouds)
                .doubles("zero_point", "mag", "AB mag giving 1 e-/s, before the flat", zp)
                .doubles("sky", "ct", "sky or lamp level, e- per pixel", sky)
                .doubles("seeing", "arcsec", "PSF FWHM on the optical axis", seeing)
                .doubles("psf_fwhm_growth", "", "fractional FWHM growth at the reference radius", growth)
                .doubles("psf_g1_atm", "", "constant PSF ellipticity g1 (pixel frame)", g1)
                .doubles("psf_g2_atm", "", "constant PSF ellipticity g2 (pixel frame)", g2)
                .doubles("psf_g_opt", "", "radial PSF ellipticity at PSFREF radius", gOpt)
                .doubles("psf_beta", "", "Moffat beta", beta)
                .doubles("fringe_amplitude", "ct", "e- per unit of the fringe pattern", fringe)
                .booleans("satellite", "a satellite trail crosses the field", satellite)
                .longs("seed", "", "exposure seed", seed)
                .keyword("CLUSTER", spec.cluster(), "cluster")
                .keyword("PLATESC", String.format(Locale.ROOT, "%.8f", optics.plateScaleArcsecPerMm()),
                        "[arcsec/mm] plate scale on axis")
                .keyword("DISTCUB", String.valueOf(optics.cubic()), "radial distortion (r/R)^2 term")
                .keyword("DISTQUIN", String.valueOf(optics.quintic()), "radial distortion (r/R)^4 term")
                .keyword("DISTREF", String.valueOf(optics.referenceRadiusMm()), "[mm] distortion reference R")
                .keyword("PSFREF", "200.0", "[mm] PSF variation reference radius");
        write(t, dir.resolve("exposures.fits"), record);
    }

    /** truth/ccds.fits and truth/defects.fits: the static signature of every simulated CCD. */
    static void writeCcds(CampaignSpec spec, Path dir, Consumer<WrittenFile> record) throws IOException {
        List<Integer> ccds = spec.ccds();
        int n = ccds.size();
        long[] ccdnum = new long[n];
        String[] detpos = new String[n];
        double[][] amp = new double[16][n];
        double[][] flat = new double[spec.bands().size() * 2][n];
        int[] badColumns = new int[n];
        int[] hotPixels = new int[n];
        List<Object[]> defects = new ArrayList<>();
        DecamCamera camera = DecamCamera.standard();
        for (int i = 0; i < n; i++) {
            int c = ccds.get(i);
            DecamCcd ccd = camera.ccd(c);
            InstrumentModel m = InstrumentModel.of(spec.seed(), c);
            ccdnum[i] = c;
            detpos[i] = ccd.name();
            int k = 0;
            for (String a : List.of("A", "B")) {
                var ac = ccd.amplifier(a);
                NonLinearity nl = m.nonLinearity(a);
                amp[k++][i] = ac.gain();
                amp[k++][i] = ac.readNoise();
                amp[k++][i] = ac.saturationAdu();
                amp[k++][i] = m.fullWellElectrons(a);
                amp[k++][i] = nl.alpha();
                amp[k++][i] = nl.delta();
                amp[k++][i] = nl.tau();
                amp[k++][i] = 0;
            }
            for (int b = 0; b < spec.bands().size(); b++) {
                Band band = spec.bands().get(b);
                flat[2 * b][i] = m.illumination().value(band, ccd.centerXMm(), ccd.centerYMm());
                flat[2 * b + 1][i] = m.prnuRms(band);
            }
            List<Defect> ds = m.defects().all();
            for (Defect d : ds) {
                if (d.isColumn()) {
                    badColumns[i]++;
                } else {
                    hotPixels[i]++;
                }
                defects.add(new Object[] {c, d});
            }
        }
        FitsTableBuilder t = new FitsTableBuilder("CCDS", n).longs("ccdnum", "", "CCDNUM", ccdnum)
                .strings("detpos", "DETPOS", detpos);
        int k = 0;
        for (String a : List.of("a", "b")) {
            t.doubles("gain_" + a, "ct/adu", "gain, amp " + a.toUpperCase(Locale.ROOT), amp[k++])
                    .doubles("rdnoise_" + a, "ct", "read noise", amp[k++])
                    .doubles("saturate_" + a, "adu", "SATURAT", amp[k++])
                    .doubles("full_well_" + a, "ct", "full well (bleed threshold)", amp[k++])
                    .doubles("nl_alpha_" + a, "", "non-linearity alpha (see NLMODEL)", amp[k++])
                    .doubles("nl_delta_" + a, "", "non-linearity delta", amp[k++])
                    .doubles("nl_tau_" + a, "adu", "non-linearity tau", amp[k++]);
            k++;
        }
        for (int b = 0; b < spec.bands().size(); b++) {
            String bn = spec.bands().get(b).bandName();
            t.doubles("flat_centre_" + bn, "", "large-scale flat at the CCD centre, band " + bn, flat[2 * b])
                    .doubles("prnu_rms_" + bn, "", "pixel response rms, band " + bn, flat[2 * b + 1]);
        }
        t.ints("n_bad_columns", "", "bad (dead or hot) columns", badColumns)
                .ints("n_hot_pixels", "", "hot pixels", hotPixels)
                .keyword("INSTSEED", String.valueOf(spec.seed()), "instrument seed (InstrumentModel)")
                .keyword("NLMODEL", "t-a*t^2/50000-d*tau*(1-exp(-t/tau))", "measured ADU of true ADU t");
        write(t, dir.resolve("ccds.fits"), record);

        int m = defects.size();
        long[] dc = new long[m];
        String[] kind = new String[m];
        int[] x0 = new int[m];
        int[] y0 = new int[m];
        int[] x1 = new int[m];
        int[] y1 = new int[m];
        double[] response = new double[m];
        double[] dark = new double[m];
        for (int i = 0; i < m; i++) {
            Defect d = (Defect) defects.get(i)[1];
            dc[i] = (Integer) defects.get(i)[0];
            kind[i] = d.kind().name();
            x0[i] = d.box().x0();
            y0[i] = d.box().y0();
            x1[i] = d.box().maxX();
            y1[i] = d.box().maxY();
            response[i] = d.response();
            dark[i] = d.darkElectronsPerSecond();
        }
        write(new FitsTableBuilder("DEFECTS", m).longs("ccdnum", "", "CCDNUM", dc).strings("kind", "defect kind", kind)
                .ints("x0", "pixel", "first column, assembled CCD, 0-based", x0)
                .ints("y0", "pixel", "first row", y0).ints("x1", "pixel", "last column", x1)
                .ints("y1", "pixel", "last row", y1).doubles("response", "", "relative response", response)
                .doubles("dark", "ct/s", "dark current", dark), dir.resolve("defects.fits"), record);
    }

    /** Rows of truth/ccd_exposures.fits, gathered as CCDs are simulated. */
    static final class CcdExposureRows {
        private final List<double[]> rows = new ArrayList<>();
        private final List<String> detpos = new ArrayList<>();

        synchronized void add(PlannedExposure e, CcdTruth t) {
            DecamCcd ccd = DecamCamera.standard().ccd(t.ccdNum());
            double cx = DecamCamera.CCD_WIDTH / 2.0 - 0.5;
            double cy = DecamCamera.CCD_HEIGHT / 2.0 - 0.5;
            double[] centre = e.astrometry().pixelToSky(ccd, cx, cy);
            double fwhm = Double.NaN;
            double g1 = Double.NaN;
            double g2 = Double.NaN;
            if (e.psf() != null) {
                double[] fp = ExposureAstrometry.focalPlaneMm(ccd, cx, cy);
                fwhm = e.psf().fwhmPixels(fp[0], fp[1]);
                double[] g = e.psf().ellipticity(fp[0], fp[1]);
                g1 = g[0];
                g2 = g[1];
            }
            AmpTruth a = t.amplifier("A");
            AmpTruth b = t.amplifier("B");
            rows.add(new double[] {e.expnum(), t.ccdNum(), centre[0], centre[1], fwhm, g1, g2, mean(a.biasAdu()),
                    mean(b.biasAdu()), t.stars().size(), t.galaxies().size(),
                    t.effects() == null ? 0 : t.effects().cosmicRays().hits().size(),
                    t.effects() == null ? 0 : t.effects().bleedTrails().size()});
            detpos.add(t.detpos());
        }

        void write(Path dir, Consumer<WrittenFile> record) throws IOException {
            int n = rows.size();
            double[][] c = new double[13][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 13; k++) {
                    c[k][i] = rows.get(i)[k];
                }
            }
            long[] expnum = new long[n];
            long[] ccdnum = new long[n];
            int[] nStars = new int[n];
            int[] nGal = new int[n];
            int[] nCr = new int[n];
            int[] nBleed = new int[n];
            for (int i = 0; i < n; i++) {
                expnum[i] = (long) c[0][i];
                ccdnum[i] = (long) c[1][i];
                nStars[i] = (int) c[9][i];
                nGal[i] = (int) c[10][i];
                nCr[i] = (int) c[11][i];
                nBleed[i] = (int) c[12][i];
            }
            TruthTables.write(new FitsTableBuilder("CCD_EXPOSURES", n).longs("expnum", "", "EXPNUM", expnum)
                    .longs("ccdnum", "", "CCDNUM", ccdnum).strings("detpos", "DETPOS", detpos.toArray(String[]::new))
                    .doubles("ra_centre", "deg", "true RA of the CCD centre", c[2])
                    .doubles("dec_centre", "deg", "true Dec of the CCD centre", c[3])
                    .doubles("psf_fwhm", "pixel", "true PSF FWHM at the CCD centre", c[4])
                    .doubles("psf_g1", "", "true PSF g1 at the centre (pixel frame)", c[5])
                    .doubles("psf_g2", "", "true PSF ellipticity g2 at the centre", c[6])
                    .doubles("bias_a", "adu", "mean bias level, amp A", c[7])
                    .doubles("bias_b", "adu", "mean bias level, amp B", c[8])
                    .ints("n_stars", "", "stars centred on the CCD", nStars)
                    .ints("n_galaxies", "", "galaxies centred on the CCD", nGal)
                    .ints("n_cosmic_rays", "", "cosmic-ray hits", nCr)
                    .ints("n_bleed_trails", "", "bleed-trail column runs", nBleed),
                    dir.resolve("ccd_exposures.fits"), record);
        }

        private static double mean(double[] v) {
            double s = 0;
            for (double x : v) {
                s += x;
            }
            return s / v.length;
        }
    }

    static void write(FitsTableBuilder t, Path path, Consumer<WrittenFile> record) throws IOException {
        long t0 = System.nanoTime();
        t.write(path);
        record.accept(new WrittenFile(WrittenFile.Kind.TRUTH, path, null, Files.size(path),
                (System.nanoTime() - t0) / 1e9));
    }
}
