package org.lovoccs.isr;

import jakarta.enterprise.context.ApplicationScoped;
import org.lovoccs.events.DatasetRef;
import org.lovoccs.events.QuantumReady;
import org.lovoccs.imaging.characterize.BackgroundModelFormatter;
import org.lovoccs.imaging.characterize.CharacterizeConfig;
import org.lovoccs.imaging.characterize.CharacterizeResult;
import org.lovoccs.imaging.characterize.Characterizer;
import org.lovoccs.imaging.characterize.PsfModelFormatter;
import org.lovoccs.imaging.characterize.SourceCatalogFormatter;
import org.lovoccs.imaging.fits.FitsHduIndex;
import org.lovoccs.imaging.isr.IsrSteps;
import org.lovoccs.imaging.isr.PostIsrCcd;
import org.lovoccs.imaging.isr.PostIsrCcdFormatter;
import org.lovoccs.imaging.wcs.TanWcs;
import org.lovoccs.worker.QuantumShell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pipe_tasks' CharacterizeImageTask on one CCD: the postISRCCD in, {@link Characterizer} (background, detection,
 * measurement, PSF stars and a PSF model varying over the CCD, iterated), and out: {@code icExp} (the
 * background-subtracted exposure, IMAGE/MASK/VARIANCE, followed by the PSF model's {@code PSF_BASIS} HDU),
 * {@code icExpBackground} (the background meshes) and {@code icSrc} (the sources, a FITS binary table).
 */
@ApplicationScoped
class CharacterizeRunner {
    static final String INPUT = "exposure";
    static final String EXPOSURE = "characterized";
    static final String BACKGROUND = "backgroundModel";
    static final String SOURCES = "sourceCat";

    QuantumShell.Outcome run(QuantumShell shell, QuantumReady q, StringBuilder log) throws IOException {
        CharacterizeConfig config = CharacterizeConfigs.from(q.config());
        DatasetRef in = q.inputs().get(INPUT).get(0);
        long tRead = System.nanoTime();
        // from the job's memory as an object when the isr before it in the job held it, else decoded from its bytes
        PostIsrCcd ccd = shell.read(in, PostIsrCcd.class, PostIsrCcdFormatter::read);
        long tRun = System.nanoTime();
        CharacterizeResult r;
        try {
            r = Characterizer.run(ccd.image(), config);
        } catch (IllegalArgumentException e) {
            // the data cannot be characterized as configured (too few PSF stars ...): another attempt gives the same
            throw new CharacterizationException("cannot characterize " + in.datasetType() + " " + in.dataId() + ": "
                    + e.getMessage() + isrHint(ccd));
        }
        long tWrite = System.nanoTime();
        TanWcs wcs = ccd.wcs() == null ? null : TanWcs.fromHeader(ccd.wcs());
        // each product is formatted in memory and written once, straight to object storage
        List<DatasetRef> written = new ArrayList<>();
        if (q.outputs().containsKey(EXPOSURE)) {
            ByteArrayOutputStream psfBytes = new ByteArrayOutputStream();
            PsfModelFormatter.write(r.psf(), psfBytes);
            byte[] psf = psfBytes.toByteArray();
            PostIsrCcd icExp = new PostIsrCcd(r.exposure(), ccd.metadata(), ccd.wcs());
            DatasetRef out = q.outputs().get(EXPOSURE).get(0);
            // handed on to calibrate in this job as it would read the file (the PSF through its own small HDU and
            // back), else the file: the exposure with the PSF_BASIS HDU appended
            CharacterizedExposure handedOn = new CharacterizedExposure(PostIsrCcdFormatter.asRead(icExp),
                    PsfModelFormatter.read(psf, out.datasetType() + " " + out.dataId() + " PSF"));
            written.add(shell.write(out, handedOn, () -> PostIsrCcdFormatter.toBytes(icExp, true,
                    FitsHduIndex.extensions(psf)), "application/fits", log));
        }
        if (q.outputs().containsKey(BACKGROUND)) {
            ByteArrayOutputStream bkg = new ByteArrayOutputStream();
            BackgroundModelFormatter.write(r.background(), bkg, "electron");
            written.add(shell.write(q.outputs().get(BACKGROUND).get(0), bkg.toByteArray(), "application/fits", log));
        }
        ByteArrayOutputStream src = new ByteArrayOutputStream();
        SourceCatalogFormatter.write(r.sources(), wcs, "electron", config.measurement().apertureRadius(), src);
        written.add(shell.write(q.outputs().get(SOURCES).get(0), src.toByteArray(), "application/fits", log));
        long tEnd = System.nanoTime();
        double cx = 0.5 * (ccd.image().width() - 1);
        double cy = 0.5 * (ccd.image().height() - 1);
        double[] e = r.psf().ellipticityAt(cx, cy);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("readSeconds", (tRun - tRead) / 1e9);
        metrics.put("characterizeSeconds", (tWrite - tRun) / 1e9);
        metrics.put("writeSeconds", (tEnd - tWrite) / 1e9);
        metrics.put("sources", (double) r.sources().size());
        metrics.put("psfStars", (double) r.psfStars().size());
        metrics.put("psfFwhmPixelsAtCentre", r.psf().fwhmAt(cx, cy));
        metrics.put("psfE1AtCentre", e[0]);
        metrics.put("psfE2AtCentre", e[1]);
        metrics.put("backgroundLevel", r.background().globalLevel());
        metrics.put("backgroundRms", r.background().globalRms());
        log.append("input ").append(in.location().uri()).append('\n');
        return new QuantumShell.Outcome(written, metrics);
    }

    /** What the input's ISR left undone, when it is less than a full ISR: the likely cause of a failure. */
    static String isrHint(PostIsrCcd ccd) {
        String steps = ccd.metadata() == null ? null
                : ccd.metadata().getStringValue(org.lovoccs.imaging.isr.IsrResult.STEPS_KEYWORD);
        if (steps == null) {
            return "";
        }
        List<String> applied = List.of(steps.split(","));
        List<String> missing = IsrSteps.SCIENCE.stream().filter(step -> !applied.contains(step)).toList();
        return missing.isEmpty() ? "" : " (the input's ISR applied " + steps + " only: without " + String.join(", ",
                missing) + ", flat-field structure, cosmic rays and defects stay in the image and can leave too few"
                + " clean PSF stars; the orchestrator's pipeline switches them on with isr:doBias=True and so on)";
    }

    /** The CCD cannot be characterized with this config; retrying cannot help. */
    static final class CharacterizationException extends RuntimeException {
        CharacterizationException(String message) {
            super(message);
        }
    }
}
