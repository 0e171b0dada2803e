package org.lovoccs.simulator.curated;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.lovoccs.simulator.DecamCamera;
import org.lovoccs.simulator.DecamCcd;
import org.lovoccs.simulator.catalog.FitsTableBuilder;
import org.lovoccs.simulator.instrument.CrosstalkTable;
import org.lovoccs.simulator.instrument.CrosstalkTerm;
import org.lovoccs.simulator.instrument.Defect;
import org.lovoccs.simulator.instrument.InstrumentModel;
import org.lovoccs.simulator.instrument.NonLinearity;
import org.lovoccs.simulator.instrument.ReadoutAmp;

/**
 * The curated calibrations of the (simulated) DECam, as LSST's {@code butler write-curated-calibrations} writes them
 * from obs_decam_data: per science CCD a {@code crosstalk}, a {@code defects} and a {@code linearizer} dataset, each a
 * small FITS file (empty primary HDU + one binary table).
 *
 * <ul>
 * <li><b>crosstalk</b>: DECam's measured table (CTIO {@code DECam_xtalk_20130606.txt}, the same file the simulator
 * applies), every line whose victim is an amplifier of the CCD: intra-CCD pairs (the ones the simulator applies,
 * {@code INTRA = T}) and inter-CCD pairs (not simulated), with coefficient, error, non-linear onset and the three
 * polynomial coefficients. The 2x2 intra-CCD matrix is also in the header ({@code XT_A_B} = victim A from source B).
 * <li><b>defects</b>: the CCD's cosmetic defects as boxes (x0, y0, width, height; 0-based assembled 2048 x 4096
 * coordinates) with their kind, exactly {@link InstrumentModel#defects()} of the instrument seed.
 * <li><b>linearizer</b>: per amplifier the simulator's non-linearity {@code f(t) = t - alpha t^2/S - delta tau (1 -
 * exp(-t/tau))} (S = 50000 ADU): alpha, delta, tau, S and the amplifier's box, {@link InstrumentModel#nonLinearity}.
 * </ul>
 *
 * <p>"The instrument" is the simulator's instrument seed: every static signature is a function of (seed, CCD)
 * ({@link InstrumentModel#of(long, int)}), and a campaign uses its {@code --seed} as instrument seed. The files
 * carry no write time, so the same seed and table give byte-identical files.
 */
public final class CuratedCalibrations {

    /** The dataset types written, in order. */
    public static final List<String> DATASET_TYPES = List.of("crosstalk", "defects", "linearizer");

    /** The instrument seed of "the" simulated DECam: {@code ./lovoccs simulate}'s default {@code --seed}. */
    public static final long DEFAULT_INSTRUMENT_SEED = 1;

    /** Name of the bundled crosstalk table. */
    public static final String CROSSTALK_FILE = "DECam_xtalk_20130606.txt";

    /** One written file. */
    public record Product(String datasetType, int detector, String detectorName, Path file) {
    }

    private final long instrumentSeed;
    private final CrosstalkTable crosstalk;
    private final String crosstalkSource;
    private final DecamCamera camera = DecamCamera.standard();

    /**
     * @param instrumentSeed  the simulated instrument (a campaign's {@code --seed})
     * @param crosstalk       the crosstalk table (e.g. {@link CrosstalkTable#decam()})
     * @param crosstalkSource its file name, recorded in the headers
     */
    public CuratedCalibrations(long instrumentSeed, CrosstalkTable crosstalk, String crosstalkSource) {
        this.instrumentSeed = instrumentSeed;
        this.crosstalk = crosstalk;
        this.crosstalkSource = crosstalkSource;
    }

    /** The simulated DECam of {@code instrumentSeed} with the bundled DECam crosstalk table. */
    public static CuratedCalibrations decam(long instrumentSeed) {
        return new CuratedCalibrations(instrumentSeed, CrosstalkTable.decam(), CROSSTALK_FILE);
    }

