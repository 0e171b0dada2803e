package org.lovoccs.simulator.campaign;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.lovoccs.simulator.CcdTruth;
import org.lovoccs.simulator.ExposureScene;
import org.lovoccs.simulator.ObsType;
import org.lovoccs.simulator.RawEncoding;
import org.lovoccs.simulator.RawExposureSimulator;
import org.lovoccs.simulator.universe.Cosmology;
import org.lovoccs.simulator.universe.NfwHalo;
import org.lovoccs.simulator.universe.SkyCatalog;
import org.lovoccs.simulator.universe.SkyCatalogGenerator;
import org.lovoccs.simulator.universe.SkySpec;

/**
 * Writes a campaign to a folder:
 * <pre>
 *   campaign.json                     the spec, the halo, and every file written
 *   refcats/gaia_like.fits            astrometric reference catalogue
 *   refcats/&lt;survey&gt;_like_&lt;band&gt;.fits  photometric reference catalogue per band (sdss for u, ps1 for g r i z Y)
 *   truth/stars.fits, galaxies.fits   every object: position, magnitudes, shape, redshift, SED, lensing
 *   truth/ccds.fits, defects.fits     every CCD: gains, read noise, saturation, full well, non-linearity, flat, defects
 *   raw/&lt;night&gt;/c4d_*_ori.fits[.fz]  science raws, in time order
 *   calib/&lt;night&gt;/c4d_*_ori.fits[.fz] zeros and dome flats
 *   truth/exposures.fits              every exposure: pointing (commanded and true), rotation, airmass, zero point,
 *                                     sky, seeing and PSF field, fringe amplitude, satellite
 *   truth/ccd_exposures.fits          every exposure x CCD: true centre, PSF at the centre, bias level, counts of
 *                                     stars, galaxies, cosmic rays and bleed trails
 * </pre>
 * The sky and reference catalogues come first so that raws can be landed as they are written; each raw is written
 * to a temporary name and renamed when complete.
 */
public final class CampaignWriter {

    /** The manifest's file name. */
    public static final String MANIFEST = "campaign.json";

    private final CampaignSpec spec;
    private final RawExposureSimulator simulator;

    public CampaignWriter(CampaignSpec spec) {
        this(spec, new RawExposureSimulator());
    }

    public CampaignWriter(CampaignSpec spec, RawExposureSimulator simulator) {
        this.spec = spec;
        this.simulator = simulator;
    }

    /** The halo the campaign lenses with. */
    public NfwHalo halo() {
        return new NfwHalo(spec.m200Msun(), spec.concentration(), spec.redshift(), spec.raDeg(), spec.decDeg(),
                Cosmology.DEFAULT);
    }

    /** The sky of the campaign (deterministic from the seed). */
    public SkyCatalog sky() {
        return SkyCatalogGenerator.generate(new SkySpec(spec.raDeg(), spec.decDeg(), spec.fieldRadiusDeg(),
                spec.starsPerDeg2(), spec.galaxiesPerArcmin2(), spec.faintLimitR(), halo(), spec.seed()));
    }

    /**
     * Writes the campaign under {@code out}, calling {@code onFile} as each file is complete.
     *
     * @throws IOException if a file cannot be written
     */
    public CampaignManifest write(Path out, Consumer<WrittenFile> onFile) throws IOException {
        long t0 = System.nanoTime();
        List<WrittenFile> files = new ArrayList<>();
        Consumer<WrittenFile> record = f -> {
            files.add(f);
            onFile.accept(f);
        };
        Files.createDirectories(out.resolve("truth"));
        Files.createDirectories(out.resolve("refcats"));
        List<PlannedExposure> plan = CampaignPlanner.plan(spec);

        long t = System.nanoTime();
        SkyCatalog sky = sky();
        ObjectTables.writeObjects(sky, out.resolve("truth"), record);
        ObjectTables.writeReferenceCatalogs(sky, spec, out.resolve("refcats"), record);
        TruthTables.writeCcds(spec, out.resolve("truth"), record);

        RawEncoding encoding = spec.rice() ? RawEncoding.RICE : RawEncoding.PLAIN;
        TruthTables.CcdExposureRows rows = new TruthTables.CcdExposureRows();
        for (PlannedExposure e : plan) {
            boolean science = e.obsType() == ObsType.SCIENCE;
            Path dir = out.resolve(science ? "raw" : "calib").resolve(e.nightFolder());
            Files.createDirectories(dir);
            Path file = dir.resolve(e.fileName(spec.rice()));
            Path partial = dir.resolve("." + file.getFileName() + ".partial");
            ExposureScene scene = new ExposureScene(spec.cluster(), e, science ? sky : null, spec.seed(),
                    spec.instrumentEffects());
            t = System.nanoTime();
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
                simulator.write(scene, spec.ccds(), os, encoding, (CcdTruth truth) -> rows.add(e, truth));
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            record.accept(new WrittenFile(science ? WrittenFile.Kind.SCIENCE_RAW : WrittenFile.Kind.CALIBRATION_RAW,
                    file, e, Files.size(file), (System.nanoTime() - t) / 1e9));
        }
        TruthTables.writeExposures(plan, spec, out.resolve("truth"), record);
        rows.write(out.resolve("truth"), record);

        double seconds = (System.nanoTime() - t0) / 1e9;
        Path manifest = out.resolve(MANIFEST);
        Files.writeString(manifest, manifestJson(files, out, seconds), StandardCharsets.UTF_8);
        WrittenFile m = new WrittenFile(WrittenFile.Kind.MANIFEST, manifest, null, Files.size(manifest), 0);
        files.add(m);
        onFile.accept(m);
        return new CampaignManifest(spec, files, seconds);
    }

