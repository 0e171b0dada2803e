package org.lovoccs.imaging.isr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.imaging.fits.RiceCompressedHdus;
import org.lovoccs.imaging.raw.Amplifier;
import org.lovoccs.imaging.raw.AmplifierGeometry;
import org.lovoccs.imaging.raw.RawCcd;
import org.lovoccs.imaging.raw.RawFormatException;

/**
 * One CCD's overscan-corrected raw signal in ADU, as the other CCDs' ISR needs it to remove the inter-CCD crosstalk
 * this CCD caused (LSST's step0 {@code isrForCrosstalkSources}, output dataset type {@code overscanRaw}, read by
 * step1's isr as {@code crosstalkSources}).
 *
 * <p>Content: the amplifiers' data sections (no overscan, prescan or post-scan), each row minus its overscan level
 * ({@link IsrConfig}'s overscan settings), in ADU (no gain, no bias frame, no linearity), placed at their DATASEC
 * position relative to TRIMSEC (the assembled grid, DECam 2048 x 4096) without flipping; and per amplifier its box in
 * that grid and its readout direction (AMPSEC against DATASEC), which is all {@link FullIsr} needs to pair a victim
 * pixel with the source pixel at the same readout position.
 *
 * <p>Storage ({@link #toBytes()}): an empty primary HDU and one Rice tile-compressed BITPIX = 32 image (fpack's
 * RICE_1, one row per tile, lossless on what it stores), EXTNAME {@code OVERSCANRAW}, with CCDNUM, EXPNUM, DETPOS,
 * BUNIT = 'adu' and the amplifiers' DATASECn / AMPSECn in the stored image's own pixel grid. The values are the
 * overscan-corrected ADU <b>rounded to the nearest integer</b>: the error is at most 0.5 ADU per source pixel, so at
 * most 0.5 x |coefficient| in the victim, 1e-4 ADU for DECam's largest inter-CCD coefficient (1.9e-4), some 10^4
 * times below a pixel's read noise. A full 2048 x 4096 DECam CCD of sky takes ~25-35% of the 32-bit size (the figure
 * depends on the sky noise; see the tests).
 *
 * <p>Instances are immutable; the pixel array is not exposed.
 */
public final class CrosstalkSource {

    /** EXTNAME of the image HDU. */
    public static final String EXTNAME = "OVERSCANRAW";

    private static final Pattern DATASEC = Pattern.compile("^DATASEC([A-Z])$");
    private static final String[] COPIED_KEYS = {"DETPOS", "INSTRUME", "OBSTYPE", "FILTER", "DATE-OBS", "MJD-OBS",
            "EXPTIME"};

    /**
     * One amplifier of the source CCD.
     *
     * @param name  amplifier name (A, B)
     * @param box   its pixels in the stored (assembled) grid, 0-based
     * @param flipX true when readout column 0 is the box's last column
     * @param flipY true when readout row 0 is the box's last row
     */
    public record Amp(String name, PixelBox box, boolean flipX, boolean flipY) {

        /** Stored-grid column of readout column {@code i}. */
        public int x(int i) {
            return flipX ? box.maxX() - i : box.x0() + i;
        }

        /** Stored-grid row of readout row {@code j}. */
        public int y(int j) {
            return flipY ? box.maxY() - j : box.y0() + j;
        }
    }

    private final int detector;
    private final int expnum;
    private final int width;
    private final int height;
    private final int[] adu;
    private final List<Amp> amps;
    private final Header cards;

    private CrosstalkSource(int detector, int expnum, int width, int height, int[] adu, List<Amp> amps,
                            Header cards) {
        this.detector = detector;
        this.expnum = expnum;
        this.width = width;
        this.height = height;
        this.adu = adu;
        List<Amp> sorted = new ArrayList<>(amps);
        sorted.sort(java.util.Comparator.comparingInt((Amp a) -> a.box().x0()).thenComparingInt(a -> a.box().y0()));
        this.amps = List.copyOf(sorted);
        this.cards = cards;
    }

