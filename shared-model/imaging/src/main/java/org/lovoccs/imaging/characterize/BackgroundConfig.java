package org.lovoccs.imaging.characterize;

import org.lovoccs.imaging.MaskPlane;

/**
 * How the sky background is estimated (SExtractor's BACK_SIZE, BACK_FILTERSIZE; LSST's binSize).
 *
 * @param meshSize         side of a background mesh, pixels (SExtractor BACK_SIZE; LSST binSize = 128)
 * @param filterSize       side of the median filter applied to the grid of meshes (BACK_FILTERSIZE; 1 = none)
 * @param ignoredPlanes    bit mask of {@link MaskPlane}s whose pixels are left out of the mesh statistics
 * @param minGoodFraction  a mesh with fewer valid pixels than this fraction of its area is "bad" and takes the mean of
 *                         its nearest good meshes (SExtractor: 0.5)
 */
public record BackgroundConfig(int meshSize, int filterSize, int ignoredPlanes, double minGoodFraction) {

    /** BAD, SAT, CR, EDGE, DETECTED and NO_DATA pixels do not enter the statistics. */
    public static final int DEFAULT_IGNORED = MaskPlane.BAD.bitmask() | MaskPlane.SAT.bitmask()
            | MaskPlane.CR.bitmask() | MaskPlane.EDGE.bitmask() | MaskPlane.DETECTED.bitmask()
            | MaskPlane.NO_DATA.bitmask();

    public BackgroundConfig {
        if (meshSize < 8) {
            throw new IllegalArgumentException("meshSize must be >= 8 pixels, got " + meshSize);
        }
        if (filterSize < 1 || filterSize % 2 == 0) {
            throw new IllegalArgumentException("filterSize must be odd and >= 1, got " + filterSize);
        }
        if (!(minGoodFraction > 0 && minGoodFraction <= 1)) {
            throw new IllegalArgumentException("minGoodFraction must be in (0, 1], got " + minGoodFraction);
        }
    }

    /** 128-pixel meshes, 3x3 median filter, the default ignored planes, half the mesh valid. */
    public static BackgroundConfig defaults() {
        return new BackgroundConfig(128, 3, DEFAULT_IGNORED, 0.5);
    }

    public BackgroundConfig withMeshSize(int size) {
        return new BackgroundConfig(size, filterSize, ignoredPlanes, minGoodFraction);
    }

    public BackgroundConfig withIgnoredPlanes(int planes) {
        return new BackgroundConfig(meshSize, filterSize, planes, minGoodFraction);
    }
}
