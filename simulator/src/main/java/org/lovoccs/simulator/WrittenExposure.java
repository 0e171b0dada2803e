package org.lovoccs.simulator;

import java.util.List;

/**
 * A campaign exposure as written: where each CCD's HDU lies in the file.
 *
 * @param expnum     EXPNUM
 * @param ccds       the CCD HDUs in file order
 * @param totalBytes file size
 */
public record WrittenExposure(int expnum, List<RawExposureSummary.WrittenCcd> ccds, long totalBytes) {

    public WrittenExposure {
        ccds = List.copyOf(ccds);
    }
}