    /**
     * The overscan-corrected raw of one CCD (step0). Only the overscan settings of {@code config} are used (statistic,
     * skipped columns, clipping): the output is always in ADU and trimmed, whatever its assembly, gain or variance
     * switches say.
     *
     * @throws IllegalArgumentException if {@code config} has the overscan off (the bias, thousands of ADU, would be
     *                                  taken for signal) or the header has no CCDNUM
     * @throws RawFormatException       if the header's amplifier geometry is missing or invalid
     */
    public static CrosstalkSource fromRaw(RawCcd raw, IsrConfig config) {
        if (!config.doOverscan()) {
            throw new IllegalArgumentException("a crosstalk source needs the overscan subtracted (doOverscan=True):"
                    + " without it the bias level would be taken for signal");
        }
        HeaderCard ccdnum = raw.findCard("CCDNUM");
        if (ccdnum == null) {
            throw new IllegalArgumentException("raw " + raw.name() + " has no CCDNUM: a crosstalk source must say"
                    + " which CCD it is");
        }
        int detector = Integer.parseInt(ccdnum.getValue().trim());
        HeaderCard exp = raw.findCard("EXPNUM");
        int expnum = exp == null ? -1 : Integer.parseInt(exp.getValue().trim());
        AmplifierGeometry g = AmplifierGeometry.fromHeader(raw.header());
        int w = g.assembledWidth();
        int h = g.assembledHeight();
        int[] out = new int[w * h];
        int[] pix = raw.pixels();
        int rawWidth = raw.width();
        List<Amp> amps = new ArrayList<>();
        for (Amplifier a : g.amplifiers()) {
            OverscanEstimator.Fit fit = OverscanEstimator.estimate(pix, rawWidth, a, config, g.hduName());
            double[] levels = fit.levels();
            PixelBox d = a.dataBox();
            PixelBox t = a.assembledBox();
            for (int j = 0; j < d.height(); j++) {
                double level = levels[j];
                int src = (d.y0() + j) * rawWidth + d.x0();
                int dst = (t.y0() + j) * w + t.x0();
                for (int i = 0; i < d.width(); i++) {
                    out[dst + i] = (int) Math.floor(pix[src + i] - level + 0.5);
                }
            }
            amps.add(new Amp(a.name(), t, FullIsr.flipX(a), FullIsr.flipY(a)));
        }
        Header cards = new Header();
        for (String key : COPIED_KEYS) {
            HeaderCard c = raw.findCard(key);
            if (c != null) {
                FitsHeaders.put(cards, c.copy());
            }
        }
        FitsHeaders.add(cards, "ISROSSTA", config.overscanStatistic().name(), "per-row overscan statistic");
        FitsHeaders.add(cards, "ISROSSKP", config.overscanSkipColumns(), "overscan columns skipped next to data");
        return new CrosstalkSource(detector, expnum, w, h, out, amps, cards);
    }

    /** CCDNUM of the source CCD. */
    public int detector() {
        return detector;
    }

    /** EXPNUM of the exposure, or -1 when the raw had none. */
    public int expnum() {
        return expnum;
    }

    /** Width of the stored (assembled) grid. */
    public int width() {
        return width;
    }

    /** Height of the stored (assembled) grid. */
    public int height() {
        return height;
    }

    /** The amplifiers, ordered by their position in the stored grid (x, then y). */
    public List<Amp> amplifiers() {
        return amps;
    }

    /** The amplifier called {@code name}. */
    public Amp amplifier(String name) {
        for (Amp a : amps) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("crosstalk source CCD " + detector + " has no amplifier " + name
                + " (it has " + amps.stream().map(Amp::name).toList() + ")");
    }

    /** Overscan-corrected ADU (rounded) at stored-grid pixel (x, y). */
    public int adu(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        return adu[y * width + x];
    }

    /** The stored pixels, row-major, not a copy: for {@link FullIsr} only. */
    int[] pixels() {
        return adu;
    }

