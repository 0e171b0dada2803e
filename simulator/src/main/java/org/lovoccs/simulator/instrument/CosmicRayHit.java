package org.lovoccs.simulator.instrument;

/**
 * One cosmic-ray event: a polyline track in assembled pixel coordinates (pixel centres at integers) and its charge.
 *
 * @param kind      muon (straight) or worm (curly low-energy electron)
 * @param xs        track vertex x, px (2 vertices for a muon)
 * @param ys        track vertex y, px
 * @param electrons total charge liberated along the track, e- (part may fall off the CCD)
 */
public record CosmicRayHit(Kind kind, double[] xs, double[] ys, double electrons) {

    /** Kinds of tracks. */
    public enum Kind { MUON, WORM }

    public CosmicRayHit {
        if (xs.length != ys.length || xs.length == 0) {
            throw new IllegalArgumentException("track vertices mismatch");
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    /** Projected track length, px. */
    public double lengthPx() {
        double l = 0;
        for (int k = 1; k < xs.length; k++) {
            l += Math.hypot(xs[k] - xs[k - 1], ys[k] - ys[k - 1]);
        }
        return l;
    }
}
