package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/**
 * LoVoCCS export_data (step 16): the tract's object table as the cluster's full catalogue, and per-patch
 * colour images of the coadds. LoVoCCS dataset type names (lovoccs_*) are this project's own.
 */
public final class ExportCatalogsTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public ExportCatalogsTask() {
        super("exportCatalogs", "lovoccs.export.ExportCatalogsTask", TRACT);
        bool("doColorImages", true, "write irg colour images per patch");
        string("colorBands", "i,r,g", "bands mapped to red, green, blue");
        bool("lupton04", true, "also write photometric-colour-correct (Lupton 2004) images");
        real("stretch", 0.5, "asinh stretch of the colour images");
        input("objectTable", "objectTable_tract", TRACT, "DataFrame");
        inputIf("doColorImages", "coadds", "deepCoadd", PATCH_BAND, "ExposureF", true);
        output("catalog", "lovoccs_catalog_all", TRACT, "DataFrame");
        outputIf("doColorImages", "colorImages", "lovoccs_color_image", PATCH, "PNG", true);
    }
}
