package org.lovoccs.pipeline.tasks;

import org.lovoccs.pipeline.TaskDefinition;

/** LoVoCCS meta_export: the sheared catalogues of the central patches in one table per tract. */
public final class MetaExportTask extends TaskDefinition {
    /** Declares connections and config defaults. */
    public MetaExportTask() {
        super("metaExport", "lovoccs.metadetect.MetaExportTask", TRACT);
        inputs("catalogs", "deepCoadd_metaShear_obj", PATCH, "DataFrame");
        output("catalog", "lovoccs_metaShear_catalog", TRACT, "DataFrame");
    }
}
