package org.lovoccs.isr;

import jakarta.enterprise.context.ApplicationScoped;
import nom.tam.fits.Header;
import org.lovoccs.events.DataId;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.QuantumFinished;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.imaging.astrometry.ReferenceStar;
import org.lovoccs.imaging.calibrate.RefcatShardReader;
import org.lovoccs.imaging.characterize.Source;
import org.lovoccs.imaging.characterize.SourceCatalog;
import org.lovoccs.imaging.characterize.SourceCatalogFormatter;
import org.lovoccs.imaging.characterize.SourceFlag;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.imaging.quality.CcdQuality;
import org.lovoccs.imaging.quality.CheckVisit;
import org.lovoccs.imaging.quality.QualityCuts;
import org.lovoccs.imaging.quality.QualityTable;
import org.lovoccs.imaging.quality.SeeingPlot;
import org.lovoccs.imaging.quality.SelectVisit;
import org.lovoccs.imaging.wcs.SkyWcs;
import org.lovoccs.imaging.wcs.WcsHeaders;
import org.lovoccs.worker.QuantumShell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * LoVoCCS's check_visit and select_visit (seed steps 7 and 8) in the isr service:
 * <ul>
 *   <li>checkVisit: a calexp, its src and the astrometric catalogue's shards over the CCD to the CCD's
 *       {@code ccdQuality} (Moffat FWHM and ellipticity of its isolated reference stars, and check_visit's verdict);</li>
 *   <li>plotVisitSeeing: a visit's {@code ccdQuality} to its {@code seeingPlot} (PNG, failing CCDs in red);</li>
 *   <li>selectVisit: a band's {@code ccdQuality} to {@code selectVisitDetectors} (every detector's decision), and the
 *       kept detectors' datasets tagged into {@code DECam/processing/<cluster>/quality_detectors_<band>} by the
 *       registry (the quantum.finished's associations).</li>
 * </ul>
 */
@ApplicationScoped
class QualityRunner {
    static final String CHECK_CLASS = "lovoccs.quality.CheckVisitTask";
    static final String PLOT_CLASS = "lovoccs.quality.PlotVisitSeeingTask";
    static final String SELECT_CLASS = "lovoccs.quality.SelectVisitTask";
    static final String QUALITY = "quality";
    private static final double SIGMA_TO_FWHM = 2 * Math.sqrt(2 * Math.log(2));

    // ---- checkVisit

    QuantumShell.Outcome checkVisit(QuantumShell shell, QuantumReady q, StringBuilder log) throws IOException {
        Map<String, String> c = q.config();
        QualityCuts cuts = cuts(c);
        double matchRadius = real(c, "matchRadius", 1.0);
        double minSnr = real(c, "minSnr", 30);
        double isolation = real(c, "isolationRadius", 15);
        String magField = c.getOrDefault("refObjLoader.anyFilterMapsToThis", "phot_g_mean").trim();
        long t0 = System.nanoTime();
        DatasetRef calexpRef = CalibrateRunner.one(q, "calexp");
        // calibrate in this job hands its calexp on as the object the file reads as
        PostIsrCcd calexp = shell.read(calexpRef, PostIsrCcd.class, PostIsrCcdFormatter::read);
        SkyWcs wcs = WcsHeaders.read(calexp.wcs());
        DatasetRef srcRef = CalibrateRunner.one(q, "src");
        SourceCatalog src = SourceCatalogFormatter.read(shell.read(srcRef), "src " + srcRef.dataId());
        List<ReferenceStar> refs = new ArrayList<>();
        for (DatasetRef shard : q.inputs().getOrDefault("refCat", List.of())) {
            refs.addAll(RefcatShardReader.astrometric(shell.read(shard), magField, shard.datasetType() + " "
                    + shard.dataId()));
        }
        if (refs.isEmpty()) {
            throw new IsrConfigs.UnsupportedConfigException("checkVisit " + q.dataId() + " carries no reference"
                    + " catalogue shards (refCat): ingest the catalogue (./lovoccs butler ingest-refcat NAME FILE...)"
                    + " and re-run the step (./lovoccs pipetask rerun CLUSTER --step check_visit)");
        }
        long tFit = System.nanoTime();
        double fwhmGuess = psfFwhm(src);
        int half = (int) Math.max(8, Math.ceil(3 * fwhmGuess));
        CheckVisit.ReferenceStars stars = CheckVisit.referenceStars(refs, src, wcs, calexp.image().width(),
                calexp.image().height(), matchRadius, minSnr, Math.max(isolation, half), half + 2);
        long visit = number(q.dataId(), "visit");
        int detector = (int) number(q.dataId(), "detector");
        String band = CalibrateRunner.band(q, calexp);
        // calibrate's residual sky level of the calexp (its fluxes are corrected for it; the image is not)
        double backgroundOffset = calexp.metadata().getDoubleValue("BKGOFFS", 0);
        CcdQuality quality = CheckVisit.measure(visit, detector, band, calexp.image(), wcs, stars.toFit(),
                stars.matched(), fwhmGuess, backgroundOffset);
        List<String> failures = cuts.failures(quality);
        long tWrite = System.nanoTime();
        Header cards = new Header();
        cards.addValue("MAXFWHM", cuts.maxFwhm(band), "[pix] check_visit's FWHM cut in this band");
        cards.addValue("MAXELL", cuts.maxEllipticity(band), "check_visit's ellipticity cut in this band");
        cards.addValue("PSFGUESS", fwhmGuess, "[pix] PSF stars' FWHM from src, the fits' start");
        cards.addValue("BKGOFFS", backgroundOffset, "[electron] calexp's residual sky taken off the fits");
        byte[] table = QualityTable.toBytes("CCD_QUALITY", band, List.of(new QualityTable.Row(quality,
                failures.isEmpty(), String.join("; ", failures))), cards);
        DatasetRef written = shell.write(q.outputs().get(QUALITY).get(0), table, "application/fits", log);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("readSeconds", (tFit - t0) / 1e9);
        metrics.put("fitSeconds", (tWrite - tFit) / 1e9);
        metrics.put("fwhmPixels", quality.fwhmPixels());
        metrics.put("ellipticity", quality.ellipticity());
        metrics.put("starsFitted", (double) quality.starsFitted());
        metrics.put("referenceStars", (double) quality.referenceStars());
        metrics.put("passed", failures.isEmpty() ? 1.0 : 0.0);
        log.append(String.format(Locale.ROOT, "check_visit %s detector %d (%s): FWHM %.3f px, e %.4f from %d of %d"
                        + " reference stars (%d on the CCD); %s%n", visit, detector, band, quality.fwhmPixels(),
                quality.ellipticity(), quality.starsFitted(), stars.toFit().size(), stars.matched(),
                failures.isEmpty() ? "passes" : "fails: " + String.join("; ", failures)));
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    /** The PSF stars' FWHM (median of their adaptive moments), the start of the Moffat fits; 4 px without any. */
    static double psfFwhm(SourceCatalog src) {
        double[] f = src.sources().stream().filter(s -> s.has(SourceFlag.PSF_USED))
                .mapToDouble(s -> SIGMA_TO_FWHM * Math.sqrt(0.5 * (s.ixx() + s.iyy())))
                .filter(v -> v > 0 && Double.isFinite(v)).sorted().toArray();
        return f.length == 0 ? 4.0 : f[f.length / 2];
    }

    // ---- plotVisitSeeing

    QuantumShell.Outcome plotVisitSeeing(QuantumShell shell, QuantumReady q, StringBuilder log) throws IOException {
        List<QualityTable.Row> rows = new ArrayList<>();
        String band = null;
        String cutsText = "";
        for (DatasetRef r : q.inputs().getOrDefault(QUALITY, List.of())) {
            QualityTable.Table t = QualityTable.read(shell.read(r), "ccdQuality " + r.dataId());
            band = t.band();
            cutsText = String.format(Locale.ROOT, "FWHM < %.1f px, e < %.2f",
                    t.header().getDoubleValue("MAXFWHM", Double.NaN), t.header().getDoubleValue("MAXELL", Double.NaN));
            rows.addAll(t.rows());
        }
        if (rows.isEmpty()) {
            throw new IsrConfigs.UnsupportedConfigException("plotVisitSeeing " + q.dataId() + " has no ccdQuality"
                    + " input: every CCD of the visit failed before check_visit");
        }
        rows.sort(Comparator.comparingInt(r -> r.ccd().detector()));
        long visit = number(q.dataId(), "visit");
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        SeeingPlot.write(visit, band, rows, cutsText, png);
        DatasetRef written = shell.write(q.outputs().get("plot").get(0), png.toByteArray(), "image/png", log);
        long failing = rows.stream().filter(r -> !r.passed()).count();
        log.append(String.format(Locale.ROOT, "seeing plot of visit %d (%s): %d CCDs, %d failing check_visit's"
                + " cuts (%s)%n", visit, band, rows.size(), failing, cutsText));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("ccds", (double) rows.size());
        metrics.put("failing", (double) failing);
        return new QuantumShell.Outcome(List.of(written), metrics);
    }

    // ---- selectVisit

    QuantumShell.Outcome selectVisit(QuantumShell shell, QuantumReady q, StringBuilder log) throws IOException {
        Map<String, String> c = q.config();
        double peakRa = peak(c, "xrayPeakRa", q);
        double peakDec = peak(c, "xrayPeakDec", q);
        SelectVisit.Config config = new SelectVisit.Config(real(c, "maxRadiusDeg", 1.5), real(c, "detectorSigma", 3),
                real(c, "visitSigma", 2), (int) real(c, "minGoodDetectors", 10), QualityCuts.lovoccs());
        List<QualityTable.Row> rows = new ArrayList<>();
        String band = q.dataId().get(org.lovoccs.events.Dimension.BAND) == null ? null
                : q.dataId().getString(org.lovoccs.events.Dimension.BAND);
        for (DatasetRef r : q.inputs().getOrDefault(QUALITY, List.of())) {
            QualityTable.Table t = QualityTable.read(shell.read(r), "ccdQuality " + r.dataId());
            if (band != null && !band.equals(t.band())) {
                throw new IsrConfigs.UnsupportedConfigException("selectVisit " + q.dataId() + ": ccdQuality "
                        + r.dataId() + " is in band " + t.band());
            }
            band = t.band();
            rows.addAll(t.rows());
        }
        if (rows.isEmpty()) {
            throw new IsrConfigs.UnsupportedConfigException("selectVisit " + q.dataId() + " has no ccdQuality input:"
                    + " every CCD of the band failed before check_visit");
        }
        rows.sort(Comparator.comparingLong((QualityTable.Row r) -> r.ccd().visit())
                .thenComparingInt(r -> r.ccd().detector()));
        Map<CcdQuality, List<String>> checkFailures = new java.util.IdentityHashMap<>();
        for (QualityTable.Row r : rows) {
            checkFailures.put(r.ccd(), r.passed() ? List.of() : List.of(r.reason()));
        }
        List<CcdQuality> ccds = rows.stream().map(QualityTable.Row::ccd).toList();
        List<SelectVisit.Decision> decisions = SelectVisit.select(ccds, checkFailures::get, peakRa, peakDec, config);
        List<QualityTable.Row> out = decisions.stream().map(d -> new QualityTable.Row(d.ccd(), d.kept(), d.reason()))
                .toList();
        Header cards = new Header();
        cards.addValue("XRAYRA", peakRa, "[deg] X-ray peak RA (NaN: radius cut not applied)");
        cards.addValue("XRAYDEC", peakDec, "[deg] X-ray peak Dec");
        cards.addValue("MAXRAD", config.maxRadiusDeg(), "[deg] largest detector distance from the peak");
        cards.addValue("DETSIG", config.detectorSigma(), "detectors below mean - DETSIG sigma refs dropped");
        cards.addValue("VISSIG", config.visitSigma(), "visits below mean - VISSIG sigma refs dropped");
        cards.addValue("MINGOOD", config.minGoodDetectors(), "visits with fewer good detectors dropped");
        DatasetRef written = shell.write(q.outputs().get("selection").get(0),
                QualityTable.toBytes("SELECT_VISIT", band, out, cards), "application/fits", log);
        // the kept detectors: their data IDs as the ccdQuality inputs carry them (instrument, visit, detector)
        Map<String, DataId> idOf = new java.util.HashMap<>();
        for (DatasetRef r : q.inputs().get(QUALITY)) {
            idOf.put(number(r.dataId(), "visit") + "/" + number(r.dataId(), "detector"), r.dataId());
        }
        List<DataId> kept = new ArrayList<>();
        Map<Long, int[]> perVisit = new TreeMap<>();
        for (SelectVisit.Decision d : decisions) {
            int[] kv = perVisit.computeIfAbsent(d.ccd().visit(), k -> new int[2]);
            kv[1]++;
            if (d.kept()) {
                kv[0]++;
                DataId id = idOf.get(d.ccd().visit() + "/" + d.ccd().detector());
                if (id != null) {
                    kept.add(id);
                }
            } else {
                log.append(String.format(Locale.ROOT, "dropped visit %d detector %d: %s%n", d.ccd().visit(),
                        d.ccd().detector(), d.reason()));
            }
        }
        perVisit.forEach((v, kv) -> log.append(String.format(Locale.ROOT, "visit %d: %d of %d detectors kept%n", v,
                kv[0], kv[1])));
        String collection = c.getOrDefault("outputCollection", "quality_detectors_{band}").trim()
                .replace("{band}", band);
        List<String> types = Arrays.stream(c.getOrDefault("taggedDatasetTypes", "calexp,calexpBackground,src")
                .split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!collection.matches("[A-Za-z0-9_.-]+")) {
            throw new IsrConfigs.UnsupportedConfigException("selectVisit:outputCollection='" + collection + "': a"
                    + " TAGGED collection name under DECam/processing/<cluster>/ of letters, digits, '_', '.' or '-'");
        }
        log.append(String.format(Locale.ROOT, "%d of %d detectors kept in %s; %s tagged%n", kept.size(),
                decisions.size(), collection, types));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("detectors", (double) decisions.size());
        metrics.put("kept", (double) kept.size());
        metrics.put("visits", (double) perVisit.size());
        metrics.put("visitsKept", (double) perVisit.values().stream().filter(kv -> kv[0] > 0).count());
        return new QuantumShell.Outcome(List.of(written), metrics,
                List.of(new QuantumFinished.Association(collection, types, kept)));
    }

    /** The X-ray peak from the config; the orchestrator puts the cluster record's in for {@code cluster.ra}. */
    private static double peak(Map<String, String> c, String key, QuantumReady q) {
        String v = c.getOrDefault(key, "").trim();
        if (v.startsWith("cluster.")) {
            throw new IsrConfigs.UnsupportedConfigException("selectVisit " + q.cluster() + ": " + key + " is " + v
                    + ", but the cluster record has no X-ray peak. Record it (./lovoccs cluster create " + q.cluster()
                    + " --ra DEG --dec DEG ...) and re-run the step (./lovoccs pipetask rerun " + q.cluster()
                    + " --step select_visit), or set selectVisit:" + key + " in the pipeline");
        }
        return real(c, key, Double.NaN);
    }

    // ---- config and data IDs

    static QualityCuts cuts(Map<String, String> c) {
        return new QualityCuts(real(c, "maxFwhm", 6.4), real(c, "maxEllipticity", 0.33),
                byBand(c, "maxFwhmByBand", "r:4.4"), byBand(c, "maxEllipticityByBand", "r:0.13"),
                (int) real(c, "minStarsFitted", 3));
    }

    private static Map<String, Double> byBand(Map<String, String> c, String key, String def) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String part : c.getOrDefault(key, def).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split(":");
            try {
                out.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
            } catch (RuntimeException e) {
                throw new IsrConfigs.UnsupportedConfigException("checkVisit:" + key + "='" + c.get(key) + "': write"
                        + " BAND:VALUE[,BAND:VALUE], e.g. r:4.4");
            }
        }
        return out;
    }

    private static double real(Map<String, String> c, String key, double def) {
        String v = c.get(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IsrConfigs.UnsupportedConfigException(key + "='" + v + "' is not a number");
        }
    }

    private static long number(DataId id, String key) {
        Object v = id.asMap().get(key);
        if (v == null && key.equals("visit")) {
            v = id.asMap().get("exposure");
        }
        if (!(v instanceof Number n)) {
            throw new IsrConfigs.UnsupportedConfigException("data ID " + id + " has no " + key);
        }
        return n.longValue();
    }
}
