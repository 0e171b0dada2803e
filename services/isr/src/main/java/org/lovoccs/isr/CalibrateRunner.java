package org.lovoccs.isr;

import jakarta.enterprise.context.ApplicationScoped;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.calibrate.CalexpFormatter;
import org.lovoccs.imaging.calibrate.CalibrateConfig;
import org.lovoccs.imaging.calibrate.CalibrateResult;
import org.lovoccs.imaging.calibrate.Calibrator;
import org.lovoccs.imaging.calibrate.RefcatShardReader;
import org.lovoccs.imaging.characterize.BackgroundModel;
import org.lovoccs.imaging.characterize.BackgroundModelFormatter;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.PsfModel;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.characterize.SourceCatalog;
import org.lovoccs.imaging.characterize.SourceCatalogFormatter;
import org.lovoccs.imaging.characterize.SourceFlag;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.imaging.photometry.PhotometricReference;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.worker.QuantumShell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pipe_tasks' CalibrateTask on one CCD: characterizeImage's icExp (with its PSF), icExpBackground and icSrc, and the
 * shards of the astrometric and the band's photometric reference catalogues over the CCD, through {@link Calibrator}
 * (astrometric fit from the raw WCS, aperture correction, zero point), out as {@code calexp} (TAN-SIP WCS, MAGZERO,
 * PSF), {@code calexpBackground} and {@code src} (with RA/Dec, apcorr, total flux, magnitudes).
 */
@ApplicationScoped
class CalibrateRunner {
    static final String EXPOSURE = "exposure";
    static final String BACKGROUND = "background";
    static final String SOURCES = "icSourceCat";
    static final String ASTROM_REFCAT = "astromRefCat";
    static final String PHOTO_REFCAT = "photoRefCat";
    static final String OUT_EXPOSURE = "outputExposure";
    static final String OUT_BACKGROUND = "outputBackground";
    static final String OUT_SOURCES = "outputCat";

