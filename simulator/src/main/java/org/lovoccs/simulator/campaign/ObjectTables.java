package org.lovoccs.simulator.campaign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.lovoccs.imaging.Band;
import org.lovoccs.simulator.catalog.CatalogFits;
import org.lovoccs.simulator.universe.ReferenceCatalogs;
import org.lovoccs.simulator.universe.SkyCatalog;

/** Writes the campaign's sky truth (stars, galaxies) and reference catalogues with {@link CatalogFits}. */
final class ObjectTables {

    private static final long STREAM_REFCAT = 7_000;

    private ObjectTables() {
    }

    /** truth/stars.fits and truth/galaxies.fits. */
    static void writeObjects(SkyCatalog sky, Path dir, Consumer<WrittenFile> record) throws IOException {
        long t0 = System.nanoTime();
        Path stars = dir.resolve("stars.fits");
        CatalogFits.writeStars(stars, sky.stars());
        report(WrittenFile.Kind.TRUTH, stars, t0, record);
        t0 = System.nanoTime();
        Path galaxies = dir.resolve("galaxies.fits");
        CatalogFits.writeGalaxies(galaxies, sky.galaxies(), sky.halo());
        report(WrittenFile.Kind.TRUTH, galaxies, t0, record);
    }

    /** refcats/gaia_like.fits and, per band, sdss_like_u.fits or ps1_like_&lt;band&gt;.fits. */
    static void writeReferenceCatalogs(SkyCatalog sky, CampaignSpec spec, Path dir, Consumer<WrittenFile> record)
            throws IOException {
        long t0 = System.nanoTime();
        Path gaia = dir.resolve("gaia_like.fits");
        CatalogFits.writeGaia(gaia, ReferenceCatalogs.gaia(sky.stars(), spec.seed() + STREAM_REFCAT));
        report(WrittenFile.Kind.REFERENCE_CATALOG, gaia, t0, record);
        for (Band band : spec.bands()) {
            t0 = System.nanoTime();
            String survey = band == Band.U ? "sdss_like" : "ps1_like";
            Path file = dir.resolve(survey + "_" + band.bandName() + ".fits");
            CatalogFits.writePhotometric(file, band, ReferenceCatalogs.photometric(sky.stars(), band,
                    spec.seed() + STREAM_REFCAT + 1 + band.ordinal()));
            report(WrittenFile.Kind.REFERENCE_CATALOG, file, t0, record);
        }
    }

    private static void report(WrittenFile.Kind kind, Path file, long t0, Consumer<WrittenFile> record)
            throws IOException {
        record.accept(new WrittenFile(kind, file, null, Files.size(file), (System.nanoTime() - t0) / 1e9));
    }
}
