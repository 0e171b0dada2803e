package org.lovoccs.simulator;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.lovoccs.simulator.sky.StarTruth;

/**
 * What {@link RawExposureSimulator#write} wrote: where each CCD's HDU is in the file and which stars it holds.
 *
 * @param spec       the exposure simulated
 * @param ccds       one entry per extension HDU, in file order
 * @param totalBytes size of the file
 */
public record RawExposureSummary(ExposureSpec spec, List<WrittenCcd> ccds, long totalBytes) {

    public RawExposureSummary {
        ccds = List.copyOf(ccds);
    }

    /**
     * One CCD HDU in the file.
     *
     * @param ccdNum   CCDNUM
     * @param detpos   DETPOS (= EXTNAME)
     * @param hduIndex index of the HDU in the file (primary = 0)
     * @param offset   byte offset of the HDU's first header card
     * @param length   bytes of header and padded data; {@code [offset, offset + length)} is the HDU
     * @param stars    the stars simulated on this CCD
     */
    public record WrittenCcd(int ccdNum, String detpos, int hduIndex, long offset, long length,
                             List<StarTruth> stars) {

        public WrittenCcd {
            stars = List.copyOf(stars);
        }
    }

    /**
     * Writes the star truth table as CSV with a header line: expnum, ccdnum, detpos, id, x, y (assembled CCD pixels,
     * 0-based), ra, dec (deg), mag (AB, nominal zero point), flux_e (electrons).
     */
    public void writeStarCsv(Appendable out) throws IOException {
        out.append("expnum,ccdnum,detpos,id,x,y,ra,dec,mag,flux_e\n");
        for (WrittenCcd c : ccds) {
            for (StarTruth s : c.stars()) {
                out.append(String.format(Locale.ROOT, "%d,%d,%s,%d,%.4f,%.4f,%.8f,%.8f,%.4f,%.3f%n", spec.expnum(),
                        c.ccdNum(), c.detpos(), s.id(), s.x(), s.y(), s.raDeg(), s.decDeg(), s.magnitude(),
                        s.fluxElectrons()));
            }
        }
    }
}
