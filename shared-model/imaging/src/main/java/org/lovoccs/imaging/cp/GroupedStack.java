package org.lovoccs.imaging.cp;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects prepared frames and combines them in groups of at most {@link CombineConfig#maxFramesInMemory()}, merging
 * each group's result into a running total, so a builder never holds more than one group of frames.
 */
final class GroupedStack {

    private final CombineConfig config;
    private final List<RowSource> frames = new ArrayList<>();
    private final List<Double> scales = new ArrayList<>();
    private Combined total;
    private int groups;

    GroupedStack(CombineConfig config) {
        this.config = config;
    }

    void add(RowSource frame, double scale) {
        frames.add(frame);
        scales.add(scale);
        if (config.maxFramesInMemory() > 0 && frames.size() >= config.maxFramesInMemory()) {
            flush();
        }
    }

    int groups() {
        return groups;
    }

    private void flush() {
        if (frames.isEmpty()) {
            return;
        }
        double[] s = scales.stream().mapToDouble(Double::doubleValue).toArray();
        Combined c = ClippedCombiner.combine(List.copyOf(frames), s, config);
        frames.clear();
        scales.clear();
        groups++;
        total = total == null ? c : ClippedCombiner.merge(List.of(total, c), config);
    }

    Combined finish() {
        flush();
        if (total == null) {
            throw new IllegalArgumentException("no frames to combine");
        }
        return total;
    }
}