    /** Parses a crosstalk table in DECam's text format from a file. */
    public static CrosstalkTable readCrosstalk(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CrosstalkTable.parse(in);
        }
    }

    public long instrumentSeed() {
        return instrumentSeed;
    }

    /** The 62 science CCDs. */
    public List<DecamCcd> detectors() {
        return camera.ccds();
    }

    /** Writes the three products of every science CCD into {@code dir} (created) and lists them. */
    public List<Product> writeAll(Path dir) throws IOException {
        List<Product> out = new ArrayList<>();
        for (DecamCcd ccd : detectors()) {
            out.addAll(write(ccd.number(), dir));
        }
        return out;
    }

    /** Writes crosstalk, defects and linearizer of CCD {@code ccdNum} into {@code dir}. */
    public List<Product> write(int ccdNum, Path dir) throws IOException {
        Files.createDirectories(dir);
        DecamCcd ccd = camera.ccd(ccdNum);
        List<Product> out = new ArrayList<>();
        for (String type : DATASET_TYPES) {
            Path file = dir.resolve(String.format(Locale.ROOT, "%s_DECam_%02d_%s.fits", type, ccdNum, ccd.name()));
            FitsTableBuilder t = switch (type) {
                case "crosstalk" -> crosstalkTable(ccd);
                case "defects" -> defectsTable(ccd);
                default -> linearizerTable(ccd);
            };
            t.write(file);
            out.add(new Product(type, ccdNum, ccd.name(), file));
        }
        return out;
    }

    /** The crosstalk terms whose victim is an amplifier of {@code ccdNum}, in file order. */
    public List<CrosstalkTerm> crosstalkTerms(int ccdNum) {
        return crosstalk.terms().stream().filter(t -> t.victimCcd() == ccdNum).toList();
    }

    FitsTableBuilder crosstalkTable(DecamCcd ccd) {
        List<CrosstalkTerm> terms = crosstalkTerms(ccd.number());
        int n = terms.size();
        long[] vCcd = new long[n];
        long[] sCcd = new long[n];
        String[] vAmp = new String[n];
        String[] sAmp = new String[n];
        double[] x = new double[n];
        double[] err = new double[n];
        double[] onset = new double[n];
        double[][] poly = new double[3][n];
        boolean[] intra = new boolean[n];
        for (int i = 0; i < n; i++) {
            CrosstalkTerm t = terms.get(i);
            vCcd[i] = t.victimCcd();
            vAmp[i] = t.victimAmp();
            sCcd[i] = t.sourceCcd();
            sAmp[i] = t.sourceAmp();
            x[i] = t.coefficient();
            err[i] = t.error();
            onset[i] = t.nonlinearOnset();
            double[] p = t.polynomial();
            for (int k = 0; k < 3; k++) {
                poly[k][i] = k < p.length ? p[k] : 0.0;
            }
            intra[i] = t.isIntraCcd();
        }
        FitsTableBuilder b = new FitsTableBuilder("CROSSTALK", n)
                .longs("victim_ccd", "", "CCDNUM of the victim amplifier", vCcd)
                .strings("victim_amp", "victim amplifier (A or B)", vAmp)
                .longs("source_ccd", "", "CCDNUM of the source amplifier", sCcd)
                .strings("source_amp", "source amplifier (A or B)", sAmp)
                .doubles("coeff", "", "linear coefficient: victim += coeff * source", x)
                .doubles("coeff_err", "", "uncertainty of coeff", err)
                .doubles("src_nl", "adu", "source level where the polynomial applies", onset)
                .doubles("poly_1", "", "polynomial coefficient p_1 (above src_nl)", poly[0])
                .doubles("poly_2", "", "polynomial coefficient p_2 (above src_nl)", poly[1])
                .doubles("poly_3", "", "polynomial coefficient p_3 (above src_nl)", poly[2])
                .booleans("intra", "same CCD as the victim (simulator applies it)", intra);
        common(b, ccd, "CROSSTALK");
        b.intKeyword("NAMP", 2, "amplifiers of the CCD")
                .keyword("XTFILE", crosstalkSource, "CTIO crosstalk table the values come from")
                .keyword("XTGEOM", "victim(i,j) += coeff * source(i,j), readout coords", "pixel pairing");
        for (String v : List.of("A", "B")) {
            for (String s : List.of("A", "B")) {
                if (!v.equals(s)) {
                    b.keyword("XT_" + v + "_" + s, crosstalk.coefficient(ccd.number(), v, ccd.number(), s),
                            "intra-CCD coeff, victim " + v + " from source " + s);
                }
            }
        }
        return b;
    }

    FitsTableBuilder defectsTable(DecamCcd ccd) {
        InstrumentModel m = InstrumentModel.of(instrumentSeed, ccd.number());
        List<Defect> defects = m.defects().all();
        int n = defects.size();
        long[] x0 = new long[n];
        long[] y0 = new long[n];
        long[] w = new long[n];
        long[] h = new long[n];
        String[] kind = new String[n];
        for (int i = 0; i < n; i++) {
            Defect d = defects.get(i);
            x0[i] = d.box().x0();
            y0[i] = d.box().y0();
            w[i] = d.box().width();
            h[i] = d.box().height();
            kind[i] = d.kind().name();
        }
        FitsTableBuilder b = new FitsTableBuilder("DEFECTS", n)
                .longs("x0", "pix", "first column (0-based, assembled CCD)", x0)
                .longs("y0", "pix", "first row (0-based, assembled CCD)", y0)
                .longs("width", "pix", "columns in the box", w)
                .longs("height", "pix", "rows in the box", h)
                .strings("kind", "DEAD_COLUMN, HOT_COLUMN or HOT_PIXEL", kind);
        common(b, ccd, "DEFECTS");
        return b.intKeyword("CCDWIDTH", m.width(), "assembled CCD columns")
                .intKeyword("CCDHEIGH", m.height(), "assembled CCD rows");
    }

    FitsTableBuilder linearizerTable(DecamCcd ccd) {
        InstrumentModel m = InstrumentModel.of(instrumentSeed, ccd.number());
        List<ReadoutAmp> amps = m.amps();
        int n = amps.size();
        String[] name = new String[n];
        String[] type = new String[n];
        double[] alpha = new double[n];
        double[] delta = new double[n];
        double[] tau = new double[n];
        double[] s = new double[n];
        long[][] box = new long[4][n];
        for (int i = 0; i < n; i++) {
            ReadoutAmp a = amps.get(i);
            NonLinearity nl = m.nonLinearity(a.name());
            name[i] = a.name();
            type[i] = "QUADEXP";
            alpha[i] = nl.alpha();
            delta[i] = nl.delta();
            tau[i] = nl.tau();
            s[i] = NonLinearity.S;
            box[0][i] = a.box().x0();
            box[1][i] = a.box().y0();
            box[2][i] = a.box().width();
            box[3][i] = a.box().height();
        }
        FitsTableBuilder b = new FitsTableBuilder("LINEARIZER", n)
                .strings("amp_name", "amplifier", name)
                .strings("linearity_type", "model: QUADEXP (see NLMODEL)", type)
                .doubles("alpha", "", "quadratic coefficient", alpha)
                .doubles("delta", "", "low-signal fractional deficit", delta)
                .doubles("tau", "adu", "low-signal scale", tau)
                .doubles("s_ref", "adu", "reference signal S of the quadratic term", s)
                .longs("bbox_x0", "pix", "amplifier box: first column (assembled CCD)", box[0])
                .longs("bbox_y0", "pix", "amplifier box: first row", box[1])
                .longs("bbox_width", "pix", "amplifier box: columns", box[2])
                .longs("bbox_height", "pix", "amplifier box: rows", box[3]);
        common(b, ccd, "LINEARIZER");
        return b.keyword("NLMODEL", "t-alpha*t^2/s_ref-delta*tau*(1-exp(-t/tau))", "measured m(t)")
                .keyword("NLINPUT", "ADU above bias, before gain", "where the correction applies")
                .keyword("NLCORR", "t = inverse of m (Newton)", "correction: true from measured");
    }

    private void common(FitsTableBuilder b, DecamCcd ccd, String obstype) {
        b.keyword("OBSTYPE", obstype, "curated calibration type")
                .keyword("INSTRUME", "DECam", "instrument")
                .intKeyword("DETECTOR", ccd.number(), "detector id (CCDNUM)")
                .keyword("DETNAME", ccd.name(), "detector name (DETPOS)")
                .intKeyword("INSTSEED", instrumentSeed, "simulated instrument seed (InstrumentModel)")
                .keyword("ORIGIN", "LoVoCCS write-curated-calibrations", "software");
    }
}
