package org.lovoccs.imaging.cp;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.lovoccs.imaging.Band;
import org.lovoccs.imaging.fits.FitsHeaders;
import org.lovoccs.imaging.raw.RawCcd;

/** Checks that a builder's inputs belong together, and the product's metadata. */
final class Inputs {

    private final CalibType type;
    private final String[] obstypes;
    private String detpos;
    private Integer ccdnum;
    private Band band;
    private final StringBuilder expnums = new StringBuilder();
    private int count;
    private Header first;

    /** @param obstypes accepted OBSTYPE values (lower case); an input without OBSTYPE is accepted */
    Inputs(CalibType type, String... obstypes) {
        this.type = type;
        this.obstypes = obstypes;
    }

    /** @throws IllegalArgumentException naming the input (EXPNUM) and the keyword that does not match */
    void accept(RawCcd raw) {
        accept(key -> value(raw, key), raw.header());
    }

    /** An input already through ISR: its keywords are in the postISRCCD's primary header. */
    void accept(Header processed) {
        accept(key -> {
            HeaderCard card = processed.findCard(key);
            return card == null ? null : card.getValue();
        }, processed);
    }

    private void accept(java.util.function.Function<String, String> keyword, Header header) {
        String exp = keyword.apply("EXPNUM");
        String who = "input " + (count + 1) + (exp == null ? "" : " (EXPNUM " + exp + ")");
        String obstype = keyword.apply("OBSTYPE");
        if (obstype != null) {
            boolean ok = false;
            for (String o : obstypes) {
                ok |= o.equalsIgnoreCase(obstype.trim());
            }
            if (!ok) {
                throw new IllegalArgumentException(who + ": OBSTYPE '" + obstype + "' is not "
                        + String.join(" or ", obstypes) + " for a " + type.keyword());
            }
        }
        String d = keyword.apply("DETPOS");
        if (detpos == null) {
            detpos = d;
        } else if (d != null && !detpos.equals(d)) {
            throw new IllegalArgumentException(who + ": DETPOS '" + d + "' differs from the first input's '" + detpos
                    + "'");
        }
        String c = keyword.apply("CCDNUM");
        if (c != null && ccdnum == null) {
            ccdnum = Integer.valueOf(c.trim());
        }
        if (type != CalibType.BIAS) {
            String f = keyword.apply("FILTER");
            if (f == null) {
                throw new IllegalArgumentException(who + ": no FILTER keyword for a " + type.keyword());
            }
            Band b = Band.fromPhysicalFilter(f);
            if (band == null) {
                band = b;
            } else if (b != band) {
                throw new IllegalArgumentException(who + ": FILTER band " + b.bandName() + " differs from the first"
                        + " input's " + band.bandName());
            }
        }
        if (exp != null) {
            expnums.append(expnums.length() == 0 ? "" : ",").append(exp.trim());
        }
        if (first == null) {
            first = header;
        }
        count++;
    }

    int count() {
        return count;
    }

    Band band() {
        return band;
    }

    /** The product's primary header: identity, inputs and the combine's figures. */
    Header metadata(CombineConfig combine, Combined result, int groups) {
        Header h = new Header();
        FitsHeaders.add(h, "CALIBTYP", type.keyword(), "calibration product type");
        FitsHeaders.add(h, "OBSTYPE", type.keyword(), "calibration product type");
        FitsHeaders.add(h, "INSTRUME", "DECam", "instrument");
        if (detpos != null) {
            FitsHeaders.add(h, "DETPOS", detpos, "detector position");
        }
        if (ccdnum != null) {
            FitsHeaders.add(h, "CCDNUM", ccdnum, "CCD number");
        }
        if (band != null) {
            FitsHeaders.add(h, "FILTER", band.physicalFilter(), "filter");
            FitsHeaders.add(h, "BAND", band.bandName(), "band");
        }
        FitsHeaders.add(h, "BUNIT", type.unit(), type.unit().isEmpty() ? "dimensionless" : "image unit");
        FitsHeaders.add(h, "NCOMBINE", result.frames(), "number of input exposures");
        FitsHeaders.add(h, "CPCLIPSG", combine.clipSigma(), "clipping threshold, sigma");
        FitsHeaders.add(h, "CPCLIPIT", combine.maxIterations(), "clipping passes (median/IQR, then mean/stdev)");
        FitsHeaders.add(h, "CPMINVAL", combine.minValues(), "fewest values kept for a result, else NO_DATA");
        FitsHeaders.add(h, "CPVAREST", combine.variance().name(), "variance of the combined pixels");
        FitsHeaders.add(h, "CPNGROUP", groups, "groups combined separately, then averaged");
        FitsHeaders.add(h, "CPNMASKD", result.maskedValues(), "input values masked");
        FitsHeaders.add(h, "CPNCLIPD", result.clippedValues(), "input values clipped");
        if (expnums.length() > 0) {
            String all = expnums.toString();
            for (int i = 0; i < all.length(); i += 60) {
                FitsHeaders.history(h, "inputs EXPNUM: " + all.substring(i, Math.min(all.length(), i + 60)));
            }
        }
        return h;
    }

    static String value(RawCcd raw, String key) {
        HeaderCard card = raw.findCard(key);
        return card == null ? null : card.getValue();
    }
}
