package org.lovoccs.rawcheck;

import org.lovoccs.events.ExposureRecord;

import java.util.List;

/** A raw file that passed check_raws: its exposure record and where each detector's HDU lies in it. */
public record CheckedRaw(String instrument, ExposureRecord exposure, List<DetectorHdu> detectors, long fileSize) {
    /**
     * @param index      HDU number, 0 = primary
     * @param byteOffset first byte of the HDU's header in the file
     * @param byteLength header plus padded data, in bytes
     * @param checksum   {@code sha256:<hex>} of those bytes
     */
    public record DetectorHdu(int index, String extname, int detector, long byteOffset, long byteLength,
                              String checksum) {
    }
}
