package org.lovoccs.simulator;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

import nom.tam.fits.Header;
import nom.tam.util.FitsOutputStream;
import org.lovoccs.imaging.fits.FitsImageIO;
import org.lovoccs.imaging.fits.RiceCompressedHdus;

/**
 * Writes a simulated exposure with its CCD HDUs in a chosen {@link RawEncoding}: the primary HDU as
 * {@link RawExposureSimulator#primaryHeader} gives it, then each CCD simulated and written one at a time. With
 * {@link RawEncoding#PLAIN} the bytes equal those of {@link RawExposureSimulator#write(ExposureSpec, List,
 * OutputStream)}; with {@link RawEncoding#RICE} each CCD is a Rice tile-compressed HDU
 * ({@link RiceCompressedHdus}) holding the same pixels and keywords.
 */
final class EncodedRawWriter {

    private final RawExposureSimulator simulator;
    private final RawEncoding encoding;

    EncodedRawWriter(RawExposureSimulator simulator, RawEncoding encoding) {
        this.simulator = simulator;
        this.encoding = encoding;
    }

    /** Writes the exposure to {@code out} (not closed); the summary's byte ranges are those of the encoded HDUs. */
    RawExposureSummary write(ExposureSpec spec, List<Integer> ccdNums, OutputStream out) throws IOException {
        Written w = write(simulator.primaryHeader(spec, ccdNums.size()), ccdNums,
                (CcdProducer) sink -> ccdNums.forEach(n -> sink.accept(simulator.simulateCcd(spec, n))), out);
        return new RawExposureSummary(spec, w.ccds(), w.bytes());
    }

    /**
     * Writes a campaign exposure to {@code out} (not closed), the CCDs simulated together
     * ({@link RawExposureSimulator#simulateCcds(ExposureScene, List, Consumer)}: with the inter-CCD crosstalk between
     * them).
     */
    WrittenExposure write(ExposureScene scene, List<Integer> ccdNums, OutputStream out, Consumer<CcdTruth> onCcd)
            throws IOException {
        Written w = write(simulator.primaryHeader(scene, ccdNums.size()), ccdNums, (CcdProducer) sink ->
                simulator.simulateCcds(scene, ccdNums, ccd -> {
                    onCcd.accept(ccd.truth());
                    sink.accept(ccd);
                }), out);
        return new WrittenExposure(scene.exposure().expnum(), w.ccds(), w.bytes());
    }

    private record Written(List<RawExposureSummary.WrittenCcd> ccds, long bytes) {
    }

    /** Hands the simulated CCDs, in order, to a sink. */
    private interface CcdProducer {
        void produce(Consumer<SimulatedCcd> sink);
    }

    private Written write(Header primary, List<Integer> ccdNums, CcdProducer producer, OutputStream out)
            throws IOException {
        if (new LinkedHashSet<>(ccdNums).size() != ccdNums.size()) {
            throw new IllegalArgumentException("CCD numbers repeated in " + ccdNums);
        }
        ccdNums.forEach(simulator.camera()::ccd);
        Counter counter = new Counter(out);
        FitsOutputStream fits = new FitsOutputStream(counter);
        FitsImageIO.writeHeader(fits, primary);
        fits.flush();
        List<RawExposureSummary.WrittenCcd> written = new ArrayList<>();
        int[] hdu = {1};
        try {
            producer.produce(ccd -> {
                try {
                    long start = counter.count;
                    writeHdu(ccd, fits);
                    fits.flush();
                    written.add(new RawExposureSummary.WrittenCcd(ccd.ccdNum(), ccd.detpos(), hdu[0]++, start,
                            counter.count - start, ccd.truth().stars()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Written(written, counter.count);
    }

    private void writeHdu(SimulatedCcd ccd, FitsOutputStream fits) throws IOException {
        switch (encoding) {
            case PLAIN -> ccd.writeHdu(fits);
            case RICE -> RiceCompressedHdus.writeUnsigned16Hdu(fits, ccd.header(), ccd.rawAdu(), ccd.width(),
                    ccd.height());
            default -> throw new IllegalStateException("unknown encoding " + encoding);
        }
    }

    private static final class Counter extends FilterOutputStream {
        private long count;

        Counter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
