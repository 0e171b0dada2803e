package org.lovoccs.ingestion.check;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsInputStream;
import org.lovoccs.events.ExposureRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * check_raws for DECam raw files: walks every HDU of a multi-extension FITS stream, parses each header
 * with nom-tam-fits, reads every byte of its data (so a truncated file is caught), checksums each HDU
 * and requires the keywords that ingestion and ISR read. It returns the exposure record and the byte
 * range of each detector HDU, or throws {@link RawRejected} naming the problem. One pass, streaming:
 * memory stays at one FITS block whatever the file's size.
 */
public final class RawChecker {
    public static final int BLOCK = 2880;
    private static final int MAX_HEADER_BLOCKS = 1000;
    private static final DateTimeFormatter DAY_OBS = DateTimeFormatter.ofPattern("yyyyMMdd");
    static final List<String> PRIMARY_KEYWORDS = List.of("INSTRUME", "EXPNUM", "DATE-OBS", "FILTER", "EXPTIME");
    static final List<String> DETECTOR_KEYWORDS = List.of("CCDNUM", "DATASEC", "DATASECA", "DATASECB", "BIASSECA",
            "BIASSECB", "GAINA", "GAINB", "RDNOISEA", "RDNOISEB", "SATURATA", "SATURATB");

    public CheckedRaw check(InputStream in, long fileSize) throws RawRejected {
        try {
            return walk(in, fileSize);
        } catch (IOException e) {
            throw new RawRejected("UNREADABLE", "cannot read the file: " + e.getMessage());
        }
    }

    private CheckedRaw walk(InputStream in, long fileSize) throws IOException, RawRejected {
        byte[] block = new byte[BLOCK];
        long offset = 0;
        int index = 0;
        ExposureRecord exposure = null;
        String instrument = null;
        List<CheckedRaw.DetectorHdu> detectors = new ArrayList<>();
        while (true) {
            int n = in.readNBytes(block, 0, BLOCK);
            if (n == 0 && index > 0) {
                break;
            }
            if (index == 0 && (n < 9 || !new String(block, 0, 9, StandardCharsets.US_ASCII).equals("SIMPLE  ="))) {
                throw new RawRejected("NOT_FITS", "not a FITS file: it does not begin with the SIMPLE keyword"
                        + " (first bytes: '" + printable(block, Math.min(n, 16)) + "')");
            }
            if (n < BLOCK) {
                throw new RawRejected("TRUNCATED", "truncated: HDU " + index + " starts at byte " + offset
                        + " but the file ends after " + (offset + n) + " bytes, inside a header block");
            }
            MessageDigest sha = sha256();
            ByteArrayOutputStream headerBytes = new ByteArrayOutputStream(BLOCK * 4);
            headerBytes.write(block);
            int blocks = 1;
            while (!hasEnd(block)) {
                if (++blocks > MAX_HEADER_BLOCKS) {
                    throw new RawRejected("NOT_FITS", "HDU " + index + " has no END card in " + MAX_HEADER_BLOCKS
                            + " header blocks");
                }
                if (in.readNBytes(block, 0, BLOCK) < BLOCK) {
                    throw new RawRejected("TRUNCATED", "truncated inside the header of HDU " + index + " (file size "
                            + fileSize + " bytes)");
                }
                headerBytes.write(block);
            }
            byte[] hb = headerBytes.toByteArray();
            sha.update(hb);
            Header header = parse(hb, index);
            String where = "HDU " + index + (header.containsKey("EXTNAME") ? " (" + header.getStringValue("EXTNAME")
                    .trim() + ")" : "");
            long dataBytes = paddedDataSize(header, where);
            long remaining = dataBytes;
            byte[] buf = new byte[1 << 16];
            while (remaining > 0) {
                int r = in.readNBytes(buf, 0, (int) Math.min(buf.length, remaining));
                if (r == 0) {
                    throw new RawRejected("TRUNCATED", "truncated: " + where + " needs " + dataBytes
                            + " bytes of data from byte " + (offset + hb.length) + " but the file has only "
                            + (dataBytes - remaining) + " of them (file size " + fileSize + " bytes)");
                }
                sha.update(buf, 0, r);
                remaining -= r;
            }
            long length = hb.length + dataBytes;
            if (index == 0) {
                require(header, PRIMARY_KEYWORDS, where);
                instrument = header.getStringValue("INSTRUME").trim();
                exposure = exposureRecord(header, where);
            } else if (header.getIntValue("NAXIS", 0) > 0) {
                require(header, DETECTOR_KEYWORDS, where);
                int ccd = header.getIntValue("CCDNUM");
                detectors.add(new CheckedRaw.DetectorHdu(index, header.containsKey("EXTNAME")
                        ? header.getStringValue("EXTNAME").trim() : "CCD" + ccd, ccd, offset, length,
                        "sha256:" + HexFormat.of().formatHex(sha.digest())));
            }
            offset += length;
            index++;
        }
        if (detectors.isEmpty()) {
            throw new RawRejected("MISSING_KEYWORD", "no detector HDU with pixels in the file (" + index + " HDUs)");
        }
        return new CheckedRaw(instrument, exposure, List.copyOf(detectors), offset);
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
        long dayObs = Long.parseLong(start.minusSeconds(12 * 3600).atOffset(ZoneOffset.UTC)
                .format(DAY_OBS));
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

    private static long paddedDataSize(Header h, String where) throws RawRejected {
        int bitpix = h.getIntValue("BITPIX", 0);
        int naxis = h.getIntValue("NAXIS", -1);
        if (bitpix == 0 || naxis < 0) {
            throw new RawRejected("BAD_KEYWORD", where + ": BITPIX or NAXIS missing or invalid");
        }
        long elements = naxis == 0 ? 0 : 1;
        for (int i = 1; i <= naxis; i++) {
            elements *= h.getLongValue("NAXIS" + i, 0);
        }
        long size = Math.abs(bitpix) / 8L * h.getLongValue("GCOUNT", 1) * (h.getLongValue("PCOUNT", 0) + elements);
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static Header parse(byte[] headerBytes, int index) throws RawRejected {
        try (FitsInputStream in = new FitsInputStream(new ByteArrayInputStream(headerBytes))) {
            return Header.readHeader(in);
        } catch (Exception e) {
            throw new RawRejected("NOT_FITS", "HDU " + index + " header cannot be parsed: " + e.getMessage());
        }
    }

    private static boolean hasEnd(byte[] block) {
        for (int card = 0; card < BLOCK; card += 80) {
            if (block[card] == 'E' && block[card + 1] == 'N' && block[card + 2] == 'D' && allBlank(block, card + 3,
                    card + 8)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    private static String printable(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(b[i] >= 32 && b[i] < 127 ? (char) b[i] : '.');
        }
        return s.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