    /** The FITS file (see the class comment). */
    public byte[] toBytes() {
        Header h = FitsHeaders.imageExtension(32, width, height);
        FitsHeaders.add(h, "EXTNAME", EXTNAME, "step0 output: overscan-corrected raw");
        FitsHeaders.add(h, "CCDNUM", detector, "CCD number of this crosstalk source");
        if (expnum >= 0) {
            FitsHeaders.add(h, "EXPNUM", expnum, "exposure number");
        }
        HeaderCard c = cards.getCard("DETPOS");
        if (c != null) {
            FitsHeaders.put(h, c.copy());
        }
        for (String key : COPIED_KEYS) {
            c = cards.getCard(key);
            if (c != null && !key.equals("DETPOS")) {
                FitsHeaders.put(h, c.copy());
            }
        }
        FitsHeaders.add(h, "BUNIT", "adu", "raw ADU minus the per-row overscan level");
        FitsHeaders.add(h, "XTQUANT", 1.0, "[adu] values rounded to multiples of this");
        for (String key : new String[] {"ISROSSTA", "ISROSSKP"}) {
            c = cards.getCard(key);
            if (c != null) {
                FitsHeaders.put(h, c.copy());
            }
        }
        for (Amp a : amps) {
            FitsHeaders.add(h, "DATASEC" + a.name(), FitsSection.of(a.box()).toFitsString(),
                    "amp " + a.name() + " in this image");
            FitsHeaders.add(h, "AMPSEC" + a.name(), new FitsSection(a.box(), a.flipX(), a.flipY()).toFitsString(),
                    "amp " + a.name() + " in readout order");
        }
        h.seekTail();
        h.insertComment("overscanRaw: LSST step0 isrForCrosstalkSources output, read by other CCDs' isr as");
        h.insertComment("crosstalkSources. Data sections only (assembled, not flipped), each row minus its");
        h.insertComment("overscan level, in ADU: no gain, bias frame, linearity or crosstalk correction.");
        ByteArrayOutputStream bos = new ByteArrayOutputStream(width * height + 4 * 2880);
        try {
            FitsOutputStream out = new FitsOutputStream(bos);
            Header primary = FitsHeaders.primary();
            FitsHeaders.add(primary, "CCDNUM", detector, "CCD number of this crosstalk source");
            FitsImageIO.writeHeader(out, primary);
            RiceCompressedHdus.writeInt32Hdu(out, h, adu, width, height);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /**
     * Reads what {@link #toBytes()} wrote (its {@value #EXTNAME} HDU, tile-compressed or plain BITPIX 32).
     *
     * @throws IllegalArgumentException if the bytes are not a FITS file, have no {@value #EXTNAME} image, or lack
     *                                  CCDNUM or the amplifiers' sections
     */
    public static CrosstalkSource read(byte[] fits) {
        List<HduSpan> spans;
        try {
            spans = FitsHduIndex.scan(fits);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a crosstalk source (overscanRaw): not a FITS file: "
                    + e.getMessage(), e);
        }
        HduSpan span = spans.stream().filter(s -> EXTNAME.equals(trim(s.extname()))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a crosstalk source (overscanRaw): no " + EXTNAME
                        + " HDU among " + spans.stream().map(s -> trim(s.extname())).toList()));
        Header h = span.imageHeader();
        if (!h.containsKey("CCDNUM")) {
            throw new IllegalArgumentException("crosstalk source HDU " + EXTNAME + " has no CCDNUM");
        }
        int[] size = FitsImageIO.imageSize(span.header());
        int w = size[0];
        int hgt = size[1];
        int[] adu;
        try {
            adu = FitsImageIO.decodeIntPlane(span.header(), fits, (int) span.dataOffset());
        } catch (IOException e) {
            throw new IllegalArgumentException("crosstalk source: cannot decode the " + EXTNAME + " image: "
                    + e.getMessage(), e);
        }
        TreeSet<String> names = new TreeSet<>();
        for (String key : FitsHeaders.keys(h)) {
            Matcher m = DATASEC.matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("crosstalk source HDU " + EXTNAME + " has no DATASECn");
        }
        PixelBox all = PixelBox.ofSize(w, hgt);
        List<Amp> amps = new ArrayList<>();
        for (String n : names) {
            FitsSection data = FitsSection.parse("DATASEC" + n, h.getStringValue("DATASEC" + n));
            String ampKey = "AMPSEC" + n;
            if (!h.containsKey(ampKey)) {
                throw new IllegalArgumentException("crosstalk source HDU " + EXTNAME + " has DATASEC" + n
                        + " but no " + ampKey + " (the readout direction)");
            }
            FitsSection amp = FitsSection.parse(ampKey, h.getStringValue(ampKey));
            if (!amp.box().equals(data.box()) || !all.contains(data.box())) {
                throw new IllegalArgumentException("crosstalk source: " + ampKey + "='" + amp + "' and DATASEC" + n
                        + "='" + data + "' must be the same box inside the " + w + "x" + hgt + " image");
            }
            amps.add(new Amp(n, data.box(), amp.flipX() != data.flipX(), amp.flipY() != data.flipY()));
        }
        Header cards = new Header();
        FitsHeaders.copy(h, cards, COPIED_KEYS);
        FitsHeaders.copy(h, cards, "ISROSSTA", "ISROSSKP");
        return new CrosstalkSource(h.getIntValue("CCDNUM"), h.getIntValue("EXPNUM", -1), w, hgt, adu, amps, cards);
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    @Override
    public String toString() {
        return "CrosstalkSource[CCD " + detector + ", EXPNUM " + expnum + ", " + width + "x" + height + ", amps "
                + amps.stream().map(Amp::name).toList() + "]";
    }
}