    private String manifestJson(List<WrittenFile> files, Path out, double seconds) {
        NfwHalo halo = halo();
        StringBuilder b = new StringBuilder();
        b.append("{\n");
        b.append("  \"cluster\": ").append(quote(spec.cluster())).append(",\n");
        b.append(String.format(Locale.ROOT, "  \"ra\": %.6f,%n  \"dec\": %.6f,%n  \"redshift\": %.4f,%n", spec.raDeg(),
                spec.decDeg(), spec.redshift()));
        b.append(String.format(Locale.ROOT, "  \"halo\": {\"m200_msun\": %.4e, \"concentration\": %.3f, "
                        + "\"r200_mpc\": %.4f, \"rs_mpc\": %.4f, \"cosmology\": \"flat LCDM H0=70 Om=0.3\"},%n",
                halo.m200Msun(), halo.concentration(), halo.r200Mpc(), halo.scaleRadiusMpc()));
        b.append("  \"bands\": [").append(String.join(", ", spec.bands().stream().map(x -> quote(x.bandName()))
                .toList())).append("],\n");
        b.append("  \"ccds\": ").append(spec.ccds()).append(",\n");
        b.append(String.format(Locale.ROOT, "  \"nights\": %d,%n  \"first_night\": \"%s\",%n  \"visits_per_band_per_night\": %d,%n",
                spec.nights(), spec.firstNight(), spec.visitsPerBandPerNight()));
        b.append(String.format(Locale.ROOT, "  \"field_radius_deg\": %.4f,%n  \"galaxies_per_arcmin2\": %.3f,%n"
                        + "  \"stars_per_deg2\": %.1f,%n  \"faint_limit_r\": %.2f,%n",
                spec.fieldRadiusDeg(), spec.galaxiesPerArcmin2(), spec.starsPerDeg2(), spec.faintLimitR()));
        b.append(String.format(Locale.ROOT, "  \"instrument_effects\": %b,%n  \"fpack\": %b,%n  \"seed\": %d,%n"
                        + "  \"first_expnum\": %d,%n  \"seconds\": %.1f,%n",
                spec.instrumentEffects(), spec.rice(), spec.seed(), spec.firstExpnum(), seconds));
        b.append("  \"files\": [\n");
        for (int i = 0; i < files.size(); i++) {
            WrittenFile f = files.get(i);
            b.append("    {\"kind\": ").append(quote(f.kind().label())).append(", \"path\": ")
                    .append(quote(out.relativize(f.path()).toString())).append(", \"bytes\": ").append(f.bytes());
            if (f.exposure() != null) {
                PlannedExposure e = f.exposure();
                b.append(", \"expnum\": ").append(e.expnum()).append(", \"obstype\": ")
                        .append(quote(e.obsType().headerValue())).append(", \"band\": ")
                        .append(quote(e.band().bandName())).append(", \"date_obs\": ")
                        .append(quote(e.dateObs().toString()));
            }
            b.append('}').append(i + 1 < files.size() ? "," : "").append('\n');
        }
        b.append("  ]\n}\n");
        return b.toString();
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
