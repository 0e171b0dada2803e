package org.lovoccs.pipeline;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...": the valid name closest to a misspelt one (Levenshtein distance, as the butler's Suggestions). */
final class Suggest {
    private Suggest() {
    }

    /** {@code "; did you mean 'x'?"} or the empty string when nothing is plausibly close. */
    static String didYouMean(String name, Collection<String> candidates) {
        String best = closest(name, candidates);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** The candidate at most max(2, length/3) edits away (case-insensitive), or null. */
    static String closest(String name, Collection<String> candidates) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3) ? best : null;
    }

    static int distance(String a, String b) {
        return org.lovoccs.butler.Suggestions.distance(a, b);
    }
}
