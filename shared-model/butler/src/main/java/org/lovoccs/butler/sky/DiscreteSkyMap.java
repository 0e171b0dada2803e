package org.lovoccs.butler.sky;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoVoCCS skymap as LSST's {@code DiscreteSkyMap} makes it for one cluster: a single tract (id 0), a TAN pixel grid
 * centred on the cluster, cut into square patches of {@code patchInnerPx} pixels with {@code patchBorderPx} pixels
 * of overlap on each side. The seed names it {@code <CLUSTER>_skymap} (e.g. {@code A85_skymap}).
 *
 * <p>Geometry: the tract has {@code n x n} patches, {@code n = ceil(tractSizeDeg / patch inner size)}, so the tract's
 * inner area is at least {@code tractSizeDeg} on a side; its pixel (0, 0) is the south-east corner, x grows toward
 * the West (decreasing RA, as in a sky image with North up and East left) and y toward the North. Patch
 * {@code (x, y)} has the sequential index {@code x + y * n} (LSST's patch id), its inner box covers tract pixels
 * {@code [x * inner, (x + 1) * inner)} in x (same in y), and its outer box (the region stored in the registry) is the
 * inner box grown by the border and clipped to the tract's outer box (the inner grid grown by the border). Pixel
 * boxes of a TAN grid are great-circle quadrilaterals on the sky, so the regions are exact.
 *
 * @param raDeg            tract centre RA (the cluster), degrees
 * @param decDeg           tract centre Dec, degrees
 * @param tractSizeDeg     minimum side of the tract's inner area, degrees
 * @param patchInnerPx     patch inner side, pixels (LSST default 4000)
 * @param patchBorderPx    patch border, pixels (LSST default 100)
 * @param pixelScaleArcsec pixel scale, arcsec (LSST default 0.2)
 */
public record DiscreteSkyMap(double raDeg, double decDeg, double tractSizeDeg, int patchInnerPx, int patchBorderPx,
                             double pixelScaleArcsec) {

    /** The defaults of LSST's skymap config (4000-pixel patches, 100-pixel border, 0.2") over a 2.4-degree tract. */
    public static DiscreteSkyMap lovoccs(double raDeg, double decDeg) {
        return new DiscreteSkyMap(raDeg, decDeg, 2.4, 4000, 100, 0.2);
    }

    public DiscreteSkyMap {
        if (!(decDeg >= -90 && decDeg <= 90) || !(raDeg >= -360 && raDeg <= 720)) {
            throw new IllegalArgumentException("tract centre must have RA in [0, 360) and Dec in [-90, 90], got ("
                    + raDeg + ", " + decDeg + ")");
        }
        if (!(tractSizeDeg > 0 && tractSizeDeg <= 20)) {
            throw new IllegalArgumentException("tract size must be in (0, 20] degrees, got " + tractSizeDeg);
        }
        if (patchInnerPx < 10 || patchBorderPx < 0 || patchBorderPx >= patchInnerPx) {
            throw new IllegalArgumentException("patch inner size must be >= 10 px and the border in [0, inner), got "
                    + patchInnerPx + " and " + patchBorderPx);
        }
        if (!(pixelScaleArcsec > 0 && pixelScaleArcsec <= 60)) {
            throw new IllegalArgumentException("pixel scale must be in (0, 60] arcsec, got " + pixelScaleArcsec);
        }
        if (Math.abs(decDeg) + tractSizeDeg > 89) {
            throw new IllegalArgumentException("a tract of " + tractSizeDeg + " deg at Dec " + decDeg
                    + " would reach the pole; this skymap does not support polar tracts");
        }
    }

    /** One patch: sequential id, cell (x, y) and outer region. */
    public record Patch(int id, int x, int y, SphericalPolygon region) {
    }

    /** Patches per side. */
    public int patchesPerSide() {
        double innerDeg = patchInnerPx * pixelScaleArcsec / 3600.0;
        return Math.max(1, (int) Math.ceil(tractSizeDeg / innerDeg - 1e-9));
    }

    private Tan tan() {
        return new Tan(raDeg, decDeg);
    }

    /** Tangent-plane degrees of tract pixel coordinate p along an axis (the grid centre is at xi = eta = 0). */
    private double deg(double px) {
        double half = patchesPerSide() * patchInnerPx / 2.0;
        return (px - half) * pixelScaleArcsec / 3600.0;
    }

    private SphericalPolygon box(double x0, double y0, double x1, double y1) {
        // x grows toward the West (xi decreasing), y toward the North
        return tan().rectangle(-deg(x1), deg(y0), -deg(x0), deg(y1));
    }

    /** The tract's outer region: the inner grid grown by the border. */
    public SphericalPolygon tractRegion() {
        int n = patchesPerSide();
        return box(-patchBorderPx, -patchBorderPx, (double) n * patchInnerPx + patchBorderPx,
                (double) n * patchInnerPx + patchBorderPx);
    }

    /** All patches, in id order. */
    public List<Patch> patches() {
        int n = patchesPerSide();
        List<Patch> out = new ArrayList<>(n * n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out.add(patch(x, y));
            }
        }
        return out;
    }

    /** Patch (x, y). */
    public Patch patch(int x, int y) {
        int n = patchesPerSide();
        if (x < 0 || y < 0 || x >= n || y >= n) {
            throw new IllegalArgumentException("patch (" + x + ", " + y + ") is outside the " + n + "x" + n + " grid");
        }
        double x0 = (double) x * patchInnerPx - patchBorderPx;
        double y0 = (double) y * patchInnerPx - patchBorderPx;
        return new Patch(x + y * n, x, y, box(x0, y0, x0 + patchInnerPx + 2.0 * patchBorderPx,
                y0 + patchInnerPx + 2.0 * patchBorderPx));
    }

    /** The config as stored with the skymap record (and shown by the butler). */
    public Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", "lsst.skymap.discreteSkyMap.DiscreteSkyMap");
        m.put("raList", List.of(raDeg));
        m.put("decList", List.of(decDeg));
        m.put("tractSizeDeg", tractSizeDeg);
        m.put("patchInnerDimensions", List.of(patchInnerPx, patchInnerPx));
        m.put("patchBorder", patchBorderPx);
        m.put("pixelScale", pixelScaleArcsec);
        m.put("projection", "TAN");
        m.put("patchesPerSide", patchesPerSide());
        return m;
    }
}
