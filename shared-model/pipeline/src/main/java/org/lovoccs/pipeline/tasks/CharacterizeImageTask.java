package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** pipe_tasks' {@code CharacterizeImageTask}: background, PSF and aperture correction of one CCD. */
public final class CharacterizeImageTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public CharacterizeImageTask() {
        super("characterizeImage", "lsst.pipe.tasks.characterizeImage.CharacterizeImageTask", VISIT_DETECTOR);
        bool("doMeasurePsf", true, "measure the PSF");
        bool("doApCorr", true, "measure aperture corrections");
        bool("doDeblend", true, "deblend detected sources");
        integer("psfIterations", 2, "iterations of detect/measure/PSF");
        bool("useSimplePsf", true, "start from a simple Gaussian PSF");
        real("installSimplePsf.fwhm", 3.5322, "FWHM (pixels) of the starting PSF");
        real("detection.thresholdValue", 5.0, "detection threshold");
        string("detection.thresholdType", "stdev", "detection threshold type");
        bool("doWriteExposure", true, "write icExp and icExpBackground");
        input("exposure", "postISRCCD", EXPOSURE_DETECTOR, "Exposure");
        outputIf("doWriteExposure", "characterized", "icExp", VISIT_DETECTOR, "ExposureF", false);
        outputIf("doWriteExposure", "backgroundModel", "icExpBackground", VISIT_DETECTOR, "Background", false);
        output("sourceCat", "icSrc", VISIT_DETECTOR, "SourceCatalog");
    }
}
