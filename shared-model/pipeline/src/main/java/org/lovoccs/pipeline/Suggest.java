package org.lovoccs.pipeline;

import java.util.Collection;

import org.lovoccs.butler.Suggestions;

/** The pipeline's "did you mean ..." message, on the butler module's {@link Suggestions}. */
final class Suggest {
    private Suggest() {
    }

    /** {@code "; did you mean 'x'?"} or the empty string when nothing is plausibly close. */
    static String didYouMean(String name, Collection<String> candidates) {
        return Suggestions.closest(name, candidates).map(best -> "; did you mean '" + best + "'?").orElse("");
    }
}
