package org.lovoccs.butler;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...": picks the valid name closest to a misspelt one (Levenshtein distance). */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The candidate closest to {@code name}, if it is plausibly a typo of it: a case-insensitive
     * match, or at most max(2, length/3) edits away. Ties go to the earlier candidate.
     */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int dist = distance(lower, c.toLowerCase(Locale.ROOT));
            if (dist < bestDistance) {
                best = c;
                bestDistance = dist;
            }
        }
        int limit = Math.max(2, name.length() / 3);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** The Levenshtein edit distance between two strings. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
