package org.lovoccs.simulator.universe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Builds the truth catalogue of a field: stars ({@link StarPopulation}), background galaxies
 * ({@link GalaxyPopulation}, ids 0..N-1) and, with a halo, red-sequence members ({@link RedSequence}, ids from N).
 * Each object comes from its own random stream of the seed, so the result does not depend on threads or order;
 * objects are generated in parallel.
 */
public final class SkyCatalogGenerator {

    private SkyCatalogGenerator() {
    }

    /** The truth catalogue of {@code spec}. */
    public static SkyCatalog generate(SkySpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null");
        }
        Star[] stars = new Star[StarPopulation.count(spec)];
        IntStream.range(0, stars.length).parallel().forEach(i -> stars[i] = StarPopulation.star(spec, i));
        int nGal = GalaxyPopulation.count(spec);
        if (nGal > 0) {
            SyntheticPhotometry.get();
        }
        Galaxy[] background = new Galaxy[nGal];
        IntStream.range(0, nGal).parallel().forEach(i -> background[i] = GalaxyPopulation.galaxy(spec, i));
        List<Galaxy> galaxies = new ArrayList<>(Arrays.asList(background));
        if (spec.halo() != null) {
            galaxies.addAll(new RedSequence(spec.halo(), spec.faintLimitR()).members(spec, nGal));
        }
        return new SkyCatalog(spec, Arrays.asList(stars), galaxies);
    }
}
