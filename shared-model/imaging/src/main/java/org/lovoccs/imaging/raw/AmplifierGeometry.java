package org.lovoccs.imaging.raw;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.lovoccs.imaging.FitsSection;
import org.lovoccs.imaging.PixelBox;
import org.lovoccs.imaging.fits.FitsHeaders;

/**
 * The amplifier layout of one raw CCD HDU, read from its header keywords only (no built-in DECam constants).
 *
 * <p>Amplifiers are discovered from keywords {@code DATASECn, BIASSECn, PRESECn, AMPSECn, GAINn, RDNOISEn, SATURATn}
 * with a one-letter suffix {@code n}; each amplifier found needs DATASEC, BIASSEC, GAIN, RDNOISE and SATURAT
 * (PRESEC and AMPSEC are optional). The assembled CCD is TRIMSEC (else DATASEC, else the bounding box of the
 * amplifiers' data sections); each amplifier's data must lie inside it, the data sections must tile it exactly,
 * the overscan must cover the data rows, and no overscan or prescan may overlap any data section. DATASEC and BIASSEC
 * ranges must run low-to-high; only AMPSEC may be reversed. Anything else is refused with a
 * {@link RawFormatException} naming the keyword.
 *
 * @param hduName    name of the HDU, for messages
 * @param rawWidth   NAXIS1
 * @param rawHeight  NAXIS2
 * @param trimBox    the assembled CCD's region in the raw grid (0-based)
 * @param amplifiers amplifiers ordered by their position in the assembled CCD (x, then y)
 */
