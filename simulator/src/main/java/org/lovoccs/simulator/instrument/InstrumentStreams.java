package org.lovoccs.simulator.instrument;

import java.util.SplittableRandom;

import org.lovoccs.simulator.random.RandomStreams;

/**
 * Stream keys of the instrument signature. Every draw is {@code RandomStreams.stream(seed, DOMAIN + purpose, ...)},
 * where {@code seed} is the campaign's instrument seed for static effects and the exposure seed for per-exposure
 * effects. The first key is far outside the CCD numbers that {@code RawExposureSimulator} uses as its first key, so
 * these streams never coincide with the simulator's own even when the seeds are equal.
 */
final class InstrumentStreams {

    private static final long DOMAIN = 0x494E_5354_0000_0000L;

    static final long ILLUMINATION = 1;
    static final long PIXEL_RESPONSE = 2;
    static final long FRINGE = 3;
    static final long DEFECTS = 4;
    static final long NON_LINEARITY = 5;
    static final long BIAS_STRUCTURE = 6;
    static final long FRINGE_AMPLITUDE = 7;
    static final long COSMIC_RAYS = 8;
    static final long SATELLITE = 9;

    private InstrumentStreams() {
    }

    static SplittableRandom stream(long seed, long purpose, long... keys) {
        long[] all = new long[keys.length + 1];
        all[0] = DOMAIN + purpose;
        System.arraycopy(keys, 0, all, 1, keys.length);
        return RandomStreams.stream(seed, all);
    }
}
