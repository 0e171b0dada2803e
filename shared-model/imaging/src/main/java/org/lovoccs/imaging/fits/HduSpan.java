package org.lovoccs.imaging.fits;

import nom.tam.fits.Header;

/**
 * Where one HDU sits in a FITS file: its byte offset, the length of its header blocks and of its padded data. The
 * bytes {@code [offset, end())} are the complete HDU and can be fetched alone (e.g. an HTTP/S3 range request) and
 * parsed with {@link org.lovoccs.imaging.raw.RawCcdReader#readHdu(byte[])}.
 *
 * @param index       0 for the primary HDU, 1.. for extensions
 * @param offset      byte offset of the first header card
 * @param headerBytes length of the header, a multiple of 2880
 * @param dataBytes   length of the data including padding to a multiple of 2880 (0 when there is no data)
 * @param header      the parsed header
 */
public record HduSpan(int index, long offset, int headerBytes, long dataBytes, Header header) {

    /** Offset of the first data byte. */
    public long dataOffset() {
        return offset + headerBytes;
    }

    /** Offset just past the HDU's padded data. */
    public long end() {
        return offset + headerBytes + dataBytes;
    }

    /** Total length of the HDU in bytes. */
    public long length() {
        return headerBytes + dataBytes;
    }

    /** True if the HDU is a tile-compressed image (fpack: a BINTABLE with ZIMAGE = T). */
    public boolean compressed() {
        return RiceCompressedHdus.isCompressed(header);
    }

    /**
     * The header of the image the HDU holds: {@link #header()} itself for an uncompressed HDU; for a tile-compressed
     * one, the uncompressed image's view (BITPIX, NAXISn from ZBITPIX, ZNAXISn; no table or compression cards), see
     * {@link RiceCompressedHdus#imageHeader(Header)}.
     */
    public Header imageHeader() {
        return RiceCompressedHdus.imageHeader(header);
    }

    /** EXTNAME of the HDU, or {@code null} if it has none. */
    public String extname() {
        return header.getStringValue("EXTNAME");
    }
}