public record AmplifierGeometry(String hduName, int rawWidth, int rawHeight, PixelBox trimBox,
                                List<Amplifier> amplifiers) {

    private static final Pattern AMP_KEY =
            Pattern.compile("^(DATASEC|BIASSEC|PRESEC|AMPSEC|GAIN|RDNOISE|SATURAT)([A-Z])$");

    public AmplifierGeometry {
        amplifiers = List.copyOf(amplifiers);
    }

    /** Width of the assembled CCD in pixels. */
    public int assembledWidth() {
        return trimBox.width();
    }

    /** Height of the assembled CCD in pixels. */
    public int assembledHeight() {
        return trimBox.height();
    }

    /** The amplifier called {@code name}. */
    public Amplifier amplifier(String name) {
        return amplifiers.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no amplifier " + name + " in HDU " + hduName));
    }

    /**
     * Reads and validates the layout.
     *
     * @throws RawFormatException naming the HDU and keyword, e.g. {@code HDU S29: missing keyword BIASSECA ...}
     */
    public static AmplifierGeometry fromHeader(Header h) {
        String hdu = RawCcd.hduName(h);
        int width = positiveInt(h, hdu, "NAXIS1");
        int height = positiveInt(h, hdu, "NAXIS2");
        PixelBox full = PixelBox.ofSize(width, height);

        TreeSet<String> names = new TreeSet<>();
        for (String key : FitsHeaders.keys(h)) {
            Matcher m = AMP_KEY.matcher(key);
            if (m.matches()) {
                names.add(m.group(2));
            }
        }
        if (names.isEmpty()) {
            throw RawFormatException.missing(hdu, "DATASECA",
                    "(no amplifier keywords DATASECn/BIASSECn/GAINn/RDNOISEn/SATURATn found)");
        }

        List<Amplifier> raw = new ArrayList<>();
        for (String n : names) {
            FitsSection data = section(h, hdu, "DATASEC" + n, full, true);
            FitsSection bias = section(h, hdu, "BIASSEC" + n, full, true);
            FitsSection prescan = h.containsKey("PRESEC" + n) ? section(h, hdu, "PRESEC" + n, full, true) : null;
            FitsSection ampSec = h.containsKey("AMPSEC" + n) ? section(h, hdu, "AMPSEC" + n, null, false) : null;
            double gain = number(h, hdu, "GAIN" + n);
            double readNoise = number(h, hdu, "RDNOISE" + n);
            double saturation = number(h, hdu, "SATURAT" + n);
            if (!(gain > 0)) {
                throw new RawFormatException(hdu, "GAIN" + n, "GAIN" + n + " = " + gain + " is not a positive gain");
            }
            if (!(readNoise >= 0)) {
                throw new RawFormatException(hdu, "RDNOISE" + n, "RDNOISE" + n + " = " + readNoise + " is negative");
            }
            if (!(saturation > 0)) {
                throw new RawFormatException(hdu, "SATURAT" + n, "SATURAT" + n + " = " + saturation
                        + " is not positive");
            }
            raw.add(new Amplifier(n, data, bias, prescan, ampSec, null, gain, readNoise, saturation));
        }

        PixelBox trim = trimBox(h, hdu, full, raw);
        List<Amplifier> amps = new ArrayList<>();
        long area = 0;
        for (Amplifier a : raw) {
            String n = a.name();
            if (!trim.contains(a.dataBox())) {
                throw new RawFormatException(hdu, "DATASEC" + n, "DATASEC" + n + "='" + a.data()
                        + "' is not inside the CCD's trim section " + trim.toFitsSection());
            }
            PixelBox b = a.biasBox();
            PixelBox d = a.dataBox();
            if (b.y0() > d.y0() || b.maxY() < d.maxY()) {
                throw new RawFormatException(hdu, "BIASSEC" + n, "BIASSEC" + n + "='" + a.bias()
                        + "' does not cover the rows of DATASEC" + n + "='" + a.data() + "'");
            }
            area += d.area();
            amps.add(new Amplifier(n, a.data(), a.bias(), a.prescan(), a.ampSection(),
                    d.shift(-trim.x0(), -trim.y0()), a.gain(), a.readNoise(), a.saturation()));
        }
        for (Amplifier a : amps) {
            for (Amplifier o : amps) {
                if (a != o && a.name().compareTo(o.name()) < 0 && a.dataBox().overlaps(o.dataBox())) {
                    throw new RawFormatException(hdu, "DATASEC" + o.name(), "DATASEC" + a.name() + "='" + a.data()
                            + "' overlaps DATASEC" + o.name() + "='" + o.data() + "'");
                }
                if (a.biasBox().overlaps(o.dataBox())) {
                    throw new RawFormatException(hdu, "BIASSEC" + a.name(), "BIASSEC" + a.name() + "='" + a.bias()
                            + "' overlaps DATASEC" + o.name() + "='" + o.data() + "'");
                }
                if (a.prescan() != null && a.prescan().box().overlaps(o.dataBox())) {
                    throw new RawFormatException(hdu, "PRESEC" + a.name(), "PRESEC" + a.name() + "='" + a.prescan()
                            + "' overlaps DATASEC" + o.name() + "='" + o.data() + "'");
                }
            }
        }
        if (area != trim.area()) {
            throw new RawFormatException(hdu, "TRIMSEC", "the amplifiers' DATASECn cover " + area
                    + " pixels but the trim section " + trim.toFitsSection() + " has " + trim.area());
        }
        amps.sort(Comparator.comparingInt((Amplifier a) -> a.assembledBox().x0())
                .thenComparingInt(a -> a.assembledBox().y0()));
        return new AmplifierGeometry(hdu, width, height, trim, amps);
    }

    private static PixelBox trimBox(Header h, String hdu, PixelBox full, List<Amplifier> amps) {
        for (String key : new String[] {"TRIMSEC", "DATASEC"}) {
            if (h.containsKey(key)) {
                return section(h, hdu, key, full, true).box();
            }
        }
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        for (Amplifier a : amps) {
            x0 = Math.min(x0, a.dataBox().x0());
            y0 = Math.min(y0, a.dataBox().y0());
            x1 = Math.max(x1, a.dataBox().maxX());
            y1 = Math.max(y1, a.dataBox().maxY());
        }
        return new PixelBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static FitsSection section(Header h, String hdu, String key, PixelBox within, boolean mustBeForward) {
        String value = stringValue(h, hdu, key);
        FitsSection s;
        try {
            s = FitsSection.parse(key, value);
        } catch (IllegalArgumentException e) {
            throw new RawFormatException(hdu, key, e.getMessage(), e);
        }
        if (mustBeForward && (s.flipX() || s.flipY())) {
            throw new RawFormatException(hdu, key, key + "='" + value
                    + "' runs backwards; only AMPSEC may give a reversed range");
        }
        if (within != null && !within.contains(s.box())) {
            throw new RawFormatException(hdu, key, key + "='" + value + "' lies outside the " + within.width() + "x"
                    + within.height() + " image");
        }
        return s;
    }

    private static String stringValue(Header h, String hdu, String key) {
        HeaderCard card = h.getCard(key);
        if (card == null) {
            throw RawFormatException.missing(hdu, key, "(needed for the amplifier geometry)");
        }
        String v = card.getValue();
        if (v == null || v.isBlank()) {
            throw new RawFormatException(hdu, key, key + " has no value");
        }
        return v.trim();
    }

    private static double number(Header h, String hdu, String key) {
        String v = stringValue(h, hdu, key);
        try {
            double d = Double.parseDouble(v.replace('D', 'E').replace('d', 'e'));
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new RawFormatException(hdu, key, key + "='" + v + "' is not a number");
        }
    }

    private static int positiveInt(Header h, String hdu, String key) {
        double v = number(h, hdu, key);
        if (v <= 0 || v != Math.rint(v)) {
            throw new RawFormatException(hdu, key, String.format(Locale.ROOT, "%s = %s is not a positive integer",
                    key, v));
        }
        return (int) v;
    }
}
