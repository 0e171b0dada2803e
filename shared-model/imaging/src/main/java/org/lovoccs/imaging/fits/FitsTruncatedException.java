package org.lovoccs.imaging.fits;

import java.io.EOFException;

/**
 * The FITS stream ended inside an HDU (a header without END, or fewer data bytes than its header
 * declares). Whether the file is truncated or the transfer was cut short is for the caller to decide,
 * from the number of bytes it expected.
 */
public class FitsTruncatedException extends EOFException {
    public FitsTruncatedException(String message) {
        super(message);
    }
}
