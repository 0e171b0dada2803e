package org.lovoccs.imaging.fits;

import java.io.IOException;

/**
 * The bytes are not valid FITS (a missing or wrong first keyword, an unparseable header, impossible
 * BITPIX/NAXIS). Distinct from an I/O failure of the stream, so a caller can tell a bad file from a
 * broken connection.
 */
public class FitsFormatException extends IOException {
    public FitsFormatException(String message) {
        super(message);
    }
}
