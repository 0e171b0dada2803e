package org.lovoccs.imaging.characterize;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** An immutable list of {@link Source}s (icSrc), in detection order; ids are unique. */
public record SourceCatalog(List<Source> sources) {

    public SourceCatalog {
        sources = List.copyOf(sources);
    }

    public int size() {
        return sources.size();
    }

    public Source get(int i) {
        return sources.get(i);
    }

    public SourceCatalog filter(Predicate<Source> keep) {
        List<Source> out = new ArrayList<>();
        for (Source s : sources) {
            if (keep.test(s)) {
                out.add(s);
            }
        }
        return new SourceCatalog(out);
    }
}
