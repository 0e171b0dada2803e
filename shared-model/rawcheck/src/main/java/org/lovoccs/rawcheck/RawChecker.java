package org.lovoccs.rawcheck;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.lovoccs.events.ExposureRecord;
import org.lovoccs.imaging.fits.FitsBlocks;
import org.lovoccs.imaging.fits.FitsFormatException;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.fits.FitsTruncatedException;
import org.lovoccs.imaging.fits.HduSpan;
import org.lovoccs.objectstore.Sha256InputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * check_raws for DECam raw files, in one streaming pass: {@link FitsHduIndex} walks every HDU (headers
 * parsed with nom-tam-fits, every data byte read through), a {@link Sha256InputStream} checksums each
 * HDU on the way, then the keywords that ingestion and ISR read are required. Memory stays at one
 * buffer whatever the file's size.
 *
 * <p>A file that ends inside an HDU is TRUNCATED only when the whole object was read ({@code fileSize}
 * bytes); a stream that stops short is a transfer failure, thrown as {@link IOException} for the
 * caller to retry, never a reason to quarantine a good raw.
 */
public final class RawChecker {
    private static final DateTimeFormatter DAY_OBS = DateTimeFormatter.ofPattern("yyyyMMdd");
    static final List<String> PRIMARY_KEYWORDS = List.of("INSTRUME", "EXPNUM", "DATE-OBS", "FILTER", "EXPTIME");
    static final List<String> DETECTOR_KEYWORDS = List.of("CCDNUM", "DATASEC", "DATASECA", "DATASECB", "BIASSECA",
            "BIASSECB", "GAINA", "GAINB", "RDNOISEA", "RDNOISEB", "SATURATA", "SATURATB");

    /**
     * @param fileSize the object's size as the store reports it
     * @throws RawRejected the file is bad: quarantine it
     * @throws IOException the stream failed before {@code fileSize} bytes: try again
     */
    public CheckedRaw check(InputStream raw, long fileSize) throws RawRejected, IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(16);
        byte[] magic = buffered.readNBytes(9);
        buffered.reset();
        if (!new String(magic, StandardCharsets.US_ASCII).equals("SIMPLE  =")) {
            throw new RawRejected("NOT_FITS", "not a FITS file: it does not begin with the SIMPLE keyword"
                    + " (first bytes: '" + FitsBlocks.printable(new String(magic, StandardCharsets.US_ASCII)) + "')");
        }
        Sha256InputStream in = new Sha256InputStream(buffered);
        Map<Integer, String> checksums = new HashMap<>();
        List<HduSpan> spans;
        try {
            spans = FitsHduIndex.scan(in, span -> checksums.put(span.index(), in.takeChecksum()));
        } catch (FitsTruncatedException e) {
            if (in.count() < fileSize) {
                throw new IOException("transfer stopped after " + in.count() + " of " + fileSize + " bytes", e);
            }
            throw new RawRejected("TRUNCATED", "truncated: " + e.getMessage() + " (file size " + fileSize + " bytes)");
        } catch (FitsFormatException e) {
            throw new RawRejected("NOT_FITS", "not valid FITS: " + e.getMessage());
        }
        Header primary = spans.get(0).header();
        require(primary, PRIMARY_KEYWORDS, "HDU 0");
        ExposureRecord exposure = exposureRecord(primary, "HDU 0");
        List<CheckedRaw.DetectorHdu> detectors = new ArrayList<>();
        for (HduSpan span : spans.subList(1, spans.size())) {
            Header h = span.imageHeader();
            if (h.getIntValue("NAXIS", 0) == 0) {
                continue;
            }
            String extname = span.extname() == null ? null : span.extname().trim();
            String where = "HDU " + span.index() + (extname == null ? "" : " (" + extname + ")");
            require(h, DETECTOR_KEYWORDS, where);
            int ccd = h.getIntValue("CCDNUM");
            detectors.add(new CheckedRaw.DetectorHdu(span.index(), extname == null ? "CCD" + ccd : extname, ccd,
                    span.offset(), span.length(), checksums.get(span.index())));
        }
        if (detectors.isEmpty()) {
            throw new RawRejected("MISSING_KEYWORD", "no detector HDU with pixels in the file (" + spans.size()
                    + " HDUs)");
        }
        return new CheckedRaw(primary.getStringValue("INSTRUME").trim(), exposure, List.copyOf(detectors),
                spans.get(spans.size() - 1).end());
    }

    private static ExposureRecord exposureRecord(Header h, String where) throws RawRejected {
        String dateObs = h.getStringValue("DATE-OBS").trim();
        Instant start;
        try {
            start = dateObs.endsWith("Z") || dateObs.contains("+") ? Instant.parse(dateObs)
                    : LocalDateTime.parse(dateObs).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new RawRejected("BAD_KEYWORD", where + ": DATE-OBS '" + dateObs + "' is not an ISO-8601 time");
        }
        String filter = h.getStringValue("FILTER").trim();
        if (filter.isEmpty()) {
            throw new RawRejected("BAD_KEYWORD", where + ": FILTER is empty");
        }
        long dayObs = Long.parseLong(start.minusSeconds(12 * 3600).atOffset(ZoneOffset.UTC).format(DAY_OBS));
        return new ExposureRecord(h.getLongValue("EXPNUM"), dayObs, filter, filter.split("\\s+")[0], start,
                h.getDoubleValue("EXPTIME"), h.containsKey("OBJECT") ? h.getStringValue("OBJECT").trim() : null,
                angle(h, "RA", 15.0), angle(h, "DEC", 1.0),
                h.containsKey("OBSTYPE") ? h.getStringValue("OBSTYPE").trim().toLowerCase(Locale.ROOT) : null);
    }

    /** A sexagesimal or decimal angle keyword in degrees ({@code scale} = 15 for hours), or null if absent. */
    static Double angle(Header h, String key, double scale) throws RawRejected {
        HeaderCard c = h.findCard(key);
        if (c == null || c.getValue() == null) {
            return null;
        }
        String v = c.getValue().trim();
        try {
            if (!v.contains(":")) {
                return Double.parseDouble(v) * (c.isStringValue() ? scale : 1.0);
            }
            String[] p = v.split(":");
            double sign = p[0].trim().startsWith("-") ? -1 : 1;
            double deg = Math.abs(Double.parseDouble(p[0])) + Double.parseDouble(p[1]) / 60
                    + (p.length > 2 ? Double.parseDouble(p[2]) / 3600 : 0);
            return sign * deg * scale;
        } catch (NumberFormatException e) {
            throw new RawRejected("BAD_KEYWORD", key + " '" + v + "' is not an angle");
        }
    }

    private static void require(Header h, List<String> keys, String where) throws RawRejected {
        List<String> missing = keys.stream().filter(k -> !h.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new RawRejected("MISSING_KEYWORD", where + ": required keyword" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + (missing.size() > 1 ? " are" : " is") + " missing");
        }
    }
}
