package org.lovoccs.simulator.random;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams derived from one seed and a path of keys (e.g. CCD number, purpose, row),
 * so that any part of a simulation can be regenerated alone and in any order or thread with the same result.
 */
public final class RandomStreams {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private RandomStreams() {
    }

    /** A generator determined by {@code seed} and {@code keys} only. */
    public static SplittableRandom stream(long seed, long... keys) {
        long h = mix(seed);
        for (long k : keys) {
            h = mix(h ^ mix(k + GOLDEN_GAMMA));
        }
        return new SplittableRandom(h);
    }

    /** The SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