    QuantumShell.Outcome run(QuantumShell shell, QuantumReady q, StringBuilder log) throws IOException {
        CalibrateConfigs.Worker config = CalibrateConfigs.from(q.config());
        long tRead = System.nanoTime();
        DatasetRef expRef = one(q, EXPOSURE);
        // from the job's memory as objects when characterizeImage before it in the job held the icExp, else decoded
        CharacterizedExposure icExp = shell.read(expRef, CharacterizedExposure.class,
                b -> CharacterizedExposure.read(b, "icExp " + expRef.dataId()));
        PostIsrCcd ccd = icExp.ccd();
        String band = band(q, ccd);
        PsfModel psf = icExp.psf();
        DatasetRef srcRef = one(q, SOURCES);
        SourceCatalog sources = SourceCatalogFormatter.read(shell.read(srcRef), "icSrc " + srcRef.dataId());
        DatasetRef bkgRef = one(q, BACKGROUND);
        BackgroundModel background = BackgroundModelFormatter.read(shell.read(bkgRef), "icExpBackground "
                + bkgRef.dataId());
        List<ReferenceStar> astrometric = new ArrayList<>();
        for (DatasetRef shard : refs(q, ASTROM_REFCAT)) {
            astrometric.addAll(RefcatShardReader.astrometric(shell.read(shard), config.astromMagField(),
                    shard.datasetType() + " " + shard.dataId()));
        }
        List<PhotometricReference> photometric = new ArrayList<>();
        for (DatasetRef shard : refs(q, PHOTO_REFCAT)) {
            photometric.addAll(RefcatShardReader.photometric(shell.read(shard), band, shard.datasetType() + " "
                    + shard.dataId()));
        }
        if (ccd.wcs() == null) {
            throw new Calibrator.CalibrationException("icExp " + expRef.dataId() + " has no WCS to start the"
                    + " astrometric fit from (the raw header's)");
        }
        double exptime = ccd.metadata().getDoubleValue("EXPTIME", Double.NaN);
        if (!(exptime > 0)) {
            throw new Calibrator.CalibrationException("icExp " + expRef.dataId() + " has no EXPTIME: the zero point"
                    + " is per second");
        }
        List<Source> psfStars = sources.sources().stream().filter(s -> s.has(SourceFlag.PSF_USED)).toList();
        CharacterizeResult characterized = new CharacterizeResult(ccd.image(), background, sources, psf, psfStars,
                List.of(psf));
        double aperture = CharacterizeConfig.defaults().measurement().apertureRadius();
        long tRun = System.nanoTime();
        CalibrateResult r = Calibrator.run(characterized, TanWcs.fromHeader(ccd.wcs()), astrometric, photometric,
                exptime, aperture, config.calibrate());
        long tWrite = System.nanoTime();
        List<DatasetRef> written = new ArrayList<>();
        PostIsrCcd calexp = CalexpFormatter.exposure(r, ccd.metadata());
        // written; checkVisit in this job takes the exposure as it would read it from the file
        written.add(shell.write(q.outputs().get(OUT_EXPOSURE).get(0), PostIsrCcdFormatter.asRead(calexp),
                () -> CalexpFormatter.toBytes(calexp, r.psf()), "application/fits", log));
        if (q.outputs().containsKey(OUT_BACKGROUND)) {
            ByteArrayOutputStream bkg = new ByteArrayOutputStream();
            BackgroundModelFormatter.write(background, bkg, "electron");
            written.add(shell.write(q.outputs().get(OUT_BACKGROUND).get(0), bkg.toByteArray(), "application/fits",
                    log));
        }
        ByteArrayOutputStream src = new ByteArrayOutputStream();
        SourceCatalogFormatter.write(r.sources(), r.astrometry().wcs(), "electron", aperture, r.calibration(), src);
        written.add(shell.write(q.outputs().get(OUT_SOURCES).get(0), src.toByteArray(), "application/fits", log));
        long tEnd = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("readSeconds", (tRun - tRead) / 1e9);
        metrics.put("calibrateSeconds", (tWrite - tRun) / 1e9);
        metrics.put("writeSeconds", (tEnd - tWrite) / 1e9);
        metrics.put("astrometricReferences", (double) astrometric.size());
        metrics.put("photometricReferences", (double) photometric.size());
        long used = r.astrometry().matches().stream().filter(m -> m.used()).count();
        metrics.put("astrometryMatches", (double) used);
        metrics.put("astrometryRmsMas", r.astrometry().rmsArcsec() * 1000);
        metrics.put("zeroPoint", r.photoCalib().zeroPoint());
        metrics.put("zeroPointErr", r.photoCalib().zeroPointErr());
        metrics.put("photometryStars", (double) r.photoCalib().used());
        metrics.put("apCorr", r.calibration().apCorr().at(0.5 * (ccd.image().width() - 1),
                0.5 * (ccd.image().height() - 1)));
        var psfFlux = r.calibration().psfFlux();
        if (psfFlux != null) {
            long flagged = psfFlux.results().stream().filter(x -> x.flagged()).count();
            metrics.put("psfFluxFlagged", (double) flagged);
            if (psfFlux.apCorr() != null) {
                metrics.put("psfApCorr", psfFlux.apCorr().at(0.5 * (ccd.image().width() - 1),
                        0.5 * (ccd.image().height() - 1)));
            }
            if (psfFlux.apCorr() == null) {
                log.append("WARNING: src's psf_mag is NaN: ").append(psfFlux.apCorrNote()).append('\n');
            } else if (!psfFlux.apCorrNote().isEmpty()) {
                log.append(psfFlux.apCorrNote()).append('\n');
            }
        }
        log.append("input ").append(expRef.location().uri()).append('\n');
        log.append(String.format("astrometry: %d matches of %d references, rms %.1f mas; zero point %.4f +- %.4f"
                        + " from %d stars of %d references%n", used, astrometric.size(),
                r.astrometry().rmsArcsec() * 1000, r.photoCalib().zeroPoint(), r.photoCalib().zeroPointErr(),
                r.photoCalib().used(), photometric.size()));
        return new QuantumShell.Outcome(written, metrics);
    }

    /** The quantum's one input of a connection, or an error naming the task, data ID and connection. */
    static DatasetRef one(QuantumReady q, String connection) {
        List<DatasetRef> l = q.inputs().get(connection);
        if (l == null || l.isEmpty()) {
            throw new IsrConfigs.UnsupportedConfigException(q.taskLabel() + " " + q.dataId() + " carries no "
                    + connection + " input");
        }
        return l.get(0);
    }

    private static List<DatasetRef> refs(QuantumReady q, String connection) {
        List<DatasetRef> l = q.inputs().get(connection);
        if (l == null || l.isEmpty()) {
            throw new Calibrator.CalibrationException("the calibrate quantum carries no " + connection + " shards:"
                    + " ingest the reference catalogue (./lovoccs butler ingest-refcat NAME FILE...) and plan the step"
                    + " again (./lovoccs pipetask rerun CLUSTER --step step1)");
        }
        return l;
    }

    /**
     * The band: the quantum's data ID's, else the first word of the exposure's FILTER ("r DECam SDSS c0002 ..."); the
     * quality tasks' too.
     */
    static String band(QuantumReady q, PostIsrCcd ccd) {
        Object b = q.dataId().asMap().get("band");
        if (b != null) {
            return b.toString();
        }
        String filter = ccd.metadata().getStringValue("FILTER");
        if (filter != null && !filter.isBlank()) {
            return filter.trim().split("\\s+")[0];
        }
        throw new IsrConfigs.UnsupportedConfigException(q.taskLabel() + " " + q.dataId() + ": the exposure has no"
                + " FILTER and the quantum names no band; the reference catalogue's column and the cuts are chosen by"
                + " it");
    }
}
