package org.lovoccs.imaging.wcs;

import nom.tam.fits.Header;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the celestial WCS of an image header as a {@link SkyWcs}: RA---TAN/DEC--TAN, RA---TAN-SIP/DEC--TAN-SIP and
 * RA---TPV/DEC--TPV, with either a CD matrix or PCi_j with CDELTi. Anything else (another projection, a rotated native
 * pole, a missing keyword) is refused with a message that names the keyword and its value.
 */
public final class WcsHeaders {

    private static final Pattern DISTORTION_KEY = Pattern.compile("^(A|B|AP|BP)_(ORDER|DMAX|\\d+_\\d+)$|^PV[12]_\\d+$");
    private static final Set<String> LINEAR_KEYS = Set.of("WCSAXES", "CTYPE1", "CTYPE2", "CUNIT1", "CUNIT2", "CRVAL1",
            "CRVAL2", "CRPIX1", "CRPIX2", "CD1_1", "CD1_2", "CD2_1", "CD2_2", "PC1_1", "PC1_2", "PC2_1", "PC2_2",
            "CDELT1", "CDELT2", "CROTA1", "CROTA2", "LONPOLE", "LATPOLE", "RADESYS", "EQUINOX");

    private WcsHeaders() {
    }

    /**
     * The WCS of {@code h}.
     *
     * @throws IllegalArgumentException naming what is missing or not supported
     */
    public static SkyWcs read(Header h) {
        String c1 = h.getStringValue("CTYPE1", "").trim();
        String c2 = h.getStringValue("CTYPE2", "").trim();
        String kind = projection(c1, c2);
        double lonpole = h.getDoubleValue("LONPOLE", 180.0);
        if (lonpole != 180.0) {
            throw new IllegalArgumentException("LONPOLE = " + lonpole + " is not supported: only the default native"
                    + " pole of a zenithal projection (180) is");
        }
        String radesys = h.getStringValue("RADESYS", "ICRS").trim();
        if (!radesys.equals("ICRS") && !radesys.equals("FK5")) {
            throw new IllegalArgumentException("RADESYS = '" + radesys + "' is not supported (ICRS or FK5 J2000)");
        }
        TanWcs tan = linear(h);
        return switch (kind) {
            case "TAN" -> tan;
            case "TAN-SIP" -> TanSipWcs.fromHeader(h, tan);
            case "TPV" -> TpvWcs.fromHeader(h, tan);
            default -> throw new IllegalStateException(kind);
        };
    }

    private static String projection(String c1, String c2) {
        for (String kind : new String[] {"TAN-SIP", "TPV", "TAN"}) {
            String a = "RA---" + kind;
            String b = "DEC--" + kind;
            if (c1.equals(a) && c2.equals(b)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unsupported celestial WCS CTYPE1 = '" + c1 + "', CTYPE2 = '" + c2
                + "': RA---TAN/DEC--TAN, RA---TAN-SIP/DEC--TAN-SIP and RA---TPV/DEC--TPV are read");
    }

    /** CRVAL, CRPIX and the CD matrix, from CDi_j or from PCi_j x CDELTi. */
    private static TanWcs linear(Header h) {
        for (String key : new String[] {"CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2"}) {
            if (!h.containsKey(key)) {
                throw new IllegalArgumentException("WCS header lacks " + key);
            }
        }
        double cd11;
        double cd12;
        double cd21;
        double cd22;
        if (h.containsKey("CD1_1") || h.containsKey("CD2_2")) {
            cd11 = h.getDoubleValue("CD1_1", 0.0);
            cd12 = h.getDoubleValue("CD1_2", 0.0);
            cd21 = h.getDoubleValue("CD2_1", 0.0);
            cd22 = h.getDoubleValue("CD2_2", 0.0);
        } else if (h.containsKey("CDELT1") && h.containsKey("CDELT2")) {
            if (h.containsKey("CROTA2") && h.getDoubleValue("CROTA2") != 0) {
                throw new IllegalArgumentException("CROTA2 = " + h.getDoubleValue("CROTA2")
                        + " is not supported; write the rotation as PCi_j or CDi_j");
            }
            double s1 = h.getDoubleValue("CDELT1");
            double s2 = h.getDoubleValue("CDELT2");
            cd11 = s1 * h.getDoubleValue("PC1_1", 1.0);
            cd12 = s1 * h.getDoubleValue("PC1_2", 0.0);
            cd21 = s2 * h.getDoubleValue("PC2_1", 0.0);
            cd22 = s2 * h.getDoubleValue("PC2_2", 1.0);
        } else {
            throw new IllegalArgumentException("WCS header has neither a CD matrix (CD1_1 ...) nor CDELT1/CDELT2");
        }
        try {
            return new TanWcs(h.getDoubleValue("CRVAL1"), h.getDoubleValue("CRVAL2"), h.getDoubleValue("CRPIX1"),
                    h.getDoubleValue("CRPIX2"), cd11, cd12, cd21, cd22);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WCS header's CD matrix is singular: [[" + cd11 + ", " + cd12
                    + "], [" + cd21 + ", " + cd22 + "]]");
        }
    }

    /** Removes every celestial WCS keyword this package reads or writes (linear part, SIP and TPV). */
    public static void removeWcs(Header h) {
        List<String> drop = new ArrayList<>();
        var it = h.iterator();
        while (it.hasNext()) {
            String key = it.next().getKey();
            if (key != null && (LINEAR_KEYS.contains(key) || DISTORTION_KEY.matcher(key).matches())) {
                drop.add(key);
            }
        }
        drop.forEach(h::deleteKey);
    }
}
